//! When to tell the server the visitor is typing: `true` at most every 3 s
//! while keys are pressed (the repeat keeps the agent's indicator alive),
//! `false` once idle for 4 s, on send, or when the draft is emptied. And,
//! on sites with the typing preview, when to send the draft itself: at most
//! every [`PREVIEW_EVERY_MS`], the latest draft last ([`PreviewThrottle`]).

use shared::limits::PREVIEW_EVERY_MS;

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

/// The draft previews of a site with the typing preview on. Times are
/// milliseconds from any fixed origin.
#[derive(Debug, Clone, Default)]
pub struct PreviewThrottle {
    /// When the last preview went out (`None`: none yet since the last
    /// send or stop).
    last_sent: Option<f64>,
    sent: String,
    /// A draft waiting for its turn.
    pending: Option<String>,
}

impl PreviewThrottle {
    /// The draft is now `text`: the preview to send now, if any (else it
    /// waits for [`PreviewThrottle::due`]).
    pub fn draft(&mut self, now: f64, text: &str) -> Option<String> {
        if text == self.sent {
            self.pending = None;
            return None;
        }
        let ready = self
            .last_sent
            .is_none_or(|t| now - t >= PREVIEW_EVERY_MS as f64);
        if ready {
            self.pending = None;
            self.last_sent = Some(now);
            self.sent = text.to_owned();
            Some(text.to_owned())
        } else {
            self.pending = Some(text.to_owned());
            None
        }
    }

    /// How long until a waiting draft may go (`None`: nothing waits).
    pub fn wait(&self, now: f64) -> Option<f64> {
        self.pending.as_ref()?;
        let since = now - self.last_sent.unwrap_or(f64::MIN);
        Some((PREVIEW_EVERY_MS as f64 - since).max(0.0))
    }

    /// A timer fired: the waiting draft, if its turn has come.
    pub fn due(&mut self, now: f64) -> Option<String> {
        if self.wait(now)? > 0.0 {
            return None;
        }
        let text = self.pending.take()?;
        self.draft(now, &text)
    }

    /// The message was sent or typing stopped: nothing waits, and the next
    /// draft goes at once.
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_go_at_most_every_interval_the_latest_last() {
        let every = PREVIEW_EVERY_MS as f64;
        let mut p = PreviewThrottle::default();
        assert_eq!(p.draft(0.0, "W").as_deref(), Some("W"), "the first at once");
        assert_eq!(p.draft(100.0, "Wh"), None);
        assert_eq!(p.draft(200.0, "Whe"), None);
        assert_eq!(p.wait(200.0), Some(every - 200.0));
        assert_eq!(p.due(every - 1.0), None, "not yet");
        assert_eq!(p.due(every).as_deref(), Some("Whe"), "the latest draft");
        assert_eq!(p.due(every + 1.0), None, "once");
        assert_eq!(p.wait(every + 1.0), None);
        // The same text again is not news; an edit back to what was sent
        // cancels the waiting one.
        assert_eq!(p.draft(3.0 * every, "Whe"), None);
        assert_eq!(p.draft(3.0 * every, "Wher").as_deref(), Some("Wher"));
        assert_eq!(p.draft(3.0 * every + 1.0, "Whe!"), None);
        assert_eq!(p.draft(3.0 * every + 2.0, "Wher"), None);
        assert_eq!(p.wait(3.0 * every + 2.0), None);
        p.clear();
        assert_eq!(p.draft(3.0 * every + 3.0, "New").as_deref(), Some("New"));
    }

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
