//! The page's configuration: [`DashboardConfig`] as JSON in
//! `<script id="ahlan-config" type="application/json">`, written by the
//! server into `/app`.
//!
//! The agent socket's URL is always derived from the page's own location,
//! whatever the configuration says: the socket must be same-origin (the
//! session cookie belongs to the host name the page was opened at, and the
//! server checks the Origin), so a dashboard opened at `127.0.0.1:8080`
//! talks to `127.0.0.1:8080` even when the server's public URL says
//! `localhost:8080`.

use shared::api::DashboardConfig;

/// The id of the configuration element.
pub const ELEMENT_ID: &str = "ahlan-config";

/// Path of the agent socket on the dashboard's origin.
pub const AGENT_SOCKET_PATH: &str = "/ws/agent";

/// Parses the embedded JSON.
pub fn parse(json: &str) -> Result<DashboardConfig, serde_json::Error> {
    serde_json::from_str(json)
}

/// The agent socket URL for a page at `protocol` (`https:`) and `host`
/// (`example.com:8080`).
pub fn socket_url_for(protocol: &str, host: &str) -> String {
    let scheme = if protocol == "https:" { "wss" } else { "ws" };
    format!("{scheme}://{host}{AGENT_SOCKET_PATH}")
}

/// The server's default for `--auto-away-secs`.
const DEFAULT_AUTO_AWAY_SECS: u64 = 600;

/// Reads the configuration from the page; the socket URL is this page's.
pub fn load() -> DashboardConfig {
    let document = leptos::prelude::document();
    let embedded = document
        .get_element_by_id(ELEMENT_ID)
        .and_then(|el| el.text_content())
        .map(|json| parse(&json));
    if let Some(Err(e)) = &embedded {
        leptos::logging::warn!("ahlan: unreadable #{ELEMENT_ID}: {e}");
    }
    let location = leptos::prelude::location();
    DashboardConfig {
        ws_url: socket_url_for(
            &location.protocol().unwrap_or_default(),
            &location.host().unwrap_or_default(),
        ),
        // The server's setting; without one, its default.
        auto_away_secs: embedded
            .and_then(Result::ok)
            .map_or(DEFAULT_AUTO_AWAY_SECS, |c| c.auto_away_secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_embedded_json() {
        let c = parse(r#"{"ws_url":"wss://chat.example/ws/agent"}"#).unwrap();
        assert_eq!(c.ws_url, "wss://chat.example/ws/agent");
        assert_eq!(c.auto_away_secs, 0, "absent: the server has none to say");
        let c = parse(r#"{"ws_url":"wss://x/ws/agent","auto_away_secs":120}"#).unwrap();
        assert_eq!(c.auto_away_secs, 120);
        assert!(parse("{}").is_err());
    }

    #[test]
    fn socket_url_follows_the_page_scheme() {
        assert_eq!(
            socket_url_for("https:", "chat.example"),
            "wss://chat.example/ws/agent"
        );
        assert_eq!(
            socket_url_for("http:", "localhost:8080"),
            "ws://localhost:8080/ws/agent"
        );
    }
}
