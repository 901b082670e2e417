//! The built-in agents and [`Strategy`], their serialisable description.

mod aspiration;
mod hardliner;
mod random;
mod red_line;
mod time_based;
mod tit_for_tat;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub use aspiration::Aspiration;
pub use hardliner::Hardliner;
pub use random::RandomAgent;
pub use red_line::RedLineAware;
pub use time_based::TimeBased;
pub use tit_for_tat::TitForTat;

use crate::NegotiateError;
use crate::agent::{Agent, AgentFactory};

/// NegMAS's "boulware" aspiration exponent, the default of [`Strategy::Aspiration`].
pub const DEFAULT_ASPIRATION_EXPONENT: f64 = 4.0;
/// The default acceptance probability of [`Strategy::Random`].
pub const DEFAULT_RANDOM_P_ACCEPT: f64 = 0.5;

/// A built-in agent, as data: what the CLI parses and what tournament results name.
///
/// Names (see [`Strategy::parse`]): `boulware` (`e = 0.2`), `linear` (1), `conceder` (2),
/// `time:<e>`, `tit-for-tat`, `aspiration[:<exponent>]`, `hardliner`,
/// `random[:<p_accept>[:<p_end>]]`, and `redline:<agent>` for the red-line-aware wrapper.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Strategy {
    /// [`TimeBased`] concession with exponent `e`.
    TimeBased {
        /// The concession exponent.
        exponent: f64,
    },
    /// [`TitForTat`].
    TitForTat,
    /// [`Aspiration`].
    Aspiration {
        /// The aspiration exponent.
        exponent: f64,
    },
    /// [`Hardliner`].
    Hardliner,
    /// [`RandomAgent`].
    Random {
        /// Probability of accepting a rational offer.
        p_accept: f64,
        /// Probability of ending the negotiation instead of rejecting.
        p_end: f64,
    },
    /// [`RedLineAware`] around another strategy.
    RedLineAware {
        /// The wrapped strategy.
        inner: Box<Strategy>,
    },
}

impl Strategy {
    /// Boulware, `e = 0.2`.
    pub fn boulware() -> Self {
        Strategy::TimeBased { exponent: 0.2 }
    }

    /// Linear, `e = 1`.
    pub fn linear() -> Self {
        Strategy::TimeBased { exponent: 1.0 }
    }

    /// Conceder, `e = 2`.
    pub fn conceder() -> Self {
        Strategy::TimeBased { exponent: 2.0 }
    }

    /// This strategy behind the red-line-aware wrapper.
    pub fn red_line_aware(self) -> Self {
        Strategy::RedLineAware {
            inner: Box::new(self),
        }
    }

    /// Parses a name (case-insensitive); see the type's documentation for the grammar.
    pub fn parse(name: &str) -> Result<Self, NegotiateError> {
        let unknown = || NegotiateError::UnknownAgent {
            name: name.to_string(),
        };
        let lower = name.trim().to_ascii_lowercase();
        let number = |s: &str| s.parse::<f64>().map_err(|_| unknown());
        let strategy = match lower.as_str() {
            "boulware" => Self::boulware(),
            "linear" => Self::linear(),
            "conceder" => Self::conceder(),
            "tit-for-tat" | "titfortat" | "tit_for_tat" | "tft" => Strategy::TitForTat,
            "aspiration" => Strategy::Aspiration {
                exponent: DEFAULT_ASPIRATION_EXPONENT,
            },
            "hardliner" | "hardheaded" => Strategy::Hardliner,
            "random" => Strategy::Random {
                p_accept: DEFAULT_RANDOM_P_ACCEPT,
                p_end: 0.0,
            },
            _ => {
                let (head, rest) = lower.split_once(':').ok_or_else(unknown)?;
                match head {
                    "time" => Strategy::TimeBased {
                        exponent: number(rest)?,
                    },
                    "aspiration" => Strategy::Aspiration {
                        exponent: number(rest)?,
                    },
                    "random" => {
                        let (a, e) = rest.split_once(':').unwrap_or((rest, "0"));
                        Strategy::Random {
                            p_accept: number(a)?,
                            p_end: number(e)?,
                        }
                    }
                    "redline" | "red-line" => {
                        Self::parse(&name.trim()[head.len() + 1..])?.red_line_aware()
                    }
                    _ => return Err(unknown()),
                }
            }
        };
        strategy.validate()?;
        Ok(strategy)
    }

    /// Checks the parameters: finite, exponents non-negative, probabilities in [0, 1].
    pub fn validate(&self) -> Result<(), NegotiateError> {
        let bad = |name: &'static str, reason: String| {
            Err(NegotiateError::InvalidParameter { name, reason })
        };
        match self {
            Strategy::TimeBased { exponent } | Strategy::Aspiration { exponent } => {
                if !(exponent.is_finite() && *exponent >= 0.0) {
                    return bad(
                        "exponent",
                        format!("{exponent} is not a finite number >= 0"),
                    );
                }
            }
            Strategy::Random { p_accept, p_end } => {
                for (name, p) in [("p_accept", p_accept), ("p_end", p_end)] {
                    if !(0.0..=1.0).contains(p) {
                        return bad(name, format!("{p} is not a probability in [0, 1]"));
                    }
                }
            }
            Strategy::RedLineAware { inner } => inner.validate()?,
            Strategy::TitForTat | Strategy::Hardliner => {}
        }
        Ok(())
    }

    /// Builds the agent, seeded with `seed`.
    pub fn agent(&self, seed: u64) -> Box<dyn Agent> {
        match self {
            Strategy::TimeBased { exponent } => Box::new(TimeBased::new(*exponent)),
            Strategy::TitForTat => Box::new(TitForTat::new()),
            Strategy::Aspiration { exponent } => Box::new(Aspiration::new(*exponent)),
            Strategy::Hardliner => Box::new(Hardliner),
            Strategy::Random { p_accept, p_end } => {
                Box::new(RandomAgent::new(seed, *p_accept, *p_end))
            }
            Strategy::RedLineAware { inner } => Box::new(RedLineAware::new(inner.agent(seed))),
        }
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Strategy::TimeBased { exponent } => match *exponent {
                0.2 => f.write_str("boulware"),
                1.0 => f.write_str("linear"),
                2.0 => f.write_str("conceder"),
                e => write!(f, "time:{e}"),
            },
            Strategy::TitForTat => f.write_str("tit-for-tat"),
            Strategy::Aspiration { exponent } if *exponent == DEFAULT_ASPIRATION_EXPONENT => {
                f.write_str("aspiration")
            }
            Strategy::Aspiration { exponent } => write!(f, "aspiration:{exponent}"),
            Strategy::Hardliner => f.write_str("hardliner"),
            Strategy::Random { p_accept, p_end } => {
                if *p_end != 0.0 {
                    write!(f, "random:{p_accept}:{p_end}")
                } else if *p_accept != DEFAULT_RANDOM_P_ACCEPT {
                    write!(f, "random:{p_accept}")
                } else {
                    f.write_str("random")
                }
            }
            Strategy::RedLineAware { inner } => write!(f, "redline:{inner}"),
        }
    }
}

impl FromStr for Strategy {
    type Err = NegotiateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AgentFactory for Strategy {
    fn name(&self) -> String {
        self.to_string()
    }

    fn build(&self, seed: u64) -> Box<dyn Agent> {
        self.agent(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "boulware",
            "linear",
            "conceder",
            "time:0.5",
            "tit-for-tat",
            "aspiration",
            "aspiration:0.25",
            "hardliner",
            "random",
            "random:0.3",
            "random:0.3:0.1",
            "redline:boulware",
            "redline:redline:random:0.2",
        ] {
            let s = Strategy::parse(name).unwrap();
            assert_eq!(s.to_string(), name);
            assert_eq!(Strategy::parse(&s.to_string()).unwrap(), s);
        }
        assert_eq!(Strategy::parse("TFT").unwrap(), Strategy::TitForTat);
    }

    #[test]
    fn bad_names_and_parameters_are_errors() {
        for name in [
            "", "boulwar", "time:", "time:x", "time:-1", "random:2", "redline:",
        ] {
            assert!(Strategy::parse(name).is_err(), "{name}");
        }
        assert!(
            Strategy::TimeBased { exponent: f64::NAN }
                .validate()
                .is_err()
        );
    }
}
