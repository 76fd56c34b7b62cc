//! Fault tests with real processes: two `ahlan` servers sharing one Redis,
//! one of them killed with SIGKILL in the middle of a conversation.

use crate::common::*;
use ahlan_server::store::test_redis::RedisServer;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// A real `ahlan` process on a free port.
struct Node {
    child: Child,
    url: String,
    ws: String,
}

impl Node {
    async fn start(redis: &RedisServer, site_key: &str) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ahlan"))
            .args(["--bind", "127.0.0.1:0", "--admin-password", ADMIN_PASSWORD])
            .args(["--demo-site-key", site_key, "--assets-dir", "/nonexistent"])
            .env("AHLAN_REDIS_URL", redis.url())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("start ahlan");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let addr = tokio::time::timeout(DEADLINE, async {
            while let Some(line) = lines.next_line().await.unwrap() {
                if let Some(rest) = line.trim().strip_prefix("listening:") {
                    return rest.trim().trim_start_matches("http://").to_owned();
                }
            }
            panic!("ahlan exited before listening");
        })
        .await
        .expect("ahlan listening within the deadline");
        Node {
            child,
            url: format!("http://{addr}"),
            ws: format!("ws://{addr}"),
        }
    }

    /// SIGKILL: no goodbye to anyone.
    async fn kill_9(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
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
    let res = reqwest::Client::new()
        .post(format!("{}/api/auth/login", node_b.url))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let mut agent = Ws::connect(
        &format!("{}/ws/agent", node_b.ws),
        &[("Cookie", &cookie), ("Origin", &node_b.url)],
    )
    .await;
    agent.expect("ready").await;

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
    receive_up_to(&mut visitor, total, &mut seen_by_visitor).await;
    receive_up_to(&mut agent, total, &mut seen_by_agent).await;
    seen_by_visitor.assert_exactly_once(total, "visitor");
    seen_by_agent.assert_exactly_once(total, "agent");
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
