//! The engine's input: an indexed outcome space with per-party utilities (plain data).

use fixedbitset::FixedBitSet;
use serde::{Deserialize, Serialize};

use crate::NegotiateError;

/// Outcomes are numbered `0..outcome_count`.
pub type OutcomeId = u32;

/// An indexed outcome space and the parties negotiating over it.
///
/// The scenario loader (or an importer) lowers its model into this: utilities are already computed
/// per outcome. Build an [`IndexedDomain`](crate::IndexedDomain) from it once and share it.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// A name for reports.
    pub name: String,
    /// How many outcomes there are.
    pub outcome_count: usize,
    /// The parties, in turn order: party 0 moves first in alternating offers.
    pub parties: Vec<PartyView>,
    /// Optional issue layout. When given, outcome ids are mixed-radix numbers over the issues in
    /// row-major order (the last issue varies fastest), as `itertools::product` enumerates them.
    /// It renders outcomes and lets a mediator change one issue at a time.
    pub issues: Option<Vec<Issue>>,
    /// The outcomes that every party's **public** red lines allow (`None`: no public red lines).
    /// Red lines are public knowledge unless the scenario marks them `private`: red-line-aware
    /// negotiators never offer, and a mediator never proposes, an outcome outside this set.
    pub public_red_lines: Option<FixedBitSet>,
    /// The risk that talks break down into an escalation, when the situation has one.
    pub breakdown: Option<Breakdown>,
    /// The mediator's own utility of every outcome, when it has interests: a biased mediator
    /// proposes, of the candidate texts it draws, the one it likes best (Kydd 2003). `None`: a
    /// neutral mediator.
    pub mediator: Option<Vec<f64>>,
}

/// Each round without agreement carries probability `per_round` that the talks break down and
/// every party gets its `utilities` (an escalation). With discounting on, an outcome reached
/// after `r` risky rounds is worth `(1 − p)^r·u + (1 − (1 − p)^r)·u_breakdown` to each party:
/// the expected value, the standard equivalent of discounting (Binmore, Rubinstein & Wolinsky
/// 1986).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// The probability per round without agreement, in [0, 1).
    pub per_round: f64,
    /// Per party, in party order: the utility of the breakdown.
    pub utilities: Vec<f64>,
}

impl Breakdown {
    /// The probability that no breakdown happened in `rounds` risky rounds.
    pub fn survival(&self, rounds: u32) -> f64 {
        (1.0 - self.per_round).powi(i32::try_from(rounds).unwrap_or(i32::MAX))
    }
}

/// One party as the engine sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyView {
    /// Stable id (e.g. `"iran"`).
    pub id: String,
    /// Utility of every outcome, indexed by [`OutcomeId`].
    pub utilities: Vec<f64>,
    /// Utility of no agreement.
    pub reservation: f64,
    /// Discount factor `d` in (0, 1]: an agreement at normalised time `t` is worth `U·d^t`.
    pub discount: Option<f64>,
    /// Outcomes the party's red lines allow (`None`: all). Bit `o` set means outcome `o` is allowed.
    pub red_lines: Option<FixedBitSet>,
}

/// One issue of the layout: a name and value labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// The issue name.
    pub name: String,
    /// The labels of its values, in order.
    pub values: Vec<String>,
}

impl Domain {
    /// Checks the domain: at least one outcome and two parties, one finite utility per outcome,
    /// finite reservations, discounts in (0, 1], red-line sets of the right length, unique ids and
    /// an issue layout that multiplies out to the outcome count.
    pub fn validate(&self) -> Result<(), NegotiateError> {
        let n = self.outcome_count;
        if n == 0 {
            return Err(NegotiateError::NoOutcomes);
        }
        let max = u32::MAX as usize;
        if n > max {
            return Err(NegotiateError::TooManyOutcomes { count: n, max });
        }
        if self.parties.len() < 2 {
            return Err(NegotiateError::TooFewParties {
                count: self.parties.len(),
            });
        }
        for (i, p) in self.parties.iter().enumerate() {
            if self.parties[..i].iter().any(|q| q.id == p.id) {
                return Err(NegotiateError::DuplicateParty { id: p.id.clone() });
            }
            if p.utilities.len() != n {
                return Err(NegotiateError::UtilityLength {
                    party: p.id.clone(),
                    expected: n,
                    found: p.utilities.len(),
                });
            }
            if let Some(o) = p.utilities.iter().position(|u| !u.is_finite()) {
                return Err(NegotiateError::NotFinite {
                    party: p.id.clone(),
                    what: format!("the utility of outcome {o}"),
                });
            }
            if !p.reservation.is_finite() {
                return Err(NegotiateError::NotFinite {
                    party: p.id.clone(),
                    what: "the reservation value".into(),
                });
            }
            if let Some(d) = p.discount
                && !(d > 0.0 && d <= 1.0)
            {
                return Err(NegotiateError::InvalidDiscount {
                    party: p.id.clone(),
                    value: d,
                });
            }
            if let Some(r) = &p.red_lines
                && r.len() != n
            {
                return Err(NegotiateError::RedLineLength {
                    party: p.id.clone(),
                    expected: n,
                    found: r.len(),
                });
            }
        }
        if let Some(r) = &self.public_red_lines
            && r.len() != n
        {
            return Err(NegotiateError::RedLineLength {
                party: "(public red lines)".into(),
                expected: n,
                found: r.len(),
            });
        }
        if let Some(m) = &self.mediator
            && (m.len() != n || m.iter().any(|u| !u.is_finite()))
        {
            return Err(NegotiateError::InvalidParameter {
                name: "mediator",
                reason: format!("{} utilities for {n} outcomes, or one not finite", m.len()),
            });
        }
        if let Some(b) = &self.breakdown {
            if !(0.0..1.0).contains(&b.per_round) {
                return Err(NegotiateError::InvalidParameter {
                    name: "breakdown.per_round",
                    reason: format!("{} is not in [0, 1)", b.per_round),
                });
            }
            if b.utilities.len() != self.parties.len() || b.utilities.iter().any(|u| !u.is_finite())
            {
                return Err(NegotiateError::InvalidParameter {
                    name: "breakdown.utilities",
                    reason: format!(
                        "{} utilities for {} parties, or one not finite",
                        b.utilities.len(),
                        self.parties.len()
                    ),
                });
            }
        }
        if let Some(issues) = &self.issues {
            let mut product: usize = 1;
            for issue in issues {
                if issue.values.is_empty() {
                    return Err(NegotiateError::EmptyIssue {
                        issue: issue.name.clone(),
                    });
                }
                product = product.saturating_mul(issue.values.len());
            }
            if product != n {
                return Err(NegotiateError::IssueLayout {
                    product,
                    expected: n,
                });
            }
        }
        Ok(())
    }

    /// The value index of every issue in `outcome`, when the domain has an issue layout.
    pub fn decode(&self, outcome: OutcomeId) -> Option<Vec<usize>> {
        let issues = self.issues.as_ref()?;
        if outcome as usize >= self.outcome_count {
            return None;
        }
        let mut rest = outcome as usize;
        let mut values = vec![0; issues.len()];
        for (k, issue) in issues.iter().enumerate().rev() {
            values[k] = rest % issue.values.len();
            rest /= issue.values.len();
        }
        Some(values)
    }

    /// Whether every party's public red lines allow `outcome`.
    pub fn publicly_permitted(&self, outcome: OutcomeId) -> bool {
        self.public_red_lines
            .as_ref()
            .is_none_or(|r| r.contains(outcome as usize))
    }

    /// The value labels of `outcome`, one per issue, when the domain has an issue layout.
    pub fn labels(&self, outcome: OutcomeId) -> Option<Vec<&str>> {
        let issues = self.issues.as_ref()?;
        let values = self.decode(outcome)?;
        Some(
            issues
                .iter()
                .zip(values)
                .map(|(issue, v)| issue.values[v].as_str())
                .collect(),
        )
    }
}

impl PartyView {
    /// A party with no red lines and no discount.
    pub fn new(id: impl Into<String>, utilities: Vec<f64>, reservation: f64) -> Self {
        PartyView {
            id: id.into(),
            utilities,
            reservation,
            discount: None,
            red_lines: None,
        }
    }

    /// Whether the party's red lines allow `outcome`.
    pub fn permits(&self, outcome: OutcomeId) -> bool {
        self.red_lines
            .as_ref()
            .is_none_or(|r| r.contains(outcome as usize))
    }

    /// Whether `outcome` is acceptable (DESIGN §4): inside the red lines and worth at least the
    /// reservation value.
    pub fn acceptable(&self, outcome: OutcomeId) -> bool {
        self.permits(outcome)
            && self
                .utilities
                .get(outcome as usize)
                .is_some_and(|&u| u >= self.reservation)
    }
}
