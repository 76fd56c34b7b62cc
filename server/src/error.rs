//! Errors a client sees. One table maps each [`ErrorCode`] to its HTTP
//! status; the body is always `{code, message}` ([`shared::ErrorBody`]), so
//! nothing — not even an internal failure — leaks a stack trace.

use crate::store::StoreError;
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use shared::{ErrorBody, ErrorCode};
use std::fmt;

/// An error with a stable code and a human message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Stable code.
    pub code: ErrorCode,
    /// Human explanation.
    pub message: String,
    /// Seconds to wait, for `too_many_attempts`.
    pub retry_after: Option<u64>,
    /// The request field at fault, for validation errors.
    pub field: Option<String>,
}

impl ApiError {
    /// An error with a specific message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
            field: None,
        }
    }

    /// A `bad_request` about one field of the request.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(ErrorCode::BadRequest, message);
        e.field = Some(field.into());
        e
    }

    /// An error with the default message for its code.
    pub fn code(code: ErrorCode) -> Self {
        Self::new(code, default_message(code))
    }
}

/// HTTP status for each code: the single table.
pub fn status(code: ErrorCode) -> StatusCode {
    use ErrorCode::*;
    match code {
        MalformedFrame | UnknownFrame | BinaryNotSupported | HelloRequired | AlreadyGreeted
        | EmptyMessage | MessageTooLong | InvalidClientId | BadRequest | InvalidEmail
        | IdentityInvalid | IdentityRequired | InvalidPhone => StatusCode::BAD_REQUEST,
        FrameTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        UnknownSite | NotFound => StatusCode::NOT_FOUND,
        MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        OriginNotAllowed | Forbidden => StatusCode::FORBIDDEN,
        Unauthorized | InvalidCredentials => StatusCode::UNAUTHORIZED,
        RateLimited | TooManyAttempts | TooManyConnections => StatusCode::TOO_MANY_REQUESTS,
        QueueFull => StatusCode::SERVICE_UNAVAILABLE,
        NotQueued | AtCapacity | ConversationResolved | EmailTaken | LastAdmin | NotAssigned
        | AgentUnavailable | NoSupervisor | TooManyNotes | NotResolved | CallbackPending
        | CallbackTaken | CallbackClosed | TooManyArticles => StatusCode::CONFLICT,
        CallbacksOff | MailOff => StatusCode::FORBIDDEN,
        WrongPassword => StatusCode::FORBIDDEN,
        Internal => StatusCode::INTERNAL_SERVER_ERROR,
        Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// The English explanation of each code.
pub fn default_message(code: ErrorCode) -> &'static str {
    use ErrorCode::*;
    match code {
        MalformedFrame => "The frame is not valid JSON or a field is missing or of the wrong type.",
        UnknownFrame => "This frame type is not part of the protocol for this socket.",
        FrameTooLarge => "The frame is larger than the 64 KiB limit.",
        BinaryNotSupported => "Binary frames are not supported; send JSON text frames.",
        HelloRequired => "Send a hello frame first.",
        AlreadyGreeted => "This connection already said hello.",
        UnknownSite => "No site has this key.",
        OriginNotAllowed => "This site does not allow the widget on this origin.",
        EmptyMessage => "The message is empty.",
        MessageTooLong => "The message is longer than 5000 characters.",
        InvalidClientId => "client_id must be 1 to 64 characters of A-Z, a-z, 0-9, - and _.",
        RateLimited => "Too many messages too fast; this one was not stored. Retry shortly.",
        Unauthorized => "Log in first.",
        Forbidden => "You may not do this.",
        NotFound => "Not found.",
        MethodNotAllowed => "This path does not take this HTTP method; the Allow header lists those it takes.",
        NotQueued => "This conversation is no longer waiting; another agent has it.",
        AtCapacity => "You already have as many open chats as your capacity allows.",
        ConversationResolved => "This conversation is resolved.",
        InvalidCredentials => "Wrong email or password.",
        TooManyAttempts => "Too many failed logins. Wait before trying again.",
        BadRequest => "The request is invalid.",
        EmailTaken => "An agent with this email already exists.",
        QueueFull => "Everyone is busy and the waiting line is full; this message was not stored. Leave a message or try again later.",
        TooManyConnections => "Too many connections or new visitors from this address; try again later.",
        LastAdmin => "This would leave the workspace without an active admin; make another agent an admin first.",
        WrongPassword => "The current password is wrong.",
        InvalidEmail => "This email address cannot receive mail; use one such as name@example.com.",
        IdentityInvalid => "The identity's hash is not this site's signature of its user id.",
        IdentityRequired => "This site accepts only signed identities: identify with a hash.",
        NotAssigned => "This conversation is not assigned to anyone, so it cannot be transferred; pick it instead.",
        AgentUnavailable => "That agent cannot take this conversation now: they are offline, disabled, do not serve its site, or already have it.",
        NoSupervisor => "No supervisor of this site is online with room; transfer to a team or try again later.",
        TooManyNotes => "This conversation already has 1000 internal notes; this one was not stored.",
        NotResolved => "This conversation is not resolved, so there is nothing to rate yet.",
        InvalidPhone => "This is not a phone number in international format: + and the country code, such as +44 20 7946 0958.",
        CallbacksOff => "This site does not offer callbacks.",
        CallbackPending => "A callback request of yours is open already; it is kept as it is.",
        CallbackTaken => "Another agent has claimed this callback.",
        CallbackClosed => "This callback is done or failed already.",
        MailOff => "This server does not send mail.",
        TooManyArticles => "This site already has 200 help articles; delete one before adding another.",
        Internal => "Something went wrong on the server. Please retry.",
        Unavailable => "The server's store is unavailable. Please retry.",
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        let code = match e {
            StoreError::TooBroad => {
                return ApiError::field(
                    "q",
                    "These words are in too many conversations: add a longer or another word, \
                     or narrow the dates.",
                )
            }
            StoreError::NotFound => ErrorCode::NotFound,
            StoreError::Forbidden => ErrorCode::Forbidden,
            StoreError::NotQueued => ErrorCode::NotQueued,
            StoreError::AtCapacity => ErrorCode::AtCapacity,
            StoreError::Resolved => ErrorCode::ConversationResolved,
            StoreError::Conflict => ErrorCode::BadRequest,
            StoreError::LastAdmin => ErrorCode::LastAdmin,
            StoreError::QueueFull => ErrorCode::QueueFull,
            StoreError::NotAssigned => ErrorCode::NotAssigned,
            StoreError::AgentUnavailable => ErrorCode::AgentUnavailable,
            StoreError::NoSupervisor => ErrorCode::NoSupervisor,
            StoreError::TooManyNotes => ErrorCode::TooManyNotes,
            StoreError::NotResolved => ErrorCode::NotResolved,
            StoreError::Refused(code) => code,
            StoreError::Unavailable(ref why) => {
                tracing::error!(error = %why, "store unavailable");
                ErrorCode::Unavailable
            }
        };
        ApiError::code(code)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status(self.code)
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status_code());
        if let Some(secs) = self.retry_after {
            res.insert_header((header::RETRY_AFTER, secs.to_string()));
        }
        res.json(ErrorBody {
            code: self.code,
            message: self.message.clone(),
            field: self.field.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_status_and_message() {
        for &code in ErrorCode::ALL {
            assert!(!default_message(code).is_empty());
            let s = status(code);
            assert!(s.is_client_error() || s.is_server_error(), "{code:?}");
        }
    }
}
