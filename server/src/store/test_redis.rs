//! Test support: a private `redis-server` on a free port, killed on drop.
//! Used by the Redis backend's unit tests and the multi-node integration
//! tests, so both start Redis the same way. Not for production use.

use redis::Client;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::time::{sleep, Instant};

/// How long a fresh `redis-server` may take to answer.
const START_DEADLINE: Duration = Duration::from_secs(10);
/// Poll interval while waiting for a condition (not a synchronisation
/// delay: every wait has a deadline and checks the condition).
const POLL: Duration = Duration::from_millis(20);

/// A private `redis-server` on a free port, killed on drop.
pub struct RedisServer {
    /// Its port.
    pub port: u16,
    child: Child,
}

impl RedisServer {
    /// Starts one on a free port.
    pub async fn start() -> Self {
        // Another process may take the port between our probe and the
        // server's bind: try a few ports before giving up.
        for _ in 0..5 {
            let port = free_port();
            if let Some(server) = Self::start_on(port).await {
                return server;
            }
        }
        panic!("could not start redis-server");
    }

    /// Starts one on `port` (e.g. to restart it); `None` if it does not come up.
    pub async fn start_on(port: u16) -> Option<Self> {
        Self::spawn(port, None).await
    }

    /// Starts one that writes every change to an append-only file in `dir`
    /// before answering (`appendfsync always`): what it acknowledged
    /// survives a `kill -9`.
    pub async fn start_durable(dir: &Path) -> Self {
        for _ in 0..5 {
            if let Some(server) = Self::spawn(free_port(), Some(dir)).await {
                return server;
            }
        }
        panic!("could not start redis-server");
    }

    /// Restarts a durable one on its port, from its files in `dir`.
    pub async fn restart_durable(port: u16, dir: &Path) -> Option<Self> {
        Self::spawn(port, Some(dir)).await
    }

    async fn spawn(port: u16, durable_dir: Option<&Path>) -> Option<Self> {
        let mut cmd = Command::new("redis-server");
        cmd.args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
        ]);
        match durable_dir {
            Some(dir) => cmd
                .args(["--appendonly", "yes", "--appendfsync", "always", "--dir"])
                .arg(dir),
            None => cmd.args(["--appendonly", "no"]),
        };
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server is installed (cargo xtask test checks)");
        let mut server = Self { port, child };
        server.wait_ready().await.then_some(server)
    }

    /// Polls PING until it answers, the process exits, or the deadline.
    async fn wait_ready(&mut self) -> bool {
        let client = Client::open(self.url()).unwrap();
        let deadline = Instant::now() + START_DEADLINE;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return false;
            }
            if let Ok(mut conn) = client.get_multiplexed_async_connection().await {
                if redis::cmd("PING")
                    .query_async::<String>(&mut conn)
                    .await
                    .is_ok()
                {
                    return true;
                }
            }
            sleep(POLL).await;
        }
        false
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills it with SIGKILL (as a crash or `kill -9` would).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}
