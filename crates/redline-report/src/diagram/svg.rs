//! A minimal SVG writer: elements appended as text, every piece of text escaped.

use std::fmt::Write;

use crate::render::html::escape;

/// Colours for parties and decision makers, in actor order (colour-blind-friendly, distinct in
/// grey print).
pub const PALETTE: [&str; 8] = [
    "#1f6fb4", "#c4402f", "#2e8b57", "#7b52ab", "#d4820f", "#138a9c", "#8c564b", "#c2549b",
];

/// The colour of the `i`-th actor.
pub fn color(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// The font stack used in every diagram (the reader's own fonts; nothing is downloaded).
pub const FONT: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif";

/// An SVG document under construction.
#[derive(Debug)]
pub struct Svg {
    id: String,
    label: String,
    width: f64,
    height: f64,
    body: String,
    markers: Vec<String>,
}

impl Svg {
    /// A `width` × `height` drawing; `label` is read out by screen readers.
    pub fn new(id: &str, width: f64, height: f64, label: &str) -> Self {
        Svg {
            id: id.to_string(),
            label: label.to_string(),
            width,
            height,
            body: String::new(),
            markers: Vec::new(),
        }
    }

    /// Appends raw markup (already escaped).
    pub fn raw(&mut self, s: &str) {
        self.body.push_str(s);
        self.body.push('\n');
    }

    /// A rectangle.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<rect x="{}" y="{}" width="{}" height="{}" {attrs}/>"#,
            n(x),
            n(y),
            n(w),
            n(h)
        );
    }

    /// A line.
    pub fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" {attrs}/>"#,
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
    }

    /// A circle.
    pub fn circle(&mut self, cx: f64, cy: f64, r: f64, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<circle cx="{}" cy="{}" r="{}" {attrs}/>"#,
            n(cx),
            n(cy),
            n(r)
        );
    }

    /// A path.
    pub fn path(&mut self, d: &str, attrs: &str) {
        let _ = writeln!(self.body, r#"<path d="{d}" {attrs}/>"#);
    }

    /// Text; `s` is escaped.
    pub fn text(&mut self, x: f64, y: f64, s: &str, attrs: &str) {
        let _ = writeln!(
            self.body,
            r#"<text x="{}" y="{}" {attrs}>{}</text>"#,
            n(x),
            n(y),
            escape(s)
        );
    }

    /// Opens a group with a tooltip (`<title>`); close it with [`Svg::end_group`].
    pub fn group(&mut self, tooltip: &str, attrs: &str) {
        let _ = writeln!(self.body, "<g {attrs}><title>{}</title>", escape(tooltip));
    }

    /// Closes a group.
    pub fn end_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// The finished `<svg>` element.
    pub fn finish(self) -> String {
        format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" id="{id}" role="img" aria-label="{label}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">
<defs>
{markers}</defs>
{body}</svg>"#,
            id = escape(&self.id),
            markers = self
                .markers
                .iter()
                .enumerate()
                .map(|(i, c)| format!(
                    r#"<marker id="{}-arrow{i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>
"#,
                    escape(&self.id)
                ))
                .collect::<String>(),
            label = escape(&self.label),
            w = n(self.width),
            h = n(self.height),
            body = self.body
        )
    }

    /// An arrowhead in `color`, for `marker-end="…"`.
    pub fn arrow(&mut self, color: &str) -> String {
        let i = match self.markers.iter().position(|c| c == color) {
            Some(i) => i,
            None => {
                self.markers.push(escape(color));
                self.markers.len() - 1
            }
        };
        format!("url(#{}-arrow{i})", escape(&self.id))
    }
}

/// A coordinate with at most one decimal.
pub fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// The approximate width of `s` in pixels at `size`, on the generous side (DejaVu Sans, the
/// widest common fallback), so that text fits whatever font the reader has.
pub fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' => 0.3,
            't' | 'f' | 'r' | ' ' | '(' | ')' | '-' => 0.4,
            'm' | 'w' | 'M' | 'W' => 0.92,
            c if c.is_uppercase() => 0.72,
            c if c.is_ascii_digit() => 0.64,
            _ => 0.6,
        })
        .sum::<f64>()
        * size
}

/// Breaks `s` into lines no wider than `max` pixels at `size`.
pub fn wrap_px(s: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size) > max {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_numbers_are_short() {
        let mut s = Svg::new("x", 10.0, 10.0, "a <b>");
        s.text(1.25, 2.0, "a < b & c", "");
        let out = s.finish();
        assert!(out.contains("a &lt; b &amp; c"));
        assert!(out.contains("aria-label=\"a &lt;b&gt;\""));
        assert!(out.contains("x=\"1.3\" y=\"2\""));
    }

    #[test]
    fn wrapping_respects_the_width() {
        let lines = wrap_px("Cap or roll back the missile programme", 12.0, 120.0);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| text_width(l, 12.0) <= 120.0));
    }
}
