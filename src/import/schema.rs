//! JSON Schemas (OpenAPI's schema objects) read as the fields of a definition.
//!
//! The rules, in one place (the README's "Importing an OpenAPI document" repeats them):
//! - `string` is `text` (`date-time` is `datetime` with format `yyyy-MM-ddTHH:mm:ssK`, `date`
//!   is `datetime` with `yyyy-MM-dd`, `binary` is `file`), `integer` is `integer`, `number` is
//!   `decimal` (`float` and `double` formats are `float`), `boolean` is `boolean`; `enum`
//!   becomes `values`, `readOnly` `read_only`, `description` the description (its first
//!   sentence, plain), and a property not in `required` is `optional`.
//! - An object under a property is flattened into dotted paths (`address.city`); an object a
//!   `$ref` names (a component schema) becomes a shape of its own, named after it, and the
//!   property a field of that shape's type; an array of objects is a `[key]` field of the item's
//!   shape (an inline item object gets a shape named after its parent and key).
//! - `allOf` is merged: the properties and `required` of every part, in order.
//! - `oneOf` and `anyOf` of objects become one set of fields: every alternative's properties,
//!   all optional (only one alternative applies at a time), with a review note naming the
//!   alternatives. Alternatives that are scalars of one type give that type; of several types,
//!   `text`. `type: [x, "null"]` and `nullable` are `x`.
//! - What a definition cannot hold is left out with a warning naming it and why: free-form
//!   objects (`additionalProperties` only, or no properties), arrays of scalars or of arrays,
//!   a property that would make a shape contain itself (recursive schemas: the cycle is cut at
//!   the property that closes it, the first time the walk meets it), keys no Cyclr path can
//!   spell.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::document::{Documents, Loc};
use super::names;
use super::yaml::{Review, ReviewKind};

/// A data type of a definition field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    Text,
    Integer,
    Float,
    Decimal,
    Boolean,
    DateTime(&'static str),
    File,
}

impl Scalar {
    pub fn name(self) -> &'static str {
        match self {
            Scalar::Text => "text",
            Scalar::Integer => "integer",
            Scalar::Float => "float",
            Scalar::Decimal => "decimal",
            Scalar::Boolean => "boolean",
            Scalar::DateTime(_) => "datetime",
            Scalar::File => "file",
        }
    }
}

/// A field's type: a data type or a shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Data(Scalar),
    Shape(String),
}

/// One field, its path relative to its shape or body.
#[derive(Debug, Clone)]
pub struct Field {
    /// The keys from the shape's root; the last is a list of the shape's items when `list`.
    pub keys: Vec<String>,
    pub list: bool,
    pub kind: FieldType,
    pub description: Option<String>,
    pub optional: bool,
    pub read_only: bool,
    pub values: Vec<Value>,
    pub reviews: Vec<Review>,
}

impl Field {
    /// The Cyclr path: `a.b`, `[items]`, `\odd.key\`.
    pub fn path(&self) -> String {
        let last = self.keys.len().saturating_sub(1);
        self.keys
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let key = path_key(key);
                if i == last && self.list {
                    format!("[{key}]")
                } else {
                    key
                }
            })
            .collect::<Vec<_>>()
            .join(".")
    }
}

/// A key as a path segment: plain when Cyclr's notation allows, else between backslashes.
pub fn path_key(key: &str) -> String {
    if key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | '@'))
    {
        key.to_owned()
    } else {
        format!("\\{key}\\")
    }
}

/// Whether a key can be spelt in a path at all.
fn spellable(key: &str) -> bool {
    !key.is_empty() && !key.contains(['\\', '[', ']']) && !key.chars().any(char::is_control)
}

/// A shared shape.
#[derive(Debug, Clone)]
pub struct Shape {
    pub description: Option<String>,
    pub fields: Vec<Field>,
    pub reviews: Vec<Review>,
}

/// Something left out, and why, at a location of the document.
#[derive(Debug, Clone)]
pub struct LeftOut {
    pub loc: Loc,
    pub what: String,
    pub why: String,
}

/// The most levels a flattened path may have.
const MAX_DEPTH: usize = 12;

/// The most shapes nested in shapes (the validator's limit, E052).
const MAX_SHAPE_NESTING: usize = 32;

/// The shapes read so far, and what was left out.
pub struct Schemas<'a> {
    docs: &'a Documents,
    pub shapes: BTreeMap<String, Shape>,
    /// The shape each schema location became (or is becoming).
    by_loc: HashMap<Loc, String>,
    /// Every shape name given, lower-cased (two names one case apart make one Rust type).
    names: std::collections::HashSet<String>,
    /// What each schema is, by location, once read.
    kinds: HashMap<Loc, (Loc, Kind<'a>, Option<String>)>,
    /// Schemas being read, innermost last.
    inlining: Vec<Loc>,
    /// Shapes being built, innermost last.
    building: Vec<String>,
    pub left_out: Vec<LeftOut>,
    /// Broken `$ref`s: the document is malformed.
    pub errors: Vec<crate::diagnostics::Diagnostic>,
    /// Schemas already reported as left out, so each is reported once.
    reported: BTreeSet<(Loc, String)>,
}

/// An object schema's parts: the properties, the required keys and the union alternatives'
/// names.
type ObjectParts<'a> = (Vec<(String, Loc, &'a Value)>, BTreeSet<String>, Vec<String>);

/// What a schema is, once `$ref`s, `allOf`, `oneOf`/`anyOf` and nullability are resolved.
#[derive(Clone)]
enum Kind<'a> {
    /// A schema that refers back to one being read (its name): a cycle, cut here.
    Recursive(String),
    Object {
        properties: Vec<(String, Loc, &'a Value)>,
        required: BTreeSet<String>,
        union: Vec<String>,
    },
    Array(Loc, &'a Value),
    Scalar(Scalar, Vec<Value>),
    FreeForm,
}

impl<'a> Schemas<'a> {
    pub fn new(docs: &'a Documents) -> Self {
        Schemas {
            docs,
            shapes: BTreeMap::new(),
            by_loc: HashMap::new(),
            names: std::collections::HashSet::new(),
            kinds: HashMap::new(),
            inlining: Vec::new(),
            building: Vec::new(),
            left_out: Vec::new(),
            errors: Vec::new(),
            reported: BTreeSet::new(),
        }
    }

    fn leave_out(&mut self, loc: &Loc, what: String, why: &str) {
        if self.reported.insert((loc.clone(), what.clone())) {
            self.left_out.push(LeftOut {
                loc: loc.clone(),
                what,
                why: why.to_owned(),
            });
        }
    }

    /// Resolves `$ref`s; a broken one is an error of the document (reported once).
    fn resolve(&mut self, loc: &Loc, value: &'a Value) -> Option<(Loc, &'a Value)> {
        match self.docs.resolve(loc, value) {
            Ok(found) => Some(found),
            Err(error) => {
                if !self.errors.contains(&error) {
                    self.errors.push(*error);
                }
                None
            }
        }
    }

    /// The shape name for a referenced schema: its last pointer token in PascalCase, made
    /// unique.
    fn name_for(&self, target: &Loc, hint: &str) -> (String, Option<Review>) {
        // A whole file (`$ref: models/address.yml`) is named after the file.
        let token = match target.pointer.rsplit('/').next().unwrap_or("") {
            "" => self.docs.stem(target),
            token => token.replace("~1", "/").replace("~0", "~"),
        };
        let base = names::pascal(&token, 36)
            .or_else(|| names::pascal(hint, 36))
            .unwrap_or_else(|| "Shape".to_owned());
        let base = if crate::model::rust::RESERVED_TYPE_NAMES.contains(&base.as_str()) {
            format!("{base}Shape")
        } else {
            base
        };
        let taken = |name: &str| self.names.contains(&name.to_ascii_lowercase());
        if !taken(&base) {
            return (base, None);
        }
        let mut n = 2;
        while taken(&format!("{base}{n}")) {
            n += 1;
        }
        let name = format!("{base}{n}");
        let review = Review {
            kind: ReviewKind::Renamed,
            message: format!("named {name}: {base} is taken by another schema"),
        };
        (name, Some(review))
    }

    /// What `value` at `loc` is.
    fn kind(
        &mut self,
        loc: &Loc,
        value: &'a Value,
        depth: usize,
    ) -> Option<(Loc, Kind<'a>, Option<String>)> {
        let (target, _) = self.resolve(loc, value)?;
        // A schema being read that comes round again: a cycle through `allOf`, `oneOf` or
        // `anyOf`, or back to a shape being built.
        if self.inlining.contains(&target)
            || self
                .by_loc
                .get(&target)
                .is_some_and(|name| self.building.contains(name))
        {
            let name = self
                .by_loc
                .get(&target)
                .cloned()
                .unwrap_or_else(|| target.pointer.rsplit('/').next().unwrap_or("").to_owned());
            return Some((target, Kind::Recursive(name), None));
        }
        // Each schema is read once: documents that reach one schema along many paths (an
        // `allOf` diamond) stay linear.
        if let Some(found) = self.kinds.get(&target) {
            return Some(found.clone());
        }
        self.inlining.push(target.clone());
        let found = self.kind_uncached(loc, value, depth);
        self.inlining.pop();
        if let Some(found) = &found
            && !matches!(found.1, Kind::Recursive(_))
        {
            self.kinds.insert(target, found.clone());
        }
        found
    }

    fn kind_uncached(
        &mut self,
        loc: &Loc,
        value: &'a Value,
        depth: usize,
    ) -> Option<(Loc, Kind<'a>, Option<String>)> {
        let (loc, value) = self.resolve(loc, value)?;
        let description = value
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(map) = value.as_object() else {
            // `true` (any value) or something malformed.
            return Some((loc, Kind::FreeForm, description));
        };
        if depth > MAX_DEPTH {
            self.leave_out(
                &loc,
                "a schema".to_owned(),
                "it nests `allOf`, `oneOf` or `anyOf` more than 12 levels deep",
            );
            return Some((loc, Kind::FreeForm, description));
        }
        let mut properties: Vec<(String, Loc, &'a Value)> = Vec::new();
        let mut required = BTreeSet::new();
        let mut union = Vec::new();
        let mut scalar_alternatives: Vec<(Scalar, Vec<Value>)> = Vec::new();
        let mut array_alternative = None;
        // allOf: every part's properties and requirements.
        if let Some(Value::Array(parts)) = map.get("allOf") {
            for (i, part) in parts.iter().enumerate() {
                let part_loc = loc.child("allOf").child(&i.to_string());
                let found = self.kind(&part_loc, part, depth + 1);
                if let Some((p, r, u)) =
                    self.part(found, &mut scalar_alternatives, &mut array_alternative)
                {
                    merge(&mut properties, p);
                    required.extend(r);
                    union.extend(u);
                }
            }
        }
        let own = object_properties(&loc, map);
        merge(&mut properties, own);
        if let Some(Value::Array(names)) = map.get("required") {
            required.extend(names.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        // oneOf / anyOf: the union of the alternatives, all optional.
        for key in ["oneOf", "anyOf"] {
            let Some(Value::Array(alternatives)) = map.get(key) else {
                continue;
            };
            let mut names_seen = Vec::new();
            for (i, alternative) in alternatives.iter().enumerate() {
                let alt_loc = loc.child(key).child(&i.to_string());
                let name = alternative
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map(|r| {
                        // `#/components/schemas/Pet` gives Pet, `models/pet.yml` pet.
                        let last = r
                            .trim_end_matches('#')
                            .rsplit(['/', '#'])
                            .next()
                            .unwrap_or(r);
                        last.trim_end_matches(".yaml")
                            .trim_end_matches(".yml")
                            .trim_end_matches(".json")
                            .to_owned()
                    })
                    .unwrap_or_else(|| format!("alternative {}", i + 1));
                let found = self.kind(&alt_loc, alternative, depth + 1);
                // An alternative's required keys are not required of the union.
                if let Some((p, _, u)) =
                    self.part(found, &mut scalar_alternatives, &mut array_alternative)
                {
                    merge(&mut properties, p);
                    union.extend(u);
                    names_seen.push(name);
                }
            }
            if names_seen.len() > 1 {
                union.push(format!("{key} of {}", names_seen.join(", ")));
            }
        }
        let types = schema_types(map);
        if !properties.is_empty() {
            if !union.is_empty() {
                // Only one alternative applies: none of its fields can be required.
                let own_required: BTreeSet<String> = map
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|r| {
                        r.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                required = required.intersection(&own_required).cloned().collect();
            }
            return Some((
                loc,
                Kind::Object {
                    properties,
                    required,
                    union,
                },
                description,
            ));
        }
        if types.contains(&"array") || (types.is_empty() && map.contains_key("items")) {
            return Some(match map.get("items") {
                Some(items) => (
                    loc.clone(),
                    Kind::Array(loc.child("items"), items),
                    description,
                ),
                None => (loc, Kind::FreeForm, description),
            });
        }
        if let Some((l, items_loc, items)) = array_alternative
            && types.is_empty()
        {
            return Some((l, Kind::Array(items_loc, items), description));
        }
        // `enum`, else `const` (a single allowed value).
        let values: Vec<Value> = match (map.get("enum"), map.get("const")) {
            (Some(Value::Array(values)), _) => values.clone(),
            (None, Some(value)) => vec![value.clone()],
            _ => Vec::new(),
        };
        let values: Vec<Value> = values.into_iter().filter(|v| !v.is_null()).collect();
        let format = map.get("format").and_then(Value::as_str).unwrap_or("");
        let scalar = types.iter().find_map(|t| scalar_of(t, format));
        match scalar {
            Some(scalar) => Some((loc, Kind::Scalar(scalar, values), description)),
            None if !scalar_alternatives.is_empty() => {
                let first = scalar_alternatives[0].0;
                let same = scalar_alternatives.iter().all(|(s, _)| *s == first);
                let values = if same {
                    scalar_alternatives
                        .into_iter()
                        .flat_map(|(_, v)| v)
                        .collect()
                } else {
                    Vec::new()
                };
                Some((
                    loc,
                    Kind::Scalar(if same { first } else { Scalar::Text }, values),
                    description,
                ))
            }
            None if !values.is_empty() => {
                let all_text = values.iter().all(Value::is_string);
                Some((
                    loc,
                    Kind::Scalar(
                        if all_text {
                            Scalar::Text
                        } else {
                            Scalar::Decimal
                        },
                        values,
                    ),
                    description,
                ))
            }
            None => Some((loc, Kind::FreeForm, description)),
        }
    }

    /// One part of an `allOf`, `oneOf` or `anyOf`, as read: an object's parts are returned; a
    /// single value or an array is recorded for the caller; a cycle is reported.
    fn part(
        &mut self,
        found: Option<(Loc, Kind<'a>, Option<String>)>,
        scalars: &mut Vec<(Scalar, Vec<Value>)>,
        array: &mut Option<(Loc, Loc, &'a Value)>,
    ) -> Option<ObjectParts<'a>> {
        match found? {
            (
                _,
                Kind::Object {
                    properties,
                    required,
                    union,
                },
                _,
            ) => Some((properties, required, union)),
            (_, Kind::Scalar(scalar, values), _) => {
                scalars.push((scalar, values));
                None
            }
            (at, Kind::Array(items_loc, items), _) => {
                *array = Some((at, items_loc, items));
                None
            }
            (at, Kind::Recursive(name), _) => {
                self.leave_out(
                    &at,
                    "a part of a schema".to_owned(),
                    &format!("it refers back to {name}, which would contain itself"),
                );
                None
            }
            (_, Kind::FreeForm, _) => None,
        }
    }

    /// The one `$ref`ed object among a `oneOf` or `anyOf` whose other alternatives are
    /// single values (or null), with what those values are: `a text value`.
    fn lone_object_ref(
        &mut self,
        loc: &Loc,
        value: &'a Value,
    ) -> Option<(Loc, &'a Value, Option<String>)> {
        let (loc, value) = self.docs.resolve(loc, value).ok()?;
        let map = value.as_object()?;
        if map.contains_key("properties") || map.contains_key("allOf") {
            return None;
        }
        let (key, alternatives) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|k| Some((k, map.get(k)?.as_array()?)))?;
        let mut object = None;
        let mut others = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let alt_loc = loc.child(key).child(&i.to_string());
            let (_, resolved) = self.docs.resolve(&alt_loc, alternative).ok()?;
            let types = resolved.as_object().map(schema_types).unwrap_or_default();
            let is_object = resolved.get("properties").is_some()
                || resolved.get("allOf").is_some()
                || types.contains(&"object");
            if is_object {
                if object.is_some() || alternative.get("$ref").is_none() {
                    return None;
                }
                object = Some((alt_loc, alternative));
            } else if types.is_empty()
                && resolved.get("type").is_none()
                && resolved.get("enum").is_none()
            {
                return None; // an alternative of no known type
            } else {
                for kind in types {
                    let value = match kind {
                        "string" => "a text value",
                        "integer" | "number" => "a number",
                        "boolean" => "true or false",
                        _ => continue,
                    };
                    if !others.contains(&value) {
                        others.push(value);
                    }
                }
            }
        }
        let (alt_loc, alternative) = object?;
        // `oneOf: [$ref: X, type: 'null']` is just a nullable X: nothing else to say.
        let also = (!others.is_empty()).then(|| others.join(" or "));
        Some((alt_loc, alternative, also))
    }

    /// The fields of the object schema `value` at `loc`, for a request or response body: the
    /// shape a `$ref` names (`Ok(Err(name))`), or fields of its own (`Ok(Ok(fields))`).
    /// `Err` says what the schema is instead.
    pub fn body(
        &mut self,
        loc: &Loc,
        value: &'a Value,
        request: bool,
    ) -> Result<BodyFields, String> {
        if let Some(name) = self.named_shape(loc, value, "Body")? {
            return Ok(BodyFields::Shape(name));
        }
        match self.kind(loc, value, 0) {
            Some((
                _,
                Kind::Object {
                    properties,
                    required,
                    union,
                },
                _,
            )) => {
                let mut fields = Vec::new();
                self.properties(&properties, &required, &[], &mut fields, request, 0, "Body");
                let reviews = union_review(&union);
                if fields.is_empty() {
                    return Err("an object with no fields the definition can hold".to_owned());
                }
                Ok(BodyFields::Fields(fields, reviews))
            }
            Some((_, Kind::Array(items_loc, items), _)) => {
                match self.item_shape(&items_loc, items, "Item")? {
                    Some(name) => Ok(BodyFields::List(name)),
                    None => Err("a list of values that are not objects".to_owned()),
                }
            }
            Some((_, Kind::Scalar(scalar, _), _)) => {
                Err(format!("a single {} value", scalar.name()))
            }
            Some((_, Kind::Recursive(name), _)) => Err(format!(
                "a reference back to {name}, which would contain itself"
            )),
            Some((_, Kind::FreeForm, _)) => {
                Err("a free-form object (any keys), with no fixed fields".to_owned())
            }
            None => Err("a schema whose `$ref` is broken".to_owned()),
        }
    }

    /// The shape a `$ref` to an object schema names, built on first use; `None` when `value`
    /// is not such a reference.
    fn named_shape(
        &mut self,
        loc: &Loc,
        value: &'a Value,
        hint: &str,
    ) -> Result<Option<String>, String> {
        if value.get("$ref").is_none() {
            return Ok(None);
        }
        let Some((target, _)) = self.resolve(loc, value) else {
            return Err("a schema whose `$ref` is broken".to_owned());
        };
        if self.building.len() >= MAX_SHAPE_NESTING {
            return Err(format!(
                "a shape nested more than {MAX_SHAPE_NESTING} levels deep, the most a definition holds"
            ));
        }
        if let Some(name) = self.by_loc.get(&target) {
            if self.building.contains(name) {
                return Err(format!(
                    "a reference back to {name}, which would contain itself"
                ));
            }
            return if self.shapes.contains_key(name) {
                Ok(Some(name.clone()))
            } else {
                Err(format!(
                    "{name}, which has no fields the definition can hold"
                ))
            };
        }
        let Some((
            target_loc,
            Kind::Object {
                properties,
                required,
                union,
            },
            description,
        )) = self.kind(loc, value, 0)
        else {
            return Ok(None);
        };
        let (name, renamed) = self.name_for(&target_loc, hint);
        let object = (properties, required, union);
        match self.build_shape(target, object, &name, renamed, description) {
            true => Ok(Some(name)),
            false => Err(format!(
                "{name}, which has no fields the definition can hold"
            )),
        }
    }

    /// Builds the shape `name` of the object schema at `key` from its parts and records it; false when none of its
    /// fields can be held (the shape is then not declared).
    fn build_shape(
        &mut self,
        key: Loc,
        object: ObjectParts<'a>,
        name: &str,
        renamed: Option<Review>,
        description: Option<String>,
    ) -> bool {
        let (properties, required, union) = object;
        self.names.insert(name.to_ascii_lowercase());
        self.by_loc.insert(key, name.to_owned());
        self.building.push(name.to_owned());
        let mut fields = Vec::new();
        self.properties(&properties, &required, &[], &mut fields, false, 0, name);
        self.building.pop();
        if fields.is_empty() {
            return false;
        }
        let mut reviews = union_review(&union);
        reviews.extend(renamed);
        self.shapes.insert(
            name.to_owned(),
            Shape {
                description: description.as_deref().and_then(super::plain_sentence),
                fields,
                reviews,
            },
        );
        true
    }

    /// The shape of an array's items: a named shape, or one made for an inline object.
    fn item_shape(
        &mut self,
        loc: &Loc,
        value: &'a Value,
        hint: &str,
    ) -> Result<Option<String>, String> {
        if let Some(name) = self.named_shape(loc, value, hint)? {
            return Ok(Some(name));
        }
        match self.kind(loc, value, 0) {
            Some((
                item_loc,
                Kind::Object {
                    properties,
                    required,
                    union,
                },
                description,
            )) => {
                if let Some(name) = self.by_loc.get(&item_loc) {
                    return Ok(self.shapes.contains_key(name).then(|| name.clone()));
                }
                let (name, _) = self.name_for(
                    &Loc {
                        doc: item_loc.doc,
                        pointer: format!("/{hint}"),
                    },
                    hint,
                );
                // A name made up from the parent's: nothing the document named is renamed.
                let object = (properties, required, union);
                match self.build_shape(item_loc, object, &name, None, description) {
                    true => Ok(Some(name)),
                    false => {
                        Err("a list of objects with no fields the definition can hold".to_owned())
                    }
                }
            }
            _ => Ok(None),
        }
    }

    /// Reads `properties` into `out`, flattening inline objects under `prefix`.
    #[allow(clippy::too_many_arguments)]
    fn properties(
        &mut self,
        properties: &[(String, Loc, &'a Value)],
        required: &BTreeSet<String>,
        prefix: &[String],
        out: &mut Vec<Field>,
        request: bool,
        depth: usize,
        owner: &str,
    ) {
        for (key, prop_loc, prop) in properties {
            let path = prefix
                .iter()
                .chain([key])
                .cloned()
                .collect::<Vec<_>>()
                .join(".");
            let what = if owner == "Body" {
                format!("the property `{path}` of a request or response body")
            } else {
                format!("the property `{path}` of {owner}")
            };
            if !spellable(key) {
                self.leave_out(
                    prop_loc,
                    what,
                    "its key holds characters no Cyclr field path can spell",
                );
                continue;
            }
            let mut keys = prefix.to_vec();
            keys.push(key.clone());
            let optional = !required.contains(key);
            let read_only = prop
                .get("readOnly")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if request && read_only {
                continue; // responses only, as the document says
            }
            // A referenced object is a shape of its own; so is the one object among values
            // (`anyOf: [string, $ref: Customer]`, an id or the expanded record).
            let (shape_loc, shape_value, also) = match self.lone_object_ref(prop_loc, prop) {
                Some((loc, value, also)) => (loc, value, also),
                None => (prop_loc.clone(), *prop, None),
            };
            match self.named_shape(&shape_loc, shape_value, key) {
                Ok(Some(shape)) => {
                    let mut field = self.field(
                        keys,
                        false,
                        FieldType::Shape(shape.clone()),
                        prop,
                        optional,
                        read_only,
                        Vec::new(),
                    );
                    if let Some(also) = also {
                        field.reviews.push(Review {
                            kind: ReviewKind::Union,
                            message: format!(
                                "the API may also give {also} here instead of a {shape}; only the {shape} is imported"
                            ),
                        });
                    }
                    out.push(field);
                    continue;
                }
                Ok(None) => {}
                Err(why) => {
                    self.leave_out(prop_loc, what, &format!("it is {why}"));
                    continue;
                }
            }
            let Some((_, kind, description)) = self.kind(prop_loc, prop, depth + 1) else {
                continue;
            };
            match kind {
                Kind::Scalar(scalar, values) => {
                    let mut field = self.field(
                        keys,
                        false,
                        FieldType::Data(scalar),
                        prop,
                        optional,
                        read_only,
                        values,
                    );
                    if field.description.is_none() {
                        field.description = description.as_deref().and_then(super::plain_sentence);
                    }
                    out.push(field);
                }
                Kind::Object {
                    properties: inner,
                    required: inner_required,
                    union,
                } => {
                    if depth + 1 > MAX_DEPTH {
                        self.leave_out(prop_loc, what, "it nests objects more than 12 levels deep");
                        continue;
                    }
                    let start = out.len();
                    self.properties(
                        &inner,
                        &inner_required,
                        &keys,
                        out,
                        request,
                        depth + 1,
                        owner,
                    );
                    // An optional object makes everything under it optional.
                    if optional {
                        for field in &mut out[start..] {
                            field.optional = true;
                        }
                    }
                    if let Some(first) = out.get_mut(start) {
                        first.reviews.extend(union_review(&union));
                    }
                }
                Kind::Array(items_loc, items) => {
                    let hint = format!(
                        "{owner}{}",
                        names::pascal(&names::singular(key), 32).unwrap_or_default()
                    );
                    match self.item_shape(&items_loc, items, &hint) {
                        Ok(Some(shape)) => {
                            out.push(self.field(keys, true, FieldType::Shape(shape), prop, optional, read_only, Vec::new()));
                        }
                        Ok(None) => self.leave_out(
                            prop_loc,
                            what,
                            "it is a list of values that are not objects; Cyclr fields hold lists of objects only",
                        ),
                        Err(why) => self.leave_out(prop_loc, what, &format!("its items are {why}")),
                    }
                }
                Kind::Recursive(name) => {
                    self.leave_out(
                        prop_loc,
                        what,
                        &format!("it refers back to {name}, which would contain itself"),
                    );
                }
                Kind::FreeForm => {
                    self.leave_out(
                        prop_loc,
                        what,
                        "it is a free-form value (any keys or any type), with no fixed fields",
                    );
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &self,
        keys: Vec<String>,
        list: bool,
        kind: FieldType,
        schema: &Value,
        optional: bool,
        read_only: bool,
        values: Vec<Value>,
    ) -> Field {
        Field {
            keys,
            list,
            kind,
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .and_then(super::plain_sentence),
            optional,
            read_only,
            values,
            reviews: Vec::new(),
        }
    }

    /// What a parameter's schema is, for a parameter: its data type and values.
    pub fn parameter(&mut self, loc: &Loc, value: &'a Value) -> ParamKind {
        match self.kind(loc, value, 0) {
            Some((_, Kind::Scalar(scalar, values), _)) => ParamKind::Scalar(scalar, values),
            Some((_, Kind::Array(..), _)) => ParamKind::List,
            Some(_) => ParamKind::Other,
            None => ParamKind::Other,
        }
    }
}

/// What a body is.
pub enum BodyFields {
    /// A shared shape.
    Shape(String),
    /// Fields of its own, with review notes for a union.
    Fields(Vec<Field>, Vec<Review>),
    /// A list of a shape's items.
    List(String),
}

/// What a parameter is.
pub enum ParamKind {
    Scalar(Scalar, Vec<Value>),
    List,
    Other,
}

fn union_review(union: &[String]) -> Vec<Review> {
    union
        .iter()
        .map(|u| Review {
            kind: ReviewKind::Union,
            message: format!("{u}: the alternatives' fields are merged, each optional; only one alternative applies at a time"),
        })
        .collect()
}

fn object_properties<'a>(loc: &Loc, map: &'a Map<String, Value>) -> Vec<(String, Loc, &'a Value)> {
    map.get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(k, v)| (k.clone(), loc.child("properties").child(k), v))
                .collect()
        })
        .unwrap_or_default()
}

/// Adds `more` to `properties`; a property already there keeps its place and takes the later
/// schema (as `allOf` parts refine earlier ones).
fn merge<'a>(properties: &mut Vec<(String, Loc, &'a Value)>, more: Vec<(String, Loc, &'a Value)>) {
    for (key, loc, value) in more {
        match properties.iter_mut().find(|(k, _, _)| *k == key) {
            Some(existing) => {
                if existing
                    .2
                    .as_object()
                    .is_none_or(|m| m.len() <= value.as_object().map_or(0, Map::len))
                {
                    *existing = (key, loc, value);
                }
            }
            None => properties.push((key, loc, value)),
        }
    }
}

/// The schema's `type`s, `null` left out (`type: [string, "null"]` is a string).
fn schema_types(map: &Map<String, Value>) -> Vec<&str> {
    match map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| *t != "null")
            .collect(),
        _ => Vec::new(),
    }
}

fn scalar_of(kind: &str, format: &str) -> Option<Scalar> {
    Some(match (kind, format) {
        ("string", "date-time") => Scalar::DateTime("yyyy-MM-ddTHH:mm:ssK"),
        ("string", "date") => Scalar::DateTime("yyyy-MM-dd"),
        ("string", "binary") => Scalar::File,
        ("string", _) => Scalar::Text,
        ("integer", _) => Scalar::Integer,
        ("number", "float" | "double") => Scalar::Float,
        ("number", _) => Scalar::Decimal,
        ("boolean", _) => Scalar::Boolean,
        ("file", _) => Scalar::File,
        _ => return None,
    })
}
