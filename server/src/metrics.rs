//! The operator's instruments: what this node counts, exposed at
//! `/metrics` in the Prometheus text format (`routes::health`). Each node
//! has its own recorder (no process-wide global), so the servers the tests
//! start side by side in one process never mix their numbers.
//!
//! Counters and gauges are registered once and kept as handles; labelled
//! ones whose label values are few and fixed (socket kind, error code,
//! store operation) are looked up by the recorder per use. Queue figures
//! are read from the store when scraped, so they are the whole
//! deployment's, not this node's.

use metrics::{Counter, Gauge, Histogram, Key, Label, Recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};
use std::time::{Duration, Instant};

/// Which socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Socket {
    /// `/ws/visitor`.
    Visitor = 0,
    /// `/ws/agent`.
    Agent = 1,
}

impl Socket {
    fn as_str(self) -> &'static str {
        match self {
            Socket::Visitor => "visitor",
            Socket::Agent => "agent",
        }
    }
}

static META: metrics::Metadata<'static> =
    metrics::Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()));

/// One node's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
    login_failures: Counter,
    lagged: Counter,
    assignments: Counter,
    /// The hot path's handles, registered once: messages and connections
    /// by socket, store times by operation.
    messages: [Counter; 2],
    connections: [Gauge; 2],
    store_times: [(&'static str, Histogram); 3],
    /// Queue lines reported so far: one that empties is set to zero.
    lines: std::sync::Mutex<std::collections::BTreeSet<(String, String)>>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// A fresh set, every counter at zero.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new().build_recorder();
        let handle = recorder.handle();
        let describe = |name: &'static str, help: &'static str| {
            recorder.describe_counter(name.into(), None, help.into());
        };
        describe(
            "ahlan_messages_total",
            "Messages stored, by who wrote them (from)",
        );
        describe(
            "ahlan_rejected_frames_total",
            "Error frames sent to clients, by socket and error code",
        );
        describe(
            "ahlan_login_failures_total",
            "Refused logins (wrong credentials, throttled)",
        );
        describe(
            "ahlan_store_errors_total",
            "Store operations that failed (backend unreachable…), by socket",
        );
        describe(
            "ahlan_hub_lagged_total",
            "Connections that fell behind the live events and resynced",
        );
        describe(
            "ahlan_ratings_total",
            "Satisfaction survey answers, by score (1-5)",
        );
        describe(
            "ahlan_mails_total",
            "Agent replies mailed to visitors who left a message, by outcome (sent; failed: \
             refused or unreachable after retries; dropped: the mail queue was full)",
        );
        describe(
            "ahlan_visitors_erased_total",
            "Visitors erased, by reason (request: an admin; retention: a site's retention)",
        );
        describe(
            "ahlan_indexed_messages_total",
            "Messages whose words the background indexer added to the search index",
        );
        describe(
            "ahlan_report_events_total",
            "Routing steps for the reports, by outcome (counted; dropped: the recorder's queue \
             was full; failed: the store refused the batch)",
        );
        describe(
            "ahlan_redis_reconnects_total",
            "Times this node got Redis back after losing it (its connection or its event subscription)",
        );
        describe(
            "ahlan_assignments_total",
            "Conversations given to an agent by routing",
        );
        recorder.describe_gauge(
            "ahlan_connections".into(),
            None,
            "Open websocket connections on this node, by socket".into(),
        );
        recorder.describe_gauge(
            "ahlan_queue_waiting".into(),
            None,
            "Conversations waiting, per line (site, team), whole deployment".into(),
        );
        recorder.describe_gauge(
            "ahlan_queue_oldest_wait_seconds".into(),
            None,
            "How long the longest-waiting conversation of each line has waited".into(),
        );
        recorder.describe_histogram(
            "ahlan_store_seconds".into(),
            Some(metrics::Unit::Seconds),
            "Time of store operations on the chat path, by operation".into(),
        );
        let plain =
            |name: &'static str| recorder.register_counter(&Key::from_static_name(name), &META);
        let by = |label: &'static str, value: &'static str| vec![Label::new(label, value)];
        let messages = [Socket::Visitor, Socket::Agent].map(|s| {
            recorder.register_counter(
                &Key::from_parts("ahlan_messages_total", by("from", s.as_str())),
                &META,
            )
        });
        let connections = [Socket::Visitor, Socket::Agent].map(|s| {
            recorder.register_gauge(
                &Key::from_parts("ahlan_connections", by("socket", s.as_str())),
                &META,
            )
        });
        let store_times = ["append_visitor", "append_agent", "drain"].map(|op| {
            let key = Key::from_parts("ahlan_store_seconds", by("op", op));
            (op, recorder.register_histogram(&key, &META))
        });
        Self {
            messages,
            connections,
            store_times,
            login_failures: plain("ahlan_login_failures_total"),
            lagged: plain("ahlan_hub_lagged_total"),
            assignments: plain("ahlan_assignments_total"),
            lines: Default::default(),
            recorder,
            handle,
        }
    }

    fn counter(&self, name: &'static str, labels: Vec<Label>) -> Counter {
        self.recorder
            .register_counter(&Key::from_parts(name, labels), &META)
    }

    fn gauge(&self, name: &'static str, labels: Vec<Label>) -> Gauge {
        self.recorder
            .register_gauge(&Key::from_parts(name, labels), &META)
    }

    fn histogram(&self, name: &'static str, labels: Vec<Label>) -> Histogram {
        self.recorder
            .register_histogram(&Key::from_parts(name, labels), &META)
    }

    /// A connection opened; it counts until the guard drops.
    pub fn connection(&self, socket: Socket) -> ConnectionGuard {
        let gauge = self.connections[socket as usize].clone();
        gauge.increment(1.0);
        ConnectionGuard { gauge }
    }

    /// A message was stored (not a retried duplicate).
    pub fn message(&self, from: Socket) {
        self.messages[from as usize].increment(1);
    }

    /// An error frame went to a client.
    pub fn rejected(&self, socket: Socket, code: shared::ErrorCode) {
        self.counter(
            "ahlan_rejected_frames_total",
            vec![
                Label::new("socket", socket.as_str()),
                Label::new("code", code.as_str()),
            ],
        )
        .increment(1);
    }

    /// A login was refused.
    pub fn login_failed(&self) {
        self.login_failures.increment(1);
    }

    /// A store operation failed on a socket.
    pub fn store_error(&self, socket: Socket) {
        self.counter(
            "ahlan_store_errors_total",
            vec![Label::new("socket", socket.as_str())],
        )
        .increment(1);
    }

    /// A connection fell behind its events.
    pub fn lagged(&self) {
        self.lagged.increment(1);
    }

    /// A visitor answered the satisfaction survey with `score`.
    pub fn rated(&self, score: u8) {
        self.counter(
            "ahlan_ratings_total",
            vec![Label::new("score", score.to_string())],
        )
        .increment(1);
    }

    /// A reply mail was `sent`, `failed` or `dropped`.
    pub fn mail(&self, outcome: &'static str) {
        self.counter("ahlan_mails_total", vec![Label::new("outcome", outcome)])
            .increment(1);
    }

    /// `n` visitors were erased, on an admin's request or by retention.
    pub fn erased(&self, reason: &'static str, n: usize) {
        if n > 0 {
            self.counter(
                "ahlan_visitors_erased_total",
                vec![Label::new("reason", reason)],
            )
            .increment(n as u64);
        }
    }

    /// The search indexer indexed `n` messages.
    pub fn indexed(&self, n: usize) {
        if n > 0 {
            self.counter("ahlan_indexed_messages_total", vec![])
                .increment(n as u64);
        }
    }

    /// `n` routing steps reached the reports with `outcome` (`counted`,
    /// `dropped`, `failed`).
    pub fn report_events(&self, outcome: &'static str, n: usize) {
        if n > 0 {
            self.counter(
                "ahlan_report_events_total",
                vec![Label::new("outcome", outcome)],
            )
            .increment(n as u64);
        }
    }

    /// The store's reconnect count so far (read at each scrape).
    pub fn set_reconnects(&self, n: u64) {
        self.counter("ahlan_redis_reconnects_total", vec![])
            .absolute(n);
    }

    /// Routing assigned `n` conversations.
    pub fn assigned(&self, n: usize) {
        self.assignments.increment(n as u64);
    }

    /// A store operation on the chat path took `took`.
    pub fn store_time(&self, op: &'static str, took: Duration) {
        let seconds = took.as_secs_f64();
        match self.store_times.iter().find(|(name, _)| *name == op) {
            Some((_, h)) => h.record(seconds),
            None => self
                .histogram("ahlan_store_seconds", vec![Label::new("op", op)])
                .record(seconds),
        }
    }

    /// Times `f`, a store operation named `op`.
    pub async fn timed<T>(&self, op: &'static str, f: impl std::future::Future<Output = T>) -> T {
        let start = Instant::now();
        let out = f.await;
        self.store_time(op, start.elapsed());
        out
    }

    /// The queue as the store has it now: `(site, team, waiting, oldest
    /// wait in seconds)` per line. Lines that emptied since the last
    /// scrape are reported at zero.
    pub fn set_queue(&self, lines: &[(String, String, usize, f64)]) {
        let mut known = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        let gone: Vec<(String, String)> = known
            .iter()
            .filter(|(s, t)| !lines.iter().any(|(ls, lt, ..)| ls == s && lt == t))
            .cloned()
            .collect();
        let emptied = gone.into_iter().map(|(s, t)| (s, t, 0, 0.0));
        let now: Vec<_> = lines.iter().cloned().chain(emptied).collect();
        *known = lines
            .iter()
            .map(|(s, t, ..)| (s.clone(), t.clone()))
            .collect();
        drop(known);
        for (site, team, waiting, oldest) in &now {
            let labels = vec![
                Label::new("site", site.clone()),
                Label::new("team", team.clone()),
            ];
            self.gauge("ahlan_queue_waiting", labels.clone())
                .set(*waiting as f64);
            self.gauge("ahlan_queue_oldest_wait_seconds", labels)
                .set(*oldest);
        }
    }

    /// Everything, in the Prometheus text format.
    pub fn render(&self) -> String {
        self.handle.run_upkeep();
        self.handle.render()
    }
}

/// Counts one open connection while alive.
pub struct ConnectionGuard {
    gauge: Gauge,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        self.gauge.decrement(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line<'a>(text: &'a str, start: &str) -> Option<&'a str> {
        text.lines().find(|l| l.starts_with(start))
    }

    #[test]
    fn counts_render_in_the_prometheus_format_per_node() {
        let m = Metrics::new();
        let other = Metrics::new();
        m.message(Socket::Visitor);
        m.message(Socket::Visitor);
        m.message(Socket::Agent);
        m.rejected(Socket::Visitor, shared::ErrorCode::MalformedFrame);
        m.login_failed();
        let open = m.connection(Socket::Agent);
        let text = m.render();
        assert_eq!(
            line(&text, "ahlan_messages_total{from=\"visitor\"}"),
            Some("ahlan_messages_total{from=\"visitor\"} 2")
        );
        assert!(
            text.contains(
                "ahlan_rejected_frames_total{socket=\"visitor\",code=\"malformed_frame\"} 1"
            ),
            "{text}"
        );
        assert!(text.contains("ahlan_login_failures_total 1"), "{text}");
        assert!(
            text.contains("ahlan_connections{socket=\"agent\"} 1"),
            "{text}"
        );
        assert!(text.contains("# HELP ahlan_messages_total"), "{text}");
        drop(open);
        assert!(m.render().contains("ahlan_connections{socket=\"agent\"} 0"));
        assert!(
            other
                .render()
                .contains("ahlan_messages_total{from=\"visitor\"} 0"),
            "another node's recorder is its own"
        );
    }

    #[test]
    fn queue_lines_are_gauges() {
        let m = Metrics::new();
        m.set_queue(&[("s_1".into(), "".into(), 3, 42.5)]);
        let text = m.render();
        assert!(
            text.contains("ahlan_queue_waiting{site=\"s_1\",team=\"\"} 3"),
            "{text}"
        );
        assert!(
            text.contains("ahlan_queue_oldest_wait_seconds{site=\"s_1\",team=\"\"} 42.5"),
            "{text}"
        );
        // The line emptied: zero, not its last figure.
        m.set_queue(&[]);
        let text = m.render();
        assert!(
            text.contains("ahlan_queue_waiting{site=\"s_1\",team=\"\"} 0"),
            "{text}"
        );
    }
}
