//! The catalogue: one entry per connector, for `catalogue.json`, the docs site's index page
//! and `connector-gen list`.
//!
//! Each entry of `catalogue.json` is also an item of Cyclr's connector listing (the items of
//! `GET /v1.0/connectors`, which the docs site kept as `_data/v2/connectors/*.json`;
//! `shared/reference/cyclr-format.md` sections 1 and 9), so that the site and Cyclr-side
//! tooling read one file: the listing's keys first, in the listing's order ([`Listing`]), then
//! connector-gen's own (`id`, `name`, `auth_type`, `flow`, `fields`, `methods`, `permalink`).
//! The listing keys are those of the 391 of 393 real items that have them all, every key
//! always written, `null` where there is no value, as the real items write them. The listing
//! leaves a key out only for a method without a `Description` or `Subcategory` and a group of
//! uncategorised methods (no `Category`); a definition gives every method a description and a
//! category, and none a subcategory, so `Description` and `Category` are always written and
//! `Subcategory` never.
//!
//! The choices, made here once:
//! - `Id` is `null`: Cyclr's number for a connector exists only once Cyclr has the
//!   connector, and no definition holds one. Identify a connector by connector-gen's `id`.
//! - `Icon` is `null`: the listing's icon is Cyclr's URL of an uploaded icon
//!   (`https://my.cyclr.com/api/ConnectorIcon/<Id>`), which needs that number, and
//!   connector-gen writes no icon.
//! - `Status` is the Cyclr JSON's ([`crate::model::cyclr::STATUS`], `Approved`), read
//!   from the model as `templates/cyclr.json.j2` reads it.
//! - `Version` is the definition's `api_version` (Cyclr's `Version`), `null` without one.
//! - `Categories` is `[]`: definitions have no product categories.
//! - `MetaTile`, `MetaDescription`, `Screenshot`, `Content`, `WebsiteUrl` and
//!   `DocumentationUrl` are `null`: definitions hold none of them.
//! - `PartnerSetupGuideUrl` is [`DOCS_SITE`] (`https://docs.cyclr.com/`) followed by the
//!   docs page's permalink, as the real items link the generated pages.
//! - `MethodCategories` lists the methods a user sees, as the Cyclr JSON writes them: the
//!   definition's methods in order (`MethodType` `Action`), then its webhooks in order
//!   (`Webhook`), with the Cyclr JSON's `Name`, `Description` and `Category`; each category
//!   once, in order of first appearance, holding its methods in that order. The hidden calls
//!   that subscribe and unsubscribe a webhook (`Hide` in the Cyclr JSON) are left out, as the
//!   listing leaves out Cyclr's own (Intelliflo's nine webhooks, say, are listed with no call
//!   that creates them).
//!   connector-gen's `methods` still counts every call, hidden ones included.

use serde::Serialize;

use crate::definition::AuthKind;
use crate::model::cyclr::Status;
use crate::model::{Connector, Flow};

/// The docs site the generated pages are published on; a page's URL is this followed by its
/// permalink.
pub const DOCS_SITE: &str = "https://docs.cyclr.com/";

/// One connector in the catalogue: the listing's keys, then connector-gen's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogueEntry {
    /// The keys of Cyclr's connector listing.
    #[serde(flatten)]
    pub listing: Listing,
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
    /// How many methods it has, the hidden webhook calls included.
    pub methods: usize,
    /// The permalink of its docs page.
    pub permalink: String,
}

/// A connector as Cyclr's connector listing shows it, in the listing's key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Listing {
    /// `Description`: what the vendor's product is.
    pub description: String,
    /// `Id`: Cyclr's number for the connector; none until Cyclr has it.
    pub id: Option<u64>,
    /// `Name`.
    pub name: String,
    /// `Version`: the vendor API's version.
    pub version: Option<String>,
    /// `Status`.
    pub status: Status,
    /// `Icon`: the URL of Cyclr's icon; none until Cyclr has one.
    pub icon: Option<String>,
    /// `Categories`: the product categories.
    pub categories: Vec<String>,
    /// `MethodCategories`: the methods a user sees, by category.
    pub method_categories: Vec<MethodCategory>,
    /// `MetaTile`.
    pub meta_tile: Option<String>,
    /// `MetaDescription`.
    pub meta_description: Option<String>,
    /// `Screenshot`.
    pub screenshot: Option<String>,
    /// `Content`.
    pub content: Option<String>,
    /// `WebsiteUrl`.
    pub website_url: Option<String>,
    /// `DocumentationUrl`.
    pub documentation_url: Option<String>,
    /// `PartnerSetupGuideUrl`: the docs page's URL.
    pub partner_setup_guide_url: String,
}

/// One `MethodCategories` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct MethodCategory {
    /// `Category`: the category's name.
    pub category: String,
    /// `Methods`: its methods, in order.
    pub methods: Vec<ListedMethod>,
}

/// One method of a `MethodCategories` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListedMethod {
    /// `Name`.
    pub name: String,
    /// `Description`.
    pub description: String,
    /// `MethodType`.
    pub method_type: MethodType,
}

/// A listed method's `MethodType`, as the Cyclr JSON writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MethodType {
    /// A call the user's steps make.
    Action,
    /// An event the vendor posts.
    Webhook,
}

impl Listing {
    /// The listing item of `connector`.
    pub fn new(connector: &Connector) -> Self {
        let actions = connector
            .methods
            .iter()
            .filter(|m| !m.cyclr.hide)
            .map(|m| (&m.category, &m.name, &m.description, MethodType::Action));
        let webhooks = connector
            .webhooks
            .iter()
            .map(|w| (&w.category, &w.name, &w.description, MethodType::Webhook));
        let mut method_categories: Vec<MethodCategory> = Vec::new();
        for (category, name, description, method_type) in actions.chain(webhooks) {
            let method = ListedMethod {
                name: name.clone(),
                description: description.clone(),
                method_type,
            };
            match method_categories
                .iter_mut()
                .find(|c| &c.category == category)
            {
                Some(listed) => listed.methods.push(method),
                None => method_categories.push(MethodCategory {
                    category: category.clone(),
                    methods: vec![method],
                }),
            }
        }
        Listing {
            description: connector.description.clone(),
            id: None,
            name: connector.name.clone(),
            version: connector.api_version.clone(),
            status: connector.cyclr.status,
            icon: None,
            categories: Vec::new(),
            method_categories,
            meta_tile: None,
            meta_description: None,
            screenshot: None,
            content: None,
            website_url: None,
            documentation_url: None,
            partner_setup_guide_url: format!("{DOCS_SITE}{}", connector.docs.permalink),
        }
    }
}

/// The catalogue of `connectors`, sorted by id.
pub fn entries(connectors: &[Connector]) -> Vec<CatalogueEntry> {
    let mut entries: Vec<CatalogueEntry> = connectors
        .iter()
        .map(|c| CatalogueEntry {
            listing: Listing::new(c),
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

#[cfg(test)]
mod tests {
    use std::fmt;

    use serde::Deserialize;
    use serde::de::{IgnoredAny, MapAccess, Visitor};

    use super::*;
    use crate::Generator;

    /// The keys of Invenias's item of Cyclr's listing, in order (`_data/v2/connectors/
    /// connector-invenias.json` of cyclr/docs at f7a14eeb; 391 of the 393 items).
    const LISTING_KEYS: [&str; 15] = [
        "Description",
        "Id",
        "Name",
        "Version",
        "Status",
        "Icon",
        "Categories",
        "MethodCategories",
        "MetaTile",
        "MetaDescription",
        "Screenshot",
        "Content",
        "WebsiteUrl",
        "DocumentationUrl",
        "PartnerSetupGuideUrl",
    ];

    /// The catalogue entry of one definition.
    fn entry(path: &str) -> CatalogueEntry {
        let run = Generator::new()
            .input(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
            .validate();
        assert!(!run.has_errors(), "{:?}", run.diagnostics);
        let mut entries = entries(&run.connectors);
        assert_eq!(entries.len(), 1);
        entries.remove(0)
    }

    /// A JSON object's keys in the order written.
    struct Keys(Vec<String>);

    impl<'de> Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KeysVisitor;
            impl<'de> Visitor<'de> for KeysVisitor {
                type Value = Keys;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        map.next_value::<IgnoredAny>()?;
                        keys.push(key);
                    }
                    Ok(Keys(keys))
                }
            }
            deserializer.deserialize_map(KeysVisitor)
        }
    }

    fn keys(value: &impl Serialize) -> Vec<String> {
        let text = serde_json::to_string(value).unwrap();
        serde_json::from_str::<Keys>(&text).unwrap().0
    }

    #[test]
    fn an_entry_has_the_listing_keys_in_cyclr_order_then_its_own() {
        let invenias = entry("connectors/invenias.yaml");
        let mut expected: Vec<&str> = LISTING_KEYS.to_vec();
        expected.extend([
            "id",
            "name",
            "auth_type",
            "flow",
            "fields",
            "methods",
            "permalink",
        ]);
        assert_eq!(keys(&invenias), expected);
        let category = &invenias.listing.method_categories[0];
        assert_eq!(keys(category), ["Category", "Methods"]);
        assert_eq!(
            keys(&category.methods[0]),
            ["Name", "Description", "MethodType"]
        );
    }

    #[test]
    fn invenias_is_listed_as_cyclr_lists_it() {
        let listing = entry("connectors/invenias.yaml").listing;
        let json = serde_json::to_value(&listing).unwrap();
        assert_eq!(json["Id"], serde_json::Value::Null);
        assert_eq!(json["Name"], "Invenias");
        assert_eq!(json["Version"], "v1");
        assert_eq!(json["Status"], "Approved");
        assert_eq!(json["Icon"], serde_json::Value::Null);
        assert_eq!(json["Categories"], serde_json::json!([]));
        for key in [
            "MetaTile",
            "MetaDescription",
            "Screenshot",
            "Content",
            "WebsiteUrl",
            "DocumentationUrl",
        ] {
            assert_eq!(json[key], serde_json::Value::Null, "{key}");
        }
        assert_eq!(
            json["PartnerSetupGuideUrl"],
            "https://docs.cyclr.com/invenias-connector"
        );
        let action = |name: &str, description: &str| serde_json::json!({ "Name": name, "Description": description, "MethodType": "Action" });
        assert_eq!(
            json["MethodCategories"],
            serde_json::json!([
                { "Category": "People", "Methods": [
                    action("List People", "Lists people, one page at a time."),
                    action("List Updated People", "Lists the people changed since the step last ran."),
                    action("Get Person", "Gets one person by id."),
                    action("Get Person by Email", "Finds the people with an email address; keep the rows whose Is Exact Email Match is true."),
                    action("Create Person", "Creates a person and returns the new person's id."),
                    action("Update Person", "Updates a person's details."),
                ] },
                { "Category": "Companies", "Methods": [
                    action("List Companies", "Lists companies, one page at a time."),
                    action("Get Company", "Gets one company by id."),
                ] },
                { "Category": "Assignments", "Methods": [
                    action("List Assignments", "Lists assignments (search projects), one page at a time."),
                ] },
                { "Category": "Journal", "Methods": [
                    action("Get Journal", "Lists the journal (notes, calls, emails, meetings and other activity), one page at a time."),
                ] },
                { "Category": "Notes", "Methods": [
                    action("Create Note", "Creates a note, optionally linked to people and companies."),
                ] },
            ])
        );
    }

    #[test]
    fn a_webhook_is_listed_in_its_category_without_its_hidden_calls() {
        let entry = entry("tests/fixtures/valid/acme-hooks.yaml");
        let listed: Vec<(&str, &str, MethodType)> = entry
            .listing
            .method_categories
            .iter()
            .flat_map(|c| {
                c.methods
                    .iter()
                    .map(|m| (c.category.as_str(), m.name.as_str(), m.method_type))
            })
            .collect();
        assert_eq!(
            listed,
            [
                ("Users", "List Users", MethodType::Action),
                ("Tickets", "List New Tickets", MethodType::Action),
                ("Tickets", "List Updated Tickets", MethodType::Action),
                ("Tickets", "Create Ticket", MethodType::Action),
                ("Tickets", "Create Tickets", MethodType::Action),
                ("Tickets", "Ticket Updated", MethodType::Webhook),
            ]
        );
        let webhook = &entry.listing.method_categories[1].methods[4];
        assert_eq!(webhook.description, "Posts a ticket whenever it changes.");
        assert_eq!(
            serde_json::to_value(webhook).unwrap()["MethodType"],
            "Webhook"
        );
        // The subscribe and unsubscribe calls are still counted.
        assert_eq!(entry.methods, 7);
        assert_eq!(entry.listing.version, None);
    }
}
