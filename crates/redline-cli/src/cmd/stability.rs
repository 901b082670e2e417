//! `redline stability [SCENARIO]`: GMCR stability of every state, equilibria and status quo paths.

use std::fmt::Write;
use std::io::IsTerminal;

use indexmap::IndexMap;
use redline_gmcr::{Concept, ConceptSet, Model, StatusQuoAnalysis};
use redline_model::Scenario;
use serde::Serialize;

use redline_report::render::escape::cell;

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    /// Solution concepts, comma-separated: nash, gmr, smr, seq, sim, seqsim.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "nash,gmr,smr,seq,sim,seqsim"
    )]
    concepts: Vec<String>,
    /// The most moves a status quo path may have (default: no limit).
    #[arg(long)]
    horizon: Option<usize>,
    /// Start the status quo analysis from this state instead of the scenario's: option ids
    /// joined by `+` (`iran.talks+us.relief`), a Y/N pattern in bit order, or `none`.
    #[arg(long, value_name = "STATE")]
    status_quo: Option<String>,
    /// Write the state graph (status quo, equilibria and the paths between them) as Graphviz DOT.
    #[arg(long, value_name = "FILE")]
    dot: Option<std::path::PathBuf>,
    /// Show every state in text output, not only equilibria.
    #[arg(long)]
    all_states: bool,
    /// Coalition analysis: the scenario's coalitions as joint movers (GMCR+'s joint mode) and
    /// coalitional stability (Inohara & Hipel 2008) over every coalition, or over the listed ones
    /// (`--coalition iran+turkey`, repeatable).
    #[arg(long)]
    coalitions: bool,
    /// A coalition for `--coalitions`, as actor ids joined by `+`.
    #[arg(long = "coalition", value_name = "A+B")]
    coalition: Vec<String>,
    /// Limited-move stability L_h with this horizon (two decision makers).
    #[arg(long, value_name = "H")]
    limited_move: Option<usize>,
    /// Non-myopic stability (two decision makers).
    #[arg(long)]
    non_myopic: bool,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, Serialize)]
pub struct DmOut {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct OptionOut {
    pub id: String,
    pub name: String,
    pub dm: String,
}

#[derive(Debug, Serialize)]
pub struct StateOut {
    pub pattern: String,
    pub code: u64,
    pub taken: Vec<String>,
    pub payoff: IndexMap<String, u32>,
    pub stable: IndexMap<String, IndexMap<Concept, bool>>,
    pub equilibrium: IndexMap<Concept, bool>,
}

#[derive(Debug, Serialize)]
pub struct StabilityOut {
    pub decision_makers: Vec<DmOut>,
    pub options: Vec<OptionOut>,
    pub concepts: Vec<Concept>,
    pub states: Vec<StateOut>,
    /// Per concept, the patterns of its equilibria.
    pub equilibria: IndexMap<Concept, Vec<String>>,
    pub status_quo: Option<StatusQuoOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coalitions: Option<CoalitionsOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub farsight: Option<FarsightOut>,
}

/// Coalition results: per state, the concepts under which it is stable.
#[derive(Debug, Serialize)]
pub struct CoalitionsOut {
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
pub struct FarsightOut {
    pub limited_move_horizon: Option<usize>,
    /// Per state pattern, per DM id: L_h stable.
    pub limited_move: Option<IndexMap<String, IndexMap<String, bool>>>,
    /// Per state pattern, per DM id: non-myopically stable.
    pub non_myopic: Option<IndexMap<String, IndexMap<String, bool>>>,
}

/// Extra analyses requested on the command line.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Overrides the scenario's status quo (a state code in bit order).
    pub status_quo: Option<u64>,
    pub coalitions: bool,
    pub coalition: Vec<Vec<usize>>,
    pub limited_move: Option<usize>,
    pub non_myopic: bool,
}

#[derive(Debug, Serialize)]
pub struct StatusQuoOut {
    pub pattern: String,
    pub analysis: StatusQuoAnalysis,
}

/// Parses one solution concept name, reporting an unknown one as bad input.
pub(crate) fn parse_concept(name: &str) -> Result<Concept, Failure> {
    Concept::from_name(name.trim()).ok_or_else(|| {
        crate::eline!("error: unknown solution concept `{}`\n  hint: concepts are nash, gmr, smr, seq, sim, seqsim",
            name.trim()
        );
        Failure::BadInput
    })
}

fn parse_concepts(names: &[String]) -> Result<Vec<Concept>, Failure> {
    let mut out = Vec::new();
    for n in names {
        let c = parse_concept(n)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// The names of the concepts marked true, in order.
fn marked(flags: &IndexMap<Concept, bool>) -> Vec<&'static str> {
    flags
        .iter()
        .filter(|(_, b)| **b)
        .map(|(c, _)| c.name())
        .collect()
}

/// The marked concepts joined by spaces, or `-` when none is.
fn marks(flags: &IndexMap<Concept, bool>) -> String {
    let m = marked(flags);
    if m.is_empty() {
        "-".into()
    } else {
        m.join(" ")
    }
}

/// Runs the stability lens on a scenario.
pub fn run_lens(
    sc: &Scenario,
    concepts: &[Concept],
    horizon: Option<usize>,
) -> Result<StabilityOut, Failure> {
    run_lens_with(sc, concepts, horizon, &Extras::default())
}

/// A progress bar on stderr, drawn only when stderr is a terminal and the work is `large`.
fn progress_bar(large: bool, what: &str, unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_draw_target(if std::io::stderr().is_terminal() && large {
        indicatif::ProgressDrawTarget::stderr()
    } else {
        indicatif::ProgressDrawTarget::hidden()
    });
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {what} [{{bar:30}}] {{pos}}/{{len}} {unit}, {{elapsed}}"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// Limited-move and non-myopic stability are defined for two DMs (and a horizon of at least 1):
/// asking for them otherwise is a bad argument, exit 2.
fn farsight_error(flag: &str, e: redline_gmcr::LimitedMoveError) -> Failure {
    match e {
        redline_gmcr::LimitedMoveError::NotTwoDms { .. }
        | redline_gmcr::LimitedMoveError::ZeroHorizon => {
            crate::cmd::negotiate::bad(format!("{flag}: {e}"))
        }
        e => lens_error(flag, e),
    }
}

fn lens_error(what: &str, e: impl std::fmt::Display) -> Failure {
    Failure::Other(anyhow::anyhow!("{what}: {e}"))
}

/// Runs the stability lens with the extra analyses asked for, with a progress bar on stderr when
/// it is a terminal.
pub fn run_lens_with(
    sc: &Scenario,
    concepts: &[Concept],
    horizon: Option<usize>,
    extras: &Extras,
) -> Result<StabilityOut, Failure> {
    let (spec, order) = redline_gmcr::from_scenario(sc)
        .map_err(|e| Failure::Other(anyhow::anyhow!("stability lens: {e}")))?;
    let estimate =
        redline_gmcr::estimate_memory(&spec).map_err(|e| lens_error("stability lens", e))?;
    crate::limits::check_memory(
        "the stability lens",
        estimate,
        "reduce the options or declare more of the state space infeasible",
    )?;
    let model =
        Model::new(&spec).map_err(|e| Failure::Other(anyhow::anyhow!("stability lens: {e}")))?;
    let set: ConceptSet = concepts.iter().copied().collect();
    let bar = progress_bar(
        model.num_states() > 50_000,
        &format!("stability of {} states", model.num_states()),
        "steps",
    );
    let stability = redline_gmcr::analyze_with_progress(&model, set, &|p| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    });
    bar.finish_and_clear();
    let rep = redline_gmcr::report(&model, &stability);
    let dms: Vec<usize> = sc.decision_makers();
    let dm_ids: Vec<String> = dms.iter().map(|&a| sc.actors[a].id.clone()).collect();
    let option_ids: Vec<String> = order.iter().map(|&o| sc.options[o].id.clone()).collect();
    let states = rep
        .states
        .iter()
        .map(|s| StateOut {
            pattern: s.pattern.clone(),
            code: s.code,
            taken: s.taken.iter().map(|&b| option_ids[b].clone()).collect(),
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
    let status_quo = match extras.status_quo.or(spec.status_quo) {
        Some(code) => {
            let analysis =
                redline_gmcr::status_quo_analysis(&model, &stability, Some(code), horizon)
                    .map_err(|e| match e {
                        redline_gmcr::StatusQuoError::Infeasible { code } => {
                            let whence = if extras.status_quo.is_some() {
                                "--status-quo"
                            } else {
                                "the scenario's `status_quo`"
                            };
                            crate::cmd::negotiate::bad(format!(
                                "{whence} names {}, which is not a feasible state: the scenario's `infeasible` or `require` rules exclude it\n  hint: `redline stability` lists the feasible states",
                                redline_gmcr::pattern(code, order.len())
                            ))
                        }
                        e => Failure::Other(anyhow::anyhow!("status quo analysis: {e}")),
                    })?;
            Some(StatusQuoOut {
                pattern: redline_gmcr::pattern(code, order.len()),
                analysis,
            })
        }
        None => None,
    };
    let pattern_of = |i: usize| rep.states[i].pattern.clone();
    let coalitions = if extras.coalitions {
        let listed: Vec<Vec<usize>> = if extras.coalition.is_empty() {
            spec.coalitions.clone()
        } else {
            extras.coalition.clone()
        };
        let class = if extras.coalition.is_empty() {
            redline_gmcr::CoalitionClass::All
        } else {
            redline_gmcr::CoalitionClass::Listed(extras.coalition.clone())
        };
        // Coalitions naming no DM get no estimate; the analyses below report them.
        if let Some(estimate) = redline_gmcr::estimate_coalition_bytes(&model, &listed, &class) {
            crate::limits::check_memory(
                &format!("coalition analysis of {} states", model.num_states()),
                estimate,
                "coalition analyses build explicit move graphs: use fewer options, mark more states infeasible, or make options irreversible",
            )?;
        }
        let joint = redline_gmcr::analyze_joint_with(&model, &listed, set)
            .map_err(|e| lens_error("joint-mode coalitions", e))?;
        // The search is up to quadratic in the states: show it from a few thousand on.
        let bar = progress_bar(
            model.num_states() > 4_096,
            &format!("coalition analysis of {} states", model.num_states()),
            "states searched (Ctrl-C stops)",
        );
        let coal = redline_gmcr::analyze_coalitional_with_progress(&model, &class, &|p| {
            bar.set_length(p.total);
            bar.set_position(p.done);
        })
        .map_err(|e| lens_error("coalition analysis", e))?;
        bar.finish_and_clear();
        let names = |c: &Vec<usize>| c.iter().map(|&d| dm_ids[d].clone()).collect::<Vec<_>>();
        let c_concepts = [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq];
        Some(CoalitionsOut {
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
    let farsight = if extras.limited_move.is_some() || extras.non_myopic {
        let limited = match extras.limited_move {
            Some(h) => Some(per_state(
                &redline_gmcr::limited_move(&model, h)
                    .map_err(|e| farsight_error("--limited-move", e))?
                    .stable,
            )),
            None => None,
        };
        let non_myopic = if extras.non_myopic {
            Some(per_state(
                &redline_gmcr::non_myopic(&model, 64)
                    .map_err(|e| farsight_error("--non-myopic", e))?
                    .stable,
            ))
        } else {
            None
        };
        Some(FarsightOut {
            limited_move_horizon: extras.limited_move,
            limited_move: limited,
            non_myopic,
        })
    } else {
        None
    };
    Ok(StabilityOut {
        coalitions,
        farsight,
        decision_makers: dms
            .iter()
            .map(|&a| DmOut {
                id: sc.actors[a].id.clone(),
                name: sc.actors[a].name.clone(),
            })
            .collect(),
        options: order
            .iter()
            .map(|&o| OptionOut {
                id: sc.options[o].id.clone(),
                name: sc.options[o].name.clone(),
                dm: sc.actors[sc.options[o].owner].id.clone(),
            })
            .collect(),
        concepts: concepts.to_vec(),
        states,
        equilibria,
        status_quo,
    })
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

/// Parses a state given as option ids joined by `+`, a Y/N pattern in bit order, or `none`.
pub(crate) fn parse_state(sc: &Scenario, flag: &str, text: &str) -> Result<u64, Failure> {
    let order = sc.bit_order();
    let t = text.trim();
    if t == "none" {
        return Ok(0);
    }
    if t.len() == order.len() && t.chars().all(|c| matches!(c, 'Y' | 'N' | 'y' | 'n')) {
        return Ok(t
            .chars()
            .enumerate()
            .filter(|(_, c)| matches!(c, 'Y' | 'y'))
            .fold(0, |code, (b, _)| code | 1 << b));
    }
    let mut code = 0u64;
    for id in t.split('+') {
        match sc.option_index(id.trim()) {
            Some(o) => code |= 1 << order.iter().position(|&x| x == o).unwrap_or(0),
            None => {
                let ids: Vec<&str> = sc.options.iter().map(|o| o.id.as_str()).collect();
                let hint = redline_syntax::did_you_mean(id.trim(), ids.iter().copied())
                    .map_or_else(
                        || format!("options are: {}", ids.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                crate::eline!(
                    "error: {flag}: unknown option `{}`\n  hint: {hint}",
                    id.trim()
                );
                return Err(Failure::BadInput);
            }
        }
    }
    Ok(code)
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let concepts = parse_concepts(&args.concepts)?;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "stability")?;
    let sc = &loaded.scenario;
    if !redline_gmcr::has_stability_view(sc) {
        return Err(Failure::Other(anyhow::anyhow!(
            "scenario `{}` has no stability view: it needs [[options]] and [stability.preferences.<actor>]",
            sc.id
        )));
    }
    let dms = sc.decision_makers();
    let mut coalition = Vec::new();
    for c in &args.coalition {
        let mut members = Vec::new();
        for id in c.split('+') {
            match sc
                .actor_index(id.trim())
                .and_then(|a| dms.iter().position(|&d| d == a))
            {
                Some(d) => members.push(d),
                None => {
                    crate::eline!(
                        "error: `{id}` in --coalition {c} is not a decision maker of `{}`",
                        sc.id
                    );
                    return Err(Failure::BadInput);
                }
            }
        }
        coalition.push(members);
    }
    let status_quo = match &args.status_quo {
        None => None,
        Some(text) => Some(parse_state(sc, "--status-quo", text)?),
    };
    let extras = Extras {
        status_quo,
        coalitions: args.coalitions || !coalition.is_empty(),
        coalition,
        limited_move: args.limited_move,
        non_myopic: args.non_myopic,
    };
    let out = run_lens_with(sc, &concepts, args.horizon, &extras)?;
    if let Some(path) = &args.dot {
        let view = super::analyze::stability_view(&out);
        let dot =
            redline_report::diagram::graph::to_dot(&redline_report::lens::stability::graph(&view));
        std::fs::write(path, dot)
            .map_err(|e| Failure::Other(anyhow::anyhow!("writing {}: {e}", path.display())))?;
        crate::eline!("wrote the state graph to {}", path.display());
    }
    match format {
        Format::Json => {
            let params = serde_json::json!({
                "status_quo": args.status_quo,
                "concepts": concepts,
                "horizon": args.horizon,
                "coalitions": extras.coalitions,
                "coalition": args.coalition,
                "limited_move": args.limited_move,
                "non_myopic": args.non_myopic,
            });
            output::print_json(&output::envelope("stability", Some(&sc.id), params, &out))?;
        }
        Format::Text => output::print_text(&render(sc, &out, args.all_states, false))?,
        Format::Md => output::print_markdown(&render(sc, &out, args.all_states, true))?,
    }
    Ok(())
}

fn describe(sc: &Scenario, taken: &[String]) -> String {
    if taken.is_empty() {
        return "no option taken".into();
    }
    taken
        .iter()
        .map(|id| {
            sc.option_index(id)
                .map_or(id.clone(), |o| sc.options[o].name.clone())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub fn render(sc: &Scenario, out: &StabilityOut, all_states: bool, md: bool) -> String {
    let mut s = String::new();
    let h = |t: &str| {
        if md {
            format!("## {t}\n\n")
        } else {
            format!("{t}\n{}\n", "-".repeat(t.chars().count()))
        }
    };
    let names: Vec<&str> = out.concepts.iter().map(|c| c.name()).collect();
    s.push_str(&h("Equilibria"));
    let any = out
        .states
        .iter()
        .any(|st| st.equilibrium.values().any(|&b| b));
    if !any {
        let _ = writeln!(s, "No state is an equilibrium under {}.", names.join(", "));
    }
    for st in out
        .states
        .iter()
        .filter(|st| st.equilibrium.values().any(|&b| b))
    {
        let under = marked(&st.equilibrium);
        let _ = writeln!(
            s,
            "- {} [{}]: {}",
            st.pattern,
            under.join(", "),
            describe(sc, &st.taken)
        );
    }
    s.push('\n');
    let mut table = comfy_table::Table::new();
    table.load_style(if md {
        comfy_table::presets::ASCII_MARKDOWN
    } else {
        comfy_table::presets::UTF8_FULL_CONDENSED
    });
    let mut header = vec!["state".to_string()];
    for d in &out.decision_makers {
        header.push(format!("{} payoff", d.id));
        header.push(format!("{} stable", d.id));
    }
    header.push("equilibrium".into());
    table.set_header(header.iter().map(|c| cell(c, md)));
    for st in &out.states {
        if !all_states && !st.equilibrium.values().any(|&b| b) {
            continue;
        }
        let mut row = vec![st.pattern.clone()];
        for d in &out.decision_makers {
            row.push(st.payoff[&d.id].to_string());
            row.push(marks(&st.stable[&d.id]));
        }
        row.push(marks(&st.equilibrium));
        table.add_row(row.iter().map(|c| cell(c, md)));
    }
    s.push_str(&h(if all_states {
        "Stability of every state"
    } else {
        "Stability table (equilibria; --all-states for every state)"
    }));
    let _ = writeln!(
        s,
        "Bit order: {}",
        out.options
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "{table}\n");
    if let Some(c) = &out.coalitions {
        s.push_str(&h("Coalitions"));
        let players: Vec<String> = c.joint_players.iter().map(|p| p.join("+")).collect();
        let _ = writeln!(s, "Joint mode, players {}:", players.join(", "));
        for (concept, eqs) in &c.joint_equilibria {
            let _ = writeln!(
                s,
                "- {} equilibria: {}",
                concept.name(),
                if eqs.is_empty() {
                    "none".into()
                } else {
                    eqs.join(" ")
                }
            );
        }
        let _ = writeln!(
            s,
            "Coalitional stability over {} coalitions:",
            c.coalitional_coalitions.len()
        );
        for (concept, eqs) in &c.coalitional_equilibria {
            let _ = writeln!(
                s,
                "- C{} equilibria: {}",
                concept.name().to_uppercase(),
                if eqs.is_empty() {
                    "none".into()
                } else {
                    eqs.join(" ")
                }
            );
        }
        s.push('\n');
    }
    if let Some(f) = &out.farsight {
        s.push_str(&h("Farsighted stability (two decision makers)"));
        let list = |m: &IndexMap<String, IndexMap<String, bool>>| -> String {
            let eq: Vec<&str> = m
                .iter()
                .filter(|(_, v)| v.values().all(|&b| b))
                .map(|(p, _)| p.as_str())
                .collect();
            if eq.is_empty() {
                "none".into()
            } else {
                eq.join(" ")
            }
        };
        if let (Some(h), Some(m)) = (f.limited_move_horizon, &f.limited_move) {
            let _ = writeln!(s, "- L{h} equilibria: {}", list(m));
        }
        if let Some(m) = &f.non_myopic {
            let _ = writeln!(s, "- non-myopic equilibria: {}", list(m));
        }
        s.push('\n');
    }
    if let Some(sq) = &out.status_quo {
        s.push_str(&h("From the status quo"));
        let _ = writeln!(
            s,
            "Status quo {} ({})",
            sq.pattern,
            describe(sc, &out.states[sq.analysis.status_quo].taken)
        );
        for t in &sq.analysis.targets {
            let st = &out.states[t.state];
            let eq = marked(&st.equilibrium);
            match &t.by_improvements {
                Some(p) if p.steps.is_empty() => {
                    let _ = writeln!(
                        s,
                        "- {} [{}]: the status quo itself",
                        st.pattern,
                        eq.join(", ")
                    );
                }
                Some(p) => {
                    let _ = writeln!(
                        s,
                        "- {} [{}]: reachable by {} unilateral improvement(s):",
                        st.pattern,
                        eq.join(", "),
                        p.steps.len()
                    );
                    for step in &p.steps {
                        let who = &out.decision_makers[step.dm].name;
                        let took: Vec<&str> = step
                            .taken
                            .iter()
                            .map(|&b| out.options[b].name.as_str())
                            .collect();
                        let dropped: Vec<&str> = step
                            .dropped
                            .iter()
                            .map(|&b| out.options[b].name.as_str())
                            .collect();
                        let mut what = Vec::new();
                        if !took.is_empty() {
                            what.push(format!("takes {}", took.join(", ")));
                        }
                        if !dropped.is_empty() {
                            what.push(format!("drops {}", dropped.join(", ")));
                        }
                        let _ = writeln!(
                            s,
                            "    {} {} → {}",
                            who,
                            what.join(" and "),
                            out.states[step.to].pattern
                        );
                    }
                }
                None => {
                    let by_moves =
                        t.by_moves
                            .as_ref()
                            .map_or("not reachable at all".to_string(), |p| {
                                format!(
                                    "reachable only by {} move(s) that are not all improvements",
                                    p.steps.len()
                                )
                            });
                    let _ = writeln!(
                        s,
                        "- {} [{}]: not reachable by improvements; {by_moves}",
                        st.pattern,
                        eq.join(", ")
                    );
                }
            }
        }
    }
    s
}
