//! The directory: sites, agent accounts and teams as the store keeps them,
//! and the partial updates the console makes to them. A patch is applied
//! by [`SitePatch::apply`] / [`AgentPatch::apply`] inside each backend's
//! atomic step, so both backends change records the same way and two
//! admins editing different fields both keep their change.

use serde::{Deserialize, Serialize};
use shared::settings::{Appearance, Avatar, BusinessHours, LauncherPosition, PrechatForm};
use shared::{AgentId, AgentProfile, AgentPublic, Role, SiteId, TeamId};

/// A site: one website, one snippet, one inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Site {
    /// Internal id.
    pub id: SiteId,
    /// Public key used in the snippet (`pk_…`).
    pub key: String,
    /// Display name, shown in the widget header unless a title is set.
    pub name: String,
    /// Origins allowed to embed the widget (see [`crate::origin`]).
    pub allowed_origins: Vec<String>,
    /// The widget's look.
    #[serde(default)]
    pub appearance: Appearance,
    /// The team its new conversations wait for (`None`: any agent of the
    /// site); see [`crate::store::choose`].
    #[serde(default)]
    pub team: Option<TeamId>,
    /// Agents see what visitors type before they send it ("typing
    /// preview"); the widget tells visitors so. Never stored.
    #[serde(default)]
    pub typing_preview: bool,
    /// The satisfaction survey also asks the Net Promoter question.
    #[serde(default)]
    pub survey_nps: bool,
    /// Days a resolved conversation is kept after its last message before
    /// it is erased with its visitor (`None`: kept until deleted by hand).
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// The time zone its reports and business hours read days and hours
    /// in (IANA name; `None`: UTC).
    #[serde(default)]
    pub time_zone: Option<String>,
    /// When it takes live chats (`None`: always); see [`crate::hours`].
    #[serde(default)]
    pub hours: Option<BusinessHours>,
    /// Offline (leave a message) whenever none of its agents is online,
    /// not only outside its hours.
    #[serde(default)]
    pub offline_when_away: bool,
    /// The key its server signs user ids with (`crate::identity`); shown
    /// to admins only, rotatable.
    #[serde(default)]
    pub identity_secret: String,
    /// Only signed identities are accepted (`Ahlan.identify` without a
    /// valid hash is refused).
    #[serde(default)]
    pub identity_required: bool,
    /// What the widget asks before the first message (`None`: nothing).
    #[serde(default)]
    pub prechat: Option<PrechatForm>,
    /// Callbacks offered from this many minutes of estimated wait, and
    /// while offline (`None`: not offered); see [`crate::callbacks`].
    #[serde(default)]
    pub callback_after_mins: Option<u32>,
    /// Proactive messages: the loader greets visitors by these rules.
    #[serde(default)]
    pub proactive: Vec<shared::proactive::ProactiveRule>,
}

/// An agent account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentRecord {
    /// Id.
    pub id: AgentId,
    /// Login email, lower-cased.
    pub email: String,
    /// Display name.
    pub name: String,
    /// argon2 PHC string.
    pub password_hash: String,
    /// What they may do.
    pub role: Role,
    /// Maximum concurrent assigned conversations.
    pub capacity: u32,
    /// Languages they answer in.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Teams they belong to.
    #[serde(default)]
    pub teams: Vec<TeamId>,
    /// Sites whose conversations they see and are given.
    #[serde(default)]
    pub sites: Vec<SiteId>,
    /// Cannot log in; given nothing.
    #[serde(default)]
    pub disabled: bool,
}

impl AgentRecord {
    /// A new enabled account with no languages, teams or sites.
    pub fn new(id: AgentId, email: &str, name: &str, password_hash: String, role: Role) -> Self {
        Self {
            id,
            email: email.to_owned(),
            name: name.to_owned(),
            password_hash,
            role,
            capacity: crate::seed::DEFAULT_CAPACITY,
            languages: Vec::new(),
            teams: Vec::new(),
            sites: Vec::new(),
            disabled: false,
        }
    }

    /// What visitors may see of this agent.
    pub fn public(&self) -> AgentPublic {
        AgentPublic {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }

    /// The dashboard's view (no password hash).
    pub fn profile(&self) -> AgentProfile {
        AgentProfile {
            id: self.id.clone(),
            name: self.name.clone(),
            email: self.email.clone(),
            role: self.role,
            capacity: self.capacity,
            languages: self.languages.clone(),
            teams: self.teams.clone(),
            sites: self.sites.clone(),
            disabled: self.disabled,
        }
    }

    /// Administers the workspace (and is not disabled).
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin && !self.disabled
    }

    /// Works for `site`: may see its queue and be given its conversations.
    /// Admins work for every site.
    pub fn serves(&self, site: &SiteId) -> bool {
        !self.disabled && (self.role == Role::Admin || self.sites.contains(site))
    }
}

/// A team.
pub use shared::api::Team;

/// A validated change to a site; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SitePatch {
    /// New name.
    pub name: Option<String>,
    /// New allowed origins.
    pub allowed_origins: Option<Vec<String>>,
    /// New accent colour.
    pub accent_color: Option<String>,
    /// New launcher side.
    pub position: Option<LauncherPosition>,
    /// New title (`Some(None)` clears it).
    pub title: Option<Option<String>>,
    /// New greeting (`Some(None)` clears it).
    pub greeting: Option<Option<String>>,
    /// New avatar.
    pub avatar: Option<Avatar>,
    /// New language (`Some(None)`: follow the browser).
    pub locale: Option<Option<String>>,
    /// New routing team (`Some(None)`: any agent of the site).
    pub team: Option<Option<TeamId>>,
    /// Typing preview on or off.
    pub typing_preview: Option<bool>,
    /// The survey's Net Promoter question on or off.
    pub survey_nps: Option<bool>,
    /// New retention (`Some(None)`: keep for ever).
    pub retention_days: Option<Option<u32>>,
    /// New time zone (`Some(None)`: UTC).
    pub time_zone: Option<Option<String>>,
    /// New usual reply time (`Some(None)`: not said).
    pub reply_time: Option<Option<shared::settings::ReplyTime>>,
    /// New business hours (`Some(None)`: always open).
    pub hours: Option<Option<BusinessHours>>,
    /// Offline with nobody online, on or off.
    pub offline_when_away: Option<bool>,
    /// New pre-chat form (`Some(None)`: none).
    pub prechat: Option<Option<PrechatForm>>,
    /// A new identity secret (rotation).
    pub identity_secret: Option<String>,
    /// Signed identities required, or not.
    pub identity_required: Option<bool>,
    /// New callback offer (`Some(None)`: none).
    pub callback_after_mins: Option<Option<u32>>,
    /// New proactive rules (all of them).
    pub proactive: Option<Vec<shared::proactive::ProactiveRule>>,
}

impl SitePatch {
    /// Applies the fields that are set.
    pub fn apply(&self, site: &mut Site) {
        let a = &mut site.appearance;
        set(&mut site.name, &self.name);
        set(&mut site.allowed_origins, &self.allowed_origins);
        set(&mut a.accent_color, &self.accent_color);
        set(&mut a.position, &self.position);
        set(&mut a.title, &self.title);
        set(&mut a.greeting, &self.greeting);
        set(&mut a.avatar, &self.avatar);
        set(&mut a.locale, &self.locale);
        set(&mut a.reply_time, &self.reply_time);
        set(&mut site.team, &self.team);
        set(&mut site.typing_preview, &self.typing_preview);
        set(&mut site.retention_days, &self.retention_days);
        set(&mut site.survey_nps, &self.survey_nps);
        set(&mut site.time_zone, &self.time_zone);
        set(&mut site.hours, &self.hours);
        set(&mut site.offline_when_away, &self.offline_when_away);
        set(&mut site.prechat, &self.prechat);
        set(&mut site.identity_secret, &self.identity_secret);
        set(&mut site.identity_required, &self.identity_required);
        set(&mut site.callback_after_mins, &self.callback_after_mins);
        set(&mut site.proactive, &self.proactive);
    }
}

/// A validated change to an agent; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgentPatch {
    /// New name.
    pub name: Option<String>,
    /// New email (lower-cased, unused).
    pub email: Option<String>,
    /// New password hash.
    pub password_hash: Option<String>,
    /// New capacity.
    pub capacity: Option<u32>,
    /// New role.
    pub role: Option<Role>,
    /// New languages.
    pub languages: Option<Vec<String>>,
    /// New teams.
    pub teams: Option<Vec<TeamId>>,
    /// New sites.
    pub sites: Option<Vec<SiteId>>,
    /// Disabled or enabled.
    pub disabled: Option<bool>,
}

impl AgentPatch {
    /// Applies the fields that are set.
    pub fn apply(&self, agent: &mut AgentRecord) {
        set(&mut agent.name, &self.name);
        set(&mut agent.email, &self.email);
        set(&mut agent.password_hash, &self.password_hash);
        set(&mut agent.capacity, &self.capacity);
        set(&mut agent.role, &self.role);
        set(&mut agent.languages, &self.languages);
        set(&mut agent.teams, &self.teams);
        set(&mut agent.sites, &self.sites);
        set(&mut agent.disabled, &self.disabled);
    }

    /// Whether the change ends the agent's sessions: a new password, or
    /// the account disabled.
    pub fn ends_sessions(&self) -> bool {
        self.password_hash.is_some() || self.disabled == Some(true)
    }
}

fn set<T: Clone>(field: &mut T, value: &Option<T>) {
    if let Some(v) = value {
        *field = v.clone();
    }
}

/// Whether `agents` has an enabled admin. A change that takes a workspace
/// from having one to having none is refused: nobody could manage it any
/// more.
pub fn has_active_admin<'a>(agents: impl IntoIterator<Item = &'a AgentRecord>) -> bool {
    agents.into_iter().any(AgentRecord::is_admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site {
            id: "s_1".into(),
            key: "pk_1".into(),
            name: "Shop".into(),
            allowed_origins: vec!["https://shop.example".into()],
            appearance: Appearance {
                title: Some("Support".into()),
                ..Appearance::default()
            },
            team: None,
            typing_preview: false,
            retention_days: None,
            survey_nps: false,
            time_zone: None,
            hours: None,
            offline_when_away: false,
            prechat: None,
            identity_secret: String::new(),
            identity_required: false,
            callback_after_mins: None,
            proactive: Vec::new(),
        }
    }

    #[test]
    fn a_site_patch_changes_only_what_it_names() {
        let mut s = site();
        SitePatch {
            accent_color: Some("#123456".into()),
            title: Some(None),
            ..SitePatch::default()
        }
        .apply(&mut s);
        assert_eq!(s.appearance.accent_color, "#123456");
        assert_eq!(s.appearance.title, None, "cleared");
        assert_eq!(s.name, "Shop", "untouched");
        assert_eq!(s.allowed_origins, vec!["https://shop.example".to_owned()]);
    }

    #[test]
    fn two_patches_to_different_fields_both_stick() {
        let mut s = site();
        SitePatch {
            name: Some("Shop EU".into()),
            ..SitePatch::default()
        }
        .apply(&mut s);
        SitePatch {
            position: Some(LauncherPosition::Left),
            ..SitePatch::default()
        }
        .apply(&mut s);
        assert_eq!(s.name, "Shop EU");
        assert_eq!(s.appearance.position, LauncherPosition::Left);
    }

    #[test]
    fn serving_a_site_needs_membership_unless_admin_and_never_when_disabled() {
        let mut a = AgentRecord::new("a".into(), "a@x", "A", "h".into(), Role::Agent);
        let s1 = SiteId::from("s_1");
        assert!(!a.serves(&s1));
        a.sites = vec![s1.clone()];
        assert!(a.serves(&s1));
        a.disabled = true;
        assert!(!a.serves(&s1));
        let admin = AgentRecord::new("b".into(), "b@x", "B", "h".into(), Role::Admin);
        assert!(admin.serves(&s1));
        assert!(has_active_admin([&admin]));
        let mut gone = admin.clone();
        gone.disabled = true;
        assert!(!has_active_admin([&gone, &a]));
    }

    #[test]
    fn password_and_disabling_end_sessions_other_changes_do_not() {
        assert!(AgentPatch {
            password_hash: Some("h".into()),
            ..AgentPatch::default()
        }
        .ends_sessions());
        assert!(AgentPatch {
            disabled: Some(true),
            ..AgentPatch::default()
        }
        .ends_sessions());
        assert!(!AgentPatch {
            disabled: Some(false),
            name: Some("n".into()),
            ..AgentPatch::default()
        }
        .ends_sessions());
    }
}
