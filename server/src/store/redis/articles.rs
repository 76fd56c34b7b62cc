//! Help articles in Redis (keys in the parent's table): one hash of
//! articles per site and one of their counters, so counting is an
//! `HINCRBY` that never rewrites an article. Adding checks the site's cap
//! in the same script as the write (`put_article.lua`).

use super::{from_json, to_json, unavailable, RedisStore, Reply};
use crate::store::{StoreError, StoreResult};
use redis::AsyncCommands;
use shared::help::{Article, ArticleCount, ArticleListing, ArticleStats, MAX_ARTICLES_PER_SITE};
use shared::{ArticleId, ErrorCode, SiteId};
use std::collections::HashMap;

impl RedisStore {
    fn articles_key(&self, site: &SiteId) -> String {
        self.key(&format!("articles:{site}"))
    }

    fn article_stats_key(&self, site: &SiteId) -> String {
        self.key(&format!("article_stats:{site}"))
    }

    pub(super) async fn art_list(&self, site: &SiteId) -> StoreResult<Vec<ArticleListing>> {
        let (jsons, counters): (Vec<String>, HashMap<String, u64>) = redis::pipe()
            .hvals(self.articles_key(site))
            .hgetall(self.article_stats_key(site))
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        let figure = |id: &ArticleId, counter: &str| {
            counters
                .get(&format!("{id}:{counter}"))
                .copied()
                .unwrap_or(0)
        };
        let mut all = jsons
            .iter()
            .map(|j| {
                let article: Article = from_json(j)?;
                let stats = ArticleStats {
                    opens: figure(&article.id, "o"),
                    asked_after: figure(&article.id, "a"),
                };
                Ok(ArticleListing { article, stats })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        crate::help::sort_listings(&mut all);
        Ok(all)
    }

    pub(super) async fn art_any(&self, site: &SiteId) -> StoreResult<bool> {
        // A hash with no field left does not exist.
        self.conn
            .clone()
            .exists(self.articles_key(site))
            .await
            .map_err(unavailable)
    }

    pub(super) async fn art_one(
        &self,
        site: &SiteId,
        id: &ArticleId,
    ) -> StoreResult<Option<Article>> {
        let json: Option<String> = self
            .conn
            .clone()
            .hget(self.articles_key(site), id.as_str())
            .await
            .map_err(unavailable)?;
        json.map(|j| from_json(&j)).transpose()
    }

    pub(super) async fn art_put(&self, article: &Article, insert: bool) -> StoreResult<()> {
        let cap = MAX_ARTICLES_PER_SITE.to_string();
        let reply = self
            .run_raw(
                &self.scripts.put_article,
                &[
                    article.site.as_str(),
                    article.id.as_str(),
                    &to_json(article)?,
                    if insert { "insert" } else { "update" },
                    &cap,
                ],
            )
            .await?;
        if reply.first().map(String::as_str) == Some("too_many") {
            return Err(StoreError::Refused(ErrorCode::TooManyArticles));
        }
        Reply::new(reply).map(|_| ())
    }

    pub(super) async fn art_delete(&self, site: &SiteId, id: &ArticleId) -> StoreResult<()> {
        let (gone, _): (i64, i64) = redis::pipe()
            .atomic()
            .hdel(self.articles_key(site), id.as_str())
            .hdel(
                self.article_stats_key(site),
                &[format!("{id}:o"), format!("{id}:a")],
            )
            .query_async(&mut self.conn.clone())
            .await
            .map_err(unavailable)?;
        if gone == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub(super) async fn art_count(
        &self,
        site: &SiteId,
        id: &ArticleId,
        what: ArticleCount,
    ) -> StoreResult<()> {
        let counter = match what {
            ArticleCount::Opened => "o",
            ArticleCount::AskedAfter => "a",
        };
        self.run(
            &self.scripts.count_article,
            &[site.as_str(), id.as_str(), counter],
        )
        .await
        .map(|_| ())
    }
}
