//! All HTTP the dashboard does: the session routes and the console's
//! resources. Requests are same-origin with `credentials: same-origin`, so
//! the HttpOnly session cookie rides along and is never visible to this
//! code.

use serde::de::DeserializeOwned;
use serde::Serialize;
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
    match simple("GET", "/api/me", None).await {
        Ok(text) => parse(&text).map(Some),
        Err(ApiError::Server(ErrorCode::Unauthorized)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `POST /api/auth/login`: sets the session cookie on success.
pub async fn login(body: &LoginRequest) -> Result<Me, ApiError> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Unexpected(0))?;
    let text = simple("POST", "/api/auth/login", Some(json)).await?;
    parse(&text)
}

/// `POST /api/auth/logout`: ends the session (and its sockets).
pub async fn logout() -> Result<(), ApiError> {
    match simple("POST", "/api/auth/logout", None).await {
        // Already logged out is as good as logged out.
        Ok(_) | Err(ApiError::Server(ErrorCode::Unauthorized)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// A failed console request: the code, and for validation errors the
/// field at fault with the server's explanation (English, for the detail
/// line under the localized message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What went wrong.
    pub error: ApiError,
    /// The request field at fault (`allowed_origins[1]`), if one.
    pub field: Option<String>,
    /// The server's explanation, if it sent one.
    pub detail: Option<String>,
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure {
            error,
            field: None,
            detail: None,
        }
    }
}

/// The failure a non-2xx answer stands for, with its field.
pub fn failure(status: u16, body: &str) -> Failure {
    match serde_json::from_str::<ErrorBody>(body) {
        Ok(e) => Failure {
            error: ApiError::Server(e.code),
            field: e.field,
            detail: Some(e.message),
        },
        Err(_) => ApiError::Unexpected(status).into(),
    }
}

/// `GET` a JSON resource.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Failure> {
    let text = send(request("GET", path, None).await)?;
    parse(&text).map_err(Failure::from)
}

/// `POST` (or `PATCH`, by `method`) a JSON body, reading a JSON answer.
pub async fn write<B: Serialize, T: DeserializeOwned>(
    method: &str,
    path: &str,
    body: &B,
) -> Result<T, Failure> {
    let json = serde_json::to_string(body).map_err(|_| ApiError::Unexpected(0))?;
    let text = send(request(method, path, Some(json)).await)?;
    parse(&text).map_err(Failure::from)
}

/// `DELETE` a resource.
pub async fn delete(path: &str) -> Result<(), Failure> {
    send(request("DELETE", path, None).await).map(drop)
}

fn send(result: Result<String, (ApiError, Option<(u16, String)>)>) -> Result<String, Failure> {
    match result {
        Ok(text) => Ok(text),
        Err((_, Some((status, body)))) => Err(failure(status, &body)),
        Err((error, None)) => Err(error.into()),
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

/// Sends one request; the body text of a 2xx answer, else the error (with
/// the status and body of a non-2xx answer).
async fn request(
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<String, (ApiError, Option<(u16, String)>)> {
    let network = || (ApiError::Network, None);
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    let headers = Headers::new().map_err(|_| network())?;
    headers
        .set("Accept", "application/json")
        .map_err(|_| network())?;
    if let Some(body) = body {
        headers
            .set("Content-Type", "application/json")
            .map_err(|_| network())?;
        init.set_body(&JsValue::from_str(&body));
    }
    init.set_headers(&headers);

    let window = leptos::prelude::window();
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| network())?
        .dyn_into()
        .map_err(|_| network())?;
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| network())?
            .as_string()
            .unwrap_or_default(),
        Err(_) => return Err(network()),
    };
    if response.ok() {
        Ok(text)
    } else {
        let status = response.status();
        Err((classify(status, &text), Some((status, text))))
    }
}

/// The session routes only need the code.
async fn simple(method: &str, path: &str, body: Option<String>) -> Result<String, ApiError> {
    request(method, path, body).await.map_err(|(e, _)| e)
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

    #[test]
    fn failures_keep_the_field_and_the_servers_words() {
        let f = failure(
            400,
            r#"{"code":"bad_request","message":"allowed_origins[1] is bad","field":"allowed_origins[1]"}"#,
        );
        assert_eq!(f.error, ApiError::Server(ErrorCode::BadRequest));
        assert_eq!(f.field.as_deref(), Some("allowed_origins[1]"));
        assert_eq!(f.detail.as_deref(), Some("allowed_origins[1] is bad"));
        assert_eq!(failure(502, "oops").error, ApiError::Unexpected(502));
    }
}
