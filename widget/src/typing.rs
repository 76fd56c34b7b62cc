//! When to tell the server the visitor is typing: `true` at most every 3 s
//! while keys are pressed (the repeat keeps the agent's indicator alive),
//! `false` once idle for 4 s, on send, or when the draft is emptied.

/// Least time between two `typing: true` frames, in milliseconds.
pub const REPEAT_MS: f64 = 3_000.0;
/// Idle time after which the visitor stopped typing, in milliseconds.
pub const IDLE_MS: f64 = 4_000.0;

/// Visitor typing state. Times are milliseconds from any fixed origin.
#[derive(Debug, Clone, Default)]
pub struct TypingThrottle {
    active: bool,
    last_input: f64,
    last_sent: f64,
}

impl TypingThrottle {
    /// The draft changed. Returns the frame to send, if any.
    pub fn input(&mut self, now: f64, draft_is_empty: bool) -> Option<bool> {
        if draft_is_empty {
            return self.stop();
        }
        self.last_input = now;
        if !self.active || now - self.last_sent >= REPEAT_MS {
            self.active = true;
            self.last_sent = now;
            return Some(true);
        }
        None
    }

    /// A timer fired; returns `Some(false)` if the visitor went idle.
    pub fn idle(&mut self, now: f64) -> Option<bool> {
        if self.active && now - self.last_input >= IDLE_MS {
            self.active = false;
            return Some(false);
        }
        None
    }

    /// The message was sent (or the connection dropped).
    pub fn stop(&mut self) -> Option<bool> {
        if self.active {
            self.active = false;
            return Some(false);
        }
        None
    }

    /// Forgets the state without a frame: the server's side went away.
    pub fn reset(&mut self) {
        self.active = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_true_and_reports_idle() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.input(0.0, false), Some(true));
        assert_eq!(t.input(1_000.0, false), None);
        assert_eq!(t.input(2_999.0, false), None);
        assert_eq!(t.input(3_000.0, false), Some(true));
        assert_eq!(t.idle(6_000.0), None);
        assert_eq!(t.idle(7_000.0), Some(false));
        assert_eq!(t.idle(9_000.0), None);
        assert_eq!(t.input(9_500.0, false), Some(true));
    }

    #[test]
    fn send_or_empty_draft_stops_once() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.stop(), None);
        t.input(0.0, false);
        assert_eq!(t.stop(), Some(false));
        assert_eq!(t.stop(), None);
        t.input(10.0, false);
        assert_eq!(t.input(20.0, true), Some(false));
        t.input(30.0, false);
        t.reset();
        assert_eq!(t.stop(), None);
    }
}
