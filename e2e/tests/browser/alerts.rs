//! Issue 10, notifications: with a chat open, a visitor writing in another
//! chat of the agent's chimes (counted in `<html data-chimes>`: a headless
//! browser cannot be listened to) and counts as unread; muted, the next
//! one only counts; the mute survives a reload.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Browser, Stage, VisitorSocket, TIMEOUT};
use anyhow::{ensure, Result};

async fn chimes(agent: &Browser) -> Result<u64> {
    let n = find::eval(
        agent,
        "Number(document.documentElement.getAttribute('data-chimes') || 0)",
    )
    .await?;
    Ok(n.as_u64().unwrap_or(0))
}

async fn sound_pressed(agent: &Browser) -> Result<String> {
    let v = find::eval(
        agent,
        "document.querySelector('[data-test=sound-toggle]').getAttribute('aria-pressed')",
    )
    .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Waits until the other chat's unread badge reads `n`.
async fn unread_is(agent: &Browser, item: &str, n: &str) -> Result<()> {
    check::text_shown(agent, &format!("{item} .unread"), n).await
}

#[tokio::test]
async fn a_message_in_another_chat_chimes_unless_muted() -> Result<()> {
    Stage::run_chat("alerts", "en", "en", async |stage, visitor, agent| {
        action::open_page(visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(visitor).await?;
        action::open_widget(visitor).await?;
        action::send_visitor_message(visitor, "First visitor").await?;
        stage.log_in_admin(agent).await?;
        action::open_conversation(agent).await?;
        check::message_shown(agent, "visitor", "First visitor").await?;
        ensure!(sound_pressed(agent).await? == "true", "the chime starts on");

        let mut other = VisitorSocket::connect(&stage.ahlan, &stage.host_url(), None, None).await?;
        let (theirs, _) = other.send("Second visitor").await?;
        // In "My chats": its queued and assigned alerts (and their chimes)
        // have happened by then, so the count is settled.
        let item = format!(
            r#"{} {}[data-id="{theirs}"]"#,
            hook("inbox-mine"),
            hook("conversation-item")
        );
        find::wait_for(agent, &item, TIMEOUT).await?;
        let before = chimes(agent).await?;

        other.send("Are you there?").await?;
        poll("a chime for the new message", TIMEOUT, || async {
            Ok((chimes(agent).await? > before).then_some(()))
        })
        .await?;
        let after = chimes(agent).await?;
        ensure!(
            after == before + 1,
            "{} chimes for one message",
            after - before
        );
        unread_is(agent, &item, "1").await?;

        action::click(agent, &hook("sound-toggle")).await?;
        ensure!(
            sound_pressed(agent).await? == "false",
            "muting did not stick"
        );
        other.send("Hello??").await?;
        unread_is(agent, &item, "2").await?;
        ensure!(chimes(agent).await? == after, "a muted dashboard chimed");

        agent.refresh().await?;
        find::wait_for(agent, &hook("sound-toggle"), TIMEOUT).await?;
        ensure!(
            sound_pressed(agent).await? == "false",
            "the mute was forgotten"
        );
        Ok(())
    })
    .await
}
