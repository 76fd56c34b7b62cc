//! Messages in light markdown (`shared::markup`, shown by `ui::markup` in
//! both apps): bold, italic, code, lists and links render as elements in
//! the widget and the dashboard; a link opens in a new tab without the
//! opener or a referrer; a `javascript:` link stays text. (The hostile
//! corpus of `xss.rs` runs through the same renderer.)

use ahlan_e2e::fixtures::{action, check, find, hook, messages_by};
use ahlan_e2e::{AgentSocket, Browser, Stage, TIMEOUT};
use anyhow::{ensure, Result};
use serde_json::json;

struct Words {
    visitor: &'static str,
    reply: &'static str,
    bold: &'static str,
    item: &'static str,
}

const LTR: Words = Words {
    visitor: "Is **size 42** in stock? See https://shop.example/p/42 and `SKU-42`. [win](javascript:alert(1))",
    reply: "Yes:\n- *black*\n- white\n\nOrder here: [the shop](https://shop.example/cart)",
    bold: "size 42",
    item: "black",
};

const RTL: Words = Words {
    visitor: "آیا **سایز ۴۲** موجود است؟ https://shop.example/p/42 و `SKU-42`. [برنده](javascript:alert(1))",
    reply: "بله:\n- *مشکی*\n- سفید\n\nسفارش: [فروشگاه](https://shop.example/cart)",
    bold: "سایز ۴۲",
    item: "مشکی",
};

#[tokio::test]
async fn markdown_renders_in_both_apps_ltr() -> Result<()> {
    markup("ltr", "en", &LTR).await
}

#[tokio::test]
async fn markdown_renders_in_both_apps_rtl() -> Result<()> {
    markup("rtl", "fa", &RTL).await
}

async fn markup(dir: &str, lang: &str, w: &Words) -> Result<()> {
    let stage = Stage::start(&format!("markup-{dir}")).await?;
    let (visitor, agent) = stage.visitor_and_agent(lang, lang).await?;
    let result = async {
        let mut socket = AgentSocket::admin(&stage.ahlan).await?;
        action::open_page(&visitor, &stage.host_url()).await?;
        action::switch_to_widget_frame(&visitor).await?;
        action::send_visitor_message(&visitor, w.visitor).await?;
        check::text_shown(&visitor, &messages_by("visitor"), w.bold).await?;
        // The emoji picker: Escape closes it (not the panel); a pick goes
        // in at the caret, and the text box keeps the focus.
        action::click(&visitor, &hook("emoji-toggle")).await?;
        find::wait_for(&visitor, &hook("emoji-grid"), TIMEOUT).await?;
        action::screenshot(&visitor, &format!("markup-emoji-{dir}")).await?;
        visitor
            .active_element()
            .await?
            .send_keys(&fantoccini::key::Key::Escape.to_string())
            .await?;
        ensure!(
            find::shown_count(&visitor, &hook("emoji-grid")).await? == 0
                && find::shown_count(&visitor, &hook("panel")).await? == 1,
            "Escape should close the picker and only the picker"
        );
        action::click(&visitor, &hook("emoji-toggle")).await?;
        find::eval(
            &visitor,
            r#"(Array.from(document.querySelectorAll('[data-test="emoji"]'))
                .find(function (b) { return b.textContent === "👍"; }).click(), true)"#,
        )
        .await?;
        let composer = find::wait_for(&visitor, &hook("composer"), TIMEOUT).await?;
        composer.send_keys(" ok").await?;
        action::click(&visitor, &hook("send")).await?;
        check::text_shown(&visitor, &messages_by("visitor"), "👍 ok").await?;

        stage.log_in_admin(&agent).await?;
        action::open_conversation(&agent).await?;
        check::text_shown(&agent, ".msg-visitor .bubble strong", w.bold).await?;
        check::text_shown(&agent, ".msg-visitor .bubble", "👍 ok").await?;
        rendered(&agent, ".msg-visitor .bubble", "https://shop.example/p/42").await?;
        // A reply of several lines (the composer sends on Enter; the same
        // admin answers over its socket).
        let conversation = socket.visitor_message(w.visitor).await?.conversation;
        socket.reply(&conversation, w.reply).await?;
        check::text_shown(&agent, ".msg-agent .bubble li em", w.item).await?;
        action::screenshot(&agent, &format!("markup-dashboard-{dir}")).await?;

        check::text_shown(
            &visitor,
            &format!("{} ul li em", messages_by("agent")),
            w.item,
        )
        .await?;
        check::text_shown(
            &visitor,
            &format!("{} strong", messages_by("visitor")),
            w.bold,
        )
        .await?;
        rendered(&visitor, &messages_by("agent"), "https://shop.example/cart").await?;
        rendered(
            &visitor,
            &messages_by("visitor"),
            "https://shop.example/p/42",
        )
        .await?;
        action::screenshot(&visitor, &format!("markup-widget-{dir}")).await?;
        Ok(())
    }
    .await;
    stage.finish(result, vec![visitor, agent]).await
}

/// Inside `scope`: exactly one link, to `href`, opening in a new tab with
/// no opener, referrer or endorsement; `code` is an element; the
/// `javascript:` link is text.
async fn rendered(client: &Browser, scope: &str, href: &str) -> Result<()> {
    let links = find::eval(
        client,
        &format!(
            r#"Array.from(document.querySelectorAll({scope})).flatMap(function (m) {{
                return Array.from(m.querySelectorAll("a")).map(function (a) {{
                    return [a.getAttribute("href"), a.getAttribute("rel"), a.getAttribute("target")];
                }});
            }})"#,
            scope = json!(scope)
        ),
    )
    .await?;
    ensure!(
        links == json!([[href, "noopener noreferrer nofollow", "_blank"]]),
        "links in {scope}: {links}"
    );
    let texts = find::texts(client, scope).await?.join("\n");
    if texts.contains("javascript:") {
        ensure!(
            texts.contains("(javascript:alert(1))"),
            "the javascript: link is not kept as text: {texts}"
        );
    }
    let codes = find::eval(
        client,
        &format!(
            r#"Array.from(document.querySelectorAll({scope} + " code")).map(function (c) {{ return c.textContent; }})"#,
            scope = json!(scope)
        ),
    )
    .await?;
    if scope.contains("visitor") {
        ensure!(codes == json!(["SKU-42"]), "code in {scope}: {codes}");
    }
    Ok(())
}
