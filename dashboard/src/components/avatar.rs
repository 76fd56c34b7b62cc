//! A round badge with a letter, coloured from a stable seed (an id), so the
//! same visitor keeps the same colour in the list and the pane.

use leptos::prelude::*;

/// A hue in degrees from `seed` (FNV-1a: stable across runs and builds).
pub fn hue(seed: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in seed.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % 360
}

/// The avatar. The first letter or digit of `label` is shown.
#[component]
pub fn Avatar(
    /// Colour seed.
    seed: String,
    /// Whose avatar.
    label: String,
    /// Extra class (size variants).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let letter: String = label
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let style = format!("--avatar-hue: {}", hue(&seed));
    view! {
        <span class=format!("avatar {class}") style=style aria-hidden="true">
            {letter}
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hue_is_fnv1a_of_the_seed_and_in_range() {
        // Fixed values: a visitor keeps their colour across reloads and
        // releases (FNV-1a, 32 bits, modulo 360).
        assert_eq!(hue(""), 61);
        assert_eq!(hue("v_1"), 137);
        assert_eq!(hue("v_2"), 320);
        for seed in ["", "a", "v_01hzx9f3", "long seed with spaces"] {
            assert!(hue(seed) < 360);
        }
    }
}
