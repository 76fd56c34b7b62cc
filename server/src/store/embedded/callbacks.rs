//! Callback requests in SQLite: one row each, its state as JSON in `body`
//! beside the columns the lists are read by. The rules are
//! [`crate::callbacks`]'; each write reads and writes inside the writer's
//! transaction, so a claim cannot race another.

use super::super::{StoreError, StoreResult};
use super::writer::sql_error;
use crate::callbacks::{self, Change};
use rusqlite::{params, Connection, OptionalExtension};
use shared::callback::Callback;
use shared::{CallbackId, Millis, VisitorId};

/// Times are far below `i64::MAX`; saturate rather than wrap all the same.
fn int(n: Millis) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn decode(body: String) -> rusqlite::Result<Callback> {
    serde_json::from_str(&body).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub fn callback(conn: &Connection, id: &CallbackId) -> StoreResult<Option<Callback>> {
    conn.prepare_cached("SELECT body FROM callbacks WHERE id = ?1")
        .and_then(|mut s| s.query_row([id.as_str()], |r| decode(r.get(0)?)).optional())
        .map_err(sql_error)
}

pub fn visitor_callbacks(
    conn: &Connection,
    visitor: &VisitorId,
    limit: usize,
) -> StoreResult<Vec<Callback>> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT body FROM callbacks WHERE visitor = ?1
             ORDER BY requested_at DESC, id DESC LIMIT ?2",
        )
        .map_err(sql_error)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt
        .query_map(params![visitor.as_str(), limit], |r| decode(r.get(0)?))
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

pub fn callbacks(conn: &Connection, open: bool, limit: usize) -> StoreResult<Vec<Callback>> {
    let sql = if open {
        "SELECT body FROM callbacks WHERE open = 1 ORDER BY requested_at, id LIMIT ?1"
    } else {
        "SELECT body FROM callbacks WHERE open = 0 ORDER BY updated_at DESC, id DESC LIMIT ?1"
    };
    let mut stmt = conn.prepare_cached(sql).map_err(sql_error)?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows = stmt
        .query_map([limit], |r| decode(r.get(0)?))
        .map_err(sql_error)?;
    rows.collect::<Result<_, _>>().map_err(sql_error)
}

fn body(callback: &Callback) -> StoreResult<String> {
    serde_json::to_string(callback).map_err(|e| StoreError::Unavailable(e.to_string()))
}

pub fn request_callback(conn: &Connection, callback: &Callback) -> StoreResult<Callback> {
    let exists: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM visitors WHERE id = ?1")
        .and_then(|mut s| {
            s.query_row([callback.visitor.as_str()], |r| r.get(0))
                .optional()
        })
        .map_err(sql_error)?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    callbacks::may_request(visitor_callbacks(conn, &callback.visitor, 1)?.first())
        .map_err(StoreError::Refused)?;
    conn.execute(
        "INSERT INTO callbacks (id, site, visitor, open, requested_at, updated_at, body)
         VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6)",
        params![
            callback.id.as_str(),
            callback.site.as_str(),
            callback.visitor.as_str(),
            int(callback.requested_at),
            int(callback.updated_at),
            body(callback)?
        ],
    )
    .map_err(sql_error)?;
    Ok(callback.clone())
}

pub fn change_callback(
    conn: &Connection,
    id: &CallbackId,
    change: &Change,
    now: Millis,
) -> StoreResult<Callback> {
    let current = callback(conn, id)?.ok_or(StoreError::NotFound)?;
    let next = callbacks::apply(&current, change, now).map_err(StoreError::Refused)?;
    if next != current {
        conn.execute(
            "UPDATE callbacks SET open = ?2, updated_at = ?3, body = ?4 WHERE id = ?1",
            params![
                id.as_str(),
                next.status.is_open(),
                int(next.updated_at),
                body(&next)?
            ],
        )
        .map_err(sql_error)?;
    }
    Ok(next)
}
