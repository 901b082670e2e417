//! Lowering a [`redline_model::Scenario`] into a [`DealSpec`].
//!
//! Issue comparisons are compiled to allowed-value masks, real issues arrive already discretised
//! by the model's domain grid, and mediators are left out of the parties (the ZOPA is about the
//! parties' acceptance). Linear evaluators are evaluated on the grid and passed as normalised.

use redline_model::{
    CmpOp, Evaluator, Expr, IssueDomain, Literal, Role, Scenario, evaluator_value,
};

use crate::DealError;
use crate::spec::{
    Cond, Constraint, DealSpec, IssueSpec, Linkage, PartySpec, Sequencing, UtilityTerm, ValueLabel,
};

/// Compiles an issue expression into a condition over value indices.
pub fn compile(sc: &Scenario, expr: &Expr) -> Result<Cond, DealError> {
    let mask = |issue: usize, f: &dyn Fn(usize) -> bool| -> Cond {
        let n = sc.issues[issue].domain.len();
        Cond::Atom {
            issue,
            allowed: (0..n).map(f).collect(),
        }
    };
    Ok(match expr {
        Expr::Bool(true) => Cond::True,
        Expr::Bool(false) => Cond::False,
        Expr::Option(o) => {
            return Err(DealError::invalid(format!(
                "option `{}` appears in a deal expression; deal expressions compare issues",
                sc.options.get(*o).map_or("?", |x| x.id.as_str())
            )));
        }
        Expr::Cmp { issue, op, value } => {
            let d = &sc.issues[*issue].domain;
            mask(*issue, &|v| d.compare(v, *op, value))
        }
        Expr::In { issue, values } => {
            let d = &sc.issues[*issue].domain;
            mask(*issue, &|v| {
                values.iter().any(|l: &Literal| d.compare(v, CmpOp::Eq, l))
            })
        }
        Expr::Not(e) => Cond::Not(Box::new(compile(sc, e)?)),
        Expr::And(es) => Cond::And(
            es.iter()
                .map(|e| compile(sc, e))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Or(es) => Cond::Or(
            es.iter()
                .map(|e| compile(sc, e))
                .collect::<Result<_, _>>()?,
        ),
        Expr::Implies(a, b) => Cond::Implies(Box::new(compile(sc, a)?), Box::new(compile(sc, b)?)),
        Expr::Iff(a, b) => Cond::Iff(Box::new(compile(sc, a)?), Box::new(compile(sc, b)?)),
    })
}

/// Whether the scenario has a deal view: issues and at least one party with a utility.
pub fn has_deal_view(sc: &Scenario) -> bool {
    !sc.issues.is_empty() && sc.parties().any(|(i, _)| sc.utility_of(i).is_some())
}

/// Lowers the deal view of a scenario. Parties are the actors with role `party`; each needs a
/// utility function.
pub fn from_scenario(sc: &Scenario) -> Result<DealSpec, DealError> {
    if sc.issues.is_empty() {
        return Err(DealError::invalid(
            "the scenario has no issues, so there is no deal to analyse",
        ));
    }
    let issues: Vec<IssueSpec> = sc
        .issues
        .iter()
        .map(|i| IssueSpec {
            id: i.id.clone(),
            name: i.name.clone(),
            values: (0..i.domain.len())
                .map(|v| ValueLabel {
                    label: i.domain.label(v),
                    number: i.domain.is_numeric().then(|| i.domain.number(v)),
                })
                .collect(),
            ordered: i.domain.is_ordered(),
        })
        .collect();
    let mut party_of_actor = vec![None; sc.actors.len()];
    let mut parties = Vec::new();
    for (a, actor) in sc.parties() {
        let Some(u) = sc.utility_of(a) else {
            return Err(DealError::invalid(format!(
                "party `{}` has no [utilities.{}] table; every party needs a utility for the deal lens",
                actor.id, actor.id
            )));
        };
        party_of_actor[a] = Some(parties.len());
        parties.push(party_spec(sc, actor, u)?);
    }
    lower_rest(sc, issues, parties, party_of_actor)
}

/// The first mediator with a utility, lowered like a party: its interests, for a mediator that
/// pursues them (the negotiation lens's biased mediator). `None` when no mediator has one.
pub fn mediator_spec(sc: &Scenario) -> Result<Option<PartySpec>, DealError> {
    for (a, actor) in sc.actors.iter().enumerate() {
        if actor.role == Role::Mediator
            && let Some(u) = sc.utility_of(a)
        {
            return party_spec(sc, actor, u).map(Some);
        }
    }
    Ok(None)
}

fn party_spec(
    sc: &Scenario,
    actor: &redline_model::Actor,
    u: &redline_model::Utility,
) -> Result<PartySpec, DealError> {
    {
        let mut weights = vec![0.0; sc.issues.len()];
        let mut evaluations: Vec<Vec<f64>> = sc
            .issues
            .iter()
            .map(|i| vec![0.0; i.domain.len()])
            .collect();
        let mut normalized = vec![true; sc.issues.len()];
        for t in &u.terms {
            let d: &IssueDomain = &sc.issues[t.issue].domain;
            weights[t.issue] = t.weight;
            match &t.evaluator {
                Evaluator::Table(raw) => {
                    evaluations[t.issue] = raw.clone();
                    normalized[t.issue] = false;
                }
                e @ Evaluator::Linear { .. } => {
                    evaluations[t.issue] = (0..d.len()).map(|v| evaluator_value(e, d, v)).collect();
                }
            }
        }
        let terms = u
            .constraints
            .iter()
            .map(|c| {
                Ok(UtilityTerm {
                    label: c.text.clone(),
                    cond: compile(sc, &c.when)?,
                    value: c.value,
                })
            })
            .collect::<Result<Vec<_>, DealError>>()?;
        Ok(PartySpec {
            id: actor.id.clone(),
            name: actor.name.clone(),
            weights,
            evaluations,
            normalized,
            terms,
            reservation: u.reservation,
            reservation_source: u.reservation_source,
            discount: u.discount,
        })
    }
}

fn lower_rest(
    sc: &Scenario,
    issues: Vec<IssueSpec>,
    parties: Vec<PartySpec>,
    party_of_actor: Vec<Option<usize>>,
) -> Result<DealSpec, DealError> {
    if parties.is_empty() {
        return Err(DealError::invalid(
            "the scenario has no parties (actors with role = \"party\")",
        ));
    }
    let mut red_lines = Vec::new();
    for r in &sc.red_lines {
        let Some(owner) = party_of_actor[r.owner] else {
            let a = &sc.actors[r.owner];
            if a.role == Role::Mediator {
                return Err(DealError::invalid(format!(
                    "red line `{}` belongs to mediator `{}`; only parties' red lines bound the ZOPA",
                    r.id, a.id
                )));
            }
            continue;
        };
        red_lines.push(Constraint {
            id: r.id.clone(),
            owner,
            label: r.text.clone(),
            cond: compile(sc, &r.require)?,
            private: r.private,
            final_only: r.applies == redline_model::Applies::Final,
        });
    }
    let linkages = sc
        .linkages
        .iter()
        .map(|l| {
            Ok(Linkage {
                id: l.id.clone(),
                label: l.text.clone(),
                cond: compile(sc, &l.require)?,
            })
        })
        .collect::<Result<Vec<_>, DealError>>()?;
    let sequencing = sc
        .sequencing
        .iter()
        .map(|s| Sequencing {
            id: s.id.clone(),
            first: s.first,
            then: s.then,
            strict: s.strict,
        })
        .collect();
    let status_quo = sc
        .issues
        .iter()
        .map(|i| i.status_quo)
        .collect::<Option<Vec<usize>>>();
    Ok(DealSpec {
        issues,
        parties,
        red_lines,
        linkages,
        sequencing,
        status_quo,
    })
}
