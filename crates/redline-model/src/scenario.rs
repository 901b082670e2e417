//! The scenario: who the actors are, what they control, what they want and what they will not accept.

use serde::{Deserialize, Serialize};

use crate::expr::{CmpOp, Expr, Literal};

/// One scenario, the single source for every lens.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    pub description: String,
    /// Where the scenario comes from (an article, a book, a published case).
    pub source: Option<String>,
    pub actors: Vec<Actor>,
    /// Options in declaration order.
    pub options: Vec<OptionDef>,
    pub stability: Option<StabilityView>,
    pub issues: Vec<Issue>,
    pub utilities: Vec<Utility>,
    pub red_lines: Vec<RedLine>,
    pub linkages: Vec<Linkage>,
    pub sequencing: Vec<Sequencing>,
    pub forecast: Option<Forecast>,
    pub uncertainty: Vec<Uncertainty>,
    /// The risk that talks break down into an escalation while there is no agreement.
    #[serde(default)]
    pub breakdown: Option<Breakdown>,
}

/// A risk of breakdown (`[breakdown]`): each round of talks without agreement carries a
/// probability that events overtake them (the article's miscalculation at sea or in the air)
/// and the situation escalates into `utilities`. It lowers the value of no agreement over time
/// and acts in the negotiation protocols as the standard equivalent of discounting: an outcome
/// reached after `r` risky rounds is worth `(1 − p)^r·u + (1 − (1 − p)^r)·u_escalation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub id: String,
    /// What happens, in words ("a miscalculation at sea or in the air escalates").
    pub text: String,
    /// The probability per round without agreement, in [0, 1).
    pub per_round: f64,
    /// Each party's utility of the escalation, in [0, 1] (actor index, utility), in file order.
    pub utilities: Vec<(usize, f64)>,
    pub description: Option<String>,
}

impl Breakdown {
    /// The escalation utility of actor `a`, if the scenario gives one.
    pub fn utility_of(&self, a: usize) -> Option<f64> {
        self.utilities
            .iter()
            .find(|(x, _)| *x == a)
            .map(|(_, u)| *u)
    }

    /// The probability that no breakdown has happened after `rounds` risky rounds.
    pub fn survival(&self, rounds: u32) -> f64 {
        (1.0 - self.per_round).powi(i32::try_from(rounds).unwrap_or(i32::MAX))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Party,
    Mediator,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub description: Option<String>,
}

/// Which way an option may change once set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Free to take and to drop.
    #[default]
    Both,
    /// Once taken, it cannot be untaken.
    Forward,
    /// Once dropped, it cannot be retaken.
    Backward,
}

/// A yes/no course of action controlled by one actor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionDef {
    /// The qualified id, `owner.local`, used in expressions and output.
    pub id: String,
    /// The id within its owner.
    pub local_id: String,
    pub name: String,
    /// Index into `Scenario::actors`.
    pub owner: usize,
    pub direction: Direction,
    pub description: Option<String>,
}

/// The stability (GMCR) view.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StabilityView {
    /// Options taken in the status quo (indices into `Scenario::options`), if given.
    pub status_quo: Option<Vec<usize>>,
    /// A state that satisfies any of these is infeasible.
    pub infeasible: Vec<Expr>,
    /// Every feasible state must satisfy all of these.
    pub require: Vec<Expr>,
    /// One entry per decision maker (actor that owns options), in actor order.
    pub preferences: Vec<DmPreference>,
    /// Coalitions of decision makers (actor indices) for coalition analysis.
    pub coalitions: Vec<Vec<usize>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DmPreference {
    /// Index into `Scenario::actors`.
    pub actor: usize,
    pub preference: Preference,
    /// States this DM misperceives: a state satisfying any of these.
    pub misperceptions: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Preference {
    /// Option prioritisation, most important first.
    Statements(Vec<Statement>),
    /// An explicit ranking: tie groups from best to worst. Each group is a list of state patterns.
    Ranking(Vec<Vec<Pattern>>),
}

/// A preference statement with the text it was written as.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    pub expr: Expr,
    pub text: String,
}

/// A state pattern over all options in bit order (see [`Scenario::bit_order`]): `Some(true)` = Y,
/// `Some(false)` = N, `None` = either.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern(pub Vec<Option<bool>>);

impl Pattern {
    pub fn matches(&self, taken: impl Fn(usize) -> bool) -> bool {
        self.0
            .iter()
            .enumerate()
            .all(|(bit, want)| want.is_none_or(|w| w == taken(bit)))
    }
}

impl std::fmt::Display for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for p in &self.0 {
            f.write_str(match p {
                Some(true) => "Y",
                Some(false) => "N",
                None => "-",
            })?;
        }
        Ok(())
    }
}

/// The values an issue can take.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum IssueDomain {
    /// Labels; `ordered` labels are listed from lowest to highest and can be compared.
    Labels { values: Vec<String>, ordered: bool },
    /// Every integer from `min` to `max` inclusive.
    Integer { min: i64, max: i64 },
    /// A real interval, discretised with `step` for exhaustive analyses (both ends included).
    Real { min: f64, max: f64, step: f64 },
}

impl IssueDomain {
    /// The number of discrete values.
    pub fn len(&self) -> usize {
        match self {
            IssueDomain::Labels { values, .. } => values.len(),
            IssueDomain::Integer { min, max } => (max - min + 1).max(0) as usize,
            IssueDomain::Real { min, max, step } => real_grid_len(*min, *max, *step),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn is_numeric(&self) -> bool {
        !matches!(self, IssueDomain::Labels { .. })
    }

    pub fn is_ordered(&self) -> bool {
        match self {
            IssueDomain::Labels { ordered, .. } => *ordered,
            _ => true,
        }
    }

    /// The numeric value of the value at `index` (the index itself for labels).
    pub fn number(&self, index: usize) -> f64 {
        match self {
            IssueDomain::Labels { .. } => index as f64,
            IssueDomain::Integer { min, .. } => (*min + index as i64) as f64,
            IssueDomain::Real { min, max, step } => (min + step * index as f64).min(*max),
        }
    }

    /// A label for the value at `index`.
    pub fn label(&self, index: usize) -> String {
        match self {
            IssueDomain::Labels { values, .. } => values[index].clone(),
            IssueDomain::Integer { .. } => format!("{}", self.number(index) as i64),
            IssueDomain::Real { .. } => format_number(self.number(index)),
        }
    }

    /// Finds the index of a value given as a label or a number.
    pub fn index_of(&self, literal: &Literal) -> Option<usize> {
        match (self, literal) {
            (IssueDomain::Labels { values, .. }, Literal::Label(i)) => {
                (*i < values.len()).then_some(*i)
            }
            (IssueDomain::Labels { .. }, Literal::Number(_)) => None,
            (_, Literal::Number(x)) => {
                (0..self.len()).find(|&i| (self.number(i) - x).abs() <= 1e-9)
            }
            (_, Literal::Label(_)) => None,
        }
    }

    /// Whether the value at `index` satisfies `op literal`.
    pub fn compare(&self, index: usize, op: CmpOp, literal: &Literal) -> bool {
        match (self, literal) {
            (IssueDomain::Labels { .. }, Literal::Label(j)) => op.holds(index, *j),
            (IssueDomain::Labels { .. }, Literal::Number(_)) => false,
            (_, Literal::Number(x)) => {
                let v = self.number(index);
                match op {
                    CmpOp::Eq => (v - x).abs() <= 1e-9,
                    CmpOp::Ne => (v - x).abs() > 1e-9,
                    _ => op.holds(v, *x),
                }
            }
            (_, Literal::Label(_)) => false,
        }
    }
}

/// The number of grid points of a real interval: `min, min+step, ...` up to `max`, with `max`
/// included even when the step does not divide the width.
pub fn real_grid_len(min: f64, max: f64, step: f64) -> usize {
    if step.is_nan() || step <= 0.0 || max.is_nan() || min.is_nan() || max < min {
        return 0;
    }
    let n = ((max - min) / step + 1e-9).floor() as usize + 1;
    if min + step * ((n - 1) as f64) < max - 1e-9 {
        n + 1
    } else {
        n
    }
}

/// Formats a number without a trailing `.0` for integers and with at most 6 decimals otherwise.
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// An item on the agenda.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Issue {
    pub id: String,
    pub name: String,
    pub domain: IssueDomain,
    /// The index of the issue's current value, if given.
    pub status_quo: Option<usize>,
    pub description: Option<String>,
}

/// How one actor values one issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Evaluator {
    /// A raw evaluation per value (GENIUS discrete evaluator); normalised by its maximum.
    Table(Vec<f64>),
    /// `clamp01(slope·(x − lower) + offset)` for integer and real issues (GENIUS linear evaluator).
    Linear { slope: f64, offset: f64 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssueTerm {
    pub issue: usize,
    /// Used as written, not renormalised (GENIUS semantics).
    pub weight: f64,
    pub evaluator: Evaluator,
}

/// A constraint term: `value` is added to the utility when `when` holds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConstraintTerm {
    pub when: Expr,
    pub text: String,
    pub value: f64,
}

/// An actor's additive utility over issues (DESIGN §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Utility {
    pub actor: usize,
    /// The utility of no agreement: the party's disagreement value, used by every lens (the
    /// ZOPA, the bargaining solutions, the phased plan, what a failed negotiation pays).
    pub reservation: f64,
    /// Where [`Utility::reservation`] comes from.
    #[serde(default)]
    pub reservation_source: ReservationSource,
    /// Why the disagreement value differs from today's outcome, when the scenario says.
    #[serde(default)]
    pub reservation_reason: Option<String>,
    pub discount: Option<f64>,
    pub terms: Vec<IssueTerm>,
    pub constraints: Vec<ConstraintTerm>,
}

/// Where a party's disagreement value comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationSource {
    /// Written in the scenario (`reservation = x`).
    #[default]
    Given,
    /// Not written, and every issue has a status quo: no deal means today continues, so the
    /// disagreement value is the utility of today's outcome.
    StatusQuo,
    /// Not written and there is no complete status quo outcome: 0.
    Zero,
}

impl ReservationSource {
    /// A few words: "as given", "today's outcome", "none given: 0".
    pub fn short(self) -> &'static str {
        match self {
            ReservationSource::Given => "as given",
            ReservationSource::StatusQuo => "today's outcome",
            ReservationSource::Zero => "none given: 0",
        }
    }

    /// Words for a report: "as given", "today's outcome", "none given (0)".
    pub fn describe(self) -> &'static str {
        match self {
            ReservationSource::Given => "as given in the scenario",
            ReservationSource::StatusQuo => {
                "what today's outcome gives it (no deal means today continues)"
            }
            ReservationSource::Zero => "none given and no complete status quo, so 0",
        }
    }
}

impl Utility {
    /// `min(1, Σ w_k · e_k(ω_k)/max e_k + Σ constraint terms)` for an outcome given as value
    /// indices per issue.
    pub fn evaluate(&self, issues: &[Issue], outcome: &[usize]) -> f64 {
        let mut u = 0.0;
        for term in &self.terms {
            let issue = &issues[term.issue];
            let v = outcome[term.issue];
            u += term.weight * evaluator_value(&term.evaluator, &issue.domain, v);
        }
        for c in &self.constraints {
            if c.when.eval(&|_| false, &|i, op, lit| {
                issues[i].domain.compare(outcome[i], op, lit)
            }) {
                u += c.value;
            }
        }
        u.min(1.0)
    }
}

/// The normalised evaluation of value `index` (in `[0, 1]` for well-formed evaluators).
pub fn evaluator_value(evaluator: &Evaluator, domain: &IssueDomain, index: usize) -> f64 {
    match evaluator {
        Evaluator::Table(evals) => {
            let max = evals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if max > 0.0 { evals[index] / max } else { 0.0 }
        }
        Evaluator::Linear { slope, offset } => {
            let lower = domain.number(0);
            (slope * (domain.number(index) - lower) + offset).clamp(0.0, 1.0)
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedLineKind {
    /// A limit on the substance of any agreement.
    RedLine,
    /// A condition on the process that must hold for talks to take place.
    Precondition,
}

/// A hard constraint owned by an actor: outcomes where `require` is false are unacceptable to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RedLine {
    pub id: String,
    pub owner: usize,
    pub kind: RedLineKind,
    pub require: Expr,
    pub text: String,
    pub description: Option<String>,
    /// Known only to its owner (`private = true`). Red lines are public by default: the other
    /// parties' red-line-aware negotiators never offer, and a mediator never proposes, what
    /// breaks a public red line.
    #[serde(default)]
    pub private: bool,
    /// When the red line binds in a phased plan: in every phase (default), or only the final
    /// agreement (a withdrawal in stages toward "full withdrawal").
    #[serde(default)]
    pub applies: Applies,
}

/// When a red line binds in a phased plan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// No phase may break it.
    #[default]
    Always,
    /// It binds the final agreement; interim phases may stop short of it.
    Final,
}

/// A constraint between issues that any agreement must respect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Linkage {
    pub id: String,
    pub require: Expr,
    pub text: String,
    pub description: Option<String>,
}

/// In a phased plan, issue `first` must start moving no later than issue `then` (strictly earlier
/// when `strict`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sequencing {
    pub id: String,
    pub first: usize,
    pub then: usize,
    pub strict: bool,
    pub description: Option<String>,
}

/// Forecast inputs: positions on policy dimensions.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Forecast {
    pub dimensions: Vec<Dimension>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// What 0 and 100 mean on this dimension.
    pub low: Option<String>,
    pub high: Option<String>,
    pub positions: Vec<Position>,
}

/// An actor on a dimension: position, capability and salience, each in `[0, 100]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub actor: usize,
    pub position: f64,
    pub capability: f64,
    pub salience: f64,
}

/// A numeric input that can be made uncertain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Target {
    Reservation {
        actor: usize,
    },
    Weight {
        actor: usize,
        issue: usize,
    },
    Discount {
        actor: usize,
    },
    Position {
        dimension: usize,
        actor: usize,
    },
    Capability {
        dimension: usize,
        actor: usize,
    },
    Salience {
        dimension: usize,
        actor: usize,
    },
    /// Alternative preferences of a decision maker (index into `StabilityView::preferences`).
    Preferences {
        dm: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Distribution {
    Uniform {
        low: f64,
        high: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
    },
    Triangular {
        low: f64,
        mode: f64,
        high: f64,
    },
    /// Discrete alternatives with weights (normalised by the sampler).
    Choice {
        values: Vec<f64>,
        weights: Vec<f64>,
    },
    /// Alternative preferences with weights.
    Alternatives {
        preferences: Vec<Preference>,
        weights: Vec<f64>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Uncertainty {
    /// The path as written, e.g. `utilities.iran.reservation`.
    pub path: String,
    pub target: Target,
    pub distribution: Distribution,
}

impl Scenario {
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    pub fn option_index(&self, id: &str) -> Option<usize> {
        self.options.iter().position(|o| o.id == id)
    }

    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }

    /// The parties (actors with role party), in order.
    pub fn parties(&self) -> impl Iterator<Item = (usize, &Actor)> {
        self.actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.role == Role::Party)
    }

    /// The decision makers of the stability view: actors that own options, in actor order.
    pub fn decision_makers(&self) -> Vec<usize> {
        (0..self.actors.len())
            .filter(|&a| self.options.iter().any(|o| o.owner == a))
            .collect()
    }

    /// The options in GMCR bit order: DM by DM in actor order, each DM's options in declaration
    /// order. `bit_order()[b]` is the option index of bit `b`.
    pub fn bit_order(&self) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.options.len());
        for dm in self.decision_makers() {
            order.extend((0..self.options.len()).filter(|&o| self.options[o].owner == dm));
        }
        order
    }

    /// The utility function of an actor, if it has one.
    pub fn utility_of(&self, actor: usize) -> Option<&Utility> {
        self.utilities.iter().find(|u| u.actor == actor)
    }

    /// Evaluates an issue expression on an outcome given as value indices per issue.
    pub fn eval_outcome(&self, expr: &Expr, outcome: &[usize]) -> bool {
        expr.eval(&|_| false, &|i, op, lit| {
            self.issues[i].domain.compare(outcome[i], op, lit)
        })
    }

    /// Renders a resolved expression back to source syntax, with ids.
    pub fn display_expr(&self, expr: &Expr) -> String {
        self.fmt_expr(expr, 0)
    }

    fn fmt_literal(&self, issue: usize, lit: &Literal) -> String {
        match lit {
            Literal::Label(i) => {
                let label = self.issues[issue].domain.label(*i);
                if is_plain_word(&label) {
                    label
                } else {
                    format!("{label:?}")
                }
            }
            Literal::Number(x) => format_number(*x),
        }
    }

    // Precedence: 0 = iff, 1 = implies, 2 = or, 3 = and, 4 = unary/atom.
    fn fmt_expr(&self, expr: &Expr, outer: u8) -> String {
        let (prec, text) = match expr {
            Expr::Bool(b) => (4, b.to_string()),
            Expr::Option(o) => (4, self.options[*o].id.clone()),
            Expr::Cmp { issue, op, value } => (
                4,
                format!(
                    "{} {} {}",
                    self.issues[*issue].id,
                    op.symbol(),
                    self.fmt_literal(*issue, value)
                ),
            ),
            Expr::In { issue, values } => {
                let vs: Vec<_> = values.iter().map(|v| self.fmt_literal(*issue, v)).collect();
                (
                    4,
                    format!("{} in [{}]", self.issues[*issue].id, vs.join(", ")),
                )
            }
            Expr::Not(e) => (4, format!("!{}", self.fmt_expr(e, 4))),
            Expr::And(es) => (
                3,
                es.iter()
                    .map(|e| self.fmt_expr(e, 4))
                    .collect::<Vec<_>>()
                    .join(" & "),
            ),
            Expr::Or(es) => (
                2,
                es.iter()
                    .map(|e| self.fmt_expr(e, 3))
                    .collect::<Vec<_>>()
                    .join(" | "),
            ),
            Expr::Implies(a, b) => (
                1,
                format!("{} => {}", self.fmt_expr(a, 2), self.fmt_expr(b, 1)),
            ),
            Expr::Iff(a, b) => (
                0,
                format!("{} <=> {}", self.fmt_expr(a, 1), self.fmt_expr(b, 1)),
            ),
        };
        if prec < outer {
            format!("({text})")
        } else {
            text
        }
    }
}

/// Whether a label can be written unquoted in an expression.
pub fn is_plain_word(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        && !matches!(s, "in" | "if" | "iff" | "true" | "false")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_grid_includes_both_ends() {
        assert_eq!(real_grid_len(0.0, 1.0, 0.25), 5);
        assert_eq!(real_grid_len(0.0, 1.0, 0.3), 5); // 0, .3, .6, .9, 1.0
        assert_eq!(real_grid_len(0.0, 0.0, 0.1), 1);
        assert_eq!(real_grid_len(1.0, 0.0, 0.1), 0);
        let d = IssueDomain::Real {
            min: 0.0,
            max: 1.0,
            step: 0.3,
        };
        assert_eq!(d.number(4), 1.0);
        assert!((d.number(3) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn linear_evaluator_clamps() {
        let d = IssueDomain::Integer { min: 10, max: 20 };
        let e = Evaluator::Linear {
            slope: 0.2,
            offset: 0.1,
        };
        assert_eq!(evaluator_value(&e, &d, 0), 0.1);
        assert!((evaluator_value(&e, &d, 2) - 0.5).abs() < 1e-12);
        assert_eq!(evaluator_value(&e, &d, 10), 1.0);
    }

    #[test]
    fn patterns_match_with_wildcards() {
        let p = Pattern(vec![Some(true), None, Some(false)]);
        assert!(p.matches(|b| b == 0));
        assert!(p.matches(|b| b <= 1));
        assert!(!p.matches(|b| b == 2));
        assert_eq!(p.to_string(), "Y-N");
    }

    #[test]
    fn partial_evaluation_is_three_valued() {
        let e = Expr::Implies(Box::new(Expr::Option(0)), Box::new(Expr::Option(1)));
        assert_eq!(
            e.eval_partial(&|o| if o == 0 { Some(false) } else { None }),
            Some(true)
        );
        assert_eq!(
            e.eval_partial(&|o| if o == 0 { Some(true) } else { None }),
            None
        );
        assert_eq!(e.eval_partial(&|o| Some(o == 0)), Some(false));
    }
}
