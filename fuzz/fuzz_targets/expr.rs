//! The expression language end to end: any text as a preference statement and as a feasibility
//! constraint of a two-DM, six-option conflict is parsed, resolved, compiled to the stability
//! engine's formulas and evaluated on every state, or refused with a located diagnostic. Never a
//! panic, a stack overflow or exponential time. Use with `-dict=dict/expr.dict`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Ok(expr) = std::str::from_utf8(data) else { return };
    // The parser alone.
    let _ = redline_syntax::parse_expr(expr);
    // In a scenario, where it is resolved and compiled.
    let e = toml_string(expr);
    let mut text = String::from(
        "[scenario]\nid = \"f\"\nname = \"f\"\n[[actors]]\nid = \"a\"\nname = \"A\"\n[[actors]]\nid = \"b\"\nname = \"B\"\n",
    );
    for d in ["a", "b"] {
        for k in 0..3 {
            text.push_str(&format!("[[options]]\nid = \"o{k}\"\nowner = \"{d}\"\n"));
        }
    }
    text.push_str(&format!(
        "[stability]\nstatus_quo = []\ninfeasible = [{e}]\n[stability.preferences.a]\nstatements = [{e}, \"a.o1\"]\n[stability.preferences.b]\nstatements = [\"!a.o0\", {e}]\n"
    ));
    match redline_syntax::load(&text) {
        Ok(loaded) => {
            let Ok((spec, _)) = redline_gmcr::from_scenario(&loaded.scenario) else { return };
            if let Ok(model) = redline_gmcr::Model::new(&spec) {
                let _ = redline_gmcr::analyze(&model, redline_gmcr::ConceptSet::ALL);
            }
        }
        Err(diags) => {
            for d in diags {
                if let Some(span) = &d.span {
                    assert!(span.start <= text.len() && span.end <= text.len());
                }
            }
        }
    }
});
