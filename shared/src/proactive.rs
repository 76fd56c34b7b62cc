//! Proactive messages: a site's rules for greeting a visitor before they
//! write ("Questions about our plans? We're here."), written in the
//! console. The loader evaluates them on the host page without loading the
//! widget — URL, time on the page, number of visits, and the visitor's
//! language (a rule speaks the languages it has a text in) — at most once
//! per visitor, rule and day; when one fires it loads the widget, which
//! shows the text as the team's first words. If the visitor answers, the
//! conversation says it started from that message.
//!
//! [`url_matches`] is the one URL rule; the loader has its own copy in
//! JavaScript, tested against the same cases (`loader.test.js`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most rules a site has.
pub const MAX_RULES: usize = 10;
/// Longest text of a rule, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// Longest URL pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 300;
/// Longest wait on the page before a rule fires, in seconds.
pub const MAX_AFTER_SECS: u32 = 3_600;
/// Highest visit count a rule may ask for.
pub const MAX_VISITS: u32 = 1_000;
/// The visitor attribute that records the proactive message a
/// conversation started from. Its space keeps pages and forms from ever
/// setting it (their keys are letters, digits, `_`, `-` and `.`).
pub const STARTED_ATTRIBUTE: &str = "proactive message";

/// Which pages a rule is for, matched against the page's whole URL
/// (`https://shop.example/pricing?plan=pro`), case aside.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum UrlMatch {
    /// Every page.
    Any,
    /// Pages whose URL contains this.
    Contains(String),
    /// The page with exactly this URL (a trailing `/` aside).
    Equals(String),
    /// Pages whose whole URL matches this pattern, where `*` stands for
    /// any run of characters (`https://shop.example/products/*`).
    Glob(String),
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProactiveRule {
    /// Its id (`pr_…`; the server gives one to a new rule).
    #[serde(default)]
    pub id: String,
    /// What the console calls it (1–100 characters).
    pub name: String,
    /// Which pages.
    pub url: UrlMatch,
    /// Seconds on the page before it fires (0–3600).
    #[serde(default)]
    pub after_secs: u32,
    /// Fires from the visitor's n-th visit on (1: any visit; a visit is a
    /// page view 30 minutes or more after the last one).
    #[serde(default = "one")]
    pub min_visits: u32,
    /// The text by language (`en`, `ar`, `fa`): visitors of those
    /// languages only are greeted.
    pub messages: BTreeMap<String, String>,
    /// Switched on.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn one() -> u32 {
    1
}

fn yes() -> bool {
    true
}

/// A rule as the loader gets it (`LauncherLook::proactive`): only rules
/// that are on and speak the visitor's language, without their texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoaderRule {
    /// Rule id.
    pub id: String,
    /// Which pages.
    pub url: UrlMatch,
    /// Seconds on the page.
    pub after_secs: u32,
    /// From which visit.
    pub min_visits: u32,
}

/// The rule that made the loader load the widget (`WidgetConfig::proactive`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProactiveGreeting {
    /// Rule id.
    pub rule: String,
    /// Its texts by language: the widget shows the one of its language.
    pub messages: BTreeMap<String, String>,
}

/// What a widget that greeted the visitor says in its `hello`: the rule
/// and the language whose text it showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProactiveShown {
    /// Rule id.
    pub rule: String,
    /// `en`, `ar` or `fa`.
    pub lang: String,
}

/// Whether `url` is one of the pages `rule` is for (case aside).
pub fn url_matches(rule: &UrlMatch, url: &str) -> bool {
    let url = url.to_lowercase();
    match rule {
        UrlMatch::Any => true,
        UrlMatch::Contains(part) => url.contains(&part.to_lowercase()),
        UrlMatch::Equals(whole) => {
            let whole = whole.to_lowercase();
            url.trim_end_matches('/') == whole.trim_end_matches('/')
        }
        UrlMatch::Glob(pattern) => glob(&pattern.to_lowercase(), &url),
    }
}

/// `*` is any run of characters; everything else stands for itself.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let Some(first) = parts.next() else {
        return text.is_empty();
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let tail: Vec<&str> = parts.collect();
    let Some((last, middle)) = tail.split_last() else {
        // No `*` at all: the whole text.
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// What is wrong with a rule, for the console to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleProblem {
    /// Empty, several lines or too long.
    Name,
    /// An empty or too long pattern.
    Url,
    /// More than an hour.
    After,
    /// 0 or more than 1000.
    Visits,
    /// No text, a language the widget does not speak, or a text too long.
    Messages,
}

impl RuleProblem {
    /// The field's name on the wire.
    pub fn field(self) -> &'static str {
        match self {
            RuleProblem::Name => "name",
            RuleProblem::Url => "url",
            RuleProblem::After => "after_secs",
            RuleProblem::Visits => "min_visits",
            RuleProblem::Messages => "messages",
        }
    }
}

impl ProactiveRule {
    /// The rule as kept (name, pattern and texts trimmed, blank texts
    /// dropped), or what is wrong with it. The id is the caller's to give.
    pub fn check(&self) -> Result<ProactiveRule, RuleProblem> {
        let name = self.name.trim();
        if name.is_empty() || name.chars().count() > 100 || name.contains(['\n', '\r']) {
            return Err(RuleProblem::Name);
        }
        let pattern_ok = |p: &str| !p.is_empty() && p.chars().count() <= MAX_PATTERN_CHARS;
        let url = match &self.url {
            UrlMatch::Any => UrlMatch::Any,
            UrlMatch::Contains(p) if pattern_ok(p.trim()) => UrlMatch::Contains(p.trim().into()),
            UrlMatch::Equals(p) if pattern_ok(p.trim()) => UrlMatch::Equals(p.trim().into()),
            UrlMatch::Glob(p) if pattern_ok(p.trim()) => UrlMatch::Glob(p.trim().into()),
            _ => return Err(RuleProblem::Url),
        };
        if self.after_secs > MAX_AFTER_SECS {
            return Err(RuleProblem::After);
        }
        if !(1..=MAX_VISITS).contains(&self.min_visits) {
            return Err(RuleProblem::Visits);
        }
        let messages: BTreeMap<String, String> = self
            .messages
            .iter()
            .map(|(lang, text)| (lang.trim().to_owned(), text.trim().to_owned()))
            .filter(|(_, text)| !text.is_empty())
            .collect();
        let bad_text = |(lang, text): (&String, &String)| {
            !crate::locale::CODES.contains(&lang.as_str()) || text.chars().count() > MAX_TEXT_CHARS
        };
        if messages.is_empty() || messages.iter().any(bad_text) {
            return Err(RuleProblem::Messages);
        }
        Ok(ProactiveRule {
            id: self.id.clone(),
            name: name.to_owned(),
            url,
            after_secs: self.after_secs,
            min_visits: self.min_visits,
            messages,
            enabled: self.enabled,
        })
    }

    /// The rule for a loader whose visitor speaks `lang`, if it greets
    /// them.
    pub fn for_loader(&self, lang: &str) -> Option<LoaderRule> {
        (self.enabled && self.messages.contains_key(lang)).then(|| LoaderRule {
            id: self.id.clone(),
            url: self.url.clone(),
            after_secs: self.after_secs,
            min_visits: self.min_visits,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases `widget/loader/loader.test.js` checks its copy against.
    const CASES: &[(&str, &str, &str, bool)] = &[
        (
            "contains",
            "/pricing",
            "https://shop.example/pricing?x=1",
            true,
        ),
        ("contains", "/PRICING", "https://shop.example/pricing", true),
        ("contains", "/pricing", "https://shop.example/about", false),
        (
            "equals",
            "https://shop.example/pricing",
            "https://shop.example/pricing/",
            true,
        ),
        (
            "equals",
            "https://shop.example/pricing",
            "https://shop.example/pricing?x=1",
            false,
        ),
        (
            "glob",
            "https://shop.example/products/*",
            "https://shop.example/products/tea",
            true,
        ),
        (
            "glob",
            "https://shop.example/products/*",
            "https://shop.example/blog/tea",
            false,
        ),
        (
            "glob",
            "*/checkout*",
            "https://shop.example/en/checkout?step=2",
            true,
        ),
        (
            "glob",
            "*/checkout",
            "https://shop.example/en/checkout?step=2",
            false,
        ),
        (
            "glob",
            "https://*.example/*/tea",
            "https://shop.example/products/tea",
            true,
        ),
        (
            "glob",
            "https://shop.example/",
            "https://shop.example/",
            true,
        ),
        ("glob", "*", "https://anything", true),
        ("glob", "a*b*c", "abc", true),
        ("glob", "a*b*c", "acb", false),
    ];

    #[test]
    fn urls_match_by_contains_equals_and_glob() {
        for &(kind, pattern, url, want) in CASES {
            let rule = match kind {
                "contains" => UrlMatch::Contains(pattern.into()),
                "equals" => UrlMatch::Equals(pattern.into()),
                _ => UrlMatch::Glob(pattern.into()),
            };
            assert_eq!(url_matches(&rule, url), want, "{kind} {pattern} {url}");
        }
        assert!(url_matches(&UrlMatch::Any, "https://x"));
    }

    fn rule() -> ProactiveRule {
        ProactiveRule {
            id: "pr_1".into(),
            name: " Pricing help ".into(),
            url: UrlMatch::Contains(" /pricing ".into()),
            after_secs: 5,
            min_visits: 1,
            messages: [
                ("en".to_owned(), " Questions about our plans? ".to_owned()),
                ("fa".to_owned(), "  ".to_owned()),
            ]
            .into(),
            enabled: true,
        }
    }

    #[test]
    fn a_rule_is_trimmed_and_checked_field_by_field() {
        let kept = rule().check().unwrap();
        assert_eq!(kept.name, "Pricing help");
        assert_eq!(kept.url, UrlMatch::Contains("/pricing".into()));
        assert_eq!(kept.messages.len(), 1, "a blank text is no text");
        let mut r = rule();
        r.name = "a\nb".into();
        assert_eq!(r.check(), Err(RuleProblem::Name));
        let mut r = rule();
        r.url = UrlMatch::Glob(" ".into());
        assert_eq!(r.check(), Err(RuleProblem::Url));
        let mut r = rule();
        r.after_secs = MAX_AFTER_SECS + 1;
        assert_eq!(r.check(), Err(RuleProblem::After));
        let mut r = rule();
        r.min_visits = 0;
        assert_eq!(r.check(), Err(RuleProblem::Visits));
        let mut r = rule();
        r.messages = [("de".to_owned(), "Hallo".to_owned())].into();
        assert_eq!(r.check(), Err(RuleProblem::Messages));
        let mut r = rule();
        r.messages = [("ar".to_owned(), "ع".repeat(MAX_TEXT_CHARS + 1))].into();
        assert_eq!(r.check(), Err(RuleProblem::Messages));
        assert_eq!(RuleProblem::Visits.field(), "min_visits");
    }

    #[test]
    fn the_loader_gets_rules_that_are_on_and_speak_the_visitors_language() {
        let r = rule().check().unwrap();
        assert_eq!(r.for_loader("en").map(|l| l.after_secs), Some(5));
        assert_eq!(r.for_loader("fa"), None, "no Persian text");
        let mut off = r.clone();
        off.enabled = false;
        assert_eq!(off.for_loader("en"), None);
    }

    #[test]
    fn rules_read_their_defaults_and_url_kinds_from_json() {
        let r: ProactiveRule = serde_json::from_str(
            r#"{"name":"n","url":{"kind":"glob","value":"*/tea*"},"messages":{"ar":"مرحبا"}}"#,
        )
        .unwrap();
        assert_eq!((r.min_visits, r.enabled, r.after_secs), (1, true, 0));
        assert_eq!(r.url, UrlMatch::Glob("*/tea*".into()));
        let any: UrlMatch = serde_json::from_str(r#"{"kind":"any"}"#).unwrap();
        assert_eq!(any, UrlMatch::Any);
    }
}
