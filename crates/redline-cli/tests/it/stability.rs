//! `redline stability --format json` on the built-in GMCR classics reproduces the published
//! results of `data/reference/gmcr/*.expected.json` for every state, decision maker and concept.

use super::{data, redline, run_json, run_ok, temp_dir};

fn expected(case: &str) -> serde_json::Value {
    let path = data(&format!("reference/gmcr/{case}.expected.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const CONCEPTS: [&str; 6] = ["nash", "gmr", "smr", "seq", "sim", "seqsim"];

const CASES: [&str; 4] = ["prisoners", "syria-iraq", "cuban-missile-crisis", "elmira"];

#[test]
fn builtin_classics_reproduce_the_reference_for_every_state_dm_and_concept() {
    for case in CASES {
        check_against_reference(case, case);
    }
}

#[test]
fn imported_gmcr_py_files_reproduce_the_reference() {
    let dir = temp_dir("import");
    for case in CASES {
        let gmcr = data(&format!("reference/gmcr/{case}.gmcr"));
        let toml = run_ok(&["import", "gmcr-py", &gmcr]);
        let path = dir.join(format!("{case}.toml"));
        std::fs::write(&path, &toml).unwrap();
        check_against_reference(case, path.to_str().unwrap());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn gmcr_py_export_then_import_keeps_every_result() {
    let dir = temp_dir("export");
    for case in CASES.into_iter().chain(["iran-us-2026"]) {
        let json = run_ok(&["export", "gmcr-py", case]);
        let gmcr = dir.join(format!("{case}.gmcr"));
        std::fs::write(&gmcr, &json).unwrap();
        let toml = run_ok(&["import", "gmcr-py", gmcr.to_str().unwrap()]);
        let path = dir.join(format!("{case}.toml"));
        std::fs::write(&path, &toml).unwrap();
        let before = run_json(&["stability", case, "--format", "json"]);
        let after = run_json(&["stability", path.to_str().unwrap(), "--format", "json"]);
        let strip = |v: &serde_json::Value| -> Vec<(String, Vec<u64>, Vec<bool>)> {
            // Compare what does not depend on ids: pattern, payoffs and stability flags in DM order.
            v["result"]["states"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| {
                    let payoffs = s["payoff"]
                        .as_object()
                        .unwrap()
                        .values()
                        .map(|x| x.as_u64().unwrap())
                        .collect();
                    let flags = s["stable"]
                        .as_object()
                        .unwrap()
                        .values()
                        .flat_map(|m| {
                            m.as_object()
                                .unwrap()
                                .values()
                                .map(|b| b.as_bool().unwrap())
                                .collect::<Vec<_>>()
                        })
                        .collect();
                    (s["pattern"].as_str().unwrap().to_string(), payoffs, flags)
                })
                .collect()
        };
        let (b, a) = (strip(&before), strip(&after));
        // Payoffs of rankings follow gmcr-py's convention; statements keep their dense ranks.
        // Stability must be identical either way.
        assert_eq!(b.len(), a.len(), "{case}");
        for (x, y) in b.iter().zip(&a) {
            assert_eq!(x.0, y.0, "{case}");
            assert_eq!(x.2, y.2, "{case} {}", x.0);
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn check_against_reference(case: &str, scenario: &str) {
    {
        let got = run_json(&["stability", scenario, "--format", "json"]);
        assert_eq!(got["schema"], "redline.stability/v1");
        let r = &got["result"];
        let exp = expected(case);
        // DM names map to our ids through result.decision_makers.
        let id_of = |name: &str| -> String {
            r["decision_makers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["name"] == name)
                .unwrap_or_else(|| panic!("{case}: no DM {name}"))["id"]
                .as_str()
                .unwrap()
                .to_string()
        };
        // Options match by (DM, name) and sit at the same bit.
        for (bit, o) in exp["options"].as_array().unwrap().iter().enumerate() {
            let ours = &r["options"][bit];
            assert_eq!(ours["name"], o["name"], "{case}: option at bit {bit}");
            assert_eq!(
                ours["dm"].as_str().unwrap(),
                id_of(o["dm"].as_str().unwrap()),
                "{case}: owner of bit {bit}"
            );
        }
        let states = r["states"].as_array().unwrap();
        assert_eq!(
            states.len() as u64,
            exp["feasible_states"].as_u64().unwrap(),
            "{case}: feasible states"
        );
        for e in exp["states"].as_array().unwrap() {
            let pattern = e["pattern"].as_str().unwrap();
            let s = states
                .iter()
                .find(|s| s["pattern"] == pattern)
                .unwrap_or_else(|| panic!("{case}: state {pattern} missing"));
            for dm in exp["dms"].as_array().unwrap() {
                let name = dm.as_str().unwrap();
                let id = id_of(name);
                assert_eq!(
                    s["payoff"][&id], e["payoff"][name],
                    "{case} {pattern} payoff of {name}"
                );
                for c in CONCEPTS {
                    assert_eq!(
                        s["stable"][&id][c], e["stable"][name][c],
                        "{case} {pattern} {name} {c}"
                    );
                }
            }
            for c in CONCEPTS {
                assert_eq!(
                    s["equilibrium"][c], e["equilibrium"][c],
                    "{case} {pattern} equilibrium {c}"
                );
            }
            // `taken` lists option ids; their names are the reference's option names.
            let names: Vec<String> = s["taken"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| {
                    r["options"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|o| o["id"] == *id)
                        .unwrap()["name"]
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect();
            let want: Vec<String> = e["taken"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect();
            assert_eq!(names, want, "{case} {pattern} taken");
        }
    }
}

#[test]
fn iran_us_stability_has_the_design_shape() {
    let got = run_json(&["stability", "--format", "json", "--concepts", "nash,seq"]);
    assert_eq!(got["scenario"], "iran-us-2026");
    let r = &got["result"];
    assert_eq!(r["decision_makers"].as_array().unwrap().len(), 3);
    let s = &r["states"][0];
    for key in ["taken", "payoff", "stable", "equilibrium"] {
        assert!(!s[key].is_null(), "state lacks {key}");
    }
    // Every reported equilibrium is stable for every decision maker.
    for s in r["states"].as_array().unwrap() {
        for c in ["nash", "seq"] {
            if s["equilibrium"][c] == true {
                for d in r["decision_makers"].as_array().unwrap() {
                    assert_eq!(s["stable"][d["id"].as_str().unwrap()][c], true);
                }
            }
        }
    }
}

#[test]
fn unknown_concept_is_bad_input() {
    let o = redline(&["stability", "--concepts", "nash,foo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown solution concept `foo`"));
}

#[test]
fn coalitional_nash_equilibria_are_nash_equilibria() {
    // Singleton coalitions are coalitions too, so CNash ⊆ Nash (Inohara & Hipel 2008).
    for case in ["iran-us-2026", "elmira", "cuban-missile-crisis"] {
        let got = run_json(&["stability", case, "--coalitions", "--format", "json"]);
        let r = &got["result"];
        let nash: Vec<&str> = r["equilibria"]["nash"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap())
            .collect();
        for s in r["coalitions"]["coalitional_equilibria"]["nash"]
            .as_array()
            .unwrap()
        {
            assert!(
                nash.contains(&s.as_str().unwrap()),
                "{case}: {s} is CNash but not Nash"
            );
        }
        let players = r["coalitions"]["coalitional_coalitions"]
            .as_array()
            .unwrap()
            .len();
        let dms = r["decision_makers"].as_array().unwrap().len();
        assert_eq!(
            players,
            (1 << dms) - 1,
            "{case}: every coalition is considered by default"
        );
    }
}

#[test]
fn limited_move_needs_two_decision_makers() {
    let o = redline(&["stability", "elmira", "--limited-move", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("limited-move"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let got = run_json(&[
        "stability",
        "prisoners",
        "--limited-move",
        "2",
        "--non-myopic",
        "--format",
        "json",
    ]);
    let f = &got["result"]["farsight"];
    // Kilgour (1985), Brams (1994): in the Prisoner's dilemma both mutual defection and mutual
    // cooperation are stable for farsighted players.
    for key in ["limited_move", "non_myopic"] {
        for pattern in ["NN", "YY"] {
            assert!(
                f[key][pattern]
                    .as_object()
                    .unwrap()
                    .values()
                    .all(|b| b == true),
                "{key} {pattern}"
            );
        }
        for pattern in ["YN", "NY"] {
            assert!(
                !f[key][pattern]
                    .as_object()
                    .unwrap()
                    .values()
                    .all(|b| b == true),
                "{key} {pattern}"
            );
        }
    }
}

#[test]
fn status_quo_can_be_overridden_and_the_state_graph_written() {
    let dir = temp_dir("dot");
    let dot = dir.join("graph.dot");
    let got = run_json(&[
        "stability",
        "--status-quo",
        "YNYNNYNY",
        "--dot",
        dot.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(got["result"]["status_quo"]["pattern"], "YNYNNYNY");
    assert_eq!(got["params"]["status_quo"], "YNYNNYNY");
    let text = std::fs::read_to_string(&dot).unwrap();
    assert!(text.starts_with("digraph"), "{text}");
    assert!(text.contains("id=\"YNYNNYNY\""), "the status quo is a node");
    // The same state given as option ids.
    let by_ids = run_json(&[
        "stability",
        "--status-quo",
        "iran.talks+iran.deescalate+us.relief+turkey.mediate",
        "--format",
        "json",
    ]);
    assert_eq!(by_ids["result"]["status_quo"]["pattern"], "YNYNNYNY");
    let o = redline(&["stability", "--status-quo", "iran.tlks"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `iran.talks`?"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn inverse_says_what_would_make_mutual_cooperation_stable() {
    // Prisoner's dilemma: mutual cooperation is not Nash stable; each prisoner must stop
    // preferring not to cooperate (one edit each), and nothing smaller works.
    let got = run_json(&[
        "inverse",
        "prisoners",
        "--state",
        "YY",
        "--concept",
        "nash",
        "--format",
        "json",
    ]);
    assert_eq!(got["schema"], "redline.inverse/v1");
    let r = &got["result"];
    assert_eq!(r["already_equilibrium"], false);
    assert_eq!(r["edits"], 2);
    for change in r["changes"].as_array().unwrap() {
        let dms: Vec<&str> = change
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["dm"].as_str().unwrap())
            .collect();
        assert!(
            dms.contains(&"prisoner-one") && dms.contains(&"prisoner-2"),
            "{change}"
        );
    }
    // Mutual defection already is one.
    let got = run_json(&["inverse", "prisoners", "--state", "NN", "--format", "json"]);
    assert_eq!(got["result"]["already_equilibrium"], true);
    let o = redline(&["inverse", "prisoners", "--state", "YY", "--concept", "best"]);
    assert_eq!(o.status.code(), Some(2));
}
