//! Snapshot tests: every output of every shipped connector and valid fixture, and the exact
//! diagnostics of every broken fixture. Review changes with `cargo insta review`; with
//! `CI=true` a mismatch fails and nothing is written.

use std::path::Path;

use connector_gen::Generator;
use connector_gen::cli::{Format, render_diagnostics};
use connector_gen::render::RUNTIME_SOURCE;

/// The path of a file below the crate, relative to it, as diagnostics and headers show it.
fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .expect("fixtures live in the crate")
}

fn assert_outputs(path: &Path) {
    let run = Generator::new().input(relative(path)).generate();
    let diagnostics = render_diagnostics(&run.diagnostics, &run.sources, Format::Human, false);
    assert!(!run.has_errors(), "{diagnostics}");
    // Three outputs of the connector's own, and the runtime its Rust module calls into,
    // which is the runtime crate's source as it is.
    assert_eq!(run.files.len(), 4);
    for file in &run.files {
        if file.path == Path::new("rust/runtime.rs") {
            assert_eq!(file.contents, RUNTIME_SOURCE);
            continue;
        }
        let name = file.path.to_string_lossy().replace(['/', '\\'], "__");
        insta::assert_snapshot!(name, file.contents);
    }
}

#[test]
fn shipped_connectors() {
    insta::glob!("../connectors", "*.yaml", assert_outputs);
}

#[test]
fn valid_fixtures() {
    insta::glob!("fixtures/valid/*.yaml", assert_outputs);
}

#[test]
fn diagnostics_of_broken_definitions() {
    insta::glob!("fixtures/invalid/*.yaml", |path| {
        let run = Generator::new().input(relative(path)).generate();
        let text = render_diagnostics(&run.diagnostics, &run.sources, Format::Human, false);
        let errors = run.diagnostics.iter().filter(|d| d.is_error()).count();
        // A broken definition renders nothing; a definition with only warnings renders all.
        assert_eq!(run.files.is_empty(), errors > 0, "{text}");
        insta::assert_snapshot!(text);
    });
}

#[test]
fn diagnostics_of_an_oversized_definition() {
    // Ten megabytes of an otherwise plausible definition: refused before parsing.
    let mut text = String::from("id: huge\ndescription: |\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("  Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n");
    }
    let run = Generator::new()
        .source("connectors/huge.yaml", text)
        .validate();
    let output = render_diagnostics(&run.diagnostics, &run.sources, Format::Human, false);
    insta::assert_snapshot!(output);
}
