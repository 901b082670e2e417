//! The utility-sorted outcome index, built once per domain and shared by every negotiation on it.

use rayon::slice::ParallelSliceMut;

use crate::NegotiateError;
use crate::agent::AgentView;
use crate::domain::{Domain, OutcomeId};

/// Below this many outcomes an index is sorted on the calling thread.
const PARALLEL_SORT_THRESHOLD: usize = 1 << 15;

/// Outcomes sorted by one party's utility, best first; equal utilities by ascending outcome id.
///
/// Every lookup is a binary search: `O(log n)`, no allocation.
#[derive(Debug, Clone, PartialEq)]
pub struct SortedIndex {
    outcomes: Vec<OutcomeId>,
    utilities: Vec<f64>,
}

impl SortedIndex {
    /// Sorts `candidates` by `utilities` (descending), ties by id (ascending).
    fn build(utilities: &[f64], candidates: impl Iterator<Item = OutcomeId>) -> Self {
        let mut keyed: Vec<(u64, OutcomeId)> = candidates
            .map(|o| (descending_key(utilities[o as usize]), o))
            .collect();
        if keyed.len() >= PARALLEL_SORT_THRESHOLD {
            keyed.par_sort_unstable();
        } else {
            keyed.sort_unstable();
        }
        let outcomes: Vec<OutcomeId> = keyed.iter().map(|&(_, o)| o).collect();
        let utilities = outcomes.iter().map(|&o| utilities[o as usize]).collect();
        SortedIndex {
            outcomes,
            utilities,
        }
    }

    /// Keeps the entries for which `keep(outcome, utility)` holds, in order (no re-sort).
    fn filtered(&self, mut keep: impl FnMut(OutcomeId, f64) -> bool) -> Self {
        let mut outcomes = Vec::with_capacity(self.len());
        let mut utilities = Vec::with_capacity(self.len());
        for (&o, &u) in self.outcomes.iter().zip(&self.utilities) {
            if keep(o, u) {
                outcomes.push(o);
                utilities.push(u);
            }
        }
        outcomes.shrink_to_fit();
        utilities.shrink_to_fit();
        SortedIndex {
            outcomes,
            utilities,
        }
    }

    /// Number of outcomes in the index.
    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    /// Outcome ids, best first.
    pub fn outcomes(&self) -> &[OutcomeId] {
        &self.outcomes
    }

    /// Utilities, in the same order as [`outcomes`](Self::outcomes) (non-increasing).
    pub fn utilities(&self) -> &[f64] {
        &self.utilities
    }

    /// The outcome at `rank` (0 is the best).
    pub fn outcome(&self, rank: usize) -> Option<OutcomeId> {
        self.outcomes.get(rank).copied()
    }

    /// The utility at `rank`.
    pub fn utility(&self, rank: usize) -> Option<f64> {
        self.utilities.get(rank).copied()
    }

    /// The best outcome (lowest id among equals).
    pub fn best(&self) -> Option<OutcomeId> {
        self.outcomes.first().copied()
    }

    /// The highest utility.
    pub fn max_utility(&self) -> Option<f64> {
        self.utilities.first().copied()
    }

    /// The lowest utility.
    pub fn min_utility(&self) -> Option<f64> {
        self.utilities.last().copied()
    }

    /// First rank of the run of outcomes whose utility equals `utility[rank]`.
    fn run_start(&self, rank: usize) -> usize {
        let u = self.utilities[rank];
        self.utilities.partition_point(|&x| x > u)
    }

    /// The rank of the outcome whose utility is nearest `target`. Ties between a higher and a lower
    /// utility at the same distance go to the higher one; among equal utilities, to the lowest id.
    pub fn nearest(&self, target: f64) -> Option<usize> {
        if self.is_empty() {
            return None;
        }
        // Ranks below `p` are worth strictly more than the target; `p` starts its own run.
        let p = self.utilities.partition_point(|&u| u > target);
        if p == 0 {
            return Some(0);
        }
        let above = self.run_start(p - 1);
        if p == self.len() {
            return Some(above);
        }
        let up = self.utilities[above] - target;
        let down = target - self.utilities[p];
        Some(if down < up { p } else { above })
    }

    /// The rank of the least valuable outcome still worth at least `target` (lowest id among
    /// equals), or `None` when nothing reaches the target.
    pub fn lowest_at_least(&self, target: f64) -> Option<usize> {
        let q = self.utilities.partition_point(|&u| u >= target);
        (q > 0).then(|| self.run_start(q - 1))
    }

    /// How many outcomes are worth at least `threshold` (they are the first ranks).
    pub fn count_at_least(&self, threshold: f64) -> usize {
        self.utilities.partition_point(|&u| u >= threshold)
    }
}

/// Maps a utility to a key whose ascending order is descending utility (total order; -0 as 0).
fn descending_key(u: f64) -> u64 {
    let u = if u == 0.0 { 0.0 } else { u };
    let bits = u.to_bits();
    let ascending = if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    };
    !ascending
}

/// One party's indexes.
#[derive(Debug, Clone, PartialEq)]
struct PartyIndex {
    all: SortedIndex,
    acceptable: SortedIndex,
    /// Acceptable, and inside every party's public red lines (the acceptable index itself
    /// when the domain has no public red lines).
    respectful: Option<SortedIndex>,
}

/// A validated [`Domain`] with, per party, its outcomes sorted by utility.
///
/// Build it once per domain (`O(n log n)` per party, in parallel for large domains) and share it
/// behind an [`Arc`](std::sync::Arc): negotiations only read it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexedDomain {
    domain: Domain,
    parties: Vec<PartyIndex>,
}

impl IndexedDomain {
    /// Validates `domain` and builds the per-party indexes.
    pub fn build(domain: Domain) -> Result<Self, NegotiateError> {
        domain.validate()?;
        let n = domain.outcome_count as OutcomeId;
        let parties = domain
            .parties
            .iter()
            .map(|p| {
                let all = SortedIndex::build(&p.utilities, 0..n);
                let acceptable = all.filtered(|o, u| u >= p.reservation && p.permits(o));
                let respectful = domain
                    .public_red_lines
                    .as_ref()
                    .map(|r| acceptable.filtered(|o, _| r.contains(o as usize)));
                PartyIndex {
                    all,
                    acceptable,
                    respectful,
                }
            })
            .collect();
        Ok(IndexedDomain { domain, parties })
    }

    /// The domain.
    pub fn domain(&self) -> &Domain {
        &self.domain
    }

    /// The domain name.
    pub fn name(&self) -> &str {
        &self.domain.name
    }

    /// Number of parties.
    pub fn party_count(&self) -> usize {
        self.parties.len()
    }

    /// Number of outcomes.
    pub fn outcome_count(&self) -> usize {
        self.domain.outcome_count
    }

    /// All outcomes sorted by `party`'s utility.
    pub fn index(&self, party: usize) -> Option<&SortedIndex> {
        self.parties.get(party).map(|p| &p.all)
    }

    /// The outcomes acceptable to `party` (inside its red lines, at least its reservation value),
    /// sorted by its utility.
    pub fn acceptable_index(&self, party: usize) -> Option<&SortedIndex> {
        self.parties.get(party).map(|p| &p.acceptable)
    }

    /// The outcomes acceptable to `party` that also respect every party's public red lines,
    /// sorted by its utility: what a red-line-aware agent offers from.
    pub fn respectful_index(&self, party: usize) -> Option<&SortedIndex> {
        self.parties
            .get(party)
            .map(|p| p.respectful.as_ref().unwrap_or(&p.acceptable))
    }

    /// Utility of `outcome` to `party`, undiscounted.
    pub fn utility(&self, party: usize, outcome: OutcomeId) -> Option<f64> {
        self.domain
            .parties
            .get(party)?
            .utilities
            .get(outcome as usize)
            .copied()
    }

    /// What the agent of `party` may see: its own utilities, reservation, discount, red lines and
    /// index, and the issue layout; never another party's utilities.
    ///
    /// # Panics
    /// Never for `party < party_count()`; callers inside the crate guarantee that.
    pub(crate) fn view(&self, party: usize) -> AgentView<'_> {
        let p = &self.domain.parties[party];
        let idx = &self.parties[party];
        AgentView::new(
            party,
            self.parties.len(),
            p,
            &idx.all,
            &idx.acceptable,
            idx.respectful.as_ref().unwrap_or(&idx.acceptable),
            self.domain.public_red_lines.as_ref(),
            self.domain.issues.as_deref(),
        )
    }

    /// [`view`](Self::view), checked.
    pub fn agent_view(&self, party: usize) -> Option<AgentView<'_>> {
        (party < self.parties.len()).then(|| self.view(party))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(u: &[f64]) -> SortedIndex {
        SortedIndex::build(u, 0..u.len() as OutcomeId)
    }

    #[test]
    fn sorts_best_first_with_id_tie_break() {
        let idx = index(&[0.5, 0.9, 0.5, -0.0, 0.0, 1.0]);
        assert_eq!(idx.outcomes(), &[5, 1, 0, 2, 3, 4]);
    }

    #[test]
    fn nearest_prefers_the_higher_of_two_equidistant_utilities() {
        let idx = index(&[0.25, 0.5, 0.5, 0.75]);
        // 0.375 is 0.125 from both 0.25 and 0.5: the higher wins, lowest id among the 0.5s.
        assert_eq!(idx.outcome(idx.nearest(0.375).unwrap()), Some(1));
        assert_eq!(idx.outcome(idx.nearest(0.3).unwrap()), Some(0));
        assert_eq!(idx.outcome(idx.nearest(2.0).unwrap()), Some(3));
        assert_eq!(idx.outcome(idx.nearest(-1.0).unwrap()), Some(0));
        assert_eq!(idx.outcome(idx.nearest(0.5).unwrap()), Some(1));
        assert_eq!(idx.outcome(idx.nearest(f64::NAN).unwrap()), Some(3));
    }

    #[test]
    fn nearest_matches_a_linear_scan() {
        let u: Vec<f64> = (0..200).map(|i| ((i * 37) % 23) as f64 / 22.0).collect();
        let idx = index(&u);
        for t in 0..=100 {
            let target = t as f64 / 100.0 * 1.2 - 0.1;
            let got = idx.outcome(idx.nearest(target).unwrap()).unwrap();
            let want = (0..u.len())
                .min_by(|&a, &b| {
                    let da = (u[a] - target).abs();
                    let db = (u[b] - target).abs();
                    da.total_cmp(&db)
                        .then(u[b].total_cmp(&u[a]))
                        .then(a.cmp(&b))
                })
                .unwrap();
            assert_eq!(got as usize, want, "target {target}");
        }
    }

    #[test]
    fn lowest_at_least_and_counts() {
        let idx = index(&[0.2, 0.4, 0.4, 0.8]);
        assert_eq!(idx.outcome(idx.lowest_at_least(0.3).unwrap()), Some(1));
        assert_eq!(idx.outcome(idx.lowest_at_least(0.4).unwrap()), Some(1));
        assert_eq!(idx.lowest_at_least(0.9), None);
        assert_eq!(idx.count_at_least(0.4), 3);
        assert_eq!(idx.count_at_least(0.0), 4);
    }
}
