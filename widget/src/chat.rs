//! The visitor's chat as plain data: stored messages keyed by `seq`, the
//! outbox of sends not yet acknowledged, the conversation's status, and what
//! the panel shows about them.
//!
//! Server frames go through [`ChatState::apply`], which returns the
//! [`Effect`]s the caller must carry out (persist, resend, tell the host
//! page). Keeping the browser out of this module is what lets the delivery
//! rules below be unit-tested natively:
//!
//! - a message is held once per `seq`, however often it is replayed or
//!   acknowledged, and shown in `seq` order;
//! - a send stays in the outbox (and on screen as pending) until an `ack` or
//!   its own `message` arrives; every pending send is resent after each
//!   `welcome`, the server deduplicating by `client_id`;
//! - `hello` carries the end of the gap-free prefix of held messages, so a
//!   message missed for any reason is replayed on the next connection.

use crate::callback::Callbacks;
use client::log::MessageLog;
use client::outbox::{Outbox, Outgoing};
use serde::{Deserialize, Serialize};
use shared::limits::MAX_MESSAGE_CHARS;
use shared::settings::PrechatProblem;
use shared::{
    AgentPublic, Author, ChatMessage, ClientId, Contact, ConversationId, ConversationStatus,
    ErrorCode, Offline, Rating, Seq, VisitorConversation, VisitorServerFrame,
};
use std::collections::BTreeMap;

/// A send the server has not acknowledged yet. Persisted, so a reload before
/// the ack still delivers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// The send's idempotency key.
    pub client_id: ClientId,
    /// The text.
    pub body: String,
}

impl Outgoing for Pending {
    fn client_id(&self) -> &ClientId {
        &self.client_id
    }
}

/// Something to tell the visitor about, above the composer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Pre-check: nothing to send.
    Empty,
    /// Pre-check: longer than [`MAX_MESSAGE_CHARS`].
    TooLong,
    /// An `error` frame from the server.
    Server(ErrorCode),
}

impl Problem {
    /// Errors after which talking to the server is pointless: the site is
    /// misconfigured, so the widget stops reconnecting.
    pub fn is_fatal(self) -> bool {
        matches!(
            self,
            Problem::Server(ErrorCode::UnknownSite | ErrorCode::OriginNotAllowed)
        )
    }

    fn clears_on_delivery(self) -> bool {
        matches!(self, Problem::Server(code) if code.is_retryable())
    }

    /// A problem with the leave-a-message form's name or email.
    fn is_contact(self) -> bool {
        matches!(
            self,
            Problem::Server(ErrorCode::InvalidEmail | ErrorCode::BadRequest)
        )
    }
}

/// Checks the leave-a-message form: an address shaped like
/// `name@host.tld` (the server checks it for real) and a name trimmed,
/// blank for none.
pub fn check_contact(name: &str, email: &str) -> Result<Contact, Problem> {
    let email = email.trim();
    if !shared::settings::email_shaped(email) {
        return Err(Problem::Server(ErrorCode::InvalidEmail));
    }
    let name = name.trim();
    Ok(Contact {
        name: (!name.is_empty()).then(|| name.to_owned()),
        email: email.to_owned(),
    })
}

/// Checks a draft before sending; returns the text to send (trimmed).
pub fn validate(draft: &str) -> Result<String, Problem> {
    let body = draft.trim();
    if body.is_empty() {
        Err(Problem::Empty)
    } else if body.chars().count() > MAX_MESSAGE_CHARS {
        Err(Problem::TooLong)
    } else {
        Ok(body.to_owned())
    }
}

/// State of the websocket, as the visitor sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// First connection attempt, nothing to complain about yet.
    Connecting,
    /// Greeted by the server.
    Online,
    /// Lost (or never got) the connection; retrying.
    Reconnecting,
    /// Gave up after a fatal error.
    Stopped,
}

/// What the caller must do after a state change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Keep this visitor token (it differs from the one sent).
    SaveToken(String),
    /// The outbox changed: persist it.
    SaveOutbox,
    /// The read marker moved: persist it.
    SaveReadSeq(Seq),
    /// An agent message up to `seq` arrived and was not shown (the panel is
    /// closed): tell the server it was delivered.
    Delivered(Seq),
    /// `welcome` arrived: the connection is usable; resend every pending send.
    Greeted,
    /// The cache did not match the server's conversation and was dropped,
    /// but `hello` asked only for later messages: reconnect to get them all.
    Resync,
    /// This pending send failed in a way worth retrying later.
    RetryLater(ClientId),
    /// A live agent message, for the host page's `on("message")`.
    AgentMessage(String),
    /// A send was refused for good; give the visitor their text back.
    RestoreDraft(String),
    /// The pre-chat answers were kept: send the first message (the draft).
    SendDraft,
    /// Fatal error: stop reconnecting.
    Stop,
}

/// The satisfaction survey's place in the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Survey {
    /// Nothing to ask: the chat is not resolved.
    Hidden,
    /// Resolved and not answered: ask.
    Ask,
    /// Answered with this score: thank.
    Thanks(u8),
}

/// Where an "agent joined" notice sits in the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
enum JoinAt {
    /// Live `assigned`: after the messages held at that moment.
    After(Seq),
    /// Learnt from `welcome`, when we don't know when it happened: before
    /// the agent's first message (or at the end if they have not written).
    BeforeFirstFrom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Join {
    agent: AgentPublic,
    at: JoinAt,
}

/// One row of the conversation as displayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A stored message; `first_in_run` when the previous row is not a
    /// message by the same author (the agent's name is shown above it).
    Message {
        /// The message.
        message: ChatMessage,
        /// Starts a run of messages by one author.
        first_in_run: bool,
    },
    /// An agent joined.
    Joined {
        /// Index among the join notices (stable key).
        index: usize,
        /// Agent name.
        name: String,
    },
}

/// Stable identity of an [`Entry`] for keyed rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKey {
    /// A message by seq.
    Message(Seq),
    /// A join notice by index.
    Joined(usize),
}

impl Entry {
    /// Key for keyed lists.
    pub fn key(&self) -> EntryKey {
        match self {
            Entry::Message { message, .. } => EntryKey::Message(message.seq),
            Entry::Joined { index, .. } => EntryKey::Joined(*index),
        }
    }
}

/// The whole visitor-side chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatState {
    messages: MessageLog,
    outbox: Outbox<Pending>,
    conversation: Option<ConversationId>,
    status: Option<ConversationStatus>,
    queue_position: Option<u32>,
    /// Estimated wait in seconds while queued, when the server knows.
    queue_wait: Option<u32>,
    /// How far the agent has read (for "Seen").
    agent_read: Seq,
    /// How far the agent's dashboard has received (for "Delivered").
    agent_delivered: Seq,
    agent: Option<AgentPublic>,
    joins: Vec<Join>,
    agent_typing: bool,
    /// Whether anyone of the site is online (`None`: not said).
    agents_online: Option<bool>,
    /// Set while the site is offline (outside its hours).
    offline: Option<Offline>,
    /// The name and email the server kept for this visitor.
    contact: Option<Contact>,
    /// A `contact` frame sent (or to send once connected), not yet kept.
    contact_sending: Option<Contact>,
    /// The site asks its pre-chat questions before the first message.
    prechat_asked: bool,
    /// Pre-chat answers sent (or to send once connected), not yet kept.
    prechat_sending: Option<BTreeMap<String, String>>,
    /// The pre-chat answers were kept.
    prechat_done: bool,
    /// The field the visitor must fix, and why (the widget's own check).
    prechat_problem: Option<(String, PrechatProblem)>,
    open: bool,
    /// Highest seq the visitor has seen with the panel open.
    read_seq: Seq,
    /// `last_seq` sent in the latest `hello`.
    hello_seq: Seq,
    /// Messages up to this seq are history replays, not news for the host.
    replayed_upto: Seq,
    link: Link,
    problem: Option<Problem>,
    /// The visitor's survey answer for the latest resolution.
    rating: Option<Rating>,
    /// The callback offer, form and request.
    callbacks: Callbacks,
    /// Mailing the conversation.
    mailing: crate::transcript::Mailing,
    /// Help articles: the view and the suggestions.
    help: crate::help::Help,
    /// A proactive message greets the visitor and the panel has not been
    /// open since: it counts as one unread message (the launcher's badge).
    greeting_unseen: bool,
}

impl ChatState {
    /// A fresh state with what survived a reload: the outbox and read marker.
    pub fn restore(outbox: Vec<Pending>, read_seq: Seq) -> Self {
        ChatState {
            messages: MessageLog::default(),
            outbox: Outbox::from(outbox),
            conversation: None,
            status: None,
            queue_position: None,
            queue_wait: None,
            agent_read: 0,
            agent_delivered: 0,
            agent: None,
            joins: Vec::new(),
            agent_typing: false,
            agents_online: None,
            offline: None,
            contact: None,
            contact_sending: None,
            prechat_asked: false,
            prechat_sending: None,
            prechat_done: false,
            prechat_problem: None,
            open: false,
            read_seq,
            hello_seq: 0,
            replayed_upto: 0,
            link: Link::Connecting,
            problem: None,
            rating: None,
            callbacks: Callbacks::default(),
            mailing: crate::transcript::Mailing::default(),
            help: crate::help::Help::default(),
            greeting_unseen: false,
        }
    }

    // ----- reading -------------------------------------------------------

    /// The messages held, in seq order.
    pub fn messages(&self) -> impl Iterator<Item = &ChatMessage> {
        self.messages.iter()
    }

    /// Whether to ask for a rating, thank for one, or neither.
    pub fn survey(&self) -> Survey {
        match (&self.status, &self.rating) {
            (Some(ConversationStatus::Resolved), None) => Survey::Ask,
            (Some(ConversationStatus::Resolved), Some(r)) => Survey::Thanks(r.score),
            _ => Survey::Hidden,
        }
    }

    /// End of the gap-free run of held messages from seq 1: what `hello`
    /// asks the server to continue from.
    pub fn last_seq(&self) -> Seq {
        self.messages.gap_free_end()
    }

    fn max_seq(&self) -> Seq {
        self.messages.max_seq()
    }

    /// Pending sends, oldest first.
    pub fn outbox(&self) -> &[Pending] {
        self.outbox.as_slice()
    }

    /// A pending send by id.
    pub fn pending(&self, client_id: &ClientId) -> Option<&Pending> {
        self.outbox.get(client_id)
    }

    /// Whether the panel is open.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Connection state.
    pub fn link(&self) -> Link {
        self.link
    }

    /// Conversation status, once there is a conversation.
    pub fn status(&self) -> Option<ConversationStatus> {
        self.status
    }

    /// Queue position while queued.
    pub fn queue_position(&self) -> Option<u32> {
        match self.status {
            Some(ConversationStatus::Queued) => self.queue_position,
            _ => None,
        }
    }

    /// How far the visitor has read (the chat was open when they came).
    pub fn read_seq(&self) -> Seq {
        self.read_seq
    }

    /// The visitor's latest message the agent has read ("Seen").
    pub fn seen_seq(&self) -> Option<Seq> {
        self.latest_visitor_message(self.agent_read)
    }

    /// The visitor's latest message the agent's dashboard has received
    /// but the agent has not read ("Delivered"), when later than the one
    /// seen.
    pub fn delivered_seq(&self) -> Option<Seq> {
        self.latest_visitor_message(self.agent_delivered)
            .filter(|seq| *seq > self.agent_read)
    }

    fn latest_visitor_message(&self, upto: Seq) -> Option<Seq> {
        self.messages
            .latest_at_or_before(upto, |a| *a == Author::Visitor)
    }

    /// Estimated wait in seconds while queued, if the server could tell.
    pub fn queue_wait(&self) -> Option<u32> {
        self.queue_position().and(self.queue_wait)
    }

    /// The assigned agent.
    pub fn agent(&self) -> Option<&AgentPublic> {
        self.agent.as_ref()
    }

    /// Nobody of the site is online (as the server last said).
    pub fn team_away(&self) -> bool {
        self.agents_online == Some(false) || self.offline.is_some()
    }

    /// While the site is offline: when it is back, if it said.
    pub fn offline(&self) -> Option<Offline> {
        self.offline
    }

    /// The name and email kept for replies, once the server confirmed.
    pub fn contact(&self) -> Option<&Contact> {
        self.contact.as_ref()
    }

    /// The leave-a-message form replaces the composer: the site is offline
    /// and the visitor has not left an email yet (nor is one on its way).
    pub fn wants_contact(&self) -> bool {
        self.offline.is_some() && self.contact.is_none() && self.contact_sending.is_none()
    }

    /// The pre-chat form stands in the composer's place: the site asks,
    /// nothing was said yet, and the offline form does not ask instead.
    pub fn wants_prechat(&self) -> bool {
        self.prechat_asked
            && !self.prechat_done
            && self.conversation.is_none()
            && self.messages.is_empty()
            && self.outbox.is_empty()
            && !self.wants_contact()
    }

    /// The pre-chat answers on their way, if any.
    pub fn prechat_sending(&self) -> Option<&BTreeMap<String, String>> {
        self.prechat_sending.as_ref()
    }

    /// The pre-chat field to fix, and why.
    pub fn prechat_problem(&self) -> Option<&(String, PrechatProblem)> {
        self.prechat_problem.as_ref()
    }

    /// The contact to send after (re)connecting, if one is not kept yet.
    pub fn contact_sending(&self) -> Option<&Contact> {
        self.contact_sending.as_ref()
    }

    /// Whether to show the agent typing.
    pub fn agent_typing(&self) -> bool {
        self.agent_typing && self.agent.is_some()
    }

    /// The callback offer, form and request.
    pub fn callbacks(&self) -> &Callbacks {
        &self.callbacks
    }

    /// Mailing the conversation.
    pub fn mailing(&self) -> &crate::transcript::Mailing {
        &self.mailing
    }

    /// Help articles: the view and the suggestions.
    pub fn help(&self) -> &crate::help::Help {
        &self.help
    }

    /// For the visitor's verbs on the help view and the suggestions.
    pub fn help_mut(&mut self) -> &mut crate::help::Help {
        &mut self.help
    }

    /// Whether the next message is the visitor's first: suggestions are
    /// offered before it, not during the conversation.
    pub fn before_first_message(&self) -> bool {
        self.conversation.is_none() && self.messages.is_empty() && self.outbox.is_empty()
    }

    /// For the visitor's verbs on the mailing form.
    pub fn mailing_mut(&mut self) -> &mut crate::transcript::Mailing {
        &mut self.mailing
    }

    /// Whether an agent wrote in the conversation (it may be mailed).
    pub fn has_agent_message(&self) -> bool {
        self.messages
            .iter()
            .any(|m| matches!(m.author, Author::Agent { .. }))
    }

    /// For the visitor's verbs on the callback form.
    pub fn callbacks_mut(&mut self) -> &mut Callbacks {
        &mut self.callbacks
    }

    /// Whether to offer a callback now: the site is offline, or the wait
    /// is long (see [`Callbacks::offered`]).
    pub fn callback_offered(&self) -> bool {
        let queued = self.status == Some(ConversationStatus::Queued);
        self.callbacks
            .offered(self.offline.is_some(), queued, self.queue_wait())
    }

    /// The problem to show, if any.
    pub fn problem(&self) -> Option<Problem> {
        self.problem
    }

    /// Whether a conversation is going on (waiting or with an agent) or a
    /// message is still on its way: the loader then loads the widget on
    /// every page, for the badge and the page's `on("message")`.
    pub fn ongoing(&self) -> bool {
        matches!(
            self.status,
            Some(ConversationStatus::Queued | ConversationStatus::Assigned)
        ) || !self.outbox.is_empty()
    }

    /// Agent messages the visitor has not seen (0 while the panel is open).
    pub fn unread(&self) -> u32 {
        if self.open {
            return 0;
        }
        let count = self
            .messages
            .after(self.read_seq)
            .filter(|m| matches!(m.author, Author::Agent { .. }))
            .count()
            + usize::from(self.greeting_unseen);
        u32::try_from(count).unwrap_or(u32::MAX)
    }

    /// A proactive message greets the visitor: unread until they open the
    /// panel.
    pub fn greet(&mut self) {
        self.greeting_unseen = !self.open;
    }

    /// Messages and join notices in display order.
    pub fn timeline(&self) -> Vec<Entry> {
        let messages: Vec<&ChatMessage> = self.messages.iter().collect();
        // Each join is placed before the message at this index.
        let positions: Vec<usize> = self
            .joins
            .iter()
            .map(|join| match join.at {
                JoinAt::After(seq) => messages.partition_point(|m| m.seq <= seq),
                JoinAt::BeforeFirstFrom => messages
                    .iter()
                    .position(
                        |m| matches!(&m.author, Author::Agent { id, .. } if *id == join.agent.id),
                    )
                    .unwrap_or(messages.len()),
            })
            .collect();

        let mut out = Vec::with_capacity(messages.len() + self.joins.len());
        let push_joins_at = |i: usize, out: &mut Vec<Entry>| {
            for (index, join) in self.joins.iter().enumerate() {
                if positions[index] == i {
                    out.push(Entry::Joined {
                        index,
                        name: join.agent.name.clone(),
                    });
                }
            }
        };
        for (i, message) in messages.iter().enumerate() {
            push_joins_at(i, &mut out);
            let first_in_run = match out.last() {
                Some(Entry::Message { message: prev, .. }) => prev.author != message.author,
                _ => true,
            };
            out.push(Entry::Message {
                message: (*message).clone(),
                first_in_run,
            });
        }
        push_joins_at(messages.len(), &mut out);
        out
    }

    // ----- local actions -------------------------------------------------

    /// The leave-a-message form was sent: its `contact` frame goes now or
    /// after the next `welcome`, until the server keeps it.
    pub fn leave_contact(&mut self, contact: Contact) {
        self.contact_sending = Some(contact);
        if self.problem.is_some_and(Problem::is_contact) {
            self.problem = None;
        }
    }

    /// The site asks pre-chat questions (from the widget's config).
    pub fn ask_prechat(&mut self) {
        self.prechat_asked = true;
    }

    /// The pre-chat form was sent: checked answers go now or after the
    /// next `welcome`; a problem stays with its field instead.
    pub fn send_prechat(
        &mut self,
        answers: Result<BTreeMap<String, String>, (String, PrechatProblem)>,
    ) {
        match answers {
            Ok(a) => {
                self.prechat_problem = None;
                self.prechat_sending = Some(a);
            }
            Err(problem) => self.prechat_problem = Some(problem),
        }
    }

    /// Records and returns the `last_seq` for the `hello` about to be sent.
    pub fn hello_seq(&mut self) -> Seq {
        self.hello_seq = self.last_seq();
        self.hello_seq
    }

    /// The page identified another user: nothing held is theirs (the next
    /// `welcome` brings their conversation). Returns whether the read
    /// marker was reset (to save).
    pub fn new_identity(&mut self) -> bool {
        self.drop_cache();
        self.status = None;
        self.rating = None;
        self.queue_position = None;
        self.hello_seq = 0;
        self.replayed_upto = 0;
        std::mem::take(&mut self.read_seq) != 0
    }

    /// Opens or closes the panel. Returns the new read marker if it moved.
    pub fn set_open(&mut self, open: bool) -> Option<Seq> {
        self.open = open;
        if open {
            self.greeting_unseen = false;
        }
        self.mark_read()
    }

    /// A send the visitor just made. A resolved conversation reopens with it.
    pub fn enqueue(&mut self, pending: Pending) {
        self.outbox.push(pending);
        if self.status == Some(ConversationStatus::Resolved) {
            self.status = Some(ConversationStatus::Queued);
            self.queue_position = None;
            // The answer was about the resolution this send reopens.
            self.rating = None;
        }
        self.clear_problem();
    }

    /// Shows a problem (a fatal one stays).
    pub fn set_problem(&mut self, problem: Problem) {
        if !self.problem.is_some_and(Problem::is_fatal) {
            self.problem = Some(problem);
        }
    }

    /// Hides the problem unless it is fatal.
    pub fn clear_problem(&mut self) {
        if !self.problem.is_some_and(Problem::is_fatal) {
            self.problem = None;
        }
    }

    /// Hides a pre-check problem once the draft is fine again.
    pub fn clear_draft_problem(&mut self) {
        if matches!(self.problem, Some(Problem::Empty | Problem::TooLong)) {
            self.problem = None;
        }
    }

    /// The socket closed; a reconnect is scheduled.
    pub fn connection_lost(&mut self) {
        if self.link != Link::Stopped {
            self.link = Link::Reconnecting;
        }
        self.agent_typing = false;
    }

    /// The agent typing indicator timed out (the agent's `typing: false`
    /// may never come if their tab closed).
    pub fn agent_typing_expired(&mut self) {
        self.agent_typing = false;
    }

    // ----- server frames -------------------------------------------------

    /// Applies a server frame. `sent_token` is the token the last `hello`
    /// carried, to tell whether the server still knows this visitor.
    pub fn apply(&mut self, frame: VisitorServerFrame, sent_token: Option<&str>) -> Vec<Effect> {
        match frame {
            VisitorServerFrame::Welcome {
                token,
                conversation,
                agents_online,
                offline,
                contact,
                callback,
            } => {
                self.agents_online = agents_online;
                self.offline = offline;
                self.contact = contact.map(|c| *c);
                self.callbacks.welcome(callback.map(|c| *c));
                self.welcome(token, conversation.map(|c| *c), sent_token)
            }
            VisitorServerFrame::Availability {
                agents_online,
                offline,
            } => {
                self.agents_online = Some(agents_online);
                self.offline = offline;
                Vec::new()
            }
            VisitorServerFrame::Help {
                query,
                ask,
                articles,
            } => {
                self.help.found(query, ask, articles);
                Vec::new()
            }
            VisitorServerFrame::Article { article } => {
                self.help.arrived(*article);
                Vec::new()
            }
            VisitorServerFrame::TranscriptSent { email } => {
                self.mailing.sent(email);
                Vec::new()
            }
            VisitorServerFrame::Callback { callback } => {
                self.callbacks.kept_now(*callback);
                Vec::new()
            }
            VisitorServerFrame::PrechatSaved => {
                let was_sending = self.prechat_sending.take().is_some();
                self.prechat_done = true;
                if was_sending {
                    vec![Effect::SendDraft]
                } else {
                    Vec::new()
                }
            }
            VisitorServerFrame::ContactSaved { contact } => {
                self.contact = Some(contact);
                self.contact_sending = None;
                if self.problem.is_some_and(Problem::is_contact) {
                    self.problem = None;
                }
                Vec::new()
            }
            VisitorServerFrame::Message { message } => self.message(message),
            VisitorServerFrame::Ack {
                client_id,
                conversation,
                seq,
                sent_at,
            } => self.ack(client_id, conversation, seq, sent_at),
            VisitorServerFrame::Queue {
                position,
                estimated_wait_secs,
            } => {
                self.status = Some(ConversationStatus::Queued);
                self.queue_position = Some(position);
                self.queue_wait = estimated_wait_secs;
                self.agent = None;
                Vec::new()
            }
            VisitorServerFrame::Assigned { agent } => {
                self.status = Some(ConversationStatus::Assigned);
                self.assign(agent, JoinAt::After(self.max_seq()));
                Vec::new()
            }
            VisitorServerFrame::Status { status } => {
                self.status = Some(status);
                match status {
                    ConversationStatus::Resolved => {
                        self.queue_position = None;
                        self.agent = None;
                        self.agent_typing = false;
                    }
                    ConversationStatus::Queued => {
                        self.agent = None;
                        self.rating = None;
                    }
                    ConversationStatus::Assigned => self.queue_position = None,
                }
                Vec::new()
            }
            VisitorServerFrame::Rated { rating } => {
                self.rating = Some(rating);
                Vec::new()
            }
            VisitorServerFrame::Typing { typing } => {
                self.agent_typing = typing;
                Vec::new()
            }
            VisitorServerFrame::Read { seq } => {
                self.agent_read = self.agent_read.max(seq);
                self.agent_delivered = self.agent_delivered.max(seq);
                Vec::new()
            }
            VisitorServerFrame::Delivered { seq } => {
                self.agent_delivered = self.agent_delivered.max(seq);
                Vec::new()
            }
            VisitorServerFrame::Error {
                code, client_id, ..
            } => self.error(code, client_id),
        }
    }

    fn welcome(
        &mut self,
        token: String,
        conversation: Option<VisitorConversation>,
        sent_token: Option<&str>,
    ) -> Vec<Effect> {
        let mut fx = Vec::new();
        let mut dropped = false;
        if sent_token != Some(token.as_str()) {
            // A new visitor as far as the server knows: nothing held belongs
            // to them. The outbox stays: it is what this person typed.
            dropped = self.drop_cache();
            if self.read_seq != 0 {
                self.read_seq = 0;
                fx.push(Effect::SaveReadSeq(0));
            }
            fx.push(Effect::SaveToken(token));
        }
        self.link = Link::Online;
        self.agent_typing = false;
        match conversation {
            Some(conv) => {
                let held_elsewhere = self.messages.iter().any(|m| m.conversation != conv.id);
                if held_elsewhere || conv.last_seq < self.max_seq() {
                    dropped |= self.drop_cache();
                }
                if dropped && self.hello_seq > 0 && conv.last_seq > 0 {
                    fx.push(Effect::Resync);
                }
                self.conversation = Some(conv.id);
                self.status = Some(conv.status);
                self.rating = conv.rating;
                self.queue_position = conv.queue_position;
                self.queue_wait = conv.estimated_wait_secs;
                self.agent_read = conv.agent_read;
                self.agent_delivered = conv.agent_delivered.max(conv.agent_read);
                match (conv.status, conv.agent) {
                    (ConversationStatus::Assigned, Some(agent)) => {
                        self.assign(agent, JoinAt::BeforeFirstFrom);
                    }
                    _ => self.agent = None,
                }
                self.replayed_upto = conv.last_seq.max(self.hello_seq);
            }
            None => {
                self.drop_cache();
                self.conversation = None;
                self.status = None;
                self.rating = None;
                self.queue_position = None;
                self.agent = None;
                self.replayed_upto = 0;
            }
        }
        fx.push(Effect::Greeted);
        fx
    }

    /// Forgets everything learnt from the server. Returns whether anything
    /// was held.
    fn drop_cache(&mut self) -> bool {
        let had = !self.messages.is_empty() || self.conversation.is_some();
        self.messages.clear();
        self.joins.clear();
        self.conversation = None;
        self.agent = None;
        self.agent_read = 0;
        self.agent_delivered = 0;
        had
    }

    fn assign(&mut self, agent: AgentPublic, at: JoinAt) {
        self.queue_position = None;
        // A status that flaps (queued, assigned again to the same agent with
        // nothing said in between) must not stack identical notices.
        let repeats_last = self
            .joins
            .last()
            .is_some_and(|j| j.agent.id == agent.id && j.at == at);
        if self.agent.as_ref().map(|a| &a.id) != Some(&agent.id) && !repeats_last {
            self.joins.push(Join {
                agent: agent.clone(),
                at,
            });
        }
        self.agent = Some(agent);
    }

    fn message(&mut self, message: ChatMessage) -> Vec<Effect> {
        let mut fx = Vec::new();
        if message.author == Author::Visitor && self.outbox.take(&message.client_id).is_some() {
            fx.push(Effect::SaveOutbox);
        }
        if self.messages.contains(message.seq) {
            return fx;
        }
        if self.conversation.is_none() {
            self.conversation = Some(message.conversation.clone());
        }
        let from_agent = matches!(message.author, Author::Agent { .. });
        if from_agent {
            self.agent_typing = false;
            if message.seq > self.replayed_upto {
                fx.push(Effect::AgentMessage(message.body.clone()));
            }
        }
        let seq = message.seq;
        self.messages.insert(message);
        match self.mark_read() {
            Some(read) => fx.push(Effect::SaveReadSeq(read)),
            // Here but not shown: the agent sees "Delivered".
            None if from_agent && seq > self.read_seq => fx.push(Effect::Delivered(seq)),
            None => {}
        }
        fx
    }

    fn ack(
        &mut self,
        client_id: ClientId,
        conversation: ConversationId,
        seq: Seq,
        sent_at: u64,
    ) -> Vec<Effect> {
        // An ack for a send we no longer hold was already delivered (by its
        // replayed message): nothing to do.
        let Some(pending) = self.outbox.take(&client_id) else {
            return Vec::new();
        };
        let mut fx = vec![Effect::SaveOutbox];
        if self.conversation.is_none() {
            self.conversation = Some(conversation.clone());
        }
        // Unless the message itself came first (then it stays).
        self.messages.insert(ChatMessage {
            conversation,
            seq,
            client_id,
            author: Author::Visitor,
            body: pending.body,
            sent_at,
        });
        if self.problem.is_some_and(Problem::clears_on_delivery) {
            self.problem = None;
        }
        fx.extend(self.mark_read().map(Effect::SaveReadSeq));
        fx
    }

    fn error(&mut self, code: ErrorCode, client_id: Option<ClientId>) -> Vec<Effect> {
        // The callback form shows its own problems, beside its fields.
        if client_id.is_none()
            && (self.mailing.refused(code)
                || self.callbacks.refused(code)
                || self.help.refused(code))
        {
            return Vec::new();
        }
        let mut fx = Vec::new();
        // The form's answers were refused: the form comes back.
        if client_id.is_none() && matches!(code, ErrorCode::InvalidEmail | ErrorCode::BadRequest) {
            self.contact_sending = None;
            self.prechat_sending = None;
        }
        if let Some(id) = client_id.filter(|id| self.pending(id).is_some()) {
            if code.is_retryable() {
                fx.push(Effect::RetryLater(id));
            } else if let Some(pending) = self.outbox.take(&id) {
                fx.push(Effect::SaveOutbox);
                fx.push(Effect::RestoreDraft(pending.body));
            }
        }
        let problem = Problem::Server(code);
        if problem.is_fatal() {
            self.link = Link::Stopped;
            fx.push(Effect::Stop);
        }
        self.set_problem(problem);
        fx
    }

    fn mark_read(&mut self) -> Option<Seq> {
        let max = self.max_seq();
        (self.open && max > self.read_seq).then(|| {
            self.read_seq = max;
            max
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use VisitorServerFrame as F;

    fn agent(name: &str) -> AgentPublic {
        AgentPublic {
            id: format!("a_{name}").as_str().into(),
            name: name.into(),
        }
    }

    fn msg(seq: Seq, author: Author, body: &str) -> ChatMessage {
        ChatMessage {
            conversation: "c1".into(),
            seq,
            client_id: format!("m{seq}").as_str().into(),
            author,
            body: body.into(),
            sent_at: 1_700_000_000_000 + seq,
        }
    }

    fn from_agent(seq: Seq, name: &str, body: &str) -> F {
        let a = agent(name);
        F::Message {
            message: msg(
                seq,
                Author::Agent {
                    id: a.id,
                    name: a.name,
                },
                body,
            ),
        }
    }

    fn from_visitor(seq: Seq, body: &str) -> F {
        F::Message {
            message: msg(seq, Author::Visitor, body),
        }
    }

    fn conv(status: ConversationStatus, last_seq: Seq) -> VisitorConversation {
        VisitorConversation {
            id: "c1".into(),
            status,
            agent: (status == ConversationStatus::Assigned).then(|| agent("Sara")),
            queue_position: (status == ConversationStatus::Queued).then_some(2),
            estimated_wait_secs: None,
            agent_read: 0,
            agent_delivered: 0,
            last_seq,
            rating: None,
        }
    }

    fn welcome(token: &str, conversation: Option<VisitorConversation>) -> F {
        F::Welcome {
            token: token.into(),
            conversation: conversation.map(Box::new),
            agents_online: None,
            offline: None,
            contact: None,
            callback: None,
        }
    }

    fn availability(agents_online: bool, offline: Option<Offline>) -> F {
        F::Availability {
            agents_online,
            offline,
        }
    }

    #[test]
    fn a_proactive_greeting_is_unread_until_the_panel_opens() {
        let mut s = ChatState::restore(Vec::new(), 0);
        s.greet();
        assert_eq!(s.unread(), 1);
        let _ = s.set_open(true);
        assert_eq!(s.unread(), 0);
        let _ = s.set_open(false);
        assert_eq!(s.unread(), 0, "seen once is seen");
        // Greeted while open: nothing to count.
        let mut open = ChatState::restore(Vec::new(), 0);
        let _ = open.set_open(true);
        open.greet();
        let _ = open.set_open(false);
        assert_eq!(open.unread(), 0);
    }

    #[test]
    fn the_team_is_away_only_when_the_server_says_so() {
        let mut s = ChatState::restore(Vec::new(), 0);
        assert!(!s.team_away(), "unknown is not away");
        s.apply(
            F::Welcome {
                token: "vt_1".into(),
                conversation: None,
                agents_online: Some(false),
                offline: None,
                contact: None,
                callback: None,
            },
            None,
        );
        assert!(s.team_away());
        s.apply(availability(true, None), None);
        assert!(!s.team_away());
        s.apply(availability(false, None), None);
        assert!(s.team_away());
        // Offline (outside the hours) is away whoever is online.
        let closed = Some(Offline { back_at: Some(5) });
        s.apply(availability(true, closed), None);
        assert!(s.team_away());
        assert_eq!(s.offline(), closed);
    }

    fn leila() -> Contact {
        Contact {
            name: Some("Leila".into()),
            email: "leila@example.ir".into(),
        }
    }

    #[test]
    fn offline_asks_for_an_email_until_the_server_keeps_one() {
        let mut s = ChatState::restore(Vec::new(), 0);
        s.apply(welcome("vt_1", None), None);
        assert!(!s.wants_contact(), "open: the composer");
        s.apply(availability(false, Some(Offline { back_at: None })), None);
        assert!(s.wants_contact());
        s.leave_contact(leila());
        assert!(!s.wants_contact(), "on its way");
        assert_eq!(s.contact_sending(), Some(&leila()));
        // Refused: the form comes back with the reason.
        s.apply(
            F::Error {
                code: ErrorCode::InvalidEmail,
                message: String::new(),
                client_id: None,
            },
            None,
        );
        assert!(s.wants_contact());
        assert_eq!(s.problem(), Some(Problem::Server(ErrorCode::InvalidEmail)));
        s.leave_contact(leila());
        assert_eq!(s.problem(), None, "sending again clears it");
        s.apply(F::ContactSaved { contact: leila() }, None);
        assert_eq!(s.contact(), Some(&leila()));
        assert_eq!(s.contact_sending(), None);
        assert!(!s.wants_contact());
        // A reload's welcome says what was kept.
        let mut reloaded = ChatState::restore(Vec::new(), 0);
        reloaded.apply(
            F::Welcome {
                token: "vt_1".into(),
                conversation: None,
                agents_online: Some(false),
                offline: Some(Offline { back_at: None }),
                contact: Some(Box::new(leila())),
                callback: None,
            },
            Some("vt_1"),
        );
        assert!(!reloaded.wants_contact());
        assert_eq!(reloaded.contact(), Some(&leila()));
    }

    #[test]
    fn the_prechat_form_asks_once_and_its_answers_go_before_the_message() {
        let mut s = ChatState::restore(Vec::new(), 0);
        s.apply(welcome("vt_1", None), None);
        assert!(!s.wants_prechat(), "the site does not ask");
        s.ask_prechat();
        assert!(s.wants_prechat());
        // A problem stays with its field; nothing is sent.
        s.send_prechat(Err(("phone".into(), PrechatProblem::Phone)));
        assert_eq!(
            s.prechat_problem(),
            Some(&("phone".to_owned(), PrechatProblem::Phone))
        );
        assert_eq!(s.prechat_sending(), None);
        let answers: BTreeMap<String, String> = [("name".to_owned(), "Leila".to_owned())].into();
        s.send_prechat(Ok(answers.clone()));
        assert_eq!(s.prechat_problem(), None);
        assert_eq!(s.prechat_sending(), Some(&answers));
        // Refused by the server: the form stays, nothing on its way.
        let refused = F::Error {
            code: ErrorCode::BadRequest,
            message: "phone is required".into(),
            client_id: None,
        };
        s.apply(refused, None);
        assert!(s.wants_prechat());
        assert_eq!(s.prechat_sending(), None);
        // Kept: the draft goes, and the form is done for good.
        s.send_prechat(Ok(answers));
        assert_eq!(s.apply(F::PrechatSaved, None), vec![Effect::SendDraft]);
        assert!(!s.wants_prechat());
        assert_eq!(
            s.apply(F::PrechatSaved, None),
            Vec::new(),
            "a late repeat sends nothing"
        );
        // Offline, the leave-a-message form asks instead.
        let mut offline = ChatState::restore(Vec::new(), 0);
        offline.ask_prechat();
        offline.apply(availability(false, Some(Offline { back_at: None })), None);
        assert!(offline.wants_contact() && !offline.wants_prechat());
    }

    #[test]
    fn the_form_checks_the_address_shape_and_trims_the_name() {
        assert_eq!(check_contact(" Leila ", " leila@example.ir "), Ok(leila()));
        assert_eq!(check_contact("", "a@b.co").map(|c| c.name), Ok(None));
        for bad in [
            "",
            "leila",
            "leila@",
            "@x.co",
            "a@localhost",
            "a b@x.co",
            "a@x.",
            "a@.co",
        ] {
            assert_eq!(
                check_contact("", bad),
                Err(Problem::Server(ErrorCode::InvalidEmail)),
                "{bad:?}"
            );
        }
    }

    fn pending(id: &str, body: &str) -> Pending {
        Pending {
            client_id: id.into(),
            body: body.into(),
        }
    }

    fn seqs(s: &ChatState) -> Vec<Seq> {
        s.timeline()
            .iter()
            .filter_map(|e| match e {
                Entry::Message { message, .. } => Some(message.seq),
                Entry::Joined { .. } => None,
            })
            .collect()
    }

    /// A state greeted by the server as the known visitor `t1`.
    fn greeted(conversation: Option<VisitorConversation>) -> ChatState {
        let mut s = ChatState::restore(Vec::new(), 0);
        s.hello_seq();
        s.apply(welcome("t1", conversation), Some("t1"));
        s
    }

    #[test]
    fn the_survey_asks_once_resolved_thanks_once_answered_and_asks_again_after_reopening() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        assert_eq!(s.survey(), Survey::Hidden);
        s.apply(
            F::Status {
                status: ConversationStatus::Resolved,
            },
            Some("t1"),
        );
        assert_eq!(s.survey(), Survey::Ask);
        let rating = Rating {
            score: 4,
            comment: None,
            nps: None,
            agent: Some(agent("Sara")),
            at: 1,
        };
        s.apply(
            F::Rated {
                rating: rating.clone(),
            },
            Some("t1"),
        );
        assert_eq!(s.survey(), Survey::Thanks(4));
        // Writing again reopens the chat: a later resolution asks again.
        s.enqueue(pending("v2", "one more thing"));
        assert_eq!(s.survey(), Survey::Hidden);
        s.apply(
            F::Status {
                status: ConversationStatus::Resolved,
            },
            Some("t1"),
        );
        assert_eq!(s.survey(), Survey::Ask);
        // A reload of an answered chat thanks rather than asks.
        let answered = VisitorConversation {
            rating: Some(rating),
            ..conv(ConversationStatus::Resolved, 0)
        };
        assert_eq!(greeted(Some(answered)).survey(), Survey::Thanks(4));
    }

    #[test]
    fn the_agents_read_mark_says_which_message_was_seen() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        let sara = Author::Agent {
            id: "a_sara".into(),
            name: "Sara".into(),
        };
        for (seq, author) in [(1, Author::Visitor), (2, sara), (3, Author::Visitor)] {
            s.apply(
                VisitorServerFrame::Message {
                    message: msg(seq, author, "hi"),
                },
                Some("t1"),
            );
        }
        assert_eq!(s.seen_seq(), None);
        s.apply(VisitorServerFrame::Read { seq: 2 }, Some("t1"));
        assert_eq!(s.seen_seq(), Some(1), "the visitor's latest message read");
        s.apply(VisitorServerFrame::Read { seq: 1 }, Some("t1"));
        assert_eq!(s.seen_seq(), Some(1), "a mark never goes back");
        s.apply(VisitorServerFrame::Read { seq: 3 }, Some("t1"));
        assert_eq!(s.seen_seq(), Some(3));
    }

    #[test]
    fn the_agents_delivered_mark_says_which_message_reached_them() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        for seq in 1..=3 {
            s.apply(
                VisitorServerFrame::Message {
                    message: msg(seq, Author::Visitor, "hi"),
                },
                Some("t1"),
            );
        }
        assert_eq!(s.delivered_seq(), None, "sent only");
        s.apply(VisitorServerFrame::Delivered { seq: 2 }, Some("t1"));
        assert_eq!(s.delivered_seq(), Some(2));
        assert_eq!(s.seen_seq(), None);
        s.apply(VisitorServerFrame::Delivered { seq: 1 }, Some("t1"));
        assert_eq!(s.delivered_seq(), Some(2), "a mark never goes back");
        s.apply(VisitorServerFrame::Read { seq: 2 }, Some("t1"));
        assert_eq!(
            (s.seen_seq(), s.delivered_seq()),
            (Some(2), None),
            "seen, no longer only delivered"
        );
        s.apply(VisitorServerFrame::Delivered { seq: 3 }, Some("t1"));
        assert_eq!((s.seen_seq(), s.delivered_seq()), (Some(2), Some(3)));
        s.apply(VisitorServerFrame::Read { seq: 3 }, Some("t1"));
        assert_eq!((s.seen_seq(), s.delivered_seq()), (Some(3), None));
        // Another visitor as far as the server knows: nothing of the old
        // marks stays.
        s.apply(VisitorServerFrame::Delivered { seq: 9 }, Some("t1"));
        s.apply(welcome("t2", None), Some("t1"));
        s.apply(
            VisitorServerFrame::Message {
                message: msg(1, Author::Visitor, "new here"),
            },
            Some("t2"),
        );
        assert_eq!((s.seen_seq(), s.delivered_seq()), (None, None));
    }

    #[test]
    fn an_agent_message_not_shown_is_told_delivered() {
        let sara = Author::Agent {
            id: "a_sara".into(),
            name: "Sara".into(),
        };
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        let fx = s.apply(
            VisitorServerFrame::Message {
                message: msg(1, Author::Visitor, "hi"),
            },
            Some("t1"),
        );
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::Delivered(_))),
            "the visitor's own message is not news to them"
        );
        let fx = s.apply(
            VisitorServerFrame::Message {
                message: msg(2, sara.clone(), "hello"),
            },
            Some("t1"),
        );
        assert!(fx.contains(&Effect::Delivered(2)), "closed panel: {fx:?}");
        let _ = s.set_open(true);
        let fx = s.apply(
            VisitorServerFrame::Message {
                message: msg(3, sara, "still there?"),
            },
            Some("t1"),
        );
        assert!(fx.contains(&Effect::SaveReadSeq(3)), "{fx:?}");
        assert!(
            !fx.iter().any(|e| matches!(e, Effect::Delivered(_))),
            "shown: read says it"
        );
    }

    #[test]
    fn validate_trims_and_checks_limits() {
        assert_eq!(validate("  hi \n"), Ok("hi".to_owned()));
        assert_eq!(validate(" \n\t "), Err(Problem::Empty));
        assert_eq!(
            validate(&"ي".repeat(MAX_MESSAGE_CHARS)),
            Ok("ي".repeat(MAX_MESSAGE_CHARS))
        );
        assert_eq!(
            validate(&"x".repeat(MAX_MESSAGE_CHARS + 1)),
            Err(Problem::TooLong)
        );
    }

    #[test]
    fn messages_are_held_once_in_seq_order() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        s.apply(from_visitor(2, "b"), Some("t1"));
        s.apply(from_visitor(1, "a"), Some("t1"));
        s.apply(from_visitor(2, "b"), Some("t1"));
        s.apply(from_agent(3, "Sara", "c"), Some("t1"));
        s.apply(from_agent(3, "Sara", "c"), Some("t1"));
        assert_eq!(seqs(&s), vec![1, 2, 3]);
    }

    #[test]
    fn hello_resumes_from_the_gap_free_prefix() {
        let mut s = greeted(None);
        assert_eq!(s.hello_seq(), 0);
        for seq in [1, 2, 4] {
            s.apply(from_visitor(seq, "x"), Some("t1"));
        }
        assert_eq!(s.last_seq(), 2);
        s.apply(from_visitor(3, "x"), Some("t1"));
        assert_eq!(s.hello_seq(), 4);
    }

    #[test]
    fn ack_turns_a_pending_send_into_a_message() {
        let mut s = greeted(None);
        s.enqueue(pending("p1", "hello"));
        assert_eq!(s.outbox().len(), 1);
        let fx = s.apply(
            F::Ack {
                client_id: "p1".into(),
                conversation: "c1".into(),
                seq: 1,
                sent_at: 5,
            },
            Some("t1"),
        );
        assert!(fx.contains(&Effect::SaveOutbox));
        assert!(s.outbox().is_empty());
        let Entry::Message { message, .. } = &s.timeline()[0] else {
            panic!("expected a message");
        };
        assert_eq!(message.body, "hello");
        assert_eq!(message.author, Author::Visitor);
        assert_eq!(message.seq, 1);

        // The echo of the same message, and a duplicate ack, change nothing.
        let fx = s.apply(
            F::Message {
                message: ChatMessage {
                    client_id: "p1".into(),
                    ..msg(1, Author::Visitor, "hello")
                },
            },
            Some("t1"),
        );
        assert!(fx.is_empty());
        let fx = s.apply(
            F::Ack {
                client_id: "p1".into(),
                conversation: "c1".into(),
                seq: 1,
                sent_at: 5,
            },
            Some("t1"),
        );
        assert!(fx.is_empty());
        assert_eq!(seqs(&s), vec![1]);
    }

    #[test]
    fn a_replayed_message_settles_its_pending_send() {
        // Reloaded before the ack: the outbox survived, the message was stored.
        let mut s = ChatState::restore(vec![pending("p1", "hi")], 0);
        s.hello_seq();
        let fx = s.apply(
            welcome("t1", Some(conv(ConversationStatus::Queued, 1))),
            Some("t1"),
        );
        assert!(fx.contains(&Effect::Greeted));
        let fx = s.apply(
            F::Message {
                message: ChatMessage {
                    client_id: "p1".into(),
                    ..msg(1, Author::Visitor, "hi")
                },
            },
            Some("t1"),
        );
        assert_eq!(fx, vec![Effect::SaveOutbox]);
        assert!(s.outbox().is_empty());
        assert_eq!(seqs(&s), vec![1]);
    }

    #[test]
    fn a_new_token_drops_the_cache_but_keeps_the_outbox() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        s.apply(from_agent(1, "Sara", "hi"), Some("t1"));
        s.enqueue(pending("p1", "still here"));
        s.hello_seq();
        let fx = s.apply(welcome("t2", None), Some("t1"));
        assert!(fx.contains(&Effect::SaveToken("t2".into())));
        assert!(fx.contains(&Effect::Greeted));
        assert!(!fx.contains(&Effect::Resync));
        assert!(s.timeline().is_empty());
        assert_eq!(s.agent(), None);
        assert_eq!(s.outbox().len(), 1);
    }

    #[test]
    fn first_welcome_saves_the_token_and_resets_a_stale_read_marker() {
        let mut s = ChatState::restore(Vec::new(), 7);
        s.hello_seq();
        let fx = s.apply(welcome("t1", None), None);
        assert_eq!(
            fx,
            vec![
                Effect::SaveReadSeq(0),
                Effect::SaveToken("t1".into()),
                Effect::Greeted
            ]
        );
        assert_eq!(s.link(), Link::Online);
    }

    #[test]
    fn a_foreign_cache_forces_a_full_replay() {
        let mut s = greeted(Some(conv(ConversationStatus::Queued, 0)));
        s.apply(from_visitor(1, "a"), Some("t1"));
        s.apply(from_visitor(2, "b"), Some("t1"));
        assert_eq!(s.hello_seq(), 2);
        // Same visitor, but the server's conversation is behind what we hold.
        let fx = s.apply(
            welcome("t1", Some(conv(ConversationStatus::Queued, 1))),
            Some("t1"),
        );
        assert!(fx.contains(&Effect::Resync));
        assert!(s.timeline().is_empty());
        // The reconnect asks for everything and is not resynced again.
        assert_eq!(s.hello_seq(), 0);
        let fx = s.apply(
            welcome("t1", Some(conv(ConversationStatus::Queued, 1))),
            Some("t1"),
        );
        assert!(!fx.contains(&Effect::Resync));
    }

    #[test]
    fn only_live_agent_messages_go_to_the_host() {
        let mut s = ChatState::restore(Vec::new(), 0);
        s.hello_seq();
        s.apply(
            welcome("t1", Some(conv(ConversationStatus::Assigned, 2))),
            Some("t1"),
        );
        let replayed = s.apply(from_agent(2, "Sara", "old"), Some("t1"));
        assert!(!replayed
            .iter()
            .any(|e| matches!(e, Effect::AgentMessage(_))));
        let live = s.apply(from_agent(3, "Sara", "new"), Some("t1"));
        assert!(live.contains(&Effect::AgentMessage("new".into())));
    }

    #[test]
    fn unread_counts_unseen_agent_messages_while_closed() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        s.apply(from_visitor(1, "q"), Some("t1"));
        s.apply(from_agent(2, "Sara", "a"), Some("t1"));
        s.apply(from_agent(3, "Sara", "b"), Some("t1"));
        assert_eq!(s.unread(), 2);
        assert_eq!(s.set_open(true), Some(3));
        assert_eq!(s.unread(), 0);
        // Messages arriving while open are read at once.
        let fx = s.apply(from_agent(4, "Sara", "c"), Some("t1"));
        assert!(fx.contains(&Effect::SaveReadSeq(4)));
        assert_eq!(s.set_open(false), None);
        s.apply(from_agent(5, "Sara", "d"), Some("t1"));
        assert_eq!(s.unread(), 1);
    }

    #[test]
    fn read_marker_survives_a_reload() {
        let mut s = ChatState::restore(Vec::new(), 2);
        s.hello_seq();
        s.apply(
            welcome("t1", Some(conv(ConversationStatus::Assigned, 3))),
            Some("t1"),
        );
        for seq in 1..=3 {
            s.apply(from_agent(seq, "Sara", "x"), Some("t1"));
        }
        assert_eq!(s.unread(), 1);
    }

    #[test]
    fn queue_assignment_and_resolution() {
        let mut s = greeted(None);
        assert_eq!(s.queue_position(), None);
        s.apply(
            F::Queue {
                position: 3,
                estimated_wait_secs: Some(240),
            },
            Some("t1"),
        );
        assert_eq!(s.queue_wait(), Some(240));
        assert_eq!(s.queue_position(), Some(3));
        s.apply(
            F::Queue {
                position: 1,
                estimated_wait_secs: None,
            },
            Some("t1"),
        );
        assert_eq!(s.queue_wait(), None, "unknown replaces an old estimate");
        assert_eq!(s.queue_position(), Some(1));
        s.apply(
            F::Assigned {
                agent: agent("Sara"),
            },
            Some("t1"),
        );
        assert_eq!(s.queue_position(), None);
        assert_eq!(s.agent().map(|a| a.name.as_str()), Some("Sara"));
        s.apply(F::Typing { typing: true }, Some("t1"));
        assert!(s.agent_typing());
        s.apply(
            F::Status {
                status: ConversationStatus::Resolved,
            },
            Some("t1"),
        );
        assert_eq!(s.status(), Some(ConversationStatus::Resolved));
        assert_eq!(s.agent(), None);
        assert!(!s.agent_typing());
        // A new message reopens it.
        s.enqueue(pending("p9", "one more thing"));
        assert_eq!(s.status(), Some(ConversationStatus::Queued));
    }

    #[test]
    fn an_agent_message_ends_their_typing() {
        let mut s = greeted(Some(conv(ConversationStatus::Assigned, 0)));
        s.apply(F::Typing { typing: true }, Some("t1"));
        assert!(s.agent_typing());
        s.apply(from_agent(1, "Sara", "hi"), Some("t1"));
        assert!(!s.agent_typing());
        s.apply(F::Typing { typing: true }, Some("t1"));
        s.connection_lost();
        assert!(!s.agent_typing());
        assert_eq!(s.link(), Link::Reconnecting);
    }

    #[test]
    fn live_join_sits_after_the_messages_held_then() {
        let mut s = greeted(None);
        s.apply(from_visitor(1, "hi"), Some("t1"));
        s.apply(
            F::Assigned {
                agent: agent("Sara"),
            },
            Some("t1"),
        );
        // A reconnect's welcome repeats the assignment: no second notice.
        s.apply(
            welcome("t1", Some(conv(ConversationStatus::Assigned, 1))),
            Some("t1"),
        );
        s.apply(from_agent(2, "Sara", "hello"), Some("t1"));
        let keys: Vec<EntryKey> = s.timeline().iter().map(Entry::key).collect();
        assert_eq!(
            keys,
            vec![
                EntryKey::Message(1),
                EntryKey::Joined(0),
                EntryKey::Message(2)
            ]
        );
    }

    #[test]
    fn a_flapping_assignment_shows_one_notice() {
        let mut s = greeted(None);
        s.apply(from_visitor(1, "hi"), Some("t1"));
        s.apply(
            F::Assigned {
                agent: agent("Sara"),
            },
            Some("t1"),
        );
        s.apply(
            F::Status {
                status: ConversationStatus::Queued,
            },
            Some("t1"),
        );
        s.apply(
            F::Assigned {
                agent: agent("Sara"),
            },
            Some("t1"),
        );
        assert_eq!(s.timeline().len(), 2);
        // Reassigned after the conversation moved on: a new notice.
        s.apply(
            F::Status {
                status: ConversationStatus::Resolved,
            },
            Some("t1"),
        );
        s.apply(from_visitor(2, "back again"), Some("t1"));
        s.apply(
            F::Assigned {
                agent: agent("Sara"),
            },
            Some("t1"),
        );
        assert_eq!(s.timeline().len(), 4);
    }

    #[test]
    fn join_from_welcome_sits_before_the_agents_first_message() {
        let mut s = ChatState::restore(Vec::new(), 0);
        s.hello_seq();
        s.apply(
            welcome("t1", Some(conv(ConversationStatus::Assigned, 3))),
            Some("t1"),
        );
        s.apply(from_visitor(1, "hi"), Some("t1"));
        s.apply(from_visitor(2, "anyone?"), Some("t1"));
        s.apply(from_agent(3, "Sara", "hello"), Some("t1"));
        let t = s.timeline();
        assert!(matches!(&t[2], Entry::Joined { name, .. } if name == "Sara"));
        assert!(
            matches!(&t[3], Entry::Message { message, first_in_run: true } if message.seq == 3)
        );
        assert!(matches!(
            &t[1],
            Entry::Message {
                first_in_run: false,
                ..
            }
        ));
    }

    #[test]
    fn retryable_send_errors_are_retried_others_given_back() {
        let mut s = greeted(None);
        s.enqueue(pending("p1", "a"));
        s.enqueue(pending("p2", "b"));
        let fx = s.apply(
            F::Error {
                code: ErrorCode::RateLimited,
                message: "slow down".into(),
                client_id: Some("p1".into()),
            },
            Some("t1"),
        );
        assert_eq!(fx, vec![Effect::RetryLater("p1".into())]);
        assert_eq!(s.problem(), Some(Problem::Server(ErrorCode::RateLimited)));
        assert_eq!(s.outbox().len(), 2);
        // Delivery after the retry clears the notice.
        s.apply(
            F::Ack {
                client_id: "p1".into(),
                conversation: "c1".into(),
                seq: 1,
                sent_at: 1,
            },
            Some("t1"),
        );
        assert_eq!(s.problem(), None);

        let fx = s.apply(
            F::Error {
                code: ErrorCode::MessageTooLong,
                message: "too long".into(),
                client_id: Some("p2".into()),
            },
            Some("t1"),
        );
        assert_eq!(
            fx,
            vec![Effect::SaveOutbox, Effect::RestoreDraft("b".into())]
        );
        assert!(s.outbox().is_empty());
        assert_eq!(
            s.problem(),
            Some(Problem::Server(ErrorCode::MessageTooLong))
        );
    }

    #[test]
    fn fatal_errors_stop_and_stick() {
        let mut s = greeted(None);
        let fx = s.apply(
            F::Error {
                code: ErrorCode::OriginNotAllowed,
                message: "no".into(),
                client_id: None,
            },
            Some("t1"),
        );
        assert_eq!(fx, vec![Effect::Stop]);
        assert_eq!(s.link(), Link::Stopped);
        s.connection_lost();
        assert_eq!(s.link(), Link::Stopped);
        s.clear_problem();
        s.set_problem(Problem::Empty);
        assert_eq!(
            s.problem(),
            Some(Problem::Server(ErrorCode::OriginNotAllowed))
        );
    }

    #[test]
    fn draft_problems_clear_when_the_draft_is_fixed() {
        let mut s = greeted(None);
        s.set_problem(Problem::TooLong);
        s.clear_draft_problem();
        assert_eq!(s.problem(), None);
        s.set_problem(Problem::Server(ErrorCode::Internal));
        s.clear_draft_problem();
        assert_eq!(s.problem(), Some(Problem::Server(ErrorCode::Internal)));
    }
}
