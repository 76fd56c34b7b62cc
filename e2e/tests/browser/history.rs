//! Issue 10, history and search: the admin handled two chats (an English
//! one about a refund, resolved; a Persian one, still open). In the
//! dashboard's History tab both are listed newest first; searching
//! "refun" finds the refund chat with the word marked in the message that
//! matched, and opening it shows its whole thread; a search typed with the
//! Arabic keyboard's kaf finds the Persian chat written with the Persian
//! one; the status filter keeps the resolved chat only; a chat begun while
//! the list is open joins its top. Dashboard LTR (en)
//! and RTL (fa). Screenshots `history-{ltr,rtl}.png` (the refund chat open
//! beside its search) and `history-persian-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{poll, AgentSocket, Browser, Stage, VisitorSocket, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::{json, Value};

const REFUND: &str = "Hello, I want a refund for order 1234";
const REPLY: &str = "Your refund for order 1234 left today.";
const PERSIAN: &str = "سلام، سفارش من کجاست؟";
/// "کجاست" as an Arabic keyboard types it (Arabic kaf, U+0643).
const ARABIC_SPELLING: &str = "كجاست";

#[tokio::test]
async fn an_agent_searches_the_history_and_opens_a_resolved_chat_ltr() -> Result<()> {
    history("history-ltr", "en", "ltr").await
}

#[tokio::test]
async fn an_agent_searches_the_history_and_opens_a_resolved_chat_rtl() -> Result<()> {
    history("history-rtl", "fa", "rtl").await
}

/// The ids of the listed results, in order, once `ready` accepts them.
async fn results_until(
    agent: &Browser,
    what: &str,
    ready: impl Fn(&[String]) -> bool,
) -> Result<Vec<String>> {
    poll(what, TIMEOUT, || async {
        let ids = agent
            .execute(
                "if (document.querySelector('[data-test=history-results][aria-busy=true]')) return null;
                 return Array.from(document.querySelectorAll('[data-test=history-item]'))
                    .map(e => e.getAttribute('data-id'));",
                vec![],
            )
            .await?;
        let ids: Option<Vec<String>> = serde_json::from_value(ids)?;
        Ok(ids.filter(|ids| ready(ids)))
    })
    .await
}

async fn search(agent: &Browser, text: &str) -> Result<()> {
    action::replace_text(agent, &hook("history-q"), text).await?;
    action::click(agent, &hook("history-search")).await
}

async fn history(test: &str, lang: &str, side: &str) -> Result<()> {
    let stage = Stage::start(test).await?;
    let chats = async {
        let mut desk = AgentSocket::admin(&stage.ahlan).await?;
        let mut english =
            VisitorSocket::connect(&stage.ahlan, &stage.host_url(), None, Some("en")).await?;
        let (refund, _) = english.send(REFUND).await?;
        desk.visitor_message(REFUND).await?;
        desk.reply(&refund, REPLY).await?;
        desk.resolve(&refund).await?;
        let mut persian =
            VisitorSocket::connect(&stage.ahlan, &stage.host_url(), None, Some("fa")).await?;
        let (open, _) = persian.send(PERSIAN).await?;
        desk.visitor_message(PERSIAN).await?;
        anyhow::Ok((refund.to_string(), open.to_string(), desk))
    }
    .await;
    let (refund, open, mut desk) = match chats {
        Ok(ids) => ids,
        Err(e) => return stage.finish(Err(e), vec![]).await,
    };
    let agent = stage.browser("agent", lang).await?;
    let result = async {
        stage.log_in_admin(&agent).await?;
        check::document_dir(&agent, side).await?;
        action::click(&agent, &hook("nav-history")).await?;
        let all = results_until(&agent, "both chats listed", |ids| ids.len() == 2).await?;
        ensure!(
            all == [open.clone(), refund.clone()],
            "newest first: {all:?}"
        );

        search(&agent, "refun").await?;
        results_until(&agent, "the refund chat alone", |ids| {
            ids == [refund.clone()]
        })
        .await?;
        let marked = find::texts(&agent, &format!("{} mark", hook("history-excerpt"))).await?;
        ensure!(
            marked == ["refund"],
            "the matched word is marked: {marked:?}"
        );
        action::click(
            &agent,
            &format!(r#"{}[data-id="{refund}"] button"#, hook("history-item")),
        )
        .await?;
        check::message_shown(&agent, "visitor", REFUND).await?;
        check::message_shown(&agent, "agent", REPLY).await?;
        action::screenshot(&agent, &format!("history-{side}")).await?;

        search(&agent, ARABIC_SPELLING).await?;
        results_until(&agent, "the Persian chat by its Arabic spelling", |ids| {
            ids == [open.clone()]
        })
        .await?;
        action::screenshot(&agent, &format!("history-persian-{side}")).await?;

        search(&agent, "").await?;
        let status = format!(r#"{} option[value="resolved"]"#, hook("history-status"));
        find::wait_for(&agent, &status, TIMEOUT)
            .await?
            .click()
            .await?;
        results_until(&agent, "only the resolved chat", |ids| {
            ids == [refund.clone()]
        })
        .await?;

        // Live: with every status listed again, the open chat resolved
        // meanwhile from another desk shows so without searching again.
        let any = format!(r#"{} option[value=""]"#, hook("history-status"));
        find::wait_for(&agent, &any, TIMEOUT).await?.click().await?;
        results_until(&agent, "both chats again", |ids| ids.len() == 2).await?;
        let row = format!(
            r#"{}[data-id="{open}"] .status-resolved"#,
            hook("history-item")
        );
        ensure!(find::displayed(&agent, &row).await?.is_none(), "still open");
        desk.resolve(&open.as_str().into()).await?;
        find::wait_for(&agent, &row, TIMEOUT).await?;

        // A chat begun while the list is open joins its top at once.
        let mut late =
            VisitorSocket::connect(&stage.ahlan, &stage.host_url(), None, Some("en")).await?;
        let (newest, _) = late.send("Are you open on Friday?").await?;
        let newest = newest.to_string();
        let listed = results_until(&agent, "the new chat at the top", |ids| {
            ids.first() == Some(&newest)
        })
        .await?;
        ensure!(
            listed == [newest.clone(), open.clone(), refund.clone()],
            "newest first, once each: {listed:?}"
        );

        // What the page showed is what the server holds for the admin.
        let page = stage
            .ahlan
            .admin_call(reqwest::Method::GET, "/api/history?q=refun", Value::Null)
            .await?;
        ensure!(
            page["hits"][0]["conversation"]["id"] == json!(refund),
            "the server's answer: {page}"
        );
        Ok(())
    }
    .await;
    stage.finish(result, vec![agent]).await
}
