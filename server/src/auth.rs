//! Agent authentication: argon2 password hashes, session cookies, the
//! [`Agent`] extractor that handlers put in their signature, and the login
//! throttle that slows down password guessing.

use crate::error::ApiError;
use crate::secrets;
use crate::store::AgentRecord;
use crate::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use shared::ErrorCode;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "ahlan_session";
/// How long a session lasts.
pub const SESSION_TTL: Duration = Duration::from_secs(7 * 24 * 3600);
/// Shortest password accepted for an account (the admin's, or one an admin
/// creates).
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Hashes a password (slow by design: run it off the async threads).
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .unwrap_or_default()
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Password checks running at once: argon2 holds ~19 MiB each, so a burst
/// of logins must not run them all in parallel. Waiters queue.
pub const MAX_CONCURRENT_VERIFICATIONS: usize = 4;

/// Runs a password check (argon2: slow by design) on the blocking pool,
/// at most [`MAX_CONCURRENT_VERIFICATIONS`] at a time.
pub async fn verify_limited(
    state: &AppState,
    check: impl FnOnce() -> bool + Send + 'static,
) -> Result<bool, ApiError> {
    let _permit = state
        .verifications
        .acquire()
        .await
        .map_err(|_| ApiError::code(ErrorCode::Internal))?;
    web::block(check)
        .await
        .map_err(|_| ApiError::code(ErrorCode::Internal))
}

/// The session cookie for a new session.
pub fn session_cookie(token: &str, secure: bool) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token.to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .max_age(actix_web::cookie::time::Duration::seconds(
            SESSION_TTL.as_secs() as i64,
        ))
        .finish()
}

/// A cookie that deletes the session cookie.
pub fn expired_session_cookie() -> Cookie<'static> {
    let mut c = Cookie::build(SESSION_COOKIE, "")
        .path("/")
        .http_only(true)
        .finish();
    c.make_removal();
    c
}

/// The logged-in agent: put it in a handler's arguments to require a
/// session; requests without one get `401 unauthorized`.
#[derive(Debug, Clone)]
pub struct Agent {
    /// The agent.
    pub record: AgentRecord,
    /// Hash of the session token (for logout).
    pub session_hash: String,
}

impl FromRequest for Agent {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Err(ApiError::code(ErrorCode::Unauthorized));
            };
            let session_hash = secrets::token_hash(&token);
            let agent_id = state
                .store
                .session_agent(&session_hash)
                .await?
                .ok_or_else(|| ApiError::code(ErrorCode::Unauthorized))?;
            let record = state
                .store
                .agent(&agent_id)
                .await?
                // A disabled account's sessions are gone; refuse anyway in
                // case one is read in between.
                .filter(|a| !a.disabled)
                .ok_or_else(|| ApiError::code(ErrorCode::Unauthorized))?;
            Ok(Agent {
                record,
                session_hash,
            })
        })
    }
}

/// A logged-in admin: put it in a handler's arguments to require one.
/// Other agents get `403 forbidden`, no session `401 unauthorized`.
#[derive(Debug, Clone)]
pub struct Admin(pub Agent);

impl FromRequest for Admin {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let agent = Agent::from_request(req, payload);
        Box::pin(async move {
            let agent = agent.await?;
            if !agent.record.is_admin() {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "Only an admin may do this.",
                ));
            }
            Ok(Admin(agent))
        })
    }
}

/// Login throttling rules ([`crate::store::throttle`]): per account *and*
/// client address, so guessing one account's password slows only the
/// guesser, and the right password from elsewhere still works (an account
/// is never locked for everyone); and per client address, so one address
/// cannot try many accounts quickly.
pub mod limits {
    use crate::store::throttle::Rule;

    /// One account from one address: 5 free attempts in 15 minutes, then 1 s,
    /// 2 s, 4 s… up to 15 minutes between attempts.
    pub const ACCOUNT_FROM_CLIENT: Rule = Rule {
        free: 5,
        base_ms: 1_000,
        cap_ms: 15 * 60_000,
        window_ms: 15 * 60_000,
    };
    /// One address, any accounts: 30 free attempts in 15 minutes (an office
    /// behind one address logs in often), then the same growing waits.
    pub const CLIENT: Rule = Rule {
        free: 30,
        base_ms: 1_000,
        cap_ms: 15 * 60_000,
        window_ms: 15 * 60_000,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse");
        assert!(h.starts_with("$argon2"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
