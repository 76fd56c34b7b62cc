//! `soak`: the same mixed session, cycle after cycle — new visitors
//! connect and chat, agents resolve every conversation, some visitors send
//! an oversized frame or a stream of garbage, everyone leaves — with the
//! server's resident memory read after each cycle. A server that gives
//! back what a session took stays flat after the first cycle (which warms
//! allocators and caches up); one that keeps per-visitor state, buffers
//! refused frames or leaks per connection grows every cycle.

use super::client::{ahlan_agents, next_text, open_agent, open_visitor, send, Target};
use super::conn::{rss_bytes, Ws};
use anyhow::{bail, Context, Result};
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::{timeout, Instant};

/// The soak's knobs.
#[derive(Debug, Clone)]
pub struct SoakOpts {
    pub cycles: usize,
    /// New visitors per cycle, each with one conversation.
    pub visitors: usize,
    /// Messages each visitor sends.
    pub messages: usize,
    pub agents: usize,
    /// Server processes whose memory counts.
    pub pids: Vec<u32>,
}

/// How long one cycle may take.
const CYCLE_DEADLINE: Duration = Duration::from_secs(120);
/// Visitors handled at once.
const CONCURRENCY: usize = 100;
/// Just over the server's 64 KiB frame limit.
const OVERSIZED: usize = 64 * 1024 + 1;

pub async fn run(t: &Target, o: &SoakOpts) -> Result<Value> {
    if o.visitors == 0 || o.messages == 0 {
        bail!("soak needs visitors and messages");
    }
    let run = format!("soak{}", std::process::id());
    let cookies = ahlan_agents(t, o.agents, 50, &run).await?;
    let resolved = Arc::new(AtomicUsize::new(0));
    let (stop_tx, stop) = watch::channel(false);
    let mut agents = Vec::new();
    for (i, cookie) in cookies.iter().enumerate() {
        let (ws, _) = open_agent(t, i, Some(cookie)).await?;
        let me = agent_id(t, cookie).await?;
        agents.push(tokio::spawn(agent(
            ws,
            me,
            o.messages as u64,
            resolved.clone(),
            stop.clone(),
        )));
    }

    let rss_start = total_rss(&o.pids)?;
    let mut rss = Vec::with_capacity(o.cycles);
    let mut cycle_secs = Vec::with_capacity(o.cycles);
    for cycle in 0..o.cycles {
        let started = Instant::now();
        let target = resolved.load(Ordering::Relaxed) + o.visitors;
        let results: Vec<Result<()>> = stream::iter(0..o.visitors)
            .map(|v| visitor(t, v, o.messages))
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        if let Some(e) = results.into_iter().find_map(Result::err) {
            return Err(e.context(format!("cycle {cycle}")));
        }
        let deadline = started + CYCLE_DEADLINE;
        while resolved.load(Ordering::Relaxed) < target {
            if Instant::now() > deadline {
                bail!(
                    "cycle {cycle}: {} of {} conversations resolved",
                    resolved.load(Ordering::Relaxed) + o.visitors - target,
                    o.visitors
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        cycle_secs.push(started.elapsed().as_secs_f64());
        // Let closed sockets be torn down before reading memory.
        tokio::time::sleep(Duration::from_millis(500)).await;
        rss.push(total_rss(&o.pids)?);
    }
    stop_tx.send(true)?;
    for a in agents {
        a.await??;
    }
    let first = rss.first().copied().unwrap_or(rss_start);
    let last = rss.last().copied().unwrap_or(first);
    Ok(json!({
        "scenario": "soak",
        "cycles": o.cycles,
        "visitors_per_cycle": o.visitors,
        "messages_per_visitor": o.messages,
        "agents": o.agents,
        "server_rss_start": rss_start,
        "server_rss_after_cycle": rss,
        "cycle_secs": cycle_secs,
        "growth_after_first_cycle_pct": (last as f64 - first as f64) / first as f64 * 100.0,
    }))
}

fn total_rss(pids: &[u32]) -> Result<u64> {
    pids.iter().map(|p| rss_bytes(*p)).sum()
}

async fn agent_id(t: &Target, cookie: &str) -> Result<String> {
    let me: Value = reqwest::Client::new()
        .get(format!("{}/api/me", t.agent_base))
        .header("Cookie", cookie)
        .send()
        .await?
        .json()
        .await?;
    me["agent"]["id"]
        .as_str()
        .map(str::to_owned)
        .context("no id in /api/me")
}

/// One dashboard: resolves each of its conversations once the visitor's
/// messages are all in, and counts them.
async fn agent(
    mut ws: Ws,
    me: String,
    messages: u64,
    resolved: Arc<AtomicUsize>,
    mut stop: watch::Receiver<bool>,
) -> Result<()> {
    let mut asked = HashSet::new();
    loop {
        let text = tokio::select! {
            _ = stop.changed() => return Ok(()),
            t = next_text(&mut ws) => t?.context("agent socket closed")?,
        };
        let f: Value = serde_json::from_str(&text)?;
        // A conversation is done when its visitor's last message is in: a
        // preview of one of mine, or a message of one the handshake synced
        // (those assigned before the socket's snapshot).
        let done = match f["type"].as_str() {
            Some("conversation") if f["conversation"]["agent"]["id"] == me.as_str() => {
                let c = &f["conversation"];
                let id = c["id"].as_str().unwrap_or_default().to_owned();
                match c["status"].as_str() {
                    Some("assigned") if c["last_seq"].as_u64() >= Some(messages) => Some(id),
                    Some("resolved") if asked.remove(&id) => {
                        resolved.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                    _ => None,
                }
            }
            Some("message") if f["message"]["seq"].as_u64() >= Some(messages) => {
                f["message"]["conversation"].as_str().map(str::to_owned)
            }
            _ => None,
        };
        if let Some(id) = done.filter(|id| asked.insert(id.clone())) {
            send(
                &mut ws,
                json!({"type": "resolve", "conversation": id}).to_string(),
            )
            .await?;
        }
    }
}

/// One visitor of a cycle: chats, and every third one also tries an
/// oversized frame and every third a stream of garbage, each on a socket
/// of its own that the server must close.
async fn visitor(t: &Target, v: usize, messages: usize) -> Result<()> {
    let (mut ws, _) = open_visitor(t, &t.visitor_base, 0, None).await?;
    for m in 0..messages {
        let frame = json!({"type": "send", "client_id": format!("s{m}"), "body": format!("soak message {m} of visitor {v}")});
        send(&mut ws, frame.to_string()).await?;
    }
    let mut acks = 0;
    while acks < messages {
        let text = timeout(CYCLE_DEADLINE, next_text(&mut ws))
            .await
            .context("waiting for acks")??
            .context("visitor socket closed")?;
        let f: Value = serde_json::from_str(&text)?;
        match f["type"].as_str() {
            Some("ack") => acks += 1,
            Some("error") => bail!("a send was refused: {f}"),
            _ => {}
        }
    }
    drop(ws);
    match v % 3 {
        1 => {
            let (mut big, _) = open_visitor(t, &t.visitor_base, 0, None).await?;
            // The server may close before the whole frame is written.
            let _ = send(&mut big, "x".repeat(OVERSIZED)).await;
            closed(&mut big).await?;
        }
        2 => {
            let (mut junk, _) = open_visitor(t, &t.visitor_base, 0, None).await?;
            for _ in 0..10 {
                if send(&mut junk, "{not json".to_owned()).await.is_err() {
                    break;
                }
            }
            closed(&mut junk).await?;
        }
        _ => {}
    }
    Ok(())
}

/// Reads until the server closes the socket.
async fn closed(ws: &mut Ws) -> Result<()> {
    loop {
        match timeout(CYCLE_DEADLINE, next_text(ws)).await {
            Err(_) => bail!("the server kept a refused socket open"),
            Ok(Ok(Some(_))) => continue,
            Ok(Ok(None) | Err(_)) => return Ok(()),
        }
    }
}
