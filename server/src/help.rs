//! Help articles: finding the ones that answer what a visitor typed, and
//! what the widget's help view lists. Plain code over a site's articles
//! as the store returns them (a site has at most
//! [`MAX_ARTICLES_PER_SITE`](shared::help::MAX_ARTICLES_PER_SITE), so each
//! search reads them and scores them all — no index to keep in step on
//! every node), unit-tested here.
//!
//! Words are folded by [`crate::search`] — case and accents, Arabic and
//! Persian letter forms (`أ إ آ` → `ا`, `ى ی` → `ي`, `ة` → `ه`, `ک` → `ك`),
//! harakat, tatweel and half-spaces — so `كيف اغير كلمه المرور` finds
//! `كيف أغيّر كلمة المرور؟`. On top of that, for articles only:
//! - the Arabic article `ال` and its common clitics (`وال بال فال كال لل`)
//!   are set aside, so `مرور` finds `المرور`;
//! - a query word matches the start of a word (`pass` finds "password");
//! - the words that carry no meaning in a question ("how", "my", `كيف`,
//!   `من`, `چطور`…) are ignored, so they match nothing on their own.
//!
//! A query word found in an article's title weighs [`TITLE`], in its body
//! [`BODY`]. A search (the help view's box) lists every article with some
//! weight, heaviest first; a suggestion (the first message as typed) needs
//! a title match and, for a longer message, more than one word found, so
//! the widget does not offer an article for every sentence.

use crate::search;
use shared::help::{Article, ArticleHit, ArticleListing, HelpAsk, EXCERPT_CHARS, MAX_HITS};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Weight of a query word found in a title.
pub const TITLE: u32 = 3;
/// Weight of a query word found in a body only.
pub const BODY: u32 = 1;
/// Most articles an empty search lists (the help view's first page).
pub const LISTED: usize = 20;

/// Words that say nothing about what is asked, in the widget's languages,
/// folded like the words they are compared with.
static STOP_WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    const EN: &str = "a an the i me my mine you your we our us it its is are was were be been \
        am do does did doing done have has had can could would should will shall may might \
        must to of in on at by for from with about into over as and or but if then so not no \
        yes how what where when why who which whom this that these those there here hi hello \
        hey please thanks thank help want need get got some any";
    const AR: &str = "في من على الى إلى عن ما ماذا كيف هل متى اين أين لماذا كم و او أو ثم \
        انا أنا انت أنت نحن هو هي هذا هذه ذلك تلك التي الذي الذين مع لا نعم لم لن قد \
        مرحبا السلام عليكم شكرا لو ممكن اريد أريد عندي لدي لي يا اي أي كل بعد قبل عند";
    const FA: &str = "از به در با که را این آن من تو ما شما او چه چطور چگونه کجا کی آیا \
        برای و یا است هست نیست بود می نمی سلام لطفا ممنون مرسی خواهم میخواهم \
        چرا چند هم یک باید";
    [EN, AR, FA]
        .iter()
        .flat_map(|list| list.split_whitespace())
        .map(search::fold)
        .collect()
});

/// The Arabic definite article and the clitics that come before it.
const ARTICLE_PREFIXES: [&str; 6] = ["وال", "بال", "فال", "كال", "لل", "ال"];

/// `word` without a leading definite article, when enough is left to be a
/// word of its own (`المرور` → `مرور`; `الا` stays).
fn core(word: &str) -> &str {
    for prefix in ARTICLE_PREFIXES {
        if let Some(rest) = word.strip_prefix(prefix) {
            if rest.chars().count() >= 2 {
                return rest;
            }
        }
    }
    word
}

/// Whether the article word `word` answers the query word `query`: it
/// starts with it, with or without their definite articles.
fn matches(word: &str, query: &str) -> bool {
    word.starts_with(query) || core(word).starts_with(core(query))
}

/// The query words that can match something: folded, distinct, neither
/// stop words nor single letters.
/// At most [`search::MAX_QUERY_WORDS`], in the order typed (the cap
/// counts only these: "how do I…" does not use it up).
pub fn meaningful_words(query: &str) -> Vec<String> {
    search::query_words_where(query, |w| w.chars().count() >= 2 && !STOP_WORDS.contains(w))
}

/// How well one article answers `words`: its weight, and whether its
/// title matched any.
fn score(article: &Article, words: &[String]) -> (u32, bool) {
    let title = search::words(&article.title);
    let body = search::words(&article.body);
    let mut weight = 0;
    let mut in_title = false;
    for q in words {
        if title.iter().any(|w| matches(w, q)) {
            weight += TITLE;
            in_title = true;
        } else if body.iter().any(|w| matches(w, q)) {
            weight += BODY;
        }
    }
    (weight, in_title)
}

/// Whether a suggestion is close enough to show under the composer: a
/// title match, and for a message of several meaningful words at least
/// [`TITLE`] + [`BODY`] of weight (two words found).
fn close_enough(weight: u32, in_title: bool, words: usize) -> bool {
    in_title && (words == 1 || weight > TITLE)
}

/// The articles of `all` that answer `query`, best first, at most
/// [`MAX_HITS`] — or, for an empty search, those in the visitor's language
/// `lang` (all of them when none is in it), by title, at most [`LISTED`].
/// Ties go to the visitor's language, then to the title.
pub fn find(all: &[ArticleListing], query: &str, ask: HelpAsk, lang: &str) -> Vec<ArticleHit> {
    if query.trim().is_empty() {
        if ask == HelpAsk::Suggest {
            return Vec::new();
        }
        let mine: Vec<&Article> = all
            .iter()
            .map(|l| &l.article)
            .filter(|a| a.lang == lang)
            .collect();
        let listed = if mine.is_empty() {
            all.iter().map(|l| &l.article).collect()
        } else {
            mine
        };
        return listed.into_iter().take(LISTED).map(hit).collect();
    }
    let words = meaningful_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(u32, bool, &Article)> = all
        .iter()
        .map(|l| &l.article)
        .filter_map(|a| {
            let (weight, in_title) = score(a, &words);
            let keep = match ask {
                HelpAsk::Search => weight > 0,
                HelpAsk::Suggest => close_enough(weight, in_title, words.len()),
            };
            keep.then_some((weight, a.lang == lang, a))
        })
        .collect();
    found.sort_by(|(w1, l1, a1), (w2, l2, a2)| {
        w2.cmp(w1)
            .then(l2.cmp(l1))
            .then_with(|| a1.title.cmp(&a2.title))
    });
    found
        .into_iter()
        .take(MAX_HITS)
        .map(|(_, _, a)| hit(a))
        .collect()
}

/// An article as a search lists it: its body's beginning as plain text.
fn hit(article: &Article) -> ArticleHit {
    ArticleHit {
        id: article.id.clone(),
        title: article.title.clone(),
        excerpt: shared::help::excerpt(&article.body, EXCERPT_CHARS),
        lang: article.lang.clone(),
    }
}

/// The order every store lists a site's articles in: by language, then
/// title, then id (stable for equal titles).
pub fn sort_listings(all: &mut [ArticleListing]) {
    all.sort_by(|a, b| {
        (&a.article.lang, &a.article.title, &a.article.id).cmp(&(
            &b.article.lang,
            &b.article.title,
            &b.article.id,
        ))
    });
}

/// The articles one visitor connection opened since the visitor last
/// wrote: when they write, each counts as "asked after" once.
#[derive(Debug, Default)]
pub struct Trail {
    opened: Vec<shared::ArticleId>,
}

/// Articles remembered per connection at most (a visitor reading more
/// before writing counts for the latest ones).
const TRAIL: usize = 16;

impl Trail {
    /// The visitor opened `id`.
    pub fn opened(&mut self, id: shared::ArticleId) {
        if self.opened.contains(&id) {
            return;
        }
        if self.opened.len() == TRAIL {
            self.opened.remove(0);
        }
        self.opened.push(id);
    }

    /// The visitor wrote: the articles to count as asked-after, forgotten
    /// (the next message counts nothing unless they open more).
    pub fn wrote(&mut self) -> Vec<shared::ArticleId> {
        std::mem::take(&mut self.opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{ArticleId, SiteId};

    fn listing(id: &str, lang: &str, title: &str, body: &str) -> ArticleListing {
        ArticleListing {
            article: Article {
                id: ArticleId::from(id),
                site: SiteId::from("s_1"),
                lang: lang.into(),
                title: title.into(),
                body: body.into(),
                updated_at: 0,
            },
            stats: Default::default(),
        }
    }

    fn ids(hits: &[ArticleHit]) -> Vec<&str> {
        hits.iter().map(|h| h.id.as_str()).collect()
    }

    fn corpus() -> Vec<ArticleListing> {
        let mut all = vec![
            listing(
                "ar_pw",
                "ar",
                "كيف أغيّر كلمة المرور؟",
                "من **الإعدادات** اختر الأمان ثم كلمة المرور.",
            ),
            listing(
                "ar_ship",
                "ar",
                "متى يصل طلبي؟",
                "يصل الطلب خلال ثلاثة أيام عمل إلى المدن الكبرى.",
            ),
            listing(
                "fa_pw",
                "fa",
                "چطور رمز عبورم را عوض کنم؟",
                "در صفحهٔ تنظیمات، بخش امنیت را باز کنید.",
            ),
            listing(
                "en_pw",
                "en",
                "Resetting your password",
                "Open *Settings*, then Security, and choose a new password.",
            ),
            listing(
                "en_ship",
                "en",
                "Where is my order?",
                "Orders ship within 2 days; the tracking link is in your email.",
            ),
            listing(
                "en_refund",
                "en",
                "Refunds",
                "We refund any order within 30 days. Write to us with the order number.",
            ),
        ];
        sort_listings(&mut all);
        all
    }

    #[test]
    fn arabic_questions_find_articles_whatever_the_alef_yeh_and_teh_forms() {
        let all = corpus();
        // Plain alef for أ, heh for ة, no shadda, no question mark.
        let hits = find(&all, "كيف اغير كلمه المرور", HelpAsk::Suggest, "ar");
        assert_eq!(ids(&hits), ["ar_pw"]);
        // Alef maqsura for the final yeh, Persian yeh inside.
        let hits = find(&all, "متى يصل طلبى", HelpAsk::Search, "ar");
        assert_eq!(ids(&hits), ["ar_ship"]);
        let hits = find(&all, "متی یصل طلبي", HelpAsk::Search, "ar");
        assert_eq!(ids(&hits), ["ar_ship"]);
        // With harakat and tatweel.
        let hits = find(&all, "كَلِمَة المـرور", HelpAsk::Search, "ar");
        assert_eq!(ids(&hits), ["ar_pw"]);
    }

    #[test]
    fn the_arabic_article_is_set_aside_on_either_side() {
        let all = corpus();
        assert_eq!(ids(&find(&all, "مرور", HelpAsk::Search, "ar")), ["ar_pw"]);
        assert_eq!(
            ids(&find(&all, "الطلب", HelpAsk::Search, "ar")),
            ["ar_ship"]
        );
        assert_eq!(core("المرور"), "مرور");
        assert_eq!(core("والمدن"), "مدن");
        assert_eq!(core("الا"), "الا", "too short to be article + word");
    }

    #[test]
    fn persian_keyboard_letters_find_arabic_spellings_and_back() {
        let all = corpus();
        // Arabic kaf and yeh typed for the article's Persian ones.
        let hits = find(&all, "رمز عبور عوض كنم", HelpAsk::Suggest, "fa");
        assert_eq!(ids(&hits), ["fa_pw"]);
        // A half-space left out.
        let hits = find(&all, "صفحه تنظيمات", HelpAsk::Search, "fa");
        assert_eq!(ids(&hits), ["fa_pw"]);
    }

    #[test]
    fn english_searches_match_word_starts_and_rank_titles_first() {
        let all = corpus();
        // "order" is in two titles' or bodies' words: the title wins.
        let hits = find(&all, "order", HelpAsk::Search, "en");
        assert_eq!(ids(&hits), ["en_ship", "en_refund"]);
        assert_eq!(ids(&find(&all, "PASSW", HelpAsk::Search, "en")), ["en_pw"]);
        assert!(
            find(&all, "swor", HelpAsk::Search, "en").is_empty(),
            "not inside"
        );
    }

    #[test]
    fn stop_words_and_single_letters_find_nothing() {
        let all = corpus();
        assert!(find(&all, "how do I", HelpAsk::Search, "en").is_empty());
        assert!(find(&all, "كيف هل من", HelpAsk::Search, "ar").is_empty());
        assert!(find(&all, "چطور از به", HelpAsk::Search, "fa").is_empty());
        assert!(find(&all, "x y z", HelpAsk::Search, "en").is_empty());
        assert_eq!(
            meaningful_words("How do I RESET my password?"),
            ["reset", "password"]
        );
    }

    #[test]
    fn a_suggestion_needs_a_title_match_and_enough_of_the_message() {
        let all = corpus();
        // Body only ("tracking"): a search lists it, a suggestion does not.
        assert_eq!(
            ids(&find(&all, "tracking", HelpAsk::Search, "en")),
            ["en_ship"]
        );
        assert!(find(&all, "tracking", HelpAsk::Suggest, "en").is_empty());
        // One title word among many others: not close enough.
        let long = "hello my order of blue shoes from the spring sale arrived broken";
        assert!(find(&all, long, HelpAsk::Suggest, "en").is_empty());
        // A title word and a body word.
        let hits = find(
            &all,
            "where is my order, no tracking email",
            HelpAsk::Suggest,
            "en",
        );
        assert_eq!(ids(&hits), ["en_ship"]);
        // One meaningful word, in a title.
        assert_eq!(
            ids(&find(&all, "refunds?", HelpAsk::Suggest, "en")),
            ["en_refund"]
        );
    }

    #[test]
    fn an_empty_search_lists_the_visitors_language_or_everything() {
        let all = corpus();
        assert_eq!(
            ids(&find(&all, "  ", HelpAsk::Search, "en")),
            ["en_refund", "en_pw", "en_ship"]
        );
        assert_eq!(ids(&find(&all, "", HelpAsk::Search, "fa")), ["fa_pw"]);
        let only_english: Vec<ArticleListing> = all
            .iter()
            .filter(|l| l.article.lang == "en")
            .cloned()
            .collect();
        assert_eq!(find(&only_english, "", HelpAsk::Search, "ar").len(), 3);
        assert!(find(&all, "", HelpAsk::Suggest, "en").is_empty());
    }

    #[test]
    fn hits_carry_a_plain_excerpt() {
        let all = corpus();
        let hit = &find(&all, "password", HelpAsk::Search, "en")[0];
        assert_eq!(
            hit.excerpt,
            "Open Settings, then Security, and choose a new password."
        );
    }

    #[test]
    fn at_most_max_hits_are_returned() {
        let many: Vec<ArticleListing> = (0..12)
            .map(|n| listing(&format!("a{n:02}"), "en", &format!("Shipping {n}"), "x"))
            .collect();
        assert_eq!(
            find(&many, "shipping", HelpAsk::Search, "en").len(),
            MAX_HITS
        );
        assert_eq!(find(&many, "", HelpAsk::Search, "en").len(), 12);
    }

    #[test]
    fn a_trail_counts_each_opened_article_once_per_message() {
        let mut trail = Trail::default();
        trail.opened(ArticleId::from("a"));
        trail.opened(ArticleId::from("b"));
        trail.opened(ArticleId::from("a"));
        assert_eq!(trail.wrote(), [ArticleId::from("a"), ArticleId::from("b")]);
        assert!(trail.wrote().is_empty(), "the next message counts nothing");
        for n in 0..40 {
            trail.opened(ArticleId(format!("x{n}")));
        }
        let kept = trail.wrote();
        assert_eq!(kept.len(), TRAIL);
        assert_eq!(kept[0], ArticleId::from("x24"));
    }
}
