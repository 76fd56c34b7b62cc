//! The satisfaction survey under a resolved conversation: five faces
//! (worst to best, each with its name for screen readers), then an
//! optional comment and a send button; once answered, a thank-you. The
//! visitor may ignore it: writing again reopens the chat as usual.

use super::Ctx;
use crate::chat::Survey;
use crate::i18n::Text;
use leptos::prelude::*;
use shared::display::rating_mouth;
use shared::limits::MAX_COMMENT_CHARS;

/// The faces' names, worst to best (for screen readers and tooltips).
const NAMES: [Text; 5] = [
    Text::SurveyScore1,
    Text::SurveyScore2,
    Text::SurveyScore3,
    Text::SurveyScore4,
    Text::SurveyScore5,
];

/// The face of a score, drawn (no emoji font needed on the visitor's
/// device): the same drawing the agent sees.
fn face(score: u8) -> impl IntoView {
    view! {
        <svg class="face-icon" viewBox="0 0 24 24" aria-hidden="true">
            <circle cx="12" cy="12" r="10"></circle>
            <circle class="eye" cx="9" cy="10" r="1.3"></circle>
            <circle class="eye" cx="15" cy="10" r="1.3"></circle>
            <path d=rating_mouth(score)></path>
        </svg>
    }
}

/// `[data-test=survey]` while asking, `[data-test=survey-thanks]` after.
/// One fixed structure shown and hidden by the state, rather than a view
/// per state: every distinct view type is code in the visitor's download.
#[component]
pub fn SurveyCard() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let survey = move || ctx.state.with(|s| s.survey());
    let chosen = RwSignal::new(0u8);
    let comment = RwSignal::new(String::new());
    // The Net Promoter answer, where the site asks it (`None`: not given).
    let nps = RwSignal::new(None::<u8>);
    let send = move |_| {
        let score = chosen.get_untracked();
        if score > 0 {
            ctx.session(|s| {
                s.rate(score, comment.get_untracked(), nps.get_untracked());
            });
        }
    };
    let nps_row = ctx.survey_nps.then(|| {
        let buttons = (0u8..=10)
            .map(|n| {
                view! {
                    <button
                        type="button"
                        class="nps-n"
                        aria-pressed=move || (nps.get() == Some(n)).to_string()
                        data-test=format!("survey-nps-{n}")
                        on:click=move |_| nps.set(Some(n))
                    >
                        {n}
                    </button>
                }
            })
            .collect_view();
        view! {
            <p class="survey-q nps-q" id="survey-nps">{ctx.t(Text::SurveyNps)}</p>
            <div class="nps" role="group" aria-labelledby="survey-nps" dir="ltr">{buttons}</div>
            <p class="nps-ends" dir="ltr">
                <span>{ctx.t(Text::SurveyNpsLow)}</span>
                <span>{ctx.t(Text::SurveyNpsHigh)}</span>
            </p>
        }
    });
    let faces = (1u8..=5)
        .map(|score| {
            let name = NAMES[usize::from(score) - 1];
            view! {
                <button
                    type="button"
                    class="face"
                    aria-pressed=move || (chosen.get() == score).to_string()
                    aria-label=ctx.t(name)
                    title=ctx.t(name)
                    data-test=format!("survey-score-{score}")
                    on:click=move |_| chosen.set(score)
                >
                    {face(score)}
                </button>
            }
        })
        .collect_view();
    view! {
        <div
            class="survey"
            data-test="survey"
            role="group"
            aria-labelledby="survey-q"
            hidden=move || survey() != Survey::Ask
        >
            <p class="survey-q" id="survey-q">{ctx.t(Text::SurveyQuestion)}</p>
            <div class="faces">{faces}</div>
            <div hidden=move || chosen.get() == 0>
                {nps_row}
                <textarea
                    class="survey-comment"
                    dir="auto"
                    rows="2"
                    maxlength=MAX_COMMENT_CHARS
                    placeholder=ctx.t(Text::SurveyComment)
                    aria-label=ctx.t(Text::SurveyComment)
                    data-test="survey-comment"
                    on:input=move |ev| comment.set(event_target_value(&ev))
                ></textarea>
                <button
                    type="button"
                    class="survey-send"
                    data-test="survey-send"
                    on:click=send
                >
                    {ctx.t(Text::SurveySend)}
                </button>
            </div>
        </div>
        <p
            class="notice survey-thanks"
            data-test="survey-thanks"
            role="status"
            hidden=move || !matches!(survey(), Survey::Thanks(_))
        >
            {move || match survey() {
                Survey::Thanks(score) => Some(face(score)),
                _ => None,
            }}
            {ctx.t(Text::SurveyThanks)}
        </p>
    }
}
