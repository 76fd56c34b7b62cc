//! Which of the languages Ahlan speaks a visitor gets, decided the same way
//! by the widget (its whole UI) and the server (the launcher the loader
//! draws before any widget code is loaded): the snippet's or the site's
//! forced language if we speak it, else the first of the browser's
//! preferred languages we speak, else English.

/// The languages the visitor side speaks, by code.
pub const CODES: [&str; 3] = ["en", "ar", "fa"];

/// The code among [`CODES`] of a BCP 47 tag, by its primary subtag
/// (`fa-IR` → `fa`).
pub fn from_tag(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.trim();
    CODES
        .into_iter()
        .find(|code| primary.eq_ignore_ascii_case(code))
}

/// The language to speak: `forced` if we speak it, else the first of
/// `preferred` we speak, else English.
pub fn negotiate<'a>(
    forced: Option<&str>,
    preferred: impl IntoIterator<Item = &'a str>,
) -> &'static str {
    forced
        .and_then(from_tag)
        .or_else(|| preferred.into_iter().find_map(from_tag))
        .unwrap_or("en")
}

/// Whether the language's script runs right to left.
pub fn is_rtl(code: &str) -> bool {
    matches!(code, "ar" | "fa")
}

/// The launcher's accessible name ("Open chat").
pub fn open_chat(code: &str) -> &'static str {
    match code {
        "ar" => "افتح المحادثة",
        "fa" => "باز کردن گفتگو",
        _ => "Open chat",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forced_then_browser_then_english() {
        assert_eq!(negotiate(Some("ar"), ["fa"]), "ar");
        assert_eq!(negotiate(Some("de"), ["de-DE", "fa-IR", "ar"]), "fa");
        assert_eq!(negotiate(None, ["EN-gb"]), "en");
        assert_eq!(negotiate(None, ["de", "fr"]), "en");
        assert_eq!(negotiate(Some(""), []), "en");
        assert_eq!(from_tag("ar_EG"), Some("ar"));
        assert_eq!(from_tag("arm"), None);
    }

    #[test]
    fn right_to_left_languages() {
        assert!(is_rtl("ar") && is_rtl("fa") && !is_rtl("en"));
        assert_eq!(open_chat("xx"), "Open chat");
    }
}
