//! Issue 13, privacy: the admin sets the demo site's retention in the
//! console; a visitor chats; from the conversation's context panel the
//! admin's export link gives that visitor's data, and "Erase visitor…",
//! confirmed, erases them: the dashboard drops the chat and the widget,
//! reconnecting, shows nothing of it. LTR (en) and RTL (fa). Screenshots
//! `privacy-console-{ltr,rtl}.png`, `privacy-confirm-{ltr,rtl}.png`,
//! `privacy-erased-{ltr,rtl}.png` and `privacy-widget-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::Value;

#[tokio::test]
async fn an_admin_exports_and_erases_a_visitor_ltr() -> Result<()> {
    Stage::run_chat("privacy-ltr", "en", "en", async |stage, visitor, agent| {
        play(
            stage,
            visitor,
            agent,
            "ltr",
            "My address is 12 Harbour Street",
        )
        .await
    })
    .await
}

#[tokio::test]
async fn an_admin_exports_and_erases_a_visitor_rtl() -> Result<()> {
    Stage::run_chat("privacy-rtl", "fa", "fa", async |stage, visitor, agent| {
        play(stage, visitor, agent, "rtl", "نشانی من خیابان بندر ۱۲ است").await
    })
    .await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    text: &str,
) -> Result<()> {
    // Retention, in the console.
    stage.log_in_admin(agent).await?;
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    action::replace_text(agent, &hook("site-retention"), "30").await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let field = find::wait_for(agent, &hook("site-retention"), TIMEOUT).await?;
    action::scroll_into_view(agent, &field).await?;
    action::screenshot(agent, &format!("privacy-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    ensure!(site["retention_days"] == 30, "saved: {site}");

    // A visitor chats.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, text).await?;
    action::click(agent, &hook("nav-inbox")).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", text).await?;

    // The export link is the visitor's, and gives their messages.
    let link = find::wait_for(agent, &hook("privacy-export"), TIMEOUT).await?;
    let href = link
        .attr("href")
        .await?
        .context("the export link has an href")?;
    ensure!(
        href.starts_with("/api/visitors/v_") && href.ends_with("/export"),
        "export link: {href}"
    );
    let data = stage
        .ahlan
        .admin_call(reqwest::Method::GET, &href, Value::Null)
        .await?;
    ensure!(data["messages"][0]["body"] == text, "export: {data}");

    // Erase, confirmed.
    action::click(agent, &hook("privacy-erase")).await?;
    let confirm = find::wait_for(agent, &hook("privacy-confirm"), TIMEOUT).await?;
    action::scroll_into_view(agent, &confirm).await?;
    action::screenshot(agent, &format!("privacy-confirm-{side}")).await?;
    action::click(agent, &hook("privacy-erase-confirm")).await?;
    poll(
        "the conversation gone from the dashboard",
        TIMEOUT,
        || async {
            Ok((find::shown_count(agent, &hook("conversation-item")).await? == 0).then_some(()))
        },
    )
    .await?;
    action::screenshot(agent, &format!("privacy-erased-{side}")).await?;
    let again = stage
        .ahlan
        .admin_call(reqwest::Method::GET, &href, Value::Null)
        .await;
    ensure!(again.is_err(), "the export is gone too: {again:?}");

    // The widget reconnects and holds nothing of it.
    poll("the message gone from the widget", TIMEOUT, || async {
        let body = find::body_text(visitor).await?;
        Ok((!body.contains(text)).then_some(()))
    })
    .await?;
    action::screenshot(visitor, &format!("privacy-widget-{side}")).await?;
    Ok(())
}
