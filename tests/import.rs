//! `connector-gen import openapi`, run as a user runs it, on real public API documents
//! (`tests/fixtures/openapi/`, sources and licences in its SOURCES.md: Swagger 2.0 with OAuth2,
//! OpenAPI 3.0 with server variables, OAuth2, API keys and bearer, OpenAPI 3.1 with `oneOf`,
//! form bodies, a document split over 52 files) and on hand-written cases
//! (`tests/fixtures/openapi-cases/`: cycles across files, every kind of part left out, broken
//! documents). Each imported definition and each run's warnings are snapshots, reviewed;
//! every definition validates as written, and the same document gives the same bytes twice.
//! That the imported definitions generate (Rust that compiles, pages Jekyll builds) is
//! checked by `tests/generated_rust.rs`, `tests/jekyll.rs` and `tests/browser.rs`, which take
//! them through `tests/support/imported.rs`.

use std::path::Path;

use connector_gen::Generator;

#[path = "support/imported.rs"]
mod imported;

#[path = "support/bin.rs"]
mod bin;
use bin::connector_gen;

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8 output")
}

/// Validates a definition as `validate` would, failing with its diagnostics.
fn assert_valid(name: &str, definition: &str) {
    let run = Generator::new().source(name, definition).validate();
    let errors: Vec<_> = run.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "{name} does not validate: {errors:#?}\n{definition}"
    );
}

#[test]
fn real_documents_import_as_definitions_that_validate() {
    for (file, id) in imported::REAL_DOCUMENTS {
        let path = format!("tests/fixtures/openapi/{file}");
        let output = connector_gen(&["import", "openapi", &path, "--id", id]);
        let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
        assert!(output.status.success(), "{file}:\n{stderr}");
        assert_valid(id, &stdout);
        let again = connector_gen(&["import", "openapi", &path, "--id", id]);
        assert_eq!(
            again.stdout, output.stdout,
            "{file}: importing twice gives other bytes"
        );
        assert_eq!(
            again.stderr, output.stderr,
            "{file}: importing twice warns otherwise"
        );
        assert!(
            stdout
                .starts_with("# yaml-language-server: $schema=../schemas/connector.schema.json\n")
        );
        insta::assert_snapshot!(format!("{id}.yaml"), stdout);
        insta::assert_snapshot!(format!("{id}.stderr"), stderr);
    }
}

#[test]
fn hand_written_cases_show_every_rule() {
    // No --id: the id comes from the title ("Acme Tasks").
    let output = connector_gen(&[
        "import",
        "openapi",
        "tests/fixtures/openapi-cases/split/api.yaml",
    ]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stderr}");
    assert!(stdout.contains("\nid: acme-tasks\n"), "{stdout}");
    assert_valid("acme-tasks", &stdout);
    insta::assert_snapshot!("acme-tasks.yaml", stdout);
    insta::assert_snapshot!("acme-tasks.stderr", stderr);
}

#[test]
fn hostile_text_stays_text() {
    // Found by a red-team pass: line breaks YAML honours (`\r`, U+2028) in a version, a
    // description and a server variable, a non-ASCII host, enums with repeats, `<<` and
    // `{{`, empty form bodies on GET and DELETE, a schema that contains itself through
    // `anyOf`, no security at all.
    let output = connector_gen(&[
        "import",
        "openapi",
        "tests/fixtures/openapi-cases/hostile.json",
    ]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stderr}");
    assert_valid("hostile-widgets", &stdout);
    for line in stdout.lines() {
        assert!(
            !line.starts_with("headers:")
                && !line.starts_with("rate_limit:")
                && !line.starts_with("title:"),
            "text of the document became a key: {line}"
        );
    }
    assert!(
        !stdout.contains(['\r', '\u{2028}']),
        "a line break reached the definition"
    );
    insta::assert_snapshot!("hostile-widgets.yaml", stdout);
    insta::assert_snapshot!("hostile-widgets.stderr", stderr);
}

#[test]
fn json_warnings_count_every_review_comment() {
    let output = connector_gen(&[
        "import",
        "openapi",
        "tests/fixtures/openapi-cases/split/api.yaml",
        "--format",
        "json",
    ]);
    assert!(output.status.success());
    let definition = text(&output.stdout);
    let comments = definition.matches("# review: ").count();
    let warnings: Vec<serde_json::Value> = text(&output.stderr)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let reviews = warnings.iter().filter(|w| w["code"] == "W010").count();
    assert_eq!(
        reviews, comments,
        "one W010 warning per `# review:` comment"
    );
    assert!(warnings.iter().any(|w| w["code"] == "W011"));
}

#[test]
fn documents_that_cannot_be_imported_name_the_place() {
    let mut all = String::new();
    for case in [
        "tests/fixtures/openapi-cases/broken-ref.yaml",
        "tests/fixtures/openapi-cases/ref-loop.yaml",
        "tests/fixtures/openapi-cases/not-openapi.yaml",
        "tests/fixtures/openapi-cases/syntax.json",
        "tests/fixtures/openapi/xero-webhooks-16.1.0.yaml",
        "tests/fixtures/openapi-cases/no-such-file.yaml",
        "tests/fixtures/openapi-cases/outside-ref.yaml",
        "tests/fixtures/openapi-cases/broken-file-ref/api.yaml",
    ] {
        let output = connector_gen(&["import", "openapi", case]);
        assert_eq!(output.status.code(), Some(1), "{case}");
        assert!(output.stdout.is_empty(), "{case}: wrote a definition");
        all.push_str(&format!(
            "$ connector-gen import openapi {case}\n{}\n",
            text(&output.stderr)
        ));
    }
    insta::assert_snapshot!("cannot-import", all);
}

#[test]
fn the_output_file_is_written_whole_and_never_replaced_unasked() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-output");
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join("connectors/acme.yaml");
    let file_arg = file.to_str().unwrap();
    let spec = "tests/fixtures/openapi-cases/split/api.yaml";
    let first = connector_gen(&["import", "openapi", spec, "--id", "acme", "-o", file_arg]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert!(first.stdout.is_empty());
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(text(&first.stderr).contains(&format!("wrote {file_arg}")));
    // The file validates where it is, with the shipped command.
    let validate = connector_gen(&["validate", file_arg]);
    assert!(validate.status.success(), "{}", text(&validate.stderr));

    std::fs::write(&file, "mine").unwrap();
    let refused = connector_gen(&["import", "openapi", spec, "-o", file_arg]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");

    let forced = connector_gen(&[
        "import", "openapi", spec, "--id", "acme", "-o", file_arg, "--force",
    ]);
    assert!(forced.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), written);
    let leftovers: Vec<_> = std::fs::read_dir(file.parent().unwrap()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary left beside the output");

    let bad_id = connector_gen(&["import", "openapi", spec, "--id", "Acme"]);
    assert_eq!(bad_id.status.code(), Some(1));
    assert!(text(&bad_id.stderr).contains("not a valid connector id"));
}
