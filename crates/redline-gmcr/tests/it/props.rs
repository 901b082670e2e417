//! The engine against the brute-force definitions, on thousands of random conflicts.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use redline_gmcr::{Concept, ConceptSet, Model, RandomParams, Stability, analyze, random_conflict};

use crate::brute::Brute;

pub fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x9e37_79b9),
        failure_persistence: None,
        ..Config::default()
    }
}

fn params() -> impl Strategy<Value = (RandomParams, u64)> {
    (
        2usize..=4,
        1usize..=8,
        0usize..=4,
        0.0f64..0.6,
        0.0f64..0.6,
        0.0f64..1.0,
        1usize..=5,
        any::<u64>(),
    )
        .prop_map(
            |(dms, extra, infeasible, irreversible, misperception, ranking, statements, seed)| {
                (
                    RandomParams {
                        dms,
                        options: (dms + extra).min(8),
                        even_split: false,
                        irreversible,
                        infeasible,
                        misperception,
                        statements,
                        ranking,
                        ties: 0.3,
                    },
                    seed,
                )
            },
        )
}

fn check_against_brute(p: &RandomParams, seed: u64) -> Result<(), TestCaseError> {
    let spec = random_conflict(p, seed);
    let Some(brute) = Brute::new(&spec) else {
        prop_assert!(Model::new(&spec).is_err());
        return Ok(());
    };
    let model = Model::new(&spec).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(model.codes(), &brute.codes[..]);
    let st = analyze(&model, ConceptSet::ALL);
    for d in 0..brute.dms {
        prop_assert_eq!(model.payoffs(d), &brute.payoff[d][..]);
        for s in 0..brute.codes.len() {
            let want = brute.all(d, s);
            for (k, c) in Concept::ALL.into_iter().enumerate() {
                prop_assert_eq!(
                    st.is_stable(d, s, c),
                    want[k],
                    "dm {} state {} ({}) concept {}: spec {:?}",
                    d,
                    s,
                    model.pattern(s),
                    c,
                    spec
                );
            }
        }
    }
    check_invariants(&model, &st)
}

fn check_invariants(model: &Model, st: &Stability) -> Result<(), TestCaseError> {
    use Concept::*;
    for d in 0..model.num_dms() {
        for s in 0..model.num_states() {
            let set = st.stable[d][s];
            let has = |c| set.contains(c);
            prop_assert!(!has(Nash) || has(Smr));
            prop_assert!(!has(Smr) || has(Gmr));
            prop_assert!(!has(Nash) || has(Seq));
            prop_assert!(!has(Seq) || has(Gmr));
            prop_assert!(!has(Nash) || has(Sim));
            prop_assert_eq!(has(SeqSim), has(Seq) || has(Sim));
        }
    }
    for c in Concept::ALL {
        for s in st.equilibria(c) {
            for d in 0..model.num_dms() {
                prop_assert!(st.is_stable(d, s, c));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(3000))]

    #[test]
    fn engine_matches_brute_force((p, seed) in params()) {
        check_against_brute(&p, seed)?;
    }
}

proptest! {
    #![proptest_config(config(12))]

    /// Models of 2^13 to 2^15 codes, large enough that every loop runs in parallel.
    #[test]
    fn results_do_not_depend_on_thread_count(
        dms in 2usize..=4, options in 13usize..=15, infeasible in 0usize..=3,
        irreversible in 0.0f64..0.5, misperception in 0.0f64..0.5, seed in any::<u64>(),
    ) {
        let p = RandomParams { dms, options, infeasible, irreversible, misperception, ..RandomParams::default() };
        let spec = random_conflict(&p, seed);
        if let Ok(model) = Model::new(&spec) {
            let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
            let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
            let a = one.install(|| analyze(&model, ConceptSet::ALL));
            let b = four.install(|| analyze(&model, ConceptSet::ALL));
            prop_assert_eq!(a, b);
        }
    }
}

#[test]
fn progress_counts_up_to_its_total_for_every_concept_subset() {
    use std::cell::RefCell;
    let spec = random_conflict(
        &RandomParams {
            dms: 3,
            options: 7,
            ..RandomParams::default()
        },
        5,
    );
    let model = Model::new(&spec).unwrap();
    for bits in 0u8..64 {
        let concepts = ConceptSet::from_bits(bits);
        let seen = RefCell::new(Vec::new());
        let st =
            redline_gmcr::analyze_with_progress(&model, concepts, &|p| seen.borrow_mut().push(p));
        let seen = seen.into_inner();
        assert!(!seen.is_empty());
        for (k, p) in seen.iter().enumerate() {
            assert_eq!(p.done, k as u64 + 1);
            assert_eq!(p.total, seen.len() as u64, "{concepts:?}");
        }
        // Concepts not asked for read as unstable; those asked for match the full analysis.
        let full = analyze(&model, ConceptSet::ALL);
        for d in 0..model.num_dms() {
            for s in 0..model.num_states() {
                assert_eq!(st.stable[d][s], full.stable[d][s].intersect(concepts));
            }
        }
    }
}
