//! The language switcher: a small select listing each language in itself.

use crate::app::Lang;
use crate::i18n::{Key, Locale};
use leptos::prelude::*;

/// A `<select>` of the dashboard's languages; the choice is remembered.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(locale) = Locale::from_tag(&event_target_value(&ev)) {
            lang.set(locale);
        }
    };
    view! {
        <select
            class="lang-switch"
            aria-label=move || lang.t(Key::Language)
            title=move || lang.t(Key::Language)
            on:change=on_change
        >
            {Locale::ALL
                .into_iter()
                .map(|locale| {
                    view! {
                        <option value=locale.code() selected=move || lang.get() == locale>
                            {locale.native_name()}
                        </option>
                    }
                })
                .collect_view()}
        </select>
    }
}
