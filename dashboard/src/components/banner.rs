//! The error banner: the latest server error, in words, until dismissed or
//! replaced.

use crate::app::Lang;
use crate::desk::Desk;
use crate::i18n::Key;
use leptos::prelude::*;

/// Shows `desk.banner`.
#[component]
pub fn ErrorBanner() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    move || {
        desk.banner.get().map(|banner| {
            view! {
                <div class="banner" role="alert" data-test="error-banner">
                    <span class="banner-text">{move || lang.t(banner.key())}</span>
                    <button
                        type="button"
                        class="banner-close"
                        aria-label=move || lang.t(Key::Dismiss)
                        title=move || lang.t(Key::Dismiss)
                        on:click=move |_| desk.banner.set(None)
                    >
                        "×"
                    </button>
                </div>
            }
        })
    }
}
