//! A real server on 127.0.0.1:0 plus websocket and HTTP clients with
//! deadlines (no fixed sleeps).

use ahlan_server::auth::hash_password;
use ahlan_server::config::Config;
use ahlan_server::store::{embedded::EmbeddedStore, AgentRecord, Site, Store};
use ahlan_server::{run, seed, AppState};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use shared::{AgentId, Presence, SiteId};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

pub const DEADLINE: Duration = Duration::from_secs(10);
pub const ADMIN_EMAIL: &str = "admin@ahlan.local";
pub const ADMIN_PASSWORD: &str = "test-password";
pub const SITE_ORIGIN: &str = "http://127.0.0.1:5555";

/// The test configuration with more flags (`--bind 127.0.0.1:0`, the
/// admin password and `--demo` are always set; no assets unless
/// `--assets-dir` is given). The environment's `AHLAN_*` are ignored.
pub fn config_with(flags: &[&str]) -> Config {
    Config::for_tests_with(flags)
}

/// The real `ahlan` binary, with no `AHLAN_*` from the environment (each
/// test decides every setting), logs off unless asked.
/// A server that sends mail through the SMTP server at `url` (a test's
/// sink), as the shop's support address.
pub fn config_mailing(url: &str) -> Config {
    config_with(&[
        "--smtp-url",
        url,
        "--smtp-from",
        "Shop Support <support@shop.example>",
    ])
}

pub fn ahlan_command() -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ahlan"));
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("AHLAN_")) {
            cmd.env_remove(key);
        }
    }
    cmd.env("RUST_LOG", "warn").kill_on_drop(true);
    cmd
}

pub struct TestServer {
    /// The embedded store's data dir, removed when the server is dropped.
    _data: Option<tempfile::TempDir>,
    pub url: String,
    pub ws: String,
    pub store: Arc<dyn Store>,
    pub site_key: String,
    handle: actix_web::dev::ServerHandle,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(Config::for_tests()).await
    }

    /// A server with its own embedded store in a fresh temp data dir.
    pub async fn start_with(config: Config) -> Self {
        let (store, dir) = EmbeddedStore::open_temp();
        let mut server = Self::start_on(config, Arc::new(store)).await;
        server._data = Some(dir);
        server
    }

    /// A node over a given store (several nodes may share one).
    pub async fn start_on(config: Config, store: Arc<dyn Store>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let public_url = config.public_url(addr);
        let seeded = seed::ensure(&*store, &config, &public_url).await.unwrap();
        let site_key = seeded.demo_site.expect("test configs use --demo").key;
        let state =
            AppState::new(config.clone(), store.clone(), addr).with_demo(Some(site_key.clone()));
        let server = run(listener, state).unwrap();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Self {
            _data: None,
            url: format!("http://{addr}"),
            ws: format!("ws://{addr}"),
            store,
            site_key,
            handle,
        }
    }

    /// Adds an agent of the demo site who can log in with `agent-password`.
    pub async fn add_agent(&self, name: &str, capacity: u32) -> AgentRecord {
        self.add_staff(name, capacity, shared::Role::Agent).await
    }

    /// Adds a supervisor of the demo site, like [`TestServer::add_agent`].
    pub async fn add_supervisor(&self, name: &str) -> AgentRecord {
        self.add_staff(name, 3, shared::Role::Supervisor).await
    }

    async fn add_staff(&self, name: &str, capacity: u32, role: shared::Role) -> AgentRecord {
        let mut record = AgentRecord::new(
            AgentId(format!("a_{name}")),
            &format!("{}@example.com", name.to_lowercase()),
            name,
            hash_password("agent-password"),
            role,
        );
        record.capacity = capacity;
        record.sites = vec![SiteId(ahlan_server::seed::DEMO_SITE_ID.into())];
        self.store.insert_agent(record.clone()).await.unwrap();
        record
    }

    /// `email`'s dashboard socket, ready, and a visitor whose "hello" it
    /// was given: (agent socket, visitor socket, conversation id).
    pub async fn chat_with(&self, email: &str) -> (Ws, Ws, String) {
        let cookie = self.login(email, "agent-password").await;
        let (mut agent, _) = self.agent_socket(&cookie).await;
        agent.expect("ready").await;
        let (mut visitor, _) = self.visitor().await;
        visitor.send(send_frame("v1", "hello")).await;
        visitor.expect("assigned").await;
        let conv = agent
            .until(|f| f["type"] == "conversation" && f["conversation"]["status"] == "assigned")
            .await;
        let id = conv["conversation"]["id"].as_str().unwrap().to_owned();
        (agent, visitor, id)
    }

    /// An agent of a second site (made with [`TestServer::add_site`] from
    /// `site_key`) only, like [`TestServer::add_agent`].
    pub async fn add_agent_of(&self, name: &str, site_key: &str) -> AgentRecord {
        let agent = self.add_agent(name, 3).await;
        let patch = ahlan_server::store::AgentPatch {
            sites: Some(vec![SiteId(format!("s_{site_key}"))]),
            ..Default::default()
        };
        self.store.update_agent(&agent.id, patch).await.unwrap()
    }

    /// A second site, allowing only `origin`.
    pub async fn add_site(&self, key: &str, origin: &str) {
        self.store
            .insert_site(Site {
                id: SiteId(format!("s_{key}")),
                key: key.to_owned(),
                name: key.to_owned(),
                allowed_origins: vec![origin.to_owned()],
                appearance: Default::default(),
                team: None,
                typing_preview: false,
                retention_days: None,
                survey_nps: false,
                time_zone: None,
                hours: None,
                offline_when_away: false,
                prechat: None,
                identity_secret: ahlan_server::secrets::new_identity_secret(),
                identity_required: false,
                callback_after_mins: None,
                proactive: Vec::new(),
            })
            .await
            .unwrap();
    }

    /// Logs in by REST; returns the session cookie (`name=value`).
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = reqwest::Client::new()
            .post(format!("{}/api/auth/login", self.url))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "login of {email}");
        let cookie = res
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        cookie.split(';').next().unwrap().to_owned()
    }

    pub async fn presence(&self, agent: &AgentId) -> Presence {
        self.store.presence(agent).await.unwrap()
    }

    /// A visitor socket that said hello with the demo site and origin.
    pub async fn visitor(&self) -> (Ws, Value) {
        let mut ws = Ws::connect(&format!("{}/ws/visitor", self.ws), &[]).await;
        ws.send(
            json!({"type": "hello", "site": self.site_key, "origin": SITE_ORIGIN, "locale": "en"}),
        )
        .await;
        let welcome = ws.expect("welcome").await;
        (ws, welcome)
    }

    /// A logged-in agent's socket, after its welcome.
    pub async fn agent_socket(&self, cookie: &str) -> (Ws, Value) {
        let mut ws = Ws::connect(
            &format!("{}/ws/agent", self.ws),
            &[("Cookie", cookie), ("Origin", &self.url)],
        )
        .await;
        let welcome = ws.expect("welcome").await;
        (ws, welcome)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // Not awaited: the runtime ends with the test anyway.
        drop(self.handle.stop(false));
    }
}

pub struct Ws {
    inner: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl Ws {
    pub async fn connect(url: &str, headers: &[(&str, &str)]) -> Self {
        Self::try_connect(url, headers)
            .await
            .unwrap_or_else(|e| panic!("connect {url}: {e}"))
    }

    pub async fn try_connect(
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<Self, tokio_tungstenite::tungstenite::Error> {
        let mut req = url.into_client_request().unwrap();
        for (k, v) in headers {
            let name: tokio_tungstenite::tungstenite::http::HeaderName = k.parse().unwrap();
            req.headers_mut().insert(name, v.parse().unwrap());
        }
        let (inner, _) = tokio_tungstenite::connect_async(req).await?;
        Ok(Self { inner })
    }

    pub async fn send(&mut self, frame: Value) {
        self.send_text(frame.to_string()).await;
    }

    /// Sends if the socket still can (`false` once the peer is gone).
    pub async fn try_send(&mut self, frame: Value) -> bool {
        self.inner
            .send(Message::Text(frame.to_string().into()))
            .await
            .is_ok()
    }

    pub async fn send_text(&mut self, text: String) {
        self.inner.send(Message::Text(text.into())).await.unwrap();
    }

    pub async fn send_raw(&mut self, msg: Message) {
        self.inner.send(msg).await.unwrap();
    }

    /// The next JSON frame before `deadline`: `Err` when none came by
    /// then, `Ok(None)` when the socket closed.
    pub async fn try_next_before(
        &mut self,
        deadline: tokio::time::Instant,
    ) -> Result<Option<Value>, tokio::time::error::Elapsed> {
        loop {
            let Some(msg) = tokio::time::timeout_at(deadline, self.inner.next()).await? else {
                return Ok(None);
            };
            match msg {
                Ok(Message::Text(t)) => return Ok(Some(serde_json::from_str(&t).unwrap())),
                Ok(Message::Close(_)) | Err(_) => return Ok(None),
                Ok(_) => continue,
            }
        }
    }

    /// The next JSON frame before `deadline` (pings are skipped), or `None`
    /// when closed.
    async fn next_before(&mut self, deadline: tokio::time::Instant) -> Option<Value> {
        self.try_next_before(deadline)
            .await
            .expect("no frame within the deadline")
    }

    /// Skips frames until one of type `kind` arrives.
    pub async fn expect(&mut self, kind: &str) -> Value {
        self.until(|f| f["type"] == kind).await
    }

    /// Skips frames until `pred` holds.
    pub async fn until(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        // One deadline for the whole wait: heartbeat pings must not extend it.
        let deadline = tokio::time::Instant::now() + DEADLINE;
        loop {
            match self.next_before(deadline).await {
                Some(f) if pred(&f) => return f,
                Some(_) => continue,
                None => panic!("socket closed while waiting"),
            }
        }
    }

    /// Every frame up to and including the first one for which `pred`
    /// holds: with a sentinel request whose answer is known, this proves
    /// what did (and did not) arrive before it.
    pub async fn collect_until(&mut self, pred: impl Fn(&Value) -> bool) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + DEADLINE;
        let mut seen = Vec::new();
        loop {
            match self.next_before(deadline).await {
                Some(f) => {
                    let done = pred(&f);
                    seen.push(f);
                    if done {
                        return seen;
                    }
                }
                None => panic!("socket closed while waiting; got {seen:?}"),
            }
        }
    }

    /// Sends a request that must fail with `not_found` and returns every
    /// frame received before that answer (the sentinel round-trip that ends
    /// an "exactly once" or "nothing else" check).
    pub async fn frames_before_sentinel(&mut self) -> Vec<Value> {
        self.send(json!({"type": "sync", "conversation": "c_sentinel", "after_seq": 0}))
            .await;
        let mut frames = self
            .collect_until(|f| f["type"] == "error" && f["conversation"] == "c_sentinel")
            .await;
        frames.pop();
        frames
    }

    /// The visitor socket's sentinel: a frame of an unknown type, answered
    /// with `unknown_frame` after everything before it; returns what came
    /// first.
    pub async fn visitor_frames_before_sentinel(&mut self) -> Vec<Value> {
        self.send(json!({"type": "sentinel"})).await;
        let mut frames = self
            .collect_until(|f| f["type"] == "error" && f["code"] == "unknown_frame")
            .await;
        frames.pop();
        frames
    }

    /// The next JSON frame, or the close code (`Err`) once closed (`None`
    /// when closed without a code or dropped).
    pub async fn next_or_close(&mut self) -> Result<Value, Option<u16>> {
        loop {
            let msg = tokio::time::timeout(DEADLINE, self.inner.next())
                .await
                .expect("a frame or the close within the deadline");
            match msg {
                Some(Ok(Message::Text(t))) => return Ok(serde_json::from_str(&t).unwrap()),
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// The close frame's code, skipping text frames.
    pub async fn closed_with(&mut self) -> Option<u16> {
        loop {
            let msg = tokio::time::timeout(DEADLINE, self.inner.next())
                .await
                .expect("close within the deadline");
            match msg {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return None,
            }
        }
    }
}

/// A visitor send frame.
pub fn send_frame(client_id: &str, body: &str) -> Value {
    json!({"type": "send", "client_id": client_id, "body": body})
}

/// A REST client with its own cookie jar (one logged-in browser).
pub struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    /// Not logged in.
    pub fn anonymous(server: &TestServer) -> Self {
        Self {
            http: reqwest::Client::builder()
                .cookie_store(true)
                .build()
                .unwrap(),
            base: server.url.clone(),
        }
    }

    /// Logged in as `email`.
    pub async fn login(server: &TestServer, email: &str, password: &str) -> Self {
        let api = Self::anonymous(server);
        let (status, body) = api
            .call(
                reqwest::Method::POST,
                "/api/auth/login",
                Some(json!({"email": email, "password": password})),
            )
            .await;
        assert_eq!(status, 200, "login of {email}: {body}");
        api
    }

    /// Sends a request; the status and the JSON body (`null` if none).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req.json(&body);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        let value = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        (status, value)
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.call(reqwest::Method::DELETE, path, None).await
    }
}

/// Asks `check` again (every 50 ms) until it gives something, for at most
/// [`DEADLINE`]; fails naming `what` and the last thing it saw. For state
/// the server writes in the background, where no frame says when.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, String>>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        match check().await {
            Ok(found) => return found,
            Err(seen) => assert!(
                tokio::time::Instant::now() < deadline,
                "{what} never happened; last: {seen}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The node's `/metrics` text (tests ask from this machine: no token
/// needed).
pub async fn scrape(url: &str) -> String {
    reqwest::get(format!("{url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// A visitor socket that said hello to `site_key` from `origin`.
pub async fn visitor_of(server: &TestServer, site_key: &str, origin: &str) -> (Ws, Value) {
    let mut ws = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    ws.send(json!({"type": "hello", "site": site_key, "origin": origin}))
        .await;
    let welcome = ws.expect("welcome").await;
    (ws, welcome)
}

/// A built-assets directory with tiny stand-in bundles (removed on drop):
/// enough for the pages and the asset routes, not a real app.
pub fn fake_assets() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in [
        (
            "widget/h1/ahlan_widget.js",
            "export default function init(){}",
        ),
        ("widget/h1/ahlan_widget.js.br", "BR"),
        (
            "dashboard/h2/ahlan_dashboard.js",
            "export default function init(){}",
        ),
        ("loader.js", "/* loader */"),
        ("proactive.js", "/* proactive */"),
        (
            "manifest.json",
            r#"{"widget":"widget/h1","dashboard":"dashboard/h2"}"#,
        ),
    ] {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }
    dir
}
