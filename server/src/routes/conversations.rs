//! Conversation lists and history for the dashboard.

use crate::auth::Agent;
use crate::error::ApiError;
use crate::store::ConversationFilter;
use crate::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::api::InboxView;
use shared::{ConversationId, ConversationStatus, ErrorCode, Seq};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/conversations", web::get().to(list))
        .route("/api/conversations/{id}/messages", web::get().to(messages));
}

#[derive(Deserialize)]
struct ListQuery {
    view: InboxView,
}

async fn list(
    state: web::Data<AppState>,
    agent: Agent,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = agent.record.id;
    let filter = match q.view {
        InboxView::Waiting => ConversationFilter::Waiting,
        InboxView::Mine => ConversationFilter::AssignedTo(id),
        InboxView::Resolved => ConversationFilter::ResolvedBy(id),
    };
    Ok(HttpResponse::Ok().json(state.store.list_conversations(filter).await?))
}

#[derive(Deserialize)]
struct MessagesQuery {
    #[serde(default)]
    after_seq: Seq,
    limit: Option<usize>,
}

async fn messages(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
    q: web::Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = ConversationId(path.into_inner());
    let conv = state
        .store
        .conversation(&id)
        .await?
        .ok_or_else(|| ApiError::code(ErrorCode::NotFound))?;
    let allowed = agent.record.admin
        || conv.status == ConversationStatus::Queued
        || conv.agent.as_ref().is_some_and(|a| a.id == agent.record.id);
    if !allowed {
        return Err(ApiError::code(ErrorCode::Forbidden));
    }
    let limit = q.limit.unwrap_or(500).clamp(1, 1000);
    Ok(HttpResponse::Ok().json(state.store.messages_after(&id, q.after_seq, limit).await?))
}
