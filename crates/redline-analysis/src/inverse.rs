//! `inverse`: what would make a state an equilibrium: the smallest changes to the stated
//! priorities, and (on small conflicts) every ranking that would do it.

use redline_gmcr::{Concept, InverseQuery, Model, PriorityChanges, PriorityEdit};
use redline_model::{Preference, Scenario};
use serde::{Serialize, Serializer};

use crate::Error;
use crate::stability::StateSpec;

/// What `inverse` asks.
#[derive(Debug, Clone)]
pub struct InverseParams {
    pub state: StateSpec,
    pub concept: Concept,
    /// The most edits (swaps of adjacent statements, drops of statements) to search.
    pub max_edits: usize,
    /// The most minimal changes to list.
    pub max_solutions: usize,
}

/// Rankings under which the state is an equilibrium (small conflicts only).
#[derive(Debug, Serialize)]
pub struct Rankings {
    /// The number of combinations of strict rankings, as a string (it may exceed 2^53).
    #[serde(serialize_with = "as_string")]
    pub count: u128,
    pub per_dm: Option<Vec<u64>>,
    pub closest: Option<redline_gmcr::Closest>,
}

fn as_string<S: Serializer>(x: &u128, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(x)
}

#[derive(Debug, Serialize)]
pub struct EditOut {
    pub dm: String,
    pub kind: &'static str,
    pub statements: Vec<String>,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct InverseOut {
    pub state: String,
    pub concept: Concept,
    pub already_equilibrium: bool,
    /// The fewest edits that make the state an equilibrium, if any within `max_edits`.
    pub edits: Option<usize>,
    pub changes: Vec<Vec<EditOut>>,
    pub checked: usize,
    /// On conflicts with at most 20 feasible states: the number of combinations of strict
    /// rankings under which the state is an equilibrium.
    pub rankings: Option<Rankings>,
    pub note: Option<String>,
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

/// Runs the inverse analysis.
pub fn inverse(sc: &Scenario, p: &InverseParams) -> Result<InverseOut, Error> {
    if !redline_gmcr::has_stability_view(sc) {
        return Err(crate::stability::no_view(sc));
    }
    let code = p.state.resolve(sc).map_err(|e| e.in_flag("--state"))?;
    let (spec, order) =
        redline_gmcr::from_scenario(sc).map_err(|e| Error::Failed(format!("inverse: {e}")))?;
    let model = Model::new(&spec).map_err(|e| Error::Failed(format!("inverse: {e}")))?;
    let pattern = redline_gmcr::pattern(code, order.len());
    if model.index_of(code).is_none() {
        return Err(Error::bad(
            format!("state {pattern} is not feasible in `{}`", sc.id),
            None,
        ));
    }
    let changes =
        redline_gmcr::priority_changes(&spec, code, p.concept, p.max_edits, p.max_solutions)
            .map_err(|e| Error::Failed(format!("inverse: {e}")))?;
    let dms = sc.decision_makers();
    let described = describe(sc, &dms, &changes);
    let (rankings, note) = if model.num_states() <= redline_gmcr::MAX_INVERSE_STATES {
        let query = InverseQuery {
            state: code,
            concept: p.concept,
            ranges: vec![Vec::new(); dms.len()],
            max_solutions: 0,
        };
        match redline_gmcr::inverse(&model, &query) {
            Ok(r) => (
                Some(Rankings {
                    count: r.count,
                    per_dm: r.per_dm,
                    closest: r.closest,
                }),
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
    Ok(InverseOut {
        state: pattern,
        concept: p.concept,
        already_equilibrium: changes.edits == Some(0),
        edits: changes.edits,
        changes: described,
        checked: changes.checked,
        rankings,
        note,
    })
}
