//! The negotiation lens through the binary: `negotiate`, `tournament`, `merge`.

use super::{json, redline, run_json, stderr};

const AGENTS: &str = "boulware,linear,conceder,tit-for-tat,redline:boulware";

#[test]
fn england_zimbabwe_boulware_against_conceder_reproduces_genius() {
    let o = redline(&[
        "negotiate",
        "england-zimbabwe",
        "--agents",
        "boulware,conceder",
        "--rounds",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = json(&o);
    assert_eq!(doc["schema"], "redline.negotiate/v1");
    assert_eq!(doc["params"]["agents"][0], "boulware");
    let out = &doc["result"]["outcome"];
    assert_eq!(out["agreed"], true);
    assert_eq!(out["round"], 39);
    let u = |p: &str| out["utilities"][p].as_f64().unwrap();
    assert!((u("england") - 1.0).abs() < 5e-5);
    assert!((u("zimbabwe") - 0.4503).abs() < 5e-5);
    assert!(
        doc["result"]["metrics"]["pareto_distance"]
            .as_f64()
            .unwrap()
            < 1e-9
    );
    assert!(!doc["result"]["trace"].as_array().unwrap().is_empty());
}

#[test]
fn the_same_seed_gives_the_same_json() {
    let args = [
        "negotiate",
        "--agents",
        "random,redline:conceder",
        "--mediator",
        "annealing",
        "--rounds",
        "60",
        "--seed",
        "7",
        "--format",
        "json",
    ];
    let (a, b) = (redline(&args), redline(&args));
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    assert_eq!(a.stdout, b.stdout);
    assert_eq!(json(&a)["params"]["seed"], 7);
}

#[test]
fn text_output_names_the_outcome_and_the_seed() {
    let o = redline(&["negotiate", "--agents", "boulware,conceder", "--seed", "3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    for needle in ["Trace", "Pareto frontier", "Nash point", "Seed: 3"] {
        assert!(out.contains(needle), "`{needle}` missing from:\n{out}");
    }
}

#[test]
fn shards_merge_into_the_unsharded_tournament() {
    let dir = std::env::temp_dir().join(format!("redline-it-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let common = [
        "tournament",
        "iran-us-2026",
        "england-zimbabwe",
        "--agents",
        AGENTS,
        "--repetitions",
        "2",
        "--rounds",
        "50",
        "--seed",
        "11",
    ];
    let mut files = Vec::new();
    for k in 0..2 {
        let path = dir.join(format!("shard-{k}.json"));
        let shard = format!("{k}/2");
        let mut args = common.to_vec();
        args.extend(["--shard", &shard, "--out", path.to_str().unwrap()]);
        let o = redline(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        files.push(path.to_str().unwrap().to_string());
    }
    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let merged = redline(&args);
    assert_eq!(merged.status.code(), Some(0), "{}", stderr(&merged));
    let mut args = common.to_vec();
    args.extend(["--format", "json"]);
    let whole = redline(&args);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    let (m, w) = (json(&merged), json(&whole));
    assert_eq!(m["result"], w["result"]);
    assert_eq!(m["params"], w["params"]);
    assert_eq!(w["result"]["tournament"]["total"], 2 * 2 * 20);

    // A shard of another tournament does not merge.
    let other = dir.join("other.json");
    let o = redline(&[
        "tournament",
        "--agents",
        AGENTS,
        "--seed",
        "12",
        "--shard",
        "1/2",
        "--out",
        other.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = redline(&["merge", &files[0], other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("different tournaments"),
        "{}",
        stderr(&o)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_input_exits_2_with_a_message() {
    for (args, needle) in [
        (
            vec!["negotiate", "--agents", "boulware,nobody"],
            "unknown agent",
        ),
        (
            vec!["negotiate", "--agents", "boulware"],
            "1 agents given for the 2 parties",
        ),
        (
            vec!["negotiate", "--agents", "boulware,linear", "--rounds", "0"],
            "at least 1",
        ),
        (
            vec![
                "negotiate",
                "--agents",
                "boulware,linear",
                "--mediator",
                "oracle",
            ],
            "unknown mediator",
        ),
        (
            vec!["tournament", "--agents", "boulware,nobody"],
            "unknown agent",
        ),
        (
            vec![
                "tournament",
                "--agents",
                "boulware,linear",
                "--shard",
                "2/2",
            ],
            "--shard",
        ),
        (
            vec![
                "tournament",
                "--agents",
                "boulware,linear",
                "--shard",
                "one/two",
            ],
            "--shard",
        ),
        (vec!["merge", "/nonexistent/shard.json"], "cannot read"),
    ] {
        let o = redline(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(needle), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}");
    }
}

#[test]
fn red_line_breaches_are_counted_against_the_scenario() {
    // An independent count: evaluate the agreed package against every red line of the scenario
    // with the model's own evaluator, and compare with the metric.
    let b = redline_scenarios::get("iran-us-2026").unwrap();
    let sc = redline_syntax::load(b.toml).unwrap().scenario;
    let mut seen_breach = false;
    for agents in [
        "conceder,conceder",
        "boulware,conceder",
        "redline:conceder,redline:conceder",
        "linear,hardliner",
    ] {
        let v = run_json(&["negotiate", "--agents", agents, "--format", "json"]);
        let r = &v["result"];
        let got = r["metrics"]["red_line_breaches"].as_u64().unwrap();
        let want = match r["outcome"]["agreement"].as_object() {
            None => 0,
            Some(labels) => {
                let outcome: Vec<usize> = sc
                    .issues
                    .iter()
                    .map(|i| {
                        (0..i.domain.len())
                            .find(|&v| i.domain.label(v) == labels[&i.id].as_str().unwrap())
                            .unwrap()
                    })
                    .collect();
                sc.parties()
                    .filter(|(a, _)| {
                        sc.red_lines
                            .iter()
                            .any(|rl| rl.owner == *a && !sc.eval_outcome(&rl.require, &outcome))
                    })
                    .count() as u64
            }
        };
        assert_eq!(got, want, "{agents}");
        if agents.starts_with("redline:") {
            assert_eq!(got, 0, "red-line-aware agents never agree to a breach");
        }
        seen_breach |= got > 0;
    }
    assert!(
        seen_breach,
        "plain conceders give up a red line in this scenario; the check must see one"
    );
}
