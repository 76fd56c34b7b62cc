//! The in-process store: all state behind one `std::sync::Mutex`, events on
//! a `tokio::sync::broadcast` channel. One lock makes every method trivially
//! atomic; a std (not tokio) mutex is right because no method holds it
//! across an `.await` and critical sections are short.

use super::{
    AgentRecord, Appended, Assignment, ConversationFilter, Event, NewMessage, Site, Store,
    StoreError, StoreResult, Visitor, VisitorAppend,
};
use crate::routing::choose::{choose_agent, Candidate};
use crate::secrets::random_id;
use async_trait::async_trait;
use shared::{
    AgentId, Author, ChatMessage, ClientId, ConversationId, ConversationStatus,
    ConversationSummary, Millis, Presence, Seq, SiteId, VisitorId, VisitorInfo,
};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// How many events a slow subscriber may fall behind before it is told it
/// lagged (and re-reads the store).
const EVENT_BUFFER: usize = 4096;

/// The in-process store.
pub struct EmbeddedStore {
    state: Mutex<State>,
    events: broadcast::Sender<Event>,
}

#[derive(Default)]
struct State {
    sites: HashMap<SiteId, Site>,
    site_keys: HashMap<String, SiteId>,
    agents: HashMap<AgentId, AgentRecord>,
    agent_emails: HashMap<String, AgentId>,
    sessions: HashMap<String, (AgentId, Instant)>,
    visitors: HashMap<VisitorId, Visitor>,
    visitor_tokens: HashMap<String, VisitorId>,
    conversations: HashMap<ConversationId, Conv>,
    queue: VecDeque<ConversationId>,
    presence: HashMap<AgentId, Presence>,
    loads: HashMap<AgentId, u32>,
    heartbeats: HashMap<AgentId, Instant>,
    last_assigned: HashMap<AgentId, Millis>,
}

struct Conv {
    summary: ConversationSummary,
    messages: Vec<ChatMessage>,
    /// (author key, client id) → index in `messages`, for idempotent
    /// sends (see [`super::author_key`]).
    by_client: HashMap<(String, ClientId), usize>,
}

impl Conv {
    fn find(&self, author: &Author, client_id: &ClientId) -> Option<&ChatMessage> {
        self.by_client
            .get(&(super::author_key(author), client_id.clone()))
            .map(|&i| &self.messages[i])
    }

    fn push(
        &mut self,
        client_id: ClientId,
        author: Author,
        body: String,
        now: Millis,
    ) -> ChatMessage {
        let key = super::author_key(&author);
        let message = ChatMessage {
            conversation: self.summary.id.clone(),
            seq: self.messages.len() as Seq + 1,
            client_id: client_id.clone(),
            author,
            body,
            sent_at: now,
        };
        self.by_client.insert((key, client_id), self.messages.len());
        self.messages.push(message.clone());
        self.summary.last_seq = message.seq;
        self.summary.last_message = Some(message.clone());
        message
    }
}

impl Default for EmbeddedStore {
    fn default() -> Self {
        Self::new()
    }
}

impl EmbeddedStore {
    /// An empty store.
    pub fn new() -> Self {
        let (events, _) = broadcast::channel(EVENT_BUFFER);
        Self {
            state: Mutex::new(State::default()),
            events,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock would be a bug in this file; the
        // state is still consistent between statements, so keep serving.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn conv_mut(&mut self, id: &ConversationId) -> StoreResult<&mut Conv> {
        self.conversations.get_mut(id).ok_or(StoreError::NotFound)
    }

    fn assign(&mut self, id: &ConversationId, agent: &AgentId, now: Millis) -> ConversationSummary {
        let public = self.agents.get(agent).map(AgentRecord::public);
        *self.loads.entry(agent.clone()).or_default() += 1;
        self.last_assigned.insert(agent.clone(), now);
        self.queue.retain(|q| q != id);
        let conv = self
            .conversations
            .get_mut(id)
            .expect("assign: conversation exists");
        conv.summary.status = ConversationStatus::Assigned;
        conv.summary.agent = public;
        conv.summary.queued_at = None;
        conv.summary.clone()
    }

    fn enqueue(&mut self, id: &ConversationId, now: Millis) {
        let conv = self
            .conversations
            .get_mut(id)
            .expect("enqueue: conversation exists");
        conv.summary.status = ConversationStatus::Queued;
        conv.summary.agent = None;
        conv.summary.queued_at = Some(now);
        self.queue.push_back(id.clone());
    }

    fn online_candidates(&self) -> Vec<Candidate> {
        self.presence
            .iter()
            .filter(|(_, p)| **p == Presence::Online)
            .filter_map(|(id, _)| {
                let agent = self.agents.get(id)?;
                Some(Candidate {
                    id: id.clone(),
                    load: self.loads.get(id).copied().unwrap_or(0),
                    capacity: agent.capacity,
                    last_assigned: self.last_assigned.get(id).copied().unwrap_or(0),
                })
            })
            .collect()
    }
}

fn recent_first(list: &mut [ConversationSummary]) {
    list.sort_by_key(|c| {
        std::cmp::Reverse(c.last_message.as_ref().map_or(c.created_at, |m| m.sent_at))
    });
}

#[async_trait]
impl Store for EmbeddedStore {
    fn backend(&self) -> &'static str {
        "embedded"
    }

    async fn insert_site(&self, site: Site) -> StoreResult<()> {
        let mut s = self.lock();
        if s.site_keys.contains_key(&site.key) {
            return Err(StoreError::Conflict);
        }
        s.site_keys.insert(site.key.clone(), site.id.clone());
        s.sites.insert(site.id.clone(), site);
        Ok(())
    }

    async fn site_by_key(&self, key: &str) -> StoreResult<Option<Site>> {
        let s = self.lock();
        Ok(s.site_keys.get(key).and_then(|id| s.sites.get(id)).cloned())
    }

    async fn insert_agent(&self, agent: AgentRecord) -> StoreResult<()> {
        let mut s = self.lock();
        if s.agent_emails.contains_key(&agent.email) {
            return Err(StoreError::Conflict);
        }
        s.agent_emails.insert(agent.email.clone(), agent.id.clone());
        s.agents.insert(agent.id.clone(), agent);
        Ok(())
    }

    async fn agent_by_email(&self, email: &str) -> StoreResult<Option<AgentRecord>> {
        let s = self.lock();
        Ok(s.agent_emails
            .get(email)
            .and_then(|id| s.agents.get(id))
            .cloned())
    }

    async fn agent(&self, id: &AgentId) -> StoreResult<Option<AgentRecord>> {
        Ok(self.lock().agents.get(id).cloned())
    }

    async fn create_session(
        &self,
        token_hash: &str,
        agent: &AgentId,
        ttl: Duration,
    ) -> StoreResult<()> {
        let expires = Instant::now() + ttl;
        self.lock()
            .sessions
            .insert(token_hash.to_owned(), (agent.clone(), expires));
        Ok(())
    }

    async fn session_agent(&self, token_hash: &str) -> StoreResult<Option<AgentId>> {
        let mut s = self.lock();
        match s.sessions.get(token_hash) {
            Some((agent, expires)) if *expires > Instant::now() => Ok(Some(agent.clone())),
            Some(_) => {
                s.sessions.remove(token_hash);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.lock().sessions.remove(token_hash);
        Ok(())
    }

    async fn create_visitor(
        &self,
        token_hash: &str,
        site: &SiteId,
        locale: Option<String>,
        origin: Option<String>,
    ) -> StoreResult<Visitor> {
        let visitor = Visitor::new(site, locale, origin);
        let mut s = self.lock();
        s.visitor_tokens
            .insert(token_hash.to_owned(), visitor.id.clone());
        s.visitors.insert(visitor.id.clone(), visitor.clone());
        Ok(visitor)
    }

    async fn visitor_by_token(&self, token_hash: &str) -> StoreResult<Option<Visitor>> {
        let s = self.lock();
        Ok(s.visitor_tokens
            .get(token_hash)
            .and_then(|id| s.visitors.get(id))
            .cloned())
    }

    async fn conversation(&self, id: &ConversationId) -> StoreResult<Option<ConversationSummary>> {
        Ok(self.lock().conversations.get(id).map(|c| c.summary.clone()))
    }

    async fn list_conversations(
        &self,
        filter: ConversationFilter,
    ) -> StoreResult<Vec<ConversationSummary>> {
        let s = self.lock();
        let summaries = s.conversations.values().map(|c| &c.summary);
        Ok(match filter {
            ConversationFilter::Waiting => s
                .queue
                .iter()
                .filter_map(|id| s.conversations.get(id).map(|c| c.summary.clone()))
                .collect(),
            ConversationFilter::AssignedTo(agent) => {
                let mut list: Vec<_> = summaries
                    .filter(|c| {
                        c.status == ConversationStatus::Assigned
                            && c.agent.as_ref().is_some_and(|a| a.id == agent)
                    })
                    .cloned()
                    .collect();
                recent_first(&mut list);
                list
            }
            ConversationFilter::ResolvedBy(agent) => {
                let mut list: Vec<_> = summaries
                    .filter(|c| {
                        c.status == ConversationStatus::Resolved
                            && c.agent.as_ref().is_some_and(|a| a.id == agent)
                    })
                    .cloned()
                    .collect();
                recent_first(&mut list);
                list
            }
        })
    }

    async fn append_visitor_message(
        &self,
        visitor: &VisitorId,
        msg: NewMessage,
    ) -> StoreResult<VisitorAppend> {
        let mut s = self.lock();
        let v = s
            .visitors
            .get(visitor)
            .cloned()
            .ok_or(StoreError::NotFound)?;
        if let Some(conv) = v
            .conversation
            .as_ref()
            .and_then(|id| s.conversations.get(id))
        {
            if let Some(original) = conv.find(&Author::Visitor, &msg.client_id) {
                return Ok(VisitorAppend {
                    appended: Appended {
                        message: original.clone(),
                        duplicate: true,
                    },
                    conversation: conv.summary.clone(),
                    entered_queue: false,
                });
            }
        }
        let mut entered_queue = false;
        let conv_id = match v.conversation {
            Some(id) => {
                if s.conv_mut(&id)?.summary.status == ConversationStatus::Resolved {
                    s.enqueue(&id, msg.now);
                    entered_queue = true;
                }
                id
            }
            None => {
                let id = ConversationId(random_id("c"));
                let summary = ConversationSummary {
                    id: id.clone(),
                    site: v.site.clone(),
                    status: ConversationStatus::Queued,
                    agent: None,
                    visitor: VisitorInfo {
                        id: v.id.clone(),
                        locale: v.locale.clone(),
                        origin: v.origin.clone(),
                    },
                    created_at: msg.now,
                    queued_at: Some(msg.now),
                    last_seq: 0,
                    last_message: None,
                };
                s.conversations.insert(
                    id.clone(),
                    Conv {
                        summary,
                        messages: Vec::new(),
                        by_client: HashMap::new(),
                    },
                );
                s.enqueue(&id, msg.now);
                if let Some(v) = s.visitors.get_mut(visitor) {
                    v.conversation = Some(id.clone());
                }
                entered_queue = true;
                id
            }
        };
        let conv = s.conv_mut(&conv_id)?;
        let message = conv.push(msg.client_id, Author::Visitor, msg.body, msg.now);
        Ok(VisitorAppend {
            appended: Appended {
                message,
                duplicate: false,
            },
            conversation: conv.summary.clone(),
            entered_queue,
        })
    }

    async fn append_agent_message(
        &self,
        conversation: &ConversationId,
        agent: &AgentRecord,
        msg: NewMessage,
    ) -> StoreResult<Appended> {
        let mut s = self.lock();
        let conv = s.conv_mut(conversation)?;
        let author = Author::Agent {
            id: agent.id.clone(),
            name: agent.name.clone(),
        };
        // Only this agent's own earlier send counts as a retry, so the
        // answer never reveals someone else's message.
        if let Some(original) = conv.find(&author, &msg.client_id) {
            return Ok(Appended {
                message: original.clone(),
                duplicate: true,
            });
        }
        match conv.summary.status {
            ConversationStatus::Resolved => return Err(StoreError::Resolved),
            ConversationStatus::Queued => return Err(StoreError::Forbidden),
            ConversationStatus::Assigned => {}
        }
        if conv.summary.agent.as_ref().map(|a| &a.id) != Some(&agent.id) {
            return Err(StoreError::Forbidden);
        }
        Ok(Appended {
            message: conv.push(msg.client_id, author, msg.body, msg.now),
            duplicate: false,
        })
    }

    async fn messages_after(
        &self,
        conversation: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> StoreResult<Vec<ChatMessage>> {
        let s = self.lock();
        let conv = s
            .conversations
            .get(conversation)
            .ok_or(StoreError::NotFound)?;
        // seq n lives at index n - 1.
        let start = (after as usize).min(conv.messages.len());
        Ok(conv.messages[start..].iter().take(limit).cloned().collect())
    }

    async fn set_presence(&self, agent: &AgentId, presence: Presence) -> StoreResult<()> {
        let mut s = self.lock();
        if !s.agents.contains_key(agent) {
            return Err(StoreError::NotFound);
        }
        s.presence.insert(agent.clone(), presence);
        Ok(())
    }

    async fn heartbeat(&self, agent: &AgentId, ttl: Duration) -> StoreResult<()> {
        self.lock()
            .heartbeats
            .insert(agent.clone(), Instant::now() + ttl);
        Ok(())
    }

    async fn stale_agents(&self) -> StoreResult<Vec<AgentId>> {
        let s = self.lock();
        let now = Instant::now();
        let mut stale: Vec<AgentId> = s
            .presence
            .iter()
            .filter(|(_, p)| **p != Presence::Offline)
            .filter(|(id, _)| s.heartbeats.get(*id).is_none_or(|until| *until <= now))
            .map(|(id, _)| id.clone())
            .collect();
        stale.sort();
        Ok(stale)
    }

    async fn presence(&self, agent: &AgentId) -> StoreResult<Presence> {
        Ok(self
            .lock()
            .presence
            .get(agent)
            .copied()
            .unwrap_or(Presence::Offline))
    }

    async fn queue(&self) -> StoreResult<Vec<ConversationId>> {
        Ok(self.lock().queue.iter().cloned().collect())
    }

    async fn drain_queue(&self, now: Millis) -> StoreResult<Vec<Assignment>> {
        let mut s = self.lock();
        let mut made = Vec::new();
        while let Some(head) = s.queue.front().cloned() {
            let candidates = s.online_candidates();
            let Some(chosen) = choose_agent(&candidates) else {
                break;
            };
            let agent = chosen.id.clone();
            made.push(Assignment {
                conversation: s.assign(&head, &agent, now),
            });
        }
        Ok(made)
    }

    async fn pick(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
        now: Millis,
    ) -> StoreResult<ConversationSummary> {
        let mut s = self.lock();
        let status = s.conv_mut(conversation)?.summary.status;
        if status != ConversationStatus::Queued {
            return Err(StoreError::NotQueued);
        }
        let capacity = s.agents.get(agent).ok_or(StoreError::NotFound)?.capacity;
        if s.loads.get(agent).copied().unwrap_or(0) >= capacity {
            return Err(StoreError::AtCapacity);
        }
        Ok(s.assign(conversation, agent, now))
    }

    async fn resolve(
        &self,
        conversation: &ConversationId,
        agent: &AgentId,
    ) -> StoreResult<ConversationSummary> {
        let mut s = self.lock();
        let conv = s.conv_mut(conversation)?;
        match conv.summary.status {
            ConversationStatus::Resolved => return Err(StoreError::Resolved),
            ConversationStatus::Queued => return Err(StoreError::Forbidden),
            ConversationStatus::Assigned => {}
        }
        if conv.summary.agent.as_ref().map(|a| &a.id) != Some(agent) {
            return Err(StoreError::Forbidden);
        }
        conv.summary.status = ConversationStatus::Resolved;
        let summary = conv.summary.clone();
        if let Some(load) = s.loads.get_mut(agent) {
            *load = load.saturating_sub(1);
        }
        Ok(summary)
    }

    async fn requeue_agent(&self, agent: &AgentId) -> StoreResult<Vec<ConversationSummary>> {
        let mut s = self.lock();
        let mut ids: Vec<(Millis, ConversationId)> = s
            .conversations
            .values()
            .filter(|c| {
                c.summary.status == ConversationStatus::Assigned
                    && c.summary.agent.as_ref().is_some_and(|a| &a.id == agent)
            })
            .map(|c| (c.summary.created_at, c.summary.id.clone()))
            .collect();
        ids.sort();
        let mut requeued = Vec::with_capacity(ids.len());
        for (created_at, id) in ids.iter().rev() {
            let conv = s.conv_mut(id)?;
            conv.summary.status = ConversationStatus::Queued;
            conv.summary.agent = None;
            conv.summary.queued_at = Some(*created_at);
            requeued.push(conv.summary.clone());
            s.queue.push_front(id.clone());
        }
        s.loads.insert(agent.clone(), 0);
        requeued.reverse();
        Ok(requeued)
    }

    async fn load(&self, agent: &AgentId) -> StoreResult<u32> {
        Ok(self.lock().loads.get(agent).copied().unwrap_or(0))
    }

    async fn publish(&self, event: Event) -> StoreResult<()> {
        // No subscribers is not an error: nobody is connected.
        let _ = self.events.send(event);
        Ok(())
    }

    fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn conformance() {
        super::super::conformance::run_all(|| async {
            Arc::new(EmbeddedStore::new()) as Arc<dyn Store>
        })
        .await;
    }
}
