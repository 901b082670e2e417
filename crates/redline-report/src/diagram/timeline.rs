//! The phased plan as a timeline: today, then one card per phase with what changes, who gives and
//! who gets, and every party's utility after it against today and its walk-away value.

use super::svg::{Svg, color, text_width, wrap_px};

/// What the timeline shows.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Party names.
    pub parties: Vec<String>,
    /// Utilities today, per party.
    pub start: Vec<f64>,
    /// Walk-away values, per party.
    pub reservations: Vec<f64>,
    /// Today's value of each issue the plan moves (`Cease-fire: none`).
    pub today: Vec<String>,
    /// The phases.
    pub phases: Vec<TimelinePhase>,
}

/// One phase.
#[derive(Debug, Clone, Default)]
pub struct TimelinePhase {
    /// `Phase 1`.
    pub title: String,
    /// What changes, one line per issue (`Cease-fire: none → regional`).
    pub changes: Vec<String>,
    /// Lines saying who gives what and who gets what.
    pub moves: Vec<String>,
    /// Utilities after the phase, per party.
    pub utilities: Vec<f64>,
}

const CARD_W: f64 = 236.0;
const GAP: f64 = 30.0;
const PER_ROW: usize = 4;

/// The card's change lines (`true` for a continuation, drawn indented) and move lines.
fn card_lines(p: &TimelinePhase) -> (Vec<(bool, String)>, Vec<String>) {
    let changes = p
        .changes
        .iter()
        .flat_map(|c| {
            wrap_px(c, 12.0, CARD_W - 34.0)
                .into_iter()
                .enumerate()
                .map(|(k, l)| (k > 0, l))
                .collect::<Vec<_>>()
        })
        .collect();
    let moves = p
        .moves
        .iter()
        .flat_map(|c| wrap_px(c, 11.0, CARD_W - 20.0))
        .collect();
    (changes, moves)
}

/// Draws the timeline.
pub fn render(t: &Timeline, id: &str) -> String {
    let today = TimelinePhase {
        title: "Today".into(),
        changes: if t.today.is_empty() {
            vec!["the status quo".into()]
        } else {
            t.today.clone()
        },
        moves: vec![],
        utilities: t.start.clone(),
    };
    let cards: Vec<&TimelinePhase> = std::iter::once(&today).chain(&t.phases).collect();
    let bars_h = t.parties.len() as f64 * 22.0 + 10.0;
    let heights: Vec<f64> = cards
        .iter()
        .map(|c| {
            let (ch, mv) = card_lines(c);
            34.0 + ch.len() as f64 * 16.0 + 6.0 + mv.len() as f64 * 14.0 + 10.0 + bars_h
        })
        .collect();
    let rows: Vec<&[f64]> = heights.chunks(PER_ROW).collect();
    let row_h: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().copied().fold(0.0, f64::max))
        .collect();
    let per_row = cards.len().min(PER_ROW);
    let width = 20.0 + per_row as f64 * (CARD_W + GAP) - GAP + 20.0;
    let height = 20.0 + row_h.iter().map(|h| h + 30.0).sum::<f64>() + 30.0;
    let mut svg = Svg::new(
        id,
        width.max(640.0),
        height,
        "Phased plan: what changes in each phase and where each party stands after it",
    );
    let mut y = 20.0;
    for (r, chunk) in cards.chunks(PER_ROW).enumerate() {
        let h = row_h[r];
        for (k, card) in chunk.iter().enumerate() {
            let idx = r * PER_ROW + k;
            let x = 20.0 + k as f64 * (CARD_W + GAP);
            let first = idx == 0;
            svg.rect(
                x,
                y,
                CARD_W,
                h,
                if first {
                    r##"rx="8" fill="#fff6d6" stroke="#c9a227" stroke-width="1.5""##
                } else {
                    r##"rx="8" fill="#ffffff" stroke="#9aa3b2" stroke-width="1.2""##
                },
            );
            svg.rect(
                x,
                y,
                CARD_W,
                28.0,
                if first {
                    r##"rx="8" fill="#f1dc8f""##
                } else {
                    r##"rx="8" fill="#dfe6f1""##
                },
            );
            svg.text(
                x + 12.0,
                y + 19.0,
                &card.title,
                r#"font-size="14" font-weight="700""#,
            );
            let (changes, moves) = card_lines(card);
            let mut ly = y + 34.0 + 12.0;
            for (cont, l) in &changes {
                let indent = if *cont { 22.0 } else { 12.0 };
                svg.text(x + indent, ly, l, r#"font-size="12""#);
                ly += 16.0;
            }
            ly += 4.0;
            for l in &moves {
                svg.text(x + 12.0, ly, l, r##"font-size="11" fill="#5b6475""##);
                ly += 14.0;
            }
            // Utility bars at the bottom of the card.
            let by = y + h - bars_h + 4.0;
            let label_w = t
                .parties
                .iter()
                .map(|p| text_width(p, 11.0))
                .fold(0.0, f64::max)
                .min(90.0)
                + 8.0;
            let bx = x + 12.0 + label_w;
            let bw = CARD_W - 24.0 - label_w - 34.0;
            for (i, p) in t.parties.iter().enumerate() {
                let yy = by + i as f64 * 22.0;
                let u = card
                    .utilities
                    .get(i)
                    .copied()
                    .unwrap_or(0.0)
                    .clamp(0.0, 1.0);
                svg.text(
                    x + 12.0,
                    yy + 11.0,
                    &crate::words::truncate(p, 14),
                    &format!(r#"font-size="11" fill="{}""#, color(i)),
                );
                svg.rect(bx, yy + 1.0, bw, 12.0, r##"fill="#e6e9ef""##);
                svg.rect(
                    bx,
                    yy + 1.0,
                    bw * u,
                    12.0,
                    &format!(r#"fill="{}""#, color(i)),
                );
                if let Some(&r) = t.reservations.get(i) {
                    let rx = bx + bw * r.clamp(0.0, 1.0);
                    svg.line(
                        rx,
                        yy - 2.0,
                        rx,
                        yy + 16.0,
                        r##"stroke="#1d2433" stroke-width="1.5" stroke-dasharray="2 2""##,
                    );
                }
                if !first && let Some(&s) = t.start.get(i) {
                    let sx = bx + bw * s.clamp(0.0, 1.0);
                    svg.line(
                        sx,
                        yy - 1.0,
                        sx,
                        yy + 15.0,
                        r##"stroke="#c9a227" stroke-width="2.5""##,
                    );
                }
                svg.text(
                    bx + bw + 4.0,
                    yy + 11.0,
                    &format!("{u:.2}"),
                    r#"font-size="11""#,
                );
            }
            // Arrow to the next card in the row.
            if k + 1 < chunk.len() {
                let ax = x + CARD_W + 4.0;
                let marker = svg.arrow("#5b6475");
                svg.line(
                    ax,
                    y + h / 2.0,
                    ax + GAP - 8.0,
                    y + h / 2.0,
                    &format!(r##"stroke="#5b6475" stroke-width="2.5" marker-end="{marker}""##),
                );
            }
        }
        y += h + 30.0;
    }
    // Key.
    let ky = y - 6.0;
    svg.line(
        20.0,
        ky - 10.0,
        20.0,
        ky + 4.0,
        r##"stroke="#1d2433" stroke-width="1.5" stroke-dasharray="2 2""##,
    );
    svg.text(28.0, ky, "walk-away value", r#"font-size="12""#);
    svg.line(
        150.0,
        ky - 10.0,
        150.0,
        ky + 4.0,
        r##"stroke="#c9a227" stroke-width="2.5""##,
    );
    svg.text(
        158.0,
        ky,
        "today's utility; bars: utility after the phase (0 to 1)",
        r#"font-size="12""#,
    );
    svg.finish()
}
