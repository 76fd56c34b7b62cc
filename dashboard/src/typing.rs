//! When the agent's `typing` frames go out. Keystrokes come many a second;
//! the visitor needs to know only "typing" (refreshed now and then so their
//! indicator does not time out) and "stopped". Plain data, driven by the
//! composer with the clock passed in.

use shared::protocol::Millis;

/// `typing: true` is sent at most this often while keys keep coming.
pub const REFRESH_MS: Millis = 3_000;

/// After this long without a keystroke, `typing: false` is sent.
pub const IDLE_MS: Millis = 4_000;

/// The throttle for one conversation's composer.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TypingThrottle {
    /// When `typing: true` was last sent; `None` when the visitor was last
    /// told "not typing".
    sent_true_at: Option<Millis>,
    last_input_at: Millis,
}

impl TypingThrottle {
    /// A keystroke: returns `Some(true)` when a frame should go out.
    pub fn input(&mut self, now: Millis) -> Option<bool> {
        self.last_input_at = now;
        match self.sent_true_at {
            Some(at) if now.saturating_sub(at) < REFRESH_MS => None,
            _ => {
                self.sent_true_at = Some(now);
                Some(true)
            }
        }
    }

    /// The idle timer fired: `Some(false)` once no key came for
    /// [`IDLE_MS`].
    pub fn idle(&mut self, now: Millis) -> Option<bool> {
        if self.sent_true_at.is_some() && now.saturating_sub(self.last_input_at) >= IDLE_MS {
            self.sent_true_at = None;
            return Some(false);
        }
        None
    }

    /// The reply was sent or the composer closed: `Some(false)` if the
    /// visitor still thinks the agent is typing.
    pub fn stop(&mut self) -> Option<bool> {
        self.sent_true_at.take().map(|_| false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn true_is_throttled_and_refreshed() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.input(1_000), Some(true));
        assert_eq!(t.input(1_500), None);
        assert_eq!(t.input(3_999), None);
        assert_eq!(t.input(4_000), Some(true));
    }

    #[test]
    fn false_after_idle_only_once() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.idle(10_000), None);
        t.input(1_000);
        t.input(2_000);
        assert_eq!(t.idle(5_999), None);
        assert_eq!(t.idle(6_000), Some(false));
        assert_eq!(t.idle(9_000), None);
        // Typing again starts over at once.
        assert_eq!(t.input(9_100), Some(true));
    }

    #[test]
    fn stop_sends_false_only_if_true_was_sent() {
        let mut t = TypingThrottle::default();
        assert_eq!(t.stop(), None);
        t.input(1);
        assert_eq!(t.stop(), Some(false));
        assert_eq!(t.stop(), None);
        assert_eq!(t.input(2), Some(true));
    }
}
