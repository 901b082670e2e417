//! Fibers and the one-move kernels that the stability concepts are built from.
//!
//! The *fiber* of a state for DM j is the set of feasible states that agree with it outside j's
//! options: the states j can reach in one move, plus the state itself. A move may change any
//! subset of the mover's options, so one move reaches everything that a run of moves by the same
//! DM reaches (the relation is transitive), and every question about `R_j` or `R+_j` is a
//! question within one fiber. Irreversible options make the relation a product of per-bit
//! orders: through a forward-only bit a taken option stays taken, through a backward-only bit a
//! dropped option stays dropped. The kernels use tables indexed by the mover's irreversible bits
//! where that is cheaper than comparing pairs.
//!
//! Values live in `AtomicU32` arrays indexed by state, read and written with relaxed ordering:
//! fibers of one DM are disjoint and a kernel reads and writes only its own fiber's states, so
//! results do not depend on how rayon schedules the fibers.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::Relaxed};

use fixedbitset::FixedBitSet;
use rayon::prelude::*;

use crate::model::{DmBits, Model};

/// The fibers of one DM: `order[starts[f]..starts[f+1]]` are the states of fiber `f`, best
/// first for the DM (ties by state index). The improvement kernels rely on that order.
#[derive(Debug)]
pub(crate) struct Fibers {
    pub order: Vec<u32>,
    pub starts: Vec<u32>,
}

impl Fibers {
    /// Groups the states into the fibers of a DM whose options are `bits` and sorts each fiber
    /// by `keys` (the DM's payoffs), best first.
    pub fn build(model: &Model, bits: DmBits, keys: &[u32]) -> Fibers {
        let mut f = if model.has_dense_index() && bits.width <= 12 {
            Self::build_by_lookup(model, bits)
        } else {
            Self::build_by_sort(model.codes(), bits)
        };
        let mut segments: Vec<&mut [u32]> = Vec::with_capacity(f.starts.len());
        let mut rest: &mut [u32] = &mut f.order;
        for w in f.starts.windows(2) {
            let (head, tail) = rest.split_at_mut((w[1] - w[0]) as usize);
            segments.push(head);
            rest = tail;
        }
        let sort = |seg: &mut &mut [u32]| {
            seg.sort_unstable_by_key(|&s| (std::cmp::Reverse(keys[s as usize]), s));
        };
        if model.num_states() < crate::par::PAR_MIN_WORK {
            segments.iter_mut().for_each(sort);
        } else {
            segments.par_iter_mut().for_each(sort);
        }
        f
    }

    /// Each fiber is emitted by its first state (the one with the lowest local part), which
    /// looks its fellow members up in the dense index.
    fn build_by_lookup(model: &Model, bits: DmBits) -> Fibers {
        let codes = model.codes();
        let chunk = 1 << 14;
        let parts: Vec<(Vec<u32>, Vec<u32>)> =
            crate::par::map_range(codes.len().div_ceil(chunk), codes.len(), |c| {
                let lo = c * chunk;
                let hi = (lo + chunk).min(codes.len());
                let mut order = Vec::new();
                let mut sizes = Vec::new();
                for &code in &codes[lo..hi] {
                    let local = bits.local(code);
                    let base = code & !bits.mask;
                    if (0..local).any(|l| model.index_of(base | l << bits.shift).is_some()) {
                        continue;
                    }
                    let before = order.len();
                    for l in local..1u64 << bits.width {
                        if let Some(t) = model.index_of(base | l << bits.shift) {
                            order.push(t as u32);
                        }
                    }
                    sizes.push((order.len() - before) as u32);
                }
                (order, sizes)
            });
        let total: usize = parts.iter().map(|p| p.0.len()).sum();
        let mut order = Vec::with_capacity(total);
        let mut starts = Vec::with_capacity(parts.iter().map(|p| p.1.len()).sum::<usize>() + 1);
        starts.push(0u32);
        let mut last = 0u32;
        for (o, sizes) in parts {
            order.extend_from_slice(&o);
            for s in sizes {
                last += s;
                starts.push(last);
            }
        }
        Fibers { order, starts }
    }

    fn build_by_sort(codes: &[u64], bits: DmBits) -> Fibers {
        let mut order: Vec<u32> = (0..codes.len() as u32).collect();
        crate::par::sort_by_key(&mut order, |&i| {
            let c = codes[i as usize];
            (c & !bits.mask, c)
        });
        let mut starts = vec![0u32];
        for k in 1..order.len() {
            if codes[order[k] as usize] & !bits.mask != codes[order[k - 1] as usize] & !bits.mask {
                starts.push(k as u32);
            }
        }
        starts.push(order.len() as u32);
        Fibers { order, starts }
    }

    pub fn len(&self) -> usize {
        self.starts.len() - 1
    }

    #[inline]
    pub fn fiber(&self, f: usize) -> &[u32] {
        &self.order[self.starts[f] as usize..self.starts[f + 1] as usize]
    }
}

/// An aggregation (min or max) with its identity.
pub(crate) trait Agg: Copy + Send + Sync + 'static {
    const IDENTITY: u32;
    fn agg(a: u32, b: u32) -> u32;
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Min;
impl Agg for Min {
    const IDENTITY: u32 = u32::MAX;
    #[inline]
    fn agg(a: u32, b: u32) -> u32 {
        a.min(b)
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Max;
impl Agg for Max {
    const IDENTITY: u32 = 0;
    #[inline]
    fn agg(a: u32, b: u32) -> u32 {
        a.max(b)
    }
}

#[inline]
fn agg_into<A: Agg, const L: usize>(acc: &mut [u32; L], v: &[u32; L]) {
    for l in 0..L {
        acc[l] = A::agg(acc[l], v[l]);
    }
}

/// What the kernels need to know about the DM who moves within a fiber.
#[derive(Debug)]
pub(crate) struct Mover<'a> {
    codes: &'a [u64],
    /// The number of irreversible options.
    r: u32,
    /// The positions (in the code) of the irreversible options, lowest first.
    irr_positions: Vec<u32>,
    /// Forward-only and backward-only options in the packed space of irreversible bits.
    fwd_r: u32,
    back_r: u32,
    misperceived: Option<&'a FixedBitSet>,
}

/// Above this many irreversible options a DM's kernels compare pairs instead of using tables.
const MAX_TABLE_BITS: u32 = 14;

impl<'a> Mover<'a> {
    pub fn new(model: &'a Model, dm: usize) -> Mover<'a> {
        Self::with_bits(
            model.codes(),
            *model.dm_bits(dm),
            model.misperceived_set(dm),
        )
    }

    pub fn with_bits(
        codes: &'a [u64],
        bits: DmBits,
        misperceived: Option<&'a FixedBitSet>,
    ) -> Mover<'a> {
        let irr = bits.forward | bits.backward;
        let irr_positions: Vec<u32> = (0..64).filter(|b| irr >> b & 1 == 1).collect();
        let mut m = Mover {
            codes,
            r: irr_positions.len() as u32,
            irr_positions,
            fwd_r: 0,
            back_r: 0,
            misperceived,
        };
        m.fwd_r = m.pack(bits.forward);
        m.back_r = m.pack(bits.backward);
        m
    }

    /// The irreversible bits of a code, packed into the low bits.
    #[inline]
    fn pack(&self, code: u64) -> u32 {
        let mut out = 0u32;
        for (k, &p) in self.irr_positions.iter().enumerate() {
            out |= ((code >> p & 1) as u32) << k;
        }
        out
    }

    /// The packed irreversible bits of a state, or `u32::MAX` when the mover misperceives it.
    #[inline]
    pub fn irr_of(&self, state: u32) -> u32 {
        if self
            .misperceived
            .is_some_and(|m| m.contains(state as usize))
        {
            u32::MAX
        } else {
            self.pack(self.codes[state as usize])
        }
    }

    /// Whether a move between two states of one fiber respects irreversibility, given their
    /// packed irreversible bits. Also true for `from == to`.
    #[inline]
    pub fn compatible(&self, from: u32, to: u32) -> bool {
        from & self.fwd_r & !to == 0 && !from & self.back_r & to == 0
    }

    /// The packed bits that a move from `from` may change (and so may take either value).
    #[inline]
    fn free(&self, from: u32) -> u32 {
        (self.fwd_r & !from) | (self.back_r & from)
    }
}

/// One member of a fiber in a kernel's scratch space.
#[derive(Clone, Copy, Debug)]
struct Item<const L: usize> {
    key: u32,
    /// Packed irreversible bits; `u32::MAX` when the mover misperceives the state.
    irr: u32,
    state: u32,
    vals: [u32; L],
}

/// Per-thread scratch buffers.
#[derive(Debug)]
pub(crate) struct Scratch<const L: usize> {
    items: Vec<Item<L>>,
    table: Vec<[u32; L]>,
    out: Vec<[u32; L]>,
}

impl<const L: usize> Default for Scratch<L> {
    fn default() -> Self {
        Scratch {
            items: Vec::new(),
            table: Vec::new(),
            out: Vec::new(),
        }
    }
}

/// Per-mover dirty flags: which states changed since the mover last processed its fibers.
#[derive(Debug)]
pub(crate) struct Dirty {
    words: Vec<Vec<AtomicU64>>,
}

impl Dirty {
    pub fn all(movers: usize, states: usize) -> Dirty {
        let w = states.div_ceil(64);
        Dirty {
            words: (0..movers)
                .map(|_| (0..w).map(|_| AtomicU64::new(!0)).collect())
                .collect(),
        }
    }

    #[inline]
    fn is_dirty(&self, mover: usize, state: u32) -> bool {
        self.words[mover][state as usize / 64].load(Relaxed) >> (state % 64) & 1 == 1
    }

    #[inline]
    fn mark_others(&self, mover: usize, state: u32) {
        for (k, w) in self.words.iter().enumerate() {
            if k != mover {
                w[state as usize / 64].fetch_or(1 << (state % 64), Relaxed);
            }
        }
    }

    fn clear(&self, mover: usize) {
        let words = &self.words[mover];
        if words.len() * 64 < crate::par::PAR_MIN_WORK {
            words.iter().for_each(|w| w.store(0, Relaxed));
        } else {
            words.par_iter().for_each(|w| w.store(0, Relaxed));
        }
    }
}

/// Runs `kernel` on every fiber (only on fibers with a dirty member when `dirty` is given), then
/// stores the changed values and marks them dirty for the other movers. Returns whether any
/// value changed.
fn run_pass<const L: usize>(
    fibers: &Fibers,
    vals: [&[AtomicU32]; L],
    dirty: Option<(&Dirty, usize)>,
    kernel: &(dyn Fn(&[u32], &mut Scratch<L>) + Sync),
) -> bool {
    let changed = crate::par::map_range_init(
        fibers.len(),
        fibers.order.len(),
        Scratch::<L>::default,
        |scratch, f| {
            let members = fibers.fiber(f);
            if let Some((d, k)) = dirty
                && !members.iter().any(|&s| d.is_dirty(k, s))
            {
                return false;
            }
            kernel(members, scratch);
            let mut changed = false;
            for (it, o) in scratch.items.iter().zip(&scratch.out) {
                if it.vals != *o {
                    changed = true;
                    for l in 0..L {
                        vals[l][it.state as usize].store(o[l], Relaxed);
                    }
                    if let Some((d, k)) = dirty {
                        d.mark_others(k, it.state);
                    }
                }
            }
            changed
        },
    )
    .into_iter()
    .any(|c| c);
    if let Some((d, k)) = dirty {
        d.clear(k);
    }
    changed
}

fn load_items<const L: usize>(
    mover: &Mover<'_>,
    members: &[u32],
    keys: Option<&[u32]>,
    vals: [&[AtomicU32]; L],
    items: &mut Vec<Item<L>>,
) {
    items.clear();
    for &s in members {
        items.push(Item {
            key: keys.map_or(0, |k| k[s as usize]),
            irr: mover.irr_of(s),
            state: s,
            vals: vals.map(|a| a[s as usize].load(Relaxed)),
        });
    }
}

/// One pass of the mover over its fibers: every value becomes the aggregate over the state and
/// the states the mover can reach from it in one move. States the mover misperceives keep their
/// value and are no targets. Because one move is transitive, one pass is a closure: a second
/// pass changes nothing.
pub(crate) fn closure_pass<A: Agg, const L: usize>(
    mover: &Mover<'_>,
    fibers: &Fibers,
    vals: [&[AtomicU32]; L],
    dirty: Option<(&Dirty, usize)>,
) -> bool {
    run_pass(fibers, vals, dirty, &|members, scratch| {
        load_items(mover, members, None, vals, &mut scratch.items);
        closure_kernel::<A, L>(mover, scratch);
    })
}

fn closure_kernel<A: Agg, const L: usize>(mover: &Mover<'_>, scratch: &mut Scratch<L>) {
    let Scratch { items, table, out } = scratch;
    out.clear();
    out.extend(items.iter().map(|it| it.vals));
    let m = items.len();
    let r = mover.r;
    let table_cost = if r <= MAX_TABLE_BITS {
        (1usize << r) * (r as usize + 1) + m
    } else {
        usize::MAX
    };
    if table_cost <= m * m {
        table.clear();
        table.resize(1 << r, [A::IDENTITY; L]);
        for it in items.iter().filter(|it| it.irr != u32::MAX) {
            agg_into::<A, L>(&mut table[it.irr as usize], &it.vals);
        }
        for k in 0..r {
            let bit = 1u32 << k;
            let fwd = mover.fwd_r & bit != 0;
            for x in (0..1u32 << r).filter(|x| x & bit == 0) {
                let (lo, hi) = (x as usize, (x | bit) as usize);
                let (a, b) = (table[lo], table[hi]);
                // Forward-only: from `lo` (not taken) both are open. Backward-only: from `hi`
                // (taken) both are open.
                let target = if fwd { lo } else { hi };
                table[target] = a;
                agg_into::<A, L>(&mut table[target], &b);
            }
        }
        for (it, o) in items.iter().zip(out.iter_mut()) {
            if it.irr != u32::MAX {
                agg_into::<A, L>(o, &table[it.irr as usize]);
            }
        }
    } else {
        for (it, o) in items.iter().zip(out.iter_mut()) {
            if it.irr == u32::MAX {
                continue;
            }
            for t in items.iter() {
                if t.irr != u32::MAX && mover.compatible(it.irr, t.irr) {
                    agg_into::<A, L>(o, &t.vals);
                }
            }
        }
    }
}

/// One pass of the mover over its fibers along improvements only: every value becomes the
/// aggregate of itself and the values of the states the mover can reach from it in one move
/// and strictly prefers (`keys` are the mover's payoffs). States are processed best first, so
/// one pass closes over chains of improvements.
pub(crate) fn improvement_closure_pass<A: Agg>(
    mover: &Mover<'_>,
    fibers: &Fibers,
    keys: &[u32],
    vals: &[AtomicU32],
    dirty: Option<(&Dirty, usize)>,
) -> bool {
    run_pass(fibers, [vals], dirty, &|members, scratch| {
        load_items(mover, members, Some(keys), [vals], &mut scratch.items);
        threshold_kernel::<A, 1>(mover, scratch, true);
    })
}

/// For every state of every fiber, calls `emit(state, q)` where `q` aggregates the values of
/// the states the mover can reach in one move and strictly prefers (`keys` are the mover's
/// payoffs), or is the identity when there are none (always for misperceived states).
pub(crate) fn improvement_query<A: Agg, const L: usize>(
    mover: &Mover<'_>,
    fibers: &Fibers,
    keys: &[u32],
    vals: [&[AtomicU32]; L],
    emit: &(dyn Fn(u32, [u32; L]) + Sync),
) {
    crate::par::for_each_init(
        fibers.len(),
        fibers.order.len(),
        Scratch::<L>::default,
        |scratch, f| {
            load_items(mover, fibers.fiber(f), Some(keys), vals, &mut scratch.items);
            threshold_kernel::<A, L>(mover, scratch, false);
            for (it, o) in scratch.items.iter().zip(&scratch.out) {
                emit(it.state, *o);
            }
        },
    );
}

/// The improvement kernel. Items are sorted best first; each tie group is queried against the
/// strictly better states before it, then inserted. With `in_place`, `out` holds each item's
/// value aggregated with its query, and that is what later items see (so chains of
/// improvements close); otherwise `out` holds the query alone.
fn threshold_kernel<A: Agg, const L: usize>(
    mover: &Mover<'_>,
    scratch: &mut Scratch<L>,
    in_place: bool,
) {
    let Scratch { items, table, out } = scratch;
    debug_assert!(
        items.windows(2).all(|w| w[0].key >= w[1].key),
        "fibers are sorted best first"
    );
    out.clear();
    out.extend(items.iter().map(|it| it.vals));
    let use_table = mover.r <= MAX_TABLE_BITS && (1usize << mover.r) <= 4 * items.len().max(1);
    if in_place {
        sweep::<A, L, true>(mover, items, table, out, use_table);
    } else {
        sweep::<A, L, false>(mover, items, table, out, use_table);
    }
}

/// The sweep behind [`threshold_kernel`]. On entry `out[k]` is item k's value; on exit it is
/// the aggregate over the strictly better compatible items (of their final values), also
/// aggregated with item k's own value when `IN_PLACE`.
fn sweep<A: Agg, const L: usize, const IN_PLACE: bool>(
    mover: &Mover<'_>,
    items: &[Item<L>],
    table: &mut Vec<[u32; L]>,
    out: &mut [[u32; L]],
    use_table: bool,
) {
    let m = items.len();
    if use_table {
        table.clear();
        table.resize(1 << mover.r, [A::IDENTITY; L]);
    }
    let mut i = 0usize;
    while i < m {
        let key = items[i].key;
        let mut j = i;
        while j < m && items[j].key == key {
            j += 1;
        }
        for k in i..j {
            let it = items[k];
            let mut q = [A::IDENTITY; L];
            if it.irr != u32::MAX {
                let free = mover.free(it.irr);
                if use_table && (1usize << free.count_ones()) <= i {
                    let fixed = it.irr & !free;
                    let mut sub = free;
                    loop {
                        agg_into::<A, L>(&mut q, &table[(fixed | sub) as usize]);
                        if sub == 0 {
                            break;
                        }
                        sub = (sub - 1) & free;
                    }
                } else {
                    let (before, _) = out.split_at(i);
                    for (t, v) in items[..i].iter().zip(before) {
                        if t.irr != u32::MAX && mover.compatible(it.irr, t.irr) {
                            agg_into::<A, L>(&mut q, if IN_PLACE { v } else { &t.vals });
                        }
                    }
                }
            }
            if IN_PLACE {
                agg_into::<A, L>(&mut q, &it.vals);
            }
            out[k] = q;
        }
        if use_table {
            for k in i..j {
                if items[k].irr != u32::MAX {
                    let v = if IN_PLACE { out[k] } else { items[k].vals };
                    agg_into::<A, L>(&mut table[items[k].irr as usize], &v);
                }
            }
        }
        i = j;
    }
}
