//! The per-connection loop shared by both sockets (the actix-ws
//! chat-actorless shape): select over client frames, bus events, a
//! heartbeat tick and the idle deadline. What a frame or event *means* is
//! the [`Connection`]'s business; this file owns the socket mechanics —
//! frame size cap, decoding, ping/pong, idle timeout, and closing a client
//! that keeps sending frames the protocol does not have.

use super::frames::decode;
use super::hub::{Recv, Subscription};
use crate::store::Event;
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};
use serde::Serialize;
use std::time::Duration;

/// How often the server pings.
pub const HEARTBEAT: Duration = Duration::from_secs(10);
/// A client silent this long (no frame, no pong) is gone: closed with
/// 1000 `idle timeout`.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(35);
/// Consecutive frames the protocol does not have (malformed, unknown,
/// binary) after which the client is closed with [`PROTOCOL_ERRORS`]: a
/// broken or hostile client must not keep a socket busy answering errors.
pub const MAX_BAD_FRAMES: u32 = 10;
/// Close code after [`MAX_BAD_FRAMES`].
pub const PROTOCOL_ERRORS: u16 = 4002;

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

    /// A close because the server cannot go on (1011): reconnect.
    pub fn server_error(description: &str) -> Self {
        Flow::Close(CloseReason {
            code: CloseCode::Error,
            description: Some(description.to_owned()),
        })
    }
}

/// What a socket kind does with frames and events.
// Connections run on actix's per-worker local runtime and are never sent
// across threads, so the futures need no `Send` bound.
#[allow(async_fn_in_trait)]
pub trait Connection {
    /// The frames a client of this socket sends.
    type Frame: serde::de::DeserializeOwned;
    /// Their `type` names, to tell an unknown frame from a malformed one.
    const KINDS: &'static [&'static str];
    /// The websocket session, to send frames on.
    fn session(&mut self) -> &mut Session;
    /// A frame from the client.
    async fn on_frame(&mut self, frame: Self::Frame) -> Flow;
    /// An event from the bus.
    async fn on_event(&mut self, event: Event) -> Flow;
    /// Events were dropped (the connection fell behind): re-read the store.
    async fn on_lag(&mut self) -> Flow;
    /// The frame that reports an error to this kind of client.
    fn error_frame(&self, code: shared::ErrorCode, message: String) -> String;
}

/// Answers a frame the protocol does not have; closes after too many in a
/// row.
async fn refuse<C: Connection>(
    conn: &mut C,
    bad: &mut u32,
    code: shared::ErrorCode,
    message: String,
) -> Flow {
    *bad += 1;
    let text = conn.error_frame(code, message);
    if let Flow::Close(r) = text_or_close(conn.session(), text).await {
        return Flow::Close(r);
    }
    if *bad >= MAX_BAD_FRAMES {
        return Flow::Close(CloseReason {
            code: CloseCode::Other(PROTOCOL_ERRORS),
            description: Some("too many protocol errors".into()),
        });
    }
    Flow::Continue
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
    let idle = tokio::time::sleep(CLIENT_TIMEOUT);
    tokio::pin!(idle);
    let mut bad = 0u32;
    let reason: Option<CloseReason> = loop {
        let flow = tokio::select! {
            frame = stream.recv() => {
                idle.as_mut().reset(tokio::time::Instant::now() + CLIENT_TIMEOUT);
                match frame {
                    Some(Ok(AggregatedMessage::Text(text))) => {
                        match decode::<C::Frame>(&text, C::KINDS) {
                            Ok(frame) => {
                                bad = 0;
                                conn.on_frame(frame).await
                            }
                            Err(r) => refuse(&mut conn, &mut bad, r.code, r.message).await,
                        }
                    }
                    Some(Ok(AggregatedMessage::Binary(_))) => {
                        let code = shared::ErrorCode::BinaryNotSupported;
                        let message = crate::error::default_message(code).into();
                        refuse(&mut conn, &mut bad, code, message).await
                    }
                    Some(Ok(AggregatedMessage::Ping(bytes))) => {
                        match conn.session().pong(&bytes).await {
                            Ok(()) => Flow::Continue,
                            Err(_) => break None,
                        }
                    }
                    Some(Ok(AggregatedMessage::Pong(_))) => Flow::Continue,
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
                }
            },
            event = events.recv() => match event {
                Recv::Event(event) => conn.on_event(event).await,
                Recv::Lagged => {
                    tracing::warn!("connection lagged behind its events; resyncing");
                    conn.on_lag().await
                }
                Recv::Closed => break Some(CloseCode::Restart.into()),
            },
            _ = &mut idle => {
                break Some(CloseReason { code: CloseCode::Normal, description: Some("idle timeout".into()) });
            }
            _ = heartbeat.tick() => {
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
