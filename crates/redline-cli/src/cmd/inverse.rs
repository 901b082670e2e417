//! `redline inverse [SCENARIO] --state STATE --concept C`: what would make a state an
//! equilibrium — the smallest changes to the stated priorities, and (on small conflicts) every
//! ranking that would do it.

use std::fmt::Write;

use redline_gmcr::{Concept, InverseQuery, Model, PriorityChanges, PriorityEdit};
use redline_model::{Preference, Scenario};
use serde::Serialize;

use crate::input;
use crate::output::{self, Format};
use crate::{Failure, FormatArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
    scenario: Option<String>,
    /// The desired state: option ids joined by `+`, a Y/N pattern in bit order, or `none`.
    #[arg(long)]
    state: String,
    /// The solution concept: nash, gmr, smr, seq, sim or seqsim.
    #[arg(long, default_value = "nash")]
    concept: String,
    /// The most edits (swaps of adjacent statements, drops of statements) to search.
    #[arg(long, default_value_t = 3)]
    max_edits: usize,
    /// The most minimal changes to list.
    #[arg(long, default_value_t = 5)]
    max_solutions: usize,
    #[command(flatten)]
    format: FormatArg,
}

#[derive(Debug, Serialize)]
struct EditOut {
    dm: String,
    kind: &'static str,
    statements: Vec<String>,
    text: String,
}

#[derive(Debug, Serialize)]
struct InverseOut {
    state: String,
    concept: Concept,
    already_equilibrium: bool,
    /// The fewest edits that make the state an equilibrium, if any within `max_edits`.
    edits: Option<usize>,
    changes: Vec<Vec<EditOut>>,
    checked: usize,
    /// On conflicts with at most 20 feasible states: the number of combinations of strict
    /// rankings under which the state is an equilibrium.
    rankings: Option<serde_json::Value>,
    note: Option<String>,
}

fn statement_text(sc: &Scenario, dm_actor: usize, at: usize) -> String {
    sc.stability
        .as_ref()
        .and_then(|v| v.preferences.iter().find(|p| p.actor == dm_actor))
        .and_then(|p| match &p.preference {
            Preference::Statements(st) => st.get(at).map(|s| s.text.clone()),
            Preference::Ranking(_) => None,
        })
        .unwrap_or_else(|| format!("statement {}", at + 1))
}

/// Applies the edits in order to per-DM orders of original statement indices, describing each.
fn describe(sc: &Scenario, dms: &[usize], changes: &PriorityChanges) -> Vec<Vec<EditOut>> {
    changes
        .changes
        .iter()
        .map(|change| {
            let mut orders: Vec<Vec<usize>> = dms
                .iter()
                .map(|&a| {
                    let n = sc
                        .stability
                        .as_ref()
                        .and_then(|v| v.preferences.iter().find(|p| p.actor == a))
                        .map_or(0, |p| match &p.preference {
                            Preference::Statements(st) => st.len(),
                            Preference::Ranking(_) => 0,
                        });
                    (0..n).collect()
                })
                .collect();
            change
                .edits
                .iter()
                .map(|e| match *e {
                    PriorityEdit::Swap { dm, at } => {
                        let (a, b) = (orders[dm][at], orders[dm][at + 1]);
                        orders[dm].swap(at, at + 1);
                        let (ta, tb) = (
                            statement_text(sc, dms[dm], a),
                            statement_text(sc, dms[dm], b),
                        );
                        EditOut {
                            dm: sc.actors[dms[dm]].id.clone(),
                            kind: "swap",
                            text: format!("{} puts `{tb}` above `{ta}`", sc.actors[dms[dm]].name),
                            statements: vec![ta, tb],
                        }
                    }
                    PriorityEdit::Drop { dm, at } => {
                        let a = orders[dm].remove(at);
                        let t = statement_text(sc, dms[dm], a);
                        EditOut {
                            dm: sc.actors[dms[dm]].id.clone(),
                            kind: "drop",
                            text: format!("{} stops caring about `{t}`", sc.actors[dms[dm]].name),
                            statements: vec![t],
                        }
                    }
                })
                .collect()
        })
        .collect()
}

pub fn run(args: Args) -> Result<(), Failure> {
    let format = args.format.format;
    let concept =
        redline_analysis::stability::parse_concept(&args.concept).map_err(crate::analysis_error)?;
    let source = input::read_source(args.scenario.as_deref())?;
    let loaded = input::load(&source, format, "inverse")?;
    let sc = &loaded.scenario;
    if !redline_gmcr::has_stability_view(sc) {
        return Err(Failure::Other(anyhow::anyhow!(
            "scenario `{}` has no stability view",
            sc.id
        )));
    }
    let code = args
        .state
        .parse::<redline_analysis::stability::StateSpec>()
        .and_then(|s| s.resolve(sc))
        .map_err(|e| crate::analysis_error(e.in_flag("--state")))?;
    let (spec, order) = redline_gmcr::from_scenario(sc)
        .map_err(|e| Failure::Other(anyhow::anyhow!("inverse: {e}")))?;
    let model = Model::new(&spec).map_err(|e| Failure::Other(anyhow::anyhow!("inverse: {e}")))?;
    let pattern = redline_gmcr::pattern(code, order.len());
    if model.index_of(code).is_none() {
        crate::eline!("error: state {pattern} is not feasible in `{}`", sc.id);
        return Err(Failure::BadInput);
    }
    let changes =
        redline_gmcr::priority_changes(&spec, code, concept, args.max_edits, args.max_solutions)
            .map_err(|e| Failure::Other(anyhow::anyhow!("inverse: {e}")))?;
    let dms = sc.decision_makers();
    let described = describe(sc, &dms, &changes);
    let (rankings, note) = if model.num_states() <= redline_gmcr::MAX_INVERSE_STATES {
        let query = InverseQuery {
            state: code,
            concept,
            ranges: vec![Vec::new(); dms.len()],
            max_solutions: 0,
        };
        match redline_gmcr::inverse(&model, &query) {
            Ok(r) => (
                Some(
                    serde_json::json!({ "count": r.count.to_string(), "per_dm": r.per_dm, "closest": r.closest }),
                ),
                None,
            ),
            Err(e) => (None, Some(format!("rankings not enumerated: {e}"))),
        }
    } else {
        (
            None,
            Some(format!(
                "rankings are enumerated only for conflicts with at most {} feasible states",
                redline_gmcr::MAX_INVERSE_STATES
            )),
        )
    };
    let out = InverseOut {
        state: pattern.clone(),
        concept,
        already_equilibrium: changes.edits == Some(0),
        edits: changes.edits,
        changes: described,
        checked: changes.checked,
        rankings,
        note,
    };
    match format {
        Format::Json => {
            let params = serde_json::json!({ "state": args.state, "concept": concept, "max_edits": args.max_edits });
            output::print_json(&output::envelope("inverse", Some(&sc.id), params, &out))?;
        }
        Format::Text | Format::Md => {
            let mut s = String::new();
            let _ = writeln!(s, "Desired state {pattern} under {}:", concept.name());
            match out.edits {
                Some(0) => {
                    let _ = writeln!(s, "It already is an equilibrium; nothing has to change.");
                }
                Some(k) => {
                    let _ = writeln!(
                        s,
                        "The smallest change to the stated priorities that makes it an equilibrium takes {k} edit(s):"
                    );
                    for (i, c) in out.changes.iter().enumerate() {
                        let _ = writeln!(
                            s,
                            "{}. {}",
                            i + 1,
                            c.iter()
                                .map(|e| e.text.clone())
                                .collect::<Vec<_>>()
                                .join("; then ")
                        );
                    }
                }
                None => {
                    let _ = writeln!(
                        s,
                        "No change of at most {} edit(s) (swapping adjacent statements or dropping one) makes it an equilibrium.",
                        args.max_edits
                    );
                }
            }
            if let Some(r) = &out.rankings {
                let _ = writeln!(
                    s,
                    "Strict rankings under which it is an equilibrium: {}",
                    r["count"].as_str().unwrap_or("?")
                );
            }
            if let Some(n) = &out.note {
                let _ = writeln!(s, "Note: {n}");
            }
            output::print_as(format, &s)?;
        }
    }
    Ok(())
}
