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
        let site = ensure_demo_site(store, config, public_url).await?;
        if config.demo_history > 0 {
            demo_history(store, &site.id, config.demo_history).await?;
        }
        Some(site)
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
        time_zone: None,
        hours: None,
        offline_when_away: false,
        prechat: None,
        identity_secret: crate::secrets::new_identity_secret(),
        identity_required: false,
        callback_after_mins: None,
        proactive: Vec::new(),
    };
    match store.insert_site(site.clone()).await {
        Ok(()) => Ok(site),
        // Another node created it first.
        Err(StoreError::Conflict) => store.site(&id).await?.ok_or(StoreError::NotFound),
        Err(e) => Err(e),
    }
}

/// The demo agents a made-up month is answered by.
const DEMO_AGENTS: [(&str, &str); 4] = [
    ("a_demo_leila", "Leila Ahmadi"),
    ("a_demo_omar", "Omar Haddad"),
    ("a_demo_sara", "Sara Cohen"),
    ("a_demo_james", "James Park"),
];

/// Fills the demo site's reports with `conversations` made-up ones over
/// the last 30 days ([`crate::reports::demo`]), answered by four demo
/// agents (who cannot log in: their password is random and never shown).
/// Only while the site's last 30 days hold no figures, so a restart does
/// not add a second month.
async fn demo_history(store: &dyn Store, site: &SiteId, conversations: u32) -> StoreResult<()> {
    use crate::reports::{demo, tally};
    let now = crate::clock::now_millis();
    let month = 31 * 24 * tally::HOUR;
    if !store
        .tallies(site, now.saturating_sub(month), now + tally::HOUR)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    // Nodes starting together must not both make a month.
    if !store
        .claim("demo-history", std::time::Duration::from_secs(3600))
        .await?
    {
        return Ok(());
    }
    let mut agents = Vec::new();
    for (id, name) in DEMO_AGENTS {
        let id = AgentId(id.to_owned());
        if store.agent(&id).await?.is_none() {
            let password = crate::secrets::new_password();
            let hash = tokio::task::spawn_blocking(move || hash_password(&password))
                .await
                .map_err(|e| StoreError::Unavailable(e.to_string()))?;
            let email = format!("{}@demo.ahlan.local", id.as_str());
            let mut agent = AgentRecord::new(id.clone(), &email, name, hash, Role::Agent);
            agent.sites = vec![site.clone()];
            match store.insert_agent(agent).await {
                Ok(()) | Err(StoreError::Conflict) => {}
                Err(e) => return Err(e),
            }
        }
        agents.push(id);
    }
    let plan = demo::Plan {
        conversations,
        days: 30,
        agents,
        teams: store
            .list_teams()
            .await?
            .into_iter()
            .map(|t| t.id)
            .collect(),
        seed: now,
    };
    let made = demo::fill(store, site, &plan, now).await?;
    tracing::info!(
        conversations = made.started,
        "demo site's reports filled with a made-up month (--demo-history)"
    );
    Ok(())
}
