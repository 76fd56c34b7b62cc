//! What one dashboard holds, kept in step with the store by events that
//! may arrive out of order.
//!
//! Routing publishes each change after the store made it, from whichever
//! task made it, so two changes of one conversation can reach a socket in
//! the opposite order (a `queued` overtaken by the `assigned` that
//! followed it). Every summary carries the conversation's version; a
//! summary no newer than what this view last took for that conversation
//! is old news and is dropped, so the client never goes back in time.
//!
//! What the client holds is known by exact version, so old news about it
//! is easy to drop. A conversation it does not hold is different: a late
//! `queued` of a chat a colleague already took — published late by a busy
//! task, or older than a snapshot that no longer listed it — must not
//! bring it back into the waiting list. So a summary that would add a
//! conversation is only a hint ([`Change::Verify`]): the socket reads the
//! conversation's current state and shows that. Versions of conversations
//! recently let go are remembered too (bounded), which spares most of
//! those reads.

use shared::{ConversationId, ConversationStatus, ConversationSummary, SiteId};
use std::collections::{HashMap, VecDeque};

/// Conversations not held whose last version is remembered.
const RECENT: usize = 4096;

/// What the client should be told after a summary arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Send this summary (`conversation` frame).
    Show(ConversationSummary),
    /// This would add a conversation the client does not hold: read its
    /// current state and [`AgentView::take`] that instead (the summary may
    /// be older than what the store has).
    Verify(ConversationSummary),
    /// The client held it and may no longer see it (`gone` frame).
    Drop(ConversationId),
    /// Nothing: old news, or none of this agent's business.
    Nothing,
}

/// The conversations one agent socket has handed out.
#[derive(Debug, Default)]
pub struct AgentView {
    /// Open (queued or assigned) conversations the client holds, as last
    /// sent.
    held: HashMap<ConversationId, ConversationSummary>,
    /// Latest versions of conversations not held, oldest first in `order`.
    recent: HashMap<ConversationId, u64>,
    order: VecDeque<ConversationId>,
}

impl AgentView {
    /// The open conversation the client holds, if it holds `id`.
    pub fn held(&self, id: &ConversationId) -> Option<&ConversationSummary> {
        self.held.get(id)
    }

    /// Whether the client holds `id`.
    pub fn holds(&self, id: &ConversationId) -> bool {
        self.held.contains_key(id)
    }

    fn latest(&self, id: &ConversationId) -> Option<u64> {
        self.held
            .get(id)
            .map(|c| c.version)
            .or_else(|| self.recent.get(id).copied())
    }

    /// A summary from a live event; `visible`: whether the agent may see
    /// it. Older or equal versions change nothing.
    pub fn update(&mut self, c: ConversationSummary, visible: bool) -> Change {
        if self.latest(&c.id).is_some_and(|v| c.version <= v) {
            return Change::Nothing;
        }
        if visible && c.status != ConversationStatus::Resolved && !self.holds(&c.id) {
            return Change::Verify(c);
        }
        self.take(c, visible)
    }

    /// Like [`AgentView::update`], for a summary that came with a message
    /// the client already receives as a `message` frame (it follows the
    /// conversation): the summary is sent only when more than the message
    /// changed (status or assignee), which a late event would otherwise
    /// never say.
    pub fn update_streamed(&mut self, c: ConversationSummary, visible: bool) -> Change {
        let unchanged = self
            .held
            .get(&c.id)
            .is_some_and(|h| h.status == c.status && h.agent == c.agent);
        match self.update(c, visible) {
            Change::Show(_) if unchanged => Change::Nothing,
            change => change,
        }
    }

    /// Starts a snapshot: the client drops everything the snapshot does
    /// not confirm, and so does the view. Feed each summary read from the
    /// store to [`AgentView::take`] next.
    pub fn begin_snapshot(&mut self) {
        let held: Vec<_> = self.held.drain().map(|(_, c)| c).collect();
        for c in held {
            self.remember(c.id, c.version);
        }
    }

    /// A summary read from the store now (a snapshot, or a
    /// [`Change::Verify`]): current by definition, so sent even when the
    /// client has it already.
    pub fn take(&mut self, c: ConversationSummary, visible: bool) -> Change {
        let id = c.id.clone();
        if visible && c.status != ConversationStatus::Resolved {
            self.recent.remove(&id);
            self.held.insert(id, c.clone());
            return Change::Show(c);
        }
        let was_held = self.held.remove(&id).is_some();
        self.remember(id.clone(), c.version);
        match (visible, was_held) {
            // Resolved: the client moves it out of its open lists.
            (true, _) => Change::Show(c),
            (false, true) => Change::Drop(id),
            (false, false) => Change::Nothing,
        }
    }

    /// Drops what `visible` no longer accepts (the agent's account
    /// changed); returns the ids the client must be told about.
    pub fn refilter(
        &mut self,
        visible: impl Fn(&ConversationSummary) -> bool,
    ) -> Vec<ConversationId> {
        let lost: Vec<_> = self
            .held
            .values()
            .filter(|c| !visible(c))
            .map(|c| (c.id.clone(), c.version))
            .collect();
        lost.into_iter()
            .map(|(id, version)| {
                self.held.remove(&id);
                self.remember(id.clone(), version);
                id
            })
            .collect()
    }

    /// Drops every held conversation of a deleted site.
    pub fn drop_site(&mut self, site: &SiteId) -> Vec<ConversationId> {
        self.refilter(|c| &c.site != site)
    }

    fn remember(&mut self, id: ConversationId, version: u64) {
        if self.recent.insert(id.clone(), version).is_none() {
            self.order.push_back(id);
        }
        while self.order.len() > RECENT {
            if let Some(old) = self.order.pop_front() {
                self.recent.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(
        id: &str,
        version: u64,
        status: ConversationStatus,
        agent: Option<&str>,
    ) -> ConversationSummary {
        crate::fixtures::summary(id, "s_1", status, agent, version)
    }

    use ConversationStatus::{Assigned, Queued, Resolved};

    #[test]
    fn an_older_summary_never_replaces_a_newer_one() {
        let mut v = AgentView::default();
        let assigned = conv("c1", 3, Assigned, Some("me"));
        assert_eq!(
            v.update(assigned.clone(), true),
            Change::Verify(assigned.clone())
        );
        assert_eq!(v.take(assigned.clone(), true), Change::Show(assigned));
        assert_eq!(v.update(conv("c1", 2, Queued, None), true), Change::Nothing);
        assert_eq!(v.update(conv("c1", 3, Queued, None), true), Change::Nothing);
        assert_eq!(v.held(&"c1".into()).map(|c| c.status), Some(Assigned));
    }

    #[test]
    fn a_late_queued_does_not_bring_back_a_chat_a_colleague_took() {
        let mut v = AgentView::default();
        v.take(conv("c1", 2, Queued, None), true);
        // The colleague's assignment (invisible to me) drops it…
        assert_eq!(
            v.update(conv("c1", 4, Assigned, Some("them")), false),
            Change::Drop("c1".into())
        );
        // …and a message from before the assignment, arriving late, is old.
        assert_eq!(v.update(conv("c1", 3, Queued, None), true), Change::Nothing);
        assert!(!v.holds(&"c1".into()));
        // Never held, invisible first: the late visible state stays out too.
        assert_eq!(
            v.update(conv("c2", 5, Assigned, Some("them")), false),
            Change::Nothing
        );
        assert_eq!(v.update(conv("c2", 4, Queued, None), true), Change::Nothing);
    }

    #[test]
    fn resolved_is_shown_once_and_not_held() {
        let mut v = AgentView::default();
        v.take(conv("c1", 2, Assigned, Some("me")), true);
        let done = conv("c1", 3, Resolved, Some("me"));
        assert_eq!(v.update(done.clone(), true), Change::Show(done));
        assert!(!v.holds(&"c1".into()));
        assert_eq!(
            v.update(conv("c1", 2, Assigned, Some("me")), true),
            Change::Nothing
        );
        // Reopened later: newer, so back (once the store confirms it).
        assert!(matches!(
            v.update(conv("c1", 4, Queued, None), true),
            Change::Verify(_)
        ));
    }

    #[test]
    fn a_streamed_message_is_not_repeated_as_a_summary_unless_the_standing_changed() {
        let mut v = AgentView::default();
        v.take(conv("c1", 2, Assigned, Some("me")), true);
        assert_eq!(
            v.update_streamed(conv("c1", 3, Assigned, Some("me")), true),
            Change::Nothing
        );
        assert_eq!(v.held(&"c1".into()).map(|c| c.version), Some(3));
        // The message overtook a requeue: its summary says what changed.
        let requeued = conv("c1", 5, Queued, None);
        assert_eq!(
            v.update_streamed(requeued.clone(), true),
            Change::Show(requeued)
        );
    }

    #[test]
    fn a_snapshot_confirms_what_it_reads_and_forgets_the_rest() {
        let mut v = AgentView::default();
        v.take(conv("c1", 2, Queued, None), true);
        v.take(conv("c2", 2, Queued, None), true);
        v.begin_snapshot();
        let c1 = conv("c1", 2, Queued, None);
        assert_eq!(v.take(c1.clone(), true), Change::Show(c1));
        assert!(v.holds(&"c1".into()));
        assert!(!v.holds(&"c2".into()));
        // Events queued before the snapshot are older than it.
        assert_eq!(v.update(conv("c2", 1, Queued, None), true), Change::Nothing);
        // One newer than what the view knew, but not listed by the
        // snapshot, may still be older than the store: verified first.
        assert!(matches!(
            v.update(conv("c2", 3, Queued, None), true),
            Change::Verify(_)
        ));
    }

    #[test]
    fn only_adding_a_conversation_needs_the_store() {
        let mut v = AgentView::default();
        // Invisible, or resolved: nothing to add, no read.
        assert_eq!(
            v.update(conv("c1", 2, Assigned, Some("them")), false),
            Change::Nothing
        );
        let done = conv("c2", 3, Resolved, Some("me"));
        assert_eq!(v.update(done.clone(), true), Change::Show(done));
        // Held: its exact version is known, so a newer summary is shown.
        v.take(conv("c3", 2, Queued, None), true);
        let taken = conv("c3", 3, Assigned, Some("me"));
        assert_eq!(v.update(taken.clone(), true), Change::Show(taken));
    }

    #[test]
    fn refilter_and_site_deletion_drop_what_left_the_view() {
        let mut v = AgentView::default();
        v.take(conv("c1", 1, Queued, None), true);
        let mut other = conv("c2", 1, Queued, None);
        other.site = "s_2".into();
        v.take(other, true);
        assert_eq!(v.drop_site(&"s_2".into()), vec![ConversationId::from("c2")]);
        assert_eq!(v.refilter(|_| false), vec![ConversationId::from("c1")]);
        assert_eq!(v.update(conv("c1", 1, Queued, None), true), Change::Nothing);
    }

    #[test]
    fn the_memory_of_conversations_not_held_is_bounded() {
        let mut v = AgentView::default();
        for i in 0..RECENT + 10 {
            v.take(conv(&format!("c{i}"), 1, Assigned, Some("them")), false);
        }
        assert_eq!(v.recent.len(), RECENT);
        assert_eq!(v.order.len(), RECENT);
        // The oldest were forgotten, the newest are still known.
        assert!(!v.recent.contains_key(&ConversationId::from("c0")));
        assert!(v
            .recent
            .contains_key(&ConversationId::from(format!("c{}", RECENT + 9).as_str())));
    }
}
