//! Output: the JSON envelope of DESIGN §8 and writing to stdout.

use std::io::Write;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Md,
}

/// `{"schema": "redline.<command>/v1", "redline_version", "scenario", "params", "result"}`.
#[derive(Debug, Serialize)]
pub struct Envelope<'a, P: Serialize, R: Serialize> {
    pub schema: String,
    pub redline_version: &'static str,
    pub scenario: Option<&'a str>,
    pub params: P,
    pub result: R,
}

pub fn envelope<'a, P: Serialize, R: Serialize>(
    command: &str,
    scenario: Option<&'a str>,
    params: P,
    result: R,
) -> Envelope<'a, P, R> {
    Envelope {
        schema: format!("redline.{command}/v1"),
        redline_version: env!("CARGO_PKG_VERSION"),
        scenario,
        params,
        result,
    }
}

/// Prints a JSON document (one line-terminated document) to stdout.
pub fn print_json(value: &impl Serialize) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// Prints text to stdout.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}
