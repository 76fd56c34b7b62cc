//! First start: the first admin account and, with `--demo`, the demo site.
//! Each is created only when the data holds none, so a restart changes
//! nothing: the admin keeps their password (whatever they changed it to)
//! and the demo site keeps its key, so installed snippets keep working.

use crate::auth::hash_password;
use crate::config::Config;
use crate::origin;
use crate::secrets::random_id;
use crate::store::{AgentRecord, Site, Store, StoreError, StoreResult};
use shared::{AgentId, Role, SiteId};

/// Default concurrent chats for a new agent.
pub const DEFAULT_CAPACITY: u32 = 5;

/// The demo site's fixed id: how a restart finds it again, whatever key
/// it was given.
pub const DEMO_SITE_ID: &str = "s_demo";

/// What seeding found or made.
#[derive(Debug, Clone)]
pub struct Seeded {
    /// The demo site, with `--demo`.
    pub demo_site: Option<Site>,
    /// Whether the admin account was created now (so its password is the
    /// configured one and worth printing).
    pub admin_created: bool,
}

/// Ensures an admin exists and, with `--demo`, the demo site.
pub async fn ensure(store: &dyn Store, config: &Config, public_url: &str) -> StoreResult<Seeded> {
    let has_admin = store.list_agents().await?.iter().any(|a| a.is_admin());
    let admin_created = if has_admin {
        false
    } else {
        let password = config.admin_password.clone();
        let hash = tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(|e| StoreError::Unavailable(e.to_string()))?;
        let agent = AgentRecord::new(
            AgentId(random_id("a")),
            &config.admin_email,
            "Admin",
            hash,
            Role::Admin,
        );
        match store.insert_agent(agent).await {
            Ok(()) => true,
            // Another node created it first.
            Err(StoreError::Conflict) => false,
            Err(e) => return Err(e),
        }
    };
    let demo_site = if config.demo {
        Some(ensure_demo_site(store, config, public_url).await?)
    } else {
        None
    };
    Ok(Seeded {
        demo_site,
        admin_created,
    })
}

async fn ensure_demo_site(
    store: &dyn Store,
    config: &Config,
    public_url: &str,
) -> StoreResult<Site> {
    let id = SiteId(DEMO_SITE_ID.to_owned());
    if let Some(site) = store.site(&id).await? {
        return Ok(site);
    }
    let mut allowed_origins = config.demo_origins.clone();
    // The demo page is served by this server itself.
    if let Some(own) = origin::normalize(public_url) {
        if !allowed_origins.contains(&own) {
            allowed_origins.push(own);
        }
    }
    let site = Site {
        id: id.clone(),
        key: config.demo_site_key.clone(),
        name: "Ahlan Demo".into(),
        allowed_origins,
        appearance: Default::default(),
        team: None,
        typing_preview: false,
        retention_days: None,
        survey_nps: false,
    };
    match store.insert_site(site.clone()).await {
        Ok(()) => Ok(site),
        // Another node created it first.
        Err(StoreError::Conflict) => store.site(&id).await?.ok_or(StoreError::NotFound),
        Err(e) => Err(e),
    }
}
