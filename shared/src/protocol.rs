//! Websocket frames. Every frame is one JSON text message with a `type`
//! field naming the variant in `snake_case`.
//!
//! Two sockets, each with a client and a server direction:
//! - visitor (`/ws/visitor`): [`VisitorClientFrame`] / [`VisitorServerFrame`];
//! - agent (`/ws/agent`, session cookie): [`AgentClientFrame`] / [`AgentServerFrame`].
//!
//! Delivery rule: every chat message has a per-conversation `seq` (1, 2, 3…
//! with no gaps) and a client-chosen `client_id`. A client keeps the highest
//! `seq` it holds; after a reconnect it sends it (`last_seq` in the visitor's
//! `hello`, `after_seq` in the agent's `sync`) and the server replays every
//! later message, in order. A send is acknowledged only once stored; a send
//! retried with the same `client_id` gets the original ack, never a
//! duplicate message.

use crate::error::ErrorCode;
use crate::ids::{AgentId, ClientId, ConversationId, Seq, SiteId, TeamId, VisitorId};
use crate::tag_first::tag_first_enum;
use serde::{Deserialize, Serialize};

/// Milliseconds since the Unix epoch (UTC).
pub type Millis = u64;

/// Who wrote a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Author {
    /// The visitor of the conversation.
    Visitor,
    /// An agent.
    Agent {
        /// The agent's id.
        id: AgentId,
        /// The agent's display name.
        name: String,
    },
}

/// A stored chat message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatMessage {
    /// Conversation it belongs to.
    pub conversation: ConversationId,
    /// Position in the conversation, assigned by the server.
    pub seq: Seq,
    /// The sender's idempotency key.
    pub client_id: ClientId,
    /// Who wrote it.
    pub author: Author,
    /// The text, 1 to [`crate::limits::MAX_MESSAGE_CHARS`] characters.
    pub body: String,
    /// When the server stored it.
    pub sent_at: Millis,
}

/// An internal note: written by an agent in a conversation's thread for
/// the other agents, never sent to the visitor (not over their socket, not
/// in any history they can read). Notes have their own numbering, apart
/// from messages' `seq`, so the visitor's sequence has no gaps that betray
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// Conversation it belongs to.
    pub conversation: ConversationId,
    /// Its number in the conversation's notes: 1, 2, … without gaps.
    pub id: u64,
    /// The conversation's last message `seq` when it was written: the note
    /// sits after that message in the thread.
    pub after_seq: Seq,
    /// The writer's idempotency key.
    pub client_id: ClientId,
    /// Who wrote it.
    pub author: AgentPublic,
    /// The text, 1 to [`crate::limits::MAX_MESSAGE_CHARS`] characters.
    pub body: String,
    /// When the server stored it.
    pub sent_at: Millis,
}

/// Lifecycle of a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    /// Waiting in the queue for an agent.
    Queued,
    /// An agent has it.
    Assigned,
    /// Closed by an agent. A new visitor message reopens it (back to the
    /// queue).
    Resolved,
}

impl ConversationStatus {
    /// Its wire name (`queued`, `assigned`, `resolved`), as serde writes it
    /// and as the stores and query strings spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            ConversationStatus::Queued => "queued",
            ConversationStatus::Assigned => "assigned",
            ConversationStatus::Resolved => "resolved",
        }
    }
}

/// An agent's availability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Takes new conversations (up to their capacity).
    Online,
    /// Connected, keeps their chats, takes no new ones.
    Away,
    /// Not connected.
    Offline,
}

/// What a visitor may know of an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentPublic {
    /// The agent's id.
    pub id: AgentId,
    /// Display name.
    pub name: String,
}

/// The visitor's answer to the satisfaction survey the widget shows once a
/// conversation is resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rating {
    /// 1 (very unhappy) to 5 (very happy).
    pub score: u8,
    /// What they added in words, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Their answer to "how likely are you to recommend us?", 0–10, on
    /// sites that ask it (Net Promoter Score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nps: Option<u8>,
    /// The agent the conversation was with when it was resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentPublic>,
    /// When they answered.
    pub at: Millis,
}

/// The visitor's view of their conversation, sent in `welcome`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorConversation {
    /// Conversation id.
    pub id: ConversationId,
    /// Current status.
    pub status: ConversationStatus,
    /// The assigned agent, if any.
    pub agent: Option<AgentPublic>,
    /// 1-based position in the queue while `queued`.
    pub queue_position: Option<u32>,
    /// While `queued`: about how long until an agent takes it, in seconds,
    /// from the rate the queue was served lately; `None` when there is too
    /// little history to tell (see PROTOCOL.md, "Estimated wait").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_wait_secs: Option<u32>,
    /// The highest `seq` in the conversation (0 if none).
    pub last_seq: Seq,
    /// The highest `seq` the agent has read.
    #[serde(default)]
    pub agent_read: Seq,
    /// The highest `seq` the agent's dashboard has received (at least
    /// `agent_read`).
    #[serde(default)]
    pub agent_delivered: Seq,
    /// Their answer to the survey, once given for the latest resolution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

/// What the dashboard knows of a visitor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorInfo {
    /// Visitor id (not the secret token).
    pub id: VisitorId,
    /// Browser language tag the widget reported (e.g. `ar`, `fa-IR`).
    pub locale: Option<String>,
    /// The page origin the visitor chats from.
    pub origin: Option<String>,
    /// The name they gave (leaving a message, or later a pre-chat form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The email address they gave for replies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Other answers they gave (the pre-chat form's phone and the site's
    /// own questions), and the attributes the site's page set
    /// (`Ahlan.setAttributes`), by key.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
    /// The site's own id of this user, verified: the page identified them
    /// with the site's signature (`Ahlan.identify` with a `hash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// Who the site's page says the visitor is (`Ahlan.identify`, docs/SDK.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Identity {
    /// The site's own id of its user (at most
    /// [`crate::limits::MAX_USER_ID_CHARS`]).
    pub user_id: String,
    /// HMAC-SHA256 of `user_id` with the site's identity secret, as hex.
    /// With it the visitor is this user on every device (their
    /// conversations follow them); without it the name and email are shown
    /// to agents as given, and the id is kept as an unverified attribute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// Their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Their email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// How a visitor can be reached when they have left: given in the widget's
/// leave-a-message form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// Their name, if they gave one (at most
    /// [`crate::limits::MAX_VISITOR_NAME_CHARS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where replies go (at most [`crate::limits::MAX_EMAIL_CHARS`]).
    pub email: String,
}

/// The site is closed to live chat: outside its business hours, on a day
/// off, or (on sites that say so) with nobody online. The widget says so
/// and offers to leave a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Offline {
    /// When the business hours open next, if they do within two weeks
    /// (absent: closed because nobody is online, or no opening is near).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_at: Option<Millis>,
}

/// A conversation as agents see it in lists and live updates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConversationSummary {
    /// Conversation id.
    pub id: ConversationId,
    /// The site it came from.
    pub site: SiteId,
    /// Current status.
    pub status: ConversationStatus,
    /// The assigned agent, if any.
    pub agent: Option<AgentPublic>,
    /// The team whose queue it waits in (or whose it was given to): set
    /// from the site's routing team when it enters the queue, or by a
    /// transfer to a team. `None`: any agent of the site.
    #[serde(default)]
    pub team: Option<TeamId>,
    /// The visitor.
    pub visitor: VisitorInfo,
    /// When the conversation was created.
    pub created_at: Millis,
    /// When it (last) entered the queue, while `queued`.
    pub queued_at: Option<Millis>,
    /// The highest `seq` (0 if no message yet).
    pub last_seq: Seq,
    /// The latest message, for list previews.
    pub last_message: Option<ChatMessage>,
    /// The highest `seq` the visitor has read (seen with the chat open).
    #[serde(default)]
    pub visitor_read: Seq,
    /// The highest `seq` its agent has read (seen in the dashboard).
    #[serde(default)]
    pub agent_read: Seq,
    /// The highest `seq` the visitor's widget has received (at least
    /// `visitor_read`).
    #[serde(default)]
    pub visitor_delivered: Seq,
    /// The highest `seq` its agent's dashboard has received (at least
    /// `agent_read`).
    #[serde(default)]
    pub agent_delivered: Seq,
    /// Grows with every change to the conversation (a message, a status or
    /// assignee change). Of two summaries of one conversation the higher
    /// version is the newer: a client keeps the highest it has seen.
    #[serde(default)]
    pub version: u64,
    /// The visitor's satisfaction survey answer for its latest resolution
    /// (reopening it clears the answer: the visitor is asked again).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// The visitor left it as a message while the site was offline, with
    /// their email (`visitor.email`): agents' replies are also mailed to
    /// them until it is resolved.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub left_message: bool,
}

/// Visitor → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum VisitorClientFrame {
    /// First frame on every connection.
    Hello {
        /// The site's public key (`pk_…`).
        site: String,
        /// The visitor token from an earlier `welcome`, if the client has
        /// one. Unknown or foreign tokens start a new visitor.
        #[serde(default)]
        token: Option<String>,
        /// Highest `seq` the client already holds (0 for none): the server
        /// replays every later message.
        #[serde(default)]
        last_seq: Seq,
        /// Origin of the host page the widget is embedded in.
        #[serde(default)]
        origin: Option<String>,
        /// The visitor's language tag.
        #[serde(default)]
        locale: Option<String>,
        /// Who the site's page says the visitor is. A valid signed identity
        /// picks the visitor (not the token); a refused one is answered
        /// with an `error` (`identity_invalid`, `identity_required`) after
        /// the `welcome`, and the visitor stays anonymous.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        identity: Option<Box<Identity>>,
        /// The proactive message the widget greeted the visitor with, if
        /// one made the loader load it: when the visitor then writes, the
        /// conversation says it started from it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        proactive: Option<Box<crate::proactive::ProactiveShown>>,
    },
    /// Send a message. Creates the conversation on the first send.
    Send {
        /// Idempotency key.
        client_id: ClientId,
        /// Message text.
        body: String,
    },
    /// The visitor is (or stopped) typing.
    Typing {
        /// True while typing.
        typing: bool,
        /// The draft so far, sent only when the site has its typing
        /// preview on (`WidgetConfig::typing_preview`; the widget tells the
        /// visitor). Agents see it; it is never stored.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        preview: Option<String>,
    },
    /// The visitor has read every message up to `seq` (the chat is open
    /// and they were shown): the agent sees "Seen".
    Read {
        /// Highest `seq` read.
        seq: Seq,
    },
    /// The widget has received every message up to `seq`, shown or not
    /// (the panel may be closed): the agent sees "Delivered". `read`
    /// implies it.
    Delivered {
        /// Highest `seq` received.
        seq: Seq,
    },
    /// The satisfaction survey's answer, once the conversation is resolved
    /// (`not_resolved` before; answered again, it replaces the earlier
    /// answer). Answered with `rated`.
    Rate {
        /// 1 (very unhappy) to 5 (very happy).
        score: u8,
        /// Optional words, at most `limits::MAX_COMMENT_CHARS`.
        #[serde(default)]
        comment: Option<String>,
        /// 0–10, on sites whose survey asks the Net Promoter question
        /// (`WidgetConfig::survey_nps`); ignored elsewhere.
        #[serde(default)]
        nps: Option<u8>,
    },
    /// The host page the widget is on (sent after `hello` and on every
    /// navigation, single-page apps included): agents see it beside the
    /// conversation. Never answered; a malformed one gets `bad_request`.
    Page {
        /// The page's URL (`http`/`https`, at most 2,048 characters).
        url: String,
        /// Its title (longer than 300 characters is cut).
        #[serde(default)]
        title: Option<String>,
        /// The page the visitor came from (`document.referrer`).
        #[serde(default)]
        referrer: Option<String>,
        /// The visitor's IANA time zone (`Asia/Tehran`).
        #[serde(default)]
        time_zone: Option<String>,
    },
    /// Leave a name and email for replies (the leave-a-message form, sent
    /// after the message's own `send`). While the site is offline it
    /// marks the conversation so agents' replies are mailed too. Answered
    /// with `contact_saved`, or an `error` (`invalid_email`,
    /// `bad_request`).
    Contact {
        /// What to keep.
        contact: Contact,
    },
    /// The pre-chat form's answers (`WidgetConfig::prechat`), by field
    /// key, sent before the first message. Answered with `prechat_saved`,
    /// or an `error` (`bad_request` saying which field, `invalid_email`).
    Prechat {
        /// Field key → answer.
        answers: std::collections::BTreeMap<String, String>,
    },
    /// Ask to be called back (sites that offer callbacks:
    /// `WidgetConfig::callback_after_mins`). Answered with `callback`, or
    /// an `error`: `invalid_phone`, `bad_request` (note or name),
    /// `callbacks_off`, `callback_pending` (one is open already: it is
    /// kept, and a `callback` frame with it follows).
    Callback {
        /// The form's answers.
        request: crate::callback::CallbackRequest,
    },
    /// Take back the visitor's open callback request (they no longer want
    /// the call). Answered with `callback` (status `cancelled`; the agents
    /// who see it hear of it too), or an `error`: `not_found` (no open
    /// request), `callback_closed` (called meanwhile).
    CancelCallback,
    /// Mail the conversation to the visitor (servers that send mail:
    /// `WidgetConfig::mails`), once an agent has written in it. Answered
    /// with `transcript_sent`, or an `error`: `invalid_email`, `mail_off`,
    /// `bad_request` (no agent reply yet), `rate_limited`.
    Transcript {
        /// Where to send it.
        email: String,
    },
    /// Search the site's help articles (`WidgetConfig::help`): the help
    /// view's search box, or the first message as it is typed. Answered
    /// with `help` (the articles found, best first; an empty query lists
    /// the articles in the visitor's language), or an `error`
    /// (`bad_request` for more than [`crate::help::MAX_QUERY_CHARS`]
    /// characters, `rate_limited`).
    Help {
        /// What the visitor typed.
        query: String,
        /// Why: a suggestion needs a closer match than a search.
        #[serde(default)]
        ask: crate::help::HelpAsk,
        /// The widget's language (`en`, `ar`, `fa`): its articles come
        /// first. Absent or unknown: the `hello`'s `locale`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        lang: Option<String>,
    },
    /// Open a help article: answered with `article`, or an `error`
    /// (`not_found`). Counted as an open; if the visitor then writes on
    /// this connection, as asked-after too.
    Article {
        /// Which.
        id: crate::ids::ArticleId,
    },
    /// Attributes the site's page set (`Ahlan.setAttributes`), added to
    /// those kept (at most [`crate::limits::MAX_ATTRIBUTES`], keys of at
    /// most [`crate::limits::MAX_ATTRIBUTE_KEY_CHARS`], values of at most
    /// [`crate::limits::MAX_ATTRIBUTE_VALUE_CHARS`]). No answer; a
    /// `bad_request` error says what is wrong.
    Attributes {
        /// Key → value.
        attributes: std::collections::BTreeMap<String, String>,
    },
}

// Decoded tag first (`crate::tag_first`): the widget decodes every frame
// of this enum, and serde's buffering decoder for it was the largest
// part of its wasm.
tag_first_enum! {
    tag = "type", twin = VisitorServerFrameTwin;
    /// Server → visitor.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(tag = "type", rename_all = "snake_case")]
    pub enum VisitorServerFrame {
        /// Answer to `hello`. Replayed `message` frames follow. (Its larger
        /// fields are boxed: every frame is as large as this variant, and a
        /// visitor connection's task holds a few across its awaits — 160 bytes
        /// here cost 2.6 KB per idle connection, a larger allocation class.)
        Welcome {
            /// The token to keep; differs from the one sent when that one was
            /// unknown (the client must then drop what it has cached).
            token: String,
            /// The visitor's conversation, if one was started.
            conversation: Option<Box<VisitorConversation>>,
            /// Whether any agent of the site is online now (`None`: not known
            /// yet); `availability` frames follow its changes.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            agents_online: Option<bool>,
            /// Set while the site is offline (outside its hours, or nobody
            /// online on a site that goes offline then).
            #[serde(default, skip_serializing_if = "Option::is_none")]
            offline: Option<Offline>,
            /// The name and email the visitor left, if they did.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            contact: Option<Box<Contact>>,
            /// The visitor's latest callback request, if they made one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            callback: Option<Box<crate::callback::VisitorCallback>>,
        },
        /// Whether any agent of the site is online, or whether the site is
        /// offline, changed: the widget says the team is away rather than
        /// promising a quick reply, and offers to leave a message while
        /// offline.
        Availability {
            /// Someone is online.
            agents_online: bool,
            /// Set while the site is offline.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            offline: Option<Offline>,
        },
        /// The `contact` frame's name and email were kept.
        ContactSaved {
            /// As kept.
            contact: Contact,
        },
        /// The visitor's callback request as kept: the answer to `callback`,
        /// and again whenever an agent claims or closes it (while the widget
        /// follows the conversation it was asked from).
        Callback {
            /// Where it stands.
            callback: Box<crate::callback::VisitorCallback>,
        },
        /// The conversation is on its way to this address (`transcript`).
        TranscriptSent {
            /// Where it goes.
            email: String,
        },
        /// The articles a `help` frame found, best first (at most
        /// [`crate::help::MAX_HITS`]).
        Help {
            /// The query answered (the widget shows the latest only).
            query: String,
            /// The `help` frame's reason.
            ask: crate::help::HelpAsk,
            /// What was found.
            articles: Vec<crate::help::ArticleHit>,
        },
        /// The article an `article` frame asked for.
        Article {
            /// The whole article.
            article: Box<crate::help::Article>,
        },
        /// The `prechat` answers were kept: the first message may follow.
        PrechatSaved,
        /// A message (new, or replayed after `hello`).
        Message {
            /// The message.
            message: ChatMessage,
        },
        /// A `send` was stored.
        Ack {
            /// The send's client id.
            client_id: ClientId,
            /// The conversation it went to (created by the first send).
            conversation: ConversationId,
            /// Its sequence number.
            seq: Seq,
            /// When it was stored.
            sent_at: Millis,
        },
        /// The visitor's place in the queue (or its estimated wait) changed.
        Queue {
            /// 1-based position.
            position: u32,
            /// About how long until an agent takes it, in seconds; absent when
            /// there is too little history to tell.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            estimated_wait_secs: Option<u32>,
        },
        /// An agent took the conversation.
        Assigned {
            /// Who.
            agent: AgentPublic,
        },
        /// The conversation's status changed (e.g. `resolved`).
        Status {
            /// New status.
            status: ConversationStatus,
        },
        /// The agent is (or stopped) typing.
        Typing {
            /// True while typing.
            typing: bool,
        },
        /// The agent has read every message up to `seq`.
        Read {
            /// Highest `seq` read.
            seq: Seq,
        },
        /// The agent's dashboard has received every message up to `seq`.
        Delivered {
            /// Highest `seq` received.
            seq: Seq,
        },
        /// The survey answer was stored.
        Rated {
            /// As stored.
            rating: Rating,
        },
        /// A request failed. The connection stays usable unless the code says
        /// otherwise (`frame_too_large`).
        Error {
            /// Stable code.
            code: ErrorCode,
            /// Human explanation.
            message: String,
            /// The `client_id` of the failed send, if it was one.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            client_id: Option<ClientId>,
        },
    }
}

/// Agent → server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentClientFrame {
    /// Set my availability (`online` or `away`).
    Presence {
        /// New status.
        status: Presence,
    },
    /// Reply in a conversation assigned to me.
    Send {
        /// Conversation.
        conversation: ConversationId,
        /// Idempotency key.
        client_id: ClientId,
        /// Message text.
        body: String,
    },
    /// I am (or stopped) typing in a conversation.
    Typing {
        /// Conversation.
        conversation: ConversationId,
        /// True while typing.
        typing: bool,
    },
    /// Take a waiting conversation from the queue.
    Pick {
        /// Conversation.
        conversation: ConversationId,
    },
    /// Resolve a conversation assigned to me; frees capacity.
    Resolve {
        /// Conversation.
        conversation: ConversationId,
    },
    /// Write an internal note in a conversation I can see (agents only;
    /// the answer is the `note` frame itself, or an `error` with this
    /// `client_id`).
    Note {
        /// Conversation.
        conversation: ConversationId,
        /// Idempotency key (a retry gets the same note back).
        client_id: ClientId,
        /// Note text.
        body: String,
    },
    /// I have this conversation open (`viewing: true`, repeated every 30 s
    /// while it stays open) or closed it: colleagues who have it open too
    /// see me there.
    Viewing {
        /// Conversation.
        conversation: ConversationId,
        /// Open or closed.
        viewing: bool,
    },
    /// Hand a conversation assigned to me (or, as a supervisor or admin,
    /// any conversation of my sites that is assigned) to a colleague, a
    /// team's queue, or a supervisor. Success shows as the conversation's
    /// own update — a `conversation` frame with its new owner, or `gone`
    /// when I can no longer see it; failure as an `error` with this
    /// `client_id`.
    Transfer {
        /// Conversation.
        conversation: ConversationId,
        /// Who gets it.
        to: TransferTarget,
        /// Names the request in an `error`, and keeps the note once per
        /// key (a retry after success is refused: the conversation is no
        /// longer mine to move).
        client_id: ClientId,
        /// A word for whoever takes it, kept as an internal note.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// I have read a conversation of mine up to `seq` (it is open in my
    /// dashboard): its visitor sees "Seen". Only the assignee's reading
    /// counts; anyone else's is ignored.
    Read {
        /// Conversation.
        conversation: ConversationId,
        /// Highest `seq` read.
        seq: Seq,
    },
    /// My dashboard has received a conversation of mine up to `seq`
    /// (listed, not necessarily open): its visitor sees "Delivered". Only
    /// the assignee's counts; anyone else's is ignored.
    Delivered {
        /// Conversation.
        conversation: ConversationId,
        /// Highest `seq` received.
        seq: Seq,
    },
    /// Replay messages of a conversation after `after_seq`, then all its
    /// notes.
    Sync {
        /// Conversation.
        conversation: ConversationId,
        /// Highest `seq` the client holds.
        after_seq: Seq,
    },
}

/// Where a transfer sends a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TransferTarget {
    /// A colleague, who must be online or away, serve the site and have
    /// room (a full colleague is refused with `at_capacity`, never queued
    /// for).
    Agent {
        /// Who.
        agent: AgentId,
    },
    /// A team: the conversation goes to the front of that team's queue
    /// and is routed like any waiting one.
    Team {
        /// Which.
        team: TeamId,
    },
    /// Escalate: the least busy supervisor (or admin) of the site who is
    /// online with room.
    Supervisor,
}

/// What an agent account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything: every site, every conversation, the console.
    Admin,
    /// Sees and acts on every conversation of their sites; reads reports.
    Supervisor,
    /// Their sites' queue and their own conversations.
    Agent,
}

impl Role {
    /// `admin`, `supervisor` or `agent`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::Agent => "agent",
        }
    }
}

/// An agent account as the dashboard shows it (never the password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentProfile {
    /// Agent id.
    pub id: AgentId,
    /// Display name.
    pub name: String,
    /// Login email.
    pub email: String,
    /// What they may do.
    pub role: Role,
    /// Maximum concurrent conversations.
    pub capacity: u32,
    /// Languages they answer in (tags such as `ar`, `en`, `fa`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Teams they belong to.
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// Sites whose conversations they see and are given (admins: all).
    #[serde(default)]
    pub sites: Vec<SiteId>,
    /// A disabled account cannot log in and is given nothing.
    #[serde(default)]
    pub disabled: bool,
}

impl AgentProfile {
    /// Whether they administer the workspace.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether they oversee others' work (admins and supervisors): the
    /// reports, and the agent filters.
    pub fn oversees(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Supervisor)
    }
}

/// Server → agent.
// Frames are built, serialized and dropped at once; boxing the large
// variant would only complicate every client's pattern matching.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AgentServerFrame {
    /// First frame after connecting, and the start of every resend of the
    /// snapshot (after the connection fell behind, or my account changed):
    /// `conversation` frames follow, then `ready`.
    Welcome {
        /// Who I am.
        agent: AgentProfile,
        /// My presence now.
        presence: Presence,
    },
    /// The snapshot that follows `welcome` (one `conversation` frame per
    /// waiting conversation and per conversation of mine) is complete; what
    /// follows is live. Clients drop conversations the snapshot did not
    /// confirm and may alert for new ones from here on.
    Ready,
    /// A conversation was created or changed (queued, assigned, resolved).
    /// Replaces what the client holds for that id.
    Conversation {
        /// Its new state.
        conversation: ConversationSummary,
    },
    /// I can no longer see this conversation (a colleague took it, it
    /// moved to a site or team I do not serve, or its site was deleted):
    /// drop it.
    Gone {
        /// Its id.
        conversation: ConversationId,
    },
    /// A message in a conversation I can see (assigned to me, or waiting).
    Message {
        /// The message.
        message: ChatMessage,
    },
    /// A colleague opened (`viewing: true`) or closed the conversation I
    /// have open. Someone not heard of for 90 s has gone (a lost socket
    /// cannot say so).
    Viewing {
        /// Conversation.
        conversation: ConversationId,
        /// Who.
        agent: AgentPublic,
        /// Open or closed.
        viewing: bool,
    },
    /// An internal note in a conversation I follow (one I synced): a
    /// colleague's, mine (this is the answer to my `note` frame), or one
    /// replayed by `sync`. Keyed by (`conversation`, `id`).
    Note {
        /// The note.
        note: Note,
    },
    /// My `send` was stored.
    Ack {
        /// The send's client id.
        client_id: ClientId,
        /// Conversation.
        conversation: ConversationId,
        /// Its sequence number.
        seq: Seq,
        /// When it was stored.
        sent_at: Millis,
    },
    /// The visitor is (or stopped) typing — or, with `agent`, a colleague
    /// in the conversation I have open (see `viewing`).
    Typing {
        /// Conversation.
        conversation: ConversationId,
        /// True while typing.
        typing: bool,
        /// The colleague typing; absent for the visitor.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<AgentPublic>,
        /// The visitor's draft so far, when their site has its typing
        /// preview on (never stored; absent otherwise).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        preview: Option<String>,
    },
    /// The visitor of a conversation I may see viewed another page:
    /// re-read its context (`GET /api/conversations/{id}/context`).
    Activity {
        /// Conversation.
        conversation: ConversationId,
    },
    /// A callback request of a site I serve was made, claimed or closed
    /// (one per open request in the snapshot before `ready`, too).
    /// Replaces what the client holds for that id.
    Callback {
        /// It now.
        callback: Box<crate::callback::Callback>,
    },
    /// My presence changed (from this or another of my tabs).
    Presence {
        /// New status.
        status: Presence,
    },
    /// A request failed; the connection stays usable.
    Error {
        /// Stable code.
        code: ErrorCode,
        /// Human explanation.
        message: String,
        /// The `client_id` of the failed send, if it was one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        client_id: Option<ClientId>,
        /// The conversation the failed request was about, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        conversation: Option<ConversationId>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The visitor's frames stay small: a visitor connection's task holds
    /// a few of them across its awaits, and 160 more bytes per frame moved
    /// the task into a larger allocation class — 2.6 KB more per idle
    /// visitor (`cargo xtask bench`, idle). Box a new large field instead.
    #[test]
    fn visitor_server_frames_stay_small() {
        assert!(
            std::mem::size_of::<VisitorServerFrame>() <= 160,
            "{} bytes",
            std::mem::size_of::<VisitorServerFrame>()
        );
    }

    #[test]
    fn frames_are_tagged_snake_case() {
        let f = VisitorClientFrame::Send {
            client_id: "m1".into(),
            body: "hi".into(),
        };
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"type":"send","client_id":"m1","body":"hi"}"#
        );
        let hello: VisitorClientFrame =
            serde_json::from_str(r#"{"type":"hello","site":"pk_1"}"#).unwrap();
        assert_eq!(
            hello,
            VisitorClientFrame::Hello {
                site: "pk_1".into(),
                token: None,
                last_seq: 0,
                origin: None,
                locale: None,
                identity: None,
                proactive: None
            }
        );
    }

    #[test]
    fn unit_frames_are_just_a_type() {
        assert_eq!(
            serde_json::to_string(&AgentServerFrame::Ready).unwrap(),
            r#"{"type":"ready"}"#
        );
    }

    #[test]
    fn author_is_tagged_by_kind() {
        let a = Author::Agent {
            id: "a_1".into(),
            name: "Sara".into(),
        };
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"kind":"agent","id":"a_1","name":"Sara"}"#
        );
        assert_eq!(
            serde_json::to_string(&Author::Visitor).unwrap(),
            r#"{"kind":"visitor"}"#
        );
    }

    #[test]
    fn error_frame_omits_absent_client_id() {
        let e = VisitorServerFrame::Error {
            code: ErrorCode::UnknownFrame,
            message: "x".into(),
            client_id: None,
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"type":"error","code":"unknown_frame","message":"x"}"#
        );
    }
}
