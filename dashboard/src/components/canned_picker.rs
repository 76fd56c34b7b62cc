//! The canned-response picker above the composer: opened by a `/` at the
//! start of a word, narrowed by what follows it, driven by the keyboard
//! (arrows, Enter, Esc) or the mouse. The composer owns the draft and
//! the keys; this module draws the list and holds the small rules.

use crate::app::Lang;
use crate::i18n::Key;
use leptos::prelude::*;
use shared::api::CannedResponse;

/// At most this many suggestions show at once.
pub const SHOWN: usize = 8;

/// The option after moving `delta` from `active` among `len`, wrapping
/// around at both ends (`len` 0: nothing to move).
pub fn step(active: usize, len: usize, delta: isize) -> usize {
    if len == 0 {
        return 0;
    }
    (active as isize + delta).rem_euclid(len as isize) as usize
}

/// The first line of a response's text, shortened for the list.
pub fn preview(body: &str) -> String {
    let line = body.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(80).collect();
    if short.len() < line.len() || body.lines().nth(1).is_some() {
        short.push('…');
    }
    short
}

/// `[data-test=canned-picker]` with one `[data-test=canned-option]` per
/// match; `on_pick` gets the index of the one clicked.
#[component]
pub fn CannedPicker(
    matches: Memo<Vec<CannedResponse>>,
    active: RwSignal<usize>,
    on_pick: Callback<usize>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <div class="canned-picker" data-test="canned-picker">
            <div class="canned-picker-head">{move || lang.t(Key::CannedHint)}</div>
            <ul role="listbox" aria-label=move || lang.t(Key::CannedResponses)>
                {move || {
                    matches
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, c)| {
                            view! {
                                <li
                                    role="option"
                                    data-test="canned-option"
                                    data-shortcut=c.shortcut.clone()
                                    aria-selected=move || (active.get() == i).to_string()
                                    // mousedown, not click: the textarea keeps its focus.
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        on_pick.run(i);
                                    }
                                    on:mouseenter=move |_| active.set(i)
                                >
                                    <span class="canned-shortcut" dir="ltr">"/" {c.shortcut.clone()}</span>
                                    <span class="canned-title" dir="auto">{c.title.clone()}</span>
                                    <span class="canned-preview" dir="auto">{preview(&c.body)}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_around() {
        assert_eq!(step(0, 3, 1), 1);
        assert_eq!(step(2, 3, 1), 0);
        assert_eq!(step(0, 3, -1), 2);
        assert_eq!(step(0, 0, 1), 0);
    }

    #[test]
    fn previews_are_one_short_line() {
        assert_eq!(preview("Short."), "Short.");
        assert_eq!(preview("First line\nsecond"), "First line…");
        assert_eq!(preview(&"x".repeat(100)).chars().count(), 81);
    }
}
