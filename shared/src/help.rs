//! Help articles: a site's answers to the questions visitors ask most,
//! written in the console (title and light-markdown body, in one of the
//! widget's languages) and offered in the widget — in a help view with a
//! search box, and as suggestions while the visitor writes their first
//! message. The server searches (`server/src/help.rs`); the widget only
//! shows what it is sent.
//!
//! The console's form is checked by [`ArticleDraft::check`] on both sides,
//! so the owner reads the problem beside the field rather than as a
//! refusal.

use crate::ids::{ArticleId, SiteId};
use crate::protocol::Millis;
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 150;
/// Longest body, in characters (an article frame stays far below
/// [`crate::limits::MAX_FRAME_BYTES`] whatever the script).
pub const MAX_BODY_CHARS: usize = 10_000;
/// Most articles one site may have.
pub const MAX_ARTICLES_PER_SITE: usize = 200;
/// Longest search a visitor may send, in characters (a first message is
/// searched by its beginning).
pub const MAX_QUERY_CHARS: usize = 300;
/// Most articles one search returns.
pub const MAX_HITS: usize = 5;
/// Longest excerpt of a body a search hit carries, in characters.
pub const EXCERPT_CHARS: usize = 140;

/// An article as stored and as the widget reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Article {
    /// Id.
    pub id: ArticleId,
    /// The site it helps on.
    pub site: SiteId,
    /// Its language, one of the widget's (`en`, `ar`, `fa`): visitors of
    /// that language see it first.
    pub lang: String,
    /// The question it answers, 1–150 characters.
    pub title: String,
    /// The answer in light markdown ([`crate::markup`]), 1–10,000
    /// characters.
    pub body: String,
    /// When it was last written (ms since the epoch).
    pub updated_at: Millis,
}

/// How an article has been used since it was written, for the console and
/// reports. `asked_after ≤ opens`, give or take a visitor who opened it
/// on two connections.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleStats {
    /// Times a visitor opened it in the widget.
    pub opens: u64,
    /// Of those, times the visitor still wrote to the team afterwards
    /// (their next message on the same connection): the article did not
    /// answer them.
    pub asked_after: u64,
}

impl ArticleStats {
    /// Opens after which the visitor did not write: the article (probably)
    /// answered them.
    pub fn self_served(&self) -> u64 {
        self.opens.saturating_sub(self.asked_after)
    }
}

/// Which of an article's counters to add one to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleCount {
    /// A visitor opened it.
    Opened,
    /// A visitor who opened it wrote to the team afterwards.
    AskedAfter,
}

/// `GET /api/sites/{site}/articles`: an article with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleListing {
    /// The article.
    pub article: Article,
    /// Its figures.
    pub stats: ArticleStats,
}

/// `POST /api/sites/{site}/articles` and `PUT …/{id}`: what the console's
/// form sends.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleDraft {
    /// Language: `en`, `ar` or `fa`.
    pub lang: String,
    /// Title, 1–150 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 150))]
    pub title: String,
    /// Body in light markdown, 1–10,000 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 10000))]
    pub body: String,
}

/// What is wrong with a draft: the field, for the form to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftProblem {
    /// Not one of the widget's languages.
    Lang,
    /// Empty, several lines, or too long.
    Title,
    /// Empty or too long.
    Body,
}

impl DraftProblem {
    /// The field's name on the wire (`lang`, `title`, `body`).
    pub fn field(self) -> &'static str {
        match self {
            DraftProblem::Lang => "lang",
            DraftProblem::Title => "title",
            DraftProblem::Body => "body",
        }
    }
}

impl ArticleDraft {
    /// The draft as it would be kept (title and body trimmed), or what is
    /// wrong with it.
    pub fn check(&self) -> Result<ArticleDraft, DraftProblem> {
        let lang = self.lang.trim();
        if !crate::locale::CODES.contains(&lang) {
            return Err(DraftProblem::Lang);
        }
        let title = self.title.trim();
        if title.is_empty()
            || title.chars().count() > MAX_TITLE_CHARS
            || title.contains(['\n', '\r'])
        {
            return Err(DraftProblem::Title);
        }
        let body = self.body.trim();
        if body.is_empty() || body.chars().count() > MAX_BODY_CHARS {
            return Err(DraftProblem::Body);
        }
        Ok(ArticleDraft {
            lang: lang.to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
        })
    }
}

/// An article as a search lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ArticleHit {
    /// Id (ask for the whole article with an `article` frame).
    pub id: ArticleId,
    /// Title.
    pub title: String,
    /// The body's beginning as plain text, at most [`EXCERPT_CHARS`].
    pub excerpt: String,
    /// Its language.
    pub lang: String,
}

/// Why a visitor's `help` frame was sent: the server searches alike, but
/// a suggestion under the composer needs a closer match than a list the
/// visitor asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HelpAsk {
    /// The help view's search box (an empty query lists the articles in
    /// the visitor's language).
    #[default]
    Search,
    /// The first message as the visitor types it.
    Suggest,
}

/// The beginning of a body as one line of plain text (markdown removed,
/// list items joined by ` · `), cut after a word to at most `max` characters
/// with `…` when something was left out: what a list shows of an article.
pub fn excerpt(body: &str, max: usize) -> String {
    let text = crate::markup::plain(&crate::markup::parse(body));
    let mut line = String::with_capacity(text.len().min(max * 4));
    for part in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (item, rest) = match list_marker(part) {
            Some(rest) => (true, rest),
            None => (false, part),
        };
        if !line.is_empty() {
            let after_stop = line.ends_with([':', '.', ';', '!', '?', '،', '؛', '؟']);
            line.push_str(if item && !after_stop { " · " } else { " " });
        }
        line.extend(rest.split_whitespace().flat_map(|w| [w, " "]));
        line.pop();
        if line.chars().count() > max {
            break;
        }
    }
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max.saturating_sub(1)).collect();
    let at_word = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        at_word.trim_end_matches([',', '.', ';', ':', '·', ' ', '،', '؛'])
    )
}

/// What follows a plain-text list marker (`- `, `12. `), if the line has one.
fn list_marker(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("- ") {
        return Some(rest);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0)
        .then(|| line[digits..].strip_prefix(". "))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(lang: &str, title: &str, body: &str) -> ArticleDraft {
        ArticleDraft {
            lang: lang.into(),
            title: title.into(),
            body: body.into(),
        }
    }

    #[test]
    fn a_draft_is_trimmed_and_checked_field_by_field() {
        let ok = draft(" ar ", "  كيف أغيّر كلمة المرور؟ ", "\n**من** الإعدادات.\n");
        let kept = ok.check().unwrap();
        assert_eq!(kept.lang, "ar");
        assert_eq!(kept.title, "كيف أغيّر كلمة المرور؟");
        assert_eq!(kept.body, "**من** الإعدادات.");
        assert_eq!(draft("de", "t", "b").check(), Err(DraftProblem::Lang));
        assert_eq!(draft("en", " ", "b").check(), Err(DraftProblem::Title));
        assert_eq!(draft("en", "a\nb", "b").check(), Err(DraftProblem::Title));
        let long = "x".repeat(MAX_TITLE_CHARS + 1);
        assert_eq!(draft("en", &long, "b").check(), Err(DraftProblem::Title));
        // Characters, not bytes: a full-length Arabic title is fine.
        let arabic = "ع".repeat(MAX_TITLE_CHARS);
        assert!(draft("ar", &arabic, "b").check().is_ok());
        assert_eq!(draft("en", "t", "  ").check(), Err(DraftProblem::Body));
        let body = "y".repeat(MAX_BODY_CHARS + 1);
        assert_eq!(draft("en", "t", &body).check(), Err(DraftProblem::Body));
        assert_eq!(DraftProblem::Body.field(), "body");
    }

    #[test]
    fn an_excerpt_is_one_plain_line_cut_after_a_word() {
        let body =
            "Open **Settings**, then *Security*:\n\n- choose a new password\n- sign in again";
        assert_eq!(
            excerpt(body, EXCERPT_CHARS),
            "Open Settings, then Security: choose a new password · sign in again"
        );
        assert_eq!(excerpt("1. one\n2. two", 50), "one · two");
        assert_eq!(excerpt("a\n\n b", 50), "a b");
        let long = "word ".repeat(100);
        let cut = excerpt(&long, EXCERPT_CHARS);
        assert!(cut.chars().count() <= EXCERPT_CHARS, "{cut}");
        assert!(cut.ends_with("word…"), "{cut}");
        // Characters, not bytes.
        let arabic = "كلمة ".repeat(60);
        let cut = excerpt(&arabic, 20);
        assert_eq!(cut, "كلمة كلمة كلمة…");
    }

    #[test]
    fn self_served_never_goes_below_zero() {
        let s = ArticleStats {
            opens: 5,
            asked_after: 2,
        };
        assert_eq!(s.self_served(), 3);
        let odd = ArticleStats {
            opens: 1,
            asked_after: 2,
        };
        assert_eq!(odd.self_served(), 0);
    }
}
