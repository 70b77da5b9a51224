//! Real pages of Cyclr's docs site, reproduced: each `tests/fixtures/valid/page-<vendor>.yaml`
//! writes one real setup page as a definition, and `tests/real-pages/<vendor>.units` lists
//! what a reader of the real page sees (its headings, sentences, list items, table cells,
//! code lines, images, links and anchors, each in its element and in the lists it sits in;
//! the real page's own mistakes mended as `<vendor>.defects` says). The generated page,
//! built by Jekyll, must show every one of them but those `<vendor>.gaps` lists, what the
//! definition format cannot say, which it must not show (a gap closed is taken off the
//! list). `tests/real-pages/README.md` says how the lists are made and measured.
//!
//! The pages are built with every other in the site of `tests/support/site.rs`, under the
//! rule of `tests/jekyll.rs`: without `jekyll` on the PATH the build test passes and says so
//! on stderr, unless `CI` is set, when a missing Jekyll (or `CONNECTOR_GEN_SKIP_JEKYLL`) is a
//! failure. The front matter is checked everywhere.

#[path = "support/site.rs"]
mod site;
#[path = "real-pages/units.rs"]
mod units;

use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use connector_gen::{Generator, Target};
use units::{Unit, front_matter, missing, parse_units, sentences};

/// One reproduced page.
struct Page {
    vendor: String,
    /// What the real page shows (`<vendor>.units`).
    units: Vec<Unit>,
    /// What of it the definition format cannot say (`<vendor>.gaps`): units the generated
    /// page lacks, so that the list is mended when the format learns them.
    gaps: Vec<Unit>,
    /// The generated Markdown page's file name.
    name: String,
    page: String,
}

/// Every reproduced page.
fn pages() -> Vec<Page> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages = Vec::new();
    let mut listed: Vec<PathBuf> = fs::read_dir(root.join("tests/real-pages"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension() == Some("units".as_ref()))
        .collect();
    listed.sort();
    for path in listed {
        let vendor = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let units = parse_units(&fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let gaps_path = path.with_extension("gaps");
        let gaps = match fs::read_to_string(&gaps_path) {
            Ok(text) => parse_units(&text).unwrap_or_else(|e| panic!("{gaps_path:?}: {e}")),
            Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
            Err(e) => panic!("{gaps_path:?}: {e}"),
        };
        let strays = missing(&gaps, &units);
        assert!(
            strays.is_empty(),
            "{gaps_path:?}: not in {path:?}: {strays:?}"
        );
        let definition = root.join(format!("tests/fixtures/valid/page-{vendor}.yaml"));
        assert!(
            definition.is_file(),
            "{path:?} has no definition {definition:?}"
        );
        let run = Generator::new()
            .input(&definition)
            .target(Target::DocsPage)
            .generate();
        assert!(!run.has_errors(), "{definition:?}: {:#?}", run.diagnostics);
        let [file] = &run.files[..] else {
            panic!("{definition:?}: not one docs page: {:?}", run.files);
        };
        let name = file.path.file_name().unwrap().to_str().unwrap().to_owned();
        pages.push(Page {
            vendor,
            units,
            gaps,
            name,
            page: file.contents.clone(),
        });
    }
    assert!(pages.len() >= 4, "the reproduced pages are missing");
    pages
}

/// A report of the expected units a page lacks, or `None`.
fn lacking(what: &str, expected: &[Unit], found: &[Unit]) -> Option<String> {
    let lost = missing(expected, found);
    if lost.is_empty() {
        return None;
    }
    let mut report = format!(
        "{what}: {} of {} expected units missing:\n",
        lost.len(),
        expected.len()
    );
    for unit in lost {
        report.push_str(&format!("  {unit}\n"));
    }
    Some(report)
}

#[test]
fn reproduced_pages_have_the_real_front_matter() {
    let mut failures = Vec::new();
    for page in pages() {
        let vendor = &page.vendor;
        let expected: Vec<Unit> = page
            .units
            .into_iter()
            .filter(|unit| unit.kind == "front")
            .collect();
        let permalink = expected
            .iter()
            .find_map(|unit| unit.text.strip_prefix("permalink: "))
            .unwrap_or_else(|| panic!("{vendor}.units: no permalink"));
        assert_eq!(page.name, format!("{permalink}.md"), "{vendor}");
        failures.extend(lacking(
            &format!("page-{vendor} ({})", page.name),
            &expected,
            &front_matter(&page.page),
        ));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reproduced_pages_show_every_unit_of_the_real_pages() {
    let Some(site) = site::build_site() else {
        return;
    };
    let pages = pages();
    let mut failures = Vec::new();
    for page in &pages {
        let built = site.join(page.name.replace(".md", ".html"));
        let html = fs::read_to_string(&built).unwrap_or_else(|e| panic!("{built:?}: {e}"));
        let expected: Vec<Unit> = page
            .units
            .iter()
            .filter(|unit| unit.kind != "front")
            .cloned()
            .collect();
        let lost: Vec<Unit> = missing(&expected, &units::units(&html))
            .into_iter()
            .cloned()
            .collect();
        let what = format!("page-{} ({})", page.vendor, built.display());
        let not_gaps: Vec<Unit> = missing(&lost, &page.gaps).into_iter().cloned().collect();
        if !not_gaps.is_empty() {
            let lines: Vec<String> = not_gaps.iter().map(|unit| format!("  {unit}\n")).collect();
            failures.push(format!(
                "{what}: {} of {} expected units missing (if the definition format cannot say \
                 them, list them with why in tests/real-pages/{}.gaps):\n{}",
                not_gaps.len(),
                expected.len(),
                page.vendor,
                lines.concat()
            ));
        }
        let closed = missing(&page.gaps, &lost);
        if !closed.is_empty() {
            let closed: Vec<String> = closed.iter().map(|unit| format!("  {unit}\n")).collect();
            failures.push(format!(
                "{what}: shows what tests/real-pages/{}.gaps says the format cannot; take it off \
                 that list:\n{}",
                page.vendor,
                closed.concat()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The extractor itself, on kramdown's HTML for a page with every kind of unit.
#[test]
fn the_extractor_reads_what_a_reader_sees() {
    let html = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>A &amp; B</title></head>
<body>
<section class="card">
  <p><a name="top"></a></p>
  <h2 id="a-setup">A setup</h2>
  <p>One sentence.  Two <strong>bold</strong> and <em>it</em>. e.g. not split. <a href="https://a.test/x?y=1&amp;z=2">link</a></p>
  <ol>
    <li>
      <p>First &gt; step.</p>
      <ul>
        <li>Nested <code class="language-plaintext highlighter-rouge">code</code>
<img src="./images/a.png" alt="An image" /></li>
      </ul>
    </li>
    <li>Second:
      <p>More.</p>
      <table>
        <thead><tr><th style="text-align: left"><strong>Value</strong></th></tr></thead>
        <tbody><tr><td>cell<br>two</td></tr></tbody>
      </table>
    </li>
  </ol>
  <ol start="3"><li>Third</li></ol>
  <blockquote><p><strong>Note</strong>: noted.</p></blockquote>
  <pre><code class="language-json">{
    "a":   1
}
</code></pre>
</section>
<section class="card"></section>
</body></html>"#;
    let found: Vec<String> = units::units(html).iter().map(Unit::to_string).collect();
    assert_eq!(
        found,
        [
            "title[] A & B",
            "card[] 1: A setup",
            "anchor[] top",
            "h2[] A setup",
            "p[] One sentence.",
            "p[] Two bold and it. e.g. not split. link",
            "strong[] bold",
            "em[] it",
            "a[] https://a.test/x?y=1&z=2 | link",
            "li[ol] 1. First > step.",
            "li[ol/ul] Nested code",
            "code[ol/ul] code",
            "img[ol/ul] ./images/a.png | An image",
            "li[ol] 2. Second:",
            "p[ol] More.",
            "table[ol] Value (1 rows)",
            "th[ol] Value",
            "strong[ol] Value",
            "td[ol] cell two",
            "li[ol] 3. Third",
            "p[quote] Note: noted.",
            "strong[quote] Note",
            "pre[] {",
            "pre[] \"a\": 1",
            "pre[] }",
            "card[] 2: (empty)",
        ]
    );
    for line in &found {
        assert_eq!(Unit::parse(line).unwrap().to_string(), *line);
    }
    assert_eq!(
        sentences("Go to A > B. Then: C! Why? no. 3 items"),
        ["Go to A > B.", "Then: C!", "Why? no.", "3 items"]
    );
    let twice = Unit::parse("p[] x").unwrap();
    assert_eq!(
        missing(
            &[twice.clone(), twice.clone()],
            std::slice::from_ref(&twice)
        )
        .len(),
        1,
        "a unit expected twice is found twice"
    );
}
