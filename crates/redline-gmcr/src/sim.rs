//! Simultaneous sanctioning (SIM): for every improvement `s1` of i from `s`, the opponents each
//! stay or take one of their own improvements from `s`, all at once; the move is sanctioned when
//! some such joint response lands on a feasible state that i does not prefer to `s`.

use rayon::prelude::*;

use crate::fiber::{Fibers, Mover};
use crate::model::Model;

/// The DMs' improvements from every state, as bit masks over each DM's local part, for DMs with
/// at most six options (larger DMs are enumerated when needed).
struct ImprovementMasks {
    per_dm: Vec<Option<Vec<u64>>>,
}

const MAX_MASK_WIDTH: u32 = 6;

impl ImprovementMasks {
    fn build(model: &Model, fibers: &[Fibers], movers: &[Mover<'_>]) -> ImprovementMasks {
        let per_dm = (0..model.num_dms())
            .map(|j| {
                let bits = model.dm_bits(j);
                (bits.width <= MAX_MASK_WIDTH).then(|| masks_for(model, j, &fibers[j], &movers[j]))
            })
            .collect();
        ImprovementMasks { per_dm }
    }

    /// The local parts of `R+_j(s)`, after `buf[0]` = the local part of `s` itself.
    fn candidates(&self, model: &Model, j: usize, s: usize, buf: &mut Vec<u64>) {
        let bits = model.dm_bits(j);
        let code = model.code(s);
        buf.clear();
        buf.push(bits.local(code));
        match &self.per_dm[j] {
            Some(masks) => {
                let mut m = masks[s];
                while m != 0 {
                    buf.push(u64::from(m.trailing_zeros()));
                    m &= m - 1;
                }
            }
            None => {
                let p = model.payoff(j, s);
                model.for_each_move(j, s, |t| {
                    if model.payoff(j, t) > p {
                        buf.push(bits.local(model.code(t)));
                    }
                });
            }
        }
    }
}

fn masks_for(model: &Model, j: usize, fibers: &Fibers, mover: &Mover<'_>) -> Vec<u64> {
    let bits = *model.dm_bits(j);
    let keys = model.payoffs(j);
    let per_fiber: Vec<Vec<(u32, u64)>> = (0..fibers.len())
        .into_par_iter()
        .map(|f| {
            let mut items: Vec<(u32, u32, u32, u64)> = fibers
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
            items.sort_unstable_by_key(|it| std::cmp::Reverse(it.0));
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
        })
        .collect();
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
    let d = model.num_dms();
    let masks = ImprovementMasks::build(model, fibers, movers);
    let per_state: Vec<u64> = (0..model.num_states())
        .into_par_iter()
        .map_init(
            || (vec![Vec::new(); d], Vec::new()),
            |(cands, idx), s| {
                for (j, buf) in cands.iter_mut().enumerate() {
                    masks.candidates(model, j, s, buf);
                }
                let mut stable = 0u64;
                for i in 0..d {
                    if sim_stable(model, i, s, cands, idx) {
                        stable |= 1 << i;
                    }
                }
                stable
            },
        )
        .collect();
    (0..d)
        .map(|i| per_state.iter().map(|m| m >> i & 1 == 1).collect())
        .collect()
}

/// Whether every improvement of `i` from `s` meets a simultaneous sanction. `cands[j]` holds
/// the local part of `s` for DM j followed by j's improvements from `s`.
fn sim_stable(model: &Model, i: usize, s: usize, cands: &[Vec<u64>], idx: &mut Vec<usize>) -> bool {
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
