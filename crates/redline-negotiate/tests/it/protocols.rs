//! Protocol semantics, validation and user-defined agents.

use fixedbitset::FixedBitSet;
use redline_negotiate::{
    Agent, AgentFactory, AgentView, Domain, EndReason, IndexedDomain, MediatedConfig, MediatorKind,
    NegotiateError, Offer, OutcomeId, PartyView, Protocol, Response, SaoConfig, Strategy,
    TraceAction, Turn, negotiate, negotiate_traced, run_sao,
};

use crate::common::england_zimbabwe;

fn sao(rounds: u32) -> Protocol {
    Protocol::Sao(SaoConfig::with_rounds(rounds))
}

/// A user-defined agent: offers its best outcome, accepts anything worth at least `threshold`.
struct Threshold {
    threshold: f64,
}

impl Agent for Threshold {
    fn respond(&mut self, me: &AgentView<'_>, _turn: &Turn, offer: Offer) -> Response {
        if me.utility(offer.outcome) >= self.threshold {
            Response::Accept
        } else {
            Response::Reject
        }
    }

    fn propose(&mut self, me: &AgentView<'_>, _turn: &Turn) -> Option<OutcomeId> {
        me.offer_index().best()
    }
}

struct ThresholdFactory(f64);

impl AgentFactory for ThresholdFactory {
    fn name(&self) -> String {
        format!("threshold:{}", self.0)
    }
    fn build(&self, _seed: u64) -> Box<dyn Agent> {
        Box::new(Threshold { threshold: self.0 })
    }
}

/// An agent that offers an outcome that does not exist.
struct Broken;

impl Agent for Broken {
    fn respond(&mut self, _: &AgentView<'_>, _: &Turn, _: Offer) -> Response {
        Response::Reject
    }
    fn propose(&mut self, me: &AgentView<'_>, _: &Turn) -> Option<OutcomeId> {
        Some(me.outcome_count() as OutcomeId)
    }
}

fn line_domain(parties: usize, n: usize) -> IndexedDomain {
    // Party p likes outcomes near p/(parties−1) of the way along a line.
    let parties = (0..parties)
        .map(|p| {
            let peak = p as f64 / (parties - 1) as f64;
            let u = (0..n)
                .map(|o| 1.0 - (o as f64 / (n - 1) as f64 - peak).abs())
                .collect();
            PartyView::new(format!("p{p}"), u, 0.0)
        })
        .collect();
    IndexedDomain::build(Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: "line".into(),
        outcome_count: n,
        parties,
        issues: None,
    })
    .unwrap()
}

#[test]
fn user_defined_agents_negotiate() {
    let d = england_zimbabwe();
    let lenient = ThresholdFactory(0.3);
    let boulware = Strategy::boulware();
    let r = negotiate(&d, &[&boulware, &lenient], &sao(100), 0).unwrap();
    // England opens with its best; Zimbabwe values it at 0.4503 >= 0.3 and accepts at once.
    assert_eq!(r.end, EndReason::Agreement);
    assert_eq!(r.round, 1);
    assert_eq!(r.agreement, d.index(0).unwrap().best());
}

#[test]
fn invalid_inputs_are_errors_not_panics() {
    let d = england_zimbabwe();
    let b = Strategy::boulware();
    assert_eq!(
        negotiate(&d, &[&b], &sao(10), 0),
        Err(NegotiateError::AgentCount {
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        negotiate(&d, &[&b, &b], &sao(0), 0),
        Err(NegotiateError::NoRounds)
    );
    let mut agents: Vec<Box<dyn Agent>> = vec![Box::new(Broken), b.agent(0)];
    assert!(matches!(
        run_sao(&d, &mut agents, &SaoConfig::default()),
        Err(NegotiateError::InvalidAction {
            party: 0,
            round: 1,
            ..
        })
    ));
    let bad_annealing = Protocol::Mediated(MediatedConfig {
        mediator: MediatorKind::Annealing { temperature: -1.0 },
        ..MediatedConfig::default()
    });
    assert!(negotiate(&d, &[&b, &b], &bad_annealing, 0).is_err());

    let party = |u: Vec<f64>| PartyView::new("a", u, 0.0);
    let domain = |parties: Vec<PartyView>, n| Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: "bad".into(),
        outcome_count: n,
        parties,
        issues: None,
    };
    let mut other = party(vec![0.0, 1.0]);
    other.id = "b".into();
    let cases = [
        domain(vec![party(vec![]), party(vec![])], 0),
        domain(vec![party(vec![0.0, 1.0])], 2),
        domain(vec![party(vec![0.0, 1.0]), party(vec![0.0, 1.0])], 2),
        domain(vec![party(vec![0.0]), other.clone()], 2),
        domain(vec![party(vec![0.0, f64::NAN]), other.clone()], 2),
        domain(
            vec![
                PartyView {
                    discount: Some(1.5),
                    ..party(vec![0.0, 1.0])
                },
                other.clone(),
            ],
            2,
        ),
        domain(
            vec![
                PartyView {
                    red_lines: Some(FixedBitSet::with_capacity(3)),
                    ..party(vec![0.0, 1.0])
                },
                other.clone(),
            ],
            2,
        ),
        Domain {
            issues: Some(vec![redline_negotiate::Issue {
                name: "x".into(),
                values: vec!["a".into(), "b".into(), "c".into()],
            }]),
            ..domain(vec![party(vec![0.0, 1.0]), other.clone()], 2)
        },
    ];
    for case in cases {
        assert!(IndexedDomain::build(case.clone()).is_err(), "{case:?}");
    }
}

#[test]
fn deadline_and_walkaway() {
    let d = england_zimbabwe();
    let h = Strategy::Hardliner;
    let r = negotiate(&d, &[&h, &h], &sao(20), 0).unwrap();
    assert_eq!(r.end, EndReason::Deadline);
    assert_eq!((r.agreement, r.round), (None, 20));
    assert_eq!(r.utilities, vec![0.0, 0.0]);

    let quitter = Strategy::Random {
        p_accept: 0.0,
        p_end: 1.0,
    };
    let r = negotiate(&d, &[&h, &quitter], &sao(20), 0).unwrap();
    assert_eq!(r.end, EndReason::Ended { party: 1 });
    assert_eq!(r.round, 1);
}

#[test]
fn discounting_applies_at_the_agreement_time() {
    let mut raw = crate::common::genius_domains().remove(0);
    raw.parties[1].discount = Some(0.5);
    let d = IndexedDomain::build(raw).unwrap();
    let (b, c) = (Strategy::boulware(), Strategy::conceder());
    let on = negotiate(&d, &[&b, &c], &sao(100), 0).unwrap();
    let off = negotiate(
        &d,
        &[&b, &c],
        &Protocol::Sao(SaoConfig {
            rounds: 100,
            discounting: false,
        }),
        0,
    )
    .unwrap();
    assert_eq!(on.agreement, off.agreement);
    assert_eq!(on.utilities[0], off.utilities[0]);
    let t = f64::from(on.round) / 101.0;
    assert_eq!(on.time, t);
    assert!((on.utilities[1] - off.utilities[1] * 0.5f64.powf(t)).abs() < 1e-12);
}

#[test]
fn multilateral_offers_stand_when_every_other_party_accepts_in_turn() {
    let d = line_domain(3, 101);
    let c = Strategy::conceder();
    let l = Strategy::linear();
    let (r, trace) = negotiate_traced(&d, &[&c, &l, &c], &sao(60), 3).unwrap();
    assert_eq!(r.end, EndReason::Agreement);
    let o = r.agreement.unwrap();
    let n = trace.events.len();
    let tail = &trace.events[n - 3..];
    assert_eq!(tail[0].action, TraceAction::Offer);
    assert!(tail[1..].iter().all(|e| e.action == TraceAction::Accept));
    assert!(tail.iter().all(|e| e.outcome == Some(o)));
    let proposer = tail[0].party.unwrap();
    let accepters: Vec<usize> = tail[1..].iter().map(|e| e.party.unwrap()).collect();
    assert_eq!(accepters, [(proposer + 1) % 3, (proposer + 2) % 3]);
    // Every turn is taken in party order.
    let turns: Vec<usize> = trace
        .events
        .iter()
        .filter(|e| e.action != TraceAction::Reject)
        .map(|e| e.party.unwrap())
        .collect();
    assert!(
        turns.iter().enumerate().all(|(i, &p)| p == i % 3),
        "{turns:?}"
    );
}

#[test]
fn hill_climbing_mediator_only_improves_for_everyone() {
    let d = england_zimbabwe();
    let (b, c) = (Strategy::boulware(), Strategy::conceder());
    let protocol = Protocol::Mediated(MediatedConfig {
        rounds: 300,
        ..MediatedConfig::default()
    });
    let (r, trace) = negotiate_traced(&d, &[&b, &c], &protocol, 9).unwrap();
    let adopted: Vec<&redline_negotiate::TraceEvent> = trace
        .events
        .iter()
        .filter(|e| e.action == TraceAction::Adopt)
        .collect();
    assert!(!adopted.is_empty());
    for w in adopted.windows(2) {
        assert!(
            w[0].utilities
                .iter()
                .zip(&w[1].utilities)
                .all(|(a, b)| b >= a)
        );
    }
    assert_eq!(r.agreement, adopted.last().unwrap().outcome);
    // After the first adoption every proposal changes exactly one issue of the adopted text.
    let dom = d.domain();
    let mut text = None;
    for e in &trace.events {
        match e.action {
            TraceAction::Propose => {
                if let Some(t) = text {
                    let a = dom.decode(t).unwrap();
                    let b = dom.decode(e.outcome.unwrap()).unwrap();
                    assert_eq!(a.iter().zip(&b).filter(|(x, y)| x != y).count(), 1);
                }
            }
            TraceAction::Adopt => text = e.outcome,
            _ => {}
        }
    }
}

#[test]
fn annealing_mediator_is_seeded_and_agrees_only_on_adopted_texts() {
    let d = england_zimbabwe();
    let (b, c) = (Strategy::boulware(), Strategy::conceder());
    let protocol = Protocol::Mediated(MediatedConfig {
        rounds: 200,
        mediator: MediatorKind::Annealing { temperature: 2.0 },
        discounting: true,
    });
    let (r1, t1) = negotiate_traced(&d, &[&b, &c], &protocol, 5).unwrap();
    let (r2, t2) = negotiate_traced(&d, &[&b, &c], &protocol, 5).unwrap();
    assert_eq!((&r1, &t1), (&r2, &t2));
    let last_adopted = t1
        .events
        .iter()
        .rev()
        .find(|e| e.action == TraceAction::Adopt)
        .and_then(|e| e.outcome);
    assert_eq!(r1.agreement, last_adopted);
    let (_, t3) = negotiate_traced(&d, &[&b, &c], &protocol, 6).unwrap();
    assert_ne!(t1, t3);
}
