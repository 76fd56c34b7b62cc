//! The history screen: search and filter every conversation this agent may
//! see (their own; their sites' for supervisors; all for admins), newest
//! first, a page at a time; opening one shows it in the same pane as the
//! inbox. On a phone the results and the conversation are two screens,
//! like the inbox's lists.

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::avatar::Avatar;
use crate::components::conversation_view::ConversationPane;
use crate::components::rating;
use crate::desk::Desk;
use crate::fmt;
use crate::history::{self, Filters};
use crate::i18n::{self, Key};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::{HistoryHit, HistoryPage as Page, SiteInfo};
use shared::protocol::AgentProfile;
use shared::{AgentId, ConversationStatus, SiteId};

/// What the results list holds.
#[derive(Debug, Clone, PartialEq, Default)]
struct Results {
    hits: Vec<HistoryHit>,
    next: Option<String>,
    /// The search text the hits were found with (for marking words).
    text: String,
    /// What they were found with (chats begun since join the list when
    /// they match).
    filters: Filters,
}

/// The screen.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    // The screen starts with its results, not a conversation left open in
    // the inbox (on a phone that would hide them).
    desk.deselect();
    let text = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let site = RwSignal::new(String::new());
    let agent = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let results = RwSignal::new(None::<Result<Results, Failure>>);
    let busy = RwSignal::new(false);

    // Site and agent choices, when this agent may read them.
    let sites = RwSignal::new(Vec::<SiteInfo>::new());
    let agents = RwSignal::new(Vec::<AgentProfile>::new());
    // Admins filter by any agent, supervisors by their sites' agents.
    let oversees = desk
        .inbox
        .with_untracked(|i| i.me().is_some_and(|m| m.oversees()));
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::get::<Vec<SiteInfo>>("/api/sites").await {
            sites.try_set(list);
        }
        if oversees {
            if let Ok(list) = api::get::<Vec<AgentProfile>>("/api/agents").await {
                agents.try_set(list);
            }
        }
    });

    let filters = move || Filters {
        text: text.get_untracked(),
        status: history::parse_status(&status.get_untracked()),
        site: Some(site.get_untracked())
            .filter(|s| !s.is_empty())
            .map(SiteId),
        agent: Some(agent.get_untracked())
            .filter(|a| !a.is_empty())
            .map(AgentId),
        from: history::parse_date(&from.get_untracked()).map(fmt::local_midnight),
        // Through the end of the "to" day.
        to: history::parse_date(&to.get_untracked())
            .map(fmt::local_midnight)
            .map(|t| t + 24 * 60 * 60 * 1000),
    };
    // Runs the search; `more` continues the current results.
    let run = move |more: bool| {
        let f = filters();
        let after = if more {
            results.with_untracked(|r| match r {
                Some(Ok(r)) => r.next.clone(),
                _ => None,
            })
        } else {
            None
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let got = api::get::<Page>(&f.path(after.as_deref())).await;
            let next = match got {
                Ok(page) => {
                    let mut r = if more {
                        results
                            .get_untracked()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                    } else {
                        Results::default()
                    };
                    r.hits.extend(page.hits);
                    r.next = page.next;
                    r.text = f.text.clone();
                    r.filters = f.clone();
                    Ok(r)
                }
                Err(e) => Err(e),
            };
            results.try_set(Some(next));
            busy.try_set(false);
        });
    };
    run(false);
    // Live: listed chats follow what the desk hears about them (a chat
    // resolved or reopened while the list is open shows it at once).
    Effect::new(move |_| {
        let fresh = desk.inbox.with(|inbox| {
            results.with_untracked(|r| match r {
                Some(Ok(r)) => {
                    let mut r = r.clone();
                    let newer =
                        |id: &shared::ConversationId| inbox.get(id).map(|c| c.summary.clone());
                    let changed = history::refresh(&mut r.hits, newer);
                    let added = history::admit(&mut r.hits, inbox.summaries(), &r.filters);
                    (changed || added).then_some(r)
                }
                _ => None,
            })
        });
        if let Some(r) = fresh {
            results.set(Some(Ok(r)));
        }
    });
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        run(false);
    };
    let on_change = move |signal: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            signal.set(event_target_value(&ev));
            run(false);
        }
    };
    let status_option = move |value: &'static str, key: Key| {
        view! { <option value=value selected=move || status.get() == value>{move || lang.t(key)}</option> }
    };

    view! {
        <div
            class="workspace history"
            class:has-selection=move || desk.inbox.with(|i| i.selected().is_some())
        >
            <nav class="sidebar history-side" aria-label=move || lang.t(Key::NavHistory)>
                <form class="history-search" role="search" on:submit=submit>
                    <div class="history-query">
                        <input
                            type="search"
                            data-test="history-q"
                            maxlength="200"
                            dir="auto"
                            aria-label=move || lang.t(Key::SearchPlaceholder)
                            placeholder=move || lang.t(Key::SearchPlaceholder)
                            prop:value=move || text.get()
                            on:input=move |ev| text.set(event_target_value(&ev))
                        />
                        <button type="submit" class="btn btn-primary btn-small" data-test="history-search">
                            {move || lang.t(Key::SearchButton)}
                        </button>
                    </div>
                    <fieldset class="history-filters">
                        <legend class="visually-hidden">{move || lang.t(Key::HistoryFilters)}</legend>
                        <select
                            data-test="history-status"
                            aria-label=move || lang.t(Key::AnyStatus)
                            on:change=on_change(status)
                        >
                            {status_option("", Key::AnyStatus)}
                            {status_option(history::status_value(ConversationStatus::Queued), Key::Waiting)}
                            {status_option(history::status_value(ConversationStatus::Assigned), Key::StatusOpen)}
                            {status_option(history::status_value(ConversationStatus::Resolved), Key::StatusResolved)}
                        </select>
                        <Choices
                            test="history-site"
                            any=Key::AllSites
                            options=Signal::derive(move || {
                                sites.with(|l| {
                                    l.iter().map(|s| (s.id.to_string(), s.name.clone())).collect()
                                })
                            })
                            min=2
                            on_change=on_change(site)
                        />
                        <Choices
                            test="history-agent"
                            any=Key::AnyAgent
                            options=Signal::derive(move || {
                                agents.with(|l| {
                                    l.iter().map(|a| (a.id.to_string(), a.name.clone())).collect()
                                })
                            })
                            min=1
                            on_change=on_change(agent)
                        />
                        <label class="history-date">
                            <span>{move || lang.t(Key::FromDate)}</span>
                            <input type="date" data-test="history-from" on:change=on_change(from) />
                        </label>
                        <label class="history-date">
                            <span>{move || lang.t(Key::ToDate)}</span>
                            <input type="date" data-test="history-to" on:change=on_change(to) />
                        </label>
                    </fieldset>
                </form>
                <div class="history-results" data-test="history-results" aria-busy=move || busy.get().to_string()>
                    {move || match results.get() {
                        None => view! { <p class="list-empty">{move || lang.t(Key::Loading)}</p> }.into_any(),
                        Some(Err(f)) => {
                            let key = crate::components::form::failure_key(&f);
                            view! { <p class="form-error" role="alert">{move || lang.t(key)}</p> }.into_any()
                        }
                        Some(Ok(r)) if r.hits.is_empty() && r.next.is_none() => {
                            view! { <p class="list-empty" data-test="history-none">{move || lang.t(Key::NoMatches)}</p> }.into_any()
                        }
                        Some(Ok(r)) => {
                            let more = r.next.is_some();
                            let text = r.text.clone();
                            view! {
                                <ul class="conv-list">
                                    {r.hits
                                        .into_iter()
                                        .map(|hit| view! { <HistoryItem hit=hit text=text.clone() /> })
                                        .collect_view()}
                                </ul>
                                <Show when=move || more>
                                    <button
                                        type="button"
                                        class="btn btn-ghost btn-small history-more"
                                        data-test="history-more"
                                        disabled=move || busy.get()
                                        on:click=move |_| run(true)
                                    >
                                        {move || lang.t(Key::LoadMore)}
                                    </button>
                                </Show>
                            }
                            .into_any()
                        }
                    }}
                </div>
            </nav>
            <main class="pane">
                <ConversationPane />
            </main>
        </div>
    }
}

/// A filter's select: "any" first, then `options` (value, label); shown
/// only with at least `min` options to choose from.
#[component]
fn Choices(
    test: &'static str,
    any: Key,
    options: Signal<Vec<(String, String)>>,
    min: usize,
    on_change: impl FnMut(leptos::ev::Event) + 'static,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <select
            data-test=test
            aria-label=move || lang.t(any)
            class:hidden=move || options.with(|o| o.len() < min)
            on:change=on_change
        >
            <option value="">{move || lang.t(any)}</option>
            <For
                each=move || options.get()
                key=|(value, _)| value.clone()
                children=move |(value, label)| view! { <option value=value>{label}</option> }
            />
        </select>
    }
}

/// One result: who, when, its status and agent, and the message that
/// matched (words marked) or the latest one.
#[component]
fn HistoryItem(hit: HistoryHit, text: String) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let c = hit.conversation.clone();
    let id = c.id.clone();
    let selected = {
        let id = id.clone();
        Memo::new(move |_| desk.inbox.with(|inbox| inbox.selected() == Some(&id)))
    };
    let visitor = c.visitor.clone();
    let (seed, tag) = (visitor.id.to_string(), fmt::visitor_label(&visitor));
    let name = move || fmt::visitor_name(lang.get(), &visitor);
    let started = move || fmt::date_time(lang.get(), c.created_at);
    let (status_class, status_key) = match c.status {
        ConversationStatus::Queued => ("status status-waiting", Key::Waiting),
        ConversationStatus::Assigned => ("status status-other", Key::StatusOpen),
        ConversationStatus::Resolved => ("status status-resolved", Key::StatusResolved),
    };
    let agent_name = c.agent.as_ref().map(|a| a.name.clone());
    let rated = c.rating.as_ref().map(|r| r.score);
    let line = match &hit.excerpt {
        Some(m) => history::from_first_mark(history::highlight(&m.body, &text), 24),
        None => {
            let summary = hit.conversation.clone();
            vec![(fmt::summary_preview(lang.get_untracked(), &summary), false)]
        }
    };
    let open = move |_| desk.open_found(hit.conversation.clone());
    view! {
        <li
            class="conv-item"
            class:selected=move || selected.get()
            data-test="history-item"
            data-id=id.to_string()
            on:click=open
        >
            <button type="button" class="conv-open" aria-current=move || selected.get().then_some("true")>
                <Avatar seed=seed label=tag />
                <span class="conv-main">
                    <span class="conv-top">
                        <span class="conv-name">{name}</span>
                        <span class="conv-time">{started}</span>
                    </span>
                    <span class="conv-details">
                        <span class=status_class>{move || lang.t(status_key)}</span>
                        {agent_name.map(|n| view! { <span class="history-agent">{n}</span> })}
                        {rated.map(|score| {
                            let label = move || {
                                let locale = lang.get();
                                i18n::fill(locale.text(Key::Rated), &[("score", &locale.number(score))])
                            };
                            view! {
                                <span class="history-rating" data-test="history-rating" title=label aria-label=label>
                                    {rating::face(score)}
                                    {move || lang.get().number(score)}
                                </span>
                            }
                        })}
                    </span>
                    // The block takes the text's direction, so a long
                    // line is cut at its own end in either layout.
                    <span class="conv-preview" data-test="history-excerpt" dir="auto">
                        <span>
                            {line
                                .into_iter()
                                .map(|(run, marked)| {
                                    if marked {
                                        view! { <mark>{run}</mark> }.into_any()
                                    } else {
                                        run.into_any()
                                    }
                                })
                                .collect_view()}
                        </span>
                    </span>
                </span>
            </button>
        </li>
    }
}
