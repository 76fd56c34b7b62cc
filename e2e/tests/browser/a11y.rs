//! Accessibility (#11 item 5). axe-core (`fixtures::axe`) finds no serious
//! or critical violation in the loader's launcher, the widget (closed, and
//! open on a conversation) or the dashboard (the inbox with a conversation,
//! a site's settings), left to right and right to left. Focus moves into
//! the panel when it opens and back to the launcher when it closes; on a
//! phone, where the panel covers the page, Tab goes round the panel and
//! never to the page behind it.

use ahlan_e2e::fixtures::{action, axe, find, hook};
use ahlan_e2e::{poll, AgentSocket, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use fantoccini::key::Key;

#[tokio::test]
async fn the_widget_and_the_dashboard_pass_axe_ltr() -> Result<()> {
    a11y("ltr", "en").await
}

#[tokio::test]
async fn the_widget_and_the_dashboard_pass_axe_rtl() -> Result<()> {
    a11y("rtl", "ar").await
}

async fn a11y(dir: &str, lang: &str) -> Result<()> {
    let stage = Stage::start(&format!("a11y-{dir}")).await?;
    let (visitor, agent) = stage.visitor_and_agent(lang, lang).await?;
    let result = async {
        let mut socket = AgentSocket::admin(&stage.ahlan).await?;
        action::open_page(&visitor, &stage.host_url()).await?;
        poll("the loader's launcher", TIMEOUT, || async {
            Ok(find::loader_launcher(&visitor).await?.map(drop))
        })
        .await?;
        axe::clean(&visitor, "ahlan-chat", "the loader's launcher").await?;

        // Opened by a click: the text box has the focus.
        action::switch_to_widget_frame(&visitor).await?;
        focused(&visitor, "composer").await?;
        action::send_visitor_message(&visitor, "Hello, can I change my order?").await?;
        let message = socket
            .visitor_message("Hello, can I change my order?")
            .await?;
        socket
            .reply(&message.conversation, "Of course — what **should** change?")
            .await?;
        find::wait_for(&visitor, &hook("message"), TIMEOUT).await?;
        axe::clean(&visitor, "document", "the open widget").await?;

        // Escape closes it, and the focus is back on the launcher.
        visitor
            .active_element()
            .await?
            .send_keys(&Key::Escape.to_string())
            .await?;
        focused(&visitor, "launcher").await?;
        axe::clean(&visitor, "document", "the closed widget").await?;
        action::leave_frame(&visitor).await?;

        stage.log_in_admin(&agent).await?;
        action::open_conversation(&agent).await?;
        axe::clean(&agent, "document", "the inbox with a conversation").await?;
        action::open_page(
            &agent,
            &format!("{}#/settings/sites/s_demo", stage.dashboard_url()),
        )
        .await?;
        find::wait_for(&agent, &hook("identity-card"), TIMEOUT).await?;
        axe::clean(&agent, "document", "a site's settings").await?;
        Ok(())
    }
    .await;
    stage.finish(result, vec![visitor, agent]).await
}

#[tokio::test]
async fn on_a_phone_tab_goes_round_the_open_panel() -> Result<()> {
    let stage = Stage::start("a11y-phone").await?;
    let visitor = stage.browser("visitor", "en").await?;
    let result = async {
        visitor.set_window_size(390, 760).await?;
        action::open_page(&visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(&visitor).await?;
        focused(&visitor, "composer").await?;
        // The loader says the panel is full screen; give its message a
        // moment by waiting for the trap to hold over more presses than the
        // panel has controls.
        let controls = find::eval(
            &visitor,
            r#"document.querySelector('[data-test="panel"]').querySelectorAll("button, textarea, input, a[href]").length"#,
        )
        .await?
        .as_u64()
        .unwrap_or(0);
        ensure!(controls >= 2, "the panel has {controls} controls");
        for press in 0..controls * 2 + 1 {
            visitor.active_element().await?.send_keys(&Key::Tab.to_string()).await?;
            let inside = find::eval(
                &visitor,
                r#"document.hasFocus() && !!document.activeElement.closest('[data-test="panel"]')"#,
            )
            .await?;
            ensure!(inside == true, "Tab {press} left the panel");
        }
        visitor
            .active_element()
            .await?
            .send_keys(&format!("{}{}", Key::Shift, Key::Tab))
            .await?;
        let inside = find::eval(
            &visitor,
            r#"!!document.activeElement.closest('[data-test="panel"]')"#,
        )
        .await?;
        ensure!(inside == true, "Shift+Tab left the panel");
        action::leave_frame(&visitor).await?;
        action::screenshot(&visitor, "a11y-phone").await?;
        Ok(())
    }
    .await;
    stage.finish(result, vec![visitor]).await
}

/// Waits until the element with test hook `name` has the focus (in the
/// current context, whose document has the focus).
async fn focused(client: &Browser, name: &str) -> Result<()> {
    poll(&format!("the focus on {name}"), TIMEOUT, || async {
        let on = find::eval(
            client,
            &format!(
                r#"document.hasFocus() && document.activeElement && document.activeElement.getAttribute("data-test") === "{name}""#
            ),
        )
        .await?;
        Ok((on == true).then_some(()))
    })
    .await
}
