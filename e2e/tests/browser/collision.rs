//! Issue 10, the collision indicator: two agents open the same waiting
//! chat (neither has taken it yet) and each sees the other there; when one
//! closes their dashboard, the other sees them gone. LTR (en) and RTL
//! (fa). Screenshots `collision-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::json;

const SARA: &str = "sara@shop.example";
const SARA_PASSWORD: &str = "sara-password-1";

#[tokio::test]
async fn two_agents_in_one_chat_see_each_other_ltr() -> Result<()> {
    collision("collision-ltr", "en", "ltr").await
}

#[tokio::test]
async fn two_agents_in_one_chat_see_each_other_rtl() -> Result<()> {
    collision("collision-rtl", "fa", "rtl").await
}

/// Sets the dashboard's agent away (a click on the presence button).
async fn away(agent: &Browser) -> Result<()> {
    action::click(agent, &hook("presence")).await?;
    poll("the presence to read away", TIMEOUT, || async {
        let now = find::eval(
            agent,
            "document.querySelector('[data-test=presence]').getAttribute('data-state')",
        )
        .await?;
        Ok((now == "away").then_some(()))
    })
    .await
}

async fn open_waiting(agent: &Browser) -> Result<()> {
    let waiting = format!("{} {}", hook("inbox-waiting"), hook("conversation-item"));
    action::click(agent, &waiting).await?;
    find::wait_for(agent, ".conversation", TIMEOUT).await?;
    Ok(())
}

async fn collision(test: &str, lang: &str, side: &str) -> Result<()> {
    let stage = Stage::start(test).await?;
    let ahlan = &stage.ahlan;
    // A second agent of the demo site.
    let sara =
        json!({"email": SARA, "name": "Sara", "password": SARA_PASSWORD, "sites": ["s_demo"]});
    if let Err(e) = ahlan
        .admin_call(reqwest::Method::POST, "/api/agents", sara)
        .await
    {
        return stage.finish(Err(e), vec![]).await;
    }
    let (visitor, admin) = stage.visitor_and_agent("en", lang).await?;
    let sara = match stage.browser("sara", lang).await {
        Ok(b) => b,
        Err(e) => return stage.finish(Err(e), vec![visitor, admin]).await,
    };
    let result = async {
        // Both away, so the chat waits for one of them to take it.
        stage.log_in_admin(&admin).await?;
        away(&admin).await?;
        action::login(&sara, &stage.dashboard_url(), SARA, SARA_PASSWORD).await?;
        away(&sara).await?;
        action::open_page(&visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(&visitor).await?;
        action::open_widget(&visitor).await?;
        action::send_visitor_message(&visitor, "Which of you is answering?").await?;

        open_waiting(&admin).await?;
        open_waiting(&sara).await?;
        check::text_shown(&admin, &hook("viewers"), "Sara").await?;
        check::text_shown(&sara, &hook("viewers"), "Admin").await?;
        check::document_dir(&admin, side).await?;
        action::screenshot(&admin, &format!("collision-{side}")).await?;
        Ok(())
    }
    .await;
    let result = match result {
        // Sara closes her dashboard: the admin sees her go.
        Ok(()) => {
            let closed = sara.close().await;
            let gone = poll("Sara to leave the conversation", TIMEOUT, || async {
                Ok(find::displayed(&admin, &hook("viewers"))
                    .await?
                    .is_none()
                    .then_some(()))
            })
            .await;
            ensure!(closed.is_ok(), "closing Sara's browser: {closed:?}");
            gone
        }
        Err(e) => {
            let _ = sara.close().await;
            Err(e)
        }
    };
    stage.finish(result, vec![visitor, admin]).await
}
