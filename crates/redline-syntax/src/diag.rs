//! Diagnostics as data: every problem found while loading, with a stable code and a byte span.

use std::ops::Range;

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Stable diagnostic codes. Tools and tests may rely on them; never renumber.
pub mod code {
    pub const TOML_SYNTAX: &str = "E0001";
    pub const UNKNOWN_KEY: &str = "E0002";
    pub const WRONG_TYPE: &str = "E0003";
    pub const MISSING_KEY: &str = "E0004";
    pub const DUPLICATE_ID: &str = "E0005";
    pub const UNKNOWN_ACTOR: &str = "E0006";
    pub const UNKNOWN_OPTION: &str = "E0007";
    pub const UNKNOWN_ISSUE: &str = "E0008";
    pub const UNKNOWN_VALUE: &str = "E0009";
    pub const EXPR_SYNTAX: &str = "E0010";
    pub const EXPR_TYPE: &str = "E0011";
    pub const NEGATIVE_WEIGHT: &str = "E0012";
    pub const OUT_OF_RANGE: &str = "E0013";
    pub const NO_ACTORS: &str = "E0014";
    pub const NO_FEASIBLE_STATE: &str = "E0015";
    pub const BAD_VALUE: &str = "E0016";
    pub const MISSING_PREFERENCE: &str = "E0017";
    pub const BAD_RANKING: &str = "E0018";
    pub const BAD_ID: &str = "E0019";
    pub const TOO_LARGE: &str = "E0020";
    pub const BAD_TARGET: &str = "E0021";
    pub const UNREACHABLE_CHECK: &str = "W0001";
    pub const WEIGHTS_SUM: &str = "W0002";
    pub const RESERVATION_BELOW_TODAY: &str = "W0003";
}

/// One problem found in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    /// Byte range in the source text, when the problem has a place.
    pub span: Option<Range<usize>>,
    /// A short label shown under the caret.
    pub label: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(
        code: &'static str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            label: None,
            hint: None,
        }
    }

    pub fn warning(
        code: &'static str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code,
            message: message.into(),
            span,
            label: None,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Locates the diagnostic in a source text, for display and JSON output.
    pub fn locate(&self, file: &str, source: &str) -> Located {
        let (line, column, end_line, end_column) = match &self.span {
            Some(span) => {
                let (l, c) = line_col(source, span.start);
                let (el, ec) = line_col(source, span.end.max(span.start));
                (Some(l), Some(c), Some(el), Some(ec))
            }
            None => (None, None, None, None),
        };
        Located {
            severity: self.severity,
            code: self.code,
            message: self.message.clone(),
            file: file.to_string(),
            line,
            column,
            end_line,
            end_column,
            hint: self.hint.clone(),
        }
    }
}

/// A diagnostic with its place resolved to 1-based line and column (in characters).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Located {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub hint: Option<String>,
}

impl std::fmt::Display for Located {
    /// `FILE:LINE:COL: severity[code]: message`, then the hint on its own line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(
                f,
                "{}:{}:{}: {}[{}]: {}",
                self.file, l, c, sev, self.code, self.message
            )?,
            _ => write!(f, "{}: {}[{}]: {}", self.file, sev, self.code, self.message)?,
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}

/// 1-based line and column (in characters) of a byte offset. Offsets past the end or inside a
/// character are clamped to a valid position.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    (line, column)
}

/// The closest candidate to `name`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&name.to_lowercase(), &c.to_lowercase());
        if score > 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A number for a message: four decimals for ordinary magnitudes, four significant digits with
/// an exponent beyond them (a weight of 1e300 is not printed as 301 digits).
pub(crate) fn short_number(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e9).contains(&x.abs()) {
        format!("{x:.3e}")
    } else {
        format!("{x:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 3)); // after the two-byte é
        assert_eq!(line_col(src, 8), (2, 2)); // inside é: clamped to its start
        assert_eq!(line_col(src, 1000), (3, 1));
    }

    #[test]
    fn suggestions_need_to_be_close() {
        assert_eq!(did_you_mean("iram", ["iran", "us", "turkey"]), Some("iran"));
        assert_eq!(did_you_mean("xyz", ["iran", "us", "turkey"]), None);
    }
}
