//! The Redis store: state shared by every node through one Redis, each
//! multi-key step one Lua script (so it is atomic on the server), and live
//! events on a Redis pub/sub channel.
//!
//! # Connections
//! One [`ConnectionManager`] (multiplexed, reconnects by itself) is cloned
//! into every call, never a connection per request. Pub/sub needs a
//! connection of its own: a background task holds it and forwards each event
//! into a local `broadcast` channel, reconnecting with backoff when it drops.
//! Events are notifications, so ones lost while reconnecting are fine:
//! clients re-read the store.
//!
//! # Keys
//! Every key starts with `{ns}:`. The braces make `ns` the Redis Cluster hash
//! tag, so all keys of one namespace live in one slot and a script may touch
//! any of them. Scripts declare only the prefix itself as `KEYS[1]` (it is
//! never written), which routes them to that slot.
//!
//! | key | type | content |
//! |---|---|---|
//! | `sites` | hash | site key → [`Site`] JSON |
//! | `site_ids` | hash | site id → site key |
//! | `agents` | hash | agent id → [`AgentRecord`] JSON |
//! | `agent_emails` | hash | email → agent id |
//! | `agent_cap`, `agent_name` | hash | agent id → capacity / name, for scripts |
//! | `admins`, `disabled_agents` | set | enabled admins / disabled agents, for scripts |
//! | `site_agents:<site>` | set | agents who serve the site (besides admins) |
//! | `teams` | hash | team id → name |
//! | `canned` | hash | canned response id → `CannedResponse` JSON |
//! | `session:<token hash>` | string, `PX` expiry | agent id |
//! | `agent_sessions:<agent>` | set | the agent's session token hashes |
//! | `visitor_tokens` | hash | token hash → visitor id |
//! | `visitor_users` | hash | `<site id>\n<user id>` → visitor id (signed identities, `bind_user.lua`) |
//! | `visitor:<id>` | hash | `site`, `info` ([`VisitorInfo`] JSON: with the name, email and attributes the visitor gave, see `set_details.lua`, and the user id a signed identity bound), `conv`, `token` (its hash), `ukey` (its `visitor_users` field, once bound) |
//! | `site_convs:<site>`, `site_visitors:<site>` | set | what deleting the site deletes |
//! | `vact:<visitor>` | hash | `first_seen`, `last_seen`, `visits`, `user_agent`, `time_zone`, `referrer` ([`super::VisitorActivity`]) |
//! | `vpages:<visitor>` | list | [`shared::api::PageView`] JSON, newest first, at most [`super::PAGES_KEPT`] |
//! | `layout` | string | the key layout's version (see `RedisStore::upgrade`) |
//! | `login:<key>` | hash, `PX` expiry | `count`, `last`: login throttling ([`super::throttle`]) |
//! | `conv:<id>` | hash | `site`, `visitor`, `status`, `agent`, `agent_name`, `team`, `created_at`, `queued_at`, `visitor_read`, `agent_read`, `visitor_delivered`, `agent_delivered` (absent on older conversations: as far as read), `indexed` (seq its messages are indexed to), `rating` ([`super::StoredRating`] JSON), `clocks` (report clocks, [`crate::reports::clocks::Clocks`] JSON), `left_message` (`1` while left as a message while offline, until resolved) |
//! | `msgs:<conv>` | list | [`StoredMessage`] JSON; seq = index + 1 |
//! | `cids:<conv>` | hash | `v:<client id>` (visitor) or `a:<agent>:<client id>` → seq |
//! | `notes:<conv>` | list | `<after_seq> <`[`StoredNote`]` JSON>`; note number = index + 1 |
//! | `note_ids:<conv>` | hash | `<agent>:<client id>` → note number |
//! | `queue` | list | conversation ids, front first |
//! | `served:<site>:<team or empty>` | list | when that line last gave someone an agent, newest first, at most [`super::SERVED_KEPT`] |
//! | `assigned:<agent>`, `resolved:<agent>` | set | conversation ids |
//! | `presence`, `loads`, `last_assigned` | hash | agent id → value |
//! | `created`, `created:<site>` | sorted set | conversation ids by creation time (the history's order) |
//! | `word:<w>` | set | conversations whose messages use the folded word `w` |
//! | `words` | sorted set | every indexed word, all at score 0 (prefix lookups) |
//! | `words_of:<conv>` | set | the conversation's words (what deleting it takes out) |
//! | `unindexed` | set | conversations with messages not yet indexed ([`Store::index_pending`]) |
//! | `tally:<site>:<hour>` | hash, 800-day expiry | `<dim>\|<field>` → count: one hour's report bucket ([`crate::reports::tally`]) |
//! | `claim:<name>` | string, `PX` expiry | [`Store::claim`] |
//! | `articles:<site>` | hash | help article id → [`shared::help::Article`] JSON (`put_article.lua`) |
//! | `article_stats:<site>` | hash | `<article id>:o` / `<article id>:a` → times opened / asked after (`count_article.lua`) |
//! | `callbacks` | hash | callback id → [`shared::callback::Callback`] JSON (`put_callback.lua`) |
//! | `callbacks_open` / `callbacks_closed` | sorted set | callback ids by request time / by closing time |
//! | `vcallbacks:<visitor>` | sorted set | the visitor's callback ids by request time (erased with them) |
//!
//! Events go to the channel `<ns>:events` as [`Event`] JSON.
//!
//! Scripts reply with an array: `ok` and the values, or one error marker
//! (`not_found`, `forbidden`…) mapped to its [`StoreError`].

mod articles;
mod callbacks;

use super::redis_link::Link;
use super::{
    AgentPatch, AgentRecord, Appended, Assignment, ConversationFilter, Event, NewMessage,
    NoteAdded, QueueEntry, QueueKey, Site, SitePatch, Store, StoreError, StoreResult, Team,
    Visitor, VisitorAppend,
};
use crate::clock::now_millis;
use crate::secrets::random_id;
use async_trait::async_trait;
use futures_util::StreamExt;
use redis::aio::{ConnectionManager, ConnectionManagerConfig, PubSub};
use redis::{AsyncCommands, Client, Script};
use serde::{Deserialize, Serialize};
use shared::{
    AgentId, Author, ChatMessage, ClientId, ConversationId, ConversationStatus,
    ConversationSummary, Millis, Presence, Seq, SiteId, TeamId, VisitorId, VisitorInfo,
};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio::task::AbortHandle;

/// How many events a slow subscriber may fall behind (as in the embedded
/// store).
const EVENT_BUFFER: usize = 4096;
/// The key layout this code writes; [`RedisStore::upgrade`] brings older
/// data up to it.
const LAYOUT: u32 = 3;
/// Compare-and-set attempts before an update gives up (only under a storm
/// of concurrent edits to the same record).
const CAS_ATTEMPTS: u32 = 16;

/// The pause before compare-and-set attempt `attempt` (1, 2, …) after a
/// lost race: random, within a window that doubles each time up to 64 ms.
/// Without it two writers of one record in tight loops can keep beating
/// each other in lockstep until both give up (seen in the conformance
/// suite on a loaded machine).
async fn cas_pause(attempt: u32) {
    use rand::Rng;
    let window = 1u64 << attempt.min(6);
    let ms = rand::thread_rng().gen_range(0..=window);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}
/// Conversations (and visitors) deleted per script call when a site goes.
const DELETE_BATCH: usize = 200;
/// Pub/sub reconnect backoff bounds.
const BACKOFF_MIN: Duration = Duration::from_millis(50);
const BACKOFF_MAX: Duration = Duration::from_secs(5);

macro_rules! lua {
    ($file:literal) => {
        Script::new(concat!(
            include_str!("lua/common.lua"),
            include_str!(concat!("lua/", $file))
        ))
    };
}

/// The scripts, hashed once at connect (`invoke_async` sends EVALSHA and
/// loads the script only when Redis does not know it yet).
struct Scripts {
    insert_site: Script,
    update_site: Script,
    delete_site: Script,
    save_agent: Script,
    delete_agent: Script,
    create_session: Script,
    delete_sessions: Script,
    queue: Script,
    set_presence: Script,
    append_visitor: Script,
    append_agent: Script,
    add_note: Script,
    drain: Script,
    pick: Script,
    resolve: Script,
    requeue: Script,
    stale: Script,
    conversations: Script,
    login_attempt: Script,
    login_succeeded: Script,
    create_visitor: Script,
    bind_user: Script,
    transfer: Script,
    history: Script,
    index: Script,
    erase_visitor: Script,
    expired: Script,
    rate: Script,
    set_details: Script,
    page_viewed: Script,
    mark: Script,
    advance: Script,
    tally: Script,
    put_callback: Script,
    put_article: Script,
    count_article: Script,
}

impl Scripts {
    fn new() -> Self {
        Self {
            insert_site: lua!("insert_site.lua"),
            update_site: lua!("update_site.lua"),
            delete_site: lua!("delete_site.lua"),
            save_agent: lua!("save_agent.lua"),
            delete_agent: lua!("delete_agent.lua"),
            create_session: lua!("create_session.lua"),
            delete_sessions: lua!("delete_sessions.lua"),
            queue: lua!("queue.lua"),
            login_attempt: lua!("login_attempt.lua"),
            login_succeeded: lua!("login_succeeded.lua"),
            create_visitor: lua!("create_visitor.lua"),
            bind_user: lua!("bind_user.lua"),
            set_presence: lua!("set_presence.lua"),
            append_visitor: lua!("append_visitor.lua"),
            append_agent: lua!("append_agent.lua"),
            add_note: lua!("add_note.lua"),
            drain: lua!("drain.lua"),
            pick: lua!("pick.lua"),
            resolve: lua!("resolve.lua"),
            requeue: lua!("requeue.lua"),
            stale: lua!("stale.lua"),
            conversations: lua!("conversations.lua"),
            transfer: lua!("transfer.lua"),
            history: lua!("history.lua"),
            index: lua!("index.lua"),
            erase_visitor: lua!("erase_visitor.lua"),
            expired: lua!("expired.lua"),
            rate: lua!("rate.lua"),
            set_details: lua!("set_details.lua"),
            page_viewed: lua!("page_viewed.lua"),
            mark: lua!("mark.lua"),
            advance: lua!("advance.lua"),
            tally: lua!("tally.lua"),
            put_callback: lua!("put_callback.lua"),
            put_article: lua!("put_article.lua"),
            count_article: lua!("count_article.lua"),
        }
    }
}

/// A message as stored: its seq is its position in the list and its
/// conversation is the list's key.
#[derive(Serialize, Deserialize)]
struct StoredMessage {
    client_id: ClientId,
    author: Author,
    body: String,
    sent_at: Millis,
}

/// An internal note as stored: its number is its position in the list, its
/// place (`after_seq`) prefixes the entry and its conversation is the key.
#[derive(Serialize, Deserialize)]
struct StoredNote {
    client_id: ClientId,
    author: shared::AgentPublic,
    body: String,
    sent_at: Millis,
}

/// A `notes:<conv>` entry as note number `id`.
fn note(conversation: &ConversationId, id: u64, entry: &str) -> StoreResult<shared::Note> {
    let (after_seq, stored) = entry.split_once(' ').ok_or_else(|| corrupt(entry))?;
    let n: StoredNote = from_json(stored)?;
    Ok(shared::Note {
        conversation: conversation.clone(),
        id,
        after_seq: number(after_seq)?,
        client_id: n.client_id,
        author: n.author,
        body: n.body,
        sent_at: n.sent_at,
    })
}

/// What a compare-and-set write did.
#[derive(Debug, PartialEq, Eq)]
enum Saved {
    Done,
    /// The record changed since it was read: read again and retry.
    Changed,
}

/// A conversation as `conv_view` (lua/common.lua) returns it: the hash's
/// string fields plus the message count and last message.
#[derive(Deserialize)]
struct RawConv {
    id: ConversationId,
    site: SiteId,
    visitor: String,
    status: String,
    agent: Option<AgentId>,
    agent_name: Option<String>,
    team: Option<TeamId>,
    visitor_read: Option<String>,
    agent_read: Option<String>,
    visitor_delivered: Option<String>,
    agent_delivered: Option<String>,
    created_at: String,
    queued_at: Option<String>,
    last_seq: String,
    last: Option<String>,
    /// Absent on conversations written before versions existed.
    version: Option<String>,
    /// [`super::StoredRating`] JSON, once rated.
    rating: Option<String>,
    /// `1` while marked as left while offline.
    left_message: Option<String>,
}

/// The Redis store.
pub struct RedisStore {
    conn: Link,
    /// `{ns}:`, see the module docs.
    prefix: String,
    channel: String,
    scripts: Scripts,
    events: broadcast::Sender<Event>,
    listener: AbortHandle,
    /// Times the event subscription was made again after a drop.
    resubscribed: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// [`HISTORY_IDS`] and [`HISTORY_CHECKS`] (tests lower them).
    search_caps: (usize, usize),
    /// [`super::EXPIRED_CHECKS`] (tests lower it).
    expired_page: usize,
}

impl Drop for RedisStore {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::Unavailable(e.to_string())
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Unavailable(format!("unexpected data in redis: {what}"))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str) -> StoreResult<T> {
    serde_json::from_str(text).map_err(|e| corrupt(&e.to_string()))
}

/// The `visitor_users` field of a site's user.
fn user_key(site: &SiteId, user_id: &str) -> String {
    format!("{site}\n{user_id}")
}

fn to_json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(unavailable)
}

fn number<T: std::str::FromStr>(text: &str) -> StoreResult<T> {
    text.parse().map_err(|_| corrupt(text))
}

fn presence_name(p: Presence) -> &'static str {
    match p {
        Presence::Online => "online",
        Presence::Away => "away",
        Presence::Offline => "offline",
    }
}

fn parse_presence(name: &str) -> StoreResult<Presence> {
    match name {
        "online" => Ok(Presence::Online),
        "away" => Ok(Presence::Away),
        "offline" => Ok(Presence::Offline),
        other => Err(corrupt(other)),
    }
}

fn parse_status(name: &str) -> StoreResult<ConversationStatus> {
    match name {
        "queued" => Ok(ConversationStatus::Queued),
        "assigned" => Ok(ConversationStatus::Assigned),
        "resolved" => Ok(ConversationStatus::Resolved),
        other => Err(corrupt(other)),
    }
}

fn marker_error(marker: &str) -> StoreError {
    match marker {
        "not_found" => StoreError::NotFound,
        "forbidden" => StoreError::Forbidden,
        "not_queued" => StoreError::NotQueued,
        "at_capacity" => StoreError::AtCapacity,
        "resolved" => StoreError::Resolved,
        "conflict" => StoreError::Conflict,
        "last_admin" => StoreError::LastAdmin,
        "queue_full" => StoreError::QueueFull,
        "not_assigned" => StoreError::NotAssigned,
        "agent_unavailable" => StoreError::AgentUnavailable,
        "no_supervisor" => StoreError::NoSupervisor,
        "too_many_notes" => StoreError::TooManyNotes,
        "not_resolved" => StoreError::NotResolved,
        "too_broad" => StoreError::TooBroad,
        other => corrupt(other),
    }
}

/// A script's `ok` reply, read value by value.
struct Reply(std::vec::IntoIter<String>);

impl Reply {
    fn new(values: Vec<String>) -> StoreResult<Self> {
        let mut values = values.into_iter();
        match values.next().as_deref() {
            Some("ok") => Ok(Self(values)),
            Some(marker) => Err(marker_error(marker)),
            None => Err(corrupt("empty script reply")),
        }
    }

    fn value(&mut self) -> StoreResult<String> {
        self.0.next().ok_or_else(|| corrupt("short script reply"))
    }

    fn flag(&mut self) -> StoreResult<bool> {
        Ok(self.value()? == "1")
    }

    fn rest(self) -> impl Iterator<Item = String> {
        self.0
    }

    fn into_values(self) -> std::vec::IntoIter<String> {
        self.0
    }
}

fn message(conversation: &ConversationId, seq: Seq, stored: &str) -> StoreResult<ChatMessage> {
    let m: StoredMessage = from_json(stored)?;
    Ok(ChatMessage {
        conversation: conversation.clone(),
        seq,
        client_id: m.client_id,
        author: m.author,
        body: m.body,
        sent_at: m.sent_at,
    })
}

fn summary(view: &str) -> StoreResult<ConversationSummary> {
    let raw: RawConv = from_json(view)?;
    let last_seq = number(&raw.last_seq)?;
    let last_message = match &raw.last {
        Some(stored) => Some(message(&raw.id, last_seq, stored)?),
        None => None,
    };
    let agent = match (raw.agent, raw.agent_name) {
        (Some(id), Some(name)) => Some(shared::AgentPublic { id, name }),
        _ => None,
    };
    let rating = match &raw.rating {
        Some(json) => Some(from_json::<super::StoredRating>(json)?.rating(agent.clone())),
        None => None,
    };
    let mark = |field: &Option<String>| -> StoreResult<Seq> {
        Ok(field.as_deref().map(number).transpose()?.unwrap_or(0))
    };
    let (visitor_read, agent_read) = (mark(&raw.visitor_read)?, mark(&raw.agent_read)?);
    Ok(ConversationSummary {
        id: raw.id,
        site: raw.site,
        status: parse_status(&raw.status)?,
        agent,
        team: raw.team,
        visitor: from_json(&raw.visitor)?,
        created_at: number(&raw.created_at)?,
        queued_at: raw.queued_at.as_deref().map(number).transpose()?,
        last_seq,
        last_message,
        version: raw.version.as_deref().map(number).transpose()?.unwrap_or(0),
        visitor_read,
        agent_read,
        // Conversations marked before delivered marks existed: delivered
        // as far as read.
        visitor_delivered: mark(&raw.visitor_delivered)?.max(visitor_read),
        agent_delivered: mark(&raw.agent_delivered)?.max(agent_read),
        rating,
        left_message: raw.left_message.as_deref() == Some("1"),
    })
}

fn recent_first(list: &mut [ConversationSummary]) {
    list.sort_by_key(|c| {
        std::cmp::Reverse(c.last_message.as_ref().map_or(c.created_at, |m| m.sent_at))
    });
}

/// Subscribes a fresh pub/sub connection; returns once Redis confirmed, so
/// events published afterwards are received.
async fn subscribe_channel(client: &Client, channel: &str) -> redis::RedisResult<PubSub> {
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    Ok(pubsub)
}

/// Forwards events until the connection drops.
async fn forward(pubsub: &mut PubSub, events: &broadcast::Sender<Event>) {
    let mut messages = pubsub.on_message();
    while let Some(msg) = messages.next().await {
        match serde_json::from_slice::<Event>(msg.get_payload_bytes()) {
            // No local subscriber is not an error.
            Ok(event) => drop(events.send(event)),
            Err(e) => tracing::warn!(error = %e, "ignoring a malformed event"),
        }
    }
}

/// The pub/sub task: forward, and on a drop resubscribe with backoff.
async fn listen(
    client: Client,
    channel: String,
    mut pubsub: PubSub,
    events: broadcast::Sender<Event>,
    resubscribed: std::sync::Arc<std::sync::atomic::AtomicU64>,
) {
    loop {
        forward(&mut pubsub, &events).await;
        tracing::warn!(%channel, "redis pub/sub connection lost, reconnecting");
        let mut backoff = BACKOFF_MIN;
        pubsub = loop {
            match subscribe_channel(&client, &channel).await {
                Ok(p) => break p,
                Err(e) => tracing::warn!(error = %e, "redis pub/sub reconnect failed"),
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(BACKOFF_MAX);
        };
        tracing::info!(%channel, "redis pub/sub resubscribed");
        resubscribed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Whatever was published meanwhile is gone: every connection of
        // this node re-reads the store.
        drop(events.send(Event::Resync));
    }
}

/// One quick reconnect attempt rather than redis-rs's default (six, up to
/// ~6 s apart): a call made while Redis is down should fail with
/// `Unavailable` at once, not wait; the next call starts a new attempt,
/// and meanwhile the [`Link`]'s breaker refuses calls without trying.
///
/// A longer response timeout than redis-rs's 500 ms: every call of a node
/// shares one multiplexed connection, so under a burst (hundreds of
/// visitors writing at once while dashboards resync) a reply can wait its
/// turn longer than that on a busy host, and a slow answer is better than
/// refusing a message. A Redis that is down fails at once anyway.
fn manager_config() -> ConnectionManagerConfig {
    ConnectionManagerConfig::new()
        .set_number_of_retries(1)
        .set_max_delay(Duration::from_millis(100))
        .set_response_timeout(Some(RESPONSE_TIMEOUT))
}

/// Most conversations one [`Store::index_pending`] call indexes (picked
/// at random from `unindexed`, so nodes indexing at once rarely collide).
const INDEX_CONVERSATIONS: isize = 100;

/// The most conversations one history call without words looks at
/// (`history.lua`): a filter that matches little stops there and returns
/// a cursor, so no call blocks Redis for long.
const HISTORY_SCAN: usize = 5_000;
/// A history search gathers at most this many conversation ids for one
/// word, and makes at most [`HISTORY_CHECKS`] membership checks; a search
/// needing more is refused as too broad (`history.lua`), so a one-letter
/// prefix on a big deployment cannot hold Redis.
const HISTORY_IDS: usize = 50_000;
/// See [`HISTORY_IDS`].
const HISTORY_CHECKS: usize = 1_000_000;

/// How long a command may wait for its reply.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(5);

impl RedisStore {
    /// Connects to `url` (`redis://host:port/db`), keeping every key under
    /// `namespace`. Must run inside a tokio runtime (it spawns the pub/sub
    /// task).
    pub async fn connect(url: &str, namespace: &str) -> StoreResult<Self> {
        let client = Client::open(url).map_err(unavailable)?;
        let conn = ConnectionManager::new_with_config(client.clone(), manager_config())
            .await
            .map_err(unavailable)?;
        let conn = Link::new(conn);
        let channel = format!("{namespace}:events");
        let pubsub = subscribe_channel(&client, &channel)
            .await
            .map_err(unavailable)?;
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        let resubscribed = std::sync::Arc::default();
        let listener = tokio::spawn(listen(
            client,
            channel.clone(),
            pubsub,
            events.clone(),
            std::sync::Arc::clone(&resubscribed),
        ));
        let store = Self {
            resubscribed,
            conn,
            prefix: format!("{{{namespace}}}:"),
            channel,
            scripts: Scripts::new(),
            events,
            listener: listener.abort_handle(),
            search_caps: (HISTORY_IDS, HISTORY_CHECKS),
            expired_page: super::EXPIRED_CHECKS,
        };
        store.upgrade().await?;
        Ok(store)
    }

    /// Brings data written by an older Ahlan up to this key layout
    /// ([`LAYOUT`]). Every step is idempotent, so nodes starting together
    /// may all run it; the version is written last.
    async fn upgrade(&self) -> StoreResult<()> {
        let mut conn = self.conn.clone();
        let layout: Option<u32> = conn.get(self.key("layout")).await.map_err(unavailable)?;
        if layout.unwrap_or(0) >= LAYOUT {
            return Ok(());
        }
        // Sites written before `site_ids` existed: index them by id.
        let sites: Vec<(String, String)> =
            conn.hgetall(self.key("sites")).await.map_err(unavailable)?;
        let mut site_ids = Vec::new();
        for (key, json) in &sites {
            let site: Site = from_json(json)?;
            conn.hset_nx::<_, _, _, ()>(self.key("site_ids"), site.id.as_str(), key)
                .await
                .map_err(unavailable)?;
            site_ids.push(site.id.0);
        }
        // Agents from before roles (an `admin` flag) saw every site: they
        // keep doing so. Saving each rebuilds the routing indexes.
        let agents: Vec<(String, String)> = conn
            .hgetall(self.key("agents"))
            .await
            .map_err(unavailable)?;
        for (_, json) in agents {
            let mut value: serde_json::Value = from_json(&json)?;
            if let Some(obj) = value.as_object_mut() {
                if let Some(admin) = obj.remove("admin") {
                    let role = if admin.as_bool() == Some(true) {
                        "admin"
                    } else {
                        "agent"
                    };
                    obj.insert("role".into(), role.into());
                    obj.insert("sites".into(), site_ids.clone().into());
                }
            }
            let agent: AgentRecord =
                serde_json::from_value(value).map_err(|e| corrupt(&e.to_string()))?;
            // `retry`: another node upgraded it first.
            self.save_agent(&agent, &json).await?;
        }
        // What deleting a site must find, and signing an agent out.
        for (pattern, field, set) in [
            ("conv:*", "site", "site_convs"),
            ("visitor:*", "site", "site_visitors"),
        ] {
            for key in self.scan(pattern).await? {
                let id = key.rsplit(':').next().unwrap_or_default().to_owned();
                let site: Option<String> = conn.hget(&key, field).await.map_err(unavailable)?;
                if let Some(site) = site {
                    conn.sadd::<_, _, ()>(self.key(&format!("{set}:{site}")), id)
                        .await
                        .map_err(unavailable)?;
                }
            }
        }
        // Layout 3: the history's order and the words of the messages
        // written before it (history.lua).
        for key in self.scan("conv:*").await? {
            let id = key.rsplit(':').next().unwrap_or_default().to_owned();
            self.index_conversation(&id).await?;
        }
        for key in self.scan("session:*").await? {
            let hash = key.rsplit(':').next().unwrap_or_default().to_owned();
            let agent: Option<String> = conn.get(&key).await.map_err(unavailable)?;
            if let Some(agent) = agent {
                conn.sadd::<_, _, ()>(self.key(&format!("agent_sessions:{agent}")), hash)
                    .await
                    .map_err(unavailable)?;
            }
        }
        conn.set::<_, _, ()>(self.key("layout"), LAYOUT)
            .await
            .map_err(unavailable)
    }

    /// Puts one conversation written before layout 3 in the history's
    /// indexes (what `append_visitor.lua` and `index_words` do as it goes).
    async fn index_conversation(&self, id: &str) -> StoreResult<()> {
        let mut conn = self.conn.clone();
        let (site, created): (Option<String>, Option<u64>) = redis::cmd("HMGET")
            .arg(self.key(&format!("conv:{id}")))
            .arg("site")
            .arg("created_at")
            .query_async(&mut conn)
            .await
            .map_err(unavailable)?;
        let (Some(site), Some(created)) = (site, created) else {
            return Ok(());
        };
        let stored: Vec<String> = conn
            .lrange(self.key(&format!("msgs:{id}")), 0, -1)
            .await
            .map_err(unavailable)?;
        let mut words = std::collections::BTreeSet::new();
        for m in &stored {
            let m: StoredMessage = from_json(m)?;
            words.extend(crate::search::distinct_words(&m.body));
        }
        let mut pipe = redis::pipe();
        pipe.zadd(self.key("created"), id, created).zadd(
            self.key(&format!("created:{site}")),
            id,
            created,
        );
        for w in &words {
            pipe.sadd(self.key(&format!("word:{w}")), id)
                .zadd(self.key("words"), w, 0)
                .sadd(self.key(&format!("words_of:{id}")), w);
        }
        pipe.query_async::<()>(&mut conn).await.map_err(unavailable)
    }

    /// Every key of this namespace matching `pattern` (after the prefix).
    async fn scan(&self, pattern: &str) -> StoreResult<Vec<String>> {
        let mut conn = self.conn.clone();
        let mut keys = Vec::new();
        let mut iter: redis::AsyncIter<String> = conn
            .scan_match(self.key(pattern))
            .await
            .map_err(unavailable)?;
        while let Some(key) = iter.next_item().await {
            keys.push(key.map_err(unavailable)?);
        }
        Ok(keys)
    }

    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Runs a script with `args`, decoding its `ok` reply.
    async fn run(&self, script: &Script, args: &[&str]) -> StoreResult<Reply> {
        let mut invocation = script.key(&self.prefix);
        for arg in args {
            invocation.arg(*arg);
        }
        let values: Vec<String> = invocation
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        Reply::new(values)
    }

    /// Runs a script and returns its raw reply (for scripts whose `retry`
    /// is not an error).
    async fn run_raw(&self, script: &Script, args: &[&str]) -> StoreResult<Vec<String>> {
        let mut invocation = script.key(&self.prefix);
        for arg in args {
            invocation.arg(*arg);
        }
        invocation
            .invoke_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    /// Writes an agent with every index (`save_agent.lua`): `expected` is
    /// the JSON read before (`""` to insert).
    async fn save_agent(&self, agent: &AgentRecord, expected: &str) -> StoreResult<Saved> {
        let json = to_json(agent)?;
        let capacity = agent.capacity.to_string();
        let disabled = if agent.disabled { "1" } else { "0" };
        let mut args = vec![
            agent.id.as_str(),
            expected,
            &json,
            &agent.email,
            &capacity,
            &agent.name,
            agent.role.as_str(),
            disabled,
        ];
        args.extend(agent.sites.iter().map(SiteId::as_str));
        let reply = self.run_raw(&self.scripts.save_agent, &args).await?;
        if reply.first().map(String::as_str) == Some("retry") {
            return Ok(Saved::Changed);
        }
        Reply::new(reply).map(|_| Saved::Done)
    }

    /// A site's stored JSON (for compare-and-set) and its value.
    async fn site_json(&self, id: &SiteId) -> StoreResult<Option<(String, Site)>> {
        let mut conn = self.conn.clone();
        let key: Option<String> = conn
            .hget(self.key("site_ids"), id.as_str())
            .await
            .map_err(unavailable)?;
        let Some(key) = key else { return Ok(None) };
        let json: Option<String> = conn
            .hget(self.key("sites"), &key)
            .await
            .map_err(unavailable)?;
        match json {
            Some(json) => {
                let site = from_json(&json)?;
                Ok(Some((json, site)))
            }
            None => Ok(None),
        }
    }

    async fn summaries(&self, args: &[&str]) -> StoreResult<Vec<ConversationSummary>> {
        let reply = self.run(&self.scripts.conversations, args).await?;
        reply.rest().map(|view| summary(&view)).collect()
    }

    /// Sets `field` of hash `hash` only if it is already there, in one
    /// command (no read-then-write race): [`StoreError::NotFound`] if not.
    async fn hset_existing(&self, hash: &str, field: &str, value: &str) -> StoreResult<()> {
        let set: i64 = redis::cmd("EVAL")
            .arg(
                "if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end \
                 redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return 1",
            )
            .arg(1)
            .arg(self.key(hash))
            .arg(field)
            .arg(value)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        if set == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    fn stored_message(author: Author, msg: NewMessage) -> StoreResult<(ClientId, String)> {
        let stored = StoredMessage {
            client_id: msg.client_id.clone(),
            author,
            body: msg.body,
            sent_at: msg.now,
        };
        Ok((msg.client_id, to_json(&stored)?))
    }
}

#[async_trait]
impl Store for RedisStore {
    fn backend(&self) -> &'static str {
        "redis"
    }

    fn reconnects(&self) -> u64 {
        self.conn.recoveries() + self.resubscribed.load(std::sync::atomic::Ordering::Relaxed)
    }

    async fn check(&self) -> StoreResult<()> {
        redis::cmd("PING")
            .query_async::<String>(&mut self.conn.clone())
            .await
            .map(drop)
            .map_err(unavailable)
    }

    async fn insert_site(&self, site: Site) -> StoreResult<()> {
        let json = to_json(&site)?;
        let args = [site.id.as_str(), site.key.as_str(), json.as_str()];
        self.run(&self.scripts.insert_site, &args).await.map(drop)
    }

    async fn site_by_key(&self, key: &str) -> StoreResult<Option<Site>> {
        let json: Option<String> = self
            .conn
            .clone()
            .hget(self.key("sites"), key)
            .await
            .map_err(unavailable)?;
        json.as_deref().map(from_json).transpose()
    }

    async fn list_sites(&self) -> StoreResult<Vec<Site>> {
        let all: Vec<String> = self
            .conn
            .clone()
            .hvals(self.key("sites"))
            .await
            .map_err(unavailable)?;
        let mut sites = all
            .iter()
            .map(|json| from_json::<Site>(json))
            .collect::<StoreResult<Vec<_>>>()?;
        sites.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        Ok(sites)
    }

    async fn update_site(&self, id: &SiteId, patch: SitePatch) -> StoreResult<Site> {
        for attempt in 0..CAS_ATTEMPTS {
            if attempt > 0 {
                cas_pause(attempt).await;
            }
            let Some((current, mut site)) = self.site_json(id).await? else {
                return Err(StoreError::NotFound);
            };
            patch.apply(&mut site);
            let json = to_json(&site)?;
            let reply = self
                .run_raw(&self.scripts.update_site, &[id.as_str(), &current, &json])
                .await?;
            if reply.first().map(String::as_str) != Some("retry") {
                Reply::new(reply)?;
                return Ok(site);
            }
        }
        Err(StoreError::Unavailable(
            "the site kept changing; retry".into(),
        ))
    }

    async fn delete_site(&self, id: &SiteId) -> StoreResult<()> {
        let batch = DELETE_BATCH.to_string();
        let mut first = true;
        loop {
            let reply = match self
                .run(&self.scripts.delete_site, &[id.as_str(), &batch])
                .await
            {
                Ok(reply) => reply,
                // Another node finished the job between two batches.
                Err(StoreError::NotFound) if !first => break,
                Err(e) => return Err(e),
            };
            first = false;
            let remaining: u64 = number(&reply.into_values().next().unwrap_or_default())?;
            if remaining == 0 {
                break;
            }
        }
        for agent in self.list_agents().await? {
            if agent.sites.contains(id) {
                let sites = agent.sites.iter().filter(|s| *s != id).cloned().collect();
                let patch = AgentPatch {
                    sites: Some(sites),
                    ..AgentPatch::default()
                };
                match self.update_agent(&agent.id, patch).await {
                    Ok(_) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        let key: Option<String> = self
            .conn
            .clone()
            .hget(self.key("site_ids"), id.as_str())
            .await
            .map_err(unavailable)?;
        match key {
            Some(key) => self.site_by_key(&key).await,
            None => Ok(None),
        }
    }

    async fn list_agents(&self) -> StoreResult<Vec<AgentRecord>> {
        let all: Vec<String> = self
            .conn
            .clone()
            .hvals(self.key("agents"))
            .await
            .map_err(unavailable)?;
        let mut agents = all
            .iter()
            .map(|json| from_json::<AgentRecord>(json))
            .collect::<StoreResult<Vec<_>>>()?;
        agents.sort_by(|a, b| a.email.cmp(&b.email));
        Ok(agents)
    }

    async fn insert_agent(&self, agent: AgentRecord) -> StoreResult<()> {
        match self.save_agent(&agent, "").await? {
            Saved::Done => Ok(()),
            // Inserting never compares a record: only `conflict` refuses.
            Saved::Changed => Err(StoreError::Conflict),
        }
    }

    async fn update_agent(&self, id: &AgentId, patch: AgentPatch) -> StoreResult<AgentRecord> {
        // Read, patch, write if unchanged meanwhile: field by field, the
        // last write wins and no concurrent change is lost.
        for attempt in 0..CAS_ATTEMPTS {
            if attempt > 0 {
                cas_pause(attempt).await;
            }
            let current: Option<String> = self
                .conn
                .clone()
                .hget(self.key("agents"), id.as_str())
                .await
                .map_err(unavailable)?;
            let Some(current) = current else {
                return Err(StoreError::NotFound);
            };
            let mut agent: AgentRecord = from_json(&current)?;
            patch.apply(&mut agent);
            if self.save_agent(&agent, &current).await? == Saved::Done {
                return Ok(agent);
            }
        }
        Err(StoreError::Unavailable(
            "the agent kept changing; retry".into(),
        ))
    }

    async fn delete_agent(&self, id: &AgentId) -> StoreResult<()> {
        self.run(&self.scripts.delete_agent, &[id.as_str()])
            .await
            .map(drop)
    }

    async fn list_canned(&self) -> StoreResult<Vec<shared::api::CannedResponse>> {
        let all: Vec<String> = self
            .conn
            .clone()
            .hvals(self.key("canned"))
            .await
            .map_err(unavailable)?;
        let mut all: Vec<shared::api::CannedResponse> = all
            .iter()
            .map(|j| from_json(j))
            .collect::<StoreResult<_>>()?;
        all.sort_by(|a, b| (&a.shortcut, &a.title, &a.id).cmp(&(&b.shortcut, &b.title, &b.id)));
        Ok(all)
    }

    async fn canned(
        &self,
        id: &shared::CannedId,
    ) -> StoreResult<Option<shared::api::CannedResponse>> {
        let json: Option<String> = self
            .conn
            .clone()
            .hget(self.key("canned"), id.as_str())
            .await
            .map_err(unavailable)?;
        json.map(|j| from_json(&j)).transpose()
    }

    async fn insert_canned(&self, canned: shared::api::CannedResponse) -> StoreResult<()> {
        let created: bool = self
            .conn
            .clone()
            .hset_nx(self.key("canned"), canned.id.as_str(), to_json(&canned)?)
            .await
            .map_err(unavailable)?;
        if created {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    async fn update_canned(&self, canned: shared::api::CannedResponse) -> StoreResult<()> {
        self.hset_existing("canned", canned.id.as_str(), &to_json(&canned)?)
            .await
    }

    async fn articles(&self, site: &SiteId) -> StoreResult<Vec<shared::help::ArticleListing>> {
        self.art_list(site).await
    }

    async fn has_articles(&self, site: &SiteId) -> StoreResult<bool> {
        self.art_any(site).await
    }

    async fn article(
        &self,
        site: &SiteId,
        id: &shared::ArticleId,
    ) -> StoreResult<Option<shared::help::Article>> {
        self.art_one(site, id).await
    }

    async fn insert_article(&self, article: shared::help::Article) -> StoreResult<()> {
        self.art_put(&article, true).await
    }

    async fn update_article(&self, article: shared::help::Article) -> StoreResult<()> {
        self.art_put(&article, false).await
    }

    async fn delete_article(&self, site: &SiteId, id: &shared::ArticleId) -> StoreResult<()> {
        self.art_delete(site, id).await
    }

    async fn count_article(
        &self,
        site: &SiteId,
        id: &shared::ArticleId,
        what: shared::help::ArticleCount,
    ) -> StoreResult<()> {
        self.art_count(site, id, what).await
    }

    async fn request_callback(
        &self,
        callback: shared::callback::Callback,
    ) -> StoreResult<shared::callback::Callback> {
        self.cb_request(callback).await
    }

    async fn callback(
        &self,
        id: &shared::CallbackId,
    ) -> StoreResult<Option<shared::callback::Callback>> {
        self.cb_one(id).await
    }

    async fn visitor_callbacks(
        &self,
        visitor: &VisitorId,
        limit: usize,
    ) -> StoreResult<Vec<shared::callback::Callback>> {
        self.cb_of_visitor(visitor, limit).await
    }

    async fn callbacks(
        &self,
        open: bool,
        limit: usize,
    ) -> StoreResult<Vec<shared::callback::Callback>> {
        self.cb_list(open, limit).await
    }

    async fn change_callback(
        &self,
        id: &shared::CallbackId,
        change: crate::callbacks::Change,
        now: Millis,
    ) -> StoreResult<shared::callback::Callback> {
        self.cb_change(id, &change, now).await
    }

    async fn delete_canned(&self, id: &shared::CannedId) -> StoreResult<()> {
        let deleted: i64 = self
            .conn
            .clone()
            .hdel(self.key("canned"), id.as_str())
            .await
            .map_err(unavailable)?;
        if deleted == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    async fn list_teams(&self) -> StoreResult<Vec<Team>> {
        let all: Vec<(String, String)> = self
            .conn
            .clone()
            .hgetall(self.key("teams"))
            .await
            .map_err(unavailable)?;
        let mut teams: Vec<Team> = all
            .into_iter()
            .map(|(id, name)| Team {
                id: TeamId(id),
                name,
            })
            .collect();
        teams.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
        Ok(teams)
    }

    async fn insert_team(&self, team: Team) -> StoreResult<()> {
        let created: bool = self
            .conn
            .clone()
            .hset_nx(self.key("teams"), team.id.as_str(), &team.name)
            .await
            .map_err(unavailable)?;
        if created {
            Ok(())
        } else {
            Err(StoreError::Conflict)
        }
    }

    async fn rename_team(&self, id: &TeamId, name: String) -> StoreResult<Team> {
        self.hset_existing("teams", id.as_str(), &name).await?;
        Ok(Team {
            id: id.clone(),
            name,
        })
    }

    async fn delete_team(&self, id: &TeamId) -> StoreResult<()> {
        let removed: i64 = self
            .conn
            .clone()
            .hdel(self.key("teams"), id.as_str())
            .await
            .map_err(unavailable)?;
        if removed == 0 {
            return Err(StoreError::NotFound);
        }
        for agent in self.list_agents().await? {
            if agent.teams.contains(id) {
                let teams = agent.teams.iter().filter(|t| *t != id).cloned().collect();
                let patch = AgentPatch {
                    teams: Some(teams),
                    ..AgentPatch::default()
                };
                match self.update_agent(&agent.id, patch).await {
                    // Deleted meanwhile: nothing to take the team off.
                    Ok(_) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        // Its sites route to any of their agents; conversations still
        // waiting for it count as team-less (drain.lua checks the team).
        for site in self.list_sites().await? {
            if site.team.as_ref() == Some(id) {
                let patch = SitePatch {
                    team: Some(None),
                    ..SitePatch::default()
                };
                match self.update_site(&site.id, patch).await {
                    Ok(_) | Err(StoreError::NotFound) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>> {
        let id: Option<String> = self
            .conn
            .clone()
            .hget(self.key("agent_emails"), email)
            .await
            .map_err(unavailable)?;
        match id {
            Some(id) => self.agent(&AgentId(id)).await,
            None => Ok(None),
        }
    }

    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
        let json: Option<String> = self
            .conn
            .clone()
            .hget(self.key("agents"), id.as_str())
            .await
            .map_err(unavailable)?;
        json.as_deref().map(from_json).transpose()
    }

    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        ttl: Duration,
    ) -> StoreResult<()> {
        // Redis refuses a zero expiry: an already-expired session is none.
        if ttl.is_zero() {
            return Ok(());
        }
        let ttl_ms = u64::try_from(ttl.as_millis())
            .unwrap_or(u64::MAX)
            .to_string();
        let args = [token_hash, agent.as_str(), ttl_ms.as_str()];
        self.run(&self.scripts.create_session, &args)
            .await
            .map(drop)
    }

    async fn session_agent(&self, token_hash: &str) -> StoreResult<Option<AgentId>> {
        let agent: Option<String> = self
            .conn
            .clone()
            .get(self.key(&format!("session:{token_hash}")))
            .await
            .map_err(unavailable)?;
        Ok(agent.map(AgentId))
    }

    async fn session_ends(&self, token_hash: &str) -> StoreResult<Option<Millis>> {
        // PTTL: milliseconds left, or negative when the key is gone (or,
        // never here, has no expiry).
        let left: i64 = self
            .conn
            .clone()
            .pttl(self.key(&format!("session:{token_hash}")))
            .await
            .map_err(unavailable)?;
        Ok(u64::try_from(left)
            .ok()
            .filter(|&l| l > 0)
            .map(|l| now_millis().saturating_add(l)))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.conn
            .clone()
            .del::<_, ()>(self.key(&format!("session:{token_hash}")))
            .await
            .map_err(unavailable)
    }

    async fn delete_sessions(&self, agent: &AgentId, except: Option<&str>) -> StoreResult<()> {
        let args = [agent.as_str(), except.unwrap_or("")];
        self.run(&self.scripts.delete_sessions, &args)
            .await
            .map(drop)
    }

    async fn create_visitor(
        &self,
        token_hash: &str,
        site: &SiteId,
        locale: Option<String>,
        origin: Option<String>,
    ) -> StoreResult<Visitor> {
        let visitor = Visitor::new(site, locale, origin);
        let info = to_json(&VisitorInfo {
            id: visitor.id.clone(),
            locale: visitor.locale.clone(),
            origin: visitor.origin.clone(),
            name: None,
            email: None,
            attributes: Default::default(),
            user_id: None,
        })?;
        let args = [
            token_hash,
            visitor.id.as_str(),
            site.as_str(),
            info.as_str(),
        ];
        let id = self
            .run(&self.scripts.create_visitor, &args)
            .await?
            .value()?;
        if id == visitor.id.as_str() {
            return Ok(visitor);
        }
        // Another connection created this token's visitor first.
        self.visitor_by_token(token_hash)
            .await?
            .ok_or(StoreError::NotFound)
    }

    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<Visitor>> {
        let id: Option<String> = self
            .conn
            .clone()
            .hget(self.key("visitor_tokens"), token_hash)
            .await
            .map_err(unavailable)?;
        let Some(id) = id else { return Ok(None) };
        // Written with the token in one transaction; gone only if its site
        // was deleted (or the visitor erased) in between.
        self.visitor(&VisitorId(id)).await
    }

    async fn visitor(&self, id: &VisitorId) -> StoreResult<Option<Visitor>> {
        let mut conn = self.conn.clone();
        let (site, info, conv): (Option<String>, Option<String>, Option<String>) = conn
            .hmget(
                self.key(&format!("visitor:{id}")),
                &["site", "info", "conv"],
            )
            .await
            .map_err(unavailable)?;
        let (Some(site), Some(info)) = (site, info) else {
            return Ok(None);
        };
        let info: VisitorInfo = from_json(&info)?;
        Ok(Some(Visitor {
            id: info.id,
            site: SiteId(site),
            locale: info.locale,
            origin: info.origin,
            conversation: conv.map(ConversationId),
            contact: info.email.map(|email| shared::Contact {
                name: info.name,
                email,
            }),
            attributes: info.attributes,
            user_id: info.user_id,
        }))
    }

    async fn visitor_by_user(&self, site: &SiteId, user_id: &str) -> StoreResult<Option<Visitor>> {
        let id: Option<String> = self
            .conn
            .clone()
            .hget(self.key("visitor_users"), user_key(site, user_id))
            .await
            .map_err(unavailable)?;
        let Some(id) = id else { return Ok(None) };
        self.visitor(&VisitorId(id)).await
    }

    async fn bind_user(
        &self,
        visitor: &VisitorId,
        user_id: &str,
    ) -> StoreResult<(Visitor, Option<ConversationSummary>)> {
        let Some(v) = self.visitor(visitor).await? else {
            return Err(StoreError::NotFound);
        };
        let ukey = user_key(&v.site, user_id);
        let mut reply = self
            .run(
                &self.scripts.bind_user,
                &[visitor.as_str(), user_id, ukey.as_str()],
            )
            .await?
            .into_values();
        let holder = reply.next().unwrap_or_default();
        let view = reply.next().unwrap_or_default();
        let bound = self
            .visitor(&VisitorId(holder))
            .await?
            .ok_or(StoreError::NotFound)?;
        let changed = if view.is_empty() {
            None
        } else {
            Some(summary(&view)?)
        };
        Ok((bound, changed))
    }

    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<ConversationSummary>> {
        Ok(self.summaries(&["one", id.as_str()]).await?.pop())
    }

    async fn list_conversations(
        &self,
        filter: ConversationFilter,
    ) -> StoreResult<Vec<ConversationSummary>> {
        let (set, agent, status) = match &filter {
            ConversationFilter::Waiting => return self.summaries(&["queue"]).await,
            ConversationFilter::AssignedTo(a) => ("assigned", a, ConversationStatus::Assigned),
            ConversationFilter::ResolvedBy(a) => ("resolved", a, ConversationStatus::Resolved),
        };
        let mut list = self.summaries(&[set, agent.as_str()]).await?;
        // The index sets are kept exact by the scripts; the filter restates
        // the contract rather than trusting the index.
        list.retain(|c| c.status == status && c.agent.as_ref().is_some_and(|a| &a.id == agent));
        recent_first(&mut list);
        Ok(list)
    }

    async fn index_pending(&self, max: usize) -> StoreResult<super::Indexed> {
        let mut conn = self.conn.clone();
        let listed: Vec<String> = conn
            .srandmember_multiple(self.key("unindexed"), INDEX_CONVERSATIONS)
            .await
            .map_err(unavailable)?;
        let mut more = listed.len() >= INDEX_CONVERSATIONS as usize;
        let mut done = 0;
        for id in listed {
            if done >= max {
                more = true;
                break;
            }
            let from: Option<usize> = conn
                .hget(self.key(&format!("conv:{id}")), "indexed")
                .await
                .map_err(unavailable)?;
            let from = from.unwrap_or_default();
            // seq n is at index n - 1: the first unindexed one is at `from`.
            let start = isize::try_from(from).unwrap_or(isize::MAX);
            let take = isize::try_from(max - done).unwrap_or(isize::MAX);
            let stored: Vec<String> = conn
                .lrange(self.key(&format!("msgs:{id}")), start, start + take - 1)
                .await
                .map_err(unavailable)?;
            let mut words = std::collections::BTreeSet::new();
            for m in &stored {
                let m: StoredMessage = from_json(m)?;
                words.extend(crate::search::distinct_words(&m.body));
            }
            let upto = (from + stored.len()).to_string();
            let mut args = vec![id.as_str(), upto.as_str()];
            args.extend(words.iter().map(String::as_str));
            self.run(&self.scripts.index, &args).await?;
            done += stored.len();
        }
        // A round that used its whole budget may have cut a conversation
        // short (or left some unread): say so, so the caller goes on.
        more |= done >= max;
        Ok(super::Indexed {
            messages: done,
            more,
        })
    }

    async fn history(&self, q: &super::HistoryQuery) -> StoreResult<super::HistoryPage> {
        if !q.words.is_empty() {
            super::catch_up(self).await?;
        }
        let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut args: Vec<String> = vec![
            q.agent.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
            q.status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            opt(q.from),
            opt(q.to),
            opt(q.after.as_ref().map(|a| a.created_at)),
            q.after.as_ref().map(|a| a.id.0.clone()).unwrap_or_default(),
            q.limit.to_string(),
            HISTORY_SCAN.to_string(),
            self.search_caps.0.to_string(),
            self.search_caps.1.to_string(),
        ];
        match &q.sites {
            None => args.push("-1".into()),
            Some(sites) => {
                args.push(sites.len().to_string());
                args.extend(sites.iter().map(|s| s.0.clone()));
            }
        }
        args.extend(q.words.iter().cloned());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut reply = self.run(&self.scripts.history, &args).await?;
        let (at, id) = (reply.value()?, reply.value()?);
        let next = if id.is_empty() {
            None
        } else {
            Some(super::HistoryCursor {
                created_at: number(&at)?,
                id: ConversationId(id),
            })
        };
        let conversations = reply
            .rest()
            .map(|view| summary(&view))
            .collect::<StoreResult<_>>()?;
        Ok(super::HistoryPage {
            conversations,
            next,
        })
    }

    async fn append_visitor_message(
        &self,
        visitor: &VisitorId,
        msg: NewMessage,
        queue_cap: u32,
    ) -> StoreResult<VisitorAppend> {
        let now = msg.now.to_string();
        let new_id = random_id("c");
        let cap = queue_cap.to_string();
        let (client_id, stored) = Self::stored_message(Author::Visitor, msg)?;
        let args = [
            visitor.as_str(),
            client_id.as_str(),
            &stored,
            &now,
            &new_id,
            &cap,
        ];
        let mut reply = self.run(&self.scripts.append_visitor, &args).await?;
        let duplicate = reply.flag()?;
        let entered_queue = reply.flag()?;
        let seq = number(&reply.value()?)?;
        let stored = reply.value()?;
        let conversation = summary(&reply.value()?)?;
        Ok(VisitorAppend {
            appended: Appended {
                message: message(&conversation.id, seq, &stored)?,
                duplicate,
                conversation,
            },
            entered_queue,
        })
    }

    async fn append_agent_message(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        msg: NewMessage,
    ) -> StoreResult<Appended> {
        let author = Author::Agent {
            id: agent.id.clone(),
            name: agent.name.clone(),
        };
        let (client_id, stored) = Self::stored_message(author, msg)?;
        let args = [
            conversation.as_str(),
            agent.id.as_str(),
            client_id.as_str(),
            &stored,
        ];
        let mut reply = self.run(&self.scripts.append_agent, &args).await?;
        let duplicate = reply.flag()?;
        let seq = number(&reply.value()?)?;
        let message = message(conversation, seq, &reply.value()?)?;
        Ok(Appended {
            message,
            duplicate,
            conversation: summary(&reply.value()?)?,
        })
    }

    async fn add_note(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        n: NewMessage,
    ) -> StoreResult<NoteAdded> {
        let stored = to_json(&StoredNote {
            client_id: n.client_id.clone(),
            author: shared::AgentPublic {
                id: agent.id.clone(),
                name: agent.name.clone(),
            },
            body: n.body,
            sent_at: n.now,
        })?;
        let cap = shared::limits::MAX_NOTES_PER_CONVERSATION.to_string();
        let args = [
            conversation.as_str(),
            agent.id.as_str(),
            n.client_id.as_str(),
            &stored,
            &cap,
        ];
        let mut reply = self.run(&self.scripts.add_note, &args).await?;
        let duplicate = reply.flag()?;
        let id = number(&reply.value()?)?;
        let note = note(conversation, id, &reply.value()?)?;
        Ok(NoteAdded {
            note,
            duplicate,
            conversation: summary(&reply.value()?)?,
        })
    }

    async fn notes(&self, conversation: &ConversationId) -> StoreResult<Vec<shared::Note>> {
        let (exists, entries): (bool, Vec<String>) = redis::pipe()
            .atomic()
            .exists(self.key(&format!("conv:{conversation}")))
            .lrange(self.key(&format!("notes:{conversation}")), 0, -1)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        if !exists {
            return Err(StoreError::NotFound);
        }
        entries
            .iter()
            .enumerate()
            .map(|(i, e)| note(conversation, i as u64 + 1, e))
            .collect()
    }

    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>> {
        // seq n lives at index n - 1, so the page starts at index `after`.
        let start = isize::try_from(after).unwrap_or(isize::MAX);
        // LRANGE's stop is inclusive and -1 means "to the end": keep it >= start.
        let stop = start.saturating_add(isize::try_from(limit).unwrap_or(isize::MAX).max(1) - 1);
        let (exists, stored): (bool, Vec<String>) = redis::pipe()
            .atomic()
            .exists(self.key(&format!("conv:{conversation}")))
            .lrange(self.key(&format!("msgs:{conversation}")), start, stop)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        if !exists {
            return Err(StoreError::NotFound);
        }
        // `after` comes from clients (`?after_seq=`, `sync`): no `+ 1` on it
        // can be allowed to overflow. Past `isize::MAX` the page is empty.
        stored
            .iter()
            .take(limit)
            .enumerate()
            .map(|(i, m)| message(conversation, after.saturating_add(1 + i as u64), m))
            .collect()
    }

    async fn set_presence(&self, agent: &AgentId, presence: Presence) -> StoreResult<()> {
        let args = [agent.as_str(), presence_name(presence)];
        self.run(&self.scripts.set_presence, &args).await.map(drop)
    }

    async fn heartbeat(&self, agent: &AgentId, ttl: Duration) -> StoreResult<()> {
        let key = self.key(&format!("hb:{agent}"));
        let mut conn = self.conn.clone();
        // Redis refuses a zero expiry: an already-expired heartbeat is none.
        if ttl.is_zero() {
            return conn.del::<_, ()>(key).await.map_err(unavailable);
        }
        conn.pset_ex::<_, _, ()>(key, "1", ttl.as_millis() as u64)
            .await
            .map_err(unavailable)
    }

    async fn stale_agents(&self) -> StoreResult<Vec<AgentId>> {
        let reply = self.run(&self.scripts.stale, &[]).await?;
        let mut stale: Vec<AgentId> = reply.rest().map(AgentId).collect();
        stale.sort();
        Ok(stale)
    }

    async fn presence(&self, agent: &AgentId) -> StoreResult<Presence> {
        let name: Option<String> = self
            .conn
            .clone()
            .hget(self.key("presence"), agent.as_str())
            .await
            .map_err(unavailable)?;
        name.as_deref()
            .map_or(Ok(Presence::Offline), parse_presence)
    }

    async fn queue(&self) -> StoreResult<Vec<QueueEntry>> {
        let values: Vec<String> = self.run(&self.scripts.queue, &[]).await?.rest().collect();
        let some = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        values
            .chunks_exact(6)
            .map(|e| {
                Ok(QueueEntry {
                    conversation: ConversationId(e[0].clone()),
                    site: SiteId(e[1].clone()),
                    team: some(&e[2]).map(TeamId),
                    queued_at: number(&e[3])?,
                    language: some(&e[4]),
                    returning: some(&e[5]).map(AgentId),
                })
            })
            .collect()
    }

    async fn mark(
        &self,
        conversation: &ConversationId,
        party: super::Party,
        mark: super::Mark,
        seq: Seq,
    ) -> StoreResult<Option<ConversationSummary>> {
        let (field, also) = mark.fields(party);
        let seq = seq.to_string();
        let mut reply = self
            .run(
                &self.scripts.mark,
                &[conversation.as_str(), field, also.unwrap_or(""), &seq],
            )
            .await?;
        let moved = reply.value()? == "1";
        let after = summary(&reply.value()?)?;
        Ok(moved.then_some(after))
    }

    async fn page_viewed(&self, visitor: &VisitorId, v: super::PageVisit) -> StoreResult<()> {
        let page = to_json(&shared::api::PageView {
            url: v.url,
            title: v.title,
            at: v.at,
        })?;
        let (at, gap, kept) = (
            v.at.to_string(),
            super::VISIT_GAP.to_string(),
            super::PAGES_KEPT.to_string(),
        );
        let args = [
            visitor.as_str(),
            &at,
            &page,
            v.referrer.as_deref().unwrap_or(""),
            v.user_agent.as_deref().unwrap_or(""),
            v.time_zone.as_deref().unwrap_or(""),
            &gap,
            &kept,
        ];
        self.run(&self.scripts.page_viewed, &args).await.map(drop)
    }

    async fn erase_visitor(&self, id: &VisitorId) -> StoreResult<()> {
        self.run(&self.scripts.erase_visitor, &[id.as_str()])
            .await
            .map(drop)
    }

    async fn scrub(&self) -> StoreResult<()> {
        // Deleted keys and members are gone from the keyspace already.
        Ok(())
    }

    async fn expired_visitors(
        &self,
        site: &SiteId,
        before: Millis,
        limit: usize,
    ) -> StoreResult<Vec<VisitorId>> {
        let mut found = Vec::new();
        let (before, page) = (before.to_string(), self.expired_page.to_string());
        for n in 0..super::EXPIRED_PAGES {
            let (wanted, offset) = (
                (limit - found.len()).to_string(),
                (n * self.expired_page).to_string(),
            );
            let mut reply = self
                .run(
                    &self.scripts.expired,
                    &[site.as_str(), &before, &wanted, &page, &offset],
                )
                .await?;
            let more = reply.flag()?;
            found.extend(reply.rest().map(VisitorId));
            if !more || found.len() >= limit {
                break;
            }
        }
        Ok(found)
    }

    async fn visitor_activity(
        &self,
        visitor: &VisitorId,
    ) -> StoreResult<Option<super::VisitorActivity>> {
        let mut conn = self.conn.clone();
        let fields: std::collections::HashMap<String, String> = conn
            .hgetall(self.key(&format!("vact:{visitor}")))
            .await
            .map_err(unavailable)?;
        let Some(first_seen) = fields.get("first_seen") else {
            return Ok(None);
        };
        let pages: Vec<String> = conn
            .lrange(self.key(&format!("vpages:{visitor}")), 0, -1)
            .await
            .map_err(unavailable)?;
        let get = |k: &str| fields.get(k).cloned();
        Ok(Some(super::VisitorActivity {
            first_seen: number(first_seen)?,
            last_seen: number(fields.get("last_seen").map_or("0", String::as_str))?,
            visits: number::<u32>(fields.get("visits").map_or("0", String::as_str))?,
            user_agent: get("user_agent"),
            time_zone: get("time_zone"),
            referrer: get("referrer"),
            pages: pages
                .iter()
                .map(|p| from_json(p))
                .collect::<StoreResult<_>>()?,
        }))
    }

    async fn served(&self, line: &QueueKey) -> StoreResult<Vec<Millis>> {
        let key = format!(
            "served:{}:{}",
            line.site,
            line.team.as_ref().map_or("", |t| t.as_str())
        );
        let times: Vec<String> = self
            .conn
            .clone()
            .lrange(self.key(&key), 0, -1)
            .await
            .map_err(unavailable)?;
        times.iter().map(|t| number(t)).collect()
    }

    async fn drain_queue(&self, now: Millis, fallback: Millis) -> StoreResult<Vec<Assignment>> {
        let args = [now.to_string(), fallback.to_string()];
        let reply = self.run(&self.scripts.drain, &[&args[0], &args[1]]).await?;
        reply
            .rest()
            .map(|view| {
                Ok(Assignment {
                    conversation: summary(&view)?,
                })
            })
            .collect()
    }

    async fn transfer(
        &self,
        conversation: &ConversationId,
        from: Option<&AgentId>,
        to: &shared::TransferTarget,
        now: Millis,
    ) -> StoreResult<ConversationSummary> {
        use shared::TransferTarget;
        let (kind, target) = match to {
            TransferTarget::Agent { agent } => ("agent", agent.as_str()),
            TransferTarget::Team { team } => ("team", team.as_str()),
            TransferTarget::Supervisor => ("supervisor", ""),
        };
        let now = now.to_string();
        let from = from.map_or("", |a| a.as_str());
        let args = [conversation.as_str(), from, kind, target, &now];
        summary(&self.run(&self.scripts.transfer, &args).await?.value()?)
    }

    async fn pick(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        now: Millis,
    ) -> StoreResult<ConversationSummary> {
        let args = [conversation.as_str(), agent.as_str(), &now.to_string()];
        summary(&self.run(&self.scripts.pick, &args).await?.value()?)
    }

    async fn resolve(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
    ) -> StoreResult<ConversationSummary> {
        let args = [conversation.as_str(), agent.as_str()];
        summary(&self.run(&self.scripts.resolve, &args).await?.value()?)
    }

    async fn rate(
        &self,
        conversation: &ConversationId,
        rating: super::StoredRating,
    ) -> StoreResult<ConversationSummary> {
        let json = to_json(&rating)?;
        let args = [conversation.as_str(), json.as_str()];
        summary(&self.run(&self.scripts.rate, &args).await?.value()?)
    }

    async fn set_details(
        &self,
        visitor: &VisitorId,
        details: &super::VisitorDetails,
        left_message: bool,
    ) -> StoreResult<Option<ConversationSummary>> {
        let attributes = to_json(&details.attributes)?;
        let args = [
            visitor.as_str(),
            details.name.as_deref().unwrap_or(""),
            details.email.as_deref().unwrap_or(""),
            attributes.as_str(),
            if left_message { "1" } else { "" },
        ];
        let view = self.run(&self.scripts.set_details, &args).await?.value()?;
        if view.is_empty() {
            return Ok(None);
        }
        summary(&view).map(Some)
    }

    async fn requeue_agent(&self, agent: &AgentId) -> StoreResult<Vec<ConversationSummary>> {
        let reply = self.run(&self.scripts.requeue, &[agent.as_str()]).await?;
        reply.rest().map(|view| summary(&view)).collect()
    }

    async fn load(&self, agent: &AgentId) -> StoreResult<u32> {
        let load: Option<u32> = self
            .conn
            .clone()
            .hget(self.key("loads"), agent.as_str())
            .await
            .map_err(unavailable)?;
        Ok(load.unwrap_or(0))
    }

    async fn clocks(&self, conversations: &[ConversationId]) -> StoreResult<Vec<Option<String>>> {
        if conversations.is_empty() {
            return Ok(Vec::new());
        }
        let mut pipe = redis::pipe();
        for id in conversations {
            pipe.hget(self.key(&format!("conv:{id}")), "clocks");
        }
        pipe.query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)
    }

    async fn advance_clocks(
        &self,
        changes: Vec<super::ClockChange>,
    ) -> StoreResult<Vec<super::Advance>> {
        use super::Advance;
        if changes.is_empty() {
            return Ok(Vec::new());
        }
        let mut args = vec![changes.len().to_string()];
        for change in &changes {
            args.push(change.conversation.as_str().to_owned());
            args.push(change.expected.clone().unwrap_or_default());
            args.push(change.clocks.clone());
            args.push(change.site.as_str().to_owned());
            args.push(change.counts.len().to_string());
            for (hour, count) in &change.counts {
                args.push(hour.to_string());
                args.push(format!("{}|{}", count.dim, count.field));
                args.push(count.op.as_str().to_owned());
                args.push(count.value.to_string());
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&self.scripts.advance, &args)
            .await?
            .rest()
            .map(|status| match status.as_str() {
                "applied" => Ok(Advance::Applied),
                "conflict" => Ok(Advance::Conflict),
                "gone" => Ok(Advance::Gone),
                other => Err(corrupt(&format!("advance: {other}"))),
            })
            .collect()
    }

    async fn tally(
        &self,
        site: &SiteId,
        hour: Millis,
        counts: Vec<crate::reports::tally::Count>,
    ) -> StoreResult<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut args = vec![site.as_str().to_owned(), hour.to_string()];
        for count in &counts {
            args.push(format!("{}|{}", count.dim, count.field));
            args.push(count.op.as_str().to_owned());
            args.push(count.value.to_string());
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.run(&self.scripts.tally, &args).await.map(drop)
    }

    async fn tallies(
        &self,
        site: &SiteId,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<crate::reports::tally::Cell>> {
        use crate::reports::tally::{Cell, HOUR};
        let hours: Vec<Millis> = (from / HOUR..to.div_ceil(HOUR))
            .map(|h| h * HOUR)
            .filter(|h| (from..to).contains(h))
            .collect();
        let mut cells = Vec::new();
        // A pipeline per month of hours: one round trip each, replies of
        // bounded size.
        for chunk in hours.chunks(744) {
            let mut pipe = redis::pipe();
            for hour in chunk {
                pipe.hgetall(self.key(&format!("tally:{site}:{hour}")));
            }
            let buckets: Vec<Vec<(String, i64)>> = pipe
                .query_async(&mut self.conn.clone())
                .await
                .map_err(unavailable)?;
            for (hour, bucket) in chunk.iter().zip(buckets) {
                for (cell, value) in bucket {
                    if let Some((dim, field)) = cell.split_once('|') {
                        cells.push(Cell {
                            hour: *hour,
                            dim: dim.to_owned(),
                            field: field.to_owned(),
                            value,
                        });
                    }
                }
            }
        }
        Ok(cells)
    }

    async fn claim(&self, name: &str, ttl: Duration) -> StoreResult<bool> {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1);
        let set: Option<String> = redis::cmd("SET")
            .arg(self.key(&format!("claim:{name}")))
            .arg(1)
            .arg("NX")
            .arg("PX")
            .arg(ms)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        Ok(set.is_some())
    }

    async fn take_login_attempt(
        &self,
        keys: &[super::throttle::Limited],
        now: Millis,
    ) -> StoreResult<Option<Millis>> {
        let mut args = vec![now.to_string()];
        for k in keys {
            let r = k.rule;
            args.extend([
                k.key.clone(),
                r.free.to_string(),
                r.base_ms.to_string(),
                r.cap_ms.to_string(),
                r.window_ms.to_string(),
            ]);
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let wait: Millis = number(
            &self
                .run(&self.scripts.login_attempt, &refs)
                .await?
                .value()?,
        )?;
        Ok((wait > 0).then_some(wait))
    }

    async fn login_succeeded(&self, clear: &str, undo: &str) -> StoreResult<()> {
        self.run(&self.scripts.login_succeeded, &[clear, undo])
            .await
            .map(drop)
    }

    async fn publish(&self, event: Event) -> StoreResult<()> {
        self.conn
            .clone()
            .publish::<_, _, ()>(&self.channel, to_json(&event)?)
            .await
            .map_err(unavailable)
    }

    fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_redis::{free_port, RedisServer};
    use std::sync::Arc;
    use tokio::time::{timeout, Instant};

    /// Poll interval while waiting for a condition (not a synchronisation
    /// delay: every wait has a deadline and checks the condition).
    const POLL: Duration = Duration::from_millis(20);

    async fn store(url: &str, namespace: &str) -> RedisStore {
        RedisStore::connect(url, namespace).await.unwrap()
    }

    /// Each case gets its own redis-server (killed when the guard drops).
    async fn fresh() -> (Arc<dyn Store>, RedisServer) {
        let server = RedisServer::start().await;
        let store = store(&server.url(), &random_id("t")).await;
        (Arc::new(store), server)
    }

    crate::store::conformance::conformance_tests!(fresh);

    /// Privacy: after an erasure no key name or value in the namespace
    /// holds anything of the visitor.
    #[tokio::test]
    async fn an_erased_visitor_leaves_nothing_in_redis() {
        use crate::store::conformance::{erase_one_of_two, ERASED_MARKS, KEPT_MARK};
        let server = RedisServer::start().await;
        let store = store(&server.url(), &random_id("t")).await;
        erase_one_of_two(&store).await;
        let mut conn = store.conn.clone();
        let mut text = String::new();
        for key in store.scan("*").await.unwrap() {
            let kind: String = redis::cmd("TYPE")
                .arg(&key)
                .query_async(&mut conn)
                .await
                .unwrap();
            let values: Vec<String> = match kind.as_str() {
                "string" => vec![conn.get(&key).await.unwrap()],
                "hash" => conn.hgetall::<_, Vec<String>>(&key).await.unwrap(),
                "list" => conn.lrange(&key, 0, -1).await.unwrap(),
                "set" => conn.smembers(&key).await.unwrap(),
                "zset" => conn.zrange(&key, 0, -1).await.unwrap(),
                other => panic!("{key}: unexpected type {other}"),
            };
            text.push_str(&key);
            for v in values {
                text.push(' ');
                text.push_str(&v);
            }
            text.push('\n');
        }
        let text = text.to_lowercase();
        assert!(text.contains(KEPT_MARK), "the scan reads the data");
        for mark in ERASED_MARKS {
            assert!(!text.contains(mark), "{mark} is still in Redis");
        }
    }

    /// The conformance suite does not reach choose_agent's last tie-break
    /// (id). Check the Lua choice against the Rust rule, with ids that a
    /// collation locale would order unlike bytes (`Z` < `a` in bytes, not
    /// in `en_US`; Lua's `<` would follow the server's locale).
    #[tokio::test]
    async fn drain_ties_match_choose_agent() {
        use crate::store::choose::{choose_agent, Candidate, Wanted};
        let server = RedisServer::start().await;
        let store = store(&server.url(), &random_id("t")).await;
        store.insert_site(site()).await.unwrap();
        let ids = ["a_amy", "a_Zed", "a_bob"];
        for id in ids {
            store.insert_agent(agent(id)).await.unwrap();
            store
                .set_presence(&id.into(), Presence::Online)
                .await
                .unwrap();
        }
        for round in 0..6u64 {
            let mut candidates = Vec::new();
            for id in ids {
                let id = AgentId::from(id);
                let load = store.load(&id).await.unwrap();
                let last_assigned: Option<Millis> = store
                    .conn
                    .clone()
                    .hget(store.key("last_assigned"), id.as_str())
                    .await
                    .unwrap();
                let last_assigned = last_assigned.unwrap_or(0);
                candidates.push(Candidate {
                    id,
                    load,
                    capacity: 2,
                    last_assigned,
                    languages: Vec::new(),
                    teams: Vec::new(),
                    role: shared::Role::Agent,
                });
            }
            let expected = choose_agent(&candidates, Wanted::default())
                .unwrap()
                .id
                .clone();
            let v = store
                .create_visitor(&format!("tok{round}"), &site().id, None, None)
                .await
                .unwrap();
            let msg = NewMessage {
                client_id: "m".into(),
                body: "hi".into(),
                now: 100,
            };
            store
                .append_visitor_message(&v.id, msg, u32::MAX)
                .await
                .unwrap();
            // Same `now` twice, so last_assigned ties too.
            let made = store.drain_queue(10 + round / 2, 60_000).await.unwrap();
            let got = made[0].conversation.agent.as_ref().unwrap().id.clone();
            assert_eq!(got, expected, "round {round}");
        }
    }

    /// A search whose words are in more conversations than one call may
    /// gather (or check) is refused as too broad rather than run; a rarer
    /// word alongside makes the same search fine.
    #[tokio::test]
    async fn a_search_too_broad_for_one_call_is_refused_not_run() {
        let server = RedisServer::start().await;
        let mut store = store(&server.url(), &random_id("t")).await;
        store.insert_site(site()).await.unwrap();
        for n in 0..5 {
            let v = store
                .create_visitor(&format!("tok{n}"), &"s_1".into(), None, None)
                .await
                .unwrap();
            let msg = NewMessage {
                client_id: ClientId(format!("k{n}")),
                body: format!("refund please, case{n}"),
                now: 1_000 + n,
            };
            store.append_visitor_message(&v.id, msg, 100).await.unwrap();
        }
        let search = |text: &str| crate::store::HistoryQuery {
            words: crate::search::query_words(text),
            limit: 10,
            ..Default::default()
        };
        store.search_caps = (3, 10);
        assert_eq!(
            store.history(&search("refund")).await,
            Err(StoreError::TooBroad)
        );
        let found = store.history(&search("refund case3")).await.unwrap();
        assert_eq!(found.conversations.len(), 1, "the rare word first");
        store.search_caps = (3, 0);
        assert_eq!(
            store.history(&search("refund case3")).await,
            Err(StoreError::TooBroad),
            "no checks left for the common word"
        );
        store.search_caps = (HISTORY_IDS, HISTORY_CHECKS);
        let all = store.history(&search("refund")).await.unwrap();
        assert_eq!(all.conversations.len(), 5);
    }

    /// Retention pages past a site's oldest conversations that are still
    /// open, to the resolved and quiet one behind them.
    #[tokio::test]
    async fn retention_looks_past_old_open_conversations() {
        let server = RedisServer::start().await;
        let mut store = store(&server.url(), &random_id("t")).await;
        store.insert_site(site()).await.unwrap();
        let mut agent = AgentRecord::new(
            AgentId("a_1".into()),
            "a@example.com",
            "A",
            "x".into(),
            shared::Role::Agent,
        );
        agent.sites = vec!["s_1".into()];
        agent.capacity = 1;
        store.insert_agent(agent.clone()).await.unwrap();
        let mut last = None;
        for n in 0..6 {
            let v = store
                .create_visitor(&format!("tok{n}"), &"s_1".into(), None, None)
                .await
                .unwrap();
            let msg = NewMessage {
                client_id: ClientId(format!("k{n}")),
                body: "hello".into(),
                now: 1_000 + n,
            };
            let c = store.append_visitor_message(&v.id, msg, 100).await.unwrap();
            last = Some((v.id, c.appended.conversation.id));
        }
        // The newest is resolved; the five before it still wait.
        let (visitor, conv) = last.unwrap();
        store.pick(&conv, &agent.id, 2_000).await.unwrap();
        store.resolve(&conv, &agent.id).await.unwrap();
        store.expired_page = 2;
        let found = store
            .expired_visitors(&"s_1".into(), 10_000, 10)
            .await
            .unwrap();
        assert_eq!(found, [visitor]);
        // A limit stops the paging; none found stays none.
        assert_eq!(
            store
                .expired_visitors(&"s_1".into(), 1_003, 10)
                .await
                .unwrap(),
            []
        );
    }

    fn site() -> Site {
        Site {
            id: "s_1".into(),
            key: "pk_1".into(),
            name: "Site".into(),
            allowed_origins: Vec::new(),
            appearance: Default::default(),
            team: None,
            typing_preview: false,
            retention_days: None,
            survey_nps: false,
            time_zone: None,
            hours: None,
            offline_when_away: false,
            prechat: None,
            identity_secret: String::new(),
            identity_required: false,
            callback_after_mins: None,
            proactive: Vec::new(),
        }
    }

    fn agent(id: &str) -> AgentRecord {
        let mut a = AgentRecord::new(
            id.into(),
            &format!("{id}@example.com"),
            id,
            "x".into(),
            shared::Role::Agent,
        );
        a.capacity = 2;
        a.sites = vec![site().id];
        a
    }

    /// Data written by the Redis layout before the console (sites by key
    /// only, agents with an admin flag, no deletion or session indexes)
    /// reads and behaves like new data after connecting.
    #[tokio::test]
    async fn data_from_the_first_layout_is_upgraded() {
        let server = RedisServer::start().await;
        let ns = random_id("t");
        let p = format!("{{{ns}}}:");
        let client = Client::open(server.url()).unwrap();
        let mut raw = client.get_multiplexed_async_connection().await.unwrap();
        let old_site = r#"{"id":"s_old","key":"pk_old","name":"Old","allowed_origins":[]}"#;
        let boss = r#"{"id":"a_boss","email":"boss@x","name":"Boss","password_hash":"h","admin":true,"capacity":5}"#;
        let sara = r#"{"id":"a_sara","email":"sara@x","name":"Sara","password_hash":"h","admin":false,"capacity":2}"#;
        let old_message = to_json(&StoredMessage {
            client_id: ClientId("k1".into()),
            author: Author::Visitor,
            body: "Where is my Parcel?".into(),
            sent_at: 5,
        })
        .unwrap();
        redis::pipe()
            .rpush(format!("{p}msgs:c_old"), old_message)
            .hset(format!("{p}conv:c_old"), "created_at", 5)
            .hset(format!("{p}conv:c_old"), "visitor", r#"{"id":"v_old"}"#)
            .hset(format!("{p}sites"), "pk_old", old_site)
            .hset(format!("{p}agents"), "a_boss", boss)
            .hset(format!("{p}agents"), "a_sara", sara)
            .hset(format!("{p}agent_emails"), "boss@x", "a_boss")
            .hset(format!("{p}agent_emails"), "sara@x", "a_sara")
            .hset_multiple(
                format!("{p}conv:c_old"),
                &[("site", "s_old"), ("status", "queued")],
            )
            .rpush(format!("{p}queue"), "c_old")
            .hset_multiple(
                format!("{p}visitor:v_old"),
                &[("site", "s_old"), ("info", "{}")],
            )
            .set(format!("{p}session:h_old"), "a_sara")
            .exec_async(&mut raw)
            .await
            .unwrap();

        let node = store(&server.url(), &ns).await;
        assert_eq!(
            node.site(&"s_old".into()).await.unwrap().unwrap().name,
            "Old"
        );
        let agents = node.list_agents().await.unwrap();
        assert!(agents[0].is_admin(), "{agents:?}");
        assert_eq!(agents[1].role, shared::Role::Agent);
        assert_eq!(
            agents[1].sites,
            vec![SiteId::from("s_old")],
            "keeps every site"
        );
        node.delete_sessions(&"a_sara".into(), None).await.unwrap();
        assert_eq!(node.session_agent("h_old").await.unwrap(), None);
        // The history finds what was written before it existed.
        let q = crate::store::HistoryQuery {
            words: crate::search::query_words("parc"),
            limit: 10,
            ..Default::default()
        };
        let found = node.history(&q).await.unwrap().conversations;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id.as_str(), "c_old");
        node.delete_site(&"s_old".into()).await.unwrap();
        assert!(node.queue().await.unwrap().is_empty());
        let left: bool = raw.exists(format!("{p}conv:c_old")).await.unwrap();
        assert!(!left, "the old conversation went with its site");
        // A second node connecting later changes nothing.
        let again = store(&server.url(), &ns).await;
        assert_eq!(
            again.list_agents().await.unwrap(),
            node.list_agents().await.unwrap()
        );
    }

    #[tokio::test]
    async fn events_cross_nodes() {
        let server = RedisServer::start().await;
        let namespace = random_id("t");
        let node_a = store(&server.url(), &namespace).await;
        let node_b = store(&server.url(), &namespace).await;
        let mut rx = node_b.subscribe();
        node_a.publish(Event::QueueChanged).await.unwrap();
        let got = timeout(Duration::from_secs(5), rx.recv()).await;
        assert_eq!(got.expect("event within 5 s").unwrap(), Event::QueueChanged);
    }

    #[tokio::test]
    async fn pubsub_resubscribes_after_redis_restarts() {
        let mut server = RedisServer::start().await;
        let namespace = random_id("t");
        let node_a = store(&server.url(), &namespace).await;
        let node_b = store(&server.url(), &namespace).await;
        let mut rx = node_b.subscribe();

        server.stop();
        let port = server.port;
        let _server = RedisServer::start_on(port)
            .await
            .expect("restart on the same port");

        // Node B says it may have missed events as soon as it is back…
        let got = timeout(Duration::from_secs(15), rx.recv()).await;
        assert_eq!(
            got.expect("a resync after the restart").unwrap(),
            Event::Resync
        );
        // …and hears node A again. Events sent while it was away are lost
        // by design (hence the resync), so keep sending.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            assert!(Instant::now() < deadline, "no event after the restart");
            if node_a.publish(Event::QueueChanged).await.is_ok() {
                if let Ok(got) = timeout(POLL * 5, rx.recv()).await {
                    assert_eq!(got.unwrap(), Event::QueueChanged);
                    break;
                }
            }
        }
    }

    #[tokio::test]
    async fn unreachable_redis_is_unavailable_not_a_panic() {
        let port = free_port();
        let result = RedisStore::connect(&format!("redis://127.0.0.1:{port}/"), "t").await;
        assert!(matches!(result, Err(StoreError::Unavailable(_))));
    }
}
