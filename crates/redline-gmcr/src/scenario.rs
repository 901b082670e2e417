//! Lowering a [`redline_model::Scenario`]'s stability view into a [`ConflictSpec`].
//!
//! Decision makers are the actors that own options, in actor order; options are put in bit
//! order (DM by DM, each DM's options in declaration order, as `Scenario::bit_order`); option
//! expressions become [`Formula`]s over bits; `require` constraints become infeasibility of their
//! negation; ranking patterns (with `-` wildcards) are expanded to the feasible state codes they
//! match.

use redline_model::{Expr, Scenario};

use crate::spec::{ConflictSpec, Direction, DmSpec, Formula, OptionSpec, Preference};

/// Why a scenario's stability view could not be lowered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LowerError {
    #[error("the scenario has no stability view (no options)")]
    NoStabilityView,
    #[error("decision maker `{0}` has no preferences")]
    MissingPreference(String),
    #[error("an issue comparison appears in a stability expression")]
    IssueInStability,
    #[error(
        "the explicit ranking of `{dm}` needs the feasible states enumerated, but there are {options} options (at most {max})"
    )]
    RankingTooLarge {
        dm: String,
        options: usize,
        max: usize,
    },
}

/// The most options for which explicit rankings are expanded (2^n codes are enumerated).
pub const MAX_RANKING_OPTIONS: usize = 24;

fn formula(e: &Expr, bit_of: &[usize]) -> Result<Formula, LowerError> {
    let all = |es: &[Expr]| {
        es.iter()
            .map(|x| formula(x, bit_of))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(match e {
        Expr::Bool(true) => Formula::True,
        Expr::Bool(false) => Formula::False,
        Expr::Option(o) => Formula::Opt(bit_of[*o]),
        Expr::Cmp { .. } | Expr::In { .. } => return Err(LowerError::IssueInStability),
        Expr::Not(x) => Formula::Not(Box::new(formula(x, bit_of)?)),
        Expr::And(xs) => Formula::And(all(xs)?),
        Expr::Or(xs) => Formula::Or(all(xs)?),
        Expr::Implies(a, b) => {
            Formula::Implies(Box::new(formula(a, bit_of)?), Box::new(formula(b, bit_of)?))
        }
        Expr::Iff(a, b) => {
            Formula::Iff(Box::new(formula(a, bit_of)?), Box::new(formula(b, bit_of)?))
        }
    })
}

/// Whether the scenario has a stability view.
pub fn has_stability_view(sc: &Scenario) -> bool {
    sc.stability.is_some() && !sc.options.is_empty()
}

/// Lowers the stability view. Returns the spec and, per bit, the option index in the scenario.
pub fn from_scenario(sc: &Scenario) -> Result<(ConflictSpec, Vec<usize>), LowerError> {
    let view = sc
        .stability
        .as_ref()
        .filter(|_| !sc.options.is_empty())
        .ok_or(LowerError::NoStabilityView)?;
    let dms = sc.decision_makers();
    let order = sc.bit_order();
    let mut bit_of = vec![0; sc.options.len()];
    for (bit, &o) in order.iter().enumerate() {
        bit_of[o] = bit;
    }
    let options: Vec<OptionSpec> = order
        .iter()
        .map(|&o| {
            let opt = &sc.options[o];
            OptionSpec {
                name: opt.name.clone(),
                dm: dms.iter().position(|&a| a == opt.owner).unwrap_or(0),
                direction: match opt.direction {
                    redline_model::Direction::Both => Direction::Both,
                    redline_model::Direction::Forward => Direction::Forward,
                    redline_model::Direction::Backward => Direction::Backward,
                },
            }
        })
        .collect();
    let mut infeasible = view
        .infeasible
        .iter()
        .map(|e| formula(e, &bit_of))
        .collect::<Result<Vec<_>, _>>()?;
    for r in &view.require {
        infeasible.push(Formula::Not(Box::new(formula(r, &bit_of)?)));
    }
    let n = options.len();
    let feasible_codes = |infeasible: &[Formula]| -> Vec<u64> {
        (0..1u64 << n)
            .filter(|&c| !infeasible.iter().any(|f| f.eval(c)))
            .collect()
    };
    let mut feasible_cache: Option<Vec<u64>> = None;
    let mut dm_specs = Vec::new();
    for &a in &dms {
        let actor = &sc.actors[a];
        let p = view
            .preferences
            .iter()
            .find(|p| p.actor == a)
            .ok_or_else(|| LowerError::MissingPreference(actor.id.clone()))?;
        let preference = match &p.preference {
            redline_model::Preference::Statements(st) => Preference::Statements(
                st.iter()
                    .map(|s| formula(&s.expr, &bit_of))
                    .collect::<Result<_, _>>()?,
            ),
            redline_model::Preference::Ranking(groups) => {
                if n > MAX_RANKING_OPTIONS {
                    return Err(LowerError::RankingTooLarge {
                        dm: actor.id.clone(),
                        options: n,
                        max: MAX_RANKING_OPTIONS,
                    });
                }
                let feasible = feasible_cache.get_or_insert_with(|| feasible_codes(&infeasible));
                Preference::Ranking(
                    groups
                        .iter()
                        .map(|g| {
                            feasible
                                .iter()
                                .copied()
                                .filter(|&c| g.iter().any(|pat| pat.matches(|b| c >> b & 1 == 1)))
                                .collect()
                        })
                        .collect(),
                )
            }
        };
        let misperceived = p
            .misperceptions
            .iter()
            .map(|e| formula(e, &bit_of))
            .collect::<Result<_, _>>()?;
        dm_specs.push(DmSpec {
            name: actor.name.clone(),
            preference,
            misperceived,
        });
    }
    let coalitions = view
        .coalitions
        .iter()
        .map(|c| {
            c.iter()
                .filter_map(|a| dms.iter().position(|d| d == a))
                .collect()
        })
        .collect();
    let status_quo = view
        .status_quo
        .as_ref()
        .map(|taken| taken.iter().fold(0u64, |code, &o| code | 1 << bit_of[o]));
    Ok((
        ConflictSpec {
            options,
            dms: dm_specs,
            infeasible,
            coalitions,
            status_quo,
        },
        order,
    ))
}
