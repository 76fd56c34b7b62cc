//! The database schema and its migrations. The schema version is SQLite's
//! `user_version`; each migration moves it up by one inside the same
//! transaction as its changes, so a crash mid-migration leaves the old
//! version intact. A database from a newer Ahlan (a higher version than
//! [`MIGRATIONS`] knows) is refused before anything is touched.

use rusqlite::Connection;

/// Migration `i` (0-based) takes the schema from version `i` to `i + 1`.
/// Append only: never edit one that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: the first durable schema.
    r#"
    CREATE TABLE sites (
        id TEXT PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        allowed_origins TEXT NOT NULL   -- JSON array of origin patterns
    );
    CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        admin INTEGER NOT NULL,
        capacity INTEGER NOT NULL,
        last_assigned INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        agent TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions (expires_at);
    CREATE TABLE visitors (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        site TEXT NOT NULL,
        locale TEXT,
        origin TEXT,
        conversation TEXT,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        visitor TEXT NOT NULL,
        status TEXT NOT NULL,           -- queued | assigned | resolved
        agent TEXT,
        agent_name TEXT,
        created_at INTEGER NOT NULL,
        queued_at INTEGER,
        queue_order INTEGER,            -- set while queued: smaller is nearer the front
        last_seq INTEGER NOT NULL DEFAULT 0,
        last_activity INTEGER NOT NULL
    );
    CREATE INDEX conversations_queue ON conversations (queue_order) WHERE status = 'queued';
    CREATE INDEX conversations_agent ON conversations (agent, status, last_activity);
    CREATE TABLE messages (
        conversation TEXT NOT NULL,
        seq INTEGER NOT NULL,
        author_key TEXT NOT NULL,       -- see store::author_key
        client_id TEXT NOT NULL,
        author_id TEXT,                 -- NULL for the visitor
        author_name TEXT,
        body TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        PRIMARY KEY (conversation, seq),
        UNIQUE (conversation, author_key, client_id)
    ) WITHOUT ROWID;
    "#,
    // 2: the console. Sites get their widget's look; agents a role instead
    // of an admin flag, languages, teams, sites and a disabled flag; teams.
    // Agents who existed before saw every site: they keep doing so.
    r##"
    ALTER TABLE sites ADD COLUMN appearance TEXT NOT NULL
        DEFAULT '{"accent_color":"#4f46e5","position":"right"}';
    ALTER TABLE agents ADD COLUMN role TEXT NOT NULL DEFAULT 'agent';
    UPDATE agents SET role = CASE admin WHEN 1 THEN 'admin' ELSE 'agent' END;
    ALTER TABLE agents DROP COLUMN admin;
    ALTER TABLE agents ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE agents ADD COLUMN teams TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE agents ADD COLUMN sites TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE agents ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
    UPDATE agents SET sites = (SELECT json_group_array(id) FROM sites);
    CREATE TABLE teams (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL
    );
    CREATE INDEX sessions_agent ON sessions (agent);
    CREATE INDEX conversations_site ON conversations (site);
    CREATE INDEX visitors_site ON visitors (site);
    "##,
    // 3: login throttling shared by restarts (store::throttle).
    r#"
    CREATE TABLE login_attempts (
        key TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        last_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 4: a version per conversation, bumped by every change, so live
    // summaries can be ordered (ConversationSummary::version).
    r#"
    ALTER TABLE conversations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    UPDATE conversations SET version = last_seq + 1;
    "#,
    // 5: agents' internal notes, numbered per conversation apart from its
    // messages (the visitor's seqs stay gap-free).
    r#"
    CREATE TABLE notes (
        conversation TEXT NOT NULL,
        id INTEGER NOT NULL,
        after_seq INTEGER NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        client_id TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        PRIMARY KEY (conversation, id),
        UNIQUE (conversation, author_id, client_id)
    ) WITHOUT ROWID;
    "#,
    // 6: canned responses, as JSON, with the columns deletes go by.
    r#"
    CREATE TABLE canned (
        id TEXT PRIMARY KEY,
        site TEXT,                      -- set for a site's responses
        personal_owner TEXT,            -- set for personal ones
        data TEXT NOT NULL              -- shared::api::CannedResponse JSON
    );
    CREATE INDEX canned_site ON canned (site);
    CREATE INDEX canned_owner ON canned (personal_owner);
    "#,
    // 7: routing by team — a site's routing team and the team a
    // conversation waits for — and when each queue last served someone,
    // for the estimated wait.
    r#"
    ALTER TABLE sites ADD COLUMN team TEXT;
    ALTER TABLE conversations ADD COLUMN team TEXT;
    CREATE TABLE queue_served (
        site TEXT NOT NULL,
        team TEXT NOT NULL,             -- '' for the site's no-team queue
        at INTEGER NOT NULL
    );
    CREATE INDEX queue_served_by_queue ON queue_served (site, team, at);
    "#,
    // 8: visitors' comings and goings, for the agent's context panel.
    r#"
    CREATE TABLE visitor_activity (
        visitor TEXT PRIMARY KEY,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        visits INTEGER NOT NULL,
        user_agent TEXT,
        time_zone TEXT,
        referrer TEXT
    ) WITHOUT ROWID;
    CREATE TABLE visitor_pages (
        visitor TEXT NOT NULL,
        at INTEGER NOT NULL,
        url TEXT NOT NULL,
        title TEXT
    );
    CREATE INDEX visitor_pages_by_visitor ON visitor_pages (visitor, at);
    "#,
    // 9: read receipts — how far each side has read.
    r#"
    ALTER TABLE conversations ADD COLUMN visitor_read INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN agent_read INTEGER NOT NULL DEFAULT 0;
    "#,
    // 10: history and search — the agent a reopened conversation returns
    // to, the history's order, and the full-text index of messages (words
    // folded by crate::search; filled for older messages by the store when
    // it opens, see embedded::reindex).
    r#"
    ALTER TABLE conversations ADD COLUMN returning_agent TEXT;
    CREATE INDEX conversations_created ON conversations (created_at, id);
    -- Words arrive folded and space-separated; marks stay inside a word
    -- (as crate::search keeps them). Every message is indexed, so the
    -- index is kept lean: no copy of the text (contentless,
    -- the message is in `messages`; its conversation and seq are kept),
    -- and no word positions (searches are word prefixes, never phrases).
    CREATE VIRTUAL TABLE message_search USING fts5 (
        words,
        conversation UNINDEXED,
        seq UNINDEXED,
        content = '',
        contentless_delete = 1,
        contentless_unindexed = 1,
        detail = none,
        tokenize = "unicode61 remove_diacritics 0 categories 'L* N* Co M*'"
    );
    "#,
    // 11: a site's typing preview ("sneak peek") switch.
    r#"
    ALTER TABLE sites ADD COLUMN typing_preview INTEGER NOT NULL DEFAULT 0;
    "#,
    // 12: messages are indexed for search after they are stored, in
    // batches (sql::index_pending), not inside their append: a conversation
    // with messages not yet indexed is listed in `search_pending`, and
    // `indexed_seq` says up to which seq its messages are. Everything
    // before this version was indexed as it was stored.
    r#"
    ALTER TABLE conversations ADD COLUMN indexed_seq INTEGER NOT NULL DEFAULT 0;
    UPDATE conversations SET indexed_seq = last_seq;
    CREATE TABLE search_pending (conversation TEXT PRIMARY KEY) WITHOUT ROWID;
    "#,
    // 13: privacy — a site's retention (days a resolved conversation is
    // kept; NULL: for ever) and the index its sweep reads.
    r#"
    ALTER TABLE sites ADD COLUMN retention_days INTEGER;
    CREATE INDEX conversations_retention ON conversations (site, status, last_activity);
    "#,
    // 14: the visitor's satisfaction survey answer for the latest
    // resolution (store::StoredRating JSON; cleared when it reopens).
    r#"
    ALTER TABLE conversations ADD COLUMN rating TEXT;
    "#,
    // 15: a site's survey also asks the Net Promoter question.
    r#"
    ALTER TABLE sites ADD COLUMN survey_nps INTEGER NOT NULL DEFAULT 0;
    "#,
    // 16: reports — each conversation's report clocks
    // (reports::clocks::Clocks JSON), the hourly buckets the figures are
    // counted in (reports::tally), and the site's time zone (IANA name;
    // NULL: UTC) its days are read in.
    r#"
    ALTER TABLE conversations ADD COLUMN clocks TEXT;
    CREATE TABLE tallies (
        site TEXT NOT NULL,
        hour INTEGER NOT NULL,      -- start of the UTC hour, ms
        dim TEXT NOT NULL,          -- site | team:<id> | agent:<id>
        field TEXT NOT NULL,
        value INTEGER NOT NULL,
        PRIMARY KEY (site, hour, dim, field)
    ) WITHOUT ROWID;
    ALTER TABLE sites ADD COLUMN time_zone TEXT;
    "#,
    // 17: business hours and the offline mode (sites.hours: BusinessHours
    // JSON, NULL: always open), and the visitor's way back when they
    // leave a message: their name and email, and the conversation marked
    // so agents' replies are mailed (cleared when it is resolved).
    r#"
    ALTER TABLE sites ADD COLUMN hours TEXT;
    ALTER TABLE sites ADD COLUMN offline_when_away INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE visitors ADD COLUMN name TEXT;
    ALTER TABLE visitors ADD COLUMN email TEXT;
    ALTER TABLE conversations ADD COLUMN left_message INTEGER NOT NULL DEFAULT 0;
    "#,
    // 18: the pre-chat form (sites.prechat: PrechatForm JSON, NULL: none)
    // and the other answers visitors give (visitors.attributes: JSON
    // object, key → answer).
    r#"
    ALTER TABLE sites ADD COLUMN prechat TEXT;
    ALTER TABLE visitors ADD COLUMN attributes TEXT;
    "#,
    // 19: verified identity. Each site gets the secret its server signs
    // user ids with (sites made before get a random one now) and the
    // "signed identities only" switch; a visitor a signed identity bound
    // keeps the site's user id, one visitor per user and site.
    r#"
    ALTER TABLE sites ADD COLUMN identity_secret TEXT NOT NULL DEFAULT '';
    ALTER TABLE sites ADD COLUMN identity_required INTEGER NOT NULL DEFAULT 0;
    UPDATE sites SET identity_secret = lower(hex(randomblob(32)));
    ALTER TABLE visitors ADD COLUMN user_id TEXT;
    CREATE UNIQUE INDEX visitors_user ON visitors (site, user_id) WHERE user_id IS NOT NULL;
    "#,
    // 20: callbacks. A site offers them from some minutes of estimated
    // wait (NULL: not offered); each request is one row, its current
    // state in `body` (a `shared::callback::Callback` as JSON) and the
    // columns the lists are read by beside it.
    r#"
    ALTER TABLE sites ADD COLUMN callback_after_mins INTEGER;
    CREATE TABLE callbacks (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        visitor TEXT NOT NULL,
        open INTEGER NOT NULL,
        requested_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        body TEXT NOT NULL
    );
    CREATE INDEX callbacks_visitor ON callbacks (visitor, requested_at);
    CREATE INDEX callbacks_open ON callbacks (open, requested_at);
    CREATE INDEX callbacks_site ON callbacks (site);
    "#,
    // 21: help articles, one row each: the article as JSON in `body`
    // (a `shared::help::Article`), its counters in their own columns so
    // counting is one UPDATE that never rewrites the article.
    r#"
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        site TEXT NOT NULL,
        body TEXT NOT NULL,
        opens INTEGER NOT NULL DEFAULT 0,
        asked_after INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX articles_site ON articles (site);
    "#,
    // 22: proactive messages (sites.proactive: Vec<ProactiveRule> JSON,
    // NULL: none).
    r#"
    ALTER TABLE sites ADD COLUMN proactive TEXT;
    "#,
    // 23: delivered marks beside the read marks (a read implies delivered:
    // older conversations start delivered as far as they were read).
    r#"
    ALTER TABLE conversations ADD COLUMN visitor_delivered INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE conversations ADD COLUMN agent_delivered INTEGER NOT NULL DEFAULT 0;
    UPDATE conversations SET visitor_delivered = visitor_read, agent_delivered = agent_read;
    "#,
];

/// The version that brought the full-text index: the messages written
/// before it are indexed by Rust code ([`crate::search`] folds the words)
/// in the same transaction.
const SEARCH: u32 = 10;

fn index_older_messages(conn: &Connection) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("SELECT conversation, seq, body FROM messages")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (conversation, seq, body): (String, i64, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        super::sql::index_words(conn, &conversation, seq, &body)?;
    }
    Ok(())
}

/// The version this binary writes.
pub const CURRENT: u32 = MIGRATIONS.len() as u32;

/// Why a database cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    /// Written by a newer Ahlan: opening it could corrupt it.
    #[error(
        "the data was written by a newer Ahlan (schema version {found}; this binary \
         knows up to {CURRENT}). Run that version or newer, or restore a backup made \
         for this one."
    )]
    TooNew {
        /// The database's version.
        found: u32,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// The database's schema version.
pub fn version(conn: &Connection) -> Result<u32, SchemaError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get::<_, u32>(0))?)
}

/// Brings the schema to [`CURRENT`], one migration per transaction.
/// Returns the version found before.
pub fn migrate(conn: &mut Connection) -> Result<u32, SchemaError> {
    migrate_to(conn, CURRENT)
}

fn migrate_to(conn: &mut Connection, target: u32) -> Result<u32, SchemaError> {
    let found = version(conn)?;
    if found > CURRENT {
        return Err(SchemaError::TooNew { found });
    }
    for v in found..target {
        let tx = conn.transaction()?;
        tx.execute_batch(MIGRATIONS[v as usize])?;
        if v + 1 == SEARCH {
            index_older_messages(&tx)?;
        }
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_database_gets_every_migration_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&conn).unwrap(), CURRENT);
        assert_eq!(migrate(&mut conn).unwrap(), CURRENT, "nothing to do twice");
    }

    #[test]
    fn each_older_version_upgrades_to_the_current_one() {
        for start in 0..CURRENT {
            let mut conn = Connection::open_in_memory().unwrap();
            migrate_to(&mut conn, start).unwrap();
            assert_eq!(migrate(&mut conn).unwrap(), start);
            assert_eq!(version(&conn).unwrap(), CURRENT);
        }
    }

    /// Data written by the first durable version reads the same after the
    /// console's migration: admins stay admins, agents keep every site.
    #[test]
    fn version_1_data_keeps_its_meaning_in_version_2() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO sites (id, key, name, allowed_origins) VALUES
                 ('s_1', 'pk_1', 'Shop', '[]'), ('s_2', 'pk_2', 'Blog', '[]');
             INSERT INTO agents (id, email, name, password_hash, admin, capacity) VALUES
                 ('a_1', 'boss@x', 'Boss', 'h', 1, 5), ('a_2', 'sara@x', 'Sara', 'h', 0, 3);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let roles: Vec<(String, String, String)> = conn
            .prepare("SELECT id, role, sites FROM agents ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(roles[0].1, "admin");
        assert_eq!(roles[1].1, "agent");
        let sites: Vec<String> = serde_json::from_str(&roles[1].2).unwrap();
        assert_eq!(sites, ["s_1", "s_2"]);
        let look: String = conn
            .query_row("SELECT appearance FROM sites WHERE id = 's_1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        let look: shared::settings::Appearance = serde_json::from_str(&look).unwrap();
        assert_eq!(look, shared::settings::Appearance::default());
    }

    /// Messages written before the search index are found after it.
    #[test]
    fn older_messages_are_indexed_by_the_search_migration() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate_to(&mut conn, SEARCH - 1).unwrap();
        conn.execute_batch(
            "INSERT INTO messages (conversation, seq, author_key, client_id, body, sent_at)
                 VALUES ('c_1', 1, 'v', 'k1', 'Where is my Order?', 1),
                        ('c_2', 1, 'v', 'k1', 'سفارش من کجاست', 1);",
        )
        .unwrap();
        migrate(&mut conn).unwrap();
        let found = |word: &str| -> Vec<String> {
            conn.prepare("SELECT conversation FROM message_search WHERE message_search MATCH ?1")
                .unwrap()
                .query_map([format!("\"{word}\"*")], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        assert_eq!(found("orde"), ["c_1"]);
        assert_eq!(found(&crate::search::fold("سفارش")), ["c_2"]);
    }

    #[test]
    fn a_newer_database_is_refused_untouched() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", CURRENT + 1)
            .unwrap();
        let err = migrate(&mut conn).unwrap_err();
        assert!(matches!(err, SchemaError::TooNew { found } if found == CURRENT + 1));
        assert!(err.to_string().contains("newer Ahlan"), "{err}");
        let tables: i64 = conn
            .query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0))
            .unwrap();
        assert_eq!(tables, 0);
    }
}
