//! Status quo analysis: from the status quo, which equilibria can be reached, by sequences of
//! unilateral improvements and by sequences of any unilateral moves, within a depth horizon,
//! with a shortest path to each.
//!
//! Both searches are breadth first over states. A shortest path never has the same DM move
//! twice in a row (two consecutive moves of one DM are one move of that DM, and two consecutive
//! improvements of one DM are one improvement), so every path reported is a legal sequence.
//! The search expands states in a fixed order (each level in discovery order, DMs ascending,
//! targets by ascending code) and keeps the first path found, so the result is deterministic.

use serde::{Deserialize, Serialize};

use crate::analysis::Stability;
use crate::concept::ConceptSet;
use crate::model::Model;

/// One move of a path.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The DM who moves.
    pub dm: usize,
    pub from: usize,
    pub to: usize,
    pub from_code: u64,
    pub to_code: u64,
    /// Options (bits) taken by this move.
    pub taken: Vec<usize>,
    /// Options (bits) dropped by this move.
    pub dropped: Vec<usize>,
}

/// A sequence of moves; empty when the target is the status quo itself.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Path {
    pub steps: Vec<Step>,
}

impl Path {
    pub fn len(&self) -> usize {
        self.steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// An equilibrium and how (whether) it can be reached from the status quo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    pub state: usize,
    pub code: u64,
    /// The concepts under which the state is an equilibrium.
    pub equilibrium: ConceptSet,
    /// A shortest path of unilateral improvements, if one exists within the horizon.
    pub by_improvements: Option<Path>,
    /// A shortest path of unilateral moves, if one exists within the horizon.
    pub by_moves: Option<Path>,
}

/// The result of a status quo analysis.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusQuoAnalysis {
    pub status_quo: usize,
    pub status_quo_code: u64,
    /// The most moves a path may have; `None` for no limit.
    pub horizon: Option<usize>,
    /// How many states can be reached by improvements (the status quo included).
    pub reached_by_improvements: usize,
    /// How many states can be reached by moves (the status quo included).
    pub reached_by_moves: usize,
    /// Every state that is an equilibrium under at least one computed concept, ascending.
    pub targets: Vec<Target>,
}

/// Why a status quo analysis cannot run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StatusQuoError {
    #[error("no status quo is given: set one in the conflict or pass one")]
    Missing,
    #[error("the status quo {code} is not a feasible state")]
    Infeasible { code: u64 },
    #[error("the stability results belong to a model with {got} states, not {expected}")]
    Mismatch { expected: usize, got: usize },
}

/// Runs the analysis from `status_quo` (or the conflict's own status quo when `None`).
pub fn status_quo_analysis(
    model: &Model,
    stability: &Stability,
    status_quo: Option<u64>,
    horizon: Option<usize>,
) -> Result<StatusQuoAnalysis, StatusQuoError> {
    let code = status_quo
        .or(model.spec().status_quo)
        .ok_or(StatusQuoError::Missing)?;
    let sq = model
        .index_of(code)
        .ok_or(StatusQuoError::Infeasible { code })?;
    let got = stability.stable.first().map_or(0, Vec::len);
    if got != model.num_states() {
        return Err(StatusQuoError::Mismatch {
            expected: model.num_states(),
            got,
        });
    }
    let improving = search(model, sq, horizon, true);
    let moving = search(model, sq, horizon, false);
    let targets = (0..model.num_states())
        .filter_map(|s| {
            let equilibrium = stability.equilibrium_set(s);
            (!equilibrium.is_empty()).then(|| Target {
                state: s,
                code: model.code(s),
                equilibrium,
                by_improvements: improving.path(model, s),
                by_moves: moving.path(model, s),
            })
        })
        .collect();
    Ok(StatusQuoAnalysis {
        status_quo: sq,
        status_quo_code: code,
        horizon,
        reached_by_improvements: improving.reached,
        reached_by_moves: moving.reached,
        targets,
    })
}

/// Breadth-first search tree: `parent[t]` is the state before `t` and `mover[t]` who moved.
struct Tree {
    root: usize,
    parent: Vec<u32>,
    mover: Vec<u8>,
    reached: usize,
}

const UNSEEN: u32 = u32::MAX;

fn search(model: &Model, root: usize, horizon: Option<usize>, improving: bool) -> Tree {
    let n = model.num_states();
    let mut parent = vec![UNSEEN; n];
    let mut mover = vec![0u8; n];
    parent[root] = root as u32;
    let mut frontier = vec![root];
    let mut reached = 1usize;
    let mut depth = 0usize;
    let mut next = Vec::new();
    let mut buf = Vec::new();
    while !frontier.is_empty() && horizon.is_none_or(|h| depth < h) {
        next.clear();
        for &s in &frontier {
            for dm in 0..model.num_dms() {
                buf.clear();
                let p = model.payoff(dm, s);
                model.for_each_move(dm, s, |t| {
                    if !improving || model.payoff(dm, t) > p {
                        buf.push(t);
                    }
                });
                buf.sort_unstable();
                for &t in &buf {
                    if parent[t] == UNSEEN {
                        parent[t] = s as u32;
                        mover[t] = dm as u8;
                        reached += 1;
                        next.push(t);
                    }
                }
            }
        }
        std::mem::swap(&mut frontier, &mut next);
        depth += 1;
    }
    Tree {
        root,
        parent,
        mover,
        reached,
    }
}

impl Tree {
    fn path(&self, model: &Model, target: usize) -> Option<Path> {
        if self.parent[target] == UNSEEN {
            return None;
        }
        let mut steps = Vec::new();
        let mut t = target;
        while t != self.root {
            let s = self.parent[t] as usize;
            let (from_code, to_code) = (model.code(s), model.code(t));
            let bits = |x: u64| (0..model.num_options()).filter(move |b| x >> b & 1 == 1);
            steps.push(Step {
                dm: self.mover[t] as usize,
                from: s,
                to: t,
                from_code,
                to_code,
                taken: bits(to_code & !from_code).collect(),
                dropped: bits(from_code & !to_code).collect(),
            });
            t = s;
        }
        steps.reverse();
        Some(Path { steps })
    }
}
