//! The per-connection loop shared by both sockets (the actix-ws
//! chat-actorless shape): select over client frames, bus events, a
//! heartbeat tick and the idle deadline. What a frame or event *means* is
//! the [`Connection`]'s business; this file owns the socket mechanics —
//! frame size cap, decoding, ping/pong, idle timeout, and closing a client
//! that keeps sending frames the protocol does not have.

use super::frames::decode;
use super::hub::{Recv, Subscription};
use crate::routing::queue::QueueSpots;
use crate::store::Event;
use actix_ws::{AggregatedMessage, AggregatedMessageStream, CloseCode, CloseReason, Session};
use serde::Serialize;
use std::sync::Arc;
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

/// The reason sent with close code 1012 when the node stops (a planned
/// restart): clients reconnect at once, to whichever node answers.
pub const RESTARTING: &str = "server restarting: reconnect";

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
    /// When this connection must end on its own (its login session
    /// expires); the loop then calls [`Connection::on_expired`].
    fn expires(&self) -> Option<tokio::time::Instant> {
        None
    }
    /// [`Connection::expires`] came.
    async fn on_expired(&mut self) -> Flow {
        Flow::Continue
    }
    /// Every waiting visitor's place, after a queue change (only
    /// connections marked waiting get it).
    async fn on_spots(&mut self, _spots: Arc<QueueSpots>) -> Flow {
        Flow::Continue
    }
    /// Where this connection is counted (`None`: nowhere, in tests).
    fn metrics(&self) -> Option<(&crate::metrics::Metrics, crate::metrics::Socket)> {
        None
    }
}

/// Counts an error frame sent to the client.
fn count_rejection<C: Connection>(conn: &C, code: shared::ErrorCode) {
    if let Some((m, socket)) = conn.metrics() {
        m.rejected(socket, code);
    }
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
    count_rejection(conn, code);
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
        let expiry = conn.expires();
        let expired = async move {
            match expiry {
                Some(at) => tokio::time::sleep_until(at).await,
                None => std::future::pending().await,
            }
        };
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
                        count_rejection(&conn, code);
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
                Recv::Spots(spots) => conn.on_spots(spots).await,
                Recv::Lagged => {
                    tracing::warn!("connection lagged behind its events; resyncing");
                    if let Some((m, _)) = conn.metrics() {
                        m.lagged();
                    }
                    conn.on_lag().await
                }
                Recv::Closed => break Some(CloseReason {
                    code: CloseCode::Restart,
                    description: Some(RESTARTING.into()),
                }),
            },
            () = expired => conn.on_expired().await,
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

#[cfg(test)]
mod tests {
    //! The loop's clock, under paused time: a socket whose client says
    //! nothing is pinged every 10 s and closed at 35 s, and anything from
    //! the client moves that deadline.

    use super::*;
    use crate::ws::hub::{Hub, Role};
    use actix_web::body::{BoxBody, MessageBody};
    use actix_web::web::Bytes;
    use actix_web::FromRequest;
    use std::sync::Arc;
    use tokio::time::Instant;

    /// A connection with nothing to say.
    struct Quiet(Session);

    impl Connection for Quiet {
        type Frame = shared::VisitorClientFrame;
        const KINDS: &'static [&'static str] = &[];
        fn session(&mut self) -> &mut Session {
            &mut self.0
        }
        async fn on_frame(&mut self, _: Self::Frame) -> Flow {
            Flow::Continue
        }
        async fn on_event(&mut self, _: Event) -> Flow {
            Flow::Continue
        }
        async fn on_lag(&mut self) -> Flow {
            Flow::Continue
        }
        fn error_frame(&self, _: shared::ErrorCode, message: String) -> String {
            message
        }
    }

    /// A websocket as actix-ws sees it: the client's side is a body we
    /// feed by hand (the returned function), the server's side a body we
    /// read.
    async fn socket() -> (impl FnMut(Bytes), BoxBody, Session, AggregatedMessageStream) {
        let req = actix_web::test::TestRequest::default()
            .insert_header(("upgrade", "websocket"))
            .insert_header(("connection", "upgrade"))
            .insert_header(("sec-websocket-version", "13"))
            .insert_header(("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="))
            .to_http_request();
        let (client, payload) = actix_http::h1::Payload::create(false);
        let mut payload = actix_web::dev::Payload::from(payload);
        let body = actix_web::web::Payload::from_request(&req, &mut payload)
            .await
            .unwrap();
        let (res, session, stream) = actix_ws::handle(&req, body).unwrap();
        let mut client = client;
        let feed = move |bytes| client.feed_data(bytes);
        (
            feed,
            res.into_body(),
            session,
            stream.aggregate_continuations(),
        )
    }

    /// The server's frames as (seconds since `start`, opcode, payload),
    /// until the close frame.
    async fn frames_until_close(mut body: BoxBody, start: Instant) -> Vec<(u64, u8, Vec<u8>)> {
        let mut out = Vec::new();
        loop {
            let chunk =
                std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_next(cx)).await;
            let Some(Ok(bytes)) = chunk else {
                return out;
            };
            // Server frames here are small and unmasked (one length
            // byte); a chunk may hold several.
            let mut rest = &bytes[..];
            while rest.len() >= 2 {
                let (opcode, len) = (rest[0] & 0x0f, usize::from(rest[1] & 0x7f));
                out.push((start.elapsed().as_secs(), opcode, rest[2..2 + len].to_vec()));
                if opcode == CLOSE {
                    return out;
                }
                rest = &rest[2 + len..];
            }
        }
    }

    const PING: u8 = 0x9;
    const CLOSE: u8 = 0x8;

    fn close_payload(code: u16, reason: &str) -> Vec<u8> {
        let mut p = code.to_be_bytes().to_vec();
        p.extend_from_slice(reason.as_bytes());
        p
    }

    #[tokio::test(start_paused = true)]
    async fn a_silent_client_is_pinged_every_10_s_and_closed_at_35_s() {
        let (_client, body, session, stream) = socket().await;
        let events = Arc::new(Hub::default()).subscribe(Role::Visitor);
        let start = Instant::now();
        let (_, frames) = tokio::join!(
            drive(Quiet(session), stream, events),
            frames_until_close(body, start)
        );
        assert_eq!(
            frames,
            vec![
                (0, PING, vec![]),
                (10, PING, vec![]),
                (20, PING, vec![]),
                (30, PING, vec![]),
                (35, CLOSE, close_payload(1000, "idle timeout")),
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn anything_from_the_client_moves_the_deadline() {
        let (mut client, body, session, stream) = socket().await;
        let events = Arc::new(Hub::default()).subscribe(Role::Visitor);
        let start = Instant::now();
        let talk = async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            // A masked (client) ping with an all-zero key and no payload.
            client(Bytes::from_static(&[0x89, 0x80, 0, 0, 0, 0]));
        };
        let (_, frames, ()) = tokio::join!(
            drive(Quiet(session), stream, events),
            frames_until_close(body, start),
            talk
        );
        let (closed_at, opcode, _) = frames.last().cloned().unwrap();
        assert_eq!((closed_at, opcode), (65, CLOSE));
        // The client's ping was answered.
        assert!(frames.contains(&(30, 0xA, vec![])), "{frames:?}");
    }
}
