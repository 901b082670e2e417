//! `stability`: GMCR stability of every state, the equilibria, the status quo analysis, and on
//! request coalitions (joint mode and coalitional stability) and farsighted stability.

use std::str::FromStr;

use indexmap::IndexMap;
use redline_gmcr::{Concept, ConceptSet, Model, StatusQuoAnalysis};
use redline_model::Scenario;
use serde::{Serialize, Serializer};

use crate::{Control, Error, Progress, Task};

/// A state as users write it: option ids joined by `+` (`iran.talks+us.relief`), a Y/N pattern
/// in bit order (`YNNY`), or `none`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateSpec {
    /// No option taken.
    None,
    /// A Y/N pattern, or option ids: which it is depends on the scenario ([`StateSpec::resolve`]).
    Text(String),
}

impl FromStr for StateSpec {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim() {
            "" => Err(Error::bad(
                "a state is option ids joined by `+`, a Y/N pattern in bit order, or `none`",
                None,
            )),
            "none" => Ok(StateSpec::None),
            t => Ok(StateSpec::Text(t.to_string())),
        }
    }
}

impl std::fmt::Display for StateSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StateSpec::None => f.write_str("none"),
            StateSpec::Text(t) => f.write_str(t),
        }
    }
}

impl Serialize for StateSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl StateSpec {
    /// The state's code in the scenario's bit order.
    pub fn resolve(&self, sc: &Scenario) -> Result<u64, Error> {
        let order = sc.bit_order();
        let t = match self {
            StateSpec::None => return Ok(0),
            StateSpec::Text(t) => t.as_str(),
        };
        if t.len() == order.len() && t.chars().all(|c| matches!(c, 'Y' | 'N' | 'y' | 'n')) {
            return Ok(t
                .chars()
                .enumerate()
                .filter(|(_, c)| matches!(c, 'Y' | 'y'))
                .fold(0, |code, (b, _)| code | 1 << b));
        }
        let mut code = 0u64;
        for id in t.split('+').map(str::trim) {
            let bit = sc
                .option_index(id)
                .and_then(|o| order.iter().position(|&x| x == o));
            match bit {
                Some(b) => code |= 1 << b,
                None => {
                    let ids: Vec<&str> = sc.options.iter().map(|o| o.id.as_str()).collect();
                    let hint = redline_syntax::did_you_mean(id, ids.iter().copied()).map_or_else(
                        || format!("options are: {}", ids.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                    return Err(Error::bad(format!("unknown option `{id}`"), Some(hint)));
                }
            }
        }
        Ok(code)
    }
}

/// Parses one solution concept name (`nash`, `gmr`, `smr`, `seq`, `sim`, `seqsim`).
pub fn parse_concept(name: &str) -> Result<Concept, Error> {
    Concept::from_name(name.trim()).ok_or_else(|| {
        Error::bad(
            format!("unknown solution concept `{}`", name.trim()),
            Some("concepts are nash, gmr, smr, seq, sim, seqsim".into()),
        )
    })
}

/// Parses concept names, keeping the first of each.
pub fn parse_concepts<S: AsRef<str>>(names: &[S]) -> Result<Vec<Concept>, Error> {
    let mut out = Vec::new();
    for n in names {
        let c = parse_concept(n.as_ref())?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// A coalition as users write it: actor ids joined by `+` (`iran+turkey`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoalitionSpec(pub Vec<String>);

impl FromStr for CoalitionSpec {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        let ids: Vec<String> = s.split('+').map(|x| x.trim().to_string()).collect();
        if ids.iter().any(String::is_empty) {
            return Err(Error::bad(
                format!("`{s}` is not a coalition: write actor ids joined by `+`"),
                None,
            ));
        }
        Ok(CoalitionSpec(ids))
    }
}

impl std::fmt::Display for CoalitionSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.join("+"))
    }
}

impl Serialize for CoalitionSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl CoalitionSpec {
    /// The members' positions among the scenario's decision makers.
    pub fn resolve(&self, sc: &Scenario) -> Result<Vec<usize>, Error> {
        let dms = sc.decision_makers();
        self.0
            .iter()
            .map(|id| {
                sc.actor_index(id)
                    .and_then(|a| dms.iter().position(|&d| d == a))
                    .ok_or_else(|| {
                        Error::bad(
                            format!("`{id}` in {self} is not a decision maker of `{}`", sc.id),
                            None,
                        )
                    })
            })
            .collect()
    }
}

/// What to compute. The serde form is the `params` of `redline stability --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct StabilityParams {
    /// Start the status quo analysis here instead of at the scenario's status quo.
    pub status_quo: Option<StateSpec>,
    /// The concepts to compute (default: all six).
    pub concepts: Vec<Concept>,
    /// The most moves a status quo path may have (`None`: no limit).
    pub horizon: Option<usize>,
    /// Coalition analysis: the scenario's coalitions as joint movers, and coalitional stability
    /// over every coalition (or over [`StabilityParams::coalition`] when it lists some).
    pub coalitions: bool,
    /// The coalitions for coalitional stability (implies `coalitions`).
    pub coalition: Vec<CoalitionSpec>,
    /// Limited-move stability L_h with this horizon (two decision makers).
    pub limited_move: Option<usize>,
    /// Non-myopic stability (two decision makers).
    pub non_myopic: bool,
}

impl Default for StabilityParams {
    fn default() -> Self {
        StabilityParams {
            status_quo: None,
            concepts: Concept::ALL.to_vec(),
            horizon: None,
            coalitions: false,
            coalition: Vec::new(),
            limited_move: None,
            non_myopic: false,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct DecisionMaker {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct OptionInfo {
    pub id: String,
    pub name: String,
    /// The owner's id.
    pub dm: String,
    /// The owner's position in [`StabilityResult::decision_makers`] (not serialised).
    #[serde(skip)]
    pub dm_index: usize,
}

#[derive(Debug, Serialize)]
pub struct StateResult {
    pub pattern: String,
    pub code: u64,
    pub taken: Vec<String>,
    /// The taken options' positions in [`StabilityResult::options`] (not serialised).
    #[serde(skip)]
    pub taken_index: Vec<usize>,
    pub payoff: IndexMap<String, u32>,
    pub stable: IndexMap<String, IndexMap<Concept, bool>>,
    pub equilibrium: IndexMap<Concept, bool>,
}

#[derive(Debug, Serialize)]
pub struct StabilityResult {
    pub decision_makers: Vec<DecisionMaker>,
    pub options: Vec<OptionInfo>,
    pub concepts: Vec<Concept>,
    pub states: Vec<StateResult>,
    /// Per concept, the patterns of its equilibria.
    pub equilibria: IndexMap<Concept, Vec<String>>,
    pub status_quo: Option<StatusQuoResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalitions: Option<CoalitionsResult>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub farsight: Option<FarsightResult>,
}

/// Coalition results: per state, the concepts under which it is stable.
#[derive(Debug, Serialize)]
pub struct CoalitionsResult {
    /// Joint mode: each listed coalition moves as one player.
    pub joint_players: Vec<Vec<String>>,
    /// Per state pattern: the concepts under which it is a joint-mode equilibrium.
    pub joint_equilibria: IndexMap<Concept, Vec<String>>,
    /// The coalitions considered in coalitional stability.
    pub coalitional_coalitions: Vec<Vec<String>>,
    /// Per concept (CNash, CGMR, CSMR, CSEQ as nash, gmr, smr, seq): the coalitional equilibria.
    pub coalitional_equilibria: IndexMap<Concept, Vec<String>>,
}

/// Limited-move and non-myopic results (two decision makers).
#[derive(Debug, Serialize)]
pub struct FarsightResult {
    pub limited_move_horizon: Option<usize>,
    /// Per state pattern, per DM id: L_h stable.
    pub limited_move: Option<IndexMap<String, IndexMap<String, bool>>>,
    /// Per state pattern, per DM id: non-myopically stable.
    pub non_myopic: Option<IndexMap<String, IndexMap<String, bool>>>,
}

#[derive(Debug, Serialize)]
pub struct StatusQuoResult {
    /// The status quo's Y/N pattern.
    pub pattern: String,
    pub code: u64,
    /// The most moves a path may have; `null` for no limit.
    pub horizon: Option<usize>,
    /// How many states can be reached by unilateral improvements (the status quo included).
    pub reached_by_improvements: usize,
    /// How many states can be reached by unilateral moves (the status quo included).
    pub reached_by_moves: usize,
    /// Every state that is an equilibrium under some computed concept, in code order.
    pub targets: Vec<TargetResult>,
    /// The engine's form, with indices (not serialised; the report reads it).
    #[serde(skip)]
    pub analysis: StatusQuoAnalysis,
}

/// A stable state seen from the status quo, keyed by ids and patterns.
#[derive(Debug, Serialize)]
pub struct TargetResult {
    pub pattern: String,
    pub code: u64,
    /// `{concept: bool}` over the computed concepts.
    pub equilibrium: IndexMap<Concept, bool>,
    /// A shortest path of unilateral improvements, when one exists within the horizon.
    pub by_improvements: Option<Vec<StepResult>>,
    /// A shortest path of unilateral moves, when one exists within the horizon.
    pub by_moves: Option<Vec<StepResult>>,
}

/// One unilateral move: who moves, between which states, taking and dropping which options.
#[derive(Debug, Serialize)]
pub struct StepResult {
    /// The mover's id.
    pub dm: String,
    pub from: String,
    pub to: String,
    /// Option ids taken up and dropped.
    pub taken: Vec<String>,
    pub dropped: Vec<String>,
}

impl StatusQuoResult {
    fn new(
        analysis: StatusQuoAnalysis,
        n_options: usize,
        concepts: &[Concept],
        dm_ids: &[String],
        option_ids: &[String],
    ) -> Self {
        let pattern = |code: u64| redline_gmcr::pattern(code, n_options);
        let path = |p: &redline_gmcr::Path| -> Vec<StepResult> {
            p.steps
                .iter()
                .map(|s| StepResult {
                    dm: dm_ids[s.dm].clone(),
                    from: pattern(s.from_code),
                    to: pattern(s.to_code),
                    taken: s.taken.iter().map(|&b| option_ids[b].clone()).collect(),
                    dropped: s.dropped.iter().map(|&b| option_ids[b].clone()).collect(),
                })
                .collect()
        };
        StatusQuoResult {
            pattern: pattern(analysis.status_quo_code),
            code: analysis.status_quo_code,
            horizon: analysis.horizon,
            reached_by_improvements: analysis.reached_by_improvements,
            reached_by_moves: analysis.reached_by_moves,
            targets: analysis
                .targets
                .iter()
                .map(|t| TargetResult {
                    pattern: pattern(t.code),
                    code: t.code,
                    equilibrium: concepts
                        .iter()
                        .map(|&c| (c, t.equilibrium.contains(c)))
                        .collect(),
                    by_improvements: t.by_improvements.as_ref().map(path),
                    by_moves: t.by_moves.as_ref().map(path),
                })
                .collect(),
            analysis,
        }
    }
}

fn flag(f: &redline_gmcr::ConceptFlags, c: Concept) -> bool {
    match c {
        Concept::Nash => f.nash,
        Concept::Gmr => f.gmr,
        Concept::Smr => f.smr,
        Concept::Seq => f.seq,
        Concept::Sim => f.sim,
        Concept::SeqSim => f.seqsim,
    }
}

/// Limited-move and non-myopic stability are defined for two DMs (and a horizon of at least 1):
/// asking for them otherwise is bad input, naming the parameter.
fn farsight_error(param: &str, e: redline_gmcr::LimitedMoveError) -> Error {
    match e {
        redline_gmcr::LimitedMoveError::NotTwoDms { .. }
        | redline_gmcr::LimitedMoveError::ZeroHorizon => Error::bad(format!("{param}: {e}"), None),
        e => Error::Failed(format!("{param}: {e}")),
    }
}

/// The scenario has no stability view (no options or no preferences): bad input for a command
/// that needs one, worded the same everywhere.
pub fn no_view(sc: &Scenario) -> Error {
    Error::bad(
        format!("scenario `{}` has no stability view", sc.id),
        Some("it needs [[options]] and [stability.preferences.<actor>]".into()),
    )
}

/// Runs the stability lens with what `params` asks for.
pub fn stability(
    sc: &Scenario,
    params: &StabilityParams,
    control: &Control<'_>,
) -> Result<StabilityResult, Error> {
    if !redline_gmcr::has_stability_view(sc) {
        return Err(no_view(sc));
    }
    let concepts = &params.concepts;
    let status_quo_override = params
        .status_quo
        .as_ref()
        .map(|s| s.resolve(sc).map_err(|e| e.in_flag("--status-quo")))
        .transpose()?;
    let listed_coalitions: Vec<Vec<usize>> = params
        .coalition
        .iter()
        .map(|c| c.resolve(sc).map_err(|e| e.in_flag("--coalition")))
        .collect::<Result<_, _>>()?;
    let (spec, order) = redline_gmcr::from_scenario(sc)
        .map_err(|e| Error::Failed(format!("stability lens: {e}")))?;
    let estimate = redline_gmcr::estimate_memory(&spec)
        .map_err(|e| Error::Failed(format!("stability lens: {e}")))?;
    control.check_memory(
        "the stability lens".into(),
        estimate,
        "reduce the options or declare more of the state space infeasible",
    )?;
    let model = Model::new(&spec).map_err(|e| Error::Failed(format!("stability lens: {e}")))?;
    let set: ConceptSet = concepts.iter().copied().collect();
    let states_n = model.num_states();
    let stability = redline_gmcr::analyze_with_progress(&model, set, &|p| {
        control.report(Progress {
            task: Task::Stability { states: states_n },
            done: p.done,
            total: p.total,
        })
    });
    control.check_cancel()?;
    let rep = redline_gmcr::report(&model, &stability);
    let dms: Vec<usize> = sc.decision_makers();
    let dm_ids: Vec<String> = dms.iter().map(|&a| sc.actors[a].id.clone()).collect();
    let option_ids: Vec<String> = order.iter().map(|&o| sc.options[o].id.clone()).collect();
    let states = rep
        .states
        .iter()
        .map(|s| StateResult {
            pattern: s.pattern.clone(),
            code: s.code,
            taken: s.taken.iter().map(|&b| option_ids[b].clone()).collect(),
            taken_index: s.taken.clone(),
            payoff: dm_ids
                .iter()
                .cloned()
                .zip(s.payoff.iter().copied())
                .collect(),
            stable: dm_ids
                .iter()
                .zip(&s.stable)
                .map(|(id, f)| {
                    (
                        id.clone(),
                        concepts.iter().map(|&c| (c, flag(f, c))).collect(),
                    )
                })
                .collect(),
            equilibrium: concepts
                .iter()
                .map(|&c| (c, flag(&s.equilibrium, c)))
                .collect(),
        })
        .collect::<Vec<_>>();
    let equilibria = concepts
        .iter()
        .map(|&c| {
            (
                c,
                rep.states
                    .iter()
                    .filter(|s| flag(&s.equilibrium, c))
                    .map(|s| s.pattern.clone())
                    .collect(),
            )
        })
        .collect();
    let status_quo = match status_quo_override.or(spec.status_quo) {
        Some(code) => {
            let analysis = redline_gmcr::status_quo_analysis(
                &model,
                &stability,
                Some(code),
                params.horizon,
            )
            .map_err(|e| match e {
                redline_gmcr::StatusQuoError::Infeasible { code } => {
                    let (whence, path) = if status_quo_override.is_some() {
                        ("--status-quo", None)
                    } else {
                        ("the scenario's `status_quo`", Some("status_quo".to_string()))
                    };
                    Error::BadInput {
                        message: format!(
                            "{whence} names {}, which is not a feasible state: the scenario's `infeasible` or `require` rules exclude it",
                            redline_gmcr::pattern(code, order.len())
                        ),
                        hint: Some("`redline stability` lists the feasible states".into()),
                        path,
                    }
                }
                e => Error::Failed(format!("status quo analysis: {e}")),
            })?;
            Some(StatusQuoResult::new(
                analysis,
                order.len(),
                concepts,
                &dm_ids,
                &option_ids,
            ))
        }
        None => None,
    };
    control.check_cancel()?;
    let pattern_of = |i: usize| rep.states[i].pattern.clone();
    let coalitions = if params.coalitions || !listed_coalitions.is_empty() {
        let listed: Vec<Vec<usize>> = if listed_coalitions.is_empty() {
            spec.coalitions.clone()
        } else {
            listed_coalitions.clone()
        };
        let class = if listed_coalitions.is_empty() {
            redline_gmcr::CoalitionClass::All
        } else {
            redline_gmcr::CoalitionClass::Listed(listed_coalitions.clone())
        };
        // Coalitions naming no DM get no estimate; the analyses below report them.
        if let Some(estimate) = redline_gmcr::estimate_coalition_bytes(&model, &listed, &class) {
            control.check_memory(
                format!("coalition analysis of {} states", model.num_states()),
                estimate,
                "coalition analyses build explicit move graphs: use fewer options, mark more states infeasible, or make options irreversible",
            )?;
        }
        let joint = redline_gmcr::analyze_joint_with(&model, &listed, set)
            .map_err(|e| Error::Failed(format!("joint-mode coalitions: {e}")))?;
        control.check_cancel()?;
        let coal = redline_gmcr::analyze_coalitional_with_progress(&model, &class, &|p| {
            control.report(Progress {
                task: Task::Coalitions { states: states_n },
                done: p.done,
                total: p.total,
            })
        })
        .map_err(|e| Error::Failed(format!("coalition analysis: {e}")))?;
        let names = |c: &Vec<usize>| c.iter().map(|&d| dm_ids[d].clone()).collect::<Vec<_>>();
        let c_concepts = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq];
        Some(CoalitionsResult {
            joint_players: joint.players.iter().map(names).collect(),
            joint_equilibria: concepts
                .iter()
                .map(|&c| (c, joint.equilibria(c).into_iter().map(pattern_of).collect()))
                .collect(),
            coalitional_coalitions: coal.coalitions.iter().map(names).collect(),
            coalitional_equilibria: c_concepts
                .iter()
                .map(|&c| (c, coal.equilibria(c).into_iter().map(pattern_of).collect()))
                .collect(),
        })
    } else {
        None
    };
    control.check_cancel()?;
    let per_state = |stable: &[Vec<bool>]| -> IndexMap<String, IndexMap<String, bool>> {
        (0..model.num_states())
            .map(|s| {
                (
                    pattern_of(s),
                    dm_ids
                        .iter()
                        .enumerate()
                        .map(|(d, id)| (id.clone(), stable[d][s]))
                        .collect(),
                )
            })
            .collect()
    };
    let farsight = if params.limited_move.is_some() || params.non_myopic {
        let limited = match params.limited_move {
            Some(h) => Some(per_state(
                &redline_gmcr::limited_move(&model, h)
                    .map_err(|e| farsight_error("--limited-move", e))?
                    .stable,
            )),
            None => None,
        };
        let non_myopic = if params.non_myopic {
            Some(per_state(
                &redline_gmcr::non_myopic(&model, 64)
                    .map_err(|e| farsight_error("--non-myopic", e))?
                    .stable,
            ))
        } else {
            None
        };
        Some(FarsightResult {
            limited_move_horizon: params.limited_move,
            limited_move: limited,
            non_myopic,
        })
    } else {
        None
    };
    let dm_position = |owner: usize| dms.iter().position(|&a| a == owner);
    let options = order
        .iter()
        .map(|&o| {
            let owner = sc.options[o].owner;
            let dm_index = dm_position(owner).ok_or_else(|| {
                Error::Failed(format!(
                    "option `{}` belongs to `{}`, which is not a decision maker",
                    sc.options[o].id, sc.actors[owner].id
                ))
            })?;
            Ok(OptionInfo {
                id: sc.options[o].id.clone(),
                name: sc.options[o].name.clone(),
                dm: sc.actors[owner].id.clone(),
                dm_index,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(StabilityResult {
        coalitions,
        farsight,
        decision_makers: dms
            .iter()
            .map(|&a| DecisionMaker {
                id: sc.actors[a].id.clone(),
                name: sc.actors[a].name.clone(),
            })
            .collect(),
        options,
        concepts: concepts.to_vec(),
        states,
        equilibria,
        status_quo,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::builtin as load;

    #[test]
    fn states_parse_and_resolve() {
        let sc = load("prisoners");
        assert_eq!("none".parse::<StateSpec>().unwrap().resolve(&sc), Ok(0));
        assert_eq!("YN".parse::<StateSpec>().unwrap().resolve(&sc), Ok(1));
        assert!(" ".parse::<StateSpec>().is_err());
        let e = "nope"
            .parse::<StateSpec>()
            .unwrap()
            .resolve(&sc)
            .unwrap_err();
        assert!(e.is_bad_input(), "{e:?}");
    }

    #[test]
    fn unknown_concepts_and_coalition_members_are_bad_input() {
        assert!(parse_concept("nashh").unwrap_err().is_bad_input());
        assert_eq!(
            parse_concepts(&["gmr", "nash", "gmr"]).unwrap(),
            vec![Concept::Gmr, Concept::Nash]
        );
        let sc = load("elmira");
        let c: CoalitionSpec = "nobody+ministry".parse().unwrap();
        assert!(c.resolve(&sc).unwrap_err().is_bad_input());
        assert!("a++b".parse::<CoalitionSpec>().is_err());
    }

    #[test]
    fn oversized_work_is_refused_and_cancellation_stops() {
        let sc = load("elmira");
        let small = Control {
            limits: crate::Limits {
                memory_bytes: Some(16),
            },
            ..Control::default()
        };
        let e = stability(&sc, &StabilityParams::default(), &small).unwrap_err();
        assert!(matches!(e, Error::TooLarge { .. }), "{e:?}");
        let stop = std::sync::atomic::AtomicBool::new(true);
        let cancelled = Control {
            cancel: Some(&stop),
            ..Control::default()
        };
        let e = stability(&sc, &StabilityParams::default(), &cancelled).unwrap_err();
        assert_eq!(e, Error::Cancelled);
    }

    #[test]
    fn indices_agree_with_ids() {
        let sc = load("elmira");
        let r = stability(&sc, &StabilityParams::default(), &Control::default()).unwrap();
        for o in &r.options {
            assert_eq!(r.decision_makers[o.dm_index].id, o.dm);
        }
        for s in &r.states {
            let ids: Vec<&str> = s
                .taken_index
                .iter()
                .map(|&i| r.options[i].id.as_str())
                .collect();
            assert_eq!(ids, s.taken);
        }
    }
}
