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
