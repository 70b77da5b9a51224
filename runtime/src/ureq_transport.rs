// A blocking transport on `ureq` for connector-gen's generated clients.
//
// connector-gen writes this file verbatim into every generated crate (`src/ureq_transport.rs`,
// behind the crate's `ureq` features). Edit it in connector-gen's
// `runtime/src/ureq_transport.rs`, where it is compiled, linted and tested; never edit a copy.

//! A blocking [`Transport`] on `ureq`.

use std::time::Duration;

use super::runtime::{Request, Response, Transport, TransportError};

/// Sends requests with `ureq`, blocking until the response has arrived.
#[derive(Debug, Clone)]
pub struct UreqTransport {
    agent: ureq::Agent,
    origin: Option<String>,
}

impl UreqTransport {
    /// A transport whose requests time out after 60 seconds.
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(60)))
            .build();
        Self::with_agent(config.into())
    }

    /// A transport on an agent you configured (proxy, timeouts, TLS).
    pub fn with_agent(agent: ureq::Agent) -> Self {
        UreqTransport {
            agent,
            origin: None,
        }
    }

    /// A transport that sends every request to `origin` (such as `http://127.0.0.1:8080`)
    /// instead of the host in its URL, keeping the path and query: for a local test server
    /// or a gateway. The original host goes in the `X-Original-Host` header.
    pub fn with_origin(origin: &str) -> Self {
        UreqTransport {
            origin: Some(origin.trim_end_matches('/').to_owned()),
            ..Self::new()
        }
    }
}

impl Default for UreqTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl Transport for UreqTransport {
    fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let mut builder = ureq::http::Request::builder().method(request.method.as_str());
        match (&self.origin, request.url.split_once("://")) {
            (Some(origin), Some((_, rest))) => {
                let split = rest.find(['/', '?']).unwrap_or(rest.len());
                let (host, path) = rest.split_at(split);
                builder = builder
                    .uri(format!("{origin}{path}"))
                    .header("X-Original-Host", host);
            }
            _ => builder = builder.uri(&request.url),
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        let response = match &request.body {
            Some(body) => self.agent.run(builder.body(body.clone().into_bytes())?)?,
            None => self.agent.run(builder.body(())?)?,
        };
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let body = response.into_body().read_to_vec()?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }
}
