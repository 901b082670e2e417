//! Shared helpers: GENIUS domains lowered through `redline-interop`, and small generated domains.

use std::sync::Arc;

use redline_interop::genius::{self, GeniusIssueKind, GeniusValue};
use redline_negotiate::{Domain, IndexedDomain, Issue, PartyView, Reference};

pub const GENIUS: &str = redline_testdata::data!("domains/genius");
pub const EXPECTED: &str = redline_testdata::data!("reference/negotiation");

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Lowers a GENIUS domain and its profiles (discrete issues) into an engine domain, outcomes in
/// row-major order (the last issue fastest), with GENIUS utilities.
pub fn genius_domain(folder: &str, domain_file: &str, profiles: &[&str]) -> Domain {
    let dir = format!("{GENIUS}/{folder}");
    let gd = genius::parse_domain(&read(&format!("{dir}/{domain_file}"))).unwrap();
    let issues: Vec<Issue> = gd
        .issues
        .iter()
        .map(|i| match &i.kind {
            GeniusIssueKind::Discrete { values } => Issue {
                name: i.name.clone(),
                values: values.clone(),
            },
            other => panic!("only discrete issues here, got {other:?}"),
        })
        .collect();
    let count: usize = issues.iter().map(|i| i.values.len()).product();
    let mut parties = Vec::new();
    for file in profiles {
        let prof = genius::parse_profile(&read(&format!("{dir}/{file}")), &gd).unwrap();
        let mut utilities = Vec::with_capacity(count);
        let mut values = vec![GeniusValue::Discrete(0); issues.len()];
        for o in 0..count {
            let mut rest = o;
            for k in (0..issues.len()).rev() {
                values[k] = GeniusValue::Discrete(rest % issues[k].values.len());
                rest /= issues[k].values.len();
            }
            utilities.push(prof.utility(&gd, &values));
        }
        let mut party = PartyView::new(file.trim_end_matches(".xml"), utilities, prof.reservation);
        party.discount = prof.discount;
        parties.push(party);
    }
    Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: folder.to_string(),
        outcome_count: count,
        parties,
        issues: Some(issues),
    }
}

/// The four published GENIUS domains, profiles in the reference files' order.
pub fn genius_domains() -> Vec<Domain> {
    vec![
        genius_domain(
            "EnglandZimbabwe",
            "EnglandZimbabwe_domain.xml",
            &["England.xml", "Zimbabwe.xml"],
        ),
        genius_domain(
            "Grocery",
            "Grocery_domain.xml",
            &["Grocery_domain_sam.xml", "Grocery_domain_mary.xml"],
        ),
        genius_domain(
            "ItexvsCypress",
            "ItexvsCypress_domain.xml",
            &["ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml"],
        ),
        genius_domain(
            "Laptop",
            "laptop_domain.xml",
            &["laptop_buyer_utility.xml", "laptop_seller_utility.xml"],
        ),
    ]
}

pub fn england_zimbabwe() -> Arc<IndexedDomain> {
    Arc::new(IndexedDomain::build(genius_domains().remove(0)).unwrap())
}

/// The frontier and Nash point published in `reference/negotiation/<name>.expected.json`.
pub fn published_reference(name: &str) -> Reference {
    let v: serde_json::Value =
        serde_json::from_str(&read(&format!("{EXPECTED}/{name}.expected.json"))).unwrap();
    let vec = |x: &serde_json::Value| -> Vec<f64> {
        x["utilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u.as_f64().unwrap())
            .collect()
    };
    Reference {
        frontier: v["pareto"].as_array().unwrap().iter().map(vec).collect(),
        nash: v["nash"].as_array().unwrap().first().map(vec),
    }
}

/// Brute-force Pareto frontier (utility vectors not strictly dominated; duplicates collapsed):
/// the obviously-right O(n²) check, for tests only.
pub fn brute_force_reference(domain: &IndexedDomain) -> Reference {
    let d = domain.domain();
    let vectors: Vec<Vec<f64>> = (0..d.outcome_count)
        .map(|o| d.parties.iter().map(|p| p.utilities[o]).collect())
        .collect();
    let dominates = |a: &[f64], b: &[f64]| {
        a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
    };
    let mut frontier: Vec<Vec<f64>> = Vec::new();
    for v in &vectors {
        if !vectors.iter().any(|w| dominates(w, v)) && !frontier.contains(v) {
            frontier.push(v.clone());
        }
    }
    let rv: Vec<f64> = d.parties.iter().map(|p| p.reservation).collect();
    let nash = vectors
        .iter()
        .filter(|v| v.iter().zip(&rv).all(|(u, r)| u >= r))
        .max_by(|a, b| {
            let pa: f64 = a.iter().zip(&rv).map(|(u, r)| u - r).product();
            let pb: f64 = b.iter().zip(&rv).map(|(u, r)| u - r).product();
            pa.total_cmp(&pb)
        })
        .cloned();
    Reference { frontier, nash }
}
