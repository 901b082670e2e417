//! A self-contained HTML page: one file with inline CSS, inline SVG and a tiny inline script; no
//! fonts, images, scripts or styles from anywhere else (a Content-Security-Policy says so).
//!
//! The page skeleton is a `minijinja` template (`templates/report.html`); blocks are turned into
//! HTML here, escaping every piece of text.

use std::fmt::Write;

use serde::Serialize;

use crate::model::{Block, Report, Table};

const TEMPLATE: &str = include_str!("../../templates/report.html");

/// Why the page could not be rendered (a bug in the template, not in the input).
#[derive(Debug, thiserror::Error)]
#[error("HTML report template: {0}")]
pub struct HtmlError(#[from] minijinja::Error);

#[derive(Serialize)]
struct Page<'a> {
    title: &'a str,
    description: &'a str,
    source: Option<&'a str>,
    generator: &'a str,
    answers: Vec<AnswerCtx>,
    sections: Vec<SectionCtx>,
    notes: Vec<String>,
    /// The figure ids as a JavaScript array literal.
    figures_json: String,
}

#[derive(Serialize)]
struct AnswerCtx {
    question: &'static str,
    tone: &'static str,
    badge: &'static str,
    html: String,
    link: String,
    link_text: String,
}

#[derive(Serialize)]
struct SectionCtx {
    id: String,
    number: String,
    title: String,
    intro: Option<String>,
    evidence: Vec<EvidenceCtx>,
}

#[derive(Serialize)]
struct EvidenceCtx {
    id: String,
    number: String,
    title: String,
    html: String,
}

/// Renders the report as one HTML document.
pub fn render(report: &Report) -> Result<String, HtmlError> {
    let answers = report
        .answers()
        .into_iter()
        .map(|h| {
            let number = report.number_of(&h.evidence).unwrap_or_default();
            let title = report.evidence_title(&h.evidence).unwrap_or("evidence");
            AnswerCtx {
                question: h.question.text(),
                tone: match h.tone {
                    crate::Tone::Yes => "yes",
                    crate::Tone::No => "no",
                    crate::Tone::Mixed => "mixed",
                    crate::Tone::Neutral => "neutral",
                },
                badge: h.badge(),
                html: lead(&h.text),
                link: format!("#{}", h.evidence),
                link_text: format!("{number} {title}"),
            }
        })
        .collect();
    let sections = report
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| SectionCtx {
            id: s.id.clone(),
            number: format!("{}", i + 1),
            title: s.title.clone(),
            intro: s.intro.as_deref().map(inline),
            evidence: s
                .evidence
                .iter()
                .enumerate()
                .map(|(j, e)| {
                    let mut html = String::new();
                    blocks(&mut html, &e.blocks);
                    EvidenceCtx {
                        id: e.id.clone(),
                        number: format!("{}.{}", i + 1, j + 1),
                        title: e.title.clone(),
                        html,
                    }
                })
                .collect(),
        })
        .collect();
    let page = Page {
        title: &report.title,
        description: &report.description,
        source: report.source.as_deref(),
        generator: &report.generator,
        answers,
        sections,
        notes: report.notes.iter().map(|n| inline(n)).collect(),
        figures_json: format!(
            "[{}]",
            report
                .figure_ids()
                .iter()
                .map(|id| format!("\"{}\"", js_string(id)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)?;
    Ok(env
        .get_template("report.html")?
        .render(minijinja::value::Serde(&page))?)
}

/// Keeps the characters that are safe in a JavaScript string literal inside a script element.
fn js_string(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .collect()
}

/// Escapes text for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Like [`inline`], with the answer's lead (up to the first `. ` or `: `, when short) in bold.
fn lead(s: &str) -> String {
    let cut = [". ", ": "]
        .iter()
        .filter_map(|p| s.find(p))
        .min()
        .filter(|&i| i <= 150 && !s[..i].contains('`'));
    match cut {
        Some(i) => format!(
            "<strong>{}</strong>{}",
            inline(&s[..=i]),
            inline(&s[i + 1..])
        ),
        None => inline(s),
    }
}

/// Escapes text and turns `` `code` `` spans into `<code>` and newlines into line breaks.
pub fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        let e = escape(part).replace('\n', "<br>");
        if i % 2 == 1 {
            let _ = write!(out, "<code>{e}</code>");
        } else {
            out.push_str(&e);
        }
    }
    out
}

fn blocks(out: &mut String, bs: &[Block]) {
    for b in bs {
        match b {
            Block::Paragraph { text } => {
                let _ = writeln!(out, "<p>{}</p>", inline(text));
            }
            Block::List { items } => {
                out.push_str("<ul>\n");
                for item in items {
                    let mut lines = item.split('\n');
                    let _ = write!(out, "<li>{}", inline(lines.next().unwrap_or_default()));
                    for l in lines {
                        let _ = write!(out, "<br><span class=\"sub\">{}</span>", inline(l.trim()));
                    }
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Table(t) => table(out, t),
            Block::Figure(f) => {
                let _ = writeln!(
                    out,
                    "<figure class=\"diagram\" data-figure=\"{}\">\n<figcaption><strong>{}</strong> {}</figcaption>\n<div class=\"svgwrap\">{}</div>\n</figure>",
                    escape(&f.id),
                    inline(&f.title),
                    inline(&f.caption),
                    f.svg
                );
            }
            Block::Details {
                summary,
                blocks: inner,
            } => {
                let _ = writeln!(out, "<details>\n<summary>{}</summary>", inline(summary));
                blocks(out, inner);
                out.push_str("</details>\n");
            }
        }
    }
}

fn table(out: &mut String, t: &Table) {
    out.push_str("<div class=\"tablewrap\"><table>\n<thead><tr>");
    for (i, h) in t.header.iter().enumerate() {
        let class = if t.numeric.get(i).copied().unwrap_or(false) {
            " class=\"num\""
        } else {
            ""
        };
        let _ = write!(out, "<th{class}>{}</th>", inline(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &t.rows {
        out.push_str("<tr>");
        for (i, c) in r.iter().enumerate() {
            let class = if t.numeric.get(i).copied().unwrap_or(false) {
                " class=\"num\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", inline(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lead_is_bold() {
        assert_eq!(lead("Yes: it works."), "<strong>Yes:</strong> it works.");
        assert_eq!(lead("No way"), "No way");
    }

    #[test]
    fn inline_escapes_and_marks_code() {
        assert_eq!(
            inline("a < b & `x => y`\nz"),
            "a &lt; b &amp; <code>x =&gt; y</code><br>z"
        );
    }
}
