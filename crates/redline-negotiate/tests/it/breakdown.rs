//! Issue 9, item 2: the breakdown risk acts as the standard equivalent of discounting: what a
//! party gets from an outcome after `r` risky rounds is `(1 − p)^r·u + (1 − (1 − p)^r)·u_b`.

use redline_negotiate::{
    AgentFactory, Breakdown, Domain, IndexedDomain, PartyView, Protocol, SaoConfig, Strategy,
    negotiate,
};

fn line(breakdown: Option<Breakdown>) -> IndexedDomain {
    IndexedDomain::build(Domain {
        mediator: None,
        name: "line".into(),
        outcome_count: 5,
        parties: vec![
            PartyView::new("a", vec![1.0, 0.8, 0.6, 0.3, 0.0], 0.2),
            PartyView::new("b", vec![0.0, 0.3, 0.6, 0.8, 1.0], 0.25),
        ],
        issues: None,
        public_red_lines: None,
        breakdown,
    })
    .unwrap()
}

fn run(
    domain: &IndexedDomain,
    rounds: u32,
    agents: [&str; 2],
) -> redline_negotiate::NegotiationResult {
    let s: Vec<Strategy> = agents.iter().map(|a| Strategy::parse(a).unwrap()).collect();
    let f: Vec<&dyn AgentFactory> = s.iter().map(|s| s as &dyn AgentFactory).collect();
    negotiate(
        domain,
        &f,
        &Protocol::Sao(SaoConfig::with_rounds(rounds)),
        7,
    )
    .unwrap()
}

#[test]
fn an_agreement_is_worth_its_expected_value_after_the_risky_rounds() {
    let b = Breakdown {
        per_round: 0.05,
        utilities: vec![0.1, 0.05],
    };
    let plain = run(&line(None), 20, ["boulware", "conceder"]);
    let risky = run(&line(Some(b.clone())), 20, ["boulware", "conceder"]);
    // The agents behave the same; only what the outcome is worth changes.
    assert_eq!(plain.agreement, risky.agreement);
    assert_eq!(plain.round, risky.round);
    assert!(plain.agreed());
    let s = b.survival(plain.round - 1);
    for p in 0..2 {
        let expected = s * plain.utilities[p] + (1.0 - s) * b.utilities[p];
        assert!((risky.utilities[p] - expected).abs() < 1e-12, "party {p}");
        // Distances are measured without it.
        assert_eq!(risky.undiscounted[p], plain.undiscounted[p]);
    }
}

#[test]
fn failed_talks_lose_value_with_every_round_and_no_risk_changes_nothing() {
    let b = Breakdown {
        per_round: 0.02,
        utilities: vec![0.0, 0.0],
    };
    // Two hard-liners never agree: the reservation after `rounds` risky rounds.
    for rounds in [1, 10, 50] {
        let r = run(&line(Some(b.clone())), rounds, ["hardliner", "hardliner"]);
        assert!(!r.agreed());
        let s = b.survival(rounds);
        assert!((r.utilities[0] - s * 0.2).abs() < 1e-12);
        assert!((r.utilities[1] - s * 0.25).abs() < 1e-12);
    }
    let zero = Breakdown {
        per_round: 0.0,
        utilities: vec![0.0, 0.0],
    };
    assert_eq!(
        run(&line(Some(zero)), 20, ["linear", "conceder"]),
        run(&line(None), 20, ["linear", "conceder"])
    );
}

#[test]
fn a_bad_breakdown_is_refused() {
    for (p, u) in [
        (1.0, vec![0.0, 0.0]),
        (-0.1, vec![0.0, 0.0]),
        (0.1, vec![0.0]),
    ] {
        let d = Domain {
            mediator: None,
            name: "x".into(),
            outcome_count: 2,
            parties: vec![
                PartyView::new("a", vec![1.0, 0.0], 0.0),
                PartyView::new("b", vec![0.0, 1.0], 0.0),
            ],
            issues: None,
            public_red_lines: None,
            breakdown: Some(Breakdown {
                per_round: p,
                utilities: u,
            }),
        };
        assert!(IndexedDomain::build(d).is_err());
    }
}
