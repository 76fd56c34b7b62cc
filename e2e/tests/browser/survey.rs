//! Issue 12, the satisfaction survey and the transcript: the agent
//! resolves the chat; the widget asks "How was this chat?" with five faces;
//! the visitor picks one, answers the Net Promoter question (the site asks
//! it), adds a comment and sends; the widget thanks them and the agent sees
//! the answer under the thread and in the History list. The visitor's
//! transcript download holds the chat in their language and direction
//! (saved as `survey-transcript-{ltr,rtl}.html`). LTR (en) and RTL (ar).
//! Screenshots `survey-ask-*`, `survey-thanks-*`, `survey-dashboard-*` and
//! `survey-history-*` (`ltr`, `rtl`).

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};

#[tokio::test]
async fn the_visitor_rates_the_chat_and_the_agent_sees_it_ltr() -> Result<()> {
    Stage::run_chat("survey-ltr", "en", "en", async |stage, visitor, agent| {
        play(
            stage,
            visitor,
            agent,
            "ltr",
            "Where is my order?",
            "Quick and kind, thanks",
        )
        .await
    })
    .await
}

#[tokio::test]
async fn the_visitor_rates_the_chat_and_the_agent_sees_it_rtl() -> Result<()> {
    Stage::run_chat("survey-rtl", "ar", "ar", async |stage, visitor, agent| {
        play(
            stage,
            visitor,
            agent,
            "rtl",
            "أين طلبي؟",
            "سريع ولطيف، شكرًا",
        )
        .await
    })
    .await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    question: &str,
    comment: &str,
) -> Result<()> {
    // The site also asks the Net Promoter question.
    stage
        .ahlan
        .admin_call(
            reqwest::Method::PATCH,
            "/api/sites/s_demo",
            serde_json::json!({"survey_nps": true}),
        )
        .await?;
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, question).await?;
    stage.log_in_admin(agent).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", question).await?;
    action::reply(agent, "OK!").await?;
    check::message_shown(visitor, "agent", "OK!").await?;
    ensure!(
        find::displayed(visitor, &hook("survey")).await?.is_none(),
        "no survey while the chat is open"
    );

    // Resolved: the widget asks.
    action::click(agent, &hook("resolve")).await?;
    find::wait_for(visitor, &hook("survey"), TIMEOUT).await?;
    action::click(visitor, &hook("survey-score-4")).await?;
    action::click(visitor, &hook("survey-nps-9")).await?;
    find::wait_for(visitor, &hook("survey-comment"), TIMEOUT)
        .await?
        .send_keys(comment)
        .await?;
    action::screenshot(visitor, &format!("survey-ask-{side}")).await?;
    action::click(visitor, &hook("survey-send")).await?;
    find::wait_for(visitor, &hook("survey-thanks"), TIMEOUT).await?;
    ensure!(
        find::displayed(visitor, &hook("survey")).await?.is_none(),
        "the question gives way to the thanks"
    );
    action::screenshot(visitor, &format!("survey-thanks-{side}")).await?;
    // The visitor can keep the conversation: a file in their language and
    // direction with both sides' messages.
    // (What the widget hands to the browser is caught on its way: the
    // download itself goes nowhere in a headless browser.)
    visitor
        .execute(
            "window.__files = []; var make = URL.createObjectURL; \
             URL.createObjectURL = function (b) { window.__files.push(b); return make.call(URL, b); };",
            vec![],
        )
        .await?;
    action::click(visitor, &hook("transcript")).await?;
    let page = visitor
        .execute_async(
            "var done = arguments[arguments.length - 1]; \
             window.__files.length ? window.__files[0].text().then(done) : done(null);",
            vec![],
        )
        .await?;
    let page = page.as_str().unwrap_or_default();
    let lang = if side == "rtl" {
        r#"lang="ar" dir="rtl""#
    } else {
        r#"lang="en" dir="ltr""#
    };
    ensure!(page.contains(lang), "transcript direction: {page}");
    ensure!(
        page.contains(question) && page.contains("OK!"),
        "transcript: {page}"
    );
    // Kept beside the screenshots, to be looked at.
    std::fs::write(
        ahlan_e2e::paths::artifacts_dir()?.join(format!("survey-transcript-{side}.html")),
        page,
    )?;

    // The agent sees the answer under the thread.
    poll("the rating in the dashboard", TIMEOUT, || async {
        let texts = find::texts(agent, &hook("conversation-rating-comment")).await?;
        Ok((texts.first().map(String::as_str) == Some(comment)).then_some(()))
    })
    .await?;
    let text = find::texts(agent, &hook("conversation-rating-text")).await?;
    let (four, nine) = if side == "rtl" {
        ("٤", "٩")
    } else {
        ("4", "9")
    };
    ensure!(
        text.first().is_some_and(|t| t.contains(four)),
        "the score shown: {text:?}"
    );
    let nps = find::texts(agent, &hook("conversation-rating-nps")).await?;
    ensure!(
        nps.first().is_some_and(|t| t.contains(nine)),
        "the Net Promoter answer shown: {nps:?}"
    );
    action::screenshot(agent, &format!("survey-dashboard-{side}")).await?;
    // And in the History list, beside the conversation.
    action::click(agent, &hook("nav-history")).await?;
    poll("the rating in the history list", TIMEOUT, || async {
        let texts = find::texts(agent, &hook("history-rating")).await?;
        Ok(texts
            .first()
            .is_some_and(|t| t.contains(four))
            .then_some(()))
    })
    .await?;
    action::screenshot(agent, &format!("survey-history-{side}")).await?;

    // A reload thanks rather than asks again.
    visitor.refresh().await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    find::wait_for(visitor, &hook("survey-thanks"), TIMEOUT).await?;
    Ok(())
}
