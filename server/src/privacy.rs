//! Privacy: what a visitor can ask for and what a site promises —
//! everything stored about one visitor as one JSON document (access), the
//! visitor erased from the store (erasure), and each site's retention,
//! which erases visitors whose conversation was resolved and has been
//! quiet for longer than the site keeps them (docs/OPERATIONS.md,
//! "Privacy").

use crate::store::{Event, Store, StoreError, StoreResult};
use shared::api::VisitorExport;
use shared::{Millis, VisitorId, VisitorInfo};
use std::sync::Arc;
use std::time::Duration;

/// Messages read per page while exporting.
const EXPORT_PAGE: usize = 500;

/// How often each node runs the retention sweep. Retention is counted in
/// days: an hour late is within the promise.
const SWEEP_EVERY: Duration = Duration::from_secs(60 * 60);

/// Most visitors one sweep erases per site, so a site that just lowered
/// its retention is cleaned over a few sweeps rather than in one long one.
const SWEEP_BATCH: usize = 1_000;

const DAY_MS: Millis = 24 * 60 * 60 * 1000;

/// Everything stored about a visitor; `None` if unknown.
pub async fn export(
    store: &dyn Store,
    id: &VisitorId,
    now: Millis,
) -> StoreResult<Option<VisitorExport>> {
    let Some(visitor) = store.visitor(id).await? else {
        return Ok(None);
    };
    let activity = store.visitor_activity(id).await?;
    let mut conversation = None;
    let (mut messages, mut notes) = (Vec::new(), Vec::new());
    if let Some(conv) = &visitor.conversation {
        conversation = store.conversation(conv).await?;
        loop {
            let after = messages.last().map_or(0, |m: &shared::ChatMessage| m.seq);
            let page = match store.messages_after(conv, after, EXPORT_PAGE).await {
                Ok(page) => page,
                // Erased or deleted with its site while we read.
                Err(StoreError::NotFound) => break,
                Err(e) => return Err(e),
            };
            let full = page.len() == EXPORT_PAGE;
            messages.extend(page);
            if !full {
                break;
            }
        }
        notes = store.notes(conv).await?;
    }
    let callbacks = store.visitor_callbacks(id, EXPORT_PAGE).await?;
    Ok(Some(VisitorExport {
        exported_at: now,
        site: visitor.site,
        visitor: VisitorInfo {
            id: visitor.id,
            locale: visitor.locale,
            origin: visitor.origin,
            name: visitor.contact.as_ref().and_then(|c| c.name.clone()),
            email: visitor.contact.map(|c| c.email),
            attributes: visitor.attributes,
            user_id: visitor.user_id,
        },
        activity,
        conversation,
        messages,
        notes,
        callbacks,
    }))
}

/// Erases a visitor on request: [`erase_one`], then [`Store::scrub`].
pub async fn erase(store: &dyn Store, id: &VisitorId) -> StoreResult<()> {
    erase_one(store, id).await?;
    store.scrub().await
}

/// Erases a visitor ([`Store::erase_visitor`], without the scrub) and tells
/// every node: dashboards drop the conversation, the visitor's sockets
/// close.
async fn erase_one(store: &dyn Store, id: &VisitorId) -> StoreResult<()> {
    let Some(visitor) = store.visitor(id).await? else {
        return Err(StoreError::NotFound);
    };
    store.erase_visitor(id).await?;
    tracing::info!(visitor = %id, "visitor erased");
    store
        .publish(Event::VisitorErased {
            site: visitor.site,
            conversation: visitor.conversation,
        })
        .await
}

/// When a site keeping resolved conversations `days` days stops keeping
/// them, seen from `now`.
pub fn cut_off(now: Millis, days: u32) -> Millis {
    now.saturating_sub(Millis::from(days) * DAY_MS)
}

/// One retention pass over every site that has one; returns how many
/// visitors it erased. Several nodes may sweep at once: a visitor another
/// node erased first is simply not found.
pub async fn sweep(store: &dyn Store, now: Millis) -> StoreResult<usize> {
    let mut erased = 0;
    for site in store.list_sites().await? {
        let Some(days) = site.retention_days else {
            continue;
        };
        let before = cut_off(now, days);
        for visitor in store
            .expired_visitors(&site.id, before, SWEEP_BATCH)
            .await?
        {
            match erase_one(store, &visitor).await {
                Ok(()) => erased += 1,
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
    }
    // Once for the whole sweep: it rewrites the search index.
    if erased > 0 {
        store.scrub().await?;
    }
    Ok(erased)
}

/// Runs the retention sweep for the life of the node.
pub async fn run(store: Arc<dyn Store>, metrics: Arc<crate::metrics::Metrics>) {
    let mut tick = tokio::time::interval(SWEEP_EVERY);
    loop {
        tick.tick().await;
        match sweep(&*store, crate::clock::now_millis()).await {
            Ok(0) => {}
            Ok(n) => {
                metrics.erased("retention", n);
                tracing::info!(erased = n, "retention: visitors erased");
            }
            Err(e) => tracing::warn!(error = %e, "retention sweep failed; next hour again"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cut_off_is_whole_days_back_and_never_before_the_epoch() {
        assert_eq!(cut_off(10 * DAY_MS + 5, 3), 7 * DAY_MS + 5);
        assert_eq!(cut_off(DAY_MS, 30), 0);
    }
}
