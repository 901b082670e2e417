//! The report as data: sections contributed by lenses, each with headline answers and the evidence
//! they rest on. Renderers ([`crate::render`]) turn it into text, Markdown or HTML.

use serde::Serialize;

/// A whole report: one scenario seen through every lens that could run on it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The scenario's name.
    pub title: String,
    /// The scenario's description.
    pub description: String,
    /// Where the scenario comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// Remarks about the report as a whole (lenses that did not run, and why).
    pub notes: Vec<String>,
    /// The program that wrote the report, e.g. `redline 0.1.0` (HTML footer only).
    #[serde(skip)]
    pub generator: String,
}

/// The questions a report answers first, in the order they are asked. A lens answers the
/// questions it can; new lenses add their own variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    /// Do the preconditions of each side fit together?
    TalksStart,
    /// Is there an agreement everyone can accept?
    Agreement,
    /// What is stable, and is it reachable from today?
    Stability,
    /// What phased path leads to the deal, and who moves first?
    Path,
    /// How do modelled negotiations end?
    Negotiation,
    /// Where will positions settle? (forecast lens)
    Forecast,
    /// Which conclusions survive uncertainty? (robustness lens)
    Robustness,
}

impl Question {
    /// The question in words.
    pub fn text(self) -> &'static str {
        match self {
            Question::TalksStart => "Can talks start?",
            Question::Agreement => "Is there an agreement everyone can accept?",
            Question::Stability => "What is stable, and can it be reached from today?",
            Question::Path => "Which phased path leads to the deal, and who moves first?",
            Question::Negotiation => "How do modelled negotiations end?",
            Question::Forecast => "Where will positions settle?",
            Question::Robustness => "Which conclusions survive uncertainty?",
        }
    }

    /// Whether the question is answered yes or no (the others are answered in words).
    pub fn yes_no(self) -> bool {
        matches!(self, Question::TalksStart | Question::Agreement)
    }
}

/// The gist of an answer, for colour and badges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Good news: yes, it works.
    Yes,
    /// Bad news: no, it does not.
    No,
    /// Partly.
    Mixed,
    /// Information, neither good nor bad.
    Neutral,
}

impl Tone {
    /// A short word for the badge.
    pub fn word(self) -> &'static str {
        match self {
            Tone::Yes => "yes",
            Tone::No => "no",
            Tone::Mixed => "partly",
            Tone::Neutral => "note",
        }
    }
}

impl Headline {
    /// The badge beside the answer, in words that agree with its text: for a yes/no question,
    /// the answer's own first word (`yes`, `yes, if` for a conditional yes, `no`); for the
    /// others, whether the finding is favourable, unfavourable or mixed.
    pub fn badge(&self) -> &'static str {
        let first = self
            .text
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or_default();
        if self.question.yes_no() {
            match (first, self.tone) {
                ("Yes", Tone::Yes) => "yes",
                ("Yes", _) => "yes, if",
                ("No" | "Not", _) => "no",
                _ => self.tone.word(),
            }
        } else {
            match self.tone {
                Tone::Yes => "favourable",
                Tone::No => "unfavourable",
                Tone::Mixed => "mixed",
                Tone::Neutral => "note",
            }
        }
    }
}

/// A headline answer: plain sentences generated from results, linked to the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    /// The question it answers.
    pub question: Question,
    /// Its gist.
    pub tone: Tone,
    /// The answer in plain sentences.
    pub text: String,
    /// The id of the [`Evidence`] it rests on.
    pub evidence: String,
}

/// What one lens contributes: headline answers and the evidence behind them.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Anchor id, unique in the report (`deal`, `stability`, …).
    pub id: String,
    /// The lens (`scenario`, `deal`, `stability`, `negotiation`, `forecast`, `robustness`).
    pub lens: String,
    /// Heading.
    pub title: String,
    /// One paragraph saying what the lens does, for readers who do not know the method.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<String>,
    /// Headline answers, in question order.
    pub headlines: Vec<Headline>,
    /// The evidence, in reading order.
    pub evidence: Vec<Evidence>,
}

/// One piece of evidence: a titled group of blocks with an anchor.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// Anchor id, unique in the report (`deal-plan`).
    pub id: String,
    /// Heading.
    pub title: String,
    /// Content.
    pub blocks: Vec<Block>,
}

/// A piece of content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A paragraph of plain text.
    Paragraph {
        /// The text.
        text: String,
    },
    /// A bulleted list; an item's continuation lines follow `\n`.
    List {
        /// The items.
        items: Vec<String>,
    },
    /// A table.
    Table(Table),
    /// A diagram (HTML only; text and Markdown carry the same facts in other blocks).
    Figure(Figure),
    /// Detail that HTML folds away and text prints in full.
    Details {
        /// The one-line summary shown when folded.
        summary: String,
        /// The content.
        blocks: Vec<Block>,
    },
}

impl Block {
    /// A paragraph.
    pub fn para(text: impl Into<String>) -> Self {
        Block::Paragraph { text: text.into() }
    }

    /// A list.
    pub fn list(items: Vec<String>) -> Self {
        Block::List { items }
    }
}

/// A table of text cells.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Table {
    /// Column headings.
    pub header: Vec<String>,
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<String>>,
    /// Columns to right-align (numbers).
    pub numeric: Vec<bool>,
}

/// A diagram drawn as inline SVG.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// The SVG element's id (`fig-state-graph`).
    pub id: String,
    /// Title shown above it.
    pub title: String,
    /// How to read it, in one or two sentences.
    pub caption: String,
    /// The `<svg>` element.
    #[serde(skip)]
    pub svg: String,
}

impl Report {
    /// Every headline of every section, in question order (sections in order within a question).
    pub fn answers(&self) -> Vec<&Headline> {
        let mut all: Vec<&Headline> = self.sections.iter().flat_map(|s| &s.headlines).collect();
        all.sort_by_key(|h| h.question);
        all
    }

    /// The ids of every figure, in order.
    pub fn figure_ids(&self) -> Vec<&str> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a str>) {
            for b in blocks {
                match b {
                    Block::Figure(f) => out.push(&f.id),
                    Block::Details { blocks, .. } => walk(blocks, out),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for s in &self.sections {
            for e in &s.evidence {
                walk(&e.blocks, &mut out);
            }
        }
        out
    }

    /// Section and evidence numbers (`2`, `2.3`) by anchor id, as the renderers print them.
    pub fn numbering(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (i, s) in self.sections.iter().enumerate() {
            out.push((s.id.clone(), format!("{}", i + 1)));
            for (j, e) in s.evidence.iter().enumerate() {
                out.push((e.id.clone(), format!("{}.{}", i + 1, j + 1)));
            }
        }
        out
    }

    /// The number of the section or evidence with this id.
    pub fn number_of(&self, id: &str) -> Option<String> {
        self.numbering()
            .into_iter()
            .find(|(k, _)| k == id)
            .map(|(_, n)| n)
    }

    /// The title of the evidence with this id.
    pub fn evidence_title(&self, id: &str) -> Option<&str> {
        self.sections
            .iter()
            .flat_map(|s| &s.evidence)
            .find(|e| e.id == id)
            .map(|e| e.title.as_str())
    }
}

#[cfg(test)]
mod badge_tests {
    use super::*;

    fn h(question: Question, tone: Tone, text: &str) -> Headline {
        Headline {
            question,
            tone,
            text: text.into(),
            evidence: String::new(),
        }
    }

    #[test]
    fn badges_agree_with_their_text() {
        // Issue 9, item 10: "PARTLY" stood beside "Yes, once three issues move".
        assert_eq!(
            h(
                Question::TalksStart,
                Tone::Mixed,
                "Yes, once three issues move."
            )
            .badge(),
            "yes, if"
        );
        assert_eq!(
            h(Question::Agreement, Tone::Yes, "Yes: 272 of …").badge(),
            "yes"
        );
        assert_eq!(
            h(Question::Agreement, Tone::No, "No agreement is …").badge(),
            "no"
        );
        // "YES" on a question that is not yes/no.
        assert_eq!(
            h(Question::Negotiation, Tone::Yes, "Without a mediator …").badge(),
            "favourable"
        );
        assert_eq!(
            h(Question::Stability, Tone::Mixed, "Four of …").badge(),
            "mixed"
        );
    }
}
