//! The HTTP security layer, in one place:
//!
//! - every response gets `X-Content-Type-Options: nosniff`, a
//!   `Referrer-Policy`, and `Strict-Transport-Security` when the public URL
//!   is https;
//! - every state change under `/api/` (the cookie-authenticated REST) must
//!   come from our own origin — a page on another site cannot log an agent
//!   out or change anything with the agent's cookie (cross-site request
//!   forgery). Requests without `Origin` (and without a browser's
//!   `Sec-Fetch-Site`) are not from a browser page and pass: forgery needs
//!   a browser;
//! - the pages' `Content-Security-Policy` ([`page_policy`]): scripts only
//!   from our origin plus the one inline bootstrap, by hash; wasm allowed;
//!   no plugins, no `<base>`; who may frame the page.
//!
//! "Our own origin" is the host the request reached (the browser's page came
//! from there) or the configured public URL's origin.

use crate::error::ApiError;
use crate::origin;
use crate::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderMap, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest};
use base64::Engine;
use sha2::{Digest, Sha256};
use shared::ErrorCode;

/// Whether `origin` (an `Origin` header) is the host `host` (a `Host`
/// header) or the public origin.
pub fn origin_is_ours(origin: &str, host: &str, public_origin: &str) -> bool {
    let Some(origin) = origin::normalize(origin) else {
        return false;
    };
    if origin == public_origin {
        return true;
    }
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_suffix(":80")
        .or_else(|| host.strip_suffix(":443"))
        .unwrap_or(&host);
    origin.split_once("://").is_some_and(|(_, h)| h == host)
}

/// Whether a request comes from one of our own pages, or from no browser
/// page at all.
pub fn from_our_pages(headers: &HeaderMap, host: &str, public_origin: &str) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match header("origin") {
        Some(o) => origin_is_ours(o, host, public_origin),
        // Browsers send Sec-Fetch-Site on every request they make.
        None => !matches!(header("sec-fetch-site"), Some("cross-site" | "same-site")),
    }
}

/// Whether `req` comes from one of our pages (see [`from_our_pages`]).
pub fn request_from_our_pages(req: &HttpRequest, public_origin: &str) -> bool {
    from_our_pages(req.headers(), req.connection_info().host(), public_origin)
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The middleware (see the module docs).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    if let Some(state) = &state {
        if changes_state(req.method())
            && req.path().starts_with("/api/")
            && !request_from_our_pages(req.request(), &state.public_origin())
        {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "This request came from another site's page; it was refused.",
            )
            .into());
        }
    }
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !headers.contains_key(header::REFERRER_POLICY) {
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
    }
    if state.is_some_and(|s| s.config.secure_cookies) {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    Ok(res)
}

/// The CSP source of an inline script: `'sha256-…'`.
pub fn script_hash(script: &str) -> String {
    let digest = Sha256::digest(script.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// Who may frame a page.
pub enum Framing<'a> {
    /// Nobody (the dashboard).
    Nobody,
    /// Our own pages (the console's preview).
    Ourselves,
    /// One host page origin (the widget).
    Origin(&'a str),
}

/// The `Content-Security-Policy` of a page that boots a wasm app with the
/// inline `bootstrap` script and talks to websockets at `ws_hosts`
/// (`host[:port]`, each allowed as `ws:` and `wss:`).
pub fn page_policy(bootstrap: &str, ws_hosts: &[&str], framing: Framing) -> String {
    let connect: String = ws_hosts
        .iter()
        .map(|h| format!(" ws://{h} wss://{h}"))
        .collect();
    let ancestors = match framing {
        Framing::Nobody => "'none'".to_owned(),
        Framing::Ourselves => "'self'".to_owned(),
        Framing::Origin(o) => o.to_owned(),
    };
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hash}; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' https: data:; \
         connect-src 'self'{connect}; frame-src 'self'; frame-ancestors {ancestors}; \
         base-uri 'none'; form-action 'self'; object-src 'none'",
        hash = script_hash(bootstrap),
    )
}

/// The policy of the short refusal pages (no script at all).
pub const MESSAGE_PAGE_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::HeaderName;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    const PUBLIC: &str = "https://chat.example";

    #[test]
    fn our_pages_are_the_host_reached_or_the_public_origin() {
        assert!(origin_is_ours(
            "http://127.0.0.1:8080",
            "127.0.0.1:8080",
            PUBLIC
        ));
        assert!(origin_is_ours(
            "https://chat.example",
            "10.0.0.5:8080",
            PUBLIC
        ));
        assert!(origin_is_ours(
            "https://chat.example:443",
            "chat.example:443",
            PUBLIC
        ));
        assert!(!origin_is_ours(
            "https://evil.example",
            "chat.example",
            PUBLIC
        ));
        assert!(!origin_is_ours("null", "chat.example", PUBLIC));
        assert!(!origin_is_ours(
            "https://chat.example.evil.com",
            "chat.example",
            PUBLIC
        ));
    }

    #[test]
    fn cross_site_requests_are_told_apart_from_non_browsers() {
        let host = "chat.example";
        assert!(from_our_pages(&headers(&[]), host, PUBLIC), "curl, apps");
        assert!(from_our_pages(
            &headers(&[("origin", PUBLIC)]),
            host,
            PUBLIC
        ));
        assert!(!from_our_pages(
            &headers(&[("origin", "https://evil.example")]),
            host,
            PUBLIC
        ));
        assert!(!from_our_pages(
            &headers(&[("sec-fetch-site", "cross-site")]),
            host,
            PUBLIC
        ));
        assert!(from_our_pages(
            &headers(&[("sec-fetch-site", "same-origin")]),
            host,
            PUBLIC
        ));
    }

    #[test]
    fn the_policy_allows_only_the_bootstrap_it_was_given() {
        let p = page_policy("init();", &["chat.example"], Framing::Nobody);
        assert!(p.contains(&script_hash("init();")));
        assert!(!p.contains(&script_hash("alert(1);")));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("wss://chat.example"));
        assert!(!p.contains(" 'unsafe-eval'"), "only wasm-unsafe-eval");
        // A known value, so a change to the hashing shows.
        assert_eq!(
            script_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }
}
