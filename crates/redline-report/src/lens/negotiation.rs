//! The negotiation lens in the report: how modelled negotiations end, with and without a
//! mediator, with their traces over time.

use indexmap::IndexMap;
use redline_negotiate::{Metrics, NegotiationResult, Trace, TraceAction};
use serde::Serialize;

use crate::diagram::traces::{self, Series, SeriesStyle, TraceChart, TracePanel};
use crate::model::{Block, Evidence, Figure, Headline, Question, Section, Table, Tone};
use crate::words::{and_list, number, util};

/// One modelled negotiation (`result.negotiation.runs[]`; the trace is left out of JSON).
#[derive(Debug, Clone, Serialize)]
pub struct NegotiationRun {
    /// The strategy in words (`Boulware`).
    pub label: String,
    /// `alternating_offers` or `mediated`.
    pub protocol: &'static str,
    /// The mediator's algorithm, for the mediated protocol.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediator: Option<String>,
    /// The deadline in rounds.
    pub rounds: u32,
    /// The seed.
    pub seed: u64,
    /// `{party id: agent}`.
    pub agents: IndexMap<String, String>,
    pub agreed: bool,
    /// `{issue: value}` of the agreement.
    pub agreement: Option<IndexMap<String, String>>,
    /// How it ended.
    pub end: redline_negotiate::EndReason,
    /// The round it ended in.
    pub round: u32,
    /// `{party id: utility}`.
    pub utilities: IndexMap<String, f64>,
    pub metrics: Metrics,
    #[serde(skip)]
    pub result: NegotiationResult,
    #[serde(skip)]
    pub trace: Trace,
}

/// What the negotiation section is built from.
#[derive(Debug, Clone, Copy)]
pub struct NegotiationInput<'a> {
    /// Parties: `(id, name)`, in turn order.
    pub parties: &'a [(String, String)],
    /// Walk-away values, per party.
    pub reservations: &'a [f64],
    /// The scenario's mediator, if it names one.
    pub mediator_name: Option<&'a str>,
    pub runs: &'a [NegotiationRun],
}

fn range(xs: &[f64]) -> String {
    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if (hi - lo).abs() < 0.005 {
        util(lo)
    } else {
        format!("{}–{}", util(lo), util(hi))
    }
}

/// Builds the negotiation section.
pub fn section(input: &NegotiationInput) -> Section {
    let names: Vec<String> = input
        .parties
        .iter()
        .map(|(_, n)| crate::words::name_in_sentence(n))
        .collect();
    let plain: Vec<&str> = input.parties.iter().map(|(_, n)| n.as_str()).collect();
    let sao: Vec<&NegotiationRun> = input
        .runs
        .iter()
        .filter(|r| r.protocol == "alternating_offers")
        .collect();
    let med: Vec<&NegotiationRun> = input
        .runs
        .iter()
        .filter(|r| r.protocol == "mediated")
        .collect();
    let mut text = String::new();
    let agreed_sao = sao.iter().filter(|r| r.agreed).count();
    if !sao.is_empty() {
        let labels = and_list(&sao.iter().map(|r| r.label.as_str()).collect::<Vec<_>>());
        if agreed_sao > 0 {
            text.push_str(&format!(
                "Without a mediator, red-line-aware negotiators agree in {} of {} modelled runs ({labels} strategies, {} rounds of alternating offers)",
                number(agreed_sao),
                number(sao.len()),
                sao[0].rounds
            ));
        } else {
            text.push_str(&format!(
                "Without a mediator, red-line-aware negotiators reach no agreement in any of the {} modelled runs ({labels} strategies, {} rounds of alternating offers)",
                number(sao.len()),
                sao[0].rounds
            ));
        }
        let ok: Vec<&&NegotiationRun> = sao.iter().filter(|r| r.agreed).collect();
        if !ok.is_empty() {
            let per: Vec<String> = (0..names.len())
                .map(|p| {
                    format!(
                        "{} {}",
                        names[p],
                        range(&ok.iter().map(|r| r.result.utilities[p]).collect::<Vec<_>>())
                    )
                })
                .collect();
            text.push_str(&format!(": the deals give {}", and_list(&per)));
            if ok.iter().any(|r| discounted(&r.result)) {
                text.push_str(" after discounting for the time taken");
            }
            let d: Vec<f64> = ok.iter().filter_map(|r| r.metrics.nash_distance).collect();
            if !d.is_empty() {
                text.push_str(&format!(
                    ", at a distance of {} from the Nash deal",
                    range(&d)
                ));
            }
        }
        text.push('.');
    }
    if let Some(m) = med.first() {
        let who = input.mediator_name.map_or_else(
            || "a mediator".to_string(),
            |n| format!("{} as mediator", crate::words::name_in_sentence(n)),
        );
        if m.agreed {
            text.push_str(&format!(
                " With {who} proposing a single text and improving it while every side accepts ({}), they settle on a deal giving {}",
                m.mediator.as_deref().unwrap_or("hill climbing"),
                and_list(
                    &names
                        .iter()
                        .zip(&m.result.utilities)
                        .map(|(n, u)| format!("{n} {}", util(*u)))
                        .collect::<Vec<_>>()
                )
            ));
            if discounted(&m.result) {
                text.push_str(&format!(
                    " after discounting to round {} (undiscounted, the deal is worth {})",
                    m.result.round,
                    and_list(
                        &names
                            .iter()
                            .zip(&m.result.undiscounted)
                            .map(|(n, u)| format!("{n} {}", util(*u)))
                            .collect::<Vec<_>>()
                    )
                ));
            }
            if let Some(d) = m.metrics.nash_distance {
                text.push_str(&format!(", {} from the Nash deal", util(d)));
                let best_sao = sao
                    .iter()
                    .filter(|r| r.agreed)
                    .filter_map(|r| r.metrics.nash_distance)
                    .fold(f64::INFINITY, f64::min);
                if best_sao.is_finite() && d + 1e-9 < best_sao {
                    text.push_str(": closer than any run without a mediator");
                }
            }
            text.push('.');
        } else {
            text.push_str(&format!(
                " With {who} proposing a single text, they reach no agreement within {} rounds.",
                m.rounds
            ));
        }
    }
    let all = input.runs.iter().filter(|r| r.agreed).count();
    let tone = if all == input.runs.len() {
        Tone::Yes
    } else if all == 0 {
        Tone::No
    } else {
        Tone::Mixed
    };
    let headline = Headline {
        question: Question::Negotiation,
        tone,
        text: text.trim().to_string(),
        evidence: "negotiation-runs".into(),
    };

    // Runs table.
    let mut header = vec![
        "run".to_string(),
        "protocol".into(),
        "ends".into(),
        "round".into(),
    ];
    header.extend(plain.iter().map(|n| n.to_string()));
    header.push("from Nash".into());
    let mut numeric = vec![false, false, false, true];
    numeric.extend(plain.iter().map(|_| true));
    numeric.push(true);
    let rows = input
        .runs
        .iter()
        .map(|r| {
            let mut row = vec![
                r.label.clone(),
                match &r.mediator {
                    Some(m) => format!("mediated single text ({m})"),
                    None => "alternating offers".into(),
                },
                if r.agreed {
                    "agreement".into()
                } else {
                    match r.end {
                        redline_negotiate::EndReason::Deadline => "deadline, no deal".into(),
                        _ => "walked away".into(),
                    }
                },
                r.round.to_string(),
            ];
            row.extend(r.result.utilities.iter().map(|u| format!("{u:.3}")));
            row.push(
                r.metrics
                    .nash_distance
                    .map_or("-".into(), |d| format!("{d:.3}")),
            );
            row
        })
        .collect();
    let mut blocks = vec![
        Block::para(format!(
            "Each party is played by a negotiating agent that never offers or accepts anything breaking its own red lines and never accepts less than its walk-away value. Time-based agents concede from their best outcome towards their walk-away value as the deadline nears: Boulware agents concede late, Conceder agents early, Linear agents steadily. In the mediated protocol a mediator proposes one text per round and improves it while every party accepts (agents: {}).",
            med.first().map_or_else(
                || "-".to_string(),
                |m| m.agents.values().cloned().collect::<Vec<_>>().join(", ")
            )
        )),
        Block::Table(Table {
            header,
            rows,
            numeric,
        }),
    ];
    let agreed: Vec<&NegotiationRun> = input.runs.iter().filter(|r| r.agreed).collect();
    if let Some(first) = agreed.first().and_then(|r| r.agreement.as_ref()) {
        let issues: Vec<String> = first.keys().cloned().collect();
        let mut header = vec!["run".to_string()];
        header.extend(issues.iter().cloned());
        blocks.push(Block::Details {
            summary: "What they agreed (columns by issue id; the issues are listed under “The scenario as modelled”)".into(),
            blocks: vec![Block::Table(Table {
                numeric: vec![false; header.len()],
                header,
                rows: agreed
                    .iter()
                    .filter_map(|r| {
                        let a = r.agreement.as_ref()?;
                        let mut row = vec![if r.mediator.is_some() {
                            "with the mediator".to_string()
                        } else {
                            r.label.clone()
                        }];
                        row.extend(issues.iter().map(|i| a.get(i).cloned().unwrap_or_default()));
                        Some(row)
                    })
                    .collect(),
            })],
        });
    }
    let chart = trace_chart(input);
    let sao_key = !sao.is_empty();
    let med_key = !med.is_empty();
    let mut key: Vec<(SeriesStyle, &str)> = Vec::new();
    if sao_key {
        key.push((SeriesStyle::Solid, "own offers / adopted text"));
        key.push((SeriesStyle::Dashed, "the other side's offers"));
    }
    if med_key {
        key.push((SeriesStyle::Dots, "mediator's proposals"));
    }
    let evidence = vec![
        Evidence {
            id: "negotiation-runs".into(),
            title: "Modelled negotiations".into(),
            blocks,
        },
        Evidence {
            id: "negotiation-traces".into(),
            title: "How the offers move".into(),
            blocks: vec![
                Block::list(trace_summaries(input)),
                Block::Figure(Figure {
                id: "fig-negotiation-traces".into(),
                title: "Utility of the offers, round by round.".into(),
                caption: "One panel per modelled negotiation. In alternating offers, a solid line is what a party's own offers are worth to it and a dashed line what the other side's offers are worth to it; they meet where a deal is struck. In the mediated panel, lines show the text every party has accepted so far and dots the mediator's proposals.".into(),
                svg: traces::render(&chart, "fig-negotiation-traces", &key),
            })],
        },
    ];
    Section {
        id: "negotiation".into(),
        lens: "negotiation".into(),
        title: "Negotiation lens: how modelled talks end".into(),
        intro: Some(
            "Modelled negotiators bargain over the same issues, utilities and red lines as the deal lens, round by round until a deadline. Their behaviour is a model, not a forecast: it shows whether simple, red-line-respecting strategies find the zone of agreement, and how close to the fair benchmarks they land.".into(),
        ),
        headlines: vec![headline],
        evidence,
    }
}

/// One line per run: how far each side's offers came down.
fn trace_summaries(input: &NegotiationInput) -> Vec<String> {
    input
        .runs
        .iter()
        .map(|r| {
            if r.mediator.is_some() {
                let adopted = r
                    .trace
                    .events
                    .iter()
                    .filter(|e| e.action == TraceAction::Adopt)
                    .count();
                let proposed = r
                    .trace
                    .events
                    .iter()
                    .filter(|e| e.action == TraceAction::Propose)
                    .count();
                return format!(
                    "With the mediator: {} proposals, {} of them accepted by every side in turn{}.",
                    proposed,
                    adopted,
                    if r.agreed {
                        "; the last accepted text is the agreement"
                    } else {
                        ""
                    }
                );
            }
            let moves: Vec<String> = input
                .parties
                .iter()
                .enumerate()
                .filter_map(|(p, (_, name))| {
                    let own: Vec<f64> = r
                        .trace
                        .events
                        .iter()
                        .filter(|e| e.action == TraceAction::Offer && e.party == Some(p))
                        .filter_map(|e| e.utilities.get(p).copied())
                        .collect();
                    Some(format!(
                        "{} from {} to {}",
                        crate::words::possessive(name),
                        util(*own.first()?),
                        util(*own.last()?)
                    ))
                })
                .collect();
            format!(
                "{}: the value of each side's own offers falls, {}; {}.",
                r.label,
                and_list(&moves),
                if r.agreed {
                    format!("agreement in round {}", r.round)
                } else {
                    format!("no agreement within {} rounds", r.rounds)
                }
            )
        })
        .collect()
}

fn trace_chart(input: &NegotiationInput) -> TraceChart {
    let np = input.parties.len();
    let panels = input
        .runs
        .iter()
        .map(|r| {
            let mut series = Vec::new();
            if r.mediator.is_some() {
                let mut adopted: Vec<Vec<(f64, f64)>> = vec![Vec::new(); np];
                let mut proposals: Vec<Vec<(f64, f64)>> = vec![Vec::new(); np];
                for e in &r.trace.events {
                    match e.action {
                        TraceAction::Propose => {
                            for (p, &u) in e.utilities.iter().enumerate().take(np) {
                                proposals[p].push((e.round as f64, u));
                            }
                        }
                        TraceAction::Adopt => {
                            for (p, &u) in e.utilities.iter().enumerate().take(np) {
                                adopted[p].push((e.round as f64, u));
                            }
                        }
                        _ => {}
                    }
                }
                for p in 0..np {
                    series.push(Series {
                        party: p,
                        style: SeriesStyle::Dots,
                        points: std::mem::take(&mut proposals[p]),
                    });
                    // Step line: each adopted text holds until the next one.
                    let mut pts = Vec::new();
                    for (k, &(round, u)) in adopted[p].iter().enumerate() {
                        if k > 0 {
                            pts.push((round, adopted[p][k - 1].1));
                        }
                        pts.push((round, u));
                    }
                    if let Some(&(_, u)) = adopted[p].last() {
                        pts.push((r.round as f64, u));
                    }
                    series.push(Series {
                        party: p,
                        style: SeriesStyle::Solid,
                        points: pts,
                    });
                }
            } else {
                for p in 0..np {
                    let own: Vec<(f64, f64)> = r
                        .trace
                        .events
                        .iter()
                        .filter(|e| e.action == TraceAction::Offer && e.party == Some(p))
                        .filter_map(|e| e.utilities.get(p).map(|&u| (e.round as f64, u)))
                        .collect();
                    let theirs: Vec<(f64, f64)> = r
                        .trace
                        .events
                        .iter()
                        .filter(|e| {
                            e.action == TraceAction::Offer && e.party.is_some_and(|q| q != p)
                        })
                        .filter_map(|e| e.utilities.get(p).map(|&u| (e.round as f64, u)))
                        .collect();
                    series.push(Series {
                        party: p,
                        style: SeriesStyle::Dashed,
                        points: theirs,
                    });
                    series.push(Series {
                        party: p,
                        style: SeriesStyle::Solid,
                        points: own,
                    });
                }
            }
            let agreement = r.agreed.then(|| {
                (
                    r.round as f64,
                    r.trace
                        .events
                        .iter()
                        .rev()
                        .find(|e| e.outcome == r.result.agreement && !e.utilities.is_empty())
                        .map_or_else(|| r.result.utilities.clone(), |e| e.utilities.clone()),
                )
            });
            TracePanel {
                title: match &r.mediator {
                    Some(m) => format!("Mediated single text ({m})"),
                    None => format!("Alternating offers · {}", r.label),
                },
                subtitle: if r.agreed {
                    format!(
                        "agreement in round {}: {}",
                        r.round,
                        input
                            .parties
                            .iter()
                            .zip(&r.result.utilities)
                            .map(|((_, n), u)| format!("{n} {}", util(*u)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                } else {
                    format!("no agreement within {} rounds", r.rounds)
                },
                rounds: r.rounds,
                series,
                agreement,
            }
        })
        .collect();
    TraceChart {
        parties: input.parties.iter().map(|(_, n)| n.clone()).collect(),
        reservations: input.reservations.to_vec(),
        panels,
    }
}

/// Whether discounting changed what a party gets from the agreement. Distances to the Nash deal
/// and the frontier are always measured undiscounted, where those references live.
fn discounted(r: &NegotiationResult) -> bool {
    r.agreement.is_some()
        && r.undiscounted.len() == r.utilities.len()
        && r.utilities
            .iter()
            .zip(&r.undiscounted)
            .any(|(a, b)| (a - b).abs() > 1e-12)
}
