//! Teams: add, rename, delete (agents leave a deleted team).

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::{failure_key, FieldError, FormError};
use crate::i18n::Key;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::{Team, TeamName};

/// The page.
#[component]
pub fn TeamsPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let teams = RwSignal::new(None::<Result<Vec<Team>, Failure>>);
    let reload = move || {
        leptos::task::spawn_local(async move {
            let got = api::get::<Vec<Team>>("/api/teams").await;
            teams.try_set(Some(got));
        })
    };
    reload();
    let name = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<Failure>);
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let body = TeamName {
            name: name.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::write::<_, Team>("POST", "/api/teams", &body).await {
                Ok(_) => {
                    name.try_set(String::new());
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
            <h1>{move || lang.t(Key::Teams)}</h1>
            <p class="lead">{move || lang.t(Key::TeamsLead)}</p>
            <form class="card inline-form" on:submit=add novalidate>
                <label class="field grow">
                    <span class="field-label">{move || lang.t(Key::AddTeam)}</span>
                    <input
                        type="text"
                        data-test="new-team-name"
                        placeholder=move || lang.t(Key::NewTeamName)
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <FieldError failed field="name" />
                </label>
                <button type="submit" class="btn btn-primary" data-test="new-team-add">
                    {move || lang.t(Key::AddTeam)}
                </button>
                <FormError failed fields=&["name"] />
            </form>
            {move || match teams.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="muted">{move || lang.t(Key::NoTeamsYet)}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ul class="card list" data-test="teams">
                            {list
                                .into_iter()
                                .map(|team| view! { <TeamRow team on_change=Callback::new(move |_| reload()) /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// One team: its name as an editable field, rename and delete.
#[component]
fn TeamRow(team: Team, on_change: Callback<()>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let name = RwSignal::new(team.name.clone());
    let failed = RwSignal::new(None::<Failure>);
    let path = format!("/api/teams/{}", team.id);
    let rename = {
        let path = path.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let body = TeamName {
                name: name.get_untracked(),
            };
            let path = path.clone();
            leptos::task::spawn_local(async move {
                match api::write::<_, Team>("PATCH", &path, &body).await {
                    Ok(_) => on_change.run(()),
                    Err(f) => {
                        failed.try_set(Some(f));
                    }
                }
            });
        }
    };
    let delete = move |_| {
        let path = path.clone();
        leptos::task::spawn_local(async move {
            match api::delete(&path).await {
                Ok(()) => on_change.run(()),
                Err(f) => {
                    failed.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <li class="list-row" data-test="team-row">
            <form class="inline-form grow" on:submit=rename novalidate>
                <input
                    type="text"
                    class="grow"
                    data-test="team-name"
                    aria-label=move || lang.t(Key::NewTeamName)
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <button type="submit" class="btn btn-secondary btn-small" data-test="team-rename">
                    {move || lang.t(Key::Rename)}
                </button>
                <button
                    type="button"
                    class="btn btn-danger-outline btn-small"
                    data-test="team-delete"
                    on:click=delete
                >
                    {move || lang.t(Key::Delete)}
                </button>
                <FieldError failed field="name" />
                <FormError failed fields=&["name"] />
            </form>
        </li>
    }
}
