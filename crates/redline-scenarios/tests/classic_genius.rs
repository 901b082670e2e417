//! The GENIUS built-ins (`england-zimbabwe`, `grocery`, `itex-cypress`, `laptop`) are faithful
//! transcriptions of the domains and profiles in `data/domains/genius/`.
//!
//! Each check reads the XML directly (roxmltree, not our GENIUS importer) and compares it with the
//! loaded built-in: issues, values, weights, evaluations, reservation values and discount factors.
//! It then evaluates every outcome with `redline_model::Utility::evaluate`, against a direct
//! computation from the XML and against `data/reference/negotiation/*.expected.json`: the
//! outcome count, utility ranges, the Pareto frontier (as a set of utility vectors) and the
//! utilities of every listed outcome (Pareto points, Nash, egalitarian, Kalai–Smorodinsky,
//! utilitarian), within 1e-9.

use redline_model::{Evaluator, IssueDomain, Scenario};
use serde_json::Value;

const SHARED: &str = redline_testdata::data!("");

struct Case {
    builtin: &'static str,
    folder: &'static str,
    domain: &'static str,
    /// Profile files with the actor id each became, in the reference's `profile_order`.
    profiles: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        builtin: "england-zimbabwe",
        folder: "EnglandZimbabwe",
        domain: "EnglandZimbabwe_domain.xml",
        profiles: &[("England.xml", "england"), ("Zimbabwe.xml", "zimbabwe")],
    },
    Case {
        builtin: "grocery",
        folder: "Grocery",
        domain: "Grocery_domain.xml",
        profiles: &[
            ("Grocery_domain_sam.xml", "sam"),
            ("Grocery_domain_mary.xml", "mary"),
        ],
    },
    Case {
        builtin: "itex-cypress",
        folder: "ItexvsCypress",
        domain: "ItexvsCypress_domain.xml",
        profiles: &[
            ("ItexvsCypress_Itex.xml", "itex"),
            ("ItexvsCypress_Cypress.xml", "cypress"),
        ],
    },
    Case {
        builtin: "laptop",
        folder: "Laptop",
        domain: "laptop_domain.xml",
        profiles: &[
            ("laptop_buyer_utility.xml", "buyer"),
            ("laptop_seller_utility.xml", "seller"),
        ],
    },
];

const TOL: f64 = 1e-9;

fn read(rel: &str) -> String {
    let path = format!("{SHARED}{rel}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"))
}

fn load(name: &str) -> Scenario {
    let b = redline_scenarios::get(name).unwrap_or_else(|| panic!("no built-in `{name}`"));
    redline_syntax::load(b.toml)
        .unwrap_or_else(|d| panic!("{name} does not load: {d:#?}"))
        .scenario
}

/// A discrete issue as the XML gives it.
struct XmlIssue {
    name: String,
    values: Vec<String>,
    /// The raw evaluation per value (profiles only).
    evals: Vec<f64>,
    /// The weight as written (profiles only).
    weight: f64,
}

/// A domain or profile file: its issues, reservation value and discount factor.
struct XmlSpace {
    issues: Vec<XmlIssue>,
    reservation: Option<f64>,
    discount: Option<f64>,
}

fn num(s: Option<&str>, what: &str) -> f64 {
    let s = s.unwrap_or_else(|| panic!("missing {what}"));
    s.trim()
        .parse()
        .unwrap_or_else(|e| panic!("{what} `{s}`: {e}"))
}

fn parse_space(text: &str) -> XmlSpace {
    let doc = roxmltree::Document::parse(text).unwrap();
    let elements = |tag: &'static str| {
        doc.descendants()
            .filter(move |n| n.is_element() && n.tag_name().name() == tag)
    };
    let weights: Vec<(String, f64)> = elements("weight")
        .map(|w| {
            (
                w.attribute("index").unwrap().to_string(),
                num(w.attribute("value"), "weight"),
            )
        })
        .collect();
    let issues = elements("issue")
        .map(|i| {
            assert_eq!(
                i.attribute("type"),
                Some("discrete"),
                "discrete issues only"
            );
            let items: Vec<_> = i
                .children()
                .filter(|n| n.is_element() && n.tag_name().name() == "item")
                .collect();
            let index = i.attribute("index").unwrap();
            XmlIssue {
                name: i.attribute("name").unwrap().to_string(),
                values: items
                    .iter()
                    .map(|it| it.attribute("value").unwrap().to_string())
                    .collect(),
                evals: items
                    .iter()
                    .filter_map(|it| it.attribute("evaluation"))
                    .map(|e| num(Some(e), "evaluation"))
                    .collect(),
                weight: weights
                    .iter()
                    .find(|(k, _)| k == index)
                    .map_or(f64::NAN, |w| w.1),
            }
        })
        .collect();
    XmlSpace {
        issues,
        reservation: elements("reservation")
            .next()
            .map(|r| num(r.attribute("value"), "reservation")),
        discount: elements("discount_factor")
            .next()
            .map(|d| num(d.attribute("value"), "discount_factor")),
    }
}

/// GENIUS additive utility computed from the XML: min(1, Σ w·e/max e).
fn xml_utility(p: &XmlSpace, outcome: &[usize]) -> f64 {
    let u: f64 = p
        .issues
        .iter()
        .zip(outcome)
        .map(|(i, &v)| {
            let max = i.evals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            i.weight * i.evals[v] / max
        })
        .sum();
    u.min(1.0)
}

/// Every outcome as value indices, in lexicographic order (the last issue varies fastest).
fn outcomes(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    for &n in sizes {
        out = out
            .into_iter()
            .flat_map(|o| {
                (0..n).map(move |v| {
                    let mut o = o.clone();
                    o.push(v);
                    o
                })
            })
            .collect();
    }
    out
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= TOL
}

fn utilities(sc: &Scenario, case: &Case, outcome: &[usize]) -> Vec<f64> {
    case.profiles
        .iter()
        .map(|(_, actor)| {
            let a = sc.actor_index(actor).unwrap();
            sc.utility_of(a).unwrap().evaluate(&sc.issues, outcome)
        })
        .collect()
}

#[test]
fn issues_weights_evaluations_and_reservations_are_the_xmls() {
    for case in CASES {
        let name = case.builtin;
        let sc = load(name);
        let domain = parse_space(&read(&format!(
            "domains/genius/{}/{}",
            case.folder, case.domain
        )));
        assert_eq!(sc.issues.len(), domain.issues.len(), "{name}: issues");
        for (ours, theirs) in sc.issues.iter().zip(&domain.issues) {
            assert_eq!(ours.name, theirs.name, "{name}: issue name");
            match &ours.domain {
                IssueDomain::Labels { values, ordered } => {
                    assert_eq!(values, &theirs.values, "{name}: values of {}", ours.id);
                    assert!(
                        !ordered,
                        "{name}: GENIUS discrete issues are unordered labels"
                    );
                }
                other => panic!("{name}: {} is not labels: {other:?}", ours.id),
            }
        }
        // Parties: one per profile, in profile order, and nothing else.
        let parties: Vec<&str> = sc.parties().map(|(_, a)| a.id.as_str()).collect();
        let want: Vec<&str> = case.profiles.iter().map(|p| p.1).collect();
        assert_eq!(parties, want, "{name}: parties");
        assert_eq!(sc.actors.len(), want.len(), "{name}: actors");
        assert_eq!(sc.utilities.len(), want.len(), "{name}: utilities");
        assert!(sc.red_lines.is_empty() && sc.linkages.is_empty(), "{name}");
        assert!(sc.options.is_empty(), "{name} has no stability view");

        for (file, actor) in case.profiles {
            let p = parse_space(&read(&format!("domains/genius/{}/{file}", case.folder)));
            let u = sc.utility_of(sc.actor_index(actor).unwrap()).unwrap();
            assert_eq!(
                Some(u.reservation),
                p.reservation,
                "{name}: {actor} reservation"
            );
            let discount = p.discount.filter(|d| *d > 0.0 && *d < 1.0);
            assert_eq!(u.discount, discount, "{name}: {actor} discount");
            assert!(u.constraints.is_empty());
            assert_eq!(u.terms.len(), p.issues.len(), "{name}: {actor} terms");
            for (t, xi) in u.terms.iter().zip(&p.issues) {
                let issue = &sc.issues[t.issue];
                assert_eq!(issue.name, xi.name, "{name}: {actor}: issue order");
                assert_eq!(
                    issue.domain.len(),
                    xi.values.len(),
                    "{name}: {actor}: {}",
                    issue.id
                );
                // Exactly as written: the same f64 as the XML text parses to.
                assert_eq!(
                    t.weight, xi.weight,
                    "{name}: {actor}: weight of {}",
                    issue.id
                );
                assert_eq!(
                    t.evaluator,
                    Evaluator::Table(xi.evals.clone()),
                    "{name}: {actor}: evaluations of {}",
                    issue.id
                );
            }
        }
    }
}

#[test]
fn every_outcome_has_the_xml_utility() {
    for case in CASES {
        let name = case.builtin;
        let sc = load(name);
        let profiles: Vec<XmlSpace> = case
            .profiles
            .iter()
            .map(|(f, _)| parse_space(&read(&format!("domains/genius/{}/{f}", case.folder))))
            .collect();
        let sizes: Vec<usize> = sc.issues.iter().map(|i| i.domain.len()).collect();
        for o in outcomes(&sizes) {
            for (u, p) in utilities(&sc, case, &o).into_iter().zip(&profiles) {
                let want = xml_utility(p, &o);
                assert!(close(u, want), "{name}: {o:?}: {u} vs {want}");
            }
        }
    }
}

/// The value indices of an outcome given by its labels.
fn outcome_of(sc: &Scenario, labels: &Value) -> Vec<usize> {
    let labels = labels.as_array().unwrap();
    assert_eq!(labels.len(), sc.issues.len());
    sc.issues
        .iter()
        .zip(labels)
        .map(|(i, l)| {
            let IssueDomain::Labels { values, .. } = &i.domain else {
                unreachable!()
            };
            let l = l.as_str().unwrap();
            values
                .iter()
                .position(|v| v == l)
                .unwrap_or_else(|| panic!("{}: no value {l:?}", i.id))
        })
        .collect()
}

fn vector(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn same_vector(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| close(*x, *y))
}

/// a dominates b: at least as good for everyone and better for someone (with a tolerance far
/// below any real utility difference).
fn dominates(a: &[f64], b: &[f64]) -> bool {
    const EPS: f64 = 1e-12;
    a.iter().zip(b).all(|(x, y)| *x >= y - EPS) && a.iter().zip(b).any(|(x, y)| *x > y + EPS)
}

#[test]
fn reference_figures_hold_on_our_utilities() {
    for case in CASES {
        let name = case.builtin;
        let sc = load(name);
        let exp: Value = serde_json::from_str(&read(&format!(
            "reference/negotiation/{}.expected.json",
            case.folder
        )))
        .unwrap();
        let order: Vec<&str> = exp["profile_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        let ours: Vec<&str> = case.profiles.iter().map(|p| p.0).collect();
        assert_eq!(ours, order, "{name}: profile order");
        assert_eq!(exp["files"]["domain_file"].as_str(), Some(case.domain));

        let sizes: Vec<usize> = sc.issues.iter().map(|i| i.domain.len()).collect();
        let all = outcomes(&sizes);
        assert_eq!(exp["n_outcomes"].as_u64(), Some(all.len() as u64), "{name}");
        assert_eq!(exp["n_issues"].as_u64(), Some(sizes.len() as u64), "{name}");
        let us: Vec<Vec<f64>> = all.iter().map(|o| utilities(&sc, case, o)).collect();

        // Reservation values.
        let reserved: Vec<f64> = case
            .profiles
            .iter()
            .map(|(_, a)| {
                sc.utility_of(sc.actor_index(a).unwrap())
                    .unwrap()
                    .reservation
            })
            .collect();
        assert!(
            same_vector(&reserved, &vector(&exp["reserved_values"])),
            "{name}"
        );

        // Utility ranges per party.
        for (k, range) in exp["utility_ranges"].as_array().unwrap().iter().enumerate() {
            let lo = us.iter().map(|u| u[k]).fold(f64::INFINITY, f64::min);
            let hi = us.iter().map(|u| u[k]).fold(f64::NEG_INFINITY, f64::max);
            assert!(
                same_vector(&[lo, hi], &vector(range)),
                "{name}: range of party {k}: [{lo}, {hi}] vs {range}"
            );
        }

        // Every listed outcome has the listed utilities (and, for Pareto points, its index).
        for key in [
            "pareto",
            "nash",
            "egalitarian_max_min_gain",
            "kalai_smorodinsky_negmas_min_spread",
            "utilitarian_max_welfare",
        ] {
            for entry in exp[key].as_array().unwrap() {
                let o = outcome_of(&sc, &entry["outcome"]);
                let u = utilities(&sc, case, &o);
                assert!(
                    same_vector(&u, &vector(&entry["utilities"])),
                    "{name}: {key}: {u:?} vs {}",
                    entry["utilities"]
                );
                if let Some(i) = entry["outcome_index"].as_u64() {
                    assert_eq!(all[i as usize], o, "{name}: {key}: outcome index");
                }
            }
        }
        for key in ["nash", "kalai_smorodinsky"] {
            let entry = &exp["genius_java"][key];
            let u = utilities(&sc, case, &outcome_of(&sc, &entry["outcome"]));
            assert!(
                same_vector(&u, &vector(&entry["utilities"])),
                "{name}: {key}"
            );
        }

        // The Pareto frontier as a set of distinct utility vectors (all reservations are 0, so
        // every outcome is rational).
        let mut frontier: Vec<&Vec<f64>> = Vec::new();
        for u in &us {
            if u.iter().zip(&reserved).any(|(x, r)| x < r) || us.iter().any(|v| dominates(v, u)) {
                continue;
            }
            if !frontier.iter().any(|f| same_vector(f, u)) {
                frontier.push(u);
            }
        }
        let expected: Vec<Vec<f64>> = exp["pareto"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| vector(&e["utilities"]))
            .collect();
        assert_eq!(
            exp["pareto_size_distinct_vectors"].as_u64(),
            Some(expected.len() as u64)
        );
        assert_eq!(frontier.len(), expected.len(), "{name}: frontier size");
        for f in &frontier {
            assert!(
                expected.iter().any(|e| same_vector(e, f)),
                "{name}: {f:?} is not on the reference frontier"
            );
        }

        // The Nash point maximises the product of gains over the reservations.
        let gain = |u: &[f64]| u.iter().zip(&reserved).map(|(x, r)| x - r).product::<f64>();
        let best = us.iter().map(|u| gain(u)).fold(f64::NEG_INFINITY, f64::max);
        let nash = vector(&exp["nash"][0]["utilities"]);
        assert!(close(best, gain(&nash)), "{name}: Nash product");
    }
}
