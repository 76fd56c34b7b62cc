//! Fault tests with real processes: two `ahlan` servers sharing one Redis,
//! one of them killed with SIGKILL in the middle of a conversation.

use crate::common::*;
use ahlan_server::store::test_redis::RedisServer;
use serde_json::{json, Value};
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

/// A real `ahlan` process on a free port.
struct Node {
    child: Child,
    url: String,
    ws: String,
    /// The banner's lines (stdout up to the snippet).
    banner: Vec<String>,
}

impl Node {
    /// A node of a deployment sharing `redis`.
    async fn start(redis: &RedisServer, site_key: &str) -> Node {
        let url = redis.url();
        Self::spawn(
            &["--demo", "--demo-site-key", site_key],
            &[("AHLAN_REDIS_URL", url.as_str())],
        )
        .await
    }

    /// `ahlan` with these flags and variables (plus a free port, the test
    /// admin password and no assets), once its banner is printed.
    async fn spawn(args: &[&str], env: &[(&str, &str)]) -> Node {
        let mut cmd = ahlan_command();
        cmd.args(["--bind", "127.0.0.1:0", "--admin-password", ADMIN_PASSWORD])
            .args(["--assets-dir", "/nonexistent"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start ahlan");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let banner = tokio::time::timeout(DEADLINE, async {
            let mut banner = Vec::new();
            while let Some(line) = lines.next_line().await.unwrap() {
                let last = line.trim().starts_with("snippet:");
                banner.push(line);
                if last {
                    return banner;
                }
            }
            panic!("ahlan exited before its banner was complete: {banner:?}");
        })
        .await
        .expect("ahlan listening within the deadline");
        let addr = banner_value(&banner, "listening:")
            .trim_start_matches("http://")
            .to_owned();
        Node {
            child,
            url: format!("http://{addr}"),
            ws: format!("ws://{addr}"),
            banner,
        }
    }

    fn banner(&self, label: &str) -> String {
        banner_value(&self.banner, label)
    }

    /// SIGTERM, a planned stop: how it exited and how long it took.
    async fn terminate(mut self) -> (std::process::ExitStatus, std::time::Duration) {
        let pid = self.child.id().expect("running").to_string();
        let start = std::time::Instant::now();
        let sent = tokio::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(sent.success());
        let status = tokio::time::timeout(DEADLINE, self.child.wait())
            .await
            .expect("a stopped node exits within the deadline")
            .unwrap();
        (status, start.elapsed())
    }

    /// SIGKILL: no goodbye to anyone.
    async fn kill_9(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

fn banner_value(banner: &[String], label: &str) -> String {
    banner
        .iter()
        .find_map(|l| l.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` in the banner: {banner:?}"))
        .trim()
        .to_owned()
}

async fn login(url: &str) -> String {
    let res = reqwest::Client::new()
        .post(format!("{url}/api/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn agent_socket(node: &Node, cookie: &str) -> Ws {
    let mut agent = Ws::connect(
        &format!("{}/ws/agent", node.ws),
        &[("Cookie", cookie), ("Origin", &node.url)],
    )
    .await;
    agent.expect("ready").await;
    agent
}

/// What one side has received: seq → body, and how often each seq came.
#[derive(Default)]
struct Received {
    bodies: BTreeMap<u64, String>,
    copies: BTreeMap<u64, u32>,
}

impl Received {
    fn take(&mut self, frame: &Value) {
        let m = &frame["message"];
        let seq = m["seq"].as_u64().unwrap();
        self.bodies
            .insert(seq, m["body"].as_str().unwrap().to_owned());
        *self.copies.entry(seq).or_default() += 1;
    }

    fn last_seq(&self) -> u64 {
        self.bodies.keys().next_back().copied().unwrap_or(0)
    }

    /// Every seq from 1 to `n`, each exactly once.
    fn assert_exactly_once(&self, n: u64, who: &str) {
        assert_eq!(
            self.bodies.keys().copied().collect::<Vec<_>>(),
            (1..=n).collect::<Vec<_>>(),
            "{who}: a gap"
        );
        assert!(
            self.copies.values().all(|&c| c == 1),
            "{who}: a duplicate: {:?}",
            self.copies
        );
    }
}

/// Counted, not sampled: the visitor and the agent each hold every seq
/// from 1 to `total` exactly once, and nothing more arrives before a
/// sentinel (a late copy would land in `Received` and fail).
async fn both_hold_exactly(
    visitor: &mut Ws,
    seen_by_visitor: &mut Received,
    agent: &mut Ws,
    seen_by_agent: &mut Received,
    total: u64,
) {
    receive_up_to(visitor, total, seen_by_visitor).await;
    receive_up_to(agent, total, seen_by_agent).await;
    for f in visitor.visitor_frames_before_sentinel().await {
        if f["type"] == "message" {
            seen_by_visitor.take(&f);
        }
    }
    for f in agent.frames_before_sentinel().await {
        if f["type"] == "message" {
            seen_by_agent.take(&f);
        }
    }
    seen_by_visitor.assert_exactly_once(total, "visitor");
    seen_by_agent.assert_exactly_once(total, "agent");
}

/// Waits for the ack of `client_id`, collecting message frames on the way.
async fn send_acked(ws: &mut Ws, client_id: &str, got: &mut Received) -> u64 {
    loop {
        let f = ws
            .until(|f| matches!(f["type"].as_str(), Some("message" | "ack" | "error")))
            .await;
        match f["type"].as_str() {
            Some("message") => got.take(&f),
            Some("ack") if f["client_id"] == client_id => return f["seq"].as_u64().unwrap(),
            Some("error") => panic!("send {client_id} refused: {f}"),
            _ => {}
        }
    }
}

/// Reads message frames until `got` holds `seq`.
async fn receive_up_to(ws: &mut Ws, seq: u64, got: &mut Received) {
    while got.last_seq() < seq {
        let f = ws.expect("message").await;
        got.take(&f);
    }
}

#[actix_web::test]
async fn killing_the_visitors_node_loses_and_doubles_nothing() {
    let redis = RedisServer::start().await;
    let site_key = ahlan_server::secrets::new_site_key();
    let node_a = Node::start(&redis, &site_key).await;
    let node_b = Node::start(&redis, &site_key).await;

    // The agent works on node B.
    let cookie = login(&node_b.url).await;
    let mut agent = agent_socket(&node_b, &cookie).await;

    // The visitor chats on node A.
    let mut visitor = Ws::connect(&format!("{}/ws/visitor", node_a.ws), &[]).await;
    visitor
        .send(json!({"type": "hello", "site": site_key, "origin": SITE_ORIGIN}))
        .await;
    let token = visitor.expect("welcome").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (mut seen_by_visitor, mut seen_by_agent) = (Received::default(), Received::default());

    let mut sent = Vec::new();
    let mut conversation = String::new();
    for i in 1..=5 {
        let id = format!("v{i}");
        visitor.send(send_frame(&id, &format!("visitor {i}"))).await;
        send_acked(&mut visitor, &id, &mut seen_by_visitor).await;
        sent.push(format!("visitor {i}"));
    }
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    conversation.push_str(conv["conversation"]["id"].as_str().unwrap());
    agent
        .send(json!({"type": "sync", "conversation": conversation, "after_seq": 0}))
        .await;
    receive_up_to(&mut agent, 5, &mut seen_by_agent).await;
    for i in 1..=3 {
        let id = format!("a{i}");
        agent.send(json!({"type": "send", "conversation": conversation, "client_id": id, "body": format!("agent {i}")})).await;
        send_acked(&mut agent, &id, &mut seen_by_agent).await;
        sent.push(format!("agent {i}"));
    }
    receive_up_to(&mut visitor, 8, &mut seen_by_visitor).await;

    // Node A dies. The visitor's next send never gets an ack; the agent
    // keeps writing meanwhile.
    let killed = std::time::Instant::now();
    node_a.kill_9().await;
    let _ = visitor.try_send(send_frame("v6", "visitor 6")).await;
    sent.push("visitor 6".to_owned());
    agent.send(json!({"type": "send", "conversation": conversation, "client_id": "a4", "body": "agent 4"})).await;
    send_acked(&mut agent, "a4", &mut seen_by_agent).await;
    sent.push("agent 4".to_owned());

    // The visitor reconnects to node B (no sticky sessions) with what it
    // holds, and resends its unacknowledged message with the same id.
    let mut visitor = Ws::connect(&format!("{}/ws/visitor", node_b.ws), &[]).await;
    visitor
        .send(json!({"type": "hello", "site": site_key, "token": token, "last_seq": seen_by_visitor.last_seq(), "origin": SITE_ORIGIN}))
        .await;
    assert_eq!(visitor.expect("welcome").await["token"], token.as_str());
    visitor.send(send_frame("v6", "visitor 6")).await;
    send_acked(&mut visitor, "v6", &mut seen_by_visitor).await;
    let resumed = killed.elapsed();
    for i in 7..=8 {
        let id = format!("v{i}");
        visitor.send(send_frame(&id, &format!("visitor {i}"))).await;
        send_acked(&mut visitor, &id, &mut seen_by_visitor).await;
        sent.push(format!("visitor {i}"));
    }

    // Counted, not sampled: both sides hold every message exactly once, in
    // order, and nothing else.
    let total = sent.len() as u64;
    both_hold_exactly(
        &mut visitor,
        &mut seen_by_visitor,
        &mut agent,
        &mut seen_by_agent,
        total,
    )
    .await;
    let mut expected = sent.clone();
    expected.sort();
    for got in [&seen_by_visitor, &seen_by_agent] {
        let mut bodies: Vec<_> = got.bodies.values().cloned().collect();
        bodies.sort();
        assert_eq!(bodies, expected);
    }
    assert!(resumed < DEADLINE, "resumed after {resumed:?}");
    drop(node_b);
}

/// Sends `frame` unless `client_id` was already acknowledged: what a
/// client does with its pending sends after a reconnect.
async fn resend_unacked(ws: &mut Ws, acked: &BTreeMap<String, u64>, client_id: &str, frame: Value) {
    if !acked.contains_key(client_id) {
        ws.send(frame).await;
    }
}

/// Reads frames until the socket closes: messages into `got`, acks into
/// `acked`; returns the close code.
async fn drain_to_close(
    ws: &mut Ws,
    got: &mut Received,
    acked: &mut BTreeMap<String, u64>,
) -> Option<u16> {
    loop {
        match ws.next_or_close().await {
            Ok(f) if f["type"] == "message" => got.take(&f),
            Ok(f) if f["type"] == "ack" => {
                acked.insert(
                    f["client_id"].as_str().unwrap().to_owned(),
                    f["seq"].as_u64().unwrap(),
                );
            }
            Ok(f) if f["type"] == "error" => panic!("refused: {f}"),
            Ok(_) => {}
            Err(code) => return code,
        }
    }
}

/// Issue 13: a rolling restart. One of two nodes gets SIGTERM in the middle
/// of a chat, with sends of both sides in flight: its sockets close with
/// 1012, both clients reconnect to the other node at once and resend what
/// was not acknowledged, and nothing is lost or doubled. The agent's
/// presence does not flap (their other tab sees no "offline"), and the
/// node exits cleanly and soon.
#[actix_web::test]
async fn a_rolling_restart_loses_doubles_and_drops_nothing() {
    let redis = RedisServer::start().await;
    let site_key = ahlan_server::secrets::new_site_key();
    // Sends in a burst: the flood guard (5 a second) is raised.
    let start = || {
        let url = redis.url();
        let key = site_key.clone();
        async move {
            Node::spawn(
                &[
                    "--demo",
                    "--demo-site-key",
                    &key,
                    "--send-rate",
                    "1000",
                    "--send-burst",
                    "1000",
                ],
                &[("AHLAN_REDIS_URL", url.as_str())],
            )
            .await
        }
    };
    let node_a = start().await;
    let node_b = start().await;
    let cookie = login(&node_a.url).await;
    // The agent has a tab on each node; the visitor is on node A.
    let mut agent = agent_socket(&node_a, &cookie).await;
    let mut other_tab = agent_socket(&node_b, &cookie).await;
    let mut visitor = Ws::connect(&format!("{}/ws/visitor", node_a.ws), &[]).await;
    visitor
        .send(json!({"type": "hello", "site": site_key, "origin": SITE_ORIGIN}))
        .await;
    let token = visitor.expect("welcome").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (mut seen_by_visitor, mut seen_by_agent) = (Received::default(), Received::default());
    visitor.send(send_frame("v0", "hello")).await;
    send_acked(&mut visitor, "v0", &mut seen_by_visitor).await;
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let conversation = conv["conversation"]["id"].as_str().unwrap().to_owned();
    let me = conv["conversation"]["agent"].clone();
    agent
        .send(json!({"type": "sync", "conversation": conversation, "after_seq": 0}))
        .await;
    receive_up_to(&mut agent, 1, &mut seen_by_agent).await;

    // Both sides fire sends without waiting, and node A is told to stop
    // while they are in flight.
    let visitor_send = |i: u32| send_frame(&format!("v{i}"), &format!("visitor {i}"));
    let agent_send = |i: u32| json!({"type": "send", "conversation": conversation, "client_id": format!("a{i}"), "body": format!("agent {i}")});
    for i in 1..=20 {
        visitor.send(visitor_send(i)).await;
        agent.send(agent_send(i)).await;
    }
    let stopping = tokio::spawn(node_a.terminate());
    let (mut visitor_acks, mut agent_acks) = (BTreeMap::new(), BTreeMap::new());
    visitor_acks.insert("v0".to_owned(), 1);
    let code = drain_to_close(&mut visitor, &mut seen_by_visitor, &mut visitor_acks).await;
    assert_eq!(code, Some(1012), "the visitor is told to reconnect");
    let closed = std::time::Instant::now();
    let code = drain_to_close(&mut agent, &mut seen_by_agent, &mut agent_acks).await;
    assert_eq!(code, Some(1012), "the dashboard is told to reconnect");

    // Both reconnect to node B with what they hold and resend the rest.
    let mut visitor = Ws::connect(&format!("{}/ws/visitor", node_b.ws), &[]).await;
    visitor
        .send(json!({"type": "hello", "site": site_key, "token": token, "last_seq": seen_by_visitor.last_seq(), "origin": SITE_ORIGIN}))
        .await;
    let welcome = visitor.expect("welcome").await;
    assert_eq!(welcome["token"], token.as_str());
    let mut agent = agent_socket(&node_b, &cookie).await;
    let resumed = closed.elapsed();
    // The chat stayed the agent's.
    assert_eq!(welcome["conversation"]["status"], "assigned");
    assert_eq!(welcome["conversation"]["agent"], me);
    agent
        .send(json!({"type": "sync", "conversation": conversation, "after_seq": seen_by_agent.last_seq()}))
        .await;
    for i in 1..=20 {
        resend_unacked(
            &mut visitor,
            &visitor_acks,
            &format!("v{i}"),
            visitor_send(i),
        )
        .await;
        resend_unacked(&mut agent, &agent_acks, &format!("a{i}"), agent_send(i)).await;
    }
    for i in 1..=20 {
        if let Entry::Vacant(e) = visitor_acks.entry(format!("v{i}")) {
            let seq = send_acked(&mut visitor, e.key(), &mut seen_by_visitor).await;
            e.insert(seq);
        }
        if let Entry::Vacant(e) = agent_acks.entry(format!("a{i}")) {
            let seq = send_acked(&mut agent, e.key(), &mut seen_by_agent).await;
            e.insert(seq);
        }
    }

    // 41 messages, each exactly once on both sides, and nothing else.
    let total = 41;
    both_hold_exactly(
        &mut visitor,
        &mut seen_by_visitor,
        &mut agent,
        &mut seen_by_agent,
        total,
    )
    .await;
    let mut acked: Vec<u64> = visitor_acks
        .values()
        .chain(agent_acks.values())
        .copied()
        .collect();
    acked.sort_unstable();
    assert_eq!(
        acked,
        (1..=total).collect::<Vec<_>>(),
        "one ack per message"
    );

    // The agent's presence never went offline.
    for f in other_tab.frames_before_sentinel().await {
        assert!(
            !(f["type"] == "presence" && f["status"] == "offline"),
            "the agent's presence flapped: {f}"
        );
    }

    let (status, took) = stopping.await.unwrap();
    assert!(status.success(), "node A exited with {status}");
    println!(
        "rolling restart: clients resumed {resumed:?} after the close; node A stopped in {took:?}"
    );
    assert!(
        resumed < std::time::Duration::from_secs(2),
        "resumed after {resumed:?}"
    );
    drop(node_b);
}

/// Issue 9: the single server with its embedded store, killed with SIGKILL
/// mid-conversation and started again on the same data dir, has lost
/// nothing it acknowledged: the same login, site key, session, visitor
/// token, and every message exactly once.
#[actix_web::test]
async fn kill_9_of_the_single_server_loses_nothing_acknowledged() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path().to_str().unwrap().to_owned();
    let args = ["--data-dir", dir.as_str(), "--demo"];
    let node = Node::spawn(&args, &[]).await;
    assert_eq!(
        node.banner("login:"),
        format!("{ADMIN_EMAIL} / {ADMIN_PASSWORD}"),
        "the first start prints the new admin's login"
    );
    let site_key = node.banner("site key:");
    let cookie = login(&node.url).await;
    let mut agent = agent_socket(&node, &cookie).await;

    let mut visitor = Ws::connect(&format!("{}/ws/visitor", node.ws), &[]).await;
    visitor
        .send(json!({"type": "hello", "site": site_key, "origin": SITE_ORIGIN}))
        .await;
    let token = visitor.expect("welcome").await["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut seen = Received::default();
    let mut sent = Vec::new();
    for i in 1..=5 {
        let id = format!("v{i}");
        let body = format!("visitor {i} — مرحبا");
        visitor.send(send_frame(&id, &body)).await;
        send_acked(&mut visitor, &id, &mut seen).await;
        sent.push(body);
    }
    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let conversation = conv["conversation"]["id"].as_str().unwrap().to_owned();
    let mut agent_seen = Received::default();
    for i in 1..=3 {
        let id = format!("a{i}");
        let body = format!("agent {i}");
        agent.send(json!({"type": "send", "conversation": conversation, "client_id": id, "body": body})).await;
        send_acked(&mut agent, &id, &mut agent_seen).await;
        sent.push(body);
    }

    // Everything above was acknowledged. Now: no goodbye.
    node.kill_9().await;
    drop((agent, visitor));

    let node = Node::spawn(&args, &[]).await;
    assert_eq!(
        node.banner("site key:"),
        site_key,
        "installed snippets keep working"
    );
    assert!(
        node.banner("login:").contains("already in the data"),
        "no new password on a restart: {:?}",
        node.banner
    );
    // The agent's session survived; so does their password.
    let me = reqwest::Client::new()
        .get(format!("{}/api/me", node.url))
        .header("Cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    login(&node.url).await;

    // The visitor comes back with an empty cache: same token, the whole
    // conversation replayed once, in order, and nothing else.
    let mut visitor = Ws::connect(&format!("{}/ws/visitor", node.ws), &[]).await;
    visitor
        .send(json!({"type": "hello", "site": site_key, "token": token, "last_seq": 0, "origin": SITE_ORIGIN}))
        .await;
    let welcome = visitor.expect("welcome").await;
    assert_eq!(welcome["token"], token.as_str());
    assert_eq!(welcome["conversation"]["id"], conversation.as_str());
    assert_eq!(welcome["conversation"]["last_seq"], 8);
    let mut replay = Received::default();
    visitor
        .send(json!({"type": "hello", "site": site_key}))
        .await;
    for f in visitor
        .collect_until(|f| f["type"] == "error" && f["code"] == "already_greeted")
        .await
    {
        if f["type"] == "message" {
            replay.take(&f);
        }
    }
    replay.assert_exactly_once(8, "visitor after the restart");
    let bodies: Vec<_> = replay.bodies.values().cloned().collect();
    assert_eq!(bodies, sent);

    // The agent's dashboard reconnects with the old cookie, gets the same
    // history once, and the chat goes on.
    let mut agent = agent_socket(&node, &cookie).await;
    agent
        .send(json!({"type": "sync", "conversation": conversation, "after_seq": 0}))
        .await;
    let mut agent_replay = Received::default();
    for f in agent.frames_before_sentinel().await {
        if f["type"] == "message" {
            agent_replay.take(&f);
        }
    }
    agent_replay.assert_exactly_once(8, "agent after the restart");
    agent.send(json!({"type": "send", "conversation": conversation, "client_id": "a4", "body": "still here"})).await;
    let mut after = Received::default();
    assert_eq!(send_acked(&mut agent, "a4", &mut after).await, 9);
    let m = visitor.expect("message").await;
    assert_eq!(
        (m["message"]["seq"].as_u64(), m["message"]["body"].as_str()),
        (Some(9), Some("still here"))
    );
}
