//! The login page: email and password, localized errors per code, and on
//! success the inbox.

use crate::api::{self, ApiError};
use crate::app::{request_error_key, Lang, Session};
use crate::components::lang_switch::LangSwitch;
use crate::i18n::{self, Key};
use crate::notify;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::LoginRequest;
use shared::ErrorCode;

/// The text for a failed login.
fn login_error(error: ApiError) -> Key {
    match error {
        ApiError::Server(ErrorCode::InvalidCredentials | ErrorCode::BadRequest) => Key::LoginWrong,
        other => request_error_key(other),
    }
}

/// The login form. `notice` says why the agent is here, when it is not
/// simply a fresh visit.
#[component]
pub fn LoginPage(notice: Option<Key>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let session = expect_context::<RwSignal<Session>>();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Key>);
    let notice = RwSignal::new(notice);
    let busy = RwSignal::new(false);

    Effect::new(move |_| {
        notify::set_title(&format!("{} · {}", lang.t(Key::SignInTitle), i18n::PRODUCT));
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        notice.set(None);
        let request = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let result = api::login(&request).await;
            match result {
                Ok(me) => session.set(Session::LoggedIn(me)),
                Err(e) => {
                    busy.try_set(false);
                    error.try_set(Some(login_error(e)));
                }
            }
        });
    };

    view! {
        <main class="login">
            <div class="login-lang">
                <LangSwitch />
            </div>
            // The browser's own validation would speak the browser's
            // language, not the dashboard's: the server decides.
            <form class="login-card" on:submit=submit novalidate>
                <div class="brand brand-large">
                    <span class="logo-mark" aria-hidden="true"></span>
                    <span>{i18n::PRODUCT}</span>
                </div>
                <h1>{move || lang.t(Key::SignInTitle)}</h1>
                <p class="lead">{move || lang.t(Key::SignInLead)}</p>
                {move || {
                    notice
                        .get()
                        .map(|key| view! { <p class="form-notice" role="status">{lang.t(key)}</p> })
                }}
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Email)}</span>
                    <input
                        type="email"
                        name="email"
                        data-test="login-email"
                        autocomplete="username"
                        dir="ltr"
                        required
                        bind:value=email
                    />
                </label>
                <label class="field">
                    <span class="field-label">{move || lang.t(Key::Password)}</span>
                    <input
                        type="password"
                        name="password"
                        data-test="login-password"
                        autocomplete="current-password"
                        dir="ltr"
                        required
                        bind:value=password
                    />
                </label>
                {move || {
                    error
                        .get()
                        .map(|key| {
                            view! {
                                <p class="form-error" role="alert" data-test="login-error">
                                    {lang.t(key)}
                                </p>
                            }
                        })
                }}
                <button
                    type="submit"
                    class="btn btn-primary btn-block"
                    data-test="login-submit"
                    disabled=move || busy.get()
                >
                    {move || lang.t(if busy.get() { Key::SigningIn } else { Key::SignIn })}
                </button>
            </form>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_errors_by_code() {
        assert_eq!(
            login_error(ApiError::Server(ErrorCode::InvalidCredentials)),
            Key::LoginWrong
        );
        assert_eq!(
            login_error(ApiError::Server(ErrorCode::TooManyAttempts)),
            Key::LoginTooMany
        );
        assert_eq!(login_error(ApiError::Network), Key::Network);
        assert_eq!(login_error(ApiError::Unexpected(502)), Key::Unexpected);
        assert_eq!(
            login_error(ApiError::Server(ErrorCode::Unavailable)),
            Key::ErrServer
        );
    }
}
