//! The top bar: product, connection, presence, notifications, language,
//! who is logged in, and logout. On a phone the right-hand group folds into
//! a menu opened by a button (CSS decides; the button is hidden on wider
//! screens, where the group is always shown).

use crate::app::Lang;
use crate::components::avatar::Avatar;
use crate::components::connection::ConnectionBadge;
use crate::components::lang_switch::LangSwitch;
use crate::components::presence::PresenceToggle;
use crate::desk::Desk;
use crate::i18n::{self, Key};
use crate::notify::{self, Permission};
use crate::pages::inbox::{navigate, Screen};
use crate::route::Route;
use leptos::prelude::*;

/// Offers notifications while the browser has not been asked yet; asking
/// needs this click (a user gesture).
#[component]
fn NotificationsButton() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let permission = RwSignal::new(notify::permission());
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let answer = notify::request_permission().await;
            permission.try_set(answer);
        });
    };
    move || {
        (permission.get() == Permission::Ask).then(|| {
            view! {
                <button type="button" class="btn btn-ghost btn-small" on:click=ask>
                    {move || lang.t(Key::EnableNotifications)}
                </button>
            }
        })
    }
}

/// Whether I may read reports (admins and supervisors), reactively.
fn oversees(desk: Desk) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || desk.inbox.with(|i| i.me().is_some_and(|m| m.oversees()))
}

/// One tab of [`Nav`]: opens `route`, marked current while `current`.
#[component]
fn Tab(
    route: Route,
    key: Key,
    test: &'static str,
    current: impl Fn() -> bool + Send + Sync + 'static,
    /// More classes (`topnav-wide`: not on phones, where the menu has it).
    #[prop(optional)]
    class: &'static str,
    /// A count to show beside the name when it is not zero.
    #[prop(optional)]
    badge: Option<Signal<usize>>,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let badge = move || {
        let n = badge.map_or(0, |b| b.get());
        (n > 0).then(|| {
            view! {
                <span class="topnav-badge" data-test=format!("{test}-count")>
                    {move || lang.get().number(n)}
                </span>
            }
        })
    };
    view! {
        <a
            href=route.hash()
            class=format!("topnav-link {class}")
            data-test=test
            aria-current=move || current().then_some("page")
            on:click=move |ev| {
                ev.prevent_default();
                // Settings open on the sites for admins, else the profile.
                let admin = desk.inbox.with_untracked(|i| i.me().is_some_and(|m| m.is_admin()));
                navigate(if route == Route::Profile && admin { &Route::Sites } else { &route });
            }
        >
            {move || lang.t(key)}
            {badge}
        </a>
    }
}

/// Inbox / History / Reports / Settings, the current one marked for
/// assistive technology too. Reports only for admins and supervisors.
#[component]
fn Nav() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let screen = expect_context::<Screen>();
    let desk = expect_context::<Desk>();
    let oversees = oversees(desk);
    let at = move |route: Route| move || screen.0.with(|now| *now == route);
    view! {
        <nav class="topnav" aria-label=move || lang.t(Key::NavSettings)>
            <Tab route=Route::Inbox key=Key::NavInbox test="nav-inbox" current=at(Route::Inbox) />
            <Tab
                route=Route::History
                key=Key::NavHistory
                test="nav-history"
                current=at(Route::History)
            />
            <Tab
                route=Route::Callbacks
                key=Key::NavCallbacks
                test="nav-callbacks"
                current=at(Route::Callbacks)
                class="topnav-wide"
                badge=Signal::derive(move || desk.inbox.with(|i| i.callbacks().unclaimed()))
            />
            <Show when=oversees>
                <Tab
                    route=Route::Reports
                    key=Key::NavReports
                    test="nav-reports"
                    current=at(Route::Reports)
                    class="topnav-wide"
                />
            </Show>
            <Tab
                route=Route::Profile
                key=Key::NavSettings
                test="nav-settings"
                current=move || screen.0.with(Route::is_settings)
            />
        </nav>
    }
}

/// The bar across the top of the inbox.
#[component]
pub fn TopBar() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let screen = expect_context::<Screen>();
    let me = Memo::new(move |_| {
        desk.inbox
            .with(|inbox| inbox.me().map(|me| (me.id.to_string(), me.name.clone())))
    });
    let menu_open = RwSignal::new(false);
    let oversees = oversees(desk);
    // Moving to another screen closes the menu.
    Effect::new(move |_| {
        screen.0.track();
        menu_open.set(false);
    });
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo-mark" aria-hidden="true"></span>
                <span>{i18n::PRODUCT}</span>
            </div>
            <ConnectionBadge />
            <Nav />
            <div class="topbar-spacer"></div>
            <button
                type="button"
                class="menu-toggle"
                data-test="menu-toggle"
                aria-controls="topbar-menu"
                aria-expanded=move || menu_open.get().to_string()
                aria-label=move || lang.t(Key::Menu)
                on:click=move |_| menu_open.update(|open| *open = !*open)
            >
                <span class="menu-icon" aria-hidden="true"></span>
            </button>
            <div id="topbar-menu" class="topbar-menu" class:open=move || menu_open.get()>
            // On a phone four tabs do not fit beside the logo: the reports
            // are here instead.
            <a
                class="btn btn-ghost btn-small menu-only"
                href=Route::Callbacks.hash()
                data-test="menu-callbacks"
                on:click=move |ev| {
                    ev.prevent_default();
                    navigate(&Route::Callbacks);
                }
            >
                {move || lang.t(Key::NavCallbacks)}
            </a>
            <Show when=oversees>
                <a
                    class="btn btn-ghost btn-small menu-only"
                    href=Route::Reports.hash()
                    data-test="menu-reports"
                    on:click=move |ev| {
                        ev.prevent_default();
                        navigate(&Route::Reports);
                    }
                >
                    {move || lang.t(Key::NavReports)}
                </a>
            </Show>
            <NotificationsButton />
            <button
                type="button"
                class="btn btn-ghost btn-small sound-toggle"
                data-test="sound-toggle"
                aria-pressed=move || desk.sound.get().to_string()
                on:click=move |_| desk.toggle_sound()
            >
                {move || lang.t(if desk.sound.get() { Key::SoundOn } else { Key::SoundOff })}
            </button>
            <PresenceToggle />
            <LangSwitch />
            {move || {
                me.get()
                    .map(|(id, name)| {
                        view! {
                            <span class="agent" title=name.clone()>
                                <Avatar seed=id label=name.clone() class="avatar-small" />
                                <span class="agent-name">{name.clone()}</span>
                            </span>
                        }
                    })
            }}
            <button
                type="button"
                class="btn btn-ghost btn-small"
                data-test="sign-out"
                on:click=move |_| desk.logout()
            >
                {move || lang.t(Key::SignOut)}
            </button>
            </div>
        </header>
    }
}
