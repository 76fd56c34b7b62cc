//! The dashboard shell, the demo page and the built bundles.

use crate::assets::Caching;
use crate::pages::{app_page, bootstrap, bundle, demo_page, inline_json, message_page, snippet};
use crate::security::{page_policy, Framing, MESSAGE_PAGE_POLICY};
use crate::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use shared::api::DashboardConfig;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(root))
        .route("/app", web::get().to(dashboard))
        .route("/app/{tail:.*}", web::get().to(dashboard))
        .route("/demo", web::get().to(demo))
        .route("/assets/{path:.*}", web::get().to(asset));
}

async fn root() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, "/app"))
        .finish()
}

async fn dashboard(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let Some(dir) = bundle(state.assets.manifest.as_ref(), "dashboard") else {
        return HttpResponse::ServiceUnavailable()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CONTENT_SECURITY_POLICY, MESSAGE_PAGE_POLICY))
            .body(message_page(
                "Dashboard not built",
                "Run <code>cargo xtask build</code> (or <code>cargo xtask run</code>).",
            ));
    };
    // The dashboard's socket is on the host it was opened at.
    let host = req.connection_info().host().to_owned();
    let policy = page_policy(&bootstrap(dir, "dashboard"), &[&host], Framing::Nobody);
    let config = DashboardConfig {
        ws_url: format!("{}/ws/agent", state.public_url.replacen("http", "ws", 1)),
        auto_away_secs: state.config.auto_away_secs,
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::X_FRAME_OPTIONS, "DENY"))
        .insert_header((header::CONTENT_SECURITY_POLICY, policy))
        .body(app_page("Ahlan", dir, "dashboard", &inline_json(&config)))
}

/// Only with `--demo`: a production server serves no demo page.
async fn demo(state: web::Data<AppState>) -> HttpResponse {
    match &state.demo_site_key {
        Some(key) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(demo_page(&snippet(&state.public_url, key))),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found"),
    }
}

async fn asset(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let path = path.into_inner();
    // Only content-addressed bundle directories live under /assets.
    if path.contains("..") || !(path.starts_with("widget/") || path.starts_with("dashboard/")) {
        return HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("not found");
    }
    state.assets.respond(&req, &path, Caching::Immutable)
}
