//! The seeded random agent.

use crate::agent::{Agent, AgentView, Offer, Response, Turn, Vote};
use crate::domain::OutcomeId;
use crate::seed::SeededRng;

/// Offers a uniformly random outcome among those worth at least its reservation value (among all
/// outcomes on offer when none is). Accepts an offer worth at least its reservation value with
/// probability `p_accept`; otherwise ends the negotiation with probability `p_end`. Votes like it
/// accepts. Seeded: the same seed gives the same choices.
#[derive(Debug, Clone)]
pub struct RandomAgent {
    rng: SeededRng,
    p_accept: f64,
    p_end: f64,
}

impl RandomAgent {
    /// A random agent with the given probabilities (clamped to [0, 1]; NaN counts as 0).
    pub fn new(seed: u64, p_accept: f64, p_end: f64) -> Self {
        let clamp = |p: f64| if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        RandomAgent {
            rng: SeededRng::new(seed),
            p_accept: clamp(p_accept),
            p_end: clamp(p_end),
        }
    }
}

impl Agent for RandomAgent {
    fn respond(&mut self, me: &AgentView<'_>, _turn: &Turn, offer: Offer) -> Response {
        let rational = me.utility(offer.outcome) >= me.reservation();
        if self.rng.chance(self.p_accept) && rational {
            Response::Accept
        } else if self.rng.chance(self.p_end) {
            Response::End
        } else {
            Response::Reject
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, _turn: &Turn) -> Option<OutcomeId> {
        let idx = me.offer_index();
        let rational = idx.count_at_least(me.reservation());
        let pool = if rational > 0 { rational } else { idx.len() };
        let rank = self.rng.below(pool as u64) as usize;
        idx.outcome(rank)
    }

    fn vote(
        &mut self,
        me: &AgentView<'_>,
        _turn: &Turn,
        proposal: OutcomeId,
        _accepted: Option<OutcomeId>,
    ) -> Vote {
        let rational = me.utility(proposal) >= me.reservation();
        if self.rng.chance(self.p_accept) && rational {
            Vote::Accept
        } else {
            Vote::Reject
        }
    }
}
