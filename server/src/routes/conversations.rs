//! Conversation lists and history for the dashboard.

use crate::access::may_see;
use crate::auth::Agent;
use crate::error::ApiError;
use crate::store::ConversationFilter;
use crate::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::api::{Colleague, InboxView};
use shared::{ConversationId, ConversationSummary, ErrorCode, Presence, Seq};

/// The conversation `id` if `agent` may see it: `not_found` without it,
/// `forbidden` when it is not theirs to see.
pub async fn visible_conversation(
    state: &AppState,
    agent: &Agent,
    id: &ConversationId,
) -> Result<ConversationSummary, ApiError> {
    let conv = state
        .store
        .conversation(id)
        .await?
        .ok_or_else(|| ApiError::code(ErrorCode::NotFound))?;
    if !may_see(&agent.record, &conv) {
        return Err(ApiError::code(ErrorCode::Forbidden));
    }
    Ok(conv)
}

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/conversations", web::get().to(list))
        .route("/api/conversations/{id}/messages", web::get().to(messages))
        .route(
            "/api/conversations/{id}/colleagues",
            web::get().to(colleagues),
        );
}

#[utoipa::path(get, path = "/api/conversations/{id}/colleagues", tag = "conversations", security(("session" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    responses((status = 200, description = "The other enabled agents who serve the conversation's site, \
            available ones first, then by name", body = Vec<shared::api::Colleague>),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not a conversation this agent may see", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn colleagues(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = ConversationId(path.into_inner());
    let conv = visible_conversation(&state, &agent, &id).await?;
    let holder = conv.agent.as_ref().map(|a| &a.id);
    let mut out = Vec::new();
    for a in state.store.list_agents().await? {
        if a.id == agent.record.id || !a.serves(&conv.site) {
            continue;
        }
        let presence = state.store.presence(&a.id).await?;
        let load = state.store.load(&a.id).await?;
        out.push(Colleague {
            available: presence != Presence::Offline && load < a.capacity && Some(&a.id) != holder,
            id: a.id,
            name: a.name,
            role: a.role,
            presence,
            load,
            capacity: a.capacity,
            languages: a.languages,
            teams: a.teams,
        });
    }
    out.sort_by(|x, y| (!x.available, &x.name, &x.id).cmp(&(!y.available, &y.name, &y.id)));
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Deserialize)]
struct ListQuery {
    view: InboxView,
}

#[utoipa::path(get, path = "/api/conversations", tag = "conversations", security(("session" = [])),
    params(("view" = shared::api::InboxView, Query, description = "waiting (queue order), mine or resolved (recent first)")),
    responses((status = 200, description = "Only what this agent may see", body = Vec<shared::ConversationSummary>),
        (status = 400, body = shared::ErrorBody), (status = 401, body = shared::ErrorBody)))]
async fn list(
    state: web::Data<AppState>,
    agent: Agent,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = agent.record.id.clone();
    let filter = match q.view {
        InboxView::Waiting => ConversationFilter::Waiting,
        InboxView::Mine => ConversationFilter::AssignedTo(id),
        InboxView::Resolved => ConversationFilter::ResolvedBy(id),
    };
    let mut list = state.store.list_conversations(filter).await?;
    list.retain(|c| may_see(&agent.record, c));
    Ok(HttpResponse::Ok().json(list))
}

/// Largest page of history.
const MAX_LIMIT: usize = 1000;

#[derive(Deserialize)]
struct MessagesQuery {
    #[serde(default)]
    after_seq: Seq,
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/conversations/{id}/messages", tag = "conversations", security(("session" = [])),
    params(("id" = String, Path, description = "Conversation id"),
        ("after_seq" = Option<u64>, Query, description = "Messages with a higher seq [default 0]"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "1 to 1000 [default 500]")),
    responses((status = 200, body = Vec<shared::ChatMessage>),
        (status = 400, description = "`limit` out of range", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not a conversation this agent may see", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn messages(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
    q: web::Query<MessagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = ConversationId(path.into_inner());
    let limit = crate::validate::page_limit(q.limit, 500, MAX_LIMIT)?;
    visible_conversation(&state, &agent, &id).await?;
    Ok(HttpResponse::Ok().json(state.store.messages_after(&id, q.after_seq, limit).await?))
}
