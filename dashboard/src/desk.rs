//! The inbox page's working parts, joined: the [`Inbox`] state in a signal,
//! the agent socket, the error banner and a clock. Components reach it with
//! `expect_context::<Desk>()` and act through its methods, which update the
//! state and send the matching frame, so no component talks to the socket
//! or builds a frame itself.

use crate::api;
use crate::app::{request_error_key, Lang, Session};
use crate::auto_away::AutoAway;
use crate::conn::{Conn, ConnEvent};
use crate::fmt;
use crate::i18n::Key;
use crate::notify;
use crate::state::{Alert, Followup, Inbox};
use leptos::prelude::*;
use shared::api::Me;
use shared::protocol::{AgentClientFrame, AgentServerFrame, Millis, Presence};
use shared::{ClientId, ConversationId, ErrorCode};
use std::collections::HashMap;
use std::time::Duration;

/// How often the clock signal moves: waiting times are shown in minutes
/// and typing indicators expire in seconds, so this is fine enough.
const CLOCK_TICK: Duration = Duration::from_secs(2);

/// Wait before resending a reply the server could not take yet.
const RETRY_SEND_AFTER: Duration = Duration::from_secs(2);

/// What the error banner says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Banner {
    /// A server error code.
    Code(ErrorCode),
    /// A local problem (e.g. logout could not reach the server).
    Text(Key),
}

impl Banner {
    /// Its catalogue key.
    pub fn key(self) -> Key {
        match self {
            Banner::Code(code) => crate::i18n::error_key(code),
            Banner::Text(key) => key,
        }
    }
}

/// See the module docs. Cheap to copy: every field is a handle.
#[derive(Clone, Copy)]
pub struct Desk {
    /// The state; read it with `desk.inbox.with(…)`.
    pub inbox: RwSignal<Inbox>,
    /// The socket.
    pub conn: Conn,
    /// The current error, if any.
    pub banner: RwSignal<Option<Banner>>,
    /// The client's clock, ticking every couple of seconds.
    pub clock: RwSignal<Millis>,
    /// Unsent reply text per conversation, kept across switching.
    drafts: StoredValue<HashMap<ConversationId, String>>,
    /// Presence chosen while the socket was down; sent after `welcome`.
    wanted_presence: StoredValue<Option<Presence>>,
    /// Away when idle, back at the next input.
    auto_away: StoredValue<AutoAway>,
    /// Whether alerts chime (the agent's choice, kept in `localStorage`).
    pub sound: RwSignal<bool>,
    /// When this dashboard last said which conversation it has open.
    viewing_said: StoredValue<Millis>,
    lang: Lang,
    session: RwSignal<Session>,
}

impl Desk {
    /// Builds the desk for `me`, opens the socket and starts the clock; all
    /// of it stops when the calling component is unmounted.
    pub fn start(me: &Me, ws_url: String, auto_away_secs: u64) -> Desk {
        let desk = Desk {
            inbox: RwSignal::new(Inbox::new(me)),
            conn: Conn::new(ws_url),
            banner: RwSignal::new(None),
            clock: RwSignal::new(fmt::now()),
            drafts: StoredValue::new(HashMap::new()),
            wanted_presence: StoredValue::new(None),
            auto_away: StoredValue::new(AutoAway::new(auto_away_secs, fmt::now())),
            sound: RwSignal::new(stored_sound()),
            viewing_said: StoredValue::new(0),
            lang: expect_context::<Lang>(),
            session: expect_context::<RwSignal<Session>>(),
        };
        desk.conn.start(move |event| desk.on_event(event));

        let ticker = set_interval_with_handle(
            move || {
                let now = fmt::now();
                desk.clock.set(now);
                desk.inbox.maybe_update(|inbox| inbox.expire_typing(now));
                let presence = desk.inbox.with_untracked(Inbox::presence);
                let idle = desk
                    .auto_away
                    .try_update_value(|a| a.tick(now, presence))
                    .flatten();
                if let Some(next) = idle {
                    desk.set_presence(next);
                }
                desk.refresh_viewing(now, false);
            },
            CLOCK_TICK,
        )
        .ok();
        // Any input counts as being there. Cheap: a timestamp, and a frame
        // only when it ends an auto-away.
        let input = move || {
            notify::unlock_sound();
            let back = desk
                .auto_away
                .try_update_value(|a| a.input(fmt::now()))
                .flatten();
            if let Some(next) = back {
                desk.set_presence(next);
            }
        };
        let listeners = [
            window_event_listener(leptos::ev::keydown, move |_| input()),
            window_event_listener(leptos::ev::pointerdown, move |_| input()),
            window_event_listener(leptos::ev::pointermove, move |_| input()),
            window_event_listener(leptos::ev::wheel, move |_| input()),
            window_event_listener(leptos::ev::touchstart, move |_| input()),
        ];
        let conn = desk.conn;
        on_cleanup(move || {
            conn.stop();
            if let Some(ticker) = ticker {
                ticker.clear();
            }
            for listener in listeners {
                listener.remove();
            }
        });
        desk
    }

    fn send(self, frame: &AgentClientFrame) -> bool {
        self.conn.send(frame)
    }

    fn on_event(self, event: ConnEvent) {
        match event {
            ConnEvent::Frame(frame) => {
                let welcome = matches!(*frame, AgentServerFrame::Welcome { .. });
                let now = fmt::now();
                let followups = self
                    .inbox
                    .try_update(|inbox| inbox.apply(*frame, now))
                    .unwrap_or_default();
                if welcome {
                    self.restore_presence();
                    self.refresh_viewing(now, true);
                    // Connected again: the trouble is over.
                    if self.banner.get_untracked() == Some(Banner::Text(Key::SocketTrouble)) {
                        self.banner.set(None);
                    }
                }
                for followup in followups {
                    self.follow(followup);
                }
            }
            ConnEvent::SessionLost => self.session.set(Session::LoggedOut {
                notice: Some(Key::SessionEnded),
            }),
            ConnEvent::Trouble => self.banner.set(Some(Banner::Text(Key::SocketTrouble))),
        }
    }

    fn follow(self, followup: Followup) {
        match followup {
            Followup::Send(frame) => {
                self.send(&frame);
            }
            Followup::Alert(alert) => self.alert(alert),
            Followup::Error { code, .. } => self.banner.set(Some(Banner::Code(code))),
            Followup::RetrySend(client_id) => {
                set_timeout(
                    move || {
                        let frame = self
                            .inbox
                            .try_with_untracked(|inbox| inbox.resend(&client_id))
                            .flatten();
                        if let Some(frame) = frame {
                            self.send(&frame);
                        }
                    },
                    RETRY_SEND_AFTER,
                );
            }
        }
    }

    fn alert(self, alert: Alert) {
        let locale = self.lang.get_untracked();
        if self.sound.get_untracked() {
            notify::chime();
            count_chime();
        }
        let (id, title) = match alert {
            Alert::Queued(id) => (id, Key::NotifyQueued),
            Alert::Assigned(id) => (id, Key::NotifyAssigned),
            Alert::Message(id) => (id, Key::NotifyMessage),
            Alert::Callback(id) => return self.alert_callback(&id),
        };
        let body = self.inbox.with_untracked(|inbox| {
            inbox.get(&id).map(|c| {
                format!(
                    "{}: {}",
                    fmt::visitor_name(locale, &c.summary.visitor),
                    fmt::summary_preview(locale, &c.summary)
                )
            })
        });
        let Some(body) = body else { return };
        let tag = format!("ahlan-{id}");
        notify::show(locale, locale.text(title), &body, &tag, move || {
            self.select(&id);
        });
    }

    /// A visitor asked to be called back: a notification that opens the
    /// callbacks screen.
    fn alert_callback(self, id: &shared::CallbackId) {
        let locale = self.lang.get_untracked();
        let body = self.inbox.with_untracked(|inbox| {
            inbox.callbacks().get(id).map(|c| {
                let name = c
                    .name
                    .clone()
                    .unwrap_or_else(|| locale.text(Key::Visitor).to_owned());
                format!("{name}: {}", c.phone)
            })
        });
        let Some(body) = body else { return };
        let tag = format!("ahlan-{id}");
        notify::show(
            locale,
            locale.text(Key::NotifyCallback),
            &body,
            &tag,
            || {
                crate::pages::inbox::navigate(&crate::route::Route::Callbacks);
            },
        );
    }

    /// Opens a conversation in the main pane.
    pub fn select(self, id: &ConversationId) {
        let before = self.inbox.with_untracked(|inbox| inbox.selected().cloned());
        let frame = self.inbox.try_update(|inbox| inbox.select(id)).flatten();
        if let Some(frame) = frame {
            self.send(&frame);
        }
        if before.as_ref() != Some(id) {
            if let Some(old) = before {
                self.viewing(&old, false);
            }
            self.viewing(id, true);
        }
    }

    /// Opens a conversation found in the history.
    pub fn open_found(self, summary: shared::ConversationSummary) {
        let id = summary.id.clone();
        self.inbox.update(|inbox| inbox.adopt(summary));
        self.select(&id);
    }

    /// Closes the open conversation (on a phone: back to the lists).
    pub fn deselect(self) {
        let before = self.inbox.with_untracked(|inbox| inbox.selected().cloned());
        self.inbox.update(|inbox| inbox.deselect());
        if let Some(old) = before {
            self.viewing(&old, false);
        }
    }

    /// Tells colleagues I have `id` open (or closed it).
    fn viewing(self, id: &ConversationId, viewing: bool) {
        self.send(&AgentClientFrame::Viewing {
            conversation: id.clone(),
            viewing,
        });
        if viewing {
            self.viewing_said.set_value(fmt::now());
        }
    }

    /// Says again which conversation is open: after a reconnect, and every
    /// [`VIEWING_REFRESH_MS`] so colleagues do not let me fade.
    fn refresh_viewing(self, now: Millis, force: bool) {
        let due = now.saturating_sub(self.viewing_said.get_value()) >= VIEWING_REFRESH_MS;
        if !(force || due) {
            return;
        }
        if let Some(id) = self.inbox.with_untracked(|inbox| inbox.selected().cloned()) {
            self.viewing(&id, true);
        }
    }

    /// Takes a waiting conversation (and opens it).
    pub fn pick(self, id: &ConversationId) {
        self.select(id);
        if let Some(frame) = self.inbox.try_update(|inbox| inbox.pick(id)) {
            self.send(&frame);
        }
    }

    /// Hands a conversation to a colleague, a team or a supervisor, with
    /// an optional note for whoever takes it.
    pub fn transfer(self, id: &ConversationId, to: shared::TransferTarget, note: String) {
        self.send(&AgentClientFrame::Transfer {
            conversation: id.clone(),
            to,
            client_id: new_client_id(),
            note: (!note.trim().is_empty()).then_some(note),
        });
    }

    /// Tells the server I have read one of my conversations up to `seq`.
    pub fn read(self, id: &ConversationId, seq: shared::Seq) {
        self.send(&AgentClientFrame::Read {
            conversation: id.clone(),
            seq,
        });
    }

    /// Resolves one of my conversations.
    pub fn resolve(self, id: &ConversationId) {
        self.send(&AgentClientFrame::Resolve {
            conversation: id.clone(),
        });
    }

    /// Sends a reply. It stays in the outbox (shown as "sending") until
    /// acknowledged, and goes again after a reconnect if need be.
    pub fn reply(self, id: &ConversationId, body: String) {
        let client_id = new_client_id();
        let frame = self
            .inbox
            .try_update(|inbox| inbox.queue_send(id.clone(), client_id, body));
        if let Some(frame) = frame {
            self.send(&frame);
        }
    }

    /// Writes an internal note (for the agents, never the visitor).
    pub fn note(self, id: &ConversationId, body: String) {
        let client_id = new_client_id();
        let frame = self
            .inbox
            .try_update(|inbox| inbox.queue_note(id.clone(), client_id, body));
        if let Some(frame) = frame {
            self.send(&frame);
        }
    }

    /// Tells the visitor whether I am typing.
    pub fn typing(self, id: &ConversationId, typing: bool) {
        self.send(&AgentClientFrame::Typing {
            conversation: id.clone(),
            typing,
        });
    }

    /// Forgets a reply the server refused.
    pub fn discard(self, client_id: &ClientId) {
        self.inbox.update(|inbox| inbox.discard(client_id));
    }

    /// Turns the alert chime on or off, remembered in this browser.
    pub fn toggle_sound(self) {
        let on = !self.sound.get_untracked();
        if let Ok(Some(storage)) = window().local_storage() {
            let _ = storage.set_item(SOUND_KEY, if on { "on" } else { "off" });
        }
        self.sound.set(on);
    }

    /// Switches between online and away (the agent's choice: auto-away
    /// will not undo it).
    pub fn toggle_presence(self) {
        let next = match self.inbox.with_untracked(Inbox::presence) {
            Some(Presence::Online) => Presence::Away,
            _ => Presence::Online,
        };
        self.auto_away.update_value(AutoAway::chosen);
        self.set_presence(next);
    }

    /// Sets my presence here and on the server (after the next `welcome`
    /// if the socket is down).
    fn set_presence(self, next: Presence) {
        self.inbox.update(|inbox| inbox.set_presence(next));
        let sent = self.send(&AgentClientFrame::Presence { status: next });
        self.wanted_presence.set_value((!sent).then_some(next));
    }

    /// After `welcome`, the server's idea of my presence wins unless I
    /// changed it while the socket was down.
    fn restore_presence(self) {
        if let Some(wanted) = self.wanted_presence.get_value() {
            self.wanted_presence.set_value(None);
            self.inbox.update(|inbox| inbox.set_presence(wanted));
            self.send(&AgentClientFrame::Presence { status: wanted });
        }
    }

    /// The draft for a conversation.
    pub fn draft(self, id: &ConversationId) -> String {
        self.drafts
            .try_with_value(|d| d.get(id).cloned())
            .flatten()
            .unwrap_or_default()
    }

    /// Keeps a draft (an empty one is forgotten).
    pub fn keep_draft(self, id: &ConversationId, text: String) {
        self.drafts.update_value(|d| {
            if text.is_empty() {
                d.remove(id);
            } else {
                d.insert(id.clone(), text);
            }
        });
    }

    /// Ends the session.
    pub fn logout(self) {
        leptos::task::spawn_local(async move {
            match api::logout().await {
                Ok(()) => {
                    self.conn.stop();
                    self.session.set(Session::LoggedOut { notice: None });
                }
                Err(e) => self.banner.set(Some(Banner::Text(request_error_key(e)))),
            }
        });
    }
}

/// The client id of a reply or note (the widget's rule: `client::id`).
fn new_client_id() -> ClientId {
    client::id::new_client_id()
}

/// How often an open conversation is announced again (colleagues forget
/// someone not heard of for 90 s: `state::VIEWER_TTL_MS`).
const VIEWING_REFRESH_MS: Millis = 30_000;

/// `localStorage` key of the chime setting.
const SOUND_KEY: &str = "ahlan.sound";

/// The chime setting: on unless this browser turned it off.
fn stored_sound() -> bool {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(SOUND_KEY).ok().flatten());
    stored.as_deref() != Some("off")
}

/// Counts the chimes decided, in `<html data-chimes>`: a test hook
/// (ARCHITECTURE.md, "Test hooks"), since a headless browser cannot be
/// listened to.
fn count_chime() {
    if let Some(root) = document().document_element() {
        let n: u32 = root
            .get_attribute("data-chimes")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let _ = root.set_attribute("data-chimes", &(n + 1).to_string());
    }
}
