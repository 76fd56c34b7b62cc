//! The open chat: header, connection banner, conversation, composer.

use super::composer::Composer;
use super::message_list::MessageList;
use super::{icons, Ctx};
use crate::chat::Link;
use crate::i18n::Text;
use leptos::prelude::*;
use web_sys::KeyboardEvent;

/// The panel; fills the iframe, which the loader sizes.
#[component]
pub fn Panel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let site_name = ctx.site_name.get_value();
    let agent_name = move || ctx.state.with(|s| s.agent().map(|a| a.name.clone()));
    let subtitle = move || match agent_name() {
        Some(name) => ctx.locale.fill(Text::ChattingWith, &name),
        None => ctx.t(Text::ReplySoon).to_owned(),
    };
    let avatar = {
        let site_name = site_name.clone();
        move || initial(&agent_name().unwrap_or_else(|| site_name.clone()))
    };
    let reconnecting = move || ctx.state.with(|s| s.link() == Link::Reconnecting);
    let close = move || ctx.session(|s| s.set_open(false));
    let label = site_name.clone();

    view! {
        <section
            class="panel"
            data-test="panel"
            role="dialog"
            aria-label=label
            on:keydown=move |ev: KeyboardEvent| {
                if ev.key() == "Escape" {
                    close();
                }
            }
        >
            <header class="header">
                <div class="avatar" aria-hidden="true">{avatar}</div>
                <div class="titles">
                    <h1 class="title">{site_name}</h1>
                    <p class="subtitle">{subtitle}</p>
                </div>
                <button
                    class="close"
                    type="button"
                    data-test="close"
                    aria-label=ctx.t(Text::CloseChat)
                    on:click=move |_| close()
                >
                    {icons::close()}
                </button>
            </header>
            <Show when=reconnecting>
                <div class="banner" data-test="reconnecting" role="status">
                    {ctx.t(Text::Reconnecting)}
                </div>
            </Show>
            <MessageList />
            <Composer />
        </section>
    }
}

/// The first letter of a name, for the avatar.
fn initial(name: &str) -> String {
    name.trim()
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default()
}
