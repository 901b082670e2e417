//! `redline check FILE`: validate a scenario.

use redline_syntax::Located;
use serde::Serialize;

use crate::input::{self, Source};
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (`-` for stdin) or a built-in name.
    scenario: String,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, Serialize)]
struct CheckResult {
    valid: bool,
    diagnostics: Vec<Located>,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let source: Source = input::read_source(Some(&args.scenario))?;
    let format = args.format.format;
    let loaded = input::load(&source, format, "check")?;
    let sc = &loaded.scenario;
    match format {
        Format::Json => {
            let diagnostics = loaded
                .warnings
                .iter()
                .map(|d| d.locate(&source.name, &source.text))
                .collect();
            let doc = output::envelope(
                "check",
                Some(&sc.id),
                serde_json::json!({ "file": source.name }),
                CheckResult {
                    valid: true,
                    diagnostics,
                },
            );
            output::print_json(&doc)?;
        }
        Format::Text | Format::Md => {
            let text = format!(
                "{}: ok: scenario `{}` with {} actors, {} options, {} issues, {} red lines, {} linkages",
                source.name,
                sc.id,
                sc.actors.len(),
                sc.options.len(),
                sc.issues.len(),
                sc.red_lines.len(),
                sc.linkages.len()
            );
            output::print_as(format, &text)?;
        }
    }
    Ok(())
}
