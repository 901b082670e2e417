//! Errors of the negotiation engine.

/// Why a domain, a configuration, a negotiation or a merge was refused.
///
/// Every input that can be wrong has a variant here: the engine never panics on bad input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NegotiateError {
    /// The domain has no outcomes.
    #[error("the domain has no outcomes")]
    NoOutcomes,
    /// The domain has more outcomes than the engine indexes (outcome ids are `u32`).
    #[error("the domain has {count} outcomes; at most {max} are supported")]
    TooManyOutcomes {
        /// Outcomes in the domain.
        count: usize,
        /// The largest supported count.
        max: usize,
    },
    /// A negotiation needs at least two parties.
    #[error("a negotiation needs at least 2 parties, the domain has {count}")]
    TooFewParties {
        /// Parties in the domain.
        count: usize,
    },
    /// Two parties share an id.
    #[error("two parties share the id {id:?}; party ids must be unique")]
    DuplicateParty {
        /// The repeated id.
        id: String,
    },
    /// A party's utility vector does not have one entry per outcome.
    #[error("party {party:?} has {found} utilities, the domain has {expected} outcomes")]
    UtilityLength {
        /// The party id.
        party: String,
        /// Outcomes in the domain.
        expected: usize,
        /// Utilities given.
        found: usize,
    },
    /// A utility, reservation value or discount factor is NaN or infinite.
    #[error("party {party:?}: {what} is not a finite number")]
    NotFinite {
        /// The party id.
        party: String,
        /// What is not finite, e.g. `"the utility of outcome 7"`.
        what: String,
    },
    /// A discount factor outside (0, 1].
    #[error("party {party:?}: discount factor {value} is outside (0, 1]")]
    InvalidDiscount {
        /// The party id.
        party: String,
        /// The factor given.
        value: f64,
    },
    /// A party's red-line set does not have one bit per outcome.
    #[error("party {party:?}: the red-line set covers {found} outcomes, the domain has {expected}")]
    RedLineLength {
        /// The party id.
        party: String,
        /// Outcomes in the domain.
        expected: usize,
        /// Bits given.
        found: usize,
    },
    /// The issue layout does not multiply out to the outcome count.
    #[error(
        "the issues give {product} outcomes (product of their sizes), the domain has {expected}"
    )]
    IssueLayout {
        /// The product of the issue sizes (saturated).
        product: usize,
        /// Outcomes in the domain.
        expected: usize,
    },
    /// An issue has no values.
    #[error("issue {issue:?} has no values")]
    EmptyIssue {
        /// The issue name.
        issue: String,
    },
    /// A negotiation needs at least one round.
    #[error("the deadline must be at least 1 round")]
    NoRounds,
    /// A parameter is outside its allowed range.
    #[error("invalid parameter {name}: {reason}")]
    InvalidParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The number of agents does not match the number of parties.
    #[error("{found} agents were given for {expected} parties")]
    AgentCount {
        /// Parties in the domain.
        expected: usize,
        /// Agents given.
        found: usize,
    },
    /// An agent chose an action the protocol does not allow.
    #[error("agent of party {party} in round {round}: {reason}")]
    InvalidAction {
        /// The party index.
        party: usize,
        /// The round (1-based).
        round: u32,
        /// What was wrong.
        reason: String,
    },
    /// An agent name could not be parsed.
    #[error(
        "unknown agent {name:?}: expected boulware, linear, conceder, time:<e>, tit-for-tat, aspiration[:<exponent>], hardliner, random[:<p_accept>] or redline:<agent>"
    )]
    UnknownAgent {
        /// The name given.
        name: String,
    },
    /// A Pareto/Nash reference does not fit its domain.
    #[error("the reference for domain {domain:?} is invalid: {reason}")]
    InvalidReference {
        /// The domain name.
        domain: String,
        /// What is wrong.
        reason: String,
    },
    /// A tournament with nothing to run.
    #[error("the tournament is empty: {reason}")]
    EmptyTournament {
        /// Why.
        reason: String,
    },
    /// A shard `k/n` with `n == 0` or `k >= n`.
    #[error("shard {index}/{count} is out of range: need count >= 1 and index < count")]
    InvalidShard {
        /// The shard index.
        index: u64,
        /// The shard count.
        count: u64,
    },
    /// A tournament result that no run can have produced: counts that contradict each other or
    /// the shard's share of the tournament, sums outside what the counts allow, incomplete tables,
    /// records outside the shard (a tampered or corrupt shard file).
    #[error("the result of shard {shard} is inconsistent: {reason}")]
    InvalidResult {
        /// The shard the result claims to be.
        shard: crate::Shard,
        /// What is wrong.
        reason: String,
    },
    /// Shards that cannot be merged.
    #[error("cannot merge: {reason}")]
    Merge {
        /// The positions, in the merge's input, of the results at fault (empty when no one result
        /// is, e.g. when a shard is missing).
        parts: Vec<usize>,
        /// Why.
        reason: String,
    },
}
