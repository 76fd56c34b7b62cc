//! All HTTP the dashboard does: the session routes. Requests are
//! same-origin with `credentials: same-origin`, so the HttpOnly session
//! cookie rides along and is never visible to this code.

use serde::de::DeserializeOwned;
use shared::api::{LoginRequest, Me};
use shared::{ErrorBody, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestCredentials, RequestInit, Response};

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiError {
    /// The server answered with an error code.
    Server(ErrorCode),
    /// No answer: offline, server down, or the request was blocked.
    Network,
    /// An answer we cannot read (a proxy's error page, say), by status.
    Unexpected(u16),
}

/// `GET /api/me`: the agent if the session cookie is valid, `None` if not.
pub async fn me() -> Result<Option<Me>, ApiError> {
    match request("GET", "/api/me", None).await {
        Ok(text) => parse(&text).map(Some),
        Err(ApiError::Server(ErrorCode::Unauthorized)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /api/auth/login`: sets the session cookie on success.
pub async fn login(body: &LoginRequest) -> Result<Me, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Unexpected(0))?;
    let text = request("POST", "/api/auth/login", Some(json)).await?;
    parse(&text)
}

/// `POST /api/auth/logout`: ends the session (and its sockets).
pub async fn logout() -> Result<(), ApiError> {
    match request("POST", "/api/auth/logout", None).await {
        // Already logged out is as good as logged out.
        Ok(_) | Err(ApiError::Server(ErrorCode::Unauthorized)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The error a non-2xx answer stands for: its [`ErrorBody`] code if it has
/// one, else its status.
pub fn classify(status: u16, body: &str) -> ApiError {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(e) => ApiError::Server(e.code),
        Err(_) => ApiError::Unexpected(status),
    }
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text).map_err(|_| ApiError::Unexpected(200))
}

/// Sends one request; the body text of a 2xx answer, else the error.
async fn request(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| ApiError::Network)?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| ApiError::Network)?;
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(|_| ApiError::Network)?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);

    let window = leptos::prelude::window();
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| ApiError::Network)?
        .dyn_into()
        .map_err(|_| ApiError::Network)?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| ApiError::Network)?
            .as_string()
            .unwrap_or_default(),
        Err(_) => return Err(ApiError::Network),
    };
    if response.ok() {
        Ok(text)
    } else {
        Err(classify(response.status(), &text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_give_their_code() {
        assert_eq!(
            classify(
                401,
                r#"{"code":"invalid_credentials","message":"Wrong email or password"}"#
            ),
            ApiError::Server(ErrorCode::InvalidCredentials)
        );
        assert_eq!(
            classify(429, r#"{"code":"too_many_attempts","message":"wait"}"#),
            ApiError::Server(ErrorCode::TooManyAttempts)
        );
        assert_eq!(
            classify(502, "<html>Bad gateway</html>"),
            ApiError::Unexpected(502)
        );
    }
}
