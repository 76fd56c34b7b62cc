//! HTTP routes, one module per resource, each with `configure(cfg)`; this
//! file assembles them and the JSON error handlers for bad requests.

pub mod agents;
pub mod auth;
pub mod conversations;
pub mod health;
pub mod me;
pub mod openapi;
pub mod pages;
pub mod sites;
pub mod teams;
pub mod widget;

use crate::error::ApiError;
use actix_web::{web, HttpRequest, HttpResponse};
use shared::ErrorCode;

/// Largest JSON body accepted by the REST API.
const JSON_LIMIT: usize = 16 * 1024;

/// All routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(
        web::JsonConfig::default()
            .limit(JSON_LIMIT)
            .error_handler(|e, _| ApiError::new(ErrorCode::BadRequest, e.to_string()).into()),
    )
    .app_data(web::QueryConfig::default().error_handler(|e, _| {
        // actix's text ("Query deserialize error: …") is about actix; the
        // client needs the part about its query.
        let why = match &e {
            actix_web::error::QueryPayloadError::Deserialize(inner) => inner.to_string(),
            other => other.to_string(),
        };
        ApiError::new(ErrorCode::BadRequest, format!("invalid query: {why}")).into()
    }))
    .app_data(
        web::PathConfig::default()
            .error_handler(|e, _| ApiError::new(ErrorCode::BadRequest, e.to_string()).into()),
    )
    .configure(health::configure)
    .configure(openapi::configure)
    .configure(auth::configure)
    .configure(me::configure)
    .configure(agents::configure)
    .configure(sites::configure)
    .configure(teams::configure)
    .configure(conversations::configure)
    .configure(widget::configure)
    .configure(pages::configure)
    .configure(crate::ws::configure);
}

/// Unknown routes: a JSON error under `/api`, plain text elsewhere.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        actix_web::ResponseError::error_response(&ApiError::code(ErrorCode::NotFound))
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found")
    }
}
