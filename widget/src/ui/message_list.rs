//! The conversation: greeting, messages in seq order, join notices, pending
//! sends, queue position, resolution, agent typing. Stays scrolled to the
//! newest row unless the visitor scrolled up to read.

use super::Ctx;
use crate::chat::Entry;
use crate::i18n::{self, clock, Text};
use leptos::html::Div;
use leptos::prelude::*;
use shared::display::{isolate, Follow};
use shared::{Author, ConversationStatus, Millis};

/// The scrolling list.
#[component]
pub fn MessageList() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let entries = Memo::new(move |_| ctx.state.with(|s| s.timeline()));
    let pending = Memo::new(move |_| ctx.state.with(|s| s.outbox().to_vec()));
    let queue = move || {
        ctx.state
            .with(|s| s.queue_position().map(|n| (n, s.queue_wait())))
    };
    let resolved = move || {
        ctx.state
            .with(|s| s.status() == Some(ConversationStatus::Resolved))
    };
    let typing = move || {
        ctx.state.with(|s| {
            s.agent()
                .filter(|_| s.agent_typing())
                .map(|a| a.name.clone())
        })
    };

    let list = NodeRef::<Div>::new();
    // Whether to keep showing the newest row (see `Follow`).
    let follow = StoredValue::new(Follow::default());
    let pending_seen = StoredValue::new(0usize);
    Effect::new(move |_| {
        entries.track();
        ctx.state.track();
        let pending_now = pending.with(Vec::len);
        // The visitor's own send always brings the view back down.
        if pending_now > pending_seen.get_value() {
            follow.update_value(Follow::resume);
        }
        pending_seen.set_value(pending_now);
        if let Some(el) = list.get() {
            if follow.get_value().following() {
                // After layout, so the new rows count in the height.
                request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
            }
        }
    });
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            follow.update_value(|f| {
                f.scrolled(el.scroll_top(), el.scroll_height(), el.client_height())
            });
        }
    };

    view! {
        <div
            class="messages"
            data-test="message-list"
            role="log"
            aria-live="polite"
            node_ref=list
            on:scroll=on_scroll
        >
            <div class="row agent greeting">
                <div class="bubble">
                    <p class="body" dir="auto">
                        {move || {
                            ctx.look
                                .with(|l| l.greeting.clone())
                                .unwrap_or_else(|| ctx.t(Text::Greeting).to_owned())
                        }}
                    </p>
                </div>
            </div>
            <For each=move || entries.get() key=Entry::key let:entry>
                {entry_view(ctx, entry)}
            </For>
            <For each=move || pending.get() key=|p| p.client_id.clone() let:p>
                <div class="row visitor sending">
                    <div class="bubble">
                        <div class="body" dir="auto" data-test="pending">
                            {ui::markup::body(&p.body)}
                        </div>
                        <span class="meta">{ctx.t(Text::Sending)}</span>
                    </div>
                </div>
            </For>
            {move || {
                queue()
                    .map(|(n, wait)| {
                        let wait = wait.map(|secs| match secs {
                            0..60 => ctx.t(Text::QueueWaitSoon).to_owned(),
                            _ => i18n::queue_wait(ctx.locale, u64::from(secs.div_ceil(60))),
                        });
                        view! {
                            <p class="notice" data-test="queue-position" role="status">
                                {ctx.locale.fill(Text::QueuePosition, &[("n", &n.to_string())])}
                                {wait
                                    .map(|w| {
                                        view! {
                                            " · "
                                            <span data-test="queue-wait">{w}</span>
                                        }
                                    })}
                            </p>
                        }
                    })
            }}
            {move || {
                // Offline with an email left: where replies go. Away (and
                // not being asked for an email by the form): that a message
                // still reaches the team.
                let kept = ctx
                    .state
                    .with(|s| s.offline().and(s.contact()).map(|c| c.email.clone()));
                let away = ctx
                    .state
                    .with(|s| {
                        s.team_away() && s.agent().is_none() && !resolved() && !s.wants_contact()
                    });
                match (away, kept) {
                    (false, _) => None,
                    (true, Some(email)) => Some(view! {
                        <p class="notice" data-test="contact-kept" role="status">
                            {ctx.locale.fill(Text::ContactKept, &[("email", &shared::display::isolate(&email))])}
                        </p>
                    }.into_any()),
                    (true, None) => Some(view! {
                        <p class="notice" data-test="team-away" role="status">
                            {ctx.t(Text::TeamAwayNotice)}
                        </p>
                    }.into_any()),
                }
            }}
            {move || {
                resolved()
                    .then(|| view! { <p class="notice resolved">{ctx.t(Text::Resolved)}</p> })
            }}
            {move || {
                typing()
                    .map(|name| {
                        view! {
                            <div class="row agent typing" data-test="agent-typing" role="status">
                                <div class="bubble" aria-hidden="true">
                                    <span class="dot"></span>
                                    <span class="dot"></span>
                                    <span class="dot"></span>
                                </div>
                                <span class="typing-label">
                                    {ctx.locale.fill(Text::AgentTyping, &[("name", &isolate(&name))])}
                                </span>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

fn entry_view(ctx: Ctx, entry: Entry) -> AnyView {
    match entry {
        Entry::Message {
            message,
            first_in_run,
        } => {
            let (side, name) = match &message.author {
                Author::Visitor => ("visitor", None),
                Author::Agent { name, .. } => ("agent", Some(name.clone())),
            };
            let seq = message.seq;
            let label = name
                .filter(|_| first_in_run)
                .map(|name| view! { <span class="author">{name}</span> });
            view! {
                <div class=["row ", side].concat()>
                    {label}
                    <div class="bubble">
                        <div
                            class="body"
                            dir="auto"
                            data-test="message"
                            data-author=side
                            data-seq=message.seq.to_string()
                        >
                            {ui::markup::body(&message.body)}
                        </div>
                        <span class="meta">
                            {local_clock(message.sent_at)}
                            {move || {
                                let (seen, delivered) = ctx.state.with(|s| {
                                    (s.seen_seq() == Some(seq), s.delivered_seq() == Some(seq))
                                });
                                let (text, hook) = if seen {
                                    (Text::Seen, "seen")
                                } else if delivered {
                                    (Text::Delivered, "delivered")
                                } else {
                                    return None;
                                };
                                Some(view! {
                                    <span class="seen" data-test=hook>
                                        {format!(" · {}", ctx.t(text))}
                                    </span>
                                })
                            }}
                        </span>
                    </div>
                </div>
            }
            .into_any()
        }
        Entry::Joined { name, .. } => view! {
            <p class="notice" data-test="agent-joined">
                {ctx.locale.fill(Text::AgentJoined, &[("name", &isolate(&name))])}
            </p>
        }
        .into_any(),
    }
}

/// `hh:mm` in the visitor's time zone.
fn local_clock(at: Millis) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    clock(date.get_hours(), date.get_minutes())
}
