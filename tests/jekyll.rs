//! The docs pages built by the real thing: the minimal Jekyll site in `tests/jekyll-site/`
//! (a config and a layout, no theme) with every generated page and the catalogue index,
//! built by `jekyll`, and the HTML checked. Liquid must erase nothing, kramdown must keep the
//! structure, and hostile text must stay text.
//!
//! The Jekyll build needs `jekyll` on the PATH (`apt-get install jekyll`; `.ci/run` installs
//! it). Without it the build tests pass and say so once on stderr, unless `CI` is set: under
//! CI a missing Jekyll is a failure. `CONNECTOR_GEN_SKIP_JEKYLL=1` skips the build on purpose,
//! outside CI only.
//!
//! The checks that need no Jekyll run everywhere: no Liquid outside `{% raw %}` in any page
//! body, and the shape of every page's front matter.

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use connector_gen::Generator;

const INSTALL: &str = "`apt-get install jekyll`";

/// Builds the site once per test run and returns its output directory, or `None` when the
/// build is skipped, which is said once per run.
fn build_site() -> Option<PathBuf> {
    static SITE: OnceLock<Option<PathBuf>> = OnceLock::new();
    SITE.get_or_init(|| match jekyll_runs() {
        Ok(()) => Some(build()),
        Err(reason) => {
            // Straight to the process's stderr: the harness captures `eprintln!` in a test
            // that passes and never shows it.
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipped: the Jekyll build of the generated pages ({reason}; with CI set this is a failure)"
            );
            None
        }
    })
    .clone()
}

/// Whether the Jekyll build can run: `Err` says why it is skipped. Under CI (`CI` set and not
/// empty) nothing is skipped: a missing Jekyll, or `CONNECTOR_GEN_SKIP_JEKYLL`, panics.
fn jekyll_runs() -> Result<(), String> {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    if std::env::var_os("CONNECTOR_GEN_SKIP_JEKYLL").is_some() {
        assert!(
            !ci,
            "CONNECTOR_GEN_SKIP_JEKYLL is set, but so is CI, and CI never skips the Jekyll build \
             of the generated pages: install jekyll with {INSTALL} and unset CONNECTOR_GEN_SKIP_JEKYLL"
        );
        return Err("CONNECTOR_GEN_SKIP_JEKYLL is set".to_owned());
    }
    match Command::new("jekyll").arg("--version").output() {
        Ok(output) if output.status.success() => Ok(()),
        Ok(output) => panic!(
            "jekyll is on the PATH but `jekyll --version` failed ({}):\n{}\n{}\nreinstall it with {INSTALL}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(e) if e.kind() == ErrorKind::NotFound => {
            assert!(
                !ci,
                "jekyll is not installed (`jekyll --version`: {e}) and CI is set, so the Jekyll \
                 build of the generated pages cannot be skipped: install it with {INSTALL}"
            );
            Err(format!("jekyll is not installed; {INSTALL} to run it"))
        }
        Err(e) => panic!("cannot run `jekyll --version` ({e}); install jekyll with {INSTALL}"),
    }
}

/// Every generated docs page of `connectors/` and `tests/fixtures/valid/`, as (file name,
/// contents).
fn docs_pages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generator = Generator::new()
        .input(root.join("connectors"))
        .input(root.join("tests/fixtures/valid"));
    let run = generator.generate();
    assert!(!run.has_errors(), "{:#?}", run.diagnostics);
    let pages: Vec<(String, String)> = run
        .files
        .iter()
        .filter(|f| f.path.starts_with("docs"))
        .map(|f| {
            let name = f.path.file_name().unwrap().to_str().unwrap().to_owned();
            (name, f.contents.clone())
        })
        .collect();
    let definitions = ["connectors", "tests/fixtures/valid"]
        .iter()
        .flat_map(|dir| fs::read_dir(root.join(dir)).unwrap())
        .filter(|entry| entry.as_ref().unwrap().path().extension() == Some("yaml".as_ref()))
        .count();
    assert_eq!(pages.len(), definitions, "one page per definition");
    pages
}

/// The catalogue index of `connectors/`.
fn catalogue_page() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = Generator::new().input(root.join("connectors")).catalogue();
    let index = catalogue
        .files
        .iter()
        .find(|f| f.path.ends_with("catalogue.md"))
        .unwrap();
    index.contents.clone()
}

fn build() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("jekyll-site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("_layouts")).unwrap();
    for file in ["_config.yml", "_layouts/default.html"] {
        fs::copy(root.join("tests/jekyll-site").join(file), site.join(file)).unwrap();
    }
    for (name, contents) in docs_pages() {
        fs::write(site.join(name), contents).unwrap();
    }
    fs::write(site.join("catalogue.md"), catalogue_page()).unwrap();
    let output = Command::new("jekyll")
        .args(["build", "--quiet", "--source"])
        .arg(&site)
        .arg("--destination")
        .arg(site.join("_site"))
        .output()
        .unwrap_or_else(|e| panic!("cannot run jekyll ({e}); install it with {INSTALL}"));
    assert!(
        output.status.success(),
        "jekyll build failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    site.join("_site")
}

/// A page split into its front matter (the lines between the first two `---` lines, without
/// them) and its body (everything after the second).
fn split_front_matter(page: &str) -> Result<(&str, &str), String> {
    let rest = page
        .strip_prefix("---\n")
        .ok_or("the page does not start with a `---` line")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end_matches('\n') == "---" {
            return Ok((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    Err("the front matter does not end with a `---` line".to_owned())
}

/// Checks the front matter: keys `title`, `sidebar`, `permalink`, `tags`, exactly and in
/// that order, each with a value on its own line (`#` comment lines aside), and `permalink`
/// equal to `permalink`.
fn check_front_matter(page: &str, permalink: &str) -> Result<(), String> {
    let (front, _) = split_front_matter(page)?;
    let mut keys = Vec::new();
    for line in front.lines() {
        if line.starts_with('#') {
            continue;
        }
        let (key, value) = line
            .split_once(": ")
            .ok_or_else(|| format!("`{line}` is not a `key: value` line"))?;
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
            return Err(format!("`{line}` is not a top-level key"));
        }
        if value.trim().is_empty() {
            return Err(format!("`{key}` has no value"));
        }
        if key == "permalink" && value != permalink {
            return Err(format!("the permalink is `{value}`, not `{permalink}`"));
        }
        keys.push(key);
    }
    if keys != ["title", "sidebar", "permalink", "tags"] {
        return Err(format!(
            "the keys are {keys:?}, not title, sidebar, permalink, tags"
        ));
    }
    Ok(())
}

/// If `text` starts with the Liquid tag `{% name %}` (`{%-`, `-%}` and any whitespace
/// allowed, nothing else), its length.
fn tag(text: &str, name: &str) -> Option<usize> {
    let inside = text.strip_prefix("{%")?;
    let inside = inside.strip_prefix('-').unwrap_or(inside).trim_start();
    let after_name = inside.strip_prefix(name)?;
    let end = after_name.trim_start();
    let end = end.strip_prefix('-').unwrap_or(end);
    let rest = end.strip_prefix("%}")?;
    Some(text.len() - rest.len())
}

/// If the tag starting `text` (at a `{%`) is one Liquid takes for the end of a raw block,
/// its length: `endraw` is its first word, whatever follows it up to the first `%}`. Looser
/// than `tag`, as Liquid is.
fn endraw(text: &str) -> Option<usize> {
    let inside = text.strip_prefix("{%")?;
    let inside = inside.strip_prefix('-').unwrap_or(inside).trim_start();
    let word = inside
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .next()?;
    if word != "endraw" {
        return None;
    }
    let close = text.find("%}")?;
    Some(close + 2)
}

/// Every place where Liquid would run in a page body: each `{{` or `{%` outside
/// `{% raw %}...{% endraw %}` that is not itself a `{% raw %}`, and a raw block left open.
/// Each as (byte offset, what is there).
fn liquid_outside_raw(body: &str) -> Vec<(usize, String)> {
    let snippet = |at: usize| body[at..].chars().take(40).collect::<String>();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = body[at..].find('{').map(|i| at + i) {
        let here = &body[start..];
        if let Some(open) = tag(here, "raw") {
            // Inside raw: Liquid reads nothing until the first tag that ends it.
            let inside = start + open;
            let close = body[inside..]
                .match_indices("{%")
                .find_map(|(i, _)| endraw(&body[inside + i..]).map(|len| inside + i + len));
            match close {
                Some(end) => at = end,
                None => {
                    found.push((
                        start,
                        format!("a raw block that is never closed: {}", snippet(start)),
                    ));
                    return found;
                }
            }
        } else if here.starts_with("{{") || here.starts_with("{%") {
            found.push((start, snippet(start)));
            at = start + 2;
        } else {
            at = start + 1;
        }
    }
    found
}

#[test]
fn no_page_leaves_liquid_outside_raw() {
    let mut pages = docs_pages();
    pages.push(("catalogue.md".to_owned(), catalogue_page()));
    for (name, page) in &pages {
        let (_, body) = split_front_matter(page).unwrap_or_else(|e| panic!("{name}: {e}"));
        let found = liquid_outside_raw(body);
        assert!(
            found.is_empty(),
            "{name}: Liquid would run at {found:?}\n{body}"
        );
    }
}

#[test]
fn every_page_has_the_front_matter_the_site_uses() {
    for (name, page) in docs_pages() {
        let permalink = name.strip_suffix(".md").unwrap();
        check_front_matter(&page, permalink).unwrap_or_else(|e| panic!("{name}: {e}\n{page}"));
    }
    check_front_matter(&catalogue_page(), "connector-catalogue")
        .unwrap_or_else(|e| panic!("catalogue.md: {e}"));
}

#[test]
fn the_liquid_scanner_flags_what_liquid_would_run() {
    for good in [
        "plain text, {braces} and {::options parse_block_html=\"true\" /}",
        "{% raw %}{{ x }}{% endraw %}",
        "a {%- raw -%}{% if %}{{ y }}{%endraw%} b",
        // The docs template's way of showing `{% endraw %}` itself.
        "{% raw %}{{ site.title }} {%{% endraw %}{% raw %} endraw %} *stars*{% endraw %}",
        "{% raw %}\n```\n{{ literal }}\n```\n{% endraw %}\n\n{% raw %}{{SubDomain}}{% endraw %}",
    ] {
        assert_eq!(liquid_outside_raw(good), [], "{good}");
    }
    for (bad, at) in [
        ("{{ x }}", 0),
        ("text {% if x %}", 5),
        ("{% raw %}{{ x }}{% endraw %} {{ y }}", 29),
        ("{% raw %}a{% endraw %}{% endraw %}", 22),
        // Liquid ends raw at the first endraw tag, whatever follows its name.
        ("{% raw %}a{% endraw x %}{{ y }}{% endraw %}", 24),
        ("{% raw x %}{{ y }}{% endraw %}", 0),
        ("{% rawx %}", 0),
        ("{{", 0),
    ] {
        let found = liquid_outside_raw(bad);
        assert_eq!(
            found.first().map(|(offset, _)| *offset),
            Some(at),
            "{bad}: {found:?}"
        );
    }
    let open = liquid_outside_raw("ok {% raw %}{{ x }}");
    assert!(open[0].1.contains("never closed"), "{open:?}");
}

#[test]
fn the_front_matter_check_flags_a_broken_shape() {
    let good = "---\n# Generated\ntitle: A\nsidebar: cyclr_sidebar\npermalink: a-connector\ntags: [connector]\n---\nbody\n";
    assert_eq!(check_front_matter(good, "a-connector"), Ok(()));
    assert_eq!(split_front_matter(good).unwrap().1, "body\n");
    for (bad, why) in [
        (good.replacen("---\n", "", 1), "start"),
        (good.replacen("---\nbody", "body", 1), "end"),
        (good.replacen("---\n#", "\n---\n#", 1), "start"),
        (
            good.replace(
                "sidebar: cyclr_sidebar\npermalink: a-connector",
                "permalink: a-connector\nsidebar: cyclr_sidebar",
            ),
            "keys",
        ),
        (good.replace("tags: [connector]\n", ""), "keys"),
        (good.replace("tags:", "layout: page\ntags:"), "keys"),
        (good.replace("title: A", "title:"), "key: value"),
        (good.replace("title: A", "title:  "), "no value"),
        (
            good.replace("tags: [connector]", "  - nested: x"),
            "top-level",
        ),
        (
            good.replace("permalink: a-connector", "permalink: b-connector"),
            "permalink",
        ),
    ] {
        let result = check_front_matter(&bad, "a-connector");
        assert!(
            result.as_ref().is_err_and(|e| e.contains(why)),
            "{bad:?}: {result:?}"
        );
    }
}

/// The text a reader sees: tags removed, the usual entities decoded.
fn visible_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[test]
fn generated_pages_build_with_jekyll_and_keep_their_text() {
    let Some(site) = build_site() else { return };

    let invenias = fs::read_to_string(site.join("invenias-connector.html")).unwrap();
    for heading in [
        "<h2 id=\"partner-setup\">Partner Setup</h2>",
        "<h3 id=\"cyclr-setup\">Cyclr Setup</h3>",
        "<h4 id=\"retrieving-client-id-and-secret\">Retrieving Client ID and Secret</h4>",
    ] {
        assert!(invenias.contains(heading), "{heading}\n{invenias}");
    }
    assert!(
        invenias.contains("<strong>{{SubDomain}}</strong>"),
        "Liquid erased the placeholder"
    );
    for (name, description) in [
        (
            "Client ID",
            "The client ID that we retrieved from the previous steps.",
        ),
        (
            "Client Secret",
            "The secret that we retrieved from the previous steps.",
        ),
        (
            "Username",
            "The username you used to login to your Invenias portal.",
        ),
        (
            "Password",
            "The password you used to login to your Invenias portal.",
        ),
        (
            "Subdomain",
            "The same subdomain you used for the previous steps.",
        ),
    ] {
        let paragraph = format!("<p><strong>{name}</strong>: {description}</p>");
        assert!(invenias.contains(&paragraph), "{paragraph}");
    }
    assert_eq!(invenias.matches("<img src=\"./images/invenias-").count(), 3);
    assert_eq!(
        invenias.matches("<li>").count(),
        6 + 5,
        "six steps and five Cyclr Setup items"
    );
    let text = visible_text(&invenias);
    assert!(
        text.contains("\"ReplyUrl\": \"https://{{service domain}}/connector/callback\""),
        "{text}"
    );
    assert!(text.contains("\"FlowType\": \"ResourceOwner\""));

    let hostile = fs::read_to_string(site.join("acme-open-data.html")).unwrap();
    assert!(
        !hostile.contains("<script"),
        "HTML from the definition ran:\n{hostile}"
    );
    assert!(
        !hostile.contains("<b>"),
        "HTML from the definition ran:\n{hostile}"
    );
    let text = visible_text(&hostile);
    for shown in [
        "<script>alert(",
        "{{ site.title }} {% endraw %}",
        "# Not a heading {% if %}",
        "```\n{{ literal }} {% endraw %}\n```",
        "Data */ ",
        "}} {% raw %}",
    ] {
        assert!(
            text.contains(shown),
            "`{shown}` is not shown as text:\n{text}"
        );
    }
    assert!(
        hostile.contains("<h4 id="),
        "the heading block lost its structure"
    );
    assert_eq!(hostile.matches("<li>").count(), 5);
}

#[test]
fn every_connector_page_shows_every_setup_value_and_the_index_links_them_all() {
    let Some(site) = build_site() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Generator::new().input(root.join("connectors")).validate();
    let index = fs::read_to_string(site.join("connector-catalogue.html")).unwrap();
    for connector in &run.connectors {
        let page = site.join(format!("{}.html", connector.docs.permalink));
        let html = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{page:?}: {e}"));
        let text = visible_text(&html);
        for field in &connector.fields {
            assert!(
                text.contains(&field.display_name),
                "{}: no {}",
                connector.id,
                field.display_name
            );
            let description: String = field
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let shown: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let plain = |s: &str| s.replace(['"', '\u{201c}', '\u{201d}', '\u{2019}', '\''], "");
            assert!(
                plain(&shown).contains(&plain(&description)),
                "{}: no `{description}`",
                connector.id
            );
        }
        assert!(
            !text.contains("{%") || connector.id == "acme-none",
            "{}: Liquid left in the page",
            connector.id
        );
        let heading = if matches!(
            connector.docs.shape,
            connector_gen::definition::PageShape::Modern
        ) {
            "Cyclr setup</h2>"
        } else {
            "Cyclr Setup</h3>"
        };
        assert!(
            html.contains(heading),
            "{}: no Cyclr setup heading",
            connector.id
        );
        let link = format!("href=\"{}\"", connector.docs.permalink);
        assert!(
            index.contains(&link),
            "the index does not link {}",
            connector.id
        );
    }
    let zendesk = visible_text(&fs::read_to_string(site.join("zendesk-connector.html")).unwrap());
    assert!(
        zendesk.contains("https://{{service domain}}/connector/callback"),
        "{zendesk}"
    );
    assert!(
        zendesk.contains("If you leave any values blank"),
        "{zendesk}"
    );
}
