//! The root component and the two app-wide contexts: the session (which
//! page to show) and the language.

use crate::api::{self, ApiError};
use crate::config;
use crate::i18n::{self, Key, Locale};
use crate::pages::{inbox::InboxPage, login::LoginPage};
use leptos::prelude::*;
use shared::api::Me;

/// `localStorage` key of the agent's language choice.
const LOCALE_KEY: &str = "ahlan:dashboard:locale";

/// Which page the dashboard shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Session {
    /// Asking the server whether the session cookie is still good.
    Checking,
    /// The login page, with a line saying why if there is one.
    LoggedOut {
        /// Shown above the form (session ended, server unreachable).
        notice: Option<Key>,
    },
    /// The inbox.
    LoggedIn(Me),
}

/// The language context: read reactively, so every text follows a switch.
#[derive(Debug, Clone, Copy)]
pub struct Lang(RwSignal<Locale>);

impl Lang {
    /// The current locale (reactive).
    pub fn get(self) -> Locale {
        self.0.get()
    }

    /// The current locale, without subscribing.
    pub fn get_untracked(self) -> Locale {
        self.0.get_untracked()
    }

    /// The text of `key` (reactive).
    pub fn t(self, key: Key) -> &'static str {
        self.get().text(key)
    }

    /// Switches language and remembers the choice.
    pub fn set(self, locale: Locale) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(LOCALE_KEY, locale.code());
        }
        self.0.set(locale);
    }

    fn detect() -> Lang {
        let stored = local_storage().and_then(|s| s.get_item(LOCALE_KEY).ok().flatten());
        let browser: Vec<String> = window()
            .navigator()
            .languages()
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        Lang(RwSignal::new(i18n::Locale::negotiate(
            stored.as_deref(),
            &browser,
        )))
    }
}

/// `localStorage`, if the browser allows it (it may not, in private modes).
fn local_storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The text for a failed request, at login or logout.
pub fn request_error_key(error: ApiError) -> Key {
    match error {
        ApiError::Server(code) => i18n::error_key(code),
        ApiError::Network => Key::Network,
        ApiError::Unexpected(_) => Key::Unexpected,
    }
}

/// The whole dashboard.
#[component]
pub fn App() -> impl IntoView {
    provide_context(config::load());
    let lang = Lang::detect();
    provide_context(lang);
    let session = RwSignal::new(Session::Checking);
    provide_context(session);

    Effect::new(move |_| {
        let locale = lang.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", locale.code());
            let _ = root.set_attribute("dir", locale.dir());
        }
    });

    leptos::task::spawn_local(async move {
        let next = match api::me().await {
            Ok(Some(me)) => Session::LoggedIn(me),
            Ok(None) => Session::LoggedOut { notice: None },
            Err(e) => Session::LoggedOut {
                notice: Some(request_error_key(e)),
            },
        };
        session.set(next);
    });

    // Only a change of page rebuilds the tree.
    let page = Memo::new(move |_| session.get());
    move || match page.get() {
        Session::Checking => view! {
            <div class="boot" role="status">
                <span class="logo-mark" aria-hidden="true"></span>
                <span>{move || lang.t(Key::Loading)}</span>
            </div>
        }
        .into_any(),
        Session::LoggedOut { notice } => view! { <LoginPage notice=notice /> }.into_any(),
        Session::LoggedIn(me) => view! { <InboxPage me=me /> }.into_any(),
    }
}

/// Mounts the app on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(App);
}
