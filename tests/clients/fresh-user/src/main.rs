//! A new user's program: depends on the generated Invenias crate, signs in with the password
//! grant and lists people. The whole of the user's code is this file.

use invenias_client::{Client, Config, Connection, ListOptions, PageRequest, Secret, UreqTransport};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::new(Config {
        client_id: "test-client".to_owned(),
        client_secret: Secret::new("test-secret&="),
        username: "ana@example.test".to_owned(),
        password: Secret::new("p@ss word"),
        sub_domain: "acme".to_owned(),
    })?;
    let server = std::env::args().nth(1).ok_or("usage: fresh-user <server origin>")?;
    let mut invenias = Connection::new(client, UreqTransport::with_origin(&server));
    let people = invenias.list_people(&PageRequest::first(2), &ListOptions::default())?;
    println!("{} people", people.items.len());
    Ok(())
}
