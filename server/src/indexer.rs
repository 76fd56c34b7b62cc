//! The background indexer: every node keeps the history's word index
//! caught up with the messages stored, in batches, so that no chat message
//! waits for its words to be indexed (docs/ARCHITECTURE.md, "History and
//! search"). A search catches up on its own before it runs
//! ([`crate::store::catch_up`]); this loop keeps what it has to do small.

use crate::metrics::Metrics;
use crate::store::{Store, INDEX_BATCH};
use std::sync::Arc;
use std::time::Duration;

/// How long the indexer rests once nothing is waiting: the index trails
/// the chat by about this much, and an idle node asks its store twice a
/// second whether anything arrived.
const PAUSE: Duration = Duration::from_millis(500);

/// Longer rest after a failure (store unreachable): the chat path reports
/// those; this loop just tries again later.
const PAUSE_AFTER_ERROR: Duration = Duration::from_secs(5);

/// Runs for the life of the node.
pub async fn run(store: Arc<dyn Store>, metrics: Arc<Metrics>) {
    loop {
        let round = metrics
            .timed("index_pending", store.index_pending(INDEX_BATCH))
            .await;
        let pause = match round {
            Ok(done) => {
                metrics.indexed(done.messages);
                if done.more {
                    // More waiting: go on, letting the node's other tasks
                    // run between rounds.
                    tokio::task::yield_now().await;
                    continue;
                }
                PAUSE
            }
            Err(e) => {
                tracing::warn!(error = %e, "indexing messages for search failed; retrying");
                PAUSE_AFTER_ERROR
            }
        };
        tokio::time::sleep(pause).await;
    }
}
