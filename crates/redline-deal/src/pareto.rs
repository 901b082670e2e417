//! Pareto frontiers over sets of outcomes.
//!
//! An outcome is on the frontier when no candidate strictly dominates it: at least as good for
//! every party and better for one. Utilities are compared exactly as `f64`s.
//!
//! **Duplicate-vector convention.** Outcomes with identical utility vectors form one frontier
//! point, represented by the outcome that comes first in lexicographic outcome order (the smallest
//! index); [`FrontierPoint::duplicates`] counts the others. This matches the reference files,
//! which collapse duplicate vectors to one representative.
//!
//! - Two parties: bucket prefilter, then sort-and-scan, O(n log n) worst case and O(n) passes in
//!   practice (only points near the frontier are sorted).
//! - Three or more: a grid prefilter (cells strictly below an occupied cell in every coordinate
//!   are dropped in O(n)), then sort-filter-skyline (SFS) on what is left: candidates in
//!   descending order of utility sum, each compared with the skyline found so far, with
//!   move-to-front on dominators.

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

/// One point of a frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontierPoint {
    /// The representative outcome (smallest index with this utility vector).
    pub index: usize,
    /// How many other candidates have exactly the same utility vector.
    pub duplicates: usize,
}

/// A key whose unsigned order is the numeric order of finite floats (negative zero is assumed
/// normalised away).
fn ord_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// The Pareto frontier of `candidates` under `utilities[p][index]`.
///
/// Points come sorted by the first party's utility descending, then the next party's, and so on.
pub fn pareto_frontier(utilities: &[Vec<f64>], candidates: &FixedBitSet) -> Vec<FrontierPoint> {
    match utilities.len() {
        0 => Vec::new(),
        1 => frontier_one(&utilities[0], candidates),
        2 => frontier_two(&utilities[0], &utilities[1], candidates),
        _ => frontier_many(utilities, candidates),
    }
}

fn frontier_one(u: &[f64], candidates: &FixedBitSet) -> Vec<FrontierPoint> {
    let mut best: Option<FrontierPoint> = None;
    for i in candidates.ones() {
        match &mut best {
            None => {
                best = Some(FrontierPoint {
                    index: i,
                    duplicates: 0,
                })
            }
            Some(b) if u[i] > u[b.index] => {
                *b = FrontierPoint {
                    index: i,
                    duplicates: 0,
                }
            }
            Some(b) if u[i] == u[b.index] => b.duplicates += 1,
            Some(_) => {}
        }
    }
    best.into_iter().collect()
}

fn frontier_two(u0: &[f64], u1: &[f64], candidates: &FixedBitSet) -> Vec<FrontierPoint> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let mut n = 0usize;
    for i in candidates.ones() {
        lo = lo.min(u0[i]);
        hi = hi.max(u0[i]);
        n += 1;
    }
    if n == 0 {
        return Vec::new();
    }
    // Buckets by u0: a point in a strictly higher bucket has a strictly higher u0, so a point
    // whose u1 is at most the best u1 of the higher buckets is dominated.
    let buckets = (n / 8).clamp(1, 1 << 16);
    let scale = if hi > lo {
        (buckets - 1) as f64 / (hi - lo)
    } else {
        0.0
    };
    let bucket = |x: f64| (((x - lo) * scale) as usize).min(buckets - 1);
    let mut best = vec![f64::NEG_INFINITY; buckets + 1];
    for i in candidates.ones() {
        let b = bucket(u0[i]);
        if u1[i] > best[b] {
            best[b] = u1[i];
        }
    }
    // best[b] becomes the best u1 over buckets b.. (suffix maximum); best[buckets] = -inf.
    for b in (0..buckets).rev() {
        best[b] = best[b].max(best[b + 1]);
    }
    let mut keep: Vec<(u64, u64, u32)> = Vec::new();
    let mut keep_wide: Vec<(u64, u64, usize)> = Vec::new();
    let narrow = u0.len() <= u32::MAX as usize;
    for i in candidates.ones() {
        let b = bucket(u0[i]);
        if u1[i] > best[b + 1] {
            // Descending by utilities: invert the keys.
            let k0 = !ord_key(u0[i]);
            let k1 = !ord_key(u1[i]);
            if narrow {
                keep.push((k0, k1, i as u32));
            } else {
                keep_wide.push((k0, k1, i));
            }
        }
    }
    let sorted: Vec<(u64, u64, usize)> = if narrow {
        keep.sort_unstable();
        keep.into_iter()
            .map(|(a, b, i)| (a, b, i as usize))
            .collect()
    } else {
        keep_wide.sort_unstable();
        keep_wide
    };
    let mut out: Vec<FrontierPoint> = Vec::new();
    let mut prev: Option<((u64, u64), bool)> = None;
    // The best u1 among the points scanned so far, which all have at least this u0.
    let mut best_u1 = f64::NEG_INFINITY;
    for (k0, k1, i) in sorted {
        if let Some((key, on)) = prev
            && key == (k0, k1)
        {
            if on && let Some(p) = out.last_mut() {
                p.duplicates += 1;
            }
            continue;
        }
        let on = u1[i] > best_u1;
        if on {
            out.push(FrontierPoint {
                index: i,
                duplicates: 0,
            });
            best_u1 = u1[i];
        }
        prev = Some(((k0, k1), on));
    }
    out
}

/// `a` weakly dominates `b` (at least as good everywhere).
#[inline]
fn weakly_dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y)
}

/// Drops candidates that a grid cell proves dominated. Each party's utility range is cut into
/// `g` slices; a point whose cell lies strictly below some occupied cell in every coordinate is
/// strictly dominated by every point of that cell. Sound for any number of parties; what
/// survives is the band of cells along the frontier.
fn grid_filter(utilities: &[Vec<f64>], candidates: &FixedBitSet) -> Vec<usize> {
    let k = utilities.len();
    let idx: Vec<usize> = candidates.ones().collect();
    if idx.len() < 4096 {
        return idx;
    }
    // About 2^16 cells in all.
    let g = ((65536f64).powf(1.0 / k as f64).floor() as usize).max(2);
    let mut lo = vec![f64::INFINITY; k];
    let mut hi = vec![f64::NEG_INFINITY; k];
    for &i in &idx {
        for (d, u) in utilities.iter().enumerate() {
            lo[d] = lo[d].min(u[i]);
            hi[d] = hi[d].max(u[i]);
        }
    }
    let scale: Vec<f64> = (0..k)
        .map(|d| {
            if hi[d] > lo[d] {
                (g as f64 - 1e-9) / (hi[d] - lo[d])
            } else {
                0.0
            }
        })
        .collect();
    let cells = g.pow(k as u32);
    let cell_of = |i: usize| -> usize {
        let mut c = 0;
        for (d, u) in utilities.iter().enumerate() {
            let x = (((u[i] - lo[d]) * scale[d]) as usize).min(g - 1);
            c = c * g + x;
        }
        c
    };
    let cell: Vec<u32> = idx.iter().map(|&i| cell_of(i) as u32).collect();
    // up[c]: some occupied cell is at or above c in every coordinate.
    let mut up = vec![false; cells];
    for &c in &cell {
        up[c as usize] = true;
    }
    let mut stride = 1;
    for _ in 0..k {
        // Suffix OR along one coordinate (the one with this stride).
        for c in (0..cells).rev() {
            if (c / stride) % g + 1 < g && up[c + stride] {
                up[c] = true;
            }
        }
        stride *= g;
    }
    // A cell is dominated when the cell one step up in every coordinate has `up` set.
    let diag: usize = (0..k).map(|d| g.pow(d as u32)).sum();
    let dominated = |c: usize| -> bool {
        let mut x = c;
        for _ in 0..k {
            if x % g + 1 >= g {
                return false;
            }
            x /= g;
        }
        up[c + diag]
    };
    let mut memo: Vec<u8> = vec![0; cells];
    idx.iter()
        .zip(&cell)
        .filter(|&(_, &c)| {
            let c = c as usize;
            if memo[c] == 0 {
                memo[c] = if dominated(c) { 2 } else { 1 };
            }
            memo[c] == 1
        })
        .map(|(&i, _)| i)
        .collect()
}

fn frontier_many(utilities: &[Vec<f64>], candidates: &FixedBitSet) -> Vec<FrontierPoint> {
    let k = utilities.len();
    // Candidate vectors, contiguous, with their sum.
    let idx: Vec<usize> = grid_filter(utilities, candidates);
    let mut vecs: Vec<f64> = Vec::with_capacity(idx.len() * k);
    for &i in &idx {
        for u in utilities {
            vecs.push(u[i]);
        }
    }
    let row = |j: usize| &vecs[j * k..(j + 1) * k];
    let mut order: Vec<(u64, u32)> = (0..idx.len())
        .map(|j| {
            let s: f64 = row(j).iter().sum();
            (!ord_key(s + 0.0), j as u32)
        })
        .collect();
    // Sum descending, then vector lexicographically descending, then index ascending. A
    // dominator always comes before what it dominates (float addition is monotone, and equal sums
    // fall back to the lexicographic order), and equal vectors are adjacent.
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0).then_with(|| {
            let (ra, rb) = (row(a.1 as usize), row(b.1 as usize));
            for (x, y) in ra.iter().zip(rb) {
                match ord_key(*y).cmp(&ord_key(*x)) {
                    std::cmp::Ordering::Equal => {}
                    o => return o,
                }
            }
            idx[a.1 as usize].cmp(&idx[b.1 as usize])
        })
    });
    let mut sky: Vec<f64> = Vec::new();
    let mut out: Vec<FrontierPoint> = Vec::new();
    // The previous candidate's row and whether it joined the skyline.
    let mut prev: Option<(usize, bool)> = None;
    for &(_, j) in &order {
        let j = j as usize;
        let r = row(j);
        if let Some((pj, on)) = prev
            && row(pj) == r
        {
            if on && let Some(p) = out.last_mut() {
                p.duplicates += 1;
            }
            continue;
        }
        let mut dominated = false;
        let n_sky = sky.len() / k;
        for s in 0..n_sky {
            if weakly_dominates(&sky[s * k..(s + 1) * k], r) {
                dominated = true;
                if s > 0 {
                    // Move the dominator to the front: it is likely to dominate the next ones.
                    for t in 0..k {
                        sky.swap(s * k + t, t);
                    }
                }
                break;
            }
        }
        if !dominated {
            sky.extend_from_slice(r);
            out.push(FrontierPoint {
                index: idx[j],
                duplicates: 0,
            });
        }
        prev = Some((j, !dominated));
    }
    sort_points(utilities, &mut out);
    out
}

/// Sorts frontier points by utilities descending, party by party, then by index.
pub(crate) fn sort_points(utilities: &[Vec<f64>], points: &mut [FrontierPoint]) {
    points.sort_by(|a, b| {
        for u in utilities {
            match ord_key(u[b.index]).cmp(&ord_key(u[a.index])) {
                std::cmp::Ordering::Equal => {}
                o => return o,
            }
        }
        a.index.cmp(&b.index)
    });
}

/// Brute-force frontier (O(n²)), for tests and cross-checks.
pub fn pareto_frontier_naive(
    utilities: &[Vec<f64>],
    candidates: &FixedBitSet,
) -> Vec<FrontierPoint> {
    let idx: Vec<usize> = candidates.ones().collect();
    let vec_of = |i: usize| -> Vec<f64> { utilities.iter().map(|u| u[i]).collect() };
    let mut out: Vec<FrontierPoint> = Vec::new();
    for &i in &idx {
        let vi = vec_of(i);
        let dominated = idx.iter().any(|&j| {
            let vj = vec_of(j);
            weakly_dominates(&vj, &vi) && vj != vi
        });
        if dominated {
            continue;
        }
        let same: Vec<usize> = idx.iter().copied().filter(|&j| vec_of(j) == vi).collect();
        if same[0] == i {
            out.push(FrontierPoint {
                index: i,
                duplicates: same.len() - 1,
            });
        }
    }
    sort_points(utilities, &mut out);
    out
}
