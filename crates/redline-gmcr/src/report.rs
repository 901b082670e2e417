//! A readable, serialisable view of a [`Stability`]: one entry per state.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::analysis::Stability;
use crate::concept::{Concept, ConceptSet};
use crate::model::Model;
use crate::spec::Direction;

/// An option as reported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionInfo {
    pub name: String,
    pub dm: usize,
    pub bit: usize,
    pub direction: Direction,
}

/// Stability flags per concept; concepts that were not computed read `false`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConceptFlags {
    pub nash: bool,
    pub gmr: bool,
    pub smr: bool,
    pub seq: bool,
    pub sim: bool,
    pub seqsim: bool,
}

impl From<ConceptSet> for ConceptFlags {
    fn from(s: ConceptSet) -> Self {
        ConceptFlags {
            nash: s.contains(Concept::Nash),
            gmr: s.contains(Concept::Gmr),
            smr: s.contains(Concept::Smr),
            seq: s.contains(Concept::Seq),
            sim: s.contains(Concept::Sim),
            seqsim: s.contains(Concept::SeqSim),
        }
    }
}

/// One feasible state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateReport {
    /// The state's index: its 0-based rank among the feasible codes.
    pub index: usize,
    pub code: u64,
    /// Y/N per option in bit order.
    pub pattern: String,
    /// The bits (option indices) taken.
    pub taken: Vec<usize>,
    /// Per DM, 1 the worst.
    pub payoff: Vec<u32>,
    /// Per DM.
    pub stable: Vec<ConceptFlags>,
    pub equilibrium: ConceptFlags,
}

/// The whole analysis, state by state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StabilityReport {
    pub dms: Vec<String>,
    pub options: Vec<OptionInfo>,
    pub concepts: Vec<Concept>,
    pub states: Vec<StateReport>,
    /// The codes of the equilibria under each computed concept.
    pub equilibria: BTreeMap<Concept, Vec<u64>>,
}

/// Builds the per-state report. Its size is linear in the number of states times DMs; for very
/// large models, read [`Stability`] directly instead.
pub fn report(model: &Model, stability: &Stability) -> StabilityReport {
    let spec = model.spec();
    let states = (0..model.num_states())
        .map(|s| StateReport {
            index: s,
            code: model.code(s),
            pattern: model.pattern(s),
            taken: model.taken(s),
            payoff: (0..model.num_dms()).map(|d| model.payoff(d, s)).collect(),
            stable: stability.stable.iter().map(|st| st[s].into()).collect(),
            equilibrium: stability.equilibrium_set(s).into(),
        })
        .collect();
    StabilityReport {
        dms: spec.dms.iter().map(|d| d.name.clone()).collect(),
        options: spec
            .options
            .iter()
            .enumerate()
            .map(|(bit, o)| OptionInfo {
                name: o.name.clone(),
                dm: o.dm,
                bit,
                direction: o.direction,
            })
            .collect(),
        concepts: stability.concepts.iter().collect(),
        states,
        equilibria: stability
            .concepts
            .iter()
            .map(|c| {
                (
                    c,
                    stability
                        .equilibria(c)
                        .into_iter()
                        .map(|s| model.code(s))
                        .collect(),
                )
            })
            .collect(),
    }
}
