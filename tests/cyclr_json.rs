//! The Cyclr connector JSON against what Cyclr's own exports hold (shared/reference/
//! cyclr-format.md): `EndPoint`, name-based GUIDs, `PagedInbound` on every method, paging
//! through hidden parameters whose first value is a Cyclr variable, triggers that name real
//! list methods; and the scripts it carries, run by a real JavaScript engine (Node.js).
//!
//! The script tests need `node`. Without it they pass and say so once on stderr, unless `CI`
//! is set: under CI a missing Node.js is a failure.

use std::io::{ErrorKind, Write};
use std::process::Command;

use connector_gen::model::PagingLocation;
use connector_gen::model::cyclr::{Script, Statement};
use connector_gen::{Generator, Target};
use serde_json::Value;

/// The Cyclr JSON of every shipped connector and valid fixture, by id.
fn documents() -> Vec<(String, Value)> {
    let run = Generator::new()
        .input("connectors")
        .input("tests/fixtures/valid")
        .targets([Target::CyclrJson])
        .generate();
    assert!(!run.has_errors(), "{:?}", run.diagnostics);
    run.connectors
        .iter()
        .map(|connector| {
            let path = Target::CyclrJson.output_path(connector);
            let file = run.files.iter().find(|f| f.path == path).expect("written");
            let json = serde_json::from_str(&file.contents).expect("valid JSON");
            (connector.id.clone(), json)
        })
        .collect()
}

fn is_name_based_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| bytes[i] == b'-')
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| [8, 13, 18, 23].contains(&i) || matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        && bytes[14] == b'5'
        && matches!(bytes[19], b'8' | b'9' | b'a' | b'b')
}

fn methods(json: &Value) -> &Vec<Value> {
    json["Methods"].as_array().expect("Methods is an array")
}

#[test]
fn methods_carry_endpoint_guid_and_paging_flag_as_the_export_does() {
    let mut guids = std::collections::BTreeSet::new();
    for (id, json) in documents() {
        let connector_guid = json["UniqueIdentifier"].as_str().expect("UniqueIdentifier");
        assert!(is_name_based_uuid(connector_guid), "{id}: {connector_guid}");
        assert!(
            guids.insert(connector_guid.to_owned()),
            "{id}: repeated GUID"
        );
        for method in methods(&json) {
            let name = method["Name"].as_str().unwrap();
            assert!(method.get("Endpoint").is_none(), "{id}/{name}: Endpoint");
            // Webhook methods receive a call and have no endpoint (CC/04).
            let webhook = method["MethodType"] == "Webhook";
            assert_eq!(
                method["EndPoint"].is_string(),
                !webhook,
                "{id}/{name}: EndPoint on a webhook, or none on an action"
            );
            assert!(method["PagedInbound"].is_boolean(), "{id}/{name}");
            assert!(method["RequestFormat"]["Fields"].is_array(), "{id}/{name}");
            assert!(method["ResponseFormat"]["Fields"].is_array(), "{id}/{name}");
            let guid = method["MethodUniqueIdentifier"].as_str().unwrap();
            assert!(is_name_based_uuid(guid), "{id}/{name}: {guid}");
            assert!(guids.insert(guid.to_owned()), "{id}/{name}: repeated GUID");
            for field in method["RequestFormat"]["Fields"]
                .as_array()
                .unwrap()
                .iter()
                .chain(method["ResponseFormat"]["Fields"].as_array().unwrap())
            {
                assert!(field["Values"].is_array(), "{id}/{name}: {field}");
                for key in ["ConnectorField", "SystemField", "DisplayName", "DataType"] {
                    assert!(field[key].is_string(), "{id}/{name}: {key} in {field}");
                }
                assert!(field["DisplayOrder"].is_u64(), "{id}/{name}: {field}");
                for flag in ["IsOptional", "Hide"] {
                    assert!(
                        field.get(flag).is_none_or(|v| v == &Value::Bool(true)),
                        "{id}/{name}: {flag} written false in {field}"
                    );
                }
            }
        }
    }
}

/// The GUIDs are RFC 9562 version 5 UUIDs, checked against Python's `uuid.uuid5` (an
/// independent implementation): `ns = uuid5(NAMESPACE_URL, "https://connector-gen.invalid/cyclr")`,
/// the connector's `uuid5(ns, "invenias")`, a method's `uuid5(connector, "List People")`.
#[test]
fn guids_are_name_based_and_agree_with_another_implementation() {
    let documents = documents();
    let (_, invenias) = documents.iter().find(|(id, _)| id == "invenias").unwrap();
    assert_eq!(
        invenias["UniqueIdentifier"],
        "8b41122c-3800-5807-941e-a8156770ccfc"
    );
    let list_people = methods(invenias)
        .iter()
        .find(|m| m["Name"] == "List People")
        .unwrap();
    assert_eq!(
        list_people["MethodUniqueIdentifier"],
        "4a2d5747-aff8-596a-bb75-fb746da49638"
    );
}

/// Every paged method reads or sends its pages through hidden parameters or request fields
/// whose first value is one of Cyclr's variables, and says `PagedInbound: true`.
#[test]
fn paged_methods_use_cyclr_variables() {
    let mut paged = 0;
    for (id, json) in documents() {
        for method in methods(&json) {
            let name = method["Name"].as_str().unwrap();
            let hidden_values: Vec<&str> = method["Parameters"]
                .as_array()
                .unwrap()
                .iter()
                .chain(method["RequestFormat"]["Fields"].as_array().unwrap())
                .filter(|p| p["Hide"] == Value::Bool(true))
                .filter_map(|p| p["Values"][0]["Value"].as_str())
                .collect();
            let uses_variables = hidden_values.iter().any(|v| v.starts_with("CYCLR_PAGE_"));
            assert_eq!(
                method["PagedInbound"] == Value::Bool(true),
                uses_variables,
                "{id}/{name}: PagedInbound and the paging variables disagree: {hidden_values:?}"
            );
            if uses_variables {
                paged += 1;
                assert!(method["PageSizeInbound"].is_u64(), "{id}/{name}");
                assert_eq!(json["PagedInbound"], Value::Bool(true), "{id}");
            }
        }
    }
    assert!(paged >= 4, "only {paged} paged methods");
}

#[test]
fn invenias_pages_through_the_body_from_page_zero() {
    let documents = documents();
    let (_, invenias) = documents.iter().find(|(id, _)| id == "invenias").unwrap();
    let list_people = methods(invenias)
        .iter()
        .find(|m| m["Name"] == "List People")
        .unwrap();
    let fields = list_people["RequestFormat"]["Fields"].as_array().unwrap();
    let value_of = |key: &str| {
        fields
            .iter()
            .find(|f| f["ConnectorField"] == key)
            .map(|f| (f["Values"][0]["Value"].clone(), f["Hide"].clone()))
    };
    assert_eq!(
        value_of("PageIndex"),
        Some(("CYCLR_PAGE_NUMBER".into(), true.into()))
    );
    assert_eq!(
        value_of("PageSize"),
        Some(("CYCLR_PAGE_SIZE".into(), true.into()))
    );
    assert!(
        list_people["Script"]
            .as_str()
            .unwrap()
            .contains("before_action")
    );
    let response: Vec<&str> = list_people["ResponseFormat"]["Fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["ConnectorField"].as_str().unwrap())
        .collect();
    assert!(response.contains(&"[Items].ItemId"), "{response:?}");
    assert!(response.contains(&"Paging.TotalItemCount"), "{response:?}");
    let updated = methods(invenias)
        .iter()
        .find(|m| m["Name"] == "List Updated People")
        .unwrap();
    assert_eq!(
        updated["ResponseFormat"]["TimeFilterField"],
        "[Items].DateModified"
    );
}

/// A webhook's subscribe and unsubscribe calls are hidden methods, selected by the webhook;
/// the subscribe call sends Cyclr's URL and keeps the id, the unsubscribe call sends it back.
#[test]
fn webhooks_install_and_remove_themselves() {
    let documents = documents();
    let (_, hooks) = documents.iter().find(|(id, _)| id == "acme-hooks").unwrap();
    let by_name = |name: &str| {
        methods(hooks)
            .iter()
            .find(|m| m["Name"] == name)
            .unwrap_or_else(|| panic!("no method {name}"))
    };
    let webhook = by_name("Ticket Updated");
    assert_eq!(webhook["MethodType"], "Webhook");
    assert_eq!(
        webhook["CreateWebhookMethod"],
        "Create Ticket Updated Webhook"
    );
    assert_eq!(
        webhook["DeleteWebhookMethod"],
        "Delete Ticket Updated Webhook"
    );
    let payload: Vec<&str> = webhook["RequestFormat"]["Fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["ConnectorField"].as_str().unwrap())
        .collect();
    assert!(
        payload.contains(&"subject") && payload.contains(&"event"),
        "{payload:?}"
    );
    let create = by_name("Create Ticket Updated Webhook");
    assert_eq!(create["Hide"], true);
    let url = create["RequestFormat"]["Fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ConnectorField"] == "webhook.endpoint")
        .unwrap();
    assert_eq!(url["DefaultValue"], "{{Cyclr_Webhook_Url}}");
    assert_eq!(url["Hide"], true);
    assert_eq!(
        create["ResponseFormat"]["Fields"][0]["SystemField"],
        "Cyclr_Webhook_Id"
    );
    let delete = by_name("Delete Ticket Updated Webhook");
    assert_eq!(delete["Hide"], true);
    assert_eq!(
        delete["EndPoint"],
        "https://api.acme.test/v1/webhooks/{{Cyclr_Webhook_Id}}"
    );
    assert_eq!(delete["Parameters"][0]["TargetName"], "Cyclr_Webhook_Id");
    assert_eq!(delete["Parameters"][0]["Hide"], true);
}

#[test]
fn triggers_name_list_methods_and_are_used() {
    for (id, json) in documents() {
        let names: Vec<&str> = methods(&json)
            .iter()
            .map(|m| m["Name"].as_str().unwrap())
            .collect();
        let triggers = json["Triggers"].as_array().unwrap();
        for trigger in triggers {
            let method = trigger["MethodName"].as_str().unwrap();
            assert!(names.contains(&method), "{id}: {trigger}");
            let items_prefix = trigger["IdentifierKey"].as_str().unwrap();
            assert!(items_prefix.starts_with('['), "{id}: {trigger}");
        }
        let used: Vec<&str> = methods(&json)
            .iter()
            .flat_map(|m| {
                m["Parameters"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .chain(m["RequestFormat"]["Fields"].as_array().unwrap())
            })
            .filter_map(|p| p["TriggerName"].as_str())
            .collect();
        for name in &used {
            assert!(
                triggers.iter().any(|t| t["Name"] == *name),
                "{id}: TriggerName {name} names no trigger"
            );
        }
        for trigger in triggers {
            assert!(
                used.contains(&trigger["Name"].as_str().unwrap()),
                "{id}: unused {trigger}"
            );
        }
    }
}

// --- scripts, run by Node.js -------------------------------------------------------------

/// Whether `node` runs; `Err` says why the script tests are skipped (never under CI).
fn node_runs() -> Result<(), String> {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    match Command::new("node").arg("--version").output() {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => panic!("`node --version` failed: {}", output.status),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            assert!(
                !ci,
                "node is not installed and CI is set, so the generated Cyclr scripts cannot go \
                 untested: install it with `apt-get install nodejs`"
            );
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipped: running the generated Cyclr scripts (node is not installed; \
                 `apt-get install nodejs` to run them; with CI set this is a failure)"
            );
            Err("node is not installed".to_owned())
        }
        Err(e) => panic!("cannot run `node --version`: {e}"),
    }
}

/// Runs `script` as Cyclr would before a call: the objects it sees are defined first, then
/// `before_action()` runs, then the objects are printed back as JSON.
fn run_before_action(script: &str, request: &Value, parameters: &Value) -> (Value, Value) {
    let program = format!(
        "var method_request = {request};\nvar method_request_parameters = {parameters};\n\
         {script}\nif (before_action() !== true) {{ throw new Error('before_action did not return true'); }}\n\
         console.log(JSON.stringify([method_request, method_request_parameters]));\n"
    );
    let output = Command::new("node")
        .arg("-e")
        .arg(&program)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "node failed on\n{program}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON from node");
    (printed[0].clone(), printed[1].clone())
}

#[test]
fn invenias_script_asks_for_the_page_before_cyclrs() {
    if node_runs().is_err() {
        return;
    }
    let documents = documents();
    let (_, invenias) = documents.iter().find(|(id, _)| id == "invenias").unwrap();
    for method in methods(invenias)
        .iter()
        .filter(|m| m["PagedInbound"] == true)
    {
        let script = method["Script"]
            .as_str()
            .expect("a script on every paged method");
        for (cyclr_page, api_page) in [(1, 0), (2, 1), (7, 6)] {
            // Cyclr substitutes CYCLR_PAGE_NUMBER into the Integer field.
            let request = serde_json::json!({ "PageIndex": cyclr_page, "PageSize": 100, "ReturnTotalCount": true });
            let (request, parameters) = run_before_action(script, &request, &serde_json::json!({}));
            assert_eq!(
                request,
                serde_json::json!({ "PageIndex": api_page, "PageSize": 100, "ReturnTotalCount": true })
            );
            assert_eq!(parameters, serde_json::json!({}));
        }
        // Should the value arrive as text, the page is still a number.
        let (request, _) = run_before_action(
            script,
            &serde_json::json!({ "PageIndex": "3" }),
            &serde_json::json!({}),
        );
        assert_eq!(request["PageIndex"], 2);
    }
}

#[test]
fn a_query_page_number_stays_text_and_keys_stay_literal() {
    if node_runs().is_err() {
        return;
    }
    // A key that would break out of a string literal if pasted in unescaped.
    let key = "page\"]; throw 1; //\u{2028}";
    let script = connector_gen::render::cyclr::script(&Script {
        before_action: vec![Statement::ZeroBasedPage {
            location: PagingLocation::Query,
            param: key.to_owned(),
        }],
        before_token: Vec::new(),
    });
    let mut parameters = serde_json::Map::new();
    parameters.insert(key.to_owned(), Value::from("5"));
    parameters.insert("q".to_owned(), Value::from("x"));
    let (_, parameters) =
        run_before_action(&script, &serde_json::json!({}), &Value::Object(parameters));
    assert_eq!(parameters[key], "4");
    assert_eq!(parameters["q"], "x");
}
