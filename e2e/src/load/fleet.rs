//! Opening many sockets at once (bounded concurrency), spawning their
//! loops, and Ahlan's warm-up: every visitor's first message, answered by
//! an assignment.

use super::client::{self, open_agent, open_visitor, visitor_next, Target};
use super::conn::Ws;
use super::tasks::{run_agent, AgentCmd, AgentOutcome, Phase, Shared};
use super::wire::{self, AgentWire, Kind, VisitorEvent};
use anyhow::{anyhow, bail, Result};
use futures_util::stream::{self, StreamExt};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Handshakes in flight at once: enough to keep both sides busy without
/// overflowing the listen backlog.
const CONCURRENCY: usize = 128;

/// One connected visitor.
pub struct Visitor {
    pub ws: Ws,
    /// Ahlan's visitor token.
    pub token: Option<String>,
}

/// Opens `count` visitors on `base`; visitor `v` is bound to agent
/// `v % agents` (baselines). Failed handshakes come back as errors in place.
pub async fn open_visitors(
    t: &Target,
    base: &str,
    count: usize,
    agents: usize,
) -> Vec<Result<Visitor>> {
    let mut opened: Vec<(usize, Result<Visitor>)> = stream::iter(0..count)
        .map(|v| async move {
            let r = open_visitor(t, base, v % agents.max(1), None)
                .await
                .map(|(ws, token)| Visitor { ws, token });
            (v, r)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    opened.sort_by_key(|(v, _)| *v);
    opened.into_iter().map(|(_, r)| r).collect()
}

/// Opens every visitor or fails with the first error.
pub async fn open_all_visitors(t: &Target, count: usize, agents: usize) -> Result<Vec<Visitor>> {
    open_visitors(t, &t.visitor_base, count, agents)
        .await
        .into_iter()
        .collect()
}

/// Running agent loops.
pub struct Agents {
    pub handles: Vec<JoinHandle<AgentOutcome>>,
    pub cmds: Vec<mpsc::Sender<AgentCmd>>,
}

impl Agents {
    /// Waits for every loop (after [`Phase::Stop`]).
    pub async fn join(self) -> Result<Vec<AgentOutcome>> {
        let mut outs = Vec::with_capacity(self.handles.len());
        for h in self.handles {
            outs.push(h.await?);
        }
        Ok(outs)
    }
}

/// Opens `count` agents (Ahlan: added by the admin API with room for
/// `capacity` chats each, logged in, online) and starts their loops.
pub async fn start_agents(
    t: &Target,
    count: usize,
    capacity: usize,
    shared: &Arc<Shared>,
    phase: &watch::Receiver<Phase>,
) -> Result<Agents> {
    let cookies = match t.kind {
        Kind::Ahlan => {
            let run = crate::random_hex(8);
            client::ahlan_agents(t, count, capacity, &run)
                .await?
                .into_iter()
                .map(Some)
                .collect()
        }
        _ => vec![None; count],
    };
    let mut agents = Agents {
        handles: Vec::new(),
        cmds: Vec::new(),
    };
    for (i, cookie) in cookies.iter().enumerate() {
        let (ws, wire): (Ws, AgentWire) = open_agent(t, i, cookie.as_deref()).await?;
        let (tx, rx) = mpsc::channel(4);
        agents.cmds.push(tx);
        agents.handles.push(tokio::spawn(run_agent(
            ws,
            wire,
            shared.clone(),
            rx,
            phase.clone(),
        )));
    }
    Ok(agents)
}

/// What a visitor's first message got.
pub struct FirstMessage {
    /// From the send to the `assigned` frame.
    pub to_assigned: Duration,
    pub conversation: String,
    pub seq: u64,
}

/// Ahlan: every visitor sends its first message (`w:<visitor>`) at once and
/// waits for its assignment.
pub async fn first_messages(
    kind: Kind,
    visitors: &mut [Visitor],
    deadline: Instant,
) -> Result<Vec<FirstMessage>> {
    let futs = visitors
        .iter_mut()
        .enumerate()
        .map(|(v, visitor)| async move {
            let started = Instant::now();
            client::send(
                &mut visitor.ws,
                wire::visitor_send(kind, &format!("w{v}"), &format!("w:{v}")),
            )
            .await?;
            let (mut ack, mut assigned) = (None, None);
            while ack.is_none() || assigned.is_none() {
                match visitor_next(kind, &mut visitor.ws, deadline).await? {
                    VisitorEvent::Ack {
                        conversation, seq, ..
                    } => ack = Some((conversation, seq)),
                    VisitorEvent::Assigned => assigned = Some(started.elapsed()),
                    VisitorEvent::Refused { code, .. } => bail!("first message refused: {code}"),
                    _ => {}
                }
            }
            let (conversation, seq) = ack.expect("loop ends with an ack");
            Ok(FirstMessage {
                to_assigned: assigned.expect("loop ends assigned"),
                conversation,
                seq,
            })
        });
    futures_util::future::join_all(futs)
        .await
        .into_iter()
        .collect()
}

/// Ahlan's warm-up: every visitor's first message, assigned, and synced at
/// its agent (agents count the `w:` bodies they receive).
pub async fn warm_up(
    kind: Kind,
    visitors: &mut [Visitor],
    shared: &Shared,
) -> Result<Vec<FirstMessage>> {
    let deadline = Instant::now() + Duration::from_secs(120);
    let firsts = first_messages(kind, visitors, deadline).await?;
    let want = visitors.len();
    wait_for("agents to sync every conversation", deadline, || {
        shared.warm.load(std::sync::atomic::Ordering::Relaxed) >= want
    })
    .await?;
    Ok(firsts)
}

/// Polls `done` every 5 ms until it holds or `deadline` passes.
pub async fn wait_for(what: &str, deadline: Instant, done: impl Fn() -> bool) -> Result<()> {
    while !done() {
        if Instant::now() >= deadline {
            return Err(anyhow!("timed out waiting for {what}"));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Ok(())
}
