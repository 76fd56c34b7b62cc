//! A report as the dashboard draws it (`GET /api/reports`): key figures
//! with the previous period's, a time series, the busiest hours and a row
//! per agent. `docs/REPORTS.md` defines every figure.

use crate::ids::{AgentId, SiteId, TeamId};
use serde::{Deserialize, Serialize};

/// Which figure a [`Kpi`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KpiKey {
    /// New conversations.
    Started,
    /// Chats given a first reply.
    Answered,
    /// Chats nobody answered within 30 minutes, or resolved unanswered.
    Missed,
    /// Resolutions.
    Resolved,
    /// Resolved conversations the visitor wrote in again.
    Reopened,
    /// Hand-overs to a colleague or team.
    Transferred,
    /// First response time, median (s).
    FirstResponseMedian,
    /// First response time, 90th percentile (s).
    FirstResponseP90,
    /// First response time, average (s).
    FirstResponseAverage,
    /// Every reply's wait, average (s).
    ReplyAverage,
    /// First assignment to resolution, average (s).
    HandleAverage,
    /// Time in the queue before an agent took it, average (s).
    WaitAverage,
    /// Average survey score, 1–5.
    Csat,
    /// Survey answers per resolution, %.
    CsatResponseRate,
    /// Net Promoter Score, −100 to 100.
    Nps,
    /// Most conversations waiting at once.
    BacklogWaiting,
    /// Most conversations open at once.
    BacklogOpen,
    /// Callback requests made (the whole site's report only).
    CallbacksRequested,
    /// Of the callbacks agents closed, the share that reached the
    /// visitor (done ÷ (done + failed)), %.
    CallbacksReached,
    /// Help articles opened in the widget (the whole site's report only).
    HelpOpened,
    /// Help articles opened after which the visitor did not write, %.
    HelpSelfServed,
}

impl KpiKey {
    /// Its wire (and CSV) name.
    pub fn as_str(self) -> &'static str {
        match self {
            KpiKey::Started => "started",
            KpiKey::Answered => "answered",
            KpiKey::Missed => "missed",
            KpiKey::Resolved => "resolved",
            KpiKey::Reopened => "reopened",
            KpiKey::Transferred => "transferred",
            KpiKey::FirstResponseMedian => "first_response_median",
            KpiKey::FirstResponseP90 => "first_response_p90",
            KpiKey::FirstResponseAverage => "first_response_average",
            KpiKey::ReplyAverage => "reply_average",
            KpiKey::HandleAverage => "handle_average",
            KpiKey::WaitAverage => "wait_average",
            KpiKey::Csat => "csat",
            KpiKey::CsatResponseRate => "csat_response_rate",
            KpiKey::Nps => "nps",
            KpiKey::BacklogWaiting => "backlog_waiting",
            KpiKey::BacklogOpen => "backlog_open",
            KpiKey::CallbacksRequested => "callbacks_requested",
            KpiKey::CallbacksReached => "callbacks_reached",
            KpiKey::HelpOpened => "help_opened",
            KpiKey::HelpSelfServed => "help_self_served",
        }
    }
}

/// What a figure counts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum KpiUnit {
    /// A number of things.
    Count,
    /// A duration in seconds.
    Seconds,
    /// A percentage.
    Percent,
    /// A score (CSAT 1–5, NPS −100–100).
    Score,
}

/// One key figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Kpi {
    /// Which.
    pub key: KpiKey,
    /// In what.
    pub unit: KpiUnit,
    /// This period's (`None`: nothing to measure, e.g. no survey answers).
    pub value: Option<f64>,
    /// The previous period's, of the same length.
    pub previous: Option<f64>,
    /// A higher value is good news (more answered) or bad (more missed).
    pub higher_is_better: bool,
}

/// One point of the time series: an hour (a one-day report) or a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesPoint {
    /// `YYYY-MM-DD` or, per hour, `YYYY-MM-DDTHH` (site's time zone).
    pub label: String,
    /// New conversations.
    pub started: u64,
    /// First replies.
    pub answered: u64,
    /// Missed chats.
    pub missed: u64,
    /// Resolutions.
    pub resolved: u64,
    /// Median first response (s).
    pub first_response_median: Option<f64>,
    /// Most waiting at once.
    pub backlog_waiting: u64,
    /// Most open at once.
    pub backlog_open: u64,
}

/// One agent's figures over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgentRow {
    /// Who.
    pub agent: AgentId,
    /// Their name (the id of a deleted account).
    pub name: String,
    /// Chats they gave the first reply.
    pub answered: u64,
    /// Chats they resolved.
    pub resolved: u64,
    /// Chats they handed over.
    pub transferred: u64,
    /// Median first response of the chats they answered first (s).
    pub first_response_median: Option<f64>,
    /// Average handle time of the chats they resolved (s).
    pub handle_average: Option<f64>,
    /// Minutes online.
    pub online_minutes: u64,
    /// Open chats on average while online.
    pub load_average: Option<f64>,
    /// Most open chats at once.
    pub load_peak: u64,
    /// Average survey score of their chats.
    pub csat: Option<f64>,
}

/// A report (`GET /api/reports`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Report {
    /// The site.
    pub site: SiteId,
    /// Its time zone (IANA name), in which days and hours are read.
    pub time_zone: String,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day (included).
    pub to: String,
    /// The previous period's first day…
    pub previous_from: String,
    /// …and last.
    pub previous_to: String,
    /// Only this team's conversations, if set.
    #[serde(default)]
    pub team: Option<TeamId>,
    /// Only this agent's work, if set.
    #[serde(default)]
    pub agent: Option<AgentId>,
    /// The key figures.
    pub kpis: Vec<Kpi>,
    /// Per hour (one day) or per day.
    pub series: Vec<SeriesPoint>,
    /// Chats opened per weekday (Monday first) and hour: 7 rows of 24.
    pub heatmap: Vec<Vec<u64>>,
    /// Per agent, busiest first (empty in an agent's own report).
    pub agents: Vec<AgentRow>,
    /// Survey answers per score, 1 to 5.
    pub csat: Vec<u64>,
    /// Net Promoter answers per score, 0 to 10.
    pub nps: Vec<u64>,
}
