//! The graph model: the feasible states (bit patterns) enumerated once, sorted and indexed, each
//! DM's payoffs, misperceptions and move rules. Moves are computed when needed, never stored.

use std::sync::OnceLock;

use fixedbitset::FixedBitSet;

use crate::formula::Compiled;
use crate::spec::{ConflictSpec, Direction, Preference, SpecError};

/// The most feasible states a model may have (state indices are `u32`, one value is reserved).
pub const MAX_STATES: u64 = u32::MAX as u64 - 1;

/// What a DM controls: a contiguous run of bits, some of them irreversible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DmBits {
    /// The DM's options as a mask over state codes.
    pub mask: u64,
    /// The position of the DM's lowest option.
    pub shift: u32,
    /// The number of options the DM controls.
    pub width: u32,
    /// Options that, once taken, cannot be untaken.
    pub forward: u64,
    /// Options that, once dropped, cannot be retaken.
    pub backward: u64,
}

impl DmBits {
    /// Whether the change `from → to` touches only this DM's options, changes something, and
    /// reverses no irreversible option. Feasibility and misperception are not checked here.
    #[inline]
    pub fn allows(&self, from: u64, to: u64) -> bool {
        let diff = from ^ to;
        diff != 0
            && diff & !self.mask == 0
            && from & self.forward & !to == 0
            && !from & self.backward & to == 0
    }

    /// The DM's part of a state code, shifted down to bit 0.
    #[inline]
    pub fn local(&self, code: u64) -> u64 {
        (code & self.mask) >> self.shift
    }
}

#[derive(Clone, Debug)]
enum Index {
    /// `table[code]` is the state's index, or `u32::MAX` for an infeasible code.
    Dense(Vec<u32>),
    /// Binary search over the sorted codes.
    Sparse,
}

/// A conflict ready for analysis. Build it with [`Model::new`].
#[derive(Clone, Debug)]
pub struct Model {
    spec: ConflictSpec,
    dm_bits: Vec<DmBits>,
    codes: Vec<u64>,
    index: Index,
    /// `payoffs[dm][state]`, 1 the worst.
    payoffs: Vec<Vec<u32>>,
    /// `misperceived[dm]`, present when the DM misperceives any state.
    misperceived: Vec<Option<FixedBitSet>>,
    /// Per DM with more than [`DIRECT_MOVE_WIDTH`] options, built on first use: the states
    /// grouped by fiber, so that moves are found among the fiber's states instead of among all
    /// 2^width local parts.
    move_index: Vec<OnceLock<MoveIndex>>,
}

/// DMs with at most this many options find their moves by trying every local part.
const DIRECT_MOVE_WIDTH: u32 = 8;

/// The states grouped by one DM's fibers.
#[derive(Clone, Debug)]
struct MoveIndex {
    /// States ordered by (code outside the DM's options, code).
    order: Vec<u32>,
    /// Fiber boundaries in `order`.
    starts: Vec<u32>,
    /// The fiber of every state.
    fiber_of: Vec<u32>,
}

impl MoveIndex {
    fn build(codes: &[u64], mask: u64) -> MoveIndex {
        let mut order: Vec<u32> = (0..codes.len() as u32).collect();
        crate::par::sort_by_key(&mut order, |&i| {
            let c = codes[i as usize];
            (c & !mask, c)
        });
        let mut starts = vec![0u32];
        let mut fiber_of = vec![0u32; codes.len()];
        for k in 0..order.len() {
            if k > 0 && codes[order[k] as usize] & !mask != codes[order[k - 1] as usize] & !mask {
                starts.push(k as u32);
            }
            fiber_of[order[k] as usize] = (starts.len() - 1) as u32;
        }
        starts.push(order.len() as u32);
        MoveIndex {
            order,
            starts,
            fiber_of,
        }
    }
}

impl Model {
    /// Validates the conflict, enumerates its feasible states and computes every payoff.
    pub fn new(spec: &ConflictSpec) -> Result<Model, SpecError> {
        Self::build(spec, false)
    }

    /// As [`Model::new`]; `force_sparse` skips the dense index (to test the sparse paths).
    pub(crate) fn build(spec: &ConflictSpec, force_sparse: bool) -> Result<Model, SpecError> {
        spec.validate_shape()?;
        let n = spec.options.len();
        let dm_bits = dm_bits(spec);
        let infeasible: Vec<Compiled> = spec.infeasible.iter().map(Compiled::new).collect();
        let codes = enumerate(n, &infeasible, MAX_STATES)?;
        if codes.is_empty() {
            return Err(SpecError::NoFeasibleStates);
        }
        let index = if force_sparse {
            Index::Sparse
        } else {
            build_index(n, &codes)
        };
        let mut model = Model {
            spec: spec.clone(),
            dm_bits,
            codes,
            index,
            payoffs: Vec::new(),
            misperceived: Vec::new(),
            move_index: (0..spec.dms.len()).map(|_| OnceLock::new()).collect(),
        };
        if let Some(code) = spec.status_quo
            && model.index_of(code).is_none()
        {
            return Err(SpecError::StatusQuoInfeasible { code });
        }
        model.payoffs = (0..spec.dms.len())
            .map(|d| model.compute_payoffs(d))
            .collect::<Result<_, _>>()?;
        model.misperceived = spec
            .dms
            .iter()
            .map(|dm| {
                if dm.misperceived.is_empty() {
                    return None;
                }
                let fs: Vec<Compiled> = dm.misperceived.iter().map(Compiled::new).collect();
                let codes = &model.codes;
                let flags: Vec<bool> = crate::par::map_range(codes.len(), codes.len(), |i| {
                    fs.iter().any(|f| f.eval(codes[i]))
                });
                let mut set = FixedBitSet::with_capacity(model.codes.len());
                for (i, m) in flags.into_iter().enumerate() {
                    set.set(i, m);
                }
                Some(set)
            })
            .collect();
        Ok(model)
    }

    fn compute_payoffs(&self, d: usize) -> Result<Vec<u32>, SpecError> {
        let dm = &self.spec.dms[d];
        match &dm.preference {
            Preference::Statements(st) => {
                let k = st.len();
                let fs: Vec<Compiled> = st.iter().map(Compiled::new).collect();
                let codes = &self.codes;
                let scores: Vec<u64> = crate::par::map_range(codes.len(), codes.len(), |i| {
                    fs.iter()
                        .enumerate()
                        .filter(|(_, f)| f.eval(codes[i]))
                        .map(|(j, _)| 1u64 << (k - 1 - j))
                        .sum()
                });
                let mut distinct = scores.clone();
                crate::par::sort_by_key(&mut distinct, |&x| x);
                distinct.dedup();
                Ok(crate::par::map_range(scores.len(), scores.len(), |i| {
                    distinct
                        .binary_search(&scores[i])
                        .map_or(0, |r| r as u32 + 1)
                }))
            }
            Preference::Ranking(groups) => {
                let total = self.codes.len();
                let mut payoff = vec![0u32; total];
                for (g, group) in groups.iter().enumerate() {
                    if group.is_empty() {
                        return Err(SpecError::RankingEmptyGroup {
                            dm: d,
                            name: dm.name.clone(),
                        });
                    }
                    // gmcr-py's convention: the best group gets the number of feasible states,
                    // each later group one less. Extra groups (possible only with duplicates,
                    // which are reported below) saturate at 1.
                    let rank = total.saturating_sub(g).max(1) as u32;
                    for &code in group {
                        let Some(i) = self.index_of(code) else {
                            return Err(SpecError::RankingUnknownState {
                                dm: d,
                                name: dm.name.clone(),
                                code,
                            });
                        };
                        if payoff[i] != 0 {
                            return Err(SpecError::RankingDuplicate {
                                dm: d,
                                name: dm.name.clone(),
                                code,
                            });
                        }
                        payoff[i] = rank;
                    }
                }
                let missing = payoff.iter().filter(|&&p| p == 0).count();
                if missing > 0 {
                    let example = self.codes[payoff.iter().position(|&p| p == 0).unwrap_or(0)];
                    return Err(SpecError::RankingIncomplete {
                        dm: d,
                        name: dm.name.clone(),
                        missing,
                        example,
                    });
                }
                Ok(payoff)
            }
        }
    }

    /// The conflict this model was built from.
    pub fn spec(&self) -> &ConflictSpec {
        &self.spec
    }

    pub fn num_states(&self) -> usize {
        self.codes.len()
    }

    pub fn num_dms(&self) -> usize {
        self.dm_bits.len()
    }

    pub fn num_options(&self) -> usize {
        self.spec.options.len()
    }

    /// The feasible state codes, ascending; a state's index is its position here.
    pub fn codes(&self) -> &[u64] {
        &self.codes
    }

    #[inline]
    pub fn code(&self, state: usize) -> u64 {
        self.codes[state]
    }

    /// The index of the feasible state with this code.
    #[inline]
    pub fn index_of(&self, code: u64) -> Option<usize> {
        match &self.index {
            Index::Dense(table) => match table.get(usize::try_from(code).ok()?) {
                Some(&i) if i != u32::MAX => Some(i as usize),
                _ => None,
            },
            Index::Sparse => self.codes.binary_search(&code).ok(),
        }
    }

    /// The bits a DM controls.
    pub fn dm_bits(&self, dm: usize) -> &DmBits {
        &self.dm_bits[dm]
    }

    /// A DM's payoff in every state, indexed by state (1 the worst).
    pub fn payoffs(&self, dm: usize) -> &[u32] {
        &self.payoffs[dm]
    }

    #[inline]
    pub fn payoff(&self, dm: usize, state: usize) -> u32 {
        self.payoffs[dm][state]
    }

    /// Whether the DM misperceives the state (and so can neither move from it nor to it).
    #[inline]
    pub fn misperceives(&self, dm: usize, state: usize) -> bool {
        self.misperceived[dm]
            .as_ref()
            .is_some_and(|s| s.contains(state))
    }

    /// Whether the DM misperceives any state.
    pub fn has_misperceptions(&self, dm: usize) -> bool {
        self.misperceived[dm].is_some()
    }

    /// Whether `dm` can move from state `from` to state `to` in one unilateral move.
    #[inline]
    pub fn can_move(&self, dm: usize, from: usize, to: usize) -> bool {
        self.dm_bits[dm].allows(self.codes[from], self.codes[to])
            && !self.misperceives(dm, from)
            && !self.misperceives(dm, to)
    }

    /// `R_i(s)`: the states `dm` reaches from `state` in one move, ascending.
    pub fn moves(&self, dm: usize, state: usize) -> Vec<usize> {
        let mut out = Vec::new();
        self.for_each_move(dm, state, |t| out.push(t));
        out.sort_unstable();
        out
    }

    /// `R+_i(s)`: the moves from `state` that `dm` strictly prefers, ascending.
    pub fn improvements(&self, dm: usize, state: usize) -> Vec<usize> {
        let p = self.payoffs[dm][state];
        let mut out = Vec::new();
        self.for_each_move(dm, state, |t| {
            if self.payoffs[dm][t] > p {
                out.push(t)
            }
        });
        out.sort_unstable();
        out
    }

    /// Calls `f` on every state of `R_i(s)`, in no particular order.
    pub fn for_each_move(&self, dm: usize, state: usize, mut f: impl FnMut(usize)) {
        if self.misperceives(dm, state) {
            return;
        }
        let b = self.dm_bits[dm];
        let from = self.codes[state];
        if b.width > DIRECT_MOVE_WIDTH {
            let index = self.move_index[dm].get_or_init(|| MoveIndex::build(&self.codes, b.mask));
            let f_id = index.fiber_of[state] as usize;
            let members =
                &index.order[index.starts[f_id] as usize..index.starts[f_id + 1] as usize];
            for &t in members {
                let t = t as usize;
                if b.allows(from, self.codes[t]) && !self.misperceives(dm, t) {
                    f(t);
                }
            }
            return;
        }
        let base = from & !b.mask;
        for local in 0..1u64 << b.width {
            let to = base | local << b.shift;
            if b.allows(from, to)
                && let Some(t) = self.index_of(to)
                && !self.misperceives(dm, t)
            {
                f(t);
            }
        }
    }

    /// The state as Y/N per option in bit order, e.g. `"YNN"`.
    pub fn pattern(&self, state: usize) -> String {
        pattern(self.codes[state], self.num_options())
    }

    /// The indices of the options taken in a state.
    pub fn taken(&self, state: usize) -> Vec<usize> {
        let c = self.codes[state];
        (0..self.num_options())
            .filter(|b| c >> b & 1 == 1)
            .collect()
    }

    /// Whether code lookups go through a dense table (cheap) rather than a binary search.
    pub fn has_dense_index(&self) -> bool {
        matches!(self.index, Index::Dense(_))
    }

    /// The DM's misperceived states, if it misperceives any.
    pub(crate) fn misperceived_set(&self, dm: usize) -> Option<&FixedBitSet> {
        self.misperceived[dm].as_ref()
    }

    /// Bytes held by the model itself.
    pub fn memory_bytes(&self) -> u64 {
        let s = self.codes.len() as u64;
        let table = match &self.index {
            Index::Dense(t) => t.len() as u64 * 4,
            Index::Sparse => 0,
        };
        let mis = self.misperceived.iter().flatten().count() as u64 * s / 8;
        s * 8 + table + s * 4 * self.payoffs.len() as u64 + mis
    }
}

/// A code as Y/N per option in bit order.
pub fn pattern(code: u64, options: usize) -> String {
    (0..options)
        .map(|b| if code >> b & 1 == 1 { 'Y' } else { 'N' })
        .collect()
}

fn dm_bits(spec: &ConflictSpec) -> Vec<DmBits> {
    (0..spec.dms.len())
        .map(|d| {
            let mut bits = DmBits {
                mask: 0,
                shift: 64,
                width: 0,
                forward: 0,
                backward: 0,
            };
            for (b, o) in spec.options.iter().enumerate().filter(|(_, o)| o.dm == d) {
                let bit = 1u64 << b;
                bits.mask |= bit;
                bits.shift = bits.shift.min(b as u32);
                bits.width += 1;
                match o.direction {
                    Direction::Both => {}
                    Direction::Forward => bits.forward |= bit,
                    Direction::Backward => bits.backward |= bit,
                }
            }
            bits
        })
        .collect()
}

/// Whether a dense code→index table pays for a model with `n` options and `states` states.
pub(crate) fn dense_index_pays(n: usize, states: u64) -> bool {
    n <= 32 && 1u64 << n <= (1u64 << 20).max(4 * states)
}

fn build_index(n: usize, codes: &[u64]) -> Index {
    if dense_index_pays(n, codes.len() as u64) {
        let mut table = vec![u32::MAX; 1usize << n];
        for (i, &c) in codes.iter().enumerate() {
            table[c as usize] = i as u32;
        }
        Index::Dense(table)
    } else {
        Index::Sparse
    }
}

/// Every code over `n` options that satisfies none of `infeasible`, ascending. A depth-first
/// walk from the highest bit down prunes subtrees that are all infeasible and emits subtrees
/// that are all feasible as whole ranges.
pub(crate) fn enumerate(
    n: usize,
    infeasible: &[Compiled],
    limit: u64,
) -> Result<Vec<u64>, SpecError> {
    let mut out = Vec::new();
    let live: Vec<usize> = (0..infeasible.len()).collect();
    walk(n, n, 0, infeasible, &live, &mut |lo, count| {
        if out.len() as u64 + count > limit {
            return Err(SpecError::TooManyStates { limit });
        }
        out.extend(lo..lo + count);
        Ok(())
    })?;
    Ok(out)
}

/// Counts the feasible states, giving up (returning `None`) after `budget` visited subtrees.
pub(crate) fn count_feasible(n: usize, infeasible: &[Compiled], budget: u64) -> Option<u64> {
    let mut total = 0u64;
    let mut visits = 0u64;
    let live: Vec<usize> = (0..infeasible.len()).collect();
    let r = walk(n, n, 0, infeasible, &live, &mut |_, count| {
        total += count;
        visits += 1;
        if visits > budget {
            Err(SpecError::TooManyStates { limit: 0 })
        } else {
            Ok(())
        }
    });
    r.ok().map(|()| total)
}

/// Visits the feasible codes below the prefix `prefix` (bits `remaining..n` fixed), reporting
/// them as ranges `(lowest, count)`.
fn walk(
    n: usize,
    remaining: usize,
    prefix: u64,
    infeasible: &[Compiled],
    live: &[usize],
    emit: &mut dyn FnMut(u64, u64) -> Result<(), SpecError>,
) -> Result<(), SpecError> {
    let known = if remaining >= 64 {
        0
    } else {
        ((1u64 << n) - 1) & !((1u64 << remaining) - 1)
    };
    let mut still = Vec::with_capacity(live.len());
    for &f in live {
        match infeasible[f].eval_partial(known, prefix) {
            Some(true) => return Ok(()),
            Some(false) => {}
            None => still.push(f),
        }
    }
    if still.is_empty() {
        return emit(prefix, 1u64 << remaining);
    }
    if remaining == 0 {
        // Every bit is known, so every formula is decided; this is only a guard.
        return Ok(());
    }
    let bit = remaining - 1;
    walk(n, bit, prefix, infeasible, &still, emit)?;
    walk(n, bit, prefix | 1u64 << bit, infeasible, &still, emit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{RandomParams, random_conflict};

    #[test]
    fn moves_of_wide_dms_come_from_the_fiber_index() {
        for seed in 0..20 {
            let p = RandomParams {
                dms: 1 + seed as usize % 2,
                options: 9 + seed as usize % 4,
                irreversible: 0.4,
                infeasible: 3,
                misperception: 0.5,
                ..RandomParams::default()
            };
            let Ok(model) = Model::new(&random_conflict(&p, seed)) else {
                continue;
            };
            for dm in 0..model.num_dms() {
                for s in 0..model.num_states() {
                    let want: Vec<usize> = (0..model.num_states())
                        .filter(|&t| model.can_move(dm, s, t))
                        .collect();
                    assert_eq!(model.moves(dm, s), want, "seed {seed} dm {dm} state {s}");
                }
            }
        }
    }
}
