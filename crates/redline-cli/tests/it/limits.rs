//! Oversized work is refused before it starts, under a memory cap, never crashes (issue 16).
//! Each command runs under an address-space limit of 4 GiB (`ulimit -v`), so the refusals do
//! not depend on the machine's memory.

use std::process::{Command, Output, Stdio};

use super::{stderr, temp_dir};

/// Runs redline with `ulimit -v` set to 4 GiB, `stdin` from the given shell snippet's output.
fn capped(args: &[&str], stdin_from: Option<&str>) -> Output {
    let bin = env!("CARGO_BIN_EXE_redline");
    let mut script = String::from("ulimit -v 4194304; ");
    if let Some(src) = stdin_from {
        script.push_str(src);
        script.push_str(" | ");
    }
    script.push_str("exec timeout 120 \"$0\" \"$@\"");
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run redline under sh")
}

/// Two DMs with eight options each: 2^16 feasible states.
fn sixteen_options() -> String {
    options_per_dm(8)
}

/// Two DMs with `k` options each: 2^(2k) feasible states.
fn options_per_dm(k: usize) -> String {
    let mut t = String::from(
        "[scenario]\nid = \"c16\"\nname = \"c16\"\n[[actors]]\nid = \"a0\"\nname = \"A0\"\n[[actors]]\nid = \"a1\"\nname = \"A1\"\n",
    );
    for d in 0..2 {
        for j in 0..k {
            t.push_str(&format!("[[options]]\nid = \"o{j}\"\nowner = \"a{d}\"\n"));
        }
    }
    t.push_str("[stability]\nstatus_quo = []\n");
    for d in 0..2 {
        t.push_str(&format!(
            "[stability.preferences.a{d}]\nstatements = [\"a{d}.o0\", \"a{d}.o1\", \"!a{}.o0\"]\n",
            1 - d
        ));
    }
    t
}

#[test]
fn joint_coalition_over_every_option_is_refused_with_an_estimate() {
    let dir = temp_dir("limits-coalition");
    let file = dir.join("c16.toml");
    std::fs::write(&file, sixteen_options()).unwrap();
    let o = capped(
        &[
            "stability",
            file.to_str().unwrap(),
            "--coalitions",
            "--coalition",
            "a0+a1",
        ],
        None,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("coalition analysis of 65536 states needs about"),
        "{err}"
    );
    assert!(
        err.contains("refused before starting") && err.contains("hint:"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_negotiation_whose_trace_cannot_fit_is_refused() {
    let o = capped(
        &[
            "negotiate",
            "--agents",
            "boulware,boulware",
            "--rounds",
            "4000000000",
        ],
        None,
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a traced negotiation of 4000000000 rounds needs about")
            && err.contains("lower --rounds"),
        "{err}"
    );
}

#[test]
fn oversized_input_is_refused_before_it_is_read() {
    // 80 MiB on stdin, over the 64 MiB limit: refused as bad input.
    let o = capped(&["check", "-"], Some("head -c 83886080 /dev/zero"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("<stdin>: error: the input is more than 64 MiB"),
        "{err}"
    );
    // A sparse 3 GiB file: refused from its size, without reading it.
    let dir = temp_dir("limits-input");
    let file = dir.join("huge.toml");
    std::fs::File::create(&file)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let o = capped(&["check", file.to_str().unwrap()], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the input is 3072 MiB, over the limit of 64 MiB"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn non_utf8_on_stdin_is_bad_input_as_in_a_file() {
    let o = capped(&["check", "-"], Some("printf 'id = \"\\377\"\\n'"));
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("<stdin>: error: the input is not valid UTF-8 (at byte 6)"),
        "{err}"
    );
}

/// A reader that goes away is not an error: the JSON writers exit 0 on a closed stdout, as the
/// text writers do. Outputs over the pipe's 64 KiB buffer, so the write really fails.
#[test]
fn a_closed_stdout_is_success_for_json_output() {
    for args in [
        &["analyze", "--format", "json"][..],
        &["stability", "--format", "json"][..],
        &[
            "negotiate",
            "--agents",
            "boulware,conceder",
            "--rounds",
            "2000",
            "--format",
            "json",
        ][..],
        &[
            "tournament",
            "--agents",
            "boulware,conceder,linear,tit-for-tat",
            "--repetitions",
            "50",
            "--jsonl",
            "/dev/stdout",
        ][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_redline"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
}

/// A two-DM scenario with three options each, its first preference statement and its
/// infeasibility constraint given.
fn with_statement(statement: &str, infeasible: &str) -> String {
    let mut t = String::from(
        "[scenario]\nid = \"expr\"\nname = \"expr\"\n[[actors]]\nid = \"a\"\nname = \"A\"\n[[actors]]\nid = \"b\"\nname = \"B\"\n",
    );
    for d in ["a", "b"] {
        for k in 0..3 {
            t.push_str(&format!("[[options]]\nid = \"o{k}\"\nowner = \"{d}\"\n"));
        }
    }
    t.push_str(&format!(
        "[stability]\nstatus_quo = []\ninfeasible = [\"{infeasible}\"]\n[stability.preferences.a]\nstatements = [\"{statement}\", \"a.o1\"]\n[stability.preferences.b]\nstatements = [\"!a.o0\", \"b.o2\"]\n"
    ));
    t
}

/// Runs `check` and `stability` on a scenario under the memory cap and a 120 s guard against
/// hangs (a guard, not a timing: a healthy run takes well under a second).
fn check_and_stability(tag: &str, text: &str) -> Vec<Output> {
    let dir = temp_dir(tag);
    let file = dir.join("s.toml");
    std::fs::write(&file, text).unwrap();
    let f = file.to_str().unwrap();
    let out = vec![
        capped(&["check", f], None),
        capped(&["stability", f, "--format", "json"], None),
    ];
    std::fs::remove_dir_all(&dir).ok();
    out
}

/// Expression attacks (issue 16, items 1 and 2): flat chains of any length load and analyse;
/// deep nesting is refused with a location; nothing overflows a stack or takes exponential time.
#[test]
fn expression_chains_and_nesting_never_crash_or_hang() {
    let options = ["a.o0", "a.o1", "a.o2", "b.o0", "b.o1", "b.o2"];
    let chain = |n: usize, op: &str| {
        (0..n)
            .map(|k| options[k % options.len()])
            .collect::<Vec<_>>()
            .join(&format!(" {op} "))
    };
    let nested = |n: usize| {
        (0..n)
            .map(|k| format!("({} <=> ", options[k % 6]))
            .collect::<String>()
            + "a.o0"
            + &")".repeat(n)
    };
    let same = vec!["a.o0"; 10_000].join(" <=> ");
    let cases = [
        ("same-10k", with_statement(&same, "false")),
        ("iff-100k", with_statement(&chain(100_000, "<=>"), "false")),
        (
            "implies-100k",
            with_statement(&chain(100_000, "=>"), "false"),
        ),
        ("and-100k", with_statement(&chain(100_000, "&"), "false")),
        ("iff-40", with_statement(&chain(40, "<=>"), "false")),
        ("nested-60", with_statement(&nested(60), "false")),
        ("infeasible-60", with_statement("a.o0", &nested(60))),
    ];
    for (tag, text) in cases {
        for o in check_and_stability(tag, &text) {
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(0), "{tag}: {err}");
        }
    }
    // Nesting past the parser's limit is bad input, with the place.
    let deep = with_statement(&nested(300), "false");
    for o in check_and_stability("nested-300", &deep) {
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("s.toml:") && err.contains("nested"), "{err}");
    }
}

/// One integer issue with 10^7 values, on which the two parties are opposed: every outcome is
/// Pareto-optimal. Building the frontier as results took about 1.15 KB per outcome and aborted;
/// it is now refused with an estimate once the frontier is known, before it is built.
#[test]
fn a_frontier_too_large_to_hold_is_refused() {
    let dir = temp_dir("limits-frontier");
    let file = dir.join("d.toml");
    std::fs::write(
        &file,
        "[scenario]\nid = \"d\"\nname = \"d\"\n[[actors]]\nid = \"a\"\nname = \"A\"\n[[actors]]\nid = \"b\"\nname = \"B\"\n\
         [[issues]]\nid = \"x\"\ntype = \"integer\"\nmin = 0\nmax = 9999999\n\
         [utilities.a.weights]\nx = 1\n[utilities.a.evaluations]\nx = { slope = 1e-7, offset = 0 }\n\
         [utilities.b.weights]\nx = 1\n[utilities.b.evaluations]\nx = { slope = -1e-7, offset = 1 }\n",
    )
    .unwrap();
    let o = capped(&["deal", file.to_str().unwrap()], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("have 20000000 points together, about")
            && err.contains("refused before building it"),
        "{err}"
    );
    // `analyze` goes on without the deal lens and says why.
    let o = capped(&["analyze", file.to_str().unwrap()], None);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("the deal lens did not run"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

/// `--limited-move 1000000000` on 2^8 states: the anticipation tables are followed to their
/// cycle, not a billion times (that took hours).
#[test]
fn a_huge_limited_move_horizon_finishes() {
    let dir = temp_dir("limits-horizon");
    let file = dir.join("c8.toml");
    std::fs::write(&file, options_per_dm(4)).unwrap();
    let o = capped(
        &[
            "stability",
            file.to_str().unwrap(),
            "--limited-move",
            "1000000000",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["result"]["farsight"]["limited_move_horizon"],
        1_000_000_000
    );
    std::fs::remove_dir_all(&dir).ok();
}
