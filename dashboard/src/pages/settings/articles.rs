//! Help articles: a site's answers that visitors find in the widget's help
//! view and see suggested as they type their first question. Everyone who
//! serves a site reads them with their figures (opened, still asked us,
//! helped without a chat); its supervisors and the admins write them (the
//! server's rule, server/src/access.rs, so the page offers only what will
//! be accepted).

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::{
    failure_key, settle, FieldError, FormError, RowEditActions, RowEditButton,
};
use crate::desk::Desk;
use crate::i18n::{Key, Locale};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::SiteInfo;
use shared::help::{Article, ArticleDraft, ArticleListing, MAX_BODY_CHARS, MAX_TITLE_CHARS};
use shared::{AgentProfile, Role, SiteId};

const FIELDS: &[&str] = &["lang", "title", "body"];

/// Whether `me` may write the articles of `site`.
fn may_write(me: &AgentProfile, site: &SiteId) -> bool {
    me.role == Role::Admin || (me.role == Role::Supervisor && me.sites.contains(site))
}

fn articles_path(site: &SiteId) -> String {
    format!("/api/sites/{site}/articles")
}

/// The languages an article may be written in, named in themselves.
fn languages() -> impl Iterator<Item = (&'static str, &'static str)> {
    Locale::ALL.into_iter().map(|l| (l.code(), l.native_name()))
}

/// The page.
#[component]
pub fn ArticlesPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let me = desk.inbox.with_untracked(|i| i.me().cloned());
    let Some(me) = me else {
        return view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any();
    };
    let me = StoredValue::new(me);
    let sites = RwSignal::new(None::<Result<Vec<SiteInfo>, Failure>>);
    let site = RwSignal::new(None::<SiteId>);
    leptos::task::spawn_local(async move {
        let got = api::get::<Vec<SiteInfo>>("/api/sites").await;
        if let Ok(all) = &got {
            // The first site the agent may write for, else the first.
            let first = all
                .iter()
                .find(|s| may_write(&me.get_value(), &s.id))
                .or(all.first())
                .map(|s| s.id.clone());
            site.try_set(first);
        }
        sites.try_set(Some(got));
    });
    let list = RwSignal::new(None::<Result<Vec<ArticleListing>, Failure>>);
    let reload = move || {
        let Some(id) = site.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            let got = api::get::<Vec<ArticleListing>>(&articles_path(&id)).await;
            // A late answer for a site no longer chosen is dropped.
            if site.get_untracked().as_ref() == Some(&id) {
                list.try_set(Some(got));
            }
        });
    };
    Effect::new(move |_| {
        if site.get().is_some() {
            list.set(None);
            reload();
        }
    });
    let writable = Memo::new(move |_| site.get().is_some_and(|s| may_write(&me.get_value(), &s)));

    view! {
        <section class="settings-section">
            <h1>{move || lang.t(Key::HelpArticles)}</h1>
            <p class="lead" dir="auto">{move || lang.t(Key::ArticlesLead)}</p>
            {move || match sites.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(all)) if all.len() < 2 => ().into_any(),
                Some(Ok(all)) => {
                    view! {
                                <label class="field field-inline">
                                    <span class="field-label">{move || lang.t(Key::ArticleSite)}</span>
                                    <select
                                        data-test="articles-site"
                                        on:change=move |ev| site.set(Some(SiteId(event_target_value(&ev))))
                                    >
                                        {all
                                            .into_iter()
                                            .map(|s| {
                                                let id = s.id.clone();
                                                view! {
                                                    <option
                                                        value=s.id.to_string()
                                                        selected=move || site.get().as_ref() == Some(&id)
                                                    >
                                                        {s.name}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                    }
                        .into_any()
                }
            }}
            <Show
                when=move || writable.get()
                fallback=move || {
                    view! {
                        <Show when=move || site.get().is_some()>
                            <p class="muted">{move || lang.t(Key::ArticlesReadOnly)}</p>
                        </Show>
                    }
                }
            >
                <ArticleForm site on_saved=Callback::new(move |_| reload()) />
            </Show>
            {move || match list.get() {
                None => ().into_any(),
                Some(Err(f)) => {
                    let key = failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(all)) if all.is_empty() => {
                    view! { <p class="muted" data-test="articles-empty">{move || lang.t(Key::NoArticlesYet)}</p> }
                        .into_any()
                }
                Some(Ok(all)) => {
                    let manage = writable.get_untracked();
                    view! {
                        <ul class="card list" data-test="articles-list">
                            {all
                                .into_iter()
                                .map(|l| {
                                    view! {
                                        <ArticleRow listing=l manage on_change=Callback::new(move |_| reload()) />
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>
    }
    .into_any()
}

/// The fields of an article, for adding one or changing it.
#[component]
fn DraftFields(
    draft_lang: RwSignal<String>,
    title: RwSignal<String>,
    body: RwSignal<String>,
    failed: RwSignal<Option<Failure>>,
    test: &'static str,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <label class="field">
            <span class="field-label">{move || lang.t(Key::ArticleLang)}</span>
            <select
                data-test=format!("{test}-lang")
                on:change=move |ev| draft_lang.set(event_target_value(&ev))
            >
                {languages()
                    .map(|(tag, name)| {
                        view! {
                            <option value=tag selected=move || draft_lang.get() == tag lang=tag>
                                {name}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <FieldError failed field="lang" />
        </label>
        <label class="field">
            <span class="field-label">{move || lang.t(Key::ArticleQuestion)}</span>
            <input
                type="text"
                dir="auto"
                maxlength=MAX_TITLE_CHARS.to_string()
                data-test=format!("{test}-title")
                prop:value=move || title.get()
                on:input=move |ev| title.set(event_target_value(&ev))
            />
            <FieldError failed field="title" />
        </label>
        <label class="field">
            <span class="field-label">{move || lang.t(Key::ArticleAnswer)}</span>
            <textarea
                rows="6"
                dir="auto"
                maxlength=MAX_BODY_CHARS.to_string()
                data-test=format!("{test}-body")
                prop:value=move || body.get()
                on:input=move |ev| body.set(event_target_value(&ev))
            ></textarea>
            <span class="field-hint" dir="auto">{move || lang.t(Key::ArticleAnswerHint)}</span>
            <FieldError failed field="body" />
        </label>
    }
}

/// Adding an article to the chosen site.
#[component]
fn ArticleForm(site: RwSignal<Option<SiteId>>, on_saved: Callback<()>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    // New articles start in the agent's own dashboard language.
    let draft_lang = RwSignal::new(lang.get_untracked().code().to_owned());
    let title = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<Failure>);
    let add = move |ev: SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let Some(id) = site.get_untracked() else {
            return;
        };
        let req = ArticleDraft {
            lang: draft_lang.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match api::write::<_, Article>("POST", &articles_path(&id), &req).await {
                Ok(_) => {
                    title.try_set(String::new());
                    body.try_set(String::new());
                    on_saved.run(());
                }
                Err(f) => {
                    failed.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <form class="card form-grid article-grid" on:submit=add novalidate data-test="article-form">
            <DraftFields draft_lang title body failed test="article" />
            <FormError failed fields=FIELDS />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-test="article-add">
                    {move || lang.t(Key::AddArticle)}
                </button>
            </div>
        </form>
    }
}

/// One article: its question, language and figures; its answer's
/// beginning; editable in place by those who write the site's articles.
#[component]
fn ArticleRow(listing: ArticleListing, manage: bool, on_change: Callback<()>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let ArticleListing { article, stats } = listing;
    let editing = RwSignal::new(false);
    let draft_lang = RwSignal::new(article.lang.clone());
    let title = RwSignal::new(article.title.clone());
    let body = RwSignal::new(article.body.clone());
    let failed = RwSignal::new(None::<Failure>);
    let path = StoredValue::new(format!("{}/{}", articles_path(&article.site), article.id));
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let req = ArticleDraft {
            lang: draft_lang.get_untracked(),
            title: title.get_untracked(),
            body: body.get_untracked(),
        };
        let path = path.get_value();
        let request = async move { api::write::<_, Article>("PUT", &path, &req).await };
        settle(request, on_change, failed);
    };
    let language = languages()
        .find(|(tag, _)| *tag == article.lang)
        .map_or_else(|| article.lang.clone(), |(_, name)| name.to_owned());
    let figure = move |key: Key, n: u64| {
        view! {
            <span class="article-figure">
                {move || lang.t(key)}
                ": "
                <strong>{move || lang.get().number(n)}</strong>
            </span>
        }
    };
    let excerpt = shared::help::excerpt(&article.body, 160);
    view! {
        <li class="list-row article-row" data-test="article-row" data-id=article.id.to_string()>
            <Show
                when=move || editing.get()
                fallback=move || {
                    let language = language.clone();
                    let excerpt = excerpt.clone();
                    view! {
                        <div class="canned-summary grow">
                            <div class="canned-line">
                                <strong dir="auto" data-test="article-row-title">{move || title.get()}</strong>
                                <span class="tag">{language}</span>
                            </div>
                            <p class="canned-preview" dir="auto">{excerpt}</p>
                            <p class="article-figures" data-test="article-figures">
                                {figure(Key::ArticleOpened, stats.opens)}
                                {figure(Key::ArticleAskedAfter, stats.asked_after)}
                                {figure(Key::ArticleHelped, stats.self_served())}
                            </p>
                        </div>
                        {manage.then(|| view! { <RowEditButton prefix="article" editing /> })}
                    }
                }
            >
                <form class="canned-edit grow" on:submit=save novalidate>
                    <DraftFields draft_lang title body failed test="article-edit" />
                    <FormError failed fields=FIELDS />
                    <RowEditActions prefix="article" editing path on_deleted=on_change failed />
                </form>
            </Show>
        </li>
    }
}
