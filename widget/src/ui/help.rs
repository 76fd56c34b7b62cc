//! Help articles in the panel: the help view (search box, list, article)
//! that stands in the conversation's place, and the suggestions shown
//! above the composer while the first message is typed.

use super::{icons, Ctx};
use crate::help::Source;
use crate::i18n::Text;
use leptos::html::Input;
use leptos::prelude::*;
use shared::help::ArticleHit;

/// The header's button that opens (or leaves) the help view.
#[component]
pub fn HelpButton() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let open = move || ctx.state.with(|s| s.help().view_open());
    view! {
        <button
            class="close"
            type="button"
            data-test="help"
            aria-label=ctx.t(Text::Help)
            title=ctx.t(Text::Help)
            aria-pressed=move || if open() { "true" } else { "false" }
            on:click=move |_| {
                let now = open();
                ctx.session(|s| s.help_view(!now));
            }
        >
            {icons::help()}
        </button>
    }
}

/// The help view: an article, or the search box and what it found; the
/// way back to the conversation at the bottom.
#[component]
pub fn HelpView() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let reading = Memo::new(move |_| ctx.state.with(|s| s.help().reading().cloned()));
    let loading = move || ctx.state.with(|s| s.help().loading());
    view! {
        <div class="help" data-test="help-view">
            {move || match reading.get() {
                Some(article) => {
                    let back = if ctx.state.with_untracked(|s| s.help().read_from_chat()) {
                        Text::CallbackBack
                    } else {
                        Text::HelpBack
                    };
                    view! {
                        <article class="article" data-test="article" lang=article.lang.clone()>
                            <button
                                class="article-back"
                                type="button"
                                data-test="article-back"
                                on:click=move |_| ctx.session(|s| s.help_back())
                            >
                                <span class="back-arrow" aria-hidden="true">{icons::back()}</span>
                                {ctx.t(back)}
                            </button>
                            <h2 class="article-title" dir="auto" data-test="article-title">
                                {article.title.clone()}
                            </h2>
                            <div class="body article-body" dir="auto" data-test="article-body">
                                {ui::markup::body(&article.body)}
                            </div>
                        </article>
                    }
                        .into_any()
                }
                None if loading() => {
                    view! { <p class="help-wait" role="status">{"…"}</p> }.into_any()
                }
                None => view! { <HelpList /> }.into_any(),
            }}
            <div class="help-foot">
                <button
                    class="callback-ask"
                    type="button"
                    data-test="help-ask"
                    on:click=move |_| ctx.session(|s| s.help_view(false))
                >
                    {ctx.t(Text::HelpAsk)}
                </button>
            </div>
        </div>
    }
}

/// The search box and the articles it found (or the visitor's language's
/// articles while it is empty).
#[component]
fn HelpList() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let input = NodeRef::<Input>::new();
    // The search box takes the focus as the view opens.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let hits = Memo::new(move |_| ctx.state.with(|s| s.help().hits().map(<[_]>::to_vec)));
    let searched = move || ctx.state.with(|s| !s.help().query().is_empty());
    let gone = move || ctx.state.with(|s| s.help().gone());
    view! {
        <div class="help-search-row">
            <input
                type="search"
                class="help-search"
                data-test="help-search"
                dir="auto"
                node_ref=input
                placeholder=ctx.t(Text::HelpSearch)
                aria-label=ctx.t(Text::HelpSearch)
                prop:value=move || ctx.state.with_untracked(|s| s.help().query().to_owned())
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    ctx.session(|s| s.help_search(&typed));
                }
            />
        </div>
        <Show when=gone>
            <p class="error" role="alert" data-test="article-gone">{ctx.t(Text::HelpGone)}</p>
        </Show>
        <div class="help-results" aria-live="polite">
            {move || match hits.get() {
                Some(list) if list.is_empty() && searched() => {
                    view! {
                        <p class="help-nothing" data-test="help-nothing">
                            {ctx.t(Text::HelpNothing)}
                        </p>
                    }
                        .into_any()
                }
                Some(list) => {
                    view! {
                        <ul class="help-list" data-test="help-list">
                            {list
                                .into_iter()
                                .map(|hit| view! { <HitItem hit=hit /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
                None => view! { <p class="help-wait">{"…"}</p> }.into_any(),
            }}
        </div>
    }
}

/// One article in the list: its title and the beginning of its answer.
#[component]
fn HitItem(hit: ArticleHit) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = hit.id.clone();
    view! {
        <li>
            <button
                class="help-hit"
                type="button"
                data-test="help-hit"
                lang=hit.lang
                on:click=move |_| {
                    let id = id.clone();
                    ctx.session(|s| s.open_article(id, Source::List));
                }
            >
                <span class="hit-title" dir="auto">{hit.title}</span>
                <span class="hit-excerpt" dir="auto">{hit.excerpt}</span>
            </button>
        </li>
    }
}

/// Above the composer, while the first message is typed: the articles
/// that may answer it. The visitor can open one, hide them, or just send.
#[component]
pub fn Suggestions() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let shown = Memo::new(move |_| {
        let draft = ctx.draft.get();
        ctx.state.with(|s| s.help().suggestions(&draft).to_vec())
    });
    move || {
        let list = shown.get();
        (!list.is_empty()).then(|| {
            view! {
                <section
                    class="suggestions"
                    data-test="suggestions"
                    aria-label=ctx.t(Text::Suggested)
                >
                    <div class="suggestions-head">
                        <span>{ctx.t(Text::Suggested)}</span>
                        <button
                            class="suggestions-hide"
                            type="button"
                            data-test="suggestions-hide"
                            aria-label=ctx.t(Text::SuggestedHide)
                            title=ctx.t(Text::SuggestedHide)
                            on:click=move |_| ctx.session(|s| s.hide_suggestions())
                        >
                            {icons::close()}
                        </button>
                    </div>
                    <ul>
                        {list
                            .into_iter()
                            .map(|hit| {
                                let id = hit.id.clone();
                                view! {
                                    <li>
                                        <button
                                            class="suggestion"
                                            type="button"
                                            data-test="suggestion"
                                            lang=hit.lang
                                            on:click=move |_| {
                                                let id = id.clone();
                                                ctx.session(|s| s.open_article(id, Source::Chat));
                                            }
                                        >
                                            {icons::article()}
                                            <span dir="auto">{hit.title}</span>
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
