//! Runs one random conflict and prints the time of each phase and the peak memory.
//!
//! `cargo run --release -p redline-gmcr --example scale -- [options] [dms] [seed] [infeasible] [irreversible] [statements]`

use std::time::Instant;

use redline_gmcr::{
    ConceptSet, Model, RandomParams, analyze_with_progress, estimate_memory_detail, random_conflict,
};

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// User plus system CPU seconds of this process (clock ticks of 1/100 s on Linux).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            // After the command name: state is field 3, utime 14, stime 15 (1-based).
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |k: usize, default: f64| {
        args.get(k)
            .and_then(|a| a.parse::<f64>().ok())
            .unwrap_or(default)
    };
    let params = RandomParams {
        options: arg(0, 24.0) as usize,
        dms: arg(1, 4.0) as usize,
        even_split: true,
        infeasible: arg(3, 0.0) as usize,
        irreversible: arg(4, 0.2),
        misperception: 0.0,
        statements: arg(5, 5.0) as usize,
        ranking: 0.0,
        ties: 0.0,
    };
    let seed = arg(2, 1.0) as u64;
    let spec = random_conflict(&params, seed);
    let estimate = estimate_memory_detail(&spec);
    let t0 = Instant::now();
    let model = Model::new(&spec).expect("random conflicts are valid");
    let t_build = t0.elapsed();
    let t1 = Instant::now();
    let stability = analyze_with_progress(&model, ConceptSet::ALL, &|p| {
        eprintln!(
            "  [{:>6.2}s] {}/{} {:?}",
            t1.elapsed().as_secs_f64(),
            p.done,
            p.total,
            p.stage
        );
    });
    let t_analyze = t1.elapsed();
    let cpu = cpu_seconds();
    let t2 = Instant::now();
    let sq = redline_gmcr::status_quo_analysis(&model, &stability, None, None);
    let t_sq = t2.elapsed();
    if let Ok(sq) = &sq {
        eprintln!(
            "status quo: {:.3}s, {} states reached by improvements, {} by moves, {} equilibria",
            t_sq.as_secs_f64(),
            sq.reached_by_improvements,
            sq.reached_by_moves,
            sq.targets.len()
        );
    }
    let eq: Vec<usize> = redline_gmcr::Concept::ALL
        .iter()
        .map(|&c| stability.equilibria(c).len())
        .collect();
    println!(
        "options={} dms={} seed={} states={} build={:.3}s analyze={:.3}s cpu_total={:.2}s peak_rss={:.0}MiB estimate={:.0}MiB equilibria(nash,gmr,smr,seq,sim,seqsim)={:?}",
        params.options,
        params.dms,
        seed,
        model.num_states(),
        t_build.as_secs_f64(),
        t_analyze.as_secs_f64(),
        cpu,
        peak_rss_mib(),
        estimate.map_or(f64::NAN, |e| e.total_bytes() as f64 / 1048576.0),
        eq
    );
}
