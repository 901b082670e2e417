//! Formulas compiled for fast evaluation: a disjunction of cubes (bit masks) when the formula's
//! disjunctive normal form is small, the syntax tree otherwise. Both support three-valued
//! evaluation on partial states, which prunes the enumeration of feasible states.

use crate::spec::Formula;

/// A conjunction of literals: the state matches when `code & mask == value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Cube {
    pub mask: u64,
    pub value: u64,
}

impl Cube {
    const TRUE: Cube = Cube { mask: 0, value: 0 };

    fn and(self, other: Cube) -> Option<Cube> {
        let common = self.mask & other.mask;
        ((self.value ^ other.value) & common == 0).then_some(Cube {
            mask: self.mask | other.mask,
            value: self.value | other.value,
        })
    }
}

/// The most cubes a compiled formula keeps before falling back to the syntax tree.
const MAX_CUBES: usize = 256;

#[derive(Clone, Debug)]
pub(crate) enum Compiled {
    Cubes(Vec<Cube>),
    Tree(Formula),
}

impl Compiled {
    pub fn new(f: &Formula) -> Compiled {
        match dnf(f) {
            Some(mut cubes) => {
                cubes.sort_unstable_by_key(|c| (c.mask.count_ones(), c.mask, c.value));
                cubes.dedup();
                Compiled::Cubes(cubes)
            }
            None => Compiled::Tree(f.clone()),
        }
    }

    #[inline]
    pub fn eval(&self, code: u64) -> bool {
        match self {
            Compiled::Cubes(cubes) => cubes.iter().any(|c| code & c.mask == c.value),
            Compiled::Tree(f) => f.eval(code),
        }
    }

    /// Three-valued evaluation where only the bits in `known` of `code` are known.
    pub fn eval_partial(&self, known: u64, code: u64) -> Option<bool> {
        match self {
            Compiled::Cubes(cubes) => {
                let mut possible = false;
                for c in cubes {
                    if (code ^ c.value) & c.mask & known == 0 {
                        if c.mask & !known == 0 {
                            return Some(true);
                        }
                        possible = true;
                    }
                }
                if possible { None } else { Some(false) }
            }
            Compiled::Tree(f) => partial(f, known, code),
        }
    }
}

fn partial(f: &Formula, known: u64, code: u64) -> Option<bool> {
    match f {
        Formula::True => Some(true),
        Formula::False => Some(false),
        Formula::Opt(b) if *b >= 64 => Some(false),
        Formula::Opt(b) => (known >> b & 1 == 1).then(|| code >> b & 1 == 1),
        Formula::Not(g) => partial(g, known, code).map(|v| !v),
        Formula::And(gs) => {
            let mut all = Some(true);
            for g in gs {
                match partial(g, known, code) {
                    Some(false) => return Some(false),
                    None => all = None,
                    Some(true) => {}
                }
            }
            all
        }
        Formula::Or(gs) => {
            let mut any = Some(false);
            for g in gs {
                match partial(g, known, code) {
                    Some(true) => return Some(true),
                    None => any = None,
                    Some(false) => {}
                }
            }
            any
        }
        Formula::Implies(p, q) => match (partial(p, known, code), partial(q, known, code)) {
            (Some(false), _) | (_, Some(true)) => Some(true),
            (Some(true), Some(false)) => Some(false),
            _ => None,
        },
        Formula::Iff(p, q) => match (partial(p, known, code), partial(q, known, code)) {
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        },
    }
}

/// The most cube pairs one compilation may try. Past it the formula stays a syntax tree: the
/// budget keeps compilation linear in the formula's size however it is built.
const MAX_WORK: u64 = 4_000_000;

/// The disjunctive normal forms of `f` and of `!f`, each `None` when it has more than
/// [`MAX_CUBES`] cubes.
type Both = (Option<Vec<Cube>>, Option<Vec<Cube>>);

/// The disjunctive normal form of `f`, or `None` when it has more than [`MAX_CUBES`] cubes or
/// costs more than [`MAX_WORK`] to find. Every node is visited once, computing both polarities
/// together (an `Iff` needs both of each side; computing them separately doubled the work per
/// level, exponential in the nesting).
fn dnf(f: &Formula) -> Option<Vec<Cube>> {
    let mut work = 0u64;
    both(f, &mut work).0
}

fn both(f: &Formula, work: &mut u64) -> Both {
    if *work > MAX_WORK {
        return (None, None);
    }
    *work += 1;
    match f {
        Formula::True => (Some(vec![Cube::TRUE]), Some(vec![])),
        Formula::False => (Some(vec![]), Some(vec![Cube::TRUE])),
        // An option past the 64 a code holds is never taken, as in `Formula::eval`.
        Formula::Opt(b) if *b >= 64 => (Some(vec![]), Some(vec![Cube::TRUE])),
        Formula::Opt(b) => {
            let bit = 1u64 << b;
            (
                Some(vec![Cube {
                    mask: bit,
                    value: bit,
                }]),
                Some(vec![Cube {
                    mask: bit,
                    value: 0,
                }]),
            )
        }
        Formula::Not(g) => {
            let (t, f) = both(g, work);
            (f, t)
        }
        Formula::And(gs) => {
            let (t, f) = fold(gs, work);
            (t, f)
        }
        Formula::Or(gs) => {
            // `Or(gs)` is `!And(!gs)`: the product of the negations is its negation.
            let negated: Vec<Both> = gs.iter().map(|g| both(g, work)).collect();
            let (mut t, mut f) = (Some(Vec::new()), Some(vec![Cube::TRUE]));
            for (gt, gf) in negated {
                t = union(t, gt);
                f = f.zip(gf).and_then(|(a, b)| product(&a, &b, work));
            }
            (t, f)
        }
        Formula::Implies(p, q) => {
            let ((pt, pf), (qt, qf)) = (both(p, work), both(q, work));
            let t = union(pf, qt);
            let f = pt.zip(qf).and_then(|(a, b)| product(&a, &b, work));
            (t, f)
        }
        Formula::Iff(p, q) => {
            let ((pt, pf), (qt, qf)) = (both(p, work), both(q, work));
            let mut pair = |a: &Option<Vec<Cube>>, b: &Option<Vec<Cube>>| match (a, b) {
                (Some(a), Some(b)) => product(a, b, work),
                _ => None,
            };
            let t = union(pair(&pt, &qt), pair(&pf, &qf));
            let f = union(pair(&pt, &qf), pair(&pf, &qt));
            (t, f)
        }
    }
}

/// Both polarities of a conjunction.
fn fold(gs: &[Formula], work: &mut u64) -> Both {
    let (mut t, mut f) = (Some(vec![Cube::TRUE]), Some(Vec::new()));
    for g in gs {
        let (gt, gf) = both(g, work);
        t = t.zip(gt).and_then(|(a, b)| product(&a, &b, work));
        f = union(f, gf);
    }
    (t, f)
}

fn union(a: Option<Vec<Cube>>, b: Option<Vec<Cube>>) -> Option<Vec<Cube>> {
    let mut a = a?;
    a.extend(b?);
    (a.len() <= MAX_CUBES).then_some(a)
}

fn product(a: &[Cube], b: &[Cube], work: &mut u64) -> Option<Vec<Cube>> {
    *work += (a.len() * b.len()) as u64;
    if *work > MAX_WORK {
        return None;
    }
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if let Some(c) = x.and(*y) {
                out.push(c);
                if out.len() > MAX_CUBES {
                    return None;
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_all(f: &Formula, n: usize) {
        let c = Compiled::new(f);
        let t = Compiled::Tree(f.clone());
        for code in 0..1u64 << n {
            assert_eq!(c.eval(code), f.eval(code), "{f:?} at {code}");
            for known in 0..1u64 << n {
                let expect = {
                    // The formula is determined when all completions agree.
                    let free: Vec<u64> = (0..n as u64).filter(|b| known >> b & 1 == 0).collect();
                    let mut vals = (0..1u64 << free.len()).map(|m| {
                        let mut x = code & known;
                        for (k, b) in free.iter().enumerate() {
                            x |= (m >> k & 1) << b;
                        }
                        f.eval(x)
                    });
                    let first = vals.next().unwrap();
                    vals.all(|v| v == first).then_some(first)
                };
                let got_c = c.eval_partial(known, code & known);
                if let Compiled::Cubes(_) = c {
                    assert_eq!(got_c, expect, "cubes {f:?} known {known} code {code}");
                }
                // The tree is sound but may be unsure where the cubes are sure.
                if let Some(v) = t.eval_partial(known, code & known) {
                    assert_eq!(Some(v), expect);
                }
            }
        }
    }

    #[test]
    fn compiled_forms_agree_with_the_tree() {
        use Formula::*;
        let o = |b| Opt(b);
        let n = |b| Formula::not_taken(b);
        let fs = vec![
            True,
            False,
            o(0),
            n(1),
            And(vec![o(0), n(1)]),
            Or(vec![And(vec![o(0), n(2)]), o(1)]),
            Implies(Box::new(o(0)), Box::new(o(2))),
            Iff(Box::new(o(0)), Box::new(Or(vec![o(1), o(2)]))),
            Not(Box::new(Iff(
                Box::new(o(0)),
                Box::new(And(vec![o(1), n(2)])),
            ))),
            Not(Box::new(Implies(
                Box::new(Or(vec![o(0), o(1)])),
                Box::new(o(2)),
            ))),
            And(vec![]),
            Or(vec![]),
        ];
        for f in &fs {
            check_all(f, 3);
        }
    }

    #[test]
    fn compiling_is_linear_in_the_nesting() {
        // 60 nested `a <=> (…)` and a 2,000-term chain: each once took time doubling per term.
        let mut nested = Formula::Opt(0);
        for k in 0..60 {
            nested = Formula::Iff(Box::new(Formula::Opt(k % 5)), Box::new(nested));
        }
        let mut chain = Formula::Opt(0);
        for k in 1..2000 {
            chain = Formula::Iff(Box::new(chain), Box::new(Formula::Opt(k % 3)));
        }
        for f in [&nested, &chain] {
            // The budget bounds the work (the old expansion never finished the first).
            let mut work = 0;
            both(f, &mut work);
            assert!(
                work <= MAX_WORK + (MAX_CUBES * MAX_CUBES) as u64,
                "work {work}"
            );
            let c = Compiled::new(f);
            for code in 0..32u64 {
                assert_eq!(c.eval(code), f.eval(code));
            }
        }
    }

    #[test]
    fn large_dnf_falls_back_to_the_tree() {
        // A parity over 12 options has 2^11 cubes.
        let mut f = Formula::Opt(0);
        for b in 1..12 {
            f = Formula::Iff(Box::new(f), Box::new(Formula::Opt(b)));
        }
        let c = Compiled::new(&f);
        assert!(matches!(c, Compiled::Tree(_)));
        for code in [0u64, 1, 3, 0xfff, 0x555] {
            assert_eq!(c.eval(code), f.eval(code));
        }
    }
}
