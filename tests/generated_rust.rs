//! The generated Rust is real code. Every shipped connector and valid fixture is generated,
//! laid out as a crate with the tests in `tests/clients/`, then type-checked with
//! `cargo clippy --all-targets -- -D warnings`, run with `cargo test`, and checked with
//! `rustfmt --check`. The crate lives under Cargo's target directory and builds offline
//! against the serde and serde_json this crate already depends on.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use connector_gen::Generator;
use connector_gen::cli::{Format, render_diagnostics};

const MANIFEST: &str = r#"[package]
name = "generated-clients"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"

[workspace]
"#;

fn crate_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-clients")
}

/// Writes the generated modules and the client tests into a fresh crate.
fn lay_out_crate() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Generator::new()
        .input(root.join("connectors"))
        .input(root.join("tests/fixtures/valid"))
        .generate();
    assert!(
        !run.has_errors(),
        "{}",
        render_diagnostics(&run.diagnostics, &run.sources, Format::Human, false)
    );
    let dir = crate_dir();
    for sub in ["src", "tests"] {
        let _ = fs::remove_dir_all(dir.join(sub));
        fs::create_dir_all(dir.join(sub)).unwrap();
    }
    fs::write(dir.join("Cargo.toml"), MANIFEST).unwrap();
    fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from("//! Every generated client, compiled together.\n\n");
    for file in run.files.iter().filter(|f| f.path.starts_with("rust")) {
        let name = file.path.file_name().unwrap();
        fs::write(dir.join("src").join(name), &file.contents).unwrap();
        let module = Path::new(name)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        lib.push_str(&format!("pub mod {module};\n"));
    }
    fs::write(dir.join("src/lib.rs"), lib).unwrap();
    for entry in fs::read_dir(root.join("tests/clients")).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.join("tests").join(path.file_name().unwrap())).unwrap();
    }
    dir
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
    run(
        &dir,
        cargo,
        &[
            "clippy",
            "--offline",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    run(&dir, cargo, &["test", "--offline", "--quiet"]);
    let mut rustfmt_args = vec![
        "--edition".to_owned(),
        "2024".to_owned(),
        "--check".to_owned(),
    ];
    for entry in fs::read_dir(dir.join("src")).unwrap() {
        rustfmt_args.push(entry.unwrap().path().to_string_lossy().into_owned());
    }
    let args: Vec<&str> = rustfmt_args.iter().map(String::as_str).collect();
    run(&dir, "rustfmt", &args);
}
