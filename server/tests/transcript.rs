//! Issue 12, item 8 (the mail half): the visitor has the conversation
//! mailed to them — every message with its author and time, as text and
//! as HTML in their language and direction — once an agent has written
//! (a conversation of the visitor's words alone would let anyone mail
//! anything to anyone), at most three times per connection, and only
//! from a server that sends mail.

use crate::common::*;
use ahlan_server::test_smtp::SmtpSink;
use serde_json::json;
use std::time::Duration;

fn ask(email: &str) -> serde_json::Value {
    json!({"type": "transcript", "email": email})
}

#[actix_web::test]
async fn the_conversation_is_mailed_once_an_agent_wrote_and_no_more_than_three_times() {
    let mut sink = SmtpSink::start().await;
    let config = config_mailing(&sink.url);
    let server = TestServer::start_with(config).await;
    server.add_agent("Sara", 3).await;
    let (mut agent, mut visitor, conversation) = server.chat_with("sara@example.com").await;

    // Only the visitor's words so far: refused.
    visitor.send(ask("leila@example.ir")).await;
    let e = visitor.expect("error").await;
    assert_eq!(e["code"], "bad_request", "{e}");
    assert!(e["message"].as_str().unwrap().contains("replied"), "{e}");

    agent
        .send(
            json!({"type": "send", "conversation": conversation, "client_id": "r1",
                     "body": "It ships <today> & arrives Friday."}),
        )
        .await;
    visitor
        .until(|f| f["type"] == "message" && f["message"]["seq"] == 2)
        .await;
    visitor.send(ask("leila@x")).await;
    assert_eq!(visitor.expect("error").await["code"], "invalid_email");
    visitor.send(ask(" leila@example.ir ")).await;
    let sent = visitor.expect("transcript_sent").await;
    assert_eq!(sent["email"], "leila@example.ir", "{sent}");

    let mail = sink.next(DEADLINE).await.expect("the transcript's mail");
    assert_eq!(mail.to, ["leila@example.ir"]);
    assert_eq!(
        mail.header("Subject").as_deref(),
        Some("Your conversation with Ahlan Demo")
    );
    let parts = mail.parts();
    let text = parts
        .iter()
        .find(|(t, _)| t.starts_with("text/plain"))
        .map(|(_, b)| b.clone())
        .expect("a text part");
    let html = parts
        .iter()
        .find(|(t, _)| t.starts_with("text/html"))
        .map(|(_, b)| b.clone())
        .expect("an html part");
    let (you, sara) = (text.find("You — ").unwrap(), text.find("Sara — ").unwrap());
    assert!(you < sara, "in order: {text}");
    assert!(text.contains("hello\n"), "{text}");
    assert!(
        text.contains("It ships <today> & arrives Friday."),
        "{text}"
    );
    assert!(html.contains("<html lang=\"en\" dir=\"ltr\">"), "{html}");
    assert!(
        html.contains("It ships &lt;today&gt; &amp; arrives Friday."),
        "{html}"
    );

    // Twice more, then the connection's cap; exactly three mails.
    for n in 0..2 {
        visitor.send(ask(&format!("copy{n}@example.ir"))).await;
        visitor.expect("transcript_sent").await;
    }
    visitor.send(ask("leila@example.ir")).await;
    assert_eq!(visitor.expect("error").await["code"], "rate_limited");
    for n in 0..2 {
        let copy = sink.next(DEADLINE).await.expect("a copy");
        assert_eq!(copy.to, [format!("copy{n}@example.ir")]);
    }
    assert!(
        sink.next(Duration::from_millis(300)).await.is_none(),
        "nothing more"
    );
}

#[actix_web::test]
async fn a_server_without_mail_says_so() {
    let server = TestServer::start().await;
    server.add_agent("Sara", 3).await;
    let (mut agent, mut visitor, conversation) = server.chat_with("sara@example.com").await;
    agent
        .send(
            json!({"type": "send", "conversation": conversation, "client_id": "r1",
                     "body": "Hi!"}),
        )
        .await;
    visitor
        .until(|f| f["type"] == "message" && f["message"]["seq"] == 2)
        .await;
    visitor.send(ask("leila@example.ir")).await;
    assert_eq!(visitor.expect("error").await["code"], "mail_off");
}
