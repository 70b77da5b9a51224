//! The client of tests/fixtures/valid/acme-hooks.yaml: a webhook's subscribe and unsubscribe
//! calls, the reader of what it posts, List New and List Updated methods with their date in
//! the query and in the body, a bulk method, and fields only responses carry.

use generated_clients::acme_hooks::{
    Client, Config, CreateTicketUpdatedWebhookBody, CreateTicketUpdatedWebhookBodyWebhook,
    CreateTicketsBody, Error, HttpMethod, PageRequest, Secret, Ticket, TicketStatus,
    read_ticket_updated,
};

fn client() -> Client {
    Client::new(Config {
        api_key: Secret::new("k"),
    })
    .unwrap()
}

#[test]
fn a_webhook_subscribes_a_url_and_unsubscribes_by_id() {
    let body = CreateTicketUpdatedWebhookBody {
        webhook: CreateTicketUpdatedWebhookBodyWebhook {
            endpoint: "https://hooks.example/abc".to_owned(),
            events: "ticket.updated".to_owned(),
        },
    };
    let request = client().create_ticket_updated_webhook(&body).unwrap();
    assert_eq!(request.method, HttpMethod::Post);
    assert_eq!(request.url, "https://api.acme.test/v1/webhooks");
    let sent: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({ "webhook": { "endpoint": "https://hooks.example/abc", "events": "ticket.updated" } })
    );
    let request = client().delete_ticket_updated_webhook("wh 1/2").unwrap();
    assert_eq!(request.method, HttpMethod::Delete);
    assert_eq!(request.url, "https://api.acme.test/v1/webhooks/wh%201%2F2");
}

#[test]
fn a_webhook_payload_reads_into_its_type() {
    let posted = br#"{"id": 7, "subject": "Printer", "status": "escalated", "event": "updated", "extra": 1}"#;
    let payload = read_ticket_updated(posted).unwrap();
    assert_eq!(payload.ticket.id, 7);
    assert_eq!(payload.ticket.subject, "Printer");
    // A status the definition does not list still reads.
    assert_eq!(
        payload.ticket.status,
        Some(TicketStatus::Other("escalated".to_owned()))
    );
    assert!(matches!(read_ticket_updated(b"{\"id\": 7}"), Err(Error::Json(_))));
}

#[test]
fn since_dates_go_where_the_api_reads_them() {
    let request = client()
        .list_new_tickets(None, "2024-01-31T09:30:00Z", &PageRequest::first(100))
        .unwrap();
    assert_eq!(
        request.url,
        "https://api.acme.test/v1/tickets?per_page=100&created_since=2024-01-31T09%3A30%3A00Z"
    );
    let request = client().list_updated_tickets("2024-01-31 09:30:00").unwrap();
    let sent: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({ "filter": { "updated_after": "2024-01-31 09:30:00" } })
    );
}

#[test]
fn read_only_fields_are_read_but_never_sent() {
    let ticket: Ticket = serde_json::from_str(
        r#"{"id": 3, "subject": "Printer", "updated_at": "2024-01-31T09:30:00Z"}"#,
    )
    .unwrap();
    assert_eq!(ticket.id, 3);
    assert_eq!(ticket.updated_at.as_deref(), Some("2024-01-31T09:30:00Z"));
    let request = client()
        .create_tickets(&CreateTicketsBody {
            tickets: vec![ticket.clone(), ticket],
        })
        .unwrap();
    let sent: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        sent,
        serde_json::json!({ "tickets": [ { "subject": "Printer" }, { "subject": "Printer" } ] })
    );
}
