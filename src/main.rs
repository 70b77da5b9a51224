//! The `connector-gen` command; everything it does lives in the library's `cli` module.

use std::process::ExitCode;

use clap::Parser;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    connector_gen::cli::run(&connector_gen::cli::Cli::parse())
}
