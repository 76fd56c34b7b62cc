//! The visitor context panel beside a conversation: the page the visitor
//! is on and the pages before it, their local time, language, browser and
//! system, where they came from, when first seen and how often they came.
//! Read from `GET /api/conversations/{id}/context` when the conversation
//! opens and again after each `activity` frame (the visitor moved).

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::failure_key;
use crate::components::privacy::PrivacyActions;
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{Key, Locale};
use leptos::prelude::*;
use shared::api::{PageView, VisitorContext};
use shared::{ConversationId, Role};

/// An `http(s)` link target, or none (the server only stores web URLs;
/// this keeps any other scheme out of an `href` all the same).
pub fn web_href(url: &str) -> Option<String> {
    let lower = url.trim_start().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.to_owned())
}

/// What a page is called in the panel: its title, else its URL.
pub fn page_label(page: &PageView) -> String {
    page.title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| page.url.clone(), str::to_owned)
}

/// A link that opens outside the dashboard and tells the site nothing of it.
fn outside_link(url: &str, label: String, test: &'static str) -> impl IntoView {
    match web_href(url) {
        Some(href) => view! {
            <a href=href target="_blank" rel="noopener noreferrer nofollow" dir="auto" data-test=test>
                {label}
            </a>
        }
        .into_any(),
        None => view! { <span dir="auto" data-test=test>{label}</span> }.into_any(),
    }
}

fn fact(label: Key, lang: Lang, value: impl IntoView + 'static) -> impl IntoView {
    view! {
        <dt>{move || lang.t(label)}</dt>
        <dd>{value}</dd>
    }
}

fn facts(c: &VisitorContext, locale: Locale, lang: Lang, desk: Desk) -> impl IntoView {
    let unknown = move || lang.t(Key::ContextUnknown);
    let zone = c.time_zone.clone();
    let local_time = move || {
        desk.clock.track();
        zone.as_deref()
            .and_then(|z| fmt::time_in_zone(lang.get(), z).map(|t| format!("{t} ({z})")))
    };
    let referrer = match &c.referrer {
        Some(r) => outside_link(r, r.clone(), "context-referrer").into_any(),
        None => view! { <span>{move || lang.t(Key::ContextDirect)}</span> }.into_any(),
    };
    let system = match (&c.os, &c.device) {
        (Some(os), Some(device)) => Some(format!("{os} · {device}")),
        (Some(os), None) => Some(os.clone()),
        (None, device) => device.clone(),
    };
    let first_seen = c.first_seen.map(|t| fmt::date_time(locale, t));
    // What the visitor told us themselves (leaving a message).
    let name = c.visitor.name.clone().map(|n| {
        fact(
            Key::ContextName,
            lang,
            view! { <span dir="auto" data-test="context-name">{n}</span> },
        )
    });
    // The site's own user id, when its page signed it: this is who they
    // are, not what they typed.
    let user = c.visitor.user_id.clone().map(|u| {
        fact(
            Key::ContextUser,
            lang,
            view! {
                <span class="verified-user" data-test="context-user">
                    <bdi dir="ltr">{u}</bdi>
                    <span class="verified" title=move || lang.t(Key::ContextVerified)>
                        "✓ "
                        {move || lang.t(Key::ContextVerified)}
                    </span>
                </span>
            },
        )
    });
    let email = c.visitor.email.clone().map(|e| {
        let href = format!("mailto:{e}");
        fact(
            Key::ContextEmail,
            lang,
            view! { <a href=href dir="ltr" data-test="context-email">{e}</a> },
        )
    });
    // The rest of what they answered (the pre-chat form), by the owner's
    // key; a phone number can be called.
    let answers = c
        .visitor
        .attributes
        .iter()
        .filter(|(key, _)| key.as_str() != shared::proactive::STARTED_ATTRIBUTE)
        .map(|(key, value)| {
            // The owner's label in the agent's language, else English,
            // else the key.
            let label = c
                .answer_labels
                .get(key)
                .and_then(|l| l.get(locale.code()).or_else(|| l.get("en")))
                .cloned()
                .unwrap_or_else(|| key.replace('_', " "));
            let shown = if key == "phone" {
                view! { <a href=format!("tel:{value}") dir="ltr">{value.clone()}</a> }.into_any()
            } else {
                view! { <span dir="auto">{value.clone()}</span> }.into_any()
            };
            view! {
                <dt>{label}</dt>
                <dd data-test="context-answer" data-key=key.clone()>{shown}</dd>
            }
        })
        .collect_view();
    // The proactive message the chat began from (the server's own note):
    // a quote of its own, too long for the facts' two columns.
    let greeting = c
        .visitor
        .attributes
        .get(shared::proactive::STARTED_ATTRIBUTE)
        .cloned()
        .map(|text| {
            view! {
                <div class="context-proactive" data-test="context-proactive">
                    <span class="context-proactive-label">{move || lang.t(Key::ContextProactive)}</span>
                    <p dir="auto">{text}</p>
                </div>
            }
        });
    view! {
        {greeting}
        <dl class="context-facts">
            {name}
            {user}
            {email}
            {answers}
            {fact(Key::ContextLocalTime, lang, move || local_time().unwrap_or_else(|| unknown().to_owned()))}
            {fact(
                Key::ContextLanguage,
                lang,
                view! { <span dir="ltr">{c.visitor.locale.clone().unwrap_or_else(|| unknown().to_owned())}</span> },
            )}
            {fact(
                Key::ContextBrowser,
                lang,
                view! { <span dir="ltr" data-test="context-browser">{c.browser.clone().unwrap_or_else(|| unknown().to_owned())}</span> },
            )}
            {fact(
                Key::ContextSystem,
                lang,
                view! { <span dir="ltr">{system.unwrap_or_else(|| unknown().to_owned())}</span> },
            )}
            {fact(Key::ContextReferrer, lang, referrer)}
            {fact(Key::ContextFirstSeen, lang, first_seen.unwrap_or_else(|| unknown().to_owned()))}
            {fact(
                Key::ContextVisits,
                lang,
                view! { <span data-test="context-visits">{locale.number(c.visits)}</span> },
            )}
        </dl>
    }
}

fn body(c: VisitorContext, lang: Lang, desk: Desk) -> impl IntoView {
    // A visitor's privacy requests are an admin's to answer.
    let admin = desk
        .inbox
        .with_untracked(|inbox| inbox.me().is_some_and(|me| me.role == Role::Admin));
    let locale = lang.get();
    let current = c.pages.first().cloned();
    let pages = c
        .pages
        .iter()
        .map(|p| {
            let time = fmt::clock_time(locale, p.at);
            view! {
                <li data-test="context-page">
                    {outside_link(&p.url, page_label(p), "context-page-link")}
                    <time>{time}</time>
                </li>
            }
        })
        .collect_view();
    let no_pages = c.pages.is_empty();
    view! {
        <section class="context-now" data-test="context-current">
            <p class="field-label">{move || lang.t(Key::ContextNowOn)}</p>
            {match current {
                Some(page) => view! {
                    <p class="context-page-title">
                        {outside_link(&page.url, page_label(&page), "context-current-link")}
                    </p>
                    <p class="context-url" dir="ltr">{page.url.clone()}</p>
                }
                .into_any(),
                None => view! { <p class="muted">{move || lang.t(Key::ContextNoPages)}</p> }.into_any(),
            }}
        </section>
        {facts(&c, locale, lang, desk)}
        <h4>{move || lang.t(Key::ContextPages)}</h4>
        {if no_pages {
            view! { <p class="muted">{move || lang.t(Key::ContextNoPages)}</p> }.into_any()
        } else {
            view! { <ol class="context-pages" data-test="context-pages">{pages}</ol> }.into_any()
        }}
        <h4>{move || lang.t(Key::ContextPast)}</h4>
        <p class="muted" data-test="context-past">{move || lang.t(Key::ContextNoPast)}</p>
        {admin.then(|| view! { <PrivacyActions visitor=c.visitor.id.clone() /> })}
    }
}

/// `[data-test=context-panel]`: shown beside the thread on wide screens,
/// and on narrow ones while `shown` (the header's toggle).
#[component]
pub fn ContextPanel(id: ConversationId, shown: RwSignal<bool>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let context = RwSignal::new(None::<Result<VisitorContext, Failure>>);
    let moves = {
        let id = id.clone();
        Memo::new(move |_| desk.inbox.with(|inbox| inbox.activity(&id)))
    };
    // Reads can overlap (the visitor moves while one is on its way): only
    // the latest one asked for may be shown, or an older answer arriving
    // last would put the visitor back on a page they left.
    let asked = StoredValue::new(0u64);
    Effect::new(move |_| {
        // Read, not just tracked: a memo nobody reads is not recomputed,
        // and an effect that only tracks it never hears it changed.
        let _ = moves.get();
        asked.update_value(|n| *n += 1);
        let this = asked.get_value();
        let path = format!("/api/conversations/{id}/context");
        leptos::task::spawn_local(async move {
            let got = api::get::<VisitorContext>(&path).await;
            if asked.try_get_value() == Some(this) {
                context.try_set(Some(got));
            }
        });
    });
    view! {
        <aside
            class="context"
            class:shown=move || shown.get()
            data-test="context-panel"
            aria-label=move || lang.t(Key::ContextTitle)
        >
            <h3>{move || lang.t(Key::ContextTitle)}</h3>
            {move || match context.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(c)) => body(c, lang, desk).into_any(),
            }}
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls_become_links() {
        assert!(web_href("https://shop.example/").is_some());
        assert!(web_href("HTTP://shop.example/").is_some());
        assert!(web_href("javascript:alert(1)").is_none());
        assert!(web_href(" data:text/html,x").is_none());
    }

    #[test]
    fn a_page_is_called_by_its_title_else_its_url() {
        let page = |title: Option<&str>| PageView {
            url: "https://shop.example/cart".into(),
            title: title.map(str::to_owned),
            at: 0,
        };
        assert_eq!(page_label(&page(Some("Cart"))), "Cart");
        assert_eq!(page_label(&page(Some("  "))), "https://shop.example/cart");
        assert_eq!(page_label(&page(None)), "https://shop.example/cart");
    }
}
