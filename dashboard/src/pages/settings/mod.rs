//! The settings area: a side navigation (my profile and canned responses
//! for everyone; help articles for supervisors and admins; sites, agents
//! and teams for admins) and the chosen page. A non-admin who opens an
//! admin page's link is told the page is for admins.

mod agents;
mod articles;
mod canned;
mod hours;
mod identity;
mod prechat;
mod proactive;
mod profile;
mod site;
mod sites;
mod teams;

use crate::app::Lang;
use crate::desk::Desk;
use crate::i18n::Key;
use crate::pages::inbox::{navigate, Screen};
use crate::route::Route;
use leptos::prelude::*;

/// One link of the side navigation.
#[component]
fn NavLink(route: Route, key: Key, test: &'static str) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let screen = expect_context::<Screen>();
    let current = {
        let route = route.clone();
        move || {
            screen.0.with(|now| {
                *now == route || (matches!(now, Route::Site(_)) && route == Route::Sites)
            })
        }
    };
    let href = route.hash();
    view! {
        <a
            href=href
            class="settings-link"
            data-test=test
            aria-current=move || current().then_some("page")
            on:click=move |ev| {
                ev.prevent_default();
                navigate(&route);
            }
        >
            {move || lang.t(key)}
        </a>
    }
}

/// The settings area.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let screen = expect_context::<Screen>();
    let desk = expect_context::<Desk>();
    let admin = Memo::new(move |_| desk.inbox.with(|i| i.me().is_some_and(|m| m.is_admin())));
    let page = Memo::new(move |_| screen.0.get());
    // Supervisors write their sites' articles (agents may still open the
    // page's link and read them).
    let writes_articles = Memo::new(move |_| {
        desk.inbox.with(|i| {
            i.me()
                .is_some_and(|m| m.is_admin() || m.role == shared::Role::Supervisor)
        })
    });
    view! {
        <div class="settings">
            <nav class="settings-nav" aria-label=move || lang.t(Key::SettingsNav)>
                <NavLink route=Route::Profile key=Key::Profile test="settings-profile" />
                <NavLink route=Route::Canned key=Key::CannedResponses test="settings-canned" />
                <Show when=move || writes_articles.get()>
                    <NavLink route=Route::Articles key=Key::HelpArticles test="settings-articles" />
                </Show>
                <Show when=move || admin.get()>
                    <NavLink route=Route::Sites key=Key::Sites test="settings-sites" />
                    <NavLink route=Route::Agents key=Key::Agents test="settings-agents" />
                    <NavLink route=Route::Teams key=Key::Teams test="settings-teams" />
                </Show>
            </nav>
            <main class="settings-main">
                {move || {
                    let route = page.get();
                    if route.admin_only() && !admin.get() {
                        return view! {
                            <p class="form-notice">{move || lang.t(Key::AdminOnly)}</p>
                        }
                            .into_any();
                    }
                    match route {
                        Route::Sites => view! { <sites::SitesPage /> }.into_any(),
                        Route::Site(id) => view! { <site::SitePage id=id /> }.into_any(),
                        Route::Agents => view! { <agents::AgentsPage /> }.into_any(),
                        Route::Teams => view! { <teams::TeamsPage /> }.into_any(),
                        Route::Canned => view! { <canned::CannedPage /> }.into_any(),
                        Route::Articles => view! { <articles::ArticlesPage /> }.into_any(),
                        Route::Profile
                        | Route::Inbox
                        | Route::History
                        | Route::Callbacks
                        | Route::Reports => {
                            view! { <profile::ProfilePage /> }.into_any()
                        }
                    }
                }}
            </main>
        </div>
    }
}
