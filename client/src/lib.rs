//! The client logic the visitor widget and the agent dashboard share, so
//! they cannot drift apart: plain code with the clock and the randomness
//! passed in, no browser API, unit-tested on native (the apps add the
//! browser: sockets, timers, storage).
//!
//! # Layout
//!
//! - [`backoff`] — reconnect delays: exponential, capped, with jitter.
//! - [`typing`] — when to send `typing` frames (timings in
//!   `shared::limits`).
//! - [`plural`] — CLDR plural categories for the languages we speak,
//!   Arabic's six included ("1 unread message", not "1 unread messages").
//! - [`digits`] — writing numbers in a language's own digits.
#![deny(missing_docs)]

pub mod backoff;
pub mod digits;
pub mod plural;
pub mod typing;
