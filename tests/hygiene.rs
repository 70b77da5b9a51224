//! Hygiene of the generated Rust: a method parameter can be named anything the vendor
//! calls it, so the generated methods bind only names that parameters are kept from
//! (`model::rust::METHOD_SCOPE_NAMES`, which parameters named alike are renamed away from).
//! `tests/fixtures/valid/acme-hygiene.yaml` names its parameters after every one of them, and
//! `tests/clients/fixtures.rs` checks that its requests carry the right values.

use connector_gen::Generator;
use connector_gen::model::rust::METHOD_SCOPE_NAMES;

/// Locals of generated functions that take no user-named parameter: `Client::new` (`value`),
/// the token request (`grant`) and the authorisation URL (`scope`).
const OUTSIDE_METHODS: &[&str] = &["value", "grant", "scope"];

#[test]
fn generated_code_binds_only_names_that_parameters_are_kept_from() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = Generator::new()
        .input(format!("{root}/connectors"))
        .input(format!("{root}/tests/fixtures/valid"))
        .target(connector_gen::Target::RustClient)
        .generate();
    assert!(!run.has_errors());
    let mut bound = std::collections::BTreeSet::new();
    for file in &run.files {
        let path = file.path.to_string_lossy();
        if !path.starts_with("rust/") || path.ends_with("runtime.rs") {
            continue;
        }
        for line in file.contents.lines() {
            let line = line.trim_start();
            if line.starts_with("///") || line.starts_with("//") {
                continue;
            }
            // `let x`, `let mut x`, `if let Some(x)` and closure parameters `|x, y|`.
            for (i, _) in line.match_indices("let ") {
                if i > 0 && !line[..i].ends_with("if ") {
                    continue;
                }
                let rest = &line[i + 4..];
                let rest = rest.strip_prefix("mut ").unwrap_or(rest);
                let rest = rest.strip_prefix("Some(").unwrap_or(rest);
                let name = ident_at(rest);
                // `if let Some(x) = x {`: an optional parameter, checked as itself.
                if !line.ends_with(&format!("= {name} {{")) {
                    bound.insert(name);
                }
            }
            if let Some((_, rest)) = line.split_once("move |") {
                let params = rest.split('|').next().unwrap_or_default();
                bound.extend(params.split(',').map(|p| ident_at(p.trim())));
            }
        }
    }
    for name in &bound {
        assert!(
            METHOD_SCOPE_NAMES.contains(&name.as_str()) || OUTSIDE_METHODS.contains(&name.as_str()),
            "generated code binds `{name}`, which a parameter could also be called; add it to METHOD_SCOPE_NAMES"
        );
    }
    // The check saw the locals it guards.
    for name in [
        "url",
        "query",
        "json",
        "body",
        "auth",
        "request",
        "token",
        "number",
        "size",
        "cursors",
        "next",
        "fetch",
        "connection",
        "page",
    ] {
        assert!(
            bound.contains(name),
            "no `let {name}` in any generated client"
        );
    }
}

/// The identifier at the start of `text`.
fn ident_at(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}
