//! Every command's text, Markdown and JSON on every built-in scenario, as snapshots (the
//! front-door refactoring must leave them byte-identical, or say in the commit why not). A
//! command that does not apply to a scenario is snapshotted too: its words and exit code are
//! part of the interface.

use std::process::Command;

use super::report::{BUILTINS, elide};

fn run(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run redline");
    let mut out = String::from_utf8_lossy(&o.stdout).into_owned();
    if args.contains(&"json") && o.status.success() {
        let mut v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        elide(&mut v);
        out = serde_json::to_string_pretty(&v).unwrap();
    }
    format!(
        "exit: {}\n--- stdout\n{out}\n--- stderr\n{}",
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn snapshot_all(tag: &str, command: &str, extra: &[&str]) {
    for name in BUILTINS {
        for format in ["text", "md", "json"] {
            let mut args = vec![command];
            args.extend_from_slice(extra);
            args.extend([name, "--format", format]);
            insta::assert_snapshot!(format!("{tag}_{format}_{name}"), run(&args));
        }
    }
}

#[test]
fn check_snapshots() {
    snapshot_all("check", "check", &[]);
}

#[test]
fn stability_snapshots() {
    snapshot_all("stability", "stability", &[]);
}

#[test]
fn stability_with_coalitions_snapshots() {
    snapshot_all("stability_coalitions", "stability", &["--coalitions"]);
}

#[test]
fn stability_farsighted_snapshots() {
    snapshot_all(
        "stability_farsighted",
        "stability",
        &["--non-myopic", "--limited-move", "3"],
    );
}

#[test]
fn deal_snapshots() {
    snapshot_all("deal", "deal", &[]);
}

#[test]
fn negotiate_snapshots() {
    snapshot_all(
        "negotiate",
        "negotiate",
        &["--agents", "boulware,conceder", "--rounds", "40"],
    );
}

#[test]
fn tournament_snapshots() {
    for format in ["text", "md", "json"] {
        let args = [
            "tournament",
            "laptop",
            "grocery",
            "--agents",
            "boulware,conceder,tit-for-tat",
            "--repetitions",
            "2",
            "--rounds",
            "30",
            "--format",
            format,
        ];
        insta::assert_snapshot!(format!("tournament_{format}"), run(&args));
    }
}

#[test]
fn inverse_snapshots() {
    for (name, state) in [("prisoners", "none"), ("elmira", "none")] {
        for format in ["text", "json"] {
            let args = ["inverse", name, "--state", state, "--format", format];
            insta::assert_snapshot!(format!("inverse_{format}_{name}"), run(&args));
        }
    }
}

#[test]
fn mediated_snapshots() {
    for name in ["iran-us-2026", "laptop"] {
        let args = [
            "negotiate",
            name,
            "--agents",
            "redline:boulware,redline:conceder",
            "--mediator",
            "hill-climbing",
            "--rounds",
            "30",
        ];
        insta::assert_snapshot!(format!("negotiate_mediated_{name}"), run(&args));
    }
    let args = [
        "tournament",
        "laptop",
        "--agents",
        "boulware,hardliner",
        "--mediator",
        "annealing:0.5",
        "--rounds",
        "30",
    ];
    insta::assert_snapshot!("tournament_annealing", run(&args));
}
