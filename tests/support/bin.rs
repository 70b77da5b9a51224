//! The connector-gen binary run as a user runs it, for the command-line tests (`cli.rs`,
//! `diff.rs`, `import.rs`): in the crate root or a given directory, `NO_COLOR` cleared so that
//! colour follows `--color` alone.

use std::path::Path;
use std::process::{Command, Output};

/// Runs connector-gen with `args` in `dir` (the crate root when `None`).
#[allow(dead_code)]
pub fn connector_gen_in(dir: Option<&Path>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(args)
        .current_dir(dir.unwrap_or(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs")
}

/// Runs connector-gen with `args` in the crate root.
#[allow(dead_code)]
pub fn connector_gen(args: &[&str]) -> Output {
    connector_gen_in(None, args)
}
