//! `redline stability [SCENARIO]`: GMCR stability of every state, equilibria and status quo paths.

use std::fmt::Write;
use std::io::IsTerminal;

use indexmap::IndexMap;
use redline_analysis::stability::{CoalitionSpec, StabilityParams, StabilityResult, StateSpec};
use redline_analysis::{Control, Progress, Task};
use redline_gmcr::Concept;
use redline_model::Scenario;

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

/// Runs the stability lens with the default analyses (all concepts unless given), with
/// progress bars on a terminal.
pub fn run_lens(sc: &Scenario, params: &StabilityParams) -> Result<StabilityResult, Failure> {
    let bars = Bars::default();
    let progress = |p: Progress| bars.show(p);
    let control = Control {
        progress: Some(&progress),
        cancel: None,
        limits: crate::limits::analysis_limits(),
    };
    redline_analysis::stability::stability(sc, params, &control).map_err(crate::analysis_error)
}

/// One progress bar per long task, created when the task first reports.
#[derive(Default)]
pub(crate) struct Bars {
    stability: std::sync::OnceLock<indicatif::ProgressBar>,
    coalitions: std::sync::OnceLock<indicatif::ProgressBar>,
}

impl Bars {
    pub(crate) fn show(&self, p: Progress) {
        let bar = match p.task {
            Task::Stability { states } => self.stability.get_or_init(|| {
                progress_bar(
                    states > 50_000,
                    &format!("stability of {states} states"),
                    "steps",
                )
            }),
            // The search is up to quadratic in the states: show it from a few thousand on.
            Task::Coalitions { states } => self.coalitions.get_or_init(|| {
                progress_bar(
                    states > 4_096,
                    &format!("coalition analysis of {states} states"),
                    "states searched (Ctrl-C stops)",
                )
            }),
            // Stage changes and tournaments are drawn by their commands.
            Task::Tournament | Task::Lens(_) => return,
        };
        bar.set_length(p.total);
        bar.set_position(p.done);
    }
}

impl Drop for Bars {
    fn drop(&mut self) {
        for bar in [self.stability.get(), self.coalitions.get()]
            .into_iter()
            .flatten()
        {
            bar.finish_and_clear();
        }
    }
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

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let analysis_error = crate::analysis_error;
    let concepts =
        redline_analysis::stability::parse_concepts(&args.concepts).map_err(analysis_error)?;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "stability")?;
    let sc = &loaded.scenario;
    let coalition = args
        .coalition
        .iter()
        .map(|c| {
            c.parse::<CoalitionSpec>()
                .map_err(|e| analysis_error(e.in_flag("--coalition")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let status_quo = args
        .status_quo
        .as_deref()
        .map(|t| {
            t.parse::<StateSpec>()
                .map_err(|e| analysis_error(e.in_flag("--status-quo")))
        })
        .transpose()?;
    let params = StabilityParams {
        status_quo,
        concepts,
        horizon: args.horizon,
        coalitions: args.coalitions || !coalition.is_empty(),
        coalition,
        limited_move: args.limited_move,
        non_myopic: args.non_myopic,
    };
    let out = run_lens(sc, &params)?;
    if let Some(path) = &args.dot {
        let view = redline_report::lens::stability::StabilityView::from(&out);
        let dot =
            redline_report::diagram::graph::to_dot(&redline_report::lens::stability::graph(&view));
        std::fs::write(path, dot)
            .map_err(|e| Failure::Other(anyhow::anyhow!("writing {}: {e}", path.display())))?;
        crate::eline!("wrote the state graph to {}", path.display());
    }
    match format {
        Format::Json => {
            output::print_json(&output::envelope("stability", Some(&sc.id), &params, &out))?;
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

pub fn render(sc: &Scenario, out: &StabilityResult, all_states: bool, md: bool) -> String {
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
        header.push(format!("{} rank", d.id));
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
