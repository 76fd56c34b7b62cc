//! One site's settings: name and allowed origins, the widget's look with a
//! live preview (the real widget, framed from our own origin, told the look
//! as the owner types), the snippet with a copy button, and deleting the
//! site. Saving sends only the fields that changed.

use super::hours::HoursFields;
use super::identity::IdentityCard;
use super::prechat::PrechatFields;
use super::proactive::ProactiveFields;
use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::{failure_key, Confirmed, FieldError, FormError, SavedNote};
use crate::forms::{is_empty, SiteForm};
use crate::i18n::{self, Key};
use crate::pages::inbox::navigate;
use crate::route::Route;
use leptos::ev::SubmitEvent;
use leptos::html::Iframe;
use leptos::prelude::*;
use shared::api::SiteInfo;
use shared::display::isolate;
use shared::settings::LauncherPosition;
use shared::SiteId;
use wasm_bindgen::JsValue;

/// The page for site `id`.
#[component]
pub fn SitePage(id: SiteId) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let site = RwSignal::new(None::<Result<SiteInfo, Failure>>);
    let path = format!("/api/sites/{id}");
    {
        let path = path.clone();
        leptos::task::spawn_local(async move {
            let got = api::get::<SiteInfo>(&path).await;
            site.try_set(Some(got));
        });
    }
    let back = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        navigate(&Route::Sites);
    };
    view! {
        <section class="settings-section">
            <a href=Route::Sites.hash() class="back-link" on:click=back>
                {move || lang.t(Key::Back)}
            </a>
            {move || match site.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(info)) => view! { <SiteEditor info=info path=path.clone() /> }.into_any(),
            }}
        </section>
    }
}

/// Sends the form's look to the preview frame (our own origin).
fn post_look(frame: &web_sys::HtmlIFrameElement, form: &SiteForm) {
    let Some(target) = frame.content_window() else {
        return;
    };
    let Ok(appearance) = serde_json::to_string(&form.appearance()) else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"ahlan".into(), &"look".into());
    let _ = js_sys::Reflect::set(&message, &"appearance".into(), &appearance.into());
    let _ = js_sys::Reflect::set(&message, &"name".into(), &form.name.clone().into());
    let origin = window().location().origin().unwrap_or_default();
    let _ = target.post_message(&message, &origin);
}

/// Copies `text` with the asynchronous clipboard API.
pub(super) fn copy(text: &str) -> bool {
    let navigator = window().navigator();
    let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into()) else {
        return false;
    };
    let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into()) else {
        return false;
    };
    let Ok(write) = write.dyn_into::<js_sys::Function>() else {
        return false;
    };
    write.call1(&clipboard, &JsValue::from_str(text)).is_ok()
}

use wasm_bindgen::JsCast;

/// Text field bound to one part of the form.
macro_rules! bind {
    ($form:ident, $saved:ident, $field:ident) => {
        (
            move || $form.with(|f| f.$field.clone()),
            move |ev| {
                $saved.set(false);
                $form.update(|f| f.$field = event_target_value(&ev));
            },
        )
    };
}

/// The editor of a loaded site.
#[component]
fn SiteEditor(info: SiteInfo, path: String) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let original = RwSignal::new(SiteForm::from_site(&info));
    let form = RwSignal::new(SiteForm::from_site(&info));
    let snippet = info.snippet.clone();
    let key = info.key.clone();
    let failed = RwSignal::new(None::<Failure>);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let frame = NodeRef::<Iframe>::new();
    let frame_ready = RwSignal::new(false);
    // The teams a site may route to (loaded once; the select shows the
    // saved team even before they arrive).
    let teams = RwSignal::new(Vec::<shared::api::Team>::new());
    leptos::task::spawn_local(async move {
        if let Ok(list) = crate::api::get::<Vec<shared::api::Team>>("/api/teams").await {
            teams.try_set(list);
        }
    });

    // The preview speaks the widget's language: the site's, or else the
    // dashboard's (so switching the dashboard to Arabic previews RTL).
    let preview_locale = Memo::new(move |_| {
        let chosen = form.with(|f| f.locale.trim().to_owned());
        if chosen.is_empty() {
            lang.get().code().to_owned()
        } else {
            chosen
        }
    });
    let preview_src = move || format!("/widget/preview?locale={}", preview_locale.get());
    let preview_rtl = move || matches!(preview_locale.get().as_str(), "ar" | "fa");

    // The frame says `ready` once mounted (again after each reload).
    let listener = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        let own = window().location().origin().unwrap_or_default();
        let from_frame = frame
            .get_untracked()
            .and_then(|f| f.content_window())
            .is_some_and(|w| {
                ev.source()
                    .is_some_and(|s| JsValue::from(s) == JsValue::from(w))
            });
        let kind = js_sys::Reflect::get(&ev.data(), &"ahlan".into())
            .ok()
            .and_then(|v| v.as_string());
        if ev.origin() == own && from_frame && kind.as_deref() == Some("ready") {
            frame_ready.set(true);
            if let Some(f) = frame.get_untracked() {
                form.with_untracked(|form| post_look(&f, form));
            }
        }
    });
    on_cleanup(move || listener.remove());
    Effect::new(move |_| {
        let look = form.get();
        if frame_ready.get() {
            if let Some(f) = frame.get() {
                post_look(&f, &look);
            }
        }
    });

    let save = {
        let path = path.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            let update = form.with_untracked(|f| original.with_untracked(|o| f.update(o)));
            if is_empty(&update) || busy.get_untracked() {
                return;
            }
            busy.set(true);
            failed.set(None);
            let path = path.clone();
            leptos::task::spawn_local(async move {
                let result = api::write::<_, SiteInfo>("PATCH", &path, &update).await;
                busy.try_set(false);
                match result {
                    Ok(info) => {
                        // What the server stored (normalised origins…)
                        // becomes both the form and its baseline.
                        let stored = SiteForm::from_site(&info);
                        original.try_set(stored.clone());
                        form.try_set(stored);
                        saved.try_set(true);
                    }
                    Err(f) => {
                        failed.try_set(Some(f));
                    }
                }
            });
        }
    };
    let identity_path = path.clone();
    let delete = move || {
        let path = path.clone();
        leptos::task::spawn_local(async move {
            match api::delete(&path).await {
                Ok(()) => navigate(&Route::Sites),
                Err(f) => {
                    confirming.try_set(false);
                    failed.try_set(Some(f));
                }
            }
        });
    };
    let unchanged = move || form.with(|f| original.with(|o| is_empty(&f.update(o))));
    let (name_value, name_input) = bind!(form, saved, name);
    let (origins_value, origins_input) = bind!(form, saved, origins);
    let (accent_value, accent_input) = bind!(form, saved, accent);
    let (title_value, title_input) = bind!(form, saved, title);
    let (greeting_value, greeting_input) = bind!(form, saved, greeting);
    let (avatar_value, avatar_input) = bind!(form, saved, avatar_url);
    let (retention_value, retention_input) = bind!(form, saved, retention);
    let (zone_value, zone_input) = bind!(form, saved, time_zone);
    let set_position = move |p: LauncherPosition| {
        saved.set(false);
        form.update(|f| f.position = p);
    };
    let accent_text = move || form.with(|f| f.accent.clone());
    let site_name = move || original.with(|o| o.name.clone());
    let launcher_side = move || form.with(|f| f.position).side(preview_rtl()).as_str();
    let fields: &'static [&'static str] = &[
        "name",
        "allowed_origins",
        "accent_color",
        "position",
        "title",
        "greeting",
        "avatar",
        "locale",
        "team",
        "typing_preview",
        "retention_days",
        "survey_nps",
        "time_zone",
        "reply_time",
        "hours",
        "offline_when_away",
        "prechat",
        "callback_after_mins",
        "proactive",
    ];

    view! {
        <h1 data-test="site-heading">{site_name}</h1>
        <p class="muted">
            {move || lang.t(Key::SiteKey)}
            ": "
            <span class="mono" dir="ltr" data-test="site-key">{key}</span>
        </p>
        <div class="site-editor">
            <div class="site-main">
                <form class="card form" on:submit=save novalidate data-test="site-form">
                    <h2>{move || lang.t(Key::SiteDetails)}</h2>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::SiteName)}</span>
                        <input type="text" data-test="site-name" prop:value=name_value on:input=name_input />
                        <FieldError failed field="name" />
                    </label>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::AllowedOrigins)}</span>
                        <textarea
                            rows="3"
                            dir="ltr"
                            spellcheck="false"
                            data-test="site-origins"
                            prop:value=origins_value
                            on:input=origins_input
                        ></textarea>
                        <span class="field-hint">{move || lang.t(Key::AllowedOriginsHint)}</span>
                        <FieldError failed field="allowed_origins" />
                    </label>

                    <h2>{move || lang.t(Key::Appearance)}</h2>
                    <div class="field">
                        <span class="field-label">{move || lang.t(Key::AccentColor)}</span>
                        <div class="color-row">
                            <input
                                type="color"
                                data-test="site-accent-picker"
                                prop:value=accent_value
                                on:input=accent_input
                                aria-label=move || lang.t(Key::AccentColor)
                            />
                            <input
                                type="text"
                                dir="ltr"
                                class="mono"
                                maxlength="7"
                                data-test="site-accent"
                                prop:value=accent_text
                                on:input=move |ev| {
                                    saved.set(false);
                                    form.update(|f| f.accent = event_target_value(&ev));
                                }
                                aria-label=move || lang.t(Key::AccentColor)
                            />
                        </div>
                        <FieldError failed field="accent_color" />
                    </div>
                    <fieldset class="field">
                        <legend class="field-label">{move || lang.t(Key::LauncherPosition)}</legend>
                        <div class="choice-row">
                            <label class="choice">
                                <input
                                    type="radio"
                                    name="position"
                                    data-test="site-position-right"
                                    prop:checked=move || form.with(|f| f.position == LauncherPosition::Right)
                                    on:change=move |_| set_position(LauncherPosition::Right)
                                />
                                {move || lang.t(Key::PositionRight)}
                            </label>
                            <label class="choice">
                                <input
                                    type="radio"
                                    name="position"
                                    data-test="site-position-left"
                                    prop:checked=move || form.with(|f| f.position == LauncherPosition::Left)
                                    on:change=move |_| set_position(LauncherPosition::Left)
                                />
                                {move || lang.t(Key::PositionLeft)}
                            </label>
                        </div>
                        <span class="field-hint">{move || lang.t(Key::PositionHint)}</span>
                    </fieldset>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::HeaderTitle)}</span>
                        <input type="text" data-test="site-title" prop:value=title_value on:input=title_input />
                        <span class="field-hint">{move || lang.t(Key::HeaderTitleHint)}</span>
                        <FieldError failed field="title" />
                    </label>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::GreetingField)}</span>
                        <textarea
                            rows="2"
                            dir="auto"
                            data-test="site-greeting"
                            prop:value=greeting_value
                            on:input=greeting_input
                        ></textarea>
                        <span class="field-hint">{move || lang.t(Key::GreetingHint)}</span>
                        <FieldError failed field="greeting" />
                    </label>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::AvatarField)}</span>
                        <input
                            type="url"
                            dir="ltr"
                            data-test="site-avatar"
                            placeholder="https://"
                            prop:value=avatar_value
                            on:input=avatar_input
                        />
                        <span class="field-hint">{move || lang.t(Key::AvatarHint)}</span>
                        <FieldError failed field="avatar" />
                    </label>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::WidgetLanguage)}</span>
                        <select
                            data-test="site-locale"
                            on:change=move |ev| {
                                saved.set(false);
                                form.update(|f| f.locale = event_target_value(&ev));
                            }
                        >
                            <option value="" selected=move || form.with(|f| f.locale.is_empty())>
                                {move || lang.t(Key::FollowBrowser)}
                            </option>
                            {i18n::Locale::ALL
                                .into_iter()
                                .map(|l| {
                                    view! {
                                        <option value=l.code() selected=move || form.with(|f| f.locale == l.code())>
                                            {l.native_name()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <FieldError failed field="locale" />
                    </label>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::ReplyTimeLabel)}</span>
                        <select
                            data-test="site-reply-time"
                            on:change=move |ev| {
                                saved.set(false);
                                form.update(|f| f.reply_time = event_target_value(&ev));
                            }
                        >
                            <option value="" selected=move || form.with(|f| f.reply_time.is_empty())>
                                {move || lang.t(Key::ReplyTimeUnsaid)}
                            </option>
                            {shared::settings::ReplyTime::ALL
                                .into_iter()
                                .map(|r| {
                                    let key = match r {
                                        shared::settings::ReplyTime::Minutes => Key::ReplyTimeMinutes,
                                        shared::settings::ReplyTime::Hours => Key::ReplyTimeHours,
                                        shared::settings::ReplyTime::Day => Key::ReplyTimeDay,
                                    };
                                    view! {
                                        <option value=r.as_str() selected=move || form.with(|f| f.reply_time == r.as_str())>
                                            {move || lang.t(key)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                        <span class="field-hint">{move || lang.t(Key::ReplyTimeHint)}</span>
                        <FieldError failed field="reply_time" />
                    </label>
                    <div class="field">
                        <label class="field-label" for="site-callback-offer">
                            {move || lang.t(Key::CallbackOffer)}
                        </label>
                        <div class="inline-fields">
                            <select
                                id="site-callback-offer"
                                data-test="site-callback-offer"
                                on:change=move |ev| {
                                    saved.set(false);
                                    form.update(|f| f.callback_offer = event_target_value(&ev));
                                }
                            >
                                {[("", Key::CallbackOfferOff), ("always", Key::CallbackOfferAlways), ("after", Key::CallbackOfferAfter)]
                                    .into_iter()
                                    .map(|(value, key)| {
                                        view! {
                                            <option value=value selected=move || form.with(|f| f.callback_offer == value)>
                                                {move || lang.t(key)}
                                            </option>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                            <Show when=move || form.with(|f| f.callback_offer == "after")>
                                <input
                                    type="number"
                                    min="1"
                                    max="240"
                                    inputmode="numeric"
                                    dir="ltr"
                                    class="input-short"
                                    data-test="site-callback-mins"
                                    aria-label=move || lang.t(Key::CallbackAfterMins)
                                    title=move || lang.t(Key::CallbackAfterMins)
                                    prop:value=move || form.with(|f| f.callback_mins.clone())
                                    on:input=move |ev| {
                                        saved.set(false);
                                        form.update(|f| f.callback_mins = event_target_value(&ev));
                                    }
                                />
                                <span class="muted">{move || lang.t(Key::CallbackAfterMins)}</span>
                            </Show>
                        </div>
                        <span class="field-hint">{move || lang.t(Key::CallbackOfferHint)}</span>
                        <FieldError failed field="callback_after_mins" />
                    </div>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::RoutingTeam)}</span>
                        <select
                            data-test="site-team"
                            on:change=move |ev| {
                                saved.set(false);
                                form.update(|f| f.team = event_target_value(&ev));
                            }
                        >
                            <option value="" selected=move || form.with(|f| f.team.is_empty())>
                                {move || lang.t(Key::RoutingTeamAny)}
                            </option>
                            {move || {
                                teams
                                    .get()
                                    .into_iter()
                                    .map(|t| {
                                        let id = t.id.to_string();
                                        let value = id.clone();
                                        view! {
                                            <option value=value selected=move || form.with(|f| f.team == id)>
                                                {t.name}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                        <span class="field-hint">{move || lang.t(Key::RoutingTeamHint)}</span>
                        <FieldError failed field="team" />
                    </label>
                    {switch(form, saved, "site-typing-preview", Key::TypingPreview, Key::TypingPreviewHint, |f| f.typing_preview, |f, on| f.typing_preview = on)}
                    {switch(form, saved, "site-survey-nps", Key::SurveyNps, Key::SurveyNpsHint, |f| f.survey_nps, |f, on| f.survey_nps = on)}
                    {switch(form, saved, "site-identity-required", Key::IdentityRequired, Key::IdentityRequiredHint, |f| f.identity_required, |f, on| f.identity_required = on)}
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::Retention)}</span>
                        <input
                            type="number"
                            min="1"
                            max="3650"
                            inputmode="numeric"
                            dir="ltr"
                            data-test="site-retention"
                            prop:value=retention_value
                            on:input=retention_input
                        />
                        <span class="field-hint">{move || lang.t(Key::RetentionHint)}</span>
                        <FieldError failed field="retention_days" />
                    </label>
                    <label class="field">
                        <span class="field-label">{move || lang.t(Key::TimeZone)}</span>
                        // Suggestions from the browser's own list; the
                        // placeholder offers the agent's own zone.
                        <input
                            type="text"
                            maxlength="64"
                            dir="ltr"
                            autocomplete="off"
                            spellcheck="false"
                            list="time-zones"
                            placeholder=crate::fmt::browser_time_zone().unwrap_or_else(|| "UTC".to_owned())
                            data-test="site-time-zone"
                            prop:value=zone_value
                            on:input=zone_input
                        />
                        <datalist id="time-zones">
                            {crate::fmt::time_zones()
                                .into_iter()
                                .map(|z| view! { <option value=z></option> })
                                .collect_view()}
                        </datalist>
                        <span class="field-hint">{move || lang.t(Key::TimeZoneHint)}</span>
                        <FieldError failed field="time_zone" />
                    </label>
                    <HoursFields form saved failed />
                    <PrechatFields form saved failed />
                    <ProactiveFields form saved failed />
                    <FormError failed fields />
                    <div class="form-actions">
                        <button
                            type="submit"
                            class="btn btn-primary"
                            data-test="site-save"
                            disabled=move || busy.get() || unchanged()
                        >
                            {move || lang.t(if busy.get() { Key::Saving } else { Key::Save })}
                        </button>
                        <SavedNote saved />
                    </div>
                </form>
                <div class="card">
                    <h2>{move || lang.t(Key::Snippet)}</h2>
                    <p class="field-hint">{move || lang.t(Key::SnippetHint)}</p>
                    <pre class="snippet" dir="ltr" data-test="site-snippet"><code>{snippet.clone()}</code></pre>
                    <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        data-test="site-copy"
                        on:click=move |_| {
                            copied.set(copy(&snippet));
                        }
                    >
                        {move || lang.t(if copied.get() { Key::Copied } else { Key::Copy })}
                    </button>
                </div>
                <IdentityCard path=identity_path.clone() />
                <div class="card danger">
                    <h2>{move || lang.t(Key::DangerZone)}</h2>
                    <Confirmed
                        asking=confirming
                        label=Key::DeleteSite
                        confirm=Key::ConfirmDelete
                        question=Signal::derive(move || {
                            i18n::fill(lang.t(Key::DeleteSiteConfirm), &[("name", &isolate(&site_name()))])
                        })
                        test="site-delete"
                        on_confirm=delete
                    />
                </div>
            </div>

            <aside class="site-side">
                <div class="card">
                    <h2>{move || lang.t(Key::Preview)}</h2>
                    <div class="preview-stage">
                        <iframe
                            class="preview-frame"
                            data-test="site-preview"
                            title=move || lang.t(Key::PreviewTitle)
                            src=preview_src
                            node_ref=frame
                            on:load=move |_| frame_ready.set(false)
                        ></iframe>
                        <div class="preview-page" aria-hidden="true">
                            <span class="preview-bar"></span>
                            <span class="preview-bar short"></span>
                            <span
                                class="preview-launcher"
                                data-test="site-preview-launcher"
                                data-side=launcher_side
                                style=move || format!("background:{}", form.with(|f| f.accent.clone()))
                            ></span>
                        </div>
                    </div>
                </div>
            </aside>
        </div>
    }
}

/// A site setting that is on or off: a checkbox with its label and hint,
/// read and written by `get` and `set` on the form.
pub(super) fn switch(
    form: RwSignal<SiteForm>,
    saved: RwSignal<bool>,
    test: &'static str,
    label: Key,
    hint: Key,
    get: fn(&SiteForm) -> bool,
    set: fn(&mut SiteForm, bool),
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <div class="field">
            <label class="choice">
                <input
                    type="checkbox"
                    data-test=test
                    prop:checked=move || form.with(get)
                    on:change=move |ev| {
                        saved.set(false);
                        let on = event_target_checked(&ev);
                        form.update(|f| set(f, on));
                    }
                />
                {move || lang.t(label)}
            </label>
            <span class="field-hint">{move || lang.t(hint)}</span>
        </div>
    }
}
