//! Reconnect delays: exponential from 0.5 s, capped at 10 s, with "equal
//! jitter" — half of each delay fixed so retries never collapse to zero,
//! half random so every widget and dashboard on the web does not hit a
//! restarted server in the same instant.

/// First delay's ceiling.
pub const BASE_MS: u32 = 500;
/// Longest delay.
pub const MAX_MS: u32 = 10_000;

/// The delay before reconnect attempt `attempt` (0-based), in
/// milliseconds; `random` is uniform in `[0, 1)`.
pub fn delay_ms(attempt: u32, random: f64) -> u32 {
    // 2^5 × 0.5 s already passes the cap; keep the exponent small.
    let ceiling = (BASE_MS << attempt.min(5)).min(MAX_MS);
    let random = random.clamp(0.0, 1.0);
    ceiling / 2 + (random * f64::from(ceiling / 2)) as u32
}

/// Attempts since the last successful handshake.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    /// Delay before the next attempt, in milliseconds (see [`delay_ms`]).
    pub fn next_delay(&mut self, random: f64) -> u32 {
        let delay = delay_ms(self.attempt, random);
        self.attempt = self.attempt.saturating_add(1);
        delay
    }

    /// Attempts made since the last [`Backoff::reset`].
    pub fn attempts(&self) -> u32 {
        self.attempt
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
        assert_eq!(b.attempts(), 8);
        assert_eq!(delay_ms(u32::MAX, 1.0), 10_000, "no overflow");
    }

    #[test]
    fn jitter_stays_within_half_to_full_ceiling() {
        let mut b = Backoff::default();
        assert_eq!(b.next_delay(0.0), 250);
        assert_eq!(b.next_delay(0.5), 750);
        b.reset();
        assert_eq!(b.next_delay(0.0), 250);
        assert_eq!(
            delay_ms(3, -1.0),
            2_000,
            "out-of-range randomness is clamped"
        );
        assert_eq!(delay_ms(3, 7.0), 4_000);
    }
}
