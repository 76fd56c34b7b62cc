//! Pieces every console form uses: the error beside a field (localized,
//! with the server's detail underneath), the error of a whole form, the
//! "Saved" line, a destructive action asked twice, and the buttons under a
//! row edited in place.

use crate::api::{ApiError, Failure};
use crate::app::{request_error_key, Lang};
use crate::i18n::Key;
use leptos::prelude::*;
use shared::ErrorCode;

/// The last failure of a form, as context for its fields.
pub type Failed = RwSignal<Option<Failure>>;

/// Whether `failure` is about `field` (`allowed_origins` covers
/// `allowed_origins[2]`, `appearance` covers `appearance.accent_color`).
pub fn is_about(failure: &Failure, field: &str) -> bool {
    failure.field.as_deref().is_some_and(|f| {
        f == field
            || f.strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
    })
}

/// The text for a failure: by code; a bad field gets the generic "check
/// this field" (the detail line says exactly what).
pub fn failure_key(failure: &Failure) -> Key {
    match failure.error {
        ApiError::Server(ErrorCode::BadRequest) if failure.field.is_some() => Key::FieldInvalid,
        other => request_error_key(other),
    }
}

/// The error under one field, when the failure is about it.
#[component]
pub fn FieldError(failed: Failed, field: &'static str) -> impl IntoView {
    let lang = expect_context::<Lang>();
    move || {
        failed.with(|f| {
            f.as_ref().filter(|f| is_about(f, field)).map(|f| {
                let key = failure_key(f);
                let detail = f.detail.clone();
                view! {
                    <p class="field-error" role="alert" data-test="field-error" data-field=field>
                        {lang.t(key)}
                        {detail.map(|d| view! { <small lang="en" dir="ltr">{d}</small> })}
                    </p>
                }
            })
        })
    }
}

/// The error of the whole form, when it is not about one of `fields`.
#[component]
pub fn FormError(failed: Failed, fields: &'static [&'static str]) -> impl IntoView {
    let lang = expect_context::<Lang>();
    move || {
        failed.with(|f| {
            f.as_ref()
                .filter(|f| !fields.iter().any(|field| is_about(f, field)))
                .map(|f| {
                    let key = failure_key(f);
                    view! {
                        <p class="form-error" role="alert" data-test="form-error">
                            {lang.t(key)}
                        </p>
                    }
                })
        })
    }
}

/// "Saved", shown after a save until the next edit.
#[component]
pub fn SavedNote(saved: RwSignal<bool>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    move || {
        saved.get().then(|| {
            view! {
                <span class="saved-note" role="status" data-test="saved">
                    {lang.t(Key::Saved)}
                </span>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(field: Option<&str>) -> Failure {
        Failure {
            error: ApiError::Server(ErrorCode::BadRequest),
            field: field.map(str::to_owned),
            detail: None,
        }
    }

    #[test]
    fn a_field_covers_its_items_and_members_only() {
        assert!(is_about(
            &failure(Some("allowed_origins[2]")),
            "allowed_origins"
        ));
        assert!(is_about(
            &failure(Some("appearance.accent_color")),
            "appearance"
        ));
        assert!(is_about(&failure(Some("name")), "name"));
        assert!(!is_about(&failure(Some("names")), "name"));
        assert!(!is_about(&failure(None), "name"));
        assert_eq!(failure_key(&failure(Some("name"))), Key::FieldInvalid);
        assert_eq!(failure_key(&failure(None)), Key::ErrProtocol);
    }
}

/// A destructive action asked twice: a button (`label`, hook `test`) that
/// shows `question` with the confirming button (`confirm`, hook
/// `<test>-confirm`, running `on_confirm`) and Cancel.
#[component]
pub fn Confirmed(
    /// Whether the question is shown (the caller resets it when done).
    asking: RwSignal<bool>,
    /// The first button's text.
    label: Key,
    /// The confirming button's text.
    confirm: Key,
    /// The question.
    #[prop(into)]
    question: Signal<String>,
    /// Test hook of the first button; the others add `-confirm`,
    /// `-confirm-text`.
    test: &'static str,
    /// Smaller buttons (inside a card's body).
    #[prop(optional)]
    small: bool,
    /// What the confirming button does.
    on_confirm: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let size = if small { " btn-small" } else { "" };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                view! {
                    <button
                        type="button"
                        class=format!("btn btn-danger-outline{size}")
                        data-test=test
                        on:click=move |_| asking.set(true)
                    >
                        {move || lang.t(label)}
                    </button>
                }
            }
        >
            <p role="alert" data-test=format!("{test}-confirm-text")>{move || question.get()}</p>
            <div class="form-actions">
                <button
                    type="button"
                    class=format!("btn btn-danger{size}")
                    data-test=format!("{test}-confirm")
                    on:click={
                        let on_confirm = on_confirm.clone();
                        move |_| on_confirm()
                    }
                >
                    {move || lang.t(confirm)}
                </button>
                <button
                    type="button"
                    class=format!("btn btn-ghost{size}")
                    on:click=move |_| asking.set(false)
                >
                    {move || lang.t(Key::Cancel)}
                </button>
            </div>
        </Show>
    }
}

/// Runs a list row's request: `done` on success, else the failure shown
/// in the row (`failed`).
pub fn settle<T: 'static>(
    request: impl std::future::Future<Output = Result<T, crate::api::Failure>> + 'static,
    done: Callback<()>,
    failed: Failed,
) {
    leptos::task::spawn_local(async move {
        match request.await {
            Ok(_) => done.run(()),
            Err(f) => {
                failed.try_set(Some(f));
            }
        }
    });
}

/// A list row's "Edit" button (`{prefix}-edit`): the row turns into its
/// form.
#[component]
pub fn RowEditButton(prefix: &'static str, editing: RwSignal<bool>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <button
            type="button"
            class="btn btn-secondary btn-small"
            data-test=format!("{prefix}-edit")
            on:click=move |_| editing.set(true)
        >
            {move || lang.t(Key::Edit)}
        </button>
    }
}

/// The buttons under a list row edited in place: save (submits the row's
/// form), cancel (`editing` off), and, apart, delete (`DELETE path`, then
/// `on_deleted`; a failure shows in the row). `prefix` names their hooks
/// (`{prefix}-save`, `{prefix}-delete`).
#[component]
pub fn RowEditActions(
    prefix: &'static str,
    editing: RwSignal<bool>,
    path: StoredValue<String>,
    on_deleted: Callback<()>,
    failed: Failed,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let delete = move |_| {
        let path = path.get_value();
        settle(
            async move { crate::api::delete(&path).await },
            on_deleted,
            failed,
        );
    };
    view! {
        <div class="form-actions">
            <button type="submit" class="btn btn-primary btn-small" data-test=format!("{prefix}-save")>
                {move || lang.t(Key::Save)}
            </button>
            <button type="button" class="btn btn-ghost btn-small" on:click=move |_| editing.set(false)>
                {move || lang.t(Key::Cancel)}
            </button>
            <span class="spacer"></span>
            <button
                type="button"
                class="btn btn-danger-outline btn-small"
                data-test=format!("{prefix}-delete")
                on:click=delete
            >
                {move || lang.t(Key::Delete)}
            </button>
        </div>
    }
}
