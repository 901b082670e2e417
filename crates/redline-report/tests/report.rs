//! Report sections from real lens results: the answers say what the lenses found, including the
//! bad news (colliding red lines, incompatible preconditions), and the renderers keep their
//! promises (colour only on request, self-contained HTML).

use redline_deal::{DealParams, DealResult};
use redline_model::Scenario;
use redline_report::lens::deal::{DealFacts, DealInput};
use redline_report::{Question, Report, TextOptions, Tone};

const IRAN: &str = "iran-us-2026";

fn scenario(name: &str, edit: impl Fn(&str) -> String) -> Scenario {
    let text = edit(redline_scenarios::get(name).unwrap().toml);
    redline_syntax::load(&text)
        .unwrap_or_else(|d| panic!("{d:?}"))
        .scenario
}

fn deal(sc: &Scenario) -> (DealResult, DealFacts) {
    let spec = redline_deal::from_scenario(sc).unwrap();
    let params = DealParams::default();
    let result = redline_deal::analyze(&spec, &params).unwrap();
    let facts = redline_report::lens::deal::facts(sc, &spec, params.max_outcomes);
    (result, facts)
}

fn report(sc: &Scenario, result: &DealResult, facts: &DealFacts) -> Report {
    let section = redline_report::lens::deal::section(&DealInput {
        scenario: sc,
        result,
        max_issues_per_phase: 2,
        wider: None,
        facts,
    });
    Report {
        title: sc.name.clone(),
        description: sc.description.clone(),
        source: None,
        sections: vec![section],
        notes: vec![],
        generator: "redline test".into(),
    }
}

fn answer(r: &Report, q: Question) -> (Tone, String) {
    let h = r
        .answers()
        .into_iter()
        .find(|h| h.question == q)
        .unwrap_or_else(|| panic!("no answer to {q:?}"));
    (h.tone, h.text.clone())
}

#[test]
fn colliding_red_lines_say_what_collides_and_what_would_have_to_give() {
    // The US now demands a cap or rollback of the missile programme, which Iran rules out.
    let sc = scenario(IRAN, |t| {
        t.replacen(
            "require = \"nonproliferation >= reaffirmed\"",
            "require = 'missile_programme in [\"cap\", \"rollback\"]'",
            1,
        )
    });
    let (result, facts) = deal(&sc);
    assert!(!result.zopa.exists);
    let r = report(&sc, &result, &facts);
    let (tone, text) = answer(&r, Question::Agreement);
    assert_eq!(tone, Tone::No);
    assert!(text.starts_with("No: "), "{text}");
    assert!(text.contains("Iran's red line"), "{text}");
    assert!(text.contains("the United States' red line"), "{text}");
    assert!(text.contains("What would have to give"), "{text}");
    assert!(text.contains("drop "), "{text}");
    let (tone, _) = answer(&r, Question::Path);
    assert_eq!(tone, Tone::No);
}

#[test]
fn incompatible_preconditions_mean_talks_cannot_start() {
    // The US now insists on keeping the pressure up, which Iran's precondition rules out.
    let sc = scenario(IRAN, |t| {
        t.replacen(
            "require = \"ceasefire >= localised & verification >= baseline\"",
            "require = \"pressure_during_talks == maintained\"",
            1,
        )
    });
    let (result, facts) = deal(&sc);
    let pre = facts.preconditions.as_ref().unwrap();
    assert!(!pre.compatible);
    assert_eq!(pre.conflicts.len(), 1);
    let r = report(&sc, &result, &facts);
    let (tone, text) = answer(&r, Question::TalksStart);
    assert_eq!(tone, Tone::No);
    assert!(text.starts_with("No: Iran's precondition"), "{text}");
    assert!(text.contains("cannot hold together"), "{text}");
}

#[test]
fn the_built_in_preconditions_fit_but_do_not_hold_today() {
    let sc = scenario(IRAN, str::to_string);
    let (result, facts) = deal(&sc);
    let pre = facts.preconditions.as_ref().unwrap();
    assert!(pre.compatible);
    assert!(pre.items.iter().all(|i| i.holds_today == Some(false)));
    let opening = pre.opening.as_ref().unwrap();
    assert!(opening.iter().any(|m| m.issue == "pressure_during_talks"));
    // Each change in the opening meets a precondition; nothing else moves.
    assert_eq!(opening.len(), 3);
    let r = report(&sc, &result, &facts);
    let (tone, text) = answer(&r, Question::TalksStart);
    assert_eq!(tone, Tone::Mixed);
    assert!(text.starts_with("Yes, once three issues move."), "{text}");
}

#[test]
fn scenarios_without_preconditions_ask_no_talks_question() {
    let sc = scenario("england-zimbabwe", str::to_string);
    let (result, facts) = deal(&sc);
    assert!(facts.preconditions.is_none());
    let r = report(&sc, &result, &facts);
    assert!(
        r.answers()
            .iter()
            .all(|h| h.question != Question::TalksStart)
    );
    // No status quo: no plan question either.
    assert!(r.answers().iter().all(|h| h.question != Question::Path));
    let cloud = facts.cloud.as_ref().unwrap();
    assert!(!cloud.is_empty() && cloud.len() <= 576);
}

#[test]
fn colour_only_on_request_and_html_is_self_contained() {
    let sc = scenario(IRAN, str::to_string);
    let (result, facts) = deal(&sc);
    let r = report(&sc, &result, &facts);
    let plain = redline_report::render::text::render(&r, &TextOptions::default());
    assert!(!plain.contains('\x1b'));
    let coloured = redline_report::render::text::render(
        &r,
        &TextOptions {
            color: true,
            ..TextOptions::default()
        },
    );
    assert!(coloured.contains("\x1b[1;"));
    let md = redline_report::render::markdown::render(&r);
    assert!(
        md.contains("](#deal-zopa)"),
        "answers link to their evidence"
    );
    let html = redline_report::render::html::render(&r).unwrap();
    assert!(html.contains("id=\"fig-deal-space\""));
    assert!(html.contains("id=\"deal-zopa\""));
    assert!(html.contains("href=\"#deal-zopa\""));
    for banned in ["<link", "src=\"http", "href=\"http", "@import"] {
        assert!(!html.contains(banned), "{banned}");
    }
}
