//! The leave-a-message form, in the composer's place while the site is
//! offline and the visitor has not left an email: name (optional), email,
//! and the message (the composer's draft, so nothing typed is lost when
//! the team comes back and the composer returns).

use super::composer::ProblemNotice;
use super::Ctx;
use crate::i18n::Text;
use leptos::html::Input;
use leptos::prelude::*;

/// The form.
#[component]
pub fn LeaveMessage() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let email_input = NodeRef::<Input>::new();
    // The visitor who already wrote only needs to say where replies go.
    let wrote_before = move || {
        ctx.state
            .with(|s| s.messages().next().is_some() || !s.outbox().is_empty())
    };
    Effect::new(move |_| {
        if let Some(el) = email_input.get() {
            let _ = el.focus();
        }
    });
    let submit = move || {
        ctx.session(|s| s.leave_message(&name.get_untracked(), &email.get_untracked()));
    };

    view! {
        <form
            class="leave"
            data-test="leave-message"
            // Our own checks speak the widget's language; the browser's
            // would speak its own.
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <p class="leave-title">{ctx.t(Text::LeaveTitle)}</p>
            <p class="leave-hint">{ctx.t(Text::LeaveHint)}</p>
            <ProblemNotice />
            <input
                class="field"
                data-test="leave-name"
                type="text"
                autocomplete="name"
                dir="auto"
                maxlength="100"
                placeholder=ctx.t(Text::YourName)
                aria-label=ctx.t(Text::YourName)
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <input
                class="field"
                data-test="leave-email"
                type="email"
                autocomplete="email"
                // Addresses read left to right in every language.
                dir="ltr"
                maxlength="254"
                placeholder=ctx.t(Text::YourEmail)
                aria-label=ctx.t(Text::YourEmail)
                node_ref=email_input
                prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))
            />
            <Show when=move || !wrote_before()>
                <textarea
                    class="field"
                    data-test="leave-text"
                    rows="3"
                    dir="auto"
                    placeholder=ctx.t(Text::Placeholder)
                    aria-label=ctx.t(Text::Placeholder)
                    prop:value=move || ctx.draft.get()
                    on:input=move |ev| ctx.session(|s| s.edit(event_target_value(&ev)))
                ></textarea>
            </Show>
            <button class="leave-send" type="submit" data-test="leave-send">
                {ctx.t(Text::LeaveSend)}
            </button>
        </form>
    }
}
