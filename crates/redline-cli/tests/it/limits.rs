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
    script.push_str("exec \"$0\" \"$@\"");
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
    let mut t = String::from(
        "[scenario]\nid = \"c16\"\nname = \"c16\"\n[[actors]]\nid = \"a0\"\nname = \"A0\"\n[[actors]]\nid = \"a1\"\nname = \"A1\"\n",
    );
    for d in 0..2 {
        for k in 0..8 {
            t.push_str(&format!("[[options]]\nid = \"o{k}\"\nowner = \"a{d}\"\n"));
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
