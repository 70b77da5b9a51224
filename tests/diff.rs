//! `connector-gen diff` as a user meets it: one fixture per rule (tests/fixtures/diff/rules/,
//! each differing from tests/fixtures/diff/base.yaml in one way, its first lines saying how
//! and which side is old), the Invenias examples of the README, the output formats, exit
//! codes, catalogues, `--base` on a scratch git repository and invalid input.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use connector_gen::diff::Rule;

const BASE: &str = "tests/fixtures/diff/base.yaml";

#[path = "support/bin.rs"]
mod bin;
use bin::connector_gen_in as connector_gen;

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("diff")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn invenias() -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("connectors/invenias.yaml"))
        .unwrap()
}

/// The rule ids `--format json` reports.
fn rules_reported(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).expect("one JSON object a line")
        })
        .filter(|entry| entry["kind"] == "change")
        .map(|entry| entry["rule"].as_str().unwrap().to_owned())
        .collect()
}

/// The fixture's two sides: base then fixture, unless its header says it is the old side.
fn sides(path: &Path) -> (String, String) {
    let relative = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/");
    let header = fs::read_to_string(path).unwrap();
    if header
        .lines()
        .take(2)
        .any(|l| l == "# diff: this file -> base.yaml")
    {
        (relative, BASE.to_owned())
    } else {
        assert!(
            header
                .lines()
                .take(2)
                .any(|l| l == "# diff: base.yaml -> this file")
        );
        (BASE.to_owned(), relative)
    }
}

#[test]
fn each_rule_fixture_reports_its_rule() {
    insta::glob!("fixtures/diff/rules/*.yaml", |path| {
        let rule = path.file_stem().unwrap().to_string_lossy().into_owned();
        let (old, new) = sides(path);
        let json = connector_gen(None, &["--format", "json", "diff", &old, &new]);
        assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
        let reported = rules_reported(&text(&json.stdout));
        assert!(reported.contains(&rule), "{rule}: {reported:?}");
        // Every rule fixture differs in meaning, so never in something no rule knows.
        assert!(
            !reported.contains(&"other-change".to_owned()),
            "{rule}: {reported:?}"
        );
        let human = connector_gen(None, &["diff", &old, &new]);
        assert_eq!(human.status.code(), Some(0));
        insta::assert_snapshot!(text(&human.stdout));
    });
}

#[test]
fn every_rule_has_a_fixture_or_a_test() {
    // Covered elsewhere in this file, or by the net's own unit test (a change no rule
    // covers cannot be written as a valid definition while the rules are complete).
    let elsewhere = ["connector-removed", "connector-added", "other-change"];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff/rules");
    let mut missing = Vec::new();
    for rule in Rule::ALL {
        let fixture = dir.join(format!("{}.yaml", rule.id()));
        if !fixture.is_file() && !elsewhere.contains(&rule.id()) {
            missing.push(rule.id());
        }
    }
    assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
    for entry in fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().path();
        let stem = name.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            Rule::ALL.iter().any(|r| r.id() == stem),
            "{stem}.yaml names no rule"
        );
    }
}

/// Invenias in `dir/connectors/`, and a copy with `edit` applied in `dir/new/`.
fn invenias_pair(dir: &Path, edit: impl FnOnce(&str) -> String) {
    let original = invenias();
    fs::create_dir_all(dir.join("connectors")).unwrap();
    fs::create_dir_all(dir.join("new")).unwrap();
    fs::write(dir.join("connectors/invenias.yaml"), &original).unwrap();
    fs::write(dir.join("new/invenias.yaml"), edit(&original)).unwrap();
}

/// Invenias without "Get Person" (whose parameter the anchor `&person_id` defines, so the
/// alias in "Update Person" takes its place).
fn without_get_person(text: &str) -> String {
    let start = text.find("\n  - name: Get Person\n").unwrap() + 1;
    let end = start + text[start..].find("\n\n").unwrap() + 2;
    let method = &text[start..end];
    let anchor = method.find("      - &person_id").unwrap();
    let parameter = &method[anchor..method.find("    response:").unwrap()];
    let rest = format!("{}{}", &text[..start], &text[end..]);
    rest.replacen("      - *person_id\n", parameter, 1)
}

#[test]
fn invenias_without_a_method_is_a_major_change_at_both_places() {
    let dir = scratch("invenias-removed");
    invenias_pair(&dir, without_get_person);
    let args = ["diff", "connectors/invenias.yaml", "new/invenias.yaml"];
    let output = connector_gen(Some(&dir), &args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let old_line = invenias()
        .lines()
        .position(|l| l == "  - name: Get Person")
        .unwrap()
        + 1;
    assert!(stdout.starts_with("major[method-removed]: method `Get Person` was removed\n"));
    assert!(stdout.contains(&format!("old --> connectors/invenias.yaml:{old_line}:5\n")));
    assert!(stdout.contains("new --> new/invenias.yaml:"));
    assert!(stdout.ends_with("Release: Major (1 major, 0 minor, 0 patch)\n"));
    insta::assert_snapshot!("invenias_removed_human", stdout);

    let failing = connector_gen(Some(&dir), &[&args[..], &["--fail-on", "major"]].concat());
    assert_eq!(failing.status.code(), Some(1));
    assert_eq!(text(&failing.stdout), stdout);

    let json = connector_gen(Some(&dir), &[&["--format", "json"], &args[..]].concat());
    assert_eq!(json.status.code(), Some(0));
    insta::assert_snapshot!("invenias_removed_json", text(&json.stdout));
    let github = connector_gen(Some(&dir), &[&["--format", "github"], &args[..]].concat());
    assert_eq!(github.status.code(), Some(0));
    insta::assert_snapshot!("invenias_removed_github", text(&github.stdout));
}

#[test]
fn invenias_with_a_method_more_is_a_minor_change() {
    let dir = scratch("invenias-added");
    invenias_pair(&dir, |text| {
        let start = text.find("\n  - name: Get Company\n").unwrap() + 1;
        let end = start + text[start..].find("\n\n").unwrap() + 2;
        let copy = text[start..end]
            .replace("Get Company", "Get Company Details")
            .replace("path: v1/companies/", "path: v1/companies/details/");
        format!("{}{copy}{}", &text[..end], &text[end..])
    });
    let args = ["diff", "connectors/invenias.yaml", "new/invenias.yaml"];
    let output = connector_gen(Some(&dir), &[&args[..], &["--fail-on", "major"]].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!("invenias_added_human", text(&output.stdout));
    let minor = connector_gen(Some(&dir), &[&args[..], &["--fail-on", "minor"]].concat());
    assert_eq!(minor.status.code(), Some(1));
}

#[test]
fn the_same_definition_needs_no_release() {
    let dir = scratch("invenias-same");
    // Comments, key order and defaults written out change no meaning.
    invenias_pair(&dir, |text| {
        text.replace(
            "# Invenias, the executive-search CRM",
            "# Invenias: the CRM",
        )
        .replace("  client_auth: body\n", "")
    });
    let output = connector_gen(
        Some(&dir),
        &[
            "diff",
            "connectors/invenias.yaml",
            "new/invenias.yaml",
            "--fail-on",
            "minor",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "No release needed: no change in meaning\n"
    );
}

#[test]
fn an_invalid_side_is_reported_as_validate_reports_it() {
    let output = connector_gen(
        None,
        &["diff", BASE, "tests/fixtures/invalid/not-https.yaml"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), "");
    let validate = connector_gen(None, &["validate", "tests/fixtures/invalid/not-https.yaml"]);
    assert_eq!(text(&output.stderr), text(&validate.stderr));
}

#[test]
fn usage_errors_exit_2() {
    let output = connector_gen(None, &["diff", BASE]);
    assert_eq!(output.status.code(), Some(2));
    let output = connector_gen(None, &["diff", BASE, BASE, "--fail-on", "patch"]);
    assert_eq!(output.status.code(), Some(2));
}

/// The base fixture as connector `id`.
fn connector(id: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(BASE))
        .unwrap()
        .replace("id: acme-diff\n", &format!("id: {id}\n"))
        .replace(
            "permalink: acme-diff-connector",
            &format!("permalink: {id}-connector"),
        )
}

#[test]
fn catalogues_are_matched_by_id() {
    let dir = scratch("catalogue");
    for side in ["old", "new"] {
        fs::create_dir_all(dir.join(side)).unwrap();
    }
    fs::write(dir.join("old/kept.yaml"), connector("kept")).unwrap();
    fs::write(dir.join("old/same.yaml"), connector("same")).unwrap();
    fs::write(dir.join("old/gone.yaml"), connector("gone")).unwrap();
    // Renamed files are matched by id all the same.
    fs::write(
        dir.join("new/kept-renamed.yaml"),
        connector("kept").replace("page_size: 50", "page_size: 25"),
    )
    .unwrap();
    fs::write(dir.join("new/same.yaml"), connector("same")).unwrap();
    fs::write(dir.join("new/fresh.yaml"), connector("fresh")).unwrap();
    let output = connector_gen(Some(&dir), &["diff", "old", "new", "--fail-on", "major"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    insta::assert_snapshot!("catalogue_human", text(&output.stdout));
    let json = connector_gen(Some(&dir), &["--format", "json", "diff", "old", "new"]);
    assert_eq!(json.status.code(), Some(0));
    insta::assert_snapshot!("catalogue_json", text(&json.stdout));
}

/// Runs git in `dir`, failing the test if it fails.
fn git(dir: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        text(&output.stderr)
    );
}

fn git_available() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "git is missing, and CI is set: install git"
        );
        eprintln!("skipped: git is not installed");
    }
    found
}

#[test]
fn base_compares_with_a_git_ref() {
    if !git_available() {
        return;
    }
    let dir = scratch("git");
    git(&dir, &["init", "-q", "-b", "main"]);
    fs::create_dir_all(dir.join("connectors")).unwrap();
    fs::write(dir.join("connectors/kept.yaml"), connector("kept")).unwrap();
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "one"]);
    fs::write(
        dir.join("connectors/kept.yaml"),
        connector("kept").replace("scopes: [read, write]", "scopes: [read]"),
    )
    .unwrap();
    fs::write(dir.join("connectors/fresh.yaml"), connector("fresh")).unwrap();

    let file = connector_gen(
        Some(&dir),
        &["diff", "--base", "main", "connectors/kept.yaml"],
    );
    assert_eq!(file.status.code(), Some(0), "{}", text(&file.stderr));
    insta::assert_snapshot!("base_file", text(&file.stdout));

    // The directory by default; a file new since the ref is a connector added.
    let all = connector_gen(Some(&dir), &["diff", "--base", "main"]);
    assert_eq!(all.status.code(), Some(0), "{}", text(&all.stderr));
    insta::assert_snapshot!("base_directory", text(&all.stdout));

    let fresh = connector_gen(
        Some(&dir),
        &["diff", "--base", "main", "connectors/fresh.yaml"],
    );
    assert_eq!(fresh.status.code(), Some(0), "{}", text(&fresh.stderr));
    assert!(text(&fresh.stdout).starts_with("minor[connector-added]"));

    let unknown = connector_gen(
        Some(&dir),
        &["diff", "--base", "nope", "connectors/kept.yaml"],
    );
    assert_eq!(unknown.status.code(), Some(1));
    assert!(
        text(&unknown.stderr).contains("`nope` names no commit"),
        "{}",
        text(&unknown.stderr)
    );

    let outside = scratch("not-git");
    fs::write(outside.join("a.yaml"), connector("a")).unwrap();
    // Wherever the scratch directory is, git looks no higher for a repository.
    let no_repo = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(["diff", "--base", "main", "a.yaml"])
        .current_dir(&outside)
        .env("GIT_CEILING_DIRECTORIES", outside.parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(no_repo.status.code(), Some(1));
    assert!(
        text(&no_repo.stderr).contains("is not in a git repository"),
        "{}",
        text(&no_repo.stderr)
    );
}
