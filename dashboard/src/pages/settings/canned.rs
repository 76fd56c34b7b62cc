//! Canned responses: everyone lists what they may use and manages their
//! own; supervisors also their sites', admins every one. Adding one picks
//! who may use it among the scopes the agent manages.

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::canned_picker::preview;
use crate::components::form::{
    failure_key, settle, FieldError, FormError, RowEditActions, RowEditButton,
};
use crate::desk::Desk;
use crate::i18n::{self, Key};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::{CannedResponse, CannedScope, CannedUpdate, NewCanned, SiteInfo};
use shared::display::isolate;
use shared::{AgentProfile, Role};

const FIELDS: &[&str] = &["title", "shortcut", "body", "scope.site"];

/// Whether `me` may add, change or delete a response of `scope` by
/// `owner` (the server's rule, server/src/canned.rs, so the page offers
/// only what will be accepted).
fn may_manage(me: &AgentProfile, scope: &CannedScope, owner: &shared::AgentId) -> bool {
    match scope {
        CannedScope::Global => me.role == Role::Admin,
        CannedScope::Site { site } => {
            me.role == Role::Admin || (me.role == Role::Supervisor && me.sites.contains(site))
        }
        CannedScope::Personal => owner == &me.id,
    }
}

/// The scope's name as the page shows it.
fn scope_label(lang: Lang, scope: &CannedScope, sites: &[SiteInfo]) -> String {
    match scope {
        CannedScope::Personal => lang.t(Key::ScopePersonal).to_owned(),
        CannedScope::Global => lang.t(Key::ScopeGlobal).to_owned(),
        CannedScope::Site { site } => {
            let name = sites
                .iter()
                .find(|s| &s.id == site)
                .map_or_else(|| site.to_string(), |s| s.name.clone());
            i18n::fill(lang.t(Key::ScopeSite), &[("site", &isolate(&name))])
        }
    }
}

/// The page.
#[component]
pub fn CannedPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let me = desk.inbox.with_untracked(|i| i.me().cloned());
    let Some(me) = me else {
        return view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any();
    };
    let me = StoredValue::new(me);
    let list = RwSignal::new(None::<Result<Vec<CannedResponse>, Failure>>);
    let sites = RwSignal::new(Vec::<SiteInfo>::new());
    let reload = move || {
        leptos::task::spawn_local(async move {
            let got = api::get::<Vec<CannedResponse>>("/api/canned").await;
            list.try_set(Some(got));
        })
    };
    reload();
    leptos::task::spawn_local(async move {
        if let Ok(all) = api::get::<Vec<SiteInfo>>("/api/sites").await {
            sites.try_set(all);
        }
    });
    // The scopes this agent may add to: theirs, then global and sites.
    let scopes = Memo::new(move |_| {
        let me = me.get_value();
        let mut all = vec![CannedScope::Personal, CannedScope::Global];
        all.extend(sites.with(|s| {
            s.iter()
                .map(|s| CannedScope::Site { site: s.id.clone() })
                .collect::<Vec<_>>()
        }));
        all.retain(|scope| may_manage(&me, scope, &me.id));
        all
    });

    let title = RwSignal::new(String::new());
    let shortcut = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let scope = RwSignal::new(0usize);
    let failed = RwSignal::new(None::<Failure>);
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let Some(chosen) = scopes.with_untracked(|s| s.get(scope.get_untracked()).cloned()) else {
            return;
        };
        let req = NewCanned {
            scope: chosen,
            title: title.get_untracked(),
            shortcut: shortcut.get_untracked(),
            body: body.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::write::<_, CannedResponse>("POST", "/api/canned", &req).await {
                Ok(_) => {
                    title.try_set(String::new());
                    shortcut.try_set(String::new());
                    body.try_set(String::new());
                    reload();
                }
                Err(f) => {
                    failed.try_set(Some(f));
                }
            }
        });
    };

    view! {
        <section class="settings-section">
            <h1>{move || lang.t(Key::CannedResponses)}</h1>
            <p class="lead" dir="auto">{move || lang.t(Key::CannedLead)}</p>
            <form class="card form-grid" on:submit=add novalidate data-test="canned-form">
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::CannedTitle)}</span>
                    <input
                        type="text"
                        data-test="canned-title"
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))
                    />
                    <FieldError failed field="title" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::CannedShortcut)}</span>
                    <input
                        type="text"
                        dir="ltr"
                        data-test="canned-shortcut"
                        placeholder="refund"
                        prop:value=move || shortcut.get()
                        on:input=move |ev| shortcut.set(event_target_value(&ev))
                    />
                    <FieldError failed field="shortcut" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::CannedText)}</span>
                    <textarea
                        rows="4"
                        dir="auto"
                        data-test="canned-body"
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                    <FieldError failed field="body" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::CannedScope)}</span>
                    <select
                        data-test="canned-scope"
                        on:change=move |ev| {
                            scope.set(event_target_value(&ev).parse().unwrap_or_default())
                        }
                    >
                        {move || {
                            let all = sites.get();
                            scopes
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, s)| {
                                    let label = scope_label(lang, &s, &all);
                                    view! {
                                        <option value=i.to_string() selected=move || scope.get() == i>
                                            {label}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                    <FieldError failed field="scope.site" />
                </label>
                <FormError failed fields=FIELDS />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-test="canned-add">
                        {move || lang.t(Key::AddCanned)}
                    </button>
                </div>
            </form>
            {move || match list.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(all)) if all.is_empty() => {
                    view! { <p class="muted">{move || lang.t(Key::NoCannedYet)}</p> }.into_any()
                }
                Some(Ok(all)) => {
                    view! {
                        <ul class="card list" data-test="canned-list">
                            {all
                                .into_iter()
                                .map(|c| {
                                    let manage = may_manage(&me.get_value(), &c.scope, &c.owner);
                                    view! {
                                        <CannedRow c manage sites on_change=Callback::new(move |_| reload()) />
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// One response: shortcut, title, who may use it and its text; editable
/// in place by those who manage it.
#[component]
fn CannedRow(
    c: CannedResponse,
    manage: bool,
    sites: RwSignal<Vec<SiteInfo>>,
    on_change: Callback<()>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let editing = RwSignal::new(false);
    let title = RwSignal::new(c.title.clone());
    let shortcut = RwSignal::new(c.shortcut.clone());
    let body = RwSignal::new(c.body.clone());
    let failed = RwSignal::new(None::<Failure>);
    let path = StoredValue::new(format!("/api/canned/{}", c.id));
    let scope = c.scope.clone();
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let req = CannedUpdate {
            title: Some(title.get_untracked()),
            shortcut: Some(shortcut.get_untracked()),
            body: Some(body.get_untracked()),
        };
        let path = path.get_value();
        let request = async move { api::write::<_, CannedResponse>("PATCH", &path, &req).await };
        settle(request, on_change, failed);
    };
    view! {
        <li class="list-row canned-row" data-test="canned-row" data-shortcut=c.shortcut.clone()>
            <Show
                when=move || editing.get()
                fallback=move || {
                    let scope = scope.clone();
                    view! {
                        <div class="canned-summary grow">
                            <div class="canned-line">
                                <span class="canned-shortcut" dir="ltr">"/" {move || shortcut.get()}</span>
                                <strong dir="auto">{move || title.get()}</strong>
                                <span class="tag">{move || sites.with(|s| scope_label(lang, &scope, s))}</span>
                            </div>
                            <p class="canned-preview" dir="auto">{move || preview(&body.get())}</p>
                        </div>
                        {manage.then(|| view! { <RowEditButton prefix="canned" editing /> })}
                    }
                }
            >
                <form class="canned-edit grow" on:submit=save novalidate>
                    <input
                        type="text"
                        data-test="canned-edit-title"
                        aria-label=move || lang.t(Key::CannedTitle)
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))
                    />
                    <FieldError failed field="title" />
                    <input
                        type="text"
                        dir="ltr"
                        aria-label=move || lang.t(Key::CannedShortcut)
                        prop:value=move || shortcut.get()
                        on:input=move |ev| shortcut.set(event_target_value(&ev))
                    />
                    <FieldError failed field="shortcut" />
                    <textarea
                        rows="3"
                        dir="auto"
                        aria-label=move || lang.t(Key::CannedText)
                        prop:value=move || body.get()
                        on:input=move |ev| body.set(event_target_value(&ev))
                    ></textarea>
                    <FieldError failed field="body" />
                    <FormError failed fields=FIELDS />
                    <RowEditActions prefix="canned" editing path on_deleted=on_change failed />
                </form>
            </Show>
        </li>
    }
}
