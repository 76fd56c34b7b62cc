//! The domain operations as SQL over one connection. Reads run on a pooled
//! read connection, writes inside the writer thread's transaction (see
//! [`super::writer`]); both call these functions, so each rule is written
//! once. Every function is one step of the [`Store`](super::super::Store)
//! contract; the writer's transaction makes the writes atomic.

use super::super::choose::{choose_agent, Candidate};
use super::super::{
    author_key, AgentRecord, Appended, Assignment, ConversationFilter, NewMessage, Site,
    StoreError, StoreResult, Visitor, VisitorAppend,
};
use super::writer::sql_error;
use rusqlite::{params, Connection, OptionalExtension, Row};
use shared::{
    AgentId, AgentPublic, Author, ChatMessage, ClientId, ConversationId, ConversationStatus,
    ConversationSummary, Millis, Seq, SiteId, VisitorId, VisitorInfo,
};

/// SQLite integers are signed; our times and seqs are far below `i64::MAX`
/// but a client's number may not be, so saturate rather than wrap.
fn int(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn parse_status(s: &str) -> rusqlite::Result<ConversationStatus> {
    match s {
        "queued" => Ok(ConversationStatus::Queued),
        "assigned" => Ok(ConversationStatus::Assigned),
        "resolved" => Ok(ConversationStatus::Resolved),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown conversation status {other:?}").into(),
        )),
    }
}

fn json_error(e: serde_json::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
}

// --- directory ---------------------------------------------------------------

fn site_row(row: &Row) -> rusqlite::Result<Site> {
    let origins: String = row.get("allowed_origins")?;
    Ok(Site {
        id: SiteId(row.get("id")?),
        key: row.get("key")?,
        name: row.get("name")?,
        allowed_origins: serde_json::from_str(&origins).map_err(json_error)?,
    })
}

pub fn insert_site(conn: &Connection, site: &Site) -> StoreResult<()> {
    let origins = serde_json::to_string(&site.allowed_origins)
        .map_err(|e| StoreError::Unavailable(e.to_string()))?;
    let n = conn
        .execute(
            "INSERT INTO sites (id, key, name, allowed_origins) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO NOTHING",
            params![site.id.as_str(), site.key, site.name, origins],
        )
        .map_err(sql_error)?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub fn site_by_key(conn: &Connection, key: &str) -> StoreResult<Option<Site>> {
    conn.prepare_cached("SELECT * FROM sites WHERE key = ?1")
        .and_then(|mut s| s.query_row([key], site_row).optional())
        .map_err(sql_error)
}

pub fn site(conn: &Connection, id: &SiteId) -> StoreResult<Option<Site>> {
    conn.prepare_cached("SELECT * FROM sites WHERE id = ?1")
        .and_then(|mut s| s.query_row([id.as_str()], site_row).optional())
        .map_err(sql_error)
}

fn agent_row(row: &Row) -> rusqlite::Result<AgentRecord> {
    Ok(AgentRecord {
        id: AgentId(row.get("id")?),
        email: row.get("email")?,
        name: row.get("name")?,
        password_hash: row.get("password_hash")?,
        admin: row.get("admin")?,
        capacity: row.get("capacity")?,
    })
}

pub fn insert_agent(conn: &Connection, agent: &AgentRecord) -> StoreResult<()> {
    let n = conn
        .execute(
            "INSERT INTO agents (id, email, name, password_hash, admin, capacity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                agent.id.as_str(),
                agent.email,
                agent.name,
                agent.password_hash,
                agent.admin,
                agent.capacity
            ],
        )
        .map_err(sql_error)?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub fn agent_by_email(conn: &Connection, email: &str) -> StoreResult<Option<AgentRecord>> {
    conn.prepare_cached("SELECT * FROM agents WHERE email = ?1")
        .and_then(|mut s| s.query_row([email], agent_row).optional())
        .map_err(sql_error)
}

pub fn agent(conn: &Connection, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
    conn.prepare_cached("SELECT * FROM agents WHERE id = ?1")
        .and_then(|mut s| s.query_row([id.as_str()], agent_row).optional())
        .map_err(sql_error)
}

pub fn list_agents(conn: &Connection) -> StoreResult<Vec<AgentRecord>> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM agents ORDER BY email")
        .map_err(sql_error)?;
    let rows = stmt.query_map([], agent_row).map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

// --- sessions and visitors -----------------------------------------------------

pub fn create_session(
    conn: &Connection,
    token_hash: &str,
    agent: &AgentId,
    expires_at: Millis,
    now: Millis,
) -> StoreResult<()> {
    // Expired sessions are never returned; clearing them here keeps the
    // table from growing with every login.
    conn.execute("DELETE FROM sessions WHERE expires_at <= ?1", [int(now)])
        .map_err(sql_error)?;
    conn.execute(
        "INSERT OR REPLACE INTO sessions (token_hash, agent, expires_at) VALUES (?1, ?2, ?3)",
        params![token_hash, agent.as_str(), int(expires_at)],
    )
    .map_err(sql_error)?;
    Ok(())
}

pub fn session_agent(
    conn: &Connection,
    token_hash: &str,
    now: Millis,
) -> StoreResult<Option<AgentId>> {
    conn.prepare_cached("SELECT agent FROM sessions WHERE token_hash = ?1 AND expires_at > ?2")
        .and_then(|mut s| {
            s.query_row(params![token_hash, int(now)], |r| r.get(0))
                .optional()
        })
        .map(|a| a.map(AgentId))
        .map_err(sql_error)
}

pub fn delete_session(conn: &Connection, token_hash: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
        .map_err(sql_error)
        .map(drop)
}

pub fn create_visitor(
    conn: &Connection,
    token_hash: &str,
    visitor: &Visitor,
    now: Millis,
) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO visitors (id, token_hash, site, locale, origin, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            visitor.id.as_str(),
            token_hash,
            visitor.site.as_str(),
            visitor.locale,
            visitor.origin,
            int(now)
        ],
    )
    .map_err(sql_error)
    .map(drop)
}

fn visitor_row(row: &Row) -> rusqlite::Result<Visitor> {
    Ok(Visitor {
        id: VisitorId(row.get("id")?),
        site: SiteId(row.get("site")?),
        locale: row.get("locale")?,
        origin: row.get("origin")?,
        conversation: row
            .get::<_, Option<String>>("conversation")?
            .map(ConversationId),
    })
}

pub fn visitor_by_token(conn: &Connection, token_hash: &str) -> StoreResult<Option<Visitor>> {
    conn.prepare_cached("SELECT * FROM visitors WHERE token_hash = ?1")
        .and_then(|mut s| s.query_row([token_hash], visitor_row).optional())
        .map_err(sql_error)
}

fn visitor_by_id(conn: &Connection, id: &VisitorId) -> StoreResult<Option<Visitor>> {
    conn.prepare_cached("SELECT * FROM visitors WHERE id = ?1")
        .and_then(|mut s| s.query_row([id.as_str()], visitor_row).optional())
        .map_err(sql_error)
}

// --- conversations and messages ---------------------------------------------------

/// A conversation with its visitor and last message, in one row.
const SUMMARY: &str = "
    SELECT c.id, c.site, c.status, c.agent, c.agent_name, c.created_at, c.queued_at,
           c.last_seq, v.id AS v_id, v.locale AS v_locale, v.origin AS v_origin,
           m.client_id AS m_client_id, m.author_id AS m_author_id,
           m.author_name AS m_author_name, m.body AS m_body, m.sent_at AS m_sent_at
    FROM conversations c
    JOIN visitors v ON v.id = c.visitor
    LEFT JOIN messages m ON m.conversation = c.id AND m.seq = c.last_seq";

fn author(id: Option<String>, name: Option<String>) -> Author {
    match id {
        Some(id) => Author::Agent {
            id: AgentId(id),
            name: name.unwrap_or_default(),
        },
        None => Author::Visitor,
    }
}

fn summary_row(row: &Row) -> rusqlite::Result<ConversationSummary> {
    let id = ConversationId(row.get("id")?);
    let last_seq: Seq = row.get::<_, i64>("last_seq")? as Seq;
    let last_message = match row.get::<_, Option<String>>("m_client_id")? {
        Some(client_id) => Some(ChatMessage {
            conversation: id.clone(),
            seq: last_seq,
            client_id: ClientId(client_id),
            author: author(row.get("m_author_id")?, row.get("m_author_name")?),
            body: row.get("m_body")?,
            sent_at: row.get::<_, i64>("m_sent_at")? as Millis,
        }),
        None => None,
    };
    let agent = match (
        row.get::<_, Option<String>>("agent")?,
        row.get::<_, Option<String>>("agent_name")?,
    ) {
        (Some(id), Some(name)) => Some(AgentPublic {
            id: AgentId(id),
            name,
        }),
        _ => None,
    };
    Ok(ConversationSummary {
        id,
        site: SiteId(row.get("site")?),
        status: parse_status(&row.get::<_, String>("status")?)?,
        agent,
        visitor: VisitorInfo {
            id: VisitorId(row.get("v_id")?),
            locale: row.get("v_locale")?,
            origin: row.get("v_origin")?,
        },
        created_at: row.get::<_, i64>("created_at")? as Millis,
        queued_at: row.get::<_, Option<i64>>("queued_at")?.map(|t| t as Millis),
        last_seq,
        last_message,
    })
}

pub fn conversation(
    conn: &Connection,
    id: &ConversationId,
) -> StoreResult<Option<ConversationSummary>> {
    conn.prepare_cached(&format!("{SUMMARY} WHERE c.id = ?1"))
        .and_then(|mut s| s.query_row([id.as_str()], summary_row).optional())
        .map_err(sql_error)
}

fn existing(conn: &Connection, id: &ConversationId) -> StoreResult<ConversationSummary> {
    conversation(conn, id)?.ok_or(StoreError::NotFound)
}

pub fn list(
    conn: &Connection,
    filter: &ConversationFilter,
) -> StoreResult<Vec<ConversationSummary>> {
    let (sql, agent) = match filter {
        ConversationFilter::Waiting => (
            format!("{SUMMARY} WHERE c.status = 'queued' ORDER BY c.queue_order"),
            None,
        ),
        ConversationFilter::AssignedTo(a) => (
            format!(
                "{SUMMARY} WHERE c.agent = ?1 AND c.status = 'assigned'
                 ORDER BY c.last_activity DESC, c.id"
            ),
            Some(a),
        ),
        ConversationFilter::ResolvedBy(a) => (
            format!(
                "{SUMMARY} WHERE c.agent = ?1 AND c.status = 'resolved'
                 ORDER BY c.last_activity DESC, c.id"
            ),
            Some(a),
        ),
    };
    let mut stmt = conn.prepare_cached(&sql).map_err(sql_error)?;
    let rows = match agent {
        Some(a) => stmt.query_map([a.as_str()], summary_row),
        None => stmt.query_map([], summary_row),
    }
    .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

fn message_row(conversation: &ConversationId, row: &Row) -> rusqlite::Result<ChatMessage> {
    Ok(ChatMessage {
        conversation: conversation.clone(),
        seq: row.get::<_, i64>("seq")? as Seq,
        client_id: ClientId(row.get("client_id")?),
        author: author(row.get("author_id")?, row.get("author_name")?),
        body: row.get("body")?,
        sent_at: row.get::<_, i64>("sent_at")? as Millis,
    })
}

pub fn messages_after(
    conn: &Connection,
    conversation: &ConversationId,
    after: Seq,
    limit: usize,
) -> StoreResult<Vec<ChatMessage>> {
    if !conversation_exists(conn, conversation)? {
        return Err(StoreError::NotFound);
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT * FROM messages WHERE conversation = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
        )
        .map_err(sql_error)?;
    let rows = stmt
        .query_map(
            params![conversation.as_str(), int(after), int(limit as u64)],
            |r| message_row(conversation, r),
        )
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

fn conversation_exists(conn: &Connection, id: &ConversationId) -> StoreResult<bool> {
    conn.prepare_cached("SELECT 1 FROM conversations WHERE id = ?1")
        .and_then(|mut s| s.exists([id.as_str()]))
        .map_err(sql_error)
}

/// The earlier message of `author` with this client id, if any.
fn find_own(
    conn: &Connection,
    conversation: &ConversationId,
    author: &Author,
    client_id: &ClientId,
) -> StoreResult<Option<ChatMessage>> {
    conn.prepare_cached(
        "SELECT * FROM messages WHERE conversation = ?1 AND author_key = ?2 AND client_id = ?3",
    )
    .and_then(|mut s| {
        s.query_row(
            params![
                conversation.as_str(),
                author_key(author),
                client_id.as_str()
            ],
            |r| message_row(conversation, r),
        )
        .optional()
    })
    .map_err(sql_error)
}

/// Stores a message as the conversation's next seq (gap-free: the
/// conversation row holds the last one and the writer is the only writer).
fn push(
    conn: &Connection,
    conversation: &ConversationId,
    author: Author,
    msg: NewMessage,
) -> StoreResult<ChatMessage> {
    let last: i64 = conn
        .query_row(
            "SELECT last_seq FROM conversations WHERE id = ?1",
            [conversation.as_str()],
            |r| r.get(0),
        )
        .map_err(sql_error)?;
    let seq = last + 1;
    let (author_id, author_name) = match &author {
        Author::Visitor => (None, None),
        Author::Agent { id, name } => (Some(id.as_str()), Some(name.as_str())),
    };
    conn.prepare_cached(
        "INSERT INTO messages (conversation, seq, author_key, client_id, author_id, author_name,
                               body, sent_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            conversation.as_str(),
            seq,
            author_key(&author),
            msg.client_id.as_str(),
            author_id,
            author_name,
            msg.body,
            int(msg.now)
        ])
    })
    .map_err(sql_error)?;
    conn.prepare_cached("UPDATE conversations SET last_seq = ?2, last_activity = ?3 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![conversation.as_str(), seq, int(msg.now)]))
        .map_err(sql_error)?;
    Ok(ChatMessage {
        conversation: conversation.clone(),
        seq: seq as Seq,
        client_id: msg.client_id,
        author,
        body: msg.body,
        sent_at: msg.now,
    })
}

/// Puts a conversation at the back of the queue.
fn enqueue(conn: &Connection, id: &ConversationId, now: Millis) -> StoreResult<()> {
    conn.execute(
        "UPDATE conversations SET status = 'queued', agent = NULL, agent_name = NULL,
             queued_at = ?2,
             queue_order = (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM conversations
                            WHERE status = 'queued')
         WHERE id = ?1",
        params![id.as_str(), int(now)],
    )
    .map_err(sql_error)
    .map(drop)
}

pub fn append_visitor(
    conn: &Connection,
    visitor: &VisitorId,
    msg: NewMessage,
    new_id: ConversationId,
) -> StoreResult<VisitorAppend> {
    let v = visitor_by_id(conn, visitor)?.ok_or(StoreError::NotFound)?;
    if let Some(conv) = &v.conversation {
        if let Some(original) = find_own(conn, conv, &Author::Visitor, &msg.client_id)? {
            return Ok(VisitorAppend {
                appended: Appended {
                    message: original,
                    duplicate: true,
                },
                conversation: existing(conn, conv)?,
                entered_queue: false,
            });
        }
    }
    let (conv, entered_queue) =
        match v.conversation {
            Some(conv) => {
                let resolved = existing(conn, &conv)?.status == ConversationStatus::Resolved;
                if resolved {
                    enqueue(conn, &conv, msg.now)?;
                }
                (conv, resolved)
            }
            None => {
                conn.execute(
                "INSERT INTO conversations (id, site, visitor, status, created_at, last_activity)
                 VALUES (?1, ?2, ?3, 'queued', ?4, ?4)",
                params![new_id.as_str(), v.site.as_str(), v.id.as_str(), int(msg.now)],
            )
            .map_err(sql_error)?;
                enqueue(conn, &new_id, msg.now)?;
                conn.execute(
                    "UPDATE visitors SET conversation = ?2 WHERE id = ?1",
                    params![v.id.as_str(), new_id.as_str()],
                )
                .map_err(sql_error)?;
                (new_id, true)
            }
        };
    let message = push(conn, &conv, Author::Visitor, msg)?;
    Ok(VisitorAppend {
        appended: Appended {
            message,
            duplicate: false,
        },
        conversation: existing(conn, &conv)?,
        entered_queue,
    })
}

pub fn append_agent(
    conn: &Connection,
    conversation: &ConversationId,
    agent: &AgentRecord,
    msg: NewMessage,
) -> StoreResult<Appended> {
    let summary = existing(conn, conversation)?;
    let author = Author::Agent {
        id: agent.id.clone(),
        name: agent.name.clone(),
    };
    // Only this agent's own earlier send counts as a retry (store::author_key).
    if let Some(original) = find_own(conn, conversation, &author, &msg.client_id)? {
        return Ok(Appended {
            message: original,
            duplicate: true,
        });
    }
    match summary.status {
        ConversationStatus::Resolved => return Err(StoreError::Resolved),
        ConversationStatus::Queued => return Err(StoreError::Forbidden),
        ConversationStatus::Assigned => {}
    }
    if summary.agent.as_ref().map(|a| &a.id) != Some(&agent.id) {
        return Err(StoreError::Forbidden);
    }
    Ok(Appended {
        message: push(conn, conversation, author, msg)?,
        duplicate: false,
    })
}

// --- routing ------------------------------------------------------------------------

pub fn load(conn: &Connection, agent: &AgentId) -> StoreResult<u32> {
    conn.prepare_cached(
        "SELECT COUNT(*) FROM conversations WHERE agent = ?1 AND status = 'assigned'",
    )
    .and_then(|mut s| s.query_row([agent.as_str()], |r| r.get(0)))
    .map_err(sql_error)
}

fn assign(
    conn: &Connection,
    id: &ConversationId,
    agent: &AgentId,
    now: Millis,
) -> StoreResult<ConversationSummary> {
    conn.execute(
        "UPDATE conversations SET status = 'assigned', agent = ?2,
             agent_name = (SELECT name FROM agents WHERE id = ?2),
             queued_at = NULL, queue_order = NULL
         WHERE id = ?1",
        params![id.as_str(), agent.as_str()],
    )
    .map_err(sql_error)?;
    conn.execute(
        "UPDATE agents SET last_assigned = ?2 WHERE id = ?1",
        params![agent.as_str(), int(now)],
    )
    .map_err(sql_error)?;
    existing(conn, id)
}

fn queued_ids(conn: &Connection) -> StoreResult<Vec<ConversationId>> {
    let mut stmt = conn
        .prepare_cached("SELECT id FROM conversations WHERE status = 'queued' ORDER BY queue_order")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0).map(ConversationId))
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

pub fn queue(conn: &Connection) -> StoreResult<Vec<ConversationId>> {
    queued_ids(conn)
}

/// Assigns from the front of the queue to the `online` agents, by
/// [`choose_agent`], until the queue is empty or nobody has room.
pub fn drain(conn: &Connection, online: &[AgentId], now: Millis) -> StoreResult<Vec<Assignment>> {
    let mut candidates = Vec::with_capacity(online.len());
    for id in online {
        let Some((capacity, last_assigned)) = conn
            .prepare_cached("SELECT capacity, last_assigned FROM agents WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([id.as_str()], |r| {
                    Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)? as Millis))
                })
                .optional()
            })
            .map_err(sql_error)?
        else {
            continue;
        };
        candidates.push(Candidate {
            id: id.clone(),
            load: load(conn, id)?,
            capacity,
            last_assigned,
        });
    }
    let mut made = Vec::new();
    if candidates.iter().all(|c| c.load >= c.capacity) {
        return Ok(made);
    }
    for head in queued_ids(conn)? {
        let Some(chosen) = choose_agent(&candidates).map(|c| c.id.clone()) else {
            break;
        };
        made.push(Assignment {
            conversation: assign(conn, &head, &chosen, now)?,
        });
        if let Some(c) = candidates.iter_mut().find(|c| c.id == chosen) {
            c.load += 1;
            c.last_assigned = now;
        }
    }
    Ok(made)
}

pub fn pick(
    conn: &Connection,
    conversation: &ConversationId,
    agent: &AgentId,
    now: Millis,
) -> StoreResult<ConversationSummary> {
    if existing(conn, conversation)?.status != ConversationStatus::Queued {
        return Err(StoreError::NotQueued);
    }
    let capacity: u32 = conn
        .query_row(
            "SELECT capacity FROM agents WHERE id = ?1",
            [agent.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql_error)?
        .ok_or(StoreError::NotFound)?;
    if load(conn, agent)? >= capacity {
        return Err(StoreError::AtCapacity);
    }
    assign(conn, conversation, agent, now)
}

pub fn resolve(
    conn: &Connection,
    conversation: &ConversationId,
    agent: &AgentId,
) -> StoreResult<ConversationSummary> {
    let summary = existing(conn, conversation)?;
    match summary.status {
        ConversationStatus::Resolved => return Err(StoreError::Resolved),
        ConversationStatus::Queued => return Err(StoreError::Forbidden),
        ConversationStatus::Assigned => {}
    }
    if summary.agent.as_ref().map(|a| &a.id) != Some(agent) {
        return Err(StoreError::Forbidden);
    }
    conn.execute(
        "UPDATE conversations SET status = 'resolved' WHERE id = ?1",
        [conversation.as_str()],
    )
    .map_err(sql_error)?;
    existing(conn, conversation)
}

pub fn requeue_agent(conn: &Connection, agent: &AgentId) -> StoreResult<Vec<ConversationSummary>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id FROM conversations WHERE agent = ?1 AND status = 'assigned'
             ORDER BY created_at, id",
        )
        .map_err(sql_error)?;
    let ids: Vec<ConversationId> = stmt
        .query_map([agent.as_str()], |r| {
            r.get::<_, String>(0).map(ConversationId)
        })
        .map_err(sql_error)?
        .collect::<Result<_, _>>()
        .map_err(sql_error)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // In front of everyone waiting, oldest first: orders front-n … front-1.
    let front: i64 = conn
        .query_row(
            "SELECT COALESCE(MIN(queue_order), 1) FROM conversations WHERE status = 'queued'",
            [],
            |r| r.get(0),
        )
        .map_err(sql_error)?;
    let n = ids.len() as i64;
    let mut back = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        conn.execute(
            "UPDATE conversations SET status = 'queued', agent = NULL, agent_name = NULL,
                 queued_at = created_at, queue_order = ?2
             WHERE id = ?1",
            params![id.as_str(), front - n + i as i64],
        )
        .map_err(sql_error)?;
        back.push(existing(conn, id)?);
    }
    Ok(back)
}

pub fn agent_exists(conn: &Connection, id: &AgentId) -> StoreResult<bool> {
    conn.prepare_cached("SELECT 1 FROM agents WHERE id = ?1")
        .and_then(|mut s| s.exists([id.as_str()]))
        .map_err(sql_error)
}
