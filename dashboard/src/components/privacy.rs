//! A visitor's privacy requests, for admins, at the foot of the context
//! panel: download everything stored about them (a JSON file), or erase
//! them after a second, explicit confirmation. Once erased the server
//! tells every dashboard to drop the conversation.

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::form::failure_key;
use crate::i18n::Key;
use leptos::prelude::*;
use shared::VisitorId;

/// Where the export of a visitor is downloaded from.
pub fn export_href(visitor: &VisitorId) -> String {
    format!("/api/visitors/{visitor}/export")
}

/// `[data-test=privacy]`.
#[component]
pub fn PrivacyActions(visitor: VisitorId) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<Failure>);
    let href = export_href(&visitor);
    let erase = move |_| {
        let path = format!("/api/visitors/{visitor}");
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = api::delete(&path).await;
            // Gone from the inbox by the server's word (a `gone` frame);
            // until then the panel stays as it was.
            busy.try_set(false);
            match result {
                Ok(()) => {
                    confirming.try_set(false);
                }
                Err(f) => {
                    failed.try_set(Some(f));
                }
            }
        });
    };
    view! {
        <section class="privacy" data-test="privacy">
            <h4>{move || lang.t(Key::PrivacyTitle)}</h4>
            <a class="btn btn-secondary btn-small" href=href download data-test="privacy-export">
                {move || lang.t(Key::PrivacyExport)}
            </a>
            <Show
                when=move || confirming.get()
                fallback=move || view! {
                    <button
                        type="button"
                        class="btn btn-danger-outline btn-small"
                        data-test="privacy-erase"
                        on:click=move |_| {
                            failed.set(None);
                            confirming.set(true);
                        }
                    >
                        {move || lang.t(Key::PrivacyErase)}
                    </button>
                }
            >
                <div class="privacy-confirm" role="alertdialog" data-test="privacy-confirm">
                    <p class="confirm-text">{move || lang.t(Key::PrivacyEraseWarning)}</p>
                    <div class="privacy-actions">
                        <button
                            type="button"
                            class="btn btn-danger btn-small"
                            data-test="privacy-erase-confirm"
                            prop:disabled=move || busy.get()
                            on:click=erase.clone()
                        >
                            {move || lang.t(Key::PrivacyEraseConfirm)}
                        </button>
                        <button
                            type="button"
                            class="btn btn-ghost btn-small"
                            on:click=move |_| confirming.set(false)
                        >
                            {move || lang.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
            {move || failed.get().map(|f| {
                let key = failure_key(&f);
                view! { <p class="form-error" data-test="privacy-error">{move || lang.t(key)}</p> }
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_is_the_visitors_own_path() {
        assert_eq!(
            export_href(&VisitorId("v_1".into())),
            "/api/visitors/v_1/export"
        );
    }
}
