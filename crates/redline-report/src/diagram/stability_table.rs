//! The stability table: one row per state, how much each decision maker likes it, and under each
//! solution concept whether each decision maker would stay (filled square) or leave (empty).

use super::svg::{Svg, color, text_width, wrap_px};

/// What the table shows.
#[derive(Debug, Clone, Default)]
pub struct StabilityTable {
    /// Decision makers' names.
    pub dms: Vec<String>,
    /// Concept names (`Nash`, `GMR`, …).
    pub concepts: Vec<String>,
    /// The highest payoff rank of each decision maker (its favourite state).
    pub max_payoff: Vec<u32>,
    /// Rows.
    pub rows: Vec<TableRow>,
    /// Rows left out, for the footnote.
    pub omitted: usize,
}

/// One state.
#[derive(Debug, Clone, Default)]
pub struct TableRow {
    /// What the state is, in words.
    pub label: String,
    /// The status quo.
    pub status_quo: bool,
    /// Payoff rank per decision maker (1 the worst).
    pub payoff: Vec<u32>,
    /// `stable[concept][dm]`.
    pub stable: Vec<Vec<bool>>,
    /// Per concept: stable for every decision maker.
    pub equilibrium: Vec<bool>,
}

const LABEL_W: f64 = 340.0;
const MIN_BAR_W: f64 = 86.0;
const CELL_W: f64 = 64.0;
const HEAD_H: f64 = 46.0;

/// Draws the table.
pub fn render(t: &StabilityTable, id: &str) -> String {
    let bar_w = t
        .dms
        .iter()
        .map(|d| text_width(d, 12.0) * 1.1 + 14.0)
        .fold(MIN_BAR_W, f64::max);
    let row_lines: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            let size = if r.status_quo { 13.2 } else { 12.0 };
            wrap_px(&r.label, size, LABEL_W - 16.0)
        })
        .collect();
    let row_h: Vec<f64> = row_lines
        .iter()
        .map(|l| (l.len() as f64 * 15.0 + 10.0).max(26.0))
        .collect();
    let width = LABEL_W + t.dms.len() as f64 * bar_w + t.concepts.len() as f64 * CELL_W + 34.0;
    let body_h: f64 = row_h.iter().sum();
    let height = HEAD_H + body_h + 58.0;
    let mut svg = Svg::new(
        id,
        width,
        height,
        "Stability table: for each state, each side's ranking and stability under each concept",
    );
    let x0 = 10.0;
    // Header.
    svg.text(
        x0 + 6.0,
        HEAD_H - 10.0,
        "State (options taken)",
        r#"font-size="12" font-weight="700""#,
    );
    for (i, d) in t.dms.iter().enumerate() {
        let x = x0 + LABEL_W + i as f64 * bar_w;
        svg.text(
            x + 4.0,
            HEAD_H - 24.0,
            d,
            &format!(r#"font-size="12" font-weight="700" fill="{}""#, color(i)),
        );
        svg.text(
            x + 4.0,
            HEAD_H - 10.0,
            "ranking",
            r##"font-size="11" fill="#5b6475""##,
        );
    }
    for (k, c) in t.concepts.iter().enumerate() {
        let x = x0 + LABEL_W + t.dms.len() as f64 * bar_w + k as f64 * CELL_W + CELL_W / 2.0;
        svg.text(
            x,
            HEAD_H - 10.0,
            c,
            r#"font-size="12" font-weight="700" text-anchor="middle""#,
        );
    }
    svg.line(
        x0,
        HEAD_H - 2.0,
        width - 10.0,
        HEAD_H - 2.0,
        r##"stroke="#1d2433" stroke-width="1.5""##,
    );
    let mut y = HEAD_H;
    for (r, row) in t.rows.iter().enumerate() {
        let h = row_h[r];
        if row.status_quo {
            svg.rect(x0, y, width - 20.0, h, r##"fill="#fff6d6" stroke="none""##);
        } else if r % 2 == 1 {
            svg.rect(x0, y, width - 20.0, h, r##"fill="#f5f7fa" stroke="none""##);
        }
        for (k, l) in row_lines[r].iter().enumerate() {
            let weight = if row.status_quo {
                r#" font-weight="700""#
            } else {
                ""
            };
            svg.text(
                x0 + 6.0,
                y + 17.0 + k as f64 * 15.0,
                l,
                &format!(r#"font-size="12"{weight}"#),
            );
        }
        for (i, &p) in row.payoff.iter().enumerate() {
            let x = x0 + LABEL_W + i as f64 * bar_w;
            let max = t.max_payoff.get(i).copied().unwrap_or(1).max(1) as f64;
            let frac = p as f64 / max;
            svg.rect(
                x + 4.0,
                y + h / 2.0 - 6.0,
                bar_w - 34.0,
                12.0,
                r##"fill="#e6e9ef""##,
            );
            svg.rect(
                x + 4.0,
                y + h / 2.0 - 6.0,
                (bar_w - 34.0) * frac,
                12.0,
                &format!(r#"fill="{}""#, color(i)),
            );
            svg.group(
                &format!(
                    "{}: rank {p} of {} (higher is better)",
                    t.dms[i], max as u32
                ),
                "",
            );
            svg.text(
                x + bar_w - 26.0,
                y + h / 2.0 + 4.0,
                &p.to_string(),
                r##"font-size="11" fill="#5b6475""##,
            );
            svg.end_group();
        }
        for (k, eq) in row.equilibrium.iter().enumerate() {
            let cx = x0 + LABEL_W + t.dms.len() as f64 * bar_w + k as f64 * CELL_W + CELL_W / 2.0;
            let n = t.dms.len() as f64;
            let sq = 10.0;
            let total = n * sq + (n - 1.0) * 3.0;
            if *eq {
                svg.rect(
                    cx - total / 2.0 - 5.0,
                    y + h / 2.0 - 10.0,
                    total + 10.0,
                    20.0,
                    r##"rx="5" fill="#d9f0e3" stroke="#2e8b57" stroke-width="1.2""##,
                );
            }
            let stayers: Vec<&str> = t
                .dms
                .iter()
                .enumerate()
                .filter(|(i, _)| row.stable[k].get(*i).copied().unwrap_or(false))
                .map(|(_, d)| d.as_str())
                .collect();
            svg.group(
                &format!(
                    "{}: {}",
                    t.concepts[k],
                    if *eq {
                        "an equilibrium (every side stays)".to_string()
                    } else if stayers.is_empty() {
                        "every side would leave".to_string()
                    } else {
                        format!("only {} would stay", crate::words::and_list(&stayers))
                    }
                ),
                "",
            );
            for i in 0..t.dms.len() {
                let x = cx - total / 2.0 + i as f64 * (sq + 3.0);
                let stays = row.stable[k].get(i).copied().unwrap_or(false);
                let fill = if stays { color(i) } else { "white" };
                svg.rect(
                    x,
                    y + h / 2.0 - sq / 2.0,
                    sq,
                    sq,
                    &format!(r#"fill="{fill}" stroke="{}" stroke-width="1.3""#, color(i)),
                );
            }
            svg.end_group();
        }
        y += h;
    }
    svg.line(
        x0,
        y,
        width - 10.0,
        y,
        r##"stroke="#1d2433" stroke-width="1""##,
    );
    // Key.
    let ky = y + 20.0;
    let mut kx = x0;
    svg.rect(kx, ky - 9.0, 10.0, 10.0, r##"fill="#5b6475""##);
    kx += 14.0;
    let t1 = "this side stays (it cannot gain by leaving alone)";
    svg.text(kx, ky, t1, r#"font-size="12""#);
    kx += text_width(t1, 12.0) + 20.0;
    svg.rect(
        kx,
        ky - 9.0,
        10.0,
        10.0,
        r##"fill="white" stroke="#5b6475" stroke-width="1.3""##,
    );
    kx += 14.0;
    let t2 = "this side would leave";
    svg.text(kx, ky, t2, r#"font-size="12""#);
    kx += text_width(t2, 12.0) + 20.0;
    svg.rect(
        kx,
        ky - 11.0,
        26.0,
        14.0,
        r##"rx="4" fill="#d9f0e3" stroke="#2e8b57""##,
    );
    svg.text(
        kx + 32.0,
        ky,
        "equilibrium: every side stays",
        r#"font-size="12""#,
    );
    let ky2 = ky + 20.0;
    svg.rect(x0, ky2 - 10.0, 26.0, 13.0, r##"fill="#fff6d6""##);
    let mut note =
        "today (status quo). Bars: how each side ranks the state (longer is better).".to_string();
    if t.omitted > 0 {
        note.push_str(&format!(
            " {} more states are in the full table.",
            t.omitted
        ));
    }
    svg.text(x0 + 32.0, ky2, &note, r#"font-size="12""#);
    svg.finish()
}
