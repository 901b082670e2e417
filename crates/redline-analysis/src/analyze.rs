//! `analyze`: every lens the scenario supports, in one call.
//!
//! ```
//! use redline_analysis::{Control, analyze::analyze};
//!
//! let text = redline_scenarios::get("iran-us-2026").unwrap().toml;
//! let scenario = redline_syntax::load(text).unwrap().scenario;
//! let a = analyze(&scenario, &Control::default());
//! let deal = a.deal.as_ref().unwrap();
//! assert!(deal.result.zopa.exists);
//! // The phase size alone blocks a plan of two issues per phase; three issues work.
//! assert_eq!(deal.wider.as_ref().map(|(k, _)| *k), Some(3));
//! assert!(a.stability.is_some() && a.negotiation.is_some());
//! assert!(a.failures.is_empty());
//! ```

use redline_model::Scenario;

use crate::deal::{DealAnalysis, DealCommandParams};
use crate::negotiation::ModelledNegotiations;
use crate::stability::{StabilityParams, StabilityResult};
use crate::{Control, Error, Progress, Task};

/// The lenses `analyze` runs, for progress and failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lens {
    Deal,
    Stability,
    Negotiation,
}

impl Lens {
    pub fn name(self) -> &'static str {
        match self {
            Lens::Deal => "deal",
            Lens::Stability => "stability",
            Lens::Negotiation => "negotiation",
        }
    }
}

/// What every lens the scenario supports found. A lens that the scenario supports but that
/// failed is in `failures`, so that the others still report.
#[derive(Debug)]
pub struct Analysis {
    pub deal: Option<DealAnalysis>,
    pub stability: Option<StabilityResult>,
    pub negotiation: Option<ModelledNegotiations>,
    pub failures: Vec<(Lens, Error)>,
}

/// Runs the deal lens (with the default phase size and the search for a wider one), the
/// stability lens (every concept) and, with a deal view and two parties, the modelled
/// negotiations. Progress: [`Task::Lens`] as each starts, then the lenses' own tasks.
pub fn analyze(sc: &Scenario, control: &Control<'_>) -> Analysis {
    let mut failures = Vec::new();
    let stage = |lens: Lens| {
        control.report(Progress {
            task: Task::Lens(lens),
            done: 0,
            total: 0,
        })
    };
    stage(Lens::Deal);
    let deal = if redline_deal::has_deal_view(sc) {
        match crate::deal::deal(sc, &DealCommandParams::default(), control) {
            Ok(d) => Some(d),
            Err(e) => {
                failures.push((Lens::Deal, e));
                None
            }
        }
    } else {
        None
    };
    stage(Lens::Stability);
    let stability = if redline_gmcr::has_stability_view(sc) {
        match crate::stability::stability(sc, &StabilityParams::default(), control) {
            Ok(s) => Some(s),
            Err(e) => {
                failures.push((Lens::Stability, e));
                None
            }
        }
    } else {
        None
    };
    stage(Lens::Negotiation);
    let negotiation = match &deal {
        Some(d) if sc.parties().count() >= 2 => match crate::negotiation::modelled(sc, &d.result) {
            Ok(n) => Some(n),
            Err(e) => {
                failures.push((Lens::Negotiation, e));
                None
            }
        },
        _ => None,
    };
    Analysis {
        deal,
        stability,
        negotiation,
        failures,
    }
}
