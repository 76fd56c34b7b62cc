//! `chat`: pairs of visitors and agents; visitors send with a window in
//! flight (closed loop) or at an offered rate; every message is counted at
//! the agent, with its visitor → agent latency.

use super::client::Target;
use super::fleet::{open_all_visitors, start_agents, wait_for, warm_up};
use super::stats::summary_ms;
use super::tasks::{lost_and_duplicated, run_visitor, Phase, SendPlan, Shared};
use super::wire::Kind;
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The chat scenario's knobs.
#[derive(Debug, Clone)]
pub struct ChatOpts {
    pub pairs: usize,
    pub agents: usize,
    pub window: u32,
    /// Total offered messages per second; `None`: closed loop.
    pub rate: Option<f64>,
    pub secs: f64,
}

pub async fn run(t: &Target, o: &ChatOpts) -> Result<Value> {
    if o.agents == 0 || o.pairs == 0 || o.window == 0 {
        bail!("chat needs at least one pair, one agent and a window of 1");
    }
    let capacity = o.pairs.div_ceil(o.agents);
    let (shared, delivered) = Shared::new(o.pairs);
    let (phase_tx, phase) = watch::channel(Phase::Setup);
    let setup = Instant::now();
    let agents = start_agents(t, o.agents, capacity, &shared, &phase).await?;
    let mut visitors = open_all_visitors(t, o.pairs, o.agents).await?;
    if t.kind == Kind::Ahlan {
        // Every conversation assigned and synced before the clock starts,
        // so the measure is the message path, not routing.
        warm_up(t.kind, &mut visitors, &shared).await?;
    }
    let setup_secs = setup.elapsed().as_secs_f64();

    let plan = SendPlan {
        window: o.window,
        interval: o
            .rate
            .map(|r| Duration::from_secs_f64(o.pairs as f64 / r.max(0.001))),
    };
    let handles: Vec<_> = visitors
        .into_iter()
        .zip(delivered)
        .enumerate()
        .map(|(v, (visitor, rx))| {
            tokio::spawn(run_visitor(
                v,
                t.kind,
                visitor.ws,
                plan,
                rx,
                phase.clone(),
                shared.clone(),
            ))
        })
        .collect();

    let started = Instant::now();
    phase_tx.send(Phase::Send)?;
    tokio::time::sleep(Duration::from_secs_f64(o.secs)).await;
    let measured = started.elapsed().as_secs_f64();
    let delivered_in_window = shared.delivered_total.load(Ordering::Relaxed);
    let sent_in_window = shared.sent_total.load(Ordering::Relaxed);
    phase_tx.send(Phase::Drain)?;
    // Drain: everything sent and not refused must arrive; a bounded wait,
    // what is still missing after it counts as lost.
    let drain_deadline = Instant::now() + Duration::from_secs(15);
    // First every sender must have seen the drain: a send racing with it
    // would otherwise be missed by the count below.
    wait_for("visitors to stop sending", drain_deadline, || {
        shared.stopped_senders.load(Ordering::Relaxed) >= o.pairs
    })
    .await?;
    let drained = wait_for("in-flight messages", drain_deadline, || {
        shared.delivered_total.load(Ordering::Relaxed)
            + shared.refused_total.load(Ordering::Relaxed)
            >= shared.sent_total.load(Ordering::Relaxed)
    })
    .await
    .is_ok();
    phase_tx.send(Phase::Stop)?;

    let mut visitor_outs = Vec::with_capacity(handles.len());
    for h in handles {
        visitor_outs.push(h.await?);
    }
    let agent_outs = agents.join().await?;
    let mut latencies = Vec::new();
    let mut receipts = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    for a in agent_outs {
        latencies.extend(a.latencies_us);
        receipts.extend(a.receipts);
        errors.extend(a.errors);
    }
    let (lost, duplicated) = lost_and_duplicated(&visitor_outs, &receipts);
    let sent: u64 = visitor_outs.iter().map(|v| v.sent as u64).sum();
    let refused: u64 = visitor_outs.iter().map(|v| v.refused.len() as u64).sum();
    let skipped: u64 = visitor_outs.iter().map(|v| v.skipped).sum();
    for v in &visitor_outs {
        errors.extend(v.errors.iter().cloned());
    }
    errors.sort();
    errors.dedup();
    errors.truncate(10);
    Ok(json!({
        "scenario": "chat",
        "pairs": o.pairs,
        "agents": o.agents,
        "window": o.window,
        "offered_per_sec": o.rate,
        "secs": measured,
        "setup_secs": setup_secs,
        "sent": sent,
        "sent_per_sec": sent_in_window as f64 / measured,
        "delivered_per_sec": delivered_in_window as f64 / measured,
        "refused": refused,
        "skipped_window_full": skipped,
        "lost": lost,
        "duplicated": duplicated,
        "drained": drained,
        "latency_ms": summary_ms(&mut latencies),
        "errors": errors,
    }))
}
