//! What a host page loads: the loader script (and, for sites with proactive
//! rules, the script that evaluates them) and the widget's iframe page.

use crate::assets::Caching;
use crate::error::ApiError;
use crate::origin;
use crate::pages::{app_page, bootstrap, bundle, escape, inline_json, message_page};
use crate::security::{page_policy, Framing, MESSAGE_PAGE_POLICY};
use crate::AppState;
use actix_web::http::header;
use actix_web::ResponseError;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use shared::api::{LauncherLook, WidgetConfig};
use shared::settings::{text_on, Appearance};
use shared::ErrorCode;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/widget/loader.js", web::get().to(loader))
        .route("/widget/proactive.js", web::get().to(proactive))
        .route("/widget/launcher", web::get().to(launcher))
        .route("/widget/frame", web::get().to(frame))
        .route("/widget/preview", web::get().to(preview));
}

async fn loader(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let mut response = state.assets.respond(&req, "loader.js", Caching::Short);
    timing_allowed(&mut response);
    response
}

/// The proactive rules' script, which the loader fetches only for sites
/// whose launcher look carries rules (so other sites' page views never
/// pay for it).
async fn proactive(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let mut response = state.assets.respond(&req, "proactive.js", Caching::Short);
    timing_allowed(&mut response);
    response
}

/// Lets the host page read the sizes and times of what a page view costs
/// (Resource Timing hides them for other origins): site owners and
/// `cargo xtask bench` can see the loader's and the look's weight. Both
/// are public.
fn timing_allowed(response: &mut HttpResponse) {
    response.headers_mut().insert(
        header::HeaderName::from_static("timing-allow-origin"),
        header::HeaderValue::from_static("*"),
    );
}

#[derive(Deserialize)]
struct FrameQuery {
    site: String,
    origin: String,
    locale: Option<String>,
    /// `1`: start open (see [`WidgetConfig::open`]).
    open: Option<String>,
    /// `1`: forget the stored visitor (see [`WidgetConfig::reset`]).
    reset: Option<String>,
    /// `1`: an identity is coming (see [`WidgetConfig::identify`]).
    identify: Option<String>,
    /// The proactive rule that fired (see [`WidgetConfig::proactive`]).
    proactive: Option<String>,
}

#[derive(Deserialize)]
struct LauncherQuery {
    site: String,
    origin: String,
    /// The snippet's `data-locale` (or `Ahlan.setLocale`).
    locale: Option<String>,
    /// The browser's preferred languages, comma-separated.
    langs: Option<String>,
}

/// The launcher's look for the loader (see [`LauncherLook`]): refused,
/// like the frame page, for an unknown site or an origin the site does
/// not allow, so the loader draws no button that would lead nowhere.
/// Every answer may be read by any page (it is public), and a look is
/// cached for a minute: a console change reaches launchers that soon.
async fn launcher(state: web::Data<AppState>, q: web::Query<LauncherQuery>) -> HttpResponse {
    let answer = match state.store.site_by_key(&q.site).await {
        Ok(Some(site)) => match origin::normalize(&q.origin) {
            Some(o) if origin::allowed(&site.allowed_origins, &o) => Ok(launcher_look(
                &site.appearance,
                &site.proactive,
                q.locale.as_deref(),
                q.langs.as_deref(),
            )),
            _ => Err(ApiError::code(ErrorCode::OriginNotAllowed)),
        },
        Ok(None) => Err(ApiError::code(ErrorCode::UnknownSite)),
        Err(e) => Err(ApiError::from(e)),
    };
    let mut response = match answer {
        Ok(look) => {
            let mut ok = HttpResponse::Ok();
            ok.insert_header((header::CACHE_CONTROL, "public, max-age=60"));
            ok.json(look)
        }
        Err(e) => e.error_response(),
    };
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::HeaderValue::from_static("*"),
    );
    timing_allowed(&mut response);
    response
}

/// The launcher a visitor gets: the site's accent, and the side and label
/// of the language the widget will speak (`shared::locale`'s rule).
fn launcher_look(
    appearance: &Appearance,
    proactive: &[shared::proactive::ProactiveRule],
    forced: Option<&str>,
    langs: Option<&str>,
) -> LauncherLook {
    let forced = forced
        .filter(|l| !l.is_empty())
        .or(appearance.locale.as_deref());
    let lang = shared::locale::negotiate(forced, langs.unwrap_or_default().split(','));
    let accent = appearance.accent();
    LauncherLook {
        on_accent: text_on(&accent).to_owned(),
        accent,
        side: appearance
            .position
            .side(shared::locale::is_rtl(lang))
            .as_str()
            .to_owned(),
        label: shared::locale::open_chat(lang).to_owned(),
        lang: lang.to_owned(),
        proactive: proactive
            .iter()
            .filter_map(|r| r.for_loader(lang))
            .collect(),
    }
}

fn refuse(status: actix_web::http::StatusCode, title: &str, text: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        // Nobody may frame a refusal: it must not show inside any page.
        .insert_header((header::CONTENT_SECURITY_POLICY, MESSAGE_PAGE_POLICY))
        .body(message_page(title, text))
}

/// `host[:port]` of the public URL: where the widget's socket goes.
fn public_host(state: &AppState) -> String {
    state
        .public_origin()
        .split_once("://")
        .map(|(_, h)| h.to_owned())
        .unwrap_or_default()
}

async fn frame(state: web::Data<AppState>, q: web::Query<FrameQuery>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let site =
        match state.store.site_by_key(&q.site).await {
            Ok(Some(site)) => site,
            Ok(None) => return refuse(
                StatusCode::NOT_FOUND,
                "Unknown site",
                "No site has this key. Check the <code>data-site</code> attribute of the snippet.",
            ),
            Err(_) => {
                return refuse(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Unavailable",
                    "The chat is unavailable right now.",
                )
            }
        };
    let host_origin = match origin::normalize(&q.origin) {
        Some(o) if origin::allowed(&site.allowed_origins, &o) => o,
        _ => {
            return refuse(
                StatusCode::FORBIDDEN,
                "Origin not allowed",
                &format!("This site does not allow the chat widget on <code>{}</code>. Add the origin to the site's allowed origins.", escape(&q.origin)),
            )
        }
    };
    let Some(dir) = bundle(state.assets.manifest.as_ref(), "widget") else {
        return refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "Widget not built",
            "Run <code>cargo xtask build</code> (or <code>cargo xtask run</code>).",
        );
    };
    let ws_url = format!("{}/ws/visitor", state.public_url.replacen("http", "ws", 1));
    // A store hiccup only hides the help view for this load: the chat
    // itself must still open.
    let help = match state.store.has_articles(&site.id).await {
        Ok(any) => any,
        Err(e) => {
            tracing::warn!(error = %e, "help articles unreadable; widget served without them");
            false
        }
    };
    let config = WidgetConfig {
        site: site.key.clone(),
        site_name: site.name.clone(),
        host_origin: host_origin.clone(),
        ws_url,
        locale: q
            .locale
            .clone()
            .filter(|l| crate::validate::WIDGET_LOCALES.contains(&l.as_str())),
        appearance: site.appearance.clone(),
        preview: false,
        typing_preview: site.typing_preview,
        survey_nps: site.survey_nps,
        prechat: site.prechat.clone().filter(|f| !f.fields.is_empty()),
        callback_after_mins: site.callback_after_mins,
        mails: state.routing.mails_replies(),
        help,
        // An unknown or switched-off rule greets nobody.
        proactive: q.proactive.as_deref().and_then(|id| {
            site.proactive
                .iter()
                .find(|r| r.enabled && r.id == id)
                .map(|r| shared::proactive::ProactiveGreeting {
                    rule: r.id.clone(),
                    messages: r.messages.clone(),
                })
        }),
        open: q.open.as_deref() == Some("1"),
        reset: q.reset.as_deref() == Some("1"),
        identify: q.identify.as_deref() == Some("1"),
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        // Only the page the config names may frame this page: a page that
        // lies about its origin in the URL cannot embed it.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            page_policy(
                &bootstrap(dir, "widget"),
                &[&public_host(&state)],
                Framing::Origin(&host_origin),
            ),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(app_page("Chat", dir, "widget", &inline_json(&config)))
}

#[derive(Deserialize)]
struct PreviewQuery {
    locale: Option<String>,
}

/// The console's live preview: the real widget bundle on a sample
/// conversation, with no connection. Only our own pages may frame it; the
/// console sends it the look as the owner edits (see the widget's
/// `start_preview`).
async fn preview(state: web::Data<AppState>, q: web::Query<PreviewQuery>) -> HttpResponse {
    let Some(dir) = bundle(state.assets.manifest.as_ref(), "widget") else {
        return refuse(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "Widget not built",
            "Run <code>cargo xtask build</code> (or <code>cargo xtask run</code>).",
        );
    };
    let config = WidgetConfig {
        site: String::new(),
        site_name: String::new(),
        host_origin: String::new(),
        ws_url: String::new(),
        locale: q
            .locale
            .clone()
            .filter(|l| crate::validate::WIDGET_LOCALES.contains(&l.as_str())),
        appearance: Default::default(),
        preview: true,
        typing_preview: false,
        survey_nps: false,
        prechat: None,
        callback_after_mins: None,
        mails: false,
        help: false,
        proactive: None,
        open: false,
        reset: false,
        identify: false,
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            page_policy(&bootstrap(dir, "widget"), &[], Framing::Ourselves),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(app_page("Preview", dir, "widget", &inline_json(&config)))
}
