//! The mediated single-text protocol.

use serde::{Deserialize, Serialize};

use crate::NegotiateError;
use crate::agent::{Agent, Turn, Vote};
use crate::domain::OutcomeId;
use crate::index::IndexedDomain;
use crate::result::{
    EndReason, NegotiationResult, NoTrace, Recorder, Trace, TraceAction, final_utilities,
    risky_rounds,
};
use crate::sao::check_agents;
use crate::seed::SeededRng;

/// How the mediator moves its single text.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MediatorKind {
    /// Hill climbing (GENIUS's `RandomFlippingMediator`): the text moves only to a proposal every
    /// party accepted.
    HillClimbing,
    /// Simulated annealing: the text also moves to a proposal that `k` parties rejected, with
    /// probability `exp(−k / T)`, where the temperature `T = temperature · (1 − τ)` cools to 0 at
    /// the deadline (`τ` the elapsed time, [`Turn::elapsed`]).
    Annealing {
        /// The starting temperature (> 0).
        temperature: f64,
    },
}

/// Settings of the mediated single-text protocol.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MediatedConfig {
    /// The deadline in rounds; one proposal and one vote per party per round.
    pub rounds: u32,
    /// How the mediator moves its text.
    pub mediator: MediatorKind,
    /// Whether the agreement is discounted by the parties' discount factors.
    pub discounting: bool,
}

impl Default for MediatedConfig {
    fn default() -> Self {
        MediatedConfig {
            rounds: 100,
            mediator: MediatorKind::HillClimbing,
            discounting: true,
        }
    }
}

impl MediatedConfig {
    /// Checks the settings.
    pub fn validate(&self) -> Result<(), NegotiateError> {
        if self.rounds == 0 {
            return Err(NegotiateError::NoRounds);
        }
        if let MediatorKind::Annealing { temperature } = self.mediator
            && !(temperature.is_finite() && temperature > 0.0)
        {
            return Err(NegotiateError::InvalidParameter {
                name: "temperature",
                reason: format!("{temperature} is not a finite number > 0"),
            });
        }
        Ok(())
    }
}

/// Runs the mediated single-text protocol; `agents[p]` plays party `p`, `seed` drives the mediator.
///
/// Semantics (GENIUS's `SimpleMediatorBasedProtocol` with a flipping mediator): each round the
/// mediator proposes a text and every party votes on it ([`Agent::vote`], told the last text all
/// accepted). Until some text is accepted by all, proposals are uniformly random outcomes; after
/// that, each proposal changes one issue of the mediator's current text to another value (with no
/// issue layout: another uniformly random outcome). A text every party accepts becomes the adopted
/// text. At the deadline the last adopted text is the agreement; if none was, there is none.
///
/// A mediator with interests ([`Domain::mediator`](crate::Domain::mediator)) draws
/// [`MEDIATOR_CANDIDATES`] texts each round and proposes the one it likes best.
///
/// The mediator never proposes a text that breaks a party's public red line
/// ([`Domain::public_red_lines`](crate::Domain::public_red_lines)): random texts are drawn from
/// the outcomes those allow, and a one-issue change that breaks one is redrawn.
pub fn run_mediated(
    domain: &IndexedDomain,
    agents: &mut [Box<dyn Agent>],
    config: &MediatedConfig,
    seed: u64,
) -> Result<NegotiationResult, NegotiateError> {
    mediated(domain, agents, config, seed, &mut NoTrace)
}

/// [`run_mediated`], also returning the trace.
pub fn run_mediated_traced(
    domain: &IndexedDomain,
    agents: &mut [Box<dyn Agent>],
    config: &MediatedConfig,
    seed: u64,
) -> Result<(NegotiationResult, Trace), NegotiateError> {
    let mut trace = Trace::default();
    let result = mediated(domain, agents, config, seed, &mut trace)?;
    Ok((result, trace))
}

/// How many one-issue changes the mediator tries for one that keeps inside every public red
/// line, before it proposes a random outcome that does.
const NEIGHBOUR_TRIES: usize = 32;

/// Proposal generator: random outcomes, or one-issue changes, never breaking a public red line.
struct Flipper<'a> {
    /// `(stride, size)` of every issue with at least two values.
    issues: Vec<(u64, u64)>,
    outcome_count: u64,
    /// With public red lines: the set they allow and its members (what the mediator may
    /// propose).
    permitted: Option<(&'a fixedbitset::FixedBitSet, Vec<OutcomeId>)>,
}

impl<'a> Flipper<'a> {
    fn new(domain: &'a IndexedDomain) -> Self {
        let mut issues = Vec::new();
        if let Some(layout) = &domain.domain().issues {
            let mut stride = 1u64;
            for issue in layout.iter().rev() {
                let size = issue.values.len() as u64;
                if size >= 2 {
                    issues.push((stride, size));
                }
                stride = stride.saturating_mul(size);
            }
            issues.reverse();
        }
        Flipper {
            issues,
            outcome_count: domain.outcome_count() as u64,
            permitted: domain
                .domain()
                .public_red_lines
                .as_ref()
                .map(|r| (r, r.ones().map(|o| o as OutcomeId).collect())),
        }
    }

    /// The next proposal: a random outcome before any text, then a one-issue change of the
    /// text. With public red lines, only outcomes they allow: a change that breaks one is
    /// redrawn, and after [`NEIGHBOUR_TRIES`] the mediator proposes a random allowed outcome.
    /// `None` when the public red lines allow nothing.
    fn propose(&self, rng: &mut SeededRng, text: Option<OutcomeId>) -> Option<OutcomeId> {
        let Some((allowed, members)) = &self.permitted else {
            return Some(match text {
                None => self.random(rng),
                Some(t) => self.neighbour(rng, t),
            });
        };
        if members.is_empty() {
            return None;
        }
        if let Some(t) = text {
            for _ in 0..NEIGHBOUR_TRIES {
                let n = self.neighbour(rng, t);
                if allowed.contains(n as usize) {
                    return Some(n);
                }
            }
        }
        Some(members[rng.below(members.len() as u64) as usize])
    }

    fn random(&self, rng: &mut SeededRng) -> OutcomeId {
        rng.below(self.outcome_count) as OutcomeId
    }

    fn neighbour(&self, rng: &mut SeededRng, text: OutcomeId) -> OutcomeId {
        let text = u64::from(text);
        if self.issues.is_empty() {
            if self.outcome_count < 2 {
                return text as OutcomeId;
            }
            let r = rng.below(self.outcome_count - 1);
            return (if r >= text { r + 1 } else { r }) as OutcomeId;
        }
        let (stride, size) = self.issues[rng.below(self.issues.len() as u64) as usize];
        let value = (text / stride) % size;
        let r = rng.below(size - 1);
        let new = if r >= value { r + 1 } else { r };
        (text - value * stride + new * stride) as OutcomeId
    }
}

/// How many candidate texts a mediator with interests draws each round before proposing the one
/// it likes best.
pub const MEDIATOR_CANDIDATES: usize = 4;

/// The mediator's proposal: a neutral mediator's draw, or, for a mediator with interests, the
/// best for itself of [`MEDIATOR_CANDIDATES`] draws (the first on ties).
fn propose(
    domain: &IndexedDomain,
    flipper: &Flipper<'_>,
    rng: &mut SeededRng,
    text: Option<OutcomeId>,
) -> Option<OutcomeId> {
    let Some(own) = &domain.domain().mediator else {
        return flipper.propose(rng, text);
    };
    let mut best: Option<OutcomeId> = None;
    for _ in 0..MEDIATOR_CANDIDATES {
        let c = flipper.propose(rng, text)?;
        if best.is_none_or(|b| own[c as usize] > own[b as usize]) {
            best = Some(c);
        }
    }
    best
}

fn mediated<R: Recorder>(
    domain: &IndexedDomain,
    agents: &mut [Box<dyn Agent>],
    config: &MediatedConfig,
    seed: u64,
    rec: &mut R,
) -> Result<NegotiationResult, NegotiateError> {
    config.validate()?;
    check_agents(domain, agents.len())?;
    let rounds = config.rounds;
    let mut rng = SeededRng::new(seed);
    let flipper = Flipper::new(domain);
    for (p, agent) in agents.iter_mut().enumerate() {
        agent.start(&domain.view(p));
    }
    let mut adopted: Option<OutcomeId> = None;
    let mut text: Option<OutcomeId> = None;
    for round in 1..=rounds {
        let turn = Turn::new(round, rounds);
        let Some(proposal) = propose(domain, &flipper, &mut rng, text) else {
            continue;
        };
        rec.record(domain, round, None, TraceAction::Propose, Some(proposal));
        let mut rejections = 0u32;
        for (p, agent) in agents.iter_mut().enumerate() {
            let vote = agent.vote(&domain.view(p), &turn, proposal, adopted);
            let action = match vote {
                Vote::Accept => TraceAction::VoteAccept,
                Vote::Reject => {
                    rejections += 1;
                    TraceAction::VoteReject
                }
            };
            rec.record(domain, round, Some(p), action, Some(proposal));
        }
        if rejections == 0 {
            adopted = Some(proposal);
            text = Some(proposal);
            rec.record(domain, round, None, TraceAction::Adopt, Some(proposal));
        } else if let MediatorKind::Annealing { temperature } = config.mediator
            && text.is_some()
        {
            let t = temperature * (1.0 - turn.elapsed());
            if t > 0.0 && rng.chance((-f64::from(rejections) / t).exp()) {
                text = Some(proposal);
            }
        }
    }
    let time = Turn::new(rounds, rounds).time;
    let end = if adopted.is_some() {
        EndReason::Agreement
    } else {
        EndReason::Deadline
    };
    Ok(NegotiationResult {
        agreement: adopted,
        end,
        round: rounds,
        time,
        // The text stands at the deadline: every round before it carried the breakdown risk.
        utilities: final_utilities(
            domain,
            adopted,
            time,
            risky_rounds(adopted.is_some(), rounds),
            config.discounting,
        ),
        undiscounted: final_utilities(domain, adopted, time, 0, false),
    })
}
