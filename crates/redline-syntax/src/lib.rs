//! Loading redline scenario files.
//!
//! [`load`] turns the text of a scenario file into a [`redline_model::Scenario`] and a
//! [`SourceMap`], or returns every problem it found as [`Diagnostic`]s (data, not strings: the CLI
//! renders them, tools read them as JSON). Nothing here reads files or prints: callers pass text.

mod diag;
mod expr;
mod lower;
mod schema;
mod walk;
mod write;

pub use diag::{Diagnostic, Located, Severity, code, did_you_mean, line_col};
pub use expr::{ParseError, SynExpr, parse as parse_expr};
pub use lower::{MAX_ISSUE_VALUES, MAX_OPTIONS, SourceMap};
pub use schema::scenario_schema_json;
pub use write::to_toml;

use redline_model::Scenario;

/// A successfully loaded scenario, with the warnings found on the way.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub scenario: Scenario,
    pub source_map: SourceMap,
    pub warnings: Vec<Diagnostic>,
}

/// Loads a scenario from TOML text. On failure, returns every diagnostic found (errors and
/// warnings), in source order where possible.
pub fn load(source: &str) -> Result<Loaded, Vec<Diagnostic>> {
    let (result, mut diags) = lower::lower(source);
    diags.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
    match result {
        Some((scenario, source_map)) => Ok(Loaded {
            scenario,
            source_map,
            warnings: diags,
        }),
        None => Err(diags),
    }
}
