//! Issue 12 on a phone (390×844): the pre-chat form with five questions
//! and the leave-a-message form fit the screen — nothing wider than it,
//! the send button reachable by scrolling the form — LTR (en) and RTL
//! (ar). Screenshots `phone-{prechat,offline}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

#[tokio::test]
async fn the_visitors_forms_fit_a_phone_ltr() -> Result<()> {
    run("ltr", "en").await
}

#[tokio::test]
async fn the_visitors_forms_fit_a_phone_rtl() -> Result<()> {
    run("rtl", "ar").await
}

async fn run(side: &str, lang: &str) -> Result<()> {
    let stage = Stage::start(&format!("phone-forms-{side}")).await?;
    let visitor = stage.browser("visitor", lang).await?;
    let result = play(&stage, &visitor, side).await;
    stage.finish(result, vec![visitor]).await
}

async fn patch_site(stage: &Stage, body: Value) -> Result<()> {
    stage
        .ahlan
        .admin_call(reqwest::Method::PATCH, "/api/sites/s_demo", body)
        .await
        .map(drop)
}

/// Inside the widget: nothing is wider than the screen, and the element
/// at `selector`, scrolled to, is wholly on it.
async fn fits(visitor: &Browser, selector: &str) -> Result<()> {
    let wide = find::eval(
        visitor,
        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    )
    .await?;
    ensure!(
        wide.as_f64().unwrap_or(1.0) <= 0.5,
        "the widget scrolls sideways by {wide}"
    );
    let button = find::wait_for(visitor, selector, TIMEOUT).await?;
    action::scroll_into_view(visitor, &button).await?;
    let (left, top, width, height) = find::rect(visitor, selector)
        .await?
        .with_context(|| format!("{selector} has no box"))?;
    let view = find::eval(visitor, "[window.innerWidth, window.innerHeight]").await?;
    let (w, h) = (
        view[0].as_f64().unwrap_or(0.0),
        view[1].as_f64().unwrap_or(0.0),
    );
    ensure!(
        left >= -0.5 && top >= -0.5 && left + width <= w + 0.5 && top + height <= h + 0.5,
        "{selector} is off screen: [{left}, {top}, {width}×{height}] in {w}×{h}"
    );
    Ok(())
}

async fn play(stage: &Stage, visitor: &Browser, side: &str) -> Result<()> {
    visitor.set_window_size(WIDTH, HEIGHT).await?;
    let inner = find::eval(visitor, "[window.innerWidth, window.innerHeight]").await?;
    let got = |i: usize| inner[i].as_u64().unwrap_or(0) as u32;
    visitor
        .set_window_size(
            WIDTH + WIDTH.saturating_sub(got(0)),
            HEIGHT + HEIGHT.saturating_sub(got(1)),
        )
        .await?;
    patch_site(
        stage,
        json!({"prechat": {"fields": [
            {"key": "name", "kind": "name", "required": true},
            {"key": "email", "kind": "email", "required": true},
            {"key": "phone", "kind": "phone"},
            {"key": "order_number", "kind": "text", "labels": {"en": "Order number", "ar": "رقم الطلب"}},
            {"key": "topic", "kind": "select", "required": true,
             "labels": {"en": "What is it about?", "ar": "بخصوص ماذا؟"},
             "options": ["Delivery", "Returns", "Payment"]},
        ]}}),
    )
    .await?;
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    find::wait_for(visitor, &hook("prechat"), TIMEOUT).await?;
    fits(visitor, &hook("prechat-send")).await?;
    action::screenshot(visitor, &format!("phone-prechat-{side}")).await?;

    // Closed all week: the leave-a-message form instead.
    patch_site(
        stage,
        json!({"hours": {"week": [null, null, null, null, null, null, null]}}),
    )
    .await?;
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    find::wait_for(visitor, &hook("leave-message"), TIMEOUT).await?;
    fits(visitor, &hook("leave-send")).await?;
    action::screenshot(visitor, &format!("phone-offline-{side}")).await?;
    Ok(())
}
