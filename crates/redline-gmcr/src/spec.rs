//! The engine's input: a conflict as plain data, and its validation errors.
//!
//! A [`ConflictSpec`] is what every front end (the scenario loader, the gmcr-py reader, the random
//! generator) lowers its model into. It is deliberately small and stable: options in bit order,
//! formulas over option indices, explicit rankings as state codes.

use serde::{Deserialize, Serialize};

/// Which way an option may change once set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Free to take and to drop.
    #[default]
    Both,
    /// Once taken, it cannot be untaken (gmcr-py `fwd`).
    Forward,
    /// Once dropped, it cannot be retaken (gmcr-py `back`).
    Backward,
}

/// A boolean formula over options. `Opt(b)` is true in a state where option `b` (its bit position)
/// is taken.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    True,
    False,
    Opt(usize),
    Not(Box<Formula>),
    And(Vec<Formula>),
    Or(Vec<Formula>),
    Implies(Box<Formula>, Box<Formula>),
    Iff(Box<Formula>, Box<Formula>),
}

impl Formula {
    /// Option `b` is taken.
    pub fn taken(b: usize) -> Formula {
        Formula::Opt(b)
    }

    /// Option `b` is not taken.
    pub fn not_taken(b: usize) -> Formula {
        Formula::Not(Box::new(Formula::Opt(b)))
    }

    /// The conjunction of literals `(option, taken)`, as in a gmcr-py condition.
    pub fn cube(literals: &[(usize, bool)]) -> Formula {
        Formula::And(
            literals
                .iter()
                .map(|&(b, y)| {
                    if y {
                        Formula::taken(b)
                    } else {
                        Formula::not_taken(b)
                    }
                })
                .collect(),
        )
    }

    /// Evaluates the formula in the state `code` (bit `b` set = option `b` taken).
    pub fn eval(&self, code: u64) -> bool {
        match self {
            Formula::True => true,
            Formula::False => false,
            Formula::Opt(b) => *b < 64 && code >> b & 1 == 1,
            Formula::Not(f) => !f.eval(code),
            Formula::And(fs) => fs.iter().all(|f| f.eval(code)),
            Formula::Or(fs) => fs.iter().any(|f| f.eval(code)),
            Formula::Implies(p, q) => !p.eval(code) || q.eval(code),
            Formula::Iff(p, q) => p.eval(code) == q.eval(code),
        }
    }

    /// The largest option index the formula mentions, if any.
    pub fn max_option(&self) -> Option<usize> {
        match self {
            Formula::True | Formula::False => None,
            Formula::Opt(b) => Some(*b),
            Formula::Not(f) => f.max_option(),
            Formula::And(fs) | Formula::Or(fs) => fs.iter().filter_map(Formula::max_option).max(),
            Formula::Implies(p, q) | Formula::Iff(p, q) => p.max_option().max(q.max_option()),
        }
    }
}

/// One option: a yes/no course of action controlled by one decision maker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionSpec {
    pub name: String,
    /// Index into [`ConflictSpec::dms`].
    pub dm: usize,
    #[serde(default)]
    pub direction: Direction,
}

/// How a decision maker ranks the feasible states.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preference {
    /// Option prioritisation: statements, most important first. With k statements, statement j
    /// (0-based) weighs 2^(k−1−j); a state's score is the sum of the weights of the statements it
    /// satisfies; payoffs are the dense ranks of the scores, 1 the worst. `q if p` arrives as
    /// `Implies(p, q)`, `q iff p` as `Iff(p, q)`. At most 63 statements.
    Statements(Vec<Formula>),
    /// An explicit ranking: tie groups of state codes, best first. It must list every feasible
    /// state exactly once. Payoffs follow gmcr-py: with N feasible states, the states of the
    /// best group get N, those of the next group N−1, and so on; with ties the worst payoff is
    /// above 1. Only the order matters to the concepts.
    Ranking(Vec<Vec<u64>>),
}

/// One decision maker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DmSpec {
    pub name: String,
    pub preference: Preference,
    /// A state that satisfies any of these is misperceived by this DM: the DM can neither move
    /// from it nor move to it.
    #[serde(default)]
    pub misperceived: Vec<Formula>,
}

/// A whole conflict.
///
/// Options are listed in bit order: option `b` is bit `b` of a state code, and the options of one
/// DM are contiguous, DM by DM (all options of DM 0 first, then those of DM 1, ...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictSpec {
    pub options: Vec<OptionSpec>,
    pub dms: Vec<DmSpec>,
    /// A state that satisfies any of these is infeasible.
    #[serde(default)]
    pub infeasible: Vec<Formula>,
    /// Coalitions for the coalition analyses: disjoint, non-empty sets of DM indices. A DM in no
    /// coalition acts alone.
    #[serde(default)]
    pub coalitions: Vec<Vec<usize>>,
    /// The code of the status quo state, if known.
    #[serde(default)]
    pub status_quo: Option<u64>,
}

/// The most options a conflict may have: a state is a `u64` and one bit stays free.
pub const MAX_OPTIONS: usize = 63;
/// The most statements in one option prioritisation (scores are `u64`).
pub const MAX_STATEMENTS: usize = 63;

/// Where a formula appears, for error messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FormulaSite {
    Infeasible(usize),
    Statement { dm: usize, index: usize },
    Misperception { dm: usize, index: usize },
}

impl std::fmt::Display for FormulaSite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormulaSite::Infeasible(i) => write!(f, "infeasibility condition {i}"),
            FormulaSite::Statement { dm, index } => {
                write!(f, "preference statement {index} of decision maker {dm}")
            }
            FormulaSite::Misperception { dm, index } => {
                write!(f, "misperception {index} of decision maker {dm}")
            }
        }
    }
}

/// Why a [`ConflictSpec`] cannot be analysed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("the conflict has no options; add at least one option per decision maker")]
    NoOptions,
    #[error("the conflict has no decision makers")]
    NoDms,
    #[error("the conflict has {count} options; at most {MAX_OPTIONS} are supported")]
    TooManyOptions { count: usize },
    #[error("option {option} ({name:?}) belongs to decision maker {dm}, but there are only {dms}")]
    UnknownDm {
        option: usize,
        name: String,
        dm: usize,
        dms: usize,
    },
    #[error(
        "option {option} ({name:?}) of decision maker {dm} is out of order: options must be \
         listed DM by DM (bit order), each DM's options contiguous"
    )]
    OptionsNotContiguous {
        option: usize,
        name: String,
        dm: usize,
    },
    #[error("decision maker {dm} ({name:?}) controls no option")]
    DmWithoutOptions { dm: usize, name: String },
    #[error("{site} refers to option {option}, but there are only {options} options")]
    UnknownOption {
        site: FormulaSite,
        option: usize,
        options: usize,
    },
    #[error(
        "decision maker {dm} ({name:?}) has {count} preference statements; at most \
         {MAX_STATEMENTS} are supported"
    )]
    TooManyStatements {
        dm: usize,
        name: String,
        count: usize,
    },
    #[error("every state is infeasible; relax the infeasibility conditions")]
    NoFeasibleStates,
    #[error("the conflict has more than {limit} feasible states")]
    TooManyStates { limit: u64 },
    #[error(
        "the ranking of decision maker {dm} ({name:?}) lists state {code}, which is not a \
         feasible state"
    )]
    RankingUnknownState { dm: usize, name: String, code: u64 },
    #[error("the ranking of decision maker {dm} ({name:?}) lists state {code} more than once")]
    RankingDuplicate { dm: usize, name: String, code: u64 },
    #[error(
        "the ranking of decision maker {dm} ({name:?}) misses {missing} feasible states, for \
         example state {example}; a ranking must list every feasible state once"
    )]
    RankingIncomplete {
        dm: usize,
        name: String,
        missing: usize,
        example: u64,
    },
    #[error("the ranking of decision maker {dm} ({name:?}) has an empty tie group")]
    RankingEmptyGroup { dm: usize, name: String },
    #[error("coalition {coalition} is empty")]
    EmptyCoalition { coalition: usize },
    #[error("coalition {coalition} names decision maker {dm}, but there are only {dms}")]
    CoalitionUnknownDm {
        coalition: usize,
        dm: usize,
        dms: usize,
    },
    #[error("decision maker {dm} is in more than one coalition (coalition {coalition} repeats it)")]
    CoalitionOverlap { coalition: usize, dm: usize },
    #[error("the status quo {code} sets bits beyond the {options} options")]
    StatusQuoOutOfRange { code: u64, options: usize },
    #[error("the status quo {code} is not a feasible state")]
    StatusQuoInfeasible { code: u64 },
}

impl ConflictSpec {
    /// Checks everything that can be checked without enumerating states.
    pub fn validate_shape(&self) -> Result<(), SpecError> {
        let n = self.options.len();
        if self.dms.is_empty() {
            return Err(SpecError::NoDms);
        }
        if n == 0 {
            return Err(SpecError::NoOptions);
        }
        if n > MAX_OPTIONS {
            return Err(SpecError::TooManyOptions { count: n });
        }
        let dms = self.dms.len();
        let mut last = 0usize;
        let mut seen = vec![false; dms];
        for (b, o) in self.options.iter().enumerate() {
            if o.dm >= dms {
                return Err(SpecError::UnknownDm {
                    option: b,
                    name: o.name.clone(),
                    dm: o.dm,
                    dms,
                });
            }
            if o.dm < last || (o.dm != last && seen[o.dm]) {
                return Err(SpecError::OptionsNotContiguous {
                    option: b,
                    name: o.name.clone(),
                    dm: o.dm,
                });
            }
            seen[o.dm] = true;
            last = o.dm;
        }
        if let Some(dm) = seen.iter().position(|s| !s) {
            return Err(SpecError::DmWithoutOptions {
                dm,
                name: self.dms[dm].name.clone(),
            });
        }
        let check = |site: FormulaSite, f: &Formula| match f.max_option() {
            Some(b) if b >= n => Err(SpecError::UnknownOption {
                site,
                option: b,
                options: n,
            }),
            _ => Ok(()),
        };
        for (i, f) in self.infeasible.iter().enumerate() {
            check(FormulaSite::Infeasible(i), f)?;
        }
        for (d, dm) in self.dms.iter().enumerate() {
            if let Preference::Statements(st) = &dm.preference {
                if st.len() > MAX_STATEMENTS {
                    return Err(SpecError::TooManyStatements {
                        dm: d,
                        name: dm.name.clone(),
                        count: st.len(),
                    });
                }
                for (index, f) in st.iter().enumerate() {
                    check(FormulaSite::Statement { dm: d, index }, f)?;
                }
            }
            for (index, f) in dm.misperceived.iter().enumerate() {
                check(FormulaSite::Misperception { dm: d, index }, f)?;
            }
        }
        let mut in_coalition = vec![false; dms];
        for (c, members) in self.coalitions.iter().enumerate() {
            if members.is_empty() {
                return Err(SpecError::EmptyCoalition { coalition: c });
            }
            for &dm in members {
                if dm >= dms {
                    return Err(SpecError::CoalitionUnknownDm {
                        coalition: c,
                        dm,
                        dms,
                    });
                }
                if in_coalition[dm] {
                    return Err(SpecError::CoalitionOverlap { coalition: c, dm });
                }
                in_coalition[dm] = true;
            }
        }
        if let Some(code) = self.status_quo
            && code >> n != 0
        {
            return Err(SpecError::StatusQuoOutOfRange { code, options: n });
        }
        Ok(())
    }

    /// The coalitions as a partition of the DMs: the given coalitions, then every DM that is in
    /// none of them on its own, each coalition's members sorted.
    pub fn coalition_partition(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = self
            .coalitions
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.sort_unstable();
                c.dedup();
                c
            })
            .collect();
        for dm in 0..self.dms.len() {
            if !out.iter().any(|c| c.contains(&dm)) {
                out.push(vec![dm]);
            }
        }
        out
    }
}
