//! The reports screen (admins and supervisors): a site's figures over a
//! period — key figures against the period before, conversations and
//! first response over time, the busiest hours, each agent's work and the
//! survey answers — each table downloadable as CSV. Charts are SVG drawn
//! here (no charting library in the bundle); their geometry and every
//! number format live in [`crate::reports`].

use crate::api::{self, Failure};
use crate::app::Lang;
use crate::components::rating;
use crate::fmt;
use crate::i18n::{self, Key, Locale};
use crate::reports::{self as r, PeriodChoice, Query};
use leptos::prelude::*;
use shared::api::{SiteInfo, Team};
use shared::reports::{AgentRow, Kpi, KpiUnit, Report};

/// The chart's drawing area, in SVG units.
const W: f64 = 560.0;
const H: f64 = 180.0;
/// Room for the y axis' labels on one side, and a little on the other.
const AXIS: f64 = 72.0;
const PAD: f64 = 16.0;
const TOP: f64 = 12.0;

/// The screen.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = expect_context::<Lang>();
    let query = RwSignal::new(Query::default());
    let sites = RwSignal::new(Vec::<SiteInfo>::new());
    let teams = RwSignal::new(Vec::<Team>::new());
    let report = RwSignal::new(None::<Result<Report, Failure>>);
    let busy = RwSignal::new(false);
    // The scope's agents: those the whole site's report found at work.
    let agents = RwSignal::new(Vec::<(String, String)>::new());
    leptos::task::spawn_local(async move {
        if let Ok(list) = api::get::<Vec<SiteInfo>>("/api/sites").await {
            if let Some(first) = list.first() {
                let first = first.id.to_string();
                query.try_update(|q| {
                    if q.site.is_empty() {
                        q.site = first;
                    }
                });
            }
            sites.try_set(list);
        }
        if let Ok(list) = api::get::<Vec<Team>>("/api/teams").await {
            teams.try_set(list);
        }
    });
    // Asks again whenever the query changes; an answer to an older query
    // that arrives late is dropped.
    Effect::new(move |_| {
        let q = query.get();
        if !q.ready() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            let got = api::get::<Report>(&q.path()).await;
            if query.get_untracked() == q {
                // The whole site's report lists who worked: the scope's
                // agents, kept while one of them (or a team) is shown.
                if let Ok(r) = &got {
                    if r.team.is_none() && r.agent.is_none() {
                        agents.try_set(
                            r.agents
                                .iter()
                                .map(|a| (a.agent.to_string(), a.name.clone()))
                                .collect(),
                        );
                    }
                }
                report.try_set(Some(got));
                busy.try_set(false);
            }
        });
    });
    let set = move |f: fn(&mut Query, String)| {
        move |ev: leptos::ev::Event| {
            let value = event_target_value(&ev);
            query.update(|q| f(q, value));
        }
    };
    let custom = move || query.with(|q| q.period == PeriodChoice::Custom);

    view! {
        <div class="reports" data-test="reports" aria-busy=move || busy.get().to_string()>
            <header class="reports-head">
                <h1>{move || lang.t(Key::NavReports)}</h1>
                <form class="reports-filters" on:submit=|ev| ev.prevent_default()>
                    <select
                        data-test="reports-site"
                        aria-label=move || lang.t(Key::Sites)
                        on:change=set(|q, v| q.site = v)
                    >
                        <For
                            each=move || sites.get()
                            key=|s| s.id.clone()
                            children=move |s| {
                                let id = s.id.to_string();
                                let selected = {
                                    let id = id.clone();
                                    move || query.with(|q| q.site == id)
                                };
                                view! { <option value=id selected=selected>{s.name}</option> }
                            }
                        />
                    </select>
                    <select
                        data-test="reports-period"
                        aria-label=move || lang.t(Key::ReportPeriod)
                        on:change=set(|q, v| q.period = PeriodChoice::parse(&v))
                    >
                        {PeriodChoice::ALL
                            .into_iter()
                            .map(|p| {
                                view! {
                                    <option value=p.value() selected=move || query.with(|q| q.period == p)>
                                        {move || lang.t(p.key())}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <Show when=custom>
                        <label class="history-date">
                            <span>{move || lang.t(Key::FromDate)}</span>
                            <input type="date" data-test="reports-from" on:change=set(|q, v| q.from = v) />
                        </label>
                        <label class="history-date">
                            <span>{move || lang.t(Key::ToDate)}</span>
                            <input type="date" data-test="reports-to" on:change=set(|q, v| q.to = v) />
                        </label>
                    </Show>
                    <select
                        data-test="reports-scope"
                        aria-label=move || lang.t(Key::ReportScope)
                        on:change=set(|q, v| q.scope = v)
                    >
                        <option value="" selected=move || query.with(|q| q.scope.is_empty())>
                            {move || lang.t(Key::WholeSite)}
                        </option>
                        <Show when=move || teams.with(|t| !t.is_empty())>
                            <optgroup label=move || lang.t(Key::Teams)>
                                {move || {
                                    teams
                                        .get()
                                        .into_iter()
                                        .map(|t| view! { <ScopeOption value=format!("team:{}", t.id) label=t.name query=query /> })
                                        .collect_view()
                                }}
                            </optgroup>
                        </Show>
                        <Show when=move || agents.with(|a| !a.is_empty())>
                            <optgroup label=move || lang.t(Key::Agents)>
                                {move || {
                                    agents
                                        .get()
                                        .into_iter()
                                        .map(|(id, name)| view! { <ScopeOption value=format!("agent:{id}") label=name query=query /> })
                                        .collect_view()
                                }}
                            </optgroup>
                        </Show>
                    </select>
                </form>
            </header>
            {move || match report.get() {
                None => view! { <p class="list-empty">{move || lang.t(Key::Loading)}</p> }.into_any(),
                Some(Err(f)) => {
                    let key = crate::components::form::failure_key(&f);
                    view! { <p class="form-error" role="alert">{move || lang.t(key)}</p> }.into_any()
                }
                Some(Ok(report)) => {
                    view! { <ReportView report=report query=query.get_untracked() /> }.into_any()
                }
            }}
        </div>
    }
}

/// One choice of the scope picker, selected while it is the query's (so
/// the picker says whose figures are shown, after a redraw too).
#[component]
fn ScopeOption(value: String, label: String, query: RwSignal<Query>) -> impl IntoView {
    let chosen = value.clone();
    view! { <option value=value selected=move || query.with(|q| q.scope == chosen)>{label}</option> }
}

/// A "Download CSV" link for one table.
#[component]
fn CsvLink(query: Query, table: &'static str) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <a class="btn btn-ghost btn-small" href=query.csv(table) download="" data-test=format!("csv-{table}")>
            {move || lang.t(Key::DownloadCsv)}
        </a>
    }
}

/// A section with its title and CSV link.
#[component]
fn Section(
    title: Key,
    query: Option<(Query, &'static str)>,
    test: &'static str,
    children: Children,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    view! {
        <section class="card report-section" data-test=test>
            <div class="report-section-head">
                <h2>{move || lang.t(title)}</h2>
                {query.map(|(q, table)| view! { <CsvLink query=q table=table /> })}
            </div>
            {children()}
        </section>
    }
}

/// One report, drawn.
#[component]
fn ReportView(report: Report, query: Query) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let zone = report.time_zone.clone();
    let (pf, pt) = (report.previous_from.clone(), report.previous_to.clone());
    let compared = move || {
        let l = lang.get();
        i18n::fill(
            l.text(Key::VsPrevious),
            &[
                ("from", &fmt::report_label(l, &pf)),
                ("to", &fmt::report_label(l, &pt)),
            ],
        )
    };
    let quiet = report
        .kpis
        .iter()
        .filter(|k| k.unit == KpiUnit::Count)
        .all(|k| k.value.unwrap_or(0.0) == 0.0);
    let labels: Vec<String> = report.series.iter().map(|p| p.label.clone()).collect();
    let labels_too = labels.clone();
    let volume = vec![
        Line {
            key: Key::KpiStarted,
            class: "line-started",
            values: report
                .series
                .iter()
                .map(|p| Some(p.started as f64))
                .collect(),
        },
        Line {
            key: Key::KpiAnswered,
            class: "line-answered",
            values: report
                .series
                .iter()
                .map(|p| Some(p.answered as f64))
                .collect(),
        },
        Line {
            key: Key::KpiMissed,
            class: "line-missed",
            values: report
                .series
                .iter()
                .map(|p| Some(p.missed as f64))
                .collect(),
        },
    ];
    let first_response = vec![Line {
        key: Key::KpiFirstResponseMedian,
        class: "line-started",
        values: report
            .series
            .iter()
            .map(|p| p.first_response_median)
            .collect(),
    }];
    let has_nps = report.nps.iter().any(|n| *n > 0);
    let kpis = report.kpis.clone();
    let (agents, heat, csat, nps) = (
        report.agents.clone(),
        report.heatmap.clone(),
        report.csat.clone(),
        report.nps.clone(),
    );
    let has_agents = !agents.is_empty();
    view! {
        <p class="muted report-zone" data-test="report-zone">
            {move || i18n::fill(lang.t(Key::ReportZone), &[("zone", &zone)])}
            " · "
            {compared}
        </p>
        <Show when=move || quiet>
            <p class="list-empty" data-test="report-quiet">{move || lang.t(Key::NoActivity)}</p>
        </Show>
        <div class="kpi-grid" data-test="kpis">
            {kpis.into_iter().map(|k| view! { <KpiCard kpi=k /> }).collect_view()}
        </div>
        <div class="report-actions">
            <CsvLink query=query.clone() table="kpis" />
        </div>
        <div class="report-charts">
            <Section title=Key::ChartVolume query=Some((query.clone(), "series")) test="chart-volume">
                <LineChart lines=volume labels=labels durations=false />
            </Section>
            <Section title=Key::ChartFirstResponse query=None test="chart-first-response">
                <LineChart lines=first_response labels=labels_too durations=true />
            </Section>
        </div>
        <Section title=Key::BusiestHours query=Some((query.clone(), "heatmap")) test="heatmap">
            <Heatmap cells=heat />
        </Section>
        {has_agents.then(|| view! {
            <Section title=Key::Agents query=Some((query.clone(), "agents")) test="agents-table">
                <AgentsTable rows=agents />
            </Section>
        })}
        <div class="report-charts">
            <Section title=Key::SurveyAnswers query=Some((query.clone(), "surveys")) test="csat">
                <Bars counts=csat first=1 faces=true />
            </Section>
            {has_nps.then(|| view! {
                <Section title=Key::NpsAnswers query=None test="nps">
                    <Bars counts=nps first=0 faces=false />
                </Section>
            })}
        </div>
    }
}

/// One key figure, with its change against the previous period.
#[component]
fn KpiCard(kpi: Kpi) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let change = r::change(&kpi);
    let key = kpi.key;
    let value = {
        let kpi = kpi.clone();
        move || r::value_text(lang.get(), &kpi)
    };
    view! {
        <div class="kpi-card" data-test="kpi" data-key=key.as_str()>
            <span class="kpi-label">{move || lang.t(r::kpi_key(key))}</span>
            <span class="kpi-value" data-test="kpi-value">{value}</span>
            {change.map(|c| {
                let text = move || r::change_text(lang.get(), &c);
                let spoken = move || {
                    let l = lang.get();
                    let amount = r::change_text(l, &c).chars().skip(2).collect::<String>();
                    let key = if c.up { Key::ChangeUp } else { Key::ChangeDown };
                    i18n::fill(l.text(key), &[("amount", &amount)])
                };
                view! {
                    <span
                        class="kpi-change"
                        class:good=c.good
                        class:bad=!c.good
                        data-test="kpi-change"
                        title=spoken
                        aria-label=spoken
                    >
                        {text}
                    </span>
                }
            })}
        </div>
    }
}

/// One line of a chart.
#[derive(Debug, Clone)]
struct Line {
    key: Key,
    class: &'static str,
    values: Vec<Option<f64>>,
}

/// A line chart over the report's points, drawn in the page's reading
/// direction: time runs right to left in Arabic and Persian.
#[component]
fn LineChart(lines: Vec<Line>, labels: Vec<String>, durations: bool) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let max = lines
        .iter()
        .flat_map(|l| l.values.iter().flatten())
        .fold(0.0f64, |a, b| a.max(*b));
    let max = if durations {
        r::duration_scale_max(max)
    } else {
        r::scale_max(max)
    };
    let y_text = move |l: Locale, v: f64| {
        if durations {
            r::duration(l, v)
        } else {
            l.number(v.round() as i64)
        }
    };
    let n = labels.len();
    let legend = lines.clone();
    let title = lines.first().map(|l| l.key).unwrap_or(Key::NavReports);
    let draw = move || {
        let l = lang.get();
        let rtl = l.is_rtl();
        // The plot's left edge: past the axis labels (on the right in RTL).
        let left = if rtl { PAD } else { AXIS };
        let label_x = if rtl { left + W + 8.0 } else { left - 8.0 };
        let anchor = if rtl { "start" } else { "end" };
        let ticks: Vec<f64> = if durations || max >= 2.0 {
            vec![0.0, max / 2.0, max]
        } else {
            vec![0.0, max]
        };
        let grid = ticks
            .into_iter()
            .map(|t| {
                let y = TOP + H - t / max * H;
                view! {
                    <line class="chart-grid" x1=left x2=left + W y1=y y2=y></line>
                    <text class="chart-tick" x=label_x y=y + 4.0 text-anchor=anchor>{y_text(l, t)}</text>
                }
            })
            .collect_view();
        let x_of = |i: usize| {
            let x = if n > 1 {
                i as f64 * W / (n - 1) as f64
            } else {
                W / 2.0
            };
            left + if rtl { W - x } else { x }
        };
        // The SVG is laid out left to right (CSS), so anchors mean the
        // same in both directions: the ends' labels stay inside.
        let xs = r::label_indices(n, 6)
            .into_iter()
            .map(|i| {
                let at_left = (i == 0) != rtl;
                let anchor = if n < 2 || (i != 0 && i != n - 1) {
                    "middle"
                } else if at_left {
                    "start"
                } else {
                    "end"
                };
                view! {
                    <text class="chart-tick" x=x_of(i) y=TOP + H + 18.0 text-anchor=anchor>
                        {fmt::report_label(l, &labels[i])}
                    </text>
                }
            })
            .collect_view();
        let paths = lines
            .iter()
            .map(|line| {
                let pts = r::points(&line.values, max, W, H, rtl);
                let dots = (n <= 31).then(|| {
                    line.values
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| v.map(|v| (i, v)))
                        .map(|(i, v)| {
                            let tip = format!(
                                "{} · {}: {}",
                                fmt::report_label(l, &labels[i]),
                                l.text(line.key),
                                y_text(l, v)
                            );
                            view! {
                                <circle class=format!("chart-dot {}", line.class) cx=x_of(i) cy=TOP + H - v / max * H r="3">
                                    <title>{tip}</title>
                                </circle>
                            }
                        })
                        .collect_view()
                });
                view! {
                    <polyline
                        class=format!("chart-line {}", line.class)
                        transform=format!("translate({left} {TOP})")
                        points=pts
                    ></polyline>
                    {dots}
                }
            })
            .collect_view();
        view! {
            {grid}
            {xs}
            {paths}
        }
    };
    view! {
        <svg
            class="chart"
            viewBox=format!("0 0 {} {}", AXIS + W + PAD, TOP + H + 26.0)
            role="img"
            aria-label=move || lang.t(title)
        >
            {draw}
        </svg>
        <ul class="chart-legend">
            {legend
                .into_iter()
                .map(|line| {
                    view! {
                        <li>
                            <span class=format!("legend-swatch {}", line.class) aria-hidden="true"></span>
                            {move || lang.t(line.key)}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

use crate::i18n::WEEKDAYS as DAYS;

/// Chats opened per weekday and hour: a table whose cells are shaded by
/// how busy the hour is (and say their count to assistive technology).
#[component]
fn Heatmap(cells: Vec<Vec<u64>>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let max = cells.iter().flatten().copied().max().unwrap_or(0);
    view! {
        <div class="heatmap-scroll">
            <table class="heatmap">
                <thead>
                    <tr>
                        <th></th>
                        {(0..24)
                            .map(|h| {
                                view! {
                                    <th scope="col">
                                        {move || (h % 3 == 0).then(|| lang.get().number(h))}
                                    </th>
                                }
                            })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {cells
                        .into_iter()
                        .zip(DAYS)
                        .map(|(hours, day)| {
                            view! {
                                <tr>
                                    <th scope="row">{move || lang.t(day)}</th>
                                    {hours
                                        .into_iter()
                                        .enumerate()
                                        .map(|(h, n)| {
                                            let level = r::heat_level(n, max);
                                            let label = move || {
                                                let l = lang.get();
                                                i18n::fill(
                                                    l.text(Key::HeatCell),
                                                    &[
                                                        ("day", l.text(day)),
                                                        ("hour", &l.digits(&format!("{h:02}"))),
                                                        ("n", &l.number(n)),
                                                    ],
                                                )
                                            };
                                            view! {
                                                <td class=format!("heat heat-{level}") title=label aria-label=label></td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <p class="field-hint">{move || lang.t(Key::BusiestHoursHint)}</p>
    }
}

/// Each agent's work, busiest first, with a bar for what they resolved.
#[component]
fn AgentsTable(rows: Vec<AgentRow>) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let most = rows.iter().map(|a| a.resolved).max().unwrap_or(0).max(1);
    let head = [
        Key::ColAgent,
        Key::KpiAnswered,
        Key::KpiResolved,
        Key::KpiTransferred,
        Key::ColFirstResponse,
        Key::ColHandle,
        Key::ColOnline,
        Key::ColLoad,
        Key::ColCsat,
    ];
    view! {
        <div class="table-scroll">
            <table class="report-table">
                <thead>
                    <tr>
                        {head.into_iter().map(|k| view! { <th scope="col">{move || lang.t(k)}</th> }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|a| {
                            let share = a.resolved as f64 * 100.0 / most as f64;
                            let opt_duration = move |l: Locale, v: Option<f64>| {
                                v.map_or_else(|| "—".to_owned(), |v| r::duration(l, v))
                            };
                            let (frt, handle, csat, load_avg) =
                                (a.first_response_median, a.handle_average, a.csat, a.load_average);
                            let (answered, resolved, transferred, online, peak) =
                                (a.answered, a.resolved, a.transferred, a.online_minutes, a.load_peak);
                            view! {
                                <tr data-test="agent-row">
                                    <th scope="row" dir="auto">{a.name}</th>
                                    <td>{move || lang.get().number(answered)}</td>
                                    <td class="bar-cell">
                                        <span class="bar" style=format!("inline-size: {share:.0}%")></span>
                                        <span class="bar-value">{move || lang.get().number(resolved)}</span>
                                    </td>
                                    <td>{move || lang.get().number(transferred)}</td>
                                    <td>{move || opt_duration(lang.get(), frt)}</td>
                                    <td>{move || opt_duration(lang.get(), handle)}</td>
                                    <td>{move || r::duration(lang.get(), online as f64 * 60.0)}</td>
                                    <td>
                                        {move || {
                                            let l = lang.get();
                                            let avg = load_avg.map_or_else(|| "—".to_owned(), |v| r::decimal(l, v, 1));
                                            format!("{avg} / {}", l.number(peak))
                                        }}
                                    </td>
                                    <td>{move || csat.map_or_else(|| "—".to_owned(), |v| r::decimal(lang.get(), v, 1))}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Answers per score as bars (1–5 with faces; 0–10 for the Net Promoter
/// question).
#[component]
fn Bars(counts: Vec<u64>, first: u8, faces: bool) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    view! {
        <ul class="score-bars" class:nps-bars=!faces>
            {counts
                .into_iter()
                .enumerate()
                .map(|(i, n)| {
                    let score = first + i as u8;
                    let share = n as f64 * 100.0 / most as f64;
                    view! {
                        <li data-test="score-bar">
                            <span class="score-label">
                                {faces.then(|| rating::face(score))}
                                {move || lang.get().number(score)}
                            </span>
                            <span class="score-track">
                                <span class="bar" style=format!("inline-size: {share:.0}%")></span>
                            </span>
                            <span class="score-count">{move || lang.get().number(n)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
