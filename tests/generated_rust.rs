//! The generated Rust is real code. Every shipped connector and valid fixture is generated as
//! a module and as a crate, laid out as a workspace with the tests in `tests/clients/`
//! (which run the clients against a loopback HTTP server), then type-checked with
//! `cargo clippy --all-targets -- -D warnings`, run with `cargo test` (the crates' README
//! examples are doc tests), and checked with `rustfmt --check`. The workspace lives under
//! Cargo's target directory and builds offline against crates this project already depends
//! on (serde, serde_json, and ureq without TLS).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use connector_gen::cli::{Format, render_diagnostics};
use connector_gen::{Generator, Target};

#[path = "support/imported.rs"]
mod imported;

/// The test crate: every generated crate as a path dependency (with the TLS-free transport,
/// so it builds offline) and every generated module under `src/modules/`.
fn manifest(crates: &[String]) -> String {
    let mut manifest = String::from(
        "[package]\nname = \"generated-clients\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\nserde_json = \"1\"\n",
    );
    for name in crates {
        manifest.push_str(&format!(
            "{name}-client = {{ path = \"crates/{name}\", features = [\"ureq-no-tls\"] }}\n"
        ));
    }
    manifest.push_str("\n[workspace]\nmembers = [\".\", \"crates/*\", \"fresh-user\"]\n");
    manifest
}

fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-clients")
}

/// Writes the generated crates and modules, and the client tests, into a fresh workspace.
fn lay_out_crate() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut generator = Generator::new()
        .input(root.join("connectors"))
        .input(root.join("tests/fixtures/valid"))
        .targets([Target::RustClient, Target::RustCrate]);
    // The definitions `import openapi` makes of real API documents compile as written.
    for (name, text) in imported::imported_definitions() {
        generator = generator.source(name, text);
    }
    let run = generator.generate();
    assert!(
        !run.has_errors(),
        "{}",
        render_diagnostics(&run.diagnostics, &run.sources, Format::Human, false)
    );
    let dir = crate_dir();
    for sub in ["src", "tests", "crates", "contracts"] {
        let _ = fs::remove_dir_all(dir.join(sub));
    }
    fs::create_dir_all(dir.join("src/modules")).unwrap();
    fs::create_dir_all(dir.join("tests")).unwrap();
    fs::create_dir_all(dir.join("contracts")).unwrap();
    let mut modules = Vec::new();
    let mut crates = Vec::new();
    for file in &run.files {
        if let Ok(module) = file.path.strip_prefix("rust") {
            fs::write(dir.join("src/modules").join(module), &file.contents).unwrap();
            modules.push(module.file_stem().unwrap().to_string_lossy().into_owned());
        } else if file.path.starts_with("crates") {
            let path = dir.join(&file.path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, &file.contents).unwrap();
            if file.path.ends_with("Cargo.toml") {
                crates.push(
                    file.path
                        .parent()
                        .unwrap()
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    // The modules call into `super::runtime`, the runtime written beside them; every other
    // module is declared as `<name>_module`. Sorted as rustfmt sorts them, so that the file
    // passes `rustfmt --check` too.
    let declared = |name: &str| {
        if name == "runtime" {
            name.to_owned()
        } else {
            format!("{name}_module")
        }
    };
    assert!(modules.iter().any(|name| name == "runtime"), "{modules:?}");
    modules.sort_by_key(|name| declared(name));
    crates.sort_by_key(|name| format!("{}_client", name.replace('-', "_")));
    let mut lib = String::from(
        "//! Every generated client, compiled together: each crate, and each module alone.\n\n",
    );
    for name in &modules {
        lib.push_str(&format!(
            "/// The generated `{name}` module.\n#[path = \"modules/{name}.rs\"]\npub mod {};\n",
            declared(name)
        ));
    }
    for name in &crates {
        let lib_name = format!("{}_client", name.replace('-', "_"));
        lib.push_str(&format!(
            "pub use {lib_name} as {};\n",
            name.replace('-', "_")
        ));
    }
    fs::write(dir.join("Cargo.toml"), manifest(&crates)).unwrap();
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    fs::write(dir.join("src/lib.rs"), lib).unwrap();
    // Each file is a test crate of its own. A folder (but `fresh-user`, laid out below) holds
    // modules of the test crate of its name, which Cargo does not build alone.
    for entry in fs::read_dir(root.join("tests/clients")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path.is_file() {
            fs::copy(&path, dir.join("tests").join(name)).unwrap();
        } else if name != "fresh-user" {
            let modules = dir.join("tests").join(name);
            fs::create_dir_all(&modules).unwrap();
            for module in fs::read_dir(&path).unwrap() {
                let module = module.unwrap().path();
                fs::copy(&module, modules.join(module.file_name().unwrap())).unwrap();
            }
        }
    }
    lay_out_fresh_user(
        &root.join("tests/clients/fresh-user"),
        &dir.join("fresh-user"),
    );
    dir
}

/// A new user's crate that depends on the generated Invenias crate, as one would after
/// `connector-gen generate --target rust-crate` (its own tests run it against a local server).
fn lay_out_fresh_user(source: &Path, dir: &Path) {
    let _ = fs::remove_dir_all(dir);
    for sub in ["src", "tests"] {
        fs::create_dir_all(dir.join(sub)).unwrap();
        for entry in fs::read_dir(source.join(sub)).unwrap() {
            let path = entry.unwrap().path();
            fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
        }
    }
    let manifest = "[package]\nname = \"fresh-user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                    [dependencies]\ninvenias-client = { path = \"../crates/invenias\", features = [\"ureq-no-tls\"] }\n\
                    serde_json = \"1\"\n";
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
}

fn run(dir: &Path, program: &str, args: &[&str]) {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "`{program} {}` failed:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn generated_clients_compile_cleanly_and_pass_their_tests() {
    let dir = lay_out_crate();
    let cargo = env!("CARGO");
    let clippy = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--quiet",
        "--",
        "-D",
        "warnings",
        // Every public item of the generated code has rustdoc.
        "-D",
        "missing_docs",
    ];
    run(&dir, cargo, &clippy);
    run(&dir, cargo, &["test", "--workspace", "--quiet"]);
    contract_snapshots(&dir);
    let mut sources: Vec<PathBuf> = Vec::new();
    for entry in fs::read_dir(dir.join("src/modules")).unwrap() {
        sources.push(entry.unwrap().path());
    }
    for entry in fs::read_dir(dir.join("crates")).unwrap() {
        let crate_dir = entry.unwrap().path();
        sources.push(crate_dir.join("src/lib.rs"));
        sources.push(crate_dir.join("src/runtime.rs"));
        sources.push(crate_dir.join("src/ureq_transport.rs"));
    }
    sources.push(dir.join("src/lib.rs"));
    sources.sort();
    let mut args = vec!["--edition", "2024", "--check"];
    args.extend(sources.iter().map(|p| p.to_str().unwrap()));
    run(&dir, "rustfmt", &args);
}

/// The exact requests the clients build (written by `tests/clients/contracts.rs`), one
/// snapshot per connector.
fn contract_snapshots(dir: &Path) {
    let mut contracts: Vec<PathBuf> = fs::read_dir(dir.join("contracts"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    contracts.sort();
    assert_eq!(
        contracts.len(),
        8,
        "one contract per connector: {contracts:?}"
    );
    for path in contracts {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(
            format!("contract_{name}"),
            fs::read_to_string(&path).unwrap()
        );
    }
}
