//! The languages both apps speak and everything about them that is not a
//! string table: which one a person gets (`shared::locale`'s rule, the
//! server's too), direction, digits, plural forms and placeholders. Each
//! app keeps its own strings as a [`Catalog`]; `locale.text(key)` and
//! `locale.fill(key, values)` read any catalog the same way.
//!
//! Placeholders are named (`{name}`, `{n}`): a translation may put them in
//! any order, and [`fill`] replaces them in one pass, so a value that looks
//! like a placeholder (a visitor named `{n}`) is shown as typed.

use std::fmt::Display;

use crate::plural::{self, Plural};

/// A language Ahlan speaks (the codes of `shared::locale::CODES`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
    /// Arabic (right to left).
    Ar,
    /// Persian (right to left).
    Fa,
}

/// One app's strings: the text of a key in each language. Implemented by
/// an exhaustive `match` per language, so a key added without its
/// translations does not compile.
pub trait Catalog: Copy {
    /// The English text.
    fn en(self) -> &'static str;
    /// The Arabic text.
    fn ar(self) -> &'static str;
    /// The Persian text.
    fn fa(self) -> &'static str;
}

/// Implements [`Catalog`] for a key type from one function per language,
/// each an exhaustive `match` giving the key's text:
/// `client::catalog!(Key: en, ar, fa);`.
#[macro_export]
macro_rules! catalog {
    ($key:ty: $en:path, $ar:path, $fa:path) => {
        impl $crate::locale::Catalog for $key {
            fn en(self) -> &'static str {
                $en(self)
            }
            fn ar(self) -> &'static str {
                $ar(self)
            }
            fn fa(self) -> &'static str {
                $fa(self)
            }
        }
    };
}

/// The forms of a counted string in one language, by plural category
/// (those the language has; a missing one falls back to `Other`), with
/// `{n}` where the number goes.
pub type Forms = &'static [(Plural, &'static str)];

impl Locale {
    /// Every locale, in the language switcher's order.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Ar, Locale::Fa];

    /// The language code (`lang` attributes, `Intl` formatting, storage).
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ar => "ar",
            Locale::Fa => "fa",
        }
    }

    /// The locale of a BCP 47 tag by its primary subtag (`fa-IR` → Persian).
    pub fn from_tag(tag: &str) -> Option<Locale> {
        let code = shared::locale::from_tag(tag)?;
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// `forced` (the site's or the person's choice) if we speak it, else
    /// the first of the browser's `preferred` languages we speak, else
    /// English.
    pub fn negotiate(forced: Option<&str>, preferred: &[String]) -> Locale {
        let code = shared::locale::negotiate(forced, preferred.iter().map(String::as_str));
        Locale::from_tag(code).unwrap_or_default()
    }

    /// Whether the script runs right to left.
    pub fn is_rtl(self) -> bool {
        shared::locale::is_rtl(self.code())
    }

    /// The `dir` attribute's value.
    pub fn dir(self) -> &'static str {
        if self.is_rtl() {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// The language's name in itself, for a language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Ar => "العربية",
            Locale::Fa => "فارسی",
        }
    }

    /// `text` with its ASCII digits in this language's own: Arabic-Indic
    /// for Arabic, Extended Arabic-Indic for Persian (their 4, 5 and 6
    /// differ, so one set does not serve both).
    pub fn digits(self, text: &str) -> String {
        crate::digits::native(self.code(), text)
    }

    /// A number in this language's digits.
    pub fn number(self, n: impl Display) -> String {
        self.digits(&n.to_string())
    }

    /// The plural category of `n`.
    pub fn plural(self, n: u64) -> Plural {
        plural::category(self.code(), n)
    }

    /// The text of `key` (placeholders unreplaced).
    pub fn text<C: Catalog>(self, key: C) -> &'static str {
        match self {
            Locale::En => key.en(),
            Locale::Ar => key.ar(),
            Locale::Fa => key.fa(),
        }
    }

    /// The text of `key` with its placeholders filled by [`fill`].
    pub fn fill<C: Catalog>(self, key: C, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// The form of `forms` that agrees with `n`, its `{n}` replaced by
    /// `written` (`n` as the app writes numbers: in this language's digits
    /// or in ASCII).
    pub fn count(self, n: u64, written: &str, forms: Forms) -> String {
        let wanted = self.plural(n);
        let form = forms
            .iter()
            .find(|(p, _)| *p == wanted)
            .or_else(|| forms.iter().find(|(p, _)| *p == Plural::Other))
            .map_or("{n}", |(_, f)| f);
        fill(form, &[("n", written)])
    }

    /// "3 unread messages", agreeing in number (both apps' unread badges
    /// say it to screen readers).
    pub fn unread_messages(self, n: u64, written: &str) -> String {
        use Plural::*;
        let forms: Forms = match self {
            Locale::Ar => &[
                (Zero, "لا رسائل غير مقروءة"),
                (One, "رسالة واحدة غير مقروءة"),
                (Two, "رسالتان غير مقروءتين"),
                (Few, "{n} رسائل غير مقروءة"),
                (Many, "{n} رسالة غير مقروءة"),
                (Other, "{n} رسالة غير مقروءة"),
            ],
            Locale::Fa => &[(Other, "{n} پیام خوانده‌نشده")],
            Locale::En => &[(One, "{n} unread message"), (Other, "{n} unread messages")],
        };
        self.count(n, written, forms)
    }
}

/// `template` with each `{name}` named in `values` replaced by its value,
/// in one pass: values are inserted as given and never read as
/// placeholders themselves. Braces around an unknown name stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let (_, value) = values.iter().find(|(n, _)| *n == name)?;
            Some((*value, close))
        });
        match value {
            Some((value, close)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders of a template, sorted (`{n}` and `{max}` → `max, n`).
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

/// What is wrong with a catalog's `keys`, one line each: an empty text, a
/// translation left in English, or placeholders that differ from the
/// English text's (a translation that drops `{name}` would hide it). Both
/// apps' unit tests require none.
pub fn catalog_problems<C: Catalog + std::fmt::Debug>(keys: &[C]) -> Vec<String> {
    let mut problems = Vec::new();
    for &key in keys {
        let en = key.en();
        for locale in Locale::ALL {
            let text = locale.text(key);
            if text.trim().is_empty() {
                problems.push(format!("{locale:?} {key:?} is empty"));
            } else if locale != Locale::En && text == en {
                problems.push(format!("{locale:?} {key:?} is untranslated"));
            } else if placeholders(text) != placeholders(en) {
                problems.push(format!(
                    "{locale:?} {key:?}: placeholders differ from English"
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy)]
    struct Hello;

    impl Catalog for Hello {
        fn en(self) -> &'static str {
            "Hello {name}"
        }
        fn ar(self) -> &'static str {
            "مرحبًا {name}"
        }
        fn fa(self) -> &'static str {
            "سلام {name}"
        }
    }

    #[derive(Debug, Clone, Copy)]
    enum Broken {
        Untranslated,
        LostName,
        Empty,
    }

    impl Catalog for Broken {
        fn en(self) -> &'static str {
            match self {
                Broken::Untranslated => "Hi",
                Broken::LostName => "Hi {name}",
                Broken::Empty => "Bye",
            }
        }
        fn ar(self) -> &'static str {
            match self {
                Broken::Untranslated => "Hi",
                Broken::LostName => "مرحبًا",
                Broken::Empty => "مع السلامة",
            }
        }
        fn fa(self) -> &'static str {
            match self {
                Broken::Empty => " ",
                _ => "سلام {name}",
            }
        }
    }

    #[test]
    fn catalog_problems_name_each_slip() {
        assert!(catalog_problems(&[Hello]).is_empty());
        let problems = catalog_problems(&[Broken::Untranslated, Broken::LostName, Broken::Empty]);
        assert_eq!(
            problems,
            [
                "Ar Untranslated is untranslated",
                "Fa Untranslated: placeholders differ from English",
                "Ar LostName: placeholders differ from English",
                "Fa Empty is empty",
            ]
        );
        assert_eq!(placeholders("{n} of {max}"), ["max", "n"]);
    }

    fn tags(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn forced_then_browser_then_english() {
        assert_eq!(Locale::negotiate(Some("fa"), &tags(&["ar"])), Locale::Fa);
        assert_eq!(Locale::negotiate(Some("de"), &tags(&["ar-EG"])), Locale::Ar);
        assert_eq!(
            Locale::negotiate(None, &tags(&["de-DE", "fa-IR", "ar"])),
            Locale::Fa
        );
        assert_eq!(Locale::negotiate(None, &tags(&["AR_sa"])), Locale::Ar);
        assert_eq!(Locale::negotiate(None, &tags(&["fr", "de"])), Locale::En);
        assert_eq!(Locale::negotiate(None, &[]), Locale::En);
        assert_eq!(Locale::from_tag("fa-IR"), Some(Locale::Fa));
        assert_eq!(Locale::from_tag("arm"), None);
    }

    #[test]
    fn direction_names_and_digits() {
        assert_eq!(Locale::En.dir(), "ltr");
        assert_eq!(Locale::Ar.dir(), "rtl");
        assert!(Locale::Fa.is_rtl());
        assert_eq!(Locale::Fa.native_name(), "فارسی");
        assert_eq!(Locale::Ar.number(2024), "٢٠٢٤");
        assert_eq!(Locale::Fa.number(456), "۴۵۶");
        assert_eq!(Locale::En.number(7), "7");
    }

    #[test]
    fn a_catalog_is_read_in_each_language_and_filled() {
        let name = [("name", "Sara")];
        assert_eq!(Locale::En.fill(Hello, &name), "Hello Sara");
        assert_eq!(Locale::Ar.fill(Hello, &name), "مرحبًا Sara");
        assert_eq!(Locale::Fa.text(Hello), "سلام {name}");
    }

    #[test]
    fn fill_replaces_names_once_in_any_order() {
        assert_eq!(
            fill("{n} of {max}, {n}", &[("max", "9"), ("n", "3")]),
            "3 of 9, 3"
        );
        assert_eq!(
            fill("{a} and {b}", &[("a", "{b}"), ("b", "x")]),
            "{b} and x",
            "a value is never read as a placeholder"
        );
        assert_eq!(fill("{unknown} {", &[("n", "1")]), "{unknown} {");
        assert_eq!(fill("{{n}}", &[("n", "1")]), "{1}");
        assert_eq!(fill("no placeholders", &[]), "no placeholders");
    }

    #[test]
    fn counted_strings_agree_in_number() {
        let en = Locale::En;
        assert_eq!(en.unread_messages(1, "1"), "1 unread message");
        assert_eq!(en.unread_messages(4, "4"), "4 unread messages");
        let ar = Locale::Ar;
        assert_eq!(ar.unread_messages(1, "1"), "رسالة واحدة غير مقروءة");
        assert_eq!(ar.unread_messages(2, "2"), "رسالتان غير مقروءتين");
        assert_eq!(ar.unread_messages(7, &ar.number(7)), "٧ رسائل غير مقروءة");
        assert_eq!(ar.unread_messages(12, "12"), "12 رسالة غير مقروءة");
        assert_eq!(Locale::Fa.unread_messages(1, "1"), "1 پیام خوانده‌نشده");
        let only_other: Forms = &[(Plural::Other, "{n} x")];
        assert_eq!(ar.count(2, "2", only_other), "2 x", "falls back to other");
    }
}
