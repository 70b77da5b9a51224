//! The checks of request and response data: field paths, types and shapes, formats and
//! values, the fields a request or response flattens to, paging, `since`, lookups, and the
//! struct names the Rust client makes of shapes and methods.
//!
//! The model relies on what is checked here: every path parses (`model::parse_path`), every
//! shape a field names is declared and no shape contains itself (`cyclr::flatten` recurses
//! through shapes), each paging kind has its keys, `since` has one source and its format,
//! and every lookup names a list method.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;

use super::Checker;
use crate::definition::{
    DataField, DataType, HttpMethod, Lookup, Method, Paging, PagingKind, PagingLocation,
    ParameterLocation,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::fieldpath::{self, Segment};
use crate::load::pointer_token;
use crate::model::cyclr::token_suffix;
use crate::model::cyclr::variable::PAGE_TOKEN;
use crate::model::rust::{RESERVED_TYPE_NAMES, method_type, shape_type};
use crate::model::{MethodRole, system_field};
use crate::validate::{did_you_mean, quote_value};

/// The most fields a request, a response or a shape may flatten to, its shapes expanded:
/// Cyclr lists every one, and shapes that hold two of each other double with each level.
pub const MAX_FLAT_FIELDS: usize = 10_000;

/// The most fields all requests and responses of a connector may flatten to together: a
/// shape of many fields named by many methods multiplies like an alias.
pub const MAX_CONNECTOR_FIELDS: usize = 100_000;

/// How deep shapes may nest in one another.
pub const MAX_SHAPE_DEPTH: usize = 32;

/// The data types, as definitions spell them.
fn data_types() -> impl Iterator<Item = &'static str> {
    DataType::ALL.into_iter().map(DataType::name)
}

/// How a path is used, which decides what it may hold.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathUse {
    /// A request, response or shape field: lists of objects anywhere, `[]` nowhere.
    Field,
    /// `response.items`: ends in a list.
    Items,
    /// One value in a request body (the date `since` sends): lists of objects on the way, as
    /// in an API's filter list, but not at the end, and `[]` nowhere.
    Input,
    /// One value read from a response (a cursor, a total, a lookup's id): no lists at all;
    /// names what it is.
    Value(&'static str),
}

/// What a field's `type` names.
#[derive(Clone, Copy)]
enum Kind<'d> {
    Data(DataType),
    Shape(&'d str),
    Unknown,
}

/// The declared shapes, in `types:` order, and which of them can be expanded: declared,
/// free of cycles, and within the depth and size limits.
struct ShapeTable<'d> {
    index: HashMap<&'d str, usize>,
    sound: Vec<bool>,
    /// How many fields each flattens to, capped at `MAX_FLAT_FIELDS + 1`.
    count: Vec<usize>,
}

impl ShapeTable<'_> {
    /// The index of the shape `name`, if it can be expanded.
    fn sound(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied().filter(|&i| self.sound[i])
    }
}

/// One field of a flattened request, response or shape.
struct Leaf {
    path: Vec<Segment>,
    system: String,
    data_type: Option<DataType>,
    /// The entry of the list it comes from.
    origin: usize,
}

/// One entry of a request, response or shape as written: a field, the shape named by `type`,
/// or a value paging or `since` adds.
struct Origin {
    /// Where to point.
    pointer: String,
    /// Its path as written, for entries that have one.
    path: Option<Vec<Segment>>,
    /// Whether its fields come from a shape (checked where the shape is declared).
    shape: bool,
    /// What adds it, for values the connector fills in itself.
    note: Option<&'static str>,
    /// Its `system_field`, where it sets one.
    system_pointer: Option<String>,
}

/// A request, response or shape, flattened as Cyclr lists it.
#[derive(Default)]
struct FlatList {
    origins: Vec<Origin>,
    leaves: Vec<Leaf>,
}

/// A node of the tree of keys a list's paths make.
struct KeyNode {
    children: HashMap<String, usize>,
    array: bool,
    /// The leaf whose path ends here.
    leaf: Option<usize>,
    /// The first leaf whose path goes through here.
    first: usize,
}

impl<'a> Checker<'a> {
    /// Runs every check of request and response data.
    pub(super) fn data(&mut self) {
        let definition = self.definition;
        let table = self.shape_table();
        for (name, shape) in &definition.types {
            for (j, field) in shape.fields.iter().enumerate() {
                let pointer = format!("/types/{}/fields/{j}", pointer_token(name));
                self.data_field(&pointer, field);
            }
        }
        let mut budget = Some(MAX_CONNECTOR_FIELDS);
        for (i, method) in definition.methods.iter().enumerate() {
            self.method_data(i, method, &table, &mut budget);
        }
        self.webhooks(&table);
        for (name, shape) in &definition.types {
            let index = table.index.get(name.as_str()).copied();
            // A shape too large to list was reported as such.
            if index.is_some_and(|i| table.count[i] > MAX_FLAT_FIELDS) {
                continue;
            }
            let mut list = FlatList::default();
            let pointer = format!("/types/{}/fields", pointer_token(name));
            self.add_fields(&mut list, &pointer, &shape.fields, &[], &table);
            self.clashes(&format!("the shape `{name}`"), &list);
        }
        self.generated_names();
        self.unused_types();
    }

    // --- shapes -------------------------------------------------------------------------

    fn kind(&self, name: &'a str) -> Kind<'a> {
        if let Some(data_type) = DataType::parse(name) {
            return Kind::Data(data_type);
        }
        match self.definition.types.get_key_value(name) {
            Some((name, _)) => Kind::Shape(name),
            None => Kind::Unknown,
        }
    }

    /// Finds shapes that contain themselves, nest too deep or flatten to too many fields,
    /// walking the shapes without recursion (a hostile file may chain thousands).
    fn shape_table(&mut self) -> ShapeTable<'a> {
        let types = &self.definition.types;
        let names: Vec<&'a str> = types.keys().map(String::as_str).collect();
        let index: HashMap<&'a str, usize> =
            names.iter().enumerate().map(|(i, &n)| (n, i)).collect();
        // Each shape's fields that name a shape: (field index, shape index).
        let edges: Vec<Vec<(usize, usize)>> = types
            .values()
            .map(|shape| {
                shape
                    .fields
                    .iter()
                    .enumerate()
                    .filter_map(|(j, f)| index.get(f.type_name.as_str()).map(|&t| (j, t)))
                    .collect()
            })
            .collect();
        let n = names.len();
        let mut state = vec![0u8; n];
        let mut on_cycle = vec![false; n];
        let mut sound = vec![false; n];
        let mut depth = vec![0usize; n];
        let mut count = vec![0usize; n];
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            state[root] = 1;
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            while let Some(top) = stack.last_mut() {
                let (shape, next) = (top.0, top.1);
                if let Some(&(field, target)) = edges[shape].get(next) {
                    top.1 += 1;
                    match state[target] {
                        0 => {
                            state[target] = 1;
                            stack.push((target, 0));
                        }
                        1 => {
                            let from = stack.iter().position(|&(s, _)| s == target).unwrap_or(0);
                            let mut chain: Vec<&str> = Vec::new();
                            for &(s, _) in &stack[from..] {
                                on_cycle[s] = true;
                                chain.push(names[s]);
                            }
                            chain.push(names[target]);
                            self.cycle(names[shape], field, &chain);
                        }
                        _ => {}
                    }
                    continue;
                }
                stack.pop();
                state[shape] = 2;
                let mut ok = !on_cycle[shape];
                let mut deepest: Option<(usize, usize)> = None;
                let mut fields = 0usize;
                for (j, field) in types[names[shape]].fields.iter().enumerate() {
                    match index.get(field.type_name.as_str()) {
                        Some(&t) if sound[t] => {
                            fields = fields.saturating_add(count[t]);
                            if deepest.is_none_or(|(_, d)| depth[t] > d) {
                                deepest = Some((j, depth[t]));
                            }
                        }
                        Some(_) => ok = false,
                        None => fields += 1,
                    }
                }
                depth[shape] = 1 + deepest.map_or(0, |(_, d)| d);
                count[shape] = fields.min(MAX_FLAT_FIELDS + 1);
                if ok && depth[shape] > MAX_SHAPE_DEPTH {
                    ok = false;
                    let (j, _) = deepest.unwrap_or_default();
                    let pointer = format!("/types/{}/fields/{j}/type", pointer_token(names[shape]));
                    self.error(
                        Code::ShapeNesting,
                        format!(
                            "the shape `{}` nests shapes more than {MAX_SHAPE_DEPTH} levels deep",
                            names[shape]
                        ),
                        self.spans.value(&pointer),
                        "declare the deeper levels as fields with longer paths (`Address.Geo.Lat`) instead of shapes within shapes",
                    );
                } else if ok && count[shape] > MAX_FLAT_FIELDS {
                    ok = false;
                    let pointer = format!("/types/{}", pointer_token(names[shape]));
                    self.error(
                        Code::ShapeNesting,
                        format!(
                            "the shape `{}` holds more than {MAX_FLAT_FIELDS} fields once the shapes in it are expanded",
                            names[shape]
                        ),
                        self.spans.key_or_value(&pointer),
                        "Cyclr lists every field of a request or response; declare only the fields the connector needs",
                    );
                }
                sound[shape] = ok;
            }
        }
        ShapeTable {
            index,
            sound,
            count,
        }
    }

    /// Reports the field of shape `shape` that closes the cycle `chain`.
    fn cycle(&mut self, shape: &str, field: usize, chain: &[&str]) {
        let shown = if chain.len() > 6 {
            format!(
                "{} -> ... -> {}",
                chain[..3].join(" -> "),
                chain[chain.len() - 3..].join(" -> ")
            )
        } else {
            chain.join(" -> ")
        };
        let pointer = format!("/types/{}/fields/{field}/type", pointer_token(shape));
        self.error(
            Code::ShapeNesting,
            format!("the shape `{}` contains itself: {shown}", chain[0]),
            self.spans.value(&pointer),
            "Cyclr lists a shape's fields one by one, which a shape holding itself would never end; give the inner level a shape of its own without this field, or leave the field out",
        );
    }

    /// Warns of declared shapes that no method reaches.
    fn unused_types(&mut self) {
        let definition = self.definition;
        let mut used: BTreeSet<&str> = BTreeSet::new();
        let mut queue: Vec<&str> = Vec::new();
        let mut reach = |name: &'a str, queue: &mut Vec<&'a str>| {
            if definition.types.contains_key(name) && used.insert(name) {
                queue.push(name);
            }
        };
        for method in &definition.methods {
            let request = method.request.iter().flat_map(|r| {
                r.type_name
                    .iter()
                    .map(String::as_str)
                    .chain(r.fields.iter().map(|f| f.type_name.as_str()))
            });
            let response = method.response.iter().flat_map(|r| {
                r.type_name
                    .iter()
                    .map(String::as_str)
                    .chain(r.fields.iter().map(|f| f.type_name.as_str()))
            });
            for name in request.chain(response) {
                reach(name, &mut queue);
            }
        }
        for webhook in &definition.webhooks {
            let payload = webhook.payload.type_name.iter().map(String::as_str);
            let fields = webhook.payload.fields.iter();
            let subscribe = webhook.subscribe.iter().flat_map(|s| s.fields.iter());
            let named = fields.chain(subscribe).map(|f| f.type_name.as_str());
            for name in payload.chain(named) {
                reach(name, &mut queue);
            }
        }
        while let Some(name) = queue.pop() {
            for field in &definition.types[name].fields {
                reach(&field.type_name, &mut queue);
            }
        }
        for name in definition.types.keys() {
            if !used.contains(name.as_str()) {
                self.diagnostics.push(
                    Diagnostic::warning(Code::UnusedType, format!("the shape `{name}` is declared but no method uses it"))
                        .in_file(self.file, self.spans.key_or_value(&format!("/types/{}", pointer_token(name))))
                        .with_help(format!("name it as the `type` of a request, a response or a field, or remove it; the Rust client would carry a struct `{name}` that nothing uses")),
                );
            }
        }
    }

    /// Shape names must not be names the Rust client gives its own structs: each shape's
    /// struct is its name in UpperCamelCase, and each method may have a `{Method}Body` (a
    /// request with fields of its own), `{Method}Page` (a response with `items` below its
    /// root) or `{Method}Response` (a response with fields and no `items`). The structs of
    /// nested objects and the enums of values take a number where their name is taken, so
    /// they never clash.
    fn generated_names(&mut self) {
        let definition = self.definition;
        if definition.types.is_empty() {
            return;
        }
        // Each method's struct name, with where the method is named and what the struct is;
        // a webhook's subscribe call is a method too, and its payload a struct of its own.
        let mut generated: BTreeMap<String, (String, String)> = BTreeMap::new();
        let calls = crate::model::webhook_methods(definition);
        let methods = definition
            .methods
            .iter()
            .enumerate()
            .map(|(i, m)| (m, format!("/methods/{i}/name")))
            .chain(calls.iter().filter_map(|(call, role)| match role {
                MethodRole::Subscribe { webhook } => {
                    Some((call, format!("/webhooks/{webhook}/subscribe")))
                }
                MethodRole::Unsubscribe { .. } | MethodRole::Action => None,
            }));
        for (method, at) in methods {
            let body = method
                .request
                .as_ref()
                .is_some_and(|r| r.type_name.is_none() || !r.fields.is_empty());
            let (page, response) = match &method.response {
                Some(response) => match response.items.as_deref().map(fieldpath::parse) {
                    Some(Ok(items)) => {
                        (items.first() != Some(&Segment::Array(String::new())), false)
                    }
                    Some(Err(_)) => (false, false),
                    None => (false, !response.fields.is_empty()),
                },
                None => (false, false),
            };
            for (suffix, what, made) in [
                ("Body", "request body", body),
                ("Page", "page", page),
                ("Response", "response", response),
            ] {
                if made {
                    let name = method_type(&method.name, suffix);
                    let what = format!("the {what} of `{}`", method.name);
                    generated.entry(name).or_insert((at.clone(), what));
                }
            }
        }
        for (w, webhook) in definition.webhooks.iter().enumerate() {
            if !webhook.payload.fields.is_empty() {
                let name = method_type(&webhook.name, "Payload");
                let what = format!("the payload of the webhook `{}`", webhook.name);
                generated
                    .entry(name)
                    .or_insert((format!("/webhooks/{w}/name"), what));
            }
        }
        const RULE: &str = "the Rust client names each shape's struct after the shape in UpperCamelCase, and makes `<Method>Body` for a request with fields of its own, `<Method>Page` for a response with `items`, `<Method>Response` for a response with fields and no `items`, and `<Webhook>Payload` for a webhook payload with fields of its own (a webhook's subscribe call is the method `Create <Webhook> Webhook`)";
        let mut structs: BTreeMap<String, &str> = BTreeMap::new();
        for name in definition.types.keys() {
            let at = self
                .spans
                .key_or_value(&format!("/types/{}", pointer_token(name)));
            let ident = shape_type(name);
            if RESERVED_TYPE_NAMES.contains(&ident.as_str()) {
                self.error(
                    Code::IdentifierCollision,
                    if ident == *name {
                        format!("the shape name `{name}` is a name the Rust client uses itself")
                    } else {
                        format!("the shape `{name}` becomes `{ident}` in the Rust client, a name the client uses itself")
                    },
                    at,
                    format!(
                        "rename the shape, say to `{name}Record`; these names are taken: {}",
                        RESERVED_TYPE_NAMES.join(", ")
                    ),
                );
            } else if let Some(first) = structs.get(&ident) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::IdentifierCollision,
                        format!("the shapes `{first}` and `{name}` both become the struct `{ident}` in the Rust client"),
                    )
                    .in_file(self.file, at)
                    .with_secondary(
                        self.spans.key_or_value(&format!("/types/{}", pointer_token(first))),
                        format!("`{first}` is here"),
                    )
                    .with_help("rename one of them so that they differ in more than case"),
                );
            } else if let Some((named_at, what)) = generated.get(&ident) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::IdentifierCollision,
                        format!("the shape `{name}` has the name the Rust client gives {what}"),
                    )
                    .in_file(self.file, at)
                    .with_secondary(
                        if named_at.ends_with("/name") {
                            self.spans.value(named_at)
                        } else {
                            self.spans.key_or_value(named_at)
                        },
                        format!("`{ident}` is made from this"),
                    )
                    .with_help(format!("rename the shape: {RULE}")),
                );
            }
            structs.entry(ident).or_insert(name);
        }
    }

    // --- fields -------------------------------------------------------------------------

    /// Checks one field where it is declared: its path, type, format, values, default and
    /// lookup.
    fn data_field(&mut self, pointer: &str, field: &'a DataField) {
        let path = self.path(&format!("{pointer}/path"), &field.path, PathUse::Field);
        let kind = self.kind(&field.type_name);
        if let Kind::Unknown = kind {
            self.unknown_type(&format!("{pointer}/type"), &field.type_name);
        }
        if let Some(path) = &path {
            let last_is_list = path.last().is_some_and(Segment::is_array);
            if last_is_list && matches!(kind, Kind::Data(_)) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidFieldPath,
                        format!(
                            "`{}` is a list of objects, but the field's type is `{}`",
                            field.path, field.type_name
                        ),
                    )
                    .in_file(self.file, self.spans.value(&format!("{pointer}/path")))
                    .with_secondary(self.spans.value(&format!("{pointer}/type")), "a data type")
                    .with_help("give the field a declared shape as its type (a list of that shape), or write the path without brackets for one value"),
                );
            }
            let derived = system_field(path);
            if field.system_field.is_none() && derived.is_empty() && !matches!(kind, Kind::Shape(_))
            {
                self.error(
                    Code::InvalidFieldPath,
                    format!(
                        "the path `{}` has no letters or digits to make Cyclr's system field from",
                        field.path
                    ),
                    self.spans.value(&format!("{pointer}/path")),
                    "add `system_field:` with a PascalCase name for the value",
                );
            }
        }
        self.format_and_values(pointer, field, kind);
        if let Some(lookup) = &field.lookup {
            if let Kind::Shape(shape) = kind {
                self.error(
                    Code::InvalidLookup,
                    format!("a lookup picks one value, but this field holds the shape `{shape}`"),
                    self.spans.key_or_value(&format!("{pointer}/lookup")),
                    "put the lookup on the field of the shape that takes the id",
                );
            }
            self.lookup(&format!("{pointer}/lookup"), lookup);
        }
    }

    // --- webhooks and batches --------------------------------------------------------

    /// The payload of every webhook, and the request and response paths of its subscribe
    /// call (the calls' URLs are checked with the methods').
    fn webhooks(&mut self, table: &ShapeTable<'a>) {
        let definition = self.definition;
        for (i, webhook) in definition.webhooks.iter().enumerate() {
            let at = |key: &str| format!("/webhooks/{i}/{key}");
            let payload = &webhook.payload;
            if let Some(name) = &payload.type_name
                && !definition.types.contains_key(name)
            {
                self.unknown_type(&at("payload/type"), name);
            }
            for (j, field) in payload.fields.iter().enumerate() {
                self.data_field(&at(&format!("payload/fields/{j}")), field);
            }
            if payload.type_name.is_none() && payload.fields.is_empty() {
                self.error(
                    Code::InvalidValue,
                    format!(
                        "the webhook `{}` says nothing of what it posts",
                        webhook.name
                    ),
                    self.spans.key_or_value(&at("payload")),
                    "give the payload a `type` (a declared shape), `fields`, or both",
                );
            }
            let mut list = FlatList::default();
            if let Some(name) = &payload.type_name {
                self.add_shape(&mut list, &at("payload/type"), name, &[], table);
            }
            self.add_fields(
                &mut list,
                &at("payload/fields"),
                &payload.fields,
                &[],
                table,
            );
            if list.leaves.len() > MAX_FLAT_FIELDS {
                self.too_many(
                    &at("payload"),
                    &format!("the payload of `{}`", webhook.name),
                );
            } else {
                self.clashes(&format!("the payload of `{}`", webhook.name), &list);
            }
            let Some(subscribe) = &webhook.subscribe else {
                // The id an unsubscribe call removes is the one the subscribe call kept:
                // without it, Cyclr would call the path with an empty id (`webhooks/`).
                if webhook.unsubscribe.is_some() {
                    self.error(
                        Code::InvalidValue,
                        format!(
                            "the webhook `{}` unsubscribes, but never subscribes",
                            webhook.name
                        ),
                        self.spans.key_or_value(&at("unsubscribe")),
                        "add `subscribe` (the call that returns the subscription's id, which `<<WebhookId>>` stands for), or remove `unsubscribe`",
                    );
                }
                continue;
            };
            self.path(
                &at("subscribe/url_field"),
                &subscribe.url_field,
                PathUse::Input,
            );
            self.path(
                &at("subscribe/id_field"),
                &subscribe.id_field,
                PathUse::Value("the subscription's id"),
            );
            for (j, field) in subscribe.fields.iter().enumerate() {
                self.data_field(&at(&format!("subscribe/fields/{j}")), field);
                if field.read_only {
                    self.error(
                        Code::InvalidValue,
                        format!("`{}` is read-only, so the subscribe call would never send it", field.path),
                        self.spans.key_or_value(&at(&format!("subscribe/fields/{j}/read_only"))),
                        "remove the field, or `read_only` (which marks a shape's fields that only responses carry)",
                    );
                }
            }
            let mut request = FlatList::default();
            if let Ok(path) = fieldpath::parse(&subscribe.url_field) {
                let note = "Cyclr fills this in with its webhook URL";
                add_value(
                    &mut request,
                    at("subscribe/url_field"),
                    path,
                    DataType::Text,
                    note,
                );
            }
            let fields = &subscribe.fields;
            self.add_fields(&mut request, &at("subscribe/fields"), fields, &[], table);
            if request.leaves.len() <= MAX_FLAT_FIELDS {
                let what = format!("the subscribe call of `{}`", webhook.name);
                self.clashes(&what, &request);
            }
        }
    }

    /// A bulk method's batch: the list it splits is one its request declares.
    fn batch(&mut self, i: usize, method: &Method) {
        let Some(batch) = &method.batch else { return };
        let at = |key: &str| format!("/methods/{i}/{key}");
        let Some(items) = self.path(&at("batch/items"), &batch.items, PathUse::Field) else {
            return;
        };
        if !items.last().is_some_and(Segment::is_array) {
            self.error(
                Code::InvalidFieldPath,
                format!("`{}` names one value, but a batch splits a list", batch.items),
                self.spans.value(&at("batch/items")),
                "name the request's list of objects in brackets, such as `[records]` or `data.[records]`",
            );
            return;
        }
        let declared = method.request.iter().any(|request| {
            let own = request
                .type_name
                .as_ref()
                .and_then(|name| self.definition.types.get(name))
                .map(|shape| shape.fields.as_slice())
                .unwrap_or_default();
            own.iter().chain(&request.fields).any(|field| {
                DataType::parse(&field.type_name).is_none()
                    && fieldpath::parse(&field.path).is_ok_and(|path| path == items)
            })
        });
        if !declared {
            self.error(
                Code::InvalidFieldPath,
                format!(
                    "the batch splits `{}`, but the request of `{}` declares no list there",
                    batch.items, method.name
                ),
                self.spans.value(&at("batch/items")),
                format!(
                    "declare the list as a request field, `{{ path: \"{}\", type: <a shape> }}`",
                    batch.items
                ),
            );
        }
    }

    /// Reports a `type` that names nothing, with the closest name.
    fn unknown_type(&mut self, pointer: &str, name: &str) {
        let shapes: Vec<&str> = self.definition.types.keys().map(String::as_str).collect();
        let mut candidates: Vec<&str> = data_types().collect();
        candidates.extend(shapes.iter().copied());
        let candidates = candidates.into_iter();
        let help = match did_you_mean(name, candidates) {
            Some(near) => format!("did you mean `{near}`?"),
            None if shapes.is_empty() => format!(
                "use a data type ({}), or declare a shape `{name}` under `types:`",
                data_types().collect::<Vec<_>>().join(", ")
            ),
            None => format!(
                "use a data type ({}) or a declared shape: {}",
                data_types().collect::<Vec<_>>().join(", "),
                shapes.join(", ")
            ),
        };
        self.error(
            Code::UnknownType,
            format!("`{name}` is neither a data type nor a declared shape"),
            self.spans.value(pointer),
            help,
        );
    }

    /// `format` goes with datetime fields only; values and a default are of the field's type,
    /// each value once, and the default one of the values.
    fn format_and_values(&mut self, pointer: &str, field: &DataField, kind: Kind<'_>) {
        let at = |key: &str| format!("{pointer}/{key}");
        match (kind, &field.format) {
            (Kind::Data(DataType::Datetime), None) => self.error(
                Code::InvalidFieldValue,
                "a datetime field needs `format`",
                self.spans.value(&at("type")),
                "add `format:` with the date format the API uses, in .NET notation, e.g. yyyy-MM-ddTHH:mm:ssZ",
            ),
            (Kind::Data(DataType::Datetime) | Kind::Unknown, _) | (_, None) => {}
            (_, Some(_)) => self.error(
                Code::InvalidFieldValue,
                format!(
                    "`format` applies to datetime fields, and this one is `{}`",
                    field.type_name
                ),
                self.spans.key_or_value(&at("format")),
                "remove `format`, or make the field `type: datetime`",
            ),
        }
        let data_type = match kind {
            Kind::Data(data_type) => data_type,
            Kind::Shape(shape) => {
                for key in present_value_keys(field) {
                    self.error(
                        Code::InvalidFieldValue,
                        format!("a field holding the shape `{shape}` takes no `{key}`"),
                        self.spans.key_or_value(&at(key)),
                        format!("remove `{key}`, or put it on a field of the shape `{shape}`"),
                    );
                }
                return;
            }
            Kind::Unknown => return,
        };
        let wanted = match data_type {
            DataType::Integer => "whole numbers, such as 10",
            DataType::Float | DataType::Decimal => "numbers, such as 2.5",
            DataType::Boolean => "true or false",
            DataType::Text | DataType::Datetime => {
                "text; quote a value that YAML reads as a number or boolean, such as '10'"
            }
            DataType::File => "",
        };
        if data_type == DataType::File {
            for key in present_value_keys(field) {
                self.error(
                    Code::InvalidFieldValue,
                    format!("a file field takes no `{key}`"),
                    self.spans.key_or_value(&at(key)),
                    format!("remove `{key}`: the value of a file field is the file's content"),
                );
            }
            return;
        }
        let article = if field.type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
            "an"
        } else {
            "a"
        };
        let help_for = |value: &serde_json::Value| match value.as_f64() {
            Some(_) if value.is_u64() && !value.is_i64() => format!(
                "an integer field takes whole numbers up to {}, as the Rust client's `i64` holds them",
                i64::MAX
            ),
            Some(number)
                if data_type == DataType::Integer
                    && number.fract() == 0.0
                    && number.abs() < 9.0e15 =>
            {
                format!(
                    "write it as `{}`, without a decimal point or exponent",
                    number as i64
                )
            }
            _ => format!("{article} {} field takes {wanted}", field.type_name),
        };
        let fits = |value: &serde_json::Value| match data_type {
            DataType::Integer => value.is_i64(),
            DataType::Float | DataType::Decimal => value.is_number(),
            DataType::Boolean => value.is_boolean(),
            DataType::Text | DataType::Datetime => value.is_string(),
            DataType::File => false,
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut all_fit = true;
        for (key, value) in field
            .values
            .iter()
            .enumerate()
            .map(|(k, v)| (format!("values/{k}"), v))
            .chain(field.default.iter().map(|d| ("default".to_owned(), d)))
        {
            let what = if key == "default" { "default" } else { "value" };
            if let Some((message, help)) = value.as_str().and_then(|v| cyclr_syntax(v, what)) {
                self.error(
                    Code::InvalidFieldValue,
                    message,
                    self.spans.value(&at(&key)),
                    help,
                );
            }
        }
        for (k, value) in field.values.iter().enumerate() {
            let value_at = at(&format!("values/{k}"));
            if !fits(value) {
                all_fit = false;
                self.error(
                    Code::InvalidFieldValue,
                    format!(
                        "the value {} does not fit the field's type `{}`",
                        quote_value(value),
                        field.type_name
                    ),
                    self.spans.value(&value_at),
                    help_for(value),
                );
                continue;
            }
            if let Some(first) = seen.insert(value_key(value), k) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidFieldValue,
                        format!("the value {} is listed twice", quote_value(value)),
                    )
                    .in_file(self.file, self.spans.value(&value_at))
                    .with_secondary(
                        self.spans.value(&at(&format!("values/{first}"))),
                        "first listed here",
                    )
                    .with_help("list each value once"),
                );
            }
        }
        let Some(default) = &field.default else {
            return;
        };
        if !fits(default) {
            self.error(
                Code::InvalidFieldValue,
                format!(
                    "the default {} does not fit the field's type `{}`",
                    quote_value(default),
                    field.type_name
                ),
                self.spans.value(&at("default")),
                help_for(default),
            );
        } else if all_fit && !field.values.is_empty() && !seen.contains_key(&value_key(default)) {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidFieldValue,
                    format!(
                        "the default {} is not one of the field's values",
                        quote_value(default)
                    ),
                )
                .in_file(self.file, self.spans.value(&at("default")))
                .with_secondary(self.spans.key_or_value(&at("values")), "the values allowed")
                .with_help("make the default one of `values`, or add it to them"),
            );
        }
    }

    /// Parses a path and checks that it fits its use, reporting at the offending character.
    fn path(&mut self, pointer: &str, text: &str, usage: PathUse) -> Option<Vec<Segment>> {
        let segments = match fieldpath::parse(text) {
            Ok(segments) => segments,
            Err(error) => {
                let at = self.path_span(pointer, text, error.offset);
                self.error(
                    Code::InvalidFieldPath,
                    format!("invalid field path: {}", error.message),
                    at,
                    "write keys joined by `.`, a list of objects as `[key]`, and a key holding other characters between backslashes: `Address.City`, `[Emails].Value`, `\\@odata.nextLink\\`",
                );
                return None;
            }
        };
        let root_array = segments
            .first()
            .is_some_and(|s| *s == Segment::Array(String::new()));
        match usage {
            PathUse::Items => {
                if !segments.last().is_some_and(Segment::is_array) {
                    self.error(
                        Code::InvalidFieldPath,
                        format!("`{text}` names one value, but `items` names the list of items"),
                        self.spans.value(pointer),
                        "end the path in the list: `[Items]`, `data.[records]`, or `[]` when the response is the list",
                    );
                    return None;
                }
                // Items in lists inside a list are many lists, which no page count, JSON
                // pointer or `Vec` of items can stand for.
                if segments[..segments.len() - 1].iter().any(Segment::is_array) {
                    let offset = array_offset(text, &segments).unwrap_or(0);
                    self.error(
                        Code::InvalidFieldPath,
                        format!("`{text}` goes through a list to the items, but `items` names one list"),
                        self.path_span(pointer, text, offset),
                        "name the one list that holds the items, with only its last key in brackets (`[Items]`, `data.[records]`); a response whose lists hold lists has no `items`: declare the outer list as a response field whose shape holds the inner one",
                    );
                    return None;
                }
            }
            PathUse::Field | PathUse::Input if root_array => {
                self.error(
                    Code::InvalidFieldPath,
                    "`[]` (a response that is a list) stands only in `response.items`",
                    self.path_span(pointer, text, 0),
                    "for a response that is a list, write `items: []` and give the items' fields in the shape named by `type`",
                );
                return None;
            }
            PathUse::Field => {}
            PathUse::Input => {
                if segments.last().is_some_and(Segment::is_array) {
                    self.error(
                        Code::InvalidFieldPath,
                        format!("`{text}` ends in a list, but the date is one value"),
                        self.spans.value(pointer),
                        "end the path in the key that takes the date, such as `filter.updated_since` or `[filter].date_modified.$gte`",
                    );
                    return None;
                }
            }
            PathUse::Value(what) => {
                if let Some(offset) = array_offset(text, &segments) {
                    self.error(
                        Code::InvalidFieldPath,
                        format!("{what} is one value, but `{text}` goes through a list"),
                        self.path_span(pointer, text, offset),
                        "name one value, without `[...]`: the path of a key in an object, such as `meta.next_cursor`",
                    );
                    return None;
                }
            }
        }
        Some(segments)
    }

    /// The byte range of the character at `offset` in the path at `pointer`, where the value
    /// is written as it is (a plain scalar); else the whole value.
    fn path_span(&self, pointer: &str, text: &str, offset: usize) -> Range<usize> {
        let value = self.spans.value(pointer);
        if self.text.get(value.clone()) != Some(text) || text.is_empty() {
            return value;
        }
        match text.get(offset..).and_then(|rest| rest.chars().next()) {
            Some(c) => value.start + offset..value.start + offset + c.len_utf8(),
            None => {
                let last = text.chars().next_back().map_or(0, char::len_utf8);
                value.end - last..value.end
            }
        }
    }

    // --- methods ------------------------------------------------------------------------

    fn method_data(
        &mut self,
        i: usize,
        method: &'a Method,
        table: &ShapeTable<'a>,
        budget: &mut Option<usize>,
    ) {
        let at = |key: &str| format!("/methods/{i}/{key}");
        self.parameter_data(i, method);
        if let Some(request) = &method.request {
            if let Some(name) = &request.type_name
                && !self.definition.types.contains_key(name)
            {
                self.unknown_type(&at("request/type"), name);
            }
            for (j, field) in request.fields.iter().enumerate() {
                self.data_field(&at(&format!("request/fields/{j}")), field);
                if field.read_only {
                    self.error(
                        Code::InvalidValue,
                        format!(
                            "`{}` is read-only, so the request of `{}` would never send it",
                            field.path, method.name
                        ),
                        self.spans.key_or_value(&at(&format!("request/fields/{j}/read_only"))),
                        "remove the field, or `read_only` (which marks a shape's fields that only responses carry)",
                    );
                }
            }
            if request.type_name.is_none() && request.fields.is_empty() {
                self.error(
                    Code::InvalidValue,
                    format!("the request of `{}` says nothing of what it sends", method.name),
                    self.spans.key_or_value(&at("request")),
                    "give the request a `type` (a declared shape), `fields`, or both; or remove `request` for a call without a body",
                );
            }
        }
        let items = self.response_layout(i, method);
        let listing = method.response.as_ref().is_some_and(|r| r.items.is_some());
        let root_array = items
            .as_ref()
            .is_some_and(|items| items.first() == Some(&Segment::Array(String::new())));
        self.paging(i, method, listing, root_array);
        self.since(i, method, listing);
        self.batch(i, method);
        self.query_keys(i, method);
        if budget.is_none() {
            return;
        }
        let request = self.request_list(i, method, table);
        let what = format!("the request of `{}`", method.name);
        if request.leaves.len() > MAX_FLAT_FIELDS {
            self.too_many(&at("request"), &what);
        } else if self.spend(budget, request.leaves.len(), i) {
            self.clashes(&what, &request);
        } else {
            return;
        }
        let Some(response) = &method.response else {
            return;
        };
        let mut list = FlatList::default();
        if let Some(name) = &response.type_name {
            let prefix = items.clone().unwrap_or_default();
            self.add_shape(&mut list, &at("response/type"), name, &prefix, table);
        }
        let fields = &response.fields;
        self.add_fields(&mut list, &at("response/fields"), fields, &[], table);
        let what = format!("the response of `{}`", method.name);
        if list.leaves.len() > MAX_FLAT_FIELDS {
            self.too_many(&at("response"), &what);
        } else if self.spend(budget, list.leaves.len(), i) {
            self.clashes(&what, &list);
            self.paging_paths_fit(i, method, items.as_deref(), &list);
        }
    }

    /// The values paging reads from a response (cursors, the next URL, the total) are at
    /// paths the response's items and fields agree with: `data.next` cannot be read where
    /// the items make `data` a list (`items: '[data]'`), nor inside a field holding one value.
    fn paging_paths_fit(
        &mut self,
        i: usize,
        method: &Method,
        items: Option<&[Segment]>,
        list: &FlatList,
    ) {
        let Some(paging) = &method.paging else { return };
        let at = |key: &str| format!("/methods/{i}/paging/{key}");
        let paths = response_paths(paging);
        // What the response holds: its items (a list) and each field's path.
        let mut others: Vec<(&[Segment], String, String)> = Vec::new();
        if let Some(items) = items {
            others.push((
                items,
                format!("/methods/{i}/response/items"),
                "the items".to_owned(),
            ));
        }
        for leaf in &list.leaves {
            let origin = &list.origins[leaf.origin];
            let label = format!("`{}`", fieldpath::format(&leaf.path));
            others.push((&leaf.path, origin.pointer.clone(), label));
        }
        for (key, text, what) in paths {
            // A path that did not parse, or goes through a list, was reported already.
            let Ok(path) = fieldpath::parse(text) else {
                continue;
            };
            if path.iter().any(Segment::is_array) {
                continue;
            }
            for (other, pointer, label) in &others {
                let common = path
                    .iter()
                    .zip(other.iter())
                    .take_while(|(a, b)| a.key() == b.key())
                    .count();
                let reason =
                    if let Some(list_at) = other[..common].iter().position(Segment::is_array) {
                        let key = Segment::Key(other[list_at].key().to_owned());
                        let key = fieldpath::format(&[key]);
                        format!("`{key}` is a list ({label}), which holds no keys of its own")
                    } else if common == other.len() && common < path.len() {
                        format!("{label} holds one value, with nothing inside it")
                    } else if common == path.len() && common < other.len() {
                        format!("it holds {label}, so it is an object, not one value")
                    } else {
                        continue;
                    };
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidPaging,
                        format!("the {what} at `{text}` cannot be in the response of `{}`: {reason}", method.name),
                    )
                    .in_file(self.file, self.spans.value(&at(&key)))
                    .with_secondary(self.spans.value(pointer), label.clone())
                    .with_help("correct the path of the one or the other, as the API's responses have them"),
                );
                break;
            }
        }
    }

    /// The values and lookups of a method's parameters.
    fn parameter_data(&mut self, i: usize, method: &Method) {
        let at = |key: &str| format!("/methods/{i}/{key}");
        for (j, parameter) in method.parameters.iter().enumerate() {
            let pointer = at(&format!("parameters/{j}"));
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (k, value) in parameter.values.iter().enumerate() {
                if let Some((message, help)) = cyclr_syntax(value, "value") {
                    self.error(
                        Code::InvalidFieldValue,
                        message,
                        self.spans.value(&format!("{pointer}/values/{k}")),
                        help,
                    );
                }
                if let Some(first) = seen.insert(value, k) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidFieldValue,
                            format!("the value `{value}` is listed twice"),
                        )
                        .in_file(
                            self.file,
                            self.spans.value(&format!("{pointer}/values/{k}")),
                        )
                        .with_secondary(
                            self.spans.value(&format!("{pointer}/values/{first}")),
                            "first listed here",
                        )
                        .with_help("list each value once"),
                    );
                }
            }
            if let Some(lookup) = &parameter.lookup {
                self.lookup(&format!("{pointer}/lookup"), lookup);
            }
        }
    }

    /// Checks where a response's items and fields are; returns the items' path.
    fn response_layout(&mut self, i: usize, method: &'a Method) -> Option<Vec<Segment>> {
        let at = |key: &str| format!("/methods/{i}/{key}");
        let response = method.response.as_ref()?;
        let items = response
            .items
            .as_ref()
            .and_then(|text| self.path(&at("response/items"), text, PathUse::Items));
        if let Some(name) = &response.type_name
            && !self.definition.types.contains_key(name)
        {
            self.unknown_type(&at("response/type"), name);
        }
        let root_array = items
            .as_ref()
            .is_some_and(|s| s.first() == Some(&Segment::Array(String::new())));
        if root_array && !response.fields.is_empty() {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidFieldPath,
                    "a response that is a list (`items: []`) has no fields beside its items",
                )
                .in_file(self.file, self.spans.key_or_value(&at("response/fields")))
                .with_secondary(
                    self.spans.value(&at("response/items")),
                    "the response is this list",
                )
                .with_help("declare the items' fields in a shape and name it in `response.type`"),
            );
        }
        for (j, field) in response.fields.iter().enumerate() {
            let pointer = at(&format!("response/fields/{j}"));
            self.data_field(&pointer, field);
            let Some(items) = items.as_ref().filter(|_| !root_array) else {
                continue;
            };
            let Ok(path) = fieldpath::parse(&field.path) else {
                continue;
            };
            let keys = |segments: &[Segment]| -> Vec<String> {
                segments.iter().map(|s| s.key().to_owned()).collect()
            };
            if path.len() < items.len() && keys(items).starts_with(&keys(&path)) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidFieldPath,
                        format!(
                            "`{}` is a field of its own, but the items (`{}`) are inside it",
                            field.path,
                            fieldpath::format(items)
                        ),
                    )
                    .in_file(self.file, self.spans.value(&format!("{pointer}/path")))
                    .with_secondary(self.spans.value(&at("response/items")), "the items")
                    .with_help("declare what sits beside the items by its full path (`data.total` beside `data.[records]`), or correct the items' path"),
                );
            } else if path.starts_with(items) {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidFieldPath,
                        format!(
                            "`{}` is inside the items (`{}`); response fields sit beside them",
                            field.path,
                            fieldpath::format(items)
                        ),
                    )
                    .in_file(self.file, self.spans.value(&format!("{pointer}/path")))
                    .with_secondary(self.spans.value(&at("response/items")), "the items")
                    .with_help("declare an item's fields in the shape named by `response.type`, with paths relative to the item"),
                );
            }
        }
        items
    }

    /// A method's request as Cyclr lists it: the shape, the fields, and the values paging
    /// and `since` put in the body.
    fn request_list(&self, i: usize, method: &Method, table: &ShapeTable<'a>) -> FlatList {
        let at = |key: &str| format!("/methods/{i}/{key}");
        let mut request = FlatList::default();
        if let Some(body) = &method.request {
            if let Some(name) = &body.type_name {
                self.add_shape(&mut request, &at("request/type"), name, &[], table);
            }
            self.add_fields(
                &mut request,
                &at("request/fields"),
                &body.fields,
                &[],
                table,
            );
        }
        if let Some(paging) = &method.paging
            && paging.location == PagingLocation::Body
        {
            let keys = [
                (
                    paging.page_param.as_ref(),
                    "paging/page_param".to_owned(),
                    DataType::Integer,
                ),
                (
                    paging.size_param.as_ref(),
                    "paging/size_param".to_owned(),
                    DataType::Integer,
                ),
            ];
            let cursors = paging.cursors.iter().enumerate().map(|(k, c)| {
                (
                    Some(&c.param),
                    format!("paging/cursors/{k}/param"),
                    DataType::Text,
                )
            });
            for (key, pointer, data_type) in keys.into_iter().chain(cursors) {
                if let Some(key) = key {
                    let path = vec![Segment::Key(key.clone())];
                    let note = "paging fills this in on every page";
                    add_value(&mut request, at(&pointer), path, data_type, note);
                }
            }
        }
        if let Some(since) = &method.since
            && let Some(body) = &since.body
            && let Ok(path) = fieldpath::parse(body)
        {
            let note = "`since` fills this in with the last run's date";
            add_value(&mut request, at("since/body"), path, DataType::Text, note);
        }
        request
    }

    /// Takes `fields` from what the connector's methods may flatten to together, reporting
    /// at method `i` when they run out (and leaving `budget` empty from then on).
    fn spend(&mut self, budget: &mut Option<usize>, fields: usize, i: usize) -> bool {
        let Some(left) = budget else {
            return false;
        };
        if fields <= *left {
            *left -= fields;
            return true;
        }
        *budget = None;
        self.error(
            Code::ShapeNesting,
            format!(
                "the methods up to this one hold more than {MAX_CONNECTOR_FIELDS} fields once their shapes are expanded"
            ),
            self.spans.value(&format!("/methods/{i}/name")),
            "Cyclr lists every field of every request and response; declare only the fields the connector needs, or split the connector",
        );
        false
    }

    fn too_many(&mut self, pointer: &str, what: &str) {
        self.error(
            Code::ShapeNesting,
            format!("{what} holds more than {MAX_FLAT_FIELDS} fields once its shapes are expanded"),
            self.spans.key_or_value(pointer),
            "Cyclr lists every field of a request or response; declare only the fields the connector needs",
        );
    }

    /// Adds the shape `name` at `prefix` as one entry of `list`.
    fn add_shape(
        &self,
        list: &mut FlatList,
        pointer: &str,
        name: &str,
        prefix: &[Segment],
        table: &ShapeTable<'a>,
    ) {
        let origin = list.origins.len();
        list.origins.push(Origin {
            pointer: pointer.to_owned(),
            path: None,
            shape: true,
            note: None,
            system_pointer: None,
        });
        if let Some(shape) = table.sound(name) {
            let budget = table.count[shape];
            if list.leaves.len() + budget <= MAX_FLAT_FIELDS {
                self.expand(name, prefix, "", origin, table, &mut list.leaves);
            } else {
                push_overflow(list, origin);
            }
        }
    }

    /// Adds each of `fields` (at `pointer`/0, /1...) under `prefix` as an entry of `list`.
    fn add_fields(
        &self,
        list: &mut FlatList,
        pointer: &str,
        fields: &[DataField],
        prefix: &[Segment],
        table: &ShapeTable<'a>,
    ) {
        for (j, field) in fields.iter().enumerate() {
            let Ok(path) = fieldpath::parse(&field.path) else {
                continue;
            };
            let mut full = prefix.to_vec();
            full.extend(path.iter().cloned());
            let system = field
                .system_field
                .clone()
                .unwrap_or_else(|| system_field(&path));
            let origin = list.origins.len();
            let data_type = DataType::parse(&field.type_name);
            list.origins.push(Origin {
                pointer: format!("{pointer}/{j}/path"),
                path: Some(full.clone()),
                shape: data_type.is_none(),
                note: None,
                system_pointer: field
                    .system_field
                    .as_ref()
                    .map(|_| format!("{pointer}/{j}/system_field")),
            });
            match data_type {
                Some(data_type) => list.leaves.push(Leaf {
                    path: full,
                    system,
                    data_type: Some(data_type),
                    origin,
                }),
                None => {
                    let Some(shape) = table.sound(&field.type_name) else {
                        continue;
                    };
                    if list.leaves.len() + table.count[shape] > MAX_FLAT_FIELDS {
                        push_overflow(list, origin);
                        continue;
                    }
                    self.expand(
                        &field.type_name,
                        &full,
                        &system,
                        origin,
                        table,
                        &mut list.leaves,
                    );
                }
            }
        }
    }

    /// The fields of the shape `name` under `prefix`, as `cyclr::flatten` lists them. Only
    /// sound shapes are expanded, so this ends and stays within `MAX_SHAPE_DEPTH` levels.
    fn expand(
        &self,
        name: &str,
        prefix: &[Segment],
        system_prefix: &str,
        origin: usize,
        table: &ShapeTable<'a>,
        out: &mut Vec<Leaf>,
    ) {
        let Some(shape) = self.definition.types.get(name) else {
            return;
        };
        for field in &shape.fields {
            let Ok(path) = fieldpath::parse(&field.path) else {
                continue;
            };
            let system = format!(
                "{system_prefix}{}",
                field
                    .system_field
                    .clone()
                    .unwrap_or_else(|| system_field(&path))
            );
            let mut full = prefix.to_vec();
            full.extend(path);
            match DataType::parse(&field.type_name) {
                Some(data_type) => out.push(Leaf {
                    path: full,
                    system,
                    data_type: Some(data_type),
                    origin,
                }),
                None => {
                    if table.sound(&field.type_name).is_some() {
                        self.expand(&field.type_name, &full, &system, origin, table, out);
                    }
                }
            }
        }
    }

    /// Reports fields of one list that share a path or a system field, or where one would
    /// have to hold the other. Clashes within one shape are reported at the shape only.
    fn clashes(&mut self, what: &str, list: &FlatList) {
        let mut reported: HashSet<(usize, usize)> = HashSet::new();
        let mut by_path: HashMap<&[Segment], usize> = HashMap::new();
        for (k, origin) in list.origins.iter().enumerate() {
            let Some(path) = &origin.path else { continue };
            if let Some(&first) = by_path.get(path.as_slice()) {
                reported.insert((first, k));
                let mut diagnostic = Diagnostic::error(
                    Code::FieldClash,
                    format!("{what} has two fields at `{}`", fieldpath::format(path)),
                )
                .in_file(self.file, self.spans.value(&origin.pointer))
                .with_secondary(
                    self.spans.value(&list.origins[first].pointer),
                    list.origins[first].note.unwrap_or("first used here"),
                )
                .with_help("each path holds one value: remove one of the two, or correct its path (paging and `since` fill in their own keys)");
                if let Some(note) = origin.note {
                    diagnostic = diagnostic.with_label(note);
                }
                self.diagnostics.push(diagnostic);
            } else {
                by_path.insert(path, k);
            }
        }
        let mut nodes = vec![KeyNode {
            children: HashMap::new(),
            array: false,
            leaf: None,
            first: 0,
        }];
        let mut systems: HashMap<&str, usize> = HashMap::new();
        for (k, leaf) in list.leaves.iter().enumerate() {
            let mut node = 0;
            let mut clash = None;
            for (depth, segment) in leaf.path.iter().enumerate() {
                let last = depth + 1 == leaf.path.len();
                let Some(&child) = nodes[node].children.get(segment.key()) else {
                    let child = nodes.len();
                    nodes.push(KeyNode {
                        children: HashMap::new(),
                        array: segment.is_array(),
                        leaf: last.then_some(k),
                        first: k,
                    });
                    nodes[node].children.insert(segment.key().to_owned(), child);
                    node = child;
                    continue;
                };
                let found = &nodes[child];
                if found.array != segment.is_array() {
                    clash = Some((found.first, Clash::ListAndObject(depth)));
                } else if let Some(scalar) = found.leaf {
                    clash = Some((scalar, if last { Clash::Same } else { Clash::Inside }));
                } else if last {
                    clash = Some((found.first, Clash::Holds));
                }
                if clash.is_some() {
                    break;
                }
                node = child;
            }
            if let Some((first, kind)) = clash {
                let pair = (list.leaves[first].origin, leaf.origin);
                if !self.same_shape(list, pair) && reported.insert(pair) {
                    self.leaf_clash(what, list, first, k, kind);
                }
                continue;
            }
            if leaf.system.is_empty() {
                continue;
            }
            if let Some(&first) = systems.get(leaf.system.as_str()) {
                let pair = (list.leaves[first].origin, leaf.origin);
                if !self.same_shape(list, pair) && reported.insert(pair) {
                    let other = fieldpath::format(&list.leaves[first].path);
                    let this = fieldpath::format(&leaf.path);
                    // Point at a `system_field` where one was written.
                    let at = |origin: &Origin| {
                        let pointer = origin.system_pointer.as_ref().unwrap_or(&origin.pointer);
                        self.spans.value(pointer)
                    };
                    let (first_origin, origin) = (&list.origins[pair.0], &list.origins[pair.1]);
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::FieldClash,
                            format!(
                                "`{other}` and `{this}` of {what} have the same Cyclr system field `{}`",
                                leaf.system
                            ),
                        )
                        .in_file(self.file, at(origin))
                        .with_secondary(at(first_origin), format!("`{other}` {}", origin_role(first_origin)))
                        .with_help("give one of them a `system_field` of its own: Cyclr tells a method's fields apart by it (by default the path's keys in PascalCase, `Address.City` gives `AddressCity`; the fields of a shape add theirs to the field that holds it)"),
                    );
                }
            } else {
                systems.insert(&leaf.system, k);
            }
        }
    }

    /// Whether both leaves of a clash come from one shape, where it is reported.
    fn same_shape(&self, list: &FlatList, (first, second): (usize, usize)) -> bool {
        first == second && list.origins[first].shape
    }

    fn leaf_clash(
        &mut self,
        what: &str,
        list: &FlatList,
        first: usize,
        second: usize,
        kind: Clash,
    ) {
        let (a, b) = (&list.leaves[first], &list.leaves[second]);
        let (pa, pb) = (fieldpath::format(&a.path), fieldpath::format(&b.path));
        // With its article: `an integer`, `a text`.
        let type_name = |leaf: &Leaf| {
            let name = leaf.data_type.map_or("single", DataType::name);
            let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "an"
            } else {
                "a"
            };
            format!("{article} {name}")
        };
        let (message, help) = match kind {
            Clash::Same => (
                format!("{what} has two fields at `{pb}`"),
                "each path holds one value: remove one of the two, or correct its path (paging and `since` fill in their own keys)".to_owned(),
            ),
            Clash::Inside => (
                format!(
                    "`{pa}` holds {} value in {what}, so `{pb}` cannot be inside it",
                    type_name(a)
                ),
                format!("a value is either one value or an object: remove `{pa}`, or make it hold a shape that declares what is inside it"),
            ),
            Clash::Holds => (
                format!(
                    "`{pb}` holds {} value in {what}, but `{pa}` is inside it",
                    type_name(b)
                ),
                format!("a value is either one value or an object: remove `{pb}`, or make it hold a shape that declares what is inside it"),
            ),
            Clash::ListAndObject(depth) => {
                let key = fieldpath::format(&[Segment::Key(b.path[depth].key().to_owned())]);
                (
                    format!("{what} has `{key}` as a list in one path and as one object in the other: `{pa}`, `{pb}`"),
                    format!("write the key the same way in both paths: `[{key}]` for a list of objects, `{key}` for one object"),
                )
            }
        };
        let (first_at, second_at) = (
            &list.origins[a.origin].pointer,
            &list.origins[b.origin].pointer,
        );
        let mut diagnostic = Diagnostic::error(Code::FieldClash, message)
            .in_file(self.file, self.spans.value(second_at))
            .with_secondary(
                self.spans.value(first_at),
                format!("`{pa}` {}", origin_role(&list.origins[a.origin])),
            )
            .with_help(help);
        if let Some(note) = list.origins[b.origin].note {
            diagnostic = diagnostic.with_label(note);
        } else if list.origins[b.origin].shape {
            diagnostic = diagnostic.with_label(format!("`{pb}` comes from this shape"));
        }
        self.diagnostics.push(diagnostic);
    }

    // --- paging, since, query keys ------------------------------------------------------

    fn paging(&mut self, i: usize, method: &Method, listing: bool, root_array: bool) {
        let Some(paging) = &method.paging else {
            return;
        };
        let at = |key: &str| format!("/methods/{i}/paging/{key}");
        let kind = match paging.kind {
            PagingKind::PageNumber => "page_number",
            PagingKind::Offset => "offset",
            PagingKind::Cursor => "cursor",
            PagingKind::NextUrl => "next_url",
        };
        let missing = match paging.kind {
            PagingKind::PageNumber if paging.page_param.is_none() => Some((
                "page_param",
                "add `page_param:` with the query or body key of the page number, e.g. `page`",
            )),
            PagingKind::Offset if paging.page_param.is_none() => Some((
                "page_param",
                "add `page_param:` with the query or body key of the item offset, e.g. `offset`",
            )),
            PagingKind::Cursor if paging.cursors.is_empty() => Some((
                "cursors",
                "add `cursors:` with the response path of each value and the key that sends it back: `- { response: meta.next_cursor, param: cursor }`",
            )),
            PagingKind::NextUrl if paging.next_url.is_none() => Some((
                "next_url",
                "add `next_url:` with the response path of the next page's URL, e.g. `links.next`",
            )),
            _ => None,
        };
        if let Some((key, help)) = missing {
            self.error(
                Code::InvalidPaging,
                format!("{kind} paging needs `{key}`"),
                self.spans.value(&at("kind")),
                help,
            );
        }
        let misplaced = [
            (
                "page_param",
                paging.page_param.is_some(),
                matches!(paging.kind, PagingKind::PageNumber | PagingKind::Offset),
                "page_number and offset",
            ),
            (
                "first_page",
                paging.first_page.is_some(),
                paging.kind == PagingKind::PageNumber,
                "page_number",
            ),
            (
                "cursors",
                !paging.cursors.is_empty(),
                paging.kind == PagingKind::Cursor,
                "cursor",
            ),
            (
                "next_url",
                paging.next_url.is_some(),
                paging.kind == PagingKind::NextUrl,
                "next_url",
            ),
        ];
        for (key, present, belongs, kinds) in misplaced {
            if present && !belongs {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidPaging,
                        format!("`{key}` does not apply to {kind} paging"),
                    )
                    .in_file(self.file, self.spans.key_or_value(&at(key)))
                    .with_secondary(self.spans.value(&at("kind")), "the paging kind")
                    .with_help(format!(
                        "remove `{key}` (it belongs to {kinds} paging), or change `kind`"
                    )),
                );
            }
        }
        if !listing {
            let response = format!("/methods/{i}/response");
            let mut diagnostic = Diagnostic::error(
                Code::InvalidPaging,
                "a paged method needs `response.items`: paging walks the items page by page",
            )
            .in_file(
                self.file,
                self.spans.key_or_value(&format!("/methods/{i}/paging")),
            )
            .with_help("add `items:` to the response with the path of the list in each page: `[Items]`, `data.[records]`, or `[]` when the response is the list");
            if self.spans.get(&response).is_some() {
                diagnostic = diagnostic
                    .with_secondary(self.spans.key_or_value(&response), "no `items` here");
            }
            self.diagnostics.push(diagnostic);
        }
        for (k, cursor) in paging.cursors.iter().enumerate() {
            self.path(
                &at(&format!("cursors/{k}/response")),
                &cursor.response,
                PathUse::Value("a cursor"),
            );
        }
        if let Some(next) = &paging.next_url {
            self.path(&at("next_url"), next, PathUse::Value("the next page's URL"));
        }
        if let Some(total) = &paging.total {
            self.path(&at("total"), total, PathUse::Value("the total"));
        }
        // A response that is the list (`items: []`) has no keys beside its items.
        if root_array {
            let paths = response_paths(paging);
            for (key, path, what) in paths {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidPaging,
                        format!("the response is the list of items (`items: []`), so it holds no {what} at `{path}`"),
                    )
                    .in_file(self.file, self.spans.value(&at(&key)))
                    .with_secondary(
                        self.spans.value(&format!("/methods/{i}/response/items")),
                        "the response is this list",
                    )
                    .with_help("name the list's path in `items` if the items sit in an object beside it (`data.[records]`); an API that sends a bare list pages by page number or offset"),
                );
            }
        }
        // Two or more cursors become Cyclr variables named after their keys.
        if paging.kind == PagingKind::Cursor && paging.cursors.len() > 1 {
            let mut variables: HashMap<String, usize> = HashMap::new();
            for (k, cursor) in paging.cursors.iter().enumerate() {
                let variable = format!("{PAGE_TOKEN}_{}", token_suffix(&cursor.param));
                if let Some(first) = variables.get(&variable) {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidPaging,
                            format!(
                                "the cursors `{}` and `{}` both become Cyclr's `{variable}`",
                                paging.cursors[*first].param, cursor.param
                            ),
                        )
                        .in_file(self.file, self.spans.value(&at(&format!("cursors/{k}/param"))))
                        .with_secondary(
                            self.spans.value(&at(&format!("cursors/{first}/param"))),
                            "first used here",
                        )
                        .with_help("Cyclr names each cursor's variable after its key in capitals, with `_` for other characters; two keys that differ only in case or punctuation cannot both be cursors"),
                    );
                } else {
                    variables.insert(variable, k);
                }
            }
        }
    }

    fn since(&mut self, i: usize, method: &Method, listing: bool) {
        let Some(since) = &method.since else {
            return;
        };
        let at = |key: &str| format!("/methods/{i}/since/{key}");
        let sources: Vec<&str> = [
            ("query", since.query.is_some()),
            ("body", since.body.is_some()),
            ("response_field", since.response_field.is_some()),
        ]
        .into_iter()
        .filter(|(_, present)| *present)
        .map(|(key, _)| key)
        .collect();
        match sources.as_slice() {
            [] => {
                self.error(
                    Code::InvalidSince,
                    "`since` needs one of `query`, `body` or `response_field`",
                    self.spans.key_or_value(&format!("/methods/{i}/since")),
                    "add `query:` (the query parameter that takes the date), `body:` (the request-body path that takes it) or `response_field:` (the item's date Cyclr compares with the last run)",
                );
                return;
            }
            [first, rest @ ..] => {
                for second in rest {
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidSince,
                            format!(
                                "`since` takes one of `query`, `body` and `response_field`, not both `{first}` and `{second}`"
                            ),
                        )
                        .in_file(self.file, self.spans.key_or_value(&at(second)))
                        .with_secondary(self.spans.key_or_value(&at(first)), "the other")
                        .with_help("keep the one the API supports"),
                    );
                }
            }
        }
        let sends_date = since.query.is_some() || since.body.is_some();
        match &since.format {
            None if sends_date => self.error(
                Code::InvalidSince,
                format!("`since.{}` needs `format`", sources[0]),
                self.spans.key_or_value(&at(sources[0])),
                "add `format:` with the date format the API expects, in .NET notation, e.g. yyyy-MM-ddTHH:mm:ssZ",
            ),
            Some(_) if !sends_date => self.error(
                Code::InvalidSince,
                "`format` does not apply to `since.response_field`",
                self.spans.key_or_value(&at("format")),
                "remove `format`: Cyclr reads the item's date with the field's own format",
            ),
            Some(format) if format.contains(['{', '}']) => self.error(
                Code::InvalidSince,
                "a date format cannot hold `{` or `}`",
                self.spans.value(&at("format")),
                "Cyclr writes the format into a `{{LastSuccessfulRunDate format=...}}` merge field, which braces would end early; write a .NET date format such as yyyy-MM-ddTHH:mm:ssZ",
            ),
            // In the query, the format's literal characters land in the URL as they are: `&`
            // or `#` would end the value, `+` read as a space, `%` as an escape.
            Some(format) if since.query.is_some() => {
                if let Some(c) = format.chars().find(|&c| !is_query_format_char(c)) {
                    self.error(
                        Code::InvalidSince,
                        format!("a date format in the query cannot hold `{c}`"),
                        self.spans.value(&at("format")),
                        "Cyclr puts the formatted date into the URL's query string as it is, where this character would end or change the value; use letters, digits, spaces and `- . _ ~ : / , '` only, such as yyyy-MM-ddTHH:mm:ssZ",
                    );
                }
            }
            _ => {}
        }
        if let Some(body) = &since.body {
            if matches!(method.http_method, HttpMethod::Get | HttpMethod::Delete) {
                self.error(
                    Code::InvalidSince,
                    format!(
                        "a {} request carries no body to put the date in",
                        format!("{:?}", method.http_method).to_uppercase()
                    ),
                    self.spans.key_or_value(&at("body")),
                    "use `query:` for a date in the query string, or POST, PUT or PATCH",
                );
            }
            self.path(&at("body"), body, PathUse::Input);
        }
        if let Some(field) = &since.response_field {
            if !listing {
                self.error(
                    Code::InvalidSince,
                    "`since.response_field` is a path within an item, but the method has no `response.items`",
                    self.spans.key_or_value(&at("response_field")),
                    "add `items:` to the response with the path of the list, or use `query:` or `body:`",
                );
            }
            self.path(&at("response_field"), field, PathUse::Value("the date"));
        }
    }

    /// A query key is sent once: parameters, paging (in the query), `since.query` and the
    /// API key's query parameter may not name the same key.
    fn query_keys(&mut self, i: usize, method: &Method) {
        let at = |key: &str| format!("/methods/{i}/{key}");
        let mut keys: Vec<(&str, String, String, bool)> = Vec::new();
        for (base, auth) in self.definition.sign_ins() {
            if let Some(name) = &auth.api_key_query {
                let what = "the API key (`api_key_query`)".to_owned();
                keys.push((name, format!("{base}/api_key_query"), what, false));
            }
        }
        for (j, parameter) in method.parameters.iter().enumerate() {
            if parameter.location == ParameterLocation::Query {
                let what = format!("the parameter `{}`", parameter.name);
                keys.push((
                    &parameter.name,
                    at(&format!("parameters/{j}/name")),
                    what,
                    true,
                ));
            }
        }
        if let Some(paging) = &method.paging
            && paging.location == PagingLocation::Query
        {
            for (key, value) in [
                ("page_param", &paging.page_param),
                ("size_param", &paging.size_param),
            ] {
                if let Some(value) = value {
                    keys.push((
                        value,
                        at(&format!("paging/{key}")),
                        format!("paging's `{key}`"),
                        false,
                    ));
                }
            }
            for (k, cursor) in paging.cursors.iter().enumerate() {
                let what = format!("the cursor `{}`", cursor.param);
                keys.push((
                    &cursor.param,
                    at(&format!("paging/cursors/{k}/param")),
                    what,
                    false,
                ));
            }
        }
        if let Some(query) = method.since.as_ref().and_then(|s| s.query.as_ref()) {
            keys.push((query, at("since/query"), "`since.query`".to_owned(), false));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (k, (key, pointer, what, parameter)) in keys.iter().enumerate() {
            let Some(&first) = seen.get(key) else {
                seen.insert(key, k);
                continue;
            };
            // Two parameters of one name are reported as duplicate names.
            if *parameter && keys[first].3 {
                continue;
            }
            let first_what = &keys[first].2;
            self.diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("{what} sends the query key `{key}`, which {first_what} sends already"),
                )
                .in_file(self.file, self.spans.value(pointer))
                .with_secondary(self.spans.value(&keys[first].1), "first used here")
                .with_help("each query key is sent once: remove the parameter that paging or `since` fills in, or correct the key"),
            );
        }
    }

    // --- lookups ------------------------------------------------------------------------

    fn lookup(&mut self, pointer: &str, lookup: &Lookup) {
        let methods = &self.definition.methods;
        match methods.iter().position(|m| m.name == lookup.method) {
            None => {
                let names = methods.iter().map(|m| m.name.as_str());
                let lists: Vec<&str> = methods
                    .iter()
                    .filter(|m| m.response.as_ref().is_some_and(|r| r.items.is_some()))
                    .map(|m| m.name.as_str())
                    .collect();
                let help = match did_you_mean(&lookup.method, names) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None if lists.is_empty() => "name a method of this connector that lists items (one with `response.items`)".to_owned(),
                    None => format!("name a list method: {}", lists.join(", ")),
                };
                self.error(
                    Code::InvalidLookup,
                    format!("`{}` names no method of this connector", lookup.method),
                    self.spans.value(&format!("{pointer}/method")),
                    help,
                );
            }
            Some(m)
                if methods[m]
                    .response
                    .as_ref()
                    .is_none_or(|r| r.items.is_none()) =>
            {
                self.diagnostics.push(
                    Diagnostic::error(
                        Code::InvalidLookup,
                        format!(
                            "`{}` lists no items to pick from: it has no `response.items`",
                            lookup.method
                        ),
                    )
                    .in_file(self.file, self.spans.value(&format!("{pointer}/method")))
                    .with_secondary(
                        self.spans.value(&format!("/methods/{m}/name")),
                        "declared here",
                    )
                    .with_help(format!(
                        "name a list method, or add `items:` to the response of `{}`",
                        lookup.method
                    )),
                );
            }
            Some(_) => {}
        }
        self.path(
            &format!("{pointer}/id"),
            &lookup.id,
            PathUse::Value("a lookup's id"),
        );
        self.path(
            &format!("{pointer}/label"),
            &lookup.label,
            PathUse::Value("a lookup's label"),
        );
    }
}

/// How two fields of one list clash.
#[derive(Clone, Copy)]
enum Clash {
    /// Both are at one path.
    Same,
    /// The second is inside the first, which holds one value.
    Inside,
    /// The second holds one value, and the first is inside it.
    Holds,
    /// One goes through the key at this depth as a list, the other as an object.
    ListAndObject(usize),
}

/// How a secondary label says where a field comes from.
fn origin_role(origin: &Origin) -> &'static str {
    if origin.shape {
        "comes from this shape"
    } else {
        "is here"
    }
}

/// A value paging or `since` adds to a request, as one entry.
fn add_value(
    list: &mut FlatList,
    pointer: String,
    path: Vec<Segment>,
    data_type: DataType,
    note: &'static str,
) {
    let origin = list.origins.len();
    list.leaves.push(Leaf {
        system: system_field(&path),
        path: path.clone(),
        data_type: Some(data_type),
        origin,
    });
    list.origins.push(Origin {
        pointer,
        path: Some(path),
        shape: false,
        note: Some(note),
        system_pointer: None,
    });
}

/// Marks `list` as too large to check: one leaf past the limit.
fn push_overflow(list: &mut FlatList, origin: usize) {
    while list.leaves.len() <= MAX_FLAT_FIELDS {
        list.leaves.push(Leaf {
            path: Vec::new(),
            system: String::new(),
            data_type: None,
            origin,
        });
    }
}

/// The byte offset in `text` of the first list in `segments`, if there is one.
fn array_offset(text: &str, segments: &[Segment]) -> Option<usize> {
    segments.iter().position(Segment::is_array)?;
    // Outside literal keys, a `[` opens a list.
    let mut literal = false;
    text.char_indices().find_map(|(i, c)| match c {
        '\\' => {
            literal = !literal;
            None
        }
        '[' if !literal => Some(i),
        _ => None,
    })
}

/// What Cyclr would read in a value or default as its own syntax rather than send as written:
/// a `{{` opens a merge field (Cyclr fills `{{ApiKey}}` in with the setup value, and a
/// default is where the generator itself puts `{{Cyclr_Webhook_Url}}`), and a paging
/// variable (`CYCLR_PAGE_NUMBER`) as a parameter's first value is filled in with the page.
/// The message and help for `text`, if it is either.
pub(super) fn cyclr_syntax(text: &str, what: &str) -> Option<(String, String)> {
    let shown = quote_value(&serde_json::Value::String(text.to_owned()));
    if text.contains("{{") {
        Some((
            format!("the {what} {shown} holds `{{{{`, which Cyclr reads as a merge field"),
            "Cyclr fills `{{Name}}` in with a value of its own (a setup value, a date), so this would not be sent as written; take the `{{` out".to_owned(),
        ))
    } else if text.contains("<<") {
        Some((
            format!("the {what} {shown} holds `<<`, which reads as a placeholder"),
            "placeholders are filled in URLs, scopes, headers and authorise and token parameters, never in a value or default, which every target sends as written; take the `<<` out".to_owned(),
        ))
    } else if text.starts_with("CYCLR_PAGE_") {
        Some((
            format!("the {what} {shown} is the name of a Cyclr paging variable"),
            "Cyclr fills a paging variable in with the page's number, size, offset, token or URL instead of sending it as written; declare paging under `paging`, and take this value out".to_owned(),
        ))
    } else {
        None
    }
}

/// Whether a date format in the query may hold `c`: a character that stands for itself in a
/// query value, a space (encoded on the way, as URLs are; Pipedrive's `yyyy-MM-dd HH:mm:ss`
/// needs it), or `'` (which quotes literal text in .NET formats and is not written).
fn is_query_format_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '.' | '_' | '~' | ':' | '/' | ',' | '\'')
}

/// A key under which values of one field compare equal: 1 and 1.0 are one number.
fn value_key(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Number(number) => {
            if let Some(whole) = number.as_i64() {
                format!("n{whole}")
            } else if let Some(whole) = number.as_u64() {
                format!("n{whole}")
            } else {
                let float = number.as_f64().unwrap_or(f64::NAN);
                if float.fract() == 0.0 && float.abs() < 9.0e15 {
                    format!("n{}", float as i64)
                } else {
                    format!("n{float:?}")
                }
            }
        }
        serde_json::Value::String(text) => format!("s{text}"),
        other => format!("o{other}"),
    }
}

/// Which of `values` and `default` a field gives.
fn present_value_keys(field: &DataField) -> impl Iterator<Item = &'static str> {
    let values = (!field.values.is_empty()).then_some("values");
    let default = field.default.is_some().then_some("default");
    values.into_iter().chain(default)
}

/// The response paths paging reads, each with its key under `paging` and what it is: the
/// cursors, the next URL and the total.
fn response_paths(paging: &Paging) -> impl Iterator<Item = (String, &String, &'static str)> {
    let cursors = paging
        .cursors
        .iter()
        .enumerate()
        .map(|(k, c)| (format!("cursors/{k}/response"), &c.response, "cursor"));
    let next = paging
        .next_url
        .iter()
        .map(|n| ("next_url".to_owned(), n, "next URL"));
    let total = paging
        .total
        .iter()
        .map(|t| ("total".to_owned(), t, "total"));
    cursors.chain(next).chain(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_list_outside_literal_keys() {
        let offset = |text: &str| array_offset(text, &fieldpath::parse(text).unwrap());
        assert_eq!(offset("meta.total"), None);
        assert_eq!(offset("meta.[cursors].id"), Some(5));
        assert_eq!(offset("\\a[b\\.[c].d"), Some(6));
        assert_eq!(offset("[]"), Some(0));
    }

    #[test]
    fn numbers_that_are_equal_are_one_value() {
        let key = |text: &str| value_key(&serde_json::from_str(text).unwrap());
        assert_eq!(key("5"), key("5.0"));
        assert_ne!(key("5"), key("5.5"));
        assert_ne!(key("5"), key("\"5\""));
        assert_ne!(key("true"), key("\"true\""));
        assert_eq!(key("18446744073709551615"), "n18446744073709551615");
    }
}
