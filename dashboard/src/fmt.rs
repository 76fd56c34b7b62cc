//! How conversations and messages are written on screen: visitor names,
//! origins, previews, times. Shared by the lists, the conversation pane and
//! notifications so they always agree.

use crate::i18n::{Key, Locale};
use shared::display::isolate;
use shared::protocol::{Author, ChatMessage, ConversationSummary, Millis, VisitorInfo};
use wasm_bindgen::JsCast;

/// Longest list preview, in characters.
pub const PREVIEW_CHARS: usize = 90;

/// A short tag from the end of a visitor's id: visitors have no name, and
/// this tells two apart at a glance.
pub fn visitor_tag(visitor: &VisitorInfo) -> String {
    let mut tail: Vec<char> = visitor
        .id
        .as_str()
        .chars()
        .rev()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(4)
        .collect();
    tail.reverse();
    tail.into_iter().collect::<String>().to_ascii_uppercase()
}

/// What a visitor's avatar shows a letter of: the name they gave, else
/// their tag.
pub fn visitor_label(visitor: &VisitorInfo) -> String {
    visitor
        .name
        .clone()
        .filter(|n| n.chars().any(char::is_alphanumeric))
        .unwrap_or_else(|| visitor_tag(visitor))
}

/// The name the visitor gave (isolated: they typed it, bidi controls and
/// all), else "Visitor #X9F3". The tag is a left-to-right isolate, so in
/// Arabic or Persian text it still reads "#X9F3", not "X9F3#".
pub fn visitor_name(locale: Locale, visitor: &VisitorInfo) -> String {
    if let Some(name) = visitor.name.as_deref().filter(|n| !n.trim().is_empty()) {
        return isolate(name);
    }
    let tag = visitor_tag(visitor);
    if tag.is_empty() {
        locale.text(Key::Visitor).to_owned()
    } else {
        format!("{} \u{2066}#{tag}\u{2069}", locale.text(Key::Visitor))
    }
}

/// The host part of an origin (`https://shop.example` → `shop.example`).
pub fn origin_host(origin: &str) -> &str {
    origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .trim_end_matches('/')
}

/// "leila@example.ir · fa-IR · shop.example", whichever are known. Each
/// part is a bidi isolate: the language tag is whatever the visitor's
/// client sent, and a right-to-left override in it must not reverse the
/// origin after it.
pub fn visitor_details(visitor: &VisitorInfo) -> String {
    let parts: Vec<String> = [
        visitor.email.as_deref(),
        visitor.locale.as_deref(),
        visitor.origin.as_deref().map(origin_host),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    .map(isolate)
    .collect();
    parts.join(" · ")
}

/// A message's first line as read (its markdown shown, not typed),
/// shortened, for lists and notifications. The agent's own replies are
/// prefixed with "You:".
pub fn preview(locale: Locale, message: &ChatMessage) -> String {
    let read = shared::markup::plain(&shared::markup::parse(&message.body));
    let line = read.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let line = line.trim();
    let mut text: String = line.chars().take(PREVIEW_CHARS).collect();
    if line.chars().count() > PREVIEW_CHARS {
        text.push('…');
    }
    match message.author {
        Author::Visitor => text,
        Author::Agent { .. } => format!("{}: {text}", locale.text(Key::You)),
    }
}

/// The list preview of a conversation.
pub fn summary_preview(locale: Locale, summary: &ConversationSummary) -> String {
    summary.last_message.as_ref().map_or_else(
        || locale.text(Key::NoMessagesYet).to_owned(),
        |m| preview(locale, m),
    )
}

/// Wall-clock time of a message ("14:05", "٢:٠٥ م"), by the browser's
/// `Intl` for the locale.
pub fn clock_time(locale: Locale, at: Millis) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    date.to_locale_time_string_with_options(intl_tag(locale), &options)
        .as_string()
        .unwrap_or_default()
}

/// The `Intl` tag for a locale (Arabic with Arabic-Indic digits, so dates
/// and times match the counts written by `Locale::digits`).
fn intl_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::Ar => "ar-u-nu-arab",
        other => other.code(),
    }
}

/// Date and time of `at` ("Nov 26, 2026, 14:05"), by the browser's `Intl`.
pub fn date_time(locale: Locale, at: Millis) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string(intl_tag(locale), &options)
        .as_string()
        .unwrap_or_default()
}

/// The start of a day (local midnight), in ms since the epoch.
pub fn local_midnight((year, month, day): (u32, u32, u32)) -> Millis {
    let date = js_sys::Date::new_with_year_month_day(year, month as i32 - 1, day as i32);
    date.get_time().max(0.0) as Millis
}

/// The time now in the IANA zone `zone` ("21:35"), or `None` when the
/// browser does not know the zone.
pub fn time_in_zone(locale: Locale, zone: &str) -> Option<String> {
    let date = js_sys::Date::new_0();
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"hour".into(), &"numeric".into());
    let _ = js_sys::Reflect::set(&options, &"minute".into(), &"2-digit".into());
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into());
    // An unknown zone makes the Intl constructor throw: no time rather than
    // a wrong one. (Reflect.construct catches; `new Function` would need
    // 'unsafe-eval', which the page's CSP forbids.)
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args = js_sys::Array::of2(&intl_tag(locale).into(), &options);
    let formatter = js_sys::Reflect::construct(&ctor, &args).ok()?;
    let format: js_sys::Function = js_sys::Reflect::get(&formatter, &"format".into())
        .ok()?
        .dyn_into()
        .ok()?;
    format.call1(&formatter, &date).ok()?.as_string()
}

/// The client's clock in epoch milliseconds.
pub fn now() -> Millis {
    js_sys::Date::now() as Millis
}

/// The end of `text`, at most `n` characters, with an ellipsis when cut:
/// what the visitor typed last is what matters in their draft.
pub fn last_chars(text: &str, n: usize) -> String {
    let count = text.chars().count();
    if count <= n {
        return text.to_owned();
    }
    let tail: String = text.chars().skip(count - n).collect();
    format!("…{}", tail.trim_start())
}

/// The IANA time zones this browser knows (`Intl.supportedValuesOf`), for
/// the console's time zone field; empty where the browser cannot say.
pub fn time_zones() -> Vec<String> {
    let list = (|| {
        let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
        let f: js_sys::Function = js_sys::Reflect::get(&intl, &"supportedValuesOf".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let zones: js_sys::Array = f.call1(&intl, &"timeZone".into()).ok()?.dyn_into().ok()?;
        Some(zones.iter().filter_map(|z| z.as_string()).collect())
    })();
    list.unwrap_or_default()
}

/// This browser's own time zone (`Asia/Tehran`), if it says.
pub fn browser_time_zone() -> Option<String> {
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let formatter = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).ok()?;
    let resolved: js_sys::Function = js_sys::Reflect::get(&formatter, &"resolvedOptions".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let options = resolved.call0(&formatter).ok()?;
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

/// A report's point label as an axis shows it: a day (`2026-11-20`) as
/// the locale writes a short date ("Nov 20", "٢٠ نوفمبر"), an hour
/// (`2026-11-20T14`) as "14:00".
pub fn report_label(locale: Locale, label: &str) -> String {
    if let Some((_, hour)) = label.split_once('T') {
        return locale.digits(&format!("{hour}:00"));
    }
    let mut parts = label.split('-').map(|p| p.parse::<i32>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return locale.digits(label);
    };
    let date = js_sys::Date::new_with_year_month_day(y.max(0) as u32, m - 1, d);
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"month".into(), &"short".into());
    let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
    date.to_locale_date_string(intl_tag(locale), &options)
        .as_string()
        .unwrap_or_else(|| label.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_draft_shows_its_end() {
        assert_eq!(last_chars("short", 10), "short");
        assert_eq!(last_chars("abcdefghij klm", 4), "…klm");
        assert_eq!(last_chars("سلام دوست من", 6), "…وست من");
    }

    fn visitor(id: &str, locale: Option<&str>, origin: Option<&str>) -> VisitorInfo {
        VisitorInfo {
            id: id.into(),
            locale: locale.map(str::to_owned),
            origin: origin.map(str::to_owned),
            name: None,
            email: None,
            attributes: Default::default(),
            user_id: None,
        }
    }

    fn message(author: Author, body: &str) -> ChatMessage {
        ChatMessage {
            conversation: "c1".into(),
            seq: 1,
            client_id: "k".into(),
            author,
            body: body.into(),
            sent_at: 0,
        }
    }

    #[test]
    fn visitor_names_use_the_id_tail() {
        assert_eq!(
            visitor_name(Locale::En, &visitor("v_01hzx9f3", None, None)),
            "Visitor \u{2066}#X9F3\u{2069}"
        );
        assert_eq!(
            visitor_name(Locale::En, &visitor("__", None, None)),
            "Visitor"
        );
        assert_eq!(
            visitor_name(Locale::Fa, &visitor("ab", None, None)),
            "بازدیدکننده \u{2066}#AB\u{2069}"
        );
        // The name they gave, when they gave one; the email leads the
        // details.
        let mut leila = visitor("v_01hzx9f3", Some("fa"), None);
        leila.name = Some("لیلا".into());
        leila.email = Some("leila@example.ir".into());
        assert_eq!(visitor_name(Locale::En, &leila), "\u{2068}لیلا\u{2069}");
        assert_eq!(visitor_label(&leila), "لیلا");
        assert_eq!(visitor_label(&visitor("v_01hzx9f3", None, None)), "X9F3");
        assert_eq!(
            visitor_details(&leila),
            "\u{2068}leila@example.ir\u{2069} · \u{2068}fa\u{2069}"
        );
    }

    #[test]
    fn details_join_what_is_known() {
        assert_eq!(
            visitor_details(&visitor("v", Some("fa-IR"), Some("https://shop.example/"))),
            "\u{2068}fa-IR\u{2069} · \u{2068}shop.example\u{2069}"
        );
        assert_eq!(
            visitor_details(&visitor("v", None, Some("http://a:8080"))),
            "\u{2068}a:8080\u{2069}"
        );
        assert_eq!(visitor_details(&visitor("v", None, None)), "");
        // A tag's override is closed before the origin.
        assert_eq!(
            visitor_details(&visitor("v", Some("\u{202E}ar"), Some("https://a.example"))),
            "\u{2068}\u{202E}ar\u{202C}\u{2069} · \u{2068}a.example\u{2069}"
        );
    }

    #[test]
    fn previews_are_one_short_line() {
        let long = "x".repeat(PREVIEW_CHARS + 10);
        let p = preview(Locale::En, &message(Author::Visitor, &long));
        assert_eq!(p.chars().count(), PREVIEW_CHARS + 1);
        assert!(p.ends_with('…'));
        assert_eq!(
            preview(Locale::En, &message(Author::Visitor, "\n  hello \nworld")),
            "hello"
        );
        let agent = Author::Agent {
            id: "a".into(),
            name: "Sara".into(),
        };
        assert_eq!(preview(Locale::En, &message(agent, "ok")), "You: ok");
        assert_eq!(
            preview(
                Locale::En,
                &message(
                    Author::Visitor,
                    "See **[the shop](https://shop.example)** now"
                )
            ),
            "See the shop now",
            "markdown as read"
        );
    }
}
