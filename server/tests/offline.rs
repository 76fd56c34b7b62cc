//! Issue 12, item 1: business hours, the offline widget, leaving a
//! message with an email, and agents' replies mailed (a real SMTP sink on
//! a free port, the server's real `--smtp-url` path).

use crate::common::*;
use ahlan_server::test_smtp::SmtpSink;
use serde_json::{json, Value};
use std::time::Duration;

/// A week closed every day: offline with no opening to promise.
fn closed_week() -> Value {
    json!({"week": [null, null, null, null, null, null, null], "holidays": []})
}

async fn admin(server: &TestServer) -> Api {
    Api::login(server, ADMIN_EMAIL, ADMIN_PASSWORD).await
}

async fn set_hours(api: &Api, hours: Value) -> Value {
    let site = ahlan_server::seed::DEMO_SITE_ID;
    let (status, body) = api
        .patch(&format!("/api/sites/{site}"), json!({ "hours": hours }))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn contact(name: &str, email: &str) -> Value {
    json!({"type": "contact", "contact": {"name": name, "email": email}})
}

#[actix_web::test]
async fn a_message_left_while_offline_is_answered_by_mail() {
    let mut sink = SmtpSink::start().await;
    let config = config_mailing(&sink.url);
    let server = TestServer::start_with(config).await;
    let api = admin(&server).await;
    set_hours(&api, closed_week()).await;
    server.add_agent("Sara", 3).await;

    // The widget hears it is offline, with no time to promise.
    let (mut visitor, welcome) = server.visitor().await;
    assert_eq!(welcome["offline"], json!({}), "{welcome}");
    assert!(welcome.get("contact").is_none(), "{welcome}");
    visitor.send(send_frame("m1", "Where is my order?")).await;
    visitor.expect("ack").await;
    // A bad address is refused and changes nothing.
    visitor.send(contact("Leila", "leila-at-example")).await;
    let e = visitor.expect("error").await;
    assert_eq!(e["code"], "invalid_email", "{e}");
    visitor.send(contact(" Leila ", "leila@example.ir")).await;
    let saved = visitor.expect("contact_saved").await;
    assert_eq!(
        saved["contact"],
        json!({"name": "Leila", "email": "leila@example.ir"})
    );

    // An agent coming online is given it, marked, with the contact.
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut agent, welcome) = server.agent_socket(&cookie).await;
    let _ = welcome;
    let me = Api::login(&server, "sara@example.com", "agent-password").await;
    assert_eq!(me.get("/api/me").await.1["mails_replies"], true);
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let c = &conv["conversation"];
    assert_eq!(c["left_message"], true, "{c}");
    assert_eq!(c["visitor"]["email"], "leila@example.ir");
    assert_eq!(c["visitor"]["name"], "Leila");
    let id = c["id"].as_str().unwrap().to_owned();

    // Each reply is mailed, once, in order.
    let reply = |cid: &str, body: &str| json!({"type": "send", "conversation": id, "client_id": cid, "body": body});
    agent.send(reply("r1", "It ships today.")).await;
    agent.expect("ack").await;
    let mail = sink.next(DEADLINE).await.expect("the reply's mail");
    assert_eq!(mail.to, vec!["leila@example.ir".to_owned()]);
    assert_eq!(
        mail.header("From").as_deref(),
        Some("\"Shop Support\" <support@shop.example>")
    );
    let subject = mail.header("Subject").unwrap();
    assert!(
        subject.starts_with("A reply to your message to"),
        "{subject}"
    );
    let text = mail.body_text();
    assert!(text.contains("Sara from"), "{text}");
    assert!(text.contains("It ships today."), "{text}");
    assert!(text.contains("Hello Leila,"), "{text}");
    // The same send retried is the same message: no second mail.
    agent.send(reply("r1", "It ships today.")).await;
    agent.expect("ack").await;
    agent.send(reply("r2", "Tracking: ZX-42")).await;
    agent.expect("ack").await;
    let second = sink.next(DEADLINE).await.expect("the second reply's mail");
    assert!(second.body_text().contains("Tracking: ZX-42"), "{second:?}");

    // Resolved, the mark ends: a later reply is not mailed.
    agent
        .send(json!({"type": "resolve", "conversation": id}))
        .await;
    agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "resolved")
        .await;
    visitor.send(send_frame("m2", "One more question")).await;
    visitor.expect("ack").await;
    agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    agent.send(reply("r3", "Ask away")).await;
    agent.expect("ack").await;
    // Sentinel: another visitor's left message, replied to after it. The
    // sink's next mail is that one: "Ask away" produced none.
    let (mut other, _) = server.visitor().await;
    other.send(send_frame("o1", "Do you ship to Oman?")).await;
    other.expect("ack").await;
    other.send(contact("Omar", "omar@example.om")).await;
    other.expect("contact_saved").await;
    let conv = agent
        .until(|f| {
            f["type"] == "conversation"
                && f["conversation"]["status"] == "assigned"
                && f["conversation"]["left_message"] == true
        })
        .await;
    let other_id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    agent
        .send(json!({"type": "send", "conversation": other_id, "client_id": "o-r1", "body": "Yes, we do."}))
        .await;
    agent.expect("ack").await;
    let next = sink.next(DEADLINE).await.expect("the sentinel mail");
    assert_eq!(next.to, vec!["omar@example.om".to_owned()], "{}", next.data);
    assert!(sink.next(Duration::from_millis(200)).await.is_none());
    let metrics = scrape(&server.url).await;
    assert!(
        metrics.contains("ahlan_mails_total{outcome=\"sent\"} 3"),
        "{metrics}"
    );
}

#[actix_web::test]
async fn open_widgets_follow_the_hours_and_the_offline_when_away_switch() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let (mut visitor, welcome) = server.visitor().await;
    assert!(
        welcome.get("offline").is_none(),
        "open by default: {welcome}"
    );
    // Closed all week: the open widget is told at once.
    set_hours(&api, closed_week()).await;
    let f = visitor
        .until(|f| f["type"] == "availability" && f.get("offline").is_some())
        .await;
    assert_eq!(f["offline"], json!({}), "{f}");
    // Open all day every day: not offline, even with nobody online...
    let always = json!({"week": vec![json!({"opens": 0, "closes": 1440}); 7], "holidays": []});
    let body = set_hours(&api, always).await;
    assert_eq!(body["hours"]["week"][3]["closes"], 1440, "{body}");
    visitor
        .until(|f| f["type"] == "availability" && f.get("offline").is_none())
        .await;
    // ...unless the site goes offline whenever nobody is online.
    let site = ahlan_server::seed::DEMO_SITE_ID;
    let (status, _) = api
        .patch(
            &format!("/api/sites/{site}"),
            json!({"offline_when_away": true}),
        )
        .await;
    assert_eq!(status, 200);
    visitor
        .until(|f| f["type"] == "availability" && f.get("offline").is_some())
        .await;
    server.add_agent("Sara", 3).await;
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    agent.expect("ready").await;
    let f = visitor
        .until(|f| f["type"] == "availability" && f["agents_online"] == true)
        .await;
    assert!(f.get("offline").is_none(), "{f}");
    // Cleared: always open again; no mailer, and agents are told.
    set_hours(&api, Value::Null).await;
    let (_, me) = Api::login(&server, "sara@example.com", "agent-password")
        .await
        .get("/api/me")
        .await;
    assert_eq!(me["mails_replies"], false, "{me}");
    // Bad hours are refused with the field named.
    let (status, body) = api
        .patch(
            &format!("/api/sites/{site}"),
            json!({"hours": {"week": [{"opens": 600, "closes": 540}, null, null, null, null, null, null]}}),
        )
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("hours.week[0]")),
        "{body}"
    );
}
