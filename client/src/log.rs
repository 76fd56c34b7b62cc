//! The messages a client holds of one conversation, by `seq`, and the two
//! rules both apps read them by: the **gap-free prefix** (messages 1..=n
//! all held: what a resume asks the server to continue after, and how far
//! a reader has really read) and the latest message of one side at or
//! before a mark ("Seen", "Delivered").

use shared::{Author, ChatMessage, Seq};
use std::collections::BTreeMap;

/// Messages by `seq`, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MessageLog {
    messages: BTreeMap<Seq, ChatMessage>,
}

impl MessageLog {
    /// Adds `message` unless its `seq` is held already (a replay or a
    /// repeat); `false` then, and the held one stays.
    pub fn insert(&mut self, message: ChatMessage) -> bool {
        if self.messages.contains_key(&message.seq) {
            return false;
        }
        self.messages.insert(message.seq, message);
        true
    }

    /// Whether `seq` is held.
    pub fn contains(&self, seq: Seq) -> bool {
        self.messages.contains_key(&seq)
    }

    /// The message `seq`, if held.
    pub fn get(&self, seq: Seq) -> Option<&ChatMessage> {
        self.messages.get(&seq)
    }

    /// Every message, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &ChatMessage> {
        self.messages.values()
    }

    /// The messages after `seq`, oldest first.
    pub fn after(&self, seq: Seq) -> impl DoubleEndedIterator<Item = &ChatMessage> {
        self.messages.range(seq.saturating_add(1)..).map(|(_, m)| m)
    }

    /// The newest message held.
    pub fn last(&self) -> Option<&ChatMessage> {
        self.messages.values().next_back()
    }

    /// The highest `seq` held (0 when none).
    pub fn max_seq(&self) -> Seq {
        self.messages.keys().next_back().copied().unwrap_or(0)
    }

    /// The end of the gap-free run from seq 1 (0 when message 1 is missing).
    pub fn gap_free_end(&self) -> Seq {
        let mut end = 0;
        for &seq in self.messages.keys() {
            if seq != end + 1 {
                break;
            }
            end = seq;
        }
        end
    }

    /// The newest message at or before `mark` written by a side `of`
    /// accepts: under it a client shows "Seen" or "Delivered".
    pub fn latest_at_or_before(&self, mark: Seq, of: impl Fn(&Author) -> bool) -> Option<Seq> {
        self.messages
            .range(..=mark)
            .rev()
            .find(|(_, m)| of(&m.author))
            .map(|(seq, _)| *seq)
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }

    /// Forgets everything (another visitor, a cache that did not match).
    pub fn clear(&mut self) {
        self.messages.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(seq: Seq, author: Author) -> ChatMessage {
        ChatMessage {
            conversation: "c1".into(),
            seq,
            client_id: format!("m{seq}").as_str().into(),
            author,
            body: format!("message {seq}"),
            sent_at: seq,
        }
    }

    fn agent() -> Author {
        Author::Agent {
            id: "a_1".into(),
            name: "Sara".into(),
        }
    }

    #[test]
    fn each_seq_is_held_once_and_the_first_copy_stays() {
        let mut log = MessageLog::default();
        assert!(log.insert(msg(2, Author::Visitor)));
        let mut again = msg(2, agent());
        again.body = "other".into();
        assert!(!log.insert(again), "a repeat");
        assert_eq!(log.get(2).map(|m| m.body.as_str()), Some("message 2"));
        assert_eq!(log.iter().count(), 1);
    }

    #[test]
    fn the_gap_free_prefix_stops_at_the_first_hole() {
        let mut log = MessageLog::default();
        assert_eq!((log.gap_free_end(), log.max_seq()), (0, 0));
        log.insert(msg(2, Author::Visitor));
        assert_eq!((log.gap_free_end(), log.max_seq()), (0, 2), "1 is missing");
        log.insert(msg(1, Author::Visitor));
        log.insert(msg(4, Author::Visitor));
        assert_eq!((log.gap_free_end(), log.max_seq()), (2, 4));
        log.insert(msg(3, agent()));
        assert_eq!(log.gap_free_end(), 4);
        assert_eq!(log.last().map(|m| m.seq), Some(4));
        let later: Vec<Seq> = log.after(2).map(|m| m.seq).collect();
        assert_eq!(later, [3, 4]);
    }

    #[test]
    fn the_latest_of_a_side_at_or_before_a_mark() {
        let mut log = MessageLog::default();
        for (seq, author) in [(1, Author::Visitor), (2, agent()), (3, Author::Visitor)] {
            log.insert(msg(seq, author));
        }
        let visitor = |a: &Author| *a == Author::Visitor;
        assert_eq!(log.latest_at_or_before(0, visitor), None);
        assert_eq!(log.latest_at_or_before(2, visitor), Some(1));
        assert_eq!(log.latest_at_or_before(9, visitor), Some(3));
        let agents = |a: &Author| matches!(a, Author::Agent { .. });
        assert_eq!(log.latest_at_or_before(1, agents), None);
        assert_eq!(log.latest_at_or_before(3, agents), Some(2));
    }
}
