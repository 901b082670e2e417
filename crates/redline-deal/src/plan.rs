//! Phased plans: from the status quo to a target agreement in few, safe steps (DESIGN §4).
//!
//! The search runs over the lattice of partial moves toward the target. Each issue follows a
//! path from its status-quo value to its target value: directly, or, for ordered issues when
//! [`PlanParams::intermediate_values`] is set, through every value in between. A state gives each
//! moving issue a position on its path; positions only advance. A phase advances between one and
//! [`PlanParams::max_issues_per_phase`] issues, each by any number of steps.
//!
//! Every outcome a phase ends in must break no linkage and no party's red line (a red line with
//! `applies = "final"` binds only the target), and must leave
//! every party at least as well off as in the status quo (within 1e-12). When a phase starts
//! moving the `then` issue of a sequencing rule, the rule's `first` issue must already have moved
//! (strict) or move in the same phase or earlier (non-strict); if `first` never moves in the plan,
//! `then` cannot move at all.
//!
//! Objective, exactly: fewest phases; then the largest minimum margin over the status quo (the
//! least gain of any party at the end of any phase); then the most phases in which every party
//! gets something (an issue moves in its favour). Breadth-first search finds the fewest phases;
//! since every plan of that length visits states in breadth-first order, a forward max-min pass
//! over the layers finds the best margin, and a longest-path pass over the states with at least
//! that margin finds the most balanced phases. Remaining ties go to the first plan found in
//! lexicographic order of moves.
//!
//! When no plan exists the result says which rules block it: those whose removal alone lets a
//! plan through, and how often each rule stopped a move during the search.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::space::Evaluated;
use crate::spec::DealSpec;

/// Options for phased plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanParams {
    /// The most issues one phase may move (default 2).
    pub max_issues_per_phase: usize,
    /// Whether ordered issues may pass through the values between status quo and target.
    pub intermediate_values: bool,
    /// The most lattice states to search; beyond it, intermediate values are dropped, and if the
    /// lattice is still too large the plan is not attempted.
    pub max_states: usize,
    /// The most moves one search may examine (an effort bound); beyond it, intermediate values
    /// are dropped, and if the search still runs out the plan is reported as too large.
    pub max_moves: u64,
    /// Look first for a self-enforcing plan: one in which no party's utility falls from one
    /// phase to the next, so no party is better off stopping after an intermediate phase.
    /// When none exists, the best plan without that condition is given (and says so).
    #[serde(default = "yes")]
    pub self_enforcing: bool,
}

fn yes() -> bool {
    true
}

impl Default for PlanParams {
    fn default() -> Self {
        PlanParams {
            max_issues_per_phase: 2,
            intermediate_values: true,
            max_states: 2_000_000,
            max_moves: 50_000_000,
            self_enforcing: true,
        }
    }
}

/// A rule that a plan must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum Rule {
    /// A red line (index into [`DealSpec::red_lines`]).
    RedLine(usize),
    /// A linkage (index into [`DealSpec::linkages`]).
    Linkage(usize),
    /// A party must stay at least at its status-quo utility (index into [`DealSpec::parties`]).
    StatusQuo(usize),
    /// A sequencing rule (index into [`DealSpec::sequencing`]).
    Sequencing(usize),
    /// The limit on issues per phase.
    PhaseSize,
}

/// One step of a found plan, as indices.
#[derive(Debug, Clone, PartialEq)]
pub struct RawPhase {
    /// The outcome index after the phase.
    pub outcome: usize,
    /// `(issue, from value, to value)` for every issue the phase moves.
    pub changes: Vec<(usize, usize, usize)>,
    /// Whether every party gains on some issue moved in this phase.
    pub balanced: bool,
}

/// What the plan search found.
#[derive(Debug, Clone, PartialEq)]
pub enum RawPlan {
    /// The status quo already is the target.
    AlreadyThere,
    /// A plan: the phases, the minimum margin over the status quo, whether intermediate values
    /// were used in the search.
    Found {
        phases: Vec<RawPhase>,
        min_margin: f64,
        intermediate_values: bool,
        /// Whether no party's utility falls from one phase to the next; then `min_gain` is the
        /// smallest gain of any party in any phase.
        self_enforcing: bool,
        min_gain: Option<f64>,
    },
    /// No plan exists. `target_breaks` lists the rules the target itself breaks; `unblocking`
    /// the rules whose removal alone would allow a plan; `hits` how often each rule stopped a move.
    Blocked {
        /// Rules the target itself breaks.
        target_breaks: Vec<Rule>,
        /// Rules whose removal alone would allow a plan.
        unblocking: Vec<Rule>,
        /// How often each rule stopped a step of the search.
        hits: Vec<(Rule, usize)>,
        /// Whether every rule could be tried within the effort bound.
        complete: bool,
    },
    /// The lattice has more states than allowed, or the search more moves.
    TooLarge {
        /// States in the lattice.
        states: u128,
        /// Whether it was the move bound (rather than the state bound) that stopped the search.
        moves_exhausted: bool,
    },
}

const EPS: f64 = 1e-12;

struct Lattice<'a> {
    spec: &'a DealSpec,
    ev: &'a Evaluated,
    start: usize,
    /// Moving issues and their value paths.
    moving: Vec<usize>,
    paths: Vec<Vec<usize>>,
    strides: Vec<usize>,
    size: usize,
    sq_util: Vec<f64>,
    contrib: Vec<Vec<Vec<f64>>>,
    max_per_phase: usize,
    max_moves: u64,
    moves: Cell<u64>,
    /// Self-enforcing search: no party's utility may fall from one phase to the next.
    monotone: bool,
}

struct Bfs {
    dist: Vec<u16>,
    layers: Vec<Vec<usize>>,
    reached: bool,
    /// The move bound stopped the search.
    exhausted: bool,
}

const UNSEEN: u16 = u16::MAX;

impl<'a> Lattice<'a> {
    fn new(
        spec: &'a DealSpec,
        ev: &'a Evaluated,
        sq: &[usize],
        target: &[usize],
        params: &PlanParams,
        intermediate: bool,
    ) -> Result<Self, u128> {
        let mut moving = Vec::new();
        let mut paths = Vec::new();
        for (k, (&a, &b)) in sq.iter().zip(target).enumerate() {
            if a == b {
                continue;
            }
            moving.push(k);
            let path: Vec<usize> = if intermediate && spec.issues[k].ordered {
                if a < b {
                    (a..=b).collect()
                } else {
                    (b..=a).rev().collect()
                }
            } else {
                vec![a, b]
            };
            paths.push(path);
        }
        let states: u128 = paths.iter().map(|p| p.len() as u128).product();
        if states > params.max_states as u128 || states > u32::MAX as u128 {
            return Err(states);
        }
        let mut strides = vec![1usize; paths.len()];
        for j in (0..paths.len().saturating_sub(1)).rev() {
            strides[j] = strides[j + 1] * paths[j + 1].len();
        }
        let start = ev.space.encode(sq);
        let sq_util = ev.utility_vector(start);
        let contrib = (0..spec.parties.len())
            .map(|p| spec.contributions(p))
            .collect();
        Ok(Lattice {
            spec,
            ev,
            start,
            moving,
            paths,
            strides,
            size: states as usize,
            sq_util,
            contrib,
            max_per_phase: params.max_issues_per_phase.max(1),
            max_moves: params.max_moves,
            moves: Cell::new(0),
            monotone: false,
        })
    }

    fn pos(&self, s: usize, j: usize) -> usize {
        (s / self.strides[j]) % self.paths[j].len()
    }

    fn target_state(&self) -> usize {
        self.size - 1
    }

    fn outcome(&self, s: usize) -> usize {
        let mut o = self.start;
        for (j, &k) in self.moving.iter().enumerate() {
            let p = self.pos(s, j);
            if p > 0 {
                o = self.ev.space.with_value(o, k, self.paths[j][p]);
            }
        }
        o
    }

    /// Calls `f` for every rule the outcome `o` breaks (ignoring `disabled`). Red lines that bind
    /// only the final agreement (`applies = "final"`) count only when `o` is the target.
    fn broken(&self, o: usize, disabled: Option<Rule>, target: bool, mut f: impl FnMut(Rule)) {
        let ev = self.ev;
        for (i, set) in ev.linkage_sets.iter().enumerate() {
            if !set.contains(o) && disabled != Some(Rule::Linkage(i)) {
                f(Rule::Linkage(i));
            }
        }
        for (i, set) in ev.red_line_sets.iter().enumerate() {
            if (target || !self.spec.red_lines[i].final_only)
                && !set.contains(o)
                && disabled != Some(Rule::RedLine(i))
            {
                f(Rule::RedLine(i));
            }
        }
        for (p, u) in ev.utilities.iter().enumerate() {
            if u[o] < self.sq_util[p] - EPS && disabled != Some(Rule::StatusQuo(p)) {
                f(Rule::StatusQuo(p));
            }
        }
    }

    fn ok(&self, o: usize, disabled: Option<Rule>, target: bool) -> bool {
        let mut ok = true;
        self.broken(o, disabled, target, |_| ok = false);
        ok
    }

    /// The smallest gain of any party from state `s` to state `t` (negative: someone loses).
    fn gain(&self, s: usize, t: usize) -> f64 {
        let (a, b) = (self.outcome(s), self.outcome(t));
        self.ev
            .utilities
            .iter()
            .map(|u| u[b] - u[a])
            .fold(f64::INFINITY, f64::min)
    }

    /// Whether a phase from `s` to `t` is allowed: always, or in a self-enforcing search when no
    /// party's utility falls.
    fn step_ok(&self, s: usize, t: usize) -> bool {
        !self.monotone || self.gain(s, t) >= -EPS
    }

    /// The least gain over the status quo of any party at outcome `o`.
    fn margin(&self, o: usize) -> f64 {
        self.ev
            .utilities
            .iter()
            .zip(&self.sq_util)
            .map(|(u, s)| u[o] - s)
            .fold(f64::INFINITY, f64::min)
    }

    /// Calls `f(next_state, moved)` for every move from `s` allowed by the phase-size and
    /// sequencing rules; `blocked(rule)` for every move a sequencing rule forbids.
    fn for_each_move(
        &self,
        s: usize,
        disabled: Option<Rule>,
        f: &mut impl FnMut(usize, &[(usize, usize, usize)]),
        blocked: &mut impl FnMut(Rule),
    ) {
        let open: Vec<usize> = (0..self.moving.len())
            .filter(|&j| self.pos(s, j) + 1 < self.paths[j].len())
            .collect();
        let limit = if disabled == Some(Rule::PhaseSize) {
            open.len()
        } else {
            self.max_per_phase
        };
        let mut chosen: Vec<(usize, usize, usize)> = Vec::new();
        self.choose(s, &open, 0, limit, &mut chosen, disabled, f, blocked);
    }

    #[allow(clippy::too_many_arguments)]
    fn choose(
        &self,
        s: usize,
        open: &[usize],
        from: usize,
        limit: usize,
        chosen: &mut Vec<(usize, usize, usize)>,
        disabled: Option<Rule>,
        f: &mut impl FnMut(usize, &[(usize, usize, usize)]),
        blocked: &mut impl FnMut(Rule),
    ) {
        if !chosen.is_empty() {
            if let Some(rule) = self.sequencing_violation(s, chosen, disabled) {
                blocked(rule);
            } else {
                let mut t = s;
                for &(j, a, b) in chosen.iter() {
                    t = t - a * self.strides[j] + b * self.strides[j];
                }
                self.moves.set(self.moves.get() + 1);
                f(t, chosen);
            }
        }
        if chosen.len() == limit {
            return;
        }
        for (i, &j) in open.iter().enumerate().skip(from) {
            let a = self.pos(s, j);
            for b in a + 1..self.paths[j].len() {
                chosen.push((j, a, b));
                self.choose(s, open, i + 1, limit, chosen, disabled, f, blocked);
                chosen.pop();
            }
        }
    }

    fn sequencing_violation(
        &self,
        s: usize,
        chosen: &[(usize, usize, usize)],
        disabled: Option<Rule>,
    ) -> Option<Rule> {
        for (r, rule) in self.spec.sequencing.iter().enumerate() {
            if disabled == Some(Rule::Sequencing(r)) {
                continue;
            }
            let Some(jt) = self.moving.iter().position(|&k| k == rule.then) else {
                continue;
            };
            let starts_now = chosen.iter().any(|&(j, a, _)| j == jt && a == 0);
            if !starts_now {
                continue;
            }
            let Some(jf) = self.moving.iter().position(|&k| k == rule.first) else {
                return Some(Rule::Sequencing(r));
            };
            let before = self.pos(s, jf) > 0;
            let now = chosen.iter().any(|&(j, _, _)| j == jf);
            if !(before || (!rule.strict && now)) {
                return Some(Rule::Sequencing(r));
            }
        }
        None
    }

    fn bfs(&self, disabled: Option<Rule>, hits: Option<&mut BTreeMap<Rule, usize>>) -> Bfs {
        let counting = hits.is_some();
        let counter: RefCell<BTreeMap<Rule, usize>> = RefCell::new(BTreeMap::new());
        let count = |r: Rule| {
            if counting {
                *counter.borrow_mut().entry(r).or_insert(0) += 1;
            }
        };
        let mut dist = vec![UNSEEN; self.size];
        // 0 unknown, 1 allowed, 2 breaks a rule.
        let mut verdict = vec![0u8; self.size];
        let target = self.target_state();
        dist[0] = 0;
        let mut layers = vec![vec![0usize]];
        let mut reached = false;
        let mut exhausted = false;
        self.moves.set(0);
        while !reached && !exhausted {
            let d = layers.len();
            if d >= UNSEEN as usize {
                break;
            }
            let mut next = Vec::new();
            let current = layers.last().map(|l| l.as_slice()).unwrap_or(&[]);
            for &s in current {
                let mut on_move = |t: usize, _: &[(usize, usize, usize)]| {
                    if dist[t] != UNSEEN {
                        return;
                    }
                    if !self.step_ok(s, t) {
                        return;
                    }
                    if verdict[t] == 0 {
                        let o = self.outcome(t);
                        let ok = self.ok(o, disabled, t == target);
                        verdict[t] = if ok { 1 } else { 2 };
                        if !ok {
                            self.broken(o, disabled, t == target, count);
                        }
                    }
                    if verdict[t] == 1 {
                        dist[t] = d as u16;
                        next.push(t);
                        if t == target {
                            reached = true;
                        }
                    }
                };
                let mut on_block = count;
                self.for_each_move(s, disabled, &mut on_move, &mut on_block);
                if self.moves.get() > self.max_moves {
                    exhausted = true;
                    break;
                }
            }
            if next.is_empty() {
                break;
            }
            layers.push(next);
        }
        if let Some(h) = hits {
            for (r, n) in counter.into_inner() {
                *h.entry(r).or_insert(0) += n;
            }
        }
        Bfs {
            dist,
            layers,
            reached: reached && !exhausted,
            exhausted,
        }
    }

    /// Whether every party gains on some issue of the move.
    fn balanced(&self, moved: &[(usize, usize, usize)]) -> bool {
        self.contrib.iter().all(|c| {
            moved.iter().any(|&(j, a, b)| {
                let k = self.moving[j];
                c[k][self.paths[j][b]] > c[k][self.paths[j][a]]
            })
        })
    }

    /// The best plan, given a BFS that reached the target.
    fn best_plan(&self, bfs: &Bfs) -> (Vec<usize>, f64) {
        let depth = bfs.layers.len() - 1;
        let target = self.target_state();
        // Forward max-min margin over the layers.
        let mut bott = vec![f64::NEG_INFINITY; self.size];
        bott[0] = f64::INFINITY;
        let mut margin_of = vec![f64::NAN; self.size];
        for layer in &bfs.layers[1..] {
            for &s in layer {
                margin_of[s] = self.margin(self.outcome(s));
            }
        }
        for (d, layer) in bfs.layers[..depth].iter().enumerate() {
            for &s in layer {
                if bott[s] == f64::NEG_INFINITY {
                    continue;
                }
                let b = bott[s];
                self.for_each_move(
                    s,
                    None,
                    &mut |t, _| {
                        if bfs.dist[t] as usize == d + 1 && self.step_ok(s, t) {
                            // Self-enforcing: the smallest per-phase gain; otherwise the
                            // smallest margin over the status quo.
                            let v = if self.monotone {
                                b.min(self.gain(s, t))
                            } else {
                                b.min(margin_of[t])
                            };
                            if v > bott[t] {
                                bott[t] = v;
                            }
                        }
                    },
                    &mut |_| {},
                );
            }
        }
        let best_margin = bott[target];
        // Longest path by balanced phases over states with at least that margin.
        let floor = best_margin - EPS;
        let mut count = vec![-1i32; self.size];
        let mut pred = vec![usize::MAX; self.size];
        // Self-enforcing plans break ties towards a smaller first step (fewer value steps in
        // phase 1: "narrow, incremental confidence-building steps as a prelude").
        let mut first = vec![usize::MAX; self.size];
        count[0] = 0;
        for (d, layer) in bfs.layers[..depth].iter().enumerate() {
            for &s in layer {
                if count[s] < 0 {
                    continue;
                }
                let c = count[s];
                self.for_each_move(
                    s,
                    None,
                    &mut |t, moved| {
                        let on_best = if self.monotone {
                            self.step_ok(s, t) && self.gain(s, t) >= floor
                        } else {
                            margin_of[t] >= floor
                        };
                        if bfs.dist[t] as usize == d + 1 && on_best {
                            let v = c + i32::from(self.balanced(moved));
                            let f = if s == 0 {
                                moved.iter().map(|&(_, a, b)| b - a).sum()
                            } else {
                                first[s]
                            };
                            let better =
                                v > count[t] || (self.monotone && v == count[t] && f < first[t]);
                            if better {
                                count[t] = v;
                                pred[t] = s;
                                first[t] = f;
                            }
                        }
                    },
                    &mut |_| {},
                );
            }
        }
        let mut path = vec![target];
        let mut s = target;
        while s != 0 {
            s = pred[s];
            path.push(s);
        }
        path.reverse();
        (path, best_margin)
    }

    fn raw_phases(&self, path: &[usize]) -> Vec<RawPhase> {
        path.windows(2)
            .map(|w| {
                let (s, t) = (w[0], w[1]);
                let moved: Vec<(usize, usize, usize)> = (0..self.moving.len())
                    .filter_map(|j| {
                        let (a, b) = (self.pos(s, j), self.pos(t, j));
                        (a != b).then_some((j, a, b))
                    })
                    .collect();
                RawPhase {
                    outcome: self.outcome(t),
                    changes: moved
                        .iter()
                        .map(|&(j, a, b)| (self.moving[j], self.paths[j][a], self.paths[j][b]))
                        .collect(),
                    balanced: self.balanced(&moved),
                }
            })
            .collect()
    }
}

/// Finds the best phased plan from `sq` to `target` (value indices, both validated).
pub fn plan(
    spec: &DealSpec,
    ev: &Evaluated,
    sq: &[usize],
    target: &[usize],
    params: &PlanParams,
) -> RawPlan {
    if sq == target {
        return RawPlan::AlreadyThere;
    }
    if params.self_enforcing {
        let found = plan_with(spec, ev, sq, target, params, true);
        if matches!(found, RawPlan::Found { .. } | RawPlan::TooLarge { .. }) {
            return found;
        }
    }
    plan_with(spec, ev, sq, target, params, false)
}

fn plan_with(
    spec: &DealSpec,
    ev: &Evaluated,
    sq: &[usize],
    target: &[usize],
    params: &PlanParams,
    monotone: bool,
) -> RawPlan {
    let mut intermediate = params.intermediate_values;
    loop {
        let lattice = match Lattice::new(spec, ev, sq, target, params, intermediate) {
            Ok(mut l) => {
                l.monotone = monotone;
                l
            }
            Err(_) if intermediate => {
                intermediate = false;
                continue;
            }
            Err(states) => {
                return RawPlan::TooLarge {
                    states,
                    moves_exhausted: false,
                };
            }
        };
        match search(spec, &lattice, intermediate) {
            Some(plan) => return plan,
            None if intermediate => intermediate = false,
            None => {
                return RawPlan::TooLarge {
                    states: lattice.size as u128,
                    moves_exhausted: true,
                };
            }
        }
    }
}

/// Searches one lattice; `None` when the move bound stops the main search.
fn search(spec: &DealSpec, lattice: &Lattice, intermediate: bool) -> Option<RawPlan> {
    let target_outcome = lattice.outcome(lattice.target_state());
    let mut target_breaks = Vec::new();
    lattice.broken(target_outcome, None, true, |r| target_breaks.push(r));
    if !target_breaks.is_empty() {
        return Some(RawPlan::Blocked {
            target_breaks,
            unblocking: Vec::new(),
            hits: Vec::new(),
            complete: true,
        });
    }
    let mut hits = BTreeMap::new();
    let bfs = lattice.bfs(None, Some(&mut hits));
    if bfs.exhausted {
        return None;
    }
    if bfs.reached {
        let (path, best) = lattice.best_plan(&bfs);
        let min_margin = path[1..]
            .iter()
            .map(|&s| lattice.margin(lattice.outcome(s)))
            .fold(f64::INFINITY, f64::min);
        return Some(RawPlan::Found {
            phases: lattice.raw_phases(&path),
            min_margin,
            intermediate_values: intermediate,
            self_enforcing: lattice.monotone,
            min_gain: lattice.monotone.then_some(best),
        });
    }
    // Which single rule, dropped, lets a plan through?
    let mut rules: Vec<Rule> = Vec::new();
    rules.extend((0..spec.red_lines.len()).map(Rule::RedLine));
    rules.extend((0..spec.linkages.len()).map(Rule::Linkage));
    rules.extend((0..spec.parties.len()).map(Rule::StatusQuo));
    rules.extend((0..spec.sequencing.len()).map(Rule::Sequencing));
    rules.push(Rule::PhaseSize);
    let mut complete = true;
    let unblocking: Vec<Rule> = rules
        .into_iter()
        .filter(|&r| hits.contains_key(&r) || r == Rule::PhaseSize)
        .filter(|&r| {
            let b = lattice.bfs(Some(r), None);
            complete &= !b.exhausted;
            b.reached
        })
        .collect();
    let mut hits: Vec<(Rule, usize)> = hits.into_iter().collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(RawPlan::Blocked {
        target_breaks,
        unblocking,
        hits,
        complete,
    })
}
