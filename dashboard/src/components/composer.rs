//! The reply box: Enter sends, Shift+Enter breaks the line, typing frames
//! go out throttled, and the draft survives switching conversations. A
//! switch above it turns it into a private note for the team (shown in
//! the note colour; no typing frames, since the visitor must not learn of
//! it). A `/` at the start of a word opens the canned-response picker.

use crate::api;
use crate::app::Lang;
use crate::components::canned_picker::{step, CannedPicker, SHOWN};
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{self, Key};
use client::typing::TypingThrottle;
use leptos::ev::KeyboardEvent;
use leptos::html;
use leptos::prelude::*;
use shared::api::{CannedResponse, SiteInfo};
use shared::canned::{render, search, slash_query, Values};
use shared::limits::MAX_MESSAGE_CHARS;
use shared::limits::TYPING_IDLE_MS;
use shared::ConversationId;
use std::time::Duration;

/// From this many characters on, the count is shown.
const COUNT_FROM: usize = MAX_MESSAGE_CHARS - 500;

/// `[data-test=reply]` and `[data-test=reply-send]`, with the
/// `[data-test=mode-reply]` / `[data-test=mode-note]` switch. `blocked` is
/// `None` when the agent may reply, else the reason shown in the empty
/// box; `note_blocked` the same for notes.
#[component]
pub fn Composer(
    id: ConversationId,
    blocked: Signal<Option<Key>>,
    note_blocked: Signal<Option<Key>>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let noting = RwSignal::new(false);
    let blocked = Signal::derive(move || {
        if noting.get() {
            note_blocked.get()
        } else {
            blocked.get()
        }
    });
    let draft = RwSignal::new(desk.draft(&id));
    let throttle = StoredValue::new(TypingThrottle::default());
    let idle_timer = StoredValue::new(None::<TimeoutHandle>);
    let textarea = NodeRef::<html::Textarea>::new();
    let id = StoredValue::new(id);

    // The canned responses that fit this conversation's site, and the site's
    // name for `{site.name}`: read when the composer opens, so a change made
    // in Settings shows from the next conversation opened.
    let canned = RwSignal::new(Vec::<CannedResponse>::new());
    let site_name = RwSignal::new(None::<String>);
    let site = desk
        .inbox
        .with_untracked(|inbox| inbox.get(&id.get_value()).map(|c| c.summary.site.clone()));
    if let Some(site) = site {
        leptos::task::spawn_local(async move {
            let path = format!("/api/canned?site={site}");
            if let Ok(list) = api::get::<Vec<CannedResponse>>(&path).await {
                canned.try_set(list);
            }
            if let Ok(sites) = api::get::<Vec<SiteInfo>>("/api/sites").await {
                let name = sites.into_iter().find(|s| s.id == site).map(|s| s.name);
                site_name.try_set(name);
            }
        });
    }
    // The picker: what the draft's trailing `/query` finds, unless Esc
    // closed it for this very draft.
    let dismissed = RwSignal::new(None::<String>);
    let active = RwSignal::new(0usize);

    let enabled = move || blocked.get().is_none();
    let chars = Memo::new(move |_| draft.with(|d| d.chars().count()));
    let too_long = move || chars.get() > MAX_MESSAGE_CHARS;
    let can_send = move || enabled() && !too_long() && draft.with(|d| !d.trim().is_empty());

    let matches = Memo::new(move |_| {
        draft.with(|d| match slash_query(d) {
            Some((_, query)) if dismissed.with(|x| x.as_deref() != Some(d.as_str())) => {
                canned.with(|all| search(all, query, SHOWN).into_iter().cloned().collect())
            }
            _ => Vec::new(),
        })
    });
    let picking = move || matches.with(|m| !m.is_empty());
    Effect::new(move |_| {
        matches.track();
        active.set(0);
    });
    // Replaces the `/query` with the response, its variables filled.
    let insert = move |i: usize| {
        let Some(c) = matches.with_untracked(|m| m.get(i).cloned()) else {
            return;
        };
        let agent = desk
            .inbox
            .with_untracked(|inbox| inbox.me().map(|m| m.name.clone()));
        let site = site_name.get_untracked();
        // The name the visitor gave (leave-a-message or pre-chat form);
        // without one the response's fallback applies.
        let visitor = id.try_get_value().and_then(|id| {
            desk.inbox
                .with_untracked(|inbox| inbox.get(&id).and_then(|c| c.summary.visitor.name.clone()))
        });
        let values = Values {
            visitor_name: visitor.as_deref(),
            agent_name: agent.as_deref(),
            site_name: site.as_deref(),
        };
        let text = render(&c.body, &values);
        draft.update(|d| {
            if let Some((slash, _)) = slash_query(d) {
                d.truncate(slash);
                d.push_str(&text);
            }
        });
        if let Some(el) = textarea.get_untracked() {
            let _ = el.focus();
        }
    };

    let typing = move |frame: Option<bool>| {
        if let (Some(typing), Some(id)) = (frame, id.try_get_value()) {
            desk.typing(&id, typing);
        }
    };
    let stop_typing = move || {
        if let Some(Some(handle)) = idle_timer.try_update_value(Option::take) {
            handle.clear();
        }
        typing(throttle.try_update_value(TypingThrottle::stop).flatten());
    };
    let send = move || {
        if !untrack(can_send) {
            return;
        }
        let body = draft.get_untracked().trim().to_owned();
        if noting.get_untracked() {
            desk.note(&id.get_value(), body);
        } else {
            desk.reply(&id.get_value(), body);
        }
        draft.set(String::new());
        stop_typing();
    };
    // An emoji goes where the caret is, and the caret after it.
    let pick = move |emoji: &'static str| {
        let Some(el) = textarea.get_untracked() else {
            return;
        };
        let length = draft.with_untracked(|d| d.encode_utf16().count() as u32);
        let start = el.selection_start().ok().flatten().unwrap_or(length);
        let end = el.selection_end().ok().flatten().unwrap_or(start);
        let (text, caret) = draft.with_untracked(|d| ui::emoji::insert(d, emoji, start, end));
        el.set_value(&text);
        draft.set(text);
        let _ = el.focus();
        let _ = el.set_selection_range(caret, caret);
    };
    let on_input = move |ev: leptos::ev::Event| {
        draft.set(event_target_value(&ev));
        if untrack(enabled) && !noting.get_untracked() {
            let empty = draft.with_untracked(|d| d.trim().is_empty());
            typing(
                throttle
                    .try_update_value(|t| t.input(fmt::now(), empty))
                    .flatten(),
            );
            if let Some(Some(handle)) = idle_timer.try_update_value(Option::take) {
                handle.clear();
            }
            let handle = set_timeout_with_handle(
                move || typing(throttle.try_update_value(|t| t.idle(fmt::now())).flatten()),
                Duration::from_millis(TYPING_IDLE_MS),
            );
            idle_timer.set_value(handle.ok());
        }
    };
    let on_keydown = move |ev: KeyboardEvent| {
        if untrack(picking) {
            let key = ev.key();
            match key.as_str() {
                "ArrowDown" | "ArrowUp" => {
                    ev.prevent_default();
                    let len = matches.with_untracked(Vec::len);
                    let delta = if key == "ArrowDown" { 1 } else { -1 };
                    active.update(|a| *a = step(*a, len, delta));
                    return;
                }
                "Enter" | "Tab" if !ev.is_composing() => {
                    ev.prevent_default();
                    insert(active.get_untracked());
                    return;
                }
                "Escape" => {
                    ev.prevent_default();
                    dismissed.set(Some(draft.get_untracked()));
                    return;
                }
                _ => {}
            }
        }
        // While an input method composes (Persian, Arabic keyboards on some
        // systems), Enter confirms the composition, not the message.
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            send();
        }
    };

    // Focus the box when it becomes usable (opening my chat, or right
    // after taking one), so the agent can type at once.
    Effect::new(move |_| {
        if let (true, Some(el)) = (enabled(), textarea.get()) {
            let _ = el.focus();
        }
    });
    Effect::new(move |_| {
        if !enabled() {
            untrack(stop_typing);
        }
    });
    on_cleanup(move || {
        if let (Some(id), Some(text)) = (id.try_get_value(), draft.try_get_untracked()) {
            desk.keep_draft(&id, text);
        }
        stop_typing();
    });

    let placeholder = move || {
        let ready = if noting.get() {
            Key::NotePlaceholder
        } else {
            Key::ReplyPlaceholder
        };
        lang.t(blocked.get().unwrap_or(ready))
    };
    let switch_to = move |note: bool| {
        if noting.get_untracked() != note {
            // Whatever was typed stays; the visitor stops seeing "typing".
            stop_typing();
            noting.set(note);
        }
        if let Some(el) = textarea.get_untracked() {
            let _ = el.focus();
        }
    };
    let counter = move || {
        let n = chars.get();
        (n >= COUNT_FROM).then(|| {
            let locale = lang.get();
            let text = if n > MAX_MESSAGE_CHARS {
                i18n::fill(
                    locale.text(Key::TooLongCount),
                    &[
                        ("n", &locale.number(n)),
                        ("max", &locale.number(MAX_MESSAGE_CHARS)),
                    ],
                )
            } else {
                format!(
                    "{} / {}",
                    locale.number(n),
                    locale.number(MAX_MESSAGE_CHARS)
                )
            };
            view! {
                <span class="composer-count" class:over=too_long role="status">
                    {text}
                </span>
            }
        })
    };

    view! {
        <div class="composer" class:disabled=move || !enabled() class:composer-note=move || noting.get()>
            {move || {
                picking()
                    .then(|| {
                        view! { <CannedPicker matches active on_pick=Callback::new(insert) /> }
                    })
            }}
            <div class="composer-modes" role="group">
                <button
                    type="button"
                    class="composer-mode"
                    data-test="mode-reply"
                    aria-pressed=move || (!noting.get()).to_string()
                    on:click=move |_| switch_to(false)
                >
                    {move || lang.t(Key::ModeReply)}
                </button>
                <button
                    type="button"
                    class="composer-mode composer-mode-note"
                    data-test="mode-note"
                    aria-pressed=move || noting.get().to_string()
                    on:click=move |_| switch_to(true)
                >
                    <span class="note-icon" aria-hidden="true"></span>
                    {move || lang.t(Key::ModeNote)}
                </button>
            </div>
            <textarea
                node_ref=textarea
                data-test="reply"
                rows="3"
                // "auto" decides by the text typed; an empty box would be
                // "ltr" and garble a right-to-left placeholder.
                dir=move || {
                    if draft.with(String::is_empty) { lang.get().dir() } else { "auto" }
                }
                placeholder=placeholder
                aria-label=placeholder
                disabled=move || !enabled()
                prop:value=move || draft.get()
                on:input=on_input
                on:keydown=on_keydown
            ></textarea>
            <div class="composer-bar">
                <ui::emoji::EmojiPicker label=lang.t(Key::Emoji) on_pick=Callback::new(pick) />
                {counter}
                <button
                    type="button"
                    class="btn btn-primary"
                    data-test="reply-send"
                    disabled=move || !can_send()
                    on:click=move |_| send()
                >
                    {move || lang.t(if noting.get() { Key::AddNote } else { Key::Send })}
                </button>
            </div>
        </div>
    }
}
