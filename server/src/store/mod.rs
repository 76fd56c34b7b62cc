//! The store: everything that must be shared by every server node — sites,
//! agents, sessions, visitors, conversations, messages, presence, the queue
//! and the live event bus — behind one trait with domain-shaped methods.
//!
//! Each method is one atomic step of the domain (append a message and give
//! it the next seq; assign the queue's head to the least busy agent…), so a
//! backend shared by many nodes (Redis, with Lua scripts) can make each one
//! a single atomic operation. Backends:
//! - [`embedded::EmbeddedStore`]: one server, durable in a SQLite file, the
//!   default;
//! - [`redis::RedisStore`]: shared by many nodes through one Redis (Lua
//!   scripts, pub/sub).
//!
//! Both pass the same conformance suite (`conformance`, test support behind
//! `cfg(test)` / the `testing` feature), and both apply the same
//! agent-choice rule ([`choose`]).

pub mod choose;
#[cfg(any(test, feature = "testing"))]
pub mod conformance;
pub mod directory;
pub mod embedded;
mod events;
pub mod redis;
mod redis_link;
#[cfg(any(test, feature = "testing"))]
pub mod test_redis;
pub mod throttle;

pub use directory::{has_active_admin, AgentPatch, AgentRecord, Site, SitePatch, Team};
pub use events::{Event, Mark, Party};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use shared::callback::Callback;
use shared::{
    AgentId, CallbackId, ChatMessage, ClientId, ConversationId, ConversationSummary, Millis,
    Presence, Seq, SiteId, TeamId, VisitorId,
};
use std::time::Duration;
use tokio::sync::broadcast;

/// A change to one conversation's report clocks ([`Store::advance_clocks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockChange {
    /// The conversation.
    pub conversation: ConversationId,
    /// Its site (whose buckets the counts go to).
    pub site: SiteId,
    /// Its clocks as read (`None`: none yet).
    pub expected: Option<String>,
    /// Its new clocks.
    pub clocks: String,
    /// What to count, each in the bucket of its UTC hour.
    pub counts: Vec<(Millis, crate::reports::tally::Count)>,
}

/// What became of a [`ClockChange`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    /// Written and counted.
    Applied,
    /// Someone changed the clocks since they were read: nothing done
    /// (read them again and redo it).
    Conflict,
    /// The conversation is gone (erased): nothing done.
    Gone,
}

/// A visitor, found by the hash of their secret token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visitor {
    /// Id.
    pub id: VisitorId,
    /// The site they chat on.
    pub site: SiteId,
    /// Browser language reported at creation.
    pub locale: Option<String>,
    /// Host page origin reported at creation.
    pub origin: Option<String>,
    /// Their conversation, once they sent a first message.
    pub conversation: Option<ConversationId>,
    /// The name and email they left for replies, if they did.
    pub contact: Option<shared::Contact>,
    /// Other answers they gave (pre-chat form) and the page's attributes,
    /// by key.
    pub attributes: std::collections::BTreeMap<String, String>,
    /// The site's id of this user, once a signed identity bound them
    /// ([`Store::bind_user`]).
    pub user_id: Option<String>,
}

impl Visitor {
    /// A new visitor of `site`, with a fresh id and no conversation yet.
    pub fn new(site: &SiteId, locale: Option<String>, origin: Option<String>) -> Self {
        Self {
            id: VisitorId(crate::secrets::random_id("v")),
            site: site.clone(),
            locale,
            origin,
            conversation: None,
            contact: None,
            attributes: Default::default(),
            user_id: None,
        }
    }
}

/// What a visitor tells about themselves (the leave-a-message form, the
/// pre-chat form); see [`Store::set_details`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisitorDetails {
    /// Their name (`None`: unchanged).
    pub name: Option<String>,
    /// Their email (`None`: unchanged).
    pub email: Option<String>,
    /// Answers by key, added to those kept.
    pub attributes: std::collections::BTreeMap<String, String>,
}

impl From<&shared::Contact> for VisitorDetails {
    fn from(c: &shared::Contact) -> Self {
        Self {
            name: c.name.clone(),
            email: Some(c.email.clone()),
            attributes: Default::default(),
        }
    }
}

/// A message to append.
#[derive(Debug, Clone)]
pub struct NewMessage {
    /// Idempotency key.
    pub client_id: ClientId,
    /// Text (already validated).
    pub body: String,
    /// Server time of the append.
    pub now: Millis,
}

/// Result of an append: the stored message, and whether it was stored by
/// this call or by an earlier one with the same client id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// The stored message (the original one for a duplicate).
    pub message: ChatMessage,
    /// True when this client id was already stored: nothing changed.
    pub duplicate: bool,
    /// The conversation after the append (as it is now, for a duplicate).
    pub conversation: ConversationSummary,
}

/// Result of adding a note: the stored note, and whether an earlier call
/// with the same (agent, client id) stored it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteAdded {
    /// The stored note (the original one for a duplicate).
    pub note: shared::Note,
    /// True when this agent's client id was already stored: nothing changed.
    pub duplicate: bool,
    /// The conversation now (who may see the note follows from it).
    pub conversation: ConversationSummary,
}

/// What a visitor's append did to their conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitorAppend {
    /// The append itself, with the conversation after it.
    pub appended: Appended,
    /// True when the append created the conversation or reopened a
    /// resolved one, putting it in the queue: routing must run.
    pub entered_queue: bool,
}

/// An assignment made by [`Store::drain_queue`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The conversation, now assigned.
    pub conversation: ConversationSummary,
}

/// One conversation waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueEntry {
    /// The conversation.
    pub conversation: ConversationId,
    /// Its site: visitors wait in line with their own site's visitors…
    pub site: SiteId,
    /// …and their team's ([`QueueKey`]).
    pub team: Option<TeamId>,
    /// When it entered the queue (its language fallback counts from here).
    pub queued_at: Millis,
    /// The visitor's language, as a primary subtag
    /// ([`choose::language_of`]).
    pub language: Option<String>,
    /// The agent who had it before it was resolved, when the visitor
    /// reopened it ([`choose::Wanted::returning`]).
    pub returning: Option<AgentId>,
}

impl QueueEntry {
    /// The line it waits in.
    pub fn key(&self) -> QueueKey {
        QueueKey {
            site: self.site.clone(),
            team: self.team.clone(),
        }
    }
}

/// One line of waiting visitors: a site's conversations for one team (or
/// for no team). Positions and estimated waits are counted per line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct QueueKey {
    /// The site.
    pub site: SiteId,
    /// The team, if any.
    pub team: Option<TeamId>,
}

/// How many of a line's latest service times the store keeps
/// ([`Store::served`]).
pub const SERVED_KEPT: usize = 20;

/// A visitor viewed a page: what the widget reported with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageVisit {
    /// When.
    pub at: Millis,
    /// The page.
    pub url: String,
    /// Its title.
    pub title: Option<String>,
    /// Where the visitor came from (kept when this view starts a visit).
    pub referrer: Option<String>,
    /// The browser's User-Agent (from the socket's upgrade request).
    pub user_agent: Option<String>,
    /// The visitor's IANA time zone.
    pub time_zone: Option<String>,
}

/// What the store keeps of a visitor's comings and goings (visits are
/// [`VISIT_GAP`] apart; at most [`PAGES_KEPT`] pages, newest first). The
/// wire type: a privacy export hands it out as stored.
pub use shared::api::VisitorActivity;

/// A page view this long after the previous one starts a new visit.
pub const VISIT_GAP: Millis = 30 * 60 * 1000;
/// Conversations one script call of [`Store::expired_visitors`] looks at
/// (Redis): resolved-and-quiet-enough is checked one by one among those
/// created before the cut-off, oldest first, a page at a time…
pub const EXPIRED_CHECKS: usize = 2_000;
/// …for at most this many pages per call (100,000 conversations): a site
/// whose oldest conversations are still open does not hide the expired
/// ones behind them.
pub const EXPIRED_PAGES: usize = 50;

/// Pages kept per visitor.
pub const PAGES_KEPT: usize = 50;

/// Which conversations to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConversationFilter {
    /// Queued, in queue order.
    Waiting,
    /// Assigned to this agent, most recent activity first.
    AssignedTo(AgentId),
    /// Resolved by this agent, most recent first.
    ResolvedBy(AgentId),
}

/// What the history lists: conversations matching every filter given,
/// newest first (by creation, then id, descending).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryQuery {
    /// Only conversations of these sites (`None`: of every site).
    pub sites: Option<Vec<SiteId>>,
    /// Only those this agent has now or resolved (the conversation's
    /// agent).
    pub agent: Option<AgentId>,
    /// Only those in this status.
    pub status: Option<shared::ConversationStatus>,
    /// Created at or after this time.
    pub from: Option<Millis>,
    /// Created before this time.
    pub to: Option<Millis>,
    /// Folded words ([`crate::search::query_words`]): every one must start
    /// a word of the conversation's messages (notes are not searched).
    /// Empty: no text filter.
    pub words: Vec<String>,
    /// Continue after this point (the previous page's `next`).
    pub after: Option<HistoryCursor>,
    /// At most this many conversations.
    pub limit: usize,
}

/// A point in the history's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryCursor {
    /// Creation time of the last conversation looked at.
    pub created_at: Millis,
    /// Its id.
    pub id: ConversationId,
}

/// One page of history.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HistoryPage {
    /// The conversations found, newest first.
    pub conversations: Vec<ConversationSummary>,
    /// Where the next page starts; `None` when nothing more matches. A
    /// store may stop early (fewer than `limit`) to bound one call's work:
    /// then `next` is set and the page may even be empty.
    pub next: Option<HistoryCursor>,
}

/// A survey answer as stored: the conversation's agent (who resolved it)
/// completes it into a [`shared::Rating`] when read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRating {
    /// 1 to 5.
    pub score: u8,
    /// Optional words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// 0–10, where the site asks the Net Promoter question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<u8>,
    /// When.
    pub at: Millis,
}

impl StoredRating {
    /// The wire rating of a conversation resolved by `agent`.
    pub fn rating(self, agent: Option<shared::AgentPublic>) -> shared::Rating {
        shared::Rating {
            score: self.score,
            comment: self.comment,
            nps: self.nps,
            agent,
            at: self.at,
        }
    }
}

/// What one [`Store::index_pending`] call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Indexed {
    /// Messages whose words it added to the index.
    pub messages: usize,
    /// Whether it stopped at its limit with messages left that were
    /// waiting when it started: call again at once. (Messages that arrive
    /// meanwhile are for a later call.)
    pub more: bool,
}

/// Most messages one [`Store::index_pending`] call takes, from the
/// background indexer and from a search catching up: bounds how long one
/// call holds the writer (embedded) or Redis.
pub const INDEX_BATCH: usize = 500;

/// Most rounds a search waits for the index to catch up before it runs
/// anyway. The background indexer keeps the backlog to about a second of
/// messages; a backlog past this (50,000 messages) means a flood, and then
/// the search answers without its newest messages rather than waiting.
const CATCH_UP_ROUNDS: usize = 100;

/// Indexes every message stored so far (a search's first step, so that it
/// finds what was stored before it was asked), in [`INDEX_BATCH`] rounds.
pub(crate) async fn catch_up<S: Store + ?Sized>(store: &S) -> StoreResult<()> {
    for _ in 0..CATCH_UP_ROUNDS {
        if !store.index_pending(INDEX_BATCH).await?.more {
            break;
        }
    }
    Ok(())
}

/// Store failures. Domain refusals (not yours, not queued…) are separate
/// variants so handlers can map each to its wire code.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No such conversation (or other record).
    #[error("not found")]
    NotFound,
    /// The conversation is assigned to another agent.
    #[error("conversation belongs to another agent")]
    Forbidden,
    /// The conversation is not waiting in the queue.
    #[error("conversation is not queued")]
    NotQueued,
    /// The agent has no room.
    #[error("agent is at capacity")]
    AtCapacity,
    /// The conversation is resolved.
    #[error("conversation is resolved")]
    Resolved,
    /// A unique value (e.g. an agent's email) is taken.
    #[error("already exists")]
    Conflict,
    /// The change would leave no enabled admin.
    #[error("the workspace needs an active admin")]
    LastAdmin,
    /// A new conversation would exceed its site's queue cap.
    #[error("the site's queue is full")]
    QueueFull,
    /// The conversation is not assigned: nobody to transfer it from.
    #[error("conversation is not assigned")]
    NotAssigned,
    /// The transfer's agent cannot take it now (offline, disabled, not
    /// serving the site, or its assignee already).
    #[error("that agent cannot take the conversation now")]
    AgentUnavailable,
    /// No supervisor of the site is online with room.
    #[error("no supervisor is available")]
    NoSupervisor,
    /// The conversation holds the most notes allowed.
    #[error("the conversation has too many notes")]
    TooManyNotes,
    /// The conversation is not resolved: nothing to rate.
    #[error("conversation is not resolved")]
    NotResolved,
    /// A history search whose words are in too many conversations for one
    /// call to sort out (Redis; see `history.lua`).
    #[error("the search words are too common")]
    TooBroad,
    /// A domain rule refused the change (worked out by plain code both
    /// backends share, e.g. [`crate::callbacks`]); the code says which.
    #[error("refused: {}", .0.as_str())]
    Refused(shared::ErrorCode),
    /// The backend failed (connection lost…); the operation may be retried.
    #[error("store unavailable: {0}")]
    Unavailable(String),
}

/// Result of store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// Whose idempotency space a message's client id lives in. Sends are
/// idempotent per (conversation, author, client id): a client id one party
/// used never makes another party's send a "retry", so a send can neither
/// be silently dropped as someone else's duplicate nor fetch someone else's
/// message as its ack.
pub fn author_key(author: &shared::Author) -> String {
    match author {
        shared::Author::Visitor => "v".to_owned(),
        shared::Author::Agent { id, .. } => format!("a:{id}"),
    }
}

/// The store. Every method is atomic with respect to every other call, on
/// every node sharing the backend.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is (`embedded`, `redis`), for logs.
    fn backend(&self) -> &'static str;
    /// Whether the store answers now (`/healthz`): a cheap round trip.
    async fn check(&self) -> StoreResult<()>;

    // --- directory -------------------------------------------------------

    /// Adds a site. [`StoreError::Conflict`] if the key is taken.
    async fn insert_site(&self, site: Site) -> StoreResult<()>;
    /// Finds a site by public key.
    async fn site_by_key(&self, key: &str) -> StoreResult<Option<Site>>;
    /// Finds a site by id.
    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>>;
    /// Every site, by name.
    async fn list_sites(&self) -> StoreResult<Vec<Site>>;
    /// Changes the fields a patch sets; returns the site after.
    async fn update_site(&self, id: &SiteId, patch: SitePatch) -> StoreResult<Site>;
    /// Deletes a site with its visitors, conversations and messages, and
    /// takes it off every agent's list. Assigned conversations free their
    /// agent's capacity.
    async fn delete_site(&self, id: &SiteId) -> StoreResult<()>;
    /// Adds an agent. [`StoreError::Conflict`] if the email is taken.
    async fn insert_agent(&self, agent: AgentRecord) -> StoreResult<()>;
    /// Finds an agent by (lower-cased) email.
    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>>;
    /// Finds an agent by id.
    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>>;
    /// Every agent, by email.
    async fn list_agents(&self) -> StoreResult<Vec<AgentRecord>>;
    /// Changes the fields a patch sets; returns the agent after.
    /// [`StoreError::Conflict`] if the new email is taken,
    /// [`StoreError::LastAdmin`] if no enabled admin would remain.
    async fn update_agent(&self, id: &AgentId, patch: AgentPatch) -> StoreResult<AgentRecord>;
    /// Deletes an agent who holds no conversations (requeue them first)
    /// with their sessions. [`StoreError::LastAdmin`] for the last admin.
    async fn delete_agent(&self, id: &AgentId) -> StoreResult<()>;
    /// Every team, by name.
    async fn list_teams(&self) -> StoreResult<Vec<Team>>;
    /// Adds a team.
    async fn insert_team(&self, team: Team) -> StoreResult<()>;
    /// Renames a team.
    async fn rename_team(&self, id: &TeamId, name: String) -> StoreResult<Team>;
    /// Deletes a team and takes it off every agent's list.
    async fn delete_team(&self, id: &TeamId) -> StoreResult<()>;

    // --- canned responses (who may use or change which: crate::canned) ----
    /// Every canned response, by shortcut then title.
    async fn list_canned(&self) -> StoreResult<Vec<shared::api::CannedResponse>>;
    /// One canned response.
    async fn canned(
        &self,
        id: &shared::CannedId,
    ) -> StoreResult<Option<shared::api::CannedResponse>>;
    /// Adds one ([`StoreError::Conflict`] if the id is taken).
    async fn insert_canned(&self, canned: shared::api::CannedResponse) -> StoreResult<()>;
    /// Replaces one ([`StoreError::NotFound`] if it is gone). Deleting a
    /// site deletes its canned responses; deleting an agent their personal
    /// ones.
    async fn update_canned(&self, canned: shared::api::CannedResponse) -> StoreResult<()>;
    /// Deletes one ([`StoreError::NotFound`] if it is gone).
    async fn delete_canned(&self, id: &shared::CannedId) -> StoreResult<()>;

    // --- help articles (searched by crate::help) ---------------------------
    /// A site's articles with their figures, by language then title.
    async fn articles(&self, site: &SiteId) -> StoreResult<Vec<shared::help::ArticleListing>>;
    /// Whether a site has any article (cheap: every widget page asks).
    async fn has_articles(&self, site: &SiteId) -> StoreResult<bool>;
    /// One article of a site (`None` for another site's).
    async fn article(
        &self,
        site: &SiteId,
        id: &shared::ArticleId,
    ) -> StoreResult<Option<shared::help::Article>>;
    /// Adds one, its figures at zero. [`StoreError::Conflict`] if the id is
    /// taken; [`StoreError::Refused`] (`too_many_articles`) when the site
    /// has [`shared::help::MAX_ARTICLES_PER_SITE`] already — checked
    /// atomically with the add.
    async fn insert_article(&self, article: shared::help::Article) -> StoreResult<()>;
    /// Replaces one, keeping its figures ([`StoreError::NotFound`] if it is
    /// gone or of another site).
    async fn update_article(&self, article: shared::help::Article) -> StoreResult<()>;
    /// Deletes one with its figures ([`StoreError::NotFound`] if it is
    /// gone). Deleting a site deletes its articles.
    async fn delete_article(&self, site: &SiteId, id: &shared::ArticleId) -> StoreResult<()>;
    /// Adds one to a counter of an article, atomically (concurrent counts
    /// from every node all land); nothing if the article is gone.
    async fn count_article(
        &self,
        site: &SiteId,
        id: &shared::ArticleId,
        what: shared::help::ArticleCount,
    ) -> StoreResult<()>;

    // --- sessions and visitors (keys are token hashes, never tokens) -----

    /// Stores an agent session that expires after `ttl`.
    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        ttl: Duration,
    ) -> StoreResult<()>;
    /// The agent of a live session.
    async fn session_agent(&self, token_hash: &str) -> StoreResult<Option<AgentId>>;
    /// When a live session ends (ms since the epoch); `None` if it is not
    /// live. Open dashboards close then.
    async fn session_ends(&self, token_hash: &str) -> StoreResult<Option<Millis>>;
    /// Ends a session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Ends every session of an agent but `except` (the one making the
    /// change, when an agent changes their own password).
    async fn delete_sessions(&self, agent: &AgentId, except: Option<&str>) -> StoreResult<()>;
    /// The visitor known by `token_hash`, created (on `site`) if there is
    /// none yet. Two connections creating the same token's visitor at once
    /// get the same one. A token already used on another site gives
    /// [`StoreError::Conflict`].
    async fn create_visitor(
        &self,
        token_hash: &str,
        site: &SiteId,
        locale: Option<String>,
        origin: Option<String>,
    ) -> StoreResult<Visitor>;
    /// Finds a visitor by token hash.
    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<Visitor>>;
    /// The visitor a signed identity bound to `user_id` on `site`.
    async fn visitor_by_user(&self, site: &SiteId, user_id: &str) -> StoreResult<Option<Visitor>>;
    /// Makes `visitor` the one of `user_id` on its site (a signed
    /// identity), unless the site already has one: returns the site's
    /// visitor of that user — this one, or the one bound before (another
    /// device, or a race: two calls for one user get the same visitor) —
    /// and, when this one changed, its conversation (the version moved:
    /// dashboards show the user). A visitor bound to another user is
    /// never rebound ([`StoreError::Conflict`]); [`StoreError::NotFound`]
    /// without the visitor. Erasing the visitor frees the user id.
    async fn bind_user(
        &self,
        visitor: &VisitorId,
        user_id: &str,
    ) -> StoreResult<(Visitor, Option<ConversationSummary>)>;
    /// Records that a stored visitor viewed a page: a view [`VISIT_GAP`]
    /// after the last one starts a new visit (and takes its referrer); the
    /// User-Agent and time zone are updated when given; the latest
    /// [`PAGES_KEPT`] pages are kept, and a view of the same URL and title
    /// as the latest page (a reload, a reconnect) adds no page.
    /// [`StoreError::NotFound`] without the
    /// visitor. Deleting the site deletes it all.
    async fn page_viewed(&self, visitor: &VisitorId, visit: PageVisit) -> StoreResult<()>;
    /// A visitor by id.
    async fn visitor(&self, id: &VisitorId) -> StoreResult<Option<Visitor>>;
    /// Erases a visitor and everything about them (an admin's request, or
    /// their site's retention): their conversation — messages, notes, its
    /// words in the search index, its place in the queue or in its agent's
    /// load — their token, activity and page views. [`StoreError::NotFound`]
    /// if unknown. Redis deletes the keys and set members; SQLite
    /// overwrites the rows, and [`Store::scrub`] then clears what its
    /// search index and WAL still hold.
    async fn erase_visitor(&self, id: &VisitorId) -> StoreResult<()>;
    /// After erasures: makes what they deleted unreadable in the backend's
    /// files (SQLite: compacts the search index, whose segments keep a
    /// deleted entry's words until merged, and truncates the WAL; Redis:
    /// nothing to do). Rewrites the whole index, so a batch of erasures is
    /// followed by one call, not one each.
    async fn scrub(&self) -> StoreResult<()>;
    /// Visitors of `site` whose conversation is resolved and had its last
    /// message (or, without messages, began) before `before`: what the
    /// site's retention erases. At most `limit`, oldest first as far as the
    /// backend can tell (Redis looks at most at the [`EXPIRED_PAGES`] ×
    /// [`EXPIRED_CHECKS`] oldest conversations per call).
    async fn expired_visitors(
        &self,
        site: &SiteId,
        before: Millis,
        limit: usize,
    ) -> StoreResult<Vec<VisitorId>>;
    /// What [`Store::page_viewed`] kept of a visitor (`None` before any).
    async fn visitor_activity(&self, visitor: &VisitorId) -> StoreResult<Option<VisitorActivity>>;

    // --- conversations and messages ---------------------------------------

    /// One conversation.
    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<ConversationSummary>>;
    /// Lists conversations.
    async fn list_conversations(
        &self,
        filter: ConversationFilter,
    ) -> StoreResult<Vec<ConversationSummary>>;
    /// The history: see [`HistoryQuery`]. A search (words given) first
    /// indexes what is waiting ([`catch_up`]), so it finds every message
    /// stored before the call.
    async fn history(&self, query: &HistoryQuery) -> StoreResult<HistoryPage>;
    /// Adds the words of messages stored since they were last indexed to
    /// the history's index, at most about `max` messages. Messages are not
    /// indexed as they are appended — no chat message waits for the index —
    /// but by this, run in the background by every node
    /// ([`crate::indexer`]) and before each search. Safe to run on several
    /// nodes at once: indexing a message twice changes nothing.
    async fn index_pending(&self, max: usize) -> StoreResult<Indexed>;
    /// Appends a visitor message to the visitor's conversation, creating it
    /// (queued) on the first message and reopening it (queued again) when
    /// resolved. Idempotent by the visitor's own client ids. A message that
    /// would put the conversation in a queue already holding `queue_cap`
    /// conversations of its site is refused with [`StoreError::QueueFull`]
    /// and not stored.
    async fn append_visitor_message(
        &self,
        visitor: &VisitorId,
        msg: NewMessage,
        queue_cap: u32,
    ) -> StoreResult<VisitorAppend>;
    /// Appends an agent's message to a conversation assigned to them.
    /// Idempotent by (agent, client id): the agent's own earlier send with
    /// this id is returned as a duplicate even after a reassignment (it is
    /// theirs), while another party's id is just a new id, subject to the
    /// ownership rules like any send.
    async fn append_agent_message(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        msg: NewMessage,
    ) -> StoreResult<Appended>;
    /// Stores an internal note by `agent` as the conversation's next note,
    /// after its current last message. The caller has checked that the
    /// agent may see the conversation; the store keeps notes idempotent
    /// per (agent, client id) — another agent's client id is never looked
    /// at — and apart from messages: no `seq`, no version change, nothing a
    /// visitor reads. [`StoreError::NotFound`] without the conversation;
    /// [`StoreError::TooManyNotes`] (nothing stored) when it already holds
    /// [`shared::limits::MAX_NOTES_PER_CONVERSATION`] — a retry of a stored
    /// note still gets it back.
    async fn add_note(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        note: NewMessage,
    ) -> StoreResult<NoteAdded>;
    /// Moves `party`'s `mark` forward to `seq` (capped at the last
    /// message; never back); a read mark raises the delivered mark with it
    /// (never past it: a read is a delivery). Returns the conversation
    /// after (its version raised) when the mark moved, `None` when it did
    /// not. [`StoreError::NotFound`] without the conversation.
    async fn mark(
        &self,
        conversation: &ConversationId,
        party: Party,
        mark: Mark,
        seq: Seq,
    ) -> StoreResult<Option<ConversationSummary>>;
    /// Every note of a conversation, oldest first.
    async fn notes(&self, conversation: &ConversationId) -> StoreResult<Vec<shared::Note>>;
    /// Messages with `seq > after`, in order, at most `limit`.
    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>>;

    // --- routing -----------------------------------------------------------

    /// Sets an agent's presence.
    async fn set_presence(&self, agent: &AgentId, presence: Presence) -> StoreResult<()>;
    /// Some node holds a live dashboard connection of `agent`: their
    /// presence stands for `ttl` more. Nodes refresh it well within `ttl`.
    async fn heartbeat(&self, agent: &AgentId, ttl: Duration) -> StoreResult<()>;
    /// Agents marked online or away whose heartbeat ran out: the node that
    /// held their connection died without saying goodbye.
    async fn stale_agents(&self) -> StoreResult<Vec<AgentId>>;
    /// An agent's presence (offline when never set).
    async fn presence(&self, agent: &AgentId) -> StoreResult<Presence>;
    /// The queue, front first.
    async fn queue(&self) -> StoreResult<Vec<QueueEntry>>;
    /// When `line` last gave waiting visitors an agent (by the queue's
    /// drain or a pick), newest first, at most [`SERVED_KEPT`] times.
    async fn served(&self, line: &QueueKey) -> StoreResult<Vec<Millis>>;
    /// Assigns queued conversations, front first, each to the agent chosen
    /// by [`choose::choose_agent`] among the online, enabled agents who
    /// serve its site — a conversation queued `fallback` ms ago or longer
    /// is relaxed; a team that no longer exists counts as none. A
    /// conversation nobody can take now stays in line and the next is
    /// tried. Stops when the queue is done or no online agent has room.
    async fn drain_queue(&self, now: Millis, fallback: Millis) -> StoreResult<Vec<Assignment>>;
    /// Hands an assigned conversation to `to`, atomically:
    /// - `from`: `Some(agent)` for an agent's own transfer — refused with
    ///   [`StoreError::Forbidden`] unless it is assigned to them now;
    ///   `None` for a supervisor's, whoever holds it;
    /// - an agent must serve the site, be online or away and not hold it
    ///   already ([`StoreError::AgentUnavailable`]), and have room
    ///   ([`StoreError::AtCapacity`]: refused, never queued for them);
    /// - a supervisor is chosen by [`choose::choose_supervisor`] among the
    ///   online ones ([`StoreError::NoSupervisor`] if none has room);
    /// - a team ([`StoreError::NotFound`] if it does not exist) gets it at
    ///   the front of its line, `queued_at` = `now`.
    ///
    /// The holder's capacity frees. A waiting or resolved conversation is
    /// refused ([`StoreError::NotAssigned`], [`StoreError::Resolved`]).
    async fn transfer(
        &self,
        conversation: &ConversationId,
        from: Option<&AgentId>,
        to: &shared::TransferTarget,
        now: Millis,
    ) -> StoreResult<ConversationSummary>;
    /// An agent takes a queued conversation out of turn:
    /// [`StoreError::Forbidden`] unless they serve its site.
    async fn pick(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        now: Millis,
    ) -> StoreResult<ConversationSummary>;
    /// Stores the visitor's survey answer for a resolved conversation
    /// ([`StoreError::NotResolved`] otherwise), replacing an earlier one.
    /// The rating is of the agent it was resolved by; a visitor writing
    /// again (reopening it) clears it.
    async fn rate(
        &self,
        conversation: &ConversationId,
        rating: StoredRating,
    ) -> StoreResult<ConversationSummary>;
    /// Keeps what `visitor` told about themselves: a name or email given
    /// replaces the earlier one, attributes are added (replacing those of
    /// the same key). With `left_message` their conversation, if they have
    /// one, is marked as left while offline (agents' replies are mailed)
    /// until it is resolved. Returns that conversation after the change.
    async fn set_details(
        &self,
        visitor: &VisitorId,
        details: &VisitorDetails,
        left_message: bool,
    ) -> StoreResult<Option<ConversationSummary>>;
    /// Resolves a conversation assigned to `agent`, freeing their capacity
    /// (and ending its left-a-message mark).
    async fn resolve(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
    ) -> StoreResult<ConversationSummary>;
    /// The agent is gone: every conversation assigned to them goes back to
    /// the **front** of the queue (oldest first, `queued_at` = when it was
    /// created, since that visitor has waited longest) and their load drops
    /// to zero. Returns those conversations, now queued.
    async fn requeue_agent(&self, agent: &AgentId) -> StoreResult<Vec<ConversationSummary>>;
    /// Number of conversations assigned to the agent and not resolved.
    async fn load(&self, agent: &AgentId) -> StoreResult<u32>;

    // --- callbacks (see [`crate::callbacks`]) -------------------------------

    /// Stores a new request, unless its visitor's latest one is still open
    /// (`Refused(CallbackPending)`, nothing written) or the visitor is
    /// gone (`NotFound`).
    async fn request_callback(&self, callback: Callback) -> StoreResult<Callback>;
    /// One request.
    async fn callback(&self, id: &CallbackId) -> StoreResult<Option<Callback>>;
    /// The visitor's requests, latest first, at most `limit`.
    async fn visitor_callbacks(
        &self,
        visitor: &VisitorId,
        limit: usize,
    ) -> StoreResult<Vec<Callback>>;
    /// Open requests oldest first (`open`), or closed ones most recently
    /// closed first; at most `limit`.
    async fn callbacks(&self, open: bool, limit: usize) -> StoreResult<Vec<Callback>>;
    /// Applies `change` atomically ([`crate::callbacks::apply`]): the
    /// request as it is now, or `Refused` with the rule's code.
    async fn change_callback(
        &self,
        id: &CallbackId,
        change: crate::callbacks::Change,
        now: Millis,
    ) -> StoreResult<Callback>;

    // --- login throttling (see [`throttle`]) -------------------------------

    /// Takes one login attempt under every key, atomically: if any key must
    /// wait, nothing is counted and the longest wait is returned;
    /// otherwise the attempt is counted under every key (before the
    /// password is checked) and `None` is returned.
    async fn take_login_attempt(
        &self,
        keys: &[throttle::Limited],
        now: Millis,
    ) -> StoreResult<Option<Millis>>;
    /// The attempt succeeded: `clear` starts over, and the attempt taken
    /// under `undo` is taken back (a correct login does not count against
    /// the client address).
    async fn login_succeeded(&self, clear: &str, undo: &str) -> StoreResult<()>;

    // --- reports (see [`crate::reports`]) ---------------------------------

    /// The report clocks of each conversation, as [`Store::advance_clocks`]
    /// last wrote them (`None`: none yet, or no such conversation).
    async fn clocks(&self, conversations: &[ConversationId]) -> StoreResult<Vec<Option<String>>>;
    /// Applies each change atomically, if its conversation's clocks are
    /// still what it expects: writes its new clocks and adds its counts to
    /// its site's hourly buckets, together, so a count is never lost nor
    /// made twice. Says for each change what happened.
    async fn advance_clocks(&self, changes: Vec<ClockChange>) -> StoreResult<Vec<Advance>>;
    /// Adds counts to a site's bucket for `hour` (a sample not tied to a
    /// conversation: presence, load, backlog).
    async fn tally(
        &self,
        site: &SiteId,
        hour: Millis,
        counts: Vec<crate::reports::tally::Count>,
    ) -> StoreResult<()>;
    /// Every cell of a site's buckets for the hours in `[from, to)`.
    async fn tallies(
        &self,
        site: &SiteId,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<crate::reports::tally::Cell>>;
    /// Claims `name` for `ttl` across every node sharing the store: true
    /// for the first to ask only (so a once-a-minute sample is taken once).
    async fn claim(&self, name: &str, ttl: Duration) -> StoreResult<bool>;

    /// How many times this node got its backend back after losing it
    /// (Redis: its connection and its event subscription; the embedded
    /// store never loses it).
    fn reconnects(&self) -> u64 {
        0
    }

    // --- live events -------------------------------------------------------

    /// Sends an event to every subscriber on every node. Events are
    /// notifications; the state they announce is already in the store.
    async fn publish(&self, event: Event) -> StoreResult<()>;
    /// Receives every event published after this call.
    fn subscribe(&self) -> broadcast::Receiver<Event>;
}
