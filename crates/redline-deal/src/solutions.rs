//! Bargaining solutions over a set of outcomes (normally the ZOPA), with the disagreement point
//! `d` = the reservation values (DESIGN §4).
//!
//! - Nash: argmax `Π_i (U_i − d_i)`.
//! - Kalai–Smorodinsky: argmax `min_i (U_i − d_i) / (I_i − d_i)`, with `I_i` the best utility of
//!   party `i` over the same set (its ideal point). A party with `I_i = d_i` gets ratio 1: it is
//!   at its best everywhere in the set. This is DESIGN's definition; NegMAS instead picks the
//!   frontier point whose normalised gains are most nearly equal ("min spread"), which can differ.
//! - Egalitarian: argmax `min_i (U_i − d_i)`.
//! - Utilitarian: argmax `Σ_i U_i`.
//!
//! Ties: values within `1e-12 · max(1, |best|)` of the best count as equal; among those the
//! higher Nash product wins (same tolerance), then the lowest outcome index (lexicographic order).

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

/// The four solutions, as outcome indices (`None` when the set is empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SolutionIndices {
    /// Nash bargaining solution.
    pub nash: Option<usize>,
    /// Kalai–Smorodinsky solution.
    pub kalai_smorodinsky: Option<usize>,
    /// Egalitarian solution.
    pub egalitarian: Option<usize>,
    /// Utilitarian solution.
    pub utilitarian: Option<usize>,
}

fn tol(x: f64) -> f64 {
    1e-12 * x.abs().max(1.0)
}

/// The Nash product `Π (U_i − d_i)` of one outcome.
pub fn nash_product(utilities: &[Vec<f64>], d: &[f64], i: usize) -> f64 {
    utilities.iter().zip(d).map(|(u, d)| u[i] - d).product()
}

/// Picks the best outcome of `set` under `value`, with the module's tie-break.
pub fn argmax(
    set: &FixedBitSet,
    value: impl Fn(usize) -> f64,
    nash: impl Fn(usize) -> f64,
) -> Option<usize> {
    let best = set.ones().map(&value).fold(f64::NEG_INFINITY, f64::max);
    if best == f64::NEG_INFINITY {
        return None;
    }
    let near = |i: usize| value(i) >= best - tol(best);
    let best_nash = set
        .ones()
        .filter(|&i| near(i))
        .map(&nash)
        .fold(f64::NEG_INFINITY, f64::max);
    set.ones()
        .find(|&i| near(i) && nash(i) >= best_nash - tol(best_nash))
}

/// Computes the four solutions over `set`.
pub fn solve(utilities: &[Vec<f64>], d: &[f64], set: &FixedBitSet) -> SolutionIndices {
    let nash = |i: usize| nash_product(utilities, d, i);
    let ideal: Vec<f64> = utilities
        .iter()
        .map(|u| set.ones().map(|i| u[i]).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    let ks = |i: usize| {
        utilities
            .iter()
            .zip(d)
            .zip(&ideal)
            .map(|((u, d), ideal)| {
                let span = ideal - d;
                if span > 0.0 { (u[i] - d) / span } else { 1.0 }
            })
            .fold(f64::INFINITY, f64::min)
    };
    let egal = |i: usize| {
        utilities
            .iter()
            .zip(d)
            .map(|(u, d)| u[i] - d)
            .fold(f64::INFINITY, f64::min)
    };
    let util = |i: usize| utilities.iter().map(|u| u[i]).sum::<f64>();
    SolutionIndices {
        nash: argmax(set, nash, nash),
        kalai_smorodinsky: argmax(set, ks, nash),
        egalitarian: argmax(set, egal, nash),
        utilitarian: argmax(set, util, nash),
    }
}
