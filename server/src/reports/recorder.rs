//! The glue between routing and the buckets. Routing hands each step to
//! the [`Recorder`] and goes on (a chat never waits for a report); a
//! background task takes the steps in batches, runs them through each
//! conversation's clocks ([`super::clocks::step`]) and writes clocks and
//! counts together with one `Store::advance_clocks` per batch. When
//! another node changed a conversation's clocks meanwhile, that
//! conversation's steps are read and run again.
//!
//! Steps of one conversation are applied in the order this node saw them.

use super::clocks::{step, Clocks, Step, Whose};
use super::tally::hour_of;
use crate::metrics::Metrics;
use crate::store::{Advance, ClockChange, Store, StoreError, StoreResult};
use shared::{ConversationId, Millis, SiteId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Steps waiting for the background task; beyond this they are dropped
/// (and counted) rather than slowing the chat down.
const QUEUE: usize = 100_000;
/// Most steps written in one store call.
const BATCH: usize = 500;
/// Read-and-retry rounds for conversations another node changed meanwhile.
const ATTEMPTS: usize = 8;

/// One routing step, as routing saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The conversation.
    pub conversation: ConversationId,
    /// Its site.
    pub site: SiteId,
    /// What happened.
    pub step: Step,
    /// Whose figures it moves.
    pub whose: Whose,
    /// When.
    pub at: Millis,
}

enum Job {
    Record(Recorded),
    Flush(oneshot::Sender<()>),
}

/// Takes steps from routing; cheap to clone.
#[derive(Clone)]
pub struct Recorder {
    tx: mpsc::Sender<Job>,
    rx: Arc<Mutex<Option<mpsc::Receiver<Job>>>>,
    metrics: Arc<Metrics>,
}

impl Recorder {
    /// A recorder whose steps wait until [`Recorder::run`] takes them.
    pub fn new(metrics: Arc<Metrics>) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        Self {
            tx,
            rx: Arc::new(Mutex::new(Some(rx))),
            metrics,
        }
    }

    /// Queues a step (dropped and counted if the queue is full).
    pub fn record(&self, recorded: Recorded) {
        if self.tx.try_send(Job::Record(recorded)).is_err() {
            self.metrics.report_events("dropped", 1);
        }
    }

    /// Waits until every step queued before this call is written (or
    /// failed): a planned stop calls it, so its last steps are kept.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.tx.send(Job::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }

    /// Writes the queued steps for the life of the node (once per recorder:
    /// a second call returns at once).
    pub async fn run(self, store: Arc<dyn Store>) {
        let taken = self.rx.lock().ok().and_then(|mut rx| rx.take());
        let Some(mut rx) = taken else { return };
        while let Some(first) = rx.recv().await {
            let mut batch = Vec::new();
            let mut flushes = Vec::new();
            let mut next = Some(first);
            while let Some(job) = next {
                match job {
                    Job::Record(r) => batch.push(r),
                    Job::Flush(done) => flushes.push(done),
                }
                next = (batch.len() < BATCH).then(|| rx.try_recv().ok()).flatten();
            }
            let n = batch.len();
            match self.metrics.timed("report", apply(&*store, batch)).await {
                Ok(()) => self.metrics.report_events("counted", n),
                Err(e) => {
                    self.metrics.report_events("failed", n);
                    tracing::warn!(error = %e, steps = n, "recording report figures failed");
                }
            }
            for done in flushes {
                let _ = done.send(());
            }
        }
    }
}

/// One conversation's steps of a batch.
struct Group {
    conversation: ConversationId,
    site: SiteId,
    steps: Vec<Recorded>,
}

/// Applies `steps` to the store: per conversation, in order.
pub async fn apply(store: &dyn Store, steps: Vec<Recorded>) -> StoreResult<()> {
    let mut groups: Vec<Group> = Vec::new();
    let mut index: HashMap<ConversationId, usize> = HashMap::new();
    for r in steps {
        let i = *index.entry(r.conversation.clone()).or_insert_with(|| {
            groups.push(Group {
                conversation: r.conversation.clone(),
                site: r.site.clone(),
                steps: Vec::new(),
            });
            groups.len() - 1
        });
        groups[i].steps.push(r);
    }
    for _ in 0..ATTEMPTS {
        if groups.is_empty() {
            return Ok(());
        }
        let ids: Vec<ConversationId> = groups.iter().map(|g| g.conversation.clone()).collect();
        let read = store.clocks(&ids).await?;
        let mut changes = Vec::with_capacity(groups.len());
        let mut waiting = Vec::with_capacity(groups.len());
        for (group, raw) in groups.into_iter().zip(read) {
            let change = change(&group, raw)?;
            if let Some(change) = change {
                changes.push(change);
                waiting.push(group);
            }
        }
        let outcome = store.advance_clocks(changes).await?;
        groups = waiting
            .into_iter()
            .zip(outcome)
            .filter(|(_, o)| *o == Advance::Conflict)
            .map(|(g, _)| g)
            .collect();
    }
    if groups.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Conflict)
    }
}

/// The clocks and counts of one conversation's steps from what was read
/// (`None`: nothing changes).
fn change(group: &Group, raw: Option<String>) -> StoreResult<Option<ClockChange>> {
    // Clocks that do not parse (written by a newer version) start over
    // rather than stop the figures.
    let mut clocks: Option<Clocks> = raw.as_deref().and_then(|r| serde_json::from_str(r).ok());
    let mut counts = Vec::new();
    for r in &group.steps {
        let (next, c) = step(clocks.as_ref(), &r.step, &r.whose, r.at);
        counts.extend(c.into_vec().into_iter().map(|c| (hour_of(r.at), c)));
        clocks = Some(next);
    }
    let json = serde_json::to_string(&clocks.unwrap_or_default())
        .map_err(|e| StoreError::Unavailable(e.to_string()))?;
    if counts.is_empty() && raw.as_deref() == Some(json.as_str()) {
        return Ok(None);
    }
    Ok(Some(ClockChange {
        conversation: group.conversation.clone(),
        site: group.site.clone(),
        expected: raw,
        clocks: json,
        counts,
    }))
}
