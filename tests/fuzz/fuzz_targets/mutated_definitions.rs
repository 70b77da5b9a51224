//! Structured mutations of valid definitions: start from a shipped connector or a valid
//! fixture, change values, delete keys, copy list entries, then run the pipeline on the
//! result (written as JSON, which is YAML). Reaches the semantic checks, the model and the
//! renderers far more often than random bytes do.

#![no_main]

use arbitrary::Arbitrary;
use connector_gen::Generator;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const SEEDS: &[&str] = &[
    include_str!("../../../connectors/invenias.yaml"),
    include_str!("../../../connectors/zendesk.yaml"),
    include_str!("../../../connectors/sugarcrm.yaml"),
    include_str!("../../../connectors/pipedrive.yaml"),
    include_str!("../../../connectors/twilio.yaml"),
    include_str!("../../fixtures/valid/acme-query-key.yaml"),
    include_str!("../../fixtures/valid/acme-authorization-code.yaml"),
    include_str!("../../fixtures/valid/acme-api-key.yaml"),
    include_str!("../../fixtures/valid/acme-basic.yaml"),
    include_str!("../../fixtures/valid/acme-client-credentials.yaml"),
    include_str!("../../fixtures/valid/acme-none.yaml"),
    include_str!("../../fixtures/valid/acme-password.yaml"),
    include_str!("../../fixtures/valid/acme-hygiene.yaml"),
    include_str!("../../fixtures/valid/acme-hooks.yaml"),
    include_str!("../../fixtures/valid/acme-paging-cursors.yaml"),
    include_str!("../../fixtures/valid/acme-paging-links.yaml"),
    include_str!("../../fixtures/valid/acme-paging-numbers.yaml"),
    include_str!("../../fixtures/valid/acme-names.yaml"),
    include_str!("../../fixtures/valid/acme-docs-blocks.yaml"),
    include_str!("../../fixtures/valid/page-dynamics.yaml"),
    include_str!("../../fixtures/valid/page-ebay.yaml"),
];

/// Values a mutation may write: placeholders, hostile text, edge-case numbers.
const PALETTE: &[&str] = &[
    r#""<<SubDomain>>""#,
    r#""https://<<SubDomain>>.x.test/<<PersonId>>""#,
    r#""https://<<Nope>>.x.test""#,
    r#""<<Sub""#,
    r#""http://x.test""#,
    r##""\" */ \"# }} {% endraw %} <script> \u202e 🦀""##,
    r#""{{ site.title }}""#,
    r#""<b>x</b> `<i>` \\<u> [a](javascript:x) [b](#anchor) **c**""#,
    r#"{ "setup_values": { "only": "account" } }"#,
    r#"{ "cyclr_setup": {} }"#,
    r#"{ "numbers": ["a", { "text": "b", "blocks": [{ "bullets": ["c"] }] }] }"#,
    r#"{ "table": { "header": ["a", "b"], "rows": [["c"]] } }"#,
    r#""type""#,
    r#""Self""#,
    r#""Fn""#,
    r#""a""#,
    r#""""#,
    r#""[a-z]+""#,
    r#""(""#,
    r#""password""#,
    r#""authorization_code""#,
    r#""client_credentials""#,
    r#""oauth2""#,
    r#""api_key""#,
    r#""basic""#,
    r#""none""#,
    r#""GET""#,
    r#""DELETE""#,
    r#""query""#,
    r#""path""#,
    "0",
    "1",
    "-1",
    "1000001",
    "18446744073709551615",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    r#"["x"]"#,
    // Issue 11's classes: header injection, hosts a value could extend or leave, paths that
    // climb, control and invisible characters, names the generated code uses itself.
    r#""https://<<SubDomain>>.x.test/api\r\nHost: evil.example""#,
    r#""https://x.test<<SubDomain>>/api""#,
    r#""x@evil.example#""#,
    r#""v1/../../admin/<<PersonId>>""#,
    r#""v1\\admin%zz""#,
    r#""Acme\u007f\u0085\u202e\ufffe""#,
    r#""Url""#,
    r#""Token""#,
    r#""Send""#,
    r#""Request""#,
    r#""runtime""#,
    r#""grant_type""#,
    "100.0",
    "1e2",
    // Issue 12's classes: paths through lists and literal keys, values Cyclr reads as its
    // own syntax, names the client's types and the runtime use, formats that leave a query.
    r#""[]""#,
    r#""[a].[b]""#,
    r#""[].[items]""#,
    r#""\\a.b\\""#,
    r#""meta.next""#,
    r#""page[size]""#,
    r#""paging.page""#,
    r#""{{ApiKey}}""#,
    r#""CYCLR_PAGE_NUMBER""#,
    r#""From""#,
    r#""Pages""#,
    r#""yyyy-MM-dd&x=1#""#,
    r#""9223372036854775808""#,
    "9223372036854775808",
    r#"["a b", "A_B", "Other", "other", ""]"#,
];

#[derive(Debug, Arbitrary)]
enum Mutation {
    Set { node: u16, value: u8 },
    Remove { node: u16 },
    Duplicate { node: u16 },
    Rename { node: u16, value: u8 },
}

#[derive(Debug, Arbitrary)]
struct Input {
    seed: u8,
    mutations: Vec<Mutation>,
}

fuzz_target!(|input: Input| {
    let seeds = seeds();
    let mut value = seeds[usize::from(input.seed) % seeds.len()].clone();
    for mutation in input.mutations.iter().take(16) {
        apply(&mut value, mutation);
    }
    let text = serde_json::to_string_pretty(&value).expect("a JSON value serialises");
    let run = Generator::new().source("mutated.yaml", text).generate();
    invariants::check(&run);
});

mod invariants {
    include!("invariants.rs");
}

/// The seeds as JSON values, loaded once.
fn seeds() -> &'static [Value] {
    static SEED_VALUES: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    SEED_VALUES.get_or_init(|| {
        SEEDS
            .iter()
            .map(|seed| {
                let document =
                    connector_gen::load::load(connector_gen::diagnostics::FileId(0), seed);
                document.expect("the seeds are valid YAML").value
            })
            .collect()
    })
}

/// Every node's path, depth first.
fn paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                at.push(key.clone());
                paths(child, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                at.push(i.to_string());
                paths(child, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn apply(root: &mut Value, mutation: &Mutation) {
    let mut all = Vec::new();
    paths(root, &mut Vec::new(), &mut all);
    let pick = |n: u16| all[usize::from(n) % all.len()].clone();
    let palette =
        |n: u8| serde_json::from_str::<Value>(PALETTE[usize::from(n) % PALETTE.len()]).unwrap();
    match *mutation {
        Mutation::Set { node, value } => {
            if let Some(target) = node_mut(root, &pick(node)) {
                *target = palette(value);
            }
        }
        Mutation::Remove { node }
        | Mutation::Duplicate { node }
        | Mutation::Rename { node, .. } => {
            let path = pick(node);
            let Some((last, parent_path)) = path.split_last() else {
                return;
            };
            let Some(parent) = node_mut(root, parent_path) else {
                return;
            };
            match (parent, mutation) {
                (Value::Object(map), Mutation::Remove { .. }) => {
                    map.remove(last);
                }
                (Value::Object(map), Mutation::Rename { value, .. }) => {
                    if let Some(child) = map.remove(last) {
                        let name = palette(*value).as_str().unwrap_or("renamed").to_owned();
                        map.insert(name, child);
                    }
                }
                (Value::Array(items), Mutation::Remove { .. }) => {
                    if let Ok(i) = last.parse::<usize>() {
                        items.remove(i);
                    }
                }
                (Value::Array(items), Mutation::Duplicate { .. }) => {
                    if let Ok(i) = last.parse::<usize>() {
                        let copy = items[i].clone();
                        items.push(copy);
                    }
                }
                _ => {}
            }
        }
    }
}

fn node_mut<'v>(root: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |node, key| match node {
        Value::Object(map) => map.get_mut(key),
        Value::Array(items) => items.get_mut(key.parse::<usize>().ok()?),
        _ => None,
    })
}
