//! Ahlan's agent dashboard: a single-page leptos (CSR) app served at `/app`.
//! Agents log in, see who is waiting, take conversations, reply, and
//! resolve them, over one websocket (`/ws/agent`).
//!
//! The domain logic lives on plain structs ([`state::Inbox`], [`i18n`])
//! that are unit-tested natively with `cargo test -p ahlan-dashboard`
//! (what the widget does alike — the reconnecting socket and its backoff,
//! client ids, the message log with its gap-free rule, the typing
//! throttle, plural rules, digits — comes from the `client` crate); the
//! components only read memos of that
//! state and call [`desk::Desk`] methods. Browser-only entry points are
//! gated on `wasm32`.
//!
//! # Layout
//!
//! - [`app`] — root component; session (login or inbox) and language
//!   contexts; `<html lang dir>`.
//! - [`config`] — the page's embedded `DashboardConfig`.
//! - [`api`] — all HTTP: login, logout, `GET /api/me`.
//! - [`conn`] — the agent websocket (`client::socket`) with the session
//!   check after a close and the connection badge's state.
//! - [`state`] — the inbox as plain data; applies server frames.
//! - [`callbacks`] — the callback requests the agent may see (part of the
//!   inbox state).
//! - [`desk`] — the inbox page's glue: state signal + socket + banner +
//!   clock, and the actions components call.
//! - [`auto_away`] — an idle online agent goes away, and back at their
//!   next input.
//! - [`notify`] — page title count and browser notifications.
//! - [`fmt`] — how visitors, previews and times are written.
//! - [`route`] — which screen (inbox, history, settings pages), kept in the
//!   URL hash.
//! - [`history`] — the history screen's filters, query string and marked
//!   words.
//! - [`reports`] — the reports screen's query, figure formats and chart
//!   geometry.
//! - [`forms`] — the console's forms as plain data, and the partial updates
//!   they send.
//! - [`i18n`] — English, Arabic and Persian catalogues; locale choice.
//! - [`pages`] — `login`, `inbox` (the logged-in shell), `history` and
//!   `settings`
//!   (profile, canned responses, sites with the live preview, agents,
//!   teams).
//! - [`components`] — top bar, presence toggle, connection badge, language
//!   switch, error banner, conversation lists, conversation pane, message
//!   list, composer, avatar.

pub mod api;
pub mod app;
pub mod auto_away;
pub mod callbacks;
pub mod components;
pub mod config;
pub mod conn;
pub mod desk;
pub mod fmt;
pub mod forms;
pub mod history;
pub mod i18n;
pub mod notify;
pub mod pages;
pub mod reports;
pub mod route;
pub mod state;

/// Entry point: the page's `init()` runs this once the wasm is loaded.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    app::mount();
}
