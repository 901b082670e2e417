//! Output: the JSON envelope of DESIGN §8 and writing to stdout.

use std::io::Write;

use redline_report::render::escape;
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

/// Prints text to stdout, with control characters and bidi overrides from user strings made
/// visible (`redline_report::render::escape::terminal`).
pub fn print_text(text: &str) -> anyhow::Result<()> {
    print_rendered(&escape::terminal(text))
}

/// Prints Markdown written by a CLI renderer (which writes no raw HTML): HTML from user strings
/// is escaped outside code spans, control characters made visible.
pub fn print_markdown(text: &str) -> anyhow::Result<()> {
    print_rendered(&escape::md_document(text))
}

/// Text or Markdown, for commands whose two renderings are the same words.
pub fn print_as(format: Format, text: &str) -> anyhow::Result<()> {
    match format {
        Format::Md => print_markdown(text),
        _ => print_text(text),
    }
}

/// Prints what a report renderer made safe for its format itself (the text renderer's colour
/// codes must reach the terminal; the Markdown renderer writes its own anchors).
pub fn print_rendered(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// Writes one line to stderr with control characters and bidi overrides made visible; errors
/// writing it are ignored (there is nowhere left to report them).
pub fn stderr_line(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{}", escape::terminal(text));
}

/// `eline!("…", args)`: [`stderr_line`] with `format!` arguments.
#[macro_export]
macro_rules! eline {
    ($($arg:tt)*) => {
        $crate::output::stderr_line(&format!($($arg)*))
    };
}
