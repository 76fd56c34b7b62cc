//! The visitor socket: handshake (`hello`), sends, typing, and keeping the
//! widget in step with its conversation — messages in seq order exactly
//! once, queue position, assignment, status.

use super::driver::{send, send_or_close, Connection, Flow};
use super::frames::{check_send, decode, SendLimiter};
use super::hub::Handle;
use super::live;
use crate::error::default_message;
use crate::origin;
use crate::secrets;
use crate::store::{Event, Party, Site, StoreError, Visitor};
use crate::AppState;
use actix_web::web;
use actix_ws::Session;
use shared::{
    AgentPublic, ConversationId, ConversationStatus, ConversationSummary, ErrorCode, Seq,
    VisitorClientFrame, VisitorConversation, VisitorServerFrame,
};
use std::time::Instant;

const KNOWN: &[&str] = &["hello", "send", "typing"];
/// Messages replayed per store read.
const PAGE: usize = 500;

/// One visitor connection.
pub struct VisitorConnection {
    state: web::Data<AppState>,
    session: Session,
    /// `Origin` header of the upgrade request, if any.
    http_origin: Option<String>,
    greeted: Option<Greeted>,
    limiter: SendLimiter,
    /// Tells the hub which events this socket needs.
    events: Handle,
}

struct Greeted {
    visitor: Visitor,
    conversation: Option<ConversationId>,
    /// Highest seq this client holds: everything up to it was sent or the
    /// client said it had it.
    last_sent: Seq,
    status: Option<ConversationStatus>,
    agent: Option<AgentPublic>,
    position: Option<u32>,
}

impl VisitorConnection {
    /// A new connection, before `hello`.
    pub fn new(
        state: web::Data<AppState>,
        session: Session,
        http_origin: Option<String>,
        events: Handle,
    ) -> Self {
        let limiter = SendLimiter::new(Instant::now(), state.config.send_rate);
        Self {
            state,
            session,
            http_origin,
            greeted: None,
            limiter,
            events,
        }
    }

    async fn error(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        client_id: Option<shared::ClientId>,
    ) -> Flow {
        let frame = VisitorServerFrame::Error {
            code,
            message: message.into(),
            client_id,
        };
        send_or_close(&mut self.session, &frame).await
    }

    async fn store_error(&mut self, e: StoreError, client_id: Option<shared::ClientId>) -> Flow {
        let api = crate::error::ApiError::from(e);
        self.error(api.code, api.message, client_id).await
    }

    /// Whether a browser page at these origins may use this site.
    fn origin_allowed(&self, site: &Site, claimed: Option<&str>) -> bool {
        let own = self.state.public_origin();
        let header_ok = match self.http_origin.as_deref() {
            // The iframe is served from our own origin; a page embedding a
            // custom client talks to us directly from its own origin.
            Some(h) => {
                origin::normalize(h).as_deref() == Some(own.as_str())
                    || origin::allowed(&site.allowed_origins, h)
            }
            // Not a browser (apps, load tests): the site key is the check.
            None => true,
        };
        let claimed_ok = claimed.is_none_or(|c| origin::allowed(&site.allowed_origins, c));
        header_ok && claimed_ok
    }

    async fn hello(
        &mut self,
        site_key: String,
        token: Option<String>,
        last_seq: Seq,
        claimed_origin: Option<String>,
        locale: Option<String>,
    ) -> Flow {
        if self.greeted.is_some() {
            return self
                .error(
                    ErrorCode::AlreadyGreeted,
                    default_message(ErrorCode::AlreadyGreeted),
                    None,
                )
                .await;
        }
        let site = match self.state.store.site_by_key(&site_key).await {
            Ok(Some(site)) => site,
            Ok(None) => {
                self.error(
                    ErrorCode::UnknownSite,
                    default_message(ErrorCode::UnknownSite),
                    None,
                )
                .await;
                return Flow::policy(ErrorCode::UnknownSite.as_str());
            }
            Err(e) => return self.store_error(e, None).await,
        };
        if !self.origin_allowed(&site, claimed_origin.as_deref()) {
            self.error(
                ErrorCode::OriginNotAllowed,
                default_message(ErrorCode::OriginNotAllowed),
                None,
            )
            .await;
            return Flow::policy(ErrorCode::OriginNotAllowed.as_str());
        }
        let known = match &token {
            Some(t) => match self
                .state
                .store
                .visitor_by_token(&secrets::token_hash(t))
                .await
            {
                // A token is only good on the site that issued it.
                Ok(v) => v.filter(|v| v.site == site.id).map(|v| (t.clone(), v)),
                Err(e) => return self.store_error(e, None).await,
            },
            None => None,
        };
        let (token, visitor, last_seq) = match known {
            Some((token, visitor)) => (token, visitor, last_seq),
            None => {
                let token = secrets::new_token("vt");
                let locale = locale.map(|l| l.chars().take(35).collect());
                let claimed = claimed_origin.and_then(|o| origin::normalize(&o));
                match self
                    .state
                    .store
                    .create_visitor(&secrets::token_hash(&token), &site.id, locale, claimed)
                    .await
                {
                    // A new visitor holds nothing, whatever the client claimed.
                    Ok(v) => (token, v, 0),
                    Err(e) => return self.store_error(e, None).await,
                }
            }
        };
        // Hear of the site's deletion, and follow first, then read: nothing
        // falls between the two.
        self.events.site(&site.id);
        if let Some(id) = &visitor.conversation {
            self.events.follow(id);
        }
        let summary = match &visitor.conversation {
            Some(id) => match self.state.store.conversation(id).await {
                Ok(c) => c,
                Err(e) => return self.store_error(e, None).await,
            },
            None => None,
        };
        let queued = summary
            .as_ref()
            .is_some_and(|c| c.status == ConversationStatus::Queued);
        self.events.waiting(queued);
        let position = match &summary {
            Some(c) if c.status == ConversationStatus::Queued => self
                .state
                .routing
                .queue_position(&c.id)
                .await
                .ok()
                .flatten(),
            _ => None,
        };
        let welcome = VisitorServerFrame::Welcome {
            token,
            conversation: summary.as_ref().map(|c| VisitorConversation {
                id: c.id.clone(),
                status: c.status,
                agent: c.agent.clone(),
                queue_position: position,
                last_seq: c.last_seq,
            }),
        };
        self.greeted = Some(Greeted {
            visitor,
            conversation: summary.as_ref().map(|c| c.id.clone()),
            last_sent: last_seq.min(summary.as_ref().map_or(0, |c| c.last_seq)),
            status: summary.as_ref().map(|c| c.status),
            agent: summary.as_ref().and_then(|c| c.agent.clone()),
            position,
        });
        if let Flow::Close(r) = send_or_close(&mut self.session, &welcome).await {
            return Flow::Close(r);
        }
        self.catch_up().await
    }

    /// Sends every message after the last one sent, in order.
    async fn catch_up(&mut self) -> Flow {
        let Some(g) = self.greeted.as_mut() else {
            return Flow::Continue;
        };
        let Some(conv) = g.conversation.clone() else {
            return Flow::Continue;
        };
        loop {
            let page = match self
                .state
                .store
                .messages_after(&conv, g.last_sent, PAGE)
                .await
            {
                Ok(page) => page,
                Err(e) => {
                    tracing::warn!(error = %e, "replay failed");
                    return Flow::Continue;
                }
            };
            let done = page.len() < PAGE;
            for message in page {
                g.last_sent = message.seq;
                if send(&mut self.session, &VisitorServerFrame::Message { message })
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

    /// A new message in my conversation, from an event.
    async fn live_message(&mut self, message: shared::ChatMessage) -> Flow {
        let Some(g) = self.greeted.as_mut() else {
            return Flow::Continue;
        };
        match live::step(g.last_sent, message.seq) {
            live::Step::Skip => Flow::Continue,
            live::Step::CatchUp => self.catch_up().await,
            live::Step::Send => {
                g.last_sent = message.seq;
                send_or_close(&mut self.session, &VisitorServerFrame::Message { message }).await
            }
        }
    }

    async fn send_message(&mut self, client_id: shared::ClientId, body: String) -> Flow {
        let Some(g) = self.greeted.as_ref() else {
            return self
                .error(
                    ErrorCode::HelloRequired,
                    default_message(ErrorCode::HelloRequired),
                    Some(client_id),
                )
                .await;
        };
        if let Err(code) = check_send(&client_id, &body) {
            return self
                .error(code, default_message(code), Some(client_id))
                .await;
        }
        if !self.limiter.allow(Instant::now()) {
            return self
                .error(
                    ErrorCode::RateLimited,
                    default_message(ErrorCode::RateLimited),
                    Some(client_id),
                )
                .await;
        }
        let visitor = g.visitor.id.clone();
        let out = match self
            .state
            .routing
            .visitor_message(&visitor, client_id.clone(), body)
            .await
        {
            Ok(out) => out,
            Err(e) => return self.store_error(e, Some(client_id)).await,
        };
        let first = self
            .greeted
            .as_ref()
            .is_some_and(|g| g.conversation.is_none());
        if first {
            self.events.follow(&out.conversation.id);
            if let Some(g) = self.greeted.as_mut() {
                g.conversation = Some(out.conversation.id.clone());
            }
        }
        // The message itself first (so seqs reach the client in order),
        // then the ack, then any change the send made (queued, assigned).
        // A send into a conversation this socket already follows has the
        // stored message in hand: no store read unless there is a gap.
        let shown = if first {
            self.catch_up().await
        } else {
            self.live_message(out.appended.message.clone()).await
        };
        if let Flow::Close(r) = shown {
            return Flow::Close(r);
        }
        let ack = VisitorServerFrame::Ack {
            client_id,
            conversation: out.conversation.id.clone(),
            seq: out.appended.message.seq,
            sent_at: out.appended.message.sent_at,
        };
        if let Flow::Close(r) = send_or_close(&mut self.session, &ack).await {
            return Flow::Close(r);
        }
        // Only a send that opened or reopened the conversation changes its
        // status here; later changes arrive as events.
        if first || out.entered_queue {
            self.refresh().await
        } else {
            Flow::Continue
        }
    }

    /// Re-reads the conversation and tells the client what changed.
    async fn refresh(&mut self) -> Flow {
        let Some(conv) = self.greeted.as_ref().and_then(|g| g.conversation.clone()) else {
            return Flow::Continue;
        };
        match self.state.store.conversation(&conv).await {
            Ok(Some(summary)) => self.apply(summary).await,
            Ok(None) => Flow::Continue,
            Err(e) => self.store_error(e, None).await,
        }
    }

    async fn apply(&mut self, summary: ConversationSummary) -> Flow {
        // Hear queue changes before reading the position, not after.
        self.events
            .waiting(summary.status == ConversationStatus::Queued);
        let position = if summary.status == ConversationStatus::Queued {
            self.state
                .routing
                .queue_position(&summary.id)
                .await
                .ok()
                .flatten()
        } else {
            None
        };
        let Some(g) = self.greeted.as_mut() else {
            return Flow::Continue;
        };
        let mut frames = Vec::new();
        if g.status != Some(summary.status) {
            match (summary.status, &summary.agent) {
                (ConversationStatus::Assigned, Some(agent)) => {
                    frames.push(VisitorServerFrame::Assigned {
                        agent: agent.clone(),
                    })
                }
                (status, _) => frames.push(VisitorServerFrame::Status { status }),
            }
        } else if summary.status == ConversationStatus::Assigned && summary.agent != g.agent {
            if let Some(agent) = &summary.agent {
                frames.push(VisitorServerFrame::Assigned {
                    agent: agent.clone(),
                });
            }
        }
        if let Some(p) = position {
            if g.position != Some(p) {
                frames.push(VisitorServerFrame::Queue { position: p });
            }
        }
        g.status = Some(summary.status);
        g.agent = summary.agent;
        g.position = position;
        for f in frames {
            if let Flow::Close(r) = send_or_close(&mut self.session, &f).await {
                return Flow::Close(r);
            }
        }
        Flow::Continue
    }

    fn my_conversation(&self) -> Option<&ConversationId> {
        self.greeted.as_ref().and_then(|g| g.conversation.as_ref())
    }
}

impl Connection for VisitorConnection {
    fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    fn error_frame(&self, code: ErrorCode, message: String) -> String {
        serde_json::to_string(&VisitorServerFrame::Error {
            code,
            message,
            client_id: None,
        })
        .unwrap_or_default()
    }

    async fn on_text(&mut self, text: &str) -> Flow {
        let frame = match decode::<VisitorClientFrame>(text, KNOWN) {
            Ok(f) => f,
            Err(r) => return self.error(r.code, r.message, None).await,
        };
        match frame {
            VisitorClientFrame::Hello {
                site,
                token,
                last_seq,
                origin,
                locale,
            } => self.hello(site, token, last_seq, origin, locale).await,
            VisitorClientFrame::Send { client_id, body } => {
                self.send_message(client_id, body).await
            }
            VisitorClientFrame::Typing { typing } => {
                if self.greeted.is_none() {
                    return self
                        .error(
                            ErrorCode::HelloRequired,
                            default_message(ErrorCode::HelloRequired),
                            None,
                        )
                        .await;
                }
                if let Some(conv) = self.my_conversation().cloned() {
                    if let Err(e) = self
                        .state
                        .routing
                        .typing(conv, Party::Visitor, typing)
                        .await
                    {
                        return self.store_error(e, None).await;
                    }
                }
                Flow::Continue
            }
        }
    }

    async fn on_event(&mut self, event: Event) -> Flow {
        if let Event::SiteDeleted { site } = &event {
            if self
                .greeted
                .as_ref()
                .is_some_and(|g| &g.visitor.site == site)
            {
                let code = ErrorCode::UnknownSite;
                let _ = self.error(code, "This site was deleted.", None).await;
                return Flow::policy(code.as_str());
            }
            return Flow::Continue;
        }
        let Some(mine) = self.my_conversation().cloned() else {
            return Flow::Continue;
        };
        match event {
            Event::Message { message } if message.conversation == mine => {
                self.live_message(message).await
            }
            Event::Typing {
                conversation,
                from: Party::Agent,
                typing,
            } if conversation == mine => {
                send_or_close(&mut self.session, &VisitorServerFrame::Typing { typing }).await
            }
            // The event is only a trigger: by the time it arrives this
            // connection may already have read a newer state (its own send
            // routed the conversation), and replaying the older snapshot
            // would flap queued/assigned in front of the visitor.
            Event::Conversation { conversation } if conversation.id == mine => self.refresh().await,
            Event::QueueChanged
                if self
                    .greeted
                    .as_ref()
                    .is_some_and(|g| g.status == Some(ConversationStatus::Queued)) =>
            {
                self.refresh().await
            }
            _ => Flow::Continue,
        }
    }

    async fn on_lag(&mut self) -> Flow {
        if let Flow::Close(r) = self.catch_up().await {
            return Flow::Close(r);
        }
        self.refresh().await
    }
}
