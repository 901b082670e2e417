//! Every built-in loads without errors, and survives a write/load round trip unchanged.

use redline_scenarios::BUILTINS;

#[test]
fn every_builtin_loads_cleanly() {
    for b in BUILTINS {
        let loaded = redline_syntax::load(b.toml)
            .unwrap_or_else(|d| panic!("{} does not load: {d:#?}", b.name));
        assert_eq!(
            loaded.scenario.id, b.name,
            "the file's id matches its built-in name"
        );
        assert!(
            loaded.warnings.is_empty(),
            "{}: {:#?}",
            b.name,
            loaded.warnings
        );
    }
}

#[test]
fn every_builtin_round_trips_through_toml() {
    for b in BUILTINS {
        let first = redline_syntax::load(b.toml).unwrap().scenario;
        let text = redline_syntax::to_toml(&first);
        let second = redline_syntax::load(&text)
            .unwrap_or_else(|d| panic!("{} written back does not load: {d:#?}\n{text}", b.name))
            .scenario;
        assert_eq!(first, second, "{} changed in the round trip", b.name);
    }
}
