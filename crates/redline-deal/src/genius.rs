//! Lowering GENIUS domains and profiles into a [`DealSpec`].

use redline_interop::genius::{GeniusDomain, GeniusEvaluator, GeniusIssueKind, GeniusProfile};

use crate::DealError;
use crate::spec::{DealSpec, IssueSpec, PartySpec, ValueLabel};

/// The most values one integer or real issue may be expanded to.
const MAX_VALUES_PER_ISSUE: u64 = 1 << 24;

/// Formats a number: no trailing `.0` for integers, at most 6 decimals otherwise.
fn number_label(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The grid `lower, lower + step, …` up to `upper`, with `upper` included even when the step
/// does not divide the width.
fn real_grid(lower: f64, upper: f64, step: f64) -> Result<Vec<f64>, DealError> {
    if !(step.is_finite() && step > 0.0) {
        return Err(DealError::invalid(format!(
            "the step for real issues must be a positive number, got {step}"
        )));
    }
    let n = ((upper - lower) / step + 1e-9).floor();
    if n + 2.0 > MAX_VALUES_PER_ISSUE as f64 {
        return Err(DealError::invalid(format!(
            "a step of {step} cuts [{lower}, {upper}] into more than {MAX_VALUES_PER_ISSUE} values"
        )));
    }
    let mut out: Vec<f64> = (0..=n as u64)
        .map(|i| (lower + step * i as f64).min(upper))
        .collect();
    if out.last().is_some_and(|&x| x < upper - 1e-9) {
        out.push(upper);
    }
    Ok(out)
}

/// Lowers a GENIUS domain and one profile per party into a spec, with the same utilities.
///
/// Issue ids are the GENIUS issue names; party ids are `names` (one per profile). Integer issues
/// enumerate every value; real issues are discretised with `real_step` (both ends included).
/// Discrete evaluators stay raw (the engine divides by their maximum, as GENIUS does); linear
/// evaluators are evaluated on the values and marked as normalised. GENIUS files carry no red
/// lines, linkages or status quo.
pub fn from_genius(
    domain: &GeniusDomain,
    profiles: &[GeniusProfile],
    names: &[&str],
    real_step: f64,
) -> Result<DealSpec, DealError> {
    if names.len() != profiles.len() {
        return Err(DealError::invalid(format!(
            "{} names for {} profiles",
            names.len(),
            profiles.len()
        )));
    }
    let mut issues = Vec::with_capacity(domain.issues.len());
    // The numeric value of every issue value (None for labels).
    let mut numbers: Vec<Option<Vec<f64>>> = Vec::with_capacity(domain.issues.len());
    for issue in &domain.issues {
        let (values, nums, ordered) = match &issue.kind {
            GeniusIssueKind::Discrete { values } => {
                (values.iter().map(ValueLabel::label).collect(), None, false)
            }
            GeniusIssueKind::Integer { lower, upper } => {
                let count = (*upper as i128 - *lower as i128 + 1) as u128;
                if count > MAX_VALUES_PER_ISSUE as u128 {
                    return Err(DealError::invalid(format!(
                        "integer issue `{}` has {count} values, more than {MAX_VALUES_PER_ISSUE}",
                        issue.name
                    )));
                }
                let nums: Vec<f64> = (*lower..=*upper).map(|x| x as f64).collect();
                let values = (*lower..=*upper)
                    .map(|x| ValueLabel {
                        label: x.to_string(),
                        number: Some(x as f64),
                    })
                    .collect();
                (values, Some(nums), true)
            }
            GeniusIssueKind::Real { lower, upper } => {
                let nums = real_grid(*lower, *upper, real_step)?;
                let values = nums
                    .iter()
                    .map(|&x| ValueLabel {
                        label: number_label(x),
                        number: Some(x),
                    })
                    .collect();
                (values, Some(nums), true)
            }
        };
        issues.push(IssueSpec {
            id: issue.name.clone(),
            name: issue.name.clone(),
            values,
            ordered,
        });
        numbers.push(nums);
    }
    let mut parties = Vec::with_capacity(profiles.len());
    for (profile, name) in profiles.iter().zip(names) {
        if profile.weights.len() != domain.issues.len()
            || profile.evaluators.len() != domain.issues.len()
        {
            return Err(DealError::invalid(format!(
                "profile `{name}` covers {} issues, the domain has {}",
                profile.evaluators.len(),
                domain.issues.len()
            )));
        }
        let mut evaluations = Vec::with_capacity(domain.issues.len());
        let mut normalized = Vec::with_capacity(domain.issues.len());
        for (k, (issue, ev)) in domain.issues.iter().zip(&profile.evaluators).enumerate() {
            match (ev, &numbers[k]) {
                (GeniusEvaluator::Discrete { evaluations: e }, None) => {
                    evaluations.push(e.clone());
                    normalized.push(false);
                }
                (GeniusEvaluator::Linear { slope, offset }, Some(nums)) => {
                    let lower = nums.first().copied().unwrap_or(0.0);
                    evaluations.push(
                        nums.iter()
                            .map(|x| (slope * (x - lower) + offset).clamp(0.0, 1.0))
                            .collect(),
                    );
                    normalized.push(true);
                }
                _ => {
                    return Err(DealError::invalid(format!(
                        "profile `{name}`: the evaluator of issue `{}` does not fit the issue's type",
                        issue.name
                    )));
                }
            }
        }
        parties.push(PartySpec {
            id: name.to_string(),
            name: name.to_string(),
            weights: profile.weights.clone(),
            evaluations,
            normalized: if normalized.iter().any(|&b| b) {
                normalized
            } else {
                Vec::new()
            },
            terms: Vec::new(),
            reservation: profile.reservation,
            reservation_source: redline_model::ReservationSource::Given,
            // GENIUS treats a factor outside (0, 1) as no discounting.
            discount: profile.discount.filter(|d| *d > 0.0 && *d < 1.0),
        });
    }
    Ok(DealSpec {
        issues,
        parties,
        red_lines: vec![],
        linkages: vec![],
        sequencing: vec![],
        status_quo: None,
    })
}

#[cfg(test)]
mod tests {
    use redline_interop::genius::{GeniusIssue, GeniusValue};

    use super::*;

    fn numeric() -> (GeniusDomain, GeniusProfile) {
        let domain = GeniusDomain {
            name: "num".into(),
            issues: vec![
                GeniusIssue {
                    name: "price".into(),
                    kind: GeniusIssueKind::Integer {
                        lower: 10,
                        upper: 14,
                    },
                },
                GeniusIssue {
                    name: "share".into(),
                    kind: GeniusIssueKind::Real {
                        lower: 0.0,
                        upper: 1.0,
                    },
                },
                GeniusIssue {
                    name: "colour".into(),
                    kind: GeniusIssueKind::Discrete {
                        values: vec!["red".into(), "blue".into()],
                    },
                },
            ],
        };
        let profile = GeniusProfile {
            weights: vec![0.5, 0.4, 0.3],
            evaluators: vec![
                GeniusEvaluator::Linear {
                    slope: -0.3,
                    offset: 1.0,
                },
                GeniusEvaluator::Linear {
                    slope: 1.5,
                    offset: 0.0,
                },
                GeniusEvaluator::Discrete {
                    evaluations: vec![3.0, 6.0],
                },
            ],
            reservation: 0.2,
            discount: Some(0.9),
        };
        (domain, profile)
    }

    #[test]
    fn numeric_issues_keep_genius_utilities() {
        let (domain, profile) = numeric();
        let spec = from_genius(&domain, std::slice::from_ref(&profile), &["a"], 0.3).unwrap();
        assert_eq!(
            spec.issues[0]
                .values
                .iter()
                .map(|v| v.label.as_str())
                .collect::<Vec<_>>(),
            ["10", "11", "12", "13", "14"]
        );
        // 0, 0.3, 0.6, 0.9 and the upper bound.
        let grid: Vec<f64> = spec.issues[1]
            .values
            .iter()
            .map(|v| v.number.unwrap())
            .collect();
        assert_eq!(grid.len(), 5);
        assert_eq!(grid[4], 1.0);
        assert!((grid[3] - 0.9).abs() < 1e-12);
        assert_eq!(spec.issues[1].values[1].label, "0.3");
        assert_eq!(spec.parties[0].normalized, vec![true, true, false]);
        assert_eq!(spec.parties[0].reservation, 0.2);
        assert_eq!(spec.parties[0].discount, Some(0.9));
        spec.validate().unwrap();
        for a in 0..5 {
            for (b, &x) in grid.iter().enumerate() {
                for c in 0..2 {
                    let g = [
                        GeniusValue::Integer(10 + a as i64),
                        GeniusValue::Real(x),
                        GeniusValue::Discrete(c),
                    ];
                    assert_eq!(spec.utility(0, &[a, b, c]), profile.utility(&domain, &g));
                }
            }
        }
    }

    #[test]
    fn mismatches_are_errors() {
        let (domain, mut profile) = numeric();
        assert!(from_genius(&domain, std::slice::from_ref(&profile), &["a", "b"], 0.5).is_err());
        assert!(from_genius(&domain, std::slice::from_ref(&profile), &["a"], 0.0).is_err());
        assert!(from_genius(&domain, std::slice::from_ref(&profile), &["a"], f64::NAN).is_err());
        // GENIUS writes 0 (or 1) for "no discount".
        let mut undiscounted = profile.clone();
        undiscounted.discount = Some(0.0);
        let spec = from_genius(&domain, &[undiscounted], &["a"], 0.5).unwrap();
        assert_eq!(spec.parties[0].discount, None);
        spec.validate().unwrap();
        profile.evaluators.swap(0, 2);
        let e = from_genius(&domain, &[profile], &["a"], 0.5).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid deal: profile `a`: the evaluator of issue `price` does not fit the issue's type"
        );
    }
}
