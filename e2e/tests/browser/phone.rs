//! Issue 10, the desk on a phone (390×844): the top bar fits, its
//! presence, language and sign-out fold into a menu that opens on screen;
//! the lists and the conversation are two screens with a back button; the
//! composer is on screen and a reply goes out; the history's results and a
//! found conversation are two screens too. LTR (en) and RTL (fa).
//! Screenshots `phone-{inbox,menu,conversation,history}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{Browser, Stage};
use anyhow::{ensure, Context, Result};

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

#[tokio::test]
async fn the_desk_works_on_a_phone_ltr() -> Result<()> {
    Stage::run_chat("phone-ltr", "en", "en", async |stage, visitor, agent| {
        play(
            stage,
            visitor,
            agent,
            "ltr",
            "Do you deliver on Fridays?",
            "Yes, until 6 pm.",
        )
        .await
    })
    .await
}

#[tokio::test]
async fn the_desk_works_on_a_phone_rtl() -> Result<()> {
    Stage::run_chat("phone-rtl", "ar", "fa", async |stage, visitor, agent| {
        play(
            stage,
            visitor,
            agent,
            "rtl",
            "هل توصلون يوم الجمعة؟",
            "بله، تا ساعت ۶ عصر.",
        )
        .await
    })
    .await
}

/// Whether the element at `selector` is shown (waiting for it: a screen
/// just navigated to renders on a later frame) and wholly inside the
/// viewport (`rect` is left, top, width, height).
async fn on_screen(agent: &Browser, selector: &str) -> Result<()> {
    find::wait_for(agent, selector, ahlan_e2e::TIMEOUT).await?;
    let (left, top, width, height) = find::rect(agent, selector)
        .await?
        .with_context(|| format!("{selector} has no box"))?;
    let (w, h) = (f64::from(WIDTH), f64::from(HEIGHT));
    ensure!(
        left >= -0.5 && top >= -0.5 && left + width <= w + 0.5 && top + height <= h + 0.5,
        "{selector} is off screen: [{left}, {top}, {width}×{height}] in {w}×{h}"
    );
    Ok(())
}

/// Sizes the window so the page itself gets 390×844 (the window's own
/// bars take some of what `set_window_size` gives).
async fn phone_sized(agent: &Browser) -> Result<()> {
    agent.set_window_size(WIDTH, HEIGHT).await?;
    let inner = find::eval(agent, "[window.innerWidth, window.innerHeight]").await?;
    let got = |i: usize| inner[i].as_u64().unwrap_or(0) as u32;
    let (w, h) = (got(0), got(1));
    agent
        .set_window_size(
            WIDTH + WIDTH.saturating_sub(w),
            HEIGHT + HEIGHT.saturating_sub(h),
        )
        .await?;
    Ok(())
}

async fn hidden(agent: &Browser, selector: &str) -> Result<()> {
    ensure!(
        find::displayed(agent, selector).await?.is_none(),
        "{selector} is shown"
    );
    Ok(())
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    hello: &str,
    reply: &str,
) -> Result<()> {
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, hello).await?;

    phone_sized(agent).await?;
    stage.log_in_admin(agent).await?;
    check::document_dir(agent, side).await?;
    let page = find::eval(
        agent,
        "document.scrollingElement.scrollWidth <= window.innerWidth",
    )
    .await?;
    ensure!(page == true, "the page scrolls sideways on a phone");
    let viewport = find::eval(agent, "[window.innerWidth, window.innerHeight]").await?;
    ensure!(
        viewport == serde_json::json!([WIDTH, HEIGHT]),
        "the viewport is {viewport}, not {WIDTH}×{HEIGHT}"
    );

    // The bar: the menu button, not the folded items.
    on_screen(agent, &hook("menu-toggle")).await?;
    on_screen(agent, &hook("nav-settings")).await?;
    hidden(agent, &hook("sign-out")).await?;
    // The lists first, the conversation pane not at all.
    on_screen(agent, &hook("inbox-mine")).await?;
    hidden(agent, ".pane").await?;
    action::screenshot(agent, &format!("phone-inbox-{side}")).await?;

    hidden(agent, &hook("nav-reports")).await?;
    action::click(agent, &hook("menu-toggle")).await?;
    on_screen(agent, &hook("sign-out")).await?;
    // Four tabs do not fit: the reports are in the menu.
    on_screen(agent, &hook("menu-reports")).await?;
    on_screen(agent, &hook("presence")).await?;
    action::screenshot(agent, &format!("phone-menu-{side}")).await?;
    action::click(agent, &hook("menu-toggle")).await?;
    hidden(agent, &hook("sign-out")).await?;

    // The conversation: its own screen, back button and composer on it.
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", hello).await?;
    hidden(agent, &hook("inbox-mine")).await?;
    on_screen(agent, &hook("back")).await?;
    on_screen(agent, &hook("reply")).await?;
    on_screen(agent, &hook("reply-send")).await?;
    action::reply(agent, reply).await?;
    check::message_shown(agent, "agent", reply).await?;
    check::message_shown(visitor, "agent", reply).await?;
    action::screenshot(agent, &format!("phone-conversation-{side}")).await?;

    // Back to the lists.
    action::click(agent, &hook("back")).await?;
    on_screen(agent, &hook("inbox-mine")).await?;
    hidden(agent, ".pane").await?;

    // The history: its results are one screen, a conversation another.
    on_screen(agent, &hook("nav-history")).await?;
    action::click(agent, &hook("nav-history")).await?;
    on_screen(agent, &hook("history-q")).await?;
    find::wait_for(agent, &hook("history-item"), ahlan_e2e::TIMEOUT).await?;
    on_screen(agent, &hook("history-item")).await?;
    hidden(agent, ".pane").await?;
    let page = find::eval(
        agent,
        "document.scrollingElement.scrollWidth <= window.innerWidth",
    )
    .await?;
    ensure!(page == true, "the history scrolls sideways on a phone");
    action::screenshot(agent, &format!("phone-history-{side}")).await?;
    action::click(agent, &format!("{} button", hook("history-item"))).await?;
    check::message_shown(agent, "agent", reply).await?;
    on_screen(agent, &hook("back")).await?;
    hidden(agent, &hook("history-q")).await?;
    action::click(agent, &hook("back")).await?;
    on_screen(agent, &hook("history-item")).await?;
    Ok(())
}
