//! Issue 12, item 6: proactive messages. The owner adds a rule in the
//! console (pages whose URL contains "/pricing", after 4 seconds, with a
//! text per language). A visitor opens the pricing page: at first only the
//! loader's launcher is there and it fetched proactive.js (no iframe, no
//! wasm); four seconds on, the rule fires, the widget loads open and
//! greets them with the text in their language; they answer, and the
//! agent sees that the conversation started from the proactive message. LTR (en) and RTL (fa). Screenshots
//! `proactive-{console,greeting,desk}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::Value;

struct Words {
    lang: &'static str,
    text: &'static str,
    reply: &'static str,
    label: &'static str,
}

#[tokio::test]
async fn a_rule_greets_a_visitor_on_the_pricing_page_ltr() -> Result<()> {
    let words = Words {
        lang: "en",
        text: "Questions about our plans? We reply in minutes.",
        reply: "Yes, is the yearly plan cheaper?",
        label: "Started from a proactive message",
    };
    Stage::run_chat(
        "proactive-ltr",
        "en",
        "en",
        async |stage, visitor, agent| play(stage, visitor, agent, "ltr", &words).await,
    )
    .await
}

#[tokio::test]
async fn a_rule_greets_a_visitor_on_the_pricing_page_rtl() -> Result<()> {
    let words = Words {
        lang: "fa",
        text: "دربارهٔ طرح‌ها پرسشی دارید؟ در چند دقیقه پاسخ می‌دهیم.",
        reply: "بله، طرح سالانه ارزان‌تر است؟",
        label: "با پیام پیش‌دستانه آغاز شد",
    };
    Stage::run_chat(
        "proactive-rtl",
        "fa",
        "fa",
        async |stage, visitor, agent| play(stage, visitor, agent, "rtl", &words).await,
    )
    .await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    words: &Words,
) -> Result<()> {
    // The console: a rule for the pricing page.
    stage.log_in_admin(agent).await?;
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    action::click(agent, &hook("proactive-add")).await?;
    action::replace_text(agent, &hook("proactive-name-0"), "Pricing").await?;
    action::replace_text(agent, &hook("proactive-url-0"), "/pricing").await?;
    action::replace_text(agent, &hook("proactive-after-0"), "4").await?;
    let text = format!("proactive-text-{}-0", words.lang);
    action::replace_text(agent, &hook(&text), words.text).await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let rule = find::wait_for(agent, &hook("proactive-rule-0"), TIMEOUT).await?;
    action::scroll_into_view(agent, &rule).await?;
    action::screenshot(agent, &format!("proactive-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    ensure!(
        site["proactive"][0]["after_secs"] == 4
            && site["proactive"][0]["messages"][words.lang] == words.text,
        "saved: {site}"
    );

    // The pricing page: the loader's launcher alone at first.
    let page = format!("{}/pricing", stage.host_url().trim_end_matches('/'));
    action::open_page(visitor, &page).await?;
    ahlan_e2e::poll("the loader's launcher", TIMEOUT, || async {
        Ok(find::loader_launcher(visitor).await?.map(|_| ()))
    })
    .await?;
    // The site has rules: the loader fetches the script that runs them.
    let before = ahlan_e2e::poll("proactive.js fetched", TIMEOUT, || async {
        let urls = fetched(visitor, stage).await?;
        Ok(urls
            .iter()
            .any(|u| u.contains("/widget/proactive.js"))
            .then_some(urls))
    })
    .await?;
    ensure!(
        !before
            .iter()
            .any(|u| u.contains("/widget/frame") || u.contains(".wasm")),
        "nothing of the widget before the rule fires: {before:?}"
    );
    // Four seconds on: the widget comes by itself (nothing is clicked),
    // open, with the greeting.
    ahlan_e2e::poll("the rule to fire", TIMEOUT, || async {
        Ok(find::widget_frame(visitor).await?.map(|_| ()))
    })
    .await?;
    action::switch_to_widget_frame(visitor).await?;
    let greeting = ".greeting .body";
    check::text_shown(visitor, greeting, words.text).await?;
    find::wait_for(visitor, &hook("composer"), TIMEOUT).await?;
    action::screenshot(visitor, &format!("proactive-greeting-{side}")).await?;
    action::leave_frame(visitor).await?;
    let after = fetched(visitor, stage).await?;
    let frame = after
        .iter()
        .find(|u| u.contains("/widget/frame"))
        .context("the widget's page")?;
    ensure!(
        frame.contains("proactive=pr_"),
        "loaded by the rule: {frame}"
    );

    // The visitor answers; the agent sees where it began.
    action::switch_to_widget_frame(visitor).await?;
    action::send_visitor_message(visitor, words.reply).await?;
    check::message_shown(visitor, "visitor", words.reply).await?;
    agent
        .goto(&format!("{}#/inbox", stage.dashboard_url()))
        .await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", words.reply).await?;
    check::text_shown(agent, &hook("context-proactive"), words.text).await?;
    check::text_shown(agent, &hook("context-proactive"), words.label).await?;
    action::screenshot(agent, &format!("proactive-desk-{side}")).await?;
    Ok(())
}

/// The URLs of Ahlan's resources the page fetched so far.
async fn fetched(visitor: &Browser, stage: &Stage) -> Result<Vec<String>> {
    let all = find::eval(
        visitor,
        r#"performance.getEntriesByType("resource").map(function (e) { return e.name; })"#,
    )
    .await?;
    Ok(all
        .as_array()
        .context("resource entries")?
        .iter()
        .filter_map(Value::as_str)
        .filter(|url| url.starts_with(&stage.ahlan.base_url))
        .map(str::to_owned)
        .collect())
}
