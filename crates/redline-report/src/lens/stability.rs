//! The stability lens in the report: which states are stable, whether today is one of them, and
//! whether the stable states can be reached from today, with the state graph and the stability
//! table.

use redline_gmcr::{Concept, Path, StatusQuoAnalysis};

use crate::diagram::graph::{self, GraphEdge, GraphNode, Layout, StateGraph};
use crate::diagram::stability_table::{self, StabilityTable, TableRow};
use crate::model::{Block, Evidence, Figure, Headline, Question, Section, Table, Tone};
use crate::words::{and_list, number};

/// Graphs with at most this many feasible states are drawn whole.
const DRAW_ALL_STATES: usize = 16;
/// The most states the graph and the table diagram show.
const MAX_SHOWN: usize = 30;
/// The most rows of the stability table in text (JSON has every state).
const MAX_TABLE_ROWS: usize = 200;

/// The stability lens's results, as the report needs them.
#[derive(Debug, Clone, Default)]
pub struct StabilityView {
    /// Decision makers: `(id, name)`.
    pub dms: Vec<(String, String)>,
    /// Options in bit order.
    pub options: Vec<OptionView>,
    /// The concepts computed.
    pub concepts: Vec<Concept>,
    /// Every feasible state.
    pub states: Vec<StateView>,
    /// The status quo analysis, when the scenario gives a status quo.
    pub status_quo: Option<StatusQuoAnalysis>,
}

/// An option.
#[derive(Debug, Clone, Default)]
pub struct OptionView {
    pub id: String,
    pub name: String,
    /// Index of its decision maker in [`StabilityView::dms`].
    pub dm: usize,
}

/// A state.
#[derive(Debug, Clone, Default)]
pub struct StateView {
    /// `Y`/`N` per option in bit order.
    pub pattern: String,
    /// Options taken (bits).
    pub taken: Vec<usize>,
    /// Payoff rank per decision maker (1 the worst).
    pub payoff: Vec<u32>,
    /// `stable[dm][concept]`, concepts as in [`StabilityView::concepts`].
    pub stable: Vec<Vec<bool>>,
    /// Per concept.
    pub equilibrium: Vec<bool>,
}

impl From<&redline_analysis::stability::StabilityResult> for StabilityView {
    /// The report's view of the front door's result. Positions come from the result's own
    /// index tables (`dm_index`, `taken_index`) and its maps are in decision-maker and concept
    /// order, so nothing is looked up by id (an id that matched nothing used to become
    /// decision maker 0).
    fn from(out: &redline_analysis::stability::StabilityResult) -> Self {
        StabilityView {
            dms: out
                .decision_makers
                .iter()
                .map(|d| (d.id.clone(), d.name.clone()))
                .collect(),
            options: out
                .options
                .iter()
                .map(|o| OptionView {
                    id: o.id.clone(),
                    name: o.name.clone(),
                    dm: o.dm_index,
                })
                .collect(),
            concepts: out.concepts.clone(),
            states: out
                .states
                .iter()
                .map(|s| StateView {
                    pattern: s.pattern.clone(),
                    taken: s.taken_index.clone(),
                    payoff: s.payoff.values().copied().collect(),
                    stable: s
                        .stable
                        .values()
                        .map(|f| f.values().copied().collect())
                        .collect(),
                    equilibrium: s.equilibrium.values().copied().collect(),
                })
                .collect(),
            status_quo: out.status_quo.as_ref().map(|s| s.analysis.clone()),
        }
    }
}

impl StateView {
    fn concepts(&self) -> usize {
        self.equilibrium.iter().filter(|&&b| b).count()
    }
}

/// A concept's name for readers: `Nash`, `GMR`, …
pub fn concept_label(c: Concept) -> &'static str {
    match c {
        Concept::Nash => "Nash",
        Concept::Gmr => "GMR",
        Concept::Smr => "SMR",
        Concept::Seq => "SEQ",
        Concept::Sim => "SIM",
        Concept::SeqSim => "SEQ+SIM",
    }
}

struct Ctx<'a> {
    v: &'a StabilityView,
}

impl Ctx<'_> {
    /// `Iran: Engage in talks with the US; Turkey: Host and mediate talks`, or `no option taken`.
    fn describe(&self, s: usize) -> String {
        let st = &self.v.states[s];
        if st.taken.is_empty() {
            return "no option taken".into();
        }
        let mut parts: Vec<String> = Vec::new();
        for (d, (_, name)) in self.v.dms.iter().enumerate() {
            let opts: Vec<&str> = st
                .taken
                .iter()
                .filter(|&&b| self.v.options[b].dm == d)
                .map(|&b| self.v.options[b].name.as_str())
                .collect();
            if !opts.is_empty() {
                parts.push(format!("{name}: {}", opts.join(", ")));
            }
        }
        parts.join("; ")
    }

    /// `Iran: talks, deescalate; United States: relief` (option ids), for wide tables.
    fn describe_short(&self, s: usize) -> String {
        let st = &self.v.states[s];
        if st.taken.is_empty() {
            return "-".into();
        }
        let mut parts: Vec<String> = Vec::new();
        for (d, (_, name)) in self.v.dms.iter().enumerate() {
            let opts: Vec<&str> = st
                .taken
                .iter()
                .filter(|&&b| self.v.options[b].dm == d)
                .map(|&b| {
                    let id = self.v.options[b].id.as_str();
                    id.split_once('.').map_or(id, |(_, local)| local)
                })
                .collect();
            if !opts.is_empty() {
                parts.push(format!("{name}: {}", opts.join(", ")));
            }
        }
        parts.join("; ")
    }

    fn under(&self, s: usize) -> Vec<&'static str> {
        self.v
            .concepts
            .iter()
            .zip(&self.v.states[s].equilibrium)
            .filter(|(_, b)| **b)
            .map(|(c, _)| concept_label(*c))
            .collect()
    }

    fn all_concepts(&self) -> String {
        if self.v.concepts.len() == 1 {
            concept_label(self.v.concepts[0]).to_string()
        } else {
            format!("all {} concepts", number(self.v.concepts.len()))
        }
    }

    fn step_text(&self, step: &redline_gmcr::Step) -> String {
        let who = &self.v.dms[step.dm].1;
        let mut what = Vec::new();
        let took: Vec<&str> = step
            .taken
            .iter()
            .map(|&b| self.v.options[b].name.as_str())
            .collect();
        let dropped: Vec<&str> = step
            .dropped
            .iter()
            .map(|&b| self.v.options[b].name.as_str())
            .collect();
        let quoted =
            |xs: &[&str]| and_list(&xs.iter().map(|x| format!("“{x}”")).collect::<Vec<_>>());
        if !took.is_empty() {
            what.push(format!("takes up {}", quoted(&took)));
        }
        if !dropped.is_empty() {
            what.push(format!("drops {}", quoted(&dropped)));
        }
        let effect = match self.effect(step) {
            std::cmp::Ordering::Greater => "",
            std::cmp::Ordering::Equal => ", which leaves its own rank unchanged",
            std::cmp::Ordering::Less => " at a cost to itself",
        };
        format!(
            "{} {}{}",
            crate::words::name_in_sentence(who),
            and_list(&what),
            effect
        )
    }

    /// How the step changes the mover's own rank: up (it pays off), unchanged (neutral), or down.
    fn effect(&self, step: &redline_gmcr::Step) -> std::cmp::Ordering {
        let a = self.v.states[step.from].payoff[step.dm];
        let b = self.v.states[step.to].payoff[step.dm];
        b.cmp(&a)
    }
}

/// Builds the stability section.
pub fn section(v: &StabilityView, layout: Option<&Layout>) -> Section {
    let cx = Ctx { v };
    let n_states = v.states.len();
    let max_tier = v.states.iter().map(StateView::concepts).max().unwrap_or(0);
    let any_eq: Vec<usize> = (0..n_states)
        .filter(|&s| v.states[s].concepts() > 0)
        .collect();
    let strong: Vec<usize> = if max_tier == 0 {
        vec![]
    } else {
        (0..n_states)
            .filter(|&s| v.states[s].concepts() == max_tier)
            .collect()
    };
    let full_tier = max_tier == v.concepts.len() && max_tier > 0;
    let tier_words = if full_tier {
        format!("under {}", cx.all_concepts())
    } else if max_tier > 0 {
        format!(
            "under {} of the {} concepts",
            number(max_tier),
            number(v.concepts.len())
        )
    } else {
        String::new()
    };
    let mut headlines = Vec::new();
    let mut evidence = Vec::new();

    // Headline.
    let mut text = String::new();
    let tone;
    if any_eq.is_empty() {
        tone = Tone::No;
        text.push_str(&format!(
            "Nothing is stable: under {}, in every one of the {} possible states some side gains by moving on its own.",
            and_list(&v.concepts.iter().map(|&c| concept_label(c)).collect::<Vec<_>>()),
            n_states
        ));
    } else {
        text.push_str(&format!(
            "{} of the {} possible states {} stable {tier_words}",
            crate::words::capitalise(&number(strong.len())),
            n_states,
            if strong.len() == 1 { "is" } else { "are" },
        ));
        if any_eq.len() > strong.len() {
            text.push_str(&format!(
                " ({} more under some)",
                number(any_eq.len() - strong.len())
            ));
        }
        if strong.len() <= 3 {
            text.push_str(&format!(
                ": {}",
                strong
                    .iter()
                    .map(|&s| format!("[{}]", cx.describe(s)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        text.push('.');
        match &v.status_quo {
            None => {
                tone = Tone::Neutral;
                text.push_str(" The scenario gives no status quo, so reachability from today is not analysed.");
            }
            Some(sq) => {
                let s0 = sq.status_quo;
                let today = cx.describe(s0);
                let under = cx.under(s0);
                if under.len() == v.concepts.len() {
                    text.push_str(&format!(
                        " Today's state [{today}] is one of them: no side gains by leaving it alone."
                    ));
                } else if !under.is_empty() {
                    text.push_str(&format!(
                        " Today's state [{today}] is stable only under {}.",
                        and_list(&under)
                    ));
                } else {
                    let leavers: Vec<String> = v
                        .dms
                        .iter()
                        .enumerate()
                        .filter(|(d, _)| !v.states[s0].stable[*d].iter().any(|&b| b))
                        .map(|(_, (_, name))| crate::words::name_in_sentence(name))
                        .collect();
                    text.push_str(&format!(
                        " Today's state [{today}] is not stable{}.",
                        if leavers.is_empty() {
                            String::new()
                        } else {
                            format!(": {} would leave it", and_list(&leavers))
                        }
                    ));
                }
                let others: Vec<&redline_gmcr::Target> = sq
                    .targets
                    .iter()
                    .filter(|t| t.state != s0 && strong.contains(&t.state))
                    .collect();
                // A stable state every side prefers to today is the one to talk about; else
                // the nearest stable state.
                let preferred = others
                    .iter()
                    .copied()
                    .filter(|t| {
                        (0..v.dms.len())
                            .all(|d| v.states[t.state].payoff[d] > v.states[s0].payoff[d])
                    })
                    .max_by_key(|t| {
                        (
                            (0..v.dms.len())
                                .map(|d| v.states[t.state].payoff[d] - v.states[s0].payoff[d])
                                .min(),
                            std::cmp::Reverse(t.state),
                        )
                    });
                let path_len = |t: &&redline_gmcr::Target| {
                    t.by_improvements
                        .as_ref()
                        .map(|p| (0, p.len()))
                        .or_else(|| t.by_moves.as_ref().map(|p| (1, p.len())))
                        .unwrap_or((2, 0))
                };
                let focus = preferred.or_else(|| others.iter().copied().min_by_key(path_len));
                match focus {
                    None => {
                        tone = if under.is_empty() {
                            Tone::No
                        } else {
                            Tone::Neutral
                        };
                    }
                    Some(t) => {
                        let what = cx.describe(t.state);
                        // (subject, joiner for "can be reached", joiner for "cannot").
                        let (subject, yes, no) = if preferred.is_some() {
                            (
                                format!(
                                    " Every side prefers [{what}] to today, and it is stable too"
                                ),
                                ", and it can",
                                ", but it cannot",
                            )
                        } else if others.len() == 1 && strong.len() <= 3 {
                            (
                                format!(" The fully stable state [{what}]"),
                                " can",
                                " cannot",
                            )
                        } else {
                            (
                                format!(" The nearest other stable state is [{what}]"),
                                ", and it can",
                                ", but it cannot",
                            )
                        };
                        text.push_str(&subject);
                        let steps = |p: &Path| {
                            p.steps
                                .iter()
                                .map(|s| cx.step_text(s))
                                .collect::<Vec<_>>()
                                .join(", then ")
                        };
                        if let Some(p) = &t.by_improvements {
                            text.push_str(&format!(
                                "{yes} be reached from today in {}: {}.",
                                if p.len() == 1 {
                                    "one move that pays off for the side making it".to_string()
                                } else {
                                    format!(
                                        "{} moves, each paying off for the side making it",
                                        number(p.len())
                                    )
                                },
                                steps(p)
                            ));
                            tone = Tone::Yes;
                        } else if let Some(p) = &t.by_moves {
                            text.push_str(&format!(
                                "{no} be reached from today by moves that each pay off for the side making them. The shortest way takes {}: {}.",
                                count_words(p.len()),
                                steps(p)
                            ));
                            // The same path, seen as a package: who "moves first" depends on
                            // whether the sides move one at a time (as here) or together (as in
                            // a deal's opening package), and the answer must say which.
                            let costly = p
                                .steps
                                .iter()
                                .find(|s| cx.effect(s) == std::cmp::Ordering::Less);
                            if let Some(step) = costly
                                && p.steps.len() > 1
                            {
                                text.push_str(&format!(
                                    " So on this path, taken one move at a time, {} pays for moving; taken together, as one coordinated package, the same moves need no side to move first.",
                                    crate::words::name_in_sentence(&v.dms[step.dm].1)
                                ));
                            }
                            tone = Tone::Mixed;
                        } else {
                            text.push_str(&format!("{no} be reached from today."));
                            tone = Tone::No;
                        }
                    }
                }
            }
        }
    }
    headlines.push(Headline {
        question: Question::Stability,
        tone,
        text,
        evidence: "stability-graph".into(),
    });

    // The graph.
    let g = state_graph(&cx, &strong);
    let computed;
    let layout = match layout {
        Some(l) if l.centers.len() == g.nodes.len() => l,
        _ => {
            computed = graph::layered(&g);
            &computed
        }
    };
    let svg = graph::render(&g, layout, "fig-state-graph");
    let mut gblocks = vec![Block::Figure(Figure {
        id: "fig-state-graph".into(),
        title: "How the conflict can move from today.".into(),
        caption: if v.status_quo.is_some() {
            "Each box is a state of the conflict: which options each side has taken. Arrows are the shortest sequences of moves from today to the stable states, each move made by one side alone (its colour); a dashed arrow is a move that leaves the side making it worse off.".into()
        } else {
            "Each box is a state of the conflict: which options each side has taken. Green boxes are stable.".into()
        },
        svg,
    })];
    gblocks.push(Block::list(paths_text(&cx, &strong)));
    evidence.push(Evidence {
        id: "stability-graph".into(),
        title: "From today to the stable states".into(),
        blocks: gblocks,
    });

    // The table.
    let (diagram, table) = stability_tables(&cx, &any_eq);
    let mut blocks = vec![
        Block::Figure(Figure {
            id: "fig-stability-table".into(),
            title: "Who would leave which state.".into(),
            caption: "One row per state; for each solution concept, a filled square means that side stays (it cannot gain by leaving on its own, allowing for the others' replies), an empty one that it would leave. A state where every side stays is an equilibrium.".into(),
            svg: stability_table::render(&diagram, "fig-stability-table"),
        }),
        Block::para(format!(
            "{} of {} states are stable for every side under at least one concept. Options in bit order: {}.",
            any_eq.len(),
            n_states,
            v.options
                .iter()
                .map(|o| format!("{} ({})", o.id, v.dms[o.dm].0))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        Block::Table(table),
    ];
    if any_eq.len() + 1 > MAX_TABLE_ROWS {
        blocks.push(Block::para(format!(
            "The table lists the first {MAX_TABLE_ROWS} of these states; `--format json` or `redline stability` has them all."
        )));
    }
    evidence.push(Evidence {
        id: "stability-table".into(),
        title: "Stability table".into(),
        blocks,
    });

    Section {
        id: "stability".into(),
        lens: "stability".into(),
        title: "Stability lens: what is stable, and can it be reached".into(),
        intro: Some(
            "Each side controls some yes/no options; a state is one choice of all of them. A state is stable for a side when it cannot gain by changing its own options alone, allowing for how the others could reply. The solution concepts differ in how far ahead sides look: Nash (no look-ahead), GMR and SMR (a side fears any reply that leaves it worse off), SEQ (only replies the others gain from), SIM (moves at the same time) and SEQ+SIM. A state stable for every side is an equilibrium; one that is an equilibrium under every concept is robustly stable.".into(),
        ),
        headlines,
        evidence,
    }
}

/// `one move`, `two moves`.
fn count_words(k: usize) -> String {
    format!("{} {}", number(k), if k == 1 { "move" } else { "moves" })
}

fn paths_text(cx: &Ctx, strong: &[usize]) -> Vec<String> {
    let v = cx.v;
    let Some(sq) = &v.status_quo else {
        return strong
            .iter()
            .map(|&s| {
                format!(
                    "{} is stable under {}",
                    cx.describe(s),
                    and_list(&cx.under(s))
                )
            })
            .collect();
    };
    let mut items = Vec::new();
    let mut targets: Vec<&redline_gmcr::Target> = sq
        .targets
        .iter()
        .filter(|t| strong.contains(&t.state))
        .collect();
    targets.sort_by_key(|t| (t.state != sq.status_quo, t.state));
    for t in targets {
        let what = cx.describe(t.state);
        let under = if cx.under(t.state).len() == v.concepts.len() {
            cx.all_concepts()
        } else {
            and_list(&cx.under(t.state))
        };
        let item = if t.state == sq.status_quo {
            format!("{what} (today; stable under {under}): where the conflict is now")
        } else if let Some(p) = &t.by_improvements {
            format!(
                "{what} (stable under {under}): reachable in {}, each paying off for the side making it\n{}",
                count_words(p.len()),
                numbered(cx, p)
            )
        } else if let Some(p) = &t.by_moves {
            format!(
                "{what} (stable under {under}): not reachable by moves that each pay off; the shortest way takes {}\n{}",
                count_words(p.len()),
                numbered(cx, p)
            )
        } else {
            format!("{what} (stable under {under}): not reachable from today")
        };
        items.push(item);
    }
    let weaker = sq
        .targets
        .iter()
        .filter(|t| !strong.contains(&t.state))
        .count();
    if weaker > 0 {
        // Today itself is not "reached from today".
        let reach = sq
            .targets
            .iter()
            .filter(|t| {
                !strong.contains(&t.state)
                    && t.state != sq.status_quo
                    && t.by_improvements.is_some()
            })
            .count();
        let today_among = sq
            .targets
            .iter()
            .any(|t| !strong.contains(&t.state) && t.state == sq.status_quo);
        let others = weaker - usize::from(today_among);
        let reached = match reach {
            0 => "none".to_string(),
            r if r == weaker && weaker > 1 => "all".to_string(),
            r => number(r),
        };
        items.push(if others == 0 {
            "Today's state is also stable, under some concepts only.".to_string()
        } else if today_among {
            let rest = match (others, reach) {
                (1, 0) => "the other cannot".to_string(),
                (1, _) => "the other can".to_string(),
                (n, 0) => format!("none of the {} others can", number(n)),
                (n, r) if r == n => format!("all {} others can", number(n)),
                (n, r) => format!("{} of the {} others can", number(r), number(n)),
            };
            format!(
                "{weaker} more states are stable under some concepts only, today's among them; {rest} be reached from today by moves that each pay off."
            )
        } else {
            format!(
                "{} more {} stable under some concepts only; {reached} of {} can be reached from today by moves that each pay off.",
                weaker,
                if weaker == 1 { "state is" } else { "states are" },
                if weaker == 1 { "it" } else { "them" }
            )
        });
    }
    items
}

fn numbered(cx: &Ctx, p: &Path) -> String {
    p.steps
        .iter()
        .enumerate()
        .map(|(k, s)| format!("{}. {}", k + 1, crate::words::capitalise(&cx.step_text(s))))
        .collect::<Vec<_>>()
        .join("\n")
}

fn state_graph(cx: &Ctx, strong: &[usize]) -> StateGraph {
    let v = cx.v;
    let n = v.states.len();
    let mut chosen: Vec<usize> = Vec::new();
    let push = |s: usize, chosen: &mut Vec<usize>| {
        if !chosen.contains(&s) {
            chosen.push(s);
        }
    };
    let all = n <= DRAW_ALL_STATES;
    let targets: Vec<&redline_gmcr::Target> = v
        .status_quo
        .as_ref()
        .map(|sq| {
            sq.targets
                .iter()
                .filter(|t| all || strong.contains(&t.state))
                .collect()
        })
        .unwrap_or_default();
    if let Some(sq) = &v.status_quo {
        push(sq.status_quo, &mut chosen);
    }
    let mut edges: Vec<(usize, usize, usize)> = Vec::new();
    for t in &targets {
        if chosen.len() >= MAX_SHOWN {
            break;
        }
        push(t.state, &mut chosen);
        if let Some(p) = t.by_improvements.as_ref().or(t.by_moves.as_ref()) {
            for s in &p.steps {
                push(s.from, &mut chosen);
                push(s.to, &mut chosen);
                if !edges.iter().any(|e| e.0 == s.from && e.1 == s.to) {
                    edges.push((s.from, s.to, s.dm));
                }
            }
        }
    }
    for &s in strong {
        if chosen.len() >= MAX_SHOWN {
            break;
        }
        push(s, &mut chosen);
    }
    if all {
        for s in 0..n {
            push(s, &mut chosen);
        }
    }
    let pos = |s: usize| chosen.iter().position(|&c| c == s);
    let nodes = chosen
        .iter()
        .map(|&s| {
            let st = &v.states[s];
            let is_sq = v.status_quo.as_ref().is_some_and(|q| q.status_quo == s);
            let under = cx.under(s);
            let stable_words = if under.len() == v.concepts.len() {
                format!("stable under {}", cx.all_concepts())
            } else if under.is_empty() {
                "not stable".to_string()
            } else {
                format!(
                    "stable under {} of {} concepts",
                    under.len(),
                    v.concepts.len()
                )
            };
            let better = v.status_quo.as_ref().is_some_and(|q| {
                q.status_quo != s
                    && (0..v.dms.len()).all(|d| st.payoff[d] > v.states[q.status_quo].payoff[d])
            });
            let mut header = if is_sq {
                format!("TODAY · {stable_words}")
            } else {
                crate::words::capitalise(&stable_words)
            };
            if better {
                header.push_str(" · all prefer it to today");
            }
            GraphNode {
                key: st.pattern.clone(),
                header,
                taken: st
                    .taken
                    .iter()
                    .map(|&b| (v.options[b].dm, v.options[b].name.clone()))
                    .collect(),
                status_quo: is_sq,
                strong: strong.contains(&s),
                equilibrium: !under.is_empty(),
                tooltip: format!(
                    "state {}: {}; ranks: {}",
                    st.pattern,
                    if under.is_empty() {
                        "not stable".to_string()
                    } else {
                        format!("stable under {}", under.join(", "))
                    },
                    v.dms
                        .iter()
                        .zip(&st.payoff)
                        .map(|((_, name), p)| format!("{name} {p}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        })
        .collect();
    let edges = edges
        .iter()
        .filter_map(|&(from, to, dm)| {
            let (f, t) = (pos(from)?, pos(to)?);
            let (a, b) = (&v.states[from], &v.states[to]);
            Some(GraphEdge {
                from: f,
                to: t,
                dm,
                takes: b
                    .taken
                    .iter()
                    .filter(|x| !a.taken.contains(x))
                    .map(|&x| v.options[x].name.clone())
                    .collect(),
                drops: a
                    .taken
                    .iter()
                    .filter(|x| !b.taken.contains(x))
                    .map(|&x| v.options[x].name.clone())
                    .collect(),
                improvement: b.payoff[dm] > a.payoff[dm],
            })
        })
        .collect();
    StateGraph {
        dms: v.dms.iter().map(|(_, name)| name.clone()).collect(),
        omitted: n - chosen.len(),
        nodes,
        edges,
    }
}

/// The graph of the stability section as DOT (for `--dot`), and the graph itself (for a
/// Graphviz layout).
pub fn graph(v: &StabilityView) -> StateGraph {
    let cx = Ctx { v };
    let max_tier = v.states.iter().map(StateView::concepts).max().unwrap_or(0);
    let strong: Vec<usize> = if max_tier == 0 {
        vec![]
    } else {
        (0..v.states.len())
            .filter(|&s| v.states[s].concepts() == max_tier)
            .collect()
    };
    state_graph(&cx, &strong)
}

fn stability_tables(cx: &Ctx, any_eq: &[usize]) -> (StabilityTable, Table) {
    let v = cx.v;
    let sq = v.status_quo.as_ref().map(|q| q.status_quo);
    let mut rows: Vec<usize> = Vec::new();
    if let Some(s) = sq {
        rows.push(s);
    }
    let mut eqs: Vec<usize> = any_eq.iter().copied().filter(|&s| Some(s) != sq).collect();
    eqs.sort_by_key(|&s| (std::cmp::Reverse(v.states[s].concepts()), s));
    rows.extend(eqs);
    if v.states.len() <= DRAW_ALL_STATES {
        for s in 0..v.states.len() {
            if !rows.contains(&s) {
                rows.push(s);
            }
        }
    }
    let shown: Vec<usize> = rows.iter().copied().take(MAX_SHOWN).collect();
    let max_payoff: Vec<u32> = (0..v.dms.len())
        .map(|d| v.states.iter().map(|s| s.payoff[d]).max().unwrap_or(1))
        .collect();
    let diagram = StabilityTable {
        dms: v.dms.iter().map(|(_, n)| n.clone()).collect(),
        concepts: v
            .concepts
            .iter()
            .map(|&c| concept_label(c).to_string())
            .collect(),
        max_payoff: max_payoff.clone(),
        rows: shown
            .iter()
            .map(|&s| {
                let st = &v.states[s];
                TableRow {
                    label: if Some(s) == sq {
                        format!("Today: {}", cx.describe(s))
                    } else {
                        cx.describe(s)
                    },
                    status_quo: Some(s) == sq,
                    payoff: st.payoff.clone(),
                    stable: (0..v.concepts.len())
                        .map(|c| (0..v.dms.len()).map(|d| st.stable[d][c]).collect())
                        .collect(),
                    equilibrium: st.equilibrium.clone(),
                }
            })
            .collect(),
        omitted: rows.len() - shown.len(),
    };
    let mut header = vec!["state".to_string(), "options taken".to_string()];
    for (_, name) in &v.dms {
        header.push(format!("{name} rank"));
    }
    header.push("equilibrium under".into());
    let mut numeric = vec![false, false];
    numeric.extend(v.dms.iter().map(|_| true));
    numeric.push(false);
    let table = Table {
        header,
        rows: rows
            .iter()
            .take(MAX_TABLE_ROWS)
            .map(|&s| {
                let st = &v.states[s];
                let mut row = vec![
                    if Some(s) == sq {
                        format!("{} (today)", st.pattern)
                    } else {
                        st.pattern.clone()
                    },
                    cx.describe_short(s),
                ];
                row.extend(st.payoff.iter().map(|p| p.to_string()));
                let under = cx.under(s);
                row.push(if under.is_empty() {
                    "-".into()
                } else {
                    under.join(" ")
                });
                row
            })
            .collect(),
        numeric,
    };
    (diagram, table)
}
