//! The gmcr-py `.gmcr` JSON format (GMCR+ / gmcr-py 0.4), read and written as plain data.
//!
//! The format (DESIGN §3):
//!
//! - `options`: `{name, permittedDirection: "both" | "fwd" | "back"}`, in *file order*;
//! - `decisionMakers`: `{name, options: [file indices], preferences: [...], misperceptions:
//!   [...], preferenceRanking?}`;
//! - `infeasibles`: conditions;
//! - `coalitions` (optional): entries that are a DM index or a list of DM indices;
//! - `useManualPreferenceRanking` (optional): use each DM's `preferenceRanking`. gmcr-py's older
//!   save files call these `useManualPreferenceVectors` and `preferenceVector`; both are read.
//!
//! A *condition* is a list of `[optionIndex, "Y" | "N"]` pairs, read as AND; a compound
//! preference `{compound: true, members: [conditions]}` is read as OR. Option indices in
//! conditions refer to file order. Bit order (used for state codes) is DM by DM, in each DM's own
//! option order. A `preferenceRanking` lists 1-based ranks of state codes among the feasible
//! states, best first; an inner list is a tie group.
//!
//! Fields this module does not know are kept in `extra` and written back unchanged.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A whole `.gmcr` file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GmcrPyFile {
    pub options: Vec<GmcrOption>,
    pub decision_makers: Vec<GmcrDm>,
    #[serde(default)]
    pub infeasibles: Vec<Condition>,
    /// `useManualPreferenceRanking`, or in gmcr-py's older files `useManualPreferenceVectors`.
    #[serde(
        default,
        alias = "useManualPreferenceVectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_manual_preference_ranking: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coalitions: Option<Vec<CoalitionEntry>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Fields not described here, kept for round trips.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GmcrOption {
    pub name: String,
    #[serde(default)]
    pub permitted_direction: PermittedDirection,
}

/// Which way an option may change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum PermittedDirection {
    #[default]
    #[serde(rename = "both")]
    Both,
    /// Once taken, it cannot be untaken.
    #[serde(rename = "fwd")]
    Forward,
    /// Once dropped, it cannot be retaken.
    #[serde(rename = "back")]
    Backward,
}

/// One decision maker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GmcrDm {
    pub name: String,
    /// The DM's options, as indices into [`GmcrPyFile::options`], in the DM's own order.
    pub options: Vec<usize>,
    /// Option prioritisation, most important first.
    #[serde(default)]
    pub preferences: Vec<PreferenceEntry>,
    #[serde(default)]
    pub misperceptions: Vec<PreferenceEntry>,
    /// `preferenceRanking`, or in gmcr-py's older files `preferenceVector`.
    #[serde(
        default,
        alias = "preferenceVector",
        skip_serializing_if = "Option::is_none"
    )]
    pub preference_ranking: Option<Vec<RankEntry>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `Y` (taken) or `N` (not taken).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum YesNo {
    #[serde(rename = "Y")]
    Y,
    #[serde(rename = "N")]
    N,
}

impl YesNo {
    pub fn taken(self) -> bool {
        self == YesNo::Y
    }
}

/// A conjunction of `(option index in file order, Y|N)`.
pub type Condition = Vec<(usize, YesNo)>;

/// A preference statement (or misperception): a condition, or a compound (OR of conditions).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PreferenceEntry {
    Condition(Condition),
    Compound(Compound),
}

impl PreferenceEntry {
    /// The conditions this entry is the OR of.
    pub fn conditions(&self) -> &[Condition] {
        match self {
            PreferenceEntry::Condition(c) => std::slice::from_ref(c),
            PreferenceEntry::Compound(c) => &c.members,
        }
    }
}

/// `{compound: true, members: [conditions]}`, read as OR.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Compound {
    pub compound: bool,
    pub members: Vec<Condition>,
}

/// One entry of a `preferenceRanking`: a state number, or a tie group of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RankEntry {
    State(u64),
    Tie(Vec<u64>),
}

impl RankEntry {
    pub fn states(&self) -> &[u64] {
        match self {
            RankEntry::State(s) => std::slice::from_ref(s),
            RankEntry::Tie(v) => v,
        }
    }
}

/// One entry of `coalitions`: a DM index, or a list of them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CoalitionEntry {
    Dm(usize),
    Group(Vec<usize>),
}

impl CoalitionEntry {
    pub fn members(&self) -> &[usize] {
        match self {
            CoalitionEntry::Dm(d) => std::slice::from_ref(d),
            CoalitionEntry::Group(v) => v,
        }
    }
}

/// Why a `.gmcr` file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GmcrPyError {
    #[error("{line}:{column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "decision maker {dm} ({name:?}) lists option {option}, but the file has {options} options"
    )]
    UnknownOption {
        dm: usize,
        name: String,
        option: usize,
        options: usize,
    },
    #[error("{site} refers to option {option}, but the file has {options} options")]
    UnknownConditionOption {
        site: String,
        option: usize,
        options: usize,
    },
    #[error("option {option} ({name:?}) belongs to decision makers {first} and {second}")]
    SharedOption {
        option: usize,
        name: String,
        first: usize,
        second: usize,
    },
    #[error("option {option} ({name:?}) belongs to no decision maker")]
    UnownedOption { option: usize, name: String },
    #[error("coalition entry {entry} names decision maker {dm}, but the file has {dms}")]
    UnknownCoalitionDm { entry: usize, dm: usize, dms: usize },
}

/// Reads a `.gmcr` file and checks that every index it holds points somewhere.
pub fn parse(json: &str) -> Result<GmcrPyFile, GmcrPyError> {
    let file: GmcrPyFile = serde_json::from_str(json).map_err(|e| GmcrPyError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    file.check()?;
    Ok(file)
}

/// Writes a `.gmcr` file the way gmcr-py does (JSON indented by one space).
pub fn write(file: &GmcrPyFile) -> String {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    // Serialising plain data to memory cannot fail: every key is a string.
    if file.serialize(&mut ser).is_err() {
        return String::new();
    }
    String::from_utf8(buf).unwrap_or_default()
}

impl GmcrPyFile {
    /// Checks option, condition and coalition indices, and that every option has exactly one
    /// owner.
    pub fn check(&self) -> Result<(), GmcrPyError> {
        let options = self.options.len();
        let mut owner: Vec<Option<usize>> = vec![None; options];
        for (d, dm) in self.decision_makers.iter().enumerate() {
            for &o in &dm.options {
                if o >= options {
                    return Err(GmcrPyError::UnknownOption {
                        dm: d,
                        name: dm.name.clone(),
                        option: o,
                        options,
                    });
                }
                match owner[o] {
                    Some(first) => {
                        return Err(GmcrPyError::SharedOption {
                            option: o,
                            name: self.options[o].name.clone(),
                            first,
                            second: d,
                        });
                    }
                    None => owner[o] = Some(d),
                }
            }
        }
        if let Some(o) = owner.iter().position(Option::is_none) {
            return Err(GmcrPyError::UnownedOption {
                option: o,
                name: self.options[o].name.clone(),
            });
        }
        let check = |site: &dyn Fn() -> String, c: &Condition| -> Result<(), GmcrPyError> {
            match c.iter().find(|(o, _)| *o >= options) {
                Some(&(option, _)) => Err(GmcrPyError::UnknownConditionOption {
                    site: site(),
                    option,
                    options,
                }),
                None => Ok(()),
            }
        };
        for (k, c) in self.infeasibles.iter().enumerate() {
            check(&|| format!("infeasible condition {k}"), c)?;
        }
        for (d, dm) in self.decision_makers.iter().enumerate() {
            for (k, p) in dm.preferences.iter().enumerate() {
                for c in p.conditions() {
                    check(
                        &|| format!("preference {k} of decision maker {d} ({:?})", dm.name),
                        c,
                    )?;
                }
            }
            for (k, p) in dm.misperceptions.iter().enumerate() {
                for c in p.conditions() {
                    check(
                        &|| format!("misperception {k} of decision maker {d} ({:?})", dm.name),
                        c,
                    )?;
                }
            }
        }
        let dms = self.decision_makers.len();
        for (entry, c) in self.coalitions.iter().flatten().enumerate() {
            if let Some(&dm) = c.members().iter().find(|&&dm| dm >= dms) {
                return Err(GmcrPyError::UnknownCoalitionDm { entry, dm, dms });
            }
        }
        Ok(())
    }

    /// The file index of the option at each bit: DM by DM, in each DM's own option order.
    pub fn bit_order(&self) -> Vec<usize> {
        self.decision_makers
            .iter()
            .flat_map(|dm| dm.options.iter().copied())
            .collect()
    }

    /// Whether explicit rankings are to be used.
    pub fn uses_manual_ranking(&self) -> bool {
        self.use_manual_preference_ranking.unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRISONERS: &str = r#"{
 "options": [{"name": "C1", "permittedDirection": "both"}, {"name": "C2", "permittedDirection": "fwd"}],
 "decisionMakers": [
  {"name": "One", "options": [0], "preferences": [[[1, "Y"]], {"compound": true, "members": [[[0, "N"]], [[1, "N"], [0, "Y"]]]}], "misperceptions": []},
  {"name": "Two", "options": [1], "preferences": [[[0, "Y"]]], "misperceptions": [], "preferenceRanking": [2, [1, 3], 4]}
 ],
 "infeasibles": [[[0, "Y"], [1, "Y"]]],
 "useManualPreferenceRanking": false,
 "coalitions": [0, [1]],
 "program": "gmcr-py",
 "version": "0.4.1",
 "somethingElse": {"kept": true}
}"#;

    #[test]
    fn parses_every_field() {
        let f = parse(PRISONERS).unwrap();
        assert_eq!(f.options.len(), 2);
        assert_eq!(
            f.options[1].permitted_direction,
            PermittedDirection::Forward
        );
        assert_eq!(f.decision_makers[0].preferences.len(), 2);
        assert_eq!(f.decision_makers[0].preferences[1].conditions().len(), 2);
        assert_eq!(
            f.decision_makers[0].preferences[1].conditions()[1],
            vec![(1, YesNo::N), (0, YesNo::Y)]
        );
        assert_eq!(
            f.decision_makers[1].preference_ranking,
            Some(vec![
                RankEntry::State(2),
                RankEntry::Tie(vec![1, 3]),
                RankEntry::State(4)
            ])
        );
        assert_eq!(f.infeasibles, vec![vec![(0, YesNo::Y), (1, YesNo::Y)]]);
        assert_eq!(
            f.coalitions,
            Some(vec![CoalitionEntry::Dm(0), CoalitionEntry::Group(vec![1])])
        );
        assert_eq!(
            f.extra.get("somethingElse"),
            Some(&serde_json::json!({"kept": true}))
        );
        assert_eq!(f.bit_order(), vec![0, 1]);
    }

    #[test]
    fn round_trips_through_the_writer() {
        let f = parse(PRISONERS).unwrap();
        let again = parse(&write(&f)).unwrap();
        assert_eq!(f, again);
        assert!(write(&f).starts_with("{\n \"options\""));
    }

    #[test]
    fn reports_bad_indices_and_bad_json() {
        let bad_option = PRISONERS.replace(r#""options": [1]"#, r#""options": [1, 7]"#);
        assert!(matches!(
            parse(&bad_option),
            Err(GmcrPyError::UnknownOption { option: 7, .. })
        ));
        let shared = PRISONERS.replace(r#""options": [1]"#, r#""options": [1, 0]"#);
        assert!(matches!(
            parse(&shared),
            Err(GmcrPyError::SharedOption { option: 0, .. })
        ));
        let unowned = PRISONERS.replace(r#""options": [1]"#, r#""options": []"#);
        assert!(matches!(
            parse(&unowned),
            Err(GmcrPyError::UnownedOption { option: 1, .. })
        ));
        let bad_cond = PRISONERS.replace(r#"[[[0, "Y"], [1, "Y"]]]"#, r#"[[[0, "Y"], [5, "Y"]]]"#);
        assert!(matches!(
            parse(&bad_cond),
            Err(GmcrPyError::UnknownConditionOption { option: 5, .. })
        ));
        let bad_dir = PRISONERS.replace(r#""fwd""#, r#""sideways""#);
        assert!(matches!(parse(&bad_dir), Err(GmcrPyError::Json { .. })));
        let bad_coalition = PRISONERS.replace(r#"[0, [1]]"#, r#"[0, [1, 2]]"#);
        assert!(matches!(
            parse(&bad_coalition),
            Err(GmcrPyError::UnknownCoalitionDm { dm: 2, .. })
        ));
        match parse("{\n \"options\": 3\n}") {
            Err(GmcrPyError::Json { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }
}
