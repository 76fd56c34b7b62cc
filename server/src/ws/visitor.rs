//! The visitor socket: handshake (`hello`), sends, typing, and keeping the
//! widget in step with its conversation — messages in seq order exactly
//! once, queue position, assignment, status.

use super::driver::{send, send_or_close, Connection, Flow};
use super::frames::{check_send, SendLimiter};
use super::hub::Handle;
use super::identify;
use super::live;
use super::pages;
use crate::clock::now_millis;
use crate::config::SendRate;
use crate::error::default_message;
use crate::hours::Availability;
use crate::metrics::Socket;
use crate::origin;
use crate::routing::queue::{QueueSpot, QueueSpots};
use crate::secrets;
use crate::store::{Event, Mark, PageVisit, Party, Site, StoreError, Visitor, VisitorDetails};
use crate::AppState;
use actix_web::web;
use actix_ws::Session;
use shared::{
    AgentPublic, ConversationId, ConversationStatus, ConversationSummary, ErrorCode, Seq, SiteId,
    VisitorClientFrame, VisitorConversation, VisitorId, VisitorServerFrame,
};
use std::net::IpAddr;
use std::time::Instant;

const KNOWN: &[&str] = &[
    "hello",
    "send",
    "typing",
    "page",
    "read",
    "rate",
    "contact",
    "prechat",
    "attributes",
    "callback",
    "cancel_callback",
    "transcript",
    "help",
    "article",
];
/// Messages replayed per store read.
const PAGE: usize = 500;

/// Conversations one connection may have mailed (each goes to an address
/// the visitor types: a cap keeps the widget from being a mail cannon).
const TRANSCRIPTS_PER_CONNECTION: u8 = 3;
/// Messages a mailed conversation carries at most (the latest ones).
const TRANSCRIPT_MESSAGES: usize = 2_000;

/// Typing frames a visitor may send at once, and per second after that;
/// more are dropped (each one reaches the dashboards holding the
/// conversation). Room for a typing preview every
/// [`PREVIEW_EVERY_MS`](shared::limits::PREVIEW_EVERY_MS).
const TYPING: SendRate = SendRate {
    burst: 4,
    per_second: 2,
};

/// Page views a visitor may report at once, and per second after that;
/// more are dropped (each is a store write and reaches every agent).
const PAGES: SendRate = SendRate {
    burst: 5,
    per_second: 1,
};

/// One visitor connection.
pub struct VisitorConnection {
    state: web::Data<AppState>,
    session: Session,
    /// `Origin` header of the upgrade request, if any.
    http_origin: Option<String>,
    /// The client's address (new visitors per address are limited).
    client: IpAddr,
    greeted: Option<Greeted>,
    limiter: SendLimiter,
    typing_limiter: SendLimiter,
    page_limiter: SendLimiter,
    /// The browser's User-Agent, kept with the pages it views.
    user_agent: Option<String>,
    /// Tells the hub which events this socket needs.
    events: Handle,
    /// Conversations mailed on this connection.
    transcripts: u8,
    /// Help searches and articles read (boxed: most connections never
    /// ask, and every byte here is held by every idle connection).
    help: Option<Box<super::help::Reading>>,
}

/// Who said hello. The visitor record is created at their first message:
/// a widget that only loads and never writes costs no storage.
struct Greeted {
    /// Hash of the token the client holds.
    token_hash: String,
    /// The site they said hello to.
    site: SiteId,
    /// What the record will say, once created.
    locale: Option<String>,
    origin: Option<String>,
    /// `None` until the first message.
    visitor: Option<Visitor>,
    conversation: Option<ConversationId>,
    /// Highest seq this client holds: everything up to it was sent or the
    /// client said it had it.
    last_sent: Seq,
    status: Option<ConversationStatus>,
    agent: Option<AgentPublic>,
    /// Place in the queue last told to the client.
    spot: Option<QueueSpot>,
    /// How far the agent has read, as last told to the client.
    agent_read: Seq,
    /// How far the agent's dashboard has received, as last told.
    agent_delivered: Seq,
    /// Pages viewed before the visitor record exists (stored with it at
    /// the first message), oldest first.
    unsaved_pages: Vec<PageVisit>,
    /// The proactive message the widget greeted the visitor with: noted on
    /// the conversation at their next message (boxed, like `unsaved`).
    greeted_by: Option<Box<str>>,
    /// What the page said before the record exists; boxed, as most
    /// visitors have none and every byte here is held by every idle
    /// connection's task.
    unsaved: Option<Box<Unsaved>>,
}

/// What the page said of a visitor with no record yet, stored with it at
/// the first message.
#[derive(Default)]
struct Unsaved {
    /// The user a signed identity proved, to bind the record to.
    user_id: Option<String>,
    /// The identity's name and email, the page's attributes.
    details: VisitorDetails,
}

impl VisitorConnection {
    /// The draft to show agents: only while typing, only when the site
    /// has its typing preview on now (read from the store, so switching
    /// it off stops previews at once, open widgets included), and at most
    /// its last [`MAX_PREVIEW_CHARS`](shared::limits::MAX_PREVIEW_CHARS)
    /// characters. Never stored.
    async fn allowed_preview(
        &self,
        typing: bool,
        preview: Option<String>,
    ) -> Result<Option<String>, StoreError> {
        let Some(text) = preview.filter(|p| typing && !p.trim().is_empty()) else {
            return Ok(None);
        };
        let Some(g) = self.greeted.as_ref() else {
            return Ok(None);
        };
        let on = self
            .state
            .store
            .site(&g.site)
            .await?
            .is_some_and(|s| s.typing_preview);
        if !on {
            return Ok(None);
        }
        let n = text.chars().count();
        let keep = shared::limits::MAX_PREVIEW_CHARS;
        Ok(Some(if n > keep {
            text.chars().skip(n - keep).collect()
        } else {
            text
        }))
    }

    /// A new connection from `client`, before `hello`.
    pub fn new(
        state: web::Data<AppState>,
        session: Session,
        http_origin: Option<String>,
        client: IpAddr,
        events: Handle,
    ) -> Self {
        let now = Instant::now();
        let limiter = SendLimiter::new(now, state.config.send_rate);
        Self {
            state,
            session,
            http_origin,
            client,
            greeted: None,
            limiter,
            typing_limiter: SendLimiter::new(now, TYPING),
            page_limiter: SendLimiter::new(now, PAGES),
            user_agent: None,
            events,
            transcripts: 0,
            help: None,
        }
    }

    /// The browser's User-Agent, from the upgrade request.
    pub fn with_user_agent(mut self, user_agent: Option<String>) -> Self {
        self.user_agent = user_agent;
        self
    }

    /// A `page` frame: stored with the visitor (or held until they have a
    /// record), and announced to the agents who may see their chat.
    async fn page(
        &mut self,
        url: String,
        title: Option<String>,
        referrer: Option<String>,
        time_zone: Option<String>,
    ) -> Flow {
        let Some(g) = self.greeted.as_mut() else {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        };
        let visit = match pages::page_visit(
            &url,
            title.as_deref(),
            referrer.as_deref(),
            time_zone.as_deref(),
            self.user_agent.as_deref(),
            now_millis(),
        ) {
            Ok(v) => v,
            Err(why) => return self.error(ErrorCode::BadRequest, why, None).await,
        };
        // A hint like typing: over the limit it is dropped, not refused.
        if !self.page_limiter.allow(Instant::now()) {
            return Flow::Continue;
        }
        let Some(visitor) = g.visitor.as_ref().map(|v| v.id.clone()) else {
            if g.unsaved_pages.len() >= crate::store::PAGES_KEPT {
                g.unsaved_pages.remove(0);
            }
            g.unsaved_pages.push(visit);
            return Flow::Continue;
        };
        if let Err(e) = self.state.store.page_viewed(&visitor, visit).await {
            return self.store_error(e, None).await;
        }
        self.announce_activity().await
    }

    /// Tells the agents who may see this visitor's conversation that its
    /// context changed.
    async fn announce_activity(&mut self) -> Flow {
        let Some(conv) = self.my_conversation().cloned() else {
            return Flow::Continue;
        };
        let published = match self.state.store.conversation(&conv).await {
            Ok(Some(summary)) => {
                let event = Event::Activity {
                    conversation: Box::new(summary),
                };
                self.state.store.publish(event).await
            }
            Ok(None) => Ok(()),
            Err(e) => Err(e),
        };
        match published {
            Ok(()) => Flow::Continue,
            Err(e) => self.store_error(e, None).await,
        }
    }

    async fn error(
        &mut self,
        code: ErrorCode,
        message: impl Into<String>,
        client_id: Option<shared::ClientId>,
    ) -> Flow {
        self.state.metrics.rejected(Socket::Visitor, code);
        let frame = VisitorServerFrame::Error {
            code,
            message: message.into(),
            client_id,
        };
        send_or_close(&mut self.session, &frame).await
    }

    /// The satisfaction survey's answer (see `Store::rate`).
    async fn rate(&mut self, score: u8, comment: Option<String>, nps: Option<u8>) -> Flow {
        let Some(site) = self.greeted.as_ref().map(|g| g.site.clone()) else {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        };
        let Some(conv) = self.my_conversation().cloned() else {
            let code = ErrorCode::NotResolved;
            return self.error(code, default_message(code), None).await;
        };
        // Read at each answer, like the typing preview: the console's
        // switch applies at once.
        let nps_asked = match self.state.store.site(&site).await {
            Ok(s) => s.is_some_and(|s| s.survey_nps),
            Err(e) => return self.store_error(e, None).await,
        };
        let rating = match super::frames::check_rating(score, comment, nps, nps_asked, now_millis())
        {
            Ok(r) => r,
            Err(r) => return self.error(r.code, r.message, None).await,
        };
        // A store write like a send: the same flood guard.
        if !self.limiter.allow(Instant::now()) {
            let code = ErrorCode::RateLimited;
            return self.error(code, default_message(code), None).await;
        }
        match self.state.routing.rate(&conv, rating).await {
            Ok(after) => match after.rating {
                Some(rating) => {
                    self.state.metrics.rated(rating.score);
                    send_or_close(&mut self.session, &VisitorServerFrame::Rated { rating }).await
                }
                None => Flow::Continue,
            },
            Err(e) => self.store_error(e, None).await,
        }
    }

    /// The leave-a-message form's name and email (see `Store::set_details`):
    /// while the site is offline their conversation is marked so agents'
    /// replies are mailed to them.
    async fn contact(&mut self, contact: shared::Contact) -> Flow {
        let Some(site) = self.greeted.as_ref().map(|g| g.site.clone()) else {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        };
        let contact = match super::frames::check_contact(contact) {
            Ok(c) => c,
            Err(r) => return self.error(r.code, r.message, None).await,
        };
        let visitor = match self.visitor_for_write().await {
            Ok(id) => id,
            Err(flow) => return flow,
        };
        // Read now, not from the widget's word: a form sent just as the
        // team came back leaves an ordinary live chat.
        let offline = match self.state.store.site(&site).await {
            Ok(Some(s)) => {
                let online = self
                    .state
                    .hub
                    .site_online(&site)
                    .is_none_or(|a| a.agents_online);
                Availability::of(&s, online, now_millis()).offline.is_some()
            }
            Ok(None) => false,
            Err(e) => return self.store_error(e, None).await,
        };
        if let Err(e) = self
            .state
            .routing
            .set_details(&visitor, &VisitorDetails::from(&contact), offline)
            .await
        {
            return self.store_error(e, None).await;
        }
        if let Some(v) = self.greeted.as_mut().and_then(|g| g.visitor.as_mut()) {
            v.contact = Some(contact.clone());
        }
        send_or_close(
            &mut self.session,
            &VisitorServerFrame::ContactSaved { contact },
        )
        .await
    }

    /// A callback request (see [`crate::callbacks`]): on sites that offer
    /// them, one open at a time; the widget is told where it stands.
    async fn callback(&mut self, request: shared::callback::CallbackRequest) -> Flow {
        use shared::callback::CallbackProblem;
        let Some((site, locale)) = self
            .greeted
            .as_ref()
            .map(|g| (g.site.clone(), g.locale.clone()))
        else {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        };
        let form = match request.check() {
            Ok(f) => f,
            Err(CallbackProblem::Phone) => {
                let code = ErrorCode::InvalidPhone;
                return self.error(code, default_message(code), None).await;
            }
            Err(CallbackProblem::Note) => {
                let why = format!(
                    "The note is longer than {} characters.",
                    shared::callback::MAX_CALLBACK_NOTE_CHARS
                );
                return self.error(ErrorCode::BadRequest, why, None).await;
            }
            Err(CallbackProblem::Name) => {
                let why = "The name must be one line of at most 100 characters.";
                return self.error(ErrorCode::BadRequest, why, None).await;
            }
        };
        // Read now, like the survey's switch: turning callbacks off in the
        // console stops new requests at once.
        match self.state.store.site(&site).await {
            Ok(Some(s)) if s.callback_after_mins.is_some() => {}
            Ok(_) => {
                let code = ErrorCode::CallbacksOff;
                return self.error(code, default_message(code), None).await;
            }
            Err(e) => return self.store_error(e, None).await,
        }
        let visitor = match self.visitor_for_write().await {
            Ok(id) => id,
            Err(flow) => return flow,
        };
        let time_zone = match self.state.store.visitor_activity(&visitor).await {
            Ok(a) => a.and_then(|a| a.time_zone),
            Err(e) => return self.store_error(e, None).await,
        };
        let known_name = self
            .greeted
            .as_ref()
            .and_then(|g| g.visitor.as_ref())
            .and_then(|v| v.contact.as_ref().and_then(|c| c.name.clone()));
        let asker = crate::callbacks::Asker {
            site,
            visitor: visitor.clone(),
            conversation: self.my_conversation().cloned(),
            known_name,
            time_zone,
            locale,
        };
        match crate::callbacks::request(&*self.state.store, asker, form).await {
            // A socket that follows the request's conversation hears of it
            // through the event, like every later change; answering here
            // too would send it twice, in either order.
            Ok(c)
                if c.conversation.is_some()
                    && c.conversation.as_ref() == self.my_conversation() =>
            {
                Flow::Continue
            }
            Ok(c) => self.send_callback(&c).await,
            Err(StoreError::Refused(code)) => {
                // Already asked: say so, and show the one that stands.
                if let Flow::Close(r) = self.error(code, default_message(code), None).await {
                    return Flow::Close(r);
                }
                match self.state.store.visitor_callbacks(&visitor, 1).await {
                    Ok(latest) => match latest.first() {
                        Some(c) => self.send_callback(c).await,
                        None => Flow::Continue,
                    },
                    Err(e) => self.store_error(e, None).await,
                }
            }
            Err(e) => self.store_error(e, None).await,
        }
    }

    /// Mails the conversation to `email` (see [`crate::mail::transcript`]),
    /// once an agent has written in it: a conversation of the visitor's
    /// own words only would let anyone mail anything to anyone.
    async fn transcript(&mut self, email: String) -> Flow {
        let Some(site) = self.greeted.as_ref().map(|g| g.site.clone()) else {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        };
        let Some(mailer) = self.state.routing.mailer().cloned() else {
            let code = ErrorCode::MailOff;
            return self.error(code, default_message(code), None).await;
        };
        let checked = super::frames::check_contact(shared::Contact { name: None, email });
        let to = match checked {
            Ok(c) => c.email,
            Err(r) => return self.error(r.code, r.message, None).await,
        };
        if self.transcripts >= TRANSCRIPTS_PER_CONNECTION || !self.limiter.allow(Instant::now()) {
            let code = ErrorCode::RateLimited;
            return self.error(code, default_message(code), None).await;
        }
        let Some(conv) = self.my_conversation().cloned() else {
            let why = "There is no conversation to mail yet.";
            return self.error(ErrorCode::BadRequest, why, None).await;
        };
        let messages = match self.transcript_messages(&conv).await {
            Ok(m) => m,
            Err(e) => return self.store_error(e, None).await,
        };
        if !messages
            .iter()
            .any(|m| matches!(m.author, shared::Author::Agent { .. }))
        {
            let why = "The conversation can be mailed once someone of the team has replied.";
            return self.error(ErrorCode::BadRequest, why, None).await;
        }
        let site_name = match self.state.store.site(&site).await {
            Ok(s) => s.map(|s| s.name).unwrap_or_default(),
            Err(e) => return self.store_error(e, None).await,
        };
        let (visitor, locale, visitor_name) = match self.greeted.as_ref() {
            Some(g) => (
                g.visitor.as_ref().map(|v| v.id.clone()),
                g.locale.clone(),
                g.visitor
                    .as_ref()
                    .and_then(|v| v.contact.as_ref().and_then(|c| c.name.clone())),
            ),
            None => (None, None, None),
        };
        let time_zone = match visitor {
            Some(v) => match self.state.store.visitor_activity(&v).await {
                Ok(a) => a.and_then(|a| a.time_zone),
                Err(e) => return self.store_error(e, None).await,
            },
            None => None,
        };
        let queued = mailer.send_transcript(crate::mail::transcript::Transcript {
            to: to.clone(),
            visitor_name,
            locale,
            time_zone,
            site: site_name,
            messages,
        });
        if !queued {
            let code = ErrorCode::Unavailable;
            return self.error(code, default_message(code), None).await;
        }
        self.transcripts += 1;
        send_or_close(
            &mut self.session,
            &VisitorServerFrame::TranscriptSent { email: to },
        )
        .await
    }

    /// The conversation's latest messages, oldest first, for a transcript.
    async fn transcript_messages(
        &self,
        conv: &ConversationId,
    ) -> Result<Vec<shared::ChatMessage>, StoreError> {
        let mut all: Vec<shared::ChatMessage> = Vec::new();
        loop {
            let after = all.last().map_or(0, |m| m.seq);
            let page = self.state.store.messages_after(conv, after, PAGE).await?;
            let done = page.len() < PAGE;
            all.extend(page);
            if all.len() > TRANSCRIPT_MESSAGES {
                all.drain(..all.len() - TRANSCRIPT_MESSAGES);
            }
            if done {
                return Ok(all);
            }
        }
    }

    /// The visitor takes back their open callback request; told like any
    /// change to it (see [`Self::callback`]).
    async fn cancel_callback(&mut self) -> Flow {
        if self.greeted.is_none() {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        }
        let none = "You have no open callback request.";
        // Only a visitor with a record can have asked.
        let Some(visitor) = self
            .greeted
            .as_ref()
            .and_then(|g| g.visitor.as_ref())
            .map(|v| v.id.clone())
        else {
            return self.error(ErrorCode::NotFound, none, None).await;
        };
        let latest = match self.state.store.visitor_callbacks(&visitor, 1).await {
            Ok(latest) => latest,
            Err(e) => return self.store_error(e, None).await,
        };
        let Some(open) = latest.into_iter().next().filter(|c| c.status.is_open()) else {
            return self.error(ErrorCode::NotFound, none, None).await;
        };
        let cancel = crate::callbacks::Change::Cancel;
        match crate::callbacks::change(&*self.state.store, &open.id, cancel).await {
            Ok(c)
                if c.conversation.is_some()
                    && c.conversation.as_ref() == self.my_conversation() =>
            {
                Flow::Continue
            }
            Ok(c) => self.send_callback(&c).await,
            Err(StoreError::Refused(code)) => {
                // Called meanwhile: say so, and show where it stands.
                if let Flow::Close(r) = self.error(code, default_message(code), None).await {
                    return Flow::Close(r);
                }
                match self.state.store.callback(&open.id).await {
                    Ok(Some(now)) => self.send_callback(&now).await,
                    Ok(None) => Flow::Continue,
                    Err(e) => self.store_error(e, None).await,
                }
            }
            Err(e) => self.store_error(e, None).await,
        }
    }

    async fn send_callback(&mut self, callback: &shared::callback::Callback) -> Flow {
        let frame = VisitorServerFrame::Callback {
            callback: Box::new(callback.into()),
        };
        send_or_close(&mut self.session, &frame).await
    }

    /// The pre-chat form's answers, checked against the site's form as it
    /// is now, kept on the visitor before their first message (so the
    /// conversation reaches agents with them).
    async fn prechat(&mut self, answers: std::collections::BTreeMap<String, String>) -> Flow {
        let Some(site) = self.greeted.as_ref().map(|g| g.site.clone()) else {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        };
        let form = match self.state.store.site(&site).await {
            Ok(s) => s.and_then(|s| s.prechat).unwrap_or_default(),
            Err(e) => return self.store_error(e, None).await,
        };
        let details = match super::frames::check_prechat(&form, &answers) {
            Ok(d) => d,
            Err(r) => return self.error(r.code, r.message, None).await,
        };
        let visitor = match self.visitor_for_write().await {
            Ok(id) => id,
            Err(flow) => return flow,
        };
        if let Err(e) = self
            .state
            .routing
            .set_details(&visitor, &details, false)
            .await
        {
            return self.store_error(e, None).await;
        }
        send_or_close(&mut self.session, &VisitorServerFrame::PrechatSaved).await
    }

    /// How far the widget has the conversation (`delivered`) or showed it
    /// (`read`): the agent sees "Delivered" / "Seen".
    async fn mark(&mut self, mark: Mark, seq: Seq) -> Flow {
        if self.greeted.is_none() {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        }
        // Nothing to have received before there is a conversation.
        let Some(conv) = self.my_conversation().cloned() else {
            return Flow::Continue;
        };
        match self
            .state
            .routing
            .mark(&conv, Party::Visitor, mark, seq)
            .await
        {
            Ok(()) => Flow::Continue,
            Err(e) => self.store_error(e, None).await,
        }
    }

    /// The page's attributes (`Ahlan.setAttributes`): stored on the
    /// visitor's record, or kept until their first message makes one (a
    /// widget that never writes costs no storage).
    async fn attributes(&mut self, attributes: std::collections::BTreeMap<String, String>) -> Flow {
        if self.greeted.is_none() {
            let code = ErrorCode::HelloRequired;
            return self.error(code, default_message(code), None).await;
        }
        let attributes = match super::frames::check_attributes(&attributes) {
            Ok(a) => a,
            Err(r) => return self.error(r.code, r.message, None).await,
        };
        // Flood guard: the same bucket as details written by forms.
        if !self.limiter.allow(Instant::now()) {
            let code = ErrorCode::RateLimited;
            return self.error(code, default_message(code), None).await;
        }
        let details = VisitorDetails {
            attributes,
            ..VisitorDetails::default()
        };
        let Some(g) = self.greeted.as_mut() else {
            return Flow::Continue;
        };
        let Some(v) = g.visitor.clone() else {
            g.unsaved
                .get_or_insert_with(Box::default)
                .details
                .attributes
                .extend(details.attributes);
            return Flow::Continue;
        };
        if !identify::changes(&v, &details) {
            return Flow::Continue;
        }
        if let Err(e) = self.state.routing.set_details(&v.id, &details, false).await {
            return self.store_error(e, None).await;
        }
        if let Some(kept) = self.greeted.as_mut().and_then(|g| g.visitor.as_mut()) {
            kept.attributes.extend(details.attributes);
        }
        Flow::Continue
    }

    /// The visitor's id for a form's store write (created at need), past
    /// the same flood guard as a send; the error already told otherwise.
    async fn visitor_for_write(&mut self) -> Result<VisitorId, Flow> {
        if !self.limiter.allow(Instant::now()) {
            let code = ErrorCode::RateLimited;
            return Err(self.error(code, default_message(code), None).await);
        }
        match self.visitor_record().await {
            Ok(id) => Ok(id),
            Err(Ok(code)) => Err(self.error(code, default_message(code), None).await),
            Err(Err(e)) => Err(self.store_error(e, None).await),
        }
    }

    async fn store_error(&mut self, e: StoreError, client_id: Option<shared::ClientId>) -> Flow {
        if matches!(e, StoreError::Unavailable(_)) {
            self.state.metrics.store_error(Socket::Visitor);
        }
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

    // The hello frame's fields, as sent: a struct of them would only
    // repeat the frame.
    #[allow(clippy::too_many_arguments)]
    async fn hello(
        &mut self,
        site_key: String,
        token: Option<String>,
        last_seq: Seq,
        claimed_origin: Option<String>,
        locale: Option<String>,
        identity: Option<Box<shared::Identity>>,
        proactive: Option<Box<shared::proactive::ProactiveShown>>,
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
        // Boxed: its state would otherwise be part of every connection's
        // task, idle ones included, for the length of the connection.
        let resolved = match Box::pin(identify::resolve(
            &*self.state.store,
            &site,
            token,
            last_seq,
            identity.as_deref(),
        ))
        .await
        {
            Ok(r) => r,
            Err(e) => return self.store_error(e, None).await,
        };
        let identify::Resolved {
            token,
            mut visitor,
            last_seq,
            user_id,
            mut details,
            refused,
            changed,
        } = resolved;
        if let Some(conversation) = changed {
            let event = Event::Conversation {
                conversation: Box::new(conversation),
            };
            if let Err(e) = self.state.store.publish(event).await {
                return self.store_error(e, None).await;
            }
        }
        // What the page says of a visitor with a record is stored now (when
        // it is news: pages say it on every load); else with the record.
        if let Some(v) = visitor.as_mut() {
            if identify::changes(v, &details) {
                if let Err(e) = self.state.routing.set_details(&v.id, &details, false).await {
                    return self.store_error(e, None).await;
                }
                match self.state.store.visitor(&v.id).await {
                    Ok(Some(now)) => *v = now,
                    Ok(None) => {}
                    Err(e) => return self.store_error(e, None).await,
                }
            }
            details = VisitorDetails::default();
        }
        let conversation_id = visitor.as_ref().and_then(|v| v.conversation.clone());
        // Hear of the site's deletion, and follow first, then read: nothing
        // falls between the two.
        self.events.site(&site.id);
        if let Some(id) = &conversation_id {
            self.events.follow(id);
        }
        let summary = match &conversation_id {
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
        let spot = match &summary {
            Some(c) if c.status == ConversationStatus::Queued => {
                self.state.routing.queue_spot(&c.id).await.ok().flatten()
            }
            _ => None,
        };
        let token_for_record = token.clone();
        // Worked out afresh from the site just read (its hours may have
        // changed a moment ago); whether anyone is online comes from the
        // node's availability loop.
        let agents_online = self
            .state
            .hub
            .site_online(&site.id)
            .map(|a| a.agents_online);
        let offline = Availability::of(&site, agents_online.unwrap_or(true), now_millis()).offline;
        // Only on sites that offer callbacks: the others' visitors (every
        // reconnect) pay no extra read.
        let callback = match visitor.as_ref() {
            Some(v) if site.callback_after_mins.is_some() => {
                match self.state.store.visitor_callbacks(&v.id, 1).await {
                    Ok(latest) => latest
                        .first()
                        .map(|c| Box::new(shared::callback::VisitorCallback::from(c))),
                    Err(e) => return self.store_error(e, None).await,
                }
            }
            _ => None,
        };
        let welcome = VisitorServerFrame::Welcome {
            token,
            conversation: summary.as_ref().map(|c| {
                Box::new(VisitorConversation {
                    id: c.id.clone(),
                    status: c.status,
                    agent: c.agent.clone(),
                    queue_position: spot.map(|s| s.position),
                    estimated_wait_secs: spot.and_then(|s| s.estimated_wait_secs),
                    agent_read: c.agent_read,
                    agent_delivered: c.agent_delivered,
                    last_seq: c.last_seq,
                    rating: c.rating.clone(),
                })
            }),
            agents_online,
            offline,
            contact: visitor
                .as_ref()
                .and_then(|v| v.contact.clone())
                .map(Box::new),
            callback,
        };
        self.greeted = Some(Greeted {
            token_hash: secrets::token_hash(&token_for_record),
            site: site.id.clone(),
            locale: locale.map(|l| l.chars().take(35).collect()),
            origin: claimed_origin.and_then(|o| origin::normalize(&o)),
            visitor,
            conversation: summary.as_ref().map(|c| c.id.clone()),
            last_sent: last_seq.min(summary.as_ref().map_or(0, |c| c.last_seq)),
            status: summary.as_ref().map(|c| c.status),
            agent: summary.as_ref().and_then(|c| c.agent.clone()),
            spot,
            unsaved_pages: Vec::new(),
            agent_read: summary.as_ref().map_or(0, |c| c.agent_read),
            agent_delivered: summary.as_ref().map_or(0, |c| c.agent_delivered),
            greeted_by: greeted_by(&site, proactive.as_deref(), summary.as_ref()),
            unsaved: (user_id.is_some() || details != VisitorDetails::default())
                .then(|| Box::new(Unsaved { user_id, details })),
        });
        if let Flow::Close(r) = send_or_close(&mut self.session, &welcome).await {
            return Flow::Close(r);
        }
        // A refused identity: the visitor chats anonymously, and the page
        // (its developer) is told why.
        if let Some(r) = refused {
            if let Flow::Close(reason) = self.error(r.code, r.message, None).await {
                return Flow::Close(reason);
            }
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
        if self.greeted.is_none() {
            return self
                .error(
                    ErrorCode::HelloRequired,
                    default_message(ErrorCode::HelloRequired),
                    Some(client_id),
                )
                .await;
        }
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
        let visitor = match self.visitor_record().await {
            Ok(id) => id,
            Err(flow_or_error) => {
                return match flow_or_error {
                    Ok(code) => {
                        self.error(code, default_message(code), Some(client_id))
                            .await
                    }
                    Err(e) => self.store_error(e, Some(client_id)).await,
                }
            }
        };
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
            self.events.follow(&out.appended.conversation.id);
            if let Some(g) = self.greeted.as_mut() {
                g.conversation = Some(out.appended.conversation.id.clone());
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
            conversation: out.appended.conversation.id.clone(),
            seq: out.appended.message.seq,
            sent_at: out.appended.message.sent_at,
        };
        if let Flow::Close(r) = send_or_close(&mut self.session, &ack).await {
            return Flow::Close(r);
        }
        self.count_asked_after().await;
        self.note_greeting(&visitor).await;
        // Only a send that opened or reopened the conversation changes its
        // status here; later changes arrive as events. It entered the
        // queue, and says so even when routing already handed it to an
        // agent: the visitor sees `queued`, then `assigned`.
        if out.entered_queue {
            if let Flow::Close(r) = self.apply(out.appended.conversation).await {
                return Flow::Close(r);
            }
        }
        if first || out.entered_queue {
            self.refresh().await
        } else {
            Flow::Continue
        }
    }

    /// The visitor's id, creating their record at their first message
    /// (limited per client address: `too_many_connections`).
    async fn visitor_record(&mut self) -> Result<VisitorId, Result<ErrorCode, StoreError>> {
        let Some(g) = self.greeted.as_ref() else {
            return Err(Ok(ErrorCode::HelloRequired));
        };
        if let Some(v) = &g.visitor {
            return Ok(v.id.clone());
        }
        if !self
            .state
            .client_limits
            .new_visitor(self.client, Instant::now())
        {
            return Err(Ok(ErrorCode::TooManyConnections));
        }
        let (hash, site, locale, origin) = (
            g.token_hash.clone(),
            g.site.clone(),
            g.locale.clone(),
            g.origin.clone(),
        );
        let mut v = self
            .state
            .store
            .create_visitor(&hash, &site, locale, origin)
            .await
            .map_err(Err)?;
        // A signed identity's user: this record becomes theirs, unless
        // another device of theirs made one meanwhile (then that one).
        let user = self
            .greeted
            .as_ref()
            .and_then(|g| g.unsaved.as_ref())
            .and_then(|u| u.user_id.clone());
        if let Some(user) = user {
            v = self
                .state
                .store
                .bind_user(&v.id, &user)
                .await
                .map_err(Err)?
                .0;
        }
        let id = v.id.clone();
        let mut pages = Vec::new();
        let mut details = VisitorDetails::default();
        if let Some(g) = self.greeted.as_mut() {
            g.visitor = Some(v.clone());
            pages = std::mem::take(&mut g.unsaved_pages);
            details = g.unsaved.take().map(|u| u.details).unwrap_or_default();
        }
        if identify::changes(&v, &details) {
            self.state
                .routing
                .set_details(&id, &details, false)
                .await
                .map_err(Err)?;
            if let Some(g) = self.greeted.as_mut() {
                g.visitor = self.state.store.visitor(&id).await.map_err(Err)?;
            }
        }
        // What they viewed before writing, now that there is a record.
        for visit in pages {
            self.state
                .store
                .page_viewed(&id, visit)
                .await
                .map_err(Err)?;
        }
        Ok(id)
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
        let spot = if summary.status == ConversationStatus::Queued {
            self.state
                .routing
                .queue_spot(&summary.id)
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
        if let Some(spot) = spot {
            if g.spot != Some(spot) {
                frames.push(queue_frame(spot));
            }
        }
        if summary.agent_read > g.agent_read {
            g.agent_read = summary.agent_read;
            frames.push(VisitorServerFrame::Read {
                seq: summary.agent_read,
            });
        }
        // A read says delivered too: `delivered` only for what was received
        // and not yet read.
        if summary.agent_delivered > g.agent_delivered {
            g.agent_delivered = summary.agent_delivered;
            if summary.agent_delivered > summary.agent_read {
                frames.push(VisitorServerFrame::Delivered {
                    seq: summary.agent_delivered,
                });
            }
        }
        g.status = Some(summary.status);
        g.agent = summary.agent;
        g.spot = spot;
        for f in frames {
            if let Flow::Close(r) = send_or_close(&mut self.session, &f).await {
                return Flow::Close(r);
            }
        }
        Flow::Continue
    }

    /// The node computed every waiting visitor's place after a queue
    /// change: tell this one theirs if it moved. One that is no longer in
    /// the queue re-reads its conversation (taken, or resolved).
    async fn spots_changed(&mut self, spots: &QueueSpots) -> Flow {
        let Some(g) = self.greeted.as_mut() else {
            return Flow::Continue;
        };
        if g.status != Some(ConversationStatus::Queued) {
            return Flow::Continue;
        }
        let Some(conv) = g.conversation.as_ref() else {
            return Flow::Continue;
        };
        match spots.get(conv).copied() {
            Some(spot) if g.spot == Some(spot) => Flow::Continue,
            Some(spot) => {
                g.spot = Some(spot);
                send_or_close(&mut self.session, &queue_frame(spot)).await
            }
            None => self.refresh().await,
        }
    }

    /// The site and the visitor's language (`en`, `ar`, `fa`) help is
    /// asked in, once an ask is allowed: `Err` is the flow after refusing.
    async fn help_ask(&mut self) -> Result<(SiteId, &'static str), Flow> {
        let Some(g) = self.greeted.as_ref() else {
            let code = ErrorCode::HelloRequired;
            return Err(self.error(code, default_message(code), None).await);
        };
        let site = g.site.clone();
        let lang = g
            .locale
            .as_deref()
            .and_then(shared::locale::from_tag)
            .unwrap_or("en");
        let reading = self.help.get_or_insert_with(Box::default);
        if !reading.allow() {
            let code = ErrorCode::RateLimited;
            let why = "Too many help searches too fast; try again in a moment.";
            return Err(self.error(code, why, None).await);
        }
        Ok((site, lang))
    }

    /// A help search (see [`crate::help`]).
    async fn help(
        &mut self,
        query: String,
        ask: shared::help::HelpAsk,
        lang: Option<String>,
    ) -> Flow {
        if let Err(why) = super::help::check_query(&query) {
            return self.error(ErrorCode::BadRequest, why, None).await;
        }
        let (site, hello_lang) = match self.help_ask().await {
            Ok(asked) => asked,
            Err(flow) => return flow,
        };
        let lang = lang
            .as_deref()
            .and_then(shared::locale::from_tag)
            .unwrap_or(hello_lang);
        match super::help::find(&*self.state.store, &site, &query, ask, lang).await {
            Ok(articles) => {
                let frame = VisitorServerFrame::Help {
                    query,
                    ask,
                    articles,
                };
                send_or_close(&mut self.session, &frame).await
            }
            Err(e) => self.store_error(e, None).await,
        }
    }

    /// Reads an article: counted as opened, and remembered so the
    /// visitor's next message counts it as asked-after.
    async fn article(&mut self, id: shared::ArticleId) -> Flow {
        let site = match self.help_ask().await {
            Ok((site, _)) => site,
            Err(flow) => return flow,
        };
        let article = match self.state.store.article(&site, &id).await {
            Ok(Some(a)) => a,
            Ok(None) => {
                let why = "This site has no help article with this id.";
                return self.error(ErrorCode::NotFound, why, None).await;
            }
            Err(e) => return self.store_error(e, None).await,
        };
        let frame = VisitorServerFrame::Article {
            article: Box::new(article),
        };
        if let Flow::Close(r) = send_or_close(&mut self.session, &frame).await {
            return Flow::Close(r);
        }
        let opened = shared::help::ArticleCount::Opened;
        super::help::count(&*self.state.store, &site, std::slice::from_ref(&id), opened).await;
        if let Some(reading) = self.help.as_mut() {
            reading.opened(id);
        }
        Flow::Continue
    }

    /// The visitor wrote after a proactive message greeted them: their
    /// conversation says so (a visitor attribute agents see; pages cannot
    /// set its key). Logged, not failed: the message itself is stored.
    async fn note_greeting(&mut self, visitor: &VisitorId) {
        let Some(text) = self.greeted.as_mut().and_then(|g| g.greeted_by.take()) else {
            return;
        };
        let details = VisitorDetails {
            attributes: [(
                shared::proactive::STARTED_ATTRIBUTE.to_owned(),
                text.into_string(),
            )]
            .into(),
            ..VisitorDetails::default()
        };
        if let Err(e) = self
            .state
            .routing
            .set_details(visitor, &details, false)
            .await
        {
            tracing::warn!(error = %e, "the proactive message was not noted");
        }
    }

    /// The visitor wrote: the articles they read before still left a
    /// question (see [`shared::help::ArticleStats::asked_after`]).
    async fn count_asked_after(&mut self) {
        let Some(reading) = self.help.as_mut() else {
            return;
        };
        let read = reading.wrote();
        let Some(site) = self.greeted.as_ref().map(|g| g.site.clone()) else {
            return;
        };
        if !read.is_empty() {
            let asked = shared::help::ArticleCount::AskedAfter;
            super::help::count(&*self.state.store, &site, &read, asked).await;
        }
    }

    fn my_conversation(&self) -> Option<&ConversationId> {
        self.greeted.as_ref().and_then(|g| g.conversation.as_ref())
    }
}

/// The text of the proactive message a `hello` says the widget showed, if
/// it is one of the site's rules that are on, in a language it has, and
/// the visitor has no open conversation it could belong to.
fn greeted_by(
    site: &Site,
    shown: Option<&shared::proactive::ProactiveShown>,
    summary: Option<&ConversationSummary>,
) -> Option<Box<str>> {
    let shown = shown?;
    if summary.is_some_and(|c| c.status != ConversationStatus::Resolved) {
        return None;
    }
    site.proactive
        .iter()
        .find(|r| r.enabled && r.id == shown.rule)
        .and_then(|r| r.messages.get(&shown.lang))
        .map(|text| text.as_str().into())
}

fn queue_frame(spot: QueueSpot) -> VisitorServerFrame {
    VisitorServerFrame::Queue {
        position: spot.position,
        estimated_wait_secs: spot.estimated_wait_secs,
    }
}

impl Connection for VisitorConnection {
    type Frame = VisitorClientFrame;
    const KINDS: &'static [&'static str] = KNOWN;

    fn session(&mut self) -> &mut Session {
        &mut self.session
    }

    async fn on_spots(&mut self, spots: std::sync::Arc<QueueSpots>) -> Flow {
        self.spots_changed(&spots).await
    }

    fn error_frame(&self, code: ErrorCode, message: String) -> String {
        serde_json::to_string(&VisitorServerFrame::Error {
            code,
            message,
            client_id: None,
        })
        .unwrap_or_default()
    }

    fn metrics(&self) -> Option<(&crate::metrics::Metrics, Socket)> {
        Some((&self.state.metrics, Socket::Visitor))
    }

    async fn on_frame(&mut self, frame: VisitorClientFrame) -> Flow {
        match frame {
            VisitorClientFrame::Hello {
                site,
                token,
                last_seq,
                origin,
                locale,
                identity,
                proactive,
            } => {
                // Boxed: a hello's state (its store reads, the identity's
                // checks) would otherwise size every connection's task for
                // its whole life, idle ones included.
                Box::pin(self.hello(site, token, last_seq, origin, locale, identity, proactive))
                    .await
            }
            VisitorClientFrame::Attributes { attributes } => self.attributes(attributes).await,
            VisitorClientFrame::Send { client_id, body } => {
                self.send_message(client_id, body).await
            }
            VisitorClientFrame::Read { seq } => self.mark(Mark::Read, seq).await,
            VisitorClientFrame::Delivered { seq } => self.mark(Mark::Delivered, seq).await,
            VisitorClientFrame::Page {
                url,
                title,
                referrer,
                time_zone,
            } => self.page(url, title, referrer, time_zone).await,
            VisitorClientFrame::Rate {
                score,
                comment,
                nps,
            } => self.rate(score, comment, nps).await,
            VisitorClientFrame::Contact { contact } => self.contact(contact).await,
            VisitorClientFrame::Prechat { answers } => self.prechat(answers).await,
            VisitorClientFrame::Callback { request } => self.callback(request).await,
            VisitorClientFrame::CancelCallback => self.cancel_callback().await,
            VisitorClientFrame::Transcript { email } => self.transcript(email).await,
            VisitorClientFrame::Help { query, ask, lang } => self.help(query, ask, lang).await,
            VisitorClientFrame::Article { id } => self.article(id).await,
            VisitorClientFrame::Typing { typing, preview } => {
                if self.greeted.is_none() {
                    return self
                        .error(
                            ErrorCode::HelloRequired,
                            default_message(ErrorCode::HelloRequired),
                            None,
                        )
                        .await;
                }
                // Over the limit, typing is dropped, not refused: it is a
                // hint, and an error per keystroke would only add noise.
                if !self.typing_limiter.allow(Instant::now()) {
                    return Flow::Continue;
                }
                let Some(conv) = self.my_conversation().cloned() else {
                    return Flow::Continue;
                };
                let preview = match self.allowed_preview(typing, preview).await {
                    Ok(p) => p,
                    Err(e) => return self.store_error(e, None).await,
                };
                if let Err(e) = self
                    .state
                    .routing
                    .typing(conv, Party::Visitor, None, typing, preview)
                    .await
                {
                    return self.store_error(e, None).await;
                }
                Flow::Continue
            }
        }
    }

    async fn on_event(&mut self, event: Event) -> Flow {
        if let Event::SiteDeleted { site } = &event {
            if self.greeted.as_ref().is_some_and(|g| &g.site == site) {
                let code = ErrorCode::UnknownSite;
                let _ = self.error(code, "This site was deleted.", None).await;
                return Flow::policy(code.as_str());
            }
            return Flow::Continue;
        }
        if let Event::Availability { site, now } = &event {
            if self.greeted.as_ref().is_some_and(|g| &g.site == site) {
                let frame = VisitorServerFrame::Availability {
                    agents_online: now.agents_online,
                    offline: now.offline,
                };
                return send_or_close(&mut self.session, &frame).await;
            }
            return Flow::Continue;
        }
        let Some(mine) = self.my_conversation().cloned() else {
            return Flow::Continue;
        };
        match event {
            Event::Message { message, .. } if message.conversation == mine => {
                self.live_message(message).await
            }
            Event::Typing {
                conversation,
                from: Party::Agent,
                typing,
                ..
            } if conversation == mine => {
                send_or_close(&mut self.session, &VisitorServerFrame::Typing { typing }).await
            }
            // The event is only a trigger: by the time it arrives this
            // connection may already have read a newer state (its own send
            // routed the conversation), and replaying the older snapshot
            // would flap queued/assigned in front of the visitor.
            Event::Conversation { conversation } if conversation.id == mine => self.refresh().await,
            Event::Callback { callback } if callback.conversation.as_ref() == Some(&mine) => {
                self.send_callback(&callback).await
            }
            // Erased: nothing of it may reach this socket again. The widget
            // reconnects, is greeted with no conversation and drops what it
            // showed.
            Event::VisitorErased {
                conversation: Some(erased),
                ..
            } if erased == mine => Flow::Close(actix_ws::CloseReason {
                code: actix_ws::CloseCode::Normal,
                description: Some("erased".into()),
            }),
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
