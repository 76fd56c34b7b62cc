//! Issue 12, items 1 (in part) and 2: while nobody of the site is online
//! the widget says the team is away; the site owner says how soon the team
//! usually replies (console → the site → "Usual reply time") and, with
//! someone online, the widget says that under its title, in the visitor's
//! language, until an agent joins — instead of promising "soon" whatever
//! the hour. LTR (en) and RTL (fa). Screenshots
//! `reply-time-{away,console,widget}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::Value;

#[tokio::test]
async fn the_widget_says_how_soon_the_team_replies_ltr() -> Result<()> {
    Stage::run_chat(
        "reply-time-ltr",
        "en",
        "en",
        async |stage, visitor, agent| {
            let away = "We're away right now";
            play(
                stage,
                visitor,
                agent,
                "ltr",
                away,
                "Usually replies in a few hours",
            )
            .await
        },
    )
    .await
}

#[tokio::test]
async fn the_widget_says_how_soon_the_team_replies_rtl() -> Result<()> {
    Stage::run_chat(
        "reply-time-rtl",
        "fa",
        "fa",
        async |stage, visitor, agent| {
            let away = "الان در دسترس نیستیم";
            let promise = "معمولاً ظرف چند ساعت پاسخ می‌دهیم";
            play(stage, visitor, agent, "rtl", away, promise).await
        },
    )
    .await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    away: &str,
    promise: &str,
) -> Result<()> {
    // Nobody is online yet: the widget says the team is away.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    check::text_shown(visitor, &hook("subtitle"), away).await?;
    find::wait_for(visitor, &hook("team-away"), TIMEOUT).await?;
    action::screenshot(visitor, &format!("reply-time-away-{side}")).await?;

    stage.log_in_admin(agent).await?;
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    find::wait_for(agent, &hook("site-time-zone"), TIMEOUT).await?;
    // (The time zone field beside it suggests the browser's zones, its
    // own first as the placeholder.)
    let zones = find::eval(
        agent,
        "document.querySelectorAll('#time-zones option').length",
    )
    .await?;
    ensure!(
        zones.as_u64().unwrap_or(0) > 100,
        "time zone suggestions: {zones}"
    );
    let own = find::eval(
        agent,
        "document.querySelector('[data-test=site-time-zone]').placeholder",
    )
    .await?;
    ensure!(
        own.as_str().is_some_and(|z| z.contains('/') || z == "UTC"),
        "{own}"
    );
    let select = find::wait_for(agent, &hook("site-reply-time"), TIMEOUT).await?;
    select.select_by_value("hours").await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let select = find::wait_for(agent, &hook("site-reply-time"), TIMEOUT).await?;
    action::scroll_into_view(agent, &select).await?;
    action::screenshot(agent, &format!("reply-time-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    ensure!(site["appearance"]["reply_time"] == "hours", "saved: {site}");

    // With the admin online, the visitor (back on the page) reads the
    // promise until an agent joins.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    check::text_shown(visitor, &hook("subtitle"), promise).await?;
    ensure!(
        find::displayed(visitor, &hook("team-away"))
            .await?
            .is_none(),
        "the away line is gone once someone is online"
    );
    action::screenshot(visitor, &format!("reply-time-widget-{side}")).await?;
    Ok(())
}
