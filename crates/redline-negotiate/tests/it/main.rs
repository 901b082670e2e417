//! Integration tests of the negotiation engine (one binary).

mod agents;
mod breakdown;
mod common;
mod properties;
mod protocols;
mod public_red_lines;
mod reference;
mod tournament;
