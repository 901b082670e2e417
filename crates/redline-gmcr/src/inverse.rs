//! Inverse GMCR: which preferences would make a desired state an equilibrium.
//!
//! Two questions, for one state and one concept:
//!
//! 1. [`inverse`]: over **strict rankings** of the feasible states (payoff = position, 1 the
//!    worst), each state of each DM restricted to a user-given range of positions, which
//!    combinations of rankings make the state an equilibrium? The answer is their number, a
//!    sample of them, and the one closest to the stated preferences (the fewest pairs of states
//!    that the stated preference orders strictly one way and the ranking the other way; pairs
//!    the stated preference ties are free). For Nash, GMR and SMR a DM's stability depends on its
//!    own ranking only, so each DM is enumerated alone and the count is the product; SEQ, SIM and
//!    SEQ+SIM depend on everyone's rankings and are enumerated jointly. Rankings are enumerated,
//!    so this is for small conflicts or narrow ranges: the rankings each DM admits are counted
//!    first (a dynamic programme over sets of states) and at most [`MAX_RANKINGS_PER_DM`] are
//!    enumerated; see also [`MAX_INVERSE_STATES`] and [`MAX_JOINT_CANDIDATES`].
//! 2. [`priority_changes`]: the smallest changes to the stated option prioritisations that
//!    make the state an equilibrium — "what would have to change for a deal to hold". One edit
//!    either swaps two adjacent statements of one DM or drops one statement; the search is
//!    breadth first over edit counts, so every reported change set is minimal.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::concept::Concept;
use crate::formula::Compiled;
use crate::model::Model;
use crate::single::state_stability;
use crate::spec::{ConflictSpec, Preference, SpecError};

/// The most feasible states [`inverse`] enumerates rankings over.
pub const MAX_INVERSE_STATES: usize = 20;
/// The most rankings [`inverse`] enumerates for one DM.
pub const MAX_RANKINGS_PER_DM: u64 = 2_000_000;
/// The most joint ranking combinations [`inverse`] checks for SEQ, SIM and SEQ+SIM.
pub const MAX_JOINT_CANDIDATES: u64 = 5_000_000;

/// What [`inverse`] is asked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InverseQuery {
    /// The desired equilibrium, as a state code.
    pub state: u64,
    pub concept: Concept,
    /// `ranges[dm][state]`: the positions (payoffs, 1 the worst, N the best) the state may take
    /// in the DM's ranking. A DM with an empty list is unrestricted; otherwise the list has one
    /// inclusive range per feasible state, in state order.
    pub ranges: Vec<Vec<(u32, u32)>>,
    /// How many solutions to list.
    pub max_solutions: usize,
}

/// What [`inverse`] answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InverseResult {
    pub state: usize,
    pub concept: Concept,
    /// The number of combinations of rankings (one per DM, within the ranges) that make the
    /// state an equilibrium.
    pub count: u128,
    /// For Nash, GMR and SMR: per DM, the number of its rankings under which the state is
    /// stable for it (the count is their product).
    pub per_dm: Option<Vec<u64>>,
    /// Up to `max_solutions` solutions: per DM, a payoff per state.
    pub solutions: Vec<Vec<Vec<u32>>>,
    /// The solution closest to the stated preferences, with its distance per DM.
    pub closest: Option<Closest>,
}

/// The solution nearest to the stated preferences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closest {
    /// Per DM, a payoff per state.
    pub payoffs: Vec<Vec<u32>>,
    /// Per DM, the number of state pairs it reverses against the stated preference.
    pub distance: Vec<u64>,
}

/// Why an inverse analysis cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InverseError {
    #[error("state {code} is not a feasible state")]
    UnknownState { code: u64 },
    #[error(
        "the conflict has {states} feasible states; inverse analysis enumerates rankings and \
         accepts at most {limit}"
    )]
    TooManyStates { states: usize, limit: usize },
    #[error("decision maker {dm} has {got} ranges; give none or one per feasible state ({states})")]
    RangeCount {
        dm: usize,
        got: usize,
        states: usize,
    },
    #[error(
        "decision maker {dm} admits {rankings} rankings within its ranges; at most {limit} are \
         enumerated — narrow the ranges"
    )]
    TooManyRankings {
        dm: usize,
        rankings: u128,
        limit: u64,
    },
    #[error("there are {got} range lists for {dms} decision makers")]
    RangeDms { got: usize, dms: usize },
    #[error(
        "{combinations} combinations of rankings would have to be checked jointly; at most \
         {limit} are — narrow the ranges"
    )]
    TooManyCombinations { combinations: u128, limit: u64 },
    #[error(transparent)]
    Spec(#[from] SpecError),
}

/// The number of strict rankings that respect the ranges: `ways[set]` counts the ways to give
/// the |set| best positions (n, n−1, ...) to the states of `set`.
fn count_rankings(n: usize, ranges: &[(u32, u32)]) -> u128 {
    let mut ways = vec![0u128; 1 << n];
    ways[0] = 1;
    for set in 0usize..1 << n {
        let w = ways[set];
        if w == 0 {
            continue;
        }
        let v = (n - set.count_ones() as usize) as u32;
        for s in (0..n).filter(|&s| set >> s & 1 == 0) {
            if ranges[s].0 <= v && v <= ranges[s].1 {
                ways[set | 1 << s] = ways[set | 1 << s].saturating_add(w);
            }
        }
    }
    ways[(1 << n) - 1]
}

/// Every strict ranking (payoff per state, a permutation of 1..=n) that respects the ranges.
fn rankings(n: usize, ranges: &[(u32, u32)], out: &mut Vec<Vec<u32>>) {
    fn rec(v: u32, n: usize, ranges: &[(u32, u32)], cur: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
        if v == 0 {
            out.push(cur.clone());
            return;
        }
        // Some unplaced state must still fit below v.
        if (0..n).any(|s| cur[s] == 0 && ranges[s].0 > v) {
            return;
        }
        for s in 0..n {
            if cur[s] == 0 && ranges[s].0 <= v && v <= ranges[s].1 {
                cur[s] = v;
                rec(v - 1, n, ranges, cur, out);
                cur[s] = 0;
            }
        }
    }
    let mut cur = vec![0u32; n];
    rec(n as u32, n, ranges, &mut cur, out);
}

/// The pairs the stated payoffs order strictly one way and `q` the other way.
fn distance(stated: &[u32], q: &[u32]) -> u64 {
    let mut d = 0;
    for a in 0..stated.len() {
        for b in 0..stated.len() {
            if stated[a] > stated[b] && q[a] < q[b] {
                d += 1;
            }
        }
    }
    d
}

/// Answers an [`InverseQuery`].
pub fn inverse(model: &Model, query: &InverseQuery) -> Result<InverseResult, InverseError> {
    let n = model.num_states();
    let d = model.num_dms();
    let s = model
        .index_of(query.state)
        .ok_or(InverseError::UnknownState { code: query.state })?;
    if n > MAX_INVERSE_STATES {
        return Err(InverseError::TooManyStates {
            states: n,
            limit: MAX_INVERSE_STATES,
        });
    }
    if query.ranges.len() > d {
        return Err(InverseError::RangeDms {
            got: query.ranges.len(),
            dms: d,
        });
    }
    let full = vec![(1u32, n as u32); n];
    let mut candidates: Vec<Vec<Vec<u32>>> = Vec::with_capacity(d);
    for dm in 0..d {
        let r = query
            .ranges
            .get(dm)
            .filter(|r| !r.is_empty())
            .unwrap_or(&full);
        if r.len() != n {
            return Err(InverseError::RangeCount {
                dm,
                got: r.len(),
                states: n,
            });
        }
        let count = count_rankings(n, r);
        if count > u128::from(MAX_RANKINGS_PER_DM) {
            return Err(InverseError::TooManyRankings {
                dm,
                rankings: count,
                limit: MAX_RANKINGS_PER_DM,
            });
        }
        let mut out = Vec::with_capacity(count as usize);
        rankings(n, r, &mut out);
        debug_assert_eq!(out.len() as u128, count);
        candidates.push(out);
    }
    let c = query.concept;
    let stated: Vec<Vec<u32>> = (0..d).map(|dm| model.payoffs(dm).to_vec()).collect();
    let stable_for = |dm: usize, payoffs: &dyn Fn(usize, usize) -> u32| -> bool {
        state_stability(model, payoffs, s)[dm].contains(c)
    };
    let mut result = InverseResult {
        state: s,
        concept: c,
        count: 0,
        per_dm: None,
        solutions: Vec::new(),
        closest: None,
    };
    if matches!(c, Concept::Nash | Concept::Gmr | Concept::Smr) {
        // A DM's stability depends on its own ranking only: take the others as stated.
        let good: Vec<Vec<&Vec<u32>>> = (0..d)
            .map(|dm| {
                candidates[dm]
                    .iter()
                    .filter(|q| stable_for(dm, &|x, t| if x == dm { q[t] } else { stated[x][t] }))
                    .collect()
            })
            .collect();
        result.per_dm = Some(good.iter().map(|g| g.len() as u64).collect());
        result.count = good.iter().map(|g| g.len() as u128).product();
        if result.count > 0 {
            // The first few combinations, odometer order.
            let mut idx = vec![0usize; d];
            'list: while result.solutions.len() < query.max_solutions {
                result
                    .solutions
                    .push((0..d).map(|dm| good[dm][idx[dm]].clone()).collect());
                let mut k = 0;
                loop {
                    if k == d {
                        break 'list;
                    }
                    idx[k] += 1;
                    if idx[k] < good[k].len() {
                        break;
                    }
                    idx[k] = 0;
                    k += 1;
                }
            }
            let best: Vec<(&Vec<u32>, u64)> = (0..d)
                .map(|dm| {
                    good[dm]
                        .iter()
                        .map(|q| (*q, distance(&stated[dm], q)))
                        .min_by_key(|&(q, dist)| (dist, q.clone()))
                        .unwrap_or((&stated[dm], 0))
                })
                .collect();
            result.closest = Some(Closest {
                payoffs: best.iter().map(|(q, _)| (*q).clone()).collect(),
                distance: best.iter().map(|&(_, dist)| dist).collect(),
            });
        }
        return Ok(result);
    }
    let combinations: u128 = candidates.iter().map(|c| c.len() as u128).product();
    if combinations > u128::from(MAX_JOINT_CANDIDATES) {
        return Err(InverseError::TooManyCombinations {
            combinations,
            limit: MAX_JOINT_CANDIDATES,
        });
    }
    let mut idx = vec![0usize; d];
    let mut best: Option<(u64, Vec<Vec<u32>>, Vec<u64>)> = None;
    loop {
        let pick: Vec<&Vec<u32>> = (0..d).map(|dm| &candidates[dm][idx[dm]]).collect();
        let stable = state_stability(model, &|x, t| pick[x][t], s);
        if stable.iter().all(|set| set.contains(c)) {
            result.count += 1;
            if result.solutions.len() < query.max_solutions {
                result
                    .solutions
                    .push(pick.iter().map(|q| (*q).clone()).collect());
            }
            let dist: Vec<u64> = (0..d).map(|dm| distance(&stated[dm], pick[dm])).collect();
            let total: u64 = dist.iter().sum();
            if best.as_ref().is_none_or(|(b, _, _)| total < *b) {
                best = Some((total, pick.iter().map(|q| (*q).clone()).collect(), dist));
            }
        }
        let mut k = 0;
        loop {
            if k == d {
                result.closest = best.map(|(_, payoffs, distance)| Closest { payoffs, distance });
                return Ok(result);
            }
            idx[k] += 1;
            if idx[k] < candidates[k].len() {
                break;
            }
            idx[k] = 0;
            k += 1;
        }
    }
}

/// One edit to a DM's option prioritisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityEdit {
    /// Swap the statements now at positions `at` and `at + 1` (0 = most important).
    Swap { dm: usize, at: usize },
    /// Drop the statement now at position `at`.
    Drop { dm: usize, at: usize },
}

/// A minimal set of edits that makes the state an equilibrium.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityChange {
    /// The edits, applied in order.
    pub edits: Vec<PriorityEdit>,
    /// Per DM, the statements that remain, as indices into the DM's original list, most
    /// important first (empty for DMs with an explicit ranking).
    pub order: Vec<Vec<usize>>,
}

/// The smallest changes to the stated priorities.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityChanges {
    pub state: usize,
    pub concept: Concept,
    /// The number of edits of every change listed; `None` when nothing within `max_edits`
    /// works. 0 means the state already is an equilibrium.
    pub edits: Option<usize>,
    /// Every minimal change found (up to `max_solutions`), each leading to a distinct set of
    /// priorities.
    pub changes: Vec<PriorityChange>,
    /// How many priority configurations were checked.
    pub checked: usize,
}

/// Finds the fewest edits to the DMs' option prioritisations (swaps of adjacent statements,
/// drops of statements) that make `state` an equilibrium under `concept`, searching up to
/// `max_edits` edits. DMs with explicit rankings keep them.
pub fn priority_changes(
    spec: &ConflictSpec,
    state: u64,
    concept: Concept,
    max_edits: usize,
    max_solutions: usize,
) -> Result<PriorityChanges, InverseError> {
    let model = Model::new(spec)?;
    let s = model
        .index_of(state)
        .ok_or(InverseError::UnknownState { code: state })?;
    let n = model.num_states();
    // Truth of every statement in every state, per DM.
    let truth: Vec<Vec<Vec<bool>>> = spec
        .dms
        .iter()
        .map(|dm| match &dm.preference {
            Preference::Statements(st) => st
                .iter()
                .map(|f| {
                    let c = Compiled::new(f);
                    model.codes().iter().map(|&code| c.eval(code)).collect()
                })
                .collect(),
            Preference::Ranking(_) => Vec::new(),
        })
        .collect();
    let payoffs_for = |dm: usize, order: &[usize]| -> Vec<u32> {
        if matches!(spec.dms[dm].preference, Preference::Ranking(_)) {
            return model.payoffs(dm).to_vec();
        }
        let k = order.len();
        let scores: Vec<u64> = (0..n)
            .map(|x| {
                order
                    .iter()
                    .enumerate()
                    .filter(|&(_, &st)| truth[dm][st][x])
                    .map(|(j, _)| 1u64 << (k - 1 - j))
                    .sum()
            })
            .collect();
        let mut distinct = scores.clone();
        distinct.sort_unstable();
        distinct.dedup();
        scores
            .iter()
            .map(|sc| distinct.binary_search(sc).map_or(0, |r| r as u32 + 1))
            .collect()
    };
    let d = spec.dms.len();
    let start: Vec<Vec<usize>> = (0..d).map(|dm| (0..truth[dm].len()).collect()).collect();
    let is_equilibrium = |config: &[Vec<usize>]| -> bool {
        let pay: Vec<Vec<u32>> = (0..d).map(|dm| payoffs_for(dm, &config[dm])).collect();
        state_stability(&model, &|x, t| pay[x][t], s)
            .iter()
            .all(|set| set.contains(concept))
    };
    let mut out = PriorityChanges {
        state: s,
        concept,
        edits: None,
        changes: Vec::new(),
        checked: 1,
    };
    if is_equilibrium(&start) {
        out.edits = Some(0);
        out.changes.push(PriorityChange {
            edits: Vec::new(),
            order: start,
        });
        return Ok(out);
    }
    // Breadth first over configurations; each remembers one shortest edit sequence.
    let mut seen: HashSet<Vec<Vec<usize>>> = HashSet::from([start.clone()]);
    let mut frontier: Vec<(Vec<Vec<usize>>, Vec<PriorityEdit>)> = vec![(start, Vec::new())];
    for level in 1..=max_edits {
        let mut next = Vec::new();
        let mut found: HashMap<Vec<Vec<usize>>, Vec<PriorityEdit>> = HashMap::new();
        for (config, edits) in &frontier {
            for dm in 0..d {
                let k = config[dm].len();
                let mut moves: Vec<PriorityEdit> = (0..k.saturating_sub(1))
                    .map(|at| PriorityEdit::Swap { dm, at })
                    .collect();
                moves.extend((0..k).map(|at| PriorityEdit::Drop { dm, at }));
                for e in moves {
                    let mut c = config.clone();
                    match e {
                        PriorityEdit::Swap { at, .. } => c[dm].swap(at, at + 1),
                        PriorityEdit::Drop { at, .. } => {
                            c[dm].remove(at);
                        }
                    }
                    if !seen.insert(c.clone()) {
                        continue;
                    }
                    out.checked += 1;
                    let mut path = edits.clone();
                    path.push(e);
                    if is_equilibrium(&c) {
                        found.entry(c).or_insert(path);
                    } else {
                        next.push((c, path));
                    }
                }
            }
        }
        if !found.is_empty() {
            let mut changes: Vec<PriorityChange> = found
                .into_iter()
                .map(|(order, edits)| PriorityChange { edits, order })
                .collect();
            changes.sort_by(|a, b| a.order.cmp(&b.order));
            changes.truncate(max_solutions);
            out.edits = Some(level);
            out.changes = changes;
            return Ok(out);
        }
        frontier = next;
    }
    Ok(out)
}
