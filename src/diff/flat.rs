//! Request, response and payload fields as an installed Cyclr step sees them: shared shapes
//! expanded under the fields that use them, paths joined, optional inherited, read-only
//! fields left out of requests (as `model::cyclr::flatten` lists them), each leaf keeping the
//! JSON pointer of the field that declares it, in the method or in `types:`.

use crate::definition::{DataField, Definition};
use crate::fieldpath::{self, Segment};
use crate::load::pointer_token;
use crate::model::system_field;

/// How deep shapes may nest here. Validation refuses deeper nesting and cycles long before;
/// this only keeps the walk finite whatever it is given.
const MAX_DEPTH: usize = 64;

/// Which way data flows: requests leave read-only fields out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    /// A request body: what steps send.
    Request,
    /// A response or a webhook's payload: what steps read.
    Response,
}

/// One field as a step sees it.
pub(super) struct Flat<'d> {
    /// What matches it with its counterpart: whether it sits under the response's `items`,
    /// and its path from there.
    pub key: (bool, String),
    /// Its full path, as Cyclr lists it.
    pub path: String,
    /// Cyclr's `SystemField`, with the prefixes of the fields it sits under.
    pub system: String,
    /// The label shown, with the labels of the fields it sits under.
    pub display: String,
    /// Whether it may be missing, itself or through a field it sits under.
    pub optional: bool,
    /// The field that declares it.
    pub field: &'d DataField,
    /// The JSON pointer of that field.
    pub pointer: String,
}

/// Where the fields being flattened sit.
struct Parent<'p> {
    /// The path before theirs, as matched.
    relative: &'p [Segment],
    /// The `items` prefix, shown before the relative path.
    items: &'p [Segment],
    in_items: bool,
    system: &'p str,
    display: &'p str,
    optional: bool,
}

/// Flattens a body, response or payload: the fields of the shape `shape` (under `items`
/// when given), then `fields` declared at `pointer` (from the root).
pub(super) fn body<'d>(
    definition: &'d Definition,
    direction: Direction,
    shape: Option<&str>,
    items: Option<&[Segment]>,
    fields: &'d [DataField],
    pointer: &str,
) -> Vec<Flat<'d>> {
    let mut out = Vec::new();
    let items_prefix = items.unwrap_or_default();
    if let Some(shape) = shape {
        let parent = Parent {
            relative: &[],
            items: items_prefix,
            in_items: items.is_some(),
            system: "",
            display: "",
            optional: false,
        };
        expand(definition, direction, shape, &parent, &mut out, 0);
    }
    let parent = Parent {
        relative: &[],
        items: &[],
        in_items: false,
        system: "",
        display: "",
        optional: false,
    };
    walk(
        definition,
        direction,
        fields,
        &format!("{pointer}/fields"),
        &parent,
        &mut out,
        0,
    );
    out
}

fn expand<'d>(
    definition: &'d Definition,
    direction: Direction,
    shape: &str,
    parent: &Parent<'_>,
    out: &mut Vec<Flat<'d>>,
    depth: usize,
) {
    if let Some((name, declared)) = definition.types.get_key_value(shape) {
        let pointer = format!("/types/{}/fields", pointer_token(name));
        walk(
            definition,
            direction,
            &declared.fields,
            &pointer,
            parent,
            out,
            depth + 1,
        );
    }
}

fn walk<'d>(
    definition: &'d Definition,
    direction: Direction,
    fields: &'d [DataField],
    pointer: &str,
    parent: &Parent<'_>,
    out: &mut Vec<Flat<'d>>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    for (j, field) in fields.iter().enumerate() {
        if direction == Direction::Request && field.read_only {
            continue;
        }
        // Validation parsed every path; one that does not parse has no place to be shown.
        let Ok(segments) = fieldpath::parse(&field.path) else {
            continue;
        };
        let mut relative = parent.relative.to_vec();
        relative.extend(segments.iter().cloned());
        let own_system = field
            .system_field
            .clone()
            .unwrap_or_else(|| system_field(&segments));
        let system = format!("{}{own_system}", parent.system);
        let display = format!("{}{}", parent.display, field.display_name);
        let optional = parent.optional || field.optional;
        let pointer = format!("{pointer}/{j}");
        if crate::definition::DataType::parse(&field.type_name).is_some() {
            let mut full = parent.items.to_vec();
            full.extend(relative.iter().cloned());
            out.push(Flat {
                key: (parent.in_items, fieldpath::format(&relative)),
                path: fieldpath::format(&full),
                system,
                display,
                optional,
                field,
                pointer,
            });
        } else {
            let display = format!("{display} ");
            let inner = Parent {
                relative: &relative,
                items: parent.items,
                in_items: parent.in_items,
                system: &system,
                display: &display,
                optional,
            };
            expand(definition, direction, &field.type_name, &inner, out, depth);
        }
    }
}
