//! Issue 10, auto-away: an online agent who does nothing in the dashboard
//! for the configured time (2 s here, `--auto-away-secs`) is set away — a
//! visitor who writes then waits in the queue instead of being given to
//! someone who is not there — and their next input (a click) brings them
//! back online, when the waiting chat comes to them.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, Deployment, Stage, TIMEOUT};
use anyhow::Result;

async fn presence_is(agent: &ahlan_e2e::Browser, state: &str) -> Result<()> {
    poll(
        &format!("the presence to read {state}"),
        TIMEOUT,
        || async {
            let now = find::eval(
                agent,
                "document.querySelector('[data-test=presence]').getAttribute('data-state')",
            )
            .await?;
            Ok((now == state).then_some(()))
        },
    )
    .await
}

#[tokio::test]
async fn an_idle_agent_goes_away_and_comes_back_at_their_next_input() -> Result<()> {
    let mut deployment = Deployment::new(None);
    deployment.extra_args = vec!["--auto-away-secs".into(), "2".into()];
    let stage = Stage::start_in("auto-away", &deployment).await?;
    let (visitor, agent) = stage.visitor_and_agent("en", "en").await?;
    let result = async {
        stage.log_in_admin(&agent).await?;
        presence_is(&agent, "online").await?;
        // Hands off: away after the idle time.
        presence_is(&agent, "away").await?;
        action::screenshot(&agent, "auto-away").await?;

        // A visitor writes meanwhile: the chat waits, it is not given to
        // the away agent.
        action::open_page(&visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(&visitor).await?;
        action::open_widget(&visitor).await?;
        action::send_visitor_message(&visitor, "Hello? Anyone?").await?;
        let waiting = format!("{} {}", hook("inbox-waiting"), hook("conversation-item"));
        find::wait_for(&agent, &waiting, TIMEOUT).await?;

        // The agent is back: one click anywhere.
        action::click(&agent, ".brand").await?;
        presence_is(&agent, "online").await?;
        // Online with room: the waiting chat is theirs now.
        let mine = format!("{} {}", hook("inbox-mine"), hook("conversation-item"));
        find::wait_for(&agent, &mine, TIMEOUT).await?;
        check::text_shown(&agent, &mine, "Hello? Anyone?").await
    }
    .await;
    stage.finish(result, vec![visitor, agent]).await
}
