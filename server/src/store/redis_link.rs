//! A node's link to Redis, with a breaker. Once a call has failed because
//! Redis could not be reached (refused, dropped, timed out), every call
//! fails at once with an error for a short while instead of each waiting on
//! reconnect attempts: a visitor's send is refused in microseconds, not a
//! second, and the socket that made it is never stalled. After the pause,
//! calls go through again; the first to fail closes the door again.
//!
//! It wraps redis-rs's `ConnectionManager` (which reconnects) as another
//! `ConnectionLike`, so every command and script of the store passes
//! through it without knowing.

use redis::aio::{ConnectionLike, ConnectionManager};
use redis::{Cmd, ErrorKind, Pipeline, RedisError, RedisFuture, RedisResult, Value};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long calls fail fast after Redis was found unreachable.
pub const PAUSE: Duration = Duration::from_millis(250);

/// The store's connection: cheap to clone, shared breaker.
#[derive(Clone)]
pub struct Link {
    conn: ConnectionManager,
    breaker: Arc<Breaker>,
}

/// When calls may go through again, as milliseconds after `epoch` (0: now).
struct Breaker {
    epoch: Instant,
    closed_from: AtomicU64,
    /// The last call found Redis unreachable.
    down: AtomicBool,
    /// Times a call reached Redis again after it was found unreachable.
    recoveries: AtomicU64,
}

impl Breaker {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn check(&self) -> RedisResult<()> {
        if self.now() < self.closed_from.load(Ordering::Acquire) {
            return Err(RedisError::from((
                ErrorKind::Io,
                "redis is unreachable (a call just failed); not trying again for a moment",
            )));
        }
        Ok(())
    }

    fn record<T>(&self, result: &RedisResult<T>) {
        match result {
            Err(e) if unreachable(e) => {
                let until = self.now() + PAUSE.as_millis() as u64;
                self.closed_from.store(until, Ordering::Release);
                self.down.store(true, Ordering::Release);
            }
            // An answer, even a refusal: Redis is there.
            _ => {
                if self.down.swap(false, Ordering::AcqRel) {
                    self.recoveries.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    }
}

/// Whether an error says Redis itself is not there (as opposed to a
/// command it refused).
fn unreachable(e: &RedisError) -> bool {
    e.is_io_error() || e.is_connection_refusal() || e.is_connection_dropped() || e.is_timeout()
}

impl Link {
    /// Wraps a connection manager.
    pub fn new(conn: ConnectionManager) -> Self {
        Self {
            conn,
            breaker: Arc::new(Breaker {
                epoch: Instant::now(),
                closed_from: AtomicU64::new(0),
                down: AtomicBool::new(false),
                recoveries: AtomicU64::new(0),
            }),
        }
    }

    /// Times this link got Redis back after losing it.
    pub fn recoveries(&self) -> u64 {
        self.breaker.recoveries.load(Ordering::Relaxed)
    }
}

impl ConnectionLike for Link {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            self.breaker.check()?;
            let result = self.conn.req_packed_command(cmd).await;
            self.breaker.record(&result);
            result
        })
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            self.breaker.check()?;
            let result = self.conn.req_packed_commands(pipeline, offset, count).await;
            self.breaker.record(&result);
            result
        })
    }

    fn get_db(&self) -> i64 {
        self.conn.get_db()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn breaker() -> Breaker {
        Breaker {
            epoch: Instant::now(),
            closed_from: AtomicU64::new(0),
            down: AtomicBool::new(false),
            recoveries: AtomicU64::new(0),
        }
    }

    fn io_error() -> RedisError {
        RedisError::from(std::io::Error::from(std::io::ErrorKind::ConnectionRefused))
    }

    #[test]
    fn an_unreachable_redis_pauses_calls_and_a_refused_command_does_not() {
        let b = breaker();
        assert!(b.check().is_ok());
        b.record::<()>(&Err(RedisError::from((ErrorKind::Client, "bad command"))));
        assert!(b.check().is_ok(), "Redis answered: it is there");
        b.record::<()>(&Err(io_error()));
        let refused = b.check().unwrap_err();
        assert!(
            unreachable(&refused),
            "the fast failure reads as unreachable too"
        );
        // After the pause, calls go through again.
        b.closed_from.store(b.now(), Ordering::Release);
        assert!(b.check().is_ok());
        // The first answer after that is a reconnect, counted once.
        assert_eq!(b.recoveries.load(Ordering::Relaxed), 0);
        b.record(&Ok(()));
        b.record(&Ok(()));
        assert_eq!(b.recoveries.load(Ordering::Relaxed), 1);
    }
}
