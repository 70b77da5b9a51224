//! The docs page: its front matter and its cards, each a sequence of blocks, with
//! placeholders written as the page shows them (`{{Name}}`). Escaping and layout are the
//! template's job; which blocks the page has, where the standard Cyclr setup goes and which
//! setup values each block shows are decided here.

use serde::Serialize;

use crate::definition::{
    Block, CodeBlock, CyclrSetup, Definition, FrontMatterValue, Image, Item, PageShape, SetBy,
    SetupValues, ValuesLayout,
};
use crate::model::FieldModel;
use crate::placeholder::Template;

/// The docs page.
#[derive(Debug, Clone, Serialize)]
pub struct DocsPage {
    /// The page title.
    pub title: String,
    /// The permalink, which also names the output file.
    pub permalink: String,
    /// Front-matter tags.
    pub tags: Vec<String>,
    /// Front-matter keys after the four every page has, in alphabetical order.
    pub front_matter: Vec<FrontMatterEntry>,
    /// The cards (`<section class="card">`), in order.
    pub cards: Vec<DocsCard>,
}

/// One extra front-matter key.
#[derive(Debug, Clone, Serialize)]
pub struct FrontMatterEntry {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: FrontMatterValue,
}

/// One card of the page.
#[derive(Debug, Clone, Serialize)]
pub struct DocsCard {
    /// Its blocks, in order.
    pub blocks: Vec<DocsBlock>,
}

/// One block of a card or of a list item.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocsBlock {
    /// The heading of a one-card page (`partner_setup`), worded by the page's shape.
    SetupHeading {
        /// The page's shape.
        shape: PageShape,
    },
    /// A heading of inline Markdown.
    Heading {
        /// 1 to 6.
        level: u8,
        /// The text.
        text: String,
    },
    /// A paragraph of inline Markdown.
    Paragraph {
        /// The text.
        text: String,
    },
    /// A `> **Note**:` or `> **Warning**:` block.
    Note {
        /// Which.
        label: NoteLabel,
        /// The text.
        text: String,
    },
    /// A screenshot.
    Image(Image),
    /// A code block.
    Code(CodeBlock),
    /// An HTML anchor.
    Anchor {
        /// Its name.
        name: String,
    },
    /// A numbered or bulleted list.
    List {
        /// Numbered.
        ordered: bool,
        /// Written without blank lines between its items (each item's text is not a
        /// paragraph), as the site writes a list when nothing sits under any of its items.
        tight: bool,
        /// Followed by kramdown's end-of-block marker `^`: the next block is a list (or
        /// values as a list), which kramdown would join to this one.
        ended: bool,
        /// The items.
        items: Vec<DocsItem>,
    },
    /// A table of inline Markdown cells.
    Table {
        /// The header cells.
        header: Vec<String>,
        /// The rows.
        rows: Vec<Vec<String>>,
    },
    /// Setup values.
    Values(ValuesBlock),
    /// The site's standard Cyclr setup section.
    CyclrSetup(CyclrSetupBlock),
}

/// The two kinds of note block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NoteLabel {
    /// `> **Note**:`.
    Note,
    /// `> **Warning**:`.
    Warning,
}

/// One list item.
#[derive(Debug, Clone, Serialize)]
pub struct DocsItem {
    /// Its text, inline Markdown.
    pub text: String,
    /// The blocks under it.
    pub blocks: Vec<DocsBlock>,
}

/// Setup values shown together.
#[derive(Debug, Clone, Serialize)]
pub struct ValuesBlock {
    /// How they are laid out.
    pub layout: ValuesLayout,
    /// A paragraph before them.
    pub intro: Option<String>,
    /// The table's header cells (inline Markdown).
    pub header: [String; 2],
    /// The values, as indexes into the connector's fields.
    pub fields: Vec<usize>,
}

/// The standard Cyclr setup section.
#[derive(Debug, Clone, Serialize)]
pub struct CyclrSetupBlock {
    /// Its wording.
    pub shape: PageShape,
    /// The sentence before the steps, instead of the standard one.
    pub intro: Option<String>,
    /// How the values are laid out.
    pub layout: ValuesLayout,
    /// The values table's header cells (inline Markdown).
    pub header: [String; 2],
    /// The values entered in the Connector Library, as indexes into the connector's fields.
    pub library: Vec<usize>,
    /// The values Cyclr asks each account for at install as the connector's auth value.
    pub at_install: Vec<usize>,
}

/// The page of `definition`, whose setup fields are `fields`.
pub fn docs_page(definition: &Definition, fields: &[FieldModel]) -> DocsPage {
    let docs = &definition.docs;
    let page = PageBuilder {
        shape: docs.shape,
        fields,
    };
    let mut cards: Vec<DocsCard> = match (&docs.cards, &docs.partner_setup) {
        (Some(cards), _) => cards
            .iter()
            .map(|card| DocsCard {
                blocks: page.blocks(&card.blocks),
            })
            .collect(),
        (None, partner_setup) => {
            let mut blocks = vec![DocsBlock::SetupHeading { shape: docs.shape }];
            blocks.extend(page.blocks(partner_setup.as_deref().unwrap_or_default()));
            vec![DocsCard { blocks }]
        }
    };
    if !cards.iter().any(|card| shows_values(&card.blocks)) {
        let setup = DocsBlock::CyclrSetup(page.cyclr_setup(&CyclrSetup::default()));
        match (docs.shape, cards.last_mut()) {
            (PageShape::Classic, Some(last)) => last.blocks.push(setup),
            _ => cards.push(DocsCard {
                blocks: vec![setup],
            }),
        }
    }
    DocsPage {
        title: docs.title.clone(),
        permalink: docs.permalink.clone(),
        tags: docs
            .tags
            .clone()
            .unwrap_or_else(|| vec!["connector".to_owned()]),
        front_matter: docs
            .front_matter
            .iter()
            .map(|(key, value)| FrontMatterEntry {
                key: key.clone(),
                value: value.clone(),
            })
            .collect(),
        cards,
    }
}

/// Whether `blocks` (or a list item under them) show setup values.
fn shows_values(blocks: &[DocsBlock]) -> bool {
    blocks.iter().any(|block| match block {
        DocsBlock::Values(_) | DocsBlock::CyclrSetup(_) => true,
        DocsBlock::List { items, .. } => items.iter().any(|item| shows_values(&item.blocks)),
        _ => false,
    })
}

/// How values are laid out on a page of `shape` when the author `chose` this or nothing: a
/// table on a modern page, lines on a classic one.
pub fn values_layout(shape: PageShape, chose: Option<ValuesLayout>) -> ValuesLayout {
    chose.unwrap_or(match shape {
        PageShape::Classic => ValuesLayout::Lines,
        PageShape::Modern => ValuesLayout::Table,
    })
}

/// Whether a setup-values block with `only` shows a value set by `set_by`.
pub fn shows(only: Option<SetBy>, set_by: SetBy) -> bool {
    only.is_none_or(|only| only == set_by)
}

/// The indexes of the fields that a setup-values block with `only` shows.
fn shown_fields(fields: &[FieldModel], only: Option<SetBy>) -> Vec<usize> {
    fields
        .iter()
        .enumerate()
        .filter(|(_, field)| shows(only, field.set_by()))
        .map(|(i, _)| i)
        .collect()
}

/// What the page's blocks need to know.
struct PageBuilder<'a> {
    shape: PageShape,
    fields: &'a [FieldModel],
}

impl PageBuilder<'_> {
    /// The values layout unless the author chose one: a table on a modern page, lines on a
    /// classic one.
    fn layout(&self, chosen: Option<ValuesLayout>) -> ValuesLayout {
        values_layout(self.shape, chosen)
    }

    fn cyclr_setup(&self, setup: &CyclrSetup) -> CyclrSetupBlock {
        let (at_install, library): (Vec<usize>, Vec<usize>) =
            (0..self.fields.len()).partition(|&i| self.fields[i].asked_at_install);
        CyclrSetupBlock {
            shape: self.shape,
            intro: setup.intro.as_deref().map(text),
            layout: self.layout(setup.layout),
            header: header(setup.header.as_deref()),
            library,
            at_install,
        }
    }

    fn values(&self, values: &SetupValues) -> ValuesBlock {
        ValuesBlock {
            layout: self.layout(values.layout),
            intro: values.intro.as_deref().map(text),
            header: header(values.header.as_deref()),
            fields: shown_fields(self.fields, values.only),
        }
    }

    fn blocks(&self, blocks: &[Block]) -> Vec<DocsBlock> {
        let mut blocks: Vec<DocsBlock> = blocks.iter().map(|block| self.block(block)).collect();
        for i in 1..blocks.len() {
            let joins = match &blocks[i] {
                DocsBlock::List { .. } => true,
                DocsBlock::Values(values) => {
                    values.layout == ValuesLayout::List && values.intro.is_none()
                }
                _ => false,
            };
            if let DocsBlock::List { ended, .. } = &mut blocks[i - 1] {
                *ended = joins;
            }
        }
        blocks
    }

    fn block(&self, block: &Block) -> DocsBlock {
        let list = |ordered: bool, items: &[Item]| {
            let items: Vec<DocsItem> = items.iter().map(|item| self.item(item)).collect();
            DocsBlock::List {
                ordered,
                tight: items.iter().all(|item| item.blocks.is_empty()),
                ended: false,
                items,
            }
        };
        match block {
            Block::Paragraph(t) => DocsBlock::Paragraph { text: text(t) },
            Block::Heading(heading) => DocsBlock::Heading {
                level: heading.level(),
                text: text(heading.text()),
            },
            Block::Note(t) => DocsBlock::Note {
                label: NoteLabel::Note,
                text: text(t),
            },
            Block::Warning(t) => DocsBlock::Note {
                label: NoteLabel::Warning,
                text: text(t),
            },
            Block::Image(image) => DocsBlock::Image(image.clone()),
            Block::Code(code) => DocsBlock::Code(code.clone()),
            Block::Anchor(name) => DocsBlock::Anchor { name: name.clone() },
            Block::Steps(items) => list(self.shape == PageShape::Modern, items),
            Block::Numbers(items) => list(true, items),
            Block::Bullets(items) => list(false, items),
            Block::Table(table) => DocsBlock::Table {
                header: table.header.iter().map(|cell| text(cell)).collect(),
                rows: table
                    .rows
                    .iter()
                    .map(|row| row.iter().map(|cell| text(cell)).collect())
                    .collect(),
            },
            Block::SetupValues(values) => DocsBlock::Values(self.values(values)),
            Block::CyclrSetup(setup) => DocsBlock::CyclrSetup(self.cyclr_setup(setup)),
        }
    }

    fn item(&self, item: &Item) -> DocsItem {
        let mut blocks = Vec::new();
        if let Item::Full(step) = item {
            blocks.extend(step.code.clone().map(DocsBlock::Code));
            blocks.extend(step.image.clone().map(DocsBlock::Image));
            blocks.extend(self.blocks(&step.blocks));
        }
        DocsItem {
            text: text(item.text()),
            blocks,
        }
    }
}

/// A values table's header: the author's two cells, or the site's `Value` and `Description`.
fn header(cells: Option<&[String]>) -> [String; 2] {
    match cells {
        Some([value, description]) => [text(value), text(description)],
        _ => ["Value".to_owned(), "Description".to_owned()],
    }
}

/// Authored text with its placeholders written as the page shows them (`{{Name}}`).
fn text(text: &str) -> String {
    Template::parse(text).map_or_else(|_| text.to_owned(), |t| t.to_merge_fields())
}
