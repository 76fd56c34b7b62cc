//! A satisfaction score's face (1 very unhappy … 5 very happy), drawn the
//! way the visitor saw it when choosing ([`shared::display::rating_mouth`]).

use leptos::prelude::*;
use shared::display::rating_mouth;

/// The face of `score`; decorative (the text beside it says the score).
pub fn face(score: u8) -> impl IntoView {
    view! {
        <svg class="rating-face" viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="12" cy="12" r="10"></circle>
            <circle class="eye" cx="9" cy="10" r="1.3"></circle>
            <circle class="eye" cx="15" cy="10" r="1.3"></circle>
            <path d=rating_mouth(score)></path>
        </svg>
    }
}
