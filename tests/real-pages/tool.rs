//! Measures how faithfully generated docs pages reproduce real pages of Cyclr's docs site.
//! It reads built pages; it holds no page of its own.
//!
//! ```text
//! cargo run --example real_pages -- extract PAGE.html [PAGE.md]
//!     every unit of a built page (and the front matter of its Markdown), one a line
//! cargo run --example real_pages -- expect PAGE.html PAGE.md DEFECTS
//!     the expected units: the real page's, less the defects file's `-` units, plus its `+`
//! cargo run --example real_pages -- coverage SITE MD UNITS... [--missing]
//!     per `.units` file, the share of its units found in SITE/<permalink>.html (as
//!     `tests/real_pages.rs` finds them) and, roughly, as text in MD/<permalink>.md
//! ```
//!
//! A defects file lists the real page's own mistakes, each after `#` lines saying why:
//! `- kind[context] text` drops a unit the real page shows, `+ kind[context] text` adds the
//! unit it should have shown instead.

#[path = "units.rs"]
mod units;

use std::fs;
use std::path::Path;
use std::process::ExitCode;

use units::{Unit, front_matter, missing, normalise, parse_units};

fn read(path: &str) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))
}

fn extract(html: &str, md: Option<&str>) -> Result<Vec<Unit>, String> {
    let mut all = Vec::new();
    if let Some(md) = md {
        all.extend(front_matter(&read(md)?));
    }
    all.extend(units::units(&read(html)?));
    Ok(all)
}

/// The real page's units with its defects file applied.
fn expect(html: &str, md: &str, defects: &str) -> Result<Vec<Unit>, String> {
    let mut all = extract(html, Some(md))?;
    // A `+` unit goes where the `-` unit before it was, or at the end.
    let mut insert_at = None;
    for line in read(defects)?.lines() {
        if let Some(unit) = line.strip_prefix("- ") {
            let unit = Unit::parse(unit)?;
            let at = all
                .iter()
                .position(|u| *u == unit)
                .ok_or_else(|| format!("{defects}: the page has no `{unit}` to drop"))?;
            all.remove(at);
            insert_at = Some(at);
        } else if let Some(unit) = line.strip_prefix("+ ") {
            let at = insert_at.unwrap_or(all.len());
            all.insert(at, Unit::parse(unit)?);
            insert_at = Some(at + 1);
        } else if !(line.starts_with('#') || line.trim().is_empty()) {
            return Err(format!("{defects}: `{line}` is not a `#`, `-` or `+` line"));
        }
    }
    Ok(all)
}

/// Markdown as text: Liquid raw tags, link and image syntax, emphasis and code marks,
/// backslash escapes and quote markers removed, entities decoded, whitespace collapsed.
fn markdown_text(md: &str) -> String {
    let md = md.replace("{% raw %}", "").replace("{% endraw %}", "");
    let mut out = String::new();
    let chars: Vec<char> = md.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        match c {
            '\\' if next.is_ascii_punctuation() => {
                out.push(next);
                i += 2;
                continue;
            }
            '*' | '`' => {}
            '_' if !(prev.is_alphanumeric() && next.is_alphanumeric()) => {}
            '!' if next == '[' => {}
            // A link's or image's `[`, not a bracket in text or code.
            '[' if link_text_ends(&chars[i + 1..]) => {}
            ']' if next == '(' => {
                // Skip the `(target)`.
                let mut depth = 0;
                let mut j = i + 1;
                while j < chars.len() {
                    match chars[j] {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                i = j + 1;
                continue;
            }
            '>' if out.trim_end_matches([' ', '\t']).ends_with('\n') || out.is_empty() => {}
            _ => out.push(c),
        }
        i += 1;
    }
    normalise(&units::decode(&out))
}

/// Whether the text after a `[` is a link's text: a `]` follows, before any line break,
/// and is itself followed by `(`.
fn link_text_ends(rest: &[char]) -> bool {
    rest.iter()
        .take_while(|&&c| c != '\n')
        .position(|&c| c == ']')
        .is_some_and(|at| rest.get(at + 1) == Some(&'('))
}

/// kramdown's typography undone, to find a unit's text in Markdown.
fn typed(text: &str) -> String {
    text.replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{2026}', "...")
        .replace('\u{2013}', "--")
        .replace('\u{2014}', "---")
}

/// Whether `unit` is there, roughly, in the Markdown page `md`.
fn in_markdown(unit: &Unit, md: &str, text: &str, front: &[Unit]) -> bool {
    let (first, second) = unit.text.split_once(" | ").unwrap_or((&unit.text, ""));
    match unit.kind.as_str() {
        "front" => front.contains(unit),
        "title" => front
            .iter()
            .any(|u| u.text == format!("title: {}", unit.text)),
        "card" => {
            let (n, heading) = unit.text.split_once(": ").unwrap_or(("1", ""));
            let n: usize = n.parse().unwrap_or(1);
            md.matches("<section class=\"card\">").count() >= n
                && (heading.starts_with('#')
                    || heading == "(empty)"
                    || text.contains(&typed(heading)))
        }
        "img" => {
            (md.contains(&format!("({first})")) || md.contains(&format!("src=\"{first}\"")))
                && text.contains(&typed(second))
        }
        "a" => {
            (md.contains(&format!("({first})")) || md.contains(&format!("href=\"{first}\"")))
                && text.contains(&typed(second))
        }
        "anchor" => md.contains(&format!("name=\"{}\"", unit.text)),
        // A table's header row (not its number of rows).
        "table" => {
            let header = unit.text.rsplit_once(" (").map_or("", |(header, _)| header);
            text.contains(&format!("| {} |", typed(header)))
        }
        // Markdown may number a list otherwise than the page shows it: the text is enough.
        "li" => {
            let text_only = unit
                .text
                .split_once(". ")
                .filter(|(n, _)| n.parse::<usize>().is_ok())
                .map_or(unit.text.as_str(), |(_, rest)| rest);
            text.contains(&typed(text_only))
        }
        _ => text.contains(&unit.text) || text.contains(&typed(&unit.text)),
    }
}

/// The stem of the file in `dir` named `stem.ext`, or else of one named so but for case.
fn find(dir: &str, stem: &str, ext: &str) -> Option<String> {
    let wanted = format!("{stem}.{ext}");
    let names: Vec<String> = fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    names
        .iter()
        .find(|name| **name == wanted)
        .or_else(|| names.iter().find(|name| name.eq_ignore_ascii_case(&wanted)))
        .map(|name| name[..name.len() - ext.len() - 1].to_owned())
}

fn coverage(site: &str, md_dir: &str, files: &[String], show: bool) -> Result<(), String> {
    let (mut total, mut in_html, mut in_md) = (0, 0, 0);
    println!("| page | units | in the HTML | in the Markdown |");
    println!("| --- | ---: | ---: | ---: |");
    let mut lists = Vec::new();
    for file in files {
        let expected = parse_units(&read(file)?)?;
        let permalink = expected
            .iter()
            .find_map(|u| {
                u.text
                    .strip_prefix("permalink: ")
                    .filter(|_| u.kind == "front")
            })
            .ok_or_else(|| format!("{file}: no `front[] permalink: ...` unit"))?;
        // A page whose permalink could not be written as the real page's (an older format
        // allowed no upper-case letters) is looked up whatever the case, and said so.
        let (html_path, md_path) = match find(site, permalink, "html") {
            Some(name) if name != permalink => {
                println!("<!-- {permalink}: no page at that permalink; measured at {name} -->");
                (
                    Path::new(site).join(format!("{name}.html")),
                    Path::new(md_dir).join(format!("{name}.md")),
                )
            }
            _ => (
                Path::new(site).join(format!("{permalink}.html")),
                Path::new(md_dir).join(format!("{permalink}.md")),
            ),
        };
        let md = fs::read_to_string(&md_path).unwrap_or_default();
        let front = front_matter(&md);
        let mut found = front.clone();
        if let Ok(html) = fs::read_to_string(&html_path) {
            found.extend(units::units(&html));
        }
        let lost = missing(&expected, &found);
        let text = markdown_text(&md);
        let lost_md: Vec<&Unit> = expected
            .iter()
            .filter(|u| !in_markdown(u, &md, &text, &front))
            .collect();
        let n = expected.len();
        let pct = |k: usize| 100.0 * k as f64 / n.max(1) as f64;
        println!(
            "| {permalink} | {n} | {} ({:.1}%) | {} ({:.1}%) |",
            n - lost.len(),
            pct(n - lost.len()),
            n - lost_md.len(),
            pct(n - lost_md.len())
        );
        total += n;
        in_html += n - lost.len();
        in_md += n - lost_md.len();
        let lost: Vec<Unit> = lost.into_iter().cloned().collect();
        let lost_md: Vec<Unit> = lost_md.into_iter().cloned().collect();
        lists.push((permalink.to_owned(), lost, lost_md));
    }
    let pct = |k: usize| 100.0 * k as f64 / total.max(1) as f64;
    println!(
        "| **all** | {total} | {in_html} ({:.1}%) | {in_md} ({:.1}%) |",
        pct(in_html),
        pct(in_md)
    );
    if show {
        for (permalink, lost, lost_md) in lists {
            println!("\n## {permalink}: not in the HTML ({})", lost.len());
            for unit in lost {
                println!("{unit}");
            }
            println!("\n## {permalink}: not in the Markdown ({})", lost_md.len());
            for unit in lost_md {
                println!("{unit}");
            }
        }
    }
    Ok(())
}

fn run(args: &[String]) -> Result<(), String> {
    let usage = "usage: extract PAGE.html [PAGE.md] | expect PAGE.html PAGE.md DEFECTS | coverage SITE MD UNITS... [--missing]";
    match args {
        [command, html, rest @ ..] if command == "extract" && rest.len() <= 1 => {
            for unit in extract(html, rest.first().map(String::as_str))? {
                println!("{unit}");
            }
        }
        [command, html, md, defects] if command == "expect" => {
            let name = |path: &str| {
                Path::new(path)
                    .file_name()
                    .map_or_else(String::new, |name| name.to_string_lossy().into_owned())
            };
            println!(
                "# The units a reader of Cyclr's {} (cyclr/docs, pages/v2/05-application-connectors/",
                name(md)
            );
            println!(
                "# authentication/) sees, the page's own mistakes mended as {} says. Made by",
                name(defects)
            );
            println!("# `cargo run --example real_pages -- expect`: see README.md here.");
            for unit in expect(html, md, defects)? {
                println!("{unit}");
            }
        }
        [command, site, md, files @ ..] if command == "coverage" && !files.is_empty() => {
            let show = files.iter().any(|f| f == "--missing");
            let files: Vec<String> = files
                .iter()
                .filter(|f| *f != "--missing")
                .cloned()
                .collect();
            coverage(site, md, &files, show)?;
        }
        _ => return Err(usage.to_owned()),
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
