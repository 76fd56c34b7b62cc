//! A site's identity verification card (admins): the secret the site's
//! server signs its users' ids with — hidden until asked, copied, rotated
//! after a confirmation — and how to use it (docs/SDK.md). Whether only
//! signed identities are accepted is a switch of the site's form.

use super::site::copy;
use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::{Confirmed, FormError};
use crate::i18n::Key;
use leptos::prelude::*;
use shared::api::IdentitySettings;

/// How a site's server signs, and how its page identifies: the same in
/// every language (it is code).
const EXAMPLE: &str = r#"// On your server (Node.js; docs/SDK.md has Python too):
const hash = crypto.createHmac("sha256", AHLAN_IDENTITY_SECRET)
  .update(String(user.id)).digest("hex");

// In your page, for the logged-in user:
Ahlan.identify({ id: user.id, name: user.name, email: user.email, hash: hash });"#;

/// The secret, shown as its last four digits until asked.
fn masked(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("••••••••••••{tail}")
}

/// The card for the site at `path` (`/api/sites/<id>`).
#[component]
pub fn IdentityCard(path: String) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let settings = RwSignal::new(None::<IdentitySettings>);
    let shown = RwSignal::new(false);
    let copied = RwSignal::new(false);
    let confirming = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    {
        let url = format!("{path}/identity");
        leptos::task::spawn_local(async move {
            match api::get::<IdentitySettings>(&url).await {
                Ok(s) => drop(settings.try_set(Some(s))),
                Err(f) => drop(failed.try_set(Some(f))),
            }
        });
    }
    let rotate = move || {
        let url = format!("{path}/identity/rotate");
        leptos::task::spawn_local(async move {
            let result = api::write::<_, IdentitySettings>("POST", &url, &()).await;
            confirming.try_set(false);
            match result {
                Ok(s) => {
                    settings.try_set(Some(s));
                    shown.try_set(true);
                    copied.try_set(false);
                }
                Err(f) => drop(failed.try_set(Some(f))),
            }
        });
    };
    let secret =
        move || settings.with(|s| s.as_ref().map(|s| s.secret.clone()).unwrap_or_default());
    view! {
        <div class="card" data-test="identity-card">
            <h2>{move || lang.t(Key::IdentityHeading)}</h2>
            <p class="field-hint">{move || lang.t(Key::IdentityHint)}</p>
            <div class="secret-row">
                <code class="secret" dir="ltr" data-test="identity-secret">
                    {move || if shown.get() { secret() } else { masked(&secret()) }}
                </code>
                <button
                    type="button"
                    class="btn btn-ghost btn-small"
                    data-test="identity-show"
                    aria-pressed=move || shown.get().to_string()
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    {move || lang.t(if shown.get() { Key::Hide } else { Key::Show })}
                </button>
                <button
                    type="button"
                    class="btn btn-secondary btn-small"
                    data-test="identity-copy"
                    on:click=move |_| {
                        copied.set(copy(&secret()));
                    }
                >
                    {move || lang.t(if copied.get() { Key::Copied } else { Key::Copy })}
                </button>
            </div>
            <Confirmed
                asking=confirming
                label=Key::IdentityRotate
                confirm=Key::IdentityRotate
                question=Signal::derive(move || lang.t(Key::IdentityRotateConfirm).to_owned())
                test="identity-rotate"
                small=true
                on_confirm=rotate
            />
            <FormError failed fields=&[] />
            <p class="field-hint">{move || lang.t(Key::IdentityExample)}</p>
            <pre class="snippet" dir="ltr"><code>{EXAMPLE}</code></pre>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::masked;

    #[test]
    fn the_secret_shows_only_its_end_until_asked() {
        assert_eq!(masked("0123456789abcdef"), "••••••••••••cdef");
        assert_eq!(masked(""), "••••••••••••");
    }
}
