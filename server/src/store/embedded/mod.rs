//! The embedded store, the default for one server: everything durable in
//! one SQLite file under the data dir, live signals (presence, heartbeats)
//! and the event bus in memory.
//!
//! - Writes go through one writer thread that commits every write waiting
//!   at that moment in one transaction ([`writer`], group commit) and
//!   answers only after the commit: an acknowledged message is on disk
//!   (WAL, `synchronous = FULL`).
//! - Reads run on a small pool of read connections. In WAL mode they see
//!   only committed transactions, so nobody is ever shown a write that a
//!   crash could still take back.
//! - Presence and heartbeats are short-lived signals: kept in memory (a
//!   restarted server has no dashboards connected, so everyone is offline
//!   anyway), never written to disk.
//!
//! # Layout
//! - [`schema`] — tables and versioned migrations;
//! - [`writer`] — the group-commit writer thread;
//! - [`sql`] — each store operation as SQL over one connection;
//! - `callbacks` — callback requests, the same way;
//! - `articles` — help articles, the same way.

mod articles;
mod callbacks;
pub mod schema;
mod sql;
pub mod writer;

use super::{
    AgentPatch, AgentRecord, Appended, Assignment, ConversationFilter, Event, NewMessage,
    NoteAdded, QueueEntry, Site, SitePatch, Store, StoreError, StoreResult, Team, Visitor,
    VisitorAppend,
};
use crate::clock::now_millis;
use crate::secrets::random_id;
use async_trait::async_trait;
use rusqlite::{Connection, OpenFlags};
use shared::{
    AgentId, ChatMessage, ConversationId, ConversationSummary, Millis, Presence, Seq, SiteId,
    TeamId, VisitorId,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use writer::Writer;

/// How many events a slow subscriber may fall behind before it is told it
/// lagged (and re-reads the store).
const EVENT_BUFFER: usize = 4096;
/// Read connections: enough for every actix worker of a small machine to
/// read at once without waiting on each other.
const READERS: usize = 4;
/// The database file inside the data dir.
pub const DB_FILE: &str = "ahlan.db";
/// Held (locked) while a server uses the data dir.
const LOCK_FILE: &str = "ahlan.lock";

/// Why the data dir cannot be used. The messages are for operators: they
/// say what to do.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The directory cannot be created or written.
    #[error("cannot use the data dir {dir}: {source}")]
    Dir {
        /// The data dir.
        dir: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Another process holds it.
    #[error(
        "the data dir {0} is in use by another Ahlan server; stop it first, or give this \
         one its own --data-dir"
    )]
    InUse(PathBuf),
    /// The schema is unusable.
    #[error("cannot open the database in {dir}: {source}")]
    Schema {
        /// The data dir.
        dir: PathBuf,
        /// Why.
        source: schema::SchemaError,
    },
}

/// Presence and heartbeats: in memory only.
#[derive(Default)]
struct Live {
    presence: HashMap<AgentId, Presence>,
    heartbeats: HashMap<AgentId, Instant>,
    /// [`Store::claim`]: name → until when it is taken.
    claims: HashMap<String, Instant>,
}

/// The embedded store.
pub struct EmbeddedStore {
    writer: Writer,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    live: Arc<Mutex<Live>>,
    events: broadcast::Sender<Event>,
    /// Keeps the data dir's lock for as long as the store lives.
    _lock: Option<std::fs::File>,
    /// The database file (an erasure opens it once more to truncate the
    /// WAL: the readers are read-only and the writer is in a transaction).
    path: PathBuf,
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // FULL: a commit is on disk (not just handed to the OS) before it
    // returns, so an ack survives a power cut as well as a kill -9.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Deleted content is overwritten, not just unlinked: an erased
    // visitor's messages must not stay readable in the file (privacy).
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

fn lock_dir(dir: &Path) -> Result<std::fs::File, OpenError> {
    let path = dir.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| OpenError::Dir {
            dir: dir.to_owned(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(OpenError::InUse(dir.to_owned())),
        Err(std::fs::TryLockError::Error(source)) => Err(OpenError::Dir {
            dir: dir.to_owned(),
            source,
        }),
    }
}

impl EmbeddedStore {
    /// Opens (creating if needed) the store in `dir`, migrating an older
    /// schema. Refuses a directory another server holds and a database
    /// written by a newer Ahlan.
    pub fn open(dir: &Path) -> Result<Self, OpenError> {
        std::fs::create_dir_all(dir).map_err(|source| OpenError::Dir {
            dir: dir.to_owned(),
            source,
        })?;
        let lock = lock_dir(dir)?;
        let schema_err = |source: schema::SchemaError| OpenError::Schema {
            dir: dir.to_owned(),
            source,
        };
        let path = dir.join(DB_FILE);
        let mut conn = Connection::open(&path).map_err(|e| schema_err(e.into()))?;
        configure(&conn).map_err(|e| schema_err(e.into()))?;
        // WAL: readers never block the writer, and see only commits.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| schema_err(e.into()))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(schema_err(schema::SchemaError::Sql(
                rusqlite::Error::InvalidParameterName(format!(
                    "the filesystem does not support WAL (journal mode {mode})"
                )),
            )));
        }
        let from = schema::migrate(&mut conn).map_err(schema_err)?;
        if from != schema::CURRENT {
            tracing::info!(from, to = schema::CURRENT, "database schema migrated");
        }
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let r = Connection::open_with_flags(
                &path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .and_then(|r| configure(&r).map(|()| r))
            .map_err(|e| schema_err(e.into()))?;
            readers.push(Mutex::new(r));
        }
        let writer = Writer::start(conn).map_err(|source| OpenError::Dir {
            dir: dir.to_owned(),
            source,
        })?;
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        Ok(Self {
            writer,
            readers,
            next_reader: AtomicUsize::new(0),
            live: Arc::default(),
            events,
            _lock: Some(lock),
            path,
        })
    }

    /// Transactions committed so far: with concurrent writers, fewer than
    /// the writes (group commit).
    pub fn commits(&self) -> u64 {
        self.writer.commits()
    }

    /// Runs a read on a free read connection (or waits for one).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> StoreResult<T>) -> StoreResult<T> {
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        for i in 0..self.readers.len() {
            if let Ok(conn) = self.readers[(start + i) % self.readers.len()].try_lock() {
                return f(&conn);
            }
        }
        let conn = lock(&self.readers[start % self.readers.len()]);
        f(&conn)
    }

    fn live(&self) -> MutexGuard<'_, Live> {
        lock(&self.live)
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves a usable value (a
    // connection, or plain maps): keep serving.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn millis(d: Duration) -> Millis {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[async_trait]
impl Store for EmbeddedStore {
    fn backend(&self) -> &'static str {
        "embedded"
    }

    async fn check(&self) -> StoreResult<()> {
        self.read(|c| {
            c.query_row("SELECT 1", [], |_| Ok(()))
                .map_err(writer::sql_error)
        })
    }

    async fn insert_site(&self, site: Site) -> StoreResult<()> {
        self.writer.write(move |c| sql::insert_site(c, &site)).await
    }

    async fn site_by_key(&self, key: &str) -> StoreResult<Option<Site>> {
        self.read(|c| sql::site_by_key(c, key))
    }

    async fn site(&self, id: &SiteId) -> StoreResult<Option<Site>> {
        self.read(|c| sql::site(c, id))
    }

    async fn list_sites(&self) -> StoreResult<Vec<Site>> {
        self.read(sql::list_sites)
    }

    async fn update_site(&self, id: &SiteId, patch: SitePatch) -> StoreResult<Site> {
        let id = id.clone();
        self.writer
            .write(move |c| sql::update_site(c, &id, &patch))
            .await
    }

    async fn delete_site(&self, id: &SiteId) -> StoreResult<()> {
        let id = id.clone();
        self.writer.write(move |c| sql::delete_site(c, &id)).await
    }

    async fn list_agents(&self) -> StoreResult<Vec<AgentRecord>> {
        self.read(sql::list_agents)
    }

    async fn update_agent(&self, id: &AgentId, patch: AgentPatch) -> StoreResult<AgentRecord> {
        let id = id.clone();
        let updated = self
            .writer
            .write(move |c| sql::update_agent(c, &id, &patch))
            .await?;
        if updated.disabled {
            // A disabled agent is offline, wherever their tabs are.
            self.live().presence.remove(&updated.id);
        }
        Ok(updated)
    }

    async fn delete_agent(&self, id: &AgentId) -> StoreResult<()> {
        let agent = id.clone();
        self.writer
            .write(move |c| sql::delete_agent(c, &agent))
            .await?;
        let mut live = self.live();
        live.presence.remove(id);
        live.heartbeats.remove(id);
        Ok(())
    }

    async fn list_teams(&self) -> StoreResult<Vec<Team>> {
        self.read(sql::list_teams)
    }

    async fn insert_team(&self, team: Team) -> StoreResult<()> {
        self.writer.write(move |c| sql::insert_team(c, &team)).await
    }

    async fn rename_team(&self, id: &TeamId, name: String) -> StoreResult<Team> {
        let id = id.clone();
        self.writer
            .write(move |c| sql::rename_team(c, &id, &name))
            .await
    }

    async fn delete_team(&self, id: &TeamId) -> StoreResult<()> {
        let id = id.clone();
        self.writer.write(move |c| sql::delete_team(c, &id)).await
    }

    async fn list_canned(&self) -> StoreResult<Vec<shared::api::CannedResponse>> {
        self.read(sql::list_canned)
    }

    async fn canned(
        &self,
        id: &shared::CannedId,
    ) -> StoreResult<Option<shared::api::CannedResponse>> {
        self.read(|c| sql::canned(c, id))
    }

    async fn insert_canned(&self, canned: shared::api::CannedResponse) -> StoreResult<()> {
        self.writer
            .write(move |c| sql::insert_canned(c, &canned))
            .await
    }

    async fn update_canned(&self, canned: shared::api::CannedResponse) -> StoreResult<()> {
        self.writer
            .write(move |c| sql::update_canned(c, &canned))
            .await
    }

    async fn delete_canned(&self, id: &shared::CannedId) -> StoreResult<()> {
        let id = id.clone();
        self.writer.write(move |c| sql::delete_canned(c, &id)).await
    }

    async fn articles(&self, site: &SiteId) -> StoreResult<Vec<shared::help::ArticleListing>> {
        self.read(|c| articles::articles(c, site))
    }

    async fn has_articles(&self, site: &SiteId) -> StoreResult<bool> {
        self.read(|c| articles::has_articles(c, site))
    }

    async fn article(
        &self,
        site: &SiteId,
        id: &shared::ArticleId,
    ) -> StoreResult<Option<shared::help::Article>> {
        self.read(|c| articles::article(c, site, id))
    }

    async fn insert_article(&self, article: shared::help::Article) -> StoreResult<()> {
        self.writer
            .write(move |c| articles::insert_article(c, &article))
            .await
    }

    async fn update_article(&self, article: shared::help::Article) -> StoreResult<()> {
        self.writer
            .write(move |c| articles::update_article(c, &article))
            .await
    }

    async fn delete_article(&self, site: &SiteId, id: &shared::ArticleId) -> StoreResult<()> {
        let (site, id) = (site.clone(), id.clone());
        self.writer
            .write(move |c| articles::delete_article(c, &site, &id))
            .await
    }

    async fn count_article(
        &self,
        site: &SiteId,
        id: &shared::ArticleId,
        what: shared::help::ArticleCount,
    ) -> StoreResult<()> {
        let (site, id) = (site.clone(), id.clone());
        self.writer
            .write(move |c| articles::count_article(c, &site, &id, what))
            .await
    }

    async fn request_callback(
        &self,
        callback: shared::callback::Callback,
    ) -> StoreResult<shared::callback::Callback> {
        self.writer
            .write(move |c| callbacks::request_callback(c, &callback))
            .await
    }

    async fn callback(
        &self,
        id: &shared::CallbackId,
    ) -> StoreResult<Option<shared::callback::Callback>> {
        self.read(|c| callbacks::callback(c, id))
    }

    async fn visitor_callbacks(
        &self,
        visitor: &VisitorId,
        limit: usize,
    ) -> StoreResult<Vec<shared::callback::Callback>> {
        self.read(|c| callbacks::visitor_callbacks(c, visitor, limit))
    }

    async fn callbacks(
        &self,
        open: bool,
        limit: usize,
    ) -> StoreResult<Vec<shared::callback::Callback>> {
        self.read(|c| callbacks::callbacks(c, open, limit))
    }

    async fn change_callback(
        &self,
        id: &shared::CallbackId,
        change: crate::callbacks::Change,
        now: Millis,
    ) -> StoreResult<shared::callback::Callback> {
        let id = id.clone();
        self.writer
            .write(move |c| callbacks::change_callback(c, &id, &change, now))
            .await
    }

    async fn insert_agent(&self, agent: AgentRecord) -> StoreResult<()> {
        self.writer
            .write(move |c| sql::insert_agent(c, &agent))
            .await
    }

    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>> {
        self.read(|c| sql::agent_by_email(c, email))
    }

    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
        self.read(|c| sql::agent(c, id))
    }

    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        ttl: Duration,
    ) -> StoreResult<()> {
        let (hash, agent) = (token_hash.to_owned(), agent.clone());
        let now = now_millis();
        let expires = now.saturating_add(millis(ttl));
        self.writer
            .write(move |c| sql::create_session(c, &hash, &agent, expires, now))
            .await
    }

    async fn session_agent(&self, token_hash: &str) -> StoreResult<Option<AgentId>> {
        self.read(|c| sql::session_agent(c, token_hash, now_millis()))
    }

    async fn session_ends(&self, token_hash: &str) -> StoreResult<Option<Millis>> {
        self.read(|c| sql::session_ends(c, token_hash, now_millis()))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let hash = token_hash.to_owned();
        self.writer
            .write(move |c| sql::delete_session(c, &hash))
            .await
    }

    async fn delete_sessions(&self, agent: &AgentId, except: Option<&str>) -> StoreResult<()> {
        let (agent, except) = (agent.clone(), except.map(str::to_owned));
        self.writer
            .write(move |c| sql::delete_sessions(c, &agent, except.as_deref()))
            .await
    }

    async fn create_visitor(
        &self,
        token_hash: &str,
        site: &SiteId,
        locale: Option<String>,
        origin: Option<String>,
    ) -> StoreResult<Visitor> {
        let visitor = Visitor::new(site, locale, origin);
        let hash = token_hash.to_owned();
        self.writer
            .write(move |c| sql::create_visitor(c, &hash, &visitor, now_millis()))
            .await
    }

    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<Visitor>> {
        self.read(|c| sql::visitor_by_token(c, token_hash))
    }

    async fn visitor_by_user(&self, site: &SiteId, user_id: &str) -> StoreResult<Option<Visitor>> {
        self.read(|c| sql::visitor_by_user(c, site, user_id))
    }

    async fn bind_user(
        &self,
        visitor: &VisitorId,
        user_id: &str,
    ) -> StoreResult<(Visitor, Option<ConversationSummary>)> {
        let (visitor, user) = (visitor.clone(), user_id.to_owned());
        self.writer
            .write(move |c| sql::bind_user(c, &visitor, &user))
            .await
    }

    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<ConversationSummary>> {
        self.read(|c| sql::conversation(c, id))
    }

    async fn list_conversations(
        &self,
        filter: ConversationFilter,
    ) -> StoreResult<Vec<ConversationSummary>> {
        self.read(|c| sql::list(c, &filter))
    }

    async fn history(&self, query: &super::HistoryQuery) -> StoreResult<super::HistoryPage> {
        if !query.words.is_empty() {
            super::catch_up(self).await?;
        }
        self.read(|c| sql::history(c, query))
    }

    async fn index_pending(&self, max: usize) -> StoreResult<super::Indexed> {
        // The background loop asks twice a second: an idle node (or a
        // search with nothing waiting) reads, and leaves the writer to the
        // chat.
        if !self.read(sql::index_waiting)? {
            return Ok(super::Indexed::default());
        }
        self.writer.write(move |c| sql::index_pending(c, max)).await
    }

    async fn append_visitor_message(
        &self,
        visitor: &VisitorId,
        msg: NewMessage,
        queue_cap: u32,
    ) -> StoreResult<VisitorAppend> {
        let visitor = visitor.clone();
        let new_id = ConversationId(random_id("c"));
        self.writer
            .write(move |c| sql::append_visitor(c, &visitor, msg, new_id, queue_cap))
            .await
    }

    async fn append_agent_message(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        msg: NewMessage,
    ) -> StoreResult<Appended> {
        let (conv, agent) = (conversation.clone(), agent.clone());
        self.writer
            .write(move |c| sql::append_agent(c, &conv, &agent, msg))
            .await
    }

    async fn add_note(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        note: NewMessage,
    ) -> StoreResult<NoteAdded> {
        let (conv, agent) = (conversation.clone(), agent.clone());
        self.writer
            .write(move |c| sql::add_note(c, &conv, &agent, note))
            .await
    }

    async fn mark(
        &self,
        conversation: &ConversationId,
        party: super::Party,
        mark: super::Mark,
        seq: Seq,
    ) -> StoreResult<Option<ConversationSummary>> {
        let conv = conversation.clone();
        self.writer
            .write(move |c| sql::mark(c, &conv, party, mark, seq))
            .await
    }

    async fn notes(&self, conversation: &ConversationId) -> StoreResult<Vec<shared::Note>> {
        self.read(|c| sql::notes(c, conversation))
    }

    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>> {
        self.read(|c| sql::messages_after(c, conversation, after, limit))
    }

    async fn set_presence(&self, agent: &AgentId, presence: Presence) -> StoreResult<()> {
        if !self.read(|c| sql::agent_exists(c, agent))? {
            return Err(StoreError::NotFound);
        }
        self.live().presence.insert(agent.clone(), presence);
        Ok(())
    }

    async fn heartbeat(&self, agent: &AgentId, ttl: Duration) -> StoreResult<()> {
        self.live()
            .heartbeats
            .insert(agent.clone(), Instant::now() + ttl);
        Ok(())
    }

    async fn stale_agents(&self) -> StoreResult<Vec<AgentId>> {
        let live = self.live();
        let now = Instant::now();
        let mut stale: Vec<AgentId> = live
            .presence
            .iter()
            .filter(|(_, p)| **p != Presence::Offline)
            .filter(|(id, _)| live.heartbeats.get(*id).is_none_or(|until| *until <= now))
            .map(|(id, _)| id.clone())
            .collect();
        stale.sort();
        Ok(stale)
    }

    async fn presence(&self, agent: &AgentId) -> StoreResult<Presence> {
        Ok(self
            .live()
            .presence
            .get(agent)
            .copied()
            .unwrap_or(Presence::Offline))
    }

    async fn queue(&self) -> StoreResult<Vec<QueueEntry>> {
        self.read(sql::queue)
    }

    async fn page_viewed(&self, visitor: &VisitorId, visit: super::PageVisit) -> StoreResult<()> {
        let visitor = visitor.clone();
        self.writer
            .write(move |c| sql::page_viewed(c, &visitor, &visit))
            .await
    }

    async fn visitor(&self, id: &VisitorId) -> StoreResult<Option<Visitor>> {
        self.read(|c| sql::visitor(c, id))
    }

    async fn erase_visitor(&self, id: &VisitorId) -> StoreResult<()> {
        let id = id.clone();
        self.writer.write(move |c| sql::erase_visitor(c, &id)).await
    }

    async fn scrub(&self) -> StoreResult<()> {
        self.writer.write(sql::compact_search).await?;
        // Older copies of the pages live on in the WAL until a checkpoint
        // copies them over and the file is cut back. Best effort: a reader
        // in the middle of a long read keeps part of it for later. (The
        // readers are read-only and the writer is in a transaction: a
        // connection of its own.)
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open(&path)?;
            configure(&conn)?;
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        })
        .await
        .map_err(|e| StoreError::Unavailable(e.to_string()))?
        .map_err(writer::sql_error)
    }

    async fn expired_visitors(
        &self,
        site: &SiteId,
        before: Millis,
        limit: usize,
    ) -> StoreResult<Vec<VisitorId>> {
        self.read(|c| sql::expired_visitors(c, site, before, limit))
    }

    async fn visitor_activity(
        &self,
        visitor: &VisitorId,
    ) -> StoreResult<Option<super::VisitorActivity>> {
        self.read(|c| sql::visitor_activity(c, visitor))
    }

    async fn served(&self, line: &super::QueueKey) -> StoreResult<Vec<Millis>> {
        self.read(|c| sql::served(c, &line.site, line.team.as_ref()))
    }

    async fn drain_queue(&self, now: Millis, fallback: Millis) -> StoreResult<Vec<Assignment>> {
        let live = self.live.clone();
        self.writer
            .write(move |c| {
                // Read presence inside the write, so the choice and the
                // assignment see the same moment.
                let online = with_presence(&live, |p| p == Presence::Online);
                sql::drain(c, &online, now, fallback)
            })
            .await
    }

    async fn transfer(
        &self,
        conversation: &ConversationId,
        from: Option<&AgentId>,
        to: &shared::TransferTarget,
        now: Millis,
    ) -> StoreResult<ConversationSummary> {
        let live = self.live.clone();
        let (conv, from, to) = (conversation.clone(), from.cloned(), to.clone());
        self.writer
            .write(move |c| {
                let present = with_presence(&live, |p| p != Presence::Offline);
                let online = with_presence(&live, |p| p == Presence::Online);
                sql::transfer(c, &conv, from.as_ref(), &to, &present, &online, now)
            })
            .await
    }

    async fn pick(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        now: Millis,
    ) -> StoreResult<ConversationSummary> {
        let (conv, agent) = (conversation.clone(), agent.clone());
        self.writer
            .write(move |c| sql::pick(c, &conv, &agent, now))
            .await
    }

    async fn resolve(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
    ) -> StoreResult<ConversationSummary> {
        let (conv, agent) = (conversation.clone(), agent.clone());
        self.writer
            .write(move |c| sql::resolve(c, &conv, &agent))
            .await
    }

    async fn rate(
        &self,
        conversation: &ConversationId,
        rating: super::StoredRating,
    ) -> StoreResult<ConversationSummary> {
        let conv = conversation.clone();
        self.writer
            .write(move |c| sql::rate(c, &conv, &rating))
            .await
    }

    async fn set_details(
        &self,
        visitor: &VisitorId,
        details: &super::VisitorDetails,
        left_message: bool,
    ) -> StoreResult<Option<ConversationSummary>> {
        let (visitor, details) = (visitor.clone(), details.clone());
        self.writer
            .write(move |c| sql::set_details(c, &visitor, &details, left_message))
            .await
    }

    async fn requeue_agent(&self, agent: &AgentId) -> StoreResult<Vec<ConversationSummary>> {
        let agent = agent.clone();
        self.writer
            .write(move |c| sql::requeue_agent(c, &agent))
            .await
    }

    async fn load(&self, agent: &AgentId) -> StoreResult<u32> {
        self.read(|c| sql::load(c, agent))
    }

    async fn clocks(&self, conversations: &[ConversationId]) -> StoreResult<Vec<Option<String>>> {
        self.read(|c| sql::clocks(c, conversations))
    }

    async fn advance_clocks(
        &self,
        changes: Vec<super::ClockChange>,
    ) -> StoreResult<Vec<super::Advance>> {
        self.writer
            .write(move |c| sql::advance_clocks(c, &changes))
            .await
    }

    async fn tally(
        &self,
        site: &SiteId,
        hour: Millis,
        counts: Vec<crate::reports::tally::Count>,
    ) -> StoreResult<()> {
        let site = site.clone();
        self.writer
            .write(move |c| {
                for count in &counts {
                    sql::add_cell(c, &site, hour, count)?;
                }
                Ok(())
            })
            .await
    }

    async fn tallies(
        &self,
        site: &SiteId,
        from: Millis,
        to: Millis,
    ) -> StoreResult<Vec<crate::reports::tally::Cell>> {
        self.read(|c| sql::tallies(c, site, from, to))
    }

    async fn claim(&self, name: &str, ttl: Duration) -> StoreResult<bool> {
        let now = Instant::now();
        let mut live = self.live();
        live.claims.retain(|_, until| *until > now);
        if live.claims.contains_key(name) {
            return Ok(false);
        }
        live.claims.insert(name.to_owned(), now + ttl);
        Ok(true)
    }

    async fn take_login_attempt(
        &self,
        keys: &[super::throttle::Limited],
        now: Millis,
    ) -> StoreResult<Option<Millis>> {
        let keys = keys.to_vec();
        self.writer
            .write(move |c| sql::take_login_attempt(c, &keys, now))
            .await
    }

    async fn login_succeeded(&self, clear: &str, undo: &str) -> StoreResult<()> {
        let (clear, undo) = (clear.to_owned(), undo.to_owned());
        self.writer
            .write(move |c| sql::login_succeeded(c, &clear, &undo))
            .await
    }

    async fn publish(&self, event: Event) -> StoreResult<()> {
        // No subscribers is not an error: nobody is connected.
        let _ = self.events.send(event);
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }
}

/// The agents whose presence passes `keep`.
fn with_presence(live: &Arc<Mutex<Live>>, keep: impl Fn(Presence) -> bool) -> Vec<AgentId> {
    lock(live)
        .presence
        .iter()
        .filter(|(_, p)| keep(**p))
        .map(|(id, _)| id.clone())
        .collect()
}

#[cfg(any(test, feature = "testing"))]
impl EmbeddedStore {
    /// A store in a fresh temporary data dir, removed when the returned
    /// guard drops (test support).
    pub fn open_temp() -> (Self, tempfile::TempDir) {
        let dir = tempfile::Builder::new()
            .prefix("ahlan-test-")
            .tempdir()
            .expect("a temp dir");
        let store = Self::open(dir.path()).expect("a fresh store opens");
        (store, dir)
    }
}

#[cfg(test)]
impl EmbeddedStore {
    /// Lets the database grow to `pages` pages at most (SQLite's
    /// `max_page_count` on the write connection): a full disk, on demand.
    async fn limit_pages(&self, pages: u64) {
        self.writer
            .write(move |c| {
                c.pragma_update(None, "max_page_count", pages)
                    .map_err(writer::sql_error)
            })
            .await
            .unwrap();
    }

    fn pages(&self) -> u64 {
        self.read(|c| {
            c.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))
                .map_err(writer::sql_error)
        })
        .unwrap() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn fresh() -> (Arc<dyn Store>, tempfile::TempDir) {
        let (store, dir) = EmbeddedStore::open_temp();
        (Arc::new(store), dir)
    }

    crate::store::conformance::conformance_tests!(fresh);

    /// Privacy: after an erasure nothing of the visitor is left in the
    /// data dir's files — not in freed pages, the WAL or the search index.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_erased_visitor_leaves_nothing_in_the_files() {
        use crate::store::conformance::{erase_one_of_two, ERASED_MARKS, KEPT_MARK};
        let (store, dir) = EmbeddedStore::open_temp();
        erase_one_of_two(&store).await;
        let mut bytes = Vec::new();
        for entry in std::fs::read_dir(dir.path()).unwrap() {
            bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
        }
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        assert!(text.contains(KEPT_MARK), "the scan reads the data");
        for mark in ERASED_MARKS {
            // FTS5 stores a term after the prefix it shares with the one
            // before: its tail is what would be left on disk.
            let tail = &mark[mark.len() - 6..];
            assert!(
                !text.contains(tail),
                "{mark} ({tail}) is still in the files"
            );
        }
    }

    #[test]
    fn a_second_server_on_the_same_dir_is_refused() {
        let (_first, dir) = EmbeddedStore::open_temp();
        let err = EmbeddedStore::open(dir.path()).err().expect("refused");
        assert!(matches!(err, OpenError::InUse(_)), "{err}");
        assert!(err.to_string().contains("in use"), "{err}");
    }

    #[test]
    fn an_unwritable_data_dir_is_a_clear_error() {
        let file = tempfile::NamedTempFile::new().unwrap();
        // A regular file where the directory should be.
        let err = EmbeddedStore::open(&file.path().join("data"))
            .err()
            .expect("refused");
        assert!(matches!(err, OpenError::Dir { .. }), "{err}");
        assert!(err.to_string().contains("cannot use the data dir"), "{err}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn everything_survives_reopening_the_data_dir() {
        let dir = tempfile::tempdir().unwrap();
        let (conv, agent_id) = {
            let store = EmbeddedStore::open(dir.path()).unwrap();
            let site = crate::fixtures::site();
            store.insert_site(site).await.unwrap();
            let mut agent = AgentRecord::new(
                "a_1".into(),
                "sara@example.com",
                "Sara",
                "h".into(),
                shared::Role::Agent,
            );
            agent.sites = vec!["s_1".into()];
            store.insert_agent(agent.clone()).await.unwrap();
            store
                .create_session("sess", &agent.id, Duration::from_secs(3600))
                .await
                .unwrap();
            let v = store
                .create_visitor("vtok", &"s_1".into(), Some("ar".into()), None)
                .await
                .unwrap();
            let first = NewMessage {
                client_id: "m1".into(),
                body: "مرحبا".into(),
                now: 10,
            };
            let conv = store
                .append_visitor_message(&v.id, first, u32::MAX)
                .await
                .unwrap()
                .appended
                .conversation
                .id;
            let v2 = store
                .create_visitor("vtok2", &"s_1".into(), None, None)
                .await
                .unwrap();
            let other = NewMessage {
                client_id: "m1".into(),
                body: "second in line".into(),
                now: 11,
            };
            store
                .append_visitor_message(&v2.id, other, u32::MAX)
                .await
                .unwrap();
            store.pick(&conv, &agent.id, 12).await.unwrap();
            let reply = NewMessage {
                client_id: "r1".into(),
                body: "أهلاً".into(),
                now: 13,
            };
            store
                .append_agent_message(&conv, &agent, reply)
                .await
                .unwrap();
            (conv, agent.id)
        };
        let store = EmbeddedStore::open(dir.path()).unwrap();
        assert_eq!(
            store.site_by_key("pk_1").await.unwrap().unwrap().name,
            "Shop"
        );
        assert_eq!(
            store.session_agent("sess").await.unwrap(),
            Some(agent_id.clone())
        );
        let v = store.visitor_by_token("vtok").await.unwrap().unwrap();
        assert_eq!(v.conversation, Some(conv.clone()));
        let messages = store.messages_after(&conv, 0, 10).await.unwrap();
        let bodies: Vec<_> = messages.iter().map(|m| m.body.as_str()).collect();
        assert_eq!(bodies, ["مرحبا", "أهلاً"]);
        assert_eq!(store.load(&agent_id).await.unwrap(), 1);
        assert_eq!(store.queue().await.unwrap().len(), 1, "queue order kept");
        // Presence is not durable: nobody is online after a restart.
        assert_eq!(store.presence(&agent_id).await.unwrap(), Presence::Offline);
    }

    /// A full disk: writes are refused with `unavailable` (retryable: the
    /// widget keeps the text), nothing acknowledged is lost or doubled,
    /// and once there is room again the conversation goes on, gap-free.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_disk_refuses_writes_and_loses_nothing_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let store = EmbeddedStore::open(dir.path()).unwrap();
        let site = crate::fixtures::site();
        store.insert_site(site).await.unwrap();
        let v = store
            .create_visitor("vtok", &"s_1".into(), None, None)
            .await
            .unwrap();
        let send = |i: usize| NewMessage {
            client_id: format!("m{i}").as_str().into(),
            body: format!("{i} {}", "x".repeat(4000)),
            now: i as u64,
        };
        store.limit_pages(store.pages() + 8).await;
        let mut acked = Vec::new();
        let refusal = loop {
            let i = acked.len() + 1;
            match store.append_visitor_message(&v.id, send(i), u32::MAX).await {
                Ok(out) => acked.push(out.appended.message.seq),
                Err(e) => break e,
            }
            assert!(acked.len() < 1000, "the limit never hit");
        };
        assert!(
            matches!(&refusal, StoreError::Unavailable(m) if m.contains("full")),
            "{refusal:?}"
        );
        assert!(!acked.is_empty());
        let conv = store
            .visitor_by_token("vtok")
            .await
            .unwrap()
            .unwrap()
            .conversation
            .unwrap();
        let stored: Vec<_> = store
            .messages_after(&conv, 0, 2000)
            .await
            .unwrap()
            .iter()
            .map(|m| m.seq)
            .collect();
        assert_eq!(stored, acked, "exactly the acknowledged messages");

        // Room again: the refused message is retried and takes the next seq.
        store.limit_pages(1 << 30).await;
        let retry = store
            .append_visitor_message(&v.id, send(acked.len() + 1), u32::MAX)
            .await
            .unwrap();
        assert_eq!(retry.appended.message.seq, acked.len() as u64 + 1);
        drop(store);
        let reopened = EmbeddedStore::open(dir.path()).unwrap();
        let n = reopened.messages_after(&conv, 0, 2000).await.unwrap().len();
        assert_eq!(n, acked.len() + 1);
    }
}
