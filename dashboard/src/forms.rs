//! The console's forms as plain data: what the owner typed, what it means
//! (origins one per line, languages comma-separated) and, for an edit,
//! the partial update holding only the fields that changed — so two admins
//! editing different fields of one site both keep their change. Tested
//! natively; the pages hold these in signals.

use shared::api::{AgentUpdate, NewAgent, SiteInfo, SiteUpdate};
use shared::proactive::{ProactiveRule, UrlMatch};
use shared::settings::{
    Appearance, Avatar, BusinessHours, DayHours, LauncherPosition, PrechatField, PrechatForm,
    PrechatKind, ReplyTime,
};
use shared::{AgentProfile, Role, SiteId, TeamId};

/// Splits a list typed one per line (commas work too), trimmed, blanks
/// dropped.
pub fn lines(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Language tags typed comma- or space-separated.
pub fn tags(text: &str) -> Vec<String> {
    text.split([',', ' ', '\n', '،'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The site editor's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteForm {
    /// Name.
    pub name: String,
    /// Allowed origins, one per line.
    pub origins: String,
    /// `#rrggbb`.
    pub accent: String,
    /// Launcher side.
    pub position: LauncherPosition,
    /// Header title (empty: the site's name).
    pub title: String,
    /// Greeting (empty: the widget's own).
    pub greeting: String,
    /// Avatar image URL (empty: initials).
    pub avatar_url: String,
    /// Widget language (empty: the browser's).
    pub locale: String,
    /// Routing team id (empty: any agent of the site).
    pub team: String,
    /// Agents see drafts before they are sent.
    pub typing_preview: bool,
    /// The survey also asks the Net Promoter question.
    pub survey_nps: bool,
    /// Days resolved conversations are kept (empty: until erased by hand).
    pub retention: String,
    /// Reports' time zone, an IANA name (empty: UTC).
    pub time_zone: String,
    /// Usual reply time (`minutes`, `hours`, `day`; empty: not said).
    pub reply_time: String,
    /// Live chats only during business hours.
    pub hours_on: bool,
    /// The week, Monday first.
    pub week: [DayForm; 7],
    /// Days off, one `YYYY-MM-DD` per line.
    pub holidays: String,
    /// Offline whenever nobody of the site is online.
    pub offline_when_away: bool,
    /// The pre-chat form's questions, in order.
    pub prechat: Vec<QuestionForm>,
    /// Only signed identities accepted.
    pub identity_required: bool,
    /// Callbacks offered: `""` never, `always` to everyone who waits,
    /// `after` from [`SiteForm::callback_mins`] minutes of wait.
    pub callback_offer: String,
    /// Minutes of estimated wait, for `after`.
    pub callback_mins: String,
    /// Proactive messages' rules, in order.
    pub proactive: Vec<RuleForm>,
}

/// One proactive rule as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleForm {
    /// Its id (empty: new; the server gives one).
    pub id: String,
    /// What the console calls it.
    pub name: String,
    /// `any`, `contains`, `equals` or `glob`.
    pub url_kind: String,
    /// The pattern, for all but `any`.
    pub url: String,
    /// Seconds on the page, as typed.
    pub after_secs: String,
    /// From which visit, as typed.
    pub min_visits: String,
    /// Texts in English, Arabic and Persian (empty: not for that language).
    pub texts: [String; 3],
    /// Switched on.
    pub enabled: bool,
}

impl RuleForm {
    /// A new rule: every page, after 30 seconds, any visit.
    pub fn new() -> Self {
        RuleForm {
            id: String::new(),
            name: String::new(),
            url_kind: "contains".into(),
            url: String::new(),
            after_secs: "30".into(),
            min_visits: "1".into(),
            texts: Default::default(),
            enabled: true,
        }
    }

    fn from_rule(r: &ProactiveRule) -> Self {
        let (url_kind, url) = match &r.url {
            UrlMatch::Any => ("any", String::new()),
            UrlMatch::Contains(p) => ("contains", p.clone()),
            UrlMatch::Equals(p) => ("equals", p.clone()),
            UrlMatch::Glob(p) => ("glob", p.clone()),
        };
        RuleForm {
            id: r.id.clone(),
            name: r.name.clone(),
            url_kind: url_kind.into(),
            url,
            after_secs: r.after_secs.to_string(),
            min_visits: r.min_visits.to_string(),
            texts: LABEL_LANGS.map(|l| r.messages.get(l).cloned().unwrap_or_default()),
            enabled: r.enabled,
        }
    }

    /// The rule as typed. Numbers that are not numbers go as values the
    /// server refuses, so its error names the field.
    pub fn rule(&self) -> ProactiveRule {
        let pattern = self.url.trim().to_owned();
        ProactiveRule {
            id: self.id.clone(),
            name: self.name.trim().to_owned(),
            url: match self.url_kind.as_str() {
                "any" => UrlMatch::Any,
                "equals" => UrlMatch::Equals(pattern),
                "glob" => UrlMatch::Glob(pattern),
                _ => UrlMatch::Contains(pattern),
            },
            after_secs: self.after_secs.trim().parse().unwrap_or(u32::MAX),
            min_visits: self.min_visits.trim().parse().unwrap_or(0),
            messages: LABEL_LANGS
                .iter()
                .zip(&self.texts)
                .filter(|(_, t)| !t.trim().is_empty())
                .map(|(l, t)| ((*l).to_owned(), t.trim().to_owned()))
                .collect(),
            enabled: self.enabled,
        }
    }
}

impl Default for RuleForm {
    fn default() -> Self {
        Self::new()
    }
}

/// One pre-chat question as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionForm {
    /// What it asks for.
    pub kind: PrechatKind,
    /// The key of an own question (`name`, `email`, `phone` are fixed).
    pub key: String,
    /// Must be answered.
    pub required: bool,
    /// Labels in English, Arabic and Persian (empty: the widget's own).
    pub labels: [String; 3],
    /// A choice's options, one per line.
    pub options: String,
}

/// The languages a question's labels are written in, in the form's order.
pub const LABEL_LANGS: [&str; 3] = ["en", "ar", "fa"];

impl QuestionForm {
    /// A new question of `kind`.
    pub fn new(kind: PrechatKind) -> Self {
        QuestionForm {
            kind,
            key: String::new(),
            required: false,
            labels: Default::default(),
            options: String::new(),
        }
    }

    fn from_field(f: &PrechatField) -> Self {
        QuestionForm {
            kind: f.kind,
            key: if f.kind.fixed_key().is_some() {
                String::new()
            } else {
                f.key.clone()
            },
            required: f.required,
            labels: LABEL_LANGS.map(|l| f.labels.get(l).cloned().unwrap_or_default()),
            options: f.options.join("\n"),
        }
    }

    fn field(&self) -> PrechatField {
        PrechatField {
            key: match self.kind.fixed_key() {
                Some(key) => key.to_owned(),
                None => self.key.trim().to_owned(),
            },
            kind: self.kind,
            required: self.required,
            labels: LABEL_LANGS
                .iter()
                .zip(&self.labels)
                .filter(|(_, label)| !label.trim().is_empty())
                .map(|(lang, label)| ((*lang).to_owned(), label.trim().to_owned()))
                .collect(),
            options: if self.kind == PrechatKind::Select {
                self.options
                    .lines()
                    .map(str::trim)
                    .filter(|o| !o.is_empty())
                    .map(str::to_owned)
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}

/// One day of the business hours as the form holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayForm {
    /// Open that day.
    pub open: bool,
    /// `HH:MM` (an `<input type=time>`'s value).
    pub opens: String,
    /// `HH:MM`; `00:00` is midnight at the end of the day.
    pub closes: String,
}

impl DayForm {
    fn from_hours(day: Option<DayHours>) -> Self {
        let (opens, closes) = day.map_or((540, 1020), |d| (d.opens, d.closes));
        DayForm {
            open: day.is_some(),
            opens: clock(opens),
            closes: clock(closes % (24 * 60)),
        }
    }

    /// The day's hours; a time that does not read goes as a value the
    /// server refuses (its error shows beside the week).
    fn hours(&self) -> Option<DayHours> {
        if !self.open {
            return None;
        }
        let opens = minutes(&self.opens).unwrap_or(u16::MAX);
        let closes = match minutes(&self.closes) {
            // Closing at 00:00 after opening is closing at midnight.
            Some(0) if opens > 0 => 24 * 60,
            Some(m) => m,
            None => 0,
        };
        Some(DayHours { opens, closes })
    }
}

/// `HH:MM` for minutes after midnight.
fn clock(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Minutes after midnight from `HH:MM`.
fn minutes(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

impl SiteForm {
    /// The form filled from a site.
    pub fn from_site(site: &SiteInfo) -> Self {
        let a = &site.appearance;
        SiteForm {
            name: site.name.clone(),
            origins: site.allowed_origins.join("\n"),
            accent: a.accent_color.clone(),
            position: a.position,
            title: a.title.clone().unwrap_or_default(),
            greeting: a.greeting.clone().unwrap_or_default(),
            avatar_url: match &a.avatar {
                Avatar::Image { url } => url.clone(),
                Avatar::Initials => String::new(),
            },
            locale: a.locale.clone().unwrap_or_default(),
            team: site
                .team
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            typing_preview: site.typing_preview,
            survey_nps: site.survey_nps,
            retention: site
                .retention_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            time_zone: site.time_zone.clone().unwrap_or_default(),
            reply_time: a
                .reply_time
                .map(|r| r.as_str().to_owned())
                .unwrap_or_default(),
            hours_on: site.hours.is_some(),
            week: {
                let hours = site.hours.clone().unwrap_or_else(BusinessHours::office);
                std::array::from_fn(|i| DayForm::from_hours(hours.week.get(i).copied().flatten()))
            },
            holidays: site
                .hours
                .as_ref()
                .map(|h| h.holidays.join("\n"))
                .unwrap_or_default(),
            offline_when_away: site.offline_when_away,
            prechat: site
                .prechat
                .as_ref()
                .map(|f| f.fields.iter().map(QuestionForm::from_field).collect())
                .unwrap_or_default(),
            identity_required: site.identity_required,
            callback_offer: match site.callback_after_mins {
                None => String::new(),
                Some(0) => "always".into(),
                Some(_) => "after".into(),
            },
            callback_mins: site
                .callback_after_mins
                .filter(|m| *m > 0)
                .map_or_else(|| "10".into(), |m| m.to_string()),
            proactive: site.proactive.iter().map(RuleForm::from_rule).collect(),
        }
    }

    /// The proactive rules as typed.
    pub fn proactive_rules(&self) -> Vec<ProactiveRule> {
        self.proactive.iter().map(RuleForm::rule).collect()
    }

    /// The callback offer as typed (`None`: no callbacks). Minutes that
    /// are not a number are sent as an impossible value, so the server's
    /// refusal names the field.
    pub fn callback_after_mins(&self) -> Option<u32> {
        match self.callback_offer.as_str() {
            "always" => Some(0),
            "after" => Some(self.callback_mins.trim().parse().unwrap_or(u32::MAX)),
            _ => None,
        }
    }

    /// The pre-chat form as typed (`None`: no questions).
    pub fn prechat_form(&self) -> Option<PrechatForm> {
        (!self.prechat.is_empty()).then(|| PrechatForm {
            fields: self.prechat.iter().map(QuestionForm::field).collect(),
        })
    }

    /// The business hours as typed (`None`: always open).
    pub fn hours(&self) -> Option<BusinessHours> {
        self.hours_on.then(|| BusinessHours {
            week: self.week.iter().map(DayForm::hours).collect(),
            holidays: lines(&self.holidays),
        })
    }

    /// The retention to send: `0` for "keep" (an empty field). Anything
    /// that is not a number goes as a value the server refuses, so its
    /// error shows beside the field.
    fn retention_days(&self) -> u32 {
        match self.retention.trim() {
            "" => 0,
            days => days.parse().unwrap_or(u32::MAX),
        }
    }

    fn avatar(&self) -> Avatar {
        match self.avatar_url.trim() {
            "" => Avatar::Initials,
            url => Avatar::Image {
                url: url.to_owned(),
            },
        }
    }

    fn optional(text: &str) -> Option<String> {
        Some(text.trim())
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    }

    /// The look as typed so far, for the live preview.
    pub fn appearance(&self) -> Appearance {
        Appearance {
            accent_color: self.accent.trim().to_owned(),
            position: self.position,
            title: Self::optional(&self.title),
            greeting: Self::optional(&self.greeting),
            avatar: self.avatar(),
            locale: Self::optional(&self.locale),
            reply_time: ReplyTime::parse(self.reply_time.trim()),
        }
    }

    /// The partial update from `saved` to this form: only changed fields.
    pub fn update(&self, saved: &SiteForm) -> SiteUpdate {
        let changed =
            |now: &str, then: &str| (now.trim() != then.trim()).then(|| now.trim().to_owned());
        SiteUpdate {
            name: changed(&self.name, &saved.name),
            allowed_origins: (lines(&self.origins) != lines(&saved.origins))
                .then(|| lines(&self.origins)),
            accent_color: changed(&self.accent, &saved.accent),
            position: (self.position != saved.position).then_some(self.position),
            title: changed(&self.title, &saved.title),
            greeting: changed(&self.greeting, &saved.greeting),
            avatar: (self.avatar() != saved.avatar()).then(|| self.avatar()),
            locale: changed(&self.locale, &saved.locale),
            team: changed(&self.team, &saved.team),
            typing_preview: (self.typing_preview != saved.typing_preview)
                .then_some(self.typing_preview),
            retention_days: (self.retention_days() != saved.retention_days())
                .then(|| self.retention_days()),
            survey_nps: (self.survey_nps != saved.survey_nps).then_some(self.survey_nps),
            time_zone: changed(&self.time_zone, &saved.time_zone),
            reply_time: changed(&self.reply_time, &saved.reply_time),
            hours: (self.hours() != saved.hours()).then(|| self.hours()),
            offline_when_away: (self.offline_when_away != saved.offline_when_away)
                .then_some(self.offline_when_away),
            prechat: (self.prechat_form() != saved.prechat_form()).then(|| self.prechat_form()),
            identity_required: (self.identity_required != saved.identity_required)
                .then_some(self.identity_required),
            callback_after_mins: (self.callback_after_mins() != saved.callback_after_mins())
                .then(|| self.callback_after_mins()),
            proactive: (self.proactive_rules() != saved.proactive_rules())
                .then(|| self.proactive_rules()),
        }
    }
}

/// Whether an update changes nothing (the Save button rests).
pub fn is_empty(u: &SiteUpdate) -> bool {
    *u == SiteUpdate::default()
}

/// The agent form (adding or editing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentForm {
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Role.
    pub role: Role,
    /// Capacity as typed.
    pub capacity: String,
    /// Languages as typed.
    pub languages: String,
    /// Teams ticked.
    pub teams: Vec<TeamId>,
    /// Sites ticked.
    pub sites: Vec<SiteId>,
    /// Disabled.
    pub disabled: bool,
    /// A new password (empty: unchanged).
    pub password: String,
}

impl AgentForm {
    /// An empty form for a new agent serving `sites`.
    pub fn new(sites: Vec<SiteId>) -> Self {
        AgentForm {
            name: String::new(),
            email: String::new(),
            role: Role::Agent,
            capacity: "5".into(),
            languages: String::new(),
            teams: Vec::new(),
            sites,
            disabled: false,
            password: String::new(),
        }
    }

    /// The form filled from an agent.
    pub fn from_agent(a: &AgentProfile) -> Self {
        AgentForm {
            name: a.name.clone(),
            email: a.email.clone(),
            role: a.role,
            capacity: a.capacity.to_string(),
            languages: a.languages.join(", "),
            teams: a.teams.clone(),
            sites: a.sites.clone(),
            disabled: a.disabled,
            password: String::new(),
        }
    }

    /// Capacity as a number; a typo is sent as 0, which the server refuses
    /// with a field error like any other bad value.
    fn capacity(&self) -> u32 {
        self.capacity.trim().parse().unwrap_or(0)
    }

    /// The request that adds this agent.
    pub fn new_agent(&self) -> NewAgent {
        NewAgent {
            email: self.email.trim().to_owned(),
            name: self.name.trim().to_owned(),
            password: self.password.clone(),
            capacity: Some(self.capacity()),
            role: Some(self.role),
            languages: tags(&self.languages),
            teams: self.teams.clone(),
            sites: self.sites.clone(),
        }
    }

    /// The partial update from `saved` to this form.
    pub fn update(&self, saved: &AgentForm) -> AgentUpdate {
        let changed =
            |now: &str, then: &str| (now.trim() != then.trim()).then(|| now.trim().to_owned());
        let same_set =
            |a: &[TeamId], b: &[TeamId]| a.len() == b.len() && a.iter().all(|x| b.contains(x));
        let same_sites =
            |a: &[SiteId], b: &[SiteId]| a.len() == b.len() && a.iter().all(|x| b.contains(x));
        AgentUpdate {
            name: changed(&self.name, &saved.name),
            email: changed(&self.email, &saved.email),
            capacity: (self.capacity.trim() != saved.capacity.trim()).then(|| self.capacity()),
            role: (self.role != saved.role).then_some(self.role),
            languages: (tags(&self.languages) != tags(&saved.languages))
                .then(|| tags(&self.languages)),
            teams: (!same_set(&self.teams, &saved.teams)).then(|| self.teams.clone()),
            sites: (!same_sites(&self.sites, &saved.sites)).then(|| self.sites.clone()),
            disabled: (self.disabled != saved.disabled).then_some(self.disabled),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
        }
    }
}

/// Toggles `item` in `list` (a ticked checkbox).
pub fn toggle<T: PartialEq + Clone>(list: &mut Vec<T>, item: &T, on: bool) {
    list.retain(|x| x != item);
    if on {
        list.push(item.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteInfo {
        SiteInfo {
            id: "s_1".into(),
            key: "pk_1".into(),
            name: "Shop".into(),
            allowed_origins: vec!["https://shop.example".into()],
            appearance: Appearance::default(),
            team: None,
            typing_preview: false,
            retention_days: None,
            survey_nps: false,
            time_zone: None,
            hours: None,
            offline_when_away: false,
            prechat: None,
            identity_required: false,
            callback_after_mins: None,
            proactive: Vec::new(),
            snippet: String::new(),
        }
    }

    #[test]
    fn the_callback_offer_reads_back_and_sends_only_changes() {
        let saved = SiteForm::from_site(&site());
        assert_eq!(saved.callback_after_mins(), None);
        assert_eq!(saved.update(&saved).callback_after_mins, None);
        let mut form = saved.clone();
        form.callback_offer = "after".into();
        form.callback_mins = " 15 ".into();
        assert_eq!(form.update(&saved).callback_after_mins, Some(Some(15)));
        form.callback_offer = "always".into();
        assert_eq!(form.update(&saved).callback_after_mins, Some(Some(0)));
        form.callback_offer = "after".into();
        form.callback_mins = "soon".into();
        assert_eq!(
            form.update(&saved).callback_after_mins,
            Some(Some(u32::MAX))
        );
        let mut on = site();
        on.callback_after_mins = Some(15);
        let read = SiteForm::from_site(&on);
        assert_eq!(
            (read.callback_offer.as_str(), read.callback_mins.as_str()),
            ("after", "15")
        );
        let mut off = read.clone();
        off.callback_offer = String::new();
        assert_eq!(off.update(&read).callback_after_mins, Some(None));
    }

    #[test]
    fn proactive_rules_are_sent_whole_and_read_back_the_same() {
        let saved = SiteForm::from_site(&site());
        assert!(saved.update(&saved).proactive.is_none(), "unchanged");
        let mut form = saved.clone();
        let mut rule = RuleForm::new();
        rule.name = " Pricing ".into();
        rule.url_kind = "glob".into();
        rule.url = "*/pricing*".into();
        rule.after_secs = "10".into();
        rule.texts[1] = "أسئلة عن الأسعار؟".into();
        form.proactive = vec![rule];
        let sent = form.update(&saved).proactive.expect("changed");
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].url, UrlMatch::Glob("*/pricing*".into()));
        assert_eq!(sent[0].after_secs, 10);
        assert_eq!(sent[0].messages.keys().collect::<Vec<_>>(), ["ar"]);
        let mut stored = site();
        stored.proactive = sent.clone();
        let again = SiteForm::from_site(&stored);
        assert_eq!(again.proactive_rules(), sent);
        // Not a number: sent so that the server names the field.
        let mut typo = again.clone();
        typo.proactive[0].after_secs = "ten".into();
        assert_eq!(
            typo.update(&again).proactive.unwrap()[0].after_secs,
            u32::MAX
        );
        let mut none = again.clone();
        none.proactive.clear();
        assert_eq!(none.update(&again).proactive, Some(Vec::new()));
    }

    #[test]
    fn the_prechat_form_is_sent_whole_and_reads_back_the_same() {
        let saved = SiteForm::from_site(&site());
        assert_eq!(saved.prechat_form(), None);
        let mut form = saved.clone();
        let mut email = QuestionForm::new(PrechatKind::Email);
        email.required = true;
        email.labels[2] = " ایمیل کاری ".into();
        let mut topic = QuestionForm::new(PrechatKind::Select);
        topic.key = " topic ".into();
        topic.options = "Sales\n\n Support \n".into();
        topic.labels[0] = "Topic".into();
        form.prechat = vec![email, topic];
        let sent = form.update(&saved).prechat.expect("changed").expect("some");
        assert_eq!(sent.fields[0].key, "email", "a built-in kind's key");
        assert_eq!(
            sent.fields[0].labels.get("fa").map(String::as_str),
            Some("ایمیل کاری")
        );
        assert!(
            !sent.fields[0].labels.contains_key("en"),
            "blank labels are left out"
        );
        assert_eq!(sent.fields[1].key, "topic");
        assert_eq!(sent.fields[1].options, ["Sales", "Support"]);
        let mut stored = site();
        stored.prechat = Some(sent);
        let again = SiteForm::from_site(&stored);
        assert!(is_empty(&again.update(&again)));
        let mut none = again.clone();
        none.prechat.clear();
        assert_eq!(none.update(&again).prechat, Some(None));
    }

    #[test]
    fn business_hours_are_sent_whole_when_anything_in_them_changed() {
        let saved = SiteForm::from_site(&site());
        assert!(!saved.hours_on);
        assert_eq!(saved.week[0].opens, "09:00", "office hours to start from");
        assert!(!saved.week[6].open);
        let mut form = saved.clone();
        form.hours_on = true;
        form.week[4].closes = "00:00".into();
        form.week[5] = DayForm {
            open: true,
            opens: "10:00".into(),
            closes: "14:30".into(),
        };
        form.holidays = "2026-12-25\n 2027-01-01 ".into();
        let hours = form.update(&saved).hours.expect("changed").expect("on");
        assert_eq!(
            hours.week[0],
            Some(DayHours {
                opens: 540,
                closes: 1020
            })
        );
        assert_eq!(
            hours.week[4],
            Some(DayHours {
                opens: 540,
                closes: 1440
            }),
            "until midnight"
        );
        assert_eq!(
            hours.week[5],
            Some(DayHours {
                opens: 600,
                closes: 870
            })
        );
        assert_eq!(hours.week[6], None);
        assert_eq!(hours.holidays, ["2026-12-25", "2027-01-01"]);
        // Read back, the form is the same: nothing to send.
        let mut stored = site();
        stored.hours = Some(hours);
        let again = SiteForm::from_site(&stored);
        assert!(is_empty(&again.update(&again)));
        assert_eq!(again.week[4].closes, "00:00");
        // Off: cleared. A time that does not read goes for the server to refuse.
        let mut off = again.clone();
        off.hours_on = false;
        assert_eq!(off.update(&again).hours, Some(None));
        let mut bad = again.clone();
        bad.week[1].opens = "9h".into();
        let sent = bad.update(&again).hours.unwrap().unwrap();
        assert_eq!(sent.week[1].map(|d| d.opens), Some(u16::MAX));
        assert_eq!(off.update(&again).offline_when_away, None);
        off.offline_when_away = true;
        assert_eq!(off.update(&again).offline_when_away, Some(true));
    }

    #[test]
    fn lists_are_typed_one_per_line_or_comma_separated() {
        assert_eq!(
            lines(" https://a.example\n\nhttps://b.example , http://localhost:* "),
            [
                "https://a.example",
                "https://b.example",
                "http://localhost:*"
            ]
        );
        assert_eq!(tags("ar، en fa"), ["ar", "en", "fa"]);
    }

    #[test]
    fn a_site_update_holds_only_what_changed() {
        let saved = SiteForm::from_site(&site());
        let mut form = saved.clone();
        assert!(
            is_empty(&form.update(&saved)),
            "nothing typed, nothing sent"
        );
        form.accent = "#0f766e".into();
        form.origins.push_str("\n https://eu.shop.example ");
        form.greeting = "  ".into();
        let u = form.update(&saved);
        assert_eq!(u.accent_color.as_deref(), Some("#0f766e"));
        assert_eq!(
            u.allowed_origins,
            Some(vec![
                "https://shop.example".into(),
                "https://eu.shop.example".into()
            ])
        );
        assert_eq!(u.name, None);
        assert_eq!(u.greeting, None, "blank stays blank");
        assert_eq!(u.typing_preview, None);
        form.typing_preview = true;
        assert_eq!(form.update(&saved).typing_preview, Some(true));
        assert_eq!(form.update(&saved).survey_nps, None);
        form.survey_nps = true;
        assert_eq!(form.update(&saved).survey_nps, Some(true));
        assert_eq!(form.update(&saved).retention_days, None);
        form.retention = " 30 ".into();
        assert_eq!(form.update(&saved).retention_days, Some(30));
        form.retention = "soon".into();
        assert_eq!(
            form.update(&saved).retention_days,
            Some(u32::MAX),
            "the server says why"
        );
        let kept_30 = SiteForm {
            retention: "30".into(),
            ..saved.clone()
        };
        form.retention = String::new();
        assert_eq!(
            form.update(&kept_30).retention_days,
            Some(0),
            "emptied: keep"
        );
        let mut cleared = SiteForm {
            title: "Support".into(),
            ..saved.clone()
        };
        let u = saved.update(&cleared);
        assert_eq!(
            u.title.as_deref(),
            Some(""),
            "clearing sends an empty string"
        );
        cleared.avatar_url = "https://cdn.example/a.png".into();
        assert_eq!(
            cleared.update(&saved).avatar,
            Some(Avatar::Image {
                url: "https://cdn.example/a.png".into()
            })
        );
    }

    #[test]
    fn the_preview_follows_the_form() {
        let mut form = SiteForm::from_site(&site());
        form.position = LauncherPosition::Left;
        form.title = " Support ".into();
        let a = form.appearance();
        assert_eq!(a.position, LauncherPosition::Left);
        assert_eq!(a.title.as_deref(), Some("Support"));
        assert_eq!(a.avatar, Avatar::Initials);
    }

    #[test]
    fn an_agent_update_holds_only_what_changed() {
        let profile = AgentProfile {
            id: "a_1".into(),
            name: "Sara".into(),
            email: "sara@x".into(),
            role: Role::Agent,
            capacity: 5,
            languages: vec!["ar".into()],
            teams: vec!["t_1".into(), "t_2".into()],
            sites: vec!["s_1".into()],
            disabled: false,
        };
        let saved = AgentForm::from_agent(&profile);
        let mut form = saved.clone();
        form.teams = vec!["t_2".into(), "t_1".into()];
        assert_eq!(
            form.update(&saved),
            AgentUpdate::default(),
            "order does not count"
        );
        form.role = Role::Supervisor;
        form.languages = "ar, en".into();
        form.password = "new-password".into();
        toggle(&mut form.sites, &"s_2".into(), true);
        let u = form.update(&saved);
        assert_eq!(u.role, Some(Role::Supervisor));
        assert_eq!(u.languages, Some(vec!["ar".into(), "en".into()]));
        assert_eq!(u.sites, Some(vec!["s_1".into(), "s_2".into()]));
        assert_eq!(u.password.as_deref(), Some("new-password"));
        assert_eq!(u.name, None);
        let new = AgentForm {
            capacity: "many".into(),
            ..AgentForm::new(vec!["s_1".into()])
        }
        .new_agent();
        assert_eq!(new.capacity, Some(0), "the server names the bad field");
        assert_eq!(new.sites, vec![SiteId::from("s_1")]);
    }
}
