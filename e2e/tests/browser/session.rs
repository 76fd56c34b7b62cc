//! The dashboard's socket (`client::socket`, shared with the widget) when
//! the session behind it ends: an admin disables an agent who has the inbox
//! open; the server closes their socket, the dashboard asks whether the
//! session still exists, learns it does not, stops reconnecting and shows
//! the sign-in page saying why. English (LTR) and Persian (RTL).
//! Screenshots `session-ended-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{Context, Result};
use serde_json::json;

const EMAIL: &str = "nadia@shop.example";
const PASSWORD: &str = "agent-password-1";

#[tokio::test]
async fn a_disabled_agents_dashboard_returns_to_sign_in_ltr() -> Result<()> {
    ended("ltr", "en", "Your session has ended. Please sign in again.").await
}

#[tokio::test]
async fn a_disabled_agents_dashboard_returns_to_sign_in_rtl() -> Result<()> {
    ended(
        "rtl",
        "fa",
        "نشست شما به پایان رسید. لطفاً دوباره وارد شوید.",
    )
    .await
}

async fn ended(side: &str, lang: &str, notice: &str) -> Result<()> {
    let stage = Stage::start(&format!("session-{side}")).await?;
    let agent = stage.browser("agent", lang).await?;
    let result = play(&stage, &agent, side, notice).await;
    stage.finish(result, vec![agent]).await
}

async fn play(stage: &Stage, agent: &Browser, side: &str, notice: &str) -> Result<()> {
    let nadia = stage
        .ahlan
        .admin_call(
            reqwest::Method::POST,
            "/api/agents",
            json!({"email": EMAIL, "name": "Nadia", "password": PASSWORD, "capacity": 3,
                   "sites": ["s_demo"]}),
        )
        .await?;
    let id = nadia["id"].as_str().context("Nadia's id")?.to_owned();
    action::login(agent, &stage.dashboard_url(), EMAIL, PASSWORD).await?;
    check::document_dir(agent, side).await?;
    find::wait_for(
        agent,
        r#"[data-test="connection"][data-state="connected"]"#,
        TIMEOUT,
    )
    .await?;

    stage
        .ahlan
        .admin_call(
            reqwest::Method::PATCH,
            &format!("/api/agents/{id}"),
            json!({ "disabled": true }),
        )
        .await?;
    check::text_shown(agent, ".form-notice", notice).await?;
    find::wait_for(agent, &hook("login-email"), TIMEOUT).await?;
    check::document_dir(agent, side).await?;
    action::screenshot(agent, &format!("session-ended-{side}")).await?;
    Ok(())
}
