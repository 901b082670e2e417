//! Imports whose source cannot become a loadable scenario are bad input, reported against the
//! source file (issue 16, items 5 and 6), and what an import writes always loads again.

use super::{data, redline, stderr, stdout, temp_dir};

const LAPTOP: &str = "domains/genius/Laptop";

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A gmcr-py file with two DMs and the given options per DM and infeasible conditions.
fn gmcr_py(per_dm: usize, infeasibles: &str) -> String {
    let options: Vec<String> = (0..2 * per_dm)
        .map(|k| format!("{{\"name\": \"o{k}\", \"permittedDirection\": \"both\"}}"))
        .collect();
    let dm = |d: usize| {
        let opts: Vec<String> = (d * per_dm..(d + 1) * per_dm)
            .map(|k| k.to_string())
            .collect();
        format!(
            "{{\"name\": \"D{d}\", \"options\": [{}], \"preferences\": [[[{}, \"Y\"]]], \"misperceptions\": []}}",
            opts.join(", "),
            d * per_dm
        )
    };
    format!(
        "{{\"options\": [{}], \"decisionMakers\": [{}, {}], \"infeasibles\": {infeasibles}, \"useManualPreferenceRanking\": false, \"program\": \"gmcr-py\", \"version\": \"0.4.1\"}}",
        options.join(", "),
        dm(0),
        dm(1)
    )
}

#[test]
fn gmcr_py_files_that_cannot_become_a_scenario_are_bad_input() {
    let dir = temp_dir("import-gmcr");
    let cases = [
        (
            "wide.gmcr",
            gmcr_py(32, "[]"),
            "64 options is more than the 63",
        ),
        (
            "none.gmcr",
            gmcr_py(1, "[[[0, \"Y\"]], [[0, \"N\"]]]"),
            "leave no feasible state",
        ),
    ];
    for (name, text, words) in cases {
        let file = write(&dir, name, &text);
        let o = redline(&["import", "gmcr-py", &file]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.starts_with(&format!("{file}: error:")), "{err}");
        assert!(err.contains(words) && !err.contains("<import>"), "{err}");
        assert!(stdout(&o).is_empty());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn genius_profiles_out_of_range_are_refused_at_their_place() {
    let dir = temp_dir("import-genius");
    let domain = data(&format!("{LAPTOP}/laptop_domain.xml"));
    let seller = data(&format!("{LAPTOP}/laptop_seller_utility.xml"));
    let buyer =
        std::fs::read_to_string(data(&format!("{LAPTOP}/laptop_buyer_utility.xml"))).unwrap();
    let reservation = r#"<reservation value="0" />"#;
    assert!(buyer.contains(reservation));
    let cases = [
        (
            "reservation.xml",
            buyer.replace(reservation, r#"<reservation value="1.5" />"#),
            ":2:18: error: <reservation>: reservation value 1.5 is outside [0, 1]",
        ),
        (
            "discount.xml",
            buyer.replace(
                reservation,
                r#"<reservation value="0" /><discount_factor value="-1"/>"#,
            ),
            ":2:47: error: <discount_factor>: discount factor -1 is outside [0, 1]",
        ),
    ];
    for (name, text, words) in cases {
        let file = write(&dir, name, &text);
        let o = redline(&["import", "genius", &domain, &file, &seller]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.starts_with(&format!("{file}{words}")), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A huge weight was written as 301 digits, an integer out of range, so the import failed on
/// text the user never saw. Floats are now written so that they reload as the same float.
#[test]
fn an_import_with_extreme_numbers_writes_a_scenario_that_loads() {
    let dir = temp_dir("import-extreme");
    let domain = data(&format!("{LAPTOP}/laptop_domain.xml"));
    let seller = data(&format!("{LAPTOP}/laptop_seller_utility.xml"));
    let buyer =
        std::fs::read_to_string(data(&format!("{LAPTOP}/laptop_buyer_utility.xml"))).unwrap();
    let w = r#"<weight index="1" value="0.4452125771655631">"#;
    assert!(buyer.contains(w));
    let file = write(
        &dir,
        "buyer.xml",
        &buyer.replace(w, r#"<weight index="1" value="1e300">"#),
    );
    let o = redline(&["import", "genius", &domain, &file, &seller]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let toml = stdout(&o);
    assert!(toml.contains("= 1e300"), "{toml}");
    let sc = write(&dir, "s.toml", &toml);
    let o = redline(&["check", &sc]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("sum to 1.000e300"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 9, item 7: gmcr-py's older save files name the manual ranking `preferenceVector` and
/// its switch `useManualPreferenceVectors`. Read as such, the prisoner's dilemma keeps its one
/// Nash equilibrium; ignored, every state would be one.
#[test]
fn gmcr_py_old_preference_vectors_are_read() {
    let dir = temp_dir("gmcr-old");
    let old = r#"{
 "options": [{"name": "Cooperate with 2", "permittedDirection": "both"},
             {"name": "Cooperate with One", "permittedDirection": "both"}],
 "decisionMakers": [
  {"name": "Prisoner One", "options": [0], "preferences": [], "misperceptions": [], "preferenceVector": [3, 4, 1, 2]},
  {"name": "Prisoner Two", "options": [1], "preferences": [], "misperceptions": [], "preferenceVector": [2, 4, 1, 3]}
 ],
 "infeasibles": [],
 "useManualPreferenceVectors": true
}"#;
    let file = write(&dir, "old.gmcr", old);
    let o = redline(&["import", "gmcr-py", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("not carried"), "{}", stderr(&o));
    let toml = write(&dir, "old.toml", &stdout(&o));
    let s = redline(&["stability", &toml, "--format", "json"]);
    assert_eq!(s.status.code(), Some(0), "{}", stderr(&s));
    let v: serde_json::Value = serde_json::from_slice(&s.stdout).unwrap();
    assert_eq!(v["result"]["equilibria"]["nash"], serde_json::json!(["NN"]));

    // A hand ranking beside prioritisation statements: the statements are not used, and the
    // import says so.
    let both = old
        .replace("\"preferences\": []", "\"preferences\": [[[1, \"Y\"]]]")
        .replace("useManualPreferenceVectors", "useManualPreferenceRanking")
        .replace("preferenceVector", "preferenceRanking");
    let file = write(&dir, "both.gmcr", &both);
    let o = redline(&["import", "gmcr-py", &file]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("prioritisation statement(s) are not used"),
        "{}",
        stderr(&o)
    );
    // Keys the scenario does not carry are named.
    let extra = old.replace(
        "\"infeasibles\": [],",
        "\"infeasibles\": [], \"notes\": \"x\",",
    );
    let file = write(&dir, "extra.gmcr", &extra);
    let o = redline(&["import", "gmcr-py", &file]);
    assert!(
        stderr(&o).contains("file keys not carried: notes"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(dir).ok();
}

/// Issue 9, item 7: ids survive a GENIUS round trip (they used to grow by the domain name on
/// every trip), and a gmcr-py export says what it leaves out.
#[test]
fn round_trips_keep_ids_and_exports_name_what_they_drop() {
    let dir = temp_dir("genius-trip");
    let (a, b) = (dir.join("a"), dir.join("b"));
    let a_s = a.to_str().unwrap();
    let b_s = b.to_str().unwrap();
    let o = redline(&["export", "genius", "grocery", "--out-dir", a_s]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let import = |d: &str| {
        let o = redline(&[
            "import",
            "genius",
            &format!("{d}/grocery_domain.xml"),
            &format!("{d}/grocery_sam.xml"),
            &format!("{d}/grocery_mary.xml"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    let first = import(a_s);
    assert!(
        first.contains("id = \"grocery\"") && first.contains("id = \"sam\""),
        "{first}"
    );
    let path = dir.join("first.toml");
    std::fs::write(&path, &first).unwrap();
    let o = redline(&["export", "genius", path.to_str().unwrap(), "--out-dir", b_s]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(import(b_s), first);

    let o = redline(&["export", "gmcr-py", "iran-us-2026"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    for dropped in [
        "the status quo",
        "ids of actors and options",
        "the mediator role",
        "the deal view",
    ] {
        assert!(err.contains(dropped), "{dropped}: {err}");
    }
    std::fs::remove_dir_all(dir).ok();
}
