//! The visitor socket: handshake, delivery, resume, and bad input.

use crate::common::*;
use serde_json::json;
use shared::limits::{MAX_FRAME_BYTES, MAX_MESSAGE_CHARS, SEND_BURST};
use tokio_tungstenite::tungstenite::Message;

#[actix_web::test]
async fn send_is_acked_stored_once_and_idempotent() {
    let server = TestServer::start().await;
    let (mut ws, welcome) = server.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    assert!(
        token.starts_with("vt_") && token.len() >= 3 + 32,
        "token has ≥128 bits"
    );
    assert!(welcome["conversation"].is_null());

    ws.send(send_frame("m1", "hello")).await;
    let msg = ws.expect("message").await;
    assert_eq!(msg["message"]["seq"], 1);
    assert_eq!(msg["message"]["body"], "hello");
    assert_eq!(msg["message"]["author"]["kind"], "visitor");
    let ack = ws.expect("ack").await;
    assert_eq!(ack["client_id"], "m1");
    assert_eq!(ack["seq"], 1);
    // Nobody is online: the visitor learns their place.
    let q = ws.expect("queue").await;
    assert_eq!(q["position"], 1);

    // A retry (same client id) gets the original ack and no new message.
    ws.send(send_frame("m1", "hello")).await;
    let again = ws
        .until(|f| f["type"] == "ack" || f["type"] == "message")
        .await;
    assert_eq!(again["type"], "ack");
    assert_eq!(again["seq"], 1);
    ws.send(send_frame("m2", "second")).await;
    let next = ws.expect("message").await;
    assert_eq!(
        next["message"]["seq"], 2,
        "no seq was spent on the duplicate"
    );
    ws.expect("ack").await;
    // Nothing else: no late copy of either message.
    let rest = ws.visitor_frames_before_sentinel().await;
    assert!(
        rest.iter()
            .all(|f| f["type"] != "message" && f["type"] != "ack"),
        "{rest:?}"
    );
}

#[actix_web::test]
async fn resume_replays_exactly_what_was_missed() {
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut agent, _) = server.agent_socket(&cookie).await;

    let (mut ws, welcome) = server.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    ws.send(send_frame("v1", "hi")).await;
    ws.expect("ack").await;
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let conv_id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    drop(ws);

    for i in 1..=3 {
        agent.send(json!({"type": "send", "conversation": conv_id, "client_id": format!("r{i}"), "body": format!("reply {i}")})).await;
        agent.expect("ack").await;
    }

    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(json!({"type": "hello", "site": server.site_key, "token": token, "last_seq": 1, "origin": SITE_ORIGIN})).await;
    let welcome = ws.expect("welcome").await;
    assert_eq!(welcome["token"], token, "same visitor");
    assert_eq!(welcome["conversation"]["status"], "assigned");
    assert_eq!(welcome["conversation"]["agent"]["name"], "Admin");
    assert_eq!(welcome["conversation"]["last_seq"], 4);
    let mut seqs = Vec::new();
    for _ in 0..3 {
        let m = ws.expect("message").await;
        assert_eq!(m["message"]["author"]["kind"], "agent");
        seqs.push(m["message"]["seq"].as_u64().unwrap());
    }
    assert_eq!(seqs, vec![2, 3, 4]);
    let rest = ws.visitor_frames_before_sentinel().await;
    assert!(rest.iter().all(|f| f["type"] != "message"), "{rest:?}");

    // A reload (last_seq 0) replays the whole history, once.
    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(json!({"type": "hello", "site": server.site_key, "token": token, "last_seq": 0, "origin": SITE_ORIGIN})).await;
    ws.expect("welcome").await;
    let mut seqs = Vec::new();
    for _ in 0..4 {
        seqs.push(
            ws.expect("message").await["message"]["seq"]
                .as_u64()
                .unwrap(),
        );
    }
    assert_eq!(seqs, vec![1, 2, 3, 4]);
    let rest = ws.visitor_frames_before_sentinel().await;
    assert!(rest.iter().all(|f| f["type"] != "message"), "{rest:?}");
}

#[actix_web::test]
async fn unknown_site_and_foreign_origin_are_refused() {
    let server = TestServer::start().await;
    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(json!({"type": "hello", "site": "pk_nope"})).await;
    let e = ws.expect("error").await;
    assert_eq!(e["code"], "unknown_site");
    assert_eq!(ws.closed_with().await, Some(1008));

    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(json!({"type": "hello", "site": server.site_key, "origin": "https://evil.example"}))
        .await;
    assert_eq!(ws.expect("error").await["code"], "origin_not_allowed");
    assert_eq!(ws.closed_with().await, Some(1008));

    // A page on a foreign origin talking to the socket directly.
    let mut ws = Ws::connect(
        &format!("{}/ws/visitor", server.ws),
        &[("Origin", "https://evil.example")],
    )
    .await;
    ws.send(json!({"type": "hello", "site": server.site_key}))
        .await;
    assert_eq!(ws.expect("error").await["code"], "origin_not_allowed");
}

#[actix_web::test]
async fn a_token_from_another_site_does_not_reach_its_conversation() {
    let server = TestServer::start().await;
    server.add_site("pk_other", SITE_ORIGIN).await;
    let (mut ws, welcome) = server.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    ws.send(send_frame("m1", "secret")).await;
    ws.expect("ack").await;

    let mut other = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    other
        .send(json!({"type": "hello", "site": "pk_other", "token": token, "origin": SITE_ORIGIN}))
        .await;
    let w = other.expect("welcome").await;
    assert_ne!(w["token"], token, "a new visitor, with a new token");
    assert!(w["conversation"].is_null());

    // A made-up token also starts fresh.
    let mut guess = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    guess
        .send(json!({"type": "hello", "site": server.site_key, "token": "vt_guess", "last_seq": 0}))
        .await;
    assert!(guess.expect("welcome").await["conversation"].is_null());
}

#[actix_web::test]
async fn bad_frames_get_error_frames_and_the_connection_stays_usable() {
    let server = TestServer::start().await;
    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(send_frame("m0", "too early")).await;
    let e = ws.expect("error").await;
    assert_eq!(e["code"], "hello_required");
    assert_eq!(e["client_id"], "m0");
    // Before hello too, a frame that is not a valid frame at all says so
    // (PROTOCOL.md, Handshake), and typing needs a hello like a send.
    for (text, code) in [
        ("{not json".to_owned(), "malformed_frame"),
        (json!({"type": "teleport"}).to_string(), "unknown_frame"),
        (
            json!({"type": "typing", "typing": true}).to_string(),
            "hello_required",
        ),
    ] {
        ws.send_text(text.clone()).await;
        assert_eq!(ws.expect("error").await["code"], code, "for {text}");
    }
    ws.send_raw(Message::Binary(vec![1].into())).await;
    assert_eq!(ws.expect("error").await["code"], "binary_not_supported");

    ws.send(json!({"type": "hello", "site": server.site_key}))
        .await;
    ws.expect("welcome").await;

    let cases = [
        ("{not json".to_owned(), "malformed_frame"),
        (json!({"type": "send"}).to_string(), "malformed_frame"),
        (json!({"type": "teleport"}).to_string(), "unknown_frame"),
        (
            json!({"type": "hello", "site": server.site_key}).to_string(),
            "already_greeted",
        ),
        (send_frame("m1", "   ").to_string(), "empty_message"),
        (send_frame("bad id!", "hi").to_string(), "invalid_client_id"),
        (
            send_frame("m2", &"x".repeat(MAX_MESSAGE_CHARS + 1)).to_string(),
            "message_too_long",
        ),
    ];
    for (text, code) in cases {
        ws.send_text(text.clone()).await;
        let e = ws.expect("error").await;
        assert_eq!(e["code"], code, "for {text:.60}");
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    ws.send_raw(Message::Binary(vec![1, 2, 3].into())).await;
    assert_eq!(ws.expect("error").await["code"], "binary_not_supported");

    // Still usable: a good send goes through, as the first message.
    ws.send(send_frame("m3", "finally")).await;
    let m = ws.expect("message").await;
    assert_eq!(m["message"]["seq"], 1);
}

#[actix_web::test]
async fn an_oversized_frame_closes_only_that_connection() {
    let server = TestServer::start().await;
    let (mut bystander, _) = server.visitor().await;
    let (mut ws, _) = server.visitor().await;
    ws.send_text("x".repeat(MAX_FRAME_BYTES + 1)).await;
    let e = ws.expect("error").await;
    assert_eq!(e["code"], "frame_too_large");
    assert_eq!(ws.closed_with().await, Some(1009));

    bystander.send(send_frame("b1", "still here")).await;
    assert_eq!(bystander.expect("ack").await["seq"], 1);
}

#[actix_web::test]
async fn a_flood_is_rate_limited_and_nothing_acked_is_lost() {
    let server = TestServer::start().await;
    let (mut ws, _) = server.visitor().await;
    let total = SEND_BURST as usize + 10;
    for i in 0..total {
        ws.send(send_frame(&format!("f{i}"), "spam")).await;
    }
    let (mut acked, mut limited) = (Vec::new(), Vec::new());
    while acked.len() + limited.len() < total {
        let f = ws
            .until(|f| f["type"] == "ack" || f["type"] == "error")
            .await;
        if f["type"] == "ack" {
            acked.push(f["seq"].as_u64().unwrap());
        } else {
            assert_eq!(f["code"], "rate_limited");
            limited.push(f["client_id"].as_str().unwrap().to_owned());
        }
    }
    assert!(acked.len() >= SEND_BURST as usize);
    assert!(!limited.is_empty());
    // Every ack is a distinct, gap-free seq: nothing acked is missing.
    assert_eq!(acked, (1..=acked.len() as u64).collect::<Vec<_>>());
}

#[actix_web::test]
async fn an_operator_can_raise_the_send_rate() {
    let config = config_with(&["--send-rate", "200", "--send-burst", "100"]);
    let server = TestServer::start_with(config).await;
    let (mut ws, _) = server.visitor().await;
    let total = SEND_BURST as usize * 3;
    for i in 0..total {
        ws.send(send_frame(&format!("q{i}"), "quick")).await;
    }
    for i in 0..total {
        let f = ws
            .until(|f| f["type"] == "ack" || f["type"] == "error")
            .await;
        assert_eq!(f["type"], "ack", "send {i}: {f}");
        assert_eq!(f["seq"], i as u64 + 1);
    }
}

/// A visitor socket that falls behind its events (a flood of typing
/// notices overflows its inbox, so events are dropped — among them the
/// reply itself) re-reads the store: every reply still arrives, once and
/// in order.
#[actix_web::test]
async fn a_visitor_that_falls_behind_still_gets_every_message_once() {
    use ahlan_server::store::{Event, NewMessage, Party};
    const FLOOD: usize = 3000;
    const REPLIES: u64 = 5;
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hi")).await;
    visitor.expect("assigned").await;
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id: shared::ConversationId = conv["conversation"]["id"].as_str().unwrap().into();
    let admin = server
        .store
        .list_agents()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == ADMIN_EMAIL)
        .unwrap();

    for round in 0..REPLIES {
        // What routing does for a reply — store, then publish — with a
        // flood in between, so the reply's event finds the inbox full.
        let reply = NewMessage {
            client_id: shared::ClientId(format!("r{round}")),
            body: format!("reply {round}"),
            now: 1,
        };
        let out = server
            .store
            .append_agent_message(&id, &admin, reply)
            .await
            .unwrap();
        for _ in 0..FLOOD {
            let typing = Event::Typing {
                conversation: id.clone(),
                from: Party::Agent,
                typing: true,
                agent: None,
                preview: None,
            };
            server.store.publish(typing).await.unwrap();
        }
        let event = Event::message(out.message, out.conversation);
        server.store.publish(event).await.unwrap();
    }

    // Everything arrives (within the deadline)…
    let mut frames = visitor
        .collect_until(|f| f["type"] == "message" && f["message"]["seq"] == REPLIES + 1)
        .await;
    // …and a sentinel with a known answer proves nothing comes twice.
    visitor.send(json!({"type": "teleport"})).await;
    frames.extend(
        visitor
            .collect_until(|f| f["type"] == "error" && f["code"] == "unknown_frame")
            .await,
    );
    let seqs: Vec<u64> = frames
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| f["message"]["seq"].as_u64().unwrap())
        .collect();
    // (seq 1, the visitor's own, came before the flood.)
    assert_eq!(seqs, (2..=REPLIES + 1).collect::<Vec<_>>());
    let typing = frames.iter().filter(|f| f["type"] == "typing").count();
    assert!(
        typing < FLOOD * REPLIES as usize,
        "all {typing} typing notices arrived: the inbox never overflowed, so this proved nothing"
    );
}

/// The pages a visitor views reach the agents who may see their chat (an
/// `activity` frame, then the context over REST), including those viewed
/// before the first message; a page that is not a web page is refused with
/// `bad_request`; an agent of another site hears nothing and may not read
/// the context.
#[actix_web::test]
async fn pages_viewed_reach_the_context_panel_of_those_who_may_see_the_chat() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    let cookie = server.login("amal@example.com", "agent-password").await;
    let (mut amal, _) = server.agent_socket(&cookie).await;
    amal.expect("ready").await;
    server.add_site("pk_other", "https://other.example").await;
    server.add_agent_of("zed", "pk_other").await;
    let zed_cookie = server.login("zed@example.com", "agent-password").await;
    let (mut zed, _) = server.agent_socket(&zed_cookie).await;
    zed.expect("ready").await;

    let mut visitor = Ws::connect(&format!("{}/ws/visitor", server.ws), &[("User-Agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")])
    .await;
    visitor
        .send(json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN, "locale": "fa-IR"}))
        .await;
    visitor.expect("welcome").await;
    let page = |url: &str, title: &str| {
        json!({"type": "page", "url": url, "title": title,
               "referrer": "https://www.google.com/", "time_zone": "Asia/Tehran"})
    };
    visitor
        .send(page("https://shop.example/shoes", "Shoes"))
        .await;
    visitor
        .send(json!({"type": "page", "url": "javascript:alert(1)"}))
        .await;
    let refused = visitor.expect("error").await;
    assert_eq!(refused["code"], "bad_request");
    visitor.send(send_frame("v1", "salam")).await;
    visitor.expect("ack").await;
    let conv = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();

    visitor
        .send(page("https://shop.example/checkout", "Checkout"))
        .await;
    let moved = amal.expect("activity").await;
    assert_eq!(moved["conversation"], json!(id));
    let api = Api::login(&server, "amal@example.com", "agent-password").await;
    let (status, ctx) = api.get(&format!("/api/conversations/{id}/context")).await;
    assert_eq!(status, 200, "{ctx}");
    let urls: Vec<&str> = ctx["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "https://shop.example/checkout",
            "https://shop.example/shoes"
        ]
    );
    assert_eq!(ctx["pages"][0]["title"], "Checkout");
    assert_eq!(ctx["visits"], 1);
    assert_eq!(ctx["time_zone"], "Asia/Tehran");
    assert_eq!(ctx["referrer"], "https://www.google.com/");
    assert_eq!(ctx["browser"], "Chrome 131.0.0.0");
    assert_eq!(ctx["os"], "Linux");
    assert_eq!(ctx["visitor"]["locale"], "fa-IR");

    // Zed (another site) heard nothing of it and may not read it.
    let heard = zed.frames_before_sentinel().await;
    assert!(!heard.iter().any(|f| f["type"] == "activity"), "{heard:?}");
    let zed_api = Api::login(&server, "zed@example.com", "agent-password").await;
    let (status, _) = zed_api
        .get(&format!("/api/conversations/{id}/context"))
        .await;
    assert_eq!(status, 403);
}

/// Issue 12, the satisfaction survey: nothing to rate before the chat is
/// resolved; then the visitor's answer is stored, confirmed with `rated`
/// and reaches the agent's dashboard with the conversation; a bad score is
/// refused with a clear code; a reload shows the answer.
#[actix_web::test]
async fn the_visitor_rates_a_resolved_chat_and_the_agent_sees_it() {
    let server = TestServer::start().await;
    server.add_agent("Amal", 3).await;
    let (mut amal, mut visitor, id) = server.chat_with("amal@example.com").await;
    visitor.send(json!({"type": "rate", "score": 5})).await;
    assert_eq!(visitor.expect("error").await["code"], "not_resolved");

    amal.send(json!({"type": "resolve", "conversation": id}))
        .await;
    assert_eq!(visitor.expect("status").await["status"], "resolved");
    for bad in [json!(0), json!(6)] {
        visitor.send(json!({"type": "rate", "score": bad})).await;
        assert_eq!(visitor.expect("error").await["code"], "bad_request");
    }
    // The site does not ask the Net Promoter question: an answer to it
    // is not kept.
    visitor
        .send(json!({"type": "rate", "score": 4, "comment": "  Quick and kind  ", "nps": 9}))
        .await;
    let rated = visitor.expect("rated").await;
    assert_eq!(rated["rating"]["score"], 4);
    assert_eq!(rated["rating"]["comment"], "Quick and kind");
    assert_eq!(rated["rating"]["agent"]["id"], "a_Amal");
    assert!(rated["rating"]["nps"].is_null(), "{rated}");
    let seen = amal
        .until(|f| f["type"] == "conversation" && !f["conversation"]["rating"].is_null())
        .await;
    assert_eq!(seen["conversation"]["id"], json!(id));
    assert_eq!(seen["conversation"]["rating"]["score"], 4);

    // Once the site asks it, the answer is kept (read at each answer);
    // out of range is refused.
    let patch = ahlan_server::store::SitePatch {
        survey_nps: Some(true),
        ..Default::default()
    };
    server
        .store
        .update_site(
            &shared::SiteId(ahlan_server::seed::DEMO_SITE_ID.into()),
            patch,
        )
        .await
        .unwrap();
    visitor
        .send(json!({"type": "rate", "score": 4, "nps": 11}))
        .await;
    assert_eq!(visitor.expect("error").await["code"], "bad_request");
    visitor
        .send(json!({"type": "rate", "score": 4, "comment": "Quick and kind", "nps": 9}))
        .await;
    assert_eq!(visitor.expect("rated").await["rating"]["nps"], 9);
    // Counted for the operator (two answers of 4).
    let metrics = scrape(&server.url).await;
    assert!(
        metrics.contains("ahlan_ratings_total{score=\"4\"} 2"),
        "{metrics}"
    );

    // Kept with the conversation (a reload's `welcome` carries it).
    let stored = server
        .store
        .conversation(&shared::ConversationId(id.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.rating.map(|r| r.score), Some(4));
}

/// Issue 12, item 1 (in part): the widget hears whether anyone of its site
/// is online — in `welcome`, then as it changes — so it can say the team
/// is away instead of promising a quick reply.
#[actix_web::test]
async fn visitors_hear_whether_anyone_of_their_site_is_online() {
    let server = TestServer::start().await;
    server.add_agent("Amal", 3).await;
    let (mut visitor, welcome) = server.visitor().await;
    assert_ne!(welcome["agents_online"], true, "{welcome}");
    let cookie = server.login("amal@example.com", "agent-password").await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    agent.expect("ready").await;
    visitor
        .until(|f| f["type"] == "availability" && f["agents_online"] == true)
        .await;
    agent
        .send(json!({"type": "presence", "status": "away"}))
        .await;
    visitor
        .until(|f| f["type"] == "availability" && f["agents_online"] == false)
        .await;
    // A visitor greeted now is told at once.
    let (_, welcome) = server.visitor().await;
    assert_eq!(welcome["agents_online"], false, "{welcome}");
    // Agents never get these frames.
    let frames = agent.frames_before_sentinel().await;
    assert!(
        frames.iter().all(|f| f["type"] != "availability"),
        "{frames:?}"
    );
}
