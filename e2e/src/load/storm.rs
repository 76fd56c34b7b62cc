//! `storm`: every visitor drops at once (one message possibly unacked),
//! agents reply while they are gone, then all resume at once with their
//! token and last seq (on another node when there is one) and resend the
//! unacked message with its client id. Measures resume time and counts
//! every message on both sides.

use super::client::{self, open_visitor, visitor_next, Target};
use super::fleet::{open_all_visitors, start_agents, wait_for, warm_up, Agents};
use super::stats::summary_ms;
use super::tasks::{AgentCmd, Phase, Shared};
use super::wire::{self, Kind, VisitorEvent};
use anyhow::{bail, Result};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Duration;
use tokio::sync::{oneshot, watch};
use tokio::time::Instant;

/// The storm's knobs.
#[derive(Debug, Clone)]
pub struct StormOpts {
    pub visitors: usize,
    pub agents: usize,
}

/// One visitor's resume.
struct Resumed {
    /// From starting to reconnect to holding the agent's reply and the ack
    /// of the resent message.
    took: Duration,
    agent_replies: u32,
    own_replays: u32,
}

pub async fn run(t: &Target, o: &StormOpts) -> Result<Value> {
    if t.kind != Kind::Ahlan {
        bail!("storm measures Ahlan's resume; the baselines keep no history");
    }
    if o.agents == 0 || o.visitors == 0 {
        bail!("storm needs at least one visitor and one agent");
    }
    let (shared, _) = Shared::new(o.visitors);
    let (phase_tx, phase) = watch::channel(Phase::Setup);
    let agents = start_agents(t, o.agents, o.visitors.div_ceil(o.agents), &shared, &phase).await?;
    let mut visitors = open_all_visitors(t, o.visitors, o.agents).await?;
    let firsts = warm_up(t.kind, &mut visitors, &shared).await?;

    // The drop: a last message goes out and the socket dies before its ack
    // can be read, as when a phone loses its network.
    let mut resume = Vec::with_capacity(visitors.len());
    for (v, mut visitor) in visitors.into_iter().enumerate() {
        let frame = wire::visitor_send(t.kind, &format!("x{v}"), &format!("x:{v}"));
        client::send(&mut visitor.ws, frame).await?;
        drop(visitor.ws);
        let token = visitor.token.expect("ahlan visitors have tokens");
        resume.push((token, firsts[v].seq));
    }
    // While they are gone every agent answers in each conversation.
    let replies = reply_all(&agents, "r").await?;
    if replies != o.visitors {
        bail!(
            "agents acknowledged {replies} replies for {} visitors",
            o.visitors
        );
    }

    let started = Instant::now();
    let deadline = started + Duration::from_secs(120);
    let futs = resume
        .into_iter()
        .enumerate()
        .map(|(v, (token, seq))| async move {
            let began = Instant::now();
            let (mut ws, _) =
                open_visitor(t, &t.resume_base, v % o.agents, Some((token, seq))).await?;
            client::send(
                &mut ws,
                wire::visitor_send(t.kind, &format!("x{v}"), &format!("x:{v}")),
            )
            .await?;
            let (mut acked, mut agent_replies, mut own_replays) = (false, 0u32, 0u32);
            while !acked || agent_replies == 0 {
                match visitor_next(t.kind, &mut ws, deadline).await? {
                    VisitorEvent::Ack { client_id, .. } if client_id == format!("x{v}") => {
                        acked = true
                    }
                    VisitorEvent::Message {
                        from_agent: true, ..
                    } => agent_replies += 1,
                    VisitorEvent::Message {
                        from_agent: false, ..
                    } => own_replays += 1,
                    VisitorEvent::Refused { code, .. } => bail!("resend refused: {code}"),
                    _ => {}
                }
            }
            Ok::<_, anyhow::Error>((
                ws,
                Resumed {
                    took: began.elapsed(),
                    agent_replies,
                    own_replays,
                },
            ))
        });
    let resumed: Vec<_> = futures_util::future::join_all(futs)
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    let storm_secs = started.elapsed().as_secs_f64();

    // Every resent message must reach the agents exactly once.
    wait_for("agents to receive every resent message", deadline, || {
        shared
            .extra
            .lock()
            .expect("not poisoned")
            .iter()
            .filter(|b| b.starts_with("x:"))
            .count()
            >= o.visitors
    })
    .await?;
    // A closing message per conversation: anything doubled would arrive
    // before it (messages are in seq order), so reading up to it counts
    // every duplicate without waiting on a quiet period.
    reply_all(&agents, "z").await?;
    let futs = resumed.into_iter().map(|(mut ws, mut r)| async move {
        loop {
            match visitor_next(t.kind, &mut ws, deadline).await? {
                VisitorEvent::Message {
                    from_agent: true,
                    body,
                    ..
                } if body.starts_with("z:") => return Ok::<_, anyhow::Error>(r),
                VisitorEvent::Message {
                    from_agent: true, ..
                } => r.agent_replies += 1,
                VisitorEvent::Message {
                    from_agent: false, ..
                } => r.own_replays += 1,
                _ => {}
            }
        }
    });
    let resumed: Vec<Resumed> = futures_util::future::join_all(futs)
        .await
        .into_iter()
        .collect::<Result<_>>()?;
    phase_tx.send(Phase::Stop)?;
    let errors: Vec<String> = agents
        .join()
        .await?
        .into_iter()
        .flat_map(|a| a.errors)
        .take(10)
        .collect();

    let mut at_agents: HashMap<String, u32> = HashMap::new();
    for body in shared.extra.lock().expect("not poisoned").iter() {
        if body.starts_with("x:") {
            *at_agents.entry(body.clone()).or_default() += 1;
        }
    }
    let visitor_lost = resumed.iter().filter(|r| r.agent_replies == 0).count();
    let visitor_dup: u32 = resumed
        .iter()
        .map(|r| r.agent_replies.saturating_sub(1))
        .sum();
    let own_dup: u32 = resumed
        .iter()
        .map(|r| r.own_replays.saturating_sub(1))
        .sum();
    let agent_lost = o.visitors - at_agents.len();
    let agent_dup: u32 = at_agents.values().map(|c| c - 1).sum();
    let mut times: Vec<u64> = resumed.iter().map(|r| r.took.as_micros() as u64).collect();
    Ok(json!({
        "scenario": "storm",
        "visitors": o.visitors,
        "agents": o.agents,
        "cross_node": t.resume_base != t.visitor_base,
        "resume_ms": summary_ms(&mut times),
        "storm_secs": storm_secs,
        "lost": visitor_lost + agent_lost,
        "duplicated": visitor_dup + own_dup + agent_dup,
        "errors": errors,
    }))
}

/// Every agent replies in each of its conversations; the total acknowledged.
async fn reply_all(agents: &Agents, marker: &'static str) -> Result<usize> {
    let mut waits = Vec::new();
    for cmd in &agents.cmds {
        let (tx, rx) = oneshot::channel();
        cmd.send(AgentCmd::ReplyAll(marker, tx)).await?;
        waits.push(rx);
    }
    let mut total = 0;
    for w in waits {
        total += tokio::time::timeout(Duration::from_secs(60), w).await??;
    }
    Ok(total)
}
