//! Issue 10, item 7: message states both ways. The agent is online in the
//! dashboard but looking at nothing; the visitor writes and sees
//! "Delivered" under their message (the dashboard has it, unread), then
//! "Seen" once the agent opens the chat. The visitor closes the panel; the
//! agent's reply shows "Delivered" (the widget has it, the panel is
//! closed), then "Seen" once the visitor opens the panel. LTR (en widget,
//! en dashboard) and RTL (ar widget, fa dashboard). Screenshots
//! `receipts-{widget,desk}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};

/// What each side reads, per layout.
struct Words {
    visitor_lang: &'static str,
    agent_lang: &'static str,
    hello: &'static str,
    reply: &'static str,
    /// "Delivered" in the widget's and the dashboard's language.
    widget_delivered: &'static str,
    desk_delivered: &'static str,
}

#[tokio::test]
async fn each_side_sees_delivered_then_seen_ltr() -> Result<()> {
    receipts(
        "ltr",
        Words {
            visitor_lang: "en",
            agent_lang: "en",
            hello: "Is my order on its way?",
            reply: "Let me check the courier for you.",
            widget_delivered: "Delivered",
            desk_delivered: "Delivered",
        },
    )
    .await
}

#[tokio::test]
async fn each_side_sees_delivered_then_seen_rtl() -> Result<()> {
    receipts(
        "rtl",
        Words {
            visitor_lang: "ar",
            agent_lang: "fa",
            hello: "هل طلبي في الطريق؟",
            reply: "Let me check the courier for you.",
            widget_delivered: "تم التسليم",
            desk_delivered: "تحویل شد",
        },
    )
    .await
}

async fn receipts(side: &str, words: Words) -> Result<()> {
    let stage = Stage::start(&format!("receipts-{side}")).await?;
    let (visitor, agent) = stage
        .visitor_and_agent(words.visitor_lang, words.agent_lang)
        .await?;
    let result = play(&stage, &visitor, &agent, side, &words).await;
    stage.finish(result, vec![visitor, agent]).await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    words: &Words,
) -> Result<()> {
    // The agent is online first, so routing gives them the chat; they look
    // at nothing in particular.
    stage.log_in_admin(agent).await?;
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, words.hello).await?;
    check::message_shown(visitor, "visitor", words.hello).await?;

    // The dashboard lists it (mine, unread): delivered, not seen.
    let mine = format!("{} {}", hook("inbox-mine"), hook("conversation-item"));
    find::wait_for(agent, &mine, TIMEOUT).await?;
    check::text_shown(visitor, &hook("delivered"), words.widget_delivered).await?;
    ensure!(
        find::shown_count(visitor, &hook("seen")).await? == 0,
        "seen before the agent opened the chat"
    );
    action::screenshot(visitor, &format!("receipts-widget-{side}")).await?;

    // The agent opens it: seen.
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", words.hello).await?;
    find::wait_for(visitor, &hook("seen"), TIMEOUT).await?;
    gone(visitor, "delivered").await?;

    // The visitor closes the panel; the reply reaches the widget all the
    // same: delivered.
    action::click(visitor, &hook("close")).await?;
    action::reply(agent, words.reply).await?;
    check::message_shown(agent, "agent", words.reply).await?;
    check::text_shown(agent, &hook("delivered"), words.desk_delivered).await?;
    ensure!(
        find::shown_count(agent, &hook("seen")).await? == 0,
        "seen with the visitor's panel closed"
    );
    action::screenshot(agent, &format!("receipts-desk-{side}")).await?;

    // They open it and read it: seen.
    action::open_widget(visitor).await?;
    check::message_shown(visitor, "agent", words.reply).await?;
    find::wait_for(agent, &hook("seen"), TIMEOUT).await?;
    gone(agent, "delivered").await?;
    check::history_once_each(visitor, &[("visitor", words.hello), ("agent", words.reply)]).await?;
    Ok(())
}

/// Waits until nothing marked `name` is shown.
async fn gone(client: &Browser, name: &str) -> Result<()> {
    poll(&format!("no {name} shown"), TIMEOUT, || async {
        Ok((find::shown_count(client, &hook(name)).await? == 0).then_some(()))
    })
    .await
}
