//! Worked examples: a small two-party nuclear deal in the spirit of the built-in scenario, with
//! red lines, a linkage, a sequencing rule and a status quo.

use redline_deal::spec::{
    Cond, Constraint, DealSpec, IssueSpec, Linkage, PartySpec, Sequencing, ValueLabel,
};
use redline_deal::{Change, ConstraintKind, DealError, DealParams, PlanStatus, analyze};

fn issue(id: &str, values: &[&str]) -> IssueSpec {
    IssueSpec {
        id: id.into(),
        name: id.replace('_', " "),
        values: values.iter().map(|v| ValueLabel::label(*v)).collect(),
        ordered: true,
    }
}

fn party(id: &str, weights: [f64; 4], evaluations: [&[f64]; 4], reservation: f64) -> PartySpec {
    PartySpec {
        id: id.into(),
        name: id.to_uppercase(),
        weights: weights.to_vec(),
        evaluations: evaluations.iter().map(|e| e.to_vec()).collect(),
        normalized: vec![],
        terms: vec![],
        reservation,
        reservation_source: redline_model::ReservationSource::Given,
        discount: None,
    }
}

const ENRICHMENT: usize = 0;
const RELIEF: usize = 1;
const VERIFICATION: usize = 2;
const MISSILES: usize = 3;

fn deal() -> DealSpec {
    DealSpec {
        issues: vec![
            issue("enrichment", &["none", "3.67%", "20%", "60%"]),
            issue("sanctions_relief", &["none", "partial", "full"]),
            issue("verification", &["baseline", "enhanced", "intrusive"]),
            issue(
                "missile_programme",
                &["untouched", "transparency", "limits"],
            ),
        ],
        parties: vec![
            party(
                "iran",
                [0.3, 0.4, 0.1, 0.2],
                [
                    &[0.0, 5.0, 8.0, 10.0],
                    &[0.0, 6.0, 10.0],
                    &[10.0, 6.0, 2.0],
                    &[10.0, 6.0, 0.0],
                ],
                0.3,
            ),
            party(
                "us",
                [0.4, 0.2, 0.2, 0.2],
                [
                    &[10.0, 8.0, 3.0, 0.0],
                    &[10.0, 6.0, 2.0],
                    &[0.0, 6.0, 10.0],
                    &[0.0, 6.0, 10.0],
                ],
                0.3,
            ),
        ],
        red_lines: vec![
            Constraint {
                private: false,
                final_only: false,
                id: "no_missile_limits".into(),
                owner: 0,
                label: "missile_programme in [untouched, transparency]".into(),
                cond: Cond::is_in(MISSILES, 3, &[0, 1]),
            },
            Constraint {
                private: false,
                final_only: false,
                id: "right_to_enrich".into(),
                owner: 0,
                label: "enrichment > none".into(),
                cond: Cond::is_in(ENRICHMENT, 4, &[1, 2, 3]),
            },
            Constraint {
                private: false,
                final_only: false,
                id: "low_enrichment".into(),
                owner: 1,
                label: "enrichment <= 3.67%".into(),
                cond: Cond::is_in(ENRICHMENT, 4, &[0, 1]),
            },
        ],
        linkages: vec![Linkage {
            id: "relief_needs_verification".into(),
            label: "sanctions_relief > none => verification >= enhanced".into(),
            cond: Cond::Implies(
                Box::new(Cond::is_in(RELIEF, 3, &[1, 2])),
                Box::new(Cond::is_in(VERIFICATION, 3, &[1, 2])),
            ),
        }],
        sequencing: vec![Sequencing {
            id: "verify_first".into(),
            first: VERIFICATION,
            then: RELIEF,
            strict: false,
        }],
        status_quo: Some(vec![3, 0, 0, 0]),
    }
}

fn value(spec: &DealSpec, issue: usize, label: &str) -> usize {
    spec.issues[issue]
        .values
        .iter()
        .position(|v| v.label == label)
        .unwrap()
}

/// Phases of at most three issues: the status quo breaks the US red line on enrichment, so the
/// first phase must bring enrichment down and pay Iran for it with relief, which needs
/// verification no later than itself.
fn three_per_phase() -> DealParams {
    let mut params = DealParams::default();
    params.plan.max_issues_per_phase = 3;
    params
}

#[test]
fn with_two_issues_per_phase_the_plan_is_blocked_and_the_blockers_named() {
    let r = analyze(&deal(), &DealParams::default()).unwrap();
    assert_eq!(r.plan.status, PlanStatus::Blocked);
    let unblocking: Vec<(&str, &str)> = r
        .plan
        .blockers
        .iter()
        .filter(|b| b.unblocks)
        .map(|b| (b.kind.as_str(), b.id.as_str()))
        .collect();
    assert_eq!(
        unblocking,
        vec![
            ("red_line", "low_enrichment"),
            ("status_quo", "iran"),
            ("phase_size", "max_issues_per_phase")
        ]
    );
    assert_eq!(
        r.plan.message,
        "no phased plan; removing any one of these would allow one: red_line `low_enrichment`, status_quo `iran`, phase_size `max_issues_per_phase`"
    );
}

#[test]
fn zopa_solutions_and_a_verified_phased_plan() {
    let spec = deal();
    let r = analyze(&spec, &three_per_phase()).unwrap();
    assert_eq!(r.cartesian_count, 108);
    // The linkage removes relief without enhanced verification: 4 × 2 × 1 × 3 outcomes.
    assert_eq!(r.outcome_count, 108 - 24);
    assert!(r.zopa.exists);
    assert!(r.zopa.conflicts.is_empty());
    let nash = r.solutions.nash.as_ref().unwrap();
    assert_eq!(nash.outcome["enrichment"], "3.67%");
    assert_ne!(nash.outcome["missile_programme"], "limits");
    for p in &r.pareto {
        assert!(p.outcome["enrichment"] == "3.67%");
    }
    // The plan ends at the Nash solution and respects the rules phase by phase.
    assert_eq!(r.plan.status, PlanStatus::Found, "{}", r.plan.message);
    assert!(!r.phases.is_empty());
    assert_eq!(r.phases.last().unwrap().outcome, nash.outcome);
    let sq_u: Vec<f64> = (0..2)
        .map(|p| spec.utility(p, spec.status_quo.as_ref().unwrap()))
        .collect();
    let mut verification_started = None;
    let mut relief_started = None;
    for ph in &r.phases {
        assert!(ph.changes.len() <= 3);
        let o: Vec<usize> = (0..4)
            .map(|k| value(&spec, k, &ph.outcome[spec.issues[k].id.as_str()]))
            .collect();
        assert!(
            spec.red_lines.iter().all(|c| c.cond.eval(&o)),
            "phase {} breaks a red line",
            ph.number
        );
        assert!(spec.linkages.iter().all(|c| c.cond.eval(&o)));
        for (p, sq) in sq_u.iter().enumerate() {
            assert!(spec.utility(p, &o) >= sq - 1e-12);
            assert_eq!(
                ph.utilities[spec.parties[p].id.as_str()],
                spec.utility(p, &o)
            );
        }
        for c in &ph.changes {
            if c.issue == "verification" && verification_started.is_none() {
                verification_started = Some(ph.number);
            }
            if c.issue == "sanctions_relief" && relief_started.is_none() {
                relief_started = Some(ph.number);
            }
        }
        // Gives/gets follow the utilities.
        assert!(ph.gives.iter().all(|g| !ph.gets.contains(g)));
        assert_eq!(
            ph.verify,
            ph.changes
                .iter()
                .map(|c| c.issue.clone())
                .collect::<Vec<_>>()
        );
    }
    if let Some(relief) = relief_started {
        assert!(
            verification_started.is_some_and(|v| v <= relief),
            "relief ran ahead of verification"
        );
    }
    assert!(r.plan.min_margin.unwrap() >= 0.0);
}

#[test]
fn clashing_red_lines_are_explained() {
    let mut spec = deal();
    spec.red_lines.push(Constraint {
        private: false,
        final_only: false,
        id: "missile_limits".into(),
        owner: 1,
        label: "missile_programme == limits".into(),
        cond: Cond::is_in(MISSILES, 3, &[2]),
    });
    let r = analyze(&spec, &DealParams::default()).unwrap();
    assert!(!r.zopa.exists);
    assert_eq!(r.zopa.size, 0);
    assert!(r.zopa.explanation_complete);
    assert!(r.solutions.nash.is_none());
    assert_eq!(r.plan.status, PlanStatus::NoTarget);
    // The two missile red lines cannot hold together.
    let sets: Vec<Vec<&str>> = r
        .zopa
        .conflicts
        .iter()
        .map(|c| c.constraints.iter().map(|x| x.id.as_str()).collect())
        .collect();
    assert!(
        sets.contains(&vec!["no_missile_limits", "missile_limits"]),
        "{sets:?}"
    );
    // Dropping either opens a ZOPA.
    let singles: Vec<&str> = r
        .zopa
        .relaxations
        .iter()
        .filter(|x| x.single)
        .filter_map(|x| match &x.changes[0] {
            Change::Drop { constraint } => Some(constraint.id.as_str()),
            Change::LowerReservation { .. } => None,
        })
        .collect();
    assert!(
        singles.contains(&"no_missile_limits") && singles.contains(&"missile_limits"),
        "{singles:?}"
    );
    let text: Vec<&str> = r.zopa.relaxations.iter().map(|x| x.text.as_str()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("drop iran's red line `no_missile_limits`")),
        "{text:?}"
    );
}

#[test]
fn a_too_high_reservation_is_lowered_by_the_least_amount() {
    let mut spec = deal();
    spec.parties[1].reservation = 0.95;
    let r = analyze(&spec, &DealParams::default()).unwrap();
    assert!(!r.zopa.exists);
    let lowering = r
        .zopa
        .relaxations
        .iter()
        .find_map(|x| match x.changes.as_slice() {
            [Change::LowerReservation { party, by, to }] if party == "us" => Some((*by, *to)),
            _ => None,
        })
        .expect("a single reservation lowering");
    // Brute force: the best US utility among outcomes every other constraint allows.
    let ev = redline_deal::Evaluated::new(&spec, 1 << 20, 0.0).unwrap();
    let best = (0..ev.space.len())
        .filter(|&i| {
            let o = ev.space.decode(i);
            spec.linkages.iter().all(|l| l.cond.eval(&o))
                && spec.red_lines.iter().all(|c| c.cond.eval(&o))
                && spec.utility(0, &o) >= spec.parties[0].reservation
        })
        .map(|i| ev.utilities[1][i])
        .fold(f64::NEG_INFINITY, f64::max);
    assert!((lowering.1 - best).abs() < 1e-12);
    assert!((lowering.0 - (0.95 - best)).abs() < 1e-12);
    let conflict_kinds: Vec<Vec<ConstraintKind>> = r
        .zopa
        .conflicts
        .iter()
        .map(|c| c.constraints.iter().map(|x| x.kind).collect())
        .collect();
    assert!(
        conflict_kinds
            .iter()
            .all(|k| k.contains(&ConstraintKind::Reservation)),
        "{conflict_kinds:?}"
    );
}

#[test]
fn a_sequencing_rule_whose_first_issue_never_moves_blocks_the_plan() {
    let mut spec = deal();
    // Aim at an outcome where relief moves but verification is already where it must end.
    spec.status_quo = Some(vec![3, 0, 1, 0]);
    let target = vec![1, 1, 1, 1];
    let params = DealParams {
        target: Some(target),
        ..DealParams::default()
    };
    let r = analyze(&spec, &params).unwrap();
    assert_eq!(r.plan.status, PlanStatus::Blocked, "{}", r.plan.message);
    let b = r
        .plan
        .blockers
        .iter()
        .find(|b| b.kind == "sequencing")
        .expect("sequencing blocker");
    assert_eq!(b.id, "verify_first");
    assert!(b.unblocks);
    assert!(
        r.plan.message.contains("sequencing `verify_first`"),
        "{}",
        r.plan.message
    );
    assert!(r.phases.is_empty());
}

#[test]
fn a_target_worse_than_the_status_quo_is_reported() {
    let spec = deal();
    // Zero enrichment and missile limits: far below Iran's status quo.
    let params = DealParams {
        target: Some(vec![0, 0, 0, 2]),
        ..DealParams::default()
    };
    let r = analyze(&spec, &params).unwrap();
    assert_eq!(r.plan.status, PlanStatus::Blocked);
    let kinds: Vec<(&str, &str)> = r
        .plan
        .blockers
        .iter()
        .map(|b| (b.kind.as_str(), b.id.as_str()))
        .collect();
    assert!(kinds.contains(&("status_quo", "iran")), "{kinds:?}");
    assert!(
        kinds.contains(&("red_line", "no_missile_limits")),
        "{kinds:?}"
    );
    assert!(
        r.plan
            .message
            .starts_with("no phased plan: the target itself breaks")
    );
}

#[test]
fn json_has_the_documented_shape() {
    let r = analyze(&deal(), &three_per_phase()).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["outcome_count"], 84);
    assert_eq!(v["zopa"]["exists"], true);
    assert!(v["zopa"]["size"].as_u64().unwrap() > 0);
    assert!(v["zopa"]["conflicts"].as_array().unwrap().is_empty());
    let p0 = &v["pareto"][0];
    assert!(p0["outcome"]["enrichment"].is_string());
    assert!(p0["utilities"]["iran"].is_number() && p0["utilities"]["us"].is_number());
    for s in ["nash", "kalai_smorodinsky", "egalitarian", "utilitarian"] {
        assert!(
            v["solutions"][s]["outcome"]["sanctions_relief"].is_string(),
            "{s}"
        );
        assert!(v["solutions"][s]["utilities"]["us"].is_number(), "{s}");
    }
    let ph = &v["phases"][0];
    assert!(
        ph["changes"][0]["issue"].is_string()
            && ph["changes"][0]["from"].is_string()
            && ph["changes"][0]["to"].is_string()
    );
    assert!(ph["utilities"]["iran"].is_number());
    // Round trip.
    let back: redline_deal::DealResult = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
    // The spec round-trips too.
    let spec = deal();
    let s: DealSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
    assert_eq!(s, spec);
}

#[test]
fn discounting_scales_utilities_and_reservations() {
    let mut spec = deal();
    spec.parties[0].discount = Some(0.5);
    let ev0 = redline_deal::Evaluated::new(&spec, 1 << 20, 0.0).unwrap();
    let ev1 = redline_deal::Evaluated::new(&spec, 1 << 20, 1.0).unwrap();
    for i in 0..ev0.space.len() {
        assert_eq!(ev1.utilities[0][i], ev0.utilities[0][i] * 0.5);
        assert_eq!(ev1.utilities[1][i], ev0.utilities[1][i]);
    }
    assert_eq!(ev1.reservations, vec![0.15, 0.3]);
    assert!(redline_deal::Evaluated::new(&spec, 1 << 20, 1.5).is_err());
}

#[test]
fn invalid_specs_are_rejected_with_a_reason() {
    let msg = |f: &dyn Fn(&mut DealSpec)| {
        let mut s = deal();
        f(&mut s);
        match analyze(&s, &DealParams::default()) {
            Err(DealError::Invalid(m)) => m,
            other => panic!("expected an error, got {other:?}"),
        }
    };
    assert_eq!(
        msg(&|s| s.parties[0].weights.pop().map(drop).unwrap_or(())),
        "party `iran` has 3 weights for 4 issues"
    );
    assert_eq!(
        msg(&|s| s.parties[1].evaluations[2].push(1.0)),
        "party `us` evaluates 4 values of issue `verification`, which has 3"
    );
    assert_eq!(
        msg(&|s| s.red_lines[0].owner = 7),
        "red line `no_missile_limits` is owned by party #7, but there are 2 parties"
    );
    assert_eq!(
        msg(&|s| s.red_lines[1].cond = Cond::Atom {
            issue: 0,
            allowed: vec![true]
        }),
        "red line `right_to_enrich`: condition on issue `enrichment` has 1 flags but the issue has 4 values"
    );
    assert_eq!(
        msg(&|s| s.status_quo = Some(vec![0, 0, 0, 9])),
        "the status quo gives value #9 for issue `missile_programme`, which has 3 values"
    );
    assert_eq!(
        msg(&|s| s.parties[0].reservation = f64::NAN),
        "reservation of party `iran` is not a finite number (NaN)"
    );
    assert_eq!(
        msg(&|s| s.sequencing[0].then = 2),
        "sequencing rule `verify_first` orders issue `verification` against itself"
    );
    assert_eq!(
        msg(&|s| s.issues[1].id = "enrichment".into()),
        "issue id `enrichment` is used twice"
    );
    let too_big = DealParams {
        max_outcomes: 100,
        ..DealParams::default()
    };
    assert!(matches!(
        analyze(&deal(), &too_big),
        Err(DealError::TooLarge {
            outcomes: Some(108),
            limit: 100
        })
    ));
    let bad_target = DealParams {
        target: Some(vec![0, 0]),
        ..DealParams::default()
    };
    assert_eq!(
        analyze(&deal(), &bad_target),
        Err(DealError::Invalid(
            "the plan target gives 2 values for 4 issues".into()
        ))
    );
}
#[test]
fn effort_bounds_are_reported() {
    // Red lines that each forbid one value of a 4-value issue, owned alternately: any four on the
    // same issue clash, so there are many minimal conflicts.
    let mut spec = deal();
    spec.red_lines.clear();
    for v in 0..4 {
        for owner in 0..2 {
            let allowed: Vec<usize> = (0..4).filter(|&x| x != v).collect();
            spec.red_lines.push(Constraint {
                private: false,
                final_only: false,
                id: format!("not{v}_{owner}"),
                owner,
                label: format!("enrichment != {v}"),
                cond: Cond::is_in(ENRICHMENT, 4, &allowed),
            });
        }
    }
    let full = analyze(&spec, &DealParams::default()).unwrap();
    assert!(full.zopa.explanation_complete);
    // Choose one of two red lines per value: 16 minimal conflicts; 2^4 - ... relaxations.
    assert_eq!(full.zopa.conflicts.len(), 16);
    assert!(
        full.zopa
            .note
            .as_deref()
            .unwrap()
            .starts_with("16 minimal conflicts (all of them)")
    );
    let params = DealParams {
        max_conflicts: 3,
        max_relaxations: 2,
        ..DealParams::default()
    };
    let cut = analyze(&spec, &params).unwrap();
    assert!(!cut.zopa.explanation_complete);
    assert_eq!(cut.zopa.conflicts.len(), 3);
    assert_eq!(cut.zopa.relaxations.len(), 2);
    let note = cut.zopa.note.unwrap();
    assert!(
        note.contains("stopped at the effort bound") && note.contains("list cut at the bound"),
        "{note}"
    );
}

#[test]
fn the_move_bound_stops_a_plan_search_and_says_so() {
    let mut params = three_per_phase();
    params.plan.max_moves = 5;
    let r = analyze(&deal(), &params).unwrap();
    assert_eq!(r.plan.status, PlanStatus::TooLarge);
    assert!(
        r.plan.message.contains("examined more than 5 moves"),
        "{}",
        r.plan.message
    );
    params.plan.max_states = 3;
    let r = analyze(&deal(), &params).unwrap();
    assert_eq!(r.plan.status, PlanStatus::TooLarge);
    assert!(
        r.plan.message.contains("more than the limit of 3"),
        "{}",
        r.plan.message
    );
}

/// The frontiers' result objects are estimated before they are built; over the limit, the lens
/// refuses with the count and the estimate instead of allocating them.
#[test]
fn a_frontier_over_the_result_limit_is_refused_before_it_is_built() {
    let spec = deal();
    let whole = analyze(&spec, &DealParams::default()).unwrap();
    let points = (whole.pareto.len() + whole.pareto_all.len()) as u64;
    let params = DealParams {
        max_result_bytes: 1000,
        ..DealParams::default()
    };
    match analyze(&spec, &params) {
        Err(DealError::FrontierTooLarge {
            points: p,
            bytes,
            limit,
        }) => {
            assert_eq!(p, points);
            assert_eq!(limit, 1000);
            // Each point holds two maps and their strings: at least a few hundred bytes.
            assert!(
                bytes > 1000 && bytes >= 200 * points,
                "{bytes} for {points}"
            );
        }
        other => panic!("not refused: {other:?}"),
    }
}

/// One disagreement point (issue 9, item 1): without a `reservation`, a party's disagreement
/// value is what today's outcome gives it, and the ZOPA, the solutions and the plan all measure
/// from it, so no acceptable deal leaves a party worse off than today.
#[test]
fn without_a_reservation_the_disagreement_point_is_today() {
    use redline_model::ReservationSource;
    let b = redline_scenarios::get("iran-us-2026").unwrap();
    let sc = redline_syntax::load(b.toml).unwrap().scenario;
    let today: Vec<usize> = sc.issues.iter().map(|i| i.status_quo.unwrap()).collect();
    let spec = redline_deal::from_scenario(&sc).unwrap();
    let r = analyze(&spec, &DealParams::default()).unwrap();
    for (a, actor) in sc.parties() {
        let u = sc.utility_of(a).unwrap();
        assert_eq!(u.reservation_source, ReservationSource::StatusQuo);
        let t = u.evaluate(&sc.issues, &today);
        assert_eq!(r.solutions.disagreement[&actor.id], t, "{}", actor.id);
        assert_eq!(
            r.solutions.disagreement_source[&actor.id],
            ReservationSource::StatusQuo
        );
    }
    // Every efficient acceptable deal is at least as good as today for every party.
    for p in &r.pareto {
        for (id, d) in &r.solutions.disagreement {
            assert!(p.utilities[id] >= *d, "{id}: {} < {d}", p.utilities[id]);
        }
    }
    // A given reservation overrides today's outcome and is reported as given.
    let edited = b.toml.replacen(
        "[utilities.iran]\n",
        "[utilities.iran]\nreservation = 0.6\n",
        1,
    );
    let sc = redline_syntax::load(&edited).unwrap().scenario;
    let spec = redline_deal::from_scenario(&sc).unwrap();
    let r = analyze(&spec, &DealParams::default()).unwrap();
    assert_eq!(r.solutions.disagreement["iran"], 0.6);
    assert_eq!(
        r.solutions.disagreement_source["iran"],
        ReservationSource::Given
    );
}

/// A plan names every party that would gain by stopping after an intermediate phase (issue 9,
/// item 3), checked against the definition on every built-in and phase size.
#[test]
fn plans_name_each_incentive_to_stop_early() {
    let mut found = 0;
    for b in redline_scenarios::BUILTINS {
        let sc = redline_syntax::load(b.toml).unwrap().scenario;
        let Ok(spec) = redline_deal::from_scenario(&sc) else {
            continue;
        };
        for k in 1..=4 {
            let mut params = DealParams::default();
            params.plan.max_issues_per_phase = k;
            let r = analyze(&spec, &params).unwrap();
            let Some(last) = r.phases.last() else {
                continue;
            };
            found += 1;
            for (party, &end) in &last.utilities {
                let best = r.phases[..r.phases.len() - 1]
                    .iter()
                    .map(|p| p.utilities[party])
                    .fold(f64::NEG_INFINITY, f64::max);
                let named = r.plan.stop_early.iter().find(|s| &s.party == party);
                assert_eq!(
                    named.is_some(),
                    best > end + 1e-12,
                    "{} k={k} {party}",
                    b.name
                );
                if let Some(s) = named {
                    assert_eq!(s.utility_then, best);
                    assert_eq!(s.utility_at_end, end);
                    assert!(r.plan.message.contains("not self-enforcing"));
                }
            }
        }
    }
    assert!(found > 0);
    // The article's case: without the self-enforcing condition, the 3-issue plan lets Iran gain
    // by stopping after phase 2; with it (the default), a plan of the same length exists in which
    // both sides gain in every phase.
    let sc = redline_syntax::load(redline_scenarios::get("iran-us-2026").unwrap().toml)
        .unwrap()
        .scenario;
    let spec = redline_deal::from_scenario(&sc).unwrap();
    let mut params = DealParams::default();
    params.plan.max_issues_per_phase = 3;
    params.plan.self_enforcing = false;
    let r = analyze(&spec, &params).unwrap();
    assert_eq!(r.plan.stop_early.len(), 1);
    assert_eq!(
        (
            r.plan.stop_early[0].party.as_str(),
            r.plan.stop_early[0].phase
        ),
        ("iran", 2)
    );
    params.plan.self_enforcing = true;
    let se = analyze(&spec, &params).unwrap();
    assert!(se.plan.self_enforcing && se.plan.stop_early.is_empty());
    assert_eq!(se.phases.len(), r.phases.len());
}
