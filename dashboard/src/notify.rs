//! Getting the agent's attention: the page title carries a count, and a
//! browser notification announces a new waiting visitor or assignment when
//! the tab is not in front.
//!
//! Permission is asked only from a click ([`request_permission`] behind a
//! button): browsers ignore or penalise prompts that come on page load.
//! A short chime (two soft tones, made with Web Audio: no sound file to
//! download) can go with each; browsers let a page play sound only after
//! the user interacted with it, so [`unlock_sound`] runs on input.

use crate::i18n::{self, Key, Locale};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationOptions, NotificationPermission};

/// Where notifications stand in this browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Not asked yet: offer the button.
    Ask,
    /// Allowed.
    Granted,
    /// Refused, or the browser has no notifications.
    Unavailable,
}

/// The page title for `count` things needing attention.
pub fn title_text(locale: Locale, count: u32) -> String {
    let base = format!("{} · {}", locale.text(Key::TitleInbox), i18n::PRODUCT);
    if count == 0 {
        base
    } else {
        format!("({}) {base}", locale.number(count))
    }
}

/// Sets `document.title`.
pub fn set_title(title: &str) {
    leptos::prelude::document().set_title(title);
}

fn supported() -> bool {
    js_sys::Reflect::has(
        &leptos::prelude::window(),
        &JsValue::from_str("Notification"),
    )
    .unwrap_or(false)
}

/// The current permission.
pub fn permission() -> Permission {
    if !supported() {
        return Permission::Unavailable;
    }
    match Notification::permission() {
        NotificationPermission::Granted => Permission::Granted,
        NotificationPermission::Default => Permission::Ask,
        _ => Permission::Unavailable,
    }
}

/// Asks the browser; call only from a user gesture.
pub async fn request_permission() -> Permission {
    if !supported() {
        return Permission::Unavailable;
    }
    if let Ok(promise) = Notification::request_permission() {
        let _ = JsFuture::from(promise).await;
    }
    permission()
}

/// Shows a notification if allowed and the agent is not looking at the
/// page; clicking it brings the tab forward and runs `on_click`. `tag`
/// makes a second notice about the same conversation replace the first.
pub fn show(locale: Locale, title: &str, body: &str, tag: &str, on_click: impl FnOnce() + 'static) {
    let document = leptos::prelude::document();
    let in_front = !document.hidden() && document.has_focus().unwrap_or(true);
    if in_front || permission() != Permission::Granted {
        return;
    }
    let options = NotificationOptions::new();
    options.set_body(body);
    options.set_tag(tag);
    options.set_lang(locale.code());
    let Ok(notification) = Notification::new_with_options(title, &options) else {
        return;
    };
    let handle = notification.clone();
    let click = Closure::once_into_js(move || {
        let _ = leptos::prelude::window().focus();
        handle.close();
        on_click();
    });
    notification.set_onclick(Some(click.unchecked_ref()));
}

thread_local! {
    static AUDIO: std::cell::RefCell<Option<web_sys::AudioContext>> =
        const { std::cell::RefCell::new(None) };
}

/// Makes (or wakes) the page's audio context; call from user input.
pub fn unlock_sound() {
    AUDIO.with(|audio| {
        let mut audio = audio.borrow_mut();
        if audio.is_none() {
            *audio = web_sys::AudioContext::new().ok();
        }
        if let Some(ctx) = audio.as_ref() {
            if ctx.state() == web_sys::AudioContextState::Suspended {
                let _ = ctx.resume();
            }
        }
    });
}

/// Plays the chime, if the page may make sound yet.
pub fn chime() {
    let Some(ctx) = AUDIO.with(|audio| audio.borrow().clone()) else {
        return;
    };
    let now = ctx.current_time();
    for (i, frequency) in [660.0f32, 880.0].into_iter().enumerate() {
        let (Ok(tone), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
            return;
        };
        let start = now + i as f64 * 0.16;
        tone.frequency().set_value(frequency);
        let level = gain.gain();
        let _ = level.set_value_at_time(0.0, start);
        let _ = level.linear_ramp_to_value_at_time(0.12, start + 0.02);
        let _ = level.linear_ramp_to_value_at_time(0.0, start + 0.15);
        let _ = tone.connect_with_audio_node(&gain);
        let _ = gain.connect_with_audio_node(&ctx.destination());
        let _ = tone.start_with_when(start);
        let _ = tone.stop_with_when(start + 0.16);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_counts_only_when_there_is_something() {
        assert_eq!(title_text(Locale::En, 0), "Inbox · Ahlan");
        assert_eq!(title_text(Locale::En, 3), "(3) Inbox · Ahlan");
        assert_eq!(title_text(Locale::Ar, 12), "(١٢) صندوق الوارد · Ahlan");
    }
}
