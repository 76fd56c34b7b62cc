//! My profile: name and languages, and changing my password (the current
//! one is needed; my other sessions end).

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::{FieldError, FormError, SavedNote};
use crate::desk::Desk;
use crate::forms::tags;
use crate::i18n::Key;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::{Me, ProfileUpdate};

/// The profile page.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let (name, languages) = desk.inbox.with_untracked(|i| {
        i.me()
            .map(|m| (m.name.clone(), m.languages.join(", ")))
            .unwrap_or_default()
    });
    let name = RwSignal::new(name);
    let languages = RwSignal::new(languages);
    let failed = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let pw_failed = RwSignal::new(None::<Failure>);
    let pw_done = RwSignal::new(false);

    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        failed.set(None);
        let body = ProfileUpdate {
            name: Some(name.get_untracked()),
            languages: Some(tags(&languages.get_untracked())),
            ..ProfileUpdate::default()
        };
        leptos::task::spawn_local(async move {
            match api::write::<_, Me>("PATCH", "/api/me", &body).await {
                Ok(_) => {
                    saved.try_set(true);
                }
                Err(f) => {
                    failed.try_set(Some(f));
                }
            }
        });
    };
    let change_password = move |ev: SubmitEvent| {
        ev.prevent_default();
        pw_done.set(false);
        pw_failed.set(None);
        let body = ProfileUpdate {
            password: Some(new_password.get_untracked()),
            current_password: Some(current.get_untracked()),
            ..ProfileUpdate::default()
        };
        leptos::task::spawn_local(async move {
            match api::write::<_, Me>("PATCH", "/api/me", &body).await {
                Ok(_) => {
                    pw_done.try_set(true);
                    current.try_set(String::new());
                    new_password.try_set(String::new());
                }
                Err(f) => {
                    pw_failed.try_set(Some(f));
                }
            }
        });
    };

    view! {
        <section class="settings-section">
            <h1>{move || lang.t(Key::Profile)}</h1>
            <p class="lead">{move || lang.t(Key::ProfileLead)}</p>
            <form class="card form" on:submit=save novalidate>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Name)}</span>
                    <input
                        type="text"
                        data-test="profile-name"
                        prop:value=move || name.get()
                        on:input=move |ev| {
                            saved.set(false);
                            name.set(event_target_value(&ev));
                        }
                    />
                    <FieldError failed field="name" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Languages)}</span>
                    <input
                        type="text"
                        dir="ltr"
                        data-test="profile-languages"
                        prop:value=move || languages.get()
                        on:input=move |ev| {
                            saved.set(false);
                            languages.set(event_target_value(&ev));
                        }
                    />
                    <span class="field-hint">{move || lang.t(Key::LanguagesHint)}</span>
                    <FieldError failed field="languages" />
                </label>
                <FormError failed fields=&["name", "languages"] />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-test="profile-save">
                        {move || lang.t(Key::Save)}
                    </button>
                    <SavedNote saved />
                </div>
            </form>
            <form class="card form" on:submit=change_password novalidate>
                <h2>{move || lang.t(Key::ChangePassword)}</h2>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::CurrentPassword)}</span>
                    <input
                        type="password"
                        autocomplete="current-password"
                        dir="ltr"
                        data-test="profile-current-password"
                        prop:value=move || current.get()
                        on:input=move |ev| current.set(event_target_value(&ev))
                    />
                    <FieldError failed=pw_failed field="current_password" />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::NewPassword)}</span>
                    <input
                        type="password"
                        autocomplete="new-password"
                        dir="ltr"
                        data-test="profile-new-password"
                        prop:value=move || new_password.get()
                        on:input=move |ev| new_password.set(event_target_value(&ev))
                    />
                    <FieldError failed=pw_failed field="password" />
                </label>
                <FormError failed=pw_failed fields=&["current_password", "password"] />
                {move || {
                    pw_done
                        .get()
                        .then(|| {
                            view! {
                                <p class="form-notice" role="status">
                                    {move || lang.t(Key::PasswordChanged)}
                                </p>
                            }
                        })
                }}
                <div class="form-actions">
                    <button type="submit" class="btn btn-secondary" data-test="profile-password-save">
                        {move || lang.t(Key::ChangePassword)}
                    </button>
                </div>
            </form>
        </section>
    }
}
