//! Security finding 5: anonymous clients cost nothing until they write, and
//! one client cannot grow the server's state or flood agents without bound.

use crate::common::*;
use ahlan_server::secrets::token_hash;
use serde_json::json;

/// A visitor record is made at the first message, not at `hello`: a page
/// view that never chats stores nothing, and its token keeps working.
#[actix_web::test]
async fn a_widget_that_never_writes_stores_nothing() {
    let server = TestServer::start().await;
    let (mut ws, welcome) = server.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    assert!(server
        .store
        .visitor_by_token(&token_hash(&token))
        .await
        .unwrap()
        .is_none());
    drop(ws);

    // The page reloads: the same token, still nothing stored.
    ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(
        json!({"type": "hello", "site": server.site_key, "token": token, "origin": SITE_ORIGIN}),
    )
    .await;
    let again = ws.expect("welcome").await;
    assert_eq!(
        again["token"],
        token.as_str(),
        "not a new visitor: nothing was lost"
    );
    assert!(again["conversation"].is_null());

    ws.send(send_frame("m1", "now I write")).await;
    ws.expect("ack").await;
    let stored = server
        .store
        .visitor_by_token(&token_hash(&token))
        .await
        .unwrap()
        .expect("created by the first message");
    assert!(stored.conversation.is_some());

    // A token that is not one of ours is replaced, not adopted.
    let mut other = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    other
        .send(json!({"type": "hello", "site": server.site_key, "token": "vt_guess"}))
        .await;
    assert_ne!(other.expect("welcome").await["token"], "vt_guess");
}

#[actix_web::test]
async fn one_address_gets_a_bounded_number_of_sockets() {
    let server = TestServer::start_with(config_with(&["--max-sockets-per-client", "3"])).await;
    let url = format!("{}/ws/visitor", server.ws);
    let mut open = Vec::new();
    for _ in 0..3 {
        open.push(Ws::connect(&url, &[]).await);
    }
    let err = Ws::try_connect(&url, &[])
        .await
        .err()
        .expect("a fourth is refused");
    assert!(err.to_string().contains("429"), "{err}");
    // Closing one makes room.
    drop(open.pop());
    let deadline = std::time::Instant::now() + DEADLINE;
    while Ws::try_connect(&url, &[]).await.is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the slot was never freed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn new_visitors_per_address_are_limited() {
    let server = TestServer::start_with(config_with(&["--new-visitors-per-minute", "2"])).await;
    for i in 0..2 {
        let (mut ws, _) = server.visitor().await;
        ws.send(send_frame("m1", &format!("visitor {i}"))).await;
        ws.expect("ack").await;
    }
    let (mut ws, welcome) = server.visitor().await;
    ws.send(send_frame("m1", "a third new visitor this minute"))
        .await;
    let e = ws.expect("error").await;
    assert_eq!(
        (e["code"].as_str(), e["client_id"].as_str()),
        (Some("too_many_connections"), Some("m1"))
    );
    let token = welcome["token"].as_str().unwrap();
    assert!(server
        .store
        .visitor_by_token(&token_hash(token))
        .await
        .unwrap()
        .is_none());
}

#[actix_web::test]
async fn a_full_queue_says_so_and_stores_nothing() {
    let server = TestServer::start_with(config_with(&["--max-queue", "1"])).await;
    let (mut first, _) = server.visitor().await;
    first.send(send_frame("m1", "first in line")).await;
    first.expect("ack").await;
    let (mut second, _) = server.visitor().await;
    second.send(send_frame("m1", "second")).await;
    let e = second.expect("error").await;
    assert_eq!(e["code"], "queue_full");
    assert_eq!(e["client_id"], "m1");
    assert_eq!(server.store.queue().await.unwrap().len(), 1);
}

/// Typing is relayed to agents, so a flood of it is thinned out, not
/// passed on.
#[actix_web::test]
async fn a_typing_flood_reaches_agents_thinned_out() {
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    agent.expect("ready").await;
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("m1", "hi")).await;
    visitor.expect("ack").await;
    for i in 0..200 {
        visitor
            .send(json!({"type": "typing", "typing": i % 2 == 0}))
            .await;
    }
    // The visitor's own sentinel: everything sent before it was handled.
    visitor
        .send(json!({"type": "hello", "site": server.site_key}))
        .await;
    assert_eq!(visitor.expect("error").await["code"], "already_greeted");
    // The first typing frame reaches the agent through the hub, which the
    // agent's own sentinel does not wait for: wait for it, then count.
    agent.expect("typing").await;
    let typing = 1 + agent
        .frames_before_sentinel()
        .await
        .into_iter()
        .filter(|f| f["type"] == "typing")
        .count();
    assert!(typing <= 6, "{typing} typing frames reached the agent");
}

/// A client that keeps sending frames the protocol does not have is closed
/// (4002) after ten in a row; a good frame in between resets the count.
#[actix_web::test]
async fn a_stream_of_garbage_closes_the_socket() {
    let server = TestServer::start().await;
    let (mut ws, _) = server.visitor().await;
    for _ in 0..9 {
        ws.send_text("{garbage".into()).await;
        assert_eq!(ws.expect("error").await["code"], "malformed_frame");
    }
    ws.send(json!({"type": "typing", "typing": false})).await;
    for _ in 0..9 {
        ws.send_text(json!({"type": "dance"}).to_string()).await;
        assert_eq!(ws.expect("error").await["code"], "unknown_frame");
    }
    ws.send_text("{garbage".into()).await;
    assert_eq!(ws.closed_with().await, Some(4002));
}
