//! Mailing the conversation: the form in the composer's place (the
//! address, the visitor's own if they left one), and the line saying where
//! the copy went.

use super::callback::back_and_send;
use super::Ctx;
use crate::i18n::Text;
use leptos::html::Input;
use leptos::prelude::*;
use shared::display::isolate;

/// The form: `[data-test=mail-form]`.
#[component]
pub fn TranscriptMailForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let known = ctx
        .state
        .with_untracked(|s| s.contact().map(|c| c.email.clone()))
        .unwrap_or_default();
    let email = RwSignal::new(known);
    let input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let problem = move || {
        ctx.state
            .with(|s| s.mailing().problem())
            .map(|code| ctx.t(Text::for_error(code)))
    };
    view! {
        <form
            class="leave"
            data-test="mail-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                ctx.session(|s| s.mail_transcript(&email.get_untracked()));
            }
        >
            <p class="leave-title">{ctx.t(Text::MailTitle)}</p>
            <p class="leave-hint">{ctx.t(Text::MailHint)}</p>
            {move || {
                problem()
                    .map(|p| {
                        view! {
                            <p class="error" data-test="mail-problem" role="alert">
                                {p}
                            </p>
                        }
                    })
            }}
            <input
                class="field"
                data-test="mail-email"
                type="email"
                autocomplete="email"
                dir="ltr"
                maxlength="254"
                placeholder=ctx.t(Text::YourEmail)
                aria-label=ctx.t(Text::YourEmail)
                node_ref=input
                prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))
            />
            {back_and_send(ctx, "mail", Text::MailSend, move || ctx.session(|s| s.mailing_form(false)))}
        </form>
    }
}

/// Where the last copy went: `[data-test=mail-sent]`.
#[component]
pub fn TranscriptSent() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    move || {
        ctx.state
            .with(|s| s.mailing().sent_to().map(str::to_owned))
            .map(|to| {
                view! {
                    <p class="mail-sent" data-test="mail-sent" role="status">
                        {ctx.locale.fill(Text::MailSent, &[("email", &isolate(&to))])}
                    </p>
                }
            })
    }
}
