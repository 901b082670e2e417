//! `redline merge SHARD.json...`: joins the shard results of one tournament into exactly the
//! result of running it whole.

use std::path::PathBuf;

use redline_analysis::tournament::{ShardFile, check_shard};

use crate::cmd::negotiate::bad;
use crate::cmd::tournament;
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shard files written by `redline tournament --shard K/N --out FILE`, one per shard.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let mut files = Vec::with_capacity(args.shards.len());
    for path in &args.shards {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| bad(format!("{name}: cannot read it: {e}")))?;
        let f: ShardFile = serde_json::from_str(&text).map_err(|e| {
            bad(format!(
                "{name}: not a shard result of `redline tournament --shard K/N` ({e})"
            ))
        })?;
        check_shard(&f).map_err(|e| bad(format!("{name}: {e}")))?;
        files.push((name, f));
    }
    let (label, params, out) =
        redline_analysis::tournament::merge(files).map_err(crate::analysis_error)?;
    tournament::print(args.format.format, &label, &params, &out)
}
