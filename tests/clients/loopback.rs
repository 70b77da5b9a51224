//! The generated clients against a real HTTP server on 127.0.0.1 (an ephemeral port, started
//! here), through the generated `UreqTransport`. The server checks what the RFCs ask of each
//! request and answers as the vendor would: tokens, lists, OAuth2 errors, 429 and 401.
//!
//! The clients build https URLs; `Loopback` sends each request to the local server instead,
//! over plain HTTP, and tells it which host the request was for.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use generated_clients::invenias::{Request, Response, Transport, TransportError, UreqTransport};

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }

    /// The body as `application/x-www-form-urlencoded` pairs.
    fn form(&self) -> BTreeMap<String, String> {
        self.body
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (decode(k), decode(v)))
            .collect()
    }
}

fn decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() + 1 {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

type Handler = dyn Fn(&Received) -> (u16, String) + Send + Sync;

/// A server on an ephemeral loopback port that answers with `handler` and records requests.
struct Server {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    fn start(handler: impl Fn(&Received) -> (u16, String) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let request = read_request(&mut stream);
                let (status, body) = handler(&request);
                log.lock().unwrap().push(request);
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Server { port, received }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    fn transport(&self) -> Loopback {
        Loopback {
            port: self.port,
            inner: UreqTransport::new(),
        }
    }
}

fn read_request(stream: &mut std::net::TcpStream) -> Received {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let path = parts.next().unwrap_or_default().to_owned();
    let mut headers = BTreeMap::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).unwrap();
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers.get("content-length").map_or(0, |l| l.parse().unwrap());
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    Received {
        method,
        path,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

/// Sends every request to the loopback server, over plain HTTP, naming the intended host
/// in `X-Original-Host`.
struct Loopback {
    port: u16,
    inner: UreqTransport,
}

macro_rules! loopback_transport {
    ($($module:ident),*) => {$(
        impl generated_clients::$module::Transport for Loopback {
            fn send(
                &self,
                request: &generated_clients::$module::Request,
            ) -> Result<generated_clients::$module::Response, generated_clients::$module::TransportError> {
                let (host, path) = split_url(&request.url);
                let mut headers = request.headers.clone();
                headers.push(("X-Original-Host", host.to_owned()));
                let url = format!("http://127.0.0.1:{}{path}", self.port);
                let method = request.method.as_str();
                let response = send_via_ureq(&self.inner, method, &url, headers, request.body.clone())?;
                Ok(generated_clients::$module::Response {
                    status: response.status,
                    body: response.body,
                })
            }
        }
    )*};
}

impl Transport for Loopback {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let (host, path) = split_url(&request.url);
        let mut headers = request.headers.clone();
        headers.push(("X-Original-Host", host.to_owned()));
        let url = format!("http://127.0.0.1:{}{path}", self.port);
        send_via_ureq(&self.inner, request.method.as_str(), &url, headers, request.body.clone())
    }
}

loopback_transport!(acme_api_key, acme_basic, acme_client_credentials, acme_chat, acme_hr, acme_none);

fn split_url(url: &str) -> (&str, &str) {
    let rest = url.strip_prefix("https://").expect("generated URLs are https");
    let slash = rest.find('/').unwrap_or(rest.len());
    (&rest[..slash], &rest[slash..])
}

/// Sends through the Invenias crate's `UreqTransport`, whatever client built the request.
fn send_via_ureq(
    transport: &UreqTransport,
    method: &str,
    url: &str,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
) -> Result<Response, TransportError> {
    let method = match method {
        "GET" => generated_clients::invenias::HttpMethod::Get,
        "POST" => generated_clients::invenias::HttpMethod::Post,
        "PUT" => generated_clients::invenias::HttpMethod::Put,
        "PATCH" => generated_clients::invenias::HttpMethod::Patch,
        _ => generated_clients::invenias::HttpMethod::Delete,
    };
    let request = Request::new(method, url.to_owned(), headers, body);
    transport.send(&request)
}

// --- Invenias: the OAuth2 password grant -----------------------------------------------------

use generated_clients::invenias::{Client, Config, Connection, Error, ListPeopleBody, Page, Secret};

fn invenias() -> Client {
    Client::new(Config {
        client_id: "test-client".to_owned(),
        client_secret: Secret::new("test-secret&="),
        username: "ana@example.test".to_owned(),
        password: Secret::new("p@ss word"),
        sub_domain: "acme".to_owned(),
    })
    .unwrap()
}

/// An Invenias server: checks the token request to the letter, then the bearer token.
fn invenias_server(expires_in: u64, list_status: u16) -> Server {
    Server::start(move |request| {
        if request.path == "/identity/connect/token" {
            let form = request.form();
            let expected = [
                ("grant_type", "password"),
                ("username", "ana@example.test"),
                ("password", "p@ss word"),
                ("client_id", "test-client"),
                ("client_secret", "test-secret&="),
                ("scope", "openid profile api email"),
            ];
            let well_formed = request.method == "POST"
                && request.header("content-type") == Some("application/x-www-form-urlencoded")
                && request.header("x-original-host") == Some("acme.invenias.com")
                && expected.iter().all(|(k, v)| form.get(*k).map(String::as_str) == Some(*v))
                && form.len() == expected.len();
            if !well_formed {
                return (400, r#"{"error":"invalid_request"}"#.to_owned());
            }
            return (200, format!(r#"{{"access_token":"tok-1","expires_in":{expires_in},"token_type":"Bearer"}}"#));
        }
        if request.header("authorization") != Some("Bearer tok-1") {
            return (401, r#"{"Message":"unauthorised"}"#.to_owned());
        }
        if request.path == "/api/v1/people/list" && request.method == "POST" {
            let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
            assert_eq!(body, serde_json::json!({"PageIndex": 0, "PageSize": 2}));
            let items = r#"{"Items":[{"ItemId":"p1","ItemType":"Person"},{"ItemId":"p2","ItemType":"Person"}],"Paging":{"TotalItemCount":2}}"#;
            return (list_status, items.to_owned());
        }
        (404, "{}".to_owned())
    })
}

fn token_requests(server: &Server) -> usize {
    server.received().iter().filter(|r| r.path == "/identity/connect/token").count()
}

#[test]
fn invenias_signs_in_with_the_password_grant_and_lists_people() {
    let server = invenias_server(86400, 200);
    let mut connection = Connection::new(invenias(), server.transport());
    let page = Page { index: 0, size: 2 };
    let people: serde_json::Value = connection.list_people(page, &ListPeopleBody::default()).unwrap();
    assert_eq!(people["Items"][1]["ItemId"], "p2");
    let _: serde_json::Value = connection.list_people(page, &ListPeopleBody::default()).unwrap();
    assert_eq!(token_requests(&server), 1, "a valid token is reused");
}

#[test]
fn an_expired_token_is_replaced_before_the_call() {
    let server = invenias_server(30, 200);
    let mut connection = Connection::new(invenias(), server.transport());
    let page = Page { index: 0, size: 2 };
    for _ in 0..2 {
        let _: serde_json::Value = connection.list_people(page, &ListPeopleBody::default()).unwrap();
    }
    assert_eq!(token_requests(&server), 2, "a token with 30 s left is renewed");
}

#[test]
fn an_oauth2_error_response_is_a_typed_error() {
    let server = Server::start(|_| (400, r#"{"error":"invalid_grant","error_description":"bad password"}"#.to_owned()));
    let mut connection = Connection::new(invenias(), server.transport());
    let error = connection
        .list_people::<serde_json::Value>(Page { index: 0, size: 2 }, &ListPeopleBody::default())
        .unwrap_err();
    assert!(matches!(&error, Error::OAuth { error, .. } if error == "invalid_grant"), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("p@ss"), "the error shows the password");
}

#[test]
fn rate_limits_and_rejected_tokens_are_status_errors() {
    let server = invenias_server(86400, 429);
    let mut connection = Connection::new(invenias(), server.transport());
    let error = connection
        .list_people::<serde_json::Value>(Page { index: 0, size: 2 }, &ListPeopleBody::default())
        .unwrap_err();
    assert!(matches!(error, Error::Status { status: 429, .. }), "{error:?}");

    // The server forgets the token (401): the connection signs in afresh on the next call.
    let server = Server::start(|request| match request.path.as_str() {
        "/identity/connect/token" => (200, r#"{"access_token":"stale","expires_in":86400,"token_type":"Bearer"}"#.to_owned()),
        _ => (401, "{}".to_owned()),
    });
    let mut connection = Connection::new(invenias(), server.transport());
    for _ in 0..2 {
        let error = connection
            .list_people::<serde_json::Value>(Page { index: 0, size: 2 }, &ListPeopleBody::default())
            .unwrap_err();
        assert!(matches!(error, Error::Status { status: 401, .. }), "{error:?}");
    }
    assert_eq!(token_requests(&server), 2);
}

// --- The other auth types ------------------------------------------------------------------

#[test]
fn api_key_connector_sends_its_key_header() {
    use generated_clients::acme_api_key::{Client, Config, Connection, Secret};
    let server = Server::start(|request| {
        let ok = request.header("x-api-key") == Some("k3y")
            && request.path == "/live/v2/orders?Self=a+b"
            && request.header("x-original-host") == Some("api.acme.test");
        if ok { (200, r#"[{"id":1}]"#.to_owned()) } else { (401, "{}".to_owned()) }
    });
    let client = Client::new(Config { api_key: Secret::new("k3y"), type_: "live".to_owned() }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let orders: serde_json::Value = connection.search_orders("a b", None).unwrap();
    assert_eq!(orders[0]["id"], 1);
}

#[test]
fn query_key_connector_sends_its_key_in_the_query_and_hides_it_in_debug_output() {
    use generated_clients::acme_hr::{Client, Config, Connection, Secret};
    let server = Server::start(|request| match request.path.as_str() {
        "/api/gateway.php/v1/employees?Status=active&api_key=k%26y" => (200, r#"{"employees":[]}"#.to_owned()),
        _ => (401, "{}".to_owned()),
    });
    let client = Client::new(Config {
        api_key: Secret::new("k&y"),
        company: "initech".to_owned(),
    })
    .unwrap();
    let request = client.list_employees(Some("active")).unwrap();
    assert!(!format!("{request:?}").contains("k%26y"), "{request:?}");
    let mut connection = Connection::new(client, server.transport());
    let employees: serde_json::Value = connection.list_employees(Some("active")).unwrap();
    assert_eq!(employees["employees"], serde_json::json!([]));
    assert_eq!(server.received()[0].header("x-original-host"), Some("initech.acme-hr.test"));
}

#[test]
fn basic_connector_sends_the_key_as_user_name() {
    use generated_clients::acme_basic::{Client, Config, Connection, Secret};
    let server = Server::start(|request| match request.header("authorization") {
        Some("Basic a2V5Og==") => (200, "[]".to_owned()),
        _ => (401, "{}".to_owned()),
    });
    let client = Client::new(Config { api_key: Secret::new("key") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let contacts: serde_json::Value = connection.list_contacts().unwrap();
    assert_eq!(contacts, serde_json::json!([]));
}

#[test]
fn client_credentials_connector_authenticates_the_client_with_basic() {
    use generated_clients::acme_client_credentials::{Client, Config, Connection, Page, Secret};
    let server = Server::start(|request| match request.path.as_str() {
        "/oauth2/token" => {
            let form = request.form();
            let ok = request.header("authorization") == Some("Basic aWQ6cyUzQWU=")
                && form.get("grant_type").map(String::as_str) == Some("client_credentials")
                && form.get("scope").map(String::as_str) == Some("read write")
                && !form.contains_key("client_secret");
            if ok {
                (200, r#"{"access_token":"m2m","token_type":"Bearer","expires_in":3600}"#.to_owned())
            } else {
                (401, r#"{"error":"invalid_client"}"#.to_owned())
            }
        }
        "/machines/search" if request.header("authorization") == Some("Bearer m2m") => {
            (200, r#"{"machines":["m1"]}"#.to_owned())
        }
        _ => (401, "{}".to_owned()),
    });
    let client = Client::new(Config { client_id: "id".to_owned(), client_secret: Secret::new("s:e") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let machines: serde_json::Value = connection.list_machines(Page { index: 1, size: 50 }).unwrap();
    assert_eq!(machines["machines"][0], "m1");
}

#[test]
fn authorization_code_connector_exchanges_the_code_and_refreshes() {
    use generated_clients::acme_chat::{Client, Config, Connection, Secret, parse_token_response};
    let server = Server::start(|request| match request.path.as_str() {
        "/oauth2/token" => {
            let form = request.form();
            let client_ok = form.get("client_id").map(String::as_str) == Some("chat-client")
                && form.get("client_secret").map(String::as_str) == Some("chat-secret");
            match form.get("grant_type").map(String::as_str) {
                Some("authorization_code") if client_ok && form.get("code").map(String::as_str) == Some("the-code") => (
                    200,
                    r#"{"access_token":"first","token_type":"Bearer","expires_in":0,"refresh_token":"again"}"#.to_owned(),
                ),
                Some("refresh_token") if client_ok && form.get("refresh_token").map(String::as_str) == Some("again") => {
                    (200, r#"{"access_token":"second","token_type":"Bearer","expires_in":3600}"#.to_owned())
                }
                _ => (400, r#"{"error":"invalid_grant"}"#.to_owned()),
            }
        }
        "/api/v2/chats" if request.header("authorization") == Some("Bearer second") => (200, r#"{"chats":[]}"#.to_owned()),
        _ => (401, "{}".to_owned()),
    });
    let client = Client::new(Config {
        client_id: "chat-client".to_owned(),
        client_secret: Secret::new("chat-secret"),
        sub_domain: "team".to_owned(),
    })
    .unwrap();
    let redirect = "https://cyclr.example.test/connector/callback";
    let authorize = client.authorize_url(redirect, "st4te");
    assert_eq!(
        authorize,
        "https://team.chat.acme.test/oauth2/authorize?response_type=code&client_id=chat-client\
         &redirect_uri=https%3A%2F%2Fcyclr.example.test%2Fconnector%2Fcallback&scope=read+chat&state=st4te"
    );
    let transport = server.transport();
    let response = generated_clients::acme_chat::Transport::send(&transport, &client.code_exchange_request("the-code", redirect)).unwrap();
    let token = parse_token_response(response.status, &response.body).unwrap();
    // The first token has expired already: the connection refreshes it before the call.
    let mut connection = Connection::new(client, transport).with_token(token);
    let chats: serde_json::Value = connection.list_chats().unwrap();
    assert_eq!(chats["chats"], serde_json::json!([]));
    let grants: Vec<String> = server.received().iter().filter_map(|r| r.form().get("grant_type").cloned()).collect();
    assert_eq!(grants, ["authorization_code", "refresh_token"]);
}

#[test]
fn connector_without_auth_sends_no_credentials_and_reads_empty_bodies() {
    use generated_clients::acme_none::{Client, Config, Connection};
    let server = Server::start(|request| match request.header("authorization") {
        None if request.path == "/datasets/d%201" => (204, String::new()),
        _ => (400, "{}".to_owned()),
    });
    let mut connection = Connection::new(Client::new(Config {}).unwrap(), server.transport());
    let nothing: Option<serde_json::Value> = connection.get_dataset("d 1").unwrap();
    assert_eq!(nothing, None);
}
