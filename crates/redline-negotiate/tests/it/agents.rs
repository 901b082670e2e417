//! Behaviour of the built-in agents, checked against direct transcriptions of their definitions.

use fixedbitset::FixedBitSet;
use redline_negotiate::{
    AgentFactory, Domain, IndexedDomain, PartyView, Protocol, SaoConfig, Strategy, TraceAction,
    TraceEvent, negotiate_traced,
};

/// Party 0's utilities are pseudo-random on a grid; party 1 wants the opposite.
fn domain(n: usize, reservation: f64, red_lines: Option<FixedBitSet>) -> IndexedDomain {
    let u: Vec<f64> = (0..n)
        .map(|o| ((o * 37) % n) as f64 / (n - 1) as f64)
        .collect();
    let v: Vec<f64> = u.iter().map(|x| 1.0 - x).collect();
    let mut a = PartyView::new("a", u, reservation);
    a.red_lines = red_lines;
    IndexedDomain::build(Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: "grid".into(),
        outcome_count: n,
        parties: vec![a, PartyView::new("b", v, 0.0)],
        issues: None,
    })
    .unwrap()
}

fn offers(events: &[TraceEvent], party: usize) -> Vec<(u32, u32)> {
    events
        .iter()
        .filter(|e| e.party == Some(party) && e.action == TraceAction::Offer)
        .map(|e| (e.round, e.outcome.unwrap()))
        .collect()
}

/// Brute force: the outcome (among `allowed`) nearest `target`; ties to the higher utility, then
/// the lower id.
fn nearest(u: &[f64], allowed: impl Fn(usize) -> bool, target: f64) -> u32 {
    (0..u.len())
        .filter(|&o| allowed(o))
        .min_by(|&a, &b| {
            (u[a] - target)
                .abs()
                .total_cmp(&(u[b] - target).abs())
                .then(u[b].total_cmp(&u[a]))
                .then(a.cmp(&b))
        })
        .unwrap() as u32
}

fn run(d: &IndexedDomain, a: &Strategy, b: &Strategy, rounds: u32) -> Vec<TraceEvent> {
    let agents: [&dyn AgentFactory; 2] = [a, b];
    let protocol = Protocol::Sao(SaoConfig::with_rounds(rounds));
    negotiate_traced(d, &agents, &protocol, 3).unwrap().1.events
}

#[test]
fn time_based_offers_follow_the_genius_target() {
    let rounds = 50;
    for e in [0.2, 1.0, 2.0, 0.5] {
        let d = domain(101, 0.1, None);
        let events = run(
            &d,
            &Strategy::TimeBased { exponent: e },
            &Strategy::Hardliner,
            rounds,
        );
        let u = &d.domain().parties[0].utilities;
        // P_min = max(worst utility 0, reservation 0.1); P_max = 1.
        let (min, max) = (0.1, 1.0);
        let got = offers(&events, 0);
        assert_eq!(got.len(), rounds as usize, "e = {e}");
        for (round, o) in got {
            let tau = f64::from(round - 1) / f64::from(rounds + 1);
            let target = min + (max - min) * (1.0 - tau.powf(1.0 / e));
            assert_eq!(o, nearest(u, |_| true, target), "e = {e}, round {round}");
        }
    }
}

#[test]
fn red_line_aware_concedes_within_its_red_lines() {
    let n = 101;
    let mut allowed = FixedBitSet::with_capacity(n);
    (0..n)
        .filter(|o| o % 3 != 0)
        .for_each(|o| allowed.insert(o));
    let d = domain(n, 0.2, Some(allowed.clone()));
    let rounds = 40;
    let events = run(
        &d,
        &Strategy::linear().red_line_aware(),
        &Strategy::Hardliner,
        rounds,
    );
    let u = &d.domain().parties[0].utilities;
    let ok = |o: usize| allowed.contains(o) && u[o] >= 0.2;
    let max = (0..n).filter(|&o| ok(o)).map(|o| u[o]).fold(0.0, f64::max);
    let min = (0..n).filter(|&o| ok(o)).map(|o| u[o]).fold(1.0, f64::min);
    for (round, o) in offers(&events, 0) {
        let tau = f64::from(round - 1) / f64::from(rounds + 1);
        let target = min + (max - min) * (1.0 - tau);
        assert_eq!(o, nearest(u, ok, target), "round {round}");
    }
}

#[test]
fn hardliner_and_aspiration() {
    let d = domain(60, 0.0, None);
    let u = &d.domain().parties[0].utilities;
    let best = d.index(0).unwrap().best().unwrap();
    let events = run(&d, &Strategy::Hardliner, &Strategy::Hardliner, 10);
    assert!(offers(&events, 0).iter().all(|&(_, o)| o == best));

    let rounds = 30;
    let events = run(
        &d,
        &Strategy::Aspiration { exponent: 2.0 },
        &Strategy::Hardliner,
        rounds,
    );
    for (round, o) in offers(&events, 0) {
        let tau = f64::from(round - 1) / f64::from(rounds + 1);
        let level = 1.0 - tau.powi(2);
        let want = (0..u.len())
            .filter(|&x| u[x] >= level)
            .min_by(|&a, &b| u[a].total_cmp(&u[b]).then(a.cmp(&b)))
            .unwrap() as u32;
        assert_eq!(o, want, "round {round}");
    }
}

#[test]
fn tit_for_tat_mirrors_the_opponents_concessions() {
    let d = domain(201, 0.0, None);
    let u = &d.domain().parties[0].utilities;
    let events = run(&d, &Strategy::TitForTat, &Strategy::linear(), 60);
    let mine = offers(&events, 0);
    let theirs: Vec<f64> = offers(&events, 1)
        .iter()
        .map(|&(_, o)| u[o as usize])
        .collect();
    assert_eq!(mine[0].1, d.index(0).unwrap().best().unwrap());
    // From its third offer on, TFT aims at its last offer's utility minus the opponent's last
    // concession (measured in its own utility).
    for k in 2..mine.len().min(theirs.len()) {
        let conceded = (theirs[k - 1] - theirs[k - 2]).max(0.0);
        let target = u[mine[k - 1].1 as usize] - conceded;
        assert_eq!(
            mine[k].1,
            nearest(u, |_| true, target.max(0.0)),
            "offer {k}"
        );
    }
}
