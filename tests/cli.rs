//! The command line as a user meets it: exit codes, what is written (and what is not),
//! drift checks, output formats and template overrides.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs connector-gen from the crate root.
#[path = "support/bin.rs"]
mod bin;
use bin::connector_gen;

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.parent().unwrap()).unwrap();
    dir
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The connector most tests generate.
const INVENIAS: &str = "connectors/invenias.yaml";

fn generate_into(out: &Path) -> Output {
    let output = connector_gen(&["generate", INVENIAS, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    output
}

fn generate_with_templates(templates: &Path, out: &Path) -> Output {
    connector_gen(&[
        "generate",
        INVENIAS,
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ])
}

/// Every file below `dir`, relative, with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push((
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn validate_accepts_the_shipped_connectors() {
    let output = connector_gen(&["validate"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "9 connector definitions valid\n");
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn generate_writes_the_three_invenias_outputs() {
    let out = scratch("three-outputs");
    let output = generate_into(&out);
    assert!(
        text(&output.stdout).contains("4 files"),
        "{}",
        text(&output.stdout)
    );
    let names: Vec<PathBuf> = tree(&out).into_iter().map(|(path, _)| path).collect();
    assert_eq!(
        names,
        vec![
            PathBuf::from("cyclr/invenias.json"),
            PathBuf::from("docs/invenias-connector.md"),
            PathBuf::from("rust/invenias.rs"),
            // The runtime the Rust modules share, once however many connectors there are.
            PathBuf::from("rust/runtime.rs"),
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("cyclr/invenias.json")).unwrap()).unwrap();
    assert_eq!(json["AuthType"], "OAuth2");
    assert_eq!(json["OAuth2Type"], "PasswordCredentials");
    assert_eq!(
        json["AccessTokenUrl"],
        "https://{{SubDomain}}.invenias.com/identity/connect/token"
    );
    let subdomain = json["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["TargetName"] == "SubDomain")
        .unwrap();
    assert_eq!(subdomain["TargetType"], "MergeField");
    assert_eq!(subdomain["IsAccountConnectorProperty"], true);
    let secrets: Vec<&str> = json["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["IsSensitive"] == true)
        .map(|p| p["TargetName"].as_str().unwrap())
        .collect();
    // The partner's OAuth2 client lives in Cyclr's Connector Library entry, not in a
    // parameter; the password grant's user name and password are account properties.
    assert_eq!(secrets, ["Password"]);
    let names: Vec<&str> = json["Parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["TargetName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Username", "Password", "SubDomain"]);
}

#[test]
fn output_is_byte_identical_across_runs_and_unchanged_files_are_not_touched() {
    let first = scratch("deterministic-1");
    let second = scratch("deterministic-2");
    generate_into(&first);
    generate_into(&second);
    assert_eq!(tree(&first), tree(&second));

    let modified = |dir: &Path| {
        fs::metadata(dir.join("rust/invenias.rs"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = modified(&first);
    let output = generate_into(&first);
    assert!(
        text(&output.stdout).contains("0 written, 4 unchanged"),
        "{}",
        text(&output.stdout)
    );
    assert_eq!(modified(&first), before);
}

/// Normalises Markdown to the words a reader sees, so sentences can be compared.
fn reader_text(markdown: &str) -> String {
    let without_liquid = markdown
        .replace("{% raw %}", "")
        .replace("{% endraw %}", "");
    let mut out = String::new();
    let mut chars = without_liquid.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' | '`' | '#' => {}
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[test]
fn the_generated_page_carries_every_sentence_of_the_seed_page_with_its_defects_fixed() {
    let out = scratch("seed");
    generate_into(&out);
    let page = fs::read_to_string(out.join("docs/invenias-connector.md")).unwrap();
    let seed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/seed/invenias-connector.seed.md"),
    )
    .unwrap();
    // The seed's defects, corrected: the misspelt name, the mojibake, the missing colon.
    let corrected = seed
        .replace("**Inveias**", "**Invenias**")
        .replace('Â', "")
        .replace("**Password** The", "**Password**: The");
    let generated = reader_text(&page);
    for line in corrected.lines() {
        let line = line.trim();
        let is_image = line.starts_with("![");
        if line.is_empty() || is_image || line == "---" || line.starts_with("```") {
            continue;
        }
        let expected = reader_text(line);
        let expected = expected.trim();
        assert!(
            generated.contains(expected),
            "the generated page lacks: {expected}\n\n{page}"
        );
    }
    for image in [
        "invenias-api-key.png",
        "invenias-example-request.png",
        "invenias-response.png",
    ] {
        assert!(page.contains(&format!("(./images/{image})")), "{image}");
    }
    assert!(!page.contains("Inveias") && !page.contains('Â'));
    // Every `{{` is inside a raw block, so Liquid shows it instead of erasing it.
    for (at, _) in page.match_indices("{{") {
        let before = &page[..at];
        assert!(
            before.rfind("{% raw %}") > before.rfind("{% endraw %}"),
            "bare Liquid at: {}",
            &page[at..]
        );
    }
}

#[test]
fn check_passes_on_fresh_output_and_names_every_difference() {
    let out = scratch("check");
    generate_into(&out);
    let check = |out: &Path| {
        connector_gen(&[
            "generate",
            INVENIAS,
            "--check",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    let output = check(&out);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert!(text(&output.stdout).contains("up to date"));

    fs::write(out.join("docs/invenias-connector.md"), "edited by hand\n").unwrap();
    fs::remove_file(out.join("rust/invenias.rs")).unwrap();
    fs::write(out.join("cyclr/retired.json"), "{}").unwrap();
    let before = tree(&out);
    let output = check(&out);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("changed: ") && stdout.contains("-edited by hand"),
        "{stdout}"
    );
    assert!(stdout.contains("+## Partner Setup"), "{stdout}");
    assert!(
        stdout.contains("missing: ") && stdout.contains("invenias.rs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("stale: ") && stdout.contains("retired.json"),
        "{stdout}"
    );
    assert!(
        stdout.contains("help: run `connector-gen generate"),
        "{stdout}"
    );
    assert_eq!(tree(&out), before, "--check wrote something");
}

#[test]
fn a_misspelt_placeholder_is_rejected_at_its_line_and_column_with_nothing_written() {
    let out = scratch("misspelt");
    let output = connector_gen(&[
        "generate",
        "tests/fixtures/invalid/unknown-placeholder.yaml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[E020]: `<<Subdomian>>` names no setup field"),
        "{stderr}"
    );
    assert!(
        stderr.contains("tests/fixtures/invalid/unknown-placeholder.yaml:25:19"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `<<SubDomain>>`?"), "{stderr}");
    assert!(!out.exists(), "an invalid run created the output directory");
}

#[test]
fn one_invalid_file_stops_every_output_and_leaves_existing_files_alone() {
    let out = scratch("all-or-nothing");
    generate_into(&out);
    let before = tree(&out);
    let output = connector_gen(&[
        "generate",
        "connectors",
        "tests/fixtures/valid/acme-basic.yaml",
        "tests/fixtures/invalid/not-https.yaml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).ends_with("error: 1 error; nothing was written\n"));
    assert_eq!(tree(&out), before);
}

#[test]
fn connectors_that_would_write_the_same_file_are_refused() {
    let output = connector_gen(&[
        "validate",
        "tests/fixtures/valid/acme-password.yaml",
        "tests/fixtures/invalid/unused-field.yaml",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains(
            "error[E033]: this id is also used by `tests/fixtures/valid/acme-password.yaml`"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("tests/fixtures/invalid/unused-field.yaml:3:5"),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2_and_every_command_has_help() {
    assert_eq!(
        connector_gen(&["generate", "--no-such-flag"]).status.code(),
        Some(2)
    );
    assert_eq!(connector_gen(&[]).status.code(), Some(2));
    for command in [
        &["--help"][..],
        &["validate", "--help"],
        &["generate", "--help"],
    ] {
        let output = connector_gen(command);
        assert_eq!(output.status.code(), Some(0));
        assert!(
            text(&output.stdout).contains("Usage: connector-gen"),
            "{}",
            text(&output.stdout)
        );
    }
    let output = connector_gen(&["validate", "no/such/dir"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("error[E001]: `no/such/dir` does not exist"));
}

#[test]
fn json_and_github_formats_carry_every_diagnostic() {
    let input = "tests/fixtures/invalid/many-errors.yaml";
    let output = connector_gen(&["validate", "--format", "json", input]);
    assert_eq!(output.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = text(&output.stderr)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], input);
    assert_eq!(lines[0]["line"], 5);
    assert_eq!(lines[0]["column"], 1);
    assert_eq!(lines[0]["code"], "E011");
    assert_eq!(lines[0]["severity"], "error");
    assert!(
        lines[0]["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `description`?")
    );

    let output = connector_gen(&["validate", "--format", "github", input]);
    let stderr = text(&output.stderr);
    let annotations: Vec<&str> = stderr.lines().collect();
    assert_eq!(annotations.len(), 2, "{stderr}");
    assert!(
        annotations[0].starts_with(&format!("::error file={input},line=5,col=1,")),
        "{stderr}"
    );
    assert!(
        annotations[0].contains("::E011 unknown key `descripton`"),
        "{stderr}"
    );
}

#[test]
fn colour_only_when_asked_for_or_on_a_terminal() {
    let input = "tests/fixtures/invalid/not-https.yaml";
    assert!(!text(&connector_gen(&["validate", input]).stderr).contains('\u{1b}'));
    assert!(
        text(&connector_gen(&["validate", "--color", "always", input]).stderr).contains('\u{1b}')
    );
}

#[test]
fn a_template_override_replaces_only_its_own_template() {
    let templates = scratch("override-templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("docs.md.j2"), "# {{ name }} setup\n").unwrap();
    let plain = scratch("override-plain");
    let overridden = scratch("override-out");
    generate_into(&plain);
    let output = generate_with_templates(&templates, &overridden);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        fs::read_to_string(overridden.join("docs/invenias-connector.md")).unwrap(),
        "# Invenias setup\n"
    );
    for unchanged in ["cyclr/invenias.json", "rust/invenias.rs"] {
        assert_eq!(
            fs::read(overridden.join(unchanged)).unwrap(),
            fs::read(plain.join(unchanged)).unwrap()
        );
    }

    fs::write(templates.join("doc.md.j2"), "misnamed\n").unwrap();
    let output = generate_with_templates(&templates, &overridden);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("doc.md.j2` replaces no template"),
        "{stderr}"
    );
}

#[test]
fn an_undefined_template_variable_is_an_error_not_an_empty_string() {
    let templates = scratch("undefined-templates");
    fs::create_dir_all(&templates).unwrap();
    fs::write(templates.join("docs.md.j2"), "line one\n{{ nmae }}\n").unwrap();
    let out = scratch("undefined-out");
    let output = generate_with_templates(&templates, &out);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[E040]: templates/docs.md.j2:2: undefined value"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// A catalogue of `count` copies of a fixture, each with its own id and permalink.
fn catalogue(dir: &Path, count: usize) {
    fs::create_dir_all(dir).unwrap();
    let fixture = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid/acme-password.yaml"),
    )
    .unwrap();
    for i in 0..count {
        let copy = fixture
            .replace("id: acme", &format!("id: acme-{i}"))
            .replace(
                "permalink: acme-connector",
                &format!("permalink: acme-{i}-connector"),
            );
        fs::write(dir.join(format!("acme-{i}.yaml")), copy).unwrap();
    }
}

#[test]
fn a_duplicate_id_is_located_in_a_file_that_has_no_other_problem() {
    // Runs keep only the texts of files with diagnostics; this one is read again.
    let dir = scratch("duplicate-reread");
    catalogue(&dir, 2);
    let second = fs::read_to_string(dir.join("acme-1.yaml")).unwrap();
    fs::write(
        dir.join("acme-1.yaml"),
        second.replace("id: acme-1", "id: acme-0"),
    )
    .unwrap();
    let output = connector_gen(&["validate", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("acme-1.yaml:3:5"), "{stderr}");
    assert!(stderr.contains("id: acme-0"), "{stderr}");
}

#[test]
fn an_invalid_file_after_many_valid_ones_leaves_no_file_behind() {
    // Valid connectors are rendered and staged before the invalid one is reached; a failed
    // run removes what it staged.
    let root = scratch("staged-then-failed");
    let connectors = root.join("connectors");
    catalogue(&connectors, 40);
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid/not-https.yaml"),
        connectors.join("zz-not-https.yaml"),
    )
    .unwrap();
    let out = root.join("out");
    let output = connector_gen(&[
        "generate",
        connectors.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    // Not even the directories it made for them.
    assert!(!out.exists(), "{:?}", tree(&out));
}

#[test]
fn a_run_killed_while_writing_leaves_no_partial_file() {
    let root = scratch("killed");
    let connectors = root.join("connectors");
    catalogue(&connectors, 250);
    let expected_dir = root.join("expected");
    let output = connector_gen(&[
        "generate",
        connectors.to_str().unwrap(),
        "--out",
        expected_dir.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let expected = tree(&expected_dir);

    // Files are staged while rendering and renamed into place at the end, so the window in
    // which a run has some outputs but not all is short: watch the output directory and
    // kill the run as soon as its first output appears.
    let first_output = |out: &Path| {
        ["cyclr", "docs", "rust"].iter().any(|dir| {
            fs::read_dir(out.join(dir)).is_ok_and(|mut entries| {
                entries.any(|e| e.is_ok_and(|e| !e.file_name().to_string_lossy().starts_with('.')))
            })
        })
    };
    let mut interrupted = 0;
    for attempt in 0..40u32 {
        let out = root.join(format!("out-{attempt}"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
            .args([
                "generate",
                connectors.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        while child.try_wait().unwrap().is_none() && !first_output(&out) {
            std::thread::sleep(std::time::Duration::from_micros(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        let written = if out.exists() { tree(&out) } else { Vec::new() };
        for (path, bytes) in &written {
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with('.') {
                // The killed run's lock file stays (its lock went with the process).
                assert!(
                    name.ends_with(".connector-gen.tmp") || name == ".connector-gen.lock",
                    "unexpected hidden file {path:?}"
                );
                continue;
            }
            let complete = expected.iter().any(|(p, b)| p == path && b == bytes);
            assert!(complete, "{path:?} is not the complete output");
        }
        let outputs = written
            .iter()
            .filter(|(p, _)| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
            .count();
        if outputs > 0 && outputs < expected.len() {
            interrupted += 1;
            // The next run finishes the job and clears what the killed one left behind.
            let output = connector_gen(&[
                "generate",
                connectors.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ]);
            assert_eq!(output.status.code(), Some(0));
            assert_eq!(tree(&out), expected);
        }
        if interrupted >= 3 {
            break;
        }
    }
    assert!(
        interrupted > 0,
        "no run was killed while writing; the test proved nothing"
    );
}

#[test]
fn a_ten_megabyte_file_is_refused_without_reading_it_all() {
    let dir = scratch("huge");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("huge.yaml");
    let line = "# padding padding padding padding padding padding padding padding padding\n";
    fs::write(&path, line.repeat(10 * 1024 * 1024 / line.len() + 1)).unwrap();
    let output = connector_gen(&["validate", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("error[E002]:") && stderr.contains("is larger than 1048576 bytes"),
        "{stderr}"
    );
}

#[test]
fn no_output_format_echoes_a_secret_value() {
    let input = "tests/fixtures/invalid/secret-default.yaml";
    let secret = "s3cr3t-value";
    assert!(
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(input))
            .unwrap()
            .contains(secret)
    );
    for format in ["human", "json", "github"] {
        let output = connector_gen(&["validate", "--format", format, input]);
        assert_eq!(output.status.code(), Some(1));
        let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
        assert!(all.contains("E030"), "{all}");
        assert!(
            !all.contains(secret),
            "the {format} output shows the secret:\n{all}"
        );
    }
}

#[test]
fn list_shows_every_shipped_connector() {
    let output = connector_gen(&["list"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("DOCS PAGE"),
        "{stdout}"
    );
    assert_eq!(lines.len(), 10, "a header and nine connectors:\n{stdout}");
    assert!(
        stdout.contains("invenias       Invenias        oauth2 (password)"),
        "{stdout}"
    );
}

#[test]
fn catalogue_indexes_every_connector_and_checks_for_drift() {
    let out = scratch("catalogue");
    let output = connector_gen(&["catalogue", "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(out.join("catalogue.json")).unwrap()).unwrap();
    let entries = json.as_array().unwrap();
    assert_eq!(entries.len(), 9);
    let invenias = entries.iter().find(|e| e["id"] == "invenias").unwrap();
    assert_eq!(invenias["auth_type"], "oauth2");
    assert_eq!(invenias["flow"], "password");
    assert_eq!(invenias["methods"], 11);
    assert_eq!(invenias["fields"].as_array().unwrap().len(), 5);
    assert_eq!(invenias["permalink"], "invenias-connector");
    // Also an item of Cyclr's connector listing: its keys first, in the listing's order.
    assert_eq!(
        invenias["PartnerSetupGuideUrl"],
        "https://docs.cyclr.com/invenias-connector"
    );
    assert_eq!(invenias["Status"], "Approved");
    assert_eq!(invenias["Id"], serde_json::Value::Null);
    let categories: Vec<&str> = invenias["MethodCategories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["Category"].as_str().unwrap())
        .collect();
    assert_eq!(
        categories,
        ["People", "Companies", "Assignments", "Journal", "Notes"]
    );
    let written = fs::read_to_string(out.join("catalogue.json")).unwrap();
    let first_keys: Vec<&str> = written
        .lines()
        .skip(2)
        .take_while(|line| *line != "  },")
        .filter_map(|line| line.strip_prefix("    \""))
        .map(|line| &line[..line.find('"').unwrap()])
        .collect();
    assert_eq!(
        first_keys,
        [
            "Description",
            "Id",
            "Name",
            "Version",
            "Status",
            "Icon",
            "Categories",
            "MethodCategories",
            "MetaTile",
            "MetaDescription",
            "Screenshot",
            "Content",
            "WebsiteUrl",
            "DocumentationUrl",
            "PartnerSetupGuideUrl",
            "id",
            "name",
            "auth_type",
            "flow",
            "fields",
            "methods",
            "permalink",
        ],
        "{written}"
    );
    let page = fs::read_to_string(out.join("catalogue.md")).unwrap();
    for entry in entries {
        let link = format!("]({})", entry["permalink"].as_str().unwrap());
        assert!(
            page.contains(&link),
            "the index does not link {link}\n{page}"
        );
    }
    let check = connector_gen(&["catalogue", "--check", "--out", out.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
    fs::write(out.join("catalogue.json"), "[]\n").unwrap();
    let check = connector_gen(&["catalogue", "--check", "--out", out.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text(&check.stdout).contains("help: run `connector-gen catalogue"),
        "{}",
        text(&check.stdout)
    );
}

#[test]
fn schema_prints_the_shipped_schema() {
    let output = connector_gen(&["schema"]);
    assert_eq!(output.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let shipped: serde_json::Value = serde_json::from_slice(
        &fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/connector.schema.json"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(printed, shipped);
}

#[test]
fn new_scaffolds_a_definition_that_validates_as_written() {
    let dir = scratch("new");
    for auth in [
        "none",
        "api-key",
        "basic",
        "oauth2-password",
        "oauth2-client-credentials",
        "oauth2-authorization-code",
    ] {
        let id = format!("acme-{auth}");
        let output = connector_gen(&["new", &id, "--auth", auth, "--dir", dir.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(
            text(&output.stdout).contains("replace every TODO"),
            "{}",
            text(&output.stdout)
        );
        let path = dir.join(format!("{id}.yaml"));
        let validate = connector_gen(&["validate", path.to_str().unwrap()]);
        assert_eq!(
            validate.status.code(),
            Some(0),
            "{auth}: {}",
            text(&validate.stderr)
        );
        // Valid as written, but not finished: one warning, W004, says so and how much is left.
        let stderr = text(&validate.stderr);
        assert!(
            stderr.starts_with("warning[W004]: this value still says TODO (and ")
                && stderr.ends_with("warning: 1 warning\n"),
            "{auth}: {stderr}"
        );
    }
    let again = connector_gen(&[
        "new",
        "acme-none",
        "--auth",
        "none",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already exists"));
    let bad = connector_gen(&[
        "new",
        "../evil",
        "--auth",
        "none",
        "--dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("is not a valid connector id"));
}

#[test]
fn templates_one_level_down_are_overridden_by_their_relative_path() {
    let templates = scratch("nested-templates");
    fs::create_dir_all(templates.join("crate")).unwrap();
    fs::write(
        templates.join("crate/README.md.j2"),
        "# {{ rust.crate_name }}, by hand\n",
    )
    .unwrap();
    let out = scratch("nested-templates-out");
    let output = connector_gen(&[
        "generate",
        INVENIAS,
        "--target",
        "rust-crate",
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let readme = fs::read_to_string(out.join("crates/invenias/README.md")).unwrap();
    assert_eq!(readme, "# invenias-client, by hand\n");
    assert!(
        fs::read_to_string(out.join("crates/invenias/Cargo.toml"))
            .unwrap()
            .contains("[features]")
    );
}

/// Progress is for a person at a terminal: a run longer than a second shows `N of M
/// connectors` on a terminal's stderr (here a pseudo-terminal made by `script`), and never
/// when stderr is a pipe or the format is for machines.
#[test]
fn progress_shows_on_a_terminal_only() {
    let root = scratch("progress");
    let connectors = root.join("connectors");
    catalogue(&connectors, 100);
    // Progress from the start rather than after a second, which a fast machine may not take.
    let generate = |out: &str, format: &str| {
        format!(
            "CONNECTOR_GEN_PROGRESS_AFTER_MS=0 {} --format {format} generate {} --out {} -j1",
            env!("CARGO_BIN_EXE_connector-gen"),
            connectors.display(),
            root.join(out).display()
        )
    };
    let on_terminal = |command: &str| {
        Command::new("script")
            .args(["-qec", command, "/dev/null"])
            .output()
    };
    let Ok(shown) = on_terminal(&generate("human", "human")) else {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "`script` (util-linux) is needed to test progress on a terminal"
        );
        eprintln!("skipped: progress on a terminal (`script` from util-linux is not installed)");
        return;
    };
    let shown = text(&shown.stdout);
    assert!(shown.contains(" of 100 connectors"), "{shown:?}");
    assert!(
        shown.contains("\r\x1b[K301 files"),
        "the line is cleared before the summary: {shown:?}"
    );
    let json = text(&on_terminal(&generate("json", "json")).unwrap().stdout);
    assert!(!json.contains(" connectors"), "{json:?}");
    let piped = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(["generate", connectors.to_str().unwrap(), "--out"])
        .arg(root.join("piped"))
        .env("CONNECTOR_GEN_PROGRESS_AFTER_MS", "0")
        .output()
        .unwrap();
    assert_eq!(text(&piped.stderr), "");
}

/// Runs connector-gen with `args`, failing the test instead of hanging if it does not end
/// within a minute (a blocking open of a pipe would otherwise hang the suite).
#[cfg(unix)]
fn connector_gen_within_a_minute(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("connector-gen {args:?} hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_a_definitions_directory_is_reported_and_never_read() {
    let root = scratch("symlinked-definition");
    let dir = root.join("connectors");
    fs::create_dir_all(&dir).unwrap();
    let secret = root.join("credentials");
    fs::write(
        &secret,
        "[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = SECRETSECRET\n",
    )
    .unwrap();
    fs::copy(INVENIAS, dir.join("invenias.yaml")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("creds.yaml")).unwrap();
    std::os::unix::fs::symlink("/proc/self/environ", dir.join("environ.yaml")).unwrap();
    let output = connector_gen(&["validate", dir.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    for name in ["creds.yaml", "environ.yaml"] {
        assert!(
            stderr.contains("warning[W002]")
                && stderr.contains(&format!("{name}` is a symbolic link; not followed")),
            "{stderr}"
        );
    }
    assert!(
        !stderr.contains("AKIAEXAMPLE") && !stderr.contains("SECRET"),
        "{stderr}"
    );
    assert!(!stderr.contains("PATH="), "{stderr}");

    // A link named on the command line is the user's choice and is read.
    let named = root.join("named.yaml");
    std::os::unix::fs::symlink(Path::new(env!("CARGO_MANIFEST_DIR")).join(INVENIAS), &named)
        .unwrap();
    let output = connector_gen(&["validate", named.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_or_device_is_never_read_as_a_definition() {
    let root = scratch("fifo-definition");
    fs::create_dir_all(&root).unwrap();
    let fifo = root.join("pipe.yaml");
    mkfifo(&fifo);
    let output = connector_gen_within_a_minute(&["validate", fifo.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error[E001]")
            && stderr.contains("pipe.yaml` is a named pipe (FIFO), not a regular file")
            && stderr.contains("help: a connector definition is a regular file"),
        "{stderr}"
    );
    let output = connector_gen_within_a_minute(&["validate", "/dev/zero"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is a device, not a regular file"),
        "{stderr}"
    );

    // In a directory, a pipe is skipped with a warning.
    fs::copy(INVENIAS, root.join("invenias.yaml")).unwrap();
    let output = connector_gen_within_a_minute(&["validate", root.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("pipe.yaml` is a named pipe (FIFO), not a regular file; not read"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn a_pipe_or_device_at_an_output_path_is_an_error_naming_it() {
    let root = scratch("fifo-output");
    let out = root.join("out");
    fs::create_dir_all(out.join("cyclr")).unwrap();
    let json = out.join("cyclr/invenias.json");
    mkfifo(&json);
    for check in [false, true] {
        let mut args = vec!["generate", INVENIAS, "--out", out.to_str().unwrap()];
        if check {
            args.push("--check");
        }
        let output = connector_gen_within_a_minute(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains("invenias.json` is a named pipe (FIFO), not a regular file")
                && stderr.contains("move it away"),
            "{stderr}"
        );
    }
    // Nothing else was written.
    assert!(!out.join("docs").exists() && !out.join("rust").exists());

    // A link to a device is replaced, never read or written through.
    fs::remove_file(&json).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &json).unwrap();
    let args = ["generate", INVENIAS, "--out", out.to_str().unwrap()];
    let check = connector_gen_within_a_minute(&[&args[..], &["--check"]].concat());
    assert_eq!(check.status.code(), Some(1));
    assert!(
        text(&check.stdout).contains("is a symbolic link (not followed)"),
        "{}",
        text(&check.stdout)
    );
    let output = connector_gen_within_a_minute(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(fs::symlink_metadata(&json).unwrap().is_file());
}

#[cfg(unix)]
#[test]
fn a_pipe_among_the_templates_is_an_error_naming_it() {
    let root = scratch("fifo-template");
    let templates = root.join("templates");
    fs::create_dir_all(&templates).unwrap();
    mkfifo(&templates.join("docs.md.j2"));
    let out = root.join("out");
    let output = connector_gen_within_a_minute(&[
        "generate",
        INVENIAS,
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot read the template")
            && stderr.contains("docs.md.j2` is a named pipe (FIFO), not a regular file")
            && stderr.contains("help: a template is a regular UTF-8 text file"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[cfg(unix)]
#[test]
fn rust_crate_output_never_writes_through_a_planted_link() {
    let root = scratch("planted-links");
    let outside = root.join("outside");
    fs::create_dir_all(&outside).unwrap();
    let out = root.join("out");
    fs::create_dir_all(&out).unwrap();
    let crate_args = |out: &Path| {
        connector_gen(&[
            "generate",
            INVENIAS,
            "--target",
            "rust-crate",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    // A link where an output directory goes, leading outside --out: refused.
    std::os::unix::fs::symlink(&outside, out.join("crates")).unwrap();
    let output = crate_args(&out);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("crates` is a symbolic link where connector-gen writes a directory")
            && stderr.contains("replace the link with a directory"),
        "{stderr}"
    );
    assert!(tree(&outside).is_empty(), "{:?}", tree(&outside));

    // A link where an output file goes is replaced by the file; its target is untouched.
    fs::remove_file(out.join("crates")).unwrap();
    fs::create_dir_all(out.join("crates/invenias")).unwrap();
    let victim = outside.join("victim");
    fs::write(&victim, "keep me").unwrap();
    let manifest = out.join("crates/invenias/Cargo.toml");
    std::os::unix::fs::symlink(&victim, &manifest).unwrap();
    let output = crate_args(&out);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(fs::symlink_metadata(&manifest).unwrap().is_file());
}

#[test]
fn temporaries_left_in_a_crate_are_cleared_by_the_next_run() {
    // What a run killed during `--target rust-crate` leaves: temporaries named as write.rs
    // names them, in the crate's directory and its src/ (and in a crate no longer made).
    let out = scratch("crate-leftovers");
    let leftovers = [
        "crates/invenias/.Cargo.toml.4242-0.connector-gen.tmp",
        "crates/invenias/src/.lib.rs.4242-1.connector-gen.tmp",
        "crates/invenias/src/.runtime.rs.4242-2.connector-gen.tmp",
        "crates/x/src/.lib.rs.4242-3.connector-gen.tmp",
        "rust/.x.rs.4242-4.connector-gen.tmp",
    ];
    for leftover in leftovers {
        let path = out.join(leftover);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, "partial").unwrap();
    }
    let output = connector_gen(&[
        "generate",
        INVENIAS,
        "--target",
        "rust-crate",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let hidden: Vec<PathBuf> = tree(&out)
        .into_iter()
        .map(|(path, _)| path)
        .filter(|path| path.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert!(hidden.is_empty(), "{hidden:?}");
}

#[test]
fn a_directory_where_an_output_goes_changes_nothing() {
    let out = scratch("directory-at-output");
    fs::create_dir_all(out.join("cyclr")).unwrap();
    fs::write(out.join("cyclr/invenias.json"), "old").unwrap();
    fs::create_dir_all(out.join("rust/invenias.rs")).unwrap();
    let output = connector_gen(&["generate", INVENIAS, "--out", out.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("invenias.rs` is a directory, not a regular file, where connector-gen writes a generated file; move it away"),
        "{stderr}"
    );
    assert_eq!(
        fs::read_to_string(out.join("cyclr/invenias.json")).unwrap(),
        "old"
    );
    let files: Vec<PathBuf> = tree(&out).into_iter().map(|(path, _)| path).collect();
    assert_eq!(files, [PathBuf::from("cyclr/invenias.json")]);
}

#[cfg(unix)]
#[test]
fn a_second_run_into_a_locked_output_directory_touches_nothing() {
    let out = scratch("locked");
    generate_into(&out);
    assert!(
        !out.join(".connector-gen.lock").exists(),
        "the lock is left behind"
    );
    // Hold the lock as a running connector-gen does (flock(1) takes the same lock), and
    // plant what looks like its live temporary.
    let live = out.join("rust/.invenias.rs.1-0.connector-gen.tmp");
    fs::write(&live, "being written").unwrap();
    fs::write(out.join("cyclr/invenias.json"), "old").unwrap();
    // `--no-fork`: the lock goes when `holder` is killed.
    let mut holder = Command::new("flock")
        .arg("--no-fork")
        .arg(out.join(".connector-gen.lock"))
        .args(["sleep", "60"])
        .spawn()
        .unwrap();
    // Wait until flock(1) holds the lock (a second flock that may not wait fails), before
    // any connector-gen runs: a run that ended while flock(1) was opening the file would
    // remove the file under it, leaving it a lock on a file no later run opens.
    let started = std::time::Instant::now();
    while Command::new("flock")
        .args(["--nonblock", "--conflict-exit-code", "75"])
        .arg(out.join(".connector-gen.lock"))
        .arg("true")
        .status()
        .unwrap()
        .code()
        != Some(75)
    {
        assert!(
            started.elapsed().as_secs() < 60,
            "flock(1) did not take the lock in 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let output = connector_gen(&["generate", INVENIAS, "--out", out.to_str().unwrap()]);
    let _ = holder.kill();
    let _ = holder.wait();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "another connector-gen is writing to `{}`",
            out.display()
        )) && stderr.contains("wait for it to finish and run again"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&live).unwrap(), "being written");
    assert_eq!(
        fs::read_to_string(out.join("cyclr/invenias.json")).unwrap(),
        "old"
    );

    // Once the other run is gone, its lock file is no obstacle, and is cleared.
    let output = connector_gen(&["generate", INVENIAS, "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!live.exists() && !out.join(".connector-gen.lock").exists());
}

#[test]
fn a_full_stdout_is_an_error_with_exit_1_not_a_panic() {
    for args in [
        &["schema"][..],
        &["validate", INVENIAS],
        &["list", INVENIAS],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write the output") && stderr.contains("help:"),
            "{args:?}: {stderr}"
        );
    }
    // A full stderr as well: still exit 1, and nothing to say it on.
    let output = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(["validate", "tests/fixtures/invalid/not-https.yaml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
}

/// Generates Invenias into `out`, then edits one output, removes one and adds a stale one.
fn drifted(name: &str) -> PathBuf {
    let out = scratch(name);
    generate_into(&out);
    fs::write(out.join("docs/invenias-connector.md"), "edited by hand\n").unwrap();
    fs::remove_file(out.join("rust/invenias.rs")).unwrap();
    fs::write(out.join("cyclr/retired.json"), "{}").unwrap();
    out
}

/// `generate --check --format FORMAT` on a drifted tree: exits 1.
fn check_drifted(format: &str) -> Output {
    let out = drifted(&format!("check-{format}"));
    let output = connector_gen(&[
        "generate",
        INVENIAS,
        "--check",
        "--format",
        format,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    output
}

#[test]
fn the_drift_report_follows_the_json_format() {
    let output = check_drifted("json");
    let stdout = text(&output.stdout);
    let entries: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    let kind = |kind: &str| {
        entries
            .iter()
            .find(|e| e["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} entry: {stdout}"))
    };
    let changed = kind("changed");
    assert!(
        changed["file"]
            .as_str()
            .unwrap()
            .ends_with("invenias-connector.md")
    );
    assert!(
        changed["diff"]
            .as_str()
            .unwrap()
            .contains("-edited by hand")
    );
    assert!(
        kind("missing")["file"]
            .as_str()
            .unwrap()
            .ends_with("invenias.rs")
    );
    assert!(kind("missing").get("diff").is_none());
    assert!(
        kind("stale")["file"]
            .as_str()
            .unwrap()
            .ends_with("retired.json")
    );
    assert!(
        kind("summary")["help"]
            .as_str()
            .unwrap()
            .contains("connector-gen generate")
    );
    assert!(entries.iter().all(|e| e["severity"] == "error"));
}

#[test]
fn the_drift_report_follows_the_github_format() {
    let output = check_drifted("github");
    let stdout = text(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert!(lines.iter().all(|l| l.starts_with("::error ")), "{stdout}");
    let changed = lines
        .iter()
        .find(|l| l.contains("title=changed output"))
        .unwrap();
    assert!(changed.contains("invenias-connector.md") && changed.contains("%0A-edited by hand"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("title=missing output") && l.contains("invenias.rs"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("title=stale output") && l.contains("retired.json"))
    );
}

#[test]
fn a_file_named_twice_is_read_once_and_named_as_given() {
    let output = connector_gen(&["validate", INVENIAS, &format!("./{INVENIAS}")]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("1 connector definition valid"));

    // Outside the working directory, a file keeps its whole path.
    let dir = scratch("named-as-given");
    fs::create_dir_all(&dir).unwrap();
    let path = dir.join("not-https.yaml");
    fs::copy("tests/fixtures/invalid/not-https.yaml", &path).unwrap();
    // A working directory beside it, never above it (wherever the repository is checked out).
    let elsewhere = scratch("named-as-given-cwd");
    fs::create_dir_all(&elsewhere).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_connector-gen"))
        .args(["validate", "--format", "json", path.to_str().unwrap()])
        .current_dir(&elsewhere)
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    let first: serde_json::Value = serde_json::from_str(stderr.lines().next().unwrap()).unwrap();
    assert_eq!(first["file"], path.to_str().unwrap(), "{stderr}");
}

#[test]
fn skipped_directory_entries_are_named_in_a_warning() {
    let dir = scratch("skipped-entries");
    fs::create_dir_all(dir.join("old")).unwrap();
    fs::copy(INVENIAS, dir.join("invenias.yaml")).unwrap();
    fs::write(dir.join("ACME.YAML"), "id: acme\n").unwrap();
    fs::write(dir.join("README.md"), "notes\n").unwrap();
    let output = connector_gen(&["validate", dir.to_str().unwrap()]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("warning[W002]")
            && stderr.contains("ACME.YAML")
            && stderr.contains("lower-case"),
        "{stderr}"
    );
    assert!(
        stderr.contains("subdirectory") && stderr.contains("old"),
        "{stderr}"
    );
    assert!(!stderr.contains("README.md"), "{stderr}");
}

#[test]
fn control_characters_from_a_definition_are_escaped_in_every_format() {
    let input = "tests/fixtures/invalid/control-characters-in-key.yaml";
    for format in ["human", "json", "github"] {
        let output = connector_gen(&["validate", "--format", format, input]);
        let stderr = text(&output.stderr);
        assert!(!stderr.contains('\u{1b}'), "{format}: {stderr:?}");
        assert!(stderr.contains(r"\u{1b}[31mred"), "{format}: {stderr}");
        assert!(
            stderr.contains(r"two\nlines") || stderr.contains(r"two\\nlines"),
            "{format}: {stderr}"
        );
    }
}

#[test]
fn a_secret_default_on_a_broken_line_is_masked_in_every_format() {
    for input in [
        "tests/fixtures/invalid/secret-default-syntax-error.yaml",
        "tests/fixtures/invalid/secret-default-duplicate-key.yaml",
    ] {
        for format in ["human", "json", "github"] {
            let output = connector_gen(&["validate", "--format", format, input]);
            let stderr = text(&output.stderr);
            assert_eq!(output.status.code(), Some(1));
            assert!(!stderr.contains("s3cr3t"), "{input} {format}: {stderr}");
        }
    }
}

#[test]
fn repeated_diagnostics_are_counted_not_repeated() {
    let input = "tests/fixtures/invalid/repeated-diagnostic.yaml";
    let output = connector_gen(&["validate", "--format", "json", input]);
    let stderr = text(&output.stderr);
    let lines: Vec<serde_json::Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 20, "{stderr}");
    assert_eq!(lines[19]["more_of_the_same"], 10);
    let output = connector_gen(&["validate", "--format", "github", input]);
    let stderr = text(&output.stderr);
    assert_eq!(stderr.lines().count(), 21, "{stderr}");
    assert!(stderr.contains("... and 10 more like it"));
}
