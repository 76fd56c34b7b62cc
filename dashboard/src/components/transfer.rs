//! The transfer panel under a conversation's header: choose a colleague
//! (who is online, how busy, which languages), a team's queue or "a
//! supervisor", add a note for whoever takes it, and send one `transfer`
//! frame. Refusals (a colleague filled up meanwhile…) come back as the
//! error banner; success shows as the conversation moving.

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::failure_key;
use crate::desk::Desk;
use crate::i18n::{self, Key};
use leptos::prelude::*;
use shared::api::{Colleague, Team};
use shared::display::isolate;
use shared::{ConversationId, Presence, TransferTarget};

/// What a radio button's value stands for: `a:<agent id>`, `t:<team id>`
/// or `sup`.
pub fn target_of(choice: &str) -> Option<TransferTarget> {
    if choice == "sup" {
        return Some(TransferTarget::Supervisor);
    }
    let (kind, id) = choice.split_once(':')?;
    match kind {
        "a" if !id.is_empty() => Some(TransferTarget::Agent { agent: id.into() }),
        "t" if !id.is_empty() => Some(TransferTarget::Team { team: id.into() }),
        _ => None,
    }
}

fn presence_key(p: Presence) -> Key {
    match p {
        Presence::Online => Key::Online,
        Presence::Away => Key::Away,
        Presence::Offline => Key::Offline,
    }
}

/// `[data-test=transfer-panel]`; `on_close` runs after sending or on
/// cancel.
#[component]
pub fn TransferPanel(id: ConversationId, on_close: Callback<()>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let choices = RwSignal::new(None::<Result<(Vec<Colleague>, Vec<Team>), Failure>>);
    {
        let path = format!("/api/conversations/{id}/colleagues");
        leptos::task::spawn_local(async move {
            let got = match api::get::<Vec<Colleague>>(&path).await {
                Ok(people) => api::get::<Vec<Team>>("/api/teams")
                    .await
                    .map(|teams| (people, teams)),
                Err(f) => Err(f),
            };
            choices.try_set(Some(got));
        });
    }
    let chosen = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let submit = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if let Some(to) = target_of(&chosen.get_untracked()) {
                desk.transfer(&id, to, note.get_untracked());
                on_close.run(());
            }
        }
    };
    let option = move |value: String, label: String, detail: Option<String>, enabled: bool| {
        let v = value.clone();
        view! {
            <label class="transfer-option" class:disabled=!enabled data-test="transfer-option">
                <input
                    type="radio"
                    name="transfer-target"
                    value=value.clone()
                    disabled=!enabled
                    prop:checked=move || chosen.get() == v
                    on:change=move |_| chosen.set(value.clone())
                />
                <span class="transfer-name">{label}</span>
                {detail.map(|d| view! { <span class="transfer-detail">{d}</span> })}
            </label>
        }
    };
    let list = move || {
        match choices.get() {
        None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
        Some(Err(f)) => {
            let key = failure_key(&f);
            view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
        }
        Some(Ok((people, teams))) if people.is_empty() && teams.is_empty() => {
            view! { <p class="muted" data-test="transfer-nobody">{move || lang.t(Key::TransferNobody)}</p> }
                .into_any()
        }
        Some(Ok((people, teams))) => {
            let locale = lang.get();
            let people = people
                .into_iter()
                .map(|c| {
                    let load = i18n::fill(
                        locale.text(Key::TransferLoad),
                        &[
                            ("load", &locale.number(c.load)),
                            ("capacity", &locale.number(c.capacity)),
                        ],
                    );
                    let mut detail = vec![locale.text(presence_key(c.presence)).to_owned(), load];
                    if !c.languages.is_empty() {
                        detail.push(c.languages.join(", "));
                    }
                    option(
                        format!("a:{}", c.id),
                        isolate(&c.name),
                        Some(detail.join(" · ")),
                        c.available,
                    )
                })
                .collect_view();
            let teams = teams
                .into_iter()
                .map(|t| {
                    let label = i18n::fill(locale.text(Key::TransferTeam), &[("name", &isolate(&t.name))]);
                    option(format!("t:{}", t.id), label, None, true)
                })
                .collect_view();
            let escalate = option("sup".into(), locale.text(Key::TransferEscalate).to_owned(), None, true);
            view! {
                <div class="transfer-options" role="radiogroup">
                    {people}
                    {teams}
                    {escalate}
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        <form class="transfer-panel" data-test="transfer-panel" on:submit=submit novalidate>
            <h3>{move || lang.t(Key::TransferTitle)}</h3>
            <p class="field-label">{move || lang.t(Key::TransferTo)}</p>
            {list}
            <label class="field">
                <span class="field-label">{move || lang.t(Key::TransferNote)}</span>
                <textarea
                    rows="2"
                    dir="auto"
                    data-test="transfer-note"
                    prop:value=move || note.get()
                    on:input=move |ev| note.set(event_target_value(&ev))
                ></textarea>
            </label>
            <div class="transfer-actions">
                <button
                    type="submit"
                    class="btn btn-primary"
                    data-test="transfer-submit"
                    disabled=move || target_of(&chosen.get()).is_none()
                >
                    {move || lang.t(Key::TransferSubmit)}
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>
                    {move || lang.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_name_their_target() {
        assert_eq!(
            target_of("a:a_sara"),
            Some(TransferTarget::Agent {
                agent: "a_sara".into()
            })
        );
        assert_eq!(
            target_of("t:t_sales"),
            Some(TransferTarget::Team {
                team: "t_sales".into()
            })
        );
        assert_eq!(target_of("sup"), Some(TransferTarget::Supervisor));
        assert_eq!(target_of(""), None);
        assert_eq!(target_of("a:"), None);
        assert_eq!(target_of("x:y"), None);
    }
}
