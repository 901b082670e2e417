//! Reports across the lenses.
//!
//! A [`Report`] is a list of [`Section`]s, one per lens that ran (plus the scenario itself). Each
//! section carries **headline answers** — plain sentences generated from the lens's results, each
//! answering one [`Question`] and linking to its **evidence** — and the evidence: paragraphs,
//! lists, tables and diagrams. The answers of all sections are shown first, in question order.
//!
//! - [`lens`] builds sections from lens results (`scenario`, `deal`, `stability`,
//!   `negotiation`). A new lens (forecast, robustness) adds a module there that returns a
//!   [`Section`] answering its [`Question`]; nothing else changes.
//! - [`render`] turns a report into terminal text ([`render::text`], with colour only when the
//!   caller asks), Markdown ([`render::markdown`]) or one self-contained HTML file
//!   ([`render::html`], a `minijinja` template with inline CSS and SVG).
//! - [`diagram`] draws the diagrams as SVG: the GMCR state graph (with a DOT export and a
//!   layered layout of our own; Graphviz's layout is used when the caller supplies it), the
//!   stability table, the Pareto plot of the deal space, the phased-plan timeline and
//!   negotiation traces.
//!
//! The crate does no I/O: it neither reads nor writes files, prints, runs programs nor looks at
//! the environment. The CLI decides colour, runs Graphviz when it is installed and writes files.

pub mod diagram;
pub mod lens;
pub mod model;
pub mod render;
pub mod words;

pub use model::{Block, Evidence, Figure, Headline, Question, Report, Section, Table, Tone};
pub use render::html::HtmlError;
pub use render::text::TextOptions;
