//! Invariants over every output of every shipped connector and valid fixture:
//!
//! - no `<<` reaches any output: every `<<Name>>` placeholder is filled (a Cyclr merge field,
//!   a Rust expression, the docs' own spelling) or refused with an error at its line;
//! - every parameter of the Cyclr JSON does something: a merge field some URL, the scopes or
//!   a script fills in, a header, a query value, a value a script reads, a paging value, or
//!   one of the settings Cyclr's own OAuth2 reads. A parameter nothing uses would be a value
//!   the installer is asked for in vain, or asked for twice.

use std::collections::BTreeSet;

use connector_gen::{Generator, Target};
use serde_json::Value;

fn generate(targets: &[Target]) -> connector_gen::Run {
    let run = Generator::new()
        .input("connectors")
        .input("tests/fixtures/valid")
        .targets(targets.iter().copied())
        .generate();
    assert!(!run.has_errors(), "{:?}", run.diagnostics);
    run
}

#[test]
fn no_placeholder_reaches_any_output() {
    let run = generate(&Target::ALL);
    assert!(run.files.len() > 100, "{} files", run.files.len());
    for file in &run.files {
        if let Some(at) = file.contents.find("<<") {
            let line = file.contents[..at].matches('\n').count() + 1;
            panic!(
                "{}:{line} holds `<<`: {}",
                file.path.display(),
                file.contents.lines().nth(line - 1).unwrap_or_default()
            );
        }
    }
    let catalogue = Generator::new()
        .input("connectors")
        .input("tests/fixtures/valid")
        .catalogue();
    for file in &catalogue.files {
        assert!(!file.contents.contains("<<"), "{}", file.path.display());
    }
}

/// What one connector's JSON can use a parameter for: every text in which a merge field or a
/// script can name it.
struct Uses {
    /// Endpoints, the token and authorise URLs and the scopes.
    urls: Vec<String>,
    /// The connector's and the methods' scripts.
    scripts: Vec<String>,
    oauth2: bool,
    password_grant: bool,
}

impl Uses {
    fn of(json: &Value) -> Uses {
        let text = |value: &Value| value.as_str().map(str::to_owned);
        let methods = json["Methods"].as_array().expect("Methods");
        let mut urls: Vec<String> = methods
            .iter()
            .filter_map(|m| text(&m["EndPoint"]))
            .collect();
        urls.extend(
            ["AuthoriseUrl", "AccessTokenUrl", "Scopes"]
                .map(|k| text(&json[k]))
                .into_iter()
                .flatten(),
        );
        let mut scripts: Vec<String> = methods.iter().filter_map(|m| text(&m["Script"])).collect();
        scripts.extend(text(&json["Script"]));
        Uses {
            urls,
            scripts,
            oauth2: json["AuthType"] == "OAuth2",
            password_grant: json["OAuth2Type"] == "PasswordCredentials",
        }
    }

    fn merge_field_used(&self, name: &str) -> bool {
        let merge = format!("{{{{{name}}}}}");
        let scripted = format!("method_request_mergefields[\"{name}\"]");
        self.urls.iter().any(|u| u.contains(&merge))
            || self.scripts.iter().any(|s| s.contains(&scripted))
    }

    fn script_parameter_used(&self, name: &str) -> bool {
        let read = format!("script_parameters[\"{name}\"]");
        self.scripts.iter().any(|s| s.contains(&read))
    }

    /// A setting Cyclr's own OAuth2 reads by name (reference sections 1-2).
    fn cyclr_setting(&self, name: &str) -> bool {
        (self.oauth2 && matches!(name, "ClientId" | "ClientSecret"))
            || (self.password_grant && matches!(name, "Username" | "Password"))
    }
}

fn values(parameter: &Value) -> Vec<&str> {
    parameter["Values"]
        .as_array()
        .expect("Values")
        .iter()
        .filter_map(|v| v["Value"].as_str())
        .collect()
}

#[test]
fn every_cyclr_parameter_does_something() {
    let run = generate(&[Target::CyclrJson]);
    let mut seen_kinds = BTreeSet::new();
    for file in &run.files {
        let json: Value = serde_json::from_str(&file.contents).expect("valid JSON");
        let id = file.path.display();
        let uses = Uses::of(&json);
        for parameter in json["Parameters"].as_array().expect("Parameters") {
            let name = parameter["TargetName"].as_str().expect("TargetName");
            let kind = parameter["TargetType"].as_str().expect("TargetType");
            seen_kinds.insert(kind.to_owned());
            let property = parameter["IsAccountConnectorProperty"] == true
                || parameter["IsPartnerProperty"] == true;
            let used = match kind {
                "MergeField" => uses.merge_field_used(name) || uses.cyclr_setting(name),
                "Script" => property && uses.script_parameter_used(name),
                // A header: the installer's value, or a fixed one in a hidden parameter.
                "HttpHeader" => {
                    property || (parameter["Hide"] == true && values(parameter).len() == 1)
                }
                "QueryString" => true,
                _ => false,
            };
            assert!(
                used,
                "{id}: the connector parameter `{name}` ({kind}) does nothing"
            );
        }
        for method in json["Methods"].as_array().expect("Methods") {
            let endpoint = method["EndPoint"].as_str().unwrap_or_default();
            let method_name = method["Name"].as_str().unwrap_or_default();
            for parameter in method["Parameters"].as_array().expect("Parameters") {
                let name = parameter["TargetName"].as_str().expect("TargetName");
                let kind = parameter["TargetType"].as_str().expect("TargetType");
                let hidden_value = parameter["Hide"] == true && !values(parameter).is_empty();
                let used = match kind {
                    "MergeField" => endpoint.contains(&format!("{{{{{name}}}}}")),
                    "QueryString" | "ResponseField" => true,
                    "HttpHeader" => hidden_value,
                    _ => false,
                };
                assert!(
                    used,
                    "{id}: the parameter `{name}` ({kind}) of `{method_name}` does nothing"
                );
            }
        }
    }
    // The connectors and fixtures exercise every kind a setup value can become.
    for kind in ["MergeField", "HttpHeader", "Script"] {
        assert!(
            seen_kinds.contains(kind),
            "no connector parameter of kind {kind}"
        );
    }
}

#[test]
fn credentials_are_never_asked_for_twice() {
    let run = generate(&[Target::CyclrJson]);
    for file in &run.files {
        let json: Value = serde_json::from_str(&file.contents).expect("valid JSON");
        let names: Vec<&str> = json["Parameters"]
            .as_array()
            .expect("Parameters")
            .iter()
            .filter_map(|p| p["TargetName"].as_str())
            .collect();
        // The installer enters the key, or user name and password, as the account's auth
        // value: no parameter holds a credential.
        if matches!(json["AuthType"].as_str(), Some("ApiKey" | "Basic")) {
            {
                let sensitive: Vec<&Value> = json["Parameters"]
                    .as_array()
                    .expect("Parameters")
                    .iter()
                    .filter(|p| p["IsSensitive"] == true && p["TargetType"] == "MergeField")
                    .collect();
                assert!(
                    sensitive.is_empty(),
                    "{}: a credential parameter beside the auth value: {sensitive:?}",
                    file.path.display()
                );
            }
        }
        let unique: BTreeSet<&&str> = names.iter().collect();
        assert_eq!(
            unique.len(),
            names.len(),
            "{}: {names:?}",
            file.path.display()
        );
    }
}
