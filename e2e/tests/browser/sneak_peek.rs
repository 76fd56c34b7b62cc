//! Issue 10, the typing preview ("sneak peek"): the admin turns it on for
//! the site in the console; the widget then tells the visitor that the
//! team sees what they type; while the visitor types (not sending), the
//! agent sees the draft under the thread, marked as not sent; once sent it
//! is an ordinary message and the draft is gone. Widget and dashboard LTR
//! (en) and RTL (fa). Screenshots `sneak-peek-console-{ltr,rtl}.png`,
//! `sneak-peek-widget-{ltr,rtl}.png` and `sneak-peek-dashboard-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::Value;

#[tokio::test]
async fn the_agent_sees_the_draft_when_the_site_allows_it_ltr() -> Result<()> {
    Stage::run_chat(
        "sneak-peek-ltr",
        "en",
        "en",
        async |stage, visitor, agent| {
            play(
                stage,
                visitor,
                agent,
                "ltr",
                "Hi",
                "Where is my parcel? It was due on Monday",
            )
            .await
        },
    )
    .await
}

#[tokio::test]
async fn the_agent_sees_the_draft_when_the_site_allows_it_rtl() -> Result<()> {
    Stage::run_chat(
        "sneak-peek-rtl",
        "fa",
        "fa",
        async |stage, visitor, agent| {
            play(
                stage,
                visitor,
                agent,
                "rtl",
                "سلام",
                "بسته من کجاست؟ قرار بود دوشنبه برسد",
            )
            .await
        },
    )
    .await
}

/// The draft the dashboard shows, if any.
async fn shown_draft(agent: &Browser) -> Result<Option<String>> {
    Ok(find::texts(agent, &hook("visitor-draft")).await?.pop())
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    hello: &str,
    draft: &str,
) -> Result<()> {
    // The admin turns the preview on.
    stage.log_in_admin(agent).await?;
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    action::click(agent, &hook("site-typing-preview")).await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let switch = find::wait_for(agent, &hook("site-typing-preview"), TIMEOUT).await?;
    action::scroll_into_view(agent, &switch).await?;
    action::screenshot(agent, &format!("sneak-peek-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    ensure!(site["typing_preview"] == true, "saved: {site}");

    // The visitor is told, and starts a chat.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    find::wait_for(visitor, &hook("typing-preview-notice"), TIMEOUT).await?;
    action::send_visitor_message(visitor, hello).await?;

    action::click(agent, &hook("nav-inbox")).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", hello).await?;

    // Typing, not sending: the agent sees the draft as it grows.
    find::wait_for(visitor, &hook("composer"), TIMEOUT)
        .await?
        .send_keys(draft)
        .await?;
    poll("the whole draft in the dashboard", TIMEOUT, || async {
        Ok((shown_draft(agent).await?.as_deref() == Some(draft)).then_some(()))
    })
    .await?;
    action::screenshot(visitor, &format!("sneak-peek-widget-{side}")).await?;
    action::screenshot(agent, &format!("sneak-peek-dashboard-{side}")).await?;

    // Sent: a message like any other, and the draft is gone.
    action::click(visitor, &hook("send")).await?;
    check::message_shown(agent, "visitor", draft).await?;
    poll("the draft gone", TIMEOUT, || async {
        Ok(shown_draft(agent).await?.is_none().then_some(()))
    })
    .await
}
