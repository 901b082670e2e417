//! The plain scenario model of redline (DESIGN §2).
//!
//! A [`Scenario`] is what every lens reads. It is produced by `redline-syntax` from a TOML file (or
//! by an importer) and is plain data: references between elements are indices, expressions are
//! resolved, and nothing here carries a source position. The source map that leads back to the
//! text lives beside the model in `redline-syntax`.
//!
//! Invariants that hold for every `Scenario` built by the loader (and that the lenses rely on):
//! - every index (actor, option, issue, value) is in range;
//! - ids are unique within their kind;
//! - option expressions only appear in stability contexts, issue expressions only in deal contexts;
//! - an actor that owns an option has a stability preference when a stability view exists.

mod expr;
mod scenario;

pub use expr::{CmpOp, Expr, ExprContext, Literal};
pub use scenario::*;
