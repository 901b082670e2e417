//! gmcr-py import: any bytes as a `.gmcr` file give a scenario that loads, or an error; never a
//! panic. What converts is written and must load again, or the failure must be a load error
//! of the converted scenario (reported against the source by the CLI), never a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(file) = redline_interop::gmcr_py::parse(text) else { return };
    let Ok(sc) = redline_interop::scenario::from_gmcr_py(&file, "f", "f") else { return };
    let toml = redline_syntax::to_toml(&sc);
    if let Ok(loaded) = redline_syntax::load(&toml) {
        // And back out to gmcr-py, which must not panic either.
        let _ = redline_interop::scenario::to_gmcr_py(&loaded.scenario);
    }
});
