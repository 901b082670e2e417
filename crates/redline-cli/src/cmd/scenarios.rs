//! `redline scenarios`: the built-in scenarios.

use serde::Serialize;

use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, Serialize)]
struct Entry {
    name: &'static str,
    title: &'static str,
    default: bool,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let entries: Vec<Entry> = redline_scenarios::BUILTINS
        .iter()
        .map(|b| Entry {
            name: b.name,
            title: b.title,
            default: b.name == redline_scenarios::DEFAULT,
        })
        .collect();
    match args.format.format {
        Format::Json => output::print_json(&output::envelope(
            "scenarios",
            None,
            serde_json::json!({}),
            &entries,
        ))?,
        Format::Text | Format::Md => {
            let mut s = String::new();
            for e in &entries {
                s.push_str(&format!(
                    "{:<22} {}{}\n",
                    e.name,
                    e.title,
                    if e.default { " (default)" } else { "" }
                ));
            }
            output::print_as(args.format.format, &s)?;
        }
    }
    Ok(())
}
