//! GENIUS import: the input is a domain XML and a profile XML separated by a NUL byte. Any bytes
//! give a scenario or an error with a place; never a panic, and never unbounded expansion
//! (entities, huge ranges).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(2, |&b| b == 0);
    let (Some(d), Some(p)) = (parts.next(), parts.next()) else { return };
    let (Ok(d), Ok(p)) = (std::str::from_utf8(d), std::str::from_utf8(p)) else { return };
    let Ok(domain) = redline_interop::genius::parse_domain(d) else { return };
    let Ok(profile) = redline_interop::genius::parse_profile(p, &domain) else { return };
    let names = ["x".to_string(), "y".to_string()];
    let profiles = [profile.clone(), profile];
    let Ok(sc) = redline_interop::scenario::from_genius(&domain, &profiles, &names, "f", 0.1)
    else {
        return;
    };
    let toml = redline_syntax::to_toml(&sc);
    let _ = redline_syntax::load(&toml);
});
