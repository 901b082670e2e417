//! Lowering a gmcr-py file ([`redline_interop::gmcr_py::GmcrPyFile`]) into a [`ConflictSpec`].

use redline_interop::gmcr_py::{Condition, GmcrPyFile, PermittedDirection, PreferenceEntry};

use crate::formula::Compiled;
use crate::model::{MAX_STATES, enumerate};
use crate::spec::{ConflictSpec, Direction, DmSpec, Formula, OptionSpec, Preference, SpecError};

/// Why a gmcr-py file cannot be lowered into a conflict.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] redline_interop::gmcr_py::GmcrPyError),
    #[error(
        "the ranking of decision maker {dm} ({name:?}) lists state number {number}, but there \
         are only {states} feasible states (numbers are 1-based)"
    )]
    RankingNumber {
        dm: usize,
        name: String,
        number: u64,
        states: usize,
    },
    #[error(transparent)]
    Spec(#[from] SpecError),
}

/// Lowers a gmcr-py file: options in bit order (DM by DM, each DM's own order), conditions and
/// compounds as formulas over bits, and — when `useManualPreferenceRanking` is set and a DM has a
/// `preferenceRanking` — rankings with gmcr-py's state numbers turned into state codes. Options
/// keep their names; the DM of each option is its owner in the file.
pub fn from_gmcr_py(file: &GmcrPyFile) -> Result<ConflictSpec, ImportError> {
    file.check()?;
    let order = file.bit_order();
    let mut bit_of = vec![0usize; file.options.len()];
    for (bit, &o) in order.iter().enumerate() {
        bit_of[o] = bit;
    }
    let mut options = Vec::with_capacity(order.len());
    for (d, dm) in file.decision_makers.iter().enumerate() {
        for &o in &dm.options {
            let opt = &file.options[o];
            options.push(OptionSpec {
                name: opt.name.clone(),
                dm: d,
                direction: match opt.permitted_direction {
                    PermittedDirection::Both => Direction::Both,
                    PermittedDirection::Forward => Direction::Forward,
                    PermittedDirection::Backward => Direction::Backward,
                },
            });
        }
    }
    let cond = |c: &Condition| {
        Formula::cube(
            &c.iter()
                .map(|&(o, yn)| (bit_of[o], yn.taken()))
                .collect::<Vec<_>>(),
        )
    };
    let entry = |e: &PreferenceEntry| match e {
        PreferenceEntry::Condition(c) => cond(c),
        PreferenceEntry::Compound(c) => Formula::Or(c.members.iter().map(cond).collect()),
    };
    let infeasible: Vec<Formula> = file.infeasibles.iter().map(cond).collect();
    let manual = file.uses_manual_ranking();
    let mut feasible: Option<Vec<u64>> = None;
    let mut dms = Vec::with_capacity(file.decision_makers.len());
    for (d, dm) in file.decision_makers.iter().enumerate() {
        let preference = match (&dm.preference_ranking, manual) {
            (Some(ranking), true) => {
                if feasible.is_none() {
                    if options.len() > crate::spec::MAX_OPTIONS {
                        return Err(SpecError::TooManyOptions {
                            count: options.len(),
                        }
                        .into());
                    }
                    let compiled: Vec<Compiled> = infeasible.iter().map(Compiled::new).collect();
                    feasible = Some(enumerate(options.len(), &compiled, MAX_STATES)?);
                }
                let codes = feasible.as_deref().unwrap_or(&[]);
                let mut groups = Vec::with_capacity(ranking.len());
                for e in ranking {
                    let mut group = Vec::with_capacity(e.states().len());
                    for &number in e.states() {
                        let code = number
                            .checked_sub(1)
                            .and_then(|k| codes.get(usize::try_from(k).ok()?))
                            .ok_or_else(|| ImportError::RankingNumber {
                                dm: d,
                                name: dm.name.clone(),
                                number,
                                states: codes.len(),
                            })?;
                        group.push(*code);
                    }
                    groups.push(group);
                }
                Preference::Ranking(groups)
            }
            _ => Preference::Statements(dm.preferences.iter().map(entry).collect()),
        };
        dms.push(DmSpec {
            name: dm.name.clone(),
            preference,
            misperceived: dm.misperceptions.iter().map(entry).collect(),
        });
    }
    let coalitions = file
        .coalitions
        .iter()
        .flatten()
        .map(|c| c.members().to_vec())
        .filter(|m| m.len() > 1)
        .collect();
    Ok(ConflictSpec {
        options,
        dms,
        infeasible,
        coalitions,
        status_quo: None,
    })
}
