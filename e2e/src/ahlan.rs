//! The Ahlan server under test: the real binary, started on a free port.
//!
//! The server prints its address and credentials on stdout at start
//! (ARCHITECTURE.md, "Server command line"); logs go to stderr, which is
//! copied to `<artifacts>/<test>.server.log` and kept in memory (the tail)
//! for error messages.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};
use tokio::task::JoinHandle;

use crate::paths;

/// How long the server may take to print `listening:`.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Log lines kept for error messages.
const TAIL_LINES: usize = 60;
/// The admin account the server creates at first start.
pub const ADMIN_EMAIL: &str = "admin@ahlan.local";

/// A running `ahlan`; killed when dropped.
pub struct Ahlan {
    /// Held for `kill_on_drop`.
    _child: Child,
    /// The embedded store's data dir (removed on drop); `None` with Redis.
    _data: Option<tempfile::TempDir>,
    /// `http://localhost:<port>`: the server's default public URL, and the
    /// origin browsers must use (the dashboard's socket checks it).
    pub base_url: String,
    pub port: u16,
    pub admin_email: String,
    pub admin_password: String,
    /// The demo site's public key, the one the snippet carries.
    pub site_key: String,
    tail: Arc<Mutex<VecDeque<String>>>,
    _log_copier: JoinHandle<()>,
}

/// What the nodes of one deployment share: the admin account, the demo
/// site and, for several nodes, the Redis they all use.
#[derive(Debug, Clone)]
pub struct Deployment {
    pub admin_password: String,
    pub site_key: String,
    /// `None`: each node has its own embedded store.
    pub redis_url: Option<String>,
    /// More flags for every node (a test's own settings).
    pub extra_args: Vec<String>,
}

impl Deployment {
    /// One node on its own store that sends mail through the SMTP server
    /// at `smtp_url` (a test's sink), as the shop's support address.
    pub fn mailing(smtp_url: &str) -> Self {
        let mut d = Self::new(None);
        d.extra_args = vec![
            "--smtp-url".into(),
            smtp_url.to_owned(),
            "--smtp-from".into(),
            "Shop Support <support@shop.example>".into(),
        ];
        d
    }

    /// A random admin password and demo site key.
    pub fn new(redis_url: Option<String>) -> Self {
        Self {
            admin_password: crate::random_hex(24),
            site_key: format!("pk_{}", crate::random_hex(24)),
            redis_url,
            extra_args: Vec::new(),
        }
    }
}

impl Ahlan {
    /// Starts a server with its own embedded store, a random admin password
    /// and demo site key. `name` names the log file in the artifacts
    /// directory.
    pub async fn start(name: &str) -> Result<Self> {
        Self::start_in(name, &Deployment::new(None)).await
    }

    /// Starts one node of `deployment`.
    pub async fn start_in(name: &str, deployment: &Deployment) -> Result<Self> {
        Self::launch(name, deployment, Some(paths::assets_dir()?)).await
    }

    /// Starts a server given no assets directory, from a directory of its
    /// own: it serves what was compiled into it (`--features
    /// embed-assets`), as a shipped binary does.
    pub async fn start_self_contained(name: &str) -> Result<Self> {
        Self::launch(name, &Deployment::new(None), None).await
    }

    async fn launch(name: &str, deployment: &Deployment, assets: Option<PathBuf>) -> Result<Self> {
        let bin = paths::ahlan_bin()?;
        let admin_password = deployment.admin_password.clone();
        let site_key = deployment.site_key.clone();

        let mut cmd = Command::new(&bin);
        // The test decides every setting; an AHLAN_* or REDIS_URL left in
        // the environment (the runner's own AHLAN_BIN included) must not
        // change which store or URL the server uses.
        for (key, _) in std::env::vars_os() {
            if key.to_str().is_some_and(|key| key.starts_with("AHLAN_")) {
                cmd.env_remove(key);
            }
        }
        cmd.env_remove("REDIS_URL")
            .arg("--bind")
            .arg("127.0.0.1:0")
            .arg("--admin-email")
            .arg(ADMIN_EMAIL)
            .arg("--admin-password")
            .arg(&admin_password)
            .arg("--demo")
            .arg("--demo-site-key")
            .arg(&site_key)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        cmd.args(&deployment.extra_args);
        let data = match &deployment.redis_url {
            Some(url) => {
                cmd.env("AHLAN_REDIS_URL", url);
                None
            }
            None => {
                let dir = tempfile::Builder::new()
                    .prefix("ahlan-e2e-")
                    .tempdir()
                    .context("creating a data dir")?;
                cmd.arg("--data-dir").arg(dir.path());
                Some(dir)
            }
        };
        match &assets {
            Some(dir) => {
                cmd.arg("--assets-dir").arg(dir);
            }
            // Far from the workspace, so no `target/ahlan-assets` is found
            // by accident.
            None => {
                cmd.current_dir(std::env::temp_dir());
            }
        }
        // The log is read in files and error messages, not a terminal.
        cmd.env("NO_COLOR", "1");
        if std::env::var_os("RUST_LOG").is_none() {
            cmd.env("RUST_LOG", "info");
        }
        let mut child = cmd
            .spawn()
            .with_context(|| format!("starting {}", bin.display()))?;

        let log_path = paths::artifacts_dir()?.join(format!("{name}.server.log"));
        let log = tokio::fs::File::create(&log_path)
            .await
            .with_context(|| format!("creating {}", log_path.display()))?;
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let stderr = child.stderr.take().expect("stderr is piped");
        let log_copier = tokio::spawn(copy_log(stderr, log, tail.clone()));
        let stdout = child.stdout.take().expect("stdout is piped");

        let listening =
            match tokio::time::timeout(START_TIMEOUT, read_listening(stdout, tail.clone())).await {
                Ok(Ok(url)) => url,
                Ok(Err(err)) => {
                    let status = child.wait().await.ok();
                    // Let the copier reach the end of stderr so the tail
                    // holds the server's last words.
                    let _ = tokio::time::timeout(Duration::from_secs(2), log_copier).await;
                    bail!(
                        "{} stopped before it was listening ({err:#}; exit: {}):\n{}",
                        bin.display(),
                        status.map_or("unknown".to_owned(), |s| s.to_string()),
                        tail_text(&tail)
                    );
                }
                Err(_) => bail!(
                    "{} printed no `listening:` line within {START_TIMEOUT:?}:\n{}",
                    bin.display(),
                    tail_text(&tail)
                ),
            };
        let port = port_of(&listening)
            .with_context(|| format!("reading the port of `listening: {listening}`"))?;

        Ok(Self {
            _child: child,
            _data: data,
            base_url: format!("http://localhost:{port}"),
            port,
            admin_email: ADMIN_EMAIL.to_owned(),
            admin_password,
            site_key,
            tail,
            _log_copier: log_copier,
        })
    }

    /// The embed snippet, as a site owner would paste it.
    pub fn snippet(&self) -> String {
        snippet(&self.base_url, &self.site_key)
    }

    /// The last log lines, for error messages.
    pub fn log_tail(&self) -> String {
        tail_text(&self.tail)
    }

    /// As the admin, over the REST API the console uses: `method path`
    /// with a JSON `body`; the answer's JSON (`null` for none). A refusal
    /// is an error naming the request.
    pub async fn admin_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> Result<serde_json::Value> {
        let http = reqwest::Client::new();
        let cookie = crate::load::client::login(
            &http,
            &self.base_url,
            &self.admin_email,
            &self.admin_password,
        )
        .await?;
        let res = http
            .request(method.clone(), format!("{}{path}", self.base_url))
            .header("Cookie", &cookie)
            .json(&body)
            .send()
            .await
            .with_context(|| format!("{method} {path}"))?;
        let status = res.status();
        let text = res.text().await?;
        if !status.is_success() {
            bail!("{method} {path}: {status} {text}");
        }
        if text.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path} answered {text}"))
    }
}

/// The snippet for a server at `base_url` (ARCHITECTURE.md, "Loader ↔ iframe").
pub fn snippet(base_url: &str, site_key: &str) -> String {
    format!(r#"<script async src="{base_url}/widget/loader.js" data-site="{site_key}"></script>"#)
}

/// Reads stdout until the `listening:` line and returns its URL; the rest
/// of stdout keeps being drained (into the tail) so the server never blocks
/// on a full pipe.
async fn read_listening(stdout: ChildStdout, tail: Arc<Mutex<VecDeque<String>>>) -> Result<String> {
    let mut lines = BufReader::new(stdout).lines();
    while let Some(line) = lines.next_line().await? {
        push_tail(&tail, format!("stdout: {line}"));
        if let Some(url) = line.trim().strip_prefix("listening:") {
            let url = url.trim().to_owned();
            tokio::spawn(async move {
                while let Ok(Some(line)) = lines.next_line().await {
                    push_tail(&tail, format!("stdout: {line}"));
                }
            });
            return Ok(url);
        }
    }
    bail!("stdout closed")
}

async fn copy_log(
    stderr: tokio::process::ChildStderr,
    mut log: tokio::fs::File,
    tail: Arc<Mutex<VecDeque<String>>>,
) {
    let mut lines = BufReader::new(stderr).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        // The log file is a convenience; a failed write must not end the
        // copy, or the server would block on a full stderr pipe.
        let _ = log.write_all(line.as_bytes()).await;
        let _ = log.write_all(b"\n").await;
        push_tail(&tail, line);
    }
    let _ = log.flush().await;
}

fn push_tail(tail: &Mutex<VecDeque<String>>, line: String) {
    let mut tail = tail.lock().expect("tail lock is never poisoned");
    if tail.len() == TAIL_LINES {
        tail.pop_front();
    }
    tail.push_back(line);
}

fn tail_text(tail: &Mutex<VecDeque<String>>) -> String {
    let tail = tail.lock().expect("tail lock is never poisoned");
    if tail.is_empty() {
        return "  (no output)".to_owned();
    }
    tail.iter()
        .map(|line| format!("  | {line}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `http://127.0.0.1:41234` (or with a trailing slash) → 41234.
fn port_of(url: &str) -> Option<u16> {
    url.trim_end_matches('/').rsplit(':').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_comes_from_the_listening_url() {
        assert_eq!(port_of("http://127.0.0.1:41234"), Some(41234));
        assert_eq!(port_of("http://[::1]:8080/"), Some(8080));
        assert_eq!(port_of("http://127.0.0.1"), None);
    }

    #[test]
    fn snippet_matches_the_contract() {
        assert_eq!(
            snippet("http://localhost:9", "pk_abc"),
            r#"<script async src="http://localhost:9/widget/loader.js" data-site="pk_abc"></script>"#
        );
    }
}
