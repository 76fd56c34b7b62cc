//! The presence toggle: online (takes new chats) or away.

use crate::app::Lang;
use crate::conn::ConnState;
use crate::desk::Desk;
use crate::i18n::Key;
use leptos::prelude::*;
use shared::protocol::{Presence, Presence as P};

fn state(presence: Option<Presence>) -> &'static str {
    match presence {
        Some(P::Online) => "online",
        Some(P::Away) => "away",
        Some(P::Offline) | None => "offline",
    }
}

/// `[data-test=presence]`: a button whose `data-state` is the agent's
/// presence; a click switches it.
#[component]
pub fn PresenceToggle() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let presence = Memo::new(move |_| desk.inbox.with(|inbox| inbox.presence()));
    let label = move || {
        lang.t(match presence.get() {
            Some(P::Online) => Key::Online,
            Some(P::Away) => Key::Away,
            Some(P::Offline) | None => Key::Offline,
        })
    };
    view! {
        <button
            type="button"
            class="presence"
            // While the socket is down the server counts the agent as
            // offline, whatever the button says.
            class:stale=move || desk.conn.state() != ConnState::Connected
            data-test="presence"
            data-state=move || state(presence.get())
            aria-pressed=move || (presence.get() == Some(P::Online)).to_string()
            title=move || lang.t(Key::AvailabilityHint)
            on:click=move |_| desk.toggle_presence()
        >
            <span class="dot" aria-hidden="true"></span>
            <span>{label}</span>
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_state_names_the_presence() {
        assert_eq!(state(Some(P::Online)), "online");
        assert_eq!(state(Some(P::Away)), "away");
        assert_eq!(state(None), "offline");
    }
}
