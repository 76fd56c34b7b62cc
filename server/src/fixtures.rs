//! Values for unit tests (compiled only for them).

use crate::store::Site;
use shared::{AgentPublic, ConversationStatus, ConversationSummary, VisitorInfo};

/// Site `s_1` ("Shop", key `pk_1`, embeddable on https://shop.example),
/// every setting at its default.
pub fn site() -> Site {
    Site {
        id: "s_1".into(),
        key: "pk_1".into(),
        name: "Shop".into(),
        allowed_origins: vec!["https://shop.example".into()],
        appearance: Default::default(),
        team: None,
        typing_preview: false,
        retention_days: None,
        survey_nps: false,
        time_zone: None,
        hours: None,
        offline_when_away: false,
        prechat: None,
        identity_secret: "shop-identity-secret".into(),
        identity_required: false,
        callback_after_mins: None,
        proactive: Vec::new(),
    }
}

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
        visitor_delivered: 0,
        agent_delivered: 0,
        visitor: VisitorInfo {
            id: "v_1".into(),
            locale: None,
            origin: None,
            name: None,
            email: None,
            attributes: Default::default(),
            user_id: None,
        },
        created_at: 0,
        queued_at: None,
        last_seq: 0,
        last_message: None,
        version,
        rating: None,
        left_message: false,
    }
}
