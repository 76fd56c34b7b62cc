//! A conversation mailed to its visitor (they asked in the widget): every
//! message with its author and time — in the visitor's time zone — as
//! plain text and as HTML in their language and direction (`lang`,
//! `dir`), every character HTML gives meaning to escaped. Pure and
//! unit-tested; [`super::Mailer`] sends it.

use shared::display::escape_html_into;
use shared::{Author, ChatMessage, Millis};

/// A conversation to mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// Where (checked by the caller).
    pub to: String,
    /// The visitor's name, if they gave one.
    pub visitor_name: Option<String>,
    /// Their language tag (`fa-IR`), for the mail's language.
    pub locale: Option<String>,
    /// Their IANA time zone, for the times (`None`: UTC).
    pub time_zone: Option<String>,
    /// The site's name.
    pub site: String,
    /// The messages, in order.
    pub messages: Vec<ChatMessage>,
}

/// The mail: subject, plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedTranscript {
    /// Subject line (one line).
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

struct Words {
    lang: &'static str,
    dir: &'static str,
    subject: &'static str,
    intro: &'static str,
    you: &'static str,
    zone: &'static str,
}

fn words(locale: Option<&str>) -> Words {
    let lang = locale
        .and_then(|l| l.split(['-', '_']).next())
        .unwrap_or("en")
        .to_ascii_lowercase();
    match lang.as_str() {
        "ar" => Words {
            lang: "ar",
            dir: "rtl",
            subject: "محادثتك مع {site}",
            intro: "إليك محادثتك مع {site}، كما طلبت.",
            you: "أنت",
            zone: "الأوقات بتوقيت {zone}.",
        },
        "fa" => Words {
            lang: "fa",
            dir: "rtl",
            subject: "گفتگوی شما با {site}",
            intro: "این گفتگوی شما با {site} است، همان‌طور که خواستید.",
            you: "شما",
            zone: "زمان‌ها به وقت {zone} است.",
        },
        _ => Words {
            lang: "en",
            dir: "ltr",
            subject: "Your conversation with {site}",
            intro: "Here is your conversation with {site}, as you asked.",
            you: "You",
            zone: "Times are in {zone}.",
        },
    }
}

/// `YYYY-MM-DD HH:MM` of `at` in `zone` (UTC when unknown), and the
/// zone's name as used.
fn stamp(at: Millis, zone: &jiff::tz::TimeZone) -> String {
    let Ok(ms) = i64::try_from(at) else {
        return String::new();
    };
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => t
            .to_zoned(zone.clone())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html_into(text, &mut out);
    out
}

/// The mail for `t`.
pub fn compose(t: &Transcript) -> ComposedTranscript {
    let w = words(t.locale.as_deref());
    let site = one_line(&t.site);
    let (zone, zone_name) = match t
        .time_zone
        .as_deref()
        .and_then(|z| jiff::tz::TimeZone::get(z).ok().map(|tz| (tz, z)))
    {
        Some((tz, name)) => (tz, name.to_owned()),
        None => (jiff::tz::TimeZone::UTC, "UTC".to_owned()),
    };
    let subject = w.subject.replace("{site}", &site);
    let intro = w.intro.replace("{site}", &site);
    let zone_line = w.zone.replace("{zone}", &zone_name);
    let author = |m: &ChatMessage| match &m.author {
        Author::Visitor => w.you.to_owned(),
        Author::Agent { name, .. } => one_line(name),
    };

    let mut text = format!("{intro}\n{zone_line}\n\n");
    for m in &t.messages {
        text.push_str(&format!(
            "{} — {}\n{}\n\n",
            author(m),
            stamp(m.sent_at, &zone),
            m.body.trim_end()
        ));
    }

    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1d2433\">\
         <h1 style=\"font-size:18px\">{}</h1><p>{}<br><small>{}</small></p>",
        w.lang,
        w.dir,
        escaped(&subject),
        escaped(&subject),
        escaped(&intro),
        escaped(&zone_line),
    );
    for m in &t.messages {
        html.push_str(&format!(
            "<div style=\"margin:14px 0\"><div><b><bdi>{}</bdi></b> · <small>{}</small></div>\
             <div dir=\"auto\" style=\"white-space:pre-wrap\">{}</div></div>",
            escaped(&author(m)),
            stamp(m.sent_at, &zone),
            escaped(m.body.trim_end()),
        ));
    }
    html.push_str("</body></html>");
    ComposedTranscript {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{AgentId, ClientId, ConversationId};

    fn message(seq: u64, author: Author, body: &str, sent_at: Millis) -> ChatMessage {
        ChatMessage {
            conversation: ConversationId("c_1".into()),
            seq,
            client_id: ClientId(format!("m{seq}")),
            author,
            body: body.into(),
            sent_at,
        }
    }

    fn transcript(locale: &str, zone: Option<&str>) -> Transcript {
        let sara = Author::Agent {
            id: AgentId("a_sara".into()),
            name: "Sara".into(),
        };
        Transcript {
            to: "leila@example.ir".into(),
            visitor_name: Some("Leila".into()),
            locale: Some(locale.into()),
            time_zone: zone.map(Into::into),
            site: "Shop".into(),
            messages: vec![
                message(
                    1,
                    Author::Visitor,
                    "Where is <b>my</b> order?",
                    1_795_363_200_000,
                ),
                message(
                    2,
                    sara,
                    "It ships today & arrives Friday.\n",
                    1_795_363_260_000,
                ),
            ],
        }
    }

    #[test]
    fn every_message_with_its_author_and_local_time() {
        let m = compose(&transcript("en-GB", Some("Asia/Tehran")));
        assert_eq!(m.subject, "Your conversation with Shop");
        // 1795363200000 ms is 2026-11-22 16:00 UTC: 19:30 in Tehran.
        assert!(
            m.text
                .contains("You — 2026-11-22 19:30\nWhere is <b>my</b> order?\n"),
            "{}",
            m.text
        );
        assert!(
            m.text.contains("Sara — 2026-11-22 19:31\nIt ships today"),
            "{}",
            m.text
        );
        assert!(m.text.contains("Times are in Asia/Tehran."), "{}", m.text);
        let first = m.text.find("Where is").unwrap();
        assert!(first < m.text.find("It ships").unwrap(), "in order");
    }

    #[test]
    fn the_html_speaks_the_visitors_language_and_direction_and_escapes_all() {
        let m = compose(&transcript("fa-IR", None));
        assert_eq!(m.subject, "گفتگوی شما با Shop");
        assert!(
            m.html.contains("<html lang=\"fa\" dir=\"rtl\">"),
            "{}",
            m.html
        );
        assert!(m.html.contains("<bdi>شما</bdi>"), "{}", m.html);
        assert!(
            m.html.contains("Where is &lt;b&gt;my&lt;/b&gt; order?"),
            "{}",
            m.html
        );
        assert!(m.html.contains("ships today &amp; arrives"), "{}", m.html);
        assert!(!m.html.contains("<b>my</b>"));
        assert!(
            m.text.contains("2026-11-22 16:00"),
            "UTC when the zone is unknown"
        );
        let ar = compose(&transcript("ar", Some("Not/AZone")));
        assert!(
            ar.html.contains("dir=\"rtl\"") && ar.text.contains("UTC"),
            "{}",
            ar.text
        );
    }

    #[test]
    fn a_site_name_cannot_break_the_subject() {
        let mut t = transcript("en", None);
        t.site = "Shop\r\nBcc: victim@example.com".into();
        let m = compose(&t);
        assert!(
            !m.subject.contains('\r') && !m.subject.contains('\n'),
            "{}",
            m.subject
        );
    }
}
