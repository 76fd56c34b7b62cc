//! Security issue: hostile text in a real browser. The corpus of
//! `fixtures::xss` goes everywhere a visitor's or an agent's words are
//! shown: visitor messages (typed in the widget, and over the visitor
//! socket as the same visitor), agent replies (typed in the dashboard, and
//! over the agent socket), agents' private notes (in the dashboard only), the agent's name, the site's title and greeting,
//! and a visitor's language tag. In both the widget and the dashboard:
//! every message reads exactly as its light markdown renders (the text as
//! sent, less the markdown that became elements), no dialog opened,
//! nothing but text and the markup allow-list (`p`, `br`, `strong`, `em`,
//! `code`, lists, and links to http/https/mailto only, opening in a new tab
//! with `rel="noopener noreferrer nofollow"`) appeared where text belongs
//! and nothing tried to load (the page's CSP
//! would have reported it), the 5,000-character word wraps instead of
//! widening anything, and the marker host the URLs point at got no request
//! but the test's own control. (The protocol carries no page titles or URLs
//! yet; when a visitor's page or any other text of theirs is shown, it goes
//! through here too.)

use ahlan_e2e::fixtures::xss::{self, Corpus, DASHBOARD, WIDGET};
use ahlan_e2e::fixtures::{action, check, find, hook};
use ahlan_e2e::{
    poll, AgentSocket, Ahlan, Browser, MiniServer, Reply, Stage, VisitorSocket, TIMEOUT,
};
use anyhow::{ensure, Context, Result};
use serde_json::json;

/// Starts every private note of the test, so the widget can be searched
/// for any of them.
const NOTE_MARK: &str = "private-note-7f3a: ";

#[tokio::test]
async fn hostile_text_stays_text_in_the_widget_and_the_dashboard() -> Result<()> {
    let stage = Stage::start("xss").await?;
    let marker = MiniServer::start(|_| Reply::Html("marker".to_owned())).await?;
    let corpus = Corpus::new(&marker.url());
    name_the_agent_and_the_site(&stage.ahlan, &marker.url()).await?;
    let (visitor, agent) = stage.visitor_and_agent("en", "en").await?;
    let result = hostile_text(&stage, &marker, &corpus, &visitor, &agent).await;
    stage.finish(result, vec![visitor, agent]).await
}

/// The admin's name and the demo site's title and greeting, through the
/// REST API the console uses.
async fn name_the_agent_and_the_site(ahlan: &Ahlan, marker: &str) -> Result<()> {
    let changes = [
        ("/api/me", json!({ "name": xss::AGENT_NAME })),
        (
            "/api/sites/s_demo",
            json!({ "title": xss::title(), "greeting": xss::greeting(marker) }),
        ),
    ];
    for (path, body) in changes {
        ahlan.admin_call(reqwest::Method::PATCH, path, body).await?;
    }
    Ok(())
}

async fn hostile_text(
    stage: &Stage,
    marker: &MiniServer,
    corpus: &Corpus,
    visitor: &Browser,
    agent: &Browser,
) -> Result<()> {
    let ahlan = &stage.ahlan;
    let typeable = corpus.typeable();
    // Every fifth typeable entry goes through each app's real text box
    // (bidi overrides and zero-width characters among them); all of them
    // go through the sockets (faster, and beyond what WebDriver can type).
    let by_hand = |start: usize| {
        typeable
            .iter()
            .skip(start)
            .step_by(5)
            .cloned()
            .collect::<Vec<_>>()
    };
    let (in_widget, in_dashboard) = (by_hand(0), by_hand(3));

    // The visitor types in the widget.
    action::open_page(visitor, &stage.host_url()).await?;
    action::switch_to_widget_frame(visitor).await?;
    xss::watch(visitor, WIDGET).await?;
    action::open_widget(visitor).await?;
    for text in &in_widget {
        action::send_visitor_message(visitor, text).await?;
        check::message_exactly(visitor, WIDGET.body, "visitor", &xss::shown(text)).await?;
    }

    // The agent opens the conversation in the dashboard.
    stage.log_in_admin(agent).await?;
    xss::watch(agent, DASHBOARD).await?;
    action::open_conversation(agent).await?;

    // The whole corpus from the same visitor and agent over their sockets.
    let token = widget_token(visitor).await?;
    let mut as_visitor =
        VisitorSocket::connect(ahlan, &stage.host_url(), Some(token.clone()), None).await?;
    ensure!(
        as_visitor.token == token,
        "the socket became another visitor"
    );
    let mut as_agent = AgentSocket::admin(ahlan).await?;
    let all = corpus.all();
    for text in &all {
        as_visitor.send(text).await?;
    }
    let last = all.last().context("an empty corpus")?;
    let conversation = as_agent.visitor_message(last).await?.conversation;
    for text in &all {
        as_agent.reply(&conversation, text).await?;
    }
    // Private notes: shown to agents, as text; never to the visitor. Each
    // is marked so the widget's check can tell one from a message.
    // (The 5,000-character word is cut to fit the limit with the mark.)
    let room = shared::limits::MAX_MESSAGE_CHARS - NOTE_MARK.chars().count();
    let notes: Vec<String> = all
        .iter()
        .map(|t| format!("{NOTE_MARK}{}", t.chars().take(room).collect::<String>()))
        .collect();
    for text in &notes {
        as_agent.note(&conversation, text).await?;
    }

    // The agent types in the dashboard.
    for text in &in_dashboard {
        action::reply(agent, text).await?;
        check::message_exactly(agent, DASHBOARD.body, "agent", &xss::shown(text)).await?;
    }

    // Each message reads as its light markdown renders (the corpus's
    // markdown and URLs become the allowed elements, see `xss::scan`).
    let mut shown: Vec<(&str, String)> = Vec::new();
    shown.extend(in_widget.iter().map(|t| ("visitor", xss::shown(t))));
    shown.extend(all.iter().map(|t| ("visitor", xss::shown(t))));
    shown.extend(all.iter().map(|t| ("agent", xss::shown(t))));
    shown.extend(in_dashboard.iter().map(|t| ("agent", xss::shown(t))));
    let notes_shown: Vec<String> = notes.iter().map(|t| xss::shown(t)).collect();
    let expected: Vec<(&str, &str)> = shown.iter().map(|(a, t)| (*a, t.as_str())).collect();

    // The dashboard, with the conversation open: messages and notes.
    let mut in_the_desk = expected.clone();
    in_the_desk.extend(notes_shown.iter().map(|t| ("note", t.as_str())));
    shows_only_text(agent, DASHBOARD, &in_the_desk, &marker.url()).await?;
    check::no_dialog(agent).await?;
    action::screenshot(agent, "xss-dashboard").await?;
    show(
        agent,
        DASHBOARD,
        &corpus.long_word,
        "xss-dashboard-long-word",
    )
    .await?;
    show(
        agent,
        DASHBOARD,
        &corpus.combining,
        "xss-dashboard-combining",
    )
    .await?;

    // The widget, and what the site and the agent's name put in it; no
    // note anywhere in it.
    shows_only_text(visitor, WIDGET, &expected, &marker.url()).await?;
    let page = find::eval(visitor, "document.documentElement.textContent").await?;
    ensure!(
        !page.as_str().unwrap_or_default().contains(NOTE_MARK),
        "a private note reached the widget"
    );
    exactly(visitor, ".title", &xss::title()).await?;
    exactly(visitor, ".greeting .body", &xss::greeting(&marker.url())).await?;
    check::text_shown(visitor, ".subtitle", xss::AGENT_NAME).await?;
    check::text_shown(visitor, &hook("agent-joined"), xss::AGENT_NAME).await?;
    // The name's right-to-left override stays inside the name.
    xss::reads_left_to_right(visitor, &hook("agent-joined"), "joined").await?;
    check::no_dialog(visitor).await?;
    action::leave_frame(visitor).await?;
    action::screenshot(visitor, "xss-widget").await?;
    action::switch_to_widget_frame(visitor).await?;
    show(visitor, WIDGET, &corpus.long_word, "xss-widget-long-word").await?;
    show(visitor, WIDGET, &corpus.combining, "xss-widget-combining").await?;
    action::leave_frame(visitor).await?;

    // A visitor whose browser claims a hostile language: the agent sees
    // the tag as text beside the conversation.
    let mut stranger =
        VisitorSocket::connect(ahlan, &stage.host_url(), None, Some(xss::LOCALE)).await?;
    let (theirs, _) = stranger.send(&corpus.entries[0]).await?;
    let item = format!(r#"{}[data-id="{theirs}"]"#, hook("conversation-item"));
    let opened = format!(r#".conversation[data-id="{theirs}"]"#);
    poll(
        "the second visitor's conversation to open",
        TIMEOUT,
        || async {
            if find::displayed(agent, &opened).await?.is_some() {
                return Ok(Some(()));
            }
            // The list re-renders as the conversation arrives: a click may
            // meet a row just replaced, and is tried again.
            if let Some(row) = find::displayed(agent, &item).await? {
                row.click().await?;
            }
            Ok(None)
        },
    )
    .await?;
    check::text_shown(agent, ".pane-details", xss::LOCALE).await?;
    check::text_shown(agent, &item, xss::LOCALE).await?;
    // The tag's right-to-left override does not turn the page's origin
    // around (it would let a visitor dress one origin up as another).
    xss::reads_left_to_right(agent, ".pane-details", "127.0.0.1").await?;
    xss::reads_left_to_right(agent, &item, "127.0.0.1").await?;
    let scan = xss::scan(agent, DASHBOARD, &marker.url()).await?;
    ensure!(scan.problems.is_empty(), "dashboard: {:#?}", scan.problems);
    ensure!(scan.layout.is_empty(), "dashboard: {:#?}", scan.layout);
    check::no_dialog(agent).await?;
    action::screenshot(agent, "xss-dashboard-language").await?;

    // The marker host answers this browser (a control request from the
    // host page, which has no CSP) and heard nothing else.
    visitor
        .execute(
            "new Image().src = arguments[0] + '/control';",
            vec![json!(marker.url())],
        )
        .await?;
    poll(
        "the control request at the marker host",
        TIMEOUT,
        || async {
            Ok(marker
                .requests()
                .iter()
                .any(|r| r.path == "/control")
                .then_some(()))
        },
    )
    .await?;
    let heard: Vec<String> = marker.requests().into_iter().map(|r| r.path).collect();
    ensure!(
        heard == ["/control"],
        "the marker host was asked for {heard:?}"
    );
    check::no_dialog(visitor).await?;
    check::no_dialog(agent).await
}

/// In `app`: every `(author, text)` of `expected` is shown exactly as
/// often as expected, and nothing but text appeared, loaded or overflowed.
async fn shows_only_text(
    client: &Browser,
    app: xss::App,
    expected: &[(&str, &str)],
    marker: &str,
) -> Result<()> {
    let scan = poll(
        &format!("every message in the {}", app.name),
        TIMEOUT,
        || async {
            let scan = xss::scan(client, app, marker).await?;
            let all_there = expected
                .iter()
                .all(|(author, text)| scan.messages.iter().any(|(a, t)| a == author && t == text));
            Ok(all_there.then_some(scan))
        },
    )
    .await?;
    for (author, text) in expected {
        let want = expected.iter().filter(|e| e == &&(*author, *text)).count();
        let shown = scan
            .messages
            .iter()
            .filter(|(a, t)| a == author && t == text)
            .count();
        let short: String = text.chars().take(60).collect();
        ensure!(
            shown == want,
            "{}: the {author} message {short:?} is shown {shown} times, sent {want}",
            app.name
        );
    }
    ensure!(
        scan.problems.is_empty(),
        "{}: {:#?}",
        app.name,
        scan.problems
    );
    ensure!(scan.layout.is_empty(), "{}: {:#?}", app.name, scan.layout);
    Ok(())
}

/// Scrolls `app`'s message reading exactly `text` into view and takes a
/// screenshot named `name` (to look at how it wraps).
async fn show(client: &Browser, app: xss::App, text: &str, name: &str) -> Result<()> {
    let found = client
        .execute(
            "for (const el of document.querySelectorAll(arguments[0])) {
               if (el.textContent === arguments[1]) {
                 el.scrollIntoView({ block: 'center' });
                 return true;
               }
             }
             return false;",
            vec![json!(app.body), json!(text)],
        )
        .await?;
    ensure!(found == true, "{}: no message to show for {name}", app.name);
    action::screenshot(client, name).await?;
    Ok(())
}

/// The `textContent` of the first element at `selector` is `text`.
async fn exactly(client: &Browser, selector: &str, text: &str) -> Result<()> {
    let shown = client
        .execute(
            "const el = document.querySelector(arguments[0]); return el && el.textContent;",
            vec![json!(selector)],
        )
        .await?;
    ensure!(shown == text, "`{selector}` reads {shown}, not {text:?}");
    Ok(())
}

/// Inside the widget's frame: the visitor token it keeps.
async fn widget_token(visitor: &Browser) -> Result<String> {
    let token = find::eval(
        visitor,
        "Object.keys(localStorage).filter(k => k.endsWith(':token')).map(k => localStorage.getItem(k))[0]",
    )
    .await?;
    token
        .as_str()
        .map(str::to_owned)
        .context("the widget keeps no visitor token")
}
