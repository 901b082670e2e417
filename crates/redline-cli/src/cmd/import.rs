//! `redline import gmcr-py FILE.gmcr` / `redline import genius DOMAIN.xml PROFILE.xml...`:
//! write a scenario TOML to stdout.

use std::path::Path;

use anyhow::Context;
use redline_interop::scenario as convert;

use crate::Failure;
use crate::output;

#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// A gmcr-py (GMCR+) `.gmcr` file. Option and decision-maker names are kept as they were.
    #[command(name = "gmcr-py")]
    GmcrPy {
        file: String,
        /// The scenario id (default: from the file name).
        #[arg(long)]
        id: Option<String>,
        /// The scenario name (default: the file name).
        #[arg(long)]
        name: Option<String>,
    },
    /// A GENIUS domain XML and one additive profile XML per party.
    Genius {
        domain: String,
        #[arg(required = true)]
        profiles: Vec<String>,
        /// The parties' names, comma-separated (default: the profile file names).
        #[arg(long, value_delimiter = ',')]
        names: Vec<String>,
        /// The grid step for real issues.
        #[arg(long, default_value_t = 0.1)]
        step: f64,
        /// The scenario id (default: from the domain file name).
        #[arg(long)]
        id: Option<String>,
    },
}

fn read(path: &str) -> Result<String, Failure> {
    crate::limits::read_text_file(Path::new(path))
}

fn stem(path: &str) -> String {
    Path::new(path)
        .file_stem()
        .map_or_else(|| path.to_string(), |s| s.to_string_lossy().into_owned())
}

fn bad(path: &str, e: impl std::fmt::Display) -> Failure {
    crate::eline!("{path}: error: {e}");
    Failure::BadInput
}

/// A GENIUS error at FILE:LINE:COL when it has a place.
fn bad_genius(path: &str, e: redline_interop::genius::GeniusError) -> Failure {
    match e {
        redline_interop::genius::GeniusError::Invalid {
            line,
            col,
            element,
            message,
        } => {
            crate::eline!("{path}:{line}:{col}: error: <{element}>: {message}");
            Failure::BadInput
        }
        other => bad(path, other),
    }
}

/// A gmcr-py error at FILE:LINE:COL when it has a place.
fn bad_gmcr_py(path: &str, e: redline_interop::gmcr_py::GmcrPyError) -> Failure {
    match e {
        redline_interop::gmcr_py::GmcrPyError::Json {
            line,
            column,
            message,
        } => {
            crate::eline!("{path}:{line}:{column}: error: {message}");
            Failure::BadInput
        }
        other => bad(path, other),
    }
}

pub fn run(args: Args) -> Result<(), Failure> {
    let source = match &args {
        Args::GmcrPy { file, .. } => file.clone(),
        Args::Genius { domain, .. } => domain.clone(),
    };
    let scenario = match args {
        Args::GmcrPy { file, id, name } => {
            let text = read(&file)?;
            let parsed =
                redline_interop::gmcr_py::parse(&text).map_err(|e| bad_gmcr_py(&file, e))?;
            let id = id.unwrap_or_else(|| convert::slug(&stem(&file), &[]));
            let name = name.unwrap_or_else(|| stem(&file));
            let (sc, notes) =
                convert::from_gmcr_py_with_notes(&parsed, &id, &name).map_err(|e| bad(&file, e))?;
            // The import never yields less than the file without saying so.
            for n in notes {
                crate::eline!("{file}: warning: {n}");
            }
            sc
        }
        Args::Genius {
            domain,
            profiles,
            names,
            step,
            id,
        } => {
            let text = read(&domain)?;
            let d =
                redline_interop::genius::parse_domain(&text).map_err(|e| bad_genius(&domain, e))?;
            let mut ps = Vec::new();
            for p in &profiles {
                let t = read(p)?;
                ps.push(
                    redline_interop::genius::parse_profile(&t, &d).map_err(|e| bad_genius(p, e))?,
                );
            }
            let stems: Vec<String> = profiles.iter().map(|p| stem(p)).collect();
            let (base, derived) = convert::genius_names(&stem(&domain), &stems);
            let names = if names.is_empty() { derived } else { names };
            if names.len() != profiles.len() {
                crate::eline!(
                    "error: {} names for {} profiles",
                    names.len(),
                    profiles.len()
                );
                return Err(Failure::BadInput);
            }
            let id = id.unwrap_or_else(|| convert::slug(&base, &[]));
            convert::from_genius(&d, &ps, &names, &id, step).map_err(|e| bad(&domain, e))?
        }
    };
    let toml = redline_syntax::to_toml(&scenario);
    // What we write must load. When it does not, the cause is in the source (64 options, every
    // state infeasible, …): report it against the source file, not the generated text the user
    // never sees.
    if let Err(diags) = redline_syntax::load(&toml) {
        for d in diags.iter().filter(|d| d.is_error()) {
            crate::eline!(
                "{source}: error: the converted scenario cannot be loaded: {}",
                d.message
            );
        }
        return Err(Failure::BadInput);
    }
    // TOML data: the writer escapes control and bidi characters in strings.
    output::print_rendered(&toml).context("writing the scenario")?;
    Ok(())
}
