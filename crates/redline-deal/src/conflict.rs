//! Why a set of constraints has no common outcome: minimal unsatisfiable subsets (MUSes) and
//! minimal correction sets (MCSes) over constraints given as bitsets over outcomes.
//!
//! The method is exact and uses the outcome space directly. Each outcome has a *signature*: the
//! set of constraints it satisfies. A set of constraints is satisfiable exactly when it is
//! contained in some signature, so the maximal satisfiable subsets (MSSes) are the maximal
//! distinct signatures, the MCSes are their complements, and the MUSes are the minimal hitting
//! sets of the MCSes (Reiter's duality), enumerated with the MMCS algorithm (Murakami & Uno,
//! 2014). Every reported set is checked against the signatures before it is returned.

use std::collections::HashSet;

use fixedbitset::FixedBitSet;

/// The most constraints an explanation handles (signatures are 128-bit masks).
pub const MAX_CONSTRAINTS: usize = 128;

/// Effort bounds for [`explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExplainLimits {
    /// Stop after this many MUSes.
    pub max_conflicts: usize,
    /// Report at most this many MCSes (smallest first).
    pub max_corrections: usize,
    /// Rough bound on elementary steps (subset tests, search nodes).
    pub max_steps: u64,
}

impl Default for ExplainLimits {
    fn default() -> Self {
        ExplainLimits {
            max_conflicts: 256,
            max_corrections: 256,
            max_steps: 200_000_000,
        }
    }
}

/// The result of [`explain`]. Sets are lists of constraint positions, sorted ascending.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawExplanation {
    /// Minimal unsatisfiable subsets, smallest first.
    pub conflicts: Vec<Vec<usize>>,
    /// Minimal correction sets (removing one makes the rest satisfiable), smallest first.
    pub corrections: Vec<Vec<usize>>,
    /// Maximal satisfiable subsets, as masks (complements of the corrections), same order.
    pub satisfiable: Vec<u128>,
    /// Whether every MUS was found.
    pub conflicts_complete: bool,
    /// Whether every MCS was found (and listed, within `max_corrections`).
    pub corrections_complete: bool,
}

fn bit(c: usize) -> u128 {
    1u128 << c
}

fn members(mask: u128) -> Vec<usize> {
    (0..MAX_CONSTRAINTS)
        .filter(|&c| mask & bit(c) != 0)
        .collect()
}

/// The distinct signatures of the outcomes `0..n`.
fn signatures(sets: &[&FixedBitSet], n: usize) -> HashSet<u128> {
    let mut out: HashSet<u128> = HashSet::new();
    let blocks: Vec<&[usize]> = sets.iter().map(|s| s.as_slice()).collect();
    let bits = usize::BITS as usize;
    let mut last: Option<u128> = None;
    let n_blocks = n.div_ceil(bits);
    let mut masks = vec![0u128; bits];
    for w in 0..n_blocks {
        masks.iter_mut().for_each(|m| *m = 0);
        for (c, b) in blocks.iter().enumerate() {
            let word = b.get(w).copied().unwrap_or(0);
            if word == 0 {
                continue;
            }
            let cb = bit(c);
            if word == usize::MAX {
                masks.iter_mut().for_each(|m| *m |= cb);
                continue;
            }
            let mut x = word;
            while x != 0 {
                let t = x.trailing_zeros() as usize;
                masks[t] |= cb;
                x &= x - 1;
            }
        }
        let valid = (n - w * bits).min(bits);
        for &m in &masks[..valid] {
            if last != Some(m) {
                out.insert(m);
                last = Some(m);
            }
        }
    }
    out
}

/// Explains why the intersection of `sets` (each over outcomes `0..n`) is empty. At most
/// [`MAX_CONSTRAINTS`] sets; with more, nothing is found and both `complete` flags are false.
pub fn explain(sets: &[&FixedBitSet], n: usize, limits: ExplainLimits) -> RawExplanation {
    let m = sets.len();
    if m > MAX_CONSTRAINTS {
        return RawExplanation::default();
    }
    let full: u128 = if m == MAX_CONSTRAINTS {
        u128::MAX
    } else {
        bit(m) - 1
    };
    let sigs = signatures(sets, n);
    if sigs.contains(&full) {
        // Satisfiable: nothing to explain.
        return RawExplanation {
            conflicts_complete: true,
            corrections_complete: true,
            ..Default::default()
        };
    }
    let mut steps: u64 = 0;
    // Maximal signatures: by decreasing size, keep those not inside an already kept one.
    let mut sorted: Vec<u128> = sigs.into_iter().collect();
    sorted.sort_unstable_by(|a, b| b.count_ones().cmp(&a.count_ones()).then(a.cmp(b)));
    let mut mss: Vec<u128> = Vec::new();
    for s in sorted {
        steps += mss.len() as u64 + 1;
        if steps > limits.max_steps {
            return RawExplanation::default();
        }
        if !mss.iter().any(|&k| s & k == s) {
            mss.push(s);
        }
    }
    // Corrections, smallest first (then by member list).
    let mut pairs: Vec<(u128, u128)> = mss.iter().map(|&s| (full & !s, s)).collect();
    pairs.sort_unstable_by(|a, b| {
        a.0.count_ones()
            .cmp(&b.0.count_ones())
            .then_with(|| members(a.0).cmp(&members(b.0)))
    });
    let family: Vec<u128> = pairs.iter().map(|p| p.0).collect();
    let corrections_complete = pairs.len() <= limits.max_corrections;
    let shown = pairs.len().min(limits.max_corrections);

    let sat = |s: u128| mss.iter().any(|&k| s & k == s);
    let mut found: Vec<u128> = Vec::new();
    let mut search = Mmcs {
        family: &family,
        out: &mut found,
        steps,
        limits,
        stopped: false,
    };
    let uncov: Vec<usize> = (0..family.len()).collect();
    search.run(0, full, &uncov);
    let conflicts_complete = !search.stopped;
    // Check every conflict: unsatisfiable, and minimal (each one-smaller subset satisfiable,
    // which by monotonicity covers every proper subset).
    let mut conflicts: Vec<Vec<usize>> = found
        .into_iter()
        .filter(|&s| !sat(s) && members(s).iter().all(|&c| sat(s & !bit(c))))
        .map(members)
        .collect();
    conflicts.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    RawExplanation {
        conflicts,
        corrections: pairs[..shown].iter().map(|p| members(p.0)).collect(),
        satisfiable: pairs[..shown].iter().map(|p| p.1).collect(),
        conflicts_complete,
        corrections_complete,
    }
}

/// Minimal hitting set enumeration (MMCS).
struct Mmcs<'a> {
    family: &'a [u128],
    out: &'a mut Vec<u128>,
    steps: u64,
    limits: ExplainLimits,
    stopped: bool,
}

impl Mmcs<'_> {
    fn run(&mut self, s: u128, cand: u128, uncov: &[usize]) {
        if self.stopped {
            return;
        }
        self.steps += 1 + uncov.len() as u64;
        if self.steps > self.limits.max_steps || self.out.len() >= self.limits.max_conflicts {
            self.stopped = true;
            return;
        }
        if uncov.is_empty() {
            self.out.push(s);
            return;
        }
        // The uncovered set with the fewest candidates left.
        let f = uncov
            .iter()
            .map(|&i| self.family[i])
            .min_by_key(|&f| (f & cand).count_ones())
            .unwrap_or(0);
        let c = f & cand;
        let mut cand = cand & !c;
        for e in members(c) {
            let s2 = s | bit(e);
            if self.all_critical(s2) {
                let rest: Vec<usize> = uncov
                    .iter()
                    .copied()
                    .filter(|&i| self.family[i] & bit(e) == 0)
                    .collect();
                self.run(s2, cand, &rest);
                if self.stopped {
                    return;
                }
            }
            cand |= bit(e);
        }
    }

    /// Whether every member of `s` is the only member of `s` in some set of the family.
    fn all_critical(&mut self, s: u128) -> bool {
        self.steps += self.family.len() as u64;
        let mut private: u128 = 0;
        for &f in self.family {
            let hit = f & s;
            if hit != 0 && hit & (hit - 1) == 0 {
                private |= hit;
            }
        }
        private == s
    }
}

/// Whether the constraints in `subset` have a common outcome (direct bitset check).
pub fn satisfiable(sets: &[&FixedBitSet], subset: &[usize], n: usize) -> bool {
    let mut acc = FixedBitSet::with_capacity(n);
    acc.insert_range(..);
    for &c in subset {
        acc.intersect_with(sets[c]);
    }
    !acc.is_clear()
}
