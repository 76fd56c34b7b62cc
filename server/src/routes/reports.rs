//! A site's report (`GET /api/reports`) and its tables as CSV
//! (`GET /api/reports/{table}.csv`), for admins and the supervisors of the
//! site. The figures are read from the hourly buckets
//! ([`crate::reports`]); docs/REPORTS.md defines them.

use crate::auth::Agent;
use crate::error::ApiError;
use crate::reports::compute::{report, Scope};
use crate::reports::csv::{self, Table};
use crate::reports::period::{Period, PeriodError};
use crate::reports::tally::Dim;
use crate::AppState;
use actix_web::{http::header, web, HttpResponse};
use serde::Deserialize;
use shared::reports::Report;
use shared::{AgentId, ErrorCode, Role, SiteId, TeamId};
use std::collections::HashMap;

/// Routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/api/reports", web::get().to(get))
        .route("/api/reports/{table}.csv", web::get().to(get_csv));
}

#[derive(Deserialize)]
struct Query {
    site: SiteId,
    #[serde(default = "thirty_days")]
    period: String,
    from: Option<String>,
    to: Option<String>,
    team: Option<TeamId>,
    agent: Option<AgentId>,
}

fn thirty_days() -> String {
    "30d".to_owned()
}

fn period_error(e: PeriodError) -> ApiError {
    let field = match e {
        PeriodError::Unknown(_) => "period",
        _ => "from",
    };
    ApiError::field(field, e.to_string())
}

async fn build(state: &AppState, me: &Agent, q: &Query) -> Result<Report, ApiError> {
    let me = &me.record;
    let allowed = match me.role {
        Role::Admin => true,
        Role::Supervisor => me.serves(&q.site),
        Role::Agent => false,
    };
    if !allowed {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "reports are for admins and the site's supervisors",
        ));
    }
    let site = state
        .store
        .site(&q.site)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "no such site"))?;
    let dim = match (&q.team, &q.agent) {
        (Some(_), Some(_)) => {
            return Err(ApiError::field(
                "agent",
                "ask for a team or an agent, not both",
            ))
        }
        (Some(team), None) => Dim::Team(team.clone()),
        (None, Some(agent)) => Dim::Agent(agent.clone()),
        (None, None) => Dim::Site,
    };
    let tz = site
        .time_zone
        .as_deref()
        .and_then(|z| jiff::tz::TimeZone::get(z).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let now = crate::clock::now_millis();
    let period = Period::named(&q.period, q.from.as_deref(), q.to.as_deref(), tz, now)
        .map_err(period_error)?;
    let (start, end) = period.hours().map_err(period_error)?;
    let (before, _) = period
        .previous()
        .and_then(|p| p.hours())
        .map_err(period_error)?;
    let cells = state
        .metrics
        .timed("tallies", state.store.tallies(&site.id, before, end))
        .await?;
    debug_assert!(before <= start);
    let names: HashMap<AgentId, String> = state
        .store
        .list_agents()
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let scope = Scope { site: site.id, dim };
    report(&scope, &period, &cells, &names).map_err(period_error)
}

#[utoipa::path(get, path = "/api/reports", tag = "reports", security(("session" = [])),
    params(
        ("site" = String, Query, description = "The site"),
        ("period" = Option<String>, Query, description = "`today`, `7d`, `30d` (ending today in \
            the site's time zone) or `custom` with `from` and `to` [default 30d]"),
        ("from" = Option<String>, Query, description = "First day, YYYY-MM-DD (custom)"),
        ("to" = Option<String>, Query, description = "Last day, included (custom); at most 366 days"),
        ("team" = Option<String>, Query, description = "Only this team's conversations"),
        ("agent" = Option<String>, Query, description = "Only this agent's work")),
    responses(
        (status = 200, description = "Key figures against the previous period, a series per \
            hour (one day) or day, the busiest hours and a row per agent", body = shared::reports::Report),
        (status = 400, description = "A bad period, or both team and agent", body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, description = "Not an admin nor a supervisor of the site", body = shared::ErrorBody),
        (status = 404, description = "No such site", body = shared::ErrorBody)))]
async fn get(
    state: web::Data<AppState>,
    agent: Agent,
    q: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let report = build(&state, &agent, &q).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(report))
}

#[utoipa::path(get, path = "/api/reports/{table}.csv", tag = "reports", security(("session" = [])),
    params(
        ("table" = String, Path, description = "`kpis`, `series`, `agents`, `heatmap` or `surveys`"),
        ("site" = String, Query, description = "As for /api/reports"),
        ("period" = Option<String>, Query, description = "As for /api/reports"),
        ("from" = Option<String>, Query, description = "As for /api/reports"),
        ("to" = Option<String>, Query, description = "As for /api/reports"),
        ("team" = Option<String>, Query, description = "As for /api/reports"),
        ("agent" = Option<String>, Query, description = "As for /api/reports")),
    responses(
        (status = 200, description = "The table as CSV (UTF-8, a header row; durations in \
            seconds), as a file download", content_type = "text/csv"),
        (status = 400, body = shared::ErrorBody),
        (status = 401, body = shared::ErrorBody),
        (status = 403, body = shared::ErrorBody),
        (status = 404, description = "No such site or table", body = shared::ErrorBody)))]
async fn get_csv(
    state: web::Data<AppState>,
    agent: Agent,
    path: web::Path<String>,
    q: web::Query<Query>,
) -> Result<HttpResponse, ApiError> {
    let table = Table::parse(&path).ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            "no such table (kpis, series, agents, heatmap, surveys)",
        )
    })?;
    let report = build(&state, &agent, &q).await?;
    // Ids and dates are ours (letters, digits, `_`, `-`): safe in a header.
    let file = format!(
        "attachment; filename=\"ahlan-{}-{}-{}-{}.csv\"",
        report.site,
        table.as_str(),
        report.from,
        report.to
    );
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, file))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv::write(&report, table)))
}
