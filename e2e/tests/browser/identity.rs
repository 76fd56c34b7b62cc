//! The page identifies its logged-in user (`Ahlan.identify` with the hash
//! its server computed, docs/SDK.md). On a site that accepts only signed
//! identities: the agent sees the user's name and verified id; the same
//! user on another device finds the conversation; a forged hash, or one
//! user's hash replayed for another id, is refused (the page's console
//! says why) and opens nobody's conversation.

use ahlan_e2e::fixtures::{action, check, find, hook, messages_by};
use ahlan_e2e::mini_http::host_page_html;
use ahlan_e2e::{poll, Reply, Stage, TIMEOUT};
use ahlan_server::identity::sign;
use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};

/// The host page identifies whoever its URL's fragment names (JSON), as a
/// site's page would for its logged-in user, through the snippet's stub.
const IDENTIFY_FROM_FRAGMENT: &str = r#"<script>
  window.Ahlan = { q: [] };
  if (location.hash.length > 1) {
    Ahlan.q.push(["identify", JSON.parse(decodeURIComponent(location.hash.slice(1)))]);
  }
</script>"#;

#[tokio::test]
async fn a_signed_user_is_named_to_the_agent_and_forged_hashes_open_nothing() -> Result<()> {
    identity("ltr", "en", "en").await
}

#[tokio::test]
async fn a_signed_persian_user_is_named_in_a_right_to_left_dashboard() -> Result<()> {
    identity("rtl", "fa", "ar").await
}

async fn identity(dir: &str, visitor_lang: &str, agent_lang: &str) -> Result<()> {
    let stage = Stage::start_hosting(&format!("identity-{dir}"), |ahlan| {
        let page = host_page_html(&format!("{IDENTIFY_FROM_FRAGMENT}\n{}", ahlan.snippet()));
        move |_| Reply::Html(page.clone())
    })
    .await?;
    let mut browsers = vec![stage.browser("agent", agent_lang).await?];
    let result = async {
        let ahlan = &stage.ahlan;
        let settings = ahlan
            .admin_call(
                reqwest::Method::GET,
                "/api/sites/s_demo/identity",
                Value::Null,
            )
            .await?;
        let secret = settings["secret"]
            .as_str()
            .context("the secret")?
            .to_owned();
        ahlan
            .admin_call(
                reqwest::Method::PATCH,
                "/api/sites/s_demo",
                json!({ "identity_required": true }),
            )
            .await?;
        let name = if dir == "rtl" {
            "لیلا احمدی"
        } else {
            "Leila Ahmadi"
        };
        let user = |id: &str, hash: String| {
            let who = json!({ "id": id, "name": name, "email": "leila@example.com", "hash": hash });
            format!("{}#{}", stage.host_url(), percent(&who.to_string()))
        };
        let signed = user("user-42", sign(&secret, "user-42"));

        // The phone: the signed user writes.
        browsers.push(stage.browser("phone", visitor_lang).await?);
        {
            let phone = &browsers[1];
            action::open_page(phone, &signed).await?;
            action::switch_to_widget_frame(phone).await?;
            action::send_visitor_message(phone, "Where is my order 1234?").await?;
            check::message_shown(phone, "visitor", "Where is my order 1234?").await?;
        }

        // The agent sees who it is, verified.
        let agent = &browsers[0];
        stage.log_in_admin(agent).await?;
        action::open_conversation(agent).await?;
        check::text_shown(agent, &hook("context-name"), name).await?;
        check::text_shown(agent, &hook("context-user"), "user-42").await?;
        action::reply(agent, "It ships today.").await?;
        action::screenshot(agent, &format!("identity-dashboard-{dir}")).await?;

        // The laptop: the same signed user finds the conversation.
        browsers.push(stage.browser("laptop", visitor_lang).await?);
        {
            let laptop = &browsers[2];
            action::open_page(laptop, &signed).await?;
            action::switch_to_widget_frame(laptop).await?;
            check::history_once_each(
                laptop,
                &[
                    ("visitor", "Where is my order 1234?"),
                    ("agent", "It ships today."),
                ],
            )
            .await?;
            action::screenshot(laptop, &format!("identity-laptop-{dir}")).await?;
        }

        // The console: the secret hidden until asked for; a new one made
        // after a confirmation, and the old signature refused from then on
        // (the laptop's next hello would be anonymous: see
        // server/tests/identity.rs).
        let agent = &browsers[0];
        action::open_page(
            agent,
            &format!("{}#/settings/sites/s_demo", stage.dashboard_url()),
        )
        .await?;
        let shown = find::wait_for(agent, &hook("identity-secret"), TIMEOUT).await?;
        action::scroll_into_view(agent, &shown).await?;
        check::text_shown(agent, &hook("identity-secret"), &secret[60..]).await?;
        ensure!(
            !shown.text().await?.contains(&secret[..8]),
            "the secret shows before it is asked for"
        );
        action::click(agent, &hook("identity-show")).await?;
        check::text_shown(agent, &hook("identity-secret"), &secret).await?;
        action::screenshot(agent, &format!("identity-console-{dir}")).await?;
        action::click(agent, &hook("identity-rotate")).await?;
        find::wait_for(agent, &hook("identity-rotate-confirm-text"), TIMEOUT).await?;
        action::click(agent, &hook("identity-rotate-confirm")).await?;
        let rotated = poll("a new secret", TIMEOUT, || async {
            let now = ahlan
                .admin_call(
                    reqwest::Method::GET,
                    "/api/sites/s_demo/identity",
                    Value::Null,
                )
                .await?;
            Ok(now["secret"]
                .as_str()
                .filter(|s| *s != secret)
                .map(str::to_owned))
        })
        .await?;
        check::text_shown(agent, &hook("identity-secret"), &rotated).await?;

        // A forged hash, and user 42's hash replayed for user 43: refused,
        // told to the page's console, and nobody's conversation shows.
        for (who, url) in [
            ("forged", user("user-42", "00".repeat(32))),
            ("replayed", user("user-43", sign(&secret, "user-42"))),
        ] {
            browsers.push(stage.browser(who, visitor_lang).await?);
            let eve = browsers.last().context("the browser")?;
            action::open_page(eve, &url).await?;
            action::switch_to_widget_frame(eve).await?;
            find::wait_for(eve, &hook("composer"), TIMEOUT).await?;
            action::leave_frame(eve).await?;
            poll(
                "the page's console to say the identity was refused",
                TIMEOUT,
                || async {
                    let warnings = find::eval(eve, "window.__hostWarnings").await?;
                    let said = warnings.as_array().is_some_and(|w| {
                        w.iter()
                            .any(|w| w.as_str().is_some_and(|w| w.contains("identity_invalid")))
                    });
                    Ok(said.then_some(()))
                },
            )
            .await?;
            action::switch_to_widget_frame(eve).await?;
            let shown = find::texts(eve, &messages_by("agent")).await?.len()
                + find::texts(eve, &messages_by("visitor")).await?.len();
            ensure!(shown == 0, "the {who} identity showed {shown} message(s)");
        }
        Ok(())
    }
    .await;
    stage.finish(result, browsers).await
}

/// `text` for a URL's fragment.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
