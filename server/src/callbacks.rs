//! Callback requests' rules, in plain code both stores apply inside their
//! atomic step (so a claim races safely on either): a visitor has at most
//! one open request; an agent claims an open one; the agent who has it
//! (or anyone, while nobody has it) ends it as done or failed with a note;
//! the visitor may cancel it while it is open.
//! Who may see which request is [`crate::access::may_see_callback`].
//!
//! [`request`] and [`change`] are the two operations handlers call: the
//! store's atomic step, then the event every node hands to the agents who
//! may see the request and to its visitor's widget.

use crate::clock::now_millis;
use crate::reports::tally::{field, hour_of, Count, Dim, TallyOp};
use crate::store::{Event, Store, StoreResult};
use shared::callback::{Callback, CallbackRequest, CallbackStatus, MAX_CALLBACK_NOTE_CHARS};
use shared::{AgentPublic, CallbackId, ConversationId, ErrorCode, Millis, SiteId, VisitorId};

/// Stores a checked request from `asker` and announces it.
pub async fn request(
    store: &dyn Store,
    asker: Asker,
    form: CallbackRequest,
) -> StoreResult<Callback> {
    let id = CallbackId(crate::secrets::random_id("cb"));
    let stored = store
        .request_callback(new_request(id, asker, form, now_millis()))
        .await?;
    announce(store, &stored).await?;
    count(store, &stored, field::CALLBACKS_REQUESTED).await;
    Ok(stored)
}

/// Applies an agent's (or the visitor's) change and announces it (a
/// repeat that changes nothing is announced too: harmless, and the
/// caller's screen catches up). A request that closes counts in the
/// site's report: a closed one cannot change again, so once.
pub async fn change(store: &dyn Store, id: &CallbackId, change: Change) -> StoreResult<Callback> {
    let after = store.change_callback(id, change, now_millis()).await?;
    announce(store, &after).await?;
    let closed = match after.status {
        CallbackStatus::Done => Some(field::CALLBACKS_DONE),
        CallbackStatus::Failed => Some(field::CALLBACKS_FAILED),
        CallbackStatus::Cancelled => Some(field::CALLBACKS_CANCELLED),
        CallbackStatus::Requested | CallbackStatus::Claimed => None,
    };
    if let Some(field) = closed {
        count(store, &after, field).await;
    }
    Ok(after)
}

/// Adds one to the site's report in the hour of the request's last
/// change. Logged, not failed: the request itself is kept and told.
async fn count(store: &dyn Store, callback: &Callback, field: &str) {
    let counts = vec![Count {
        dim: Dim::Site.key(),
        field: field.to_owned(),
        value: 1,
        op: TallyOp::Add,
    }];
    let hour = hour_of(callback.updated_at);
    if let Err(e) = store.tally(&callback.site, hour, counts).await {
        tracing::warn!(error = %e, "a callback figure was not counted in the report");
    }
}

async fn announce(store: &dyn Store, callback: &Callback) -> StoreResult<()> {
    let event = Event::Callback {
        callback: Box::new(callback.clone()),
    };
    store.publish(event).await
}

/// A change an agent makes to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// They will call.
    Claim {
        /// Who.
        agent: AgentPublic,
    },
    /// They called: `Done` (spoke with the visitor) or `Failed` (could not
    /// reach them), with how it went.
    Close {
        /// Who.
        agent: AgentPublic,
        /// `Done` or `Failed`.
        status: CallbackStatus,
        /// Their words (at most [`MAX_CALLBACK_NOTE_CHARS`]).
        note: Option<String>,
    },
    /// The visitor no longer wants the call (claimed or not: whoever holds
    /// it sees it cancelled, live).
    Cancel,
}

/// Whether a visitor whose latest request is `latest` may ask again:
/// not while that one is open (it would be called twice).
pub fn may_request(latest: Option<&Callback>) -> Result<(), ErrorCode> {
    match latest {
        Some(c) if c.status.is_open() => Err(ErrorCode::CallbackPending),
        _ => Ok(()),
    }
}

/// Who asked, and from where: what a new request keeps beside the form.
pub struct Asker {
    /// The site.
    pub site: SiteId,
    /// The visitor.
    pub visitor: VisitorId,
    /// Their conversation, if they have one.
    pub conversation: Option<ConversationId>,
    /// The name known from before (the leave-a-message or pre-chat form),
    /// used when the callback form gives none.
    pub known_name: Option<String>,
    /// Their time zone, from the pages they viewed.
    pub time_zone: Option<String>,
    /// Their language tag.
    pub locale: Option<String>,
}

/// A new request from a checked form.
pub fn new_request(id: CallbackId, asker: Asker, form: CallbackRequest, now: Millis) -> Callback {
    Callback {
        id,
        site: asker.site,
        visitor: asker.visitor,
        conversation: asker.conversation,
        name: form.name.or(asker.known_name),
        phone: form.phone,
        window: form.window,
        time_zone: asker.time_zone,
        locale: asker.locale,
        note: form.note,
        status: CallbackStatus::Requested,
        agent: None,
        outcome: None,
        requested_at: now,
        updated_at: now,
    }
}

/// The note an agent gives when closing, checked: trimmed, blank is none,
/// at most [`MAX_CALLBACK_NOTE_CHARS`].
pub fn check_outcome(note: Option<&str>) -> Result<Option<String>, String> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match note {
        Some(n) if n.chars().count() > MAX_CALLBACK_NOTE_CHARS => Err(format!(
            "note must be at most {MAX_CALLBACK_NOTE_CHARS} characters"
        )),
        n => Ok(n.map(str::to_owned)),
    }
}

/// `callback` after `change` at `now`, or why not.
pub fn apply(callback: &Callback, change: &Change, now: Millis) -> Result<Callback, ErrorCode> {
    if !callback.status.is_open() {
        return Err(ErrorCode::CallbackClosed);
    }
    let holder = callback.agent.as_ref().map(|a| &a.id);
    let mut next = callback.clone();
    match change {
        Change::Claim { agent } => {
            match holder {
                // Claiming twice (a double click, a retry) is no change.
                Some(id) if *id == agent.id => return Ok(next),
                Some(_) => return Err(ErrorCode::CallbackTaken),
                None => {}
            }
            next.status = CallbackStatus::Claimed;
            next.agent = Some(agent.clone());
        }
        Change::Close {
            agent,
            status,
            note,
        } => {
            if holder.is_some_and(|id| *id != agent.id) {
                return Err(ErrorCode::CallbackTaken);
            }
            if status.is_open() {
                return Err(ErrorCode::BadRequest);
            }
            // Closing one nobody claimed claims it on the way: the agent
            // who called is the one who did it.
            next.status = *status;
            next.agent = Some(agent.clone());
            next.outcome = note.clone();
        }
        Change::Cancel => next.status = CallbackStatus::Cancelled,
    }
    next.updated_at = now;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::callback::CallbackWindow;
    use shared::AgentId;

    fn agent(id: &str) -> AgentPublic {
        AgentPublic {
            id: AgentId(id.into()),
            name: id.to_uppercase(),
        }
    }

    fn requested() -> Callback {
        let form = CallbackRequest {
            phone: "+12025550123".into(),
            window: CallbackWindow::Evening,
            note: Some("Billing".into()),
            name: None,
        };
        let asker = Asker {
            site: SiteId("s_1".into()),
            visitor: VisitorId("v_1".into()),
            conversation: None,
            known_name: Some("Leila".into()),
            time_zone: Some("Asia/Tehran".into()),
            locale: Some("fa".into()),
        };
        new_request(CallbackId("cb_1".into()), asker, form, 1_000)
    }

    #[test]
    fn a_request_keeps_the_known_name_when_the_form_gives_none() {
        let c = requested();
        assert_eq!(c.name.as_deref(), Some("Leila"));
        assert_eq!(c.status, CallbackStatus::Requested);
        assert_eq!((c.requested_at, c.updated_at), (1_000, 1_000));
    }

    #[test]
    fn one_open_request_per_visitor() {
        let mut c = requested();
        assert_eq!(may_request(None), Ok(()));
        assert_eq!(may_request(Some(&c)), Err(ErrorCode::CallbackPending));
        c.status = CallbackStatus::Claimed;
        assert_eq!(may_request(Some(&c)), Err(ErrorCode::CallbackPending));
        c.status = CallbackStatus::Failed;
        assert_eq!(
            may_request(Some(&c)),
            Ok(()),
            "after a failed call they may ask again"
        );
    }

    #[test]
    fn the_first_claim_wins_and_a_repeat_is_no_change() {
        let c = requested();
        let claimed = apply(&c, &Change::Claim { agent: agent("a") }, 2_000).unwrap();
        assert_eq!(claimed.status, CallbackStatus::Claimed);
        assert_eq!(claimed.agent, Some(agent("a")));
        assert_eq!(claimed.updated_at, 2_000);
        let again = apply(&claimed, &Change::Claim { agent: agent("a") }, 3_000).unwrap();
        assert_eq!(again, claimed);
        assert_eq!(
            apply(&claimed, &Change::Claim { agent: agent("b") }, 3_000),
            Err(ErrorCode::CallbackTaken)
        );
    }

    #[test]
    fn the_visitor_cancels_an_open_request_claimed_or_not() {
        let c = requested();
        let cancelled = apply(&c, &Change::Cancel, 2_000).unwrap();
        assert_eq!(cancelled.status, CallbackStatus::Cancelled);
        assert_eq!(cancelled.updated_at, 2_000);
        assert!(!cancelled.status.is_open());
        assert_eq!(may_request(Some(&cancelled)), Ok(()), "they may ask again");
        let claimed = apply(&c, &Change::Claim { agent: agent("a") }, 2_000).unwrap();
        let cancelled = apply(&claimed, &Change::Cancel, 3_000).unwrap();
        assert_eq!(cancelled.status, CallbackStatus::Cancelled);
        assert_eq!(cancelled.agent, Some(agent("a")), "its holder sees it");
        // Too late once called, and nothing to claim once cancelled.
        let close = Change::Close {
            agent: agent("a"),
            status: CallbackStatus::Done,
            note: None,
        };
        let done = apply(&claimed, &close, 3_000).unwrap();
        assert_eq!(
            apply(&done, &Change::Cancel, 4_000),
            Err(ErrorCode::CallbackClosed)
        );
        assert_eq!(
            apply(&cancelled, &Change::Claim { agent: agent("b") }, 4_000),
            Err(ErrorCode::CallbackClosed)
        );
    }

    #[test]
    fn only_the_holder_closes_and_a_closed_one_stays_closed() {
        let claimed = apply(&requested(), &Change::Claim { agent: agent("a") }, 2_000).unwrap();
        let close = |who: &str, status| Change::Close {
            agent: agent(who),
            status,
            note: Some("Spoke, sorted".into()),
        };
        assert_eq!(
            apply(&claimed, &close("b", CallbackStatus::Done), 3_000),
            Err(ErrorCode::CallbackTaken)
        );
        assert_eq!(
            apply(&claimed, &close("a", CallbackStatus::Claimed), 3_000),
            Err(ErrorCode::BadRequest)
        );
        let done = apply(&claimed, &close("a", CallbackStatus::Done), 3_000).unwrap();
        assert_eq!(done.status, CallbackStatus::Done);
        assert_eq!(done.outcome.as_deref(), Some("Spoke, sorted"));
        for change in [
            close("a", CallbackStatus::Failed),
            Change::Claim { agent: agent("a") },
        ] {
            assert_eq!(apply(&done, &change, 4_000), Err(ErrorCode::CallbackClosed));
        }
    }

    #[test]
    fn closing_an_unclaimed_one_claims_it_on_the_way() {
        let failed = apply(
            &requested(),
            &Change::Close {
                agent: agent("b"),
                status: CallbackStatus::Failed,
                note: None,
            },
            5_000,
        )
        .unwrap();
        assert_eq!(failed.status, CallbackStatus::Failed);
        assert_eq!(failed.agent, Some(agent("b")));
    }

    #[test]
    fn outcome_notes_are_trimmed_and_bounded() {
        assert_eq!(check_outcome(Some("  ok ")), Ok(Some("ok".into())));
        assert_eq!(check_outcome(Some("   ")), Ok(None));
        assert_eq!(check_outcome(None), Ok(None));
        let long = "x".repeat(MAX_CALLBACK_NOTE_CHARS + 1);
        assert!(check_outcome(Some(&long)).is_err());
    }
}
