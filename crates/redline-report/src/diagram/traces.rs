//! Negotiation traces: for each modelled negotiation, a small chart of utility over rounds.

use super::svg::{Svg, color, n, text_width};

/// Charts side by side, sharing party colours.
#[derive(Debug, Clone, Default)]
pub struct TraceChart {
    /// Party names.
    pub parties: Vec<String>,
    /// Walk-away values, per party.
    pub reservations: Vec<f64>,
    /// One panel per negotiation.
    pub panels: Vec<TracePanel>,
}

/// One negotiation.
#[derive(Debug, Clone, Default)]
pub struct TracePanel {
    /// Title (`Alternating offers · Boulware`).
    pub title: String,
    /// How it ended, in a few words.
    pub subtitle: String,
    /// The deadline.
    pub rounds: u32,
    /// Lines and dots.
    pub series: Vec<Series>,
    /// Where it ended: the round and each party's utility of the agreement.
    pub agreement: Option<(f64, Vec<f64>)>,
}

/// One series of points (round, utility).
#[derive(Debug, Clone, Default)]
pub struct Series {
    /// The party whose utility is plotted (its colour).
    pub party: usize,
    /// How it is drawn.
    pub style: SeriesStyle,
    /// The points.
    pub points: Vec<(f64, f64)>,
}

/// How a series is drawn.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SeriesStyle {
    /// A solid line: a party's own offers, or the adopted single text.
    #[default]
    Solid,
    /// A dashed line: the other side's offers as this party sees them.
    Dashed,
    /// Faint dots: proposals.
    Dots,
}

const PW: f64 = 340.0;
const PH: f64 = 190.0;
const PAD_L: f64 = 44.0;
const PAD_T: f64 = 46.0;
const PAD_B: f64 = 38.0;
const GAP: f64 = 26.0;

/// Draws the panels, two to a row.
pub fn render(c: &TraceChart, id: &str, key: &[(SeriesStyle, &str)]) -> String {
    let cols = c.panels.len().clamp(1, 2);
    let rows = c.panels.len().div_ceil(2).max(1);
    let cell_w = PAD_L + PW + GAP;
    let cell_h = PAD_T + PH + PAD_B;
    let width = 10.0 + cols as f64 * cell_w + 10.0;
    let height = 10.0 + rows as f64 * cell_h + 62.0;
    let mut svg = Svg::new(
        id,
        width.max(600.0),
        height,
        "Negotiation traces: utility of the offers over rounds",
    );
    for (k, p) in c.panels.iter().enumerate() {
        let ox = 10.0 + (k % 2) as f64 * cell_w + PAD_L;
        let oy = 10.0 + (k / 2) as f64 * cell_h + PAD_T;
        let rounds = p.rounds.max(1) as f64;
        let sx = |r: f64| ox + (r - 1.0).max(0.0) / (rounds - 1.0).max(1.0) * PW;
        let sy = |u: f64| oy + (1.0 - u.clamp(0.0, 1.0)) * PH;
        svg.text(
            ox,
            oy - 26.0,
            &p.title,
            r#"font-size="13" font-weight="700""#,
        );
        svg.text(
            ox,
            oy - 10.0,
            &p.subtitle,
            r##"font-size="11" fill="#5b6475""##,
        );
        svg.rect(
            ox,
            oy,
            PW,
            PH,
            r##"fill="#fbfcfd" stroke="#c9ced8" stroke-width="1""##,
        );
        for k in 0..=4 {
            let u = k as f64 / 4.0;
            svg.line(
                ox,
                sy(u),
                ox + PW,
                sy(u),
                r##"stroke="#e6e9ef" stroke-width="1""##,
            );
            svg.text(
                ox - 5.0,
                sy(u) + 4.0,
                &format!("{u:.2}"),
                r##"font-size="10" text-anchor="end" fill="#5b6475""##,
            );
        }
        for (i, &r) in c.reservations.iter().enumerate() {
            svg.line(
                ox,
                sy(r),
                ox + PW,
                sy(r),
                &format!(
                    r#"stroke="{}" stroke-width="1" stroke-dasharray="2 3" stroke-opacity="0.7""#,
                    color(i)
                ),
            );
        }
        let ticks = [1.0, (rounds / 2.0).round(), rounds];
        for t in ticks {
            svg.text(
                sx(t),
                oy + PH + 14.0,
                &format!("{t}"),
                r##"font-size="10" text-anchor="middle" fill="#5b6475""##,
            );
        }
        svg.text(
            ox + PW / 2.0,
            oy + PH + 28.0,
            "round",
            r##"font-size="11" text-anchor="middle" fill="#5b6475""##,
        );
        for s in &p.series {
            let col = color(s.party);
            match s.style {
                SeriesStyle::Dots => {
                    let mut g = String::new();
                    for &(r, u) in &s.points {
                        g.push_str(&format!(
                            r#"<circle cx="{}" cy="{}" r="1.6"/>"#,
                            n(sx(r)),
                            n(sy(u))
                        ));
                    }
                    svg.raw(&format!(r#"<g fill="{col}" fill-opacity="0.3">{g}</g>"#));
                }
                style => {
                    if s.points.is_empty() {
                        continue;
                    }
                    let mut d = String::new();
                    for (j, &(r, u)) in s.points.iter().enumerate() {
                        d.push_str(&format!(
                            "{}{},{} ",
                            if j == 0 { "M" } else { "L" },
                            n(sx(r)),
                            n(sy(u))
                        ));
                    }
                    let dash = if style == SeriesStyle::Dashed {
                        r#" stroke-dasharray="5 3" stroke-opacity="0.75""#
                    } else {
                        ""
                    };
                    svg.path(
                        d.trim_end(),
                        &format!(r#"fill="none" stroke="{col}" stroke-width="2"{dash}"#),
                    );
                }
            }
        }
        if let Some((r, us)) = &p.agreement {
            for (i, &u) in us.iter().enumerate() {
                svg.group(
                    &format!(
                        "agreement in round {r}: {} gets {u:.2}",
                        c.parties.get(i).map_or("", String::as_str)
                    ),
                    "",
                );
                svg.circle(
                    sx(*r),
                    sy(u),
                    5.0,
                    &format!(
                        r##"fill="{}" stroke="#1d2433" stroke-width="1.5""##,
                        color(i)
                    ),
                );
                svg.end_group();
            }
        }
    }
    // Key, wrapped onto as many rows as it needs.
    let mut items: Vec<(String, String)> = Vec::new();
    for (i, p) in c.parties.iter().enumerate() {
        items.push((format!("party:{i}"), p.clone()));
    }
    for (style, text) in key {
        items.push((format!("{style:?}"), text.to_string()));
    }
    items.push(("agreement".into(), "agreement".into()));
    items.push((
        "reservation".into(),
        "walk-away value (in the party's colour)".into(),
    ));
    let x0 = 10.0 + PAD_L;
    let mut kx = x0;
    let mut ky = height - 38.0;
    for (kind, text) in &items {
        let w = 28.0 + text_width(text, 12.0) + 18.0;
        if kx + w > width - 10.0 && kx > x0 {
            kx = x0;
            ky += 18.0;
        }
        match kind.as_str() {
            k if k.starts_with("party:") => {
                let i: usize = k[6..].parse().unwrap_or(0);
                svg.rect(
                    kx + 6.0,
                    ky - 9.0,
                    12.0,
                    12.0,
                    &format!(r#"fill="{}""#, color(i)),
                );
            }
            "Solid" => svg.line(
                kx,
                ky - 3.0,
                kx + 22.0,
                ky - 3.0,
                r##"stroke="#1d2433" stroke-width="2""##,
            ),
            "Dashed" => svg.line(
                kx,
                ky - 3.0,
                kx + 22.0,
                ky - 3.0,
                r##"stroke="#1d2433" stroke-width="2" stroke-dasharray="5 3""##,
            ),
            "Dots" => svg.line(
                kx,
                ky - 3.0,
                kx + 22.0,
                ky - 3.0,
                r##"stroke="#9aa3b2" stroke-width="3" stroke-dasharray="1 4""##,
            ),
            "agreement" => svg.circle(
                kx + 11.0,
                ky - 3.0,
                5.0,
                r##"fill="#ffffff" stroke="#1d2433" stroke-width="1.5""##,
            ),
            _ => svg.line(
                kx,
                ky - 3.0,
                kx + 22.0,
                ky - 3.0,
                r##"stroke="#5b6475" stroke-width="1" stroke-dasharray="2 3""##,
            ),
        }
        svg.text(kx + 28.0, ky + 1.0, text, r#"font-size="12""#);
        kx += w;
    }
    svg.finish()
}
