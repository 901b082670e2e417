//! Per-negotiation quality metrics against a reference computed by the caller.

use serde::{Deserialize, Serialize};

use crate::NegotiateError;

/// The analysis of a domain that metrics compare against, computed by the caller (the deal lens):
/// the Pareto frontier's utility vectors and the Nash bargaining point. The engine does not compute
/// frontiers itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Utility vectors of the Pareto frontier (one entry per party each).
    pub frontier: Vec<Vec<f64>>,
    /// Utilities of the Nash bargaining point, if there is one.
    pub nash: Option<Vec<f64>>,
}

impl Reference {
    /// Checks that every vector has `parties` finite entries.
    pub fn validate(&self, domain: &str, parties: usize) -> Result<(), NegotiateError> {
        let bad = |reason: String| {
            Err(NegotiateError::InvalidReference {
                domain: domain.to_string(),
                reason,
            })
        };
        for (i, v) in self.frontier.iter().enumerate() {
            if v.len() != parties {
                return bad(format!(
                    "frontier point {i} has {} utilities for {parties} parties",
                    v.len()
                ));
            }
            if v.iter().any(|x| !x.is_finite()) {
                return bad(format!("frontier point {i} is not finite"));
            }
        }
        if let Some(n) = &self.nash {
            if n.len() != parties {
                return bad(format!(
                    "the Nash point has {} utilities for {parties} parties",
                    n.len()
                ));
            }
            if n.iter().any(|x| !x.is_finite()) {
                return bad("the Nash point is not finite".into());
            }
        }
        Ok(())
    }

    /// Euclidean distance from `utilities` to the nearest frontier point (`None` for an empty
    /// frontier).
    pub fn pareto_distance(&self, utilities: &[f64]) -> Option<f64> {
        self.frontier
            .iter()
            .map(|f| distance(f, utilities))
            .min_by(f64::total_cmp)
    }

    /// Euclidean distance from `utilities` to the Nash point.
    pub fn nash_distance(&self, utilities: &[f64]) -> Option<f64> {
        self.nash.as_ref().map(|n| distance(n, utilities))
    }
}

/// Euclidean distance.
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

/// The metrics of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Sum of the final utilities.
    pub welfare: f64,
    /// Distance of the final undiscounted utilities to the Pareto frontier (`None` without a
    /// reference). Undiscounted, because the frontier is.
    pub pareto_distance: Option<f64>,
    /// Distance of the final undiscounted utilities to the Nash point (`None` without one).
    pub nash_distance: Option<f64>,
    /// How many parties' red lines the agreement breaks (0 without an agreement). Only
    /// red-line-aware agents are sure never to agree to such a text.
    #[serde(default)]
    pub red_line_breaches: u32,
}

impl Metrics {
    /// Metrics of a negotiation's result: welfare from what the parties get (discounted when
    /// discounting is on), distances in the reference's undiscounted utility space.
    pub fn of(result: &crate::NegotiationResult, reference: Option<&Reference>) -> Self {
        let undiscounted = if result.undiscounted.len() == result.utilities.len() {
            &result.undiscounted
        } else {
            &result.utilities
        };
        Metrics::of_utilities(&result.utilities, undiscounted, reference)
    }

    /// Metrics of final `utilities` (reservation values when there was no agreement) and their
    /// `undiscounted` counterparts.
    pub fn of_utilities(
        utilities: &[f64],
        undiscounted: &[f64],
        reference: Option<&Reference>,
    ) -> Self {
        Metrics {
            welfare: utilities.iter().sum(),
            pareto_distance: reference.and_then(|r| r.pareto_distance(undiscounted)),
            nash_distance: reference.and_then(|r| r.nash_distance(undiscounted)),
            red_line_breaches: 0,
        }
    }

    /// Counts the parties of `domain` whose red lines `agreement` breaks.
    pub fn with_breaches(
        mut self,
        domain: &crate::Domain,
        agreement: Option<crate::OutcomeId>,
    ) -> Self {
        self.red_line_breaches = agreement.map_or(0, |o| {
            domain.parties.iter().filter(|p| !p.permits(o)).count() as u32
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Welfare is what the parties get; distances are measured undiscounted, in the space of the
    /// frontier and the Nash point (issue 9, item 6: a discounted deal on the frontier was said
    /// to be 0.76 from the Nash deal).
    #[test]
    fn distances_are_undiscounted_welfare_is_not() {
        let r = Reference {
            frontier: vec![vec![1.0, 0.0], vec![0.6, 0.6], vec![0.0, 1.0]],
            nash: Some(vec![0.6, 0.6]),
        };
        let result = crate::NegotiationResult {
            agreement: Some(0),
            end: crate::EndReason::Agreement,
            round: 100,
            time: 0.99,
            utilities: vec![0.3, 0.3],
            undiscounted: vec![0.6, 0.6],
        };
        let m = Metrics::of(&result, Some(&r));
        assert!((m.welfare - 0.6).abs() < 1e-12);
        assert_eq!(m.nash_distance, Some(0.0));
        assert_eq!(m.pareto_distance, Some(0.0));
    }

    #[test]
    fn distances() {
        let r = Reference {
            frontier: vec![vec![1.0, 0.0], vec![0.6, 0.6], vec![0.0, 1.0]],
            nash: Some(vec![0.6, 0.6]),
        };
        assert!(r.validate("d", 2).is_ok());
        assert!(r.validate("d", 3).is_err());
        let m = Metrics::of_utilities(&[0.6, 0.2], &[0.6, 0.2], Some(&r));
        assert!((m.welfare - 0.8).abs() < 1e-12);
        assert!((m.pareto_distance.unwrap() - 0.4).abs() < 1e-12);
        assert!((m.nash_distance.unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(
            Metrics::of_utilities(&[0.6, 0.2], &[0.6, 0.2], None).pareto_distance,
            None
        );
    }
}
