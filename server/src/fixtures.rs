//! Values for unit tests (compiled only for them).

use shared::{AgentPublic, ConversationStatus, ConversationSummary, VisitorInfo};

/// A conversation of site `site` with no messages, at `version`.
pub fn summary(
    id: &str,
    site: &str,
    status: ConversationStatus,
    agent: Option<&str>,
    version: u64,
) -> ConversationSummary {
    ConversationSummary {
        id: id.into(),
        site: site.into(),
        status,
        agent: agent.map(|a| AgentPublic {
            id: a.into(),
            name: a.into(),
        }),
        team: None,
        visitor_read: 0,
        agent_read: 0,
        visitor: VisitorInfo {
            id: "v_1".into(),
            locale: None,
            origin: None,
        },
        created_at: 0,
        queued_at: None,
        last_seq: 0,
        last_message: None,
        version,
        rating: None,
    }
}
