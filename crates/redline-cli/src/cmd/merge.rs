//! `redline merge SHARD.json...`: joins the shard results of one tournament into exactly the
//! result of running it whole.

use std::path::PathBuf;

use redline_negotiate::{NegotiateError, Shard};

use crate::cmd::negotiate::bad;
use crate::cmd::tournament::{self, Output, Params};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shard files written by `redline tournament --shard K/N --out FILE`, one per shard.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, serde::Deserialize)]
struct ShardFile {
    schema: String,
    scenario: Option<String>,
    params: Params,
    result: Output,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let mut files = Vec::with_capacity(args.shards.len());
    for path in &args.shards {
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad(format!("{}: cannot read it: {e}", path.display())))?;
        let f: ShardFile = serde_json::from_str(&text).map_err(|e| {
            bad(format!(
                "{}: not a shard result of `redline tournament --shard K/N` ({e})",
                path.display()
            ))
        })?;
        if f.schema != "redline.tournament/v1" {
            return Err(bad(format!(
                "{}: schema {:?}, expected \"redline.tournament/v1\"",
                path.display(),
                f.schema
            )));
        }
        check(&f).map_err(|e| bad(format!("{}: {e}", path.display())))?;
        files.push((path, f));
    }
    let Some((first_path, first)) = files.first() else {
        return Err(bad("no shard files given"));
    };
    let strip = |p: &Params| Params {
        shard: None,
        ..p.clone()
    };
    let params = strip(&first.params);
    let label = first.scenario.clone().unwrap_or_default();
    for (path, f) in &files[1..] {
        if strip(&f.params) != params || f.scenario.as_deref() != Some(label.as_str()) {
            return Err(bad(format!(
                "{} and {} come from different tournaments (their scenarios, agents, rounds, repetitions, seed or protocol differ)",
                first_path.display(),
                path.display()
            )));
        }
    }
    let paths: Vec<&PathBuf> = files.iter().map(|(p, _)| *p).collect();
    let parts = files.into_iter().map(|(_, f)| f.result.tournament);
    let merged = redline_negotiate::merge(parts).map_err(|e| {
        let blamed: Vec<String> = match &e {
            NegotiateError::Merge { parts, .. } if !parts.is_empty() => parts
                .iter()
                .filter_map(|&i| paths.get(i))
                .map(|p| p.display().to_string())
                .collect(),
            _ => paths.iter().map(|p| p.display().to_string()).collect(),
        };
        bad(format!("{}: {e}", blamed.join(", ")))
    })?;
    tournament::print(args.format.format, &label, &params, &Output::new(merged))
}

/// What one shard file must satisfy on its own: its result is consistent in itself
/// ([`TournamentResult::validate`](redline_negotiate::TournamentResult::validate)), its summary
/// is that of its aggregates, and its params describe that result.
fn check(f: &ShardFile) -> Result<(), String> {
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
