//! Routing: the domain operations that change who has which conversation,
//! each followed by the events that tell every connection about it. The
//! atomic parts live in the store (so they hold across nodes); this layer
//! sequences them and publishes: socket loops and handlers call only this.
//! (The agent-choice rule itself is the store's: [`crate::store::choose`].)

use crate::clock::now_millis;
use crate::store::{
    AgentRecord, Appended, Event, NewMessage, NoteAdded, Party, Store, StoreError, StoreResult,
    VisitorAppend,
};
use shared::{AgentId, ClientId, ConversationId, ConversationSummary, Presence, VisitorId};
use std::sync::Arc;

/// The routing service: cheap to clone, shared by all connections.
#[derive(Clone)]
pub struct Routing {
    store: Arc<dyn Store>,
    /// Most conversations waiting per site (`--max-queue`).
    queue_cap: u32,
}

impl Routing {
    /// Routing over a store; a site's queue holds at most `queue_cap`
    /// conversations.
    pub fn new(store: Arc<dyn Store>, queue_cap: u32) -> Self {
        Self { store, queue_cap }
    }

    /// Stores a visitor's message; a new or reopened conversation enters the
    /// queue and is routed at once when an agent has room.
    pub async fn visitor_message(
        &self,
        visitor: &VisitorId,
        client_id: ClientId,
        body: String,
    ) -> StoreResult<VisitorAppend> {
        let msg = NewMessage {
            client_id,
            body,
            now: now_millis(),
        };
        let out = self
            .store
            .append_visitor_message(visitor, msg, self.queue_cap)
            .await?;
        if out.appended.duplicate {
            return Ok(out);
        }
        if out.entered_queue {
            self.publish(Event::Conversation {
                conversation: Box::new(out.appended.conversation.clone()),
            })
            .await?;
        }
        self.publish(Event::message(
            out.appended.message.clone(),
            out.appended.conversation.clone(),
        ))
        .await?;
        if out.entered_queue {
            self.publish(Event::QueueChanged).await?;
            self.drain().await?;
        }
        Ok(out)
    }

    /// Stores an agent's reply.
    pub async fn agent_message(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        client_id: ClientId,
        body: String,
    ) -> StoreResult<Appended> {
        let msg = NewMessage {
            client_id,
            body,
            now: now_millis(),
        };
        let out = self
            .store
            .append_agent_message(conversation, agent, msg)
            .await?;
        if !out.duplicate {
            self.publish(Event::message(
                out.message.clone(),
                out.conversation.clone(),
            ))
            .await?;
        }
        Ok(out)
    }

    /// Stores an agent's internal note and tells the agents who may see the
    /// conversation (never its visitor). Only an agent who may see the
    /// conversation may write one — checked before the store looks at the
    /// client id, so a retry after losing sight of it is refused too.
    pub async fn agent_note(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        client_id: ClientId,
        body: String,
    ) -> StoreResult<NoteAdded> {
        let summary = self
            .store
            .conversation(conversation)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !crate::access::may_see(agent, &summary) {
            return Err(StoreError::Forbidden);
        }
        let note = NewMessage {
            client_id,
            body,
            now: now_millis(),
        };
        let out = self.store.add_note(conversation, agent, note).await?;
        if !out.duplicate {
            self.publish(Event::Note {
                note: out.note.clone(),
                conversation: Box::new(out.conversation.clone()),
            })
            .await?;
        }
        Ok(out)
    }

    /// Relays typing (never stored).
    pub async fn typing(
        &self,
        conversation: ConversationId,
        from: Party,
        agent: Option<shared::AgentPublic>,
        typing: bool,
    ) -> StoreResult<()> {
        self.publish(Event::Typing {
            conversation,
            from,
            typing,
            agent,
        })
        .await
    }

    /// Assigns what can be assigned and announces it.
    pub async fn drain(&self) -> StoreResult<()> {
        let made = self.store.drain_queue(now_millis()).await?;
        if made.is_empty() {
            return Ok(());
        }
        for a in made {
            self.publish(Event::Conversation {
                conversation: Box::new(a.conversation),
            })
            .await?;
        }
        self.publish(Event::QueueChanged).await
    }

    /// An agent takes a waiting conversation.
    pub async fn pick(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
    ) -> StoreResult<ConversationSummary> {
        let summary = self.store.pick(conversation, agent, now_millis()).await?;
        self.publish(Event::Conversation {
            conversation: Box::new(summary.clone()),
        })
        .await?;
        self.publish(Event::QueueChanged).await?;
        Ok(summary)
    }

    /// An agent resolves a conversation; their freed slot takes the next in
    /// the queue.
    pub async fn resolve(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
    ) -> StoreResult<ConversationSummary> {
        let summary = self.store.resolve(conversation, agent).await?;
        self.publish(Event::Conversation {
            conversation: Box::new(summary.clone()),
        })
        .await?;
        self.drain().await?;
        Ok(summary)
    }

    /// Sets an agent's presence; an agent coming online takes from the queue.
    pub async fn set_presence(&self, agent: &AgentId, presence: Presence) -> StoreResult<()> {
        self.store.set_presence(agent, presence).await?;
        self.publish(Event::Presence {
            agent: agent.clone(),
            presence,
        })
        .await?;
        if presence == Presence::Online {
            self.drain().await?;
        }
        Ok(())
    }

    /// The agent left (no dashboard open after the grace period): their
    /// visitors go back to the front of the queue and are routed again,
    /// rather than waiting for someone who is not there. Returns how many.
    pub async fn release_agent(&self, agent: &AgentId) -> StoreResult<usize> {
        let requeued = self.store.requeue_agent(agent).await?;
        if requeued.is_empty() {
            return Ok(0);
        }
        let n = requeued.len();
        for conversation in requeued {
            self.publish(Event::Conversation {
                conversation: Box::new(conversation),
            })
            .await?;
        }
        self.publish(Event::QueueChanged).await?;
        self.drain().await?;
        Ok(n)
    }

    /// 1-based position of a conversation among the queued conversations
    /// of its site (the line its visitor is really in), if queued.
    pub async fn queue_position(&self, conversation: &ConversationId) -> StoreResult<Option<u32>> {
        let queue = self.store.queue().await?;
        let Some(site) = queue
            .iter()
            .find(|e| &e.conversation == conversation)
            .map(|e| e.site.clone())
        else {
            return Ok(None);
        };
        Ok(queue
            .iter()
            .filter(|e| e.site == site)
            .position(|e| &e.conversation == conversation)
            .map(|i| i as u32 + 1))
    }

    async fn publish(&self, event: Event) -> StoreResult<()> {
        self.store.publish(event).await
    }
}
