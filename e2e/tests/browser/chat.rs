//! A visitor and an agent talk: the snippet on another origin, the widget,
//! the dashboard, and the history after a reload.

use ahlan_e2e::fixtures::{action, check};
use ahlan_e2e::{Browser, Stage};
use anyhow::Result;

const HELLO: &str = "hello";
const REPLY: &str = "Hi! How can I help?";

#[tokio::test]
async fn visitor_and_agent_chat_and_history_survives_a_reload() -> Result<()> {
    let stage = Stage::start("chat").await?;
    let (visitor, agent) = stage.visitor_and_agent("en", "en").await?;
    let result = chat(&stage, &visitor, &agent).await;
    stage.finish(result, vec![visitor, agent]).await
}

async fn chat(stage: &Stage, visitor: &Browser, agent: &Browser) -> Result<()> {
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    check::document_dir(visitor, "ltr").await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, HELLO).await?;
    check::message_shown(visitor, "visitor", HELLO).await?;

    stage.log_in_admin(agent).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", HELLO).await?;
    action::reply(agent, REPLY).await?;
    check::message_shown(agent, "agent", REPLY).await?;
    action::screenshot(agent, "dashboard-ltr").await?;

    check::message_shown(visitor, "agent", REPLY).await?;
    action::screenshot(visitor, "widget-ltr").await?;

    // The token lives in the iframe's storage: a reload must bring the same
    // conversation back, every message once.
    visitor.refresh().await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    check::history_once_each(visitor, &[("visitor", HELLO), ("agent", REPLY)]).await?;
    Ok(())
}
