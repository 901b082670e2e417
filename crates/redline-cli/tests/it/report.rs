//! `redline analyze`: snapshots of the terminal text (NO_COLOR), Markdown and JSON output for
//! every built-in scenario, and the HTML report opened in a real browser (headless Chromium).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{stdout, temp_dir};

pub(crate) const BUILTINS: [&str; 9] = [
    "iran-us-2026",
    "prisoners",
    "syria-iraq",
    "cuban-missile-crisis",
    "elmira",
    "england-zimbabwe",
    "grocery",
    "itex-cypress",
    "laptop",
];

/// The ids of the diagrams an iran-us-2026 report must contain.
const FIGURES: [&str; 5] = [
    "fig-deal-space",
    "fig-plan-timeline",
    "fig-state-graph",
    "fig-stability-table",
    "fig-negotiation-traces",
];

fn analyze(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_redline"))
        .arg("analyze")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run redline");
    assert_eq!(
        o.status.code(),
        Some(0),
        "redline analyze {args:?} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// Replaces long arrays by their first three items and a count, so that JSON snapshots show the
/// shape of the result without every state and frontier point (the lenses' own tests check
/// those).
pub(crate) fn elide(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Array(items) => {
            if items.len() > 12 {
                let more = items.len() - 3;
                items.truncate(3);
                items.push(serde_json::Value::String(format!("… {more} more")));
            }
            items.iter_mut().for_each(elide);
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(elide),
        serde_json::Value::Number(n) => {
            // Round floats to 12 significant digits: the last bits of a sum depend on how
            // serde_json parses (its `float_roundtrip` feature) and on the platform's libm, and a
            // snapshot should not.
            if let Some(x) = n.as_f64().filter(|_| !n.is_i64() && !n.is_u64()) {
                let rounded: f64 = format!("{x:.11e}").parse().unwrap_or(x);
                if let Some(r) = serde_json::Number::from_f64(rounded) {
                    *n = r;
                }
            }
        }
        _ => {}
    }
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(
        r#""redline_version": "[^"]+""#,
        r#""redline_version": "[version]""#,
    );
    s.add_filter(r"redline \d+\.\d+\.\d+\S*", "redline [version]");
    s.set_prepend_module_to_snapshot(true);
    s
}

#[test]
fn analyze_text_snapshots() {
    settings().bind(|| {
        for name in BUILTINS {
            let out = stdout(&analyze(&[name]));
            assert!(!out.contains('\x1b'), "no colour with NO_COLOR or a pipe");
            insta::assert_snapshot!(format!("text_{name}"), out);
        }
    });
}

#[test]
fn analyze_markdown_snapshots() {
    settings().bind(|| {
        for name in BUILTINS {
            insta::assert_snapshot!(
                format!("md_{name}"),
                stdout(&analyze(&[name, "--format", "md"]))
            );
        }
    });
}

#[test]
fn analyze_json_snapshots() {
    settings().bind(|| {
        for name in BUILTINS {
            let o = analyze(&[name, "--format", "json"]);
            let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            assert_eq!(v["schema"], "redline.analyze/v1");
            assert_eq!(v["scenario"], name);
            elide(&mut v);
            insta::assert_snapshot!(
                format!("json_{name}"),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    });
}

#[test]
fn analyze_json_combines_the_lenses_results_unchanged() {
    let a: serde_json::Value =
        serde_json::from_slice(&analyze(&["--format", "json"]).stdout).unwrap();
    let run = |cmd: &str| -> serde_json::Value {
        let o = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args([cmd, "--format", "json"])
            .output()
            .unwrap();
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let deal = run("deal");
    assert_eq!(a["result"]["deal"]["result"], deal["result"]);
    assert_eq!(a["result"]["deal"]["params"], deal["params"]);
    let stability = run("stability");
    assert_eq!(a["result"]["stability"]["result"], stability["result"]);
    assert_eq!(a["result"]["summary"]["id"], "iran-us-2026");
    let questions: Vec<&str> = a["result"]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["question"].as_str().unwrap())
        .collect();
    assert_eq!(
        questions,
        [
            "talks_start",
            "agreement",
            "stability",
            "path",
            "negotiation"
        ]
    );
    // The default 2-issue plan is blocked; the answers use the smallest phase size that works.
    assert_eq!(a["result"]["deal"]["result"]["plan"]["status"], "blocked");
    assert_eq!(a["result"]["plan"]["plan"]["status"], "found");
    assert!(
        a["result"]["plan"]["max_issues_per_phase"]
            .as_u64()
            .unwrap()
            > 2
    );
    assert_eq!(a["result"]["preconditions"]["compatible"], true);
    assert_eq!(
        a["result"]["negotiation"]["runs"].as_array().unwrap().len(),
        4
    );
}

#[test]
fn dot_file_is_written_and_needs_a_stability_view() {
    let dir = temp_dir("dot");
    let path = dir.join("graph.dot");
    let o = analyze(&["--dot", path.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("only the result on stdout");
    let dot = std::fs::read_to_string(&path).unwrap();
    assert!(dot.starts_with("digraph states {"), "{dot}");
    assert!(dot.contains("->"));
    let o = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["analyze", "laptop", "--dot", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no stability view"));
    std::fs::remove_dir_all(&dir).ok();
}

/// Debian's `chromium`, when installed.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs headless Chromium on `page` with `extra` arguments; returns (stdout, stderr). Output goes
/// through files, so that a chatty browser never blocks on a full pipe.
fn headless(chromium: &str, profile: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let out_path = profile.with_extension("out");
    let err_path = profile.with_extension("err");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("start chromium");
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "chromium did not finish within 60 s; it said:\n{}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (
        std::fs::read_to_string(&out_path).unwrap_or_default(),
        std::fs::read_to_string(&err_path).unwrap_or_default(),
    )
}

#[test]
fn html_report_renders_in_a_real_browser() {
    let Some(chromium) = chromium() else {
        if std::env::var("REDLINE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!(
                "chromium is not installed, and REDLINE_REQUIRE_BROWSER=1 requires the browser test: `.ci/run` installs it with `apt-get install -y chromium`"
            );
        }
        // Written to the process's stderr directly, not through `eprintln!`, so that the test
        // harness does not capture it: a skipped browser test is never silent.
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED html_report_renders_in_a_real_browser: no chromium on PATH (install Debian's `chromium` to run it; REDLINE_REQUIRE_BROWSER=1 makes this a failure)"
        );
        return;
    };
    let dir = temp_dir("html");
    let page = dir.join("report.html");
    let o = analyze(&["--report", page.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("Answers"),
        "the text result still goes to stdout"
    );
    let html = std::fs::read_to_string(&page).unwrap();
    // Self-contained: nothing is loaded from anywhere else.
    for banned in ["<link", "src=\"http", "href=\"http", "@import", "url(http"] {
        assert!(!html.contains(banned), "the report loads `{banned}`");
    }
    assert!(html.contains("Content-Security-Policy"));

    // The rendered DOM: the inline script ran without error and every diagram is there.
    let (dom, log) = headless(chromium, &dir.join("profile-dom"), &page, &["--dump-dom"]);
    let root = dom
        .split("<html")
        .nth(1)
        .and_then(|s| s.split('>').next())
        .unwrap_or_default();
    assert!(
        root.contains("data-report-ready=\"yes\""),
        "the page's script did not finish: <html{root}> (console: {log})"
    );
    assert!(
        !root.contains("data-report-error"),
        "script error: <html{root}>"
    );
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "console messages: {console:#?}");
    for id in FIGURES {
        assert!(
            dom.contains(&format!("id=\"{id}\"")),
            "diagram `{id}` missing from the rendered page"
        );
    }
    let figures = root
        .split("data-figures=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default();
    for id in FIGURES {
        assert!(
            figures.split(' ').any(|f| f == id),
            "`{id}` is not an SVG in the DOM"
        );
    }

    // A screenshot, kept for people to look at.
    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("analyze-report.png");
    let _ = std::fs::remove_file(&shot);
    let (_, log) = headless(
        chromium,
        &dir.join("profile-shot"),
        &page,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,4000",
            "--hide-scrollbars",
        ],
    );
    let size = std::fs::metadata(&shot)
        .unwrap_or_else(|e| {
            panic!(
                "no screenshot at {} ({e}); chromium said: {log}",
                shot.display()
            )
        })
        .len();
    assert!(
        size > 50_000,
        "the screenshot is suspiciously small ({size} bytes)"
    );
    eprintln!("screenshot of the HTML report: {}", shot.display());
    std::fs::remove_dir_all(&dir).ok();
}
