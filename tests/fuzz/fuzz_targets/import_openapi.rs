//! Arbitrary bytes as an OpenAPI document, through `import openapi`: read, `$ref`s resolved,
//! mapped, written, validated. Nothing may panic or hang; an import that succeeds must give
//! a definition that validates as written and twice the same bytes.

#![no_main]

use std::sync::atomic::{AtomicUsize, Ordering};

use connector_gen::Generator;
use connector_gen::import::{self, Options};
use libfuzzer_sys::fuzz_target;

static NEXT: AtomicUsize = AtomicUsize::new(0);

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("connector-gen-fuzz-import-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(format!("api-{}.json", NEXT.fetch_add(1, Ordering::Relaxed) % 4));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let options = Options {
        id: Some("fuzz".to_owned()),
        output_name: "fuzz.yaml".to_owned(),
        tags: Vec::new(),
        paths: Vec::new(),
    };
    let first = import::openapi(&path, &options);
    if let Ok(imported) = &first {
        let run = Generator::new().source("fuzz.yaml", imported.text.clone()).validate();
        assert!(!run.has_errors(), "an import that does not validate:\n{}", imported.text);
        let again = import::openapi(&path, &options).ok().map(|i| i.text);
        assert_eq!(again.as_deref(), Some(imported.text.as_str()), "two imports differ");
    }
});
