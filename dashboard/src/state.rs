//! The agent's inbox as plain data: what the dashboard knows of its
//! conversations, their messages, the sends not yet acknowledged, and who is
//! typing. [`Inbox::apply`] folds one [`AgentServerFrame`] into it and says
//! what should follow (frames to send, alerts, errors to show); the local
//! actions ([`Inbox::select`], [`Inbox::queue_send`], …) return the frame to
//! send. Nothing here touches the browser, so all of it is tested natively;
//! the reactive layer ([`crate::desk`]) holds one `Inbox` in a signal.
//!
//! Conversations are never dropped while the page lives: one that was taken
//! by another agent or resolved simply leaves the lists, and its messages
//! stay cached so reopening it (or a reconnect) needs only the missing tail.

use client::log::MessageLog;
use client::outbox::{Outbox, Outgoing};
use shared::api::Me;
use shared::protocol::{
    AgentClientFrame, AgentProfile, AgentServerFrame, Author, ChatMessage, ConversationStatus,
    ConversationSummary, Millis, Note, Presence,
};
use shared::{ClientId, ConversationId, ErrorCode, Seq};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A visitor's `typing: true` counts for this long without a refresh, so a
/// lost `typing: false` (the visitor closed the tab) does not leave the
/// indicator on forever. Visitor widgets refresh it every few seconds.
pub const VISITOR_TYPING_TTL_MS: Millis = 8_000;

/// A colleague seen in a conversation counts for this long without a
/// refresh (dashboards repeat `viewing` every 30 s; a lost socket cannot
/// say it left).
pub const VIEWER_TTL_MS: Millis = 90_000;

/// One conversation as the dashboard holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    /// The server's latest summary, with `last_seq` / `last_message` moved
    /// forward by messages that arrived after it.
    pub summary: ConversationSummary,
    messages: MessageLog,
    /// Agents' internal notes, by their number (a replayed or repeated note
    /// replaces itself).
    notes: BTreeMap<u64, Note>,
    /// History was requested (the agent opened it): gaps are filled by `sync`.
    loaded: bool,
    /// `None` until a `sync` went out on this connection (the server sends
    /// `message` frames only for conversations synced on the connection);
    /// then the `last_seq` known at the time: until the held messages
    /// reach it the replay is still arriving, and a gap is no reason to
    /// ask again.
    sync_target: Option<Seq>,
    /// Confirmed by the server since the latest `welcome`. A conversation
    /// that stopped being waiting or mine while the socket was down is not
    /// in the new snapshot, so it must not stay listed.
    current: bool,
    visitor_typing_since: Option<Millis>,
    /// The visitor's draft, on sites with the typing preview (cleared when
    /// they stop typing or send).
    visitor_draft: Option<String>,
    /// Visitor messages that arrived while the conversation was not open.
    unread: u32,
    /// Highest seq already accounted for: read (opened, written by me, or
    /// there when the conversation first appeared) or counted as unread.
    seen_seq: Seq,
    /// Found in the history, which lists only what the server lets me
    /// see: its messages may be asked for whatever its status.
    found: bool,
    /// The highest seq told `delivered` on this connection (the server's
    /// mark may not have come back yet).
    delivered_told: Seq,
}

impl Conversation {
    fn new(summary: ConversationSummary) -> Self {
        let seen_seq = summary.last_seq;
        Self {
            summary,
            messages: MessageLog::default(),
            notes: BTreeMap::new(),
            loaded: false,
            sync_target: None,
            current: true,
            visitor_typing_since: None,
            visitor_draft: None,
            unread: 0,
            seen_seq,
            found: false,
            delivered_told: 0,
        }
    }

    /// Conversation id.
    pub fn id(&self) -> &ConversationId {
        &self.summary.id
    }

    /// Messages held, in seq order, each once.
    pub fn messages(&self) -> impl DoubleEndedIterator<Item = &ChatMessage> {
        self.messages.iter()
    }

    /// Internal notes held, oldest first.
    pub fn notes(&self) -> impl Iterator<Item = &Note> {
        self.notes.values()
    }

    /// The seqs held, in order.
    pub fn seqs(&self) -> Vec<Seq> {
        self.messages.iter().map(|m| m.seq).collect()
    }

    /// One message by seq.
    pub fn message(&self, seq: Seq) -> Option<&ChatMessage> {
        self.messages.get(seq)
    }

    /// Visitor messages not yet seen by the agent.
    pub fn unread(&self) -> u32 {
        self.unread
    }

    /// Whether the visitor is typing, as of `now`.
    pub fn visitor_typing(&self, now: Millis) -> bool {
        self.visitor_typing_since
            .is_some_and(|since| now.saturating_sub(since) < VISITOR_TYPING_TTL_MS)
    }

    /// What the visitor is typing, as of `now`, when their site shows it
    /// (the typing preview) and they are still typing.
    pub fn visitor_draft(&self, now: Millis) -> Option<&str> {
        self.visitor_draft
            .as_deref()
            .filter(|_| self.visitor_typing(now))
    }

    /// Whether the history was requested (the agent opened it).
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Highest seq such that every message 1..=seq is held: what `sync`
    /// asks after, so a gap anywhere is refilled.
    pub fn contiguous_seq(&self) -> Seq {
        self.messages.gap_free_end()
    }

    /// The latest activity, for ordering "My chats".
    pub fn last_activity(&self) -> Millis {
        self.summary
            .last_message
            .as_ref()
            .map_or(self.summary.created_at, |m| m.sent_at)
    }

    /// When it entered the queue (falls back to creation).
    pub fn queued_since(&self) -> Millis {
        self.summary.queued_at.unwrap_or(self.summary.created_at)
    }

    fn is_mine(&self, me: Option<&AgentProfile>) -> bool {
        self.summary.status == ConversationStatus::Assigned
            && matches!((&self.summary.agent, me), (Some(a), Some(me)) if a.id == me.id)
    }

    fn is_waiting(&self) -> bool {
        self.summary.status == ConversationStatus::Queued
    }

    /// Inserts unless that seq is held; true when it was new.
    fn insert(&mut self, message: ChatMessage) -> bool {
        if self.messages.contains(message.seq) {
            return false;
        }
        if message.seq > self.summary.last_seq {
            self.summary.last_seq = message.seq;
            self.summary.last_message = Some(message.clone());
        }
        self.messages.insert(message)
    }
}

/// A reply sent (or about to be) and not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    /// Conversation it goes to.
    pub conversation: ConversationId,
    /// Its idempotency key: resending it can never duplicate the message.
    pub client_id: ClientId,
    /// The text.
    pub body: String,
    /// An internal note for the other agents, not a reply to the visitor.
    pub note: bool,
    /// Set when the server refused it for good; the agent may discard it.
    pub failed: Option<ErrorCode>,
}

impl Outgoing for Pending {
    fn client_id(&self) -> &ClientId {
        &self.client_id
    }
    fn refused(&self) -> bool {
        self.failed.is_some()
    }
}

/// Something the agent should be told of outside the lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    /// A conversation entered the queue.
    Queued(ConversationId),
    /// A conversation was assigned to me without my picking it.
    Assigned(ConversationId),
    /// The visitor wrote in one of my chats that is not the open one.
    Message(ConversationId),
    /// A visitor asked to be called back.
    Callback(shared::CallbackId),
}

/// What should happen after a frame was applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Followup {
    /// Send this frame (a `sync` to fill a gap, a pending reply after a
    /// reconnect).
    Send(AgentClientFrame),
    /// Tell the agent (title, browser notification).
    Alert(Alert),
    /// Show a server error.
    Error {
        /// Stable code.
        code: ErrorCode,
        /// The conversation it was about, if known.
        conversation: Option<ConversationId>,
    },
    /// The server could not take this send right now (rate limit, outage):
    /// resend it later with the same client id.
    RetrySend(ClientId),
}

/// The dashboard's state; see the module docs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inbox {
    me: Option<AgentProfile>,
    /// The server mails replies to visitors who left a message.
    mails_replies: bool,
    presence: Option<Presence>,
    conversations: HashMap<ConversationId, Conversation>,
    outbox: Outbox<Pending>,
    selected: Option<ConversationId>,
    /// Conversations I asked to pick: their assignment is no surprise.
    picking: HashSet<ConversationId>,
    /// Colleagues with a conversation open, by conversation: name and when
    /// last heard of.
    viewers: HashMap<ConversationId, BTreeMap<shared::AgentId, (String, Millis)>>,
    /// Colleagues typing in a conversation, the same way (a typing notice
    /// lasts [`VISITOR_TYPING_TTL_MS`] unless refreshed).
    colleagues_typing: HashMap<ConversationId, BTreeMap<shared::AgentId, (String, Millis)>>,
    /// How many times each conversation's visitor moved (an `activity`
    /// frame): the context panel re-reads when its count changes.
    activity: HashMap<ConversationId, u32>,
    /// Between `welcome` and `ready` the server replays a snapshot (every
    /// waiting conversation and every one assigned to me) as ordinary
    /// `conversation` frames: they update the lists but are not news.
    in_snapshot: bool,
    /// Visitors' callback requests.
    callbacks: crate::callbacks::CallbackBook,
}

impl Inbox {
    /// An empty inbox for the logged-in agent (from `GET /api/me`), so the
    /// top bar has a name before the socket says `welcome`.
    pub fn new(me: &Me) -> Self {
        Self {
            me: Some(me.agent.clone()),
            presence: Some(me.presence),
            mails_replies: me.mails_replies,
            ..Self::default()
        }
    }

    /// The callback requests I may see.
    pub fn callbacks(&self) -> &crate::callbacks::CallbackBook {
        &self.callbacks
    }

    /// A callback request as a REST answer had it.
    pub fn callback_changed(&mut self, callback: shared::callback::Callback) {
        self.callbacks.upsert(callback);
    }

    /// Whether replies to visitors who left a message are mailed to them.
    pub fn mails_replies(&self) -> bool {
        self.mails_replies
    }

    /// The agent, once known.
    pub fn me(&self) -> Option<&AgentProfile> {
        self.me.as_ref()
    }

    /// My presence, once known.
    pub fn presence(&self) -> Option<Presence> {
        self.presence
    }

    /// Optimistic local change; the server's `presence` frame confirms it.
    pub fn set_presence(&mut self, presence: Presence) {
        self.presence = Some(presence);
    }

    /// One conversation.
    pub fn get(&self, id: &ConversationId) -> Option<&Conversation> {
        self.conversations.get(id)
    }

    /// Every conversation held, as its latest summary (any order).
    pub fn summaries(&self) -> impl Iterator<Item = &ConversationSummary> {
        self.conversations.values().map(|c| &c.summary)
    }

    /// The open conversation.
    pub fn selected(&self) -> Option<&ConversationId> {
        self.selected.as_ref()
    }

    /// Waiting conversations in queue order (oldest first).
    pub fn waiting(&self) -> Vec<&Conversation> {
        let mut list: Vec<_> = self
            .conversations
            .values()
            .filter(|c| c.current && c.is_waiting())
            .collect();
        list.sort_by(|a, b| (a.queued_since(), a.id()).cmp(&(b.queued_since(), b.id())));
        list
    }

    /// Conversations assigned to me and open, most recent activity first.
    pub fn mine(&self) -> Vec<&Conversation> {
        let me = self.me.as_ref();
        let mut list: Vec<_> = self
            .conversations
            .values()
            .filter(|c| c.current && c.is_mine(me))
            .collect();
        list.sort_by(|a, b| {
            b.last_activity()
                .cmp(&a.last_activity())
                .then_with(|| a.id().cmp(b.id()))
        });
        list
    }

    /// Whether `id` is assigned to me (so I may reply and resolve).
    pub fn is_mine(&self, id: &ConversationId) -> bool {
        self.conversations
            .get(id)
            .is_some_and(|c| c.is_mine(self.me.as_ref()))
    }

    /// How far I have read `id` when it is mine and I hold more of it than
    /// the server knows I read: the `read` mark to send.
    pub fn unread_by_me(&self, id: &ConversationId) -> Option<Seq> {
        let c = self.conversations.get(id)?;
        let held = c.contiguous_seq();
        (c.is_mine(self.me.as_ref()) && held > c.summary.agent_read).then_some(held)
    }

    /// The latest agent message of `id` its visitor has read ("Seen").
    pub fn seen_by_visitor(&self, id: &ConversationId) -> Option<Seq> {
        let c = self.conversations.get(id)?;
        c.messages
            .latest_at_or_before(c.summary.visitor_read, is_agent)
    }

    /// What the page title counts: people waiting plus unread messages in
    /// my chats.
    pub fn attention(&self) -> u32 {
        let waiting = self.waiting().len() as u32;
        let unread: u32 = self.mine().iter().map(|c| c.unread).sum();
        let callbacks = u32::try_from(self.callbacks.unclaimed()).unwrap_or(u32::MAX);
        waiting + unread + callbacks
    }

    /// The colleagues who have `id` open too, as of `now`, by name.
    pub fn viewers(&self, id: &ConversationId, now: Millis) -> Vec<String> {
        fresh(&self.viewers, id, now, VIEWER_TTL_MS)
    }

    /// Grows each time the visitor of `id` viewed another page.
    pub fn activity(&self, id: &ConversationId) -> u32 {
        self.activity.get(id).copied().unwrap_or(0)
    }

    /// The colleagues typing in `id`, as of `now`, by name.
    pub fn colleagues_typing(&self, id: &ConversationId, now: Millis) -> Vec<String> {
        fresh(&self.colleagues_typing, id, now, VISITOR_TYPING_TTL_MS)
    }

    /// Replies to `id` not yet acknowledged, oldest first.
    pub fn pending<'a>(&'a self, id: &'a ConversationId) -> impl Iterator<Item = &'a Pending> {
        self.outbox.iter().filter(move |p| &p.conversation == id)
    }

    /// Folds one server frame in. `now` is the client's clock, used only for
    /// typing expiry.
    pub fn apply(&mut self, frame: AgentServerFrame, now: Millis) -> Vec<Followup> {
        match frame {
            AgentServerFrame::Welcome { agent, presence } => self.on_welcome(agent, presence),
            AgentServerFrame::Ready => {
                self.in_snapshot = false;
                Vec::new()
            }
            AgentServerFrame::Conversation { conversation } => self.on_conversation(conversation),
            AgentServerFrame::Gone { conversation } => {
                self.on_gone(&conversation);
                Vec::new()
            }
            AgentServerFrame::Message { message } => self.on_message(message),
            AgentServerFrame::Note { note } => {
                self.on_note(note);
                Vec::new()
            }
            AgentServerFrame::Viewing {
                conversation,
                agent,
                viewing,
            } => {
                let here = self.viewers.entry(conversation).or_default();
                if viewing {
                    here.insert(agent.id, (agent.name, now));
                } else {
                    here.remove(&agent.id);
                }
                Vec::new()
            }
            AgentServerFrame::Ack {
                client_id,
                conversation,
                seq,
                sent_at,
            } => self.on_ack(client_id, conversation, seq, sent_at),
            AgentServerFrame::Typing {
                conversation,
                typing,
                agent: None,
                preview,
            } => {
                if let Some(c) = self.conversations.get_mut(&conversation) {
                    c.visitor_typing_since = typing.then_some(now);
                    // A plain `typing: true` (the keep-alive) keeps the
                    // draft last shown; stopping drops it.
                    if !typing {
                        c.visitor_draft = None;
                    } else if preview.is_some() {
                        c.visitor_draft = preview;
                    }
                }
                Vec::new()
            }
            // A colleague typing in the conversation I have open.
            AgentServerFrame::Typing {
                conversation,
                typing,
                agent: Some(agent),
                ..
            } => {
                let here = self.colleagues_typing.entry(conversation).or_default();
                if typing {
                    here.insert(agent.id, (agent.name, now));
                } else {
                    here.remove(&agent.id);
                }
                Vec::new()
            }
            AgentServerFrame::Presence { status } => {
                self.presence = Some(status);
                Vec::new()
            }
            AgentServerFrame::Activity { conversation } => {
                *self.activity.entry(conversation).or_default() += 1;
                Vec::new()
            }
            AgentServerFrame::Callback { callback } => {
                // News: a request heard live (not in a snapshot), new to me.
                let news = !self.in_snapshot
                    && callback.status == shared::callback::CallbackStatus::Requested
                    && self.callbacks.get(&callback.id).is_none();
                let id = callback.id.clone();
                self.callbacks.upsert(*callback);
                if news {
                    vec![Followup::Alert(Alert::Callback(id))]
                } else {
                    Vec::new()
                }
            }
            AgentServerFrame::Error {
                code,
                client_id,
                conversation,
                ..
            } => self.on_error(code, client_id, conversation),
        }
    }

    fn on_welcome(&mut self, agent: AgentProfile, presence: Presence) -> Vec<Followup> {
        self.me = Some(agent);
        self.presence = Some(presence);
        self.in_snapshot = true;
        self.callbacks.begin_snapshot();
        self.picking.clear();
        // A new connection: colleagues re-announce themselves.
        self.viewers.clear();
        self.colleagues_typing.clear();
        for c in self.conversations.values_mut() {
            c.current = false;
            c.sync_target = None;
            c.visitor_typing_since = None;
            // What the old connection told may not have arrived.
            c.delivered_told = 0;
        }
        // Everything unacknowledged is sent again: the client id makes a
        // send the server already stored come back as the original ack.
        self.outbox
            .to_resend()
            .map(|p| Followup::Send(send_frame(p)))
            .collect()
    }

    fn on_conversation(&mut self, summary: ConversationSummary) -> Vec<Followup> {
        let me = self.me.clone();
        let id = summary.id.clone();
        let selected = self.selected.as_ref() == Some(&id);
        let mut out = Vec::new();
        let (was_waiting, was_mine) = match self.conversations.get(&id) {
            Some(c) => (
                c.current && c.is_waiting(),
                c.current && c.is_mine(me.as_ref()),
            ),
            None => (false, false),
        };
        let conv = match self.conversations.get_mut(&id) {
            Some(c) if c.summary.version > summary.version => {
                // Older than what we hold (PROTOCOL.md: keep the highest
                // version); a snapshot listing it still confirms it.
                c.current = true;
                return out;
            }
            Some(c) => {
                // Keep the newer tail we already hold: a summary can be
                // older than a message that overtook it.
                let held = c.messages.last().cloned();
                c.summary = summary;
                if let Some(m) = held.filter(|m| m.seq > c.summary.last_seq) {
                    c.summary.last_seq = m.seq;
                    c.summary.last_message = Some(m);
                }
                c.current = true;
                c
            }
            None => self
                .conversations
                .entry(id.clone())
                .or_insert_with(|| Conversation::new(summary)),
        };
        // Unsynced conversations learn of new messages only through these
        // summaries, so the unread count follows `last_seq` here.
        let last_seq = conv.summary.last_seq;
        if last_seq > conv.seen_seq {
            let from_visitor = conv
                .summary
                .last_message
                .as_ref()
                .is_some_and(|m| m.author == Author::Visitor);
            if !selected && from_visitor {
                let new = u32::try_from(last_seq - conv.seen_seq).unwrap_or(u32::MAX);
                conv.unread = conv.unread.saturating_add(new);
                if was_mine && conv.is_mine(me.as_ref()) && !self.in_snapshot {
                    out.push(Followup::Alert(Alert::Message(id.clone())));
                }
            }
            conv.seen_seq = last_seq;
        }
        let visible = conv.is_waiting() || conv.is_mine(me.as_ref());
        if !visible {
            conv.visitor_typing_since = None;
            // The server stops streaming a conversation I can no longer
            // see; if it comes back (reopened), it must be synced again.
            conv.sync_target = None;
        }

        let is_waiting = conv.is_waiting();
        let is_mine = conv.is_mine(me.as_ref());
        let quiet = self.in_snapshot;
        if is_waiting && !was_waiting && !quiet {
            out.push(Followup::Alert(Alert::Queued(id.clone())));
        }
        if is_mine && !was_mine {
            let picked = self.picking.remove(&id);
            if !picked && !quiet {
                out.push(Followup::Alert(Alert::Assigned(id.clone())));
            }
        } else if !is_waiting {
            self.picking.remove(&id);
        }
        out.extend(self.sync_if_gap(&id).map(Followup::Send));
        out.extend(self.deliver(&id));
        out
    }

    /// A conversation of mine holds messages its summary does not say my
    /// dashboard received: the `delivered` mark to send (its visitor sees
    /// "Delivered"). Not for the open one: showing it sends `read`, which
    /// says both.
    fn deliver(&mut self, id: &ConversationId) -> Option<Followup> {
        let me = self.me.clone();
        let selected = self.selected.as_ref() == Some(id);
        let conv = self.conversations.get_mut(id)?;
        if selected || !conv.current || !conv.is_mine(me.as_ref()) {
            return None;
        }
        let held = conv.summary.last_seq;
        if held <= conv.summary.agent_delivered.max(conv.delivered_told) {
            return None;
        }
        conv.delivered_told = held;
        Some(Followup::Send(AgentClientFrame::Delivered {
            conversation: id.clone(),
            seq: held,
        }))
    }

    /// The latest reply of `id` its visitor's widget received but they
    /// have not read ("Delivered"), when later than the one seen.
    pub fn delivered_to_visitor(&self, id: &ConversationId) -> Option<Seq> {
        let c = self.conversations.get(id)?;
        c.messages
            .latest_at_or_before(c.summary.visitor_delivered, is_agent)
            .filter(|seq| *seq > c.summary.visitor_read)
    }

    /// The server says this agent may no longer see the conversation: it
    /// leaves every list and nothing of it is kept.
    fn on_gone(&mut self, id: &ConversationId) {
        self.conversations.remove(id);
        self.picking.remove(id);
        self.outbox.retain(|p| &p.conversation != id);
        if self.selected.as_ref() == Some(id) {
            self.selected = None;
        }
    }

    fn on_message(&mut self, message: ChatMessage) -> Vec<Followup> {
        let id = message.conversation.clone();
        let selected = self.selected.as_ref() == Some(&id);
        // Messages come only for conversations synced, so known; anything
        // else is ignored rather than shown without its context.
        let Some(conv) = self.conversations.get_mut(&id) else {
            return Vec::new();
        };
        let client_id = message.client_id.clone();
        let seq = message.seq;
        let from_visitor = message.author == Author::Visitor;
        if !conv.insert(message) {
            return Vec::new();
        }
        let mut alert = None;
        if from_visitor {
            conv.visitor_typing_since = None;
            conv.visitor_draft = None;
            if !selected && seq > conv.seen_seq {
                conv.unread += 1;
                let mine = conv.is_mine(self.me.as_ref());
                alert = (mine && !self.in_snapshot)
                    .then(|| Followup::Alert(Alert::Message(id.clone())));
            }
        }
        // Agent replies (mine, maybe from another tab) are read.
        conv.seen_seq = conv.seen_seq.max(seq);
        // The message may come before its ack; either one settles the send.
        self.outbox
            .retain(|p| !(p.conversation == id && p.client_id == client_id));
        let deliver = if from_visitor {
            self.deliver(&id)
        } else {
            None
        };
        alert
            .into_iter()
            .chain(self.sync_if_gap(&id).map(Followup::Send))
            .chain(deliver)
            .collect()
    }

    /// A note (mine settles its pending copy; a replay or repeat replaces
    /// the one held).
    fn on_note(&mut self, note: Note) {
        self.outbox.retain(|p| {
            !(p.note && p.conversation == note.conversation && p.client_id == note.client_id)
        });
        if let Some(conv) = self.conversations.get_mut(&note.conversation) {
            conv.notes.insert(note.id, note);
        }
    }

    fn on_ack(
        &mut self,
        client_id: ClientId,
        conversation: ConversationId,
        seq: Seq,
        sent_at: Millis,
    ) -> Vec<Followup> {
        // An ack names its conversation: one for another is not this send's.
        if self.outbox.get(&client_id).map(|p| &p.conversation) != Some(&conversation) {
            return Vec::new();
        }
        let Some(pending) = self.outbox.take(&client_id) else {
            return Vec::new();
        };
        let (Some(me), Some(conv)) = (self.me.as_ref(), self.conversations.get_mut(&conversation))
        else {
            return Vec::new();
        };
        conv.insert(ChatMessage {
            conversation,
            seq,
            client_id,
            author: Author::Agent {
                id: me.id.clone(),
                name: me.name.clone(),
            },
            body: pending.body,
            sent_at,
        });
        conv.seen_seq = conv.seen_seq.max(seq);
        Vec::new()
    }

    fn on_error(
        &mut self,
        code: ErrorCode,
        client_id: Option<ClientId>,
        conversation: Option<ConversationId>,
    ) -> Vec<Followup> {
        if let Some(id) = &conversation {
            if code == ErrorCode::NotQueued || code == ErrorCode::AtCapacity {
                self.picking.remove(id);
            }
        }
        let pending = client_id.as_ref().and_then(|id| self.outbox.get_mut(id));
        match (pending, client_id) {
            // The send will go through on a later try: nothing to tell.
            (Some(_), Some(client_id)) if code.is_retryable() => {
                vec![Followup::RetrySend(client_id)]
            }
            (Some(p), _) => {
                p.failed = Some(code);
                vec![Followup::Error { code, conversation }]
            }
            (None, _) => vec![Followup::Error { code, conversation }],
        }
    }

    /// A `sync` when `id` is open and either not yet synced on this
    /// connection or missing messages the server has.
    fn sync_if_gap(&mut self, id: &ConversationId) -> Option<AgentClientFrame> {
        let me = self.me.as_ref();
        let conv = self.conversations.get_mut(id)?;
        // The server only replays conversations I can see.
        if !conv.loaded || !(conv.is_waiting() || conv.is_mine(me) || conv.found) {
            return None;
        }
        let after = conv.contiguous_seq();
        if let Some(target) = conv.sync_target {
            let replaying = after < target;
            if conv.summary.last_seq <= after || replaying {
                return None;
            }
        }
        conv.sync_target = Some(conv.summary.last_seq);
        Some(AgentClientFrame::Sync {
            conversation: id.clone(),
            after_seq: after,
        })
    }

    /// Opens `id`: clears its unread count and, the first time on this
    /// connection or if messages are missing, syncs it.
    pub fn select(&mut self, id: &ConversationId) -> Option<AgentClientFrame> {
        let conv = self.conversations.get_mut(id)?;
        self.selected = Some(id.clone());
        conv.unread = 0;
        conv.seen_seq = conv.seen_seq.max(conv.summary.last_seq);
        conv.loaded = true;
        self.sync_if_gap(id)
    }

    /// Holds a conversation found in the history so it can be opened,
    /// without listing it (it is not waiting or mine unless the server
    /// says so). One already held keeps its live state.
    pub fn adopt(&mut self, summary: ConversationSummary) {
        let c = self
            .conversations
            .entry(summary.id.clone())
            .or_insert_with(|| {
                let mut c = Conversation::new(summary);
                c.current = false;
                c
            });
        c.found = true;
    }

    /// Closes the open conversation.
    pub fn deselect(&mut self) {
        self.selected = None;
    }

    /// Asks to take a waiting conversation.
    pub fn pick(&mut self, id: &ConversationId) -> AgentClientFrame {
        self.picking.insert(id.clone());
        AgentClientFrame::Pick {
            conversation: id.clone(),
        }
    }

    /// Adds a reply to the outbox; returns the frame to send now.
    pub fn queue_send(
        &mut self,
        conversation: ConversationId,
        client_id: ClientId,
        body: String,
    ) -> AgentClientFrame {
        self.queue(conversation, client_id, body, false)
    }

    /// Adds an internal note to the outbox; returns the frame to send now.
    pub fn queue_note(
        &mut self,
        conversation: ConversationId,
        client_id: ClientId,
        body: String,
    ) -> AgentClientFrame {
        self.queue(conversation, client_id, body, true)
    }

    fn queue(
        &mut self,
        conversation: ConversationId,
        client_id: ClientId,
        body: String,
        note: bool,
    ) -> AgentClientFrame {
        let pending = Pending {
            conversation,
            client_id,
            body,
            note,
            failed: None,
        };
        let frame = send_frame(&pending);
        self.outbox.push(pending);
        frame
    }

    /// The frame to send `client_id` again, if it is still pending.
    pub fn resend(&self, client_id: &ClientId) -> Option<AgentClientFrame> {
        self.outbox
            .get(client_id)
            .filter(|p| !p.refused())
            .map(send_frame)
    }

    /// Forgets a reply the server refused.
    pub fn discard(&mut self, client_id: &ClientId) {
        self.outbox.take(client_id);
    }

    /// Turns typing indicators whose refresh is overdue off; true if any
    /// changed (so the caller can skip notifying).
    pub fn expire_typing(&mut self, now: Millis) -> bool {
        let mut changed = false;
        for c in self.conversations.values_mut() {
            if c.visitor_typing_since.is_some() && !c.visitor_typing(now) {
                c.visitor_typing_since = None;
                changed = true;
            }
        }
        changed
    }
}

/// Whether `author` is an agent (replies carry "Seen" / "Delivered").
fn is_agent(author: &Author) -> bool {
    matches!(author, Author::Agent { .. })
}

/// The names in `by_conversation[id]` heard of less than `ttl` before `now`.
fn fresh(
    by_conversation: &HashMap<ConversationId, BTreeMap<shared::AgentId, (String, Millis)>>,
    id: &ConversationId,
    now: Millis,
    ttl: Millis,
) -> Vec<String> {
    let mut names: Vec<String> = by_conversation
        .get(id)
        .into_iter()
        .flatten()
        .filter(|(_, (_, seen))| now.saturating_sub(*seen) < ttl)
        .map(|(_, (name, _))| name.clone())
        .collect();
    names.sort();
    names
}

fn send_frame(p: &Pending) -> AgentClientFrame {
    let (conversation, client_id, body) =
        (p.conversation.clone(), p.client_id.clone(), p.body.clone());
    if p.note {
        AgentClientFrame::Note {
            conversation,
            client_id,
            body,
        }
    } else {
        AgentClientFrame::Send {
            conversation,
            client_id,
            body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::protocol::{AgentPublic, VisitorInfo};

    const ME: &str = "a_me";

    fn profile(id: &str) -> AgentProfile {
        AgentProfile {
            id: id.into(),
            name: format!("Agent {id}"),
            email: format!("{id}@example.com"),
            role: shared::Role::Agent,
            capacity: 3,
            languages: Vec::new(),
            teams: Vec::new(),
            sites: Vec::new(),
            disabled: false,
        }
    }

    fn welcome() -> AgentServerFrame {
        AgentServerFrame::Welcome {
            agent: profile(ME),
            presence: Presence::Online,
        }
    }

    fn summary(id: &str, status: ConversationStatus, agent: Option<&str>) -> ConversationSummary {
        ConversationSummary {
            id: id.into(),
            site: "s_1".into(),
            status,
            agent: agent.map(|a| AgentPublic {
                id: a.into(),
                name: format!("Agent {a}"),
            }),
            team: None,
            visitor_read: 0,
            agent_read: 0,
            visitor_delivered: 0,
            agent_delivered: 0,
            visitor: VisitorInfo {
                id: format!("v_{id}").as_str().into(),
                locale: Some("fa-IR".into()),
                origin: Some("https://shop.example".into()),
                name: None,
                email: None,
                attributes: Default::default(),
                user_id: None,
            },
            created_at: 1_000,
            queued_at: (status == ConversationStatus::Queued).then_some(1_000),
            last_seq: 0,
            last_message: None,
            version: 0,
            rating: None,
            left_message: false,
        }
    }

    fn queued(id: &str, queued_at: Millis, last_seq: Seq) -> AgentServerFrame {
        let mut s = summary(id, ConversationStatus::Queued, None);
        s.queued_at = Some(queued_at);
        s.last_seq = last_seq;
        AgentServerFrame::Conversation { conversation: s }
    }

    fn assigned(id: &str, agent: &str, last_seq: Seq) -> AgentServerFrame {
        let mut s = summary(id, ConversationStatus::Assigned, Some(agent));
        s.last_seq = last_seq;
        AgentServerFrame::Conversation { conversation: s }
    }

    fn status(id: &str, status: ConversationStatus) -> AgentServerFrame {
        AgentServerFrame::Conversation {
            conversation: summary(id, status, Some(ME)),
        }
    }

    fn msg(conv: &str, seq: Seq, author: Author) -> ChatMessage {
        ChatMessage {
            conversation: conv.into(),
            seq,
            client_id: format!("c{conv}{seq}").as_str().into(),
            author,
            body: format!("message {seq}"),
            sent_at: 2_000 + seq,
        }
    }

    fn visitor_msg(conv: &str, seq: Seq) -> AgentServerFrame {
        AgentServerFrame::Message {
            message: msg(conv, seq, Author::Visitor),
        }
    }

    /// An inbox past its welcome and snapshot.
    fn live() -> Inbox {
        let mut inbox = Inbox::default();
        inbox.apply(welcome(), 0);
        inbox.apply(AgentServerFrame::Ready, 0);
        inbox
    }

    /// Some time after the start of a test (typing expiry needs a clock).
    const LATER: Millis = 1_501;

    fn ids(list: &[&Conversation]) -> Vec<String> {
        list.iter().map(|c| c.id().to_string()).collect()
    }

    fn seqs(inbox: &Inbox, id: &str) -> Vec<Seq> {
        inbox
            .get(&id.into())
            .unwrap()
            .messages()
            .map(|m| m.seq)
            .collect()
    }

    #[test]
    fn a_conversation_from_the_history_opens_without_being_listed() {
        let mut inbox = live();
        let mut found = summary("old", ConversationStatus::Resolved, Some(ME));
        found.last_seq = 3;
        inbox.adopt(found.clone());
        assert!(inbox.waiting().is_empty() && inbox.mine().is_empty());
        let sync = inbox.select(&"old".into());
        assert_eq!(
            sync,
            Some(AgentClientFrame::Sync {
                conversation: "old".into(),
                after_seq: 0,
            })
        );
        // One held live keeps its state: adopting an older copy changes
        // nothing.
        inbox.apply(assigned("live", ME, 5), LATER);
        let mut stale = summary("live", ConversationStatus::Resolved, Some(ME));
        stale.last_seq = 1;
        inbox.adopt(stale);
        assert_eq!(ids(&inbox.mine()), ["live"]);
    }

    #[test]
    fn welcome_sets_agent_and_presence() {
        let mut inbox = Inbox::default();
        assert!(inbox.apply(welcome(), 0).is_empty());
        assert_eq!(inbox.me().unwrap().id.as_str(), ME);
        assert_eq!(inbox.presence(), Some(Presence::Online));
        inbox.apply(
            AgentServerFrame::Presence {
                status: Presence::Away,
            },
            1,
        );
        assert_eq!(inbox.presence(), Some(Presence::Away));
    }

    #[test]
    fn activity_counts_per_conversation() {
        let mut inbox = live();
        let moved = |id: &str| AgentServerFrame::Activity {
            conversation: id.into(),
        };
        assert_eq!(inbox.activity(&"c1".into()), 0);
        assert!(
            inbox.apply(moved("c1"), LATER).is_empty(),
            "no alert, no banner"
        );
        inbox.apply(moved("c1"), LATER);
        inbox.apply(moved("c2"), LATER);
        assert_eq!(inbox.activity(&"c1".into()), 2);
        assert_eq!(inbox.activity(&"c2".into()), 1);
    }

    #[test]
    fn gone_drops_a_conversation_from_every_list_and_the_pane() {
        let mut inbox = live();
        inbox.apply(queued("c1", 100, 1), LATER);
        inbox.apply(queued("c2", 200, 1), LATER);
        inbox.select(&"c1".into());
        inbox.apply(
            AgentServerFrame::Gone {
                conversation: "c1".into(),
            },
            LATER,
        );
        assert_eq!(ids(&inbox.waiting()), ["c2"]);
        assert_eq!(inbox.selected(), None, "its pane closes");
        assert!(inbox.get(&"c1".into()).is_none(), "nothing of it is kept");
    }

    #[test]
    fn waiting_is_in_queue_order() {
        let mut inbox = live();
        inbox.apply(queued("c3", 300, 0), LATER);
        inbox.apply(queued("c1", 100, 0), LATER);
        inbox.apply(queued("c2", 200, 0), LATER);
        assert_eq!(ids(&inbox.waiting()), ["c1", "c2", "c3"]);
        // Re-queued (e.g. reopened) moves to its new place.
        inbox.apply(queued("c1", 400, 0), LATER);
        assert_eq!(ids(&inbox.waiting()), ["c2", "c3", "c1"]);
    }

    #[test]
    fn assignment_moves_between_lists() {
        let mut inbox = live();
        inbox.apply(queued("c1", 100, 1), LATER);
        inbox.apply(queued("c2", 200, 1), LATER);
        inbox.apply(assigned("c1", ME, 1), LATER);
        inbox.apply(assigned("c2", "a_other", 1), LATER);
        assert!(inbox.waiting().is_empty());
        assert_eq!(ids(&inbox.mine()), ["c1"]);
        assert!(inbox.is_mine(&"c1".into()));
        assert!(!inbox.is_mine(&"c2".into()));
        // Someone else's conversation is still held (it may be open).
        assert!(inbox.get(&"c2".into()).is_some());
        inbox.apply(status("c1", ConversationStatus::Resolved), LATER);
        assert!(inbox.mine().is_empty());
        assert!(!inbox.is_mine(&"c1".into()));
    }

    #[test]
    fn a_summary_older_than_the_one_held_is_ignored() {
        let with_version = |frame: AgentServerFrame, version| match frame {
            AgentServerFrame::Conversation { mut conversation } => {
                conversation.version = version;
                AgentServerFrame::Conversation { conversation }
            }
            other => other,
        };
        let mut inbox = live();
        inbox.apply(with_version(assigned("c1", ME, 1), 3), LATER);
        // The queued state from before the assignment, arriving late.
        inbox.apply(with_version(queued("c1", 100, 1), 2), LATER);
        assert_eq!(ids(&inbox.mine()), ["c1"]);
        assert!(inbox.waiting().is_empty());
        // A snapshot that lists it at an older version still keeps it.
        inbox.apply(welcome(), LATER);
        inbox.apply(with_version(assigned("c1", ME, 1), 2), LATER);
        inbox.apply(AgentServerFrame::Ready, LATER);
        assert_eq!(ids(&inbox.mine()), ["c1"]);
    }

    #[test]
    fn mine_is_by_latest_activity() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.apply(assigned("c2", ME, 0), LATER);
        inbox.apply(visitor_msg("c1", 1), LATER);
        assert_eq!(ids(&inbox.mine()), ["c1", "c2"]);
        inbox.apply(
            AgentServerFrame::Message {
                message: ChatMessage {
                    sent_at: 9_999,
                    ..msg("c2", 1, Author::Visitor)
                },
            },
            LATER,
        );
        assert_eq!(ids(&inbox.mine()), ["c2", "c1"]);
    }

    #[test]
    fn messages_are_deduplicated_and_ordered() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        for seq in [2, 1, 3, 2, 1] {
            inbox.apply(visitor_msg("c1", seq), LATER);
        }
        assert_eq!(seqs(&inbox, "c1"), [1, 2, 3]);
        let c = inbox.get(&"c1".into()).unwrap();
        assert_eq!(c.summary.last_seq, 3);
        assert_eq!(c.summary.last_message.as_ref().unwrap().seq, 3);
        assert_eq!(c.contiguous_seq(), 3);
    }

    #[test]
    fn older_summary_does_not_roll_back_the_preview() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.apply(visitor_msg("c1", 1), LATER);
        inbox.apply(visitor_msg("c1", 2), LATER);
        inbox.apply(assigned("c1", ME, 1), LATER);
        let c = inbox.get(&"c1".into()).unwrap();
        assert_eq!(c.summary.last_seq, 2);
        assert_eq!(c.summary.last_message.as_ref().unwrap().seq, 2);
    }

    #[test]
    fn read_marks_say_what_to_send_and_what_the_visitor_saw() {
        let mut inbox = live();
        let id: ConversationId = "c1".into();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.apply(visitor_msg("c1", 1), LATER);
        let mine = Author::Agent {
            id: ME.into(),
            name: "Me".into(),
        };
        let reply = AgentServerFrame::Message {
            message: msg("c1", 2, mine),
        };
        inbox.apply(reply, LATER);
        inbox.apply(visitor_msg("c1", 3), LATER);
        assert_eq!(inbox.unread_by_me(&id), Some(3));
        assert_eq!(inbox.seen_by_visitor(&id), None);
        let mut read = summary("c1", ConversationStatus::Assigned, Some(ME));
        (
            read.last_seq,
            read.agent_read,
            read.visitor_read,
            read.version,
        ) = (3, 3, 2, 9);
        inbox.apply(
            AgentServerFrame::Conversation {
                conversation: read.clone(),
            },
            LATER,
        );
        assert_eq!(inbox.unread_by_me(&id), None, "the server has my mark");
        assert_eq!(inbox.seen_by_visitor(&id), Some(2));
        // Someone else's chat is not mine to mark.
        read.agent = Some(AgentPublic {
            id: "a_other".into(),
            name: "Other".into(),
        });
        (read.agent_read, read.version) = (0, 10);
        inbox.apply(AgentServerFrame::Conversation { conversation: read }, LATER);
        assert_eq!(inbox.unread_by_me(&id), None);
    }

    fn delivered_frame(id: &str, seq: Seq) -> Followup {
        Followup::Send(AgentClientFrame::Delivered {
            conversation: id.into(),
            seq,
        })
    }

    /// The `delivered` frames among what folding `frame` in asks to send.
    fn delivered(inbox: &mut Inbox, frame: AgentServerFrame) -> Vec<(String, Seq)> {
        inbox
            .apply(frame, LATER)
            .into_iter()
            .filter_map(|f| match f {
                Followup::Send(AgentClientFrame::Delivered { conversation, seq }) => {
                    Some((conversation.as_str().to_owned(), seq))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn delivered_marks_go_for_my_chats_not_open_once_each() {
        let mut inbox = live();
        let id: ConversationId = "c1".into();
        let c1 = |seq| vec![("c1".to_owned(), seq)];
        assert_eq!(delivered(&mut inbox, assigned("c1", ME, 2)), c1(2));
        assert_eq!(
            delivered(&mut inbox, assigned("c1", ME, 2)),
            [],
            "told already; the server's mark is on its way"
        );
        let mut marked = summary("c1", ConversationStatus::Assigned, Some(ME));
        (marked.last_seq, marked.agent_delivered, marked.version) = (3, 2, 5);
        assert_eq!(
            delivered(
                &mut inbox,
                AgentServerFrame::Conversation {
                    conversation: marked
                }
            ),
            c1(3),
            "a new message"
        );
        assert_eq!(delivered(&mut inbox, visitor_msg("c1", 4)), c1(4));
        // Someone else's, or waiting: not mine to mark.
        assert_eq!(delivered(&mut inbox, assigned("c2", "a_other", 3)), []);
        assert_eq!(
            delivered(
                &mut inbox,
                AgentServerFrame::Conversation {
                    conversation: ConversationSummary {
                        last_seq: 1,
                        ..summary("c3", ConversationStatus::Queued, None)
                    }
                }
            ),
            []
        );
        // Open: reading it says delivered too.
        inbox.select(&id);
        assert_eq!(delivered(&mut inbox, visitor_msg("c1", 5)), []);
        // A new connection: told again what may not have arrived.
        inbox.deselect();
        inbox.apply(welcome(), LATER);
        let mut again = summary("c1", ConversationStatus::Assigned, Some(ME));
        (again.last_seq, again.version) = (5, 20);
        assert_eq!(
            delivered(
                &mut inbox,
                AgentServerFrame::Conversation {
                    conversation: again
                }
            ),
            c1(5)
        );
    }

    #[test]
    fn the_visitors_delivered_mark_says_which_reply_reached_them() {
        let mut inbox = live();
        let id: ConversationId = "c1".into();
        inbox.apply(assigned("c1", ME, 0), LATER);
        let mine = Author::Agent {
            id: ME.into(),
            name: "Me".into(),
        };
        for seq in 1..=3 {
            let message = msg("c1", seq, mine.clone());
            inbox.apply(AgentServerFrame::Message { message }, LATER);
        }
        let mut marks = summary("c1", ConversationStatus::Assigned, Some(ME));
        (marks.last_seq, marks.visitor_delivered, marks.version) = (3, 2, 5);
        inbox.apply(
            AgentServerFrame::Conversation {
                conversation: marks.clone(),
            },
            LATER,
        );
        assert_eq!(inbox.delivered_to_visitor(&id), Some(2));
        assert_eq!(inbox.seen_by_visitor(&id), None);
        (marks.visitor_read, marks.visitor_delivered, marks.version) = (2, 3, 6);
        inbox.apply(
            AgentServerFrame::Conversation {
                conversation: marks.clone(),
            },
            LATER,
        );
        assert_eq!(
            (inbox.seen_by_visitor(&id), inbox.delivered_to_visitor(&id)),
            (Some(2), Some(3))
        );
        (marks.visitor_read, marks.version) = (3, 7);
        inbox.apply(
            AgentServerFrame::Conversation {
                conversation: marks,
            },
            LATER,
        );
        assert_eq!(
            (inbox.seen_by_visitor(&id), inbox.delivered_to_visitor(&id)),
            (Some(3), None)
        );
    }

    #[test]
    fn messages_of_unknown_conversations_are_ignored() {
        let mut inbox = live();
        assert!(inbox.apply(visitor_msg("c1", 1), LATER).is_empty());
        assert!(inbox.get(&"c1".into()).is_none());
        assert_eq!(inbox.attention(), 0);
    }

    #[test]
    fn selecting_asks_for_history_once() {
        let mut inbox = live();
        inbox.apply(queued("c1", 100, 3), LATER);
        assert_eq!(
            inbox.select(&"c1".into()),
            Some(AgentClientFrame::Sync {
                conversation: "c1".into(),
                after_seq: 0
            })
        );
        assert_eq!(inbox.selected(), Some(&"c1".into()));
        // The same conversation frame again must not ask a second time.
        assert!(inbox.apply(queued("c1", 100, 3), LATER).is_empty());
        for seq in 1..=3 {
            assert!(inbox.apply(visitor_msg("c1", seq), LATER).is_empty());
        }
        inbox.deselect();
        assert_eq!(inbox.select(&"c1".into()), None);
        assert_eq!(inbox.select(&"unknown".into()), None);
    }

    #[test]
    fn only_visible_conversations_are_synced() {
        let mut inbox = live();
        inbox.apply(assigned("c1", "a_other", 4), LATER);
        inbox.apply(status("c2", ConversationStatus::Resolved), LATER);
        // Held for display, but the server would refuse a replay.
        assert_eq!(inbox.select(&"c1".into()), None);
        assert_eq!(inbox.select(&"c2".into()), None);
        assert!(inbox.apply(visitor_msg("c1", 6), LATER).is_empty());
        // An empty waiting one is synced all the same: that is what makes
        // its messages stream live.
        inbox.apply(queued("c3", 1, 0), LATER);
        assert_eq!(
            inbox.select(&"c3".into()),
            Some(AgentClientFrame::Sync {
                conversation: "c3".into(),
                after_seq: 0
            })
        );
        assert_eq!(inbox.selected(), Some(&"c3".into()));
    }

    #[test]
    fn a_gap_in_an_open_conversation_is_synced() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.select(&"c1".into());
        inbox.apply(visitor_msg("c1", 1), LATER);
        let out = inbox.apply(visitor_msg("c1", 3), LATER);
        assert_eq!(
            out,
            [Followup::Send(AgentClientFrame::Sync {
                conversation: "c1".into(),
                after_seq: 1
            })]
        );
        // Not asked again while that replay is on its way.
        assert!(inbox.apply(visitor_msg("c1", 4), LATER).is_empty());
        inbox.apply(visitor_msg("c1", 2), LATER);
        assert_eq!(seqs(&inbox, "c1"), [1, 2, 3, 4]);
    }

    #[test]
    fn gaps_in_unopened_conversations_are_left_alone() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        // No sync for the gap; only the news of the message.
        assert_eq!(
            inbox.apply(visitor_msg("c1", 5), LATER),
            [
                Followup::Alert(Alert::Message("c1".into())),
                delivered_frame("c1", 5)
            ]
        );
    }

    #[test]
    fn unread_counts_new_visitor_messages_of_closed_chats() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 2), LATER);
        // Replayed history at or below what was there is not "new".
        inbox.apply(visitor_msg("c1", 2), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 0);
        inbox.apply(visitor_msg("c1", 3), LATER);
        inbox.apply(visitor_msg("c1", 4), LATER);
        inbox.apply(visitor_msg("c1", 4), LATER);
        inbox.apply(
            AgentServerFrame::Message {
                message: msg(
                    "c1",
                    5,
                    Author::Agent {
                        id: ME.into(),
                        name: "me".into(),
                    },
                ),
            },
            LATER,
        );
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 2);
        assert_eq!(inbox.attention(), 2);
        inbox.select(&"c1".into());
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 0);
        // While open, new messages are read at once.
        inbox.apply(visitor_msg("c1", 6), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 0);
    }

    #[test]
    fn unread_follows_previews_of_unsynced_chats() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 2), LATER);
        let preview = |last_seq, author| {
            let mut s = summary("c1", ConversationStatus::Assigned, Some(ME));
            s.last_seq = last_seq;
            s.last_message = Some(msg("c1", last_seq, author));
            AgentServerFrame::Conversation { conversation: s }
        };
        inbox.apply(preview(3, Author::Visitor), LATER);
        inbox.apply(preview(3, Author::Visitor), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 1);
        // A snapshot after a reconnect may jump several at once.
        inbox.apply(preview(6, Author::Visitor), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 4);
        let agent = Author::Agent {
            id: ME.into(),
            name: "me".into(),
        };
        inbox.apply(preview(7, agent), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 4);
        inbox.select(&"c1".into());
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 0);
        // Once synced, the message frames do the counting; a preview of the
        // same seq does not count it twice.
        inbox.deselect();
        inbox.apply(visitor_msg("c1", 8), LATER);
        inbox.apply(preview(8, Author::Visitor), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().unread(), 1);
    }

    #[test]
    fn reconnect_resyncs_open_conversations_without_gaps() {
        let mut inbox = live();
        inbox.apply(queued("c1", 1, 1), LATER);
        inbox.select(&"c1".into());
        inbox.apply(visitor_msg("c1", 1), LATER);
        assert!(inbox.apply(queued("c1", 1, 1), LATER).is_empty());
        inbox.apply(welcome(), 50_000);
        assert_eq!(
            inbox.apply(queued("c1", 1, 1), 50_001),
            [Followup::Send(AgentClientFrame::Sync {
                conversation: "c1".into(),
                after_seq: 1
            })]
        );
    }

    #[test]
    fn a_conversation_seen_again_after_leaving_view_is_resynced() {
        let mut inbox = live();
        inbox.apply(queued("c1", 1, 0), LATER);
        inbox.select(&"c1".into());
        inbox.apply(assigned("c1", "a_other", 0), LATER);
        let out = inbox.apply(queued("c1", 5, 0), LATER);
        assert_eq!(
            out,
            [
                Followup::Alert(Alert::Queued("c1".into())),
                Followup::Send(AgentClientFrame::Sync {
                    conversation: "c1".into(),
                    after_seq: 0
                })
            ]
        );
    }

    fn callback(id: &str, status: shared::callback::CallbackStatus) -> AgentServerFrame {
        AgentServerFrame::Callback {
            callback: Box::new(shared::callback::Callback {
                id: id.into(),
                site: "s_1".into(),
                visitor: "v_1".into(),
                conversation: None,
                name: None,
                phone: "+12025550123".into(),
                window: shared::callback::CallbackWindow::Asap,
                time_zone: None,
                locale: None,
                note: None,
                status,
                agent: None,
                outcome: None,
                requested_at: 1,
                updated_at: 1,
            }),
        }
    }

    #[test]
    fn a_new_callback_request_heard_live_alerts_and_counts_until_claimed() {
        use shared::callback::CallbackStatus::{Claimed, Requested};
        let mut inbox = Inbox::default();
        inbox.apply(welcome(), 0);
        assert!(
            inbox.apply(callback("cb_old", Requested), 0).is_empty(),
            "snapshot: quiet"
        );
        inbox.apply(AgentServerFrame::Ready, 0);
        assert_eq!(
            inbox.apply(callback("cb_new", Requested), LATER),
            [Followup::Alert(Alert::Callback("cb_new".into()))]
        );
        assert!(
            inbox.apply(callback("cb_new", Requested), LATER).is_empty(),
            "once"
        );
        assert_eq!(inbox.attention(), 2, "two unclaimed");
        assert!(inbox.apply(callback("cb_new", Claimed), LATER).is_empty());
        assert_eq!(inbox.attention(), 1);
    }

    #[test]
    fn attention_counts_waiting_and_unread() {
        let mut inbox = live();
        inbox.apply(queued("c1", 1, 0), LATER);
        inbox.apply(queued("c2", 2, 0), LATER);
        inbox.apply(assigned("c3", ME, 0), LATER);
        inbox.apply(visitor_msg("c3", 1), LATER);
        assert_eq!(inbox.attention(), 3);
    }

    #[test]
    fn alerts_for_new_queue_entries_and_unasked_assignments() {
        let mut inbox = Inbox::default();
        inbox.apply(welcome(), 10_000);
        // Snapshot: quiet, however long it takes.
        assert!(inbox.apply(queued("c0", 1, 0), 10_001).is_empty());
        assert!(inbox.apply(assigned("c9", ME, 0), 60_000).is_empty());
        inbox.apply(AgentServerFrame::Ready, 60_001);
        let now = 60_002;
        assert_eq!(
            inbox.apply(queued("c1", 1, 0), now),
            [Followup::Alert(Alert::Queued("c1".into()))]
        );
        // An update of a conversation already waiting is not news.
        assert!(inbox.apply(queued("c1", 1, 1), now).is_empty());
        assert_eq!(
            inbox.apply(assigned("c1", ME, 1), now),
            [
                Followup::Alert(Alert::Assigned("c1".into())),
                delivered_frame("c1", 1)
            ]
        );
        assert_eq!(
            inbox.apply(assigned("c1", ME, 2), now),
            [delivered_frame("c1", 2)],
            "no alert: only the new mark"
        );
    }

    #[test]
    fn picking_is_not_alerted() {
        let mut inbox = live();
        inbox.apply(queued("c1", 1, 0), LATER);
        assert_eq!(
            inbox.pick(&"c1".into()),
            AgentClientFrame::Pick {
                conversation: "c1".into()
            }
        );
        assert!(inbox.apply(assigned("c1", ME, 0), LATER).is_empty());
    }

    #[test]
    fn losing_a_pick_shows_the_error() {
        let mut inbox = live();
        inbox.apply(queued("c1", 1, 0), LATER);
        inbox.pick(&"c1".into());
        let out = inbox.apply(
            AgentServerFrame::Error {
                code: ErrorCode::NotQueued,
                message: "taken".into(),
                client_id: None,
                conversation: Some("c1".into()),
            },
            LATER,
        );
        assert_eq!(
            out,
            [Followup::Error {
                code: ErrorCode::NotQueued,
                conversation: Some("c1".into())
            }]
        );
        inbox.apply(assigned("c1", "a_other", 0), LATER);
        assert!(inbox.waiting().is_empty());
        assert!(inbox.mine().is_empty());
    }

    #[test]
    fn ack_turns_a_pending_send_into_a_message() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 1), LATER);
        inbox.apply(visitor_msg("c1", 1), LATER);
        let frame = inbox.queue_send("c1".into(), "k1".into(), "hello".into());
        assert_eq!(
            frame,
            AgentClientFrame::Send {
                conversation: "c1".into(),
                client_id: "k1".into(),
                body: "hello".into()
            }
        );
        assert_eq!(inbox.pending(&"c1".into()).count(), 1);
        inbox.apply(
            AgentServerFrame::Ack {
                client_id: "k1".into(),
                conversation: "c1".into(),
                seq: 2,
                sent_at: 5_000,
            },
            LATER,
        );
        assert_eq!(inbox.pending(&"c1".into()).count(), 0);
        let c = inbox.get(&"c1".into()).unwrap();
        let m = c.messages().last().unwrap();
        assert_eq!((m.seq, m.body.as_str()), (2, "hello"));
        assert!(matches!(&m.author, Author::Agent { id, .. } if id.as_str() == ME));
        // The echoed message frame for the same seq is not shown twice.
        inbox.apply(
            AgentServerFrame::Message {
                message: ChatMessage {
                    conversation: "c1".into(),
                    seq: 2,
                    client_id: "k1".into(),
                    author: Author::Agent {
                        id: ME.into(),
                        name: "me".into(),
                    },
                    body: "hello".into(),
                    sent_at: 5_000,
                },
            },
            LATER,
        );
        assert_eq!(seqs(&inbox, "c1"), [1, 2]);
    }

    #[test]
    fn message_before_ack_settles_the_send() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.queue_send("c1".into(), "k1".into(), "hello".into());
        inbox.apply(
            AgentServerFrame::Message {
                message: ChatMessage {
                    client_id: "k1".into(),
                    ..msg(
                        "c1",
                        1,
                        Author::Agent {
                            id: ME.into(),
                            name: "me".into(),
                        },
                    )
                },
            },
            LATER,
        );
        assert_eq!(inbox.pending(&"c1".into()).count(), 0);
        inbox.apply(
            AgentServerFrame::Ack {
                client_id: "k1".into(),
                conversation: "c1".into(),
                seq: 1,
                sent_at: 1,
            },
            LATER,
        );
        assert_eq!(seqs(&inbox, "c1"), [1]);
    }

    #[test]
    fn reconnect_resends_pending_and_drops_stale_listings() {
        let mut inbox = live();
        inbox.apply(queued("c1", 1, 0), LATER);
        inbox.apply(assigned("c2", ME, 0), LATER);
        inbox.queue_send("c2".into(), "k1".into(), "one".into());
        inbox.queue_send("c2".into(), "k2".into(), "two".into());
        let out = inbox.apply(welcome(), 50_000);
        assert_eq!(
            out,
            [
                Followup::Send(inbox.resend(&"k1".into()).unwrap()),
                Followup::Send(inbox.resend(&"k2".into()).unwrap()),
            ]
        );
        // c1 was taken by someone else while we were away: the snapshot
        // does not mention it.
        assert!(inbox.waiting().is_empty());
        assert!(inbox.mine().is_empty());
        inbox.apply(assigned("c2", ME, 0), 50_001);
        assert_eq!(ids(&inbox.mine()), ["c2"]);
        assert!(inbox.waiting().is_empty());
    }

    #[test]
    fn reconnect_syncs_open_conversations_from_what_is_held() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 2), LATER);
        inbox.select(&"c1".into());
        inbox.apply(visitor_msg("c1", 1), LATER);
        inbox.apply(visitor_msg("c1", 2), LATER);
        inbox.apply(welcome(), 50_000);
        let out = inbox.apply(assigned("c1", ME, 4), 50_001);
        assert_eq!(
            out,
            [Followup::Send(AgentClientFrame::Sync {
                conversation: "c1".into(),
                after_seq: 2
            })]
        );
    }

    #[test]
    fn send_errors_fail_or_retry() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.queue_send("c1".into(), "k1".into(), "x".into());
        inbox.queue_send("c1".into(), "k2".into(), "y".into());
        let error = |code, id: &str| AgentServerFrame::Error {
            code,
            message: String::new(),
            client_id: Some(id.into()),
            conversation: Some("c1".into()),
        };
        assert_eq!(
            inbox.apply(error(ErrorCode::RateLimited, "k1"), LATER),
            [Followup::RetrySend("k1".into())]
        );
        assert!(inbox.resend(&"k1".into()).is_some());
        let out = inbox.apply(error(ErrorCode::ConversationResolved, "k2"), LATER);
        assert_eq!(
            out,
            [Followup::Error {
                code: ErrorCode::ConversationResolved,
                conversation: Some("c1".into())
            }]
        );
        let failed: Vec<_> = inbox.pending(&"c1".into()).map(|p| p.failed).collect();
        assert_eq!(failed, [None, Some(ErrorCode::ConversationResolved)]);
        assert!(inbox.resend(&"k2".into()).is_none());
        // A failed send is not resent after a reconnect.
        assert_eq!(inbox.apply(welcome(), 90_000).len(), 1);
        inbox.discard(&"k2".into());
        assert_eq!(inbox.pending(&"c1".into()).count(), 1);
    }

    #[test]
    fn visitor_typing_expires_and_stops_on_message() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        let typing = |typing| AgentServerFrame::Typing {
            conversation: "c1".into(),
            typing,
            agent: None,
            preview: None,
        };
        inbox.apply(typing(true), 10_000);
        let c = || inbox.get(&"c1".into()).unwrap().clone();
        assert!(c().visitor_typing(10_001));
        assert!(!c().visitor_typing(10_000 + VISITOR_TYPING_TTL_MS));
        inbox.apply(visitor_msg("c1", 1), 10_002);
        assert!(!inbox.get(&"c1".into()).unwrap().visitor_typing(10_003));
        inbox.apply(typing(true), 20_000);
        assert!(!inbox.expire_typing(20_001));
        assert!(inbox.expire_typing(20_000 + VISITOR_TYPING_TTL_MS));
        assert!(!inbox.get(&"c1".into()).unwrap().visitor_typing(20_002));
        inbox.apply(typing(true), 30_000);
        inbox.apply(typing(false), 30_001);
        assert!(!inbox.get(&"c1".into()).unwrap().visitor_typing(30_002));
    }

    #[test]
    fn the_visitors_draft_shows_while_they_type_and_goes_when_they_send_or_stop() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        let typing = |typing, preview: Option<&str>| AgentServerFrame::Typing {
            conversation: "c1".into(),
            typing,
            agent: None,
            preview: preview.map(str::to_owned),
        };
        let draft = |inbox: &Inbox, now| {
            inbox
                .get(&"c1".into())
                .unwrap()
                .visitor_draft(now)
                .map(str::to_owned)
        };
        inbox.apply(typing(true, Some("Where is")), 10_000);
        assert_eq!(draft(&inbox, 10_001).as_deref(), Some("Where is"));
        // The keep-alive keeps it; a newer draft replaces it.
        inbox.apply(typing(true, None), 11_000);
        assert_eq!(draft(&inbox, 11_001).as_deref(), Some("Where is"));
        inbox.apply(typing(true, Some("Where is my order")), 12_000);
        assert_eq!(draft(&inbox, 12_001).as_deref(), Some("Where is my order"));
        // Gone once the typing notice lapses, on a message, or on stop.
        assert_eq!(draft(&inbox, 12_000 + VISITOR_TYPING_TTL_MS), None);
        inbox.apply(visitor_msg("c1", 1), 12_002);
        assert_eq!(draft(&inbox, 12_003), None);
        inbox.apply(typing(true, Some("and")), 13_000);
        inbox.apply(typing(false, None), 13_001);
        inbox.apply(typing(true, None), 13_002);
        assert_eq!(draft(&inbox, 13_003), None, "stopping dropped it");
    }

    #[test]
    fn contiguous_seq_stops_at_the_first_gap() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().contiguous_seq(), 0);
        inbox.apply(visitor_msg("c1", 2), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().contiguous_seq(), 0);
        inbox.apply(visitor_msg("c1", 1), LATER);
        inbox.apply(visitor_msg("c1", 4), LATER);
        assert_eq!(inbox.get(&"c1".into()).unwrap().contiguous_seq(), 2);
    }

    #[test]
    fn new_takes_the_agent_from_me() {
        let inbox = Inbox::new(&Me {
            agent: profile(ME),
            presence: Presence::Away,
            mails_replies: false,
        });
        assert_eq!(inbox.me().unwrap().id.as_str(), ME);
        assert_eq!(inbox.presence(), Some(Presence::Away));
        assert_eq!(inbox.attention(), 0);
    }

    fn note(conv: &str, id: u64, client_id: &str, author: &str) -> AgentServerFrame {
        AgentServerFrame::Note {
            note: Note {
                conversation: conv.into(),
                id,
                after_seq: 1,
                client_id: client_id.into(),
                author: AgentPublic {
                    id: author.into(),
                    name: format!("Agent {author}"),
                },
                body: format!("note {id}"),
                sent_at: 3_000,
            },
        }
    }

    #[test]
    fn notes_are_held_once_each_and_settle_their_pending_copy() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 1), 0);
        inbox.select(&"c1".into());
        let frame = inbox.queue_note("c1".into(), "n-mine".into(), "VIP".into());
        assert_eq!(
            frame,
            AgentClientFrame::Note {
                conversation: "c1".into(),
                client_id: "n-mine".into(),
                body: "VIP".into(),
            }
        );
        assert!(inbox.pending(&"c1".into()).all(|p| p.note));
        // A colleague's note, then mine coming back: the pending copy goes.
        inbox.apply(note("c1", 1, "n-other", "a_boss"), 0);
        assert_eq!(inbox.pending(&"c1".into()).count(), 1);
        inbox.apply(note("c1", 2, "n-mine", ME), 0);
        assert_eq!(inbox.pending(&"c1".into()).count(), 0);
        // A replay (sync) or a repeat replaces, never doubles.
        inbox.apply(note("c1", 1, "n-other", "a_boss"), 0);
        let held: Vec<u64> = inbox
            .get(&"c1".into())
            .unwrap()
            .notes()
            .map(|n| n.id)
            .collect();
        assert_eq!(held, [1, 2]);
        // Notes are not messages: nothing unread, no seq moved.
        let c = inbox.get(&"c1".into()).unwrap();
        assert_eq!((c.unread(), c.summary.last_seq), (0, 1));
    }

    #[test]
    fn an_unacknowledged_note_is_sent_again_as_a_note_after_a_reconnect() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 1), 0);
        inbox.queue_note("c1".into(), "n1".into(), "call back at 5".into());
        inbox.queue_send("c1".into(), "r1".into(), "hello".into());
        let again = inbox.apply(welcome(), 0);
        assert_eq!(
            again,
            vec![
                Followup::Send(AgentClientFrame::Note {
                    conversation: "c1".into(),
                    client_id: "n1".into(),
                    body: "call back at 5".into(),
                }),
                Followup::Send(AgentClientFrame::Send {
                    conversation: "c1".into(),
                    client_id: "r1".into(),
                    body: "hello".into(),
                }),
            ]
        );
    }

    #[test]
    fn a_visitor_message_in_a_chat_of_mine_not_open_alerts_once() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), LATER);
        inbox.apply(assigned("c2", ME, 0), LATER);
        inbox.select(&"c1".into());
        inbox.select(&"c2".into());
        // c2 is open: its messages are read as they come.
        assert!(inbox.apply(visitor_msg("c2", 1), LATER).is_empty());
        // c1 is synced but not open: one alert per new visitor message
        // (and its visitor is told the dashboard has it).
        assert_eq!(
            inbox.apply(visitor_msg("c1", 1), LATER),
            [
                Followup::Alert(Alert::Message("c1".into())),
                delivered_frame("c1", 1)
            ]
        );
        assert!(
            inbox.apply(visitor_msg("c1", 1), LATER).is_empty(),
            "a repeat"
        );
        // An unsynced chat of mine learns of it from its summary.
        inbox.apply(assigned("c3", ME, 0), LATER);
        let mut s = summary("c3", ConversationStatus::Assigned, Some(ME));
        s.last_seq = 1;
        s.last_message = Some(msg("c3", 1, Author::Visitor));
        s.version = 5;
        assert_eq!(
            inbox.apply(AgentServerFrame::Conversation { conversation: s }, LATER),
            [
                Followup::Alert(Alert::Message("c3".into())),
                delivered_frame("c3", 1)
            ]
        );
        // Not mine (a waiting one): the queue alert is the news, not this.
        inbox.apply(queued("c4", 1, 0), LATER);
        let mut w = summary("c4", ConversationStatus::Queued, None);
        w.last_seq = 1;
        w.last_message = Some(msg("c4", 1, Author::Visitor));
        w.version = 5;
        assert!(inbox
            .apply(AgentServerFrame::Conversation { conversation: w }, LATER)
            .is_empty());
    }

    #[test]
    fn colleagues_in_a_conversation_come_go_and_fade() {
        let mut inbox = live();
        inbox.apply(assigned("c1", ME, 0), 0);
        let boss = AgentPublic {
            id: "a_boss".into(),
            name: "Boss".into(),
        };
        let seen = |viewing| AgentServerFrame::Viewing {
            conversation: "c1".into(),
            agent: boss.clone(),
            viewing,
        };
        inbox.apply(seen(true), 1_000);
        assert_eq!(inbox.viewers(&"c1".into(), 2_000), ["Boss"]);
        assert!(inbox.viewers(&"c2".into(), 2_000).is_empty());
        // Not heard of for too long: gone (a lost socket says nothing).
        assert!(inbox
            .viewers(&"c1".into(), 1_000 + VIEWER_TTL_MS)
            .is_empty());
        inbox.apply(seen(true), 100_000);
        inbox.apply(seen(false), 100_001);
        assert!(inbox.viewers(&"c1".into(), 100_002).is_empty());
        inbox.apply(seen(true), 100_003);
        inbox.apply(welcome(), 100_004);
        assert!(
            inbox.viewers(&"c1".into(), 100_005).is_empty(),
            "a new connection starts over"
        );
    }

    #[test]
    fn a_colleague_typing_shows_until_it_stops_or_fades() {
        let mut inbox = live();
        inbox.apply(assigned("c1", "a_sara", 0), 0);
        let sara = AgentPublic {
            id: "a_sara".into(),
            name: "Sara".into(),
        };
        let typing = |typing| AgentServerFrame::Typing {
            conversation: "c1".into(),
            typing,
            agent: Some(sara.clone()),
            preview: None,
        };
        inbox.apply(typing(true), 1_000);
        assert_eq!(inbox.colleagues_typing(&"c1".into(), 2_000), ["Sara"]);
        // Not the visitor typing.
        assert!(!inbox.get(&"c1".into()).unwrap().visitor_typing(2_000));
        assert!(inbox
            .colleagues_typing(&"c1".into(), 1_000 + VISITOR_TYPING_TTL_MS)
            .is_empty());
        inbox.apply(typing(true), 20_000);
        inbox.apply(typing(false), 20_001);
        assert!(inbox.colleagues_typing(&"c1".into(), 20_002).is_empty());
    }
}
