//! `deal`: the ZOPA, the Pareto frontier, the bargaining solutions and a phased plan, and when the
//! plan is blocked by the phase size alone, the smallest phase size that gives one.

use redline_deal::{DealParams, DealResult, PlanStatus};
use redline_model::Scenario;
use serde::Serialize;

use crate::{Control, Error};

/// The plan's default phase size (issues one phase may change).
pub const DEFAULT_MAX_ISSUES_PER_PHASE: usize = 2;

/// What `deal` computes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DealCommandParams {
    /// The most issues one phase of the plan may change.
    pub max_issues_per_phase: usize,
}

impl Default for DealCommandParams {
    fn default() -> Self {
        DealCommandParams {
            max_issues_per_phase: DEFAULT_MAX_ISSUES_PER_PHASE,
        }
    }
}

/// The deal lens's result at the asked phase size, and the plan at the smallest larger size that
/// gives one when the asked size alone blocked it.
#[derive(Debug, Clone)]
pub struct DealAnalysis {
    /// The lens's parameters as run (the `params` of `redline deal --format json`).
    pub params: DealParams,
    /// The result at the asked phase size (the `result`).
    pub result: DealResult,
    /// `(phase size, result)` at the smallest larger phase size that finds a plan, when the asked
    /// size was blocked by the phase size alone and some larger size works.
    pub wider: Option<(usize, DealResult)>,
}

/// The scenario has no deal view: bad input for a command that needs one.
pub fn no_view(sc: &Scenario) -> Error {
    Error::bad(
        format!("scenario `{}` has no deal view", sc.id),
        Some("it needs [[issues]] and a [utilities.<party>] table per party".into()),
    )
}

/// Runs the deal lens once, at one phase size.
pub fn deal_once(
    sc: &Scenario,
    max_issues_per_phase: usize,
    control: &Control<'_>,
) -> Result<(DealParams, DealResult), Error> {
    let spec =
        redline_deal::from_scenario(sc).map_err(|e| Error::Failed(format!("deal lens: {e}")))?;
    let mut params = DealParams::default();
    params.plan.max_issues_per_phase = max_issues_per_phase;
    // The frontiers are held as results, rendered and written: give them a third of the budget.
    if let Some(budget) = control.limits.memory_bytes {
        params.max_result_bytes = budget / 3;
    }
    let result = redline_deal::analyze(&spec, &params).map_err(|e| match e {
        redline_deal::DealError::FrontierTooLarge { .. } => {
            Error::Failed(format!("deal lens: {e}; refused before building it"))
        }
        e => Error::Failed(format!("deal lens: {e}")),
    })?;
    Ok((params, result))
}

/// Runs the deal lens at the asked phase size and, when the phase size alone blocks the plan,
/// at each larger size until one finds a plan.
pub fn deal(
    sc: &Scenario,
    params: &DealCommandParams,
    control: &Control<'_>,
) -> Result<DealAnalysis, Error> {
    if !redline_deal::has_deal_view(sc) {
        return Err(no_view(sc));
    }
    let k = params.max_issues_per_phase;
    let (lens_params, result) = deal_once(sc, k, control)?;
    let phase_size_blocks = result.plan.status == PlanStatus::Blocked
        && result
            .plan
            .blockers
            .iter()
            .any(|b| b.kind == "phase_size" && b.unblocks);
    let mut wider = None;
    if phase_size_blocks {
        for size in k + 1..=sc.issues.len() {
            control.check_cancel()?;
            let (_, r) = deal_once(sc, size, control)?;
            match r.plan.status {
                PlanStatus::Found => {
                    wider = Some((size, r));
                    break;
                }
                PlanStatus::Blocked => continue,
                _ => break,
            }
        }
    }
    Ok(DealAnalysis {
        params: lens_params,
        result,
        wider,
    })
}

/// The `result` of `redline deal --format json`: the lens's result, and the smallest phase size
/// that gives a plan when the asked one does not.
#[derive(Debug, Serialize)]
pub struct DealOutput<'a> {
    #[serde(flatten)]
    pub result: &'a DealResult,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub smallest_phase_size: Option<usize>,
}

impl DealAnalysis {
    /// The JSON `result`.
    pub fn output(&self) -> DealOutput<'_> {
        DealOutput {
            result: &self.result,
            smallest_phase_size: self.wider.as_ref().map(|(k, _)| *k),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::builtin as load;

    #[test]
    fn a_plan_blocked_by_the_phase_size_names_the_smallest_size_that_works() {
        let sc = load("iran-us-2026");
        let a = deal(&sc, &DealCommandParams::default(), &Control::default()).unwrap();
        // Whatever the asked size gives, a wider plan is only reported when it is found, at a
        // larger size, and no size between the two finds one.
        if let Some((k, r)) = &a.wider {
            assert!(*k > DEFAULT_MAX_ISSUES_PER_PHASE);
            assert_eq!(r.plan.status, PlanStatus::Found);
            for size in DEFAULT_MAX_ISSUES_PER_PHASE + 1..*k {
                let (_, between) = deal_once(&sc, size, &Control::default()).unwrap();
                assert_ne!(between.plan.status, PlanStatus::Found, "size {size}");
            }
        }
        let json = serde_json::to_value(a.output()).unwrap();
        assert!(json.get("zopa").is_some());
    }

    #[test]
    fn no_deal_view_is_an_error() {
        let sc = load("elmira");
        assert!(deal(&sc, &DealCommandParams::default(), &Control::default()).is_err());
    }
}
