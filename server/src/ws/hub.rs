//! Live events delivered only where they matter. The store's bus carries
//! every event of the deployment to every node; one task per node reads it
//! and hands each event to the connections it concerns: agent sockets
//! (a message only to those whose agent may see its conversation — the
//! event carries the conversation — other changes to all of them, which
//! each filters itself), the visitor sockets that follow that
//! conversation, and, for queue changes, only visitors who are waiting. A
//! message thus wakes the sockets of its visitor and of its agent, not
//! every socket on the node.
//!
//! Queue changes are not handed to each waiting visitor to re-read the
//! queue: one task per node ([`run_spots`]) computes every waiting
//! visitor's place once per burst of changes and hands the same result to
//! all of them (O(queue) per change, not O(waiting × queue)).
//!
//! Each connection has a bounded inbox. One that falls behind is marked
//! lagged and re-reads the store, as with the bus itself.

use crate::access;
use crate::hours::Availability;
use crate::routing::queue::QueueSpots;
use crate::routing::Routing;
use crate::store::{AgentRecord, Event};
use shared::{ConversationId, SiteId};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::{broadcast, mpsc, Notify};

/// Events a visitor connection may have waiting before it counts as
/// lagged (it hears only its own conversation).
const INBOX: usize = 256;
/// The same for an agent connection, which hears every conversation: a
/// burst of new chats (hundreds of visitors writing at once) must fit, or
/// every dashboard resends its whole snapshot in the middle of the rush.
/// The channel allocates as it fills, so idle sockets do not pay for it.
const AGENT_INBOX: usize = 8192;

/// Which kind of socket subscribes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Hears everything but queue changes.
    Agent,
    /// Hears its conversation, and queue changes while it waits.
    Visitor,
}

enum Delivery {
    Event(Event),
    Spots(Arc<QueueSpots>),
    Lagged,
}

struct Sub {
    tx: mpsc::Sender<Delivery>,
    lagged: Arc<AtomicBool>,
    conversation: Option<ConversationId>,
    site: Option<SiteId>,
    /// An agent socket's agent, once known: who may see what.
    viewer: Option<Arc<AgentRecord>>,
}

#[derive(Default)]
struct Inner {
    next: u64,
    subs: HashMap<u64, Sub>,
    agents: HashSet<u64>,
    following: HashMap<ConversationId, HashSet<u64>>,
    waiting: HashSet<u64>,
    /// Visitor connections by the site they said hello to.
    sites: HashMap<SiteId, HashSet<u64>>,
    /// The node is stopping ([`Hub::close_all`]): new inboxes start closed.
    closed: bool,
}

/// The node's event router.
#[derive(Default)]
pub struct Hub {
    inner: Mutex<Inner>,
    /// Raised by each queue change; [`run_spots`] answers a burst once.
    queue_changed: Notify,
    /// Raised by each presence or agent change; [`run_availability`]
    /// works out again which sites have someone online.
    presence_changed: Notify,
    /// Per site: what its visitors are told, as last worked out.
    online: Mutex<HashMap<SiteId, Availability>>,
}

/// What a connection's inbox gave.
#[derive(Debug)]
pub enum Recv {
    Event(Event),
    /// Every waiting visitor's place, after a queue change.
    Spots(Arc<QueueSpots>),
    /// Events were dropped: re-read the store.
    Lagged,
    /// The hub is gone (the node is stopping).
    Closed,
}

/// A connection's inbox; leaves the hub when dropped.
pub struct Subscription {
    handle: Handle,
    rx: mpsc::Receiver<Delivery>,
    lagged: Arc<AtomicBool>,
}

/// What a connection tells the hub about itself; cheap to clone.
#[derive(Clone)]
pub struct Handle {
    id: u64,
    hub: Arc<Hub>,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain maps behind: still
        // usable.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new inbox. Subscribe before reading the store, so nothing that
    /// happens between the read and the subscription is missed.
    pub fn subscribe(self: &Arc<Self>, role: Role) -> Subscription {
        let (tx, rx) = mpsc::channel(match role {
            Role::Agent => AGENT_INBOX,
            Role::Visitor => INBOX,
        });
        let lagged = Arc::new(AtomicBool::new(false));
        let mut inner = self.lock();
        inner.next += 1;
        let id = inner.next;
        // Once the node is stopping the sender is dropped here, which
        // closes the new inbox at once.
        if !inner.closed {
            inner.subs.insert(
                id,
                Sub {
                    tx,
                    lagged: lagged.clone(),
                    conversation: None,
                    site: None,
                    viewer: None,
                },
            );
            if role == Role::Agent {
                inner.agents.insert(id);
            }
        }
        Subscription {
            handle: Handle {
                id,
                hub: self.clone(),
            },
            rx,
            lagged,
        }
    }

    /// The node is stopping: every inbox, and every one opened from now on,
    /// says [`Recv::Closed`], so each connection closes with 1012 (service
    /// restart: reconnect now) once the frame it is handling is done.
    pub fn close_all(&self) {
        let mut inner = self.lock();
        inner.closed = true;
        // Dropping the senders is what closes the inboxes.
        inner.subs.clear();
        inner.agents.clear();
        inner.following.clear();
        inner.waiting.clear();
        inner.sites.clear();
    }

    /// Whether [`Hub::close_all`] was called.
    pub fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Hands one event to the connections it concerns.
    pub fn dispatch(&self, event: Event) {
        if event == Event::Resync {
            return self.lag_all();
        }
        if event == Event::QueueChanged {
            return self.queue_changed.notify_one();
        }
        if matches!(
            event,
            Event::Presence { .. } | Event::AgentChanged { .. } | Event::SiteChanged { .. }
        ) {
            self.presence_changed.notify_one();
        }
        let inner = self.lock();
        // Agents hear everything but queue changes (each socket filters by
        // what its agent may see); visitors hear their conversation, queue
        // changes while waiting, and the end of their site.
        let visitors = match &event {
            Event::Message { message, .. } => inner.following.get(&message.conversation),
            // Agents' notes and whereabouts: never a visitor.
            Event::Note { .. } | Event::Viewing { .. } | Event::Activity { .. } => None,
            Event::Typing { conversation, .. } => inner.following.get(conversation),
            Event::Conversation { conversation } => inner.following.get(&conversation.id),
            Event::SiteDeleted { site } | Event::Availability { site, .. } => inner.sites.get(site),
            Event::VisitorErased { conversation, .. } => {
                conversation.as_ref().and_then(|c| inner.following.get(c))
            }
            Event::Callback { callback } => callback
                .conversation
                .as_ref()
                .and_then(|c| inner.following.get(c)),
            Event::QueueChanged
            | Event::Presence { .. }
            | Event::SessionEnded { .. }
            | Event::AgentChanged { .. }
            | Event::SiteChanged { .. }
            | Event::Resync => None,
        };
        // A message changes nothing but the conversation's last message:
        // an agent who may not see it now has nothing to update (a change
        // of who may see it comes as a `Conversation` event, to everyone).
        let agent_sees =
            |id: &u64| match (&event, inner.subs.get(id).and_then(|s| s.viewer.as_ref())) {
                (
                    Event::Message { conversation, .. }
                    | Event::Note { conversation, .. }
                    | Event::Viewing { conversation, .. }
                    | Event::Activity { conversation },
                    Some(viewer),
                ) => access::may_see(viewer, conversation),
                (Event::Callback { callback }, Some(viewer)) => {
                    access::may_see_callback(viewer, callback)
                }
                _ => true,
            };
        // Whether a site has someone online is the visitors' business; a
        // site's new settings only the availability loop's.
        let for_agents = !matches!(
            event,
            Event::Availability { .. } | Event::SiteChanged { .. }
        );
        let targets: Vec<&u64> = inner
            .agents
            .iter()
            .filter(|id| for_agents && agent_sees(id))
            .chain(visitors.into_iter().flatten())
            .collect();
        for id in targets {
            if let Some(sub) = inner.subs.get(id) {
                deliver(sub, Delivery::Event(event.clone()));
            }
        }
    }

    /// Hands every waiting visitor connection the places computed after a
    /// queue change.
    pub fn deliver_spots(&self, spots: Arc<QueueSpots>) {
        let inner = self.lock();
        for id in &inner.waiting {
            if let Some(sub) = inner.subs.get(id) {
                deliver(sub, Delivery::Spots(spots.clone()));
            }
        }
    }

    /// Whether any agent of `site` is online and whether it is offline, as
    /// last worked out (`None` before the first time).
    pub fn site_online(&self, site: &SiteId) -> Option<Availability> {
        self.online
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(site)
            .copied()
    }

    fn has_waiting(&self) -> bool {
        !self.lock().waiting.is_empty()
    }

    /// The hub itself fell behind the bus: everyone re-reads the store.
    pub fn lag_all(&self) {
        for sub in self.lock().subs.values() {
            deliver(sub, Delivery::Lagged);
        }
    }
}

fn deliver(sub: &Sub, d: Delivery) {
    if let Err(mpsc::error::TrySendError::Full(_)) = sub.tx.try_send(d) {
        sub.lagged.store(true, Ordering::Release);
    }
}

impl Handle {
    /// From now on this connection hears about `conversation` (a visitor's
    /// own). Read the conversation after calling this, not before.
    pub fn follow(&self, conversation: &ConversationId) {
        let mut inner = self.hub.lock();
        let Some(sub) = inner.subs.get_mut(&self.id) else {
            return;
        };
        let old = sub.conversation.replace(conversation.clone());
        if let Some(old) = old {
            unfollow(&mut inner, &old, self.id);
        }
        inner
            .following
            .entry(conversation.clone())
            .or_default()
            .insert(self.id);
    }

    /// This (visitor) connection said hello to `site`: it hears if the
    /// site is deleted.
    pub fn site(&self, site: &SiteId) {
        let mut inner = self.hub.lock();
        let Some(sub) = inner.subs.get_mut(&self.id) else {
            return;
        };
        let old = sub.site.replace(site.clone());
        if let Some(old) = old {
            remove_from(&mut inner.sites, &old, self.id);
        }
        inner.sites.entry(site.clone()).or_default().insert(self.id);
    }

    /// This (agent) connection's agent, as now (again after a change):
    /// messages of conversations they may not see are not handed to it.
    pub fn viewer(&self, agent: &AgentRecord) {
        let mut inner = self.hub.lock();
        if let Some(sub) = inner.subs.get_mut(&self.id) {
            sub.viewer = Some(Arc::new(agent.clone()));
        }
    }

    /// Whether this (visitor) connection waits in the queue and so needs
    /// queue changes. Set it before reading the position.
    pub fn waiting(&self, waiting: bool) {
        let mut inner = self.hub.lock();
        if waiting {
            inner.waiting.insert(self.id);
        } else {
            inner.waiting.remove(&self.id);
        }
    }
}

fn unfollow(inner: &mut Inner, conversation: &ConversationId, id: u64) {
    remove_from(&mut inner.following, conversation, id);
}

fn remove_from<K: std::hash::Hash + Eq>(map: &mut HashMap<K, HashSet<u64>>, key: &K, id: u64) {
    if let Some(set) = map.get_mut(key) {
        set.remove(&id);
        if set.is_empty() {
            map.remove(key);
        }
    }
}

impl Subscription {
    /// The next event, or word that some were dropped.
    pub async fn recv(&mut self) -> Recv {
        if self.lagged.swap(false, Ordering::AcqRel) {
            return Recv::Lagged;
        }
        match self.rx.recv().await {
            Some(Delivery::Event(e)) => Recv::Event(e),
            Some(Delivery::Spots(s)) => Recv::Spots(s),
            Some(Delivery::Lagged) => Recv::Lagged,
            None => Recv::Closed,
        }
    }

    /// The handle the connection keeps.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let id = self.handle.id;
        let mut inner = self.handle.hub.lock();
        if let Some(sub) = inner.subs.remove(&id) {
            if let Some(c) = sub.conversation {
                unfollow(&mut inner, &c, id);
            }
            if let Some(site) = sub.site {
                remove_from(&mut inner.sites, &site, id);
            }
        }
        inner.agents.remove(&id);
        inner.waiting.remove(&id);
    }
}

/// The node's dispatch loop: the store's bus in, inboxes out.
pub async fn run(hub: Arc<Hub>, mut bus: broadcast::Receiver<Event>) {
    loop {
        match bus.recv().await {
            Ok(event) => hub.dispatch(event),
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(
                    missed = n,
                    "event hub lagged behind the bus; every connection resyncs"
                );
                hub.lag_all();
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
}

/// The node's queue-place loop: after each burst of queue changes, if
/// anyone on this node is waiting, computes every place once
/// ([`Routing::queue_spots`]) and hands it to the waiting connections.
pub async fn run_spots(hub: Arc<Hub>, routing: Routing) {
    loop {
        hub.queue_changed.notified().await;
        if !hub.has_waiting() {
            continue;
        }
        match routing.queue_spots().await {
            Ok(spots) => hub.deliver_spots(Arc::new(spots)),
            Err(e) => tracing::warn!(error = %e, "could not compute queue places"),
        }
    }
}

/// How often availability is worked out even without a presence change
/// (an agent whose heartbeat ran out on another node, a new site).
const AVAILABILITY_EVERY: std::time::Duration = std::time::Duration::from_secs(30);

/// The node's availability loop: after each burst of presence or site
/// changes (and every [`AVAILABILITY_EVERY`], which also catches business
/// hours opening and closing), works out which sites have an agent online
/// and which are offline ([`crate::routing::sites_online`]) and tells the
/// visitors of each site whose answer changed. Every node does it for its
/// own visitors, from the shared store.
pub async fn run_availability(hub: Arc<Hub>, store: Arc<dyn crate::store::Store>) {
    loop {
        match crate::routing::sites_online(&*store, crate::clock::now_millis()).await {
            Ok(now) => {
                let changed: Vec<(SiteId, Availability)> = {
                    let mut known = hub.online.lock().unwrap_or_else(|p| p.into_inner());
                    let changed = now
                        .iter()
                        .filter(|(site, online)| known.get(*site) != Some(*online))
                        .map(|(s, o)| (s.clone(), *o))
                        .collect();
                    *known = now;
                    changed
                };
                for (site, now) in changed {
                    hub.dispatch(Event::Availability { site, now });
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not work out which sites have agents online")
            }
        }
        let _ = tokio::time::timeout(AVAILABILITY_EVERY, hub.presence_changed.notified()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{AgentId, Author, ChatMessage, ClientId, ConversationStatus, Presence};

    fn message(conv: &str) -> Event {
        let message = ChatMessage {
            conversation: ConversationId(conv.into()),
            seq: 1,
            client_id: ClientId("c".into()),
            author: Author::Visitor,
            body: "hi".into(),
            sent_at: 0,
        };
        let summary = crate::fixtures::summary(conv, "s_1", ConversationStatus::Queued, None, 2);
        Event::message(message, summary)
    }

    /// Whatever is waiting in an inbox, without blocking.
    fn pending(sub: &mut Subscription) -> Vec<String> {
        let mut out = Vec::new();
        if sub.lagged.swap(false, Ordering::AcqRel) {
            out.push("lagged".to_owned());
        }
        while let Ok(d) = sub.rx.try_recv() {
            out.push(match d {
                Delivery::Event(Event::Message { message, .. }) => {
                    format!("message {}", message.conversation.0)
                }
                Delivery::Event(Event::QueueChanged) => "queue".into(),
                Delivery::Event(Event::Presence { .. }) => "presence".into(),
                Delivery::Event(_) => "other".into(),
                Delivery::Spots(s) => format!("spots {}", s.len()),
                Delivery::Lagged => "lagged".into(),
            });
        }
        out
    }

    #[tokio::test]
    async fn closing_the_hub_closes_every_inbox_and_each_new_one() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut visitor = hub.subscribe(Role::Visitor);
        visitor.handle().follow(&ConversationId("c1".into()));
        assert!(!hub.is_closed());
        hub.close_all();
        assert!(hub.is_closed());
        assert!(matches!(agent.recv().await, Recv::Closed));
        assert!(matches!(visitor.recv().await, Recv::Closed));
        let mut late = hub.subscribe(Role::Visitor);
        assert!(matches!(late.recv().await, Recv::Closed));
        // Nothing is delivered any more, and dropping inboxes is fine.
        hub.dispatch(message("c1"));
        drop((agent, visitor, late));
        assert!(hub.lock().subs.is_empty());
    }

    #[test]
    fn a_message_reaches_agents_and_its_followers_only() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut mine = hub.subscribe(Role::Visitor);
        let mut other = hub.subscribe(Role::Visitor);
        let mut fresh = hub.subscribe(Role::Visitor);
        mine.handle().follow(&ConversationId("c1".into()));
        other.handle().follow(&ConversationId("c2".into()));
        hub.dispatch(message("c1"));
        assert_eq!(pending(&mut agent), ["message c1"]);
        assert_eq!(pending(&mut mine), ["message c1"]);
        assert!(pending(&mut other).is_empty());
        assert!(pending(&mut fresh).is_empty());
    }

    #[test]
    fn a_message_reaches_only_agents_who_may_see_its_conversation() {
        use shared::Role as Staff;
        let hub = Arc::new(Hub::default());
        let agent = |id: &str, role, sites: &[&str]| {
            let mut a = AgentRecord::new(id.into(), "x@y", id, String::new(), role);
            a.sites = sites.iter().map(|s| (*s).into()).collect();
            a
        };
        let subscribed = |record: Option<AgentRecord>| {
            let sub = hub.subscribe(Role::Agent);
            if let Some(r) = record {
                sub.handle().viewer(&r);
            }
            sub
        };
        let mut mine = subscribed(Some(agent("a_me", Staff::Agent, &["s_1"])));
        let mut colleague = subscribed(Some(agent("a_other", Staff::Agent, &["s_1"])));
        let mut admin = subscribed(Some(agent("a_admin", Staff::Admin, &[])));
        let mut unknown = subscribed(None);
        let assigned =
            crate::fixtures::summary("c1", "s_1", ConversationStatus::Assigned, Some("a_me"), 3);
        let m = ChatMessage {
            conversation: ConversationId("c1".into()),
            seq: 2,
            client_id: ClientId("c".into()),
            author: Author::Visitor,
            body: "hi".into(),
            sent_at: 0,
        };
        hub.dispatch(Event::message(m, assigned.clone()));
        assert_eq!(pending(&mut mine), ["message c1"]);
        assert!(pending(&mut colleague).is_empty(), "not theirs");
        assert_eq!(pending(&mut admin), ["message c1"]);
        assert_eq!(
            pending(&mut unknown),
            ["message c1"],
            "not told yet: gets all"
        );
        // Who may see it changing is news for every agent socket.
        hub.dispatch(Event::Conversation {
            conversation: Box::new(assigned),
        });
        assert_eq!(pending(&mut colleague), ["other"]);
    }

    #[test]
    fn queue_changes_reach_only_waiting_visitors_and_presence_only_agents() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut waiting = hub.subscribe(Role::Visitor);
        let mut served = hub.subscribe(Role::Visitor);
        waiting.handle().waiting(true);
        served.handle().waiting(true);
        served.handle().waiting(false);
        hub.dispatch(Event::QueueChanged);
        hub.dispatch(Event::Presence {
            agent: AgentId("a".into()),
            presence: Presence::Online,
        });
        assert_eq!(pending(&mut agent), ["presence"]);
        assert!(
            pending(&mut waiting).is_empty(),
            "places come computed, not as the change"
        );
        let spots = crate::routing::queue::QueueSpots::new();
        hub.deliver_spots(Arc::new(spots));
        assert_eq!(pending(&mut waiting), ["spots 0"]);
        assert!(pending(&mut served).is_empty());
        assert!(pending(&mut agent).is_empty());
    }

    #[test]
    fn a_deleted_site_reaches_its_visitors_and_agents_only() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut mine = hub.subscribe(Role::Visitor);
        let mut other = hub.subscribe(Role::Visitor);
        mine.handle().site(&SiteId("s_1".into()));
        other.handle().site(&SiteId("s_2".into()));
        hub.dispatch(Event::SiteDeleted {
            site: SiteId("s_1".into()),
        });
        assert_eq!(pending(&mut agent), ["other"]);
        assert_eq!(pending(&mut mine), ["other"]);
        assert!(pending(&mut other).is_empty());
        drop(mine);
        assert!(!hub.lock().sites.contains_key(&SiteId("s_1".into())));
    }

    #[test]
    fn following_another_conversation_leaves_the_first_and_drop_leaves_the_hub() {
        let hub = Arc::new(Hub::default());
        let mut v = hub.subscribe(Role::Visitor);
        v.handle().follow(&ConversationId("c1".into()));
        v.handle().follow(&ConversationId("c2".into()));
        hub.dispatch(message("c1"));
        hub.dispatch(message("c2"));
        assert_eq!(pending(&mut v), ["message c2"]);
        drop(v);
        assert!(hub.lock().subs.is_empty());
        assert!(hub.lock().following.is_empty());
    }

    #[test]
    fn a_full_inbox_marks_the_connection_lagged() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut visitor = hub.subscribe(Role::Visitor);
        visitor.handle().follow(&ConversationId("c1".into()));
        for _ in 0..AGENT_INBOX + 5 {
            hub.dispatch(message("c1"));
        }
        let got = pending(&mut agent);
        assert_eq!(got[0], "lagged");
        assert_eq!(got.len(), AGENT_INBOX + 1);
        // A visitor's inbox is smaller: it hears one conversation.
        let got = pending(&mut visitor);
        assert_eq!(got[0], "lagged");
        assert_eq!(got.len(), INBOX + 1);
        hub.lag_all();
        assert_eq!(pending(&mut agent), ["lagged"]);
    }

    #[tokio::test]
    async fn a_hub_behind_the_bus_makes_every_connection_resync() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut visitor = hub.subscribe(Role::Visitor);
        let (bus, rx) = broadcast::channel(4);
        for _ in 0..10 {
            bus.send(message("c1")).unwrap();
        }
        drop(bus);
        // The bus kept only the last 4: the hub says so to everyone (even
        // a visitor who was told of none of the lost events) and goes on.
        run(hub.clone(), rx).await;
        assert_eq!(
            pending(&mut agent),
            [
                "lagged",
                "message c1",
                "message c1",
                "message c1",
                "message c1"
            ]
        );
        assert_eq!(pending(&mut visitor), ["lagged"]);
    }

    #[test]
    fn a_store_that_lost_events_makes_every_connection_resync() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        let mut visitor = hub.subscribe(Role::Visitor);
        hub.dispatch(Event::Resync);
        assert_eq!(pending(&mut agent), ["lagged"]);
        assert_eq!(pending(&mut visitor), ["lagged"]);
    }

    #[tokio::test]
    async fn recv_reports_lag_before_events() {
        let hub = Arc::new(Hub::default());
        let mut agent = hub.subscribe(Role::Agent);
        for _ in 0..AGENT_INBOX + 1 {
            hub.dispatch(message("c1"));
        }
        assert!(matches!(agent.recv().await, Recv::Lagged));
        assert!(matches!(agent.recv().await, Recv::Event(_)));
    }
}
