//! The logged-in dashboard: the top bar with its navigation, then the
//! inbox (the two conversation lists and the open conversation), the
//! history or a settings page, by the [`Route`] in the URL's hash. Owns the [`Desk`]
//! (state + socket) for as long as the agent is logged in, so the socket,
//! presence and alerts stay up while they work in the settings.

use crate::app::Lang;
use crate::components::banner::ErrorBanner;
use crate::components::conversation_list::{ConversationList, ListKind};
use crate::components::conversation_view::ConversationPane;
use crate::components::top_bar::TopBar;
use crate::desk::Desk;
use crate::i18n::Key;
use crate::notify;
use crate::pages::callbacks::CallbacksPage;
use crate::pages::history::HistoryPage;
use crate::pages::reports::ReportsPage;
use crate::pages::settings::SettingsPage;
use crate::route::Route;
use leptos::prelude::*;
use shared::api::{DashboardConfig, Me};

/// The screen being shown, as context: read it, or [`navigate`].
#[derive(Clone, Copy)]
pub struct Screen(pub RwSignal<Route>);

/// Shows `route` (through the URL, so back and reload work).
pub fn navigate(route: &Route) {
    let _ = window().location().set_hash(&route.hash());
}

fn current_route() -> Route {
    Route::parse(&window().location().hash().unwrap_or_default())
}

/// The logged-in dashboard for `me`.
#[component]
pub fn InboxPage(me: Me) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let config = expect_context::<DashboardConfig>();
    let desk = Desk::start(&me, config.ws_url, config.auto_away_secs);
    provide_context(desk);
    let screen = Screen(RwSignal::new(current_route()));
    provide_context(screen);
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        screen.0.set(current_route());
    });
    on_cleanup(move || listener.remove());

    let attention = Memo::new(move |_| desk.inbox.with(|inbox| inbox.attention()));
    Effect::new(move |_| notify::set_title(&notify::title_text(lang.get(), attention.get())));
    let in_settings = Memo::new(move |_| screen.0.with(Route::is_settings));
    let in_history = Memo::new(move |_| screen.0.with(|r| *r == Route::History));
    let in_reports = Memo::new(move |_| screen.0.with(|r| *r == Route::Reports));
    let in_callbacks = Memo::new(move |_| screen.0.with(|r| *r == Route::Callbacks));

    view! {
        <div class="inbox-app">
            <TopBar />
            <ErrorBanner />
            <Show when=move || in_history.get()>
                <HistoryPage />
            </Show>
            <Show when=move || in_reports.get()>
                <ReportsPage />
            </Show>
            <Show when=move || in_callbacks.get()>
                <CallbacksPage />
            </Show>
            <Show
                when=move || {
                    in_settings.get() || in_history.get() || in_reports.get() || in_callbacks.get()
                }
                fallback=move || {
                    view! {
                        // On a phone the lists and the open conversation are
                        // two screens; this says which one shows.
                        <div
                            class="workspace"
                            class:has-selection=move || desk.inbox.with(|i| i.selected().is_some())
                        >
                            <nav class="sidebar" aria-label=move || lang.t(Key::Conversations)>
                                <ConversationList kind=ListKind::Waiting />
                                <ConversationList kind=ListKind::Mine />
                            </nav>
                            <main class="pane">
                                <ConversationPane />
                            </main>
                        </div>
                    }
                }
            >
                <Show when=move || in_settings.get()>
                    <SettingsPage />
                </Show>
            </Show>
        </div>
    }
}
