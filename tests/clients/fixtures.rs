//! Exercises the clients generated from tests/fixtures/valid: each auth type puts its
//! credentials where it should, and hostile text survives into string constants intact.

use generated_clients::{acme_api_key, acme_basic, acme_client_credentials, acme_none};

#[test]
fn api_key_goes_in_its_header_and_queries_are_encoded() {
    let client = acme_api_key::Client::new(acme_api_key::Config {
        api_key: acme_api_key::Secret::new("k3y"),
        type_: "live".to_owned(),
    })
    .unwrap();
    let request = client.search_orders("a b&c", None).unwrap();
    assert_eq!(request.url, "https://api.acme.test/live/v2/orders?Self=a+b%26c");
    assert_eq!(request.header("x-api-key"), Some("k3y"));
    assert!(!format!("{request:?}").contains("k3y"));
    let request = client.search_orders("x", Some("abc")).unwrap();
    assert_eq!(request.url, "https://api.acme.test/live/v2/orders?Self=x&Fn=abc");
    assert!(client.search_orders("x", Some("ABC")).is_err(), "Fn must match [a-z]+");
    assert!(client.delete_order("12a").is_err(), "OrderId must match [0-9]+");
    let bad_type = acme_api_key::Config {
        api_key: acme_api_key::Secret::new("k3y"),
        type_: "staging".to_owned(),
    };
    assert!(acme_api_key::Client::new(bad_type).is_err());
}

#[test]
fn basic_auth_sends_the_key_as_user_name_with_a_blank_password() {
    let client = acme_basic::Client::new(acme_basic::Config {
        api_key: acme_basic::Secret::new("key"),
    })
    .unwrap();
    let request = client.list_contacts().unwrap();
    // base64("key:")
    assert_eq!(request.header("authorization"), Some("Basic a2V5Og=="));
}

#[test]
fn client_credentials_go_in_a_basic_header_when_declared() {
    let client = acme_client_credentials::Client::new(acme_client_credentials::Config {
        client_id: "id".to_owned(),
        client_secret: acme_client_credentials::Secret::new("s:e"),
    })
    .unwrap();
    let request = client.token_request();
    assert_eq!(request.url, "https://auth.acme.test/oauth2/token");
    assert_eq!(request.body.as_deref(), Some("grant_type=client_credentials&scope=read+write"));
    // base64("id:s%3Ae"): RFC 6749 section 2.3.1 form-encodes both before Basic encoding.
    assert_eq!(request.header("authorization"), Some("Basic aWQ6cyUzQWU="));
}

#[test]
fn hostile_text_reaches_string_constants_unchanged() {
    assert_eq!(acme_none::NAME, "Acme \"Open\" Data */ \"# }} {% raw %}");
}

/// The client of acme-hygiene, whose names are the generated code's own.
fn hygiene_client() -> generated_clients::acme_hygiene::Client {
    use generated_clients::acme_hygiene::{Client, Config, Secret};
    Client::new(Config {
        client_id: "id".to_owned(),
        client_secret: Secret::new("secret"),
        username: "user".to_owned(),
        password: Secret::new("password"),
        sub_domain: "acme".to_owned(),
    })
    .unwrap()
}

#[test]
fn parameters_named_like_the_generated_code_s_own_names_keep_their_values() {
    use generated_clients::acme_hygiene::{AccessToken, ListWidgetsBody, PageAt, PageRequest};
    let client = hygiene_client();
    let token = AccessToken::new("t0ken");
    // Token, Url, Value and Query are the vendor's parameters, not the method's own token,
    // URL and query string.
    let request = client.get_widget(&token, "42", "widget-1", "7", Some("a b")).unwrap();
    assert_eq!(request.url, "https://acme.acme.test/api/v1/widgets/42/widget-1?Value=7&Query=a+b");
    assert_eq!(request.header("authorization"), Some("Bearer t0ken"));
    assert!(client.get_widget(&token, "42", "widget-1", "x", None).is_err(), "Value must match [0-9]+");
    let body = ListWidgetsBody { name: Some("n".to_owned()) };
    let page = PageRequest { size: 10, at: PageAt::Number(2) };
    let request = client
        .list_widgets(&token, Some("p"), Some("b"), Some("j"), Some("o"), Some("a"), &page, &body)
        .unwrap();
    assert_eq!(request.url, "https://acme.acme.test/api/v1/widgets/list?Page=p&Body=b&Json=j&Object=o&Auth=a");
    assert_eq!(request.body.as_deref(), Some(r#"{"Name":"n","PageIndex":2,"PageSize":10}"#));
}

#[test]
fn parameters_named_like_page_values_keep_their_values_beside_the_page() {
    use generated_clients::acme_hygiene::{AccessToken, PageAt, PageRequest};
    let client = hygiene_client();
    let token = AccessToken::new("t0ken");
    // Number, Size, PageSize, Since, Connection and Fetch are the vendor's parameters; the
    // page number, page size and date are the method's own.
    let page = PageRequest { size: 10, at: PageAt::Number(3) };
    let request = client
        .search_widgets(&token, Some("1"), Some("2"), Some("3"), Some("4"), Some("5"), Some("6"), "2024-01-31", &page)
        .unwrap();
    assert_eq!(
        request.url,
        "https://acme.acme.test/api/v1/widgets/search?Number=1&Size=2&PageSize=3&Since=4&Connection=5&Fetch=6&p=3&n=10&changed=2024-01-31"
    );
    let page = PageRequest { size: 10, at: PageAt::Cursors(vec!["c 2".to_owned()]) };
    let request = client.scan_widgets(&token, Some("x"), Some("y"), &page).unwrap();
    assert_eq!(request.url, "https://acme.acme.test/api/v1/widgets/scan?Cursors=x&Offset=y&c=c+2&n=10");
    let page = PageRequest { size: 10, at: PageAt::Url("/api/v1/widgets/follow?after=9".to_owned()) };
    let request = client.follow_widgets(&token, Some("n"), &page).unwrap();
    assert_eq!(request.url, "https://acme.acme.test/api/v1/widgets/follow?after=9");
}

#[test]
fn fields_sharing_an_object_with_their_shape_are_written_and_read_once() {
    use generated_clients::acme_names::{
        Client, Config, PageAt, PageRequest, Secret, SendMessageBody, SendMessageBodyMeta, SendMessageResponse,
    };
    let client = Client::new(Config { api_key: Secret::new("k3y") }).unwrap();
    // `meta.folder` comes from the shape Message, `meta.draft` from the method: one `meta`.
    let mut body = SendMessageBody::default();
    body.from.address = "ana@acme.test".to_owned();
    body.meta = Some(SendMessageBodyMeta { folder: Some("drafts".to_owned()), draft: Some(true) });
    let request = client.send_message("1", "ana@acme.test", "u-1", &body).unwrap();
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"from":{"address":"ana@acme.test"},"meta":{"folder":"drafts","draft":true}}"#)
    );
    let response: SendMessageResponse = serde_json::from_str(
        r#"{"id":"m1","from":{"address":"ana@acme.test"},"meta":{"folder":"sent","sent_at":"2024-01-31T09:30:00Z"}}"#,
    )
    .unwrap();
    assert_eq!(response.id, "m1");
    let meta = response.meta.unwrap();
    assert_eq!(meta.folder.as_deref(), Some("sent"));
    assert_eq!(meta.sent_at.as_deref(), Some("2024-01-31T09:30:00Z"));
    // Paging keys in a JSON body are one key each, dots and brackets and all.
    let page = PageRequest { size: 50, at: PageAt::Number(2) };
    let request = client.list_users(&page).unwrap();
    assert_eq!(request.body.as_deref(), Some(r#"{"page[size]":50,"paging.page":2}"#));
}
