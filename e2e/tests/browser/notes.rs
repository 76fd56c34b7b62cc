//! Issue 10, private notes: an agent writes a note in the thread, between
//! two replies; the dashboard shows it apart, in the note colour, with
//! who wrote it; the visitor's widget gets both replies and never a word of
//! the note. Screenshots `notes-dashboard-{ltr,rtl}.png`,
//! `notes-composer-{ltr,rtl}.png` and `notes-widget-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, check, find};
use ahlan_e2e::{Browser, Stage};
use anyhow::{ensure, Result};

#[tokio::test]
async fn a_private_note_stays_with_the_agents_ltr() -> Result<()> {
    let script = Script {
        hello: "Hi, my order 1042 never arrived",
        reply: "Sorry about that! Let me check.",
        note: "Courier lost it: refund approved by Sara",
        later: "Good news: a refund is on its way.",
        side: "ltr",
    };
    Stage::run_chat("notes-ltr", "en", "en", async |stage, visitor, agent| {
        play(stage, visitor, agent, &script).await
    })
    .await
}

#[tokio::test]
async fn a_private_note_stays_with_the_agents_rtl() -> Result<()> {
    let script = Script {
        hello: "مرحبا، طلبي رقم ١٠٤٢ لم يصل",
        reply: "متأسفیم! بررسی می‌کنم.",
        note: "پیک آن را گم کرده؛ بازپرداخت تأیید شد",
        later: "خبر خوب: مبلغ به حساب شما برمی‌گردد.",
        side: "rtl",
    };
    Stage::run_chat("notes-rtl", "ar", "fa", async |stage, visitor, agent| {
        play(stage, visitor, agent, &script).await
    })
    .await
}

struct Script {
    hello: &'static str,
    reply: &'static str,
    note: &'static str,
    later: &'static str,
    side: &'static str,
}

async fn play(stage: &Stage, visitor: &Browser, agent: &Browser, s: &Script) -> Result<()> {
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::send_visitor_message(visitor, s.hello).await?;

    stage.log_in_admin(agent).await?;
    check::document_dir(agent, s.side).await?;
    action::open_conversation(agent).await?;
    check::message_shown(agent, "visitor", s.hello).await?;
    action::reply(agent, s.reply).await?;
    check::message_shown(agent, "agent", s.reply).await?;

    action::click(agent, "[data-test=mode-note]").await?;
    let pressed = find::eval(
        agent,
        "document.querySelector('[data-test=mode-note]').getAttribute('aria-pressed')",
    )
    .await?;
    ensure!(pressed == "true", "the note switch is not on: {pressed}");
    action::screenshot(agent, &format!("notes-composer-{}", s.side)).await?;
    action::reply(agent, s.note).await?;
    check::text_shown(agent, "[data-test=note]", s.note).await?;
    // Back to replying: the next words go to the visitor.
    action::click(agent, "[data-test=mode-reply]").await?;
    action::reply(agent, s.later).await?;
    check::message_shown(agent, "agent", s.later).await?;
    // The note sits between the two replies, once.
    let order = find::eval(
        agent,
        "Array.from(document.querySelectorAll('[data-test=message],[data-test=note]'))
            .map(e => e.getAttribute('data-test')).join(',')",
    )
    .await?;
    ensure!(
        order == "message,message,note,message",
        "thread order: {order}"
    );
    action::screenshot(agent, &format!("notes-dashboard-{}", s.side)).await?;

    // The visitor has both replies — so everything before the second one
    // has arrived — and nothing of the note.
    check::message_shown(visitor, "agent", s.reply).await?;
    check::message_shown(visitor, "agent", s.later).await?;
    let page = find::eval(visitor, "document.documentElement.outerHTML").await?;
    ensure!(
        !page.to_string().contains(s.note),
        "the visitor's widget holds the note"
    );
    check::history_once_each(
        visitor,
        &[("visitor", s.hello), ("agent", s.reply), ("agent", s.later)],
    )
    .await?;
    action::screenshot(visitor, &format!("notes-widget-{}", s.side)).await?;
    Ok(())
}
