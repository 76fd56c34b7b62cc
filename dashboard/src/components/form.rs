//! Pieces every console form uses: the error beside a field (localized,
//! with the server's detail underneath), the error of a whole form, and the
//! "Saved" line.

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
