//! Websocket entry points: upgrade, then one task per connection running
//! [`driver::drive`] with a [`visitor::VisitorConnection`] or an
//! [`agent::AgentConnection`].
//!
//! - [`driver`]: the select loop, heartbeat, frame limits;
//! - [`frames`]: decoding and checks (plain functions);
//! - [`help`]: the visitor's help searches and articles read;
//! - [`hub`]: hands each live event only to the connections it concerns;
//! - [`identify`]: which visitor a `hello` speaks for (tokens, signed identities);
//! - [`live`]: sending live messages in order without re-reading the store;
//! - [`view`]: what one dashboard holds, by conversation version, so
//!   events arriving out of order never roll it back;
//! - [`presence`]: which agents have a dashboard open on this node;
//! - [`liveness`]: heartbeats across nodes, and what happens when an agent
//!   is gone.

pub mod agent;
pub mod driver;
pub mod frames;
pub mod help;
pub mod hub;
pub mod identify;
pub mod live;
pub mod liveness;
pub mod pages;
pub mod presence;
pub mod view;
pub mod visitor;

use crate::auth::Agent;
use crate::error::ApiError;
use crate::AppState;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use shared::limits::MAX_FRAME_BYTES;
use shared::{ErrorCode, Presence};

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/ws/visitor", web::get().to(visitor_socket))
        .route("/ws/agent", web::get().to(agent_socket));
}

fn origin_header(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn upgrade(
    req: &HttpRequest,
    body: web::Payload,
) -> Result<
    (
        HttpResponse,
        actix_ws::Session,
        actix_ws::AggregatedMessageStream,
    ),
    actix_web::Error,
> {
    let (res, session, stream) = actix_ws::handle(req, body)?;
    let stream = stream
        .max_frame_size(MAX_FRAME_BYTES)
        .aggregate_continuations()
        .max_continuation_size(MAX_FRAME_BYTES);
    Ok((res, session, stream))
}

async fn visitor_socket(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, actix_web::Error> {
    let client = client_address(&req, &state);
    // Refused before the upgrade, so a flood costs no socket.
    let Some(slot) = state.client_limits.open_socket(client) else {
        return Err(ApiError::code(ErrorCode::TooManyConnections).into());
    };
    let (res, session, stream) = upgrade(&req, body)?;
    // Subscribe before the handshake reads the store, so no event between
    // the two is missed.
    let events = state.hub.subscribe(hub::Role::Visitor);
    let user_agent = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let conn = visitor::VisitorConnection::new(
        state.clone(),
        session,
        origin_header(&req),
        client,
        events.handle(),
    )
    .with_user_agent(user_agent);
    let counted = state.metrics.connection(crate::metrics::Socket::Visitor);
    actix_web::rt::spawn(async move {
        driver::drive(conn, stream, events).await;
        drop(slot);
        drop(counted);
    });
    Ok(res)
}

/// The client's address (see [`crate::client`]).
fn client_address(req: &HttpRequest, state: &AppState) -> std::net::IpAddr {
    let peer = req
        .peer_addr()
        .map_or(std::net::IpAddr::from([0, 0, 0, 0]), |a| a.ip());
    crate::client::client_ip(
        peer,
        req.headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok()),
        &state.config.trusted_proxies,
    )
}

/// A browser always sends `Origin` on a websocket upgrade; the agent socket
/// authenticates by cookie, so it must refuse other origins (cross-site
/// websocket hijacking).
fn same_origin(req: &HttpRequest, state: &AppState) -> bool {
    crate::security::request_from_our_pages(req, &state.public_origin())
}

async fn agent_socket(
    req: HttpRequest,
    body: web::Payload,
    state: web::Data<AppState>,
    agent: Agent,
) -> Result<HttpResponse, actix_web::Error> {
    if !same_origin(&req, &state) {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "the agent socket only accepts the dashboard's own origin",
        )
        .into());
    }
    let (res, session, stream) = upgrade(&req, body)?;
    let events = state.hub.subscribe(hub::Role::Agent);
    let id = agent.record.id.clone();
    let mut conn = agent::AgentConnection::new(
        state.clone(),
        session,
        agent.record,
        agent.session_hash,
        events.handle(),
    );
    let counted = state.metrics.connection(crate::metrics::Socket::Agent);
    actix_web::rt::spawn(async move {
        let _counted = counted;
        liveness::beat_one(&state, &id).await;
        if let Some(presence) = state.agents.connect(&id) {
            if let Err(e) = state.routing.set_presence(&id, presence).await {
                tracing::warn!(error = %e, "could not set presence");
            }
        }
        if !conn.learn_session_end().await {
            // Ended between the upgrade and now.
            conn.close_ended().await;
        } else if conn.start().await == driver::Flow::Continue {
            let mut conn = driver::drive(conn, stream, events).await;
            // Colleagues with the same conversation open: this one is gone.
            conn.left().await;
        }
        // A planned stop leaves the agent's presence as it is: their
        // dashboard reconnects to another node at once. Should it not, their
        // heartbeat here runs out and any node's sweep takes them offline
        // (liveness), as when a node dies.
        if state.agents.disconnect(&id) && !state.hub.is_closed() {
            if let Err(e) = state.routing.set_presence(&id, Presence::Offline).await {
                tracing::warn!(error = %e, "could not set presence");
            }
            liveness::release_after_grace(state, id).await;
        }
    });
    Ok(res)
}
