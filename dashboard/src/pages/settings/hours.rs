//! The site form's business hours: on or off, a row per weekday (open,
//! from, to), days off, and whether the site is also offline whenever
//! nobody is online. Read in the site's time zone (the field below it).

use super::site::switch;
use crate::app::Lang;
use crate::components::form::{Failed, FieldError};
use crate::forms::SiteForm;
use crate::i18n::{Key, WEEKDAYS};
use leptos::prelude::*;

/// The fields, bound to the site form.
#[component]
pub fn HoursFields(
    form: RwSignal<SiteForm>,
    saved: RwSignal<bool>,
    failed: Failed,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let on = move || form.with(|f| f.hours_on);
    let edit = move |change: Box<dyn FnOnce(&mut SiteForm)>| {
        saved.set(false);
        form.update(|f| change(f));
    };
    let day = move |i: usize| {
        let open = move || form.with(|f| f.week[i].open);
        view! {
            <div class="hours-row" data-test=format!("site-hours-day-{i}")>
                <label class="choice hours-day">
                    <input
                        type="checkbox"
                        data-test=format!("site-hours-open-{i}")
                        prop:checked=open
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            edit(Box::new(move |f| f.week[i].open = checked));
                        }
                    />
                    {move || lang.t(WEEKDAYS[i])}
                </label>
                <Show
                    when=open
                    fallback=move || view! { <span class="muted hours-closed">{move || lang.t(Key::HoursClosed)}</span> }
                >
                    <span class="hours-times" dir="ltr">
                        <input
                            type="time"
                            data-test=format!("site-hours-opens-{i}")
                            aria-label=move || format!("{} · {}", lang.t(WEEKDAYS[i]), lang.t(Key::HoursOpens))
                            prop:value=move || form.with(|f| f.week[i].opens.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                edit(Box::new(move |f| f.week[i].opens = v));
                            }
                        />
                        "–"
                        <input
                            type="time"
                            data-test=format!("site-hours-closes-{i}")
                            aria-label=move || format!("{} · {}", lang.t(WEEKDAYS[i]), lang.t(Key::HoursCloses))
                            prop:value=move || form.with(|f| f.week[i].closes.clone())
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                edit(Box::new(move |f| f.week[i].closes = v));
                            }
                        />
                    </span>
                </Show>
            </div>
        }
    };

    view! {
        <h2>{move || lang.t(Key::BusinessHours)}</h2>
        {switch(form, saved, "site-hours-on", Key::HoursOn, Key::HoursHint, |f| f.hours_on, |f, on| f.hours_on = on)}
        <Show when=on>
            <fieldset class="field hours" data-test="site-hours">
                <legend class="visually-hidden">{move || lang.t(Key::BusinessHours)}</legend>
                {(0..7).map(day).collect_view()}
                <FieldError failed field="hours.week" />
            </fieldset>
            <label class="field">
                <span class="field-label">{move || lang.t(Key::Holidays)}</span>
                <textarea
                    rows="2"
                    dir="ltr"
                    spellcheck="false"
                    placeholder="2026-12-25"
                    data-test="site-holidays"
                    prop:value=move || form.with(|f| f.holidays.clone())
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        edit(Box::new(move |f| f.holidays = v));
                    }
                ></textarea>
                <span class="field-hint">{move || lang.t(Key::HolidaysHint)}</span>
                <FieldError failed field="hours.holidays" />
            </label>
        </Show>
        {switch(form, saved, "site-offline-when-away", Key::OfflineWhenAway, Key::OfflineWhenAwayHint, |f| f.offline_when_away, |f, on| f.offline_when_away = on)}
    }
}
