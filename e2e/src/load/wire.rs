//! What travels on each target's sockets. Ahlan speaks its own protocol
//! (the `shared` frame types, as in docs/PROTOCOL.md); the two baselines
//! relay a visitor's text to the agent it is bound to:
//!
//! - `relay`: the bare actix-ws relay (`bench-relay`): raw text both ways;
//!   `/ws?role=agent&id=A` and `/ws?role=visitor&agent=A`.
//! - `socketio`: socket.io 4 (`bench/socketio-server.js`) over its
//!   websocket transport, Engine.IO v4 framing by hand: `0{…}` open, `40`
//!   namespace connect, `2`/`3` ping/pong, `42["m",body]` events; the same
//!   `role`/`id`/`agent` query as the relay.

use anyhow::{bail, Result};
use clap::ValueEnum;
use shared::{AgentClientFrame, AgentServerFrame, ConversationStatus, Presence};
use shared::{ClientId, ConversationId, VisitorClientFrame, VisitorServerFrame};
use std::collections::HashSet;

/// Which server the load goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// Ahlan (embedded or Redis, one or more nodes).
    Ahlan,
    /// The bare actix-ws relay: the ceiling of this machine.
    Relay,
    /// socket.io 4 with the Redis adapter.
    Socketio,
}

/// The Origin a host page of the demo site has (allowed by the server's
/// default `--demo-origins`).
pub const SITE_ORIGIN: &str = "http://127.0.0.1:8000";

/// `http://h:p` → `ws://h:p`.
pub fn ws_base(http: &str) -> String {
    http.replacen("http", "ws", 1)
}

/// A visitor socket's URL on `base`, bound (baselines) to agent `agent`.
pub fn visitor_url(kind: Kind, base: &str, agent: usize) -> String {
    let ws = ws_base(base);
    match kind {
        Kind::Ahlan => format!("{ws}/ws/visitor"),
        Kind::Relay => format!("{ws}/ws?role=visitor&agent={agent}"),
        Kind::Socketio => {
            format!("{ws}/socket.io/?EIO=4&transport=websocket&role=visitor&agent={agent}")
        }
    }
}

/// Agent socket URL (Ahlan's agent socket authenticates by cookie instead).
pub fn agent_url(kind: Kind, base: &str, agent: usize) -> String {
    let ws = ws_base(base);
    match kind {
        Kind::Ahlan => format!("{ws}/ws/agent"),
        Kind::Relay => format!("{ws}/ws?role=agent&id={agent}"),
        Kind::Socketio => {
            format!("{ws}/socket.io/?EIO=4&transport=websocket&role=agent&id={agent}")
        }
    }
}

/// A visitor message as sent on the wire.
pub fn visitor_send(kind: Kind, client_id: &str, body: &str) -> String {
    match kind {
        Kind::Ahlan => to_json(&VisitorClientFrame::Send {
            client_id: ClientId(client_id.to_owned()),
            body: body.to_owned(),
        }),
        Kind::Relay => body.to_owned(),
        Kind::Socketio => format!("42{}", serde_json::json!(["m", body])),
    }
}

/// Ahlan's first visitor frame.
pub fn hello(site: &str, token: Option<String>, last_seq: u64) -> String {
    to_json(&VisitorClientFrame::Hello {
        site: site.to_owned(),
        token,
        last_seq,
        origin: Some(SITE_ORIGIN.to_owned()),
        locale: Some("en".into()),
        identity: None,
        proactive: None,
    })
}

pub fn to_json<T: serde::Serialize>(frame: &T) -> String {
    serde_json::to_string(frame).expect("frames serialize")
}

/// What a visitor socket heard.
#[derive(Debug, PartialEq)]
pub enum VisitorEvent {
    /// Answer this at once (socket.io ping).
    Reply(String),
    Welcome {
        token: String,
    },
    Ack {
        client_id: String,
        conversation: String,
        seq: u64,
    },
    /// A send was refused (rate limit, store down…): it was not stored.
    Refused {
        client_id: Option<String>,
        code: String,
    },
    Assigned,
    Message {
        seq: u64,
        from_agent: bool,
        body: String,
    },
    /// socket.io's namespace connect answer.
    Connected,
    /// Nothing the load cares about.
    Other,
}

/// Decodes a text frame on a visitor socket.
pub fn visitor_event(kind: Kind, text: &str) -> Result<VisitorEvent> {
    Ok(match kind {
        Kind::Ahlan => match serde_json::from_str::<VisitorServerFrame>(text)? {
            VisitorServerFrame::Welcome { token, .. } => VisitorEvent::Welcome { token },
            VisitorServerFrame::Ack {
                client_id,
                conversation,
                seq,
                ..
            } => VisitorEvent::Ack {
                client_id: client_id.0,
                conversation: conversation.0,
                seq,
            },
            VisitorServerFrame::Error {
                code, client_id, ..
            } => VisitorEvent::Refused {
                client_id: client_id.map(|c| c.0),
                code: code.as_str().to_owned(),
            },
            VisitorServerFrame::Assigned { .. } => VisitorEvent::Assigned,
            VisitorServerFrame::Message { message } => VisitorEvent::Message {
                seq: message.seq,
                from_agent: matches!(message.author, shared::Author::Agent { .. }),
                body: message.body,
            },
            _ => VisitorEvent::Other,
        },
        Kind::Relay => VisitorEvent::Other,
        Kind::Socketio => match socketio_packet(text) {
            SocketIo::Ping => VisitorEvent::Reply("3".into()),
            SocketIo::Open => VisitorEvent::Reply("40".into()),
            SocketIo::Connected => VisitorEvent::Connected,
            _ => VisitorEvent::Other,
        },
    })
}

/// One agent socket's protocol state: for Ahlan, the conversations it was
/// assigned and has asked to `sync` (message frames flow only after that).
pub struct AgentWire {
    kind: Kind,
    me: Option<String>,
    synced: HashSet<String>,
    /// Conversations assigned to this agent, in the order they came.
    pub conversations: Vec<String>,
}

/// What an agent socket heard.
#[derive(Debug, PartialEq)]
pub enum AgentEvent {
    /// Frames to send back (pong, sync requests).
    Reply(Vec<String>),
    /// A visitor's message body.
    Body(String),
    /// Ahlan: the snapshot after welcome is complete.
    Ready,
    /// Ahlan: a reply of ours was stored.
    Ack {
        conversation: String,
        seq: u64,
    },
    /// A request of ours failed.
    Refused(String),
    Other,
}

impl AgentWire {
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            me: None,
            synced: HashSet::new(),
            conversations: Vec::new(),
        }
    }

    /// Decodes a text frame on an agent socket.
    pub fn event(&mut self, text: &str) -> Result<AgentEvent> {
        Ok(match self.kind {
            Kind::Relay => AgentEvent::Body(text.to_owned()),
            Kind::Socketio => match socketio_packet(text) {
                SocketIo::Ping => AgentEvent::Reply(vec!["3".into()]),
                SocketIo::Open => AgentEvent::Reply(vec!["40".into()]),
                SocketIo::Connected => AgentEvent::Ready,
                SocketIo::Event(body) => AgentEvent::Body(body),
                SocketIo::Other => AgentEvent::Other,
            },
            Kind::Ahlan => self.ahlan_event(serde_json::from_str(text)?),
        })
    }

    fn ahlan_event(&mut self, frame: AgentServerFrame) -> AgentEvent {
        match frame {
            AgentServerFrame::Welcome { agent, .. } => {
                self.me = Some(agent.id.0);
                AgentEvent::Reply(vec![to_json(&AgentClientFrame::Presence {
                    status: Presence::Online,
                })])
            }
            AgentServerFrame::Ready => AgentEvent::Ready,
            AgentServerFrame::Conversation { conversation } => {
                let mine = conversation.status == ConversationStatus::Assigned
                    && conversation.agent.as_ref().map(|a| &a.id.0) == self.me.as_ref();
                if mine && self.synced.insert(conversation.id.0.clone()) {
                    self.conversations.push(conversation.id.0.clone());
                    AgentEvent::Reply(vec![to_json(&AgentClientFrame::Sync {
                        conversation: conversation.id,
                        after_seq: 0,
                    })])
                } else {
                    AgentEvent::Other
                }
            }
            AgentServerFrame::Message { message } => match message.author {
                shared::Author::Visitor => AgentEvent::Body(message.body),
                shared::Author::Agent { .. } => AgentEvent::Other,
            },
            AgentServerFrame::Ack {
                conversation, seq, ..
            } => AgentEvent::Ack {
                conversation: conversation.0,
                seq,
            },
            AgentServerFrame::Error { code, .. } => AgentEvent::Refused(code.as_str().to_owned()),
            _ => AgentEvent::Other,
        }
    }
}

/// An Ahlan agent's reply in a conversation.
pub fn agent_send(conversation: &str, client_id: &str, body: &str) -> String {
    to_json(&AgentClientFrame::Send {
        conversation: ConversationId(conversation.to_owned()),
        client_id: ClientId(client_id.to_owned()),
        body: body.to_owned(),
    })
}

enum SocketIo {
    Open,
    Ping,
    Connected,
    Event(String),
    Other,
}

fn socketio_packet(text: &str) -> SocketIo {
    if text == "2" {
        return SocketIo::Ping;
    }
    if text.starts_with("0{") {
        return SocketIo::Open;
    }
    if text.starts_with("40") {
        return SocketIo::Connected;
    }
    if let Some(payload) = text.strip_prefix("42") {
        if let Ok(serde_json::Value::Array(items)) = serde_json::from_str(payload) {
            if let Some(body) = items.get(1).and_then(|b| b.as_str()) {
                return SocketIo::Event(body.to_owned());
            }
        }
    }
    SocketIo::Other
}

/// The load's message body: who sent it, its number, and when (µs since
/// the load started), so the receiving side measures latency and counts
/// every message without any shared table.
pub fn body(visitor: usize, n: u32, sent_us: u64) -> String {
    format!("{visitor}:{n}:{sent_us}")
}

/// Parses [`body`].
pub fn parse_body(body: &str) -> Result<(usize, u32, u64)> {
    let mut parts = body.split(':');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(v), Some(n), Some(t), None) => Ok((v.parse()?, n.parse()?, t.parse()?)),
        _ => bail!("not a load message: {body:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_round_trip() {
        assert_eq!(parse_body(&body(12, 3, 456)).unwrap(), (12, 3, 456));
        assert!(parse_body("w:1").is_err());
        assert!(parse_body("1:2:3:4").is_err());
    }

    #[test]
    fn socketio_framing() {
        let sent = visitor_send(Kind::Socketio, "c", "1:2:3");
        assert_eq!(sent, r#"42["m","1:2:3"]"#);
        let mut wire = AgentWire::new(Kind::Socketio);
        assert_eq!(wire.event(&sent).unwrap(), AgentEvent::Body("1:2:3".into()));
        assert_eq!(
            wire.event("2").unwrap(),
            AgentEvent::Reply(vec!["3".into()])
        );
        assert_eq!(
            visitor_event(Kind::Socketio, r#"0{"sid":"x","pingInterval":25000}"#).unwrap(),
            VisitorEvent::Reply("40".into())
        );
        assert_eq!(
            visitor_event(Kind::Socketio, r#"40{"sid":"y"}"#).unwrap(),
            VisitorEvent::Connected
        );
    }

    #[test]
    fn ahlan_agent_syncs_only_its_own_assigned_conversations() {
        let mut wire = AgentWire::new(Kind::Ahlan);
        let welcome = r#"{"type":"welcome","agent":{"id":"a_me","name":"A","email":"a@x","role":"agent","capacity":5},"presence":"offline"}"#;
        assert!(matches!(wire.event(welcome).unwrap(), AgentEvent::Reply(_)));
        let conv = |agent: &str| {
            format!(
                r#"{{"type":"conversation","conversation":{{"id":"c1","site":"s","status":"assigned","agent":{{"id":"{agent}","name":"A"}},"visitor":{{"id":"v"}},"created_at":1,"last_seq":1}}}}"#
            )
        };
        assert_eq!(wire.event(&conv("a_other")).unwrap(), AgentEvent::Other);
        let AgentEvent::Reply(replies) = wire.event(&conv("a_me")).unwrap() else {
            panic!("expected a sync");
        };
        assert!(replies[0].contains(r#""type":"sync""#));
        // A repeat of the same assignment does not sync twice.
        assert_eq!(wire.event(&conv("a_me")).unwrap(), AgentEvent::Other);
        assert_eq!(wire.conversations, vec!["c1".to_string()]);
    }
}
