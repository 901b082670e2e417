//! Deal lens: outcome space, red lines, ZOPA, Pareto frontier, solutions, phased plans (DESIGN §4).
//!
//! The engine is a pure function of a [`DealSpec`] and [`DealParams`]: [`analyze`] returns a
//! serialisable [`DealResult`]. It does no I/O. The pieces are public for callers that need only
//! one of them:
//!
//! - [`space`]: the outcome index, utilities as flat vectors per party, conditions as bitsets.
//! - [`conflict`]: minimal unsatisfiable subsets and minimal correction sets of constraints.
//! - [`pareto`]: Pareto frontiers for any number of parties.
//! - [`solutions`]: Nash, Kalai–Smorodinsky, egalitarian and utilitarian solutions.
//! - [`plan`]: phased plans from the status quo to a target agreement.
//! - GENIUS domains come in through `redline-interop` (GENIUS XML → scenario) and
//!   [`from_scenario`], the product's one path.

pub mod conflict;
pub mod pareto;
pub mod plan;
pub mod result;
pub mod scenario;
pub mod solutions;
pub mod space;
pub mod spec;

use fixedbitset::FixedBitSet;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

pub use conflict::ExplainLimits;
pub use pareto::{FrontierPoint, pareto_frontier};
pub use plan::{PlanParams, Rule};
pub use result::*;
pub use scenario::{from_scenario, has_deal_view, mediator_spec};
pub use space::{Evaluated, OutcomeSpace};
pub use spec::{
    Cond, Constraint, DealSpec, IssueSpec, Linkage, PartySpec, Sequencing, UtilityTerm, ValueLabel,
};

/// Why the engine could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DealError {
    /// The spec (or a parameter) is inconsistent; the message says what and where.
    #[error("invalid deal: {0}")]
    Invalid(String),
    /// The Pareto frontiers are too large to hold as results.
    #[error(
        "the Pareto frontiers (of all outcomes and of the ZOPA) have {points} points together, about {} MiB as results, more than the {} MiB allowed; discretise issues more coarsely (a larger real `step`, a narrower integer range) or drop issues",
        bytes.div_ceil(1 << 20),
        limit >> 20
    )]
    FrontierTooLarge {
        /// Points on the two frontiers together (the whole space's and the ZOPA's).
        points: u64,
        /// Estimated bytes of their result objects.
        bytes: u64,
        /// The limit in force ([`DealParams::max_result_bytes`]).
        limit: u64,
    },
    /// The Cartesian product is larger than the limit.
    #[error(
        "the outcome space has {} outcomes, more than the limit of {limit}; discretise real issues more coarsely, drop issues, or raise the limit",
        outcomes.map_or_else(|| "too many".to_string(), |n| n.to_string())
    )]
    TooLarge {
        /// The product's size, when it fits in 64 bits.
        outcomes: Option<u64>,
        /// The limit in force.
        limit: u64,
    },
}

impl DealError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        DealError::Invalid(message.into())
    }
}

/// Parameters of [`analyze`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DealParams {
    /// Negotiation time `t ∈ [0, 1]` for discounting (`U·d^t`); 0 means undiscounted.
    pub time: f64,
    /// Refuse Cartesian products larger than this (default 2^24 ≈ 16.8 million outcomes, about
    /// 134 MB of utilities per party).
    pub max_outcomes: u64,
    /// The plan's target as value indices per issue; the Nash solution when absent.
    pub target: Option<Vec<usize>>,
    /// Plan search options.
    pub plan: PlanParams,
    /// Most minimal conflicts to enumerate when the ZOPA is empty.
    pub max_conflicts: usize,
    /// Most minimal relaxations to report when the ZOPA is empty.
    pub max_relaxations: usize,
    /// Effort bound of the explanation, in elementary steps.
    pub max_explain_steps: u64,
    /// The most bytes the Pareto frontiers may take as result objects (both of them together).
    /// Checked after the frontier is found as indices and before it is turned into outcomes, so
    /// that a huge frontier (a fine grid on opposed issues) is refused instead of exhausting
    /// memory. A resource limit, not part of the analysis: never serialised.
    #[serde(skip, default = "default_max_result_bytes")]
    pub max_result_bytes: u64,
}

fn default_max_result_bytes() -> u64 {
    1 << 30
}

impl Default for DealParams {
    fn default() -> Self {
        let limits = ExplainLimits::default();
        DealParams {
            time: 0.0,
            max_outcomes: 1 << 24,
            target: None,
            plan: PlanParams::default(),
            max_conflicts: limits.max_conflicts,
            max_relaxations: limits.max_corrections,
            max_explain_steps: limits.max_steps,
            max_result_bytes: default_max_result_bytes(),
        }
    }
}

/// The duplicate-vector convention, as reported in [`DealResult::pareto_convention`].
pub const PARETO_CONVENTION: &str = "outcomes with identical utility vectors (exact f64 equality) are collapsed into one point, represented by the first in lexicographic outcome order; `duplicates` counts the others";

/// Runs the whole deal lens.
pub fn analyze(spec: &DealSpec, params: &DealParams) -> Result<DealResult, DealError> {
    let ev = Evaluated::new(spec, params.max_outcomes, params.time)?;
    if let Some(t) = &params.target {
        spec.validate_outcome(t, "the plan target")?;
    }
    let view = View { spec, ev: &ev };
    let zopa_size = ev.zopa.count_ones(..) as u64;
    let zopa = if zopa_size > 0 {
        Zopa {
            exists: true,
            size: zopa_size,
            conflicts: vec![],
            relaxations: vec![],
            explanation_complete: true,
            note: None,
        }
    } else {
        view.explain_empty_zopa(params)
    };
    // Find both frontiers as indices, check what their result objects will take, and only then
    // build them. With every outcome acceptable (no red lines bite, reservations met) the
    // frontiers agree.
    let all_idx = pareto_frontier(&ev.utilities, &ev.feasible);
    let same = zopa_size == ev.feasible.count_ones(..) as u64;
    let zopa_idx = if same {
        None
    } else {
        Some(pareto_frontier(&ev.utilities, &ev.zopa))
    };
    let points = (all_idx.len() + zopa_idx.as_ref().map_or(all_idx.len(), Vec::len)) as u64;
    let bytes = points.saturating_mul(view.point_bytes());
    if bytes > params.max_result_bytes {
        return Err(DealError::FrontierTooLarge {
            points,
            bytes,
            limit: params.max_result_bytes,
        });
    }
    let pareto_all = view.points(all_idx);
    let pareto = match zopa_idx {
        None => pareto_all.clone(),
        Some(idx) => view.points(idx),
    };
    let idx = solutions::solve(&ev.utilities, &ev.reservations, &ev.zopa);
    let sol = |i: Option<usize>| {
        i.map(|i| {
            let r = view.outcome_ref(i);
            Solution {
                outcome: r.outcome,
                utilities: r.utilities,
                index: r.index,
                nash_product: solutions::nash_product(&ev.utilities, &ev.reservations, i),
            }
        })
    };
    let solutions = Solutions {
        disagreement: spec
            .parties
            .iter()
            .map(|p| p.id.clone())
            .zip(ev.reservations.iter().copied())
            .collect(),
        disagreement_source: spec
            .parties
            .iter()
            .map(|p| (p.id.clone(), p.reservation_source))
            .collect(),
        nash: sol(idx.nash),
        kalai_smorodinsky: sol(idx.kalai_smorodinsky),
        egalitarian: sol(idx.egalitarian),
        utilitarian: sol(idx.utilitarian),
    };
    let target = params
        .target
        .clone()
        .or_else(|| idx.nash.map(|i| ev.space.decode(i)));
    let (phases, plan) = view.plan(params, target.as_deref());
    Ok(DealResult {
        outcome_count: ev.feasible.count_ones(..) as u64,
        cartesian_count: ev.space.len() as u64,
        zopa,
        pareto,
        pareto_all,
        pareto_convention: PARETO_CONVENTION.to_string(),
        solutions,
        phases,
        plan,
    })
}

/// The parties better off stopping after an intermediate phase than at the end of the plan, each
/// at the phase where stopping pays it most (ties: the earliest).
fn stop_early(phases: &[Phase]) -> Vec<StopIncentive> {
    let Some(last) = phases.last() else {
        return vec![];
    };
    let mut out = Vec::new();
    for (party, &end) in &last.utilities {
        let best = phases[..phases.len() - 1]
            .iter()
            .map(|ph| (ph.number, ph.utilities[party]))
            .filter(|&(_, u)| u > end + 1e-12)
            .fold(None::<(usize, f64)>, |acc, x| match acc {
                Some(a) if a.1 >= x.1 => Some(a),
                _ => Some(x),
            });
        if let Some((phase, utility_then)) = best {
            out.push(StopIncentive {
                party: party.clone(),
                phase,
                utility_then,
                utility_at_end: end,
            });
        }
    }
    out
}

/// Formats a utility difference for messages: at most 4 decimals, no trailing zeros.
fn fmt_num(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Renders indices as id-keyed outputs.
struct View<'a> {
    spec: &'a DealSpec,
    ev: &'a Evaluated,
}

impl View<'_> {
    fn values(&self, index: usize) -> IndexMap<String, String> {
        self.spec
            .issues
            .iter()
            .enumerate()
            .map(|(k, issue)| {
                (
                    issue.id.clone(),
                    issue.values[self.ev.space.value(index, k)].label.clone(),
                )
            })
            .collect()
    }

    fn utilities(&self, index: usize) -> IndexMap<String, f64> {
        self.spec
            .parties
            .iter()
            .zip(&self.ev.utilities)
            .map(|(p, u)| (p.id.clone(), u[index]))
            .collect()
    }

    fn outcome_ref(&self, index: usize) -> OutcomeRef {
        OutcomeRef {
            outcome: self.values(index),
            utilities: self.utilities(index),
            index: index as u64,
        }
    }

    /// About how many bytes one [`ParetoPoint`] takes on the heap and in its vector: each
    /// allocation rounded as a malloc chunk, each map's entries and its hash index.
    fn point_bytes(&self) -> u64 {
        fn alloc(n: usize) -> u64 {
            (n + 8).next_multiple_of(16).max(32) as u64
        }
        fn map(entries: usize, entry: usize) -> u64 {
            let buckets = (entries * 8 / 7 + 1).next_power_of_two().max(4);
            alloc(entries * entry) + alloc(buckets * 8 + buckets + 16)
        }
        let spec = self.spec;
        let labels: u64 = spec
            .issues
            .iter()
            .map(|i| {
                let longest = i.values.iter().map(|v| v.label.len()).max().unwrap_or(0);
                alloc(i.id.len()) + alloc(longest)
            })
            .sum();
        let ids: u64 = spec.parties.iter().map(|p| alloc(p.id.len())).sum();
        std::mem::size_of::<ParetoPoint>() as u64
            + map(spec.issues.len(), 8 + 2 * std::mem::size_of::<String>())
            + labels
            + map(spec.parties.len(), 16 + std::mem::size_of::<String>())
            + ids
    }

    fn points(&self, frontier: Vec<pareto::FrontierPoint>) -> Vec<ParetoPoint> {
        frontier
            .into_iter()
            .map(|p| ParetoPoint {
                outcome: self.values(p.index),
                utilities: self.utilities(p.index),
                index: p.index as u64,
                duplicates: p.duplicates as u64,
            })
            .collect()
    }

    /// The constraints of an explanation, in order: linkages, red lines, reservations.
    fn constraint_ref(&self, c: usize) -> ConstraintRef {
        let spec = self.spec;
        let (nl, nr) = (spec.linkages.len(), spec.red_lines.len());
        if c < nl {
            let l = &spec.linkages[c];
            ConstraintRef {
                kind: ConstraintKind::Linkage,
                id: l.id.clone(),
                party: None,
                label: l.label.clone(),
            }
        } else if c < nl + nr {
            let r = &spec.red_lines[c - nl];
            ConstraintRef {
                kind: ConstraintKind::RedLine,
                id: r.id.clone(),
                party: Some(spec.parties[r.owner].id.clone()),
                label: r.label.clone(),
            }
        } else {
            let p = c - nl - nr;
            let party = &spec.parties[p];
            ConstraintRef {
                kind: ConstraintKind::Reservation,
                id: party.id.clone(),
                party: Some(party.id.clone()),
                label: format!(
                    "{} gets at least its reservation value {}",
                    party.name,
                    fmt_num(self.ev.reservations[p])
                ),
            }
        }
    }

    fn explain_empty_zopa(&self, params: &DealParams) -> Zopa {
        let ev = self.ev;
        let sets: Vec<&FixedBitSet> = ev
            .linkage_sets
            .iter()
            .chain(&ev.red_line_sets)
            .chain(&ev.reservation_sets)
            .collect();
        let limits = ExplainLimits {
            max_conflicts: params.max_conflicts,
            max_corrections: params.max_relaxations,
            max_steps: params.max_explain_steps,
        };
        let raw = conflict::explain(&sets, ev.space.len(), limits);
        let n_res_start = self.spec.linkages.len() + self.spec.red_lines.len();
        let conflicts: Vec<Conflict> = raw
            .conflicts
            .iter()
            .map(|mus| Conflict {
                constraints: mus.iter().map(|&c| self.constraint_ref(c)).collect(),
            })
            .collect();
        let mut relaxations = Vec::new();
        for (mcs, &mss) in raw.corrections.iter().zip(&raw.satisfiable) {
            // Outcomes satisfying everything outside the correction set.
            let mut w = FixedBitSet::with_capacity(ev.space.len());
            w.insert_range(..);
            for (c, set) in sets.iter().enumerate() {
                if mss & (1u128 << c) != 0 {
                    w.intersect_with(set);
                }
            }
            let lowered: Vec<usize> = mcs
                .iter()
                .filter(|&&c| c >= n_res_start)
                .map(|&c| c - n_res_start)
                .collect();
            let need = |i: usize| {
                lowered
                    .iter()
                    .map(|&p| ev.reservations[p] - ev.utilities[p][i])
                    .fold(f64::NEG_INFINITY, f64::max)
            };
            let witness = if lowered.is_empty() {
                w.minimum()
            } else {
                let mut best: Option<(f64, usize)> = None;
                for i in w.ones() {
                    let v = need(i);
                    if best.is_none_or(|(b, _)| v < b) {
                        best = Some((v, i));
                    }
                }
                best.map(|b| b.1)
            };
            let Some(witness) = witness else { continue };
            let mut changes = Vec::new();
            let mut words = Vec::new();
            for &c in mcs {
                if c >= n_res_start {
                    let p = c - n_res_start;
                    let party = &self.spec.parties[p];
                    let to = ev.utilities[p][witness];
                    let by = ev.reservations[p] - to;
                    words.push(format!(
                        "lower {}'s reservation by {} (to {})",
                        party.id,
                        fmt_num(by),
                        fmt_num(to)
                    ));
                    changes.push(Change::LowerReservation {
                        party: party.id.clone(),
                        by,
                        to,
                    });
                } else {
                    let r = self.constraint_ref(c);
                    words.push(match &r.party {
                        Some(p) => format!("drop {p}'s red line `{}` ({})", r.id, r.label),
                        None => format!("drop linkage `{}` ({})", r.id, r.label),
                    });
                    changes.push(Change::Drop { constraint: r });
                }
            }
            relaxations.push(Relaxation {
                single: changes.len() == 1,
                changes,
                witness: self.outcome_ref(witness),
                text: words.join(" and "),
            });
        }
        let complete = raw.conflicts_complete && raw.corrections_complete;
        let total = sets.len();
        let note = if total > conflict::MAX_CONSTRAINTS {
            format!(
                "not explained: {total} constraints, more than the {} an explanation handles",
                conflict::MAX_CONSTRAINTS
            )
        } else if raw.conflicts.is_empty() && raw.corrections.is_empty() {
            "not explained: the effort bound was reached while collecting satisfiable subsets"
                .to_string()
        } else {
            format!(
                "{} minimal conflict{} ({}) and {} minimal relaxation{} ({}), over {total} constraints",
                conflicts.len(),
                if conflicts.len() == 1 { "" } else { "s" },
                if raw.conflicts_complete {
                    "all of them"
                } else {
                    "stopped at the effort bound"
                },
                relaxations.len(),
                if relaxations.len() == 1 { "" } else { "s" },
                if raw.corrections_complete {
                    "all of them"
                } else {
                    "the smallest, list cut at the bound"
                },
            )
        };
        Zopa {
            exists: false,
            size: 0,
            conflicts,
            relaxations,
            explanation_complete: complete,
            note: Some(note),
        }
    }

    fn blocker(&self, rule: Rule, unblocks: bool, hits: u64) -> Blocker {
        let spec = self.spec;
        let (kind, id, label) = match rule {
            Rule::RedLine(i) => (
                "red_line",
                spec.red_lines[i].id.clone(),
                spec.red_lines[i].label.clone(),
            ),
            Rule::Linkage(i) => (
                "linkage",
                spec.linkages[i].id.clone(),
                spec.linkages[i].label.clone(),
            ),
            Rule::StatusQuo(p) => (
                "status_quo",
                spec.parties[p].id.clone(),
                format!(
                    "{} must stay at least as well off as in the status quo",
                    spec.parties[p].name
                ),
            ),
            Rule::Sequencing(i) => {
                let s = &spec.sequencing[i];
                let (f, t) = (&spec.issues[s.first].id, &spec.issues[s.then].id);
                let label = if s.strict {
                    format!("`{f}` must move strictly before `{t}`")
                } else {
                    format!("`{f}` must move no later than `{t}`")
                };
                ("sequencing", s.id.clone(), label)
            }
            Rule::PhaseSize => (
                "phase_size",
                "max_issues_per_phase".to_string(),
                "the limit on issues moved per phase".to_string(),
            ),
        };
        Blocker {
            kind: kind.to_string(),
            id,
            label,
            unblocks,
            hits,
        }
    }

    fn plan(&self, params: &DealParams, target: Option<&[usize]>) -> (Vec<Phase>, PlanSummary) {
        let spec = self.spec;
        let ev = self.ev;
        let mut summary = PlanSummary {
            status: PlanStatus::NoStatusQuo,
            start: None,
            target: None,
            min_margin: None,
            intermediate_values: params.plan.intermediate_values,
            max_issues_per_phase: params.plan.max_issues_per_phase,
            blockers: vec![],
            stop_early: vec![],
            self_enforcing: false,
            min_gain: None,
            message: String::new(),
        };
        let params_self_enforcing = params.plan.self_enforcing;
        let Some(sq) = spec.status_quo.as_deref() else {
            summary.message = "no phased plan: the scenario gives no status quo".to_string();
            return (vec![], summary);
        };
        let start = ev.space.encode(sq);
        summary.start = Some(self.outcome_ref(start));
        let Some(target) = target else {
            summary.status = PlanStatus::NoTarget;
            summary.message = "no phased plan: there is no ZOPA, hence no Nash solution to aim for, and no target was given".to_string();
            return (vec![], summary);
        };
        summary.target = Some(self.outcome_ref(ev.space.encode(target)));
        let sq_util = ev.utility_vector(start);
        match plan::plan(spec, ev, sq, target, &params.plan) {
            plan::RawPlan::AlreadyThere => {
                summary.status = PlanStatus::AlreadyThere;
                summary.message =
                    "the status quo already is the target; no phases needed".to_string();
                (vec![], summary)
            }
            plan::RawPlan::TooLarge {
                states,
                moves_exhausted,
            } => {
                summary.status = PlanStatus::TooLarge;
                summary.message = if moves_exhausted {
                    format!(
                        "no phased plan: the search over {states} partial states examined more than {} moves without finishing",
                        params.plan.max_moves
                    )
                } else {
                    format!(
                        "no phased plan attempted: {states} partial states between the status quo and the target, more than the limit of {}",
                        params.plan.max_states
                    )
                };
                (vec![], summary)
            }
            plan::RawPlan::Blocked {
                target_breaks,
                unblocking,
                hits,
                complete,
            } => {
                summary.status = PlanStatus::Blocked;
                if !target_breaks.is_empty() {
                    summary.blockers = target_breaks
                        .iter()
                        .map(|&r| self.blocker(r, false, 0))
                        .collect();
                    let names: Vec<String> = summary
                        .blockers
                        .iter()
                        .map(|b| format!("{} `{}`", b.kind, b.id))
                        .collect();
                    summary.message = format!(
                        "no phased plan: the target itself breaks {}",
                        names.join(", ")
                    );
                } else {
                    let mut blockers: Vec<Blocker> = unblocking
                        .iter()
                        .map(|&r| {
                            let h = hits
                                .iter()
                                .find(|(x, _)| *x == r)
                                .map_or(0, |(_, n)| *n as u64);
                            self.blocker(r, true, h)
                        })
                        .collect();
                    for &(r, h) in &hits {
                        if !unblocking.contains(&r) {
                            blockers.push(self.blocker(r, false, h as u64));
                        }
                    }
                    let names: Vec<String> = blockers
                        .iter()
                        .filter(|b| b.unblocks)
                        .map(|b| format!("{} `{}`", b.kind, b.id))
                        .collect();
                    summary.message = if names.is_empty() {
                        "no phased plan: no single rule's removal opens one; see blockers for the rules that stopped the most steps".to_string()
                    } else {
                        format!(
                            "no phased plan; removing any one of these would allow one: {}",
                            names.join(", ")
                        )
                    };
                    if !complete {
                        summary
                            .message
                            .push_str(" (some rules could not be tried within the effort bound)");
                    }
                    summary.blockers = blockers;
                }
                (vec![], summary)
            }
            plan::RawPlan::Found {
                phases: raw,
                min_margin,
                intermediate_values,
                self_enforcing,
                min_gain,
            } => {
                summary.status = PlanStatus::Found;
                summary.min_margin = Some(min_margin);
                summary.self_enforcing = self_enforcing;
                summary.min_gain = min_gain;
                summary.intermediate_values = intermediate_values;
                let contrib: Vec<Vec<Vec<f64>>> = (0..spec.parties.len())
                    .map(|p| spec.contributions(p))
                    .collect();
                let mut before = sq_util;
                let mut phases = Vec::new();
                for (n, ph) in raw.iter().enumerate() {
                    let after = ev.utility_vector(ph.outcome);
                    let ids = |pred: &dyn Fn(usize) -> bool| -> Vec<String> {
                        (0..spec.parties.len())
                            .filter(|&p| pred(p))
                            .map(|p| spec.parties[p].id.clone())
                            .collect()
                    };
                    let changes = ph
                        .changes
                        .iter()
                        .map(|&(k, a, b)| IssueChange {
                            issue: spec.issues[k].id.clone(),
                            from: spec.issues[k].values[a].label.clone(),
                            to: spec.issues[k].values[b].label.clone(),
                            gains: ids(&|p| contrib[p][k][b] > contrib[p][k][a]),
                            concedes: ids(&|p| contrib[p][k][b] < contrib[p][k][a]),
                        })
                        .collect();
                    phases.push(Phase {
                        number: n + 1,
                        changes,
                        gives: ids(&|p| after[p] < before[p]),
                        gets: ids(&|p| after[p] > before[p]),
                        each_side_gets_something: ph.balanced,
                        verify: ph
                            .changes
                            .iter()
                            .map(|&(k, _, _)| spec.issues[k].id.clone())
                            .collect(),
                        outcome: self.values(ph.outcome),
                        utilities: self.utilities(ph.outcome),
                        margin: self
                            .ev
                            .utilities
                            .iter()
                            .zip(&ev.utility_vector(start))
                            .map(|(u, s)| u[ph.outcome] - s)
                            .fold(f64::INFINITY, f64::min),
                    });
                    before = after;
                }
                summary.stop_early = stop_early(&phases);
                summary.message = format!(
                    "{} phase{} from the status quo to the target; every party stays at least {} above its status-quo utility",
                    phases.len(),
                    if phases.len() == 1 { "" } else { "s" },
                    fmt_num(min_margin)
                );
                if self_enforcing {
                    summary.message.push_str(&format!(
                        "; self-enforcing: no party's utility falls from one phase to the next (the smallest gain in a phase is {}), so no one gains by stopping early",
                        fmt_num(min_gain.unwrap_or(0.0))
                    ));
                } else if params_self_enforcing {
                    summary.message.push_str(
                        "; no plan of this length or any other is self-enforcing (some party's utility falls in some phase)",
                    );
                }
                if !summary.stop_early.is_empty() {
                    let who: Vec<String> = summary
                        .stop_early
                        .iter()
                        .map(|s| {
                            format!(
                                "`{}` would rather stop after phase {} ({} then, {} at the end)",
                                s.party,
                                s.phase,
                                fmt_num(s.utility_then),
                                fmt_num(s.utility_at_end)
                            )
                        })
                        .collect();
                    summary
                        .message
                        .push_str(&format!("; not self-enforcing: {}", who.join("; ")));
                }
                (phases, summary)
            }
        }
    }
}
