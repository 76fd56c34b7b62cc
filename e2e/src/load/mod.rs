//! The load generator behind `ahlan-load` (`src/bin/ahlan-load.rs`): many
//! visitors and agents at once over real websockets, bounded in count and
//! time, against Ahlan or one of the two baselines, each run printing one
//! JSON object that `cargo xtask bench` gathers into `bench/REPORT.md`.
//!
//! # Layout
//!
//! - `wire.rs` — what travels on each target's sockets (Ahlan's frames,
//!   the relay's raw text, socket.io's Engine.IO framing) and message bodies
//! - `conn.rs` — websocket connect; process RSS and Redis memory readings
//! - `client.rs` — [`Target`]; socket handshakes; Ahlan's REST (login,
//!   adding agents)
//! - `tasks.rs` — the agent and visitor loops and the lost/duplicated count
//! - `fleet.rs` — opening many sockets, starting loops, first messages
//! - `stats.rs` — percentiles
//! - scenarios: `idle.rs`, `chat.rs`, `assign.rs`, `storm.rs`, `soak.rs`,
//!   `reports.rs`

pub mod assign;
pub mod chat;
pub mod client;
pub mod conn;
pub mod fleet;
pub mod idle;
pub mod reports;
pub mod soak;
pub mod stats;
pub mod storm;
pub mod tasks;
pub mod wire;

pub use client::Target;
pub use wire::Kind;
