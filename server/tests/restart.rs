//! Starting again on the same data: what a restart keeps, what it does for
//! chats whose agent is gone, and the data dirs it must refuse.

use crate::common::*;
use ahlan_server::store::embedded::{schema, EmbeddedStore, DB_FILE};
use ahlan_server::store::{AgentRecord, NewMessage, Site, Store};
use std::process::Stdio;
use std::sync::Arc;

/// Conversations held by an agent when the server stopped are not left
/// waiting for them forever: after the grace period they are queued again.
#[actix_web::test]
async fn chats_of_an_agent_gone_at_restart_go_back_to_the_queue() {
    let data = tempfile::tempdir().unwrap();
    let conv = {
        // The state a server left behind: Sara holds a chat.
        let store = EmbeddedStore::open(data.path()).unwrap();
        store
            .insert_site(Site {
                id: "s_demo".into(),
                key: "pk_kept".into(),
                name: "Demo".into(),
                allowed_origins: vec![],
                appearance: Default::default(),
            })
            .await
            .unwrap();
        let mut sara = AgentRecord::new(
            "a_sara".into(),
            "sara@example.com",
            "Sara",
            "x".into(),
            shared::Role::Agent,
        );
        sara.sites = vec!["s_demo".into()];
        store.insert_agent(sara.clone()).await.unwrap();
        let v = store
            .create_visitor("tok", &"s_demo".into(), None, None)
            .await
            .unwrap();
        let msg = NewMessage {
            client_id: "m1".into(),
            body: "hi".into(),
            now: 1,
        };
        let conv = store
            .append_visitor_message(&v.id, msg, u32::MAX)
            .await
            .unwrap()
            .appended
            .conversation
            .id;
        store.pick(&conv, &sara.id, 2).await.unwrap();
        conv
    };
    let store = EmbeddedStore::open(data.path()).unwrap();
    let server =
        TestServer::start_on(config_with(&["--agent-grace-secs", "0"]), Arc::new(store)).await;
    let deadline = std::time::Instant::now() + DEADLINE;
    while server
        .store
        .queue()
        .await
        .unwrap()
        .first()
        .map(|e| &e.conversation)
        != Some(&conv)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the gone agent's chat was not queued again"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Runs `ahlan` until it exits; returns its exit status and stderr.
async fn run_to_exit(args: &[&str]) -> (std::process::ExitStatus, String) {
    let out = ahlan_command()
        .args(["--bind", "127.0.0.1:0", "--assets-dir", "/nonexistent"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output();
    let out = tokio::time::timeout(DEADLINE, out)
        .await
        .expect("ahlan exits within the deadline")
        .unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[actix_web::test]
async fn data_from_a_newer_ahlan_is_refused_and_left_alone() {
    let data = tempfile::tempdir().unwrap();
    drop(EmbeddedStore::open(data.path()).unwrap());
    let db = data.path().join(DB_FILE);
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", schema::CURRENT + 1)
        .unwrap();
    drop(conn);

    let (status, stderr) = run_to_exit(&["--data-dir", data.path().to_str().unwrap()]).await;
    assert!(!status.success());
    assert!(stderr.contains("newer Ahlan"), "{stderr}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::CURRENT + 1, "untouched");
}

#[actix_web::test]
async fn an_unusable_data_dir_is_a_clear_error_not_a_panic() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let (status, stderr) = run_to_exit(&["--data-dir", file.path().to_str().unwrap()]).await;
    assert_eq!(status.code(), Some(1));
    assert!(stderr.contains("cannot use the data dir"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[actix_web::test]
async fn two_servers_cannot_share_a_data_dir() {
    let data = tempfile::tempdir().unwrap();
    let _held = EmbeddedStore::open(data.path()).unwrap();
    let (status, stderr) = run_to_exit(&["--data-dir", data.path().to_str().unwrap()]).await;
    assert!(!status.success());
    assert!(
        stderr.contains("in use by another Ahlan server"),
        "{stderr}"
    );
}
