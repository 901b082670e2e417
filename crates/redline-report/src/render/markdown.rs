//! Markdown (GitHub flavour): headings with explicit anchors, answers linking to their evidence.

use std::fmt::Write;

use crate::model::{Block, Report};

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", report.title);
    if !report.description.is_empty() {
        let _ = writeln!(out, "{}\n", report.description);
    }
    if let Some(src) = &report.source {
        let _ = writeln!(out, "Source: {src}\n");
    }
    let answers = report.answers();
    if !answers.is_empty() {
        out.push_str("## Answers\n\n");
        for h in answers {
            let see = match (
                report.number_of(&h.evidence),
                report.evidence_title(&h.evidence),
            ) {
                (Some(n), Some(t)) => format!(" ([{n} {t}](#{}))", h.evidence),
                _ => String::new(),
            };
            let _ = writeln!(out, "- **{}** {}{see}", h.question.text(), h.text);
        }
        out.push('\n');
    }
    for (i, s) in report.sections.iter().enumerate() {
        let _ = writeln!(out, "<a id=\"{}\"></a>\n\n## {} {}\n", s.id, i + 1, s.title);
        if let Some(intro) = &s.intro {
            let _ = writeln!(out, "{intro}\n");
        }
        for (j, e) in s.evidence.iter().enumerate() {
            let _ = writeln!(
                out,
                "<a id=\"{}\"></a>\n\n### {}.{} {}\n",
                e.id,
                i + 1,
                j + 1,
                e.title
            );
            blocks(&mut out, &e.blocks);
        }
    }
    for n in &report.notes {
        let _ = writeln!(out, "> Note: {n}\n");
    }
    let figures = report.figure_ids().len();
    if figures > 0 {
        let _ = writeln!(
            out,
            "_The HTML report (`redline analyze --report FILE.html`) adds {figures} diagrams._"
        );
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn blocks(out: &mut String, bs: &[Block]) {
    for b in bs {
        match b {
            Block::Paragraph { text } => {
                let _ = writeln!(out, "{text}\n");
            }
            Block::List { items } => {
                for item in items {
                    let mut lines = item.split('\n');
                    let _ = writeln!(out, "- {}", lines.next().unwrap_or_default());
                    for l in lines {
                        let _ = writeln!(out, "  - {}", l.trim_start());
                    }
                }
                out.push('\n');
            }
            Block::Table(t) => {
                let _ = writeln!(out, "{}\n", super::text::table(t, true));
            }
            Block::Figure(_) => {}
            Block::Details {
                summary,
                blocks: inner,
            } => {
                let _ = writeln!(out, "**{summary}**\n");
                blocks(out, inner);
            }
        }
    }
}
