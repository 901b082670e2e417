//! `redline analyze [SCENARIO]`: every lens the scenario supports, as one report — headline
//! answers first, then the evidence — on stdout as text, Markdown or JSON, and on request as a
//! self-contained HTML file (`--report`) and the state graph as DOT (`--dot`).
//!
//! The lenses run in the front door (`redline_analysis::analyze`); the report is built and
//! rendered by `redline-report`, which does no I/O. This module draws progress, decides colour,
//! runs Graphviz for the graph layout when it is installed, and writes files.

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::time::Duration;

use redline_analysis::analyze::Lens;
use redline_deal::{DealParams, DealResult};
use redline_gmcr::Concept;
use redline_model::{Role, Scenario};
use redline_report::diagram::graph;
use redline_report::lens::deal::{DealFacts, DealInput, Preconditions};
use redline_report::lens::negotiation::{ModelledNegotiations, NegotiationInput};
use redline_report::lens::stability::StabilityView;
use redline_report::{Report, TextOptions};
use serde::Serialize;

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    /// Also write the report as one self-contained HTML file, with diagrams.
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Also write the stability lens's state graph as a Graphviz DOT file.
    #[arg(long, value_name = "FILE")]
    dot: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

/// `result` of `redline analyze --format json`.
#[derive(Debug, Serialize)]
struct AnalyzeResult<'a> {
    /// The scenario in plain terms.
    summary: &'a redline_report::lens::scenario::Summary,
    /// The headline answers, in question order.
    answers: Vec<&'a redline_report::Headline>,
    /// The deal lens: `{params, result}` exactly as `redline deal --format json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    deal: Option<LensOut<&'a DealParams, redline_analysis::deal::DealOutput<'a>>>,
    /// Whether the parties' preconditions for talks fit together.
    #[serde(skip_serializing_if = "Option::is_none")]
    preconditions: Option<&'a Preconditions>,
    /// The phased plan the answers use, when it needed more issues per phase than the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    plan: Option<WiderPlan<'a>>,
    /// The stability lens: `{params, result}` exactly as `redline stability --format json`.
    #[serde(skip_serializing_if = "Option::is_none")]
    stability: Option<LensOut<serde_json::Value, &'a redline_analysis::stability::StabilityResult>>,
    /// The modelled negotiations.
    #[serde(skip_serializing_if = "Option::is_none")]
    negotiation: Option<&'a ModelledNegotiations>,
    /// Lenses that could not run, and why.
    notes: &'a [String],
}

#[derive(Debug, Serialize)]
struct LensOut<P, R> {
    params: P,
    result: R,
}

#[derive(Debug, Serialize)]
struct WiderPlan<'a> {
    max_issues_per_phase: usize,
    phases: &'a [redline_deal::Phase],
    plan: &'a redline_deal::PlanSummary,
}

/// The deal lens's outputs.
struct DealOut {
    params: DealParams,
    result: DealResult,
    /// The smallest larger phase size that found a plan, when the default was blocked by it.
    wider: Option<(usize, DealResult)>,
    facts: DealFacts,
}

/// Stage messages on stderr while the lenses run (hidden when stderr is not a terminal).
struct Progress(indicatif::ProgressBar);

impl Progress {
    fn new() -> Self {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if std::io::stderr().is_terminal() {
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        Progress(bar)
    }

    fn stage(&self, message: &str) {
        self.0
            .set_message(redline_report::render::escape::terminal(message).into_owned());
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "analyze")?;
    let sc = &loaded.scenario;
    let has_stability = redline_gmcr::has_stability_view(sc);
    if args.dot.is_some() && !has_stability {
        crate::eline!(
            "error: --dot writes the stability lens's state graph, but scenario `{}` has no stability view\n  hint: it needs [[options]] and [stability.preferences.<actor>]",
            sc.id
        );
        return Err(Failure::BadInput);
    }
    let summary = redline_report::lens::scenario::summarise(sc);
    let mut notes: Vec<String> = Vec::new();
    let progress = Progress::new();

    let bars = super::stability::Bars::default();
    let on_progress = |p: redline_analysis::Progress| match p.task {
        redline_analysis::Task::Lens(l) => progress.stage(match l {
            Lens::Deal => "deal lens: agreements, frontier, solutions, phased plan",
            Lens::Stability => "stability lens: stable states and paths from the status quo",
            Lens::Negotiation => "negotiation lens: modelled negotiations",
        }),
        _ => bars.show(p),
    };
    let control = redline_analysis::Control {
        progress: Some(&on_progress),
        cancel: None,
        limits: crate::limits::analysis_limits(),
    };
    let analysis = redline_analysis::analyze::analyze(sc, &control);
    drop(bars);
    for (lens, e) in &analysis.failures {
        let why = match e {
            redline_analysis::Error::BadInput { message, .. } => message.clone(),
            e => e.to_string(),
        };
        notes.push(lens_failed(lens.name(), &why));
    }
    let deal = analysis.deal.map(|d| {
        let facts = match redline_deal::from_scenario(sc) {
            Ok(spec) => redline_report::lens::deal::facts(sc, &spec, d.params.max_outcomes),
            Err(_) => DealFacts::default(),
        };
        DealOut {
            params: d.params,
            result: d.result,
            wider: d.wider,
            facts,
        }
    });
    let stability = analysis.stability;
    let view = stability.as_ref().map(StabilityView::from);
    let negotiation = analysis.negotiation;
    if summary.lenses.contains(&"forecast") {
        notes.push(
            "The scenario has forecast inputs; the forecast lens is not available yet.".into(),
        );
    }
    if summary.lenses.contains(&"robustness") {
        notes.push(
            "The scenario declares uncertain inputs; the robustness lens is not available yet."
                .into(),
        );
    }

    // The graph layout: Graphviz's when it is installed and an HTML report is wanted.
    let layout = match (&view, &args.report) {
        (Some(v), Some(_)) => {
            progress.stage("laying out the state graph");
            graphviz_layout(&redline_report::lens::stability::graph(v))
        }
        _ => None,
    };
    progress.stage("writing the report");
    let report = build_report(
        sc,
        &summary,
        deal.as_ref(),
        view.as_ref(),
        layout.as_ref(),
        negotiation.as_ref(),
        &notes,
    );
    drop(progress);

    if let Some(path) = &args.dot {
        let v = view.as_ref().ok_or_else(|| {
            Failure::Other(anyhow::anyhow!(
                "--dot: the stability lens did not run, so there is no state graph"
            ))
        })?;
        let dot = graph::to_dot(&redline_report::lens::stability::graph(v));
        write_file(path, &dot)?;
    }
    if let Some(path) = &args.report {
        let html = redline_report::render::html::render(&report)
            .map_err(|e| Failure::Other(anyhow::anyhow!(e)))?;
        write_file(path, &html)?;
        crate::eline!("wrote the HTML report to {}", path.display());
    }

    match format {
        Format::Json => {
            let answers = report.answers();
            let stability_params = serde_json::json!({ "concepts": Concept::ALL, "horizon": null });
            let result = AnalyzeResult {
                summary: &summary,
                answers,
                deal: deal.as_ref().map(|d| LensOut {
                    params: &d.params,
                    result: redline_analysis::deal::DealOutput {
                        result: &d.result,
                        smallest_phase_size: d.wider.as_ref().map(|(k, _)| *k),
                    },
                }),
                preconditions: deal.as_ref().and_then(|d| d.facts.preconditions.as_ref()),
                plan: deal.as_ref().and_then(|d| {
                    d.wider.as_ref().map(|(k, w)| WiderPlan {
                        max_issues_per_phase: *k,
                        phases: &w.phases,
                        plan: &w.plan,
                    })
                }),
                stability: stability.as_ref().map(|s| LensOut {
                    params: stability_params,
                    result: s,
                }),
                negotiation: negotiation.as_ref(),
                notes: &notes,
            };
            let doc = output::envelope(
                "analyze",
                Some(&sc.id),
                serde_json::json!({ "scenario": source.name }),
                result,
            );
            output::print_json(&doc)?;
        }
        Format::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let opts = TextOptions {
                color,
                ..TextOptions::default()
            };
            output::print_rendered(&redline_report::render::text::render(&report, &opts))?;
        }
        Format::Md => output::print_rendered(&redline_report::render::markdown::render(&report))?,
    }
    Ok(())
}

fn lens_failed(lens: &str, why: &str) -> String {
    crate::eline!("warning: the {lens} lens did not run: {why}");
    format!("The {lens} lens did not run: {why}")
}

fn build_report(
    sc: &Scenario,
    summary: &redline_report::lens::scenario::Summary,
    deal: Option<&DealOut>,
    view: Option<&StabilityView>,
    layout: Option<&graph::Layout>,
    negotiation: Option<&ModelledNegotiations>,
    notes: &[String],
) -> Report {
    // The lenses first, so that the evidence follows the answers; the scenario as modelled last.
    let mut sections = Vec::new();
    if let Some(d) = deal {
        sections.push(redline_report::lens::deal::section(&DealInput {
            scenario: sc,
            result: &d.result,
            max_issues_per_phase: d.params.plan.max_issues_per_phase,
            wider: d.wider.as_ref().map(|(k, r)| (*k, r)),
            facts: &d.facts,
        }));
    }
    if let Some(v) = view {
        sections.push(redline_report::lens::stability::section(v, layout));
    }
    if let (Some(modelled), Some(d)) = (negotiation, deal) {
        let parties: Vec<(String, String)> = sc
            .parties()
            .filter(|(_, a)| d.result.solutions.disagreement.contains_key(&a.id))
            .map(|(_, a)| (a.id.clone(), a.name.clone()))
            .collect();
        let reservations: Vec<f64> = parties
            .iter()
            .map(|(id, _)| d.result.solutions.disagreement[id])
            .collect();
        let mediator = sc
            .actors
            .iter()
            .find(|a| a.role == Role::Mediator)
            .map(|a| a.name.as_str());
        sections.push(redline_report::lens::negotiation::section(
            &NegotiationInput {
                parties: &parties,
                reservations: &reservations,
                mediator_name: mediator,
                modelled,
                breakdown: sc.breakdown.as_ref().map(|b| {
                    let u = parties
                        .iter()
                        .map(|(id, _)| {
                            sc.actor_index(id)
                                .and_then(|a| b.utility_of(a))
                                .unwrap_or(f64::NAN)
                        })
                        .collect();
                    (b, u)
                }),
            },
        ));
    }
    sections.push(redline_report::lens::scenario::section(sc, summary));
    Report {
        title: sc.name.clone(),
        description: sc.description.clone(),
        source: sc.source.clone(),
        sections,
        notes: notes.to_vec(),
        generator: format!("redline {}", env!("CARGO_PKG_VERSION")),
    }
}

/// Runs Graphviz (`dot -Tplain`) on the graph when it is installed; `None` otherwise or on any
/// failure, and the report falls back to its own layout.
fn graphviz_layout(g: &graph::StateGraph) -> Option<graph::Layout> {
    use std::process::{Command, Stdio};
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()?
        .write_all(graph::to_dot_for_layout(g).as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    if !out.status.success() {
        return None;
    }
    graph::parse_plain(g, &String::from_utf8_lossy(&out.stdout))
}

fn write_file(path: &std::path::Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text)
        .map_err(|e| Failure::Other(anyhow::anyhow!("writing {}: {e}", path.display())))
}
