//! `redline deal` and GENIUS interop, through the real binary, against the published figures of
//! `data/reference/negotiation/*.expected.json`.

use super::{data, redline as run, run_ok};

const DOMAINS: [(&str, &str, &[&str]); 4] = [
    (
        "EnglandZimbabwe",
        "EnglandZimbabwe_domain.xml",
        &["England.xml", "Zimbabwe.xml"],
    ),
    (
        "Grocery",
        "Grocery_domain.xml",
        &["Grocery_domain_sam.xml", "Grocery_domain_mary.xml"],
    ),
    (
        "ItexvsCypress",
        "ItexvsCypress_domain.xml",
        &["ItexvsCypress_Itex.xml", "ItexvsCypress_Cypress.xml"],
    ),
    (
        "Laptop",
        "laptop_domain.xml",
        &["laptop_buyer_utility.xml", "laptop_seller_utility.xml"],
    ),
];

fn vectors(points: &serde_json::Value) -> Vec<Vec<f64>> {
    let mut v: Vec<Vec<f64>> = points
        .as_array()
        .unwrap()
        .iter()
        .map(|p| match &p["utilities"] {
            serde_json::Value::Object(m) => m.values().map(|x| x.as_f64().unwrap()).collect(),
            serde_json::Value::Array(a) => a.iter().map(|x| x.as_f64().unwrap()).collect(),
            other => panic!("utilities: {other}"),
        })
        .collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

fn assert_close(a: &[Vec<f64>], b: &[Vec<f64>], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: {a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        for (p, q) in x.iter().zip(y) {
            assert!((p - q).abs() < 1e-9, "{what}: {x:?} vs {y:?}");
        }
    }
}

#[test]
fn imported_genius_domains_reproduce_the_reference() {
    let dir = std::env::temp_dir().join(format!("redline-it-genius-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, domain, profiles) in DOMAINS {
        let exp: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(data(&format!("reference/negotiation/{name}.expected.json")))
                .unwrap(),
        )
        .unwrap();
        // The reference lists profiles in `profile_order`; import them in that order.
        let order: Vec<String> = exp["profile_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            order.iter().map(String::as_str).collect::<Vec<_>>(),
            profiles.to_vec()
        );
        let mut args = vec![
            "import".to_string(),
            "genius".into(),
            data(&format!("domains/genius/{name}/{domain}")),
        ];
        args.extend(
            profiles
                .iter()
                .map(|p| data(&format!("domains/genius/{name}/{p}"))),
        );
        let toml = run_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let path = dir.join(format!("{name}.toml"));
        std::fs::write(&path, toml).unwrap();
        let out: serde_json::Value = serde_json::from_str(&run_ok(&[
            "deal",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]))
        .unwrap();
        assert_eq!(out["schema"], "redline.deal/v1");
        let r = &out["result"];
        assert_eq!(r["outcome_count"], exp["n_outcomes"], "{name}");
        assert_eq!(r["zopa"]["exists"], true);
        assert_close(
            &vectors(&r["pareto"]),
            &vectors(&exp["pareto"]),
            &format!("{name} frontier"),
        );
        for (ours, theirs) in [
            ("nash", "nash"),
            ("egalitarian", "egalitarian_max_min_gain"),
            ("utilitarian", "utilitarian_max_welfare"),
        ] {
            let got = vectors(&serde_json::json!([r["solutions"][ours]]));
            let want: Vec<Vec<f64>> = vectors(&exp[theirs]);
            // The reference may list several tied points; ours must be one of them.
            assert!(
                want.iter()
                    .any(|w| w.iter().zip(&got[0]).all(|(p, q)| (p - q).abs() < 1e-9)),
                "{name} {ours}: {got:?} not in {want:?}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn genius_export_then_import_keeps_the_deal() {
    let dir = std::env::temp_dir().join(format!("redline-it-genius-export-{}", std::process::id()));
    for builtin in ["laptop", "england-zimbabwe"] {
        let out = dir.join(builtin);
        let o = run(&[
            "export",
            "genius",
            builtin,
            "--out-dir",
            out.to_str().unwrap(),
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let mut files: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path().display().to_string())
            .collect();
        files.sort();
        let domain = files
            .iter()
            .find(|f| f.ends_with("_domain.xml"))
            .unwrap()
            .clone();
        let profiles: Vec<&String> = files
            .iter()
            .filter(|f| !f.ends_with("_domain.xml"))
            .collect();
        // Profiles are named <id>_<party>.xml; import them in the built-in's party order.
        let before: serde_json::Value =
            serde_json::from_str(&run_ok(&["deal", builtin, "--format", "json"])).unwrap();
        let parties: Vec<String> = before["result"]["solutions"]["disagreement"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut args = vec!["import".to_string(), "genius".into(), domain];
        for p in &parties {
            args.push(
                profiles
                    .iter()
                    .find(|f| f.ends_with(&format!("_{p}.xml")))
                    .unwrap()
                    .to_string(),
            );
        }
        args.push("--names".into());
        args.push(parties.join(","));
        let toml = run_ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
        let path = dir.join(format!("{builtin}.toml"));
        std::fs::write(&path, toml).unwrap();
        let after: serde_json::Value = serde_json::from_str(&run_ok(&[
            "deal",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]))
        .unwrap();
        assert_close(
            &vectors(&after["result"]["pareto"]),
            &vectors(&before["result"]["pareto"]),
            builtin,
        );
        assert_eq!(
            after["result"]["outcome_count"],
            before["result"]["outcome_count"]
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn genius_export_says_what_it_leaves_out() {
    let dir = std::env::temp_dir().join(format!("redline-it-genius-lossy-{}", std::process::id()));
    let o = run(&[
        "export",
        "genius",
        "iran-us-2026",
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("leaves out") && err.contains("red line"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn iran_us_deal_json_has_the_design_shape() {
    let v: serde_json::Value =
        serde_json::from_str(&run_ok(&["deal", "--format", "json"])).unwrap();
    let r = &v["result"];
    assert!(r["outcome_count"].as_u64().unwrap() > 0);
    assert!(
        r["zopa"]["exists"].is_boolean()
            && r["zopa"]["size"].is_u64()
            && r["zopa"]["conflicts"].is_array()
    );
    let p = &r["pareto"][0];
    assert!(p["outcome"]["missile_programme"].is_string() && p["utilities"]["iran"].is_f64());
    for s in ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"] {
        assert!(r["solutions"][s]["outcome"].is_object(), "{s}");
    }
    assert!(r["phases"].is_array());
    // Every ZOPA frontier point keeps Iran's missile red line.
    for p in r["pareto"].as_array().unwrap() {
        let m = p["outcome"]["missile_programme"].as_str().unwrap();
        assert!(m == "untouched" || m == "transparency", "{m}");
    }
}

#[test]
fn bad_genius_files_are_reported_with_their_place() {
    let dir = std::env::temp_dir().join(format!("redline-it-genius-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.xml");
    std::fs::write(&bad, "<negotiation_template><utility_space><objective><issue name=\"x\" type=\"fuzzy\"/></objective></utility_space></negotiation_template>").unwrap();
    let o = run(&[
        "import",
        "genius",
        bad.to_str().unwrap(),
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("bad.xml"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}
