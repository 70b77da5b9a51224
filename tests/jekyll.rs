//! The docs pages built by the real thing: the minimal Jekyll site in `tests/jekyll-site/`
//! (a config and a layout, no theme) with every generated page and the catalogue index,
//! built by `jekyll`, and the HTML checked. Liquid must erase nothing, kramdown must keep the
//! structure, and hostile text must stay text.
//!
//! Needs `jekyll` on the PATH (`apt-get install jekyll`; `.ci/run` installs it). Set
//! `CONNECTOR_GEN_SKIP_JEKYLL=1` to skip it on a machine without Jekyll.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use connector_gen::Generator;

/// Builds the site once per test run and returns its output directory.
fn build_site() -> Option<PathBuf> {
    static SITE: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    SITE.get_or_init(build).clone()
}

fn build() -> Option<PathBuf> {
    if std::env::var_os("CONNECTOR_GEN_SKIP_JEKYLL").is_some() {
        eprintln!("CONNECTOR_GEN_SKIP_JEKYLL is set: the Jekyll build is not checked");
        return None;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = Path::new(env!("CARGO_TARGET_TMPDIR")).join("jekyll-site");
    let _ = fs::remove_dir_all(&site);
    fs::create_dir_all(site.join("_layouts")).unwrap();
    for file in ["_config.yml", "_layouts/default.html"] {
        fs::copy(root.join("tests/jekyll-site").join(file), site.join(file)).unwrap();
    }
    let generator = Generator::new()
        .input(root.join("connectors"))
        .input(root.join("tests/fixtures/valid"));
    let run = generator.generate();
    assert!(!run.has_errors());
    for file in run.files.iter().filter(|f| f.path.starts_with("docs")) {
        fs::write(site.join(file.path.file_name().unwrap()), &file.contents).unwrap();
    }
    let catalogue = Generator::new().input(root.join("connectors")).catalogue();
    let index = catalogue
        .files
        .iter()
        .find(|f| f.path.ends_with("catalogue.md"))
        .unwrap();
    fs::write(site.join("catalogue.md"), &index.contents).unwrap();
    let output = Command::new("jekyll")
        .args(["build", "--quiet", "--source"])
        .arg(&site)
        .arg("--destination")
        .arg(site.join("_site"))
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run jekyll ({e}); install it with `apt-get install jekyll`, or set CONNECTOR_GEN_SKIP_JEKYLL=1")
        });
    assert!(
        output.status.success(),
        "jekyll build failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    Some(site.join("_site"))
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
