//! Several server nodes sharing one real Redis: what one node stores and
//! publishes, the others see.

use crate::common::*;
use ahlan_server::config::Config;
use ahlan_server::store::redis::RedisStore;
use ahlan_server::store::test_redis::RedisServer;
use ahlan_server::store::Store;
use serde_json::json;
use std::sync::Arc;

async fn node(redis: &RedisServer, namespace: &str, config: Config) -> TestServer {
    let store = RedisStore::connect(&redis.url(), namespace).await.unwrap();
    TestServer::start_on(config, Arc::new(store) as Arc<dyn Store>).await
}

#[actix_web::test]
async fn a_visitor_on_one_node_and_an_agent_on_another_chat_both_ways() {
    let redis = RedisServer::start().await;
    let namespace = ahlan_server::secrets::random_id("t");
    // Same configuration (same demo site key and admin) on both nodes.
    let config = Config::for_tests();
    let node1 = node(&redis, &namespace, config.clone()).await;
    let node2 = node(&redis, &namespace, config).await;
    assert_eq!(node1.site_key, node2.site_key);

    // Logged in through node 1, connected to node 2: the session is shared.
    let cookie = node1.login(ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let (mut agent, _) = node2.agent_socket(&cookie).await;
    agent.expect("ready").await;

    let (mut visitor, welcome) = node1.visitor().await;
    let token = welcome["token"].as_str().unwrap().to_owned();
    visitor.send(send_frame("v1", "hello from node 1")).await;
    visitor.expect("ack").await;
    assert_eq!(visitor.expect("assigned").await["agent"]["name"], "Admin");

    let conv = agent
        .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
        .await;
    let id = conv["conversation"]["id"].as_str().unwrap().to_owned();
    agent
        .send(json!({"type": "sync", "conversation": id, "after_seq": 0}))
        .await;
    assert_eq!(
        agent.expect("message").await["message"]["body"],
        "hello from node 1"
    );

    visitor
        .send(json!({"type": "typing", "typing": true}))
        .await;
    assert_eq!(agent.expect("typing").await["typing"], true);
    agent
        .send(json!({"type": "typing", "conversation": id, "typing": true}))
        .await;
    assert_eq!(visitor.expect("typing").await["typing"], true);

    agent.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "hello from node 2"})).await;
    agent.expect("ack").await;
    let m = visitor.expect("message").await;
    assert_eq!(
        (m["message"]["seq"].as_u64(), m["message"]["body"].as_str()),
        (Some(2), Some("hello from node 2"))
    );

    visitor.send(send_frame("v2", "thanks")).await;
    let m = agent.expect("message").await;
    assert_eq!(
        (m["message"]["seq"].as_u64(), m["message"]["body"].as_str()),
        (Some(3), Some("thanks"))
    );

    // The visitor moves to node 2 (no sticky sessions): same token, and
    // everything after the seq it held is replayed, once, in order.
    drop(visitor);
    let mut moved = Ws::connect(&format!("{}/ws/visitor", node2.ws), &[]).await;
    moved
        .send(json!({"type": "hello", "site": node2.site_key, "token": token, "last_seq": 1, "origin": SITE_ORIGIN}))
        .await;
    let welcome = moved.expect("welcome").await;
    assert_eq!(welcome["token"], token.as_str());
    assert_eq!(welcome["conversation"]["agent"]["name"], "Admin");
    let mut seqs = Vec::new();
    for _ in 0..2 {
        seqs.push(
            moved.expect("message").await["message"]["seq"]
                .as_u64()
                .unwrap(),
        );
    }
    assert_eq!(seqs, vec![2, 3]);
}
