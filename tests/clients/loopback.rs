//! The generated clients against a real HTTP server on 127.0.0.1 (an ephemeral port, started
//! here), through the generated `UreqTransport`. The server checks what the RFCs ask of each
//! request and answers as the vendor would: tokens, lists, OAuth2 errors, 429 (with a
//! `Retry-After`) and 401, and every kind of paging, walked to its end by the generated
//! `_pages` methods.
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

/// What a handler answers: the status, headers of its own and the body (JSON).
type Reply = (u16, Vec<(&'static str, String)>, String);

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// A server on an ephemeral loopback port that answers with `handler` and records requests.
struct Server {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Server {
    /// A server answering `handler`'s status and body. A 429 asks the client to retry after
    /// two minutes.
    fn start(handler: impl Fn(&Received) -> (u16, String) + Send + Sync + 'static) -> Server {
        Server::start_with_headers(move |request| {
            let (status, body) = handler(request);
            let headers = if status == 429 { vec![("Retry-After", "120".to_owned())] } else { Vec::new() };
            (status, headers, body)
        })
    }

    /// A server whose handler chooses the response headers too (nothing is added to them
    /// but `Content-Type`, `Content-Length` and `Connection`).
    fn start_with_headers(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&received);
        let handler: Arc<Handler> = Arc::new(handler);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { break };
                let request = read_request(&mut stream);
                let (status, headers, body) = handler(&request);
                log.lock().unwrap().push(request);
                let headers: String = headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}Connection: close\r\n\r\n{body}",
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
                    headers: response.headers,
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

loopback_transport!(
    acme_api_key,
    acme_basic,
    acme_client_credentials,
    acme_chat,
    acme_hr,
    acme_none,
    acme_paging_numbers,
    acme_paging_cursors,
    acme_paging_links,
    acme_setup_values,
    akken_like,
    connectwise_like,
    dynamics_like,
    genesys_like,
    acme_two_sign_ins
);

/// The clients of the fixtures whose setup values go beyond credentials: regions, hosts,
/// headers, rate limits and connection checks.
#[path = "loopback/setup.rs"]
mod setup;

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

use generated_clients::invenias::{Client, Config, Connection, Error, ListOptions, PageRequest, Secret};

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
    let page = PageRequest::first(2);
    let people = connection.list_people(&page, &ListOptions::default()).unwrap();
    assert_eq!(people.items[1].item_id, "p2");
    connection.list_people(&page, &ListOptions::default()).unwrap();
    assert_eq!(token_requests(&server), 1, "a valid token is reused");
}

#[test]
fn an_expired_token_is_replaced_before_the_call() {
    let server = invenias_server(30, 200);
    let mut connection = Connection::new(invenias(), server.transport());
    let page = PageRequest::first(2);
    for _ in 0..2 {
        connection.list_people(&page, &ListOptions::default()).unwrap();
    }
    assert_eq!(token_requests(&server), 2, "a token with 30 s left is renewed");
}

#[test]
fn an_oauth2_error_response_is_a_typed_error() {
    let server = Server::start(|_| (400, r#"{"error":"invalid_grant","error_description":"bad password"}"#.to_owned()));
    let mut connection = Connection::new(invenias(), server.transport());
    let error = connection
        .list_people(&PageRequest::first(2), &ListOptions::default())
        .unwrap_err();
    assert!(matches!(&error, Error::OAuth { error, .. } if error == "invalid_grant"), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("p@ss"), "the error shows the password");
}

#[test]
fn a_long_retry_after_fails_at_once_and_a_rejected_token_is_a_status_error() {
    // Two minutes is longer than the default policy waits: no retry, no wait.
    let server = invenias_server(86400, 429);
    let mut connection = Connection::new(invenias(), server.transport());
    let error = connection
        .list_people(&PageRequest::first(2), &ListOptions::default())
        .unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { status: 429, retry_after: Some(wait) } if wait.as_secs() == 120),
        "{error:?}"
    );
    assert_eq!(server.received().len(), 2, "a token request and one list request");

    // The server forgets the token (401): the connection signs in afresh on the next call.
    let server = Server::start(|request| match request.path.as_str() {
        "/identity/connect/token" => (200, r#"{"access_token":"stale","expires_in":86400,"token_type":"Bearer"}"#.to_owned()),
        _ => (401, "{}".to_owned()),
    });
    let mut connection = Connection::new(invenias(), server.transport());
    for _ in 0..2 {
        let error = connection
            .list_people(&PageRequest::first(2), &ListOptions::default())
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
    use generated_clients::acme_client_credentials::{Client, Config, Connection, PageRequest, Secret};
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
    let page = connection.list_machines(&PageRequest::first(50)).unwrap();
    assert_eq!(page.machines, ["m1"]);
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
    // No response declared: JSON, `null` for an empty body.
    let nothing = connection.get_dataset("d 1").unwrap();
    assert_eq!(nothing, serde_json::Value::Null);
}

// --- Paging: every kind, walked by the generated `_pages` methods --------------------------

/// The JSON body of a request.
fn json_body(request: &Received) -> serde_json::Value {
    serde_json::from_str(&request.body).unwrap()
}

/// The value of `key` in a request's query string, decoded.
fn query_value(request: &Received, key: &str) -> Option<String> {
    let (_, query) = request.path.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| decode(k) == key)
        .map(|(_, v)| decode(v))
}

/// Items `{"ItemId": "p<n>"}` for `n` in `range`.
fn people(range: std::ops::RangeInclusive<u32>) -> serde_json::Value {
    range.map(|n| serde_json::json!({"ItemId": format!("p{n}"), "ItemType": "People"})).collect()
}

#[test]
fn invenias_walks_three_pages_numbered_from_0_in_the_body_and_stops() {
    let server = Server::start(|request| {
        if request.path == "/identity/connect/token" {
            return (200, r#"{"access_token":"tok-1","expires_in":86400,"token_type":"Bearer"}"#.to_owned());
        }
        let body = json_body(request);
        let items = match body["PageIndex"].as_u64() {
            Some(0) => people(1..=2),
            Some(1) => people(3..=4),
            Some(2) => people(5..=5),
            _ => return (400, "{}".to_owned()),
        };
        (200, serde_json::json!({"Items": items, "Paging": {"TotalItemCount": 5}}).to_string())
    });
    let mut connection = Connection::new(invenias(), server.transport());
    let body = ListOptions { return_total_count: Some(true) };
    let pages: Vec<_> = connection.list_people_pages(2, &body).collect::<Result<_, _>>().unwrap();
    let ids: Vec<&str> = pages.iter().flat_map(|p| p.items.iter().map(|i| i.item_id.as_str())).collect();
    assert_eq!(ids, ["p1", "p2", "p3", "p4", "p5"]);
    assert_eq!(pages[0].paging.as_ref().and_then(|p| p.total_item_count), Some(5));
    let lists: Vec<serde_json::Value> =
        server.received().iter().filter(|r| r.path == "/api/v1/people/list").map(json_body).collect();
    let sent = |index: u32| serde_json::json!({"PageIndex": index, "PageSize": 2, "ReturnTotalCount": true});
    assert_eq!(lists, [sent(0), sent(1), sent(2)]);
    assert_eq!(token_requests(&server), 1);

    // A page size beyond the API's largest is refused before any request.
    let server = Server::start(|_| (500, "{}".to_owned()));
    let mut connection = Connection::new(invenias(), server.transport());
    let results: Vec<_> = connection.list_people_pages(1001, &body).collect();
    assert!(matches!(results[..], [Err(Error::InvalidValue { name: "page.size", .. })]), "{results:?}");
    assert!(server.received().is_empty());
}

/// An order as the Acme Orders API sends it.
fn order(id: u32) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "status": if id.is_multiple_of(2) { "shipped" } else { "archived" },
        "total": {"amount": 12.5, "currency": "EUR"},
        "lines": [{"sku": "w-1", "quantity": 2}, {"sku": "w-2"}],
        "$etag": "v1",
        "@odata.type": "#Order",
        "customer": {"id": 7, "type": "business"}
    })
}

fn orders(range: std::ops::RangeInclusive<u32>) -> serde_json::Value {
    range.map(order).collect()
}

#[test]
fn page_numbers_from_1_in_the_query_stop_on_a_short_page() {
    use generated_clients::acme_paging_numbers::{Client, Config, Connection, OrderStatus, Secret};
    let server = Server::start(|request| {
        if request.header("x-api-key") != Some("k") {
            return (401, "{}".to_owned());
        }
        let items = match query_value(request, "page").as_deref() {
            Some("1") => orders(1..=2),
            Some("2") => orders(3..=4),
            Some("3") => orders(5..=5),
            _ => return (400, "{}".to_owned()),
        };
        (200, serde_json::json!({ "orders": items }).to_string())
    });
    let client = Client::new(Config { api_key: Secret::new("k") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let pages: Vec<_> = connection.list_orders_pages(Some("open"), 2).collect::<Result<_, _>>().unwrap();
    let ids: Vec<i64> = pages.iter().flat_map(|p| p.orders.iter().map(|o| o.id)).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    let first = &pages[0].orders[0];
    assert_eq!(first.status, OrderStatus::Other("archived".to_owned()));
    assert_eq!(pages[0].orders[1].status, OrderStatus::Shipped);
    assert_eq!(first.lines[1].quantity, None);
    assert_eq!(first.customer.as_ref().and_then(|c| c.type_.as_deref()), Some("business"));
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/v1/orders?status=open&page=1&per_page=2",
            "/v1/orders?status=open&page=2&per_page=2",
            "/v1/orders?status=open&page=3&per_page=2",
        ]
    );
}

#[test]
fn page_numbers_stop_once_the_total_has_arrived() {
    use generated_clients::acme_paging_numbers::{Client, Config, Connection, Secret};
    let server = Server::start(|request| {
        let items = match query_value(request, "page").as_deref() {
            Some("1") => orders(1..=2),
            Some("2") => orders(3..=4),
            _ => orders(5..=6),
        };
        (200, serde_json::json!({ "data": {"records": items}, "meta": {"total": 4} }).to_string())
    });
    let client = Client::new(Config { api_key: Secret::new("k") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let pages: Vec<_> = connection.list_counted_orders_pages(2).collect::<Result<_, _>>().unwrap();
    assert_eq!(pages.len(), 2, "two full pages hold the total of 4");
    assert_eq!(pages[1].data.records[1].id, 4);
    assert_eq!(pages[1].meta.as_ref().and_then(|m| m.total), Some(4));
    assert_eq!(server.received().len(), 2);
}

#[test]
fn offsets_stop_on_an_empty_page_of_a_response_that_is_the_array() {
    use generated_clients::acme_paging_numbers::{Client, Config, Connection, Secret};
    let server = Server::start(|request| {
        let body = match query_value(request, "offset").as_deref() {
            Some("0") => r#"[{"n":1},{"n":2}]"#,
            Some("2") => r#"[{"n":3},{"n":4}]"#,
            _ => "[]",
        };
        (200, body.to_owned())
    });
    let client = Client::new(Config { api_key: Secret::new("k") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let pages: Vec<Vec<serde_json::Value>> =
        connection.list_invoices_pages(2).collect::<Result<_, _>>().unwrap();
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 0]);
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/v1/invoices?offset=0&limit=2", "/v1/invoices?offset=2&limit=2", "/v1/invoices?offset=4&limit=2"]
    );
}

#[test]
fn one_cursor_in_the_query_stops_when_no_cursor_comes_back() {
    use generated_clients::acme_paging_cursors::{Client, Config, Connection, Secret};
    let server = Server::start(|request| {
        if request.header("authorization") != Some("Basic dDo=") {
            return (401, "{}".to_owned());
        }
        let body = match query_value(request, "cursor").as_deref() {
            None => r#"{"data":[{"id":"e1"},{"id":"e2"}],"meta":{"next_cursor":"c2"}}"#,
            Some("c2") => r#"{"data":[{"id":"e3"},{"id":"e4","kind":"made"}],"meta":{}}"#,
            Some(_) => return (400, "{}".to_owned()),
        };
        (200, body.to_owned())
    });
    let client = Client::new(Config { token: Secret::new("t") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let pages: Vec<_> = connection.list_events_pages(2).collect::<Result<_, _>>().unwrap();
    let ids: Vec<&str> = pages.iter().flat_map(|p| p.data.iter().map(|e| e.id.as_str())).collect();
    assert_eq!(ids, ["e1", "e2", "e3", "e4"]);
    assert_eq!(pages[1].data[1].kind.as_deref(), Some("made"));
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/api/events?limit=2", "/api/events?cursor=c2&limit=2"]);
}

#[test]
fn a_cursor_sent_back_twice_is_a_paging_loop() {
    use generated_clients::acme_paging_cursors::{Client, Config, Connection, Error, Secret};
    let server = Server::start(|_| (200, r#"{"data":[{"id":"e1"},{"id":"e2"}],"meta":{"next_cursor":"same"}}"#.to_owned()));
    let client = Client::new(Config { token: Secret::new("t") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let results: Vec<_> = connection.list_events_pages(2).collect();
    assert!(matches!(results[..], [Ok(_), Err(Error::PagingLoop)]), "{results:?}");
    assert_eq!(server.received().len(), 2, "the walk ends at the loop");
}

#[test]
fn paired_cursors_go_in_the_body_beside_the_since_date() {
    use generated_clients::acme_paging_cursors::{Client, Config, Connection, ListUpdatedMessagesBody, Secret};
    let server = Server::start(|request| {
        let body = json_body(request);
        let reply = match (body["after"].as_str(), body["after_id"].as_str()) {
            (None, None) => r#"{"messages":[{"m":1},{"m":2}],"paging":{"after":"a1","after_id":7}}"#,
            (Some("a1"), Some("7")) => r#"{"messages":[{"m":3}],"paging":{"after":null}}"#,
            _ => return (400, "{}".to_owned()),
        };
        (200, reply.to_owned())
    });
    let client = Client::new(Config { token: Secret::new("t") }).unwrap();
    let mut connection = Connection::new(client, server.transport());
    let body = ListUpdatedMessagesBody { folder: Some("inbox".to_owned()) };
    let pages: Vec<_> = connection
        .list_updated_messages_pages("2024-01-31T09:30:00Z", 2, &body)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(pages.len(), 2);
    let bodies: Vec<serde_json::Value> = server.received().iter().map(json_body).collect();
    let since = serde_json::json!({"updated_since": "2024-01-31T09:30:00Z"});
    assert_eq!(
        bodies,
        [
            serde_json::json!({"folder": "inbox", "limit": 2, "filter": since}),
            serde_json::json!({"folder": "inbox", "limit": 2, "filter": since, "after": "a1", "after_id": "7"}),
        ]
    );
    assert!(server.received().iter().all(|r| r.method == "POST"));
}

fn acme_calls() -> generated_clients::acme_paging_links::Client {
    use generated_clients::acme_paging_links::{Client, Config, Secret};
    Client::new(Config { account_sid: "AC12ab".to_owned(), auth_token: Secret::new("tok") }).unwrap()
}

#[test]
fn a_relative_next_page_uri_is_followed_on_the_api_host_until_there_is_none() {
    use generated_clients::acme_paging_links::Connection;
    const FIRST: &str = "/2010-04-01/Accounts/AC12ab/Calls.json?PageSize=2";
    const NEXT: &str = "/2010-04-01/Accounts/AC12ab/Calls.json?PageSize=2&Page=1&PageToken=PA1";
    let server = Server::start(|request| {
        if request.header("x-original-host") != Some("api.acme.test") || request.header("authorization").is_none() {
            return (401, "{}".to_owned());
        }
        let reply = match request.path.as_str() {
            FIRST => serde_json::json!({"calls": [{"sid": "CA1"}, {"sid": "CA2"}], "page": 0, "next_page_uri": NEXT}),
            NEXT => serde_json::json!({"calls": [{"sid": "CA3"}, {"sid": "CA4"}], "page": 1, "next_page_uri": null}),
            _ => return (404, "{}".to_owned()),
        };
        (200, reply.to_string())
    });
    let mut connection = Connection::new(acme_calls(), server.transport());
    let pages: Vec<_> = connection.list_calls_pages(2).collect::<Result<_, _>>().unwrap();
    assert_eq!(pages.iter().map(|p| p.page).collect::<Vec<_>>(), [Some(0), Some(1)]);
    assert_eq!(pages[1].calls[1]["sid"], "CA4");
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, [FIRST, NEXT]);
}

#[test]
fn an_absolute_next_link_is_followed_and_one_to_another_host_refused() {
    use generated_clients::acme_paging_links::{Connection, Error};
    let server = Server::start(|request| {
        let reply = match (query_value(request, "start_time").as_deref(), query_value(request, "cursor").as_deref()) {
            (Some("2024-01-31"), None) => serde_json::json!({
                "tickets": [{"id": 1}],
                "links": {"next": "https://API.acme.test:443/2010-04-01/tickets?start_time=2024-01-31&cursor=x"}
            }),
            (Some("2024-01-31"), Some("x")) => serde_json::json!({"tickets": [{"id": 2}], "links": {}}),
            _ => return (400, "{}".to_owned()),
        };
        (200, reply.to_string())
    });
    let mut connection = Connection::new(acme_calls(), server.transport());
    let pages: Vec<_> = connection.list_new_tickets_pages("2024-01-31").collect::<Result<_, _>>().unwrap();
    assert_eq!(pages.len(), 2, "no next link ends the walk");
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        ["/2010-04-01/tickets?start_time=2024-01-31", "/2010-04-01/tickets?start_time=2024-01-31&cursor=x"]
    );

    // A next link to another host never gets the credentials.
    let server = Server::start(|_| {
        (200, r#"{"tickets":[{"id":1}],"links":{"next":"https://evil.test/steal"}}"#.to_owned())
    });
    let mut connection = Connection::new(acme_calls(), server.transport());
    let results: Vec<_> = connection.list_new_tickets_pages("2024-01-31").collect();
    assert!(
        matches!(results[..], [Ok(_), Err(Error::InvalidValue { name: "next page URL", .. })]),
        "{results:?}"
    );
    assert_eq!(server.received().len(), 1);
}
