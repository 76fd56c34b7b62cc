//! Sites (one website, one snippet, one inbox): admins create, change and
//! delete them; every agent may read the sites they serve.

use super::body::Body;
use crate::auth::{Admin, Agent};
use crate::error::ApiError;
use crate::pages::snippet;
use crate::store::{Site, SitePatch};
use crate::validate;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::api::{IdentitySettings, NewSite, SiteInfo, SiteUpdate};
use shared::settings::Appearance;
use shared::{ErrorCode, SiteId, TeamId};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/sites", web::get().to(list))
        .route("/api/sites", web::post().to(create))
        .route("/api/sites/{id}", web::get().to(get))
        .route("/api/sites/{id}", web::patch().to(update))
        .route("/api/sites/{id}", web::delete().to(delete))
        .route("/api/sites/{id}/identity", web::get().to(identity))
        .route(
            "/api/sites/{id}/identity/rotate",
            web::post().to(rotate_identity),
        );
}

fn info(state: &AppState, site: Site) -> SiteInfo {
    SiteInfo {
        snippet: snippet(&state.public_url, &site.key),
        id: site.id,
        key: site.key,
        name: site.name,
        allowed_origins: site.allowed_origins,
        appearance: site.appearance,
        team: site.team,
        typing_preview: site.typing_preview,
        retention_days: site.retention_days,
        survey_nps: site.survey_nps,
        time_zone: site.time_zone,
        hours: site.hours,
        offline_when_away: site.offline_when_away,
        prechat: site.prechat,
        identity_required: site.identity_required,
        callback_after_mins: site.callback_after_mins,
        proactive: site.proactive,
    }
}

/// Checks a whole appearance (a new site's).
fn appearance(a: &Appearance) -> Result<Appearance, ApiError> {
    Ok(Appearance {
        accent_color: validate::color("appearance.accent_color", &a.accent_color)?,
        position: a.position,
        title: a
            .title
            .as_deref()
            .map(|t| validate::optional_text("appearance.title", t, validate::MAX_NAME_CHARS))
            .transpose()?
            .flatten(),
        greeting: a
            .greeting
            .as_deref()
            .map(|g| {
                validate::optional_text("appearance.greeting", g, validate::MAX_GREETING_CHARS)
            })
            .transpose()?
            .flatten(),
        avatar: validate::avatar("appearance.avatar", &a.avatar)?,
        locale: a
            .locale
            .as_deref()
            .map(|l| validate::widget_locale("appearance.locale", l))
            .transpose()?
            .flatten(),
        reply_time: a.reply_time,
    })
}

/// Checks a partial change.
fn patch(req: &SiteUpdate) -> Result<SitePatch, ApiError> {
    Ok(SitePatch {
        name: req
            .name
            .as_deref()
            .map(|n| validate::name("name", n))
            .transpose()?,
        allowed_origins: req
            .allowed_origins
            .as_deref()
            .map(|o| validate::origins("allowed_origins", o))
            .transpose()?,
        accent_color: req
            .accent_color
            .as_deref()
            .map(|c| validate::color("accent_color", c))
            .transpose()?,
        position: req.position,
        title: req
            .title
            .as_deref()
            .map(|t| validate::optional_text("title", t, validate::MAX_NAME_CHARS))
            .transpose()?,
        greeting: req
            .greeting
            .as_deref()
            .map(|g| validate::optional_text("greeting", g, validate::MAX_GREETING_CHARS))
            .transpose()?,
        avatar: req
            .avatar
            .as_ref()
            .map(|a| validate::avatar("avatar", a))
            .transpose()?,
        locale: req
            .locale
            .as_deref()
            .map(|l| validate::widget_locale("locale", l))
            .transpose()?,
        team: req
            .team
            .as_deref()
            .map(|t| (!t.is_empty()).then(|| TeamId(t.to_owned()))),
        typing_preview: req.typing_preview,
        survey_nps: req.survey_nps,
        retention_days: req
            .retention_days
            .map(|d| validate::retention_days("retention_days", d))
            .transpose()?,
        time_zone: req
            .time_zone
            .as_deref()
            .map(|z| validate::time_zone("time_zone", z))
            .transpose()?,
        reply_time: req
            .reply_time
            .as_deref()
            .map(|r| validate::reply_time("reply_time", r))
            .transpose()?,
        hours: match req.hours.clone() {
            Some(Some(h)) => Some(Some(validate::business_hours("hours", h)?)),
            Some(None) => Some(None),
            None => None,
        },
        offline_when_away: req.offline_when_away,
        prechat: match req.prechat.clone() {
            Some(Some(form)) => Some(validate::prechat("prechat", form)?),
            Some(None) => Some(None),
            None => None,
        },
        identity_required: req.identity_required,
        identity_secret: None,
        callback_after_mins: match req.callback_after_mins {
            Some(Some(m)) => Some(Some(validate::callback_after_mins(
                "callback_after_mins",
                m,
            )?)),
            Some(None) => Some(None),
            None => None,
        },
        proactive: req
            .proactive
            .clone()
            .map(|rules| validate::proactive("proactive", rules))
            .transpose()?,
    })
}

/// A routing team must exist when it is set.
async fn check_team(state: &AppState, patch: &SitePatch) -> Result<(), ApiError> {
    if let Some(Some(team)) = &patch.team {
        if !state
            .store
            .list_teams()
            .await?
            .iter()
            .any(|t| &t.id == team)
        {
            return Err(ApiError::field("team", "There is no such team."));
        }
    }
    Ok(())
}

#[utoipa::path(get, path = "/api/sites", tag = "sites", security(("session" = [])),
    responses((status = 200, description = "The sites the agent serves (admins: all)", body = Vec<shared::api::SiteInfo>),
        (status = 401, body = shared::ErrorBody)))]
async fn list(state: web::Data<AppState>, agent: Agent) -> Result<HttpResponse, ApiError> {
    let sites: Vec<SiteInfo> = state
        .store
        .list_sites()
        .await?
        .into_iter()
        .filter(|s| agent.record.serves(&s.id))
        .map(|s| info(&state, s))
        .collect();
    Ok(HttpResponse::Ok().json(sites))
}

#[utoipa::path(get, path = "/api/sites/{id}", tag = "sites", security(("session" = [])),
    params(("id" = String, Path, description = "Site id")),
    responses((status = 200, body = shared::api::SiteInfo), (status = 401, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn get(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = SiteId(path.into_inner());
    // A site the agent does not serve is as good as absent to them.
    let site = state
        .store
        .site(&id)
        .await?
        .filter(|s| agent.record.serves(&s.id))
        .ok_or_else(|| ApiError::code(ErrorCode::NotFound))?;
    Ok(HttpResponse::Ok().json(info(&state, site)))
}

#[utoipa::path(post, path = "/api/sites", tag = "sites", security(("session" = [])),
    request_body = shared::api::NewSite,
    responses(
        (status = 201, body = shared::api::SiteInfo),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
    ))]
async fn create(
    state: web::Data<AppState>,
    admin: Admin,
    body: Body<NewSite>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let name = validate::name("name", &req.name)?;
    let origins = validate::origins("allowed_origins", &req.allowed_origins)?;
    let look = appearance(&req.appearance.unwrap_or_default())?;
    let site = state.console.create_site(name, origins, look).await?;
    tracing::info!(site = %site.id, by = %admin.0.record.id, "site created");
    Ok(HttpResponse::Created().json(info(&state, site)))
}

#[utoipa::path(patch, path = "/api/sites/{id}", tag = "sites", security(("session" = [])),
    params(("id" = String, Path, description = "Site id")),
    request_body = shared::api::SiteUpdate,
    responses(
        (status = 200, body = shared::api::SiteInfo),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn update(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<String>,
    body: Body<SiteUpdate>,
) -> Result<HttpResponse, ApiError> {
    let id = SiteId(path.into_inner());
    let patch = patch(&body.into_inner())?;
    check_team(&state, &patch).await?;
    let site = state.console.update_site(&id, patch).await?;
    Ok(HttpResponse::Ok().json(info(&state, site)))
}

#[utoipa::path(get, path = "/api/sites/{id}/identity", tag = "sites", security(("session" = [])),
    params(("id" = String, Path, description = "Site id")),
    responses(
        (status = 200, description = "The secret the site's server signs user ids with", body = shared::api::IdentitySettings),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn identity(
    state: web::Data<AppState>,
    _admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = SiteId(path.into_inner());
    let site = state
        .store
        .site(&id)
        .await?
        .ok_or_else(|| ApiError::code(ErrorCode::NotFound))?;
    Ok(identity_settings(site))
}

#[utoipa::path(post, path = "/api/sites/{id}/identity/rotate", tag = "sites", security(("session" = [])),
    params(("id" = String, Path, description = "Site id")),
    responses(
        (status = 200, description = "A new secret: signatures made with the old one are refused from now on", body = shared::api::IdentitySettings),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn rotate_identity(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = SiteId(path.into_inner());
    let patch = SitePatch {
        identity_secret: Some(crate::secrets::new_identity_secret()),
        ..SitePatch::default()
    };
    let site = state.console.update_site(&id, patch).await?;
    tracing::info!(site = %id, by = %admin.0.record.id, "identity secret rotated");
    Ok(identity_settings(site))
}

/// A site's identity settings, in a response no cache may keep (it holds
/// the secret).
fn identity_settings(site: Site) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(IdentitySettings {
            secret: site.identity_secret,
            required: site.identity_required,
        })
}

#[utoipa::path(delete, path = "/api/sites/{id}", tag = "sites", security(("session" = [])),
    params(("id" = String, Path, description = "Site id")),
    responses(
        (status = 204, description = "Deleted with its visitors, conversations and messages"),
        (status = 401, body = shared::ErrorBody), (status = 403, body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn delete(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = SiteId(path.into_inner());
    state.console.delete_site(&id).await?;
    tracing::info!(site = %id, by = %admin.0.record.id, "site deleted");
    Ok(HttpResponse::NoContent().finish())
}
