//! Section builders: one module per lens, each turning that lens's results into a [`Section`]
//! with headline answers and evidence.
//!
//! [`Section`]: crate::Section

pub mod deal;
pub mod negotiation;
pub mod scenario;
pub mod stability;
