//! A checked walk over a spanned TOML tree: typed accessors that record a diagnostic for every
//! missing key, wrong type and unknown key, instead of stopping at the first (as serde would).

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::diag::{Diagnostic, code, did_you_mean};

pub(crate) type Span = Range<usize>;
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// Collects diagnostics while lowering.
#[derive(Debug, Default)]
pub(crate) struct Cx {
    pub diags: Vec<Diagnostic>,
}

impl Cx {
    pub fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    pub fn error(&mut self, code: &'static str, span: Span, message: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(code, Some(span), message));
    }

    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error)
    }
}

pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

pub(crate) fn wrong_type(cx: &mut Cx, what: &str, expected: &str, v: &Value<'_>) {
    cx.error(
        code::WRONG_TYPE,
        v.span(),
        format!(
            "{what} must be {expected}, found {}",
            type_name(v.get_ref())
        ),
    );
}

/// Reads a value as a string.
pub(crate) fn as_str(cx: &mut Cx, what: &str, v: &Value<'_>) -> Option<(String, Span)> {
    match v.get_ref() {
        DeValue::String(s) => Some((s.to_string(), v.span())),
        _ => {
            wrong_type(cx, what, "a string", v);
            None
        }
    }
}

/// Reads a value as a number (integer or float).
pub(crate) fn as_num(cx: &mut Cx, what: &str, v: &Value<'_>) -> Option<(f64, Span)> {
    let parsed = match v.get_ref() {
        DeValue::Integer(i) => i
            .as_str()
            .replace('_', "")
            .parse::<i64>()
            .ok()
            .map(|x| x as f64)
            .or_else(|| parse_radix(i.as_str())),
        DeValue::Float(f) => parse_float(f.as_str()),
        _ => {
            wrong_type(cx, what, "a number", v);
            return None;
        }
    };
    match parsed {
        Some(x) if x.is_finite() => Some((x, v.span())),
        _ => {
            cx.error(
                code::BAD_VALUE,
                v.span(),
                format!("{what} must be a finite number"),
            );
            None
        }
    }
}

/// Reads a value as an integer.
pub(crate) fn as_int(cx: &mut Cx, what: &str, v: &Value<'_>) -> Option<(i64, Span)> {
    match v.get_ref() {
        DeValue::Integer(i) => {
            match i
                .as_str()
                .replace('_', "")
                .parse::<i64>()
                .ok()
                .or_else(|| parse_radix(i.as_str()).map(|x| x as i64))
            {
                Some(x) => Some((x, v.span())),
                None => {
                    cx.error(
                        code::BAD_VALUE,
                        v.span(),
                        format!("{what} is not a valid 64-bit integer"),
                    );
                    None
                }
            }
        }
        _ => {
            wrong_type(cx, what, "an integer", v);
            None
        }
    }
}

fn parse_radix(s: &str) -> Option<f64> {
    let s = s.replace('_', "");
    let (radix, digits) = match s.get(..2) {
        Some("0x") => (16, &s[2..]),
        Some("0o") => (8, &s[2..]),
        Some("0b") => (2, &s[2..]),
        _ => return None,
    };
    i64::from_str_radix(digits, radix).ok().map(|x| x as f64)
}

fn parse_float(s: &str) -> Option<f64> {
    let s = s.replace('_', "");
    match s.as_str() {
        "inf" | "+inf" => Some(f64::INFINITY),
        "-inf" => Some(f64::NEG_INFINITY),
        "nan" | "+nan" | "-nan" => Some(f64::NAN),
        _ => s.parse().ok(),
    }
}

pub(crate) fn as_bool(cx: &mut Cx, what: &str, v: &Value<'_>) -> Option<bool> {
    match v.get_ref() {
        DeValue::Boolean(b) => Some(*b),
        _ => {
            wrong_type(cx, what, "true or false", v);
            None
        }
    }
}

pub(crate) fn as_array<'t, 'i>(
    cx: &mut Cx,
    what: &str,
    v: &'t Value<'i>,
) -> Option<&'t DeArray<'i>> {
    match v.get_ref() {
        DeValue::Array(a) => Some(a),
        _ => {
            wrong_type(cx, what, "an array", v);
            None
        }
    }
}

pub(crate) fn as_table<'t, 'i>(cx: &mut Cx, what: &str, v: &'t Value<'i>) -> Option<Table<'t, 'i>> {
    match v.get_ref() {
        DeValue::Table(t) => Some(Table::new(t, v.span(), what)),
        _ => {
            wrong_type(cx, what, "a table", v);
            None
        }
    }
}

/// A table being read. Every key that is asked for is allowed; [`Table::finish`] reports the rest.
pub(crate) struct Table<'t, 'i> {
    pub map: &'t DeTable<'i>,
    pub span: Span,
    pub what: String,
    allowed: Vec<&'static str>,
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(map: &'t DeTable<'i>, span: Span, what: impl Into<String>) -> Self {
        Table {
            map,
            span,
            what: what.into(),
            allowed: Vec::new(),
        }
    }

    /// Where to point when a key is missing: the table's own span, shrunk to its first line.
    pub fn anchor(&self) -> Span {
        self.span.start..self.span.start
    }

    pub fn get(&mut self, key: &'static str) -> Option<&'t Value<'i>> {
        self.allowed.push(key);
        self.map.get(key)
    }

    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.map
            .iter()
            .find(|(k, _)| k.get_ref() == key)
            .map(|(k, _)| k.span())
    }

    fn missing(&self, cx: &mut Cx, key: &str) {
        cx.push(
            Diagnostic::error(
                code::MISSING_KEY,
                Some(self.anchor()),
                format!("{} is missing `{key}`", self.what),
            )
            .with_hint(format!("add `{key} = ...` to {}", self.what)),
        );
    }

    pub fn str(&mut self, cx: &mut Cx, key: &'static str) -> Option<(String, Span)> {
        let what = format!("`{key}` in {}", self.what);
        self.get(key).and_then(|v| as_str(cx, &what, v))
    }

    pub fn req_str(&mut self, cx: &mut Cx, key: &'static str) -> Option<(String, Span)> {
        if self.map.get(key).is_none() {
            self.allowed.push(key);
            self.missing(cx, key);
            return None;
        }
        self.str(cx, key)
    }

    pub fn num(&mut self, cx: &mut Cx, key: &'static str) -> Option<(f64, Span)> {
        let what = format!("`{key}` in {}", self.what);
        self.get(key).and_then(|v| as_num(cx, &what, v))
    }

    pub fn req_num(&mut self, cx: &mut Cx, key: &'static str) -> Option<(f64, Span)> {
        if self.map.get(key).is_none() {
            self.allowed.push(key);
            self.missing(cx, key);
            return None;
        }
        self.num(cx, key)
    }

    pub fn int(&mut self, cx: &mut Cx, key: &'static str) -> Option<(i64, Span)> {
        let what = format!("`{key}` in {}", self.what);
        self.get(key).and_then(|v| as_int(cx, &what, v))
    }

    pub fn bool(&mut self, cx: &mut Cx, key: &'static str) -> Option<bool> {
        let what = format!("`{key}` in {}", self.what);
        self.get(key).and_then(|v| as_bool(cx, &what, v))
    }

    pub fn array(&mut self, cx: &mut Cx, key: &'static str) -> Option<(&'t DeArray<'i>, Span)> {
        let what = format!("`{key}` in {}", self.what);
        let v = self.get(key)?;
        as_array(cx, &what, v).map(|a| (a, v.span()))
    }

    pub fn table(&mut self, cx: &mut Cx, key: &'static str) -> Option<Table<'t, 'i>> {
        let what = format!("`{key}` in {}", self.what);
        let v = self.get(key)?;
        as_table(cx, &what, v).map(|mut t| {
            t.what = if self.what == "the file" {
                format!("[{key}]")
            } else if let Some(inner) = self
                .what
                .strip_prefix('[')
                .and_then(|w| w.strip_suffix(']'))
            {
                format!("[{inner}.{key}]")
            } else {
                format!("{}.{key}", self.what)
            };
            t
        })
    }

    /// Reports every key that was not asked for, with a suggestion when one is close.
    pub fn finish(self, cx: &mut Cx) {
        for (k, _) in self.map.iter() {
            let name = k.get_ref().as_ref();
            if !self.allowed.contains(&name) {
                let mut d = Diagnostic::error(
                    code::UNKNOWN_KEY,
                    Some(k.span()),
                    format!("unknown key `{name}` in {}", self.what),
                );
                let mut allowed = self.allowed.clone();
                allowed.sort_unstable();
                allowed.dedup();
                d = match did_you_mean(name, allowed.iter().copied()) {
                    Some(s) => d.with_hint(format!("did you mean `{s}`?")),
                    None => d.with_hint(format!("expected one of: {}", allowed.join(", "))),
                };
                cx.push(d);
            }
        }
    }
}

/// The offset in the source where the text of a string value begins, if the source text of the
/// value is exactly its content (no escapes), so that offsets inside the string map one to one.
pub(crate) fn string_content_offset(src: &str, span: &Span, value: &str) -> Option<usize> {
    let raw = src.get(span.clone())?;
    let start = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        let s = span.start + 3;
        // TOML trims a newline right after the opening delimiter.
        if src[s..].starts_with("\r\n") {
            s + 2
        } else if src[s..].starts_with('\n') {
            s + 1
        } else {
            s
        }
    } else if raw.starts_with('"') || raw.starts_with('\'') {
        span.start + 1
    } else {
        return None;
    };
    (src.get(start..start + value.len()) == Some(value)).then_some(start)
}
