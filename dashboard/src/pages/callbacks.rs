//! The callbacks screen: visitors who asked to be called back. Open
//! requests first, oldest first (call them first), each with the number
//! (a `tel:` link), when suits the visitor and their time now, their note;
//! an agent claims one, calls, and marks it done or failed with a note.
//! Below, the ones closed lately. Live: the agent socket keeps the list
//! current (a colleague's claim shows at once).

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::failure_key;
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{self, Key};
use leptos::prelude::*;
use shared::callback::{Callback, CallbackStatus, CallbackWindow, CloseCallback};

/// How many closed requests the screen reads.
const CLOSED_SHOWN: usize = 30;

fn window_key(window: CallbackWindow) -> Key {
    match window {
        CallbackWindow::Asap => Key::CallbackAsap,
        CallbackWindow::Morning => Key::CallbackMorning,
        CallbackWindow::Afternoon => Key::CallbackAfternoon,
        CallbackWindow::Evening => Key::CallbackEvening,
    }
}

fn status_key(status: CallbackStatus) -> Key {
    match status {
        CallbackStatus::Requested => Key::CallbackStatusRequested,
        CallbackStatus::Claimed => Key::CallbackStatusClaimed,
        CallbackStatus::Done => Key::CallbackStatusDone,
        CallbackStatus::Failed => Key::CallbackStatusFailed,
        CallbackStatus::Cancelled => Key::CallbackStatusCancelled,
    }
}

/// The screen.
#[component]
pub fn CallbacksPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let failed = RwSignal::new(None::<Failure>);
    // The closed ones are not in the socket's snapshot: read them once.
    leptos::task::spawn_local(async move {
        let path = format!("/api/callbacks?status=closed&limit={CLOSED_SHOWN}");
        match api::get::<Vec<Callback>>(&path).await {
            Ok(list) => {
                let _ = desk.inbox.try_update(|i| {
                    for c in list {
                        i.callback_changed(c);
                    }
                });
            }
            Err(e) => {
                failed.try_set(Some(e));
            }
        }
    });
    let open = Memo::new(move |_| desk.inbox.with(|i| i.callbacks().open()));
    let closed = Memo::new(move |_| {
        desk.inbox.with(|i| {
            i.callbacks()
                .closed()
                .into_iter()
                .take(CLOSED_SHOWN)
                .collect::<Vec<_>>()
        })
    });

    view! {
        <main class="callbacks-page" data-test="callbacks-page">
            <h1 class="page-title">{move || lang.t(Key::NavCallbacks)}</h1>
            <p class="page-lead">{move || lang.t(Key::CallbacksLead)}</p>
            {move || {
                failed
                    .get()
                    .map(|f| {
                        view! {
                            <p class="form-error" role="alert">
                                {move || lang.t(failure_key(&f))}
                            </p>
                        }
                    })
            }}
            <section aria-labelledby="callbacks-open">
                <h2 class="section-title" id="callbacks-open">
                    {move || lang.t(Key::CallbacksOpen)}
                </h2>
                <Show
                    when=move || open.with(|o| !o.is_empty())
                    fallback=move || {
                        view! {
                            <p class="list-empty" data-test="callbacks-none">
                                {move || lang.t(Key::CallbacksNone)}
                            </p>
                        }
                    }
                >
                    <CallbackList list=open test="callbacks-open" failed=failed />
                </Show>
            </section>
            <Show when=move || closed.with(|c| !c.is_empty())>
                <section aria-labelledby="callbacks-closed">
                    <h2 class="section-title" id="callbacks-closed">
                        {move || lang.t(Key::CallbacksClosed)}
                    </h2>
                    <CallbackList list=closed test="callbacks-closed" failed=failed />
                </section>
            </Show>
        </main>
    }
}

/// Requests, keyed by id and last change (a change redraws its item).
#[component]
fn CallbackList(
    list: Memo<Vec<Callback>>,
    test: &'static str,
    failed: RwSignal<Option<Failure>>,
) -> impl IntoView {
    view! {
        <ul class="callback-list" data-test=test>
            <For
                each=move || list.get()
                key=|c| (c.id.clone(), c.updated_at)
                children=move |c| view! { <CallbackItem callback=c failed=failed /> }
            />
        </ul>
    }
}

/// One request, with what this agent may do with it.
#[component]
fn CallbackItem(callback: Callback, failed: RwSignal<Option<Failure>>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let me = desk.inbox.with_untracked(|i| i.me().map(|m| m.id.clone()));
    let mine = callback.agent.as_ref().map(|a| &a.id) == me.as_ref();
    let busy = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let id = StoredValue::new(callback.id.clone());
    let act = move |path: String, body: Option<CloseCallback>| {
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            let got = match &body {
                Some(b) => api::write::<_, Callback>("POST", &path, b).await,
                None => api::write::<_, Callback>("POST", &path, &serde_json::json!({})).await,
            };
            match got {
                Ok(c) => {
                    let _ = desk.inbox.try_update(|i| i.callback_changed(c));
                }
                Err(e) => {
                    failed.try_set(Some(e));
                }
            }
            busy.try_set(false);
        });
    };
    let claim = move |_| act(format!("/api/callbacks/{}/claim", id.get_value()), None);
    let close = move |status: CallbackStatus| {
        let text = note.get_untracked();
        let body = CloseCallback {
            status,
            note: Some(text).filter(|t| !t.trim().is_empty()),
        };
        act(
            format!("/api/callbacks/{}/close", id.get_value()),
            Some(body),
        );
    };
    let status = callback.status;
    let name = callback
        .name
        .clone()
        .unwrap_or_else(|| lang.get_untracked().text(Key::Visitor).to_owned());
    let phone = callback.phone.clone();
    let their_time = callback
        .time_zone
        .clone()
        .and_then(|zone| fmt::time_in_zone(lang.get_untracked(), &zone).map(|t| (t, zone)));
    let requested = callback.requested_at;
    let holder = callback.agent.as_ref().map(|a| a.name.clone());
    let outcome = callback.outcome.clone();
    let window = callback.window;
    let visitor_note = callback.note.clone();

    view! {
        <li class="callback-item" data-test="callback-item" data-status=status.as_str()>
            <div class="callback-head">
                <span class="callback-name" dir="auto">{name}</span>
                <span class=format!("callback-chip callback-{}", status.as_str())>
                    {move || lang.t(status_key(status))}
                </span>
            </div>
            <a class="callback-phone" dir="ltr" href=format!("tel:{phone}") data-test="callback-phone">
                {phone.clone()}
            </a>
            <p class="callback-when">
                {move || lang.t(window_key(window))}
                {their_time
                    .clone()
                    .map(|(time, zone)| {
                        move || {
                            format!(
                                " · {}",
                                i18n::fill(
                                    lang.t(Key::CallbackTheirTime),
                                    &[("time", &time), ("zone", &zone)],
                                ),
                            )
                        }
                    })}
                " · "
                {move || i18n::ago(lang.get(), fmt::now().saturating_sub(requested))}
            </p>
            {visitor_note.map(|n| view! { <p class="callback-note" dir="auto">{n}</p> })}
            {holder
                .clone()
                .filter(|_| status.is_open() && !mine)
                .map(|h| {
                    move || {
                        view! {
                            <p class="callback-holder">
                                {i18n::fill(lang.t(Key::CallbackClaimedBy), &[("name", &h)])}
                            </p>
                        }
                    }
                })}
            // Who closed it (a cancelled one was closed by the visitor: its
            // chip says so).
            {(!status.is_open() && status != CallbackStatus::Cancelled)
                .then(|| {
                    let by = holder.clone().unwrap_or_default();
                    let outcome = outcome.clone();
                    view! {
                        <p class="callback-holder">
                            {move || i18n::fill(lang.t(Key::CallbackClosedBy), &[("name", &by)])}
                        </p>
                        {outcome.map(|o| view! { <p class="callback-note" dir="auto" data-test="callback-outcome">{o}</p> })}
                    }
                })}
            {(status == CallbackStatus::Requested)
                .then(|| {
                    view! {
                        <div class="callback-actions">
                            <button
                                type="button"
                                class="btn btn-primary btn-small"
                                data-test="callback-claim"
                                disabled=move || busy.get()
                                on:click=claim
                            >
                                {move || lang.t(Key::CallbackClaim)}
                            </button>
                        </div>
                    }
                })}
            {(status == CallbackStatus::Claimed && mine)
                .then(|| {
                    view! {
                        <div class="callback-close">
                            <textarea
                                class="input"
                                rows="2"
                                maxlength="500"
                                dir="auto"
                                data-test="callback-outcome-note"
                                aria-label=move || lang.t(Key::CallbackOutcomeNote)
                                placeholder=move || lang.t(Key::CallbackOutcomeNote)
                                prop:value=move || note.get()
                                on:input=move |ev| note.set(event_target_value(&ev))
                            ></textarea>
                            <div class="callback-actions">
                                <button
                                    type="button"
                                    class="btn btn-primary btn-small"
                                    data-test="callback-done"
                                    disabled=move || busy.get()
                                    on:click=move |_| close(CallbackStatus::Done)
                                >
                                    {move || lang.t(Key::CallbackMarkDone)}
                                </button>
                                <button
                                    type="button"
                                    class="btn btn-ghost btn-small"
                                    data-test="callback-failed"
                                    disabled=move || busy.get()
                                    on:click=move |_| close(CallbackStatus::Failed)
                                >
                                    {move || lang.t(Key::CallbackMarkFailed)}
                                </button>
                            </div>
                        </div>
                    }
                })}
        </li>
    }
}
