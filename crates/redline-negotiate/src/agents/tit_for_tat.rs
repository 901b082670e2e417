//! Naive tit-for-tat.

use crate::agent::{Agent, AgentView, Offer, Response, Turn};
use crate::domain::OutcomeId;

/// Naive tit-for-tat (NegMAS's `NaiveTitForTatNegotiator`): it opens with its best outcome and then
/// concedes, in its own utility, as much as the opponents' last offer improved on the one before
/// it (never less than nothing), offering the outcome nearest that target. It accepts an offer worth
/// at least its next offer and its reservation value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TitForTat {
    last_own: Option<f64>,
    prev_opp: Option<f64>,
    last_opp: Option<f64>,
    plan: Option<(u32, OutcomeId)>,
}

impl TitForTat {
    /// A fresh agent.
    pub fn new() -> Self {
        Self::default()
    }

    fn plan(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId> {
        if let Some((round, o)) = self.plan
            && round == turn.round
        {
            return Some(o);
        }
        let idx = me.offer_index();
        let rank = match self.last_own {
            None => 0,
            Some(last) => {
                let conceded = match (self.prev_opp, self.last_opp) {
                    (Some(p), Some(q)) => (q - p).max(0.0),
                    _ => 0.0,
                };
                let floor = idx.min_utility()?.max(me.reservation());
                idx.nearest((last - conceded).max(floor))?
            }
        };
        let o = idx.outcome(rank)?;
        self.plan = Some((turn.round, o));
        Some(o)
    }
}

impl Agent for TitForTat {
    fn start(&mut self, _me: &AgentView<'_>) {
        *self = Self::default();
    }

    fn respond(&mut self, me: &AgentView<'_>, turn: &Turn, offer: Offer) -> Response {
        let u = me.utility(offer.outcome);
        self.prev_opp = self.last_opp;
        self.last_opp = Some(u);
        self.plan = None;
        match self.plan(me, turn) {
            Some(next) if u >= me.utility(next) && u >= me.reservation() => Response::Accept,
            _ => Response::Reject,
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId> {
        let o = self.plan(me, turn)?;
        self.last_own = Some(me.utility(o));
        Some(o)
    }
}
