//! The visitor socket's help frames: searching a site's articles and
//! reading one ([`crate::help`] finds them), with what the connection
//! keeps for it — a rate limit and the articles read since the visitor
//! last wrote, which count as "asked after" when they write.

use super::frames::SendLimiter;
use crate::config::SendRate;
use crate::help::Trail;
use crate::reports::tally;
use crate::store::{Store, StoreError, StoreResult};
use shared::help::{ArticleCount, ArticleHit, HelpAsk, MAX_QUERY_CHARS};
use shared::{ArticleId, SiteId};
use std::time::Instant;

/// Searches and reads a visitor may ask for at once, and per second after
/// that; more are refused (`rate_limited`). The widget asks at most about
/// three times a second while the visitor types.
const ASKS: SendRate = SendRate {
    burst: 10,
    per_second: 4,
};

/// What one connection keeps once it has asked for help (boxed in the
/// connection: most never do).
pub struct Reading {
    limiter: SendLimiter,
    trail: Trail,
}

impl Default for Reading {
    /// A connection's first ask.
    fn default() -> Self {
        Self {
            limiter: SendLimiter::new(Instant::now(), ASKS),
            trail: Trail::default(),
        }
    }
}

impl Reading {
    /// Whether one more ask is allowed now.
    pub fn allow(&mut self) -> bool {
        self.limiter.allow(Instant::now())
    }

    /// The visitor opened `id`.
    pub fn opened(&mut self, id: ArticleId) {
        self.trail.opened(id);
    }

    /// The visitor wrote: the articles to count as asked-after.
    pub fn wrote(&mut self) -> Vec<ArticleId> {
        self.trail.wrote()
    }
}

/// Why a query is refused, for a `bad_request`.
pub fn check_query(query: &str) -> Result<(), String> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(format!(
            "A help search is at most {MAX_QUERY_CHARS} characters."
        ));
    }
    Ok(())
}

/// The articles of `site` that answer `query` for a visitor of `lang`.
pub async fn find(
    store: &dyn Store,
    site: &SiteId,
    query: &str,
    ask: HelpAsk,
    lang: &str,
) -> StoreResult<Vec<ArticleHit>> {
    let all = store.articles(site).await?;
    // Folding every article's words is up to a few MB of text for a full
    // help centre: off the socket's thread, so other sockets do not wait.
    let (query, lang) = (query.to_owned(), lang.to_owned());
    tokio::task::spawn_blocking(move || crate::help::find(&all, &query, ask, &lang))
        .await
        .map_err(|e| StoreError::Unavailable(format!("help search: {e}")))
}

/// Counts `what` for each article, and in the site's report for this
/// hour, logging (not failing on) a store error: a figure must never cost
/// the visitor their message or page.
pub async fn count(store: &dyn Store, site: &SiteId, ids: &[ArticleId], what: ArticleCount) {
    if ids.is_empty() {
        return;
    }
    for id in ids {
        if let Err(e) = store.count_article(site, id, what).await {
            tracing::warn!(error = %e, article = %id, "an article's figure was not counted");
        }
    }
    let field = match what {
        ArticleCount::Opened => tally::field::HELP_OPENED,
        ArticleCount::AskedAfter => tally::field::HELP_ASKED,
    };
    let counts = vec![tally::Count {
        dim: tally::Dim::Site.key(),
        field: field.to_owned(),
        value: i64::try_from(ids.len()).unwrap_or(i64::MAX),
        op: tally::TallyOp::Add,
    }];
    let hour = tally::hour_of(crate::clock::now_millis());
    if let Err(e) = store.tally(site, hour, counts).await {
        tracing::warn!(error = %e, "a help figure was not counted in the report");
    }
}
