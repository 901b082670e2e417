//! Round trip: a scenario that loads, written back, loads again as an equal model (every float
//! reloads as the same float, every string as the same string).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(first) = redline_syntax::load(text) else { return };
    let written = redline_syntax::to_toml(&first.scenario);
    let second = redline_syntax::load(&written)
        .unwrap_or_else(|d| panic!("written scenario does not load: {d:?}\n{written}"));
    assert_eq!(first.scenario, second.scenario, "round trip changed the model:\n{written}");
    // Writing is a fixed point after one round.
    assert_eq!(written, redline_syntax::to_toml(&second.scenario));
});
