//! The processes a benchmark run starts: servers pinned to one core, each
//! waited for until it answers, and killed when dropped so an error in the
//! middle of a run leaves nothing behind.

use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a server may take to come up.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running process; killed (and reaped) when dropped.
pub struct Proc {
    child: Child,
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cmd` under `taskset -c <cores>`. taskset execs the program, so the pid
/// is the program's own.
pub fn pinned(cores: &str, program: &Path) -> Command {
    let mut cmd = Command::new("taskset");
    cmd.arg("-c").arg(cores).arg(program);
    cmd
}

/// A port free right now on 127.0.0.1. Servers that must know their own
/// URL before they start (Ahlan checks the dashboard's Origin against it)
/// get one of these; the window for another process to take it is small.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Starts `cmd` with stderr to `log` and waits for the `listening:` line on
/// its stdout; returns the process and the URL on that line. stdout keeps
/// being drained so a later write cannot fail with a broken pipe.
pub fn start_listening(mut cmd: Command, name: &str, log: &Path) -> Result<(Proc, String)> {
    let log_file =
        std::fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    cmd.stdout(Stdio::piped())
        .stderr(log_file)
        .stdin(Stdio::null());
    let mut child = cmd.spawn().with_context(|| format!("starting {name}"))?;
    let stdout = child.stdout.take().expect("piped");
    let proc = Proc { child };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut sent = false;
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if !sent {
                if let Some(url) = listening_url(&line) {
                    let _ = tx.send(url);
                    sent = true;
                }
            }
        }
    });
    match rx.recv_timeout(START_TIMEOUT) {
        Ok(url) => Ok((proc, url)),
        Err(_) => bail!(
            "{name} did not print `listening:` within {START_TIMEOUT:?}; see {}",
            log.display()
        ),
    }
}

/// `  listening:  http://127.0.0.1:1234` → the URL.
fn listening_url(line: &str) -> Option<String> {
    let rest = line.trim().strip_prefix("listening:")?;
    Some(rest.trim().trim_end_matches('/').to_owned())
}

/// A private redis-server on a free port, pinned, keeping nothing on disk
/// (socket.io keeps nothing either; Ahlan's durability settings are
/// measured by its fault tests, not here).
pub fn start_redis(cores: &str, log: &Path) -> Result<(Proc, String)> {
    let port = free_port()?;
    let redis = which("redis-server")?;
    let mut cmd = pinned(cores, &redis);
    cmd.args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .args(["--save", "", "--appendonly", "no", "--maxclients", "20000"]);
    let log_file = std::fs::File::create(log)?;
    cmd.stdout(log_file.try_clone()?)
        .stderr(log_file)
        .stdin(Stdio::null());
    let proc = Proc {
        child: cmd.spawn().context("starting redis-server")?,
    };
    let addr = format!("127.0.0.1:{port}");
    let deadline = Instant::now() + START_TIMEOUT;
    while TcpStream::connect(&addr).is_err() {
        if Instant::now() > deadline {
            bail!(
                "redis-server did not listen on {addr}; see {}",
                log.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((proc, addr))
}

pub fn which(name: &str) -> Result<std::path::PathBuf> {
    crate::util::find_on_path(name).with_context(|| format!("{name} is not on PATH"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_url_on_listening_lines() {
        assert_eq!(
            listening_url("  listening:  http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            listening_url("listening: http://127.0.0.1:1/").as_deref(),
            Some("http://127.0.0.1:1")
        );
        assert_eq!(listening_url("  login:  admin"), None);
    }
}
