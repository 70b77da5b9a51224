//! `connector-gen diff`: what changed between two versions of a definition (or of the whole
//! catalogue) in meaning, not in text, and the release each change calls for.
//!
//! Both versions are validated as `validate` validates them; the checked [`Definition`]s are
//! compared with the span of every node, so each change names its place in both files.
//! oasdiff's rule set for OpenAPI is the model (a stable id per rule, request and response
//! seen from the client's side), with one difference: every change to signing in is breaking.
//!
//! The choices made, and why:
//!
//! - **What is compared is what an installed Cyclr step sees.** A method's request and
//!   response fields are compared after shared `types:` are expanded (paths joined, display
//!   names and system fields prefixed, `optional` inherited, read-only fields left out of
//!   requests), as `model::cyclr::flatten` lists them. A field added to a shared shape is
//!   reported **once per method (and webhook) that uses it**, each change pointing at the
//!   field in `types:`: the release notes then say which steps are touched. A part of a shape
//!   that no method or webhook sees is `type-changed` (Patch). Which shape a body names is
//!   not compared itself: only the fields it brings.
//! - **Matching**: methods, parameters, setup values, headers and webhooks by name; fields by
//!   path (response item fields by their path within `items`, so moving `items` is one
//!   `response-items-changed`, not every field removed and added); sign-ins by position (the
//!   default first). A method gone whose verb and path reappear under a new name is
//!   `method-renamed` (Major), as Cyclr knows methods by an id made from the name.
//! - **Classes**: [`rules`] holds every rule with its class and why. Requests and responses
//!   are seen from the step: a request that accepts less (a type narrowed, a value no longer
//!   allowed, a field made required) breaks steps, and so does a response that may give
//!   more (a type widened, a new value, a field made optional). Type widening: any type can
//!   be sent or read as text, and an integer as a decimal or float; anything else is
//!   `field-type-changed`. Settings whose effect cannot be judged from the definition alone
//!   (paging, `since`, `batch`, how credentials are sent, a pattern) are Major. A setup value
//!   made required is Major even with a default (Cyclr asks installed accounts for it).
//!   Lists in another order are Patch.
//! - **Total**: every difference in meaning is reported. After the rules, [`net`] walks both
//!   documents and reports what no rule accounted for, as `docs-changed` on the docs page
//!   (one change per key of `docs`), `type-changed` in `types:`, and `other-change` (Major)
//!   anywhere else. A key left out and a key holding its default mean the same.
//! - **Places**: a thing that exists on one side only is shown on the other side at the
//!   nearest enclosing node that exists (the `methods:` key for a method removed).
//! - **Catalogues**: connectors are matched by `id`; a connector removed is Major, one added
//!   Minor. Two files given by name are compared whatever their ids (a changed id is Major).
//! - **Order**: changes are sorted by connector id, then place in the new file (the old file
//!   for what the new one lacks), then rule and message, so output is the same every run.
//! - Only names, paths and URLs are quoted in messages, never a setup value's default or
//!   example, so no secret is printed.

mod compare;
mod flat;
mod net;
pub mod output;
pub mod rules;
pub mod sides;

use std::ops::Range;

pub use rules::{Class, Rule};

use crate::definition::Definition;
use crate::diagnostics::{FileId, Sources};
use crate::load::LoadedDocument;

/// One version of one connector: its checked definition and where each part stands.
#[derive(Debug, Clone)]
pub struct Version {
    /// The file, in the report's [`Sources`].
    pub file: FileId,
    /// The document with the span of every node.
    pub document: LoadedDocument,
    /// The checked definition.
    pub definition: Definition,
}

impl Version {
    /// The place of `pointer`: the node itself where this version has it, else the nearest
    /// node that encloses it.
    fn place(&self, pointer: &str) -> Place {
        if self.document.spans.get(pointer).is_some() {
            Place::At(pointer.to_owned())
        } else {
            Place::Near(pointer.to_owned())
        }
    }
}

/// Where a change stands in one version, as a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// At the node itself.
    At(String),
    /// The thing is not in this version: shown at the nearest enclosing node of this
    /// pointer that exists.
    Near(String),
}

impl Place {
    /// The JSON pointer.
    pub fn pointer(&self) -> &str {
        match self {
            Place::At(pointer) | Place::Near(pointer) => pointer,
        }
    }
}

/// One change in meaning between two versions of a connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule that classifies it.
    pub rule: Rule,
    /// What changed, with names quoted.
    pub message: String,
    /// Where it stands in the old version.
    pub old: Place,
    /// Where it stands in the new version.
    pub new: Place,
    /// The parts of each version this change accounts for (for the net): the places
    /// themselves unless said otherwise.
    covers: (Option<String>, Option<String>),
}

impl Change {
    fn new(rule: Rule, message: String, old: Place, new: Place) -> Self {
        let covers = (
            matches!(old, Place::At(_)).then(|| old.pointer().to_owned()),
            matches!(new, Place::At(_)).then(|| new.pointer().to_owned()),
        );
        Change {
            rule,
            message,
            old,
            new,
            covers,
        }
    }

    /// The release it calls for.
    pub fn class(&self) -> Class {
        self.rule.class()
    }
}

/// Every change between two versions of one connector, in a stable order.
pub fn compare(old: &Version, new: &Version) -> Vec<Change> {
    let mut comparer = compare::Comparer::new(old, new);
    comparer.connector();
    let mut changes = comparer.changes;
    let rest = net::uncovered(old, new, &changes, &comparer.accepted);
    changes.extend(rest);
    let key = |c: &Change| {
        let (version, place) = match &c.new {
            Place::At(pointer) => (new, pointer.as_str()),
            Place::Near(_) => (old, c.old.pointer()),
        };
        let start = version.document.spans.key_or_value(place).start;
        (start, c.rule, c.message.clone())
    };
    changes.sort_by_cached_key(key);
    changes.dedup();
    changes
}

/// Where a change stands in one file, resolved for printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// In a file: the span of the node, and whether it is the thing itself or the nearest
    /// node that encloses where it would be.
    In {
        /// The file.
        file: FileId,
        /// The byte range to point at.
        span: Range<usize>,
        /// The node pointed at, for the reader (`methods[2].path`).
        path: String,
        /// Whether the thing itself is there (else the nearest node that encloses it).
        exact: bool,
    },
    /// The connector is not in this version at all.
    Absent {
        /// The file or directory that lacks it, as the user named it.
        what: String,
    },
}

/// A change with its places resolved to files and spans.
#[derive(Debug, Clone)]
pub struct Located {
    /// The rule that classifies it.
    pub rule: Rule,
    /// What changed.
    pub message: String,
    /// Where in the old version.
    pub old: Location,
    /// Where in the new version.
    pub new: Location,
}

/// The changes of one connector.
#[derive(Debug, Clone)]
pub struct ConnectorDiff {
    /// The connector's id (the new one where it changed).
    pub id: String,
    /// Its changes, sorted.
    pub changes: Vec<Located>,
}

impl ConnectorDiff {
    /// The release this connector needs: the highest class of its changes.
    pub fn release(&self) -> Option<Class> {
        self.changes.iter().map(|c| c.rule.class()).max()
    }
}

/// How many changes of each class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Major changes.
    pub major: usize,
    /// Minor changes.
    pub minor: usize,
    /// Patch changes.
    pub patch: usize,
}

impl Counts {
    fn of<'c>(changes: impl IntoIterator<Item = &'c Located>) -> Self {
        let mut counts = Counts::default();
        for change in changes {
            match change.rule.class() {
                Class::Major => counts.major += 1,
                Class::Minor => counts.minor += 1,
                Class::Patch => counts.patch += 1,
            }
        }
        counts
    }
}

/// What `diff` found: the files read and every connector's changes.
pub struct Report {
    /// The text of every file compared, for line and column numbers.
    pub sources: Sources,
    /// One entry per connector, sorted by id (connectors without changes included).
    pub connectors: Vec<ConnectorDiff>,
    /// Whether a catalogue (a directory on either side) was compared, so that each
    /// connector's release is named.
    pub catalogue: bool,
}

impl Report {
    /// The release the whole comparison calls for, if any.
    pub fn release(&self) -> Option<Class> {
        self.connectors
            .iter()
            .filter_map(ConnectorDiff::release)
            .max()
    }

    /// How many changes of each class, over every connector.
    pub fn counts(&self) -> Counts {
        Counts::of(self.connectors.iter().flat_map(|c| &c.changes))
    }
}

/// Compares two sets of versions: a pair of files (`catalogue` false: the two are compared
/// whatever their ids), or two catalogues matched by id. `old_name` and `new_name` name
/// each side for a connector the other lacks.
pub fn compare_all(
    sources: Sources,
    old: &[Version],
    new: &[Version],
    (old_name, new_name): (&str, &str),
    catalogue: bool,
) -> Report {
    let mut pairs: Vec<(Option<&Version>, Option<&Version>)> = Vec::new();
    if !catalogue && old.len() <= 1 && new.len() <= 1 {
        pairs.push((old.first(), new.first()));
    } else {
        let by_id =
            |versions: &[Version], id: &str| versions.iter().position(|v| v.definition.id == id);
        for version in old {
            pairs.push((
                Some(version),
                by_id(new, &version.definition.id).map(|j| &new[j]),
            ));
        }
        for version in new {
            if by_id(old, &version.definition.id).is_none() {
                pairs.push((None, Some(version)));
            }
        }
    }
    let locate = |version: &Version, place: &Place| {
        // The node itself, or the nearest one enclosing it that the version has.
        let mut pointer = place.pointer();
        while !pointer.is_empty() && version.document.spans.get(pointer).is_none() {
            pointer = pointer.rfind('/').map_or("", |at| &pointer[..at]);
        }
        Location::In {
            file: version.file,
            span: version.document.spans.key_or_value(pointer),
            path: crate::validate::display_path(pointer),
            exact: matches!(place, Place::At(_)),
        }
    };
    let mut connectors = Vec::new();
    for (a, b) in pairs {
        let (id, changes) = match (a, b) {
            (Some(a), Some(b)) => (
                b.definition.id.clone(),
                compare(a, b)
                    .into_iter()
                    .map(|c| Located {
                        rule: c.rule,
                        old: locate(a, &c.old),
                        new: locate(b, &c.new),
                        message: c.message,
                    })
                    .collect(),
            ),
            (Some(a), None) => (
                a.definition.id.clone(),
                vec![Located {
                    rule: Rule::ConnectorRemoved,
                    message: format!("connector `{}` was removed", a.definition.id),
                    old: locate(a, &Place::At("/id".to_owned())),
                    new: Location::Absent {
                        what: new_name.to_owned(),
                    },
                }],
            ),
            (None, Some(b)) => (
                b.definition.id.clone(),
                vec![Located {
                    rule: Rule::ConnectorAdded,
                    message: format!("connector `{}` was added", b.definition.id),
                    old: Location::Absent {
                        what: old_name.to_owned(),
                    },
                    new: locate(b, &Place::At("/id".to_owned())),
                }],
            ),
            (None, None) => continue,
        };
        connectors.push(ConnectorDiff { id, changes });
    }
    connectors.sort_by(|a, b| a.id.cmp(&b.id));
    Report {
        sources,
        connectors,
        catalogue,
    }
}
