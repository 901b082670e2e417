//! `redline deal [SCENARIO]`: ZOPA, frontier, solutions and phased plan.

use std::fmt::Write;

use redline_analysis::deal::{DealAnalysis, DealCommandParams};
use redline_deal::{Change, DealResult, PlanStatus, Solution};
use redline_model::Scenario;

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    /// The most issues one phase of the plan may change.
    #[arg(long, default_value_t = 2)]
    max_issues_per_phase: usize,
    /// How many frontier points to show in text output (JSON always has all).
    #[arg(long, default_value_t = 10)]
    show: usize,
    #[command(flatten)]
    format: FormatArg,
}

/// Runs the deal lens through the front door, with this process's limits.
pub fn run_lens(sc: &Scenario, max_issues_per_phase: usize) -> Result<DealAnalysis, Failure> {
    let control = redline_analysis::Control {
        limits: crate::limits::analysis_limits(),
        ..Default::default()
    };
    redline_analysis::deal::deal(
        sc,
        &DealCommandParams {
            max_issues_per_phase,
        },
        &control,
    )
    .map_err(crate::analysis_error)
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "deal")?;
    let sc = &loaded.scenario;
    let a = run_lens(sc, args.max_issues_per_phase)?;
    let wider = a.wider.as_ref().map(|(k, _)| *k);
    match format {
        Format::Json => output::print_json(&output::envelope(
            "deal",
            Some(&sc.id),
            &a.params,
            &a.output(),
        ))?,
        Format::Text => output::print_text(&render(sc, &a.result, args.show, wider, false))?,
        Format::Md => output::print_markdown(&render(sc, &a.result, args.show, wider, true))?,
    }
    Ok(())
}

fn utilities(u: &indexmap::IndexMap<String, f64>) -> String {
    u.iter()
        .map(|(k, v)| format!("{k} {v:.3}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn outcome(sc: &Scenario, o: &indexmap::IndexMap<String, String>) -> String {
    o.iter()
        .map(|(issue, value)| {
            let name = sc
                .issues
                .iter()
                .find(|i| &i.id == issue)
                .map_or(issue.as_str(), |i| i.name.as_str());
            format!("{name}: {value}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The verdict in one sentence, first.
pub fn verdict(sc: &Scenario, r: &DealResult) -> String {
    if r.zopa.exists {
        format!(
            "{} of {} possible agreements are acceptable to every party ({}).",
            r.zopa.size,
            r.outcome_count,
            sc.parties()
                .map(|(_, a)| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        let first = r.zopa.conflicts.first().map(|c| {
            c.constraints
                .iter()
                .map(|k| format!("`{}`", k.label))
                .collect::<Vec<_>>()
                .join(" and ")
        });
        match first {
            Some(c) => format!("No agreement is acceptable to every party: {c} cannot all hold."),
            None => "No agreement is acceptable to every party.".to_string(),
        }
    }
}

pub fn render(
    sc: &Scenario,
    r: &DealResult,
    show: usize,
    wider: Option<usize>,
    md: bool,
) -> String {
    let mut s = String::new();
    let h = |t: &str| {
        if md {
            format!("## {t}\n\n")
        } else {
            format!("{t}\n{}\n", "-".repeat(t.chars().count()))
        }
    };
    let _ = writeln!(s, "{}\n", verdict(sc, r));
    if !r.zopa.exists {
        s.push_str(&h("Why there is no agreement"));
        for (i, c) in r.zopa.conflicts.iter().enumerate() {
            let parts: Vec<String> = c
                .constraints
                .iter()
                .map(|k| match &k.party {
                    Some(p) => format!("{p}'s {}", k.label),
                    None => k.label.clone(),
                })
                .collect();
            let _ = writeln!(
                s,
                "{}. these cannot hold together: {}",
                i + 1,
                parts.join(" + ")
            );
        }
        if !r.zopa.relaxations.is_empty() {
            let _ = writeln!(s, "\nWhat would open a ZOPA:");
            for rel in &r.zopa.relaxations {
                let _ = writeln!(s, "- {}", rel.text);
                for c in &rel.changes {
                    if let Change::LowerReservation { party, by, to } = c {
                        let _ = writeln!(s, "  ({party}: reservation down by {by:.3} to {to:.3})");
                    }
                }
            }
        }
        if let Some(n) = &r.zopa.note {
            let _ = writeln!(s, "\nNote: {n}");
        }
        s.push('\n');
    }
    if !r.pareto.is_empty() {
        s.push_str(&h(&format!(
            "Efficient agreements (Pareto frontier of the ZOPA: {} points)",
            r.pareto.len()
        )));
        for p in r.pareto.iter().take(show) {
            let _ = writeln!(
                s,
                "- [{}] {}",
                utilities(&p.utilities),
                outcome(sc, &p.outcome)
            );
        }
        if r.pareto.len() > show {
            let _ = writeln!(
                s,
                "… {} more (use --show or --format json)",
                r.pareto.len() - show
            );
        }
        s.push('\n');
    }
    let sol = &r.solutions;
    let any = [
        &sol.nash,
        &sol.kalai_smorodinsky,
        &sol.egalitarian,
        &sol.utilitarian,
    ]
    .iter()
    .any(|x| x.is_some());
    if any {
        s.push_str(&h("Fair and efficient deals"));
        let points: Vec<String> = sol
            .disagreement
            .iter()
            .map(|(id, v)| {
                let from = sol
                    .disagreement_source
                    .get(id)
                    .map_or("", |src| src.short());
                format!("{id} {v:.3} ({from})")
            })
            .collect();
        let _ = writeln!(
            s,
            "Disagreement point (what each party has without a deal): {}",
            points.join(", ")
        );
        for (name, x) in [
            ("Nash bargaining", &sol.nash),
            ("Kalai–Smorodinsky", &sol.kalai_smorodinsky),
            ("Egalitarian", &sol.egalitarian),
            ("Utilitarian", &sol.utilitarian),
        ] {
            if let Some(Solution {
                outcome: o,
                utilities: u,
                ..
            }) = x
            {
                let _ = writeln!(s, "- {name}: [{}]\n  {}", utilities(u), outcome(sc, o));
            }
        }
        s.push('\n');
    }
    s.push_str(&h("Phased plan from the status quo"));
    match r.plan.status {
        PlanStatus::Found => {
            for p in &r.phases {
                let changes: Vec<String> = p
                    .changes
                    .iter()
                    .map(|c| format!("{}: {} → {}", c.issue, c.from, c.to))
                    .collect();
                let _ = writeln!(s, "Phase {}: {}", p.number, changes.join("; "));
                if !p.gives.is_empty() {
                    let _ = writeln!(s, "  gives: {}", p.gives.join(", "));
                }
                if !p.gets.is_empty() {
                    let _ = writeln!(s, "  gets: {}", p.gets.join(", "));
                }
                if !p.verify.is_empty() {
                    let _ = writeln!(
                        s,
                        "  verified before the next phase: {}",
                        p.verify.join(", ")
                    );
                }
                let _ = writeln!(
                    s,
                    "  utilities after: {} (least gain over today {:+.3})",
                    utilities(&p.utilities),
                    p.margin
                );
            }
            let _ = writeln!(s, "{}.", r.plan.message);
        }
        _ => {
            let _ = writeln!(s, "{}", r.plan.message);
            for b in &r.plan.blockers {
                let _ = writeln!(
                    s,
                    "- blocked by {} `{}`: {}{}",
                    b.kind,
                    b.id,
                    b.label,
                    if b.unblocks {
                        " (dropping it alone would unblock)"
                    } else {
                        ""
                    }
                );
            }
            if let Some(k) = wider {
                let _ = writeln!(
                    s,
                    "The smallest phase size that gives a plan is {k} issues per phase (--max-issues-per-phase {k})."
                );
            }
        }
    }
    s
}
