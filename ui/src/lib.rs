//! Leptos pieces both browser apps — the visitor widget and the agent
//! dashboard — show the same way, so they cannot drift apart.
//!
//! # Layout
//!
//! - [`markup`] — a message body as DOM: the safe light-markdown AST of
//!   [`shared::markup`] (bold, italic, code, lists, links) mapped to
//!   elements, nothing else.
//! - [`emoji`] — the composers' small emoji picker (no emoji database).
#![deny(missing_docs)]

pub mod emoji;
pub mod markup;
