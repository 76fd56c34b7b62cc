//! First start: the admin account and the demo site, created only when
//! missing so a restart against a persistent store changes nothing.

use crate::auth::hash_password;
use crate::config::Config;
use crate::origin;
use crate::secrets::random_id;
use crate::store::{AgentRecord, Site, Store, StoreError, StoreResult};
use shared::{AgentId, SiteId};

/// Default concurrent chats for a new agent.
pub const DEFAULT_CAPACITY: u32 = 5;

/// What seeding found or made.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The demo site.
    pub site: Site,
    /// Whether the admin account was created now (so its password is the
    /// configured one and worth printing).
    pub admin_created: bool,
}

/// Ensures the admin and the demo site exist.
pub async fn ensure(store: &dyn Store, config: &Config, public_url: &str) -> StoreResult<Seeded> {
    let admin_created = if store.agent_by_email(&config.admin_email).await?.is_none() {
        let password = config.admin_password.clone();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let agent = AgentRecord {
            id: AgentId(random_id("a")),
            email: config.admin_email.clone(),
            name: "Admin".into(),
            password_hash: hash,
            admin: true,
            capacity: DEFAULT_CAPACITY,
        };
        match store.insert_agent(agent).await {
            // Another node created it first: fine.
            Ok(()) | Err(StoreError::Conflict) => {}
            Err(e) => return Err(e),
        }
        true
    } else {
        false
    };
    let site = match store.site_by_key(&config.demo_site_key).await? {
        Some(site) => site,
        None => {
            let mut allowed_origins = config.demo_origins.clone();
            // The demo page is served by this server itself.
            if let Some(own) = origin::normalize(public_url) {
                if !allowed_origins.contains(&own) {
                    allowed_origins.push(own);
                }
            }
            let site = Site {
                id: SiteId(random_id("s")),
                key: config.demo_site_key.clone(),
                name: "Ahlan Demo".into(),
                allowed_origins,
            };
            match store.insert_site(site.clone()).await {
                Ok(()) => site,
                Err(StoreError::Conflict) => store
                    .site_by_key(&config.demo_site_key)
                    .await?
                    .ok_or(StoreError::NotFound)?,
                Err(e) => return Err(e),
            }
        }
    };
    Ok(Seeded {
        site,
        admin_created,
    })
}
