//! Simultaneous sanctioning (SIM): for every improvement `s1` of i from `s`, the opponents each
//! stay or take one of their own improvements from `s`, all at once; the move is sanctioned when
//! some such joint response lands on a feasible state that i does not prefer to `s`.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use rayon::prelude::*;

use crate::fiber::{Fibers, Mover};
use crate::model::Model;

/// The DMs' improvements from every state: as bit masks over the DM's local parts for DMs with
/// at most six options, otherwise as positions in the DM's fibers (which are sorted best first,
/// so the improvements of a state are among the states before its tie group).
struct ImprovementMasks<'a> {
    per_dm: Vec<DmImprovements>,
    fibers: &'a [Fibers],
    movers: &'a [Mover<'a>],
}

enum DmImprovements {
    Masks(Vec<u64>),
    /// Per tie group of every fiber, the bit set (`words` words) of the local parts of the
    /// strictly better states the DM does not misperceive; per state, its group; and per
    /// pattern of irreversible bits, the local parts a move may reach.
    Groups {
        words: usize,
        group_of: Vec<u32>,
        masks: Vec<u64>,
        compat: Vec<u64>,
    },
    /// Per state: where its fiber starts in the fiber order, and where its tie group starts.
    Prefix {
        fiber_start: Vec<u32>,
        group_start: Vec<u32>,
    },
}

const MAX_MASK_WIDTH: u32 = 6;

impl<'a> ImprovementMasks<'a> {
    fn build(model: &Model, fibers: &'a [Fibers], movers: &'a [Mover<'a>]) -> ImprovementMasks<'a> {
        let per_dm = (0..model.num_dms())
            .map(|j| {
                if model.dm_bits(j).width <= MAX_MASK_WIDTH {
                    DmImprovements::Masks(masks_for(model, j, &fibers[j], &movers[j]))
                } else if let Some(g) = group_masks(model, j, &fibers[j], &movers[j]) {
                    g
                } else {
                    let n = model.num_states();
                    let keys = model.payoffs(j);
                    let f = &fibers[j];
                    let mut fiber_start = vec![0u32; n];
                    let mut group_start = vec![0u32; n];
                    for k in 0..f.len() {
                        let (lo, hi) = (f.starts[k], f.starts[k + 1]);
                        for pos in lo..hi {
                            let s = f.order[pos as usize] as usize;
                            fiber_start[s] = lo;
                            let prev = (pos > lo).then(|| f.order[pos as usize - 1] as usize);
                            group_start[s] = match prev {
                                Some(q) if keys[q] == keys[s] => group_start[q],
                                _ => pos,
                            };
                        }
                    }
                    DmImprovements::Prefix {
                        fiber_start,
                        group_start,
                    }
                }
            })
            .collect();
        ImprovementMasks {
            per_dm,
            fibers,
            movers,
        }
    }

    /// Calls `f` on the local part of every state of `R+_j(s)`.
    #[inline]
    fn for_each_improvement(&self, model: &Model, j: usize, s: usize, mut f: impl FnMut(u64)) {
        match &self.per_dm[j] {
            DmImprovements::Masks(masks) => {
                let mut m = masks[s];
                while m != 0 {
                    f(u64::from(m.trailing_zeros()));
                    m &= m - 1;
                }
            }
            DmImprovements::Groups {
                words,
                group_of,
                masks,
                compat,
            } => {
                let mover = &self.movers[j];
                let from = mover.irr_of(s as u32);
                if from == u32::MAX {
                    return;
                }
                let g = group_of[s] as usize * words;
                let c = from as usize * words;
                for x in 0..*words {
                    let mut m = masks[g + x] & compat[c + x];
                    while m != 0 {
                        f((x * 64) as u64 + u64::from(m.trailing_zeros()));
                        m &= m - 1;
                    }
                }
            }
            DmImprovements::Prefix {
                fiber_start,
                group_start,
            } => {
                let mover = &self.movers[j];
                let from = mover.irr_of(s as u32);
                if from == u32::MAX {
                    return;
                }
                let bits = model.dm_bits(j);
                let order = &self.fibers[j].order;
                for &t in &order[fiber_start[s] as usize..group_start[s] as usize] {
                    let to = mover.irr_of(t);
                    if to != u32::MAX && mover.compatible(from, to) {
                        f(bits.local(model.code(t as usize)));
                    }
                }
            }
        }
    }

    /// The local part of `s` and those of `R+_j(s)`, as a bit set over j's local parts
    /// (`2^width` bits in words).
    fn candidate_words(&self, model: &Model, j: usize, s: usize, out: &mut Vec<u64>) {
        let bits = model.dm_bits(j);
        let own = bits.local(model.code(s));
        out.clear();
        out.resize((1usize << bits.width).div_ceil(64), 0);
        out[(own / 64) as usize] |= 1 << (own % 64);
        if let DmImprovements::Groups {
            words,
            group_of,
            masks,
            compat,
        } = &self.per_dm[j]
        {
            let from = self.movers[j].irr_of(s as u32);
            if from != u32::MAX {
                let g = group_of[s] as usize * words;
                let c = from as usize * words;
                for x in 0..*words {
                    out[x] |= masks[g + x] & compat[c + x];
                }
            }
            return;
        }
        self.for_each_improvement(model, j, s, |l| out[(l / 64) as usize] |= 1 << (l % 64));
    }

    /// The local parts of `R+_j(s)`, after `buf[0]` = the local part of `s` itself.
    fn candidates(&self, model: &Model, j: usize, s: usize, buf: &mut Vec<u64>) {
        buf.clear();
        buf.push(model.dm_bits(j).local(model.code(s)));
        self.for_each_improvement(model, j, s, |l| buf.push(l));
    }
}

/// The [`DmImprovements::Groups`] form for a DM with more than six options, or `None` when it
/// would take more than 16 bytes per state.
fn group_masks(
    model: &Model,
    j: usize,
    fibers: &Fibers,
    mover: &Mover<'_>,
) -> Option<DmImprovements> {
    let bits = *model.dm_bits(j);
    let keys = model.payoffs(j);
    let n = model.num_states();
    let words = (1usize << bits.width).div_ceil(64);
    // Count the tie groups first.
    let mut groups = 0usize;
    for f in 0..fibers.len() {
        let fib = fibers.fiber(f);
        groups += 1 + fib
            .windows(2)
            .filter(|w| keys[w[0] as usize] != keys[w[1] as usize])
            .count();
    }
    let irr = (bits.forward | bits.backward).count_ones();
    let compat_len = (1usize << irr) * words;
    if groups * words > 2 * n.max(1) || irr > 16 || compat_len > 1 << 23 {
        return None;
    }
    let mut group_of = vec![0u32; n];
    let mut masks = vec![0u64; groups * words];
    let mut g = 0usize;
    for f in 0..fibers.len() {
        let fib = fibers.fiber(f);
        let mut acc = vec![0u64; words];
        for (k, &s) in fib.iter().enumerate() {
            if k > 0 && keys[fib[k - 1] as usize] != keys[s as usize] {
                g += 1;
                masks[g * words..(g + 1) * words].copy_from_slice(&acc);
            }
            group_of[s as usize] = g as u32;
            // `acc` collects this group; it joins the prefix only for later groups.
            if mover.irr_of(s) != u32::MAX {
                let l = bits.local(model.code(s as usize));
                acc[(l / 64) as usize] |= 1 << (l % 64);
            }
        }
        g += 1;
    }
    // compat[x]: the local parts whose irreversible bits a move from pattern x may reach.
    let positions: Vec<u32> = (0..bits.width)
        .filter(|b| (bits.forward | bits.backward) >> (bits.shift + b) & 1 == 1)
        .collect();
    let fwd = bits.forward >> bits.shift;
    let back = bits.backward >> bits.shift;
    let mut compat = vec![0u64; compat_len];
    for x in 0..1usize << irr {
        // Spread the packed pattern x back to local bit positions.
        let mut from = 0u64;
        for (k, &p) in positions.iter().enumerate() {
            from |= ((x >> k) as u64 & 1) << p;
        }
        for l in 0..1u64 << bits.width {
            if from & fwd & !l == 0 && !from & back & l == 0 {
                compat[x * words + (l / 64) as usize] |= 1 << (l % 64);
            }
        }
    }
    Some(DmImprovements::Groups {
        words,
        group_of,
        masks,
        compat,
    })
}

fn masks_for(model: &Model, j: usize, fibers: &Fibers, mover: &Mover<'_>) -> Vec<u64> {
    let bits = *model.dm_bits(j);
    let keys = model.payoffs(j);
    let per_fiber: Vec<Vec<(u32, u64)>> =
        crate::par::map_range(fibers.len(), fibers.order.len(), |f| {
            // Fibers are sorted best first for the DM.
            let items: Vec<(u32, u32, u32, u64)> = fibers
                .fiber(f)
                .iter()
                .map(|&s| {
                    (
                        keys[s as usize],
                        mover.irr_of(s),
                        s,
                        bits.local(model.code(s as usize)),
                    )
                })
                .collect();
            let mut out = Vec::with_capacity(items.len());
            let mut i = 0;
            while i < items.len() {
                let mut j = i;
                while j < items.len() && items[j].0 == items[i].0 {
                    j += 1;
                }
                for &(_, irr, s, _) in &items[i..j] {
                    let mut mask = 0u64;
                    if irr != u32::MAX {
                        for &(_, t_irr, _, t_local) in &items[..i] {
                            if t_irr != u32::MAX && mover.compatible(irr, t_irr) {
                                mask |= 1 << t_local;
                            }
                        }
                    }
                    out.push((s, mask));
                }
                i = j;
            }
            out
        });
    let mut masks = vec![0u64; model.num_states()];
    for (s, m) in per_fiber.into_iter().flatten() {
        masks[s as usize] = m;
    }
    masks
}

/// `result[dm][state]`: whether the state is SIM stable for the DM.
pub(crate) fn simultaneous(
    model: &Model,
    fibers: &[Fibers],
    movers: &[Mover<'_>],
) -> Vec<Vec<bool>> {
    let n = model.num_options();
    let dense = n <= 32 && (1u64 << n) <= 64 * model.num_states() as u64;
    simultaneous_with(model, fibers, movers, dense)
}

/// SIM by payoff levels over a bitmap of all codes (`dense`), or by enumerating every joint
/// response state by state.
pub(crate) fn simultaneous_with(
    model: &Model,
    fibers: &[Fibers],
    movers: &[Mover<'_>],
    dense: bool,
) -> Vec<Vec<bool>> {
    let d = model.num_dms();
    let masks = ImprovementMasks::build(model, fibers, movers);
    if dense {
        (0..d).map(|i| by_levels(model, &masks, i)).collect()
    } else {
        let per_state: Vec<u64> = crate::par::map_range_init(
            model.num_states(),
            model.num_states(),
            || (vec![Vec::new(); d], Vec::new()),
            |(cands, idx), s| {
                for (j, buf) in cands.iter_mut().enumerate() {
                    masks.candidates(model, j, s, buf);
                }
                let mut stable = 0u64;
                for i in 0..d {
                    if odometer_stable(model, i, s, cands, idx) {
                        stable |= 1 << i;
                    }
                }
                stable
            },
        );
        (0..d)
            .map(|i| per_state.iter().map(|m| m >> i & 1 == 1).collect())
            .collect()
    }
}

/// A bitmap over all codes, in a layout that puts the focal DM's options on top and its
/// opponents below it (the widest lowest), with summaries: `levels[k]` has one bit per prefix
/// of the first `k + 1` coordinates (the focal DM, then opponents from the top), set when some
/// state below that prefix is marked.
struct Occupancy {
    /// Coordinates from the top: the focal DM first, then its opponents.
    coords: Vec<usize>,
    /// The bit offset of each coordinate (same order as `coords`).
    offsets: Vec<u32>,
    widths: Vec<u32>,
    /// `levels[k]`, for k < coords.len() − 1: one bit per prefix ending at coordinate k.
    levels: Vec<Vec<AtomicU64>>,
    /// One bit per code (in the layout).
    base: Vec<AtomicU64>,
}

impl Occupancy {
    fn new(model: &Model, i: usize) -> Occupancy {
        let mut opponents: Vec<usize> = (0..model.num_dms()).filter(|&j| j != i).collect();
        // Narrowest on top, widest at the bottom where rows are tested word by word.
        opponents.sort_by_key(|&j| (model.dm_bits(j).width, j));
        let mut coords = vec![i];
        coords.extend(opponents);
        let widths: Vec<u32> = coords.iter().map(|&c| model.dm_bits(c).width).collect();
        let mut offsets = vec![0u32; coords.len()];
        let mut acc = 0u32;
        for k in (0..coords.len()).rev() {
            offsets[k] = acc;
            acc += widths[k];
        }
        let bitmap = |bits: u32| {
            (0..(1u64 << bits).div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect()
        };
        let levels = (0..coords.len().saturating_sub(1))
            .map(|k| bitmap(acc - offsets[k]))
            .collect();
        Occupancy {
            coords,
            offsets,
            widths,
            levels,
            base: bitmap(acc),
        }
    }

    #[inline]
    fn layout(&self, model: &Model, code: u64) -> u64 {
        let mut out = 0u64;
        for (k, &c) in self.coords.iter().enumerate() {
            out |= model.dm_bits(c).local(code) << self.offsets[k];
        }
        out
    }

    fn mark(&self, model: &Model, code: u64) {
        let l = self.layout(model, code);
        set_bit(&self.base, l);
        for (k, level) in self.levels.iter().enumerate() {
            set_bit(level, l >> self.offsets[k]);
        }
    }

    /// Whether some marked state has local parts `prefix` on the coordinates `0..=k` and, on
    /// each lower coordinate c, one of the local parts in the bit set `cands[coords[c]]`.
    fn any_below(&self, k: usize, prefix: u64, cands: &[Vec<u64>]) -> bool {
        let last = self.coords.len() - 1;
        if k == last {
            // Only reachable with a single coordinate (no opponents): nobody can respond.
            return false;
        }
        if !get_bit(&self.levels[k], prefix) {
            return false;
        }
        if k + 1 == last {
            let w = self.widths[last];
            let inner = &cands[self.coords[last]];
            let start = prefix << w;
            return if w <= 6 {
                let width = 1u64 << w;
                let word = self.base[(start / 64) as usize].load(Relaxed) >> (start % 64);
                let row = if width == 64 {
                    word
                } else {
                    word & ((1u64 << width) - 1)
                };
                row & inner[0] != 0
            } else {
                let first = (start / 64) as usize;
                inner
                    .iter()
                    .enumerate()
                    .any(|(x, m)| self.base[first + x].load(Relaxed) & m != 0)
            };
        }
        let w = self.widths[k + 1];
        for (x, &word) in cands[self.coords[k + 1]].iter().enumerate() {
            let mut m = word;
            while m != 0 {
                let c = (x * 64) as u64 + u64::from(m.trailing_zeros());
                if self.any_below(k + 1, prefix << w | c, cands) {
                    return true;
                }
                m &= m - 1;
            }
        }
        false
    }
}

#[inline]
fn set_bit(bits: &[AtomicU64], b: u64) {
    bits[(b / 64) as usize].fetch_or(1 << (b % 64), Relaxed);
}

#[inline]
fn get_bit(bits: &[AtomicU64], b: u64) -> bool {
    bits[(b / 64) as usize].load(Relaxed) >> (b % 64) & 1 == 1
}

/// SIM for DM i: states are taken in increasing order of i's payoff, and before the states of
/// one payoff level are checked, every state at that level or below is marked in an
/// [`Occupancy`] bitmap. A sanction of an improvement `s1` is then a marked state in the box of
/// joint responses, found by walking the opponents' choices top down and skipping every
/// subtree whose summary bit is clear.
fn by_levels(model: &Model, masks: &ImprovementMasks, i: usize) -> Vec<bool> {
    let n = model.num_states();
    let d = model.num_dms();
    let p_i = model.payoffs(i);
    let occ = Occupancy::new(model, i);
    // Counting sort by payoff.
    let top = p_i.iter().copied().max().unwrap_or(0) as usize;
    let mut start = vec![0u32; top + 2];
    for &p in p_i {
        start[p as usize + 1] += 1;
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut order = vec![0u32; n];
    for (s, &p) in p_i.iter().enumerate() {
        order[start[p as usize] as usize] = s as u32;
        start[p as usize] += 1;
    }
    let stable: Vec<AtomicU64> = (0..n.div_ceil(64)).map(|_| AtomicU64::new(0)).collect();
    let mut lo = 0usize;
    while lo < n {
        let level = p_i[order[lo] as usize];
        let mut hi = lo;
        while hi < n && p_i[order[hi] as usize] == level {
            hi += 1;
        }
        let batch = &order[lo..hi];
        // Small levels stay on this thread (see `crate::par`).
        if batch.len() < crate::par::PAR_MIN_WORK {
            batch
                .iter()
                .for_each(|&s| occ.mark(model, model.code(s as usize)));
        } else {
            batch
                .par_iter()
                .for_each(|&s| occ.mark(model, model.code(s as usize)));
        }
        crate::par::for_each_init(
            batch.len(),
            batch.len() * 8,
            || (vec![Vec::new(); d], Vec::new()),
            |(cands, imps), k| {
                let s = batch[k] as usize;
                for (j, buf) in cands.iter_mut().enumerate() {
                    if j != i {
                        masks.candidate_words(model, j, s, buf);
                    }
                }
                masks.candidates(model, i, s, imps);
                let ok = imps[1..].iter().all(|&l1| occ.any_below(0, l1, cands));
                if ok {
                    set_bit(&stable, s as u64);
                }
            },
        );
        lo = hi;
    }
    (0..n).map(|s| get_bit(&stable, s as u64)).collect()
}

/// Whether every improvement of `i` from `s` meets a simultaneous sanction. `cands[j]` holds
/// the local part of `s` for DM j followed by j's improvements from `s`.
fn odometer_stable(
    model: &Model,
    i: usize,
    s: usize,
    cands: &[Vec<u64>],
    idx: &mut Vec<usize>,
) -> bool {
    let d = model.num_dms();
    let p = model.payoff(i, s);
    let bits_i = model.dm_bits(i);
    let code = model.code(s);
    'improvement: for &l1 in &cands[i][1..] {
        let start = (code & !bits_i.mask) | l1 << bits_i.shift;
        // An odometer over the opponents' choices; all zeros (everyone stays) is `s1` itself,
        // which i prefers to `s`, so it is skipped.
        idx.clear();
        idx.resize(d, 0);
        loop {
            // Advance.
            let mut k = 0;
            loop {
                if k == d {
                    // Exhausted without a sanction.
                    return false;
                }
                if k == i {
                    k += 1;
                    continue;
                }
                idx[k] += 1;
                if idx[k] < cands[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            let mut c = start;
            for j in 0..d {
                if j != i && idx[j] != 0 {
                    let b = model.dm_bits(j);
                    c = (c & !b.mask) | cands[j][idx[j]] << b.shift;
                }
            }
            if let Some(t) = model.index_of(c)
                && model.payoff(i, t) <= p
            {
                continue 'improvement;
            }
        }
    }
    true
}
