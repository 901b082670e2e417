//! The deal lens in the report: can talks start (preconditions), is there an agreement everyone
//! can accept (ZOPA, or what collides and what would have to give), and which phased path leads
//! there (plan), with the Pareto plot of the deal space and the plan's timeline.

use std::collections::HashSet;

use fixedbitset::FixedBitSet;
use redline_deal::{
    Change, ConstraintKind, DealResult, DealSpec, Evaluated, OutcomeSpace, Phase, PlanStatus,
    Solution,
};
use redline_model::{RedLineKind, Scenario};
use serde::Serialize;

use crate::diagram::pareto::{self, ParetoPlot};
use crate::diagram::timeline::{self, Timeline, TimelinePhase};
use crate::model::{Block, Evidence, Figure, Headline, Question, Section, Table, Tone};
use crate::words::{and_list, capitalise, group_thousands, number, or_list, util};

/// Outcome spaces larger than this are not plotted dot by dot.
const MAX_PLOTTED_OUTCOMES: usize = 1 << 22;
/// Dots are binned on a grid this fine (per utility unit).
const BINS: f64 = 250.0;

/// Facts the report derives from the deal spec besides the lens's result.
#[derive(Debug, Clone, Default)]
pub struct DealFacts {
    /// The preconditions for talks, when the scenario has any.
    pub preconditions: Option<Preconditions>,
    /// Every feasible outcome's utilities for two parties (binned), when the space is small
    /// enough to plot.
    pub cloud: Option<Vec<(f64, f64, bool)>>,
}

/// Whether the parties' preconditions for talks fit together (`result.preconditions`).
#[derive(Debug, Clone, Serialize)]
pub struct Preconditions {
    /// Every precondition of a party.
    pub items: Vec<PreconditionItem>,
    /// Whether some possible agreement (one breaking no linkage) meets them all.
    pub compatible: bool,
    /// When not: minimal sets of precondition ids that cannot hold together.
    pub conflicts: Vec<Vec<String>>,
    /// When they fit but do not all hold today: the smallest change from today that meets them
    /// all (fewest issues moved, then fewest steps on ordered issues).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening: Option<Vec<IssueMove>>,
}

/// One precondition.
#[derive(Debug, Clone, Serialize)]
pub struct PreconditionItem {
    pub id: String,
    /// The owning party's id.
    pub owner: String,
    pub rule: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it holds in the status quo (absent when the scenario gives no status quo).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holds_today: Option<bool>,
}

/// One issue moving from one value to another.
#[derive(Debug, Clone, Serialize)]
pub struct IssueMove {
    pub issue: String,
    pub from: String,
    pub to: String,
    /// Parties whose evaluation of the issue rises.
    pub gains: Vec<String>,
    /// Parties whose evaluation of the issue falls.
    pub concedes: Vec<String>,
}

/// Computes the report's extra facts. Never fails: what cannot be computed is left out.
pub fn facts(sc: &Scenario, spec: &DealSpec, max_outcomes: u64) -> DealFacts {
    let Ok(space) = OutcomeSpace::new(spec, max_outcomes) else {
        return DealFacts::default();
    };
    let mut feasible = space.cond_set(&redline_deal::Cond::True);
    for l in &spec.linkages {
        feasible.intersect_with(&space.cond_set(&l.cond));
    }
    let preconditions = preconditions(sc, spec, &space, &feasible);
    let cloud = (spec.parties.len() == 2 && space.len() <= MAX_PLOTTED_OUTCOMES)
        .then(|| Evaluated::new(spec, max_outcomes, 0.0).ok())
        .flatten()
        .map(|ev| {
            let mut seen = HashSet::new();
            let mut out = Vec::new();
            for i in ev.feasible.ones() {
                let (x, y) = (ev.utilities[0][i], ev.utilities[1][i]);
                let z = ev.zopa.contains(i);
                let key = ((x * BINS).round() as i64, (y * BINS).round() as i64, z);
                if seen.insert(key) {
                    out.push((key.0 as f64 / BINS, key.1 as f64 / BINS, z));
                }
            }
            out
        });
    DealFacts {
        preconditions,
        cloud,
    }
}

fn preconditions(
    sc: &Scenario,
    spec: &DealSpec,
    space: &OutcomeSpace,
    feasible: &FixedBitSet,
) -> Option<Preconditions> {
    let pre: Vec<&redline_deal::Constraint> = spec
        .red_lines
        .iter()
        .filter(|r| {
            sc.red_lines
                .iter()
                .any(|s| s.id == r.id && s.kind == RedLineKind::Precondition)
        })
        .collect();
    if pre.is_empty() {
        return None;
    }
    let sets: Vec<FixedBitSet> = pre.iter().map(|r| space.cond_set(&r.cond)).collect();
    let meet = |subset: &[usize]| {
        let mut s = feasible.clone();
        for &k in subset {
            s.intersect_with(&sets[k]);
        }
        s
    };
    let all: Vec<usize> = (0..pre.len()).collect();
    let both = meet(&all);
    let compatible = both.count_ones(..) > 0;
    let items = pre
        .iter()
        .map(|r| {
            let s = sc.red_lines.iter().find(|s| s.id == r.id);
            PreconditionItem {
                id: r.id.clone(),
                owner: spec.parties[r.owner].id.clone(),
                rule: r.label.clone(),
                description: s.and_then(|s| s.description.clone()),
                holds_today: spec.status_quo.as_ref().map(|sq| r.cond.eval(sq)),
            }
        })
        .collect::<Vec<_>>();
    let mut conflicts: Vec<Vec<usize>> = Vec::new();
    if !compatible && pre.len() <= 16 {
        // Minimal unsatisfiable subsets, smallest first.
        let n = pre.len();
        let mut masks: Vec<u32> = (1..(1u32 << n)).collect();
        masks.sort_by_key(|m| (m.count_ones(), *m));
        let mut found: Vec<u32> = Vec::new();
        for m in masks {
            if found.iter().any(|f| m & f == *f) {
                continue;
            }
            let subset: Vec<usize> = (0..n).filter(|k| m & (1 << k) != 0).collect();
            if meet(&subset).count_ones(..) == 0 {
                found.push(m);
                conflicts.push(subset);
            }
        }
    }
    let opening = match &spec.status_quo {
        Some(sq) if compatible && items.iter().any(|i| i.holds_today == Some(false)) => {
            let mut best: Option<((usize, usize, usize), Vec<usize>)> = None;
            for i in both.ones() {
                let o = space.decode(i);
                let mut changed = 0;
                let mut steps = 0;
                for (k, (&a, &b)) in sq.iter().zip(&o).enumerate() {
                    if a != b {
                        changed += 1;
                        steps += if spec.issues[k].ordered {
                            a.abs_diff(b)
                        } else {
                            1
                        };
                    }
                }
                let key = (changed, steps, i);
                if best.as_ref().is_none_or(|(b, _)| key < *b) {
                    best = Some((key, o));
                }
            }
            best.map(|(_, o)| moves(spec, sq, &o))
        }
        _ => None,
    };
    Some(Preconditions {
        items,
        compatible,
        conflicts: conflicts
            .into_iter()
            .map(|c| c.into_iter().map(|k| pre[k].id.clone()).collect())
            .collect(),
        opening,
    })
}

fn moves(spec: &DealSpec, from: &[usize], to: &[usize]) -> Vec<IssueMove> {
    let mut out = Vec::new();
    for (k, (&a, &b)) in from.iter().zip(to).enumerate() {
        if a == b {
            continue;
        }
        let mut gains = Vec::new();
        let mut concedes = Vec::new();
        for p in &spec.parties {
            let w = p.weights[k];
            let (ea, eb) = (w * p.evaluations[k][a], w * p.evaluations[k][b]);
            if eb > ea {
                gains.push(p.id.clone());
            } else if eb < ea {
                concedes.push(p.id.clone());
            }
        }
        out.push(IssueMove {
            issue: spec.issues[k].id.clone(),
            from: spec.issues[k].values[a].label.clone(),
            to: spec.issues[k].values[b].label.clone(),
            gains,
            concedes,
        });
    }
    out
}

/// What the deal section is built from.
#[derive(Debug, Clone, Copy)]
pub struct DealInput<'a> {
    pub scenario: &'a Scenario,
    /// The lens's result with the default plan parameters.
    pub result: &'a DealResult,
    /// The phase size limit used for `result`.
    pub max_issues_per_phase: usize,
    /// When the default plan was blocked by the phase size: the smallest larger limit that
    /// found a plan, with that run's result.
    pub wider: Option<(usize, &'a DealResult)>,
    pub facts: &'a DealFacts,
}

struct Names<'a> {
    sc: &'a Scenario,
    /// Party ids in order.
    parties: Vec<String>,
}

impl Names<'_> {
    /// The actor's name as it reads in a sentence (`the United States`).
    fn actor(&self, id: &str) -> String {
        crate::words::name_in_sentence(&self.actor_plain(id))
    }

    /// The actor's name as written (`United States`), for headings and tables.
    fn actor_plain(&self, id: &str) -> String {
        self.sc
            .actor_index(id)
            .map_or(id.to_string(), |a| self.sc.actors[a].name.clone())
    }

    fn possessive(&self, id: &str) -> String {
        crate::words::possessive(&self.actor_plain(id))
    }

    /// The issue's name mid-sentence (`de-escalation and cease-fire`).
    fn issue(&self, id: &str) -> String {
        crate::words::lower_first(&self.issue_plain(id))
    }

    fn issue_plain(&self, id: &str) -> String {
        self.sc
            .issue_index(id)
            .map_or(id.to_string(), |i| self.sc.issues[i].name.clone())
    }

    fn red_line(&self, id: &str) -> Option<&redline_model::RedLine> {
        self.sc.red_lines.iter().find(|r| r.id == id)
    }

    /// A red line's description (or rule) to quote mid-sentence.
    fn rule_text(&self, id: &str) -> String {
        let t = self
            .red_line(id)
            .map(|r| r.description.clone().unwrap_or_else(|| r.text.clone()))
            .unwrap_or_else(|| id.to_string());
        crate::words::lower_first(&crate::words::unstop(&t))
    }

    /// `Iran and the United States`, or `both` / `every party` when `ids` are all parties.
    fn parties(&self, ids: &[String]) -> String {
        if ids.len() >= 2 && ids.len() == self.parties.len() {
            return if ids.len() == 2 {
                "both".into()
            } else {
                "every party".into()
            };
        }
        and_list(&ids.iter().map(|p| self.actor(p)).collect::<Vec<_>>())
    }

    /// `Iran and the United States`, always by name.
    fn named(&self, ids: &[String]) -> String {
        and_list(&ids.iter().map(|p| self.actor(p)).collect::<Vec<_>>())
    }
}

/// `Iran 0.79 and the United States 0.72`.
fn utilities_text(n: &Names, u: &indexmap::IndexMap<String, f64>) -> String {
    and_list(
        &u.iter()
            .map(|(k, v)| format!("{} {}", n.actor(k), util(*v)))
            .collect::<Vec<_>>(),
    )
}

/// `Issue: value; …`.
fn outcome_text(n: &Names, o: &indexmap::IndexMap<String, String>) -> String {
    o.iter()
        .map(|(k, v)| format!("{}: {v}", n.issue_plain(k)))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A move in words: `pressure during talks from maintained to paused (the United States gives
/// this)`.
fn move_text(n: &Names, m: (&str, &str, &str), gains: &[String], concedes: &[String]) -> String {
    let (issue, from, to) = m;
    let who = match (concedes.is_empty(), gains.is_empty()) {
        (false, _) => format!(
            "{} give{} this",
            n.named(concedes),
            if concedes.len() == 1 { "s" } else { "" }
        ),
        (true, false) => format!("a gain for {}", n.parties(gains)),
        (true, true) => "no one's utility changes".to_string(),
    };
    format!("{} from {from} to {to} ({who})", n.issue(issue))
}

fn change_text(n: &Names, c: &redline_deal::IssueChange) -> String {
    move_text(n, (&c.issue, &c.from, &c.to), &c.gains, &c.concedes)
}

fn concessions(p: &Phase) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &p.changes {
        for q in &c.concedes {
            if !out.contains(q) {
                out.push(q.clone());
            }
        }
    }
    out
}

/// Who moves first, from the first phase's concessions.
fn first_mover_sentence(n: &Names, p: &Phase) -> String {
    let concede = concessions(p);
    let all_better = concede.iter().all(|c| p.gets.contains(c));
    match concede.len() {
        0 => "No one gives anything in this first phase: it leaves every party better off.".into(),
        1 => {
            let mut others: Vec<String> = Vec::new();
            for g in p.changes.iter().flat_map(|c| &c.gains) {
                if *g != concede[0] && !others.contains(g) {
                    others.push(g.clone());
                }
            }
            if others.is_empty() {
                format!("{} moves first.", capitalise(&n.actor(&concede[0])))
            } else {
                format!(
                    "{} moves first, and {} gain{} in the same phase.",
                    capitalise(&n.actor(&concede[0])),
                    n.named(&others),
                    if others.len() == 1 { "s" } else { "" }
                )
            }
        }
        _ => format!(
            "So no one moves first: {} move together, in one package{}.",
            n.named(&concede),
            if all_better {
                ", and each comes out of it better off"
            } else {
                ""
            }
        ),
    }
}

/// Builds the deal section.
pub fn section(input: &DealInput) -> Section {
    let sc = input.scenario;
    let r = input.result;
    let party_ids: Vec<String> = r.solutions.disagreement.keys().cloned().collect();
    let n = Names {
        sc,
        parties: party_ids.clone(),
    };
    let mut headlines = Vec::new();
    let mut evidence = Vec::new();

    // Preconditions.
    if let Some(pre) = &input.facts.preconditions {
        let (h, e) = preconditions_part(&n, pre);
        headlines.push(h);
        evidence.push(e);
    }

    // ZOPA.
    let (h, e) = zopa_part(&n, r, &party_ids);
    headlines.push(h);
    evidence.push(e);

    // The plan used by the answers: the default one, or the wider one that worked.
    let plan_result = input.wider.map_or(r, |(_, w)| w);
    if party_ids.len() == 2
        && let Some(cloud) = &input.facts.cloud
    {
        evidence.push(space_part(&n, r, plan_result, cloud, &party_ids));
    }
    if !r.pareto.is_empty() {
        evidence.push(frontier_part(&n, r, &party_ids));
    }
    if r.solutions.nash.is_some() {
        evidence.push(solutions_part(&n, r, &party_ids));
    }
    if let Some((h, e)) = plan_part(&n, input, &party_ids) {
        headlines.push(h);
        evidence.push(e);
    }

    Section {
        id: "deal".into(),
        lens: "deal".into(),
        title: "Deal lens: is there an agreement, and how to get there".into(),
        intro: Some(
            "Every combination of values of the issues on the table is a possible agreement. Each party scores it from 0 (worst) to 1 (best) with its utility function; it accepts only agreements that break none of its red lines or preconditions and score at least its walk-away value (what it expects without a deal). The agreements every party accepts form the zone of possible agreement (ZOPA).".into(),
        ),
        headlines,
        evidence,
    }
}

fn zopa_part(n: &Names, r: &DealResult, party_ids: &[String]) -> (Headline, Evidence) {
    let id = "deal-zopa".to_string();
    let mut blocks = Vec::new();
    let headline = if r.zopa.exists {
        let mut text = format!(
            "Yes: {} of the {} possible agreements are acceptable to {}",
            group_thousands(r.zopa.size),
            group_thousands(r.outcome_count),
            if party_ids.len() == 2 {
                format!("both {}", n.named(party_ids))
            } else {
                format!("all of {}", n.named(party_ids))
            }
        );
        text.push_str(&format!(
            ", and {} of those are efficient (no other acceptable deal is better for one side without being worse for another).",
            number(r.pareto.len())
        ));
        if let Some(nash) = &r.solutions.nash {
            let d: Vec<f64> = r.solutions.disagreement.values().copied().collect();
            let walk = if d.iter().all(|&x| x <= 0.0) {
                "no side has a walk-away value above 0".to_string()
            } else if d.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-9) {
                format!(
                    "each side walks away below {}",
                    util(d.first().copied().unwrap_or(0.0))
                )
            } else {
                format!(
                    "against walk-away values of {}",
                    utilities_text(n, &r.solutions.disagreement)
                )
            };
            let walk = format!("{walk}{}", source_text(n, &r.solutions));
            text.push_str(&format!(
                " The Nash bargaining solution, the standard benchmark for a fair split, gives {} on a scale from 0 to 1; {walk}.",
                utilities_text(n, &nash.utilities)
            ));
        }
        blocks.push(Block::para(format!(
            "{} of {} possible agreements are acceptable to every party: they break no red line or precondition and give every party at least its walk-away value (reservation).",
            group_thousands(r.zopa.size),
            group_thousands(r.outcome_count)
        )));
        Headline {
            question: Question::Agreement,
            tone: Tone::Yes,
            text,
            evidence: id.clone(),
        }
    } else {
        let conflict = r.zopa.conflicts.first().map(|c| {
            and_list(
                &c.constraints
                    .iter()
                    .map(|k| constraint_text(n, k))
                    .collect::<Vec<_>>(),
            )
        });
        let both = r
            .zopa
            .conflicts
            .first()
            .is_some_and(|c| c.constraints.len() == 2);
        let mut text = match &conflict {
            Some(c) => format!(
                "No: {c} cannot {} hold at once.",
                if both { "both" } else { "all" }
            ),
            None => "No: no outcome is acceptable to every party.".to_string(),
        };
        if r.zopa.conflicts.len() > 1 {
            text.push_str(&format!(
                " That is one of {} such collisions.",
                number(r.zopa.conflicts.len())
            ));
        }
        let gives: Vec<String> = r
            .zopa
            .relaxations
            .iter()
            .take(3)
            .map(|rel| relaxation_text(n, rel))
            .collect();
        if !gives.is_empty() {
            text.push_str(&format!(
                " What would have to give (any one of these opens a zone of agreement): {}.",
                or_list(&gives)
            ));
        }
        blocks.push(Block::para(
            "No possible agreement is acceptable to every party. These sets of constraints cannot hold together (each set is minimal: drop any one of its members and the rest can hold):",
        ));
        blocks.push(Block::list(
            r.zopa
                .conflicts
                .iter()
                .map(|c| {
                    and_list(
                        &c.constraints
                            .iter()
                            .map(|k| constraint_text(n, k))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect(),
        ));
        if !r.zopa.relaxations.is_empty() {
            blocks.push(Block::para(
                "What would open a zone of agreement (smallest changes first):",
            ));
            blocks.push(Block::list(
                r.zopa
                    .relaxations
                    .iter()
                    .map(|rel| {
                        format!(
                            "{}\nfor example: {}",
                            relaxation_text(n, rel),
                            outcome_text(n, &rel.witness.outcome)
                        )
                    })
                    .collect(),
            ));
        }
        if let Some(note) = &r.zopa.note {
            blocks.push(Block::para(format!("Note: {note}")));
        }
        Headline {
            question: Question::Agreement,
            tone: Tone::No,
            text,
            evidence: id.clone(),
        }
    };
    (
        headline,
        Evidence {
            id,
            title: "Zone of possible agreement".into(),
            blocks,
        },
    )
}

fn constraint_text(n: &Names, k: &redline_deal::ConstraintRef) -> String {
    match k.kind {
        ConstraintKind::RedLine => {
            let kind = n.red_line(&k.id).map_or("red line", |r| match r.kind {
                RedLineKind::RedLine => "red line",
                RedLineKind::Precondition => "precondition",
            });
            let owner = k
                .party
                .as_deref()
                .map(|p| n.possessive(p))
                .unwrap_or_default();
            format!("{owner} {kind} ({})", n.rule_text(&k.id))
        }
        ConstraintKind::Linkage => {
            let text =
                n.sc.linkages
                    .iter()
                    .find(|l| l.id == k.id)
                    .map(|l| l.description.clone().unwrap_or_else(|| l.text.clone()))
                    .unwrap_or_else(|| k.label.clone());
            format!(
                "the linkage ({})",
                crate::words::lower_first(&crate::words::unstop(&text))
            )
        }
        ConstraintKind::Reservation => {
            let p = k.party.as_deref().unwrap_or(&k.id);
            format!("{} walk-away value", n.possessive(p))
        }
    }
}

fn relaxation_text(n: &Names, rel: &redline_deal::Relaxation) -> String {
    let parts: Vec<String> = rel
        .changes
        .iter()
        .map(|c| match c {
            Change::Drop { constraint } => format!("drop {}", constraint_text(n, constraint)),
            Change::LowerReservation { party, by, to } => format!(
                "lower {} walk-away value by {by:.2} (to {to:.2})",
                n.possessive(party)
            ),
        })
        .collect();
    and_list(&parts)
}

fn preconditions_part(n: &Names, pre: &Preconditions) -> (Headline, Evidence) {
    let id = "deal-preconditions".to_string();
    let mut owners: Vec<String> = Vec::new();
    for i in &pre.items {
        if !owners.contains(&i.owner) {
            owners.push(i.owner.clone());
        }
    }
    let describe = |i: &PreconditionItem| {
        crate::words::lower_first(&crate::words::unstop(
            i.description.as_deref().unwrap_or(&i.rule),
        ))
    };
    // `Iran's precondition (…) and the United States' (…)`.
    let named = |items: &[&PreconditionItem]| {
        let parts: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(k, i)| {
                if k == 0 {
                    format!("{} precondition ({})", n.possessive(&i.owner), describe(i))
                } else {
                    format!("{} ({})", n.possessive(&i.owner), describe(i))
                }
            })
            .collect();
        and_list(&parts)
    };
    let not_today: Vec<&PreconditionItem> = pre
        .items
        .iter()
        .filter(|i| i.holds_today == Some(false))
        .collect();
    let all: Vec<&PreconditionItem> = pre.items.iter().collect();
    let (tone, text) = if !pre.compatible {
        let first: Vec<&PreconditionItem> = pre
            .conflicts
            .first()
            .map(|c| {
                c.iter()
                    .filter_map(|id| pre.items.iter().find(|i| &i.id == id))
                    .collect()
            })
            .unwrap_or_else(|| all.clone());
        (
            Tone::No,
            format!(
                "No: {} cannot hold together{}.",
                named(&first),
                if n.sc.linkages.is_empty() {
                    ""
                } else {
                    " with the linkages"
                }
            ),
        )
    } else if not_today.is_empty() {
        (
            Tone::Yes,
            format!(
                "Yes: {} can hold together, and already hold today.",
                named(&all)
            ),
        )
    } else {
        let moves = pre.opening.as_ref().map_or(0, Vec::len);
        let mut t = if moves > 0 {
            format!(
                "Yes, once {} {}. ",
                count_words(moves, "issue", "issues"),
                if moves == 1 { "moves" } else { "move" }
            )
        } else {
            "Yes, in principle. ".to_string()
        };
        let holds = if not_today.len() == pre.items.len() {
            match pre.items.len() {
                1 => "it does not hold today".to_string(),
                2 => "neither holds today".to_string(),
                _ => "none of them holds today".to_string(),
            }
        } else {
            format!(
                "{} of them {} not hold today",
                number(not_today.len()),
                if not_today.len() == 1 { "does" } else { "do" }
            )
        };
        t.push_str(&format!(
            "{} can hold together, but {holds}.",
            capitalise(&named(&all))
        ));
        if let Some(o) = &pre.opening {
            t.push_str(&format!(
                " The smallest opening that meets {} moves {}.",
                if pre.items.len() == 2 {
                    "both"
                } else {
                    "them all"
                },
                and_list(
                    &o.iter()
                        .map(|m| move_text(n, (&m.issue, &m.from, &m.to), &m.gains, &m.concedes))
                        .collect::<Vec<_>>()
                )
            ));
        }
        (Tone::Mixed, t)
    };
    let mut blocks = vec![Block::para(
        "Preconditions are red lines about the process: what a side requires before or during talks. Talks can start only when every side's preconditions can hold at once.",
    )];
    blocks.push(Block::list(
        pre.items
            .iter()
            .map(|i| {
                format!(
                    "{} precondition: {}{}\nrule: `{}`",
                    n.actor_plain(&i.owner),
                    i.description.as_deref().unwrap_or(&i.rule),
                    match i.holds_today {
                        Some(true) => " (holds today)",
                        Some(false) => " (does not hold today)",
                        None => "",
                    },
                    i.rule
                )
            })
            .collect(),
    ));
    if !pre.conflicts.is_empty() {
        blocks.push(Block::para("These preconditions cannot hold together:"));
        blocks.push(Block::list(
            pre.conflicts
                .iter()
                .map(|c| {
                    named(
                        &c.iter()
                            .filter_map(|id| pre.items.iter().find(|i| &i.id == id))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect(),
        ));
    }
    if let Some(o) = &pre.opening {
        blocks.push(Block::para(
            "The smallest change from today that meets every precondition (fewest issues moved, then the smallest steps):",
        ));
        blocks.push(Block::list(
            o.iter()
                .map(|m| move_text(n, (&m.issue, &m.from, &m.to), &m.gains, &m.concedes))
                .collect(),
        ));
    }
    (
        Headline {
            question: Question::TalksStart,
            tone,
            text,
            evidence: id.clone(),
        },
        Evidence {
            id,
            title: "Preconditions for talks".into(),
            blocks,
        },
    )
}

/// `three issues`.
fn count_words(k: usize, singular: &str, plural: &str) -> String {
    format!("{} {}", number(k), if k == 1 { singular } else { plural })
}

fn point(u: &indexmap::IndexMap<String, f64>, ids: &[String]) -> (f64, f64) {
    (
        u.get(&ids[0]).copied().unwrap_or(0.0),
        u.get(&ids[1]).copied().unwrap_or(0.0),
    )
}

fn space_part(
    n: &Names,
    r: &DealResult,
    plan: &DealResult,
    cloud: &[(f64, f64, bool)],
    ids: &[String],
) -> Evidence {
    let sol = &r.solutions;
    let mut solutions = Vec::new();
    for (name, s) in [
        ("Nash", &sol.nash),
        ("Kalai–Smorodinsky", &sol.kalai_smorodinsky),
        ("egalitarian", &sol.egalitarian),
        ("utilitarian", &sol.utilitarian),
    ] {
        if let Some(Solution { utilities, .. }) = s {
            solutions.push((name.to_string(), point(utilities, ids)));
        }
    }
    let start = plan.plan.start.as_ref();
    let plot = ParetoPlot {
        parties: [n.actor_plain(&ids[0]), n.actor_plain(&ids[1])],
        cloud: cloud.to_vec(),
        outcome_count: r.outcome_count,
        frontier: r.pareto.iter().map(|p| point(&p.utilities, ids)).collect(),
        frontier_all: r
            .pareto_all
            .iter()
            .map(|p| point(&p.utilities, ids))
            .collect(),
        reservation: point(&sol.disagreement, ids),
        solutions,
        status_quo: start.map(|s| point(&s.utilities, ids)),
        plan: if plan.plan.status == PlanStatus::Found {
            plan.phases
                .iter()
                .map(|p| point(&p.utilities, ids))
                .collect()
        } else {
            vec![]
        },
    };
    let mut blocks = vec![Block::Figure(Figure {
        id: "fig-deal-space".into(),
        title: "Every possible agreement, scored by both sides.".into(),
        caption: format!(
            "Each dot is a possible agreement: further right is better for {}, higher is better for {}. Green dots are acceptable to both; the dark line joins the efficient ones. The purple markers are the standard fair-division benchmarks; the orange path runs from today through the phases of the plan.",
            n.actor(&ids[0]),
            n.actor(&ids[1])
        ),
        svg: pareto::render(&plot, "fig-deal-space"),
    })];
    if let Some(s) = start {
        let below: Vec<String> = ids
            .iter()
            .filter(|p| {
                s.utilities.get(*p).copied().unwrap_or(0.0)
                    < sol.disagreement.get(*p).copied().unwrap_or(0.0)
            })
            .cloned()
            .collect();
        blocks.push(Block::para(format!(
            "Today's state of the issues gives {}{}.",
            utilities_text(n, &s.utilities),
            if below.is_empty() {
                String::new()
            } else {
                format!(
                    ", which leaves {} below {} walk-away value",
                    n.named(&below),
                    if below.len() == 1 { "its" } else { "their" }
                )
            }
        )));
    }
    Evidence {
        id: "deal-space".into(),
        title: "The deal space".into(),
        blocks,
    }
}

/// A table of outcomes: one column per party's utility, then one per issue.
fn outcome_table<'a>(
    n: &Names,
    ids: &[String],
    label: Option<&str>,
    rows: impl Iterator<
        Item = (
            Option<String>,
            &'a indexmap::IndexMap<String, f64>,
            &'a indexmap::IndexMap<String, String>,
        ),
    >,
) -> Table {
    let rows: Vec<_> = rows.collect();
    let issues: Vec<String> = rows
        .first()
        .map(|(_, _, o)| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut header: Vec<String> = label.map(|l| vec![l.to_string()]).unwrap_or_default();
    header.extend(ids.iter().map(|p| n.actor_plain(p)));
    header.extend(issues.iter().cloned());
    let mut numeric: Vec<bool> = label.map(|_| vec![false]).unwrap_or_default();
    numeric.extend(ids.iter().map(|_| true));
    numeric.extend(issues.iter().map(|_| false));
    Table {
        header,
        rows: rows
            .into_iter()
            .map(|(l, u, o)| {
                let mut row: Vec<String> = l.into_iter().collect();
                row.extend(
                    ids.iter()
                        .map(|id| format!("{:.3}", u.get(id).copied().unwrap_or(0.0))),
                );
                row.extend(issues.iter().map(|i| o.get(i).cloned().unwrap_or_default()));
                row
            })
            .collect(),
        numeric,
    }
}

fn frontier_part(n: &Names, r: &DealResult, ids: &[String]) -> Evidence {
    const SHOW: usize = 10;
    let mut blocks = vec![Block::para(format!(
        "{} acceptable agreements are efficient: no other acceptable agreement is better for one party without being worse for another. Utilities first, then the value of each issue (columns by issue id; the issues are listed under “The scenario as modelled”).",
        group_thousands(r.pareto.len() as u64),
    ))];
    blocks.push(Block::Table(outcome_table(
        n,
        ids,
        None,
        r.pareto
            .iter()
            .take(SHOW)
            .map(|p| (None, &p.utilities, &p.outcome)),
    )));
    if r.pareto.len() > SHOW {
        blocks.push(Block::Details {
            summary: format!("… and {} more", r.pareto.len() - SHOW),
            blocks: vec![Block::Table(outcome_table(
                n,
                ids,
                None,
                r.pareto
                    .iter()
                    .skip(SHOW)
                    .map(|p| (None, &p.utilities, &p.outcome)),
            ))],
        });
    }
    Evidence {
        id: "deal-frontier".into(),
        title: "Efficient agreements".into(),
        blocks,
    }
}

/// Where the walk-away values come from, as a clause: " (each side's is what today's outcome
/// gives it: no deal means today continues)", or per party when they differ.
fn source_text(n: &Names, sol: &redline_deal::Solutions) -> String {
    use redline_model::ReservationSource as S;
    let sources: Vec<S> = sol.disagreement_source.values().copied().collect();
    match sources.first() {
        None => String::new(),
        Some(&first) if sources.iter().all(|&s| s == first) => match first {
            S::StatusQuo => " (each side's walk-away value is what today's outcome gives it: no deal means today continues)".into(),
            S::Given => " (walk-away values as the scenario gives them)".into(),
            S::Zero => " (no walk-away values are given and there is no complete status quo, so they are 0)".into(),
        },
        Some(_) => {
            let parts: Vec<String> = sol
                .disagreement_source
                .iter()
                .map(|(id, s)| format!("{}: {}", n.actor_plain(id), s.short()))
                .collect();
            format!(" (walk-away values: {})", parts.join("; "))
        }
    }
}

fn solutions_part(n: &Names, r: &DealResult, ids: &[String]) -> Evidence {
    let sol = &r.solutions;
    let rows = [
        ("Nash bargaining", &sol.nash),
        ("Kalai–Smorodinsky", &sol.kalai_smorodinsky),
        ("egalitarian", &sol.egalitarian),
        ("utilitarian", &sol.utilitarian),
    ]
    .into_iter()
    .filter_map(|(name, s)| {
        s.as_ref()
            .map(|s| (Some(name.to_string()), &s.utilities, &s.outcome))
    });
    Evidence {
        id: "deal-solutions".into(),
        title: "Fair and efficient deals".into(),
        blocks: vec![
            Block::para(format!(
                "Standard benchmarks for a fair split, measured from the walk-away point ({}): Nash bargaining maximises the product of the gains over walk-away values; Kalai–Smorodinsky gives each side the same share of its best possible gain; egalitarian maximises the smallest gain; utilitarian maximises the sum.",
                utilities_text(n, &sol.disagreement)
            )),
            Block::Table(outcome_table(n, ids, Some("benchmark"), rows)),
        ],
    }
}

fn blocker_text(n: &Names, b: &redline_deal::Blocker, limit: usize) -> String {
    match b.kind.as_str() {
        "red_line" => {
            let r = n.red_line(&b.id);
            let kind = r.map_or("red line", |r| match r.kind {
                RedLineKind::RedLine => "red line",
                RedLineKind::Precondition => "precondition",
            });
            let owner = r
                .map(|r| n.possessive(&n.sc.actors[r.owner].id))
                .unwrap_or_default();
            format!("{owner} {kind} ({})", n.rule_text(&b.id))
        }
        "phase_size" => format!("the limit of {limit} issues per phase"),
        "status_quo" => format!(
            "the rule that {} stays at least as well off as today",
            n.actor(&b.id)
        ),
        "sequencing" => match n.sc.sequencing.iter().find(|q| q.id == b.id) {
            Some(q) => format!(
                "the sequencing rule ({} moves {} {})",
                n.issue(&n.sc.issues[q.first].id),
                if q.strict {
                    "strictly before"
                } else {
                    "no later than"
                },
                n.issue(&n.sc.issues[q.then].id)
            ),
            None => format!("the sequencing rule ({})", b.label),
        },
        "linkage" => format!("the linkage ({})", b.label),
        _ => b.label.clone(),
    }
}

fn phase_block(n: &Names, p: &Phase) -> String {
    let changes: Vec<String> = p.changes.iter().map(|c| change_text(n, c)).collect();
    let mut s = format!("Phase {}: {}", p.number, changes.join("; "));
    for line in phase_moves(n, p) {
        s.push('\n');
        s.push_str(&line);
    }
    if !p.verify.is_empty() {
        s.push_str(&format!(
            "\nverified before the next phase: {}",
            and_list(&p.verify.iter().map(|i| n.issue(i)).collect::<Vec<_>>())
        ));
    }
    s.push_str(&format!(
        "\nutilities after: {} (the least gain over today: {:+.3})",
        utilities_text(n, &p.utilities),
        p.margin
    ));
    s
}

/// `Iran gives: verification and transparency`, `better off: both`.
fn phase_moves(n: &Names, p: &Phase) -> Vec<String> {
    let mut out = Vec::new();
    for g in &concessions(p) {
        let what: Vec<String> = p
            .changes
            .iter()
            .filter(|c| c.concedes.contains(g))
            .map(|c| n.issue(&c.issue))
            .collect();
        out.push(format!(
            "{} gives: {}",
            capitalise(&n.actor(g)),
            and_list(&what)
        ));
    }
    if !p.gets.is_empty() {
        out.push(format!("better off after it: {}", n.parties(&p.gets)));
    }
    out
}

fn plan_part(n: &Names, input: &DealInput, ids: &[String]) -> Option<(Headline, Evidence)> {
    let r = input.result;
    let id = "deal-plan".to_string();
    let limit = input.max_issues_per_phase;
    let mut blocks = Vec::new();
    let chosen: Option<(usize, &DealResult)> = match r.plan.status {
        PlanStatus::Found => Some((limit, r)),
        _ => input.wider,
    };
    let unblockers: Vec<String> = r
        .plan
        .blockers
        .iter()
        .filter(|b| b.unblocks && b.kind != "phase_size")
        .map(|b| blocker_text(n, b, limit))
        .collect();
    let blocker_list = |blocks: &mut Vec<Block>| {
        blocks.push(Block::list(
            r.plan
                .blockers
                .iter()
                .map(|b| {
                    format!(
                        "{}{}",
                        capitalise(&blocker_text(n, b, limit)),
                        if b.unblocks {
                            " (dropping it alone would allow a plan)"
                        } else {
                            ""
                        }
                    )
                })
                .collect(),
        ));
    };
    let (tone, text) = match (r.plan.status, chosen) {
        (PlanStatus::NoStatusQuo | PlanStatus::TooLarge, None) if r.phases.is_empty() => {
            if r.plan.status == PlanStatus::NoStatusQuo {
                return None;
            }
            blocks.push(Block::para(format!("{}.", capitalise(&r.plan.message))));
            (
                Tone::Neutral,
                format!(
                    "The plan search gave up: {}.",
                    crate::words::unstop(&r.plan.message)
                ),
            )
        }
        (PlanStatus::AlreadyThere, _) => {
            let t = "Today already is the target deal: no phases are needed.".to_string();
            blocks.push(Block::para(t.clone()));
            (Tone::Yes, t)
        }
        (PlanStatus::NoTarget, _) => {
            let t = "There is no phased path: without an agreement acceptable to every party there is nothing to phase in.".to_string();
            blocks.push(Block::para(t.clone()));
            (Tone::No, t)
        }
        (_, Some((k, res))) => {
            let mut t = String::new();
            if r.plan.status != PlanStatus::Found {
                t.push_str(&format!(
                    "Not in phases of at most {limit} issues: every such plan breaks a rule"
                ));
                if !unblockers.is_empty() {
                    t.push_str(&format!(
                        ", and only dropping {} would change that",
                        or_list(&unblockers)
                    ));
                }
                t.push_str(&format!(
                    ". With an opening package of {k} issues, a {}-phase plan works",
                    res.phases.len()
                ));
            } else {
                t.push_str(&format!(
                    "A {}-phase plan works, moving at most {k} issues per phase",
                    res.phases.len()
                ));
            }
            if let Some(target) = &res.plan.target {
                t.push_str(&format!(
                    ": it leads from today to the Nash deal ({}) and leaves every party better off than today after every phase (by at least {})",
                    utilities_text(n, &target.utilities),
                    util(res.plan.min_margin.unwrap_or(0.0))
                ));
            }
            t.push('.');
            if !res.plan.stop_early.is_empty() {
                let who: Vec<String> = res
                    .plan
                    .stop_early
                    .iter()
                    .map(|s| {
                        format!(
                            "{} would be better off stopping after phase {} ({} then, against {} at the end)",
                            n.actor_plain(&s.party),
                            s.phase,
                            util(s.utility_then),
                            util(s.utility_at_end)
                        )
                    })
                    .collect();
                t.push_str(&format!(" It is not self-enforcing: {}.", and_list(&who)));
            } else if res.plan.self_enforcing {
                t.push_str(&format!(
                    " It is self-enforcing: no side's utility falls from one phase to the next (each phase gains every side at least {}), so neither gains by stopping half-way.",
                    util(res.plan.min_gain.unwrap_or(0.0))
                ));
            } else {
                t.push_str(" No plan is self-enforcing: in every plan some side's utility falls in some phase, though no side would rather stop early.");
            }
            if let Some(p) = res.phases.first() {
                t.push_str(&format!(
                    " Phase 1 moves {}. {}",
                    and_list(
                        &p.changes
                            .iter()
                            .map(|c| change_text(n, c))
                            .collect::<Vec<_>>()
                    ),
                    first_mover_sentence(n, p)
                ));
            }
            if r.plan.status != PlanStatus::Found {
                blocks.push(Block::para(format!(
                    "With at most {limit} issues per phase, no plan respects every rule. The rules in its way:"
                )));
                blocker_list(&mut blocks);
                blocks.push(Block::para(format!(
                    "Allowing {k} issues per phase: {}.",
                    crate::words::unstop(&res.plan.message)
                )));
            } else {
                blocks.push(Block::para(format!(
                    "{}.",
                    capitalise(&crate::words::unstop(&res.plan.message))
                )));
            }
            let tl = Timeline {
                parties: ids.iter().map(|p| n.actor_plain(p)).collect(),
                start: res
                    .plan
                    .start
                    .as_ref()
                    .map(|s| {
                        ids.iter()
                            .map(|p| s.utilities.get(p).copied().unwrap_or(0.0))
                            .collect()
                    })
                    .unwrap_or_default(),
                reservations: ids
                    .iter()
                    .map(|p| r.solutions.disagreement.get(p).copied().unwrap_or(0.0))
                    .collect(),
                today: res
                    .plan
                    .start
                    .as_ref()
                    .map(|s| {
                        s.outcome
                            .iter()
                            .filter(|(k, _)| {
                                res.phases
                                    .iter()
                                    .any(|p| p.changes.iter().any(|c| &c.issue == *k))
                            })
                            .map(|(k, v)| format!("{}: {v}", n.issue_plain(k)))
                            .collect()
                    })
                    .unwrap_or_default(),
                phases: res
                    .phases
                    .iter()
                    .map(|p| TimelinePhase {
                        title: format!("Phase {}", p.number),
                        changes: p
                            .changes
                            .iter()
                            .map(|c| format!("{}: {} → {}", n.issue_plain(&c.issue), c.from, c.to))
                            .collect(),
                        moves: phase_moves(n, p),
                        utilities: ids
                            .iter()
                            .map(|id| p.utilities.get(id).copied().unwrap_or(0.0))
                            .collect(),
                    })
                    .collect(),
            };
            blocks.push(Block::Figure(Figure {
                id: "fig-plan-timeline".into(),
                title: "The phased plan, phase by phase.".into(),
                caption: "Each card is one phase: what changes, who gives and who is better off, and where each party stands afterwards against today and its walk-away value. Every phase is verified before the next starts.".into(),
                svg: timeline::render(&tl, "fig-plan-timeline"),
            }));
            blocks.push(Block::list(
                res.phases.iter().map(|p| phase_block(n, p)).collect(),
            ));
            (
                if r.plan.status == PlanStatus::Found {
                    Tone::Yes
                } else {
                    Tone::Mixed
                },
                t,
            )
        }
        (_, None) => {
            let mut t =
                format!("No phased plan with at most {limit} issues per phase respects every rule");
            if !unblockers.is_empty() {
                t.push_str(&format!(
                    "; only dropping {} would allow one",
                    or_list(&unblockers)
                ));
            }
            t.push('.');
            blocks.push(Block::para(format!(
                "{}.",
                capitalise(&crate::words::unstop(&r.plan.message))
            )));
            blocker_list(&mut blocks);
            (Tone::No, t)
        }
    };
    Some((
        Headline {
            question: Question::Path,
            tone,
            text,
            evidence: id.clone(),
        },
        Evidence {
            id,
            title: "Phased plan".into(),
            blocks,
        },
    ))
}
