//! One reconnecting websocket for both apps, generic over the frames it
//! carries: the widget's visitor socket and the dashboard's agent socket
//! used to be two copies that drifted apart (one ignored late events of a
//! replaced socket by generation, the other by detaching its callbacks;
//! different backoff jitter).
//!
//! [`Reconnect`] is the bookkeeping — which socket is current, attempts
//! since the server last greeted us, stopped or not — in plain code, tested
//! on native. [`Socket`] puts a browser `WebSocket`, timers and JSON around
//! it (browser only at run time). What a connection says first (`hello`) and what a
//! close means (the dashboard first asks whether the session still
//! exists) stay with each app, through [`Handlers`].

use crate::backoff::Backoff;

/// Which socket is current and how far the retries are.
#[derive(Debug, Default)]
pub struct Reconnect {
    /// Bumped per socket: an event of a replaced socket is stale.
    generation: u32,
    backoff: Backoff,
    stopped: bool,
}

impl Reconnect {
    /// A new socket is being opened: its generation, or `None` once
    /// stopped.
    pub fn begin(&mut self) -> Option<u32> {
        if self.stopped {
            return None;
        }
        self.generation = self.generation.wrapping_add(1);
        Some(self.generation)
    }

    /// Whether an event of socket `generation` still counts.
    pub fn is_current(&self, generation: u32) -> bool {
        !self.stopped && self.generation == generation
    }

    /// Another attempt is due: its number since the last greeting (0
    /// first) and the delay before it in milliseconds (`random` uniform in
    /// `[0, 1)`, see [`crate::backoff`]).
    pub fn next_attempt(&mut self, random: f64) -> (u32, u32) {
        let attempt = self.backoff.attempts();
        (attempt, self.backoff.next_delay(random))
    }

    /// The server greeted us: the next outage starts from the short delay.
    pub fn established(&mut self) {
        self.backoff.reset();
    }

    /// No more sockets; every later event is stale.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Whether [`Reconnect::stop`] was called.
    pub fn stopped(&self) -> bool {
        self.stopped
    }
}

pub use browser::{AfterClose, Handlers, Socket};

/// The browser part: it compiles everywhere, runs in a browser only.
mod browser {
    use super::Reconnect;
    use leptos::prelude::{set_timeout, set_timeout_with_handle, TimeoutHandle};
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::cell::RefCell;
    use std::marker::PhantomData;
    use std::rc::{Rc, Weak};
    use std::time::Duration;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{MessageEvent, WebSocket};

    /// What to do once a socket closed (or failed to open).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AfterClose {
        /// Try again after the backoff delay.
        Retry,
        /// Nothing yet: the owner calls [`Socket::retry`] or
        /// [`Socket::stop`] when it knows more.
        Hold,
    }

    /// What the socket reports to its owner. Called with no borrow held:
    /// a handler may send, reconnect or stop.
    pub struct Handlers<In> {
        /// A socket opened (say `hello` if the protocol wants one).
        pub on_open: Box<dyn Fn()>,
        /// A frame arrived. Frames that do not parse (a newer server's)
        /// are logged and dropped, so cached old clients keep working.
        pub on_frame: Box<dyn Fn(In)>,
        /// The socket closed or failed to open.
        pub on_close: Box<dyn Fn() -> AfterClose>,
    }

    /// Handle to the connection; clones share it.
    pub struct Socket<In, Out> {
        inner: Rc<RefCell<Inner<In>>>,
        _out: PhantomData<fn(&Out)>,
    }

    impl<In, Out> Clone for Socket<In, Out> {
        fn clone(&self) -> Self {
            Socket {
                inner: self.inner.clone(),
                _out: PhantomData,
            }
        }
    }

    struct Inner<In> {
        url: String,
        handlers: Option<Rc<Handlers<In>>>,
        live: Option<Live>,
        reconnect: Reconnect,
        retry: Option<TimeoutHandle>,
    }

    /// A browser socket with its callbacks, which must live as long as it.
    struct Live {
        ws: WebSocket,
        _on_open: Closure<dyn FnMut()>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_close: Closure<dyn FnMut()>,
    }

    impl Live {
        /// Detaches and closes the socket at once, then frees its callbacks
        /// on a later task: this may run inside one of them, and a
        /// wasm-bindgen closure must not be freed while it runs.
        fn retire(self) {
            self.ws.set_onopen(None);
            self.ws.set_onmessage(None);
            self.ws.set_onclose(None);
            let _ = self.ws.close();
            set_timeout(move || drop(self), Duration::ZERO);
        }
    }

    impl<In: DeserializeOwned + 'static, Out: Serialize> Socket<In, Out> {
        /// A connection to `url`, not opened yet: an owner whose handlers
        /// send frames needs the handle first.
        pub fn new(url: &str) -> Self {
            Socket {
                inner: Rc::new(RefCell::new(Inner {
                    url: url.to_owned(),
                    handlers: None,
                    live: None,
                    reconnect: Reconnect::default(),
                    retry: None,
                })),
                _out: PhantomData,
            }
        }

        /// Opens the socket, reporting to `handlers`.
        pub fn start(&self, handlers: Handlers<In>) {
            self.inner.borrow_mut().handlers = Some(Rc::new(handlers));
            connect(&self.inner);
        }

        /// Sends a frame if the socket is open; `false` if it was not sent
        /// (callers keep what must not be lost, e.g. an outbox, and send it
        /// again after the next greeting).
        pub fn send(&self, frame: &Out) -> bool {
            let inner = self.inner.borrow();
            let Some(live) = &inner.live else {
                return false;
            };
            if live.ws.ready_state() != WebSocket::OPEN {
                return false;
            }
            match serde_json::to_string(frame) {
                Ok(text) => live.ws.send_with_str(&text).is_ok(),
                Err(_) => false,
            }
        }

        /// The server greeted us: the next outage starts from the short
        /// delay.
        pub fn established(&self) {
            self.inner.borrow_mut().reconnect.established();
        }

        /// Replaces the socket by a new one now (to say a different
        /// `hello`, or because the network came back).
        pub fn reconnect_now(&self) {
            let old = {
                let mut inner = self.inner.borrow_mut();
                if inner.reconnect.stopped() {
                    return;
                }
                if let Some(retry) = inner.retry.take() {
                    retry.clear();
                }
                inner.live.take()
            };
            if let Some(old) = old {
                old.retire();
            }
            connect(&self.inner);
        }

        /// After [`AfterClose::Hold`]: tries again after the backoff delay.
        /// Returns the attempt's number since the last greeting (0 first),
        /// or `None` when stopped.
        pub fn retry(&self) -> Option<u32> {
            schedule_retry(&self.inner)
        }

        /// Whether [`Socket::stop`] was called.
        pub fn stopped(&self) -> bool {
            self.inner.borrow().reconnect.stopped()
        }

        /// Closes for good.
        pub fn stop(&self) {
            let old = {
                let mut inner = self.inner.borrow_mut();
                inner.reconnect.stop();
                if let Some(retry) = inner.retry.take() {
                    retry.clear();
                }
                inner.live.take()
            };
            if let Some(old) = old {
                old.retire();
            }
        }
    }

    fn connect<In: DeserializeOwned + 'static>(inner: &Rc<RefCell<Inner<In>>>) {
        let Some((url, generation)) = ({
            let mut guard = inner.borrow_mut();
            guard.retry = None;
            let url = guard.url.clone();
            guard.reconnect.begin().map(|g| (url, g))
        }) else {
            return;
        };
        let ws = match WebSocket::new(&url) {
            Ok(ws) => ws,
            Err(_) => {
                // Only a malformed URL throws here; retrying takes the same
                // path as a refused connection.
                closed(inner, generation);
                return;
            }
        };
        let weak = Rc::downgrade(inner);
        let on_open = Closure::<dyn FnMut()>::new({
            let weak = weak.clone();
            move || {
                if let Some(handlers) = current(&weak, generation) {
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
                let Some(handlers) = current(&weak, generation) else {
                    return;
                };
                match serde_json::from_str::<In>(&text) {
                    Ok(frame) => (handlers.on_frame)(frame),
                    Err(_) => {
                        web_sys::console::warn_2(&"ahlan: unreadable frame".into(), &text.into())
                    }
                }
            }
        });
        // `error` is always followed by `close`: `close` alone drives retries.
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                closed(&inner, generation);
            }
        });
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let old = inner.borrow_mut().live.replace(Live {
            ws,
            _on_open: on_open,
            _on_message: on_message,
            _on_close: on_close,
        });
        if let Some(old) = old {
            old.retire();
        }
    }

    /// The handlers, if socket `generation` is still the current one.
    fn current<In>(weak: &Weak<RefCell<Inner<In>>>, generation: u32) -> Option<Rc<Handlers<In>>> {
        let inner = weak.upgrade()?;
        let guard = inner.borrow();
        if !guard.reconnect.is_current(generation) {
            return None;
        }
        guard.handlers.clone()
    }

    /// Socket `generation` is gone: tell the owner, and retry if it says so.
    fn closed<In: DeserializeOwned + 'static>(inner: &Rc<RefCell<Inner<In>>>, generation: u32) {
        let (old, handlers) = {
            let mut guard = inner.borrow_mut();
            if !guard.reconnect.is_current(generation) {
                return;
            }
            (guard.live.take(), guard.handlers.clone())
        };
        if let Some(old) = old {
            old.retire();
        }
        let after = handlers.map_or(AfterClose::Retry, |h| (h.on_close)());
        if after == AfterClose::Retry {
            schedule_retry(inner);
        }
    }

    fn schedule_retry<In: DeserializeOwned + 'static>(
        inner: &Rc<RefCell<Inner<In>>>,
    ) -> Option<u32> {
        let (attempt, delay) = {
            let mut guard = inner.borrow_mut();
            if guard.reconnect.stopped() {
                return None;
            }
            if let Some(retry) = guard.retry.take() {
                retry.clear();
            }
            guard.reconnect.next_attempt(js_sys::Math::random())
        };
        let weak = Rc::downgrade(inner);
        let retry = set_timeout_with_handle(
            move || {
                if let Some(inner) = weak.upgrade() {
                    connect(&inner);
                }
            },
            Duration::from_millis(u64::from(delay)),
        )
        .ok();
        inner.borrow_mut().retry = retry;
        Some(attempt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_socket_counts_and_nothing_after_stop() {
        let mut r = Reconnect::default();
        let first = r.begin().unwrap();
        assert!(r.is_current(first));
        let second = r.begin().unwrap();
        assert!(!r.is_current(first), "a replaced socket's events are stale");
        assert!(r.is_current(second));
        r.stop();
        assert!(!r.is_current(second));
        assert_eq!(r.begin(), None, "no socket after stop");
        assert!(r.stopped());
    }

    #[test]
    fn attempts_count_up_with_the_shared_backoff_until_greeted() {
        let mut r = Reconnect::default();
        assert_eq!(r.next_attempt(0.0), (0, 250));
        assert_eq!(r.next_attempt(0.0), (1, 500));
        assert_eq!(r.next_attempt(1.0), (2, 2_000));
        r.established();
        assert_eq!(r.next_attempt(0.0), (0, 250), "from the short delay again");
    }
}
