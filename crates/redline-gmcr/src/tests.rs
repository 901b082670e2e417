//! Cross-checks of the engine's alternative code paths against each other, on random conflicts
//! larger than the brute force can handle: dense against sparse indexing (and so fibers built by
//! lookup against fibers built by sorting), and SIM by levels against SIM by enumeration.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use crate::analysis::analyze;
use crate::concept::ConceptSet;
use crate::fiber::{Fibers, Mover};
use crate::model::Model;
use crate::random::{RandomParams, random_conflict};
use crate::sim::simultaneous_with;

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x5eed_cafe),
        failure_persistence: None,
        ..Config::default()
    }
}

fn params() -> impl Strategy<Value = (RandomParams, u64)> {
    (
        1usize..=4,
        4usize..=12,
        0usize..=6,
        0.0f64..0.7,
        0.0f64..0.5,
        0.0f64..0.5,
        any::<u64>(),
    )
        .prop_map(
            |(dms, options, infeasible, irreversible, misperception, ranking, seed)| {
                (
                    RandomParams {
                        dms,
                        options: options.max(dms),
                        even_split: false,
                        irreversible,
                        infeasible,
                        misperception,
                        statements: 4,
                        ranking,
                        ties: 0.4,
                    },
                    seed,
                )
            },
        )
}

proptest! {
    #![proptest_config(config(150))]

    #[test]
    fn dense_and_sparse_indexing_agree((p, seed) in params()) {
        let spec = random_conflict(&p, seed);
        let (Ok(dense), Ok(sparse)) = (Model::build(&spec, false), Model::build(&spec, true)) else {
            return Ok(());
        };
        prop_assert!(!sparse.has_dense_index());
        prop_assert_eq!(analyze(&dense, ConceptSet::ALL), analyze(&sparse, ConceptSet::ALL));
    }

    #[test]
    fn sim_by_levels_matches_sim_by_enumeration((p, seed) in params()) {
        let spec = random_conflict(&p, seed);
        let Ok(model) = Model::new(&spec) else { return Ok(()) };
        let fibers: Vec<Fibers> = (0..model.num_dms())
            .map(|dm| Fibers::build(&model, *model.dm_bits(dm), model.payoffs(dm)))
            .collect();
        let movers: Vec<Mover<'_>> = (0..model.num_dms()).map(|dm| Mover::new(&model, dm)).collect();
        let by_levels = simultaneous_with(&model, &fibers, &movers, true);
        let by_enumeration = simultaneous_with(&model, &fibers, &movers, false);
        prop_assert_eq!(by_levels, by_enumeration);
    }
}

proptest! {
    #![proptest_config(config(30))]

    /// DMs with 7 to 10 options take the grouped-mask and prefix paths of SIM; the one-state
    /// search enumerates moves directly.
    #[test]
    fn wide_dms_agree_with_the_one_state_search(
        dms in 1usize..=3, options in 9usize..=12, irreversible in 0.0f64..0.6,
        misperception in 0.0f64..0.6, ranking in 0.0f64..0.5, seed in any::<u64>(),
    ) {
        let p = RandomParams {
            dms, options, even_split: true, irreversible, infeasible: 2, misperception, statements: 4, ranking, ties: 0.3,
        };
        let Ok(model) = Model::new(&random_conflict(&p, seed)) else { return Ok(()) };
        let all = analyze(&model, ConceptSet::ALL);
        for s in 0..model.num_states() {
            let one = crate::single::state_stability(&model, &|dm, x| model.payoff(dm, x), s);
            for (dm, set) in one.into_iter().enumerate() {
                prop_assert_eq!(set, all.stable[dm][s], "dm {} state {}", dm, s);
            }
        }
    }
}
