//! Integration tests of the stability engine.

mod brute;
mod coalitions;
mod inverse;
mod limited;
mod props;
mod reference;
mod status_quo;
mod validation;
