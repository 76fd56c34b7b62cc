//! Group commit: one thread owns the database's only write connection and
//! runs every write job it finds waiting in one transaction, then commits
//! once (one fsync for the lot) and only then answers each job. So an
//! acknowledged write is on disk, and durability costs one fsync per batch
//! rather than per message.
//!
//! Each job runs inside its own savepoint: a job that fails (a domain
//! refusal such as `forbidden`) is rolled back alone and the rest of the
//! batch still commits. If the commit itself fails (disk full, I/O error)
//! every job of the batch is told `unavailable` and nothing of it is kept.

use super::super::{StoreError, StoreResult};
use rusqlite::Connection;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use tokio::sync::oneshot;

/// Most jobs in one transaction: bounds the latency of the first job in a
/// batch (it waits for the whole batch to run before the commit).
const MAX_BATCH: usize = 512;

/// A write waiting for the writer thread.
trait Job: Send {
    /// Runs inside the job's savepoint; `true` keeps its changes.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller once the batch's fate is known.
    fn finish(self: Box<Self>, committed: StoreResult<()>);
}

struct Pending<T, F> {
    f: Option<F>,
    out: Option<StoreResult<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> StoreResult<T> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let Some(f) = self.f.take() else {
            return false;
        };
        let out = f(conn);
        let keep = out.is_ok();
        self.out = Some(out);
        keep
    }

    fn finish(self: Box<Self>, committed: StoreResult<()>) {
        let answer = match (committed, self.out) {
            (Err(e), _) => Err(e),
            (Ok(()), Some(out)) => out,
            (Ok(()), None) => Err(StoreError::Unavailable("the write did not run".into())),
        };
        // The caller may have gone (its connection closed): the write
        // stands regardless.
        let _ = self.reply.send(answer);
    }
}

/// The handle async code uses to submit writes; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
    commits: Arc<AtomicU64>,
}

fn stopped() -> StoreError {
    StoreError::Unavailable("the database writer stopped".into())
}

impl Writer {
    /// Starts the writer thread over `conn` (already configured and
    /// migrated). The thread ends when every `Writer` is dropped.
    pub fn start(conn: Connection) -> std::io::Result<Self> {
        let (jobs, rx) = mpsc::channel::<Box<dyn Job>>();
        let commits = Arc::new(AtomicU64::new(0));
        let counter = commits.clone();
        std::thread::Builder::new()
            .name("ahlan-sqlite-writer".into())
            .spawn(move || run(conn, rx, counter))?;
        Ok(Self { jobs, commits })
    }

    /// Runs `f` in the next batch; resolves after the batch is durable.
    /// An `Err` from `f` rolls back `f`'s own changes only.
    pub async fn write<T, F>(&self, f: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> StoreResult<T> + Send + 'static,
    {
        let (reply, rx) = oneshot::channel();
        let job = Box::new(Pending {
            f: Some(f),
            out: None,
            reply,
        });
        self.jobs.send(job).map_err(|_| stopped())?;
        rx.await.map_err(|_| stopped())?
    }

    /// Transactions committed so far (for tests and the bench).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
}

pub(super) fn sql_error(e: rusqlite::Error) -> StoreError {
    StoreError::Unavailable(format!("database: {e}"))
}

fn run(conn: Connection, rx: mpsc::Receiver<Box<dyn Job>>, commits: Arc<AtomicU64>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if run_batch(&conn, batch) {
            commits.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// One transaction for the whole batch. Returns whether it committed.
fn run_batch(conn: &Connection, batch: Vec<Box<dyn Job>>) -> bool {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let err = sql_error(e);
        tracing::error!(error = %err, "could not start a write transaction");
        for job in batch {
            job.finish(Err(err.clone()));
        }
        return false;
    }
    let mut done = Vec::with_capacity(batch.len());
    for mut job in batch {
        if let Err(e) = conn.execute_batch("SAVEPOINT job") {
            done.push((job, Some(sql_error(e))));
            continue;
        }
        // A panic in a job is a bug, but it must not take the writer (and
        // with it every later write) down: that job is refused, rolled back.
        let keep = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run(conn)))
            .unwrap_or_else(|_| {
                tracing::error!("a database write panicked; it was rolled back");
                false
            });
        let closed = if keep {
            conn.execute_batch("RELEASE job")
        } else {
            conn.execute_batch("ROLLBACK TO job; RELEASE job")
        };
        done.push((job, closed.err().map(sql_error)));
    }
    let committed = conn.execute_batch("COMMIT").map_err(sql_error);
    if let Err(e) = &committed {
        tracing::error!(error = %e, "commit failed; the batch's writes were refused");
        // Leave no half-open transaction behind for the next batch.
        let _ = conn.execute_batch("ROLLBACK");
    }
    for (job, job_error) in done {
        job.finish(match (&committed, job_error) {
            (Err(e), _) => Err(e.clone()),
            (Ok(()), Some(e)) => Err(e),
            (Ok(()), None) => Ok(()),
        });
    }
    committed.is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer() -> Writer {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)")
            .unwrap();
        Writer::start(conn).unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_share_commits_and_all_land() {
        let w = writer();
        let mut tasks = Vec::new();
        for i in 0..400 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                w.write(move |c| {
                    c.execute("INSERT INTO t (k, v) VALUES (?1, ?2)", (format!("k{i}"), i))
                        .map_err(sql_error)?;
                    Ok(i)
                })
                .await
            }));
        }
        for (i, t) in tasks.into_iter().enumerate() {
            assert_eq!(t.await.unwrap().unwrap(), i);
        }
        let n: i64 = w
            .write(|c| {
                c.query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
                    .map_err(sql_error)
            })
            .await
            .unwrap();
        assert_eq!(n, 400);
        assert!(
            w.commits() < 401,
            "400 concurrent writes took {} commits: no batching",
            w.commits()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_job_is_rolled_back_alone() {
        let w = writer();
        let failing = w.write(|c| {
            c.execute("INSERT INTO t (k, v) VALUES ('bad', 1)", [])
                .map_err(sql_error)?;
            Err::<(), _>(StoreError::Forbidden)
        });
        let good = w.write(|c| {
            c.execute("INSERT INTO t (k, v) VALUES ('good', 2)", [])
                .map_err(sql_error)
        });
        let (failing, good) = tokio::join!(failing, good);
        assert_eq!(failing, Err(StoreError::Forbidden));
        assert_eq!(good, Ok(1));
        let keys: Vec<String> = w
            .write(|c| {
                let mut stmt = c.prepare("SELECT k FROM t ORDER BY k").map_err(sql_error)?;
                let rows = stmt
                    .query_map([], |r| r.get(0))
                    .map_err(sql_error)?
                    .collect::<Result<_, _>>()
                    .map_err(sql_error)?;
                Ok(rows)
            })
            .await
            .unwrap();
        assert_eq!(keys, vec!["good".to_owned()]);
    }
}
