//! The agent socket and routing, end to end over real sockets.

use crate::common::*;

use serde_json::{json, Value};
use shared::Presence;

#[actix_web::test]
async fn visitor_and_agent_chat_both_ways_with_typing() {
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut agent, welcome) = server.agent_socket(&cookie).await;
    assert_eq!(welcome["agent"]["email"], ADMIN_EMAIL);

    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hello")).await;
    visitor.expect("ack").await;
    let joined = visitor.expect("assigned").await;
    assert_eq!(joined["agent"]["name"], "Admin");

    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    assert_eq!(conv["conversation"]["last_message"]["body"], "hello");
    assert_eq!(conv["conversation"]["visitor"]["origin"], SITE_ORIGIN);

    agent
        .send(json!({"type": "sync", "conversation": id, "after_seq": 0}))
        .await;
    let m = agent.expect("message").await;
    assert_eq!(
        (m["message"]["seq"].as_u64(), m["message"]["body"].as_str()),
        (Some(1), Some("hello"))
    );

    visitor
        .send(json!({"type": "typing", "typing": true}))
        .await;
    let t = agent.expect("typing").await;
    assert_eq!(
        (t["conversation"].as_str(), t["typing"].as_bool()),
        (Some(id.as_str()), Some(true))
    );
    agent
        .send(json!({"type": "typing", "conversation": id, "typing": true}))
        .await;
    assert_eq!(visitor.expect("typing").await["typing"], true);

    agent.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "Hi! How can I help?"})).await;
    let m = agent.expect("message").await;
    assert_eq!(m["message"]["seq"], 2);
    assert_eq!(agent.expect("ack").await["seq"], 2);
    let m = visitor.expect("message").await;
    assert_eq!(m["message"]["body"], "Hi! How can I help?");
    assert_eq!(m["message"]["author"]["name"], "Admin");

    // A visitor message on a synced conversation arrives as a message frame.
    visitor.send(send_frame("v2", "thanks")).await;
    let m = agent.expect("message").await;
    assert_eq!(
        (m["message"]["seq"].as_u64(), m["message"]["body"].as_str()),
        (Some(3), Some("thanks"))
    );

    agent
        .send(json!({"type": "resolve", "conversation": id}))
        .await;
    assert_eq!(visitor.expect("status").await["status"], "resolved");
}

#[actix_web::test]
async fn queue_positions_update_and_the_queue_drains_by_itself() {
    let server = TestServer::start().await;
    let sara = server.add_agent("sara", 1).await;

    let (mut v1, _) = server.visitor().await;
    v1.send(send_frame("a", "first")).await;
    assert_eq!(v1.expect("queue").await["position"], 1);
    let (mut v2, _) = server.visitor().await;
    v2.send(send_frame("b", "second")).await;
    assert_eq!(v2.expect("queue").await["position"], 2);

    // Sara comes online with room for one: the front of the queue is hers,
    // and the second visitor moves up.
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut agent, welcome) = server.agent_socket(&cookie).await;
    assert_eq!(welcome["agent"]["capacity"], 1);
    assert_eq!(v1.expect("assigned").await["agent"]["name"], "sara");
    assert_eq!(v2.expect("queue").await["position"], 1);
    assert_eq!(server.presence(&sara.id).await, Presence::Online);

    // The snapshot holds both, the waiting one and hers, then `ready`.
    let (mut id, mut other) = (None, None);
    loop {
        let f = agent
            .until(|f| f["type"] == "conversation" || f["type"] == "ready")
            .await;
        if f["type"] == "ready" {
            break;
        }
        let cid = f["conversation"]["id"].as_str().unwrap().to_owned();
        match f["conversation"]["status"].as_str() {
            Some("assigned") => id = Some(cid),
            Some("queued") => other = Some(cid),
            _ => {}
        }
    }
    let (id, other) = (id.unwrap(), other.unwrap());

    // At capacity, she cannot take the other one by hand…
    agent
        .send(json!({"type": "pick", "conversation": other}))
        .await;
    let e = agent.expect("error").await;
    assert_eq!(
        (e["code"].as_str(), e["conversation"].as_str()),
        (Some("at_capacity"), Some(other.as_str()))
    );

    // …but resolving frees her slot and the queue drains by itself.
    agent
        .send(json!({"type": "resolve", "conversation": id}))
        .await;
    assert_eq!(v2.expect("assigned").await["agent"]["name"], "sara");

    // Closing her last tab takes her offline.
    drop(agent);
    let deadline = std::time::Instant::now() + DEADLINE;
    while server.presence(&sara.id).await != Presence::Offline {
        assert!(
            std::time::Instant::now() < deadline,
            "agent still online after closing the socket"
        );
        tokio::task::yield_now().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[actix_web::test]
async fn pick_races_have_one_winner_and_away_agents_get_nothing() {
    let server = TestServer::start().await;
    server.add_agent("omar", 3).await;
    server.add_agent("leila", 3).await;
    let c1 = server.login("omar@example.com", "agent-password").await;
    let c2 = server.login("leila@example.com", "agent-password").await;
    let (mut omar, _) = server.agent_socket(&c1).await;
    let (mut leila, _) = server.agent_socket(&c2).await;
    omar.send(json!({"type": "presence", "status": "away"}))
        .await;
    omar.until(|f| f["type"] == "presence" && f["status"] == "away")
        .await;
    leila
        .send(json!({"type": "presence", "status": "away"}))
        .await;
    leila
        .until(|f| f["type"] == "presence" && f["status"] == "away")
        .await;

    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v", "help")).await;
    assert_eq!(
        visitor.expect("queue").await["position"],
        1,
        "away agents take nothing"
    );

    let queued = omar
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "queued")
        .await;
    let id = queued["conversation"]["id"].as_str().unwrap().to_owned();
    // Omar sees the waiting message as a preview before opening it.
    assert_eq!(queued["conversation"]["last_message"]["body"], "help");
    omar.send(json!({"type": "pick", "conversation": id})).await;
    leila
        .send(json!({"type": "pick", "conversation": id}))
        .await;
    // Either may win; exactly one does, and the other is told why.
    let winner = visitor.expect("assigned").await["agent"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut loser = if winner == "omar" { leila } else { omar };
    let lost = loser.expect("error").await;
    assert_eq!(lost["code"], "not_queued");

    // The loser may not write in the winner's conversation, nor read it.
    let leila = &mut loser;
    leila
        .send(json!({"type": "send", "conversation": id, "client_id": "x1", "body": "hi"}))
        .await;
    assert_eq!(leila.expect("error").await["code"], "forbidden");
    leila
        .send(json!({"type": "sync", "conversation": id, "after_seq": 0}))
        .await;
    assert_eq!(leila.expect("error").await["code"], "forbidden");
    leila
        .send(json!({"type": "presence", "status": "offline"}))
        .await;
    assert_eq!(leila.expect("error").await["code"], "malformed_frame");
}

/// Security finding 1: repeating a client id the visitor used in a
/// colleague's conversation once answered with the visitor's ack and then
/// replayed and followed the whole conversation.
#[actix_web::test]
async fn another_agent_cannot_read_a_chat_by_repeating_a_client_id() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    server.add_agent("badr", 3).await;
    let amal_cookie = server.login("amal@example.com", "agent-password").await;
    let (mut amal, _) = server.agent_socket(&amal_cookie).await;
    amal.expect("ready").await;

    let (mut visitor, _) = server.visitor().await;
    visitor
        .send(send_frame("v-secret-1", "my card ends 4242"))
        .await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "amal");
    let conv = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();

    let badr_cookie = server.login("badr@example.com", "agent-password").await;
    let (mut badr, _) = server.agent_socket(&badr_cookie).await;
    badr.expect("ready").await;
    badr.send(json!({"type": "send", "conversation": id, "client_id": "v-secret-1", "body": "x"}))
        .await;
    let e = badr
        .until(|f| f["type"] == "error" || f["type"] == "ack")
        .await;
    assert_eq!(
        (e["type"].as_str(), e["code"].as_str()),
        (Some("error"), Some("forbidden")),
        "{e}"
    );

    // Nothing of the conversation reaches Badr, then or later.
    visitor
        .send(send_frame("v-secret-2", "and expires 12/29"))
        .await;
    visitor.expect("ack").await;
    let frames = badr.frames_before_sentinel().await;
    assert!(
        !frames
            .iter()
            .any(|f| f["type"] == "message" || f["type"] == "ack"),
        "{frames:?}"
    );

    // Amal, who has it, may reuse any id for her own reply: it is stored.
    amal.send(
        json!({"type": "send", "conversation": id, "client_id": "v-secret-1", "body": "Thanks!"}),
    )
    .await;
    let ack = amal.expect("ack").await;
    assert_eq!(ack["seq"], 3, "a new message, not the visitor's ack");
    let m = visitor
        .until(|f| f["type"] == "message" && f["message"]["seq"] == 3)
        .await;
    assert_eq!(m["message"]["body"], "Thanks!");
}

#[actix_web::test]
async fn the_agent_socket_needs_a_session_and_our_origin() {
    let server = TestServer::start().await;
    let url = format!("{}/ws/agent", server.ws);
    let err = Ws::try_connect(&url, &[])
        .await
        .err()
        .expect("refused without a session");
    assert!(err.to_string().contains("401"), "{err}");

    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let err = Ws::try_connect(
        &url,
        &[("Cookie", &cookie), ("Origin", "https://evil.example")],
    )
    .await
    .err()
    .expect("refused from a foreign origin");
    assert!(err.to_string().contains("403"), "{err}");

    let err = Ws::try_connect(&url, &[("Cookie", "ahlan_session=st_forged")])
        .await
        .err()
        .expect("refused with a forged session");
    assert!(err.to_string().contains("401"), "{err}");
}

#[actix_web::test]
async fn a_reopened_conversation_is_queued_then_assigned_once() {
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut agent, _) = server.agent_socket(&cookie).await;
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hi")).await;
    visitor.expect("assigned").await;
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    agent
        .send(json!({"type": "resolve", "conversation": id}))
        .await;
    assert_eq!(visitor.expect("status").await["status"], "resolved");

    // The visitor writes again: the conversation is reopened (back in the
    // queue, as PROTOCOL.md says) and routed to the same free agent. The
    // visitor hears "queued", then "assigned", each exactly once.
    visitor.send(send_frame("v2", "one more thing")).await;
    agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    agent
        .send(json!({"type": "typing", "conversation": id, "typing": true}))
        .await;
    let mut announcements = Vec::new();
    loop {
        let f = visitor.until(|_| true).await;
        match f["type"].as_str() {
            Some("typing") => break,
            Some("assigned") => announcements.push("assigned".to_owned()),
            Some("status") => announcements.push(format!("status {}", f["status"])),
            _ => {}
        }
    }
    assert_eq!(announcements, vec![r#"status "queued""#, "assigned"]);
}

#[actix_web::test]
async fn a_gone_agents_visitors_go_back_to_the_front_of_the_queue() {
    let config = config_with(&["--agent-grace-secs", "0"]);
    let server = TestServer::start_with(config).await;
    server.add_agent("sara", 1).await;
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (sara, _) = server.agent_socket(&cookie).await;

    let (mut v1, _) = server.visitor().await;
    v1.send(send_frame("a", "first")).await;
    assert_eq!(v1.expect("assigned").await["agent"]["name"], "sara");
    let (mut v2, _) = server.visitor().await;
    v2.send(send_frame("b", "second")).await;
    assert_eq!(v2.expect("queue").await["position"], 1);

    // Sara closes her dashboard: v1 is not left waiting for her, and goes
    // before v2, who came later.
    drop(sara);
    assert_eq!(v1.expect("status").await["status"], "queued");
    assert_eq!(v1.expect("queue").await["position"], 1);
    assert_eq!(v2.expect("queue").await["position"], 2);

    // The next agent to come online, with room for one, gets v1 (the front)
    // with its history; v2 moves up.
    server.add_agent("omar", 1).await;
    let cookie = server.login("omar@example.com", "agent-password").await;
    let (mut omar, _) = server.agent_socket(&cookie).await;
    assert_eq!(v1.expect("assigned").await["agent"]["name"], "omar");
    assert_eq!(v2.expect("queue").await["position"], 1);
    let conv = omar
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    assert_eq!(conv["conversation"]["last_message"]["body"], "first");
}

/// The agent socket has the same limits as the visitor's: a flood of
/// replies is rate limited (with the client id, nothing stored twice or
/// lost), and an oversized frame closes only that tab.
#[actix_web::test]
async fn the_agent_socket_limits_floods_and_oversized_frames() {
    use shared::limits::{MAX_FRAME_BYTES, SEND_BURST};
    let server = TestServer::start().await;
    let cookie = server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut tab, _) = server.agent_socket(&cookie).await;
    let (mut other_tab, _) = server.agent_socket(&cookie).await;
    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hi")).await;
    let conv = tab
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();

    let total = SEND_BURST as usize + 10;
    for i in 0..total {
        tab.send(json!({"type": "send", "conversation": id, "client_id": format!("r{i}"), "body": "spam"}))
            .await;
    }
    let (mut acked, mut limited) = (Vec::new(), 0);
    while acked.len() + limited < total {
        let f = tab
            .until(|f| f["type"] == "ack" || f["type"] == "error")
            .await;
        if f["type"] == "ack" {
            acked.push(f["seq"].as_u64().unwrap());
        } else {
            assert_eq!(f["code"], "rate_limited");
            assert!(f["client_id"].as_str().unwrap().starts_with('r'));
            limited += 1;
        }
    }
    assert!(limited > 0, "the flood was not limited");
    // Seq 1 is the visitor's; the replies that got through follow it.
    assert_eq!(acked, (2..2 + acked.len() as u64).collect::<Vec<_>>());

    tab.send_text("x".repeat(MAX_FRAME_BYTES + 1)).await;
    assert_eq!(tab.expect("error").await["code"], "frame_too_large");
    assert_eq!(tab.closed_with().await, Some(1009));
    // The other tab carries on.
    other_tab
        .send(
            json!({"type": "send", "conversation": id, "client_id": "after", "body": "still here"}),
        )
        .await;
    let ack = other_tab.expect("ack").await;
    assert_eq!(ack["seq"].as_u64(), Some(2 + acked.len() as u64));
}

/// Issue 10: internal notes reach the agents who may see the conversation
/// (its agent, a supervisor of its site) exactly once, live and on sync;
/// a colleague who may not see it is refused; and nothing of a note ever
/// reaches the visitor — not live, not on resume, not over REST history.
#[actix_web::test]
async fn notes_reach_the_agents_who_may_see_the_chat_and_never_the_visitor() {
    const SECRET: &str = "refund approved, do not tell them yet";
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    server.add_agent("badr", 3).await;
    server.add_supervisor("Boss").await;

    let amal_cookie = server.login("amal@example.com", "agent-password").await;
    let (mut amal, _) = server.agent_socket(&amal_cookie).await;
    amal.expect("ready").await;
    let (mut visitor, welcome) = server.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    visitor.send(send_frame("v1", "where is my refund?")).await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "amal");
    let conv = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    let sync = json!({"type": "sync", "conversation": id, "after_seq": 0});
    amal.send(sync.clone()).await;
    amal.until(|f| f["type"] == "message").await;

    let boss_cookie = server.login("boss@example.com", "agent-password").await;
    let (mut boss, _) = server.agent_socket(&boss_cookie).await;
    boss.expect("ready").await;
    boss.send(sync.clone()).await;
    boss.until(|f| f["type"] == "message").await;
    let badr_cookie = server.login("badr@example.com", "agent-password").await;
    let (mut badr, _) = server.agent_socket(&badr_cookie).await;
    badr.expect("ready").await;

    let note = json!({"type": "note", "conversation": id, "client_id": "n1", "body": SECRET});
    amal.send(note.clone()).await;
    let mine = amal.expect("note").await;
    assert_eq!(mine["note"]["id"], 1);
    assert_eq!(mine["note"]["after_seq"], 1);
    assert_eq!(mine["note"]["client_id"], "n1");
    assert_eq!(mine["note"]["author"]["name"], "amal");
    assert_eq!(mine["note"]["body"], SECRET);
    assert_eq!(boss.expect("note").await["note"], mine["note"]);

    // A retry gets the same note back, to the writer only.
    amal.send(note).await;
    assert_eq!(amal.expect("note").await["note"], mine["note"]);
    // A colleague who may not see the chat can neither write nor read one.
    badr.send(json!({"type": "note", "conversation": id, "client_id": "n1", "body": "peek"}))
        .await;
    let e = badr.expect("error").await;
    assert_eq!(
        (&e["code"], &e["client_id"]),
        (&json!("forbidden"), &json!("n1"))
    );
    // Limits as for replies.
    amal.send(
        json!({"type": "note", "conversation": id, "client_id": "n2", "body": "x".repeat(5001)}),
    )
    .await;
    assert_eq!(amal.expect("error").await["code"], "message_too_long");
    for (who, socket) in [
        ("amal", &mut amal),
        ("boss", &mut boss),
        ("badr", &mut badr),
    ] {
        let rest = socket.frames_before_sentinel().await;
        assert!(
            !rest.iter().any(|f| f["type"] == "note"),
            "{who} got another note: {rest:?}"
        );
    }

    // A dashboard opening the chat later gets its notes with its history.
    boss.send(sync).await;
    let replay = boss.collect_until(|f| f["type"] == "note").await;
    assert_eq!(replay.last().unwrap()["note"], mine["note"]);

    // The visitor: nothing live…
    let live = visitor.visitor_frames_before_sentinel().await;
    assert!(!format!("{live:?}").contains("refund approved"), "{live:?}");
    // …nothing on resume from the start…
    let mut again = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    again
        .send(
            json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
                     "token": token, "last_seq": 0}),
        )
        .await;
    again.expect("welcome").await;
    let resumed = again.visitor_frames_before_sentinel().await;
    assert!(
        resumed
            .iter()
            .any(|f| f["message"]["body"] == "where is my refund?"),
        "the resume replays the history: {resumed:?}"
    );
    assert!(
        !format!("{resumed:?}").contains("refund approved"),
        "{resumed:?}"
    );
    // …and the REST history is messages only.
    let api = Api::login(&server, "amal@example.com", "agent-password").await;
    let (status, history) = api.get(&format!("/api/conversations/{id}/messages")).await;
    assert_eq!(status, 200);
    assert!(
        !history.to_string().contains("refund approved"),
        "{history}"
    );
}

/// Issue 10, the collision indicator: two agents with the same chat open
/// see each other (the later one through the earlier one's echo) and who
/// of them is typing, a
/// colleague who may not see it cannot announce themselves there, closing
/// the socket counts as leaving, and the visitor hears nothing of it.
#[actix_web::test]
async fn agents_with_the_same_chat_open_see_each_other() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    server.add_agent("badr", 3).await;
    server.add_supervisor("Boss").await;

    let (mut amal, mut visitor, id) = server.chat_with("amal@example.com").await;
    let open = json!({"type": "viewing", "conversation": id, "viewing": true});
    amal.send(open.clone()).await;

    let boss_cookie = server.login("boss@example.com", "agent-password").await;
    let (mut boss, _) = server.agent_socket(&boss_cookie).await;
    boss.expect("ready").await;
    boss.send(open.clone()).await;
    let seen = amal.expect("viewing").await;
    assert_eq!(
        (
            &seen["conversation"],
            &seen["agent"]["name"],
            &seen["viewing"]
        ),
        (&json!(id), &json!("Boss"), &json!(true))
    );
    let echo = boss.expect("viewing").await;
    assert_eq!(
        (&echo["agent"]["name"], &echo["viewing"]),
        (&json!("amal"), &json!(true))
    );

    let badr_cookie = server.login("badr@example.com", "agent-password").await;
    let (mut badr, _) = server.agent_socket(&badr_cookie).await;
    badr.expect("ready").await;
    badr.send(open).await;
    assert_eq!(badr.expect("error").await["code"], "forbidden");

    // Amal types: Boss, who has the chat open, sees who (the visitor sees
    // "typing" as always, without a name).
    amal.send(json!({"type": "typing", "conversation": id, "typing": true}))
        .await;
    let typing = boss.expect("typing").await;
    assert_eq!(
        (&typing["agent"]["name"], &typing["typing"]),
        (&json!("amal"), &json!(true))
    );
    let theirs = visitor.expect("typing").await;
    assert!(theirs.get("agent").is_none(), "{theirs}");

    // Boss's socket goes: Amal sees them leave; nothing else comes.
    drop(boss);
    let gone = amal.expect("viewing").await;
    assert_eq!(
        (&gone["agent"]["name"], &gone["viewing"]),
        (&json!("Boss"), &json!(false))
    );
    let rest = amal.frames_before_sentinel().await;
    assert!(!rest.iter().any(|f| f["type"] == "viewing"), "{rest:?}");
    let rest = badr.frames_before_sentinel().await;
    assert!(!rest.iter().any(|f| f["type"] == "viewing"), "{rest:?}");
    let heard = visitor.visitor_frames_before_sentinel().await;
    assert!(!format!("{heard:?}").contains("viewing"), "{heard:?}");
}

/// A transfer moves the chat to a colleague with a note only agents read;
/// the visitor sees who took over and loses nothing; the sender's slot
/// frees. Refusals carry the request's client id: no longer yours, a full
/// colleague, nobody to escalate to — and escalation and a team's queue
/// work; an agent of another site cannot list the colleagues.
#[actix_web::test]
async fn a_transfer_hands_the_chat_over_with_a_note_and_the_visitor_loses_nothing() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    server.add_agent("badr", 1).await;
    server.add_supervisor("Boss").await;
    let amal_cookie = server.login("amal@example.com", "agent-password").await;
    let (mut amal, _) = server.agent_socket(&amal_cookie).await;
    amal.expect("ready").await;

    let (mut visitor, _) = server.visitor().await;
    visitor.send(send_frame("v1", "hello")).await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "amal");
    let conv = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    amal.send(
        json!({"type": "send", "conversation": id, "client_id": "a1", "body": "hi from amal"}),
    )
    .await;
    amal.expect("ack").await;

    let badr_cookie = server.login("badr@example.com", "agent-password").await;
    let (mut badr, _) = server.agent_socket(&badr_cookie).await;
    badr.expect("ready").await;
    let transfer = |client_id: &str, to: serde_json::Value, note: Option<&str>| json!({"type": "transfer", "conversation": id, "to": to, "client_id": client_id, "note": note});
    amal.send(transfer(
        "t1",
        json!({"kind": "agent", "agent": "a_badr"}),
        Some("VIP, asked about refunds"),
    ))
    .await;
    let mut heard = visitor
        .collect_until(|f| f["type"] == "assigned" && f["agent"]["name"] == "badr")
        .await;
    assert_eq!(amal.expect("gone").await["conversation"], json!(id));
    let theirs = badr
        .until(|f| f["type"] == "conversation" && f["conversation"]["id"] == json!(id))
        .await;
    assert_eq!(theirs["conversation"]["agent"]["name"], "badr");
    badr.send(json!({"type": "sync", "conversation": id, "after_seq": 0}))
        .await;
    let note = badr.expect("note").await;
    assert_eq!(note["note"]["body"], "VIP, asked about refunds");
    assert_eq!(note["note"]["author"]["name"], "amal");

    // No longer amal's to move.
    amal.send(transfer(
        "t2",
        json!({"kind": "agent", "agent": "a_amal"}),
        None,
    ))
    .await;
    let refused = amal.expect("error").await;
    assert_eq!(
        (&refused["code"], &refused["client_id"]),
        (&json!("forbidden"), &json!("t2"))
    );

    // Badr (capacity 1) is full: a second chat goes to amal, who cannot
    // hand it to badr; nobody supervises yet; then Boss takes it.
    let (mut second, _) = server.visitor().await;
    second.send(send_frame("w1", "second visitor")).await;
    assert_eq!(second.expect("assigned").await["agent"]["name"], "amal");
    let conv2 = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id2 = conv2["conversation"]["id"].as_str().unwrap().to_owned();
    let transfer2 = |client_id: &str, to: serde_json::Value| json!({"type": "transfer", "conversation": id2, "to": to, "client_id": client_id});
    amal.send(transfer2("t3", json!({"kind": "agent", "agent": "a_badr"})))
        .await;
    let full = amal.expect("error").await;
    assert_eq!(
        (&full["code"], &full["client_id"]),
        (&json!("at_capacity"), &json!("t3"))
    );
    assert!(
        full["message"].as_str().unwrap().contains("colleague"),
        "{full}"
    );
    amal.send(transfer2("t4", json!({"kind": "supervisor"})))
        .await;
    assert_eq!(amal.expect("error").await["code"], "no_supervisor");
    let boss_cookie = server.login("boss@example.com", "agent-password").await;
    let (mut boss, _) = server.agent_socket(&boss_cookie).await;
    boss.expect("ready").await;
    amal.send(transfer2("t5", json!({"kind": "supervisor"})))
        .await;
    assert_eq!(second.expect("assigned").await["agent"]["name"], "Boss");

    // Boss sends it to a team nobody online belongs to: it waits in that
    // line, first, and its visitor is told so.
    let sales = shared::TeamId("t_sales".into());
    server
        .store
        .insert_team(shared::api::Team {
            id: sales.clone(),
            name: "Sales".into(),
        })
        .await
        .unwrap();
    boss.send(transfer2("t6", json!({"kind": "team", "team": "t_sales"})))
        .await;
    let place = second.expect("queue").await;
    assert_eq!(place["position"], 1);
    let waiting = server
        .store
        .conversation(&shared::ConversationId(id2.clone()))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(waiting.team, Some(sales));
    assert_eq!(waiting.status, shared::ConversationStatus::Queued);

    // The first visitor saw each message once and never the note.
    badr.send(json!({"type": "send", "conversation": id, "client_id": "b1", "body": "badr here"}))
        .await;
    badr.expect("ack").await;
    heard.extend(
        visitor
            .collect_until(|f| f["type"] == "message" && f["message"]["body"] == "badr here")
            .await,
    );
    heard.extend(visitor.visitor_frames_before_sentinel().await);
    let bodies: Vec<&str> = heard
        .iter()
        .filter(|f| f["type"] == "message")
        .map(|f| f["message"]["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["hi from amal", "badr here"], "{heard:?}");
    assert!(!format!("{heard:?}").contains("VIP"), "{heard:?}");

    // Colleagues are listed for those who may see the chat only.
    let api = Api::login(&server, "badr@example.com", "agent-password").await;
    let (status, list) = api
        .get(&format!("/api/conversations/{id}/colleagues"))
        .await;
    assert_eq!(status, 200, "{list}");
    let amal_row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "amal")
        .unwrap();
    assert_eq!(
        (&amal_row["presence"], &amal_row["available"]),
        (&json!("online"), &json!(true))
    );
    server.add_site("pk_other", "https://other.example").await;
    server.add_agent_of("zed", "pk_other").await;
    let api = Api::login(&server, "zed@example.com", "agent-password").await;
    let (status, _) = api
        .get(&format!("/api/conversations/{id}/colleagues"))
        .await;
    assert_eq!(status, 403);
}

/// Read receipts both ways: the assignee reading tells the visitor how far
/// (a `read` frame), the visitor reading shows in the conversation's
/// `visitor_read`; a mark never goes back, and a supervisor looking in is
/// not the agent reading.
#[actix_web::test]
async fn read_receipts_go_both_ways_and_only_the_assignee_reads_for_the_team() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    let (mut amal, mut visitor, id) = server.chat_with("amal@example.com").await;

    // A supervisor reading is ignored: nothing reaches the visitor.
    server.add_supervisor("Boss").await;
    let boss_cookie = server.login("boss@example.com", "agent-password").await;
    let (mut boss, _) = server.agent_socket(&boss_cookie).await;
    boss.expect("ready").await;
    boss.send(json!({"type": "read", "conversation": id, "seq": 1}))
        .await;
    let rest = boss.frames_before_sentinel().await;
    assert!(!rest.iter().any(|f| f["type"] == "error"), "{rest:?}");
    let heard = visitor.visitor_frames_before_sentinel().await;
    assert!(!heard.iter().any(|f| f["type"] == "read"), "{heard:?}");

    amal.send(json!({"type": "read", "conversation": id, "seq": 1}))
        .await;
    assert_eq!(visitor.expect("read").await["seq"], 1);
    amal.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "hi!"}))
        .await;
    visitor
        .until(|f| f["type"] == "message" && f["message"]["seq"] == 2)
        .await;
    visitor.send(json!({"type": "read", "seq": 2})).await;
    let seen = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["visitor_read"] == 2)
        .await;
    assert_eq!(seen["conversation"]["agent_read"], 1);
    // Back, or again: nothing.
    amal.send(json!({"type": "read", "conversation": id, "seq": 0}))
        .await;
    amal.send(json!({"type": "read", "conversation": id, "seq": 1}))
        .await;
    let heard = visitor.visitor_frames_before_sentinel().await;
    assert!(!heard.iter().any(|f| f["type"] == "read"), "{heard:?}");
}

/// Delivery receipts both ways: the assignee's dashboard receiving tells
/// the visitor (`delivered`), the visitor's widget receiving shows in the
/// conversation's `visitor_delivered`; a read says delivered too (no
/// second frame), a delivery is not a read, and an agent of another site
/// is refused.
#[actix_web::test]
async fn delivery_receipts_go_both_ways_and_a_read_says_delivered() {
    let server = TestServer::start().await;
    server.add_agent("amal", 3).await;
    server.add_site("pk_other", "https://other.example").await;
    server.add_agent_of("far", "pk_other").await;
    let cookie = server.login("amal@example.com", "agent-password").await;
    let (mut amal, _) = server.agent_socket(&cookie).await;
    amal.expect("ready").await;
    let (mut visitor, welcome) = server.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    visitor.send(send_frame("v1", "hello")).await;
    visitor.expect("assigned").await;
    let conv = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();

    // Another site's agent: refused, and nothing reaches the visitor.
    let far_cookie = server.login("far@example.com", "agent-password").await;
    let (mut far, _) = server.agent_socket(&far_cookie).await;
    far.expect("ready").await;
    far.send(json!({"type": "delivered", "conversation": id, "seq": 1}))
        .await;
    assert_eq!(far.expect("error").await["code"], "forbidden");

    amal.send(json!({"type": "delivered", "conversation": id, "seq": 1}))
        .await;
    assert_eq!(visitor.expect("delivered").await["seq"], 1);
    let marked = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["agent_delivered"] == 1)
        .await;
    assert_eq!(marked["conversation"]["agent_read"], 0, "not read");
    // Reading what was delivered: `read` only.
    amal.send(json!({"type": "read", "conversation": id, "seq": 1}))
        .await;
    assert_eq!(visitor.expect("read").await["seq"], 1);
    let heard = visitor.visitor_frames_before_sentinel().await;
    assert!(!heard.iter().any(|f| f["type"] == "delivered"), "{heard:?}");

    // The other way: the widget has the reply, the agent sees it.
    amal.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "hi!"}))
        .await;
    visitor
        .until(|f| f["type"] == "message" && f["message"]["seq"] == 2)
        .await;
    visitor.send(json!({"type": "delivered", "seq": 2})).await;
    let delivered = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["visitor_delivered"] == 2)
        .await;
    assert_eq!(delivered["conversation"]["visitor_read"], 0);
    visitor.send(json!({"type": "read", "seq": 2})).await;
    let read = amal
        .until(|f| f["type"] == "conversation" && f["conversation"]["visitor_read"] == 2)
        .await;
    assert_eq!(read["conversation"]["visitor_delivered"], 2);
    // Again, or back: nothing moves.
    visitor.send(json!({"type": "delivered", "seq": 1})).await;
    visitor.send(json!({"type": "delivered", "seq": 2})).await;
    let rest = amal.frames_before_sentinel().await;
    assert!(
        !rest.iter().any(|f| f["type"] == "conversation"),
        "{rest:?}"
    );
    // The marks are in a later `welcome` too.
    let mut again = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    again
        .send(
            json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
            "token": token, "last_seq": 2}),
        )
        .await;
    let welcome = again.expect("welcome").await;
    assert_eq!(welcome["conversation"]["agent_delivered"], 1, "{welcome}");
    assert_eq!(welcome["conversation"]["agent_read"], 1);
}

/// History and search over REST: each agent finds the chats they handled
/// (with the message that matched), never a colleague's; a supervisor
/// finds every chat of their sites and nothing of another; bad parameters
/// get their field named. Then the visitor writes again and the resolved
/// chat comes back to the agent who had it.
#[actix_web::test]
async fn history_finds_what_each_agent_may_see_and_a_reopened_chat_returns_to_its_agent() {
    let server = TestServer::start().await;
    server.add_agent("sara", 3).await;
    server.add_agent("omar", 3).await;
    server.add_supervisor("Boss").await;
    server.add_site("pk_other", "https://other.example").await;
    server.add_agent_of("far", "pk_other").await;
    let (mut sara, mut visitor, id) = server.chat_with("sara@example.com").await;
    visitor
        .send(send_frame("v2", "Where is my REFUND for order ۱۲۳۴?"))
        .await;
    visitor.expect("ack").await;
    sara.send(json!({"type": "resolve", "conversation": id}))
        .await;
    sara.until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "resolved")
        .await;

    let sara_api = Api::login(&server, "sara@example.com", "agent-password").await;
    let (status, page) = sara_api.get("/api/history?q=refun%201234").await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["hits"].as_array().unwrap().len(), 1, "{page}");
    assert_eq!(page["hits"][0]["conversation"]["id"], json!(id));
    assert_eq!(
        page["hits"][0]["excerpt"]["seq"], 2,
        "the message that matched"
    );
    assert_eq!(page["next"], Value::Null);
    let (_, page) = sara_api.get("/api/history?status=resolved").await;
    assert_eq!(
        page["hits"][0]["excerpt"],
        Value::Null,
        "no words, no excerpt"
    );

    // Omar has the same site and never had the chat.
    let omar_api = Api::login(&server, "omar@example.com", "agent-password").await;
    let (status, page) = omar_api.get("/api/history?q=refund").await;
    assert_eq!((status, page["hits"].as_array().unwrap().len()), (200, 0));
    let (status, body) = omar_api.get("/api/history?agent=a_sara").await;
    assert_eq!((status, &body["code"]), (403, &json!("forbidden")));
    let far_api = Api::login(&server, "far@example.com", "agent-password").await;
    let (_, page) = far_api.get("/api/history").await;
    assert_eq!(page["hits"], json!([]));

    // The supervisor sees the site's chats, not another site's.
    let boss_api = Api::login(&server, "boss@example.com", "agent-password").await;
    let (_, page) = boss_api.get("/api/history?q=refund&agent=a_sara").await;
    assert_eq!(page["hits"][0]["conversation"]["id"], json!(id));
    let (status, body) = boss_api.get("/api/history?site=s_pk_other").await;
    assert_eq!((status, &body["code"]), (403, &json!("forbidden")));

    // Bad parameters name their field.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("after=nonsense", "after"),
    ] {
        let (status, body) = sara_api.get(&format!("/api/history?{query}")).await;
        assert_eq!(
            (status, &body["field"]),
            (400, &json!(field)),
            "{query}: {body}"
        );
    }
    let long = "x".repeat(201);
    let (status, body) = sara_api.get(&format!("/api/history?q={long}")).await;
    assert_eq!((status, &body["field"]), (400, &json!("q")));
    let (status, body) = sara_api.get("/api/history?status=lost").await;
    assert_eq!((status, &body["code"]), (400, &json!("bad_request")));

    // Omar is online and freer, but the visitor's chat goes back to Sara.
    let omar_cookie = server.login("omar@example.com", "agent-password").await;
    let (mut omar, _) = server.agent_socket(&omar_cookie).await;
    omar.expect("ready").await;
    visitor.send(send_frame("v3", "one more question")).await;
    let back = visitor.until(|f| f["type"] == "assigned").await;
    assert_eq!(back["agent"]["name"], "sara");
    let mine = sara
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    assert_eq!(mine["conversation"]["id"], json!(id));
}

/// The typing preview ("sneak peek"): off by default — a widget's draft
/// never reaches the agent; once the site turns it on the agent sees the
/// draft as it is typed (the last 1,000 characters of a long one), and
/// turning it off stops it at once for sockets already open. Nothing of it
/// is stored.
#[actix_web::test]
async fn the_typing_preview_reaches_agents_only_while_the_site_allows_it() {
    let server = TestServer::start().await;
    server.add_agent("sara", 3).await;
    let (mut sara, mut visitor, id) = server.chat_with("sara@example.com").await;
    let site = ahlan_server::store::SitePatch::default();
    let demo: shared::SiteId = ahlan_server::seed::DEMO_SITE_ID.into();
    let set = |on: bool| ahlan_server::store::SitePatch {
        typing_preview: Some(on),
        ..site.clone()
    };
    let typing = |f: &Value| f["type"] == "typing" && f["conversation"] == json!(id);

    visitor
        .send(json!({"type": "typing", "typing": true, "preview": "my secret draft"}))
        .await;
    let off = sara.until(typing).await;
    assert_eq!((&off["typing"], off.get("preview")), (&json!(true), None));

    server.store.update_site(&demo, set(true)).await.unwrap();
    visitor
        .send(json!({"type": "typing", "typing": true, "preview": "Where is my parc"}))
        .await;
    let on = sara.until(typing).await;
    assert_eq!(on["preview"], "Where is my parc");
    let long = format!("{}{}", "a".repeat(1_500), "z".repeat(1_000));
    visitor
        .send(json!({"type": "typing", "typing": true, "preview": long}))
        .await;
    let cut = sara.until(typing).await;
    assert_eq!(cut["preview"], json!("z".repeat(1_000)), "the draft's end");
    // Stopping clears it: no preview with typing false.
    visitor
        .send(json!({"type": "typing", "typing": false, "preview": "left over"}))
        .await;
    let stop = sara.until(typing).await;
    assert_eq!(
        (&stop["typing"], stop.get("preview")),
        (&json!(false), None)
    );

    server.store.update_site(&demo, set(false)).await.unwrap();
    // Typing frames beyond the burst wait for the rate (extra ones are
    // dropped, not refused): send until one gets through.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    let again = loop {
        visitor
            .send(json!({"type": "typing", "typing": true, "preview": "after off"}))
            .await;
        let soon =
            (tokio::time::Instant::now() + std::time::Duration::from_millis(300)).min(deadline);
        match sara.try_next_before(soon).await {
            Ok(Some(f)) if typing(&f) => break f,
            _ => assert!(tokio::time::Instant::now() < deadline, "no typing frame"),
        }
    };
    assert_eq!(again.get("preview"), None, "off at once for open sockets");

    let stored = server
        .store
        .messages_after(&shared::ConversationId(id.clone()), 0, 100)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1, "only the visitor's hello: {stored:?}");
}
