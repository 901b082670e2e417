//! `redline merge SHARD.json...`: joins the shard results of one tournament into exactly the
//! result of running it whole.

use std::path::PathBuf;

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
    let parts = files.into_iter().map(|(_, f)| f.result.tournament);
    let merged = redline_negotiate::merge(parts).map_err(bad)?;
    tournament::print(args.format.format, &label, &params, &Output::new(merged))
}
