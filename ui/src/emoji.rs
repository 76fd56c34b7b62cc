//! A small emoji picker for both apps' composers: a button opening a grid
//! of common emoji. No emoji database: the browser's own font draws them
//! and screen readers name them, so the list is just characters (a few
//! hundred bytes of the wasm).

use leptos::prelude::*;

/// The emoji offered, in the order shown: faces, hands and hearts, then
/// what shop chats talk about (orders, delivery, payment, time).
pub const EMOJI: [&str; 40] = [
    "😀", "🙂", "😊", "😂", "😍", "😉", "😎", "🤔", "😅", "😐", "😢", "😞", "😡", "🙏", "👍", "👎",
    "👌", "👏", "🙌", "👋", "🤝", "❤️", "🎉", "✅", "❌", "⭐", "🔥", "💯", "📦", "🚚", "🛒", "🎁",
    "💳", "🧾", "📞", "📧", "🕐", "⚠️", "❓", "ℹ️",
];

/// The toggle and, while open, the grid. `label` names the toggle (in the
/// app's language); `on_pick` gets the emoji chosen. Escape closes the grid
/// without closing anything around it.
#[component]
pub fn EmojiPicker(
    /// The toggle's accessible name.
    label: &'static str,
    /// Called with the emoji picked.
    on_pick: Callback<&'static str>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div
            class="emoji-picker"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                // Escape closes the grid, from the toggle or inside it, and
                // only the grid (the widget's panel closes on Escape too).
                if ev.key() == "Escape" && open.get_untracked() {
                    ev.stop_propagation();
                    open.set(false);
                }
            }
        >
            <button
                type="button"
                class="emoji-toggle"
                data-test="emoji-toggle"
                aria-label=label
                title=label
                aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)
            >
                // A drawn face, not the emoji: it looks the same on every
                // system, emoji font or not.
                <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="1.8" />
                    <circle cx="9" cy="10" r="1.2" fill="currentColor" />
                    <circle cx="15" cy="10" r="1.2" fill="currentColor" />
                    <path
                        d="M8.5 14.5a4.5 4.5 0 0 0 7 0"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.8"
                        stroke-linecap="round"
                    />
                </svg>
            </button>
            <Show when=move || open.get()>
                <div
                    class="emoji-grid"
                    role="group"
                    aria-label=label
                    data-test="emoji-grid"
                >
                    {EMOJI
                        .iter()
                        .map(|&emoji| {
                            view! {
                                <button
                                    type="button"
                                    class="emoji"
                                    data-test="emoji"
                                    on:click=move |_| {
                                        open.set(false);
                                        on_pick.run(emoji);
                                    }
                                >
                                    {emoji}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </Show>
        </div>
    }
}

/// `draft` with `emoji` put at the caret (`start..end`, UTF-16 offsets as
/// the browser gives them; the selection is replaced), and the caret after
/// it, in UTF-16 units.
pub fn insert(draft: &str, emoji: &str, start: u32, end: u32) -> (String, u32) {
    let byte = |utf16: u32| {
        let mut units = 0u32;
        for (i, c) in draft.char_indices() {
            if units >= utf16 {
                return i;
            }
            units += c.len_utf16() as u32;
        }
        draft.len()
    };
    let (from, to) = (byte(start.min(end)), byte(start.max(end)));
    let text = format!("{}{emoji}{}", &draft[..from], &draft[to..]);
    let caret = draft[..from].encode_utf16().count() + emoji.encode_utf16().count();
    (text, caret as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_emoji_goes_at_the_caret_replacing_the_selection() {
        assert_eq!(insert("Hi there", "👋", 2, 2), ("Hi👋 there".into(), 4));
        assert_eq!(insert("Hi there", "👍", 3, 8), ("Hi 👍".into(), 5));
        assert_eq!(insert("", "❤️", 0, 0), ("❤️".into(), 2));
        // After an astral character the offsets are UTF-16 units.
        assert_eq!(insert("😀x", "👍", 2, 2), ("😀👍x".into(), 4));
        assert_eq!(
            insert("سلام", "🙂", 99, 99),
            ("سلام🙂".into(), 6),
            "past the end: at the end"
        );
    }

    #[test]
    fn the_picker_holds_no_duplicates() {
        let mut seen = EMOJI.to_vec();
        seen.sort_unstable();
        seen.dedup();
        assert_eq!(seen.len(), EMOJI.len());
    }
}
