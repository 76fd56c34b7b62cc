//! The agents: who they are, their role, capacity, languages, teams and
//! sites, whether the account is enabled; add one, edit one (only changed
//! fields are sent), reset a password, delete one.

use crate::api::{self, Failure};
use crate::app::{Lang, Session};
use crate::components::form::{failure_key, FieldError, FormError, SavedNote};
use crate::desk::Desk;
use crate::forms::{toggle, AgentForm};
use crate::i18n::{self, Key};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::{SiteInfo, Team};
use shared::display::isolate;
use shared::{AgentId, AgentProfile, Role, SiteId, TeamId};

/// Everything the page lists, loaded together.
#[derive(Clone)]
struct Directory {
    agents: Vec<AgentProfile>,
    sites: Vec<SiteInfo>,
    teams: Vec<Team>,
}

async fn load() -> Result<Directory, Failure> {
    Ok(Directory {
        agents: api::get("/api/agents").await?,
        sites: api::get("/api/sites").await?,
        teams: api::get("/api/teams").await?,
    })
}

fn role_key(role: Role) -> Key {
    match role {
        Role::Admin => Key::RoleAdmin,
        Role::Supervisor => Key::RoleSupervisor,
        Role::Agent => Key::RoleAgent,
    }
}

/// The page.
#[component]
pub fn AgentsPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let data = RwSignal::new(None::<Result<Directory, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let got = load().await;
            data.try_set(Some(got));
        })
    };
    reload();
    let adding = RwSignal::new(false);
    let editing = RwSignal::new(None::<AgentId>);

    view! {
        <section class="settings-section">
            <h1>{move || lang.t(Key::Agents)}</h1>
            <p class="lead">{move || lang.t(Key::AgentsLead)}</p>
            {move || match data.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(dir)) => {
                    let sites = dir.sites.clone();
                    let teams = dir.teams.clone();
                    view! {
                        <Show
                            when=move || adding.get()
                            fallback=move || {
                                view! {
                                    <button
                                        type="button"
                                        class="btn btn-primary"
                                        data-test="agents-new"
                                        on:click=move |_| adding.set(true)
                                    >
                                        {move || lang.t(Key::NewAgent)}
                                    </button>
                                }
                            }
                        >
                            <AgentEditor
                                agent=None
                                sites=sites.clone()
                                teams=teams.clone()
                                on_done=Callback::new(move |_| {
                                    adding.set(false);
                                    reload();
                                })
                            />
                        </Show>
                        <ul class="card list" data-test="agents">
                            {dir
                                .agents
                                .iter()
                                .cloned()
                                .map(|agent| {
                                    let id = agent.id.clone();
                                    let open = {
                                        let id = id.clone();
                                        move || editing.get().as_ref() == Some(&id)
                                    };
                                    let (sites, teams) = (dir.sites.clone(), dir.teams.clone());
                                    view! {
                                        <AgentRow agent=agent.clone() sites=dir.sites.clone() editing />
                                        <Show when=open.clone()>
                                            <li class="list-editor">
                                                <AgentEditor
                                                    agent=Some(agent.clone())
                                                    sites=sites.clone()
                                                    teams=teams.clone()
                                                    on_done=Callback::new(move |_| {
                                                        editing.set(None);
                                                        reload();
                                                    })
                                                />
                                            </li>
                                        </Show>
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
}

/// One agent in the list.
#[component]
fn AgentRow(
    agent: AgentProfile,
    sites: Vec<SiteInfo>,
    editing: RwSignal<Option<AgentId>>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let me = desk.inbox.with_untracked(|i| i.me().map(|m| m.id.clone()));
    let is_me = me.as_ref() == Some(&agent.id);
    let served: Vec<String> = if agent.role == Role::Admin {
        Vec::new()
    } else {
        agent
            .sites
            .iter()
            .filter_map(|id| sites.iter().find(|s| &s.id == id).map(|s| s.name.clone()))
            .collect()
    };
    let role = agent.role;
    let id = agent.id.clone();
    view! {
        <li class="list-row" data-test="agent-row" data-id=agent.id.to_string()>
            <crate::components::avatar::Avatar
                seed=agent.id.to_string()
                label=agent.name.clone()
                class="avatar-small"
            />
            <span class="list-main">
                <strong>
                    {agent.name.clone()}
                    {is_me.then(|| view! { " " {move || lang.t(Key::You2)} })}
                </strong>
                <span class="muted" dir="ltr">{agent.email.clone()}</span>
            </span>
            <span class="tag" data-test="agent-role">{move || lang.t(role_key(role))}</span>
            <span class="muted list-meta">{served.join(" · ")}</span>
            {agent
                .disabled
                .then(|| {
                    view! { <span class="tag tag-off">{move || lang.t(Key::StatusDisabled)}</span> }
                })}
            <button
                type="button"
                class="btn btn-ghost btn-small"
                data-test="agent-edit"
                on:click=move |_| {
                    let now = editing.get_untracked();
                    editing.set(if now.as_ref() == Some(&id) { None } else { Some(id.clone()) });
                }
            >
                {move || lang.t(Key::Edit)}
            </button>
        </li>
    }
}

/// Adds (`agent: None`) or edits an agent; calls `on_done` after a save or
/// a delete.
#[component]
fn AgentEditor(
    agent: Option<AgentProfile>,
    sites: Vec<SiteInfo>,
    teams: Vec<Team>,
    on_done: Callback<()>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let all_sites: Vec<SiteId> = sites.iter().map(|s| s.id.clone()).collect();
    let start = match &agent {
        Some(a) => AgentForm::from_agent(a),
        None => AgentForm::new(all_sites),
    };
    let saved_form = StoredValue::new(start.clone());
    let form = RwSignal::new(start);
    let failed = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let is_new = agent.is_none();
    let id = agent.as_ref().map(|a| a.id.clone());
    // Your own account: the server refuses disabling, demoting or deleting
    // yourself (another admin can), so the form does not offer it.
    let is_self = match (expect_context::<RwSignal<Session>>().get_untracked(), &id) {
        (Session::LoggedIn(me), Some(id)) => &me.agent.id == id,
        _ => false,
    };
    let name = agent.as_ref().map(|a| a.name.clone()).unwrap_or_default();

    let submit = {
        let id = id.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            failed.set(None);
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let result = match &id {
                    None => {
                        let body = form.with_untracked(AgentForm::new_agent);
                        api::write::<_, AgentProfile>("POST", "/api/agents", &body).await
                    }
                    Some(id) => {
                        let body = form.with_untracked(|f| saved_form.with_value(|s| f.update(s)));
                        api::write::<_, AgentProfile>("PATCH", &format!("/api/agents/{id}"), &body)
                            .await
                    }
                };
                match result {
                    Ok(_) => {
                        saved.try_set(true);
                        on_done.run(());
                    }
                    Err(f) => {
                        failed.try_set(Some(f));
                    }
                }
            });
        }
    };
    let delete = {
        let id = id.clone();
        move |_| {
            let Some(id) = id.clone() else { return };
            leptos::task::spawn_local(async move {
                match api::delete(&format!("/api/agents/{id}")).await {
                    Ok(()) => on_done.run(()),
                    Err(f) => {
                        confirming.try_set(false);
                        failed.try_set(Some(f));
                    }
                }
            });
        }
    };
    let text = move |get: fn(&AgentForm) -> &String, set: fn(&mut AgentForm, String)| {
        (
            move || form.with(|f| get(f).clone()),
            move |ev| {
                saved.set(false);
                form.update(|f| set(f, event_target_value(&ev)));
            },
        )
    };
    let (name_v, name_i) = text(|f| &f.name, |f, v| f.name = v);
    let (email_v, email_i) = text(|f| &f.email, |f, v| f.email = v);
    let (cap_v, cap_i) = text(|f| &f.capacity, |f, v| f.capacity = v);
    let (lang_v, lang_i) = text(|f| &f.languages, |f, v| f.languages = v);
    let (pw_v, pw_i) = text(|f| &f.password, |f, v| f.password = v);
    let fields: &'static [&'static str] = &[
        "name",
        "email",
        "password",
        "capacity",
        "languages",
        "sites",
        "teams",
        "role",
    ];

    view! {
        <form class="card form agent-form" on:submit=submit novalidate data-test="agent-form">
            <h2>
                {if is_new {
                    view! { {move || lang.t(Key::NewAgent)} }.into_any()
                } else {
                    view! { {name.clone()} }.into_any()
                }}
            </h2>
            <div class="form-grid">
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Name)}</span>
                    <input type="text" data-test="agent-name" prop:value=name_v on:input=name_i />
                    <FieldError failed field="name" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Email)}</span>
                    <input type="email" dir="ltr" data-test="agent-email" prop:value=email_v on:input=email_i />
                    <FieldError failed field="email" />
                </label>
                <label class="field">
                    <span class="field-label">
                        {move || lang.t(if is_new { Key::Password } else { Key::SetPassword })}
                    </span>
                    <input
                        type="password"
                        dir="ltr"
                        autocomplete="new-password"
                        data-test="agent-password"
                        prop:value=pw_v
                        on:input=pw_i
                    />
                    <FieldError failed field="password" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Role)}</span>
                    <select
                        data-test="agent-role-select"
                        disabled=is_self
                        on:change=move |ev| {
                            let role = match event_target_value(&ev).as_str() {
                                "admin" => Role::Admin,
                                "supervisor" => Role::Supervisor,
                                _ => Role::Agent,
                            };
                            form.update(|f| f.role = role);
                        }
                    >
                        {[Role::Agent, Role::Supervisor, Role::Admin]
                            .into_iter()
                            .map(|r| {
                                view! {
                                    <option value=r.as_str() selected=move || form.with(|f| f.role == r)>
                                        {move || lang.t(role_key(r))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <span class="field-hint" data-test="agent-role-hint">
                        {move || lang.t(if is_self { Key::OwnAccountHint } else { Key::RoleHint })}
                    </span>
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Capacity)}</span>
                    <input
                        type="number"
                        min="1"
                        max="100"
                        dir="ltr"
                        data-test="agent-capacity"
                        prop:value=cap_v
                        on:input=cap_i
                    />
                    <FieldError failed field="capacity" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Languages)}</span>
                    <input type="text" dir="ltr" data-test="agent-languages" prop:value=lang_v on:input=lang_i />
                    <span class="field-hint">{move || lang.t(Key::LanguagesHint)}</span>
                    <FieldError failed field="languages" />
                </label>
            </div>
            <fieldset class="field">
                <legend class="field-label">{move || lang.t(Key::SitesField)}</legend>
                <div class="choice-row">
                    {sites
                        .iter()
                        .map(|s| {
                            let sid = s.id.clone();
                            let sid2 = s.id.clone();
                            view! {
                                <label class="choice">
                                    <input
                                        type="checkbox"
                                        data-test="agent-site"
                                        data-id=s.id.to_string()
                                        prop:checked=move || form.with(|f| f.sites.contains(&sid))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            form.update(|f| toggle(&mut f.sites, &sid2, on));
                                        }
                                    />
                                    {s.name.clone()}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <span class="field-hint">{move || lang.t(Key::SitesFieldHint)}</span>
                <FieldError failed field="sites" />
            </fieldset>
            <fieldset class="field">
                <legend class="field-label">{move || lang.t(Key::TeamsField)}</legend>
                <div class="choice-row">
                    {if teams.is_empty() {
                        view! { <span class="muted">{move || lang.t(Key::NoTeamsYet)}</span> }.into_any()
                    } else {
                        teams
                            .iter()
                            .map(|t| {
                                let tid: TeamId = t.id.clone();
                                let tid2 = t.id.clone();
                                view! {
                                    <label class="choice">
                                        <input
                                            type="checkbox"
                                            data-test="agent-team"
                                            data-id=t.id.to_string()
                                            prop:checked=move || form.with(|f| f.teams.contains(&tid))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                form.update(|f| toggle(&mut f.teams, &tid2, on));
                                            }
                                        />
                                        {t.name.clone()}
                                    </label>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </div>
                <FieldError failed field="teams" />
            </fieldset>
            {(!is_new && !is_self)
                .then(|| {
                    view! {
                        <label class="choice">
                            <input
                                type="checkbox"
                                data-test="agent-disabled"
                                prop:checked=move || form.with(|f| f.disabled)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.update(|f| f.disabled = on);
                                }
                            />
                            {move || lang.t(Key::AccountDisabled)}
                        </label>
                    }
                })}
            <FormError failed fields />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-test="agent-save">
                    {move || lang.t(if is_new { Key::Create } else { Key::Save })}
                </button>
                <button type="button" class="btn btn-ghost" on:click=move |_| on_done.run(())>
                    {move || lang.t(Key::Cancel)}
                </button>
                <SavedNote saved />
                {(!is_new && !is_self)
                    .then(|| {
                        let name = name.clone();
                        view! {
                            <span class="spacer"></span>
                            <Show
                                when=move || confirming.get()
                                fallback=move || {
                                    view! {
                                        <button
                                            type="button"
                                            class="btn btn-danger-outline btn-small"
                                            data-test="agent-delete"
                                            on:click=move |_| confirming.set(true)
                                        >
                                            {move || lang.t(Key::DeleteAgent)}
                                        </button>
                                    }
                                }
                            >
                                <span class="confirm-text" role="alert">
                                    {
                                        let name = name.clone();
                                        move || i18n::fill(lang.t(Key::DeleteAgentConfirm), &[("name", &isolate(&name))])
                                    }
                                </span>
                                <button
                                    type="button"
                                    class="btn btn-danger btn-small"
                                    data-test="agent-delete-confirm"
                                    on:click=delete.clone()
                                >
                                    {move || lang.t(Key::ConfirmDelete)}
                                </button>
                            </Show>
                        }
                    })}
            </div>
        </form>
    }
}
