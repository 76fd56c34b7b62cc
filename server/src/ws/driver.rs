//! The per-connection loop shared by both sockets (the actix-ws
//! chat-actorless shape): select over client frames, bus events and a
//! heartbeat tick. What a frame or event *means* is the [`Connection`]'s
//! business; this file only owns the socket mechanics — frame size cap,
//! ping/pong, idle timeout, close.

use super::hub::{Recv, Subscription};
use crate::store::Event;
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};
use serde::Serialize;
use std::time::{Duration, Instant};

/// How often the server pings.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// A client silent this long (no frame, no pong) is gone.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(35);

/// What the loop should do after a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// Keep going.
    Continue,
    /// Close the connection with this reason.
    Close(CloseReason),
}

impl Flow {
    /// A close for a policy reason (refused handshake).
    pub fn policy(description: &str) -> Self {
        Flow::Close(CloseReason {
            code: CloseCode::Policy,
            description: Some(description.to_owned()),
        })
    }
}

/// What a socket kind does with frames and events.
// Connections run on actix's per-worker local runtime and are never sent
// across threads, so the futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Connection {
    /// The websocket session, to send frames on.
    fn session(&mut self) -> &mut Session;
    /// A text frame from the client.
    async fn on_text(&mut self, text: &str) -> Flow;
    /// An event from the bus.
    async fn on_event(&mut self, event: Event) -> Flow;
    /// Events were dropped (the connection fell behind): re-read the store.
    async fn on_lag(&mut self) -> Flow;
    /// The frame that reports an error to this kind of client.
    fn error_frame(&self, code: shared::ErrorCode, message: String) -> String;
}

/// Sends a frame as JSON. `Err` when the client is gone.
pub async fn send<T: Serialize>(session: &mut Session, frame: &T) -> Result<(), actix_ws::Closed> {
    match serde_json::to_string(frame) {
        Ok(text) => session.text(text).await,
        Err(e) => {
            // Our own types always serialize; log rather than kill the socket.
            tracing::error!(error = %e, "frame serialization failed");
            Ok(())
        }
    }
}

/// Sends a frame; a closed client turns into [`Flow::Close`].
pub async fn send_or_close<T: Serialize>(session: &mut Session, frame: &T) -> Flow {
    match send(session, frame).await {
        Ok(()) => Flow::Continue,
        Err(_) => Flow::Close(CloseCode::Normal.into()),
    }
}

/// Runs a connection until the client leaves, times out or is refused.
pub async fn drive<C: Connection>(
    mut conn: C,
    mut stream: AggregatedMessageStream,
    mut events: Subscription,
) -> C {
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    let mut last_seen = Instant::now();
    let reason: Option<CloseReason> = loop {
        let flow = tokio::select! {
            frame = stream.recv() => match frame {
                Some(Ok(AggregatedMessage::Text(text))) => {
                    last_seen = Instant::now();
                    conn.on_text(&text).await
                }
                Some(Ok(AggregatedMessage::Binary(_))) => {
                    last_seen = Instant::now();
                    let e = conn.error_frame(shared::ErrorCode::BinaryNotSupported, crate::error::default_message(shared::ErrorCode::BinaryNotSupported).into());
                    text_or_close(conn.session(), e).await
                }
                Some(Ok(AggregatedMessage::Ping(bytes))) => {
                    last_seen = Instant::now();
                    match conn.session().pong(&bytes).await {
                        Ok(()) => Flow::Continue,
                        Err(_) => break None,
                    }
                }
                Some(Ok(AggregatedMessage::Pong(_))) => {
                    last_seen = Instant::now();
                    Flow::Continue
                }
                Some(Ok(AggregatedMessage::Close(reason))) => break reason,
                Some(Err(actix_ws::ProtocolError::Overflow)) => {
                    // The rest of the oversized frame cannot be skipped
                    // reliably: say why, then close (1009, message too big).
                    let code = shared::ErrorCode::FrameTooLarge;
                    let e = conn.error_frame(code, crate::error::default_message(code).into());
                    let _ = conn.session().text(e).await;
                    break Some(CloseReason { code: CloseCode::Size, description: Some(code.as_str().into()) });
                }
                Some(Err(e)) => {
                    tracing::debug!(error = %e, "websocket protocol error");
                    break Some(CloseCode::Protocol.into());
                }
                None => break None,
            },
            event = events.recv() => match event {
                Recv::Event(event) => conn.on_event(event).await,
                Recv::Lagged => {
                    tracing::warn!("connection lagged behind its events; resyncing");
                    conn.on_lag().await
                }
                Recv::Closed => break Some(CloseCode::Restart.into()),
            },
            _ = heartbeat.tick() => {
                if last_seen.elapsed() > CLIENT_TIMEOUT {
                    break Some(CloseReason { code: CloseCode::Normal, description: Some("idle timeout".into()) });
                }
                match conn.session().ping(b"").await {
                    Ok(()) => Flow::Continue,
                    Err(_) => break None,
                }
            }
        };
        if let Flow::Close(reason) = flow {
            break Some(reason);
        }
    };
    let _ = conn.session().clone().close(reason).await;
    conn
}

async fn text_or_close(session: &mut Session, text: String) -> Flow {
    match session.text(text).await {
        Ok(()) => Flow::Continue,
        Err(_) => Flow::Close(CloseCode::Normal.into()),
    }
}
