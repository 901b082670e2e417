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

/// Picks the best of `members` (outcome indices, ascending) by `values` (one per member), with
/// the module's tie-break on `nash` (one per member).
fn argmax(members: &[usize], values: &[f64], nash: &[f64]) -> Option<usize> {
    let best = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if members.is_empty() || best.is_nan() {
        return None;
    }
    let near = |j: usize| values[j] >= best - tol(best);
    let best_nash = (0..members.len())
        .filter(|&j| near(j))
        .map(|j| nash[j])
        .fold(f64::NEG_INFINITY, f64::max);
    (0..members.len())
        .find(|&j| near(j) && nash[j] >= best_nash - tol(best_nash))
        .map(|j| members[j])
}

/// Computes the four solutions over `set`.
pub fn solve(utilities: &[Vec<f64>], d: &[f64], set: &FixedBitSet) -> SolutionIndices {
    let members: Vec<usize> = set.ones().collect();
    let members = &members;
    let gains = |j: usize| {
        let i = members[j];
        utilities.iter().zip(d).map(move |(u, d)| u[i] - d)
    };
    let nash: Vec<f64> = (0..members.len()).map(|j| gains(j).product()).collect();
    let ideal: Vec<f64> = utilities
        .iter()
        .map(|u| {
            members
                .iter()
                .map(|&i| u[i])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let ks: Vec<f64> = (0..members.len())
        .map(|j| {
            gains(j)
                .zip(d.iter().zip(&ideal))
                .map(|(g, (d, ideal))| {
                    let span = ideal - d;
                    if span > 0.0 { g / span } else { 1.0 }
                })
                .fold(f64::INFINITY, f64::min)
        })
        .collect();
    let egal: Vec<f64> = (0..members.len())
        .map(|j| gains(j).fold(f64::INFINITY, f64::min))
        .collect();
    let util: Vec<f64> = members
        .iter()
        .map(|&i| utilities.iter().map(|u| u[i]).sum::<f64>())
        .collect();
    SolutionIndices {
        nash: argmax(members, &nash, &nash),
        kalai_smorodinsky: argmax(members, &ks, &nash),
        egalitarian: argmax(members, &egal, &nash),
        utilitarian: argmax(members, &util, &nash),
    }
}
