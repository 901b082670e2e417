//! The four reference conflicts: every state, DM and concept, and every payoff, must match.

use std::collections::{BTreeMap, BTreeSet};

use redline_gmcr::{Concept, ConceptSet, Model, analyze, report};

use super::spec_of as from_gmcr_py_spec;
use redline_interop::gmcr_py;
use serde_json::Value;

fn reference(name: &str) -> (String, Value) {
    let dir = redline_testdata::data!("reference/gmcr/");
    let gmcr = std::fs::read_to_string(format!("{dir}{name}.gmcr")).unwrap();
    let expected = std::fs::read_to_string(format!("{dir}{name}.expected.json")).unwrap();
    (gmcr, serde_json::from_str(&expected).unwrap())
}

fn check(name: &str) {
    let (gmcr, expected) = reference(name);
    let file = gmcr_py::parse(&gmcr).unwrap();
    let spec = from_gmcr_py_spec(&file);
    let model = Model::new(&spec).unwrap();
    let stability = analyze(&model, ConceptSet::ALL);
    let rep = report(&model, &stability);

    // Options by (DM name, option name) -> our bit.
    let ours: BTreeMap<(String, String), usize> = spec
        .options
        .iter()
        .enumerate()
        .map(|(b, o)| ((spec.dms[o.dm].name.clone(), o.name.clone()), b))
        .collect();
    let exp_options = expected["options"].as_array().unwrap();
    assert_eq!(exp_options.len(), ours.len());
    // Expected bit -> our bit.
    let mut bit_map = vec![usize::MAX; exp_options.len()];
    for o in exp_options {
        let key = (
            o["dm"].as_str().unwrap().to_string(),
            o["name"].as_str().unwrap().to_string(),
        );
        bit_map[o["bit"].as_u64().unwrap() as usize] = ours[&key];
    }
    let dm_index: BTreeMap<String, usize> = spec
        .dms
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), i))
        .collect();

    let states = expected["states"].as_array().unwrap();
    assert_eq!(
        expected["feasible_states"].as_u64().unwrap() as usize,
        model.num_states(),
        "{name}"
    );
    assert_eq!(states.len(), model.num_states(), "{name}");
    let mut ordered_to_state = BTreeMap::new();
    for st in states {
        let pattern = st["pattern"].as_str().unwrap();
        let code: u64 = pattern
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == 'Y')
            .map(|(b, _)| 1u64 << bit_map[b])
            .sum();
        let s = model
            .index_of(code)
            .unwrap_or_else(|| panic!("{name}: state {pattern} is not feasible here"));
        ordered_to_state.insert(st["ordered"].as_u64().unwrap(), s);
        let taken: BTreeSet<&str> = st["taken"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        let our_taken: BTreeSet<&str> = model
            .taken(s)
            .into_iter()
            .map(|b| spec.options[b].name.as_str())
            .collect();
        assert_eq!(taken, our_taken, "{name} {pattern}");
        for (dm, p) in st["payoff"].as_object().unwrap() {
            let d = dm_index[dm];
            assert_eq!(
                model.payoff(d, s) as u64,
                p.as_u64().unwrap(),
                "{name} {pattern} payoff of {dm}"
            );
        }
        for (dm, flags) in st["stable"].as_object().unwrap() {
            let d = dm_index[dm];
            for c in Concept::ALL {
                let want = flags[c.name()].as_bool().unwrap();
                assert_eq!(
                    stability.is_stable(d, s, c),
                    want,
                    "{name} {pattern} {dm} {c}"
                );
            }
        }
        for c in Concept::ALL {
            let want = st["equilibrium"][c.name()].as_bool().unwrap();
            assert_eq!(
                stability.is_equilibrium(s, c),
                want,
                "{name} {pattern} equilibrium {c}"
            );
        }
    }
    for c in Concept::ALL {
        let want: BTreeSet<u64> = expected["equilibria"][c.name()]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| model.code(ordered_to_state[&o.as_u64().unwrap()]))
            .collect();
        let got: BTreeSet<u64> = rep.equilibria[&c].iter().copied().collect();
        assert_eq!(got, want, "{name} equilibria {c}");
    }
}

#[test]
fn prisoners_dilemma_matches_reference() {
    check("prisoners");
}

#[test]
fn syria_iraq_matches_reference() {
    check("syria-iraq");
}

#[test]
fn cuban_missile_crisis_matches_reference() {
    check("cuban-missile-crisis");
}

#[test]
fn elmira_matches_reference() {
    check("elmira");
}

#[test]
fn reference_files_round_trip_through_the_writer() {
    for name in ["prisoners", "syria-iraq", "cuban-missile-crisis", "elmira"] {
        let (gmcr, _) = reference(name);
        let file = gmcr_py::parse(&gmcr).unwrap();
        let again = gmcr_py::parse(&gmcr_py::write(&file)).unwrap();
        assert_eq!(file, again, "{name}");
        assert_eq!(
            from_gmcr_py_spec(&file),
            from_gmcr_py_spec(&again),
            "{name}"
        );
    }
}

#[test]
fn mutual_cooperation_is_farsighted_stable_in_the_prisoners_dilemma() {
    // Brams & Wittman (1981), Kilgour (1985): with anticipation, mutual cooperation holds
    // although it is not Nash; mutual defection stays stable too.
    let (gmcr, _) = reference("prisoners");
    let model = Model::new(&from_gmcr_py_spec(&gmcr_py::parse(&gmcr).unwrap())).unwrap();
    let both = model.index_of(0b11).unwrap();
    let none = model.index_of(0b00).unwrap();
    let l1 = redline_gmcr::limited_move(&model, 1).unwrap();
    assert!(!l1.stable[0][both] && !l1.stable[1][both]);
    for h in 2..=6 {
        let l = redline_gmcr::limited_move(&model, h).unwrap();
        assert!(l.stable[0][both] && l.stable[1][both], "L_{h}");
        assert!(l.stable[0][none] && l.stable[1][none], "L_{h}");
    }
    let nm = redline_gmcr::non_myopic(&model, 1000).unwrap();
    assert!(nm.stable[0][both] && nm.stable[1][both]);
}
