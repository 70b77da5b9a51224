//! The docs pages built by the real thing: the minimal Jekyll site in `tests/jekyll-site/`
//! (a config and a layout, no theme) with every generated page and the catalogue index,
//! built by `jekyll`, and the HTML checked. Liquid must erase nothing, kramdown must keep the
//! structure, and hostile text must stay text.
//!
//! The Jekyll build needs `jekyll` on the PATH (`apt-get install jekyll`; `.ci/run` installs
//! it). Without it the build tests pass and say so once on stderr, unless `CI` is set: under
//! CI a missing Jekyll is a failure. `CONNECTOR_GEN_SKIP_JEKYLL=1` skips the build on purpose,
//! outside CI only. The site is built by `tests/support/site.rs`, which `tests/browser.rs`
//! shares: that test opens the same pages in headless Chromium and checks the live DOM.
//!
//! The checks that need no Jekyll run everywhere: no Liquid outside `{% raw %}` in any page
//! body, and the shape of every page's front matter.

use std::fs;
use std::path::Path;

use connector_gen::Generator;

#[path = "support/site.rs"]
mod site;

use site::{build_site, catalogue_page, docs_pages};

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

/// Checks the front matter: keys `title`, `sidebar`, `permalink`, `tags`, in that order, then
/// any others in alphabetical order, each with a value on its own line (`#` comment lines
/// aside), and `permalink` equal to `permalink`.
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
        if !key.starts_with(|c: char| c.is_ascii_lowercase())
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err(format!("`{line}` is not a top-level key"));
        }
        if value.trim().is_empty() {
            return Err(format!("`{key}` has no value"));
        }
        let unquoted = serde_json::from_str::<String>(value).unwrap_or_else(|_| value.to_owned());
        if key == "permalink" && unquoted != permalink {
            return Err(format!("the permalink is `{value}`, not `{permalink}`"));
        }
        keys.push(key);
    }
    let extra = keys.get(4..).unwrap_or_default();
    if keys.get(..4) != Some(&["title", "sidebar", "permalink", "tags"][..])
        || !extra.is_sorted_by(|a, b| a < b)
        || extra
            .iter()
            .any(|k| ["title", "sidebar", "permalink", "tags"].contains(k))
    {
        return Err(format!(
            "the keys are {keys:?}, not title, sidebar, permalink, tags and others in order"
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
    let extra = good.replace("---\nbody", "keywords: [a, b]\nlinkedpage: true\n---\nbody");
    assert_eq!(check_front_matter(&extra, "a-connector"), Ok(()));
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
        (
            good.replace("---\nbody", "zeta: 1\nalpha: true\n---\nbody"),
            "keys",
        ),
        (good.replace("---\nbody", "title: B\n---\nbody"), "keys"),
        (good.replace("---\nbody", "1key: x\n---\nbody"), "top-level"),
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
        let shape = connector
            .docs
            .cards
            .iter()
            .flat_map(|card| &card.blocks)
            .find_map(|block| match block {
                connector_gen::model::docs::DocsBlock::CyclrSetup(setup) => Some(setup.shape),
                _ => None,
            });
        let heading = if matches!(shape, Some(connector_gen::definition::PageShape::Modern)) {
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

/// One tag of an HTML page, as a browser's tokenizer reads it: its lower-cased name, whether
/// it closes an element, and its attributes (lower-cased names, values with entities
/// decoded).
#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
}

/// Every tag of `html`, walked as the HTML tokenizer walks it: comments, doctypes and
/// processing instructions skipped, attribute values quoted with `"` or `'` (which may hold
/// `>`) or unquoted, a `<` not followed by a letter or `/` left as text. The content of
/// `script`, `style`, `textarea` and `title` is raw text, not tags.
fn html_tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    let skip_to = |from: usize, end: &str| {
        html[from..]
            .find(end)
            .map_or(html.len(), |at| from + at + end.len())
    };
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i = skip_to(i + 4, "-->");
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = skip_to(i, ">");
            continue;
        }
        let closing = rest.starts_with("</");
        let start = i + if closing { 2 } else { 1 };
        if !bytes.get(start).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let mut j = start;
        while j < bytes.len()
            && !matches!(
                bytes[j],
                b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'
            )
        {
            j += 1;
        }
        let name = html[start..j].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while j < bytes.len()
                && matches!(bytes[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/')
            {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' {
                j += 1;
                break;
            }
            let name_start = j;
            j += 1; // An attribute name may start with `=`.
            while j < bytes.len()
                && !matches!(
                    bytes[j],
                    b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>' | b'='
                )
            {
                j += 1;
            }
            let attribute = html[name_start..j].to_ascii_lowercase();
            while j < bytes.len() && matches!(bytes[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ') {
                j += 1;
            }
            let mut value = String::new();
            if bytes.get(j) == Some(&b'=') {
                j += 1;
                while j < bytes.len() && matches!(bytes[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
                {
                    j += 1;
                }
                match bytes.get(j) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[j + 1..]
                            .find(char::from(quote))
                            .map_or(html.len(), |at| j + 1 + at);
                        value = html[j + 1..end].to_owned();
                        j = end + 1;
                    }
                    _ => {
                        let from = j;
                        while j < bytes.len()
                            && !matches!(bytes[j], b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'>')
                        {
                            j += 1;
                        }
                        value = html[from..j].to_owned();
                    }
                }
            }
            attributes.push((attribute, decode_entities(&value)));
        }
        i = j.min(bytes.len());
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title") {
            let end = format!("</{name}");
            i = html[i..]
                .to_ascii_lowercase()
                .find(&end)
                .map_or(html.len(), |at| i + at);
        }
        tags.push(Tag {
            name,
            closing,
            attributes,
        });
    }
    tags
}

/// `text` with numeric character references and the named ones that matter for URLs
/// decoded, as a browser decodes an attribute value (a missing `;` tolerated).
fn decode_entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let body = &rest[1..];
        let (decoded, used) = if let Some(number) = body.strip_prefix('#') {
            let (hex, digits) = match number.strip_prefix(['x', 'X']) {
                Some(hex) => (true, hex),
                None => (false, number),
            };
            let len = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            let value = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok();
            let used = 1 + 1 + usize::from(hex) + len;
            let used = used + usize::from(digits[len..].starts_with(';'));
            (value.and_then(char::from_u32), used)
        } else {
            [
                ("colon;", ':'),
                ("Tab;", '\t'),
                ("NewLine;", '\n'),
                ("amp;", '&'),
                ("amp", '&'),
                ("lt;", '<'),
                ("gt;", '>'),
                ("quot;", '"'),
                ("apos;", '\''),
                ("lpar;", '('),
                ("rpar;", ')'),
            ]
            .iter()
            .find(|(name, _)| body.starts_with(name))
            .map_or((None, 1), |(name, c)| (Some(*c), 1 + name.len()))
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push('&'),
        }
        rest = &rest[used.max(1)..];
    }
    out.push_str(rest);
    out
}

/// What is wrong with a built page, as an attacker would look: a `script` (or other active)
/// element, an attribute that starts with `on`, a `javascript:`, `vbscript:` or `data:` URL
/// in any attribute (entities decoded, whitespace and controls dropped as browsers drop them),
/// a `style` attribute, and sections other than `cards` cards, each closed before the next
/// opens.
fn hostile_html(html: &str, cards: usize) -> Vec<String> {
    let mut problems = Vec::new();
    let tags = html_tags(html);
    for tag in &tags {
        if matches!(
            tag.name.as_str(),
            "script"
                | "iframe"
                | "object"
                | "embed"
                | "svg"
                | "math"
                | "base"
                | "form"
                | "meta"
                | "link"
                | "style"
        ) && !(tag.name == "meta" && tag.attributes.iter().all(|(name, _)| name == "charset"))
        {
            problems.push(format!("a <{}> element: {tag:?}", tag.name));
        }
        for (name, value) in &tag.attributes {
            if name.starts_with("on") || name == "style" || name == "srcdoc" || name == "formaction"
            {
                problems.push(format!(
                    "an `{name}` attribute on <{}>: {value:?}",
                    tag.name
                ));
            }
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                if url.contains(scheme) {
                    problems.push(format!("`{scheme}` in {name} of <{}>: {value:?}", tag.name));
                }
            }
        }
    }
    // Each card opened as `<section class="card">` and closed before the next opens.
    let sections: Vec<&Tag> = tags.iter().filter(|t| t.name == "section").collect();
    let card = [("class".to_owned(), "card".to_owned())];
    let paired = sections.iter().enumerate().all(|(i, t)| {
        if i % 2 == 0 {
            !t.closing && t.attributes == card
        } else {
            t.closing
        }
    });
    if sections.len() != 2 * cards || !paired {
        problems.push(format!(
            "{} section tags, not {cards} cards each opened as <section class=\"card\"> and closed before the next",
            sections.len()
        ));
    }
    problems
}

#[test]
fn the_html_scanner_finds_what_a_browser_would_run() {
    let page =
        |body: &str| format!("<html><body><section class=\"card\">{body}</section></body></html>");
    assert_eq!(
        hostile_html(&page("<p>a &lt;script> `x`</p>"), 1),
        Vec::<String>::new()
    );
    assert_eq!(
        hostile_html(
            &page("<a title='x > y' href=\"https://a.test/?q=1&amp;r=2\">a</a>"),
            1
        ),
        Vec::<String>::new()
    );
    for bad in [
        "<script>alert(1)</script>",
        "<SCRIPT src=x></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<p title=\"a>b\" onmouseover=\"x\">",
        "<p/onclick=alert(1)>",
        "<a href=\"javascript:alert(1)\">",
        "<a href=\"  JaVa&#x09;Script&colon;alert(1)\">",
        "<a href=java&#115;cript:alert(1)>",
        "<img src='data:image/svg+xml,x'>",
        "<iframe srcdoc=x>",
        "</section><section class=\"card\">",
        "</section>",
        "<section>",
    ] {
        assert!(!hostile_html(&page(bad), 1).is_empty(), "{bad}");
    }
    let two = page("</section><section class=\"card\">");
    assert_eq!(hostile_html(&two, 2), Vec::<String>::new());
    assert!(!hostile_html(&two, 3).is_empty());
    // Raw text: a `<` inside a title is not a tag, and no attribute hides in a quoted value.
    let tags = html_tags("<title>a <b onclick=x></title><p title=\"<b onclick=x>\">");
    assert_eq!(
        tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        ["title", "title", "p"]
    );
    assert_eq!(
        tags[2].attributes,
        [("title".to_owned(), "<b onclick=x>".to_owned())]
    );
}

#[test]
fn no_built_page_carries_script() {
    let Some(site) = build_site() else { return };
    let mut checked = 0;
    for (name, page_markdown) in docs_pages() {
        let page = site.join(name.replace(".md", ".html"));
        let html = fs::read_to_string(&page).unwrap_or_else(|e| panic!("{page:?}: {e}"));
        // The template writes each card's opening tag on a line of its own; text cannot.
        let cards = page_markdown
            .lines()
            .filter(|line| *line == "<section class=\"card\">")
            .count();
        let problems = hostile_html(&html, cards);
        assert!(problems.is_empty(), "{name}: {problems:#?}\n{html}");
        checked += 1;
    }
    assert!(checked > 10);
}

#[test]
fn hostile_docs_text_is_shown_and_the_allowed_markdown_kept() {
    let Some(site) = build_site() else { return };
    let html = fs::read_to_string(site.join("acme-hostile-docs.html")).unwrap();
    let text = visible_text(&html);
    for shown in [
        "Unclosed `backtick then <script>alert('unclosed')</script>",
        "Escaped `backtick` then <script>alert('escaped')</script> and `<script>alert('escaped2')</script>`",
        "{::nomarkdown}<script>alert('nomarkdown')</script>{:/nomarkdown}",
        "[click](javascript:alert('link'))",
        "[data](data:text/html;base64,",
        "![img](javascript:alert('img'))",
        "{: onmouseover=\"alert('ial')\"}",
        "{: onclick=\"alert('ial link')\"}",
        "<img src=x onerror=alert(1)>",
        "a | b | c --- | --- <script>alert('table')</script> | d",
        ": definition <script>alert('definition2')</script>",
        "{::options parse_block_html=\"false\" auto_ids=\"false\" /}",
        "{::comment}hidden <script>{:/comment}",
        "Heading {#evil-id} {::comment}x{:/}",
        "[ref]: javascript:alert('ref')",
        "$$<script>alert('math')</script>$$ ~~~",
        "</section> <script>alert('fence in text')</script>",
        "<script>alert('cr')</script>",
        "</section><script>alert('step text')</script>",
        "<script>alert('tilde')</script>",
        "{{SubDomain}}",
        "`x|<script>alert('pipe')</script>",
        "Wrap each value in backticks (`) and separate the values with |.",
        "<script>alert('cell')</script>",
        "`a|<img src=x onerror=alert('row')>",
    ] {
        // kramdown's typography: curly quotes, `---` as an em dash.
        let seen = text
            .replace(['\u{2018}', '\u{2019}'], "'")
            .replace(['\u{201c}', '\u{201d}'], "\"")
            .replace('\u{2014}', "---");
        assert!(
            seen.contains(shown),
            "`{shown}` is not shown as text:\n{text}"
        );
    }
    // The allowed subset still works, and the page keeps its structure and heading ids.
    for kept in [
        "<a href=\"https://acme.test/docs\">fine</a>",
        "<a href=\"#cyclr-setup\">anchor</a>",
        "<img src=\"./images/ok.png\" alt=\"ok\" />",
        "<strong>b</strong>",
        "<em>i</em>",
        "<strong>bold <a href=\"https://acme.test/x_y\">link</a></strong>",
        "highlighter-rouge\">{{SubDomain}}</code>",
        "<h2 id=\"cyclr-setup\">Cyclr setup</h2>",
        "<h4 id=\"heading-evil-id-commentx\">",
    ] {
        assert!(html.contains(kept), "`{kept}` is missing:\n{html}");
    }
    assert!(!html.contains("id=\"evil-id\""), "{html}");
    assert_eq!(
        html.matches("<li>").count(),
        3 + 3,
        "three steps, three Cyclr items (the connector has no setup values)"
    );
    assert!(
        html.contains("<title>Acme &lt;/title&gt;&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; &amp; &quot;Docs&quot;</title>"),
        "{html}"
    );
}

/// The items of the first `<ol>` after `after` in `html`, each as its HTML (nested lists
/// kept inside their item).
fn ordered_list_items<'h>(html: &'h str, after: &str) -> Vec<&'h str> {
    let start = html.find(after).expect("the marker is on the page");
    let open = start + html[start..].find("<ol>").expect("an <ol> follows") + "<ol>".len();
    let (mut depth, mut at, mut item_start, mut items) = (0usize, open, None, Vec::new());
    while let Some(next) = html[at..].find('<').map(|i| at + i) {
        let rest = &html[next..];
        if rest.starts_with("<ol") || rest.starts_with("<ul") {
            depth += 1;
        } else if rest.starts_with("</ol>") || rest.starts_with("</ul>") {
            if depth == 0 {
                break;
            }
            depth -= 1;
        } else if rest.starts_with("<li") && depth == 0 {
            item_start = Some(next);
        } else if rest.starts_with("</li>") && depth == 0 {
            items.push(&html[item_start.take().expect("an item is open")..next]);
        }
        at = next + 1;
    }
    items
}

/// The page that uses every kind of block (tests/fixtures/valid/acme-docs-blocks.yaml), as a
/// reader gets it: four cards; a 12-step numbered list that stays one list, with the
/// screenshot and the code block of every step inside its item (kramdown reads them there
/// only when indented to where the item's text starts, 4 columns after `10. ` too); the
/// headings at the author's levels; the anchor a value's description links to; the partner's
/// and the account's values in tables of their own cards.
#[test]
fn a_page_of_cards_and_blocks_builds_as_written() {
    let Some(site) = build_site() else { return };
    let html = fs::read_to_string(site.join("Acme-Docs-Blocks-connector.html")).unwrap();
    let cards: Vec<&str> = html.split("<section class=\"card\">").skip(1).collect();
    assert_eq!(cards.len(), 4, "{html}");
    let steps = ordered_list_items(&html, "Get an API token</h3>");
    assert_eq!(steps.len(), 12, "one list of 12 steps:\n{html}");
    for (i, step) in steps.iter().enumerate() {
        let n = i + 1;
        assert!(
            step.contains(&format!("Step {n}: select"))
                && step.contains(&format!(
                    "<img src=\"./images/acme-docs-step-{n}.png\" alt=\"Page {n} of the Acme wizard\""
                ))
                && step.matches("<pre").count() == 1
                && step.contains(&format!("<span class=\"mi\">{n}</span>")),
            "step {n} lacks its text, screenshot or code block:\n{step}"
        );
    }
    let text = visible_text(&html);
    for raw in ["![", "```", "{% raw", "\\|"] {
        assert!(!text.contains(raw), "`{raw}` shown as text:\n{text}");
    }
    for kept in [
        "<h2 id=\"acme-docs-blocks-setup\">Acme Docs Blocks setup</h2>",
        "<h3 id=\"prerequisites\">Prerequisites</h3>",
        "<a name=\"get-an-api-token\"></a>",
        "<a href=\"https://acme.test/docs/api\">Acme documentation</a>",
        "<a href=\"introduction\">Cyclr introduction</a>",
        "<strong>Note</strong>: The token is shown once.",
        "<strong>Warning</strong>: A token of a workspace",
        "<code class=\"language-plaintext highlighter-rouge\">slug</code>",
    ] {
        assert!(html.contains(kept), "`{kept}` is missing:\n{html}");
    }
    // The bulleted list keeps its nested numbered list inside its second item.
    let bullets = &html[html.find("<ul>").unwrap()..html.find("</ul>").unwrap()];
    assert!(
        bullets.contains("<ol>") && bullets.matches("<li>").count() == 4,
        "{bullets}"
    );
    // The value's description and an error's table cell link to the anchor.
    assert_eq!(
        html.matches("href=\"#get-an-api-token\"").count(),
        2,
        "{html}"
    );
    // Partner values in the Cyclr setup card, the account's in the install card.
    let (setup, install) = (cards[1], cards[2]);
    assert!(setup.contains("<td><strong>Region</strong></td>") && !setup.contains("API Token"));
    assert!(
        install.contains("<td><strong>API Token</strong></td>")
            && install.contains("<td><strong>Workspace</strong></td>")
            && !install.contains("Region"),
        "{install}"
    );
    let errors = cards[3];
    assert!(errors.contains("<th>Error</th>") && errors.matches("<tr>").count() == 3);
}

/// kramdown's rule, which `list_marker` follows, shown on kramdown itself: what sits under a
/// list item belongs to it only when indented to the column where the item's text starts.
/// Under `10. ` (the template's marker) four spaces keep the screenshot in step 10; under
/// `10.  ` (the marker before issue 14, text at column 5) the same four spaces drop it out of
/// the list, as the real 12-step page showed it.
#[test]
fn kramdown_keeps_what_sits_under_step_ten_only_at_its_text_column() {
    if build_site().is_none() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kramdown-list-columns");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("_layouts")).unwrap();
    for file in ["_config.yml", "_layouts/default.html"] {
        fs::copy(root.join("tests/jekyll-site").join(file), site.join(file)).unwrap();
    }
    for (name, marker) in [("narrow", "10. "), ("wide", "10.  ")] {
        let mut page = format!("---\ntitle: {name}\npermalink: {name}\n---\n\n");
        for n in 1..=9 {
            page.push_str(&format!("{n}.  Step {n}\n\n    ![s{n}](./s{n}.png)\n\n"));
        }
        page.push_str(&format!("{marker}Step 10\n\n    ![s10](./s10.png)\n\n"));
        fs::write(site.join(format!("{name}.md")), page).unwrap();
    }
    let output = std::process::Command::new("jekyll")
        .args(["build", "--quiet", "--source"])
        .arg(&site)
        .arg("--destination")
        .arg(site.join("_site"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let read = |name: &str| fs::read_to_string(site.join(format!("_site/{name}.html"))).unwrap();
    let narrow = read("narrow");
    let steps = ordered_list_items(&narrow, "<body");
    assert_eq!(steps.len(), 10, "{narrow}");
    assert!(steps[9].contains("<img src=\"./s10.png\""), "{narrow}");
    let wide = read("wide");
    let steps = ordered_list_items(&wide, "<body");
    assert_eq!(steps.len(), 10, "{wide}");
    assert!(
        !steps[9].contains("s10.png") && wide.contains("![s10](./s10.png)"),
        "kramdown kept the screenshot under `10.  ` after all; the rule list_marker follows is wrong:\n{wide}"
    );
}
