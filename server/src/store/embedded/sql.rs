//! The domain operations as SQL over one connection. Reads run on a pooled
//! read connection, writes inside the writer thread's transaction (see
//! [`super::writer`]); both call these functions, so each rule is written
//! once. Every function is one step of the [`Store`](super::super::Store)
//! contract; the writer's transaction makes the writes atomic.

use super::super::choose::{
    choose_agent, choose_supervisor, language_of, relaxed, Candidate, Wanted,
};
use super::super::throttle::Limited;
use super::super::{
    author_key, has_active_admin, AgentPatch, AgentRecord, Appended, Assignment,
    ConversationFilter, HistoryCursor, HistoryPage, HistoryQuery, NewMessage, NoteAdded, PageVisit,
    QueueEntry, Site, SitePatch, StoreError, StoreResult, Team, Visitor, VisitorActivity,
    VisitorAppend, PAGES_KEPT, SERVED_KEPT, VISIT_GAP,
};
use super::super::{Mark, Party};
use super::writer::sql_error;
use rusqlite::{params, Connection, OptionalExtension, Row};
use shared::api::{CannedResponse, CannedScope, PageView};
use shared::TransferTarget;
use shared::{
    AgentId, AgentPublic, Author, CannedId, ChatMessage, ClientId, ConversationId,
    ConversationStatus, ConversationSummary, Millis, Seq, SiteId, TeamId, VisitorId, VisitorInfo,
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

fn to_json<T: serde::Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Unavailable(e.to_string()))
}

fn json_column<T: serde::de::DeserializeOwned>(row: &Row, column: &str) -> rusqlite::Result<T> {
    let text: String = row.get(column)?;
    serde_json::from_str(&text).map_err(json_error)
}

fn site_row(row: &Row) -> rusqlite::Result<Site> {
    Ok(Site {
        id: SiteId(row.get("id")?),
        key: row.get("key")?,
        name: row.get("name")?,
        allowed_origins: json_column(row, "allowed_origins")?,
        appearance: json_column(row, "appearance")?,
        team: row.get::<_, Option<String>>("team")?.map(TeamId),
        typing_preview: row.get("typing_preview")?,
        retention_days: row.get("retention_days")?,
        survey_nps: row.get("survey_nps")?,
        time_zone: row.get("time_zone")?,
        hours: row
            .get::<_, Option<String>>("hours")?
            .map(|text| serde_json::from_str(&text).map_err(json_error))
            .transpose()?,
        offline_when_away: row.get("offline_when_away")?,
        prechat: row
            .get::<_, Option<String>>("prechat")?
            .map(|text| serde_json::from_str(&text).map_err(json_error))
            .transpose()?,
        identity_secret: row.get("identity_secret")?,
        identity_required: row.get("identity_required")?,
        callback_after_mins: row.get("callback_after_mins")?,
        proactive: row
            .get::<_, Option<String>>("proactive")?
            .map(|text| serde_json::from_str(&text).map_err(json_error))
            .transpose()?
            .unwrap_or_default(),
    })
}

/// A site's proactive rules as stored (`NULL`: none).
fn proactive_column(rules: &[shared::proactive::ProactiveRule]) -> StoreResult<Option<String>> {
    (!rules.is_empty()).then(|| to_json(&rules)).transpose()
}

pub fn insert_site(conn: &Connection, site: &Site) -> StoreResult<()> {
    let n = conn
        .execute(
            "INSERT INTO sites (id, key, name, allowed_origins, appearance, team, typing_preview,
                                retention_days, survey_nps, time_zone, hours, offline_when_away,
                                prechat, identity_secret, identity_required, callback_after_mins,
                                proactive)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
             ON CONFLICT DO NOTHING",
            params![
                site.id.as_str(),
                site.key,
                site.name,
                to_json(&site.allowed_origins)?,
                to_json(&site.appearance)?,
                site.team.as_ref().map(|t| t.as_str()),
                site.typing_preview,
                site.retention_days,
                site.survey_nps,
                site.time_zone,
                site.hours.as_ref().map(to_json).transpose()?,
                site.offline_when_away,
                site.prechat.as_ref().map(to_json).transpose()?,
                site.identity_secret,
                site.identity_required,
                site.callback_after_mins,
                proactive_column(&site.proactive)?
            ],
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

pub fn list_sites(conn: &Connection) -> StoreResult<Vec<Site>> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM sites ORDER BY name, id")
        .map_err(sql_error)?;
    let rows = stmt.query_map([], site_row).map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

pub fn update_site(conn: &Connection, id: &SiteId, patch: &SitePatch) -> StoreResult<Site> {
    let mut s = site(conn, id)?.ok_or(StoreError::NotFound)?;
    patch.apply(&mut s);
    conn.execute(
        "UPDATE sites SET name = ?2, allowed_origins = ?3, appearance = ?4, team = ?5,
             typing_preview = ?6, retention_days = ?7, survey_nps = ?8, time_zone = ?9,
             hours = ?10, offline_when_away = ?11, prechat = ?12, identity_secret = ?13,
             identity_required = ?14, callback_after_mins = ?15, proactive = ?16
         WHERE id = ?1",
        params![
            id.as_str(),
            s.name,
            to_json(&s.allowed_origins)?,
            to_json(&s.appearance)?,
            s.team.as_ref().map(|t| t.as_str()),
            s.typing_preview,
            s.retention_days,
            s.survey_nps,
            s.time_zone,
            s.hours.as_ref().map(to_json).transpose()?,
            s.offline_when_away,
            s.prechat.as_ref().map(to_json).transpose()?,
            s.identity_secret,
            s.identity_required,
            s.callback_after_mins,
            proactive_column(&s.proactive)?
        ],
    )
    .map_err(sql_error)?;
    Ok(s)
}

pub fn delete_site(conn: &Connection, id: &SiteId) -> StoreResult<()> {
    if site(conn, id)?.is_none() {
        return Err(StoreError::NotFound);
    }
    conn.execute_batch("SAVEPOINT delete_site")
        .map_err(sql_error)?;
    let steps = [
        "DELETE FROM messages WHERE conversation IN (SELECT id FROM conversations WHERE site = ?1)",
        "DELETE FROM message_search WHERE conversation IN
             (SELECT id FROM conversations WHERE site = ?1)",
        "DELETE FROM search_pending WHERE conversation IN
             (SELECT id FROM conversations WHERE site = ?1)",
        "DELETE FROM notes WHERE conversation IN (SELECT id FROM conversations WHERE site = ?1)",
        "DELETE FROM canned WHERE site = ?1",
        "DELETE FROM callbacks WHERE site = ?1",
        "DELETE FROM articles WHERE site = ?1",
        "DELETE FROM tallies WHERE site = ?1",
        "DELETE FROM conversations WHERE site = ?1",
        "DELETE FROM visitor_pages WHERE visitor IN (SELECT id FROM visitors WHERE site = ?1)",
        "DELETE FROM visitor_activity WHERE visitor IN (SELECT id FROM visitors WHERE site = ?1)",
        "DELETE FROM visitors WHERE site = ?1",
        "DELETE FROM sites WHERE id = ?1",
    ];
    for step in steps {
        conn.execute(step, [id.as_str()]).map_err(sql_error)?;
    }
    for mut agent in list_agents(conn)? {
        if agent.sites.contains(id) {
            agent.sites.retain(|s| s != id);
            write_agent(conn, &agent)?;
        }
    }
    conn.execute_batch("RELEASE delete_site").map_err(sql_error)
}

fn agent_row(row: &Row) -> rusqlite::Result<AgentRecord> {
    let role: String = row.get("role")?;
    Ok(AgentRecord {
        id: AgentId(row.get("id")?),
        email: row.get("email")?,
        name: row.get("name")?,
        password_hash: row.get("password_hash")?,
        role: serde_json::from_value(serde_json::Value::String(role)).map_err(json_error)?,
        capacity: row.get("capacity")?,
        languages: json_column(row, "languages")?,
        teams: json_column(row, "teams")?,
        sites: json_column(row, "sites")?,
        disabled: row.get("disabled")?,
    })
}

pub fn insert_agent(conn: &Connection, agent: &AgentRecord) -> StoreResult<()> {
    let n = conn
        .execute(
            "INSERT INTO agents (id, email, name, password_hash, role, capacity, languages, teams,
                                 sites, disabled)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING",
            params![
                agent.id.as_str(),
                agent.email,
                agent.name,
                agent.password_hash,
                agent.role.as_str(),
                agent.capacity,
                to_json(&agent.languages)?,
                to_json(&agent.teams)?,
                to_json(&agent.sites)?,
                agent.disabled
            ],
        )
        .map_err(sql_error)?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

/// Rewrites every field of an existing agent.
fn write_agent(conn: &Connection, agent: &AgentRecord) -> StoreResult<()> {
    conn.execute(
        "UPDATE agents SET email = ?2, name = ?3, password_hash = ?4, role = ?5, capacity = ?6,
             languages = ?7, teams = ?8, sites = ?9, disabled = ?10
         WHERE id = ?1",
        params![
            agent.id.as_str(),
            agent.email,
            agent.name,
            agent.password_hash,
            agent.role.as_str(),
            agent.capacity,
            to_json(&agent.languages)?,
            to_json(&agent.teams)?,
            to_json(&agent.sites)?,
            agent.disabled
        ],
    )
    .map_err(sql_error)
    .map(drop)
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

pub fn update_agent(
    conn: &Connection,
    id: &AgentId,
    patch: &AgentPatch,
) -> StoreResult<AgentRecord> {
    let mut all = list_agents(conn)?;
    let Some(i) = all.iter().position(|a| &a.id == id) else {
        return Err(StoreError::NotFound);
    };
    let had_admin = has_active_admin(&all);
    patch.apply(&mut all[i]);
    let updated = all[i].clone();
    if all
        .iter()
        .any(|a| a.email == updated.email && a.id != updated.id)
    {
        return Err(StoreError::Conflict);
    }
    if had_admin && !has_active_admin(&all) {
        return Err(StoreError::LastAdmin);
    }
    write_agent(conn, &updated)?;
    Ok(updated)
}

pub fn delete_agent(conn: &Connection, id: &AgentId) -> StoreResult<()> {
    let all = list_agents(conn)?;
    if !all.iter().any(|a| &a.id == id) {
        return Err(StoreError::NotFound);
    }
    if has_active_admin(&all) && !has_active_admin(all.iter().filter(|a| &a.id != id)) {
        return Err(StoreError::LastAdmin);
    }
    conn.execute("DELETE FROM sessions WHERE agent = ?1", [id.as_str()])
        .map_err(sql_error)?;
    conn.execute(
        "DELETE FROM canned WHERE personal_owner = ?1",
        [id.as_str()],
    )
    .map_err(sql_error)?;
    conn.execute("DELETE FROM agents WHERE id = ?1", [id.as_str()])
        .map_err(sql_error)
        .map(drop)
}

// --- canned responses ----------------------------------------------------------

fn canned_columns(c: &CannedResponse) -> (Option<&str>, Option<&str>) {
    match &c.scope {
        CannedScope::Site { site } => (Some(site.as_str()), None),
        CannedScope::Personal => (None, Some(c.owner.as_str())),
        CannedScope::Global => (None, None),
    }
}

pub fn list_canned(conn: &Connection) -> StoreResult<Vec<CannedResponse>> {
    let mut stmt = conn
        .prepare_cached("SELECT data FROM canned")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([], |r| json_column(r, "data"))
        .map_err(sql_error)?;
    let mut all: Vec<CannedResponse> = rows.collect::<Result<_, _>>().map_err(sql_error)?;
    all.sort_by(|a, b| (&a.shortcut, &a.title, &a.id).cmp(&(&b.shortcut, &b.title, &b.id)));
    Ok(all)
}

pub fn canned(conn: &Connection, id: &CannedId) -> StoreResult<Option<CannedResponse>> {
    conn.prepare_cached("SELECT data FROM canned WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([id.as_str()], |r| json_column(r, "data"))
                .optional()
        })
        .map_err(sql_error)
}

pub fn insert_canned(conn: &Connection, c: &CannedResponse) -> StoreResult<()> {
    let (site, owner) = canned_columns(c);
    let added = conn
        .execute(
            "INSERT OR IGNORE INTO canned (id, site, personal_owner, data) VALUES (?1, ?2, ?3, ?4)",
            params![c.id.as_str(), site, owner, to_json(c)?],
        )
        .map_err(sql_error)?;
    if added == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub fn update_canned(conn: &Connection, c: &CannedResponse) -> StoreResult<()> {
    let (site, owner) = canned_columns(c);
    let changed = conn
        .execute(
            "UPDATE canned SET site = ?2, personal_owner = ?3, data = ?4 WHERE id = ?1",
            params![c.id.as_str(), site, owner, to_json(c)?],
        )
        .map_err(sql_error)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub fn delete_canned(conn: &Connection, id: &CannedId) -> StoreResult<()> {
    let deleted = conn
        .execute("DELETE FROM canned WHERE id = ?1", [id.as_str()])
        .map_err(sql_error)?;
    if deleted == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

fn team_row(row: &Row) -> rusqlite::Result<Team> {
    Ok(Team {
        id: TeamId(row.get("id")?),
        name: row.get("name")?,
    })
}

pub fn list_teams(conn: &Connection) -> StoreResult<Vec<Team>> {
    let mut stmt = conn
        .prepare_cached("SELECT * FROM teams ORDER BY name, id")
        .map_err(sql_error)?;
    let rows = stmt.query_map([], team_row).map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

pub fn insert_team(conn: &Connection, team: &Team) -> StoreResult<()> {
    let n = conn
        .execute(
            "INSERT INTO teams (id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![team.id.as_str(), team.name],
        )
        .map_err(sql_error)?;
    if n == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub fn rename_team(conn: &Connection, id: &TeamId, name: &str) -> StoreResult<Team> {
    let n = conn
        .execute(
            "UPDATE teams SET name = ?2 WHERE id = ?1",
            params![id.as_str(), name],
        )
        .map_err(sql_error)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(Team {
        id: id.clone(),
        name: name.to_owned(),
    })
}

pub fn delete_team(conn: &Connection, id: &TeamId) -> StoreResult<()> {
    let n = conn
        .execute("DELETE FROM teams WHERE id = ?1", [id.as_str()])
        .map_err(sql_error)?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    for mut agent in list_agents(conn)? {
        if agent.teams.contains(id) {
            agent.teams.retain(|t| t != id);
            write_agent(conn, &agent)?;
        }
    }
    // Its sites and waiting conversations go to any agent of the site.
    for table in ["sites", "conversations"] {
        conn.execute(
            &format!("UPDATE {table} SET team = NULL WHERE team = ?1"),
            [id.as_str()],
        )
        .map_err(sql_error)?;
    }
    Ok(())
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

pub fn session_ends(
    conn: &Connection,
    token_hash: &str,
    now: Millis,
) -> StoreResult<Option<Millis>> {
    conn.prepare_cached("SELECT expires_at FROM sessions WHERE token_hash = ?1 AND expires_at > ?2")
        .and_then(|mut s| {
            s.query_row(params![token_hash, int(now)], |r| r.get::<_, i64>(0))
                .optional()
        })
        .map(|t| t.map(|t| t as Millis))
        .map_err(sql_error)
}

pub fn delete_session(conn: &Connection, token_hash: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])
        .map_err(sql_error)
        .map(drop)
}

pub fn delete_sessions(
    conn: &Connection,
    agent: &AgentId,
    except: Option<&str>,
) -> StoreResult<()> {
    conn.execute(
        "DELETE FROM sessions WHERE agent = ?1 AND token_hash IS NOT ?2",
        params![agent.as_str(), except],
    )
    .map_err(sql_error)
    .map(drop)
}

pub fn create_visitor(
    conn: &Connection,
    token_hash: &str,
    visitor: &Visitor,
    now: Millis,
) -> StoreResult<Visitor> {
    if let Some(existing) = visitor_by_token(conn, token_hash)? {
        return if existing.site == visitor.site {
            Ok(existing)
        } else {
            Err(StoreError::Conflict)
        };
    }
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
    .map_err(sql_error)?;
    Ok(visitor.clone())
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
        contact: row
            .get::<_, Option<String>>("email")?
            .map(|email| -> rusqlite::Result<_> {
                Ok(shared::Contact {
                    name: row.get("name")?,
                    email,
                })
            })
            .transpose()?,
        attributes: row
            .get::<_, Option<String>>("attributes")?
            .map(|text| serde_json::from_str(&text).map_err(json_error))
            .transpose()?
            .unwrap_or_default(),
        user_id: row.get("user_id")?,
    })
}

pub fn visitor_by_user(
    conn: &Connection,
    site: &SiteId,
    user_id: &str,
) -> StoreResult<Option<Visitor>> {
    conn.prepare_cached("SELECT * FROM visitors WHERE site = ?1 AND user_id = ?2")
        .and_then(|mut s| {
            s.query_row([site.as_str(), user_id], visitor_row)
                .optional()
        })
        .map_err(sql_error)
}

pub fn bind_user(
    conn: &Connection,
    visitor: &VisitorId,
    user_id: &str,
) -> StoreResult<(Visitor, Option<ConversationSummary>)> {
    let Some(v) = visitor_by_id(conn, visitor)? else {
        return Err(StoreError::NotFound);
    };
    if let Some(holder) = visitor_by_user(conn, &v.site, user_id)? {
        return Ok((holder, None));
    }
    if v.user_id.is_some() {
        return Err(StoreError::Conflict);
    }
    conn.execute(
        "UPDATE visitors SET user_id = ?2 WHERE id = ?1",
        params![visitor.as_str(), user_id],
    )
    .map_err(sql_error)?;
    let bound = Visitor {
        user_id: Some(user_id.to_owned()),
        ..v
    };
    let Some(conv) = &bound.conversation else {
        return Ok((bound, None));
    };
    conn.execute(
        "UPDATE conversations SET version = version + 1 WHERE id = ?1",
        [conv.as_str()],
    )
    .map_err(sql_error)?;
    let summary = conversation(conn, conv)?;
    Ok((bound, summary))
}

pub fn set_details(
    conn: &Connection,
    visitor: &VisitorId,
    details: &super::super::VisitorDetails,
    left_message: bool,
) -> StoreResult<Option<ConversationSummary>> {
    let Some(v) = visitor_by_id(conn, visitor)? else {
        return Err(StoreError::NotFound);
    };
    let mut attributes = v.attributes.clone();
    attributes.extend(details.attributes.clone());
    conn.execute(
        "UPDATE visitors SET name = COALESCE(?2, name), email = COALESCE(?3, email),
             attributes = ?4
         WHERE id = ?1",
        params![
            visitor.as_str(),
            details.name,
            details.email,
            (!attributes.is_empty())
                .then(|| to_json(&attributes))
                .transpose()?
        ],
    )
    .map_err(sql_error)?;
    let Some(conv) = v.conversation else {
        return Ok(None);
    };
    // The version moves either way: dashboards show the new name.
    conn.execute(
        "UPDATE conversations SET version = version + 1,
             left_message = CASE WHEN ?2 THEN 1 ELSE left_message END
         WHERE id = ?1",
        params![conv.as_str(), left_message],
    )
    .map_err(sql_error)?;
    conversation(conn, &conv)
}

pub fn visitor_by_token(conn: &Connection, token_hash: &str) -> StoreResult<Option<Visitor>> {
    conn.prepare_cached("SELECT * FROM visitors WHERE token_hash = ?1")
        .and_then(|mut s| s.query_row([token_hash], visitor_row).optional())
        .map_err(sql_error)
}

pub fn page_viewed(conn: &Connection, visitor: &VisitorId, v: &PageVisit) -> StoreResult<()> {
    if visitor_by_id(conn, visitor)?.is_none() {
        return Err(StoreError::NotFound);
    }
    let last_seen: Option<i64> = conn
        .query_row(
            "SELECT last_seen FROM visitor_activity WHERE visitor = ?1",
            [visitor.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(sql_error)?;
    match last_seen {
        None => conn.execute(
            "INSERT INTO visitor_activity
                 (visitor, first_seen, last_seen, visits, user_agent, time_zone, referrer)
             VALUES (?1, ?2, ?2, 1, ?3, ?4, ?5)",
            params![
                visitor.as_str(),
                int(v.at),
                v.user_agent,
                v.time_zone,
                v.referrer
            ],
        ),
        Some(last) => {
            let new_visit = v.at.saturating_sub(last as Millis) >= VISIT_GAP;
            conn.execute(
                "UPDATE visitor_activity SET
                     last_seen = MAX(last_seen, ?2),
                     visits = visits + ?3,
                     referrer = CASE WHEN ?3 = 1 THEN ?4 ELSE referrer END,
                     user_agent = COALESCE(?5, user_agent),
                     time_zone = COALESCE(?6, time_zone)
                 WHERE visitor = ?1",
                params![
                    visitor.as_str(),
                    int(v.at),
                    i64::from(new_visit),
                    v.referrer,
                    v.user_agent,
                    v.time_zone
                ],
            )
        }
    }
    .map_err(sql_error)?;
    // The same page again (a reload, a reconnect) is not another page.
    let latest: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT url, title FROM visitor_pages WHERE visitor = ?1
             ORDER BY at DESC, rowid DESC LIMIT 1",
            [visitor.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(sql_error)?;
    if latest == Some((v.url.clone(), v.title.clone())) {
        return Ok(());
    }
    conn.execute(
        "INSERT INTO visitor_pages (visitor, at, url, title) VALUES (?1, ?2, ?3, ?4)",
        params![visitor.as_str(), int(v.at), v.url, v.title],
    )
    .map_err(sql_error)?;
    conn.execute(
        "DELETE FROM visitor_pages WHERE visitor = ?1 AND rowid NOT IN
             (SELECT rowid FROM visitor_pages WHERE visitor = ?1
              ORDER BY at DESC, rowid DESC LIMIT ?2)",
        params![visitor.as_str(), PAGES_KEPT as i64],
    )
    .map_err(sql_error)
    .map(drop)
}

pub fn visitor_activity(
    conn: &Connection,
    visitor: &VisitorId,
) -> StoreResult<Option<VisitorActivity>> {
    let Some(mut activity) = conn
        .prepare_cached(
            "SELECT first_seen, last_seen, visits, user_agent, time_zone, referrer
             FROM visitor_activity WHERE visitor = ?1",
        )
        .and_then(|mut s| {
            s.query_row([visitor.as_str()], |r| {
                Ok(VisitorActivity {
                    first_seen: r.get::<_, i64>(0)? as Millis,
                    last_seen: r.get::<_, i64>(1)? as Millis,
                    visits: r.get(2)?,
                    user_agent: r.get(3)?,
                    time_zone: r.get(4)?,
                    referrer: r.get(5)?,
                    pages: Vec::new(),
                })
            })
            .optional()
        })
        .map_err(sql_error)?
    else {
        return Ok(None);
    };
    let mut stmt = conn
        .prepare_cached(
            "SELECT url, title, at FROM visitor_pages WHERE visitor = ?1
             ORDER BY at DESC, rowid DESC",
        )
        .map_err(sql_error)?;
    activity.pages = stmt
        .query_map([visitor.as_str()], |r| {
            Ok(PageView {
                url: r.get(0)?,
                title: r.get(1)?,
                at: r.get::<_, i64>(2)? as Millis,
            })
        })
        .map_err(sql_error)?
        .collect::<Result<_, _>>()
        .map_err(sql_error)?;
    Ok(Some(activity))
}

/// Erases a visitor and their conversation (see `Store::erase_visitor`).
/// Runs in the writer's transaction; the store compacts afterwards.
pub fn erase_visitor(conn: &Connection, id: &VisitorId) -> StoreResult<()> {
    let Some(visitor) = visitor_by_id(conn, id)? else {
        return Err(StoreError::NotFound);
    };
    if let Some(conv) = &visitor.conversation {
        // An agent's load and the queue are counted from `conversations`:
        // deleting the row frees both.
        for step in [
            "DELETE FROM messages WHERE conversation = ?1",
            "DELETE FROM message_search WHERE conversation = ?1",
            "DELETE FROM search_pending WHERE conversation = ?1",
            "DELETE FROM notes WHERE conversation = ?1",
            "DELETE FROM conversations WHERE id = ?1",
        ] {
            conn.execute(step, [conv.as_str()]).map_err(sql_error)?;
        }
    }
    for step in [
        "DELETE FROM visitor_pages WHERE visitor = ?1",
        "DELETE FROM visitor_activity WHERE visitor = ?1",
        "DELETE FROM callbacks WHERE visitor = ?1",
        "DELETE FROM visitors WHERE id = ?1",
    ] {
        conn.execute(step, [id.as_str()]).map_err(sql_error)?;
    }
    Ok(())
}

/// Rewrites the search index without what was deleted from it: FTS5 keeps
/// a deleted entry's words in its segments (marked deleted) until they are
/// merged, so an erasure would otherwise leave the words on disk.
pub fn compact_search(conn: &Connection) -> StoreResult<()> {
    conn.execute(
        "INSERT INTO message_search (message_search) VALUES ('optimize')",
        [],
    )
    .map(drop)
    .map_err(sql_error)
}

pub fn expired_visitors(
    conn: &Connection,
    site: &SiteId,
    before: u64,
    limit: usize,
) -> StoreResult<Vec<VisitorId>> {
    conn.prepare_cached(
        "SELECT visitor FROM conversations
         WHERE site = ?1 AND status = 'resolved' AND last_activity < ?2
         ORDER BY last_activity LIMIT ?3",
    )
    .and_then(|mut s| {
        s.query_map(
            params![
                site.as_str(),
                int(before),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            |r| Ok(VisitorId(r.get(0)?)),
        )?
        .collect()
    })
    .map_err(sql_error)
}

pub fn visitor(conn: &Connection, id: &VisitorId) -> StoreResult<Option<Visitor>> {
    visitor_by_id(conn, id)
}

fn visitor_by_id(conn: &Connection, id: &VisitorId) -> StoreResult<Option<Visitor>> {
    conn.prepare_cached("SELECT * FROM visitors WHERE id = ?1")
        .and_then(|mut s| s.query_row([id.as_str()], visitor_row).optional())
        .map_err(sql_error)
}

// --- conversations and messages ---------------------------------------------------

/// A conversation with its visitor and last message, in one row.
const SUMMARY: &str = "
    SELECT c.id, c.site, c.status, c.agent, c.agent_name, c.team, c.created_at, c.queued_at,
           c.last_seq, c.version, c.visitor_read, c.agent_read, c.visitor_delivered,
           c.agent_delivered, c.rating, c.left_message, v.id AS v_id, v.locale AS v_locale, v.origin AS v_origin,
           v.name AS v_name, v.email AS v_email, v.attributes AS v_attributes,
           v.user_id AS v_user_id,
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
    let rating = row
        .get::<_, Option<String>>("rating")?
        .map(|json| serde_json::from_str::<super::super::StoredRating>(&json))
        .transpose()
        .map_err(json_error)?
        .map(|r| r.rating(agent.clone()));
    Ok(ConversationSummary {
        id,
        site: SiteId(row.get("site")?),
        status: parse_status(&row.get::<_, String>("status")?)?,
        agent,
        team: row.get::<_, Option<String>>("team")?.map(TeamId),
        visitor: VisitorInfo {
            id: VisitorId(row.get("v_id")?),
            locale: row.get("v_locale")?,
            origin: row.get("v_origin")?,
            name: row.get("v_name")?,
            email: row.get("v_email")?,
            attributes: row
                .get::<_, Option<String>>("v_attributes")?
                .map(|text| serde_json::from_str(&text).map_err(json_error))
                .transpose()?
                .unwrap_or_default(),
            user_id: row.get("v_user_id")?,
        },
        created_at: row.get::<_, i64>("created_at")? as Millis,
        queued_at: row.get::<_, Option<i64>>("queued_at")?.map(|t| t as Millis),
        last_seq,
        last_message,
        version: row.get::<_, i64>("version")? as u64,
        visitor_read: row.get::<_, i64>("visitor_read")? as Seq,
        agent_read: row.get::<_, i64>("agent_read")? as Seq,
        visitor_delivered: row.get::<_, i64>("visitor_delivered")? as Seq,
        agent_delivered: row.get::<_, i64>("agent_delivered")? as Seq,
        rating,
        left_message: row.get("left_message")?,
    })
}

/// Moves a side's mark forward to `seq` (at most the last message), a
/// read raising the delivered mark with it; the conversation after, if it
/// moved.
pub fn mark(
    conn: &Connection,
    conversation: &ConversationId,
    party: Party,
    mark: Mark,
    seq: Seq,
) -> StoreResult<Option<ConversationSummary>> {
    let (column, also) = mark.fields(party);
    let also = also
        .map(|d| format!("{d} = MAX({d}, MIN(?2, last_seq)),"))
        .unwrap_or_default();
    let moved = conn
        .execute(
            &format!(
                "UPDATE conversations SET {column} = MIN(?2, last_seq), {also} version = version + 1
                 WHERE id = ?1 AND {column} < MIN(?2, last_seq)"
            ),
            params![conversation.as_str(), int(seq)],
        )
        .map_err(sql_error)?;
    if moved == 0 {
        existing(conn, conversation)?;
        return Ok(None);
    }
    existing(conn, conversation).map(Some)
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

/// Indexes the messages of conversations listed in `search_pending`, up
/// to about `max` of them (whole conversations' backlogs, the last one cut
/// at `max`), and takes each fully indexed conversation off the list.
pub fn index_pending(conn: &Connection, max: usize) -> StoreResult<super::super::Indexed> {
    let max = i64::try_from(max.max(1)).unwrap_or(i64::MAX);
    let pending: Vec<(String, Option<i64>, Option<i64>)> = conn
        .prepare_cached(
            "SELECT p.conversation, c.indexed_seq, c.last_seq
             FROM search_pending p LEFT JOIN conversations c ON c.id = p.conversation
             LIMIT ?1",
        )
        .and_then(|mut s| {
            s.query_map([max], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()
        })
        .map_err(sql_error)?;
    let mut done = 0i64;
    for (conversation, from, last) in pending {
        let upto = match (from, last) {
            (Some(from), Some(last)) => last.min(from.saturating_add(max - done)),
            // Gone (its site deleted): nothing to index.
            _ => {
                forget_pending(conn, &conversation)?;
                continue;
            }
        };
        let from = from.unwrap_or_default();
        let bodies: Vec<(i64, String)> = conn
            .prepare_cached(
                "SELECT seq, body FROM messages WHERE conversation = ?1 AND seq > ?2 AND seq <= ?3",
            )
            .and_then(|mut s| {
                s.query_map(params![conversation, from, upto], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<Result<_, _>>()
            })
            .map_err(sql_error)?;
        for (seq, body) in &bodies {
            index_words(conn, &conversation, *seq, body).map_err(sql_error)?;
        }
        conn.prepare_cached("UPDATE conversations SET indexed_seq = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![conversation, upto]))
            .map_err(sql_error)?;
        if Some(upto) == last {
            forget_pending(conn, &conversation)?;
        }
        done += upto - from;
        if done >= max {
            break;
        }
    }
    let more = index_waiting(conn)?;
    Ok(super::super::Indexed {
        messages: usize::try_from(done).unwrap_or_default(),
        more,
    })
}

/// Whether any conversation has messages waiting to be indexed.
pub fn index_waiting(conn: &Connection) -> StoreResult<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM search_pending)")
        .and_then(|mut s| s.query_row([], |r| r.get(0)))
        .map_err(sql_error)
}

fn forget_pending(conn: &Connection, conversation: &str) -> StoreResult<()> {
    conn.prepare_cached("DELETE FROM search_pending WHERE conversation = ?1")
        .and_then(|mut s| s.execute([conversation]))
        .map(drop)
        .map_err(sql_error)
}

/// Adds a message's words to the full-text index ([`crate::search`]).
pub(super) fn index_words(
    conn: &Connection,
    conversation: &str,
    seq: i64,
    body: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO message_search (words, conversation, seq) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        crate::search::distinct_words(body).join(" "),
        conversation,
        seq
    ])
    .map(drop)
}

/// An FTS5 query for conversations with a word starting with `word`.
fn prefix_match(word: &str) -> String {
    // Words are letters and digits only; the quotes make any other
    // character (should one ever get in) literal.
    format!("\"{}\"*", word.replace('"', "\"\""))
}

pub fn history(conn: &Connection, q: &HistoryQuery) -> StoreResult<HistoryPage> {
    let mut clauses: Vec<String> = Vec::new();
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    let arg = |v: rusqlite::types::Value, args: &mut Vec<_>| {
        args.push(v);
        format!("?{}", args.len())
    };
    use rusqlite::types::Value::{Integer, Text};
    if let Some(sites) = &q.sites {
        if sites.is_empty() {
            return Ok(HistoryPage::default());
        }
        let list: Vec<String> = sites
            .iter()
            .map(|s| arg(Text(s.0.clone()), &mut args))
            .collect();
        clauses.push(format!("c.site IN ({})", list.join(", ")));
    }
    if let Some(agent) = &q.agent {
        clauses.push(format!(
            "c.agent = {}",
            arg(Text(agent.0.clone()), &mut args)
        ));
    }
    if let Some(status) = q.status {
        clauses.push(format!(
            "c.status = {}",
            arg(Text(status.as_str().into()), &mut args)
        ));
    }
    if let Some(from) = q.from {
        clauses.push(format!(
            "c.created_at >= {}",
            arg(Integer(int(from)), &mut args)
        ));
    }
    if let Some(to) = q.to {
        clauses.push(format!(
            "c.created_at < {}",
            arg(Integer(int(to)), &mut args)
        ));
    }
    if let Some(after) = &q.after {
        let at = arg(Integer(int(after.created_at)), &mut args);
        let id = arg(Text(after.id.0.clone()), &mut args);
        clauses.push(format!("(c.created_at, c.id) < ({at}, {id})"));
    }
    if !q.words.is_empty() {
        // Every word somewhere in the conversation, not necessarily in one
        // message: one FTS lookup per word, intersected.
        let each: Vec<String> = q
            .words
            .iter()
            .map(|w| {
                let m = arg(Text(prefix_match(w)), &mut args);
                format!("SELECT conversation FROM message_search WHERE message_search MATCH {m}")
            })
            .collect();
        clauses.push(format!("c.id IN ({})", each.join(" INTERSECT ")));
    }
    let limit = arg(Integer(q.limit as i64), &mut args);
    let filter = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    let sql = format!("{SUMMARY} {filter} ORDER BY c.created_at DESC, c.id DESC LIMIT {limit}");
    let mut stmt = conn.prepare(&sql).map_err(sql_error)?;
    let conversations: Vec<ConversationSummary> = stmt
        .query_map(rusqlite::params_from_iter(args), summary_row)
        .map_err(sql_error)?
        .collect::<Result<_, _>>()
        .map_err(sql_error)?;
    let next = (conversations.len() == q.limit && q.limit > 0)
        .then(|| conversations.last())
        .flatten()
        .map(|c| HistoryCursor {
            created_at: c.created_at,
            id: c.id.clone(),
        });
    Ok(HistoryPage {
        conversations,
        next,
    })
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

fn note_row(conversation: &ConversationId, row: &Row) -> rusqlite::Result<shared::Note> {
    Ok(shared::Note {
        conversation: conversation.clone(),
        id: row.get::<_, i64>("id")? as u64,
        after_seq: row.get::<_, i64>("after_seq")? as Seq,
        client_id: ClientId(row.get("client_id")?),
        author: AgentPublic {
            id: AgentId(row.get("author_id")?),
            name: row.get("author_name")?,
        },
        body: row.get("body")?,
        sent_at: row.get::<_, i64>("sent_at")? as Millis,
    })
}

pub fn notes(conn: &Connection, conversation: &ConversationId) -> StoreResult<Vec<shared::Note>> {
    if !conversation_exists(conn, conversation)? {
        return Err(StoreError::NotFound);
    }
    let mut stmt = conn
        .prepare_cached("SELECT * FROM notes WHERE conversation = ?1 ORDER BY id")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([conversation.as_str()], |r| note_row(conversation, r))
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

/// Stores a note as the conversation's next one (gap-free: the writer is
/// the only writer), placed after its current last message.
pub fn add_note(
    conn: &Connection,
    conversation: &ConversationId,
    agent: &AgentRecord,
    note: NewMessage,
) -> StoreResult<NoteAdded> {
    let summary = existing(conn, conversation)?;
    let earlier = conn
        .prepare_cached(
            "SELECT * FROM notes WHERE conversation = ?1 AND author_id = ?2 AND client_id = ?3",
        )
        .and_then(|mut s| {
            s.query_row(
                params![
                    conversation.as_str(),
                    agent.id.as_str(),
                    note.client_id.as_str()
                ],
                |r| note_row(conversation, r),
            )
            .optional()
        })
        .map_err(sql_error)?;
    if let Some(original) = earlier {
        return Ok(NoteAdded {
            note: original,
            duplicate: true,
            conversation: summary,
        });
    }
    let id: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM notes WHERE conversation = ?1",
            [conversation.as_str()],
            |r| r.get(0),
        )
        .map_err(sql_error)?;
    if id as usize > shared::limits::MAX_NOTES_PER_CONVERSATION {
        return Err(StoreError::TooManyNotes);
    }
    let stored = shared::Note {
        conversation: conversation.clone(),
        id: id as u64,
        after_seq: summary.last_seq,
        client_id: note.client_id,
        author: AgentPublic {
            id: agent.id.clone(),
            name: agent.name.clone(),
        },
        body: note.body,
        sent_at: note.now,
    };
    conn.prepare_cached(
        "INSERT INTO notes (conversation, id, after_seq, author_id, author_name, client_id,
                            body, sent_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            conversation.as_str(),
            id,
            int(stored.after_seq),
            stored.author.id.as_str(),
            stored.author.name,
            stored.client_id.as_str(),
            stored.body,
            int(stored.sent_at)
        ])
    })
    .map_err(sql_error)?;
    Ok(NoteAdded {
        note: stored,
        duplicate: false,
        conversation: summary,
    })
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
    // Its words are indexed later, in a batch (index_pending).
    conn.prepare_cached("INSERT OR IGNORE INTO search_pending (conversation) VALUES (?1)")
        .and_then(|mut s| s.execute([conversation.as_str()]))
        .map_err(sql_error)?;
    conn.prepare_cached(
        "UPDATE conversations SET last_seq = ?2, last_activity = ?3, version = version + 1
                     WHERE id = ?1",
    )
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
             returning_agent = CASE status WHEN 'resolved' THEN agent END, rating = NULL,
             queued_at = ?2, version = version + 1,
             team = (SELECT team FROM sites WHERE sites.id = conversations.site),
             queue_order = (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM conversations
                            WHERE status = 'queued')
         WHERE id = ?1",
        params![id.as_str(), int(now)],
    )
    .map_err(sql_error)
    .map(drop)
}

fn queued_on_site(conn: &Connection, site: &SiteId) -> StoreResult<u32> {
    conn.prepare_cached("SELECT COUNT(*) FROM conversations WHERE site = ?1 AND status = 'queued'")
        .and_then(|mut s| s.query_row([site.as_str()], |r| r.get(0)))
        .map_err(sql_error)
}

pub fn append_visitor(
    conn: &Connection,
    visitor: &VisitorId,
    msg: NewMessage,
    new_id: ConversationId,
    queue_cap: u32,
) -> StoreResult<VisitorAppend> {
    let v = visitor_by_id(conn, visitor)?.ok_or(StoreError::NotFound)?;
    if let Some(conv) = &v.conversation {
        if let Some(original) = find_own(conn, conv, &Author::Visitor, &msg.client_id)? {
            return Ok(VisitorAppend {
                appended: Appended {
                    message: original,
                    duplicate: true,
                    conversation: existing(conn, conv)?,
                },
                entered_queue: false,
            });
        }
    }
    let enters_queue = match &v.conversation {
        None => true,
        Some(conv) => existing(conn, conv)?.status == ConversationStatus::Resolved,
    };
    if enters_queue && queued_on_site(conn, &v.site)? >= queue_cap {
        return Err(StoreError::QueueFull);
    }
    let conv =
        match v.conversation {
            Some(conv) => {
                if enters_queue {
                    enqueue(conn, &conv, msg.now)?;
                }
                conv
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
                new_id
            }
        };
    let entered_queue = enters_queue;
    let message = push(conn, &conv, Author::Visitor, msg)?;
    Ok(VisitorAppend {
        appended: Appended {
            message,
            duplicate: false,
            conversation: existing(conn, &conv)?,
        },
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
            conversation: summary,
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
    let message = push(conn, conversation, author, msg)?;
    Ok(Appended {
        message,
        duplicate: false,
        conversation: existing(conn, conversation)?,
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
    let before = existing(conn, id)?;
    if before.status == ConversationStatus::Queued {
        record_served(conn, &before.site, before.team.as_ref(), now)?;
    }
    conn.execute(
        "UPDATE conversations SET status = 'assigned', agent = ?2,
             agent_name = (SELECT name FROM agents WHERE id = ?2),
             queued_at = NULL, queue_order = NULL, returning_agent = NULL, version = version + 1
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

/// Notes that a queue gave someone an agent, keeping the last
/// [`SERVED_KEPT`] times per queue (the estimated wait reads them).
fn record_served(
    conn: &Connection,
    site: &SiteId,
    team: Option<&TeamId>,
    now: Millis,
) -> StoreResult<()> {
    let team = team.map_or("", |t| t.as_str());
    conn.execute(
        "INSERT INTO queue_served (site, team, at) VALUES (?1, ?2, ?3)",
        params![site.as_str(), team, int(now)],
    )
    .map_err(sql_error)?;
    conn.execute(
        "DELETE FROM queue_served WHERE site = ?1 AND team = ?2 AND rowid NOT IN
             (SELECT rowid FROM queue_served WHERE site = ?1 AND team = ?2
              ORDER BY at DESC LIMIT ?3)",
        params![site.as_str(), team, SERVED_KEPT as i64],
    )
    .map_err(sql_error)
    .map(drop)
}

pub fn served(conn: &Connection, site: &SiteId, team: Option<&TeamId>) -> StoreResult<Vec<Millis>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT at FROM queue_served WHERE site = ?1 AND team = ?2 ORDER BY at DESC LIMIT ?3",
        )
        .map_err(sql_error)?;
    let rows = stmt
        .query_map(
            params![
                site.as_str(),
                team.map_or("", |t| t.as_str()),
                SERVED_KEPT as i64
            ],
            |r| r.get::<_, i64>(0).map(|t| t as Millis),
        )
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

fn queued(conn: &Connection) -> StoreResult<Vec<QueueEntry>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT c.id, c.site, c.team, c.queued_at, v.locale, c.returning_agent FROM conversations c
             JOIN visitors v ON v.id = c.visitor
             WHERE c.status = 'queued' ORDER BY c.queue_order",
        )
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(QueueEntry {
                conversation: ConversationId(r.get(0)?),
                site: SiteId(r.get(1)?),
                team: r.get::<_, Option<String>>(2)?.map(TeamId),
                queued_at: r.get::<_, Option<i64>>(3)?.unwrap_or(0) as Millis,
                language: r.get::<_, Option<String>>(4)?.and_then(|l| language_of(&l)),
                returning: r.get::<_, Option<String>>(5)?.map(AgentId),
            })
        })
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

pub fn queue(conn: &Connection) -> StoreResult<Vec<QueueEntry>> {
    queued(conn)
}

/// Routing facts of the agents in `ids` who are enabled: who they are
/// (to tell whom they serve) and how they stand as candidates.
fn staff(conn: &Connection, ids: &[AgentId]) -> StoreResult<Vec<(Candidate, AgentRecord)>> {
    let mut staff = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(record) = agent(conn, id)? else {
            continue;
        };
        if record.disabled {
            continue;
        }
        let last_assigned: i64 = conn
            .query_row(
                "SELECT last_assigned FROM agents WHERE id = ?1",
                [id.as_str()],
                |r| r.get(0),
            )
            .map_err(sql_error)?;
        let candidate = Candidate {
            id: id.clone(),
            load: load(conn, id)?,
            capacity: record.capacity,
            last_assigned: last_assigned as Millis,
            languages: record
                .languages
                .iter()
                .filter_map(|l| language_of(l))
                .collect(),
            teams: record.teams.clone(),
            role: record.role,
        };
        staff.push((candidate, record));
    }
    Ok(staff)
}

/// The candidates among `staff` for a conversation of `site`.
fn serving(staff: &[(Candidate, AgentRecord)], site: &SiteId) -> Vec<Candidate> {
    staff
        .iter()
        .filter(|(_, a)| a.serves(site))
        .map(|(c, _)| c.clone())
        .collect()
}

/// Assigns from the front of the queue to the `online` agents by the
/// routing rule ([`choose_agent`]), until the queue is done or nobody has
/// room. A conversation whose team no longer exists waits for any agent.
pub fn drain(
    conn: &Connection,
    online: &[AgentId],
    now: Millis,
    fallback: Millis,
) -> StoreResult<Vec<Assignment>> {
    // Every few seconds (the language fallback): an empty queue must cost
    // next to nothing.
    let queue = queued(conn)?;
    if queue.is_empty() {
        return Ok(Vec::new());
    }
    let mut staff = staff(conn, online)?;
    let teams: Vec<TeamId> = list_teams(conn)?.into_iter().map(|t| t.id).collect();
    let mut made = Vec::new();
    for entry in queue {
        if staff.iter().all(|(c, _)| c.load >= c.capacity) {
            break;
        }
        let candidates = serving(&staff, &entry.site);
        let wanted = Wanted {
            team: entry.team.as_ref().filter(|t| teams.contains(t)),
            language: entry.language.as_deref(),
            relaxed: relaxed(entry.queued_at, now, fallback),
            returning: entry.returning.as_ref(),
        };
        let Some(chosen) = choose_agent(&candidates, wanted).map(|c| c.id.clone()) else {
            continue;
        };
        made.push(Assignment {
            conversation: assign(conn, &entry.conversation, &chosen, now)?,
        });
        if let Some((c, _)) = staff.iter_mut().find(|(c, _)| c.id == chosen) {
            c.load += 1;
            c.last_assigned = now;
        }
    }
    Ok(made)
}

/// Hands an assigned conversation to `to` (see [`crate::store::Store::transfer`]).
/// `present` are the agents online or away; `online` those online.
pub fn transfer(
    conn: &Connection,
    conversation: &ConversationId,
    from: Option<&AgentId>,
    to: &TransferTarget,
    present: &[AgentId],
    online: &[AgentId],
    now: Millis,
) -> StoreResult<ConversationSummary> {
    let summary = existing(conn, conversation)?;
    match summary.status {
        ConversationStatus::Assigned => {}
        ConversationStatus::Resolved => return Err(StoreError::Resolved),
        ConversationStatus::Queued => return Err(StoreError::NotAssigned),
    }
    let holder = summary
        .agent
        .as_ref()
        .map(|a| a.id.clone())
        .ok_or(StoreError::NotAssigned)?;
    if from.is_some_and(|f| f != &holder) {
        return Err(StoreError::Forbidden);
    }
    let target = match to {
        TransferTarget::Agent { agent: id } => {
            let record = agent(conn, id)?.ok_or(StoreError::NotFound)?;
            if !record.serves(&summary.site) || !present.contains(id) || id == &holder {
                return Err(StoreError::AgentUnavailable);
            }
            if load(conn, id)? >= record.capacity {
                return Err(StoreError::AtCapacity);
            }
            id.clone()
        }
        TransferTarget::Supervisor => {
            let candidates = serving(&staff(conn, online)?, &summary.site);
            choose_supervisor(&candidates, &holder)
                .map(|c| c.id.clone())
                .ok_or(StoreError::NoSupervisor)?
        }
        TransferTarget::Team { team } => {
            if !list_teams(conn)?.iter().any(|t| &t.id == team) {
                return Err(StoreError::NotFound);
            }
            // To the front of the line: this visitor has waited already.
            let front: i64 = conn
                .query_row(
                    "SELECT COALESCE(MIN(queue_order), 1) FROM conversations WHERE status = 'queued'",
                    [],
                    |r| r.get(0),
                )
                .map_err(sql_error)?;
            conn.execute(
                "UPDATE conversations SET status = 'queued', agent = NULL, agent_name = NULL,
                     team = ?2, queued_at = ?3, queue_order = ?4, version = version + 1
                 WHERE id = ?1",
                params![conversation.as_str(), team.as_str(), int(now), front - 1],
            )
            .map_err(sql_error)?;
            return existing(conn, conversation);
        }
    };
    conn.execute(
        "UPDATE conversations SET agent = ?2, agent_name = (SELECT name FROM agents WHERE id = ?2),
             version = version + 1
         WHERE id = ?1",
        params![conversation.as_str(), target.as_str()],
    )
    .map_err(sql_error)?;
    conn.execute(
        "UPDATE agents SET last_assigned = ?2 WHERE id = ?1",
        params![target.as_str(), int(now)],
    )
    .map_err(sql_error)?;
    existing(conn, conversation)
}

pub fn pick(
    conn: &Connection,
    conversation: &ConversationId,
    agent_id: &AgentId,
    now: Millis,
) -> StoreResult<ConversationSummary> {
    let summary = existing(conn, conversation)?;
    if summary.status != ConversationStatus::Queued {
        return Err(StoreError::NotQueued);
    }
    let record = agent(conn, agent_id)?.ok_or(StoreError::NotFound)?;
    if !record.serves(&summary.site) {
        return Err(StoreError::Forbidden);
    }
    if load(conn, agent_id)? >= record.capacity {
        return Err(StoreError::AtCapacity);
    }
    assign(conn, conversation, agent_id, now)
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
        "UPDATE conversations SET status = 'resolved', left_message = 0, version = version + 1
         WHERE id = ?1",
        [conversation.as_str()],
    )
    .map_err(sql_error)?;
    existing(conn, conversation)
}

pub fn rate(
    conn: &Connection,
    conversation: &ConversationId,
    rating: &super::super::StoredRating,
) -> StoreResult<ConversationSummary> {
    if existing(conn, conversation)?.status != ConversationStatus::Resolved {
        return Err(StoreError::NotResolved);
    }
    conn.execute(
        "UPDATE conversations SET rating = ?2, version = version + 1 WHERE id = ?1",
        params![conversation.as_str(), to_json(rating)?],
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
                 queued_at = created_at, queue_order = ?2, version = version + 1
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

// --- login throttling ------------------------------------------------------------

fn attempts(conn: &Connection, key: &str) -> StoreResult<(u32, Millis)> {
    conn.prepare_cached("SELECT count, last_at FROM login_attempts WHERE key = ?1")
        .and_then(|mut s| {
            s.query_row([key], |r| {
                Ok((r.get::<_, u32>(0)?, r.get::<_, i64>(1)? as Millis))
            })
            .optional()
        })
        .map(|row| row.unwrap_or((0, 0)))
        .map_err(sql_error)
}

pub fn take_login_attempt(
    conn: &Connection,
    keys: &[Limited],
    now: Millis,
) -> StoreResult<Option<Millis>> {
    let mut seen = Vec::with_capacity(keys.len());
    let mut wait = None;
    for k in keys {
        let (count, last) = attempts(conn, &k.key)?;
        if let Some(w) = k.rule.wait(count, last, now) {
            wait = Some(wait.map_or(w, |x: Millis| x.max(w)));
        }
        seen.push((k, count, last));
    }
    if wait.is_some() {
        return Ok(wait);
    }
    for (k, count, last) in seen {
        conn.execute(
            "INSERT OR REPLACE INTO login_attempts (key, count, last_at) VALUES (?1, ?2, ?3)",
            params![k.key, k.rule.next_count(count, last, now), int(now)],
        )
        .map_err(sql_error)?;
    }
    // Keys nobody used for a day are forgotten (bounds the table under a
    // flood of distinct addresses).
    conn.execute(
        "DELETE FROM login_attempts WHERE last_at < ?1",
        [int(now.saturating_sub(24 * 3_600_000))],
    )
    .map_err(sql_error)?;
    Ok(None)
}

pub fn login_succeeded(conn: &Connection, clear: &str, undo: &str) -> StoreResult<()> {
    conn.execute("DELETE FROM login_attempts WHERE key = ?1", [clear])
        .map_err(sql_error)?;
    conn.execute(
        "UPDATE login_attempts SET count = MAX(count - 1, 0) WHERE key = ?1",
        [undo],
    )
    .map_err(sql_error)
    .map(drop)
}

// --- reports ----------------------------------------------------------------

pub fn clocks(conn: &Connection, ids: &[ConversationId]) -> StoreResult<Vec<Option<String>>> {
    let mut stmt = conn
        .prepare_cached("SELECT clocks FROM conversations WHERE id = ?1")
        .map_err(sql_error)?;
    ids.iter()
        .map(|id| {
            stmt.query_row([id.as_str()], |r| r.get::<_, Option<String>>(0))
                .optional()
                .map(Option::flatten)
                .map_err(sql_error)
        })
        .collect()
}

pub fn advance_clocks(
    conn: &Connection,
    changes: &[super::super::ClockChange],
) -> StoreResult<Vec<super::super::Advance>> {
    use super::super::Advance;
    use crate::reports::tally::{Count, TallyOp};
    use std::collections::HashMap;
    let mut out = Vec::with_capacity(changes.len());
    // The applied changes' counts, added up per cell first: a batch of a
    // busy hour touches the same few cells many times.
    let mut cells: HashMap<(&SiteId, Millis, &str, &str), (TallyOp, i64)> = HashMap::new();
    for change in changes {
        let now: Option<Option<String>> = conn
            .prepare_cached("SELECT clocks FROM conversations WHERE id = ?1")
            .and_then(|mut s| {
                s.query_row([change.conversation.as_str()], |r| r.get(0))
                    .optional()
            })
            .map_err(sql_error)?;
        let Some(now) = now else {
            out.push(Advance::Gone);
            continue;
        };
        if now != change.expected {
            out.push(Advance::Conflict);
            continue;
        }
        conn.prepare_cached("UPDATE conversations SET clocks = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![change.conversation.as_str(), change.clocks]))
            .map_err(sql_error)?;
        for (hour, count) in &change.counts {
            let key = (
                &change.site,
                *hour,
                count.dim.as_str(),
                count.field.as_str(),
            );
            let cell = cells.entry(key).or_insert((count.op, 0));
            cell.1 = match count.op {
                TallyOp::Add => cell.1.saturating_add(count.value),
                TallyOp::Max => cell.1.max(count.value),
            };
        }
        out.push(Advance::Applied);
    }
    for ((site, hour, dim, field), (op, value)) in cells {
        let count = Count {
            dim: dim.to_owned(),
            field: field.to_owned(),
            value,
            op,
        };
        add_cell(conn, site, hour, &count)?;
    }
    Ok(out)
}

pub fn add_cell(
    conn: &Connection,
    site: &SiteId,
    hour: Millis,
    count: &crate::reports::tally::Count,
) -> StoreResult<()> {
    use crate::reports::tally::TallyOp;
    let sql = match count.op {
        TallyOp::Add => {
            "INSERT INTO tallies (site, hour, dim, field, value) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (site, hour, dim, field) DO UPDATE SET value = value + excluded.value"
        }
        TallyOp::Max => {
            "INSERT INTO tallies (site, hour, dim, field, value) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (site, hour, dim, field) DO UPDATE SET value = max(value, excluded.value)"
        }
    };
    conn.prepare_cached(sql)
        .and_then(|mut s| {
            s.execute(params![
                site.as_str(),
                int(hour),
                count.dim,
                count.field,
                count.value
            ])
        })
        .map_err(sql_error)?;
    Ok(())
}

pub fn tallies(
    conn: &Connection,
    site: &SiteId,
    from: Millis,
    to: Millis,
) -> StoreResult<Vec<crate::reports::tally::Cell>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT hour, dim, field, value FROM tallies
             WHERE site = ?1 AND hour >= ?2 AND hour < ?3",
        )
        .map_err(sql_error)?;
    let rows = stmt
        .query_map(params![site.as_str(), int(from), int(to)], |r| {
            Ok(crate::reports::tally::Cell {
                hour: Millis::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                dim: r.get(1)?,
                field: r.get(2)?,
                value: r.get(3)?,
            })
        })
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}
