//! When to tell the other side someone is typing: `true` at most every
//! [`TYPING_REPEAT_MS`] while keys are pressed (the repeat keeps the other
//! side's indicator alive), `false` once idle for [`TYPING_IDLE_MS`], on
//! send, or when the draft is emptied. Times are milliseconds from any
//! fixed origin, passed in.

use shared::limits::{TYPING_IDLE_MS, TYPING_REPEAT_MS};
use shared::Millis;

/// One composer's typing state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypingThrottle {
    active: bool,
    last_input: Millis,
    last_sent: Millis,
}

impl TypingThrottle {
    /// The draft changed. Returns the frame to send, if any.
    pub fn input(&mut self, now: Millis, draft_is_empty: bool) -> Option<bool> {
        if draft_is_empty {
            return self.stop();
        }
        self.last_input = now;
        if !self.active || now.saturating_sub(self.last_sent) >= TYPING_REPEAT_MS {
            self.active = true;
            self.last_sent = now;
            return Some(true);
        }
        None
    }

    /// A timer fired; returns `Some(false)` if the typist went idle.
    pub fn idle(&mut self, now: Millis) -> Option<bool> {
        if self.active && now.saturating_sub(self.last_input) >= TYPING_IDLE_MS {
            self.active = false;
            return Some(false);
        }
        None
    }

    /// The message was sent, or the composer closed: `Some(false)` if the
    /// other side still thinks someone is typing.
    pub fn stop(&mut self) -> Option<bool> {
        std::mem::take(&mut self.active).then_some(false)
    }

    /// Forgets the state without a frame: the connection went away.
    pub fn reset(&mut self) {
        self.active = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_is_throttled_and_refreshed() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.input(1_000, false), Some(true));
        assert_eq!(t.input(1_500, false), None);
        assert_eq!(t.input(1_000 + TYPING_REPEAT_MS - 1, false), None);
        assert_eq!(t.input(1_000 + TYPING_REPEAT_MS, false), Some(true));
    }

    #[test]
    fn false_after_idle_send_or_empty_and_only_once() {
        let mut t = TypingThrottle::default();
        t.input(0, false);
        assert_eq!(t.idle(TYPING_IDLE_MS - 1), None);
        assert_eq!(t.idle(TYPING_IDLE_MS), Some(false));
        assert_eq!(t.idle(TYPING_IDLE_MS * 2), None);
        t.input(10_000, false);
        assert_eq!(t.stop(), Some(false));
        assert_eq!(t.stop(), None);
        t.input(20_000, false);
        assert_eq!(t.input(20_100, true), Some(false), "an emptied draft");
        t.input(30_000, false);
        t.reset();
        assert_eq!(t.stop(), None, "reset sends nothing");
    }
}
