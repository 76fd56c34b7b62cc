//! On sites with the typing preview, when to send the draft itself: at most
//! every [`PREVIEW_EVERY_MS`], the latest draft last ([`PreviewThrottle`]).
//! (When to say "typing" at all is `client::typing`, shared with the
//! dashboard.)

use shared::limits::PREVIEW_EVERY_MS;

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
}
