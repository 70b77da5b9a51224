//! The client's types, planned as data: one struct per declared shape, request body, page
//! and response, one struct per object nested in them, one enum per text field with allowed
//! values. Each member knows its JSON key, its Rust type and whether it may be missing; the
//! renderer writes the declarations.
//!
//! Paths group by their first key: `NameComponents.FirstName` and `NameComponents.FamilyName`
//! make one member `name_components` of a nested struct `{Parent}NameComponents`, and
//! `[Emails].Value` a `Vec` of `{Parent}Emails`. A nested member may be missing only when
//! everything under it may.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::{member_ident, shape_type, type_ident, type_prefix};
use crate::model::{BodyModel, DataFieldModel, DataType, FieldKind, Segment, ShapeModel};

/// A type the client declares.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TypeDef {
    /// A struct.
    Struct(StructDef),
    /// An enum of allowed values.
    Enum(EnumDef),
}

/// A struct, serialised to and from the vendor's JSON object.
#[derive(Debug, Clone, Serialize)]
pub struct StructDef {
    /// Its name.
    pub name: String,
    /// What it stands for, which its doc comment says.
    pub origin: StructOrigin,
    /// Its members, in the order of the definition's fields.
    pub members: Vec<Member>,
    /// Whether it derives `Default`: every member may be missing or has a default itself.
    pub default: bool,
}

/// What a struct stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StructOrigin {
    /// A declared shape.
    Shape {
        /// The shape's description.
        description: String,
    },
    /// The object (or each object of the array) under a key of another struct.
    Nested {
        /// The struct it is in.
        parent: String,
        /// The key.
        key: String,
    },
    /// A method's request body.
    Body {
        /// The method's name.
        method: String,
    },
    /// One page of a list method's response.
    Page {
        /// The method's name.
        method: String,
    },
    /// A method's response.
    Response {
        /// The method's name.
        method: String,
    },
    /// What the vendor posts to a webhook.
    Payload {
        /// The webhook's name.
        webhook: String,
    },
}

/// One member of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    /// Its Rust name.
    pub name: String,
    /// The JSON key it is serialised under; `None` for a flattened shape.
    pub key: Option<String>,
    /// Its type, without the `Option` of a member that may be missing.
    pub ty: RustType,
    /// Whether it may be missing, and how.
    pub presence: Presence,
    /// Whether only responses carry it: read, never written.
    #[serde(default)]
    pub read_only: bool,
    /// What its doc comment says.
    pub doc: MemberDoc,
}

/// Whether a member may be missing from the JSON, and what it is then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Always there.
    Required,
    /// May be missing: an `Option`, left out when `None`.
    Optional,
    /// May be missing, and reads as its default then (a page's items: empty).
    Defaulted,
    /// The fields of a declared shape, at the same level as the struct's own.
    Flattened,
}

/// What a member's doc comment says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MemberDoc {
    /// A field of the definition.
    Field {
        /// Its label.
        display_name: String,
        /// What it holds.
        description: String,
        /// The format of a date and time.
        format: Option<String>,
        /// The values allowed, where no enum holds them. Not `values`, which Jinja2 (the
        /// benchmark's reference pipeline) reads as `dict.values`.
        allowed: Vec<String>,
        /// The value Cyclr sends when none is given.
        default: Option<String>,
    },
    /// The object, or the objects, under a key that several fields' paths share.
    Group {
        /// The key.
        key: String,
    },
    /// The items of a page.
    Items,
    /// A declared shape's fields, flattened.
    Shape {
        /// The shape's struct.
        name: String,
    },
}

/// The Rust type of a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RustType {
    /// `String`: text, dates and files.
    String,
    /// `i64`.
    Integer,
    /// `f64`: floating-point and decimal numbers.
    Float,
    /// `bool`.
    Boolean,
    /// `serde_json::Value`: JSON the definition does not describe.
    Json,
    /// A struct or enum the client declares.
    Named {
        /// Its name.
        name: String,
    },
    /// A `Vec`.
    List {
        /// The type of its items.
        item: Box<RustType>,
    },
}

impl RustType {
    /// The type of a scalar of `data_type`.
    pub fn scalar(data_type: DataType) -> RustType {
        match data_type {
            DataType::Text | DataType::Datetime | DataType::File => RustType::String,
            DataType::Integer => RustType::Integer,
            DataType::Float | DataType::Decimal => RustType::Float,
            DataType::Boolean => RustType::Boolean,
        }
    }

    /// The type of a declared shape, or JSON where `shape` is `None`.
    pub fn shape_or_json(shape: Option<&str>) -> RustType {
        match shape {
            Some(name) => RustType::Named {
                name: shape_type(name),
            },
            None => RustType::Json,
        }
    }

    /// A `Vec` of this type.
    pub fn list(self) -> RustType {
        RustType::List {
            item: Box::new(self),
        }
    }

    /// The names of the client's own types this type mentions.
    pub fn named(&self) -> Vec<&str> {
        match self {
            RustType::Named { name } => vec![name],
            RustType::List { item } => item.named(),
            _ => Vec::new(),
        }
    }
}

/// An enum of the values a text field allows, and `Other` for any value the definition does
/// not list, so that a new value from the vendor never breaks reading a response.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnumDef {
    /// Its name, `{Struct}{Member}`.
    pub name: String,
    /// The struct whose member it is the type of.
    pub owner: String,
    /// The field's label.
    pub display_name: String,
    /// Its variants, one per allowed value, in order.
    pub variants: Vec<Variant>,
}

/// One allowed value.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Variant {
    /// The variant's name.
    pub name: String,
    /// The value as the API spells it.
    pub value: String,
}

/// What a struct member comes from.
enum Leaf<'a> {
    /// A field of the definition.
    Field(&'a DataFieldModel),
    /// The items of a page, each of a declared shape (or JSON).
    Items(Option<&'a str>),
}

/// A leaf at a path, relative to the struct being planned.
struct Entry<'a> {
    path: &'a [Segment],
    leaf: Leaf<'a>,
}

/// Plans the client's types, naming each once.
pub struct Planner {
    /// Every type name given out, and the reserved ones.
    taken: BTreeSet<String>,
    types: Vec<TypeDef>,
    /// The fields of each declared shape planned so far, by the shape's name.
    shape_fields: BTreeMap<String, Vec<DataFieldModel>>,
}

impl Planner {
    /// A planner whose generated names step around `taken`: the reserved names, the declared
    /// shapes' and the methods' own types.
    pub fn new(taken: BTreeSet<String>) -> Self {
        Planner {
            taken,
            types: Vec::new(),
            shape_fields: BTreeMap::new(),
        }
    }

    /// The struct of a declared shape. Shapes are planned first: a body, response or payload
    /// reads the fields of its shape here.
    pub fn shape(&mut self, shape: &ShapeModel) {
        self.shape_fields
            .insert(shape.name.clone(), shape.fields.clone());
        let entries = shape.fields.iter().map(field_entry).collect();
        let origin = StructOrigin::Shape {
            description: shape.description.clone(),
        };
        self.plan_struct(shape_type(&shape.name), origin, None, entries);
    }

    /// The `{Method}Body` struct of a request body with fields of its own: the shape's fields
    /// flattened, then the body's (see [`Planner::beside_shape`]).
    pub fn body(&mut self, name: String, method: &str, body: &BodyModel) {
        let origin = StructOrigin::Body {
            method: method.to_owned(),
        };
        self.beside_shape(name, origin, body.shape.as_deref(), &body.fields);
    }

    /// A struct of a shape's fields and fields of its own: the shape flattened (a member of
    /// the shape's struct, `#[serde(flatten)]`), then the fields. Where a field goes into an
    /// object or list the shape's fields also go into (`meta.total` beside the shape's
    /// `meta.page`), flattening would write that key twice and read it into one member only:
    /// then the shape's fields are planned here too, beside the struct's own.
    fn beside_shape(
        &mut self,
        name: String,
        origin: StructOrigin,
        shape: Option<&str>,
        fields: &[DataFieldModel],
    ) {
        let shape_fields = shape
            .and_then(|shape| self.shape_fields.get(shape))
            .cloned()
            .unwrap_or_default();
        let shared = fields.iter().any(|field| {
            shape_fields.iter().any(|theirs| {
                theirs.path.first().map(Segment::key) == field.path.first().map(Segment::key)
            })
        });
        if shared {
            let entries = shape_fields.iter().chain(fields).map(field_entry).collect();
            self.plan_struct(name, origin, None, entries);
        } else {
            let entries = fields.iter().map(field_entry).collect();
            self.plan_struct(name, origin, shape, entries);
        }
    }

    /// The `{Method}Page` struct of a list response whose items are below its root: the
    /// items (empty when missing), and the response's fields.
    pub fn page(
        &mut self,
        name: String,
        method: &str,
        items: &[Segment],
        shape: Option<&str>,
        fields: &[DataFieldModel],
    ) {
        let mut entries = vec![Entry {
            path: items,
            leaf: Leaf::Items(shape),
        }];
        entries.extend(fields.iter().map(field_entry));
        let origin = StructOrigin::Page {
            method: method.to_owned(),
        };
        self.plan_struct(name, origin, None, entries);
    }

    /// The `{Method}Response` struct of a response with fields: the shape's fields
    /// flattened, then the response's (see [`Planner::beside_shape`]).
    pub fn response(
        &mut self,
        name: String,
        method: &str,
        shape: Option<&str>,
        fields: &[DataFieldModel],
    ) {
        let origin = StructOrigin::Response {
            method: method.to_owned(),
        };
        self.beside_shape(name, origin, shape, fields);
    }

    /// The `{Webhook}Payload` struct of a webhook payload with fields of its own: the
    /// shape's fields flattened, then the payload's (see [`Planner::beside_shape`]).
    pub fn payload(&mut self, name: String, webhook: &str, payload: &BodyModel) {
        let origin = StructOrigin::Payload {
            webhook: webhook.to_owned(),
        };
        self.beside_shape(name, origin, payload.shape.as_deref(), &payload.fields);
    }

    /// The types planned, in order, each struct knowing whether it can derive `Default`.
    pub fn finish(mut self) -> Vec<TypeDef> {
        let enums: BTreeSet<String> = self
            .types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Enum(e) => Some(e.name.clone()),
                TypeDef::Struct(_) => None,
            })
            .collect();
        // Every struct starts out with a default; one without spreads to those holding it.
        loop {
            let without: BTreeSet<String> = self
                .types
                .iter()
                .filter_map(|t| match t {
                    TypeDef::Struct(s) if !s.default => Some(s.name.clone()),
                    _ => None,
                })
                .chain(enums.iter().cloned())
                .collect();
            let mut changed = false;
            for def in &mut self.types {
                if let TypeDef::Struct(s) = def
                    && s.default
                    && !s.members.iter().all(|m| has_default(m, &without))
                {
                    s.default = false;
                    changed = true;
                }
            }
            if !changed {
                return self.types;
            }
        }
    }

    /// `name`, or `name` with the first number from 2 that makes it a name not given out.
    fn claim(&mut self, name: String) -> String {
        let name = unique(&self.taken, name);
        self.taken.insert(name.clone());
        name
    }

    /// Plans the struct `name` over `entries` (and a flattened shape), writing it before
    /// the types nested in it. Returns how present a member holding it is: required if any
    /// member is, defaulted if any is, optional otherwise.
    fn plan_struct(
        &mut self,
        name: String,
        origin: StructOrigin,
        flatten: Option<&str>,
        entries: Vec<Entry<'_>>,
    ) -> Presence {
        let index = self.types.len();
        self.types.push(TypeDef::Struct(StructDef {
            name: name.clone(),
            origin,
            members: Vec::new(),
            default: true,
        }));
        let mut idents = BTreeSet::new();
        let mut members = Vec::new();
        if let Some(shape) = flatten {
            members.push(Member {
                name: claim_ident(&mut idents, member_ident(shape)),
                key: None,
                ty: RustType::shape_or_json(Some(shape)),
                presence: Presence::Flattened,
                read_only: false,
                doc: MemberDoc::Shape {
                    name: shape_type(shape),
                },
            });
        }
        // Group by the first key, in order of first appearance.
        let mut groups: Vec<(&Segment, Vec<Entry<'_>>)> = Vec::new();
        for entry in entries {
            let Some(first) = entry.path.first() else {
                continue;
            };
            match groups
                .iter_mut()
                .find(|(segment, _)| segment.key() == first.key())
            {
                Some((_, group)) => group.push(entry),
                None => groups.push((first, vec![entry])),
            }
        }
        for (segment, group) in groups {
            let ident = claim_ident(&mut idents, member_ident(segment.key()));
            // Validation refuses a key that is both a value and an object of other fields;
            // should one slip through, the value wins.
            let member = match group.iter().find(|e| e.path.len() == 1) {
                Some(entry) => self.leaf_member(&name, ident, segment, &entry.leaf),
                None => {
                    let nested_name = self.claim(format!(
                        "{}{}",
                        name.trim_end_matches('_'),
                        key_part(segment.key())
                    ));
                    // A group of read-only fields is read-only itself: never written, not
                    // even as an empty object.
                    let read_only = group
                        .iter()
                        .all(|entry| matches!(&entry.leaf, Leaf::Field(field) if field.read_only));
                    let nested: Vec<Entry<'_>> = group
                        .into_iter()
                        .map(|entry| Entry {
                            path: &entry.path[1..],
                            leaf: entry.leaf,
                        })
                        .collect();
                    let origin = StructOrigin::Nested {
                        parent: name.clone(),
                        key: segment.key().to_owned(),
                    };
                    let presence = self.plan_struct(nested_name.clone(), origin, None, nested);
                    let ty = RustType::Named { name: nested_name };
                    Member {
                        name: ident,
                        key: Some(segment.key().to_owned()),
                        ty: if segment.is_array() { ty.list() } else { ty },
                        presence,
                        read_only,
                        doc: MemberDoc::Group {
                            key: segment.key().to_owned(),
                        },
                    }
                }
            };
            members.push(member);
        }
        let presence = if members
            .iter()
            .any(|m| matches!(m.presence, Presence::Required | Presence::Flattened))
        {
            Presence::Required
        } else if members.iter().any(|m| m.presence == Presence::Defaulted) {
            Presence::Defaulted
        } else {
            Presence::Optional
        };
        if let TypeDef::Struct(def) = &mut self.types[index] {
            def.members = members;
        }
        presence
    }

    /// The member of struct `owner` for a field or the items at `segment`.
    fn leaf_member(
        &mut self,
        owner: &str,
        ident: String,
        segment: &Segment,
        leaf: &Leaf<'_>,
    ) -> Member {
        let key = Some(segment.key().to_owned());
        let field = match leaf {
            Leaf::Items(shape) => {
                return Member {
                    name: ident,
                    key,
                    ty: RustType::shape_or_json(*shape).list(),
                    presence: Presence::Defaulted,
                    read_only: false,
                    doc: MemberDoc::Items,
                };
            }
            Leaf::Field(field) => field,
        };
        let (ty, format, values) = match &field.kind {
            FieldKind::Scalar {
                data_type: DataType::Text,
                ..
            } if !field.values.is_empty() => {
                let name = self.claim(format!(
                    "{}{}",
                    owner.trim_end_matches('_'),
                    key_part(segment.key())
                ));
                let mut variants = BTreeSet::from(["Other".to_owned()]);
                let variants = field
                    .values
                    .iter()
                    .map(|value| {
                        // `Other` holds the values not listed; a listed `Other` is `Other_`.
                        let ident = match type_ident(value, "Value") {
                            ident if ident == "Other" => "Other_".to_owned(),
                            ident => ident,
                        };
                        Variant {
                            name: claim_ident(&mut variants, ident),
                            value: value.clone(),
                        }
                    })
                    .collect();
                self.types.push(TypeDef::Enum(EnumDef {
                    name: name.clone(),
                    owner: owner.to_owned(),
                    display_name: field.display_name.clone(),
                    variants,
                }));
                (RustType::Named { name }, None, Vec::new())
            }
            FieldKind::Scalar { data_type, format } => (
                RustType::scalar(*data_type),
                format.clone(),
                field.values.clone(),
            ),
            FieldKind::Shape { name } => (
                RustType::shape_or_json(Some(name)),
                None,
                field.values.clone(),
            ),
        };
        Member {
            name: ident,
            key,
            ty: if segment.is_array() { ty.list() } else { ty },
            presence: if field.optional {
                Presence::Optional
            } else {
                Presence::Required
            },
            read_only: field.read_only,
            doc: MemberDoc::Field {
                display_name: field.display_name.clone(),
                description: field.description.clone(),
                format,
                allowed: values,
                default: field.default.clone(),
            },
        }
    }
}

/// A key as the end of a type name made from its parent's: `PascalCase`, without the `_` of a
/// keyword (`Person` and `type` make `PersonType`; the parent loses its own, `Self_` and
/// `type` make `SelfType`).
fn key_part(key: &str) -> String {
    type_prefix(key, "Value")
}

fn field_entry(field: &DataFieldModel) -> Entry<'_> {
    Entry {
        path: &field.path,
        leaf: Leaf::Field(field),
    }
}

/// Whether a member has a value when none is given, as `#[derive(Default)]` needs.
fn has_default(member: &Member, without: &BTreeSet<String>) -> bool {
    match member.presence {
        Presence::Optional | Presence::Defaulted => true,
        Presence::Required | Presence::Flattened => match &member.ty {
            RustType::Named { name } => !without.contains(name),
            _ => true,
        },
    }
}

/// `name`, or `name` with the first number from 2 that is not in `taken`.
fn unique(taken: &BTreeSet<String>, name: String) -> String {
    if !taken.contains(&name) {
        return name;
    }
    // A `snake_case` name takes `_2`, so that the number does not read as part of a word; an
    // `UpperCamelCase` one `2`, as `Other_2` is not camel case (a keyword's `_` goes).
    let (base, separator) = match name.trim_end_matches('_') {
        base if base.starts_with(|c: char| c.is_ascii_lowercase()) => (base, "_"),
        base => (base, ""),
    };
    (2..)
        .map(|n| format!("{base}{separator}{n}"))
        .find(|candidate| !taken.contains(candidate))
        .expect("an unbounded range has a free number")
}

/// `name` made unique among `taken`, and taken.
pub(crate) fn claim_ident(taken: &mut BTreeSet<String>, name: String) -> String {
    let name = unique(taken, name);
    taken.insert(name.clone());
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fieldpath::parse;

    fn field(path: &str, kind: FieldKind, optional: bool) -> DataFieldModel {
        DataFieldModel {
            path: parse(path).unwrap(),
            system_field: String::new(),
            display_name: path.to_owned(),
            description: "A field.".to_owned(),
            kind,
            optional,
            read_only: false,
            values: Vec::new(),
            default: None,
            trigger: None,
        }
    }

    fn text() -> FieldKind {
        FieldKind::Scalar {
            data_type: DataType::Text,
            format: None,
        }
    }

    fn structs(types: &[TypeDef]) -> Vec<&StructDef> {
        types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Struct(s) => Some(s),
                TypeDef::Enum(_) => None,
            })
            .collect()
    }

    #[test]
    fn paths_group_into_nested_structs_named_after_their_parent() {
        let mut status = field("Status", text(), false);
        status.values = vec!["Active".into(), "Other".into(), "other".into()];
        let shape = ShapeModel {
            name: "Person".to_owned(),
            description: "A person.".to_owned(),
            fields: vec![
                field("Id", text(), false),
                field("NameComponents.FirstName", text(), true),
                field("NameComponents.FamilyName", text(), true),
                field("[EmailAddresses].ItemValue", text(), false),
                field("Owner.Id", text(), false),
                status,
                field(
                    "[Positions]",
                    FieldKind::Shape {
                        name: "Position".to_owned(),
                    },
                    true,
                ),
            ],
        };
        let mut planner = Planner::new(BTreeSet::from(["Person".to_owned()]));
        planner.shape(&shape);
        let types = planner.finish();
        let names: Vec<&str> = types
            .iter()
            .map(|t| match t {
                TypeDef::Struct(s) => s.name.as_str(),
                TypeDef::Enum(e) => e.name.as_str(),
            })
            .collect();
        assert_eq!(
            names,
            [
                "Person",
                "PersonNameComponents",
                "PersonEmailAddresses",
                "PersonOwner",
                "PersonStatus"
            ]
        );
        let person = structs(&types)[0];
        let member = |key: &str| {
            person
                .members
                .iter()
                .find(|m| m.key.as_deref() == Some(key))
                .unwrap()
        };
        assert_eq!(member("NameComponents").presence, Presence::Optional);
        assert_eq!(member("NameComponents").name, "name_components");
        assert_eq!(
            member("EmailAddresses").ty,
            RustType::Named {
                name: "PersonEmailAddresses".to_owned()
            }
            .list()
        );
        assert_eq!(member("Owner").presence, Presence::Required);
        assert_eq!(
            member("Positions").ty,
            RustType::Named {
                name: "Position".to_owned()
            }
            .list()
        );
        let TypeDef::Enum(status) = &types[4] else {
            panic!("{types:?}")
        };
        let variants: Vec<&str> = status.variants.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(variants, ["Active", "Other_", "Other2"]);
        // A required enum member leaves Person without a `Default`.
        assert!(!person.default);
        assert!(structs(&types)[1].default);
    }

    #[test]
    fn page_items_are_defaulted_through_their_parents() {
        let mut planner = Planner::new(BTreeSet::new());
        let total = field(
            "meta.total",
            FieldKind::Scalar {
                data_type: DataType::Integer,
                format: None,
            },
            true,
        );
        planner.page(
            "ListThingsPage".to_owned(),
            "List Things",
            &parse("data.[records]").unwrap(),
            Some("Thing"),
            &[total],
        );
        let types = planner.finish();
        let page = structs(&types)[0];
        assert_eq!(page.members[0].name, "data");
        assert_eq!(page.members[0].presence, Presence::Defaulted);
        assert_eq!(page.members[1].presence, Presence::Optional);
        let data = structs(&types)[1];
        assert_eq!(data.name, "ListThingsPageData");
        assert_eq!(data.members[0].doc, MemberDoc::Items);
        assert!(page.default && data.default);
    }

    #[test]
    fn colliding_names_take_numbers() {
        let mut planner = Planner::new(BTreeSet::from(["AB".to_owned()]));
        let shape = ShapeModel {
            name: "A".to_owned(),
            description: "A.".to_owned(),
            fields: vec![
                field("B.c", text(), false),
                field("id", text(), false),
                field("Id", text(), false),
            ],
        };
        planner.shape(&shape);
        let types = planner.finish();
        let a = structs(&types)[0];
        assert_eq!(a.members[0].ty, RustType::Named { name: "AB2".into() });
        let idents: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(idents, ["b", "id", "id_2"]);
    }
}
