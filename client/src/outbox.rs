//! Sends the server has not acknowledged yet, oldest first, each client id
//! once. The rule both apps follow: a send stays here (and on screen as
//! pending) until its `ack` or its own message comes back; after every
//! reconnect each one not refused for good goes again, oldest first — the
//! client id makes a send the server already stored come back as the
//! original ack, never a second message.
//!
//! What a send holds is each app's: the widget's are one visitor's and
//! survive a reload in `localStorage`; the dashboard's span conversations
//! and notes and may be refused for good (the agent then discards them).

use serde::{Deserialize, Serialize};
use shared::ClientId;

/// A send held by an [`Outbox`].
pub trait Outgoing {
    /// Its idempotency key.
    fn client_id(&self) -> &ClientId;

    /// Whether the server refused it for good: it stays shown (so the
    /// person can copy or discard it) but is not sent again.
    fn refused(&self) -> bool {
        false
    }
}

/// Unacknowledged sends, oldest first (stored as a plain list, so it
/// persists as one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Outbox<T> {
    sends: Vec<T>,
}

impl<T> Default for Outbox<T> {
    fn default() -> Self {
        Outbox { sends: Vec::new() }
    }
}

impl<T: Outgoing> From<Vec<T>> for Outbox<T> {
    /// An outbox of `sends` (restored after a reload), a repeated client
    /// id kept once, at its last place.
    fn from(sends: Vec<T>) -> Self {
        let mut outbox = Outbox::default();
        for send in sends {
            outbox.push(send);
        }
        outbox
    }
}

impl<T: Outgoing> Outbox<T> {
    /// Holds `send` as the newest; one with the same client id already
    /// here is replaced (a send is held once, however often it is made).
    pub fn push(&mut self, send: T) {
        self.sends.retain(|s| s.client_id() != send.client_id());
        self.sends.push(send);
    }

    /// The send of `client_id`.
    pub fn get(&self, client_id: &ClientId) -> Option<&T> {
        self.sends.iter().find(|s| s.client_id() == client_id)
    }

    /// The send of `client_id`, to change (say, to mark it refused).
    pub fn get_mut(&mut self, client_id: &ClientId) -> Option<&mut T> {
        self.sends.iter_mut().find(|s| s.client_id() == client_id)
    }

    /// Removes and returns the send of `client_id`: it was acknowledged,
    /// or it came back as a message, or it is given up.
    pub fn take(&mut self, client_id: &ClientId) -> Option<T> {
        let i = self.sends.iter().position(|s| s.client_id() == client_id)?;
        Some(self.sends.remove(i))
    }

    /// Keeps only the sends `keep` says yes to, in order.
    pub fn retain(&mut self, keep: impl FnMut(&T) -> bool) {
        self.sends.retain(keep);
    }

    /// What goes again after a reconnect: every send not refused, oldest
    /// first.
    pub fn to_resend(&self) -> impl Iterator<Item = &T> {
        self.sends.iter().filter(|s| !s.refused())
    }

    /// Every send, oldest first.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.sends.iter()
    }

    /// Every send, oldest first, as a slice.
    pub fn as_slice(&self) -> &[T] {
        &self.sends
    }

    /// Whether nothing waits for an ack.
    pub fn is_empty(&self) -> bool {
        self.sends.is_empty()
    }

    /// How many sends wait for an ack.
    pub fn len(&self) -> usize {
        self.sends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    struct Send {
        id: ClientId,
        body: String,
        refused: bool,
    }

    impl Outgoing for Send {
        fn client_id(&self) -> &ClientId {
            &self.id
        }
        fn refused(&self) -> bool {
            self.refused
        }
    }

    fn send(id: &str, body: &str) -> Send {
        Send {
            id: id.into(),
            body: body.to_owned(),
            refused: false,
        }
    }

    fn bodies<'a>(sends: impl Iterator<Item = &'a Send>) -> Vec<&'a str> {
        sends.map(|s| s.body.as_str()).collect()
    }

    #[test]
    fn sends_are_held_once_each_oldest_first() {
        let mut outbox = Outbox::default();
        outbox.push(send("a", "one"));
        outbox.push(send("b", "two"));
        outbox.push(send("a", "one again"));
        assert_eq!(bodies(outbox.iter()), ["two", "one again"]);
        assert_eq!(outbox.len(), 2);
        let restored = Outbox::from(vec![send("x", "1"), send("y", "2"), send("x", "3")]);
        assert_eq!(bodies(restored.iter()), ["2", "3"]);
    }

    #[test]
    fn an_ack_takes_its_send_and_nothing_else() {
        let mut outbox = Outbox::from(vec![send("a", "one"), send("b", "two")]);
        assert_eq!(
            outbox.take(&"b".into()).map(|s| s.body).as_deref(),
            Some("two")
        );
        assert_eq!(outbox.take(&"b".into()), None, "a second ack finds nothing");
        assert_eq!(outbox.take(&"zz".into()), None);
        assert_eq!(bodies(outbox.iter()), ["one"]);
        assert_eq!(
            outbox.take(&"a".into()).map(|s| s.body).as_deref(),
            Some("one")
        );
        assert!(outbox.is_empty());
    }

    #[test]
    fn a_reconnect_resends_all_but_the_refused_oldest_first() {
        let mut outbox = Outbox::from(vec![send("a", "one"), send("b", "two"), send("c", "three")]);
        if let Some(s) = outbox.get_mut(&"b".into()) {
            s.refused = true;
        }
        assert_eq!(bodies(outbox.to_resend()), ["one", "three"]);
        assert!(
            outbox.get(&"b".into()).is_some(),
            "a refused send stays shown"
        );
        outbox.retain(|s| !s.refused);
        assert_eq!(bodies(outbox.iter()), ["one", "three"]);
    }

    #[test]
    fn it_persists_as_a_plain_list() {
        let outbox = Outbox::from(vec![send("a", "one")]);
        let json = serde_json::to_string(&outbox).unwrap_or_default();
        assert!(json.starts_with('['), "{json}");
        let back: Outbox<Send> = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, outbox);
    }
}
