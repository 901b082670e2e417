//! Readers and writers for the formats of other tools. Strings in, plain data out: no I/O.
//!
//! - [`gmcr_py`]: the `.gmcr` JSON files of GMCR+/gmcr-py (DESIGN §3).
//! - [`genius`]: GENIUS domain and additive-profile XML (DESIGN §4).
//! - [`scenario`]: conversions between those formats and the redline scenario model.

pub mod genius;
pub mod gmcr_py;
pub mod scenario;
