//! The store conformance suite: async cases that any [`Store`] must pass.
//! Each backend's tests expand [`conformance_tests!`] with a factory of
//! fresh, empty stores (the embedded store on SQLite files; the Redis store
//! against a real `redis-server`), so backends cannot drift apart. Cases
//! use only the trait, and only assert behaviour the domain relies on.
//! Test support only: compiled for tests and the `testing` feature.

use super::{Advance, ClockChange};
use super::{
    AgentPatch, AgentRecord, ConversationFilter, Event, HistoryQuery, Indexed, NewMessage,
    PageVisit, Site, SitePatch, Store, StoreError, StoredRating, Team,
};
use crate::reports::tally::{Count, TallyOp};
use shared::settings::{Appearance, Avatar, LauncherPosition};
use shared::{
    AgentId, Author, ClientId, ConversationId, ConversationStatus, Presence, Role, SiteId, TeamId,
    VisitorId,
};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// Defines one test per conformance case for a backend: `make` is an async
/// fn returning a fresh, empty `Arc<dyn Store>` and a guard that keeps
/// what it needs alive (a temp dir, a redis-server). Each case runs on a
/// multi-thread runtime, so concurrent cases race for real, and a failure
/// names its case without hiding the others.
///
/// The list of cases lives here, once: a new case is a new `pub async fn`
/// below plus its name in this list, and every backend runs it.
// Used by each backend's unit tests only: unused when the library is
// built with the `testing` feature for the integration tests.
#[allow(unused_macros)]
macro_rules! conformance_tests {
    ($make:path) => {
        $crate::store::conformance::conformance_tests!(@cases $make;
            directory_round_trip,
            sessions,
            visitors_by_token,
            first_message_queues_conversation,
            seq_is_gap_free_and_sends_are_idempotent,
            concurrent_appends_are_gap_free,
            messages_after_pages_in_order,
            drain_assigns_least_busy_online_agent,
            drain_keeps_fifo_and_capacity,
            requeue_puts_a_gone_agents_chats_at_the_front,
            heartbeats_keep_presence_alive,
            drain_breaks_ties_by_idle_time_then_id,
            concurrent_drains_never_exceed_capacity,
            pick_rules,
            resolve_frees_capacity_and_reopen_requeues,
            a_reopened_conversation_returns_to_its_agent_when_they_can_take_it,
            agent_append_rules,
            client_ids_are_per_author,
            canned_responses_round_trip_and_go_with_their_site_or_owner,
            notes_are_numbered_apart_idempotent_per_author_and_go_with_their_site,
            any_sequence_of_sends_keeps_seq_and_idempotency,
            sites_change_field_by_field_and_delete_with_everything_in_them,
            agents_keep_unique_emails_and_an_admin,
            sessions_end_for_one_agent,
            teams_are_named_and_leave_agents_when_deleted,
            routing_follows_site_membership,
            routing_prefers_the_visitors_language_until_the_fallback,
            a_site_team_holds_its_conversations_until_the_fallback,
            transfer_rules,
            transfer_races_drain_without_exceeding_capacity,
            each_line_keeps_its_latest_service_times,
            page_views_make_visits_and_keep_the_latest_pages,
            delivered_and_read_marks_move_forward_only_up_to_the_last_message,
            a_conversation_holds_a_bounded_number_of_notes,
            login_attempts_are_counted_before_checking_and_wait_longer,
            a_full_queue_refuses_new_conversations_of_its_site_only,
            every_change_raises_the_version,
            lists,
            history_filters_pages_and_finds_words,
            messages_are_indexed_in_batches_after_they_are_stored,
            erasing_a_visitor_leaves_nothing_of_them,
            a_resolved_conversation_is_rated_and_asked_again_after_reopening,
            a_left_message_keeps_the_contact_and_is_marked_until_resolved,
            business_hours_are_kept_and_cleared,
            a_prechat_form_is_kept_and_cleared,
            proactive_rules_are_kept_and_cleared,
            callbacks_are_one_open_per_visitor_claimed_once_and_closed_by_their_holder,
            callbacks_go_with_their_visitor_and_site,
            help_articles_belong_to_their_site_and_keep_their_figures,
            article_counts_all_land_and_the_cap_holds_under_races,
            signed_identities_bind_one_visitor_per_user_and_site,
            retention_finds_resolved_conversations_quiet_since_the_cut_off,
            report_clocks_advance_only_from_what_was_read_and_count_with_it,
            concurrent_clock_advances_count_each_step_once,
            tallies_add_keep_peaks_and_read_by_hour,
            claims_are_taken_once_until_they_expire,
            events_reach_subscribers,
        );
    };
    (@cases $make:path; $($case:ident,)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $case() {
                let (store, _guard) = $make().await;
                $crate::store::conformance::$case(store).await;
            }
        )*
    };
}
#[allow(unused_imports)]
pub(crate) use conformance_tests;

// --- helpers ---------------------------------------------------------------

fn site(n: u32) -> Site {
    Site {
        id: SiteId(format!("s_{n}")),
        key: format!("pk_test_{n}"),
        name: format!("Site {n}"),
        allowed_origins: vec!["https://shop.example".into()],
        appearance: Appearance::default(),
        team: None,
        typing_preview: false,
        retention_days: None,
        survey_nps: false,
        time_zone: None,
        hours: None,
        offline_when_away: false,
        prechat: None,
        identity_secret: "conformance-secret".into(),
        identity_required: false,
        callback_after_mins: None,
        proactive: Vec::new(),
    }
}

/// The language fallback the cases route with (ms).
const FALLBACK: u64 = 60_000;

/// A visitor of site 1 writing in `locale`, with one message sent at
/// `now`: a queued conversation.
async fn queued_in(store: &dyn Store, token: &str, locale: &str, now: u64) -> ConversationId {
    visitor(store, "t_site_exists").await;
    let v = store
        .create_visitor(token, &site(1).id, Some(locale.into()), None)
        .await
        .unwrap();
    let m = NewMessage {
        now,
        ..msg("first", "salam")
    };
    store
        .append_visitor_message(&v.id, m, u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id
}

/// Who a conversation is assigned to now.
async fn holder(store: &dyn Store, c: &ConversationId) -> Option<AgentId> {
    store
        .conversation(c)
        .await
        .unwrap()
        .unwrap()
        .agent
        .map(|a| a.id)
}

/// The queue's conversation ids, front first.
async fn queue_ids(store: &dyn Store) -> Vec<ConversationId> {
    store
        .queue()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.conversation)
        .collect()
}

/// An agent of site 1 (where [`visitor`]s chat).
async fn agent(store: &dyn Store, name: &str, capacity: u32, presence: Presence) -> AgentRecord {
    let mut record = AgentRecord::new(
        AgentId(format!("a_{name}")),
        &format!("{name}@example.com"),
        name,
        "not-a-real-hash".into(),
        Role::Agent,
    );
    record.capacity = capacity;
    record.sites = vec![site(1).id];
    store.insert_agent(record.clone()).await.unwrap();
    store.set_presence(&record.id, presence).await.unwrap();
    record
}

async fn visitor(store: &dyn Store, token: &str) -> VisitorId {
    let s = site(1);
    if store.site_by_key(&s.key).await.unwrap().is_none() {
        store.insert_site(s.clone()).await.unwrap();
    }
    store
        .create_visitor(
            token,
            &s.id,
            Some("en".into()),
            Some("https://shop.example".into()),
        )
        .await
        .unwrap()
        .id
}

fn msg(client_id: &str, body: &str) -> NewMessage {
    NewMessage {
        client_id: ClientId(client_id.to_owned()),
        body: body.to_owned(),
        now: 1_000,
    }
}

/// A visitor with one message, so a queued conversation.
async fn queued_conversation(store: &dyn Store, token: &str) -> ConversationId {
    let v = visitor(store, token).await;
    store
        .append_visitor_message(&v, msg("first", "hi"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id
}

// --- cases -----------------------------------------------------------------

/// Conformance case.
pub async fn directory_round_trip(store: Arc<dyn Store>) {
    let s = site(7);
    store.insert_site(s.clone()).await.unwrap();
    assert_eq!(
        store.site_by_key("pk_test_7").await.unwrap(),
        Some(s.clone())
    );
    assert_eq!(store.site_by_key("pk_nope").await.unwrap(), None);
    assert_eq!(store.site(&s.id).await.unwrap(), Some(s.clone()));
    assert_eq!(store.site(&SiteId("s_nope".into())).await.unwrap(), None);
    assert_eq!(
        store.insert_site(s.clone()).await,
        Err(StoreError::Conflict)
    );
    let mut same_id = site(8);
    same_id.id = s.id.clone();
    assert_eq!(
        store.insert_site(same_id).await,
        Err(StoreError::Conflict),
        "ids are unique too"
    );

    let a = agent(&*store, "sara", 3, Presence::Online).await;
    assert_eq!(store.agent(&a.id).await.unwrap(), Some(a.clone()));
    assert_eq!(
        store.agent_by_email("sara@example.com").await.unwrap(),
        Some(a.clone())
    );
    assert_eq!(
        store.agent_by_email("nobody@example.com").await.unwrap(),
        None
    );
    let mut dup = a.clone();
    dup.id = AgentId("a_other".into());
    assert_eq!(store.insert_agent(dup).await, Err(StoreError::Conflict));
    let b = agent(&*store, "amal", 3, Presence::Offline).await;
    assert_eq!(
        store.list_agents().await.unwrap(),
        vec![b, a],
        "every agent, by email"
    );
}

/// Conformance case.
pub async fn sessions(store: Arc<dyn Store>) {
    let a = agent(&*store, "omar", 2, Presence::Offline).await;
    store
        .create_session("h1", &a.id, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(store.session_agent("h1").await.unwrap(), Some(a.id.clone()));
    assert_eq!(store.session_agent("h2").await.unwrap(), None);
    // It ends a minute from now (give or take the test's own time).
    let ends = store
        .session_ends("h1")
        .await
        .unwrap()
        .expect("a live session");
    let in_a_minute = crate::clock::now_millis() + 60_000;
    assert!(
        ends <= in_a_minute && ends + 5_000 > in_a_minute,
        "{ends} vs {in_a_minute}"
    );
    assert_eq!(store.session_ends("h2").await.unwrap(), None);
    store.delete_session("h1").await.unwrap();
    assert_eq!(store.session_agent("h1").await.unwrap(), None);
    assert_eq!(store.session_ends("h1").await.unwrap(), None);
    // An already expired session is never returned.
    store
        .create_session("h3", &a.id, Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(store.session_agent("h3").await.unwrap(), None);
    assert_eq!(store.session_ends("h3").await.unwrap(), None);
}

/// Conformance case.
pub async fn visitors_by_token(store: Arc<dyn Store>) {
    let a = visitor(&*store, "tok-a").await;
    let b = visitor(&*store, "tok-b").await;
    assert_ne!(a, b);
    // Creating a token's visitor again (two tabs writing their first
    // message at once) gives the same visitor, concurrently too.
    let s1 = site(1).id;
    let (x, y) = tokio::join!(
        store.create_visitor("tok-c", &s1, None, None),
        store.create_visitor("tok-c", &s1, None, None)
    );
    assert_eq!(x.unwrap().id, y.unwrap().id);
    assert_eq!(visitor(&*store, "tok-a").await, a);
    // …but a token belongs to one site.
    store.insert_site(site(2)).await.unwrap();
    assert_eq!(
        store
            .create_visitor("tok-a", &site(2).id, None, None)
            .await
            .map(|v| v.id),
        Err(StoreError::Conflict)
    );
    let found = store.visitor_by_token("tok-a").await.unwrap().unwrap();
    assert_eq!(found.id, a);
    assert_eq!(found.conversation, None);
    assert_eq!(found.locale.as_deref(), Some("en"));
    assert!(store.visitor_by_token("tok-d").await.unwrap().is_none());
}

/// Conformance case.
pub async fn first_message_queues_conversation(store: Arc<dyn Store>) {
    let v = visitor(&*store, "t").await;
    let out = store
        .append_visitor_message(&v, msg("m1", "hello"), u32::MAX)
        .await
        .unwrap();
    assert!(out.entered_queue);
    assert!(!out.appended.duplicate);
    assert_eq!(out.appended.message.seq, 1);
    assert_eq!(out.appended.message.author, Author::Visitor);
    assert_eq!(out.appended.conversation.status, ConversationStatus::Queued);
    assert_eq!(out.appended.conversation.last_seq, 1);
    assert_eq!(out.appended.conversation.visitor.id, v);
    assert!(out.appended.conversation.queued_at.is_some());
    assert_eq!(
        queue_ids(&*store).await,
        vec![out.appended.conversation.id.clone()]
    );
    let again = store.visitor_by_token("t").await.unwrap().unwrap();
    assert_eq!(
        again.conversation,
        Some(out.appended.conversation.id.clone())
    );

    // A second message stays in the same conversation and does not queue it twice.
    let out2 = store
        .append_visitor_message(&v, msg("m2", "anyone?"), u32::MAX)
        .await
        .unwrap();
    assert!(!out2.entered_queue);
    assert_eq!(out2.appended.conversation.id, out.appended.conversation.id);
    assert_eq!(queue_ids(&*store).await.len(), 1);
}

/// Conformance case.
pub async fn seq_is_gap_free_and_sends_are_idempotent(store: Arc<dyn Store>) {
    let v = visitor(&*store, "t").await;
    for i in 1..=5u64 {
        let out = store
            .append_visitor_message(&v, msg(&format!("m{i}"), "x"), u32::MAX)
            .await
            .unwrap();
        assert_eq!(out.appended.message.seq, i);
    }
    let retry = store
        .append_visitor_message(&v, msg("m3", "different body"), u32::MAX)
        .await
        .unwrap();
    assert!(retry.appended.duplicate);
    assert_eq!(retry.appended.message.seq, 3);
    assert_eq!(
        retry.appended.message.body, "x",
        "the original message is returned"
    );
    let all = store
        .messages_after(&retry.appended.conversation.id, 0, 100)
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
}

/// Conformance case.
pub async fn concurrent_appends_are_gap_free(store: Arc<dyn Store>) {
    let v = visitor(&*store, "t").await;
    let conv = store
        .append_visitor_message(&v, msg("m0", "x"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id;
    let mut tasks = Vec::new();
    for i in 1..=40 {
        let store = store.clone();
        let v = v.clone();
        tasks.push(tokio::spawn(async move {
            // Each id twice, concurrently: exactly one copy may be stored.
            let a = store.append_visitor_message(&v, msg(&format!("m{i}"), "y"), u32::MAX);
            let b = store.append_visitor_message(&v, msg(&format!("m{i}"), "y"), u32::MAX);
            let (a, b) = tokio::join!(a, b);
            assert_eq!(
                a.unwrap().appended.message.seq,
                b.unwrap().appended.message.seq
            );
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let all = store.messages_after(&conv, 0, 1000).await.unwrap();
    assert_eq!(all.len(), 41);
    for (i, m) in all.iter().enumerate() {
        assert_eq!(m.seq, i as u64 + 1);
    }
}

/// Conformance case.
pub async fn messages_after_pages_in_order(store: Arc<dyn Store>) {
    let v = visitor(&*store, "t").await;
    let mut conv = None;
    for i in 1..=10 {
        conv = Some(
            store
                .append_visitor_message(&v, msg(&format!("m{i}"), &i.to_string()), u32::MAX)
                .await
                .unwrap()
                .appended
                .conversation
                .id,
        );
    }
    let conv = conv.unwrap();
    let page = store.messages_after(&conv, 3, 4).await.unwrap();
    assert_eq!(
        page.iter().map(|m| m.seq).collect::<Vec<_>>(),
        vec![4, 5, 6, 7]
    );
    assert!(store.messages_after(&conv, 10, 5).await.unwrap().is_empty());
    assert!(store.messages_after(&conv, 99, 5).await.unwrap().is_empty());
    // A client's number, taken as is: no overflow, just nothing after it.
    assert!(store
        .messages_after(&conv, u64::MAX, 5)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .messages_after(&ConversationId("c_missing".into()), 0, 5)
            .await,
        Err(StoreError::NotFound)
    );
}

/// Conformance case.
pub async fn drain_assigns_least_busy_online_agent(store: Arc<dyn Store>) {
    let busy = agent(&*store, "busy", 5, Presence::Online).await;
    let idle = agent(&*store, "idle", 5, Presence::Online).await;
    let away = agent(&*store, "away", 5, Presence::Away).await;
    let _offline = agent(&*store, "off", 5, Presence::Offline).await;
    // Give `busy` one conversation first.
    let c0 = queued_conversation(&*store, "t0").await;
    store.pick(&c0, &busy.id, 1).await.unwrap();

    let c1 = queued_conversation(&*store, "t1").await;
    let made = store.drain_queue(2, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    let assigned = &made[0].conversation;
    assert_eq!(assigned.id, c1);
    assert_eq!(assigned.status, ConversationStatus::Assigned);
    assert_eq!(assigned.agent.as_ref().unwrap().id, idle.id);
    assert_eq!(assigned.agent.as_ref().unwrap().name, "idle");
    assert_eq!(assigned.queued_at, None);
    assert!(queue_ids(&*store).await.is_empty());
    assert_eq!(store.load(&idle.id).await.unwrap(), 1);
    assert_eq!(store.load(&away.id).await.unwrap(), 0);
    assert_eq!(store.presence(&away.id).await.unwrap(), Presence::Away);
}

/// Conformance case.
pub async fn drain_keeps_fifo_and_capacity(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 2, Presence::Offline).await;
    let mut convs = Vec::new();
    for i in 0..5 {
        convs.push(queued_conversation(&*store, &format!("t{i}")).await);
    }
    assert_eq!(queue_ids(&*store).await, convs, "queue keeps arrival order");
    assert!(
        store.drain_queue(1, FALLBACK).await.unwrap().is_empty(),
        "nobody online"
    );

    store.set_presence(&a.id, Presence::Online).await.unwrap();
    let made = store.drain_queue(2, FALLBACK).await.unwrap();
    let ids: Vec<_> = made.iter().map(|m| m.conversation.id.clone()).collect();
    assert_eq!(
        ids,
        convs[..2].to_vec(),
        "front of the queue first, up to capacity"
    );
    assert_eq!(queue_ids(&*store).await, convs[2..].to_vec());
    assert_eq!(store.load(&a.id).await.unwrap(), 2);

    // Freeing one slot lets exactly the next one in.
    store.resolve(&convs[0], &a.id).await.unwrap();
    let made = store.drain_queue(3, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].conversation.id, convs[2]);
}

/// Conformance case.
pub async fn requeue_puts_a_gone_agents_chats_at_the_front(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 3, Presence::Online).await;
    let c1 = queued_conversation(&*store, "t1").await;
    let c2 = queued_conversation(&*store, "t2").await;
    store.drain_queue(5, FALLBACK).await.unwrap();
    store.set_presence(&a.id, Presence::Offline).await.unwrap();
    let c3 = queued_conversation(&*store, "t3").await;

    let back = store.requeue_agent(&a.id).await.unwrap();
    let ids: Vec<_> = back.iter().map(|c| c.id.clone()).collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.contains(&c1) && ids.contains(&c2));
    for c in &back {
        assert_eq!(c.status, ConversationStatus::Queued);
        assert_eq!(c.agent, None);
        assert_eq!(c.queued_at, Some(c.created_at), "waiting since it began");
        assert_eq!(c.last_seq, 1, "history stays");
    }
    let queue = queue_ids(&*store).await;
    assert_eq!(queue.len(), 3);
    assert_eq!(
        queue[2], c3,
        "the gone agent's visitors go before newcomers"
    );
    assert_eq!(&queue[..2], &ids[..], "returned in queue order");
    assert_eq!(store.load(&a.id).await.unwrap(), 0);
    assert!(store
        .list_conversations(ConversationFilter::AssignedTo(a.id.clone()))
        .await
        .unwrap()
        .is_empty());
    assert!(
        store.requeue_agent(&a.id).await.unwrap().is_empty(),
        "nothing twice"
    );

    // Back online, they are routed again from the front.
    store.set_presence(&a.id, Presence::Online).await.unwrap();
    let made = store.drain_queue(9, FALLBACK).await.unwrap();
    assert_eq!(
        made.iter()
            .map(|m| m.conversation.id.clone())
            .collect::<Vec<_>>(),
        queue
    );
}

/// Conformance case.
pub async fn heartbeats_keep_presence_alive(store: Arc<dyn Store>) {
    let alive = agent(&*store, "alive", 1, Presence::Online).await;
    let away = agent(&*store, "away", 1, Presence::Away).await;
    let dead = agent(&*store, "dead", 1, Presence::Online).await;
    let _off = agent(&*store, "off", 1, Presence::Offline).await;
    store
        .heartbeat(&alive.id, Duration::from_secs(60))
        .await
        .unwrap();
    store
        .heartbeat(&away.id, Duration::from_secs(60))
        .await
        .unwrap();
    // An expired heartbeat counts as none.
    store.heartbeat(&dead.id, Duration::ZERO).await.unwrap();
    assert_eq!(store.stale_agents().await.unwrap(), vec![dead.id.clone()]);
    store
        .set_presence(&dead.id, Presence::Offline)
        .await
        .unwrap();
    assert!(
        store.stale_agents().await.unwrap().is_empty(),
        "offline agents are never stale"
    );
}

/// Conformance case.
pub async fn drain_breaks_ties_by_idle_time_then_id(store: Arc<dyn Store>) {
    // Equal load and never assigned: the smaller id wins, so every backend
    // (and every node) makes the same choice.
    let b = agent(&*store, "b", 2, Presence::Online).await;
    let a = agent(&*store, "a", 2, Presence::Online).await;
    queued_conversation(&*store, "t1").await;
    let made = store.drain_queue(10, FALLBACK).await.unwrap();
    assert_eq!(made[0].conversation.agent.as_ref().unwrap().id, a.id);
    // Now `a` has one more: `b` (less loaded) gets the next.
    queued_conversation(&*store, "t2").await;
    let made = store.drain_queue(20, FALLBACK).await.unwrap();
    assert_eq!(made[0].conversation.agent.as_ref().unwrap().id, b.id);
    // Equal load again (1 each): `a` was given one longer ago, so `a`.
    queued_conversation(&*store, "t3").await;
    let made = store.drain_queue(30, FALLBACK).await.unwrap();
    assert_eq!(made[0].conversation.agent.as_ref().unwrap().id, a.id);
}

/// Conformance case.
pub async fn concurrent_drains_never_exceed_capacity(store: Arc<dyn Store>) {
    let agents = [
        agent(&*store, "x", 2, Presence::Online).await,
        agent(&*store, "y", 3, Presence::Online).await,
    ];
    let mut convs = Vec::new();
    for i in 0..12 {
        convs.push(queued_conversation(&*store, &format!("t{i}")).await);
    }
    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.drain_queue(i, FALLBACK).await.unwrap()
        }));
    }
    let mut assigned = Vec::new();
    for t in tasks {
        assigned.extend(t.await.unwrap().into_iter().map(|a| a.conversation.id));
    }
    assigned.sort();
    let before = assigned.len();
    assigned.dedup();
    assert_eq!(before, assigned.len(), "a conversation was assigned twice");
    assert_eq!(assigned.len(), 5, "total capacity is 5");
    assert_eq!(store.load(&agents[0].id).await.unwrap(), 2);
    assert_eq!(store.load(&agents[1].id).await.unwrap(), 3);
    assert_eq!(
        queue_ids(&*store).await,
        convs[5..].to_vec(),
        "the first five left, in order"
    );
}

/// Conformance case.
pub async fn pick_rules(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 1, Presence::Away).await;
    let b = agent(&*store, "b", 1, Presence::Away).await;
    let c1 = queued_conversation(&*store, "t1").await;
    let c2 = queued_conversation(&*store, "t2").await;

    // Picking out of turn is allowed (even while away): c2 before c1.
    let got = store.pick(&c2, &a.id, 5).await.unwrap();
    assert_eq!(got.status, ConversationStatus::Assigned);
    assert_eq!(got.agent.unwrap().id, a.id);
    assert_eq!(queue_ids(&*store).await, vec![c1.clone()]);

    assert_eq!(store.pick(&c2, &b.id, 6).await, Err(StoreError::NotQueued));
    assert_eq!(store.pick(&c1, &a.id, 6).await, Err(StoreError::AtCapacity));
    assert_eq!(
        store
            .pick(&ConversationId("c_missing".into()), &b.id, 6)
            .await,
        Err(StoreError::NotFound)
    );
    store.pick(&c1, &b.id, 7).await.unwrap();
    assert!(queue_ids(&*store).await.is_empty());
}

/// Conformance case.
pub async fn resolve_frees_capacity_and_reopen_requeues(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 1, Presence::Online).await;
    let b = agent(&*store, "b", 1, Presence::Away).await;
    let v = visitor(&*store, "tv").await;
    let conv = store
        .append_visitor_message(&v, msg("m1", "hi"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id;
    store.drain_queue(2, FALLBACK).await.unwrap();

    assert_eq!(
        store.resolve(&conv, &b.id).await,
        Err(StoreError::Forbidden)
    );
    let resolved = store.resolve(&conv, &a.id).await.unwrap();
    assert_eq!(resolved.status, ConversationStatus::Resolved);
    assert_eq!(store.load(&a.id).await.unwrap(), 0);
    assert_eq!(store.resolve(&conv, &a.id).await, Err(StoreError::Resolved));

    // The visitor writes again: same conversation, back in the queue.
    let out = store
        .append_visitor_message(&v, msg("m2", "one more thing"), u32::MAX)
        .await
        .unwrap();
    assert!(out.entered_queue);
    assert_eq!(out.appended.conversation.id, conv);
    assert_eq!(out.appended.conversation.status, ConversationStatus::Queued);
    assert_eq!(out.appended.conversation.agent, None);
    assert_eq!(out.appended.message.seq, 2);
    assert_eq!(queue_ids(&*store).await, vec![conv]);
}

/// Conformance case: the visitor writes again after the chat was
/// resolved — it goes back to the agent who had it when they are online
/// with room, even when a freer colleague is there; otherwise the usual
/// rule, and a later requeue owes that agent nothing.
pub async fn a_reopened_conversation_returns_to_its_agent_when_they_can_take_it(
    store: Arc<dyn Store>,
) {
    let busy = agent(&*store, "busy", 3, Presence::Online).await;
    let v = visitor(&*store, "tv").await;
    let conv = store
        .append_visitor_message(&v, msg("m1", "hi"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id;
    store.drain_queue(1_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &conv).await, Some(busy.id.clone()));
    store.resolve(&conv, &busy.id).await.unwrap();
    let other = queued_conversation(&*store, "other").await;
    store.pick(&other, &busy.id, 1_000).await.unwrap();
    let free = agent(&*store, "free", 3, Presence::Online).await;

    // Reopened while its agent is online with room: theirs again, though
    // "free" is less busy.
    let reopen = |id: &'static str| {
        let store = store.clone();
        let v = v.clone();
        async move {
            store
                .append_visitor_message(&v, msg(id, "one more thing"), u32::MAX)
                .await
                .unwrap()
        }
    };
    assert!(reopen("m2").await.entered_queue);
    let made = store.drain_queue(2_000, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(holder(&*store, &conv).await, Some(busy.id.clone()));

    // Its agent gone: the usual rule.
    store.resolve(&conv, &busy.id).await.unwrap();
    store.set_presence(&busy.id, Presence::Away).await.unwrap();
    assert!(reopen("m3").await.entered_queue);
    store.drain_queue(3_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &conv).await, Some(free.id.clone()));

    // Its agent full: the usual rule too.
    store.resolve(&conv, &free.id).await.unwrap();
    let mut fill = Vec::new();
    for n in 0..3 {
        let c = queued_conversation(&*store, &format!("fill{n}")).await;
        store.pick(&c, &free.id, 3_000).await.unwrap();
        fill.push(c);
    }
    store
        .set_presence(&busy.id, Presence::Online)
        .await
        .unwrap();
    assert!(reopen("m4").await.entered_queue);
    store.drain_queue(4_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &conv).await, Some(busy.id.clone()));

    // Served once, a later requeue (its agent left) owes "free" (who had
    // it before) nothing: the least busy takes it.
    store.requeue_agent(&busy.id).await.unwrap();
    store
        .set_presence(&busy.id, Presence::Offline)
        .await
        .unwrap();
    store.resolve(&fill[0], &free.id).await.unwrap();
    let third = agent(&*store, "third", 3, Presence::Online).await;
    store.drain_queue(5_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &conv).await, Some(third.id));
}

/// Conformance case: the version orders a conversation's summaries (live
/// events may arrive out of order; agent sockets keep the newest).
pub async fn every_change_raises_the_version(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 1, Presence::Online).await;
    let v = visitor(&*store, "tv").await;
    let mut versions = Vec::new();
    let first = store
        .append_visitor_message(&v, msg("m1", "hi"), u32::MAX)
        .await
        .unwrap();
    let conv = first.appended.conversation.id.clone();
    // What an append returns is what a read says right after it.
    let read = store.conversation(&conv).await.unwrap().unwrap();
    assert_eq!(read, first.appended.conversation);
    assert_eq!(read.last_message.as_ref(), Some(&first.appended.message));
    versions.push(read.version);

    let second = store
        .append_visitor_message(&v, msg("m2", "anyone?"), u32::MAX)
        .await
        .unwrap();
    versions.push(second.appended.conversation.version);
    let made = store.drain_queue(2, FALLBACK).await.unwrap();
    versions.push(made[0].conversation.version);
    let reply = store
        .append_agent_message(&conv, &a, msg("r1", "hello"))
        .await
        .unwrap();
    assert_eq!(reply.conversation.last_seq, 3);
    assert_eq!(reply.conversation.status, ConversationStatus::Assigned);
    versions.push(reply.conversation.version);
    versions.push(store.resolve(&conv, &a.id).await.unwrap().version);
    let reopened = store
        .append_visitor_message(&v, msg("m3", "one more"), u32::MAX)
        .await
        .unwrap();
    versions.push(reopened.appended.conversation.version);
    store.drain_queue(3, FALLBACK).await.unwrap();
    let requeued = store.requeue_agent(&a.id).await.unwrap();
    versions.push(requeued[0].version);
    let picked = store.pick(&conv, &a.id, 4).await.unwrap();
    versions.push(picked.version);
    assert!(
        versions.windows(2).all(|w| w[0] < w[1]),
        "versions must grow with every change: {versions:?}"
    );

    // A duplicate changes nothing, and says so with the current version.
    let dup = store
        .append_agent_message(&conv, &a, msg("r1", "hello"))
        .await
        .unwrap();
    assert!(dup.duplicate);
    assert_eq!(dup.conversation.version, picked.version);
    assert_eq!(
        store.conversation(&conv).await.unwrap().unwrap().version,
        picked.version
    );
}

/// Conformance case.
pub async fn agent_append_rules(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 2, Presence::Online).await;
    let b = agent(&*store, "b", 2, Presence::Away).await;
    let conv = queued_conversation(&*store, "t").await;
    assert_eq!(
        store
            .append_agent_message(&conv, &a, msg("r1", "hello"))
            .await,
        Err(StoreError::Forbidden),
        "not assigned yet"
    );
    store.drain_queue(1, FALLBACK).await.unwrap();
    let sent = store
        .append_agent_message(&conv, &a, msg("r1", "hello"))
        .await
        .unwrap();
    assert_eq!(sent.message.seq, 2);
    assert_eq!(
        sent.message.author,
        Author::Agent {
            id: a.id.clone(),
            name: "a".into()
        }
    );
    assert_eq!(
        store
            .append_agent_message(&conv, &b, msg("r2", "me too"))
            .await,
        Err(StoreError::Forbidden)
    );
    store.resolve(&conv, &a.id).await.unwrap();
    // A retry of a stored send still gets its ack after the resolve…
    let retry = store
        .append_agent_message(&conv, &a, msg("r1", "hello"))
        .await
        .unwrap();
    assert!(retry.duplicate);
    assert_eq!(retry.message.seq, 2);
    // …but a new one is refused.
    assert_eq!(
        store
            .append_agent_message(&conv, &a, msg("r3", "bye"))
            .await,
        Err(StoreError::Resolved)
    );
}

/// Conformance case.
pub async fn client_ids_are_per_author(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 2, Presence::Online).await;
    let b = agent(&*store, "b", 2, Presence::Online).await;
    let v = visitor(&*store, "t").await;
    let conv = store
        .append_visitor_message(&v, msg("x1", "from the visitor"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id;
    let made = store.drain_queue(1, FALLBACK).await.unwrap();
    assert_eq!(made[0].conversation.agent.as_ref().unwrap().id, a.id);

    // Another agent repeating the visitor's client id learns nothing: it is
    // not a retry of theirs, and the conversation is not theirs.
    assert_eq!(
        store
            .append_agent_message(&conv, &b, msg("x1", "let me in"))
            .await,
        Err(StoreError::Forbidden)
    );
    // The assigned agent using the same id writes a new message: the
    // visitor's id does not swallow it.
    let reply = store
        .append_agent_message(&conv, &a, msg("x1", "a reply"))
        .await
        .unwrap();
    assert!(!reply.duplicate);
    assert_eq!(reply.message.seq, 2);
    assert_eq!(reply.message.body, "a reply");
    // Each party's retry gets its own original back.
    let again = store
        .append_agent_message(&conv, &a, msg("x1", "a reply"))
        .await
        .unwrap();
    assert!(again.duplicate);
    assert_eq!(again.message.seq, 2);
    let visitor_retry = store
        .append_visitor_message(&v, msg("x1", "from the visitor"), u32::MAX)
        .await
        .unwrap();
    assert!(visitor_retry.appended.duplicate);
    assert_eq!(visitor_retry.appended.message.seq, 1);
    assert_eq!(visitor_retry.appended.message.author, Author::Visitor);
    // The other agent still may not write, with a fresh id or the assigned
    // agent's one.
    assert_eq!(
        store.append_agent_message(&conv, &b, msg("x2", "hi")).await,
        Err(StoreError::Forbidden)
    );
    assert_eq!(
        store.messages_after(&conv, 0, 10).await.unwrap().len(),
        2,
        "nothing else was stored"
    );
}

/// Conformance case: notes are numbered 1, 2, … per conversation, apart
/// from messages (seqs and the summary's version do not move); each sits
/// after the last message at the time; a retry of an agent's own client id
/// returns the original, another agent's same client id is a new note; an
/// unknown conversation is not found; and deleting the site deletes them.
pub async fn notes_are_numbered_apart_idempotent_per_author_and_go_with_their_site(
    store: Arc<dyn Store>,
) {
    let a = agent(&*store, "a", 2, Presence::Online).await;
    let b = agent(&*store, "b", 2, Presence::Away).await;
    let conv = queued_conversation(&*store, "t").await;
    let before = store.conversation(&conv).await.unwrap().unwrap();

    let first = store
        .add_note(&conv, &b, msg("n1", "VIP customer"))
        .await
        .unwrap();
    assert!(!first.duplicate);
    assert_eq!(
        (
            first.note.id,
            first.note.after_seq,
            first.note.body.as_str()
        ),
        (1, 1, "VIP customer")
    );
    assert_eq!(first.note.author.id, b.id);
    assert_eq!(first.note.author.name, "b");
    assert_eq!(first.note.sent_at, 1_000);
    assert_eq!(first.conversation.id, conv);

    store.drain_queue(1, FALLBACK).await.unwrap();
    store
        .append_agent_message(&conv, &a, msg("r1", "hello"))
        .await
        .unwrap();
    let second = store
        .add_note(&conv, &a, msg("n1", "asked for a refund"))
        .await
        .unwrap();
    assert!(
        !second.duplicate,
        "another agent's client id is not a retry"
    );
    assert_eq!((second.note.id, second.note.after_seq), (2, 2));
    let retry = store
        .add_note(&conv, &b, msg("n1", "changed text"))
        .await
        .unwrap();
    assert!(retry.duplicate);
    assert_eq!(retry.note, first.note, "the original comes back");

    let notes = store.notes(&conv).await.unwrap();
    assert_eq!(notes, vec![first.note.clone(), second.note.clone()]);
    // Messages know nothing of notes.
    let messages = store.messages_after(&conv, 0, 10).await.unwrap();
    assert_eq!(
        messages.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["hi", "hello"]
    );
    let now = store.conversation(&conv).await.unwrap().unwrap();
    assert_eq!(now.last_seq, 2);
    assert_eq!(now.last_message.unwrap().body, "hello");
    assert!(now.version > before.version, "the reply moved the version");
    let after_reply = now.version;
    store
        .add_note(&conv, &a, msg("n9", "one more"))
        .await
        .unwrap();
    assert_eq!(
        store.conversation(&conv).await.unwrap().unwrap().version,
        after_reply,
        "a note changes nothing a summary shows"
    );

    let nowhere = ConversationId("c_nope".into());
    assert_eq!(
        store.add_note(&nowhere, &a, msg("n1", "x")).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.notes(&nowhere).await, Err(StoreError::NotFound));

    store.delete_site(&site(1).id).await.unwrap();
    assert_eq!(store.notes(&conv).await, Err(StoreError::NotFound));
    // A new conversation starts with none.
    let again = queued_conversation(&*store, "t2").await;
    assert!(store.notes(&again).await.unwrap().is_empty());
}

/// Conformance case: canned responses are stored and listed by shortcut,
/// replaced whole, refused when the id is taken or gone; deleting a site
/// deletes its responses, deleting an agent their personal ones (a global
/// or site response they wrote stays).
pub async fn canned_responses_round_trip_and_go_with_their_site_or_owner(store: Arc<dyn Store>) {
    use shared::api::{CannedResponse, CannedScope};
    let sara = agent(&*store, "sara", 2, Presence::Online).await;
    store.insert_site(site(1)).await.unwrap();
    store.insert_site(site(2)).await.unwrap();
    let make = |id: &str, scope: CannedScope, shortcut: &str| CannedResponse {
        id: shared::CannedId(id.into()),
        scope,
        owner: sara.id.clone(),
        title: format!("Title {id}"),
        shortcut: shortcut.into(),
        body: format!("Hi {{visitor.name|there}}, {id}"),
    };
    let global = make("cr_g", CannedScope::Global, "thanks");
    let of_1 = make("cr_1", CannedScope::Site { site: site(1).id }, "hours");
    let of_2 = make("cr_2", CannedScope::Site { site: site(2).id }, "refund");
    let mine = make("cr_p", CannedScope::Personal, "bye");
    for c in [&global, &of_1, &of_2, &mine] {
        store.insert_canned(c.clone()).await.unwrap();
    }
    assert_eq!(
        store.insert_canned(global.clone()).await,
        Err(StoreError::Conflict)
    );
    let shortcuts =
        |all: Vec<CannedResponse>| all.into_iter().map(|c| c.shortcut).collect::<Vec<_>>();
    assert_eq!(
        shortcuts(store.list_canned().await.unwrap()),
        ["bye", "hours", "refund", "thanks"]
    );
    assert_eq!(store.canned(&of_1.id).await.unwrap(), Some(of_1.clone()));

    let mut changed = of_1.clone();
    changed.body = "We open at 9.".into();
    store.update_canned(changed.clone()).await.unwrap();
    assert_eq!(store.canned(&of_1.id).await.unwrap(), Some(changed));
    let ghost = make("cr_nope", CannedScope::Global, "x");
    assert_eq!(
        store.update_canned(ghost.clone()).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_canned(&ghost.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.canned(&ghost.id).await.unwrap(), None);

    store.delete_site(&site(2).id).await.unwrap();
    assert_eq!(
        shortcuts(store.list_canned().await.unwrap()),
        ["bye", "hours", "thanks"]
    );
    store.delete_agent(&sara.id).await.unwrap();
    assert_eq!(
        shortcuts(store.list_canned().await.unwrap()),
        ["hours", "thanks"]
    );
    store.delete_canned(&global.id).await.unwrap();
    assert_eq!(shortcuts(store.list_canned().await.unwrap()), ["hours"]);
}

/// One send of the property below: who sends, with which of a few client
/// ids, which body.
#[cfg(test)]
#[derive(Clone, Debug)]
enum Send {
    Visitor {
        client: u8,
        body: u8,
    },
    /// `assigned`: the conversation's agent, or a colleague it is not theirs.
    Agent {
        assigned: bool,
        client: u8,
        body: u8,
    },
}

/// Conformance case (a property): for any sequence of sends by the
/// visitor, the assigned agent and a colleague, with client ids drawn from
/// a small pool so retries and cross-author reuse are common: each new
/// (author, client id) gets the next seq with no gap; a repeat gets its
/// own original back, marked duplicate, whatever body it carries; the
/// colleague is always refused; and the history holds exactly the model's
/// messages, in seq order, whichever page size reads it.
#[cfg(test)]
pub async fn any_sequence_of_sends_keeps_seq_and_idempotency(store: Arc<dyn Store>) {
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestRunner};
    use std::collections::HashMap;
    use std::sync::atomic::{AtomicU32, Ordering};

    let assigned = agent(&*store, "a", 1_000_000, Presence::Online).await;
    let colleague = agent(&*store, "b", 1_000_000, Presence::Away).await;
    let send = prop_oneof![
        (0..4u8, 0..3u8).prop_map(|(client, body)| Send::Visitor { client, body }),
        (any::<bool>(), 0..4u8, 0..3u8).prop_map(|(assigned, client, body)| Send::Agent {
            assigned,
            client,
            body
        }),
    ];
    let strategy = (proptest::collection::vec(send, 0..24), 1..5usize);
    // Each case (shrinking included) chats in a conversation of its own.
    let cases = AtomicU32::new(0);
    let check = |(sends, page): (Vec<Send>, usize)| {
        let store = store.clone();
        let (assigned, colleague) = (assigned.clone(), colleague.clone());
        let token = format!("prop-{}", cases.fetch_add(1, Ordering::Relaxed));
        async move {
            let v = visitor(&*store, &token).await;
            let first = store
                .append_visitor_message(&v, msg("opening", "hello"), u32::MAX)
                .await
                .map_err(|e| TestCaseError::fail(format!("opening: {e:?}")))?;
            let conv = first.appended.conversation.id.clone();
            store
                .drain_queue(1_000, FALLBACK)
                .await
                .map_err(|e| TestCaseError::fail(format!("drain: {e:?}")))?;
            // The model: (author, client id) → seq, and bodies by seq.
            let mut seqs = HashMap::from([(("visitor", "opening".to_owned()), 1u64)]);
            let mut bodies = vec!["hello".to_owned()];
            for send in &sends {
                let (author, client, body, result) = match send {
                    Send::Visitor { client, body } => {
                        let (client, body) = (format!("c{client}"), format!("v{body}"));
                        let result = store
                            .append_visitor_message(&v, msg(&client, &body), u32::MAX)
                            .await
                            .map(|out| out.appended);
                        ("visitor", client, body, result)
                    }
                    Send::Agent {
                        assigned: mine,
                        client,
                        body,
                    } => {
                        let (client, body) = (format!("c{client}"), format!("a{body}"));
                        let who = if *mine { &assigned } else { &colleague };
                        let result = store
                            .append_agent_message(&conv, who, msg(&client, &body))
                            .await;
                        if !*mine {
                            prop_assert_eq!(result.map(drop), Err(StoreError::Forbidden));
                            continue;
                        }
                        ("agent", client, body, result)
                    }
                };
                let got = result.map_err(|e| TestCaseError::fail(format!("{send:?}: {e:?}")))?;
                match seqs.get(&(author, client.clone())) {
                    Some(&seq) => {
                        prop_assert!(got.duplicate, "{:?} is a retry", send);
                        prop_assert_eq!(got.message.seq, seq);
                        prop_assert_eq!(&got.message.body, &bodies[seq as usize - 1]);
                    }
                    None => {
                        let seq = bodies.len() as u64 + 1;
                        prop_assert!(!got.duplicate, "{:?} is new", send);
                        prop_assert_eq!(got.message.seq, seq);
                        prop_assert_eq!(&got.message.body, &body);
                        seqs.insert((author, client), seq);
                        bodies.push(body);
                    }
                }
            }
            let mut stored = Vec::new();
            loop {
                let after = stored.len() as u64;
                let next = store
                    .messages_after(&conv, after, page)
                    .await
                    .map_err(|e| TestCaseError::fail(format!("history: {e:?}")))?;
                if next.is_empty() {
                    break;
                }
                prop_assert!(next.len() <= page);
                for (i, m) in next.iter().enumerate() {
                    prop_assert_eq!(m.seq, after + i as u64 + 1);
                }
                stored.extend(next.into_iter().map(|m| m.body));
            }
            prop_assert_eq!(stored, bodies);
            Ok(())
        }
    };
    let config = Config {
        cases: 40,
        failure_persistence: None,
        ..Config::default()
    };
    let runtime = tokio::runtime::Handle::current();
    let outcome = tokio::task::block_in_place(|| {
        TestRunner::new(config).run(&strategy, |input| runtime.block_on(check(input)))
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// Conformance case.
pub async fn lists(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 5, Presence::Away).await;
    let c1 = queued_conversation(&*store, "t1").await;
    let c2 = queued_conversation(&*store, "t2").await;
    let c3 = queued_conversation(&*store, "t3").await;
    let ids =
        |list: Vec<shared::ConversationSummary>| list.into_iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store
            .list_conversations(ConversationFilter::Waiting)
            .await
            .unwrap()),
        vec![c1.clone(), c2.clone(), c3.clone()]
    );
    store.pick(&c2, &a.id, 10).await.unwrap();
    store.pick(&c3, &a.id, 11).await.unwrap();
    store.resolve(&c3, &a.id).await.unwrap();
    assert_eq!(
        ids(store
            .list_conversations(ConversationFilter::Waiting)
            .await
            .unwrap()),
        vec![c1]
    );
    assert_eq!(
        ids(store
            .list_conversations(ConversationFilter::AssignedTo(a.id.clone()))
            .await
            .unwrap()),
        vec![c2]
    );
    assert_eq!(
        ids(store
            .list_conversations(ConversationFilter::ResolvedBy(a.id.clone()))
            .await
            .unwrap()),
        vec![c3]
    );
    let c = store
        .conversation(&ConversationId("c_missing".into()))
        .await
        .unwrap();
    assert!(c.is_none());
}

/// A conversation on `site` started at `now` with `first`, by a visitor
/// with token `token`.
async fn started(
    store: &dyn Store,
    site: &Site,
    token: &str,
    now: u64,
    first: &str,
) -> ConversationId {
    if store.site(&site.id).await.unwrap().is_none() {
        store.insert_site(site.clone()).await.unwrap();
    }
    let v = store
        .create_visitor(token, &site.id, Some("fa".into()), None)
        .await
        .unwrap();
    let m = NewMessage {
        now,
        ..msg("first", first)
    };
    store
        .append_visitor_message(&v.id, m, u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id
}

/// Conformance case: the history — filters, newest first, pages that
/// join up without a gap or a repeat, and words found the same way in
/// both stores (prefixes, Arabic and Persian spellings folded, every word
/// somewhere in the conversation, never in notes).
pub async fn history_filters_pages_and_finds_words(store: Arc<dyn Store>) {
    let (s1, s2) = (site(1), site(2));
    let mut a = agent(&*store, "a", 10, Presence::Away).await;
    a.sites = vec![s1.id.clone(), s2.id.clone()];
    let patch = AgentPatch {
        sites: Some(a.sites.clone()),
        ..AgentPatch::default()
    };
    store.update_agent(&a.id, patch).await.unwrap();
    let b = agent(&*store, "b", 10, Presence::Away).await;
    let refund = started(&*store, &s1, "v1", 1_000, "I want a REFUND for order 1234").await;
    let persian = started(&*store, &s1, "v2", 2_000, "سفارش من کجاست؟").await;
    let other_site = started(&*store, &s2, "v3", 3_000, "refund please").await;
    let waiting = started(&*store, &s1, "v4", 4_000, "hello").await;
    let same_time = started(&*store, &s1, "v5", 4_000, "hello again").await;
    store.pick(&refund, &a.id, 5_000).await.unwrap();
    let reply = NewMessage {
        now: 5_001,
        ..msg("r1", "Your parcel left the warehouse")
    };
    store
        .append_agent_message(&refund, &a, reply)
        .await
        .unwrap();
    let note = NewMessage {
        now: 5_002,
        ..msg("n1", "secretword")
    };
    store.add_note(&refund, &a, note).await.unwrap();
    store.resolve(&refund, &a.id).await.unwrap();
    store.pick(&persian, &b.id, 5_000).await.unwrap();
    store.pick(&other_site, &a.id, 5_000).await.unwrap();

    let find = |q: HistoryQuery| {
        let store = store.clone();
        async move {
            let page = store.history(&q).await.unwrap();
            page.conversations
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        }
    };
    let all = HistoryQuery {
        limit: 50,
        ..HistoryQuery::default()
    };
    // Newest first; the same creation time breaks by id, descending.
    let (x, y) = if same_time > waiting {
        (same_time.clone(), waiting.clone())
    } else {
        (waiting.clone(), same_time.clone())
    };
    let everything = vec![x, y, other_site.clone(), persian.clone(), refund.clone()];
    assert_eq!(find(all.clone()).await, everything);
    // Filters.
    let q = HistoryQuery {
        sites: Some(vec![s2.id.clone()]),
        ..all.clone()
    };
    assert_eq!(find(q).await, vec![other_site.clone()]);
    let q = HistoryQuery {
        sites: Some(Vec::new()),
        ..all.clone()
    };
    assert!(find(q).await.is_empty(), "no site: nothing");
    let q = HistoryQuery {
        agent: Some(a.id.clone()),
        ..all.clone()
    };
    assert_eq!(find(q).await, vec![other_site.clone(), refund.clone()]);
    let q = HistoryQuery {
        status: Some(ConversationStatus::Resolved),
        ..all.clone()
    };
    assert_eq!(find(q).await, vec![refund.clone()]);
    let q = HistoryQuery {
        status: Some(ConversationStatus::Queued),
        sites: Some(vec![s1.id.clone(), s2.id.clone()]),
        ..all.clone()
    };
    assert_eq!(find(q).await.len(), 2);
    let q = HistoryQuery {
        from: Some(2_000),
        to: Some(4_000),
        ..all.clone()
    };
    assert_eq!(find(q).await, vec![other_site.clone(), persian.clone()]);
    // Pages of two join up exactly.
    let mut paged = Vec::new();
    let mut q = HistoryQuery {
        limit: 2,
        ..all.clone()
    };
    for _ in 0..10 {
        let page = store.history(&q).await.unwrap();
        assert!(page.conversations.len() <= 2);
        paged.extend(page.conversations.into_iter().map(|c| c.id));
        match page.next {
            Some(next) => q.after = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, everything);
    // Words: prefixes, any case, in the visitor's or the agent's messages,
    // every word somewhere in the conversation.
    let words = |text: &str| HistoryQuery {
        words: crate::search::query_words(text),
        ..all.clone()
    };
    assert_eq!(
        find(words("refun")).await,
        vec![other_site.clone(), refund.clone()]
    );
    assert_eq!(find(words("Refund ORDER")).await, vec![refund.clone()]);
    assert_eq!(
        find(words("refund warehouse")).await,
        vec![refund.clone()],
        "reply"
    );
    assert!(find(words("refund nowhere")).await.is_empty());
    assert!(find(words("efund")).await.is_empty(), "not inside a word");
    assert!(
        find(words("secretword")).await.is_empty(),
        "notes are not searched"
    );
    // Arabic keyboard spellings find the Persian text.
    assert_eq!(find(words("سفارش")).await, vec![persian.clone()]);
    assert_eq!(
        find(words("كجاست")).await,
        vec![persian.clone()],
        "Arabic kaf"
    );
    let q = HistoryQuery {
        status: Some(ConversationStatus::Assigned),
        ..words("refund")
    };
    assert_eq!(find(q).await, vec![other_site.clone()], "words and filters");
    // A deleted site's conversations are gone from the history.
    store.delete_site(&s2.id).await.unwrap();
    assert_eq!(find(words("refund")).await, vec![refund]);
    assert!(!find(all).await.contains(&other_site));
}

/// Conformance case: messages reach the search index in batches after
/// they are stored — a batch stops at its size, the next goes on where it
/// stopped, a conversation's later messages are indexed without its older
/// ones again — and a search catches up by itself before it runs.
pub async fn messages_are_indexed_in_batches_after_they_are_stored(store: Arc<dyn Store>) {
    let s1 = site(1);
    let long = started(&*store, &s1, "v1", 1_000, "alpha one").await;
    let short = started(&*store, &s1, "v2", 2_000, "bravo").await;
    let v1 = store.conversation(&long).await.unwrap().unwrap().visitor.id;
    for (i, text) in ["alpha two", "alpha three charlie"].into_iter().enumerate() {
        let m = NewMessage {
            now: 3_000 + i as u64,
            ..msg(&format!("more{i}"), text)
        };
        store
            .append_visitor_message(&v1, m, u32::MAX)
            .await
            .unwrap();
    }
    let found = |text: &str| {
        let store = store.clone();
        let q = HistoryQuery {
            words: crate::search::query_words(text),
            limit: 50,
            ..HistoryQuery::default()
        };
        async move {
            let page = store.history(&q).await.unwrap();
            page.conversations
                .into_iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        }
    };
    // Four messages wait; a batch of two stops there and says so.
    let first = store.index_pending(2).await.unwrap();
    assert_eq!(first.messages, 2);
    assert!(first.more, "two messages are left");
    let mut rest = 0;
    for _ in 0..10 {
        let round = store.index_pending(100).await.unwrap();
        rest += round.messages;
        if !round.more {
            break;
        }
    }
    assert_eq!(rest, 2, "each message indexed once");
    let idle = store.index_pending(100).await.unwrap();
    assert_eq!(idle, Indexed::default(), "nothing left");
    assert_eq!(
        found("charlie").await,
        vec![long.clone()],
        "the cut conversation's last"
    );
    assert_eq!(found("bravo").await, vec![short.clone()]);
    // A later message: only it is indexed.
    let m = NewMessage {
        now: 4_000,
        ..msg("later", "delta")
    };
    store
        .append_visitor_message(&v1, m, u32::MAX)
        .await
        .unwrap();
    let round = store.index_pending(100).await.unwrap();
    assert_eq!((round.messages, round.more), (1, false));
    assert_eq!(found("alpha delta").await, vec![long.clone()]);
    // Without any indexing call, a search still finds what was just stored.
    let m = NewMessage {
        now: 5_000,
        ..msg("latest", "echo")
    };
    store
        .append_visitor_message(&v1, m, u32::MAX)
        .await
        .unwrap();
    assert_eq!(found("echo").await, vec![long.clone()]);
    // A conversation deleted (with its site) before it was indexed leaves
    // nothing waiting.
    let m = NewMessage {
        now: 6_000,
        ..msg("last", "foxtrot")
    };
    store
        .append_visitor_message(&v1, m, u32::MAX)
        .await
        .unwrap();
    store.delete_site(&s1.id).await.unwrap();
    let round = store.index_pending(100).await.unwrap();
    assert_eq!(round.messages, 0);
    assert!(!round.more);
    assert!(found("foxtrot").await.is_empty());
}

/// Conformance case: erasing a visitor takes their conversation (and its
/// place in the agent's load and in search), notes, token, activity and
/// pages, and nobody else's.
pub async fn erasing_a_visitor_leaves_nothing_of_them(store: Arc<dyn Store>) {
    let s1 = site(1);
    let a = agent(&*store, "a", 5, Presence::Online).await;
    let gone = started(
        &*store,
        &s1,
        "t_gone",
        1_000,
        "my address is 12 Zanzibar Road",
    )
    .await;
    let kept = started(&*store, &s1, "t_kept", 1_100, "Zanzibar too").await;
    // (The helper's token stands for its hash: stores never see tokens.)
    let visitor = store.visitor_by_token("t_gone").await.unwrap().unwrap();
    assert_eq!(visitor.conversation.as_ref(), Some(&gone));
    assert_eq!(
        store.visitor(&visitor.id).await.unwrap().as_ref(),
        Some(&visitor)
    );
    let visit = PageVisit {
        at: 1_000,
        url: "https://shop.example/account/zanzibar".into(),
        title: None,
        referrer: Some("https://search.example/?q=me".into()),
        user_agent: Some("Firefox".into()),
        time_zone: Some("Asia/Dubai".into()),
    };
    store.page_viewed(&visitor.id, visit).await.unwrap();
    store.pick(&gone, &a.id, 2_000).await.unwrap();
    store.pick(&kept, &a.id, 2_000).await.unwrap();
    let note = NewMessage {
        now: 2_001,
        ..msg("n1", "VIP, lives on Zanzibar Road")
    };
    store.add_note(&gone, &a, note).await.unwrap();
    assert_eq!(store.load(&a.id).await.unwrap(), 2);

    store.erase_visitor(&visitor.id).await.unwrap();
    assert_eq!(store.visitor(&visitor.id).await.unwrap(), None);
    assert_eq!(store.conversation(&gone).await.unwrap(), None);
    assert_eq!(
        store.messages_after(&gone, 0, 100).await,
        Err(StoreError::NotFound)
    );
    assert!(store.notes(&gone).await.unwrap_or_default().is_empty());
    assert_eq!(store.visitor_activity(&visitor.id).await.unwrap(), None);
    assert_eq!(
        store.load(&a.id).await.unwrap(),
        1,
        "the agent's place freed"
    );
    let q = HistoryQuery {
        words: crate::search::query_words("zanzibar"),
        limit: 50,
        ..HistoryQuery::default()
    };
    let found: Vec<_> = store
        .history(&q)
        .await
        .unwrap()
        .conversations
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(found, vec![kept.clone()], "only the other visitor's");
    // Their next message would start over as a stranger: the token is gone.
    let m = NewMessage {
        now: 3_000,
        ..msg("again", "hello?")
    };
    assert_eq!(
        store
            .append_visitor_message(&visitor.id, m, u32::MAX)
            .await
            .map(drop),
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.erase_visitor(&visitor.id).await,
        Err(StoreError::NotFound)
    );
    // The other visitor is untouched.
    assert_eq!(store.messages_after(&kept, 0, 100).await.unwrap().len(), 1);
}

/// Conformance case: what a visitor tells about themselves (the
/// leave-a-message form, the pre-chat form) — kept on the visitor (and
/// their conversation's copy), a name or email replacing the earlier one,
/// attributes added by key; the conversation marked only when asked, the
/// mark ending with the resolution; gone with erasure.
pub async fn a_left_message_keeps_the_contact_and_is_marked_until_resolved(store: Arc<dyn Store>) {
    use super::VisitorDetails;
    let a = agent(&*store, "a", 5, Presence::Online).await;
    let v = visitor(&*store, "t_left").await;
    let leila = shared::Contact {
        name: Some("Leila".into()),
        email: "leila@example.ir".into(),
    };
    // Before any message (the pre-chat form): kept on the visitor, no
    // conversation to mark.
    let prechat = VisitorDetails {
        attributes: [("phone", "+989123456789"), ("topic", "Sales")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        ..VisitorDetails::from(&leila)
    };
    assert_eq!(store.set_details(&v, &prechat, true).await, Ok(None));
    let found = store.visitor_by_token("t_left").await.unwrap().unwrap();
    assert_eq!(found.contact.as_ref(), Some(&leila));
    assert_eq!(found.attributes, prechat.attributes);
    // The conversation started afterwards carries the contact, unmarked.
    let c = store
        .append_visitor_message(&v, msg("m1", "where is my order?"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation;
    assert_eq!(c.visitor.email.as_deref(), Some("leila@example.ir"));
    assert_eq!(c.visitor.name.as_deref(), Some("Leila"));
    assert_eq!(c.visitor.attributes, prechat.attributes);
    assert!(!c.left_message);
    // Left while offline: marked; a new email replaces the old, the name
    // given before stays, attributes add up.
    let new = VisitorDetails {
        email: Some("l.ahmadi@example.ir".into()),
        attributes: [("topic", "Support"), ("order", "A-17")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into(),
        ..VisitorDetails::default()
    };
    let marked = store.set_details(&v, &new, true).await.unwrap().unwrap();
    assert!(marked.left_message);
    assert!(marked.version > c.version);
    assert_eq!(marked.visitor.name.as_deref(), Some("Leila"));
    assert_eq!(marked.visitor.email.as_deref(), Some("l.ahmadi@example.ir"));
    assert_eq!(
        marked.visitor.attributes,
        [
            ("order", "A-17"),
            ("phone", "+989123456789"),
            ("topic", "Support")
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into()
    );
    let waiting = store
        .list_conversations(ConversationFilter::Waiting)
        .await
        .unwrap();
    assert!(waiting.iter().any(|w| w.id == c.id && w.left_message));
    // Not offline any more: the contact changes, the mark stays.
    let again = store
        .set_details(&v, &VisitorDetails::from(&leila), false)
        .await
        .unwrap()
        .unwrap();
    assert!(again.left_message);
    assert_eq!(again.visitor.name.as_deref(), Some("Leila"));
    // An agent's reply keeps it; resolving ends it, the contact stays.
    store.pick(&c.id, &a.id, 2_000).await.unwrap();
    let reply = store
        .append_agent_message(&c.id, &a, msg("r1", "it ships today"))
        .await
        .unwrap();
    assert!(reply.conversation.left_message);
    let resolved = store.resolve(&c.id, &a.id).await.unwrap();
    assert!(!resolved.left_message);
    let read = store.conversation(&c.id).await.unwrap().unwrap();
    assert!(!read.left_message);
    assert_eq!(read.visitor.email.as_deref(), Some("leila@example.ir"));
    assert_eq!(
        store
            .set_details(&VisitorId("v_nobody".into()), &prechat, true)
            .await,
        Err(StoreError::NotFound)
    );
    // Erasure takes the contact with the visitor.
    store.erase_visitor(&v).await.unwrap();
    assert_eq!(store.visitor_by_token("t_left").await.unwrap(), None);
}

fn callback_of(visitor: &VisitorId, id: &str, now: u64) -> shared::callback::Callback {
    use shared::callback::{CallbackRequest, CallbackWindow};
    let form = CallbackRequest {
        phone: "+12025550123".into(),
        window: CallbackWindow::Morning,
        note: Some(format!("about {id}")),
        name: None,
    };
    let asker = crate::callbacks::Asker {
        site: site(1).id,
        visitor: visitor.clone(),
        conversation: None,
        known_name: Some("Leila".into()),
        time_zone: Some("Asia/Tehran".into()),
        locale: Some("fa".into()),
    };
    crate::callbacks::new_request(shared::CallbackId(id.into()), asker, form, now)
}

/// Conformance case: a visitor has one open callback request at a time;
/// the first claim wins (also when many race), the holder closes it, a
/// closed one stays closed; open ones list oldest first, closed ones most
/// recently closed first.
pub async fn callbacks_are_one_open_per_visitor_claimed_once_and_closed_by_their_holder(
    store: Arc<dyn Store>,
) {
    use crate::callbacks::Change;
    use shared::callback::CallbackStatus;
    use shared::{CallbackId, ErrorCode};
    let v1 = visitor(&*store, "t_cb1").await;
    let v2 = visitor(&*store, "t_cb2").await;
    let a = agent(&*store, "a", 5, Presence::Online).await.public();
    let b = agent(&*store, "b", 5, Presence::Online).await.public();
    let first = callback_of(&v1, "cb_1", 1_000);
    assert_eq!(
        store.request_callback(first.clone()).await,
        Ok(first.clone())
    );
    assert_eq!(store.callback(&first.id).await, Ok(Some(first.clone())));
    assert_eq!(
        store.visitor_callbacks(&v1, 5).await,
        Ok(vec![first.clone()])
    );
    assert_eq!(store.visitor_callbacks(&v2, 5).await, Ok(vec![]));
    // A second request while the first is open: refused, nothing kept.
    assert_eq!(
        store
            .request_callback(callback_of(&v1, "cb_dup", 1_500))
            .await,
        Err(StoreError::Refused(ErrorCode::CallbackPending))
    );
    assert_eq!(store.callback(&CallbackId("cb_dup".into())).await, Ok(None));
    assert_eq!(
        store
            .request_callback(callback_of(&VisitorId("v_nobody".into()), "cb_x", 1_500))
            .await,
        Err(StoreError::NotFound)
    );
    let second = callback_of(&v2, "cb_2", 2_000);
    store.request_callback(second.clone()).await.unwrap();
    let ids = |list: Vec<shared::callback::Callback>| -> Vec<String> {
        list.into_iter().map(|c| c.id.0).collect()
    };
    assert_eq!(
        ids(store.callbacks(true, 10).await.unwrap()),
        ["cb_1", "cb_2"]
    );
    assert_eq!(ids(store.callbacks(true, 1).await.unwrap()), ["cb_1"]);
    assert!(store.callbacks(false, 10).await.unwrap().is_empty());

    let claim = |who: &shared::AgentPublic| Change::Claim { agent: who.clone() };
    let close = |who: &shared::AgentPublic, status| Change::Close {
        agent: who.clone(),
        status,
        note: Some("Spoke with her".into()),
    };
    let claimed = store
        .change_callback(&first.id, claim(&a), 3_000)
        .await
        .unwrap();
    assert_eq!(claimed.status, CallbackStatus::Claimed);
    assert_eq!(claimed.agent.as_ref(), Some(&a));
    assert_eq!(store.callback(&first.id).await, Ok(Some(claimed.clone())));
    assert_eq!(
        store.change_callback(&first.id, claim(&a), 3_500).await,
        Ok(claimed.clone()),
        "claiming again is no change"
    );
    for change in [claim(&b), close(&b, CallbackStatus::Done)] {
        assert_eq!(
            store.change_callback(&first.id, change, 4_000).await,
            Err(StoreError::Refused(ErrorCode::CallbackTaken))
        );
    }
    let done = store
        .change_callback(&first.id, close(&a, CallbackStatus::Done), 5_000)
        .await
        .unwrap();
    assert_eq!(done.status, CallbackStatus::Done);
    assert_eq!(done.outcome.as_deref(), Some("Spoke with her"));
    assert_eq!(done.updated_at, 5_000);
    assert_eq!(
        store.change_callback(&first.id, claim(&b), 6_000).await,
        Err(StoreError::Refused(ErrorCode::CallbackClosed))
    );
    assert_eq!(
        store
            .change_callback(&CallbackId("cb_none".into()), claim(&a), 6_000)
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(ids(store.callbacks(true, 10).await.unwrap()), ["cb_2"]);
    assert_eq!(ids(store.callbacks(false, 10).await.unwrap()), ["cb_1"]);

    // Many agents claim the second at once (lined up on a barrier, so the
    // claims overlap): exactly one gets it.
    const RACERS: usize = 8;
    let gate = Arc::new(tokio::sync::Barrier::new(RACERS));
    let mut racers = Vec::new();
    for n in 0..RACERS {
        let who = agent(&*store, &format!("r{n}"), 5, Presence::Online)
            .await
            .public();
        let (store, gate, id) = (store.clone(), gate.clone(), second.id.clone());
        racers.push(tokio::spawn(async move {
            gate.wait().await;
            let got = store
                .change_callback(&id, Change::Claim { agent: who.clone() }, 7_000)
                .await;
            (who, got)
        }));
    }
    let mut winners = Vec::new();
    for r in racers {
        match r.await.unwrap() {
            (who, Ok(c)) => {
                assert_eq!(c.agent.as_ref(), Some(&who));
                winners.push(who);
            }
            (_, Err(e)) => assert_eq!(e, StoreError::Refused(ErrorCode::CallbackTaken)),
        }
    }
    assert_eq!(winners.len(), 1, "{winners:?}");
    let failed = store
        .change_callback(
            &second.id,
            close(&winners[0], CallbackStatus::Failed),
            8_000,
        )
        .await
        .unwrap();
    assert_eq!(failed.status, CallbackStatus::Failed);
    assert!(store.callbacks(true, 10).await.unwrap().is_empty());
    assert_eq!(
        ids(store.callbacks(false, 10).await.unwrap()),
        ["cb_2", "cb_1"]
    );
    assert_eq!(ids(store.callbacks(false, 1).await.unwrap()), ["cb_2"]);

    // Once the first is done, its visitor may ask again: the new one is
    // their latest.
    let third = callback_of(&v1, "cb_3", 9_000);
    store.request_callback(third.clone()).await.unwrap();
    let theirs = store.visitor_callbacks(&v1, 5).await.unwrap();
    assert_eq!(ids(theirs.clone()), ["cb_3", "cb_1"], "latest first");
    assert_eq!(theirs[0], third);
    assert_eq!(
        ids(store.visitor_callbacks(&v1, 1).await.unwrap()),
        ["cb_3"]
    );
}

/// Conformance case: erasing a visitor takes their callback requests;
/// deleting a site takes its visitors' requests.
pub async fn callbacks_go_with_their_visitor_and_site(store: Arc<dyn Store>) {
    use crate::callbacks::Change;
    use shared::callback::CallbackStatus;
    let v1 = visitor(&*store, "t_cbe1").await;
    let v2 = visitor(&*store, "t_cbe2").await;
    let a = agent(&*store, "a", 5, Presence::Online).await.public();
    let old = callback_of(&v1, "cb_old", 1_000);
    store.request_callback(old.clone()).await.unwrap();
    let closing = Change::Close {
        agent: a,
        status: CallbackStatus::Done,
        note: None,
    };
    store
        .change_callback(&old.id, closing, 2_000)
        .await
        .unwrap();
    store
        .request_callback(callback_of(&v1, "cb_new", 3_000))
        .await
        .unwrap();
    store
        .request_callback(callback_of(&v2, "cb_other", 4_000))
        .await
        .unwrap();
    store.erase_visitor(&v1).await.unwrap();
    for id in ["cb_old", "cb_new"] {
        assert_eq!(
            store.callback(&shared::CallbackId(id.into())).await,
            Ok(None)
        );
    }
    assert_eq!(store.visitor_callbacks(&v1, 5).await, Ok(vec![]));
    let open: Vec<_> = store.callbacks(true, 10).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].visitor, v2);
    assert!(store.callbacks(false, 10).await.unwrap().is_empty());
    store.delete_site(&site(1).id).await.unwrap();
    assert!(store.callbacks(true, 10).await.unwrap().is_empty());
    assert_eq!(store.visitor_callbacks(&v2, 5).await, Ok(vec![]));
}

fn article_of(site_n: u32, id: &str, lang: &str, title: &str) -> shared::help::Article {
    shared::help::Article {
        id: shared::ArticleId(id.into()),
        site: site(site_n).id,
        lang: lang.into(),
        title: title.into(),
        body: format!("About {title}: **read** this."),
        updated_at: 1_000,
    }
}

/// Conformance case: help articles are listed per site (by language, then
/// title) with their figures; another site's id finds nothing; a rewrite
/// keeps the figures, a deleted article stays gone (no rewrite or count
/// brings it back), and deleting the site deletes its articles.
pub async fn help_articles_belong_to_their_site_and_keep_their_figures(store: Arc<dyn Store>) {
    use shared::help::{ArticleCount, ArticleStats};
    store.insert_site(site(1)).await.unwrap();
    store.insert_site(site(2)).await.unwrap();
    assert_eq!(store.has_articles(&site(1).id).await, Ok(false));
    let pw = article_of(1, "ar_pw", "ar", "كيف أغيّر كلمة المرور؟");
    let ship = article_of(1, "ar_ship", "en", "Shipping");
    let refunds = article_of(1, "ar_refund", "en", "Refunds");
    let other = article_of(2, "ar_other", "en", "Another site's");
    for a in [&pw, &ship, &refunds, &other] {
        store.insert_article(a.clone()).await.unwrap();
    }
    assert_eq!(
        store
            .insert_article(article_of(1, "ar_pw", "en", "Same id"))
            .await,
        Err(StoreError::Conflict)
    );
    let listed = |all: Vec<shared::help::ArticleListing>| -> Vec<String> {
        all.into_iter().map(|l| l.article.id.0).collect()
    };
    assert_eq!(
        listed(store.articles(&site(1).id).await.unwrap()),
        ["ar_pw", "ar_refund", "ar_ship"]
    );
    assert_eq!(
        listed(store.articles(&site(2).id).await.unwrap()),
        ["ar_other"]
    );
    assert_eq!(
        store.article(&site(1).id, &pw.id).await,
        Ok(Some(pw.clone()))
    );
    assert_eq!(
        store.article(&site(2).id, &pw.id).await,
        Ok(None),
        "another site's"
    );

    store
        .count_article(&site(1).id, &pw.id, ArticleCount::Opened)
        .await
        .unwrap();
    store
        .count_article(&site(1).id, &pw.id, ArticleCount::Opened)
        .await
        .unwrap();
    store
        .count_article(&site(1).id, &pw.id, ArticleCount::AskedAfter)
        .await
        .unwrap();
    // Counting through the wrong site counts nothing.
    store
        .count_article(&site(2).id, &pw.id, ArticleCount::Opened)
        .await
        .unwrap();
    let mut rewritten = pw.clone();
    rewritten.title = "كيف أغير كلمة السر؟".into();
    rewritten.updated_at = 2_000;
    store.update_article(rewritten.clone()).await.unwrap();
    let all = store.articles(&site(1).id).await.unwrap();
    let kept = all.iter().find(|l| l.article.id == pw.id).unwrap();
    assert_eq!(kept.article, rewritten);
    assert_eq!(
        kept.stats,
        ArticleStats {
            opens: 2,
            asked_after: 1
        }
    );
    let mut moved = other.clone();
    moved.site = site(1).id;
    assert_eq!(
        store.update_article(moved).await,
        Err(StoreError::NotFound),
        "an article cannot be rewritten into another site"
    );

    store.delete_article(&site(1).id, &ship.id).await.unwrap();
    assert_eq!(
        store.delete_article(&site(1).id, &ship.id).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store.delete_article(&site(1).id, &other.id).await,
        Err(StoreError::NotFound),
        "another site's"
    );
    assert_eq!(
        store.update_article(ship.clone()).await,
        Err(StoreError::NotFound)
    );
    store
        .count_article(&site(1).id, &ship.id, ArticleCount::Opened)
        .await
        .unwrap();
    assert_eq!(store.article(&site(1).id, &ship.id).await, Ok(None));
    // Re-added under the same id, it starts from zero.
    store.insert_article(ship.clone()).await.unwrap();
    let all = store.articles(&site(1).id).await.unwrap();
    let again = all.iter().find(|l| l.article.id == ship.id).unwrap();
    assert_eq!(again.stats, ArticleStats::default());

    assert_eq!(store.has_articles(&site(1).id).await, Ok(true));
    store.delete_site(&site(1).id).await.unwrap();
    assert_eq!(store.has_articles(&site(1).id).await, Ok(false));
    assert_eq!(store.articles(&site(1).id).await, Ok(vec![]));
    assert_eq!(store.article(&site(1).id, &pw.id).await, Ok(None));
    assert_eq!(
        listed(store.articles(&site(2).id).await.unwrap()),
        ["ar_other"]
    );
}

/// Conformance case: counts from many visitors at once all land, and a
/// site at its cap but one takes exactly one of eight racing adds.
pub async fn article_counts_all_land_and_the_cap_holds_under_races(store: Arc<dyn Store>) {
    use shared::help::{ArticleCount, MAX_ARTICLES_PER_SITE};
    store.insert_site(site(1)).await.unwrap();
    let counted = article_of(1, "ar_hot", "en", "Popular");
    store.insert_article(counted.clone()).await.unwrap();
    let mut tasks = Vec::new();
    for n in 0..40 {
        let store = store.clone();
        let id = counted.id.clone();
        tasks.push(tokio::spawn(async move {
            let what = if n % 4 == 0 {
                ArticleCount::AskedAfter
            } else {
                ArticleCount::Opened
            };
            store.count_article(&site(1).id, &id, what).await
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    let stats = store.articles(&site(1).id).await.unwrap()[0].stats;
    assert_eq!((stats.opens, stats.asked_after), (30, 10));

    let mut fill = Vec::new();
    for n in 1..MAX_ARTICLES_PER_SITE - 1 {
        let store = store.clone();
        fill.push(tokio::spawn(async move {
            let a = article_of(1, &format!("ar_{n:03}"), "en", &format!("Article {n}"));
            store.insert_article(a).await
        }));
    }
    for t in fill {
        t.await.unwrap().unwrap();
    }
    assert_eq!(
        store.articles(&site(1).id).await.unwrap().len(),
        MAX_ARTICLES_PER_SITE - 1
    );
    let mut racers = Vec::new();
    for n in 0..8 {
        let store = store.clone();
        racers.push(tokio::spawn(async move {
            let a = article_of(1, &format!("ar_race{n}"), "en", "Last place");
            store.insert_article(a).await
        }));
    }
    let mut added = 0;
    for r in racers {
        match r.await.unwrap() {
            Ok(()) => added += 1,
            Err(e) => assert_eq!(e, StoreError::Refused(shared::ErrorCode::TooManyArticles)),
        }
    }
    assert_eq!(added, 1);
    assert_eq!(
        store.articles(&site(1).id).await.unwrap().len(),
        MAX_ARTICLES_PER_SITE
    );
    // Another site has room of its own.
    store.insert_site(site(2)).await.unwrap();
    store
        .insert_article(article_of(2, "ar_elsewhere", "en", "Elsewhere"))
        .await
        .unwrap();
}

/// Conformance case: a site's proactive rules are stored whole (every
/// URL kind, texts by language, switched off or on) and cleared.
pub async fn proactive_rules_are_kept_and_cleared(store: Arc<dyn Store>) {
    use shared::proactive::{ProactiveRule, UrlMatch};
    let rule = |id: &str, url: UrlMatch, enabled: bool| ProactiveRule {
        id: id.into(),
        name: format!("Rule {id}"),
        url,
        after_secs: 20,
        min_visits: 2,
        messages: [
            ("en".to_owned(), "Questions about our plans?".to_owned()),
            ("fa".to_owned(), "دربارهٔ طرح‌ها پرسشی دارید؟".to_owned()),
        ]
        .into(),
        enabled,
    };
    let mut s = site(7);
    s.proactive = vec![
        rule("pr_a", UrlMatch::Any, true),
        rule("pr_b", UrlMatch::Contains("/pricing".into()), true),
        rule(
            "pr_c",
            UrlMatch::Equals("https://shop.example/".into()),
            false,
        ),
        rule("pr_d", UrlMatch::Glob("*/products/*".into()), true),
    ];
    store.insert_site(s.clone()).await.unwrap();
    assert_eq!(store.site(&s.id).await.unwrap(), Some(s.clone()));
    let one = vec![rule("pr_b", UrlMatch::Contains("/checkout".into()), false)];
    let changed = store
        .update_site(
            &s.id,
            SitePatch {
                proactive: Some(one.clone()),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.proactive, one);
    assert_eq!(store.site_by_key(&s.key).await.unwrap(), Some(changed));
    let cleared = store
        .update_site(
            &s.id,
            SitePatch {
                proactive: Some(Vec::new()),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert!(cleared.proactive.is_empty());
    assert_eq!(store.site(&s.id).await.unwrap(), Some(cleared));
}

/// Conformance case: a site's pre-chat form is stored whole and cleared.
pub async fn a_prechat_form_is_kept_and_cleared(store: Arc<dyn Store>) {
    use shared::settings::{PrechatField, PrechatForm, PrechatKind};
    let mut s = site(6);
    let form = PrechatForm {
        fields: vec![
            PrechatField {
                key: "email".into(),
                kind: PrechatKind::Email,
                required: true,
                labels: [("fa".to_owned(), "ایمیل کاری".to_owned())].into(),
                options: Vec::new(),
            },
            PrechatField {
                key: "topic".into(),
                kind: PrechatKind::Select,
                required: false,
                labels: Default::default(),
                options: vec!["Sales".into(), "Support".into()],
            },
        ],
    };
    s.prechat = Some(form.clone());
    store.insert_site(s.clone()).await.unwrap();
    assert_eq!(store.site(&s.id).await.unwrap(), Some(s.clone()));
    let cleared = store
        .update_site(
            &s.id,
            SitePatch {
                prechat: Some(None),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.prechat, None);
    assert_eq!(store.site(&s.id).await.unwrap(), Some(cleared));
}

/// Conformance case: a site's identity secret and mode are kept and
/// changed; a signed identity binds one visitor per user and site (the
/// first bound stays that user's, whatever binds later, racing or not);
/// a bound visitor is never rebound; erasing it frees the user id.
pub async fn signed_identities_bind_one_visitor_per_user_and_site(store: Arc<dyn Store>) {
    let (s1, s2) = (site(1), site(2));
    store.insert_site(s2.clone()).await.unwrap();
    let c1 = started(&*store, &s1, "t_phone", 1_000, "hello from my phone").await;
    assert_eq!(store.site(&s1.id).await.unwrap(), Some(s1.clone()));
    let changed = store
        .update_site(
            &s1.id,
            SitePatch {
                identity_secret: Some("rotated".into()),
                identity_required: Some(true),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (changed.identity_secret.as_str(), changed.identity_required),
        ("rotated", true)
    );
    assert_eq!(store.site(&s1.id).await.unwrap(), Some(changed));

    let phone = store.visitor_by_token("t_phone").await.unwrap().unwrap();
    assert_eq!(phone.user_id, None);
    let before = store.conversation(&c1).await.unwrap().unwrap();
    let (bound, conv) = store.bind_user(&phone.id, "user-1").await.unwrap();
    assert_eq!(bound.id, phone.id);
    assert_eq!(bound.user_id.as_deref(), Some("user-1"));
    let conv = conv.expect("its conversation changed");
    assert_eq!(conv.visitor.user_id.as_deref(), Some("user-1"));
    assert!(conv.version > before.version, "dashboards hear of it");
    assert_eq!(store.conversation(&c1).await.unwrap(), Some(conv));
    assert_eq!(
        store.visitor_by_user(&s1.id, "user-1").await.unwrap(),
        Some(bound.clone())
    );
    assert_eq!(store.visitor(&phone.id).await.unwrap(), Some(bound.clone()));
    assert_eq!(store.visitor_by_user(&s2.id, "user-1").await.unwrap(), None);
    assert_eq!(store.visitor_by_user(&s1.id, "user-2").await.unwrap(), None);

    // Another device of the same user gets the first one; it stays unbound.
    let laptop = store
        .create_visitor("t_laptop", &s1.id, None, None)
        .await
        .unwrap();
    assert_eq!(
        store.bind_user(&laptop.id, "user-1").await.unwrap(),
        (bound.clone(), None)
    );
    assert_eq!(
        store.bind_user(&phone.id, "user-1").await.unwrap(),
        (bound.clone(), None),
        "binding again changes nothing"
    );
    assert_eq!(
        store.visitor(&laptop.id).await.unwrap().unwrap().user_id,
        None
    );
    assert_eq!(
        store.bind_user(&phone.id, "user-2").await,
        Err(StoreError::Conflict),
        "a user's visitor is never another's"
    );
    assert_eq!(
        store
            .bind_user(&VisitorId("v_nobody".into()), "user-3")
            .await,
        Err(StoreError::NotFound)
    );
    // The same id on another site is another user.
    let other = store
        .create_visitor("t_other_site", &s2.id, None, None)
        .await
        .unwrap();
    let (on_s2, _) = store.bind_user(&other.id, "user-1").await.unwrap();
    assert_eq!(on_s2.id, other.id);

    // Two devices binding a new user at once get one visitor.
    let mut racers = Vec::new();
    for n in 0..6 {
        let v = store
            .create_visitor(&format!("t_race_{n}"), &s1.id, None, None)
            .await
            .unwrap();
        let store = store.clone();
        racers.push(tokio::spawn(async move {
            store.bind_user(&v.id, "user-race").await.unwrap().0.id
        }));
    }
    let mut winners = Vec::new();
    for r in racers {
        winners.push(r.await.unwrap());
    }
    winners.dedup();
    assert_eq!(winners.len(), 1, "{winners:?}");

    // Erased, the user id is free for the next device.
    store.erase_visitor(&phone.id).await.unwrap();
    assert_eq!(store.visitor_by_user(&s1.id, "user-1").await.unwrap(), None);
    let (next, _) = store.bind_user(&laptop.id, "user-1").await.unwrap();
    assert_eq!(next.id, laptop.id);
    // Deleting the site frees it too.
    store.delete_site(&s1.id).await.unwrap();
    assert_eq!(store.visitor_by_user(&s1.id, "user-1").await.unwrap(), None);
}

/// Conformance case: a site's business hours and offline mode are stored
/// whole, changed by a patch and cleared.
pub async fn business_hours_are_kept_and_cleared(store: Arc<dyn Store>) {
    let mut s = site(5);
    let mut hours = shared::settings::BusinessHours::office();
    hours.holidays = vec!["2026-12-25".into()];
    s.hours = Some(hours.clone());
    s.offline_when_away = true;
    s.time_zone = Some("Asia/Tehran".into());
    store.insert_site(s.clone()).await.unwrap();
    assert_eq!(store.site(&s.id).await.unwrap(), Some(s.clone()));
    let mut saturday = hours.clone();
    saturday.week[5] = Some(shared::settings::DayHours {
        opens: 600,
        closes: 840,
    });
    let changed = store
        .update_site(
            &s.id,
            SitePatch {
                hours: Some(Some(saturday.clone())),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.hours.as_ref(), Some(&saturday));
    assert!(changed.offline_when_away, "untouched");
    let cleared = store
        .update_site(
            &s.id,
            SitePatch {
                hours: Some(None),
                offline_when_away: Some(false),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(cleared.hours, None);
    assert!(!cleared.offline_when_away);
    assert_eq!(store.site(&s.id).await.unwrap(), Some(cleared));
}

/// Conformance case: the satisfaction survey — only a resolved
/// conversation takes an answer, of the agent who resolved it; a second
/// answer replaces the first; reopening clears it.
pub async fn a_resolved_conversation_is_rated_and_asked_again_after_reopening(
    store: Arc<dyn Store>,
) {
    let s1 = site(1);
    let a = agent(&*store, "a", 5, Presence::Online).await;
    let c = started(&*store, &s1, "t_rate", 1_000, "hello").await;
    let answer = |score: u8, comment: Option<&str>, at: u64| StoredRating {
        score,
        comment: comment.map(str::to_owned),
        nps: None,
        at,
    };
    assert_eq!(
        store.rate(&c, answer(5, None, 1_500)).await.map(drop),
        Err(StoreError::NotResolved),
        "waiting"
    );
    store.pick(&c, &a.id, 2_000).await.unwrap();
    assert_eq!(
        store.rate(&c, answer(5, None, 2_500)).await.map(drop),
        Err(StoreError::NotResolved),
        "still open"
    );
    let resolved = store.resolve(&c, &a.id).await.unwrap();
    assert_eq!(resolved.rating, None);
    let rated = store
        .rate(&c, answer(4, Some("quick, thanks"), 3_000))
        .await
        .unwrap();
    let expected = shared::Rating {
        score: 4,
        comment: Some("quick, thanks".into()),
        nps: None,
        agent: Some(shared::AgentPublic {
            id: a.id.clone(),
            name: a.name.clone(),
        }),
        at: 3_000,
    };
    assert_eq!(rated.rating.as_ref(), Some(&expected));
    assert!(rated.version > resolved.version);
    let read = store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(read.rating.as_ref(), Some(&expected));
    // A second answer replaces the first; the Net Promoter answer is kept.
    let with_nps = StoredRating {
        nps: Some(9),
        ..answer(2, None, 3_100)
    };
    let again = store.rate(&c, with_nps).await.unwrap();
    assert_eq!(
        again.rating.map(|r| (r.score, r.comment, r.nps)),
        Some((2, None, Some(9)))
    );
    // Writing again reopens it: the answer was about the old resolution.
    let v = store.conversation(&c).await.unwrap().unwrap().visitor.id;
    let m = NewMessage {
        now: 4_000,
        ..msg("again", "one more thing")
    };
    let reopened = store.append_visitor_message(&v, m, u32::MAX).await.unwrap();
    assert_eq!(reopened.appended.conversation.rating, None);
    assert_eq!(store.conversation(&c).await.unwrap().unwrap().rating, None);
    assert_eq!(
        store
            .rate(&ConversationId("c_nobody".into()), answer(3, None, 5_000))
            .await
            .map(drop),
        Err(StoreError::NotFound)
    );
}

fn count(dim: &str, field: &str, value: i64, op: TallyOp) -> Count {
    Count {
        dim: dim.to_owned(),
        field: field.to_owned(),
        value,
        op,
    }
}

/// A site's cells as `(hour, dim, field) → value`.
async fn cells(
    store: &dyn Store,
    site: &SiteId,
    from: u64,
    to: u64,
) -> BTreeMap<(u64, String, String), i64> {
    store
        .tallies(site, from, to)
        .await
        .unwrap()
        .into_iter()
        .map(|c| ((c.hour, c.dim, c.field), c.value))
        .collect()
}

const H: u64 = crate::reports::tally::HOUR;

/// Conformance case.
pub async fn report_clocks_advance_only_from_what_was_read_and_count_with_it(
    store: Arc<dyn Store>,
) {
    let s1 = site(1);
    let c = started(&*store, &s1, "t_clock", 1_000, "hi").await;
    let nobody = ConversationId("c_nobody".into());
    assert_eq!(
        store.clocks(&[c.clone(), nobody.clone()]).await.unwrap(),
        [None, None]
    );
    let change = |expected: Option<&str>, clocks: &str, n: i64| ClockChange {
        conversation: c.clone(),
        site: s1.id.clone(),
        expected: expected.map(str::to_owned),
        clocks: clocks.to_owned(),
        counts: vec![
            (5 * H, count("site", "started", n, TallyOp::Add)),
            (5 * H, count("team:t_1", "started", n, TallyOp::Add)),
            (6 * H, count("site", "frt.max", 40, TallyOp::Max)),
        ],
    };
    assert_eq!(
        store
            .advance_clocks(vec![change(None, "{\"v\":1}", 1)])
            .await
            .unwrap(),
        [Advance::Applied]
    );
    assert_eq!(
        store.clocks(std::slice::from_ref(&c)).await.unwrap(),
        [Some("{\"v\":1}".to_owned())]
    );
    // From a stale read: refused, nothing counted. In one batch, each
    // change stands alone, in order, and a gone conversation is said so.
    let gone = ClockChange {
        conversation: nobody.clone(),
        ..change(None, "{}", 100)
    };
    let outcome = store
        .advance_clocks(vec![
            change(None, "{\"v\":9}", 100),
            change(Some("{\"v\":1}"), "{\"v\":2}", 2),
            gone,
            change(Some("{\"v\":1}"), "{\"v\":3}", 100),
        ])
        .await
        .unwrap();
    assert_eq!(
        outcome,
        [
            Advance::Conflict,
            Advance::Applied,
            Advance::Gone,
            Advance::Conflict
        ]
    );
    assert_eq!(
        store.clocks(std::slice::from_ref(&c)).await.unwrap(),
        [Some("{\"v\":2}".to_owned())]
    );
    let got = cells(&*store, &s1.id, 0, 10 * H).await;
    let cell = |hour: u64, dim: &str, field: &str| {
        got.get(&(hour, dim.to_owned(), field.to_owned())).copied()
    };
    assert_eq!(cell(5 * H, "site", "started"), Some(3));
    assert_eq!(cell(5 * H, "team:t_1", "started"), Some(3));
    assert_eq!(cell(6 * H, "site", "frt.max"), Some(40));
    assert_eq!(got.len(), 3, "{got:?}");
    // The clocks go with their conversation.
    let v = store.conversation(&c).await.unwrap().unwrap().visitor.id;
    store.erase_visitor(&v).await.unwrap();
    assert_eq!(
        store.clocks(std::slice::from_ref(&c)).await.unwrap(),
        [None]
    );
    assert_eq!(
        store
            .advance_clocks(vec![change(Some("{\"v\":2}"), "{}", 1)])
            .await
            .unwrap(),
        [Advance::Gone]
    );
    // The anonymous counts stay.
    assert_eq!(cells(&*store, &s1.id, 0, 10 * H).await, got);
}

/// Conformance case.
pub async fn concurrent_clock_advances_count_each_step_once(store: Arc<dyn Store>) {
    let s1 = site(1);
    let c = started(&*store, &s1, "t_race", 1_000, "hi").await;
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        let (c, site) = (c.clone(), s1.id.clone());
        tasks.push(tokio::spawn(async move {
            // Read, add one, write only if unchanged; again on a conflict.
            for _ in 0..10 {
                loop {
                    let read = store
                        .clocks(std::slice::from_ref(&c))
                        .await
                        .unwrap()
                        .remove(0);
                    let n: u64 = read.as_deref().map_or(0, |r| r.parse().unwrap());
                    let change = ClockChange {
                        conversation: c.clone(),
                        site: site.clone(),
                        expected: read,
                        clocks: (n + 1).to_string(),
                        counts: vec![(H, count("site", "answered", 1, TallyOp::Add))],
                    };
                    if store.advance_clocks(vec![change]).await.unwrap() == [Advance::Applied] {
                        break;
                    }
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(store.clocks(&[c]).await.unwrap(), [Some("80".to_owned())]);
    let got = cells(&*store, &s1.id, H, 2 * H).await;
    assert_eq!(got.get(&(H, "site".into(), "answered".into())), Some(&80));
}

/// Conformance case.
pub async fn tallies_add_keep_peaks_and_read_by_hour(store: Arc<dyn Store>) {
    let (s1, s2) = (site(1).id, site(2).id);
    let hour = 1_000 * H;
    store
        .tally(
            &s1,
            hour,
            vec![
                count("site", "online", 1, TallyOp::Add),
                count("agent:a_1", "load.peak", 3, TallyOp::Max),
                count("site", "backlog.waiting", 0, TallyOp::Max),
            ],
        )
        .await
        .unwrap();
    store
        .tally(
            &s1,
            hour,
            vec![
                count("site", "online", 1, TallyOp::Add),
                count("agent:a_1", "load.peak", 2, TallyOp::Max),
                count("site", "backlog.waiting", 4, TallyOp::Max),
            ],
        )
        .await
        .unwrap();
    store
        .tally(
            &s1,
            hour + H,
            vec![count("site", "online", 7, TallyOp::Add)],
        )
        .await
        .unwrap();
    store
        .tally(&s2, hour, vec![count("site", "online", 50, TallyOp::Add)])
        .await
        .unwrap();
    store.tally(&s2, hour, vec![]).await.unwrap();
    let got = cells(&*store, &s1, hour, hour + H).await;
    let expected: BTreeMap<(u64, String, String), i64> = [
        ((hour, "site".to_owned(), "online".to_owned()), 2),
        ((hour, "agent:a_1".to_owned(), "load.peak".to_owned()), 3),
        ((hour, "site".to_owned(), "backlog.waiting".to_owned()), 4),
    ]
    .into();
    assert_eq!(got, expected, "one hour, one site");
    assert_eq!(cells(&*store, &s1, hour, hour + 2 * H).await.len(), 4);
    assert_eq!(
        cells(&*store, &s1, hour + 2 * H, hour + 30 * 24 * H)
            .await
            .len(),
        0
    );
    assert_eq!(cells(&*store, &s2, 0, hour + 2 * H).await.len(), 1);
}

/// Conformance case.
pub async fn claims_are_taken_once_until_they_expire(store: Arc<dyn Store>) {
    let ttl = Duration::from_millis(300);
    assert!(store.claim("sample:1", ttl).await.unwrap());
    assert!(!store.claim("sample:1", ttl).await.unwrap());
    assert!(store.claim("sample:2", ttl).await.unwrap());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !store.claim("sample:1", ttl).await.unwrap() {
        assert!(
            std::time::Instant::now() < deadline,
            "a claim never expired"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(!store.claim("sample:1", ttl).await.unwrap());
}

/// Words only an erased visitor's data holds ([`erase_one_of_two`]): a
/// backend's own test scans its files or keyspace for them.
pub const ERASED_MARKS: [&str; 3] = ["qxzanzibar", "qxsecretpage", "qxrefsite"];
/// A word of the visitor who stays: the same scan must find it.
pub const KEPT_MARK: &str = "qxkeptword";

/// Two visitors with messages, replies, a note, pages and indexed words;
/// the first is then erased. Support for the backends' "nothing remains
/// on disk / in Redis" tests.
pub async fn erase_one_of_two(store: &dyn Store) {
    let s1 = site(1);
    let a = agent(store, "a", 5, Presence::Online).await;
    let gone = started(store, &s1, "t_gone", 1_000, "my card ends qxzanzibar 9911").await;
    let kept = started(store, &s1, "t_kept", 1_000, "qxkeptword hello").await;
    let visitor = store.visitor_by_token("t_gone").await.unwrap().unwrap();
    let visit = PageVisit {
        at: 1_000,
        url: "https://shop.example/orders/qxsecretpage".into(),
        title: Some("qxsecretpage order".into()),
        referrer: Some("https://qxrefsite.example/".into()),
        user_agent: Some("Firefox".into()),
        time_zone: None,
    };
    store.page_viewed(&visitor.id, visit).await.unwrap();
    store.pick(&gone, &a.id, 2_000).await.unwrap();
    store.pick(&kept, &a.id, 2_000).await.unwrap();
    for (c, text) in [
        (&gone, "thanks, qxzanzibar noted"),
        (&kept, "qxkeptword to you"),
    ] {
        let m = NewMessage {
            now: 2_001,
            ..msg("r1", text)
        };
        store.append_agent_message(c, &a, m).await.unwrap();
    }
    let note = NewMessage {
        now: 2_002,
        ..msg("n1", "qxzanzibar is a VIP")
    };
    store.add_note(&gone, &a, note).await.unwrap();
    while store.index_pending(100).await.unwrap().more {}
    store.erase_visitor(&visitor.id).await.unwrap();
    store.scrub().await.unwrap();
}

/// Conformance case: what a site's retention erases — resolved
/// conversations whose last message is older than the cut-off, of that
/// site only; open ones, recent ones and other sites' are kept.
pub async fn retention_finds_resolved_conversations_quiet_since_the_cut_off(store: Arc<dyn Store>) {
    let (s1, s2) = (site(1), site(2));
    let a = agent(&*store, "a", 10, Presence::Online).await;
    let patch = AgentPatch {
        sites: Some(vec![s1.id.clone(), s2.id.clone()]),
        ..AgentPatch::default()
    };
    store.update_agent(&a.id, patch).await.unwrap();
    let old = started(&*store, &s1, "t_old", 1_000, "old").await;
    let old_open = started(&*store, &s1, "t_open", 1_000, "still waiting").await;
    let revived = started(&*store, &s1, "t_revived", 1_000, "first").await;
    let other_site = started(&*store, &s2, "t_other", 1_000, "elsewhere").await;
    for c in [&old, &revived, &other_site] {
        store.pick(c, &a.id, 2_000).await.unwrap();
    }
    // A late reply keeps `revived` alive past the cut-off.
    let late = NewMessage {
        now: 9_000,
        ..msg("late", "anything else?")
    };
    store
        .append_agent_message(&revived, &a, late)
        .await
        .unwrap();
    for c in [&old, &revived, &other_site] {
        store.resolve(c, &a.id).await.unwrap();
    }
    let visitor_of = |c: ConversationId| {
        let store = store.clone();
        async move { store.conversation(&c).await.unwrap().unwrap().visitor.id }
    };
    let expired = store.expired_visitors(&s1.id, 5_000, 10).await.unwrap();
    assert_eq!(expired, vec![visitor_of(old.clone()).await]);
    assert!(store
        .expired_visitors(&s1.id, 500, 10)
        .await
        .unwrap()
        .is_empty());
    let later = store.expired_visitors(&s1.id, 10_000, 10).await.unwrap();
    assert_eq!(later.len(), 2, "{later:?}");
    assert!(later.contains(&visitor_of(revived.clone()).await));
    assert!(!later.contains(&visitor_of(old_open).await), "not resolved");
    assert_eq!(
        store
            .expired_visitors(&s1.id, 10_000, 1)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// Conformance case.
pub async fn events_reach_subscribers(store: Arc<dyn Store>) {
    let mut rx = store.subscribe();
    let event = Event::QueueChanged;
    store.publish(event.clone()).await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("event within 5 s")
        .unwrap();
    assert_eq!(got, event);
}

/// Conformance case.
pub async fn sites_change_field_by_field_and_delete_with_everything_in_them(store: Arc<dyn Store>) {
    let mut shop = site(1);
    shop.name = "Shop".into();
    let mut blog = site(2);
    blog.name = "Blog".into();
    store.insert_site(shop.clone()).await.unwrap();
    store.insert_site(blog.clone()).await.unwrap();
    let names: Vec<_> = store
        .list_sites()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["Blog", "Shop"], "by name");

    // Two edits of different fields: both stick.
    store
        .update_site(
            &shop.id,
            SitePatch {
                accent_color: Some("#0f766e".into()),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    let after = store
        .update_site(
            &shop.id,
            SitePatch {
                position: Some(LauncherPosition::Left),
                title: Some(Some("Support".into())),
                avatar: Some(Avatar::Image {
                    url: "https://cdn.example/a.png".into(),
                }),
                typing_preview: Some(true),
                ..SitePatch::default()
            },
        )
        .await
        .unwrap();
    assert!(after.typing_preview && !shop.typing_preview);
    assert_eq!(after.appearance.accent_color, "#0f766e");
    assert_eq!(after.appearance.position, LauncherPosition::Left);
    assert_eq!(store.site(&shop.id).await.unwrap(), Some(after.clone()));
    assert_eq!(
        store.site_by_key(&shop.key).await.unwrap(),
        Some(after),
        "found by key with its changes"
    );
    assert_eq!(
        store
            .update_site(&SiteId("s_nope".into()), SitePatch::default())
            .await,
        Err(StoreError::NotFound)
    );
    // Two admins saving different fields at the same moment, many times:
    // neither loses the other's change.
    let colours = {
        let (store, id) = (store.clone(), shop.id.clone());
        tokio::spawn(async move {
            for i in 0..20 {
                let patch = SitePatch {
                    accent_color: Some(format!("#0000{i:02}")),
                    ..SitePatch::default()
                };
                store.update_site(&id, patch).await.unwrap();
            }
        })
    };
    let greetings = {
        let (store, id) = (store.clone(), shop.id.clone());
        tokio::spawn(async move {
            for i in 0..20 {
                let patch = SitePatch {
                    greeting: Some(Some(format!("Hello {i}"))),
                    ..SitePatch::default()
                };
                store.update_site(&id, patch).await.unwrap();
            }
        })
    };
    colours.await.unwrap();
    greetings.await.unwrap();
    let both = store.site(&shop.id).await.unwrap().unwrap();
    assert_eq!(both.appearance.accent_color, "#000019");
    assert_eq!(both.appearance.greeting.as_deref(), Some("Hello 19"));

    // The shop has a chat being answered, one waiting and its messages;
    // the blog has one waiting.
    let a = agent(&*store, "a", 3, Presence::Online).await;
    let answered = queued_conversation(&*store, "t1").await;
    store.pick(&answered, &a.id, 1).await.unwrap();
    let waiting = queued_conversation(&*store, "t2").await;
    let blog_visitor = store
        .create_visitor("tb", &blog.id, None, None)
        .await
        .unwrap();
    let blog_conv = store
        .append_visitor_message(&blog_visitor.id, msg("b1", "hi blog"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id;
    assert_eq!(store.load(&a.id).await.unwrap(), 1);

    store.delete_site(&shop.id).await.unwrap();
    assert_eq!(store.site(&shop.id).await.unwrap(), None);
    assert_eq!(store.site_by_key(&shop.key).await.unwrap(), None);
    assert!(store.visitor_by_token("t1").await.unwrap().is_none());
    assert!(store.conversation(&answered).await.unwrap().is_none());
    assert!(store.conversation(&waiting).await.unwrap().is_none());
    assert_eq!(
        store.messages_after(&answered, 0, 10).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(queue_ids(&*store).await, vec![blog_conv.clone()]);
    assert_eq!(store.load(&a.id).await.unwrap(), 0, "capacity freed");
    let a_after = store.agent(&a.id).await.unwrap().unwrap();
    assert!(a_after.sites.is_empty(), "the agent no longer serves it");
    // The other site is untouched.
    assert_eq!(
        store.messages_after(&blog_conv, 0, 10).await.unwrap().len(),
        1
    );
    assert!(store.visitor_by_token("tb").await.unwrap().is_some());
    assert_eq!(store.delete_site(&shop.id).await, Err(StoreError::NotFound));
}

fn account(id: &str, role: Role) -> AgentRecord {
    AgentRecord::new(
        AgentId(format!("a_{id}")),
        &format!("{id}@example.com"),
        id,
        "h".into(),
        role,
    )
}

/// Conformance case.
pub async fn agents_keep_unique_emails_and_an_admin(store: Arc<dyn Store>) {
    let boss = account("boss", Role::Admin);
    let sara = account("sara", Role::Agent);
    store.insert_agent(boss.clone()).await.unwrap();
    store.insert_agent(sara.clone()).await.unwrap();

    let taken = AgentPatch {
        email: Some("boss@example.com".into()),
        ..AgentPatch::default()
    };
    assert_eq!(
        store.update_agent(&sara.id, taken).await,
        Err(StoreError::Conflict)
    );
    let changed = store
        .update_agent(
            &sara.id,
            AgentPatch {
                email: Some("sara.k@example.com".into()),
                name: Some("Sara K".into()),
                languages: Some(vec!["ar".into(), "en".into()]),
                sites: Some(vec![site(1).id]),
                ..AgentPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(changed.name, "Sara K");
    assert_eq!(store.agent(&sara.id).await.unwrap(), Some(changed.clone()));
    assert_eq!(
        store.agent_by_email("sara.k@example.com").await.unwrap(),
        Some(changed)
    );
    assert_eq!(
        store.agent_by_email("sara@example.com").await.unwrap(),
        None,
        "the old email is free"
    );

    // The only admin can be neither demoted, disabled nor deleted.
    let demote = AgentPatch {
        role: Some(Role::Agent),
        ..AgentPatch::default()
    };
    let disable = AgentPatch {
        disabled: Some(true),
        ..AgentPatch::default()
    };
    assert_eq!(
        store.update_agent(&boss.id, demote.clone()).await,
        Err(StoreError::LastAdmin)
    );
    assert_eq!(
        store.update_agent(&boss.id, disable).await,
        Err(StoreError::LastAdmin)
    );
    assert_eq!(
        store.delete_agent(&boss.id).await,
        Err(StoreError::LastAdmin)
    );
    assert!(store.agent(&boss.id).await.unwrap().unwrap().is_admin());
    // With a second admin, the first may step down.
    store
        .update_agent(
            &sara.id,
            AgentPatch {
                role: Some(Role::Admin),
                ..AgentPatch::default()
            },
        )
        .await
        .unwrap();
    store.update_agent(&boss.id, demote).await.unwrap();
    store.delete_agent(&boss.id).await.unwrap();
    assert_eq!(store.agent(&boss.id).await.unwrap(), None);
    assert_eq!(
        store.agent_by_email("boss@example.com").await.unwrap(),
        None
    );
    assert_eq!(
        store.delete_agent(&boss.id).await,
        Err(StoreError::NotFound)
    );
    // The email can be used again.
    store
        .insert_agent(account("boss", Role::Agent))
        .await
        .unwrap();
    assert_eq!(
        store
            .update_agent(&AgentId("a_nope".into()), AgentPatch::default())
            .await,
        Err(StoreError::NotFound)
    );
}

/// Conformance case.
pub async fn sessions_end_for_one_agent(store: Arc<dyn Store>) {
    let a = agent(&*store, "a", 1, Presence::Offline).await;
    let b = agent(&*store, "b", 1, Presence::Offline).await;
    let hour = Duration::from_secs(3600);
    for (hash, who) in [("a1", &a), ("a2", &a), ("a3", &a), ("b1", &b)] {
        store.create_session(hash, &who.id, hour).await.unwrap();
    }
    store.delete_sessions(&a.id, Some("a2")).await.unwrap();
    assert_eq!(store.session_agent("a1").await.unwrap(), None);
    assert_eq!(store.session_agent("a2").await.unwrap(), Some(a.id.clone()));
    assert_eq!(store.session_agent("a3").await.unwrap(), None);
    assert_eq!(store.session_agent("b1").await.unwrap(), Some(b.id.clone()));
    store.delete_sessions(&a.id, None).await.unwrap();
    assert_eq!(store.session_agent("a2").await.unwrap(), None);
    // Deleting the agent ends their sessions too.
    store.delete_agent(&b.id).await.unwrap();
    assert_eq!(store.session_agent("b1").await.unwrap(), None);
}

/// Conformance case.
pub async fn teams_are_named_and_leave_agents_when_deleted(store: Arc<dyn Store>) {
    let sales = Team {
        id: TeamId("t_sales".into()),
        name: "Sales".into(),
    };
    let arabic = Team {
        id: TeamId("t_ar".into()),
        name: "Arabic support".into(),
    };
    store.insert_team(sales.clone()).await.unwrap();
    store.insert_team(arabic.clone()).await.unwrap();
    assert_eq!(
        store.insert_team(sales.clone()).await,
        Err(StoreError::Conflict)
    );
    assert_eq!(
        store.list_teams().await.unwrap(),
        vec![arabic.clone(), sales.clone()]
    );
    let renamed = store
        .rename_team(&sales.id, "Sales EMEA".into())
        .await
        .unwrap();
    assert_eq!(renamed.name, "Sales EMEA");
    assert_eq!(
        store
            .rename_team(&TeamId("t_nope".into()), "x".into())
            .await,
        Err(StoreError::NotFound)
    );
    let mut sara = account("sara", Role::Agent);
    sara.teams = vec![sales.id.clone(), arabic.id.clone()];
    store.insert_agent(sara.clone()).await.unwrap();
    store.delete_team(&sales.id).await.unwrap();
    assert_eq!(store.list_teams().await.unwrap(), vec![arabic.clone()]);
    assert_eq!(
        store.agent(&sara.id).await.unwrap().unwrap().teams,
        vec![arabic.id]
    );
    assert_eq!(
        store.delete_team(&sales.id).await,
        Err(StoreError::NotFound)
    );
}

/// Conformance case.
pub async fn routing_follows_site_membership(store: Arc<dyn Store>) {
    store.insert_site(site(2)).await.unwrap();
    // The front of the queue is site 1's, then site 2's.
    let first = queued_conversation(&*store, "t1").await;
    let v2 = store
        .create_visitor("t2", &site(2).id, None, None)
        .await
        .unwrap();
    let second = store
        .append_visitor_message(&v2.id, msg("m", "hi"), u32::MAX)
        .await
        .unwrap()
        .appended
        .conversation
        .id;
    let entries = store.queue().await.unwrap();
    assert_eq!(
        entries.iter().map(|e| e.site.clone()).collect::<Vec<_>>(),
        vec![site(1).id, site(2).id],
        "queue entries carry their site"
    );

    // Only an agent of site 2 is online: the head waits, the second is
    // served — a site with nobody free does not block another site's line.
    let mut two = account("two", Role::Agent);
    two.sites = vec![site(2).id];
    store.insert_agent(two.clone()).await.unwrap();
    store.set_presence(&two.id, Presence::Online).await.unwrap();
    let made = store.drain_queue(5, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].conversation.id, second);
    assert_eq!(queue_ids(&*store).await, vec![first.clone()]);
    assert_eq!(
        store.pick(&first, &two.id, 6).await,
        Err(StoreError::Forbidden),
        "not their site"
    );

    // A disabled agent of site 1 is given nothing, even online.
    let mut off = account("off", Role::Agent);
    off.sites = vec![site(1).id];
    off.disabled = true;
    store.insert_agent(off.clone()).await.unwrap();
    let _ = store.set_presence(&off.id, Presence::Online).await;
    assert!(store.drain_queue(7, FALLBACK).await.unwrap().is_empty());
    assert_eq!(
        store.pick(&first, &off.id, 7).await,
        Err(StoreError::Forbidden)
    );

    // An admin serves every site.
    let boss = account("boss", Role::Admin);
    store.insert_agent(boss.clone()).await.unwrap();
    store
        .set_presence(&boss.id, Presence::Online)
        .await
        .unwrap();
    let made = store.drain_queue(8, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].conversation.agent.as_ref().unwrap().id, boss.id);
}

/// Conformance case.
pub async fn routing_prefers_the_visitors_language_until_the_fallback(store: Arc<dyn Store>) {
    let en = agent(&*store, "en", 3, Presence::Online).await;
    let patch = AgentPatch {
        languages: Some(vec!["en".into()]),
        ..AgentPatch::default()
    };
    store.update_agent(&en.id, patch).await.unwrap();
    let mut fa = agent(&*store, "fa", 2, Presence::Online).await;
    fa.languages = vec!["fa".into(), "en".into()];
    let patch = AgentPatch {
        languages: Some(fa.languages.clone()),
        ..AgentPatch::default()
    };
    store.update_agent(&fa.id, patch).await.unwrap();
    // The Persian speaker is busier, and still gets the Persian visitor.
    let warm_up = queued_in(&*store, "w", "en", 1_000).await;
    store.pick(&warm_up, &fa.id, 1_000).await.unwrap();
    let c1 = queued_in(&*store, "v1", "fa-IR", 1_000).await;
    let entry = store.queue().await.unwrap().remove(0);
    assert_eq!(entry.language.as_deref(), Some("fa"));
    assert_eq!(entry.queued_at, 1_000);
    store.drain_queue(1_500, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &c1).await, Some(fa.id.clone()));
    // Now the speaker is full: the next Persian visitor waits for them…
    let c2 = queued_in(&*store, "v2", "fa", 2_000).await;
    assert!(store
        .drain_queue(2_000 + FALLBACK - 1, FALLBACK)
        .await
        .unwrap()
        .is_empty());
    // …while an English visitor behind them is served at once.
    let c3 = queued_in(&*store, "v3", "en-GB", 3_000).await;
    let made = store.drain_queue(3_000, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].conversation.id, c3);
    assert_eq!(queue_ids(&*store).await, vec![c2.clone()]);
    // Once the fallback has passed, anyone of the site may take it.
    let made = store.drain_queue(2_000 + FALLBACK, FALLBACK).await.unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(holder(&*store, &c2).await, Some(en.id.clone()));
    // A language nobody online speaks restricts nothing.
    let c4 = queued_in(&*store, "v4", "de", 4_000).await;
    store.drain_queue(4_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &c4).await, Some(en.id));
}

/// Conformance case.
pub async fn a_site_team_holds_its_conversations_until_the_fallback(store: Arc<dyn Store>) {
    let sales = Team {
        id: TeamId("t_sales".into()),
        name: "Sales".into(),
    };
    store.insert_team(sales.clone()).await.unwrap();
    let other = agent(&*store, "other", 3, Presence::Online).await;
    let seller = agent(&*store, "seller", 3, Presence::Offline).await;
    let patch = AgentPatch {
        teams: Some(vec![sales.id.clone()]),
        ..AgentPatch::default()
    };
    store.update_agent(&seller.id, patch).await.unwrap();
    visitor(&*store, "t_site_exists").await;
    let to_team = SitePatch {
        team: Some(Some(sales.id.clone())),
        ..SitePatch::default()
    };
    let s = store.update_site(&site(1).id, to_team).await.unwrap();
    assert_eq!(s.team, Some(sales.id.clone()));
    assert_eq!(
        store.site(&s.id).await.unwrap().unwrap().team,
        Some(sales.id.clone())
    );

    let c1 = queued_in(&*store, "v1", "en", 1_000).await;
    let summary = store.conversation(&c1).await.unwrap().unwrap();
    assert_eq!(
        summary.team,
        Some(sales.id.clone()),
        "it waits in the team's line"
    );
    assert_eq!(store.queue().await.unwrap()[0].team, Some(sales.id.clone()));
    // Nobody of the team is online: it waits, the free colleague elsewhere
    // does not take it before the fallback…
    assert!(store
        .drain_queue(1_000 + FALLBACK - 1, FALLBACK)
        .await
        .unwrap()
        .is_empty());
    // …a seller coming online does…
    store
        .set_presence(&seller.id, Presence::Online)
        .await
        .unwrap();
    store.drain_queue(2_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &c1).await, Some(seller.id.clone()));
    // …and after the fallback anyone of the site may.
    store
        .set_presence(&seller.id, Presence::Away)
        .await
        .unwrap();
    let c2 = queued_in(&*store, "v2", "en", 3_000).await;
    assert!(store.drain_queue(3_000, FALLBACK).await.unwrap().is_empty());
    store.drain_queue(3_000 + FALLBACK, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &c2).await, Some(other.id.clone()));

    // Deleting the team sends the site's conversations to anyone.
    store.delete_team(&sales.id).await.unwrap();
    assert_eq!(store.site(&site(1).id).await.unwrap().unwrap().team, None);
    let c3 = queued_in(&*store, "v3", "en", 4_000).await;
    assert_eq!(store.conversation(&c3).await.unwrap().unwrap().team, None);
    store.drain_queue(4_000, FALLBACK).await.unwrap();
    assert_eq!(holder(&*store, &c3).await, Some(other.id));
}

/// Conformance case.
pub async fn transfer_rules(store: Arc<dyn Store>) {
    use shared::TransferTarget;
    let a = agent(&*store, "a", 1, Presence::Online).await;
    let b = agent(&*store, "b", 1, Presence::Away).await;
    let c = queued_conversation(&*store, "t1").await;
    let to_b = TransferTarget::Agent {
        agent: b.id.clone(),
    };
    assert_eq!(
        store.transfer(&c, Some(&a.id), &to_b, 10).await,
        Err(StoreError::NotAssigned),
        "a waiting conversation is picked, not transferred"
    );
    store.pick(&c, &a.id, 10).await.unwrap();
    let version = store.conversation(&c).await.unwrap().unwrap().version;

    // An agent moves their own conversation to an away colleague with room.
    let moved = store.transfer(&c, Some(&a.id), &to_b, 11).await.unwrap();
    assert_eq!(moved.agent.as_ref().map(|x| &x.id), Some(&b.id));
    assert_eq!(moved.agent.as_ref().unwrap().name, "b");
    assert_eq!(moved.status, ConversationStatus::Assigned);
    assert!(moved.version > version);
    assert_eq!(
        store.load(&a.id).await.unwrap(),
        0,
        "the holder's slot frees"
    );
    assert_eq!(store.load(&b.id).await.unwrap(), 1);
    assert_eq!(
        store
            .list_conversations(ConversationFilter::AssignedTo(b.id.clone()))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(store
        .list_conversations(ConversationFilter::AssignedTo(a.id.clone()))
        .await
        .unwrap()
        .is_empty());
    // It is no longer a's to move; nor can it go to b again.
    let to_a = TransferTarget::Agent {
        agent: a.id.clone(),
    };
    assert_eq!(
        store.transfer(&c, Some(&a.id), &to_a, 12).await,
        Err(StoreError::Forbidden)
    );
    assert_eq!(
        store.transfer(&c, None, &to_b, 12).await,
        Err(StoreError::AgentUnavailable),
        "already theirs"
    );
    // A full colleague is refused, never queued for.
    let other = queued_conversation(&*store, "t2").await;
    store.pick(&other, &a.id, 12).await.unwrap();
    assert_eq!(
        store.transfer(&c, Some(&b.id), &to_a, 13).await,
        Err(StoreError::AtCapacity)
    );
    // Offline, disabled, of another site, or unknown: unavailable / absent.
    let off = agent(&*store, "off", 3, Presence::Offline).await;
    let to_off = TransferTarget::Agent {
        agent: off.id.clone(),
    };
    assert_eq!(
        store.transfer(&c, Some(&b.id), &to_off, 13).await,
        Err(StoreError::AgentUnavailable)
    );
    store.insert_site(site(2)).await.unwrap();
    let mut elsewhere = account("elsewhere", Role::Agent);
    elsewhere.sites = vec![site(2).id];
    store.insert_agent(elsewhere.clone()).await.unwrap();
    store
        .set_presence(&elsewhere.id, Presence::Online)
        .await
        .unwrap();
    let to_elsewhere = TransferTarget::Agent {
        agent: elsewhere.id.clone(),
    };
    assert_eq!(
        store.transfer(&c, Some(&b.id), &to_elsewhere, 13).await,
        Err(StoreError::AgentUnavailable)
    );
    let nobody = TransferTarget::Agent {
        agent: AgentId("a_nobody".into()),
    };
    assert_eq!(
        store.transfer(&c, Some(&b.id), &nobody, 13).await,
        Err(StoreError::NotFound)
    );

    // Escalation: nobody to escalate to, then the supervisor with room.
    assert_eq!(
        store
            .transfer(&c, Some(&b.id), &TransferTarget::Supervisor, 14)
            .await,
        Err(StoreError::NoSupervisor)
    );
    let mut sup = account("sup", Role::Supervisor);
    sup.sites = vec![site(1).id];
    store.insert_agent(sup.clone()).await.unwrap();
    store.set_presence(&sup.id, Presence::Online).await.unwrap();
    let up = store
        .transfer(&c, Some(&b.id), &TransferTarget::Supervisor, 15)
        .await
        .unwrap();
    assert_eq!(up.agent.map(|x| x.id), Some(sup.id.clone()));
    assert_eq!(store.load(&b.id).await.unwrap(), 0);

    // To a team: the front of the line, waiting for that team.
    let sales = Team {
        id: TeamId("t_sales".into()),
        name: "Sales".into(),
    };
    store.insert_team(sales.clone()).await.unwrap();
    let waiting = queued_conversation(&*store, "t3").await;
    let to_sales = TransferTarget::Team {
        team: sales.id.clone(),
    };
    let queued = store.transfer(&c, None, &to_sales, 16).await.unwrap();
    assert_eq!(queued.status, ConversationStatus::Queued);
    assert_eq!(queued.agent, None);
    assert_eq!(queued.team, Some(sales.id.clone()));
    assert_eq!(queued.queued_at, Some(16));
    assert_eq!(store.load(&sup.id).await.unwrap(), 0);
    assert_eq!(queue_ids(&*store).await, vec![c.clone(), waiting]);
    let unknown = TransferTarget::Team {
        team: TeamId("t_nope".into()),
    };
    store.pick(&c, &b.id, 17).await.unwrap();
    assert_eq!(
        store.transfer(&c, None, &unknown, 18).await,
        Err(StoreError::NotFound)
    );
    store.resolve(&c, &b.id).await.unwrap();
    assert_eq!(
        store.transfer(&c, None, &to_a, 19).await,
        Err(StoreError::Resolved)
    );
    assert_eq!(
        store
            .transfer(&ConversationId("c_missing".into()), None, &to_a, 19)
            .await,
        Err(StoreError::NotFound)
    );
}

/// Conformance case: a transfer to an agent and drains giving them
/// conversations race; they never hold more than their capacity, and no
/// conversation is given twice.
pub async fn transfer_races_drain_without_exceeding_capacity(store: Arc<dyn Store>) {
    use shared::TransferTarget;
    for round in 0..6u32 {
        let from = agent(&*store, &format!("from{round}"), 1, Presence::Away).await;
        let to = agent(&*store, &format!("to{round}"), 1, Presence::Offline).await;
        let held = queued_conversation(&*store, &format!("h{round}")).await;
        store.pick(&held, &from.id, 1).await.unwrap();
        let mut waiting = Vec::new();
        for i in 0..3 {
            waiting.push(queued_conversation(&*store, &format!("w{round}-{i}")).await);
        }
        store.set_presence(&to.id, Presence::Online).await.unwrap();
        let transfer = {
            let (store, held, from) = (store.clone(), held.clone(), from.id.clone());
            let target = TransferTarget::Agent {
                agent: to.id.clone(),
            };
            tokio::spawn(async move { store.transfer(&held, Some(&from), &target, 2).await })
        };
        let drains: Vec<_> = (0..3)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.drain_queue(2, FALLBACK).await.unwrap() })
            })
            .collect();
        let moved = transfer.await.unwrap();
        let mut given = Vec::new();
        for d in drains {
            given.extend(d.await.unwrap().into_iter().map(|a| a.conversation.id));
        }
        assert_eq!(store.load(&to.id).await.unwrap(), 1, "round {round}");
        let theirs = store
            .list_conversations(ConversationFilter::AssignedTo(to.id.clone()))
            .await
            .unwrap();
        assert_eq!(theirs.len(), 1, "round {round}");
        match moved {
            Ok(_) => {
                assert!(given.is_empty(), "round {round}: drained into a full agent");
                assert_eq!(theirs[0].id, held);
                assert_eq!(store.load(&from.id).await.unwrap(), 0);
            }
            Err(StoreError::AtCapacity) => {
                assert_eq!(given, vec![waiting[0].clone()], "round {round}");
                assert_eq!(holder(&*store, &held).await, Some(from.id.clone()));
            }
            Err(e) => panic!("round {round}: {e}"),
        }
        // Clear the line for the next round.
        store.set_presence(&to.id, Presence::Offline).await.unwrap();
        for c in queue_ids(&*store).await {
            store.pick(&c, &from.id, 3).await.ok();
            if holder(&*store, &c).await.is_none() {
                let mut sweeper = account(&format!("sweep{round}{c}"), Role::Agent);
                sweeper.sites = vec![site(1).id];
                sweeper.capacity = 10;
                store.insert_agent(sweeper.clone()).await.unwrap();
                store.pick(&c, &sweeper.id, 3).await.unwrap();
            }
        }
    }
}

/// Conformance case.
pub async fn each_line_keeps_its_latest_service_times(store: Arc<dyn Store>) {
    use super::{QueueKey, SERVED_KEPT};
    let a = agent(&*store, "a", 100, Presence::Online).await;
    let line = QueueKey {
        site: site(1).id,
        team: None,
    };
    assert!(store.served(&line).await.unwrap().is_empty());
    let c = queued_conversation(&*store, "t0").await;
    store.pick(&c, &a.id, 500).await.unwrap();
    for i in 1..=(SERVED_KEPT as u64 + 5) {
        queued_conversation(&*store, &format!("t{i}")).await;
        store.drain_queue(1_000 + i, FALLBACK).await.unwrap();
    }
    let times = store.served(&line).await.unwrap();
    let expected: Vec<u64> = (6..=(SERVED_KEPT as u64 + 5))
        .rev()
        .map(|i| 1_000 + i)
        .collect();
    assert_eq!(times, expected, "newest first, the last {SERVED_KEPT}");
    // A transfer between agents serves nobody from the line; other lines
    // keep their own times.
    let b = agent(&*store, "b", 100, Presence::Away).await;
    let to_b = shared::TransferTarget::Agent {
        agent: b.id.clone(),
    };
    store.transfer(&c, None, &to_b, 9_000).await.unwrap();
    assert_eq!(store.served(&line).await.unwrap(), expected);
    let team_line = QueueKey {
        site: site(1).id,
        team: Some(TeamId("t_x".into())),
    };
    assert!(store.served(&team_line).await.unwrap().is_empty());
}

/// Conformance case.
pub async fn page_views_make_visits_and_keep_the_latest_pages(store: Arc<dyn Store>) {
    use super::{PageVisit, PAGES_KEPT, VISIT_GAP};
    let view = |at: u64, url: &str, referrer: Option<&str>, ua: Option<&str>| PageVisit {
        at,
        url: url.to_owned(),
        title: Some(format!("Page {url}")),
        referrer: referrer.map(str::to_owned),
        user_agent: ua.map(str::to_owned),
        time_zone: ua.map(|_| "Asia/Tehran".to_owned()),
    };
    let v = visitor(&*store, "t1").await;
    let ghost = VisitorId("v_nobody".into());
    assert_eq!(
        store
            .page_viewed(&ghost, view(1, "https://a.example/", None, None))
            .await,
        Err(StoreError::NotFound)
    );
    assert_eq!(store.visitor_activity(&v).await.unwrap(), None);

    let google = Some("https://www.google.com/");
    store
        .page_viewed(
            &v,
            view(1_000, "https://shop.example/", google, Some("UA 1")),
        )
        .await
        .unwrap();
    store
        .page_viewed(&v, view(2_000, "https://shop.example/cart", None, None))
        .await
        .unwrap();
    let a = store.visitor_activity(&v).await.unwrap().unwrap();
    assert_eq!((a.first_seen, a.last_seen, a.visits), (1_000, 2_000, 1));
    assert_eq!(
        a.referrer.as_deref(),
        google,
        "the visit keeps its first referrer"
    );
    assert_eq!(
        a.user_agent.as_deref(),
        Some("UA 1"),
        "kept when a view does not say"
    );
    assert_eq!(a.time_zone.as_deref(), Some("Asia/Tehran"));
    let urls: Vec<&str> = a.pages.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(urls, ["https://shop.example/cart", "https://shop.example/"]);
    assert_eq!(
        a.pages[0].title.as_deref(),
        Some("Page https://shop.example/cart")
    );
    assert_eq!(a.pages[0].at, 2_000);

    // Half an hour later: a new visit, from elsewhere, in another browser.
    let later = 2_000 + VISIT_GAP;
    let tco = Some("https://t.co/x");
    store
        .page_viewed(&v, view(later, "https://shop.example/", tco, Some("UA 2")))
        .await
        .unwrap();
    let a = store.visitor_activity(&v).await.unwrap().unwrap();
    assert_eq!((a.first_seen, a.last_seen, a.visits), (1_000, later, 2));
    assert_eq!(
        (a.referrer.as_deref(), a.user_agent.as_deref()),
        (tco, Some("UA 2"))
    );

    // Only the latest pages are kept, newest first.
    for i in 0..PAGES_KEPT as u64 + 5 {
        let url = format!("https://shop.example/p{i}");
        store
            .page_viewed(&v, view(later + 1 + i, &url, None, None))
            .await
            .unwrap();
    }
    let a = store.visitor_activity(&v).await.unwrap().unwrap();
    assert_eq!(a.pages.len(), PAGES_KEPT);
    assert_eq!(
        a.pages[0].url,
        format!("https://shop.example/p{}", PAGES_KEPT + 4)
    );
    assert_eq!(a.pages[PAGES_KEPT - 1].url, "https://shop.example/p5");
    assert_eq!(a.visits, 2);

    // Deleting the site takes it all.
    store.delete_site(&site(1).id).await.unwrap();
    assert_eq!(store.visitor_activity(&v).await.unwrap(), None);
}

/// Conformance case: delivered and read marks move forward only, up to the
/// last message; a read raises the delivered mark, a delivery never the
/// read one.
pub async fn delivered_and_read_marks_move_forward_only_up_to_the_last_message(
    store: Arc<dyn Store>,
) {
    use super::{Mark, Party};
    let c = queued_conversation(&*store, "t1").await;
    let v = visitor(&*store, "t1").await;
    store
        .append_visitor_message(&v, msg("second", "anyone?"), u32::MAX)
        .await
        .unwrap();
    store
        .append_visitor_message(&v, msg("third", "hello?"), u32::MAX)
        .await
        .unwrap();
    let marks = |c: &shared::ConversationSummary| {
        (
            c.visitor_delivered,
            c.visitor_read,
            c.agent_delivered,
            c.agent_read,
        )
    };
    let before = store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(marks(&before), (0, 0, 0, 0));
    let moved = store
        .mark(&c, Party::Agent, Mark::Read, 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(marks(&moved), (0, 0, 1, 1), "a read is a delivery");
    assert!(
        moved.version > before.version,
        "clients must take the change"
    );
    for (mark, seq, why) in [
        (Mark::Read, 1, "same mark"),
        (Mark::Read, 0, "never back"),
        (Mark::Delivered, 1, "delivered as far as read already"),
    ] {
        assert_eq!(
            store.mark(&c, Party::Agent, mark, seq).await.unwrap(),
            None,
            "{why}"
        );
    }
    let delivered = store
        .mark(&c, Party::Agent, Mark::Delivered, 3)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(marks(&delivered), (0, 0, 3, 1), "a delivery is not a read");
    assert!(delivered.version > moved.version);
    let read = store
        .mark(&c, Party::Agent, Mark::Read, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        marks(&read),
        (0, 0, 3, 2),
        "a read behind the delivered mark leaves it"
    );
    let capped = store
        .mark(&c, Party::Visitor, Mark::Delivered, 99)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(marks(&capped), (3, 0, 3, 2), "capped at the last message");
    let capped = store
        .mark(&c, Party::Visitor, Mark::Read, 99)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(marks(&capped), (3, 3, 3, 2));
    assert_eq!(
        store
            .mark(&c, Party::Visitor, Mark::Read, 99)
            .await
            .unwrap(),
        None
    );
    let now = store.conversation(&c).await.unwrap().unwrap();
    assert_eq!(marks(&now), (3, 3, 3, 2), "as stored");
    for mark in [Mark::Delivered, Mark::Read] {
        assert_eq!(
            store
                .mark(&ConversationId("c_missing".into()), Party::Agent, mark, 1)
                .await,
            Err(StoreError::NotFound)
        );
    }
}

/// Conformance case: notes written at once are numbered 1..=cap without a
/// gap; beyond the cap nothing is stored, yet a retry still gets its note.
pub async fn a_conversation_holds_a_bounded_number_of_notes(store: Arc<dyn Store>) {
    use shared::limits::MAX_NOTES_PER_CONVERSATION as CAP;
    let a = agent(&*store, "a", 3, Presence::Online).await;
    let c = queued_conversation(&*store, "t1").await;
    let tasks: Vec<_> = (0..CAP)
        .map(|i| {
            let (store, c, a) = (store.clone(), c.clone(), a.clone());
            tokio::spawn(async move {
                let note = msg(&format!("n{i}"), "a note");
                store.add_note(&c, &a, note).await.unwrap().note.id
            })
        })
        .collect();
    let mut ids = Vec::with_capacity(CAP);
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort_unstable();
    assert_eq!(
        ids,
        (1..=CAP as u64).collect::<Vec<_>>(),
        "numbered without a gap"
    );
    assert_eq!(
        store.add_note(&c, &a, msg("one-more", "x")).await,
        Err(StoreError::TooManyNotes)
    );
    let retry = store.add_note(&c, &a, msg("n7", "a note")).await.unwrap();
    assert!(retry.duplicate, "a retry of a stored note still gets it");
    assert_eq!(store.notes(&c).await.unwrap().len(), CAP);
}

/// Conformance case.
pub async fn login_attempts_are_counted_before_checking_and_wait_longer(store: Arc<dyn Store>) {
    use super::throttle::{Limited, Rule};
    let rule = Rule {
        free: 3,
        base_ms: 1_000,
        cap_ms: 4_000,
        window_ms: 60_000,
    };
    let acct = |client: &str| Limited {
        key: format!("acct:sara@x|{client}"),
        rule,
    };
    let client = |c: &str| Limited {
        key: format!("client:{c}"),
        rule: Rule { free: 100, ..rule },
    };
    let keys = |c: &str| vec![acct(c), client(c)];
    let t0 = 1_000_000;
    // A burst of 12 concurrent attempts: exactly the free ones get through.
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (store, keys) = (store.clone(), keys("10.0.0.1"));
        tasks.push(tokio::spawn(async move {
            store.take_login_attempt(&keys, t0).await.unwrap()
        }));
    }
    let mut allowed = 0;
    for t in tasks {
        if t.await.unwrap().is_none() {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 3, "the free attempts, and not one more");
    assert_eq!(
        store
            .take_login_attempt(&keys("10.0.0.1"), t0 + 400)
            .await
            .unwrap(),
        Some(600),
        "wait for the rest of the first second"
    );
    assert_eq!(
        store
            .take_login_attempt(&keys("10.0.0.1"), t0 + 1_000)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .take_login_attempt(&keys("10.0.0.1"), t0 + 1_000)
            .await
            .unwrap(),
        Some(2_000),
        "the next wait is twice as long"
    );
    // The same account from another client is not held back.
    assert_eq!(
        store
            .take_login_attempt(&keys("10.0.0.2"), t0 + 1_000)
            .await
            .unwrap(),
        None
    );
    // A success there starts that client over and gives back its count.
    store
        .login_succeeded(&acct("10.0.0.1").key, &client("10.0.0.1").key)
        .await
        .unwrap();
    assert_eq!(
        store
            .take_login_attempt(&keys("10.0.0.1"), t0 + 1_001)
            .await
            .unwrap(),
        None
    );
    // A quiet window starts over.
    for _ in 0..2 {
        store
            .take_login_attempt(&keys("10.0.0.3"), t0)
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .take_login_attempt(&keys("10.0.0.3"), t0 + 61_000)
            .await
            .unwrap(),
        None
    );
}

/// Conformance case.
pub async fn a_full_queue_refuses_new_conversations_of_its_site_only(store: Arc<dyn Store>) {
    let cap = 2;
    let v1 = visitor(&*store, "t1").await;
    let v2 = visitor(&*store, "t2").await;
    let v3 = visitor(&*store, "t3").await;
    for v in [&v1, &v2] {
        store
            .append_visitor_message(v, msg("m1", "hi"), cap)
            .await
            .unwrap();
    }
    assert_eq!(
        store
            .append_visitor_message(&v3, msg("m1", "me too"), cap)
            .await
            .map(|o| o.appended.message.seq),
        Err(StoreError::QueueFull)
    );
    let v3_now = store.visitor_by_token("t3").await.unwrap().unwrap();
    assert_eq!(v3_now.conversation, None, "nothing was stored");
    // Someone already in the queue may keep writing.
    store
        .append_visitor_message(&v1, msg("m2", "still there?"), cap)
        .await
        .unwrap();
    // Another site's line is its own.
    store.insert_site(site(2)).await.unwrap();
    let other = store
        .create_visitor("o1", &site(2).id, None, None)
        .await
        .unwrap();
    store
        .append_visitor_message(&other.id, msg("m1", "hello"), cap)
        .await
        .unwrap();
    // Once one is taken, there is room again.
    let a = agent(&*store, "a", 5, Presence::Online).await;
    let first = queue_ids(&*store).await[0].clone();
    store.pick(&first, &a.id, 5).await.unwrap();
    store
        .append_visitor_message(&v3, msg("m1", "me too"), cap)
        .await
        .unwrap();
}
