//! Browser end-to-end tests, all in one binary so the harness compiles once
//! (the shape of meilisearch's `tests/integration.rs`): one module per
//! feature. Run with `cargo xtask test`, which builds the server and the
//! assets first and passes their paths (see the `ahlan_e2e` crate docs).

mod a11y;
mod alerts;
mod callbacks;
mod canned;
mod chat;
mod collision;
mod console;
mod dist;
mod harness;
mod help;
mod history;
mod hostile;
mod identity;
mod lazy;
mod loader;
mod markup;
mod multinode;
mod notes;
mod offline;
mod phone;
mod phone_forms;
mod prechat;
mod presence;
mod privacy;
mod proactive;
mod receipts;
mod reply_time;
mod reports;
mod routing;
mod routing_team;
mod rtl;
mod session;
mod sneak_peek;
mod survey;
mod transcript_mail;
mod xss;
