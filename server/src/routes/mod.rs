//! HTTP routes, one module per resource, each with `configure(cfg)`; this
//! file assembles them and the JSON error handlers for bad requests.

pub mod agents;
pub mod articles;
pub mod auth;
pub mod body;
pub mod callbacks;
pub mod canned;
pub mod context;
pub mod conversations;
pub mod health;
pub mod history;
pub mod me;
pub mod openapi;
pub mod pages;
pub mod reports;
pub mod sites;
pub mod teams;
pub mod visitors;
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
    .configure(canned::configure)
    .configure(callbacks::configure)
    .configure(articles::configure)
    .configure(conversations::configure)
    .configure(history::configure)
    .configure(context::configure)
    .configure(visitors::configure)
    .configure(reports::configure)
    .configure(widget::configure)
    .configure(pages::configure)
    .configure(crate::ws::configure);
}

/// Unknown routes: a JSON error under `/api`, plain text elsewhere; a
/// known path asked with a method it does not take: 405 with `Allow`.
pub async fn not_found(req: HttpRequest) -> HttpResponse {
    // actix hands a request whose path matched a resource but none of its
    // methods to the app's default service, i.e. here.
    if req.resource_map().has_resource(req.path()) {
        let allow = allowed_methods(req.path()).unwrap_or_else(|| "GET".to_owned());
        let mut response = if req.path().starts_with("/api/") || req.path() == "/healthz" {
            actix_web::ResponseError::error_response(&ApiError::code(ErrorCode::MethodNotAllowed))
        } else {
            HttpResponse::MethodNotAllowed()
                .content_type("text/plain; charset=utf-8")
                .body("method not allowed")
        };
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
            response
                .headers_mut()
                .insert(actix_web::http::header::ALLOW, value);
        }
        return response;
    }
    if req.path().starts_with("/api/") {
        actix_web::ResponseError::error_response(&ApiError::code(ErrorCode::NotFound))
    } else {
        HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found")
    }
}

/// The methods the OpenAPI document lists for `path` (`GET, PATCH`), if
/// it lists the path at all: the document is the API's one list of routes.
fn allowed_methods(path: &str) -> Option<String> {
    use std::sync::LazyLock;
    use utoipa::OpenApi;
    static ROUTES: LazyLock<Vec<(String, String)>> = LazyLock::new(|| {
        openapi::ApiDoc::openapi()
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ];
                let listed: Vec<&str> = methods
                    .iter()
                    .filter(|(_, has)| *has)
                    .map(|(m, _)| *m)
                    .collect();
                (template.clone(), listed.join(", "))
            })
            .collect()
    });
    ROUTES
        .iter()
        .find(|(template, _)| template_matches(template, path))
        .map(|(_, methods)| methods.clone())
}

/// Whether an OpenAPI path template (`/api/sites/{id}`) matches `path`.
fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments() {
        assert!(template_matches("/api/sites/{id}", "/api/sites/s_1"));
        assert!(!template_matches("/api/sites/{id}", "/api/sites/"));
        assert!(!template_matches("/api/sites/{id}", "/api/sites/s_1/x"));
        assert!(!template_matches("/api/sites", "/api/sitesx"));
        assert_eq!(allowed_methods("/api/sites").as_deref(), Some("GET, POST"));
        assert_eq!(
            allowed_methods("/api/agents/a_1").as_deref(),
            Some("PATCH, DELETE")
        );
        assert_eq!(allowed_methods("/app"), None);
    }
}
