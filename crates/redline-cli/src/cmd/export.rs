//! `redline export gmcr-py [SCENARIO]` / `redline export genius [SCENARIO] --out-dir DIR`.

use anyhow::Context;
use redline_interop::scenario as convert;

use crate::{Failure, input, output};

#[derive(Debug, clap::Subcommand)]
pub enum Args {
    /// The stability view as a gmcr-py `.gmcr` JSON file, on stdout.
    #[command(name = "gmcr-py")]
    GmcrPy {
        /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
        scenario: Option<String>,
    },
    /// The deal view as a GENIUS domain and one profile per party, written into a folder.
    Genius {
        /// A scenario file (`-` for stdin) or a built-in name; default: iran-us-2026.
        scenario: Option<String>,
        /// The folder to write `<id>_domain.xml` and `<id>_<party>.xml` into.
        #[arg(long)]
        out_dir: String,
    },
}

pub fn run(args: Args) -> Result<(), Failure> {
    match args {
        Args::GmcrPy { scenario } => {
            let source = input::read_source(scenario.as_deref())?;
            let loaded = input::load(&source, output::Format::Text, "export")?;
            let (file, left_out) = convert::to_gmcr_py_with_notes(&loaded.scenario)
                .map_err(|e| Failure::Other(anyhow::anyhow!("export gmcr-py: {e}")))?;
            // JSON data: the writer escapes control characters.
            output::print_rendered(&redline_interop::gmcr_py::write(&file))?;
            if !left_out.is_empty() {
                crate::eline!(
                    "warning: gmcr-py cannot represent, so the export leaves out: {}",
                    left_out.join("; ")
                );
            }
        }
        Args::Genius { scenario, out_dir } => {
            let source = input::read_source(scenario.as_deref())?;
            let loaded = input::load(&source, output::Format::Text, "export")?;
            let sc = &loaded.scenario;
            let export = convert::to_genius(sc)
                .map_err(|e| Failure::Other(anyhow::anyhow!("export genius: {e}")))?;
            std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {out_dir}"))?;
            let domain_path = format!("{out_dir}/{}_domain.xml", sc.id);
            std::fs::write(
                &domain_path,
                redline_interop::genius::write_domain(&export.domain),
            )
            .with_context(|| format!("writing {domain_path}"))?;
            let mut written = vec![domain_path];
            for (party, profile) in &export.profiles {
                let path = format!("{out_dir}/{}_{party}.xml", sc.id);
                std::fs::write(
                    &path,
                    redline_interop::genius::write_profile(&export.domain, profile),
                )
                .with_context(|| format!("writing {path}"))?;
                written.push(path);
            }
            for w in &written {
                crate::eline!("wrote {w}");
            }
            if !export.left_out.is_empty() {
                crate::eline!(
                    "warning: GENIUS cannot represent, so the export leaves out: {}",
                    export.left_out.join("; ")
                );
            }
        }
    }
    Ok(())
}
