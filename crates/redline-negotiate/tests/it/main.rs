//! Integration tests of the negotiation engine (one binary).

mod agents;
mod common;
mod properties;
mod protocols;
mod reference;
mod tournament;
