//! `GET /api/history`: every conversation an agent may see, filtered and
//! searched, newest first, a page at a time. Who sees what follows
//! [`crate::access`]: admins everything, supervisors their sites, agents
//! the conversations they have or resolved.

use crate::access::may_see;
use crate::auth::Agent;
use crate::error::ApiError;
use crate::store::{HistoryCursor, HistoryQuery, Store};
use crate::AppState;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::api::{HistoryHit, HistoryPage};
use shared::{
    AgentId, ChatMessage, ConversationId, ConversationStatus, ErrorCode, Millis, Role, SiteId,
};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/history", web::get().to(history));
}

/// Largest page.
const MAX_LIMIT: usize = 100;
/// Longest search text, in characters.
const MAX_QUERY_CHARS: usize = 200;
/// How many messages of one conversation are read to find an excerpt.
const EXCERPT_SCAN: usize = 2_000;

#[derive(Deserialize)]
struct Query {
    #[serde(default)]
    q: String,
    site: Option<SiteId>,
    agent: Option<AgentId>,
    status: Option<ConversationStatus>,
    from: Option<Millis>,
    to: Option<Millis>,
    after: Option<String>,
    limit: Option<usize>,
}

/// The cursor as the client holds it: `<created_at>.<id>`.
fn cursor_text(c: &HistoryCursor) -> String {
    format!("{}.{}", c.created_at, c.id)
}

fn parse_cursor(text: &str) -> Option<HistoryCursor> {
    let (at, id) = text.split_once('.')?;
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !ok {
        return None;
    }
    Some(HistoryCursor {
        created_at: at.parse().ok()?,
        id: ConversationId(id.to_owned()),
    })
}

#[utoipa::path(get, path = "/api/history", tag = "conversations", security(("session" = [])),
    params(
        ("q" = Option<String>, Query, description = "Words to find in the messages (not notes): \
            each must start a word of the conversation, any case; Arabic and Persian spellings \
            are folded alike. At most 200 characters, 8 words."),
        ("site" = Option<String>, Query, description = "Only this site's"),
        ("agent" = Option<String>, Query, description = "Only those this agent has or resolved \
            (agents: only themselves)"),
        ("status" = Option<shared::ConversationStatus>, Query, description = "Only in this status"),
        ("from" = Option<u64>, Query, description = "Started at or after (ms since the epoch)"),
        ("to" = Option<u64>, Query, description = "Started before (ms since the epoch)"),
        ("after" = Option<String>, Query, description = "The previous page's `next`"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100, description = "1 to 100 [default 50]")),
    responses((status = 200, description = "Newest first, only what this agent may see", body = shared::api::HistoryPage),
        (status = 400, description = "A parameter out of range", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "A site or agent this agent may not look into", body = shared::ErrorBody)))]
async fn history(
    state: web::Data<AppState>,
    agent: Agent,
    q: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let q = q.into_inner();
    let limit = crate::validate::page_limit(q.limit, 50, MAX_LIMIT)?;
    if q.q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::field(
            "q",
            format!("search text is limited to {MAX_QUERY_CHARS} characters"),
        ));
    }
    let after = match &q.after {
        None => None,
        Some(text) => Some(
            parse_cursor(text)
                .ok_or_else(|| ApiError::field("after", "not a cursor this server gave out"))?,
        ),
    };
    let me = &agent.record;
    let forbidden = || ApiError::code(ErrorCode::Forbidden);
    let (sites, who) = match me.role {
        Role::Admin => (q.site.map(|s| vec![s]), q.agent),
        Role::Supervisor => match q.site {
            Some(s) if !me.sites.contains(&s) => return Err(forbidden()),
            Some(s) => (Some(vec![s]), q.agent),
            None => (Some(me.sites.clone()), q.agent),
        },
        Role::Agent => {
            if q.agent.as_ref().is_some_and(|a| a != &me.id) {
                return Err(forbidden());
            }
            (q.site.map(|s| vec![s]), Some(me.id.clone()))
        }
    };
    let query = HistoryQuery {
        sites,
        agent: who,
        status: q.status,
        from: q.from,
        to: q.to,
        words: crate::search::query_words(&q.q),
        after,
        limit,
    };
    let page = state.store.history(&query).await?;
    let mut hits = Vec::with_capacity(page.conversations.len());
    for conversation in page.conversations {
        // The store's filter already keeps to what this agent may see;
        // the one rule has the last word.
        if !may_see(me, &conversation) {
            continue;
        }
        let excerpt = excerpt(&*state.store, &conversation.id, &query.words).await?;
        hits.push(HistoryHit {
            conversation,
            excerpt,
        });
    }
    Ok(HttpResponse::Ok().json(HistoryPage {
        hits,
        next: page.next.as_ref().map(cursor_text),
    }))
}

/// The first message of `id` using one of `words`, if any (none without
/// words).
async fn excerpt(
    store: &dyn Store,
    id: &ConversationId,
    words: &[String],
) -> Result<Option<ChatMessage>, ApiError> {
    if words.is_empty() {
        return Ok(None);
    }
    let mut after = 0;
    while (after as usize) < EXCERPT_SCAN {
        let page = store.messages_after(id, after, 200).await?;
        let Some(last) = page.last() else {
            return Ok(None);
        };
        after = last.seq;
        if let Some(m) = page
            .into_iter()
            .find(|m| crate::search::mentions_any(&m.body, words))
        {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_anything_else_is_refused() {
        let c = HistoryCursor {
            created_at: 1_700_000_000_123,
            id: ConversationId("c_AbC123".into()),
        };
        assert_eq!(parse_cursor(&cursor_text(&c)), Some(c));
        for bad in ["", "12", "x.c_1", "12.", "12.c 1", "-1.c_1", "12.c_1'--"] {
            assert_eq!(parse_cursor(bad), None, "{bad}");
        }
    }
}
