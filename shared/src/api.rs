//! REST bodies (JSON) used by the dashboard. Errors are [`crate::ErrorBody`].
//!
//! Updates (`…Update`) are partial: a field left out is not changed, so two
//! admins editing different fields of the same record both keep their
//! change (the last write wins field by field). In updates, an empty string
//! clears an optional text.

use crate::ids::{AgentId, CannedId, SiteId, TeamId};
use crate::protocol::{
    AgentProfile, ChatMessage, ConversationSummary, Millis, Note, Presence, Role, VisitorInfo,
};
use crate::settings::{Appearance, Avatar, BusinessHours, LauncherPosition, PrechatForm};
use serde::{Deserialize, Serialize};

/// `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// Login email (case-insensitive).
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub email: String,
    /// Password.
    pub password: String,
}

/// `GET /api/me` and the answer to a successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    /// The agent.
    pub agent: AgentProfile,
    /// Their presence now.
    pub presence: Presence,
    /// Replies to visitors who left a message are mailed to them (the
    /// server has `--smtp-url`); otherwise they read them only when they
    /// come back.
    #[serde(default)]
    pub mails_replies: bool,
}

/// `POST /api/agents` (admins only): a new agent account. The answer is
/// the new agent's [`AgentProfile`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAgent {
    /// Login email (stored lower-cased; must be unused).
    #[cfg_attr(feature = "openapi", schema(format = Email, min_length = 3, max_length = 254))]
    pub email: String,
    /// Display name, 1–100 characters after trimming.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// Password, at least 8 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 1024))]
    pub password: String,
    /// Maximum concurrent conversations, 1–100 [default: 5].
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// [default: `agent`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Languages they answer in [default: none].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Teams [default: none].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<TeamId>,
    /// Sites [default: none; admins see every site anyway].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<SiteId>,
}

/// `PATCH /api/agents/{id}` (admins only): what to change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentUpdate {
    /// New display name.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New login email (must be unused).
    #[cfg_attr(feature = "openapi", schema(format = Email, min_length = 3, max_length = 254))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// New capacity, 1–100.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// New role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The languages, replacing the old list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// The teams, replacing the old list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub teams: Option<Vec<TeamId>>,
    /// The sites, replacing the old list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sites: Option<Vec<SiteId>>,
    /// Disable (signs them out everywhere and puts their chats back in the
    /// queue) or enable again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// A new password (signs them out everywhere).
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 1024))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

/// `PATCH /api/me`: what every agent may change of their own account.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    /// New display name.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The languages, replacing the old list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub languages: Option<Vec<String>>,
    /// A new password; needs `current_password`. Other sessions end.
    #[cfg_attr(feature = "openapi", schema(min_length = 8, max_length = 1024))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The password now, to change it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
}

/// A site as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteInfo {
    /// Id.
    pub id: SiteId,
    /// The public key the snippet carries (`pk_…`).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Origins allowed to embed the widget.
    pub allowed_origins: Vec<String>,
    /// The widget's look.
    pub appearance: Appearance,
    /// The team its conversations are routed to first (`None`: any agent
    /// of the site).
    #[serde(default)]
    pub team: Option<TeamId>,
    /// Agents see what visitors type before they send it; the widget
    /// tells visitors so.
    #[serde(default)]
    pub typing_preview: bool,
    /// The satisfaction survey also asks the Net Promoter question (0–10).
    #[serde(default)]
    pub survey_nps: bool,
    /// Days a resolved conversation is kept after its last message; then
    /// it is erased with its visitor (`None`: kept until erased by hand).
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// The time zone reports and business hours read its days in (IANA
    /// name, e.g. `Asia/Tehran`; `None`: UTC).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// When the team takes live chats (`None`: always); outside them the
    /// widget offers to leave a message.
    #[serde(default)]
    pub hours: Option<BusinessHours>,
    /// Also offline whenever none of its agents is online.
    #[serde(default)]
    pub offline_when_away: bool,
    /// Callbacks offered (`None`: not offered): while the site is offline,
    /// and to a waiting visitor once their estimated wait (or, with no
    /// estimate, their wait so far) reaches this many minutes — `0`:
    /// to everyone who waits.
    #[serde(default)]
    pub callback_after_mins: Option<u32>,
    /// Proactive messages: the rules by which the loader greets visitors.
    #[serde(default)]
    pub proactive: Vec<crate::proactive::ProactiveRule>,
    /// The questions the widget asks before the first message (`None`:
    /// none).
    #[serde(default)]
    pub prechat: Option<PrechatForm>,
    /// Only identities signed with the site's secret are accepted
    /// (`GET /api/sites/{id}/identity` shows the secret to admins).
    #[serde(default)]
    pub identity_required: bool,
    /// The `<script>` tags to paste before `</body>`: the API stub, then
    /// the loader.
    pub snippet: String,
}

/// A site's identity verification (admins only): the secret its server
/// signs user ids with, HMAC-SHA256 as hex (docs/SDK.md), and whether
/// only signed identities are accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IdentitySettings {
    /// The secret (64 hex digits). Keep it on the site's server.
    pub secret: String,
    /// Unsigned identities are refused.
    pub required: bool,
}

/// `POST /api/sites` (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSite {
    /// Display name, 1–100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
    /// Origins allowed to embed the widget: `scheme://host[:port]`,
    /// `https://*.example.com`, `http://localhost:*`.
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// The widget's look [default: the default look].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appearance: Option<Appearance>,
}

/// `PATCH /api/sites/{id}` (admins only): what to change.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteUpdate {
    /// New display name.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The allowed origins, replacing the old list.
    #[cfg_attr(feature = "openapi", schema(max_items = 50))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_origins: Option<Vec<String>>,
    /// Accent colour `#rrggbb`.
    #[cfg_attr(feature = "openapi", schema(pattern = "^#[0-9a-fA-F]{6}$"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_color: Option<String>,
    /// Launcher side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<LauncherPosition>,
    /// Header title (`""`: the site's name).
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Greeting (`""`: the widget's own).
    #[cfg_attr(feature = "openapi", schema(max_length = 300))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub greeting: Option<String>,
    /// Header picture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<Avatar>,
    /// Widget language (`""`: follow the visitor's browser).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// The team new conversations are routed to first (`""`: any agent of
    /// the site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Typing preview on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typing_preview: Option<bool>,
    /// The survey's Net Promoter question on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey_nps: Option<bool>,
    /// Retention in days, 1–3650 (`0`: keep resolved conversations until
    /// erased by hand).
    #[cfg_attr(feature = "openapi", schema(maximum = 3650))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<u32>,
    /// Time zone for reports, an IANA name (`""`: UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// How soon the team usually replies: `minutes`, `hours` or `day`
    /// (`""`: say nothing about it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_time: Option<String>,
    /// Business hours (`null`: always open; absent: unchanged). Seven
    /// days, each `{opens, closes}` in minutes after midnight or `null`;
    /// holidays as `YYYY-MM-DD`, at most 366.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BusinessHours>))]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub hours: Option<Option<BusinessHours>>,
    /// Offline (leave a message) whenever nobody of the site is online.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offline_when_away: Option<bool>,
    /// The pre-chat form (`null` or no fields: none; absent: unchanged).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<PrechatForm>))]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub prechat: Option<Option<PrechatForm>>,
    /// Accept only signed identities, or not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_required: Option<bool>,
    /// Offer callbacks from this many minutes of estimated wait, 0–240
    /// (`0`: to everyone who waits; `null`: no callbacks; absent:
    /// unchanged).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, maximum = 240))]
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub callback_after_mins: Option<Option<u32>>,
    /// The proactive rules, all of them (at most
    /// [`crate::proactive::MAX_RULES`]; a rule without an id is new; `[]`:
    /// none; absent: unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive: Option<Vec<crate::proactive::ProactiveRule>>,
}

/// A field that may be absent (unchanged: `None`), `null` (cleared:
/// `Some(None)`) or set.
fn present<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: serde::Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Someone a conversation could be transferred to
/// (`GET /api/conversations/{id}/colleagues`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Colleague {
    /// Agent id.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// Their role (escalations go to supervisors and admins).
    pub role: Role,
    /// Online, away or offline now.
    pub presence: Presence,
    /// Open conversations now.
    pub load: u32,
    /// Most open conversations.
    pub capacity: u32,
    /// Languages they answer in.
    pub languages: Vec<String>,
    /// Teams they belong to.
    pub teams: Vec<TeamId>,
    /// Whether a transfer to them would be taken now: online or away, with
    /// room, and not holding it already.
    pub available: bool,
}

/// A page a visitor viewed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageView {
    /// Its URL.
    pub url: String,
    /// Its title, if it had one.
    #[serde(default)]
    pub title: Option<String>,
    /// When the visitor opened it.
    pub at: Millis,
}

/// Everything Ahlan stores about one visitor
/// (`GET /api/visitors/{id}/export`, admins only): what a privacy request
/// for access is answered with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorExport {
    /// When this export was made.
    pub exported_at: Millis,
    /// The site they chatted on.
    pub site: SiteId,
    /// The visitor: id, browser language, page origin.
    pub visitor: VisitorInfo,
    /// What their widget reported, if anything.
    pub activity: Option<VisitorActivity>,
    /// Their conversation, if they wrote.
    pub conversation: Option<ConversationSummary>,
    /// Every message of it, theirs and the agents', in order.
    pub messages: Vec<ChatMessage>,
    /// The agents' internal notes about it.
    pub notes: Vec<Note>,
    /// Their callback requests, latest first.
    #[serde(default)]
    pub callbacks: Vec<crate::callback::Callback>,
}

/// A visitor's comings and goings as the server stores them (part of
/// [`VisitorExport`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorActivity {
    /// First page view.
    pub first_seen: Millis,
    /// Latest page view.
    pub last_seen: Millis,
    /// Visits (page views more than 30 minutes apart start a new one).
    pub visits: u32,
    /// Their browser's User-Agent, as sent.
    pub user_agent: Option<String>,
    /// Their time zone.
    pub time_zone: Option<String>,
    /// Where their latest visit came from.
    pub referrer: Option<String>,
    /// The latest pages they viewed, newest first.
    pub pages: Vec<PageView>,
}

/// Who the visitor of a conversation is and what they did
/// (`GET /api/conversations/{id}/context`): the agent's context panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorContext {
    /// The visitor.
    pub visitor: VisitorInfo,
    /// When they were first seen (their first page view, or their first
    /// message).
    #[serde(default)]
    pub first_seen: Option<Millis>,
    /// When they were last seen.
    #[serde(default)]
    pub last_seen: Option<Millis>,
    /// Visits: page views more than 30 minutes apart start a new one.
    pub visits: u32,
    /// Browser and version (`Chrome 131.0.0.0`), from the User-Agent.
    #[serde(default)]
    pub browser: Option<String>,
    /// Operating system (`Windows 10`, `iPhone`).
    #[serde(default)]
    pub os: Option<String>,
    /// `pc`, `smartphone`, `mobilephone`, `appliance`, `crawler` or `misc`.
    #[serde(default)]
    pub device: Option<String>,
    /// IANA time zone the widget reported (`Asia/Tehran`).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Where the current visit came from.
    #[serde(default)]
    pub referrer: Option<String>,
    /// Pages viewed, newest first (the current page first), at most 50.
    pub pages: Vec<PageView>,
    /// The visitor's other conversations, newest first.
    pub past_conversations: Vec<ConversationSummary>,
    /// The site's labels for the visitor's answers (`visitor.attributes`)
    /// by key, then by language, from its pre-chat form as it is now.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub answer_labels:
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// A team of agents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    /// Id.
    pub id: TeamId,
    /// Name, 1–100 characters.
    pub name: String,
}

/// `POST /api/teams` and `PATCH /api/teams/{id}` (admins only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamName {
    /// Name, 1–100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub name: String,
}

/// Who may use a canned response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CannedScope {
    /// Every agent, on every site (admins manage these).
    Global,
    /// The agents of one site (its admins and supervisors manage these).
    Site {
        /// The site.
        site: SiteId,
    },
    /// Only the agent who wrote it.
    Personal,
}

/// A canned response: a saved reply an agent inserts by typing `/` and its
/// shortcut in the composer. Its text may hold `{visitor.name}`,
/// `{agent.name}` and `{site.name}`, each with an optional fallback
/// (`{visitor.name|there}`): see [`crate::canned::render`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    /// Id.
    pub id: CannedId,
    /// Who may use it (fixed at creation).
    pub scope: CannedScope,
    /// Who wrote it (the only one who sees a personal one).
    pub owner: AgentId,
    /// Title shown in the picker, 1–100 characters.
    pub title: String,
    /// What follows `/` to find it: 1–32 of `a-z 0-9 - _`.
    pub shortcut: String,
    /// The text, 1–5,000 characters.
    pub body: String,
}

/// `POST /api/canned`: a new canned response (personal: any agent; a
/// site's: its admins and supervisors; global: admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCanned {
    /// Who may use it.
    pub scope: CannedScope,
    /// Title, 1–100 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub title: String,
    /// Shortcut, 1–32 of `a-z 0-9 - _` (stored lower-cased).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 32, pattern = "^[A-Za-z0-9_-]+$")
    )]
    pub shortcut: String,
    /// Text, 1–5,000 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
    pub body: String,
}

/// `PATCH /api/canned/{id}`: what to change (the scope stays).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedUpdate {
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub title: Option<String>,
    /// New shortcut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 32, pattern = "^[A-Za-z0-9_-]+$")
    )]
    pub shortcut: Option<String>,
    /// New text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 5000))]
    pub body: Option<String>,
}

/// Which conversations `GET /api/conversations?view=…` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// A language the snippet forces (`data-locale`); `None` leaves it to
    /// the site's setting ([`Appearance::locale`]) or the visitor's browser.
    pub locale: Option<String>,
    /// The site's look.
    #[serde(default)]
    pub appearance: Appearance,
    /// A preview in the console: no connection, sample messages, and the
    /// look follows `postMessage`s from the console page.
    #[serde(default)]
    pub preview: bool,
    /// The site shows agents what the visitor types before they send it:
    /// the widget says so and sends its draft with `typing` frames.
    #[serde(default)]
    pub typing_preview: bool,
    /// The satisfaction survey also asks the Net Promoter question.
    #[serde(default)]
    pub survey_nps: bool,
    /// The questions asked before the first message, if the site asks any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prechat: Option<PrechatForm>,
    /// The server sends mail: the widget offers to mail the conversation.
    #[serde(default)]
    pub mails: bool,
    /// The widget offers a callback while the site is offline, and to a
    /// waiting visitor once the estimated wait (with no estimate: the wait
    /// so far) reaches this many minutes (`None`: never).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_after_mins: Option<u32>,
    /// The site has help articles: the widget offers its help view and
    /// suggests articles while the visitor writes their first message.
    #[serde(default)]
    pub help: bool,
    /// The proactive rule that made the loader load the widget: its text
    /// is the team's first words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proactive: Option<crate::proactive::ProactiveGreeting>,
    /// Start with the panel open: the visitor clicked the launcher the
    /// loader drew (or the page called `Ahlan.open()`) before the widget
    /// was loaded.
    #[serde(default)]
    pub open: bool,
    /// Forget the visitor this browser was (`Ahlan.shutdown()` was called
    /// while the widget was not loaded): start with no stored session.
    #[serde(default)]
    pub reset: bool,
    /// The page identified its user (`Ahlan.identify`) before the widget
    /// was loaded: wait a moment for the identity before saying hello.
    #[serde(default)]
    pub identify: bool,
}

/// What the loader needs to draw the launcher itself, before (and, on
/// most page views, instead of) loading the widget: `GET
/// /widget/launcher`. Public and cacheable; nothing in it is secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LauncherLook {
    /// The site's accent as `#rrggbb`.
    pub accent: String,
    /// The icon's colour on the accent.
    pub on_accent: String,
    /// `right` or `left`, already mirrored for a right-to-left language.
    pub side: String,
    /// The button's accessible name in the visitor's language.
    pub label: String,
    /// The visitor's language (`en`, `ar`, `fa`).
    pub lang: String,
    /// The site's proactive rules that greet a visitor of this language;
    /// left out when there are none (every page view fetches the look).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proactive: Vec<crate::proactive::LoaderRule>,
}

/// Configuration the server embeds in the dashboard page (same mechanism).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DashboardConfig {
    /// Absolute websocket URL of the agent socket.
    pub ws_url: String,
    /// Seconds without input after which the dashboard sets an online
    /// agent away (back online at the next input); 0: never.
    #[serde(default)]
    pub auto_away_secs: u64,
}

/// One conversation found by `GET /api/history`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryHit {
    /// The conversation.
    pub conversation: ConversationSummary,
    /// With a search: its first message using one of the words (a word
    /// may also be found only across several messages; then none).
    pub excerpt: Option<ChatMessage>,
}

/// `GET /api/history`: one page, newest conversations first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    /// What this page found (possibly fewer than asked, even none, while
    /// `next` is set: the server bounds each call's work).
    pub hits: Vec<HistoryHit>,
    /// Pass as `after` for the next page; absent when nothing more matches.
    pub next: Option<String>,
}
