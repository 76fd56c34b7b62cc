//! Auto-away: an online agent who has not touched the dashboard (keys,
//! pointer, touch, wheel) for the configured time is set away, so routing
//! stops giving them chats they are not there to see; their next input
//! sets them online again — but only if it was this that set them away. A
//! presence the agent chose stays theirs. Plain code, tested natively; the
//! desk feeds it inputs and clock ticks.

use shared::protocol::{Millis, Presence};

/// The auto-away state of one dashboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoAway {
    /// Idle time before going away; 0 never.
    idle_ms: Millis,
    last_input: Millis,
    /// True while the current `away` was set by this, not by the agent.
    set_away: bool,
}

impl AutoAway {
    /// Starts counting from `now` (opening the dashboard is an input).
    pub fn new(idle_secs: u64, now: Millis) -> Self {
        Self {
            idle_ms: idle_secs.saturating_mul(1000),
            last_input: now,
            set_away: false,
        }
    }

    /// The agent did something at `now`: the presence to switch to, if
    /// they were away only because they were idle.
    pub fn input(&mut self, now: Millis) -> Option<Presence> {
        self.last_input = now;
        if std::mem::take(&mut self.set_away) {
            return Some(Presence::Online);
        }
        None
    }

    /// The clock at `now`, with the agent's presence: `away` when they are
    /// online and have been idle long enough.
    pub fn tick(&mut self, now: Millis, presence: Option<Presence>) -> Option<Presence> {
        let idle = now.saturating_sub(self.last_input);
        if self.idle_ms == 0 || presence != Some(Presence::Online) || idle < self.idle_ms {
            return None;
        }
        self.set_away = true;
        Some(Presence::Away)
    }

    /// The agent chose a presence themselves: an input no longer undoes it.
    pub fn chosen(&mut self) {
        self.set_away = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Millis = 60_000;

    #[test]
    fn idle_online_agents_go_away_and_come_back_at_their_next_input() {
        let mut a = AutoAway::new(600, 0);
        assert_eq!(a.tick(9 * MIN, Some(Presence::Online)), None);
        a.input(9 * MIN);
        assert_eq!(
            a.tick(18 * MIN, Some(Presence::Online)),
            None,
            "the input reset it"
        );
        assert_eq!(
            a.tick(19 * MIN, Some(Presence::Online)),
            Some(Presence::Away)
        );
        // Away now: no second switch.
        assert_eq!(a.tick(30 * MIN, Some(Presence::Away)), None);
        assert_eq!(a.input(31 * MIN), Some(Presence::Online));
        assert_eq!(a.input(31 * MIN + 1), None, "once");
        assert_eq!(a.tick(35 * MIN, Some(Presence::Online)), None);
    }

    #[test]
    fn a_presence_the_agent_chose_stays_theirs() {
        let mut a = AutoAway::new(60, 0);
        // They went away themselves: idle time changes nothing, and their
        // next input does not bring them back online.
        assert_eq!(a.tick(5 * MIN, Some(Presence::Away)), None);
        assert_eq!(a.input(6 * MIN), None);
        // Auto-away, then they pick a presence by hand before any input.
        assert_eq!(
            a.tick(8 * MIN, Some(Presence::Online)),
            Some(Presence::Away)
        );
        a.chosen();
        assert_eq!(a.input(9 * MIN), None);
    }

    #[test]
    fn zero_means_never() {
        let mut a = AutoAway::new(0, 0);
        assert_eq!(a.tick(1_000 * MIN, Some(Presence::Online)), None);
    }
}
