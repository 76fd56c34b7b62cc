//! The logged-in agent's own account: read it, change their name,
//! languages and password. Changing the password needs the current one and
//! signs out every other session.

use super::body::Body;
use crate::auth::{verify_password, Agent};
use crate::error::ApiError;
use crate::store::AgentPatch;
use crate::validate;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::api::{Me, ProfileUpdate};
use shared::ErrorCode;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/me", web::get().to(me))
        .route("/api/me", web::patch().to(update));
}

#[utoipa::path(get, path = "/api/me", tag = "me", security(("session" = [])),
    responses((status = 200, body = shared::api::Me), (status = 401, body = shared::ErrorBody)))]
async fn me(state: web::Data<AppState>, agent: Agent) -> Result<HttpResponse, ApiError> {
    let presence = state.store.presence(&agent.record.id).await?;
    Ok(HttpResponse::Ok().json(Me {
        agent: agent.record.profile(),
        presence,
        mails_replies: state.routing.mails_replies(),
    }))
}

#[utoipa::path(patch, path = "/api/me", tag = "me", security(("session" = [])),
    request_body = shared::api::ProfileUpdate,
    responses(
        (status = 200, body = shared::api::Me),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "`wrong_password`", body = shared::ErrorBody),
    ))]
async fn update(
    state: web::Data<AppState>,
    agent: Agent,
    body: Body<ProfileUpdate>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let mut patch = AgentPatch {
        name: req
            .name
            .as_deref()
            .map(|n| validate::name("name", n))
            .transpose()?,
        languages: req
            .languages
            .as_deref()
            .map(|l| validate::languages("languages", l))
            .transpose()?,
        ..AgentPatch::default()
    };
    if let Some(new) = req.password.as_deref() {
        let new = validate::password("password", new)?;
        let current = req.current_password.unwrap_or_default();
        let hash = agent.record.password_hash.clone();
        let ok =
            crate::auth::verify_limited(&state, move || verify_password(&current, &hash)).await?;
        if !ok {
            let mut e = ApiError::code(ErrorCode::WrongPassword);
            e.field = Some("current_password".into());
            return Err(e);
        }
        patch.password_hash = Some(crate::console::hash(new).await?);
    }
    let updated = state
        .console
        .update_agent(&agent.record.id, patch, Some(&agent.session_hash))
        .await?;
    let presence = state.store.presence(&updated.id).await?;
    Ok(HttpResponse::Ok().json(Me {
        agent: updated.profile(),
        presence,
        mails_replies: state.routing.mails_replies(),
    }))
}
