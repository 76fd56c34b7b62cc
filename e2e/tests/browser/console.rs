//! Issue 9, as a site owner does it: the admin creates a site and an agent
//! in the console, gives the site its colour, side and greeting while the
//! preview follows, copies the snippet into a page on another origin; the
//! widget there looks as chosen (left to right and mirrored for Arabic);
//! the new agent logs in and sees that site's chats and nothing else.

use std::sync::{Arc, Mutex};

use ahlan_e2e::fixtures::{action, check, find, hook, LOADER_LAUNCHER, WIDGET_IFRAME};
use ahlan_e2e::mini_http::host_page_html;
use ahlan_e2e::{poll, Browser, MiniServer, Reply, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use fantoccini::Locator;

const GREETING: &str = "Marhaba! Ask the Shop team anything.";
const ACCENT: &str = "#0f766e";
const ACCENT_RGB: &str = "rgb(15, 118, 110)";

#[tokio::test]
async fn an_admin_sets_up_a_site_and_an_agent_who_sees_only_its_chats() -> Result<()> {
    let stage = Stage::start("console").await?;
    // The owner's own site: a page whose snippet is whatever the console
    // gave (empty until copied).
    let snippet = Arc::new(Mutex::new(String::new()));
    let shop = {
        let snippet = snippet.clone();
        MiniServer::start(move |_| Reply::Html(host_page_html(&snippet.lock().unwrap()))).await?
    };
    let admin = stage.browser("admin", "en").await?;
    let visitor = match stage.browser("visitor", "en").await {
        Ok(b) => b,
        Err(e) => return stage.finish(Err(e), vec![admin]).await,
    };
    let result = set_up(&stage, &shop, &snippet, &admin, &visitor).await;
    stage.finish(result, vec![admin, visitor]).await
}

async fn set_up(
    stage: &Stage,
    shop: &MiniServer,
    snippet: &Mutex<String>,
    admin: &Browser,
    visitor: &Browser,
) -> Result<()> {
    let ahlan = &stage.ahlan;
    action::login(
        admin,
        &stage.dashboard_url(),
        &ahlan.admin_email,
        &ahlan.admin_password,
    )
    .await?;
    action::click(admin, &hook("nav-settings")).await?;
    action::replace_text(admin, &hook("new-site-name"), "Shop").await?;
    action::click(admin, &hook("new-site-create")).await?;
    check::text_shown(admin, &hook("site-heading"), "Shop").await?;

    // The look, watched in the live preview as it is typed.
    action::replace_text(admin, &hook("site-origins"), &shop.url()).await?;
    action::replace_text(admin, &hook("site-accent"), ACCENT).await?;
    action::click(admin, &hook("site-position-left")).await?;
    action::replace_text(admin, &hook("site-title"), "Shop team").await?;
    action::replace_text(admin, &hook("site-greeting"), GREETING).await?;
    check::css(
        admin,
        &hook("site-preview-launcher"),
        "background-color",
        ACCENT_RGB,
    )
    .await?;
    preview_shows(admin, GREETING, ACCENT_RGB).await?;
    action::click(admin, &hook("site-save")).await?;
    find::wait_for(admin, &hook("saved"), TIMEOUT).await?;
    action::screenshot(admin, "console-site-ltr").await?;

    let code = find::texts(admin, &hook("site-snippet"))
        .await?
        .into_iter()
        .next()
        .context("no snippet shown")?;
    ensure!(code.contains("data-site=\"pk_"), "snippet: {code}");
    *snippet.lock().unwrap() = code;

    // An agent for this site only.
    action::click(admin, &hook("settings-agents")).await?;
    action::click(admin, &hook("agents-new")).await?;
    action::replace_text(admin, &hook("agent-name"), "Sara").await?;
    action::replace_text(admin, &hook("agent-email"), "sara@shop.example").await?;
    action::replace_text(admin, &hook("agent-password"), "sara-password-1").await?;
    // New agents start with every site ticked: untick the demo site.
    let demo = format!(r#"{}[data-id="s_demo"]"#, hook("agent-site"));
    action::click(admin, &demo).await?;
    action::click(admin, &hook("agent-save")).await?;
    check::text_shown(admin, &hook("agent-row"), "sara@shop.example").await?;
    action::screenshot(admin, "console-agents-ltr").await?;

    // Sara opens her dashboard; the admin steps away, so the shop's chats
    // are hers to take.
    let sara = stage.browser("sara", "en").await?;
    let result = async {
        action::login(
            &sara,
            &stage.dashboard_url(),
            "sara@shop.example",
            "sara-password-1",
        )
        .await?;
        action::click(admin, &hook("presence")).await?;
        find::wait_for(
            admin,
            r#"[data-test="presence"][data-state="away"]"#,
            TIMEOUT,
        )
        .await?;

        // A demo-site visitor writes: Sara must never see it.
        let demo_visitor = stage.browser("demo-visitor", "en").await?;
        let demo_result = async {
            action::open_page(&demo_visitor, &stage.host_url()).await?;
            action::switch_to_widget_frame(&demo_visitor).await?;
            action::open_widget(&demo_visitor).await?;
            action::send_visitor_message(&demo_visitor, "a question for the demo site").await?;
            check::message_shown(&demo_visitor, "visitor", "a question for the demo site").await
        }
        .await;
        demo_visitor.close().await?;
        demo_result?;

        // The shop's page, with the pasted snippet: the widget on the
        // left, in the shop's colour, with its greeting.
        action::open_page(visitor, &shop.url()).await?;
        widget_on_side(visitor, "left").await?;
        check::css(visitor, LOADER_LAUNCHER, "background-color", ACCENT_RGB).await?;
        action::switch_to_widget_frame(visitor).await?;
        action::open_widget(visitor).await?;
        check::text_shown(visitor, ".greeting", GREETING).await?;
        check::text_shown(visitor, ".title", "Shop team").await?;
        action::send_visitor_message(visitor, "Do you have size 42?").await?;
        check::message_shown(visitor, "visitor", "Do you have size 42?").await?;
        check::text_shown(visitor, ".subtitle", "Sara").await?;
        action::screenshot(visitor, "widget-site-ltr").await?;

        // Sara has the shop's chat, and nothing of the demo site.
        check::text_shown(&sara, &hook("conversation-item"), "size 42").await?;
        let items = find::texts(&sara, &hook("conversation-item")).await?;
        ensure!(
            items.len() == 1 && !items.iter().any(|i| i.contains("demo site")),
            "Sara's lists: {items:?}"
        );
        action::screenshot(&sara, "console-agent-sees-own-site").await?;
        Ok(())
    }
    .await;
    sara.close().await?;
    result?;

    // Right to left: the console in Arabic, and an Arabic visitor gets the
    // launcher mirrored to the right.
    action::click(admin, &hook("settings-sites")).await?;
    admin
        .find(Locator::Css("select.lang-switch"))
        .await?
        .select_by_value("ar")
        .await?;
    check::document_dir(admin, "rtl").await?;
    let mut shop_row = None;
    for row in admin.find_all(Locator::Css(&hook("site-row"))).await? {
        if row.text().await?.contains("Shop") {
            shop_row = Some(row);
        }
    }
    shop_row
        .context("no Shop row in the sites list")?
        .find(Locator::Css("a"))
        .await?
        .click()
        .await?;
    check::text_shown(admin, &hook("site-heading"), "Shop").await?;
    check::css(
        admin,
        &hook("site-preview-launcher"),
        "background-color",
        ACCENT_RGB,
    )
    .await?;
    preview_shows(admin, GREETING, ACCENT_RGB).await?;
    action::screenshot(admin, "console-site-rtl").await?;
    Ok(())
}

/// Inside the preview frame: the greeting and the colour, then back out.
async fn preview_shows(admin: &Browser, greeting: &str, rgb: &str) -> Result<()> {
    let frame = find::wait_for(admin, &hook("site-preview"), TIMEOUT).await?;
    frame.enter_frame().await.context("entering the preview")?;
    let shown = async {
        check::text_shown(admin, ".greeting", greeting).await?;
        check::css(admin, &hook("send"), "background-color", rgb).await
    }
    .await;
    action::leave_frame(admin).await?;
    shown
}

/// The widget's iframe sits on `side` of the viewport.
async fn widget_on_side(visitor: &Browser, side: &str) -> Result<()> {
    poll(&format!("the widget on the {side}"), TIMEOUT, || async {
        // The loader's launcher, until the widget is loaded.
        let shown = find::rect(visitor, LOADER_LAUNCHER)
            .await?
            .filter(|&(_, _, width, _)| width > 0.0);
        let Some((left, _, width, _)) = shown.or(find::rect(visitor, WIDGET_IFRAME).await?) else {
            return Ok(None);
        };
        if width == 0.0 {
            return Ok(None);
        }
        let viewport = find::viewport_width(visitor).await?;
        let on_left = left + width / 2.0 < viewport / 2.0;
        Ok((on_left == (side == "left")).then_some(()))
    })
    .await
}

#[tokio::test]
async fn an_arabic_visitor_sees_the_owners_side_mirrored() -> Result<()> {
    let stage = Stage::start("console-rtl").await?;
    let admin = stage.browser("admin", "en").await?;
    let visitor = match stage.browser("visitor", "ar").await {
        Ok(b) => b,
        Err(e) => return stage.finish(Err(e), vec![admin]).await,
    };
    let result = async {
        let ahlan = &stage.ahlan;
        action::login(
            &admin,
            &stage.dashboard_url(),
            &ahlan.admin_email,
            &ahlan.admin_password,
        )
        .await?;
        action::open_page(
            &admin,
            &format!("{}#/settings/sites/s_demo", stage.dashboard_url()),
        )
        .await?;
        action::replace_text(&admin, &hook("site-accent"), ACCENT).await?;
        action::click(&admin, &hook("site-position-left")).await?;
        action::replace_text(&admin, &hook("site-greeting"), GREETING).await?;
        action::click(&admin, &hook("site-save")).await?;
        find::wait_for(&admin, &hook("saved"), TIMEOUT).await?;

        // "Left" for a left-to-right page is the right for an Arabic one.
        action::open_page(&visitor, &stage.host_url()).await?;
        widget_on_side(&visitor, "right").await?;
        check::css(&visitor, LOADER_LAUNCHER, "background-color", ACCENT_RGB).await?;
        action::switch_to_widget_frame(&visitor).await?;
        check::document_dir(&visitor, "rtl").await?;
        action::open_widget(&visitor).await?;
        check::text_shown(&visitor, ".greeting", GREETING).await?;
        action::screenshot(&visitor, "widget-site-rtl").await?;
        Ok(())
    }
    .await;
    stage.finish(result, vec![admin, visitor]).await
}
