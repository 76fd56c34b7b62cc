//! Replies mailed to visitors who left a message while the site was
//! offline (`--smtp-url`). An agent's reply in such a conversation (see
//! `ConversationSummary::left_message`) is handed to the node's [`Mailer`]
//! after it is stored; a background task sends it over SMTP (lettre),
//! retrying a failed delivery a few times. The reply is in the
//! conversation either way: a visitor who comes back reads it in the
//! widget.
//!
//! [`compose`] writes the mail (pure, unit-tested) in the visitor's
//! language: English, Arabic or Persian, like the widget.
//!
//! The same queue carries conversations visitors asked to have mailed
//! ([`transcript`]).

pub mod transcript;

use crate::metrics::Metrics;
use lettre::message::{header::ContentType, Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

/// Mails waiting to go out per node; more are dropped (and counted).
const QUEUE: usize = 1_000;
/// Tries per mail, and the pause before each retry.
const RETRIES: [Duration; 3] = [
    Duration::from_secs(2),
    Duration::from_secs(10),
    Duration::from_secs(60),
];

/// One agent reply to mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The visitor's address (checked when they left it).
    pub to: String,
    /// The visitor's name, if they gave one.
    pub visitor_name: Option<String>,
    /// The visitor's language tag (`fa-IR`), for the mail's language.
    pub locale: Option<String>,
    /// The site's name.
    pub site: String,
    /// Who replied.
    pub agent: String,
    /// What they wrote.
    pub text: String,
    /// The page the visitor chats from (`https://shop.example`), where the
    /// conversation goes on.
    pub origin: Option<String>,
}

/// A mail's subject and plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// Subject line.
    pub subject: String,
    /// Body.
    pub body: String,
}

/// The mail for `reply`, in the visitor's language.
pub fn compose(reply: &Reply) -> Composed {
    let lang = reply
        .locale
        .as_deref()
        .and_then(|l| l.split(['-', '_']).next())
        .unwrap_or("en")
        .to_ascii_lowercase();
    let (subject, greeting, wrote, back, unknown_back) = match lang.as_str() {
        "ar" => (
            "ردّ على رسالتك إلى {site}",
            "مرحباً {name}،",
            "كتب {agent} من {site}:",
            "لمتابعة المحادثة، افتح الدردشة على {origin}.",
            "لمتابعة المحادثة، افتح الدردشة على موقعنا.",
        ),
        "fa" => (
            "پاسخ به پیام شما به {site}",
            "سلام {name}،",
            "{agent} از {site} نوشت:",
            "برای ادامهٔ گفتگو، گفتگو را در {origin} باز کنید.",
            "برای ادامهٔ گفتگو، گفتگو را در وب‌سایت ما باز کنید.",
        ),
        _ => (
            "A reply to your message to {site}",
            "Hello {name},",
            "{agent} from {site} wrote:",
            "To continue the conversation, open the chat on {origin}.",
            "To continue the conversation, open the chat on our website.",
        ),
    };
    let fill = |template: &str| {
        template
            .replace("{site}", &one_line(&reply.site))
            .replace("{agent}", &one_line(&reply.agent))
            .replace("{origin}", reply.origin.as_deref().unwrap_or(""))
    };
    let greeting = match &reply.visitor_name {
        Some(name) => greeting.replace("{name}", &one_line(name)),
        None => greeting.replace(" {name}", "").replace("{name}", ""),
    };
    let back = match &reply.origin {
        Some(_) => fill(back),
        None => unknown_back.to_owned(),
    };
    Composed {
        subject: fill(subject),
        body: format!(
            "{greeting}\n\n{}\n\n{}\n\n{back}\n",
            fill(wrote),
            reply.text.trim_end()
        ),
    }
}

/// Names put in the subject and sentences stay on one line (a name with a
/// line break must not start a new header or paragraph).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// What the queue carries.
enum Outgoing {
    Reply(Reply),
    Transcript(transcript::Transcript),
}

/// The node's mail sender: [`Mailer::send`] queues, a task delivers.
#[derive(Clone)]
pub struct Mailer {
    queue: mpsc::Sender<Outgoing>,
    metrics: Arc<Metrics>,
}

/// Why `--smtp-url` or `--smtp-from` cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    /// The URL is not one lettre reads.
    #[error(
        "--smtp-url: {0} (use smtp://host:port, smtp://host:587?tls=required or smtps://host)"
    )]
    Url(String),
    /// The sender is not an address.
    #[error("--smtp-from: {0} (use an address such as 'Support <support@example.com>')")]
    From(String),
}

/// Whether `url` and `from` can be used (checked at start-up, before
/// anything connects or any runtime runs).
pub fn check_settings(url: &str, from: &str) -> Result<(), MailSetupError> {
    builder(url)?;
    sender(from).map(drop)
}

fn builder(url: &str) -> Result<AsyncSmtpTransportBuilder, MailSetupError> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        // lettre's message may quote the URL, password and all.
        .map_err(|_| MailSetupError::Url("not an SMTP URL lettre can use".into()))
}

fn sender(from: &str) -> Result<Mailbox, MailSetupError> {
    from.parse()
        .map_err(|e: lettre::address::AddressError| MailSetupError::From(e.to_string()))
}

impl Mailer {
    /// Starts the sending task for `url` (`smtp://`, `smtps://`; see
    /// OPERATIONS.md), mails sent as `from`.
    pub fn start(url: &str, from: &str, metrics: Arc<Metrics>) -> Result<Self, MailSetupError> {
        let from = sender(from)?;
        // The connection pool's upkeep runs on the current runtime.
        let transport = builder(url)?.timeout(Some(Duration::from_secs(20))).build();
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(deliver(rx, transport, from, metrics.clone()));
        Ok(Self { queue, metrics })
    }

    /// Queues `reply`; never waits (a full queue drops it, counted as
    /// `dropped`: the reply itself is stored).
    pub fn send(&self, reply: Reply) {
        if self.queue.try_send(Outgoing::Reply(reply)).is_err() {
            self.metrics.mail("dropped");
            tracing::warn!("mail queue full: a reply was not mailed");
        }
    }

    /// Queues a conversation to mail; `false` when the queue is full (the
    /// visitor is told to try again).
    pub fn send_transcript(&self, t: transcript::Transcript) -> bool {
        let queued = self.queue.try_send(Outgoing::Transcript(t)).is_ok();
        if !queued {
            self.metrics.mail("dropped");
        }
        queued
    }
}

async fn deliver(
    mut rx: mpsc::Receiver<Outgoing>,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    metrics: Arc<Metrics>,
) {
    while let Some(outgoing) = rx.recv().await {
        let built = match &outgoing {
            Outgoing::Reply(reply) => message(reply, &from),
            Outgoing::Transcript(t) => transcript_message(t, &from),
        };
        let message = match built {
            Ok(m) => m,
            Err(e) => {
                metrics.mail("failed");
                tracing::warn!(error = %e, "a reply could not be written as a mail");
                continue;
            }
        };
        let mut outcome = transport.send(message.clone()).await;
        for pause in RETRIES {
            let Err(e) = &outcome else { break };
            // A permanent refusal (unknown mailbox) will not change.
            if e.is_permanent() {
                break;
            }
            tracing::info!(error = %e, "mail delivery failed; retrying");
            tokio::time::sleep(pause).await;
            outcome = transport.send(message.clone()).await;
        }
        match outcome {
            Ok(_) => metrics.mail("sent"),
            Err(e) => {
                metrics.mail("failed");
                tracing::warn!(error = %e, "a reply could not be mailed");
            }
        }
    }
}

fn transcript_message(
    t: &transcript::Transcript,
    from: &Mailbox,
) -> Result<Message, lettre::error::Error> {
    let to = Mailbox::new(
        t.visitor_name.as_deref().map(one_line),
        t.to.parse().map_err(|_| lettre::error::Error::MissingTo)?,
    );
    let composed = transcript::compose(t);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(composed.subject)
        .multipart(MultiPart::alternative_plain_html(
            composed.text,
            composed.html,
        ))
}

fn message(reply: &Reply, from: &Mailbox) -> Result<Message, lettre::error::Error> {
    let to = Mailbox::new(
        reply.visitor_name.as_deref().map(one_line),
        reply
            .to
            .parse()
            .map_err(|_| lettre::error::Error::MissingTo)?,
    );
    let composed = compose(reply);
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(composed.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(composed.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(locale: Option<&str>) -> Reply {
        Reply {
            to: "leila@example.ir".into(),
            visitor_name: Some("Leila".into()),
            locale: locale.map(str::to_owned),
            site: "Shop".into(),
            agent: "Sara".into(),
            text: "Your order ships tomorrow.\n".into(),
            origin: Some("https://shop.example".into()),
        }
    }

    #[test]
    fn the_mail_says_who_replied_what_and_where_to_go_on() {
        let m = compose(&reply(None));
        assert_eq!(m.subject, "A reply to your message to Shop");
        assert_eq!(
            m.body,
            "Hello Leila,\n\nSara from Shop wrote:\n\nYour order ships tomorrow.\n\n\
             To continue the conversation, open the chat on https://shop.example.\n"
        );
    }

    #[test]
    fn the_mail_speaks_the_visitors_language() {
        let fa = compose(&reply(Some("fa-IR")));
        assert!(fa.subject.starts_with("پاسخ"), "{}", fa.subject);
        assert!(fa.body.starts_with("سلام Leila،"), "{}", fa.body);
        let ar = compose(&reply(Some("ar")));
        assert!(ar.body.contains("كتب Sara من Shop:"), "{}", ar.body);
        let de = compose(&reply(Some("de-DE")));
        assert!(de.body.starts_with("Hello"), "other languages read English");
    }

    #[test]
    fn no_name_no_origin_and_no_header_injection() {
        let mut r = reply(None);
        r.visitor_name = None;
        r.origin = None;
        r.site = "Shop\r\nBcc: victim@example.com".into();
        let m = compose(&r);
        assert!(m.body.starts_with("Hello,\n"), "{}", m.body);
        assert!(m.body.contains("open the chat on our website."));
        assert!(!m.subject.contains('\n') && !m.subject.contains('\r'));
        // The whole message builds, with the subject encoded on one line.
        let from: Mailbox = "Ahlan <noreply@example.com>".parse().unwrap();
        let raw = String::from_utf8(message(&r, &from).unwrap().formatted()).unwrap();
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
        assert!(raw.contains("To: leila@example.ir"), "{raw}");
    }
}
