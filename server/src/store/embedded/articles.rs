//! Help articles in SQLite: one row each, the article as JSON in `body`,
//! its counters in columns of their own. The site's cap is checked inside
//! the writer's transaction, so two adds cannot both take the last place.

use super::super::{StoreError, StoreResult};
use super::writer::sql_error;
use rusqlite::{params, Connection, OptionalExtension};
use shared::help::{Article, ArticleCount, ArticleListing, ArticleStats, MAX_ARTICLES_PER_SITE};
use shared::{ArticleId, ErrorCode, SiteId};

fn decode(body: String) -> rusqlite::Result<Article> {
    serde_json::from_str(&body).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn encode(article: &Article) -> StoreResult<String> {
    serde_json::to_string(article).map_err(|e| StoreError::Unavailable(e.to_string()))
}

/// Counters are never negative; read a corrupt one as zero.
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub fn articles(conn: &Connection, site: &SiteId) -> StoreResult<Vec<ArticleListing>> {
    let mut stmt = conn
        .prepare_cached("SELECT body, opens, asked_after FROM articles WHERE site = ?1")
        .map_err(sql_error)?;
    let rows = stmt
        .query_map([site.as_str()], |r| {
            Ok(ArticleListing {
                article: decode(r.get(0)?)?,
                stats: ArticleStats {
                    opens: count(r.get(1)?),
                    asked_after: count(r.get(2)?),
                },
            })
        })
        .map_err(sql_error)?;
    let mut all: Vec<ArticleListing> = rows.collect::<Result<_, _>>().map_err(sql_error)?;
    crate::help::sort_listings(&mut all);
    Ok(all)
}

pub fn has_articles(conn: &Connection, site: &SiteId) -> StoreResult<bool> {
    conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM articles WHERE site = ?1)")
        .and_then(|mut s| s.query_row([site.as_str()], |r| r.get(0)))
        .map_err(sql_error)
}

pub fn article(conn: &Connection, site: &SiteId, id: &ArticleId) -> StoreResult<Option<Article>> {
    conn.prepare_cached("SELECT body FROM articles WHERE id = ?1 AND site = ?2")
        .and_then(|mut s| {
            s.query_row([id.as_str(), site.as_str()], |r| decode(r.get(0)?))
                .optional()
        })
        .map_err(sql_error)
}

pub fn insert_article(conn: &Connection, article: &Article) -> StoreResult<()> {
    let held: i64 = conn
        .prepare_cached("SELECT COUNT(*) FROM articles WHERE site = ?1")
        .and_then(|mut s| s.query_row([article.site.as_str()], |r| r.get(0)))
        .map_err(sql_error)?;
    if usize::try_from(held).unwrap_or(usize::MAX) >= MAX_ARTICLES_PER_SITE {
        return Err(StoreError::Refused(ErrorCode::TooManyArticles));
    }
    let added = conn
        .execute(
            "INSERT OR IGNORE INTO articles (id, site, body) VALUES (?1, ?2, ?3)",
            params![article.id.as_str(), article.site.as_str(), encode(article)?],
        )
        .map_err(sql_error)?;
    if added == 0 {
        return Err(StoreError::Conflict);
    }
    Ok(())
}

pub fn update_article(conn: &Connection, article: &Article) -> StoreResult<()> {
    let changed = conn
        .execute(
            "UPDATE articles SET body = ?3 WHERE id = ?1 AND site = ?2",
            params![article.id.as_str(), article.site.as_str(), encode(article)?],
        )
        .map_err(sql_error)?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub fn delete_article(conn: &Connection, site: &SiteId, id: &ArticleId) -> StoreResult<()> {
    let gone = conn
        .execute(
            "DELETE FROM articles WHERE id = ?1 AND site = ?2",
            [id.as_str(), site.as_str()],
        )
        .map_err(sql_error)?;
    if gone == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

pub fn count_article(
    conn: &Connection,
    site: &SiteId,
    id: &ArticleId,
    what: ArticleCount,
) -> StoreResult<()> {
    let sql = match what {
        ArticleCount::Opened => "UPDATE articles SET opens = opens + 1 WHERE id = ?1 AND site = ?2",
        ArticleCount::AskedAfter => {
            "UPDATE articles SET asked_after = asked_after + 1 WHERE id = ?1 AND site = ?2"
        }
    };
    conn.execute(sql, [id.as_str(), site.as_str()])
        .map_err(sql_error)?;
    Ok(())
}
