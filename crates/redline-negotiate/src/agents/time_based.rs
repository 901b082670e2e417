//! Time-based concession (Boulware, Linear, Conceder) with GENIUS semantics.

use crate::agent::{Agent, AgentView, Offer, Response, Turn, Vote, hill_climbing_vote};
use crate::domain::OutcomeId;

/// GENIUS's `TimeDependentAgent` (Faratin, Sierra & Jennings; Fatima, Wooldridge & Jennings).
///
/// - Target utility at elapsed time `τ = (round − 1)/(rounds + 1)`:
///   `p(τ) = P_min + (P_max − P_min) · (1 − τ^(1/e))`, with `P_max` the best utility on offer and
///   `P_min = max(worst utility on offer, reservation)`. With `P_max = 1, P_min = 0` this is
///   `1 − (t − 1/(R+1))^(1/e)` for GENIUS's `t = round/(R+1)`. `e = 0` never concedes.
/// - Offer: the outcome whose utility is nearest the target (ties: the higher utility, then the
///   lowest outcome id), from [`AgentView::offer_index`].
/// - Vote (mediated protocol): accept a text worth at least the target and at least the last
///   accepted text and the reservation value.
/// - Accept (`AC_next`, as the issue specifies it): when the standing offer is worth strictly
///   more than the offer it would make next, and at least its reservation value. GENIUS's
///   `TimeDependentAgent` accepts on equality too; the EnglandZimbabwe reference (1.0, 0.4503 in
///   round 39) is the same under both rules.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeBased {
    exponent: f64,
    range: Option<(f64, f64)>,
    plan: Option<(u32, OutcomeId)>,
}

impl TimeBased {
    /// Concession exponent `e` (non-finite or negative values act as `e = 0`, a hardliner).
    pub fn new(exponent: f64) -> Self {
        TimeBased {
            exponent: if exponent.is_finite() && exponent > 0.0 {
                exponent
            } else {
                0.0
            },
            range: None,
            plan: None,
        }
    }

    /// `e = 0.2`.
    pub fn boulware() -> Self {
        Self::new(0.2)
    }

    /// `e = 1`.
    pub fn linear() -> Self {
        Self::new(1.0)
    }

    /// `e = 2`.
    pub fn conceder() -> Self {
        Self::new(2.0)
    }

    fn range(&mut self, me: &AgentView<'_>) -> (f64, f64) {
        *self.range.get_or_insert_with(|| {
            let idx = me.offer_index();
            let rv = me.reservation();
            let max = idx.max_utility().unwrap_or(rv);
            let min = idx.min_utility().unwrap_or(rv).max(rv);
            (min, max)
        })
    }

    /// The target utility for `turn`.
    pub fn target(&mut self, me: &AgentView<'_>, turn: &Turn) -> f64 {
        let (min, max) = self.range(me);
        concession_target(min, max, self.exponent, turn.elapsed())
    }

    fn plan(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId> {
        if let Some((round, o)) = self.plan
            && round == turn.round
        {
            return Some(o);
        }
        let target = self.target(me, turn);
        let idx = me.offer_index();
        let o = idx.outcome(idx.nearest(target)?)?;
        self.plan = Some((turn.round, o));
        Some(o)
    }
}

/// `min + (max − min)·(1 − τ^(1/e))`, with `e = 0` giving `max`.
pub(crate) fn concession_target(min: f64, max: f64, exponent: f64, elapsed: f64) -> f64 {
    if exponent <= 0.0 {
        return max;
    }
    let f = elapsed.clamp(0.0, 1.0).powf(1.0 / exponent);
    min + (max - min) * (1.0 - f)
}

impl Agent for TimeBased {
    fn start(&mut self, _me: &AgentView<'_>) {
        self.range = None;
        self.plan = None;
    }

    fn respond(&mut self, me: &AgentView<'_>, turn: &Turn, offer: Offer) -> Response {
        let u = me.utility(offer.outcome);
        match self.plan(me, turn) {
            Some(next) if u > me.utility(next) && u >= me.reservation() => Response::Accept,
            _ => Response::Reject,
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId> {
        self.plan(me, turn)
    }

    /// Under a mediator the strategy decides what the party accepts: a text worth at least its
    /// target for this round (Boulware holds out, Conceder gives way) as well as the hill
    /// climber's floor (the last accepted text and the reservation value).
    fn vote(
        &mut self,
        me: &AgentView<'_>,
        turn: &Turn,
        proposal: OutcomeId,
        accepted: Option<OutcomeId>,
    ) -> Vote {
        if me.utility(proposal) + 1e-12 < self.target(me, turn) {
            return Vote::Reject;
        }
        hill_climbing_vote(me, proposal, accepted)
    }
}
