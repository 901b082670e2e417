//! Renderers: terminal text, Markdown and a self-contained HTML page.

pub mod escape;
pub mod html;
pub mod markdown;
pub mod text;
