//! The agent socket: presence, replies, typing, pick, resolve, and live
//! updates of the waiting queue and the agent's own conversations.
//!
//! Message frames for a conversation flow only after the client `sync`s it
//! (and then gap-free, in seq order); before that, new messages arrive as
//! `conversation` frames whose `last_message` is the preview. So a client
//! never holds a message without holding every earlier one.
//!
//! The socket hands out only what its agent may see ([`access::may_see`]):
//! a conversation that leaves their view is announced once with `gone`,
//! and nothing of it follows. Summaries never go back in time: the
//! [`AgentView`] drops events older than what the client holds. The
//! account is re-read whenever it changes; a socket whose session ended
//! closes with [`SESSION_ENDED`].

use super::driver::{send, send_or_close, Connection, Flow};
use super::frames::{check_send, SendLimiter};
use super::hub::Handle;
use super::live;
use super::view::{AgentView, Change};
use crate::access;
use crate::clock::now_millis;
use crate::error::{default_message, ApiError};
use crate::metrics::Socket;
use crate::store::{AgentRecord, ConversationFilter, Event, Mark, Party, StoreError};
use crate::AppState;
use actix_web::web;
use actix_ws::Session;
use shared::{
    AgentClientFrame, AgentServerFrame, ClientId, ConversationId, ConversationStatus,
    ConversationSummary, ErrorCode, Presence, Seq, TransferTarget,
};
use std::collections::HashMap;
use std::time::{Duration, Instant};

const KNOWN: &[&str] = &[
    "presence", "send", "note", "typing", "pick", "resolve", "sync", "viewing", "transfer", "read",
];
const PAGE: usize = 500;
/// Open callback requests a snapshot carries at most (oldest first: the
/// ones to call first).
const SNAPSHOT_CALLBACKS: usize = 500;

/// Close code when the session behind a dashboard ended (logout, new
/// password, account disabled or deleted): log in again.
pub const SESSION_ENDED: u16 = 4001;

/// One agent connection (a dashboard tab).
pub struct AgentConnection {
    state: web::Data<AppState>,
    session: Session,
    agent: AgentRecord,
    /// The login session this socket belongs to (its token hash).
    session_hash: String,
    /// What the client holds (open conversations, by version).
    view: AgentView,
    /// This socket in the node's hub (told who the agent is).
    events: Handle,
    /// Highest seq sent per synced conversation.
    synced: HashMap<ConversationId, Seq>,
    /// When the login session ends (then the socket closes, 4001).
    session_ends: Option<tokio::time::Instant>,
    limiter: SendLimiter,
    /// The conversation this dashboard has open, as it last said.
    viewing: Option<ConversationId>,
}

impl AgentConnection {
    /// A new connection for a logged-in agent.
    pub fn new(
        state: web::Data<AppState>,
        session: Session,
        agent: AgentRecord,
        session_hash: String,
        events: Handle,
    ) -> Self {
        let limiter = SendLimiter::new(Instant::now(), state.config.send_rate);
        events.viewer(&agent);
        Self {
            state,
            session,
            agent,
            session_hash,
            events,
            view: AgentView::default(),
            synced: HashMap::new(),
            session_ends: None,
            viewing: None,
            limiter,
        }
    }

    /// The agent's id.
    pub fn agent_id(&self) -> &shared::AgentId {
        &self.agent.id
    }

    /// Reads when the login session ends; `false` if it already has.
    pub async fn learn_session_end(&mut self) -> bool {
        let ends = match self.state.store.session_ends(&self.session_hash).await {
            Ok(Some(ends)) => ends,
            Ok(None) => return false,
            // Unknown for now: the session was valid a moment ago, and
            // logout still reaches the socket as an event.
            Err(e) => {
                tracing::warn!(error = %e, "could not read when a session ends");
                self.session_ends = None;
                return true;
            }
        };
        let left = Duration::from_millis(ends.saturating_sub(now_millis()));
        self.session_ends = Some(tokio::time::Instant::now() + left);
        true
    }

    /// Sends `welcome`, the snapshot (waiting conversations and mine), then
    /// `ready`. Also how the socket resyncs: after lag, or when the account
    /// changed. Conversations the client held that it may no longer see
    /// get `gone` first.
    pub async fn start(&mut self) -> Flow {
        let presence = self
            .state
            .store
            .presence(&self.agent.id)
            .await
            .unwrap_or(Presence::Offline);
        let agent = self.agent.clone();
        for id in self.view.refilter(|c| access::may_see(&agent, c)) {
            if let Flow::Close(r) = self.gone(id).await {
                return Flow::Close(r);
            }
        }
        let welcome = AgentServerFrame::Welcome {
            agent: self.agent.profile(),
            presence,
        };
        if let Flow::Close(r) = send_or_close(&mut self.session, &welcome).await {
            return Flow::Close(r);
        }
        if let Flow::Close(r) = self.snapshot().await {
            return Flow::Close(r);
        }
        if let Flow::Close(r) = send_or_close(&mut self.session, &AgentServerFrame::Ready).await {
            return Flow::Close(r);
        }
        // Synced conversations catch up on what the resend did not carry.
        let synced: Vec<_> = self.synced.keys().cloned().collect();
        for conv in synced {
            if let Flow::Close(r) = self.catch_up(&conv).await {
                return Flow::Close(r);
            }
        }
        Flow::Continue
    }

    async fn snapshot(&mut self) -> Flow {
        self.view.begin_snapshot();
        for filter in [
            ConversationFilter::Waiting,
            ConversationFilter::AssignedTo(self.agent.id.clone()),
        ] {
            let list = match self.state.store.list_conversations(filter).await {
                Ok(list) => list,
                // A snapshot cut short would make the client drop what it
                // did not list: say why and close instead; the reconnect
                // gets a whole one.
                Err(e) => {
                    if let Flow::Close(r) = self.store_error(e, None, None).await {
                        return Flow::Close(r);
                    }
                    return Flow::server_error("snapshot unavailable");
                }
            };
            for c in list {
                let visible = self.visible(&c);
                if !visible {
                    continue;
                }
                let change = self.view.take(c, visible);
                if let Flow::Close(r) = self.tell(change).await {
                    return Flow::Close(r);
                }
            }
        }
        // The open callback requests I may see (the client starts its list
        // afresh at `welcome`: ones closed meanwhile are simply not here).
        let open = match self.state.store.callbacks(true, SNAPSHOT_CALLBACKS).await {
            Ok(open) => open,
            Err(e) => {
                if let Flow::Close(r) = self.store_error(e, None, None).await {
                    return Flow::Close(r);
                }
                return Flow::server_error("snapshot unavailable");
            }
        };
        for callback in open {
            if let Flow::Close(r) = self.tell_callback(callback).await {
                return Flow::Close(r);
            }
        }
        Flow::Continue
    }

    /// A callback request, if I may see it.
    async fn tell_callback(&mut self, callback: shared::callback::Callback) -> Flow {
        if !access::may_see_callback(&self.agent, &callback) {
            return Flow::Continue;
        }
        let frame = AgentServerFrame::Callback {
            callback: Box::new(callback),
        };
        send_or_close(&mut self.session, &frame).await
    }

    /// The client may no longer see `id` (the view forgot it already): say
    /// so once and stop following it.
    async fn gone(&mut self, id: ConversationId) -> Flow {
        self.synced.remove(&id);
        // Out of sight: no colleague hints about it either (the dashboard
        // says `viewing` again if it ever comes back).
        if self.viewing.as_ref() == Some(&id) {
            self.viewing = None;
        }
        send_or_close(
            &mut self.session,
            &AgentServerFrame::Gone { conversation: id },
        )
        .await
    }

    /// Re-reads the session and the account after a change: closes if
    /// either is gone, otherwise resends what the agent may now see.
    async fn revalidate(&mut self) -> Flow {
        let session = self.state.store.session_agent(&self.session_hash).await;
        let record = self.state.store.agent(&self.agent.id).await;
        match (session, record) {
            (Ok(Some(owner)), Ok(Some(record))) if owner == self.agent.id && !record.disabled => {
                self.events.viewer(&record);
                self.agent = record;
                self.start().await
            }
            (Err(e), _) | (_, Err(e)) => self.store_error(e, None, None).await,
            _ => self.session_ended().await,
        }
    }

    /// Closes a socket whose session ended before it started.
    pub async fn close_ended(mut self) {
        if let Flow::Close(reason) = self.session_ended().await {
            let _ = self.session.close(Some(reason)).await;
        }
    }

    async fn session_ended(&mut self) -> Flow {
        let _ = self
            .error(
                ErrorCode::Unauthorized,
                "Your session ended; log in again.",
                None,
                None,
            )
            .await;
        Flow::Close(actix_ws::CloseReason {
            code: actix_ws::CloseCode::Other(SESSION_ENDED),
            description: Some("session ended".into()),
        })
    }

    /// Tells the client what the view decided.
    async fn tell(&mut self, change: Change) -> Flow {
        let change = match change {
            Change::Verify(hint) => match self.verify(hint).await {
                Ok(change) => change,
                Err(flow) => return flow,
            },
            change => change,
        };
        match change {
            Change::Show(c) => {
                send_or_close(
                    &mut self.session,
                    &AgentServerFrame::Conversation { conversation: c },
                )
                .await
            }
            Change::Drop(id) => self.gone(id).await,
            Change::Verify(_) | Change::Nothing => Flow::Continue,
        }
    }

    /// A summary that would add a conversation may be older than the
    /// store: the view takes the current state instead.
    async fn verify(&mut self, hint: ConversationSummary) -> Result<Change, Flow> {
        let current = match self.state.store.conversation(&hint.id).await {
            Ok(Some(c)) if c.version >= hint.version => c,
            Ok(Some(_)) => hint,
            // Deleted since (its site went): nothing to add.
            Ok(None) => return Ok(Change::Nothing),
            Err(e) => return Err(self.store_error(e, None, Some(hint.id)).await),
        };
        let visible = self.visible(&current);
        Ok(self.view.take(current, visible))
    }

    async fn error(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        client_id: Option<ClientId>,
        conversation: Option<ConversationId>,
    ) -> Flow {
        self.state.metrics.rejected(Socket::Agent, code);
        let frame = AgentServerFrame::Error {
            code,
            message: message.into(),
            client_id,
            conversation,
        };
        send_or_close(&mut self.session, &frame).await
    }

    async fn store_error(
        &mut self,
        e: StoreError,
        client_id: Option<ClientId>,
        conversation: Option<ConversationId>,
    ) -> Flow {
        if matches!(e, StoreError::Unavailable(_)) {
            self.state.metrics.store_error(Socket::Agent);
        }
        let api = ApiError::from(e);
        self.error(api.code, api.message, client_id, conversation)
            .await
    }

    fn visible(&self, c: &ConversationSummary) -> bool {
        access::may_see(&self.agent, c)
    }

    /// Sends messages after the watermark of a synced conversation.
    async fn catch_up(&mut self, conv: &ConversationId) -> Flow {
        let Some(mut last) = self.synced.get(conv).copied() else {
            return Flow::Continue;
        };
        loop {
            let page = match self.state.store.messages_after(conv, last, PAGE).await {
                Ok(p) => p,
                Err(e) => return self.store_error(e, None, Some(conv.clone())).await,
            };
            let done = page.len() < PAGE;
            for message in page {
                last = message.seq;
                self.synced.insert(conv.clone(), last);
                if send(&mut self.session, &AgentServerFrame::Message { message })
                    .await
                    .is_err()
                {
                    return Flow::Close(actix_ws::CloseCode::Normal.into());
                }
            }
            if done {
                return Flow::Continue;
            }
        }
    }

    async fn conversation(
        &mut self,
        id: &ConversationId,
    ) -> Result<ConversationSummary, StoreError> {
        self.state
            .store
            .conversation(id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A conversation this agent may see, or the error already told to
    /// the client (`forbidden`, or the store's) as the flow to return.
    async fn visible_or_refuse(
        &mut self,
        conv: &ConversationId,
    ) -> Result<ConversationSummary, Flow> {
        match self.conversation(conv).await {
            Ok(c) if self.visible(&c) => Ok(c),
            Ok(_) => {
                let code = ErrorCode::Forbidden;
                Err(self
                    .error(code, default_message(code), None, Some(conv.clone()))
                    .await)
            }
            Err(e) => Err(self.store_error(e, None, Some(conv.clone())).await),
        }
    }

    async fn sync(&mut self, conv: ConversationId, after_seq: Seq) -> Flow {
        let summary = match self.visible_or_refuse(&conv).await {
            Ok(c) => c,
            Err(flow) => return flow,
        };
        self.synced
            .insert(conv.clone(), after_seq.min(summary.last_seq));
        if let Flow::Close(r) = self.catch_up(&conv).await {
            return Flow::Close(r);
        }
        // Then every note: few per conversation, and the client keys them
        // by id, so a note that also comes live is simply replaced.
        let notes = match self.state.store.notes(&conv).await {
            Ok(notes) => notes,
            Err(e) => return self.store_error(e, None, Some(conv)).await,
        };
        for note in notes {
            if let Flow::Close(r) =
                send_or_close(&mut self.session, &AgentServerFrame::Note { note }).await
            {
                return Flow::Close(r);
            }
        }
        Flow::Continue
    }

    /// The dashboard opened (or closed) a conversation: colleagues who have
    /// it open are told, and it hears of them through their echoes.
    async fn viewing(&mut self, conv: ConversationId, viewing: bool) -> Flow {
        if !viewing {
            if self.viewing.as_ref() == Some(&conv) {
                self.left().await;
            }
            return Flow::Continue;
        }
        let summary = match self.visible_or_refuse(&conv).await {
            Ok(c) => c,
            Err(flow) => return flow,
        };
        if self.viewing.as_ref() != Some(&conv) {
            self.left().await;
        }
        self.viewing = Some(conv);
        self.announce(&summary, true, false).await;
        Flow::Continue
    }

    /// Tells colleagues this dashboard closed what it had open (also when
    /// the socket ends).
    pub async fn left(&mut self) {
        let Some(conv) = self.viewing.take() else {
            return;
        };
        if let Ok(summary) = self.conversation(&conv).await {
            self.announce(&summary, false, false).await;
        }
    }

    /// This agent as colleagues and visitors may know them.
    fn public(&self) -> shared::AgentPublic {
        shared::AgentPublic {
            id: self.agent.id.clone(),
            name: self.agent.name.clone(),
        }
    }

    /// Publishes this agent's whereabouts; a failure only costs colleagues
    /// a hint, so it is logged, not reported.
    async fn announce(&self, conversation: &ConversationSummary, viewing: bool, echo: bool) {
        let event = Event::Viewing {
            conversation: Box::new(conversation.clone()),
            agent: self.public(),
            viewing,
            echo,
        };
        if let Err(e) = self.state.store.publish(event).await {
            tracing::debug!(error = %e, "could not announce viewing");
        }
    }

    /// Why a reply or note is refused before the store sees it: its client
    /// id or body, or the flood guard.
    fn precheck(&mut self, client_id: &ClientId, body: &str) -> Result<(), ErrorCode> {
        check_send(client_id, body)?;
        if !self.limiter.allow(Instant::now()) {
            return Err(ErrorCode::RateLimited);
        }
        Ok(())
    }

    /// An internal note: the same limits as a reply (length, client id,
    /// the flood guard), written by anyone who may see the conversation.
    async fn note(&mut self, conv: ConversationId, client_id: ClientId, body: String) -> Flow {
        if let Err(code) = self.precheck(&client_id, &body) {
            return self
                .error(code, default_message(code), Some(client_id), Some(conv))
                .await;
        }
        let agent = self.agent.clone();
        let out = match self
            .state
            .routing
            .agent_note(&conv, &agent, client_id.clone(), body)
            .await
        {
            Ok(out) => out,
            Err(e) => return self.store_error(e, Some(client_id), Some(conv)).await,
        };
        // The live event brings a new note to every socket following the
        // conversation, this one included; a retry (no event) or a socket
        // not following it gets its note here.
        if out.duplicate || !self.synced.contains_key(&conv) {
            return send_or_close(
                &mut self.session,
                &AgentServerFrame::Note { note: out.note },
            )
            .await;
        }
        Flow::Continue
    }

    /// My dashboard's receiving or reading of a conversation: counts when
    /// it is assigned to me (a supervisor looking in is not its agent
    /// reading), is ignored for others I may see, and refused for one I
    /// may not.
    async fn mark(&mut self, conv: ConversationId, mark: Mark, seq: Seq) -> Flow {
        let summary = match self.visible_or_refuse(&conv).await {
            Ok(c) => c,
            Err(flow) => return flow,
        };
        if summary.agent.as_ref().map(|a| &a.id) != Some(&self.agent.id) {
            return Flow::Continue;
        }
        match self
            .state
            .routing
            .mark(&conv, Party::Agent, mark, seq)
            .await
        {
            Ok(()) => Flow::Continue,
            Err(e) => self.store_error(e, None, Some(conv)).await,
        }
    }

    async fn transfer(
        &mut self,
        conv: ConversationId,
        to: TransferTarget,
        client_id: ClientId,
        note: Option<String>,
    ) -> Flow {
        // A blank note is no note.
        let note = note.filter(|n| !n.trim().is_empty());
        let checked = match &note {
            Some(body) => self.precheck(&client_id, body),
            None if !client_id.is_valid() => Err(ErrorCode::InvalidClientId),
            None => Ok(()),
        };
        if let Err(code) = checked {
            return self
                .error(code, default_message(code), Some(client_id), Some(conv))
                .await;
        }
        let agent = self.agent.clone();
        let note = note.map(|body| (client_id.clone(), body));
        match self.state.routing.transfer(&conv, &agent, &to, note).await {
            // The conversation's own update (or `gone`) follows as an event.
            Ok(_) => Flow::Continue,
            Err(StoreError::AtCapacity) => {
                let message = "That colleague already has as many open chats as their capacity \
                               allows; choose someone else, or a team.";
                self.error(
                    ErrorCode::AtCapacity,
                    message.to_owned(),
                    Some(client_id),
                    Some(conv),
                )
                .await
            }
            Err(e) => self.store_error(e, Some(client_id), Some(conv)).await,
        }
    }

    async fn reply(&mut self, conv: ConversationId, client_id: ClientId, body: String) -> Flow {
        if let Err(code) = self.precheck(&client_id, &body) {
            return self
                .error(code, default_message(code), Some(client_id), Some(conv))
                .await;
        }
        let agent = self.agent.clone();
        let out = match self
            .state
            .routing
            .agent_message(&conv, &agent, client_id.clone(), body)
            .await
        {
            Ok(out) => out,
            Err(e) => return self.store_error(e, Some(client_id), Some(conv)).await,
        };
        // Replying implies the client has the conversation open: start
        // following it — but only if this agent may see it. A fresh append
        // proves that (the store checked the assignment); a duplicate does
        // not (the conversation may have moved to a colleague since), so
        // ask again rather than replay someone else's chat.
        if !self.synced.contains_key(&conv) {
            let may_see = !out.duplicate
                || match self.conversation(&conv).await {
                    Ok(c) => self.visible(&c),
                    Err(_) => false,
                };
            if may_see {
                self.synced
                    .insert(conv.clone(), out.message.seq.saturating_sub(1));
            }
        }
        if let Flow::Close(r) = self.catch_up(&conv).await {
            return Flow::Close(r);
        }
        let ack = AgentServerFrame::Ack {
            client_id,
            conversation: conv,
            seq: out.message.seq,
            sent_at: out.message.sent_at,
        };
        send_or_close(&mut self.session, &ack).await
    }

    async fn typing(&mut self, conv: ConversationId, typing: bool) -> Flow {
        match self.conversation(&conv).await {
            Ok(c)
                if c.status == ConversationStatus::Assigned
                    && c.agent.as_ref().is_some_and(|a| a.id == self.agent.id) =>
            {
                match self
                    .state
                    .routing
                    .typing(
                        conv.clone(),
                        Party::Agent,
                        Some(self.public()),
                        typing,
                        None,
                    )
                    .await
                {
                    Ok(()) => Flow::Continue,
                    Err(e) => self.store_error(e, None, Some(conv)).await,
                }
            }
            Ok(_) => {
                self.error(
                    ErrorCode::Forbidden,
                    default_message(ErrorCode::Forbidden),
                    None,
                    Some(conv),
                )
                .await
            }
            Err(e) => self.store_error(e, None, Some(conv)).await,
        }
    }

    /// A stored message and its conversation right after it: a `message`
    /// frame where the client follows the conversation, else a preview
    /// (the summary) — either only if the agent may see it.
    async fn on_message_event(
        &mut self,
        message: shared::ChatMessage,
        mut conversation: ConversationSummary,
    ) -> Flow {
        conversation.last_message = Some(message.clone());
        let visible = self.visible(&conversation);
        let conv = conversation.id.clone();
        let following = visible && self.synced.contains_key(&conv);
        let change = if following {
            self.view.update_streamed(conversation, visible)
        } else {
            self.view.update(conversation, visible)
        };
        if let Flow::Close(r) = self.tell(change).await {
            return Flow::Close(r);
        }
        let Some(&last) = self.synced.get(&conv).filter(|_| following) else {
            return Flow::Continue;
        };
        match live::step(last, message.seq) {
            live::Step::Skip => Flow::Continue,
            live::Step::CatchUp => self.catch_up(&conv).await,
            live::Step::Send => {
                self.synced.insert(conv, message.seq);
                send_or_close(&mut self.session, &AgentServerFrame::Message { message }).await
            }
        }
    }
}

impl Connection for AgentConnection {
    type Frame = AgentClientFrame;
    const KINDS: &'static [&'static str] = KNOWN;

    fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    fn error_frame(&self, code: ErrorCode, message: String) -> String {
        serde_json::to_string(&AgentServerFrame::Error {
            code,
            message,
            client_id: None,
            conversation: None,
        })
        .unwrap_or_default()
    }

    fn metrics(&self) -> Option<(&crate::metrics::Metrics, Socket)> {
        Some((&self.state.metrics, Socket::Agent))
    }

    async fn on_frame(&mut self, frame: AgentClientFrame) -> Flow {
        match frame {
            AgentClientFrame::Presence {
                status: Presence::Offline,
            } => {
                // A frame-level mistake, so a frame-level code (REST's
                // `bad_request` is for HTTP bodies).
                self.error(
                    ErrorCode::MalformedFrame,
                    "presence must be online or away; close the socket to go offline",
                    None,
                    None,
                )
                .await
            }
            AgentClientFrame::Presence { status } => {
                self.state.agents.choose(&self.agent.id, status);
                match self
                    .state
                    .routing
                    .set_presence(&self.agent.id, status)
                    .await
                {
                    Ok(()) => Flow::Continue,
                    Err(e) => self.store_error(e, None, None).await,
                }
            }
            AgentClientFrame::Send {
                conversation,
                client_id,
                body,
            } => self.reply(conversation, client_id, body).await,
            AgentClientFrame::Typing {
                conversation,
                typing,
            } => self.typing(conversation, typing).await,
            AgentClientFrame::Pick { conversation } => {
                match self.state.routing.pick(&conversation, &self.agent.id).await {
                    Ok(_) => Flow::Continue,
                    Err(e) => self.store_error(e, None, Some(conversation)).await,
                }
            }
            AgentClientFrame::Resolve { conversation } => match self
                .state
                .routing
                .resolve(&conversation, &self.agent.id)
                .await
            {
                Ok(_) => Flow::Continue,
                Err(e) => self.store_error(e, None, Some(conversation)).await,
            },
            AgentClientFrame::Note {
                conversation,
                client_id,
                body,
            } => self.note(conversation, client_id, body).await,
            AgentClientFrame::Read { conversation, seq } => {
                self.mark(conversation, Mark::Read, seq).await
            }
            AgentClientFrame::Delivered { conversation, seq } => {
                self.mark(conversation, Mark::Delivered, seq).await
            }
            AgentClientFrame::Transfer {
                conversation,
                to,
                client_id,
                note,
            } => self.transfer(conversation, to, client_id, note).await,
            AgentClientFrame::Sync {
                conversation,
                after_seq,
            } => self.sync(conversation, after_seq).await,
            AgentClientFrame::Viewing {
                conversation,
                viewing,
            } => self.viewing(conversation, viewing).await,
        }
    }

    async fn on_event(&mut self, event: Event) -> Flow {
        match event {
            Event::Message {
                message,
                conversation,
            } => self.on_message_event(message, *conversation).await,
            Event::Conversation { conversation } => {
                // One that left this agent's view (a colleague took it…)
                // gets one `gone` if the client held it, then silence.
                let visible = self.visible(&conversation);
                let id = conversation.id.clone();
                let change = self.view.update(*conversation, visible);
                if change == Change::Nothing && !visible && self.synced.contains_key(&id) {
                    return self.gone(id).await;
                }
                self.tell(change).await
            }
            Event::Callback { callback } => self.tell_callback(*callback).await,
            Event::Activity { conversation } => {
                if !self.visible(&conversation) {
                    return Flow::Continue;
                }
                let frame = AgentServerFrame::Activity {
                    conversation: conversation.id.clone(),
                };
                send_or_close(&mut self.session, &frame).await
            }
            Event::Viewing {
                conversation,
                agent,
                viewing,
                echo,
            } => {
                let here = self.viewing.as_ref() == Some(&conversation.id);
                if agent.id == self.agent.id || !here || !self.visible(&conversation) {
                    return Flow::Continue;
                }
                // Someone just opened what I have open: they learn I am here
                // too (once: an echo is not answered).
                if viewing && !echo {
                    self.announce(&conversation, true, true).await;
                }
                let frame = AgentServerFrame::Viewing {
                    conversation: conversation.id.clone(),
                    agent,
                    viewing,
                };
                send_or_close(&mut self.session, &frame).await
            }
            Event::Note { note, conversation } => {
                if self.synced.contains_key(&note.conversation) && self.visible(&conversation) {
                    send_or_close(&mut self.session, &AgentServerFrame::Note { note }).await
                } else {
                    Flow::Continue
                }
            }
            Event::VisitorErased {
                site,
                conversation: Some(erased),
            } => {
                // Held in the inbox, open, or perhaps in a list the
                // dashboard read by REST (resolved ones): whoever may have
                // seen it drops it.
                let held = !self.view.refilter(|c| c.id != erased).is_empty();
                if held || self.synced.contains_key(&erased) || self.agent.serves(&site) {
                    self.gone(erased).await
                } else {
                    Flow::Continue
                }
            }
            Event::SiteDeleted { site } => {
                for id in self.view.drop_site(&site) {
                    if let Flow::Close(r) = self.gone(id).await {
                        return Flow::Close(r);
                    }
                }
                Flow::Continue
            }
            Event::SessionEnded { agent, session }
                if agent == self.agent.id && session == self.session_hash =>
            {
                self.session_ended().await
            }
            Event::AgentChanged { agent } if agent == self.agent.id => self.revalidate().await,
            Event::Typing {
                conversation,
                from,
                typing,
                agent,
                preview,
            } => {
                let seen = self
                    .view
                    .held(&conversation)
                    .is_some_and(|c| self.visible(c));
                // The visitor's, in conversations I hold; a colleague's, in
                // the one I have open (checked visible when I said so, and
                // forgotten when it went out of sight).
                let relay = match (&from, &agent) {
                    (Party::Visitor, _) => seen,
                    (Party::Agent, Some(a)) => {
                        a.id != self.agent.id && self.viewing.as_ref() == Some(&conversation)
                    }
                    (Party::Agent, None) => false,
                };
                if !relay {
                    return Flow::Continue;
                }
                let (agent, preview) = match from {
                    Party::Agent => (agent, None),
                    Party::Visitor => (None, preview),
                };
                send_or_close(
                    &mut self.session,
                    &AgentServerFrame::Typing {
                        conversation,
                        typing,
                        agent,
                        preview,
                    },
                )
                .await
            }
            Event::Presence { agent, presence } if agent == self.agent.id => {
                send_or_close(
                    &mut self.session,
                    &AgentServerFrame::Presence { status: presence },
                )
                .await
            }
            _ => Flow::Continue,
        }
    }

    fn expires(&self) -> Option<tokio::time::Instant> {
        self.session_ends
    }

    async fn on_expired(&mut self) -> Flow {
        // Sessions do not slide, but ask rather than trust this clock.
        if self.learn_session_end().await {
            return Flow::Continue;
        }
        self.session_ended().await
    }

    async fn on_lag(&mut self) -> Flow {
        // Events were dropped: resend the snapshot (welcome … ready), so
        // the client can drop what it no longer confirms.
        self.start().await
    }
}
