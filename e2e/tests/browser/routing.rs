//! Issue 10, right-person routing and transfer: a Persian-speaking visitor
//! is routed to the Persian-speaking agent (Dariush, in the dashboard)
//! although the English-only one (Emma, on a socket) is freer; Dariush
//! answers with a canned reply (`/`), writes a private note, and transfers
//! the chat to Emma with a note for her; Emma continues. The visitor sees
//! every message once, who took over, and never a note. Beside the chat
//! Dariush sees the visitor's current page and the one before (a
//! single-page app's `pushState`), and their browser; each side sees
//! "Seen" once the other has read. Dashboard LTR (en)
//! and RTL (fa); the widget is Persian in both. Screenshots
//! `routing-context-{ltr,rtl}.png`, `routing-transfer-panel-{ltr,rtl}.png`,
//! `routing-after-{ltr,rtl}.png` and `routing-widget-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::mini_http::HOST_PAGE_TITLE;
use ahlan_e2e::{poll, AgentSocket, Browser, Stage, VisitorSocket, TIMEOUT};
use anyhow::{ensure, Context, Result};
use fantoccini::key::Key;
use serde_json::{json, Value};

const DARIUSH: &str = "dariush@shop.example";
const EMMA: &str = "emma@shop.example";
const PASSWORD: &str = "agent-password-1";

/// What the visitor says and reads, the same in both layouts.
const HELLO: &str = "سلام، سفارش من هنوز نرسیده";
const CANNED: &str = "سلام {visitor.name|دوست عزیز}! من {agent.name} هستم، بررسی می‌کنم.";
const CANNED_SENT: &str = "سلام دوست عزیز! من Dariush هستم، بررسی می‌کنم.";
const NOTE: &str = "Courier tracking shows the parcel in Mashhad";
const HANDOVER: &str = "Emma: please arrange the refund";
const EMMA_REPLY: &str = "Hi, Emma here — your refund is on its way.";

#[tokio::test]
async fn a_persian_visitor_reaches_the_persian_agent_who_transfers_ltr() -> Result<()> {
    routing("routing-ltr", "en", "ltr").await
}

#[tokio::test]
async fn a_persian_visitor_reaches_the_persian_agent_who_transfers_rtl() -> Result<()> {
    routing("routing-rtl", "fa", "rtl").await
}

/// As the admin, over REST: `POST path` with `body`; the answer's JSON.
async fn admin_post(stage: &Stage, path: &str, body: Value) -> Result<Value> {
    stage
        .ahlan
        .admin_call(reqwest::Method::POST, path, body)
        .await
}

/// Opens the dashboard conversation whose list item shows `text`.
async fn open_item_with(agent: &Browser, text: &str) -> Result<()> {
    let script = format!(
        "const item = Array.from(document.querySelectorAll('[data-test=conversation-item]'))
            .find(e => e.textContent.includes({text:?}));
         if (item) {{ item.click(); return true; }} return false;"
    );
    poll(
        "the visitor's conversation in the list",
        TIMEOUT,
        || async {
            let clicked = agent.execute(&script, vec![]).await?;
            Ok((clicked == Value::Bool(true)).then_some(()))
        },
    )
    .await?;
    check::message_shown(agent, "visitor", text).await
}

async fn routing(test: &str, lang: &str, side: &str) -> Result<()> {
    let stage = Stage::start(test).await?;
    let staff = async {
        let person = |email: &str, name: &str, languages: &[&str]| {
            json!({"email": email, "name": name, "password": PASSWORD, "capacity": 3,
                   "languages": languages, "sites": ["s_demo"]})
        };
        admin_post(
            &stage,
            "/api/agents",
            person(DARIUSH, "Dariush", &["fa", "en"]),
        )
        .await?;
        let emma = admin_post(&stage, "/api/agents", person(EMMA, "Emma", &["en"])).await?;
        let canned = json!({"scope": {"kind": "global"}, "title": "سلام و پیگیری",
                            "shortcut": "salam", "body": CANNED});
        admin_post(&stage, "/api/canned", canned).await?;
        emma["id"].as_str().map(str::to_owned).context("Emma's id")
    };
    let emma_id = match staff.await {
        Ok(id) => id,
        Err(e) => return stage.finish(Err(e), vec![]).await,
    };
    let (visitor, dariush) = stage.visitor_and_agent("fa", lang).await?;
    let result = play(&stage, &visitor, &dariush, &emma_id, side).await;
    stage.finish(result, vec![visitor, dariush]).await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    dariush: &Browser,
    emma_id: &str,
    side: &str,
) -> Result<()> {
    let ahlan = &stage.ahlan;
    action::login(dariush, &stage.dashboard_url(), DARIUSH, PASSWORD).await?;
    check::document_dir(dariush, side).await?;
    let mut emma = AgentSocket::connect(&ahlan.base_url, EMMA, PASSWORD).await?;
    // An earlier Persian visitor keeps Dariush busier than Emma.
    let mut earlier = VisitorSocket::connect(ahlan, &stage.host_url(), None, Some("fa-IR")).await?;
    earlier.send("یک سؤال دیگر").await?;
    find::wait_for(dariush, &hook("conversation-item"), TIMEOUT).await?;

    // The visitor lands on a product page of a single-page shop…
    action::open_page(visitor, &format!("{}/products/shoes", stage.host_url())).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, HELLO).await?;
    // …and goes to the checkout without a page load.
    action::leave_frame(visitor).await?;
    visitor
        .execute(
            "history.pushState({}, '', '/checkout'); document.title = 'Checkout — Shop';",
            vec![],
        )
        .await
        .context("navigating in the host page")?;
    action::switch_to_widget_frame(visitor).await?;
    // Dariush (load 1, speaks Persian) gets it, not Emma (load 0).
    open_item_with(dariush, HELLO).await?;
    // Beside the chat: where the visitor is now, and where they were.
    check::text_shown(dariush, &hook("context-current"), "Checkout — Shop").await?;
    let pages = format!("{} {}", hook("context-pages"), hook("context-page"));
    poll("both pages in the visitor's history", TIMEOUT, || async {
        let shown = find::texts(dariush, &pages).await?;
        Ok((shown.len() == 2).then_some(shown))
    })
    .await
    .and_then(|shown| {
        ensure!(
            shown[0].contains("Checkout — Shop") && shown[1].contains(HOST_PAGE_TITLE),
            "newest first: {shown:?}"
        );
        Ok(())
    })?;
    let browser = find::texts(dariush, &hook("context-browser")).await?;
    ensure!(
        browser.first().is_some_and(|b| b.contains("Chrome")),
        "the browser from the User-Agent: {browser:?}"
    );
    action::screenshot(dariush, &format!("routing-context-{side}")).await?;
    check::text_shown(visitor, &hook("agent-joined"), "Dariush").await?;
    let mine = format!("{} {}", hook("inbox-mine"), hook("conversation-item"));
    ensure!(
        find::shown_count(dariush, &mine).await? == 2,
        "both Persian chats should be Dariush's"
    );

    // A canned reply with the visitor's name by its fallback.
    let reply = find::wait_for(dariush, &hook("reply"), TIMEOUT).await?;
    reply.send_keys("/sal").await.context("typing /sal")?;
    check::text_shown(dariush, &hook("canned-picker"), "سلام و پیگیری").await?;
    reply.send_keys(&Key::Enter.to_string()).await?;
    action::click(dariush, &hook("reply-send")).await?;
    check::message_shown(dariush, "agent", CANNED_SENT).await?;
    check::message_shown(visitor, "agent", CANNED_SENT).await?;
    // Read receipts: Dariush has the chat open, so the visitor's hello
    // shows "Seen"; the visitor has the panel open, so Dariush's reply does.
    find::wait_for(visitor, &hook("seen"), TIMEOUT).await?;
    find::wait_for(dariush, &hook("seen"), TIMEOUT).await?;

    // A private note, then the transfer with a word for Emma.
    action::click(dariush, &hook("mode-note")).await?;
    action::reply(dariush, NOTE).await?;
    check::text_shown(dariush, &hook("note"), NOTE).await?;
    action::click(dariush, &hook("mode-reply")).await?;
    action::click(dariush, &hook("transfer")).await?;
    let emma_option = format!(r#"{} input[value="a:{emma_id}"]"#, hook("transfer-panel"));
    find::wait_for(dariush, &emma_option, TIMEOUT).await?;
    check::text_shown(dariush, &hook("transfer-panel"), "Emma").await?;
    action::click(dariush, &emma_option).await?;
    action::replace_text(dariush, &hook("transfer-note"), HANDOVER).await?;
    action::screenshot(dariush, &format!("routing-transfer-panel-{side}")).await?;
    action::click(dariush, &hook("transfer-submit")).await?;

    // Emma has it, with both notes, and answers.
    let hello = emma.visitor_message(HELLO).await?;
    let notes = emma.notes(&hello.conversation, 2).await?;
    ensure!(
        notes == [NOTE, HANDOVER],
        "Emma should read both notes in order: {notes:?}"
    );
    emma.reply(&hello.conversation, EMMA_REPLY).await?;

    // The visitor: Emma took over, every message once, no note.
    check::message_shown(visitor, "agent", EMMA_REPLY).await?;
    check::text_shown(visitor, &hook("agent-joined"), "Emma").await?;
    check::history_once_each(
        visitor,
        &[
            ("visitor", HELLO),
            ("agent", CANNED_SENT),
            ("agent", EMMA_REPLY),
        ],
    )
    .await?;
    let page = find::eval(visitor, "document.documentElement.outerHTML").await?;
    let page = page.to_string();
    ensure!(
        !page.contains(NOTE) && !page.contains(HANDOVER),
        "the visitor's widget holds a note"
    );
    action::screenshot(visitor, &format!("routing-widget-{side}")).await?;

    // Dariush: the chat left his list; one remains.
    poll(
        "the transferred chat to leave Dariush's list",
        TIMEOUT,
        || async { Ok((find::shown_count(dariush, &mine).await? == 1).then_some(())) },
    )
    .await?;
    action::screenshot(dariush, &format!("routing-after-{side}")).await?;
    Ok(())
}
