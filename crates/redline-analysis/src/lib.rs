//! The front door: what each `redline` command does, as a library.
//!
//! The CLI, the HTTP server and the Python bindings all call these functions, so that no
//! analysis lives in any of them. Each command is one function that takes a loaded scenario,
//! typed parameters and a [`Control`] (progress callback, cancellation, limits) and returns a
//! typed result whose serde form **is** the documented JSON `result` of the command.
//!
//! Names that users type (states, concepts, coalitions) parse through [`std::str::FromStr`] or a
//! `resolve` against the scenario, with typed [`Error`]s. Errors say whether the input was bad
//! ([`Error::BadInput`], exit 2 in the CLI), the work too large for the limits
//! ([`Error::TooLarge`], refused before starting, exit 1), or the analysis failed
//! ([`Error::Failed`], exit 1).
//!
//! The crate does no I/O: the caller reads files, measures the machine (the memory budget comes
//! in through [`Limits`]) and writes output.
//!
//! Moved here so far: `analyze` (every lens, [`analyze::analyze`]), `stability`, `inverse`,
//! `deal`, `negotiate`, `tournament` and `merge` (the shard format). Still outside (issue 10):
//! `check` (the loader's), the report's own analysis (preconditions, the opening package, in
//! `redline-report`), and the CLI's text renderers of `deal`, `stability` and `negotiate`.
//!
//! ```
//! use redline_analysis::{Control, stability::{StabilityParams, stability}};
//!
//! let text = redline_scenarios::get("prisoners").unwrap().toml;
//! let scenario = redline_syntax::load(text).unwrap().scenario;
//! let result = stability(&scenario, &StabilityParams::default(), &Control::default()).unwrap();
//! // The options are "cooperate": neither cooperating (NN) is the only Nash equilibrium.
//! assert_eq!(result.equilibria[&redline_gmcr::Concept::Nash], vec!["NN"]);
//! ```

pub mod analyze;
pub mod deal;
pub mod inverse;
pub mod negotiation;
pub mod stability;
pub mod tournament;

use std::sync::atomic::{AtomicBool, Ordering};

/// How much the caller lets one analysis use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Limits {
    /// The memory the analysis may plan to use, in bytes (`None`: unknown, no check). Work whose
    /// estimate exceeds it is refused before it starts with [`Error::TooLarge`].
    pub memory_bytes: Option<u64>,
}

/// What long work reports: which task, how far along.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub task: Task,
    pub done: u64,
    pub total: u64,
}

/// The long-running tasks that report [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Task {
    /// Stability of every state (steps over states × DMs × concepts).
    Stability { states: usize },
    /// Coalitional stability (states searched).
    Coalitions { states: usize },
    /// A tournament (negotiations done).
    Tournament,
    /// `analyze` starts a lens.
    Lens(analyze::Lens),
}

/// Progress, cancellation and limits for one call.
#[derive(Default)]
pub struct Control<'a> {
    /// Called from any thread as work advances.
    pub progress: Option<&'a (dyn Fn(Progress) + Sync)>,
    /// Set to stop: checked between the stages of an analysis (the engines do not yet check it
    /// inside a stage), which then returns [`Error::Cancelled`].
    pub cancel: Option<&'a AtomicBool>,
    pub limits: Limits,
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel)
            .field("limits", &self.limits)
            .finish()
    }
}

impl Control<'_> {
    fn report(&self, p: Progress) {
        if let Some(f) = self.progress {
            f(p);
        }
    }

    fn check_cancel(&self) -> Result<(), Error> {
        match self.cancel {
            Some(c) if c.load(Ordering::Relaxed) => Err(Error::Cancelled),
            _ => Ok(()),
        }
    }

    /// Refuses work whose estimated peak memory exceeds the budget.
    fn check_memory(&self, what: String, estimate: u64, hint: &str) -> Result<(), Error> {
        match self.limits.memory_bytes {
            Some(budget) if estimate > budget => Err(Error::TooLarge {
                what,
                estimate,
                budget,
                hint: hint.to_string(),
            }),
            _ => Ok(()),
        }
    }
}

/// Why an analysis did not give a result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is bad: an argument names something the scenario does not have, or asks for
    /// something undefined. `path` is the scenario element concerned, when there is one
    /// (`status_quo`), for the caller to resolve to FILE:LINE:COL.
    #[error("{message}")]
    BadInput {
        message: String,
        hint: Option<String>,
        path: Option<String>,
    },
    /// The work would need more memory than [`Limits::memory_bytes`]; refused before starting.
    #[error(
        "{what} needs about {} MiB, more than the {} MiB this process can use; refused before starting",
        estimate.div_ceil(1 << 20),
        budget >> 20
    )]
    TooLarge {
        what: String,
        estimate: u64,
        budget: u64,
        hint: String,
    },
    /// The analysis could not be carried out.
    #[error("{0}")]
    Failed(String),
    /// [`Control::cancel`] was set.
    #[error("cancelled")]
    Cancelled,
}

impl Error {
    fn bad(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::BadInput {
            message: message.into(),
            hint,
            path: None,
        }
    }

    /// Whether the CLI should exit 2 (bad input) rather than 1.
    pub fn is_bad_input(&self) -> bool {
        matches!(self, Error::BadInput { .. })
    }
}

impl Error {
    /// Prefixes a bad-input message with the parameter or flag it concerns (`--status-quo: …`).
    pub fn in_flag(self, param: &str) -> Self {
        match self {
            Error::BadInput {
                message,
                hint,
                path,
            } => Error::BadInput {
                message: format!("{param}: {message}"),
                hint,
                path,
            },
            e => e,
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    /// A built-in scenario, loaded.
    pub fn builtin(name: &str) -> redline_model::Scenario {
        redline_syntax::load(redline_scenarios::get(name).unwrap().toml)
            .unwrap()
            .scenario
    }
}
