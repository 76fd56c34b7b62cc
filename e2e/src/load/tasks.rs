//! The two socket loops every scenario runs: an agent that records each
//! visitor message it receives (latency, which message) and a visitor that
//! sends with a window in flight, optionally paced to an offered rate.
//! They meet only through [`Shared`]: a delivery wakes the sender's window.

use super::client::{next_text, send};
use super::conn::Ws;
use super::wire::{self, AgentEvent, AgentWire, Kind, VisitorEvent};
use futures_util::StreamExt;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot, watch};

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Sockets open, nothing sent yet.
    Setup,
    /// Visitors send.
    Send,
    /// Visitors stop sending; everything keeps reading.
    Drain,
    /// Every loop ends.
    Stop,
}

/// State the loops share.
pub struct Shared {
    epoch: Instant,
    /// Per visitor: a delivery of one of its messages to its agent.
    delivered: Vec<mpsc::UnboundedSender<()>>,
    pub delivered_total: AtomicU64,
    pub sent_total: AtomicU64,
    pub refused_total: AtomicU64,
    /// Visitor loops that have stopped sending (seen [`Phase::Drain`]).
    pub stopped_senders: AtomicUsize,
    /// Warm-up messages (`w:<visitor>`) agents received.
    pub warm: AtomicUsize,
    /// Other bodies agents received (scenario-specific markers).
    pub extra: Mutex<Vec<String>>,
}

impl Shared {
    /// Shared state for `visitors` senders, with their delivery receivers.
    pub fn new(visitors: usize) -> (Arc<Self>, Vec<mpsc::UnboundedReceiver<()>>) {
        let (txs, rxs) = (0..visitors).map(|_| mpsc::unbounded_channel()).unzip();
        let shared = Self {
            epoch: Instant::now(),
            delivered: txs,
            delivered_total: AtomicU64::new(0),
            sent_total: AtomicU64::new(0),
            refused_total: AtomicU64::new(0),
            stopped_senders: AtomicUsize::new(0),
            warm: AtomicUsize::new(0),
            extra: Mutex::new(Vec::new()),
        };
        (Arc::new(shared), rxs)
    }

    /// Microseconds since the run started: the clock in message bodies.
    pub fn now_us(&self) -> u64 {
        self.epoch.elapsed().as_micros() as u64
    }
}

/// A request to an agent loop.
pub enum AgentCmd {
    /// Reply once in each of my conversations (body
    /// `<marker>:<conversation>`); answers with how many replies were
    /// acknowledged.
    ReplyAll(&'static str, oneshot::Sender<usize>),
}

/// What one agent loop saw.
#[derive(Default)]
pub struct AgentOutcome {
    pub latencies_us: Vec<u64>,
    /// (visitor, message number) of every load message received.
    pub receipts: Vec<(u32, u32)>,
    pub errors: Vec<String>,
}

/// Runs an agent socket until [`Phase::Stop`].
pub async fn run_agent(
    mut ws: Ws,
    mut wire: AgentWire,
    shared: Arc<Shared>,
    mut cmds: mpsc::Receiver<AgentCmd>,
    mut phase: watch::Receiver<Phase>,
) -> AgentOutcome {
    let mut out = AgentOutcome::default();
    let mut pending: Option<(usize, usize, oneshot::Sender<usize>)> = None;
    loop {
        tokio::select! {
            changed = phase.changed() => {
                if changed.is_err() || *phase.borrow() == Phase::Stop {
                    break;
                }
            }
            Some(AgentCmd::ReplyAll(marker, done)) = cmds.recv() => {
                let convs = wire.conversations.clone();
                for c in &convs {
                    let frame =
                        wire::agent_send(c, &format!("{marker}-{c}"), &format!("{marker}:{c}"));
                    if let Err(e) = send(&mut ws, frame).await {
                        out.errors.push(format!("{e:#}"));
                    }
                }
                if convs.is_empty() {
                    let _ = done.send(0);
                } else {
                    pending = Some((convs.len(), 0, done));
                }
            }
            text = next_text(&mut ws) => {
                let text = match text {
                    Ok(Some(t)) => t,
                    Ok(None) => { out.errors.push("agent socket closed".into()); break; }
                    Err(e) => { out.errors.push(format!("{e:#}")); break; }
                };
                match wire.event(&text) {
                    Ok(AgentEvent::Reply(frames)) => {
                        for f in frames {
                            if let Err(e) = send(&mut ws, f).await {
                                out.errors.push(format!("{e:#}"));
                            }
                        }
                    }
                    Ok(AgentEvent::Body(body)) => on_body(&shared, &mut out, body),
                    Ok(AgentEvent::Ack { .. }) => {
                        if let Some((want, got, done)) = pending.take() {
                            if got + 1 == want {
                                let _ = done.send(want);
                            } else {
                                pending = Some((want, got + 1, done));
                            }
                        }
                    }
                    Ok(AgentEvent::Refused(code)) => out.errors.push(format!("refused: {code}")),
                    Ok(_) => {}
                    Err(e) => out.errors.push(format!("undecodable frame: {e:#}")),
                }
            }
        }
    }
    out
}

fn on_body(shared: &Shared, out: &mut AgentOutcome, body: String) {
    if body.starts_with("w:") {
        shared.warm.fetch_add(1, Ordering::Relaxed);
        return;
    }
    match wire::parse_body(&body) {
        Ok((visitor, n, sent_us)) => {
            out.latencies_us
                .push(shared.now_us().saturating_sub(sent_us));
            out.receipts.push((visitor as u32, n));
            shared.delivered_total.fetch_add(1, Ordering::Relaxed);
            if let Some(tx) = shared.delivered.get(visitor) {
                let _ = tx.send(());
            }
        }
        Err(_) => shared.extra.lock().expect("not poisoned").push(body),
    }
}

/// How a visitor sends.
#[derive(Debug, Clone, Copy)]
pub struct SendPlan {
    /// Messages in flight (sent, not yet delivered) at most.
    pub window: u32,
    /// Paced: one send per interval (skipped when the window is full).
    /// `None`: closed loop, a new send as soon as one is delivered.
    pub interval: Option<Duration>,
}

/// What one visitor loop did.
#[derive(Default)]
pub struct VisitorOutcome {
    pub sent: u32,
    /// Message numbers the server refused (not stored, so not expected).
    pub refused: Vec<u32>,
    /// Paced sends skipped because the window was full.
    pub skipped: u64,
    pub errors: Vec<String>,
}

/// Runs a visitor socket: waits for [`Phase::Send`], sends per `plan`,
/// keeps reading (and answering pings) until [`Phase::Stop`].
#[allow(clippy::too_many_arguments)]
pub async fn run_visitor(
    visitor: usize,
    kind: Kind,
    mut ws: Ws,
    plan: SendPlan,
    mut delivered: mpsc::UnboundedReceiver<()>,
    mut phase: watch::Receiver<Phase>,
    shared: Arc<Shared>,
) -> VisitorOutcome {
    let mut out = VisitorOutcome::default();
    let mut in_flight = 0u32;
    let mut sending = false;
    let mut ticker = plan.interval.map(|every| {
        // Spread the visitors' ticks over one interval.
        let offset = every.mul_f64((visitor as f64 * 0.618_034).fract());
        let mut t = tokio::time::interval_at(tokio::time::Instant::now() + offset, every);
        t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        t
    });
    macro_rules! send_one {
        () => {{
            let n = out.sent;
            let body = wire::body(visitor, n, shared.now_us());
            let frame = wire::visitor_send(kind, &format!("{visitor}-{n}"), &body);
            match send(&mut ws, frame).await {
                Ok(()) => {
                    out.sent += 1;
                    in_flight += 1;
                    shared.sent_total.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => out.errors.push(format!("{e:#}")),
            }
        }};
    }
    loop {
        tokio::select! {
            changed = phase.changed() => {
                if changed.is_err() {
                    break;
                }
                let now = *phase.borrow();
                match now {
                    Phase::Send if !sending => {
                        sending = true;
                        if plan.interval.is_none() {
                            while in_flight < plan.window {
                                send_one!();
                            }
                        }
                    }
                    Phase::Drain => {
                        sending = false;
                        shared.stopped_senders.fetch_add(1, Ordering::Relaxed);
                    }
                    Phase::Stop => break,
                    _ => {}
                }
            }
            _ = tick(&mut ticker), if sending => {
                if in_flight < plan.window {
                    send_one!();
                } else {
                    out.skipped += 1;
                }
            }
            Some(()) = delivered.recv() => {
                in_flight = in_flight.saturating_sub(1);
                if sending && plan.interval.is_none() {
                    send_one!();
                }
            }
            msg = ws.next() => {
                let text = match msg {
                    Some(Ok(m)) if m.is_text() => m.into_text().map(|t| t.as_str().to_owned()).unwrap_or_default(),
                    Some(Ok(_)) => continue,
                    Some(Err(e)) => { out.errors.push(format!("{e:#}")); break; }
                    None => { out.errors.push("visitor socket closed".into()); break; }
                };
                match wire::visitor_event(kind, &text) {
                    Ok(VisitorEvent::Reply(r)) => {
                        if let Err(e) = send(&mut ws, r).await {
                            out.errors.push(format!("{e:#}"));
                        }
                    }
                    Ok(VisitorEvent::Refused { client_id, code }) => {
                        let n = client_id
                            .as_deref()
                            .and_then(|c| c.rsplit('-').next())
                            .and_then(|n| n.parse().ok());
                        if let Some(n) = n {
                            out.refused.push(n);
                            in_flight = in_flight.saturating_sub(1);
                            shared.refused_total.fetch_add(1, Ordering::Relaxed);
                        } else {
                            out.errors.push(format!("error frame: {code}"));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => out.errors.push(format!("undecodable frame: {e:#}")),
                }
            }
        }
    }
    out
}

async fn tick(ticker: &mut Option<tokio::time::Interval>) {
    match ticker {
        Some(t) => {
            t.tick().await;
        }
        None => std::future::pending().await,
    }
}

/// Counts lost and duplicated messages: every message a visitor sent and
/// the server did not refuse must reach an agent exactly once.
pub fn lost_and_duplicated(visitors: &[VisitorOutcome], receipts: &[(u32, u32)]) -> (u64, u64) {
    let mut counts: Vec<Vec<u8>> = visitors
        .iter()
        .map(|v| vec![0u8; v.sent as usize])
        .collect();
    let mut duplicated = 0u64;
    for &(v, n) in receipts {
        match counts
            .get_mut(v as usize)
            .and_then(|c| c.get_mut(n as usize))
        {
            Some(c) => {
                if *c > 0 {
                    duplicated += 1;
                }
                *c = c.saturating_add(1);
            }
            // A message nobody sent counts as a duplicate: it is surplus.
            None => duplicated += 1,
        }
    }
    let mut lost = 0u64;
    for (v, out) in visitors.iter().enumerate() {
        for (n, c) in counts[v].iter().enumerate() {
            if *c == 0 && !out.refused.contains(&(n as u32)) {
                lost += 1;
            }
        }
    }
    (lost, duplicated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lost_duplicated_and_excuses_refused() {
        let visitors = vec![
            VisitorOutcome {
                sent: 3,
                refused: vec![2],
                ..Default::default()
            },
            VisitorOutcome {
                sent: 2,
                ..Default::default()
            },
        ];
        // Visitor 0: 0 twice, 1 once, 2 refused. Visitor 1: 0 once, 1 lost.
        let receipts = [(0, 0), (0, 0), (0, 1), (1, 0)];
        assert_eq!(lost_and_duplicated(&visitors, &receipts), (1, 1));
        // A receipt for a message never sent is surplus.
        assert_eq!(
            lost_and_duplicated(&visitors, &[(0, 0), (0, 1), (1, 0), (1, 1), (5, 0)]),
            (0, 1)
        );
    }
}
