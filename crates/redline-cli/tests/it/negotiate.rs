//! The negotiation lens through the binary: `negotiate`, `tournament`, `merge`.

use super::{json, redline, run_json, run_ok, stderr, temp_dir};

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

/// One way to tamper with a shard file: a name for the file, the edit, and whether it is made to
/// every shard (so that the shards still agree with each other).
type Tamper = (&'static str, fn(&mut serde_json::Value), bool);

/// A record as `redline tournament` would keep it, for shard files that claim to keep records.
fn record(index: u64) -> serde_json::Value {
    serde_json::json!({
        "index": index, "domain": 0, "agents": [0, 1], "repetition": 0, "seed": 0,
        "agreed": false, "agreement": null, "end": {"kind": "deadline"}, "round": 30,
        "utilities": [0.0, 0.0], "welfare": 0.0, "pareto_distance": null,
        "nash_distance": null, "red_line_breaches": 0
    })
}

#[test]
fn tampered_shards_exit_2_naming_the_file() {
    let dir = temp_dir("tampered-shards");
    let mut shards = Vec::new();
    for k in 0..2 {
        let path = dir.join(format!("shard-{k}.json"));
        let shard = format!("{k}/2");
        run_ok(&[
            "tournament",
            "--agents",
            "boulware,conceder,linear,tit-for-tat",
            "--rounds",
            "30",
            "--seed",
            "5",
            "--shard",
            &shard,
            "--out",
            path.to_str().unwrap(),
        ]);
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        shards.push((path, doc));
    }
    assert_eq!(shards[0].1["result"]["tournament"]["negotiations"], 6);
    let merge = |files: &[&std::path::Path]| {
        let mut args = vec!["merge"];
        args.extend(files.iter().map(|p| p.to_str().unwrap()));
        redline(&args)
    };
    // Untampered, they merge.
    let o = merge(&[&shards[1].0, &shards[0].0]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    fn t(v: &mut serde_json::Value) -> &mut serde_json::Value {
        &mut v["result"]["tournament"]
    }
    let cases: Vec<Tamper> = vec![
        (
            "agreements-106",
            |v| t(v)["overall"]["agreements"] = 106.into(),
            false,
        ),
        (
            "agent-agreements",
            |v| t(v)["agent_stats"][0]["agreements"] = 100.into(),
            false,
        ),
        (
            "walkaways",
            |v| t(v)["overall"]["walkaways"] = 7.into(),
            false,
        ),
        (
            "utility-1e27",
            |v| t(v)["agent_stats"][0]["utility"] = "1000000000000000000000000000".into(),
            false,
        ),
        (
            "utility-negative",
            |v| t(v)["overall"]["utility"] = "-281474976710656".into(),
            false,
        ),
        (
            "welfare-negative",
            |v| t(v)["agent_stats"][2]["welfare"] = "-1".into(),
            false,
        ),
        (
            "short-agent-table",
            |v| {
                t(v)["agent_stats"].as_array_mut().unwrap().pop();
            },
            false,
        ),
        (
            "short-summary",
            |v| {
                v["result"]["summary"].as_array_mut().unwrap().remove(1);
            },
            false,
        ),
        (
            "edited-summary",
            |v| v["result"]["summary"][0]["mean_utility"] = 0.99.into(),
            false,
        ),
        (
            "rounds-u64-max",
            |v| t(v)["agent_stats"][1]["rounds"] = u64::MAX.into(),
            false,
        ),
        (
            "negotiations-u64-max",
            |v| t(v)["overall"]["negotiations"] = u64::MAX.into(),
            false,
        ),
        (
            "share",
            |v| {
                t(v)["negotiations"] = 4.into();
                t(v)["overall"]["negotiations"] = 4.into();
            },
            false,
        ),
        (
            "params-shard",
            |v| v["params"]["shard"] = "1/2".into(),
            false,
        ),
        (
            "agent-order",
            |v| {
                v["params"]["agents"].as_array_mut().unwrap().swap(0, 1);
            },
            true,
        ),
        (
            "widened-bounds",
            |v| {
                t(v)["bounds"]["max_utility"] = 1e30.into();
                t(v)["agent_stats"][0]["utility"] = "1000000000000000000000000000".into();
            },
            false,
        ),
        (
            "records-without-kept",
            |v| t(v)["records"] = serde_json::json!([record(0)]),
            false,
        ),
        (
            "record-outside-shard",
            |v| {
                t(v)["records_kept"] = true.into();
                t(v)["records"] = serde_json::json!([
                    record(1),
                    record(2),
                    record(4),
                    record(6),
                    record(8),
                    record(10)
                ]);
            },
            false,
        ),
        (
            "record-twice",
            |v| {
                t(v)["records_kept"] = true.into();
                t(v)["records"] = serde_json::json!([
                    record(0),
                    record(0),
                    record(4),
                    record(6),
                    record(8),
                    record(10)
                ]);
            },
            false,
        ),
    ];
    for (name, tamper, both) in cases {
        let mut files = Vec::new();
        for (k, (_, doc)) in shards.iter().enumerate() {
            let mut doc = doc.clone();
            if k == 0 || both {
                tamper(&mut doc);
            }
            let path = dir.join(format!("{name}-{k}.json"));
            std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
            files.push(path);
        }
        let o = merge(&[&files[0], &files[1]]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(&format!("{name}-0.json")), "{name}: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
    }

    // A shard given twice, or under two names, and a missing shard.
    let copy = dir.join("copy-of-0.json");
    std::fs::copy(&shards[0].0, &copy).unwrap();
    let o = merge(&[&shards[0].0, &copy, &shards[1].0]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("copy-of-0.json") && err.contains("shard-0.json") && err.contains("twice"),
        "{err}"
    );
    let o = merge(&[&shards[0].0]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("shard-0.json") && err.contains("1/2 is missing"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 9, item 4: the analyze headline about the mediator summarises many seeds, and its count
/// agrees with the same negotiations run one by one through `redline negotiate`.
#[test]
fn analyze_mediator_comparison_holds_over_the_seeds_it_counts() {
    let doc = run_json(&["analyze", "iran-us-2026", "--format", "json"]);
    let neg = &doc["result"]["negotiation"];
    let seeds = neg["params"]["sweep_seeds"].as_u64().unwrap();
    assert!(seeds >= 10, "{neg}");
    let distance = |args: &[&str], seed: u64| -> Option<f64> {
        let s = seed.to_string();
        let mut a = vec![
            "negotiate",
            "iran-us-2026",
            "--format",
            "json",
            "--seed",
            &s,
        ];
        a.extend_from_slice(args);
        let d = run_json(&a);
        let r = &d["result"];
        if r["outcome"]["agreed"].as_bool().unwrap() {
            r["metrics"]["nash_distance"].as_f64()
        } else {
            None
        }
    };
    let (mut count, mut of) = (0, 0);
    for seed in 0..seeds {
        let Some(m) = distance(
            &[
                "--agents",
                "redline:linear,redline:linear",
                "--mediator",
                "hill-climbing",
            ],
            seed,
        ) else {
            continue;
        };
        let best = ["boulware", "linear", "conceder"]
            .iter()
            .filter_map(|s| distance(&["--agents", &format!("redline:{s},redline:{s}")], seed))
            .fold(f64::INFINITY, f64::min);
        if best.is_finite() {
            of += 1;
            count += u64::from(m + 1e-9 < best);
        }
    }
    assert_eq!(
        neg["mediated_closer"]["count"].as_u64(),
        Some(count),
        "{neg}"
    );
    assert_eq!(neg["mediated_closer"]["of"].as_u64(), Some(of));
    let headline = doc["result"]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question"] == "negotiation")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        headline.contains(&format!("of the {of} seeds"))
            || headline.contains(&format!("every one of the {of} seeds")),
        "{headline}"
    );
    assert!(!headline.contains("closer than any run"), "{headline}");
}

/// Issue 9, item 11: one index space for outcomes. A negotiation's trace names outcomes by the
/// deal lens's `index` (over every combination), so an agreement on the frontier is found in
/// `redline deal`'s `pareto_all` under the same index with the same values.
#[test]
fn trace_outcomes_use_the_deal_lens_index() {
    let n = run_json(&[
        "negotiate",
        "iran-us-2026",
        "--agents",
        "redline:boulware,redline:conceder",
        "--format",
        "json",
    ]);
    let r = &n["result"];
    assert_eq!(r["metrics"]["pareto_distance"].as_f64(), Some(0.0), "{r}");
    let accepted = r["trace"]
        .as_array()
        .unwrap()
        .iter()
        .rev()
        .find(|e| e["action"] == "accept")
        .expect("an accepted offer")["outcome"]
        .as_u64()
        .unwrap();
    let d = run_json(&["deal", "iran-us-2026", "--format", "json"]);
    let point = d["result"]["pareto_all"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["index"].as_u64() == Some(accepted))
        .unwrap_or_else(|| panic!("index {accepted} is not on the deal lens's frontier"));
    assert_eq!(point["outcome"], r["outcome"]["agreement"]);
}
