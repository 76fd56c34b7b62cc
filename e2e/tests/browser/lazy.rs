//! A page view costs almost nothing: the loader draws the launcher itself
//! (in the site's colour, on its side, mirrored for right-to-left) and
//! loads the widget — its wasm and its websocket — only when the visitor
//! asks for it, or when a conversation is going on, so that the unread
//! badge and the page's `on("message")` still work after a reload.

use ahlan_e2e::fixtures::{action, check, find, hook, LOADER_LAUNCHER, WIDGET_IFRAME};
use ahlan_e2e::{poll, AgentSocket, Ahlan, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};

const ACCENT: &str = "#b45309";
const ACCENT_RGB: &str = "rgb(180, 83, 9)";

#[tokio::test]
async fn a_page_view_that_never_chats_loads_no_widget() -> Result<()> {
    lazy_page_view("ltr", "en", "right").await
}

#[tokio::test]
async fn an_arabic_page_view_gets_its_launcher_mirrored() -> Result<()> {
    lazy_page_view("rtl", "ar", "left").await
}

async fn lazy_page_view(dir: &str, lang: &str, side: &str) -> Result<()> {
    let stage = Stage::start(&format!("lazy-{dir}")).await?;
    let visitor = stage.browser("visitor", lang).await?;
    let result = async {
        stage
            .ahlan
            .admin_call(
                reqwest::Method::PATCH,
                "/api/sites/s_demo",
                json!({ "accent_color": ACCENT }),
            )
            .await?;
        action::open_page(&visitor, &stage.host_url()).await?;
        check::widget_on_top(&visitor, 56.0, 56.0).await?;
        check::css(&visitor, LOADER_LAUNCHER, "background-color", ACCENT_RGB).await?;
        let label = find::eval(
            &visitor,
            r#"document.querySelector("ahlan-chat").shadowRoot
                .querySelector("button").getAttribute("aria-label")"#,
        )
        .await?;
        let expected = shared::locale::open_chat(lang);
        ensure!(
            label == expected,
            "the launcher's label is {label}, not {expected}"
        );
        launcher_on(&visitor, side).await?;
        action::screenshot(&visitor, &format!("lazy-launcher-{dir}")).await?;

        // Nothing else came: no iframe, no wasm, and the server holds no
        // visitor socket. (The check runs after the look arrived and the
        // button was drawn: a loader about to load more would have.)
        ensure!(
            find::widget_frame(&visitor).await?.is_none(),
            "the page view loaded the widget's iframe"
        );
        let fetched = find::eval(
            &visitor,
            r#"performance.getEntriesByType("resource").map(function (e) { return e.name; })"#,
        )
        .await?;
        let ours: Vec<&str> = fetched
            .as_array()
            .context("resource entries")?
            .iter()
            .filter_map(Value::as_str)
            .filter(|url| url.starts_with(&stage.ahlan.base_url))
            .collect();
        ensure!(
            ours.len() == 2
                && ours.iter().any(|u| u.contains("/widget/loader.js"))
                && ours.iter().any(|u| u.contains("/widget/launcher?")),
            "a page view fetched more than the loader and the launcher's look: {ours:?}"
        );
        ensure!(
            visitor_sockets(&stage.ahlan).await? == 0,
            "a page view opened a websocket"
        );

        // A click loads the widget, open, and the launcher hands over.
        action::switch_to_widget_frame(&visitor).await?;
        find::wait_for(&visitor, &hook("composer"), TIMEOUT).await?;
        check::document_dir(&visitor, dir).await?;
        action::leave_frame(&visitor).await?;
        ensure!(
            find::shown_count(&visitor, LOADER_LAUNCHER).await? == 0,
            "the loader's launcher stayed after the widget came"
        );
        check::widget_on_top(&visitor, 360.0, 560.0).await?;
        poll("the visitor's socket", TIMEOUT, || async {
            Ok((visitor_sockets(&stage.ahlan).await? == 1).then_some(()))
        })
        .await?;
        action::screenshot(&visitor, &format!("lazy-opened-{dir}")).await?;
        Ok(())
    }
    .await;
    stage.finish(result, vec![visitor]).await
}

#[tokio::test]
async fn an_ongoing_conversation_shows_its_badge_after_a_reload_without_a_click() -> Result<()> {
    let stage = Stage::start("lazy-ongoing").await?;
    let mut agent = AgentSocket::admin(&stage.ahlan).await?;
    let visitor = stage.browser("visitor", "ar").await?;
    let result = async {
        action::open_page(&visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(&visitor).await?;
        action::open_widget(&visitor).await?;
        action::send_visitor_message(&visitor, "مرحبا، هل من أحد هنا؟").await?;
        let message = agent.visitor_message("مرحبا، هل من أحد هنا؟").await?;
        agent.reply(&message.conversation, "أهلاً! كيف أساعدك؟").await?;
        check::message_shown(&visitor, "agent", "أهلاً! كيف أساعدك؟").await?;
        action::leave_frame(&visitor).await?;

        // The next page view: the widget comes by itself, closed, and the
        // page hears the agent's next message.
        action::open_page(&visitor, &stage.host_url()).await?;
        find::eval(
            &visitor,
            r#"(window.__heard = [], Ahlan.on("message", function (m) { __heard.push(m.body); }), 1)"#,
        )
        .await?;
        poll("the widget to load without a click", TIMEOUT, || async {
            Ok((find::shown_count(&visitor, WIDGET_IFRAME).await? > 0).then_some(()))
        })
        .await?;
        let (_, _, width, _) = find::rect(&visitor, WIDGET_IFRAME)
            .await?
            .context("the widget's iframe")?;
        ensure!(width < 120.0, "the widget came open ({width}px wide)");
        agent.reply(&message.conversation, "هل ما زلت هنا؟").await?;
        poll("the page's on(\"message\")", TIMEOUT, || async {
            let heard = find::eval(&visitor, "window.__heard").await?;
            Ok((heard == json!(["هل ما زلت هنا؟"])).then_some(()))
        })
        .await?;
        action::switch_to_widget_frame(&visitor).await?;
        check::text_shown(&visitor, ".badge", "1").await?;
        // Said to screen readers in the singular (client::plural).
        let said = find::eval(
            &visitor,
            r#"document.querySelector(".badge").getAttribute("aria-label")"#,
        )
        .await?;
        ensure!(
            said == "رسالة واحدة غير مقروءة",
            "the badge says {said}"
        );
        action::leave_frame(&visitor).await?;
        action::screenshot(&visitor, "lazy-badge-rtl").await?;

        // Resolved: the flag goes, and the page view after is light again.
        agent.resolve(&message.conversation).await?;
        poll("the host page's flag to go", TIMEOUT, || async {
            let flag = find::eval(&visitor, r#"localStorage.getItem("ahlan:" + document.querySelector("script[data-site]").getAttribute("data-site") + ":active")"#).await?;
            Ok(flag.is_null().then_some(()))
        })
        .await?;
        action::open_page(&visitor, &stage.host_url()).await?;
        poll("the loader's launcher", TIMEOUT, || async {
            Ok(find::loader_launcher(&visitor).await?.map(drop))
        })
        .await?;
        ensure!(
            find::widget_frame(&visitor).await?.is_none(),
            "the widget loaded with no conversation going on"
        );
        Ok(())
    }
    .await;
    stage.finish(result, vec![visitor]).await
}

/// The launcher sits on `side` of the viewport.
async fn launcher_on(visitor: &Browser, side: &str) -> Result<()> {
    let (left, _, width, _) = find::rect(visitor, LOADER_LAUNCHER)
        .await?
        .context("the loader's launcher")?;
    let viewport = find::viewport_width(visitor).await?;
    let on_left = left + width / 2.0 < viewport / 2.0;
    ensure!(
        on_left == (side == "left"),
        "the launcher is not on the {side}: left {left}, viewport {viewport}"
    );
    Ok(())
}

/// Visitor websockets open on the server, from its metrics.
async fn visitor_sockets(ahlan: &Ahlan) -> Result<u64> {
    let text = reqwest::get(format!("{}/metrics", ahlan.base_url))
        .await?
        .text()
        .await?;
    text.lines()
        .find(|l| l.starts_with(r#"ahlan_connections{socket="visitor"}"#))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse::<f64>().ok())
        .map(|v| v as u64)
        .with_context(|| format!("no visitor connections gauge in the metrics:\n{text}"))
}
