//! Which screen the logged-in dashboard shows, kept in the URL's hash
//! (`#/settings/sites/s_…`) so a reload or a shared link opens the same
//! screen, and the browser's back button works. Plain code: parsing and
//! writing are tested natively; `app` listens to `hashchange`.

use shared::SiteId;

/// A screen.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Route {
    /// The conversations.
    #[default]
    Inbox,
    /// Every conversation I may see, searched and filtered.
    History,
    /// Visitors' callback requests.
    Callbacks,
    /// A site's figures (admins and supervisors).
    Reports,
    /// My own account.
    Profile,
    /// The sites list.
    Sites,
    /// One site's settings.
    Site(SiteId),
    /// The agents.
    Agents,
    /// The teams.
    Teams,
    /// Canned responses (everyone: their own; managers: their scopes').
    Canned,
    /// Help articles (everyone reads their sites'; supervisors and admins
    /// write them).
    Articles,
}

impl Route {
    /// The route a `location.hash` names; anything unknown is the inbox.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("settings"), Some("profile"), None, _) => Route::Profile,
            (Some("settings"), Some("sites"), None, _) => Route::Sites,
            (Some("settings"), Some("sites"), Some(id), None) => Route::Site(SiteId(id.to_owned())),
            (Some("settings"), Some("agents"), None, _) => Route::Agents,
            (Some("settings"), Some("teams"), None, _) => Route::Teams,
            (Some("settings"), Some("canned"), None, _) => Route::Canned,
            (Some("settings"), Some("articles"), None, _) => Route::Articles,
            (Some("settings"), None, _, _) => Route::Profile,
            (Some("history"), None, _, _) => Route::History,
            (Some("callbacks"), None, _, _) => Route::Callbacks,
            (Some("reports"), None, _, _) => Route::Reports,
            _ => Route::Inbox,
        }
    }

    /// The hash that names this route.
    pub fn hash(&self) -> String {
        match self {
            Route::Inbox => "#/inbox".into(),
            Route::History => "#/history".into(),
            Route::Callbacks => "#/callbacks".into(),
            Route::Reports => "#/reports".into(),
            Route::Profile => "#/settings/profile".into(),
            Route::Sites => "#/settings/sites".into(),
            Route::Site(id) => format!("#/settings/sites/{id}"),
            Route::Agents => "#/settings/agents".into(),
            Route::Teams => "#/settings/teams".into(),
            Route::Canned => "#/settings/canned".into(),
            Route::Articles => "#/settings/articles".into(),
        }
    }

    /// Whether this is a settings screen.
    pub fn is_settings(&self) -> bool {
        !matches!(
            self,
            Route::Inbox | Route::History | Route::Callbacks | Route::Reports
        )
    }

    /// Whether only admins may open it.
    pub fn admin_only(&self) -> bool {
        matches!(
            self,
            Route::Sites | Route::Site(_) | Route::Agents | Route::Teams
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_round_trip() {
        for route in [
            Route::Inbox,
            Route::History,
            Route::Callbacks,
            Route::Reports,
            Route::Profile,
            Route::Sites,
            Route::Site("s_1a".into()),
            Route::Agents,
            Route::Teams,
            Route::Canned,
            Route::Articles,
        ] {
            assert_eq!(Route::parse(&route.hash()), route);
        }
    }

    #[test]
    fn anything_else_is_the_inbox_or_the_first_settings_page() {
        assert_eq!(Route::parse(""), Route::Inbox);
        assert_eq!(Route::parse("#"), Route::Inbox);
        assert_eq!(Route::parse("#/nope"), Route::Inbox);
        assert_eq!(Route::parse("#/settings"), Route::Profile);
        assert_eq!(Route::parse("#/settings/sites/a/b"), Route::Inbox);
        assert!(Route::Agents.admin_only() && !Route::Profile.admin_only());
        assert!(!Route::Canned.admin_only(), "everyone has personal ones");
        assert!(
            !Route::Articles.admin_only(),
            "supervisors write their sites'"
        );
        assert!(!Route::History.is_settings() && !Route::History.admin_only());
        assert!(!Route::Callbacks.is_settings() && !Route::Callbacks.admin_only());
    }
}
