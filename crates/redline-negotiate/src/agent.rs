//! The agent interface: what an agent sees and what it may do.

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

use crate::domain::{Issue, OutcomeId, PartyView};
use crate::index::SortedIndex;

/// What one agent is allowed to see of the domain: its own party only.
///
/// It holds the party's utilities, reservation value, discount factor, red lines and utility-sorted
/// index, plus the issue layout (public knowledge). It never holds another party's utilities:
/// opponents are known only through their offers.
#[derive(Debug, Clone, Copy)]
pub struct AgentView<'a> {
    party: usize,
    party_count: usize,
    me: &'a PartyView,
    offers: &'a SortedIndex,
    all: &'a SortedIndex,
    acceptable: &'a SortedIndex,
    respectful: &'a SortedIndex,
    public_red_lines: Option<&'a FixedBitSet>,
    issues: Option<&'a [Issue]>,
}

impl<'a> AgentView<'a> {
    #[allow(clippy::too_many_arguments)] // one reference per part of the view; crate-internal
    pub(crate) fn new(
        party: usize,
        party_count: usize,
        me: &'a PartyView,
        all: &'a SortedIndex,
        acceptable: &'a SortedIndex,
        respectful: &'a SortedIndex,
        public_red_lines: Option<&'a FixedBitSet>,
        issues: Option<&'a [Issue]>,
    ) -> Self {
        AgentView {
            party,
            party_count,
            me,
            offers: all,
            all,
            acceptable,
            respectful,
            public_red_lines,
            issues,
        }
    }

    /// The same view, with [`offer_index`](Self::offer_index) narrowed to the outcomes that are
    /// acceptable to this party and break no party's public red line. The red-line-aware
    /// wrapper hands this to the agent it wraps.
    pub fn restricted_to_acceptable(self) -> Self {
        AgentView {
            offers: self.respectful,
            ..self
        }
    }

    /// This agent's party index (its seat; 0 moves first).
    pub fn party(&self) -> usize {
        self.party
    }

    /// This agent's party id.
    pub fn party_id(&self) -> &'a str {
        &self.me.id
    }

    /// How many parties negotiate.
    pub fn party_count(&self) -> usize {
        self.party_count
    }

    /// How many outcomes there are.
    pub fn outcome_count(&self) -> usize {
        self.me.utilities.len()
    }

    /// This party's utility of `outcome`, undiscounted (0 for an id out of range).
    #[inline]
    pub fn utility(&self, outcome: OutcomeId) -> f64 {
        self.me
            .utilities
            .get(outcome as usize)
            .copied()
            .unwrap_or(0.0)
    }

    /// All of this party's utilities, indexed by outcome.
    pub fn utilities(&self) -> &'a [f64] {
        &self.me.utilities
    }

    /// The utility of no agreement.
    pub fn reservation(&self) -> f64 {
        self.me.reservation
    }

    /// The discount factor, when the party has one.
    pub fn discount(&self) -> Option<f64> {
        self.me.discount
    }

    /// The party's red lines (allowed outcomes), when it has any.
    pub fn red_lines(&self) -> Option<&'a FixedBitSet> {
        self.me.red_lines.as_ref()
    }

    /// Whether the party's red lines allow `outcome`.
    #[inline]
    pub fn permits(&self, outcome: OutcomeId) -> bool {
        self.me.permits(outcome)
    }

    /// Whether `outcome` is acceptable: allowed by the red lines and worth at least the
    /// reservation value.
    #[inline]
    pub fn acceptable(&self, outcome: OutcomeId) -> bool {
        self.me.acceptable(outcome)
    }

    /// The outcomes this agent should choose its offers from, best first: every outcome, or only
    /// the acceptable ones when a red-line-aware wrapper restricted the view.
    pub fn offer_index(&self) -> &'a SortedIndex {
        self.offers
    }

    /// Every outcome, best first.
    pub fn full_index(&self) -> &'a SortedIndex {
        self.all
    }

    /// The acceptable outcomes, best first.
    pub fn acceptable_index(&self) -> &'a SortedIndex {
        self.acceptable
    }

    /// The acceptable outcomes that break no party's public red line, best first.
    pub fn respectful_index(&self) -> &'a SortedIndex {
        self.respectful
    }

    /// Whether every party's public red lines allow `outcome` (public knowledge).
    #[inline]
    pub fn publicly_permitted(&self, outcome: OutcomeId) -> bool {
        self.public_red_lines
            .is_none_or(|r| r.contains(outcome as usize))
    }

    /// The issue layout, when the domain has one.
    pub fn issues(&self) -> Option<&'a [Issue]> {
        self.issues
    }
}

/// Where the negotiation stands when an agent is asked to act.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    /// The current round, from 1 to `rounds`. In a round every party acts once.
    pub round: u32,
    /// The deadline in rounds.
    pub rounds: u32,
    /// Normalised time `t = round / (rounds + 1)`, as GENIUS's discrete timeline counts it: it
    /// never reaches 1 before the deadline, and time does not pass within a round.
    pub time: f64,
}

impl Turn {
    pub(crate) fn new(round: u32, rounds: u32) -> Self {
        Turn {
            round,
            rounds,
            time: f64::from(round) / (f64::from(rounds) + 1.0),
        }
    }

    /// Time elapsed since the first round, `(round − 1) / (rounds + 1)`: 0 in the first round.
    /// Time-based concession uses it, so that the first offer is the best one.
    pub fn elapsed(&self) -> f64 {
        f64::from(self.round.saturating_sub(1)) / (f64::from(self.rounds) + 1.0)
    }
}

/// An offer on the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The outcome offered.
    pub outcome: OutcomeId,
    /// The party that offered it.
    pub proposer: usize,
}

/// An agent's answer to the standing offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Response {
    /// Accept the offer.
    Accept,
    /// Reject it; the protocol then asks the agent for a counter-offer.
    Reject,
    /// Walk away: the negotiation ends without agreement.
    End,
}

/// A vote on a mediator's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Vote {
    /// Accept the proposed text.
    Accept,
    /// Reject it.
    Reject,
}

/// A negotiating agent. Implement it to add your own strategy.
///
/// An agent sees only its own party through an [`AgentView`] and the opponents only through their
/// offers. The protocols call:
/// - [`start`](Agent::start) once, before the first round;
/// - in alternating offers, at each of its turns, [`respond`](Agent::respond) to the standing offer
///   of another party (if there is one) and, unless it accepted or ended, [`propose`](Agent::propose);
/// - in the mediated protocol, [`vote`](Agent::vote) on each text the mediator proposes.
///
/// Agents are deterministic functions of their inputs and of the seed they were built with.
pub trait Agent: Send {
    /// Called once before the first round.
    fn start(&mut self, me: &AgentView<'_>) {
        let _ = me;
    }

    /// Answers the standing offer.
    fn respond(&mut self, me: &AgentView<'_>, turn: &Turn, offer: Offer) -> Response;

    /// Makes an offer; `None` ends the negotiation.
    fn propose(&mut self, me: &AgentView<'_>, turn: &Turn) -> Option<OutcomeId>;

    /// Votes on a mediator's proposal, given the last text every party accepted (if any).
    ///
    /// The default is GENIUS's hill-climbing voter: accept a proposal worth at least the reservation
    /// value and at least the last accepted text.
    fn vote(
        &mut self,
        me: &AgentView<'_>,
        turn: &Turn,
        proposal: OutcomeId,
        accepted: Option<OutcomeId>,
    ) -> Vote {
        let _ = turn;
        hill_climbing_vote(me, proposal, accepted)
    }
}

/// GENIUS's hill-climbing vote, made individually rational: accept when the proposal is worth at
/// least the reservation value and at least the last accepted text.
pub fn hill_climbing_vote(
    me: &AgentView<'_>,
    proposal: OutcomeId,
    accepted: Option<OutcomeId>,
) -> Vote {
    let u = me.utility(proposal);
    let floor = accepted.map_or(me.reservation(), |a| me.utility(a).max(me.reservation()));
    if u >= floor {
        Vote::Accept
    } else {
        Vote::Reject
    }
}

/// Builds a fresh agent for each negotiation. Tournaments hold factories, not agents.
pub trait AgentFactory: Send + Sync {
    /// A short stable name for reports (e.g. `"boulware"`).
    fn name(&self) -> String;

    /// A new agent, seeded with `seed` (agents without randomness ignore it).
    fn build(&self, seed: u64) -> Box<dyn Agent>;
}
