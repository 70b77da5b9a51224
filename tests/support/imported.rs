//! The definitions `import openapi` makes of the real API documents in
//! `tests/fixtures/openapi/` (sources and licences in its SOURCES.md), for the tests that push
//! every definition through generation: the Rust clients compile (`tests/generated_rust.rs`),
//! the pages build with Jekyll and open in a browser (`tests/support/site.rs`).

use std::path::Path;

use connector_gen::import::{self, Options};

/// Each real document that imports, with the id it is imported as.
pub const REAL_DOCUMENTS: &[(&str, &str)] = &[
    ("docusign-webforms-1.1.0.json", "docusign-webforms"),
    ("datadog-v1-subset.yaml", "datadog"),
    ("adyen-raise-disputes-v4.yaml", "adyen-disputes"),
    ("twilio-bulkexports-v1.yaml", "twilio-bulkexports"),
    ("lob-1.22.0/lob-api-public.yml", "lob"),
];

/// (file name, definition text) of every imported definition.
#[allow(dead_code)]
pub fn imported_definitions() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/openapi");
    REAL_DOCUMENTS
        .iter()
        .map(|(file, id)| {
            let options = Options {
                id: Some((*id).to_owned()),
                output_name: format!("{id}.yaml"),
                tags: Vec::new(),
                paths: Vec::new(),
            };
            let imported = match import::openapi(&root.join(file), &options) {
                Ok(imported) => imported,
                Err(failed) => panic!("{file} does not import: {:#?}", failed.errors),
            };
            (format!("imported/{id}.yaml"), imported.text)
        })
        .collect()
}
