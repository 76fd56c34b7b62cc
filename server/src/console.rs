//! The site owner's console as domain operations: each change to the
//! directory (sites, agents, teams) together with what it sets off — the
//! events that keep every open dashboard and widget right, the agent's
//! conversations going back to the queue, the sessions that must end.
//! Route handlers validate input and call these; nothing here parses.

use crate::auth::hash_password;
use crate::error::ApiError;
use crate::routing::Routing;
use crate::secrets::{new_site_key, random_id};
use crate::store::{
    AgentPatch, AgentRecord, Event, Site, SitePatch, Store, StoreError, StoreResult, Team,
};
use shared::settings::Appearance;
use shared::{AgentId, ErrorCode, Presence, SiteId, TeamId};
use std::sync::Arc;

/// Console operations over a store.
#[derive(Clone)]
pub struct Console {
    store: Arc<dyn Store>,
    routing: Routing,
}

/// Hashes a password off the async threads (argon2 is slow by design).
pub async fn hash(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::code(ErrorCode::Internal))
}

impl Console {
    /// Console over `store`, routing through `routing`.
    pub fn new(store: Arc<dyn Store>, routing: Routing) -> Self {
        Self { store, routing }
    }

    // --- sites ----------------------------------------------------------------

    /// Creates a site with a fresh public key.
    pub async fn create_site(
        &self,
        name: String,
        allowed_origins: Vec<String>,
        appearance: Appearance,
    ) -> StoreResult<Site> {
        let site = Site {
            id: SiteId(random_id("s")),
            key: new_site_key(),
            name,
            allowed_origins,
            appearance,
            team: None,
            typing_preview: false,
            retention_days: None,
            survey_nps: false,
            time_zone: None,
            hours: None,
            offline_when_away: false,
            prechat: None,
            identity_secret: crate::secrets::new_identity_secret(),
            identity_required: false,
            callback_after_mins: None,
            proactive: Vec::new(),
        };
        self.store.insert_site(site.clone()).await?;
        Ok(site)
    }

    /// Deletes a site and everything in it; its open widgets are told.
    pub async fn delete_site(&self, id: &SiteId) -> StoreResult<()> {
        self.store.delete_site(id).await?;
        tracing::info!(site = %id, "site deleted");
        self.store
            .publish(Event::SiteDeleted { site: id.clone() })
            .await
    }

    /// Changes a site.
    pub async fn update_site(&self, id: &SiteId, patch: SitePatch) -> StoreResult<Site> {
        let site = self.store.update_site(id, patch).await?;
        // Its hours or offline mode may have changed: its open widgets
        // learn whether it is offline now, on every node.
        self.store
            .publish(Event::SiteChanged { site: id.clone() })
            .await?;
        Ok(site)
    }

    // --- agents ---------------------------------------------------------------

    /// Adds an agent.
    pub async fn create_agent(&self, agent: AgentRecord) -> StoreResult<AgentRecord> {
        self.store.insert_agent(agent.clone()).await?;
        tracing::info!(agent = %agent.id, "agent added");
        Ok(agent)
    }

    /// Changes an agent. A disabled agent is signed out everywhere and
    /// their conversations go back to the front of the queue; a new
    /// password signs them out everywhere but `keep` (the session that
    /// changed its own password). Their open dashboards re-read the
    /// account: a socket whose session is gone closes, the others resend
    /// what the agent may now see.
    pub async fn update_agent(
        &self,
        id: &AgentId,
        patch: AgentPatch,
        keep: Option<&str>,
    ) -> StoreResult<AgentRecord> {
        let ends_sessions = patch.ends_sessions();
        let agent = self.store.update_agent(id, patch).await?;
        if ends_sessions {
            let keep = if agent.disabled { None } else { keep };
            self.store.delete_sessions(id, keep).await?;
        }
        if agent.disabled {
            self.routing.set_presence(id, Presence::Offline).await?;
            self.routing.release_agent(id).await?;
        }
        self.changed(id).await?;
        Ok(agent)
    }

    /// Deletes an agent: their conversations go back to the front of the
    /// queue first, then the account and its sessions go.
    pub async fn delete_agent(&self, id: &AgentId) -> StoreResult<()> {
        let all = self.store.list_agents().await?;
        let Some(agent) = all.iter().find(|a| &a.id == id) else {
            return Err(StoreError::NotFound);
        };
        // Refuse before touching their chats (the store checks again).
        if agent.is_admin() && all.iter().filter(|a| a.is_admin()).count() == 1 {
            return Err(StoreError::LastAdmin);
        }
        self.routing.release_agent(id).await?;
        self.store.delete_agent(id).await?;
        tracing::info!(agent = %id, "agent deleted");
        self.changed(id).await
    }

    async fn changed(&self, id: &AgentId) -> StoreResult<()> {
        self.store
            .publish(Event::AgentChanged { agent: id.clone() })
            .await
    }

    /// A new account's password hash and record.
    pub async fn new_agent_record(
        &self,
        email: String,
        name: String,
        password: String,
        role: shared::Role,
    ) -> Result<AgentRecord, ApiError> {
        let hash = hash(password).await?;
        Ok(AgentRecord::new(
            AgentId(random_id("a")),
            &email,
            &name,
            hash,
            role,
        ))
    }

    // --- teams ----------------------------------------------------------------

    /// Creates a team.
    pub async fn create_team(&self, name: String) -> StoreResult<Team> {
        let team = Team {
            id: TeamId(random_id("t")),
            name,
        };
        self.store.insert_team(team.clone()).await?;
        Ok(team)
    }

    /// Deletes a team; agents leave it.
    pub async fn delete_team(&self, id: &TeamId) -> StoreResult<()> {
        self.store.delete_team(id).await
    }
}
