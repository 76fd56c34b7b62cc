//! Issue 10, canned responses: the admin adds two in Settings (one for
//! everyone, one personal), then in a chat types `/` and a few letters, picks
//! one with the keyboard, and the visitor gets its text with the variables
//! filled (the visitor's unknown name by its fallback, the agent's and the
//! site's names). Screenshots `canned-settings-{ltr,rtl}.png` and
//! `canned-picker-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use fantoccini::key::Key;

struct Script {
    side: &'static str,
    hello: &'static str,
    title: &'static str,
    body: &'static str,
    /// `body` as the visitor must read it.
    sent: &'static str,
}

#[tokio::test]
async fn an_agent_inserts_a_canned_response_with_its_variables_filled_ltr() -> Result<()> {
    let script = Script {
        side: "ltr",
        hello: "Is anyone there?",
        title: "Thank them for waiting",
        body: "Thanks {visitor.name|for waiting}! I am {agent.name} from {site.name}.",
        sent: "Thanks for waiting! I am Admin from Ahlan Demo.",
    };
    Stage::run_chat("canned-ltr", "en", "en", async |stage, visitor, agent| {
        play(stage, visitor, agent, &script).await
    })
    .await
}

#[tokio::test]
async fn an_agent_inserts_a_canned_response_with_its_variables_filled_rtl() -> Result<()> {
    let script = Script {
        side: "rtl",
        hello: "هل من أحد هنا؟",
        title: "تشکر بابت صبر",
        body: "ممنون {visitor.name|از صبرتان}! من {agent.name} از {site.name} هستم.",
        sent: "ممنون از صبرتان! من Admin از Ahlan Demo هستم.",
    };
    Stage::run_chat("canned-rtl", "ar", "fa", async |stage, visitor, agent| {
        play(stage, visitor, agent, &script).await
    })
    .await
}

async fn add(agent: &Browser, title: &str, shortcut: &str, body: &str, scope: usize) -> Result<()> {
    action::replace_text(agent, &hook("canned-title"), title).await?;
    action::replace_text(agent, &hook("canned-shortcut"), shortcut).await?;
    action::replace_text(agent, &hook("canned-body"), body).await?;
    action::click(
        agent,
        &format!(r#"{} option[value="{scope}"]"#, hook("canned-scope")),
    )
    .await?;
    action::click(agent, &hook("canned-add")).await?;
    find::wait_for(
        agent,
        &format!(r#"{}[data-shortcut="{shortcut}"]"#, hook("canned-row")),
        TIMEOUT,
    )
    .await?;
    Ok(())
}

async fn play(stage: &Stage, visitor: &Browser, agent: &Browser, s: &Script) -> Result<()> {
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, s.hello).await?;

    stage.log_in_admin(agent).await?;
    action::click(agent, &hook("nav-settings")).await?;
    action::click(agent, &hook("settings-canned")).await?;
    // Scope 1 is "everyone" for an admin (0 is "only me").
    add(agent, s.title, "thanks", s.body, 1).await?;
    add(agent, "Opening hours", "hours", "We are open 9–17.", 0).await?;
    action::screenshot(agent, &format!("canned-settings-{}", s.side)).await?;

    action::click(agent, &hook("nav-inbox")).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", s.hello).await?;
    let reply = find::wait_for(agent, &hook("reply"), TIMEOUT).await?;
    reply.send_keys("/th").await.context("typing /th")?;
    check::text_shown(agent, &hook("canned-picker"), s.title).await?;
    let options = find::texts(agent, &hook("canned-option")).await?;
    ensure!(
        options.len() == 1,
        "/th should find only `thanks`: {options:?}"
    );
    action::screenshot(agent, &format!("canned-picker-{}", s.side)).await?;
    reply
        .send_keys(&Key::Enter.to_string())
        .await
        .context("pressing Enter in the picker")?;
    let draft = find::eval(agent, "document.querySelector('[data-test=reply]').value").await?;
    ensure!(draft == s.sent, "the draft after inserting: {draft}");
    ensure!(
        find::texts(agent, &hook("canned-picker")).await?.is_empty(),
        "the picker stayed open"
    );
    action::click(agent, &hook("reply-send")).await?;
    check::message_shown(agent, "agent", s.sent).await?;
    check::message_shown(visitor, "agent", s.sent).await?;
    Ok(())
}
