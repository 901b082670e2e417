//! Checking a tournament result against the invariants every run satisfies.
//!
//! A shard file is input like any other: edited by hand, truncated, or tampered with. Merging it
//! unchecked sums its numbers into a plausible-looking wrong result (106 agreements in 8
//! negotiations, a mean utility of 10^12). [`TournamentResult::validate`] refuses any result that
//! no run can have produced: counts that contradict each other or the shard's share of the
//! tournament, sums outside what the counts and the [`Bounds`] allow, incomplete tables, and
//! records outside the shard, repeated, or not adding up to the aggregates.

use crate::result::EndReason;
use crate::stats::{ExactSum, Stats};
use crate::tournament::{Bounds, TournamentResult, count};
use crate::{NegotiateError, NegotiationRecord};

/// Relative slack for sums of floats: far above the rounding of the fixed-point sums (2⁻⁴⁹ per
/// term) and of a welfare (a few ulps), far below any tampering worth the name.
const SLACK: f64 = 1e-9;

impl TournamentResult {
    /// Checks that this result is one that [`Tournament::run`](crate::Tournament::run) can have
    /// produced for its shard:
    /// - the shard is in range, and `negotiations` is its share of `total`;
    /// - there is one aggregate row per agent, and the overall row counts `negotiations`;
    /// - in every row, agreements, walk-aways, breaches and distance counts fit in the
    ///   negotiations, the rounds lie between 1 and the deadline per negotiation, and every sum
    ///   lies within what its count allows (`count × [min_utility, max_utility]` for utilities);
    /// - the per-agent rows add up to the overall row (one seat per party of each negotiation);
    /// - the bounds are finite and sane;
    /// - records are present only when kept, and then one per negotiation of the shard, by strictly
    ///   ascending index, each well-formed and within the bounds, and they add up exactly to the
    ///   aggregates.
    pub fn validate(&self) -> Result<(), NegotiateError> {
        check(self).map_err(|reason| NegotiateError::InvalidResult {
            shard: self.shard,
            reason,
        })
    }
}

fn check(r: &TournamentResult) -> Result<(), String> {
    let shard = r.shard;
    if shard.count == 0 || shard.index >= shard.count {
        return Err(format!(
            "shard {shard} is out of range: need count >= 1 and index < count"
        ));
    }
    if r.total == 0 {
        return Err("total is 0: a tournament has at least one negotiation".into());
    }
    let share = shard.len_of(r.total);
    if r.negotiations != share {
        return Err(format!(
            "it counts {} negotiations, but shard {shard} of a tournament of {} negotiations has {share}",
            r.negotiations, r.total
        ));
    }
    if r.agent_names.is_empty() {
        return Err("it names no agents".into());
    }
    if r.domain_names.is_empty() {
        return Err("it names no domains".into());
    }
    if r.agent_stats.len() != r.agent_names.len() {
        return Err(format!(
            "the per-agent table (agent_stats) has {} rows for {} agents",
            r.agent_stats.len(),
            r.agent_names.len()
        ));
    }
    let b = &r.bounds;
    check_bounds(b)?;
    if r.overall.negotiations != r.negotiations {
        return Err(format!(
            "the overall table counts {} negotiations, the result {}",
            r.overall.negotiations, r.negotiations
        ));
    }
    let utility = (b.min_utility, b.max_utility);
    let parties = b.max_parties as f64;
    let welfare = (parties * b.min_utility, parties * b.max_utility);
    let limits = Limits {
        rounds: b.rounds,
        utility,
        welfare,
        distance: b.max_distance(),
    };
    check_stats(&r.overall, &limits).map_err(|e| format!("overall: {e}"))?;
    for (s, name) in r.agent_stats.iter().zip(&r.agent_names) {
        check_stats(s, &limits).map_err(|e| format!("agent {name:?}: {e}"))?;
    }
    check_seats(r)?;
    check_records(r)
}

fn check_bounds(b: &Bounds) -> Result<(), String> {
    if b.min_parties < 2 || b.max_parties < b.min_parties {
        return Err(format!(
            "bounds: {} to {} parties per domain (need 2 <= min_parties <= max_parties)",
            b.min_parties, b.max_parties
        ));
    }
    if b.rounds == 0 {
        return Err("bounds: a deadline of 0 rounds".into());
    }
    if !(b.min_utility.is_finite() && b.max_utility.is_finite()) {
        return Err("bounds: the utility range is not finite".into());
    }
    if !(b.min_utility <= 0.0 && b.max_utility >= 0.0) {
        return Err(format!(
            "bounds: the utility range [{}, {}] does not contain 0",
            b.min_utility, b.max_utility
        ));
    }
    Ok(())
}

/// What one counted negotiation can add to a row of aggregates.
struct Limits {
    rounds: u32,
    utility: (f64, f64),
    welfare: (f64, f64),
    distance: f64,
}

fn check_stats(s: &Stats, l: &Limits) -> Result<(), String> {
    let n = s.negotiations;
    if s.agreements > n {
        return Err(format!("{} agreements in {n} negotiations", s.agreements));
    }
    if s.walkaways > n - s.agreements {
        return Err(format!(
            "{} walk-aways and {} agreements in {n} negotiations",
            s.walkaways, s.agreements
        ));
    }
    if s.breaches > s.agreements {
        return Err(format!(
            "{} red-line breaches in {} agreements",
            s.breaches, s.agreements
        ));
    }
    for (name, c) in [
        ("pareto_count", s.pareto_count),
        ("nash_count", s.nash_count),
    ] {
        if c > n {
            return Err(format!("{name} is {c}, above its {n} negotiations"));
        }
    }
    let (lo, hi) = (u128::from(n), u128::from(n) * u128::from(l.rounds));
    if !(lo..=hi).contains(&u128::from(s.rounds)) {
        return Err(format!(
            "rounds sum to {} over {n} negotiations, outside [{lo}, {hi}] (each ends in a round from 1 to {})",
            s.rounds, l.rounds
        ));
    }
    let a = s.agreements;
    sum("utility", s.utility, (n, "negotiations"), l.utility)?;
    sum(
        "agreed_utility",
        s.agreed_utility,
        (a, "agreements"),
        l.utility,
    )?;
    sum("welfare", s.welfare, (n, "negotiations"), l.welfare)?;
    sum(
        "pareto_distance",
        s.pareto_distance,
        (s.pareto_count, "distances (pareto_count)"),
        (0.0, l.distance),
    )?;
    sum(
        "nash_distance",
        s.nash_distance,
        (s.nash_count, "distances (nash_count)"),
        (0.0, l.distance),
    )
}

/// The slack for a sum of `count` values of magnitude up to `scale`.
fn slack(count: f64, scale: f64) -> f64 {
    count * SLACK * scale.abs().max(1.0)
}

fn sum(
    name: &str,
    s: ExactSum,
    (count, what): (u64, &str),
    (lo, hi): (f64, f64),
) -> Result<(), String> {
    let n = count as f64;
    let tol = slack(n, lo.abs().max(hi.abs()));
    let v = s.value();
    if v >= n * lo - tol && v <= n * hi + tol {
        Ok(())
    } else {
        Err(format!(
            "{name} sums to {} over {count} {what}, outside [{}, {}]",
            num(v),
            num(n * lo),
            num(n * hi)
        ))
    }
}

/// A number for a message: six decimals, or scientific notation when that would hide it.
fn num(x: f64) -> String {
    if x == 0.0 || (1e-3..1e12).contains(&x.abs()) {
        let r = (x * 1e6).round() / 1e6;
        format!("{r}")
    } else {
        format!("{x:e}")
    }
}

/// A counter of [`Stats`], by name.
type Counter = (&'static str, fn(&Stats) -> u64);

/// The per-agent rows count one seat per party of every negotiation in the overall row.
fn check_seats(r: &TournamentResult) -> Result<(), String> {
    let b = &r.bounds;
    let (pmin, pmax) = (u128::from(b.min_parties), u128::from(b.max_parties));
    let o = &r.overall;
    let counters: [Counter; 7] = [
        ("negotiations", |s| s.negotiations),
        ("agreements", |s| s.agreements),
        ("walkaways", |s| s.walkaways),
        ("breaches", |s| s.breaches),
        ("rounds", |s| s.rounds),
        ("pareto_count", |s| s.pareto_count),
        ("nash_count", |s| s.nash_count),
    ];
    for (name, get) in counters {
        let seats: u128 = r.agent_stats.iter().map(|s| u128::from(get(s))).sum();
        let whole = u128::from(get(o));
        if seats < pmin * whole || seats > pmax * whole {
            let range = if pmin == pmax {
                format!("{pmin} parties each, make {}", pmin * whole)
            } else {
                format!(
                    "{pmin} to {pmax} parties each, make {} to {}",
                    pmin * whole,
                    pmax * whole
                )
            };
            return Err(format!(
                "the per-agent rows count {seats} {name}, but the overall row's {whole}, at {range}"
            ));
        }
    }
    let n = o.negotiations as f64;
    let scale = b.min_utility.abs().max(b.max_utility.abs()) * b.max_parties as f64;
    let tol = slack(n * b.max_parties as f64, scale);
    let total =
        |get: fn(&Stats) -> ExactSum| -> f64 { r.agent_stats.iter().map(|s| get(s).value()).sum() };
    let relation = |name: &str, seats: f64, lo: f64, hi: f64| {
        if seats >= lo - tol && seats <= hi + tol {
            Ok(())
        } else {
            let want = if lo == hi {
                num(lo)
            } else {
                format!("{} to {}", num(lo), num(hi))
            };
            Err(format!(
                "{name} add up to {}, but the overall row makes it {want}",
                num(seats)
            ))
        }
    };
    // Every seat's utility is one term of its negotiation's welfare.
    let w = o.welfare.value();
    relation("the per-agent utility", total(|s| s.utility), w, w)?;
    let (pmin, pmax) = (b.min_parties as f64, b.max_parties as f64);
    for (name, get) in [
        (
            "pareto_distance",
            (|s| s.pareto_distance) as fn(&Stats) -> ExactSum,
        ),
        ("nash_distance", |s| s.nash_distance),
    ] {
        let whole = get(o).value();
        relation(
            &format!("the per-agent {name}"),
            total(get),
            pmin * whole,
            pmax * whole,
        )?;
    }
    if b.min_parties == b.max_parties {
        // With one party count, the overall row is the per-agent rows divided by it.
        let p = pmin;
        relation(
            "the overall utility times the parties",
            o.utility.value() * p,
            w,
            w,
        )?;
        for (name, get) in [
            ("welfare", (|s| s.welfare) as fn(&Stats) -> ExactSum),
            ("agreed_utility", |s| s.agreed_utility),
        ] {
            let whole = get(o).value() * p;
            relation(&format!("the per-agent {name}"), total(get), whole, whole)?;
        }
    }
    Ok(())
}

fn check_records(r: &TournamentResult) -> Result<(), String> {
    if !r.records_kept {
        if !r.records.is_empty() {
            return Err(format!(
                "it holds {} records but says they were not kept (records_kept is false)",
                r.records.len()
            ));
        }
        return Ok(());
    }
    if r.records.len() as u64 != r.negotiations {
        return Err(format!(
            "it keeps {} records for {} negotiations",
            r.records.len(),
            r.negotiations
        ));
    }
    let mut agent_stats = vec![Stats::default(); r.agent_names.len()];
    let mut overall = Stats::default();
    let mut previous: Option<u64> = None;
    for rec in &r.records {
        check_record(r, rec).map_err(|e| format!("record {}: {e}", rec.index))?;
        if previous.is_some_and(|p| rec.index <= p) {
            return Err(format!(
                "record {} follows record {}: records must have distinct, ascending indices",
                rec.index,
                previous.unwrap_or_default()
            ));
        }
        previous = Some(rec.index);
        count(rec, &mut agent_stats, &mut overall);
    }
    if agent_stats != r.agent_stats || overall != r.overall {
        return Err("the aggregates are not those of its records".into());
    }
    Ok(())
}

fn check_record(r: &TournamentResult, rec: &NegotiationRecord) -> Result<(), String> {
    let b = &r.bounds;
    if rec.index >= r.total || !r.shard.contains(rec.index) {
        return Err(format!(
            "the index is not one of shard {} of {} negotiations",
            r.shard, r.total
        ));
    }
    if rec.domain >= r.domain_names.len() {
        return Err(format!("domain {} of {}", rec.domain, r.domain_names.len()));
    }
    let p = rec.agents.len();
    if (p as u64) < b.min_parties || p as u64 > b.max_parties {
        return Err(format!(
            "{p} parties, outside the tournament's {} to {}",
            b.min_parties, b.max_parties
        ));
    }
    if rec.utilities.len() != p {
        return Err(format!("{} utilities for {p} parties", rec.utilities.len()));
    }
    if let Some(&a) = rec.agents.iter().find(|&&a| a >= r.agent_names.len()) {
        return Err(format!("agent {a} of {}", r.agent_names.len()));
    }
    if rec.round == 0 || rec.round > b.rounds {
        return Err(format!(
            "it ends in round {}, outside 1 to {}",
            rec.round, b.rounds
        ));
    }
    let consistent = match rec.end {
        EndReason::Agreement => rec.agreed,
        EndReason::Deadline => !rec.agreed,
        EndReason::Ended { party } => !rec.agreed && party < p,
    };
    if rec.agreed != rec.agreement.is_some() || !consistent {
        return Err("its agreement, `agreed` and end reason contradict each other".into());
    }
    let (lo, hi) = (b.min_utility, b.max_utility);
    let tol = slack(1.0, lo.abs().max(hi.abs()));
    if let Some(u) = rec
        .utilities
        .iter()
        .find(|u| !(u.is_finite() && **u >= lo - tol && **u <= hi + tol))
    {
        return Err(format!("utility {u} is outside [{lo}, {hi}]"));
    }
    let m = &rec.metrics;
    let welfare: f64 = rec.utilities.iter().sum();
    if !(m.welfare.is_finite() && (m.welfare - welfare).abs() <= slack(p as f64, welfare)) {
        return Err(format!(
            "welfare {} is not the sum of its utilities ({welfare})",
            m.welfare
        ));
    }
    let d = b.max_distance();
    for (name, x) in [
        ("pareto_distance", m.pareto_distance),
        ("nash_distance", m.nash_distance),
    ] {
        if let Some(x) = x
            && !(x.is_finite() && (0.0..=d + slack(1.0, d)).contains(&x))
        {
            return Err(format!("{name} {x} is outside [0, {d}]"));
        }
    }
    if m.red_line_breaches as usize > p || (!rec.agreed && m.red_line_breaches > 0) {
        return Err(format!(
            "{} red-line breaches with {p} parties{}",
            m.red_line_breaches,
            if rec.agreed { "" } else { " and no agreement" }
        ));
    }
    Ok(())
}
