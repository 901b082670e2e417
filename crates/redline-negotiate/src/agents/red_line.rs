//! The red-line-aware wrapper.

use std::fmt;

use crate::agent::{Agent, AgentView, Offer, Response, Turn, Vote};
use crate::domain::OutcomeId;

/// Wraps any agent so that it never offers, accepts or votes for an outcome its owner finds
/// unacceptable (one that breaks a red line or is worth less than the reservation value), and
/// never offers one that breaks another party's **public** red line (red lines are public
/// unless the scenario marks them `private`).
///
/// The wrapped agent sees a view whose [`offer_index`](AgentView::offer_index) holds only the
/// acceptable outcomes inside every public red line, so concession strategies concede within
/// them. Should it still offer another outcome, the wrapper offers instead the nearest such
/// outcome in utility; should it accept an unacceptable one, the wrapper rejects. With no such
/// outcome at all, it ends the negotiation when asked to offer.
pub struct RedLineAware {
    inner: Box<dyn Agent>,
}

impl RedLineAware {
    /// Wraps `inner`.
    pub fn new(inner: Box<dyn Agent>) -> Self {
        RedLineAware { inner }
    }
}

impl fmt::Debug for RedLineAware {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedLineAware").finish_non_exhaustive()
    }
}

impl Agent for RedLineAware {
    fn start(&mut self, me: &AgentView<'_>) {
        self.inner.start(&me.restricted_to_acceptable());
    }

    fn respond(&mut self, me: &AgentView<'_>, turn: &Turn, offer: Offer) -> Response {
        let inner = self
            .inner
            .respond(&me.restricted_to_acceptable(), turn, offer);
        if inner == Response::Accept && !me.acceptable(offer.outcome) {
            Response::Reject
        } else {
            inner
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId> {
        let o = self.inner.propose(&me.restricted_to_acceptable(), turn)?;
        if me.acceptable(o) && me.publicly_permitted(o) {
            return Some(o);
        }
        let idx = me.respectful_index();
        idx.outcome(idx.nearest(me.utility(o))?)
    }

    fn vote(
        &mut self,
        me: &AgentView<'_>,
        turn: &Turn,
        proposal: OutcomeId,
        accepted: Option<OutcomeId>,
    ) -> Vote {
        if !me.acceptable(proposal) {
            return Vote::Reject;
        }
        self.inner
            .vote(&me.restricted_to_acceptable(), turn, proposal, accepted)
    }
}
