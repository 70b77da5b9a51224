//! The catalogue: one entry per connector, for `catalogue.json`, the docs site's index page
//! and `connector-gen list`.

use serde::Serialize;

use crate::definition::AuthKind;
use crate::model::{Connector, Flow};

/// One connector in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    /// The connector's id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// The authentication type.
    pub auth_type: AuthKind,
    /// The OAuth2 flow, if any.
    pub flow: Option<Flow>,
    /// The setup fields' display names, in order.
    pub fields: Vec<String>,
    /// How many methods it has.
    pub methods: usize,
    /// The permalink of its docs page.
    pub permalink: String,
}

/// The catalogue of `connectors`, sorted by id.
pub fn entries(connectors: &[Connector]) -> Vec<CatalogueEntry> {
    let mut entries: Vec<CatalogueEntry> = connectors
        .iter()
        .map(|c| CatalogueEntry {
            id: c.id.clone(),
            name: c.name.clone(),
            auth_type: c.auth.kind(),
            flow: c.auth.flow(),
            fields: c.fields.iter().map(|f| f.display_name.clone()).collect(),
            methods: c.methods.len(),
            permalink: c.docs.permalink.clone(),
        })
        .collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    entries
}

/// `catalogue.json`: the entries as pretty-printed JSON with a trailing newline.
pub fn to_json(entries: &[CatalogueEntry]) -> String {
    let mut json = serde_json::to_string_pretty(entries).expect("catalogue entries serialise");
    json.push('\n');
    json
}

/// The catalogue as a plain-text table for a terminal.
pub fn to_table(entries: &[CatalogueEntry]) -> String {
    let header = ["ID", "NAME", "AUTH", "FIELDS", "METHODS", "DOCS PAGE"];
    let rows: Vec<[String; 6]> = entries
        .iter()
        .map(|e| {
            let auth = match e.flow {
                Some(flow) => format!("{} ({})", e.auth_type.name(), flow.name()),
                None => e.auth_type.name().to_owned(),
            };
            [
                e.id.clone(),
                e.name.clone(),
                auth,
                e.fields.len().to_string(),
                e.methods.to_string(),
                e.permalink.clone(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join("  ").trim_end())
    };
    let mut table = line(header.to_vec());
    for row in &rows {
        table.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    table
}
