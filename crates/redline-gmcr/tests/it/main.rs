//! Integration tests of the stability engine.

mod brute;
mod coalitions;
mod props;
mod reference;
mod status_quo;
mod validation;
