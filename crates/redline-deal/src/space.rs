//! The outcome space: a mixed-radix index over issue values, utilities per party as flat
//! vectors, and conditions as bitsets over outcomes.
//!
//! An outcome's index is its position in the Cartesian product with the first issue as the most
//! significant digit, so index order is lexicographic outcome order. Everything here is indexed
//! over the whole Cartesian product; linkages are one more bitset ([`Evaluated::feasible`]) rather
//! than a renumbering, so that explanations can treat them like any other constraint.

use fixedbitset::FixedBitSet;

use crate::DealError;
use crate::spec::{Cond, DealSpec};

/// Mixed-radix indexing of the Cartesian product of issue values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeSpace {
    radices: Vec<usize>,
    strides: Vec<usize>,
    size: usize,
}

impl OutcomeSpace {
    /// The space of a spec, refusing more than `max_outcomes` outcomes.
    pub fn new(spec: &DealSpec, max_outcomes: u64) -> Result<Self, DealError> {
        let size = spec
            .cartesian_size()
            .filter(|&n| n <= max_outcomes)
            .ok_or_else(|| DealError::TooLarge {
                outcomes: spec.cartesian_size(),
                limit: max_outcomes,
            })?;
        let size = usize::try_from(size).map_err(|_| DealError::TooLarge {
            outcomes: Some(size),
            limit: max_outcomes,
        })?;
        let radices: Vec<usize> = spec.issues.iter().map(|i| i.values.len()).collect();
        let mut strides = vec![1usize; radices.len()];
        for k in (0..radices.len().saturating_sub(1)).rev() {
            strides[k] = strides[k + 1] * radices[k + 1];
        }
        Ok(OutcomeSpace {
            radices,
            strides,
            size,
        })
    }

    /// The number of outcomes in the Cartesian product.
    pub fn len(&self) -> usize {
        self.size
    }

    /// Whether the product is empty (never, for a validated spec).
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The number of values per issue.
    pub fn radices(&self) -> &[usize] {
        &self.radices
    }

    /// The value index of issue `k` in outcome `index`.
    pub fn value(&self, index: usize, k: usize) -> usize {
        (index / self.strides[k]) % self.radices[k]
    }

    /// The value indices of an outcome.
    pub fn decode(&self, index: usize) -> Vec<usize> {
        (0..self.radices.len())
            .map(|k| self.value(index, k))
            .collect()
    }

    /// The index of an outcome given as value indices (which must be in range).
    pub fn encode(&self, values: &[usize]) -> usize {
        values.iter().zip(&self.strides).map(|(v, s)| v * s).sum()
    }

    /// The index of `index` with issue `k` set to value `v`.
    pub fn with_value(&self, index: usize, k: usize, v: usize) -> usize {
        let old = self.value(index, k);
        index - old * self.strides[k] + v * self.strides[k]
    }

    /// The set of outcomes where a condition holds.
    pub fn cond_set(&self, cond: &Cond) -> FixedBitSet {
        let n = self.size;
        match cond {
            Cond::True => {
                let mut s = FixedBitSet::with_capacity(n);
                s.insert_range(..);
                s
            }
            Cond::False => FixedBitSet::with_capacity(n),
            Cond::Atom { issue, allowed } => {
                let mut s = FixedBitSet::with_capacity(n);
                let stride = self.strides[*issue];
                let radix = self.radices[*issue];
                if allowed.iter().all(|&a| a) {
                    s.insert_range(..);
                } else if allowed.iter().any(|&a| a) {
                    // Runs of `stride` outcomes share a value; the values cycle with period radix.
                    for (block, start) in (0..n).step_by(stride).enumerate() {
                        if allowed.get(block % radix).copied().unwrap_or(false) {
                            s.insert_range(start..start + stride);
                        }
                    }
                }
                s
            }
            Cond::Not(c) => {
                let mut s = self.cond_set(c);
                s.toggle_range(..);
                s
            }
            Cond::And(cs) => {
                let mut s = self.cond_set(&Cond::True);
                for c in cs {
                    s.intersect_with(&self.cond_set(c));
                }
                s
            }
            Cond::Or(cs) => {
                let mut s = FixedBitSet::with_capacity(n);
                for c in cs {
                    s.union_with(&self.cond_set(c));
                }
                s
            }
            Cond::Implies(a, b) => {
                let mut s = self.cond_set(a);
                s.toggle_range(..);
                s.union_with(&self.cond_set(b));
                s
            }
            Cond::Iff(a, b) => {
                let mut s = self.cond_set(a);
                s.symmetric_difference_with(&self.cond_set(b));
                s.toggle_range(..);
                s
            }
        }
    }
}

/// Utilities and constraint sets of a spec over its whole outcome space.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The indexing.
    pub space: OutcomeSpace,
    /// `utilities[p][index]`: party `p`'s (possibly discounted) utility.
    pub utilities: Vec<Vec<f64>>,
    /// Reservation values (discounted like the utilities), the disagreement point.
    pub reservations: Vec<f64>,
    /// Per linkage, the outcomes that satisfy it.
    pub linkage_sets: Vec<FixedBitSet>,
    /// Per red line, the outcomes that satisfy it.
    pub red_line_sets: Vec<FixedBitSet>,
    /// Per party, the outcomes that give it at least its reservation value.
    pub reservation_sets: Vec<FixedBitSet>,
    /// The outcome space proper: outcomes that break no linkage.
    pub feasible: FixedBitSet,
    /// Per party, the feasible outcomes acceptable to it (no red line of its broken, utility at
    /// least its reservation).
    pub acceptable: Vec<FixedBitSet>,
    /// The outcomes acceptable to every party.
    pub zopa: FixedBitSet,
}

/// The utilities of one party over the whole space, summing issue contributions in issue order
/// (the same floating-point order as [`DealSpec::utility`]).
pub fn party_utilities(spec: &DealSpec, space: &OutcomeSpace, party: usize, time: f64) -> Vec<f64> {
    let contrib = spec.contributions(party);
    let mut u: Vec<f64> = Vec::with_capacity(space.len());
    u.push(0.0);
    // Grow the prefix sums one issue at a time: entry `i * r + v` extends prefix `i` by value `v`.
    for c in &contrib {
        let prev = std::mem::take(&mut u);
        u = Vec::with_capacity(prev.len() * c.len());
        for &base in &prev {
            u.extend(c.iter().map(|&x| base + x));
        }
    }
    for t in &spec.parties[party].terms {
        let set = space.cond_set(&t.cond);
        for i in set.ones() {
            u[i] += t.value;
        }
    }
    let factor = discount_factor(spec, party, time);
    for x in &mut u {
        // `+ 0.0` turns a negative zero into zero so that equal utilities compare equal bitwise.
        *x = x.min(1.0) * factor + 0.0;
    }
    u
}

/// `d^t` for a party, or 1 when it has no discount or `t` is 0.
pub fn discount_factor(spec: &DealSpec, party: usize, time: f64) -> f64 {
    match spec.parties[party].discount {
        Some(d) if time > 0.0 => d.powf(time),
        _ => 1.0,
    }
}

impl Evaluated {
    /// Evaluates a validated spec at time `time` (0 for undiscounted).
    pub fn new(spec: &DealSpec, max_outcomes: u64, time: f64) -> Result<Self, DealError> {
        spec.validate()?;
        if !(0.0..=1.0).contains(&time) {
            return Err(DealError::invalid(format!(
                "time must lie in [0, 1], got {time}"
            )));
        }
        let space = OutcomeSpace::new(spec, max_outcomes)?;
        let n_parties = spec.parties.len();
        let utilities: Vec<Vec<f64>> = (0..n_parties)
            .map(|p| party_utilities(spec, &space, p, time))
            .collect();
        let reservations: Vec<f64> = (0..n_parties)
            .map(|p| spec.parties[p].reservation * discount_factor(spec, p, time))
            .collect();
        let linkage_sets: Vec<FixedBitSet> = spec
            .linkages
            .iter()
            .map(|l| space.cond_set(&l.cond))
            .collect();
        let red_line_sets: Vec<FixedBitSet> = spec
            .red_lines
            .iter()
            .map(|r| space.cond_set(&r.cond))
            .collect();
        let reservation_sets: Vec<FixedBitSet> = (0..n_parties)
            .map(|p| {
                let r = reservations[p];
                let mut s = FixedBitSet::with_capacity(space.len());
                for (i, &u) in utilities[p].iter().enumerate() {
                    if u >= r {
                        s.insert(i);
                    }
                }
                s
            })
            .collect();
        let mut feasible = space.cond_set(&Cond::True);
        for s in &linkage_sets {
            feasible.intersect_with(s);
        }
        let acceptable: Vec<FixedBitSet> = (0..n_parties)
            .map(|p| {
                let mut s = feasible.clone();
                s.intersect_with(&reservation_sets[p]);
                for (r, set) in spec.red_lines.iter().zip(&red_line_sets) {
                    if r.owner == p {
                        s.intersect_with(set);
                    }
                }
                s
            })
            .collect();
        let mut zopa = feasible.clone();
        for s in &acceptable {
            zopa.intersect_with(s);
        }
        Ok(Evaluated {
            space,
            utilities,
            reservations,
            linkage_sets,
            red_line_sets,
            reservation_sets,
            feasible,
            acceptable,
            zopa,
        })
    }

    /// The utility vector of one outcome.
    pub fn utility_vector(&self, index: usize) -> Vec<f64> {
        self.utilities.iter().map(|u| u[index]).collect()
    }
}
