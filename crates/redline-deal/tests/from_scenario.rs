//! The deal lens on built-in scenarios, through the scenario loader: the GENIUS classics must give
//! the reference figures, and the Iran–US scenario must satisfy the deal's definitions.

use redline_deal::{DealParams, analyze, from_scenario};

fn load(name: &str) -> redline_model::Scenario {
    let b = redline_scenarios::get(name).unwrap();
    redline_syntax::load(b.toml).unwrap().scenario
}

fn reference(domain: &str) -> serde_json::Value {
    let text = redline_testdata::read(&format!("reference/negotiation/{domain}.expected.json"));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn genius_builtins_reproduce_the_reference_through_the_scenario_path() {
    for (name, domain) in [
        ("england-zimbabwe", "EnglandZimbabwe"),
        ("grocery", "Grocery"),
        ("itex-cypress", "ItexvsCypress"),
        ("laptop", "Laptop"),
    ] {
        let sc = load(name);
        let spec = from_scenario(&sc).unwrap();
        let r = analyze(&spec, &DealParams::default()).unwrap();
        let exp = reference(domain);
        assert_eq!(
            r.outcome_count,
            exp["n_outcomes"].as_u64().unwrap(),
            "{name}"
        );
        // The frontier over all outcomes, as a set of utility vectors (reservations are 0 here,
        // so the ZOPA is every outcome).
        let mut ours: Vec<Vec<f64>> = r
            .pareto
            .iter()
            .map(|p| p.utilities.values().copied().collect())
            .collect();
        let mut theirs: Vec<Vec<f64>> = exp["pareto"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                p["utilities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_f64().unwrap())
                    .collect()
            })
            .collect();
        ours.sort_by(|a, b| a.partial_cmp(b).unwrap());
        theirs.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(ours.len(), theirs.len(), "{name}: frontier size");
        for (a, b) in ours.iter().zip(&theirs) {
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() < 1e-9, "{name}: {a:?} vs {b:?}");
            }
        }
        let nash: Vec<f64> = r
            .solutions
            .nash
            .as_ref()
            .unwrap()
            .utilities
            .values()
            .copied()
            .collect();
        let want: Vec<f64> = exp["nash"][0]["utilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        for (x, y) in nash.iter().zip(&want) {
            assert!((x - y).abs() < 1e-9, "{name}: nash {nash:?} vs {want:?}");
        }
    }
}

#[test]
fn iran_us_deal_respects_every_red_line_and_linkage() {
    let sc = load("iran-us-2026");
    let spec = from_scenario(&sc).unwrap();
    assert_eq!(spec.parties.len(), 2, "Turkey is a mediator, not a party");
    let r = analyze(&spec, &DealParams::default()).unwrap();
    // Every frontier point of the ZOPA satisfies every red line and linkage of the scenario,
    // checked with the model's own evaluator (independent of the engine's bitsets).
    for p in &r.pareto {
        let outcome: Vec<usize> = sc
            .issues
            .iter()
            .map(|i| {
                (0..i.domain.len())
                    .find(|&v| i.domain.label(v) == p.outcome[&i.id])
                    .unwrap()
            })
            .collect();
        for rl in &sc.red_lines {
            assert!(
                sc.eval_outcome(&rl.require, &outcome),
                "{} broken by {:?}",
                rl.id,
                p.outcome
            );
        }
        for l in &sc.linkages {
            assert!(
                sc.eval_outcome(&l.require, &outcome),
                "{} broken by {:?}",
                l.id,
                p.outcome
            );
        }
        for (a, u) in sc.parties().map(|(i, a)| (a, sc.utility_of(i).unwrap())) {
            let got = p.utilities[&a.id];
            assert!((got - u.evaluate(&sc.issues, &outcome)).abs() < 1e-12);
            assert!(got >= u.reservation);
        }
    }
}
