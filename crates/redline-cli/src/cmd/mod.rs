//! One module per subcommand.

pub mod analyze;
pub mod check;
pub mod deal;
pub mod export;
pub mod import;
pub mod inverse;
pub mod merge;
pub mod negotiate;
pub mod scenarios;
pub mod show;
pub mod stability;
pub mod tournament;
