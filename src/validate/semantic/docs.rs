//! The checks of the docs page: `partner_setup` or `cards`, not both; every text's
//! placeholders name fields, and its Markdown is of the kind the page carries (raw HTML and
//! links other than `https://`, relative and `#anchor` ones are refused, as
//! `markdown::refused_markup` finds them); no text is empty; tables are rectangular; the
//! Cyclr setup section stands in a card, not in a list; anchors are unique; a values table's
//! `header` goes with a table; every `setup_values` block shows something; and a page that
//! places its own setup values shows every one.

use std::collections::{BTreeMap, HashMap};

use super::{Checker, Scope};
use crate::definition::{Block, Item, SetBy, ValuesLayout};
use crate::diagnostics::Code;
use crate::markdown::{Refused, refused_markup};
use crate::model::docs::{shows, values_layout};

/// What a walk over the page's blocks collects.
#[derive(Default)]
struct Walk<'a> {
    /// Every text of inline Markdown, with its pointer.
    texts: Vec<(String, &'a str)>,
    /// Every anchor, with its pointer.
    anchors: Vec<(String, &'a str)>,
    /// The levels of setup values each values block shows (`None`: all).
    shown: Vec<Option<SetBy>>,
    /// Each `setup_values` block's pointer and level.
    values_blocks: Vec<(String, Option<SetBy>)>,
}

impl<'a> Checker<'a> {
    pub(super) fn docs(&mut self) {
        let before = self.diagnostics.len();
        self.docs_page();
        // Blocks reused through YAML aliases are walked once per use, at the same place:
        // say each problem once.
        let mut seen = std::collections::HashSet::new();
        let mut index = 0;
        self.diagnostics.retain(|d| {
            index += 1;
            index <= before || seen.insert((d.code, d.message.clone(), d.span.clone()))
        });
    }

    fn docs_page(&mut self) {
        let docs = &self.definition.docs;
        match (&docs.partner_setup, &docs.cards) {
            (Some(_), Some(_)) => self.error(
                Code::InvalidPage,
                "`docs` has both `partner_setup` and `cards`",
                self.spans.key_or_value("/docs/cards"),
                "keep `partner_setup` for a page of one card, or move its blocks into the first of `cards`",
            ),
            (None, None) => self.error(
                Code::InvalidPage,
                "`docs` has neither `partner_setup` nor `cards`",
                self.spans.head("/docs", self.text),
                "add `partner_setup:` with the blocks that say how to get the credentials (a page of one card), or `cards:` for the whole page card by card",
            ),
            _ => {}
        }
        let mut walk = Walk::default();
        if let Some(blocks) = &docs.partner_setup {
            self.walk_blocks("/docs/partner_setup", blocks, false, &mut walk);
        }
        for (c, card) in docs.cards.iter().flatten().enumerate() {
            self.walk_blocks(
                &format!("/docs/cards/{c}/blocks"),
                &card.blocks,
                false,
                &mut walk,
            );
        }
        for (pointer, only) in &walk.values_blocks {
            if !self
                .definition
                .fields
                .iter()
                .any(|f| shows(*only, f.set_by))
            {
                let what = match only {
                    Some(SetBy::Partner) => "partner values",
                    Some(SetBy::Account) => "account values",
                    None => "setup values",
                };
                self.error(
                    Code::InvalidPage,
                    format!("this `setup_values` block shows nothing: the connector has no {what}"),
                    self.spans.key_or_value(pointer),
                    "remove the block, or change `only`",
                );
            }
        }
        for (pointer, text) in &walk.texts {
            if text.trim().is_empty() {
                self.error(
                    Code::InvalidPage,
                    "this text is empty",
                    self.spans.value(pointer),
                    "write the text, or remove the block or item",
                );
                continue;
            }
            self.refused(pointer, text);
            if let Some(template) = self.template(pointer, text) {
                let used_before = self.used_fields.clone();
                self.in_docs = true;
                self.resolve_placeholders(pointer, &template, Scope::Fields);
                // Mentioning a field in the instructions does not make the connector use it.
                self.used_fields = used_before;
                self.in_docs = false;
            }
        }
        for (i, field) in self.definition.fields.iter().enumerate() {
            self.refused(&format!("/fields/{i}/description"), &field.description);
        }
        let mut anchors: BTreeMap<&str, &str> = BTreeMap::new();
        for (pointer, name) in &walk.anchors {
            match anchors.get(name) {
                // The same anchor again through a YAML alias: one place, one anchor.
                Some(first) if self.spans.value(first) == self.spans.value(pointer) => {}
                Some(first) => {
                    let first = self.spans.value(first);
                    self.diagnostics.push(
                        crate::diagnostics::Diagnostic::error(
                            Code::InvalidPage,
                            format!("the anchor `{name}` is on the page twice"),
                        )
                        .in_file(self.file, self.spans.value(pointer))
                        .with_secondary(first, "first here")
                        .with_help("give each anchor its own name; links point to one"),
                    );
                }
                None => {
                    anchors.insert(name, pointer);
                }
            }
        }
        if !walk.shown.is_empty() {
            for (i, field) in self.definition.fields.iter().enumerate() {
                if !walk.shown.iter().any(|&only| shows(only, field.set_by)) {
                    let level = match field.set_by {
                        SetBy::Partner => "partner",
                        SetBy::Account => "account",
                    };
                    self.error(
                        Code::InvalidPage,
                        format!(
                            "the docs page never shows the setup value `{}` ({})",
                            field.name, field.display_name
                        ),
                        self.spans.value(&format!("/fields/{i}/name")),
                        format!(
                            "the page places its own setup values, and none of its `setup_values` blocks shows {level} values: add `- setup_values: {{ only: {level} }}` where the page should list it, or a `cyclr_setup` block"
                        ),
                    );
                }
            }
        }
    }

    /// Walks `blocks` at `base`: collects texts, anchors and values blocks, and checks what
    /// each block alone can get wrong. `nested`: the blocks sit under a list item.
    fn walk_blocks(&mut self, base: &str, blocks: &'a [Block], nested: bool, walk: &mut Walk<'a>) {
        for (b, block) in blocks.iter().enumerate() {
            let at = |key: &str| format!("{base}/{b}/{key}");
            match block {
                Block::Paragraph(text) => walk.texts.push((at("paragraph"), text)),
                Block::Note(text) => walk.texts.push((at("note"), text)),
                Block::Warning(text) => walk.texts.push((at("warning"), text)),
                Block::Heading(heading) => {
                    let pointer = match heading {
                        crate::definition::Heading::Text(_) => at("heading"),
                        crate::definition::Heading::Leveled { .. } => at("heading/text"),
                    };
                    walk.texts.push((pointer, heading.text()));
                }
                Block::Image(_) | Block::Code(_) => {}
                Block::Anchor(name) => walk.anchors.push((at("anchor"), name)),
                Block::Steps(items) => self.walk_items(&at("steps"), items, walk),
                Block::Numbers(items) => self.walk_items(&at("numbers"), items, walk),
                Block::Bullets(items) => self.walk_items(&at("bullets"), items, walk),
                Block::Table(table) => {
                    for (c, cell) in table.header.iter().enumerate() {
                        walk.texts.push((at(&format!("table/header/{c}")), cell));
                    }
                    for (r, row) in table.rows.iter().enumerate() {
                        if row.len() != table.header.len() {
                            self.error(
                                Code::InvalidPage,
                                format!(
                                    "this row has {} cell{}, but the table's header has {}",
                                    row.len(),
                                    if row.len() == 1 { "" } else { "s" },
                                    table.header.len()
                                ),
                                self.spans.value(&at(&format!("table/rows/{r}"))),
                                "give every row one cell per header cell; write an empty-looking cell as `-`",
                            );
                        }
                        for (c, cell) in row.iter().enumerate() {
                            walk.texts.push((at(&format!("table/rows/{r}/{c}")), cell));
                        }
                    }
                }
                Block::SetupValues(values) => {
                    walk.shown.push(values.only);
                    walk.values_blocks.push((at("setup_values"), values.only));
                    if let Some(intro) = &values.intro {
                        walk.texts.push((at("setup_values/intro"), intro));
                    }
                    self.values_header(
                        &at("setup_values"),
                        values.header.as_deref(),
                        values.layout,
                        walk,
                    );
                }
                Block::CyclrSetup(setup) => {
                    if !nested {
                        walk.shown.push(None);
                    } else {
                        self.error(
                            Code::InvalidPage,
                            "the Cyclr setup section cannot stand under a list item",
                            self.spans.key_or_value(&at("cyclr_setup")),
                            "move `cyclr_setup` into a card's blocks; under a step, list the values with `setup_values`",
                        );
                    }
                    if let Some(intro) = &setup.intro {
                        walk.texts.push((at("cyclr_setup/intro"), intro));
                    }
                    self.values_header(
                        &at("cyclr_setup"),
                        setup.header.as_deref(),
                        setup.layout,
                        walk,
                    );
                }
            }
        }
    }

    /// Walks the list items at `base`: their texts, and the blocks under them.
    fn walk_items(&mut self, base: &str, items: &'a [Item], walk: &mut Walk<'a>) {
        for (i, item) in items.iter().enumerate() {
            match item {
                Item::Text(text) => walk.texts.push((format!("{base}/{i}"), text)),
                Item::Full(step) => {
                    walk.texts.push((format!("{base}/{i}/text"), &step.text));
                    self.walk_blocks(&format!("{base}/{i}/blocks"), &step.blocks, true, walk);
                }
            }
        }
    }

    /// A values block's `header` at `base`: its cells are texts, and only a table has one.
    fn values_header(
        &mut self,
        base: &str,
        header: Option<&'a [String]>,
        layout: Option<ValuesLayout>,
        walk: &mut Walk<'a>,
    ) {
        let Some(header) = header else { return };
        for (c, cell) in header.iter().enumerate() {
            walk.texts.push((format!("{base}/header/{c}"), cell));
        }
        if values_layout(self.definition.docs.shape, layout) != ValuesLayout::Table {
            self.error(
                Code::InvalidPage,
                "`header` names a table's header cells, but these values are not a table",
                self.spans.key_or_value(&format!("{base}/header")),
                "add `layout: table`, or remove `header`",
            );
        }
    }

    /// Reports the markup in the text at `pointer` that the page refuses.
    fn refused(&mut self, pointer: &str, text: &str) {
        // Where each needle occurs in the text, found once per needle.
        let mut occurrences: HashMap<String, Vec<usize>> = HashMap::new();
        for (offset, refused) in refused_markup(text) {
            let needle = match &refused {
                Refused::Html(tag) | Refused::Target(tag) => tag.clone(),
            };
            // The occurrence of the needle the refusal is at, counting those in code spans.
            let nth = occurrences
                .entry(needle.clone())
                .or_insert_with(|| {
                    text.match_indices(needle.as_str())
                        .map(|(at, _)| at)
                        .collect()
                })
                .partition_point(|&at| at < offset);
            let span = self.locate(pointer, &needle, nth);
            let (message, help) = match refused {
                Refused::Html(tag) if tag.contains([':', '@']) => (
                    format!("`{tag}` is an autolink, which the docs page does not carry"),
                    "write the link as [text](https://...)".to_owned(),
                ),
                Refused::Html(tag) => (
                    format!("`{tag}` is raw HTML, which the docs page does not carry"),
                    format!("write Markdown instead (**bold**, *italics*, `code`, [text](https://...)), an `anchor` block for `<a name>`; to show the characters, put them in backticks or escape the `<` with a backslash ({ESCAPE_IN_YAML})"),
                ),
                Refused::Target(target) if target.to_ascii_lowercase().starts_with("http://") => (
                    format!("the link target `{target}` is not https"),
                    format!(
                        "link to `https://{}`; the docs site links only to https:// URLs",
                        &target["http://".len()..]
                    ),
                ),
                Refused::Target(target) if target.contains(char::is_whitespace) => (
                    format!("the link target `{target}` holds a space"),
                    "write the URL alone: link titles (`\"title\"`) are not supported, and a space in a URL is written %20".to_owned(),
                ),
                Refused::Target(target)
                    if target.contains('(')
                        && target.to_ascii_lowercase().starts_with("https://") =>
                (
                    format!("the link target `{target}` ends at its first `)`"),
                    "write the URL's parentheses as %28 and %29".to_owned(),
                ),
                Refused::Target(target) => (
                    format!("the link target `{target}` is not allowed on the docs page"),
                    "link to an https:// URL, a page of the site (`invenias-connector`) or an #anchor on the page; an image needs an https:// URL or a path such as ./images/x.png".to_owned(),
                ),
            };
            self.error(Code::RefusedMarkup, message, span, help);
        }
    }
}

/// How a backslash is written in each YAML string style, for help texts.
const ESCAPE_IN_YAML: &str = "`\\<` plain or in 'single quotes', `\\\\<` in \"double quotes\"";
