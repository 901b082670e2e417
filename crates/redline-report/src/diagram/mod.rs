//! Diagrams drawn as inline SVG by our own code: no plotting library, no fonts or scripts from
//! elsewhere. Each module takes plain data (built by [`crate::lens`]) and returns an `<svg>`.

pub mod graph;
pub mod pareto;
pub mod stability_table;
pub mod svg;
pub mod timeline;
pub mod traces;
