//! Canned responses over REST: every agent lists the ones they may use
//! (optionally for one site's conversation) and manages their personal
//! ones; supervisors their sites', admins every one ([`crate::canned`]).
//! One an agent may not use answers 404, as if it did not exist.

use super::body::Body;
use crate::auth::Agent;
use crate::canned::{self, may_manage, may_use};
use crate::error::ApiError;
use crate::secrets::random_id;
use crate::store::StoreError;
use crate::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::api::{CannedResponse, CannedScope, CannedUpdate, NewCanned};
use shared::{CannedId, ErrorCode, SiteId};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/canned", web::get().to(list))
        .route("/api/canned", web::post().to(create))
        .route("/api/canned/{id}", web::patch().to(update))
        .route("/api/canned/{id}", web::delete().to(delete));
}

/// `GET /api/canned` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only what fits a conversation of this site: global, personal and
    /// this site's (not other sites').
    pub site: Option<String>,
}

#[utoipa::path(get, path = "/api/canned", tag = "canned", security(("session" = [])),
    params(ListQuery),
    responses((status = 200, description = "The canned responses I may use, by shortcut", body = Vec<shared::api::CannedResponse>),
        (status = 401, body = shared::ErrorBody)))]
async fn list(
    state: web::Data<AppState>,
    agent: Agent,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let me = &agent.record;
    let site = query.into_inner().site.map(SiteId);
    let all: Vec<CannedResponse> = state
        .store
        .list_canned()
        .await?
        .into_iter()
        .filter(|c| may_use(me, c))
        .filter(|c| match (&c.scope, &site) {
            (CannedScope::Site { site: of }, Some(wanted)) => of == wanted,
            _ => true,
        })
        .collect();
    Ok(HttpResponse::Ok().json(all))
}

#[utoipa::path(post, path = "/api/canned", tag = "canned", security(("session" = [])),
    request_body = shared::api::NewCanned,
    responses((status = 201, body = shared::api::CannedResponse),
        (status = 400, description = "A field is invalid (`field` names it; an unknown site is `scope.site`)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not yours to add: global ones are for admins, a site's for its admins and supervisors", body = shared::ErrorBody)))]
async fn create(
    state: web::Data<AppState>,
    agent: Agent,
    body: Body<NewCanned>,
) -> Result<HttpResponse, ApiError> {
    let me = &agent.record;
    let req = body.into_inner();
    let title = canned::title(&req.title)?;
    let shortcut = canned::shortcut(&req.shortcut)?;
    let text = canned::body(&req.body)?;
    if let CannedScope::Site { site } = &req.scope {
        if state.store.site(site).await?.is_none() {
            return Err(ApiError::field("scope.site", "no site has this id"));
        }
    }
    if !may_manage(me, &req.scope, &me.id) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Global canned responses are for admins, a site's for its admins and supervisors; add a personal one instead.",
        ));
    }
    if !canned::room_for(&state.store.list_canned().await?, &req.scope, &me.id) {
        return Err(ApiError::field(
            "scope",
            format!(
                "this scope already has {} canned responses, the most it may hold; delete some first",
                canned::MAX_PER_SCOPE
            ),
        ));
    }
    let created = CannedResponse {
        id: CannedId(random_id("cr")),
        scope: req.scope,
        owner: me.id.clone(),
        title,
        shortcut,
        body: text,
    };
    state.store.insert_canned(created.clone()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// The response `id` if `agent` may manage it; 404 if they may not even
/// use it (its existence is none of their business), 403 if only that.
async fn managed(
    state: &AppState,
    agent: &Agent,
    id: &CannedId,
) -> Result<CannedResponse, ApiError> {
    let me = &agent.record;
    let found = state
        .store
        .canned(id)
        .await?
        .filter(|c| may_use(me, c) || may_manage(me, &c.scope, &c.owner))
        .ok_or(StoreError::NotFound)?;
    if !may_manage(me, &found.scope, &found.owner) {
        return Err(ApiError::code(ErrorCode::Forbidden));
    }
    Ok(found)
}

#[utoipa::path(patch, path = "/api/canned/{id}", tag = "canned", security(("session" = [])),
    params(("id" = String, Path, description = "Canned response id")),
    request_body = shared::api::CannedUpdate,
    responses((status = 200, body = shared::api::CannedResponse),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn update(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
    body: Body<CannedUpdate>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let title = req.title.as_deref().map(canned::title).transpose()?;
    let shortcut = req.shortcut.as_deref().map(canned::shortcut).transpose()?;
    let text = req.body.as_deref().map(canned::body).transpose()?;
    let mut c = managed(&state, &agent, &CannedId(path.into_inner())).await?;
    if let Some(t) = title {
        c.title = t;
    }
    if let Some(s) = shortcut {
        c.shortcut = s;
    }
    if let Some(b) = text {
        c.body = b;
    }
    state.store.update_canned(c.clone()).await?;
    Ok(HttpResponse::Ok().json(c))
}

#[utoipa::path(delete, path = "/api/canned/{id}", tag = "canned", security(("session" = [])),
    params(("id" = String, Path, description = "Canned response id")),
    responses((status = 204, description = "Deleted"),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn delete(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = managed(&state, &agent, &CannedId(path.into_inner())).await?;
    state.store.delete_canned(&c.id).await?;
    Ok(HttpResponse::NoContent().finish())
}
