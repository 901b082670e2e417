//! Status quo analysis against an independent breadth-first search over the brute-force moves.

use std::collections::HashMap;

use proptest::prelude::*;
use redline_gmcr::{
    ConceptSet, Model, RandomParams, analyze, random_conflict, status_quo_analysis,
};

use crate::brute::Brute;
use crate::props::config;

fn distances(b: &Brute, root: usize, improving: bool) -> HashMap<usize, usize> {
    let mut dist = HashMap::from([(root, 0usize)]);
    let mut frontier = vec![root];
    let mut d = 0;
    while !frontier.is_empty() {
        d += 1;
        let mut next = Vec::new();
        for &s in &frontier {
            for dm in 0..b.dms {
                let ts = if improving {
                    b.imps(dm, s)
                } else {
                    b.moves(dm, s)
                };
                for t in ts {
                    if let std::collections::hash_map::Entry::Vacant(e) = dist.entry(t) {
                        e.insert(d);
                        next.push(t);
                    }
                }
            }
        }
        frontier = next;
    }
    dist
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn paths_are_shortest_legal_and_complete(
        dms in 2usize..=4, options in 2usize..=8, infeasible in 0usize..=3,
        irreversible in 0.0f64..0.6, seed in any::<u64>(), horizon in prop::option::of(0usize..4),
    ) {
        let p = RandomParams { dms, options: options.max(dms), infeasible, irreversible, misperception: 0.3, ranking: 0.3, ..RandomParams::default() };
        let spec = random_conflict(&p, seed);
        let (Ok(model), Some(b)) = (Model::new(&spec), Brute::new(&spec)) else { return Ok(()) };
        let st = analyze(&model, ConceptSet::ALL);
        let a = status_quo_analysis(&model, &st, None, horizon).unwrap();
        let sq = b.idx(spec.status_quo.unwrap()).unwrap();
        prop_assert_eq!(a.status_quo, sq);
        let within = |d: usize| horizon.is_none_or(|h| d <= h);
        for (improving, reached) in [(true, a.reached_by_improvements), (false, a.reached_by_moves)] {
            let dist = distances(&b, sq, improving);
            prop_assert_eq!(reached, dist.values().filter(|&&d| within(d)).count());
            let eq_states: Vec<usize> = (0..b.codes.len()).filter(|&s| !st.equilibrium_set(s).is_empty()).collect();
            prop_assert_eq!(a.targets.iter().map(|t| t.state).collect::<Vec<_>>(), eq_states);
            for t in &a.targets {
                let path = if improving { &t.by_improvements } else { &t.by_moves };
                match (path, dist.get(&t.state).filter(|&&d| within(d))) {
                    (None, None) => {}
                    (Some(path), Some(&d)) => {
                        prop_assert_eq!(path.len(), d);
                        let mut at = sq;
                        let mut last = None;
                        for step in &path.steps {
                            prop_assert_eq!(step.from, at);
                            prop_assert!(last != Some(step.dm), "same DM twice in a row");
                            let legal = if improving { b.imps(step.dm, at) } else { b.moves(step.dm, at) };
                            prop_assert!(legal.contains(&step.to));
                            let (f, to) = (b.codes[step.from], b.codes[step.to]);
                            let taken: Vec<usize> = (0..b.n).filter(|&x| to >> x & 1 == 1 && f >> x & 1 == 0).collect();
                            let dropped: Vec<usize> = (0..b.n).filter(|&x| f >> x & 1 == 1 && to >> x & 1 == 0).collect();
                            prop_assert_eq!(&step.taken, &taken);
                            prop_assert_eq!(&step.dropped, &dropped);
                            at = step.to;
                            last = Some(step.dm);
                        }
                        prop_assert_eq!(at, t.state);
                    }
                    (p, d) => prop_assert!(false, "path {:?} but distance {:?}", p, d),
                }
            }
        }
    }
}

#[test]
fn status_quo_errors() {
    use redline_gmcr::StatusQuoError;
    let mut spec = random_conflict(&RandomParams::default(), 7);
    spec.status_quo = None;
    let model = Model::new(&spec).unwrap();
    let st = analyze(&model, ConceptSet::ALL);
    assert_eq!(
        status_quo_analysis(&model, &st, None, None),
        Err(StatusQuoError::Missing)
    );
    let bad = (0..64u64).find(|&c| model.index_of(c).is_none());
    if let Some(code) = bad {
        assert_eq!(
            status_quo_analysis(&model, &st, Some(code), None),
            Err(StatusQuoError::Infeasible { code })
        );
    }
    let other = Model::new(&random_conflict(
        &RandomParams {
            options: 9,
            ..RandomParams::default()
        },
        8,
    ))
    .unwrap();
    let code = model.code(0);
    assert!(matches!(
        status_quo_analysis(&model, &analyze(&other, ConceptSet::ALL), Some(code), None),
        Err(StatusQuoError::Mismatch { .. })
    ));
}
