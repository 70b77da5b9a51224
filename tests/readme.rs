//! `docs/errors.md` documents every diagnostic code, so nobody meets a code it does not explain.

use connector_gen::diagnostics::Code;

#[test]
fn every_code_is_listed_in_the_readme() {
    let readme = include_str!("../docs/errors.md");
    let missing: Vec<&str> = Code::ALL
        .iter()
        .map(|code| code.as_str())
        .filter(|code| !readme.contains(&format!("| {code} |")))
        .collect();
    assert!(
        missing.is_empty(),
        "codes missing from the table in docs/errors.md: {missing:?}"
    );
}
