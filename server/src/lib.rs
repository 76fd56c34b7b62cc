//! The Ahlan server: an actix-web app serving the REST API, the visitor and
//! agent websockets, the widget and dashboard bundles, and routing visitors
//! to agents. `main.rs` and every test build it the same way: a
//! [`AppState`] from a [`config::Config`] and a [`store::Store`], then
//! [`run`] on an already-bound listener (tests bind port 0).
//!
//! # Layout
//!
//! - [`config`] — flags and `AHLAN_*` env, validated into `Config`.
//! - [`routes`] — HTTP routes, one module per resource (auth, agents,
//!   conversations, widget, pages, health).
//! - [`ws`] — the two websockets: a shared select-loop driver, frame checks,
//!   and the visitor / agent connection logic.
//! - [`routing`] — assignment: the domain operations plus their events, and
//!   the pure agent-choice rule.
//! - [`store`] — the `Store` trait, the embedded backend, the conformance
//!   suite every backend must pass, and the live events.
//! - [`console`] — the site owner's operations on sites, agents and teams,
//!   with what each sets off (events, requeues, sign-outs).
//! - [`access`] — who may see which conversation: one rule.
//! - [`callbacks`] — callback requests' rules (one open per visitor, claim,
//!   close), applied by both stores.
//! - [`canned`] — canned responses: who may use and manage which, their
//!   fields.
//! - [`validate`] — every console input checked, errors naming the field.
//! - [`help`] — help articles: the search that suggests them to visitors
//!   (Arabic and Persian spellings folded), what a connection opened.
//! - [`search`] — words folded for full-text search (Arabic and Persian
//!   letter forms, accents), the same for every store.
//! - [`auth`] — argon2 passwords, session cookie, the `Agent` and `Admin`
//!   extractors, capped password checks; [`client`] — the client address
//!   (trusted proxies) for login throttling.
//! - [`error`] — `ApiError`: one table from error code to HTTP status.
//! - [`assets`], [`pages`] — built bundles and the HTML pages around them.
//! - [`security`] — headers on every response, same-origin state changes,
//!   the pages' content security policies.
//! - [`limits`] — per client address: visitor sockets and new visitors.
//! - [`metrics`] — what this node counts, for `/metrics`.
//! - [`indexer`] — the background loop that keeps search's index caught up.
//! - [`privacy`] — a visitor's export and erasure, each site's retention.
//! - [`hours`] — business hours: whether a site is offline now, and when
//!   it is back; [`mail`] — replies mailed to visitors who left a message.
//! - [`identity`] — verified identity: a site's signature of its user's id.
//! - [`reports`] — KPIs counted into hourly buckets, and the reports read from them.
//! - [`origin`], [`secrets`], [`clock`], [`seed`] — small helpers.
//! - `test_smtp` (tests and the `testing` feature) — a mail sink.

pub mod access;
pub mod assets;
pub mod auth;
pub mod callbacks;
pub mod canned;
pub mod client;
pub mod clock;
pub mod config;
pub mod console;
pub mod error;
#[cfg(test)]
mod fixtures;
pub mod help;
pub mod hours;
pub mod identity;
pub mod indexer;
pub mod limits;
pub mod mail;
pub mod metrics;
pub mod origin;
pub mod pages;
pub mod privacy;
pub mod reports;
pub mod routes;
pub mod routing;
pub mod search;
pub mod secrets;
pub mod security;
pub mod seed;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod test_smtp;
pub mod validate;
pub mod ws;

use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{web, App, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;

/// Everything the handlers share. Built once, cloned (cheaply, via
/// `web::Data`) into every worker.
pub struct AppState {
    /// Validated configuration.
    pub config: config::Config,
    /// The URL browsers use to reach this server.
    pub public_url: String,
    /// The store.
    pub store: Arc<dyn store::Store>,
    /// Routing over that store.
    pub routing: routing::Routing,
    /// The console's operations over that store.
    pub console: console::Console,
    /// Built bundles.
    pub assets: assets::Assets,
    /// What one client address may open on this node.
    pub client_limits: Arc<limits::ClientLimits>,
    /// Caps concurrent password checks ([`auth::verify_limited`]).
    pub verifications: tokio::sync::Semaphore,
    /// Agents with a dashboard open on this node.
    pub agents: ws::presence::AgentConnections,
    /// Hands live events to the connections they concern.
    pub hub: Arc<ws::hub::Hub>,
    /// The demo site's key, with `--demo` (the demo page shows its snippet).
    pub demo_site_key: Option<String>,
    /// What this node counts (`/metrics`).
    pub metrics: Arc<metrics::Metrics>,
    /// Takes routing's steps to the report buckets.
    pub reports: reports::recorder::Recorder,
}

impl AppState {
    /// State for a server whose listener is bound to `bound`.
    pub fn new(
        config: config::Config,
        store: Arc<dyn store::Store>,
        bound: std::net::SocketAddr,
    ) -> Self {
        let public_url = config.public_url(bound);
        let assets = match &config.assets_dir {
            Some(dir) => assets::Assets::load(dir),
            None => assets::Assets::embedded().unwrap_or_else(|| {
                assets::Assets::load(std::path::Path::new(config::DEFAULT_ASSETS_DIR))
            }),
        };
        let metrics = Arc::new(metrics::Metrics::new());
        let reports = reports::recorder::Recorder::new(metrics.clone());
        let mailer = config.smtp.as_ref().and_then(|smtp| {
            mail::Mailer::start(&smtp.url, &smtp.from, metrics.clone())
                // Checked when the configuration was read.
                .inspect_err(|e| tracing::error!(error = %e, "replies will not be mailed"))
                .ok()
        });
        let routing =
            routing::Routing::new(store.clone(), config.max_queue, config.language_fallback)
                .with_metrics(metrics.clone())
                .with_reports(reports.clone())
                .with_mailer(mailer.clone());
        Self {
            demo_site_key: None,
            console: console::Console::new(store.clone(), routing.clone()),
            routing,
            metrics,
            reports,
            store,
            assets,
            verifications: tokio::sync::Semaphore::new(auth::MAX_CONCURRENT_VERIFICATIONS),
            client_limits: Arc::new(limits::ClientLimits::new(
                config.max_sockets_per_client,
                config.new_visitors_per_minute,
            )),
            agents: ws::presence::AgentConnections::default(),
            hub: Arc::default(),
            public_url,
            config,
        }
    }

    /// Serves the demo page for this site key.
    pub fn with_demo(mut self, site_key: Option<String>) -> Self {
        self.demo_site_key = site_key;
        self
    }

    /// This server's own origin (normalised).
    pub fn public_origin(&self) -> String {
        origin::normalize(&self.public_url).unwrap_or_else(|| self.public_url.clone())
    }
}

/// The app: used by [`run`] and by tests.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    App::new()
        .wrap(actix_web::middleware::from_fn(security::middleware))
        .app_data(state)
        .configure(routes::configure)
        .default_service(web::to(routes::not_found))
}

/// Serves on an already-bound listener until the returned server is
/// stopped (its handle) or the process gets SIGINT/SIGTERM ([`stop_on_signal`]).
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let state = web::Data::new(state);
    actix_web::rt::spawn(ws::hub::run(state.hub.clone(), state.store.subscribe()));
    actix_web::rt::spawn(ws::hub::run_spots(state.hub.clone(), state.routing.clone()));
    actix_web::rt::spawn(ws::hub::run_availability(
        state.hub.clone(),
        state.store.clone(),
    ));
    actix_web::rt::spawn(ws::liveness::run(state.clone()));
    actix_web::rt::spawn(indexer::run(state.store.clone(), state.metrics.clone()));
    actix_web::rt::spawn(privacy::run(state.store.clone(), state.metrics.clone()));
    actix_web::rt::spawn(state.reports.clone().run(state.store.clone()));
    actix_web::rt::spawn(reports::sampler::run(
        state.store.clone(),
        state.reports.clone(),
    ));
    let hub = state.hub.clone();
    let reports = state.reports.clone();
    let server = HttpServer::new(move || app(state.clone()))
        .listen(listener)?
        .disable_signals()
        .shutdown_timeout(SHUTDOWN_SECS)
        .run();
    actix_web::rt::spawn(stop_on_signal(server.handle(), hub, reports));
    Ok(server)
}

/// Longest a stop waits for requests in flight (and sockets still
/// closing) before it drops them.
const SHUTDOWN_SECS: u64 = 5;

/// A planned stop (docs/OPERATIONS.md, "Restarts and shutdown"). On SIGTERM
/// or SIGINT every websocket is closed with 1012 (service restart) once the
/// frame it is handling is done — an acknowledged message is stored, an
/// unacknowledged one is resent by its client with the same id — and
/// clients reconnect at once, to another node behind a load balancer.
/// Agents keep their presence meanwhile (no grace period for a restart).
/// Then the server stops accepting, lets requests in flight finish (at
/// most [`SHUTDOWN_SECS`]) and `run`'s future ends.
async fn stop_on_signal(
    server: actix_web::dev::ServerHandle,
    hub: Arc<ws::hub::Hub>,
    reports: reports::recorder::Recorder,
) {
    if let Err(e) = signal().await {
        // Without signal handlers the process still stops on SIGTERM, only
        // not gracefully.
        return tracing::warn!(error = %e, "cannot listen for SIGTERM/SIGINT");
    }
    tracing::info!("stopping: sockets closed with 1012 so clients reconnect");
    hub.close_all();
    server.stop(true).await;
    // The last steps' figures, written before the process ends.
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(SHUTDOWN_SECS),
        reports.flush(),
    )
    .await;
}

/// The first SIGTERM or SIGINT.
async fn signal() -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    tokio::select! {
        _ = term.recv() => {}
        _ = int.recv() => {}
    }
    Ok(())
}
