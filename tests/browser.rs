//! The built docs pages as a reader sees them: every page of the Jekyll site that
//! `tests/jekyll.rs` checks as text (built by `tests/support/site.rs`, with a small PNG for
//! every image the pages show) is opened in headless Chromium, and the live DOM checked
//! after the load event against what the page's Markdown asks for:
//!
//! - the cards (`<section class="card">`) are all there and hold everything: no element or
//!   text outside a card, the headings in each card in the Markdown's order and levels;
//! - every image and code block is in the card and the list item the Markdown put it in
//!   (indented under a step: inside that `li`; otherwise in no `li`), and the page has as
//!   many list items as the Markdown;
//! - every image has loaded (`complete`, `naturalWidth > 0`);
//! - no script: no `script` element, no `on*` attribute, no `javascript:`/`vbscript:`/`data:`
//!   URL, no frame, object, form or `base`, and none ran. The browser itself tells: through
//!   the DevTools protocol the test hears of every script V8 compiles in the page
//!   (`Debugger.scriptParsed`: inline scripts, event handlers as they fire, `javascript:`
//!   URLs), of every `alert`/`confirm`/`prompt` and of every uncaught exception.
//!
//! The Markdown is read by `layout` below, a small reader of the subset the docs template
//! writes. `the_browser_check_catches_*` proves the checks on pages the test writes itself:
//! a script that ran and removed itself, an alert, an event handler, a missing image, an image
//! and a code block outside their list item, text outside the card.
//!
//! One Chromium serves all the pages: it is started with `--remote-debugging-pipe` (the
//! protocol as NUL-separated JSON on file descriptors 3 and 4, which `sh` sets up) and loads
//! each page from its `file://` URL in one tab.
//!
//! Needs `chromium` (or `chromium-browser`) on the PATH (`apt-get install chromium`; `.ci/run`
//! installs it) and Jekyll (see `tests/jekyll.rs`). Without Chromium the browser tests pass and
//! say so once on stderr, unless `CI` is set: under CI a missing Chromium is a failure.
//! `CONNECTOR_GEN_SKIP_BROWSER=1` skips them on purpose, outside CI only.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

#[path = "support/site.rs"]
mod site;

const INSTALL: &str = "`apt-get install chromium`";

/// How long one protocol call or one page load may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The source URL of the test's own scripts, which are the only ones allowed to run.
const HARNESS: &str = "connector-gen-harness.js";

/// The Chromium to run, found once per test run, or `None` when the browser tests are
/// skipped, which is said once per run.
fn chromium() -> Option<&'static str> {
    static FOUND: OnceLock<Option<&'static str>> = OnceLock::new();
    *FOUND.get_or_init(|| match find_chromium() {
        Ok(program) => Some(program),
        Err(reason) => {
            // Straight to the process's stderr: the harness hides `eprintln!` in a passing test.
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipped: the browser check of the built docs pages ({reason}; with CI set this is a failure)"
            );
            None
        }
    })
}

/// `chromium`, or else `chromium-browser`, if one runs; `Err` says why the browser tests are
/// skipped. Under CI (`CI` set and not empty) nothing is skipped: a missing Chromium, or
/// `CONNECTOR_GEN_SKIP_BROWSER`, panics.
fn find_chromium() -> Result<&'static str, String> {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    if std::env::var_os("CONNECTOR_GEN_SKIP_BROWSER").is_some() {
        assert!(
            !ci,
            "CONNECTOR_GEN_SKIP_BROWSER is set, but so is CI, and CI never skips the browser \
             check of the built docs pages: install Chromium with {INSTALL} and unset \
             CONNECTOR_GEN_SKIP_BROWSER"
        );
        return Err("CONNECTOR_GEN_SKIP_BROWSER is set".to_owned());
    }
    for program in ["chromium", "chromium-browser"] {
        match Command::new(program).arg("--version").output() {
            Ok(output) if output.status.success() => return Ok(program),
            Ok(output) => panic!(
                "{program} is on the PATH but `{program} --version` failed ({}):\n{}\n{}\nreinstall it with {INSTALL}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ),
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => {
                panic!("cannot run `{program} --version` ({e}); install Chromium with {INSTALL}")
            }
        }
    }
    assert!(
        !ci,
        "neither chromium nor chromium-browser is installed and CI is set, so the browser check \
         of the built docs pages cannot be skipped: install Chromium with {INSTALL}"
    );
    Err(format!(
        "neither chromium nor chromium-browser is installed; {INSTALL} to run it"
    ))
}

/// Headless Chromium driven through the DevTools protocol over a pipe, with one tab.
struct Browser {
    child: Child,
    input: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Events that arrived while a call waited for its answer.
    pending: VecDeque<Value>,
    next_id: u64,
    /// The tab's session, once attached.
    session: Option<String>,
    dir: PathBuf,
}

/// What the browser said while it loaded a page and what the page's DOM held after.
#[derive(Debug, Default)]
struct Visit {
    /// The page did not load: the navigation's error.
    failed: Option<String>,
    /// Scripts compiled in the page that are not the test's own: (URL, line).
    scripts: Vec<String>,
    /// `alert`, `confirm`, `prompt` and `beforeunload` dialogs: type and message.
    dialogs: Vec<String>,
    /// Uncaught exceptions.
    exceptions: Vec<String>,
    dom: Option<Dom>,
}

/// The page's DOM after load, as `INSPECT` reports it. A card or list item is given by its
/// index among all of the page's cards or `li` elements, in document order.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Dom {
    cards: usize,
    nested_cards: usize,
    outside: Vec<String>,
    headings: Vec<Heading>,
    items: usize,
    images: Vec<Image>,
    code: Vec<Place>,
    scripts: Vec<String>,
    handlers: Vec<String>,
    urls: Vec<String>,
    active: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Heading {
    level: u8,
    card: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Image {
    src: Option<String>,
    card: Option<usize>,
    item: Option<usize>,
    complete: bool,
    natural_width: u64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Place {
    card: Option<usize>,
    item: Option<usize>,
}

/// Run in the page after its load event; returns the `Dom` as JSON.
const INSPECT: &str = r#"(() => {
  const cards = [...document.querySelectorAll("section.card")];
  const items = [...document.querySelectorAll("li")];
  const index = (list, element) => {
    const at = list.indexOf(element);
    return at < 0 ? null : at;
  };
  const card = (element) => index(cards, element.closest("section.card"));
  const item = (element) => index(items, element.closest("li"));
  const describe = (element) => element.outerHTML.slice(0, 160);
  const outside = [];
  for (const node of document.body.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.matches("section.card")) continue;
    if (node.nodeType === Node.TEXT_NODE && node.textContent.trim() === "") continue;
    if (node.nodeType === Node.COMMENT_NODE) continue;
    outside.push(node.nodeType === Node.ELEMENT_NODE ? describe(node) : JSON.stringify(node.textContent.slice(0, 160)));
  }
  const urlAttributes = ["href", "src", "srcset", "action", "formaction", "xlink:href", "poster",
    "background", "data", "cite", "ping", "lowsrc", "dynsrc", "codebase", "longdesc"];
  const handlers = [];
  const urls = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) handlers.push(`<${element.localName} ${name}=${JSON.stringify(attribute.value)}>`);
      const url = attribute.value.replace(/[\u0000-\u0020\u007f-\u009f]/g, "").toLowerCase();
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data):/.test(url)) {
        urls.push(`<${element.localName} ${name}=${JSON.stringify(attribute.value)}>`);
      }
    }
  }
  const active = [...document.querySelectorAll(
      "iframe, frame, frameset, object, embed, applet, base, form, link, style, svg, math, meta, noscript, template")]
    .filter((element) => !(element.matches("meta[charset]") && element.attributes.length === 1))
    .map(describe);
  return {
    cards: cards.length,
    nestedCards: cards.filter((element) => element.parentElement.closest("section.card")).length,
    outside,
    headings: [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
      .map((heading) => ({ level: Number(heading.localName[1]), card: card(heading) })),
    items: items.length,
    images: [...document.querySelectorAll("img")].map((image) => ({
      src: image.getAttribute("src"), card: card(image), item: item(image),
      complete: image.complete, naturalWidth: image.naturalWidth,
    })),
    code: [...document.querySelectorAll("pre")].map((block) => ({ card: card(block), item: item(block) })),
    scripts: [...document.querySelectorAll("script")].map(describe),
    handlers,
    urls,
    active,
  };
})()
//# sourceURL=connector-gen-harness.js"#;

impl Browser {
    /// Starts `program` headless with an empty profile in a directory of its own (`name`)
    /// and opens one tab.
    fn launch(program: &str, name: &str) -> Browser {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("chromium-{name}"));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let log = File::create(dir.join("stderr.log")).unwrap();
        // Chromium reads the protocol on descriptor 3 and writes it on 4: `sh` moves the
        // pipes there from its standard input and output.
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null"#)
            .arg(program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--mute-audio",
                "--remote-debugging-pipe",
            ])
            .arg(format!("--user-data-dir={}", dir.join("profile").display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program} ({e})"));
        let input = child.stdin.take();
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut message = Vec::new();
            loop {
                message.clear();
                match output.read_until(0, &mut message) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if message.last() == Some(&0) {
                            message.pop();
                        }
                        let Ok(value) = serde_json::from_slice(&message) else {
                            break;
                        };
                        if sender.send(value).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let mut browser = Browser {
            child,
            input,
            messages,
            pending: VecDeque::new(),
            next_id: 0,
            session: None,
            dir,
        };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let target = target["targetId"].as_str().unwrap().to_owned();
        let attached = browser.call(
            "Target.attachToTarget",
            json!({ "targetId": target, "flatten": true }),
        );
        browser.session = Some(attached["sessionId"].as_str().unwrap().to_owned());
        for method in ["Page.enable", "Runtime.enable", "Debugger.enable"] {
            browser.call(method, json!({}));
        }
        // A `debugger` statement in a page must not stop it: the script is reported anyway.
        browser.call("Debugger.setSkipAllPauses", json!({ "skip": true }));
        browser
    }

    /// The end of Chromium's stderr, for a failure message.
    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.dir.join("stderr.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().filter(|l| !l.contains("dbus")).collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("\nChromium's stderr ends:\n{tail}")
    }

    fn send(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let mut message = json!({ "id": self.next_id, "method": method, "params": params });
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        let mut bytes = serde_json::to_vec(&message).unwrap();
        bytes.push(0);
        let input = self.input.as_mut().unwrap();
        if let Err(e) = input.write_all(&bytes).and_then(|()| input.flush()) {
            panic!("cannot send {method} to Chromium ({e}){}", self.log_tail());
        }
        self.next_id
    }

    fn receive(&mut self, deadline: Instant, waiting_for: &str) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!(
                "Chromium did not answer within {TIMEOUT:?} ({waiting_for}){}",
                self.log_tail()
            ),
            Err(RecvTimeoutError::Disconnected) => {
                panic!("Chromium quit ({waiting_for}){}", self.log_tail())
            }
        }
    }

    /// Calls `method` and returns its result; events that come first are kept for later.
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self.receive(deadline, method);
            if message["id"] == id {
                if let Some(error) = message.get("error") {
                    panic!("{method} failed: {error}{}", self.log_tail());
                }
                return message["result"].clone();
            }
            self.pending.push_back(message);
        }
    }

    /// Loads `url` in the tab, waits for its load event and inspects the DOM.
    fn visit(&mut self, url: &str) -> Visit {
        let mut visit = Visit::default();
        // Anything left from the page before is told with this one, with its URL.
        while let Some(event) = self.pending.pop_front() {
            self.note(&event, &mut visit);
        }
        let navigated = self.call("Page.navigate", json!({ "url": url }));
        if let Some(error) = navigated.get("errorText") {
            visit.failed = Some(error.to_string());
            return visit;
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let event = match self.pending.pop_front() {
                Some(event) => event,
                None => self.receive(deadline, &format!("the load event of {url}")),
            };
            if event["method"] == "Page.loadEventFired" {
                break;
            }
            self.note(&event, &mut visit);
        }
        let inspected = self.call(
            "Runtime.evaluate",
            json!({ "expression": INSPECT, "returnByValue": true }),
        );
        if let Some(exception) = inspected.get("exceptionDetails") {
            panic!("the inspection of {url} failed: {exception}");
        }
        while let Some(event) = self.pending.pop_front() {
            self.note(&event, &mut visit);
        }
        visit.dom = Some(
            serde_json::from_value(inspected["result"]["value"].clone())
                .unwrap_or_else(|e| panic!("{url}: the inspection's report: {e}: {inspected}")),
        );
        visit
    }

    /// Records what an event says about scripts in the page, and closes dialogs.
    fn note(&mut self, event: &Value, visit: &mut Visit) {
        let params = &event["params"];
        match event["method"].as_str() {
            Some("Debugger.scriptParsed") => {
                let url = params["url"].as_str().unwrap_or_default();
                if url != HARNESS {
                    visit
                        .scripts
                        .push(format!("{url} line {}", params["startLine"]));
                }
            }
            Some("Page.javascriptDialogOpening") => {
                visit
                    .dialogs
                    .push(format!("{} {}", params["type"], params["message"]));
                self.call("Page.handleJavaScriptDialog", json!({ "accept": true }));
            }
            Some("Runtime.exceptionThrown") => {
                let details = &params["exceptionDetails"];
                visit.exceptions.push(format!(
                    "{} {}",
                    details["text"], details["exception"]["description"]
                ));
            }
            _ => {}
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(mut input) = self.input.take() {
            let _ = input.write_all(b"{\"id\":0,\"method\":\"Browser.close\"}\0");
            // Closing the pipe also ends Chromium.
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                let _ = fs::remove_dir_all(&self.dir);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where a page's Markdown puts things: the structure the browser must show.
#[derive(Debug, Default, PartialEq)]
struct Layout {
    cards: usize,
    /// Each heading: its card and level.
    headings: Vec<(Option<usize>, u8)>,
    /// The number of list items.
    items: usize,
    /// Each image: its `src`, card and list item.
    images: Vec<(String, Option<usize>, Option<usize>)>,
    /// Each code block: its card and list item.
    code: Vec<(Option<usize>, Option<usize>)>,
}

/// `page` (front matter and Markdown) with the `{% raw %}` and `{% endraw %}` tags gone, as
/// Liquid leaves it. The generator writes only these two tags.
fn without_raw_tags(page: &str) -> String {
    let (open, close) = ("{% raw %}", "{% endraw %}");
    let mut out = String::new();
    let mut rest = page;
    while let Some(at) = rest.find(open) {
        out.push_str(&rest[..at]);
        rest = &rest[at + open.len()..];
        let end = rest.find(close).unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        rest = &rest[(end + close.len()).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// If `line` starts a list item (`*`, `+`, `-` or `N.` and a space, at most three spaces in),
/// the text after its marker.
fn list_item(line: &str) -> Option<&str> {
    let indent = indent_of(line);
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let after = match rest.strip_prefix(['*', '+', '-']) {
        Some(after) => after,
        None => {
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return None;
            }
            rest[digits..].strip_prefix('.')?
        }
    };
    after.starts_with([' ', '\t']).then(|| after.trim_start())
}

/// If `text` (at most three spaces in) opens a fenced code block, its character and length.
fn opens_fence(text: &str) -> Option<(char, usize)> {
    let text = text
        .strip_prefix("   ")
        .unwrap_or(text.trim_start_matches(' '));
    let mark = text.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let length = text.len() - text.trim_start_matches(mark).len();
    let info = &text[length..];
    (length >= 3 && !(mark == '`' && info.contains('`'))).then_some((mark, length))
}

/// Whether `text` closes a fence of `mark` opened with `length` characters.
fn closes_fence(text: &str, mark: char, length: usize) -> bool {
    let text = text.trim_start_matches(' ');
    let run = text.len() - text.trim_start_matches(mark).len();
    run >= length && text[run..].trim().is_empty()
}

/// The `src` of every inline image `![alt](src)` in a line of Markdown text: not escaped
/// (`\!`, `\[`), not in a code span.
fn images(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'`' => {
                let run = text[i..].len() - text[i..].trim_start_matches('`').len();
                let closing = "`".repeat(run);
                let mut at = i + run;
                // A code span ends at the next run of exactly as many backticks.
                let end = loop {
                    let Some(found) = text[at..].find(&closing) else {
                        break None;
                    };
                    let start = at + found;
                    let length = text[start..].len() - text[start..].trim_start_matches('`').len();
                    if length == run {
                        break Some(start + run);
                    }
                    at = start + length;
                };
                i = end.unwrap_or(i + run);
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => {
                let mut j = i + 2;
                let mut depth = 1;
                while j < bytes.len() && depth > 0 {
                    match bytes[j] {
                        b'\\' => j += 1,
                        b'[' => depth += 1,
                        b']' => depth -= 1,
                        _ => {}
                    }
                    j += 1;
                }
                if depth == 0 && bytes.get(j) == Some(&b'(') {
                    let src: String = text[j + 1..]
                        .chars()
                        .take_while(|c| *c != ')' && !c.is_whitespace())
                        .collect();
                    let close = text[j..].find(')').map_or(bytes.len(), |at| j + at + 1);
                    found.push(src);
                    i = close;
                } else {
                    i += 2;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// The structure of a page's Markdown, read as kramdown reads the subset the docs template
/// writes: `<section class="card">` and `</section>` on lines of their own, ATX headings,
/// lists nested in list items, fenced code blocks (also in list items), images in
/// paragraphs. What follows a list item belongs to it when indented at least to where the
/// item's text starts (kramdown's rule: `1.  ` and `10. ` take 4 columns, `100. ` 5), or as
/// a lazy continuation of its paragraph; an item's own list items start within three columns
/// of that indent. This is kramdown's reading, so a layout that indents too little (4
/// columns under `10.  `) reads here as it builds: whether every step keeps its screenshot
/// and code, as the definition asks, is `tests/jekyll.rs`'s check of the 12-step page.
fn layout(page: &str) -> Layout {
    let page = without_raw_tags(page);
    let body = page
        .strip_prefix("---\n")
        .and_then(|rest| rest.find("\n---\n").map(|at| &rest[at + 5..]))
        .unwrap_or(&page);
    let mut layout = Layout::default();
    let mut card = None;
    // The open list items, outermost first: where their content starts, and their index.
    let mut items: Vec<(usize, usize)> = Vec::new();
    // An open fence: the indent of its list item, its character and length.
    let mut fence: Option<(usize, char, usize)> = None;
    let mut blank_before = true;
    let mut indented_code = false;
    for line in body.lines() {
        if let Some((indent, mark, length)) = fence {
            let inner = &line[indent_of(line).min(indent)..];
            if closes_fence(inner, mark, length) {
                fence = None;
                blank_before = false;
            }
            continue;
        }
        if line.trim().is_empty() {
            blank_before = true;
            continue;
        }
        let indent = indent_of(line);
        if indent < 4 && (line.trim() == "<section class=\"card\">" || line.trim() == "</section>")
        {
            if line.trim() == "</section>" {
                card = None;
            } else {
                card = Some(layout.cards);
                layout.cards += 1;
            }
            items.clear();
            blank_before = true;
            continue;
        }
        // The innermost item whose content the line is indented into.
        let inside = items.iter().rposition(|&(at, _)| indent >= at);
        let base = inside.map_or(0, |i| items[i].0);
        let relative = &line[base..];
        let lazy = !blank_before
            && !items.is_empty()
            && inside != Some(items.len() - 1)
            && list_item(relative).is_none()
            && opens_fence(relative).is_none()
            && !relative.starts_with('#');
        let (content, base) = if lazy {
            // A lazy continuation of the innermost item's paragraph.
            (line.trim_start(), items.last().unwrap().0)
        } else {
            items.truncate(inside.map_or(0, |i| i + 1));
            if let Some(text) = list_item(relative) {
                let start = base + relative.len() - text.len();
                items.push((start, layout.items));
                layout.items += 1;
                (text, start)
            } else if indent_of(relative) >= 4 {
                if !indented_code {
                    layout.code.push((card, items.last().map(|&(_, i)| i)));
                }
                indented_code = true;
                blank_before = false;
                continue;
            } else {
                (relative, base)
            }
        };
        let item = items.last().map(|&(_, i)| i);
        indented_code = false;
        blank_before = false;
        if let Some((mark, length)) = opens_fence(content) {
            layout.code.push((card, item));
            fence = Some((base, mark, length));
            continue;
        }
        let hashes = content.len() - content.trim_start_matches('#').len();
        if (1..=6).contains(&hashes)
            && content[hashes..].starts_with([' ', '\t'])
            && indent_of(content) == 0
        {
            layout.headings.push((card, u8::try_from(hashes).unwrap()));
        }
        for src in images(content) {
            layout.images.push((src, card, item));
        }
    }
    layout
}

/// Everything wrong with a visited page, given the layout its Markdown asks for. Each
/// problem starts with its kind and a colon.
fn problems(expected: &Layout, visit: &Visit) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(error) = &visit.failed {
        problems.push(format!("load failed: {error}"));
    }
    for script in &visit.scripts {
        problems.push(format!("script ran: {script}"));
    }
    for dialog in &visit.dialogs {
        problems.push(format!("dialog: {dialog}"));
    }
    for exception in &visit.exceptions {
        problems.push(format!("exception: {exception}"));
    }
    let Some(dom) = &visit.dom else {
        return problems;
    };
    for (kind, found) in [
        ("script element", &dom.scripts),
        ("event handler", &dom.handlers),
        ("script URL", &dom.urls),
        ("active element", &dom.active),
        ("outside the cards", &dom.outside),
    ] {
        for what in found {
            problems.push(format!("{kind}: {what}"));
        }
    }
    if dom.nested_cards > 0 {
        problems.push(format!(
            "nested cards: {} cards inside cards",
            dom.nested_cards
        ));
    }
    let shown = Layout {
        cards: dom.cards,
        headings: dom.headings.iter().map(|h| (h.card, h.level)).collect(),
        items: dom.items,
        images: dom
            .images
            .iter()
            .map(|i| (i.src.clone().unwrap_or_default(), i.card, i.item))
            .collect(),
        code: dom.code.iter().map(|c| (c.card, c.item)).collect(),
    };
    let mut differ = |kind: &str, what: &str, expected: String, shown: String| {
        if expected != shown {
            problems.push(format!(
                "{kind} differ: the Markdown has {what}{expected}, the browser shows {shown}"
            ));
        }
    };
    differ(
        "cards",
        "",
        expected.cards.to_string(),
        shown.cards.to_string(),
    );
    differ(
        "headings",
        "(card, level) ",
        format!("{:?}", expected.headings),
        format!("{:?}", shown.headings),
    );
    differ(
        "list items",
        "",
        expected.items.to_string(),
        shown.items.to_string(),
    );
    differ(
        "images",
        "(src, card, list item) ",
        format!("{:?}", expected.images),
        format!("{:?}", shown.images),
    );
    differ(
        "code blocks",
        "(card, list item) ",
        format!("{:?}", expected.code),
        format!("{:?}", shown.code),
    );
    for image in &dom.images {
        if !image.complete || image.natural_width == 0 {
            problems.push(format!(
                "image not loaded: {:?} (complete: {}, naturalWidth: {})",
                image.src.as_deref().unwrap_or_default(),
                image.complete,
                image.natural_width
            ));
        }
    }
    problems
}

/// The kind of each problem: the text before its first colon.
fn kinds(problems: &[String]) -> Vec<&str> {
    let mut kinds: Vec<&str> = problems
        .iter()
        .map(|p| p.split(':').next().unwrap())
        .collect();
    kinds.dedup();
    kinds
}

fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path)
        .unwrap_or_else(|()| panic!("{path:?} is not an absolute path"))
        .to_string()
}

/// The permalink in a page's front matter.
fn permalink(page: &str) -> &str {
    page.lines()
        .find_map(|line| line.strip_prefix("permalink: "))
        .unwrap_or_else(|| panic!("no permalink in\n{page}"))
}

#[test]
fn built_pages_keep_cards_images_and_code_in_place_load_every_image_and_run_no_script() {
    let Some(program) = chromium() else { return };
    let Some(site) = site::build_site() else {
        return;
    };
    let mut pages = site::docs_pages();
    pages.push(("catalogue.md".to_owned(), site::catalogue_page()));
    let mut browser = Browser::launch(program, "pages");
    let mut failures = Vec::new();
    let (mut images, mut code, mut items) = (0, 0, 0);
    for (name, page) in &pages {
        let expected = layout(page);
        let html = site.join(format!("{}.html", permalink(page)));
        let visit = browser.visit(&file_url(&html));
        let found = problems(&expected, &visit);
        if !found.is_empty() {
            failures.push(format!("{name}:\n  {}", found.join("\n  ")));
        }
        assert!(expected.cards >= 1, "{name}: no card in\n{page}");
        images += expected.images.len();
        code += expected.code.len();
        items += expected.items;
    }
    assert!(
        failures.is_empty(),
        "the browser shows {} of {} pages other than their Markdown asks:\n{}",
        failures.len(),
        pages.len(),
        failures.join("\n")
    );
    // Not vacuous: the pages have images, code blocks and list items, some inside items.
    assert!(
        images >= 5 && code >= 5 && items >= 100,
        "{images} {code} {items}"
    );
    let hostile = pages
        .iter()
        .find(|(name, _)| name == "acme-hostile-docs.md")
        .map(|(_, page)| layout(page))
        .unwrap();
    assert_eq!(hostile.code, [(Some(0), Some(0)), (Some(0), Some(1))]);
    assert_eq!(
        hostile.images,
        [("./images/ok.png".to_owned(), Some(0), None)]
    );
}

/// A page written by hand (no Jekyll): `body` inside the layout's HTML.
fn hand_page(dir: &Path, name: &str, body: &str) -> String {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{name}</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    );
    let path = dir.join(format!("{name}.html"));
    fs::write(&path, html).unwrap();
    file_url(&path)
}

#[test]
fn the_browser_check_catches_scripts_missing_images_and_misplaced_blocks() {
    let Some(program) = chromium() else { return };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-checks");
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("images")).unwrap();
    fs::write(
        dir.join("images/present.png"),
        site::png(4, 3, [200, 30, 30]),
    )
    .unwrap();
    let markdown = |src: &str| {
        format!(
            "---\ntitle: x\n---\n<section class=\"card\">\n\n## Setup\n\n1.  Step\n\n    ![a]({src})\n\n    ```\n    code\n    ```\n\n2.  Next\n\n</section>\n"
        )
    };
    let expected = layout(&markdown("./images/present.png"));
    assert_eq!(
        expected,
        Layout {
            cards: 1,
            headings: vec![(Some(0), 2)],
            items: 2,
            images: vec![("./images/present.png".to_owned(), Some(0), Some(0))],
            code: vec![(Some(0), Some(0))],
        }
    );
    let card = |inside_step: &str, after_list: &str| {
        format!(
            "<section class=\"card\">\n<h2>Setup</h2>\n<ol>\n<li><p>Step</p>{inside_step}</li>\n<li><p>Next</p></li>\n</ol>\n{after_list}</section>"
        )
    };
    let image = "<p><img src=\"./images/present.png\" alt=\"a\"></p>";
    let block = "<pre><code>code\n</code></pre>";
    let mut browser = Browser::launch(program, "checks");
    let mut check = |name: &str, body: &str, expected: &Layout| {
        let url = hand_page(&dir, name, body);
        problems(expected, &browser.visit(&url))
    };

    let fine = check("fine", &card(&format!("{image}{block}"), ""), &expected);
    assert_eq!(fine, Vec::<String>::new());

    let missing = check(
        "missing-image",
        &card(
            &format!("<p><img src=\"./images/missing.png\" alt=\"a\"></p>{block}"),
            "",
        ),
        &layout(&markdown("./images/missing.png")),
    );
    assert_eq!(kinds(&missing), ["image not loaded"], "{missing:#?}");

    // The image and the code block after the list instead of in the step, text after the card.
    let loose = check(
        "loose",
        &format!(
            "{}\n<p>after</p> text",
            card("", &format!("{image}{block}"))
        ),
        &expected,
    );
    assert_eq!(
        kinds(&loose),
        ["outside the cards", "images differ", "code blocks differ"],
        "{loose:#?}"
    );
    assert!(
        loose.iter().any(|p| p.contains(
            "the Markdown has (src, card, list item) [(\"./images/present.png\", Some(0), Some(0))], \
             the browser shows [(\"./images/present.png\", Some(0), None)]"
        )),
        "{loose:#?}"
    );

    let alert = check(
        "alert",
        &card(&format!("{image}{block}<script>alert('ran')</script>"), ""),
        &expected,
    );
    assert_eq!(
        kinds(&alert),
        ["script ran", "dialog", "script element"],
        "{alert:#?}"
    );

    // Scripts that leave no trace in the DOM: only the browser's word shows they ran.
    let hidden = check(
        "hidden-script",
        &card(
            &format!(
                "<p><img src=\"./images/present.png\" alt=\"a\" \
                 onload=\"this.removeAttribute('onload'); window.ran = 1\"></p>{block}\
                 <script>document.currentScript.remove(); window.ran = 2;</script>"
            ),
            "",
        ),
        &expected,
    );
    assert_eq!(kinds(&hidden), ["script ran"], "{hidden:#?}");
    assert_eq!(hidden.len(), 2, "the script and the handler: {hidden:#?}");

    let thrown = check(
        "exception",
        &card(
            &format!(
                "{image}{block}<script>document.currentScript.remove(); undefinedFunction();</script>"
            ),
            "",
        ),
        &expected,
    );
    assert_eq!(kinds(&thrown), ["script ran", "exception"], "{thrown:#?}");

    // Handlers and URLs that never fire in a headless load are found in the DOM.
    let dormant = check(
        "dormant",
        &card(
            &format!(
                "<p onmouseover=\"alert(1)\"><img src=\"./images/present.png\" alt=\"a\"></p>{block}\
                 <a href=\" java\tscript:alert(1)\">a</a><iframe></iframe>"
            ),
            "",
        ),
        &expected,
    );
    assert_eq!(
        kinds(&dormant),
        ["event handler", "script URL", "active element"],
        "{dormant:#?}"
    );
}

#[test]
fn the_markdown_reader_places_images_and_code_as_kramdown_does() {
    let page = "---\ntitle: t\npermalink: p\n---\n{::options parse_block_html=\"true\" /}\n\n<section class=\"card\">\n\n## Partner\n\nText ![inline](./images/a.png) and \\![escaped](x) and `![code](y)` and ``a`![code2](z)``\n\n#### Sub\n\n*   One\n\n    ![one](./images/b.png)\n\n*   Two\n    {% raw %}\n    ````json\n    ```\n    ![in code](c)\n    </section>\n    ````\n    {% endraw %}\n\n*   Three\n\n![after](./images/d.png)\n\n```\n# not a heading\n```\n\n### Cyclr\n\n1.  Go\n2.  Select\nlazily\n\n    indented ![e](./images/e.png)\n\n| a | b |\n\n</section>\n";
    assert_eq!(
        layout(page),
        Layout {
            cards: 1,
            headings: vec![(Some(0), 2), (Some(0), 4), (Some(0), 3)],
            items: 5,
            images: vec![
                ("./images/a.png".to_owned(), Some(0), None),
                ("./images/b.png".to_owned(), Some(0), Some(0)),
                ("./images/d.png".to_owned(), Some(0), None),
                ("./images/e.png".to_owned(), Some(0), Some(4)),
            ],
            code: vec![(Some(0), Some(1)), (Some(0), None)],
        }
    );
    let mut ten = String::from("<section class=\"card\">\n\n");
    for n in 1..=10 {
        ten.push_str(&format!(
            "{:<4}Step {n}\n\n    ![s{n}](./images/s{n}.png)\n\n",
            format!("{n}.")
        ));
    }
    ten.push_str("*   Outer\n\n    1.  Inner\n\n        ![inner](./images/i.png)\n\n    ![outer](./images/o.png)\n\n10.  Wide\n\n    ![wide](./images/w.png)\n\n</section>\n");
    let read = layout(&ten);
    assert_eq!(read.items, 13);
    assert_eq!(
        read.images[9],
        ("./images/s10.png".to_owned(), Some(0), Some(9))
    );
    assert_eq!(
        read.images[10],
        ("./images/i.png".to_owned(), Some(0), Some(11))
    );
    assert_eq!(
        read.images[11],
        ("./images/o.png".to_owned(), Some(0), Some(10))
    );
    // Under `10.  ` the text starts at column 5: four spaces leave the list (an indented code
    // block, as kramdown reads it).
    assert_eq!(read.images.len(), 12);
    assert_eq!(read.code, [(Some(0), None)]);
    assert_eq!(
        images("![a \\[b\\]](./x.png) ![](y) \\![no](z) ![c](w \"title\")"),
        ["./x.png", "y", "w"]
    );
    assert_eq!(
        without_raw_tags("{% raw %}a {%{% endraw %}{% raw %} endraw %}{% endraw %}b"),
        "a {% endraw %}b"
    );
}
