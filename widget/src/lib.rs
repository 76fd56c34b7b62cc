//! Ahlan's visitor chat widget: a leptos app that runs in an iframe on
//! customers' pages (the loader, `loader/loader.js`, adds the iframe). It
//! keeps one websocket to the server, shows the conversation, and tells the
//! host page through `postMessage` when to resize the iframe and what
//! arrived. Contracts: `docs/ARCHITECTURE.md`; wire types: crate `shared`.
//!
//! Everything a customer's visitor downloads is counted, so the widget leans
//! on leptos, serde_json and the browser only.
//!
//! # Layout
//!
//! Plain logic, unit-tested natively:
//! - [`chat`] — `ChatState`: messages by seq, outbox, queue, agent, unread;
//!   applies server frames and returns the effects to carry out.
//! - [`callback`] — the callback offer, form and request (part of the chat).
//! - [`help`] — help articles: the help view's search and reading, the
//!   suggestions under the first message (part of the chat).
//! - [`i18n`] — locales (en, ar, fa), negotiation, every visible string.
//! - [`typing`] — when to send the draft to agents (typing preview).
//!
//! What the dashboard does alike comes from the `client` crate: the
//! reconnecting socket and its backoff, client ids, the message log (the
//! gap-free rule), the typing throttle, plural rules.
//! - [`config`] — the `WidgetConfig` embedded in the iframe page.
//! - [`look`] — the site's appearance as colours, title, greeting, side.
//! - [`storage`] — what `localStorage` keeps: token, outbox, read marker.
//! - [`host`] — `postMessage` to and from the host page.
//! - [`transcript`] — the conversation as an HTML file to download.
//!
//! Browser-only (wasm32):
//! - `conn` — the websocket (`client::socket` with visitor frames).
//! - `session` — the controller: state, connection, storage, host page.
//! - `ui` — components: launcher, panel, message list, composer.

pub mod callback;
pub mod chat;
pub mod config;
pub mod help;
pub mod host;
pub mod i18n;
pub mod look;
pub mod preview;
pub mod storage;
pub mod transcript;
pub mod typing;

#[cfg(target_arch = "wasm32")]
mod conn;
#[cfg(target_arch = "wasm32")]
mod session;
#[cfg(target_arch = "wasm32")]
mod ui;

/// Entry point: reads the configuration, mounts the app on `<body>` and
/// tells the host page it is ready.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let Some(config) = config::read() else {
        return;
    };
    let languages = browser_languages();
    // The snippet's `data-locale` first, then the site's setting.
    let forced = config
        .locale
        .as_deref()
        .or(config.appearance.locale.as_deref());
    let locale = i18n::Locale::negotiate(forced, &languages);
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.code());
        let _ = root.set_attribute("dir", locale.dir());
    }
    let mut look = look::Look::new(&config.appearance, &config.site_name, locale.is_rtl());
    // A proactive message fired: it is the team's first words.
    if let Some(text) = config
        .proactive
        .as_ref()
        .and_then(|p| p.messages.get(locale.code()))
    {
        look.greeting = Some(text.clone());
    }
    let side = look.side.as_str();

    if config.preview {
        start_preview(locale, look);
        return;
    }
    let host = host::Host::new(&config.host_origin);
    let browser_locale = languages.into_iter().next();
    let session = session::Session::start(config, locale.code(), browser_locale, host.clone());
    let ctx = ui::Ctx::new(session, locale, look);
    leptos::mount::mount_to_body(move || leptos::prelude::view! { <ui::App ctx /> });
    let open = leptos::prelude::WithUntracked::with_untracked(&ctx.state, |s| s.is_open());
    host.ready(locale.dir(), side, open);
}

/// The console's live preview: the panel open on a sample conversation, no
/// connection, and the look follows what the console page (our own
/// origin, the parent) sends as the owner edits.
#[cfg(target_arch = "wasm32")]
fn start_preview(locale: i18n::Locale, look: look::Look) {
    use leptos::prelude::{Set, WithUntracked};
    let Some(own) = web_sys::window().and_then(|w| w.location().origin().ok()) else {
        return;
    };
    let host = host::Host::new(&own);
    let now = js_sys::Date::now() as shared::Millis;
    let ctx = ui::Ctx::preview(preview::sample(locale, now), locale, look);
    leptos::mount::mount_to_body(move || leptos::prelude::view! { <ui::App ctx /> });
    host.listen_look(move |appearance, name| {
        if let Ok(appearance) = serde_json::from_str(&appearance) {
            ctx.look
                .set(look::Look::new(&appearance, &name, locale.is_rtl()));
        }
    });
    host.ready(
        locale.dir(),
        ctx.look.with_untracked(|l| l.side.as_str()),
        true,
    );
}

/// `navigator.languages`, most preferred first (or `navigator.language`).
#[cfg(target_arch = "wasm32")]
fn browser_languages() -> Vec<String> {
    let Some(navigator) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        list
    }
}
