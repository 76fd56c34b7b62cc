//! The open chat: header, connection banner, conversation, composer.

use super::callback::{CallbackCard, CallbackForm};
use super::composer::Composer;
use super::help::{HelpButton, HelpView};
use super::leave_message::LeaveMessage;
use super::message_list::MessageList;
use super::prechat::PrechatForm;
use super::survey::SurveyCard;
use super::transcript_mail::{TranscriptMailForm, TranscriptSent};
use super::{icons, Ctx};
use crate::chat::Link;
use crate::i18n::Text;
use crate::look::initial;
use leptos::prelude::*;
use shared::display::isolate;
use shared::settings::ReplyTime;
use web_sys::KeyboardEvent;

/// The panel; fills the iframe, which the loader sizes.
#[component]
pub fn Panel() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let title = move || ctx.look.with(|l| l.title.clone());
    let agent_name = move || ctx.state.with(|s| s.agent().map(|a| a.name.clone()));
    let subtitle = move || match agent_name() {
        // Isolated: the agent chose the name, bidi controls and all.
        Some(name) => ctx
            .locale
            .fill(Text::ChattingWith, &[("name", &isolate(&name))]),
        // Outside the hours: say so, and when the team is back.
        None if ctx.state.with(|s| s.offline().is_some()) => {
            match ctx.state.with(|s| s.offline().and_then(|o| o.back_at)) {
                Some(at) => ctx
                    .locale
                    .fill(Text::OfflineBack, &[("when", &back_at(ctx.locale, at))]),
                None => ctx.t(Text::Offline).to_owned(),
            }
        }
        // Nobody online: say so, and that a message still reaches them.
        None if ctx.state.with(|s| s.team_away()) => ctx.t(Text::TeamAway).to_owned(),
        // The owner's promise if they made one (never "soon" at 3 a.m.
        // when they did not).
        None => ctx
            .t(match ctx.look.with(|l| l.reply_time) {
                Some(ReplyTime::Minutes) => Text::RepliesInMinutes,
                Some(ReplyTime::Hours) => Text::RepliesInHours,
                Some(ReplyTime::Day) => Text::RepliesInADay,
                None => Text::ReplySoon,
            })
            .to_owned(),
    };
    // The agent who joined, else the site's picture, else its initial.
    let avatar = move || match agent_name() {
        Some(name) => initial(&name).into_any(),
        None => ctx.look.with(|l| match &l.avatar_url {
            Some(url) => view! { <img class="avatar-img" src=url.clone() alt="" /> }.into_any(),
            None => l.initial().into_any(),
        }),
    };
    let reconnecting = move || ctx.state.with(|s| s.link() == Link::Reconnecting);
    // The conversation as a file, once there is something to keep; built
    // when asked for, from what the widget holds (nothing is fetched).
    let has_messages = move || ctx.state.with(|s| s.messages().next().is_some());
    let download = move |_| {
        let site = ctx.look.with_untracked(|l| l.title.clone());
        let page = ctx.state.with_untracked(|s| {
            crate::transcript::html(ctx.locale, &site, s.messages(), local_stamp)
        });
        if save_file(&page, "conversation.html").is_none() {
            web_sys::console::warn_1(&"ahlan: the transcript could not be saved".into());
        }
    };
    let close = move || ctx.session(|s| s.set_open(false));
    let wants_contact = Memo::new(move |_| ctx.state.with(|s| s.wants_contact()));
    let wants_callback = Memo::new(move |_| ctx.state.with(|s| s.callbacks().form_shown()));
    let wants_mail = Memo::new(move |_| ctx.state.with(|s| s.mailing().form_shown()));
    // Mailed once an agent wrote (the server's rule too).
    let mailable = move || ctx.mails && ctx.state.with(|s| s.has_agent_message());
    let wants_prechat = Memo::new(move |_| ctx.state.with(|s| s.wants_prechat()));
    let help_open = Memo::new(move |_| ctx.state.with(|s| s.help().view_open()));
    // Under the conversation: the composer, or the form in its place.
    let conversation_foot = move || {
        if wants_mail.get() {
            view! { <TranscriptMailForm /> }.into_any()
        } else if wants_callback.get() {
            view! { <CallbackForm /> }.into_any()
        } else if wants_contact.get() {
            view! { <LeaveMessage /> }.into_any()
        } else if wants_prechat.get() {
            view! { <PrechatForm /> }.into_any()
        } else {
            view! { <Composer /> }.into_any()
        }
    };
    let panel = NodeRef::<leptos::html::Section>::new();

    view! {
        <section
            node_ref=panel
            class="panel"
            data-test="panel"
            role="dialog"
            aria-modal="true"
            aria-label=title
            on:keydown=move |ev: KeyboardEvent| {
                if ev.key() == "Escape" {
                    close();
                }
                // Over the whole screen (a phone) the page behind cannot
                // be seen: Tab goes round the panel instead of into it.
                if ev.key() == "Tab" && ctx.full_screen.get_untracked() {
                    if let Some(section) = panel.get_untracked() {
                        keep_focus_in(&section, &ev);
                    }
                }
            }
        >
            <header class="header">
                <div class="avatar" aria-hidden="true">{avatar}</div>
                <div class="titles">
                    <h1 class="title">{title}</h1>
                    <p class="subtitle" data-test="subtitle">{subtitle}</p>
                </div>
                {ctx.help.then(|| view! { <HelpButton /> })}
                <Show when=mailable>
                    <button
                        class="close"
                        type="button"
                        data-test="mail-transcript"
                        aria-label=ctx.t(Text::MailTitle)
                        title=ctx.t(Text::MailTitle)
                        on:click=move |_| ctx.session(|s| s.mailing_form(true))
                    >
                        {icons::mail()}
                    </button>
                </Show>
                <Show when=has_messages>
                    <button
                        class="close"
                        type="button"
                        data-test="transcript"
                        aria-label=ctx.t(Text::Transcript)
                        title=ctx.t(Text::Transcript)
                        on:click=download
                    >
                        {icons::download()}
                    </button>
                </Show>
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
            {move || {
                if help_open.get() {
                    return view! { <HelpView /> }.into_any();
                }
                view! {
                    <MessageList />
                    // Under the conversation, not in it: the list holds
                    // only what was said (and nothing but text containers,
                    // see the XSS test's watch).
                    <SurveyCard />
                    <CallbackCard />
                    <TranscriptSent />
                    {conversation_foot}
                }
                    .into_any()
            }}
        </section>
    }
}

/// Tab on the last control goes to the first, Shift+Tab on the first to
/// the last.
fn keep_focus_in(panel: &web_sys::HtmlElement, ev: &KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Ok(list) = panel.query_selector_all(
        "button:not([disabled]), textarea:not([disabled]), input:not([disabled]), \
         select:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])",
    ) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element());
    let on = |el: &web_sys::HtmlElement| active.as_ref() == Some(el.unchecked_ref());
    let to = if ev.shift_key() && on(first) {
        last
    } else if !ev.shift_key() && on(last) {
        first
    } else {
        return;
    };
    ev.prevent_default();
    let _ = to.focus();
}

/// When the team is back, in the visitor's own time zone and language:
/// the weekday and the time (`Monday 09:00`), with the date when it is a
/// week or more away (a weekday alone would be read as this week's), Latin
/// digits as everywhere in the widget.
fn back_at(locale: crate::i18n::Locale, at: shared::Millis) -> String {
    use wasm_bindgen::JsValue;
    const SIX_DAYS_MS: f64 = 6.0 * 24.0 * 3_600_000.0;
    let options = js_sys::Object::new();
    let far = at as f64 - js_sys::Date::now() > SIX_DAYS_MS;
    let date_parts: &[(&str, &str)] = if far {
        &[("day", "numeric"), ("month", "long")]
    } else {
        &[]
    };
    for (key, value) in [
        ("weekday", "long"),
        ("hour", "2-digit"),
        ("minute", "2-digit"),
        ("hourCycle", "h23"),
    ]
    .iter()
    .chain(date_parts)
    {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    let tag = format!("{}-u-nu-latn", locale.code());
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&tag.into()), &options);
    let date = js_sys::Date::new(&JsValue::from_f64(at as f64));
    format
        .format()
        .call1(&JsValue::NULL, &date)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| local_stamp(at))
}

/// `YYYY-MM-DD hh:mm` in the visitor's time zone, for the transcript.
fn local_stamp(at: shared::Millis) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at as f64));
    let two = |n: u32| format!("{n:02}");
    format!(
        "{}-{}-{} {}",
        date.get_full_year(),
        two(date.get_month() + 1),
        two(date.get_date()),
        crate::i18n::clock(date.get_hours(), date.get_minutes())
    )
}

/// Hands `text` to the browser as a download named `name` (an HTML file):
/// a `blob:` URL on a link clicked at once, released a moment later.
fn save_file(text: &str, name: &str) -> Option<()> {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/html;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a").ok()?.dyn_into().ok()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Some(())
}
