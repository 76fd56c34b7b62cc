//! Health and instruments: whether this node lives (`/healthz`), whether it
//! can serve (`/readyz`), and what it counted (`/metrics`).

use crate::error::ApiError;
use crate::AppState;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use shared::ErrorCode;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health))
        .route("/readyz", web::get().to(ready))
        .route("/metrics", web::get().to(metrics));
}

#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses(
        (status = 200, description = "`{\"status\": \"ok\", \"store\": \"embedded\"|\"redis\"}`"),
        (status = 503, description = "The store does not answer: `{\"status\": \"store_unavailable\", \"store\": …, \"error\": …}`")))]
async fn health(state: web::Data<AppState>) -> HttpResponse {
    let store = state.store.backend();
    match state.store.check().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({"status": "ok", "store": store})),
        // Not "ok" while messages cannot be stored: a load balancer should
        // send visitors to a node that can.
        Err(e) => HttpResponse::ServiceUnavailable().json(serde_json::json!({
            "status": "store_unavailable",
            "store": store,
            "error": e.to_string(),
        })),
    }
}

#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready to serve: `{\"status\": \"ready\", \"store\": \"ok\", \"assets\": true}`"),
        (status = 503, description = "Not ready: the store does not answer (`store` holds the error) \
            or the widget and dashboard bundles are missing (`assets: false`), or the node is \
            stopping (`status: \"stopping\"`, after SIGTERM)")))]
async fn ready(state: web::Data<AppState>) -> HttpResponse {
    let store = state.store.check().await;
    let assets = state.assets.manifest.is_some();
    // Stopping (SIGTERM): a balancer must send no one here any more.
    let stopping = state.hub.is_closed();
    let ready = store.is_ok() && assets && !stopping;
    let body = serde_json::json!({
        "status": if ready { "ready" } else if stopping { "stopping" } else { "not_ready" },
        "store": store.as_ref().map_or_else(|e| e.to_string(), |()| "ok".to_owned()),
        "assets": assets,
    });
    if ready {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Whether this request may read `/metrics`: with `--metrics-token`, only
/// one bearing it; without, only one made directly from this machine (a
/// loopback peer, and no proxy header — a local reverse proxy must not
/// turn the world into a local client).
fn may_scrape(req: &HttpRequest, token: Option<&str>) -> bool {
    match token {
        Some(token) => {
            let given = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .unwrap_or_default();
            // Compared as digests: no timing hint of how much matched.
            Sha256::digest(given.as_bytes()) == Sha256::digest(token.as_bytes())
        }
        None => {
            let proxied = ["x-forwarded-for", "forwarded", "x-real-ip"]
                .iter()
                .any(|h| req.headers().contains_key(*h));
            !proxied && req.peer_addr().is_some_and(|a| a.ip().is_loopback())
        }
    }
}

#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, description = "This node's counters and the deployment's queue, in the \
            Prometheus text format (docs/OPERATIONS.md lists them)", content_type = "text/plain"),
        (status = 401, description = "Neither the metrics token nor a direct local request", body = shared::ErrorBody)))]
async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if !may_scrape(&req, state.config.metrics_token.as_deref()) {
        return Err(ApiError::new(
            ErrorCode::Unauthorized,
            "metrics need the operator's token (or a request from this machine)",
        ));
    }
    if state.store.backend() == "redis" {
        state.metrics.set_reconnects(state.store.reconnects());
    }
    // The queue is the store's: every node reports the same lines.
    match state.store.queue().await {
        Ok(queue) => {
            let now = crate::clock::now_millis();
            let mut lines: std::collections::BTreeMap<(String, String), (usize, u64)> =
                Default::default();
            for entry in queue {
                let key = (
                    entry.site.to_string(),
                    entry.team.map(|t| t.to_string()).unwrap_or_default(),
                );
                let line = lines.entry(key).or_insert((0, entry.queued_at));
                line.0 += 1;
                line.1 = line.1.min(entry.queued_at);
            }
            let lines: Vec<_> = lines
                .into_iter()
                .map(|((site, team), (n, oldest))| {
                    (site, team, n, now.saturating_sub(oldest) as f64 / 1000.0)
                })
                .collect();
            state.metrics.set_queue(&lines);
        }
        Err(e) => tracing::warn!(error = %e, "metrics: the queue could not be read"),
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn from(ip: &str) -> TestRequest {
        TestRequest::default().peer_addr(std::net::SocketAddr::new(ip.parse().unwrap(), 5000))
    }

    #[test]
    fn without_a_token_only_direct_local_requests_may_scrape() {
        assert!(may_scrape(&from("127.0.0.1").to_http_request(), None));
        assert!(may_scrape(&from("::1").to_http_request(), None));
        assert!(!may_scrape(&from("203.0.113.9").to_http_request(), None));
        let proxied = from("127.0.0.1").insert_header(("X-Forwarded-For", "203.0.113.9"));
        assert!(
            !may_scrape(&proxied.to_http_request(), None),
            "through a local proxy"
        );
    }

    #[test]
    fn with_a_token_only_its_bearer_may_scrape() {
        let token = Some("a-long-operator-token");
        let bearer = |v: &str| from("203.0.113.9").insert_header(("Authorization", v));
        assert!(may_scrape(
            &bearer("Bearer a-long-operator-token").to_http_request(),
            token
        ));
        assert!(!may_scrape(
            &bearer("Bearer a-long-operator-toke").to_http_request(),
            token
        ));
        assert!(!may_scrape(
            &bearer("a-long-operator-token").to_http_request(),
            token
        ));
        assert!(
            !may_scrape(&from("127.0.0.1").to_http_request(), token),
            "local too"
        );
    }
}
