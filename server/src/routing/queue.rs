//! Where each waiting visitor stands: their position in their line (the
//! site's conversations for the same team) and about how long until an
//! agent takes them, from the rate that line was served lately.
//!
//! Computed once per queue change for every waiting visitor of a node
//! ([`spots`]), not once per visitor: one queue read and one read of each
//! line's service times, whatever the number of visitors waiting.

use crate::store::{QueueEntry, QueueKey};
use shared::{ConversationId, Millis};
use std::collections::HashMap;

/// Service times older than this say nothing about the wait now.
pub const WINDOW: Millis = 60 * 60 * 1000;
/// Fewer recent services than this is too little history: the wait is
/// unknown rather than a guess.
pub const MIN_SERVED: usize = 3;
/// Beyond this the estimate is a guess too: shown as unknown.
pub const MAX_ESTIMATE_SECS: u64 = 3 * 60 * 60;

/// One waiting visitor's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueSpot {
    /// 1-based position in their line.
    pub position: u32,
    /// About how long until an agent takes them, in seconds, if known.
    pub estimated_wait_secs: Option<u32>,
}

/// Every waiting conversation's place.
pub type QueueSpots = HashMap<ConversationId, QueueSpot>;

/// The estimated wait of the visitor at `position`, given when their line
/// served someone lately (`served`, any order) — see PROTOCOL.md,
/// "Estimated wait": the services of the last [`WINDOW`], n of them,
/// counted from the oldest of them to `now`, give one service every
/// `(now - oldest) / n`; the visitor waits `position` of those. A line
/// that stopped serving makes the interval grow by itself as `now` moves
/// on.
pub fn estimate(position: u32, served: &[Millis], now: Millis) -> Option<u32> {
    let recent: Vec<Millis> = served
        .iter()
        .copied()
        .filter(|t| *t <= now && now - t <= WINDOW)
        .collect();
    if recent.len() < MIN_SERVED {
        return None;
    }
    let oldest = recent.iter().min().copied()?;
    let interval_ms = (now - oldest) / recent.len() as u64;
    let secs = (interval_ms * u64::from(position)).div_ceil(1000);
    (secs <= MAX_ESTIMATE_SECS).then_some(secs as u32)
}

/// Each queued conversation's line and 1-based position in it, from the
/// queue in order.
pub fn positions(queue: &[QueueEntry]) -> Vec<(ConversationId, QueueKey, u32)> {
    let mut counts: HashMap<QueueKey, u32> = HashMap::new();
    queue
        .iter()
        .map(|e| {
            let key = e.key();
            let n = counts.entry(key.clone()).or_default();
            *n += 1;
            (e.conversation.clone(), key, *n)
        })
        .collect()
}

/// Every spot, given each line's service times.
pub fn spots(
    queue: &[QueueEntry],
    served: &HashMap<QueueKey, Vec<Millis>>,
    now: Millis,
) -> QueueSpots {
    positions(queue)
        .into_iter()
        .map(|(id, key, position)| {
            let times = served.get(&key).map_or(&[][..], |t| &t[..]);
            let spot = QueueSpot {
                position,
                estimated_wait_secs: estimate(position, times, now),
            };
            (id, spot)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{SiteId, TeamId};

    fn entry(id: &str, site: &str, team: Option<&str>) -> QueueEntry {
        QueueEntry {
            conversation: ConversationId(id.into()),
            site: SiteId(site.into()),
            team: team.map(|t| TeamId(t.into())),
            queued_at: 0,
            language: None,
            returning: None,
        }
    }

    #[test]
    fn too_little_history_is_unknown() {
        assert_eq!(estimate(1, &[], 10_000), None);
        assert_eq!(estimate(1, &[9_000, 8_000], 10_000), None);
        // Old services do not count.
        let old = [10_000, 20_000, 30_000];
        assert_eq!(estimate(1, &old, 30_000 + WINDOW + 10_001), None);
    }

    #[test]
    fn the_wait_is_the_position_times_the_recent_interval() {
        let now = 1_000_000;
        // Four services over the last 4 minutes: one a minute.
        let served = [now - 60_000, now - 120_000, now - 180_000, now - 240_000];
        assert_eq!(estimate(1, &served, now), Some(60));
        assert_eq!(estimate(3, &served, now), Some(180));
        // A line that stopped serving: the interval grows with the silence.
        assert_eq!(estimate(1, &served, now + 240_000), Some(120));
    }

    #[test]
    fn an_absurd_estimate_is_unknown() {
        let now = WINDOW;
        let served = [1, 2, 3];
        assert_eq!(estimate(1, &served, now), Some(1200));
        assert_eq!(estimate(10, &served, now), None, "over three hours");
    }

    #[test]
    fn positions_count_within_each_line() {
        let queue = [
            entry("c1", "s1", None),
            entry("c2", "s2", None),
            entry("c3", "s1", Some("t")),
            entry("c4", "s1", None),
            entry("c5", "s1", Some("t")),
        ];
        let got: Vec<(String, u32)> = positions(&queue)
            .into_iter()
            .map(|(id, _, p)| (id.to_string(), p))
            .collect();
        let want = [("c1", 1), ("c2", 1), ("c3", 1), ("c4", 2), ("c5", 2)];
        assert_eq!(
            got,
            want.iter()
                .map(|(i, p)| (i.to_string(), *p))
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn spots_carry_each_lines_estimate() {
        let now = 600_000;
        let queue = [
            entry("c1", "s1", None),
            entry("c2", "s1", None),
            entry("c3", "s2", None),
        ];
        let key = queue[0].key();
        let served = HashMap::from([(key, vec![now - 30_000, now - 60_000, now - 90_000])]);
        let spots = spots(&queue, &served, now);
        assert_eq!(
            spots[&ConversationId("c1".into())].estimated_wait_secs,
            Some(30)
        );
        assert_eq!(
            spots[&ConversationId("c2".into())].estimated_wait_secs,
            Some(60)
        );
        assert_eq!(spots[&ConversationId("c3".into())].position, 1);
        assert_eq!(
            spots[&ConversationId("c3".into())].estimated_wait_secs,
            None
        );
    }
}
