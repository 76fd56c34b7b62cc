//! Health: whether this node and its store answer.

use crate::AppState;
use actix_web::{web, HttpResponse};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health));
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses(
        (status = 200, description = "`{\"status\": \"ok\", \"store\": \"embedded\"|\"redis\"}`"),
        (status = 503, description = "The store does not answer: `{\"status\": \"store_unavailable\", \"store\": …, \"error\": …}`")))]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    let store = state.store.backend();
    match state.store.check().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "store": store})),
        // Not "ok" while messages cannot be stored: a load balancer should
        // send visitors to a node that can.
        Err(e) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "store_unavailable",
            "store": store,
            "error": e.to_string(),
        })),
    }
}
