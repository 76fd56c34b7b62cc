//! The connection badge: whether the agent socket is up.

use crate::app::Lang;
use crate::conn::ConnState;
use crate::desk::Desk;
use crate::i18n::Key;
use leptos::prelude::*;

/// `[data-test=connection]` with `data-state` connected / reconnecting.
#[component]
pub fn ConnectionBadge() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let state = Memo::new(move |_| desk.conn.state());
    let label = move || {
        lang.t(match state.get() {
            ConnState::Connected => Key::Connected,
            ConnState::Connecting => Key::Connecting,
            ConnState::Reconnecting => Key::Reconnecting,
        })
    };
    view! {
        <span
            class="connection"
            data-test="connection"
            data-state=move || state.get().data_state()
            role="status"
            aria-live="polite"
        >
            <span class="dot" aria-hidden="true"></span>
            <span class="connection-label">{label}</span>
        </span>
    }
}
