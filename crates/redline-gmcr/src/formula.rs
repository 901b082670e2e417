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
        match dnf(f, true) {
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

/// The disjunctive normal form of `f` (of `!f` when `positive` is false), or `None` when it has
/// more than [`MAX_CUBES`] cubes.
fn dnf(f: &Formula, positive: bool) -> Option<Vec<Cube>> {
    match (f, positive) {
        (Formula::True, true) | (Formula::False, false) => Some(vec![Cube::TRUE]),
        (Formula::True, false) | (Formula::False, true) => Some(vec![]),
        (Formula::Opt(b), _) => {
            let bit = 1u64 << b;
            Some(vec![Cube {
                mask: bit,
                value: if positive { bit } else { 0 },
            }])
        }
        (Formula::Not(g), _) => dnf(g, !positive),
        (Formula::And(gs), true) | (Formula::Or(gs), false) => {
            let mut acc = vec![Cube::TRUE];
            for g in gs {
                acc = product(&acc, &dnf(g, positive)?)?;
            }
            Some(acc)
        }
        (Formula::Or(gs), true) | (Formula::And(gs), false) => {
            let mut acc = Vec::new();
            for g in gs {
                acc.extend(dnf(g, positive)?);
                if acc.len() > MAX_CUBES {
                    return None;
                }
            }
            Some(acc)
        }
        (Formula::Implies(p, q), true) => {
            let mut acc = dnf(p, false)?;
            acc.extend(dnf(q, true)?);
            (acc.len() <= MAX_CUBES).then_some(acc)
        }
        (Formula::Implies(p, q), false) => product(&dnf(p, true)?, &dnf(q, false)?),
        (Formula::Iff(p, q), _) => {
            let (pt, pf) = (dnf(p, true)?, dnf(p, false)?);
            let (qt, qf) = (dnf(q, true)?, dnf(q, false)?);
            let (a, b) = if positive {
                (product(&pt, &qt)?, product(&pf, &qf)?)
            } else {
                (product(&pt, &qf)?, product(&pf, &qt)?)
            };
            let mut acc = a;
            acc.extend(b);
            (acc.len() <= MAX_CUBES).then_some(acc)
        }
    }
}

fn product(a: &[Cube], b: &[Cube]) -> Option<Vec<Cube>> {
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
