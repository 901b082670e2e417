//! Every way a conflict can be malformed gets its own error, never a panic.

use redline_gmcr::{
    ConflictSpec, Direction, DmSpec, Formula, FormulaSite, Model, OptionSpec, Preference,
    SpecError, estimate_memory,
};

fn opt(name: &str, dm: usize) -> OptionSpec {
    OptionSpec {
        name: name.into(),
        dm,
        direction: Direction::Both,
    }
}

fn dm(name: &str) -> DmSpec {
    DmSpec {
        name: name.into(),
        preference: Preference::Statements(vec![Formula::Opt(0)]),
        misperceived: vec![],
    }
}

/// Two DMs with one option each, all four states feasible.
fn base() -> ConflictSpec {
    ConflictSpec {
        options: vec![opt("a", 0), opt("b", 1)],
        dms: vec![dm("A"), dm("B")],
        infeasible: vec![],
        coalitions: vec![],
        status_quo: None,
    }
}

fn err(spec: &ConflictSpec) -> SpecError {
    Model::new(spec).expect_err("the spec is invalid")
}

#[test]
fn the_base_conflict_is_valid() {
    let m = Model::new(&base()).unwrap();
    assert_eq!(m.codes(), &[0, 1, 2, 3]);
    assert_eq!(m.payoffs(0), &[1, 2, 1, 2]);
    assert!(estimate_memory(&base()).unwrap() > 0);
}

#[test]
fn shape_errors() {
    let mut s = base();
    s.dms.clear();
    assert_eq!(err(&s), SpecError::NoDms);

    let mut s = base();
    s.options.clear();
    assert_eq!(err(&s), SpecError::NoOptions);

    let mut s = base();
    s.options = (0..64)
        .map(|k| opt(&format!("o{k}"), usize::from(k >= 32)))
        .collect();
    assert_eq!(err(&s), SpecError::TooManyOptions { count: 64 });
    assert_eq!(
        estimate_memory(&s),
        Err(SpecError::TooManyOptions { count: 64 })
    );

    let mut s = base();
    s.options[1].dm = 5;
    assert!(matches!(
        err(&s),
        SpecError::UnknownDm {
            option: 1,
            dm: 5,
            ..
        }
    ));

    let mut s = base();
    s.options = vec![opt("a", 0), opt("b", 1), opt("c", 0)];
    assert!(matches!(
        err(&s),
        SpecError::OptionsNotContiguous {
            option: 2,
            dm: 0,
            ..
        }
    ));

    let mut s = base();
    s.options = vec![opt("b", 1), opt("a", 0)];
    assert!(matches!(
        err(&s),
        SpecError::OptionsNotContiguous { option: 1, .. }
    ));

    let mut s = base();
    s.dms.push(dm("C"));
    assert!(matches!(err(&s), SpecError::DmWithoutOptions { dm: 2, .. }));
}

#[test]
fn formula_errors() {
    let mut s = base();
    s.infeasible = vec![Formula::And(vec![Formula::Opt(0), Formula::Opt(9)])];
    assert_eq!(
        err(&s),
        SpecError::UnknownOption {
            site: FormulaSite::Infeasible(0),
            option: 9,
            options: 2
        }
    );

    let mut s = base();
    s.dms[1].preference = Preference::Statements(vec![Formula::True, Formula::not_taken(2)]);
    assert_eq!(
        err(&s),
        SpecError::UnknownOption {
            site: FormulaSite::Statement { dm: 1, index: 1 },
            option: 2,
            options: 2
        }
    );

    let mut s = base();
    s.dms[0].misperceived = vec![Formula::Iff(
        Box::new(Formula::Opt(0)),
        Box::new(Formula::Opt(4)),
    )];
    assert_eq!(
        err(&s),
        SpecError::UnknownOption {
            site: FormulaSite::Misperception { dm: 0, index: 0 },
            option: 4,
            options: 2
        }
    );

    let mut s = base();
    s.dms[0].preference = Preference::Statements(vec![Formula::True; 64]);
    assert!(matches!(
        err(&s),
        SpecError::TooManyStatements {
            dm: 0,
            count: 64,
            ..
        }
    ));

    let mut s = base();
    s.infeasible = vec![Formula::True];
    assert_eq!(err(&s), SpecError::NoFeasibleStates);
}

#[test]
fn ranking_errors() {
    let mut s = base();
    s.dms[0].preference = Preference::Ranking(vec![vec![0, 1], vec![2], vec![3, 7]]);
    assert!(matches!(
        err(&s),
        SpecError::RankingUnknownState { dm: 0, code: 7, .. }
    ));

    let mut s = base();
    s.infeasible = vec![Formula::cube(&[(0, true), (1, true)])];
    s.dms[0].preference = Preference::Ranking(vec![vec![0, 1], vec![2, 3]]);
    assert!(matches!(
        err(&s),
        SpecError::RankingUnknownState { code: 3, .. }
    ));

    let mut s = base();
    s.dms[0].preference = Preference::Ranking(vec![vec![0, 1], vec![2, 1], vec![3]]);
    assert!(matches!(
        err(&s),
        SpecError::RankingDuplicate { code: 1, .. }
    ));

    let mut s = base();
    s.dms[1].preference = Preference::Ranking(vec![vec![0], vec![3]]);
    assert!(matches!(
        err(&s),
        SpecError::RankingIncomplete {
            dm: 1,
            missing: 2,
            example: 1,
            ..
        }
    ));

    let mut s = base();
    s.dms[1].preference = Preference::Ranking(vec![vec![0, 1], vec![], vec![2, 3]]);
    assert!(matches!(
        err(&s),
        SpecError::RankingEmptyGroup { dm: 1, .. }
    ));

    // A valid ranking: gmcr-py's payoffs (best group N, then N−1, ...).
    let mut s = base();
    s.dms[1].preference = Preference::Ranking(vec![vec![3], vec![0, 2], vec![1]]);
    assert_eq!(Model::new(&s).unwrap().payoffs(1), &[3, 2, 3, 4]);
}

#[test]
fn coalition_and_status_quo_errors() {
    let mut s = base();
    s.coalitions = vec![vec![]];
    assert_eq!(err(&s), SpecError::EmptyCoalition { coalition: 0 });

    let mut s = base();
    s.coalitions = vec![vec![0, 3]];
    assert_eq!(
        err(&s),
        SpecError::CoalitionUnknownDm {
            coalition: 0,
            dm: 3,
            dms: 2
        }
    );

    let mut s = base();
    s.coalitions = vec![vec![0, 1], vec![1]];
    assert_eq!(
        err(&s),
        SpecError::CoalitionOverlap {
            coalition: 1,
            dm: 1
        }
    );

    let mut s = base();
    s.status_quo = Some(4);
    assert_eq!(
        err(&s),
        SpecError::StatusQuoOutOfRange {
            code: 4,
            options: 2
        }
    );

    let mut s = base();
    s.infeasible = vec![Formula::cube(&[(0, true), (1, true)])];
    s.status_quo = Some(3);
    assert_eq!(err(&s), SpecError::StatusQuoInfeasible { code: 3 });
}

#[test]
fn errors_read_as_sentences() {
    let mut s = base();
    s.dms[1].preference = Preference::Ranking(vec![vec![0], vec![3]]);
    let msg = err(&s).to_string();
    assert!(msg.contains("misses 2 feasible states"), "{msg}");
    assert!(msg.contains("\"B\""), "{msg}");
}

#[test]
fn memory_estimate_counts_the_states_exactly() {
    use redline_gmcr::{RandomParams, estimate_memory_detail, random_conflict};
    let mut last = 0;
    for (k, options) in [6usize, 10, 14, 18].into_iter().enumerate() {
        let spec = random_conflict(
            &RandomParams {
                dms: 3,
                options,
                infeasible: 3,
                ..RandomParams::default()
            },
            k as u64,
        );
        let model = Model::new(&spec).unwrap();
        let e = estimate_memory_detail(&spec).unwrap();
        assert!(e.exact);
        assert_eq!(e.states, model.num_states() as u64);
        assert!(e.model_bytes >= model.memory_bytes(), "{e:?}");
        assert!(e.total_bytes() > last);
        last = e.total_bytes();
    }
    // Too many states to count within the budget: an upper bound.
    let mut spec = random_conflict(
        &RandomParams {
            dms: 2,
            options: 40,
            infeasible: 0,
            ..RandomParams::default()
        },
        1,
    );
    spec.infeasible = (0..20)
        .map(|b| {
            Formula::Iff(
                Box::new(Formula::Opt(2 * b)),
                Box::new(Formula::Opt(2 * b + 1)),
            )
        })
        .collect();
    let e = estimate_memory_detail(&spec).unwrap();
    assert!(e.states >= 1 << 20);
}
