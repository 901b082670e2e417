//! Stability lens: the Graph Model for Conflict Resolution (DESIGN §3) over implicit state
//! spaces.
//!
//! # Input
//!
//! A conflict arrives as a [`ConflictSpec`], plain serialisable data:
//!
//! - `options`, in **bit order**: option `b` is bit `b` of a state code (`u64`), each with its
//!   owner (`dm`) and [`Direction`]. The options of one DM are contiguous, DM by DM. At most 63.
//! - `dms`: name, [`Preference`] and misperceptions. A preference is either option
//!   prioritisation ([`Preference::Statements`], most important first; statement j of k weighs
//!   2^(k−1−j); payoffs are the dense ranks of the scores, 1 the worst) or an explicit
//!   [`Preference::Ranking`] of tie groups of state codes, best first, covering every feasible
//!   state once. For rankings, as in gmcr-py, the best group's payoff is the number of feasible
//!   states N, the next group's N−1, and so on (with ties the worst payoff stays above 1).
//! - `infeasible`: a state satisfying any of these [`Formula`]s is removed.
//! - `coalitions` (disjoint sets of DMs) and an optional `status_quo` code.
//!
//! [`Model::new`] validates the spec (every problem has its own [`SpecError`]), enumerates the
//! feasible states once into a sorted vector, indexes them (a dense code→index table when the
//! code space is small enough, binary search otherwise) and computes the payoffs. Moves are
//! computed on the fly; nothing is ever stored per pair of states.
//!
//! # Semantics
//!
//! Exactly DESIGN §3: `R_i(s)` changes any non-empty subset of i's options, lands on a feasible
//! state, reverses no irreversible option, and neither starts nor ends in a state i
//! misperceives. Ties count as sanctions. Coalition moves are legal sequences (no DM twice in a
//! row). SIM checks every improvement of the focal DM against every joint response.
//!
//! # Analyses
//!
//! - [`analyze`] / [`analyze_with_progress`]: Nash, GMR, SMR, SEQ, SIM and SEQ+SIM for every
//!   state and DM, any number of DMs ([`Stability`]); [`report`] turns it into a serialisable
//!   per-state [`StabilityReport`] (code, pattern, options taken, payoffs, stability, equilibria).
//! - [`status_quo_analysis`]: which equilibria the status quo reaches by unilateral improvements
//!   and by any unilateral moves, within a horizon, with a shortest legal path to each.
//! - [`analyze_joint`]: coalitions moving as one DM (GMCR+ joint mode);
//!   [`analyze_coalitional`]: CNash, CGMR, CSMR and CSEQ after Inohara & Hipel (2008).
//! - [`limited_move`] and [`non_myopic`]: `L_h` and non-myopic stability (Kilgour 1985), two DMs.
//! - [`inverse`]: the strict rankings within given ranges that make a state an equilibrium, their
//!   number and the one closest to the stated preferences; [`priority_changes`]: the fewest edits
//!   to the stated priorities that would do it.
//! - gmcr-py `.gmcr` files come in through `redline-interop` (file → scenario) and
//!   [`from_scenario`], the product's one path.
//! - [`random_conflict`]: seeded random conflicts for tests, benchmarks and sweeps.
//!
//! The engine does no I/O and prints nothing; [`analyze_with_progress`] reports progress through
//! a callback, and [`estimate_memory`] tells a caller up front how much memory an analysis will
//! need, so that it can refuse a model the machine cannot hold. Results do not depend on the
//! number of rayon threads.
//!
//! # Differences from gmcr-py
//!
//! - SIM checks every improvement of the focal DM against every joint response; gmcr-py reuses an
//!   exhausted iterator and so misses sanctions of the second and later improvements.
//! - Ties count as sanctions, as in the standard definitions.
//! - Explicit rankings keep gmcr-py's payoff numbering (best group N, then N−1, ...), so reports
//!   of imported files match gmcr-py's.

mod analysis;
mod coalition;
mod concept;
mod explicit;
mod fiber;
mod formula;
mod inverse;
mod limited;
mod memory;
mod model;
mod par;
mod random;
mod report;
mod scenario;
mod sim;
mod single;
mod spec;
mod status_quo;
#[cfg(test)]
mod tests;

pub use analysis::{Progress, Stability, Stage, analyze, analyze_with_progress};
pub use coalition::{
    CoalitionClass, CoalitionError, CoalitionalStability, JointStability, MAX_COALITION_DMS,
    MAX_COALITION_STATES, MAX_PLAYER_OPTIONS, analyze_coalitional,
    analyze_coalitional_with_progress, analyze_joint, analyze_joint_with, estimate_coalition_bytes,
};
pub use concept::{Concept, ConceptSet};
pub use inverse::{
    Closest, InverseError, InverseQuery, InverseResult, MAX_INVERSE_STATES, MAX_JOINT_CANDIDATES,
    MAX_RANKINGS_PER_DM, PriorityChange, PriorityChanges, PriorityEdit, inverse, priority_changes,
};
pub use limited::{LimitedMove, LimitedMoveError, NonMyopic, limited_move, non_myopic};
pub use memory::{MemoryEstimate, estimate_memory, estimate_memory_detail};
pub use model::{DmBits, MAX_STATES, Model, pattern};
pub use random::{RandomParams, random_conflict};
pub use report::{ConceptFlags, OptionInfo, StabilityReport, StateReport, report};
pub use scenario::{LowerError, MAX_RANKING_OPTIONS, from_scenario, has_stability_view};
pub use spec::{
    ConflictSpec, Direction, DmSpec, Formula, FormulaSite, MAX_OPTIONS, MAX_STATEMENTS, OptionSpec,
    Preference, SpecError,
};
pub use status_quo::{Path, StatusQuoAnalysis, StatusQuoError, Step, Target, status_quo_analysis};
