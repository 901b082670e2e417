//! Seeded random conflicts, for property tests, benchmarks and scale experiments.

use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::formula::Compiled;
use crate::model::{MAX_STATES, enumerate};
use crate::spec::{ConflictSpec, Direction, DmSpec, Formula, OptionSpec, Preference};

/// The shape of a random conflict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RandomParams {
    pub dms: usize,
    pub options: usize,
    /// Split options as evenly as possible between DMs (otherwise at random, each DM at least
    /// one).
    pub even_split: bool,
    /// The chance that an option is irreversible (forward or backward, evenly).
    pub irreversible: f64,
    /// How many infeasibility conditions (each a random conjunction of 2–3 literals, sometimes a
    /// richer formula).
    pub infeasible: usize,
    /// The chance that a DM misperceives some states.
    pub misperception: f64,
    /// Statements per DM for option prioritisation.
    pub statements: usize,
    /// The chance that a DM gets an explicit ranking instead (only when the model has at most
    /// 2^16 code points, since the ranking lists every feasible state).
    pub ranking: f64,
    /// In an explicit ranking, the chance that a state ties with the one before it.
    pub ties: f64,
}

impl Default for RandomParams {
    fn default() -> Self {
        RandomParams {
            dms: 2,
            options: 6,
            even_split: false,
            irreversible: 0.2,
            infeasible: 2,
            misperception: 0.0,
            statements: 4,
            ranking: 0.0,
            ties: 0.2,
        }
    }
}

/// A random conflict; the same parameters and seed always give the same conflict. The status
/// quo is set to a feasible state when one can be found.
///
/// `dms` and `options` are clamped to `1..=63`, with at least one option per DM.
pub fn random_conflict(p: &RandomParams, seed: u64) -> ConflictSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = p.options.clamp(1, crate::spec::MAX_OPTIONS);
    let d = p.dms.clamp(1, n);
    // Option counts per DM.
    let mut counts = vec![1usize; d];
    for k in 0..n - d {
        let dm = if p.even_split {
            k % d
        } else {
            rng.random_range(0..d)
        };
        counts[dm] += 1;
    }
    let mut options = Vec::with_capacity(n);
    for (dm, &c) in counts.iter().enumerate() {
        for k in 0..c {
            let direction = if rng.random_bool(p.irreversible.clamp(0.0, 1.0)) {
                if rng.random_bool(0.5) {
                    Direction::Forward
                } else {
                    Direction::Backward
                }
            } else {
                Direction::Both
            };
            options.push(OptionSpec {
                name: format!("d{dm}o{k}"),
                dm,
                direction,
            });
        }
    }
    let infeasible: Vec<Formula> = (0..p.infeasible)
        .map(|_| {
            if rng.random_bool(0.8) {
                let len = 2 + rng.random_range(0..2usize);
                random_cube(&mut rng, n, len)
            } else {
                Formula::And(vec![
                    random_formula(&mut rng, n, 2),
                    random_formula(&mut rng, n, 1),
                ])
            }
        })
        .collect();
    let small = n <= 16;
    let feasible: Option<Vec<u64>> = small
        .then(|| {
            let c: Vec<Compiled> = infeasible.iter().map(Compiled::new).collect();
            enumerate(n, &c, MAX_STATES).ok()
        })
        .flatten();
    let dms = (0..d)
        .map(|dm| {
            let preference = match &feasible {
                Some(codes) if !codes.is_empty() && rng.random_bool(p.ranking.clamp(0.0, 1.0)) => {
                    let mut order = codes.clone();
                    order.shuffle(&mut rng);
                    let mut groups: Vec<Vec<u64>> = Vec::new();
                    for c in order {
                        match groups.last_mut() {
                            Some(g) if rng.random_bool(p.ties.clamp(0.0, 1.0)) => g.push(c),
                            _ => groups.push(vec![c]),
                        }
                    }
                    Preference::Ranking(groups)
                }
                _ => Preference::Statements(
                    (0..p.statements.min(crate::spec::MAX_STATEMENTS))
                        .map(|_| random_formula(&mut rng, n, 2))
                        .collect(),
                ),
            };
            let misperceived = if rng.random_bool(p.misperception.clamp(0.0, 1.0)) {
                vec![random_cube(&mut rng, n, 2)]
            } else {
                Vec::new()
            };
            DmSpec {
                name: format!("DM{dm}"),
                preference,
                misperceived,
            }
        })
        .collect();
    let status_quo = match &feasible {
        Some(codes) if !codes.is_empty() => Some(codes[rng.random_range(0..codes.len())]),
        _ => {
            let c: Vec<Compiled> = infeasible.iter().map(Compiled::new).collect();
            (0..64)
                .map(|_| rng.random_range(0..=u64::MAX >> (64 - n)))
                .find(|&code| !c.iter().any(|f| f.eval(code)))
        }
    };
    ConflictSpec {
        options,
        dms,
        infeasible,
        coalitions: Vec::new(),
        status_quo,
    }
}

fn random_cube(rng: &mut ChaCha8Rng, n: usize, len: usize) -> Formula {
    let mut bits: Vec<usize> = (0..n).collect();
    bits.shuffle(rng);
    let lits: Vec<(usize, bool)> = bits
        .into_iter()
        .take(len.min(n))
        .map(|b| (b, rng.random_bool(0.5)))
        .collect();
    Formula::cube(&lits)
}

/// A random formula of at most the given depth over `n` options.
fn random_formula(rng: &mut ChaCha8Rng, n: usize, depth: usize) -> Formula {
    if depth == 0 || rng.random_bool(0.3) {
        let b = rng.random_range(0..n);
        return if rng.random_bool(0.5) {
            Formula::taken(b)
        } else {
            Formula::not_taken(b)
        };
    }
    let kind = rng.random_range(0..5u8);
    let a = random_formula(rng, n, depth - 1);
    if kind == 4 {
        return Formula::Not(Box::new(a));
    }
    let b = random_formula(rng, n, depth - 1);
    match kind {
        0 => Formula::And(vec![a, b]),
        1 => Formula::Or(vec![a, b]),
        2 => Formula::Implies(Box::new(a), Box::new(b)),
        _ => Formula::Iff(Box::new(a), Box::new(b)),
    }
}
