//! Deal-lens benchmarks. Run with `cargo bench -p redline-deal --bench deal`; figures and the
//! machine they were taken on are in `BENCHMARKS.part.md`.

use divan::{Bencher, black_box};
use fixedbitset::FixedBitSet;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use redline_deal::spec::{Cond, Constraint, DealSpec, IssueSpec, PartySpec, ValueLabel};
use redline_deal::{DealParams, Evaluated, analyze, pareto_frontier};
use redline_interop::genius::{parse_domain, parse_profile};

fn main() {
    divan::main();
}

/// `issues` issues of `values` values each, `parties` parties with seeded random weights and
/// evaluations (GENIUS-style integers 1..=100).
fn generated(issues: usize, values: usize, parties: usize, seed: u64) -> DealSpec {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    DealSpec {
        issues: (0..issues)
            .map(|k| IssueSpec {
                id: format!("i{k}"),
                name: format!("issue {k}"),
                values: (0..values)
                    .map(|v| ValueLabel::label(format!("v{v}")))
                    .collect(),
                ordered: true,
            })
            .collect(),
        parties: (0..parties)
            .map(|p| {
                let w: Vec<f64> = (0..issues).map(|_| rng.random_range(0.1..1.0)).collect();
                let total: f64 = w.iter().sum();
                PartySpec {
                    id: format!("p{p}"),
                    name: format!("party {p}"),
                    weights: w.iter().map(|x| x / total).collect(),
                    evaluations: (0..issues)
                        .map(|_| {
                            (0..values)
                                .map(|_| f64::from(rng.random_range(1..=100u32)))
                                .collect()
                        })
                        .collect(),
                    normalized: vec![],
                    terms: vec![],
                    reservation: 0.0,
                    reservation_source: redline_model::ReservationSource::Given,
                    discount: None,
                }
            })
            .collect(),
        red_lines: vec![],
        linkages: vec![],
        sequencing: vec![],
        status_quo: None,
    }
}

/// The 10^6-outcome space with an empty ZOPA: each party has red lines on two issues that
/// clash with the other's, and reservations that only some outcomes meet.
fn empty_zopa(parties: usize) -> DealSpec {
    let mut spec = generated(6, 10, parties, 7);
    let low = |k: usize| Cond::Atom {
        issue: k,
        allowed: (0..10).map(|v| v < 5).collect(),
    };
    let high = |k: usize| Cond::Atom {
        issue: k,
        allowed: (0..10).map(|v| v >= 6).collect(),
    };
    for k in 0..6 {
        let owner = k % parties;
        spec.red_lines.push(Constraint {
            private: false,
            final_only: false,
            id: format!("low{k}"),
            owner,
            label: format!("i{k} below 5"),
            cond: low(k),
        });
        spec.red_lines.push(Constraint {
            private: false,
            final_only: false,
            id: format!("high{k}"),
            owner: (owner + 1) % parties,
            label: format!("i{k} at least 6"),
            cond: Cond::Or(vec![high(k), high((k + 1) % 6)]),
        });
    }
    for p in &mut spec.parties {
        p.reservation = 0.6;
    }
    spec
}

fn grocery() -> DealSpec {
    let dir = redline_testdata::data!("domains/genius/Grocery/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap();
    let domain = parse_domain(&read("Grocery_domain.xml")).unwrap();
    let profiles = [
        read("Grocery_domain_sam.xml"),
        read("Grocery_domain_mary.xml"),
    ]
    .iter()
    .map(|x| parse_profile(x, &domain).unwrap())
    .collect::<Vec<_>>();
    let names = ["sam".to_string(), "mary".to_string()];
    let sc =
        redline_interop::scenario::from_genius(&domain, &profiles, &names, "grocery", 1.0).unwrap();
    redline_deal::from_scenario(&sc).unwrap()
}

fn everything(ev: &Evaluated) -> FixedBitSet {
    ev.feasible.clone()
}

/// Pareto frontier alone, 2 parties, on the 1,600-outcome Grocery domain.
#[divan::bench]
fn frontier_grocery_1600(bencher: Bencher) {
    let ev = Evaluated::new(&grocery(), 1 << 25, 0.0).unwrap();
    let all = everything(&ev);
    bencher.bench(|| pareto_frontier(black_box(&ev.utilities), black_box(&all)));
}

/// Utilities of every outcome plus the frontier, 2 parties, Grocery (1,600 outcomes): what
/// NegMAS's 8.7 ms covers.
#[divan::bench]
fn utilities_and_frontier_grocery_1600(bencher: Bencher) {
    let spec = grocery();
    bencher.bench(|| {
        let ev = Evaluated::new(black_box(&spec), 1 << 25, 0.0).unwrap();
        pareto_frontier(&ev.utilities, &ev.feasible).len()
    });
}

/// Pareto frontier alone over 10^6 outcomes (6 issues × 10 values), 2 to 5 parties.
#[divan::bench(args = [2, 3, 4, 5])]
fn frontier_1e6(bencher: Bencher, parties: usize) {
    let ev = Evaluated::new(&generated(6, 10, parties, 1), 1 << 25, 0.0).unwrap();
    let all = everything(&ev);
    bencher.bench(|| pareto_frontier(black_box(&ev.utilities), black_box(&all)));
}

/// Utilities of every outcome plus the frontier over 10^6 outcomes, 2 to 5 parties: the figure
/// comparable to NegMAS's 10.7 s and GENIUS's 6.1 s.
#[divan::bench(args = [2, 3, 4, 5])]
fn utilities_and_frontier_1e6(bencher: Bencher, parties: usize) {
    let spec = generated(6, 10, parties, 1);
    bencher.bench(|| {
        let ev = Evaluated::new(black_box(&spec), 1 << 25, 0.0).unwrap();
        pareto_frontier(&ev.utilities, &ev.feasible).len()
    });
}

/// The whole deal lens (utilities, ZOPA, both frontiers, solutions) over 10^6 outcomes.
#[divan::bench(args = [2, 3])]
fn analyze_1e6(bencher: Bencher, parties: usize) {
    let spec = generated(6, 10, parties, 1);
    bencher.bench(|| {
        analyze(black_box(&spec), &DealParams::default())
            .unwrap()
            .pareto
            .len()
    });
}

/// Explaining an empty ZOPA over 10^6 outcomes: 12 red lines and 2 or 3 reservations; time
/// for the whole lens, of which the explanation is the bulk beyond `analyze_1e6`.
#[divan::bench(args = [2, 3])]
fn explain_empty_zopa_1e6(bencher: Bencher, parties: usize) {
    let spec = empty_zopa(parties);
    let r = analyze(&spec, &DealParams::default()).unwrap();
    assert!(!r.zopa.exists && !r.zopa.conflicts.is_empty());
    bencher.bench(|| {
        analyze(black_box(&spec), &DealParams::default())
            .unwrap()
            .zopa
            .conflicts
            .len()
    });
}
