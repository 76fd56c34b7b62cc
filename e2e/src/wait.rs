//! Waiting on conditions. A browser test that sleeps a fixed time is either
//! slow or flaky; these poll instead, and their timeout errors say what was
//! awaited and what the last attempt saw.

use std::future::Future;
use std::time::Duration;

use anyhow::{anyhow, Result};
use tokio::time::Instant;

/// How long a UI condition may take. Generous: the first page of a test
/// compiles the wasm on a two-core machine, and a timeout only costs time
/// when something is broken.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Between attempts: short enough not to slow tests, long enough not to
/// hammer chromedriver.
const INTERVAL: Duration = Duration::from_millis(100);

/// Calls `attempt` until it returns `Ok(Some(value))`, or fails once
/// `timeout` has passed. `Ok(None)` and errors both mean "not yet": while a
/// page re-renders, elements go stale and lookups fail in passing; the last
/// error is reported if time runs out.
pub async fn poll<T, F, Fut>(what: &str, timeout: Duration, mut attempt: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        let last_error = match attempt().await {
            Ok(Some(value)) => return Ok(value),
            Ok(None) => None,
            Err(err) => Some(err),
        };
        if Instant::now() >= deadline {
            return Err(match last_error {
                Some(err) => {
                    anyhow!("timed out after {timeout:?} waiting for {what}; last error: {err:#}")
                }
                None => anyhow!("timed out after {timeout:?} waiting for {what}"),
            });
        }
        tokio::time::sleep(INTERVAL).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[tokio::test(start_paused = true)]
    async fn returns_once_the_condition_holds() {
        let tries = Cell::new(0);
        let value = poll("three tries", TIMEOUT, || {
            tries.set(tries.get() + 1);
            let n = tries.get();
            async move { Ok((n == 3).then_some(n)) }
        })
        .await
        .unwrap();
        assert_eq!(value, 3);
    }

    #[tokio::test(start_paused = true)]
    async fn times_out_with_the_last_error() {
        let err = poll("never", Duration::from_secs(1), || async {
            Err::<Option<()>, _>(anyhow!("element is stale"))
        })
        .await
        .unwrap_err();
        let message = format!("{err:#}");
        assert!(message.contains("waiting for never"), "{message}");
        assert!(message.contains("element is stale"), "{message}");
    }
}
