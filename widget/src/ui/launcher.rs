//! The round button shown while the panel is closed, with the unread badge.

use super::{icons, Ctx};
use crate::i18n::Text;
use leptos::prelude::*;

/// The launcher.
#[component]
pub fn Launcher() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let unread = move || ctx.state.with(|s| s.unread());
    let button = NodeRef::<leptos::html::Button>::new();
    // Back from the panel the visitor closed: the focus returns here (not
    // on a page load: that would take it from the host page).
    Effect::new(move |_| {
        if let Some(el) = button.get() {
            if ctx.focus_launcher.get_untracked() {
                ctx.focus_launcher.set(false);
                let _ = el.focus();
            }
        }
    });
    view! {
        <button
            node_ref=button
            class="launcher"
            type="button"
            data-test="launcher"
            aria-label=ctx.t(Text::OpenChat)
            on:click=move |_| ctx.session(|s| s.set_open(true))
        >
            {icons::chat()}
            <Show when=move || { unread() > 0 }>
                <span
                    class="badge"
                    role="status"
                    aria-label=move || {
                        let n = unread();
                        ctx.locale.unread_messages(u64::from(n), &n.to_string())
                    }
                >
                    {move || if unread() > 9 { "9+".to_owned() } else { unread().to_string() }}
                </span>
            </Show>
        </button>
    }
}
