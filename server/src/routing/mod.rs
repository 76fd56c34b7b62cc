//! Routing: the domain operations that change who has which conversation,
//! each followed by the events that tell every connection about it. The
//! atomic parts live in the store (so they hold across nodes); this layer
//! sequences them and publishes: socket loops and handlers call only this.
//! (The agent-choice rule itself is the store's: [`crate::store::choose`].)
//!
//! - [`queue`] — waiting visitors' positions and estimated waits.

pub mod queue;

use crate::clock::now_millis;
use crate::reports::clocks::{Step, Whose};
use crate::reports::recorder::{Recorded, Recorder};
use crate::store::{
    AgentRecord, Appended, Event, Mark, NewMessage, NoteAdded, Party, Store, StoreError,
    StoreResult, VisitorAppend,
};
use queue::{QueueSpot, QueueSpots};
use shared::{
    AgentId, ClientId, ConversationId, ConversationSummary, Millis, Presence, Role, TransferTarget,
    VisitorId,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The routing service: cheap to clone, shared by all connections.
#[derive(Clone)]
pub struct Routing {
    store: Arc<dyn Store>,
    /// Most conversations waiting per site (`--max-queue`).
    queue_cap: u32,
    /// How long a conversation waits for its team and language before any
    /// agent of the site may take it, in ms (`--language-fallback-secs`).
    fallback: Millis,
    /// Where messages, assignments and store times are counted.
    metrics: Arc<crate::metrics::Metrics>,
    /// Where each step goes for the reports.
    reports: Recorder,
    /// Mails replies in conversations left as a message (`None`: no SMTP).
    mailer: Option<crate::mail::Mailer>,
}

impl Routing {
    /// Routing over a store; a site's queue holds at most `queue_cap`
    /// conversations, and a conversation waits `fallback` for its team and
    /// language (see [`crate::store::choose`]).
    pub fn new(store: Arc<dyn Store>, queue_cap: u32, fallback: Duration) -> Self {
        Self {
            store,
            queue_cap,
            fallback: fallback.as_millis().try_into().unwrap_or(Millis::MAX),
            metrics: Arc::default(),
            reports: Recorder::new(Arc::default()),
            mailer: None,
        }
    }

    /// Mails agents' replies to visitors who left a message, through
    /// `mailer`.
    pub fn with_mailer(mut self, mailer: Option<crate::mail::Mailer>) -> Self {
        self.mailer = mailer;
        self
    }

    /// Whether replies to visitors who left a message are mailed.
    pub fn mails_replies(&self) -> bool {
        self.mailer.is_some()
    }

    /// The node's mailer, when the server sends mail.
    pub fn mailer(&self) -> Option<&crate::mail::Mailer> {
        self.mailer.as_ref()
    }

    /// Hands its steps to `reports` (a recorder of its own otherwise, never
    /// run: fine for tests that do not read reports).
    pub fn with_reports(mut self, reports: Recorder) -> Self {
        self.reports = reports;
        self
    }

    /// Tells the reports what happened to `summary` (after the step).
    fn report(
        &self,
        summary: &ConversationSummary,
        step: Step,
        agent: Option<&AgentId>,
        at: Millis,
    ) {
        self.reports.record(Recorded {
            conversation: summary.id.clone(),
            site: summary.site.clone(),
            step,
            whose: Whose {
                team: summary.team.clone(),
                agent: agent.cloned(),
            },
            at,
        });
    }

    /// Counts into `metrics` (the node's; a fresh set otherwise).
    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    /// Stores a visitor's message; a new or reopened conversation enters the
    /// queue and is routed at once when an agent has room.
    pub async fn visitor_message(
        &self,
        visitor: &VisitorId,
        client_id: ClientId,
        body: String,
    ) -> StoreResult<VisitorAppend> {
        let now = now_millis();
        let msg = NewMessage {
            client_id,
            body,
            now,
        };
        let out = self
            .metrics
            .timed(
                "append_visitor",
                self.store
                    .append_visitor_message(visitor, msg, self.queue_cap),
            )
            .await?;
        if out.appended.duplicate {
            return Ok(out);
        }
        self.metrics.message(crate::metrics::Socket::Visitor);
        // The first message of a conversation has seq 1; a later one that
        // put it back in the queue reopened it.
        let conversation = &out.appended.conversation;
        let step = Step::VisitorMessage {
            opened: out.entered_queue,
            reopened: out.entered_queue && out.appended.message.seq > 1,
        };
        self.report(conversation, step, None, now);
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
        let now = now_millis();
        let msg = NewMessage {
            client_id,
            body,
            now,
        };
        let out = self
            .metrics
            .timed(
                "append_agent",
                self.store.append_agent_message(conversation, agent, msg),
            )
            .await?;
        if !out.duplicate {
            self.metrics.message(crate::metrics::Socket::Agent);
            self.report(&out.conversation, Step::AgentReply, Some(&agent.id), now);
            self.publish(Event::message(
                out.message.clone(),
                out.conversation.clone(),
            ))
            .await?;
            self.mail_reply(&out).await;
        }
        Ok(out)
    }

    /// Mails a stored reply to a visitor who left a message and an email
    /// (the reply is stored whatever happens here).
    async fn mail_reply(&self, out: &Appended) {
        let c = &out.conversation;
        let (Some(mailer), true, Some(to)) = (&self.mailer, c.left_message, &c.visitor.email)
        else {
            return;
        };
        let site = match self.store.site(&c.site).await {
            Ok(Some(site)) => site.name,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "reply not mailed: the site could not be read");
                self.metrics.mail("failed");
                return;
            }
        };
        let agent = match &out.message.author {
            shared::Author::Agent { name, .. } => name.clone(),
            shared::Author::Visitor => return,
        };
        mailer.send(crate::mail::Reply {
            to: to.clone(),
            visitor_name: c.visitor.name.clone(),
            locale: c.visitor.locale.clone(),
            site,
            agent,
            text: out.message.body.clone(),
            origin: c.visitor.origin.clone(),
        });
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

    /// Moves a side's delivered or read mark (see [`Store::mark`]) and,
    /// when it moved, tells everyone following the conversation.
    pub async fn mark(
        &self,
        conversation: &ConversationId,
        party: Party,
        mark: Mark,
        seq: shared::Seq,
    ) -> StoreResult<()> {
        if let Some(after) = self.store.mark(conversation, party, mark, seq).await? {
            self.publish(Event::Conversation {
                conversation: Box::new(after),
            })
            .await?;
        }
        Ok(())
    }

    /// Stores the visitor's survey answer; dashboards hear of it with the
    /// conversation.
    pub async fn rate(
        &self,
        conversation: &ConversationId,
        rating: crate::store::StoredRating,
    ) -> StoreResult<ConversationSummary> {
        let step = Step::Rated {
            score: rating.score,
            nps: rating.nps,
        };
        let at = rating.at;
        let after = self.store.rate(conversation, rating).await?;
        let agent = after.agent.as_ref().map(|a| a.id.clone());
        self.report(&after, step, agent.as_ref(), at);
        self.publish(Event::Conversation {
            conversation: Box::new(after.clone()),
        })
        .await?;
        Ok(after)
    }

    /// Keeps what a visitor told about themselves (see
    /// `Store::set_details`); dashboards holding their conversation see it.
    pub async fn set_details(
        &self,
        visitor: &shared::VisitorId,
        details: &crate::store::VisitorDetails,
        left_message: bool,
    ) -> StoreResult<()> {
        let after = self
            .store
            .set_details(visitor, details, left_message)
            .await?;
        if let Some(after) = after {
            self.publish(Event::Conversation {
                conversation: Box::new(after),
            })
            .await?;
        }
        Ok(())
    }

    /// Relays typing (never stored).
    pub async fn typing(
        &self,
        conversation: ConversationId,
        from: Party,
        agent: Option<shared::AgentPublic>,
        typing: bool,
        preview: Option<String>,
    ) -> StoreResult<()> {
        self.publish(Event::Typing {
            conversation,
            from,
            typing,
            agent,
            preview,
        })
        .await
    }

    /// Assigns what can be assigned and announces it. Also run every few
    /// seconds ([`crate::ws::liveness`]), so a conversation that waited out
    /// its language fallback is routed without waiting for another change.
    pub async fn drain(&self) -> StoreResult<()> {
        let now = now_millis();
        let made = self
            .metrics
            .timed("drain", self.store.drain_queue(now, self.fallback))
            .await?;
        if made.is_empty() {
            return Ok(());
        }
        self.metrics.assigned(made.len());
        for a in made {
            let agent = a.conversation.agent.as_ref().map(|a| a.id.clone());
            self.report(&a.conversation, Step::Assigned, agent.as_ref(), now);
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
        let now = now_millis();
        let summary = self.store.pick(conversation, agent, now).await?;
        self.report(&summary, Step::Assigned, Some(agent), now);
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
        self.report(&summary, Step::Resolved, Some(agent), now_millis());
        self.publish(Event::Conversation {
            conversation: Box::new(summary.clone()),
        })
        .await?;
        self.drain().await?;
        Ok(summary)
    }

    /// Hands a conversation to a colleague, a team or a supervisor (see
    /// [`Store::transfer`]), with an optional note for whoever takes it.
    /// Who may: its assignee, or a supervisor or admin who may see it (they
    /// may move any assigned conversation of their sites). The holder's
    /// freed slot takes the next in the queue.
    pub async fn transfer(
        &self,
        conversation: &ConversationId,
        by: &AgentRecord,
        to: &TransferTarget,
        note: Option<(ClientId, String)>,
    ) -> StoreResult<ConversationSummary> {
        let before = self
            .store
            .conversation(conversation)
            .await?
            .ok_or(StoreError::NotFound)?;
        if !crate::access::may_see(by, &before) {
            return Err(StoreError::Forbidden);
        }
        let oversees = matches!(by.role, Role::Supervisor | Role::Admin) && by.serves(&before.site);
        let from = (!oversees).then_some(&by.id);
        let now = now_millis();
        let after = self.store.transfer(conversation, from, to, now).await?;
        // Counted for whoever held it, in the team it was in.
        let holder = before.agent.as_ref().map(|a| a.id.clone());
        self.report(&before, Step::Transferred, holder.as_ref(), now);
        match &after.agent {
            Some(taker) => {
                let taker = taker.id.clone();
                self.report(&after, Step::Assigned, Some(&taker), now);
            }
            None => self.report(&after, Step::Requeued, None, now),
        }
        self.publish(Event::Conversation {
            conversation: Box::new(after.clone()),
        })
        .await?;
        if let Some((client_id, body)) = note {
            // Written after the move, so the receiver reads it with the
            // conversation; the writer may no longer see it, and that is
            // fine: they wrote it for someone else.
            let note = NewMessage {
                client_id,
                body,
                now,
            };
            let added = self.store.add_note(conversation, by, note).await?;
            if !added.duplicate {
                self.publish(Event::Note {
                    note: added.note,
                    conversation: Box::new(added.conversation),
                })
                .await?;
            }
        }
        self.publish(Event::QueueChanged).await?;
        self.drain().await?;
        Ok(after)
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
        let now = now_millis();
        for conversation in requeued {
            self.report(&conversation, Step::Requeued, None, now);
            self.publish(Event::Conversation {
                conversation: Box::new(conversation),
            })
            .await?;
        }
        self.publish(Event::QueueChanged).await?;
        self.drain().await?;
        Ok(n)
    }

    /// Every waiting conversation's place: one queue read and one read of
    /// each line's service times, for all of them.
    pub async fn queue_spots(&self) -> StoreResult<QueueSpots> {
        let entries = self.store.queue().await?;
        let mut served = HashMap::new();
        for entry in &entries {
            if let std::collections::hash_map::Entry::Vacant(slot) = served.entry(entry.key()) {
                let times = self.store.served(slot.key()).await?;
                slot.insert(times);
            }
        }
        Ok(queue::spots(&entries, &served, now_millis()))
    }

    /// One conversation's place, if it is queued.
    pub async fn queue_spot(
        &self,
        conversation: &ConversationId,
    ) -> StoreResult<Option<QueueSpot>> {
        let entries = self.store.queue().await?;
        let Some((_, key, position)) = queue::positions(&entries)
            .into_iter()
            .find(|(id, _, _)| id == conversation)
        else {
            return Ok(None);
        };
        let served = self.store.served(&key).await?;
        Ok(Some(QueueSpot {
            position,
            estimated_wait_secs: queue::estimate(position, &served, now_millis()),
        }))
    }

    async fn publish(&self, event: Event) -> StoreResult<()> {
        self.store.publish(event).await
    }
}

/// Per site: whether any enabled agent who serves it is online, and
/// whether it is offline at `now`.
pub async fn sites_online<S: Store + ?Sized>(
    store: &S,
    now: shared::Millis,
) -> StoreResult<HashMap<shared::SiteId, crate::hours::Availability>> {
    let mut online = Vec::new();
    for agent in store.list_agents().await? {
        if !agent.disabled && store.presence(&agent.id).await? == Presence::Online {
            online.push(agent);
        }
    }
    Ok(store
        .list_sites()
        .await?
        .into_iter()
        .map(|site| {
            let any = online.iter().any(|a| a.serves(&site.id));
            let availability = crate::hours::Availability::of(&site, any, now);
            (site.id, availability)
        })
        .collect())
}
