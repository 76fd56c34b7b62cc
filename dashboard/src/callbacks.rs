//! The callback requests this agent may see, as plain data: filled by the
//! agent socket (a snapshot of the open ones after each `welcome`, then
//! every change live) and by the list of recently closed ones the
//! callbacks screen reads over REST.

use shared::callback::{Callback, CallbackStatus};
use shared::CallbackId;
use std::collections::HashMap;

/// Every request known, by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallbackBook {
    all: HashMap<CallbackId, Callback>,
}

impl CallbackBook {
    /// A new connection: its snapshot lists the open requests again, and
    /// one closed while the socket was down is simply not in it — so the
    /// open ones held are dropped (the closed ones stay, for the screen).
    pub fn begin_snapshot(&mut self) {
        self.all.retain(|_, c| !c.status.is_open());
    }

    /// A request as it is now; an older copy never replaces a newer one
    /// (a REST answer and the live frame may cross).
    pub fn upsert(&mut self, callback: Callback) {
        match self.all.get(&callback.id) {
            Some(held) if held.updated_at > callback.updated_at => {}
            _ => {
                self.all.insert(callback.id.clone(), callback);
            }
        }
    }

    /// One request, if known.
    pub fn get(&self, id: &CallbackId) -> Option<&Callback> {
        self.all.get(id)
    }

    /// Open requests, oldest first (call them first).
    pub fn open(&self) -> Vec<Callback> {
        let mut out: Vec<Callback> = self
            .all
            .values()
            .filter(|c| c.status.is_open())
            .cloned()
            .collect();
        out.sort_by(|a, b| (a.requested_at, &a.id).cmp(&(b.requested_at, &b.id)));
        out
    }

    /// Closed requests, most recently closed first.
    pub fn closed(&self) -> Vec<Callback> {
        let mut out: Vec<Callback> = self
            .all
            .values()
            .filter(|c| !c.status.is_open())
            .cloned()
            .collect();
        out.sort_by(|a, b| (b.updated_at, &b.id).cmp(&(a.updated_at, &a.id)));
        out
    }

    /// Requests nobody has claimed yet (the tab's badge).
    pub fn unclaimed(&self) -> usize {
        self.all
            .values()
            .filter(|c| c.status == CallbackStatus::Requested)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::callback::CallbackWindow;
    use shared::{AgentPublic, SiteId, VisitorId};

    fn cb(id: &str, status: CallbackStatus, requested_at: u64, updated_at: u64) -> Callback {
        Callback {
            id: CallbackId(id.into()),
            site: SiteId("s_1".into()),
            visitor: VisitorId(format!("v_{id}")),
            conversation: None,
            name: None,
            phone: "+12025550123".into(),
            window: CallbackWindow::Asap,
            time_zone: None,
            locale: None,
            note: None,
            status,
            agent: (status != CallbackStatus::Requested).then(|| AgentPublic {
                id: "a_1".into(),
                name: "Sara".into(),
            }),
            outcome: None,
            requested_at,
            updated_at,
        }
    }

    fn ids(list: Vec<Callback>) -> Vec<String> {
        list.into_iter().map(|c| c.id.0).collect()
    }

    #[test]
    fn open_oldest_first_closed_newest_first() {
        let mut book = CallbackBook::default();
        book.upsert(cb("b", CallbackStatus::Claimed, 20, 30));
        book.upsert(cb("a", CallbackStatus::Requested, 10, 10));
        book.upsert(cb("c", CallbackStatus::Done, 5, 40));
        book.upsert(cb("d", CallbackStatus::Failed, 6, 50));
        assert_eq!(ids(book.open()), ["a", "b"]);
        assert_eq!(ids(book.closed()), ["d", "c"]);
        assert_eq!(book.unclaimed(), 1);
    }

    #[test]
    fn an_older_copy_never_replaces_a_newer_one() {
        let mut book = CallbackBook::default();
        book.upsert(cb("a", CallbackStatus::Done, 10, 30));
        book.upsert(cb("a", CallbackStatus::Claimed, 10, 20));
        assert_eq!(ids(book.closed()), ["a"]);
        assert!(book.open().is_empty());
    }

    #[test]
    fn a_new_snapshot_drops_the_open_ones_it_does_not_repeat() {
        let mut book = CallbackBook::default();
        book.upsert(cb("gone", CallbackStatus::Requested, 10, 10));
        book.upsert(cb("kept", CallbackStatus::Requested, 11, 11));
        book.upsert(cb("old", CallbackStatus::Done, 1, 2));
        book.begin_snapshot();
        book.upsert(cb("kept", CallbackStatus::Requested, 11, 11));
        assert_eq!(ids(book.open()), ["kept"]);
        assert_eq!(ids(book.closed()), ["old"]);
    }
}
