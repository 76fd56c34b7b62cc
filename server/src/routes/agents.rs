//! Agent accounts, managed by admins: `POST /api/agents` adds one.
//!
//! There is no `GET /api/agents` yet: the store has no way to list agents,
//! and growing every backend for it belongs with an admin UI that needs it.

use crate::auth::{hash_password, Agent, MIN_PASSWORD_CHARS};
use crate::error::ApiError;
use crate::secrets::random_id;
use crate::seed::DEFAULT_CAPACITY;
use crate::store::{AgentRecord, StoreError};
use crate::ws::agent::profile;
use crate::AppState;
use actix_web::{web, HttpResponse};
use shared::api::NewAgent;
use shared::{AgentId, ErrorCode};

/// Longest email accepted (the SMTP path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Largest capacity an agent may be given.
pub const MAX_CAPACITY: u32 = 100;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/agents", web::post().to(create));
}

/// A [`NewAgent`] that passed [`validate`]: email normalised, name trimmed,
/// capacity filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidNewAgent {
    /// Lower-cased, trimmed email.
    pub email: String,
    /// Trimmed name.
    pub name: String,
    /// The password, as given (spaces count).
    pub password: String,
    /// Capacity, 1–[`MAX_CAPACITY`].
    pub capacity: u32,
}

fn bad(message: String) -> ApiError {
    ApiError::new(ErrorCode::BadRequest, message)
}

/// Checks a request to add an agent; the error names the field at fault.
pub fn validate(req: NewAgent) -> Result<ValidNewAgent, ApiError> {
    let email = req.email.trim().to_lowercase();
    let looks_like_email = email
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && !domain.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.chars().count() <= MAX_EMAIL_CHARS;
    if !looks_like_email {
        return Err(bad(format!(
            "email must look like name@domain, with no spaces, at most \
             {MAX_EMAIL_CHARS} characters"
        )));
    }
    let name = req.name.trim().to_owned();
    let name_chars = name.chars().count();
    if name_chars == 0 || name_chars > MAX_NAME_CHARS {
        return Err(bad(format!(
            "name must be 1 to {MAX_NAME_CHARS} characters (not counting \
             surrounding spaces); got {name_chars}"
        )));
    }
    // Names are shown to visitors and in every agent's dashboard.
    if name.chars().any(char::is_control) {
        return Err(bad("name must not contain control characters".into()));
    }
    if req.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(bad(format!(
            "password must have at least {MIN_PASSWORD_CHARS} characters"
        )));
    }
    let capacity = req.capacity.unwrap_or(DEFAULT_CAPACITY);
    if !(1..=MAX_CAPACITY).contains(&capacity) {
        return Err(bad(format!(
            "capacity must be 1 to {MAX_CAPACITY} concurrent chats; got {capacity}"
        )));
    }
    Ok(ValidNewAgent {
        email,
        name,
        password: req.password,
        capacity,
    })
}

async fn create(
    state: web::Data<AppState>,
    admin: Agent,
    body: web::Json<NewAgent>,
) -> Result<HttpResponse, ApiError> {
    if !admin.record.admin {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "Only an admin may add agents.",
        ));
    }
    let new = validate(body.into_inner())?;
    let password = new.password;
    // argon2 is slow by design: off the async workers.
    let password_hash = web::block(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::code(ErrorCode::Internal))?;
    let record = AgentRecord {
        id: AgentId(random_id("a")),
        email: new.email,
        name: new.name,
        password_hash,
        admin: false,
        capacity: new.capacity,
    };
    match state.store.insert_agent(record.clone()).await {
        Ok(()) => {}
        // The only unique field of an agent (the id is fresh and random).
        Err(StoreError::Conflict) => return Err(ApiError::code(ErrorCode::EmailTaken)),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(agent = %record.id, by = %admin.record.id, "agent added");
    Ok(HttpResponse::Created().json(profile(&record)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(email: &str, name: &str, password: &str, capacity: Option<u32>) -> NewAgent {
        NewAgent {
            email: email.into(),
            name: name.into(),
            password: password.into(),
            capacity,
        }
    }

    fn rejected(r: NewAgent) -> String {
        let e = validate(r).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadRequest);
        e.message
    }

    #[test]
    fn normalises_a_good_request() {
        let ok = validate(req(" Sara@Example.COM ", "  Sara K. ", "long enough", None)).unwrap();
        assert_eq!(
            ok,
            ValidNewAgent {
                email: "sara@example.com".into(),
                name: "Sara K.".into(),
                password: "long enough".into(),
                capacity: DEFAULT_CAPACITY,
            }
        );
        let ok = validate(req("a@b", "ش", "12345678", Some(MAX_CAPACITY))).unwrap();
        assert_eq!(ok.capacity, MAX_CAPACITY);
    }

    #[test]
    fn names_the_bad_field() {
        let long_email = format!("{}@example.com", "a".repeat(MAX_EMAIL_CHARS));
        for email in [
            "nope",
            "@example.com",
            "sara@",
            "sa ra@example.com",
            &long_email,
        ] {
            let m = rejected(req(email, "Sara", "long enough", None));
            assert!(m.starts_with("email"), "{email}: {m}");
        }
        for name in ["", "   ", "a\u{7}b", &"n".repeat(MAX_NAME_CHARS + 1)] {
            let m = rejected(req("s@x.org", name, "long enough", None));
            assert!(m.starts_with("name"), "{name:?}: {m}");
        }
        assert!(
            validate(req(
                "s@x.org",
                &"ن".repeat(MAX_NAME_CHARS),
                "long enough",
                None
            ))
            .is_ok(),
            "the name limit counts characters, not bytes"
        );
        let m = rejected(req("s@x.org", "Sara", "seven77", None));
        assert!(m.starts_with("password"), "{m}");
        for capacity in [0, MAX_CAPACITY + 1] {
            let m = rejected(req("s@x.org", "Sara", "long enough", Some(capacity)));
            assert!(m.starts_with("capacity"), "{capacity}: {m}");
        }
    }
}
