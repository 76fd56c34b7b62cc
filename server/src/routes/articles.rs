//! A site's help articles over REST: everyone who serves the site lists
//! them with their figures (opens, asked after); its supervisors and the
//! admins add, change and delete them ([`crate::access`]). A site the
//! agent does not serve answers 404, as if it did not exist. Visitors read
//! them through the widget's socket (`help` and `article` frames).

use super::body::Body;
use crate::access::may_write_articles;
use crate::auth::Agent;
use crate::clock::now_millis;
use crate::error::ApiError;
use crate::secrets::random_id;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::help::{Article, ArticleDraft, DraftProblem, MAX_BODY_CHARS, MAX_TITLE_CHARS};
use shared::{ArticleId, ErrorCode, SiteId};

/// Largest article body accepted: a full-length body in any script, as
/// JSON (the API's usual 16 KiB would refuse a long Arabic article).
const ARTICLE_JSON_LIMIT: usize = 64 * 1024;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let json = || {
        web::JsonConfig::default()
            .limit(ARTICLE_JSON_LIMIT)
            .error_handler(|e, _| ApiError::new(ErrorCode::BadRequest, e.to_string()).into())
    };
    cfg.service(
        web::resource("/api/sites/{site}/articles")
            .app_data(json())
            .route(web::get().to(list))
            .route(web::post().to(create)),
    )
    .service(
        web::resource("/api/sites/{site}/articles/{id}")
            .app_data(json())
            .route(web::put().to(update))
            .route(web::delete().to(delete)),
    );
}

/// The site, if `agent` serves it (else 404, whether or not it exists).
async fn served(state: &AppState, agent: &Agent, site: String) -> Result<SiteId, ApiError> {
    let site = SiteId(site);
    match state.store.site(&site).await? {
        Some(_) if agent.record.serves(&site) => Ok(site),
        _ => Err(ApiError::code(ErrorCode::NotFound)),
    }
}

/// The site, if `agent` may write its articles.
async fn writable(state: &AppState, agent: &Agent, site: String) -> Result<SiteId, ApiError> {
    let site = served(state, agent, site).await?;
    if !may_write_articles(&agent.record, &site) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Help articles are written by the site's supervisors and the admins.",
        ));
    }
    Ok(site)
}

/// The draft as kept, or a 400 naming its field.
fn checked(draft: &ArticleDraft) -> Result<ArticleDraft, ApiError> {
    draft.check().map_err(|problem| {
        let why = match problem {
            DraftProblem::Lang => "lang must be en, ar or fa".to_owned(),
            DraftProblem::Title => {
                format!("title must be one line of 1 to {MAX_TITLE_CHARS} characters")
            }
            DraftProblem::Body => format!("body must be 1 to {MAX_BODY_CHARS} characters"),
        };
        ApiError::field(problem.field(), why)
    })
}

fn article(site: SiteId, id: ArticleId, draft: ArticleDraft) -> Article {
    Article {
        id,
        site,
        lang: draft.lang,
        title: draft.title,
        body: draft.body,
        updated_at: now_millis(),
    }
}

#[utoipa::path(get, path = "/api/sites/{site}/articles", tag = "articles", security(("session" = [])),
    params(("site" = String, Path, description = "Site id")),
    responses((status = 200, description = "The site's help articles with their figures, by language then title", body = Vec<shared::help::ArticleListing>),
        (status = 401, body = shared::ErrorBody),
        (status = 404, description = "No such site, or not one I serve", body = shared::ErrorBody)))]
async fn list(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let site = served(&state, &agent, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(state.store.articles(&site).await?))
}

#[utoipa::path(post, path = "/api/sites/{site}/articles", tag = "articles", security(("session" = [])),
    params(("site" = String, Path, description = "Site id")),
    request_body = shared::help::ArticleDraft,
    responses((status = 201, body = shared::help::Article),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not a supervisor of the site nor an admin", body = shared::ErrorBody),
        (status = 404, description = "No such site, or not one I serve", body = shared::ErrorBody),
        (status = 409, description = "`too_many_articles`: the site has 200", body = shared::ErrorBody)))]
async fn create(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
    body: Body<ArticleDraft>,
) -> Result<HttpResponse, ApiError> {
    let draft = checked(&body)?;
    let site = writable(&state, &agent, path.into_inner()).await?;
    let created = article(site, ArticleId(random_id("ar")), draft);
    state.store.insert_article(created.clone()).await?;
    Ok(HttpResponse::Created().json(created))
}

#[utoipa::path(put, path = "/api/sites/{site}/articles/{id}", tag = "articles", security(("session" = [])),
    params(("site" = String, Path, description = "Site id"), ("id" = String, Path, description = "Article id")),
    request_body = shared::help::ArticleDraft,
    responses((status = 200, description = "As rewritten (its figures are kept)", body = shared::help::Article),
        (status = 400, description = "A field is invalid (`field` names it)", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not a supervisor of the site nor an admin", body = shared::ErrorBody),
        (status = 404, description = "No such site or article", body = shared::ErrorBody)))]
async fn update(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<(String, String)>,
    body: Body<ArticleDraft>,
) -> Result<HttpResponse, ApiError> {
    let (site, id) = path.into_inner();
    let draft = checked(&body)?;
    let site = writable(&state, &agent, site).await?;
    let changed = article(site, ArticleId(id), draft);
    state.store.update_article(changed.clone()).await?;
    Ok(HttpResponse::Ok().json(changed))
}

#[utoipa::path(delete, path = "/api/sites/{site}/articles/{id}", tag = "articles", security(("session" = [])),
    params(("site" = String, Path, description = "Site id"), ("id" = String, Path, description = "Article id")),
    responses((status = 204, description = "Deleted with its figures"),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not a supervisor of the site nor an admin", body = shared::ErrorBody),
        (status = 404, description = "No such site or article", body = shared::ErrorBody)))]
async fn delete(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (site, id) = path.into_inner();
    let site = writable(&state, &agent, site).await?;
    state.store.delete_article(&site, &ArticleId(id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
