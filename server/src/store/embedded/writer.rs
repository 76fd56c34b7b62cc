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
//! The same when a job's statement makes SQLite roll back the whole
//! transaction itself (it does on a full disk): the batch stops there —
//! later jobs would otherwise run outside any transaction, each statement
//! committing on its own.

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
    /// Runs inside the job's savepoint; `None` keeps its changes, an error
    /// rolls them back.
    fn run(&mut self, conn: &Connection) -> Option<StoreError>;
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
    fn run(&mut self, conn: &Connection) -> Option<StoreError> {
        let Some(f) = self.f.take() else {
            return Some(StoreError::Unavailable("the write ran twice".into()));
        };
        let out = f(conn);
        let failure = out.as_ref().err().cloned();
        self.out = Some(out);
        failure
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
    let mut lost = None;
    let mut jobs = batch.into_iter();
    for mut job in jobs.by_ref() {
        if let Err(e) = conn.execute_batch("SAVEPOINT job") {
            done.push((job, Some(sql_error(e))));
            continue;
        }
        // A panic in a job is a bug, but it must not take the writer (and
        // with it every later write) down: that job is refused, rolled back.
        let failure = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job.run(conn)))
            .unwrap_or_else(|_| {
                tracing::error!("a database write panicked; it was rolled back");
                Some(StoreError::Unavailable("the write failed".into()))
            });
        if conn.is_autocommit() {
            // SQLite rolled the whole transaction back (disk full, I/O
            // error): nothing of this batch is kept, so none of it may run
            // on outside a transaction.
            lost = Some(failure.unwrap_or_else(|| {
                StoreError::Unavailable("database: the transaction was rolled back".into())
            }));
            done.push((job, None));
            break;
        }
        let closed = match failure {
            None => conn.execute_batch("RELEASE job"),
            Some(_) => conn.execute_batch("ROLLBACK TO job; RELEASE job"),
        };
        done.push((job, closed.err().map(sql_error)));
    }
    // Jobs after a lost transaction never ran: they share its fate.
    done.extend(jobs.map(|job| (job, None)));
    let committed = match lost {
        Some(e) => Err(e),
        None => conn.execute_batch("COMMIT").map_err(sql_error),
    };
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

    /// On a full disk SQLite rolls back the whole transaction by itself:
    /// then every write of the batch is refused and none is kept — what a
    /// caller was told stored is exactly what is there.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_full_disk_refuses_the_whole_batch_and_acks_only_what_is_kept() {
        let w = writer();
        w.write(|c| {
            let pages: i64 = c
                .query_row("PRAGMA page_count", [], |r| r.get(0))
                .map_err(sql_error)?;
            c.pragma_update(None, "max_page_count", pages + 6)
                .map_err(sql_error)
        })
        .await
        .unwrap();
        let mut tasks = Vec::new();
        for i in 0..300 {
            let w = w.clone();
            tasks.push(tokio::spawn(async move {
                // Every tenth write is big enough to fill the database.
                let body = "x".repeat(if i % 10 == 9 { 20_000 } else { 10 });
                let out = w
                    .write(move |c| {
                        c.execute("INSERT INTO t (k, v) VALUES (?1, ?2)", (format!("k{i}"), i))
                            .map_err(sql_error)?;
                        c.execute_batch(&format!(
                            "CREATE TABLE IF NOT EXISTS blob{i} (b TEXT); INSERT INTO blob{i} VALUES ('{body}')"
                        ))
                        .map_err(sql_error)
                    })
                    .await;
                (i, out)
            }));
        }
        let mut acked = std::collections::BTreeSet::new();
        let mut refused = 0;
        for t in tasks {
            match t.await.unwrap() {
                (i, Ok(())) => {
                    acked.insert(i);
                }
                (_, Err(StoreError::Unavailable(m))) => {
                    assert!(m.contains("full"), "a refusal that does not say why: {m}");
                    refused += 1;
                }
                (_, Err(e)) => panic!("{e:?}"),
            }
        }
        assert!(refused > 0, "the database never filled");
        let kept: std::collections::BTreeSet<i64> = w
            .write(|c| {
                let mut stmt = c.prepare("SELECT v FROM t").map_err(sql_error)?;
                let rows = stmt.query_map([], |r| r.get(0)).map_err(sql_error)?;
                rows.collect::<Result<_, _>>().map_err(sql_error)
            })
            .await
            .unwrap();
        assert_eq!(kept, acked, "stored must be exactly what was acknowledged");
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
