//! `redline`: strategic analysis of negotiations under red lines.
//!
//! This is the only crate that knows about argv, stdout, stderr and exit codes. Exit codes:
//! 0 success; 1 the analysis could not be carried out (I/O failure, resource limits);
//! 2 bad input (scenario diagnostics, usage errors). A closed stdout (broken pipe) is not an error.

mod cmd;
mod input;
mod limits;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::output::Format;

#[derive(Debug, Parser)]
#[command(name = "redline", version, about = "Strategic analysis of negotiations under red lines", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Analyse a scenario with every lens it supports (default: the built-in iran-us-2026).
    Analyze(cmd::analyze::Args),
    /// The deal lens: ZOPA (or why there is none), Pareto frontier, bargaining solutions, phased plan.
    Deal(cmd::deal::Args),
    /// The stability lens (GMCR): stable states per decision maker and concept, equilibria, paths from the status quo.
    Stability(cmd::stability::Args),
    /// The negotiation lens: one negotiation between agents, traced, with its outcome and metrics.
    Negotiate(cmd::negotiate::Args),
    /// Negotiation tournament: agents × scenarios × role rotation × repetitions, whole or sharded.
    Tournament(cmd::tournament::Args),
    /// Merge the shard results of one tournament into the result of the whole.
    Merge(cmd::merge::Args),
    /// Write a scenario TOML from another tool's files (gmcr-py, GENIUS) to stdout.
    #[command(subcommand)]
    Import(cmd::import::Args),
    /// Write a scenario in another tool's format (gmcr-py, GENIUS).
    #[command(subcommand)]
    Export(cmd::export::Args),
    /// Inverse GMCR: what would have to change in the stated priorities for a state to be stable.
    Inverse(cmd::inverse::Args),
    /// Validate a scenario file; prints FILE:LINE:COL diagnostics and exits 2 when it is invalid.
    Check(cmd::check::Args),
    /// List the built-in scenarios.
    Scenarios(cmd::scenarios::Args),
    /// Print a built-in scenario's TOML, to copy and edit.
    Show(cmd::show::Args),
}

/// An error that maps to an exit code.
#[derive(Debug)]
pub enum Failure {
    /// Bad input: diagnostics or usage; already reported. Exit 2.
    BadInput,
    /// Anything else; reported by `main`. Exit 1.
    Other(anyhow::Error),
}

/// Reports a front-door error the way the CLI reports its own: bad input on stderr with its hint
/// (exit 2), anything else for `main` to print (exit 1).
pub(crate) fn analysis_error(e: redline_analysis::Error) -> Failure {
    use redline_analysis::Error;
    match e {
        Error::BadInput { message, hint, .. } => {
            match hint {
                Some(h) => crate::eline!("error: {message}\n  hint: {h}"),
                None => crate::eline!("error: {message}"),
            }
            Failure::BadInput
        }
        Error::TooLarge {
            what,
            estimate,
            budget,
            hint,
        } => Failure::Other(anyhow::anyhow!(
            "{what} needs about {} MiB, more than the {} MiB this process can use (the smaller of available memory and the address-space limit); refused before starting.\n  hint: {hint}",
            estimate.div_ceil(1 << 20),
            budget >> 20
        )),
        e @ (Error::Failed(_) | Error::Cancelled) => Failure::Other(anyhow::anyhow!("{e}")),
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Other(e.into())
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Inverse(a) => cmd::inverse::run(a),
        Command::Import(a) => cmd::import::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Stability(a) => cmd::stability::run(a),
        Command::Negotiate(a) => cmd::negotiate::run(a),
        Command::Tournament(a) => cmd::tournament::run(a),
        Command::Merge(a) => cmd::merge::run(a),
        Command::Deal(a) => cmd::deal::run(a),
        Command::Scenarios(a) => cmd::scenarios::run(a),
        Command::Show(a) => cmd::show::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::BadInput) => ExitCode::from(2),
        Err(Failure::Other(e)) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            crate::eline!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

/// Whether an error is, anywhere in its chain, a write to a closed pipe: an `io::Error` of kind
/// `BrokenPipe`, or a `serde_json::Error` that wraps one (serde_json's `source()` skips the
/// `io::Error` it holds, so it has to be asked itself). A closed stdout is not an error.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(std::io::ErrorKind::BrokenPipe))
    })
}

/// Shared `--format` flag.
#[derive(Debug, Clone, clap::Args)]
pub struct FormatArg {
    /// Output format: text for people, json for programs, md for documents.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}
