//! Coalitions, in two senses (DESIGN §3).
//!
//! **Joint mode** ([`analyze_joint`]): the DMs are partitioned into coalitions (the conflict's
//! own, every other DM alone), and each coalition moves as one player over the union of its
//! members' options (it cannot move from or to a state any member misperceives). A coalition
//! prefers `t` to `s` only when every member strictly prefers `t`, so a state `s2` sanctions it
//! when some member does not strictly prefer `s2` to `s`. The six concepts then read as in
//! DESIGN §3 with players for DMs. This is how GMCR+ treats coalitions.
//!
//! **Coalition analysis** ([`analyze_coalitional`]), after Inohara & Hipel (2008), "Coalition
//! analysis in the graph model for conflict resolution". Every DM keeps its own moves; a
//! coalition H moves by legal sequences of its members' moves (`R_H`), and its *coalitional
//! improvements* from `s` are `R++_H(s)`: the states of `R_H(s)` that every member of H strictly
//! prefers to `s`. For a DM i and a class of coalitions (all of them, or a given list plus every
//! DM alone), `s` is, for i:
//!
//! - **CNash** when no coalition H ∋ i has a coalitional improvement from `s`;
//! - **CGMR** when for every H ∋ i and every `s1 ∈ R++_H(s)` some `s2 ∈ R_{N−H}(s1)` has
//!   `s ≿_i s2`;
//! - **CSMR** as CGMR, with also `s ≿_i s3` for every `s3 ∈ R_H(s2)` (H may move again);
//! - **CSEQ** as CGMR with `s2 ∈ R+_{N−H}(s1)` (unilateral improvements by the others).
//!
//! With only singleton coalitions these are exactly Nash, GMR, SMR and SEQ. In a
//! [`CoalitionalStability`] the bits `nash`, `gmr`, `smr` and `seq` of [`ConceptSet`] stand for
//! CNash, CGMR, CSMR and CSEQ.
//!
//! Both analyses build explicit move graphs and, for coalitional improvements, search each
//! state's coalition reach, so they are meant for models of up to tens of thousands of states;
//! larger models get [`CoalitionError::TooLarge`] up front.

use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use crate::analysis::{Progress, Stage};
use crate::concept::{Concept, ConceptSet};
use crate::explicit::{Graph, Player};
use crate::model::Model;

/// The most states the coalition analyses accept.
pub const MAX_COALITION_STATES: usize = 1 << 16;
/// The most DMs coalition analysis over all coalitions accepts (2^n − 1 coalitions).
pub const MAX_COALITION_DMS: usize = 12;
/// The most options one joint-mode player may control (its moves are enumerated).
pub const MAX_PLAYER_OPTIONS: u32 = 20;

/// Why a coalition analysis cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CoalitionError {
    #[error(
        "the model has {states} states; coalition analyses accept at most {limit} (they build \
         explicit move graphs)"
    )]
    TooLarge { states: usize, limit: usize },
    #[error("coalition analysis over all coalitions accepts at most {limit} DMs, not {dms}")]
    TooManyDms { dms: usize, limit: usize },
    #[error(
        "coalition {coalition} controls {options} options; a player may control at most {limit}"
    )]
    PlayerTooWide {
        coalition: usize,
        options: u32,
        limit: u32,
    },
    #[error("coalition {coalition} is empty or names a DM that does not exist ({dm})")]
    BadCoalition { coalition: usize, dm: usize },
    #[error("DM {dm} is in more than one coalition")]
    Overlap { dm: usize },
}

/// Joint-mode results: per player (coalition), per state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointStability {
    /// The players: the coalitions, then every DM in none of them, each sorted.
    pub players: Vec<Vec<usize>>,
    pub concepts: ConceptSet,
    /// `stable[player][state]`.
    pub stable: Vec<Vec<ConceptSet>>,
}

impl JointStability {
    /// The equilibria under a concept: states stable for every player.
    pub fn equilibria(&self, concept: Concept) -> Vec<usize> {
        equilibria(&self.stable, self.concepts, concept)
    }
}

/// Coalition analysis results: per DM, per state; `nash`, `gmr`, `smr`, `seq` stand for CNash,
/// CGMR, CSMR, CSEQ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoalitionalStability {
    /// The class of coalitions considered.
    pub coalitions: Vec<Vec<usize>>,
    pub concepts: ConceptSet,
    /// `stable[dm][state]`.
    pub stable: Vec<Vec<ConceptSet>>,
}

impl CoalitionalStability {
    /// The coalitional equilibria under a concept: states stable for every DM.
    pub fn equilibria(&self, concept: Concept) -> Vec<usize> {
        equilibria(&self.stable, self.concepts, concept)
    }
}

fn equilibria(stable: &[Vec<ConceptSet>], concepts: ConceptSet, c: Concept) -> Vec<usize> {
    if !concepts.contains(c) {
        return Vec::new();
    }
    let n = stable.first().map_or(0, Vec::len);
    (0..n)
        .filter(|&s| stable.iter().all(|p| p[s].contains(c)))
        .collect()
}

/// Which coalitions coalition analysis considers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoalitionClass {
    /// Every non-empty set of DMs.
    All,
    /// These coalitions, plus every DM alone.
    Listed(Vec<Vec<usize>>),
}

/// An upper bound on the peak bytes of [`analyze_joint_with`] with `joint` followed by
/// [`analyze_coalitional`] with `class`, for refusing work before it starts.
///
/// Both build explicit move graphs. A player (a DM, or a joint-mode coalition) controlling `w`
/// options has at most `min(2^w − 1, n − 1)` moves from a state, so its graph holds at most
/// `n · min(2^w − 1, n − 1)` edges of 4 bytes; a graph is held twice while it is built, and
/// the unions of the other players' graphs are built once per player. Irreversible options and
/// infeasible states only lower the real figure. `None` for coalitions that name no DM of the
/// model: there is nothing to estimate, and the analyses refuse them with their own error.
pub fn estimate_coalition_bytes(
    model: &Model,
    joint: &[Vec<usize>],
    class: &CoalitionClass,
) -> Option<u64> {
    let n = model.num_states() as u64;
    let d = model.num_dms();
    let listed: &[Vec<usize>] = match class {
        CoalitionClass::All => &[],
        CoalitionClass::Listed(l) => l,
    };
    if joint.iter().chain(listed).flatten().any(|&m| m >= d) {
        return None;
    }
    // Edges of the move graph of a player made of `members`.
    let edges_of = |members: &[usize]| -> u64 {
        let w: u32 = members.iter().map(|&m| model.dm_bits(m).width).sum();
        let per_state = if w >= 63 { u64::MAX } else { (1u64 << w) - 1 };
        n.saturating_mul(per_state.min(n.saturating_sub(1)))
    };
    let graph = |edges: u64| edges.saturating_mul(4).saturating_add(4 * (n + 1));
    let sum = |it: &mut dyn Iterator<Item = u64>| it.fold(0u64, u64::saturating_add);
    let threads = rayon::current_num_threads() as u64;
    let d64 = d as u64;
    // Joint mode: the players are the coalitions and every DM in none of them; their moves and
    // improvements, plus the two unions of the others' graphs, each held twice while built.
    let mut players: Vec<Vec<usize>> = joint.to_vec();
    players.extend(
        (0..d)
            .filter(|x| !joint.iter().flatten().any(|m| m == x))
            .map(|x| vec![x]),
    );
    let all_players = graph(sum(&mut players.iter().map(|p| edges_of(p))));
    let joint_bytes = all_players.saturating_mul(2 * 2 + 2 * 2);
    // Coalition analysis: every DM's moves and improvements, and per coalition three unions
    // (each held twice while built); per member three aggregates and an escape array; the
    // concepts lost per state and member; each thread's search scratch.
    let singles = graph(sum(&mut (0..d).map(|i| edges_of(&[i]))));
    let coalitional_bytes = singles
        .saturating_mul(2 * 2 + 3 * 2)
        .saturating_add(n.saturating_mul(16 * d64 + 24 + 2 * d64))
        .saturating_add(n.saturating_mul(8).saturating_mul(threads));
    Some(joint_bytes.max(coalitional_bytes))
}

fn check_size(model: &Model) -> Result<(), CoalitionError> {
    if model.num_states() > MAX_COALITION_STATES {
        return Err(CoalitionError::TooLarge {
            states: model.num_states(),
            limit: MAX_COALITION_STATES,
        });
    }
    Ok(())
}

/// Joint mode with the conflict's own coalitions.
pub fn analyze_joint(
    model: &Model,
    concepts: ConceptSet,
) -> Result<JointStability, CoalitionError> {
    analyze_joint_with(model, &model.spec().coalitions, concepts)
}

/// Joint mode with the given coalitions (disjoint; every other DM plays alone).
pub fn analyze_joint_with(
    model: &Model,
    coalitions: &[Vec<usize>],
    concepts: ConceptSet,
) -> Result<JointStability, CoalitionError> {
    check_size(model)?;
    let d = model.num_dms();
    let mut seen = vec![false; d];
    let mut players: Vec<Vec<usize>> = Vec::new();
    for (c, members) in coalitions.iter().enumerate() {
        let mut m = members.clone();
        m.sort_unstable();
        m.dedup();
        if m.is_empty() || m.iter().any(|&x| x >= d) {
            let dm = m.iter().copied().find(|&x| x >= d).unwrap_or(0);
            return Err(CoalitionError::BadCoalition { coalition: c, dm });
        }
        for &x in &m {
            if seen[x] {
                return Err(CoalitionError::Overlap { dm: x });
            }
            seen[x] = true;
        }
        players.push(m);
    }
    players.extend((0..d).filter(|&x| !seen[x]).map(|x| vec![x]));
    let ps: Vec<Player> = players.iter().map(|m| Player::new(model, m)).collect();
    for (c, p) in ps.iter().enumerate() {
        if p.mask.count_ones() > MAX_PLAYER_OPTIONS {
            return Err(CoalitionError::PlayerTooWide {
                coalition: c,
                options: p.mask.count_ones(),
                limit: MAX_PLAYER_OPTIONS,
            });
        }
    }
    let n = model.num_states();
    let moves: Vec<Graph> = ps
        .iter()
        .map(|p| Graph::build(n, |s, push| p.for_each_move(model, s, push)))
        .collect();
    let improvements: Vec<Graph> = ps
        .iter()
        .map(|p| {
            Graph::build(n, |s, push| {
                p.for_each_move(model, s, |t| {
                    if p.prefers(model, t, s) {
                        push(t)
                    }
                })
            })
        })
        .collect();

    let stable = (0..ps.len())
        .map(|k| {
            let p = &ps[k];
            let others: Vec<&Graph> = (0..ps.len())
                .filter(|&o| o != k)
                .map(|o| &moves[o])
                .collect();
            let others_imp: Vec<&Graph> = (0..ps.len())
                .filter(|&o| o != k)
                .map(|o| &improvements[o])
                .collect();
            let g_others = Graph::union(n, &others);
            let g_others_imp = Graph::union(n, &others_imp);
            // Per member: the least payoff over the others' reach (GMR) and over their
            // improvement reach (SEQ).
            let gmr_min: Vec<Vec<u32>> = p
                .members
                .iter()
                .map(|&m| g_others.reach_aggregate(model.payoffs(m), u32::min))
                .collect();
            let seq_min: Vec<Vec<u32>> = p
                .members
                .iter()
                .map(|&m| g_others_imp.reach_aggregate(model.payoffs(m), u32::min))
                .collect();
            let sanction = |s: usize, s2: usize| p.sanctioned_by(model, s, s2);
            let by_min = |mins: &[Vec<u32>], s: usize, s1: usize| {
                p.members
                    .iter()
                    .zip(mins)
                    .any(|(&m, mm)| mm[s1] <= model.payoff(m, s))
            };
            crate::par::map_range_init(
                n,
                n * 16,
                || (Vec::new(), vec![u32::MAX; n], 0u32, Vec::new()),
                |(stack, mark, stamp, cands), s| {
                    let imps = improvements[k].successors(s);
                    let mut set = ConceptSet::EMPTY;
                    set.set(Concept::Nash, imps.is_empty());
                    let gmr = imps.iter().all(|&s1| by_min(&gmr_min, s, s1 as usize));
                    set.set(Concept::Gmr, gmr);
                    let seq = imps.iter().all(|&s1| by_min(&seq_min, s, s1 as usize));
                    set.set(Concept::Seq, seq);
                    if concepts.contains(Concept::Smr) {
                        let smr = imps.iter().all(|&s1| {
                            // Search the others' reach from s1 for an s2 that sanctions
                            // and from which the player cannot escape.
                            *stamp += 1;
                            stack.clear();
                            stack.push(s1);
                            mark[s1 as usize] = *stamp;
                            while let Some(x) = stack.pop() {
                                let x = x as usize;
                                if sanction(s, x)
                                    && moves[k]
                                        .successors(x)
                                        .iter()
                                        .all(|&s3| sanction(s, s3 as usize))
                                {
                                    return true;
                                }
                                for &y in g_others.successors(x) {
                                    if mark[y as usize] != *stamp {
                                        mark[y as usize] = *stamp;
                                        stack.push(y);
                                    }
                                }
                            }
                            false
                        });
                        set.set(Concept::Smr, smr);
                    }
                    if concepts.contains(Concept::Sim) || concepts.contains(Concept::SeqSim) {
                        let sim = joint_sim(model, &ps, &improvements, k, s, cands);
                        set.set(Concept::Sim, sim);
                        set.set(Concept::SeqSim, sim || seq);
                    }
                    set.intersect(concepts)
                },
            )
        })
        .collect();
    Ok(JointStability {
        players,
        concepts,
        stable,
    })
}

/// SIM for player `k` at `s`: every improvement of the player meets a joint response of the
/// other players (each stays or takes one of its improvements from `s`) that lands on a
/// feasible state sanctioning the player.
fn joint_sim(
    model: &Model,
    ps: &[Player],
    improvements: &[Graph],
    k: usize,
    s: usize,
    idx: &mut Vec<usize>,
) -> bool {
    let p = &ps[k];
    let others: Vec<usize> = (0..ps.len()).filter(|&o| o != k).collect();
    'improvement: for &s1 in improvements[k].successors(s) {
        let start = model.code(s1 as usize);
        idx.clear();
        idx.resize(others.len(), 0);
        loop {
            // Advance the odometer; all zeros (everyone stays) is s1 itself, never a sanction.
            let mut pos = 0;
            loop {
                if pos == others.len() {
                    return false;
                }
                idx[pos] += 1;
                if idx[pos] <= improvements[others[pos]].successors(s).len() {
                    break;
                }
                idx[pos] = 0;
                pos += 1;
            }
            let mut c = start;
            for (q, &o) in others.iter().enumerate() {
                if idx[q] > 0 {
                    let t = improvements[o].successors(s)[idx[q] - 1] as usize;
                    c = (c & !ps[o].mask) | (model.code(t) & ps[o].mask);
                }
            }
            if let Some(s2) = model.index_of(c)
                && p.sanctioned_by(model, s, s2)
            {
                continue 'improvement;
            }
        }
    }
    true
}

/// Coalition analysis (Inohara & Hipel 2008) for every DM under CNash, CGMR, CSMR and CSEQ
/// (the `nash`, `gmr`, `smr`, `seq` bits of the result).
pub fn analyze_coalitional(
    model: &Model,
    class: &CoalitionClass,
) -> Result<CoalitionalStability, CoalitionError> {
    analyze_coalitional_with_progress(model, class, &|_| {})
}

/// [`analyze_coalitional`], calling `progress` (from any thread, at least every 4,096 states
/// and after each coalition) with the states searched so far out of coalitions × states. The
/// search from every state is up to quadratic in the states for a coalition with many
/// options, so large runs take minutes: this is what a caller shows meanwhile.
pub fn analyze_coalitional_with_progress(
    model: &Model,
    class: &CoalitionClass,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<CoalitionalStability, CoalitionError> {
    check_size(model)?;
    let d = model.num_dms();
    let coalitions: Vec<Vec<usize>> = match class {
        CoalitionClass::All => {
            if d > MAX_COALITION_DMS {
                return Err(CoalitionError::TooManyDms {
                    dms: d,
                    limit: MAX_COALITION_DMS,
                });
            }
            (1u64..1 << d)
                .map(|m| (0..d).filter(|&i| m >> i & 1 == 1).collect())
                .collect()
        }
        CoalitionClass::Listed(list) => {
            let mut out: Vec<Vec<usize>> = (0..d).map(|i| vec![i]).collect();
            for (c, members) in list.iter().enumerate() {
                let mut m = members.clone();
                m.sort_unstable();
                m.dedup();
                if m.is_empty() || m.iter().any(|&x| x >= d) {
                    let dm = m.iter().copied().find(|&x| x >= d).unwrap_or(0);
                    return Err(CoalitionError::BadCoalition { coalition: c, dm });
                }
                if !out.contains(&m) {
                    out.push(m);
                }
            }
            out
        }
    };
    let n = model.num_states();
    let single: Vec<Player> = (0..d).map(|i| Player::new(model, &[i])).collect();
    let moves: Vec<Graph> = single
        .iter()
        .map(|p| Graph::build(n, |s, push| p.for_each_move(model, s, push)))
        .collect();
    let improvements: Vec<Graph> = (0..d)
        .map(|i| {
            Graph::build(n, |s, push| {
                model.for_each_move(i, s, |t| {
                    if model.payoff(i, t) > model.payoff(i, s) {
                        push(t)
                    }
                })
            })
        })
        .collect();
    let union_of = |set: &[usize], graphs: &[Graph]| -> Graph {
        let gs: Vec<&Graph> = set.iter().map(|&i| &graphs[i]).collect();
        if gs.is_empty() {
            Graph::empty(n)
        } else {
            Graph::union(n, &gs)
        }
    };
    // Start with everything stable and knock states out coalition by coalition.
    let mut stable = vec![vec![ConceptSet::ALL.intersect(COALITIONAL); n]; d];
    let total = coalitions.len() as u64 * n as u64;
    let done = AtomicU64::new(0);
    for (c, h) in coalitions.iter().enumerate() {
        let report = |done: u64| {
            progress(Progress {
                done,
                total,
                stage: Stage::Coalition { coalition: c },
            })
        };
        let rest: Vec<usize> = (0..d).filter(|i| !h.contains(i)).collect();
        let g_h = union_of(h, &moves);
        let g_rest = union_of(&rest, &moves);
        let g_rest_imp = union_of(&rest, &improvements);
        // Per member: the least payoff over the others' reach (CGMR), over their improvement
        // reach (CSEQ), and over the others' reach of H's best escape (CSMR).
        let mins: Vec<[Vec<u32>; 3]> = h
            .iter()
            .map(|&i| {
                let p_i = model.payoffs(i);
                let escape = g_h.reach_aggregate(p_i, u32::max);
                [
                    g_rest.reach_aggregate(p_i, u32::min),
                    g_rest_imp.reach_aggregate(p_i, u32::min),
                    g_rest.reach_aggregate(&escape, u32::min),
                ]
            })
            .collect();
        // The coalitional improvements of H from each state are searched and used at once, never
        // stored for every state (that would be up to n² entries): what is kept is, per state,
        // the concepts each member of H loses there.
        let lost: Vec<Vec<ConceptSet>> = crate::par::map_range_init(
            n,
            n * 16,
            || (Vec::new(), vec![u32::MAX; n], 0u32),
            |(stack, mark, stamp), s| {
                let k = done.fetch_add(1, Ordering::Relaxed) + 1;
                if k.is_multiple_of(4096) {
                    report(k);
                }
                *stamp += 1;
                let mut lost = vec![ConceptSet::EMPTY; h.len()];
                stack.clear();
                stack.push(s as u32);
                mark[s] = *stamp;
                while let Some(x) = stack.pop() {
                    for &y in g_h.successors(x as usize) {
                        let y = y as usize;
                        if mark[y] == *stamp {
                            continue;
                        }
                        mark[y] = *stamp;
                        stack.push(y as u32);
                        if !h.iter().all(|&k| model.payoff(k, y) > model.payoff(k, s)) {
                            continue;
                        }
                        // y is a coalitional improvement of H from s.
                        for (m, &i) in h.iter().enumerate() {
                            let p = model.payoff(i, s);
                            let [gmr_min, seq_min, smr_min] = &mins[m];
                            lost[m].set(Concept::Nash, true);
                            if gmr_min[y] > p {
                                lost[m].set(Concept::Gmr, true);
                            }
                            if smr_min[y] > p {
                                lost[m].set(Concept::Smr, true);
                            }
                            if seq_min[y] > p {
                                lost[m].set(Concept::Seq, true);
                            }
                        }
                    }
                }
                lost
            },
        );
        report(done.load(Ordering::Relaxed));
        for (s, lost) in lost.iter().enumerate() {
            for (m, &i) in h.iter().enumerate() {
                for c in [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq] {
                    if lost[m].contains(c) {
                        stable[i][s].set(c, false);
                    }
                }
            }
        }
    }
    Ok(CoalitionalStability {
        coalitions,
        concepts: COALITIONAL,
        stable,
    })
}

/// The concepts coalition analysis computes (standing for CNash, CGMR, CSMR, CSEQ).
const COALITIONAL: ConceptSet = ConceptSet::from_bits(0b1111);
