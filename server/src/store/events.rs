//! Live events fanned out to every connection (on every node). They carry
//! enough to update a client, but the store stays the source of truth: a
//! connection that misses events (lag, reconnect) re-reads the store.

use serde::{Deserialize, Serialize};
use shared::{AgentId, ChatMessage, ConversationId, ConversationSummary, Presence, SiteId};

/// Which side of a conversation did something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    /// The visitor.
    Visitor,
    /// The assigned agent.
    Agent,
}

/// How far one side has a conversation's messages: received by its
/// client (delivered), or shown to its person (read). A read implies
/// delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// The side's client has every message up to the mark.
    Delivered,
    /// The side's person was shown every message up to the mark.
    Read,
}

impl Mark {
    /// The stored field (SQLite column, Redis hash field) holding `party`'s
    /// mark of this kind, and the delivered field a read raises with it.
    pub fn fields(self, party: Party) -> (&'static str, Option<&'static str>) {
        match (self, party) {
            (Mark::Delivered, Party::Visitor) => ("visitor_delivered", None),
            (Mark::Delivered, Party::Agent) => ("agent_delivered", None),
            (Mark::Read, Party::Visitor) => ("visitor_read", Some("visitor_delivered")),
            (Mark::Read, Party::Agent) => ("agent_read", Some("agent_delivered")),
        }
    }
}

impl Event {
    /// The event for a stored message, from the append's outcome.
    pub fn message(message: ChatMessage, mut conversation: ConversationSummary) -> Self {
        conversation.last_message = None;
        Event::Message {
            message,
            conversation: Box::new(conversation),
        }
    }
}

/// A live event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A message was stored.
    Message {
        /// It.
        message: ChatMessage,
        /// The conversation right after it, without `last_message` (which
        /// is `message`: the body travels once). Lets agent sockets update
        /// previews and decide who may see it without reading the store.
        conversation: Box<ConversationSummary>,
    },
    /// An internal note was stored: for agents only — no visitor
    /// connection is ever handed one (ws/hub.rs).
    Note {
        /// It.
        note: shared::Note,
        /// Its conversation now, so each node can tell who may see it.
        conversation: Box<ConversationSummary>,
    },
    /// An agent opened or closed a conversation in their dashboard (never
    /// stored): colleagues who have it open see each other.
    Viewing {
        /// The conversation now, so each node can tell who may see it.
        conversation: Box<ConversationSummary>,
        /// Who.
        agent: shared::AgentPublic,
        /// Opened or closed.
        viewing: bool,
        /// An answer to someone's opening ("I have it open too"), which
        /// is not answered in turn.
        echo: bool,
    },
    /// Typing started or stopped (never stored).
    Typing {
        /// Where.
        conversation: ConversationId,
        /// Who.
        from: Party,
        /// Started or stopped.
        typing: bool,
        /// Which agent, when an agent types (shown to colleagues who have
        /// the conversation open).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        agent: Option<shared::AgentPublic>,
        /// The visitor's draft, when their site allows the typing preview.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        preview: Option<String>,
    },
    /// The visitor of a conversation viewed a page (stored): agents who
    /// may see the conversation re-read its context.
    Activity {
        /// The conversation now, so each node can tell who may see it.
        conversation: Box<ConversationSummary>,
    },
    /// A conversation was created or changed status/assignee.
    Conversation {
        /// Its new state (boxed: every subscriber gets a clone of the event,
        /// and most events are small).
        conversation: Box<ConversationSummary>,
    },
    /// The queue's order or length changed: queued visitors re-read their
    /// position.
    /// Whether any agent of `site` is online, or whether it is offline,
    /// changed. Node-local: each node works it out from the store
    /// ([`crate::ws::hub::run_availability`]) and never publishes it.
    Availability {
        /// The site.
        site: SiteId,
        /// What its visitors are told now.
        now: crate::hours::Availability,
    },
    /// A site's settings changed (its hours, say): every node works out
    /// its availability again.
    SiteChanged {
        /// Which.
        site: SiteId,
    },
    QueueChanged,
    /// An agent's presence changed.
    Presence {
        /// Who.
        agent: AgentId,
        /// New presence.
        presence: Presence,
    },
    /// A session ended (logout): the dashboards using it must close.
    SessionEnded {
        /// Whose.
        agent: AgentId,
        /// The session's token hash.
        session: String,
    },
    /// An agent's account changed (role, sites, name, password, disabled,
    /// deleted): their dashboards re-check their session and the account,
    /// close if either is gone, and otherwise resend what they may now see.
    AgentChanged {
        /// Who.
        agent: AgentId,
    },
    /// A site was deleted with everything in it: its visitors' sockets
    /// close, agents drop its conversations.
    SiteDeleted {
        /// Which.
        site: SiteId,
    },
    /// A visitor was erased (privacy) with their conversation: agents drop
    /// it, the visitor's own sockets close (their widget reconnects and
    /// finds nothing).
    VisitorErased {
        /// Their site.
        site: SiteId,
        /// Their conversation, if they had one.
        conversation: Option<ConversationId>,
    },
    /// A callback request was made, claimed or closed: agents who may see
    /// it update their list; the visitor's widget, while it follows the
    /// conversation the request was made from, its status.
    Callback {
        /// It now.
        callback: Box<shared::callback::Callback>,
    },
    /// Raised by a store on its own node, never published: events may have
    /// been lost (the link to the other nodes broke and came back), so
    /// every connection re-reads the store.
    Resync,
}
