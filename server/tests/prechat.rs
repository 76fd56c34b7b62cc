//! Issue 12, item 4: the pre-chat form. The owner sets the questions in
//! the console; the visitor's answers are checked against them (required,
//! email, phone in international format, one of a choice's options) and
//! reach the agent with the conversation.

use crate::common::*;
use serde_json::json;

#[actix_web::test]
async fn prechat_answers_are_checked_and_reach_the_agent_with_the_conversation() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let site = format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID);
    // A form the console refuses, naming the field.
    let twice = json!({"prechat": {"fields": [
        {"key": "name", "kind": "name"}, {"key": "", "kind": "name"}]}});
    let (status, body) = admin.patch(&site, twice).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("prechat.fields[1]")),
        "{body}"
    );
    let bad_key = json!({"prechat": {"fields": [{"key": "Order No", "kind": "text"}]}});
    let (status, body) = admin.patch(&site, bad_key).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("prechat.fields[0]")),
        "{body}"
    );
    let no_options = json!({"prechat": {"fields": [{"key": "topic", "kind": "select"}]}});
    assert_eq!(admin.patch(&site, no_options).await.0, 400);
    let form = json!({"prechat": {"fields": [
        {"key": "name", "kind": "name", "required": true, "labels": {"fa": "نام و نام خانوادگی"}},
        {"key": "email", "kind": "email"},
        {"key": "phone", "kind": "phone"},
        {"key": "topic", "kind": "select", "required": true, "options": ["Sales", " Support "],
         "labels": {"en": "Topic", "fa": "موضوع"}},
    ]}});
    let (status, body) = admin.patch(&site, form).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["prechat"]["fields"][3]["options"][1], "Support",
        "trimmed"
    );

    server.add_agent("Sara", 3).await;
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    agent.expect("ready").await;
    let (mut visitor, _) = server.visitor().await;
    let prechat = |answers: serde_json::Value| json!({"type": "prechat", "answers": answers});
    for (answers, code, says) in [
        (json!({"topic": "Sales"}), "bad_request", "name is required"),
        (
            json!({"name": "Leila", "topic": "Billing"}),
            "bad_request",
            "topic must be one of",
        ),
        (
            json!({"name": "Leila", "topic": "Sales", "phone": "0912 345 6789"}),
            "bad_request",
            "international",
        ),
        (
            json!({"name": "Leila", "topic": "Sales", "email": "leila@x"}),
            "invalid_email",
            "email",
        ),
        (
            json!({"name": "Leila", "topic": "Sales", "admin": "yes"}),
            "bad_request",
            "no field",
        ),
    ] {
        visitor.send(prechat(answers.clone())).await;
        let e = visitor.expect("error").await;
        assert_eq!(e["code"], code, "{answers}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains(says),
            "{answers}: {e}"
        );
    }
    visitor
        .send(prechat(json!({
            "name": " Leila ", "email": "leila@example.ir",
            "phone": "+98 (912) 345-6789", "topic": "Support"
        })))
        .await;
    visitor.expect("prechat_saved").await;
    visitor.send(send_frame("m1", "Where is my order?")).await;
    visitor.expect("ack").await;
    // The agent's first sight of the conversation carries the answers.
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let v = &conv["conversation"]["visitor"];
    assert_eq!(v["name"], "Leila", "{v}");
    assert_eq!(v["email"], "leila@example.ir");
    assert_eq!(
        v["attributes"],
        json!({"phone": "+989123456789", "topic": "Support"})
    );
    assert!(
        conv["conversation"].get("left_message").is_none(),
        "not offline"
    );
    // The context panel gets the owner's labels for the answers.
    let id = conv["conversation"]["id"].as_str().unwrap();
    let sara = Api::login(&server, "sara@example.com", "agent-password").await;
    let (status, context) = sara.get(&format!("/api/conversations/{id}/context")).await;
    assert_eq!(status, 200, "{context}");
    assert_eq!(
        context["answer_labels"],
        json!({"topic": {"en": "Topic", "fa": "موضوع"}}),
        "only the keys answered, phone has no label: {context}"
    );

    // A site without a form takes no answers.
    admin.patch(&site, json!({"prechat": null})).await;
    let (mut other, _) = server.visitor().await;
    other.send(prechat(json!({"name": "Omar"}))).await;
    assert_eq!(other.expect("error").await["code"], "bad_request");
}
