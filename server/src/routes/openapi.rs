//! The REST API's OpenAPI 3.1 document, generated from the handlers'
//! `#[utoipa::path]` annotations and the `shared` types' schemas, served at
//! `GET /api/openapi.json` (for client generators, fuzzers such as
//! schemathesis, and people). A test checks that every `/api` route the app
//! serves is in it.

use super::{
    agents, articles, auth, callbacks, canned, context, conversations, health, history, me,
    reports, sites, teams, visitors,
};
use actix_web::{web, HttpResponse};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// The session cookie as the security scheme of the authenticated routes.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Set by POST /api/auth/login; HttpOnly, SameSite=Strict.",
            ))),
        );
    }
}

/// The document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Ahlan REST API",
        description = "The dashboard's REST API: the agent session, the console (sites, \
            agents, teams) and conversation history. Live chat uses the websockets \
            described in docs/PROTOCOL.md. Errors are `{code, message, field?}` with a \
            stable `code`.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        auth::login, auth::logout,
        me::me, me::update,
        agents::list, agents::create, agents::update, agents::delete,
        sites::list, sites::get, sites::create, sites::update, sites::delete,
        sites::identity, sites::rotate_identity,
        teams::list, teams::create, teams::rename, teams::delete,
        canned::list, canned::create, canned::update, canned::delete,
        callbacks::list, callbacks::claim, callbacks::close,
        articles::list, articles::create, articles::update, articles::delete,
        conversations::list, conversations::messages, conversations::colleagues,
        context::context,
        history::history,
        visitors::export, visitors::erase,
        reports::get, reports::get_csv,
        health::health, health::ready, health::metrics,
    ),
    components(schemas(shared::api::InboxView)),
    modifiers(&SessionCookie),
    tags(
        (name = "auth", description = "Logging in and out"),
        (name = "me", description = "The logged-in agent's own account"),
        (name = "agents", description = "Agent accounts (admins)"),
        (name = "sites", description = "Sites and their widget settings (admins change them)"),
        (name = "teams", description = "Teams of agents (admins change them)"),
        (name = "canned", description = "Canned responses: global, per site, personal"),
        (name = "callbacks", description = "Visitors' callback requests: list, claim, close"),
        (name = "articles", description = "A site's help articles, offered to visitors in the widget (supervisors and admins write them)"),
        (name = "conversations", description = "Conversation lists and history"),
        (name = "reports", description = "A site's figures: KPIs, series, busiest hours, agents (admins, supervisors)"),
        (name = "privacy", description = "A visitor's data: export and erasure (admins)"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
pub struct ApiDoc;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/openapi.json", web::get().to(document));
}

async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
