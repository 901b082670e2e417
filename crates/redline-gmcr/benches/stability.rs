//! `cargo bench -p redline-gmcr --bench stability`
//!
//! All six concepts on seeded random conflicts (DMs with an even share of the options, 20%
//! irreversible options, two infeasibility conditions, five prioritised statements per DM).

use redline_gmcr::{
    ConceptSet, Model, RandomParams, analyze, random_conflict, status_quo_analysis,
};

fn main() {
    divan::main();
}

fn model(options: usize, dms: usize) -> Model {
    let p = RandomParams {
        dms,
        options,
        even_split: true,
        irreversible: 0.2,
        infeasible: 2,
        misperception: 0.0,
        statements: 5,
        ranking: 0.0,
        ties: 0.0,
    };
    Model::new(&random_conflict(&p, 1)).expect("random conflicts are valid")
}

/// Build the model (enumerate, index, payoffs) and analyse all six concepts, 2 DMs.
#[divan::bench(args = [8, 12, 14, 16, 18])]
fn all_concepts_2_dms(bencher: divan::Bencher, options: usize) {
    let m = model(options, 2);
    bencher.bench(|| analyze(divan::black_box(&m), ConceptSet::ALL));
}

/// All six concepts, 3 DMs.
#[divan::bench(args = [9, 12, 14, 16, 18])]
fn all_concepts_3_dms(bencher: divan::Bencher, options: usize) {
    let m = model(options, 3);
    bencher.bench(|| analyze(divan::black_box(&m), ConceptSet::ALL));
}

/// All six concepts, 4 DMs.
#[divan::bench(args = [8, 12, 14, 16, 18])]
fn all_concepts_4_dms(bencher: divan::Bencher, options: usize) {
    let m = model(options, 4);
    bencher.bench(|| analyze(divan::black_box(&m), ConceptSet::ALL));
}

/// Enumerating, indexing and ranking the states.
#[divan::bench(args = [12, 16, 20])]
fn build_model_4_dms(bencher: divan::Bencher, options: usize) {
    let p = RandomParams {
        dms: 4,
        options,
        even_split: true,
        ..RandomParams::default()
    };
    let spec = random_conflict(&p, 1);
    bencher.bench(|| Model::new(divan::black_box(&spec)));
}

/// Status quo analysis (both searches) after the analysis.
#[divan::bench(args = [12, 16])]
fn status_quo_4_dms(bencher: divan::Bencher, options: usize) {
    let m = model(options, 4);
    let st = analyze(&m, ConceptSet::ALL);
    let sq = m.code(0);
    bencher.bench(|| status_quo_analysis(&m, &st, Some(sq), None));
}
