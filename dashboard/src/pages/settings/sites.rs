//! The sites list: each site with its key and origins; create one by name
//! (its settings open next).

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::{FieldError, FormError};
use crate::i18n::{self, Key};
use crate::pages::inbox::navigate;
use crate::route::Route;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::api::{NewSite, SiteInfo};

/// The page.
#[component]
pub fn SitesPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let sites = RwSignal::new(None::<Result<Vec<SiteInfo>, Failure>>);
    leptos::task::spawn_local(async move {
        let got = api::get::<Vec<SiteInfo>>("/api/sites").await;
        sites.try_set(Some(got));
    });
    let name = RwSignal::new(String::new());
    let failed = RwSignal::new(None::<Failure>);
    let create = move |ev: SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let body = NewSite {
            name: name.get_untracked(),
            ..NewSite::default()
        };
        leptos::task::spawn_local(async move {
            match api::write::<_, SiteInfo>("POST", "/api/sites", &body).await {
                Ok(site) => navigate(&Route::Site(site.id)),
                Err(f) => {
                    failed.try_set(Some(f));
                }
            }
        });
    };

    view! {
        <section class="settings-section">
            <h1>{move || lang.t(Key::Sites)}</h1>
            <p class="lead">{move || lang.t(Key::SitesLead)}</p>
            <form class="card inline-form" on:submit=create novalidate>
                <label class="field grow">
                    <span class="field-label">{move || lang.t(Key::NewSite)}</span>
                    <input
                        type="text"
                        data-test="new-site-name"
                        placeholder=move || lang.t(Key::NewSiteName)
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                    <FieldError failed field="name" />
                </label>
                <button type="submit" class="btn btn-primary" data-test="new-site-create">
                    {move || lang.t(Key::Create)}
                </button>
                <FormError failed fields=&["name"] />
            </form>
            {move || match sites.get() {
                None => view! { <p class="muted">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = crate::components::form::failure_key(&f);
                    view! { <p class="form-error">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="muted">{move || lang.t(Key::NoSites)}</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ul class="card list" data-test="sites">
                            {list
                                .into_iter()
                                .map(|site| {
                                    let route = Route::Site(site.id.clone());
                                    let href = route.hash();
                                    let n = site.allowed_origins.len();
                                    view! {
                                        <li class="list-row" data-test="site-row" data-id=site.id.to_string()>
                                            <span
                                                class="swatch"
                                                style=format!("background:{}", site.appearance.accent_color)
                                                aria-hidden="true"
                                            ></span>
                                            <a
                                                class="list-main"
                                                href=href
                                                on:click=move |ev| {
                                                    ev.prevent_default();
                                                    navigate(&route);
                                                }
                                            >
                                                <strong>{site.name.clone()}</strong>
                                                <span class="muted mono" dir="ltr">{site.key.clone()}</span>
                                            </a>
                                            <span class="muted">
                                                {move || {
                                                    i18n::fill(
                                                        lang.t(Key::OriginsCount),
                                                        &[("n", &lang.get().number(n))],
                                                    )
                                                }}
                                            </span>
                                        </li>
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
}
