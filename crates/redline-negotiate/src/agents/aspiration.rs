//! NegMAS-style aspiration agent.

use crate::agent::{Agent, AgentView, Offer, Response, Turn};
use crate::agents::time_based::concession_target;
use crate::domain::OutcomeId;

/// NegMAS's `AspirationNegotiator` (presorted): an aspiration level that falls from the best
/// utility on offer to `max(worst, reservation)` as `1 − τ^exponent` (`τ` the elapsed time, see
/// [`Turn::elapsed`]). It offers the least valuable outcome still at or above its aspiration
/// (ties: lowest id) and accepts any offer at or above its aspiration and reservation value.
/// NegMAS calls `exponent = 4` "boulware", 1 "linear" and 0.25 "conceder".
#[derive(Debug, Clone, PartialEq)]
pub struct Aspiration {
    exponent: f64,
    range: Option<(f64, f64)>,
}

impl Aspiration {
    /// Aspiration curve `1 − τ^exponent` (non-finite or non-positive exponents never concede).
    pub fn new(exponent: f64) -> Self {
        let exponent = if exponent.is_finite() && exponent > 0.0 {
            exponent
        } else {
            f64::INFINITY
        };
        Aspiration {
            exponent,
            range: None,
        }
    }

    /// The aspiration level at `turn`.
    pub fn level(&mut self, me: &AgentView<'_>, turn: &Turn) -> f64 {
        let (min, max) = *self.range.get_or_insert_with(|| {
            let idx = me.offer_index();
            let rv = me.reservation();
            let max = idx.max_utility().unwrap_or(rv);
            (idx.min_utility().unwrap_or(rv).max(rv), max)
        });
        // `1 − τ^x` is the time-based curve with `e = 1/x`.
        concession_target(min, max, 1.0 / self.exponent, turn.elapsed())
    }
}

impl Agent for Aspiration {
    fn start(&mut self, _me: &AgentView<'_>) {
        self.range = None;
    }

    fn respond(&mut self, me: &AgentView<'_>, turn: &Turn, offer: Offer) -> Response {
        let u = me.utility(offer.outcome);
        if u >= self.level(me, turn) && u >= me.reservation() {
            Response::Accept
        } else {
            Response::Reject
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId> {
        let level = self.level(me, turn);
        let idx = me.offer_index();
        let rank = idx.lowest_at_least(level).unwrap_or(0);
        idx.outcome(rank)
    }
}
