//! The one websocket to the server. It reconnects by itself with
//! [`Backoff`] until told to [`Conn::stop`]; what to say on each connection
//! (the `hello`) and what frames mean is the session's business, reached
//! through [`Handlers`].

use client::backoff::Backoff;
use leptos::prelude::{set_timeout_with_handle, TimeoutHandle};
use shared::{VisitorClientFrame, VisitorServerFrame};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, WebSocket};

/// What the connection reports.
pub struct Handlers {
    /// A socket opened: say `hello`.
    pub on_open: Box<dyn Fn()>,
    /// A frame arrived.
    pub on_frame: Box<dyn Fn(VisitorServerFrame)>,
    /// The socket closed (or failed to open); a reconnect is scheduled.
    pub on_close: Box<dyn Fn()>,
}

/// Handle to the connection; clones share it.
#[derive(Clone)]
pub struct Conn {
    inner: Rc<RefCell<Inner>>,
}

struct Inner {
    url: String,
    handlers: Rc<Handlers>,
    socket: Option<Socket>,
    backoff: Backoff,
    retry: Option<TimeoutHandle>,
    stopped: bool,
}

/// A socket with its event closures, which must live as long as it does.
struct Socket {
    ws: WebSocket,
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl Socket {
    /// Detaches and closes the socket at once, so a replaced socket reports
    /// nothing more, then frees its closures on a later tick: this may run
    /// inside one of them (a frame that makes the session reconnect).
    fn retire(self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
        leptos::prelude::set_timeout(move || drop(self), Duration::ZERO);
    }
}

impl Conn {
    /// Starts connecting to `url`.
    pub fn open(url: &str, handlers: Handlers) -> Conn {
        let conn = Conn {
            inner: Rc::new(RefCell::new(Inner {
                url: url.to_owned(),
                handlers: Rc::new(handlers),
                socket: None,
                backoff: Backoff::default(),
                retry: None,
                stopped: false,
            })),
        };
        connect(&conn.inner);
        conn
    }

    /// Sends a frame if the socket is open; `false` if it is not (the caller
    /// keeps what must survive, e.g. the outbox).
    pub fn send(&self, frame: &VisitorClientFrame) -> bool {
        let inner = self.inner.borrow();
        let Some(socket) = &inner.socket else {
            return false;
        };
        if socket.ws.ready_state() != WebSocket::OPEN {
            return false;
        }
        match serde_json::to_string(frame) {
            Ok(text) => socket.ws.send_with_str(&text).is_ok(),
            Err(_) => false,
        }
    }

    /// The server greeted us: the next outage starts from the short delay.
    pub fn established(&self) {
        self.inner.borrow_mut().backoff.reset();
    }

    /// Replaces the socket by a new one now (to say a different `hello`, or
    /// because the network came back).
    pub fn reconnect_now(&self) {
        let old = {
            let mut inner = self.inner.borrow_mut();
            if inner.stopped {
                return;
            }
            if let Some(retry) = inner.retry.take() {
                retry.clear();
            }
            inner.socket.take()
        };
        if let Some(old) = old {
            old.retire();
        }
        connect(&self.inner);
    }

    /// Closes for good.
    pub fn stop(&self) {
        let old = {
            let mut inner = self.inner.borrow_mut();
            inner.stopped = true;
            if let Some(retry) = inner.retry.take() {
                retry.clear();
            }
            inner.socket.take()
        };
        if let Some(old) = old {
            old.retire();
        }
    }
}

fn connect(inner: &Rc<RefCell<Inner>>) {
    let url = inner.borrow().url.clone();
    let ws = match WebSocket::new(&url) {
        Ok(ws) => ws,
        Err(_) => {
            // A malformed URL fails at once; retrying keeps the same path as
            // a refused connection.
            lost(inner);
            return;
        }
    };
    let weak = Rc::downgrade(inner);

    let on_open = Closure::<dyn FnMut()>::new({
        let weak = weak.clone();
        move || {
            if let Some(handlers) = handlers(&weak) {
                (handlers.on_open)();
            }
        }
    });
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
        let weak = weak.clone();
        move |event: MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            let Some(handlers) = handlers(&weak) else {
                return;
            };
            match serde_json::from_str::<VisitorServerFrame>(&text) {
                Ok(frame) => (handlers.on_frame)(frame),
                // A newer server may add frames; ignoring them keeps old
                // widgets (cached by browsers) working.
                Err(_) => web_sys::console::warn_2(&"ahlan: unknown frame".into(), &text.into()),
            }
        }
    });
    // `error` is always followed by `close`, so `close` alone drives retries.
    let on_close = Closure::<dyn FnMut()>::new(move || {
        if let Some(inner) = weak.upgrade() {
            lost(&inner);
        }
    });
    ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));

    inner.borrow_mut().socket = Some(Socket {
        ws,
        _on_open: on_open,
        _on_message: on_message,
        _on_close: on_close,
    });
}

fn handlers(weak: &Weak<RefCell<Inner>>) -> Option<Rc<Handlers>> {
    Some(weak.upgrade()?.borrow().handlers.clone())
}

/// The socket is gone: tell the session and schedule the next attempt.
fn lost(inner: &Rc<RefCell<Inner>>) {
    let (old, handlers, delay) = {
        let mut guard = inner.borrow_mut();
        if guard.stopped {
            return;
        }
        let delay = guard.backoff.next_delay(crate::random::unit());
        (guard.socket.take(), guard.handlers.clone(), delay)
    };
    if let Some(old) = old {
        old.retire();
    }
    (handlers.on_close)();

    let weak = Rc::downgrade(inner);
    let retry = set_timeout_with_handle(
        move || {
            if let Some(inner) = weak.upgrade() {
                inner.borrow_mut().retry = None;
                connect(&inner);
            }
        },
        Duration::from_millis(u64::from(delay)),
    )
    .ok();
    inner.borrow_mut().retry = retry;
}
