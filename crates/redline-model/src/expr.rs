//! Resolved expressions: the one small language used by preference statements, feasibility
//! constraints, red lines and linkages.

use serde::{Deserialize, Serialize};

/// A comparison operator on issue values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }

    /// Applies the operator to two totally ordered values.
    pub fn holds<T: PartialOrd>(self, a: T, b: T) -> bool {
        match self {
            CmpOp::Eq => a == b,
            CmpOp::Ne => a != b,
            CmpOp::Lt => a < b,
            CmpOp::Le => a <= b,
            CmpOp::Gt => a > b,
            CmpOp::Ge => a >= b,
        }
    }
}

/// The right-hand side of a comparison, resolved against the issue's domain.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Literal {
    /// The index of a label of a label issue.
    Label(usize),
    /// A number, for integer and real issues. It need not lie on the issue's grid.
    Number(f64),
}

/// Which kind of atoms an expression may contain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExprContext {
    /// Atoms are options (stability view): feasibility, preferences, misperceptions.
    Options,
    /// Atoms are comparisons on issues (deal view): red lines, linkages, utility terms.
    Issues,
}

/// A resolved boolean expression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Bool(bool),
    /// An option is taken (index into `Scenario::options`).
    Option(usize),
    /// `issue op literal`.
    Cmp {
        issue: usize,
        op: CmpOp,
        value: Literal,
    },
    /// `issue in [v, ...]`.
    In {
        issue: usize,
        values: Vec<Literal>,
    },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    /// `a => b`.
    Implies(Box<Expr>, Box<Expr>),
    /// `a <=> b`.
    Iff(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Evaluates the expression with the given atom valuations.
    pub fn eval(
        &self,
        option: &impl Fn(usize) -> bool,
        cmp: &impl Fn(usize, CmpOp, &Literal) -> bool,
    ) -> bool {
        match self {
            Expr::Bool(b) => *b,
            Expr::Option(o) => option(*o),
            Expr::Cmp { issue, op, value } => cmp(*issue, *op, value),
            Expr::In { issue, values } => values.iter().any(|v| cmp(*issue, CmpOp::Eq, v)),
            Expr::Not(e) => !e.eval(option, cmp),
            Expr::And(es) => es.iter().all(|e| e.eval(option, cmp)),
            Expr::Or(es) => es.iter().any(|e| e.eval(option, cmp)),
            Expr::Implies(a, b) => !a.eval(option, cmp) || b.eval(option, cmp),
            Expr::Iff(a, b) => a.eval(option, cmp) == b.eval(option, cmp),
        }
    }

    /// Evaluates an options-only expression on a state given as a predicate over option indices.
    pub fn eval_options(&self, taken: impl Fn(usize) -> bool) -> bool {
        self.eval(&taken, &|_, _, _| false)
    }

    /// Three-valued evaluation over a partial assignment of options (`None` = unknown).
    /// Returns `None` when the value depends on unknown options.
    pub fn eval_partial<F: Fn(usize) -> Option<bool> + ?Sized>(&self, taken: &F) -> Option<bool> {
        match self {
            Expr::Bool(b) => Some(*b),
            Expr::Option(o) => taken(*o),
            Expr::Cmp { .. } | Expr::In { .. } => None,
            Expr::Not(e) => e.eval_partial(taken).map(|b| !b),
            Expr::And(es) => {
                let mut unknown = false;
                for e in es {
                    match e.eval_partial(taken) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            Expr::Or(es) => {
                let mut unknown = false;
                for e in es {
                    match e.eval_partial(taken) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                if unknown { None } else { Some(false) }
            }
            Expr::Implies(a, b) => match (a.eval_partial(taken), b.eval_partial(taken)) {
                (Some(false), _) | (_, Some(true)) => Some(true),
                (Some(true), Some(false)) => Some(false),
                _ => None,
            },
            Expr::Iff(a, b) => match (a.eval_partial(taken), b.eval_partial(taken)) {
                (Some(x), Some(y)) => Some(x == y),
                _ => None,
            },
        }
    }

    /// Calls `f` for every atom (option or issue comparison) in the expression.
    pub fn visit_atoms(&self, f: &mut impl FnMut(&Expr)) {
        match self {
            Expr::Bool(_) => {}
            Expr::Option(_) | Expr::Cmp { .. } | Expr::In { .. } => f(self),
            Expr::Not(e) => e.visit_atoms(f),
            Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| e.visit_atoms(f)),
            Expr::Implies(a, b) | Expr::Iff(a, b) => {
                a.visit_atoms(f);
                b.visit_atoms(f);
            }
        }
    }

    /// The issues an expression mentions, sorted and deduplicated.
    pub fn issues(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.visit_atoms(&mut |a| {
            if let Expr::Cmp { issue, .. } | Expr::In { issue, .. } = a {
                out.push(*issue);
            }
        });
        out.sort_unstable();
        out.dedup();
        out
    }
}
