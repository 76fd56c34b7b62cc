//! Callbacks: under the conversation, the offer ("Rather not wait? We can
//! call you back") or where the visitor's request stands; in the
//! composer's place while the visitor fills it in, the form — phone
//! (international format, left to right in every language), when suits
//! them, an optional note and name.

use super::Ctx;
use crate::callback::FormProblem;
use crate::i18n::Text;
use leptos::html::Input;
use leptos::prelude::*;
use shared::callback::{CallbackProblem, CallbackRequest, CallbackStatus, CallbackWindow};
use shared::display::isolate_ltr;
use shared::ErrorCode;

fn window_text(window: CallbackWindow) -> Text {
    match window {
        CallbackWindow::Asap => Text::CallbackAsap,
        CallbackWindow::Morning => Text::CallbackMorning,
        CallbackWindow::Afternoon => Text::CallbackAfternoon,
        CallbackWindow::Evening => Text::CallbackEvening,
    }
}

/// The offer, or the kept request's status: `[data-test=callback-offer]`,
/// `[data-test=callback-status]` (with `data-status`).
#[component]
pub fn CallbackCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let offered = move || ctx.state.with(|s| s.callback_offered());
    let kept = move || ctx.state.with(|s| s.callbacks().kept().cloned());
    let status = move || {
        kept().map(|c| {
            let title = ctx.t(match c.status {
                CallbackStatus::Requested => Text::CallbackRequested,
                CallbackStatus::Claimed => Text::CallbackClaimed,
                CallbackStatus::Done => Text::CallbackDone,
                CallbackStatus::Failed => Text::CallbackFailed,
                CallbackStatus::Cancelled => Text::CallbackCancelled,
            });
            let open = c.status.is_open();
            let detail = format!(
                "{} · {}",
                isolate_ltr(&c.phone),
                ctx.t(window_text(c.window))
            );
            view! {
                <div
                    class="callback-status"
                    data-test="callback-status"
                    data-status=c.status.as_str()
                    role="status"
                >
                    <p class="callback-title">{title}</p>
                    <p class="callback-detail">{detail}</p>
                    {open
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="callback-back callback-cancel"
                                    data-test="callback-cancel-request"
                                    disabled=move || {
                                        ctx.state.with(|s| s.callbacks().cancelling())
                                    }
                                    on:click=move |_| ctx.session(|s| s.cancel_callback())
                                >
                                    {ctx.t(Text::CallbackCancel)}
                                </button>
                            }
                        })}
                </div>
            }
        })
    };
    view! {
        {status}
        <Show when=offered>
            <div class="callback-offer" data-test="callback-offer">
                <p>
                    {move || {
                        ctx.t(if ctx.state.with(|s| s.offline().is_some()) {
                            Text::CallbackOfferOffline
                        } else {
                            Text::CallbackOffer
                        })
                    }}
                </p>
                <button
                    type="button"
                    class="callback-ask"
                    data-test="callback-ask"
                    on:click=move |_| ctx.session(|s| s.callback_form(true))
                >
                    {ctx.t(Text::CallbackAsk)}
                </button>
            </div>
        </Show>
    }
}

/// A form's last row: back to the chat (`{test}-cancel`), and its submit
/// button (`{test}-send`) saying `send`.
pub(super) fn back_and_send(
    ctx: Ctx,
    test: &'static str,
    send: Text,
    back: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="callback-actions">
            <button
                class="callback-back"
                type="button"
                data-test=format!("{test}-cancel")
                on:click=move |_| back()
            >
                {ctx.t(Text::CallbackBack)}
            </button>
            <button class="leave-send" type="submit" data-test=format!("{test}-send")>
                {ctx.t(send)}
            </button>
        </div>
    }
}

/// The form, in the composer's place.
#[component]
pub fn CallbackForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let phone = RwSignal::new(String::new());
    let window = RwSignal::new(CallbackWindow::Asap);
    let note = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let phone_input = NodeRef::<Input>::new();
    Effect::new(move |_| {
        if let Some(el) = phone_input.get() {
            let _ = el.focus();
        }
    });
    let problem = move || {
        ctx.state.with(|s| s.callbacks().problem()).map(|p| {
            ctx.t(match p {
                FormProblem::Check(CallbackProblem::Phone)
                | FormProblem::Server(ErrorCode::InvalidPhone) => Text::ErrPhone,
                FormProblem::Check(_) => Text::ErrLine,
                FormProblem::Server(ErrorCode::CallbacksOff) => Text::CallbacksOff,
                FormProblem::Server(code) => Text::for_error(code),
            })
        })
    };
    let submit = move || {
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|t| !t.trim().is_empty());
        let request = CallbackRequest {
            phone: phone.get_untracked(),
            window: window.get_untracked(),
            note: text(note),
            name: text(name),
        };
        ctx.session(|s| s.request_callback(request));
    };
    let options = CallbackWindow::ALL.map(|w| {
        view! { <option value=w.as_str()>{ctx.t(window_text(w))}</option> }
    });

    view! {
        <form
            class="leave"
            data-test="callback-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <p class="leave-title">{ctx.t(Text::CallbackTitle)}</p>
            <p class="leave-hint">{ctx.t(Text::CallbackHint)}</p>
            {move || {
                problem()
                    .map(|p| {
                        view! {
                            <p class="error" data-test="callback-problem" role="alert">
                                {p}
                            </p>
                        }
                    })
            }}
            <input
                class="field"
                data-test="callback-phone"
                type="tel"
                inputmode="tel"
                autocomplete="tel"
                // Numbers read left to right in every language.
                dir="ltr"
                maxlength="30"
                placeholder="+44 20 7946 0958"
                aria-label=ctx.t(Text::PhoneLabel)
                node_ref=phone_input
                prop:value=move || phone.get()
                on:input=move |ev| phone.set(event_target_value(&ev))
            />
            <select
                class="field"
                data-test="callback-window"
                aria-label=ctx.t(Text::CallbackWhen)
                on:change=move |ev| {
                    if let Some(w) = CallbackWindow::parse(&event_target_value(&ev)) {
                        window.set(w);
                    }
                }
            >
                {options}
            </select>
            <input
                class="field"
                data-test="callback-name"
                type="text"
                autocomplete="name"
                dir="auto"
                maxlength="100"
                placeholder=ctx.t(Text::YourName)
                aria-label=ctx.t(Text::YourName)
                prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))
            />
            <textarea
                class="field"
                data-test="callback-note"
                rows="2"
                dir="auto"
                maxlength="500"
                placeholder=ctx.t(Text::CallbackNote)
                aria-label=ctx.t(Text::CallbackNote)
                prop:value=move || note.get()
                on:input=move |ev| note.set(event_target_value(&ev))
            ></textarea>
            {back_and_send(
                ctx,
                "callback",
                Text::CallbackSend,
                move || ctx.session(|s| s.callback_form(false)),
            )}
        </form>
    }
}
