//! Limited-move stability `L_h` and non-myopic stability, after Kilgour (1985) and Fang, Hipel &
//! Kilgour (1993), for conflicts with two DMs.
//!
//! With two DMs i and j, `G_h(s, i)` is the state the conflict is anticipated to end in when i
//! is to move from `s` and at most h moves remain:
//!
//! - `G_0(s, i) = s`;
//! - for h ≥ 1, every move `s1 ∈ R_i(s)` is anticipated to end in `G_{h−1}(s1, j)`. The moves
//!   worth making are those whose anticipated end i strictly prefers to `s`. If there is none, i
//!   stays: `G_h(s, i) = s`. Otherwise i takes the one with the best anticipated end, and
//!   `G_h(s, i)` is that end. Where several anticipated ends are equally good for i, we take the
//!   one with the lowest state index (a convention; the literature assumes strict preferences).
//!
//! `s` is `L_h` stable for i when i has no move worth making, i.e. `G_h(s, i) = s`. `L_1` is Nash
//! stability. The tables `G_h` are a deterministic function of `G_{h−1}`, so as h grows they
//! eventually cycle; `s` is **non-myopic** stable for i when it is `L_h` stable for i for every
//! h from some point on, which is decided on the cycle (Brent's cycle detection, storing two
//! tables).
//!
//! With more than two DMs the anticipation needs an order of the opponents' replies, which the
//! standard definitions do not fix, so these analyses return
//! [`LimitedMoveError::NotTwoDms`].

use serde::{Deserialize, Serialize};

use crate::model::Model;

/// Why a limited-move analysis cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LimitedMoveError {
    #[error(
        "limited-move and non-myopic stability are defined for two decision makers; this \
         conflict has {dms}"
    )]
    NotTwoDms { dms: usize },
    #[error("the horizon must be at least 1")]
    ZeroHorizon,
    #[error("the anticipation tables did not settle into a cycle within {levels} levels")]
    NoLimit { levels: usize },
}

/// `L_h` stability for both DMs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitedMove {
    pub horizon: usize,
    /// `stable[dm][state]`.
    pub stable: Vec<Vec<bool>>,
    /// `anticipated[dm][state]`: `G_h(state, dm)`, the state index the conflict is anticipated
    /// to end in when `dm` is to move.
    pub anticipated: Vec<Vec<u32>>,
}

/// Non-myopic stability for both DMs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NonMyopic {
    /// `stable[dm][state]`.
    pub stable: Vec<Vec<bool>>,
    /// From this horizon on, `L_h` repeats with period `period`.
    pub transient: usize,
    pub period: usize,
}

/// The anticipation tables for both DMs at one horizon.
type Tables = [Vec<u32>; 2];

fn check(model: &Model) -> Result<(), LimitedMoveError> {
    match model.num_dms() {
        2 => Ok(()),
        dms => Err(LimitedMoveError::NotTwoDms { dms }),
    }
}

fn start(model: &Model) -> Tables {
    let id: Vec<u32> = (0..model.num_states() as u32).collect();
    [id.clone(), id]
}

/// `G_h` from `G_{h−1}`.
fn step(model: &Model, prev: &Tables) -> Tables {
    let next = |i: usize| -> Vec<u32> {
        let j = 1 - i;
        let p_i = model.payoffs(i);
        let n = model.num_states();
        crate::par::map_range(n, n, |s| {
            let mut best: Option<u32> = None;
            model.for_each_move(i, s, |s1| {
                let end = prev[j][s1];
                if p_i[end as usize] > p_i[s] {
                    best = Some(match best {
                        Some(b)
                            if (p_i[b as usize], std::cmp::Reverse(b))
                                >= (p_i[end as usize], std::cmp::Reverse(end)) =>
                        {
                            b
                        }
                        _ => end,
                    });
                }
            });
            best.unwrap_or(s as u32)
        })
    };
    [next(0), next(1)]
}

fn stable_in(tables: &Tables) -> Vec<Vec<bool>> {
    tables
        .iter()
        .map(|t| {
            t.iter()
                .enumerate()
                .map(|(s, &g)| g as usize == s)
                .collect()
        })
        .collect()
}

/// `L_h` stability with horizon `horizon` (at least 1).
pub fn limited_move(model: &Model, horizon: usize) -> Result<LimitedMove, LimitedMoveError> {
    check(model)?;
    if horizon == 0 {
        return Err(LimitedMoveError::ZeroHorizon);
    }
    // The tables follow a deterministic sequence, so once one repeats an earlier one the rest is
    // periodic. Brent's method watches for that with two tables of memory; from the repeat on,
    // only the horizon's offset within the cycle is computed. A horizon of 10^9 then costs
    // as much as the sequence's transient and period, not 10^9 steps.
    let mut t = step(model, &start(model));
    let mut level = 1usize;
    let mut tortoise = t.clone();
    let (mut power, mut lag) = (1usize, 0usize);
    while level < horizon {
        t = step(model, &t);
        level += 1;
        lag += 1;
        if t == tortoise {
            // t[level] == t[level - lag], hence t[level + k] == t[level - lag + k] for all k.
            for _ in 0..(horizon - level) % lag {
                t = step(model, &t);
            }
            break;
        }
        if lag == power {
            tortoise = t.clone();
            power *= 2;
            lag = 0;
        }
    }
    Ok(LimitedMove {
        horizon,
        stable: stable_in(&t),
        anticipated: t.to_vec(),
    })
}

/// Non-myopic stability: `L_h` stability for all large enough h. Gives up after `max_levels`
/// levels without finding the cycle.
pub fn non_myopic(model: &Model, max_levels: usize) -> Result<NonMyopic, LimitedMoveError> {
    check(model)?;
    // Brent: find the period, then the start of the cycle.
    let first = step(model, &start(model));
    let mut power = 1usize;
    let mut period = 1usize;
    let mut tortoise = first.clone();
    let mut hare = step(model, &first);
    let mut levels = 2usize;
    while tortoise != hare {
        if levels > max_levels {
            return Err(LimitedMoveError::NoLimit { levels: max_levels });
        }
        if power == period {
            tortoise = hare.clone();
            power *= 2;
            period = 0;
        }
        hare = step(model, &hare);
        period += 1;
        levels += 1;
    }
    // The transient: run two copies `period` apart from h = 1 until they meet.
    let mut a = first.clone();
    let mut b = first;
    for _ in 0..period {
        b = step(model, &b);
    }
    let mut transient = 1usize;
    while a != b {
        a = step(model, &a);
        b = step(model, &b);
        transient += 1;
    }
    // Stable on every table of the cycle.
    let mut stable = stable_in(&a);
    let mut t = a;
    for _ in 1..period {
        t = step(model, &t);
        for (dm, flags) in stable_in(&t).into_iter().enumerate() {
            for (s, f) in flags.into_iter().enumerate() {
                stable[dm][s] &= f;
            }
        }
    }
    Ok(NonMyopic {
        stable,
        transient,
        period,
    })
}
