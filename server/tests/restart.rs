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
                team: None,
                typing_preview: false,
                retention_days: None,
                survey_nps: false,
                time_zone: None,
                hours: None,
                offline_when_away: false,
                prechat: None,
                identity_secret: String::new(),
                identity_required: false,
                callback_after_mins: None,
                proactive: Vec::new(),
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

/// Security finding 10: the binary alone is set up for production — no
/// demo site allowing `http://localhost:*`, no `/demo` page — and the
/// first admin's generated password is printed once on stdout, never in
/// the log stream (stderr), even at the most verbose log level.
#[actix_web::test]
async fn the_binary_alone_seeds_no_demo_and_keeps_the_password_out_of_the_logs() {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
    let data = tempfile::tempdir().unwrap();
    let mut child = ahlan_command()
        .env("RUST_LOG", "trace")
        .args(["--bind", "127.0.0.1:0", "--assets-dir", "/nonexistent"])
        .arg("--data-dir")
        .arg(data.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // Drained all along, so a chatty log never blocks the server.
    let logs = tokio::spawn(async move {
        let mut all = String::new();
        let _ = stderr.read_to_string(&mut all).await;
        all
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut url, mut password) = (None, None);
    tokio::time::timeout(DEADLINE, async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let line = line.trim().to_owned();
            assert!(
                !line.starts_with("demo page:") && !line.starts_with("site key:"),
                "a demo without --demo: {line}"
            );
            if let Some(u) = line.strip_prefix("listening:") {
                url = Some(u.trim().to_owned());
            }
            if let Some(login) = line.strip_prefix("login:") {
                let (email, pw) = login.trim().split_once(" / ").expect("email / password");
                assert_eq!(email, ADMIN_EMAIL);
                password = Some(pw.to_owned());
                break;
            }
        }
    })
    .await
    .expect("the banner within the deadline");
    let (url, password) = (url.unwrap(), password.unwrap());
    assert!(password.len() >= 16, "a generated password: {password}");

    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let demo = http.get(format!("{url}/demo")).send().await.unwrap();
    assert_eq!(demo.status(), 404, "/demo without --demo");
    let res = http
        .post(format!("{url}/api/auth/login"))
        .json(&serde_json::json!({"email": ADMIN_EMAIL, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the printed login works");
    let sites: serde_json::Value = http
        .get(format!("{url}/api/sites"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sites, serde_json::json!([]), "no site was seeded");

    child.start_kill().unwrap();
    child.wait().await.unwrap();
    let logs = logs.await.unwrap();
    assert!(
        logs.contains("listening on"),
        "the log was captured (actix says where it listens): {logs}"
    );
    assert!(!logs.contains(&password), "the password is in the log");
}
