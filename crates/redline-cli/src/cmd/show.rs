//! `redline show NAME`: a built-in scenario's TOML.

use crate::Failure;
use crate::output;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The built-in scenario's name (see `redline scenarios`).
    name: String,
}

pub fn run(args: Args) -> Result<(), Failure> {
    match redline_scenarios::get(&args.name) {
        Some(b) => {
            // Scenario TOML, ours: printed as it is.
            output::print_rendered(b.toml)?;
            Ok(())
        }
        None => {
            let names: Vec<&str> = redline_scenarios::BUILTINS.iter().map(|b| b.name).collect();
            let mut msg = format!("error: no built-in scenario named `{}`", args.name);
            match redline_syntax::did_you_mean(&args.name, names.iter().copied()) {
                Some(s) => msg.push_str(&format!("\n  hint: did you mean `{s}`?")),
                None => msg.push_str(&format!(
                    "\n  hint: built-in scenarios are: {}",
                    names.join(", ")
                )),
            }
            crate::eline!("{msg}");
            Err(Failure::BadInput)
        }
    }
}
