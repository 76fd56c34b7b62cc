//! A message body as light markdown, in both apps. [`shared::markup`]
//! parses the text into an AST that can only hold its allowed elements
//! (its property tests prove the HTML of any input stays inside them);
//! this maps the AST to leptos elements one for one. Text is always a text
//! node, never markup, and a link gets an element only for an allowed
//! scheme, opening in a new tab without the opener or a referrer.

use leptos::prelude::*;
use shared::markup::{is_allowed_href, parse, Block, Inline};

/// The elements of `text`: paragraphs and lists, each with `dir="auto"`
/// (a message mixing Persian and English lines reads each its own way).
pub fn body(text: &str) -> impl IntoView {
    parse(text).into_iter().map(block).collect_view()
}

fn block(block: Block) -> AnyView {
    match block {
        Block::Paragraph(inlines) => view! { <p dir="auto">{inlines_view(inlines)}</p> }.into_any(),
        Block::List { ordered, items } => {
            let items = items
                .into_iter()
                .map(|item| view! { <li dir="auto">{inlines_view(item)}</li> })
                .collect_view();
            if ordered {
                view! { <ol>{items}</ol> }.into_any()
            } else {
                view! { <ul>{items}</ul> }.into_any()
            }
        }
    }
}

fn inlines_view(inlines: Vec<Inline>) -> AnyView {
    inlines.into_iter().map(inline).collect_view().into_any()
}

fn inline(inline: Inline) -> AnyView {
    match inline {
        Inline::Text(text) => text.into_any(),
        Inline::Strong(inner) => view! { <strong>{inlines_view(inner)}</strong> }.into_any(),
        Inline::Em(inner) => view! { <em>{inlines_view(inner)}</em> }.into_any(),
        Inline::Code(text) => view! { <code dir="ltr">{text}</code> }.into_any(),
        // The parser only links allowed schemes; checked again here, as the
        // AST is public.
        Inline::Link { href, text } if is_allowed_href(&href) => view! {
            <a href=href rel="noopener noreferrer nofollow" target="_blank">
                {text}
            </a>
        }
        .into_any(),
        Inline::Link { text, .. } => text.into_any(),
        Inline::Break => view! { <br /> }.into_any(),
    }
}
