//! `assign`: a burst of new conversations against online agents with room
//! for all of them; time from each visitor's first message to its
//! `assigned` frame.

use super::client::Target;
use super::fleet::{first_messages, open_all_visitors, start_agents, wait_for};
use super::stats::summary_ms;
use super::tasks::{Phase, Shared};
use super::wire::Kind;
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::sync::watch;
use tokio::time::Instant;

/// The assignment scenario's knobs.
#[derive(Debug, Clone)]
pub struct AssignOpts {
    pub visitors: usize,
    pub agents: usize,
}

pub async fn run(t: &Target, o: &AssignOpts) -> Result<Value> {
    if t.kind != Kind::Ahlan {
        bail!("assign measures Ahlan's routing; the baselines have none");
    }
    if o.agents == 0 || o.visitors == 0 {
        bail!("assign needs at least one visitor and one agent");
    }
    let (shared, _) = Shared::new(o.visitors);
    let (phase_tx, phase) = watch::channel(Phase::Setup);
    let agents = start_agents(t, o.agents, o.visitors.div_ceil(o.agents), &shared, &phase).await?;
    let mut visitors = open_all_visitors(t, o.visitors, o.agents).await?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(120);
    let firsts = first_messages(t.kind, &mut visitors, deadline).await?;
    let all_assigned = started.elapsed().as_secs_f64();
    // Assigned is only half of it: the agent must have the message too.
    wait_for("agents to receive every first message", deadline, || {
        shared.warm.load(Ordering::Relaxed) >= o.visitors
    })
    .await?;
    let all_at_agents = started.elapsed().as_secs_f64();
    phase_tx.send(Phase::Stop)?;
    let errors: Vec<String> = agents
        .join()
        .await?
        .into_iter()
        .flat_map(|a| a.errors)
        .take(10)
        .collect();
    let mut times: Vec<u64> = firsts
        .iter()
        .map(|f| f.to_assigned.as_micros() as u64)
        .collect();
    Ok(json!({
        "scenario": "assign",
        "visitors": o.visitors,
        "agents": o.agents,
        "to_assigned_ms": summary_ms(&mut times),
        "burst_all_assigned_secs": all_assigned,
        "burst_all_at_agents_secs": all_at_agents,
        "errors": errors,
    }))
}
