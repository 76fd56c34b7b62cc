//! Callback requests over REST: every agent lists those of the sites they
//! serve, claims one, and closes it as done or failed
//! ([`crate::callbacks`]). One an agent may not see answers 404, as if it
//! did not exist. Changes reach every dashboard and the visitor's widget
//! live (the `callback` frames).

use super::body::Body;
use crate::access::may_see_callback;
use crate::auth::Agent;
use crate::callbacks::{self, Change};
use crate::error::ApiError;
use crate::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::callback::{Callback, CallbackStatus, CloseCallback};
use shared::{CallbackId, ErrorCode};

/// Most requests one list returns.
const MAX_LIST: usize = 200;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/callbacks", web::get().to(list))
        .route("/api/callbacks/{id}/claim", web::post().to(claim))
        .route("/api/callbacks/{id}/close", web::post().to(close));
}

/// `GET /api/callbacks` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `open` (requested or claimed, oldest first; the default) or
    /// `closed` (done or failed, most recently closed first).
    pub status: Option<String>,
    /// At most this many (1–200, default 50).
    pub limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/callbacks", tag = "callbacks", security(("session" = [])),
    params(ListQuery),
    responses((status = 200, description = "The callback requests I may see", body = Vec<shared::callback::Callback>),
        (status = 400, description = "An unknown `status` or a `limit` out of range", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody)))]
async fn list(
    state: web::Data<AppState>,
    agent: Agent,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let open = match q.status.as_deref() {
        None | Some("open") => true,
        Some("closed") => false,
        Some(_) => return Err(ApiError::field("status", "status must be open or closed")),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=MAX_LIST).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("limit must be 1 to {MAX_LIST}"),
        ));
    }
    // Read a few pages' worth, then keep what this agent may see: most
    // agents serve most sites, so the first read usually suffices.
    let seen: Vec<Callback> = state
        .store
        .callbacks(open, MAX_LIST * 5)
        .await?
        .into_iter()
        .filter(|c| may_see_callback(&agent.record, c))
        .take(limit)
        .collect();
    Ok(HttpResponse::Ok().json(seen))
}

/// The request, if this agent may see it.
async fn visible(state: &AppState, agent: &Agent, id: &CallbackId) -> Result<Callback, ApiError> {
    match state.store.callback(id).await? {
        Some(c) if may_see_callback(&agent.record, &c) => Ok(c),
        _ => Err(ApiError::code(ErrorCode::NotFound)),
    }
}

#[utoipa::path(post, path = "/api/callbacks/{id}/claim", tag = "callbacks", security(("session" = [])),
    params(("id" = String, Path, description = "Callback id")),
    responses((status = 200, description = "Claimed by me (claiming again is no change)", body = shared::callback::Callback),
        (status = 401, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "`callback_taken` (another agent has it) or `callback_closed`", body = shared::ErrorBody)))]
async fn claim(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = CallbackId(path.into_inner());
    visible(&state, &agent, &id).await?;
    let change = Change::Claim {
        agent: agent.record.public(),
    };
    let after = callbacks::change(&*state.store, &id, change).await?;
    Ok(HttpResponse::Ok().json(after))
}

#[utoipa::path(post, path = "/api/callbacks/{id}/close", tag = "callbacks", security(("session" = [])),
    params(("id" = String, Path, description = "Callback id")),
    request_body = shared::callback::CloseCallback,
    responses((status = 200, description = "Done or failed, by me (one nobody claimed is claimed on the way)", body = shared::callback::Callback),
        (status = 400, description = "`status` is not done or failed, or the note is too long (`field` says which)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "`callback_taken` (another agent has it) or `callback_closed`", body = shared::ErrorBody)))]
async fn close(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
    body: Body<CloseCallback>,
) -> Result<HttpResponse, ApiError> {
    let id = CallbackId(path.into_inner());
    let req = body.into_inner();
    if !matches!(req.status, CallbackStatus::Done | CallbackStatus::Failed) {
        return Err(ApiError::field("status", "status must be done or failed"));
    }
    let note = callbacks::check_outcome(req.note.as_deref())
        .map_err(|why| ApiError::field("note", why))?;
    visible(&state, &agent, &id).await?;
    let change = Change::Close {
        agent: agent.record.public(),
        status: req.status,
        note,
    };
    let after = callbacks::change(&*state.store, &id, change).await?;
    Ok(HttpResponse::Ok().json(after))
}
