//! Right-to-left: an Arabic visitor and a Persian agent get their language
//! and a mirrored layout without any setting, from the browser's language.

use ahlan_e2e::fixtures::{action, check, find, WIDGET_IFRAME};
use ahlan_e2e::{Browser, Stage};
use anyhow::{ensure, Context, Result};

const MARHABA: &str = "مرحبا";

#[tokio::test]
async fn arabic_widget_and_persian_dashboard_are_right_to_left() -> Result<()> {
    let stage = Stage::start("rtl").await?;
    let (visitor, agent) = stage.visitor_and_agent("ar", "fa").await?;
    let result = rtl(&stage, &visitor, &agent).await;
    stage.finish(result, vec![visitor, agent]).await
}

async fn rtl(stage: &Stage, visitor: &Browser, agent: &Browser) -> Result<()> {
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    check::document_dir(visitor, "rtl").await?;
    check::document_lang(visitor, "ar").await?;
    action::open_widget(visitor).await?;
    check::arabic_script_text(visitor).await?;
    action::send_visitor_message(visitor, MARHABA).await?;
    check::message_shown(visitor, "visitor", MARHABA).await?;

    // The loader puts the widget bottom-left for right-to-left languages.
    action::leave_frame(visitor).await?;
    let (left, _, width, _) = find::rect(visitor, WIDGET_IFRAME)
        .await?
        .context("the widget iframe is gone")?;
    let viewport = find::viewport_width(visitor).await?;
    ensure!(
        left + width / 2.0 < viewport / 2.0,
        "the RTL widget is not on the left: left {left}, width {width}, viewport {viewport}"
    );
    action::screenshot(visitor, "widget-rtl").await?;

    action::open_page(agent, &stage.dashboard_url()).await?;
    check::document_dir(agent, "rtl").await?;
    check::document_lang(agent, "fa").await?;
    stage.log_in_admin(agent).await?;
    check::document_dir(agent, "rtl").await?;
    // Known Persian strings of the inbox itself ("My chats", "Waiting"):
    // any Arabic-script text would also match the visitor's own message.
    check::text_shown(agent, "body", "گفتگوهای من").await?;
    check::text_shown(agent, "body", "در انتظار").await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", MARHABA).await?;
    action::screenshot(agent, "dashboard-rtl").await?;
    Ok(())
}
