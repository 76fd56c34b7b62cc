//! The pre-chat form, in the composer's place before the first message on
//! sites that ask: the owner's fields (name, email, phone, text, a choice)
//! with their labels in the visitor's language, then the first message.
//! Checked here with the server's own rules (`PrechatForm::check`), so the
//! visitor learns what to fix beside the field.

use super::composer::ProblemNotice;
use super::Ctx;
use crate::i18n::Text;
use leptos::prelude::*;
use shared::settings::{PrechatField, PrechatKind, PrechatProblem};
use std::collections::BTreeMap;

/// The form.
#[component]
pub fn PrechatForm() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let fields = ctx
        .prechat
        .with_value(|f| f.as_ref().map(|f| f.fields.clone()))
        .unwrap_or_default();
    let answers = RwSignal::new(BTreeMap::<String, String>::new());
    let sending = move || ctx.state.with(|s| s.prechat_sending().is_some());
    let submit = move || ctx.session(|s| s.start_chat(answers.get_untracked()));
    let rows = fields
        .into_iter()
        .map(|field| view! { <Field field answers /> })
        .collect_view();

    view! {
        <form
            class="leave"
            data-test="prechat"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <p class="leave-title">{ctx.t(Text::PrechatTitle)}</p>
            {rows}
            <ProblemNotice />
            <textarea
                class="field"
                data-test="prechat-text"
                rows="3"
                dir="auto"
                placeholder=ctx.t(Text::Placeholder)
                aria-label=ctx.t(Text::Placeholder)
                prop:value=move || ctx.draft.get()
                on:input=move |ev| ctx.session(|s| s.edit(event_target_value(&ev)))
            ></textarea>
            <button class="leave-send" type="submit" data-test="prechat-send" disabled=sending>
                {ctx.t(Text::StartChat)}
            </button>
        </form>
    }
}

/// One question: its label (with a mark when required), its input, and
/// what to fix in it.
#[component]
fn Field(field: PrechatField, answers: RwSignal<BTreeMap<String, String>>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let label = field
        .label(ctx.locale.code())
        .map(str::to_owned)
        .unwrap_or_else(|| match field.kind {
            PrechatKind::Name => ctx.t(Text::NameLabel).to_owned(),
            PrechatKind::Email => ctx.t(Text::YourEmail).to_owned(),
            PrechatKind::Phone => ctx.t(Text::PhoneLabel).to_owned(),
            PrechatKind::Text | PrechatKind::Select => field.key.replace('_', " "),
        });
    let key = field.key.clone();
    let test = format!("prechat-{}", field.key);
    let id = format!("prechat-field-{}", field.key);
    let fix = {
        let key = key.clone();
        move || {
            ctx.state.with(|s| {
                s.prechat_problem()
                    .filter(|(k, _)| *k == key)
                    .map(|(_, p)| ctx.t(problem_key(*p)))
            })
        }
    };
    let set = {
        let key = key.clone();
        move |value: String| {
            answers.update(|a| {
                a.insert(key.clone(), value);
            })
        }
    };
    let value = move || answers.with(|a| a.get(&key).cloned().unwrap_or_default());
    let input = match field.kind {
        PrechatKind::Select => {
            let options = field
                .options
                .iter()
                .map(|o| view! { <option value=o.clone()>{o.clone()}</option> })
                .collect_view();
            view! {
                <select
                    class="field"
                    id=id.clone()
                    data-test=test
                    on:change=move |ev| set(event_target_value(&ev))
                >
                    <option value="">{ctx.t(Text::ChooseOne)}</option>
                    {options}
                </select>
            }
            .into_any()
        }
        kind => {
            let (kind_attr, autocomplete, dir) = match kind {
                PrechatKind::Name => ("text", "name", "auto"),
                // Addresses and numbers read left to right in every language.
                PrechatKind::Email => ("email", "email", "ltr"),
                PrechatKind::Phone => ("tel", "tel", "ltr"),
                _ => ("text", "off", "auto"),
            };
            view! {
                <input
                    class="field"
                    id=id.clone()
                    data-test=test
                    type=kind_attr
                    autocomplete=autocomplete
                    dir=dir
                    maxlength="200"
                    placeholder=(kind == PrechatKind::Phone).then_some("+98 912 345 6789")
                    prop:value=value
                    on:input=move |ev| set(event_target_value(&ev))
                />
            }
            .into_any()
        }
    };
    view! {
        <label class="prechat-field" for=id>
            <span class="prechat-label">
                {label}
                {field.required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </span>
            {input}
            {move || fix().map(|t| view! { <span class="field-fix" role="alert">{t}</span> })}
        </label>
    }
}

fn problem_key(p: PrechatProblem) -> Text {
    match p {
        PrechatProblem::Required => Text::FieldRequired,
        PrechatProblem::Email => Text::ErrEmail,
        PrechatProblem::Phone => Text::ErrPhone,
        PrechatProblem::TooLong => Text::ErrLine,
        PrechatProblem::NotAnOption | PrechatProblem::Unknown => Text::ChooseOne,
    }
}
