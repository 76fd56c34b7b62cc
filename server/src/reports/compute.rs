//! Buckets → a report: adds up a period's cells for the dimension asked
//! about, per point of the series and per agent, and works out the key
//! figures for it and for the period before.

use super::period::{Period, PeriodError};
use super::tally::{field, Cell, Dim, Durations, HOUR};
use shared::reports::{AgentRow, Kpi, KpiKey, KpiUnit, Report, SeriesPoint};
use shared::{AgentId, Millis, SiteId};
use std::collections::{BTreeMap, HashMap};

/// What a report is about.
#[derive(Debug, Clone)]
pub struct Scope {
    /// The site.
    pub site: SiteId,
    /// The dimension: the site, a team or an agent.
    pub dim: Dim,
}

/// Fields whose cells hold a peak, not a sum.
fn is_peak(field: &str) -> bool {
    field.ends_with(".max")
        || field == field::LOAD_PEAK
        || field == field::BACKLOG_WAITING
        || field == field::BACKLOG_OPEN
}

const DURATIONS: [&str; 4] = [
    field::FIRST_RESPONSE,
    field::REPLY,
    field::HANDLE,
    field::WAIT,
];

/// A set of cells added up.
#[derive(Debug, Default, Clone)]
pub struct Sums {
    values: HashMap<String, i64>,
    durations: HashMap<&'static str, Durations>,
}

impl Sums {
    /// Adds one cell.
    pub fn take(&mut self, field: &str, value: i64) {
        if let Some((name, suffix)) = field.split_once('.') {
            if let Some(d) = DURATIONS.iter().find(|d| **d == name) {
                self.durations.entry(d).or_default().take(suffix, value);
                return;
            }
        }
        let slot = self.values.entry(field.to_owned()).or_insert(0);
        if is_peak(field) {
            *slot = (*slot).max(value);
        } else {
            *slot = slot.saturating_add(value);
        }
    }

    /// A count (0 if none).
    pub fn get(&self, field: &str) -> u64 {
        self.values
            .get(field)
            .map_or(0, |v| u64::try_from(*v).unwrap_or(0))
    }

    /// A duration's figures.
    pub fn duration(&self, field: &str) -> Durations {
        self.durations.get(field).cloned().unwrap_or_default()
    }

    /// Survey answers per score, 1–5.
    pub fn csat(&self) -> Vec<u64> {
        (1..=5)
            .map(|s| self.get(&format!("{}.{s}", field::RATED)))
            .collect()
    }

    /// Net Promoter answers per score, 0–10.
    pub fn nps(&self) -> Vec<u64> {
        (0..=10)
            .map(|s| self.get(&format!("{}.{s}", field::NPS)))
            .collect()
    }

    /// The average survey score.
    pub fn csat_average(&self) -> Option<f64> {
        let per = self.csat();
        let n: u64 = per.iter().sum();
        let total: u64 = per.iter().zip(1..).map(|(c, s)| c * s).sum();
        (n > 0).then(|| total as f64 / n as f64)
    }

    /// Promoters (9–10) minus detractors (0–6), in % of the answers.
    pub fn nps_score(&self) -> Option<f64> {
        let per = self.nps();
        let n: u64 = per.iter().sum();
        let promoters: u64 = per[9..].iter().sum();
        let detractors: u64 = per[..7].iter().sum();
        (n > 0).then(|| (promoters as f64 - detractors as f64) * 100.0 / n as f64)
    }
}

fn kpi(
    key: KpiKey,
    unit: KpiUnit,
    higher_is_better: bool,
    f: impl Fn(&Sums) -> Option<f64>,
    now: &Sums,
    before: &Sums,
) -> Kpi {
    Kpi {
        key,
        unit,
        value: f(now),
        previous: f(before),
        higher_is_better,
    }
}

fn count(field: &'static str) -> impl Fn(&Sums) -> Option<f64> {
    move |s| Some(s.get(field) as f64)
}

/// The key figures of `now` against `before`, for a report of `dim`. An
/// agent's report leaves out what belongs to chats rather than to anyone's
/// work (started, reopened, missed, backlog); callbacks and help
/// articles are the site's, asked for or read before any chat has a team
/// or an agent, so only the whole site's report has them.
pub fn kpis(now: &Sums, before: &Sums, dim: &Dim) -> Vec<Kpi> {
    let of_agent = matches!(dim, Dim::Agent(_));
    use KpiKey::*;
    use KpiUnit::*;
    let frt = |q: f64| move |s: &Sums| s.duration(field::FIRST_RESPONSE).quantile(q);
    let avg = |f: &'static str| move |s: &Sums| s.duration(f).average();
    let mut out = Vec::new();
    if !of_agent {
        out.push(kpi(
            Started,
            Count,
            true,
            count(field::STARTED),
            now,
            before,
        ));
    }
    out.push(kpi(
        Answered,
        Count,
        true,
        count(field::ANSWERED),
        now,
        before,
    ));
    if !of_agent {
        out.push(kpi(Missed, Count, false, count(field::MISSED), now, before));
    }
    out.push(kpi(
        Resolved,
        Count,
        true,
        count(field::RESOLVED),
        now,
        before,
    ));
    if !of_agent {
        out.push(kpi(
            Reopened,
            Count,
            false,
            count(field::REOPENED),
            now,
            before,
        ));
    }
    out.push(kpi(
        Transferred,
        Count,
        false,
        count(field::TRANSFERRED),
        now,
        before,
    ));
    out.push(kpi(
        FirstResponseMedian,
        Seconds,
        false,
        frt(0.5),
        now,
        before,
    ));
    out.push(kpi(FirstResponseP90, Seconds, false, frt(0.9), now, before));
    out.push(kpi(
        FirstResponseAverage,
        Seconds,
        false,
        avg(field::FIRST_RESPONSE),
        now,
        before,
    ));
    out.push(kpi(
        ReplyAverage,
        Seconds,
        false,
        avg(field::REPLY),
        now,
        before,
    ));
    out.push(kpi(
        HandleAverage,
        Seconds,
        false,
        avg(field::HANDLE),
        now,
        before,
    ));
    out.push(kpi(
        WaitAverage,
        Seconds,
        false,
        avg(field::WAIT),
        now,
        before,
    ));
    out.push(kpi(Csat, Score, true, Sums::csat_average, now, before));
    let rate = |s: &Sums| {
        let resolved = s.get(field::RESOLVED);
        (resolved > 0).then(|| s.get(field::RATED) as f64 * 100.0 / resolved as f64)
    };
    out.push(kpi(CsatResponseRate, Percent, true, rate, now, before));
    out.push(kpi(Nps, Score, true, Sums::nps_score, now, before));
    if !of_agent {
        out.push(kpi(
            BacklogWaiting,
            Count,
            false,
            count(field::BACKLOG_WAITING),
            now,
            before,
        ));
        out.push(kpi(
            BacklogOpen,
            Count,
            false,
            count(field::BACKLOG_OPEN),
            now,
            before,
        ));
    }
    if *dim == Dim::Site {
        out.push(kpi(
            CallbacksRequested,
            Count,
            false,
            count(field::CALLBACKS_REQUESTED),
            now,
            before,
        ));
        let reached = |s: &Sums| {
            let done = s.get(field::CALLBACKS_DONE);
            let called = done + s.get(field::CALLBACKS_FAILED);
            (called > 0).then(|| done as f64 * 100.0 / called as f64)
        };
        out.push(kpi(CallbacksReached, Percent, true, reached, now, before));
        out.push(kpi(
            HelpOpened,
            Count,
            true,
            count(field::HELP_OPENED),
            now,
            before,
        ));
        let served = |s: &Sums| {
            let opened = s.get(field::HELP_OPENED);
            let asked = s.get(field::HELP_ASKED).min(opened);
            (opened > 0).then(|| (opened - asked) as f64 * 100.0 / opened as f64)
        };
        out.push(kpi(HelpSelfServed, Percent, true, served, now, before));
    }
    out
}

/// The report of `scope` over `period` from `cells` (which must cover the
/// period and the one before it); `names` gives agents' names.
pub fn report(
    scope: &Scope,
    period: &Period,
    cells: &[Cell],
    names: &HashMap<AgentId, String>,
) -> Result<Report, PeriodError> {
    let previous = period.previous()?;
    let (start, end) = period.hours()?;
    let (p_start, p_end) = previous.hours()?;
    let dim = scope.dim.key();
    let mut now = Sums::default();
    let mut before = Sums::default();
    // Every point of the series, in order, even those with nothing.
    let mut points: Vec<(String, Sums)> = Vec::new();
    let mut point_of: HashMap<Millis, usize> = HashMap::new();
    let mut hour = start;
    while hour < end {
        let label = period.place(hour).label;
        if points.last().map(|(l, _)| l) != Some(&label) {
            points.push((label, Sums::default()));
        }
        point_of.insert(hour, points.len() - 1);
        hour += HOUR;
    }
    let mut heatmap = vec![vec![0u64; 24]; 7];
    let mut agents: BTreeMap<String, Sums> = BTreeMap::new();
    for cell in cells {
        let current = (start..end).contains(&cell.hour);
        if cell.dim == dim {
            if current {
                now.take(&cell.field, cell.value);
                if let Some(&i) = point_of.get(&cell.hour) {
                    points[i].1.take(&cell.field, cell.value);
                }
                if cell.field == field::STARTED || cell.field == field::REOPENED {
                    let place = period.place(cell.hour);
                    heatmap[place.weekday][place.hour] += u64::try_from(cell.value).unwrap_or(0);
                }
            } else if (p_start..p_end).contains(&cell.hour) {
                before.take(&cell.field, cell.value);
            }
        }
        if current && scope.dim == Dim::Site {
            if let Some(Dim::Agent(agent)) = Dim::parse(&cell.dim) {
                agents
                    .entry(agent.0)
                    .or_default()
                    .take(&cell.field, cell.value);
            }
        }
    }
    let series = points
        .into_iter()
        .map(|(label, s)| SeriesPoint {
            label,
            started: s.get(field::STARTED) + s.get(field::REOPENED),
            answered: s.get(field::ANSWERED),
            missed: s.get(field::MISSED),
            resolved: s.get(field::RESOLVED),
            first_response_median: s.duration(field::FIRST_RESPONSE).quantile(0.5),
            backlog_waiting: s.get(field::BACKLOG_WAITING),
            backlog_open: s.get(field::BACKLOG_OPEN),
        })
        .collect();
    let mut agents: Vec<AgentRow> = agents
        .into_iter()
        .map(|(id, s)| {
            let agent = AgentId(id);
            let online = s.get(field::ONLINE);
            AgentRow {
                name: names
                    .get(&agent)
                    .cloned()
                    .unwrap_or_else(|| agent.as_str().to_owned()),
                agent,
                answered: s.get(field::ANSWERED),
                resolved: s.get(field::RESOLVED),
                transferred: s.get(field::TRANSFERRED),
                first_response_median: s.duration(field::FIRST_RESPONSE).quantile(0.5),
                handle_average: s.duration(field::HANDLE).average(),
                online_minutes: online,
                load_average: (online > 0).then(|| s.get(field::LOAD) as f64 / online as f64),
                load_peak: s.get(field::LOAD_PEAK),
                csat: s.csat_average(),
            }
        })
        .collect();
    agents.sort_by(|a, b| {
        (b.resolved + b.answered)
            .cmp(&(a.resolved + a.answered))
            .then_with(|| a.name.cmp(&b.name))
    });
    let (team, agent) = match &scope.dim {
        Dim::Site => (None, None),
        Dim::Team(t) => (Some(t.clone()), None),
        Dim::Agent(a) => (None, Some(a.clone())),
    };
    Ok(Report {
        site: scope.site.clone(),
        time_zone: period.tz.iana_name().unwrap_or("UTC").to_owned(),
        from: period.from.to_string(),
        to: period.to.to_string(),
        previous_from: previous.from.to_string(),
        previous_to: previous.to.to_string(),
        team,
        agent,
        kpis: kpis(&now, &before, &scope.dim),
        series,
        heatmap,
        agents,
        csat: now.csat(),
        nps: now.nps(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::clocks::{step, Clocks, Step, Whose};
    use crate::reports::period::parse_date;
    use crate::reports::tally::{hour_of, TallyOp};
    use jiff::tz::TimeZone;
    use shared::TeamId;

    /// Cells as a store keeps them: counts applied in order.
    #[derive(Default)]
    struct Cells(BTreeMap<(Millis, String, String), i64>);

    impl Cells {
        fn run(&mut self, steps: &[(&str, Step, Whose)]) {
            let mut clocks: Option<Clocks> = None;
            for (at, s, whose) in steps {
                let now = at.parse::<jiff::Timestamp>().unwrap().as_millisecond() as Millis;
                let (next, counts) = step(clocks.as_ref(), s, whose, now);
                for c in counts.into_vec() {
                    let slot = self.0.entry((hour_of(now), c.dim, c.field)).or_insert(0);
                    *slot = match c.op {
                        TallyOp::Add => *slot + c.value,
                        TallyOp::Max => (*slot).max(c.value),
                    };
                }
                clocks = Some(next);
            }
        }

        fn cells(&self) -> Vec<Cell> {
            self.0
                .iter()
                .map(|((hour, dim, field), value)| Cell {
                    hour: *hour,
                    dim: dim.clone(),
                    field: field.clone(),
                    value: *value,
                })
                .collect()
        }
    }

    fn who(agent: Option<&str>) -> Whose {
        Whose {
            team: Some(TeamId("t_1".into())),
            agent: agent.map(|a| AgentId(a.into())),
        }
    }

    fn opened() -> Step {
        Step::VisitorMessage {
            opened: true,
            reopened: false,
        }
    }

    /// One chat answered after `frt` by `agent`, resolved and rated.
    fn chat(cells: &mut Cells, day: &str, time: &str, frt_min: u32, agent: &str, score: u8) {
        let at = |min: u32| {
            let t = format!("{day}T{time}:00Z");
            let ts = t.parse::<jiff::Timestamp>().unwrap();
            ts.checked_add(jiff::Span::new().minutes(i64::from(min)))
                .unwrap()
                .to_string()
        };
        let steps = [
            (at(0), opened(), who(None)),
            (at(0), Step::Assigned, who(Some(agent))),
            (at(frt_min), Step::AgentReply, who(Some(agent))),
            (at(frt_min + 10), Step::Resolved, who(Some(agent))),
            (
                at(frt_min + 11),
                Step::Rated { score, nps: None },
                who(Some(agent)),
            ),
        ];
        let steps: Vec<(&str, Step, Whose)> = steps
            .iter()
            .map(|(t, s, w)| (t.as_str(), s.clone(), w.clone()))
            .collect();
        cells.run(&steps);
    }

    fn value(r: &Report, key: KpiKey) -> (Option<f64>, Option<f64>) {
        let k = r.kpis.iter().find(|k| k.key == key).unwrap();
        (k.value, k.previous)
    }

    fn tehran_week() -> Period {
        Period::new(
            parse_date("2026-11-16").unwrap(),
            parse_date("2026-11-22").unwrap(),
            TimeZone::get("Asia/Tehran").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn a_hand_counted_week_against_the_one_before() {
        let mut cells = Cells::default();
        // This week (Tehran, +03:30): three chats by Ann, one by Bob.
        chat(&mut cells, "2026-11-16", "08:00", 2, "a_ann", 5);
        chat(&mut cells, "2026-11-17", "08:00", 4, "a_ann", 4);
        chat(&mut cells, "2026-11-18", "08:00", 30, "a_ann", 3);
        chat(&mut cells, "2026-11-18", "09:00", 1, "a_bob", 5);
        // 20:45 UTC on the 22nd is 00:15 on the 23rd in Tehran: next week.
        chat(&mut cells, "2026-11-22", "20:45", 1, "a_bob", 1);
        // The week before: one slow chat.
        chat(&mut cells, "2026-11-10", "08:00", 60, "a_ann", 2);
        let names = HashMap::from([(AgentId("a_ann".into()), "Ann".to_owned())]);
        let scope = Scope {
            site: SiteId("s_1".into()),
            dim: Dim::Site,
        };
        let r = report(&scope, &tehran_week(), &cells.cells(), &names).unwrap();
        assert_eq!(value(&r, KpiKey::Started), (Some(4.0), Some(1.0)));
        assert_eq!(value(&r, KpiKey::Resolved), (Some(4.0), Some(1.0)));
        assert_eq!(value(&r, KpiKey::Missed), (Some(0.0), Some(0.0)));
        // First responses 1, 2, 4 and 30 min: average 9.25 min exactly.
        assert_eq!(value(&r, KpiKey::FirstResponseAverage).0, Some(555.0));
        let median = value(&r, KpiKey::FirstResponseMedian).0.unwrap();
        assert!((120.0..=240.0).contains(&median), "{median}");
        assert_eq!(value(&r, KpiKey::Csat), (Some(17.0 / 4.0), Some(2.0)));
        assert_eq!(value(&r, KpiKey::CsatResponseRate).0, Some(100.0));
        assert_eq!(value(&r, KpiKey::Nps).0, None);
        assert_eq!(r.csat, [0, 0, 1, 1, 2]);
        // Seven days, Monday the 16th first. The UTC hour 08:00–09:00 is
        // 11:30–12:30 in Tehran: placed by its middle, at 12.
        assert_eq!(r.series.len(), 7);
        assert_eq!(r.series[0].label, "2026-11-16");
        assert_eq!(r.series[2].started, 2);
        assert_eq!(r.series[6].started, 0);
        assert_eq!(r.heatmap[0][12], 1);
        assert_eq!((r.heatmap[2][12], r.heatmap[2][13]), (1, 1));
        assert_eq!(r.heatmap.iter().flatten().sum::<u64>(), 4);
        // Ann did three, Bob one; Bob has no name on file.
        assert_eq!(r.agents.len(), 2);
        assert_eq!(
            (r.agents[0].name.as_str(), r.agents[0].resolved),
            ("Ann", 3)
        );
        assert_eq!(
            (r.agents[1].name.as_str(), r.agents[1].resolved),
            ("a_bob", 1)
        );
        assert_eq!(r.agents[0].csat, Some(4.0));
    }

    #[test]
    fn an_agents_report_has_their_work_only() {
        let mut cells = Cells::default();
        chat(&mut cells, "2026-11-16", "08:00", 2, "a_ann", 5);
        chat(&mut cells, "2026-11-17", "08:00", 4, "a_bob", 1);
        let scope = Scope {
            site: SiteId("s_1".into()),
            dim: Dim::Agent(AgentId("a_ann".into())),
        };
        let r = report(&scope, &tehran_week(), &cells.cells(), &HashMap::new()).unwrap();
        assert_eq!(value(&r, KpiKey::Resolved).0, Some(1.0));
        assert_eq!(value(&r, KpiKey::Csat).0, Some(5.0));
        assert!(r.kpis.iter().all(|k| k.key != KpiKey::Started));
        assert!(r.agents.is_empty());
        assert_eq!(r.agent, Some(AgentId("a_ann".into())));
    }

    #[test]
    fn help_articles_count_in_the_whole_sites_report_only() {
        let hour = |at: &str| at.parse::<jiff::Timestamp>().unwrap().as_millisecond() as Millis;
        let cell = |at: &str, field: &str, value: i64| Cell {
            hour: hour_of(hour(at)),
            dim: Dim::Site.key(),
            field: field.to_owned(),
            value,
        };
        let cells = vec![
            // This week: 8 opened, 2 of them followed by a message.
            cell("2026-11-16T08:00:00Z", field::HELP_OPENED, 5),
            cell("2026-11-18T10:00:00Z", field::HELP_OPENED, 3),
            cell("2026-11-18T10:00:00Z", field::HELP_ASKED, 2),
            // The week before: 2 opened, both followed by a message.
            cell("2026-11-10T08:00:00Z", field::HELP_OPENED, 2),
            cell("2026-11-10T08:00:00Z", field::HELP_ASKED, 2),
        ];
        let site = Scope {
            site: SiteId("s_1".into()),
            dim: Dim::Site,
        };
        let r = report(&site, &tehran_week(), &cells, &HashMap::new()).unwrap();
        assert_eq!(value(&r, KpiKey::HelpOpened), (Some(8.0), Some(2.0)));
        assert_eq!(value(&r, KpiKey::HelpSelfServed), (Some(75.0), Some(0.0)));
        // Nothing opened: no rate rather than 0 %.
        let quiet = report(&site, &tehran_week(), &[], &HashMap::new()).unwrap();
        assert_eq!(value(&quiet, KpiKey::HelpSelfServed), (None, None));
        for dim in [
            Dim::Team(TeamId("t_1".into())),
            Dim::Agent(AgentId("a_ann".into())),
        ] {
            let scope = Scope {
                site: SiteId("s_1".into()),
                dim,
            };
            let r = report(&scope, &tehran_week(), &cells, &HashMap::new()).unwrap();
            assert!(r.kpis.iter().all(|k| k.key != KpiKey::HelpOpened));
        }
    }

    #[test]
    fn callbacks_count_requests_and_the_share_that_reached_the_visitor() {
        let at =
            |t: &str| hour_of(t.parse::<jiff::Timestamp>().unwrap().as_millisecond() as Millis);
        let cell = |t: &str, field: &str, value: i64| Cell {
            hour: at(t),
            dim: Dim::Site.key(),
            field: field.to_owned(),
            value,
        };
        let cells = vec![
            cell("2026-11-16T08:00:00Z", field::CALLBACKS_REQUESTED, 6),
            cell("2026-11-16T09:00:00Z", field::CALLBACKS_DONE, 3),
            cell("2026-11-17T09:00:00Z", field::CALLBACKS_FAILED, 1),
            // A cancelled one is neither reached nor missed.
            cell("2026-11-17T09:00:00Z", field::CALLBACKS_CANCELLED, 2),
        ];
        let site = Scope {
            site: SiteId("s_1".into()),
            dim: Dim::Site,
        };
        let r = report(&site, &tehran_week(), &cells, &HashMap::new()).unwrap();
        assert_eq!(
            value(&r, KpiKey::CallbacksRequested),
            (Some(6.0), Some(0.0))
        );
        assert_eq!(value(&r, KpiKey::CallbacksReached), (Some(75.0), None));
        let team = Scope {
            site: SiteId("s_1".into()),
            dim: Dim::Team(TeamId("t_1".into())),
        };
        let r = report(&team, &tehran_week(), &cells, &HashMap::new()).unwrap();
        assert!(r.kpis.iter().all(|k| k.key != KpiKey::CallbacksRequested));
    }

    #[test]
    fn nps_counts_promoters_less_detractors() {
        let mut s = Sums::default();
        for (score, n) in [(10, 5), (9, 1), (8, 2), (6, 1), (0, 1)] {
            s.take(&format!("nps.{score}"), n);
        }
        // 6 promoters, 2 detractors, 10 answers.
        assert_eq!(s.nps_score(), Some(40.0));
    }

    #[test]
    fn peaks_are_the_highest_sample_not_a_sum() {
        let mut s = Sums::default();
        s.take(field::BACKLOG_WAITING, 3);
        s.take(field::BACKLOG_WAITING, 7);
        s.take(field::BACKLOG_WAITING, 2);
        s.take(field::STARTED, 3);
        s.take(field::STARTED, 4);
        assert_eq!(s.get(field::BACKLOG_WAITING), 7);
        assert_eq!(s.get(field::STARTED), 7);
    }
}
