//! The conversation as a file the visitor can keep: a small HTML page in
//! their language and direction, every message with its time and author,
//! the text escaped (a message is text, never markup, in the file too).
//! Plain Rust: the panel turns it into a download link.

use crate::i18n::{Locale, Text};
use shared::display::escape_html_into as escape;
use shared::{Author, ChatMessage, Millis};

/// The transcript of `messages` (in seq order) of a chat on the site
/// called `site`; `stamp` writes a message's time the way the visitor
/// reads it.
pub fn html<'a>(
    locale: Locale,
    site: &str,
    messages: impl IntoIterator<Item = &'a ChatMessage>,
    stamp: impl Fn(Millis) -> String,
) -> String {
    let title = locale.fill(Text::TranscriptTitle, site);
    let mut out = String::with_capacity(2048);
    out.push_str("<!doctype html><html lang=\"");
    out.push_str(locale.code());
    out.push_str("\" dir=\"");
    out.push_str(locale.dir());
    out.push_str("\"><meta charset=\"utf-8\"><title>");
    escape(&title, &mut out);
    out.push_str(
        "</title><style>body{font:15px/1.5 system-ui,sans-serif;max-width:40em;margin:2em auto;\
         padding:0 1em;color:#111827}p{margin:.2em 0 1em;white-space:pre-wrap}\
         .who{color:#6b7280;font-size:13px}</style><h1>",
    );
    escape(&title, &mut out);
    out.push_str("</h1>");
    for m in messages {
        let who = match &m.author {
            Author::Visitor => locale.text(Text::You),
            Author::Agent { name, .. } => name.as_str(),
        };
        out.push_str("<div class=\"who\"><bdi>");
        escape(who, &mut out);
        out.push_str("</bdi> · ");
        escape(&stamp(m.sent_at), &mut out);
        out.push_str("</div><p dir=\"auto\">");
        escape(&m.body, &mut out);
        out.push_str("</p>");
    }
    out.push_str("</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(seq: u64, author: Author, body: &str) -> ChatMessage {
        ChatMessage {
            conversation: "c1".into(),
            seq,
            client_id: "x".into(),
            author,
            body: body.into(),
            sent_at: seq * 60_000,
        }
    }

    #[test]
    fn the_file_is_in_the_visitors_language_and_direction_with_every_message_escaped() {
        let sara = Author::Agent {
            id: "a_1".into(),
            name: "Sara <b>".into(),
        };
        let messages = [
            message(1, Author::Visitor, "<script>alert(1)</script> & \"hi\""),
            message(2, sara, "سلام"),
        ];
        let page = html(Locale::Fa, "Shop & Co", &messages, |t| format!("t{t}"));
        assert!(page.starts_with("<!doctype html><html lang=\"fa\" dir=\"rtl\">"));
        assert!(page.contains("Shop &amp; Co"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hi&quot;"));
        assert!(!page.contains("<script>"), "{page}");
        assert!(page.contains("<bdi>Sara &lt;b&gt;</bdi> · t120000"));
        assert!(page.contains(Locale::Fa.text(Text::You)));
        assert!(
            page.find("alert").unwrap() < page.find("سلام").unwrap(),
            "in order"
        );
        let en = html(Locale::En, "Shop", &messages, |_| String::new());
        assert!(en.contains("lang=\"en\" dir=\"ltr\""));
    }

    #[test]
    fn escaping_leaves_no_markup_character() {
        let mut out = String::new();
        escape("<>&\"'x", &mut out);
        assert_eq!(out, "&lt;&gt;&amp;&quot;&#39;x");
    }
}
