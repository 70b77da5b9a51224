//! Inputs the fuzzers (tests/fuzz) once crashed on, fed to the pipeline the way the fuzz
//! target feeds them. Each must now produce diagnostics or valid output, never a panic.

use std::fs;
use std::path::Path;

use connector_gen::Generator;
use connector_gen::cli::{Format, render_diagnostics};

#[test]
fn former_fuzzer_crashes_are_handled() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut count = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let run = Generator::new()
            .source(path.display().to_string(), text)
            .generate();
        for format in [Format::Human, Format::Json, Format::Github] {
            render_diagnostics(&run.diagnostics, &run.sources, format, false);
        }
        assert!(
            run.has_errors() || !run.files.is_empty(),
            "{path:?}: neither output nor error"
        );
        count += 1;
    }
    assert!(count > 0, "no regression inputs found");
}
