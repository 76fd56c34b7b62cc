//! Decoding and checking client frames: plain functions, unit-tested, so
//! the socket loops only dispatch.

use crate::config::SendRate;
use serde::de::DeserializeOwned;
use shared::limits::{MAX_COMMENT_CHARS, MAX_MESSAGE_CHARS};
use shared::{ClientId, ErrorCode};
use std::time::Instant;

/// A frame that could not be decoded: which code to answer with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Stable code.
    pub code: ErrorCode,
    /// Human explanation, naming what was wrong.
    pub message: String,
}

/// Decodes a text frame into `T`, telling a frame of an unknown `type`
/// (`unknown_frame`) from one that is not JSON or has bad fields
/// (`malformed_frame`): a client author needs to know which mistake they made.
pub fn decode<T: DeserializeOwned>(text: &str, known_types: &[&str]) -> Result<T, Rejected> {
    match serde_json::from_str::<T>(text) {
        Ok(frame) => Ok(frame),
        Err(err) => {
            let kind = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned));
            match kind {
                Some(t) if !known_types.contains(&t.as_str()) => Err(Rejected {
                    code: ErrorCode::UnknownFrame,
                    message: format!("unknown frame type {t:?}; expected one of {known_types:?}"),
                }),
                _ => Err(Rejected {
                    code: ErrorCode::MalformedFrame,
                    message: format!("malformed frame: {err}"),
                }),
            }
        }
    }
}

/// Checks a send's client id and body.
pub fn check_send(client_id: &ClientId, body: &str) -> Result<(), ErrorCode> {
    if !client_id.is_valid() {
        return Err(ErrorCode::InvalidClientId);
    }
    if body.trim().is_empty() {
        return Err(ErrorCode::EmptyMessage);
    }
    if body.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ErrorCode::MessageTooLong);
    }
    Ok(())
}

/// A survey answer's checks: a score of 1–5, a comment trimmed (blank is
/// none) and at most `MAX_COMMENT_CHARS` characters, a Net Promoter answer
/// of 0–10 (kept only where `nps_asked`). `Err` holds the code and why.
pub fn check_rating(
    score: u8,
    comment: Option<String>,
    nps: Option<u8>,
    nps_asked: bool,
    now: shared::Millis,
) -> Result<crate::store::StoredRating, Rejected> {
    if !(1..=5).contains(&score) {
        return Err(Rejected {
            code: ErrorCode::BadRequest,
            message: format!("score must be 1 to 5; got {score}"),
        });
    }
    if let Some(n) = nps.filter(|n| *n > 10) {
        return Err(Rejected {
            code: ErrorCode::BadRequest,
            message: format!("nps must be 0 to 10; got {n}"),
        });
    }
    let comment = comment
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty());
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT_CHARS)
    {
        return Err(Rejected {
            code: ErrorCode::MessageTooLong,
            message: format!("the comment is longer than {MAX_COMMENT_CHARS} characters"),
        });
    }
    Ok(crate::store::StoredRating {
        score,
        comment,
        nps: nps.filter(|_| nps_asked),
        at: now,
    })
}

/// The leave-a-message form's checks: an email address that can receive
/// mail (at most `MAX_EMAIL_CHARS`), a name trimmed (blank is none) of at
/// most `MAX_VISITOR_NAME_CHARS` characters without control characters.
pub fn check_contact(contact: shared::Contact) -> Result<shared::Contact, Rejected> {
    use shared::limits::MAX_VISITOR_NAME_CHARS;
    let email = contact.email.trim();
    if !mailable(email) {
        return Err(invalid_email());
    }
    let name = contact
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if let Some(n) = &name {
        if n.chars().count() > MAX_VISITOR_NAME_CHARS || n.chars().any(char::is_control) {
            return Err(Rejected {
                code: ErrorCode::BadRequest,
                message: format!(
                    "name must be at most {MAX_VISITOR_NAME_CHARS} characters, on one line"
                ),
            });
        }
    }
    Ok(shared::Contact {
        name,
        email: email.to_owned(),
    })
}

/// An address mail can reach: shaped like one (the widget's own check)
/// and parsed by lettre, which sends to it.
fn mailable(email: &str) -> bool {
    shared::settings::email_shaped(email) && email.parse::<lettre::Address>().is_ok()
}

fn invalid_email() -> Rejected {
    Rejected {
        code: ErrorCode::InvalidEmail,
        message: "email must be an address such as name@example.com".into(),
    }
}

/// The pre-chat form's answers checked against the site's form
/// ([`PrechatForm::check`](shared::settings::PrechatForm::check), the same
/// rules the widget applies before sending), the email parsed for real.
pub fn check_prechat(
    form: &shared::settings::PrechatForm,
    answers: &std::collections::BTreeMap<String, String>,
) -> Result<crate::store::VisitorDetails, Rejected> {
    use shared::settings::PrechatProblem;
    let checked = form.check(answers).map_err(|(key, problem)| {
        let key: String = key.chars().take(32).collect();
        match problem {
            PrechatProblem::Email => invalid_email(),
            problem => Rejected {
                code: ErrorCode::BadRequest,
                message: match problem {
                    PrechatProblem::Required => format!("{key} is required"),
                    PrechatProblem::Phone => {
                        format!("{key} must be a phone number in international format, such as +98 912 345 6789")
                    }
                    PrechatProblem::TooLong => format!("{key} must be one line, at most 200 characters"),
                    PrechatProblem::NotAnOption => format!("{key} must be one of its options"),
                    PrechatProblem::Unknown | PrechatProblem::Email => {
                        format!("the form has no field {key:?}")
                    }
                },
            },
        }
    })?;
    if checked.email.as_deref().is_some_and(|e| !mailable(e)) {
        return Err(invalid_email());
    }
    Ok(crate::store::VisitorDetails {
        name: checked.name,
        email: checked.email,
        attributes: checked.attributes,
    })
}

/// The name and email an identity carries, checked like a contact's
/// (blank is none); an email that cannot receive mail is refused.
pub fn check_identity_details(
    identity: &shared::Identity,
) -> Result<crate::store::VisitorDetails, Rejected> {
    use shared::limits::MAX_VISITOR_NAME_CHARS;
    let name = identity
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if name.is_some_and(|n| {
        n.chars().count() > MAX_VISITOR_NAME_CHARS || n.chars().any(char::is_control)
    }) {
        return Err(Rejected {
            code: ErrorCode::BadRequest,
            message: format!(
                "name must be at most {MAX_VISITOR_NAME_CHARS} characters, on one line"
            ),
        });
    }
    let email = identity
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if email.is_some_and(|e| !mailable(e)) {
        return Err(invalid_email());
    }
    Ok(crate::store::VisitorDetails {
        name: name.map(str::to_owned),
        email: email.map(str::to_owned),
        attributes: Default::default(),
    })
}

/// The page's attributes (`Ahlan.setAttributes`): at most
/// [`MAX_ATTRIBUTES`](shared::limits::MAX_ATTRIBUTES), keys of letters,
/// digits, `_`, `-` and `.` up to
/// [`MAX_ATTRIBUTE_KEY_CHARS`](shared::limits::MAX_ATTRIBUTE_KEY_CHARS),
/// values on one line up to
/// [`MAX_ATTRIBUTE_VALUE_CHARS`](shared::limits::MAX_ATTRIBUTE_VALUE_CHARS)
/// (trimmed). All or nothing: one bad pair refuses the frame, naming it.
pub fn check_attributes(
    attributes: &std::collections::BTreeMap<String, String>,
) -> Result<std::collections::BTreeMap<String, String>, Rejected> {
    use shared::limits::{MAX_ATTRIBUTES, MAX_ATTRIBUTE_KEY_CHARS, MAX_ATTRIBUTE_VALUE_CHARS};
    let bad = |message: String| Rejected {
        code: ErrorCode::BadRequest,
        message,
    };
    if attributes.len() > MAX_ATTRIBUTES {
        return Err(bad(format!("at most {MAX_ATTRIBUTES} attributes")));
    }
    let mut kept = std::collections::BTreeMap::new();
    for (key, value) in attributes {
        let shown: String = key.chars().take(32).collect();
        let key_ok = !key.is_empty()
            && key.chars().count() <= MAX_ATTRIBUTE_KEY_CHARS
            && key
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !key_ok {
            return Err(bad(format!(
                "attribute key {shown:?} must be 1 to {MAX_ATTRIBUTE_KEY_CHARS} letters, digits, _, - or ."
            )));
        }
        let value = value.trim();
        if value.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS || value.chars().any(char::is_control)
        {
            return Err(bad(format!(
                "attribute {shown} must be one line of at most {MAX_ATTRIBUTE_VALUE_CHARS} characters"
            )));
        }
        kept.insert(key.clone(), value.to_owned());
    }
    Ok(kept)
}

/// A token bucket: `rate.burst` sends at once, refilled at
/// `rate.per_second` (both operator flags, see [`SendRate`]). One per
/// connection, so one flooding client cannot slow down others.
#[derive(Debug, Clone)]
pub struct SendLimiter {
    rate: SendRate,
    tokens: f64,
    last: Instant,
}

impl SendLimiter {
    /// A full bucket.
    pub fn new(now: Instant, rate: SendRate) -> Self {
        Self {
            rate,
            tokens: f64::from(rate.burst),
            last: now,
        }
    }

    /// Takes one token if there is one.
    pub fn allow(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * f64::from(self.rate.per_second))
            .min(f64::from(self.rate.burst));
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::limits::{SENDS_PER_SECOND, SEND_BURST};
    use shared::VisitorClientFrame;
    use std::time::Duration;

    const KNOWN: &[&str] = &["hello", "send", "typing"];

    #[test]
    fn a_contact_needs_a_mailable_address_and_a_one_line_name() {
        let contact = |name: Option<&str>, email: &str| shared::Contact {
            name: name.map(str::to_owned),
            email: email.to_owned(),
        };
        let ok = check_contact(contact(Some("  Leila  "), " leila@example.ir ")).unwrap();
        assert_eq!(ok, contact(Some("Leila"), "leila@example.ir"));
        assert_eq!(
            check_contact(contact(Some("  "), "a@b.co")).unwrap().name,
            None
        );
        assert!(
            check_contact(contact(Some("لیلا"), "لیلا@مثال.ایران")).is_ok(),
            "IDN"
        );
        for bad in [
            "",
            "leila",
            "leila@",
            "@example.com",
            "a b@example.com",
            "a@localhost",
            "a@example.com\r\nBcc: x@evil.com",
        ] {
            let e = check_contact(contact(None, bad)).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidEmail, "{bad:?}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert_eq!(
            check_contact(contact(None, &long)).unwrap_err().code,
            ErrorCode::InvalidEmail
        );
        let e = check_contact(contact(Some("Leila\nBcc: x"), "a@b.co")).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadRequest);
        let name = "n".repeat(101);
        assert!(check_contact(contact(Some(&name), "a@b.co")).is_err());
    }

    #[test]
    fn a_rating_is_one_to_five_with_an_optional_bounded_comment() {
        for bad in [0, 6, 255] {
            assert_eq!(
                check_rating(bad, None, None, true, 1).unwrap_err().code,
                ErrorCode::BadRequest
            );
        }
        let r = check_rating(4, Some("  thanks!  ".into()), Some(9), true, 7).unwrap();
        assert_eq!(
            (r.score, r.comment.as_deref(), r.nps, r.at),
            (4, Some("thanks!"), Some(9), 7)
        );
        assert_eq!(
            check_rating(1, Some("   ".into()), None, true, 7)
                .unwrap()
                .comment,
            None
        );
        assert_eq!(
            check_rating(3, None, Some(11), true, 7).unwrap_err().code,
            ErrorCode::BadRequest
        );
        assert_eq!(
            check_rating(3, None, Some(0), false, 7).unwrap().nps,
            None,
            "not asked: not kept"
        );
        assert_eq!(
            check_rating(3, None, Some(0), true, 7).unwrap().nps,
            Some(0)
        );
        let long = "ب".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            check_rating(5, Some(long), None, true, 7).unwrap_err().code,
            ErrorCode::MessageTooLong
        );
        assert!(check_rating(5, Some("ب".repeat(MAX_COMMENT_CHARS)), None, true, 7).is_ok());
    }

    #[test]
    fn decodes_known_frames() {
        let f: VisitorClientFrame = decode(r#"{"type":"typing","typing":true}"#, KNOWN).unwrap();
        assert_eq!(
            f,
            VisitorClientFrame::Typing {
                typing: true,
                preview: None
            }
        );
    }

    #[test]
    fn tells_unknown_from_malformed() {
        let e = decode::<VisitorClientFrame>(r#"{"type":"dance"}"#, KNOWN).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownFrame);
        for bad in [
            "{not json",
            r#"{"type":"send"}"#,
            "[]",
            "42",
            r#"{"no":"type"}"#,
            r#"{"type":7}"#,
        ] {
            let e = decode::<VisitorClientFrame>(bad, KNOWN).unwrap_err();
            assert_eq!(e.code, ErrorCode::MalformedFrame, "{bad}");
        }
    }

    #[test]
    fn checks_sends() {
        let ok = ClientId::from("m1");
        assert_eq!(check_send(&ok, "hi"), Ok(()));
        assert_eq!(check_send(&ok, "  \n "), Err(ErrorCode::EmptyMessage));
        assert_eq!(
            check_send(&ClientId::from("bad id"), "hi"),
            Err(ErrorCode::InvalidClientId)
        );
        let max = "ش".repeat(MAX_MESSAGE_CHARS);
        assert_eq!(
            check_send(&ok, &max),
            Ok(()),
            "limit counts characters, not bytes"
        );
        assert_eq!(
            check_send(&ok, &format!("{max}x")),
            Err(ErrorCode::MessageTooLong)
        );
    }

    #[test]
    fn limiter_allows_burst_then_refills() {
        let t0 = Instant::now();
        let mut l = SendLimiter::new(t0, SendRate::default());
        for _ in 0..SEND_BURST {
            assert!(l.allow(t0));
        }
        assert!(!l.allow(t0));
        assert!(l.allow(t0 + Duration::from_millis(1000 / SENDS_PER_SECOND as u64 + 1)));
        assert!(!l.allow(t0 + Duration::from_millis(1000 / SENDS_PER_SECOND as u64 + 1)));
    }

    #[test]
    fn limiter_follows_a_custom_rate() {
        let rate = SendRate {
            per_second: 100,
            burst: 50,
        };
        let t0 = Instant::now();
        let mut l = SendLimiter::new(t0, rate);
        for i in 0..50 {
            assert!(l.allow(t0), "send {i} of the burst");
        }
        assert!(!l.allow(t0));
        // 100 a second: 10 more after 100 ms, not 11.
        let t1 = t0 + Duration::from_millis(100);
        for i in 0..10 {
            assert!(l.allow(t1), "refilled send {i}");
        }
        assert!(!l.allow(t1));
        // Refill stops at the burst, however long the pause.
        let t2 = t1 + Duration::from_secs(60);
        let allowed = (0..100).filter(|_| l.allow(t2)).count();
        assert_eq!(allowed, 50);
    }

    #[test]
    fn attributes_are_checked_all_or_nothing() {
        let map = |pairs: &[(&str, &str)]| -> std::collections::BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            check_attributes(&map(&[
                ("plan", " Pro "),
                ("خطة", "ذهبية"),
                ("org.id", "42")
            ])),
            Ok(map(&[("plan", "Pro"), ("خطة", "ذهبية"), ("org.id", "42")]))
        );
        for bad in [
            map(&[("plan", "Pro"), ("", "x")]),
            map(&[("has space", "x")]),
            map(&[("<b>", "x")]),
            map(&[(&"k".repeat(41), "x")]),
            map(&[("plan", "two\nlines")]),
            map(&[("plan", &"v".repeat(201))]),
            (0..31).map(|i| (format!("k{i}"), "v".to_owned())).collect(),
        ] {
            let e = check_attributes(&bad).unwrap_err();
            assert_eq!(e.code, ErrorCode::BadRequest, "{bad:?}");
        }
    }

    #[test]
    fn an_identitys_name_and_email_are_checked_like_a_contact() {
        let identity = |name: Option<&str>, email: Option<&str>| shared::Identity {
            user_id: "u1".into(),
            hash: None,
            name: name.map(str::to_owned),
            email: email.map(str::to_owned),
        };
        let d =
            check_identity_details(&identity(Some(" Leila "), Some("leila@example.com"))).unwrap();
        assert_eq!(d.name.as_deref(), Some("Leila"));
        assert_eq!(d.email.as_deref(), Some("leila@example.com"));
        assert_eq!(
            check_identity_details(&identity(Some(" "), None)).unwrap(),
            crate::store::VisitorDetails::default()
        );
        assert_eq!(
            check_identity_details(&identity(None, Some("not-mail")))
                .unwrap_err()
                .code,
            ErrorCode::InvalidEmail
        );
        assert_eq!(
            check_identity_details(&identity(Some("a\nb"), None))
                .unwrap_err()
                .code,
            ErrorCode::BadRequest
        );
    }
}
