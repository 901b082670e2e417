//! The modelled negotiations of `redline analyze`: each party played by the same red-line-aware
//! strategy, for each time-based strategy and under the scenario's mediator, with one run shown
//! in full (seed 0, with its trace) and every configuration repeated over [`SWEEP_SEEDS`] seeds,
//! so that what the report says about them holds for the distribution and not for one draw.

use indexmap::IndexMap;
use redline_deal::DealResult;
use redline_model::Scenario;
use redline_negotiate::{
    AgentFactory, IndexedDomain, MediatedConfig, MediatorKind, Metrics, NegotiationResult,
    Protocol, SaoConfig, Strategy, Trace,
};
use serde::Serialize;

use crate::{Control, Error};

/// Deadline of the modelled negotiations, in rounds.
pub const ROUNDS: u32 = 100;
/// The seed of the runs shown in full.
pub const SEED: u64 = 0;
/// Every configuration also runs with the seeds `SEED..SEED + SWEEP_SEEDS`.
pub const SWEEP_SEEDS: u64 = 20;
/// The time-based strategies each party plays in turn (red-line aware), without a mediator.
pub const STRATEGIES: [(&str, &str); 3] = [
    ("Boulware", "redline:boulware"),
    ("Linear", "redline:linear"),
    ("Conceder", "redline:conceder"),
];
/// The strategy the parties play under the mediator.
pub const MEDIATED_STRATEGY: &str = "redline:linear";

/// One modelled negotiation (`result.negotiation.runs[]`; the trace is left out of JSON).
#[derive(Debug, Clone, Serialize)]
pub struct NegotiationRun {
    /// The strategy in words (`Boulware`).
    pub label: String,
    /// `alternating_offers` or `mediated`.
    pub protocol: &'static str,
    /// The mediator's algorithm, for the mediated protocol.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediator: Option<String>,
    /// The deadline in rounds.
    pub rounds: u32,
    /// The seed.
    pub seed: u64,
    /// `{party id: agent}`.
    pub agents: IndexMap<String, String>,
    pub agreed: bool,
    /// `{issue: value}` of the agreement.
    pub agreement: Option<IndexMap<String, String>>,
    /// How it ended.
    pub end: redline_negotiate::EndReason,
    /// The round it ended in.
    pub round: u32,
    /// `{party id: utility}`.
    pub utilities: IndexMap<String, f64>,
    pub metrics: Metrics,
    #[serde(skip)]
    pub result: NegotiationResult,
    #[serde(skip)]
    pub trace: Trace,
}

/// The smallest, middle and largest of some values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    pub min: f64,
    /// The median (the mean of the two middle values for an even count).
    pub median: f64,
    pub max: f64,
}

impl Spread {
    /// `None` for no values.
    pub fn of(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut v = values.to_vec();
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Some(Spread {
            min: v[0],
            median,
            max: v[n - 1],
        })
    }
}

/// One configuration over many seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedSweep {
    /// The configuration's label, as in [`NegotiationRun::label`].
    pub label: String,
    pub first_seed: u64,
    pub seeds: u64,
    /// Runs that reached an agreement.
    pub agreed: u64,
    /// Whether every seed gave the same result (the agents and protocol drew nothing at random
    /// that mattered).
    pub identical: bool,
    /// `{party id: spread}` of what the agreed runs give each party (discounted as the parties
    /// get it).
    pub utilities: IndexMap<String, Spread>,
    /// Whether discounting lowered what some agreed run gives a party.
    pub discounted: bool,
    /// Distances of the agreed runs to the Nash deal (undiscounted).
    pub nash_distance: Option<Spread>,
    /// Agreed runs whose agreement breaks some party's red line.
    pub breaking_red_lines: u64,
}

/// In how many of some seeds a statement holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeedCount {
    pub count: u64,
    pub of: u64,
}

/// The parameters of the modelled negotiations (`analyze --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct ModelledParams {
    pub rounds: u32,
    pub seed: u64,
    pub sweep_seeds: u64,
    pub strategies: Vec<&'static str>,
    pub mediated_strategy: &'static str,
    /// Whether the mediator has interests of its own (the scenario gives it a utility), so that
    /// it proposes the best for itself of the texts it draws.
    pub mediator_interests: bool,
}

/// What `analyze` reports about negotiations.
#[derive(Debug, Clone, Serialize)]
pub struct ModelledNegotiations {
    pub params: ModelledParams,
    /// The runs shown in full (seed [`SEED`]), one per configuration.
    pub runs: Vec<NegotiationRun>,
    /// Every configuration over [`SWEEP_SEEDS`] seeds, in the order of `runs`.
    pub sweeps: Vec<SeedSweep>,
    /// Seeds in which the mediated deal is closer to the Nash deal than every agreement reached
    /// without a mediator with the same seed (over the seeds where both agreed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mediated_closer: Option<SeedCount>,
}

struct Config {
    label: String,
    protocol_name: &'static str,
    mediator: Option<String>,
    protocol: Protocol,
    strategy: &'static str,
}

fn configs() -> Vec<Config> {
    let mut plan: Vec<Config> = STRATEGIES
        .iter()
        .map(|(label, s)| Config {
            label: label.to_string(),
            protocol_name: "alternating_offers",
            mediator: None,
            protocol: Protocol::Sao(SaoConfig::with_rounds(ROUNDS)),
            strategy: s,
        })
        .collect();
    plan.push(Config {
        label: "Mediated".to_string(),
        protocol_name: "mediated",
        mediator: Some("hill climbing".to_string()),
        protocol: Protocol::Mediated(MediatedConfig {
            rounds: ROUNDS,
            mediator: MediatorKind::HillClimbing,
            ..MediatedConfig::default()
        }),
        strategy: MEDIATED_STRATEGY,
    });
    plan
}

/// Runs the modelled negotiations of a scenario whose deal lens gave `deal`.
pub fn modelled(sc: &Scenario, deal: &DealResult) -> Result<ModelledNegotiations, Error> {
    let fail = |e: &dyn std::fmt::Display| Error::Failed(e.to_string());
    let lowered = redline_negotiate::scenario::lower(sc).map_err(|e| fail(&e))?;
    let reference = redline_negotiate::scenario::reference_from(deal);
    let domain = IndexedDomain::build(lowered.domain.clone()).map_err(|e| fail(&e))?;
    let parties: Vec<String> = lowered
        .domain
        .parties
        .iter()
        .map(|p| p.id.clone())
        .collect();
    let mut runs = Vec::new();
    let mut sweeps = Vec::new();
    // Per configuration, per seed: the Nash distance of an agreement.
    let mut distances: Vec<Vec<Option<f64>>> = Vec::new();
    for c in configs() {
        let s = Strategy::parse(c.strategy).map_err(|e| fail(&e))?;
        let factories: Vec<&dyn AgentFactory> =
            parties.iter().map(|_| &s as &dyn AgentFactory).collect();
        let (result, trace) =
            redline_negotiate::negotiate_traced(&domain, &factories, &c.protocol, SEED)
                .map_err(|e| fail(&e))?;
        let metrics =
            Metrics::of(&result, Some(&reference)).with_breaches(domain.domain(), result.agreement);
        let mut results: Vec<(NegotiationResult, Metrics)> =
            vec![(result.clone(), metrics.clone())];
        for seed in SEED + 1..SEED + SWEEP_SEEDS {
            let r = redline_negotiate::negotiate(&domain, &factories, &c.protocol, seed)
                .map_err(|e| fail(&e))?;
            let m = Metrics::of(&r, Some(&reference)).with_breaches(domain.domain(), r.agreement);
            results.push((r, m));
        }
        let agreed: Vec<&(NegotiationResult, Metrics)> =
            results.iter().filter(|(r, _)| r.agreed()).collect();
        sweeps.push(SeedSweep {
            label: c.label.clone(),
            first_seed: SEED,
            seeds: SWEEP_SEEDS,
            agreed: agreed.len() as u64,
            identical: results.iter().all(|(r, _)| *r == results[0].0),
            utilities: parties
                .iter()
                .enumerate()
                .filter_map(|(p, id)| {
                    let u: Vec<f64> = agreed.iter().map(|(r, _)| r.utilities[p]).collect();
                    Spread::of(&u).map(|s| (id.clone(), s))
                })
                .collect(),
            discounted: agreed.iter().any(|(r, _)| {
                r.undiscounted.len() == r.utilities.len()
                    && r.utilities
                        .iter()
                        .zip(&r.undiscounted)
                        .any(|(u, v)| (u - v).abs() > 1e-12)
            }),
            nash_distance: Spread::of(
                &agreed
                    .iter()
                    .filter_map(|(_, m)| m.nash_distance)
                    .collect::<Vec<_>>(),
            ),
            breaking_red_lines: agreed
                .iter()
                .filter(|(_, m)| m.red_line_breaches > 0)
                .count() as u64,
        });
        distances.push(
            results
                .iter()
                .map(|(r, m)| if r.agreed() { m.nash_distance } else { None })
                .collect(),
        );
        runs.push(NegotiationRun {
            label: c.label,
            protocol: c.protocol_name,
            mediator: c.mediator,
            rounds: ROUNDS,
            seed: SEED,
            agents: parties.iter().map(|p| (p.clone(), s.to_string())).collect(),
            agreed: result.agreed(),
            agreement: result.agreement.and_then(|o| {
                lowered.labels(o).map(|l| {
                    l.into_iter()
                        .map(|(i, v)| (i.to_string(), v.to_string()))
                        .collect::<IndexMap<_, _>>()
                })
            }),
            end: result.end,
            round: result.round,
            utilities: parties
                .iter()
                .cloned()
                .zip(result.utilities.iter().copied())
                .collect(),
            metrics,
            result,
            trace,
        });
    }
    let mediated_closer = mediated_closer(&runs, &distances);
    Ok(ModelledNegotiations {
        params: ModelledParams {
            rounds: ROUNDS,
            seed: SEED,
            sweep_seeds: SWEEP_SEEDS,
            strategies: STRATEGIES.iter().map(|(_, s)| *s).collect(),
            mediated_strategy: MEDIATED_STRATEGY,
            mediator_interests: domain.domain().mediator.is_some(),
        },
        runs,
        sweeps,
        mediated_closer,
    })
}

/// Over the seeds where the mediated run and at least one unmediated run agreed: in how many is
/// the mediated deal strictly closer to the Nash deal than every unmediated agreement?
fn mediated_closer(runs: &[NegotiationRun], distances: &[Vec<Option<f64>>]) -> Option<SeedCount> {
    let med = runs.iter().position(|r| r.protocol == "mediated")?;
    let sao: Vec<usize> = (0..runs.len())
        .filter(|&i| runs[i].protocol == "alternating_offers")
        .collect();
    let (mut count, mut of) = (0, 0);
    for (seed, dm) in distances[med].iter().enumerate() {
        let Some(dm) = *dm else {
            continue;
        };
        let best = sao
            .iter()
            .filter_map(|&i| distances[i][seed])
            .fold(f64::INFINITY, f64::min);
        if best.is_finite() {
            of += 1;
            if dm + 1e-9 < best {
                count += 1;
            }
        }
    }
    (of > 0).then_some(SeedCount { count, of })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads() {
        assert_eq!(Spread::of(&[]), None);
        let s = Spread::of(&[3.0, 1.0, 2.0]).unwrap();
        assert_eq!((s.min, s.median, s.max), (1.0, 2.0, 3.0));
        assert_eq!(Spread::of(&[4.0, 1.0, 2.0, 3.0]).unwrap().median, 2.5);
    }
}

// ---------------------------------------------------------------------------------------------
// `negotiate`: one negotiation, traced.

/// Parses agent names (`boulware`, `redline:conceder`, …); an empty list or name is bad input.
pub fn parse_agents<S: AsRef<str>>(names: &[S]) -> Result<Vec<Strategy>, Error> {
    if names.is_empty() || names.iter().any(|n| n.as_ref().trim().is_empty()) {
        return Err(Error::bad(
            "--agents needs a comma-separated list of agent names",
            None,
        ));
    }
    names
        .iter()
        .map(|n| Strategy::parse(n.as_ref()).map_err(|e| Error::bad(e.to_string(), None)))
        .collect()
}

/// A mediator as users name it: `hill-climbing`, or `annealing[:temperature]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MediatorSpec(pub MediatorKind);

impl std::str::FromStr for MediatorSpec {
    type Err = Error;

    fn from_str(m: &str) -> Result<Self, Error> {
        let lower = m.trim().to_ascii_lowercase();
        let kind = match lower.split_once(':') {
            None if lower == "hill-climbing" || lower == "hill_climbing" => {
                MediatorKind::HillClimbing
            }
            None if lower == "annealing" => MediatorKind::Annealing { temperature: 1.0 },
            Some(("annealing", t)) => match t.parse::<f64>() {
                Ok(temperature) if temperature.is_finite() && temperature > 0.0 => {
                    MediatorKind::Annealing { temperature }
                }
                _ => {
                    return Err(Error::bad(
                        format!("--mediator {m}: the temperature must be a number > 0"),
                        None,
                    ));
                }
            },
            _ => {
                return Err(Error::bad(
                    format!(
                        "unknown mediator `{m}`: expected hill-climbing or annealing[:temperature]"
                    ),
                    None,
                ));
            }
        };
        Ok(MediatorSpec(kind))
    }
}

/// The protocol for `rounds` and an optional mediator.
pub fn protocol(rounds: u32, mediator: Option<MediatorSpec>) -> Result<Protocol, Error> {
    if rounds == 0 {
        return Err(Error::bad("--rounds must be at least 1", None));
    }
    let Some(MediatorSpec(kind)) = mediator else {
        return Ok(Protocol::Sao(SaoConfig::with_rounds(rounds)));
    };
    let p = Protocol::Mediated(MediatedConfig {
        rounds,
        mediator: kind,
        ..MediatedConfig::default()
    });
    p.validate().map_err(|e| Error::bad(e.to_string(), None))?;
    Ok(p)
}

/// A scenario lowered for negotiation, indexed, with the deal lens's reference.
#[derive(Debug)]
pub struct Prepared {
    pub lowered: redline_negotiate::Lowered,
    pub domain: IndexedDomain,
    pub reference: redline_negotiate::Reference,
}

impl Prepared {
    /// The negotiating parties' ids, in turn order.
    pub fn party_ids(&self) -> Vec<&str> {
        self.lowered
            .domain
            .parties
            .iter()
            .map(|x| x.id.as_str())
            .collect()
    }
}

/// Lowers a scenario for negotiation; one without a negotiation (no issues, fewer than two
/// parties with utilities) is bad input.
pub fn prepare(sc: &Scenario) -> Result<Prepared, Error> {
    if !redline_deal::has_deal_view(sc) {
        return Err(Error::bad(
            format!("scenario `{}` has nothing to negotiate", sc.id),
            Some("it needs [[issues]] and a [utilities.<party>] table per party".into()),
        ));
    }
    let cannot = |e: &dyn std::fmt::Display| {
        Error::bad(
            format!("scenario `{}` cannot be negotiated: {e}", sc.id),
            None,
        )
    };
    let lowered = redline_negotiate::scenario::lower(sc).map_err(|e| cannot(&e))?;
    let reference = redline_negotiate::scenario::reference(&lowered)
        .map_err(|e| Error::Failed(format!("deal lens: {e}")))?;
    let domain = IndexedDomain::build(lowered.domain.clone()).map_err(|e| cannot(&e))?;
    Ok(Prepared {
        lowered,
        domain,
        reference,
    })
}

/// What `negotiate` runs. The serde form is the `params` of `redline negotiate --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct NegotiateParams {
    /// One agent per party, in party order.
    #[serde(serialize_with = "agent_names")]
    pub agents: Vec<Strategy>,
    pub rounds: u32,
    pub seed: u64,
    pub protocol: Protocol,
}

fn agent_names<S: serde::Serializer>(agents: &[Strategy], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(agents.iter().map(ToString::to_string))
}

/// How a negotiation ended.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub agreed: bool,
    /// `{issue: value}` of the agreement.
    pub agreement: Option<IndexMap<String, String>>,
    /// How it ended (`agreement`, `deadline`, `ended`).
    pub end: redline_negotiate::EndReason,
    pub round: u32,
    pub time: f64,
    /// `{party: utility}`: discounted agreement utilities, or reservation values.
    pub utilities: IndexMap<String, f64>,
}

/// The `result` of `redline negotiate --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct NegotiateOutput {
    /// Party ids in turn order, with the agent playing each.
    pub parties: IndexMap<String, String>,
    pub outcome: Outcome,
    pub metrics: Metrics,
    /// The Pareto frontier and the Nash point the metrics measure against (deal lens).
    pub reference: redline_negotiate::Reference,
    /// The breakdown risk the utilities are expected values under, when the scenario has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<BreakdownApplied>,
    /// Every step, with `outcome` the deal lens's outcome index (as `index` in `redline deal`:
    /// one index space over every combination of issue values).
    #[serde(rename = "trace")]
    pub steps: Vec<TraceStep>,
    /// The engine's trace, over its own (linkage-feasible) outcome ids (not serialised).
    #[serde(skip)]
    pub trace: Trace,
    /// The engine's result (not serialised: `outcome` carries it in words).
    #[serde(skip)]
    pub result: NegotiationResult,
}

/// How the breakdown risk entered one negotiation's utilities.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownApplied {
    pub id: String,
    pub per_round: f64,
    /// `{party: utility of the breakdown}`.
    pub utilities: IndexMap<String, f64>,
    /// Rounds that passed without agreement, each carrying the risk.
    pub risky_rounds: u32,
    /// The probability that no breakdown happened in them.
    pub survival: f64,
}

/// One step of a negotiation's trace in the deal lens's index space.
#[derive(Debug, Clone, Serialize)]
pub struct TraceStep {
    pub round: u32,
    /// The acting party's position; `null` for the mediator.
    pub party: Option<usize>,
    pub action: redline_negotiate::TraceAction,
    /// The deal lens's outcome index, if the step concerns an outcome.
    pub outcome: Option<u64>,
    /// Every party's undiscounted utility of that outcome.
    pub utilities: Vec<f64>,
}

fn steps(lowered: &redline_negotiate::Lowered, trace: &Trace) -> Vec<TraceStep> {
    trace
        .events
        .iter()
        .map(|e| TraceStep {
            round: e.round,
            party: e.party,
            action: e.action,
            outcome: e
                .outcome
                .and_then(|o| lowered.deal_index.get(o as usize))
                .map(|&d| d as u64),
            utilities: e.utilities.clone(),
        })
        .collect()
}

/// The outcome of `r` in the scenario's words.
pub fn outcome(lowered: &redline_negotiate::Lowered, r: &NegotiationResult) -> Outcome {
    Outcome {
        agreed: r.agreed(),
        agreement: r.agreement.and_then(|o| {
            lowered.labels(o).map(|l| {
                l.into_iter()
                    .map(|(i, v)| (i.to_string(), v.to_string()))
                    .collect()
            })
        }),
        end: r.end,
        round: r.round,
        time: r.time,
        utilities: lowered
            .domain
            .parties
            .iter()
            .map(|p| p.id.clone())
            .zip(r.utilities.iter().copied())
            .collect(),
    }
}

/// Runs one traced negotiation on a prepared scenario.
pub fn negotiate(
    sc: &Scenario,
    p: &Prepared,
    params: &NegotiateParams,
    control: &Control<'_>,
) -> Result<NegotiateOutput, Error> {
    let parties = p.party_ids();
    if params.agents.len() != parties.len() {
        return Err(Error::bad(
            format!(
                "{} agents given for the {} parties of `{}` ({}); give one per party, in that order",
                params.agents.len(),
                parties.len(),
                sc.id,
                parties.join(", ")
            ),
            None,
        ));
    }
    // The whole trace is kept, so its size is checked before the negotiation starts.
    control.check_memory(
        format!(
            "a traced negotiation of {} rounds",
            params.protocol.rounds()
        ),
        params.protocol.trace_bytes(parties.len()),
        "lower --rounds",
    )?;
    let factories: Vec<&dyn AgentFactory> = params
        .agents
        .iter()
        .map(|s| s as &dyn AgentFactory)
        .collect();
    let (result, trace) =
        redline_negotiate::negotiate_traced(&p.domain, &factories, &params.protocol, params.seed)
            .map_err(|e| Error::Failed(format!("negotiation: {e}")))?;
    let metrics =
        Metrics::of(&result, Some(&p.reference)).with_breaches(p.domain.domain(), result.agreement);
    let breakdown = match (&sc.breakdown, &p.domain.domain().breakdown) {
        (Some(b), Some(d)) => {
            let risky_rounds = result.risky_rounds();
            Some(BreakdownApplied {
                id: b.id.clone(),
                per_round: d.per_round,
                utilities: parties
                    .iter()
                    .map(|x| x.to_string())
                    .zip(d.utilities.iter().copied())
                    .collect(),
                risky_rounds,
                survival: d.survival(risky_rounds),
            })
        }
        _ => None,
    };
    Ok(NegotiateOutput {
        breakdown,
        parties: parties
            .iter()
            .map(|x| x.to_string())
            .zip(params.agents.iter().map(ToString::to_string))
            .collect(),
        outcome: outcome(&p.lowered, &result),
        metrics,
        reference: p.reference.clone(),
        steps: steps(&p.lowered, &trace),
        trace,
        result,
    })
}
