//! `tournament` and `merge`: every agent against every other over every role assignment and
//! repetition, whole or one deterministic shard, and the shard format that `merge` joins back
//! into exactly the unsharded result.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use redline_model::Scenario;
use redline_negotiate::{
    AgentFactory, NegotiateError, Protocol, RunOptions, Shard, Strategy, Summary, Tournament,
    TournamentConfig, TournamentDomain, TournamentResult,
};
use serde::{Deserialize, Serialize};

use crate::negotiation::Prepared;
use crate::{Control, Error, Progress, Task};

/// The JSON schema name of tournament and shard documents.
pub const SCHEMA: &str = "redline.tournament/v1";

/// What defines a tournament, as reported in `params`. Shards of one tournament have equal params
/// but for `shard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub scenarios: Vec<String>,
    pub agents: Vec<String>,
    pub repetitions: u32,
    pub rounds: u32,
    pub seed: u64,
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// The `result` of `redline tournament --format json`, of a shard file and of `redline merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// One row per agent, then `all`.
    pub summary: Vec<Summary>,
    /// The engine's result: exact aggregates (fixed-point sums as strings), fingerprint, shard.
    pub tournament: TournamentResult,
}

impl Output {
    /// The output of a run; per-negotiation records go elsewhere (JSON Lines), so that shard
    /// files stay small and merge back into exactly the unsharded result.
    pub fn new(mut tournament: TournamentResult) -> Self {
        tournament.records.clear();
        tournament.records_kept = false;
        Output {
            summary: tournament.summary(),
            tournament,
        }
    }
}

/// A shard file as `redline tournament --shard K/N --out FILE` writes it.
#[derive(Debug, Clone, Deserialize)]
pub struct ShardFile {
    pub schema: String,
    pub scenario: Option<String>,
    pub params: Params,
    pub result: Output,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct TournamentParams {
    pub agents: Vec<Strategy>,
    pub repetitions: u32,
    pub rounds: u32,
    pub seed: u64,
    pub protocol: Protocol,
    /// Which shard (`Shard::ALL` for the whole tournament) and whether it was asked for.
    pub shard: Shard,
    pub sharded: bool,
    /// Keep one record per negotiation (for JSON Lines).
    pub keep_records: bool,
}

/// Parses `K/N`.
pub fn parse_shard(s: &str) -> Result<Shard, Error> {
    Shard::parse(s).map_err(|_| {
        Error::bad(
            format!(
                "--shard {s:?}: expected K/N with 0 <= K < N (e.g. 0/4), as Slurm array and Kubernetes job indices"
            ),
            None,
        )
    })
}

/// A finished tournament run, with what its per-negotiation records need to be read: per
/// scenario, the party ids and the deal lens's index of every engine outcome (one index space
/// with `redline deal`).
#[derive(Debug)]
pub struct TournamentRun {
    pub params: Params,
    pub result: TournamentResult,
    pub party_ids: Vec<Vec<String>>,
    pub deal_index: Vec<Vec<usize>>,
}

/// Runs a tournament over prepared scenarios. Progress: [`Task::Tournament`], negotiations done
/// out of the shard's.
pub fn tournament(
    scenarios: Vec<(Scenario, Prepared)>,
    p: &TournamentParams,
    control: &Control<'_>,
) -> Result<TournamentRun, Error> {
    if p.repetitions == 0 {
        return Err(Error::bad("--repetitions must be at least 1", None));
    }
    let mut ids = Vec::new();
    let mut party_ids: Vec<Vec<String>> = Vec::new();
    let mut domains = Vec::new();
    let mut deal_index = Vec::new();
    for (sc, prepared) in scenarios {
        let parties = prepared.lowered.domain.parties.len();
        if p.agents.len() < parties {
            return Err(Error::bad(
                format!(
                    "{} agents for the {parties} parties of `{}`: a tournament needs at least one agent per party",
                    p.agents.len(),
                    sc.id
                ),
                None,
            ));
        }
        ids.push(sc.id.clone());
        party_ids.push(
            prepared
                .lowered
                .domain
                .parties
                .iter()
                .map(|x| x.id.clone())
                .collect(),
        );
        deal_index.push(prepared.lowered.deal_index.clone());
        domains.push(TournamentDomain {
            domain: Arc::new(prepared.domain),
            reference: Some(prepared.reference),
        });
    }
    let agents: Vec<Arc<dyn AgentFactory>> = p
        .agents
        .iter()
        .map(|s| Arc::new(s.clone()) as Arc<dyn AgentFactory>)
        .collect();
    let config = TournamentConfig {
        protocol: p.protocol,
        repetitions: p.repetitions,
        seed: p.seed,
        self_play: false,
    };
    let t =
        Tournament::new(agents, domains, config).map_err(|e| Error::bad(e.to_string(), None))?;
    let params = Params {
        scenarios: ids,
        agents: t.agent_names().to_vec(),
        repetitions: p.repetitions,
        rounds: p.rounds,
        seed: p.seed,
        protocol: p.protocol,
        shard: p.sharded.then(|| p.shard.to_string()),
    };
    let total = p.shard.len_of(t.len());
    let counter = AtomicU64::new(0);
    let options = RunOptions {
        shard: p.shard,
        keep_records: p.keep_records,
        progress: Some(&counter),
    };
    // The worker says when it is done, so the caller waits no longer than the run (a sleep loop
    // added up to one polling interval to every tournament); progress is reported meanwhile.
    let (finished, wait) = std::sync::mpsc::channel::<()>();
    let result = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let r = t.run(&options);
            let _ = finished.send(());
            r
        });
        while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(Duration::from_millis(50)) {
            control.report(Progress {
                task: Task::Tournament,
                done: counter.load(Ordering::Relaxed),
                total,
            });
        }
        worker.join()
    });
    match result {
        Ok(Ok(result)) => Ok(TournamentRun {
            params,
            result,
            party_ids,
            deal_index,
        }),
        Ok(Err(e)) => Err(Error::Failed(format!("tournament: {e}"))),
        Err(_) => Err(Error::Failed("tournament: a worker panicked".into())),
    }
}

/// What one shard file must satisfy on its own: its result is consistent in itself
/// ([`TournamentResult::validate`]), its summary is that of its aggregates, and its params
/// describe that result.
pub fn check_shard(f: &ShardFile) -> Result<(), String> {
    if f.schema != SCHEMA {
        return Err(format!("schema {:?}, expected {SCHEMA:?}", f.schema));
    }
    let t = &f.result.tournament;
    t.validate().map_err(|e| e.to_string())?;
    let p = &f.params;
    let shard = match &p.shard {
        Some(s) => Shard::parse(s).map_err(|_| format!("params.shard {s:?} is not K/N"))?,
        None => Shard::ALL,
    };
    if shard != t.shard {
        return Err(format!(
            "params.shard says {shard}, the result is shard {}",
            t.shard
        ));
    }
    if p.agents != t.agent_names {
        return Err(format!(
            "params.agents {:?} are not the result's agents {:?}, in that order",
            p.agents, t.agent_names
        ));
    }
    if p.scenarios != t.domain_names {
        return Err(format!(
            "params.scenarios {:?} are not the result's scenarios {:?}",
            p.scenarios, t.domain_names
        ));
    }
    if f.scenario.as_deref() != Some(p.scenarios.join(",").as_str()) {
        return Err(format!(
            "scenario {:?} does not name params.scenarios {:?}",
            f.scenario, p.scenarios
        ));
    }
    if p.rounds != p.protocol.rounds() || p.rounds != t.bounds.rounds {
        return Err(format!(
            "params.rounds {}, the protocol's deadline {} and the result's {} differ",
            p.rounds,
            p.protocol.rounds(),
            t.bounds.rounds
        ));
    }
    if p.repetitions == 0 || !t.total.is_multiple_of(u64::from(p.repetitions)) {
        return Err(format!(
            "{} negotiations cannot be {} repetitions of each pairing",
            t.total, p.repetitions
        ));
    }
    p.protocol
        .validate()
        .map_err(|e| format!("params.protocol: {e}"))?;
    if f.result.summary != t.summary() {
        return Err(
            "the summary table is not that of the aggregates (result.tournament): it was edited or cut"
                .into(),
        );
    }
    Ok(())
}

/// Joins named shard files (each already checked with [`check_shard`]) into the result of the
/// whole tournament: `(label, params, output)`. A shard that does not fit is named.
pub fn merge(files: Vec<(String, ShardFile)>) -> Result<(String, Params, Output), Error> {
    let Some((first_name, first)) = files.first() else {
        return Err(Error::bad("no shard files given", None));
    };
    let strip = |p: &Params| Params {
        shard: None,
        ..p.clone()
    };
    let params = strip(&first.params);
    let label = first.scenario.clone().unwrap_or_default();
    for (name, f) in &files[1..] {
        if strip(&f.params) != params || f.scenario.as_deref() != Some(label.as_str()) {
            return Err(Error::bad(
                format!(
                    "{first_name} and {name} come from different tournaments (their scenarios, agents, rounds, repetitions, seed or protocol differ)"
                ),
                None,
            ));
        }
    }
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let parts = files.into_iter().map(|(_, f)| f.result.tournament);
    let merged = redline_negotiate::merge(parts).map_err(|e| {
        let blamed: Vec<String> = match &e {
            NegotiateError::Merge { parts, .. } if !parts.is_empty() => parts
                .iter()
                .filter_map(|&i| names.get(i))
                .cloned()
                .collect(),
            _ => names.clone(),
        };
        Error::bad(format!("{}: {e}", blamed.join(", ")), None)
    })?;
    Ok((label, params, Output::new(merged)))
}
