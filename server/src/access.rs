//! Who may see what: one rule, used by the agent socket (snapshots, live
//! events, sync), by REST (lists, history) and by tests.
//!
//! - admins: every conversation;
//! - supervisors: every conversation of their sites, and their own;
//! - agents: their sites' queue, and their own conversations (assigned to
//!   them now, or resolved while they had them);
//! - a disabled account: nothing.
//!
//! Callback requests ([`may_see_callback`]) follow the queue's rule: any
//! agent of the site may see and claim one.
//!
//! Help articles ([`may_write_articles`]) are the site's public answers:
//! everyone who serves the site may read them (to point visitors at
//! them); its supervisors and the admins write them.

use crate::store::AgentRecord;
use shared::{ConversationStatus, ConversationSummary, Role};

/// Whether `agent` may see `c` (its summary, messages and typing).
pub fn may_see(agent: &AgentRecord, c: &ConversationSummary) -> bool {
    if agent.disabled {
        return false;
    }
    let mine = c.agent.as_ref().is_some_and(|a| a.id == agent.id);
    let of_my_site = agent.sites.contains(&c.site);
    match agent.role {
        Role::Admin => true,
        Role::Supervisor => mine || of_my_site,
        Role::Agent => mine || (of_my_site && c.status == ConversationStatus::Queued),
    }
}

/// Whether `agent` may see (and claim) a callback request: admins every
/// one; others those of the sites they serve, and those they hold.
pub fn may_see_callback(agent: &AgentRecord, c: &shared::callback::Callback) -> bool {
    if agent.disabled {
        return false;
    }
    let mine = c.agent.as_ref().is_some_and(|a| a.id == agent.id);
    agent.role == Role::Admin || mine || agent.sites.contains(&c.site)
}

/// Whether `agent` may add, change and delete the help articles of
/// `site` (anyone who serves it may read them: [`AgentRecord::serves`]).
pub fn may_write_articles(agent: &AgentRecord, site: &shared::SiteId) -> bool {
    agent.is_admin() || (agent.role == Role::Supervisor && agent.serves(site))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(site: &str, status: ConversationStatus, agent: Option<&str>) -> ConversationSummary {
        crate::fixtures::summary("c_1", site, status, agent, 1)
    }

    fn who(id: &str, role: Role, sites: &[&str]) -> AgentRecord {
        let mut a = AgentRecord::new(id.into(), "x@y", id, String::new(), role);
        a.sites = sites.iter().map(|s| (*s).into()).collect();
        a
    }

    #[test]
    fn supervisors_of_the_site_and_admins_write_its_articles() {
        let s_a = shared::SiteId::from("s_a");
        assert!(may_write_articles(&who("boss", Role::Admin, &[]), &s_a));
        assert!(may_write_articles(
            &who("sup", Role::Supervisor, &["s_a"]),
            &s_a
        ));
        assert!(!may_write_articles(
            &who("sup", Role::Supervisor, &["s_b"]),
            &s_a
        ));
        assert!(!may_write_articles(
            &who("sara", Role::Agent, &["s_a"]),
            &s_a
        ));
        let mut gone = who("sup", Role::Supervisor, &["s_a"]);
        gone.disabled = true;
        assert!(!may_write_articles(&gone, &s_a));
    }

    #[test]
    fn agents_see_their_sites_queue_and_their_own_chats_only() {
        use ConversationStatus::*;
        let sara = who("sara", Role::Agent, &["s_a"]);
        assert!(may_see(&sara, &conv("s_a", Queued, None)));
        assert!(!may_see(&sara, &conv("s_b", Queued, None)), "another site");
        assert!(may_see(&sara, &conv("s_a", Assigned, Some("sara"))));
        assert!(may_see(&sara, &conv("s_a", Resolved, Some("sara"))));
        assert!(
            !may_see(&sara, &conv("s_a", Assigned, Some("omar"))),
            "a colleague's"
        );
        assert!(!may_see(&sara, &conv("s_a", Resolved, Some("omar"))));
    }

    #[test]
    fn supervisors_see_all_of_their_sites_admins_everything_disabled_nothing() {
        use ConversationStatus::*;
        let lead = who("lead", Role::Supervisor, &["s_a"]);
        assert!(may_see(&lead, &conv("s_a", Assigned, Some("omar"))));
        assert!(!may_see(&lead, &conv("s_b", Assigned, Some("omar"))));
        let boss = who("boss", Role::Admin, &[]);
        assert!(may_see(&boss, &conv("s_b", Assigned, Some("omar"))));
        let mut gone = who("boss", Role::Admin, &["s_a"]);
        gone.disabled = true;
        assert!(!may_see(&gone, &conv("s_a", Queued, None)));
    }
}
