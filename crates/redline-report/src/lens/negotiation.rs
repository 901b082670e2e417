//! The negotiation lens in the report: how modelled negotiations end, with and without a
//! mediator, with their traces over time.

use redline_negotiate::{NegotiationResult, TraceAction};

use crate::diagram::traces::{self, Series, SeriesStyle, TraceChart, TracePanel};
use crate::model::{Block, Evidence, Figure, Headline, Question, Section, Table, Tone};
use crate::words::{and_list, number, util};

pub use redline_analysis::negotiation::{ModelledNegotiations, NegotiationRun, SeedSweep, Spread};

/// What the negotiation section is built from.
#[derive(Debug, Clone)]
pub struct NegotiationInput<'a> {
    /// Parties: `(id, name)`, in turn order.
    pub parties: &'a [(String, String)],
    /// Walk-away values, per party.
    pub reservations: &'a [f64],
    /// The scenario's mediator, if it names one.
    pub mediator_name: Option<&'a str>,
    /// The runs shown (seed 0) and every configuration over many seeds.
    pub modelled: &'a ModelledNegotiations,
    /// The scenario's breakdown risk, with each party's utility of it in party order.
    pub breakdown: Option<(&'a redline_model::Breakdown, Vec<f64>)>,
}

/// `Iran 0.71 and the United States 0.72`: one utility per party, in party order.
fn per_party(names: &[String], utilities: &[f64]) -> String {
    and_list(
        &names
            .iter()
            .zip(utilities)
            .map(|(n, u)| format!("{n} {}", util(*u)))
            .collect::<Vec<_>>(),
    )
}

/// The breakdown risk in words: what it is, how likely over the modelled talks, what it does to
/// the utilities reported.
pub fn breakdown_sentence(
    names: &[String],
    b: &redline_model::Breakdown,
    utilities: &[f64],
    rounds: u32,
) -> String {
    let over = 1.0 - b.survival(rounds);
    format!(
        "Each round without agreement carries a {} risk that {} (an analyst assumption; it would leave {}): over {} rounds without agreement it happens with probability {}. The utilities reported for the modelled negotiations are expected values under this risk, as with discounting.",
        crate::words::percent(b.per_round),
        b.text,
        per_party(names, utilities),
        number(rounds as usize),
        crate::words::percent(over)
    )
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
    let runs = &input.modelled.runs;
    let sweeps = &input.modelled.sweeps;
    let sao: Vec<&NegotiationRun> = runs
        .iter()
        .filter(|r| r.protocol == "alternating_offers")
        .collect();
    let med: Vec<&NegotiationRun> = runs.iter().filter(|r| r.protocol == "mediated").collect();
    let sweep_of = |r: &NegotiationRun| sweeps.iter().find(|w| w.label == r.label);
    let sao_sweeps: Vec<&SeedSweep> = sao.iter().filter_map(|r| sweep_of(r)).collect();
    let seeds = input.modelled.params.sweep_seeds;
    // What the time taken costs: discounting, or (with a breakdown risk) the expected value.
    let (time_cost, time_cost_at, without) = if input.breakdown.is_some() {
        (
            " in expectation, after the breakdown risk of the rounds taken",
            "in expectation at round",
            "without the risk",
        )
    } else {
        (
            " after discounting for the time taken",
            "after discounting to round",
            "undiscounted",
        )
    };
    let mut text = String::new();
    if !sao.is_empty() {
        let labels = and_list(&sao.iter().map(|r| r.label.as_str()).collect::<Vec<_>>());
        let identical = sao_sweeps.iter().all(|w| w.identical);
        let (agreed, total) = if identical {
            (
                sao.iter().filter(|r| r.agreed).count() as u64,
                sao.len() as u64,
            )
        } else {
            (
                sao_sweeps.iter().map(|w| w.agreed).sum(),
                sao_sweeps.iter().map(|w| w.seeds).sum(),
            )
        };
        let how = if identical {
            format!(
                "{labels} strategies, {} rounds of alternating offers; each run ends the same with every one of the {} seeds tried",
                sao[0].rounds,
                number(seeds as usize)
            )
        } else {
            format!(
                "{labels} strategies, {} seeds each, {} rounds of alternating offers",
                number(seeds as usize),
                sao[0].rounds
            )
        };
        if agreed > 0 {
            text.push_str(&format!(
                "Without a mediator, red-line-aware negotiators agree in {} of {} modelled runs ({how})",
                number(agreed as usize),
                number(total as usize),
            ));
        } else {
            text.push_str(&format!(
                "Without a mediator, red-line-aware negotiators reach no agreement in any of the {} modelled runs ({how})",
                number(total as usize),
            ));
        }
        if agreed > 0 {
            let per: Vec<String> = input
                .parties
                .iter()
                .enumerate()
                .filter_map(|(p, (id, _))| {
                    let lo = sao_sweeps
                        .iter()
                        .filter_map(|w| w.utilities.get(id))
                        .map(|s| s.min)
                        .fold(f64::INFINITY, f64::min);
                    let hi = sao_sweeps
                        .iter()
                        .filter_map(|w| w.utilities.get(id))
                        .map(|s| s.max)
                        .fold(f64::NEG_INFINITY, f64::max);
                    lo.is_finite()
                        .then(|| format!("{} {}", names[p], range(&[lo, hi])))
                })
                .collect();
            text.push_str(&format!(": the deals give {}", and_list(&per)));
            if sao_sweeps.iter().any(|w| w.discounted) {
                text.push_str(time_cost);
            }
            let d: Vec<f64> = sao_sweeps
                .iter()
                .filter_map(|w| w.nash_distance)
                .flat_map(|s| [s.min, s.max])
                .collect();
            if !d.is_empty() {
                text.push_str(&format!(
                    ", at a distance of {} from the Nash deal",
                    range(&d)
                ));
            }
        }
        text.push('.');
    }
    if let (Some(m), Some(w)) = (med.first(), med.first().and_then(|m| sweep_of(m))) {
        let who = input.mediator_name.map_or_else(
            || "a mediator".to_string(),
            |n| format!("{} as mediator", crate::words::name_in_sentence(n)),
        );
        let algorithm = if input.modelled.params.mediator_interests {
            format!(
                "{}; its own interests shape its proposals: of {} candidate texts each round it proposes the one it likes best",
                m.mediator.as_deref().unwrap_or("hill climbing"),
                number(redline_negotiate::MEDIATOR_CANDIDATES)
            )
        } else {
            format!(
                "{}, a neutral mediator",
                m.mediator.as_deref().unwrap_or("hill climbing")
            )
        };
        if w.identical {
            if m.agreed {
                text.push_str(&format!(
                    " With {who} proposing a single text and improving it while every side accepts ({algorithm}), they settle on a deal giving {}, the same with every one of the {} seeds tried",
                    per_party(&names, &m.result.utilities),
                    number(w.seeds as usize)
                ));
                if let Some(d) = m.metrics.nash_distance {
                    text.push_str(&format!(", {} from the Nash deal", util(d)));
                }
                text.push('.');
            } else {
                text.push_str(&format!(
                    " With {who} proposing a single text, they reach no agreement within {} rounds, with any of the {} seeds tried.",
                    m.rounds,
                    number(w.seeds as usize)
                ));
            }
        } else if w.agreed == 0 {
            text.push_str(&format!(
                " With {who} proposing a single text ({algorithm}), they reach no agreement within {} rounds in any of {} seeded runs.",
                m.rounds,
                number(w.seeds as usize)
            ));
        } else {
            let per: Vec<String> = input
                .parties
                .iter()
                .enumerate()
                .filter_map(|(p, (id, _))| {
                    w.utilities.get(id).map(|s| {
                        format!(
                            "{} {} (median {})",
                            names[p],
                            range(&[s.min, s.max]),
                            util(s.median)
                        )
                    })
                })
                .collect();
            text.push_str(&format!(
                " With {who} proposing a single text and improving it while every side accepts ({algorithm}), they agree in {} of {} seeded runs, on deals giving {}",
                number(w.agreed as usize),
                number(w.seeds as usize),
                and_list(&per)
            ));
            if w.discounted {
                text.push_str(time_cost);
            }
            if let Some(d) = w.nash_distance {
                text.push_str(&format!(
                    ", {} from the Nash deal (median {})",
                    range(&[d.min, d.max]),
                    util(d.median)
                ));
            }
            text.push('.');
            if let Some(c) = input.modelled.mediated_closer {
                let share = if c.count == c.of {
                    format!("in every one of the {} seeds", number(c.of as usize))
                } else if c.count == 0 {
                    format!("in none of the {} seeds", number(c.of as usize))
                } else {
                    format!(
                        "in {} of the {} seeds",
                        number(c.count as usize),
                        number(c.of as usize)
                    )
                };
                text.push_str(&format!(
                    " The mediated deal is closer to the Nash deal than every agreement reached without a mediator with the same seed {share}."
                ));
            }
            if m.agreed {
                text.push_str(&format!(
                    " The run shown (seed {}) settles on {}",
                    m.seed,
                    per_party(&names, &m.result.utilities)
                ));
                if discounted(&m.result) {
                    text.push_str(&format!(
                        " {} {} ({}, the deal is worth {})",
                        time_cost_at,
                        m.result.round,
                        without,
                        per_party(&names, &m.result.undiscounted)
                    ));
                }
                text.push('.');
            }
        }
    }
    if let Some((b, _)) = &input.breakdown {
        text.push_str(&format!(
            " These are expected values under the {} risk per round that {}.",
            crate::words::percent(b.per_round),
            b.text
        ));
    }
    let breaking: u64 = sweeps.iter().map(|w| w.breaking_red_lines).sum();
    if breaking > 0 {
        text.push_str(&format!(
            " {} of the seeded agreements break a party's red line.",
            number(breaking as usize)
        ));
    }
    let agreed_all: u64 = sweeps.iter().map(|w| w.agreed).sum();
    let runs_all: u64 = sweeps.iter().map(|w| w.seeds).sum();
    let tone = if agreed_all == runs_all {
        Tone::Yes
    } else if agreed_all == 0 {
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
    let rows = runs
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
            "Each party is played by a negotiating agent that never accepts anything breaking its own red lines or worth less than its walk-away value, and never offers anything that breaks a public red line of any party (red lines are public unless the scenario marks them private). Time-based agents concede from their best outcome towards their walk-away value as the deadline nears: Boulware agents concede late, Conceder agents early, Linear agents steadily. In the mediated protocol a mediator proposes one text per round, never one that breaks a public red line, and improves it while every party accepts; each agent accepts a text only when it is worth at least its concession target for that round (agents: {}). {} The mediated agreement is the last text every side accepted, concluded at the deadline.",
            med.first().map_or_else(
                || "-".to_string(),
                |m| m.agents.values().cloned().collect::<Vec<_>>().join(", ")
            ),
            if input.modelled.params.mediator_interests {
                format!(
                    "The mediator pursues its own interests as the scenario models them: of {} candidate texts each round it proposes the one it likes best.",
                    number(redline_negotiate::MEDIATOR_CANDIDATES)
                )
            } else {
                "The mediator is neutral: the scenario gives it no interests of its own."
                    .to_string()
            }
        )),
        Block::Table(Table {
            header,
            rows,
            numeric,
        }),
    ];
    if let Some((b, u)) = &input.breakdown {
        blocks.insert(
            1,
            Block::para(breakdown_sentence(
                &names,
                b,
                u,
                input.modelled.params.rounds,
            )),
        );
    }
    let agreed: Vec<&NegotiationRun> = runs.iter().filter(|r| r.agreed).collect();
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
        .modelled
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
        .modelled
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
