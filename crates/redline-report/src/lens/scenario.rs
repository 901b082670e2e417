//! The scenario itself, in plain terms: who, what they control, what is on the table and what
//! they will not accept. Its [`Summary`] is also `result.summary` of `redline analyze --format
//! json`.

use redline_model::{IssueDomain, Preference, RedLineKind, Role, Scenario};
use serde::Serialize;

use crate::model::{Block, Evidence, Section};

/// The scenario described in plain terms.
#[derive(Debug, Clone, Serialize)]
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

/// An actor.
#[derive(Debug, Clone, Serialize)]
pub struct ActorSummary {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub options: Vec<String>,
    pub preferences: Vec<String>,
    pub reservation: Option<f64>,
}

/// An issue.
#[derive(Debug, Clone, Serialize)]
pub struct IssueSummary {
    pub id: String,
    pub name: String,
    pub values: Vec<String>,
    pub status_quo: Option<String>,
}

/// A red line, precondition or linkage.
#[derive(Debug, Clone, Serialize)]
pub struct ConstraintSummary {
    pub id: String,
    pub owner: Option<String>,
    pub kind: &'static str,
    pub rule: String,
    pub description: Option<String>,
}

/// Describes a scenario.
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

/// The scenario as a report section (no headlines: it is the context for the others).
pub fn section(sc: &Scenario, s: &Summary) -> Section {
    let name_of = |id: &str| {
        sc.actor_index(id)
            .map_or(id.to_string(), |a| sc.actors[a].name.clone())
    };
    let mut evidence = Vec::new();
    let actors = s
        .actors
        .iter()
        .map(|a| {
            let role = match a.role {
                Role::Party => "party",
                Role::Mediator => "mediator",
            };
            let mut item = format!("{} ({role})", a.name);
            if !a.options.is_empty() {
                item.push_str(&format!("\ncontrols: {}", a.options.join("; ")));
            }
            if let Some(r) = a.reservation {
                item.push_str(&format!("\nwalks away below utility {r:.2}"));
            }
            item
        })
        .collect();
    evidence.push(Evidence {
        id: "scenario-actors".into(),
        title: "Actors".into(),
        blocks: vec![Block::list(actors)],
    });
    if !s.issues.is_empty() {
        let items = s
            .issues
            .iter()
            .map(|i| {
                let sq = i
                    .status_quo
                    .as_ref()
                    .map(|v| format!(" (today: {v})"))
                    .unwrap_or_default();
                format!("{}: {}{sq}", i.name, i.values.join(" / "))
            })
            .collect();
        evidence.push(Evidence {
            id: "scenario-issues".into(),
            title: "Issues on the table".into(),
            blocks: vec![Block::list(items)],
        });
    }
    if !s.red_lines.is_empty() {
        let items = s
            .red_lines
            .iter()
            .map(|r| {
                let owner = r.owner.as_deref().map(name_of).unwrap_or_default();
                format!(
                    "{owner} {}: {}\nrule: `{}`",
                    r.kind,
                    r.description.as_deref().unwrap_or(&r.rule),
                    r.rule
                )
            })
            .collect();
        evidence.push(Evidence {
            id: "scenario-red-lines".into(),
            title: "Red lines and preconditions".into(),
            blocks: vec![Block::list(items)],
        });
    }
    if !s.linkages.is_empty() || !s.sequencing.is_empty() {
        let mut items: Vec<String> = s
            .linkages
            .iter()
            .map(|l| {
                format!(
                    "{}\nrule: `{}`",
                    l.description.as_deref().unwrap_or(&l.rule),
                    l.rule
                )
            })
            .collect();
        items.extend(s.sequencing.iter().cloned());
        evidence.push(Evidence {
            id: "scenario-linkages".into(),
            title: "Linkages and sequencing".into(),
            blocks: vec![Block::list(items)],
        });
    }
    if let Some(b) = &sc.breakdown {
        let rounds = 100;
        let stay = b.survival(rounds);
        let escalation: Vec<String> = b
            .utilities
            .iter()
            .map(|(a, u)| {
                format!(
                    "{} {}",
                    crate::words::name_in_sentence(&sc.actors[*a].name),
                    crate::words::util(*u)
                )
            })
            .collect();
        evidence.push(Evidence {
            id: "scenario-breakdown".into(),
            title: "Breakdown risk".into(),
            blocks: vec![Block::para(format!(
                "Each round of talks without agreement carries a {} risk that {}; the escalation would leave {}. So no agreement loses value over time: after {rounds} rounds without agreement, it is worth {} of what today's outcome gives each party and {} of the escalation's utility. {}",
                crate::words::percent(b.per_round),
                b.text,
                crate::words::and_list(&escalation),
                crate::words::percent(stay),
                crate::words::percent(1.0 - stay),
                b.description.as_deref().unwrap_or_default()
            )
            .trim_end()
            .to_string())],
        });
    }
    evidence.push(Evidence {
        id: "scenario-lenses".into(),
        title: "Lenses".into(),
        blocks: vec![Block::para(format!(
            "Lenses this scenario supports: {}.",
            s.lenses.join(", ")
        ))],
    });
    Section {
        id: "scenario".into(),
        lens: "scenario".into(),
        title: "The scenario as modelled".into(),
        intro: None,
        headlines: vec![],
        evidence,
    }
}
