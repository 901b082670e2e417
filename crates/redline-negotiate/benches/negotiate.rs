//! Benchmarks against the NegMAS 0.16 figures of DESIGN §9 (see BENCHMARKS.part.md).
//!
//! `cargo bench -p redline-negotiate --bench negotiate`

use std::hint::black_box;
use std::sync::{Arc, LazyLock};

use redline_interop::genius::{self, GeniusValue};
use redline_negotiate::{
    AgentFactory, Domain, IndexedDomain, Issue, PartyView, Protocol, RunOptions, SaoConfig,
    SeededRng, Shard, Strategy, Tournament, TournamentConfig, TournamentDomain, negotiate,
};

fn main() {
    divan::main();
}

const GENIUS: &str = redline_testdata::data!("domains/genius/EnglandZimbabwe");

fn read(file: &str) -> String {
    std::fs::read_to_string(format!("{GENIUS}/{file}")).unwrap()
}

/// EnglandZimbabwe under GENIUS utilities, England first.
fn england_zimbabwe() -> Domain {
    let gd = genius::parse_domain(&read("EnglandZimbabwe_domain.xml")).unwrap();
    let sizes: Vec<usize> = gd
        .issues
        .iter()
        .map(|i| match &i.kind {
            genius::GeniusIssueKind::Discrete { values } => values.len(),
            _ => unreachable!("EnglandZimbabwe is discrete"),
        })
        .collect();
    let count: usize = sizes.iter().product();
    let parties = ["England.xml", "Zimbabwe.xml"]
        .iter()
        .map(|f| {
            let prof = genius::parse_profile(&read(f), &gd).unwrap();
            let mut values = vec![GeniusValue::Discrete(0); sizes.len()];
            let utilities = (0..count)
                .map(|o| {
                    let mut rest = o;
                    for k in (0..sizes.len()).rev() {
                        values[k] = GeniusValue::Discrete(rest % sizes[k]);
                        rest /= sizes[k];
                    }
                    prof.utility(&gd, &values)
                })
                .collect();
            PartyView::new(*f, utilities, prof.reservation)
        })
        .collect();
    Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: "EnglandZimbabwe".into(),
        outcome_count: count,
        parties,
        issues: None,
    }
}

/// A generated two-party additive domain with `issues` issues of `values` values each: random
/// weights (summing to 1) and evaluations, GENIUS-normalised, seeded.
fn generated(issues: usize, values: usize, seed: u64) -> Domain {
    let mut rng = SeededRng::new(seed);
    let layout: Vec<Issue> = (0..issues)
        .map(|k| Issue {
            name: format!("i{k}"),
            values: (0..values).map(|v| format!("v{v}")).collect(),
        })
        .collect();
    let count = values.pow(issues as u32);
    let parties = (0..2)
        .map(|p| {
            let w: Vec<f64> = (0..issues).map(|_| rng.unit() + 0.05).collect();
            let total: f64 = w.iter().sum();
            let eval: Vec<Vec<f64>> = (0..issues)
                .map(|k| {
                    let e: Vec<f64> = (0..values).map(|_| rng.unit()).collect();
                    let max = e.iter().copied().fold(f64::MIN, f64::max);
                    e.iter().map(|x| w[k] / total * x / max).collect()
                })
                .collect();
            let mut utilities = Vec::with_capacity(count);
            for o in 0..count {
                let mut rest = o;
                let mut u = 0.0;
                for k in (0..issues).rev() {
                    u += eval[k][rest % values];
                    rest /= values;
                }
                utilities.push(u.min(1.0));
            }
            PartyView::new(format!("p{p}"), utilities, 0.0)
        })
        .collect();
    Domain {
        mediator: None,
        breakdown: None,
        public_red_lines: None,
        name: format!("generated-{count}"),
        outcome_count: count,
        parties,
        issues: Some(layout),
    }
}

static EZ: LazyLock<Arc<IndexedDomain>> =
    LazyLock::new(|| Arc::new(IndexedDomain::build(england_zimbabwe()).unwrap()));
static GEN_10K: LazyLock<Domain> = LazyLock::new(|| generated(4, 10, 1));
static GEN_1M: LazyLock<Domain> = LazyLock::new(|| generated(6, 10, 2));
static IDX_10K: LazyLock<IndexedDomain> =
    LazyLock::new(|| IndexedDomain::build(GEN_10K.clone()).unwrap());
static IDX_1M: LazyLock<IndexedDomain> =
    LazyLock::new(|| IndexedDomain::build(GEN_1M.clone()).unwrap());

fn boulware_conceder(domain: &IndexedDomain) {
    let (b, c) = (Strategy::boulware(), Strategy::conceder());
    let agents: [&dyn AgentFactory; 2] = [&b, &c];
    let protocol = Protocol::Sao(SaoConfig::with_rounds(100));
    black_box(negotiate(domain, &agents, &protocol, 0).unwrap());
}

/// One 100-round Boulware–Conceder negotiation (index built beforehand). NegMAS: 6.4 ms.
#[divan::bench]
fn negotiation_england_zimbabwe_576() {
    boulware_conceder(&EZ);
}

/// NegMAS: 48 ms.
#[divan::bench]
fn negotiation_generated_10k(bencher: divan::Bencher) {
    let d = &*IDX_10K;
    bencher.bench(|| boulware_conceder(d));
}

/// NegMAS: 5.6 s.
#[divan::bench]
fn negotiation_generated_1m(bencher: divan::Bencher) {
    let d = &*IDX_1M;
    bencher.bench(|| boulware_conceder(d));
}

/// The one-time index build (validation and one sort per party).
#[divan::bench(args = [576, 10_000, 1_000_000], sample_count = 10)]
fn index_build(bencher: divan::Bencher, outcomes: usize) {
    let domain = match outcomes {
        576 => england_zimbabwe(),
        10_000 => GEN_10K.clone(),
        _ => GEN_1M.clone(),
    };
    bencher
        .with_inputs(|| domain.clone())
        .bench_values(|d| black_box(IndexedDomain::build(d).unwrap()));
}

fn ez_tournament(repetitions: u32) -> Tournament {
    let agents: Vec<Arc<dyn AgentFactory>> = [
        "boulware",
        "linear",
        "conceder",
        "tit-for-tat",
        "aspiration",
        "random",
    ]
    .iter()
    .map(|n| Arc::new(Strategy::parse(n).unwrap()) as Arc<dyn AgentFactory>)
    .collect();
    Tournament::new(
        agents,
        vec![TournamentDomain {
            domain: EZ.clone(),
            reference: None,
        }],
        TournamentConfig {
            protocol: Protocol::Sao(SaoConfig::with_rounds(100)),
            repetitions,
            seed: 7,
            self_play: false,
        },
    )
    .unwrap()
}

/// 30 pairings × 33,334 repetitions = 1,000,020 negotiations on EnglandZimbabwe, aggregates only.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn tournament_1m_england_zimbabwe() {
    let t = ez_tournament(33_334);
    black_box(t.run(&RunOptions::default()).unwrap());
}

/// The same tournament keeping one record per negotiation.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn tournament_1m_england_zimbabwe_with_records() {
    let t = ez_tournament(33_334);
    black_box(
        t.run(&RunOptions {
            shard: Shard::ALL,
            keep_records: true,
            progress: None,
        })
        .unwrap(),
    );
}
