//! Help articles as plain data: the help view (its search box, what the
//! server found, the article being read) and the suggestions offered while
//! the visitor writes their first message. Part of
//! [`crate::chat::ChatState`]; unit-tested natively. The server searches;
//! this only keeps the latest answer to the latest question, so a slow
//! answer to an older one never replaces a newer one.

use shared::help::{Article, ArticleHit, HelpAsk, MAX_QUERY_CHARS};
use shared::{ArticleId, ErrorCode};

/// Shortest draft, in characters, worth a suggestion (a greeting is not
/// a question).
pub const SUGGEST_FROM_CHARS: usize = 8;
/// Most suggestions shown under the composer.
pub const SUGGESTIONS_SHOWN: usize = 3;

/// Where the article being read was opened from: "back" returns there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The help view's list.
    List,
    /// A suggestion under the composer.
    Chat,
}

/// The help part of the chat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Help {
    /// The help view stands in the conversation's place.
    view_open: bool,
    /// The search box's text as last sent.
    query: String,
    /// The hits for `query` (`None` until answered).
    hits: Option<Vec<ArticleHit>>,
    /// The draft last asked about, and the suggestions for it.
    suggest_query: Option<String>,
    suggestions: Vec<ArticleHit>,
    /// The visitor hid the suggestions: none until they send.
    suggestions_hidden: bool,
    /// Asked for, not arrived yet.
    loading: Option<(ArticleId, Source)>,
    /// Being read.
    reading: Option<(Article, Source)>,
    /// The article asked for is gone.
    gone: bool,
}

impl Help {
    /// Whether the help view stands in the conversation's place.
    pub fn view_open(&self) -> bool {
        self.view_open || self.reading.is_some() || self.loading.is_some()
    }

    /// The article being read.
    pub fn reading(&self) -> Option<&Article> {
        self.reading.as_ref().map(|(a, _)| a)
    }

    /// Whether "back" from the article returns to the chat.
    pub fn read_from_chat(&self) -> bool {
        matches!(
            self.reading
                .as_ref()
                .map(|(_, f)| *f)
                .or(self.loading.as_ref().map(|(_, f)| *f)),
            Some(Source::Chat)
        )
    }

    /// Whether an article is on its way.
    pub fn loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The article asked for was gone.
    pub fn gone(&self) -> bool {
        self.gone
    }

    /// The search box's text as last sent.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// What the search found (`None` while waiting).
    pub fn hits(&self) -> Option<&[ArticleHit]> {
        self.hits.as_deref()
    }

    /// The suggestions to show for `draft`: those found for it (or for
    /// what it was a moment ago, while the newer answer is on its way) —
    /// none once hidden or when the draft is too short.
    pub fn suggestions(&self, draft: &str) -> &[ArticleHit] {
        if self.suggestions_hidden || draft.trim().chars().count() < SUGGEST_FROM_CHARS {
            return &[];
        }
        let shown = self.suggestions.len().min(SUGGESTIONS_SHOWN);
        &self.suggestions[..shown]
    }

    // ----- the visitor's verbs ------------------------------------------

    /// Opens the help view on its list. Returns the query to send when
    /// the list is not there yet.
    pub fn open_view(&mut self) -> Option<String> {
        self.view_open = true;
        self.reading = None;
        self.loading = None;
        self.gone = false;
        self.hits.is_none().then(|| self.query.clone())
    }

    /// Back to the conversation.
    pub fn close_view(&mut self) {
        self.view_open = false;
        self.reading = None;
        self.loading = None;
        self.gone = false;
    }

    /// Back from an article: to the chat or the list it came from.
    pub fn back(&mut self) -> Option<String> {
        if self.read_from_chat() {
            self.close_view();
            return None;
        }
        self.open_view()
    }

    /// The visitor typed in the search box: the query to send, if it
    /// changed (cut to the most the server takes).
    pub fn search(&mut self, typed: &str) -> Option<String> {
        let query: String = typed.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query == self.query && self.hits.is_some() {
            return None;
        }
        self.query = query.clone();
        self.hits = None;
        Some(query)
    }

    /// The draft changed: the query to send for suggestions, if any —
    /// only before the first message (`first`), for a draft long enough,
    /// and not again for the same text.
    pub fn draft_changed(&mut self, draft: &str, first: bool) -> Option<String> {
        if !first || self.suggestions_hidden {
            return None;
        }
        let query: String = draft.trim().chars().take(MAX_QUERY_CHARS).collect();
        if query.chars().count() < SUGGEST_FROM_CHARS {
            self.suggestions.clear();
            self.suggest_query = None;
            return None;
        }
        if self.suggest_query.as_deref() == Some(query.as_str()) {
            return None;
        }
        self.suggest_query = Some(query.clone());
        Some(query)
    }

    /// The visitor hid the suggestions.
    pub fn hide_suggestions(&mut self) {
        self.suggestions_hidden = true;
    }

    /// The visitor sent a message: suggestions are for the first one.
    pub fn sent(&mut self) {
        self.suggestions.clear();
        self.suggest_query = None;
    }

    /// The visitor opened an article: the id to ask for.
    pub fn open_article(&mut self, id: ArticleId, from: Source) -> ArticleId {
        self.gone = false;
        self.reading = None;
        self.loading = Some((id.clone(), from));
        id
    }

    // ----- the server's answers -------------------------------------------

    /// A `help` frame: kept if it answers the latest question of its kind.
    pub fn found(&mut self, query: String, ask: HelpAsk, articles: Vec<ArticleHit>) {
        match ask {
            HelpAsk::Search if query == self.query => self.hits = Some(articles),
            HelpAsk::Suggest if self.suggest_query.as_ref() == Some(&query) => {
                self.suggestions = articles;
            }
            _ => {}
        }
    }

    /// An `article` frame: shown if it is the one asked for last.
    pub fn arrived(&mut self, article: Article) {
        if let Some((id, from)) = self.loading.take() {
            if id == article.id {
                self.reading = Some((article, from));
            } else {
                self.loading = Some((id, from));
            }
        }
    }

    /// An `error` frame with no send of its own: whether it was about an
    /// article asked for (then the view says so; nothing else to show).
    pub fn refused(&mut self, code: ErrorCode) -> bool {
        if code == ErrorCode::NotFound && self.loading.is_some() {
            self.loading = None;
            self.view_open = true;
            self.gone = true;
            return true;
        }
        false
    }

    /// The connection came back: what to ask again (in the widget's
    /// language `lang`) (an article on its
    /// way, the search shown, the suggestion asked) — answers to the old
    /// connection's questions are lost with it.
    pub fn to_resend(&self, lang: &str) -> Vec<shared::VisitorClientFrame> {
        let mut out = Vec::new();
        if let Some((id, _)) = &self.loading {
            out.push(shared::VisitorClientFrame::Article { id: id.clone() });
        }
        let list_shown = self.view_open && self.loading.is_none() && self.reading.is_none();
        if list_shown && self.hits.is_none() {
            out.push(shared::VisitorClientFrame::Help {
                query: self.query.clone(),
                ask: HelpAsk::Search,
                lang: Some(lang.to_owned()),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::SiteId;

    fn hit(id: &str) -> ArticleHit {
        ArticleHit {
            id: ArticleId::from(id),
            title: format!("Title {id}"),
            excerpt: String::new(),
            lang: "en".into(),
        }
    }

    fn article(id: &str) -> Article {
        Article {
            id: ArticleId::from(id),
            site: SiteId::from("s_1"),
            lang: "ar".into(),
            title: "كيف أغيّر كلمة المرور؟".into(),
            body: "من الإعدادات.".into(),
            updated_at: 0,
        }
    }

    #[test]
    fn only_the_latest_search_is_shown() {
        let mut help = Help::default();
        assert_eq!(help.open_view(), Some(String::new()), "the list first");
        assert!(help.view_open());
        assert_eq!(help.search("  pass "), Some("pass".into()));
        assert_eq!(help.search("passw"), Some("passw".into()));
        // The answer to "pass" comes after "passw" was asked: ignored.
        help.found("pass".into(), HelpAsk::Search, vec![hit("old")]);
        assert_eq!(help.hits(), None);
        help.found("passw".into(), HelpAsk::Search, vec![hit("new")]);
        assert_eq!(help.hits(), Some(&[hit("new")][..]));
        assert_eq!(help.search("passw"), None, "answered already");
        // Reopening keeps the list and its query.
        help.close_view();
        assert_eq!(help.open_view(), None);
        assert_eq!(help.query(), "passw");
        let long = "x".repeat(MAX_QUERY_CHARS + 50);
        assert_eq!(help.search(&long).unwrap().chars().count(), MAX_QUERY_CHARS);
    }

    #[test]
    fn suggestions_follow_the_first_message_as_it_is_typed() {
        let mut help = Help::default();
        assert_eq!(help.draft_changed("hi", true), None, "too short");
        let draft = "كيف اغير كلمه المرور";
        assert_eq!(help.draft_changed(draft, true), Some(draft.into()));
        assert_eq!(help.draft_changed(draft, true), None, "asked already");
        help.found(
            draft.into(),
            HelpAsk::Suggest,
            vec![hit("a"), hit("b"), hit("c"), hit("d")],
        );
        assert_eq!(help.suggestions(draft).len(), SUGGESTIONS_SHOWN);
        // A search answer never lands among the suggestions.
        help.found("other".into(), HelpAsk::Search, vec![hit("x")]);
        assert_eq!(help.suggestions(draft)[0], hit("a"));
        // Emptied, the draft shows nothing.
        assert!(help.suggestions("").is_empty());
        assert_eq!(help.draft_changed("", true), None);
        assert!(help.suggestions(draft).is_empty(), "cleared with the draft");
        // After the first message: no more.
        assert_eq!(help.draft_changed("where is my order", false), None);
    }

    #[test]
    fn hidden_suggestions_stay_hidden() {
        let mut help = Help::default();
        let draft = "where is my order please";
        help.draft_changed(draft, true);
        help.found(draft.into(), HelpAsk::Suggest, vec![hit("a")]);
        help.hide_suggestions();
        assert!(help.suggestions(draft).is_empty());
        assert_eq!(help.draft_changed("where is my order now", true), None);
        help.sent();
        assert!(help.suggestions(draft).is_empty());
    }

    #[test]
    fn an_article_opened_from_a_suggestion_goes_back_to_the_chat() {
        let mut help = Help::default();
        let id = help.open_article(ArticleId::from("ar_1"), Source::Chat);
        assert_eq!(id.as_str(), "ar_1");
        assert!(help.view_open() && help.loading());
        // Another article's late answer is not this one.
        help.arrived(article("ar_other"));
        assert!(help.reading().is_none() && help.loading());
        help.arrived(article("ar_1"));
        assert_eq!(help.reading().map(|a| a.id.as_str()), Some("ar_1"));
        assert!(help.read_from_chat());
        assert_eq!(help.back(), None);
        assert!(!help.view_open(), "back in the chat");
    }

    #[test]
    fn an_article_opened_from_the_list_goes_back_to_the_list() {
        let mut help = Help::default();
        help.open_view();
        help.found(String::new(), HelpAsk::Search, vec![hit("ar_1")]);
        help.open_article(ArticleId::from("ar_1"), Source::List);
        help.arrived(article("ar_1"));
        assert!(!help.read_from_chat());
        assert_eq!(help.back(), None, "the list is there already");
        assert!(help.view_open() && help.reading().is_none());
    }

    #[test]
    fn a_deleted_article_says_so_in_the_view() {
        let mut help = Help::default();
        assert!(!help.refused(ErrorCode::NotFound), "nothing asked");
        help.open_article(ArticleId::from("ar_gone"), Source::Chat);
        assert!(!help.refused(ErrorCode::RateLimited));
        assert!(help.refused(ErrorCode::NotFound));
        assert!(help.gone() && help.view_open() && !help.loading());
        help.close_view();
        assert!(!help.gone());
    }

    #[test]
    fn after_a_reconnect_what_was_waiting_is_asked_again() {
        let mut help = Help::default();
        assert!(help.to_resend("en").is_empty());
        help.open_view();
        help.search("refund");
        help.open_article(ArticleId::from("ar_1"), Source::List);
        let again = help.to_resend("en");
        assert_eq!(
            again.len(),
            1,
            "the article (the view shows it, not the list)"
        );
        help.arrived(article("ar_1"));
        help.back();
        assert_eq!(
            help.to_resend("ar"),
            vec![shared::VisitorClientFrame::Help {
                query: "refund".into(),
                ask: HelpAsk::Search,
                lang: Some("ar".into()),
            }]
        );
    }
}
