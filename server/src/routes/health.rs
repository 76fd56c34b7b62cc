//! Liveness.

use crate::AppState;
use actix_web::{web, HttpResponse};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health));
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "`{\"status\": \"ok\", \"store\": \"embedded\"|\"redis\"}`")))]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok", "store": state.store.backend()}))
}
