//! `idle`: hold many visitor connections that say hello and then nothing,
//! and measure what they cost the server in resident memory.

use super::client::{next_text, send, Target};
use super::conn::{redis_used_memory, rss_bytes};
use super::fleet::open_visitors;
use super::wire;
use anyhow::Result;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The idle scenario's knobs.
#[derive(Debug, Clone)]
pub struct IdleOpts {
    pub visitors: usize,
    /// How long the connections are held after the last one opened.
    pub hold_secs: f64,
    /// Server processes whose memory counts.
    pub pids: Vec<u32>,
    /// A Redis (`host:port`) whose memory counts too.
    pub redis: Option<String>,
}

fn total_rss(pids: &[u32]) -> Result<u64> {
    pids.iter().map(|p| rss_bytes(*p)).sum()
}

pub async fn run(t: &Target, o: &IdleOpts) -> Result<Value> {
    let rss_before = total_rss(&o.pids)?;
    let redis_before = match &o.redis {
        Some(addr) => Some(redis_used_memory(addr).await?),
        None => None,
    };
    let started = Instant::now();
    let opened = open_visitors(t, &t.visitor_base, o.visitors, 1).await;
    let connect_secs = started.elapsed().as_secs_f64();
    let mut failures: Vec<String> = Vec::new();
    let (stop_tx, stop) = watch::channel(false);
    let mut holders = Vec::new();
    for r in opened {
        match r {
            Ok(v) => holders.push(tokio::spawn(hold(t.kind, v.ws, stop.clone()))),
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    let connected = holders.len();
    let rss_connected = total_rss(&o.pids)?;
    tokio::time::sleep(Duration::from_secs_f64(o.hold_secs)).await;
    let rss_held = total_rss(&o.pids)?;
    let redis_after = match &o.redis {
        Some(addr) => Some(redis_used_memory(addr).await?),
        None => None,
    };
    stop_tx.send(true)?;
    let mut dropped = 0;
    for h in holders {
        if !h.await? {
            dropped += 1;
        }
    }
    let rss_after = rss_connected.max(rss_held);
    let per_conn = |before: u64, after: u64| {
        (connected > 0).then(|| after.saturating_sub(before) as f64 / connected as f64)
    };
    failures.sort();
    failures.dedup();
    failures.truncate(10);
    Ok(json!({
        "scenario": "idle",
        "visitors": o.visitors,
        "connected": connected,
        "failed": o.visitors - connected,
        "dropped_while_held": dropped,
        "connect_secs": connect_secs,
        "connects_per_sec": connected as f64 / connect_secs,
        "hold_secs": o.hold_secs,
        "server_rss_before": rss_before,
        "server_rss_after": rss_after,
        "server_bytes_per_conn": per_conn(rss_before, rss_after),
        "redis_bytes_per_conn": redis_before.zip(redis_after).and_then(|(b, a)| per_conn(b, a)),
        "errors": failures,
    }))
}

/// Keeps one socket open, answering pings, until told to stop; `false`
/// when the server closed it first.
async fn hold(kind: wire::Kind, mut ws: super::conn::Ws, mut stop: watch::Receiver<bool>) -> bool {
    loop {
        tokio::select! {
            _ = stop.changed() => return true,
            text = next_text(&mut ws) => match text {
                Ok(Some(text)) => {
                    if let Ok(wire::VisitorEvent::Reply(r)) = wire::visitor_event(kind, &text) {
                        if send(&mut ws, r).await.is_err() {
                            return false;
                        }
                    }
                }
                _ => return false,
            }
        }
    }
}
