//! The conversation as a file the visitor can keep: a small HTML page in
//! their language and direction, every message with its time and author,
//! the text escaped (a message is text, never markup, in the file too).
//! Plain Rust: the panel turns it into a download link. [`Mailing`] is
//! the state of having it mailed instead (the server writes that mail).

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
    let title = locale.fill(Text::TranscriptTitle, &[("site", site)]);
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

/// Mailing the conversation (servers that send mail): the form, the
/// address on its way, where the last copy went. Part of the chat state.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mailing {
    form_open: bool,
    sending: Option<String>,
    sent_to: Option<String>,
    problem: Option<shared::ErrorCode>,
}

impl Mailing {
    /// The visitor asked for the form.
    pub fn open_form(&mut self) {
        self.form_open = true;
        self.problem = None;
    }

    /// The visitor went back to the chat.
    pub fn close_form(&mut self) {
        self.form_open = false;
        self.problem = None;
    }

    /// Whether the form stands in the composer's place.
    pub fn form_shown(&self) -> bool {
        self.form_open && self.sending.is_none()
    }

    /// What to fix, if anything.
    pub fn problem(&self) -> Option<shared::ErrorCode> {
        self.problem
    }

    /// Where the last copy went.
    pub fn sent_to(&self) -> Option<&str> {
        self.sent_to.as_deref()
    }

    /// The form was sent: the address to send now, or `None` with the
    /// problem to show.
    pub fn submit(&mut self, email: &str) -> Option<String> {
        let email = email.trim();
        if !shared::settings::email_shaped(email) {
            self.problem = Some(shared::ErrorCode::InvalidEmail);
            return None;
        }
        self.problem = None;
        self.sending = Some(email.to_owned());
        self.sending.clone()
    }

    /// `transcript_sent`: on its way to `email`.
    pub fn sent(&mut self, email: String) {
        self.sent_to = Some(email);
        self.sending = None;
        self.form_open = false;
    }

    /// An error while a copy was asked for: the form comes back with it.
    /// Returns whether it was about the copy.
    pub fn refused(&mut self, code: shared::ErrorCode) -> bool {
        if self.sending.take().is_none() {
            return false;
        }
        self.problem = Some(code);
        self.form_open = true;
        true
    }
}

#[cfg(test)]
mod mailing_tests {
    use super::Mailing;
    use shared::ErrorCode;

    #[test]
    fn a_copy_is_asked_for_sent_and_said_where_it_went() {
        let mut m = Mailing::default();
        m.open_form();
        assert!(m.form_shown());
        assert_eq!(m.submit("leila@x"), None);
        assert_eq!(m.problem(), Some(ErrorCode::InvalidEmail));
        assert_eq!(
            m.submit(" leila@example.ir ").as_deref(),
            Some("leila@example.ir")
        );
        assert!(!m.form_shown(), "on its way");
        m.sent("leila@example.ir".into());
        assert_eq!(m.sent_to(), Some("leila@example.ir"));
        assert!(!m.form_shown());
    }

    #[test]
    fn a_refusal_brings_the_form_back_and_others_pass_by() {
        let mut m = Mailing::default();
        assert!(!m.refused(ErrorCode::InvalidEmail), "nothing asked");
        m.open_form();
        m.submit("leila@example.ir");
        assert!(m.refused(ErrorCode::MailOff));
        assert!(m.form_shown());
        assert_eq!(m.problem(), Some(ErrorCode::MailOff));
    }
}
