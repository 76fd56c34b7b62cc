//! The components. Each reads what it shows from [`Ctx`] and calls the
//! session's verbs; none holds logic worth testing on its own.

mod composer;
mod launcher;
mod message_list;
mod panel;

use crate::chat::ChatState;
use crate::i18n::{Locale, Text};
use crate::session::Session;
use leptos::prelude::*;

/// What every component needs, provided once as context. `Copy`, so
/// closures can capture it freely.
#[derive(Clone, Copy)]
pub struct Ctx {
    /// The chat.
    pub state: RwSignal<ChatState>,
    /// The composer's text.
    pub draft: RwSignal<String>,
    /// The UI language.
    pub locale: Locale,
    /// The site's display name.
    pub site_name: StoredValue<String>,
    session: StoredValue<Session, LocalStorage>,
}

impl Ctx {
    /// Builds the context around a started session.
    pub fn new(session: Session, locale: Locale, site_name: String) -> Self {
        Ctx {
            state: session.state(),
            draft: session.draft(),
            locale,
            site_name: StoredValue::new(site_name),
            session: StoredValue::new_local(session),
        }
    }

    /// A string in the UI language.
    pub fn t(&self, text: Text) -> &'static str {
        self.locale.text(text)
    }

    /// Runs `f` with the session (for event handlers).
    pub fn session(&self, f: impl FnOnce(&Session)) {
        self.session.with_value(f);
    }
}

/// The root: the launcher while closed, the panel while open.
#[component]
pub fn App(ctx: Ctx) -> impl IntoView {
    provide_context(ctx);
    let open = move || ctx.state.with(|s| s.is_open());
    view! {
        <div class="ahlan" dir=ctx.locale.dir() lang=ctx.locale.code()>
            <Show when=open fallback=launcher::Launcher>
                <panel::Panel />
            </Show>
        </div>
    }
}

/// Inline SVG icons: a few paths cost less than any icon font or image
/// request on a customer's page.
pub(crate) mod icons {
    use leptos::prelude::*;

    /// A speech bubble.
    pub fn chat() -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    d="M12 3C6.48 3 2 6.82 2 11.5c0 2.42 1.2 4.6 3.13 6.15L4.3 21.2a.6.6 0 0 0 .84.68l4.05-1.95c.9.2 1.85.32 2.81.32 5.52 0 10-3.82 10-8.5S17.52 3 12 3Z"
                />
            </svg>
        }
    }

    /// A cross.
    pub fn close() -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2.2"
                    stroke-linecap="round"
                    d="M6 6l12 12M18 6L6 18"
                />
            </svg>
        }
    }

    /// A paper plane (mirrored in RTL by the stylesheet).
    pub fn send() -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="currentColor"
                    d="M3.4 20.4 21.85 12.8a.9.9 0 0 0 0-1.6L3.4 3.6a.9.9 0 0 0-1.25 1.05L4.3 12l-2.15 7.35a.9.9 0 0 0 1.25 1.05ZM4.3 12h8.2"
                />
            </svg>
        }
    }
}
