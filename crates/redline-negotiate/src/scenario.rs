//! Lowering a [`redline_model::Scenario`] into a negotiation [`Domain`], through the deal lens.
//!
//! The deal lens owns the scenario's outcome space and utilities: the scenario is first lowered
//! into a [`DealSpec`] ([`redline_deal::from_scenario`]) and evaluated there
//! ([`redline_deal::Evaluated`]), so utilities, red lines and linkages mean exactly what they mean
//! in `redline deal`. Nothing is recomputed here.
//!
//! - **Parties** are the actors with role `party`, in scenario order (mediators are not parties,
//!   as in the deal lens); party 0 moves first in alternating offers.
//! - **Outcomes.** The deal lens indexes the Cartesian product of issue values in mixed radix, the
//!   first issue most significant. An outcome that breaks a linkage is not a possible agreement for
//!   anyone, so it is **left out of the index**: engine outcome `i` is the `i`-th linkage-feasible
//!   outcome in the deal lens's order ([`Lowered::deal_index`] maps back). No agent, red-line aware
//!   or not, and no mediator can then offer it. When no linkage excludes anything, the two
//!   numberings coincide and the domain carries its issue layout (so a mediator can change one
//!   issue at a time); otherwise the domain has no layout and a mediator proposes among the
//!   feasible outcomes directly.
//! - **Utilities** are the deal lens's undiscounted utilities (GENIUS additive semantics, capped at
//!   1); reservation values and discount factors are the scenario's.
//! - **Red lines**: each party's set is the outcomes its own red lines (and preconditions) allow.
//!   Only red-line-aware agents (`redline:<agent>`) respect them; other agents reach agreements the
//!   deal lens would call unacceptable, which is part of what a tournament measures.
//!
//! [`reference`] gives the metrics' [`Reference`] from the deal lens's result for the same
//! scenario: the Pareto frontier over all feasible outcomes and the Nash bargaining point over the
//! ZOPA.

use fixedbitset::FixedBitSet;
use redline_deal::{DealError, DealParams, DealResult, DealSpec, Evaluated};
use redline_model::Scenario;

use crate::domain::{Domain, Issue, OutcomeId, PartyView};
use crate::error::NegotiateError;
use crate::metrics::Reference;

/// Why a scenario could not be lowered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// The deal lens refused the scenario (no issues, a party without utilities, too large, …).
    #[error("{0}")]
    Deal(#[from] DealError),
    /// The lowered domain is not a valid negotiation (e.g. fewer than two parties).
    #[error("{0}")]
    Negotiate(#[from] NegotiateError),
}

/// A scenario lowered for negotiation, with what is needed to render and relate its outcomes.
#[derive(Debug, Clone)]
pub struct Lowered {
    /// The engine domain.
    pub domain: Domain,
    /// The deal lens's spec of the same scenario.
    pub spec: DealSpec,
    /// `deal_index[o]`: engine outcome `o`'s index in the deal lens's outcome space.
    pub deal_index: Vec<usize>,
    /// Outcomes in the Cartesian product, linkage-breaking ones included.
    pub cartesian_count: usize,
}

impl Lowered {
    /// The value index of every issue in engine outcome `o`.
    pub fn values(&self, o: OutcomeId) -> Option<Vec<usize>> {
        let mut rest = *self.deal_index.get(o as usize)?;
        let mut values = vec![0; self.spec.issues.len()];
        for (k, issue) in self.spec.issues.iter().enumerate().rev() {
            let r = issue.values.len().max(1);
            values[k] = rest % r;
            rest /= r;
        }
        Some(values)
    }

    /// `(issue id, value label)` of engine outcome `o`, in issue order.
    pub fn labels(&self, o: OutcomeId) -> Option<Vec<(&str, &str)>> {
        let values = self.values(o)?;
        Some(
            self.spec
                .issues
                .iter()
                .zip(values)
                .map(|(i, v)| (i.id.as_str(), i.values[v].label.as_str()))
                .collect(),
        )
    }

    /// The engine outcome of a deal-lens outcome index, if it is linkage-feasible.
    pub fn outcome_of(&self, deal_index: usize) -> Option<OutcomeId> {
        self.deal_index
            .binary_search(&deal_index)
            .ok()
            .map(|o| o as OutcomeId)
    }
}

/// Lowers a scenario into a negotiation domain (see the module docs).
pub fn from_scenario(sc: &Scenario) -> Result<Domain, ScenarioError> {
    Ok(lower(sc)?.domain)
}

/// Lowers a scenario, keeping the deal spec and the outcome mapping.
pub fn lower(sc: &Scenario) -> Result<Lowered, ScenarioError> {
    let spec = redline_deal::from_scenario(sc)?;
    let mut lowered = lower_spec(&sc.id, spec)?;
    // A mediator with interests: its utility of every engine outcome, computed over the whole
    // space as the deal lens computes the parties' (undiscounted), then read at the engine's
    // outcomes.
    if let Some(m) = redline_deal::mediator_spec(sc)? {
        let mut with = lowered.spec.clone();
        with.parties.push(m);
        let me = with.parties.len() - 1;
        let space = redline_deal::OutcomeSpace::new(&with, DealParams::default().max_outcomes)?;
        let all = redline_deal::space::party_utilities(&with, &space, me, 0.0);
        lowered.domain.mediator = Some(lowered.deal_index.iter().map(|&d| all[d]).collect());
        lowered.domain.validate()?;
    }
    // The breakdown risk, with each negotiating party's utility of the escalation (the loader
    // requires one for every party).
    if let Some(b) = &sc.breakdown {
        let utilities = lowered
            .domain
            .parties
            .iter()
            .map(|p| {
                sc.actor_index(&p.id)
                    .and_then(|a| b.utility_of(a))
                    .unwrap_or(p.reservation)
            })
            .collect();
        lowered.domain.breakdown = Some(crate::domain::Breakdown {
            per_round: b.per_round,
            utilities,
        });
        lowered.domain.validate()?;
    }
    Ok(lowered)
}

/// Lowers a deal spec (already lowered from a scenario, or built by hand).
pub fn lower_spec(name: &str, spec: DealSpec) -> Result<Lowered, ScenarioError> {
    let ev = Evaluated::new(&spec, DealParams::default().max_outcomes, 0.0)?;
    let cartesian_count = ev.space.len();
    let deal_index: Vec<usize> = ev.feasible.ones().collect();
    let n = deal_index.len();
    let all_feasible = n == cartesian_count;
    let parties = spec
        .parties
        .iter()
        .enumerate()
        .map(|(p, ps)| {
            let mut allowed: Option<FixedBitSet> = None;
            for (r, set) in spec.red_lines.iter().zip(&ev.red_line_sets) {
                if r.owner == p {
                    allowed
                        .get_or_insert_with(|| set.clone())
                        .intersect_with(set);
                }
            }
            let red_lines = allowed.map(|a| {
                let mut bits = FixedBitSet::with_capacity(n);
                for (o, &d) in deal_index.iter().enumerate() {
                    if a.contains(d) {
                        bits.insert(o);
                    }
                }
                bits
            });
            let utilities = deal_index.iter().map(|&d| ev.utilities[p][d]).collect();
            PartyView {
                id: ps.id.clone(),
                utilities,
                reservation: ps.reservation,
                discount: ps.discount,
                red_lines,
            }
        })
        .collect();
    let issues = all_feasible.then(|| {
        spec.issues
            .iter()
            .map(|i| Issue {
                name: i.id.clone(),
                values: i.values.iter().map(|v| v.label.clone()).collect(),
            })
            .collect()
    });
    // Outcomes that every public red line allows, over the engine's outcomes.
    let public: Vec<&FixedBitSet> = spec
        .red_lines
        .iter()
        .zip(&ev.red_line_sets)
        .filter(|(r, _)| !r.private)
        .map(|(_, set)| set)
        .collect();
    let public_red_lines = (!public.is_empty()).then(|| {
        let mut bits = FixedBitSet::with_capacity(n);
        for (o, &d) in deal_index.iter().enumerate() {
            if public.iter().all(|set| set.contains(d)) {
                bits.insert(o);
            }
        }
        bits
    });
    let domain = Domain {
        mediator: None,
        breakdown: None,
        name: name.to_string(),
        outcome_count: n,
        parties,
        issues,
        public_red_lines,
    };
    domain.validate()?;
    Ok(Lowered {
        domain,
        spec,
        deal_index,
        cartesian_count,
    })
}

/// The metrics' reference from the deal lens's result for the same scenario: the Pareto frontier
/// over every feasible outcome (`pareto_all`) and the Nash bargaining point over the ZOPA (none
/// when the ZOPA is empty). Utilities are listed in party order.
pub fn reference_from(result: &DealResult) -> Reference {
    Reference {
        frontier: result
            .pareto_all
            .iter()
            .map(|p| p.utilities.values().copied().collect())
            .collect(),
        nash: result
            .solutions
            .nash
            .as_ref()
            .map(|n| n.utilities.values().copied().collect()),
    }
}

/// Runs the deal lens (default parameters, undiscounted) on `lowered`'s spec and returns the
/// metrics' reference.
pub fn reference(lowered: &Lowered) -> Result<Reference, ScenarioError> {
    let result = redline_deal::analyze(&lowered.spec, &DealParams::default())?;
    Ok(reference_from(&result))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AgentFactory, IndexedDomain, Protocol, SaoConfig, Strategy, negotiate};

    fn load(name: &str) -> Scenario {
        let b = redline_scenarios::get(name).unwrap();
        redline_syntax::load(b.toml).unwrap().scenario
    }

    #[test]
    fn england_zimbabwe_through_the_scenario_path() {
        let lowered = lower(&load("england-zimbabwe")).unwrap();
        assert_eq!(lowered.domain.outcome_count, 576);
        assert!(lowered.domain.issues.is_some());
        let domain = IndexedDomain::build(lowered.domain.clone()).unwrap();
        let (b, c) = (Strategy::boulware(), Strategy::conceder());
        let agents: [&dyn AgentFactory; 2] = [&b, &c];
        let r = negotiate(
            &domain,
            &agents,
            &Protocol::Sao(SaoConfig::with_rounds(100)),
            0,
        )
        .unwrap();
        assert!(r.agreed());
        assert!((r.utilities[0] - 1.0).abs() < 5e-5, "{:?}", r.utilities);
        assert!((r.utilities[1] - 0.4503).abs() < 5e-5, "{:?}", r.utilities);
        assert_eq!(r.round, 39);
        // Engine outcome ids are the deal lens's indices here, and its labels decode the same.
        let o = r.agreement.unwrap();
        assert_eq!(lowered.deal_index[o as usize], o as usize);
        let engine: Vec<&str> = lowered.domain.labels(o).unwrap();
        let ours: Vec<&str> = lowered
            .labels(o)
            .unwrap()
            .into_iter()
            .map(|x| x.1)
            .collect();
        assert_eq!(engine, ours);
        let reference = reference(&lowered).unwrap();
        assert!(reference.nash.is_some());
        assert!(!reference.frontier.is_empty());
        // England's best outcome is on the frontier.
        assert!(reference.pareto_distance(&r.utilities).unwrap() < 1e-9);
    }

    #[test]
    fn linkage_breaking_outcomes_are_not_in_the_index() {
        let sc = load("iran-us-2026");
        let lowered = lower(&sc).unwrap();
        assert_eq!(lowered.domain.parties.len(), 2);
        assert_eq!(lowered.domain.parties[0].id, "iran");
        assert_eq!(lowered.domain.parties[1].id, "us");
        assert!(lowered.domain.outcome_count < lowered.cartesian_count);
        assert!(lowered.domain.issues.is_none());
        let ev = Evaluated::new(&lowered.spec, 1 << 24, 0.0).unwrap();
        let deal = redline_deal::analyze(&lowered.spec, &DealParams::default()).unwrap();
        assert_eq!(deal.outcome_count, lowered.domain.outcome_count as u64);
        for (o, &d) in lowered.deal_index.iter().enumerate() {
            assert!(ev.feasible.contains(d));
            assert_eq!(lowered.outcome_of(d), Some(o as OutcomeId));
            let values = lowered.values(o as OutcomeId).unwrap();
            for p in 0..2 {
                let direct = lowered.spec.utility(p, &values);
                assert!((lowered.domain.parties[p].utilities[o] - direct).abs() < 1e-12);
                let allowed = ev.acceptable[p].contains(d);
                assert_eq!(
                    lowered.domain.parties[p].acceptable(o as OutcomeId),
                    allowed
                );
            }
        }
        // The Nash point of the deal lens is an acceptable outcome of the domain.
        let r = reference(&lowered).unwrap();
        let nash = deal.solutions.nash.unwrap();
        let o = lowered.outcome_of(nash.index as usize).unwrap();
        assert!(lowered.domain.parties.iter().all(|p| p.acceptable(o)));
        assert_eq!(
            r.nash.unwrap(),
            nash.utilities.values().copied().collect::<Vec<_>>()
        );
    }
}
