//! Teams of agents: every agent may list them; admins create, rename and
//! delete them (agents leave a deleted team).

use super::body::Body;
use crate::auth::{Admin, Agent};
use crate::error::ApiError;
use crate::validate;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::api::TeamName;
use shared::TeamId;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/teams", web::get().to(list))
        .route("/api/teams", web::post().to(create))
        .route("/api/teams/{id}", web::patch().to(rename))
        .route("/api/teams/{id}", web::delete().to(delete));
}

#[utoipa::path(get, path = "/api/teams", tag = "teams", security(("session" = [])),
    responses((status = 200, body = Vec<shared::api::Team>), (status = 401, body = shared::ErrorBody)))]
async fn list(state: web::Data<AppState>, _agent: Agent) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(state.store.list_teams().await?))
}

#[utoipa::path(post, path = "/api/teams", tag = "teams", security(("session" = [])),
    request_body = shared::api::TeamName,
    responses((status = 201, body = shared::api::Team),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody)))]
async fn create(
    state: web::Data<AppState>,
    _admin: Admin,
    body: Body<TeamName>,
) -> Result<HttpResponse, ApiError> {
    let name = validate::name("name", &body.name)?;
    let team = state.console.create_team(name).await?;
    Ok(HttpResponse::Created().json(team))
}

#[utoipa::path(patch, path = "/api/teams/{id}", tag = "teams", security(("session" = [])),
    params(("id" = String, Path, description = "Team id")),
    request_body = shared::api::TeamName,
    responses((status = 200, body = shared::api::Team),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn rename(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<String>,
    body: Body<TeamName>,
) -> Result<HttpResponse, ApiError> {
    let name = validate::name("name", &body.name)?;
    let team = state
        .store
        .rename_team(&TeamId(path.into_inner()), name)
        .await?;
    Ok(HttpResponse::Ok().json(team))
}

#[utoipa::path(delete, path = "/api/teams/{id}", tag = "teams", security(("session" = [])),
    params(("id" = String, Path, description = "Team id")),
    responses((status = 204, description = "Deleted; agents left it"),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn delete(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    state
        .console
        .delete_team(&TeamId(path.into_inner()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
