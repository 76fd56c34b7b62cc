//! Issue 12, item 5: self-service before queueing. The owner writes a help
//! article in the console; a visitor opens the widget's help view, finds
//! the article by searching, reads it (its light markdown rendered), and
//! goes back to the chat; typing a first message — in Arabic with another
//! alef, yeh and teh marbuta than the article — brings the article up as a
//! suggestion; the visitor reads it and still sends. The console then
//! shows it opened twice and asked-after once, and the site's report
//! counts the opens (half of them helped without a chat). LTR (en) and RTL
//! (ar). Screenshots
//! `help-{console,view,article,suggest,figures,report}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, axe, check, find, hook};
use ahlan_e2e::{Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::Value;

struct Words {
    lang: &'static str,
    title: &'static str,
    body: &'static str,
    /// Shown in bold once rendered.
    bold: &'static str,
    search: &'static str,
    /// A first message that should bring the article up.
    first: &'static str,
    suggested: &'static str,
    opened: &'static str,
    /// "2" and "50%" in the dashboard's digits.
    two: &'static str,
    half: &'static str,
}

#[tokio::test]
async fn a_visitor_finds_an_article_and_gets_it_suggested_before_writing_ltr() -> Result<()> {
    let words = Words {
        lang: "en",
        title: "How do I reset my password?",
        body: "Open **Settings**, then *Security*:\n\n- choose a new password\n- sign in again",
        bold: "Settings",
        search: "passw",
        first: "I can't reset my password",
        suggested: "These might answer your question",
        opened: "Opened",
        two: "2",
        half: "50%",
    };
    Stage::run_chat("help-ltr", "en", "en", async |stage, visitor, agent| {
        play(stage, visitor, agent, "ltr", &words).await
    })
    .await
}

#[tokio::test]
async fn an_arabic_question_in_other_letter_forms_finds_its_article_rtl() -> Result<()> {
    let words = Words {
        lang: "ar",
        // Hamza on the alef, shadda, teh marbuta.
        title: "كيف أغيّر كلمة المرور؟",
        body: "من **الإعدادات** اختر «الأمان»:\n\n- اكتب كلمة مرور جديدة\n- سجّل الدخول من جديد",
        bold: "الإعدادات",
        search: "الاعدادات",
        // Plain alef, no shadda, heh for the teh marbuta.
        first: "كيف اغير كلمه المرور",
        suggested: "قد تجيب هذه المقالات عن سؤالك",
        opened: "فُتحت",
        two: "٢",
        half: "٥٠٪",
    };
    Stage::run_chat("help-rtl", "ar", "ar", async |stage, visitor, agent| {
        play(stage, visitor, agent, "rtl", &words).await
    })
    .await
}

async fn play(
    stage: &Stage,
    visitor: &Browser,
    agent: &Browser,
    side: &str,
    words: &Words,
) -> Result<()> {
    // The console: the admin writes the article.
    stage.log_in_admin(agent).await?;
    agent
        .goto(&format!("{}#/settings/articles", stage.dashboard_url()))
        .await?;
    find::wait_for(agent, &hook("article-form"), TIMEOUT).await?;
    find::wait_for(agent, &hook("articles-empty"), TIMEOUT).await?;
    find::wait_for(agent, &hook("article-lang"), TIMEOUT)
        .await?
        .select_by_value(words.lang)
        .await?;
    action::replace_text(agent, &hook("article-title"), words.title).await?;
    action::replace_text(agent, &hook("article-body"), words.body).await?;
    action::click(agent, &hook("article-add")).await?;
    check::text_shown(agent, &hook("article-row-title"), words.title).await?;
    action::screenshot(agent, &format!("help-console-{side}")).await?;

    // The widget offers its help view; the search finds the article.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    action::open_widget(visitor).await?;
    action::click(visitor, &hook("help")).await?;
    check::text_shown(visitor, &hook("help-hit"), words.title).await?;
    action::replace_text(visitor, &hook("help-search"), "zzzz").await?;
    find::wait_for(visitor, &hook("help-nothing"), TIMEOUT).await?;
    action::replace_text(visitor, &hook("help-search"), words.search).await?;
    check::text_shown(visitor, &hook("help-hit"), words.title).await?;
    action::screenshot(visitor, &format!("help-view-{side}")).await?;
    axe::clean(visitor, "document", "the help view").await?;
    action::click(visitor, &hook("help-hit")).await?;
    check::text_shown(visitor, &hook("article-title"), words.title).await?;
    // Light markdown, rendered by the messages' renderer.
    let bold = r#"[data-test="article-body"] strong"#;
    check::text_shown(visitor, bold, words.bold).await?;
    find::wait_for(visitor, r#"[data-test="article-body"] li"#, TIMEOUT).await?;
    action::screenshot(visitor, &format!("help-article-{side}")).await?;
    axe::clean(visitor, "document", "an article in the help view").await?;
    action::click(visitor, &hook("article-back")).await?;
    find::wait_for(visitor, &hook("help-search"), TIMEOUT).await?;
    action::click(visitor, &hook("help-ask")).await?;

    // Typing the first message brings the article up; the visitor reads
    // it, comes back to the draft, and still sends.
    let composer = find::wait_for(visitor, &hook("composer"), TIMEOUT).await?;
    composer.send_keys(words.first).await?;
    check::text_shown(visitor, &hook("suggestions"), words.suggested).await?;
    check::text_shown(visitor, &hook("suggestion"), words.title).await?;
    action::screenshot(visitor, &format!("help-suggest-{side}")).await?;
    axe::clean(visitor, "document", "the suggestions").await?;
    action::click(visitor, &hook("suggestion")).await?;
    check::text_shown(visitor, &hook("article-title"), words.title).await?;
    action::click(visitor, &hook("article-back")).await?;
    let draft = find::wait_for(visitor, &hook("composer"), TIMEOUT)
        .await?
        .prop("value")
        .await?;
    ensure!(
        draft.as_deref() == Some(words.first),
        "the draft is kept: {draft:?}"
    );
    action::click(visitor, &hook("send")).await?;
    check::message_shown(visitor, "visitor", words.first).await?;
    ensure!(
        find::displayed(visitor, &hook("suggestions"))
            .await?
            .is_none(),
        "suggestions are for the first message"
    );

    // Opened twice (the list, the suggestion), still asked once.
    let stats = ahlan_e2e::poll("the article's figures", TIMEOUT, || async {
        let all = stage
            .ahlan
            .admin_call(
                reqwest::Method::GET,
                "/api/sites/s_demo/articles",
                Value::Null,
            )
            .await?;
        let stats = all[0]["stats"].clone();
        Ok((stats["asked_after"] == 1).then_some(stats))
    })
    .await?;
    ensure!(stats["opens"] == 2, "figures: {stats}");
    agent.refresh().await?;
    check::text_shown(agent, &hook("article-figures"), words.opened).await?;
    let figures = find::wait_for(agent, &hook("article-figures"), TIMEOUT).await?;
    action::scroll_into_view(agent, &figures).await?;
    action::screenshot(agent, &format!("help-figures-{side}")).await?;

    // The site's report counts them too.
    agent
        .goto(&format!("{}#/reports", stage.dashboard_url()))
        .await?;
    let opened = r#"[data-test="kpi"][data-key="help_opened"] [data-test="kpi-value"]"#;
    check::text_shown(agent, opened, words.two).await?;
    let served = r#"[data-test="kpi"][data-key="help_self_served"] [data-test="kpi-value"]"#;
    check::text_shown(agent, served, words.half).await?;
    let card = find::wait_for(agent, opened, TIMEOUT).await?;
    action::scroll_into_view(agent, &card).await?;
    action::screenshot(agent, &format!("help-report-{side}")).await?;
    Ok(())
}
