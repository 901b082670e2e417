//! Limited-move and non-myopic stability against the recursive definition.

use std::collections::HashMap;

use proptest::prelude::*;
use redline_gmcr::{
    Concept, ConceptSet, LimitedMoveError, Model, RandomParams, analyze, limited_move, non_myopic,
    random_conflict,
};

use crate::brute::Brute;
use crate::props::config;

/// `G_h(s, i)` straight from the recursion (memoised).
fn anticipated(
    b: &Brute,
    h: usize,
    s: usize,
    i: usize,
    memo: &mut HashMap<(usize, usize, usize), usize>,
) -> usize {
    if h == 0 {
        return s;
    }
    if let Some(&g) = memo.get(&(h, s, i)) {
        return g;
    }
    let mut best: Option<usize> = None;
    for s1 in b.moves(i, s) {
        let end = anticipated(b, h - 1, s1, 1 - i, memo);
        if b.payoff[i][end] > b.payoff[i][s] {
            best = match best {
                Some(x)
                    if b.payoff[i][x] > b.payoff[i][end]
                        || (b.payoff[i][x] == b.payoff[i][end] && x < end) =>
                {
                    Some(x)
                }
                _ => Some(end),
            };
        }
    }
    let g = best.unwrap_or(s);
    memo.insert((h, s, i), g);
    g
}

proptest! {
    #![proptest_config(config(300))]

    #[test]
    fn limited_move_matches_the_recursion(
        options in 2usize..=7, infeasible in 0usize..=3, irreversible in 0.0f64..0.6,
        misperception in 0.0f64..0.4, ranking in 0.0f64..0.7, seed in any::<u64>(),
    ) {
        let p = RandomParams { dms: 2, options, infeasible, irreversible, misperception, ranking, ..RandomParams::default() };
        let spec = random_conflict(&p, seed);
        let (Ok(model), Some(b)) = (Model::new(&spec), Brute::new(&spec)) else { return Ok(()) };
        let mut memo = HashMap::new();
        for h in 1..=6 {
            let l = limited_move(&model, h).unwrap();
            for i in 0..2 {
                for s in 0..b.codes.len() {
                    let g = anticipated(&b, h, s, i, &mut memo);
                    prop_assert_eq!(l.anticipated[i][s] as usize, g);
                    prop_assert_eq!(l.stable[i][s], g == s);
                }
            }
        }
        // L_1 is Nash.
        let nash = analyze(&model, ConceptSet::of(&[Concept::Nash]));
        let l1 = limited_move(&model, 1).unwrap();
        for i in 0..2 {
            for s in 0..b.codes.len() {
                prop_assert_eq!(l1.stable[i][s], nash.is_stable(i, s, Concept::Nash));
            }
        }
        // Non-myopic: L_h repeats with the reported period from the transient on, and NM
        // stability is stability on the whole cycle.
        let nm = non_myopic(&model, 100_000).unwrap();
        prop_assert!(nm.period >= 1 && nm.transient >= 1);
        let table = |h: usize, memo: &mut HashMap<(usize, usize, usize), usize>| -> Vec<Vec<usize>> {
            (0..2).map(|i| (0..b.codes.len()).map(|s| anticipated(&b, h, s, i, memo)).collect()).collect()
        };
        let t0 = nm.transient;
        for h in t0..t0 + nm.period {
            prop_assert_eq!(table(h, &mut memo), table(h + nm.period, &mut memo));
        }
        if t0 > 1 {
            prop_assert_ne!(table(t0 - 1, &mut memo), table(t0 - 1 + nm.period, &mut memo));
        }
        // Long horizons (the tables are computed up to their cycle, then jumped): against the
        // recursion up to 40, and against the recursion at the same place in the cycle beyond.
        for h in (7..=40).chain([1_000, 1_000_000_007, 1_000_000_000]) {
            let l = limited_move(&model, h).unwrap();
            let same = if h <= 40 { h } else { t0 + (h - t0) % nm.period };
            let expect = table(same, &mut memo);
            for (got, want) in l.anticipated.iter().zip(&expect) {
                let got: Vec<usize> = got.iter().map(|&g| g as usize).collect();
                prop_assert_eq!(&got, want, "h {}", h);
            }
        }
        for i in 0..2 {
            for s in 0..b.codes.len() {
                let on_cycle = (t0..t0 + nm.period).all(|h| anticipated(&b, h, s, i, &mut memo) == s);
                prop_assert_eq!(nm.stable[i][s], on_cycle);
            }
        }
    }
}

#[test]
fn limited_move_errors() {
    let three = Model::new(&random_conflict(
        &RandomParams {
            dms: 3,
            options: 5,
            ..RandomParams::default()
        },
        1,
    ))
    .unwrap();
    assert_eq!(
        limited_move(&three, 2),
        Err(LimitedMoveError::NotTwoDms { dms: 3 })
    );
    assert_eq!(
        non_myopic(&three, 10),
        Err(LimitedMoveError::NotTwoDms { dms: 3 })
    );
    let two = Model::new(&random_conflict(&RandomParams::default(), 1)).unwrap();
    assert_eq!(limited_move(&two, 0), Err(LimitedMoveError::ZeroHorizon));
}
