//! Reference checks against GENIUS and NegMAS figures.

use redline_negotiate::{
    AgentFactory, EndReason, Protocol, SaoConfig, Strategy, TraceAction, negotiate,
    negotiate_traced,
};

use crate::common::{brute_force_reference, england_zimbabwe, genius_domains, published_reference};

/// GENIUS and NegMAS both give (1.0, 0.4503) for Boulware (England, first) against Conceder
/// (Zimbabwe) over 100 rounds on EnglandZimbabwe.
#[test]
fn england_zimbabwe_boulware_against_conceder() {
    let domain = england_zimbabwe();
    assert_eq!(domain.outcome_count(), 576);
    let boulware = Strategy::boulware();
    let conceder = Strategy::conceder();
    let agents: [&dyn AgentFactory; 2] = [&boulware, &conceder];
    let protocol = Protocol::Sao(SaoConfig::with_rounds(100));
    let result = negotiate(&domain, &agents, &protocol, 0).unwrap();
    assert_eq!(result.end, EndReason::Agreement);
    let u = &result.utilities;
    assert!((u[0] - 1.0).abs() < 5e-5, "{u:?}");
    assert!((u[1] - 0.4503).abs() < 5e-5, "{u:?}");
    // The agreement is England's best outcome, accepted by Zimbabwe.
    let o = result.agreement.unwrap();
    assert_eq!(domain.index(0).unwrap().best(), Some(o));
    assert_eq!(
        domain.domain().labels(o).unwrap(),
        [
            "$10 billion",
            "Reduction equal to fund size",
            "Zimbabwe will reduce tariffs on imports",
            "England will reduce imports",
            "Creation of committee to discuss creation of fund",
        ]
    );

    // The trace tells the same story: both open with their best outcome, England never moves
    // off it, and Zimbabwe concedes until England's offer is worth at least its own next one.
    let (traced, trace) = negotiate_traced(&domain, &agents, &protocol, 0).unwrap();
    assert_eq!(traced, result);
    let offers = |party| {
        trace
            .events
            .iter()
            .filter(move |e| e.party == Some(party) && e.action == TraceAction::Offer)
    };
    assert!(offers(0).all(|e| e.outcome == Some(o)));
    let first_zimbabwe = offers(1).next().unwrap();
    assert_eq!(first_zimbabwe.outcome, domain.index(1).unwrap().best());
    let zimbabwe: Vec<f64> = offers(1).map(|e| e.utilities[1]).collect();
    assert!(zimbabwe.windows(2).all(|w| w[1] <= w[0]), "{zimbabwe:?}");
    assert!(zimbabwe.iter().all(|&u| u > 0.4503), "{zimbabwe:?}");
    let last = trace.events.last().unwrap();
    assert_eq!((last.party, last.action), (Some(1), TraceAction::Accept));
    // An independent transcription of the same semantics (GENIUS P_min/P_max scaling, elapsed
    // time (round − 1)/(R + 1), AC_next) also ends in round 39.
    assert_eq!(result.round, 39);
}

/// The test helper's brute-force frontier agrees with the published frontiers, so metrics in the
/// other tests are measured against the right thing.
#[test]
fn brute_force_frontier_matches_the_published_one() {
    for domain in genius_domains() {
        let name = domain.name.clone();
        let indexed = redline_negotiate::IndexedDomain::build(domain).unwrap();
        let ours = brute_force_reference(&indexed);
        let published = published_reference(&name);
        assert_eq!(ours.frontier.len(), published.frontier.len(), "{name}");
        for p in &published.frontier {
            assert!(
                ours.frontier
                    .iter()
                    .any(|q| q.iter().zip(p).all(|(a, b)| (a - b).abs() < 1e-9)),
                "{name}: {p:?} missing"
            );
        }
        let (a, b) = (ours.nash.unwrap(), published.nash.unwrap());
        assert!(
            a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-9),
            "{name}"
        );
    }
}

/// Time-based agents reach agreements on every published domain, and (undiscounted) Boulware
/// never does worse than Conceder against the same opponent, and agrees no earlier.
#[test]
fn time_based_agents_on_all_domains() {
    for domain in genius_domains() {
        let name = domain.name.clone();
        let d = redline_negotiate::IndexedDomain::build(domain).unwrap();
        let protocol = Protocol::Sao(SaoConfig {
            rounds: 100,
            discounting: false,
        });
        let b = Strategy::boulware();
        let c = Strategy::conceder();
        let l = Strategy::linear();
        let bl = negotiate(&d, &[&b, &l], &protocol, 1).unwrap();
        let cl = negotiate(&d, &[&c, &l], &protocol, 1).unwrap();
        assert!(bl.agreed() && cl.agreed(), "{name}: {bl:?} {cl:?}");
        assert!(
            bl.utilities[0] >= cl.utilities[0] - 1e-12,
            "{name}: {bl:?} {cl:?}"
        );
        assert!(bl.round >= cl.round, "{name}");
    }
}
