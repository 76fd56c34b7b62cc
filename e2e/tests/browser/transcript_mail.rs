//! Issue 12, item 8 (the mail half): once an agent has answered, the
//! widget's header offers to mail the conversation; the visitor gives an
//! address (a wrong one is refused in their language), the widget says
//! where it went, and the mail reaching a real SMTP sink holds every
//! message, in the visitor's language and direction. LTR (en) and RTL
//! (fa). Screenshots `mail-form-{ltr,rtl}`, `mail-sent-{ltr,rtl}`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::sockets::AgentSocket;
use ahlan_e2e::{Browser, Deployment, Stage, TIMEOUT};
use ahlan_server::test_smtp::SmtpSink;
use anyhow::{ensure, Context, Result};

struct Words {
    question: &'static str,
    answer: &'static str,
    bad_email: &'static str,
    sent: &'static str,
    subject: &'static str,
    html: &'static str,
}

#[tokio::test]
async fn the_visitor_has_the_conversation_mailed_ltr() -> Result<()> {
    let words = Words {
        question: "Do you ship to Oman?",
        answer: "Yes, in 3 to 5 days.",
        bad_email: "Please enter an email address",
        sent: "The conversation is on its way to",
        subject: "Your conversation with Ahlan Demo",
        html: "<html lang=\"en\" dir=\"ltr\">",
    };
    run("ltr", "en", words).await
}

#[tokio::test]
async fn the_visitor_has_the_conversation_mailed_rtl() -> Result<()> {
    let words = Words {
        question: "به عمان هم ارسال دارید؟",
        answer: "بله، ظرف ۳ تا ۵ روز.",
        bad_email: "یک ایمیل درست وارد کنید",
        sent: "گفتگو به",
        subject: "گفتگوی شما با Ahlan Demo",
        html: "<html lang=\"fa\" dir=\"rtl\">",
    };
    run("rtl", "fa", words).await
}

async fn run(side: &str, lang: &str, words: Words) -> Result<()> {
    let mut sink = SmtpSink::start().await;
    let deployment = Deployment::mailing(&sink.url);
    let stage = Stage::start_in(&format!("mail-{side}"), &deployment).await?;
    let visitor = stage.browser("visitor", lang).await?;
    let result = play(&stage, &visitor, &mut sink, side, &words).await;
    stage.finish(result, vec![visitor]).await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    sink: &mut SmtpSink,
    side: &str,
    words: &Words,
) -> Result<()> {
    let mut desk = AgentSocket::admin(&stage.ahlan).await?;
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, words.question).await?;
    let asked = desk.visitor_message(words.question).await?;
    ensure!(
        find::displayed(visitor, &hook("mail-transcript"))
            .await?
            .is_none(),
        "nothing to mail before an agent wrote"
    );
    desk.reply(&asked.conversation, words.answer).await?;
    check::message_shown(visitor, "agent", words.answer).await?;

    action::click(visitor, &hook("mail-transcript")).await?;
    find::wait_for(visitor, &hook("mail-form"), TIMEOUT).await?;
    action::replace_text(visitor, &hook("mail-email"), "leila@localhost").await?;
    action::click(visitor, &hook("mail-send")).await?;
    check::text_shown(visitor, &hook("mail-problem"), words.bad_email).await?;
    action::screenshot(visitor, &format!("mail-form-{side}")).await?;
    action::replace_text(visitor, &hook("mail-email"), "leila@example.ir").await?;
    action::click(visitor, &hook("mail-send")).await?;
    check::text_shown(visitor, &hook("mail-sent"), words.sent).await?;
    check::text_shown(visitor, &hook("mail-sent"), "leila@example.ir").await?;
    find::wait_for(visitor, &hook("composer"), TIMEOUT).await?;
    action::screenshot(visitor, &format!("mail-sent-{side}")).await?;

    let mail = sink
        .next(TIMEOUT)
        .await
        .context("the conversation's mail reached the sink")?;
    ensure!(mail.to == ["leila@example.ir"], "{:?}", mail.to);
    let subject = mail.header("Subject").unwrap_or_default();
    // Non-ASCII subjects travel encoded (RFC 2047): compare the ASCII end.
    ensure!(
        subject.contains("Ahlan Demo") || words.subject.is_ascii() && subject == words.subject,
        "subject {subject}"
    );
    let parts = mail.parts();
    let html = parts
        .iter()
        .find(|(t, _)| t.starts_with("text/html"))
        .map(|(_, b)| b.as_str())
        .context("an HTML part")?;
    ensure!(html.contains(words.html), "{html}");
    let (q, a) = (html.find(words.question), html.find(words.answer));
    ensure!(
        matches!((q, a), (Some(q), Some(a)) if q < a),
        "both messages, in order: {html}"
    );
    Ok(())
}
