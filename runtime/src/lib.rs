//! The runtime of connector-gen's generated Rust clients, laid out as a generated crate lays
//! it out: `runtime` (everything the clients share) and `ureq_transport` (the ready blocking
//! transport). connector-gen embeds both files and writes them verbatim next to the code it
//! generates, so this crate exists to compile, lint and test them; nothing depends on it.

/// Everything the generated clients share.
pub mod runtime;
mod ureq_transport;

pub use ureq_transport::UreqTransport;

#[cfg(test)]
mod tests;
