//! Solution concepts and sets of them.

use serde::{Deserialize, Serialize};

/// A stability concept of the graph model (DESIGN §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Concept {
    #[serde(rename = "nash")]
    Nash,
    #[serde(rename = "gmr")]
    Gmr,
    #[serde(rename = "smr")]
    Smr,
    #[serde(rename = "seq")]
    Seq,
    #[serde(rename = "sim")]
    Sim,
    #[serde(rename = "seqsim")]
    SeqSim,
}

impl Concept {
    /// The six concepts, in their canonical order.
    pub const ALL: [Concept; 6] = [
        Concept::Nash,
        Concept::Gmr,
        Concept::Smr,
        Concept::Seq,
        Concept::Sim,
        Concept::SeqSim,
    ];

    /// The short name used in files and on the command line: `nash`, `gmr`, `smr`, `seq`,
    /// `sim`, `seqsim`.
    pub fn name(self) -> &'static str {
        match self {
            Concept::Nash => "nash",
            Concept::Gmr => "gmr",
            Concept::Smr => "smr",
            Concept::Seq => "seq",
            Concept::Sim => "sim",
            Concept::SeqSim => "seqsim",
        }
    }

    /// Parses a short name (case-insensitive; `seq+sim` and `r` are accepted too).
    pub fn from_name(name: &str) -> Option<Concept> {
        match name.to_ascii_lowercase().as_str() {
            "nash" | "r" => Some(Concept::Nash),
            "gmr" => Some(Concept::Gmr),
            "smr" => Some(Concept::Smr),
            "seq" => Some(Concept::Seq),
            "sim" => Some(Concept::Sim),
            "seqsim" | "seq+sim" | "seq_sim" => Some(Concept::SeqSim),
            _ => None,
        }
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

impl std::fmt::Display for Concept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of concepts, stored as one byte.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConceptSet(u8);

impl ConceptSet {
    pub const EMPTY: ConceptSet = ConceptSet(0);
    pub const ALL: ConceptSet = ConceptSet(0b11_1111);

    pub fn of(concepts: &[Concept]) -> ConceptSet {
        concepts.iter().fold(ConceptSet::EMPTY, |s, &c| s.with(c))
    }

    #[inline]
    pub fn contains(self, c: Concept) -> bool {
        self.0 & c.bit() != 0
    }

    #[inline]
    pub fn with(self, c: Concept) -> ConceptSet {
        ConceptSet(self.0 | c.bit())
    }

    #[inline]
    pub fn set(&mut self, c: Concept, on: bool) {
        if on {
            self.0 |= c.bit();
        } else {
            self.0 &= !c.bit();
        }
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersect(self, other: ConceptSet) -> ConceptSet {
        ConceptSet(self.0 & other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = Concept> {
        Concept::ALL.into_iter().filter(move |&c| self.contains(c))
    }

    /// The set with these raw bits (bit k for `Concept::ALL[k]`; higher bits are dropped).
    pub const fn from_bits(bits: u8) -> ConceptSet {
        ConceptSet(bits & Self::ALL.0)
    }

    /// The raw bits (bit k for `Concept::ALL[k]`).
    pub fn bits(self) -> u8 {
        self.0
    }
}

impl std::fmt::Debug for ConceptSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl FromIterator<Concept> for ConceptSet {
    fn from_iter<T: IntoIterator<Item = Concept>>(iter: T) -> Self {
        iter.into_iter().fold(ConceptSet::EMPTY, |s, c| s.with(c))
    }
}
