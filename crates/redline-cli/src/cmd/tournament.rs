//! `redline tournament [SCENARIO...] --agents A,B,C`: every agent against every other, over every
//! role assignment and repetition, in parallel; whole, or one deterministic shard of it.

use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context;
use redline_negotiate::{
    AgentFactory, Protocol, RunOptions, Shard, Summary, Tournament, TournamentConfig,
    TournamentDomain, TournamentResult,
};
use serde::{Deserialize, Serialize};

use crate::cmd::negotiate::{bad, load_prepared, parse_agents, protocol};
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

/// What defines a tournament, as reported in `params`. Shards of one tournament have equal params
/// but for `shard`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub scenarios: Vec<String>,
    pub agents: Vec<String>,
    pub repetitions: u32,
    pub rounds: u32,
    pub seed: u64,
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// The `result` of `redline tournament --format json`, of a shard file and of `redline merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Output {
    /// One row per agent, then `all`.
    pub summary: Vec<Summary>,
    /// The engine's result: exact aggregates (fixed-point sums as strings), fingerprint, shard.
    pub tournament: TournamentResult,
}

impl Output {
    pub fn new(mut tournament: TournamentResult) -> Self {
        // Per-negotiation records go to --jsonl, not into the result, so that shard files stay
        // small and merge back into exactly the unsharded result.
        tournament.records.clear();
        tournament.records_kept = false;
        Output {
            summary: tournament.summary(),
            tournament,
        }
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let strategies = parse_agents(&args.agents)?;
    let protocol = protocol(args.rounds, args.mediator.as_deref())?;
    if args.repetitions == 0 {
        return Err(bad("--repetitions must be at least 1"));
    }
    let shard = match &args.shard {
        Some(s) => Shard::parse(s).map_err(|_| {
            bad(format!(
                "--shard {s:?}: expected K/N with 0 <= K < N (e.g. 0/4), as Slurm array and Kubernetes job indices"
            ))
        })?,
        None => Shard::ALL,
    };
    let args_scenarios: Vec<Option<&str>> = if args.scenarios.is_empty() {
        vec![None]
    } else {
        args.scenarios.iter().map(|s| Some(s.as_str())).collect()
    };
    let mut ids = Vec::new();
    let mut party_ids: Vec<Vec<String>> = Vec::new();
    let mut domains = Vec::new();
    for arg in args_scenarios {
        let (sc, p) = load_prepared(arg, format, "tournament")?;
        if strategies.len() < p.lowered.domain.parties.len() {
            return Err(bad(format!(
                "{} agents for the {} parties of `{}`: a tournament needs at least one agent per party",
                strategies.len(),
                p.lowered.domain.parties.len(),
                sc.id
            )));
        }
        ids.push(sc.id.clone());
        party_ids.push(
            p.lowered
                .domain
                .parties
                .iter()
                .map(|x| x.id.clone())
                .collect(),
        );
        domains.push(TournamentDomain {
            domain: Arc::new(p.domain),
            reference: Some(p.reference),
        });
    }
    let agents: Vec<Arc<dyn AgentFactory>> = strategies
        .iter()
        .map(|s| Arc::new(s.clone()) as Arc<dyn AgentFactory>)
        .collect();
    let config = TournamentConfig {
        protocol,
        repetitions: args.repetitions,
        seed: args.seed,
        self_play: false,
    };
    let tournament = Tournament::new(agents, domains, config).map_err(bad)?;
    let params = Params {
        scenarios: ids.clone(),
        agents: tournament.agent_names().to_vec(),
        repetitions: args.repetitions,
        rounds: args.rounds,
        seed: args.seed,
        protocol,
        shard: args.shard.as_ref().map(|_| shard.to_string()),
    };
    let result = run_with_progress(&tournament, shard, args.jsonl.is_some())?;
    if let Some(path) = &args.jsonl {
        write_jsonl(path, &result, &party_ids)?;
    }
    let out = Output::new(result);
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

fn run_with_progress(
    t: &Tournament,
    shard: Shard,
    keep_records: bool,
) -> Result<TournamentResult, Failure> {
    let total = shard.len_of(t.len());
    let counter = AtomicU64::new(0);
    let done = AtomicBool::new(false);
    let bar = if std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {bar:40} {pos}/{len} negotiations ({per_sec}, eta {eta})",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let options = RunOptions {
        shard,
        keep_records,
        progress: Some(&counter),
    };
    let result = std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let r = t.run(&options);
            done.store(true, Ordering::Release);
            r
        });
        while !done.load(Ordering::Acquire) {
            bar.set_position(counter.load(Ordering::Relaxed));
            std::thread::sleep(Duration::from_millis(50));
        }
        worker.join()
    });
    bar.finish_and_clear();
    match result {
        Ok(Ok(r)) => Ok(r),
        Ok(Err(e)) => Err(Failure::Other(anyhow::anyhow!("tournament: {e}"))),
        Err(_) => Err(Failure::Other(anyhow::anyhow!(
            "tournament: a worker panicked"
        ))),
    }
}

fn write_json(path: &Path, doc: &impl Serialize) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(doc).context("serialising the result")?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_jsonl(
    path: &Path,
    r: &TournamentResult,
    party_ids: &[Vec<String>],
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
        "\nPer agent: its own utility; `all`: per negotiation, the mean over parties. Without agreement a party gets its reservation value. Distances are Euclidean in utility space to the deal lens's Pareto frontier and Nash point. Red-line breaches: agreements that break some party's red lines (only `redline:` agents never accept one)."
    );
    s
}
