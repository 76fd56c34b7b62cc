//! The main pane: the open conversation (header with visitor and status,
//! messages, visitor typing, reply box) or the empty state.

use crate::app::Lang;
use crate::components::avatar::Avatar;
use crate::components::composer::Composer;
use crate::components::context_panel::ContextPanel;
use crate::components::message_list::MessageList;
use crate::components::rating;
use crate::components::transfer::TransferPanel;
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{self, Key};
use leptos::prelude::*;
use shared::display::isolate;
use shared::protocol::{ConversationStatus, Role};
use shared::ConversationId;

/// The open conversation, or "Pick a conversation".
#[component]
pub fn ConversationPane() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let selected = Memo::new(move |_| desk.inbox.with(|inbox| inbox.selected().cloned()));
    move || match selected.get() {
        None => view! {
            <div class="pane-empty">
                <div class="pane-empty-art" aria-hidden="true"></div>
                <h2>{move || lang.t(Key::PickConversation)}</h2>
                <p>{move || lang.t(Key::PickHint)}</p>
            </div>
        }
        .into_any(),
        Some(id) => view! { <ConversationView id=id /> }.into_any(),
    }
}

/// Where the conversation stands for this agent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Standing {
    Waiting,
    Mine,
    /// Assigned to someone else (their name).
    Other(String),
    Resolved,
}

impl Standing {
    /// Why the reply box is closed, if it is.
    fn blocked(&self) -> Option<Key> {
        match self {
            Standing::Mine => None,
            Standing::Waiting => Some(Key::TakeToReply),
            Standing::Other(_) => Some(Key::HandledByOther),
            Standing::Resolved => Some(Key::ResolvedNotice),
        }
    }

    fn class(&self) -> &'static str {
        match self {
            Standing::Waiting => "status status-waiting",
            Standing::Mine => "status status-mine",
            Standing::Other(_) => "status status-other",
            Standing::Resolved => "status status-resolved",
        }
    }

    fn label(&self, locale: i18n::Locale) -> String {
        match self {
            Standing::Waiting => locale.text(Key::Waiting).to_owned(),
            Standing::Mine => locale.text(Key::StatusMine).to_owned(),
            Standing::Other(name) => {
                i18n::fill(locale.text(Key::StatusOther), &[("name", &isolate(name))])
            }
            Standing::Resolved => locale.text(Key::StatusResolved).to_owned(),
        }
    }
}

/// What the header shows.
#[derive(Debug, Clone, PartialEq)]
struct Head {
    seed: String,
    tag: String,
    name: String,
    details: String,
    standing: Standing,
}

/// One conversation, full height of the pane.
#[component]
fn ConversationView(id: ConversationId) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let head = {
        let id = id.clone();
        Memo::new(move |_| {
            let locale = lang.get();
            desk.inbox.with(|inbox| {
                let c = inbox.get(&id)?;
                let visitor = &c.summary.visitor;
                let standing = match c.summary.status {
                    ConversationStatus::Queued => Standing::Waiting,
                    ConversationStatus::Resolved => Standing::Resolved,
                    ConversationStatus::Assigned if inbox.is_mine(&id) => Standing::Mine,
                    ConversationStatus::Assigned => Standing::Other(
                        c.summary
                            .agent
                            .as_ref()
                            .map(|a| a.name.clone())
                            .unwrap_or_default(),
                    ),
                };
                Some(Head {
                    seed: visitor.id.to_string(),
                    tag: fmt::visitor_label(visitor),
                    name: fmt::visitor_name(locale, visitor),
                    details: fmt::visitor_details(visitor),
                    standing,
                })
            })
        })
    };
    let standing = Memo::new(move |_| head.with(|h| h.as_ref().map(|h| h.standing.clone())));
    // The visitor's survey answer, once the conversation is resolved.
    let rating = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox
                .with(|inbox| inbox.get(&id).and_then(|c| c.summary.rating.clone()))
        })
    };
    let blocked = Signal::derive(move || {
        standing.with(|s| s.as_ref().map_or(Some(Key::ErrNotFound), Standing::blocked))
    });
    // Colleagues with this conversation open too (the collision hint).
    let viewers = {
        let id = id.clone();
        Memo::new(move |_| {
            let now = desk.clock.get();
            desk.inbox.with(|inbox| inbox.viewers(&id, now))
        })
    };
    let typers = {
        let id = id.clone();
        Memo::new(move |_| {
            let now = desk.clock.get();
            desk.inbox.with(|inbox| inbox.colleagues_typing(&id, now))
        })
    };
    // Notes need only that the conversation is there to see.
    let note_blocked =
        Signal::derive(move || standing.with(|s| s.is_none().then_some(Key::ErrNotFound)));
    let typing = {
        let id = id.clone();
        Memo::new(move |_| {
            let now = desk.clock.get();
            desk.inbox
                .with(|inbox| inbox.get(&id).is_some_and(|c| c.visitor_typing(now)))
        })
    };
    // On sites with the typing preview: what they are typing.
    let draft = {
        let id = id.clone();
        Memo::new(move |_| {
            let now = desk.clock.get();
            desk.inbox.with(|inbox| {
                inbox
                    .get(&id)
                    .and_then(|c| c.visitor_draft(now).map(|d| fmt::last_chars(d, 140)))
            })
        })
    };

    // Supervisors and admins may move a colleague's conversation too.
    let oversees = Memo::new(move |_| {
        desk.inbox.with(|inbox| {
            inbox
                .me()
                .is_some_and(|me| matches!(me.role, Role::Supervisor | Role::Admin))
        })
    });
    let transferring = RwSignal::new(false);
    // On narrow screens the context panel shows only when asked for.
    let context_shown = RwSignal::new(false);
    let transfer_button = move || {
        view! {
            <button
                type="button"
                class="btn btn-secondary"
                data-test="transfer"
                aria-expanded=move || transferring.get().to_string()
                on:click=move |_| transferring.update(|t| *t = !*t)
            >
                {move || lang.t(Key::Transfer)}
            </button>
        }
    };
    let action = {
        let id = id.clone();
        move || {
            let id = id.clone();
            match standing.get() {
                Some(Standing::Other(_)) if oversees.get() => Some(transfer_button().into_any()),
                Some(Standing::Waiting) => Some(
                    view! {
                        <button
                            type="button"
                            class="btn btn-primary"
                            on:click=move |_| desk.pick(&id)
                        >
                            {move || lang.t(Key::Take)}
                        </button>
                    }
                    .into_any(),
                ),
                Some(Standing::Mine) => Some(
                    view! {
                        {transfer_button()}
                        <button
                            type="button"
                            class="btn btn-secondary"
                            data-test="resolve"
                            on:click=move |_| desk.resolve(&id)
                        >
                            <span class="check" aria-hidden="true"></span>
                            {move || lang.t(Key::Resolve)}
                        </button>
                    }
                    .into_any(),
                ),
                _ => None,
            }
        }
    };

    view! {
        <section class="conversation" data-id=id.to_string()>
            <header class="pane-header">
                <button
                    type="button"
                    class="back-button"
                    data-test="back"
                    aria-label=move || lang.t(Key::BackToList)
                    title=move || lang.t(Key::BackToList)
                    on:click=move |_| desk.deselect()
                >
                    <span class="back-arrow" aria-hidden="true"></span>
                </button>
                {move || head.get().map(|h| view! { <Avatar seed=h.seed label=h.tag class="avatar-large" /> })}
                <div class="pane-title">
                    <h2>{move || head.with(|h| h.as_ref().map(|h| h.name.clone()))}</h2>
                    <p class="pane-details">
                        <span dir="ltr">
                            {move || head.with(|h| h.as_ref().map(|h| h.details.clone()))}
                        </span>
                    </p>
                    {move || {
                        let names = viewers.get();
                        (!names.is_empty())
                            .then(|| {
                                let names = names.iter().map(|n| isolate(n)).collect::<Vec<_>>().join(", ");
                                let text = i18n::fill(lang.t(Key::AlsoHere), &[("names", &names)]);
                                view! {
                                    <p class="viewers" data-test="viewers" role="status">
                                        <span class="viewers-dot" aria-hidden="true"></span>
                                        {text}
                                    </p>
                                }
                            })
                    }}
                    {move || {
                        let names = typers.get();
                        (!names.is_empty())
                            .then(|| {
                                let names = names.iter().map(|n| isolate(n)).collect::<Vec<_>>().join(", ");
                                let text = i18n::fill(lang.t(Key::ColleagueTyping), &[("names", &names)]);
                                view! {
                                    <p class="viewers" data-test="colleague-typing" role="status">{text}</p>
                                }
                            })
                    }}
                </div>
                {move || {
                    standing.get().map(|s| {
                        let label = s.label(lang.get());
                        view! { <span class=s.class()>{label}</span> }
                    })
                }}
                <div class="pane-actions">
                    <button
                        type="button"
                        class="btn btn-secondary context-toggle"
                        data-test="context-toggle"
                        aria-pressed=move || context_shown.get().to_string()
                        on:click=move |_| context_shown.update(|s| *s = !*s)
                    >
                        {move || lang.t(Key::ContextToggle)}
                    </button>
                    {action}
                </div>
                {
                    let id = id.clone();
                    move || {
                        // Closes by itself once the conversation is no longer
                        // one I may move (it moved, or was resolved).
                        let movable = matches!(standing.get(), Some(Standing::Mine))
                            || (matches!(standing.get(), Some(Standing::Other(_))) && oversees.get());
                        (transferring.get() && movable)
                            .then(|| {
                                let close = Callback::new(move |_| transferring.set(false));
                                view! { <TransferPanel id=id.clone() on_close=close /> }
                            })
                    }
                }
            </header>
            <div class="conversation-main">
                <div class="thread">
                    {
                        let id = id.clone();
                        move || {
                            // Left while offline: where the replies go.
                            let left = desk.inbox.with(|inbox| {
                                inbox
                                    .get(&id)
                                    .filter(|c| c.summary.left_message)
                                    .map(|c| (c.summary.visitor.email.clone(), inbox.mails_replies()))
                            });
                            left.map(|(email, mailed)| {
                                let text = match (email, mailed) {
                                    (Some(email), true) => i18n::fill(
                                        lang.t(Key::MailedTo),
                                        &[("email", &isolate(&email))],
                                    ),
                                    _ => lang.t(Key::NotMailed).to_owned(),
                                };
                                view! {
                                    <p class="left-message" data-test="left-message" role="note">
                                        {text}
                                    </p>
                                }
                            })
                        }
                    }
                    <MessageList id=id.clone() />
                    {move || {
                        rating
                            .get()
                            .map(|r| {
                                let locale = lang.get();
                                let score = locale.number(r.score);
                                let text = i18n::fill(locale.text(Key::Rated), &[("score", &score)]);
                                view! {
                                    <div class="rating" data-test="conversation-rating" role="note">
                                        {rating::face(r.score)}
                                        <span data-test="conversation-rating-text">{text}</span>
                                        {r.nps.map(|n| {
                                            let n = locale.number(n);
                                            let text = i18n::fill(locale.text(Key::RatedNps), &[("score", &n)]);
                                            view! { <span class="rating-nps" data-test="conversation-rating-nps">{text}</span> }
                                        })}
                                        {r.comment.map(|c| view! {
                                            <q class="rating-comment" dir="auto" data-test="conversation-rating-comment">{c}</q>
                                        })}
                                    </div>
                                }
                            })
                    }}
                    <div class="typing-slot">
                        {move || {
                            typing.get().then(|| {
                                view! {
                                    <div class="typing" data-test="visitor-typing" role="status">
                                        <span class="typing-dots" aria-hidden="true">
                                            <i></i>
                                            <i></i>
                                            <i></i>
                                        </span>
                                        <span>{move || lang.t(Key::VisitorTyping)}</span>
                                        {move || {
                                            draft
                                                .get()
                                                .map(|text| {
                                                    view! {
                                                        <span
                                                            class="typing-draft"
                                                            data-test="visitor-draft"
                                                            dir="auto"
                                                            title=move || lang.t(Key::DraftHint)
                                                        >
                                                            {text}
                                                        </span>
                                                    }
                                                })
                                        }}
                                    </div>
                                }
                            })
                        }}
                    </div>
                    <Composer id=id.clone() blocked=blocked note_blocked=note_blocked />
                </div>
                <ContextPanel id=id.clone() shown=context_shown />
            </div>
        </section>
    }
}
