//! Making user strings safe for each output format: one helper per format.
//!
//! Scenario files are text from anyone. A name holding `ESC ] 0 ; … BEL` would set the
//! reader's terminal title, ANSI codes would recolour it, a bidi override would reorder what
//! they read, and `<script>` in a Markdown table would run in whatever renders it. Every
//! renderer passes the strings it did not write itself through the helper for its format:
//!
//! - [`terminal`]: text for a terminal (stdout or stderr). Control characters other than
//!   newline and tab, and the bidi embedding, override and isolate characters, become visible
//!   `\u{..}` escapes.
//! - [`terminal_same_len`]: the same characters replaced by `?` runs of equal byte length,
//!   for source excerpts whose byte offsets must not move.
//! - [`md_inline`], [`md_cell`], [`md_document`]: Markdown. HTML's `<`, and `&` where it could
//!   start an entity, become entities outside code spans (inside a code span they are inert), table cells also escape
//!   `|` and fold newlines, and inline text folds newlines so that a name cannot start a
//!   heading or a list.
//! - HTML escaping lives with the HTML renderer ([`super::html::escape`]); minijinja
//!   auto-escapes the template.

use std::borrow::Cow;

/// The stand-in for ESC that the text renderer uses for its own colour codes; it is escaped
/// in user strings like a control character, so only the renderer can produce a real ESC.
pub(crate) const ESC_STAND_IN: char = '\u{E01B}';

/// Whether a character must not reach a terminal as it is.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
        || c == ESC_STAND_IN
}

/// Text for a terminal: every character of [`is_unsafe_for_terminal`] becomes `\u{XX}`.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape_unsafe(s, None)
}

/// [`terminal`], leaving the renderer's colour stand-ins for the caller to turn into ESC. Only
/// for text in which no user string holds a stand-in (the text renderer checks).
pub(crate) fn terminal_keeping_stand_ins(s: &str) -> Cow<'_, str> {
    escape_unsafe(s, Some(ESC_STAND_IN))
}

fn escape_unsafe(s: &str, keep: Option<char>) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe_for_terminal(c) && Some(c) != keep;
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`terminal`], but each unsafe character becomes as many `?` as it has bytes, so byte
/// offsets into the text (diagnostic spans) stay valid.
pub fn terminal_same_len(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_unsafe_for_terminal(c) {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escapes `<` and entity-starting `&` as HTML entities outside Markdown code spans. A backtick run opens
/// a code span only when a run of the same length closes it (CommonMark); an unmatched run is
/// escaped so that it cannot pair with a later one.
fn html_outside_code(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let mut i = 0;
    let mut plain_from = 0;
    // `<` is what opens a tag; `&` is escaped where it could start an entity (`&lt;` typed by a
    // user stays visible as typed); `>` alone is inert and stays readable ("0.3 > 0.2").
    let flush = |out: &mut String, from: usize, to: usize| {
        let mut chars = s[from..to].chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '<' => out.push_str("&lt;"),
                '&' if chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
                {
                    out.push_str("&amp;")
                }
                c => out.push(c),
            }
        }
    };
    while i < b.len() {
        if b[i] != b'`' {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i] == b'`' {
            i += 1;
        }
        let n = i - start;
        // Find a closing run of exactly n backticks.
        let mut j = i;
        let mut close = None;
        while j < b.len() {
            if b[j] == b'`' {
                let k = j;
                while j < b.len() && b[j] == b'`' {
                    j += 1;
                }
                if j - k == n {
                    close = Some(j);
                    break;
                }
            } else {
                j += 1;
            }
        }
        flush(out, plain_from, start);
        match close {
            Some(end) => {
                out.push_str(&s[start..end]);
                i = end;
            }
            None => {
                for _ in 0..n {
                    out.push_str("\\`");
                }
            }
        }
        plain_from = i;
    }
    flush(out, plain_from, b.len());
}

/// A Markdown document or block written by a renderer that emits no raw HTML of its own:
/// HTML outside code spans is escaped, and terminal-unsafe characters made visible.
pub fn md_document(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    html_outside_code(&terminal(s), &mut out);
    out
}

/// Inline Markdown from a user string (a heading, a list item, a sentence): as
/// [`md_document`], with newlines folded into spaces so that it cannot start a block.
pub fn md_inline(s: &str) -> String {
    let folded: String = terminal(s)
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut out = String::with_capacity(folded.len());
    html_outside_code(&folded, &mut out);
    out
}

/// A Markdown table cell: as [`md_inline`], with `|` escaped (GFM splits cells on `|` even
/// inside code spans).
pub fn md_cell(s: &str) -> String {
    md_inline(s).replace('|', "\\|")
}

/// A table cell for a terminal table (`md` false) or a Markdown pipe table, escaped before the
/// table measures its columns.
pub fn cell(s: &str, md: bool) -> String {
    if md {
        md_cell(s)
    } else {
        terminal(s).into_owned()
    }
}

/// A Markdown paragraph from a user string that may hold paragraphs of its own: blank lines
/// stay paragraph breaks, single newlines become spaces, and a paragraph that would start a
/// block (`#`, `>`, `-`, `*`, `+`, `|`, `=`, a fence, `1.`) has its first character escaped.
pub fn md_paragraphs(s: &str) -> String {
    s.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut line = md_inline(p);
            let first = line.chars().next().unwrap_or(' ');
            let ordered = line
                .split_once(['.', ')'])
                .is_some_and(|(d, _)| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
            if matches!(first, '#' | '>' | '-' | '*' | '+' | '|' | '=' | '~' | '`') || ordered {
                line.insert(
                    if ordered {
                        line.find(['.', ')']).unwrap_or(0)
                    } else {
                        0
                    },
                    '\\',
                );
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Text shown verbatim in Markdown: a fenced code block whose fence is longer than any
/// backtick run in the text, so nothing in it can close the fence.
pub fn md_fenced(text: &str, info: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let body = terminal(text);
    let nl = if body.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{body}{nl}{fence}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_controls_and_bidi() {
        assert_eq!(terminal("a\x1b]0;x\x07b"), "a\\u{1b}]0;x\\u{7}b");
        assert_eq!(terminal("\x1b[31mred"), "\\u{1b}[31mred");
        assert_eq!(terminal("x\u{202E}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(terminal("c1\u{9b}"), "c1\\u{9b}");
        assert_eq!(terminal("cr\rdel\u{7f}"), "cr\\u{d}del\\u{7f}");
        assert_eq!(terminal(&ESC_STAND_IN.to_string()), "\\u{e01b}");
        assert!(matches!(terminal("plain\ttext\nok é 中"), Cow::Borrowed(_)));
    }

    #[test]
    fn same_len_keeps_byte_offsets() {
        for s in ["a\x1bb", "x\u{9b}y", "p\u{202E}q", "ok"] {
            let t = terminal_same_len(s);
            assert_eq!(t.len(), s.len());
            assert!(!t.chars().any(is_unsafe_for_terminal));
        }
    }

    #[test]
    fn markdown_escapes_html_outside_code() {
        assert_eq!(
            md_inline("<script>alert(1)</script> & `a<b` &lt; R&D"),
            "&lt;script>alert(1)&lt;/script> & `a<b` &amp;lt; R&amp;D"
        );
        // An unmatched backtick cannot open a span that would hide a later tag.
        assert_eq!(md_inline("`x <b>"), "\\`x &lt;b>");
        assert_eq!(md_inline("``a` <i>"), "\\`\\`a\\` &lt;i>");
        assert_eq!(md_inline("line\n# heading"), "line # heading");
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
        assert_eq!(
            md_document("`x`\n<img src=x onerror=1>"),
            "`x`\n&lt;img src=x onerror=1>"
        );
    }

    #[test]
    fn fences_outlast_the_text() {
        assert_eq!(md_fenced("a\n", "text"), "```text\na\n```\n");
        assert_eq!(md_fenced("x ```` y", ""), "`````\nx ```` y\n`````\n");
    }

    #[test]
    fn markdown_paragraphs_cannot_start_blocks() {
        assert_eq!(
            md_paragraphs("# h1\n\n- item\n\n1. one\n\nfine"),
            "\\# h1\n\n\\- item\n\n1\\. one\n\nfine"
        );
        assert_eq!(md_paragraphs("a\nb"), "a b");
    }
}
