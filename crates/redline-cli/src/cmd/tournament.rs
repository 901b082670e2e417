//! `redline tournament [SCENARIO...] --agents A,B,C`: every agent against every other, over every
//! role assignment and repetition, in parallel; whole, or one deterministic shard of it.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context;
pub use redline_analysis::tournament::{Output, Params};
use redline_analysis::tournament::{TournamentParams, parse_shard};
use redline_negotiate::{Protocol, Shard, TournamentResult};
use serde::Serialize;

use crate::cmd::negotiate::{load_prepared, parse_agents, protocol};
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files or built-in names; default: iran-us-2026.
    scenarios: Vec<String>,
    /// The agents (at least as many as a scenario has parties): boulware, linear, conceder,
    /// time:<e>, tit-for-tat, aspiration[:x], hardliner, random[:pa[:pe]], redline:<agent>.
    #[arg(long, value_delimiter = ',', required = true)]
    agents: Vec<String>,
    /// Repetitions of every pairing (they differ by seed).
    #[arg(long, default_value_t = 1)]
    repetitions: u32,
    /// The deadline in rounds.
    #[arg(long, default_value_t = 100)]
    rounds: u32,
    /// The master seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Use the mediated single-text protocol: hill-climbing or annealing[:temperature].
    #[arg(long)]
    mediator: Option<String>,
    /// Run only shard K of N (0 <= K < N) and write its result as JSON, for `redline merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Write the JSON result to FILE instead of stdout (the shard's result with --shard).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write one JSON record per negotiation to FILE (JSON Lines).
    #[arg(long, value_name = "FILE")]
    jsonl: Option<PathBuf>,
    #[command(flatten)]
    format: FormatArg,
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let strategies = parse_agents(&args.agents)?;
    let protocol = protocol(args.rounds, args.mediator.as_deref())?;
    let shard = match &args.shard {
        Some(s) => parse_shard(s).map_err(crate::analysis_error)?,
        None => Shard::ALL,
    };
    let args_scenarios: Vec<Option<&str>> = if args.scenarios.is_empty() {
        vec![None]
    } else {
        args.scenarios.iter().map(|s| Some(s.as_str())).collect()
    };
    let mut scenarios = Vec::new();
    for arg in args_scenarios {
        scenarios.push(load_prepared(arg, format, "tournament")?);
    }
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {bar:40} {pos}/{len} negotiations ({per_sec}, eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let progress = |p: redline_analysis::Progress| {
        bar.set_length(p.total);
        bar.set_position(p.done);
    };
    let control = redline_analysis::Control {
        progress: Some(&progress),
        ..Default::default()
    };
    let tp = TournamentParams {
        agents: strategies,
        repetitions: args.repetitions,
        rounds: args.rounds,
        seed: args.seed,
        protocol,
        shard,
        sharded: args.shard.is_some(),
        keep_records: args.jsonl.is_some(),
    };
    let run = redline_analysis::tournament::tournament(scenarios, &tp, &control);
    bar.finish_and_clear();
    let redline_analysis::tournament::TournamentRun {
        params,
        result,
        party_ids,
        deal_index,
    } = run.map_err(crate::analysis_error)?;
    if let Some(path) = &args.jsonl {
        write_jsonl(path, &result, &party_ids, &deal_index)?;
    }
    let out = Output::new(result);
    let ids = &params.scenarios;
    let label = ids.join(",");
    if args.shard.is_some() || args.out.is_some() {
        let doc = output::envelope("tournament", Some(&label), &params, &out);
        match &args.out {
            Some(path) => write_json(path, &doc)?,
            None => return Ok(output::print_json(&doc)?),
        }
        if args.shard.is_some() && format != Format::Json {
            // The shard's JSON is in --out; say so briefly.
            crate::eline!(
                "shard {shard}: {} of {} negotiations written to {}",
                out.tournament.negotiations,
                out.tournament.total,
                args.out
                    .as_deref()
                    .map_or("?".into(), |p| p.display().to_string())
            );
            return Ok(());
        }
    }
    print(format, &label, &params, &out)
}

/// Prints a (whole or merged) tournament result as text, Markdown or JSON.
pub fn print(format: Format, label: &str, params: &Params, out: &Output) -> Result<(), Failure> {
    match format {
        Format::Json => {
            output::print_json(&output::envelope("tournament", Some(label), params, out))?
        }
        Format::Text => output::print_text(&render(params, out, false))?,
        Format::Md => output::print_markdown(&render(params, out, true))?,
    }
    Ok(())
}

fn write_json(path: &Path, doc: &impl Serialize) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(doc).context("serialising the result")?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// One JSON record per negotiation, with the scenario, the cast, and the agreement as the deal
/// lens's outcome index (one index space with `redline deal`).
fn write_jsonl(
    path: &Path,
    r: &TournamentResult,
    party_ids: &[Vec<String>],
    deal_index: &[Vec<usize>],
) -> Result<(), Failure> {
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut w = std::io::BufWriter::new(file);
    for rec in &r.records {
        let mut v = serde_json::to_value(rec).context("serialising a record")?;
        if let serde_json::Value::Object(m) = &mut v {
            let parties = party_ids.get(rec.domain).map(Vec::as_slice).unwrap_or(&[]);
            m.insert(
                "scenario".into(),
                r.domain_names
                    .get(rec.domain)
                    .cloned()
                    .unwrap_or_default()
                    .into(),
            );
            let cast: serde_json::Map<String, serde_json::Value> = parties
                .iter()
                .zip(&rec.agents)
                .map(|(p, &a)| {
                    (
                        p.clone(),
                        r.agent_names.get(a).cloned().unwrap_or_default().into(),
                    )
                })
                .collect();
            m.insert("cast".into(), cast.into());
            let agreement = rec
                .agreement
                .and_then(|o| deal_index.get(rec.domain)?.get(o as usize).copied());
            m.insert("agreement".into(), agreement.into());
        }
        serde_json::to_writer(&mut w, &v).context("writing a record")?;
        writeln!(w).with_context(|| format!("writing {}", path.display()))?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn render(params: &Params, out: &Output, md: bool) -> String {
    use std::fmt::Write as _;
    let t = &out.tournament;
    let mut s = String::new();
    let protocol = match params.protocol {
        Protocol::Sao(_) => "alternating offers".to_string(),
        Protocol::Mediated(c) => match c.mediator {
            redline_negotiate::MediatorKind::HillClimbing => {
                "mediated single text (hill climbing)".to_string()
            }
            redline_negotiate::MediatorKind::Annealing { temperature } => {
                format!("mediated single text (annealing, T = {temperature})")
            }
        },
    };
    let _ = writeln!(
        s,
        "{} negotiations on {} ({} agents, role rotation, {} repetition{}; {protocol}, {} rounds; seed {})\n",
        t.total,
        params.scenarios.join(", "),
        params.agents.len(),
        params.repetitions,
        if params.repetitions == 1 { "" } else { "s" },
        params.rounds,
        params.seed
    );
    let mut table = comfy_table::Table::new();
    table.load_style(if md {
        comfy_table::presets::ASCII_MARKDOWN
    } else {
        comfy_table::presets::UTF8_FULL_CONDENSED
    });
    table.set_header(vec![
        "agent",
        "negotiations",
        "agreement",
        "walk-aways",
        "mean utility",
        "utility if agreed",
        "mean welfare",
        "mean rounds",
        "Pareto distance",
        "Nash distance",
        "red-line breaches",
    ]);
    let f = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.3}"));
    for row in &out.summary {
        table.add_row(vec![
            redline_report::render::escape::cell(&row.name, md),
            row.negotiations.to_string(),
            format!("{:.1}%", 100.0 * row.agreement_rate),
            row.walkaways.to_string(),
            f(row.mean_utility),
            f(row.mean_agreed_utility),
            f(row.mean_welfare),
            f(row.mean_rounds),
            f(row.mean_pareto_distance),
            f(row.mean_nash_distance),
            row.red_line_breaches.to_string(),
        ]);
    }
    let _ = writeln!(s, "{table}");
    let _ = writeln!(
        s,
        "\nPer agent: its own utility; `all`: per negotiation, the mean over parties. Without agreement a party gets its reservation value; with a breakdown risk in the scenario, what a party gets is its expected value under that risk. Distances are Euclidean in utility space to the deal lens's Pareto frontier and Nash point. Red-line breaches: agreements that break some party's red lines (only `redline:` agents never accept one)."
    );
    s
}
