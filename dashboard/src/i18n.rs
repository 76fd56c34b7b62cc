//! Every string the dashboard shows, in English, Arabic and Persian.
//!
//! Each catalogue is one exhaustive `match` over [`Key`], so a key added
//! without its translations does not compile. Templates hold `{name}`
//! placeholders filled by `locale.fill`; numbers in them are written with
//! the locale's digits (`locale.number`). [`Locale`] and those rules are
//! the client core's (`client::locale`), shared with the widget.
//!
//! The locale is the agent's choice (kept in `localStorage`) or else the
//! first of `navigator.languages` we have (`Locale::negotiate`). Product and
//! language names are not translated: they name themselves.

use shared::ErrorCode;

/// The product's name, the same in every language.
pub const PRODUCT: &str = "Ahlan";

pub use client::locale::{fill, Locale};

client::catalog!(Key: en, ar, fa);

/// A short "how long ago" for list items: `just now`, `5 min`, `2 h`, `3 d`.
pub fn ago(locale: Locale, elapsed_ms: u64) -> String {
    let minutes = elapsed_ms / 60_000;
    let (key, n) = match minutes {
        0 => return locale.text(Key::JustNow).to_owned(),
        1..=59 => (Key::MinutesShort, minutes),
        60..=1439 => (Key::HoursShort, minutes / 60),
        _ => (Key::DaysShort, minutes / 1440),
    };
    locale.fill(key, &[("n", &locale.number(n))])
}

/// The localized text for a server error code. Every code has one, so new
/// codes must be placed here.
pub fn error_key(code: ErrorCode) -> Key {
    use ErrorCode::*;
    match code {
        NotQueued => Key::ErrNotQueued,
        AtCapacity => Key::ErrAtCapacity,
        Forbidden => Key::ErrForbidden,
        NotFound => Key::ErrNotFound,
        ConversationResolved => Key::ErrResolved,
        EmptyMessage => Key::ErrEmpty,
        MessageTooLong => Key::ErrTooLong,
        RateLimited | TooManyConnections => Key::ErrRateLimited,
        Unauthorized => Key::SessionEnded,
        InvalidCredentials => Key::LoginWrong,
        TooManyAttempts => Key::LoginTooMany,
        EmailTaken => Key::ErrEmailTaken,
        LastAdmin => Key::ErrLastAdmin,
        WrongPassword => Key::ErrWrongPassword,
        NotAssigned => Key::ErrNotAssigned,
        AgentUnavailable => Key::ErrAgentUnavailable,
        NoSupervisor => Key::ErrNoSupervisor,
        TooManyNotes => Key::ErrTooManyNotes,
        TooManyArticles => Key::ErrTooManyArticles,
        CallbackTaken => Key::ErrCallbackTaken,
        CallbackClosed => Key::ErrCallbackClosed,
        Internal | Unavailable => Key::ErrServer,
        // These mean the dashboard and the server disagree about the
        // protocol: only a newer dashboard can fix them.
        MalformedFrame | UnknownFrame | FrameTooLarge | BinaryNotSupported | HelloRequired
        | AlreadyGreeted | UnknownSite | OriginNotAllowed | InvalidClientId | BadRequest
        | QueueFull | MethodNotAllowed | NotResolved | InvalidEmail | IdentityInvalid
        | IdentityRequired | InvalidPhone | CallbacksOff | CallbackPending | MailOff => {
            Key::ErrProtocol
        }
    }
}

/// The weekdays' names, Monday first (reports' heatmap, business hours).
pub const WEEKDAYS: [Key; 7] = [
    Key::DayMon,
    Key::DayTue,
    Key::DayWed,
    Key::DayThu,
    Key::DayFri,
    Key::DaySat,
    Key::DaySun,
];

/// Declares [`Key`] and its `ALL` list from one list of names, so the list
/// the completeness test walks cannot miss a key.
macro_rules! keys {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A string in the catalogue.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key {
            $($(#[$doc])* $name,)*
        }

        impl Key {
            /// Every key.
            pub const ALL: &'static [Key] = &[$(Key::$name,)*];
        }
    };
}

keys! {
    /// Login page heading.
    SignInTitle,
    /// Login page lead line.
    SignInLead,
    /// Email field label.
    Email,
    /// Password field label.
    Password,
    /// Login button.
    SignIn,
    /// Login button while waiting.
    SigningIn,
    /// 401 invalid_credentials.
    LoginWrong,
    /// 429 too_many_attempts.
    LoginTooMany,
    /// The server could not be reached.
    Network,
    /// An answer the dashboard did not expect.
    Unexpected,
    /// The session expired or was revoked.
    SessionEnded,
    /// Generic loading line.
    Loading,
    /// Presence: online.
    Online,
    /// Presence: away.
    Away,
    /// Presence toggle tooltip.
    AvailabilityHint,
    /// Connection badge: up.
    Connected,
    /// Connection badge: first attempt.
    Connecting,
    /// Connection badge: lost, retrying.
    Reconnecting,
    /// Logout button.
    SignOut,
    /// Language switcher label.
    Language,
    /// Button asking for notification permission.
    EnableNotifications,
    /// Waiting section heading and status.
    Waiting,
    /// My chats section heading.
    MyChats,
    /// Empty waiting list.
    NoOneWaiting,
    /// Empty "My chats".
    NoChats,
    /// Pick button.
    Take,
    /// Less than a minute.
    JustNow,
    /// `{n}` minutes, short.
    MinutesShort,
    /// `{n}` hours, short.
    HoursShort,
    /// `{n}` days, short.
    DaysShort,
    /// Preview of a conversation without messages.
    NoMessagesYet,
    /// A visitor's generic name.
    Visitor,
    /// The agent's own messages.
    You,
    /// Empty main pane heading.
    PickConversation,
    /// Empty main pane hint.
    PickHint,
    /// Status: assigned to me.
    StatusMine,
    /// Status: assigned to `{name}`.
    StatusOther,
    /// Status: resolved.
    StatusResolved,
    /// Resolve button.
    Resolve,
    /// Composer hint on a waiting conversation.
    TakeToReply,
    /// Composer hint on someone else's conversation.
    HandledByOther,
    /// Composer hint on a resolved conversation.
    ResolvedNotice,
    /// Visitor typing indicator.
    VisitorTyping,
    /// Reply box placeholder.
    ReplyPlaceholder,
    ModeReply,
    ModeNote,
    NotePlaceholder,
    NoteLabel,
    AddNote,
    /// Send button.
    Send,
    /// A reply on its way.
    Sending,
    /// A reply the server refused.
    NotSent,
    /// Drop a refused reply.
    Discard,
    /// Reply over the length limit: `{n}` of `{max}`.
    TooLongCount,
    /// Close the error banner.
    Dismiss,
    /// Error not_queued.
    ErrNotQueued,
    /// Error at_capacity.
    ErrAtCapacity,
    /// Error forbidden.
    ErrForbidden,
    /// Error not_found.
    ErrNotFound,
    /// Error conversation_resolved.
    ErrResolved,
    /// Error empty_message.
    ErrEmpty,
    /// Error message_too_long.
    ErrTooLong,
    /// Error rate_limited.
    ErrRateLimited,
    /// Error email_taken.
    ErrEmailTaken,
    /// 409 last_admin.
    ErrLastAdmin,
    /// 403 wrong_password.
    ErrWrongPassword,
    /// Errors internal / unavailable.
    ErrServer,
    /// Protocol mismatch errors.
    ErrProtocol,
    /// Notification: someone joined the queue.
    NotifyQueued,
    /// Desktop notification: a visitor asked to be called back.
    NotifyCallback,
    /// Notification: a chat was assigned to me.
    NotifyAssigned,
    NotifyMessage,
    AlsoHere,
    ColleagueTyping,
    SoundOn,
    SoundOff,
    /// Page title.
    TitleInbox,
    /// Sidebar landmark label.
    Conversations,
    /// Message list landmark label.
    Messages,
    /// The socket keeps failing although the session is valid.
    SocketTrouble,
    /// Top bar: the inbox.
    NavInbox,
    /// Top bar: settings.
    NavSettings,
    /// Settings side navigation label.
    SettingsNav,
    /// Settings: my profile.
    Profile,
    /// Settings: sites.
    Sites,
    /// Settings: agents.
    Agents,
    /// Settings: teams.
    Teams,
    /// Sites page lead.
    SitesLead,
    /// Button: create a site.
    NewSite,
    /// Placeholder for a new site's name.
    NewSiteName,
    /// Button: create.
    Create,
    /// Empty sites list.
    NoSites,
    /// `{n}` allowed origins (a count).
    OriginsCount,
    /// Back to a list.
    Back,
    /// Site editor: first section.
    SiteDetails,
    /// Field: site name.
    SiteName,
    /// Field: allowed origins.
    AllowedOrigins,
    /// Help for allowed origins.
    AllowedOriginsHint,
    /// Site editor: look section.
    Appearance,
    /// Field: accent colour.
    AccentColor,
    /// Field: launcher side.
    LauncherPosition,
    /// Launcher: bottom right.
    PositionRight,
    /// Launcher: bottom left.
    PositionLeft,
    /// Help for the launcher side.
    PositionHint,
    /// Field: header title.
    HeaderTitle,
    /// Help for the header title.
    HeaderTitleHint,
    /// Field: greeting.
    GreetingField,
    /// Help for the greeting.
    GreetingHint,
    /// Field: header picture.
    AvatarField,
    /// Field: widget language.
    WidgetLanguage,
    /// Language option: the visitor's browser.
    FollowBrowser,
    /// Live preview heading.
    Preview,
    /// The embed snippet heading.
    Snippet,
    /// Help for the snippet.
    SnippetHint,
    /// Button: copy.
    Copy,
    /// Button: show a hidden value.
    Show,
    /// Button: hide it again.
    Hide,
    /// Console: heading of the identity verification card.
    IdentityHeading,
    /// Console: what identity verification is for.
    IdentityHint,
    /// Button: make a new identity secret.
    IdentityRotate,
    /// Confirmation before rotating.
    IdentityRotateConfirm,
    /// Above the example code.
    IdentityExample,
    /// Switch: only signed identities.
    IdentityRequired,
    /// Help for the switch.
    IdentityRequiredHint,
    /// The composer's emoji picker.
    Emoji,
    /// Copy done.
    Copied,
    /// Button: save.
    Save,
    /// Button while saving.
    Saving,
    /// Saved confirmation.
    Saved,
    /// Delete section heading.
    DangerZone,
    /// Button: delete site.
    DeleteSite,
    /// Confirmation for deleting `{name}`.
    DeleteSiteConfirm,
    /// Button: confirm deleting.
    ConfirmDelete,
    /// Button: cancel.
    Cancel,
    /// The site's public key.
    SiteKey,
    /// Agents page lead.
    AgentsLead,
    /// Button/heading: add an agent.
    NewAgent,
    /// Field: a person's name.
    Name,
    /// Field: role.
    Role,
    /// Role: admin.
    RoleAdmin,
    /// Role: supervisor.
    RoleSupervisor,
    /// Role: agent.
    RoleAgent,
    /// What the roles mean.
    RoleHint,
    OwnAccountHint,
    CannedHint,
    Menu,
    BackToList,
    CannedResponses,
    CannedLead,
    CannedTitle,
    CannedShortcut,
    CannedText,
    CannedScope,
    ScopePersonal,
    ScopeGlobal,
    ScopeSite,
    AddCanned,
    NoCannedYet,
    ProactiveTitle,
    ProactiveHint,
    ProactiveName,
    ProactiveOn,
    ProactiveUrl,
    UrlAny,
    UrlContains,
    UrlEquals,
    UrlGlob,
    ProactivePattern,
    ProactiveAfter,
    ProactiveVisits,
    ProactiveText,
    ProactiveAdd,
    ContextProactive,
    HelpArticles,
    ArticlesLead,
    ArticleSite,
    ArticleLang,
    ArticleQuestion,
    ArticleAnswer,
    ArticleAnswerHint,
    AddArticle,
    NoArticlesYet,
    ArticleOpened,
    ArticleAskedAfter,
    ArticleHelped,
    ArticlesReadOnly,
    /// Field: concurrent chats.
    Capacity,
    /// Field: languages spoken.
    Languages,
    /// Help for languages.
    LanguagesHint,
    /// Field: teams.
    TeamsField,
    /// Field: sites served.
    SitesField,
    /// Help for sites served.
    SitesFieldHint,
    /// Field: disabled.
    AccountDisabled,
    /// List badge: disabled.
    StatusDisabled,
    /// Field: a new password for someone else.
    SetPassword,
    /// Button: edit.
    Edit,
    /// Button: delete an agent.
    DeleteAgent,
    /// Confirmation for deleting agent `{name}`.
    DeleteAgentConfirm,
    /// Empty teams list.
    NoTeamsYet,
    /// Teams page lead.
    TeamsLead,
    /// Placeholder: a new team's name.
    NewTeamName,
    /// Button: add a team.
    AddTeam,
    /// Button: rename.
    Rename,
    /// Button: delete.
    Delete,
    /// Profile page lead.
    ProfileLead,
    /// Heading: change password.
    ChangePassword,
    /// Field: current password.
    CurrentPassword,
    /// Field: new password.
    NewPassword,
    /// Password change done.
    PasswordChanged,
    /// A field the server refused.
    FieldInvalid,
    /// Settings section for admins only.
    AdminOnly,
    /// Marks the logged-in agent in the agents list.
    You2,
    /// Title of the preview iframe.
    PreviewTitle,
    /// Help for the header picture.
    AvatarHint,
    /// Heading of the admin's privacy actions in the context panel.
    PrivacyTitle,
    /// Link: download everything stored about the visitor.
    PrivacyExport,
    /// Button: erase the visitor (asks first).
    PrivacyErase,
    /// What erasing does, before it is confirmed.
    PrivacyEraseWarning,
    /// Button: confirm the erasure.
    PrivacyEraseConfirm,
    /// Field: days resolved conversations are kept.
    /// The visitor's survey answer under a resolved conversation; `{score}`.
    Rated,
    /// The visitor's Net Promoter answer; `{score}` of 10.
    RatedNps,
    /// Console: the survey asks the Net Promoter question.
    SurveyNps,
    /// What that adds.
    SurveyNpsHint,
    Retention,
    /// What the retention does.
    RetentionHint,
    /// Console: the site's typing preview switch.
    TypingPreview,
    /// Console: what the typing preview does.
    TypingPreviewHint,
    /// Beside the visitor's draft (typing preview).
    DraftHint,
    /// The history tab.
    NavHistory,
    /// Console: the site's usual reply time.
    ReplyTimeLabel,
    /// Console: no reply time said.
    ReplyTimeUnsaid,
    /// Console: replies in minutes.
    ReplyTimeMinutes,
    /// Console: replies in hours.
    ReplyTimeHours,
    /// Console: replies within a day.
    ReplyTimeDay,
    /// Console: what the reply time does.
    ReplyTimeHint,
    /// Reports: the agents table's median first response.
    ColFirstResponse,
    /// Reports: the agents table's average handle time.
    ColHandle,
    /// Reports: the agents table's average survey score.
    ColCsat,
    /// The reports tab.
    NavReports,
    /// Reports: the period picker.
    ReportPeriod,
    /// Reports: today.
    PeriodToday,
    /// Reports: the last 7 days.
    PeriodWeek,
    /// Reports: the last 30 days.
    PeriodMonth,
    /// Reports: chosen days.
    PeriodCustom,
    /// Reports: whose figures.
    ReportScope,
    /// Reports: the whole site's figures.
    WholeSite,
    /// Seconds, short ("45 s").
    SecondsShort,
    /// Reports: new conversations.
    KpiStarted,
    /// Reports: chats given a first reply.
    KpiAnswered,
    /// Reports: chats nobody answered in time.
    KpiMissed,
    /// Reports: resolutions.
    KpiResolved,
    /// Reports: reopened conversations.
    KpiReopened,
    /// Reports: hand-overs.
    KpiTransferred,
    /// Reports: first response, median.
    KpiFirstResponseMedian,
    /// Reports: first response, 90th percentile.
    KpiFirstResponseP90,
    /// Reports: first response, average.
    KpiFirstResponseAverage,
    /// Reports: every reply's wait, average.
    KpiReplyAverage,
    /// Reports: handle time, average.
    KpiHandleAverage,
    /// Reports: queue wait, average.
    KpiWaitAverage,
    /// Reports: average survey score.
    KpiCsat,
    /// Reports: survey answers per resolution.
    KpiCsatResponseRate,
    /// Reports: Net Promoter Score.
    KpiNps,
    /// Reports: most waiting at once.
    KpiBacklogWaiting,
    /// Reports: most open at once.
    KpiBacklogOpen,
    KpiCallbacksRequested,
    KpiCallbacksReached,
    KpiHelpOpened,
    KpiHelpSelfServed,
    /// Reports: the period compared with.
    VsPrevious,
    /// Reports: a figure went up (assistive text).
    ChangeUp,
    /// Reports: a figure went down (assistive text).
    ChangeDown,
    /// Reports: the conversations chart.
    ChartVolume,
    /// Reports: the first response chart.
    ChartFirstResponse,
    /// Reports: the heatmap.
    BusiestHours,
    /// Reports: what the heatmap counts.
    BusiestHoursHint,
    /// Reports: one heatmap cell (assistive text).
    HeatCell,
    /// Monday, short.
    DayMon,
    /// Tuesday, short.
    DayTue,
    /// Wednesday, short.
    DayWed,
    /// Thursday, short.
    DayThu,
    /// Friday, short.
    DayFri,
    /// Saturday, short.
    DaySat,
    /// Sunday, short.
    DaySun,
    /// Reports: the agents table's name column.
    ColAgent,
    /// Reports: minutes online.
    ColOnline,
    /// Reports: open chats, average and peak.
    ColLoad,
    /// Reports: survey answers per score.
    SurveyAnswers,
    /// Reports: Net Promoter answers per score.
    NpsAnswers,
    /// Reports: a table's CSV download.
    DownloadCsv,
    /// Reports: nothing in the period.
    NoActivity,
    /// Reports: the zone days are read in.
    ReportZone,
    /// Console: the site's time zone.
    TimeZone,
    /// Console: what the time zone does.
    TimeZoneHint,
    /// Placeholder of the history's search box.
    SearchPlaceholder,
    /// Runs a history search.
    SearchButton,
    /// History filter: every status.
    AnyStatus,
    /// History filter and badge: assigned to someone.
    StatusOpen,
    /// History filter: every site.
    AllSites,
    /// History filter: every agent.
    AnyAgent,
    /// History filter: started on or after.
    FromDate,
    /// History filter: started on or before.
    ToDate,
    /// The history found nothing.
    NoMatches,
    /// Asks for the history's next page.
    LoadMore,
    /// Label of the history's filters.
    HistoryFilters,
    /// Error: the conversation has too many notes.
    ErrTooManyNotes,
    ErrTooManyArticles,
    /// Under a reply the visitor has read.
    Seen,
    /// Under a reply the visitor's widget has received.
    Delivered,
    /// Heading of the visitor context panel.
    ContextTitle,
    /// Button: show or hide the visitor panel.
    ContextToggle,
    /// Label: the page the visitor is on.
    ContextNowOn,
    /// Label: the visitor's local time.
    ContextLocalTime,
    /// Label: the visitor's language.
    ContextLanguage,
    /// Label: browser.
    ContextBrowser,
    /// Label: operating system and device.
    ContextSystem,
    /// Label: where the visit came from.
    ContextReferrer,
    /// No referrer.
    ContextDirect,
    /// Label: first seen.
    ContextFirstSeen,
    /// Label: number of visits.
    ContextVisits,
    /// Heading: pages visited.
    ContextPages,
    /// No page reported yet.
    ContextNoPages,
    /// Heading: past conversations.
    ContextPast,
    /// No past conversations.
    ContextNoPast,
    /// An unknown value.
    ContextUnknown,
    /// Button: transfer the conversation.
    Transfer,
    /// Heading of the transfer panel.
    TransferTitle,
    /// Label of the transfer targets.
    TransferTo,
    /// Target: a supervisor.
    TransferEscalate,
    /// Target: a team's queue.
    TransferTeam,
    /// A colleague's load.
    TransferLoad,
    /// Field: note for the receiver.
    TransferNote,
    /// Button: confirm the transfer.
    TransferSubmit,
    /// No colleague or team to transfer to.
    TransferNobody,
    /// Presence: offline.
    Offline,
    /// Error: not assigned.
    ErrNotAssigned,
    /// Error: transfer target unavailable.
    ErrAgentUnavailable,
    /// Error: no supervisor available.
    ErrNoSupervisor,
    /// Field: a site's routing team.
    RoutingTeam,
    /// Routing team: none.
    RoutingTeamAny,
    /// What the routing team does.
    RoutingTeamHint,
    /// Console: heading of the business hours.
    BusinessHours,
    /// Console: live chats only during business hours.
    HoursOn,
    /// Console: what business hours do.
    HoursHint,
    /// Console: a day closed throughout.
    HoursClosed,
    /// Console: opening time.
    HoursOpens,
    /// Console: closing time.
    HoursCloses,
    /// Console: days off.
    Holidays,
    /// Console: how to type days off.
    HolidaysHint,
    /// Console: offline with nobody online.
    OfflineWhenAway,
    /// Console: what that does.
    OfflineWhenAwayHint,
    /// Badge: the visitor left a message while offline.
    LeftMessage,
    /// Under the header: replies are mailed; {email}.
    MailedTo,
    /// Under the header: mail is not set up.
    NotMailed,
    /// Label: the name the visitor gave.
    /// The site's user id of a visitor its page identified (signed).
    ContextUser,
    /// Beside a user id the site signed.
    ContextVerified,
    ContextName,
    /// Label: the email the visitor gave.
    ContextEmail,
    /// Console: heading of the pre-chat form.
    PrechatTitle,
    /// Console: what the pre-chat form does.
    PrechatHint,
    /// Pre-chat kind: name.
    PrechatName,
    /// Pre-chat kind: email.
    PrechatEmail,
    /// Pre-chat kind: phone.
    PrechatPhone,
    /// Pre-chat kind: a line of text.
    PrechatText,
    /// Pre-chat kind: a choice.
    PrechatSelect,
    /// Label: what a question asks for.
    PrechatKind,
    /// Label: an own question's key.
    PrechatKey,
    /// A question must be answered.
    PrechatRequired,
    /// A question's label.
    PrechatLabel,
    /// A choice's options.
    PrechatOptions,
    /// Adds a question.
    PrechatAdd,
    /// Removes an item.
    Remove,
    /// Heading: the visitor's pre-chat answers.
    ContextAnswers,
    /// The callbacks tab.
    NavCallbacks,
    /// Callbacks: what the screen is.
    CallbacksLead,
    /// Callbacks: the open ones.
    CallbacksOpen,
    /// Callbacks: the closed ones.
    CallbacksClosed,
    /// Callbacks: nothing open.
    CallbacksNone,
    /// Callback window: as soon as possible.
    CallbackAsap,
    /// Callback window: morning.
    CallbackMorning,
    /// Callback window: afternoon.
    CallbackAfternoon,
    /// Callback window: evening.
    CallbackEvening,
    /// Callback status: waiting for an agent.
    CallbackStatusRequested,
    /// Callback status: claimed.
    CallbackStatusClaimed,
    /// Callback status: done.
    CallbackStatusDone,
    /// Callback status: could not reach.
    CallbackStatusFailed,
    /// Callback status: the visitor cancelled it.
    CallbackStatusCancelled,
    /// The visitor's time now; {time} and {zone}.
    CallbackTheirTime,
    /// Who claimed it; {name}.
    CallbackClaimedBy,
    /// Who closed it; {name}.
    CallbackClosedBy,
    /// Claim button.
    CallbackClaim,
    /// How the call went (optional).
    CallbackOutcomeNote,
    /// Mark done.
    CallbackMarkDone,
    /// Mark failed.
    CallbackMarkFailed,
    /// Console: the callback offer's label.
    CallbackOffer,
    /// Console: no callbacks.
    CallbackOfferOff,
    /// Console: to everyone waiting.
    CallbackOfferAlways,
    /// Console: after a wait.
    CallbackOfferAfter,
    /// Console: minutes of wait.
    CallbackAfterMins,
    /// Console: what the offer does.
    CallbackOfferHint,
    /// Another agent claimed it.
    ErrCallbackTaken,
    /// Closed already.
    ErrCallbackClosed,
}

fn en(key: Key) -> &'static str {
    use Key::*;
    match key {
        SignInTitle => "Sign in",
        SignInLead => "Answer your website's visitors as they write.",
        Email => "Email",
        Password => "Password",
        SignIn => "Sign in",
        SigningIn => "Signing in…",
        LoginWrong => "Wrong email or password.",
        LoginTooMany => "Too many attempts. Wait a minute and try again.",
        Network => "Can't reach the server. Check your connection and try again.",
        Unexpected => "Something went wrong. Please try again.",
        SessionEnded => "Your session has ended. Please sign in again.",
        Loading => "Loading…",
        Online => "Online",
        Away => "Away",
        Offline => "Offline",
        AvailabilityHint => "Your availability: new chats go only to online agents",
        Connected => "Connected",
        Connecting => "Connecting…",
        Reconnecting => "Reconnecting…",
        SignOut => "Sign out",
        Language => "Language",
        EnableNotifications => "Enable notifications",
        Waiting => "Waiting",
        MyChats => "My chats",
        NoOneWaiting => "No one is waiting",
        NoChats => "No open chats",
        Take => "Take",
        JustNow => "just now",
        MinutesShort => "{n} min",
        HoursShort => "{n} h",
        DaysShort => "{n} d",
        NoMessagesYet => "No messages yet",
        Visitor => "Visitor",
        You => "You",
        PickConversation => "Pick a conversation",
        PickHint => "Choose a chat from the list to read it and reply.",
        StatusMine => "Assigned to you",
        StatusOther => "Assigned to {name}",
        StatusResolved => "Resolved",
        Resolve => "Resolve",
        TakeToReply => "Take this conversation to reply.",
        HandledByOther => "Another agent is handling this conversation.",
        ResolvedNotice => "This conversation is resolved.",
        VisitorTyping => "Visitor is typing…",
        ReplyPlaceholder => "Write a reply… (Enter sends, Shift+Enter adds a line)",
        ModeReply => "Reply",
        ModeNote => "Private note",
        NotePlaceholder => "Write a note for your team — the visitor will not see it",
        NoteLabel => "Private note",
        AddNote => "Add note",
        Send => "Send",
        Sending => "Sending…",
        NotSent => "Not sent",
        Discard => "Discard",
        TooLongCount => "Too long: {n} of {max} characters",
        Dismiss => "Dismiss",
        ErrNotQueued => "Another agent took this conversation.",
        ErrAtCapacity => "You have as many chats as you can take. Resolve one first.",
        ErrForbidden => "You can't do that in this conversation.",
        ErrNotFound => "This conversation no longer exists.",
        ErrResolved => "This conversation is already resolved.",
        ErrEmpty => "The message is empty.",
        ErrTooLong => "The message is too long.",
        ErrRateLimited => "You're sending too fast. Wait a moment.",
        ErrEmailTaken => "An agent with this email already exists.",
        ErrLastAdmin => "The workspace needs an active admin: make someone else an admin first.",
        ErrWrongPassword => "Your current password is not right.",
        ErrServer => "The server had a problem. Try again in a moment.",
        ErrProtocol => "This page is out of date. Reload it.",
        NotifyQueued => "A visitor is waiting",
        NotifyCallback => "A visitor asked to be called back",
        NotifyAssigned => "A chat was assigned to you",
        NotifyMessage => "New message",
        AlsoHere => "Also here: {names}",
        ColleagueTyping => "{names} typing…",
        SoundOn => "Sound on",
        SoundOff => "Sound off",
        TitleInbox => "Inbox",
        Conversations => "Conversations",
        Messages => "Messages",
        SocketTrouble => "The live connection keeps failing. If Ahlan runs behind a proxy, check that it passes websockets (the Upgrade header) and the Host header through.",
        NavInbox => "Inbox",
        NavSettings => "Settings",
        SettingsNav => "Settings sections",
        Profile => "My profile",
        Sites => "Sites",
        Agents => "Agents",
        Teams => "Teams",
        SitesLead => "Each site is one website with its own snippet, look and inbox.",
        NewSite => "New site",
        NewSiteName => "Site name, e.g. My shop",
        Create => "Create",
        NoSites => "No sites yet. Create one to get its snippet.",
        OriginsCount => "Allowed origins: {n}",
        Back => "Back",
        SiteDetails => "Site",
        SiteName => "Name",
        AllowedOrigins => "Allowed origins",
        AllowedOriginsHint => "One per line: https://shop.example, https://*.shop.example or http://localhost:*. Pages elsewhere cannot show the chat.",
        Appearance => "Widget appearance",
        AccentColor => "Accent colour",
        LauncherPosition => "Launcher position",
        PositionRight => "Bottom right",
        PositionLeft => "Bottom left",
        PositionHint => "Mirrored automatically when the widget speaks Arabic or Persian.",
        HeaderTitle => "Header title",
        HeaderTitleHint => "E.g. your team's name. Empty shows the site's name.",
        GreetingField => "Greeting",
        GreetingHint => "The first line visitors read. Empty uses Ahlan's greeting in the visitor's language.",
        AvatarField => "Header picture",
        WidgetLanguage => "Widget language",
        FollowBrowser => "Follow the visitor's browser",
        Preview => "Live preview",
        Snippet => "Snippet",
        SnippetHint => "Paste this before </body> on every page of the site.",
        Copy => "Copy",
        Copied => "Copied",
        Emoji => "Emoji",
        Show => "Show",
        Hide => "Hide",
        IdentityHeading => "Identity verification",
        IdentityHint => "Your server signs each logged-in user's id with this secret (HMAC-SHA256, as hex) and your page passes it to Ahlan.identify. Signed, the visitor is that user on every device, and nobody else can open their conversations. Keep the secret on your server, never in the page.",
        IdentityRotate => "Make a new secret",
        IdentityRotateConfirm => "Signatures made with the current secret stop working at once: update your server with the new one. Continue?",
        IdentityExample => "How to use it:",
        IdentityRequired => "Accept only signed identities",
        IdentityRequiredHint => "Refuse Ahlan.identify calls without a valid hash (visitors who are not logged in still chat, anonymously).",
        Save => "Save changes",
        Saving => "Saving…",
        Saved => "Saved",
        DangerZone => "Delete",
        DeleteSite => "Delete this site",
        DeleteSiteConfirm => "Delete {name}? Its conversations and messages are deleted too, and its snippet stops working. This cannot be undone.",
        ConfirmDelete => "Yes, delete",
        Cancel => "Cancel",
        SiteKey => "Site key",
        AgentsLead => "People who answer chats, what they may do, and which sites they serve.",
        NewAgent => "Add an agent",
        Name => "Name",
        Role => "Role",
        RoleAdmin => "Admin",
        RoleSupervisor => "Supervisor",
        RoleAgent => "Agent",
        RoleHint => "Admins manage everything; supervisors see every conversation of their sites; agents see their sites' queue and their own chats.",
        OwnAccountHint => "This is your own account: another admin can change your role, disable or delete it.",
        CannedHint => "Canned responses — ↑↓ to choose, Enter to insert, Esc to close",
        CannedResponses => "Canned responses",
        Menu => "Menu",
        PrivacyTitle => "Visitor's data",
        PrivacyExport => "Export data (JSON)",
        PrivacyErase => "Erase visitor…",
        PrivacyEraseWarning => "This deletes the conversation, its messages and notes, and everything known about this visitor, for good. It cannot be undone.",
        PrivacyEraseConfirm => "Erase for good",
        Rated => "The visitor rated this chat {score} out of 5",
        RatedNps => "Would recommend us: {score} of 10",
        SurveyNps => "Also ask how likely visitors are to recommend you (0–10)",
        SurveyNpsHint => "After a chat is resolved the survey asks for a rating from 1 to 5; this adds the Net Promoter question.",
        Retention => "Keep resolved conversations (days)",
        RetentionHint => "A resolved conversation quiet for this many days is erased with everything about its visitor. Empty: keep until erased by hand.",
        BackToList => "Back to conversations",
        TypingPreview => "Show agents what visitors type before they send it",
        TypingPreviewHint => "Agents see the draft as it is typed, to prepare an answer. The widget tells visitors so. Drafts are never stored.",
        DraftHint => "Not sent yet: the visitor is still typing",
        NavHistory => "History",
        ReplyTimeLabel => "Usual reply time",
        ReplyTimeUnsaid => "Don't say",
        ReplyTimeMinutes => "In a few minutes",
        ReplyTimeHours => "In a few hours",
        ReplyTimeDay => "Within a day",
        ReplyTimeHint => "Shown under the widget's title until an agent joins, so visitors know what to expect.",
        ColFirstResponse => "First response",
        ColHandle => "Handle time",
        ColCsat => "CSAT",
        NavReports => "Reports",
        ReportPeriod => "Period",
        PeriodToday => "Today",
        PeriodWeek => "Last 7 days",
        PeriodMonth => "Last 30 days",
        PeriodCustom => "Custom",
        ReportScope => "Whose figures",
        WholeSite => "Whole site",
        SecondsShort => "{n} s",
        KpiStarted => "Conversations",
        KpiAnswered => "Answered",
        KpiMissed => "Missed",
        KpiResolved => "Resolved",
        KpiReopened => "Reopened",
        KpiTransferred => "Transferred",
        KpiFirstResponseMedian => "First response (median)",
        KpiFirstResponseP90 => "First response (90%)",
        KpiFirstResponseAverage => "First response (average)",
        KpiReplyAverage => "Reply time (average)",
        KpiHandleAverage => "Handle time (average)",
        KpiWaitAverage => "Queue wait (average)",
        KpiCsat => "Satisfaction (CSAT)",
        KpiCsatResponseRate => "Survey response rate",
        KpiNps => "Net Promoter Score",
        KpiBacklogWaiting => "Most waiting at once",
        KpiBacklogOpen => "Most open at once",
        KpiCallbacksRequested => "Call backs requested",
        KpiCallbacksReached => "Call backs that reached the visitor",
        KpiHelpOpened => "Help articles opened",
        KpiHelpSelfServed => "Helped without a chat",
        VsPrevious => "Compared with {from} – {to}",
        ChangeUp => "Up {amount} on the previous period",
        ChangeDown => "Down {amount} on the previous period",
        ChartVolume => "Conversations over time",
        ChartFirstResponse => "First response (median) over time",
        BusiestHours => "Busiest hours",
        BusiestHoursHint => "Chats opened, per weekday and hour",
        HeatCell => "{day} {hour}:00 — {n}",
        DayMon => "Mon",
        DayTue => "Tue",
        DayWed => "Wed",
        DayThu => "Thu",
        DayFri => "Fri",
        DaySat => "Sat",
        DaySun => "Sun",
        ColAgent => "Agent",
        ColOnline => "Online",
        ColLoad => "Chats at once",
        SurveyAnswers => "Survey answers",
        NpsAnswers => "Net Promoter answers",
        DownloadCsv => "Download CSV",
        NoActivity => "Nothing happened in this period yet.",
        ReportZone => "Days and hours in {zone}",
        TimeZone => "Time zone (reports)",
        TimeZoneHint => "The days and hours this site's reports are read in, e.g. Europe/Berlin or Asia/Tehran. Empty: UTC.",
        SearchPlaceholder => "Search messages…",
        SearchButton => "Search",
        AnyStatus => "Any status",
        StatusOpen => "Open",
        AllSites => "All sites",
        AnyAgent => "Any agent",
        FromDate => "From",
        ToDate => "To",
        NoMatches => "No conversations match.",
        LoadMore => "Load more",
        HistoryFilters => "Filters",
        ErrTooManyNotes => "This conversation already has 1,000 notes; this one was not saved.",
        ErrTooManyArticles => "This site already has 200 articles; delete one before adding another.",
        Seen => "Seen",
        Delivered => "Delivered",
        ContextTitle => "Visitor",
        ContextToggle => "Visitor info",
        ContextNowOn => "Now on",
        ContextLocalTime => "Local time",
        ContextLanguage => "Language",
        ContextBrowser => "Browser",
        ContextSystem => "System",
        ContextReferrer => "Came from",
        ContextDirect => "Direct",
        ContextFirstSeen => "First seen",
        ContextVisits => "Visits",
        ContextPages => "Pages visited",
        ContextNoPages => "No page reported yet.",
        ContextPast => "Past conversations",
        ContextNoPast => "No earlier conversations.",
        ContextUnknown => "Unknown",
        Transfer => "Transfer",
        TransferTitle => "Transfer this conversation",
        TransferTo => "Who takes it",
        TransferEscalate => "Escalate to a supervisor",
        TransferTeam => "Team: {name}",
        TransferLoad => "{load} of {capacity} chats",
        TransferNote => "Note for whoever takes it (optional, only agents see it)",
        TransferSubmit => "Transfer now",
        TransferNobody => "Nobody else serves this site yet.",
        ErrNotAssigned => "This conversation is waiting, not assigned: take it instead of transferring it.",
        ErrAgentUnavailable => "That colleague cannot take it now (offline, or not on this site). Choose someone else or a team.",
        ErrNoSupervisor => "No supervisor of this site is online with room. Transfer to a team, or try again later.",
        RoutingTeam => "Routing team",
        RoutingTeamAny => "Any agent of the site",
        RoutingTeamHint => "New conversations wait for this team first, and for someone who speaks the visitor's language; after the language fallback (a minute unless the server sets another) any agent of the site may take them.",
        BusinessHours => "Business hours",
        HoursOn => "Take live chats only during business hours",
        HoursHint => "Read in the time zone above. Outside these hours the widget says when you're back and offers to leave a message with an email.",
        HoursClosed => "Closed",
        HoursOpens => "Opens",
        HoursCloses => "Closes",
        Holidays => "Days off",
        HolidaysHint => "One date per line, as YYYY-MM-DD (public holidays, say).",
        OfflineWhenAway => "Also offline whenever nobody is online",
        OfflineWhenAwayHint => "Visitors leave a message with their email instead of waiting for a reply that may take hours.",
        LeftMessage => "Left a message",
        MailedTo => "The visitor left this while you were offline: your replies are also emailed to {email}.",
        NotMailed => "The visitor left this while you were offline. Email isn't set up on this server, so they'll see your reply only when they come back to the site.",
        ContextName => "Name",
        ContextUser => "User",
        ContextVerified => "Verified",
        ContextEmail => "Email",
        PrechatTitle => "Pre-chat form",
        PrechatHint => "Questions the widget asks before the first message. The answers show beside the conversation. No questions: visitors write straight away.",
        PrechatName => "Name",
        PrechatEmail => "Email",
        PrechatPhone => "Phone",
        PrechatText => "Text",
        PrechatSelect => "Choice",
        PrechatKind => "Kind of question",
        PrechatKey => "Key (a-z, 0-9, _)",
        PrechatRequired => "Required",
        PrechatLabel => "Label",
        PrechatOptions => "Options, one per line",
        PrechatAdd => "Add a question",
        Remove => "Remove",
        ContextAnswers => "Answers",
        CannedLead => "Saved replies: type / in the reply box to insert one. Variables: {visitor.name}, {agent.name}, {site.name}; give a fallback after |, as in {visitor.name|there}.",
        CannedTitle => "Title",
        CannedShortcut => "Shortcut",
        CannedText => "Text",
        CannedScope => "Who can use it",
        ScopePersonal => "Only me",
        ScopeGlobal => "Everyone, on every site",
        ScopeSite => "Agents of {site}",
        AddCanned => "Add response",
        NoCannedYet => "No canned responses yet.",
        ProactiveTitle => "Proactive messages",
        ProactiveHint => "Greet visitors before they write: on the pages you choose, after some time on the page, from a given visit. A rule greets visitors of the languages it has a text in, at most once a day.",
        ProactiveName => "Rule name",
        ProactiveOn => "On",
        ProactiveUrl => "Pages",
        UrlAny => "Every page",
        UrlContains => "URL contains",
        UrlEquals => "URL is",
        UrlGlob => "URL matches (* for anything)",
        ProactivePattern => "URL or part of it",
        ProactiveAfter => "Seconds on the page",
        ProactiveVisits => "From visit",
        ProactiveText => "Message",
        ProactiveAdd => "Add a rule",
        ContextProactive => "Started from a proactive message",
        HelpArticles => "Help articles",
        ArticlesLead => "Answers visitors find in the widget's help, and see suggested while they type their first question. Write each one in the language of the visitors who will read it.",
        ArticleSite => "Site",
        ArticleLang => "Language",
        ArticleQuestion => "Question",
        ArticleAnswer => "Answer",
        ArticleAnswerHint => "**bold**, *italics*, `code`, lists with - and links are shown as such.",
        AddArticle => "Add article",
        NoArticlesYet => "No articles yet. Start with the questions you are asked most.",
        ArticleOpened => "Opened",
        ArticleAskedAfter => "Still asked us",
        ArticleHelped => "Helped without a chat",
        ArticlesReadOnly => "The site's supervisors and the admins write its articles.",
        Capacity => "Chats at once",
        Languages => "Languages",
        LanguagesHint => "Language tags, comma-separated: ar, en, fa",
        TeamsField => "Teams",
        SitesField => "Sites",
        SitesFieldHint => "Admins serve every site.",
        AccountDisabled => "Account disabled (signs them out and returns their chats to the queue)",
        StatusDisabled => "Disabled",
        SetPassword => "New password (signs them out everywhere)",
        Edit => "Edit",
        DeleteAgent => "Delete agent",
        DeleteAgentConfirm => "Delete {name}? Their open chats go back to the queue; past conversations keep their name.",
        NoTeamsYet => "No teams yet.",
        TeamsLead => "Group agents, e.g. “Sales” or “Support — Arabic”.",
        NewTeamName => "Team name",
        AddTeam => "Add team",
        Rename => "Rename",
        Delete => "Delete",
        ProfileLead => "How colleagues and visitors see you, and your password.",
        ChangePassword => "Change password",
        CurrentPassword => "Current password",
        NewPassword => "New password (at least 8 characters)",
        PasswordChanged => "Password changed. Your other sessions were signed out.",
        FieldInvalid => "Check this field.",
        AdminOnly => "Only admins manage sites, agents and teams.",
        You2 => "(you)",
        PreviewTitle => "Preview of the chat widget",
        AvatarHint => "An https:// address of a square picture. Empty shows the title's first letter.",
        NavCallbacks => "Callbacks",
        CallbacksLead => "Visitors who asked to be called back. Claim one, call, then mark how it went.",
        CallbacksOpen => "To call",
        CallbacksClosed => "Closed lately",
        CallbacksNone => "Nobody is waiting for a call.",
        CallbackAsap => "As soon as possible",
        CallbackMorning => "Morning (9:00–12:00)",
        CallbackAfternoon => "Afternoon (12:00–17:00)",
        CallbackEvening => "Evening (17:00–20:00)",
        CallbackStatusRequested => "Requested",
        CallbackStatusClaimed => "Claimed",
        CallbackStatusDone => "Done",
        CallbackStatusFailed => "Not reached",
        CallbackStatusCancelled => "Cancelled by the visitor",
        CallbackTheirTime => "their time {time} ({zone})",
        CallbackClaimedBy => "Claimed by {name}",
        CallbackClosedBy => "By {name}",
        CallbackClaim => "Claim",
        CallbackOutcomeNote => "How did it go? (optional)",
        CallbackMarkDone => "Called: done",
        CallbackMarkFailed => "Could not reach",
        CallbackOffer => "Offer callbacks",
        CallbackOfferOff => "Never",
        CallbackOfferAlways => "To everyone who waits",
        CallbackOfferAfter => "When the wait is at least…",
        CallbackAfterMins => "Minutes of estimated wait",
        CallbackOfferHint => "While the site is offline, and to a visitor whose estimated wait reaches the minutes you set, the widget offers to call them back. Requests appear under Callbacks.",
        ErrCallbackTaken => "Another agent has claimed this callback.",
        ErrCallbackClosed => "This callback is closed already.",
    }
}

fn ar(key: Key) -> &'static str {
    use Key::*;
    match key {
        SignInTitle => "تسجيل الدخول",
        SignInLead => "أجب زوّار موقعك لحظة بلحظة.",
        Email => "البريد الإلكتروني",
        Password => "كلمة المرور",
        SignIn => "دخول",
        SigningIn => "جارٍ الدخول…",
        LoginWrong => "البريد الإلكتروني أو كلمة المرور غير صحيحة.",
        LoginTooMany => "محاولات كثيرة جدًا. انتظر دقيقة ثم حاول مجددًا.",
        Network => "تعذّر الوصول إلى الخادم. تحقّق من اتصالك وحاول مجددًا.",
        Unexpected => "حدث خطأ ما. يُرجى المحاولة مجددًا.",
        SessionEnded => "انتهت جلستك. يُرجى تسجيل الدخول مجددًا.",
        Loading => "جارٍ التحميل…",
        Online => "متاح",
        Away => "غائب",
        Offline => "غير متصل",
        AvailabilityHint => "حالتك: المحادثات الجديدة تذهب إلى الموظفين المتاحين فقط",
        Connected => "متصل",
        Connecting => "جارٍ الاتصال…",
        Reconnecting => "جارٍ إعادة الاتصال…",
        SignOut => "تسجيل الخروج",
        Language => "اللغة",
        EnableNotifications => "تفعيل الإشعارات",
        Waiting => "في الانتظار",
        MyChats => "محادثاتي",
        NoOneWaiting => "لا أحد في الانتظار",
        NoChats => "لا توجد محادثات مفتوحة",
        Take => "استلام",
        JustNow => "الآن",
        MinutesShort => "{n} د",
        HoursShort => "{n} س",
        DaysShort => "{n} ي",
        NoMessagesYet => "لا رسائل بعد",
        Visitor => "زائر",
        You => "أنت",
        PickConversation => "اختر محادثة",
        PickHint => "اختر محادثة من القائمة لقراءتها والرد عليها.",
        StatusMine => "مُسندة إليك",
        StatusOther => "مُسندة إلى {name}",
        StatusResolved => "مُغلقة",
        Resolve => "إغلاق المحادثة",
        TakeToReply => "استلم هذه المحادثة لتتمكّن من الرد.",
        HandledByOther => "يتولّى موظف آخر هذه المحادثة.",
        ResolvedNotice => "هذه المحادثة مُغلقة.",
        VisitorTyping => "الزائر يكتب…",
        ReplyPlaceholder => "اكتب ردًا… (Enter للإرسال، وShift+Enter لسطر جديد)",
        ModeReply => "رد",
        ModeNote => "ملاحظة خاصة",
        NotePlaceholder => "اكتب ملاحظة لفريقك — لن يراها الزائر",
        NoteLabel => "ملاحظة خاصة",
        AddNote => "أضف الملاحظة",
        Send => "إرسال",
        Sending => "جارٍ الإرسال…",
        NotSent => "لم تُرسَل",
        Discard => "حذف",
        TooLongCount => "الرسالة طويلة جدًا: {n} من {max} حرفًا",
        Dismiss => "إخفاء",
        ErrNotQueued => "استلم موظف آخر هذه المحادثة.",
        ErrAtCapacity => "بلغت الحد الأقصى من المحادثات. أغلق إحداها أولًا.",
        ErrForbidden => "لا يمكنك فعل ذلك في هذه المحادثة.",
        ErrNotFound => "هذه المحادثة لم تعد موجودة.",
        ErrResolved => "هذه المحادثة مُغلقة بالفعل.",
        ErrEmpty => "الرسالة فارغة.",
        ErrTooLong => "الرسالة طويلة جدًا.",
        ErrRateLimited => "أنت ترسل بسرعة كبيرة. انتظر لحظة.",
        ErrEmailTaken => "يوجد موظف بهذا البريد الإلكتروني بالفعل.",
        ErrLastAdmin => "يحتاج مساحة العمل إلى مسؤول نشط: اجعل شخصًا آخر مسؤولًا أولًا.",
        ErrWrongPassword => "كلمة المرور الحالية غير صحيحة.",
        ErrServer => "واجه الخادم مشكلة. حاول مجددًا بعد لحظات.",
        ErrProtocol => "هذه الصفحة قديمة. أعد تحميلها.",
        NotifyQueued => "زائر في الانتظار",
        NotifyCallback => "طلب زائر أن نتصل به",
        NotifyAssigned => "أُسندت إليك محادثة",
        NotifyMessage => "رسالة جديدة",
        AlsoHere => "موجود هنا أيضًا: {names}",
        ColleagueTyping => "{names} يكتب…",
        SoundOn => "الصوت مفعّل",
        SoundOff => "الصوت مكتوم",
        TitleInbox => "صندوق الوارد",
        Conversations => "المحادثات",
        Messages => "الرسائل",
        SocketTrouble => "يتعذّر الاتصال المباشر مرارًا. إن كان Ahlan خلف وسيط (proxy) فتأكّد من أنه يمرّر اتصالات websocket (ترويسة Upgrade) وترويسة Host.",
        NavInbox => "صندوق الوارد",
        NavSettings => "الإعدادات",
        SettingsNav => "أقسام الإعدادات",
        Profile => "ملفي الشخصي",
        Sites => "المواقع",
        Agents => "الموظفون",
        Teams => "الفرق",
        SitesLead => "كل موقع هو موقع إلكتروني واحد له شيفرته ومظهره وصندوق وارده.",
        NewSite => "موقع جديد",
        NewSiteName => "اسم الموقع، مثلًا متجري",
        Create => "إنشاء",
        NoSites => "لا توجد مواقع بعد. أنشئ موقعًا للحصول على شيفرته.",
        OriginsCount => "النطاقات المسموح بها: {n}",
        Back => "رجوع",
        SiteDetails => "الموقع",
        SiteName => "الاسم",
        AllowedOrigins => "النطاقات المسموح بها",
        AllowedOriginsHint => "واحد في كل سطر: ‎https://shop.example‎ أو ‎https://*.shop.example‎ أو ‎http://localhost:*‎. لا تستطيع الصفحات الأخرى عرض المحادثة.",
        Appearance => "مظهر النافذة",
        AccentColor => "اللون الأساسي",
        LauncherPosition => "موضع زر المحادثة",
        PositionRight => "أسفل اليمين",
        PositionLeft => "أسفل اليسار",
        PositionHint => "ينعكس تلقائيًا عندما تتحدث النافذة العربية أو الفارسية.",
        HeaderTitle => "عنوان الرأس",
        HeaderTitleHint => "مثل اسم فريقك. إن تُرك فارغًا يظهر اسم الموقع.",
        GreetingField => "التحية",
        GreetingHint => "أول سطر يقرؤه الزوار. إن تُرك فارغًا تُستخدم تحية Ahlan بلغة الزائر.",
        AvatarField => "صورة الرأس",
        WidgetLanguage => "لغة النافذة",
        FollowBrowser => "حسب متصفح الزائر",
        Preview => "معاينة مباشرة",
        Snippet => "الشيفرة",
        SnippetHint => "الصق هذا قبل ‎</body>‎ في كل صفحة من صفحات الموقع.",
        Copy => "نسخ",
        Copied => "تم النسخ",
        Emoji => "الرموز التعبيرية",
        Show => "إظهار",
        Hide => "إخفاء",
        IdentityHeading => "التحقق من الهوية",
        IdentityHint => "يوقّع خادمك معرّف كل مستخدم مسجَّل الدخول بهذا السر (HMAC-SHA256 بصيغة hex) وتمرّره صفحتك إلى Ahlan.identify. بالتوقيع يكون الزائر هو ذلك المستخدم على كل أجهزته، ولا يستطيع أحد غيره فتح محادثاته. أبقِ السر على خادمك، لا في الصفحة أبداً.",
        IdentityRotate => "إنشاء سر جديد",
        IdentityRotateConfirm => "تتوقف التواقيع المصنوعة بالسر الحالي فوراً: حدّث خادمك بالسر الجديد. هل تتابع؟",
        IdentityExample => "طريقة الاستخدام:",
        IdentityRequired => "قبول الهويات الموقّعة فقط",
        IdentityRequiredHint => "رفض استدعاءات Ahlan.identify التي لا تحمل توقيعاً صحيحاً (يبقى بإمكان الزوار غير المسجّلين الدردشة دون هوية).",
        Save => "حفظ التغييرات",
        Saving => "جارٍ الحفظ…",
        Saved => "تم الحفظ",
        DangerZone => "الحذف",
        DeleteSite => "حذف هذا الموقع",
        DeleteSiteConfirm => "حذف {name}؟ ستُحذف محادثاته ورسائله أيضًا وتتوقف شيفرته عن العمل. لا يمكن التراجع عن ذلك.",
        ConfirmDelete => "نعم، احذف",
        Cancel => "إلغاء",
        SiteKey => "مفتاح الموقع",
        AgentsLead => "الأشخاص الذين يجيبون على المحادثات، وصلاحياتهم، والمواقع التي يخدمونها.",
        NewAgent => "إضافة موظف",
        Name => "الاسم",
        Role => "الدور",
        RoleAdmin => "مسؤول",
        RoleSupervisor => "مشرف",
        RoleAgent => "موظف",
        RoleHint => "يدير المسؤولون كل شيء؛ ويرى المشرفون كل محادثات مواقعهم؛ ويرى الموظفون قائمة انتظار مواقعهم ومحادثاتهم فقط.",
        OwnAccountHint => "هذا حسابك: يمكن لمسؤول آخر تغيير دورك أو تعطيل حسابك أو حذفه.",
        CannedHint => "الردود الجاهزة — ↑↓ للاختيار، Enter للإدراج، Esc للإغلاق",
        CannedResponses => "الردود الجاهزة",
        Menu => "القائمة",
        PrivacyTitle => "بيانات الزائر",
        PrivacyExport => "تصدير البيانات (JSON)",
        PrivacyErase => "محو الزائر…",
        PrivacyEraseWarning => "سيُحذف هذا الحوار برسائله وملاحظاته وكل ما هو معروف عن هذا الزائر نهائيًا. لا يمكن التراجع عن ذلك.",
        PrivacyEraseConfirm => "المحو نهائيًا",
        Rated => "قيّم الزائر هذه المحادثة بـ {score} من ٥",
        RatedNps => "احتمال أن يوصي بنا: {score} من ١٠",
        SurveyNps => "اسأل الزوار أيضًا عن مدى احتمال أن يوصوا بكم (٠–١٠)",
        SurveyNpsHint => "بعد إغلاق المحادثة يطلب الاستبيان تقييمًا من ١ إلى ٥؛ وهذا يضيف سؤال صافي نقاط الترويج.",
        Retention => "الاحتفاظ بالمحادثات المحلولة (أيام)",
        RetentionHint => "تُمحى المحادثة المحلولة التي لم تُضف إليها رسالة طوال هذا العدد من الأيام مع كل ما يخص زائرها. فارغ: الاحتفاظ حتى المحو يدويًا.",
        BackToList => "العودة إلى المحادثات",
        TypingPreview => "عرض ما يكتبه الزوار للموظفين قبل الإرسال",
        TypingPreviewHint => "يرى الموظفون المسودة أثناء كتابتها لتحضير الرد. تُعلم الأداة الزوار بذلك. لا تُحفظ المسودات أبدًا.",
        DraftHint => "لم تُرسل بعد: الزائر ما زال يكتب",
        NavHistory => "السجل",
        ReplyTimeLabel => "وقت الرد المعتاد",
        ReplyTimeUnsaid => "لا تذكره",
        ReplyTimeMinutes => "خلال دقائق",
        ReplyTimeHours => "خلال ساعات",
        ReplyTimeDay => "خلال يوم",
        ReplyTimeHint => "يظهر تحت عنوان الأداة حتى ينضم أحد الموظفين، ليعرف الزائر ما يتوقعه.",
        ColFirstResponse => "أول رد",
        ColHandle => "مدة المعالجة",
        ColCsat => "الرضا",
        NavReports => "التقارير",
        ReportPeriod => "الفترة",
        PeriodToday => "اليوم",
        PeriodWeek => "آخر ٧ أيام",
        PeriodMonth => "آخر ٣٠ يومًا",
        PeriodCustom => "فترة مخصصة",
        ReportScope => "أرقام من",
        WholeSite => "الموقع كله",
        SecondsShort => "{n} ث",
        KpiStarted => "المحادثات",
        KpiAnswered => "تمت الإجابة",
        KpiMissed => "فائتة",
        KpiResolved => "محلولة",
        KpiReopened => "أعيد فتحها",
        KpiTransferred => "محوّلة",
        KpiFirstResponseMedian => "أول رد (الوسيط)",
        KpiFirstResponseP90 => "أول رد (٩٠٪)",
        KpiFirstResponseAverage => "أول رد (المتوسط)",
        KpiReplyAverage => "زمن الرد (المتوسط)",
        KpiHandleAverage => "مدة المعالجة (المتوسط)",
        KpiWaitAverage => "الانتظار في الطابور (المتوسط)",
        KpiCsat => "الرضا (CSAT)",
        KpiCsatResponseRate => "نسبة الرد على الاستبيان",
        KpiNps => "صافي نقاط الترويج (NPS)",
        KpiBacklogWaiting => "أقصى عدد في الانتظار",
        KpiBacklogOpen => "أقصى عدد مفتوح",
        KpiCallbacksRequested => "طلبات الاتصال",
        KpiCallbacksReached => "اتصالات وصلت إلى الزائر",
        KpiHelpOpened => "مقالات مساعدة فُتحت",
        KpiHelpSelfServed => "ساعدت دون محادثة",
        VsPrevious => "مقارنةً بـ {from} – {to}",
        ChangeUp => "ارتفع {amount} عن الفترة السابقة",
        ChangeDown => "انخفض {amount} عن الفترة السابقة",
        ChartVolume => "المحادثات عبر الزمن",
        ChartFirstResponse => "أول رد (الوسيط) عبر الزمن",
        BusiestHours => "أكثر الساعات ازدحامًا",
        BusiestHoursHint => "المحادثات المفتوحة حسب اليوم والساعة",
        HeatCell => "{day} {hour}:٠٠ — {n}",
        DayMon => "الإثنين",
        DayTue => "الثلاثاء",
        DayWed => "الأربعاء",
        DayThu => "الخميس",
        DayFri => "الجمعة",
        DaySat => "السبت",
        DaySun => "الأحد",
        ColAgent => "الموظف",
        ColOnline => "متصل",
        ColLoad => "محادثات متزامنة",
        SurveyAnswers => "إجابات الاستبيان",
        NpsAnswers => "إجابات سؤال الترويج",
        DownloadCsv => "تنزيل CSV",
        NoActivity => "لم يحدث شيء في هذه الفترة بعد.",
        ReportZone => "الأيام والساعات بتوقيت {zone}",
        TimeZone => "المنطقة الزمنية (التقارير)",
        TimeZoneHint => "الأيام والساعات التي تُقرأ بها تقارير هذا الموقع، مثل Asia/Riyadh. فارغ: UTC.",
        SearchPlaceholder => "ابحث في الرسائل…",
        SearchButton => "بحث",
        AnyStatus => "أي حالة",
        StatusOpen => "مفتوحة",
        AllSites => "كل المواقع",
        AnyAgent => "أي موظف",
        FromDate => "من",
        ToDate => "إلى",
        NoMatches => "لا توجد محادثات مطابقة.",
        LoadMore => "عرض المزيد",
        HistoryFilters => "عوامل التصفية",
        ErrTooManyNotes => "لدى هذه المحادثة ١٠٠٠ ملاحظة بالفعل؛ لم تُحفظ هذه الملاحظة.",
        ErrTooManyArticles => "لدى هذا الموقع ٢٠٠ مقالة بالفعل؛ احذف واحدة قبل إضافة أخرى.",
        Seen => "شوهدت",
        Delivered => "تم التسليم",
        ContextTitle => "الزائر",
        ContextToggle => "معلومات الزائر",
        ContextNowOn => "الصفحة الحالية",
        ContextLocalTime => "الوقت المحلي",
        ContextLanguage => "اللغة",
        ContextBrowser => "المتصفح",
        ContextSystem => "النظام",
        ContextReferrer => "جاء من",
        ContextDirect => "مباشرة",
        ContextFirstSeen => "أول ظهور",
        ContextVisits => "الزيارات",
        ContextPages => "الصفحات التي زارها",
        ContextNoPages => "لم تُسجَّل أي صفحة بعد.",
        ContextPast => "المحادثات السابقة",
        ContextNoPast => "لا توجد محادثات سابقة.",
        ContextUnknown => "غير معروف",
        Transfer => "تحويل",
        TransferTitle => "تحويل هذه المحادثة",
        TransferTo => "من يتولاها",
        TransferEscalate => "تصعيد إلى مشرف",
        TransferTeam => "الفريق: {name}",
        TransferLoad => "{load} من {capacity} محادثات",
        TransferNote => "ملاحظة لمن يتولاها (اختيارية، يراها الموظفون فقط)",
        TransferSubmit => "حوّل الآن",
        TransferNobody => "لا أحد غيرك يخدم هذا الموقع بعد.",
        ErrNotAssigned => "هذه المحادثة في الانتظار وليست مسندة: تولّها بدل تحويلها.",
        ErrAgentUnavailable => "لا يستطيع هذا الزميل تولّيها الآن (غير متصل أو لا يخدم هذا الموقع). اختر غيره أو فريقًا.",
        ErrNoSupervisor => "لا يوجد مشرف متصل لهذا الموقع لديه متسع. حوّلها إلى فريق أو حاول لاحقًا.",
        RoutingTeam => "فريق التوجيه",
        RoutingTeamAny => "أي موظف في الموقع",
        RoutingTeamHint => "تنتظر المحادثات الجديدة هذا الفريق أولًا، ومن يتحدث لغة الزائر؛ وبعد مهلة اللغة (دقيقة ما لم يضبط الخادم غيرها) يمكن لأي موظف في الموقع تولّيها.",
        BusinessHours => "ساعات العمل",
        HoursOn => "استقبل المحادثات المباشرة خلال ساعات العمل فقط",
        HoursHint => "تُقرأ بالمنطقة الزمنية أعلاه. خارج هذه الساعات تخبر الأداة الزائر بموعد عودتكم وتعرض عليه ترك رسالة مع بريده الإلكتروني.",
        HoursClosed => "مغلق",
        HoursOpens => "يفتح",
        HoursCloses => "يغلق",
        Holidays => "أيام العطل",
        HolidaysHint => "تاريخ واحد في كل سطر بصيغة YYYY-MM-DD (العطل الرسمية مثلًا).",
        OfflineWhenAway => "غير متاح أيضًا كلما لم يكن أحد متصلًا",
        OfflineWhenAwayHint => "يترك الزوار رسالة مع بريدهم الإلكتروني بدل انتظار ردّ قد يستغرق ساعات.",
        LeftMessage => "ترك رسالة",
        MailedTo => "ترك الزائر هذه الرسالة أثناء غيابكم: تُرسَل ردودك أيضًا إلى {email}.",
        NotMailed => "ترك الزائر هذه الرسالة أثناء غيابكم. البريد الإلكتروني غير مُعدّ على هذا الخادم، لذا لن يرى ردّك إلا عند عودته إلى الموقع.",
        ContextName => "الاسم",
        ContextUser => "المستخدم",
        ContextVerified => "موثَّق",
        ContextEmail => "البريد الإلكتروني",
        PrechatTitle => "نموذج ما قبل المحادثة",
        PrechatHint => "أسئلة تطرحها الأداة قبل الرسالة الأولى، وتظهر الإجابات بجانب المحادثة. بلا أسئلة: يكتب الزوار مباشرة.",
        PrechatName => "الاسم",
        PrechatEmail => "البريد الإلكتروني",
        PrechatPhone => "الهاتف",
        PrechatText => "نص",
        PrechatSelect => "اختيار",
        PrechatKind => "نوع السؤال",
        PrechatKey => "المفتاح (a-z، 0-9، _)",
        PrechatRequired => "إلزامي",
        PrechatLabel => "التسمية",
        PrechatOptions => "الخيارات، واحد في كل سطر",
        PrechatAdd => "أضف سؤالًا",
        Remove => "إزالة",
        ContextAnswers => "الإجابات",
        CannedLead => "ردود محفوظة: اكتب / في مربع الرد لإدراج أحدها. المتغيرات: {visitor.name} و{agent.name} و{site.name}؛ ضع بديلًا بعد | مثل {visitor.name|there}.",
        CannedTitle => "العنوان",
        CannedShortcut => "الاختصار",
        CannedText => "النص",
        CannedScope => "من يستطيع استخدامه",
        ScopePersonal => "أنا فقط",
        ScopeGlobal => "الجميع، في كل المواقع",
        ScopeSite => "موظفو {site}",
        AddCanned => "أضف ردًا",
        NoCannedYet => "لا توجد ردود جاهزة بعد.",
        ProactiveTitle => "الرسائل الاستباقية",
        ProactiveHint => "رحّب بالزوار قبل أن يكتبوا: في الصفحات التي تختارها، بعد مدة على الصفحة، ابتداءً من زيارة معيّنة. تُرحّب القاعدة بزوار اللغات التي لها نص فيها، مرة واحدة في اليوم على الأكثر.",
        ProactiveName => "اسم القاعدة",
        ProactiveOn => "مفعّلة",
        ProactiveUrl => "الصفحات",
        UrlAny => "كل الصفحات",
        UrlContains => "الرابط يحتوي",
        UrlEquals => "الرابط هو",
        UrlGlob => "الرابط يطابق (* لأي شيء)",
        ProactivePattern => "الرابط أو جزء منه",
        ProactiveAfter => "ثوانٍ على الصفحة",
        ProactiveVisits => "ابتداءً من الزيارة",
        ProactiveText => "الرسالة",
        ProactiveAdd => "إضافة قاعدة",
        ContextProactive => "بدأت من رسالة استباقية",
        HelpArticles => "مقالات المساعدة",
        ArticlesLead => "إجابات يجدها الزوار في قسم المساعدة في النافذة، وتُقترح عليهم أثناء كتابة سؤالهم الأول. اكتب كل مقالة بلغة الزوار الذين سيقرؤونها.",
        ArticleSite => "الموقع",
        ArticleLang => "اللغة",
        ArticleQuestion => "السؤال",
        ArticleAnswer => "الإجابة",
        ArticleAnswerHint => "يظهر **الغامق** و*المائل* و`الرمز` والقوائم بـ - والروابط بتنسيقها.",
        AddArticle => "إضافة مقالة",
        NoArticlesYet => "لا توجد مقالات بعد. ابدأ بالأسئلة التي تُطرح عليك أكثر من غيرها.",
        ArticleOpened => "فُتحت",
        ArticleAskedAfter => "سألونا بعدها",
        ArticleHelped => "ساعدت دون محادثة",
        ArticlesReadOnly => "يكتب مشرفو الموقع والمديرون مقالاته.",
        Capacity => "المحادثات في آنٍ واحد",
        Languages => "اللغات",
        LanguagesHint => "رموز اللغات مفصولة بفواصل: ar, en, fa",
        TeamsField => "الفرق",
        SitesField => "المواقع",
        SitesFieldHint => "يخدم المسؤولون كل المواقع.",
        AccountDisabled => "الحساب معطّل (يُسجَّل خروجه وتعود محادثاته إلى قائمة الانتظار)",
        StatusDisabled => "معطّل",
        SetPassword => "كلمة مرور جديدة (يُسجَّل خروجه من كل مكان)",
        Edit => "تعديل",
        DeleteAgent => "حذف الموظف",
        DeleteAgentConfirm => "حذف {name}؟ تعود محادثاته المفتوحة إلى قائمة الانتظار، وتحتفظ المحادثات السابقة باسمه.",
        NoTeamsYet => "لا توجد فرق بعد.",
        TeamsLead => "اجمع الموظفين في فرق، مثل «المبيعات» أو «الدعم — العربية».",
        NewTeamName => "اسم الفريق",
        AddTeam => "إضافة فريق",
        Rename => "إعادة التسمية",
        Delete => "حذف",
        ProfileLead => "كيف يراك زملاؤك والزوار، وكلمة مرورك.",
        ChangePassword => "تغيير كلمة المرور",
        CurrentPassword => "كلمة المرور الحالية",
        NewPassword => "كلمة مرور جديدة (٨ أحرف على الأقل)",
        PasswordChanged => "تم تغيير كلمة المرور، وسُجّل الخروج من جلساتك الأخرى.",
        FieldInvalid => "تحقّق من هذا الحقل.",
        AdminOnly => "يدير المسؤولون وحدهم المواقع والموظفين والفرق.",
        You2 => "(أنت)",
        PreviewTitle => "معاينة نافذة المحادثة",
        AvatarHint => "عنوان ‎https://‎ لصورة مربعة. إن تُرك فارغًا يظهر الحرف الأول من العنوان.",
        NavCallbacks => "الاتصالات",
        CallbacksLead => "زوار طلبوا أن نتصل بهم. احجز طلبًا واتصل، ثم سجّل النتيجة.",
        CallbacksOpen => "بانتظار الاتصال",
        CallbacksClosed => "أُغلقت مؤخرًا",
        CallbacksNone => "لا أحد ينتظر اتصالًا.",
        CallbackAsap => "في أقرب وقت ممكن",
        CallbackMorning => "صباحًا (٩:٠٠–١٢:٠٠)",
        CallbackAfternoon => "بعد الظهر (١٢:٠٠–١٧:٠٠)",
        CallbackEvening => "مساءً (١٧:٠٠–٢٠:٠٠)",
        CallbackStatusRequested => "مطلوب",
        CallbackStatusClaimed => "محجوز",
        CallbackStatusDone => "تم",
        CallbackStatusFailed => "لم يُرَدّ",
        CallbackStatusCancelled => "ألغاه الزائر",
        CallbackTheirTime => "توقيته الآن {time} ‏({zone})",
        CallbackClaimedBy => "حجزه {name}",
        CallbackClosedBy => "بواسطة {name}",
        CallbackClaim => "احجز",
        CallbackOutcomeNote => "كيف جرى الاتصال؟ (اختياري)",
        CallbackMarkDone => "اتصلت: تم",
        CallbackMarkFailed => "تعذّر الوصول",
        CallbackOffer => "اعرض معاودة الاتصال",
        CallbackOfferOff => "أبدًا",
        CallbackOfferAlways => "لكل من ينتظر",
        CallbackOfferAfter => "عندما يبلغ الانتظار…",
        CallbackAfterMins => "دقائق الانتظار المتوقع",
        CallbackOfferHint => "يعرض الودجت معاودة الاتصال حين يكون الموقع غير متصل، وعلى الزائر الذي يبلغ انتظاره المتوقع الدقائق المحددة. تظهر الطلبات في «الاتصالات».",
        ErrCallbackTaken => "حجز موظف آخر هذا الطلب.",
        ErrCallbackClosed => "أُغلق هذا الطلب بالفعل.",
    }
}

fn fa(key: Key) -> &'static str {
    use Key::*;
    match key {
        SignInTitle => "ورود",
        SignInLead => "همان لحظه به بازدیدکنندگان وب‌سایتتان پاسخ دهید.",
        Email => "ایمیل",
        Password => "گذرواژه",
        SignIn => "ورود",
        SigningIn => "در حال ورود…",
        LoginWrong => "ایمیل یا گذرواژه نادرست است.",
        LoginTooMany => "تلاش‌ها بیش از حد بود. یک دقیقه صبر کنید و دوباره امتحان کنید.",
        Network => "دسترسی به سرور ممکن نیست. اتصال خود را بررسی و دوباره تلاش کنید.",
        Unexpected => "مشکلی پیش آمد. لطفاً دوباره تلاش کنید.",
        SessionEnded => "نشست شما به پایان رسید. لطفاً دوباره وارد شوید.",
        Loading => "در حال بارگذاری…",
        Online => "آنلاین",
        Away => "غایب",
        Offline => "آفلاین",
        AvailabilityHint => "وضعیت شما: گفتگوهای تازه فقط به کارشناسان آنلاین می‌رسد",
        Connected => "متصل",
        Connecting => "در حال اتصال…",
        Reconnecting => "در حال اتصال دوباره…",
        SignOut => "خروج",
        Language => "زبان",
        EnableNotifications => "فعال‌سازی اعلان‌ها",
        Waiting => "در انتظار",
        MyChats => "گفتگوهای من",
        NoOneWaiting => "کسی در انتظار نیست",
        NoChats => "گفتگوی بازی ندارید",
        Take => "پذیرفتن",
        JustNow => "همین حالا",
        MinutesShort => "{n} دقیقه",
        HoursShort => "{n} ساعت",
        DaysShort => "{n} روز",
        NoMessagesYet => "هنوز پیامی نیست",
        Visitor => "بازدیدکننده",
        You => "شما",
        PickConversation => "یک گفتگو را انتخاب کنید",
        PickHint => "گفتگویی را از فهرست انتخاب کنید تا آن را بخوانید و پاسخ دهید.",
        StatusMine => "واگذارشده به شما",
        StatusOther => "واگذارشده به {name}",
        StatusResolved => "بسته‌شده",
        Resolve => "بستن گفتگو",
        TakeToReply => "برای پاسخ دادن، این گفتگو را بپذیرید.",
        HandledByOther => "کارشناس دیگری به این گفتگو رسیدگی می‌کند.",
        ResolvedNotice => "این گفتگو بسته شده است.",
        VisitorTyping => "بازدیدکننده در حال نوشتن است…",
        ReplyPlaceholder => "پاسخی بنویسید… (Enter برای ارسال، Shift+Enter برای خط تازه)",
        ModeReply => "پاسخ",
        ModeNote => "یادداشت خصوصی",
        NotePlaceholder => "یادداشتی برای تیمتان بنویسید — بازدیدکننده آن را نمی‌بیند",
        NoteLabel => "یادداشت خصوصی",
        AddNote => "افزودن یادداشت",
        Send => "ارسال",
        Sending => "در حال ارسال…",
        NotSent => "ارسال نشد",
        Discard => "حذف",
        TooLongCount => "پیام خیلی طولانی است: {n} از {max} نویسه",
        Dismiss => "بستن",
        ErrNotQueued => "کارشناس دیگری این گفتگو را پذیرفت.",
        ErrAtCapacity => "به سقف گفتگوهای هم‌زمان رسیده‌اید. اول یکی را ببندید.",
        ErrForbidden => "در این گفتگو اجازهٔ این کار را ندارید.",
        ErrNotFound => "این گفتگو دیگر وجود ندارد.",
        ErrResolved => "این گفتگو پیش‌تر بسته شده است.",
        ErrEmpty => "پیام خالی است.",
        ErrTooLong => "پیام خیلی طولانی است.",
        ErrRateLimited => "خیلی سریع ارسال می‌کنید. کمی صبر کنید.",
        ErrEmailTaken => "کارشناسی با این ایمیل از قبل وجود دارد.",
        ErrLastAdmin => "فضای کار به یک مدیر فعال نیاز دارد: اول کس دیگری را مدیر کنید.",
        ErrWrongPassword => "رمز عبور فعلی درست نیست.",
        ErrServer => "سرور با مشکل روبه‌رو شد. چند لحظه دیگر دوباره تلاش کنید.",
        ErrProtocol => "این صفحه قدیمی است. آن را دوباره بارگذاری کنید.",
        NotifyQueued => "بازدیدکننده‌ای در انتظار است",
        NotifyCallback => "بازدیدکننده‌ای درخواست تماس داد",
        NotifyAssigned => "گفتگویی به شما واگذار شد",
        NotifyMessage => "پیام تازه",
        AlsoHere => "اینجا هم هست: {names}",
        ColleagueTyping => "{names} در حال نوشتن…",
        SoundOn => "صدا روشن",
        SoundOff => "صدا خاموش",
        TitleInbox => "صندوق گفتگوها",
        Conversations => "گفتگوها",
        Messages => "پیام‌ها",
        SocketTrouble => "اتصال زنده مدام قطع می‌شود. اگر Ahlan پشت پروکسی است، بررسی کنید که اتصال websocket (سرآیند Upgrade) و سرآیند Host را عبور دهد.",
        NavInbox => "صندوق ورودی",
        NavSettings => "تنظیمات",
        SettingsNav => "بخش‌های تنظیمات",
        Profile => "نمایهٔ من",
        Sites => "سایت‌ها",
        Agents => "کارشناسان",
        Teams => "تیم‌ها",
        SitesLead => "هر سایت یک وب‌سایت است با کد، ظاهر و صندوق ورودی خودش.",
        NewSite => "سایت جدید",
        NewSiteName => "نام سایت، مثلاً فروشگاه من",
        Create => "ایجاد",
        NoSites => "هنوز سایتی نیست. یکی بسازید تا کدش را بگیرید.",
        OriginsCount => "دامنه‌های مجاز: {n}",
        Back => "بازگشت",
        SiteDetails => "سایت",
        SiteName => "نام",
        AllowedOrigins => "دامنه‌های مجاز",
        AllowedOriginsHint => "هر خط یکی: ‎https://shop.example‎ یا ‎https://*.shop.example‎ یا ‎http://localhost:*‎. صفحه‌های دیگر نمی‌توانند گفتگو را نشان دهند.",
        Appearance => "ظاهر ابزارک",
        AccentColor => "رنگ اصلی",
        LauncherPosition => "جای دکمهٔ گفتگو",
        PositionRight => "پایین راست",
        PositionLeft => "پایین چپ",
        PositionHint => "وقتی ابزارک عربی یا فارسی است خودکار قرینه می‌شود.",
        HeaderTitle => "عنوان سربرگ",
        HeaderTitleHint => "مثلاً نام تیم شما. اگر خالی باشد نام سایت نمایش داده می‌شود.",
        GreetingField => "خوشامدگویی",
        GreetingHint => "اولین خطی که بازدیدکننده می‌خواند. اگر خالی باشد خوشامد Ahlan به زبان بازدیدکننده نمایش داده می‌شود.",
        AvatarField => "تصویر سربرگ",
        WidgetLanguage => "زبان ابزارک",
        FollowBrowser => "مطابق مرورگر بازدیدکننده",
        Preview => "پیش‌نمایش زنده",
        Snippet => "کد",
        SnippetHint => "این را پیش از ‎</body>‎ در همهٔ صفحه‌های سایت بگذارید.",
        Copy => "رونوشت",
        Copied => "رونوشت شد",
        Emoji => "شکلک‌ها",
        Show => "نمایش",
        Hide => "پنهان",
        IdentityHeading => "تأیید هویت",
        IdentityHint => "سرور شما شناسهٔ هر کاربر واردشده را با این رمز امضا می‌کند (HMAC-SHA256 به‌صورت hex) و صفحهٔ شما آن را به Ahlan.identify می‌دهد. با امضا، بازدیدکننده در همهٔ دستگاه‌هایش همان کاربر است و هیچ‌کس دیگری گفتگوهای او را باز نمی‌کند. رمز را روی سرور نگه دارید، هرگز در صفحه.",
        IdentityRotate => "ساخت رمز تازه",
        IdentityRotateConfirm => "امضاهایی که با رمز فعلی ساخته شده‌اند همین حالا از کار می‌افتند: سرورتان را با رمز تازه به‌روز کنید. ادامه می‌دهید؟",
        IdentityExample => "نحوهٔ استفاده:",
        IdentityRequired => "فقط هویت‌های امضاشده پذیرفته شوند",
        IdentityRequiredHint => "فراخوانی‌های Ahlan.identify بدون امضای درست رد می‌شوند (بازدیدکنندگانی که وارد نشده‌اند همچنان بی‌نام گفتگو می‌کنند).",
        Save => "ذخیرهٔ تغییرات",
        Saving => "در حال ذخیره…",
        Saved => "ذخیره شد",
        DangerZone => "حذف",
        DeleteSite => "حذف این سایت",
        DeleteSiteConfirm => "{name} حذف شود؟ گفتگوها و پیام‌هایش هم حذف می‌شوند و کدش دیگر کار نمی‌کند. این کار برگشت‌پذیر نیست.",
        ConfirmDelete => "بله، حذف شود",
        Cancel => "انصراف",
        SiteKey => "کلید سایت",
        AgentsLead => "کسانی که به گفتگوها پاسخ می‌دهند، اختیاراتشان و سایت‌هایی که پوشش می‌دهند.",
        NewAgent => "افزودن کارشناس",
        Name => "نام",
        Role => "نقش",
        RoleAdmin => "مدیر",
        RoleSupervisor => "سرپرست",
        RoleAgent => "کارشناس",
        RoleHint => "مدیران همه‌چیز را اداره می‌کنند؛ سرپرستان همهٔ گفتگوهای سایت‌هایشان را می‌بینند؛ کارشناسان صف سایت‌هایشان و گفتگوهای خودشان را.",
        OwnAccountHint => "این حساب خود شماست: مدیر دیگری می‌تواند نقش شما را تغییر دهد یا حساب را غیرفعال یا حذف کند.",
        CannedHint => "پاسخ‌های آماده — ↑↓ برای انتخاب، Enter برای درج، Esc برای بستن",
        CannedResponses => "پاسخ‌های آماده",
        Menu => "منو",
        PrivacyTitle => "داده‌های بازدیدکننده",
        PrivacyExport => "خروجی داده‌ها (JSON)",
        PrivacyErase => "پاک کردن بازدیدکننده…",
        PrivacyEraseWarning => "این گفتگو با پیام‌ها و یادداشت‌هایش و هر آنچه دربارهٔ این بازدیدکننده می‌دانیم برای همیشه پاک می‌شود. بازگشت‌پذیر نیست.",
        PrivacyEraseConfirm => "پاک کردن برای همیشه",
        Rated => "بازدیدکننده به این گفتگو {score} از ۵ داد",
        RatedNps => "احتمال پیشنهاد ما: {score} از ۱۰",
        SurveyNps => "از بازدیدکنندگان بپرسید چقدر احتمال دارد شما را پیشنهاد کنند (۰ تا ۱۰)",
        SurveyNpsHint => "پس از بسته شدن گفتگو، نظرسنجی امتیازی از ۱ تا ۵ می‌خواهد؛ این گزینه پرسش شاخص خالص مروجان را می‌افزاید.",
        Retention => "نگهداری گفتگوهای بسته‌شده (روز)",
        RetentionHint => "گفتگوی بسته‌شده‌ای که این تعداد روز پیامی نداشته، همراه با همهٔ داده‌های بازدیدکننده‌اش پاک می‌شود. خالی: نگهداری تا پاک کردن دستی.",
        BackToList => "بازگشت به گفتگوها",
        TypingPreview => "نمایش آنچه بازدیدکنندگان می‌نویسند پیش از ارسال به کارشناسان",
        TypingPreviewHint => "کارشناسان پیش‌نویس را هنگام نوشتن می‌بینند تا پاسخ را آماده کنند. ابزارک این را به بازدیدکنندگان می‌گوید. پیش‌نویس‌ها هرگز ذخیره نمی‌شوند.",
        DraftHint => "هنوز ارسال نشده: بازدیدکننده در حال نوشتن است",
        NavHistory => "تاریخچه",
        ReplyTimeLabel => "زمان معمول پاسخ",
        ReplyTimeUnsaid => "ذکر نشود",
        ReplyTimeMinutes => "ظرف چند دقیقه",
        ReplyTimeHours => "ظرف چند ساعت",
        ReplyTimeDay => "ظرف یک روز",
        ReplyTimeHint => "تا پیوستن یک کارشناس زیر عنوان ابزارک نشان داده می‌شود تا بازدیدکننده بداند چه انتظاری داشته باشد.",
        ColFirstResponse => "اولین پاسخ",
        ColHandle => "زمان رسیدگی",
        ColCsat => "رضایت",
        NavReports => "گزارش‌ها",
        ReportPeriod => "بازه",
        PeriodToday => "امروز",
        PeriodWeek => "۷ روز گذشته",
        PeriodMonth => "۳۰ روز گذشته",
        PeriodCustom => "بازهٔ دلخواه",
        ReportScope => "ارقامِ",
        WholeSite => "کل سایت",
        SecondsShort => "{n} ثانیه",
        KpiStarted => "گفتگوها",
        KpiAnswered => "پاسخ‌داده‌شده",
        KpiMissed => "از دست رفته",
        KpiResolved => "حل‌شده",
        KpiReopened => "بازگشایی‌شده",
        KpiTransferred => "منتقل‌شده",
        KpiFirstResponseMedian => "اولین پاسخ (میانه)",
        KpiFirstResponseP90 => "اولین پاسخ (۹۰٪)",
        KpiFirstResponseAverage => "اولین پاسخ (میانگین)",
        KpiReplyAverage => "زمان پاسخ (میانگین)",
        KpiHandleAverage => "زمان رسیدگی (میانگین)",
        KpiWaitAverage => "انتظار در صف (میانگین)",
        KpiCsat => "رضایت (CSAT)",
        KpiCsatResponseRate => "نرخ پاسخ نظرسنجی",
        KpiNps => "امتیاز خالص مروج (NPS)",
        KpiBacklogWaiting => "بیشترین منتظر هم‌زمان",
        KpiBacklogOpen => "بیشترین باز هم‌زمان",
        KpiCallbacksRequested => "درخواست‌های تماس",
        KpiCallbacksReached => "تماس‌هایی که به بازدیدکننده رسید",
        KpiHelpOpened => "مقاله‌های راهنمای باز شده",
        KpiHelpSelfServed => "کمک بدون گفتگو",
        VsPrevious => "در مقایسه با {from} – {to}",
        ChangeUp => "{amount} بیشتر از بازهٔ قبل",
        ChangeDown => "{amount} کمتر از بازهٔ قبل",
        ChartVolume => "گفتگوها در گذر زمان",
        ChartFirstResponse => "اولین پاسخ (میانه) در گذر زمان",
        BusiestHours => "شلوغ‌ترین ساعت‌ها",
        BusiestHoursHint => "گفتگوهای آغازشده، به تفکیک روز و ساعت",
        HeatCell => "{day} {hour}:۰۰ — {n}",
        DayMon => "دوشنبه",
        DayTue => "سه‌شنبه",
        DayWed => "چهارشنبه",
        DayThu => "پنجشنبه",
        DayFri => "جمعه",
        DaySat => "شنبه",
        DaySun => "یکشنبه",
        ColAgent => "کارشناس",
        ColOnline => "آنلاین",
        ColLoad => "گفتگوی هم‌زمان",
        SurveyAnswers => "پاسخ‌های نظرسنجی",
        NpsAnswers => "پاسخ‌های پرسش مروج",
        DownloadCsv => "دریافت CSV",
        NoActivity => "هنوز در این بازه چیزی ثبت نشده است.",
        ReportZone => "روزها و ساعت‌ها به وقت {zone}",
        TimeZone => "منطقهٔ زمانی (گزارش‌ها)",
        TimeZoneHint => "روزها و ساعت‌هایی که گزارش‌های این سایت با آن خوانده می‌شود، مثلاً Asia/Tehran. خالی: UTC.",
        SearchPlaceholder => "جستجو در پیام‌ها…",
        SearchButton => "جستجو",
        AnyStatus => "هر وضعیتی",
        StatusOpen => "باز",
        AllSites => "همه سایت‌ها",
        AnyAgent => "هر کارشناسی",
        FromDate => "از",
        ToDate => "تا",
        NoMatches => "هیچ گفتگویی پیدا نشد.",
        LoadMore => "بیشتر",
        HistoryFilters => "فیلترها",
        ErrTooManyNotes => "این گفتگو همین حالا ۱۰۰۰ یادداشت دارد؛ این یکی ذخیره نشد.",
        ErrTooManyArticles => "این سایت همین حالا ۲۰۰ مقاله دارد؛ پیش از افزودن مقالهٔ تازه یکی را حذف کنید.",
        Seen => "دیده شد",
        Delivered => "تحویل شد",
        ContextTitle => "بازدیدکننده",
        ContextToggle => "اطلاعات بازدیدکننده",
        ContextNowOn => "صفحهٔ فعلی",
        ContextLocalTime => "ساعت محلی",
        ContextLanguage => "زبان",
        ContextBrowser => "مرورگر",
        ContextSystem => "سیستم",
        ContextReferrer => "آمده از",
        ContextDirect => "مستقیم",
        ContextFirstSeen => "اولین بازدید",
        ContextVisits => "بازدیدها",
        ContextPages => "صفحه‌های دیده‌شده",
        ContextNoPages => "هنوز صفحه‌ای گزارش نشده است.",
        ContextPast => "گفتگوهای پیشین",
        ContextNoPast => "گفتگوی پیشینی نیست.",
        ContextUnknown => "نامعلوم",
        Transfer => "ارجاع",
        TransferTitle => "ارجاع این گفتگو",
        TransferTo => "چه کسی آن را بگیرد",
        TransferEscalate => "ارجاع به سرپرست",
        TransferTeam => "تیم: {name}",
        TransferLoad => "{load} از {capacity} گفتگو",
        TransferNote => "یادداشت برای کسی که آن را می‌گیرد (اختیاری، فقط کارشناسان می‌بینند)",
        TransferSubmit => "همین حالا ارجاع بده",
        TransferNobody => "هنوز کس دیگری به این سایت پاسخ نمی‌دهد.",
        ErrNotAssigned => "این گفتگو در صف است و به کسی سپرده نشده: به‌جای ارجاع، آن را بردارید.",
        ErrAgentUnavailable => "این همکار الان نمی‌تواند آن را بگیرد (آفلاین است یا روی این سایت نیست). کس دیگری یا یک تیم را انتخاب کنید.",
        ErrNoSupervisor => "هیچ سرپرستی از این سایت آنلاین و با ظرفیت خالی نیست. به یک تیم ارجاع دهید یا بعداً دوباره امتحان کنید.",
        RoutingTeam => "تیم مسیریابی",
        RoutingTeamAny => "هر کارشناس این سایت",
        RoutingTeamHint => "گفتگوهای تازه اول منتظر این تیم و کسی می‌مانند که زبان بازدیدکننده را می‌داند؛ پس از مهلت زبان (یک دقیقه، مگر سرور مقدار دیگری بگذارد) هر کارشناس سایت می‌تواند آن‌ها را بگیرد.",
        BusinessHours => "ساعت کاری",
        HoursOn => "گفتگوی زنده فقط در ساعت کاری",
        HoursHint => "بر پایهٔ منطقهٔ زمانی بالا. بیرون از این ساعت‌ها، ابزارک زمان بازگشت شما را می‌گوید و پیشنهاد می‌کند پیامی با ایمیل بگذارند.",
        HoursClosed => "تعطیل",
        HoursOpens => "شروع",
        HoursCloses => "پایان",
        Holidays => "روزهای تعطیل",
        HolidaysHint => "هر خط یک تاریخ، به شکل YYYY-MM-DD (مثلاً تعطیلات رسمی).",
        OfflineWhenAway => "هر وقت کسی آنلاین نیست هم آفلاین باشد",
        OfflineWhenAwayHint => "بازدیدکنندگان به‌جای انتظار برای پاسخی که شاید ساعت‌ها طول بکشد، پیامی با ایمیلشان می‌گذارند.",
        LeftMessage => "پیام گذاشته",
        MailedTo => "بازدیدکننده این را وقتی آفلاین بودید گذاشت: پاسخ‌هایتان به {email} هم ایمیل می‌شود.",
        NotMailed => "بازدیدکننده این را وقتی آفلاین بودید گذاشت. ایمیل روی این سرور راه‌اندازی نشده است، پس پاسخ شما را فقط وقتی به سایت برگردد می‌بیند.",
        ContextName => "نام",
        ContextUser => "کاربر",
        ContextVerified => "تأییدشده",
        ContextEmail => "ایمیل",
        PrechatTitle => "فرم پیش از گفتگو",
        PrechatHint => "پرسش‌هایی که ابزارک پیش از نخستین پیام می‌پرسد؛ پاسخ‌ها کنار گفتگو دیده می‌شوند. بدون پرسش، بازدیدکنندگان مستقیم می‌نویسند.",
        PrechatName => "نام",
        PrechatEmail => "ایمیل",
        PrechatPhone => "تلفن",
        PrechatText => "متن",
        PrechatSelect => "گزینه‌ای",
        PrechatKind => "نوع پرسش",
        PrechatKey => "کلید (a-z، 0-9، _)",
        PrechatRequired => "اجباری",
        PrechatLabel => "برچسب",
        PrechatOptions => "گزینه‌ها، هر خط یکی",
        PrechatAdd => "افزودن پرسش",
        Remove => "حذف",
        ContextAnswers => "پاسخ‌ها",
        CannedLead => "پاسخ‌های ذخیره‌شده: در کادر پاسخ / بنویسید تا یکی را درج کنید. متغیرها: {visitor.name}، {agent.name}، {site.name}؛ جایگزین را پس از | بنویسید، مانند {visitor.name|there}.",
        CannedTitle => "عنوان",
        CannedShortcut => "میان‌بر",
        CannedText => "متن",
        CannedScope => "چه کسی می‌تواند استفاده کند",
        ScopePersonal => "فقط من",
        ScopeGlobal => "همه، در همهٔ سایت‌ها",
        ScopeSite => "کارشناسان {site}",
        AddCanned => "افزودن پاسخ",
        NoCannedYet => "هنوز پاسخ آماده‌ای نیست.",
        ProactiveTitle => "پیام‌های پیش‌دستانه",
        ProactiveHint => "پیش از آنکه بازدیدکنندگان بنویسند به آن‌ها خوشامد بگویید: در صفحه‌هایی که انتخاب می‌کنید، پس از مدتی ماندن در صفحه، از بازدیدی مشخص. هر قاعده به بازدیدکنندگان زبان‌هایی خوشامد می‌گوید که برایشان متن دارد، حداکثر روزی یک بار.",
        ProactiveName => "نام قاعده",
        ProactiveOn => "فعال",
        ProactiveUrl => "صفحه‌ها",
        UrlAny => "همهٔ صفحه‌ها",
        UrlContains => "نشانی شامل",
        UrlEquals => "نشانی برابر با",
        UrlGlob => "نشانی مطابق با (* برای هر چیز)",
        ProactivePattern => "نشانی یا بخشی از آن",
        ProactiveAfter => "ثانیه در صفحه",
        ProactiveVisits => "از بازدید",
        ProactiveText => "پیام",
        ProactiveAdd => "افزودن قاعده",
        ContextProactive => "با پیام پیش‌دستانه آغاز شد",
        HelpArticles => "مقاله‌های راهنما",
        ArticlesLead => "پاسخ‌هایی که بازدیدکنندگان در بخش راهنمای ابزارک می‌یابند و هنگام نوشتن نخستین پرسش به آن‌ها پیشنهاد می‌شود. هر مقاله را به زبان بازدیدکنندگانی بنویسید که آن را می‌خوانند.",
        ArticleSite => "سایت",
        ArticleLang => "زبان",
        ArticleQuestion => "پرسش",
        ArticleAnswer => "پاسخ",
        ArticleAnswerHint => "**پررنگ**، *کج*، `کد`، فهرست با - و پیوندها با قالب خود نمایش داده می‌شوند.",
        AddArticle => "افزودن مقاله",
        NoArticlesYet => "هنوز مقاله‌ای نیست. از پرسش‌هایی شروع کنید که بیشتر از همه از شما می‌پرسند.",
        ArticleOpened => "باز شده",
        ArticleAskedAfter => "باز هم از ما پرسیدند",
        ArticleHelped => "بدون گفتگو کمک کرد",
        ArticlesReadOnly => "مقاله‌های سایت را سرپرستان آن و مدیران می‌نویسند.",
        Capacity => "گفتگوی هم‌زمان",
        Languages => "زبان‌ها",
        LanguagesHint => "کد زبان‌ها با ویرگول: ar, en, fa",
        TeamsField => "تیم‌ها",
        SitesField => "سایت‌ها",
        SitesFieldHint => "مدیران همهٔ سایت‌ها را پوشش می‌دهند.",
        AccountDisabled => "حساب غیرفعال (از همه‌جا خارج می‌شود و گفتگوهایش به صف برمی‌گردد)",
        StatusDisabled => "غیرفعال",
        SetPassword => "رمز عبور تازه (از همه‌جا خارج می‌شود)",
        Edit => "ویرایش",
        DeleteAgent => "حذف کارشناس",
        DeleteAgentConfirm => "{name} حذف شود؟ گفتگوهای باز او به صف برمی‌گردند و گفتگوهای گذشته نامش را نگه می‌دارند.",
        NoTeamsYet => "هنوز تیمی نیست.",
        TeamsLead => "کارشناسان را گروه کنید، مثلاً «فروش» یا «پشتیبانی — عربی».",
        NewTeamName => "نام تیم",
        AddTeam => "افزودن تیم",
        Rename => "تغییر نام",
        Delete => "حذف",
        ProfileLead => "اینکه همکاران و بازدیدکنندگان شما را چطور می‌بینند، و رمز عبورتان.",
        ChangePassword => "تغییر رمز عبور",
        CurrentPassword => "رمز عبور فعلی",
        NewPassword => "رمز عبور تازه (دست‌کم ۸ نویسه)",
        PasswordChanged => "رمز عبور تغییر کرد و نشست‌های دیگرتان بسته شدند.",
        FieldInvalid => "این فیلد را بررسی کنید.",
        AdminOnly => "فقط مدیران سایت‌ها، کارشناسان و تیم‌ها را مدیریت می‌کنند.",
        You2 => "(شما)",
        PreviewTitle => "پیش‌نمایش ابزارک گفتگو",
        AvatarHint => "نشانی ‎https://‎ یک تصویر مربعی. اگر خالی باشد حرف اول عنوان نمایش داده می‌شود.",
        NavCallbacks => "تماس‌ها",
        CallbacksLead => "بازدیدکنندگانی که خواسته‌اند با آن‌ها تماس بگیریم. یکی را بردارید، تماس بگیرید و نتیجه را ثبت کنید.",
        CallbacksOpen => "در انتظار تماس",
        CallbacksClosed => "اخیراً بسته‌شده",
        CallbacksNone => "کسی منتظر تماس نیست.",
        CallbackAsap => "هر چه زودتر",
        CallbackMorning => "صبح (۹:۰۰–۱۲:۰۰)",
        CallbackAfternoon => "بعدازظهر (۱۲:۰۰–۱۷:۰۰)",
        CallbackEvening => "عصر (۱۷:۰۰–۲۰:۰۰)",
        CallbackStatusRequested => "درخواست‌شده",
        CallbackStatusClaimed => "برداشته‌شده",
        CallbackStatusDone => "انجام شد",
        CallbackStatusFailed => "پاسخ نداد",
        CallbackStatusCancelled => "بازدیدکننده لغو کرد",
        CallbackTheirTime => "ساعت او اکنون {time} ‏({zone})",
        CallbackClaimedBy => "برداشته‌شده توسط {name}",
        CallbackClosedBy => "توسط {name}",
        CallbackClaim => "برمی‌دارم",
        CallbackOutcomeNote => "تماس چطور بود؟ (اختیاری)",
        CallbackMarkDone => "تماس گرفتم: انجام شد",
        CallbackMarkFailed => "در دسترس نبود",
        CallbackOffer => "پیشنهاد تماس تلفنی",
        CallbackOfferOff => "هرگز",
        CallbackOfferAlways => "به همهٔ منتظران",
        CallbackOfferAfter => "وقتی انتظار دست‌کم…",
        CallbackAfterMins => "دقیقهٔ انتظار تخمینی",
        CallbackOfferHint => "وقتی سایت آفلاین است، و به بازدیدکننده‌ای که انتظار تخمینی‌اش به دقیقه‌های تعیین‌شده برسد، ویجت پیشنهاد تماس تلفنی می‌دهد. درخواست‌ها در «تماس‌ها» می‌آیند.",
        ErrCallbackTaken => "همکار دیگری این درخواست را برداشته است.",
        ErrCallbackClosed => "این درخواست قبلاً بسته شده است.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_catalogue_is_complete_and_translated() {
        let problems = client::locale::catalog_problems(Key::ALL);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_error_code_has_text() {
        for &code in ErrorCode::ALL {
            assert!(!Locale::En.text(error_key(code)).is_empty());
        }
        assert_eq!(error_key(ErrorCode::NotQueued), Key::ErrNotQueued);
    }

    #[test]
    fn ago_picks_a_unit() {
        assert_eq!(ago(Locale::En, 59_000), "just now");
        assert_eq!(ago(Locale::En, 5 * 60_000), "5 min");
        assert_eq!(ago(Locale::En, 125 * 60_000), "2 h");
        assert_eq!(ago(Locale::En, 3 * 1440 * 60_000), "3 d");
        assert_eq!(ago(Locale::Fa, 5 * 60_000), "۵ دقیقه");
    }
}
