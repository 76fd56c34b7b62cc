//! The widget's websocket: the reconnecting socket both apps share
//! ([`client::socket`]), carrying visitor frames. It reconnects by itself
//! with the shared backoff until told to stop; what to say on each
//! connection (the `hello`) and what frames mean is the session's business,
//! reached through [`Handlers`].

pub use client::socket::{AfterClose, Handlers};

/// Handle to the connection; clones share it.
pub type Conn = client::socket::Socket<shared::VisitorServerFrame, shared::VisitorClientFrame>;
