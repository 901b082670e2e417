//! Serialisable results, keyed by issue and party ids so that they render as `{issue: value}`
//! and `{actor: u}` maps (DESIGN §8, `redline deal --format json`).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Everything the deal lens reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealResult {
    /// Outcomes in the outcome space: the Cartesian product minus those breaking a linkage.
    pub outcome_count: u64,
    /// Outcomes in the Cartesian product.
    pub cartesian_count: u64,
    /// The zone of possible agreement and, when it is empty, why.
    pub zopa: Zopa,
    /// The Pareto frontier over the ZOPA.
    pub pareto: Vec<ParetoPoint>,
    /// The Pareto frontier over the whole outcome space.
    pub pareto_all: Vec<ParetoPoint>,
    /// How duplicate utility vectors are reported on the frontiers.
    pub pareto_convention: String,
    /// Bargaining solutions over the ZOPA.
    pub solutions: Solutions,
    /// The phases of the plan from the status quo to the target (empty when there is none).
    pub phases: Vec<Phase>,
    /// What the plan search did, and why there is no plan when there is none.
    pub plan: PlanSummary,
}

/// An outcome, with its index in lexicographic outcome order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRef {
    /// `{issue id: value label}` in issue order.
    pub outcome: IndexMap<String, String>,
    /// `{party id: utility}` in party order.
    pub utilities: IndexMap<String, f64>,
    /// Position in the Cartesian product (first issue most significant).
    pub index: u64,
}

/// The zone of possible agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Zopa {
    /// Whether some outcome is acceptable to every party.
    pub exists: bool,
    /// How many outcomes are.
    pub size: u64,
    /// When empty: minimal sets of constraints that cannot hold together (each one checked to be
    /// unsatisfiable, with every proper subset satisfiable), smallest first.
    pub conflicts: Vec<Conflict>,
    /// When empty: minimal relaxations that open a ZOPA, smallest first.
    pub relaxations: Vec<Relaxation>,
    /// Whether `conflicts` and `relaxations` list every minimal set (false when an effort bound
    /// stopped the enumeration; see `note`).
    pub explanation_complete: bool,
    /// What the explanation covers, in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What kind of constraint an explanation names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstraintKind {
    /// A linkage between issues.
    Linkage,
    /// A party's red line.
    RedLine,
    /// A party's reservation value (`U ≥ r`).
    Reservation,
}

/// A constraint named in an explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstraintRef {
    /// Its kind.
    pub kind: ConstraintKind,
    /// The red line's or linkage's id; for a reservation, the party id.
    pub id: String,
    /// The owning party's id (red lines and reservations).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party: Option<String>,
    /// Human text.
    pub label: String,
}

/// A minimal set of constraints that no outcome satisfies together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// The constraints.
    pub constraints: Vec<ConstraintRef>,
}

/// One change of a relaxation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Change {
    /// Drop a red line or linkage.
    Drop {
        /// The constraint.
        constraint: ConstraintRef,
    },
    /// Lower a party's reservation value.
    LowerReservation {
        /// The party id.
        party: String,
        /// By how much, at least.
        by: f64,
        /// To what value.
        to: f64,
    },
}

/// A minimal correction: apply all its changes and the witness becomes acceptable to everyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relaxation {
    /// The changes.
    pub changes: Vec<Change>,
    /// Whether it is a single change.
    pub single: bool,
    /// An outcome that the relaxation makes acceptable to every party (for reservation changes,
    /// the one needing the smallest largest lowering).
    pub witness: OutcomeRef,
    /// The relaxation in words, e.g. "lower us's reservation by 0.12".
    pub text: String,
}

/// One point of a Pareto frontier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoPoint {
    /// `{issue id: value label}` of the representative outcome.
    pub outcome: IndexMap<String, String>,
    /// `{party id: utility}`.
    pub utilities: IndexMap<String, f64>,
    /// The representative's index.
    pub index: u64,
    /// How many other outcomes have the same utility vector.
    pub duplicates: u64,
}

/// A bargaining solution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Solution {
    /// `{issue id: value label}`.
    pub outcome: IndexMap<String, String>,
    /// `{party id: utility}`.
    pub utilities: IndexMap<String, f64>,
    /// Position in lexicographic outcome order.
    pub index: u64,
    /// The Nash product `Π (U_i − d_i)`.
    pub nash_product: f64,
}

/// The bargaining solutions over the ZOPA (all absent when it is empty).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Solutions {
    /// The disagreement point `{party id: reservation}`.
    pub disagreement: IndexMap<String, f64>,
    /// Where each party's disagreement value comes from `{party id: source}`.
    pub disagreement_source: IndexMap<String, redline_model::ReservationSource>,
    /// Nash bargaining solution.
    pub nash: Option<Solution>,
    /// Kalai–Smorodinsky solution (DESIGN's definition; see [`crate::solutions`]).
    pub kalai_smorodinsky: Option<Solution>,
    /// Egalitarian solution.
    pub egalitarian: Option<Solution>,
    /// Utilitarian solution.
    pub utilitarian: Option<Solution>,
}

/// One issue moved in a phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueChange {
    /// The issue id.
    pub issue: String,
    /// The value before the phase.
    pub from: String,
    /// The value after it.
    pub to: String,
    /// Parties whose evaluation of this issue rises.
    pub gains: Vec<String>,
    /// Parties whose evaluation of this issue falls.
    pub concedes: Vec<String>,
}

/// One phase of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Phase {
    /// 1-based phase number.
    pub number: usize,
    /// The issues moved, from → to.
    pub changes: Vec<IssueChange>,
    /// Parties whose utility falls in this phase (they give).
    pub gives: Vec<String>,
    /// Parties whose utility rises in this phase (they get).
    pub gets: Vec<String>,
    /// Whether every party gains on at least one issue moved in this phase.
    pub each_side_gets_something: bool,
    /// What is verified before the next phase: the issues moved in this one.
    pub verify: Vec<String>,
    /// The outcome after the phase.
    pub outcome: IndexMap<String, String>,
    /// `{party id: utility}` after the phase.
    pub utilities: IndexMap<String, f64>,
    /// The least gain over the status quo of any party after the phase.
    pub margin: f64,
}

/// The state of the plan search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanStatus {
    /// A plan was found.
    Found,
    /// The status quo already is the target.
    AlreadyThere,
    /// The spec gives no status quo.
    NoStatusQuo,
    /// There is no target (no ZOPA and none was given).
    NoTarget,
    /// No plan respects every rule.
    Blocked,
    /// The lattice of partial moves is larger than allowed.
    TooLarge,
}

/// A rule named when a plan is blocked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blocker {
    /// `red_line`, `linkage`, `status_quo`, `sequencing` or `phase_size`.
    pub kind: String,
    /// The rule's id (party id for `status_quo`).
    pub id: String,
    /// Human text.
    pub label: String,
    /// Whether removing this rule alone would let a plan through.
    pub unblocks: bool,
    /// How many steps of the search it stopped (0 when the target itself breaks it).
    pub hits: u64,
}

/// What the plan search did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    /// The outcome of the search.
    pub status: PlanStatus,
    /// The starting outcome.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<OutcomeRef>,
    /// The target agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<OutcomeRef>,
    /// The least gain over the status quo of any party after any phase.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_margin: Option<f64>,
    /// Whether ordered issues could pass through intermediate values.
    pub intermediate_values: bool,
    /// The most issues a phase may move.
    pub max_issues_per_phase: usize,
    /// When blocked: the rules in the way, those that unblock alone first.
    pub blockers: Vec<Blocker>,
    /// Parties that would be better off stopping after an intermediate phase than completing
    /// the plan: the plan is self-enforcing when this is empty. Each party appears once, at the
    /// phase it gains most by stopping after.
    #[serde(default)]
    pub stop_early: Vec<StopIncentive>,
    /// Whether the plan is self-enforcing: no party's utility falls from one phase to the next
    /// (so no party is better off stopping early). The search looks for such a plan first.
    #[serde(default)]
    pub self_enforcing: bool,
    /// For a self-enforcing plan: the smallest gain of any party in any phase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gain: Option<f64>,
    /// The result in words.
    pub message: String,
}

/// A party's incentive to stop a phased plan early.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopIncentive {
    /// The party.
    pub party: String,
    /// The phase after which stopping is best for it (1-based).
    pub phase: usize,
    /// Its utility after that phase.
    pub utility_then: f64,
    /// Its utility at the end of the plan.
    pub utility_at_end: f64,
}
