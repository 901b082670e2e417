//! Negotiation lens (DESIGN §5): protocols, agents, tournaments and sharded sweeps over indexed
//! outcome spaces.
//!
//! The pipeline:
//! 1. Lower a scenario ([`from_scenario`], through the deal lens: see [`scenario`]) or a GENIUS
//!    import into a [`Domain`]: an outcome count and, per party, the utility of every outcome, a
//!    reservation value, an optional discount factor and the outcomes its red lines allow.
//! 2. Build an [`IndexedDomain`] once: per party, the outcomes sorted by utility. Share it behind an
//!    `Arc`; negotiations only read it, so a negotiation costs `O(rounds · log n)`.
//! 3. Run one negotiation with [`negotiate`] / [`negotiate_traced`] (or [`run_sao`],
//!    [`run_mediated`] with your own [`Agent`]s), or many with a [`Tournament`], whole or by
//!    [`Shard`], and [`merge`] the shards back.
//!
//! The engine does no I/O and prints nothing; progress is an atomic counter
//! ([`RunOptions::progress`]). Results are serialisable with serde. Every negotiation is a pure
//! function of the domain, the agents, the protocol and a seed; seeds derive from a master seed with
//! ChaCha8 ([`derive_seed`]), so tournaments give identical results on any thread count and any
//! shard split.
//!
//! The Pareto frontier and the Nash point used by the metrics are inputs ([`Reference`]),
//! computed by the caller (the deal lens).
//!
//! # Conventions (DESIGN §5)
//! - A *round* is one turn per party, party 0 first. GENIUS's discrete time is
//!   `t = round / (R + 1)` ([`Turn::time`]); time-based concession uses the elapsed time
//!   `τ = t − 1/(R + 1)`, so every agent's first offer is its best outcome.
//! - Time-based agents follow GENIUS's `TimeDependentAgent`: target
//!   `P_min + (P_max − P_min)(1 − τ^(1/e))` with `P_max` the best utility and
//!   `P_min = max(worst utility, reservation)`; the offer is the outcome nearest the target (ties:
//!   higher utility, then lower outcome id); acceptance is `AC_next` (`u(offer) ≥ u(next own
//!   offer)`, as GENIUS's code has it) and never below the reservation value.
//! - Every built-in agent accepts only offers worth at least its reservation value; the
//!   red-line-aware wrapper ([`agents::RedLineAware`]) also never offers, accepts or votes for an
//!   outcome outside its owner's red lines.
//! - Discounting (`U·d^t`, `t` the time of agreement) changes reported utilities, not decisions;
//!   without agreement every party gets its (undiscounted) reservation value.
//!
//! ```
//! use redline_negotiate::{
//!     AgentFactory, Domain, IndexedDomain, PartyView, Protocol, SaoConfig, Strategy, negotiate,
//! };
//!
//! // Five outcomes on a line; the buyer likes the low end, the seller the high end.
//! let buyer = PartyView::new("buyer", vec![1.0, 0.8, 0.6, 0.3, 0.0], 0.2);
//! let seller = PartyView::new("seller", vec![0.0, 0.3, 0.6, 0.8, 1.0], 0.2);
//! let domain = IndexedDomain::build(Domain {
//!     name: "line".into(),
//!     outcome_count: 5,
//!     parties: vec![buyer, seller],
//!     issues: None,
//!     public_red_lines: None,
//!     breakdown: None,
//!     mediator: None,
//! })?;
//! let (b, c) = (Strategy::boulware(), Strategy::conceder());
//! let agents: [&dyn AgentFactory; 2] = [&b, &c];
//! let result = negotiate(&domain, &agents, &Protocol::Sao(SaoConfig::with_rounds(20)), 42)?;
//! assert!(result.agreed());
//! assert!(result.utilities.iter().all(|&u| u >= 0.2));
//! # Ok::<(), redline_negotiate::NegotiateError>(())
//! ```

mod agent;
pub mod agents;
mod domain;
mod error;
mod index;
mod mediated;
mod metrics;
mod protocol;
mod result;
mod sao;
pub mod scenario;
mod seed;
mod stats;
mod tournament;
mod validate;

pub use agent::{Agent, AgentFactory, AgentView, Offer, Response, Turn, Vote, hill_climbing_vote};
pub use agents::Strategy;
pub use domain::{Breakdown, Domain, Issue, OutcomeId, PartyView};
pub use error::NegotiateError;
pub use index::{IndexedDomain, SortedIndex};
pub use mediated::{
    MEDIATOR_CANDIDATES, MediatedConfig, MediatorKind, run_mediated, run_mediated_traced,
};
pub use metrics::{Metrics, Reference, distance};
pub use protocol::{Protocol, agent_seed, mediator_seed, negotiate, negotiate_traced};
pub use result::{EndReason, NegotiationResult, Trace, TraceAction, TraceEvent};
pub use sao::{SaoConfig, run_sao, run_sao_traced};
pub use scenario::{Lowered, ScenarioError, from_scenario};
pub use seed::{SeededRng, derive_seed};
pub use stats::{ExactSum, Stats, Summary};
pub use tournament::{
    Bounds, NegotiationRecord, NegotiationSpec, RunOptions, Shard, Tournament, TournamentConfig,
    TournamentDomain, TournamentResult, merge,
};
