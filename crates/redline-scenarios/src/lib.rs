//! The built-in scenarios, embedded in the binary as TOML text.
//!
//! They are text, not models, so that `redline show NAME` prints exactly what a user would copy
//! and edit, and so that every built-in goes through the same loader as a user's file.

/// A built-in scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Builtin {
    pub name: &'static str,
    pub title: &'static str,
    pub toml: &'static str,
}

/// The default scenario, analysed when a command is given none.
pub const DEFAULT: &str = "iran-us-2026";

macro_rules! builtin {
    ($name:literal, $title:literal) => {
        Builtin {
            name: $name,
            title: $title,
            toml: include_str!(concat!("../scenarios/", $name, ".toml")),
        }
    };
}

/// Every built-in scenario, the default first.
pub const BUILTINS: &[Builtin] = &[
    builtin!(
        "iran-us-2026",
        "Iran–US talks under red lines, Turkey mediating (2026)"
    ),
    // Classic GMCR cases, transcribed from the gmcr-py models in data/reference/gmcr.
    builtin!("prisoners", "Prisoner's dilemma (graph model)"),
    builtin!("syria-iraq", "Syria–Iraq dispute over the Euphrates (1975)"),
    builtin!("cuban-missile-crisis", "Cuban missile crisis (1962)"),
    builtin!("elmira", "Elmira groundwater contamination (1989)"),
    // Classic GENIUS domains, transcribed from data/domains/genius.
    builtin!("england-zimbabwe", "England–Zimbabwe (GENIUS domain)"),
    builtin!("grocery", "Grocery: Sam and Mary (GENIUS domain)"),
    builtin!("itex-cypress", "Itex vs Cypress (GENIUS domain)"),
    builtin!("laptop", "Laptop: buyer and seller (GENIUS domain)"),
];

/// Finds a built-in scenario by name.
pub fn get(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}
