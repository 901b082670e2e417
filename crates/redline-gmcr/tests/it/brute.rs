//! An independent, obviously-right implementation of the six concepts, straight from the
//! definitions in DESIGN §3: plain vectors and hash sets, no fibers, no fixpoints. Exponential,
//! for small conflicts only.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;

use redline_gmcr::{ConflictSpec, Direction, Formula, Preference};

/// (coalition, start, improving)
type ReachKey = (Vec<usize>, usize, bool);

pub struct Brute {
    pub n: usize,
    pub dms: usize,
    /// Feasible codes, ascending.
    pub codes: Vec<u64>,
    /// `payoff[dm][state]`.
    pub payoff: Vec<Vec<u32>>,
    /// `mis[dm][state]`.
    pub mis: Vec<Vec<bool>>,
    owner: Vec<usize>,
    direction: Vec<Direction>,
    /// `R_i(s)` for every DM and state, computed once from the definition.
    moves: Vec<Vec<Vec<usize>>>,
    index: HashMap<u64, usize>,
    /// Memo of `reach`, keyed by (coalition, start, improving).
    memo: RefCell<HashMap<ReachKey, Rc<HashSet<usize>>>>,
}

fn ev(f: &Formula, code: u64) -> bool {
    match f {
        Formula::True => true,
        Formula::False => false,
        Formula::Opt(b) => code & (1 << b) != 0,
        Formula::Not(g) => !ev(g, code),
        Formula::And(gs) => gs.iter().all(|g| ev(g, code)),
        Formula::Or(gs) => gs.iter().any(|g| ev(g, code)),
        Formula::Implies(p, q) => !ev(p, code) || ev(q, code),
        Formula::Iff(p, q) => ev(p, code) == ev(q, code),
    }
}

impl Brute {
    /// `None` when no state is feasible.
    pub fn new(spec: &ConflictSpec) -> Option<Brute> {
        let n = spec.options.len();
        let codes: Vec<u64> = (0..1u64 << n)
            .filter(|&c| !spec.infeasible.iter().any(|f| ev(f, c)))
            .collect();
        if codes.is_empty() {
            return None;
        }
        let payoff = spec
            .dms
            .iter()
            .map(|dm| match &dm.preference {
                Preference::Statements(st) => {
                    let k = st.len();
                    let score = |c: u64| -> u64 {
                        st.iter()
                            .enumerate()
                            .filter(|(_, f)| ev(f, c))
                            .map(|(j, _)| 1u64 << (k - 1 - j))
                            .sum()
                    };
                    let distinct: BTreeSet<u64> = codes.iter().map(|&c| score(c)).collect();
                    let distinct: Vec<u64> = distinct.into_iter().collect();
                    codes
                        .iter()
                        .map(|&c| distinct.iter().position(|&x| x == score(c)).unwrap() as u32 + 1)
                        .collect()
                }
                Preference::Ranking(groups) => codes
                    .iter()
                    .map(|&c| {
                        // gmcr-py: the best group gets N, each later group one less.
                        let g = groups.iter().position(|g| g.contains(&c)).unwrap();
                        (codes.len() - g) as u32
                    })
                    .collect(),
            })
            .collect();
        let mis = spec
            .dms
            .iter()
            .map(|dm| {
                codes
                    .iter()
                    .map(|&c| dm.misperceived.iter().any(|f| ev(f, c)))
                    .collect()
            })
            .collect();
        let mut b = Brute {
            n,
            dms: spec.dms.len(),
            index: codes.iter().enumerate().map(|(i, &c)| (c, i)).collect(),
            codes,
            payoff,
            mis,
            owner: spec.options.iter().map(|o| o.dm).collect(),
            direction: spec.options.iter().map(|o| o.direction).collect(),
            moves: Vec::new(),
            memo: RefCell::new(HashMap::new()),
        };
        b.moves = (0..b.dms)
            .map(|i| (0..b.codes.len()).map(|s| b.compute_moves(i, s)).collect())
            .collect();
        Some(b)
    }

    pub fn idx(&self, code: u64) -> Option<usize> {
        self.index.get(&code).copied()
    }

    /// `R_i(s)`.
    pub fn moves(&self, i: usize, s: usize) -> Vec<usize> {
        self.moves[i][s].clone()
    }

    fn compute_moves(&self, i: usize, s: usize) -> Vec<usize> {
        if self.mis[i][s] {
            return vec![];
        }
        let from = self.codes[s];
        (0..self.codes.len())
            .filter(|&t| {
                let to = self.codes[t];
                if t == s || self.mis[i][t] {
                    return false;
                }
                (0..self.n).all(|b| {
                    let (x, y) = (from >> b & 1, to >> b & 1);
                    if x == y {
                        return true;
                    }
                    self.owner[b] == i
                        && match self.direction[b] {
                            Direction::Both => true,
                            Direction::Forward => x == 0,
                            Direction::Backward => x == 1,
                        }
                })
            })
            .collect()
    }

    /// `R+_i(s)`.
    pub fn imps(&self, i: usize, s: usize) -> Vec<usize> {
        self.moves(i, s)
            .into_iter()
            .filter(|&t| self.payoff[i][t] > self.payoff[i][s])
            .collect()
    }

    /// `R_H(s)` (or `R+_H(s)`): states reached by legal sequences of moves by members of `h`,
    /// searching over (state, last mover) pairs.
    pub fn reach(&self, h: &[usize], s: usize, improving: bool) -> Rc<HashSet<usize>> {
        let key = (h.to_vec(), s, improving);
        if let Some(r) = self.memo.borrow().get(&key) {
            return r.clone();
        }
        let r = Rc::new(self.reach_uncached(h, s, improving));
        self.memo.borrow_mut().insert(key, r.clone());
        r
    }

    fn reach_uncached(&self, h: &[usize], s: usize, improving: bool) -> HashSet<usize> {
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut queue: VecDeque<(usize, Option<usize>)> = VecDeque::from([(s, None)]);
        while let Some((x, last)) = queue.pop_front() {
            for &j in h {
                if Some(j) == last {
                    continue;
                }
                let next = if improving {
                    self.imps(j, x)
                } else {
                    self.moves(j, x)
                };
                for y in next {
                    if seen.insert((y, j)) {
                        queue.push_back((y, Some(j)));
                    }
                }
            }
        }
        seen.into_iter().map(|(y, _)| y).collect()
    }

    fn others(&self, i: usize) -> Vec<usize> {
        (0..self.dms).filter(|&j| j != i).collect()
    }

    /// s ≿_i t
    fn weakly(&self, i: usize, s: usize, t: usize) -> bool {
        self.payoff[i][s] >= self.payoff[i][t]
    }

    pub fn nash(&self, i: usize, s: usize) -> bool {
        self.imps(i, s).is_empty()
    }

    pub fn gmr(&self, i: usize, s: usize) -> bool {
        let h = self.others(i);
        self.imps(i, s).into_iter().all(|s1| {
            self.reach(&h, s1, false)
                .iter()
                .any(|&s2| self.weakly(i, s, s2))
        })
    }

    pub fn smr(&self, i: usize, s: usize) -> bool {
        let h = self.others(i);
        self.imps(i, s).into_iter().all(|s1| {
            self.reach(&h, s1, false).iter().any(|&s2| {
                self.weakly(i, s, s2)
                    && self
                        .moves(i, s2)
                        .into_iter()
                        .all(|s3| self.weakly(i, s, s3))
            })
        })
    }

    pub fn seq(&self, i: usize, s: usize) -> bool {
        let h = self.others(i);
        self.imps(i, s).into_iter().all(|s1| {
            self.reach(&h, s1, true)
                .iter()
                .any(|&s2| self.weakly(i, s, s2))
        })
    }

    pub fn sim(&self, i: usize, s: usize) -> bool {
        let opp = self.others(i);
        // Each opponent: stay (None) or one of its improvements from s.
        let choices: Vec<Vec<Option<usize>>> = opp
            .iter()
            .map(|&j| {
                std::iter::once(None)
                    .chain(self.imps(j, s).into_iter().map(Some))
                    .collect()
            })
            .collect();
        self.imps(i, s).into_iter().all(|s1| {
            let mut combos: Vec<u64> = vec![self.codes[s1]];
            for (k, &j) in opp.iter().enumerate() {
                let mask: u64 = (0..self.n)
                    .filter(|&b| self.owner[b] == j)
                    .map(|b| 1u64 << b)
                    .sum();
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        choices[k].iter().map(move |ch| match ch {
                            None => c,
                            Some(t) => (c & !mask) | (self.codes[*t] & mask),
                        })
                    })
                    .collect();
            }
            combos
                .into_iter()
                .any(|c| self.idx(c).is_some_and(|s2| self.weakly(i, s, s2)))
        })
    }

    /// `[nash, gmr, smr, seq, sim, seqsim]` for DM i at state s.
    pub fn all(&self, i: usize, s: usize) -> [bool; 6] {
        let seq = self.seq(i, s);
        let sim = self.sim(i, s);
        [
            self.nash(i, s),
            self.gmr(i, s),
            self.smr(i, s),
            seq,
            sim,
            seq || sim,
        ]
    }
}

/// Joint mode and coalition analysis, straight from the definitions.
impl Brute {
    fn owned_by(&self, members: &[usize], b: usize) -> bool {
        members.contains(&self.owner[b])
    }

    /// One move of a player (a set of DMs acting as one over the union of their options).
    pub fn player_moves(&self, members: &[usize], s: usize) -> Vec<usize> {
        let mis = |x: usize| members.iter().any(|&m| self.mis[m][x]);
        if mis(s) {
            return vec![];
        }
        let from = self.codes[s];
        (0..self.codes.len())
            .filter(|&t| {
                let to = self.codes[t];
                t != s
                    && !mis(t)
                    && (0..self.n).all(|b| {
                        let (x, y) = (from >> b & 1, to >> b & 1);
                        x == y
                            || self.owned_by(members, b)
                                && match self.direction[b] {
                                    Direction::Both => true,
                                    Direction::Forward => x == 0,
                                    Direction::Backward => x == 1,
                                }
                    })
            })
            .collect()
    }

    fn all_prefer(&self, members: &[usize], t: usize, s: usize) -> bool {
        members
            .iter()
            .all(|&m| self.payoff[m][t] > self.payoff[m][s])
    }

    pub fn player_imps(&self, members: &[usize], s: usize) -> Vec<usize> {
        self.player_moves(members, s)
            .into_iter()
            .filter(|&t| self.all_prefer(members, t, s))
            .collect()
    }

    /// Legal sequences of moves by the listed players, over (state, last player) pairs.
    fn player_reach(
        &self,
        players: &[Vec<usize>],
        who: &[usize],
        s: usize,
        improving: bool,
    ) -> HashSet<usize> {
        let mut seen: HashSet<(usize, usize)> = HashSet::new();
        let mut queue: VecDeque<(usize, Option<usize>)> = VecDeque::from([(s, None)]);
        while let Some((x, last)) = queue.pop_front() {
            for &q in who {
                if Some(q) == last {
                    continue;
                }
                let next = if improving {
                    self.player_imps(&players[q], x)
                } else {
                    self.player_moves(&players[q], x)
                };
                for y in next {
                    if seen.insert((y, q)) {
                        queue.push_back((y, Some(q)));
                    }
                }
            }
        }
        seen.into_iter().map(|(y, _)| y).collect()
    }

    /// `[nash, gmr, smr, seq, sim, seqsim]` for player `k` at `s` in joint mode.
    pub fn joint_all(&self, players: &[Vec<usize>], k: usize, s: usize) -> [bool; 6] {
        let me = &players[k];
        let others: Vec<usize> = (0..players.len()).filter(|&q| q != k).collect();
        // s2 sanctions the player unless every member strictly prefers s2 to s.
        let sanction = |s2: usize| !self.all_prefer(me, s2, s);
        let imps = self.player_imps(me, s);
        let nash = imps.is_empty();
        let gmr = imps.iter().all(|&s1| {
            self.player_reach(players, &others, s1, false)
                .into_iter()
                .any(sanction)
        });
        let smr = imps.iter().all(|&s1| {
            self.player_reach(players, &others, s1, false)
                .into_iter()
                .any(|s2| sanction(s2) && self.player_moves(me, s2).into_iter().all(sanction))
        });
        let seq = imps.iter().all(|&s1| {
            self.player_reach(players, &others, s1, true)
                .into_iter()
                .any(sanction)
        });
        let sim = imps.iter().all(|&s1| {
            let mut combos = vec![self.codes[s1]];
            for &q in &others {
                let mask: u64 = (0..self.n)
                    .filter(|&b| self.owned_by(&players[q], b))
                    .map(|b| 1u64 << b)
                    .sum();
                let choices: Vec<Option<usize>> = std::iter::once(None)
                    .chain(self.player_imps(&players[q], s).into_iter().map(Some))
                    .collect();
                combos = combos
                    .into_iter()
                    .flat_map(|c| {
                        choices.iter().map(move |ch| match ch {
                            None => c,
                            Some(t) => (c & !mask) | (self.codes[*t] & mask),
                        })
                    })
                    .collect();
            }
            combos
                .into_iter()
                .any(|c| self.idx(c).is_some_and(sanction))
        });
        [nash, gmr, smr, seq, sim, seq || sim]
    }

    /// `[cnash, cgmr, csmr, cseq]` for DM i at s over a class of coalitions.
    pub fn coalitional(&self, class: &[Vec<usize>], i: usize, s: usize) -> [bool; 4] {
        let p = self.payoff[i][s];
        let mut out = [true; 4];
        for h in class.iter().filter(|h| h.contains(&i)) {
            let rest: Vec<usize> = (0..self.dms).filter(|x| !h.contains(x)).collect();
            let cimps: Vec<usize> = self
                .reach(h, s, false)
                .iter()
                .copied()
                .filter(|&t| h.iter().all(|&k| self.payoff[k][t] > self.payoff[k][s]))
                .collect();
            out[0] &= cimps.is_empty();
            out[1] &= cimps.iter().all(|&s1| {
                self.reach(&rest, s1, false)
                    .iter()
                    .any(|&s2| self.payoff[i][s2] <= p)
            });
            out[2] &= cimps.iter().all(|&s1| {
                self.reach(&rest, s1, false).iter().any(|&s2| {
                    self.payoff[i][s2] <= p
                        && self
                            .reach(h, s2, false)
                            .iter()
                            .all(|&s3| self.payoff[i][s3] <= p)
                })
            });
            out[3] &= cimps.iter().all(|&s1| {
                self.reach(&rest, s1, true)
                    .iter()
                    .any(|&s2| self.payoff[i][s2] <= p)
            });
        }
        out
    }
}
