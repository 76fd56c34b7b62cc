//! The composer: a textarea (Enter sends, Shift+Enter breaks the line), the
//! send button, the notice for whatever went wrong, and, on sites with the
//! typing preview, the line saying agents see the draft.

use super::help::Suggestions;
use super::{icons, Ctx};
use crate::chat::Problem;
use crate::i18n::Text;
use leptos::html::Textarea;
use leptos::prelude::*;
use shared::limits::MAX_MESSAGE_CHARS;
use web_sys::KeyboardEvent;

/// The composer.
#[component]
pub fn Composer() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let input = NodeRef::<Textarea>::new();
    let submit = move || {
        ctx.session(|s| s.submit());
        // Clicking the button took the focus; give it back to the text.
        if let Some(el) = input.get_untracked() {
            let _ = el.focus();
        }
    };
    // Opening the chat means the visitor wants to type.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    // The iframe often gets the focus only after that (the loader gives it
    // when it shows the panel): the text box takes it then, unless the
    // visitor is already elsewhere in the panel.
    let on_focus = window_event_listener(leptos::ev::focus, move |_| {
        let nothing_focused = document()
            .active_element()
            .is_none_or(|el| el.tag_name().eq_ignore_ascii_case("body"));
        if let (true, Some(el)) = (nothing_focused, input.get_untracked()) {
            let _ = el.focus();
        }
    });
    on_cleanup(move || on_focus.remove());

    // An emoji goes where the caret is, and the caret after it.
    let pick = move |emoji: &'static str| {
        let Some(el) = input.get_untracked() else {
            return;
        };
        let length = ctx
            .draft
            .with_untracked(|d| d.encode_utf16().count() as u32);
        let start = el.selection_start().ok().flatten().unwrap_or(length);
        let end = el.selection_end().ok().flatten().unwrap_or(start);
        let (text, caret) = ctx
            .draft
            .with_untracked(|d| ui::emoji::insert(d, emoji, start, end));
        el.set_value(&text);
        ctx.session(|s| s.edit(text));
        let _ = el.focus();
        let _ = el.set_selection_range(caret, caret);
    };

    view! {
        {ctx.help.then(|| view! { <Suggestions /> })}
        <ProblemNotice />
        // Visitors are told before they type that agents see their draft.
        {ctx.typing_preview.then(|| view! {
            <p class="preview-notice" data-test="typing-preview-notice">
                {icons::eye()}
                <span>{ctx.t(Text::TypingPreviewNotice)}</span>
            </p>
        })}
        <form
            class="composer"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <ui::emoji::EmojiPicker label=ctx.t(Text::Emoji) on_pick=Callback::new(pick) />
            <textarea
                data-test="composer"
                rows="1"
                dir="auto"
                placeholder=ctx.t(Text::Placeholder)
                aria-label=ctx.t(Text::Placeholder)
                node_ref=input
                prop:value=move || ctx.draft.get()
                on:input=move |ev| ctx.session(|s| s.edit(event_target_value(&ev)))
                on:keydown=move |ev: KeyboardEvent| {
                    // While an input method composes, Enter picks a candidate.
                    if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                        ev.prevent_default();
                        submit();
                    }
                }
            ></textarea>
            <button class="send" type="submit" data-test="send" aria-label=ctx.t(Text::Send)>
                {icons::send()}
            </button>
        </form>
    }
}

/// What went wrong, in the visitor's language, above whichever form is in
/// the composer's place (the composer, the offline or pre-chat form).
#[component]
pub(super) fn ProblemNotice() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.state.with(|s| s.problem()).map(|p| {
            view! {
                <div class="error" data-test="error" role="alert">
                    {problem_text(ctx, p)}
                </div>
            }
        })
    }
}

/// A problem in the visitor's language.
fn problem_text(ctx: Ctx, problem: Problem) -> String {
    let text = match problem {
        Problem::Empty => Text::ErrEmpty,
        Problem::TooLong => Text::ErrTooLong,
        Problem::Server(code) => Text::for_error(code),
    };
    ctx.locale
        .fill(text, &[("n", &MAX_MESSAGE_CHARS.to_string())])
}
