//! connector-gen: one YAML definition of a SaaS connector in, a Cyclr connector JSON, a
//! docs-site page and a Rust client out.
//!
//! The pipeline reads off the module list:
//! [`load`] (YAML with source positions) -> [`validate`] (schema, then semantic checks) ->
//! [`model`] (everything resolved for output) -> [`render`] (one template per target) ->
//! [`write`] (all or nothing, or a drift check), with [`diagnostics`] beside them and
//! [`pipeline`] running the whole.

pub mod cli;
pub mod definition;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod naming;
pub mod pattern;
pub mod pipeline;
pub mod placeholder;
pub mod render;
pub mod validate;
pub mod write;

pub use pipeline::{Generator, Run};
pub use render::Target;
