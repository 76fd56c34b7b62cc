//! Issue 12, item 4: the pre-chat form. The owner adds questions in the
//! console (name and email required, a choice of topic with its Persian
//! label); the widget asks them before the first message, says what to fix
//! beside the field, and the agent reads the answers beside the
//! conversation. LTR (en) and RTL (fa). Screenshots
//! `prechat-{console,widget,fix,desk}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::Value;

struct Words {
    topic: &'static str,
    name: &'static str,
    fix: &'static str,
    question: &'static str,
}

#[tokio::test]
async fn the_widget_asks_the_sites_questions_before_the_first_message_ltr() -> Result<()> {
    let words = Words {
        topic: "Topic",
        name: "Leila",
        fix: "Please fill this in.",
        question: "My parcel has not arrived",
    };
    Stage::run_chat("prechat-ltr", "en", "en", async |stage, visitor, agent| {
        play(stage, visitor, agent, "ltr", &words).await
    })
    .await
}

#[tokio::test]
async fn the_widget_asks_the_sites_questions_before_the_first_message_rtl() -> Result<()> {
    let words = Words {
        topic: "موضوع",
        name: "لیلا",
        fix: "لطفاً این را پر کنید.",
        question: "بسته‌ام هنوز نرسیده است",
    };
    Stage::run_chat("prechat-rtl", "fa", "fa", async |stage, visitor, agent| {
        play(stage, visitor, agent, "rtl", &words).await
    })
    .await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    words: &Words,
) -> Result<()> {
    stage.log_in_admin(agent).await?;
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    // Name, email, then a question of the owner's own, made a choice.
    for _ in 0..3 {
        action::click(agent, &hook("prechat-add")).await?;
    }
    action::click(agent, &hook("prechat-required-0")).await?;
    action::click(agent, &hook("prechat-required-1")).await?;
    find::wait_for(agent, &hook("prechat-kind-2"), TIMEOUT)
        .await?
        .select_by_value("select")
        .await?;
    action::replace_text(agent, &hook("prechat-key-2"), "topic").await?;
    action::replace_text(agent, &hook("prechat-label-en-2"), "Topic").await?;
    action::replace_text(agent, &hook("prechat-label-fa-2"), "موضوع").await?;
    action::replace_text(agent, &hook("prechat-options-2"), "Orders\nReturns").await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let list = find::wait_for(agent, &hook("site-prechat"), TIMEOUT).await?;
    action::scroll_into_view(agent, &list).await?;
    action::screenshot(agent, &format!("prechat-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    let fields = &site["prechat"]["fields"];
    ensure!(
        fields[0]["key"] == "name"
            && fields[1]["required"] == true
            && fields[2]["options"][1] == "Returns"
            && fields[2]["labels"]["fa"] == "موضوع",
        "saved: {site}"
    );

    // The visitor: the questions before the first message.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    check::text_shown(visitor, &hook("prechat"), words.topic).await?;
    ensure!(
        find::displayed(visitor, &hook("composer")).await?.is_none(),
        "the questions come first"
    );
    action::screenshot(visitor, &format!("prechat-widget-{side}")).await?;
    action::replace_text(visitor, &hook("prechat-text"), words.question).await?;
    action::click(visitor, &hook("prechat-send")).await?;
    check::text_shown(visitor, ".field-fix", words.fix).await?;
    action::screenshot(visitor, &format!("prechat-fix-{side}")).await?;
    action::replace_text(visitor, &hook("prechat-name"), words.name).await?;
    action::replace_text(visitor, &hook("prechat-email"), "leila@example.ir").await?;
    find::wait_for(visitor, &hook("prechat-topic"), TIMEOUT)
        .await?
        .select_by_value("Returns")
        .await?;
    action::click(visitor, &hook("prechat-send")).await?;
    check::message_shown(visitor, "visitor", words.question).await?;
    find::wait_for(visitor, &hook("composer"), TIMEOUT).await?;

    // The agent reads the answers beside the conversation.
    agent.goto(&format!("{}#/", stage.dashboard_url())).await?;
    action::open_conversation(agent).await?;
    check::text_shown(agent, &hook("context-name"), words.name).await?;
    check::text_shown(agent, &hook("context-email"), "leila@example.ir").await?;
    check::text_shown(
        agent,
        r#"[data-test="context-answer"][data-key="topic"]"#,
        "Returns",
    )
    .await?;
    // Under the owner's label, in the agent's language.
    check::text_shown(agent, ".context-facts", words.topic).await?;
    action::screenshot(agent, &format!("prechat-desk-{side}")).await?;

    // A canned reply greets them by the name they gave.
    stage
        .ahlan
        .admin_call(
            reqwest::Method::POST,
            "/api/canned",
            serde_json::json!({"scope": {"kind": "global"}, "title": "Greet",
                               "shortcut": "greet", "body": "Hi {visitor.name|there}!"}),
        )
        .await?;
    agent.refresh().await?;
    action::open_conversation(agent).await?;
    let reply = find::wait_for(agent, &hook("reply"), TIMEOUT).await?;
    reply.send_keys("/greet").await?;
    find::wait_for(agent, &hook("canned-option"), TIMEOUT).await?;
    reply
        .send_keys(&fantoccini::key::Key::Enter.to_string())
        .await?;
    let draft = find::eval(agent, "document.querySelector('[data-test=reply]').value").await?;
    ensure!(
        draft == format!("Hi {}!", words.name).as_str(),
        "the draft: {draft}"
    );
    Ok(())
}
