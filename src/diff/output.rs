//! A [`Report`] as people and machines read it: blocks of text (`human`), one JSON object
//! per change and a summary (`json`), or GitHub workflow annotations at the new file's lines
//! (`github`: `error` for Major, `warning` for Minor, `notice` for Patch).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::{Class, ConnectorDiff, Counts, Located, Location, Report};
use crate::cli::{Format, github_data, github_property};
use crate::diagnostics::printable;

/// The whole report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Human => human(report),
        Format::Json => json_lines(report),
        Format::Github => github(report),
    }
}

/// `Major (1 major, 0 minor, 2 patch)`, or that no release is needed.
fn release_line(release: Option<Class>, counts: Counts) -> String {
    match release {
        Some(class) => format!(
            "{} ({} major, {} minor, {} patch)",
            class.title(),
            counts.major,
            counts.minor,
            counts.patch
        ),
        None => "none".to_owned(),
    }
}

/// The sentence that ends a report.
fn verdict(report: &Report) -> String {
    match report.release() {
        Some(class) => format!("Release: {}", release_line(Some(class), report.counts())),
        None => "No release needed: no change in meaning".to_owned(),
    }
}

/// `file:line:column` of a location, with a note where the thing itself is not there.
fn describe(location: &Location, report: &Report) -> String {
    match location {
        Location::In {
            file,
            span,
            path,
            exact,
        } => {
            let (line, column) = report.sources.line_column(*file, span.start);
            let name = report.sources.name(*file);
            if *exact {
                format!("{name}:{line}:{column}")
            } else {
                let nearest = if path.is_empty() {
                    "the top of the file".to_owned()
                } else {
                    format!("`{}`", printable(path))
                };
                format!("{name}:{line}:{column} (not in this version; nearest: {nearest})")
            }
        }
        Location::Absent { what } => {
            format!("{} (no such connector in this version)", printable(what))
        }
    }
}

fn human(report: &Report) -> String {
    let mut out = String::new();
    for connector in &report.connectors {
        for change in &connector.changes {
            let class = change.rule.class().name();
            let subject = if report.catalogue {
                format!("`{}`: ", printable(&connector.id))
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "{class}[{}]: {subject}{}",
                change.rule.id(),
                printable(&change.message)
            );
            let _ = writeln!(out, "  old --> {}", describe(&change.old, report));
            let _ = writeln!(out, "  new --> {}", describe(&change.new, report));
            let _ = writeln!(out, "  why: {}\n", change.rule.why());
        }
    }
    if report.catalogue {
        for connector in report.connectors.iter().filter(|c| c.release().is_some()) {
            let counts = Counts::of(&connector.changes);
            let _ = writeln!(
                out,
                "`{}` needs: {}",
                printable(&connector.id),
                release_line(connector.release(), counts)
            );
        }
    }
    let _ = writeln!(out, "{}", verdict(report));
    out
}

fn location_json(location: &Location, report: &Report) -> Value {
    match location {
        Location::In {
            file,
            span,
            path,
            exact,
        } => {
            let (line, column) = report.sources.line_column(*file, span.start);
            let (end_line, end_column) = report.sources.line_column(*file, span.end);
            json!({
                "file": report.sources.name(*file),
                "line": line,
                "column": column,
                "end_line": end_line,
                "end_column": end_column,
                "path": printable(path),
                "exact": exact,
            })
        }
        Location::Absent { what } => json!({ "absent": printable(what) }),
    }
}

fn change_json(connector: &ConnectorDiff, change: &Located, report: &Report) -> Value {
    json!({
        "kind": "change",
        "connector": printable(&connector.id),
        "class": change.rule.class(),
        "rule": change.rule.id(),
        "message": printable(&change.message),
        "why": change.rule.why(),
        "old": location_json(&change.old, report),
        "new": location_json(&change.new, report),
    })
}

fn counts_json(release: Option<Class>, counts: Counts) -> Value {
    json!({
        "release": release.map_or("none", Class::name),
        "major": counts.major,
        "minor": counts.minor,
        "patch": counts.patch,
    })
}

fn json_lines(report: &Report) -> String {
    let mut out = String::new();
    for connector in &report.connectors {
        for change in &connector.changes {
            let _ = writeln!(out, "{}", change_json(connector, change, report));
        }
    }
    let mut summary = counts_json(report.release(), report.counts());
    summary["kind"] = "summary".into();
    summary["message"] = verdict(report).into();
    summary["connectors"] = report
        .connectors
        .iter()
        .map(|c| {
            let mut entry = counts_json(c.release(), Counts::of(&c.changes));
            entry["id"] = printable(&c.id).into();
            entry
        })
        .collect();
    let _ = writeln!(out, "{summary}");
    out
}

fn github(report: &Report) -> String {
    let mut out = String::new();
    for connector in &report.connectors {
        for change in &connector.changes {
            let class = change.rule.class();
            let command = match class {
                Class::Major => "error",
                Class::Minor => "warning",
                Class::Patch => "notice",
            };
            let title = format!("{} change: {}", class.title(), change.rule.id());
            let message = format!(
                "{}\nwhy: {}\nold: {}\nnew: {}",
                printable(&change.message),
                change.rule.why(),
                describe(&change.old, report),
                describe(&change.new, report)
            );
            // Annotations go where the reviewer looks: the new file, else the old one.
            let at = match (&change.new, &change.old) {
                (location @ Location::In { .. }, _) | (_, location @ Location::In { .. }) => {
                    Some(location)
                }
                _ => None,
            };
            match at {
                Some(Location::In { file, span, .. }) => {
                    let (line, column) = report.sources.line_column(*file, span.start);
                    let (end_line, end_column) = report.sources.line_column(*file, span.end);
                    let _ = writeln!(
                        out,
                        "::{command} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}",
                        github_property(report.sources.name(*file)),
                        github_property(&title),
                        github_data(&message)
                    );
                }
                _ => {
                    let _ = writeln!(
                        out,
                        "::{command} title={}::{}",
                        github_property(&title),
                        github_data(&message)
                    );
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "::notice title=Release::{}",
        github_data(&verdict(report))
    );
    out
}
