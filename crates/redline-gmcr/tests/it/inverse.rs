//! Inverse GMCR against brute force over all rankings, and priority changes against an
//! exhaustive search of smaller edit sets.

use std::collections::HashSet;

use proptest::prelude::*;
use redline_gmcr::{
    Concept, ConceptSet, ConflictSpec, InverseError, InverseQuery, Model, Preference, PriorityEdit,
    RandomParams, analyze, inverse, priority_changes, random_conflict,
};

use crate::brute::Brute;
use crate::props::config;

fn permutations(n: usize) -> Vec<Vec<u32>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for pos in 0..=p.len() {
            let mut q = p.clone();
            q.insert(pos, n as u32);
            out.push(q);
        }
    }
    out
}

/// The spec with DM rankings given as payoff vectors (strict, position = payoff).
fn with_rankings(spec: &ConflictSpec, codes: &[u64], payoffs: &[&Vec<u32>]) -> ConflictSpec {
    let mut s = spec.clone();
    for (dm, q) in payoffs.iter().enumerate() {
        let mut order: Vec<usize> = (0..codes.len()).collect();
        order.sort_by_key(|&x| std::cmp::Reverse(q[x]));
        s.dms[dm].preference =
            Preference::Ranking(order.into_iter().map(|x| vec![codes[x]]).collect());
    }
    s
}

proptest! {
    #![proptest_config(config(25))]

    #[test]
    fn inverse_counts_match_brute_force(
        options in 2usize..=3, infeasible in 0usize..=2, seed in any::<u64>(), pick in any::<u64>(),
        narrow in any::<bool>(),
    ) {
        let p = RandomParams { dms: 2, options, infeasible, irreversible: 0.3, misperception: 0.2, ..RandomParams::default() };
        let spec = random_conflict(&p, seed);
        let Ok(model) = Model::new(&spec) else { return Ok(()) };
        let n = model.num_states();
        prop_assume!(n <= 4);
        let s = pick as usize % n;
        // Optionally pin the target state to the upper half for DM 0.
        let ranges: Vec<Vec<(u32, u32)>> = if narrow {
            vec![(0..n).map(|x| if x == s { ((n as u32).div_ceil(2), n as u32) } else { (1, n as u32) }).collect(), vec![]]
        } else {
            vec![]
        };
        let perms = permutations(n);
        let allowed = |dm: usize, q: &Vec<u32>| ranges.get(dm).filter(|r| !r.is_empty()).is_none_or(|r| (0..n).all(|x| r[x].0 <= q[x] && q[x] <= r[x].1));
        for c in Concept::ALL {
            let got = inverse(&model, &InverseQuery { state: model.code(s), concept: c, ranges: ranges.clone(), max_solutions: 1000 }).unwrap();
            let mut want = 0u128;
            let mut solutions = HashSet::new();
            for a in perms.iter().filter(|q| allowed(0, q)) {
                for b in perms.iter().filter(|q| allowed(1, q)) {
                    let b2 = Brute::new(&with_rankings(&spec, model.codes(), &[a, b])).unwrap();
                    if (0..2).all(|dm| b2.all(dm, s)[c as usize]) {
                        want += 1;
                        solutions.insert(vec![a.clone(), b.clone()]);
                    }
                }
            }
            prop_assert_eq!(got.count, want, "concept {}", c);
            prop_assert_eq!(got.solutions.len() as u128, want.min(1000));
            for sol in &got.solutions {
                prop_assert!(solutions.contains(sol));
            }
            prop_assert_eq!(got.closest.is_some(), want > 0);
        }
    }

    #[test]
    fn priority_changes_are_minimal_and_work(
        dms in 2usize..=3, options in 2usize..=6, statements in 1usize..=4, seed in any::<u64>(), pick in any::<u64>(),
        concept in prop::sample::select(Concept::ALL.to_vec()),
    ) {
        let p = RandomParams { dms, options: options.max(dms), statements, infeasible: 1, ..RandomParams::default() };
        let spec = random_conflict(&p, seed);
        let Ok(model) = Model::new(&spec) else { return Ok(()) };
        let s = pick as usize % model.num_states();
        let max_edits = 2;
        let res = priority_changes(&spec, model.code(s), concept, max_edits, 50).unwrap();
        // Apply an order to the spec.
        let apply = |order: &[Vec<usize>]| -> ConflictSpec {
            let mut t = spec.clone();
            for (dm, o) in order.iter().enumerate() {
                if let Preference::Statements(st) = &spec.dms[dm].preference {
                    t.dms[dm].preference = Preference::Statements(o.iter().map(|&k| st[k].clone()).collect());
                }
            }
            t
        };
        let works = |order: &[Vec<usize>]| -> bool {
            let m = Model::new(&apply(order)).unwrap();
            analyze(&m, ConceptSet::ALL).is_equilibrium(s, concept)
        };
        // Every configuration within k edits, by exhaustive expansion.
        let start: Vec<Vec<usize>> = spec.dms.iter().map(|dm| match &dm.preference {
            Preference::Statements(st) => (0..st.len()).collect(),
            Preference::Ranking(_) => vec![],
        }).collect();
        let mut levels: Vec<HashSet<Vec<Vec<usize>>>> = vec![HashSet::from([start.clone()])];
        for _ in 0..max_edits {
            let mut next = HashSet::new();
            for c in levels.last().unwrap() {
                for dm in 0..c.len() {
                    for at in 0..c[dm].len() {
                        let mut d = c.clone();
                        d[dm].remove(at);
                        next.insert(d);
                        if at + 1 < c[dm].len() {
                            let mut e = c.clone();
                            e[dm].swap(at, at + 1);
                            next.insert(e);
                        }
                    }
                }
            }
            levels.push(next);
        }
        let first_working = (0..=max_edits).find(|&k| levels[k].iter().any(|c| works(c)));
        prop_assert_eq!(res.edits, first_working);
        if let Some(k) = res.edits {
            prop_assert!(!res.changes.is_empty());
            for ch in &res.changes {
                prop_assert_eq!(ch.edits.len(), k);
                // Replaying the edits gives the order, and the order works.
                let mut c = start.clone();
                for e in &ch.edits {
                    match *e {
                        PriorityEdit::Swap { dm, at } => c[dm].swap(at, at + 1),
                        PriorityEdit::Drop { dm, at } => { c[dm].remove(at); }
                    }
                }
                prop_assert_eq!(&c, &ch.order);
                prop_assert!(works(&ch.order));
            }
        }
    }
}

#[test]
fn inverse_errors() {
    let spec = random_conflict(
        &RandomParams {
            dms: 2,
            options: 5,
            infeasible: 0,
            ..RandomParams::default()
        },
        2,
    );
    let model = Model::new(&spec).unwrap();
    let q = InverseQuery {
        state: 0,
        concept: Concept::Nash,
        ranges: vec![],
        max_solutions: 1,
    };
    assert!(matches!(
        inverse(&model, &q),
        Err(InverseError::TooManyStates { states: 32, .. })
    ));
    let small = Model::new(&random_conflict(
        &RandomParams {
            dms: 2,
            options: 3,
            infeasible: 0,
            ..RandomParams::default()
        },
        2,
    ))
    .unwrap();
    let bad = InverseQuery {
        ranges: vec![vec![(1, 8); 3]],
        ..q.clone()
    };
    assert_eq!(
        inverse(&small, &bad),
        Err(InverseError::RangeCount {
            dm: 0,
            got: 3,
            states: 8
        })
    );
    let missing = InverseQuery { state: 99, ..q };
    assert_eq!(
        inverse(&small, &missing),
        Err(InverseError::UnknownState { code: 99 })
    );
    assert!(matches!(
        priority_changes(&spec, 999, Concept::Gmr, 1, 1),
        Err(InverseError::UnknownState { code: 999 })
    ));
}

/// The strict refinements of Elmira's stated rankings (each tie group in any order): the counts
/// of `inverse` against analysing every refined conflict.
#[test]
fn inverse_on_elmira_refinements() {
    let dir = redline_testdata::data!("reference/gmcr/");
    let text = std::fs::read_to_string(format!("{dir}elmira.gmcr")).unwrap();
    let spec = super::spec_of(&redline_interop::gmcr_py::parse(&text).unwrap());
    let model = Model::new(&spec).unwrap();
    let n = model.num_states();
    // Positions a state may take in a strict refinement: below it the strictly worse states,
    // above it also its ties.
    let ranges: Vec<Vec<(u32, u32)>> = (0..3)
        .map(|dm| {
            let p = model.payoffs(dm);
            (0..n)
                .map(|s| {
                    let worse = (0..n).filter(|&t| p[t] < p[s]).count() as u32;
                    let ties = (0..n).filter(|&t| p[t] == p[s]).count() as u32;
                    (worse + 1, worse + ties)
                })
                .collect()
        })
        .collect();
    // Every refinement per DM, as payoffs: each tie group's states in every order.
    let refinements: Vec<Vec<Vec<u32>>> = (0..3)
        .map(|dm| {
            let p = model.payoffs(dm);
            let mut levels: Vec<u32> = p.to_vec();
            levels.sort_unstable();
            levels.dedup();
            let mut out = vec![vec![0u32; n]];
            for level in levels {
                let group: Vec<usize> = (0..n).filter(|&s| p[s] == level).collect();
                let base = (0..n).filter(|&t| p[t] < level).count() as u32;
                let mut next = Vec::new();
                for q in &out {
                    for perm in permutations(group.len()) {
                        let mut q2 = q.clone();
                        for (k, &s) in group.iter().enumerate() {
                            q2[s] = base + perm[k];
                        }
                        next.push(q2);
                    }
                }
                out = next;
            }
            out
        })
        .collect();
    assert_eq!(
        refinements.iter().map(Vec::len).collect::<Vec<_>>(),
        vec![24, 24, 24]
    );
    let target = model.index_of(0b01000).unwrap(); // Uniroyal abandons: NNNYN
    for concept in [Concept::Nash, Concept::Seq] {
        let got = inverse(
            &model,
            &InverseQuery {
                state: model.code(target),
                concept,
                ranges: ranges.clone(),
                max_solutions: 5,
            },
        )
        .unwrap();
        let mut want = 0u128;
        for a in &refinements[0] {
            for b in &refinements[1] {
                for c in &refinements[2] {
                    let refined = with_rankings(&spec, model.codes(), &[a, b, c]);
                    let m = Model::new(&refined).unwrap();
                    if analyze(&m, ConceptSet::of(&[concept])).is_equilibrium(target, concept) {
                        want += 1;
                    }
                }
            }
        }
        assert_eq!(got.count, want, "{concept}");
        assert!(want > 0);
        // The closest solution is a refinement, so it reverses no stated strict preference.
        assert_eq!(got.closest.unwrap().distance, vec![0, 0, 0]);
    }
    // Without ranges, 12! rankings per DM are too many to enumerate.
    let open = InverseQuery {
        state: model.code(target),
        concept: Concept::Nash,
        ranges: vec![],
        max_solutions: 1,
    };
    assert!(matches!(
        inverse(&model, &open),
        Err(InverseError::TooManyRankings { dm: 0, .. })
    ));
}
