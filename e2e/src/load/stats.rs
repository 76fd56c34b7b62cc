//! Latency summaries: nearest-rank percentiles over every sample (no
//! sampling, no histogram buckets: a run holds at most a few million).

use serde_json::{json, Value};

/// Percentiles of microsecond samples, reported in milliseconds.
pub fn summary_ms(samples: &mut [u64]) -> Value {
    if samples.is_empty() {
        return json!({"count": 0});
    }
    samples.sort_unstable();
    let ms = |us: u64| (us as f64 / 1000.0 * 1000.0).round() / 1000.0;
    let sum: u64 = samples.iter().sum();
    json!({
        "count": samples.len(),
        "p50": ms(percentile(samples, 50.0)),
        "p90": ms(percentile(samples, 90.0)),
        "p99": ms(percentile(samples, 99.0)),
        "max": ms(samples[samples.len() - 1]),
        "mean": ms(sum / samples.len() as u64),
    })
}

/// Nearest-rank percentile of sorted samples.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let sorted: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&sorted, 50.0), 50);
        assert_eq!(percentile(&sorted, 99.0), 99);
        assert_eq!(percentile(&sorted, 100.0), 100);
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
    }

    #[test]
    fn summary_is_in_milliseconds() {
        let mut s = vec![3000, 1000, 2000];
        let v = summary_ms(&mut s);
        assert_eq!(v["count"], 3);
        assert_eq!(v["p50"], 2.0);
        assert_eq!(v["max"], 3.0);
        assert_eq!(summary_ms(&mut [])["count"], 0);
    }
}
