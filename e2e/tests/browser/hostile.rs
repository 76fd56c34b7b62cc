//! Security issue: a hostile host page must not hide or break the widget.
//! Each test embeds the snippet in one of the pages of `fixtures::hostile`
//! and checks what a visitor needs: the launcher shown at full size, on
//! screen and on top of everything at its centre and corners, and
//! clickable; the panel opens likewise; the visitor's message reaches an
//! agent and the reply comes back; and the page's own error log stays
//! empty. Screenshots: `hostile-<page>-closed.png` and `-open.png`.

use ahlan_e2e::fixtures::hostile::{self, HostilePage};
use ahlan_e2e::fixtures::{action, check, find};
use ahlan_e2e::{poll, AgentSocket, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};

#[tokio::test]
async fn widget_survives_global_important_css() -> Result<()> {
    visit(&hostile::CSS, async |_| Ok(())).await
}

#[tokio::test]
async fn widget_stays_above_max_z_index_layers_on_a_phone() -> Result<()> {
    visit(&hostile::OVERLAYS, async |_| Ok(())).await
}

#[tokio::test]
async fn widget_survives_patched_built_ins_and_taken_globals() -> Result<()> {
    visit(&hostile::SCRIPTS, async |visitor| {
        // window.Ahlan was the page's and stays so; the API is AhlanChat,
        // the stub's queued listener got the agent's reply, and the page
        // was told once, as a warning.
        let owner = find::eval(visitor, "window.Ahlan && window.Ahlan.owner").await?;
        ensure!(owner == "the page", "window.Ahlan was replaced: {owner}");
        let heard = find::eval(visitor, "window.__chatMessages").await?;
        ensure!(
            heard == serde_json::json!([answer(&hostile::SCRIPTS)]),
            "AhlanChat.on(\"message\") heard {heard}"
        );
        let warnings = find::eval(visitor, "window.__hostWarnings").await?;
        let warnings = warnings.as_array().cloned().unwrap_or_default();
        ensure!(
            warnings.len() == 1
                && warnings[0]
                    .as_str()
                    .is_some_and(|w| w.contains("window.AhlanChat")),
            "expected one warning naming window.AhlanChat, got {warnings:?}"
        );
        // The API still works with the page's built-ins broken.
        find::eval(visitor, "(AhlanChat.close(), true)").await?;
        poll(
            "AhlanChat.close() to shrink the widget",
            TIMEOUT,
            || async {
                let rect = find::rect(visitor, ahlan_e2e::fixtures::WIDGET_IFRAME).await?;
                Ok(rect.filter(|&(_, _, width, _)| width < 120.0).map(drop))
            },
        )
        .await?;
        check::widget_on_top(visitor, 80.0, 80.0).await?;
        check::no_host_errors(visitor).await
    })
    .await
}

#[tokio::test]
async fn widget_works_under_a_strict_csp_on_a_right_to_left_page() -> Result<()> {
    visit(&hostile::RTL_CSP, async |_| Ok(())).await
}

/// Starts a server with `page` as the host page and an agent on a socket,
/// runs the usual visit in a fresh browser, then `more` in it.
async fn visit(page: &HostilePage, more: impl AsyncFnOnce(&Browser) -> Result<()>) -> Result<()> {
    let test = format!("hostile-{}", page.name);
    let stage = Stage::start_hosting(&test, |ahlan| page.host(ahlan)).await?;
    let mut agent = AgentSocket::admin(&stage.ahlan).await?;
    let visitor = stage.browser("visitor", page.lang).await?;
    let result = async {
        chat(&stage, page, &visitor, &mut agent).await?;
        more(&visitor).await
    }
    .await;
    stage.finish(result, vec![visitor]).await
}

async fn chat(
    stage: &Stage,
    page: &HostilePage,
    visitor: &Browser,
    agent: &mut AgentSocket,
) -> Result<()> {
    // The open panel: 400x640 on a desktop, the whole screen on a phone.
    let (panel_width, panel_height) = match page.window {
        Some((width, height)) => {
            visitor.set_window_size(width, height).await?;
            (f64::from(width) * 0.9, f64::from(height) * 0.8)
        }
        None => (360.0, 560.0),
    };
    action::open_page(visitor, &stage.host_url()).await?;
    check::host_script_ran(visitor).await?;

    // The launcher (the loader's, or on a page whose CSP refuses the
    // launcher's look, the widget's own).
    check::widget_on_top(visitor, 56.0, 56.0).await?;
    action::screenshot(visitor, &format!("hostile-{}-closed", page.name)).await?;
    // A real click on the launcher: it reaches the widget only if nothing
    // of the page is over it.
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::leave_frame(visitor).await?;
    check::widget_on_top(visitor, panel_width, panel_height).await?;

    action::switch_to_widget_frame(visitor).await?;
    let hello = format!("Hello from the {} page", page.name);
    action::send_visitor_message(visitor, &hello).await?;
    check::message_shown(visitor, "visitor", &hello).await?;
    let message = agent.visitor_message(&hello).await?;
    agent.reply(&message.conversation, &answer(page)).await?;
    check::message_shown(visitor, "agent", &answer(page)).await?;
    action::leave_frame(visitor).await?;

    check::widget_on_top(visitor, panel_width, panel_height).await?;
    action::screenshot(visitor, &format!("hostile-{}-open", page.name)).await?;
    check::host_script_ran(visitor).await?;
    check::no_host_errors(visitor).await
}

/// What the agent answers on `page`.
fn answer(page: &HostilePage) -> String {
    format!("An agent answers on the {} page", page.name)
}
