//! Stable error codes. The `snake_case` code string is the contract: clients
//! branch on it and translate it; the accompanying `message` is a human
//! explanation in English for logs and developers. Codes are never reused
//! for a different meaning.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// Every error a client can see, over the websocket or REST.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The frame is not valid JSON, or a field is missing or of a wrong type.
    MalformedFrame,
    /// The frame's `type` is not one this socket understands.
    UnknownFrame,
    /// The frame is larger than [`crate::limits::MAX_FRAME_BYTES`]. The
    /// connection is closed (the server cannot safely read past it).
    FrameTooLarge,
    /// Binary frames are not part of the protocol.
    BinaryNotSupported,
    /// A frame other than `hello` arrived before the handshake finished.
    HelloRequired,
    /// A second `hello` on the same connection.
    AlreadyGreeted,
    /// The site key is unknown.
    UnknownSite,
    /// The page's origin is not in the site's allowed origins.
    OriginNotAllowed,
    /// The message body is empty (or only white space).
    EmptyMessage,
    /// The message body is longer than [`crate::limits::MAX_MESSAGE_CHARS`].
    MessageTooLong,
    /// The client id is missing or not 1–64 characters of `A-Za-z0-9-_`.
    InvalidClientId,
    /// Too many sends too fast; the send was not stored. Retry later with
    /// the same client id.
    RateLimited,
    /// Not logged in (no or expired session).
    Unauthorized,
    /// Logged in, but this agent may not do this (e.g. act on a
    /// conversation assigned to someone else).
    Forbidden,
    /// The conversation (or other resource) does not exist.
    NotFound,
    /// The path exists but not with this HTTP method (REST only; the
    /// response's `Allow` header lists the methods it has).
    MethodNotAllowed,
    /// The conversation is no longer waiting (another agent took it).
    NotQueued,
    /// The agent already has as many open chats as their capacity allows.
    AtCapacity,
    /// The conversation is resolved; it cannot be changed this way.
    ConversationResolved,
    /// Wrong email or password.
    InvalidCredentials,
    /// Too many failed logins; wait before trying again.
    TooManyAttempts,
    /// The request body or query is invalid.
    BadRequest,
    /// Another agent already has this email (emails are login names, so
    /// they are unique).
    EmailTaken,
    /// The site's queue is full: nothing was stored. The visitor should
    /// leave a message or try again later.
    QueueFull,
    /// Too many connections or new visitors from one address.
    TooManyConnections,
    /// The change would leave the workspace without an active admin.
    LastAdmin,
    /// The current password given to change it is wrong.
    WrongPassword,
    /// The conversation is not assigned to anyone (waiting or resolved):
    /// there is nobody to transfer it from.
    NotAssigned,
    /// The agent a transfer names cannot take it now: offline, disabled,
    /// not serving the conversation's site, or already its assignee.
    AgentUnavailable,
    /// An escalation found no supervisor of the site online with room.
    NoSupervisor,
    /// The conversation already holds the most internal notes allowed
    /// (`limits::MAX_NOTES_PER_CONVERSATION`); nothing was stored.
    TooManyNotes,
    /// The conversation is not resolved (or not begun): there is nothing
    /// to rate yet.
    NotResolved,
    /// An email address that cannot receive mail (`name@domain`).
    InvalidEmail,
    /// An identity's `hash` is not the site's signature of its user id
    /// (forged, for another id, or made with a rotated secret).
    IdentityInvalid,
    /// The site accepts only signed identities and this one has no `hash`.
    IdentityRequired,
    /// Not a phone number in international format (`+` and 6 to 15
    /// digits).
    InvalidPhone,
    /// The site does not offer callbacks.
    CallbacksOff,
    /// The visitor already has a callback request that is not done yet.
    CallbackPending,
    /// Another agent has claimed that callback.
    CallbackTaken,
    /// That callback is done (or failed) already.
    CallbackClosed,
    /// This server does not send mail (no SMTP configured).
    MailOff,
    /// The site has as many help articles as it may have.
    TooManyArticles,
    /// Something failed on the server; the request may be retried.
    Internal,
    /// The store is unreachable; the request may be retried.
    Unavailable,
}

impl ErrorCode {
    /// Every code, for tables and tests.
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::MalformedFrame,
        ErrorCode::UnknownFrame,
        ErrorCode::FrameTooLarge,
        ErrorCode::BinaryNotSupported,
        ErrorCode::HelloRequired,
        ErrorCode::AlreadyGreeted,
        ErrorCode::UnknownSite,
        ErrorCode::OriginNotAllowed,
        ErrorCode::EmptyMessage,
        ErrorCode::MessageTooLong,
        ErrorCode::InvalidClientId,
        ErrorCode::RateLimited,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::NotQueued,
        ErrorCode::AtCapacity,
        ErrorCode::ConversationResolved,
        ErrorCode::InvalidCredentials,
        ErrorCode::TooManyAttempts,
        ErrorCode::BadRequest,
        ErrorCode::EmailTaken,
        ErrorCode::QueueFull,
        ErrorCode::TooManyConnections,
        ErrorCode::LastAdmin,
        ErrorCode::WrongPassword,
        ErrorCode::NotAssigned,
        ErrorCode::AgentUnavailable,
        ErrorCode::NoSupervisor,
        ErrorCode::TooManyNotes,
        ErrorCode::NotResolved,
        ErrorCode::InvalidEmail,
        ErrorCode::IdentityInvalid,
        ErrorCode::IdentityRequired,
        ErrorCode::InvalidPhone,
        ErrorCode::CallbacksOff,
        ErrorCode::CallbackPending,
        ErrorCode::CallbackTaken,
        ErrorCode::CallbackClosed,
        ErrorCode::MailOff,
        ErrorCode::TooManyArticles,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
    ];

    /// The wire string of this code, e.g. `"message_too_long"`.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            MalformedFrame => "malformed_frame",
            UnknownFrame => "unknown_frame",
            FrameTooLarge => "frame_too_large",
            BinaryNotSupported => "binary_not_supported",
            HelloRequired => "hello_required",
            AlreadyGreeted => "already_greeted",
            UnknownSite => "unknown_site",
            OriginNotAllowed => "origin_not_allowed",
            EmptyMessage => "empty_message",
            MessageTooLong => "message_too_long",
            InvalidClientId => "invalid_client_id",
            RateLimited => "rate_limited",
            Unauthorized => "unauthorized",
            Forbidden => "forbidden",
            NotFound => "not_found",
            MethodNotAllowed => "method_not_allowed",
            NotQueued => "not_queued",
            AtCapacity => "at_capacity",
            ConversationResolved => "conversation_resolved",
            InvalidCredentials => "invalid_credentials",
            TooManyAttempts => "too_many_attempts",
            BadRequest => "bad_request",
            EmailTaken => "email_taken",
            QueueFull => "queue_full",
            TooManyConnections => "too_many_connections",
            LastAdmin => "last_admin",
            WrongPassword => "wrong_password",
            NotAssigned => "not_assigned",
            AgentUnavailable => "agent_unavailable",
            NoSupervisor => "no_supervisor",
            TooManyNotes => "too_many_notes",
            NotResolved => "not_resolved",
            InvalidEmail => "invalid_email",
            IdentityInvalid => "identity_invalid",
            IdentityRequired => "identity_required",
            InvalidPhone => "invalid_phone",
            CallbacksOff => "callbacks_off",
            CallbackPending => "callback_pending",
            CallbackTaken => "callback_taken",
            CallbackClosed => "callback_closed",
            MailOff => "mail_off",
            TooManyArticles => "too_many_articles",
            Internal => "internal",
            Unavailable => "unavailable",
        }
    }

    /// Whether retrying the same request later can succeed.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorCode::RateLimited
                | ErrorCode::Internal
                | ErrorCode::Unavailable
                | ErrorCode::TooManyAttempts
        )
    }
}

/// The JSON body of every REST error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    /// Stable code.
    pub code: ErrorCode,
    /// Human explanation (English).
    pub message: String,
    /// The request field at fault (`allowed_origins[1]`, `email`…), when
    /// one is: forms put the message beside it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

// Decoded by hand rather than derived: the derive matches every name twice
// (as text and as bytes), ~10 KB of the widget's wasm; this looks the
// string up among the codes' own `as_str`, the one spelling both sides use.
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Code;

        impl Visitor<'_> for Code {
            type Value = ErrorCode;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an error code")
            }

            fn visit_str<E: de::Error>(self, code: &str) -> Result<ErrorCode, E> {
                ErrorCode::ALL
                    .iter()
                    .copied()
                    .find(|c| c.as_str() == code)
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(code), &self))
            }
        }

        deserializer.deserialize_str(Code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_matches_serde() {
        for &code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            let back: ErrorCode = serde_json::from_str(&json).unwrap();
            assert_eq!(back, code);
        }
    }
}
