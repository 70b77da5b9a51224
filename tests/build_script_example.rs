//! `examples/invenias-build` generates the Invenias client in its `build.rs` through the
//! library, and its `main.rs` uses it: build it as a user would and run it.

use std::path::Path;
use std::process::Command;

#[test]
fn the_example_crate_builds_through_its_build_script_and_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = root.join("examples/invenias-build/Cargo.toml");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("invenias-build");
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the example failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "POST https://company.invenias.com/identity/connect/token\n\
         POST https://company.invenias.com/api/v1/people/list\n"
    );
}
