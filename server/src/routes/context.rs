//! The agent's context panel: who the visitor of a conversation is and
//! what they did (`GET /api/conversations/{id}/context`).

use crate::auth::Agent;
use crate::error::ApiError;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::api::VisitorContext;
use shared::ConversationId;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/conversations/{id}/context", web::get().to(context));
}

/// Browser (with version), OS and device from a User-Agent; what woothee
/// cannot tell stays unknown rather than "UNKNOWN".
pub fn describe_agent(ua: &str) -> (Option<String>, Option<String>, Option<String>) {
    let Some(r) = woothee::parser::Parser::new().parse(ua) else {
        return (None, None, None);
    };
    let known = |s: &str| (!s.is_empty() && s != "UNKNOWN").then(|| s.to_owned());
    let browser = known(r.name).map(|name| match known(r.version) {
        Some(v) => format!("{name} {v}"),
        None => name,
    });
    (browser, known(r.os), known(r.category))
}

#[utoipa::path(get, path = "/api/conversations/{id}/context", tag = "conversations", security(("session" = [])),
    params(("id" = String, Path, description = "Conversation id")),
    responses((status = 200, body = shared::api::VisitorContext),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not a conversation this agent may see", body = shared::ErrorBody),
        (status = 404, body = shared::ErrorBody)))]
async fn context(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = ConversationId(path.into_inner());
    let conv = super::conversations::visible_conversation(&state, &agent, &id).await?;
    let activity = state.store.visitor_activity(&conv.visitor.id).await?;
    let (browser, os, device) = activity
        .as_ref()
        .and_then(|a| a.user_agent.as_deref())
        .map_or((None, None, None), describe_agent);
    // The owner's words for the answers' keys (the form may have changed
    // since; keys it no longer has show as they are).
    let labels: std::collections::BTreeMap<_, _> = match state.store.site(&conv.site).await? {
        Some(site) => site
            .prechat
            .map(|form| {
                form.fields
                    .into_iter()
                    .filter(|f| {
                        !f.labels.is_empty() && conv.visitor.attributes.contains_key(&f.key)
                    })
                    .map(|f| (f.key, f.labels))
                    .collect()
            })
            .unwrap_or_default(),
        None => Default::default(),
    };
    let context = match activity {
        Some(a) => VisitorContext {
            visitor: conv.visitor,
            // The conversation may predate the first page the widget told.
            first_seen: Some(a.first_seen.min(conv.created_at)),
            last_seen: Some(a.last_seen),
            visits: a.visits,
            browser,
            os,
            device,
            time_zone: a.time_zone,
            referrer: a.referrer,
            pages: a.pages,
            past_conversations: Vec::new(),
            answer_labels: labels,
        },
        None => VisitorContext {
            visitor: conv.visitor,
            first_seen: Some(conv.created_at),
            last_seen: None,
            visits: 0,
            browser,
            os,
            device,
            time_zone: None,
            referrer: None,
            pages: Vec::new(),
            past_conversations: Vec::new(),
            answer_labels: labels.clone(),
        },
    };
    Ok(HttpResponse::Ok().json(context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_agent_names_browser_os_and_device() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
                      (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        let (browser, os, device) = describe_agent(chrome);
        assert_eq!(browser.as_deref(), Some("Chrome 120.0.0.0"));
        assert_eq!(os.as_deref(), Some("Windows 10"));
        assert_eq!(device.as_deref(), Some("pc"));
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 \
                      (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        let (browser, os, device) = describe_agent(iphone);
        assert!(browser.unwrap().starts_with("Safari"));
        assert_eq!(os.as_deref(), Some("iPhone"));
        assert_eq!(device.as_deref(), Some("smartphone"));
        assert_eq!(describe_agent("not a browser at all"), (None, None, None));
    }
}
