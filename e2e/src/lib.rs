//! Browser end-to-end tests of Ahlan: the real `ahlan` binary, a host page
//! on another origin, and headless Chromium driven through chromedriver by
//! fantoccini. The tests live in `tests/browser/` (one binary); this library
//! is their harness.
//!
//! Everything binds port 0 and every wait polls a condition against a
//! deadline, so tests never collide on ports or depend on fixed sleeps.
//! Run them with `cargo xtask test`, which builds the server and the assets
//! and sets the environment below.
//!
//! | variable | what | default |
//! |---|---|---|
//! | `AHLAN_BIN` | the `ahlan` binary | none: required |
//! | `AHLAN_ASSETS_DIR` | built assets | `<workspace>/target/ahlan-assets` |
//! | `AHLAN_CHROMEDRIVER` | chromedriver | `chromedriver` on `PATH` |
//! | `AHLAN_CHROMIUM` | the browser binary | `/usr/lib/chromium/chromium`, then `/usr/bin/chromium` |
//! | `AHLAN_ARTIFACTS` | screenshots and server logs | `<workspace>/target/e2e-artifacts` |
//!
//! # Layout
//!
//! - `ahlan.rs` — [`Ahlan`]: the server process, started on a free port and
//!   read from its start-up lines
//! - `mini_http.rs` — [`MiniServer`]: a tiny HTTP server for host pages and
//!   for a stand-in Ahlan origin that is down
//! - `browser.rs` — [`Chromedriver`] and [`Browser`] sessions (language,
//!   fresh profile), closing and failure screenshots
//! - `stage.rs` — [`Stage`]: server + chromedriver + host page, the usual start
//! - `wait.rs` — [`poll`]: retry a check until it holds or a deadline passes
//! - `fixtures/` — what tests do, split as `find` (locate), `action` (act)
//!   and `check` (assert); the hostile host pages (`fixtures/hostile/`)
//! - `sockets.rs` — [`AgentSocket`] and [`VisitorSocket`]: the other side
//!   of a chat over the protocol, without a browser
//! - `paths.rs` — the environment above, resolved
//! - `load/` — the load generator behind the `ahlan-load` binary (its own
//!   overview in `load/mod.rs`); `bin/bench-relay.rs` is the bare-websocket
//!   baseline it is compared with

pub mod ahlan;
pub mod browser;
pub mod fixtures;
pub mod load;
pub mod mini_http;
pub mod paths;
pub mod sockets;
pub mod stage;
pub mod wait;

pub use ahlan::{Ahlan, Deployment};
pub use browser::{finish, Browser, Chromedriver};
pub use mini_http::{MiniServer, Reply, Request};
pub use sockets::{AgentSocket, VisitorSocket};
pub use stage::Stage;
pub use wait::{poll, TIMEOUT};

/// `len` random hex digits for passwords, site keys and profile names.
///
/// Std's `RandomState` is randomly seeded per thread and moves on with every
/// instance, which is all test credentials on loopback need; it spares a
/// dependency on `rand`.
pub fn random_hex(len: usize) -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::with_capacity(len + 16);
    while out.len() < len {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u32(std::process::id());
        out.push_str(&format!("{:016x}", hasher.finish()));
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_hex_has_the_length_asked_and_varies() {
        let a = super::random_hex(24);
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, super::random_hex(24));
    }
}
