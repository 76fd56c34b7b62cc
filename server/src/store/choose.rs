//! Which agent gets a conversation: pure functions, so the rules are
//! unit-tested here and every backend applies the same ones (the embedded
//! backend calls them; the Redis backend's Lua scripts mirror them; the
//! conformance suite checks both). They live in the store because the
//! store applies them inside its atomic steps.
//!
//! The routing rule (docs/ARCHITECTURE.md, "Routing"), for one waiting
//! conversation of a site, among the online agents who serve that site:
//! 1. the pool is the conversation's team (all of the site's agents when it
//!    has none);
//! 2. if someone in the pool speaks the visitor's language, only speakers
//!    may take it — it waits for one rather than go to someone who cannot
//!    read it;
//! 3. among those with room: a language match first, then the least busy,
//!    then whoever was given a conversation longest ago, then by id;
//! 4. once it has waited `language_fallback` (the conversation is
//!    *relaxed*), steps 1–2 no longer restrict: any agent of the site with
//!    room may take it (a language match still comes first).
//!
//! Before all of that, a resolved conversation the visitor reopened goes
//! back to the agent who had it when they are online with room (the
//! *returning* agent): the visitor picks up with someone who knows the
//! story. Otherwise the rule above applies.

use shared::{AgentId, Millis, Role, TeamId};

/// An online agent who serves the conversation's site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The agent.
    pub id: AgentId,
    /// Open conversations assigned now.
    pub load: u32,
    /// Maximum open conversations.
    pub capacity: u32,
    /// When they were last given a conversation (0 if never).
    pub last_assigned: Millis,
    /// Languages they answer in, as primary subtags ([`language_of`]).
    pub languages: Vec<String>,
    /// Teams they belong to.
    pub teams: Vec<TeamId>,
    /// Their role (escalations go to supervisors and admins).
    pub role: Role,
}

impl Candidate {
    fn has_room(&self) -> bool {
        self.load < self.capacity
    }

    fn speaks(&self, language: Option<&str>) -> bool {
        language.is_some_and(|l| self.languages.iter().any(|x| x == l))
    }
}

/// What a waiting conversation asks of its agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Wanted<'a> {
    /// Its team, if any.
    pub team: Option<&'a TeamId>,
    /// The visitor's language as a primary subtag, if known.
    pub language: Option<&'a str>,
    /// It has waited out the language fallback: team and language only
    /// order the choice, they no longer restrict it.
    pub relaxed: bool,
    /// The agent who had it before it was resolved, when the visitor
    /// reopened it: they get it back if they can take it.
    pub returning: Option<&'a AgentId>,
}

/// The primary subtag of a language tag, lower-cased (`fa-IR` → `fa`),
/// or `None` for an empty or malformed tag. Agents' languages and the
/// visitor's locale are compared this way.
pub fn language_of(tag: &str) -> Option<String> {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    (!primary.is_empty() && primary.len() <= 8 && primary.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| primary.to_ascii_lowercase())
}

/// Whether a conversation queued at `queued_at` has waited out the
/// fallback at `now`.
pub fn relaxed(queued_at: Millis, now: Millis, fallback: Millis) -> bool {
    now.saturating_sub(queued_at) >= fallback
}

/// The agent the routing rule gives the conversation to, if any (see the
/// module docs). The caller passes only online, enabled agents who serve
/// the conversation's site.
pub fn choose_agent<'a>(candidates: &'a [Candidate], wanted: Wanted<'_>) -> Option<&'a Candidate> {
    if let Some(back) = candidates
        .iter()
        .find(|c| Some(&c.id) == wanted.returning && c.has_room())
    {
        return Some(back);
    }
    let in_pool =
        |c: &&Candidate| wanted.relaxed || wanted.team.is_none_or(|t| c.teams.contains(t));
    let strict_language = !wanted.relaxed
        && candidates
            .iter()
            .filter(in_pool)
            .any(|c| c.speaks(wanted.language));
    candidates
        .iter()
        .filter(in_pool)
        .filter(|c| c.has_room())
        .filter(|c| !strict_language || c.speaks(wanted.language))
        .min_by(|a, b| {
            let key = |c: &'a Candidate| (!c.speaks(wanted.language), c.load, c.last_assigned);
            (key(a), &a.id).cmp(&(key(b), &b.id))
        })
}

/// Who an escalation goes to: the least busy supervisor or admin with room
/// (ties as in [`choose_agent`]), other than `from`.
pub fn choose_supervisor<'a>(candidates: &'a [Candidate], from: &AgentId) -> Option<&'a Candidate> {
    candidates
        .iter()
        .filter(|c| matches!(c.role, Role::Supervisor | Role::Admin))
        .filter(|c| &c.id != from && c.has_room())
        .min_by(|a, b| (a.load, a.last_assigned, &a.id).cmp(&(b.load, b.last_assigned, &b.id)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: &str, load: u32, capacity: u32, last: Millis) -> Candidate {
        Candidate {
            id: id.into(),
            load,
            capacity,
            last_assigned: last,
            languages: Vec::new(),
            teams: Vec::new(),
            role: Role::Agent,
        }
    }

    fn speaking(mut c: Candidate, langs: &[&str]) -> Candidate {
        c.languages = langs.iter().map(|l| l.to_string()).collect();
        c
    }

    fn in_team(mut c: Candidate, team: &str) -> Candidate {
        c.teams.push(team.into());
        c
    }

    fn pick(cands: &[Candidate], wanted: Wanted<'_>) -> Option<String> {
        choose_agent(cands, wanted).map(|c| c.id.to_string())
    }

    #[test]
    fn least_busy_with_room_wins() {
        let cands = [c("a", 2, 3, 0), c("b", 1, 3, 0), c("c", 0, 0, 0)];
        assert_eq!(pick(&cands, Wanted::default()).as_deref(), Some("b"));
    }

    #[test]
    fn full_agents_are_skipped() {
        let cands = [c("a", 3, 3, 0), c("b", 5, 5, 0)];
        assert_eq!(pick(&cands, Wanted::default()), None);
        assert_eq!(pick(&[], Wanted::default()), None);
    }

    #[test]
    fn ties_go_to_longest_idle_then_id() {
        let cands = [c("a", 1, 3, 50), c("b", 1, 3, 10), c("c", 1, 3, 10)];
        assert_eq!(pick(&cands, Wanted::default()).as_deref(), Some("b"));
    }

    #[test]
    fn a_speaker_wins_over_a_freer_agent() {
        let cands = [c("en", 0, 3, 0), speaking(c("fa", 2, 3, 0), &["fa"])];
        let wanted = Wanted {
            language: Some("fa"),
            ..Wanted::default()
        };
        assert_eq!(pick(&cands, wanted).as_deref(), Some("fa"));
    }

    #[test]
    fn it_waits_for_a_busy_speaker_until_relaxed() {
        let cands = [c("en", 0, 3, 0), speaking(c("fa", 3, 3, 0), &["fa"])];
        let mut wanted = Wanted {
            language: Some("fa"),
            ..Wanted::default()
        };
        assert_eq!(pick(&cands, wanted), None);
        wanted.relaxed = true;
        assert_eq!(pick(&cands, wanted).as_deref(), Some("en"));
    }

    #[test]
    fn nobody_speaking_it_means_anyone_at_once() {
        let cands = [c("en", 1, 3, 0), speaking(c("ar", 0, 3, 0), &["ar"])];
        let wanted = Wanted {
            language: Some("fa"),
            ..Wanted::default()
        };
        assert_eq!(pick(&cands, wanted).as_deref(), Some("ar"));
    }

    #[test]
    fn a_team_keeps_its_conversations_until_relaxed() {
        let cands = [c("other", 0, 3, 0), in_team(c("sales", 3, 3, 0), "t_sales")];
        let team: TeamId = "t_sales".into();
        let mut wanted = Wanted {
            team: Some(&team),
            ..Wanted::default()
        };
        assert_eq!(pick(&cands, wanted), None);
        wanted.relaxed = true;
        assert_eq!(pick(&cands, wanted).as_deref(), Some("other"));
        // The language rule applies inside the team only.
        let cands = [
            speaking(c("fa_other", 0, 3, 0), &["fa"]),
            in_team(c("sales", 0, 3, 0), "t_sales"),
        ];
        let wanted = Wanted {
            team: Some(&team),
            language: Some("fa"),
            ..Wanted::default()
        };
        assert_eq!(pick(&cands, wanted).as_deref(), Some("sales"));
    }

    #[test]
    fn relaxed_still_prefers_a_speaker() {
        let cands = [c("en", 0, 3, 0), speaking(c("fa", 2, 3, 0), &["fa"])];
        let wanted = Wanted {
            language: Some("fa"),
            relaxed: true,
            ..Wanted::default()
        };
        assert_eq!(pick(&cands, wanted).as_deref(), Some("fa"));
    }

    #[test]
    fn a_reopened_conversation_goes_back_to_its_agent_when_they_have_room() {
        let team: TeamId = "t_sales".into();
        let back: AgentId = "back".into();
        // Busier, outside the team and not a speaker: still theirs.
        let cands = [
            in_team(speaking(c("fa", 0, 3, 0), &["fa"]), "t_sales"),
            c("back", 2, 3, 0),
        ];
        let wanted = Wanted {
            team: Some(&team),
            language: Some("fa"),
            relaxed: false,
            returning: Some(&back),
        };
        assert_eq!(pick(&cands, wanted).as_deref(), Some("back"));
        // Full, or not online (not a candidate): the usual rule.
        let cands = [
            in_team(speaking(c("fa", 0, 3, 0), &["fa"]), "t_sales"),
            c("back", 3, 3, 0),
        ];
        assert_eq!(pick(&cands, wanted).as_deref(), Some("fa"));
        assert_eq!(pick(&cands[..1], wanted).as_deref(), Some("fa"));
    }

    #[test]
    fn languages_compare_by_primary_subtag() {
        assert_eq!(language_of("fa-IR").as_deref(), Some("fa"));
        assert_eq!(language_of("EN_us").as_deref(), Some("en"));
        assert_eq!(language_of(""), None);
        assert_eq!(language_of("<script>"), None);
    }

    #[test]
    fn the_fallback_starts_when_the_wait_reaches_it() {
        assert!(!relaxed(1_000, 60_999, 60_000));
        assert!(relaxed(1_000, 61_000, 60_000));
        assert!(
            !relaxed(5_000, 1_000, 60_000),
            "a clock step back is not a wait"
        );
    }

    #[test]
    fn escalation_goes_to_the_least_busy_supervisor_with_room() {
        let mut sup_full = c("s_full", 2, 2, 0);
        sup_full.role = Role::Supervisor;
        let mut sup = c("s", 1, 3, 0);
        sup.role = Role::Supervisor;
        let mut admin = c("adm", 2, 3, 0);
        admin.role = Role::Admin;
        let cands = [c("agent", 0, 3, 0), sup_full, sup.clone(), admin];
        let from: AgentId = "agent".into();
        assert_eq!(
            choose_supervisor(&cands, &from).map(|c| c.id.as_str()),
            Some("s")
        );
        // A supervisor escalating does not get it back.
        assert_eq!(
            choose_supervisor(&cands, &sup.id).map(|c| c.id.as_str()),
            Some("adm")
        );
        assert!(choose_supervisor(&cands[..2], &from).is_none());
    }
}
