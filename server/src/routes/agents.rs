//! Agent accounts, managed by admins: list, add, change, delete (the list
//! also for supervisors: their sites' agents, for the history's and
//! reports' filters). Disabling
//! or deleting an agent signs them out everywhere and puts their chats back
//! in the queue ([`crate::console`]).

use super::body::Body;
use crate::auth::{Admin, Agent};
use crate::error::ApiError;
use crate::store::{AgentPatch, StoreError};
use crate::validate;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::api::{AgentUpdate, NewAgent};
use shared::{AgentId, AgentProfile, ErrorCode, Role, SiteId, TeamId};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/agents", web::get().to(list))
        .route("/api/agents", web::post().to(create))
        .route("/api/agents/{id}", web::patch().to(update))
        .route("/api/agents/{id}", web::delete().to(delete));
}

/// Sites and teams an agent is given must exist: a typo is a field error,
/// not a silent membership of nothing.
async fn check_refs(
    state: &AppState,
    sites: Option<&[SiteId]>,
    teams: Option<&[TeamId]>,
) -> Result<(), ApiError> {
    if let Some(sites) = sites {
        let known = state.store.list_sites().await?;
        for (i, s) in sites.iter().enumerate() {
            if !known.iter().any(|k| &k.id == s) {
                return Err(ApiError::field(
                    format!("sites[{i}]"),
                    format!("no site has the id {s}"),
                ));
            }
        }
    }
    if let Some(teams) = teams {
        let known = state.store.list_teams().await?;
        for (i, t) in teams.iter().enumerate() {
            if !known.iter().any(|k| &k.id == t) {
                return Err(ApiError::field(
                    format!("teams[{i}]"),
                    format!("no team has the id {t}"),
                ));
            }
        }
    }
    Ok(())
}

fn dedup<T: PartialEq + Clone>(list: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(list.len());
    for item in list {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

fn email_taken(e: StoreError) -> ApiError {
    match e {
        StoreError::Conflict => {
            let mut e = ApiError::code(ErrorCode::EmailTaken);
            e.field = Some("email".into());
            e
        }
        e => e.into(),
    }
}

#[utoipa::path(get, path = "/api/agents", tag = "agents", security(("session" = [])),
    responses((status = 200, description = "Admins: every agent; supervisors: the agents who serve \
            one of their sites (admins included)", body = Vec<shared::AgentProfile>),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Neither an admin nor a supervisor", body = shared::ErrorBody)))]
async fn list(state: web::Data<AppState>, me: Agent) -> Result<HttpResponse, ApiError> {
    let me = me.record;
    if me.role == Role::Agent {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "the list of agents is for admins and supervisors",
        ));
    }
    let agents: Vec<AgentProfile> = state
        .store
        .list_agents()
        .await?
        .iter()
        .filter(|a| me.role == Role::Admin || me.sites.iter().any(|s| a.serves(s)))
        .map(|a| a.profile())
        .collect();
    Ok(HttpResponse::Ok().json(agents))
}

#[utoipa::path(post, path = "/api/agents", tag = "agents", security(("session" = [])),
    request_body = shared::api::NewAgent,
    responses(
        (status = 201, body = shared::AgentProfile),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 409, description = "`email_taken`", body = shared::ErrorBody),
    ))]
async fn create(
    state: web::Data<AppState>,
    admin: Admin,
    body: Body<NewAgent>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let email = validate::email("email", &req.email)?;
    let name = validate::name("name", &req.name)?;
    let password = validate::password("password", &req.password)?;
    let capacity = validate::capacity(
        "capacity",
        req.capacity.unwrap_or(crate::seed::DEFAULT_CAPACITY),
    )?;
    let languages = validate::languages("languages", &req.languages)?;
    let (sites, teams) = (dedup(&req.sites), dedup(&req.teams));
    check_refs(&state, Some(&sites), Some(&teams)).await?;
    let role = req.role.unwrap_or(Role::Agent);
    let mut record = state
        .console
        .new_agent_record(email, name, password, role)
        .await?;
    record.capacity = capacity;
    record.languages = languages;
    record.sites = sites;
    record.teams = teams;
    let record = state
        .console
        .create_agent(record)
        .await
        .map_err(email_taken)?;
    tracing::info!(agent = %record.id, by = %admin.0.record.id, "agent added");
    Ok(HttpResponse::Created().json(record.profile()))
}

#[utoipa::path(patch, path = "/api/agents/{id}", tag = "agents", security(("session" = [])),
    params(("id" = String, Path, description = "Agent id")),
    request_body = shared::api::AgentUpdate,
    responses(
        (status = 200, body = shared::AgentProfile),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
        (status = 409, description = "`email_taken` or `last_admin`", body = shared::ErrorBody),
    ))]
async fn update(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
    body: Body<AgentUpdate>,
) -> Result<HttpResponse, ApiError> {
    let id = AgentId(path.into_inner());
    let req = body.into_inner();
    let mut patch = AgentPatch {
        name: req
            .name
            .as_deref()
            .map(|n| validate::name("name", n))
            .transpose()?,
        email: req
            .email
            .as_deref()
            .map(|e| validate::email("email", e))
            .transpose()?,
        capacity: req
            .capacity
            .map(|c| validate::capacity("capacity", c))
            .transpose()?,
        role: req.role,
        languages: req
            .languages
            .as_deref()
            .map(|l| validate::languages("languages", l))
            .transpose()?,
        sites: req.sites.as_deref().map(dedup),
        teams: req.teams.as_deref().map(dedup),
        disabled: req.disabled,
        password_hash: None,
    };
    check_refs(&state, patch.sites.as_deref(), patch.teams.as_deref()).await?;
    if let Some(p) = req.password.as_deref() {
        let p = validate::password("password", p)?;
        patch.password_hash = Some(crate::console::hash(p).await?);
    }
    // An admin editing their own account from the list: as on their
    // profile, the tab they use stays signed in (a new password still ends
    // every other session); and they cannot lock themselves out by
    // disabling or demoting themselves (another admin can).
    let own = id == admin.0.record.id;
    if own && (patch.disabled == Some(true) || patch.role.is_some_and(|r| r != Role::Admin)) {
        return Err(self_lockout(
            &state,
            "disable your own account or give up your own admin role",
        )
        .await);
    }
    let keep = own.then_some(admin.0.session_hash.as_str());
    let updated = state
        .console
        .update_agent(&id, patch, keep)
        .await
        .map_err(email_taken)?;
    tracing::info!(agent = %id, by = %admin.0.record.id, "agent changed");
    Ok(HttpResponse::Ok().json(updated.profile()))
}

#[utoipa::path(delete, path = "/api/agents/{id}", tag = "agents", security(("session" = [])),
    params(("id" = String, Path, description = "Agent id")),
    responses(
        (status = 204, description = "Deleted; their open chats went back to the queue"),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody), (status = 409, description = "`last_admin`", body = shared::ErrorBody),
    ))]
async fn delete(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = AgentId(path.into_inner());
    if id == admin.0.record.id {
        return Err(self_lockout(&state, "delete your own account").await);
    }
    state.console.delete_agent(&id).await?;
    tracing::info!(agent = %id, by = %admin.0.record.id, "agent deleted");
    Ok(HttpResponse::NoContent().finish())
}

/// Why an admin may not lock themselves out: the only admin is told to
/// make another one first (`last_admin`); with others, that one of them
/// can do it (`forbidden`).
async fn self_lockout(state: &AppState, what: &str) -> ApiError {
    match state.store.list_agents().await {
        Ok(all) if all.iter().filter(|a| a.is_admin()).count() <= 1 => {
            ApiError::from(StoreError::LastAdmin)
        }
        Ok(_) => ApiError::new(
            ErrorCode::Forbidden,
            format!("You cannot {what}; another admin can."),
        ),
        Err(e) => ApiError::from(e),
    }
}
