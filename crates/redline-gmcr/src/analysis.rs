//! The six core concepts (Nash, GMR, SMR, SEQ, SIM, SEQ+SIM) for any number of DMs.
//!
//! For a focal DM i, every concept but Nash and SIM asks whether each improvement `s1` of i can
//! be answered by the opponents with some state `s2` that i does not prefer to `s`. Each is
//! decided by one number per state:
//!
//! - GMR: `g(s1)`, the least payoff of i over `s1` and `R_{N−i}(s1)`;
//! - SMR: the least, over the same states `s2`, of the most i can get from `s2` by one more
//!   move of its own (`max P_i` over `s2` and `R_i(s2)`);
//! - SEQ: the least payoff of i over `s1` and `R+_{N−i}(s1)`.
//!
//! `s` is stable when, for every improvement `s1`, that number is at most `P_i(s)` (including
//! `s1` itself changes nothing, since i prefers `s1` to `s`). The numbers are fixpoints of
//! one-move passes of the opponents over their fibers (see [`crate::fiber`]): a state reachable
//! by a legal sequence (no DM twice in a row) is reachable by any sequence, and conversely two
//! consecutive moves of one DM are one move of that DM, so plain reachability in the union of
//! the opponents' move graphs is the coalition's reachability. Finally one improvement query per
//! fiber of i takes the maximum over `R+_i(s)`.
//!
//! SIM enumerates, for each improvement of i, the joint responses of the opponents (each stays or
//! takes one of its own improvements from `s`) until one lands on a feasible state that i does
//! not prefer to `s`. Every improvement of i is checked against every response: gmcr-py's
//! exhausted iterator is not copied. The DM moves and the opponents' responses respect
//! misperception one by one; the combined state only has to be feasible.

use std::sync::atomic::{AtomicU8, AtomicU32, Ordering::Relaxed};

use serde::{Deserialize, Serialize};

use crate::concept::{Concept, ConceptSet};
use crate::fiber::{self, Dirty, Fibers, Max, Min, Mover};
use crate::model::Model;

/// Which step an analysis is at, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Grouping states into fibers (one per DM).
    Fibers,
    /// Reachability of the opponents of a DM (GMR and SMR).
    Reach { dm: usize },
    /// Reachability by improvements of the opponents of a DM (SEQ).
    Improvements { dm: usize },
    /// Checking every state for a DM.
    Check { dm: usize },
    /// Simultaneous sanctions (SIM).
    Simultaneous,
    /// Coalition analysis: searching the coalitional improvements of one coalition (its index
    /// in the coalitions analysed).
    Coalition { coalition: usize },
}

/// A progress report: `done` of `total` steps, now at `stage`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub stage: Stage,
}

/// Stability of every state for every DM under the computed concepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stability {
    /// The concepts that were computed; the others read as unstable.
    pub concepts: ConceptSet,
    /// `stable[dm][state]`: the concepts under which the state is stable for the DM.
    pub stable: Vec<Vec<ConceptSet>>,
}

impl Stability {
    #[inline]
    pub fn is_stable(&self, dm: usize, state: usize, concept: Concept) -> bool {
        self.stable[dm][state].contains(concept)
    }

    /// Whether the state is stable for every DM under the concept.
    pub fn is_equilibrium(&self, state: usize, concept: Concept) -> bool {
        self.stable.iter().all(|s| s[state].contains(concept))
    }

    /// The concepts under which the state is an equilibrium.
    pub fn equilibrium_set(&self, state: usize) -> ConceptSet {
        self.stable
            .iter()
            .fold(self.concepts, |acc, s| acc.intersect(s[state]))
    }

    /// The equilibria under a concept (state indices, ascending).
    pub fn equilibria(&self, concept: Concept) -> Vec<usize> {
        if !self.concepts.contains(concept) {
            return Vec::new();
        }
        let n = self.stable.first().map_or(0, Vec::len);
        (0..n)
            .filter(|&s| self.is_equilibrium(s, concept))
            .collect()
    }
}

/// Analyses every state for every DM under the given concepts.
pub fn analyze(model: &Model, concepts: ConceptSet) -> Stability {
    analyze_with_progress(model, concepts, &|_| {})
}

/// As [`analyze`], calling `progress` (from the calling thread) after each step.
pub fn analyze_with_progress(
    model: &Model,
    concepts: ConceptSet,
    progress: &dyn Fn(Progress),
) -> Stability {
    let d = model.num_dms();
    let n = model.num_states();
    let need_gmr = concepts.contains(Concept::Gmr);
    let need_smr = concepts.contains(Concept::Smr);
    let need_seq = concepts.contains(Concept::Seq) || concepts.contains(Concept::SeqSim);
    let need_sim = concepts.contains(Concept::Sim) || concepts.contains(Concept::SeqSim);
    let total =
        1 + d as u64 * (1 + (need_gmr || need_smr) as u64 + need_seq as u64) + need_sim as u64;
    let mut done = 0u64;
    let mut report = |stage: Stage| {
        done += 1;
        progress(Progress { done, total, stage });
    };

    let fibers: Vec<Fibers> = (0..d)
        .map(|dm| Fibers::build(model, *model.dm_bits(dm), model.payoffs(dm)))
        .collect();
    let movers: Vec<Mover<'_>> = (0..d).map(|dm| Mover::new(model, dm)).collect();
    report(Stage::Fibers);

    let flags: Vec<Vec<AtomicU8>> = (0..d)
        .map(|_| (0..n).map(|_| AtomicU8::new(0)).collect())
        .collect();
    for i in 0..d {
        let p_i = model.payoffs(i);
        let opponents: Vec<usize> = (0..d).filter(|&j| j != i).collect();
        let gmr = atomic_copy(p_i);
        let smr = atomic_copy(p_i);
        if need_gmr || need_smr {
            if need_smr {
                // The most i can get from each state by staying or moving once.
                fiber::closure_pass::<Max, 1>(&movers[i], &fibers[i], [&smr], None);
            }
            fixpoint(&opponents, n, |j, dirty| {
                fiber::closure_pass::<Min, 2>(&movers[j], &fibers[j], [&gmr, &smr], Some(dirty))
            });
            report(Stage::Reach { dm: i });
        }
        let seq = atomic_copy(p_i);
        if need_seq {
            fixpoint(&opponents, n, |j, dirty| {
                fiber::improvement_closure_pass::<Min>(
                    &movers[j],
                    &fibers[j],
                    model.payoffs(j),
                    &seq,
                    Some(dirty),
                )
            });
            report(Stage::Improvements { dm: i });
        }
        let out = &flags[i];
        fiber::improvement_query::<Max, 3>(
            &movers[i],
            &fibers[i],
            p_i,
            [&gmr, &smr, &seq],
            &|s, q| {
                let p = p_i[s as usize];
                // Every value is a payoff (at least 1), so 0 means "no improvement".
                let mut set = ConceptSet::EMPTY;
                set.set(Concept::Nash, q[0] == 0);
                set.set(Concept::Gmr, need_gmr && q[0] <= p);
                set.set(Concept::Smr, need_smr && q[1] <= p);
                set.set(Concept::Seq, need_seq && q[2] <= p);
                out[s as usize].store(set.bits(), Relaxed);
            },
        );
        report(Stage::Check { dm: i });
    }

    let mut stable: Vec<Vec<ConceptSet>> = flags
        .into_iter()
        .map(|f| {
            f.into_iter()
                .map(|a| ConceptSet::from_bits(a.into_inner()))
                .collect()
        })
        .collect();
    if need_sim {
        let sim = crate::sim::simultaneous(model, &fibers, &movers);
        for (dm, per_state) in stable.iter_mut().enumerate() {
            for (s, set) in per_state.iter_mut().enumerate() {
                let is_sim = sim[dm][s];
                let is_seq = set.contains(Concept::Seq);
                set.set(Concept::Sim, is_sim);
                set.set(Concept::SeqSim, is_sim || is_seq);
            }
        }
        report(Stage::Simultaneous);
    }
    for per_state in &mut stable {
        for set in per_state.iter_mut() {
            *set = set.intersect(concepts);
        }
    }
    Stability { concepts, stable }
}

fn atomic_copy(v: &[u32]) -> Vec<AtomicU32> {
    crate::par::map_range(v.len(), v.len(), |i| AtomicU32::new(v[i]))
}

/// Runs one-move passes of the movers, round-robin, until none changes anything. A mover's
/// pass is idempotent, so a mover needs another pass only after another mover changed a value.
pub(crate) fn fixpoint(
    movers: &[usize],
    states: usize,
    mut pass: impl FnMut(usize, (&Dirty, usize)) -> bool,
) {
    if movers.is_empty() {
        return;
    }
    let dirty = Dirty::all(movers.len(), states);
    let mut settled = vec![false; movers.len()];
    let mut k = 0;
    while settled.iter().any(|s| !s) {
        if !settled[k] {
            let changed = pass(movers[k], (&dirty, k));
            settled[k] = true;
            if changed {
                for (o, s) in settled.iter_mut().enumerate() {
                    if o != k {
                        *s = false;
                    }
                }
            }
        }
        k = (k + 1) % movers.len();
    }
}
