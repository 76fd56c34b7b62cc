//! Presence across nodes. Each node refreshes a heartbeat (with an expiry)
//! for every agent whose dashboard it holds, and sweeps for agents still
//! marked online or away whose heartbeat ran out: their node died without
//! closing the sockets. Those go offline, and after the grace period their
//! visitors go back to the front of the queue. An agent whose last tab
//! closed normally takes the same path at once ([`release_after_grace`]).

use crate::AppState;
use actix_web::web;
use shared::{AgentId, Presence};
use std::time::Duration;

/// A heartbeat stands for this many sweep intervals, so two missed
/// refreshes in a row do not take a live agent offline.
const TTL_INTERVALS: u32 = 3;

/// Refreshes this node's heartbeats and sweeps for stale agents, every
/// `config.liveness_interval`, for as long as the server runs.
pub async fn run(state: web::Data<AppState>) {
    release_orphans(&state).await;
    let every = state.config.liveness_interval;
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        beat(&state, every * TTL_INTERVALS).await;
        sweep(&state).await;
    }
}

/// At start: agents who hold conversations but are offline (the server
/// restarted, or the node that took them offline died before their grace
/// period ended) get the same grace period as an agent who just left, so
/// their visitors are not left waiting for someone who may never return.
async fn release_orphans(state: &web::Data<AppState>) {
    let agents = match state.store.list_agents().await {
        Ok(agents) => agents,
        Err(e) => return tracing::warn!(error = %e, "could not list agents at start"),
    };
    for agent in agents {
        let offline = matches!(state.store.presence(&agent.id).await, Ok(Presence::Offline));
        let holds = state.store.load(&agent.id).await.is_ok_and(|n| n > 0);
        if offline && holds {
            actix_web::rt::spawn(release_after_grace(state.clone(), agent.id));
        }
    }
}

/// Marks one agent alive (on connect, before their presence is set, so a
/// sweep never sees them online without a heartbeat).
pub async fn beat_one(state: &AppState, agent: &AgentId) {
    let ttl = state.config.liveness_interval * TTL_INTERVALS;
    if let Err(e) = state.store.heartbeat(agent, ttl).await {
        tracing::warn!(error = %e, "heartbeat failed");
    }
}

async fn beat(state: &AppState, ttl: Duration) {
    for agent in state.agents.connected() {
        if let Err(e) = state.store.heartbeat(&agent, ttl).await {
            tracing::warn!(error = %e, "heartbeat failed");
        }
    }
}

async fn sweep(state: &web::Data<AppState>) {
    let stale = match state.store.stale_agents().await {
        Ok(stale) => stale,
        Err(e) => return tracing::warn!(error = %e, "presence sweep failed"),
    };
    for agent in stale {
        tracing::info!(agent = %agent, "agent's heartbeat expired: offline");
        if let Err(e) = state.routing.set_presence(&agent, Presence::Offline).await {
            tracing::warn!(error = %e, "could not set presence");
            continue;
        }
        actix_web::rt::spawn(release_after_grace(state.clone(), agent));
    }
}

/// After an agent went offline: if they still are when the grace period
/// ends (a reload or a short network cut brings them back well within it,
/// on any node), their visitors go back to the front of the queue.
pub async fn release_after_grace(state: web::Data<AppState>, agent: AgentId) {
    tokio::time::sleep(state.config.agent_grace).await;
    match state.store.presence(&agent).await {
        Ok(Presence::Offline) => match state.routing.release_agent(&agent).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(agent = %agent, conversations = n, "agent gone: conversations re-queued")
            }
            Err(e) => tracing::warn!(error = %e, "could not re-queue a gone agent's conversations"),
        },
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not read presence"),
    }
}
