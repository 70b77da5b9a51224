//! The clients of the fixtures whose setup values go beyond credentials, with real values,
//! against the loopback server: a region or site chosen from a list as the host, setup
//! values in headers, in the path and in OAuth2 scopes, credential headers that `Debug`
//! redacts, rate limits (timed by a fake clock that records the waits the connection asks
//! for), `Retry-After`, and each connection's check.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::{Received, Server, decode, json_body, query_value};

/// A clock for a `Connection`: it never sleeps, but records each wait asked of it and moves
/// its time on by that much, so that tests see the spacing a connection asks for without
/// waiting for it.
#[derive(Clone)]
struct FakeClock {
    start: Instant,
    state: Arc<Mutex<ClockState>>,
}

#[derive(Default)]
struct ClockState {
    /// How far the clock has moved since `start`.
    elapsed: Duration,
    /// The waits asked for, in order.
    sleeps: Vec<Duration>,
}

impl FakeClock {
    fn new() -> FakeClock {
        FakeClock { start: Instant::now(), state: Arc::default() }
    }

    fn instant(&self) -> Instant {
        self.start + self.state.lock().unwrap().elapsed
    }

    /// 2023-11-14T22:13:20Z, plus the time the clock has moved.
    fn wall_time(&self) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000) + self.state.lock().unwrap().elapsed
    }

    fn record_sleep(&self, duration: Duration) {
        let mut state = self.state.lock().unwrap();
        state.sleeps.push(duration);
        state.elapsed += duration;
    }

    /// The waits asked for so far.
    fn sleeps(&self) -> Vec<Duration> {
        self.state.lock().unwrap().sleeps.clone()
    }

    /// Asserts that the waits asked for are `expected`, give or take a millisecond.
    fn assert_sleeps(&self, expected: &[Duration]) {
        let sleeps = self.sleeps();
        let close = |(actual, expected): (&Duration, &Duration)| actual.abs_diff(*expected) <= Duration::from_millis(1);
        assert!(sleeps.len() == expected.len() && sleeps.iter().zip(expected).all(close), "{sleeps:?} != {expected:?}");
    }
}

macro_rules! fake_clock {
    ($($module:ident),*) => {$(
        impl generated_clients::$module::Clock for FakeClock {
            fn now(&self) -> Instant {
                self.instant()
            }

            fn system_time(&self) -> SystemTime {
                self.wall_time()
            }

            fn sleep(&self, duration: Duration) {
                self.record_sleep(duration);
            }
        }
    )*};
}

fake_clock!(acme_setup_values, connectwise_like, genesys_like);

/// Standard base64 (RFC 4648 section 4), padded or not.
fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut bits, mut count) = (0u32, 0u32);
    for byte in text.bytes().filter(|&b| b != b'=') {
        let value = ALPHABET.iter().position(|&a| a == byte).expect("a base64 character");
        bits = (bits << 6) | u32::try_from(value).unwrap();
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from(bits >> count).unwrap());
            bits &= (1 << count) - 1;
        }
    }
    out
}

/// The user name and password of a request's HTTP Basic `Authorization` header (RFC 7617:
/// the user name ends at the first colon).
fn basic_credentials(request: &Received) -> Option<(String, String)> {
    let encoded = request.header("authorization")?.strip_prefix("Basic ")?;
    let decoded = String::from_utf8(base64_decode(encoded)).ok()?;
    let (user, password) = decoded.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The query of `url`, decoded, refusing a key given twice.
fn query_pairs(url: &str) -> BTreeMap<String, String> {
    let (_, query) = url.split_once('?').expect("a query");
    let mut pairs = BTreeMap::new();
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').expect("key=value");
        assert!(pairs.insert(decode(key), decode(value)).is_none(), "{key} twice in {url}");
    }
    pairs
}

// --- ConnectWise-like: Basic auth, a client id header, a site, rate limits ------------------

const CW_CLIENT_ID: &str = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const CW_USER: &str = "acme+AbCdEf123456";
/// A private key with everything awkward: a colon, an at sign, a space, a slash, a plus,
/// an equals sign, a percent, quotes, a backslash and a non-ASCII character.
const CW_KEY: &str = "pr1v:@te k/+=%\"'\\€y";

fn connectwise(site: generated_clients::connectwise_like::Site) -> generated_clients::connectwise_like::Client {
    use generated_clients::connectwise_like::{Client, Config, Secret};
    Client::new(Config {
        client_id: CW_CLIENT_ID.to_owned(),
        api_user: CW_USER.to_owned(),
        private_key: Secret::new(CW_KEY),
        site,
    })
    .unwrap()
}

/// Whether a request carries what every ConnectWise call must: the member's credentials,
/// the client id and the API version, sent to the EU site.
fn connectwise_well_formed(request: &Received) -> bool {
    basic_credentials(request) == Some((CW_USER.to_owned(), CW_KEY.to_owned()))
        && request.header("clientid") == Some(CW_CLIENT_ID)
        && request.header("accept-version") == Some("2022.1")
        && request.header("x-original-host") == Some("api-eu.myconnectwise.net")
}

#[test]
fn connectwise_sends_the_member_s_basic_credentials_client_id_and_version_to_the_chosen_site() {
    use generated_clients::connectwise_like::{Connection, Site};
    let server = Server::start(|request| {
        if !connectwise_well_formed(request) {
            return (401, r#"{"code":"Unauthorized"}"#.to_owned());
        }
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/v4_6_release/apis/3.0/system/info") => (200, r#"{"version":"v2022.1.98765"}"#.to_owned()),
            _ => (404, "{}".to_owned()),
        }
    });
    let client = connectwise(Site::ApiEuMyconnectwiseNet);
    assert_eq!(client.base_url(), "https://api-eu.myconnectwise.net/v4_6_release/apis/3.0");
    let clock = FakeClock::new();
    let mut connection = Connection::new(client, server.transport()).with_clock(clock.clone());
    connection.check().unwrap();
    assert_eq!(connection.get_system_info().unwrap().version, "v2022.1.98765");
    let received = server.received();
    assert_eq!(received.len(), 2);
    for request in &received {
        assert!(connectwise_well_formed(request), "{request:?}");
        assert_eq!(request.path, "/v4_6_release/apis/3.0/system/info");
    }
    // The connector's 10 requests a second: the second call waits a tenth of a second.
    clock.assert_sleeps(&[Duration::from_millis(100)]);
    // The default site is another host.
    assert_eq!(
        connectwise(Site::ApiNaMyconnectwiseNet).get_system_info().unwrap().url,
        "https://api-na.myconnectwise.net/v4_6_release/apis/3.0/system/info"
    );
}

#[test]
fn connectwise_check_fails_with_a_status_error_on_401() {
    use generated_clients::connectwise_like::{Connection, Error, Site};
    let server = Server::start(|_| (401, r#"{"code":"Unauthorized","message":"bad member"}"#.to_owned()));
    let mut connection =
        Connection::new(connectwise(Site::ApiEuMyconnectwiseNet), server.transport()).with_clock(FakeClock::new());
    let error = connection.check().unwrap_err();
    assert!(matches!(&error, Error::Status { status: 401, body } if body.contains("bad member")), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(CW_KEY));
    assert_eq!(server.received().len(), 1, "a 401 is not retried");
    assert!(connectwise_well_formed(&server.received()[0]));
}

#[test]
fn connectwise_walks_the_company_pages_with_its_conditions() {
    use generated_clients::connectwise_like::{Connection, Site};
    const CONDITIONS: &str = r#"name like "Acme%" and deletedFlag = false"#;
    let server = Server::start(|request| {
        if !connectwise_well_formed(request)
            || request.path.split('?').next() != Some("/v4_6_release/apis/3.0/company/companies")
        {
            return (401, "{}".to_owned());
        }
        if query_value(request, "conditions").as_deref() != Some(CONDITIONS)
            || query_value(request, "pageSize").as_deref() != Some("2")
        {
            return (400, "{}".to_owned());
        }
        let ids = match query_value(request, "page").as_deref() {
            Some("1") => 1..=2,
            Some("2") => 3..=4,
            Some("3") => 5..=5,
            _ => return (400, "{}".to_owned()),
        };
        let companies: Vec<_> = ids.map(|id| serde_json::json!({"id": id, "name": format!("Acme {id}")})).collect();
        (200, serde_json::Value::from(companies).to_string())
    });
    let clock = FakeClock::new();
    let mut connection =
        Connection::new(connectwise(Site::ApiEuMyconnectwiseNet), server.transport()).with_clock(clock.clone());
    let pages: Vec<_> = connection.list_companies_pages(Some(CONDITIONS), 2).collect::<Result<_, _>>().unwrap();
    let ids: Vec<i64> = pages.iter().flatten().map(|company| company.id).collect();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    assert_eq!(pages[2][0].name, "Acme 5");
    let pages_asked: Vec<Option<String>> = server.received().iter().map(|r| query_value(r, "page")).collect();
    assert_eq!(pages_asked, [Some("1".to_owned()), Some("2".to_owned()), Some("3".to_owned())]);
    // Three requests at the connector's 10 a second: two waits of a tenth of a second.
    clock.assert_sleeps(&[Duration::from_millis(100), Duration::from_millis(100)]);
}

#[test]
fn connectwise_spaces_create_ticket_a_second_apart() {
    use generated_clients::connectwise_like::{Connection, CreateTicketBody, CreateTicketBodyCompany, Site};
    let server = Server::start(|request| {
        match (connectwise_well_formed(request), request.method.as_str(), request.path.as_str()) {
            (true, "POST", "/v4_6_release/apis/3.0/service/tickets") => {
                let body = json_body(request);
                let ok = request.header("content-type") == Some("application/json")
                    && body == serde_json::json!({"summary": "Printer on fire", "company": {"id": 7}});
                if ok { (201, r#"{"id":1001}"#.to_owned()) } else { (400, "{}".to_owned()) }
            }
            (true, "GET", "/v4_6_release/apis/3.0/system/info") => (200, r#"{"version":"v1"}"#.to_owned()),
            _ => (401, "{}".to_owned()),
        }
    });
    let clock = FakeClock::new();
    let mut connection =
        Connection::new(connectwise(Site::ApiEuMyconnectwiseNet), server.transport()).with_clock(clock.clone());
    let body = CreateTicketBody { summary: "Printer on fire".to_owned(), company: CreateTicketBodyCompany { id: 7 } };
    assert_eq!(connection.create_ticket(&body).unwrap().id, 1001);
    clock.assert_sleeps(&[]);
    assert_eq!(connection.create_ticket(&body).unwrap().id, 1001);
    // Create Ticket's own limit, one request a second: the second ticket waits a second.
    clock.assert_sleeps(&[Duration::from_secs(1)]);
    // Its limit is instead of the connector's: the first call under the connector's limit
    // does not wait, the one right after it waits a tenth of a second.
    connection.get_system_info().unwrap();
    connection.get_system_info().unwrap();
    clock.assert_sleeps(&[Duration::from_secs(1), Duration::from_millis(100)]);
    assert_eq!(server.received().len(), 4);
}

// --- Akken-like: an API key header and two credential headers -------------------------------

const AKKEN_KEY: &str = "ak_live_9f8e7d6c5b4a";
const AKKEN_USER: &str = "integration@example.com";
const AKKEN_PASSWORD: &str = "Pa$$ w0rd:\"quoted\"&=";

fn akken(environment: generated_clients::akken_like::Environment) -> generated_clients::akken_like::Client {
    use generated_clients::akken_like::{Client, Config, Secret};
    Client::new(Config {
        api_key: Secret::new(AKKEN_KEY),
        user_name: AKKEN_USER.to_owned(),
        user_password: Secret::new(AKKEN_PASSWORD),
        environment,
    })
    .unwrap()
}

#[test]
fn akken_sends_its_key_user_and_password_headers_to_the_sandbox() {
    use generated_clients::akken_like::{Candidate, Connection, Environment, PageRequest};
    let server = Server::start(|request| {
        let ok = request.header("x-akken-key") == Some(AKKEN_KEY)
            && request.header("x-akken-user") == Some(AKKEN_USER)
            && request.header("x-akken-password") == Some(AKKEN_PASSWORD)
            && request.header("authorization").is_none()
            && request.header("x-original-host") == Some("sandbox.akken.test");
        if !ok {
            return (401, "{}".to_owned());
        }
        match request.path.as_str() {
            "/api/v2/candidates?offset=0&limit=50" => (200, r#"{"candidates":[]}"#.to_owned()),
            "/api/v2/candidates?status=placed&offset=0&limit=2" => (
                200,
                r#"{"candidates":[{"id":"41","name":"Ana","status":"placed"},{"id":"42","name":"Bo","status":"placed"}]}"#
                    .to_owned(),
            ),
            "/api/v2/candidates/42" => (200, r#"{"id":"42","name":"Bo","status":"placed"}"#.to_owned()),
            _ => (404, "{}".to_owned()),
        }
    });
    let client = akken(Environment::Sandbox);
    // Built requests show the user name, never the key or the password.
    let requests =
        [client.list_candidates(Some("placed"), &PageRequest::first(2)).unwrap(), client.get_candidate("42").unwrap()];
    for request in &requests {
        assert_eq!(request.header("x-akken-key"), Some(AKKEN_KEY));
        let debug = format!("{request:?}");
        assert!(!debug.contains(AKKEN_KEY) && !debug.contains(AKKEN_PASSWORD), "{debug}");
        assert!(debug.contains(AKKEN_USER), "{debug}");
    }
    assert!(requests[0].url.starts_with("https://sandbox.akken.test/api/v2/candidates?"));
    let mut connection = Connection::new(client, server.transport());
    connection.check().unwrap();
    let page = connection.list_candidates(Some("placed"), &PageRequest::first(2)).unwrap();
    assert_eq!(page.candidates.len(), 2);
    let candidate: Candidate = connection.get_candidate("42").unwrap();
    assert_eq!(candidate.name, "Bo");
    assert_eq!(server.received().len(), 3);
    // Production is another host.
    assert!(akken(Environment::App).get_candidate("42").unwrap().url.starts_with("https://app.akken.test/"));
}

#[test]
fn akken_refuses_an_api_key_that_a_header_cannot_carry() {
    use generated_clients::akken_like::{Client, Config, Environment, Error, Secret};
    let config = |api_key: &str| Config {
        api_key: Secret::new(api_key),
        user_name: AKKEN_USER.to_owned(),
        user_password: Secret::new(AKKEN_PASSWORD),
        environment: Environment::App,
    };
    let password = Config { user_password: Secret::new("pw\r\nX-Injected: 1"), ..config(AKKEN_KEY) };
    assert!(matches!(Client::new(password), Err(Error::InvalidValue { name: "UserPassword", .. })));
    let result = Client::new(config("k3y\r\nX-Injected: 1"));
    assert!(matches!(result, Err(Error::InvalidValue { name: "ApiKey", .. })), "{result:?}");
}

// --- Genesys-like: client credentials on the region's login host --------------------------

const GENESYS_ID: &str = "3b4c5d6e-7f80-4912-a3b4-c5d6e7f80912";
const GENESYS_SECRET: &str = "s3cr3t:+/=&% ü~";

fn genesys() -> generated_clients::genesys_like::Client {
    use generated_clients::genesys_like::{Client, Config, Region, Secret};
    Client::new(Config {
        client_id: GENESYS_ID.to_owned(),
        client_secret: Secret::new(GENESYS_SECRET),
        region: Region::Usw2PureCloud,
    })
    .unwrap()
}

/// Whether a request is the client-credentials token request of RFC 6749 section 4.4, with
/// the client's id and secret in a Basic header (each form-encoded first, section 2.3.1).
fn genesys_token_request(request: &Received) -> bool {
    let credentials = basic_credentials(request).map(|(id, secret)| (decode(&id), decode(&secret)));
    let form = request.form();
    request.method == "POST"
        && request.path == "/oauth/token"
        && request.header("x-original-host") == Some("login.usw2.pure.cloud")
        && request.header("content-type") == Some("application/x-www-form-urlencoded")
        && credentials == Some((GENESYS_ID.to_owned(), GENESYS_SECRET.to_owned()))
        && form.len() == 1
        && form.get("grant_type").map(String::as_str) == Some("client_credentials")
}

/// Whether a request is an API call on the region's API host with the token.
fn genesys_api_call(request: &Received, path: &str) -> bool {
    request.method == "GET"
        && request.path == path
        && request.header("x-original-host") == Some("api.usw2.pure.cloud")
        && request.header("authorization") == Some("Bearer gen-tok")
}

const GENESYS_TOKEN: &str = r#"{"access_token":"gen-tok","token_type":"bearer","expires_in":86399}"#;

#[test]
fn genesys_signs_in_on_the_region_s_login_host_and_calls_its_api_host() {
    use generated_clients::genesys_like::Connection;
    let server = Server::start(|request| {
        if request.path == "/oauth/token" {
            if !genesys_token_request(request) {
                return (401, r#"{"error":"invalid_client"}"#.to_owned());
            }
            return (200, GENESYS_TOKEN.to_owned());
        }
        if genesys_api_call(request, "/api/v2/organizations/me") {
            return (200, r#"{"id":"org-1","name":"Acme Contact"}"#.to_owned());
        }
        (401, "{}".to_owned())
    });
    let clock = FakeClock::new();
    let mut connection = Connection::new(genesys(), server.transport()).with_clock(clock.clone());
    connection.check().unwrap();
    assert_eq!(connection.get_organization().unwrap().name, "Acme Contact");
    let received = server.received();
    assert_eq!(received.len(), 3, "{received:?}");
    assert!(genesys_token_request(&received[0]), "{:?}", received[0]);
    assert!(!received[0].form().contains_key("client_secret") && !received[0].body.contains("s3cr3t"));
    assert!(received[1..].iter().all(|r| genesys_api_call(r, "/api/v2/organizations/me")));
    // One token for both calls; the connector's 5 requests a second space the API calls.
    clock.assert_sleeps(&[Duration::from_millis(200)]);
}

/// A Genesys server that answers the API's first calls with a 429 and each `Retry-After` in
/// turn, then with the organisation.
fn genesys_rate_limited_server(retry_afters: &'static [&'static str]) -> Server {
    let calls = AtomicUsize::new(0);
    Server::start_with_headers(move |request| {
        if genesys_token_request(request) {
            return (200, Vec::new(), GENESYS_TOKEN.to_owned());
        }
        if !genesys_api_call(request, "/api/v2/organizations/me") {
            return (401, Vec::new(), "{}".to_owned());
        }
        match retry_afters.get(calls.fetch_add(1, Ordering::SeqCst)) {
            Some(wait) => (429, vec![("Retry-After", (*wait).to_owned())], r#"{"message":"slow down"}"#.to_owned()),
            None => (200, Vec::new(), r#"{"id":"org-1","name":"Acme Contact"}"#.to_owned()),
        }
    })
}

#[test]
fn genesys_honours_a_retry_after_of_one_second_on_a_429() {
    use generated_clients::genesys_like::Connection;
    let server = genesys_rate_limited_server(&["1"]);
    let clock = FakeClock::new();
    let mut connection = Connection::new(genesys(), server.transport()).with_clock(clock.clone());
    assert_eq!(connection.get_organization().unwrap().id, "org-1");
    // One wait, the second the server asked for; the rate limit asks for none after it.
    clock.assert_sleeps(&[Duration::from_secs(1)]);
    let paths: Vec<String> = server.received().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/oauth/token", "/api/v2/organizations/me", "/api/v2/organizations/me"]);
}

#[test]
fn genesys_waits_as_long_as_each_retry_after_asks_in_seconds_or_as_a_date() {
    use generated_clients::genesys_like::Connection;
    // Not the 1 s, 2 s of the backoff without `Retry-After`: 3 s, then until 22:13:30, 7 s
    // after the fake clock's 22:13:20 plus the 3 s waited.
    let server = genesys_rate_limited_server(&["3", "Tue, 14 Nov 2023 22:13:30 GMT"]);
    let clock = FakeClock::new();
    let mut connection = Connection::new(genesys(), server.transport()).with_clock(clock.clone());
    assert_eq!(connection.get_organization().unwrap().id, "org-1");
    clock.assert_sleeps(&[Duration::from_secs(3), Duration::from_secs(7)]);
    assert_eq!(server.received().len(), 4);
}

// --- Dynamics-like: the authorisation-code grant with the organisation's URL ---------------

const DYNAMICS_REDIRECT: &str = "https://cyclr.example.test/connector/callback";

fn dynamics_config(organization_url: &str) -> generated_clients::dynamics_like::Config {
    generated_clients::dynamics_like::Config {
        client_id: "a1b2c3d4-0000-4000-8000-123456789abc".to_owned(),
        client_secret: generated_clients::dynamics_like::Secret::new("dyn~Secret.1+/="),
        tenant: "contoso.onmicrosoft.com".to_owned(),
        organization_url: organization_url.to_owned(),
    }
}

fn dynamics(organization_url: &str) -> generated_clients::dynamics_like::Client {
    generated_clients::dynamics_like::Client::new(dynamics_config(organization_url)).unwrap()
}

/// Asserts that `url` sends the user to Contoso's tenant to authorise the connector for the
/// Contoso organisation.
fn assert_contoso_authorize_url(url: &str) {
    let (base, query) = url.split_once('?').unwrap();
    assert_eq!(base, "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize");
    assert!(
        query.contains("&scope=https%3A%2F%2Fcontoso.crm4.dynamics.com%2Fuser_impersonation+offline_access&"),
        "{query}"
    );
    let expected: BTreeMap<String, String> = [
        ("response_type", "code"),
        ("client_id", "a1b2c3d4-0000-4000-8000-123456789abc"),
        ("redirect_uri", DYNAMICS_REDIRECT),
        ("scope", "https://contoso.crm4.dynamics.com/user_impersonation offline_access"),
        ("state", "st4te/+= x"),
        ("prompt", "select_account"),
        ("domain_hint", "contoso.onmicrosoft.com"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(query_pairs(url), expected);
}

#[test]
fn dynamics_authorize_url_holds_the_organisation_s_scope_and_the_extra_parameters() {
    let url = dynamics("https://contoso.crm4.dynamics.com").authorize_url(DYNAMICS_REDIRECT, "st4te/+= x");
    assert_contoso_authorize_url(&url);
    assert!(!url.contains("dyn~Secret"), "{url}");
}

#[test]
fn dynamics_refuses_an_organization_url_that_is_not_https_or_has_a_query() {
    use generated_clients::dynamics_like::{Client, Error};
    for url in [
        "http://contoso.crm4.dynamics.com",
        "https://contoso.crm4.dynamics.com?tenant=other",
        "https://contoso.crm4.dynamics.com/?tenant=other",
        "https://contoso.crm4.dynamics.com#x",
        "contoso.crm4.dynamics.com",
    ] {
        let result = Client::new(dynamics_config(url));
        assert!(matches!(result, Err(Error::InvalidValue { name: "OrganizationUrl", .. })), "{url}: {result:?}");
    }
}

/// A Dynamics server: Contoso's token endpoint, and Who Am I on Contoso's organisation.
fn dynamics_server() -> Server {
    Server::start(|request| {
        if request.header("x-original-host") == Some("login.microsoftonline.com") {
            let form = request.form();
            let expected = [
                ("grant_type", "authorization_code"),
                ("code", "the-code"),
                ("redirect_uri", DYNAMICS_REDIRECT),
                ("client_id", "a1b2c3d4-0000-4000-8000-123456789abc"),
                ("client_secret", "dyn~Secret.1+/="),
            ];
            let ok = request.path == "/contoso.onmicrosoft.com/oauth2/v2.0/token"
                && form.len() == expected.len()
                && expected.iter().all(|(k, v)| form.get(*k).map(String::as_str) == Some(*v));
            if !ok {
                return (400, r#"{"error":"invalid_grant"}"#.to_owned());
            }
            return (200, r#"{"access_token":"dyn-tok","token_type":"Bearer","expires_in":3599}"#.to_owned());
        }
        let ok = request.header("x-original-host") == Some("contoso.crm4.dynamics.com")
            && request.path == "/api/data/v9.2/WhoAmI"
            && request.header("authorization") == Some("Bearer dyn-tok");
        if ok { (200, r#"{"UserId":"u-1","BusinessUnitId":"bu-1"}"#.to_owned()) } else { (401, "{}".to_owned()) }
    })
}

#[test]
fn dynamics_exchanges_the_code_with_the_tenant_and_calls_the_organisation_s_host() {
    use generated_clients::dynamics_like::{Connection, Transport, parse_token_response};
    let server = dynamics_server();
    let client = dynamics("https://contoso.crm4.dynamics.com");
    let transport = server.transport();
    let response = transport.send(&client.code_exchange_request("the-code", DYNAMICS_REDIRECT)).unwrap();
    let token = parse_token_response(response.status, &response.body).unwrap();
    let mut connection = Connection::new(client, transport).with_token(token);
    connection.check().unwrap();
    let me = connection.who_am_i().unwrap();
    assert_eq!((me.user_id.as_str(), me.business_unit_id.as_str()), ("u-1", "bu-1"));
    assert_eq!(server.received().len(), 3);
}

#[test]
fn dynamics_refuses_a_trailing_slash_of_the_organization_url() {
    use generated_clients::dynamics_like::{Client, Error};
    // The value starts every API URL and the scope, as written: a trailing `/` (which would
    // double the path's first `/`) is refused, never dropped in one place and kept in
    // another.
    let refused = Client::new(dynamics_config("https://contoso.crm4.dynamics.com/"));
    assert!(
        matches!(refused, Err(Error::InvalidValue { name: "OrganizationUrl", .. })),
        "{refused:?}"
    );
}

// --- Acme Setup Values: a bearer key, a yes-or-no, text, a number and a choice -------------

const ACME_TOKEN: &str = "pat_Zx9+/=Qw";

fn acme_books(
    region: generated_clients::acme_setup_values::Region,
    ledger: i64,
    sandbox: bool,
) -> generated_clients::acme_setup_values::Client {
    use generated_clients::acme_setup_values::{Client, Config, Secret};
    Client::new(Config { token: Secret::new(ACME_TOKEN), region, ledger, sandbox, company: "acme-ltd".to_owned() })
        .unwrap()
}

/// An Acme Books server for ledger 42 on the EU sandbox: checks the headers every request
/// carries and those of Create Entry.
fn acme_books_server() -> Server {
    Server::start(|request| {
        let ok = request.header("authorization") == Some(format!("Bearer {ACME_TOKEN}").as_str())
            && request.header("x-sandbox") == Some("true")
            && request.header("x-company") == Some("company=acme-ltd; v=2")
            && request.header("x-original-host") == Some("eu.books.acme.test");
        if !ok {
            return (401, "{}".to_owned());
        }
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/v2/ledgers/42/summary") => (200, r#"{"name":"Main ledger"}"#.to_owned()),
            ("POST", "/v2/ledgers/42/entries") => {
                let ok = request.header("idempotency-replay") == Some("allow")
                    && request.header("x-ledger-owner") == Some("acme-ltd@eu")
                    && json_body(request) == serde_json::json!({"memo": "Office chairs", "amount": 12999});
                if ok { (201, r#"{"id":"e-1"}"#.to_owned()) } else { (400, "{}".to_owned()) }
            }
            _ => (404, "{}".to_owned()),
        }
    })
}

#[test]
fn acme_setup_values_put_the_token_sandbox_company_and_ledger_where_they_belong() {
    use generated_clients::acme_setup_values::{Connection, CreateEntryBody, Region};
    let client = acme_books(Region::Eu, 42, true);
    let request = client.get_ledger().unwrap();
    let authorizations = request.headers.iter().filter(|(name, _)| name.eq_ignore_ascii_case("authorization"));
    assert_eq!(authorizations.count(), 1, "{request:?}");
    let debug = format!("{request:?}");
    assert!(!debug.contains(ACME_TOKEN) && debug.contains("[redacted]"), "{debug}");
    assert!(debug.contains("company=acme-ltd; v=2"), "{debug}");
    let server = acme_books_server();
    let clock = FakeClock::new();
    let mut connection = Connection::new(client, server.transport()).with_clock(clock.clone());
    connection.check().unwrap();
    let body = CreateEntryBody { memo: "Office chairs".to_owned(), amount: 12999 };
    assert_eq!(connection.create_entry(&body).unwrap().id, "e-1");
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("idempotency-replay"), None, "Create Entry's own headers are its own");
    assert_eq!(received[0].header("x-ledger-owner"), None);

    // Another region, ledger and no sandbox.
    let request = acme_books(Region::Us, 7, false).get_ledger().unwrap();
    assert_eq!(request.url, "https://us.books.acme.test/v2/ledgers/7/summary");
    assert_eq!(request.header("x-sandbox"), Some("false"));
    let request = acme_books(Region::Au, 7, false).create_entry(&body).unwrap();
    assert_eq!(request.header("x-ledger-owner"), Some("acme-ltd@au"));
}

#[test]
fn acme_setup_values_space_requests_by_their_limits() {
    use generated_clients::acme_setup_values::{Connection, CreateEntryBody, Region};
    let server = acme_books_server();
    let clock = FakeClock::new();
    let mut connection =
        Connection::new(acme_books(Region::Eu, 42, true), server.transport()).with_clock(clock.clone());
    // The connector's limit, a request every 2 s; Create Entry's own, one a second.
    connection.get_ledger().unwrap();
    connection.get_ledger().unwrap();
    clock.assert_sleeps(&[Duration::from_secs(2)]);
    let body = CreateEntryBody { memo: "Office chairs".to_owned(), amount: 12999 };
    connection.create_entry(&body).unwrap();
    connection.create_entry(&body).unwrap();
    clock.assert_sleeps(&[Duration::from_secs(2), Duration::from_secs(1)]);
    assert_eq!(server.received().len(), 4);
}

#[test]
fn acme_setup_values_refuse_a_token_that_a_header_cannot_carry() {
    use generated_clients::acme_setup_values::{Client, Config, Error, Region, Secret};
    let config = |token: &str, company: &str| Config {
        token: Secret::new(token),
        region: Region::Eu,
        ledger: 42,
        sandbox: false,
        company: company.to_owned(),
    };
    assert!(Client::new(config(ACME_TOKEN, "acme-ltd")).is_ok());
    assert!(matches!(Client::new(config(ACME_TOKEN, "acme\r\nx")), Err(Error::InvalidValue { name: "Company", .. })));
    let result = Client::new(config("pat\r\nX-Injected: 1", "acme-ltd"));
    assert!(matches!(result, Err(Error::InvalidValue { name: "Token", .. })), "{result:?}");
}

// --- Acme Two Sign-Ins: OAuth2 by default, or an API key --------------------------------

fn two_sign_ins_config(
    sign_in_with: generated_clients::acme_two_sign_ins::SignInWith,
) -> generated_clients::acme_two_sign_ins::Config {
    use generated_clients::acme_two_sign_ins::{Config, Secret};
    Config {
        sign_in_with,
        client_id: None,
        client_secret: None,
        api_key: Some(Secret::new("pk_live_1")),
        sub_domain: "support".to_owned(),
    }
}

/// A help desk that takes either a bearer token or the `X-Api-Key` header, and says which
/// it got.
fn two_sign_ins_server() -> Server {
    Server::start(|request| {
        let host_ok = request.header("x-original-host") == Some("support.helpdesk.acme.test");
        let by = match (request.header("authorization"), request.header("x-api-key")) {
            (Some("Bearer oauth-tok"), None) => "oauth",
            (None, Some("pk_live_1")) => "key",
            _ => return (401, "{}".to_owned()),
        };
        if !host_ok || request.path != "/api/v2/me" {
            return (404, "{}".to_owned());
        }
        (200, format!(r#"{{"id":1,"name":"{by}"}}"#))
    })
}

#[test]
fn two_sign_ins_send_the_chosen_one_s_credentials_only() {
    use generated_clients::acme_two_sign_ins::{AccessToken, Client, Connection, Secret, SignInWith};
    // The API key: no token needed, the key in its header, no `Authorization`.
    let server = two_sign_ins_server();
    let client = Client::new(two_sign_ins_config(SignInWith::ApiKey)).unwrap();
    let mut connection = Connection::new(client, server.transport());
    connection.check().unwrap();
    assert_eq!(connection.get_me().unwrap().name, "key");
    assert!(server.received().iter().all(|r| r.header("authorization").is_none()));
    // OAuth2: the token the user granted, and not the API key even though one is set.
    let server = two_sign_ins_server();
    let config = generated_clients::acme_two_sign_ins::Config {
        client_id: Some("cid".to_owned()),
        client_secret: Some(Secret::new("csecret")),
        ..two_sign_ins_config(SignInWith::OAuth)
    };
    let client = Client::new(config).unwrap();
    let request = client.get_me(Some(&AccessToken::new("oauth-tok"))).unwrap();
    assert_eq!(request.header("x-api-key"), None);
    let mut connection =
        Connection::new(client, server.transport()).with_token(AccessToken::new("oauth-tok"));
    assert_eq!(connection.get_me().unwrap().name, "oauth");
}

#[test]
fn two_sign_ins_need_the_chosen_one_s_values() {
    use generated_clients::acme_two_sign_ins::{Client, Error, SignInWith};
    // OAuth2 chosen without its client: refused, naming the value.
    let refused = Client::new(two_sign_ins_config(SignInWith::OAuth));
    assert!(
        matches!(refused, Err(Error::InvalidValue { name: "ClientId", .. })),
        "{refused:?}"
    );
    let without_key = generated_clients::acme_two_sign_ins::Config {
        api_key: None,
        ..two_sign_ins_config(SignInWith::ApiKey)
    };
    let refused = Client::new(without_key);
    assert!(
        matches!(refused, Err(Error::InvalidValue { name: "ApiKey", .. })),
        "{refused:?}"
    );
    // OAuth2 without a token from the user: the connection says so rather than sending
    // an unauthenticated call.
    let config = generated_clients::acme_two_sign_ins::Config {
        client_id: Some("cid".to_owned()),
        client_secret: Some(generated_clients::acme_two_sign_ins::Secret::new("csecret")),
        ..two_sign_ins_config(SignInWith::OAuth)
    };
    let server = two_sign_ins_server();
    let mut connection =
        generated_clients::acme_two_sign_ins::Connection::new(Client::new(config).unwrap(), server.transport());
    assert!(matches!(connection.get_me(), Err(Error::TokenExpired)));
    assert!(server.received().is_empty());
}
