//! Issue 12, item 3: callback requests. The owner offers callbacks in the
//! console; a visitor waiting in the queue (position and estimated wait
//! shown: the line served three visitors a moment ago and its only agent
//! is full) is offered a call back, fills in the form (a number without
//! its country code is refused in their language), and sees the request's
//! status; the agent finds it under Callbacks (the tab counts it), claims
//! it — the visitor's widget says someone will call, live — and marks it
//! done with a note; the visitor who comes back sees it done. LTR (en) and
//! RTL (fa). Screenshots `callback-{console,offer,form,requested,desk,
//! claimed,done}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::sockets::{AgentSocket, VisitorSocket};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};

const SARA: &str = "sara@example.com";
const SARA_PASSWORD: &str = "sara-password-1";

struct Words {
    offer: &'static str,
    bad_phone: &'static str,
    requested: &'static str,
    claimed: &'static str,
    done: &'static str,
    note: &'static str,
}

#[tokio::test]
async fn a_waiting_visitor_asks_for_a_call_back_and_sees_it_claimed_and_done_ltr() -> Result<()> {
    let words = Words {
        offer: "Rather not wait? We can call you back.",
        bad_phone: "Enter the number with its country code",
        requested: "Call back requested",
        claimed: "One of our team will call you shortly.",
        done: "We called you. Thanks!",
        note: "About my order A-17",
    };
    run("ltr", "en", words).await
}

#[tokio::test]
async fn a_waiting_visitor_asks_for_a_call_back_and_sees_it_claimed_and_done_rtl() -> Result<()> {
    let words = Words {
        offer: "نمی‌خواهید منتظر بمانید؟",
        bad_phone: "شماره را با کد کشور وارد کنید",
        requested: "درخواست تماس ثبت شد",
        claimed: "یکی از همکاران ما به‌زودی با شما تماس می‌گیرد.",
        done: "با شما تماس گرفتیم. سپاس!",
        note: "دربارهٔ سفارش ۱۷",
    };
    run("rtl", "fa", words).await
}

async fn run(side: &str, lang: &str, words: Words) -> Result<()> {
    let stage = Stage::start(&format!("callback-{side}")).await?;
    let sara = json!({"email": SARA, "name": "Sara", "password": SARA_PASSWORD,
                      "sites": ["s_demo"], "capacity": 3});
    if let Err(e) = stage
        .ahlan
        .admin_call(reqwest::Method::POST, "/api/agents", sara)
        .await
    {
        return stage.finish(Err(e), vec![]).await;
    }
    let (visitor, agent) = stage.visitor_and_agent(lang, lang).await?;
    let result = play(&stage, &visitor, &agent, side, &words).await;
    stage.finish(result, vec![visitor, agent]).await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    words: &Words,
) -> Result<()> {
    // The admin (in the dashboard) is away: Sara alone serves the site.
    stage.log_in_admin(agent).await?;
    action::go_away(agent).await?;
    // The console: offer callbacks to everyone who waits.
    agent
        .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
        .await?;
    let offer = find::wait_for(agent, &hook("site-callback-offer"), TIMEOUT).await?;
    offer.select_by_value("after").await?;
    find::wait_for(agent, &hook("site-callback-mins"), TIMEOUT).await?;
    offer.select_by_value("always").await?;
    action::click(agent, &hook("site-save")).await?;
    find::wait_for(agent, &hook("saved"), TIMEOUT).await?;
    let field = find::wait_for(agent, &hook("site-callback-offer"), TIMEOUT).await?;
    action::scroll_into_view(agent, &field).await?;
    action::screenshot(agent, &format!("callback-console-{side}")).await?;
    let site = stage
        .ahlan
        .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
        .await?;
    ensure!(site["callback_after_mins"] == 0, "saved: {site}");

    // The line's history: Sara takes three visitors (and is then full).
    let mut sara = AgentSocket::connect(&stage.ahlan.base_url, SARA, SARA_PASSWORD).await?;
    let mut served = Vec::new();
    for n in 0..3 {
        let mut v =
            VisitorSocket::connect(&stage.ahlan, &stage.host_url(), None, Some("en")).await?;
        v.send(&format!("question {n}")).await?;
        sara.visitor_message(&format!("question {n}")).await?;
        served.push(v);
    }

    // The visitor writes and waits: position, estimate, and the offer.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, "Hello?").await?;
    find::wait_for(visitor, &hook("queue-position"), TIMEOUT).await?;
    find::wait_for(visitor, &hook("queue-wait"), TIMEOUT).await?;
    check::text_shown(visitor, &hook("callback-offer"), words.offer).await?;
    action::screenshot(visitor, &format!("callback-offer-{side}")).await?;

    // The form: a number without its country code is refused.
    action::click(visitor, &hook("callback-ask")).await?;
    find::wait_for(visitor, &hook("callback-form"), TIMEOUT).await?;
    ensure!(
        find::displayed(visitor, &hook("composer")).await?.is_none(),
        "the form stands in the composer's place"
    );
    action::replace_text(visitor, &hook("callback-phone"), "0912 345 6789").await?;
    action::click(visitor, &hook("callback-send")).await?;
    check::text_shown(visitor, &hook("callback-problem"), words.bad_phone).await?;
    action::screenshot(visitor, &format!("callback-form-{side}")).await?;
    action::replace_text(visitor, &hook("callback-phone"), "+98 912 345 6789").await?;
    find::wait_for(visitor, &hook("callback-window"), TIMEOUT)
        .await?
        .select_by_value("evening")
        .await?;
    action::replace_text(visitor, &hook("callback-note"), words.note).await?;
    action::click(visitor, &hook("callback-send")).await?;
    let requested = r#"[data-test="callback-status"][data-status="requested"]"#;
    check::text_shown(visitor, requested, words.requested).await?;
    find::wait_for(visitor, &hook("composer"), TIMEOUT).await?;
    ensure!(
        find::displayed(visitor, &hook("callback-offer"))
            .await?
            .is_none(),
        "no second offer while one is open"
    );
    action::screenshot(visitor, &format!("callback-requested-{side}")).await?;

    // The agent: the tab counts it; the screen shows it; claim.
    action::leave_frame(visitor).await?;
    agent
        .goto(&format!("{}#/inbox", stage.dashboard_url()))
        .await?;
    check::text_shown(agent, &hook("nav-callbacks-count"), count_text(side, 1)).await?;
    action::click(agent, &hook("nav-callbacks")).await?;
    let item = r#"[data-test="callback-item"][data-status="requested"]"#;
    find::wait_for(agent, item, TIMEOUT).await?;
    check::text_shown(agent, item, "+989123456789").await?;
    check::text_shown(agent, item, words.note).await?;
    action::screenshot(agent, &format!("callback-desk-{side}")).await?;
    action::click(agent, &hook("callback-claim")).await?;
    let claimed = r#"[data-test="callback-item"][data-status="claimed"]"#;
    find::wait_for(agent, claimed, TIMEOUT).await?;
    ensure!(
        find::displayed(agent, &hook("nav-callbacks-count"))
            .await?
            .is_none(),
        "nothing unclaimed: no count"
    );
    // …and the visitor's widget says so at once.
    action::switch_to_widget_frame(visitor).await?;
    let live = r#"[data-test="callback-status"][data-status="claimed"]"#;
    check::text_shown(visitor, live, words.claimed).await?;
    action::screenshot(visitor, &format!("callback-claimed-{side}")).await?;

    // Called: done, with a note.
    action::replace_text(agent, &hook("callback-outcome-note"), "Spoke, sorted").await?;
    action::click(agent, &hook("callback-done")).await?;
    let done = r#"[data-test="callback-item"][data-status="done"]"#;
    check::text_shown(agent, done, "Spoke, sorted").await?;
    find::wait_for(agent, &hook("callbacks-none"), TIMEOUT).await?;
    action::screenshot(agent, &format!("callback-desk-done-{side}")).await?;
    let closed = stage
        .ahlan
        .admin_call(
            reqwest::Method::GET,
            "/api/callbacks?status=closed",
            Value::Null,
        )
        .await?;
    let first = closed.get(0).context("a closed callback")?;
    ensure!(
        first["status"] == "done" && first["outcome"] == "Spoke, sorted",
        "{closed}"
    );
    ensure!(
        first["window"] == "evening" && first["agent"]["name"] != Value::Null,
        "{closed}"
    );

    // The visitor comes back later: the widget says it was done.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    let done = r#"[data-test="callback-status"][data-status="done"]"#;
    check::text_shown(visitor, done, words.done).await?;
    action::screenshot(visitor, &format!("callback-done-{side}")).await?;
    drop(served);
    Ok(())
}

/// A count as the dashboard writes it (Persian digits in Persian).
fn count_text(side: &str, n: u32) -> &'static str {
    match (side, n) {
        ("rtl", 1) => "۱",
        _ => "1",
    }
}

#[tokio::test]
async fn a_visitor_cancels_their_call_back_ltr() -> Result<()> {
    cancel(
        "ltr",
        "en",
        "You cancelled the call back.",
        "Cancelled by the visitor",
    )
    .await
}

#[tokio::test]
async fn a_visitor_cancels_their_call_back_rtl() -> Result<()> {
    cancel(
        "rtl",
        "fa",
        "درخواست تماس را لغو کردید.",
        "بازدیدکننده لغو کرد",
    )
    .await
}

/// The site is offline (nobody online) and offers callbacks: the visitor
/// asks, then cancels from the status card; no offer comes back, and the
/// agent finds it among the closed ones as cancelled by the visitor.
/// Screenshots `callback-cancelled-{ltr,rtl}.png`,
/// `callback-desk-cancelled-{ltr,rtl}.png`.
async fn cancel(side: &str, lang: &str, cancelled: &str, tag: &str) -> Result<()> {
    let stage = Stage::start(&format!("callback-cancel-{side}")).await?;
    let offline = json!({"callback_after_mins": 0, "offline_when_away": true});
    if let Err(e) = stage
        .ahlan
        .admin_call(reqwest::Method::PATCH, "/api/sites/s_demo", offline)
        .await
    {
        return stage.finish(Err(e), vec![]).await;
    }
    let (visitor, agent) = stage.visitor_and_agent(lang, lang).await?;
    let result = async {
        action::open_page(&visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(&visitor).await?;
        action::open_widget(&visitor).await?;
        action::click(&visitor, &hook("callback-ask")).await?;
        action::replace_text(&visitor, &hook("callback-phone"), "+44 20 7946 0958").await?;
        action::click(&visitor, &hook("callback-send")).await?;
        find::wait_for(
            &visitor,
            r#"[data-test="callback-status"][data-status="requested"]"#,
            TIMEOUT,
        )
        .await?;
        action::click(&visitor, &hook("callback-cancel-request")).await?;
        let gone = r#"[data-test="callback-status"][data-status="cancelled"]"#;
        check::text_shown(&visitor, gone, cancelled).await?;
        ensure!(
            find::displayed(&visitor, &hook("callback-offer"))
                .await?
                .is_none()
                && find::displayed(&visitor, &hook("callback-cancel-request"))
                    .await?
                    .is_none(),
            "after a cancel: no offer, nothing more to cancel"
        );
        action::screenshot(&visitor, &format!("callback-cancelled-{side}")).await?;

        stage.log_in_admin(&agent).await?;
        action::click(&agent, &hook("nav-callbacks")).await?;
        let item = r#"[data-test="callback-item"][data-status="cancelled"]"#;
        check::text_shown(&agent, item, tag).await?;
        check::text_shown(&agent, item, "+442079460958").await?;
        action::screenshot(&agent, &format!("callback-desk-cancelled-{side}")).await?;
        Ok(())
    }
    .await;
    stage.finish(result, vec![visitor, agent]).await
}
