//! The GMCR built-ins (`prisoners`, `syria-iraq`, `cuban-missile-crisis`, `elmira`) are faithful
//! transcriptions of the gmcr-py models in `data/reference/gmcr/*.gmcr`.
//!
//! Each check reads the `.gmcr` file with serde_json and compares it with the loaded built-in:
//! decision makers, options per DM in bit order, directions, feasible states (also against the
//! state list of the matching `.expected.json`), misperceptions, and preferences: option statements
//! must order the feasible states exactly as the file's statements do, and an explicit ranking must
//! be the file's `preferenceRanking` and agree with the expected payoffs.

use std::collections::BTreeSet;

use redline_model::{Direction, Expr, Preference, Scenario};
use serde_json::Value;

const SHARED: &str = redline_testdata::data!("");

/// The built-ins transcribed from gmcr-py files, with their status quo as a Y/N pattern in bit
/// order, if they have one.
const CASES: &[(&str, Option<&str>)] = &[
    ("prisoners", None),
    ("syria-iraq", Some("NNN")),
    ("cuban-missile-crisis", Some("NNNN")),
    ("elmira", Some("NYNNN")),
];

fn read_json(rel: &str) -> Value {
    let path = format!("{SHARED}{rel}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {path}: {e}"))
}

fn load(name: &str) -> Scenario {
    let b = redline_scenarios::get(name).unwrap_or_else(|| panic!("no built-in `{name}`"));
    redline_syntax::load(b.toml)
        .unwrap_or_else(|d| panic!("{name} does not load: {d:#?}"))
        .scenario
}

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, found {v}"))
}

fn idx(v: &Value) -> usize {
    v.as_u64()
        .unwrap_or_else(|| panic!("expected an index, found {v}")) as usize
}

/// A condition of the file, `[[option, "Y"|"N"], ...]`, read as an AND, on a state given as a
/// predicate over file option indices.
fn condition_holds(cond: &Value, taken: &dyn Fn(usize) -> bool) -> bool {
    arr(cond).iter().all(|pair| {
        let pair = arr(pair);
        let want = match pair[1].as_str() {
            Some("Y") => true,
            Some("N") => false,
            other => panic!("bad condition value {other:?}"),
        };
        taken(idx(&pair[0])) == want
    })
}

/// A preference statement of the file: a condition, or `{compound: true, members: [...]}` read as
/// an OR of conditions.
fn statement_holds(stmt: &Value, taken: &dyn Fn(usize) -> bool) -> bool {
    if stmt.get("compound").and_then(Value::as_bool) == Some(true) {
        arr(&stmt["members"])
            .iter()
            .any(|m| condition_holds(m, taken))
    } else {
        condition_holds(stmt, taken)
    }
}

/// Option prioritisation scores: statement j of k has weight 2^(k−1−j).
fn score(holds: impl Fn(usize) -> bool, k: usize) -> u64 {
    (0..k)
        .filter(|&j| holds(j))
        .map(|j| 1u64 << (k - 1 - j))
        .sum()
}

fn pattern(code: u64, n: usize) -> String {
    (0..n)
        .map(|b| if code >> b & 1 == 1 { 'Y' } else { 'N' })
        .collect()
}

struct Case {
    name: &'static str,
    sc: Scenario,
    file: Value,
    expected: Value,
    /// `file_bits[b]`: the file's option index at bit b.
    file_bits: Vec<usize>,
    /// `ours[b]`: the scenario's option index at bit b.
    ours: Vec<usize>,
    /// Feasible state codes in increasing order (bit b has weight 2^b).
    feasible: Vec<u64>,
}

impl Case {
    fn new(name: &'static str) -> Case {
        let sc = load(name);
        let file = read_json(&format!("reference/gmcr/{name}.gmcr"));
        let expected = read_json(&format!("reference/gmcr/{name}.expected.json"));
        let file_bits: Vec<usize> = arr(&file["decisionMakers"])
            .iter()
            .flat_map(|dm| arr(&dm["options"]).iter().map(idx))
            .collect();
        let ours = sc.bit_order();
        let n = ours.len();
        assert!(n < 20, "{name}: too many options to enumerate");
        let view = sc.stability.as_ref().expect("a stability view");
        let feasible = (0..1u64 << n)
            .filter(|&code| {
                let taken = |o: usize| {
                    let bit = ours.iter().position(|&x| x == o).unwrap();
                    code >> bit & 1 == 1
                };
                !view.infeasible.iter().any(|e| e.eval_options(taken))
                    && view.require.iter().all(|e| e.eval_options(taken))
            })
            .collect();
        Case {
            name,
            sc,
            file,
            expected,
            file_bits,
            ours,
            feasible,
        }
    }

    /// A state of the file's options (by file index) from a code in bit order.
    fn file_taken(&self, code: u64) -> impl Fn(usize) -> bool + '_ {
        move |opt| {
            let bit = self.file_bits.iter().position(|&x| x == opt).unwrap();
            code >> bit & 1 == 1
        }
    }

    /// A state of our options (by scenario index) from a code in bit order.
    fn our_taken(&self, code: u64) -> impl Fn(usize) -> bool + '_ {
        move |opt| {
            let bit = self.ours.iter().position(|&x| x == opt).unwrap();
            code >> bit & 1 == 1
        }
    }

    fn dms(&self) -> &Vec<Value> {
        arr(&self.file["decisionMakers"])
    }

    /// The expected payoff of each feasible state for a DM, by pattern.
    fn expected_payoff(&self, dm_name: &str, code: u64) -> i64 {
        let p = pattern(code, self.ours.len());
        let state = arr(&self.expected["states"])
            .iter()
            .find(|s| s["pattern"] == p.as_str())
            .unwrap_or_else(|| panic!("{}: state {p} not in the expected list", self.name));
        state["payoff"][dm_name].as_i64().unwrap()
    }
}

#[test]
fn decision_makers_options_and_directions_match_the_files() {
    for &(name, _) in CASES {
        let c = Case::new(name);
        let dms = c.sc.decision_makers();
        let ours: Vec<&str> = dms.iter().map(|&a| c.sc.actors[a].name.as_str()).collect();
        let theirs: Vec<&str> = c
            .dms()
            .iter()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        assert_eq!(ours, theirs, "{name}: decision makers");
        let expected_dms: Vec<&str> = arr(&c.expected["dms"])
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        assert_eq!(
            ours, expected_dms,
            "{name}: decision makers of expected.json"
        );
        assert_eq!(
            c.ours.len(),
            arr(&c.file["options"]).len(),
            "{name}: options"
        );

        for (bit, (&o, &f)) in c.ours.iter().zip(&c.file_bits).enumerate() {
            let opt = &c.sc.options[o];
            let fopt = &c.file["options"][f];
            let fdm = c
                .dms()
                .iter()
                .find(|d| arr(&d["options"]).iter().any(|x| idx(x) == f))
                .unwrap();
            assert_eq!(
                opt.name,
                fopt["name"].as_str().unwrap(),
                "{name}: bit {bit}"
            );
            assert_eq!(
                c.sc.actors[opt.owner].name,
                fdm["name"].as_str().unwrap(),
                "{name}: owner of bit {bit}"
            );
            let dir = match fopt["permittedDirection"].as_str().unwrap() {
                "both" => Direction::Both,
                "fwd" => Direction::Forward,
                "back" => Direction::Backward,
                other => panic!("{name}: bad direction {other}"),
            };
            assert_eq!(opt.direction, dir, "{name}: direction of bit {bit}");
            // The expected.json lists the same options in the same bit order.
            let eopt = &c.expected["options"][bit];
            assert_eq!(eopt["bit"].as_u64(), Some(bit as u64));
            assert_eq!(eopt["name"].as_str(), Some(opt.name.as_str()));
            assert_eq!(
                eopt["dm"].as_str(),
                Some(c.sc.actors[opt.owner].name.as_str())
            );
        }
    }
}

#[test]
fn feasible_states_match_the_files_and_the_expected_state_lists() {
    for &(name, _) in CASES {
        let c = Case::new(name);
        let n = c.ours.len();
        // From the file's own infeasibles.
        let from_file: Vec<u64> = (0..1u64 << n)
            .filter(|&code| {
                let taken = c.file_taken(code);
                !arr(&c.file["infeasibles"])
                    .iter()
                    .any(|cond| condition_holds(cond, &taken))
            })
            .collect();
        assert_eq!(c.feasible, from_file, "{name}: feasible codes");
        let ours: BTreeSet<String> = c.feasible.iter().map(|&s| pattern(s, n)).collect();
        let expected: BTreeSet<String> = arr(&c.expected["states"])
            .iter()
            .map(|s| s["pattern"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ours, expected, "{name}: feasible patterns");
        assert_eq!(
            c.expected["feasible_states"].as_u64(),
            Some(c.feasible.len() as u64)
        );
        // The expected list is in code order, with `decimal` the code in bit order.
        for (state, &code) in arr(&c.expected["states"]).iter().zip(&c.feasible) {
            assert_eq!(state["decimal"].as_u64(), Some(code), "{name}");
        }
    }
}

#[test]
fn status_quo_misperceptions_and_coalitions_are_as_documented() {
    for &(name, sq) in CASES {
        let c = Case::new(name);
        let view = c.sc.stability.as_ref().unwrap();
        let want = sq.map(|p| {
            let mut v: Vec<usize> = p
                .chars()
                .enumerate()
                .filter(|(_, ch)| *ch == 'Y')
                .map(|(b, _)| c.ours[b])
                .collect();
            v.sort_unstable();
            v
        });
        assert_eq!(view.status_quo, want, "{name}: status quo");
        for (p, dm) in view.preferences.iter().zip(c.dms()) {
            assert_eq!(
                p.misperceptions.len(),
                arr(&dm["misperceptions"]).len(),
                "{name}: misperceptions"
            );
        }
        // Every coalition in these files is a single DM (a bare index): nothing to declare.
        if let Some(cs) = c.file.get("coalitions") {
            assert!(arr(cs).iter().all(Value::is_u64), "{name}: coalitions");
            assert!(view.coalitions.is_empty(), "{name}: coalitions");
        }
    }
}

#[test]
fn option_statements_order_states_as_the_files_and_the_expected_payoffs_do() {
    for &(name, _) in CASES {
        let c = Case::new(name);
        let view = c.sc.stability.as_ref().unwrap();
        let manual = c.file["useManualPreferenceRanking"].as_bool() == Some(true);
        for (p, dm) in view.preferences.iter().zip(c.dms()) {
            let dm_name = dm["name"].as_str().unwrap();
            assert_eq!(c.sc.actors[p.actor].name, dm_name);
            let Preference::Statements(stmts) = &p.preference else {
                assert!(
                    manual,
                    "{name}: {dm_name} has a ranking but the file has none"
                );
                continue;
            };
            assert!(!manual, "{name}: the file uses a manual ranking");
            let theirs = arr(&dm["preferences"]);
            assert_eq!(stmts.len(), theirs.len(), "{name}: statements of {dm_name}");
            for &code in &c.feasible {
                // Statement by statement, not only in total.
                for (j, (s, t)) in stmts.iter().zip(theirs).enumerate() {
                    assert_eq!(
                        s.expr.eval_options(c.our_taken(code)),
                        statement_holds(t, &c.file_taken(code)),
                        "{name}: {dm_name}, statement {j} ({}) on {}",
                        s.text,
                        pattern(code, c.ours.len())
                    );
                }
            }
            let ours = |code: u64| {
                let taken = c.our_taken(code);
                score(|j| stmts[j].expr.eval_options(&taken), stmts.len())
            };
            for &a in &c.feasible {
                for &b in &c.feasible {
                    assert_eq!(
                        ours(a).cmp(&ours(b)),
                        c.expected_payoff(dm_name, a)
                            .cmp(&c.expected_payoff(dm_name, b)),
                        "{name}: {dm_name} on {} vs {}",
                        pattern(a, c.ours.len()),
                        pattern(b, c.ours.len())
                    );
                }
            }
        }
    }
}

/// The 0-based tie group (0 = best) of a state in a ranking.
fn group_of(groups: &[Vec<redline_model::Pattern>], code: u64) -> usize {
    let hits: Vec<usize> = groups
        .iter()
        .enumerate()
        .filter(|(_, g)| g.iter().any(|p| p.matches(|b| code >> b & 1 == 1)))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(hits.len(), 1, "state {code} is in {} groups", hits.len());
    hits[0]
}

#[test]
fn rankings_are_the_files_rankings_and_agree_with_the_expected_payoffs() {
    let mut checked = 0;
    for &(name, _) in CASES {
        let c = Case::new(name);
        let view = c.sc.stability.as_ref().unwrap();
        for (p, dm) in view.preferences.iter().zip(c.dms()) {
            let Preference::Ranking(groups) = &p.preference else {
                continue;
            };
            let dm_name = dm["name"].as_str().unwrap();
            // The file's ranking: entries are 1-based ranks of codes among the feasible states
            // sorted by code, best first; an inner list is a tie group.
            let theirs: Vec<BTreeSet<u64>> = arr(&dm["preferenceRanking"])
                .iter()
                .map(|e| match e {
                    Value::Array(xs) => xs.iter().map(|x| c.feasible[idx(x) - 1]).collect(),
                    x => BTreeSet::from([c.feasible[idx(x) - 1]]),
                })
                .collect();
            let ours: Vec<BTreeSet<u64>> = (0..groups.len())
                .map(|g| {
                    c.feasible
                        .iter()
                        .copied()
                        .filter(|&s| group_of(groups, s) == g)
                        .collect()
                })
                .collect();
            assert_eq!(ours, theirs, "{name}: ranking of {dm_name}");
            // Better ranked (smaller group) means a higher expected payoff; ties stay tied.
            for &a in &c.feasible {
                for &b in &c.feasible {
                    assert_eq!(
                        group_of(groups, b).cmp(&group_of(groups, a)),
                        c.expected_payoff(dm_name, a)
                            .cmp(&c.expected_payoff(dm_name, b)),
                        "{name}: {dm_name} on {} vs {}",
                        pattern(a, c.ours.len()),
                        pattern(b, c.ours.len())
                    );
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 3, "Elmira's three rankings are checked");
}

#[test]
fn expressions_name_only_options() {
    // Stability expressions are over options only; a stray issue comparison would evaluate as
    // false and silently change the model.
    for &(name, _) in CASES {
        let sc = load(name);
        let view = sc.stability.as_ref().unwrap();
        let mut exprs: Vec<&Expr> = view.infeasible.iter().chain(&view.require).collect();
        for p in &view.preferences {
            if let Preference::Statements(s) = &p.preference {
                exprs.extend(s.iter().map(|s| &s.expr));
            }
        }
        for e in exprs {
            assert!(e.issues().is_empty(), "{name}: {e:?}");
        }
        assert!(sc.issues.is_empty(), "{name} has no deal view");
        assert_eq!(
            sc.actors.len(),
            sc.decision_makers().len(),
            "{name}: every actor is a DM"
        );
    }
}
