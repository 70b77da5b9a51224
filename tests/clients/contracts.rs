//! Writes the exact requests each client builds, with fixed test credentials, to
//! `contracts/<id>.txt`; `tests/generated_rust.rs` snapshots them. A change to any byte of a
//! token request or a method request shows up as a snapshot diff to review.

use std::fmt::Write as _;
use std::path::Path;

macro_rules! dump {
    ($module:ident, $request:expr) => {{
        let request: &generated_clients::$module::Request = $request;
        let mut text = format!("{} {}\n", request.method.as_str(), request.url);
        for (name, value) in &request.headers {
            writeln!(text, "{name}: {value}").unwrap();
        }
        if let Some(body) = &request.body {
            writeln!(text, "\n{body}").unwrap();
        }
        text
    }};
}

fn write(id: &str, sections: &[(&str, String)]) {
    let mut text = String::new();
    for (title, request) in sections {
        writeln!(text, "## {title}\n{request}").unwrap();
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts").join(format!("{id}.txt"));
    std::fs::write(path, text).unwrap();
}

#[test]
fn invenias() {
    use generated_clients::invenias::{AccessToken, Client, Config, ListOptions, PageRequest, Secret};
    let client = Client::new(Config {
        client_id: "test-client-id".to_owned(),
        client_secret: Secret::new("test-client-secret"),
        username: "test.user@example.test".to_owned(),
        password: Secret::new("test password&1"),
        sub_domain: "acme".to_owned(),
    })
    .unwrap();
    let token = AccessToken::new("test-access-token");
    let body = ListOptions {
        return_total_count: Some(true),
    };
    let list = client.list_people(&token, &PageRequest::first(100), &body).unwrap();
    write(
        "invenias",
        &[
            ("token request", dump!(invenias, &client.token_request())),
            ("List People", dump!(invenias, &list)),
        ],
    );
}

#[test]
fn acme_api_key() {
    use generated_clients::acme_api_key::{Client, Config, Secret};
    let client = Client::new(Config {
        api_key: Secret::new("test-api-key"),
        type_: "test".to_owned(),
    })
    .unwrap();
    let request = client.search_orders("widgets & more", Some("abc")).unwrap();
    write("acme-api-key", &[("Search Orders", dump!(acme_api_key, &request))]);
}

#[test]
fn acme_basic() {
    use generated_clients::acme_basic::{Client, Config, Secret};
    let client = Client::new(Config {
        api_key: Secret::new("test-api-key"),
    })
    .unwrap();
    let request = client.list_contacts().unwrap();
    write("acme-basic", &[("List Contacts", dump!(acme_basic, &request))]);
}

#[test]
fn acme_client_credentials() {
    use generated_clients::acme_client_credentials::{AccessToken, Client, Config, PageRequest, Secret};
    let client = Client::new(Config {
        client_id: "test-client-id".to_owned(),
        client_secret: Secret::new("test-client-secret"),
    })
    .unwrap();
    let token = AccessToken::new("test-access-token");
    let request = client.list_machines(&token, &PageRequest::first(50)).unwrap();
    write(
        "acme-client-credentials",
        &[
            ("token request", dump!(acme_client_credentials, &client.token_request())),
            ("List Machines", dump!(acme_client_credentials, &request)),
        ],
    );
}

#[test]
fn acme_chat() {
    use generated_clients::acme_chat::{AccessToken, Client, Config, Secret};
    let client = Client::new(Config {
        client_id: "test-client-id".to_owned(),
        client_secret: Secret::new("test-client-secret"),
        sub_domain: "team".to_owned(),
    })
    .unwrap();
    let redirect = "https://cyclr.example.test/connector/callback";
    let token = AccessToken::new("test-access-token");
    let refresh = Secret::new("test-refresh-token");
    write(
        "acme-chat",
        &[
            ("authorisation URL", format!("{}\n", client.authorize_url(redirect, "test-state"))),
            ("code exchange", dump!(acme_chat, &client.code_exchange_request("test-code", redirect))),
            ("refresh", dump!(acme_chat, &client.refresh_request(&refresh))),
            ("Delete Chat", dump!(acme_chat, &client.delete_chat(&token, "c/1").unwrap())),
        ],
    );
}

#[test]
fn acme_hr() {
    use generated_clients::acme_hr::{Client, Config, Secret};
    let client = Client::new(Config {
        api_key: Secret::new("test-api-key"),
        company: "test".to_owned(),
    })
    .unwrap();
    let request = client.list_employees(None).unwrap();
    write("acme-hr", &[("List Employees", dump!(acme_hr, &request))]);
}

#[test]
fn acme_none() {
    use generated_clients::acme_none::{Client, Config};
    let client = Client::new(Config {}).unwrap();
    let request = client.get_dataset("test dataset").unwrap();
    write("acme-none", &[("Get Dataset", dump!(acme_none, &request))]);
}

#[test]
fn acme() {
    use generated_clients::acme::{AccessToken, Client, Config, Secret};
    let client = Client::new(Config {
        client_id: "test-client-id".to_owned(),
        client_secret: Secret::new("test-client-secret"),
        username: "test-user".to_owned(),
        password: Secret::new("test-password"),
        sub_domain: "test".to_owned(),
    })
    .unwrap();
    let token = AccessToken::new("test-access-token");
    write(
        "acme",
        &[
            ("token request", dump!(acme, &client.token_request())),
            ("Get Widget", dump!(acme, &client.get_widget(&token, "w1").unwrap())),
        ],
    );
}
