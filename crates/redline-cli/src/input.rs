//! Finding, reading and loading scenarios, and reporting their diagnostics.

use std::io::{IsTerminal, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use redline_syntax::{Diagnostic, Loaded, Located, Severity};
use serde::Serialize;

use redline_report::render::escape::{terminal, terminal_same_len};

use crate::Failure;
use crate::output::{self, Format};

/// A scenario's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// A display name: the path, `<stdin>`, or `builtin:NAME`.
    pub name: String,
    pub text: String,
}

/// Resolves a scenario argument: a file path, `-` for stdin, or a built-in name. No argument
/// means the default built-in.
pub fn read_source(arg: Option<&str>) -> Result<Source, Failure> {
    let arg = arg.unwrap_or(redline_scenarios::DEFAULT);
    if arg == "-" {
        // Bad bytes on stdin are bad input (exit 2), exactly as in a file.
        let bytes = crate::limits::read_bounded(std::io::stdin().lock(), "<stdin>")?;
        return Ok(Source {
            name: "<stdin>".into(),
            text: crate::limits::utf8(bytes, "<stdin>")?,
        });
    }
    let path = std::path::Path::new(arg);
    if path.is_file() {
        let text = crate::limits::read_text_file(path)?;
        return Ok(Source {
            name: arg.to_string(),
            text,
        });
    }
    if let Some(b) = redline_scenarios::get(arg) {
        return Ok(Source {
            name: format!("builtin:{}", b.name),
            text: b.toml.to_string(),
        });
    }
    if path.exists() {
        crate::eline!("error: `{arg}` is not a regular file");
    } else {
        let names: Vec<&str> = redline_scenarios::BUILTINS.iter().map(|b| b.name).collect();
        let mut msg = format!("error: no file or built-in scenario named `{arg}`");
        if let Some(s) = redline_syntax::did_you_mean(arg, names.iter().copied()) {
            msg.push_str(&format!("\n  hint: did you mean the built-in `{s}`?"));
        } else {
            msg.push_str("\n  hint: `redline scenarios` lists the built-in scenarios");
        }
        crate::eline!("{msg}");
    }
    Err(Failure::BadInput)
}

#[derive(Debug, Serialize)]
struct CheckResult<'a> {
    valid: bool,
    diagnostics: &'a [Located],
}

/// Loads a scenario. On errors, reports every diagnostic (to stderr as text, or to stdout as the
/// JSON envelope for `command`) and fails with exit code 2. Warnings are reported on stderr.
pub fn load(source: &Source, format: Format, command: &str) -> Result<Loaded, Failure> {
    match redline_syntax::load(&source.text) {
        Ok(loaded) => {
            report(source, &loaded.warnings, Format::Text);
            Ok(loaded)
        }
        Err(diags) => {
            report(source, &diags, format);
            if format == Format::Json {
                let located: Vec<Located> = diags
                    .iter()
                    .map(|d| d.locate(&source.name, &source.text))
                    .collect();
                let doc = output::envelope(
                    command,
                    None,
                    serde_json::json!({ "file": source.name }),
                    CheckResult {
                        valid: false,
                        diagnostics: &located,
                    },
                );
                // The input is bad whether or not anyone still reads stdout: a closed pipe
                // here keeps exit code 2; any other write failure is reported.
                if let Err(e) = output::print_json(&doc)
                    && !crate::is_broken_pipe(&e)
                {
                    return Err(e.into());
                }
            }
            Err(Failure::BadInput)
        }
    }
}

/// Writes diagnostics to stderr: a `FILE:LINE:COL: severity[code]: message` line each, then a
/// caret excerpt. In JSON mode only the plain lines are written (the data goes to stdout).
pub fn report(source: &Source, diags: &[Diagnostic], format: Format) {
    let mut err = std::io::stderr().lock();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    for d in diags {
        let located = d.locate(&source.name, &source.text);
        // Messages quote the file (ids, names, paths): what reaches the terminal is made safe.
        let _ = writeln!(err, "{}", terminal(&first_line(&located)));
        if format == Format::Json || d.span.is_none() {
            if let Some(h) = &d.hint {
                let _ = writeln!(err, "  hint: {}", terminal(h));
            }
            continue;
        }
        let report = Excerpt::new(d, source);
        let mut rendered = String::new();
        if handler.render_report(&mut rendered, &report).is_ok() {
            let _ = write!(err, "{rendered}");
        }
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 {
        let _ = writeln!(
            err,
            "{}: {errors} error{} found",
            terminal(&source.name),
            if errors == 1 { "" } else { "s" }
        );
    }
}

fn first_line(l: &Located) -> String {
    let text = l.to_string();
    text.lines().next().unwrap_or_default().to_string()
}

/// A diagnostic adapted to miette, for the caret excerpt.
#[derive(Debug)]
struct Excerpt {
    message: String,
    severity: miette::Severity,
    hint: Option<String>,
    label: LabeledSpan,
    source: NamedSource<String>,
}

impl Excerpt {
    fn new(d: &Diagnostic, source: &Source) -> Self {
        let span = d.span.clone().unwrap_or(0..0);
        let len = span.end.saturating_sub(span.start);
        // miette writes its own colour codes, so the strings it is given are made safe first;
        // the excerpt's source keeps its byte offsets (same-length stand-ins).
        Excerpt {
            message: terminal(&d.message).into_owned(),
            severity: if d.is_error() {
                miette::Severity::Error
            } else {
                miette::Severity::Warning
            },
            hint: d.hint.as_deref().map(|h| terminal(h).into_owned()),
            label: LabeledSpan::new(
                Some(terminal(d.label.as_deref().unwrap_or("here")).into_owned()),
                span.start,
                len,
            ),
            source: NamedSource::new(
                terminal(&source.name),
                terminal_same_len(&source.text).into_owned(),
            ),
        }
    }
}

impl std::fmt::Display for Excerpt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Excerpt {}

impl miette::Diagnostic for Excerpt {
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}
