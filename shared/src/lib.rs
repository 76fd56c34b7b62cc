//! The Ahlan wire protocol: every type that crosses the websocket or REST
//! boundary between the server and the browser apps (widget, dashboard).
//!
//! This crate builds for `wasm32-unknown-unknown` with serde as its only
//! dependency, so the server and both wasm clients share one definition and
//! cannot drift apart. (The server alone turns on the `openapi` feature,
//! which derives the OpenAPI schemas of the REST types with utoipa.) `docs/PROTOCOL.md` is the prose version of this crate.
//!
//! # Layout
//!
//! - [`ids`] — identifier newtypes and the client-chosen message id rules.
//! - [`protocol`] — websocket frames: visitor and agent, client and server.
//! - [`api`] — REST request and response bodies used by the dashboard.
//! - [`callback`] — callback requests: the visitor's form, the agent's view,
//!   their statuses.
//! - [`help`] — help articles: the console's draft and its checks, what
//!   the widget's search lists, the figures the console shows.
//! - [`proactive`] — proactive messages: the console's rules, the one URL
//!   rule the loader copies, what the loader and the widget are given.
//! - [`reports`] — a site's report (key figures, series, heatmap, agents).
//! - [`settings`] — a site's widget appearance (console ↔ widget).
//! - [`error`] — [`ErrorCode`], the stable error codes (the wire contract).
//! - [`locale`] — which language a visitor gets (en, ar, fa), for the widget
//!   and for the launcher the server describes to the loader.
//! - [`limits`] — sizes both sides enforce (message length, frame size).
//! - [`display`] — how both apps show the other side's text: bidi isolation
//!   of names in sentences, a message list that follows the newest message.
//! - [`markup`] — light markdown in messages: one safe parser for both apps.
#![deny(missing_docs)]

pub mod api;
pub mod callback;
pub mod canned;
pub mod display;
pub mod error;
pub mod help;
pub mod ids;
pub mod limits;
pub mod locale;
pub mod markup;
pub mod proactive;
pub mod protocol;
pub mod reports;
pub mod settings;
pub mod tag_first;

pub use error::{ErrorBody, ErrorCode};
pub use ids::{
    AgentId, ArticleId, CallbackId, CannedId, ClientId, ConversationId, Seq, SiteId, TeamId,
    VisitorId,
};
pub use protocol::*;
