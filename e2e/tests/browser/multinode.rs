//! Two server nodes sharing one Redis, as an operator scales out: the
//! visitor's widget talks to node 1, the agent's dashboard to node 2, and
//! they chat as if there were one server.

use ahlan_e2e::fixtures::{action, check};
use ahlan_e2e::{Ahlan, Browser, Deployment, Stage};
use ahlan_server::store::test_redis::RedisServer;
use anyhow::Result;

#[tokio::test]
async fn a_visitor_on_one_node_and_an_agent_on_another_chat_in_browsers() -> Result<()> {
    let redis = RedisServer::start().await;
    let deployment = Deployment::new(Some(redis.url()));
    let stage = Stage::start_in("multinode-1", &deployment).await?;
    let node2 = Ahlan::start_in("multinode-2", &deployment).await?;
    let (visitor, agent) = stage.visitor_and_agent("en", "en").await?;
    let result = chat(&stage, &node2, &visitor, &agent).await;
    stage.finish(result, vec![visitor, agent]).await
}

async fn chat(stage: &Stage, node2: &Ahlan, visitor: &Browser, agent: &Browser) -> Result<()> {
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, "hello node 1").await?;
    check::message_shown(visitor, "visitor", "hello node 1").await?;

    let dashboard = format!("{}/app", node2.base_url);
    action::login(agent, &dashboard, &node2.admin_email, &node2.admin_password).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", "hello node 1").await?;
    action::reply(agent, "hello from node 2").await?;

    check::message_shown(visitor, "agent", "hello from node 2").await?;
    action::screenshot(agent, "dashboard-multinode").await?;
    Ok(())
}
