//! What the frame targets check, shared by both sockets. Each target hands
//! the fuzzer's text to [`decode_checked`], which decodes it exactly as the
//! socket driver does (`ws::frames::decode` with the connection's `Frame`
//! type and `KINDS` list) and asserts what must hold whatever a client
//! sends; then the target runs the decoded frame through the checks the
//! server makes before it touches the store, and checks the error frame
//! the server would answer with.
//!
//! # Layout
//!
//! - [`frame_text`] — which inputs the driver would decode at all;
//! - [`decode_checked`] — decoding, the round trip and the error codes;
//! - [`check_send_rules`] — the send checks (`client_id`, body);
//! - [`check_code`] — an error code's wire string is stable;
//! - [`check_reply`] — the frame the server answers with reads back whole;
//! - `fuzz_targets/` — one binary per target (`visitor_frame`,
//!   `agent_frame`, `origin`).

use ahlan_server::error::default_message;
use ahlan_server::ws::driver::Connection;
use ahlan_server::ws::frames::{check_send, decode, Rejected};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use shared::limits::{MAX_FRAME_BYTES, MAX_MESSAGE_CHARS};
use shared::{ClientId, ErrorCode};
use std::fmt::Debug;

/// The text of a websocket frame the driver would decode: actix-ws only
/// hands over valid UTF-8 text, and never more than [`MAX_FRAME_BYTES`]
/// (a larger frame closes the socket before decoding).
pub fn frame_text(data: &[u8]) -> Option<&str> {
    if data.len() > MAX_FRAME_BYTES {
        return None;
    }
    std::str::from_utf8(data).ok()
}

/// Decodes `text` as the driver does for a connection of kind `C` and
/// checks the outcome:
///
/// - a frame decodes only from a JSON object whose `type` is one of
///   `C::KINDS`: that list is kept by hand beside the enum, and the
///   driver's split between `unknown_frame` and `malformed_frame` is only
///   right while the two agree;
/// - the frame re-encodes to JSON of the same `type` that decodes to an
///   equal frame, so what a client library writes the server reads back
///   unchanged;
/// - a refusal is `unknown_frame` exactly when `type` is a string the
///   socket does not list, `malformed_frame` otherwise, with a message,
///   and its code has a stable wire string ([`check_code`]).
pub fn decode_checked<C>(text: &str) -> Result<C::Frame, Rejected>
where
    C: Connection,
    C::Frame: Serialize + PartialEq + Debug,
{
    let value = serde_json::from_str::<Value>(text).ok();
    let kind = value
        .as_ref()
        .and_then(|v| v.get("type"))
        .and_then(Value::as_str);
    match decode::<C::Frame>(text, C::KINDS) {
        Ok(frame) => {
            let kind = kind.expect("a decoded frame comes from an object with a string type");
            assert!(
                C::KINDS.contains(&kind),
                "decoded a {kind:?} frame, which KINDS does not list"
            );
            let again = serde_json::to_string(&frame).expect("client frames serialize");
            let tag = serde_json::from_str::<Value>(&again).expect("a serialized frame is JSON")
                ["type"]
                .clone();
            assert_eq!(tag, Value::from(kind), "re-encoded as another type");
            match decode::<C::Frame>(&again, C::KINDS) {
                Ok(back) => assert_eq!(back, frame, "round trip changed the frame"),
                Err(r) => panic!("re-encoded frame {again} refused: {r:?}"),
            }
            Ok(frame)
        }
        Err(rejected) => {
            match rejected.code {
                ErrorCode::UnknownFrame => assert!(
                    kind.is_some_and(|k| !C::KINDS.contains(&k)),
                    "unknown_frame for type {kind:?}"
                ),
                ErrorCode::MalformedFrame => assert!(
                    kind.is_none_or(|k| C::KINDS.contains(&k)),
                    "malformed_frame for unlisted type {kind:?}"
                ),
                other => panic!("decoding answered {other:?}"),
            }
            assert!(!rejected.message.is_empty(), "refusal without a message");
            check_code(rejected.code);
            Err(rejected)
        }
    }
}

/// A code is one of [`ErrorCode::ALL`], serializes to its `as_str` string
/// and back, and has a default message: clients branch on that string.
pub fn check_code(code: ErrorCode) {
    assert!(ErrorCode::ALL.contains(&code), "{code:?} missing from ALL");
    assert_eq!(
        serde_json::to_value(code).expect("codes serialize"),
        Value::from(code.as_str())
    );
    assert_eq!(
        serde_json::from_value::<ErrorCode>(Value::from(code.as_str())).ok(),
        Some(code)
    );
    assert!(!default_message(code).is_empty(), "{code:?} has no message");
}

/// Runs the server's send check and asserts it is exactly the documented
/// rule: a valid client id (1–64 of `A-Za-z0-9-_`), a body that is not
/// blank and at most [`MAX_MESSAGE_CHARS`] characters, checked in that
/// order. Returns what the server does with the send.
pub fn check_send_rules(client_id: &ClientId, body: &str) -> Result<(), ErrorCode> {
    let got = check_send(client_id, body);
    let id = client_id.as_str();
    let id_ok = !id.is_empty()
        && id.len() <= ClientId::MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    let expected = if !id_ok {
        Err(ErrorCode::InvalidClientId)
    } else if body.trim().is_empty() {
        Err(ErrorCode::EmptyMessage)
    } else if body.chars().count() > MAX_MESSAGE_CHARS {
        Err(ErrorCode::MessageTooLong)
    } else {
        Ok(())
    };
    assert_eq!(got, expected, "send check for {client_id:?}");
    if let Err(code) = got {
        check_code(code);
    }
    got
}

/// Serializes a frame the server sends and checks that a client decoding
/// it gets the same frame back, and the code's wire string: error frames
/// echo what the client sent (its `client_id`, the `type` it tried), so
/// the escaping has to survive any text.
pub fn check_reply<T>(frame: &T, code: ErrorCode)
where
    T: Serialize + DeserializeOwned + PartialEq + Debug,
{
    let text = serde_json::to_string(frame).expect("server frames serialize");
    let back: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("a client cannot read the server's {text}: {e}"));
    assert_eq!(&back, frame, "the reply changed on the way");
    let value: Value = serde_json::from_str(&text).expect("a reply is JSON");
    assert_eq!(value["type"], "error");
    assert_eq!(value["code"], code.as_str());
}
