//! Stability of one state, for any payoffs, by direct search. The inverse analyses use it to
//! test many candidate preferences against one state; it also serves as an independent check
//! of the whole-model engine.

use crate::concept::{Concept, ConceptSet};
use crate::model::Model;

/// Stability of `s` for every DM under every concept, with `payoff(dm, state)` in place of the
/// model's own payoffs (moves, feasibility and misperceptions come from the model).
pub(crate) fn state_stability(
    model: &Model,
    payoff: &dyn Fn(usize, usize) -> u32,
    s: usize,
) -> Vec<ConceptSet> {
    let d = model.num_dms();
    let n = model.num_states();
    let mut mark = vec![false; n];
    let mut stack = Vec::new();
    let improvements = |dm: usize, x: usize| -> Vec<usize> {
        let p = payoff(dm, x);
        let mut v = Vec::new();
        model.for_each_move(dm, x, |t| {
            if payoff(dm, t) > p {
                v.push(t)
            }
        });
        v
    };
    let imps_at_s: Vec<Vec<usize>> = (0..d).map(|dm| improvements(dm, s)).collect();
    (0..d)
        .map(|i| {
            let p = payoff(i, s);
            let imps = &imps_at_s[i];
            let mut set = ConceptSet::EMPTY;
            set.set(Concept::Nash, imps.is_empty());
            // Search the opponents' reach (or improvement reach) from s1 for a state that
            // satisfies `good`.
            let mut search = |s1: usize, improving: bool, good: &dyn Fn(usize) -> bool| -> bool {
                mark.iter_mut().for_each(|m| *m = false);
                stack.clear();
                stack.push(s1);
                mark[s1] = true;
                while let Some(x) = stack.pop() {
                    if x != s1 && good(x) {
                        return true;
                    }
                    for j in (0..d).filter(|&j| j != i) {
                        let px = payoff(j, x);
                        model.for_each_move(j, x, |y| {
                            if !mark[y] && (!improving || payoff(j, y) > px) {
                                mark[y] = true;
                                stack.push(y);
                            }
                        });
                    }
                }
                false
            };
            let sanction = |x: usize| payoff(i, x) <= p;
            let gmr = imps.iter().all(|&s1| search(s1, false, &sanction));
            let smr = imps.iter().all(|&s1| {
                search(s1, false, &|x| {
                    let mut ok = sanction(x);
                    model.for_each_move(i, x, |y| ok &= sanction(y));
                    ok
                })
            });
            let seq = imps.iter().all(|&s1| search(s1, true, &sanction));
            let sim = imps.iter().all(|&s1| {
                // Opponents each stay or take one of their improvements from s.
                let opponents: Vec<usize> = (0..d).filter(|&j| j != i).collect();
                let mut codes = vec![model.code(s1)];
                for &j in &opponents {
                    let mask = model.dm_bits(j).mask;
                    let mut next = Vec::with_capacity(codes.len() * (1 + imps_at_s[j].len()));
                    for &c in &codes {
                        next.push(c);
                        for &t in &imps_at_s[j] {
                            next.push((c & !mask) | (model.code(t) & mask));
                        }
                    }
                    codes = next;
                }
                codes
                    .into_iter()
                    .any(|c| model.index_of(c).is_some_and(sanction))
            });
            set.set(Concept::Gmr, gmr);
            set.set(Concept::Smr, smr);
            set.set(Concept::Seq, seq);
            set.set(Concept::Sim, sim);
            set.set(Concept::SeqSim, seq || sim);
            set
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngSeed};

    use super::*;
    use crate::analysis::analyze;
    use crate::random::{RandomParams, random_conflict};

    proptest! {
        #![proptest_config(Config { cases: 200, rng_seed: RngSeed::Fixed(11), failure_persistence: None, ..Config::default() })]

        #[test]
        fn one_state_search_agrees_with_the_engine(
            dms in 1usize..=4, options in 1usize..=9, infeasible in 0usize..=4,
            misperception in 0.0f64..0.5, ranking in 0.0f64..0.5, seed in any::<u64>(),
        ) {
            let p = RandomParams { dms, options: options.max(dms), infeasible, misperception, ranking, ..RandomParams::default() };
            let Ok(model) = Model::new(&random_conflict(&p, seed)) else { return Ok(()) };
            let all = analyze(&model, ConceptSet::ALL);
            for s in 0..model.num_states() {
                let one = state_stability(&model, &|dm, x| model.payoff(dm, x), s);
                for (dm, set) in one.into_iter().enumerate() {
                    prop_assert_eq!(set, all.stable[dm][s]);
                }
            }
        }
    }
}
