//! The one agent websocket (`/ws/agent`), opened when the inbox mounts and
//! provided to the components as context.
//!
//! It reconnects by itself with exponential backoff ([`backoff`]: 0.5 s
//! doubling to 10 s, equal jitter — `client::backoff`, the widget's rule
//! too — so a server restart is not met by every
//! dashboard at the same instant). A browser cannot see why an upgrade was
//! refused, so after every close the session is checked with `GET /api/me`:
//! a 401 means the session is gone and the socket reports
//! [`ConnEvent::SessionLost`] instead of retrying.
//!
//! The connection counts as up once the server's `welcome` arrives, not on
//! the socket's `open`: only then is the agent authenticated and the
//! snapshot on its way.

use crate::api;
use leptos::prelude::*;
use shared::protocol::{AgentClientFrame, AgentServerFrame};
use std::rc::Rc;
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CloseEvent, MessageEvent, WebSocket};

/// The delay before reconnect attempt `attempt` (0-based); `jitter` is a
/// uniform random number in `[0, 1)` (`client::backoff`, the widget's
/// rule too).
pub fn backoff(attempt: u32, jitter: f64) -> Duration {
    Duration::from_millis(u64::from(client::backoff::delay_ms(attempt, jitter)))
}

/// The socket's state, for the connection badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnState {
    /// First attempt since the inbox opened.
    Connecting,
    /// `welcome` received; frames flow.
    Connected,
    /// Lost; a retry is scheduled or under way.
    Reconnecting,
}

impl ConnState {
    /// The `data-state` of `[data-test=connection]`. The contract has two
    /// values: anything not connected is (re)connecting.
    pub fn data_state(self) -> &'static str {
        match self {
            ConnState::Connected => "connected",
            ConnState::Connecting | ConnState::Reconnecting => "reconnecting",
        }
    }
}

/// What the socket tells its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnEvent {
    /// A frame from the server (boxed: frames are large next to the other
    /// variant).
    Frame(Box<AgentServerFrame>),
    /// The session is gone (logged out elsewhere, expired): back to login.
    SessionLost,
    /// The session is fine but the socket keeps being refused or cut
    /// ([`TROUBLE_AFTER`] attempts in a row): say so on screen rather than
    /// spin on "Reconnecting…" with no explanation.
    Trouble,
}

/// Failed attempts in a row (with a valid session) before [`ConnEvent::Trouble`].
pub const TROUBLE_AFTER: u32 = 3;

/// Handle to the agent socket; cheap to copy.
#[derive(Clone, Copy)]
pub struct Conn {
    state: RwSignal<ConnState>,
    inner: StoredValue<Inner, LocalStorage>,
}

struct Inner {
    url: String,
    socket: Option<Socket>,
    /// Bumped per socket, so a late event of a replaced socket is ignored.
    generation: u32,
    /// Failed attempts since the last `welcome`.
    attempt: u32,
    retry: Option<TimeoutHandle>,
    stopped: bool,
    on_event: Rc<dyn Fn(ConnEvent)>,
}

/// A socket with the callbacks it holds.
struct Socket {
    ws: WebSocket,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut(CloseEvent)>,
}

impl Socket {
    /// Detaches and closes the socket. The callbacks are dropped on a later
    /// task: this may run inside one of them, and a wasm-bindgen closure
    /// must not be freed while it runs.
    fn retire(self) {
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
        set_timeout(move || drop(self), Duration::ZERO);
    }
}

impl Conn {
    /// A connection to `url`, not yet opened: the owner needs the handle
    /// before it can say what to do with frames (its handler sends some).
    pub fn new(url: String) -> Conn {
        Conn {
            state: RwSignal::new(ConnState::Connecting),
            inner: StoredValue::new_local(Inner {
                url,
                socket: None,
                generation: 0,
                attempt: 0,
                retry: None,
                stopped: false,
                on_event: Rc::new(|_| {}),
            }),
        }
    }

    /// Opens the socket; `on_event` receives every frame. Stop it with
    /// [`Conn::stop`] (the inbox does on cleanup).
    pub fn start(&self, on_event: impl Fn(ConnEvent) + 'static) {
        self.inner
            .update_value(|inner| inner.on_event = Rc::new(on_event));
        self.connect();
    }

    /// The current state (reactive).
    pub fn state(&self) -> ConnState {
        self.state.get()
    }

    /// Sends a frame if the socket is open; false if it was not sent.
    /// Callers that must not lose a frame (replies) keep it themselves and
    /// send it again after the next `welcome`.
    pub fn send(&self, frame: &AgentClientFrame) -> bool {
        let Ok(json) = serde_json::to_string(frame) else {
            return false;
        };
        self.inner
            .try_with_value(|inner| {
                inner.socket.as_ref().is_some_and(|s| {
                    s.ws.ready_state() == WebSocket::OPEN && s.ws.send_with_str(&json).is_ok()
                })
            })
            .unwrap_or(false)
    }

    /// Closes the socket for good.
    pub fn stop(&self) {
        let retired = self.inner.try_update_value(|inner| {
            inner.stopped = true;
            if let Some(handle) = inner.retry.take() {
                handle.clear();
            }
            inner.socket.take()
        });
        if let Some(Some(socket)) = retired {
            socket.retire();
        }
    }

    fn connect(self) {
        let Some((url, generation)) = self
            .inner
            .try_update_value(|inner| {
                inner.retry = None;
                inner.generation = inner.generation.wrapping_add(1);
                (!inner.stopped).then(|| (inner.url.clone(), inner.generation))
            })
            .flatten()
        else {
            return;
        };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                // Only a malformed URL throws here; retrying keeps the
                // badge honest and costs nothing.
                self.closed(generation);
                return;
            }
        };
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                self.received(generation, &text);
            }
        });
        let on_close = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            self.closed(generation);
        });
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let socket = Socket {
            ws,
            _on_message: on_message,
            _on_close: on_close,
        };
        let old = self
            .inner
            .try_update_value(|inner| inner.socket.replace(socket))
            .flatten();
        if let Some(old) = old {
            old.retire();
        }
    }

    fn is_current(&self, generation: u32) -> bool {
        self.inner
            .try_with_value(|inner| !inner.stopped && inner.generation == generation)
            .unwrap_or(false)
    }

    fn emit(&self, event: ConnEvent) {
        // The handler is called with no borrow held: it sends frames and
        // may stop the connection.
        if let Some(handler) = self.inner.try_with_value(|inner| inner.on_event.clone()) {
            handler(event);
        }
    }

    fn received(self, generation: u32, text: &str) {
        if !self.is_current(generation) {
            return;
        }
        let frame: AgentServerFrame = match serde_json::from_str(text) {
            Ok(frame) => frame,
            Err(e) => {
                leptos::logging::warn!("ahlan: unreadable frame: {e}");
                return;
            }
        };
        if matches!(frame, AgentServerFrame::Welcome { .. }) {
            self.inner.update_value(|inner| inner.attempt = 0);
            self.state.set(ConnState::Connected);
        }
        self.emit(ConnEvent::Frame(Box::new(frame)));
    }

    fn closed(self, generation: u32) {
        if !self.is_current(generation) {
            return;
        }
        if self.state.get_untracked() != ConnState::Connecting {
            self.state.set(ConnState::Reconnecting);
        }
        leptos::task::spawn_local(async move {
            let session_gone = matches!(api::me().await, Ok(None));
            if !self.is_current(generation) {
                return;
            }
            if session_gone {
                self.stop();
                self.emit(ConnEvent::SessionLost);
            } else {
                self.schedule_retry();
            }
        });
    }

    fn schedule_retry(self) {
        let Some(attempt) = self.inner.try_update_value(|inner| {
            inner.attempt += 1;
            inner.attempt - 1
        }) else {
            return;
        };
        if attempt > 0 {
            self.state.set(ConnState::Reconnecting);
        }
        if attempt + 1 == TROUBLE_AFTER {
            self.emit(ConnEvent::Trouble);
        }
        let delay = backoff(attempt, js_sys::Math::random());
        if let Ok(handle) = set_timeout_with_handle(move || self.connect(), delay) {
            self.inner.update_value(|inner| inner.retry = Some(handle));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_the_shared_rule() {
        // Equal jitter (client::backoff): half of 0.5 s … 10 s fixed.
        assert_eq!(backoff(0, 0.0).as_millis(), 250);
        assert_eq!(backoff(4, 1.0).as_millis(), 8_000);
        assert_eq!(backoff(60, 1.0).as_millis(), 10_000);
    }

    #[test]
    fn data_state_has_the_two_contract_values() {
        assert_eq!(ConnState::Connected.data_state(), "connected");
        assert_eq!(ConnState::Connecting.data_state(), "reconnecting");
        assert_eq!(ConnState::Reconnecting.data_state(), "reconnecting");
    }
}
