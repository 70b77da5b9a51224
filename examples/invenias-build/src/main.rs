//! Uses the Invenias client that `build.rs` generated: builds the token request and a list
//! request and prints them (no request is sent).

/// The runtime every generated client calls into, written beside the modules.
#[allow(dead_code)] // The example uses only part of it.
mod runtime {
    include!(concat!(env!("OUT_DIR"), "/rust/runtime.rs"));
}

/// The generated Invenias client.
#[allow(dead_code)] // The example uses only part of the client.
mod invenias {
    include!(concat!(env!("OUT_DIR"), "/rust/invenias.rs"));
}

use invenias::{AccessToken, Client, Config, ListOptions, PageRequest, Secret};

fn main() -> Result<(), invenias::Error> {
    let client = Client::new(Config {
        client_id: "example-client".to_owned(),
        client_secret: Secret::new("example-secret"),
        username: "ana@example.com".to_owned(),
        password: Secret::new("example-password"),
        sub_domain: "company".to_owned(),
    })?;
    let token_request = client.token_request();
    println!("{} {}", token_request.method.as_str(), token_request.url);
    let token = AccessToken::new("example-token");
    let list = client.list_people(&token, &PageRequest::first(100), &ListOptions::default())?;
    println!("{} {}", list.method.as_str(), list.url);
    Ok(())
}
