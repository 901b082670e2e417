//! Property tests of the invariants users rely on.

use fixedbitset::FixedBitSet;
use proptest::prelude::*;
use redline_negotiate::{
    AgentFactory, Domain, IndexedDomain, Issue, MediatedConfig, MediatorKind, PartyView, Protocol,
    SaoConfig, SeededRng, Strategy, TraceAction, negotiate, negotiate_traced,
};

/// A random domain: utilities on a 1/16 grid (so ties happen), random reservations, and for some
/// parties random red lines. Sometimes with an issue layout.
pub fn random_domain(seed: u64, parties: usize, outcomes: usize) -> IndexedDomain {
    let mut rng = SeededRng::new(seed);
    let issues = if outcomes.is_multiple_of(6) && rng.chance(0.5) {
        Some(vec![
            Issue {
                name: "a".into(),
                values: (0..outcomes / 6).map(|i| format!("a{i}")).collect(),
            },
            Issue {
                name: "b".into(),
                values: (0..6).map(|i| format!("b{i}")).collect(),
            },
        ])
    } else {
        None
    };
    let parties = (0..parties)
        .map(|p| {
            let utilities = (0..outcomes).map(|_| rng.below(17) as f64 / 16.0).collect();
            let mut party = PartyView::new(format!("p{p}"), utilities, rng.below(8) as f64 / 16.0);
            if rng.chance(0.6) {
                let mut allowed = FixedBitSet::with_capacity(outcomes);
                for o in 0..outcomes {
                    allowed.set(o, rng.chance(0.7));
                }
                party.red_lines = Some(allowed);
            }
            if rng.chance(0.3) {
                party.discount = Some(0.5 + rng.unit() / 2.0);
            }
            party
        })
        .collect();
    IndexedDomain::build(Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: format!("random-{seed}"),
        outcome_count: outcomes,
        parties,
        issues,
    })
    .unwrap()
}

pub fn strategy(pick: u8) -> Strategy {
    let base = match pick % 8 {
        0 => Strategy::boulware(),
        1 => Strategy::linear(),
        2 => Strategy::conceder(),
        3 => Strategy::TitForTat,
        4 => Strategy::Aspiration { exponent: 1.5 },
        5 => Strategy::Hardliner,
        6 => Strategy::Random {
            p_accept: 0.4,
            p_end: 0.02,
        },
        _ => Strategy::TimeBased { exponent: 0.7 },
    };
    if pick >= 8 {
        base.red_line_aware()
    } else {
        base
    }
}

pub fn protocol(pick: u8, rounds: u32) -> Protocol {
    match pick % 3 {
        0 => Protocol::Sao(SaoConfig::with_rounds(rounds)),
        1 => Protocol::Mediated(MediatedConfig {
            rounds,
            ..MediatedConfig::default()
        }),
        _ => Protocol::Mediated(MediatedConfig {
            rounds,
            mediator: MediatorKind::Annealing { temperature: 1.0 },
            discounting: false,
        }),
    }
}

fn is_red_line_aware(s: &Strategy) -> bool {
    matches!(s, Strategy::RedLineAware { .. })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    /// Every party accepts (or votes for) only outcomes worth at least its reservation value, and
    /// red-line-aware parties only outcomes inside their red lines. Red-line-aware parties never
    /// offer an unacceptable outcome. So an agreement is acceptable to every party that accepted it.
    #[test]
    fn agreements_are_acceptable_to_those_who_accepted_them(
        domain_seed in any::<u64>(),
        parties in 2usize..=4,
        outcomes in 1usize..=48,
        picks in proptest::collection::vec(0u8..16, 4),
        proto in 0u8..3,
        rounds in 1u32..=40,
        seed in any::<u64>(),
    ) {
        let d = random_domain(domain_seed, parties, outcomes);
        let strategies: Vec<Strategy> = picks[..parties].iter().map(|&p| strategy(p)).collect();
        let factories: Vec<&dyn AgentFactory> =
            strategies.iter().map(|s| s as &dyn AgentFactory).collect();
        let (result, trace) =
            negotiate_traced(&d, &factories, &protocol(proto, rounds), seed).unwrap();
        let dom = d.domain();
        for e in &trace.events {
            let (Some(p), Some(o)) = (e.party, e.outcome) else { continue };
            let me = &dom.parties[p];
            match e.action {
                TraceAction::Accept | TraceAction::VoteAccept => {
                    prop_assert!(me.utilities[o as usize] >= me.reservation, "{e:?}");
                    if is_red_line_aware(&strategies[p]) {
                        prop_assert!(me.permits(o), "{e:?}");
                    }
                }
                TraceAction::Offer if is_red_line_aware(&strategies[p]) => {
                    prop_assert!(me.acceptable(o), "{e:?}");
                }
                _ => {}
            }
        }
        if let Some(o) = result.agreement {
            let accepted_by: Vec<usize> = match protocol(proto, rounds) {
                Protocol::Sao(_) => trace.events[trace.events.len() - (parties - 1)..]
                    .iter()
                    .map(|e| e.party.unwrap())
                    .collect(),
                Protocol::Mediated(_) => (0..parties).collect(),
            };
            prop_assert_eq!(accepted_by.len(), if matches!(protocol(proto, rounds), Protocol::Sao(_)) { parties - 1 } else { parties });
            for p in accepted_by {
                let me = &dom.parties[p];
                prop_assert!(me.utilities[o as usize] >= me.reservation);
                if is_red_line_aware(&strategies[p]) {
                    prop_assert!(me.acceptable(o));
                }
            }
            for (p, s) in strategies.iter().enumerate() {
                if is_red_line_aware(s) {
                    prop_assert!(dom.parties[p].acceptable(o), "red-line-aware party {p} bound to {o}");
                }
            }
        }
    }

    /// The same seed gives the same trace, and the fast path the same result as the traced one.
    #[test]
    fn same_seed_same_trace(
        domain_seed in any::<u64>(),
        outcomes in 1usize..=48,
        picks in proptest::collection::vec(0u8..16, 3),
        proto in 0u8..3,
        rounds in 1u32..=30,
        seed in any::<u64>(),
    ) {
        let d = random_domain(domain_seed, 3, outcomes);
        let strategies: Vec<Strategy> = picks.iter().map(|&p| strategy(p)).collect();
        let factories: Vec<&dyn AgentFactory> =
            strategies.iter().map(|s| s as &dyn AgentFactory).collect();
        let protocol = protocol(proto, rounds);
        let a = negotiate_traced(&d, &factories, &protocol, seed).unwrap();
        let b = negotiate_traced(&d, &factories, &protocol, seed).unwrap();
        prop_assert_eq!(&a, &b);
        let fast = negotiate(&d, &factories, &protocol, seed).unwrap();
        prop_assert_eq!(&fast, &a.0);
        // The trace ends the way the result says.
        if let Some(o) = fast.agreement {
            let last = match protocol {
                Protocol::Sao(_) => a.1.events.last(),
                Protocol::Mediated(_) => {
                    a.1.events.iter().rev().find(|e| e.action == TraceAction::Adopt)
                }
            };
            prop_assert_eq!(last.and_then(|e| e.outcome), Some(o));
        }
    }
}
