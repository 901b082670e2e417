//! Issue 16, item 7: strings from a scenario cannot drive the reader's terminal or inject HTML
//! and table syntax into Markdown, in any command's output or diagnostics.

use super::*;

/// ESC ] 0 ; … BEL (sets a terminal's title), an ANSI colour, a C1 CSI, a bidi override, a
/// script tag and table syntax, as TOML escapes.
const HOSTILE: &str =
    r"\u001b]0;pwned\u0007X\u001b[31mred\u009b2J \u202Eevil\u202C <script>alert(1)</script> a|b";

fn hostile_scenario() -> String {
    let base = stdout(&redline(&["show", "iran-us-2026"]));
    let out = base
        .replacen(
            "name = \"Iran–US talks under red lines (2026)\"",
            &format!("name = \"Talks {HOSTILE}\""),
            1,
        )
        .replacen("name = \"Iran\"", &format!("name = \"Iran {HOSTILE}\""), 1)
        .replacen(
            "name = \"Engage in talks with the US\"",
            &format!("name = \"Engage {HOSTILE}\""),
            1,
        );
    assert_ne!(out, base, "the built-in's names moved; update this test");
    out
}

fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for c in text.chars() {
        let bad = (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        assert!(!bad, "{what}: raw {:?} reached the output:\n{text}", c);
    }
}

#[test]
fn text_output_and_diagnostics_make_control_characters_visible() {
    let dir = temp_dir("hostile");
    let path = dir.join("hostile.toml");
    std::fs::write(&path, hostile_scenario()).unwrap();
    let p = path.to_str().unwrap();
    for args in [
        vec!["check", p],
        vec!["analyze", p],
        vec!["stability", p],
        vec!["deal", p],
        vec!["negotiate", p, "--agents", "boulware,conceder"],
        vec!["inverse", p, "--state", "none"],
    ] {
        let o = redline(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_terminal_safe(&format!("{args:?} stdout"), &o.stdout);
        assert_terminal_safe(&format!("{args:?} stderr"), &o.stderr);
    }
    let o = redline(&["analyze", p]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(r"Iran \u{1b}]0;pwned\u{7}X"),
        "{}",
        stdout(&o)
    );

    // Colour on: the renderer's own codes remain, the scenario's do not.
    let o = Command::new(env!("CARGO_BIN_EXE_redline"))
        .args(["stability", p])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert_terminal_safe("stability (colour requested, not a terminal)", &o.stdout);

    // A diagnostic quoting a hostile id and pointing into a hostile line.
    let bad = hostile_scenario().replacen(
        "[[actors]]",
        "[[actors]]\nid = \"x\u{1b}]0;t\u{7}\"\nname = \"\u{1b}[31mred\u{202E}\"\nrole = \"party\"\n\n[[actors]]",
        1,
    );
    let o = redline_stdin(&["check", "-"], &bad);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_terminal_safe("check diagnostics", &o.stderr);
    assert!(stderr(&o).contains("<stdin>:"), "{}", stderr(&o));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn markdown_escapes_html_and_table_syntax() {
    let dir = temp_dir("hostile-md");
    let path = dir.join("hostile.toml");
    std::fs::write(&path, hostile_scenario()).unwrap();
    let p = path.to_str().unwrap();
    for args in [
        vec!["analyze", p, "--format", "md"],
        vec!["stability", p, "--format", "md"],
        vec!["deal", p, "--format", "md"],
        vec![
            "negotiate",
            p,
            "--agents",
            "boulware,conceder",
            "--format",
            "md",
        ],
        vec!["check", p, "--format", "md"],
    ] {
        let o = redline(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let md = stdout(&o);
        assert_terminal_safe(&format!("{args:?}"), &o.stdout);
        assert!(
            !md.contains("<script"),
            "{args:?}: raw HTML in Markdown:\n{md}"
        );
        // Table rows keep their column count: a `|` from a name is escaped.
        for line in md.lines().filter(|l| l.starts_with('|')) {
            assert!(
                !line.contains("a|b"),
                "{args:?}: unescaped pipe in a cell: {line}"
            );
        }
    }
    let md = stdout(&redline(&["analyze", p, "--format", "md"]));
    assert!(md.contains("&lt;script>"), "{md}");
    std::fs::remove_dir_all(dir).ok();
}
