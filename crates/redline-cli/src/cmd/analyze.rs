//! `redline analyze [SCENARIO]`: every lens the scenario supports, as one summary.

use redline_model::{IssueDomain, Preference, RedLineKind, Role, Scenario};
use serde::Serialize;

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    #[command(flatten)]
    format: FormatArg,
}

/// The scenario described in plain terms: who, what they control, what is on the table, and
/// what they will not accept.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub id: String,
    pub name: String,
    pub description: String,
    pub source: Option<String>,
    pub actors: Vec<ActorSummary>,
    pub issues: Vec<IssueSummary>,
    pub red_lines: Vec<ConstraintSummary>,
    pub linkages: Vec<ConstraintSummary>,
    pub sequencing: Vec<String>,
    pub lenses: Vec<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct ActorSummary {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub options: Vec<String>,
    pub preferences: Vec<String>,
    pub reservation: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct IssueSummary {
    pub id: String,
    pub name: String,
    pub values: Vec<String>,
    pub status_quo: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ConstraintSummary {
    pub id: String,
    pub owner: Option<String>,
    pub kind: &'static str,
    pub rule: String,
    pub description: Option<String>,
}

pub fn summarise(sc: &Scenario) -> Summary {
    let mut lenses = Vec::new();
    if sc.stability.is_some() && !sc.options.is_empty() {
        lenses.push("stability");
    }
    if !sc.issues.is_empty() && !sc.utilities.is_empty() {
        lenses.push("deal");
        lenses.push("negotiation");
    }
    if sc
        .forecast
        .as_ref()
        .is_some_and(|f| !f.dimensions.is_empty())
    {
        lenses.push("forecast");
    }
    if !sc.uncertainty.is_empty() {
        lenses.push("robustness");
    }
    let actors = sc
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| ActorSummary {
            id: a.id.clone(),
            name: a.name.clone(),
            role: a.role,
            options: sc
                .options
                .iter()
                .filter(|o| o.owner == i)
                .map(|o| o.name.clone())
                .collect(),
            preferences: sc
                .stability
                .as_ref()
                .and_then(|s| s.preferences.iter().find(|p| p.actor == i))
                .map(|p| match &p.preference {
                    Preference::Statements(st) => st.iter().map(|s| s.text.clone()).collect(),
                    Preference::Ranking(groups) => {
                        vec![format!("explicit ranking of {} tie groups", groups.len())]
                    }
                })
                .unwrap_or_default(),
            reservation: sc.utility_of(i).map(|u| u.reservation),
        })
        .collect();
    let issues = sc
        .issues
        .iter()
        .map(|i| IssueSummary {
            id: i.id.clone(),
            name: i.name.clone(),
            values: match &i.domain {
                IssueDomain::Labels { values, .. } => values.clone(),
                d => vec![d.label(0), d.label(d.len() - 1)],
            },
            status_quo: i.status_quo.map(|v| i.domain.label(v)),
        })
        .collect();
    Summary {
        id: sc.id.clone(),
        name: sc.name.clone(),
        description: sc.description.clone(),
        source: sc.source.clone(),
        actors,
        issues,
        red_lines: sc
            .red_lines
            .iter()
            .map(|r| ConstraintSummary {
                id: r.id.clone(),
                owner: Some(sc.actors[r.owner].id.clone()),
                kind: match r.kind {
                    RedLineKind::RedLine => "red line",
                    RedLineKind::Precondition => "precondition",
                },
                rule: r.text.clone(),
                description: r.description.clone(),
            })
            .collect(),
        linkages: sc
            .linkages
            .iter()
            .map(|l| ConstraintSummary {
                id: l.id.clone(),
                owner: None,
                kind: "linkage",
                rule: l.text.clone(),
                description: l.description.clone(),
            })
            .collect(),
        sequencing: sc
            .sequencing
            .iter()
            .map(|s| {
                format!(
                    "{} moves {} {}",
                    sc.issues[s.first].name,
                    if s.strict {
                        "strictly before"
                    } else {
                        "no later than"
                    },
                    sc.issues[s.then].name
                )
            })
            .collect(),
        lenses,
    }
}

fn render_text(s: &Summary, md: bool) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let h = |level: usize, t: &str| {
        if md {
            format!("{} {t}\n\n", "#".repeat(level))
        } else {
            format!(
                "{t}\n{}\n",
                if level == 1 {
                    "=".repeat(t.chars().count())
                } else {
                    "-".repeat(t.chars().count())
                }
            )
        }
    };
    out.push_str(&h(1, &s.name));
    if !s.description.is_empty() {
        let _ = writeln!(out, "{}\n", s.description);
    }
    if let Some(src) = &s.source {
        let _ = writeln!(out, "Source: {src}\n");
    }
    out.push_str(&h(2, "Actors"));
    for a in &s.actors {
        let role = match a.role {
            Role::Party => "party",
            Role::Mediator => "mediator",
        };
        let _ = writeln!(out, "- {} ({}, {role})", a.name, a.id);
        if !a.options.is_empty() {
            let _ = writeln!(out, "  controls: {}", a.options.join("; "));
        }
        if let Some(r) = a.reservation {
            let _ = writeln!(out, "  walks away below utility {r:.2}");
        }
    }
    out.push('\n');
    if !s.issues.is_empty() {
        out.push_str(&h(2, "Issues on the table"));
        for i in &s.issues {
            let sq = i
                .status_quo
                .as_ref()
                .map(|v| format!(" (today: {v})"))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}: {}{sq}", i.name, i.values.join(" / "));
        }
        out.push('\n');
    }
    if !s.red_lines.is_empty() {
        out.push_str(&h(2, "Red lines and preconditions"));
        for r in &s.red_lines {
            let owner = r.owner.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "- {owner} {}: {}",
                r.kind,
                r.description.as_deref().unwrap_or(&r.rule)
            );
            let _ = writeln!(out, "  rule: {}", r.rule);
        }
        out.push('\n');
    }
    if !s.linkages.is_empty() || !s.sequencing.is_empty() {
        out.push_str(&h(2, "Linkages and sequencing"));
        for l in &s.linkages {
            let _ = writeln!(out, "- {}", l.description.as_deref().unwrap_or(&l.rule));
            let _ = writeln!(out, "  rule: {}", l.rule);
        }
        for q in &s.sequencing {
            let _ = writeln!(out, "- {q}");
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Lenses this scenario supports: {}",
        s.lenses.join(", ")
    );
    out
}

fn headline(md: bool) -> String {
    if md {
        "## Answers\n\n".to_string()
    } else {
        "Answers\n=======\n".to_string()
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "analyze")?;
    let sc = &loaded.scenario;
    let summary = summarise(sc);
    // Lenses contribute sections; each runs when the scenario supports it.
    let deal = if redline_deal::has_deal_view(sc) {
        Some(super::deal::run_lens(sc, 2)?)
    } else {
        None
    };
    match format {
        Format::Json => {
            let mut result = serde_json::json!({ "summary": summary });
            if let Some((params, r)) = &deal {
                result["deal"] = serde_json::json!({ "params": params, "result": r });
            }
            let doc = output::envelope(
                "analyze",
                Some(&sc.id),
                serde_json::json!({ "scenario": source.name }),
                result,
            );
            output::print_json(&doc)?;
        }
        Format::Text | Format::Md => {
            let md = format == Format::Md;
            let mut text = String::new();
            if let Some((_, r)) = &deal {
                text.push_str(&headline(md));
                text.push_str(&format!("- Deal: {}\n", super::deal::verdict(sc, r)));
                if let Some(n) = &r.solutions.nash {
                    let u: Vec<String> = n
                        .utilities
                        .iter()
                        .map(|(k, v)| format!("{k} {v:.2}"))
                        .collect();
                    text.push_str(&format!(
                        "- The Nash bargaining deal gives {}.\n",
                        u.join(", ")
                    ));
                }
                text.push_str(&format!(
                    "- Phased plan (at most 2 issues per phase): {}\n\n",
                    r.plan.message
                ));
            }
            text.push_str(&render_text(&summary, md));
            if let Some((_, r)) = &deal {
                text.push_str(if md {
                    "\n## Deal lens\n\n"
                } else {
                    "\nDeal lens\n=========\n"
                });
                text.push_str(&super::deal::render(sc, r, 5, md));
            }
            output::print_text(&text)?;
        }
    }
    Ok(())
}
