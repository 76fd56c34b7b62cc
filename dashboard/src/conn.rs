//! The one agent websocket (`/ws/agent`), opened when the inbox mounts and
//! provided to the components as context.
//!
//! It is the reconnecting socket both apps share (`client::socket`):
//! exponential backoff (`client::backoff`: 0.5 s doubling to 10 s, equal jitter,
//! so a server restart is not met by every dashboard at the same instant),
//! events of a replaced socket ignored. A browser cannot see why an upgrade was
//! refused, so after every close the session is checked with `GET /api/me`:
//! a 401 means the session is gone and the socket reports
//! [`ConnEvent::SessionLost`] instead of retrying.
//!
//! The connection counts as up once the server's `welcome` arrives, not on
//! the socket's `open`: only then is the agent authenticated and the
//! snapshot on its way.

use crate::api;
use client::socket::{AfterClose, Handlers};
use leptos::prelude::*;
use shared::protocol::{AgentClientFrame, AgentServerFrame};
use std::rc::Rc;

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

/// The shared reconnecting socket ([`client::socket`]) with agent frames.
type Socket = client::socket::Socket<AgentServerFrame, AgentClientFrame>;

/// Handle to the agent socket; cheap to copy.
#[derive(Clone, Copy)]
pub struct Conn {
    state: RwSignal<ConnState>,
    socket: StoredValue<Socket, LocalStorage>,
}

impl Conn {
    /// A connection to `url`, not yet opened: the owner needs the handle
    /// before it can say what to do with frames (its handler sends some).
    pub fn new(url: String) -> Conn {
        Conn {
            state: RwSignal::new(ConnState::Connecting),
            socket: StoredValue::new_local(Socket::new(&url)),
        }
    }

    /// Opens the socket; `on_event` receives every frame. Stop it with
    /// [`Conn::stop`] (the inbox does on cleanup).
    pub fn start(&self, on_event: impl Fn(ConnEvent) + 'static) {
        let this = *self;
        let on_event: Rc<dyn Fn(ConnEvent)> = Rc::new(on_event);
        let on_frame = {
            let on_event = on_event.clone();
            move |frame: AgentServerFrame| {
                if matches!(frame, AgentServerFrame::Welcome { .. }) {
                    this.with_socket(Socket::established);
                    this.state.set(ConnState::Connected);
                }
                on_event(ConnEvent::Frame(Box::new(frame)));
            }
        };
        let on_close = move || {
            if this.state.get_untracked() != ConnState::Connecting {
                this.state.set(ConnState::Reconnecting);
            }
            let on_event = on_event.clone();
            leptos::task::spawn_local(async move {
                let session_gone = matches!(api::me().await, Ok(None));
                if this.with_socket(Socket::stopped).unwrap_or(true) {
                    return;
                }
                if session_gone {
                    this.stop();
                    on_event(ConnEvent::SessionLost);
                    return;
                }
                let Some(Some(attempt)) = this.with_socket(Socket::retry) else {
                    return;
                };
                if attempt > 0 {
                    this.state.set(ConnState::Reconnecting);
                }
                if attempt + 1 == TROUBLE_AFTER {
                    on_event(ConnEvent::Trouble);
                }
            });
            AfterClose::Hold
        };
        self.with_socket(|socket| {
            socket.start(Handlers {
                on_open: Box::new(|| {}),
                on_frame: Box::new(on_frame),
                on_close: Box::new(on_close),
            })
        });
    }

    /// The current state (reactive).
    pub fn state(&self) -> ConnState {
        self.state.get()
    }

    /// Sends a frame if the socket is open; false if it was not sent.
    /// Callers that must not lose a frame (replies) keep it themselves and
    /// send it again after the next `welcome`.
    pub fn send(&self, frame: &AgentClientFrame) -> bool {
        self.with_socket(|socket| socket.send(frame))
            .unwrap_or(false)
    }

    /// Closes the socket for good.
    pub fn stop(&self) {
        self.with_socket(Socket::stop);
    }

    /// Runs `f` on a clone of the socket handle, with no borrow of the
    /// stored value held: the socket calls back into handlers that use it.
    fn with_socket<T>(&self, f: impl FnOnce(&Socket) -> T) -> Option<T> {
        let socket = self.socket.try_get_value()?;
        Some(f(&socket))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_state_has_the_two_contract_values() {
        assert_eq!(ConnState::Connected.data_state(), "connected");
        assert_eq!(ConnState::Connecting.data_state(), "reconnecting");
        assert_eq!(ConnState::Reconnecting.data_state(), "reconnecting");
    }
}
