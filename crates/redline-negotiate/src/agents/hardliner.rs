//! The agent that never concedes.

use crate::agent::{Agent, AgentView, Offer, Response, Turn};
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
}
