//! The site form's proactive messages: rules by which the loader greets a
//! visitor before they write — which pages (every page, or by URL: it
//! contains, it equals, or a pattern with `*`), after how long on the
//! page, from which visit — and the text in each language it greets in.
//! Saved with the rest of the site form.

use crate::app::Lang;
use crate::components::form::{Failed, FieldError};
use crate::forms::{RuleForm, SiteForm, LABEL_LANGS};
use crate::i18n::Key;
use leptos::prelude::*;
use shared::proactive::MAX_RULES;

/// The URL kinds, as the select offers them.
const URL_KINDS: [(&str, Key); 4] = [
    ("any", Key::UrlAny),
    ("contains", Key::UrlContains),
    ("equals", Key::UrlEquals),
    ("glob", Key::UrlGlob),
];

/// The rules, bound to the site form.
#[component]
pub fn ProactiveFields(
    form: RwSignal<SiteForm>,
    saved: RwSignal<bool>,
    failed: Failed,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let edit = move |change: Box<dyn FnOnce(&mut SiteForm)>| {
        saved.set(false);
        form.update(|f| change(f));
    };
    // The list is rebuilt only when a rule comes or goes.
    let count = Memo::new(move |_| form.with(|f| f.proactive.len()));
    let full = move || count.get() >= MAX_RULES;
    let rule = move |i: usize| {
        let read = move |get: fn(&RuleForm) -> String| {
            move || form.with(|f| f.proactive.get(i).map(get).unwrap_or_default())
        };
        let set = move |put: fn(&mut RuleForm, String)| {
            move |ev: leptos::ev::Event| {
                let v = event_target_value(&ev);
                edit(Box::new(move |f| {
                    if let Some(r) = f.proactive.get_mut(i) {
                        put(r, v);
                    }
                }));
            }
        };
        // A memo: the pattern field comes and goes only with the kind.
        let any = Memo::new(move |_| {
            form.with(|f| f.proactive.get(i).is_some_and(|r| r.url_kind == "any"))
        });
        let kind = Memo::new(move |_| {
            form.with(|f| {
                f.proactive
                    .get(i)
                    .map(|r| r.url_kind.clone())
                    .unwrap_or_default()
            })
        });
        let texts = LABEL_LANGS
            .iter()
            .enumerate()
            .map(|(l, code)| {
                view! {
                    <textarea
                        rows="2"
                        dir="auto"
                        lang=*code
                        maxlength="500"
                        placeholder=code.to_uppercase()
                        aria-label=move || format!("{} ({code})", lang.t(Key::ProactiveText))
                        data-test=format!("proactive-text-{code}-{i}")
                        prop:value=move || form.with(|f| f.proactive.get(i).map(|r| r.texts[l].clone()).unwrap_or_default())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            edit(Box::new(move |f| if let Some(r) = f.proactive.get_mut(i) { r.texts[l] = v }));
                        }
                    ></textarea>
                }
            })
            .collect_view();
        view! {
            <li class="prechat-question proactive-rule" data-test=format!("proactive-rule-{i}")>
                <div class="prechat-row">
                    <input
                        type="text"
                        dir="auto"
                        maxlength="100"
                        placeholder=move || lang.t(Key::ProactiveName)
                        aria-label=move || lang.t(Key::ProactiveName)
                        data-test=format!("proactive-name-{i}")
                        prop:value=read(|r| r.name.clone())
                        on:input=set(|r, v| r.name = v)
                    />
                    <label class="choice">
                        <input
                            type="checkbox"
                            data-test=format!("proactive-enabled-{i}")
                            prop:checked=move || form.with(|f| f.proactive.get(i).is_some_and(|r| r.enabled))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                edit(Box::new(move |f| if let Some(r) = f.proactive.get_mut(i) { r.enabled = on }));
                            }
                        />
                        {move || lang.t(Key::ProactiveOn)}
                    </label>
                    <button
                        type="button"
                        class="btn btn-ghost btn-small"
                        data-test=format!("proactive-remove-{i}")
                        on:click=move |_| edit(Box::new(move |f| { if i < f.proactive.len() { f.proactive.remove(i); } }))
                    >
                        {move || lang.t(Key::Remove)}
                    </button>
                </div>
                <div class="prechat-row">
                    <select
                        data-test=format!("proactive-url-kind-{i}")
                        aria-label=move || lang.t(Key::ProactiveUrl)
                        on:change=set(|r, v| r.url_kind = v)
                    >
                        {URL_KINDS
                            .into_iter()
                            .map(|(value, key)| view! {
                                <option value=value selected=move || kind.get() == value>
                                    {move || lang.t(key)}
                                </option>
                            })
                            .collect_view()}
                    </select>
                    <Show when=move || !any.get()>
                        <input
                            type="text"
                            class="mono grow"
                            dir="ltr"
                            maxlength="300"
                            spellcheck="false"
                            placeholder="/pricing"
                            aria-label=move || lang.t(Key::ProactivePattern)
                            data-test=format!("proactive-url-{i}")
                            prop:value=read(|r| r.url.clone())
                            on:input=set(|r, v| r.url = v)
                        />
                    </Show>
                </div>
                <div class="prechat-row">
                    <label class="choice">
                        {move || lang.t(Key::ProactiveAfter)}
                        <input
                            type="number"
                            class="narrow"
                            min="0"
                            max="3600"
                            data-test=format!("proactive-after-{i}")
                            prop:value=read(|r| r.after_secs.clone())
                            on:input=set(|r, v| r.after_secs = v)
                        />
                    </label>
                    <label class="choice">
                        {move || lang.t(Key::ProactiveVisits)}
                        <input
                            type="number"
                            class="narrow"
                            min="1"
                            max="1000"
                            data-test=format!("proactive-visits-{i}")
                            prop:value=read(|r| r.min_visits.clone())
                            on:input=set(|r, v| r.min_visits = v)
                        />
                    </label>
                </div>
                <div class="prechat-labels proactive-texts">{texts}</div>
            </li>
        }
    };

    view! {
        <h2>{move || lang.t(Key::ProactiveTitle)}</h2>
        <p class="field-hint">{move || lang.t(Key::ProactiveHint)}</p>
        <ol class="prechat-questions" data-test="site-proactive">
            {move || (0..count.get()).map(rule).collect_view()}
        </ol>
        <FieldError failed field="proactive" />
        <button
            type="button"
            class="btn btn-secondary btn-small"
            data-test="proactive-add"
            disabled=full
            on:click=move |_| edit(Box::new(|f| f.proactive.push(RuleForm::new())))
        >
            {move || lang.t(Key::ProactiveAdd)}
        </button>
    }
}
