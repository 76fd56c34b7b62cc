//! Login throttling as data the store keeps, so every node shares it. A
//! key (an account seen from one client address, or a client address) has
//! a count of recent attempts and the time of the last one; a [`Rule`]
//! says how many attempts are free in a window and how long to wait after
//! that — doubling with each further attempt, up to a cap. Both backends
//! apply [`Rule::wait`] inside one atomic step (the Redis script mirrors
//! it), counting the attempt *before* the password is checked, so a burst
//! of concurrent guesses cannot slip past the limit.

use serde::{Deserialize, Serialize};
use shared::Millis;

/// How attempts under one key are limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Attempts allowed without waiting.
    pub free: u32,
    /// The wait after the first attempt beyond `free`; it doubles with each
    /// further one.
    pub base_ms: Millis,
    /// The longest wait.
    pub cap_ms: Millis,
    /// A key untouched this long starts over.
    pub window_ms: Millis,
}

impl Rule {
    /// The wait before one more attempt may be made, given `count`
    /// attempts so far, the last at `last`; `None` when it may be made now.
    pub fn wait(&self, count: u32, last: Millis, now: Millis) -> Option<Millis> {
        let count = if now.saturating_sub(last) > self.window_ms {
            0
        } else {
            count
        };
        if count < self.free {
            return None;
        }
        let doublings = (count - self.free).min(40);
        let delay = self
            .base_ms
            .saturating_mul(1u64 << doublings)
            .min(self.cap_ms);
        let until = last.saturating_add(delay);
        (now < until).then(|| until - now)
    }

    /// The count to store after an attempt allowed at `now`.
    pub fn next_count(&self, count: u32, last: Millis, now: Millis) -> u32 {
        if now.saturating_sub(last) > self.window_ms {
            1
        } else {
            count.saturating_add(1)
        }
    }
}

/// One key and its rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limited {
    /// The key (`acct:<email>|<client>`, `client:<address>`).
    pub key: String,
    /// Its rule.
    pub rule: Rule,
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule {
        free: 3,
        base_ms: 1_000,
        cap_ms: 8_000,
        window_ms: 60_000,
    };

    #[test]
    fn free_attempts_then_doubling_waits_up_to_the_cap() {
        assert_eq!(RULE.wait(0, 0, 10), None);
        assert_eq!(RULE.wait(2, 5, 10), None);
        assert_eq!(RULE.wait(3, 100, 100), Some(1_000));
        assert_eq!(RULE.wait(3, 100, 600), Some(500));
        assert_eq!(RULE.wait(3, 100, 1_100), None);
        assert_eq!(RULE.wait(4, 100, 100), Some(2_000));
        assert_eq!(RULE.wait(5, 100, 100), Some(4_000));
        assert_eq!(RULE.wait(6, 100, 100), Some(8_000));
        assert_eq!(RULE.wait(60, 100, 100), Some(8_000), "capped, no overflow");
    }

    #[test]
    fn a_quiet_window_starts_over() {
        assert_eq!(RULE.wait(50, 0, 60_001), None);
        assert_eq!(RULE.next_count(50, 0, 60_001), 1);
        assert_eq!(RULE.next_count(2, 0, 10), 3);
    }
}
