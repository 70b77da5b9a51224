//! The docs page: its front matter and the Partner Setup blocks, with placeholders written as
//! the page shows them (`{{Name}}`). Escaping is the renderer's job.

use serde::Serialize;

use crate::definition::{Block, CodeBlock, Definition, Image, PageShape};
use crate::placeholder::Template;

/// The docs page.
#[derive(Debug, Clone, Serialize)]
pub struct DocsPage {
    /// The page title.
    pub title: String,
    /// The permalink, which also names the output file.
    pub permalink: String,
    /// The page layout.
    pub shape: PageShape,
    /// Front-matter tags.
    pub tags: Vec<String>,
    /// The Partner Setup section, with placeholders written `{{Name}}`.
    pub partner_setup: Vec<DocsBlock>,
}

/// One block of the Partner Setup section.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DocsBlock {
    /// A paragraph of inline Markdown.
    Paragraph {
        /// The text.
        text: String,
    },
    /// A `####` heading.
    Heading {
        /// The text.
        text: String,
    },
    /// A screenshot.
    Image(Image),
    /// A code block.
    Code(CodeBlock),
    /// Bulleted steps.
    Steps {
        /// The steps.
        steps: Vec<DocsStep>,
    },
}

/// One bulleted step.
#[derive(Debug, Clone, Serialize)]
pub struct DocsStep {
    /// What to do, inline Markdown with placeholders written `{{Name}}`.
    pub text: String,
    /// A code block after the text.
    pub code: Option<CodeBlock>,
    /// A screenshot after the text.
    pub image: Option<Image>,
}

/// The page of `definition`.
pub fn docs_page(definition: &Definition) -> DocsPage {
    let docs = &definition.docs;
    let text = |text: &str| {
        Template::parse(text).map_or_else(|_| text.to_owned(), |t| t.to_merge_fields())
    };
    DocsPage {
        title: docs.title.clone(),
        permalink: docs.permalink.clone(),
        shape: docs.shape,
        tags: docs
            .tags
            .clone()
            .unwrap_or_else(|| vec!["connector".to_owned()]),
        partner_setup: docs
            .partner_setup
            .iter()
            .map(|block| match block {
                Block::Paragraph(t) => DocsBlock::Paragraph { text: text(t) },
                Block::Heading(t) => DocsBlock::Heading { text: text(t) },
                Block::Image(image) => DocsBlock::Image(image.clone()),
                Block::Code(code) => DocsBlock::Code(code.clone()),
                Block::Steps(steps) => DocsBlock::Steps {
                    steps: steps
                        .iter()
                        .map(|step| DocsStep {
                            text: text(&step.text),
                            code: step.code.clone(),
                            image: step.image.clone(),
                        })
                        .collect(),
                },
            })
            .collect(),
    }
}
