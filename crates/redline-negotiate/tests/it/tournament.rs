//! Tournaments: determinism across thread counts, shards and merges.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use redline_negotiate::{
    AgentFactory, ExactSum, NegotiateError, Protocol, RunOptions, SaoConfig, Shard, Strategy,
    Tournament, TournamentConfig, TournamentDomain, TournamentResult, merge,
};

use crate::common::{brute_force_reference, england_zimbabwe, published_reference};
use crate::properties::{protocol, random_domain, strategy};

fn with_threads<T: Send>(threads: usize, f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(f)
}

fn agents(names: &[&str]) -> Vec<Arc<dyn AgentFactory>> {
    names
        .iter()
        .map(|n| Arc::new(Strategy::parse(n).unwrap()) as Arc<dyn AgentFactory>)
        .collect()
}

fn run(t: &Tournament, shard: Shard, keep: bool) -> TournamentResult {
    t.run(&RunOptions {
        shard,
        keep_records: keep,
        progress: None,
    })
    .unwrap()
}

#[test]
fn england_zimbabwe_tournament() {
    let domain = TournamentDomain {
        domain: england_zimbabwe(),
        reference: Some(published_reference("EnglandZimbabwe")),
    };
    let t = Tournament::new(
        agents(&["boulware", "conceder", "linear", "random", "tit-for-tat"]),
        vec![domain],
        TournamentConfig {
            protocol: Protocol::Sao(SaoConfig::with_rounds(100)),
            repetitions: 3,
            seed: 11,
            self_play: false,
        },
    )
    .unwrap();
    assert_eq!(t.len(), 5 * 4 * 3);
    let progress = AtomicU64::new(0);
    let r = t
        .run(&RunOptions {
            shard: Shard::ALL,
            keep_records: true,
            progress: Some(&progress),
        })
        .unwrap();
    assert_eq!(progress.load(Ordering::Relaxed), t.len());
    assert!(r.is_complete());
    assert_eq!(r.records.len() as u64, t.len());
    for (i, rec) in r.records.iter().enumerate() {
        assert_eq!(rec.index, i as u64);
        let spec = t.spec(rec.index).unwrap();
        assert_eq!((rec.agents.clone(), rec.seed), (spec.agents, spec.seed));
        assert_eq!(rec.agreed, rec.agreement.is_some());
        assert!((rec.metrics.welfare - rec.utilities.iter().sum::<f64>()).abs() < 1e-12);
        // Every final utility vector lies on or below the frontier.
        assert!(rec.metrics.pareto_distance.unwrap() >= 0.0);
    }
    // The Boulware-Conceder pairing is the reference negotiation, whatever the repetition.
    let bc = r.records.iter().find(|rec| rec.agents == [0, 1]).unwrap();
    assert!((bc.utilities[1] - 0.4503).abs() < 5e-5);
    let nash = published_reference("EnglandZimbabwe").nash.unwrap();
    let expected = ((1.0 - nash[0]).powi(2) + (bc.utilities[1] - nash[1]).powi(2)).sqrt();
    assert!((bc.metrics.nash_distance.unwrap() - expected).abs() < 1e-12);
    // Aggregates are the means of the records.
    let summary = r.summary();
    for (a, row) in summary.iter().take(5).enumerate() {
        let seats: Vec<f64> = r
            .records
            .iter()
            .flat_map(|rec| {
                rec.agents
                    .iter()
                    .zip(&rec.utilities)
                    .filter(|(x, _)| **x == a)
                    .map(|(_, u)| *u)
            })
            .collect();
        assert_eq!(row.negotiations, seats.len() as u64);
        let mean = seats.iter().sum::<f64>() / seats.len() as f64;
        assert!((row.mean_utility.unwrap() - mean).abs() < 1e-9, "{row:?}");
    }
    assert_eq!(summary.last().unwrap().negotiations, t.len());
    let json = serde_json::to_string(&r).unwrap();
    let back: TournamentResult = serde_json::from_str(&json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn merging_checks_its_inputs() {
    let t = Tournament::new(
        agents(&["boulware", "conceder", "random"]),
        vec![TournamentDomain {
            domain: england_zimbabwe(),
            reference: None,
        }],
        TournamentConfig::default(),
    )
    .unwrap();
    let shard = |k| run(&t, Shard::new(k, 3).unwrap(), true);
    let (a, b, c) = (shard(0), shard(1), shard(2));
    assert!(merge([a.clone(), b.clone()]).is_err());
    assert!(merge([a.clone(), b.clone(), b.clone()]).is_err());
    assert!(merge(Vec::new()).is_err());
    let mut other = c.clone();
    other.fingerprint ^= 1;
    assert!(matches!(
        merge([a.clone(), b.clone(), other]),
        Err(NegotiateError::Merge { .. })
    ));
    // Bounds are part of the tournament's identity: a shard claiming wider ones is another's.
    let mut wide = c.clone();
    wide.bounds.max_utility = 1e30;
    wide.validate().unwrap();
    assert!(matches!(
        merge([a.clone(), b.clone(), wide]),
        Err(NegotiateError::Merge { parts, .. }) if parts == [0, 2]
    ));
    let merged = merge([c, a, b]).unwrap();
    assert_eq!(merged, run(&t, Shard::ALL, true));
}

/// One way to tamper with a result, and a word its error must contain.
type Tamper = (&'static str, fn(&mut TournamentResult));

#[test]
fn tampered_results_are_refused_and_blamed() {
    let t = Tournament::new(
        agents(&["boulware", "conceder", "random"]),
        vec![TournamentDomain {
            domain: england_zimbabwe(),
            reference: Some(published_reference("EnglandZimbabwe")),
        }],
        TournamentConfig::default(),
    )
    .unwrap();
    let cases: Vec<Tamper> = vec![
        ("agreements", |r| r.overall.agreements = 106),
        ("agreements", |r| r.agent_stats[1].agreements += 100),
        ("walk", |r| r.overall.walkaways = r.overall.negotiations),
        ("breaches", |r| {
            r.overall.breaches = r.overall.agreements + 1
        }),
        ("rounds", |r| r.agent_stats[0].rounds = u64::MAX),
        ("rounds", |r| r.overall.rounds = 0),
        ("negotiations", |r| r.overall.negotiations = u64::MAX),
        ("negotiations", |r| r.negotiations += 1),
        ("negotiations", |r| r.total = u64::MAX),
        ("utility", |r| {
            let mut s = ExactSum::default();
            s.add(1e12);
            r.agent_stats[0].utility = s;
        }),
        ("utility", |r| {
            let mut s = ExactSum::default();
            s.add(-1.0);
            r.overall.utility = s;
        }),
        ("agreed_utility", |r| {
            r.overall.agreed_utility = r.overall.utility;
            r.overall.agreements = 0;
            r.overall.breaches = 0;
        }),
        ("pareto_count", |r| r.overall.pareto_count += 1_000),
        ("per-agent table", |r| {
            r.agent_stats.pop();
        }),
        ("per-agent", |r| r.agent_stats[2].negotiations += 1),
        ("bounds", |r| r.bounds.max_utility = f64::NAN),
        ("bounds", |r| r.bounds.min_parties = 0),
        ("out of range", |r| r.shard.count = 0),
        ("record", |r| r.records[0].index += 1),
        ("record", |r| r.records[1].utilities[0] = f64::INFINITY),
        ("record", |r| r.records[1].round = 0),
        ("ascending", |r| {
            let first = r.records[0].clone();
            r.records[1] = first;
        }),
        ("aggregates are not those of its records", |r| {
            let r0 = &mut r.records[0];
            r0.round = if r0.round == 1 { 2 } else { 1 };
        }),
        ("records", |r| {
            r.records.pop();
        }),
        ("records_kept", |r| r.records_kept = false),
    ];
    let parts: Vec<TournamentResult> = (0..3)
        .map(|k| run(&t, Shard::new(k, 3).unwrap(), true))
        .collect();
    for p in &parts {
        p.validate().unwrap();
    }
    for (i, (needle, tamper)) in cases.iter().enumerate() {
        let mut bad = parts.clone();
        tamper(&mut bad[1]);
        let err = bad[1].validate().expect_err(needle).to_string();
        assert!(err.contains(needle), "case {i}: `{needle}` not in: {err}");
        match merge(bad) {
            Err(NegotiateError::Merge { parts, reason }) => {
                assert_eq!(parts, [1], "case {i}: {reason}");
                assert!(reason.contains(needle), "case {i}: {reason}");
            }
            other => panic!("case {i} ({needle}) merged: {other:?}"),
        }
    }
    // Duplicates and gaps name the parts at fault.
    let dup = vec![parts[0].clone(), parts[1].clone(), parts[1].clone()];
    assert!(matches!(merge(dup), Err(NegotiateError::Merge { parts, .. }) if parts == [1, 2]));
    let missing = vec![parts[0].clone(), parts[2].clone()];
    assert!(
        matches!(merge(missing), Err(NegotiateError::Merge { reason, .. }) if reason.contains("1/3 is missing"))
    );
    // Without records, the aggregates are still checked.
    let mut lean = parts.clone();
    for p in &mut lean {
        p.records.clear();
        p.records_kept = false;
        p.validate().unwrap();
    }
    lean[2].overall.agreements = lean[2].overall.negotiations + 1;
    assert!(matches!(merge(lean), Err(NegotiateError::Merge { parts, .. }) if parts == [2]));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Results are identical for 1 and N threads, and the shards of any split merge back into
    /// exactly the single run, aggregates included.
    #[test]
    fn shards_and_threads_do_not_change_results(
        domain_seeds in proptest::collection::vec(any::<u64>(), 1..=2),
        outcomes in 1usize..=36,
        picks in proptest::collection::vec(0u8..16, 2..=4),
        proto in 0u8..3,
        rounds in 1u32..=30,
        repetitions in 1u32..=3,
        seed in any::<u64>(),
        shards in 1u64..=5,
        keep in any::<bool>(),
    ) {
        let domains = domain_seeds
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let d = random_domain(s, 2 + i, outcomes);
                let reference = Some(brute_force_reference(&d));
                TournamentDomain { domain: Arc::new(d), reference }
            })
            .collect();
        let agents: Vec<Arc<dyn AgentFactory>> = picks
            .iter()
            .map(|&p| Arc::new(strategy(p)) as Arc<dyn AgentFactory>)
            .collect();
        let t = Tournament::new(
            agents,
            domains,
            TournamentConfig { protocol: protocol(proto, rounds), repetitions, seed, self_play: true },
        )
        .unwrap();
        let single = with_threads(1, || run(&t, Shard::ALL, keep));
        let parallel = with_threads(3, || run(&t, Shard::ALL, keep));
        prop_assert_eq!(&single, &parallel);
        let parts: Vec<TournamentResult> = (0..shards)
            .rev()
            .map(|k| with_threads(2, || run(&t, Shard::new(k, shards).unwrap(), keep)))
            .collect();
        for p in &parts {
            prop_assert!(p.validate().is_ok(), "{:?}", p.validate());
        }
        let merged = merge(parts).unwrap();
        prop_assert!(merged.validate().is_ok(), "{:?}", merged.validate());
        prop_assert!(single.validate().is_ok(), "{:?}", single.validate());
        prop_assert_eq!(&merged, &single);
        prop_assert_eq!(merged.summary(), single.summary());
    }
}
