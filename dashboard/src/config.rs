//! The page's configuration: [`DashboardConfig`] as JSON in
//! `<script id="ahlan-config" type="application/json">`, written by the
//! server into `/app`.
//!
//! If the element is missing or unreadable (the page was saved, or served
//! by something else) the socket URL is derived from the page's own
//! location: the agent socket is always same-origin, because the session
//! cookie and the server's Origin check require it.

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

/// Reads the configuration from the page.
pub fn load() -> DashboardConfig {
    let document = leptos::prelude::document();
    let embedded = document
        .get_element_by_id(ELEMENT_ID)
        .and_then(|el| el.text_content())
        .map(|json| parse(&json));
    match embedded {
        Some(Ok(config)) => config,
        other => {
            if let Some(Err(e)) = other {
                leptos::logging::warn!("ahlan: unreadable #{ELEMENT_ID}: {e}");
            }
            let location = leptos::prelude::location();
            DashboardConfig {
                ws_url: socket_url_for(
                    &location.protocol().unwrap_or_default(),
                    &location.host().unwrap_or_default(),
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_embedded_json() {
        let c = parse(r#"{"ws_url":"wss://chat.example/ws/agent"}"#).unwrap();
        assert_eq!(c.ws_url, "wss://chat.example/ws/agent");
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
