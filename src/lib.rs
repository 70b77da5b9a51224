//! connector-gen: one YAML definition of a SaaS connector in, a Cyclr connector JSON, a
//! docs-site page and a Rust client out.
//!
//! The pipeline reads off the module list:
//! [`load`] (YAML with source positions) -> [`validate`] (schema, then semantic checks) ->
//! [`model`] (everything resolved for output) -> [`render`] (one template per target) ->
//! [`write`] (all or nothing, or a drift check), with [`diagnostics`] beside them and
//! [`pipeline`] running the whole.
//!
//! The library does everything the command line does; a `build.rs` script or a test can run
//! the pipeline and get diagnostics back as values:
//!
//! ```
//! use connector_gen::{Generator, Target};
//!
//! let run = Generator::new().input("connectors").generate();
//! assert!(!run.has_errors());
//! let invenias = run.connectors.iter().find(|c| c.id == "invenias").unwrap();
//! let json = run
//!     .files
//!     .iter()
//!     .find(|file| file.path == Target::CyclrJson.output_path(invenias))
//!     .unwrap();
//! assert!(json.contents.contains(r#""OAuth2Type": "PasswordCredentials""#));
//! ```

pub mod catalogue;
pub mod cli;
pub mod definition;
pub mod diagnostics;
pub mod diff;
pub mod fieldpath;
pub mod import;
mod input;
pub mod load;
pub mod markdown;
pub mod model;
pub mod naming;
pub mod parallel;
pub mod pattern;
pub mod pipeline;
pub mod placeholder;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod synth;
pub mod validate;
pub mod write;

pub use pipeline::{BuildError, BuildOutput, Generator, Run};
pub use render::Target;
