//! Terminal text, with ANSI colour when the caller asks for it.

use std::fmt::Write;

use crate::model::{Block, Report, Table, Tone};
use crate::words::wrap;

use super::escape::{self, ESC_STAND_IN};

/// How to render text.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Use ANSI colours and bold (the caller decides: a TTY, and `NO_COLOR` unset).
    pub color: bool,
    /// Wrap paragraphs at this many columns.
    pub width: usize,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            color: false,
            width: 100,
        }
    }
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            // The stand-in becomes ESC after the user strings are made safe (see `render`).
            format!("{ESC}[{code}m{s}{ESC}[0m", ESC = ESC_STAND_IN)
        } else {
            s.to_string()
        }
    }

    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    fn tone(&self, tone: Tone, s: &str) -> String {
        match tone {
            Tone::Yes => self.paint("1;32", s),
            Tone::No => self.paint("1;31", s),
            Tone::Mixed => self.paint("1;33", s),
            Tone::Neutral => self.paint("1;36", s),
        }
    }

    fn heading(&self, t: &str, underline: char) -> String {
        format!(
            "{}\n{}\n",
            self.bold(t),
            self.dim(&underline.to_string().repeat(t.chars().count()))
        )
    }
}

/// Renders the report for a terminal. Control characters and bidi overrides in the report's
/// strings (most come from the scenario) are made visible ([`escape::terminal`]), so the only
/// escape sequences in the output are the renderer's own colours.
pub fn render(report: &Report, opts: &TextOptions) -> String {
    let plain = render_with(report, opts.width, false);
    // Uncoloured, the renderer writes no stand-in: any there came from a user string, and
    // colouring would turn it into ESC. Such a report is given without colour.
    if !opts.color || plain.contains(ESC_STAND_IN) {
        return escape::terminal(&plain).into_owned();
    }
    let coloured = render_with(report, opts.width, true);
    escape::terminal_keeping_stand_ins(&coloured).replace(ESC_STAND_IN, "\x1b")
}

fn render_with(report: &Report, width: usize, color: bool) -> String {
    let st = Style { color };
    let w = width.max(40);
    let mut out = String::new();
    out.push_str(&st.heading(&report.title, '='));
    if !report.description.is_empty() {
        out.push_str(&wrap(&report.description, w, "", ""));
    }
    if let Some(src) = &report.source {
        out.push_str(&wrap(&format!("Source: {src}"), w, "", "  "));
    }
    out.push('\n');
    let answers = report.answers();
    if !answers.is_empty() {
        out.push_str(&st.heading("Answers", '='));
        for h in answers {
            let _ = writeln!(out, "{}", st.tone(h.tone, h.question.text()));
            let see = match (
                report.number_of(&h.evidence),
                report.evidence_title(&h.evidence),
            ) {
                (Some(n), Some(t)) => format!(" (see {n} {t})"),
                _ => String::new(),
            };
            out.push_str(&wrap(&format!("{}{see}", h.text), w, "  ", "  "));
            out.push('\n');
        }
    }
    for (i, s) in report.sections.iter().enumerate() {
        out.push_str(&st.heading(&format!("{} {}", i + 1, s.title), '='));
        if let Some(intro) = &s.intro {
            out.push_str(&wrap(intro, w, "", ""));
            out.push('\n');
        }
        for (j, e) in s.evidence.iter().enumerate() {
            out.push_str(&st.heading(&format!("{}.{} {}", i + 1, j + 1, e.title), '-'));
            blocks(&mut out, &e.blocks, w, &st);
        }
    }
    for n in &report.notes {
        out.push_str(&wrap(&format!("Note: {n}"), w, "", "  "));
    }
    let figures = report.figure_ids().len();
    if figures > 0 {
        out.push_str(&wrap(
            &format!(
                "The HTML report (redline analyze --report FILE.html) adds {figures} diagrams."
            ),
            w,
            "",
            "",
        ));
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn blocks(out: &mut String, blocks_: &[Block], w: usize, st: &Style) {
    for b in blocks_ {
        match b {
            Block::Paragraph { text } => {
                out.push_str(&wrap(text, w, "", ""));
                out.push('\n');
            }
            Block::List { items } => {
                for item in items {
                    out.push_str(&wrap(item, w, "- ", "  "));
                }
                out.push('\n');
            }
            Block::Table(t) => {
                let _ = writeln!(out, "{}\n", table(t, false));
            }
            Block::Figure(_) => {}
            Block::Details {
                summary,
                blocks: inner,
            } => {
                out.push_str(&wrap(&st.bold(summary), w, "", ""));
                blocks(out, inner, w, st);
            }
        }
    }
}

/// A table as UTF-8 box drawing (`md` false) or a Markdown pipe table.
pub(crate) fn table(t: &Table, md: bool) -> String {
    use comfy_table::{CellAlignment, ContentArrangement};
    let mut table = comfy_table::Table::new();
    table.load_style(if md {
        comfy_table::presets::ASCII_MARKDOWN
    } else {
        comfy_table::presets::UTF8_FULL_CONDENSED
    });
    table.set_content_arrangement(ContentArrangement::Disabled);
    let esc = |s: &str| escape::cell(s, md);
    table.set_header(t.header.iter().map(|h| esc(h)));
    for r in &t.rows {
        table.add_row(r.iter().map(|c| esc(c)));
    }
    for (i, &num) in t.numeric.iter().enumerate() {
        if num && let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    table.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(title: &str) -> Report {
        Report {
            title: title.to_string(),
            description: "desc \u{1b}[2J".into(),
            source: None,
            sections: vec![],
            notes: vec!["note \u{202E}x".into()],
            generator: String::new(),
        }
    }

    fn escapes(s: &str) -> usize {
        s.matches('\x1b').count()
    }

    #[test]
    fn colour_codes_are_the_renderers_only() {
        let opts = TextOptions {
            color: true,
            width: 80,
        };
        let out = render(&report("T \u{1b}]0;x\u{7}"), &opts);
        // The title is painted bold (open and reset) and so is its underline (dim): 4 ESCs,
        // none from the strings.
        assert_eq!(escapes(&out), 4, "{out:?}");
        assert!(
            out.contains("\\u{1b}]0;x\\u{7}") && out.contains("\\u{202e}"),
            "{out:?}"
        );
        // A user string holding the renderer's stand-in gets no colour, and no ESC at all.
        let sneaky = render(&report(&format!("T {ESC_STAND_IN}[31m")), &opts);
        assert_eq!(escapes(&sneaky), 0, "{sneaky:?}");
        assert!(sneaky.contains("\\u{e01b}"), "{sneaky:?}");
        let plain = render(&report("T \u{1b}"), &TextOptions::default());
        assert_eq!(escapes(&plain), 0);
    }
}
