//! The published JSON Schema is current, and every built-in scenario validates against it.

const PUBLISHED: &str = include_str!("../../../docs/scenario.schema.json");

#[test]
fn published_schema_is_current() {
    let generated = redline_syntax::scenario_schema_json();
    if generated != PUBLISHED {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/scenario.schema.json"
        );
        if std::env::var_os("REDLINE_UPDATE_SCHEMA").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        panic!(
            "docs/scenario.schema.json is out of date; rerun with REDLINE_UPDATE_SCHEMA=1 to regenerate it"
        );
    }
}

#[test]
fn every_builtin_validates_against_the_schema() {
    let schema: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    for b in redline_scenarios_texts() {
        let doc: toml::Value = toml::from_str(b.1).unwrap();
        let json = serde_json::to_value(doc).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{} does not validate:\n{}",
            b.0,
            errors.join("\n")
        );
    }
}

#[test]
fn schema_rejects_unknown_keys() {
    let schema: serde_json::Value = serde_json::from_str(PUBLISHED).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc = serde_json::json!({"scenario": {"id": "x", "name": "y"}, "actors": [{"id": "a", "nmae": "b"}]});
    assert!(!validator.is_valid(&doc));
    let doc = serde_json::json!({"scenario": {"id": "x", "name": "y"}, "actors": [{"id": "a", "name": "b"}]});
    assert!(validator.is_valid(&doc));
}

/// The built-in scenario files, read from the scenarios crate's folder (no dependency on it, to
/// keep the crate graph one-way).
fn redline_scenarios_texts() -> Vec<(String, &'static str)> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../redline-scenarios/scenarios"
    );
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text: &'static str =
                Box::leak(std::fs::read_to_string(&path).unwrap().into_boxed_str());
            out.push((path.display().to_string(), text));
        }
    }
    assert!(out.len() >= 9, "the built-ins were not found");
    out
}
