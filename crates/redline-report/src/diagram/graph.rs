//! The GMCR state graph: states as boxes, the status quo and the equilibria highlighted, and the
//! shortest paths from the status quo drawn as arrows labelled by who moves.
//!
//! Layout is layered, left to right from the status quo: our own (longest distance from the status
//! quo gives the column, barycentre sweeps order each column), or Graphviz's when the caller ran
//! `dot -Tplain` on [`to_dot`] and hands us its output ([`parse_plain`]). This crate never runs
//! programs itself.

use std::collections::VecDeque;
use std::fmt::Write;

use super::svg::{Svg, color, n, text_width, wrap_px};

/// What the graph shows.
#[derive(Debug, Clone, Default)]
pub struct StateGraph {
    /// Decision makers' names, for colours and the legend.
    pub dms: Vec<String>,
    /// The states shown.
    pub nodes: Vec<GraphNode>,
    /// Moves along the status-quo paths.
    pub edges: Vec<GraphEdge>,
    /// How many feasible states are not shown.
    pub omitted: usize,
}

/// A state.
#[derive(Debug, Clone, Default)]
pub struct GraphNode {
    /// A stable key (the state's Y/N pattern).
    pub key: String,
    /// The first line: what the state is (`Today`, `Stable under all 6 concepts`).
    pub header: String,
    /// The options taken: `(decision maker, option name)`.
    pub taken: Vec<(usize, String)>,
    /// The status quo.
    pub status_quo: bool,
    /// An equilibrium under every concept computed.
    pub strong: bool,
    /// An equilibrium under at least one concept.
    pub equilibrium: bool,
    /// Tooltip text.
    pub tooltip: String,
}

/// One unilateral move.
#[derive(Debug, Clone, Default)]
pub struct GraphEdge {
    pub from: usize,
    pub to: usize,
    /// The decision maker who moves.
    pub dm: usize,
    /// Options taken by the move.
    pub takes: Vec<String>,
    /// Options dropped by the move.
    pub drops: Vec<String>,
    /// Whether the mover gains by it.
    pub improvement: bool,
}

/// Where every node goes: centres and sizes in pixels.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub centers: Vec<(f64, f64)>,
    pub sizes: Vec<(f64, f64)>,
    pub width: f64,
    pub height: f64,
}

const NODE_W: f64 = 232.0;
const FONT: f64 = 12.0;
const LINE: f64 = 15.0;
const GAP_X: f64 = 172.0;
const GAP_Y: f64 = 26.0;
const MARGIN: f64 = 20.0;
const LEGEND_H: f64 = 86.0;

struct NodeText {
    header: Vec<String>,
    lines: Vec<(Option<usize>, String)>,
}

fn node_text(n: &GraphNode, dms: &[String]) -> NodeText {
    let mut lines = Vec::new();
    if n.taken.is_empty() {
        lines.push((None, "no option taken".to_string()));
    }
    for (dm, name) in &n.taken {
        let who = dms.get(*dm).map_or("", String::as_str);
        for (k, l) in wrap_px(&format!("{who}: {name}"), FONT, NODE_W - 22.0)
            .into_iter()
            .enumerate()
        {
            // Continuation lines start with a space: drawn indented.
            lines.push((Some(*dm), if k == 0 { l } else { format!(" {l}") }));
        }
    }
    NodeText {
        // Bold runs about a tenth wider.
        header: wrap_px(&n.header, FONT * 1.1, NODE_W - 20.0),
        lines,
    }
}

fn node_size(n: &GraphNode, dms: &[String]) -> (f64, f64) {
    let t = node_text(n, dms);
    (
        NODE_W,
        12.0 + t.header.len() as f64 * LINE + 4.0 + t.lines.len() as f64 * LINE + 8.0,
    )
}

/// The graph as Graphviz DOT (left to right; node sizes in inches match our boxes), with the
/// moves labelled by who moves and what changes.
pub fn to_dot(g: &StateGraph) -> String {
    dot_source(g, true)
}

/// The DOT to hand `dot -Tplain` for a layout: as [`to_dot`] without edge labels, which we place
/// ourselves.
pub fn to_dot_for_layout(g: &StateGraph) -> String {
    dot_source(g, false)
}

fn dot_source(g: &StateGraph, edge_labels: bool) -> String {
    let mut s = String::new();
    s.push_str("digraph states {\n  rankdir=LR;\n  nodesep=0.35;\n  ranksep=2.4;\n");
    s.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10, fixedsize=true];\n");
    s.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let (w, h) = node_size(n, &g.dms);
        let t = node_text(n, &g.dms);
        let mut label = dot_escape(&t.header.join(" "));
        for (_, l) in &t.lines {
            label.push_str("\\n");
            label.push_str(&dot_escape(l));
        }
        let fill = if n.strong {
            "#d9f0e3"
        } else if n.equilibrium {
            "#eef8f1"
        } else {
            "white"
        };
        let pen = if n.status_quo { 3 } else { 1 };
        let _ = writeln!(
            s,
            "  n{i} [id=\"{}\", label=\"{label}\", width={:.3}, height={:.3}, fillcolor=\"{fill}\", penwidth={pen}];",
            dot_escape(&n.key),
            w / 72.0,
            h / 72.0
        );
    }
    for e in &g.edges {
        let who = g.dms.get(e.dm).map_or("", String::as_str);
        let label = edge_lines(e, who)
            .iter()
            .map(|l| dot_escape(l))
            .collect::<Vec<_>>()
            .join("\\n");
        let style = if e.improvement { "solid" } else { "dashed" };
        let label = if edge_labels { label } else { String::new() };
        let _ = writeln!(
            s,
            "  n{} -> n{} [label=\"{label}\", color=\"{}\", style={style}];",
            e.from,
            e.to,
            color(e.dm)
        );
    }
    s.push_str("}\n");
    s
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn edge_lines(e: &GraphEdge, who: &str) -> Vec<String> {
    let mut lines = vec![who.to_string()];
    for t in &e.takes {
        lines.push(format!("+ {t}"));
    }
    for d in &e.drops {
        lines.push(format!("− {d}"));
    }
    if !e.improvement {
        lines.push(format!("(costs {who})"));
    }
    lines
}

/// Reads Graphviz `-Tplain` output for a graph written by [`to_dot`]; `None` when it does not fit.
pub fn parse_plain(g: &StateGraph, plain: &str) -> Option<Layout> {
    let mut height_in = None;
    let mut centers = vec![None; g.nodes.len()];
    for line in plain.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.first() {
            Some(&"graph") if f.len() >= 4 => height_in = f[3].parse::<f64>().ok(),
            Some(&"node") if f.len() >= 4 => {
                let i: usize = f[1].strip_prefix('n')?.parse().ok()?;
                let x: f64 = f[2].parse().ok()?;
                let y: f64 = f[3].parse().ok()?;
                *centers.get_mut(i)? = Some((x, y));
            }
            _ => {}
        }
    }
    let h = height_in?;
    let sizes: Vec<(f64, f64)> = g.nodes.iter().map(|n| node_size(n, &g.dms)).collect();
    let mut out = Vec::new();
    for c in centers {
        let (x, y) = c?;
        out.push((MARGIN + x * 72.0, MARGIN + (h - y) * 72.0));
    }
    let width = out
        .iter()
        .zip(&sizes)
        .map(|((x, _), (w, _))| x + w / 2.0)
        .fold(0.0, f64::max)
        + MARGIN;
    let height = out
        .iter()
        .zip(&sizes)
        .map(|((_, y), (_, hh))| y + hh / 2.0)
        .fold(0.0, f64::max)
        + MARGIN;
    Some(Layout {
        centers: out,
        sizes,
        width,
        height,
    })
}

/// Our own layered layout: columns by distance from the status quo along the drawn moves, rows
/// ordered by barycentre; states that no drawn move reaches go in a grid below.
pub fn layered(g: &StateGraph) -> Layout {
    let n = g.nodes.len();
    let sizes: Vec<(f64, f64)> = g.nodes.iter().map(|x| node_size(x, &g.dms)).collect();
    let mut layer = vec![usize::MAX; n];
    let mut queue = VecDeque::new();
    for (i, x) in g.nodes.iter().enumerate() {
        if x.status_quo {
            layer[i] = 0;
            queue.push_back(i);
        }
    }
    while let Some(u) = queue.pop_front() {
        for e in g.edges.iter().filter(|e| e.from == u) {
            if layer[e.to] == usize::MAX {
                layer[e.to] = layer[u] + 1;
                queue.push_back(e.to);
            }
        }
    }
    let columns = layer
        .iter()
        .filter(|&&l| l != usize::MAX)
        .max()
        .map_or(0, |m| m + 1);
    let mut cols: Vec<Vec<usize>> = vec![Vec::new(); columns];
    for (i, &l) in layer.iter().enumerate() {
        if l != usize::MAX {
            cols[l].push(i);
        }
    }
    // Barycentre sweeps: order each column by the mean rank of its predecessors.
    for _ in 0..4 {
        for c in 1..cols.len() {
            let prev = &cols[c - 1];
            let rank = |v: usize| -> f64 {
                let ps: Vec<f64> = g
                    .edges
                    .iter()
                    .filter(|e| e.to == v)
                    .filter_map(|e| prev.iter().position(|&p| p == e.from))
                    .map(|p| p as f64)
                    .collect();
                if ps.is_empty() {
                    f64::MAX
                } else {
                    ps.iter().sum::<f64>() / ps.len() as f64
                }
            };
            let mut keyed: Vec<(f64, usize, usize)> = cols[c]
                .iter()
                .enumerate()
                .map(|(k, &v)| (rank(v), k, v))
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            cols[c] = keyed.into_iter().map(|(_, _, v)| v).collect();
        }
    }
    let col_h: Vec<f64> = cols
        .iter()
        .map(|c| c.iter().map(|&v| sizes[v].1 + GAP_Y).sum::<f64>() - GAP_Y)
        .collect();
    let tallest = col_h.iter().copied().fold(0.0, f64::max);
    let mut centers = vec![(0.0, 0.0); n];
    for (c, col) in cols.iter().enumerate() {
        let x = MARGIN + c as f64 * (NODE_W + GAP_X) + NODE_W / 2.0;
        let mut y = MARGIN + (tallest - col_h[c]) / 2.0;
        for &v in col {
            centers[v] = (x, y + sizes[v].1 / 2.0);
            y += sizes[v].1 + GAP_Y;
        }
    }
    let mut width = MARGIN * 2.0 + columns as f64 * (NODE_W + GAP_X) - GAP_X;
    let mut height = if columns > 0 {
        MARGIN * 2.0 + tallest
    } else {
        MARGIN
    };
    // The rest in a grid, four to a row.
    let rest: Vec<usize> = (0..n).filter(|&i| layer[i] == usize::MAX).collect();
    if !rest.is_empty() {
        let per_row = 4usize;
        let mut y = height + if columns > 0 { 24.0 } else { 0.0 };
        for row in rest.chunks(per_row) {
            let h = row.iter().map(|&v| sizes[v].1).fold(0.0, f64::max);
            for (k, &v) in row.iter().enumerate() {
                let x = MARGIN + k as f64 * (NODE_W + 30.0) + NODE_W / 2.0;
                centers[v] = (x, y + sizes[v].1 / 2.0);
            }
            y += h + GAP_Y;
        }
        height = y - GAP_Y + MARGIN;
        let grid_w = MARGIN * 2.0 + rest.len().min(per_row) as f64 * (NODE_W + 30.0) - 30.0;
        width = width.max(grid_w);
    }
    Layout {
        centers,
        sizes,
        width: width.max(360.0),
        height,
    }
}

/// Draws the graph.
pub fn render(g: &StateGraph, layout: &Layout, id: &str) -> String {
    let legend_w = 760.0;
    let width = layout.width.max(legend_w);
    let height = layout.height + LEGEND_H;
    let mut svg = Svg::new(
        id,
        width,
        height,
        "State graph: the status quo, the equilibria and the moves between them",
    );
    // Edges first, under the boxes; labels last, above everything.
    let mut labels = Vec::new();
    for e in &g.edges {
        let (Some(&(x1, y1)), Some(&(x2, y2))) =
            (layout.centers.get(e.from), layout.centers.get(e.to))
        else {
            continue;
        };
        let (w1, _) = layout.sizes[e.from];
        let (w2, _) = layout.sizes[e.to];
        let c = color(e.dm);
        let dash = if e.improvement {
            ""
        } else {
            r#" stroke-dasharray="7 5""#
        };
        let (sx, ex) = if x2 >= x1 {
            (x1 + w1 / 2.0, x2 - w2 / 2.0)
        } else {
            (x1 - w1 / 2.0, x2 + w2 / 2.0)
        };
        let d = if (x2 - x1).abs() < 1.0 {
            // Same column: bow out to the right.
            let bx = x1 + w1 / 2.0 + 60.0;
            format!(
                "M{},{} C{},{} {},{} {},{}",
                n(sx),
                n(y1),
                n(bx),
                n(y1),
                n(bx),
                n(y2),
                n(x1 + w1 / 2.0),
                n(y2)
            )
        } else {
            let mx = (sx + ex) / 2.0;
            format!(
                "M{},{} C{},{} {},{} {},{}",
                n(sx),
                n(y1),
                n(mx),
                n(y1),
                n(mx),
                n(y2),
                n(ex),
                n(y2)
            )
        };
        let marker = svg.arrow(c);
        svg.path(
            &d,
            &format!(r#"fill="none" stroke="{c}" stroke-width="2.2"{dash} marker-end="{marker}""#),
        );
        let who = g.dms.get(e.dm).map_or("", String::as_str);
        let (lx, ly) = if (x2 - x1).abs() < 1.0 {
            (x1 + w1 / 2.0 + 60.0, (y1 + y2) / 2.0)
        } else {
            ((sx + ex) / 2.0, (y1 + y2) / 2.0)
        };
        let lines: Vec<String> = edge_lines(e, who)
            .iter()
            .flat_map(|l| wrap_px(l, 11.0, GAP_X - 30.0))
            .collect();
        labels.push((lx, ly, e.dm, lines));
    }
    // Nudge labels in the same gap apart vertically.
    labels.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (lx, ly, dm, lines) in &labels {
        let w = lines
            .iter()
            .map(|l| text_width(l, 11.0))
            .fold(0.0, f64::max)
            + 12.0;
        let h = lines.len() as f64 * 13.0 + 6.0;
        let mut top = ly - h / 2.0;
        for &(px, py, pw, ph) in &placed {
            let overlap_x = (lx - px).abs() < (w + pw) / 2.0;
            if overlap_x && top < py + ph && top + h > py {
                top = py + ph + 4.0;
            }
        }
        placed.push((*lx, top, w, h));
        svg.rect(
            lx - w / 2.0,
            top,
            w,
            h,
            &format!(
                r#"rx="4" fill="white" fill-opacity="0.94" stroke="{}" stroke-width="1""#,
                color(*dm)
            ),
        );
        for (k, l) in lines.iter().enumerate() {
            let weight = if k == 0 { r#" font-weight="700""# } else { "" };
            svg.text(
                *lx,
                top + 14.0 + k as f64 * 13.0,
                l,
                &format!(
                    r#"font-size="11" text-anchor="middle" fill="{}"{weight}"#,
                    if k == 0 { color(*dm) } else { "#1d2433" },
                ),
            );
        }
    }
    // Boxes.
    for (i, node) in g.nodes.iter().enumerate() {
        let (cx, cy) = layout.centers[i];
        let (w, h) = layout.sizes[i];
        let (x, y) = (cx - w / 2.0, cy - h / 2.0);
        let t = node_text(node, &g.dms);
        let fill = if node.strong {
            "#d9f0e3"
        } else if node.equilibrium {
            "#eef8f1"
        } else {
            "#ffffff"
        };
        let (stroke, sw) = if node.status_quo {
            ("#1d2433", 3.0)
        } else if node.equilibrium {
            ("#2e8b57", 1.5)
        } else {
            ("#9aa3b2", 1.0)
        };
        svg.group(&node.tooltip, r#"class="state""#);
        svg.rect(
            x,
            y,
            w,
            h,
            &format!(r#"rx="7" fill="{fill}" stroke="{stroke}" stroke-width="{sw}""#),
        );
        for (k, h) in t.header.iter().enumerate() {
            svg.text(
                x + 10.0,
                y + 18.0 + k as f64 * LINE,
                h,
                r##"font-size="12" font-weight="700" fill="#1d2433""##,
            );
        }
        let body = y + 18.0 + t.header.len() as f64 * LINE + 4.0;
        for (k, (dm, l)) in t.lines.iter().enumerate() {
            let fill = dm.map_or("#6b7385", color);
            let indent = if l.starts_with(' ') { 22.0 } else { 10.0 };
            svg.text(
                x + indent,
                body + k as f64 * LINE,
                l.trim_start(),
                &format!(r#"font-size="12" fill="{fill}""#),
            );
        }
        svg.end_group();
    }
    legend(&mut svg, 10.0, layout.height + 8.0, g);
    svg.finish()
}

fn legend(svg: &mut Svg, x: f64, y: f64, g: &StateGraph) {
    svg.rect(
        x,
        y,
        30.0,
        18.0,
        r##"rx="4" fill="#fff" stroke="#1d2433" stroke-width="3""##,
    );
    svg.text(
        x + 38.0,
        y + 13.0,
        "today (status quo)",
        r#"font-size="12""#,
    );
    svg.rect(
        x + 170.0,
        y,
        30.0,
        18.0,
        r##"rx="4" fill="#d9f0e3" stroke="#2e8b57" stroke-width="1.5""##,
    );
    svg.text(
        x + 208.0,
        y + 13.0,
        "stable under every concept",
        r#"font-size="12""#,
    );
    svg.rect(
        x + 390.0,
        y,
        30.0,
        18.0,
        r##"rx="4" fill="#eef8f1" stroke="#2e8b57" stroke-width="1.5""##,
    );
    svg.text(
        x + 428.0,
        y + 13.0,
        "stable under some concepts",
        r#"font-size="12""#,
    );
    let y2 = y + 30.0;
    svg.line(
        x,
        y2 + 6.0,
        x + 30.0,
        y2 + 6.0,
        r##"stroke="#1d2433" stroke-width="2.2""##,
    );
    svg.text(
        x + 38.0,
        y2 + 10.0,
        "a move that pays off for the side making it",
        r#"font-size="12""#,
    );
    svg.line(
        x + 330.0,
        y2 + 6.0,
        x + 360.0,
        y2 + 6.0,
        r##"stroke="#1d2433" stroke-width="2.2" stroke-dasharray="7 5""##,
    );
    svg.text(
        x + 368.0,
        y2 + 10.0,
        "a move that costs the side making it",
        r#"font-size="12""#,
    );
    let y3 = y2 + 22.0;
    let mut cx = x;
    svg.text(cx, y3 + 10.0, "Who moves:", r#"font-size="12""#);
    cx += text_width("Who moves:", 12.0) + 10.0;
    for (i, d) in g.dms.iter().enumerate() {
        svg.rect(cx, y3, 12.0, 12.0, &format!(r#"fill="{}""#, color(i)));
        svg.text(cx + 16.0, y3 + 10.0, d, r#"font-size="12""#);
        cx += 16.0 + text_width(d, 12.0) + 18.0;
    }
    if g.omitted > 0 {
        svg.text(
            cx + 10.0,
            y3 + 10.0,
            &format!("{} other feasible states are not drawn", g.omitted),
            r##"font-size="12" fill="#5b6475""##,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StateGraph {
        let node = |key: &str, sq: bool| GraphNode {
            key: key.into(),
            header: key.into(),
            taken: vec![(0, "Talk".into())],
            status_quo: sq,
            strong: !sq,
            equilibrium: true,
            tooltip: key.into(),
        };
        StateGraph {
            dms: vec!["A".into(), "B".into()],
            nodes: vec![node("NN", true), node("YN", false), node("YY", false)],
            edges: vec![
                GraphEdge {
                    from: 0,
                    to: 1,
                    dm: 0,
                    takes: vec!["x".into()],
                    drops: vec![],
                    improvement: true,
                },
                GraphEdge {
                    from: 1,
                    to: 2,
                    dm: 1,
                    takes: vec![],
                    drops: vec!["y \"q\"".into()],
                    improvement: false,
                },
            ],
            omitted: 0,
        }
    }

    #[test]
    fn layers_follow_the_paths_from_the_status_quo() {
        let g = sample();
        let l = layered(&g);
        assert!(l.centers[0].0 < l.centers[1].0);
        assert!(l.centers[1].0 < l.centers[2].0);
        let svg = render(&g, &l, "g");
        assert!(svg.contains("stroke-dasharray"));
        assert!(svg.starts_with("<svg"));
    }

    #[test]
    fn dot_is_escaped_and_plain_output_is_read_back() {
        let g = sample();
        let dot = to_dot(&g);
        assert!(dot.contains("n0 -> n1"));
        assert!(dot.contains("y \\\"q\\\""));
        let plain = "graph 1 10 4\nnode n0 1 2 2.9 1 x\nnode n1 4 2 2.9 1 x\nnode n2 7 1 2.9 1 x\nedge n0 n1 4 0 0 0 0 0 0 0 0 solid black\nstop\n";
        let l = parse_plain(&g, plain).unwrap();
        assert_eq!(l.centers[0], (MARGIN + 72.0, MARGIN + 144.0));
        assert!(parse_plain(&g, "graph 1 1 1\nnode n0 1 1 1 1\n").is_none());
    }
}
