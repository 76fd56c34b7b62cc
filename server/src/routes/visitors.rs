//! A visitor's privacy requests, answered by an admin: everything stored
//! about them (`GET /api/visitors/{id}/export`) and their erasure
//! (`DELETE /api/visitors/{id}`); see [`crate::privacy`].

use crate::auth::Admin;
use crate::error::ApiError;
use crate::AppState;
use actix_web::{http::header, web, HttpResponse};
use shared::{ErrorCode, VisitorId};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/visitors/{id}/export", web::get().to(export))
        .route("/api/visitors/{id}", web::delete().to(erase));
}

fn unknown() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such visitor (or already erased)")
}

#[utoipa::path(get, path = "/api/visitors/{id}/export", tag = "privacy", security(("session" = [])),
    params(("id" = String, Path, description = "Visitor id (`v_…`, in a conversation's `visitor.id`)")),
    responses(
        (status = 200, description = "Everything stored about the visitor, as a JSON file download \
            (`Content-Disposition: attachment`)", body = shared::api::VisitorExport),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not an admin", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn export(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = VisitorId(path.into_inner());
    let now = crate::clock::now_millis();
    let data = crate::privacy::export(&*state.store, &id, now)
        .await?
        .ok_or_else(unknown)?;
    tracing::info!(visitor = %id, by = %admin.0.record.id, "visitor data exported");
    // The id is ours (`v_` and base-32): safe in a header as it is.
    let file = format!(
        "attachment; filename=\"ahlan-visitor-{}.json\"",
        data.visitor.id
    );
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_DISPOSITION, file))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(data))
}

#[utoipa::path(delete, path = "/api/visitors/{id}", tag = "privacy", security(("session" = [])),
    params(("id" = String, Path, description = "Visitor id")),
    responses(
        (status = 204, description = "Erased: their conversation, messages, notes, activity and \
            token are gone from the store; open dashboards drop the conversation"),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not an admin", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody),
    ))]
async fn erase(
    state: web::Data<AppState>,
    admin: Admin,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = VisitorId(path.into_inner());
    match crate::privacy::erase(&*state.store, &id).await {
        Ok(()) => {}
        Err(crate::store::StoreError::NotFound) => return Err(unknown()),
        Err(e) => return Err(e.into()),
    }
    state.metrics.erased("request", 1);
    tracing::info!(visitor = %id, by = %admin.0.record.id, "visitor erased on request");
    Ok(HttpResponse::NoContent().finish())
}
