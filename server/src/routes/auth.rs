//! Agent login and logout (the account itself: [`super::me`]).

use super::body::Body;
use crate::auth::{
    expired_session_cookie, hash_password, limits, session_cookie, verify_limited, verify_password,
    Agent, SESSION_TTL,
};
use crate::clock::now_millis;
use crate::error::ApiError;
use crate::secrets;
use crate::store::throttle::Limited;
use crate::store::Event;
use crate::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use shared::api::{LoginRequest, Me};
use shared::ErrorCode;
use std::sync::OnceLock;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/auth/login", web::post().to(login))
        .route("/api/auth/logout", web::post().to(logout));
}

/// A hash to verify against when the email is unknown, so a wrong email
/// takes as long as a wrong password (no account enumeration by timing).
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password("no such account"))
}

fn throttled(wait: std::time::Duration) -> ApiError {
    // Round up: retrying exactly at Retry-After must be allowed.
    let secs = wait.as_millis().div_ceil(1000).max(1) as u64;
    let mut e = ApiError::new(
        ErrorCode::TooManyAttempts,
        format!("Too many login attempts. Try again in {secs} seconds."),
    );
    e.retry_after = Some(secs);
    e
}

#[utoipa::path(post, path = "/api/auth/login", tag = "auth",
    request_body = shared::api::LoginRequest,
    responses(
        (status = 200, description = "Logged in; sets the `ahlan_session` cookie", body = shared::api::Me),
        (status = 400, body = shared::ErrorBody), (status = 401, description = "`invalid_credentials`", body = shared::ErrorBody),
        (status = 429, description = "`too_many_attempts`, with Retry-After", body = shared::ErrorBody),
    ))]
async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Body<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let LoginRequest { email, password } = body.into_inner();
    let email = email.trim().to_lowercase();
    let client = match req.peer_addr() {
        Some(peer) => crate::client::client_ip(
            peer.ip(),
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok()),
            &state.config.trusted_proxies,
        )
        .to_string(),
        None => "unknown".to_owned(),
    };
    let account_key = format!("acct:{email}|{client}");
    let client_key = format!("client:{client}");
    let keys = [
        Limited {
            key: account_key.clone(),
            rule: limits::ACCOUNT_FROM_CLIENT,
        },
        Limited {
            key: client_key.clone(),
            rule: limits::CLIENT,
        },
    ];
    // Counted before the password is checked: a burst of guesses cannot
    // all reach argon2 before the first failure is recorded.
    if let Some(wait) = state.store.take_login_attempt(&keys, now_millis()).await? {
        state.metrics.login_failed();
        return Err(throttled(std::time::Duration::from_millis(wait)));
    }
    let agent = state.store.agent_by_email(&email).await?;
    let hash = agent.as_ref().map(|a| a.password_hash.clone());
    // The check and (the first time) the dummy hash are argon2, slow by
    // design: both run on the blocking pool, a few at a time.
    let ok = verify_limited(&state, move || match &hash {
        Some(hash) => verify_password(&password, hash),
        None => verify_password(&password, dummy_hash()),
    })
    .await?;
    let agent = match agent {
        // A disabled account answers like a wrong password: nothing to
        // learn about which accounts exist.
        Some(agent) if ok && !agent.disabled => agent,
        _ => {
            state.metrics.login_failed();
            return Err(ApiError::code(ErrorCode::InvalidCredentials));
        }
    };
    state
        .store
        .login_succeeded(&account_key, &client_key)
        .await?;
    let token = secrets::new_token("st");
    state
        .store
        .create_session(&secrets::token_hash(&token), &agent.id, SESSION_TTL)
        .await?;
    let presence = state.store.presence(&agent.id).await?;
    tracing::info!(agent = %agent.id, "agent logged in");
    Ok(HttpResponse::Ok()
        .cookie(session_cookie(&token, state.config.secure_cookies))
        .json(Me {
            agent: agent.profile(),
            presence,
            mails_replies: state.routing.mails_replies(),
        }))
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "auth",
    responses((status = 204, description = "The session and its dashboards ended; cookie removed")))]
async fn logout(
    state: web::Data<AppState>,
    agent: Option<Agent>,
) -> Result<HttpResponse, ApiError> {
    if let Some(agent) = agent {
        state.store.delete_session(&agent.session_hash).await?;
        // Its dashboards close too, on every node.
        state
            .store
            .publish(Event::SessionEnded {
                agent: agent.record.id.clone(),
                session: agent.session_hash.clone(),
            })
            .await?;
    }
    Ok(HttpResponse::NoContent()
        .cookie(expired_session_cookie())
        .finish())
}
