//! Callback requests in Redis (keys in the parent's table): the rules are
//! [`crate::callbacks`]', applied in Rust to what was read, then written
//! with a compare-and-set script (`put_callback.lua`) that retries when
//! another node changed the request (or the visitor's latest) meanwhile.

use super::{corrupt, from_json, to_json, unavailable, RedisStore, Reply};
use crate::callbacks::{self, Change};
use crate::store::{StoreError, StoreResult};
use redis::AsyncCommands;
use shared::callback::Callback;
use shared::{CallbackId, Millis, VisitorId};

/// Compare-and-set rounds before giving up (each lost round means another
/// node changed the same request in between: rare).
const ROUNDS: usize = 16;

impl RedisStore {
    /// A request's stored JSON and value.
    async fn callback_json(&self, id: &CallbackId) -> StoreResult<Option<(String, Callback)>> {
        let json: Option<String> = self
            .conn
            .clone()
            .hget(self.key("callbacks"), id.as_str())
            .await
            .map_err(unavailable)?;
        json.map(|j| from_json(&j).map(|c| (j, c))).transpose()
    }

    /// The ids of the visitor's latest `limit` requests, latest first.
    async fn visitor_callback_ids(
        &self,
        visitor: &VisitorId,
        limit: usize,
    ) -> StoreResult<Vec<String>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let stop = isize::try_from(limit).unwrap_or(isize::MAX) - 1;
        self.conn
            .clone()
            .zrevrange(self.key(&format!("vcallbacks:{visitor}")), 0, stop)
            .await
            .map_err(unavailable)
    }

    /// The requests of these ids, in order; ids erased meanwhile are left
    /// out.
    async fn callbacks_of_ids(&self, ids: &[String]) -> StoreResult<Vec<Callback>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let jsons: Vec<Option<String>> = redis::cmd("HMGET")
            .arg(self.key("callbacks"))
            .arg(ids)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        jsons.into_iter().flatten().map(|j| from_json(&j)).collect()
    }

    /// Writes `callback` if what is stored is still `expected` (and, for a
    /// new one, the visitor's latest is still `latest`): `false` to retry.
    async fn put_callback(
        &self,
        callback: &Callback,
        expected: &str,
        latest: &str,
    ) -> StoreResult<bool> {
        let json = to_json(callback)?;
        let requested = callback.requested_at.to_string();
        let updated = callback.updated_at.to_string();
        let open = if callback.status.is_open() { "1" } else { "0" };
        let reply = self
            .run_raw(
                &self.scripts.put_callback,
                &[
                    callback.id.as_str(),
                    &json,
                    expected,
                    callback.visitor.as_str(),
                    latest,
                    open,
                    &requested,
                    &updated,
                ],
            )
            .await?;
        if reply.first().map(String::as_str) == Some("retry") {
            return Ok(false);
        }
        Reply::new(reply).map(|_| true)
    }

    pub(super) async fn cb_request(&self, callback: Callback) -> StoreResult<Callback> {
        for _ in 0..ROUNDS {
            let ids = self.visitor_callback_ids(&callback.visitor, 1).await?;
            let latest = match ids.first() {
                Some(id) => self
                    .callback_json(&CallbackId(id.clone()))
                    .await?
                    .map(|(_, c)| c),
                None => None,
            };
            callbacks::may_request(latest.as_ref()).map_err(StoreError::Refused)?;
            let latest_id = ids.first().map_or("", String::as_str);
            if self.put_callback(&callback, "", latest_id).await? {
                return Ok(callback);
            }
        }
        Err(StoreError::Unavailable(
            "callback request kept changing".into(),
        ))
    }

    pub(super) async fn cb_one(&self, id: &CallbackId) -> StoreResult<Option<Callback>> {
        Ok(self.callback_json(id).await?.map(|(_, c)| c))
    }

    pub(super) async fn cb_of_visitor(
        &self,
        visitor: &VisitorId,
        limit: usize,
    ) -> StoreResult<Vec<Callback>> {
        let ids = self.visitor_callback_ids(visitor, limit).await?;
        self.callbacks_of_ids(&ids).await
    }

    pub(super) async fn cb_list(&self, open: bool, limit: usize) -> StoreResult<Vec<Callback>> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let stop = isize::try_from(limit).unwrap_or(isize::MAX) - 1;
        let mut conn = self.conn.clone();
        let ids: Vec<String> = if open {
            conn.zrange(self.key("callbacks_open"), 0, stop).await
        } else {
            conn.zrevrange(self.key("callbacks_closed"), 0, stop).await
        }
        .map_err(unavailable)?;
        self.callbacks_of_ids(&ids).await
    }

    pub(super) async fn cb_change(
        &self,
        id: &CallbackId,
        change: &Change,
        now: Millis,
    ) -> StoreResult<Callback> {
        for _ in 0..ROUNDS {
            let (json, current) = self.callback_json(id).await?.ok_or(StoreError::NotFound)?;
            let next = callbacks::apply(&current, change, now).map_err(StoreError::Refused)?;
            if next == current {
                return Ok(next);
            }
            if next.id != current.id {
                return Err(corrupt("a callback changed its id"));
            }
            if self.put_callback(&next, &json, "").await? {
                return Ok(next);
            }
        }
        Err(StoreError::Unavailable("callback kept changing".into()))
    }
}
