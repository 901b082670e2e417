//! Integration tests of the stability engine.

mod brute;
mod coalitions;
mod inverse;
mod limited;
mod props;
mod reference;
mod status_quo;
mod validation;

/// A gmcr-py file as the product reads it: `redline_interop` → scenario → `from_scenario`.
pub(crate) fn spec_of(file: &redline_interop::gmcr_py::GmcrPyFile) -> redline_gmcr::ConflictSpec {
    let sc = redline_interop::scenario::from_gmcr_py(file, "reference", "reference").unwrap();
    redline_gmcr::from_scenario(&sc).unwrap().0
}
