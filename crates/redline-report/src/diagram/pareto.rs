//! The deal space of two parties: every possible agreement as a dot (utility of party 1 across,
//! party 2 up), the zone of possible agreement highlighted, the efficient frontier, the bargaining
//! solutions, the walk-away point, today and the phased plan's steps.

use super::svg::{Svg, color, n};

/// What the plot shows. Utilities are in [0, 1].
#[derive(Debug, Clone, Default)]
pub struct ParetoPlot {
    /// Party names: across, up.
    pub parties: [String; 2],
    /// Distinct outcome points (binned), with whether they lie in the ZOPA.
    pub cloud: Vec<(f64, f64, bool)>,
    /// How many outcomes the dots stand for.
    pub outcome_count: u64,
    /// The frontier of the ZOPA, sorted by the first party's utility.
    pub frontier: Vec<(f64, f64)>,
    /// The frontier over every outcome.
    pub frontier_all: Vec<(f64, f64)>,
    /// The reservation values (walk-away point).
    pub reservation: (f64, f64),
    /// Named solutions; several names at one point are drawn once.
    pub solutions: Vec<(String, (f64, f64))>,
    /// Today's outcome, when the scenario gives one.
    pub status_quo: Option<(f64, f64)>,
    /// The phased plan's points after each phase.
    pub plan: Vec<(f64, f64)>,
}

const PLOT: f64 = 470.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 20.0;

/// Draws the plot.
pub fn render(p: &ParetoPlot, id: &str) -> String {
    let legend_x = LEFT + PLOT + 30.0;
    let width = legend_x + 330.0;
    let height = TOP + PLOT + 60.0;
    let mut svg = Svg::new(
        id,
        width,
        height,
        &format!(
            "Deal space: utility of {} against utility of {}",
            p.parties[0], p.parties[1]
        ),
    );
    let sx = |u: f64| LEFT + u.clamp(0.0, 1.0) * PLOT;
    let sy = |u: f64| TOP + (1.0 - u.clamp(0.0, 1.0)) * PLOT;
    // Acceptable region by reservation values.
    let (rx, ry) = p.reservation;
    svg.rect(
        sx(rx),
        sy(1.0),
        sx(1.0) - sx(rx),
        sy(ry) - sy(1.0),
        r##"fill="#eef8f1""##,
    );
    // Grid and axes.
    for k in 0..=10 {
        let u = k as f64 / 10.0;
        let style = if k % 5 == 0 {
            r##"stroke="#c9ced8" stroke-width="1""##
        } else {
            r##"stroke="#e6e9ef" stroke-width="1""##
        };
        svg.line(sx(u), sy(0.0), sx(u), sy(1.0), style);
        svg.line(sx(0.0), sy(u), sx(1.0), sy(u), style);
        if k % 2 == 0 {
            svg.text(
                sx(u),
                sy(0.0) + 16.0,
                &format!("{u:.1}"),
                r##"font-size="11" text-anchor="middle" fill="#5b6475""##,
            );
            svg.text(
                sx(0.0) - 6.0,
                sy(u) + 4.0,
                &format!("{u:.1}"),
                r##"font-size="11" text-anchor="end" fill="#5b6475""##,
            );
        }
    }
    svg.rect(
        sx(0.0),
        sy(1.0),
        PLOT,
        PLOT,
        r##"fill="none" stroke="#1d2433" stroke-width="1""##,
    );
    svg.text(
        sx(0.5),
        sy(0.0) + 36.0,
        &format!("utility for {} →", p.parties[0]),
        &format!(
            r#"font-size="13" font-weight="700" text-anchor="middle" fill="{}""#,
            color(0)
        ),
    );
    svg.raw(&format!(
        r#"<text transform="translate({},{}) rotate(-90)" font-size="13" font-weight="700" text-anchor="middle" fill="{}">utility for {} →</text>"#,
        n(LEFT - 40.0),
        n(sy(0.5)),
        color(1),
        crate::render::html::escape(&p.parties[1])
    ));
    // Reservation lines.
    let dash = r##"stroke="#5b6475" stroke-width="1.2" stroke-dasharray="4 4""##;
    svg.line(sx(rx), sy(0.0), sx(rx), sy(1.0), dash);
    svg.line(sx(0.0), sy(ry), sx(1.0), sy(ry), dash);
    // Dots.
    let mut dots = String::new();
    for &(x, y, _) in p.cloud.iter().filter(|c| !c.2) {
        dots.push_str(&format!(
            r#"<circle cx="{}" cy="{}" r="2.2"/>"#,
            n(sx(x)),
            n(sy(y))
        ));
    }
    svg.raw(&format!(
        r##"<g fill="#9aa3b2" fill-opacity="0.45">{dots}</g>"##
    ));
    let mut zdots = String::new();
    for &(x, y, _) in p.cloud.iter().filter(|c| c.2) {
        zdots.push_str(&format!(
            r#"<circle cx="{}" cy="{}" r="2.6"/>"#,
            n(sx(x)),
            n(sy(y))
        ));
    }
    svg.raw(&format!(
        r##"<g fill="#2e8b57" fill-opacity="0.55">{zdots}</g>"##
    ));
    // Frontiers.
    if p.frontier_all.len() > 1 {
        svg.path(
            &polyline(&p.frontier_all, &sx, &sy),
            r##"fill="none" stroke="#9aa3b2" stroke-width="1.5" stroke-dasharray="5 4""##,
        );
    }
    if !p.frontier.is_empty() {
        svg.path(
            &polyline(&p.frontier, &sx, &sy),
            r##"fill="none" stroke="#1b5e3b" stroke-width="2.4""##,
        );
        for &(x, y) in &p.frontier {
            svg.circle(sx(x), sy(y), 3.2, r##"fill="#1b5e3b""##);
        }
    }
    // Plan path.
    if let Some(sq) = p.status_quo {
        if !p.plan.is_empty() {
            let mut pts = vec![sq];
            pts.extend(p.plan.iter().copied());
            let marker = svg.arrow("#d4820f");
            for w in pts.windows(2) {
                svg.line(
                    sx(w[0].0),
                    sy(w[0].1),
                    sx(w[1].0),
                    sy(w[1].1),
                    &format!(r##"stroke="#d4820f" stroke-width="2" marker-end="{marker}""##),
                );
            }
            for (k, &(x, y)) in p.plan.iter().enumerate() {
                svg.text(
                    sx(x) + 7.0,
                    sy(y) + 14.0,
                    &format!("{}", k + 1),
                    r##"font-size="11" font-weight="700" fill="#a35f00""##,
                );
            }
        }
        svg.group("today (status quo)", "");
        svg.rect(
            sx(sq.0) - 5.0,
            sy(sq.1) - 5.0,
            10.0,
            10.0,
            r##"fill="#d4820f" stroke="#1d2433" stroke-width="1""##,
        );
        svg.end_group();
    }
    // Reservation point.
    svg.group("walk-away point (reservation values)", "");
    svg.path(
        &format!(
            "M{},{} l10,10 m0,-10 l-10,10",
            n(sx(rx) - 5.0),
            n(sy(ry) - 5.0)
        ),
        r##"stroke="#1d2433" stroke-width="2.2""##,
    );
    svg.end_group();
    // Solutions, grouped by point.
    let groups = group_points(&p.solutions);
    let shapes = ["star", "diamond", "triangle", "square"];
    for (k, (names, (x, y))) in groups.iter().enumerate() {
        svg.group(&format!("{} ({:.2}, {:.2})", names.join(", "), x, y), "");
        marker_shape(&mut svg, shapes[k % shapes.len()], sx(*x), sy(*y), 7.5);
        svg.end_group();
    }
    // Legend.
    let mut ly = TOP + 10.0;
    let lx = legend_x;
    let item = |svg: &mut Svg, ly: f64, text: &str| {
        svg.text(lx + 26.0, ly + 4.0, text, r#"font-size="12""#);
    };
    svg.circle(lx + 10.0, ly, 3.0, r##"fill="#9aa3b2""##);
    item(
        &mut svg,
        ly,
        &format!(
            "a possible agreement ({} in all)",
            crate::words::group_thousands(p.outcome_count)
        ),
    );
    ly += 22.0;
    svg.circle(lx + 10.0, ly, 3.0, r##"fill="#2e8b57""##);
    let any_zopa = p.cloud.iter().any(|c| c.2) || !p.frontier.is_empty();
    item(
        &mut svg,
        ly,
        if any_zopa {
            "acceptable to both (the ZOPA)"
        } else {
            "acceptable to both (the ZOPA): none"
        },
    );
    ly += 22.0;
    if !p.frontier.is_empty() {
        svg.line(
            lx,
            ly,
            lx + 20.0,
            ly,
            r##"stroke="#1b5e3b" stroke-width="2.4""##,
        );
        item(&mut svg, ly, "efficient acceptable deals (frontier)");
        ly += 22.0;
    }
    svg.line(
        lx,
        ly,
        lx + 20.0,
        ly,
        r##"stroke="#9aa3b2" stroke-width="1.5" stroke-dasharray="5 4""##,
    );
    item(&mut svg, ly, "frontier of all outcomes");
    ly += 22.0;
    svg.path(
        &format!("M{},{} l10,10 m0,-10 l-10,10", n(lx + 5.0), n(ly - 5.0)),
        r##"stroke="#1d2433" stroke-width="2.2""##,
    );
    item(&mut svg, ly, "walk-away point (reservations)");
    ly += 22.0;
    svg.rect(lx + 2.0, ly - 8.0, 16.0, 16.0, r##"fill="#eef8f1""##);
    item(&mut svg, ly, "both above their walk-away values");
    ly += 22.0;
    if p.status_quo.is_some() {
        svg.rect(
            lx + 5.0,
            ly - 5.0,
            10.0,
            10.0,
            r##"fill="#d4820f" stroke="#1d2433" stroke-width="1""##,
        );
        item(&mut svg, ly, "today (status quo)");
        ly += 22.0;
        if !p.plan.is_empty() {
            svg.line(
                lx,
                ly,
                lx + 20.0,
                ly,
                r##"stroke="#d4820f" stroke-width="2""##,
            );
            item(&mut svg, ly, "phased plan, phase by phase");
            ly += 22.0;
        }
    }
    for (k, (names, (x, y))) in groups.iter().enumerate() {
        marker_shape(&mut svg, shapes[k % shapes.len()], lx + 10.0, ly, 7.0);
        let label = format!("{} ({:.2}, {:.2})", names.join(" = "), x, y);
        let lines = super::svg::wrap_px(&label, 12.0, 295.0);
        for (j, l) in lines.iter().enumerate() {
            svg.text(
                lx + 26.0,
                ly + 4.0 + j as f64 * 15.0,
                l,
                r#"font-size="12""#,
            );
        }
        ly += 7.0 + 15.0 * lines.len() as f64;
    }
    svg.finish()
}

fn polyline(points: &[(f64, f64)], sx: &dyn Fn(f64) -> f64, sy: &dyn Fn(f64) -> f64) -> String {
    let mut pts = points.to_vec();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let mut d = String::new();
    for (k, (x, y)) in pts.iter().enumerate() {
        d.push_str(&format!(
            "{}{},{} ",
            if k == 0 { "M" } else { "L" },
            n(sx(*x)),
            n(sy(*y))
        ));
    }
    d.trim_end().to_string()
}

fn group_points(sol: &[(String, (f64, f64))]) -> Vec<(Vec<String>, (f64, f64))> {
    let mut out: Vec<(Vec<String>, (f64, f64))> = Vec::new();
    for (name, pt) in sol {
        match out
            .iter_mut()
            .find(|(_, q)| (q.0 - pt.0).abs() < 1e-9 && (q.1 - pt.1).abs() < 1e-9)
        {
            Some((names, _)) => names.push(name.clone()),
            None => out.push((vec![name.clone()], *pt)),
        }
    }
    out
}

fn marker_shape(svg: &mut Svg, shape: &str, x: f64, y: f64, r: f64) {
    let style = r##"fill="#7b52ab" stroke="#ffffff" stroke-width="1.2""##;
    match shape {
        "star" => {
            let mut d = String::new();
            for k in 0..10 {
                let a = std::f64::consts::PI * (k as f64) / 5.0 - std::f64::consts::FRAC_PI_2;
                let rr = if k % 2 == 0 { r * 1.35 } else { r * 0.6 };
                d.push_str(&format!(
                    "{}{},{} ",
                    if k == 0 { "M" } else { "L" },
                    n(x + rr * a.cos()),
                    n(y + rr * a.sin())
                ));
            }
            d.push('Z');
            svg.path(&d, style);
        }
        "diamond" => svg.path(
            &format!(
                "M{},{} L{},{} L{},{} L{},{} Z",
                n(x),
                n(y - r),
                n(x + r),
                n(y),
                n(x),
                n(y + r),
                n(x - r),
                n(y)
            ),
            style,
        ),
        "triangle" => svg.path(
            &format!(
                "M{},{} L{},{} L{},{} Z",
                n(x),
                n(y - r),
                n(x + r),
                n(y + r * 0.8),
                n(x - r),
                n(y + r * 0.8)
            ),
            style,
        ),
        _ => svg.rect(x - r * 0.8, y - r * 0.8, r * 1.6, r * 1.6, style),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coinciding_solutions_are_drawn_once() {
        let g = group_points(&[
            ("Nash".into(), (0.5, 0.5)),
            ("KS".into(), (0.5, 0.5)),
            ("Egalitarian".into(), (0.4, 0.6)),
        ]);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].0, vec!["Nash".to_string(), "KS".to_string()]);
    }
}
