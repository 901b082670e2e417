//! Fuzzes the scenario loader: any bytes must give a scenario or diagnostics, never a panic or
//! a hang, and every diagnostic must locate inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match redline_syntax::load(text) {
        Ok(loaded) => {
            // What loads must write back to something that loads again.
            let again = redline_syntax::to_toml(&loaded.scenario);
            assert!(redline_syntax::load(&again).is_ok(), "written scenario does not load:\n{again}");
        }
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in diags {
                if let Some(span) = &d.span {
                    assert!(span.start <= text.len() && span.end <= text.len());
                }
                let _ = d.locate("fuzz.toml", text);
            }
        }
    }
});
