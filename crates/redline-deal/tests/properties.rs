//! Property tests of the invariants users rely on, on random specs built from a seed.

use std::collections::{HashMap, HashSet, VecDeque};

use fixedbitset::FixedBitSet;
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redline_deal::conflict::{ExplainLimits, explain, satisfiable};
use redline_deal::pareto::{pareto_frontier, pareto_frontier_naive};
use redline_deal::spec::{
    Cond, Constraint, DealSpec, IssueSpec, Linkage, PartySpec, Sequencing, ValueLabel,
};
use redline_deal::{ConstraintKind, DealParams, Evaluated, PlanStatus, analyze};

fn random_cond(rng: &mut ChaCha8Rng, radices: &[usize], depth: u32) -> Cond {
    let atom = |rng: &mut ChaCha8Rng| {
        let issue = rng.random_range(0..radices.len());
        let allowed: Vec<bool> = (0..radices[issue]).map(|_| rng.random_bool(0.6)).collect();
        Cond::Atom { issue, allowed }
    };
    if depth == 0 {
        return atom(rng);
    }
    match rng.random_range(0..6) {
        0 => Cond::Implies(
            Box::new(random_cond(rng, radices, depth - 1)),
            Box::new(random_cond(rng, radices, depth - 1)),
        ),
        1 => Cond::Or(vec![
            random_cond(rng, radices, depth - 1),
            random_cond(rng, radices, depth - 1),
        ]),
        2 => Cond::And(vec![
            random_cond(rng, radices, depth - 1),
            random_cond(rng, radices, depth - 1),
        ]),
        3 => Cond::Not(Box::new(atom(rng))),
        4 => Cond::Iff(Box::new(atom(rng)), Box::new(atom(rng))),
        _ => atom(rng),
    }
}

/// A random spec: 2–4 issues of 2–4 values, 2–4 parties with small integer evaluations (so
/// that utility vectors tie), red lines, linkages, sequencing rules and a status quo.
fn random_spec(seed: u64) -> DealSpec {
    random_spec_with(seed, 4, 5)
}

/// As [`random_spec`], with 2 to `max_issues` issues and at most `max_red_lines` red lines.
/// The plan rules, independently of the crate: a phase moves 1..=`per_phase` issues, each
/// forward along its path from `sq` toward `target` (through values in between only when the
/// issue is ordered), and starts the `then` issue of a sequencing rule only after (or, when not
/// strict, with) its `first` issue, which must itself move in the plan.
fn legal_step(
    spec: &DealSpec,
    sq: &[usize],
    target: &[usize],
    per_phase: usize,
    from: &[usize],
    to: &[usize],
) -> bool {
    let ordered_between = |k: usize, v: usize| {
        let (a, b) = (sq[k].min(target[k]), sq[k].max(target[k]));
        v == sq[k] || v == target[k] || (spec.issues[k].ordered && a <= v && v <= b)
    };
    let started = |o: &[usize], k: usize| o[k] != sq[k];
    let progress = |k: usize, v: usize| -> usize {
        if target[k] >= sq[k] {
            v.abs_diff(sq[k])
        } else {
            sq[k] - v
        }
    };
    let moved: Vec<usize> = (0..from.len()).filter(|&k| from[k] != to[k]).collect();
    if moved.is_empty() || moved.len() > per_phase {
        return false;
    }
    for &k in &moved {
        if !ordered_between(k, to[k]) || progress(k, to[k]) <= progress(k, from[k]) {
            return false;
        }
        if !spec.issues[k].ordered && to[k] != target[k] {
            return false;
        }
    }
    spec.sequencing.iter().all(|s| {
        if !moved.contains(&s.then) || started(from, s.then) {
            return true;
        }
        if sq[s.first] == target[s.first] {
            return false;
        }
        started(from, s.first) || (!s.strict && moved.contains(&s.first))
    })
}

fn random_spec_with(seed: u64, max_issues: usize, max_red_lines: usize) -> DealSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n_issues = rng.random_range(2..=max_issues);
    let radices: Vec<usize> = (0..n_issues).map(|_| rng.random_range(2..=4)).collect();
    let issues: Vec<IssueSpec> = radices
        .iter()
        .enumerate()
        .map(|(k, &r)| IssueSpec {
            id: format!("i{k}"),
            name: format!("issue {k}"),
            values: (0..r).map(|v| ValueLabel::label(format!("v{v}"))).collect(),
            ordered: rng.random_bool(0.5),
        })
        .collect();
    let n_parties = rng.random_range(2..=4);
    let parties: Vec<PartySpec> = (0..n_parties)
        .map(|p| PartySpec {
            id: format!("p{p}"),
            name: format!("party {p}"),
            weights: (0..n_issues)
                .map(|_| f64::from(rng.random_range(0..4u32)) / 4.0)
                .collect(),
            evaluations: radices
                .iter()
                .map(|&r| {
                    (0..r)
                        .map(|_| f64::from(rng.random_range(0..4u32)))
                        .collect()
                })
                .collect(),
            normalized: vec![],
            terms: vec![],
            reservation: f64::from(rng.random_range(0..6u32)) / 10.0,
            reservation_source: redline_model::ReservationSource::Given,
            discount: None,
        })
        .collect();
    let red_lines = (0..rng.random_range(0..=max_red_lines))
        .map(|i| Constraint {
            private: false,
            final_only: false,
            id: format!("r{i}"),
            owner: rng.random_range(0..n_parties),
            label: format!("red line {i}"),
            cond: random_cond(&mut rng, &radices, 1),
        })
        .collect();
    let linkages = (0..rng.random_range(0..=2))
        .map(|i| Linkage {
            id: format!("l{i}"),
            label: format!("linkage {i}"),
            cond: random_cond(&mut rng, &radices, 1),
        })
        .collect();
    let sequencing = (0..rng.random_range(0..=2))
        .map(|i| {
            let first = rng.random_range(0..n_issues);
            let then = (first + rng.random_range(1..n_issues)) % n_issues;
            Sequencing {
                id: format!("s{i}"),
                first,
                then,
                strict: rng.random_bool(0.5),
            }
        })
        .collect();
    let status_quo = Some(radices.iter().map(|&r| rng.random_range(0..r)).collect());
    DealSpec {
        issues,
        parties,
        red_lines,
        linkages,
        sequencing,
        status_quo,
    }
}

fn random_utilities(seed: u64, parties: usize, n: usize, levels: u32) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..parties)
        .map(|_| {
            (0..n)
                .map(|_| f64::from(rng.random_range(0..levels)) / f64::from(levels))
                .collect()
        })
        .collect()
}

fn all(n: usize) -> FixedBitSet {
    let mut s = FixedBitSet::with_capacity(n);
    s.insert_range(..);
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every frontier point is undominated, every undominated vector is on the frontier, and
    /// duplicates are counted, against the O(n²) brute force; for 1 to 5 parties.
    #[test]
    fn frontier_matches_brute_force(seed in any::<u64>(), parties in 1usize..=5, n in 0usize..300, levels in 2u32..12) {
        let u = random_utilities(seed, parties, n, levels);
        let mut cand = all(n);
        // Drop a few candidates so that the candidate set matters.
        for i in (0..n).step_by(7) {
            cand.set(i, false);
        }
        prop_assert_eq!(pareto_frontier(&u, &cand), pareto_frontier_naive(&u, &cand));
    }

    /// Every reported conflict is unsatisfiable and minimal, every relaxation-to-be (MCS) fixes
    /// the set minimally, and when the enumeration is complete both lists are exactly the brute
    /// force ones.
    #[test]
    fn conflicts_are_minimal_and_complete(seed in any::<u64>(), m in 1usize..9, n in 1usize..40) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let density = rng.random_range(0.3..0.95);
        let sets: Vec<FixedBitSet> = (0..m)
            .map(|_| {
                let mut s = FixedBitSet::with_capacity(n);
                for i in 0..n {
                    s.set(i, rng.random_bool(density));
                }
                s
            })
            .collect();
        let refs: Vec<&FixedBitSet> = sets.iter().collect();
        let raw = explain(&refs, n, ExplainLimits::default());
        let full: Vec<usize> = (0..m).collect();
        let subsets: Vec<Vec<usize>> = (0u32..1 << m).map(|mask| (0..m).filter(|&c| mask >> c & 1 == 1).collect()).collect();
        let sat = |s: &[usize]| satisfiable(&refs, s, n);
        if sat(&full) {
            prop_assert!(raw.conflicts.is_empty() && raw.corrections.is_empty());
        } else {
            prop_assert!(raw.conflicts_complete && raw.corrections_complete);
            for c in &raw.conflicts {
                prop_assert!(!sat(c));
                for drop in 0..c.len() {
                    let mut sub = c.clone();
                    sub.remove(drop);
                    prop_assert!(sat(&sub), "conflict {:?} is not minimal", c);
                }
            }
            let mus: HashSet<Vec<usize>> = subsets
                .iter()
                .filter(|s| !sat(s) && (0..s.len()).all(|d| { let mut t = (*s).clone(); t.remove(d); sat(&t) }))
                .cloned()
                .collect();
            prop_assert_eq!(raw.conflicts.iter().cloned().collect::<HashSet<_>>(), mus);
            let rest = |s: &[usize]| -> Vec<usize> { full.iter().copied().filter(|c| !s.contains(c)).collect() };
            for c in &raw.corrections {
                prop_assert!(sat(&rest(c)));
                for drop in 0..c.len() {
                    let mut sub = c.clone();
                    sub.remove(drop);
                    prop_assert!(!sat(&rest(&sub)), "correction {:?} is not minimal", c);
                }
            }
            let mcs: HashSet<Vec<usize>> = subsets
                .iter()
                .filter(|s| sat(&rest(s)) && (0..s.len()).all(|d| { let mut t = (*s).clone(); t.remove(d); !sat(&rest(&t)) }))
                .cloned()
                .collect();
            prop_assert_eq!(raw.corrections.iter().cloned().collect::<HashSet<_>>(), mcs);
        }
    }

    /// The ZOPA is exactly the outcomes that break no linkage, no red line, and give every party
    /// its reservation, checked by direct evaluation; solutions match brute force; and an empty
    /// ZOPA's explanation names real conflicts and working relaxations.
    #[test]
    fn zopa_and_solutions_match_direct_evaluation(seed in any::<u64>()) {
        let spec = random_spec(seed);
        let ev = Evaluated::new(&spec, 1 << 20, 0.0).unwrap();
        let result = analyze(&spec, &DealParams::default()).unwrap();
        let mut zopa = Vec::new();
        for i in 0..ev.space.len() {
            let o = ev.space.decode(i);
            let ok = spec.linkages.iter().all(|l| l.cond.eval(&o))
                && spec.red_lines.iter().all(|r| r.cond.eval(&o))
                && (0..spec.parties.len()).all(|p| spec.utility(p, &o) >= spec.parties[p].reservation);
            prop_assert_eq!(ok, ev.zopa.contains(i));
            if ok {
                zopa.push(i);
            }
        }
        prop_assert_eq!(result.zopa.size, zopa.len() as u64);
        prop_assert_eq!(result.zopa.exists, !zopa.is_empty());
        // Brute-force solutions with the documented tie-break.
        let d: Vec<f64> = spec.parties.iter().map(|p| p.reservation).collect();
        let u = |i: usize| ev.utility_vector(i);
        let nash = |i: usize| u(i).iter().zip(&d).map(|(x, d)| x - d).product::<f64>();
        let pick = |f: &dyn Fn(usize) -> f64| -> Option<usize> {
            let best = zopa.iter().map(|&i| f(i)).fold(f64::NEG_INFINITY, f64::max);
            let tol = |x: f64| 1e-12 * x.abs().max(1.0);
            let near: Vec<usize> = zopa.iter().copied().filter(|&i| f(i) >= best - tol(best)).collect();
            let bn = near.iter().map(|&i| nash(i)).fold(f64::NEG_INFINITY, f64::max);
            near.into_iter().find(|&i| nash(i) >= bn - tol(bn))
        };
        let egal = |i: usize| u(i).iter().zip(&d).map(|(x, d)| x - d).fold(f64::INFINITY, f64::min);
        let welfare = |i: usize| u(i).iter().sum::<f64>();
        let idx = |s: &Option<redline_deal::Solution>| s.as_ref().map(|s| s.index as usize);
        prop_assert_eq!(idx(&result.solutions.nash), pick(&nash));
        prop_assert_eq!(idx(&result.solutions.egalitarian), pick(&egal));
        prop_assert_eq!(idx(&result.solutions.utilitarian), pick(&welfare));
        if let Some(ks) = &result.solutions.kalai_smorodinsky {
            // No ZOPA outcome has a higher worst normalised gain.
            let ideal: Vec<f64> = (0..d.len()).map(|p| zopa.iter().map(|&i| ev.utilities[p][i]).fold(f64::NEG_INFINITY, f64::max)).collect();
            let ratio = |i: usize| (0..d.len()).map(|p| if ideal[p] > d[p] { (ev.utilities[p][i] - d[p]) / (ideal[p] - d[p]) } else { 1.0 }).fold(f64::INFINITY, f64::min);
            let best = zopa.iter().map(|&i| ratio(i)).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(ratio(ks.index as usize) >= best - 1e-12);
        }
        // Every ZOPA frontier point is in the ZOPA and satisfies every red line.
        for p in &result.pareto {
            prop_assert!(ev.zopa.contains(p.index as usize));
            let o = ev.space.decode(p.index as usize);
            prop_assert!(spec.red_lines.iter().all(|r| r.cond.eval(&o)));
        }
        if !result.zopa.exists {
            prop_assert!(!result.zopa.conflicts.is_empty());
            prop_assert!(!result.zopa.relaxations.is_empty());
            // Each relaxation's witness breaks only what the relaxation relaxes.
            for r in &result.zopa.relaxations {
                let o = ev.space.decode(r.witness.index as usize);
                let dropped: HashSet<(ConstraintKind, String)> = r.changes.iter().filter_map(|c| match c {
                    redline_deal::Change::Drop { constraint } => Some((constraint.kind, constraint.id.clone())),
                    _ => None,
                }).collect();
                let lowered: HashMap<String, f64> = r.changes.iter().filter_map(|c| match c {
                    redline_deal::Change::LowerReservation { party, to, .. } => Some((party.clone(), *to)),
                    _ => None,
                }).collect();
                for l in &spec.linkages {
                    prop_assert!(l.cond.eval(&o) || dropped.contains(&(ConstraintKind::Linkage, l.id.clone())));
                }
                for rl in &spec.red_lines {
                    prop_assert!(rl.cond.eval(&o) || dropped.contains(&(ConstraintKind::RedLine, rl.id.clone())));
                }
                for (p, party) in spec.parties.iter().enumerate() {
                    let r = lowered.get(&party.id).copied().unwrap_or(party.reservation);
                    prop_assert!(spec.utility(p, &o) >= r);
                }
            }
        }
    }

    /// Every phase of every plan respects every rule, and no plan with fewer phases exists
    /// (checked by an independent breadth-first search over outcomes), nor one of the same length
    /// with a larger minimum margin.
    #[test]
    fn plans_respect_every_rule_and_are_optimal(seed in any::<u64>(), per_phase in 1usize..=3) {
        let mut spec = random_spec_with(seed, 5, 2);
        // Some red lines bind only the final agreement (`applies = "final"`).
        let mut flags = ChaCha8Rng::seed_from_u64(seed ^ 0xf1a1);
        for r in &mut spec.red_lines {
            r.final_only = flags.random_bool(0.3);
        }
        let ev = Evaluated::new(&spec, 1 << 20, 0.0).unwrap();
        let sq = spec.status_quo.clone().unwrap();
        // Aim at a random outcome, so that plans are searched even without a ZOPA.
        let sq_u: Vec<f64> = (0..spec.parties.len()).map(|p| spec.utility(p, &sq)).collect();
        let allowed_as = |o: &[usize], last: bool| -> bool {
            spec.linkages.iter().all(|l| l.cond.eval(o))
                && spec.red_lines.iter().all(|r| (r.final_only && !last) || r.cond.eval(o))
                && (0..spec.parties.len()).all(|p| spec.utility(p, o) >= sq_u[p] - 1e-12)
        };
        let allowed = |o: &[usize]| allowed_as(o, true);
        // Aim mostly at an outcome every rule allows (so that plans are found and checked), and
        // sometimes at any outcome (so that blocked searches are checked too).
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
        let good: Vec<usize> = (0..ev.space.len()).filter(|&i| allowed(&ev.space.decode(i))).collect();
        let target: Vec<usize> = if !good.is_empty() && rng.random_bool(0.8) {
            ev.space.decode(good[rng.random_range(0..good.len())])
        } else {
            spec.issues.iter().map(|i| rng.random_range(0..i.values.len())).collect()
        };
        let mut params = DealParams { target: Some(target.clone()), ..DealParams::default() };
        params.plan.max_issues_per_phase = per_phase;
        // The objective without the self-enforcing condition (checked separately below).
        params.plan.self_enforcing = false;
        let result = analyze(&spec, &params).unwrap();
        let label_index = |k: usize, label: &str| spec.issues[k].values.iter().position(|v| v.label == label).unwrap();
        // Independent BFS over outcomes: moves of at most `per_phase` issues, each forward along
        // its path toward the target, with the sequencing rules.
        let step_ok = |from: &[usize], to: &[usize]| legal_step(&spec, &sq, &target, per_phase, from, to);
        let all_outcomes: Vec<Vec<usize>> = (0..ev.space.len()).map(|i| ev.space.decode(i)).collect();
        let mut dist: HashMap<Vec<usize>, usize> = HashMap::new();
        dist.insert(sq.clone(), 0);
        let mut queue = VecDeque::from([sq.clone()]);
        while let Some(o) = queue.pop_front() {
            let d = dist[&o];
            for next in &all_outcomes {
                if !dist.contains_key(next) && allowed_as(next, *next == target) && step_ok(&o, next) {
                    dist.insert(next.clone(), d + 1);
                    queue.push_back(next.clone());
                }
            }
        }
        match result.plan.status {
            PlanStatus::Found => {
                prop_assert_eq!(Some(&result.phases.len()), dist.get(&target));
                let mut cur = sq.clone();
                let mut min_margin = f64::INFINITY;
                for ph in &result.phases {
                    let mut next = cur.clone();
                    for c in &ph.changes {
                        let k = spec.issues.iter().position(|i| i.id == c.issue).unwrap();
                        prop_assert_eq!(label_index(k, &c.from), cur[k]);
                        next[k] = label_index(k, &c.to);
                    }
                    prop_assert!(allowed_as(&next, next == target), "phase {} breaks a rule", ph.number);
                    prop_assert!(step_ok(&cur, &next), "phase {} moves illegally", ph.number);
                    prop_assert!(ph.changes.len() <= per_phase);
                    prop_assert_eq!(&ph.verify, &ph.changes.iter().map(|c| c.issue.clone()).collect::<Vec<_>>());
                    let m = (0..spec.parties.len()).map(|p| spec.utility(p, &next) - sq_u[p]).fold(f64::INFINITY, f64::min);
                    prop_assert!((ph.margin - m).abs() < 1e-12);
                    min_margin = min_margin.min(m);
                    cur = next;
                }
                prop_assert_eq!(&cur, &target);
                prop_assert!((result.plan.min_margin.unwrap() - min_margin).abs() < 1e-12);
                // No plan of the same length has a larger minimum margin (exhaustive over paths
                // in the BFS layers).
                let len = result.phases.len();
                let mut best: HashMap<Vec<usize>, f64> = HashMap::from([(sq.clone(), f64::INFINITY)]);
                for layer in 1..=len {
                    let prev: Vec<(Vec<usize>, f64)> = best.iter().filter(|(o, _)| dist[*o] == layer - 1).map(|(o, m)| (o.clone(), *m)).collect();
                    for (o, m) in prev {
                        for next in all_outcomes.iter().filter(|n| dist.get(*n) == Some(&layer)) {
                            if allowed_as(next, *next == target) && step_ok(&o, next) {
                                let mm = (0..spec.parties.len()).map(|p| spec.utility(p, next) - sq_u[p]).fold(f64::INFINITY, f64::min);
                                let v = m.min(mm);
                                let e = best.entry(next.clone()).or_insert(f64::NEG_INFINITY);
                                if v > *e { *e = v; }
                            }
                        }
                    }
                }
                prop_assert!(best[&target] <= min_margin + 1e-12);
                // Among those, no plan has more phases in which every party gains on some
                // moved issue.
                let contrib = |p: usize, k: usize, v: usize| {
                    let e = &spec.parties[p].evaluations[k];
                    let max = e.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    if max > 0.0 { spec.parties[p].weights[k] * (e[v] / max) } else { 0.0 }
                };
                let balanced = |from: &[usize], to: &[usize]| {
                    (0..spec.parties.len()).all(|p| (0..from.len()).any(|k| from[k] != to[k] && contrib(p, k, to[k]) > contrib(p, k, from[k])))
                };
                let margin_of = |o: &[usize]| (0..spec.parties.len()).map(|p| spec.utility(p, o) - sq_u[p]).fold(f64::INFINITY, f64::min);
                let mut count: HashMap<Vec<usize>, i32> = HashMap::from([(sq.clone(), 0)]);
                for layer in 1..=len {
                    let prev: Vec<(Vec<usize>, i32)> = count.iter().filter(|(o, _)| dist[*o] == layer - 1).map(|(o, c)| (o.clone(), *c)).collect();
                    for (o, c) in prev {
                        for next in all_outcomes.iter().filter(|n| dist.get(*n) == Some(&layer)) {
                            if allowed_as(next, *next == target) && step_ok(&o, next) && margin_of(next) >= min_margin - 1e-12 {
                                let v = c + i32::from(balanced(&o, next));
                                let e = count.entry(next.clone()).or_insert(-1);
                                if v > *e { *e = v; }
                            }
                        }
                    }
                }
                let ours = result.phases.iter().filter(|p| p.each_side_gets_something).count() as i32;
                prop_assert_eq!(count[&target], ours);
                let mut cur = sq.clone();
                for ph in &result.phases {
                    let mut next = cur.clone();
                    for c in &ph.changes {
                        let k = spec.issues.iter().position(|i| i.id == c.issue).unwrap();
                        next[k] = label_index(k, &c.to);
                    }
                    prop_assert_eq!(ph.each_side_gets_something, balanced(&cur, &next));
                    cur = next;
                }
            }
            PlanStatus::AlreadyThere => prop_assert_eq!(&sq, &target),
            PlanStatus::Blocked => {
                prop_assert!(!dist.contains_key(&target));
                prop_assert!(!result.plan.blockers.is_empty());
            }
            other => prop_assert!(false, "unexpected plan status {:?}", other),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// The same on larger sets, where the grid prefilter of three or more parties is active.
    #[test]
    fn large_frontier_matches_brute_force(seed in any::<u64>(), parties in 2usize..=5, n in 4096usize..6000, levels in 2u32..200) {
        let u = random_utilities(seed, parties, n, levels);
        prop_assert_eq!(pareto_frontier(&u, &all(n)), pareto_frontier_naive(&u, &all(n)));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Issue 9, item 3: with `self_enforcing` (the default), the plan is one in which no
    /// party's utility falls from phase to phase whenever such a plan exists, of the fewest
    /// phases, with the largest smallest per-phase gain (an independent search over outcomes);
    /// otherwise it is the unconditioned plan and says it is not self-enforcing.
    #[test]
    fn self_enforcing_plans_are_found_whenever_they_exist(seed in any::<u64>(), per_phase in 1usize..=3) {
        let spec = random_spec_with(seed, 5, 2);
        let ev = Evaluated::new(&spec, 1 << 20, 0.0).unwrap();
        let sq = spec.status_quo.clone().unwrap();
        let n = spec.parties.len();
        let sq_u: Vec<f64> = (0..n).map(|p| spec.utility(p, &sq)).collect();
        let allowed = |o: &[usize]| -> bool {
            spec.linkages.iter().all(|l| l.cond.eval(o))
                && spec.red_lines.iter().all(|r| r.cond.eval(o))
                && (0..n).all(|p| spec.utility(p, o) >= sq_u[p] - 1e-12)
        };
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5e1f);
        let good: Vec<usize> = (0..ev.space.len()).filter(|&i| allowed(&ev.space.decode(i))).collect();
        prop_assume!(!good.is_empty());
        let target = ev.space.decode(good[rng.random_range(0..good.len())]);
        prop_assume!(target != sq);
        let mut params = DealParams { target: Some(target.clone()), ..DealParams::default() };
        params.plan.max_issues_per_phase = per_phase;
        let result = analyze(&spec, &params).unwrap();
        let gain = |from: &[usize], to: &[usize]| (0..n).map(|p| spec.utility(p, to) - spec.utility(p, from)).fold(f64::INFINITY, f64::min);
        let step_ok = |from: &[usize], to: &[usize]| legal_step(&spec, &sq, &target, per_phase, from, to);
        let monotone_ok = |from: &[usize], to: &[usize]| step_ok(from, to) && gain(from, to) >= -1e-12;
        let all: Vec<Vec<usize>> = (0..ev.space.len()).map(|i| ev.space.decode(i)).collect();
        let mut dist: HashMap<Vec<usize>, usize> = HashMap::from([(sq.clone(), 0)]);
        let mut queue = VecDeque::from([sq.clone()]);
        while let Some(o) = queue.pop_front() {
            let d = dist[&o];
            for next in &all {
                if !dist.contains_key(next) && allowed(next) && monotone_ok(&o, next) {
                    dist.insert(next.clone(), d + 1);
                    queue.push_back(next.clone());
                }
            }
        }
        match dist.get(&target) {
            Some(&len) => {
                prop_assert_eq!(result.plan.status, PlanStatus::Found);
                prop_assert!(result.plan.self_enforcing);
                prop_assert!(result.plan.stop_early.is_empty());
                prop_assert_eq!(result.phases.len(), len);
                let mut prev = sq_u.clone();
                let mut min_gain = f64::INFINITY;
                for ph in &result.phases {
                    for (p, party) in spec.parties.iter().enumerate() {
                        let u = ph.utilities[&party.id];
                        prop_assert!(u >= prev[p] - 1e-9, "a utility falls in phase {}", ph.number);
                        min_gain = min_gain.min(u - prev[p]);
                        prev[p] = u;
                    }
                }
                // No self-enforcing plan of that length has a larger smallest per-phase gain.
                let mut best: HashMap<Vec<usize>, f64> = HashMap::from([(sq.clone(), f64::INFINITY)]);
                for layer in 1..=len {
                    let prev: Vec<(Vec<usize>, f64)> = best.iter().filter(|(o, _)| dist[*o] == layer - 1).map(|(o, m)| (o.clone(), *m)).collect();
                    for (o, m) in prev {
                        for next in all.iter().filter(|x| dist.get(*x) == Some(&layer)) {
                            if allowed(next) && monotone_ok(&o, next) {
                                let v = m.min(gain(&o, next));
                                let e = best.entry(next.clone()).or_insert(f64::NEG_INFINITY);
                                if v > *e { *e = v; }
                            }
                        }
                    }
                }
                prop_assert!((best[&target] - min_gain).abs() < 1e-9, "best {} ours {}", best[&target], min_gain);
                prop_assert!((result.plan.min_gain.unwrap() - min_gain).abs() < 1e-9);
            }
            None => {
                prop_assert!(!result.plan.self_enforcing);
                if result.plan.status == PlanStatus::Found {
                    prop_assert!(result.plan.message.contains("self-enforcing"));
                    // Some party's utility falls in some phase.
                    let mut prev = sq_u.clone();
                    let mut falls = false;
                    for ph in &result.phases {
                        for (p, party) in spec.parties.iter().enumerate() {
                            let u = ph.utilities[&party.id];
                            falls |= u < prev[p] - 1e-12;
                            prev[p] = u;
                        }
                    }
                    prop_assert!(falls);
                }
            }
        }
    }
}
