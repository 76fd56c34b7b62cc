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
        // Conversations that waited out their language fallback meanwhile.
        if let Err(e) = state.routing.drain().await {
            tracing::warn!(error = %e, "routing the queue failed");
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::store::embedded::EmbeddedStore;
    use crate::store::{AgentRecord, NewMessage, Store};
    use crate::AppState;
    use shared::{ClientId, ConversationStatus, Role};
    use std::sync::Arc;

    /// A server state whose one agent holds one conversation, with a
    /// 60 s grace period.
    async fn agent_with_a_chat() -> (web::Data<AppState>, AgentId, tempfile::TempDir) {
        // (The conversation is the only one: `the_chat` finds it.)
        let (store, dir) = EmbeddedStore::open_temp();
        let site = crate::fixtures::site();
        store.insert_site(site).await.unwrap();
        let mut agent = AgentRecord::new("a_1".into(), "a@x.y", "Ana", String::new(), Role::Agent);
        agent.sites = vec!["s_1".into()];
        store.insert_agent(agent.clone()).await.unwrap();
        store
            .set_presence(&agent.id, Presence::Online)
            .await
            .unwrap();
        let v = store
            .create_visitor("t", &"s_1".into(), None, None)
            .await
            .unwrap();
        let msg = NewMessage {
            client_id: ClientId("m1".into()),
            body: "hi".into(),
            now: 1,
        };
        store.append_visitor_message(&v.id, msg, 10).await.unwrap();
        assert_eq!(store.drain_queue(2, 60_000).await.unwrap().len(), 1);
        let config = Config::for_tests_with(&["--agent-grace-secs", "60"]);
        let addr = "127.0.0.1:1".parse().unwrap();
        let state = web::Data::new(AppState::new(config, Arc::new(store), addr));
        (state, agent.id, dir)
    }

    async fn the_chat(state: &AppState, agent: &AgentId) -> shared::ConversationSummary {
        let mut all = Vec::new();
        for filter in [
            crate::store::ConversationFilter::Waiting,
            crate::store::ConversationFilter::AssignedTo(agent.clone()),
        ] {
            all.extend(state.store.list_conversations(filter).await.unwrap());
        }
        assert_eq!(all.len(), 1);
        all.remove(0)
    }

    // Presence lives in memory in the embedded store, so flipping it does
    // not wait on the writer thread: the paused clock only moves when told.
    #[tokio::test(start_paused = true)]
    async fn an_agent_back_within_the_grace_period_keeps_their_chats() {
        let (state, agent, _dir) = agent_with_a_chat().await;
        let before = the_chat(&state, &agent).await;
        state
            .store
            .set_presence(&agent, Presence::Offline)
            .await
            .unwrap();
        let release = tokio::spawn(release_after_grace(state.clone(), agent.clone()));
        tokio::time::advance(Duration::from_secs(59)).await;
        // A reload: back on line a second before the grace period ends.
        state
            .store
            .set_presence(&agent, Presence::Online)
            .await
            .unwrap();
        tokio::time::advance(Duration::from_secs(2)).await;
        release.await.unwrap();
        // Untouched: not even re-queued and handed back (same version).
        assert_eq!(the_chat(&state, &agent).await, before);
    }

    #[tokio::test(start_paused = true)]
    async fn an_agent_gone_past_the_grace_period_loses_their_chats_to_the_queue() {
        let (state, agent, _dir) = agent_with_a_chat().await;
        state
            .store
            .set_presence(&agent, Presence::Offline)
            .await
            .unwrap();
        let release = tokio::spawn(release_after_grace(state.clone(), agent.clone()));
        tokio::time::advance(Duration::from_secs(59)).await;
        tokio::task::yield_now().await;
        assert!(
            !release.is_finished(),
            "released before the grace period ended"
        );
        assert_eq!(state.store.load(&agent).await.unwrap(), 1);
        tokio::time::advance(Duration::from_secs(1)).await;
        release.await.unwrap();
        assert_eq!(
            the_chat(&state, &agent).await.status,
            ConversationStatus::Queued
        );
        assert_eq!(state.store.load(&agent).await.unwrap(), 0);
    }
}
