//! Stacked alternating offers (SAO), bilateral and multilateral.

use serde::{Deserialize, Serialize};

use crate::NegotiateError;
use crate::agent::{Agent, Offer, Response, Turn};
use crate::index::IndexedDomain;
use crate::result::{
    EndReason, NegotiationResult, NoTrace, Recorder, Trace, TraceAction, final_utilities,
    risky_rounds,
};

/// Settings of the alternating-offers protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaoConfig {
    /// The deadline in rounds; in each round every party acts once, party 0 first.
    pub rounds: u32,
    /// Whether agreements are discounted by the parties' discount factors (`U·d^t`).
    pub discounting: bool,
}

impl Default for SaoConfig {
    fn default() -> Self {
        SaoConfig {
            rounds: 100,
            discounting: true,
        }
    }
}

impl SaoConfig {
    /// `rounds` rounds, discounting on.
    pub fn with_rounds(rounds: u32) -> Self {
        SaoConfig {
            rounds,
            ..Self::default()
        }
    }
}

/// Runs stacked alternating offers; `agents[p]` plays party `p`.
///
/// Semantics (as NegMAS's SAO and GENIUS's SAOP): parties take turns in party order, round after
/// round. The first party offers. At each later turn the party answers the standing offer: it
/// accepts it, rejects it and makes a counter-offer (which becomes the standing offer), or ends the
/// negotiation. An offer is agreed when every other party has accepted it in turn. Time does not
/// pass within a round ([`Turn::time`]). If no offer is agreed after `rounds` rounds there is no
/// agreement.
pub fn run_sao(
    domain: &IndexedDomain,
    agents: &mut [Box<dyn Agent>],
    config: &SaoConfig,
) -> Result<NegotiationResult, NegotiateError> {
    sao(domain, agents, config, &mut NoTrace)
}

/// [`run_sao`], also returning the trace of every action.
pub fn run_sao_traced(
    domain: &IndexedDomain,
    agents: &mut [Box<dyn Agent>],
    config: &SaoConfig,
) -> Result<(NegotiationResult, Trace), NegotiateError> {
    let mut trace = Trace::default();
    let result = sao(domain, agents, config, &mut trace)?;
    Ok((result, trace))
}

pub(crate) fn check_agents(domain: &IndexedDomain, found: usize) -> Result<(), NegotiateError> {
    if found != domain.party_count() {
        return Err(NegotiateError::AgentCount {
            expected: domain.party_count(),
            found,
        });
    }
    Ok(())
}

pub(crate) fn sao<R: Recorder>(
    domain: &IndexedDomain,
    agents: &mut [Box<dyn Agent>],
    config: &SaoConfig,
    rec: &mut R,
) -> Result<NegotiationResult, NegotiateError> {
    if config.rounds == 0 {
        return Err(NegotiateError::NoRounds);
    }
    check_agents(domain, agents.len())?;
    let n = agents.len();
    let outcome_count = domain.outcome_count();
    let rounds = config.rounds;
    let finish = |agreement, end, round: u32| {
        let time = Turn::new(round, rounds).time;
        NegotiationResult {
            agreement,
            end,
            round,
            time,
            utilities: final_utilities(
                domain,
                agreement,
                time,
                risky_rounds(agreement.is_some(), round),
                config.discounting,
            ),
            undiscounted: final_utilities(domain, agreement, time, 0, false),
        }
    };
    for (p, agent) in agents.iter_mut().enumerate() {
        agent.start(&domain.view(p));
    }
    let mut standing: Option<Offer> = None;
    let mut accepts = 0;
    for round in 1..=rounds {
        let turn = Turn::new(round, rounds);
        for (p, agent) in agents.iter_mut().enumerate() {
            let view = domain.view(p);
            if let Some(offer) = standing {
                match agent.respond(&view, &turn, offer) {
                    Response::Accept => {
                        rec.record(
                            domain,
                            round,
                            Some(p),
                            TraceAction::Accept,
                            Some(offer.outcome),
                        );
                        accepts += 1;
                        if accepts == n - 1 {
                            return Ok(finish(Some(offer.outcome), EndReason::Agreement, round));
                        }
                        continue;
                    }
                    Response::End => {
                        rec.record(domain, round, Some(p), TraceAction::End, None);
                        return Ok(finish(None, EndReason::Ended { party: p }, round));
                    }
                    Response::Reject => {
                        rec.record(
                            domain,
                            round,
                            Some(p),
                            TraceAction::Reject,
                            Some(offer.outcome),
                        );
                    }
                }
            }
            match agent.propose(&view, &turn) {
                Some(o) if (o as usize) < outcome_count => {
                    rec.record(domain, round, Some(p), TraceAction::Offer, Some(o));
                    standing = Some(Offer {
                        outcome: o,
                        proposer: p,
                    });
                    accepts = 0;
                }
                Some(o) => {
                    return Err(NegotiateError::InvalidAction {
                        party: p,
                        round,
                        reason: format!(
                            "offered outcome {o}, but the domain has {outcome_count} outcomes"
                        ),
                    });
                }
                None => {
                    rec.record(domain, round, Some(p), TraceAction::End, None);
                    return Ok(finish(None, EndReason::Ended { party: p }, round));
                }
            }
        }
    }
    Ok(finish(None, EndReason::Deadline, rounds))
}
