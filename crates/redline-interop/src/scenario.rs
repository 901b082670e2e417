//! Conversions between other tools' formats and the redline scenario model.
//!
//! - gmcr-py → scenario: decision makers become actors, options are declared in bit order with
//!   their names kept verbatim, conditions become expressions, explicit rankings become tie
//!   groups of Y/N patterns.
//! - scenario → gmcr-py: options in bit order; every expression is written in the only form
//!   gmcr-py knows, a disjunction of conjunctions of option literals, computed exactly from its
//!   truth table over the options it mentions.
//! - GENIUS ↔ scenario: issues, additive profiles, reservations and discounts. GENIUS has no red
//!   lines, linkages or stability view: [`to_genius`] reports what it had to leave out.

use redline_model::*;

use crate::genius::{GeniusDomain, GeniusEvaluator, GeniusIssue, GeniusIssueKind, GeniusProfile};
use crate::gmcr_py::{
    Compound, Condition, GmcrDm, GmcrOption, GmcrPyFile, PermittedDirection, PreferenceEntry,
    RankEntry, YesNo,
};

/// Why a conversion failed.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    #[error("the gmcr-py file is inconsistent: {0}")]
    GmcrPy(#[from] crate::gmcr_py::GmcrPyError),
    #[error("{0}")]
    Unsupported(String),
}

/// A lowercase id from a free-text name: letters and digits kept, runs of anything else become
/// `-`; made unique against `taken` by a numeric suffix.
pub fn slug(name: &str, taken: &[String]) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let mut s = s.trim_end_matches('-').to_string();
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s = format!("x{s}");
    }
    let base = s.clone();
    let mut n = 2;
    while taken.contains(&s) {
        s = format!("{base}-{n}");
        n += 1;
    }
    s
}

fn condition_expr(c: &Condition, option_of_file: &[usize]) -> Expr {
    let lits: Vec<Expr> = c
        .iter()
        .map(|(i, yn)| {
            let o = Expr::Option(option_of_file[*i]);
            if yn.taken() {
                o
            } else {
                Expr::Not(Box::new(o))
            }
        })
        .collect();
    if lits.len() == 1 {
        lits.into_iter().next().unwrap_or(Expr::Bool(true))
    } else {
        Expr::And(lits)
    }
}

fn entry_expr(e: &PreferenceEntry, option_of_file: &[usize]) -> Expr {
    let cs = e.conditions();
    if cs.len() == 1 {
        condition_expr(&cs[0], option_of_file)
    } else {
        Expr::Or(
            cs.iter()
                .map(|c| condition_expr(c, option_of_file))
                .collect(),
        )
    }
}

/// The scenario id base and the party names that GENIUS file names stand for, so that an
/// export followed by an import gives back the same ids. GENIUS names files
/// `<Domain>_domain.xml` with profiles `<Domain>_domain_<party>.xml`, `<Domain>_<party>.xml`,
/// `<domain>_<party>_utility.xml` or `<Party>.xml`, and `redline export genius` writes
/// `<id>_domain.xml` and `<id>_<party>.xml`. Returns (id base, party names).
pub fn genius_names(domain_stem: &str, profile_stems: &[String]) -> (String, Vec<String>) {
    let strip_suffix_ci = |s: &str, suffix: &str| -> Option<usize> {
        (s.len() > suffix.len() && s.to_ascii_lowercase().ends_with(suffix))
            .then(|| s.len() - suffix.len())
    };
    let base = ["_domain", "-domain"]
        .iter()
        .find_map(|suf| strip_suffix_ci(domain_stem, suf))
        .map_or(domain_stem, |n| &domain_stem[..n])
        .to_string();
    let names = profile_stems
        .iter()
        .map(|p| {
            let mut name = p.as_str();
            for prefix in [format!("{domain_stem}_"), format!("{base}_")] {
                if name.len() > prefix.len()
                    && name
                        .to_ascii_lowercase()
                        .starts_with(&prefix.to_ascii_lowercase())
                {
                    name = &name[prefix.len()..];
                    break;
                }
            }
            if let Some(n) = strip_suffix_ci(name, "_utility") {
                name = &name[..n];
            }
            name.to_string()
        })
        .collect();
    (base, names)
}

/// What an import could not carry into the scenario, in words (for the caller to show).
pub type ImportNotes = Vec<String>;

/// Keys gmcr-py writes that the scenario derives again (so dropping them loses nothing).
const GMCR_DERIVED: [&str; 1] = ["payoffs"];

/// [`from_gmcr_py`], with notes on everything in the file the scenario does not carry or use.
pub fn from_gmcr_py_with_notes(
    file: &GmcrPyFile,
    id: &str,
    name: &str,
) -> Result<(Scenario, ImportNotes), ConvertError> {
    let sc = from_gmcr_py(file, id, name)?;
    let mut notes = Vec::new();
    let manual = file.uses_manual_ranking();
    for dm in &file.decision_makers {
        match (&dm.preference_ranking, manual) {
            (Some(_), true) if !dm.preferences.is_empty() => notes.push(format!(
                "`{}`: the file ranks the states by hand (useManualPreferenceRanking), so its {} prioritisation statement(s) are not used; the scenario keeps the ranking",
                dm.name,
                dm.preferences.len()
            )),
            (Some(_), false) => notes.push(format!(
                "`{}`: the file's preferenceRanking is not used, because useManualPreferenceRanking is off (as in gmcr-py); the prioritisation statements are",
                dm.name
            )),
            (None, true) => notes.push(format!(
                "`{}`: useManualPreferenceRanking is on but the DM has no preferenceRanking; its prioritisation statements are used",
                dm.name
            )),
            _ => {}
        }
        if dm.preferences.is_empty() && (dm.preference_ranking.is_none() || !manual) {
            notes.push(format!(
                "`{}` has no preferences in the file: every state ranks the same for it",
                dm.name
            ));
        }
        let extra: Vec<&str> = dm
            .extra
            .keys()
            .map(String::as_str)
            .filter(|k| !GMCR_DERIVED.contains(k))
            .collect();
        if !extra.is_empty() {
            notes.push(format!(
                "`{}`: keys not carried: {}",
                dm.name,
                extra.join(", ")
            ));
        }
    }
    let extra: Vec<&str> = file.extra.keys().map(String::as_str).collect();
    if !extra.is_empty() {
        notes.push(format!("file keys not carried: {}", extra.join(", ")));
    }
    Ok((sc, notes))
}

/// Converts a gmcr-py file into a scenario. Options are declared in bit order, so the scenario's
/// bit order and state codes equal the file's.
pub fn from_gmcr_py(file: &GmcrPyFile, id: &str, name: &str) -> Result<Scenario, ConvertError> {
    file.check()?;
    let mut sc = Scenario {
        id: id.to_string(),
        name: name.to_string(),
        ..Scenario::default()
    };
    sc.description = "Imported from a gmcr-py (GMCR+) file.".into();
    let mut actor_ids = Vec::new();
    for dm in &file.decision_makers {
        let aid = slug(&dm.name, &actor_ids);
        actor_ids.push(aid.clone());
        sc.actors.push(Actor {
            id: aid,
            name: dm.name.clone(),
            role: Role::Party,
            description: None,
        });
    }
    let mut option_of_file = vec![0; file.options.len()];
    for (a, dm) in file.decision_makers.iter().enumerate() {
        let mut local_ids: Vec<String> = Vec::new();
        for &fi in &dm.options {
            let opt = &file.options[fi];
            let local = slug(&opt.name, &local_ids);
            local_ids.push(local.clone());
            option_of_file[fi] = sc.options.len();
            sc.options.push(OptionDef {
                id: format!("{}.{}", sc.actors[a].id, local),
                local_id: local,
                name: opt.name.clone(),
                owner: a,
                direction: match opt.permitted_direction {
                    PermittedDirection::Both => Direction::Both,
                    PermittedDirection::Forward => Direction::Forward,
                    PermittedDirection::Backward => Direction::Backward,
                },
                description: None,
            });
        }
    }
    let infeasible: Vec<Expr> = file
        .infeasibles
        .iter()
        .map(|c| condition_expr(c, &option_of_file))
        .collect();
    let n = sc.options.len();
    // Feasible codes in bit order (options were declared in bit order, so option index = bit).
    let feasible: Vec<u64> = if file.uses_manual_ranking() {
        if n > 24 {
            return Err(ConvertError::Unsupported(format!(
                "explicit rankings over {n} options are too large to expand"
            )));
        }
        (0..1u64 << n)
            .filter(|&c| {
                !infeasible
                    .iter()
                    .any(|e| e.eval_options(|o| c >> o & 1 == 1))
            })
            .collect()
    } else {
        Vec::new()
    };
    let pattern_of = |code: u64| Pattern((0..n).map(|b| Some(code >> b & 1 == 1)).collect());
    let mut preferences = Vec::new();
    for (a, dm) in file.decision_makers.iter().enumerate() {
        let preference = match (&dm.preference_ranking, file.uses_manual_ranking()) {
            (Some(ranking), true) => {
                let mut groups = Vec::new();
                for entry in ranking {
                    let mut g = Vec::new();
                    for &rank in entry.states() {
                        let code = rank
                            .checked_sub(1)
                            .and_then(|r| feasible.get(r as usize))
                            .copied()
                            .ok_or_else(|| {
                                ConvertError::Unsupported(format!(
                                    "`{}` ranks state {rank}, but there are {} feasible states",
                                    dm.name,
                                    feasible.len()
                                ))
                            })?;
                        g.push(pattern_of(code));
                    }
                    groups.push(g);
                }
                Preference::Ranking(groups)
            }
            _ => Preference::Statements(
                dm.preferences
                    .iter()
                    .map(|e| Statement {
                        expr: entry_expr(e, &option_of_file),
                        text: String::new(),
                    })
                    .collect(),
            ),
        };
        let misperceptions = dm
            .misperceptions
            .iter()
            .map(|e| entry_expr(e, &option_of_file))
            .collect();
        preferences.push(DmPreference {
            actor: a,
            preference,
            misperceptions,
        });
    }
    let coalitions = file
        .coalitions
        .iter()
        .flatten()
        .map(|c| c.members().to_vec())
        .filter(|m| m.len() > 1)
        .collect();
    sc.stability = Some(StabilityView {
        status_quo: None,
        infeasible,
        require: Vec::new(),
        preferences,
        coalitions,
    });
    // Statement texts are the expressions rendered with the new ids.
    let texts: Vec<Vec<String>> = sc
        .stability
        .as_ref()
        .map(|v| {
            v.preferences
                .iter()
                .map(|p| match &p.preference {
                    Preference::Statements(st) => {
                        st.iter().map(|s| sc.display_expr(&s.expr)).collect()
                    }
                    Preference::Ranking(_) => Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    if let Some(v) = sc.stability.as_mut() {
        for (p, t) in v.preferences.iter_mut().zip(texts) {
            if let Preference::Statements(st) = &mut p.preference {
                for (s, text) in st.iter_mut().zip(t) {
                    s.text = text;
                }
            }
        }
    }
    Ok(sc)
}

/// The options an expression mentions, sorted.
fn options_of(e: &Expr) -> Vec<usize> {
    let mut out = Vec::new();
    e.visit_atoms(&mut |a| {
        if let Expr::Option(o) = a {
            out.push(*o);
        }
    });
    out.sort_unstable();
    out.dedup();
    out
}

/// The most options one expression may mention when written as a disjunction of conjunctions.
pub const MAX_DNF_OPTIONS: usize = 16;

/// The most atom evaluations the truth table of one expression may take (a few seconds).
const MAX_DNF_WORK: u64 = 100_000_000;

/// An expression as a disjunction of conjunctions over `bit_of` (exact, from its truth table).
fn dnf(e: &Expr, bit_of: &[usize]) -> Result<Vec<Condition>, ConvertError> {
    let vars = options_of(e);
    if vars.len() > MAX_DNF_OPTIONS {
        return Err(ConvertError::Unsupported(format!(
            "an expression mentions {} options; gmcr-py needs it as a disjunction of conjunctions, which is only written for up to {MAX_DNF_OPTIONS}",
            vars.len()
        )));
    }
    // The truth table costs 2^options evaluations of the whole expression: bound the product.
    let mut atoms = 0u64;
    e.visit_atoms(&mut |_| atoms += 1);
    if atoms.saturating_mul(1 << vars.len()) > MAX_DNF_WORK {
        return Err(ConvertError::Unsupported(format!(
            "an expression with {atoms} atoms over {} options is too large to write as gmcr-py's disjunction of conjunctions (2^{} rows of its truth table)",
            vars.len(),
            vars.len()
        )));
    }
    let mut out = Vec::new();
    for assignment in 0u64..1 << vars.len() {
        let value = |o: usize| {
            vars.iter()
                .position(|&v| v == o)
                .is_some_and(|i| assignment >> i & 1 == 1)
        };
        if e.eval_options(value) {
            out.push(
                vars.iter()
                    .enumerate()
                    .map(|(i, &o)| {
                        (
                            bit_of[o],
                            if assignment >> i & 1 == 1 {
                                YesNo::Y
                            } else {
                                YesNo::N
                            },
                        )
                    })
                    .collect(),
            );
        }
    }
    Ok(out)
}

fn entry(conds: Vec<Condition>) -> PreferenceEntry {
    if conds.len() == 1 {
        PreferenceEntry::Condition(conds.into_iter().next().unwrap_or_default())
    } else {
        PreferenceEntry::Compound(Compound {
            compound: true,
            members: conds,
        })
    }
}

/// Converts a scenario's stability view into a gmcr-py file (options in bit order).
/// [`to_gmcr_py`], with what the gmcr-py format cannot hold and the export therefore leaves out.
pub fn to_gmcr_py_with_notes(sc: &Scenario) -> Result<(GmcrPyFile, Vec<String>), ConvertError> {
    let file = to_gmcr_py(sc)?;
    let mut left_out = vec!["ids of actors and options (gmcr-py keeps names only)".to_string()];
    if let Some(v) = &sc.stability {
        if v.status_quo.is_some() {
            left_out.push("the status quo".into());
        }
        if !v.require.is_empty() {
            left_out.push(format!("{} `require` rule(s)", v.require.len()));
        }
    }
    let dms = sc.decision_makers();
    for &a in &dms {
        if sc.actors[a].role == Role::Mediator {
            left_out.push(format!(
                "the mediator role of `{}` (a plain DM in gmcr-py)",
                sc.actors[a].id
            ));
        }
    }
    if !sc.issues.is_empty() {
        left_out.push("the deal view (issues, utilities, red lines, linkages)".into());
    }
    if sc.breakdown.is_some() {
        left_out.push("the breakdown risk".into());
    }
    if sc.forecast.is_some() {
        left_out.push("the forecast inputs".into());
    }
    if !sc.uncertainty.is_empty() {
        left_out.push(format!("{} uncertainty entr(ies)", sc.uncertainty.len()));
    }
    if sc.actors.iter().any(|a| a.description.is_some())
        || sc.options.iter().any(|o| o.description.is_some())
        || !sc.description.is_empty()
    {
        left_out.push("descriptions".into());
    }
    Ok((file, left_out))
}

pub fn to_gmcr_py(sc: &Scenario) -> Result<GmcrPyFile, ConvertError> {
    let view = sc
        .stability
        .as_ref()
        .ok_or_else(|| ConvertError::Unsupported("the scenario has no stability view".into()))?;
    let order = sc.bit_order();
    let mut bit_of = vec![0; sc.options.len()];
    for (b, &o) in order.iter().enumerate() {
        bit_of[o] = b;
    }
    let options = order
        .iter()
        .map(|&o| GmcrOption {
            name: sc.options[o].name.clone(),
            permitted_direction: match sc.options[o].direction {
                Direction::Both => PermittedDirection::Both,
                Direction::Forward => PermittedDirection::Forward,
                Direction::Backward => PermittedDirection::Backward,
            },
        })
        .collect::<Vec<_>>();
    let mut infeasibles = Vec::new();
    for e in &view.infeasible {
        infeasibles.extend(dnf(e, &bit_of)?);
    }
    for r in &view.require {
        infeasibles.extend(dnf(&Expr::Not(Box::new(r.clone())), &bit_of)?);
    }
    let n = order.len();
    let any_ranking = view
        .preferences
        .iter()
        .any(|p| matches!(p.preference, Preference::Ranking(_)));
    let feasible: Vec<u64> = if any_ranking {
        if n > 24 {
            return Err(ConvertError::Unsupported(
                "explicit rankings over more than 24 options cannot be written".into(),
            ));
        }
        (0..1u64 << n)
            .filter(|&c| {
                let taken = |o: usize| c >> bit_of[o] & 1 == 1;
                !view.infeasible.iter().any(|e| e.eval_options(taken))
                    && view.require.iter().all(|e| e.eval_options(taken))
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut decision_makers = Vec::new();
    for dm in sc.decision_makers() {
        let p = view
            .preferences
            .iter()
            .find(|p| p.actor == dm)
            .ok_or_else(|| {
                ConvertError::Unsupported(format!("`{}` has no preferences", sc.actors[dm].id))
            })?;
        let (preferences, ranking) = match &p.preference {
            Preference::Statements(st) => {
                let entries = st
                    .iter()
                    .map(|s| dnf(&s.expr, &bit_of).map(entry))
                    .collect::<Result<Vec<_>, _>>()?;
                let ranking = any_ranking.then(|| {
                    // gmcr-py switches every DM to rankings at once: rank this DM's states by score.
                    let k = st.len();
                    let score = |c: u64| -> u64 {
                        st.iter()
                            .enumerate()
                            .filter(|(_, s)| s.expr.eval_options(|o| c >> bit_of[o] & 1 == 1))
                            .map(|(j, _)| 1u64 << (k - 1 - j))
                            .sum()
                    };
                    let mut by_score: Vec<(u64, u64)> = feasible
                        .iter()
                        .enumerate()
                        .map(|(i, &c)| (score(c), i as u64 + 1))
                        .collect();
                    by_score.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                    group_ranks(&by_score)
                });
                (entries, ranking)
            }
            Preference::Ranking(groups) => {
                let ranks = groups
                    .iter()
                    .map(|g| {
                        let members: Vec<u64> = feasible
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| g.iter().any(|pat| pat.matches(|b| *c >> b & 1 == 1)))
                            .map(|(i, _)| i as u64 + 1)
                            .collect();
                        if members.len() == 1 {
                            RankEntry::State(members[0])
                        } else {
                            RankEntry::Tie(members)
                        }
                    })
                    .collect();
                (Vec::new(), Some(ranks))
            }
        };
        let misperceptions = p
            .misperceptions
            .iter()
            .map(|e| dnf(e, &bit_of).map(entry))
            .collect::<Result<Vec<_>, _>>()?;
        decision_makers.push(GmcrDm {
            name: sc.actors[dm].name.clone(),
            options: (0..n)
                .filter(|&b| sc.options[order[b]].owner == dm)
                .collect(),
            preferences,
            misperceptions,
            preference_ranking: ranking,
            extra: Default::default(),
        });
    }
    let dms = sc.decision_makers();
    let coalitions = (!view.coalitions.is_empty()).then(|| {
        view.coalitions
            .iter()
            .map(|c| {
                crate::gmcr_py::CoalitionEntry::Group(
                    c.iter()
                        .filter_map(|a| dms.iter().position(|d| d == a))
                        .collect(),
                )
            })
            .collect()
    });
    Ok(GmcrPyFile {
        options,
        decision_makers,
        infeasibles,
        use_manual_preference_ranking: Some(any_ranking),
        coalitions,
        program: Some("redline".into()),
        version: Some(env!("CARGO_PKG_VERSION").into()),
        extra: Default::default(),
    })
}

/// Tie groups from `(score, rank)` pairs sorted by score, best first.
fn group_ranks(by_score: &[(u64, u64)]) -> Vec<RankEntry> {
    let mut out: Vec<RankEntry> = Vec::new();
    let mut i = 0;
    while i < by_score.len() {
        let j = by_score[i..]
            .iter()
            .position(|x| x.0 != by_score[i].0)
            .map_or(by_score.len(), |d| i + d);
        let members: Vec<u64> = by_score[i..j].iter().map(|x| x.1).collect();
        out.push(if members.len() == 1 {
            RankEntry::State(members[0])
        } else {
            RankEntry::Tie(members)
        });
        i = j;
    }
    out
}

/// Converts a GENIUS domain and its profiles (one per party, with the given actor names) into a
/// scenario. Real issues are discretised with `real_step`.
pub fn from_genius(
    domain: &GeniusDomain,
    profiles: &[GeniusProfile],
    names: &[String],
    id: &str,
    real_step: f64,
) -> Result<Scenario, ConvertError> {
    if names.len() != profiles.len() {
        return Err(ConvertError::Unsupported(format!(
            "{} names for {} profiles",
            names.len(),
            profiles.len()
        )));
    }
    let mut sc = Scenario {
        id: id.to_string(),
        name: domain.name.clone(),
        ..Scenario::default()
    };
    sc.description = "Imported from a GENIUS domain and its additive profiles.".into();
    let mut ids = Vec::new();
    for n in names {
        let a = slug(n, &ids);
        ids.push(a.clone());
        sc.actors.push(Actor {
            id: a,
            name: n.clone(),
            role: Role::Party,
            description: None,
        });
    }
    let mut issue_ids = Vec::new();
    for issue in &domain.issues {
        let iid = slug(&issue.name, &issue_ids).replace('-', "_");
        issue_ids.push(iid.clone());
        let d = match &issue.kind {
            GeniusIssueKind::Discrete { values } => IssueDomain::Labels {
                values: values.clone(),
                ordered: false,
            },
            GeniusIssueKind::Integer { lower, upper } => IssueDomain::Integer {
                min: *lower,
                max: *upper,
            },
            GeniusIssueKind::Real { lower, upper } => {
                if real_step <= 0.0 {
                    return Err(ConvertError::Unsupported(
                        "the step for real issues must be positive".into(),
                    ));
                }
                IssueDomain::Real {
                    min: *lower,
                    max: *upper,
                    step: real_step,
                }
            }
        };
        sc.issues.push(Issue {
            id: iid,
            name: issue.name.clone(),
            domain: d,
            status_quo: None,
            description: None,
        });
    }
    for (a, p) in profiles.iter().enumerate() {
        if p.weights.len() != domain.issues.len() || p.evaluators.len() != domain.issues.len() {
            return Err(ConvertError::Unsupported(format!(
                "profile {} does not match the domain's {} issues",
                names[a],
                domain.issues.len()
            )));
        }
        let terms = p
            .weights
            .iter()
            .zip(&p.evaluators)
            .enumerate()
            .map(|(k, (w, e))| IssueTerm {
                issue: k,
                weight: *w,
                evaluator: match e {
                    GeniusEvaluator::Discrete { evaluations } => {
                        Evaluator::Table(evaluations.clone())
                    }
                    GeniusEvaluator::Linear { slope, offset } => Evaluator::Linear {
                        slope: *slope,
                        offset: *offset,
                    },
                },
            })
            .collect();
        let discount = p.discount.filter(|d| *d > 0.0 && *d < 1.0);
        sc.utilities.push(Utility {
            actor: a,
            reservation: p.reservation,
            reservation_source: redline_model::ReservationSource::Given,
            reservation_reason: None,
            discount,
            terms,
            constraints: Vec::new(),
        });
    }
    Ok(sc)
}

/// A GENIUS export: the domain, one profile per party (with its actor id), and what could not be
/// represented in GENIUS.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusExport {
    pub domain: GeniusDomain,
    pub profiles: Vec<(String, GeniusProfile)>,
    pub left_out: Vec<String>,
}

/// Converts a scenario's deal view into a GENIUS domain and profiles.
pub fn to_genius(sc: &Scenario) -> Result<GeniusExport, ConvertError> {
    if sc.issues.is_empty() {
        return Err(ConvertError::Unsupported(
            "the scenario has no issues".into(),
        ));
    }
    let issues = sc
        .issues
        .iter()
        .map(|i| GeniusIssue {
            name: i.name.clone(),
            kind: match &i.domain {
                IssueDomain::Labels { values, .. } => GeniusIssueKind::Discrete {
                    values: values.clone(),
                },
                IssueDomain::Integer { min, max } => GeniusIssueKind::Integer {
                    lower: *min,
                    upper: *max,
                },
                IssueDomain::Real { min, max, .. } => GeniusIssueKind::Real {
                    lower: *min,
                    upper: *max,
                },
            },
        })
        .collect();
    let domain = GeniusDomain {
        name: sc.name.clone(),
        issues,
    };
    let mut left_out = Vec::new();
    let mut profiles = Vec::new();
    for (a, actor) in sc.parties() {
        let Some(u) = sc.utility_of(a) else {
            left_out.push(format!(
                "party `{}` has no utility, so no profile",
                actor.id
            ));
            continue;
        };
        let mut weights = vec![0.0; sc.issues.len()];
        let mut evaluators: Vec<GeniusEvaluator> = sc
            .issues
            .iter()
            .map(|i| match i.domain {
                IssueDomain::Labels { .. } => GeniusEvaluator::Discrete {
                    evaluations: vec![0.0; i.domain.len()],
                },
                _ => GeniusEvaluator::Linear {
                    slope: 0.0,
                    offset: 0.0,
                },
            })
            .collect();
        for t in &u.terms {
            weights[t.issue] = t.weight;
            evaluators[t.issue] = match &t.evaluator {
                Evaluator::Table(x) => GeniusEvaluator::Discrete {
                    evaluations: x.clone(),
                },
                Evaluator::Linear { slope, offset } => GeniusEvaluator::Linear {
                    slope: *slope,
                    offset: *offset,
                },
            };
        }
        if !u.constraints.is_empty() {
            left_out.push(format!(
                "{} utility term(s) of `{}` (GENIUS additive profiles have none)",
                u.constraints.len(),
                actor.id
            ));
        }
        profiles.push((
            actor.id.clone(),
            GeniusProfile {
                weights,
                evaluators,
                reservation: u.reservation,
                discount: u.discount,
            },
        ));
    }
    if !sc.red_lines.is_empty() {
        left_out.push(format!("{} red line(s)", sc.red_lines.len()));
    }
    if !sc.linkages.is_empty() {
        left_out.push(format!("{} linkage(s)", sc.linkages.len()));
    }
    if !sc.sequencing.is_empty() {
        left_out.push(format!("{} sequencing rule(s)", sc.sequencing.len()));
    }
    if sc.issues.iter().any(|i| i.status_quo.is_some()) {
        left_out.push("the status quo of the issues".into());
    }
    if sc.stability.is_some() {
        left_out.push("the stability view (options and preferences)".into());
    }
    if let Some(b) = &sc.breakdown {
        left_out.push(format!("the breakdown risk `{}`", b.id));
    }
    for (_, a) in sc
        .actors
        .iter()
        .enumerate()
        .filter(|(_, a)| a.role == Role::Mediator)
    {
        left_out.push(format!("mediator `{}`", a.id));
    }
    Ok(GeniusExport {
        domain,
        profiles,
        left_out,
    })
}

#[cfg(test)]
mod genius_name_tests {
    use super::genius_names;

    fn names(d: &str, ps: &[&str]) -> (String, Vec<String>) {
        genius_names(d, &ps.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn genius_file_names_give_stable_ids() {
        assert_eq!(
            names(
                "Grocery_domain",
                &["Grocery_domain_sam", "Grocery_domain_mary"]
            ),
            ("Grocery".into(), vec!["sam".into(), "mary".into()])
        );
        assert_eq!(
            names(
                "laptop_domain",
                &["laptop_buyer_utility", "laptop_seller_utility"]
            ),
            ("laptop".into(), vec!["buyer".into(), "seller".into()])
        );
        assert_eq!(
            names("EnglandZimbabwe_domain", &["England", "Zimbabwe"]),
            (
                "EnglandZimbabwe".into(),
                vec!["England".into(), "Zimbabwe".into()]
            )
        );
        // What `redline export genius` writes comes back as it was.
        assert_eq!(
            names("grocery_domain", &["grocery_sam"]),
            ("grocery".into(), vec!["sam".into()])
        );
        assert_eq!(names("x", &["x"]), ("x".into(), vec!["x".into()]));
    }
}
