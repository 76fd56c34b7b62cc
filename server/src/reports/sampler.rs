//! Once a minute, one node (whichever claims the minute first) samples
//! what is not an event: who is online and how many chats each has open,
//! how many conversations wait and how many are open (the backlog), and
//! asks the clocks of every waiting conversation whether it is now missed.

use super::clocks::{Step, Whose};
use super::recorder::{Recorded, Recorder};
use super::tally::{field, hour_of, Counts, Dim};
use crate::store::{ConversationFilter, Store, StoreResult};
use shared::{Millis, Presence, SiteId, TeamId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// How often.
pub const EVERY: Duration = Duration::from_secs(60);

/// Runs for the life of the node.
pub async fn run(store: Arc<dyn Store>, recorder: Recorder) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = crate::clock::now_millis();
        let minute = now / 60_000;
        match store.claim(&format!("sample:{minute}"), EVERY * 2).await {
            Ok(true) => {
                if let Err(e) = sample(&*store, &recorder, now).await {
                    tracing::warn!(error = %e, "sampling report figures failed");
                }
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "sampling report figures failed"),
        }
    }
}

/// Takes one minute's sample at `now`.
pub async fn sample(store: &dyn Store, recorder: &Recorder, now: Millis) -> StoreResult<()> {
    let hour = hour_of(now);
    let sites = store.list_sites().await?;
    let mut per_site: HashMap<SiteId, Counts> = HashMap::new();
    // Waiting, per site and team; and every waiting chat's missed check.
    let mut waiting: HashMap<(SiteId, Option<TeamId>), i64> = HashMap::new();
    for entry in store.queue().await? {
        *waiting.entry((entry.site.clone(), None)).or_default() += 1;
        if let Some(team) = &entry.team {
            *waiting
                .entry((entry.site.clone(), Some(team.clone())))
                .or_default() += 1;
        }
        recorder.record(Recorded {
            conversation: entry.conversation,
            site: entry.site,
            step: Step::Swept,
            whose: Whose {
                team: entry.team,
                agent: None,
            },
            at: now,
        });
    }
    // Open, per site and team, and per agent.
    let mut open: HashMap<(SiteId, Option<TeamId>), i64> = HashMap::new();
    for agent in store.list_agents().await? {
        if agent.disabled {
            continue;
        }
        let mut mine: HashMap<SiteId, i64> = HashMap::new();
        if store.load(&agent.id).await? > 0 {
            for c in store
                .list_conversations(ConversationFilter::AssignedTo(agent.id.clone()))
                .await?
            {
                *mine.entry(c.site.clone()).or_default() += 1;
                *open.entry((c.site.clone(), None)).or_default() += 1;
                if let Some(team) = c.team {
                    *open.entry((c.site, Some(team))).or_default() += 1;
                }
            }
        }
        if store.presence(&agent.id).await? != Presence::Online {
            continue;
        }
        let dims = [Dim::Agent(agent.id.clone())];
        for site in &sites {
            if !agent.serves(&site.id) {
                continue;
            }
            let load = mine.get(&site.id).copied().unwrap_or(0);
            let counts = per_site.entry(site.id.clone()).or_default();
            counts.add(&dims, field::ONLINE, 1);
            counts.add(&dims, field::LOAD, load);
            counts.max(&dims, field::LOAD_PEAK, load);
        }
    }
    for site in &sites {
        let counts = per_site.entry(site.id.clone()).or_default();
        let mut teams: std::collections::BTreeSet<Option<TeamId>> = [None].into();
        teams.extend(
            waiting
                .keys()
                .chain(open.keys())
                .filter(|(s, t)| s == &site.id && t.is_some())
                .map(|(_, t)| t.clone()),
        );
        for team in teams {
            let key = (site.id.clone(), team.clone());
            let dim = [team.map_or(Dim::Site, Dim::Team)];
            counts.max(
                &dim,
                field::BACKLOG_WAITING,
                waiting.get(&key).copied().unwrap_or(0),
            );
            counts.max(
                &dim,
                field::BACKLOG_OPEN,
                open.get(&key).copied().unwrap_or(0),
            );
        }
    }
    for (site, counts) in per_site {
        if !counts.is_empty() {
            store.tally(&site, hour, counts.into_vec()).await?;
        }
    }
    Ok(())
}
