//! The engine's input: a plain, serialisable description of a deal problem.
//!
//! A scenario loader lowers its richer model into a [`DealSpec`]: real intervals are already
//! discretised, and expressions such as `sanctions_relief > none` arrive compiled to
//! allowed-value masks per issue ([`Cond::Atom`]). Every index in a spec refers to a position in
//! one of its lists (issues, values, parties). [`DealSpec::validate`] checks them all.

use serde::{Deserialize, Serialize};

use crate::DealError;

/// A deal problem: issues, parties with additive utilities, red lines, linkages and sequencing
/// rules, and optionally the status quo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealSpec {
    /// The issues on the agenda, in the order that fixes the outcome order: the first issue is
    /// the most significant digit of an outcome's index.
    pub issues: Vec<IssueSpec>,
    /// The parties whose acceptance an agreement needs (mediators are left out by the caller).
    pub parties: Vec<PartySpec>,
    /// Hard constraints, each owned by one party.
    #[serde(default)]
    pub red_lines: Vec<Constraint>,
    /// Constraints every agreement must respect; outcomes breaking one are not in the outcome
    /// space.
    #[serde(default)]
    pub linkages: Vec<Linkage>,
    /// Ordering rules for phased plans.
    #[serde(default)]
    pub sequencing: Vec<Sequencing>,
    /// The current value index of every issue, when known.
    #[serde(default)]
    pub status_quo: Option<Vec<usize>>,
}

/// One issue and its values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueSpec {
    /// Stable identifier, used as the key in output maps.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// The values, lowest first when `ordered`.
    pub values: Vec<ValueLabel>,
    /// Whether the values are ordered (phased plans may then pass through intermediate values).
    #[serde(default)]
    pub ordered: bool,
}

/// One value of an issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValueLabel {
    /// The text shown for the value.
    pub label: String,
    /// The number it stands for, for integer and discretised real issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
}

impl ValueLabel {
    /// A value with a label only.
    pub fn label(label: impl Into<String>) -> Self {
        ValueLabel {
            label: label.into(),
            number: None,
        }
    }
}

/// A party and its additive utility (GENIUS semantics, DESIGN §4).
///
/// `U(ω) = min(1, Σ_k weights[k] · e_k(ω_k) + Σ terms)`, where `e_k(v)` is
/// `evaluations[k][v] / max_v' evaluations[k][v']` (a raw GENIUS discrete evaluator), or
/// `evaluations[k][v]` itself when `normalized[k]` is true (already in `[0, 1]`, as GENIUS linear
/// evaluators of integer and real issues are). Weights are used as written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartySpec {
    /// Stable identifier, used as the key in output maps.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// One weight per issue.
    pub weights: Vec<f64>,
    /// Per issue, one evaluation per value.
    pub evaluations: Vec<Vec<f64>>,
    /// Per issue, whether `evaluations[k]` are final evaluations rather than raw scores to divide
    /// by their maximum. Empty means "all raw".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub normalized: Vec<bool>,
    /// Constraint terms: `value` is added to the sum when `cond` holds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<UtilityTerm>,
    /// The utility of no agreement (BATNA); the disagreement point of the bargaining solutions.
    pub reservation: f64,
    /// Where the reservation comes from (given, today's outcome, or 0 by default).
    #[serde(default)]
    pub reservation_source: redline_model::ReservationSource,
    /// Discount factor `d`: at time `t ∈ [0, 1]` utilities and the reservation are scaled by
    /// `d^t`. Ignored when absent.
    #[serde(default)]
    pub discount: Option<f64>,
}

/// A utility term that applies when a condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UtilityTerm {
    /// Human text, for reports.
    pub label: String,
    /// When the term applies.
    pub cond: Cond,
    /// What it adds to the utility (may be negative).
    pub value: f64,
}

/// A red line: outcomes where `cond` is false are unacceptable to `owner`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    /// Stable identifier.
    pub id: String,
    /// Index of the owning party in [`DealSpec::parties`].
    pub owner: usize,
    /// Human text, as written by the analyst.
    pub label: String,
    /// What must hold.
    pub cond: Cond,
    /// Known only to its owner; public red lines bound what other parties' negotiators offer
    /// and what a mediator proposes (the negotiation lens).
    #[serde(default)]
    pub private: bool,
    /// It binds only the final agreement of a phased plan: interim phases may break it.
    #[serde(default)]
    pub final_only: bool,
}

/// A linkage: every agreement must satisfy `cond`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Linkage {
    /// Stable identifier.
    pub id: String,
    /// Human text, as written by the analyst.
    pub label: String,
    /// What must hold.
    pub cond: Cond,
}

/// A sequencing rule for phased plans: issue `first` must start moving no later than issue
/// `then` (strictly earlier when `strict`). When `then` moves during a plan and `first` never
/// does, the rule is broken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sequencing {
    /// Stable identifier.
    pub id: String,
    /// Index of the issue that must move first.
    pub first: usize,
    /// Index of the issue that must wait.
    pub then: usize,
    /// Whether `first` must move in a strictly earlier phase.
    #[serde(default)]
    pub strict: bool,
}

/// A boolean condition over issue values, with comparisons already compiled to masks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cond {
    /// Always holds.
    True,
    /// Never holds.
    False,
    /// The issue takes one of the allowed values (`allowed[v]` per value index).
    Atom {
        /// Index of the issue.
        issue: usize,
        /// One flag per value of the issue.
        allowed: Vec<bool>,
    },
    /// Negation.
    Not(Box<Cond>),
    /// Every part holds (true when empty).
    And(Vec<Cond>),
    /// Some part holds (false when empty).
    Or(Vec<Cond>),
    /// `a => b`.
    Implies(Box<Cond>, Box<Cond>),
    /// `a <=> b`.
    Iff(Box<Cond>, Box<Cond>),
}

impl Cond {
    /// `issue ∈ values` (value indices).
    pub fn is_in(issue: usize, n_values: usize, values: &[usize]) -> Cond {
        let mut allowed = vec![false; n_values];
        for &v in values {
            if let Some(a) = allowed.get_mut(v) {
                *a = true;
            }
        }
        Cond::Atom { issue, allowed }
    }

    /// Evaluates the condition on an outcome given as value indices per issue. Indices out of
    /// range count as not allowed.
    pub fn eval(&self, outcome: &[usize]) -> bool {
        match self {
            Cond::True => true,
            Cond::False => false,
            Cond::Atom { issue, allowed } => outcome
                .get(*issue)
                .and_then(|&v| allowed.get(v))
                .copied()
                .unwrap_or(false),
            Cond::Not(c) => !c.eval(outcome),
            Cond::And(cs) => cs.iter().all(|c| c.eval(outcome)),
            Cond::Or(cs) => cs.iter().any(|c| c.eval(outcome)),
            Cond::Implies(a, b) => !a.eval(outcome) || b.eval(outcome),
            Cond::Iff(a, b) => a.eval(outcome) == b.eval(outcome),
        }
    }

    /// Checks that every atom names an existing issue and has one flag per value.
    fn validate(&self, issues: &[IssueSpec], what: &str) -> Result<(), DealError> {
        match self {
            Cond::True | Cond::False => Ok(()),
            Cond::Atom { issue, allowed } => {
                let spec = issues.get(*issue).ok_or_else(|| {
                    DealError::invalid(format!(
                        "{what}: condition refers to issue #{issue}, but there are {} issues",
                        issues.len()
                    ))
                })?;
                if allowed.len() != spec.values.len() {
                    return Err(DealError::invalid(format!(
                        "{what}: condition on issue `{}` has {} flags but the issue has {} values",
                        spec.id,
                        allowed.len(),
                        spec.values.len()
                    )));
                }
                Ok(())
            }
            Cond::Not(c) => c.validate(issues, what),
            Cond::And(cs) | Cond::Or(cs) => cs.iter().try_for_each(|c| c.validate(issues, what)),
            Cond::Implies(a, b) | Cond::Iff(a, b) => {
                a.validate(issues, what)?;
                b.validate(issues, what)
            }
        }
    }
}

fn finite(x: f64, what: impl FnOnce() -> String) -> Result<(), DealError> {
    if x.is_finite() {
        Ok(())
    } else {
        Err(DealError::invalid(format!(
            "{} is not a finite number ({x})",
            what()
        )))
    }
}

impl DealSpec {
    /// Checks every index, length and number in the spec.
    pub fn validate(&self) -> Result<(), DealError> {
        if self.issues.is_empty() {
            return Err(DealError::invalid("the deal has no issues"));
        }
        if self.parties.is_empty() {
            return Err(DealError::invalid("the deal has no parties"));
        }
        let n_issues = self.issues.len();
        for (k, issue) in self.issues.iter().enumerate() {
            if issue.values.is_empty() {
                return Err(DealError::invalid(format!(
                    "issue `{}` has no values",
                    issue.id
                )));
            }
            if self.issues[..k].iter().any(|i| i.id == issue.id) {
                return Err(DealError::invalid(format!(
                    "issue id `{}` is used twice",
                    issue.id
                )));
            }
        }
        for (p, party) in self.parties.iter().enumerate() {
            let who = &party.id;
            if self.parties[..p].iter().any(|q| q.id == party.id) {
                return Err(DealError::invalid(format!(
                    "party id `{who}` is used twice"
                )));
            }
            if party.weights.len() != n_issues {
                return Err(DealError::invalid(format!(
                    "party `{who}` has {} weights for {n_issues} issues",
                    party.weights.len()
                )));
            }
            if party.evaluations.len() != n_issues {
                return Err(DealError::invalid(format!(
                    "party `{who}` has evaluations for {} issues, expected {n_issues}",
                    party.evaluations.len()
                )));
            }
            if !party.normalized.is_empty() && party.normalized.len() != n_issues {
                return Err(DealError::invalid(format!(
                    "party `{who}` has {} `normalized` flags for {n_issues} issues",
                    party.normalized.len()
                )));
            }
            for (k, (w, evals)) in party.weights.iter().zip(&party.evaluations).enumerate() {
                let issue = &self.issues[k].id;
                finite(*w, || format!("weight of party `{who}` on issue `{issue}`"))?;
                if evals.len() != self.issues[k].values.len() {
                    return Err(DealError::invalid(format!(
                        "party `{who}` evaluates {} values of issue `{issue}`, which has {}",
                        evals.len(),
                        self.issues[k].values.len()
                    )));
                }
                for (v, e) in evals.iter().enumerate() {
                    finite(*e, || {
                        format!("evaluation by `{who}` of value #{v} of issue `{issue}`")
                    })?;
                }
            }
            for t in &party.terms {
                finite(t.value, || {
                    format!("utility term `{}` of party `{who}`", t.label)
                })?;
                t.cond.validate(
                    &self.issues,
                    &format!("utility term `{}` of party `{who}`", t.label),
                )?;
            }
            finite(party.reservation, || {
                format!("reservation of party `{who}`")
            })?;
            if let Some(d) = party.discount {
                finite(d, || format!("discount of party `{who}`"))?;
                if d <= 0.0 {
                    return Err(DealError::invalid(format!(
                        "discount of party `{who}` must be positive, got {d}"
                    )));
                }
            }
        }
        for r in &self.red_lines {
            if r.owner >= self.parties.len() {
                return Err(DealError::invalid(format!(
                    "red line `{}` is owned by party #{}, but there are {} parties",
                    r.id,
                    r.owner,
                    self.parties.len()
                )));
            }
            r.cond
                .validate(&self.issues, &format!("red line `{}`", r.id))?;
        }
        for l in &self.linkages {
            l.cond
                .validate(&self.issues, &format!("linkage `{}`", l.id))?;
        }
        for s in &self.sequencing {
            if s.first >= n_issues || s.then >= n_issues {
                return Err(DealError::invalid(format!(
                    "sequencing rule `{}` refers to issue #{} but there are {n_issues} issues",
                    s.id,
                    s.first.max(s.then)
                )));
            }
            if s.first == s.then {
                return Err(DealError::invalid(format!(
                    "sequencing rule `{}` orders issue `{}` against itself",
                    s.id, self.issues[s.first].id
                )));
            }
        }
        if let Some(sq) = &self.status_quo {
            self.validate_outcome(sq, "the status quo")?;
        }
        Ok(())
    }

    /// Checks that `outcome` gives a valid value index for every issue.
    pub fn validate_outcome(&self, outcome: &[usize], what: &str) -> Result<(), DealError> {
        if outcome.len() != self.issues.len() {
            return Err(DealError::invalid(format!(
                "{what} gives {} values for {} issues",
                outcome.len(),
                self.issues.len()
            )));
        }
        for (issue, &v) in self.issues.iter().zip(outcome) {
            if v >= issue.values.len() {
                return Err(DealError::invalid(format!(
                    "{what} gives value #{v} for issue `{}`, which has {} values",
                    issue.id,
                    issue.values.len()
                )));
            }
        }
        Ok(())
    }

    /// The number of outcomes in the Cartesian product of the issues' values, or `None` on
    /// overflow.
    pub fn cartesian_size(&self) -> Option<u64> {
        self.issues
            .iter()
            .try_fold(1u64, |acc, i| acc.checked_mul(i.values.len() as u64))
    }

    /// The per-issue contributions `w_k · e_k(v)` of one party, before the cap at 1.
    pub(crate) fn contributions(&self, party: usize) -> Vec<Vec<f64>> {
        let p = &self.parties[party];
        p.evaluations
            .iter()
            .enumerate()
            .map(|(k, evals)| {
                let w = p.weights[k];
                if p.normalized.get(k).copied().unwrap_or(false) {
                    evals.iter().map(|e| w * e).collect()
                } else {
                    let max = evals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    evals
                        .iter()
                        .map(|e| if max > 0.0 { w * (e / max) } else { 0.0 })
                        .collect()
                }
            })
            .collect()
    }

    /// The undiscounted utility of one party for one outcome, computed directly (slow path,
    /// used by tests and plans).
    pub fn utility(&self, party: usize, outcome: &[usize]) -> f64 {
        let contrib = self.contributions(party);
        let mut u = 0.0;
        for (k, c) in contrib.iter().enumerate() {
            u += c[outcome[k]];
        }
        for t in &self.parties[party].terms {
            if t.cond.eval(outcome) {
                u += t.value;
            }
        }
        u.min(1.0)
    }
}
