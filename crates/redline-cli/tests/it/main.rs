//! Runs the real `redline` executable, as a user would.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn redline(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run redline")
}

fn redline_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run redline");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", stdout(o)))
}

/// Runs redline, asserts that it succeeded, and returns its stdout.
fn run_ok(args: &[&str]) -> String {
    let o = redline(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Runs redline, asserts that it succeeded, and parses its stdout as JSON.
fn run_json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run_ok(args))
        .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e})"))
}

/// A fresh folder for one test, unique to this test process.
fn temp_dir(tag: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("redline-it-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A path in the reference data vendored in the repository (`data/`).
fn data(path: &str) -> String {
    redline_testdata::path_str(path)
}

const IRAN: &str = include_str!("../../../redline-scenarios/scenarios/iran-us-2026.toml");

#[test]
fn analyze_without_arguments_describes_the_iran_us_scenario() {
    let o = redline(&["analyze"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for needle in ["Iran", "United States", "Turkey", "missile", "verifiable"] {
        assert!(out.contains(needle), "`{needle}` missing from:\n{out}");
    }
}

#[test]
fn json_output_has_the_design_envelope() {
    let o = redline(&["analyze", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["schema"], "redline.analyze/v1");
    assert_eq!(v["scenario"], "iran-us-2026");
    assert!(v["redline_version"].is_string());
    assert!(v["params"].is_object());
    assert!(v["result"].is_object());
}

#[test]
fn scenarios_lists_the_default_first() {
    let o = redline(&["scenarios", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v = json(&o);
    assert_eq!(v["schema"], "redline.scenarios/v1");
    assert_eq!(v["result"][0]["name"], "iran-us-2026");
    assert_eq!(v["result"][0]["default"], true);
}

#[test]
fn show_prints_the_builtin_text_and_it_checks_clean() {
    let o = redline(&["show", "iran-us-2026"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o).trim_end(), IRAN.trim_end());
    let c = redline_stdin(&["check", "-"], &stdout(&o));
    assert_eq!(c.status.code(), Some(0), "{}", stderr(&c));
    assert!(stdout(&c).contains("ok"));
}

#[test]
fn show_unknown_name_suggests_the_closest() {
    let o = redline(&["show", "iran-us-2025"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `iran-us-2026`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_points_at_file_line_column_and_exits_2() {
    let dir = std::env::temp_dir().join(format!("redline-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.toml");
    // A typo in an actor reference inside a red line, somewhere in the middle of the file.
    let broken = IRAN.replacen(
        "id = \"nonproliferation_maintained\"\nowner = \"us\"",
        "id = \"nonproliferation_maintained\"\nowner = \"usa\"",
        1,
    );
    assert_ne!(broken, IRAN);
    std::fs::write(&path, &broken).unwrap();
    let o = redline(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let line = broken.lines().position(|l| l == "owner = \"usa\"").unwrap() + 1;
    let err = stderr(&o);
    let want = format!(
        "{}:{line}:9: error[E0006]: unknown actor `usa`",
        path.display()
    );
    assert!(
        err.lines().any(|l| l == want),
        "expected `{want}` in:\n{err}"
    );
    assert!(err.contains("did you mean `us`?"));
    assert!(stdout(&o).is_empty(), "nothing but results on stdout");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_json_gives_diagnostics_as_data() {
    let broken = IRAN.replacen(
        "require = \"verification != intrusive\"",
        "require = \"verification != invasive\"",
        1,
    );
    let o = redline_stdin(&["check", "-", "--format", "json"], &broken);
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    assert_eq!(v["schema"], "redline.check/v1");
    assert_eq!(v["result"]["valid"], false);
    let d = &v["result"]["diagnostics"][0];
    assert_eq!(d["code"], "E0009");
    assert_eq!(d["file"], "<stdin>");
    let line = broken.lines().position(|l| l.contains("invasive")).unwrap() + 1;
    assert_eq!(d["line"], line as u64);
    assert_eq!(
        d["column"],
        "require = \"verification != ".chars().count() as u64 + 1
    );
    assert!(d["hint"].as_str().unwrap().contains("intrusive"));
}

#[test]
fn missing_file_or_unknown_builtin_is_bad_input() {
    let o = redline(&["analyze", "no-such-scenario.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no file or built-in scenario named"));
}

#[test]
fn usage_errors_exit_2() {
    let o = redline(&["analyze", "--format", "yaml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_utf8_is_reported_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("redline-it-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.toml");
    std::fs::write(&path, b"[scenario]\nid = \"\xff\"\n").unwrap();
    let o = redline(&["check", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid UTF-8"));
    std::fs::remove_dir_all(&dir).ok();
}
mod commands;
mod deal;
mod imports;
mod limits;
mod negotiate;
mod output_safety;
mod report;
mod stability;

/// Every rule a lens enforces is known to `check`, at its place, and bad input exits 2 in every
/// command (issue 9, item 8).
#[test]
fn rules_of_the_lenses_are_checked_at_load_with_a_location() {
    let dir = temp_dir("lens-rules");
    let cases = [
        (
            "mediator.toml",
            IRAN.replacen(
                "id = \"no_pressure\"\nowner = \"iran\"",
                "id = \"no_pressure\"\nowner = \"turkey\"",
                1,
            ),
            "`turkey` is a mediator; red lines belong to parties",
        ),
        (
            "no-utility.toml",
            IRAN.replacen(
                "[[actors]]\nid = \"turkey\"",
                "[[actors]]\nid = \"gulf\"\nname = \"Gulf states\"\n\n[[actors]]\nid = \"turkey\"",
                1,
            ),
            "party `gulf` has no [utilities.gulf] table",
        ),
    ];
    for (name, text, words) in cases {
        assert_ne!(text, IRAN, "{name}: the edit did not apply");
        let file = dir.join(name);
        std::fs::write(&file, &text).unwrap();
        let f = file.to_str().unwrap();
        for cmd in ["check", "deal", "analyze", "negotiate"] {
            let args: Vec<&str> = if cmd == "negotiate" {
                vec![cmd, f, "--agents", "boulware,conceder"]
            } else {
                vec![cmd, f]
            };
            let o = redline(&args);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{name} {cmd}: {err}");
            assert!(
                err.contains(&format!("{f}:")) && err.contains(words),
                "{name} {cmd}: {err}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_stability_arguments_exit_2_with_words() {
    let o = redline(&["stability", "cuban-missile-crisis", "--status-quo", "YYYY"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--status-quo names YYYY, which is not a feasible state"),
        "{err}"
    );
    let o = redline(&["stability", "elmira", "--non-myopic"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--non-myopic: limited-move and non-myopic stability are defined for two decision makers; this conflict has 3"),
        "{err}"
    );
}
