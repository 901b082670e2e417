//! Joint mode and coalition analysis against the brute-force definitions.

use proptest::prelude::*;
use redline_gmcr::{
    CoalitionClass, Concept, ConceptSet, Model, RandomParams, analyze, analyze_coalitional,
    analyze_joint_with, random_conflict,
};

use crate::brute::Brute;
use crate::props::config;

fn params() -> impl Strategy<Value = (RandomParams, u64, u64)> {
    (
        2usize..=4,
        2usize..=7,
        0usize..=3,
        0.0f64..0.6,
        0.0f64..0.4,
        0.0f64..0.6,
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(
            |(dms, options, infeasible, irreversible, misperception, ranking, seed, split)| {
                (
                    RandomParams {
                        dms,
                        options: options.max(dms),
                        infeasible,
                        irreversible,
                        misperception,
                        ranking,
                        ..RandomParams::default()
                    },
                    seed,
                    split,
                )
            },
        )
}

/// A random partition into coalitions (as the listed coalitions with at least two members).
fn partition(dms: usize, split: u64) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for dm in 0..dms {
        let g = (split >> (2 * dm)) as usize % (groups.len() + 1);
        if g == groups.len() {
            groups.push(vec![dm]);
        } else {
            groups[g].push(dm);
        }
    }
    groups
}

proptest! {
    #![proptest_config(config(400))]

    #[test]
    fn joint_mode_matches_brute_force((p, seed, split) in params()) {
        let spec = random_conflict(&p, seed);
        let (Ok(model), Some(b)) = (Model::new(&spec), Brute::new(&spec)) else { return Ok(()) };
        let groups = partition(p.dms.min(spec.dms.len()), split);
        let listed: Vec<Vec<usize>> = groups.iter().filter(|g| g.len() > 1).cloned().collect();
        let joint = analyze_joint_with(&model, &listed, ConceptSet::ALL).unwrap();
        for (k, members) in joint.players.iter().enumerate() {
            for s in 0..b.codes.len() {
                let want = b.joint_all(&joint.players, k, s);
                for (x, c) in Concept::ALL.into_iter().enumerate() {
                    prop_assert_eq!(joint.stable[k][s].contains(c), want[x], "player {:?} state {} {}", members, s, c);
                }
            }
        }
    }

    #[test]
    fn joint_mode_of_singletons_is_the_plain_analysis((p, seed, _split) in params()) {
        let spec = random_conflict(&p, seed);
        let Ok(model) = Model::new(&spec) else { return Ok(()) };
        let joint = analyze_joint_with(&model, &[], ConceptSet::ALL).unwrap();
        prop_assert_eq!(joint.stable, analyze(&model, ConceptSet::ALL).stable);
    }

    #[test]
    fn coalition_analysis_matches_brute_force((p, seed, _split) in params()) {
        let spec = random_conflict(&p, seed);
        let (Ok(model), Some(b)) = (Model::new(&spec), Brute::new(&spec)) else { return Ok(()) };
        let c = analyze_coalitional(&model, &CoalitionClass::All).unwrap();
        let plain = analyze(&model, ConceptSet::ALL);
        for i in 0..b.dms {
            for s in 0..b.codes.len() {
                let want = b.coalitional(&c.coalitions, i, s);
                for (x, concept) in [Concept::Nash, Concept::Gmr, Concept::Smr, Concept::Seq].into_iter().enumerate() {
                    prop_assert_eq!(c.stable[i][s].contains(concept), want[x], "dm {} state {} {}", i, s, concept);
                    // Coalitional stability includes stability against i alone.
                    prop_assert!(!want[x] || plain.is_stable(i, s, concept));
                }
            }
        }
    }

    #[test]
    fn coalition_analysis_with_singletons_is_the_plain_analysis((p, seed, _split) in params()) {
        let spec = random_conflict(&p, seed);
        let Ok(model) = Model::new(&spec) else { return Ok(()) };
        let c = analyze_coalitional(&model, &CoalitionClass::Listed(vec![])).unwrap();
        let plain = analyze(&model, ConceptSet::from_bits(0b1111));
        prop_assert_eq!(c.stable, plain.stable);
    }
}

#[test]
fn coalition_errors() {
    use redline_gmcr::CoalitionError;
    let spec = random_conflict(
        &RandomParams {
            dms: 3,
            options: 6,
            ..RandomParams::default()
        },
        3,
    );
    let model = Model::new(&spec).unwrap();
    assert_eq!(
        analyze_joint_with(&model, &[vec![0, 1], vec![1, 2]], ConceptSet::ALL),
        Err(CoalitionError::Overlap { dm: 1 })
    );
    assert_eq!(
        analyze_joint_with(&model, &[vec![0, 7]], ConceptSet::ALL),
        Err(CoalitionError::BadCoalition {
            coalition: 0,
            dm: 7
        })
    );
    assert_eq!(
        analyze_coalitional(&model, &CoalitionClass::Listed(vec![vec![]])),
        Err(CoalitionError::BadCoalition {
            coalition: 0,
            dm: 0
        })
    );
    let big = random_conflict(
        &RandomParams {
            dms: 2,
            options: 17,
            infeasible: 0,
            ..RandomParams::default()
        },
        3,
    );
    let big = Model::new(&big).unwrap();
    assert!(matches!(
        analyze_coalitional(&big, &CoalitionClass::All),
        Err(CoalitionError::TooLarge { .. })
    ));
}

/// Progress counts every state of every coalition once and ends at the total; the result is
/// the same as without progress.
#[test]
fn coalition_progress_reaches_its_total() {
    use std::sync::Mutex;
    let p = RandomParams {
        dms: 3,
        options: 9,
        ..RandomParams::default()
    };
    let model = Model::new(&random_conflict(&p, 7)).unwrap();
    let seen = Mutex::new(Vec::new());
    let c = redline_gmcr::analyze_coalitional_with_progress(&model, &CoalitionClass::All, &|p| {
        seen.lock().unwrap().push(p)
    })
    .unwrap();
    assert_eq!(
        c,
        analyze_coalitional(&model, &CoalitionClass::All).unwrap()
    );
    let seen = seen.into_inner().unwrap();
    let total = 7 * model.num_states() as u64;
    assert!(seen.iter().all(|p| p.total == total && p.done <= total));
    assert_eq!(seen.iter().map(|p| p.done).max(), Some(total));
    // One report at least per coalition, each naming it.
    for k in 0..7 {
        assert!(
            seen.iter()
                .any(|p| p.stage == redline_gmcr::Stage::Coalition { coalition: k })
        );
    }
}
