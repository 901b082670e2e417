//! Issue 9, items 4 and 5: red lines are public unless marked `private`. Red-line-aware
//! negotiators never offer, and the mediator never proposes, what breaks a public red line; a
//! private one binds only its owner; and under mediation the parties' strategies decide what
//! they accept.

use redline_negotiate::{
    AgentFactory, IndexedDomain, MediatedConfig, Protocol, SaoConfig, Strategy, TraceAction,
    negotiate_traced, scenario,
};

fn lowered(text: &str) -> scenario::Lowered {
    let sc = redline_syntax::load(text).expect("loads").scenario;
    scenario::lower(&sc).expect("lowers")
}

fn iran() -> String {
    redline_scenarios::get("iran-us-2026")
        .unwrap()
        .toml
        .to_string()
}

/// Runs `agents` (one strategy name per party) and returns every outcome offered or proposed.
fn offered(l: &scenario::Lowered, agents: &[&str], protocol: &Protocol, seed: u64) -> Vec<u32> {
    let domain = IndexedDomain::build(l.domain.clone()).unwrap();
    let strategies: Vec<Strategy> = agents.iter().map(|a| Strategy::parse(a).unwrap()).collect();
    let factories: Vec<&dyn AgentFactory> =
        strategies.iter().map(|s| s as &dyn AgentFactory).collect();
    let (_, trace) = negotiate_traced(&domain, &factories, protocol, seed).unwrap();
    trace
        .events
        .iter()
        .filter(|e| matches!(e.action, TraceAction::Offer | TraceAction::Propose))
        .filter_map(|e| e.outcome)
        .collect()
}

#[test]
fn the_mediator_never_proposes_a_text_that_breaks_a_public_red_line() {
    let l = lowered(&iran());
    let public = l
        .domain
        .public_red_lines
        .as_ref()
        .expect("iran-us-2026 has public red lines");
    assert!(
        public.count_ones(..) < l.domain.outcome_count,
        "some outcomes break one"
    );
    let mediated = Protocol::Mediated(MediatedConfig::default());
    for seed in 0..10 {
        // Agents that know nothing of red lines: only the mediator keeps the texts inside them.
        for o in offered(&l, &["random", "random"], &mediated, seed) {
            assert!(
                public.contains(o as usize),
                "seed {seed}: proposal {o} breaks a red line"
            );
        }
    }
}

#[test]
fn red_line_aware_negotiators_never_offer_what_breaks_a_public_red_line() {
    let l = lowered(&iran());
    let public = l.domain.public_red_lines.as_ref().unwrap();
    let sao = Protocol::Sao(SaoConfig::with_rounds(100));
    for pair in [
        ["redline:boulware", "redline:conceder"],
        ["redline:linear", "redline:tit-for-tat"],
        ["redline:random", "redline:aspiration"],
    ] {
        for seed in 0..5 {
            for o in offered(&l, &pair, &sao, seed) {
                assert!(
                    public.contains(o as usize),
                    "{pair:?} seed {seed}: offer {o}"
                );
            }
        }
    }
}

#[test]
fn a_private_red_line_binds_only_its_owner() {
    let text = iran();
    let public = lowered(&text).domain.public_red_lines.unwrap();
    // Mark every red line private: no public set is left.
    let private = text.replace("[[red_lines]]\n", "[[red_lines]]\nprivate = true\n");
    assert_ne!(private, text);
    let l = lowered(&private);
    assert!(l.domain.public_red_lines.is_none());
    // The owners' own red lines still bound what they accept.
    assert!(l.domain.parties.iter().any(|p| p.red_lines.is_some()));
    assert!(public.count_ones(..) < l.domain.outcome_count);
    // And the round trip keeps the flag.
    let sc = redline_syntax::load(&private).unwrap().scenario;
    assert!(sc.red_lines.iter().all(|r| r.private));
    let again = redline_syntax::load(&redline_syntax::to_toml(&sc))
        .unwrap()
        .scenario;
    assert_eq!(again, sc);
}

#[test]
fn under_a_mediator_the_strategies_decide_what_is_accepted() {
    let l = lowered(&iran());
    let domain = IndexedDomain::build(l.domain.clone()).unwrap();
    let mediated = Protocol::Mediated(MediatedConfig::default());
    let run = |agents: [&str; 2], seed| {
        let s: Vec<Strategy> = agents.iter().map(|a| Strategy::parse(a).unwrap()).collect();
        let f: Vec<&dyn AgentFactory> = s.iter().map(|s| s as &dyn AgentFactory).collect();
        redline_negotiate::negotiate(&domain, &f, &mediated, seed).unwrap()
    };
    let mut differ = 0;
    for seed in 1..=5 {
        let hard = run(["redline:hardliner", "redline:conceder"], seed);
        let soft = run(["redline:linear", "redline:linear"], seed);
        differ += usize::from(hard != soft);
        // A hard-liner accepts only its best text: whatever is agreed is worth its best to it.
        if let Some(o) = hard.agreement {
            let best = domain.respectful_index(0).unwrap().max_utility().unwrap();
            assert!(domain.utility(0, o).unwrap() >= best);
        }
    }
    assert_eq!(
        differ, 5,
        "the hard-liner made no difference under mediation"
    );
}

/// Issue 9, item 4: a mediator's own utilities, when the scenario gives them, shape its
/// proposals: over many seeds, the mediated agreements are worth more to Turkey than a neutral
/// mediator's, and they still break no public red line.
#[test]
fn a_mediator_with_interests_steers_towards_them() {
    let l = lowered(&iran());
    let own = l
        .domain
        .mediator
        .clone()
        .expect("Turkey has a utility in iran-us-2026");
    let mut neutral_domain = l.domain.clone();
    neutral_domain.mediator = None;
    let biased = IndexedDomain::build(l.domain.clone()).unwrap();
    let neutral = IndexedDomain::build(neutral_domain).unwrap();
    let mediated = Protocol::Mediated(MediatedConfig::default());
    let s: Vec<Strategy> = ["redline:linear", "redline:linear"]
        .iter()
        .map(|a| Strategy::parse(a).unwrap())
        .collect();
    let f: Vec<&dyn AgentFactory> = s.iter().map(|s| s as &dyn AgentFactory).collect();
    let public = l.domain.public_red_lines.as_ref().unwrap();
    let mean = |d: &IndexedDomain| {
        let mut total = 0.0;
        let mut n = 0.0;
        for seed in 0..40 {
            let r = redline_negotiate::negotiate(d, &f, &mediated, seed).unwrap();
            if let Some(o) = r.agreement {
                assert!(public.contains(o as usize));
                total += own[o as usize];
                n += 1.0;
            }
        }
        total / n
    };
    let (b, u) = (mean(&biased), mean(&neutral));
    assert!(b > u, "biased {b} <= neutral {u}");
}
