//! The four GENIUS domains of `data/domains/genius`, checked against
//! `data/reference/negotiation/*.expected.json` through the product's own path: GENIUS XML →
//! `redline_interop` → scenario → `from_scenario` → `analyze`.

use redline_deal::{DealParams, DealResult, DealSpec, analyze, from_scenario};
use redline_interop::genius::{parse_domain, parse_profile};
use serde_json::Value;

const SHARED: &str = redline_testdata::data!("");

fn load(name: &str) -> (DealSpec, Value) {
    let reference: Value = serde_json::from_str(
        &std::fs::read_to_string(format!(
            "{SHARED}reference/negotiation/{name}.expected.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let dir = format!("{SHARED}domains/genius/{name}/");
    let domain_file = reference["files"]["domain_file"].as_str().unwrap();
    let domain =
        parse_domain(&std::fs::read_to_string(format!("{dir}{domain_file}")).unwrap()).unwrap();
    let order: Vec<&str> = reference["profile_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let profiles: Vec<_> = order
        .iter()
        .map(|f| {
            parse_profile(
                &std::fs::read_to_string(format!("{dir}{f}")).unwrap(),
                &domain,
            )
            .unwrap()
        })
        .collect();
    let names: Vec<String> = order.iter().map(|s| s.to_string()).collect();
    let sc = redline_interop::scenario::from_genius(&domain, &profiles, &names, name, 1.0).unwrap();
    let spec = from_scenario(&sc).unwrap();
    (spec, reference)
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn close(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= 1e-9)
}

fn utilities(m: &indexmap::IndexMap<String, f64>) -> Vec<f64> {
    m.values().copied().collect()
}

/// One of the reference entries (ties are listed) has these utilities and this outcome's labels.
fn matches_one(entries: &Value, utils: &[f64], outcome: &[String]) -> bool {
    entries.as_array().unwrap().iter().any(|e| {
        close(&vector(&e["utilities"]), utils)
            && e["outcome"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap())
                .eq(outcome.iter().map(String::as_str))
    })
}

fn check(name: &str) -> DealResult {
    let (spec, r) = load(name);
    let result = analyze(&spec, &DealParams::default()).unwrap();
    assert_eq!(
        result.outcome_count,
        r["n_outcomes"].as_u64().unwrap(),
        "{name}: outcome count"
    );
    assert_eq!(spec.issues.len() as u64, r["n_issues"].as_u64().unwrap());
    assert!(result.zopa.exists);

    // Frontier: the same set of utility vectors within 1e-9, each with the reference's outcome
    // (the reference keeps one representative per vector).
    let want: Vec<(Vec<f64>, Vec<String>)> = r["pareto"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                vector(&p["utilities"]),
                p["outcome"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(result.pareto.len(), want.len(), "{name}: frontier size");
    assert_eq!(
        result.pareto.len() as u64,
        r["pareto_size_distinct_vectors"].as_u64().unwrap()
    );
    for p in &result.pareto {
        let u = utilities(&p.utilities);
        let hit = want.iter().find(|(w, _)| close(w, &u));
        let (_, labels) =
            hit.unwrap_or_else(|| panic!("{name}: frontier point {u:?} not in the reference"));
        // Where several outcomes share a vector, the reference and we both keep the first in
        // lexicographic order.
        assert!(
            p.outcome.values().eq(labels.iter()),
            "{name}: outcome of {u:?} ({} duplicates)",
            p.duplicates
        );
    }
    for (w, _) in &want {
        assert!(
            result
                .pareto
                .iter()
                .any(|p| close(&utilities(&p.utilities), w)),
            "{name}: missing {w:?}"
        );
    }
    // Reservations are 0 and utilities positive, so the frontier over all outcomes is the same.
    assert_eq!(result.pareto, result.pareto_all);

    let outcome = |s: &redline_deal::Solution| s.outcome.values().cloned().collect::<Vec<String>>();
    let s = &result.solutions;
    let nash = s.nash.as_ref().unwrap();
    assert!(
        matches_one(&r["nash"], &utilities(&nash.utilities), &outcome(nash)),
        "{name}: nash"
    );
    let egal = s.egalitarian.as_ref().unwrap();
    assert!(
        matches_one(
            &r["egalitarian_max_min_gain"],
            &utilities(&egal.utilities),
            &outcome(egal)
        ),
        "{name}: egalitarian"
    );
    let util = s.utilitarian.as_ref().unwrap();
    assert!(
        matches_one(
            &r["utilitarian_max_welfare"],
            &utilities(&util.utilities),
            &outcome(util)
        ),
        "{name}: utilitarian"
    );
    // GENIUS's own Nash point agrees too.
    assert!(close(
        &vector(&r["genius_java"]["nash"]["utilities"]),
        &utilities(&nash.utilities)
    ));
    result
}

#[test]
fn laptop() {
    let r = check("Laptop");
    // DESIGN's Kalai–Smorodinsky agrees with the reference's NegMAS variant and with GENIUS here.
    let ks = r.solutions.kalai_smorodinsky.unwrap();
    assert!(close(
        &utilities(&ks.utilities),
        &[0.8740242984783759, 0.874024298478376]
    ));
}

#[test]
fn england_zimbabwe() {
    let r = check("EnglandZimbabwe");
    let ks = r.solutions.kalai_smorodinsky.unwrap();
    assert!(close(
        &utilities(&ks.utilities),
        &[0.8222863965160295, 0.7865697962902025]
    ));
}

#[test]
fn grocery() {
    let r = check("Grocery");
    // Two outcomes tie on welfare (1.735); the higher Nash product breaks the tie.
    let u = r.solutions.utilitarian.unwrap();
    assert!(close(
        &utilities(&u.utilities),
        &[0.895, 0.8400000000000001]
    ));
    let ks = r.solutions.kalai_smorodinsky.unwrap();
    assert!(close(
        &utilities(&ks.utilities),
        &[0.895, 0.8400000000000001]
    ));
}

#[test]
fn itex_cypress() {
    let r = check("ItexvsCypress");
    let ks = r.solutions.kalai_smorodinsky.unwrap();
    assert!(close(
        &utilities(&ks.utilities),
        &[0.7214778614020514, 0.6704784151387018]
    ));
}

/// Utilities computed over the whole space agree with GENIUS's formula evaluated outcome by
/// outcome through the reader's helper.
#[test]
fn utilities_match_reader_outcome_by_outcome() {
    use redline_interop::genius::GeniusValue;
    for name in ["Laptop", "EnglandZimbabwe", "Grocery", "ItexvsCypress"] {
        let (spec, r) = load(name);
        let dir = format!("{SHARED}domains/genius/{name}/");
        let domain = parse_domain(
            &std::fs::read_to_string(format!(
                "{dir}{}",
                r["files"]["domain_file"].as_str().unwrap()
            ))
            .unwrap(),
        )
        .unwrap();
        let ev = redline_deal::Evaluated::new(&spec, 1 << 20, 0.0).unwrap();
        for (p, f) in r["profile_order"].as_array().unwrap().iter().enumerate() {
            let profile = parse_profile(
                &std::fs::read_to_string(format!("{dir}{}", f.as_str().unwrap())).unwrap(),
                &domain,
            )
            .unwrap();
            for i in 0..ev.space.len() {
                let o: Vec<GeniusValue> = ev
                    .space
                    .decode(i)
                    .into_iter()
                    .map(GeniusValue::Discrete)
                    .collect();
                assert_eq!(
                    ev.utilities[p][i],
                    profile.utility(&domain, &o),
                    "{name} party {p} outcome {i}"
                );
                assert_eq!(ev.utilities[p][i], spec.utility(p, &ev.space.decode(i)));
            }
        }
    }
}
