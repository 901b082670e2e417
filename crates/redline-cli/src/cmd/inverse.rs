//! `redline inverse [SCENARIO] --state STATE --concept C`: what would make a state an
//! equilibrium — the smallest changes to the stated priorities, and (on small conflicts) every
//! ranking that would do it.

use std::fmt::Write;

use redline_analysis::inverse::InverseParams;

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    /// The desired state: option ids joined by `+`, a Y/N pattern in bit order, or `none`.
    #[arg(long)]
    state: String,
    /// The solution concept: nash, gmr, smr, seq, sim or seqsim.
    #[arg(long, default_value = "nash")]
    concept: String,
    /// The most edits (swaps of adjacent statements, drops of statements) to search.
    #[arg(long, default_value_t = 3)]
    max_edits: usize,
    /// The most minimal changes to list.
    #[arg(long, default_value_t = 5)]
    max_solutions: usize,
    #[command(flatten)]
    format: FormatArg,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let concept =
        redline_analysis::stability::parse_concept(&args.concept).map_err(crate::analysis_error)?;
    let state = args
        .state
        .parse::<redline_analysis::stability::StateSpec>()
        .map_err(|e| crate::analysis_error(e.in_flag("--state")))?;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "inverse")?;
    let sc = &loaded.scenario;
    let out = redline_analysis::inverse::inverse(
        sc,
        &InverseParams {
            state,
            concept,
            max_edits: args.max_edits,
            max_solutions: args.max_solutions,
        },
    )
    .map_err(crate::analysis_error)?;
    let pattern = out.state.clone();
    match format {
        Format::Json => {
            let params = serde_json::json!({ "state": args.state, "concept": concept, "max_edits": args.max_edits });
            output::print_json(&output::envelope("inverse", Some(&sc.id), params, &out))?;
        }
        Format::Text | Format::Md => {
            let mut s = String::new();
            let _ = writeln!(s, "Desired state {pattern} under {}:", concept.name());
            match out.edits {
                Some(0) => {
                    let _ = writeln!(s, "It already is an equilibrium; nothing has to change.");
                }
                Some(k) => {
                    let _ = writeln!(
                        s,
                        "The smallest change to the stated priorities that makes it an equilibrium takes {k} edit(s):"
                    );
                    for (i, c) in out.changes.iter().enumerate() {
                        let _ = writeln!(
                            s,
                            "{}. {}",
                            i + 1,
                            c.iter()
                                .map(|e| e.text.clone())
                                .collect::<Vec<_>>()
                                .join("; then ")
                        );
                    }
                }
                None => {
                    let _ = writeln!(
                        s,
                        "No change of at most {} edit(s) (swapping adjacent statements or dropping one) makes it an equilibrium.",
                        args.max_edits
                    );
                }
            }
            if let Some(r) = &out.rankings {
                let _ = writeln!(
                    s,
                    "Strict rankings under which it is an equilibrium: {}",
                    r.count
                );
            }
            if let Some(n) = &out.note {
                let _ = writeln!(s, "Note: {n}");
            }
            output::print_as(format, &s)?;
        }
    }
    Ok(())
}
