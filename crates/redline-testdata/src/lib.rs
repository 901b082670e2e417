//! The reference data that tests, benches and examples check against, vendored in the
//! repository's `data/` folder (see `data/README.md` for each source and its licence).
//!
//! Everything in the workspace reads reference files through this crate, so no test depends on
//! anything outside the repository. Paths are relative to `data/`, for example
//! `reference/gmcr/prisoners.gmcr` or `domains/genius/Laptop/laptop_domain.xml`.
//!
//! This is test support: it is a dev-dependency only, and it panics with the file's path when a
//! file cannot be read, which is what a test wants.

use std::path::PathBuf;

/// The `data/` folder at the repository root.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data");

/// The path of a file or folder under `data/`, as a `&'static str` known at compile time, for
/// `const` items: `data!("reference/gmcr/")`.
///
/// It expands in the calling crate, so it relies on the workspace's flat layout: every crate
/// lives directly under `crates/`, two levels below the repository root (ARCHITECTURE.md).
/// This crate's own test checks that the layout holds for it.
#[macro_export]
macro_rules! data {
    ($rel:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/", $rel)
    };
}

/// The absolute path of a file or folder under `data/`.
pub fn path(rel: &str) -> PathBuf {
    PathBuf::from(ROOT).join(rel)
}

/// The absolute path of a file or folder under `data/`, as a string (for command lines).
pub fn path_str(rel: &str) -> String {
    path(rel).to_string_lossy().into_owned()
}

/// The text of a file under `data/`.
///
/// # Panics
///
/// When the file cannot be read; the message names the path.
pub fn read(rel: &str) -> String {
    let p = path(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_vendored_data_is_there() {
        for rel in [
            "README.md",
            "reference/gmcr/prisoners.gmcr",
            "reference/negotiation/Laptop.expected.json",
            "reference/forecast/README.md",
            "domains/genius/Laptop/laptop_domain.xml",
        ] {
            assert!(super::path(rel).is_file(), "data/{rel} is missing");
        }
        assert!(std::path::Path::new(crate::data!("reference/gmcr/prisoners.gmcr")).is_file());
    }
}
