//! The two lists of the sidebar: "Waiting" (queue order, with a Take
//! button) and "My chats" (latest activity first, with unread badges).

use crate::app::Lang;
use crate::components::avatar::Avatar;
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{self, Key};
use crate::state::Conversation;
use leptos::prelude::*;
use shared::protocol::Millis;
use shared::ConversationId;

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// `[data-test=inbox-waiting]`.
    Waiting,
    /// `[data-test=inbox-mine]`.
    Mine,
}

/// One list with its heading, count and empty state.
#[component]
pub fn ConversationList(kind: ListKind) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let ids = Memo::new(move |_| {
        desk.inbox.with(|inbox| {
            let list = match kind {
                ListKind::Waiting => inbox.waiting(),
                ListKind::Mine => inbox.mine(),
            };
            list.into_iter().map(|c| c.id().clone()).collect::<Vec<_>>()
        })
    });
    let (test, title, empty) = match kind {
        ListKind::Waiting => ("inbox-waiting", Key::Waiting, Key::NoOneWaiting),
        ListKind::Mine => ("inbox-mine", Key::MyChats, Key::NoChats),
    };
    let count = move || lang.get().number(ids.with(Vec::len));
    view! {
        <section class="list-section" data-test=test>
            <h2 class="list-heading">
                <span>{move || lang.t(title)}</span>
                <span class="count" class:count-hot=move || kind == ListKind::Waiting && !ids.with(Vec::is_empty)>
                    {count}
                </span>
            </h2>
            {move || {
                ids.with(Vec::is_empty)
                    .then(|| view! { <p class="list-empty">{move || lang.t(empty)}</p> })
            }}
            <ul class="conv-list">
                <For
                    each=move || ids.get()
                    key=|id| id.clone()
                    children=move |id| view! { <ConversationItem id=id kind=kind /> }
                />
            </ul>
        </section>
    }
}

/// What a list row shows.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    seed: String,
    tag: String,
    name: String,
    details: String,
    preview: String,
    since: Millis,
    unread: u32,
    /// Left as a message while the site was offline.
    left: bool,
}

impl Row {
    fn of(locale: i18n::Locale, kind: ListKind, c: &Conversation) -> Row {
        let visitor = &c.summary.visitor;
        Row {
            seed: visitor.id.to_string(),
            tag: fmt::visitor_label(visitor),
            name: fmt::visitor_name(locale, visitor),
            details: fmt::visitor_details(visitor),
            preview: fmt::summary_preview(locale, &c.summary),
            since: match kind {
                ListKind::Waiting => c.queued_since(),
                ListKind::Mine => c.last_activity(),
            },
            unread: c.unread(),
            left: c.summary.left_message,
        }
    }
}

/// One row: `[data-test=conversation-item][data-id=…]`. Clicking it opens
/// the conversation; "Take" picks it.
#[component]
fn ConversationItem(id: ConversationId, kind: ListKind) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let row = {
        let id = id.clone();
        Memo::new(move |_| {
            let locale = lang.get();
            desk.inbox
                .with(|inbox| inbox.get(&id).map(|c| Row::of(locale, kind, c)))
        })
    };
    let selected = {
        let id = id.clone();
        Memo::new(move |_| desk.inbox.with(|inbox| inbox.selected() == Some(&id)))
    };
    let ago = move || {
        let now = desk.clock.get();
        row.with(|r| {
            r.as_ref()
                .map(|r| i18n::ago(lang.get(), now.saturating_sub(r.since)))
        })
    };
    let open = {
        let id = id.clone();
        move |_| desk.select(&id)
    };
    let take = {
        let id = id.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            desk.pick(&id);
        }
    };
    let unread = move || row.with(|r| r.as_ref().map_or(0, |r| r.unread));
    let field =
        move |f: fn(&Row) -> String| move || row.with(|r| r.as_ref().map(f).unwrap_or_default());
    let action = match kind {
        ListKind::Waiting => view! {
            <button
                type="button"
                class="btn btn-primary btn-small conv-take"
                data-test="pick"
                on:click=take
            >
                {move || lang.t(Key::Take)}
            </button>
        }
        .into_any(),
        ListKind::Mine => (move || {
            let n = unread();
            (n > 0).then(|| {
                let locale = lang.get();
                let label = locale.unread_messages(u64::from(n), &locale.number(n));
                view! {
                    <span class="unread" aria-label=label.clone() title=label>
                        {locale.number(n)}
                    </span>
                }
            })
        })
        .into_any(),
    };

    view! {
        <li
            class="conv-item"
            class:selected=move || selected.get()
            class:has-unread=move || row.with(|r| r.as_ref().is_some_and(|r| r.unread > 0))
            data-test="conversation-item"
            data-id=id.to_string()
            on:click=open
        >
            <button
                type="button"
                class="conv-open"
                aria-current=move || selected.get().then_some("true")
            >
                {move || {
                    row.get()
                        .map(|r| view! { <Avatar seed=r.seed label=r.tag /> })
                }}
                <span class="conv-main">
                    <span class="conv-top">
                        <span class="conv-name">{field(|r| r.name.clone())}</span>
                        {move || {
                            row.with(|r| r.as_ref().is_some_and(|r| r.left)).then(|| view! {
                                <span class="conv-left" data-test="left-message-badge">
                                    {move || lang.t(Key::LeftMessage)}
                                </span>
                            })
                        }}
                        <span class="conv-time">{ago}</span>
                    </span>
                    <span class="conv-details">
                        <span dir="ltr">{field(|r| r.details.clone())}</span>
                    </span>
                    // The block takes the text's direction, so a long
                    // line is cut at its own end in either layout.
                    <span class="conv-preview" dir="auto">
                        <span>{field(|r| r.preview.clone())}</span>
                    </span>
                </span>
            </button>
            {action}
        </li>
    }
}
