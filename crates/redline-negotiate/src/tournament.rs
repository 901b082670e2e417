//! Tournaments: agents × domains × role rotation × repetitions, run in parallel, split into shards
//! and merged back.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::NegotiateError;
use crate::agent::{Agent, AgentFactory};
use crate::domain::OutcomeId;
use crate::index::IndexedDomain;
use crate::mediated::run_mediated;
use crate::metrics::{Metrics, Reference};
use crate::protocol::{Protocol, agent_seed, mediator_seed};
use crate::result::{EndReason, NoTrace};
use crate::sao::sao;
use crate::seed::derive_seed;
use crate::stats::{Stats, Summary};

/// Negotiations per unit of parallel work. Fixed, so that work splitting never depends on the
/// thread count.
const CHUNK: u64 = 1024;

/// A domain in a tournament, with the reference its metrics compare against.
#[derive(Debug, Clone)]
pub struct TournamentDomain {
    /// The indexed domain, shared.
    pub domain: Arc<IndexedDomain>,
    /// The Pareto frontier and Nash point, computed by the caller (e.g. the deal lens).
    pub reference: Option<Reference>,
}

/// Tournament settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TournamentConfig {
    /// The protocol every negotiation uses.
    pub protocol: Protocol,
    /// Repetitions of every pairing (they differ only by seed).
    pub repetitions: u32,
    /// The master seed.
    pub seed: u64,
    /// Whether an agent may negotiate against itself.
    pub self_play: bool,
}

impl Default for TournamentConfig {
    fn default() -> Self {
        TournamentConfig {
            protocol: Protocol::default(),
            repetitions: 1,
            seed: 0,
            self_play: false,
        }
    }
}

/// One negotiation of a tournament.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegotiationSpec {
    /// Position in the tournament's list, from 0.
    pub index: u64,
    /// The domain (index into the tournament's domains).
    pub domain: usize,
    /// The agent (index into the tournament's agents) playing each party.
    pub agents: Vec<usize>,
    /// The repetition, from 0.
    pub repetition: u32,
    /// The negotiation's seed: [`derive_seed`]`(master seed, index)`.
    pub seed: u64,
}

/// A slice of a tournament: the negotiations whose index is `index` modulo `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u64,
    /// How many shards the tournament is split into.
    pub count: u64,
}

impl Shard {
    /// The whole tournament.
    pub const ALL: Shard = Shard { index: 0, count: 1 };

    /// Shard `index` of `count` (0-based, as Slurm array and Kubernetes indexed-job indices).
    pub fn new(index: u64, count: u64) -> Result<Self, NegotiateError> {
        if count == 0 || index >= count {
            return Err(NegotiateError::InvalidShard { index, count });
        }
        Ok(Shard { index, count })
    }

    /// Parses `"K/N"`.
    pub fn parse(text: &str) -> Result<Self, NegotiateError> {
        let bad = || NegotiateError::InvalidParameter {
            name: "shard",
            reason: format!("{text:?} is not K/N with 0 <= K < N"),
        };
        let (k, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Self::new(k, n)
    }

    /// Whether negotiation `index` belongs to this shard.
    pub fn contains(&self, index: u64) -> bool {
        index % self.count == self.index
    }

    /// How many of `total` negotiations belong to this shard.
    pub fn len_of(&self, total: u64) -> u64 {
        if self.count > 0 && total > self.index {
            (total - self.index - 1) / self.count + 1
        } else {
            0
        }
    }

    /// The `j`-th negotiation index of this shard.
    fn nth(&self, j: u64) -> u64 {
        self.index + j * self.count
    }
}

impl Default for Shard {
    fn default() -> Self {
        Shard::ALL
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// How to run a tournament.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunOptions<'a> {
    /// Which slice to run ([`Shard::ALL`] by default).
    pub shard: Shard,
    /// Whether to keep one record per negotiation (aggregates are always kept).
    pub keep_records: bool,
    /// Incremented once per finished negotiation, for progress bars.
    pub progress: Option<&'a AtomicU64>,
}

/// The result of one negotiation of a tournament.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NegotiationRecord {
    /// Position in the tournament's list.
    pub index: u64,
    /// The domain index.
    pub domain: usize,
    /// The agent index playing each party.
    pub agents: Vec<usize>,
    /// The repetition.
    pub repetition: u32,
    /// The negotiation's seed.
    pub seed: u64,
    /// Whether the parties agreed.
    pub agreed: bool,
    /// The agreed outcome.
    pub agreement: Option<OutcomeId>,
    /// How it ended.
    pub end: EndReason,
    /// The round in which it ended.
    pub round: u32,
    /// Final utility per party (reservation values without agreement).
    pub utilities: Vec<f64>,
    /// Welfare and distances to the reference.
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// What one negotiation of a tournament can contribute to a result, from the tournament's
/// domains, references and protocol: the ranges [`TournamentResult::validate`] checks counts and
/// sums against. Equal for every shard of one tournament.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bounds {
    /// The fewest parties of a domain (at least 2).
    pub min_parties: u64,
    /// The most parties of a domain.
    pub max_parties: u64,
    /// The deadline: every negotiation ends in a round from 1 to this.
    pub rounds: u32,
    /// The lowest utility a party can end with: the least of 0, every utility, every reservation
    /// value and every coordinate of a reference point. Discounting scales a utility towards 0, so
    /// it stays in range.
    pub min_utility: f64,
    /// The highest utility a party can end with (the greatest of the same values).
    pub max_utility: f64,
}

impl Bounds {
    fn of(domains: &[TournamentDomain], config: &TournamentConfig) -> Self {
        let mut b = Bounds {
            min_parties: u64::MAX,
            max_parties: 0,
            rounds: config.protocol.rounds(),
            min_utility: 0.0,
            max_utility: 0.0,
        };
        for d in domains {
            let parties = d.domain.party_count() as u64;
            b.min_parties = b.min_parties.min(parties);
            b.max_parties = b.max_parties.max(parties);
            let values = d
                .domain
                .domain()
                .parties
                .iter()
                .flat_map(|p| p.utilities.iter().chain(std::iter::once(&p.reservation)));
            let reference = d
                .reference
                .iter()
                .flat_map(|r| r.frontier.iter().flatten().chain(r.nash.iter().flatten()));
            for &x in values.chain(reference) {
                b.min_utility = b.min_utility.min(x);
                b.max_utility = b.max_utility.max(x);
            }
        }
        b
    }

    /// The largest Euclidean distance between two utility vectors in range: a bound on the
    /// distances to the Pareto frontier and the Nash point.
    pub fn max_distance(&self) -> f64 {
        (self.max_parties as f64).sqrt() * (self.max_utility - self.min_utility)
    }
}

/// The result of a tournament or of one of its shards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TournamentResult {
    /// Identifies the tournament (agents, domains, utilities, settings); merging checks it.
    pub fingerprint: u64,
    /// Negotiations in the whole tournament.
    pub total: u64,
    /// The slice this result covers.
    pub shard: Shard,
    /// Negotiations run for this result.
    pub negotiations: u64,
    /// Agent names, by agent index.
    pub agent_names: Vec<String>,
    /// Domain names, by domain index.
    pub domain_names: Vec<String>,
    /// What one negotiation can contribute (checked by [`TournamentResult::validate`]).
    pub bounds: Bounds,
    /// Whether `records` holds every negotiation of the slice.
    pub records_kept: bool,
    /// One record per negotiation, by ascending index (empty unless kept).
    pub records: Vec<NegotiationRecord>,
    /// Aggregates per agent, by agent index.
    pub agent_stats: Vec<Stats>,
    /// Aggregates over all negotiations.
    pub overall: Stats,
}

impl TournamentResult {
    /// Whether this covers the whole tournament.
    pub fn is_complete(&self) -> bool {
        self.negotiations == self.total
    }

    /// One summary row per agent, then one for all negotiations (named `"all"`).
    pub fn summary(&self) -> Vec<Summary> {
        self.agent_stats
            .iter()
            .zip(&self.agent_names)
            .map(|(s, name)| s.summary(name))
            .chain(std::iter::once(self.overall.summary("all")))
            .collect()
    }
}

/// A tournament: a deterministic list of negotiations.
///
/// The list runs domain by domain; within a domain, over every assignment of agents to parties
/// (agent tuples in lexicographic order: this is the role rotation; tuples that repeat an agent are
/// skipped unless `self_play`); within an assignment, over the repetitions. Negotiation `i` is
/// seeded with [`derive_seed`]`(seed, i)`, so results do not depend on the thread count or on
/// how the list is sharded.
pub struct Tournament {
    agents: Vec<Arc<dyn AgentFactory>>,
    agent_names: Vec<String>,
    domains: Vec<TournamentDomain>,
    config: TournamentConfig,
    /// Per domain, the agent tuples.
    tuples: Vec<Vec<Vec<usize>>>,
    /// `offsets[d]` is the index of domain `d`'s first negotiation; the last entry is the total.
    offsets: Vec<u64>,
    fingerprint: u64,
    bounds: Bounds,
}

impl fmt::Debug for Tournament {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tournament")
            .field("agents", &self.agent_names)
            .field("domains", &self.domains.len())
            .field("config", &self.config)
            .field("total", &self.len())
            .finish()
    }
}

impl Tournament {
    /// Builds the list. Fails on invalid settings or references, or when it would be empty.
    pub fn new(
        agents: Vec<Arc<dyn AgentFactory>>,
        domains: Vec<TournamentDomain>,
        config: TournamentConfig,
    ) -> Result<Self, NegotiateError> {
        config.protocol.validate()?;
        if agents.is_empty() {
            return Err(NegotiateError::EmptyTournament {
                reason: "no agents".into(),
            });
        }
        if domains.is_empty() {
            return Err(NegotiateError::EmptyTournament {
                reason: "no domains".into(),
            });
        }
        if config.repetitions == 0 {
            return Err(NegotiateError::EmptyTournament {
                reason: "zero repetitions".into(),
            });
        }
        let agent_names: Vec<String> = agents.iter().map(|a| a.name()).collect();
        let mut tuples = Vec::with_capacity(domains.len());
        let mut offsets = vec![0u64];
        for d in &domains {
            if let Some(r) = &d.reference {
                r.validate(d.domain.name(), d.domain.party_count())?;
            }
            let t = agent_tuples(agents.len(), d.domain.party_count(), config.self_play);
            let count = (t.len() as u64).saturating_mul(u64::from(config.repetitions));
            offsets.push(offsets[offsets.len() - 1].saturating_add(count));
            tuples.push(t);
        }
        if offsets[offsets.len() - 1] == 0 {
            return Err(NegotiateError::EmptyTournament {
                reason: "too few agents to fill a domain's parties without self-play".into(),
            });
        }
        let fingerprint = fingerprint(&agent_names, &domains, &config);
        let bounds = Bounds::of(&domains, &config);
        Ok(Tournament {
            agents,
            agent_names,
            domains,
            config,
            tuples,
            offsets,
            fingerprint,
            bounds,
        })
    }

    /// Number of negotiations.
    pub fn len(&self) -> u64 {
        self.offsets[self.offsets.len() - 1]
    }

    /// Whether there is nothing to run (never true for a built tournament).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fingerprint results carry.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The settings.
    pub fn config(&self) -> &TournamentConfig {
        &self.config
    }

    /// Agent names, by agent index.
    pub fn agent_names(&self) -> &[String] {
        &self.agent_names
    }

    /// The domains.
    pub fn domains(&self) -> &[TournamentDomain] {
        &self.domains
    }

    fn locate(&self, index: u64) -> Option<(usize, &[usize], u32)> {
        if index >= self.len() {
            return None;
        }
        let d = self.offsets.partition_point(|&o| o <= index) - 1;
        let local = index - self.offsets[d];
        let reps = u64::from(self.config.repetitions);
        let tuple = &self.tuples[d][(local / reps) as usize];
        Some((d, tuple, (local % reps) as u32))
    }

    /// Negotiation `index` of the list.
    pub fn spec(&self, index: u64) -> Option<NegotiationSpec> {
        let (domain, agents, repetition) = self.locate(index)?;
        Some(NegotiationSpec {
            index,
            domain,
            agents: agents.to_vec(),
            repetition,
            seed: derive_seed(self.config.seed, index),
        })
    }

    /// The negotiations of `shard`, in order.
    pub fn specs(&self, shard: Shard) -> Vec<NegotiationSpec> {
        (0..shard.len_of(self.len()))
            .filter_map(|j| self.spec(shard.nth(j)))
            .collect()
    }

    /// Runs negotiation `index`.
    pub fn run_one(&self, index: u64) -> Result<NegotiationRecord, NegotiateError> {
        let (d, tuple, repetition) =
            self.locate(index)
                .ok_or_else(|| NegotiateError::InvalidParameter {
                    name: "index",
                    reason: format!(
                        "{index} is past the tournament's {} negotiations",
                        self.len()
                    ),
                })?;
        let seed = derive_seed(self.config.seed, index);
        let td = &self.domains[d];
        let mut agents: Vec<Box<dyn Agent>> = tuple
            .iter()
            .enumerate()
            .map(|(p, &a)| self.agents[a].build(agent_seed(seed, p)))
            .collect();
        let result = match &self.config.protocol {
            Protocol::Sao(c) => sao(&td.domain, &mut agents, c, &mut NoTrace)?,
            Protocol::Mediated(c) => run_mediated(&td.domain, &mut agents, c, mediator_seed(seed))?,
        };
        let metrics = Metrics::of(&result, td.reference.as_ref())
            .with_breaches(td.domain.domain(), result.agreement);
        Ok(NegotiationRecord {
            index,
            domain: d,
            agents: tuple.to_vec(),
            repetition,
            seed,
            agreed: result.agreement.is_some(),
            agreement: result.agreement,
            end: result.end,
            round: result.round,
            utilities: result.utilities,
            metrics,
        })
    }

    /// Runs the negotiations of `options.shard` in parallel (on the current rayon pool).
    ///
    /// The result is identical for any thread count, and merging the results of all shards of a
    /// split gives exactly the result of [`Shard::ALL`] (see [`merge`]).
    pub fn run(&self, options: &RunOptions<'_>) -> Result<TournamentResult, NegotiateError> {
        let shard = options.shard;
        if shard.count == 0 || shard.index >= shard.count {
            return Err(NegotiateError::InvalidShard {
                index: shard.index,
                count: shard.count,
            });
        }
        let n = shard.len_of(self.len());
        let chunks = n.div_ceil(CHUNK);
        let parts: Vec<(Vec<NegotiationRecord>, Vec<Stats>, Stats)> = (0..chunks)
            .into_par_iter()
            .map(|c| {
                let mut records = Vec::new();
                let mut stats = vec![Stats::default(); self.agents.len()];
                let mut overall = Stats::default();
                for j in c * CHUNK..((c + 1) * CHUNK).min(n) {
                    let record = self.run_one(shard.nth(j))?;
                    count(&record, &mut stats, &mut overall);
                    if options.keep_records {
                        records.push(record);
                    }
                    if let Some(p) = options.progress {
                        p.fetch_add(1, Ordering::Relaxed);
                    }
                }
                Ok((records, stats, overall))
            })
            .collect::<Result<_, NegotiateError>>()?;
        let mut records = Vec::with_capacity(if options.keep_records { n as usize } else { 0 });
        let mut agent_stats = vec![Stats::default(); self.agents.len()];
        let mut overall = Stats::default();
        let overflow = || NegotiateError::InvalidResult {
            shard,
            reason: "its aggregates overflow".into(),
        };
        for (r, s, o) in parts {
            records.extend(r);
            for (a, b) in agent_stats.iter_mut().zip(&s) {
                *a = a.checked_merge(b).ok_or_else(overflow)?;
            }
            overall = overall.checked_merge(&o).ok_or_else(overflow)?;
        }
        Ok(TournamentResult {
            fingerprint: self.fingerprint,
            total: self.len(),
            shard,
            negotiations: n,
            agent_names: self.agent_names.clone(),
            domain_names: self
                .domains
                .iter()
                .map(|d| d.domain.name().to_string())
                .collect(),
            bounds: self.bounds,
            records_kept: options.keep_records,
            records,
            agent_stats,
            overall,
        })
    }
}

/// Counts one negotiation into the aggregates: once per seat into its agent's row, once into
/// `overall` with the mean utility over the parties.
pub(crate) fn count(record: &NegotiationRecord, agent_stats: &mut [Stats], overall: &mut Stats) {
    let m = &record.metrics;
    for (p, &a) in record.agents.iter().enumerate() {
        agent_stats[a].add(
            record.agreed,
            record.end,
            record.round,
            record.utilities[p],
            m.welfare,
            m.pareto_distance,
            m.nash_distance,
            m.red_line_breaches > 0,
        );
    }
    let mean = m.welfare / record.utilities.len().max(1) as f64;
    overall.add(
        record.agreed,
        record.end,
        record.round,
        mean,
        m.welfare,
        m.pareto_distance,
        m.nash_distance,
        m.red_line_breaches > 0,
    );
}

/// Merges the results of all shards `0..n` of one split of one tournament into the result of the
/// whole tournament: records by ascending index, aggregates summed exactly.
///
/// Every part is checked first ([`TournamentResult::validate`]), then that they come from one
/// tournament and one split, with every shard exactly once; counters are added with checked
/// arithmetic. A [`NegotiateError::Merge`] names the positions of the parts at fault.
pub fn merge(
    parts: impl IntoIterator<Item = TournamentResult>,
) -> Result<TournamentResult, NegotiateError> {
    let parts: Vec<TournamentResult> = parts.into_iter().collect();
    let fail = |parts: Vec<usize>, reason: String| Err(NegotiateError::Merge { parts, reason });
    let Some(first) = parts.first() else {
        return fail(Vec::new(), "no results to merge".into());
    };
    for (i, p) in parts.iter().enumerate() {
        if let Err(e) = p.validate() {
            return fail(vec![i], e.to_string());
        }
    }
    let count = first.shard.count;
    for (i, p) in parts.iter().enumerate().skip(1) {
        if p.fingerprint != first.fingerprint
            || p.total != first.total
            || p.agent_names != first.agent_names
            || p.domain_names != first.domain_names
            || p.bounds != first.bounds
        {
            return fail(
                vec![0, i],
                format!(
                    "shard {} comes from a different tournament than shard {}",
                    p.shard, first.shard
                ),
            );
        }
        if p.shard.count != count {
            return fail(
                vec![0, i],
                format!(
                    "shard {} and shard {} come from different splits",
                    p.shard, first.shard
                ),
            );
        }
        if p.records_kept != first.records_kept {
            return fail(
                vec![0, i],
                "some shards kept their records and others did not".into(),
            );
        }
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| parts[i].shard.index);
    for (k, &i) in order.iter().enumerate() {
        let index = parts[i].shard.index;
        if index < k as u64 {
            return fail(
                vec![order[k - 1], i],
                format!("shard {} appears twice", parts[i].shard),
            );
        }
        if index > k as u64 {
            return fail(Vec::new(), format!("shard {k}/{count} is missing"));
        }
    }
    if parts.len() as u64 != count {
        return fail(
            Vec::new(),
            format!("shard {}/{count} is missing", parts.len()),
        );
    }
    let mut parts = parts.into_iter().enumerate();
    let Some((_, mut merged)) = parts.next() else {
        return fail(Vec::new(), "no results to merge".into());
    };
    for (i, p) in parts {
        let overflow = || NegotiateError::Merge {
            parts: vec![i],
            reason: format!("adding shard {} overflows the aggregates", p.shard),
        };
        merged.negotiations = merged
            .negotiations
            .checked_add(p.negotiations)
            .ok_or_else(overflow)?;
        for (a, b) in merged.agent_stats.iter_mut().zip(&p.agent_stats) {
            *a = a.checked_merge(b).ok_or_else(overflow)?;
        }
        merged.overall = merged
            .overall
            .checked_merge(&p.overall)
            .ok_or_else(overflow)?;
        merged.records.extend(p.records);
    }
    merged.records.sort_unstable_by_key(|r| r.index);
    merged.shard = Shard::ALL;
    Ok(merged)
}

/// Every `parties`-tuple of agent indices, lexicographically; without repeats unless `self_play`.
fn agent_tuples(agents: usize, parties: usize, self_play: bool) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current = Vec::with_capacity(parties);
    fn rec(
        agents: usize,
        parties: usize,
        self_play: bool,
        current: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if current.len() == parties {
            out.push(current.clone());
            return;
        }
        for a in 0..agents {
            if !self_play && current.contains(&a) {
                continue;
            }
            current.push(a);
            rec(agents, parties, self_play, current, out);
            current.pop();
        }
    }
    rec(agents, parties, self_play, &mut current, &mut out);
    out
}

/// FNV-1a over everything that defines the list and its results.
fn fingerprint(names: &[String], domains: &[TournamentDomain], config: &TournamentConfig) -> u64 {
    struct Fnv(u64);
    impl Fnv {
        fn bytes(&mut self, b: &[u8]) {
            for &x in b {
                self.0 ^= u64::from(x);
                self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
            }
        }
        fn u64(&mut self, x: u64) {
            self.bytes(&x.to_le_bytes());
        }
        fn str(&mut self, s: &str) {
            self.u64(s.len() as u64);
            self.bytes(s.as_bytes());
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    h.u64(names.len() as u64);
    names.iter().for_each(|n| h.str(n));
    h.u64(domains.len() as u64);
    for d in domains {
        let dom = d.domain.domain();
        h.str(&dom.name);
        h.u64(dom.outcome_count as u64);
        for p in &dom.parties {
            h.str(&p.id);
            h.u64(p.reservation.to_bits());
            h.u64(p.discount.map_or(u64::MAX, f64::to_bits));
            p.utilities.iter().for_each(|u| h.u64(u.to_bits()));
            if let Some(r) = &p.red_lines {
                r.as_slice().iter().for_each(|&w| h.u64(w as u64));
            }
        }
        h.str(&format!("{:?}", d.reference));
    }
    h.str(&format!("{config:?}"));
    h.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_rotate_roles() {
        assert_eq!(agent_tuples(2, 2, false), vec![vec![0, 1], vec![1, 0]]);
        assert_eq!(agent_tuples(2, 2, true).len(), 4);
        assert_eq!(agent_tuples(3, 2, false).len(), 6);
        assert_eq!(agent_tuples(3, 3, false).len(), 6);
        assert!(agent_tuples(1, 2, false).is_empty());
    }

    #[test]
    fn shards_partition_the_indices() {
        for total in [0u64, 1, 5, 17, 1024, 1025] {
            for count in 1..6 {
                let mut seen = vec![0u32; total as usize];
                for k in 0..count {
                    let s = Shard::new(k, count).unwrap();
                    for j in 0..s.len_of(total) {
                        seen[s.nth(j) as usize] += 1;
                        assert!(s.contains(s.nth(j)));
                    }
                }
                assert!(seen.iter().all(|&c| c == 1), "{total} {count}");
            }
        }
        assert!(Shard::new(3, 3).is_err());
        assert!(Shard::new(0, 0).is_err());
        assert_eq!(Shard::parse("2/8").unwrap(), Shard { index: 2, count: 8 });
        assert!(Shard::parse("8/8").is_err());
        assert!(Shard::parse("x").is_err());
        // A hand-built invalid shard selects nothing rather than dividing by zero.
        assert_eq!(Shard { index: 0, count: 0 }.len_of(10), 0);
    }
}
