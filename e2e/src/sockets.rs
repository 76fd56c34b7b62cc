//! The protocol's two clients without a browser, for browser tests that
//! need the other side of a chat quickly: an agent who answers over
//! `/ws/agent`, a visitor who writes over `/ws/visitor` (docs/PROTOCOL.md).
//! They speak the `shared` frame types over the load generator's
//! connections.

use std::collections::HashSet;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use futures_util::{SinkExt, StreamExt};
use shared::{
    AgentClientFrame, AgentId, AgentServerFrame, ChatMessage, ClientId, ConversationId,
    ConversationStatus, ErrorCode, Seq, VisitorClientFrame, VisitorServerFrame,
};
use tokio::time::{timeout_at, Instant};
use tokio_tungstenite::tungstenite::Message;

use crate::load::client::login;
use crate::load::conn::{connect, Ws};
use crate::{Ahlan, TIMEOUT};

/// How long to wait before retrying a send the server refused as
/// `rate_limited`: its bucket refills at 5 sends a second.
const RATE_LIMIT_RETRY: Duration = Duration::from_millis(250);

/// `http://h:p` → `ws://h:p`.
fn ws_url(base: &str, path: &str) -> String {
    format!("{}{path}", base.replacen("http", "ws", 1))
}

fn new_client_id() -> ClientId {
    ClientId(crate::random_hex(32))
}

async fn send_frame<T: serde::Serialize>(ws: &mut Ws, frame: &T) -> Result<()> {
    let text = serde_json::to_string(frame).context("encoding a frame")?;
    ws.send(Message::text(text))
        .await
        .context("sending a frame")
}

/// The next text frame before `deadline`, decoded as `T`.
async fn next_frame<T: serde::de::DeserializeOwned>(ws: &mut Ws, deadline: Instant) -> Result<T> {
    loop {
        let message = timeout_at(deadline, ws.next())
            .await
            .map_err(|_| anyhow!("timed out waiting for a frame"))?
            .ok_or_else(|| anyhow!("the socket closed"))?
            .context("reading the socket")?;
        match message {
            Message::Text(text) => {
                return serde_json::from_str(text.as_str())
                    .with_context(|| format!("decoding {text}"));
            }
            Message::Close(frame) => bail!("the socket closed: {frame:?}"),
            _ => {}
        }
    }
}

/// An agent on the agent socket, online, who follows every conversation
/// assigned to them (syncing it, so its messages arrive).
pub struct AgentSocket {
    ws: Ws,
    me: AgentId,
    synced: HashSet<ConversationId>,
    /// Every message of a followed conversation so far, in arrival order.
    pub messages: Vec<ChatMessage>,
    /// Every note received (live, or replayed by a sync).
    received_notes: Vec<shared::Note>,
}

impl AgentSocket {
    /// The server's admin, logged in over REST, on a new agent socket.
    pub async fn admin(ahlan: &Ahlan) -> Result<Self> {
        Self::connect(&ahlan.base_url, &ahlan.admin_email, &ahlan.admin_password).await
    }

    /// Logs in as `email` and opens an agent socket; returns once the
    /// snapshot is complete (`ready`).
    pub async fn connect(base_url: &str, email: &str, password: &str) -> Result<Self> {
        let http = reqwest::Client::new();
        let cookie = login(&http, base_url, email, password).await?;
        let url = ws_url(base_url, "/ws/agent");
        let mut ws = connect(&url, &[("Origin", base_url), ("Cookie", &cookie)]).await?;
        let deadline = Instant::now() + TIMEOUT;
        let mut me = None;
        let mut snapshot = Vec::new();
        loop {
            match next_frame(&mut ws, deadline).await? {
                AgentServerFrame::Welcome { agent, .. } => me = Some(agent.id),
                AgentServerFrame::Conversation { conversation } => snapshot.push(conversation),
                AgentServerFrame::Ready => break,
                AgentServerFrame::Error { code, message, .. } => {
                    bail!("the agent socket refused {email}: {code:?} {message}")
                }
                _ => {}
            }
        }
        let mut agent = Self {
            ws,
            me: me.context("no welcome before ready")?,
            synced: HashSet::new(),
            messages: Vec::new(),
            received_notes: Vec::new(),
        };
        for conversation in snapshot {
            agent
                .follow(conversation.id, conversation.status, conversation.agent)
                .await?;
        }
        Ok(agent)
    }

    /// Syncs a conversation assigned to this agent, once.
    async fn follow(
        &mut self,
        id: ConversationId,
        status: ConversationStatus,
        agent: Option<shared::AgentPublic>,
    ) -> Result<()> {
        let mine = status == ConversationStatus::Assigned && agent.is_some_and(|a| a.id == self.me);
        if mine && self.synced.insert(id.clone()) {
            send_frame(
                &mut self.ws,
                &AgentClientFrame::Sync {
                    conversation: id,
                    after_seq: 0,
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The next frame, with the bookkeeping every frame needs: conversations
    /// assigned to this agent are followed, messages recorded.
    async fn next(&mut self, deadline: Instant) -> Result<AgentServerFrame> {
        let frame: AgentServerFrame = next_frame(&mut self.ws, deadline).await?;
        match &frame {
            AgentServerFrame::Conversation { conversation } => {
                let c = conversation.clone();
                self.follow(c.id, c.status, c.agent).await?;
            }
            AgentServerFrame::Message { message } => self.messages.push(message.clone()),
            AgentServerFrame::Note { note }
                if !self
                    .received_notes
                    .iter()
                    .any(|n| n.conversation == note.conversation && n.id == note.id) =>
            {
                self.received_notes.push(note.clone());
            }
            _ => {}
        }
        Ok(frame)
    }

    /// Waits until `count` notes of `conversation` arrived (a conversation
    /// given to this agent is synced, which replays its notes); returns
    /// their texts in order.
    pub async fn notes(
        &mut self,
        conversation: &ConversationId,
        count: usize,
    ) -> Result<Vec<String>> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let mut held: Vec<&shared::Note> = self
                .received_notes
                .iter()
                .filter(|n| &n.conversation == conversation)
                .collect();
            if held.len() >= count {
                held.sort_by_key(|n| n.id);
                return Ok(held.iter().map(|n| n.body.clone()).collect());
            }
            self.next(deadline)
                .await
                .with_context(|| format!("waiting for {count} notes"))?;
        }
    }

    /// Waits until a visitor message with exactly `body` arrived in one of
    /// this agent's conversations (the admin takes every new one while it
    /// has room); returns it.
    pub async fn visitor_message(&mut self, body: &str) -> Result<ChatMessage> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let seen = self
                .messages
                .iter()
                .find(|m| m.body == body && matches!(m.author, shared::Author::Visitor));
            if let Some(message) = seen {
                return Ok(message.clone());
            }
            self.next(deadline)
                .await
                .with_context(|| format!("waiting for the visitor's {body:?}"))?;
        }
    }

    /// Sends `body` in `conversation`; returns its seq once stored.
    pub async fn reply(&mut self, conversation: &ConversationId, body: &str) -> Result<Seq> {
        let client_id = new_client_id();
        let frame = AgentClientFrame::Send {
            conversation: conversation.clone(),
            client_id: client_id.clone(),
            body: body.to_owned(),
        };
        self.request(frame, &client_id, "reply", |f| match f {
            AgentServerFrame::Ack {
                client_id: id, seq, ..
            } if *id == client_id => Some(*seq),
            _ => None,
        })
        .await
    }

    /// Resolves `conversation`; returns once the server says it is.
    pub async fn resolve(&mut self, conversation: &ConversationId) -> Result<()> {
        send_frame(
            &mut self.ws,
            &AgentClientFrame::Resolve {
                conversation: conversation.clone(),
            },
        )
        .await?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match self
                .next(deadline)
                .await
                .context("waiting for the resolve")?
            {
                AgentServerFrame::Conversation { conversation: c }
                    if &c.id == conversation && c.status == ConversationStatus::Resolved =>
                {
                    return Ok(())
                }
                AgentServerFrame::Error { code, message, .. } => {
                    bail!("resolve refused: {code:?} {message}")
                }
                _ => {}
            }
        }
    }

    /// Writes a private note in `conversation`; returns its number once
    /// stored (its `note` frame came back).
    pub async fn note(&mut self, conversation: &ConversationId, body: &str) -> Result<u64> {
        let client_id = new_client_id();
        let frame = AgentClientFrame::Note {
            conversation: conversation.clone(),
            client_id: client_id.clone(),
            body: body.to_owned(),
        };
        self.request(frame, &client_id, "note", |f| match f {
            AgentServerFrame::Note { note } if note.client_id == client_id => Some(note.id),
            _ => None,
        })
        .await
    }

    /// Sends `frame` (whose client id is `client_id`) and reads until
    /// `answer` recognises its answer. A rate-limited refusal is sent
    /// again after a pause; any other refusal is an error naming `what`.
    async fn request<T>(
        &mut self,
        frame: AgentClientFrame,
        client_id: &shared::ClientId,
        what: &str,
        answer: impl Fn(&AgentServerFrame) -> Option<T>,
    ) -> Result<T> {
        let deadline = Instant::now() + TIMEOUT;
        send_frame(&mut self.ws, &frame).await?;
        loop {
            let got = self
                .next(deadline)
                .await
                .with_context(|| format!("waiting for the {what}'s answer"))?;
            if let Some(done) = answer(&got) {
                return Ok(done);
            }
            match got {
                AgentServerFrame::Error {
                    code: ErrorCode::RateLimited,
                    client_id: Some(id),
                    ..
                } if id == *client_id => {
                    tokio::time::sleep(RATE_LIMIT_RETRY).await;
                    send_frame(&mut self.ws, &frame).await?;
                }
                AgentServerFrame::Error {
                    code,
                    message,
                    client_id: Some(id),
                    ..
                } if id == *client_id => bail!("the {what} was refused: {code:?} {message}"),
                _ => {}
            }
        }
    }
}

/// A visitor on the visitor socket.
pub struct VisitorSocket {
    ws: Ws,
    /// The visitor's token (give it to a browser's widget to be the same
    /// visitor there, or take a widget's to write in its conversation).
    pub token: String,
}

impl VisitorSocket {
    /// Says hello to the server's demo site as `token`'s visitor (a new
    /// one without), from a page at `origin` (which the site must allow),
    /// in `locale`.
    pub async fn connect(
        ahlan: &Ahlan,
        origin: &str,
        token: Option<String>,
        locale: Option<&str>,
    ) -> Result<Self> {
        let url = ws_url(&ahlan.base_url, "/ws/visitor");
        let mut ws = connect(&url, &[("Origin", origin)]).await?;
        let hello = VisitorClientFrame::Hello {
            site: ahlan.site_key.clone(),
            token,
            last_seq: 0,
            origin: Some(origin.to_owned()),
            locale: locale.map(str::to_owned),
            identity: None,
            proactive: None,
        };
        send_frame(&mut ws, &hello).await?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            match next_frame(&mut ws, deadline).await? {
                VisitorServerFrame::Welcome { token, .. } => return Ok(Self { ws, token }),
                VisitorServerFrame::Error { code, message, .. } => {
                    bail!("hello refused: {code:?} {message}")
                }
                _ => {}
            }
        }
    }

    /// Sends `body`; returns its conversation and seq once stored. Waits
    /// and retries (same client id, as the protocol says) while the
    /// server's flood guard refuses it.
    pub async fn send(&mut self, body: &str) -> Result<(ConversationId, Seq)> {
        let client_id = new_client_id();
        let frame = VisitorClientFrame::Send {
            client_id: client_id.clone(),
            body: body.to_owned(),
        };
        let deadline = Instant::now() + TIMEOUT;
        send_frame(&mut self.ws, &frame).await?;
        loop {
            let frame_in = next_frame(&mut self.ws, deadline)
                .await
                .with_context(|| format!("waiting for the ack of {body:?}"))?;
            match frame_in {
                VisitorServerFrame::Ack {
                    client_id: id,
                    conversation,
                    seq,
                    ..
                } if id == client_id => return Ok((conversation, seq)),
                VisitorServerFrame::Error {
                    code: ErrorCode::RateLimited,
                    client_id: Some(id),
                    ..
                } if id == client_id => {
                    tokio::time::sleep(RATE_LIMIT_RETRY).await;
                    send_frame(&mut self.ws, &frame).await?;
                }
                VisitorServerFrame::Error { code, message, .. } => {
                    bail!("the send was refused: {code:?} {message}")
                }
                _ => {}
            }
        }
    }
}
