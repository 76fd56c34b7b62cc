//! REST bodies (JSON) used by the dashboard. Errors are [`crate::ErrorBody`].

use crate::protocol::{AgentProfile, Presence};
use serde::{Deserialize, Serialize};

/// `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    /// Login email (case-insensitive).
    pub email: String,
    /// Password.
    pub password: String,
}

/// `GET /api/me` and the answer to a successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// The agent.
    pub agent: AgentProfile,
    /// Their presence now.
    pub presence: Presence,
}

/// `POST /api/agents` (admins only): a new agent account. The answer is
/// the new agent's [`AgentProfile`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAgent {
    /// Login email (stored lower-cased; must be unused).
    pub email: String,
    /// Display name, 1–100 characters after trimming.
    pub name: String,
    /// Password, at least 8 characters.
    pub password: String,
    /// Maximum concurrent conversations, 1–100 [default: 5].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
}

/// Which conversations `GET /api/conversations?view=…` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InboxView {
    /// Waiting in the queue, oldest first (queue order).
    Waiting,
    /// Assigned to me and not resolved, most recent activity first.
    Mine,
    /// Resolved ones I handled, most recent first.
    Resolved,
}

/// Configuration the server embeds in the widget's iframe page, as JSON in
/// `<script id="ahlan-config" type="application/json">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetConfig {
    /// The site's public key.
    pub site: String,
    /// The site's display name (panel header).
    pub site_name: String,
    /// Origin of the host page, checked against the site's allowed origins
    /// by the server; the only origin the widget talks to by `postMessage`.
    pub host_origin: String,
    /// Absolute websocket URL of the visitor socket.
    pub ws_url: String,
    /// A language the site forces (`en`, `ar`, `fa`); `None` follows the
    /// visitor's browser.
    pub locale: Option<String>,
}

/// Configuration the server embeds in the dashboard page (same mechanism).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardConfig {
    /// Absolute websocket URL of the agent socket.
    pub ws_url: String,
}
