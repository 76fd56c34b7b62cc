//! The messages of the open conversation, in seq order, then the replies
//! still on their way. Follows new messages down unless the agent has
//! scrolled up to read.

use crate::app::Lang;
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{self, Key};
use leptos::html;
use leptos::prelude::*;
use shared::display::{isolate, Follow};
use shared::protocol::Author;
use shared::{ClientId, ConversationId, ErrorCode, Seq};

/// `[data-test=message]` rows for conversation `id`.
#[component]
pub fn MessageList(id: ConversationId) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let seqs = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox
                .with(|inbox| inbox.get(&id).map(|c| c.seqs()).unwrap_or_default())
        })
    };
    let pending = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox.with(|inbox| {
                inbox
                    .pending(&id)
                    .map(|p| (p.client_id.clone(), p.body.clone(), p.failed))
                    .collect::<Vec<_>>()
            })
        })
    };
    let expects_messages = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox
                .with(|inbox| inbox.get(&id).is_some_and(|c| c.summary.last_seq > 0))
        })
    };

    let list = NodeRef::<html::Div>::new();
    // Whether to keep showing the newest message (see `Follow`).
    let follow = StoredValue::new(Follow::default());
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            follow.update_value(|f| {
                f.scrolled(el.scroll_top(), el.scroll_height(), el.client_height())
            });
        }
    };
    Effect::new(move |_| {
        seqs.track();
        pending.track();
        if let Some(el) = list.get() {
            if follow.get_value().following() {
                request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
            }
        }
    });

    let empty = move || {
        (seqs.with(Vec::is_empty) && pending.with(Vec::is_empty)).then(|| {
            let key = if expects_messages.get() {
                Key::Loading
            } else {
                Key::NoMessagesYet
            };
            view! { <p class="messages-empty">{move || lang.t(key)}</p> }
        })
    };

    view! {
        <div
            class="messages"
            node_ref=list
            on:scroll=on_scroll
            role="log"
            aria-live="polite"
            aria-label=move || lang.t(Key::Messages)
        >
            {empty}
            <For
                each=move || seqs.get()
                key=|seq| *seq
                children={
                    let id = id.clone();
                    move |seq| view! { <MessageRow id=id.clone() seq=seq /> }
                }
            />
            <For
                each=move || pending.get()
                key=|p| p.clone()
                children=move |(client_id, body, failed)| {
                    view! { <PendingRow client_id=client_id body=body failed=failed /> }
                }
            />
        </div>
    }
}

/// One stored message. Messages never change once stored, so the row is
/// built once from the state and only its translated words react.
#[component]
fn MessageRow(id: ConversationId, seq: Seq) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let found = desk.inbox.with_untracked(|inbox| {
        let mine = inbox.me().map(|me| me.id.clone());
        inbox
            .get(&id)
            .and_then(|c| c.message(seq))
            .map(|m| (m.clone(), mine))
    });
    let Some((message, my_id)) = found else {
        return ().into_any();
    };
    let (author, name) = match &message.author {
        Author::Visitor => ("visitor", None),
        Author::Agent { id, name } => ("agent", Some((Some(id) == my_id.as_ref(), name.clone()))),
    };
    let sent_at = message.sent_at;
    let meta = move || {
        let locale = lang.get();
        let time = fmt::clock_time(locale, sent_at);
        match &name {
            Some((true, _)) => format!("{} · {time}", locale.text(Key::You)),
            // A colleague's name, bidi controls and all, must not turn the
            // time around.
            Some((false, name)) => format!("{} · {time}", isolate(name)),
            None => time,
        }
    };
    view! {
        <div
            class=format!("msg msg-{author}")
            data-test="message"
            data-author=author
            data-seq=seq.to_string()
        >
            <div class="bubble" dir="auto">{message.body}</div>
            <div class="msg-meta">{meta}</div>
        </div>
    }
    .into_any()
}

/// A reply not yet acknowledged, or refused.
#[component]
fn PendingRow(client_id: ClientId, body: String, failed: Option<ErrorCode>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let status = move || match failed {
        None => view! { <span>{lang.t(Key::Sending)}</span> }.into_any(),
        Some(code) => {
            let client_id = client_id.clone();
            view! {
                <span class="msg-failed-text">
                    {lang.t(Key::NotSent)} ": " {lang.t(i18n::error_key(code))}
                </span>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| desk.discard(&client_id)
                >
                    {lang.t(Key::Discard)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <div
            class="msg msg-agent msg-pending"
            class:msg-failed=failed.is_some()
            data-test="pending"
            data-author="agent"
        >
            <div class="bubble" dir="auto">{body}</div>
            <div class="msg-meta">{status}</div>
        </div>
    }
}
