//! Canned responses: who may use which, who may manage which, and the
//! checks on their fields. The store keeps them; REST (routes/canned.rs)
//! applies these rules. Their variables are filled in the composer
//! (`shared::canned`).

use crate::error::ApiError;
use crate::store::AgentRecord;
use crate::validate;
use shared::api::{CannedResponse, CannedScope};
use shared::limits::MAX_MESSAGE_CHARS;
use shared::{AgentId, Role};

/// Longest shortcut.
pub const MAX_SHORTCUT_CHARS: usize = 32;

/// Most responses in one scope (all global ones; one site's; one agent's
/// personal ones): a bound on what an account can make the server keep.
pub const MAX_PER_SCOPE: usize = 200;

/// Whether a new response of `scope` by `owner` still fits among `all`.
pub fn room_for(all: &[CannedResponse], scope: &CannedScope, owner: &AgentId) -> bool {
    let same = |c: &&CannedResponse| {
        &c.scope == scope && (*scope != CannedScope::Personal || &c.owner == owner)
    };
    all.iter().filter(same).count() < MAX_PER_SCOPE
}

/// Whether `agent` may see and insert `c`: global ones everyone, a site's
/// its agents (admins: every site's), personal ones only their writer.
pub fn may_use(agent: &AgentRecord, c: &CannedResponse) -> bool {
    if agent.disabled {
        return false;
    }
    match &c.scope {
        CannedScope::Global => true,
        CannedScope::Site { site } => agent.role == Role::Admin || agent.sites.contains(site),
        CannedScope::Personal => c.owner == agent.id,
    }
}

/// Whether `agent` may create, change or delete a response of `scope`
/// written by `owner`: global ones admins; a site's its admins and
/// supervisors; personal ones their writer.
pub fn may_manage(agent: &AgentRecord, scope: &CannedScope, owner: &AgentId) -> bool {
    if agent.disabled {
        return false;
    }
    match scope {
        CannedScope::Global => agent.role == Role::Admin,
        CannedScope::Site { site } => {
            agent.role == Role::Admin
                || (agent.role == Role::Supervisor && agent.sites.contains(site))
        }
        CannedScope::Personal => owner == &agent.id,
    }
}

/// A title: 1–100 characters, no control characters.
pub fn title(value: &str) -> Result<String, ApiError> {
    validate::name("title", value)
}

/// A shortcut: 1–32 of `a-z 0-9 - _`, stored lower-cased.
pub fn shortcut(value: &str) -> Result<String, ApiError> {
    let s = value.trim().to_ascii_lowercase();
    let ok = (1..=MAX_SHORTCUT_CHARS).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if !ok {
        return Err(ApiError::field(
            "shortcut",
            format!("shortcut must be 1 to {MAX_SHORTCUT_CHARS} of a-z, 0-9, - and _"),
        ));
    }
    Ok(s)
}

/// The text: 1–5,000 characters (a message's limit: it becomes one), line
/// breaks and tabs allowed, no other control characters.
pub fn body(value: &str) -> Result<String, ApiError> {
    let t = value.trim();
    let n = t.chars().count();
    if n == 0 || n > MAX_MESSAGE_CHARS {
        return Err(ApiError::field(
            "body",
            format!("body must be 1 to {MAX_MESSAGE_CHARS} characters; got {n}"),
        ));
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(ApiError::field(
            "body",
            "body must not contain control characters other than line breaks and tabs",
        ));
    }
    Ok(t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::SiteId;

    fn agent(id: &str, role: Role, sites: &[&str]) -> AgentRecord {
        let mut a = AgentRecord::new(id.into(), "x@y", id, String::new(), role);
        a.sites = sites.iter().map(|s| SiteId((*s).into())).collect();
        a
    }

    fn canned(scope: CannedScope, owner: &str) -> CannedResponse {
        CannedResponse {
            id: "cr_1".into(),
            scope,
            owner: owner.into(),
            title: "t".into(),
            shortcut: "s".into(),
            body: "b".into(),
        }
    }

    #[test]
    fn who_uses_and_who_manages_what() {
        let admin = agent("a_admin", Role::Admin, &[]);
        let boss = agent("a_boss", Role::Supervisor, &["s_1"]);
        let sara = agent("a_sara", Role::Agent, &["s_1"]);
        let omar = agent("a_omar", Role::Agent, &["s_2"]);
        let site_1 = CannedScope::Site { site: "s_1".into() };
        let global = canned(CannedScope::Global, "a_admin");
        let of_1 = canned(site_1.clone(), "a_boss");
        let saras = canned(CannedScope::Personal, "a_sara");

        for a in [&admin, &boss, &sara, &omar] {
            assert!(may_use(a, &global), "{} uses global ones", a.id);
        }
        assert!(may_use(&admin, &of_1) && may_use(&boss, &of_1) && may_use(&sara, &of_1));
        assert!(!may_use(&omar, &of_1), "another site's agent");
        assert!(may_use(&sara, &saras));
        assert!(
            !may_use(&admin, &saras) && !may_use(&boss, &saras),
            "personal is personal"
        );

        assert!(may_manage(&admin, &CannedScope::Global, &admin.id));
        assert!(!may_manage(&boss, &CannedScope::Global, &boss.id));
        assert!(may_manage(&boss, &site_1, &boss.id));
        assert!(may_manage(&admin, &site_1, &admin.id));
        assert!(
            !may_manage(&sara, &site_1, &sara.id),
            "agents manage only their own"
        );
        let site_2 = CannedScope::Site { site: "s_2".into() };
        assert!(!may_manage(&boss, &site_2, &boss.id), "not their site");
        assert!(may_manage(&sara, &CannedScope::Personal, &sara.id));
        assert!(!may_manage(&admin, &CannedScope::Personal, &sara.id));

        let mut gone = sara.clone();
        gone.disabled = true;
        assert!(!may_use(&gone, &global));
        assert!(!may_manage(&gone, &CannedScope::Personal, &gone.id));
    }

    #[test]
    fn each_scope_holds_a_bounded_number() {
        let mut all: Vec<CannedResponse> = (0..MAX_PER_SCOPE)
            .map(|_| canned(CannedScope::Personal, "a_sara"))
            .collect();
        let sara: AgentId = "a_sara".into();
        assert!(
            !room_for(&all, &CannedScope::Personal, &sara),
            "Sara's are full"
        );
        assert!(
            room_for(&all, &CannedScope::Personal, &"a_omar".into()),
            "Omar's are his own"
        );
        assert!(room_for(&all, &CannedScope::Global, &sara));
        all.pop();
        assert!(room_for(&all, &CannedScope::Personal, &sara));
        let site = CannedScope::Site { site: "s_1".into() };
        let full: Vec<CannedResponse> = (0..MAX_PER_SCOPE)
            .map(|_| canned(site.clone(), "a_x"))
            .collect();
        assert!(
            !room_for(&full, &site, &"a_y".into()),
            "a site's count, whoever wrote them"
        );
        assert!(room_for(
            &full,
            &CannedScope::Site { site: "s_2".into() },
            &"a_y".into()
        ));
    }

    #[test]
    fn fields_are_checked() {
        assert_eq!(shortcut(" Ship-Oman_2 ").unwrap(), "ship-oman_2");
        for bad in ["", "has space", "ünï", "a/b", &"x".repeat(33)] {
            let e = shortcut(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("shortcut"), "{bad:?}");
        }
        assert_eq!(
            body("  line one\nline two\t!  ").unwrap(),
            "line one\nline two\t!"
        );
        assert!(body("   ").is_err());
        assert!(body("bell\u{7}").is_err());
        assert!(body(&"x".repeat(MAX_MESSAGE_CHARS)).is_ok());
        assert!(body(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        assert!(title("Refund policy").is_ok());
        assert!(title("").is_err());
    }
}
