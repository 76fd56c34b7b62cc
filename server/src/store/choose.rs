//! Which agent gets the next conversation: a pure function, so the rule is
//! unit-tested here and every backend applies the same one (the embedded
//! backend calls it; the Redis backend's Lua script mirrors it; the
//! conformance suite checks both). It lives in the store because the store
//! applies it inside its atomic steps.

use shared::{AgentId, Millis};

/// An agent that could take a conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The agent.
    pub id: AgentId,
    /// Open conversations assigned now.
    pub load: u32,
    /// Maximum open conversations.
    pub capacity: u32,
    /// When they were last given a conversation (0 if never).
    pub last_assigned: Millis,
}

/// The online agent with room and the fewest open conversations; ties go to
/// whoever was given a conversation longest ago (so a team shares the work
/// evenly), then by id so the choice is deterministic. The caller passes
/// only online agents.
pub fn choose_agent<'a>(
    candidates: impl IntoIterator<Item = &'a Candidate>,
) -> Option<&'a Candidate> {
    candidates
        .into_iter()
        .filter(|c| c.load < c.capacity)
        .min_by(|a, b| (a.load, a.last_assigned, &a.id).cmp(&(b.load, b.last_assigned, &b.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, load: u32, capacity: u32, last: Millis) -> Candidate {
        Candidate {
            id: id.into(),
            load,
            capacity,
            last_assigned: last,
        }
    }

    #[test]
    fn least_busy_with_room_wins() {
        let cands = [c("a", 2, 3, 0), c("b", 1, 3, 0), c("c", 0, 0, 0)];
        assert_eq!(choose_agent(&cands).unwrap().id.as_str(), "b");
    }

    #[test]
    fn full_agents_are_skipped() {
        let cands = [c("a", 3, 3, 0), c("b", 5, 5, 0)];
        assert!(choose_agent(&cands).is_none());
        assert!(choose_agent(&[]).is_none());
    }

    #[test]
    fn ties_go_to_longest_idle_then_id() {
        let cands = [c("a", 1, 3, 50), c("b", 1, 3, 10), c("c", 1, 3, 10)];
        assert_eq!(choose_agent(&cands).unwrap().id.as_str(), "b");
    }
}
