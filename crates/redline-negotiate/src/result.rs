//! What a negotiation returns: the result, and on request the full trace.

use serde::{Deserialize, Serialize};

use crate::domain::OutcomeId;
use crate::index::IndexedDomain;

/// How a negotiation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EndReason {
    /// Every party accepted the same outcome.
    Agreement,
    /// The deadline passed without agreement.
    Deadline,
    /// A party walked away.
    Ended {
        /// The party that ended the negotiation.
        party: usize,
    },
}

/// The result of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NegotiationResult {
    /// The agreed outcome, if any.
    pub agreement: Option<OutcomeId>,
    /// How it ended.
    pub end: EndReason,
    /// The round in which it ended (1-based; the deadline round when time ran out).
    pub round: u32,
    /// Normalised time at the end, `round / (rounds + 1)`.
    pub time: f64,
    /// Per party: the agreement's utility, discounted as `U·d^time` when discounting is on and the
    /// party has a discount factor; without agreement, the reservation value.
    pub utilities: Vec<f64>,
    /// Per party: the same, undiscounted. Distances to the Pareto frontier and the Nash point are
    /// measured here, in the utility space those references live in.
    #[serde(default)]
    pub undiscounted: Vec<f64>,
}

impl NegotiationResult {
    /// Whether the parties agreed.
    pub fn agreed(&self) -> bool {
        self.agreement.is_some()
    }

    /// The rounds that passed without agreement, each carrying a breakdown risk
    /// ([`risky_rounds`]).
    pub fn risky_rounds(&self) -> u32 {
        risky_rounds(self.agreed(), self.round)
    }

    /// Sum of the utilities.
    pub fn welfare(&self) -> f64 {
        self.utilities.iter().sum()
    }
}

/// What happened at one step of a trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TraceAction {
    /// A party offered `outcome`.
    Offer,
    /// A party accepted the standing offer `outcome`.
    Accept,
    /// A party rejected the standing offer `outcome`.
    Reject,
    /// A party ended the negotiation.
    End,
    /// The mediator proposed the text `outcome`.
    Propose,
    /// A party voted for the text `outcome`.
    VoteAccept,
    /// A party voted against the text `outcome`.
    VoteReject,
    /// Every party accepted the text `outcome`: it is the new single text.
    Adopt,
}

/// One step of a trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceEvent {
    /// The round (1-based).
    pub round: u32,
    /// The acting party; `None` for the mediator.
    pub party: Option<usize>,
    /// What it did.
    pub action: TraceAction,
    /// The outcome concerned, if any.
    pub outcome: Option<OutcomeId>,
    /// Every party's undiscounted utility of that outcome (empty when there is none).
    pub utilities: Vec<f64>,
}

/// The full record of a negotiation, step by step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The steps, in order.
    pub events: Vec<TraceEvent>,
}

/// Receives the steps of a negotiation. The fast path uses [`NoTrace`], which compiles to nothing.
pub(crate) trait Recorder {
    fn record(
        &mut self,
        domain: &IndexedDomain,
        round: u32,
        party: Option<usize>,
        action: TraceAction,
        outcome: Option<OutcomeId>,
    );
}

/// Records nothing.
pub(crate) struct NoTrace;

impl Recorder for NoTrace {
    #[inline(always)]
    fn record(
        &mut self,
        _: &IndexedDomain,
        _: u32,
        _: Option<usize>,
        _: TraceAction,
        _: Option<OutcomeId>,
    ) {
    }
}

impl Recorder for Trace {
    fn record(
        &mut self,
        domain: &IndexedDomain,
        round: u32,
        party: Option<usize>,
        action: TraceAction,
        outcome: Option<OutcomeId>,
    ) {
        let utilities = match outcome {
            Some(o) => (0..domain.party_count())
                .map(|p| domain.utility(p, o).unwrap_or(f64::NAN))
                .collect(),
            None => Vec::new(),
        };
        self.events.push(TraceEvent {
            round,
            party,
            action,
            outcome,
            utilities,
        });
    }
}

/// Final utilities: discounted agreement utilities, or reservation values.
/// The rounds that passed without agreement when a negotiation ends in `round`: the rounds
/// before it for an agreement, all of them for a failure. The breakdown risk applies to each.
pub fn risky_rounds(agreed: bool, round: u32) -> u32 {
    if agreed {
        round.saturating_sub(1)
    } else {
        round
    }
}

/// What each party gets: the agreement's utility (discounted when `discounting` is on and the
/// party has a discount factor), or its reservation value; with discounting on and a breakdown
/// risk in the domain, the expected value after `risky_rounds` rounds without agreement.
pub(crate) fn final_utilities(
    domain: &IndexedDomain,
    agreement: Option<OutcomeId>,
    time: f64,
    risky_rounds: u32,
    discounting: bool,
) -> Vec<f64> {
    let d = domain.domain();
    let survival = match &d.breakdown {
        Some(b) if discounting => Some((b, b.survival(risky_rounds))),
        _ => None,
    };
    d.parties
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let u = match agreement {
                Some(o) => {
                    let u = p.utilities[o as usize];
                    match p.discount {
                        Some(d) if discounting => u * d.powf(time),
                        _ => u,
                    }
                }
                None => p.reservation,
            };
            match survival {
                Some((b, s)) => s * u + (1.0 - s) * b.utilities[i],
                None => u,
            }
        })
        .collect()
}
