//! Explicit move graphs for the analyses that need arbitrary sets of movers (coalitions): a
//! compressed adjacency list built once, and aggregates over everything reachable, computed on
//! the strongly connected components (Tarjan, iterative) in linear time.

use crate::model::Model;

/// A set of DMs moving as one player: any non-empty change to the union of their options that
/// lands on a feasible state, reverses no irreversible option and neither starts nor ends in a
/// state that any member misperceives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Player {
    pub members: Vec<usize>,
    pub mask: u64,
    pub forward: u64,
    pub backward: u64,
}

impl Player {
    pub fn new(model: &Model, members: &[usize]) -> Player {
        let mut p = Player {
            members: members.to_vec(),
            mask: 0,
            forward: 0,
            backward: 0,
        };
        for &m in members {
            let b = model.dm_bits(m);
            p.mask |= b.mask;
            p.forward |= b.forward;
            p.backward |= b.backward;
        }
        p
    }

    fn misperceives(&self, model: &Model, s: usize) -> bool {
        self.members.iter().any(|&m| model.misperceives(m, s))
    }

    /// Calls `f` on every state the player reaches from `s` in one move.
    pub fn for_each_move(&self, model: &Model, s: usize, mut f: impl FnMut(usize)) {
        if self.misperceives(model, s) {
            return;
        }
        let from = model.code(s);
        let mut sub = self.mask;
        while sub != 0 {
            let to = from ^ sub;
            if from & self.forward & !to == 0
                && !from & self.backward & to == 0
                && let Some(t) = model.index_of(to)
                && !self.misperceives(model, t)
            {
                f(t);
            }
            sub = (sub - 1) & self.mask;
        }
    }

    /// Whether every member strictly prefers `t` to `s`.
    pub fn prefers(&self, model: &Model, t: usize, s: usize) -> bool {
        self.members
            .iter()
            .all(|&m| model.payoff(m, t) > model.payoff(m, s))
    }

    /// Whether `s2` sanctions the player's move from `s`: some member does not strictly prefer
    /// `s2` to `s`.
    pub fn sanctioned_by(&self, model: &Model, s: usize, s2: usize) -> bool {
        !self.prefers(model, s2, s)
    }
}

/// A directed graph over the states, as compressed adjacency lists.
#[derive(Debug)]
pub(crate) struct Graph {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Graph {
    /// Builds the graph whose successors of `s` are what `succ(s, push)` pushes.
    pub fn build(n: usize, succ: impl Fn(usize, &mut dyn FnMut(usize)) + Sync) -> Graph {
        let lists: Vec<Vec<u32>> = crate::par::map_range(n, n * 4, |s| {
            let mut v = Vec::new();
            succ(s, &mut |t| v.push(t as u32));
            v.sort_unstable();
            v.dedup();
            v
        });
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u32);
        let mut targets = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        for l in lists {
            targets.extend_from_slice(&l);
            offsets.push(targets.len() as u32);
        }
        Graph { offsets, targets }
    }

    /// The union of several graphs over the same states.
    pub fn union(n: usize, graphs: &[&Graph]) -> Graph {
        Graph::build(n, |s, push| {
            for g in graphs {
                for &t in g.successors(s) {
                    push(t as usize);
                }
            }
        })
    }

    /// The graph with no edges.
    pub fn empty(n: usize) -> Graph {
        Graph {
            offsets: vec![0; n + 1],
            targets: Vec::new(),
        }
    }

    #[inline]
    pub fn successors(&self, s: usize) -> &[u32] {
        &self.targets[self.offsets[s] as usize..self.offsets[s + 1] as usize]
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// For every state, `agg` over the values of the state and everything reachable from it.
    pub fn reach_aggregate(&self, vals: &[u32], agg: fn(u32, u32) -> u32) -> Vec<u32> {
        let n = self.len();
        let comp = self.components();
        // Tarjan numbers components in reverse topological order: every edge leads to a
        // component with a smaller or equal number, so one ascending sweep suffices.
        let count = comp.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); count];
        for (s, &c) in comp.iter().enumerate() {
            members[c as usize].push(s as u32);
        }
        let mut acc: Vec<Option<u32>> = vec![None; count];
        for c in 0..count {
            let mut a: Option<u32> = None;
            for &s in &members[c] {
                let s = s as usize;
                a = Some(a.map_or(vals[s], |x| agg(x, vals[s])));
                for &t in self.successors(s) {
                    let ct = comp[t as usize] as usize;
                    if ct != c {
                        let v = acc[ct].unwrap_or(vals[t as usize]);
                        a = Some(a.map_or(v, |x| agg(x, v)));
                    }
                }
            }
            acc[c] = a;
        }
        (0..n)
            .map(|s| acc[comp[s] as usize].unwrap_or(vals[s]))
            .collect()
    }

    /// Strongly connected components (iterative Tarjan), numbered in reverse topological order.
    fn components(&self) -> Vec<u32> {
        const NONE: u32 = u32::MAX;
        let n = self.len();
        let mut index = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut comp = vec![NONE; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut call: Vec<(u32, u32)> = Vec::new();
        let mut next_index = 0u32;
        let mut next_comp = 0u32;
        for root in 0..n {
            if index[root] != NONE {
                continue;
            }
            call.push((root as u32, 0));
            index[root] = next_index;
            low[root] = next_index;
            next_index += 1;
            stack.push(root as u32);
            on_stack[root] = true;
            while let Some(top) = call.last_mut() {
                let v = top.0 as usize;
                let k = top.1 as usize;
                let succ = self.successors(v);
                if k < succ.len() {
                    top.1 += 1;
                    let w = succ[k] as usize;
                    if index[w] == NONE {
                        index[w] = next_index;
                        low[w] = next_index;
                        next_index += 1;
                        stack.push(w as u32);
                        on_stack[w] = true;
                        call.push((w as u32, 0));
                    } else if on_stack[w] {
                        low[v] = low[v].min(index[w]);
                    }
                } else {
                    call.pop();
                    if let Some(&(u, _)) = call.last() {
                        let u = u as usize;
                        low[u] = low[u].min(low[v]);
                    }
                    if low[v] == index[v] {
                        while let Some(w) = stack.pop() {
                            on_stack[w as usize] = false;
                            comp[w as usize] = next_comp;
                            if w as usize == v {
                                break;
                            }
                        }
                        next_comp += 1;
                    }
                }
            }
        }
        comp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reach_aggregate_follows_cycles_and_chains() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 isolated, 5 -> 0
        let edges: Vec<Vec<usize>> = vec![vec![1], vec![2], vec![1, 3], vec![], vec![], vec![0]];
        let g = Graph::build(6, |s, push| edges[s].iter().for_each(|&t| push(t)));
        let vals = [5, 9, 7, 2, 1, 8];
        assert_eq!(g.reach_aggregate(&vals, u32::min), vec![2, 2, 2, 2, 1, 2]);
        assert_eq!(g.reach_aggregate(&vals, u32::max), vec![9, 9, 9, 2, 1, 9]);
        let e = Graph::empty(3);
        assert_eq!(e.reach_aggregate(&[3, 1, 2], u32::min), vec![3, 1, 2]);
    }
}
