//! `redline stability [SCENARIO]`: GMCR stability of every state, equilibria and status quo paths.

use std::fmt::Write;
use std::io::Write as _;

use indexmap::IndexMap;
use redline_gmcr::{Concept, ConceptSet, Model, StatusQuoAnalysis};
use redline_model::Scenario;
use serde::Serialize;

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
    /// Show every state in text output, not only equilibria.
    #[arg(long)]
    all_states: bool,
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
}

#[derive(Debug, Serialize)]
pub struct StatusQuoOut {
    pub pattern: String,
    pub analysis: StatusQuoAnalysis,
}

fn parse_concepts(names: &[String]) -> Result<Vec<Concept>, Failure> {
    let mut out = Vec::new();
    for n in names {
        let c = match n.trim().to_ascii_lowercase().as_str() {
            "nash" | "r" => Concept::Nash,
            "gmr" => Concept::Gmr,
            "smr" => Concept::Smr,
            "seq" => Concept::Seq,
            "sim" => Concept::Sim,
            "seqsim" | "seq+sim" => Concept::SeqSim,
            other => {
                let _ = writeln!(
                    std::io::stderr(),
                    "error: unknown solution concept `{other}`\n  hint: concepts are nash, gmr, smr, seq, sim, seqsim"
                );
                return Err(Failure::BadInput);
            }
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

/// Runs the stability lens on a scenario.
pub fn run_lens(
    sc: &Scenario,
    concepts: &[Concept],
    horizon: Option<usize>,
) -> Result<StabilityOut, Failure> {
    let (spec, order) = redline_gmcr::from_scenario(sc)
        .map_err(|e| Failure::Other(anyhow::anyhow!("stability lens: {e}")))?;
    let estimate = redline_gmcr::estimate_memory(&spec);
    let available = available_memory();
    if let Some(avail) = available
        && estimate > avail
    {
        return Err(Failure::Other(anyhow::anyhow!(
            "stability lens: this model needs about {} MiB, more than the {} MiB available; reduce the options or the infeasible space",
            estimate >> 20,
            avail >> 20
        )));
    }
    let model =
        Model::new(&spec).map_err(|e| Failure::Other(anyhow::anyhow!("stability lens: {e}")))?;
    let set: ConceptSet = concepts.iter().copied().collect();
    let stability = redline_gmcr::analyze(&model, set);
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
    let status_quo = match spec.status_quo {
        Some(code) => {
            let analysis =
                redline_gmcr::status_quo_analysis(&model, &stability, Some(code), horizon)
                    .map_err(|e| Failure::Other(anyhow::anyhow!("status quo analysis: {e}")))?;
            Some(StatusQuoOut {
                pattern: redline_gmcr::pattern(code, order.len()),
                analysis,
            })
        }
        None => None,
    };
    Ok(StabilityOut {
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

/// Memory the machine has available, from /proc/meminfo (Linux); `None` elsewhere.
fn available_memory() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
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
    let out = run_lens(sc, &concepts, args.horizon)?;
    match format {
        Format::Json => {
            let params = serde_json::json!({ "concepts": concepts, "horizon": args.horizon });
            output::print_json(&output::envelope("stability", Some(&sc.id), params, &out))?;
        }
        Format::Text => output::print_text(&render(sc, &out, args.all_states, false))?,
        Format::Md => output::print_text(&render(sc, &out, args.all_states, true))?,
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
        let under: Vec<&str> = st
            .equilibrium
            .iter()
            .filter(|(_, b)| **b)
            .map(|(c, _)| c.name())
            .collect();
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
    table.set_header(header);
    for st in &out.states {
        if !all_states && !st.equilibrium.values().any(|&b| b) {
            continue;
        }
        let mut row = vec![st.pattern.clone()];
        for d in &out.decision_makers {
            row.push(st.payoff[&d.id].to_string());
            let marks: Vec<&str> = st.stable[&d.id]
                .iter()
                .filter(|(_, b)| **b)
                .map(|(c, _)| c.name())
                .collect();
            row.push(if marks.is_empty() {
                "-".into()
            } else {
                marks.join(" ")
            });
        }
        let eq: Vec<&str> = st
            .equilibrium
            .iter()
            .filter(|(_, b)| **b)
            .map(|(c, _)| c.name())
            .collect();
        row.push(if eq.is_empty() {
            "-".into()
        } else {
            eq.join(" ")
        });
        table.add_row(row);
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
            let eq: Vec<&str> = st
                .equilibrium
                .iter()
                .filter(|(_, b)| **b)
                .map(|(c, _)| c.name())
                .collect();
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
