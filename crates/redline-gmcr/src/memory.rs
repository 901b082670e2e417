//! Up-front memory estimates, so that a caller can refuse a model before building it.

use serde::{Deserialize, Serialize};

use crate::formula::Compiled;
use crate::model::{count_feasible, dense_index_pays};
use crate::spec::{ConflictSpec, Preference, SpecError};

/// What an analysis of all six concepts is expected to need at its peak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryEstimate {
    /// The number of feasible states, or an upper bound (`exact` false) when counting them
    /// would take too long.
    pub states: u64,
    pub exact: bool,
    /// Bytes held by the model (codes, index, payoffs, misperceptions).
    pub model_bytes: u64,
    /// Peak bytes of the analysis on top of the model.
    pub analysis_bytes: u64,
}

impl MemoryEstimate {
    pub fn total_bytes(&self) -> u64 {
        self.model_bytes.saturating_add(self.analysis_bytes)
    }
}

/// Peak bytes needed to build the model and analyse all six concepts (see
/// [`estimate_memory_detail`]), or why the spec has no shape to estimate.
pub fn estimate_memory(spec: &ConflictSpec) -> Result<u64, SpecError> {
    estimate_memory_detail(spec).map(|e| e.total_bytes())
}

/// The memory estimate with its parts. The number of feasible states is counted exactly by the
/// same pruned walk that enumerates them (without storing them) when that takes at most about
/// a million steps; otherwise 2^n is used as an upper bound.
pub fn estimate_memory_detail(spec: &ConflictSpec) -> Result<MemoryEstimate, SpecError> {
    spec.validate_shape()?;
    let n = spec.options.len();
    let infeasible: Vec<Compiled> = spec.infeasible.iter().map(Compiled::new).collect();
    let (states, exact) = match count_feasible(n, &infeasible, 1 << 20) {
        Some(s) => (s, true),
        None => (1u64 << n, false),
    };
    let d = spec.dms.len() as u64;
    let s = states;
    let table = if dense_index_pays(n, s) { 4u64 << n } else { 0 };
    let statements = spec
        .dms
        .iter()
        .any(|dm| matches!(dm.preference, Preference::Statements(_)));
    let misperceiving = spec
        .dms
        .iter()
        .filter(|dm| !dm.misperceived.is_empty())
        .count() as u64;
    // Codes, index, payoffs, misperception bits, and the transient scores of option
    // prioritisation (score per state plus the sorted distinct scores).
    let model_bytes =
        8 * s + table + 4 * s * d + misperceiving * s / 8 + if statements { 16 * s } else { 0 };
    // Fibers (order and starts) per DM, stability flags, three value arrays for the focal DM,
    // dirty bits, improvement masks for SIM (DMs with at most six options) and the SIM result.
    let mut widths = vec![0u32; spec.dms.len()];
    for o in &spec.options {
        if let Some(w) = widths.get_mut(o.dm) {
            *w += 1;
        }
    }
    // SIM keeps 8 bytes per state for a DM with at most six options, and at most 20 (tie-group
    // bit sets and the group of each state) for a wider one.
    let sim_sets: u64 = widths.iter().map(|&w| if w <= 6 { 8 } else { 20 }).sum();
    // SIM's occupancy bitmap over all codes (with its summaries) when the code space is dense.
    let occupancy = if n <= 32 && (1u64 << n) <= 64 * s {
        (1u64 << n) / 4
    } else {
        0
    };
    let analysis_bytes =
        8 * s * d + s * d + 12 * s + d * s / 8 + sim_sets * s + 8 * s + 2 * s * d + occupancy;
    Ok(MemoryEstimate {
        states,
        exact,
        model_bytes,
        analysis_bytes,
    })
}
