//! One entry point for either protocol, building agents from factories with derived seeds.

use serde::{Deserialize, Serialize};

use crate::NegotiateError;
use crate::agent::{Agent, AgentFactory};
use crate::index::IndexedDomain;
use crate::mediated::{MediatedConfig, run_mediated, run_mediated_traced};
use crate::result::{NegotiationResult, Trace, TraceEvent};
use crate::sao::{SaoConfig, run_sao, run_sao_traced};
use crate::seed::derive_seed;

/// A protocol and its settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "protocol", rename_all = "snake_case")]
pub enum Protocol {
    /// Stacked alternating offers.
    Sao(SaoConfig),
    /// Mediated single text.
    Mediated(MediatedConfig),
}

impl Default for Protocol {
    fn default() -> Self {
        Protocol::Sao(SaoConfig::default())
    }
}

impl Protocol {
    /// The deadline in rounds.
    pub fn rounds(&self) -> u32 {
        match self {
            Protocol::Sao(c) => c.rounds,
            Protocol::Mediated(c) => c.rounds,
        }
    }

    /// An upper bound on the bytes that the trace of one negotiation under this protocol holds
    /// at its peak, among `parties` parties, when it runs to the deadline: every step is one
    /// [`TraceEvent`] with a utility per party, and the event vector may be up to twice its
    /// length while it grows. A caller that keeps the trace compares this with its memory
    /// budget before starting.
    pub fn trace_bytes(&self, parties: usize) -> u64 {
        let p = parties as u64;
        let steps_per_round = match self {
            Protocol::Sao(_) => p,
            // One proposal by the mediator, then one vote per party.
            Protocol::Mediated(_) => p + 1,
        };
        // The event, its utilities on the heap, and the allocator's bookkeeping for them.
        let per_step = std::mem::size_of::<TraceEvent>() as u64 + 8 * p + 16;
        u64::from(self.rounds())
            .saturating_mul(steps_per_round)
            .saturating_mul(per_step)
            .saturating_mul(2)
    }

    /// Checks the settings.
    pub fn validate(&self) -> Result<(), NegotiateError> {
        match self {
            Protocol::Sao(c) if c.rounds == 0 => Err(NegotiateError::NoRounds),
            Protocol::Sao(_) => Ok(()),
            Protocol::Mediated(c) => c.validate(),
        }
    }
}

/// The seed of the agent of `party` in a negotiation seeded with `seed`.
pub fn agent_seed(seed: u64, party: usize) -> u64 {
    derive_seed(seed, party as u64 + 1)
}

/// The seed of the mediator in a negotiation seeded with `seed`.
pub fn mediator_seed(seed: u64) -> u64 {
    derive_seed(seed, 0)
}

fn build_agents(factories: &[&dyn AgentFactory], seed: u64) -> Vec<Box<dyn Agent>> {
    factories
        .iter()
        .enumerate()
        .map(|(p, f)| f.build(agent_seed(seed, p)))
        .collect()
}

/// Runs one negotiation: `factories[p]` builds the agent of party `p` with seed
/// [`agent_seed(seed, p)`](agent_seed). The fast path: no trace is kept.
pub fn negotiate(
    domain: &IndexedDomain,
    factories: &[&dyn AgentFactory],
    protocol: &Protocol,
    seed: u64,
) -> Result<NegotiationResult, NegotiateError> {
    let mut agents = build_agents(factories, seed);
    match protocol {
        Protocol::Sao(c) => run_sao(domain, &mut agents, c),
        Protocol::Mediated(c) => run_mediated(domain, &mut agents, c, mediator_seed(seed)),
    }
}

/// [`negotiate`], also returning the full trace.
pub fn negotiate_traced(
    domain: &IndexedDomain,
    factories: &[&dyn AgentFactory],
    protocol: &Protocol,
    seed: u64,
) -> Result<(NegotiationResult, Trace), NegotiateError> {
    let mut agents = build_agents(factories, seed);
    match protocol {
        Protocol::Sao(c) => run_sao_traced(domain, &mut agents, c),
        Protocol::Mediated(c) => run_mediated_traced(domain, &mut agents, c, mediator_seed(seed)),
    }
}
