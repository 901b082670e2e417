//! The agent that never concedes.

use crate::agent::{Agent, AgentView, Offer, Response, Turn, Vote, hill_climbing_vote};
use crate::domain::OutcomeId;

/// Always offers its best outcome and accepts only offers worth as much (GENIUS's `e = 0`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hardliner;

impl Agent for Hardliner {
    fn respond(&mut self, me: &AgentView<'_>, _turn: &Turn, offer: Offer) -> Response {
        let best = me.offer_index().max_utility().unwrap_or(f64::INFINITY);
        let u = me.utility(offer.outcome);
        if u >= best && u >= me.reservation() {
            Response::Accept
        } else {
            Response::Reject
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, _turn: &Turn) -> Option<OutcomeId> {
        me.offer_index().best()
    }

    /// Under a mediator, it votes only for a text worth as much as its best outcome.
    fn vote(
        &mut self,
        me: &AgentView<'_>,
        _turn: &Turn,
        proposal: OutcomeId,
        accepted: Option<OutcomeId>,
    ) -> Vote {
        let best = me.offer_index().max_utility().unwrap_or(f64::INFINITY);
        if me.utility(proposal) < best {
            return Vote::Reject;
        }
        hill_climbing_vote(me, proposal, accepted)
    }
}
