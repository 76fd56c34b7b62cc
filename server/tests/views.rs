//! Agents' views under a burst of new conversations. Hundreds of visitors
//! write at once while two agents take, follow and resolve chats; events
//! reach the sockets in whatever order routing published them (one node,
//! or two nodes sharing Redis). Each dashboard is modelled only by the
//! client rules of docs/PROTOCOL.md, and must end up holding exactly the
//! open conversations its agent may see, each in its latest state.

use crate::common::*;
use ahlan_server::config::Config;
use ahlan_server::store::redis::RedisStore;
use ahlan_server::store::test_redis::RedisServer;
use ahlan_server::store::Store;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Barrier};

const VISITORS: usize = 300;
const MESSAGES: usize = 5;
/// Conversations each agent resolves during the burst (each resolve
/// hands the agent the next one in the queue).
const RESOLVES: usize = 10;
/// How long the whole burst may take to settle.
const SETTLE: Duration = Duration::from_secs(60);

fn burst_config() -> Config {
    config_with(&[
        "--max-queue",
        "1000",
        "--max-sockets-per-client",
        "1000",
        "--new-visitors-per-minute",
        "100000",
    ])
}

/// A dashboard's open conversations, kept by the rules of PROTOCOL.md:
/// the highest `version` wins; `welcome` … `ready` is a snapshot after
/// which what it did not confirm is dropped; `gone` drops; `resolved`
/// leaves the open lists; `message` frames of a followed conversation
/// move its last message on.
#[derive(Default)]
struct Dashboard {
    open: HashMap<String, Value>,
    followed: HashSet<String>,
    /// Ids confirmed since `welcome`, while a snapshot is under way.
    snapshot: Option<HashSet<String>>,
    /// Summaries older than one already held: the server must never send
    /// them.
    older: Vec<Value>,
    snapshots: usize,
    /// Error frames (but the sentinel's answer).
    errors: Vec<Value>,
}

impl Dashboard {
    fn apply(&mut self, f: &Value) {
        match f["type"].as_str() {
            Some("welcome") => {
                self.snapshot = Some(HashSet::new());
                self.snapshots += 1;
            }
            Some("ready") => {
                if let Some(confirmed) = self.snapshot.take() {
                    self.open.retain(|id, _| confirmed.contains(id));
                }
            }
            Some("conversation") => {
                let c = &f["conversation"];
                let id = c["id"].as_str().unwrap().to_owned();
                if let Some(confirmed) = &mut self.snapshot {
                    confirmed.insert(id.clone());
                }
                if let Some(held) = self.open.get(&id) {
                    if held["version"].as_u64() > c["version"].as_u64() {
                        self.older.push(
                            json!({"held": held, "got": c, "in_snapshot": self.snapshot.is_some()}),
                        );
                        return;
                    }
                }
                if c["status"] == "resolved" {
                    self.open.remove(&id);
                } else {
                    self.open.insert(id, c.clone());
                }
            }
            Some("error") if f["conversation"] != SENTINEL => self.errors.push(f.clone()),
            Some("gone") => {
                let id = f["conversation"].as_str().unwrap();
                self.open.remove(id);
                self.followed.remove(id);
            }
            Some("message") => {
                let m = &f["message"];
                let id = m["conversation"].as_str().unwrap();
                if let Some(held) = self.open.get_mut(id) {
                    if m["seq"].as_u64() > held["last_seq"].as_u64() {
                        held["last_seq"] = m["seq"].clone();
                        held["last_message"] = m.clone();
                    }
                }
            }
            _ => {}
        }
    }

    /// What must match the store: everything, but the version of a
    /// followed conversation (its messages arrive as `message` frames,
    /// which carry no version).
    fn comparable(&self) -> BTreeMap<String, Value> {
        self.open
            .iter()
            .map(|(id, c)| (id.clone(), comparable(c, self.followed.contains(id))))
            .collect()
    }
}

fn comparable(c: &Value, followed: bool) -> Value {
    let mut c = c.clone();
    if followed {
        c["version"] = Value::Null;
    }
    c
}

/// The open conversations the agent may see, from the REST lists.
async fn truth(api: &Api, followed: &HashSet<String>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for view in ["waiting", "mine"] {
        let (status, list) = api.get(&format!("/api/conversations?view={view}")).await;
        assert_eq!(status, 200, "{list}");
        for c in list.as_array().unwrap() {
            let id = c["id"].as_str().unwrap().to_owned();
            let followed = followed.contains(&id);
            out.insert(id, comparable(c, followed));
        }
    }
    out
}

struct AgentSide {
    ws: Ws,
    api: Api,
    id: String,
    /// Follows (syncs) each conversation it is given.
    follows: bool,
}

/// How far the burst is: the store is final once every visitor has its
/// acks and every agent has finished acting.
#[derive(Clone, Copy, Default)]
struct Progress {
    visitors_done: bool,
    agents_done: usize,
}

const AGENTS: usize = 2;
const SENTINEL: &str = "c_sentinel";

/// Plays one agent through the burst: follows and resolves what it is
/// given; after its last resolve, a sentinel round-trip proves the server
/// finished them (the queue drained into the freed places). When
/// everyone is done, it waits for its view to match the store, and a last
/// sentinel proves nothing arrives afterwards to spoil it.
async fn play(mut a: AgentSide, progress: watch::Sender<Progress>) -> Dashboard {
    let mut board = Dashboard::default();
    let mut handled = HashSet::new();
    let mut acting = true;
    let mut watching = progress.subscribe();
    let deadline = tokio::time::Instant::now() + SETTLE;
    a.ws.send(json!({"type": "presence", "status": "online"}))
        .await;
    loop {
        let now = *watching.borrow_and_update();
        if now.visitors_done && now.agents_done == AGENTS && board.snapshot.is_none() {
            let expected = truth(&a.api, &board.followed).await;
            if board.comparable() == expected {
                break;
            }
        }
        let frame = tokio::select! {
            f = a.ws.try_next_before(deadline) => f,
            _ = watching.changed() => continue,
        };
        let f = match frame {
            Ok(Some(f)) => f,
            Ok(None) => panic!("agent {} socket closed", a.id),
            Err(_) => {
                let expected = truth(&a.api, &board.followed).await;
                panic!(
                    "agent {}: the view did not settle: {}; errors {:?}",
                    a.id,
                    difference(&board.comparable(), &expected),
                    board.errors
                );
            }
        };
        board.apply(&f);
        if f["type"] == "error" && f["conversation"] == SENTINEL {
            acting = false;
            progress.send_modify(|p| p.agents_done += 1);
            continue;
        }
        if f["type"] != "conversation" {
            continue;
        }
        let c = &f["conversation"];
        let id = c["id"].as_str().unwrap().to_owned();
        if c["status"] != "assigned"
            || c["agent"]["id"] != a.id.as_str()
            || !handled.insert(id.clone())
        {
            continue;
        }
        if a.follows {
            board.followed.insert(id.clone());
            a.ws.send(json!({"type": "sync", "conversation": id, "after_seq": 0}))
                .await;
        }
        if handled.len() <= RESOLVES {
            a.ws.send(json!({"type": "resolve", "conversation": id}))
                .await;
        }
        // The socket handles frames in order: once the sentinel is
        // answered, every resolve (and the assignments it freed room for)
        // is done. A summary announcing a resolve may be lost to a resync,
        // so it is not what the agent waits for.
        if acting && handled.len() == RESOLVES {
            a.ws.send(json!({"type": "sync", "conversation": SENTINEL, "after_seq": 0}))
                .await;
        }
    }
    // Nothing after the match may undo it.
    for f in a.ws.frames_before_sentinel().await {
        board.apply(&f);
    }
    let (held, expected) = (board.comparable(), truth(&a.api, &board.followed).await);
    assert!(
        held == expected,
        "agent {}: frames after the view matched changed it: {}",
        a.id,
        difference(&held, &expected)
    );
    board
}

/// What a view lacks, has too much of, or holds differently from the store.
fn difference(held: &BTreeMap<String, Value>, expected: &BTreeMap<String, Value>) -> String {
    let missing: Vec<_> = expected.keys().filter(|k| !held.contains_key(*k)).collect();
    let extra: Vec<_> = held.keys().filter(|k| !expected.contains_key(*k)).collect();
    let differ: Vec<_> = held
        .iter()
        .filter(|(k, v)| expected.get(*k).is_some_and(|e| e != *v))
        .map(|(k, v)| format!("{k}: held {v}, store {}", expected[k]))
        .take(3)
        .collect();
    format!(
        "{} held, {} expected; missing {missing:?}; extra {extra:?}; differing {differ:?}",
        held.len(),
        expected.len()
    )
}

async fn agent_on(node: &TestServer, name: &str, follows: bool) -> AgentSide {
    let record = node.add_agent(name, 3).await;
    let cookie = node
        .login(&format!("{name}@example.com"), "agent-password")
        .await;
    let (mut ws, _) = node.agent_socket(&cookie).await;
    ws.expect("ready").await;
    let api = Api::login(node, &format!("{name}@example.com"), "agent-password").await;
    AgentSide {
        ws,
        api,
        id: record.id.0,
        follows,
    }
}

/// Runs the burst with visitors spread over `nodes` and one agent on the
/// first node, one on the last; checks both views.
async fn burst(nodes: &[TestServer]) {
    let first = &nodes[0];
    let last = &nodes[nodes.len() - 1];
    let follower = agent_on(first, "ana", true).await;
    // Added through the first node's store: all nodes share it.
    let other = agent_on(last, "omar", false).await;

    let (progress, _) = watch::channel(Progress::default());
    let agents = [follower, other].map(|a| actix_web::rt::spawn(play(a, progress.clone())));

    let start = Arc::new(Barrier::new(VISITORS));
    let mut visitors = Vec::new();
    for i in 0..VISITORS {
        let node = &nodes[i % nodes.len()];
        let (url, key) = (node.ws.clone(), node.site_key.clone());
        let start = start.clone();
        visitors.push(actix_web::rt::spawn(async move {
            let node = VisitorNode {
                ws: url,
                site_key: key,
            };
            node.run(start).await
        }));
    }
    for v in visitors {
        v.await.unwrap();
    }
    progress.send_modify(|p| p.visitors_done = true);

    let mut seen = HashSet::new();
    for a in agents {
        let board = a.await.unwrap();
        assert!(board.errors.is_empty(), "errors: {:?}", board.errors);
        assert!(
            board.older.is_empty(),
            "summaries older than held: {:?}",
            board.older
        );
        seen.extend(board.open.keys().cloned());
        eprintln!(
            "view settled: {} open conversations, {} snapshots",
            board.open.len(),
            board.snapshots
        );
    }
    // Agents see the site's whole queue: nearly everything is still open.
    assert!(seen.len() >= VISITORS - 2 * RESOLVES, "{} seen", seen.len());
}

/// One visitor, on its node: hello, then (with everyone else at once)
/// five messages, each acknowledged. Owns what it needs to be spawned.
struct VisitorNode {
    ws: String,
    site_key: String,
}

impl VisitorNode {
    async fn run(self, start: Arc<Barrier>) {
        let mut ws = Ws::connect(&format!("{}/ws/visitor", self.ws), &[]).await;
        ws.send(
            json!({"type": "hello", "site": self.site_key, "origin": SITE_ORIGIN, "locale": "en"}),
        )
        .await;
        ws.expect("welcome").await;
        start.wait().await;
        for i in 0..MESSAGES {
            ws.send(send_frame(&format!("m{i}"), &format!("message {i}")))
                .await;
        }
        let mut acked = HashSet::new();
        while acked.len() < MESSAGES {
            let f = ws
                .until(|f| f["type"] == "ack" || f["type"] == "error")
                .await;
            assert_eq!(f["type"], "ack", "a send was refused: {f}");
            acked.insert(f["client_id"].as_str().unwrap().to_owned());
        }
    }
}

#[actix_web::test]
async fn every_dashboard_ends_with_the_latest_state_after_a_burst_on_one_node() {
    let node = TestServer::start_with(burst_config()).await;
    burst(std::slice::from_ref(&node)).await;
}

#[actix_web::test]
async fn every_dashboard_ends_with_the_latest_state_after_a_burst_on_two_nodes() {
    let redis = RedisServer::start().await;
    let namespace = ahlan_server::secrets::random_id("t");
    let mut nodes = Vec::new();
    for _ in 0..2 {
        let store = RedisStore::connect(&redis.url(), &namespace).await.unwrap();
        nodes.push(TestServer::start_on(burst_config(), Arc::new(store) as Arc<dyn Store>).await);
    }
    burst(&nodes).await;
}
