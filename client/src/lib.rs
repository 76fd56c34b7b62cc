//! The client logic the visitor widget and the agent dashboard share, so
//! they cannot drift apart: plain code with the clock and the randomness
//! passed in, unit-tested on native; and the browser glue both apps use
//! (the reconnecting socket, random client ids), which compiles anywhere
//! but runs in a browser only.
//!
//! # Layout
//!
//! - [`backoff`] — reconnect delays: exponential, capped, with jitter.
//! - [`socket`] — the reconnecting websocket, generic over its frames:
//!   [`socket::Reconnect`] (plain) and [`socket::Socket`] (browser).
//! - [`id`] — client ids (the idempotency key of every send).
//! - [`log`] — the messages held of a conversation: each once, the
//!   gap-free prefix, the latest of a side at or before a mark.
//! - [`outbox`] — sends not yet acknowledged: each client id once, oldest
//!   first, all but the refused sent again after a reconnect.
//! - [`typing`] — when to send `typing` frames (timings in
//!   `shared::limits`).
//! - [`locale`] — the languages both apps speak: negotiation, direction,
//!   digits, plural forms, named placeholders, and the [`locale::Catalog`]
//!   each app's string table implements.
//! - [`plural`] — CLDR plural categories for the languages we speak,
//!   Arabic's six included ("1 unread message", not "1 unread messages").
//! - [`digits`] — writing numbers in a language's own digits.
#![deny(missing_docs)]

pub mod backoff;
pub mod digits;
pub mod id;
pub mod locale;
pub mod log;
pub mod outbox;
pub mod plural;
pub mod socket;
pub mod typing;
