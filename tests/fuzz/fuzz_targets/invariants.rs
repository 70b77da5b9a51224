// What every run must satisfy, whatever its input. Included by each fuzz target.

use connector_gen::cli::{Format, render_diagnostics};

/// Renders the run's diagnostics in every format, and panics when the run breaks an output
/// invariant.
pub fn check(run: &connector_gen::Run) {
    for format in [Format::Human, Format::Json, Format::Github] {
        let _ = render_diagnostics(&run.diagnostics, &run.sources, format, false);
    }
    if run.has_errors() {
        assert!(run.files.is_empty(), "an invalid run rendered files");
        return;
    }
    // Three outputs per connector, and the Rust runtime once.
    assert_eq!(run.files.len(), 3 * run.connectors.len() + 1);
    for file in &run.files {
        let path = file.path.to_string_lossy();
        assert!(!path.contains(".."), "output path leaves --out: {path}");
        if path.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&file.contents).expect("Cyclr JSON parses");
        }
        if path.ends_with(".md") {
            // Jekyll runs Liquid on the body only; front matter values are data.
            let body_start = file.contents[3..].find("\n---\n").map_or(0, |i| i + 8);
            for (at, _) in file.contents[body_start..].match_indices("{{") {
                let at = body_start + at;
                let before = &file.contents[..at];
                assert!(
                    before.rfind("{% raw %}") > before.rfind("{% endraw %}"),
                    "Liquid would run: {}",
                    &file.contents[at..]
                );
            }
        }
    }
}
