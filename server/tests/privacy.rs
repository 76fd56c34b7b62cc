//! Privacy with a real server: an admin exports everything about a visitor
//! and erases them (dashboards drop the chat, the visitor's socket
//! closes, nothing is left to read), others may not; a site's retention
//! erases resolved conversations quiet for longer than it keeps them.

use crate::common::*;
use serde_json::json;

#[actix_web::test]
async fn an_admin_exports_then_erases_a_visitor_and_others_may_not() {
    let server = TestServer::start().await;
    server.add_agent("Amal", 3).await;
    let (mut amal, mut visitor, id) = server.chat_with("amal@example.com").await;
    amal.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "Your order 7731 ships today"}))
        .await;
    amal.expect("ack").await;
    amal.send(
        json!({"type": "note", "conversation": id, "client_id": "n1", "body": "asked twice"}),
    )
    .await;
    amal.expect("note").await;
    let visitor_id = server
        .store
        .conversation(&shared::ConversationId(id.clone()))
        .await
        .unwrap()
        .unwrap()
        .visitor
        .id
        .0;
    let export = format!("/api/visitors/{visitor_id}/export");
    let erase = format!("/api/visitors/{visitor_id}");

    // Agents may do neither.
    let agent_api = Api::login(&server, "amal@example.com", "agent-password").await;
    assert_eq!(agent_api.get(&export).await.0, 403);
    assert_eq!(agent_api.delete(&erase).await.0, 403);

    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (status, data) = admin.get(&export).await;
    assert_eq!(status, 200, "{data}");
    assert_eq!(data["visitor"]["id"], visitor_id.as_str());
    assert_eq!(data["conversation"]["id"], id.as_str());
    let bodies: Vec<_> = data["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["body"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bodies, ["hello", "Your order 7731 ships today"]);
    assert_eq!(data["notes"][0]["body"], "asked twice");
    assert_eq!(admin.get("/api/visitors/v_nobody/export").await.0, 404);

    let (status, body) = admin.delete(&erase).await;
    assert_eq!(status, 204, "{body}");
    // Amal's dashboard drops it; the visitor's socket closes.
    let gone = amal.until(|f| f["type"] == "gone").await;
    assert_eq!(gone["conversation"], json!(id));
    assert_eq!(visitor.closed_with().await, Some(1000));
    let metrics = scrape(&server.url).await;
    assert!(
        metrics.contains("ahlan_visitors_erased_total{reason=\"request\"} 1"),
        "{metrics}"
    );
    // Nothing left to read, and no second erasure.
    assert_eq!(admin.get(&export).await.0, 404);
    assert_eq!(admin.delete(&erase).await.0, 404);
    let (status, _) = agent_api
        .get(&format!("/api/conversations/{id}/messages"))
        .await;
    assert_eq!(status, 404);
    // Amal's place is free again.
    assert_eq!(
        server
            .store
            .load(&shared::AgentId("a_Amal".into()))
            .await
            .unwrap(),
        0
    );
}

#[actix_web::test]
async fn retention_erases_resolved_chats_older_than_the_site_keeps_them() {
    let server = TestServer::start().await;
    server.add_agent("Amal", 3).await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let site = format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID);
    let (status, body) = admin.patch(&site, json!({"retention_days": 4000})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("retention_days"))
    );
    let (status, body) = admin.patch(&site, json!({"retention_days": 30})).await;
    assert_eq!((status, &body["retention_days"]), (200, &json!(30)));

    let (mut amal, _visitor, done) = server.chat_with("amal@example.com").await;
    amal.send(json!({"type": "resolve", "conversation": done}))
        .await;
    amal.until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "resolved")
        .await;
    let (_other_agent_socket, _open_visitor, open) = server.chat_with("amal@example.com").await;
    let conv = |id: &str| {
        let store = server.store.clone();
        let id = shared::ConversationId(id.to_owned());
        async move { store.conversation(&id).await.unwrap() }
    };

    let now = ahlan_server::clock::now_millis();
    let day = 24 * 60 * 60 * 1000;
    // 29 days on: kept.
    let erased = ahlan_server::privacy::sweep(&*server.store, now + 29 * day).await;
    assert_eq!(erased, Ok(0));
    assert!(conv(&done).await.is_some());
    // 31 days on: the resolved chat goes, the open one stays.
    let erased = ahlan_server::privacy::sweep(&*server.store, now + 31 * day).await;
    assert_eq!(erased, Ok(1));
    assert!(conv(&done).await.is_none());
    assert!(conv(&open).await.is_some(), "not resolved: kept");
    let gone = amal.until(|f| f["type"] == "gone").await;
    assert_eq!(gone["conversation"], json!(done));

    // Back to "keep": nothing more is erased.
    let (status, body) = admin.patch(&site, json!({"retention_days": 0})).await;
    assert_eq!((status, &body["retention_days"]), (200, &json!(null)));
    let erased = ahlan_server::privacy::sweep(&*server.store, now + 400 * day).await;
    assert_eq!(erased, Ok(0));
}
