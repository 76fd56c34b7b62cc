//! Issue 12, item 1: business hours and leaving a message. The owner sets
//! the site's hours in the console (closed now, open in a few hours); the
//! visitor's widget says it is offline and when the team is back, and
//! offers the leave-a-message form (a bad address is refused in the
//! visitor's language); the message left shows in the dashboard with its
//! badge, the visitor's name and email, and the agent's reply goes by mail
//! (a real SMTP sink on a free port) as well as into the widget. LTR (en)
//! and RTL (ar). Screenshots `offline-{console,widget,form-error,left,
//! desk}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Deployment, Stage, TIMEOUT};
use ahlan_server::test_smtp::SmtpSink;
use anyhow::{ensure, Context, Result};
use serde_json::Value;

struct Words {
    offline: &'static str,
    bad_email: &'static str,
    name: &'static str,
    question: &'static str,
}

#[tokio::test]
async fn a_visitor_leaves_a_message_while_offline_and_gets_the_reply_by_mail_ltr() -> Result<()> {
    let words = Words {
        offline: "We're offline · back",
        bad_email: "Please enter an email address",
        name: "Leila",
        question: "Do you ship to Oman?",
    };
    run("ltr", "en", words).await
}

#[tokio::test]
async fn a_visitor_leaves_a_message_while_offline_and_gets_the_reply_by_mail_rtl() -> Result<()> {
    let words = Words {
        offline: "خارج أوقات العمل · نعود",
        bad_email: "أدخل بريدًا إلكترونيًا صحيحًا",
        name: "ليلى",
        question: "هل تشحنون إلى عُمان؟",
    };
    run("rtl", "ar", words).await
}

async fn run(side: &str, lang: &str, words: Words) -> Result<()> {
    let mut sink = SmtpSink::start().await;
    let deployment = Deployment::mailing(&sink.url);
    let stage = Stage::start_in(&format!("offline-{side}"), &deployment).await?;
    let (visitor, agent) = stage.visitor_and_agent(lang, lang).await?;
    let result = play(&stage, &visitor, &agent, &mut sink, side, &words).await;
    stage.finish(result, vec![visitor, agent]).await
}

/// `HH:MM` for an hour of the day.
fn at(hour: u64) -> String {
    format!("{:02}:00", hour % 24)
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    sink: &mut SmtpSink,
    side: &str,
    words: &Words,
) -> Result<()> {
    // Every day open one hour, three hours from now (UTC, the site's zone):
    // closed now whatever the hour the test runs at.
    let now_hour = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs()
        / 3600
        % 24;
    let (opens, closes) = (at(now_hour + 3), at(now_hour + 4));

    stage.log_in_admin(agent).await?;
    // Away (nobody online), so the message left waits for the team.
    action::go_away(agent).await?;
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    action::click(agent, &hook("site-hours-on")).await?;
    find::wait_for(agent, &hook("site-hours"), TIMEOUT).await?;
    for day in 0..7 {
        let open = find::eval(
            agent,
            &format!("document.querySelector('[data-test=site-hours-open-{day}]').checked"),
        )
        .await?;
        if open != Value::Bool(true) {
            action::click(agent, &hook(&format!("site-hours-open-{day}"))).await?;
        }
        // A time field takes typing in the browser's own format; the value
        // is set the way a picker does, with the input event it sends.
        for (field, value) in [("opens", &opens), ("closes", &closes)] {
            let selector = format!("[data-test=site-hours-{field}-{day}]");
            find::wait_for(agent, &selector, TIMEOUT).await?;
            find::eval(
                agent,
                &format!(
                    "(() => {{ const el = document.querySelector('{selector}'); \
                     el.value = '{value}'; \
                     el.dispatchEvent(new Event('input', {{bubbles: true}})); return true; }})()"
                ),
            )
            .await?;
        }
    }
    action::replace_text(agent, &hook("site-holidays"), "2030-12-25").await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let hours = find::wait_for(agent, &hook("site-hours"), TIMEOUT).await?;
    action::scroll_into_view(agent, &hours).await?;
    action::screenshot(agent, &format!("offline-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    let want = (now_hour + 3) % 24 * 60;
    ensure!(
        site["hours"]["week"][6]["opens"] == want && site["hours"]["holidays"][0] == "2030-12-25",
        "saved: {site}"
    );

    // The visitor: offline, back at a time, and the form.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    check::text_shown(visitor, &hook("subtitle"), words.offline).await?;
    find::wait_for(visitor, &hook("leave-message"), TIMEOUT).await?;
    ensure!(
        find::displayed(visitor, &hook("composer")).await?.is_none(),
        "the form takes the composer's place"
    );
    action::screenshot(visitor, &format!("offline-widget-{side}")).await?;
    action::replace_text(visitor, &hook("leave-name"), words.name).await?;
    action::replace_text(visitor, &hook("leave-email"), "leila@localhost").await?;
    action::replace_text(visitor, &hook("leave-text"), words.question).await?;
    action::click(visitor, &hook("leave-send")).await?;
    check::text_shown(visitor, &hook("error"), words.bad_email).await?;
    action::screenshot(visitor, &format!("offline-form-error-{side}")).await?;
    action::replace_text(visitor, &hook("leave-email"), "leila@example.ir").await?;
    action::click(visitor, &hook("leave-send")).await?;
    check::text_shown(visitor, &hook("contact-kept"), "leila@example.ir").await?;
    check::message_shown(visitor, "visitor", words.question).await?;
    ensure!(
        find::displayed(visitor, &hook("leave-message"))
            .await?
            .is_none(),
        "the form is gone once the email is kept"
    );
    action::screenshot(visitor, &format!("offline-left-{side}")).await?;

    // The agent: the message waits with its badge; back online, it is
    // theirs, with where replies go and the visitor's name and email.
    agent.goto(&format!("{}#/", stage.dashboard_url())).await?;
    let waiting = format!("{} {}", hook("inbox-waiting"), hook("left-message-badge"));
    find::wait_for(agent, &waiting, TIMEOUT).await?;
    action::click(agent, &hook("presence")).await?;
    action::open_conversation(agent).await?;
    check::text_shown(agent, &hook("left-message"), "leila@example.ir").await?;
    check::text_shown(agent, &hook("context-email"), "leila@example.ir").await?;
    check::text_shown(agent, &hook("context-name"), words.name).await?;
    action::reply(agent, "Yes — it arrives in 3 days.").await?;
    check::message_shown(visitor, "agent", "Yes — it arrives in 3 days.").await?;
    action::screenshot(agent, &format!("offline-desk-{side}")).await?;

    let mail = sink
        .next(TIMEOUT)
        .await
        .context("the reply's mail never reached the SMTP sink")?;
    ensure!(mail.to == ["leila@example.ir"], "{mail:?}");
    let text = mail.body_text();
    ensure!(text.contains("Yes — it arrives in 3 days."), "{text}");
    ensure!(text.contains(words.name), "greets them by name: {text}");
    Ok(())
}
