//! `redline negotiate [SCENARIO] --agents A,B`: one negotiation, traced, with its metrics.
//!
//! Also the helpers that `tournament` and `merge` share: parsing agents and mediators, lowering a
//! scenario with its reference, and reporting bad input.

use std::fmt::Write as _;

use redline_analysis::negotiation::{MediatorSpec, NegotiateParams, Prepared};
use redline_model::Scenario;
use redline_negotiate::{
    MediatorKind, Metrics, NegotiationResult, Protocol, Strategy, Trace, TraceAction,
};

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

/// Offer lines shown in full at each end of a long trace.
const TRACE_ENDS: usize = 12;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    /// One agent per party, in the scenario's party order: boulware, linear, conceder, time:<e>,
    /// tit-for-tat, aspiration[:x], hardliner, random[:pa[:pe]], redline:<agent>.
    #[arg(long, value_delimiter = ',', required = true)]
    agents: Vec<String>,
    /// Use the mediated single-text protocol with this mediator: hill-climbing, or
    /// annealing[:temperature] (default temperature 1).
    #[arg(long)]
    mediator: Option<String>,
    /// The deadline in rounds.
    #[arg(long, default_value_t = 100)]
    rounds: u32,
    /// The seed (agents and mediator draw from it).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[command(flatten)]
    format: FormatArg,
}

/// Reports bad input on stderr; exit 2.
pub fn bad(message: impl std::fmt::Display) -> Failure {
    crate::eline!("error: {message}");
    Failure::BadInput
}

/// Parses agent names (front door), reporting bad ones.
pub fn parse_agents(names: &[String]) -> Result<Vec<Strategy>, Failure> {
    redline_analysis::negotiation::parse_agents(names).map_err(crate::analysis_error)
}

/// The protocol for `rounds` and an optional mediator name (front door), reporting bad ones.
pub fn protocol(rounds: u32, mediator: Option<&str>) -> Result<Protocol, Failure> {
    let mediator = mediator
        .map(str::parse::<MediatorSpec>)
        .transpose()
        .map_err(crate::analysis_error)?;
    redline_analysis::negotiation::protocol(rounds, mediator).map_err(crate::analysis_error)
}

/// Loads and prepares one scenario argument.
pub fn load_prepared(
    arg: Option<&str>,
    format: Format,
    command: &str,
) -> Result<(Scenario, Prepared), Failure> {
    let source = input::read_source(arg)?;
    let loaded = input::load(&source, format, command)?;
    let prepared =
        redline_analysis::negotiation::prepare(&loaded.scenario).map_err(crate::analysis_error)?;
    Ok((loaded.scenario, prepared))
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let strategies = parse_agents(&args.agents)?;
    let protocol = protocol(args.rounds, args.mediator.as_deref())?;
    let (sc, p) = load_prepared(args.scenario.as_deref(), format, "negotiate")?;
    let params = NegotiateParams {
        agents: strategies,
        rounds: args.rounds,
        seed: args.seed,
        protocol,
    };
    let control = redline_analysis::Control {
        limits: crate::limits::analysis_limits(),
        ..Default::default()
    };
    let out = redline_analysis::negotiation::negotiate(&sc, &p, &params, &control)
        .map_err(crate::analysis_error)?;
    let names: Vec<String> = params.agents.iter().map(|s| s.to_string()).collect();
    match format {
        Format::Json => {
            output::print_json(&output::envelope("negotiate", Some(&sc.id), &params, &out))?;
        }
        Format::Text | Format::Md => {
            let text = render(
                &sc,
                &p,
                &names,
                &params.protocol,
                args.seed,
                &out.result,
                &out.trace,
                &out.metrics,
            );
            if format == Format::Md {
                output::print_rendered(&redline_report::render::escape::md_fenced(&text, "text"))?;
            } else {
                output::print_text(&text)?;
            }
        }
    }
    Ok(())
}

fn utilities(parties: &[&str], u: &[f64]) -> String {
    parties
        .iter()
        .zip(u)
        .map(|(p, x)| format!("{p} {x:.4}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One line per offer (or mediator proposal, with the votes), long traces elided in the middle.
fn trace_lines(parties: &[&str], trace: &Trace) -> Vec<String> {
    let mut lines = Vec::new();
    let who = |p: Option<usize>| p.map_or("mediator", |i| parties.get(i).copied().unwrap_or("?"));
    let mut i = 0;
    let ev = &trace.events;
    while i < ev.len() {
        let e = &ev[i];
        match e.action {
            TraceAction::Offer => lines.push(format!(
                "round {:>3}  {:<10} offers   [{}]",
                e.round,
                who(e.party),
                utilities(parties, &e.utilities)
            )),
            TraceAction::Accept => lines.push(format!(
                "round {:>3}  {:<10} accepts  [{}]",
                e.round,
                who(e.party),
                utilities(parties, &e.utilities)
            )),
            TraceAction::End => lines.push(format!(
                "round {:>3}  {:<10} ends the negotiation",
                e.round,
                who(e.party)
            )),
            TraceAction::Propose => {
                let mut votes = Vec::new();
                let mut adopted = false;
                while i + 1 < ev.len() && ev[i + 1].round == e.round {
                    let v = &ev[i + 1];
                    match v.action {
                        TraceAction::VoteAccept => votes.push(format!("{} yes", who(v.party))),
                        TraceAction::VoteReject => votes.push(format!("{} no", who(v.party))),
                        TraceAction::Adopt => adopted = true,
                        _ => break,
                    }
                    i += 1;
                }
                lines.push(format!(
                    "round {:>3}  mediator   proposes [{}]: {}{}",
                    e.round,
                    utilities(parties, &e.utilities),
                    votes.join(", "),
                    if adopted { " -> adopted" } else { "" }
                ));
            }
            TraceAction::Reject
            | TraceAction::VoteAccept
            | TraceAction::VoteReject
            | TraceAction::Adopt => {}
        }
        i += 1;
    }
    if lines.len() > 2 * TRACE_ENDS + 1 {
        let hidden = lines.len() - 2 * TRACE_ENDS;
        let tail = lines.split_off(lines.len() - TRACE_ENDS);
        lines.truncate(TRACE_ENDS);
        lines.push(format!(
            "  … {hidden} more lines (--format json has the full trace)"
        ));
        lines.extend(tail);
    }
    lines
}

pub(crate) fn protocol_name(p: &Protocol) -> String {
    match p {
        Protocol::Sao(c) => format!("alternating offers, {} rounds", c.rounds),
        Protocol::Mediated(c) => match c.mediator {
            MediatorKind::HillClimbing => {
                format!("mediated single text (hill climbing), {} rounds", c.rounds)
            }
            MediatorKind::Annealing { temperature } => format!(
                "mediated single text (annealing, T = {temperature}), {} rounds",
                c.rounds
            ),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn render(
    sc: &Scenario,
    p: &Prepared,
    names: &[String],
    protocol: &Protocol,
    seed: u64,
    r: &NegotiationResult,
    trace: &Trace,
    m: &Metrics,
) -> String {
    let parties = p.party_ids();
    let mut s = String::new();
    let cast: Vec<String> = parties
        .iter()
        .zip(names)
        .map(|(p, a)| format!("{p} = {a}"))
        .collect();
    let _ = writeln!(
        s,
        "{}: {} ({}; seed {seed})\n",
        sc.id,
        cast.join(", "),
        protocol_name(protocol)
    );
    let _ = writeln!(s, "Trace\n-----");
    for line in trace_lines(&parties, trace) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "\nOutcome\n-------");
    match r.agreement {
        Some(o) => {
            // Under the mediated protocol the last adopted text stands at the deadline.
            let adopted = trace
                .events
                .iter()
                .rev()
                .find(|e| e.action == TraceAction::Adopt)
                .map(|e| e.round);
            match (protocol, adopted) {
                (Protocol::Mediated(_), Some(a)) => {
                    let _ = writeln!(
                        s,
                        "Agreement: the text every party accepted in round {a} stands at the deadline (round {} of {}).",
                        r.round,
                        protocol.rounds()
                    );
                }
                _ => {
                    let _ = writeln!(
                        s,
                        "Agreement in round {} of {}.",
                        r.round,
                        protocol.rounds()
                    );
                }
            }
            if let Some(labels) = p.lowered.labels(o) {
                for (issue, value) in labels {
                    let name = sc
                        .issues
                        .iter()
                        .find(|i| i.id == issue)
                        .map_or(issue, |i| i.name.as_str());
                    let _ = writeln!(s, "  {name}: {value}");
                }
            }
            let broken: Vec<&str> = p
                .lowered
                .domain
                .parties
                .iter()
                .filter(|x| !x.acceptable(o))
                .map(|x| x.id.as_str())
                .collect();
            if !broken.is_empty() {
                let _ = writeln!(
                    s,
                    "  (unacceptable to {}: breaks a red line or falls below the reservation value)",
                    broken.join(", ")
                );
            }
        }
        None => {
            let why = match r.end {
                redline_negotiate::EndReason::Ended { party } => {
                    format!("{} walked away", parties.get(party).copied().unwrap_or("?"))
                }
                _ => "the deadline passed".to_string(),
            };
            let _ = writeln!(
                s,
                "No agreement: {why} (round {}); everyone gets their reservation value{}.",
                r.round,
                if sc.breakdown.is_some() {
                    ", in expectation under the breakdown risk (below)"
                } else {
                    ""
                }
            );
        }
    }
    let _ = writeln!(s, "Utilities: {}", utilities(&parties, &r.utilities));
    if let (Some(b), Some(d)) = (&sc.breakdown, &p.domain.domain().breakdown) {
        let risky = r.risky_rounds();
        let _ = writeln!(
            s,
            "  expected values: each round without agreement carries a {:.1}% risk that {} (then {}); {} risky rounds passed, so the outcome holds with probability {:.3}",
            100.0 * b.per_round,
            b.text,
            utilities(&parties, &d.utilities),
            risky,
            d.survival(risky)
        );
    }
    let _ = writeln!(s, "Welfare: {:.4}", m.welfare);
    let dist = |d: Option<f64>| d.map_or("n/a".to_string(), |d| format!("{d:.4}"));
    let _ = writeln!(
        s,
        "Distance to the Pareto frontier: {}",
        dist(m.pareto_distance)
    );
    let nash = p
        .reference
        .nash
        .as_ref()
        .map_or("none: the ZOPA is empty".to_string(), |n| {
            utilities(&parties, n)
        });
    let _ = writeln!(
        s,
        "Distance to the Nash point [{nash}]: {}",
        dist(m.nash_distance)
    );
    let _ = writeln!(s, "Seed: {seed}");
    s
}
