//! The components. Each reads what it shows from [`Ctx`] and calls the
//! session's verbs; none holds logic worth testing on its own.

mod callback;
mod composer;
mod help;
mod launcher;
mod leave_message;
mod message_list;
mod panel;
mod prechat;
mod survey;
mod transcript_mail;

use crate::chat::ChatState;
use crate::i18n::{Locale, Text};
use crate::look::Look;
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
    /// The site's look (a signal: the console's preview changes it live).
    pub look: RwSignal<Look>,
    /// The site shows agents what the visitor types before it is sent.
    pub typing_preview: bool,
    /// The survey also asks the Net Promoter question.
    pub survey_nps: bool,
    /// The server sends mail: the conversation may be mailed.
    pub mails: bool,
    /// The site has help articles: the help view and suggestions.
    pub help: bool,
    /// The questions asked before the first message, if any.
    pub prechat: StoredValue<Option<shared::settings::PrechatForm>>,
    /// The open panel covers the whole screen: focus stays inside it.
    pub full_screen: RwSignal<bool>,
    /// The visitor closed the panel: the launcher takes the focus back.
    pub focus_launcher: RwSignal<bool>,
    /// `None` in the console's preview: nothing is sent anywhere.
    session: StoredValue<Option<Session>, LocalStorage>,
}

impl Ctx {
    /// Builds the context around a started session.
    pub fn new(session: Session, locale: Locale, look: Look) -> Self {
        Ctx {
            state: session.state(),
            draft: session.draft(),
            locale,
            look: RwSignal::new(look),
            typing_preview: session.typing_preview(),
            survey_nps: session.survey_nps(),
            mails: session.mails(),
            help: session.has_help(),
            prechat: StoredValue::new(session.prechat_form()),
            full_screen: session.full_screen(),
            focus_launcher: session.focus_launcher(),
            session: StoredValue::new_local(Some(session)),
        }
    }

    /// A context with no connection, showing `state` (the console's
    /// preview).
    pub fn preview(state: ChatState, locale: Locale, look: Look) -> Self {
        Ctx {
            state: RwSignal::new(state),
            draft: RwSignal::new(String::new()),
            locale,
            look: RwSignal::new(look),
            typing_preview: false,
            survey_nps: false,
            mails: false,
            help: false,
            prechat: StoredValue::new(None),
            full_screen: RwSignal::new(false),
            focus_launcher: RwSignal::new(false),
            session: StoredValue::new_local(None),
        }
    }

    /// A string in the UI language.
    pub fn t(&self, text: Text) -> &'static str {
        self.locale.text(text)
    }

    /// Runs `f` with the session (for event handlers); nothing in a
    /// preview.
    pub fn session(&self, f: impl FnOnce(&Session)) {
        self.session.with_value(|s| {
            if let Some(s) = s {
                f(s);
            }
        });
    }
}

/// The root: the launcher while closed, the panel while open. The site's
/// colours are CSS variables on it; `data-side` puts the launcher on the
/// owner's side.
#[component]
pub fn App(ctx: Ctx) -> impl IntoView {
    provide_context(ctx);
    let open = move || ctx.state.with(|s| s.is_open());
    let vars = move || ctx.look.with(Look::css_vars);
    let side = move || ctx.look.with(|l| l.side.as_str());
    view! {
        <div class="ahlan" dir=ctx.locale.dir() lang=ctx.locale.code() style=vars data-side=side>
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

    /// An arrow into a tray: download.
    pub fn download() -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                    d="M12 4v11m-4.5-4.5L12 15l4.5-4.5M5 19h14"
                />
            </svg>
        }
    }

    /// An envelope: mail it.
    pub fn mail() -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linejoin="round"
                    d="M4 6h16v12H4zM4 7l8 6 8-6"
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

    /// A question mark in a circle: help.
    pub fn help() -> impl IntoView {
        view! {
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2" />
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linecap="round"
                    d="M9.6 9.4a2.5 2.5 0 1 1 3.4 2.3c-.6.3-1 .8-1 1.5v.4"
                />
                <circle cx="12" cy="16.9" r="1.2" fill="currentColor" />
            </svg>
        }
    }

    /// A page with lines: an article.
    pub fn article() -> impl IntoView {
        view! {
            <svg class="icon icon-small" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    stroke-linejoin="round"
                    d="M6 3h9l4 4v14H6zM9 11h7M9 15h7"
                />
            </svg>
        }
    }

    /// An arrow pointing back (mirrored in RTL by the stylesheet).
    pub fn back() -> impl IntoView {
        view! {
            <svg class="icon icon-small" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2.2"
                    stroke-linecap="round"
                    stroke-linejoin="round"
                    d="M15 5l-7 7 7 7"
                />
            </svg>
        }
    }

    /// An eye: someone sees this.
    pub fn eye() -> impl IntoView {
        view! {
            <svg class="icon icon-small" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path
                    fill="none"
                    stroke="currentColor"
                    stroke-width="2"
                    d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12Z"
                />
                <circle cx="12" cy="12" r="3" fill="currentColor" />
            </svg>
        }
    }
}
