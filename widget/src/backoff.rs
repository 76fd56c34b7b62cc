//! Reconnect delays: exponential from 0.5 s, capped at 10 s, with jitter so
//! that every widget on the web does not hit a restarted server in the same
//! instant.

/// First delay's ceiling.
const BASE_MS: f64 = 500.0;
/// Longest delay.
const MAX_MS: f64 = 10_000.0;

/// Attempts since the last successful handshake.
#[derive(Debug, Clone, Default)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// Delay before the next attempt, in milliseconds. `random` is uniform in
    /// `[0, 1)`. "Equal jitter": half the ceiling is fixed so retries never
    /// collapse to zero, the other half is random.
    pub fn next_delay(&mut self, random: f64) -> u32 {
        // 2^5 × 0.5 s already passes the cap; keep the exponent small.
        let ceiling = (BASE_MS * f64::from(1u32 << self.attempt.min(5))).min(MAX_MS);
        self.attempt = self.attempt.saturating_add(1);
        let random = random.clamp(0.0, 1.0);
        (ceiling / 2.0 + random * ceiling / 2.0) as u32
    }

    /// The connection works again: start over from the shortest delay.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_half_a_second_to_ten() {
        let mut b = Backoff::default();
        let highs: Vec<u32> = (0..8).map(|_| b.next_delay(1.0)).collect();
        assert_eq!(highs, [500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
    }

    #[test]
    fn jitter_stays_within_half_to_full_ceiling() {
        let mut b = Backoff::default();
        assert_eq!(b.next_delay(0.0), 250);
        assert_eq!(b.next_delay(0.5), 750);
        b.reset();
        assert_eq!(b.next_delay(0.0), 250);
    }
}
