//! The inbox: top bar, the two conversation lists, and the open
//! conversation. Owns the [`Desk`] (state + socket) for as long as the
//! agent is logged in.

use crate::app::Lang;
use crate::components::banner::ErrorBanner;
use crate::components::conversation_list::{ConversationList, ListKind};
use crate::components::conversation_view::ConversationPane;
use crate::components::top_bar::TopBar;
use crate::desk::Desk;
use crate::i18n::Key;
use crate::notify;
use leptos::prelude::*;
use shared::api::{DashboardConfig, Me};

/// The inbox page for the logged-in agent.
#[component]
pub fn InboxPage(me: Me) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let config = expect_context::<DashboardConfig>();
    let desk = Desk::start(&me, config.ws_url);
    provide_context(desk);

    let attention = Memo::new(move |_| desk.inbox.with(|inbox| inbox.attention()));
    Effect::new(move |_| notify::set_title(&notify::title_text(lang.get(), attention.get())));

    view! {
        <div class="inbox-app">
            <TopBar />
            <ErrorBanner />
            <div class="workspace">
                <nav class="sidebar" aria-label=move || lang.t(Key::Conversations)>
                    <ConversationList kind=ListKind::Waiting />
                    <ConversationList kind=ListKind::Mine />
                </nav>
                <main class="pane">
                    <ConversationPane />
                </main>
            </div>
        </div>
    }
}
