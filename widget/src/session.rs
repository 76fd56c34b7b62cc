//! The widget's controller: owns the chat state signal, the connection, the
//! storage and the host page link, and carries out the [`Effect`]s that
//! [`ChatState::apply`] asks for. Components call its few verbs (open,
//! edit, submit) and read the signals; they never touch the socket.

use crate::chat::{check_contact, validate, ChatState, Effect, Link, Pending, Problem};
use crate::conn::{AfterClose, Conn, Handlers};
use crate::host::{Host, HostCommand, HostPage};
use crate::storage::Store;
use crate::typing::PreviewThrottle;
use client::typing::TypingThrottle;
use leptos::prelude::*;
use shared::api::WidgetConfig;
use shared::help::HelpAsk;
use shared::limits::MAX_MESSAGE_CHARS;
use shared::limits::{DELIVERED_BATCH_MS, TYPING_IDLE_MS};
use shared::settings::PrechatForm;
use shared::{ClientId, ErrorCode, Seq, VisitorClientFrame, VisitorServerFrame};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::BTreeMap;
use std::rc::{Rc, Weak};
use std::time::Duration;

/// An agent's `typing: true` counts this long without a refresh (the
/// dashboard refreshes it every 3 s), so a lost `false` cannot leave the
/// indicator on.
const AGENT_TYPING_TTL: Duration = Duration::from_secs(8);

/// How long a widget the page identified its user for waits for the
/// identity before saying hello without it (it comes in milliseconds).
const IDENTITY_WAIT: Duration = Duration::from_secs(3);

/// Base delay before retrying a send the server asked us to retry; a random
/// share of it is added so retries spread out.
const RETRY_MS: f64 = 1_500.0;

/// A help search or suggestion goes this long after the last keystroke:
/// one question per pause, not one per letter.
const HELP_PAUSE: Duration = Duration::from_millis(250);

/// Handle to the session; clones share it.
#[derive(Clone)]
pub struct Session {
    inner: Rc<Inner>,
}

struct Inner {
    config: WidgetConfig,
    /// The widget's language (`en`, `ar`, `fa`), for help searches.
    lang: &'static str,
    /// The browser's own language tag, reported to agents.
    browser_locale: Option<String>,
    state: RwSignal<ChatState>,
    draft: RwSignal<String>,
    store: Store,
    host: Host,
    conn: OnceCell<Conn>,
    /// The token the latest `hello` carried.
    sent_token: RefCell<Option<String>>,
    typing: RefCell<TypingThrottle>,
    typing_idle: RefCell<Option<TimeoutHandle>>,
    /// The site's typing preview: drafts sent to agents while typing.
    preview: RefCell<PreviewThrottle>,
    preview_timer: RefCell<Option<TimeoutHandle>>,
    agent_typing_expiry: RefCell<Option<TimeoutHandle>>,
    posted_unread: Cell<u32>,
    /// What the loader was last told of an ongoing conversation.
    posted_active: Cell<Option<bool>>,
    /// The open panel covers the whole screen (the loader says so).
    full_screen: RwSignal<bool>,
    /// The visitor closed the panel: the launcher takes the focus back.
    focus_launcher: RwSignal<bool>,
    /// Who the page says the visitor is: every `hello` carries it.
    identity: RefCell<Option<shared::Identity>>,
    /// The page's attributes, sent after every `welcome` (the server keeps
    /// the news only).
    attributes: RefCell<BTreeMap<String, String>>,
    /// The host page the visitor is on, as the loader last said.
    page: RefCell<Option<HostPage>>,
    /// The page last told on this connection.
    page_sent: RefCell<Option<HostPage>>,
    /// The help question waiting for the visitor to pause.
    help_timer: RefCell<Option<TimeoutHandle>>,
    /// The highest agent message received and not shown, the highest the
    /// server was told of, and the timer that batches the telling.
    delivered: Cell<Seq>,
    delivered_told: Cell<Seq>,
    delivered_timer: RefCell<Option<TimeoutHandle>>,
}

impl Session {
    /// Restores what storage kept, connects, and starts listening to the
    /// host page.
    pub fn start(
        config: WidgetConfig,
        lang: &'static str,
        browser_locale: Option<String>,
        host: Host,
    ) -> Session {
        let store = Store::new(&config.site);
        if config.reset {
            store.forget();
        }
        let mut restored = ChatState::restore(store.outbox(), store.read_seq());
        if config.prechat.is_some() {
            restored.ask_prechat();
        }
        restored
            .callbacks_mut()
            .offer_from(config.callback_after_mins);
        // Opened from the loader's launcher: nothing to mark read yet.
        let _ = restored.set_open(config.open);
        // Greeted by a proactive message in this language: the launcher
        // shows it unread until the visitor opens the panel.
        if config
            .proactive
            .as_ref()
            .is_some_and(|p| p.messages.contains_key(lang))
        {
            restored.greet();
        }
        let state = RwSignal::new(restored);
        let session = Session {
            inner: Rc::new(Inner {
                config,
                lang,
                browser_locale,
                state,
                draft: RwSignal::new(String::new()),
                store,
                host,
                conn: OnceCell::new(),
                sent_token: RefCell::new(None),
                typing: RefCell::new(TypingThrottle::default()),
                typing_idle: RefCell::new(None),
                preview: RefCell::new(PreviewThrottle::default()),
                preview_timer: RefCell::new(None),
                agent_typing_expiry: RefCell::new(None),
                posted_unread: Cell::new(0),
                posted_active: Cell::new(None),
                full_screen: RwSignal::new(false),
                focus_launcher: RwSignal::new(false),
                identity: RefCell::new(None),
                attributes: RefCell::new(BTreeMap::new()),
                page: RefCell::new(None),
                page_sent: RefCell::new(None),
                help_timer: RefCell::new(None),
                delivered: Cell::new(0),
                delivered_told: Cell::new(0),
                delivered_timer: RefCell::new(None),
            }),
        };

        let weak = Rc::downgrade(&session.inner);
        if session.inner.config.identify {
            // The page identified its user before the widget came: their
            // identity is on its way from the loader, and the first hello
            // should carry it. Not for long, whatever happens.
            let weak = weak.clone();
            set_timeout(
                move || {
                    if let Some(s) = upgrade(&weak) {
                        s.connect();
                    }
                },
                IDENTITY_WAIT,
            );
        } else {
            session.connect();
        }

        session.inner.host.listen({
            let weak = weak.clone();
            move |command| {
                if let Some(s) = upgrade(&weak) {
                    match command {
                        HostCommand::Open => s.set_open(true),
                        HostCommand::Close => s.set_open(false),
                        HostCommand::Page(page) => s.on_page(page),
                        HostCommand::Identify(identity) => s.identify(identity),
                        HostCommand::Layout { full } => s.inner.full_screen.set(full),
                        HostCommand::Attributes(attributes) => s.set_attributes(attributes),
                    }
                }
            }
        });
        // Back online: no need to wait out the backoff.
        let _ = window_event_listener(leptos::ev::online, move |_| {
            if let Some(s) = upgrade(&weak) {
                if s.link() == Link::Reconnecting {
                    s.conn().reconnect_now();
                }
            }
        });
        session
    }

    /// Opens the connection (once).
    fn connect(&self) {
        if self.inner.conn.get().is_some() {
            return;
        }
        let weak = Rc::downgrade(&self.inner);
        let conn = Conn::new(&self.inner.config.ws_url);
        let _ = self.inner.conn.set(conn.clone());
        conn.start(Handlers {
            on_open: with_weak(&weak, |s| s.on_open()),
            on_frame: {
                let weak = weak.clone();
                Box::new(move |frame| {
                    if let Some(s) = upgrade(&weak) {
                        s.on_frame(frame);
                    }
                })
            },
            on_close: {
                let weak = weak.clone();
                Box::new(move || {
                    if let Some(s) = upgrade(&weak) {
                        s.on_close();
                    }
                    AfterClose::Retry
                })
            },
        });
    }

    /// The page says who the visitor is. Another user than the last one
    /// said: nothing held is theirs, and the connection says a new hello.
    fn identify(&self, identity: shared::Identity) {
        let same_user = self
            .inner
            .identity
            .borrow()
            .as_ref()
            .is_some_and(|i| i.user_id == identity.user_id);
        if self.inner.identity.borrow().as_ref() == Some(&identity) {
            return;
        }
        self.inner.identity.replace(Some(identity));
        let Some(conn) = self.inner.conn.get() else {
            self.connect();
            return;
        };
        if !same_user {
            let reset = self
                .inner
                .state
                .try_update(ChatState::new_identity)
                .unwrap_or(false);
            if reset {
                self.inner.store.set_read_seq(0);
            }
        }
        conn.reconnect_now();
    }

    /// The page's attributes: kept, and sent now if connected.
    fn set_attributes(&self, attributes: BTreeMap<String, String>) {
        self.inner.attributes.borrow_mut().extend(attributes);
        if self.link() == Link::Online {
            self.send_attributes();
        }
    }

    fn send_attributes(&self) {
        let attributes = self.inner.attributes.borrow().clone();
        if !attributes.is_empty() {
            self.conn()
                .send(&VisitorClientFrame::Attributes { attributes });
        }
    }

    /// Whether the open panel covers the whole screen (focus stays in it).
    pub fn full_screen(&self) -> RwSignal<bool> {
        self.inner.full_screen
    }

    /// Set when the panel closes: the launcher takes the focus back.
    pub fn focus_launcher(&self) -> RwSignal<bool> {
        self.inner.focus_launcher
    }

    /// The chat state, for components to read.
    pub fn state(&self) -> RwSignal<ChatState> {
        self.inner.state
    }

    /// The composer's text.
    pub fn draft(&self) -> RwSignal<String> {
        self.inner.draft
    }

    /// The visitor has read up to `seq`: kept for the unread badge, and
    /// told to the server so the agent sees "Seen".
    fn read_up_to(&self, seq: Seq) {
        self.inner.store.set_read_seq(seq);
        if seq > 0 && self.link() == Link::Online {
            self.conn().send(&VisitorClientFrame::Read { seq });
        }
    }

    /// Opens or closes the panel and tells the host page to resize.
    pub fn set_open(&self, open: bool) {
        let moved = self.inner.state.try_update(|s| s.set_open(open)).flatten();
        if let Some(seq) = moved {
            self.read_up_to(seq);
        }
        self.inner.host.resize(open);
        if !open {
            self.stop_typing();
            self.inner.focus_launcher.set(true);
        }
        self.sync_unread();
    }

    /// The visitor edited the draft.
    pub fn edit(&self, text: String) {
        let too_long = text.trim().chars().count() > MAX_MESSAGE_CHARS;
        let empty = text.trim().is_empty();
        let preview = (self.inner.config.typing_preview && !empty).then(|| text.clone());
        self.inner.draft.set(text);

        // Touch the state only when the notice changes: every state change
        // re-renders the list.
        let shown = self.inner.state.with_untracked(|s| s.problem());
        if too_long && shown != Some(Problem::TooLong) {
            self.inner.state.update(|s| s.set_problem(Problem::TooLong));
        } else if !too_long && matches!(shown, Some(Problem::Empty | Problem::TooLong)) {
            self.inner.state.update(|s| s.clear_draft_problem());
        }

        let now = js_sys::Date::now();
        let frame = self
            .inner
            .typing
            .borrow_mut()
            .input(now as shared::Millis, empty);
        // With the site's typing preview, the draft rides on `typing: true`
        // (at most every PREVIEW_EVERY_MS; a later draft waits its turn).
        let draft = preview.and_then(|text| {
            let now_or_later = self.inner.preview.borrow_mut().draft(now, &text);
            if now_or_later.is_none() {
                self.preview_later(now);
            }
            now_or_later
        });
        match (frame, draft) {
            (_, Some(draft)) => self.send_typing(true, Some(draft)),
            (Some(typing), None) => self.send_typing(typing, None),
            (None, None) => {}
        }
        if empty {
            self.clear_preview();
        } else {
            self.check_idle_later();
        }
        if self.inner.config.help {
            let draft = self.inner.draft.get_untracked();
            let mut ask = None;
            self.inner.state.update(|s| {
                let first = s.before_first_message();
                ask = s.help_mut().draft_changed(&draft, first);
            });
            if let Some(query) = ask {
                self.ask_help_later(query, HelpAsk::Suggest);
            }
        }
    }

    /// The proactive message this widget shows, for `hello`: while the
    /// visitor has not written yet, so the conversation they start says it
    /// began from it.
    fn proactive_shown(&self) -> Option<shared::proactive::ProactiveShown> {
        let greeting = self.inner.config.proactive.as_ref()?;
        let lang = self.inner.lang;
        let fresh = self
            .inner
            .state
            .with_untracked(|s| s.before_first_message());
        (fresh && greeting.messages.contains_key(lang)).then(|| shared::proactive::ProactiveShown {
            rule: greeting.rule.clone(),
            lang: lang.to_owned(),
        })
    }

    /// The site has help articles: the widget offers its help view.
    pub fn has_help(&self) -> bool {
        self.inner.config.help
    }

    /// Opens the help view (asking for its list if not there yet) or goes
    /// back to the conversation.
    pub fn help_view(&self, open: bool) {
        let mut ask = None;
        self.inner.state.update(|s| {
            if open {
                ask = s.help_mut().open_view();
            } else {
                s.help_mut().close_view();
            }
        });
        if let Some(query) = ask {
            self.ask_help(query, HelpAsk::Search);
        }
    }

    /// The visitor typed in the help view's search box.
    pub fn help_search(&self, typed: &str) {
        let mut ask = None;
        self.inner
            .state
            .update(|s| ask = s.help_mut().search(typed));
        if let Some(query) = ask {
            self.ask_help_later(query, HelpAsk::Search);
        }
    }

    /// Opens an article (from the help view's list or a suggestion).
    pub fn open_article(&self, id: shared::ArticleId, from: crate::help::Source) {
        let mut asked = None;
        self.inner
            .state
            .update(|s| asked = Some(s.help_mut().open_article(id, from)));
        if let (Some(id), Link::Online) = (asked, self.link()) {
            self.conn().send(&VisitorClientFrame::Article { id });
        }
    }

    /// Back from an article.
    pub fn help_back(&self) {
        let mut ask = None;
        self.inner.state.update(|s| ask = s.help_mut().back());
        if let Some(query) = ask {
            self.ask_help(query, HelpAsk::Search);
        }
    }

    /// The visitor hid the suggestions under the composer.
    pub fn hide_suggestions(&self) {
        self.inner.state.update(|s| s.help_mut().hide_suggestions());
    }

    fn ask_help(&self, query: String, ask: HelpAsk) {
        // Offline, the next `welcome` asks again (`Help::to_resend`).
        if self.link() == Link::Online {
            let lang = Some(self.inner.lang.to_owned());
            self.conn()
                .send(&VisitorClientFrame::Help { query, ask, lang });
        }
    }

    /// Asks once the visitor pauses (a newer question replaces this one).
    fn ask_help_later(&self, query: String, ask: HelpAsk) {
        let weak = Rc::downgrade(&self.inner);
        let handle = set_timeout_with_handle(
            move || {
                if let Some(s) = upgrade(&weak) {
                    s.inner.help_timer.take();
                    s.ask_help(query, ask);
                }
            },
            HELP_PAUSE,
        )
        .ok();
        if let Some(old) = self.inner.help_timer.replace(handle) {
            old.clear();
        }
    }

    /// Sends the draft (or says why not).
    pub fn submit(&self) {
        let draft = self.inner.draft.get_untracked();
        let body = match validate(&draft) {
            Ok(body) => body,
            Err(problem) => {
                self.inner.state.update(|s| s.set_problem(problem));
                return;
            }
        };
        self.stop_typing();
        let pending = Pending {
            client_id: client::id::new_client_id(),
            body,
        };
        let frame = send_frame(&pending);
        self.inner.state.update(|s| {
            s.help_mut().sent();
            s.enqueue(pending);
        });
        self.save_outbox();
        self.inner.draft.set(String::new());
        // Before `welcome` the server would refuse it; the resend after
        // `welcome` delivers it.
        if self.link() == Link::Online {
            self.conn().send(&frame);
        }
    }

    /// Sends the leave-a-message form: the message in the draft (needed
    /// unless the visitor wrote before), then the name and email replies
    /// go to. Says what is wrong instead when something is.
    pub fn leave_message(&self, name: &str, email: &str) {
        let contact = match check_contact(name, email) {
            Ok(c) => c,
            Err(problem) => {
                self.inner.state.update(|s| s.set_problem(problem));
                return;
            }
        };
        let wrote_before = self
            .inner
            .state
            .with_untracked(|s| s.messages().next().is_some() || !s.outbox().is_empty());
        let draft = self.inner.draft.get_untracked();
        if !wrote_before || !draft.trim().is_empty() {
            if let Err(problem) = validate(&draft) {
                self.inner.state.update(|s| s.set_problem(problem));
                return;
            }
            self.submit();
        }
        self.inner
            .state
            .update(|s| s.leave_contact(contact.clone()));
        // Offline, the next `welcome` sends it after the message.
        if self.link() == Link::Online {
            self.conn().send(&VisitorClientFrame::Contact { contact });
        }
    }

    /// Opens or closes the form that mails the conversation.
    pub fn mailing_form(&self, open: bool) {
        self.inner.state.update(|s| {
            if open {
                s.mailing_mut().open_form();
            } else {
                s.mailing_mut().close_form();
            }
        });
    }

    /// Asks the server to mail the conversation to `email` (only while
    /// connected: it says at once whether it will).
    pub fn mail_transcript(&self, email: &str) {
        let mut checked = None;
        self.inner
            .state
            .update(|s| checked = s.mailing_mut().submit(email));
        let Some(email) = checked else { return };
        if self.link() == Link::Online {
            self.conn().send(&VisitorClientFrame::Transcript { email });
        } else {
            self.inner.state.update(|s| {
                s.mailing_mut().refused(shared::ErrorCode::Unavailable);
            });
        }
    }

    /// The server sends mail: the conversation may be mailed.
    pub fn mails(&self) -> bool {
        self.inner.config.mails
    }

    /// Opens or closes the callback form.
    pub fn callback_form(&self, open: bool) {
        self.inner.state.update(|s| {
            if open {
                s.callbacks_mut().open_form();
            } else {
                s.callbacks_mut().close_form();
            }
        });
    }

    /// Sends the callback form (now, or after the next `welcome`); says
    /// what to fix instead when something is wrong.
    pub fn request_callback(&self, request: shared::callback::CallbackRequest) {
        let mut checked = None;
        self.inner
            .state
            .update(|s| checked = s.callbacks_mut().submit(&request));
        if let Some(request) = checked {
            if self.link() == Link::Online {
                self.conn().send(&VisitorClientFrame::Callback { request });
            }
        }
    }

    /// Cancels the visitor's open callback request (only while
    /// connected: the server says at once where it stands).
    pub fn cancel_callback(&self) {
        if self.link() != Link::Online {
            return;
        }
        let mut open = false;
        self.inner
            .state
            .update(|s| open = s.callbacks_mut().cancel());
        if open {
            self.conn().send(&VisitorClientFrame::CancelCallback);
        }
    }

    /// Answers the satisfaction survey. Not while the connection is down:
    /// the survey stays, to be sent again.
    pub fn rate(&self, score: u8, comment: String, nps: Option<u8>) {
        if self.link() != Link::Online {
            return;
        }
        let comment = Some(comment.trim().to_owned()).filter(|c| !c.is_empty());
        self.conn().send(&VisitorClientFrame::Rate {
            score,
            comment,
            nps,
        });
    }

    /// The questions asked before the first message, if the site asks any.
    pub fn prechat_form(&self) -> Option<PrechatForm> {
        self.inner.config.prechat.clone()
    }

    /// Sends the pre-chat form: the answers first (the server keeps them
    /// with the visitor), then — once they are kept — the message in the
    /// draft. Says what to fix instead when something is wrong.
    pub fn start_chat(&self, answers: BTreeMap<String, String>) {
        let Some(form) = &self.inner.config.prechat else {
            return self.submit();
        };
        let checked = form.check(&answers).map(|_| answers.clone());
        if checked.is_ok() {
            if let Err(problem) = validate(&self.inner.draft.get_untracked()) {
                self.inner.state.update(|s| s.set_problem(problem));
                return;
            }
        }
        let ok = checked.is_ok();
        self.inner.state.update(|s| {
            s.clear_problem();
            s.send_prechat(checked);
        });
        if ok && self.link() == Link::Online {
            self.conn().send(&VisitorClientFrame::Prechat { answers });
        }
    }

    /// The site's survey also asks the Net Promoter question.
    pub fn survey_nps(&self) -> bool {
        self.inner.config.survey_nps
    }

    /// The connection, opened now if it was waiting for the page's
    /// identity (the visitor does not wait for it).
    fn conn(&self) -> &Conn {
        self.connect();
        self.inner
            .conn
            .get()
            .expect("connect() has just set the connection")
    }

    fn link(&self) -> Link {
        self.inner.state.with_untracked(|s| s.link())
    }

    /// The host page changed: remembered (told again after every
    /// reconnect) and told to the server now if connected.
    fn on_page(&self, page: HostPage) {
        self.inner.page.replace(Some(page));
        // An open socket has had its hello: the page may follow at once.
        self.send_page();
    }

    /// Tells the server the current page, unless this connection already
    /// has it.
    fn send_page(&self) {
        let Some(page) = self.inner.page.borrow().clone() else {
            return;
        };
        if self.inner.page_sent.borrow().as_ref() == Some(&page) {
            return;
        }
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let sent = self.conn().send(&VisitorClientFrame::Page {
            url: page.url.clone(),
            title: some(&page.title),
            referrer: some(&page.referrer),
            time_zone: time_zone(),
        });
        if sent {
            self.inner.page_sent.replace(Some(page));
        }
    }

    fn on_open(&self) {
        let token = self.inner.store.token();
        let last_seq = self
            .inner
            .state
            .try_update_untracked(|s| s.hello_seq())
            .unwrap_or(0);
        self.inner.sent_token.replace(token.clone());
        let config = &self.inner.config;
        self.conn().send(&VisitorClientFrame::Hello {
            site: config.site.clone(),
            token,
            last_seq,
            origin: Some(config.host_origin.clone()),
            locale: self.inner.browser_locale.clone(),
            identity: self.inner.identity.borrow().clone().map(Box::new),
            proactive: self.proactive_shown().map(Box::new),
        });
        self.send_attributes();
        // Frames go in order: the server has the hello when this arrives.
        self.inner.page_sent.replace(None);
        self.send_page();
    }

    fn on_frame(&self, frame: VisitorServerFrame) {
        // What the server says of the page's own calls is for the page's
        // developer, not the visitor.
        if let VisitorServerFrame::Error {
            code: code @ (ErrorCode::IdentityInvalid | ErrorCode::IdentityRequired),
            message,
            ..
        } = &frame
        {
            self.inner.host.error(code.as_str(), message);
            return;
        }
        let agent_typing = matches!(frame, VisitorServerFrame::Typing { typing: true });
        let sent_token = self.inner.sent_token.borrow().clone();
        let effects = self
            .inner
            .state
            .try_update(|s| s.apply(frame, sent_token.as_deref()))
            .unwrap_or_default();
        if agent_typing {
            self.expire_agent_typing_later();
        }
        let resync = effects.contains(&Effect::Resync);
        for effect in effects {
            self.perform(effect, resync);
        }
        self.sync_unread();
    }

    fn perform(&self, effect: Effect, resync: bool) {
        match effect {
            Effect::SaveToken(token) => {
                self.inner.store.set_token(&token);
                self.inner.sent_token.replace(Some(token));
            }
            Effect::SaveOutbox => self.save_outbox(),
            Effect::SaveReadSeq(seq) => self.read_up_to(seq),
            Effect::Delivered(seq) => self.delivered(seq),
            // After a resync the next `welcome` resends.
            Effect::Greeted if resync => {}
            Effect::Greeted => {
                self.conn().established();
                // What was read while offline (the mark is kept locally).
                let read = self.inner.state.with_untracked(|s| s.read_seq());
                if read > 0 {
                    self.conn().send(&VisitorClientFrame::Read { seq: read });
                }
                self.tell_delivered();
                // Pre-chat answers go before the message they precede.
                let answers = self
                    .inner
                    .state
                    .with_untracked(|s| s.prechat_sending().cloned());
                if let Some(answers) = answers {
                    self.conn().send(&VisitorClientFrame::Prechat { answers });
                }
                let outbox = self.inner.state.with_untracked(|s| s.outbox().to_vec());
                for pending in &outbox {
                    self.conn().send(&send_frame(pending));
                }
                // A left message's contact follows its message.
                let contact = self
                    .inner
                    .state
                    .with_untracked(|s| s.contact_sending().cloned());
                if let Some(contact) = contact {
                    self.conn().send(&VisitorClientFrame::Contact { contact });
                }
                let callback = self
                    .inner
                    .state
                    .with_untracked(|s| s.callbacks().sending().cloned());
                if let Some(request) = callback {
                    self.conn().send(&VisitorClientFrame::Callback { request });
                }
                let help = self
                    .inner
                    .state
                    .with_untracked(|s| s.help().to_resend(self.inner.lang));
                for frame in &help {
                    self.conn().send(frame);
                }
            }
            Effect::Resync => self.conn().reconnect_now(),
            Effect::RetryLater(client_id) => self.retry_later(client_id),
            Effect::AgentMessage(body) => self.inner.host.message(&body),
            Effect::RestoreDraft(body) => {
                if self.inner.draft.with_untracked(|d| d.trim().is_empty()) {
                    self.inner.draft.set(body);
                }
            }
            Effect::SendDraft => self.submit(),
            Effect::Stop => self.conn().stop(),
        }
    }

    fn on_close(&self) {
        self.inner.state.update(|s| s.connection_lost());
        self.inner.typing.borrow_mut().reset();
    }

    fn save_outbox(&self) {
        self.inner
            .state
            .with_untracked(|s| self.inner.store.set_outbox(s.outbox()));
    }

    fn sync_unread(&self) {
        let (unread, ongoing) = self
            .inner
            .state
            .with_untracked(|s| (s.unread(), s.ongoing()));
        if self.inner.posted_unread.replace(unread) != unread {
            self.inner.host.unread(unread);
        }
        // Only once the server has said (or a message waits to go): a
        // widget still connecting knows nothing yet.
        let known = self
            .inner
            .state
            .with_untracked(|s| s.link() == Link::Online)
            || ongoing;
        if known && self.inner.posted_active.replace(Some(ongoing)) != Some(ongoing) {
            self.inner.host.active(ongoing);
        }
    }

    fn retry_later(&self, client_id: ClientId) {
        let weak = Rc::downgrade(&self.inner);
        let delay = RETRY_MS * (1.0 + js_sys::Math::random());
        set_timeout(
            move || {
                let Some(s) = upgrade(&weak) else { return };
                // If the connection dropped meanwhile, `welcome` resends.
                if s.link() != Link::Online {
                    return;
                }
                let frame = s
                    .inner
                    .state
                    .with_untracked(|st| st.pending(&client_id).map(send_frame));
                if let Some(frame) = frame {
                    s.conn().send(&frame);
                }
            },
            Duration::from_millis(delay as u64),
        );
    }

    fn send_typing(&self, typing: bool, preview: Option<String>) {
        if self.link() == Link::Online {
            self.conn()
                .send(&VisitorClientFrame::Typing { typing, preview });
        }
    }

    fn stop_typing(&self) {
        self.clear_preview();
        let frame = self.inner.typing.borrow_mut().stop();
        if let Some(typing) = frame {
            self.send_typing(typing, None);
        }
    }

    /// Nothing more of this draft goes out.
    fn clear_preview(&self) {
        self.inner.preview.borrow_mut().clear();
        if let Some(old) = self.inner.preview_timer.take() {
            old.clear();
        }
    }

    /// Agent messages up to `seq` arrived and were not shown: the agent
    /// sees "Delivered". Told once per batch (see `DELIVERED_BATCH_MS`);
    /// what the connection lost before it was told goes after the next
    /// `welcome`.
    fn delivered(&self, seq: Seq) {
        if seq <= self.inner.delivered.get() {
            return;
        }
        self.inner.delivered.set(seq);
        if self.inner.delivered_timer.borrow().is_some() {
            return;
        }
        let weak = Rc::downgrade(&self.inner);
        let handle = set_timeout_with_handle(
            move || {
                let Some(s) = upgrade(&weak) else { return };
                s.inner.delivered_timer.take();
                s.tell_delivered();
            },
            Duration::from_millis(DELIVERED_BATCH_MS),
        )
        .ok();
        *self.inner.delivered_timer.borrow_mut() = handle;
    }

    fn tell_delivered(&self) {
        let seq = self.inner.delivered.get();
        if seq > self.inner.delivered_told.get() && self.link() == Link::Online {
            self.inner.delivered_told.set(seq);
            self.conn().send(&VisitorClientFrame::Delivered { seq });
        }
    }

    /// Sends the waiting draft when its turn comes.
    fn preview_later(&self, now: f64) {
        let Some(wait) = self.inner.preview.borrow().wait(now) else {
            return;
        };
        if self.inner.preview_timer.borrow().is_some() {
            return;
        }
        let weak = Rc::downgrade(&self.inner);
        let handle = set_timeout_with_handle(
            move || {
                let Some(s) = upgrade(&weak) else { return };
                s.inner.preview_timer.take();
                let draft = s.inner.preview.borrow_mut().due(js_sys::Date::now());
                if let Some(draft) = draft {
                    s.send_typing(true, Some(draft));
                }
            },
            Duration::from_millis(wait.ceil() as u64),
        )
        .ok();
        *self.inner.preview_timer.borrow_mut() = handle;
    }

    /// Whether agents see drafts before they are sent (the composer says
    /// so).
    pub fn typing_preview(&self) -> bool {
        self.inner.config.typing_preview
    }

    fn check_idle_later(&self) {
        let weak = Rc::downgrade(&self.inner);
        let handle = set_timeout_with_handle(
            move || {
                let Some(s) = upgrade(&weak) else { return };
                let now = js_sys::Date::now() as shared::Millis;
                let frame = s.inner.typing.borrow_mut().idle(now);
                if let Some(typing) = frame {
                    s.clear_preview();
                    s.send_typing(typing, None);
                }
            },
            Duration::from_millis(TYPING_IDLE_MS),
        )
        .ok();
        if let Some(old) = self.inner.typing_idle.replace(handle) {
            old.clear();
        }
    }

    fn expire_agent_typing_later(&self) {
        let state = self.inner.state;
        let handle = set_timeout_with_handle(
            move || state.update(|s| s.agent_typing_expired()),
            AGENT_TYPING_TTL,
        )
        .ok();
        if let Some(old) = self.inner.agent_typing_expiry.replace(handle) {
            old.clear();
        }
    }
}

fn send_frame(pending: &Pending) -> VisitorClientFrame {
    VisitorClientFrame::Send {
        client_id: pending.client_id.clone(),
        body: pending.body.clone(),
    }
}

/// The visitor's IANA time zone (`Asia/Tehran`), as the browser knows it.
fn time_zone() -> Option<String> {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
}

fn upgrade(weak: &Weak<Inner>) -> Option<Session> {
    weak.upgrade().map(|inner| Session { inner })
}

fn with_weak(weak: &Weak<Inner>, f: fn(&Session)) -> Box<dyn Fn()> {
    let weak = weak.clone();
    Box::new(move || {
        if let Some(s) = upgrade(&weak) {
            f(&s);
        }
    })
}
