//! The site form's pre-chat questions: what the widget asks before the
//! first message — name, email, phone or the owner's own (a line of text,
//! a choice) — each optional or required, labelled in English, Arabic and
//! Persian. Saved with the rest of the site form.

use crate::app::Lang;
use crate::components::form::{Failed, FieldError};
use crate::forms::{QuestionForm, SiteForm, LABEL_LANGS};
use crate::i18n::Key;
use leptos::prelude::*;
use shared::settings::{PrechatForm, PrechatKind};

/// Most questions a form has.
const MAX: usize = PrechatForm::MAX_FIELDS;

fn kind_key(kind: PrechatKind) -> Key {
    match kind {
        PrechatKind::Name => Key::PrechatName,
        PrechatKind::Email => Key::PrechatEmail,
        PrechatKind::Phone => Key::PrechatPhone,
        PrechatKind::Text => Key::PrechatText,
        PrechatKind::Select => Key::PrechatSelect,
    }
}

/// The questions, bound to the site form.
#[component]
pub fn PrechatFields(
    form: RwSignal<SiteForm>,
    saved: RwSignal<bool>,
    failed: Failed,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let edit = move |change: Box<dyn FnOnce(&mut SiteForm)>| {
        saved.set(false);
        form.update(|f| change(f));
    };
    // The list is rebuilt only when a question comes or goes.
    let count = Memo::new(move |_| form.with(|f| f.prechat.len()));
    let full = move || count.get() >= MAX;
    let question = move |i: usize| {
        let q = move |read: fn(&QuestionForm) -> String| {
            move || form.with(|f| f.prechat.get(i).map(read).unwrap_or_default())
        };
        // Memos: the fields below are rebuilt only when these change, not
        // at every keystroke in them (which would lose the focus).
        let kind = Memo::new(move |_| form.with(|f| f.prechat.get(i).map(|q| q.kind)));
        let own = Memo::new(move |_| kind.get().is_some_and(|k| k.fixed_key().is_none()));
        let choice = Memo::new(move |_| kind.get() == Some(PrechatKind::Select));
        let labels = LABEL_LANGS
            .iter()
            .enumerate()
            .map(|(l, code)| {
                view! {
                    <input
                        type="text"
                        maxlength="100"
                        dir="auto"
                        lang=*code
                        placeholder=code.to_uppercase()
                        aria-label=move || format!("{} ({code})", lang.t(Key::PrechatLabel))
                        data-test=format!("prechat-label-{code}-{i}")
                        prop:value=move || form.with(|f| f.prechat.get(i).map(|q| q.labels[l].clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            edit(Box::new(move |f| if let Some(q) = f.prechat.get_mut(i) { q.labels[l] = v }));
                        }
                    />
                }
            })
            .collect_view();
        view! {
            <li class="prechat-question" data-test=format!("prechat-question-{i}")>
                <div class="prechat-row">
                    <select
                        data-test=format!("prechat-kind-{i}")
                        aria-label=move || lang.t(Key::PrechatKind)
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let kind = PrechatKind::ALL.into_iter().find(|k| k.as_str() == v);
                            edit(Box::new(move |f| if let (Some(q), Some(k)) = (f.prechat.get_mut(i), kind) { q.kind = k }));
                        }
                    >
                        {PrechatKind::ALL
                            .into_iter()
                            .map(|k| view! {
                                <option value=k.as_str() selected=move || kind.get() == Some(k)>
                                    {move || lang.t(kind_key(k))}
                                </option>
                            })
                            .collect_view()}
                    </select>
                    <Show when=move || own.get()>
                        <input
                            type="text"
                            class="mono"
                            dir="ltr"
                            maxlength="32"
                            spellcheck="false"
                            placeholder="order_number"
                            aria-label=move || lang.t(Key::PrechatKey)
                            data-test=format!("prechat-key-{i}")
                            prop:value=q(|q| q.key.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                edit(Box::new(move |f| if let Some(q) = f.prechat.get_mut(i) { q.key = v }));
                            }
                        />
                    </Show>
                    <label class="choice">
                        <input
                            type="checkbox"
                            data-test=format!("prechat-required-{i}")
                            prop:checked=move || form.with(|f| f.prechat.get(i).is_some_and(|q| q.required))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                edit(Box::new(move |f| if let Some(q) = f.prechat.get_mut(i) { q.required = on }));
                            }
                        />
                        {move || lang.t(Key::PrechatRequired)}
                    </label>
                    <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        data-test=format!("prechat-remove-{i}")
                        on:click=move |_| edit(Box::new(move |f| { if i < f.prechat.len() { f.prechat.remove(i); } }))
                    >
                        {move || lang.t(Key::Remove)}
                    </button>
                </div>
                <div class="prechat-labels">{labels}</div>
                <Show when=move || choice.get()>
                    <textarea
                        rows="3"
                        dir="auto"
                        placeholder=move || lang.t(Key::PrechatOptions)
                        aria-label=move || lang.t(Key::PrechatOptions)
                        data-test=format!("prechat-options-{i}")
                        prop:value=q(|q| q.options.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            edit(Box::new(move |f| if let Some(q) = f.prechat.get_mut(i) { q.options = v }));
                        }
                    ></textarea>
                </Show>
            </li>
        }
    };

    view! {
        <h2>{move || lang.t(Key::PrechatTitle)}</h2>
        <p class="field-hint">{move || lang.t(Key::PrechatHint)}</p>
        <ol class="prechat-questions" data-test="site-prechat">
            {move || (0..count.get()).map(question).collect_view()}
        </ol>
        <FieldError failed field="prechat" />
        <button
            type="button"
            class="btn btn-secondary btn-small"
            data-test="prechat-add"
            disabled=full
            on:click=move |_| {
                edit(Box::new(|f| {
                    // Name first, then email, then the owner's own.
                    let next = [PrechatKind::Name, PrechatKind::Email]
                        .into_iter()
                        .find(|k| !f.prechat.iter().any(|q| q.kind == *k))
                        .unwrap_or(PrechatKind::Text);
                    f.prechat.push(QuestionForm::new(next));
                }))
            }
        >
            {move || lang.t(Key::PrechatAdd)}
        </button>
    }
}
