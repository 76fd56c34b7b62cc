//! The reports screen's plain parts: the query it asks the server, how
//! each figure is written (durations, percentages, scores, in the
//! locale's digits), the change against the previous period, and the
//! charts' geometry. Unit-tested natively; `pages::reports` draws them.

use crate::i18n::{self, Key, Locale};
use shared::reports::{Kpi, KpiKey, KpiUnit};

/// Which days a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeriodChoice {
    /// Today, per hour.
    Today,
    /// The last 7 days.
    Week,
    /// The last 30 days.
    #[default]
    Month,
    /// From and to, chosen.
    Custom,
}

impl PeriodChoice {
    /// All, in the picker's order.
    pub const ALL: [PeriodChoice; 4] = [
        PeriodChoice::Today,
        PeriodChoice::Week,
        PeriodChoice::Month,
        PeriodChoice::Custom,
    ];

    /// The server's name for it.
    pub fn value(self) -> &'static str {
        match self {
            PeriodChoice::Today => "today",
            PeriodChoice::Week => "7d",
            PeriodChoice::Month => "30d",
            PeriodChoice::Custom => "custom",
        }
    }

    /// From the server's name (a month otherwise).
    pub fn parse(value: &str) -> PeriodChoice {
        PeriodChoice::ALL
            .into_iter()
            .find(|p| p.value() == value)
            .unwrap_or_default()
    }

    /// Its label.
    pub fn key(self) -> Key {
        match self {
            PeriodChoice::Today => Key::PeriodToday,
            PeriodChoice::Week => Key::PeriodWeek,
            PeriodChoice::Month => Key::PeriodMonth,
            PeriodChoice::Custom => Key::PeriodCustom,
        }
    }
}

/// What the screen asks for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The site's id.
    pub site: String,
    /// The period.
    pub period: PeriodChoice,
    /// Custom first day (`YYYY-MM-DD`).
    pub from: String,
    /// Custom last day.
    pub to: String,
    /// `""` (the whole site), `team:<id>` or `agent:<id>`.
    pub scope: String,
}

/// Percent-encodes a query value (ids and dates pass as they are).
fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Query {
    /// Whether it can be asked yet (a site, and both days of a custom
    /// period).
    pub fn ready(&self) -> bool {
        !self.site.is_empty()
            && (self.period != PeriodChoice::Custom
                || (!self.from.is_empty() && !self.to.is_empty()))
    }

    fn params(&self) -> String {
        let mut q = format!("site={}&period={}", encode(&self.site), self.period.value());
        if self.period == PeriodChoice::Custom {
            q.push_str(&format!(
                "&from={}&to={}",
                encode(&self.from),
                encode(&self.to)
            ));
        }
        if let Some((kind, id)) = self.scope.split_once(':') {
            if matches!(kind, "team" | "agent") && !id.is_empty() {
                q.push_str(&format!("&{kind}={}", encode(id)));
            }
        }
        q
    }

    /// `GET` path of the report.
    pub fn path(&self) -> String {
        format!("/api/reports?{}", self.params())
    }

    /// Path of one table as CSV (`kpis`, `series`, `agents`, `heatmap`).
    pub fn csv(&self, table: &str) -> String {
        format!("/api/reports/{table}.csv?{}", self.params())
    }
}

/// A duration in seconds, the way a person says it: "45 s", "3 min 20 s",
/// "2 h 5 min".
pub fn duration(locale: Locale, secs: f64) -> String {
    let secs = secs.max(0.0).round() as u64;
    let part = |key: Key, n: u64| i18n::fill(locale.text(key), &[("n", &locale.number(n))]);
    match secs {
        0..=59 => part(Key::SecondsShort, secs),
        60..=599 if !secs.is_multiple_of(60) => format!(
            "{} {}",
            part(Key::MinutesShort, secs / 60),
            part(Key::SecondsShort, secs % 60)
        ),
        60..=3599 => part(Key::MinutesShort, secs / 60),
        _ if (secs / 60).is_multiple_of(60) => part(Key::HoursShort, secs / 3600),
        _ => format!(
            "{} {}",
            part(Key::HoursShort, secs / 3600),
            part(Key::MinutesShort, (secs / 60) % 60)
        ),
    }
}

/// A decimal with `places` places, in the locale's digits and decimal
/// separator.
pub fn decimal(locale: Locale, n: f64, places: usize) -> String {
    let text = format!("{n:.places$}");
    let text = match locale {
        Locale::En => text,
        // The Arabic decimal separator.
        Locale::Ar | Locale::Fa => text.replace('.', "\u{066B}"),
    };
    locale.digits(&text)
}

/// A percentage ("50%", "٥٠٪").
pub fn percent(locale: Locale, n: f64) -> String {
    let sign = if locale.is_rtl() { '\u{066A}' } else { '%' };
    format!("{}{sign}", locale.number(n.round() as i64))
}

/// A figure as its card shows it ("—" when there is nothing to measure).
pub fn value_text(locale: Locale, kpi: &Kpi) -> String {
    let Some(v) = kpi.value else {
        return "—".to_owned();
    };
    match kpi.unit {
        KpiUnit::Count => locale.number(v.round() as i64),
        KpiUnit::Seconds => duration(locale, v),
        KpiUnit::Percent => percent(locale, v),
        KpiUnit::Score if kpi.key == KpiKey::Nps => locale.number(v.round() as i64),
        KpiUnit::Score => decimal(locale, v, 1),
    }
}

/// A figure's change against the previous period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// How much: % of the previous value, or points for a score.
    pub amount: f64,
    /// In points (a score), not %.
    pub points: bool,
    /// It went up.
    pub up: bool,
    /// Good news (up for "answered", down for "missed").
    pub good: bool,
}

/// The change of `kpi`, if both periods had a value and it moved.
pub fn change(kpi: &Kpi) -> Option<Change> {
    let (now, before) = (kpi.value?, kpi.previous?);
    if (now - before).abs() < 1e-9 {
        return None;
    }
    let up = now > before;
    let good = up == kpi.higher_is_better;
    let (amount, points) = if kpi.unit == KpiUnit::Score {
        ((now - before).abs(), true)
    } else if before.abs() > 1e-9 {
        (((now - before) / before * 100.0).abs(), false)
    } else {
        return None;
    };
    // A change too small to write ("▼ 0.0", "▲ 0%") is no change.
    let shown = if points { 0.05 } else { 0.5 };
    (amount >= shown).then_some(Change {
        amount,
        points,
        up,
        good,
    })
}

/// The change as a card shows it ("▲ 12%", "▼ 0.4").
pub fn change_text(locale: Locale, c: &Change) -> String {
    let arrow = if c.up { '▲' } else { '▼' };
    let amount = if c.points {
        decimal(locale, c.amount, 1)
    } else {
        percent(locale, c.amount)
    };
    format!("{arrow} {amount}")
}

/// The top of a chart's scale: the smallest 1, 2 or 5 × 10ⁿ at or above
/// `max` (at least 1).
pub fn scale_max(max: f64) -> f64 {
    if max <= 1.0 {
        return 1.0;
    }
    let mut step = 1.0;
    while step * 10.0 < max {
        step *= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * step)
        .find(|v| *v >= max)
        .unwrap_or(max)
}

/// The top of a duration chart's scale, in seconds: one whose half is a
/// round duration too (30 s, 1 min, 2 min, 5 min, 10 min, 15 min, …).
pub fn duration_scale_max(max: f64) -> f64 {
    const NICE: [f64; 15] = [
        10.0, 20.0, 30.0, 60.0, 120.0, 240.0, 600.0, 1200.0, 1800.0, 3600.0, 7200.0, 14_400.0,
        28_800.0, 86_400.0, 172_800.0,
    ];
    NICE.into_iter()
        .find(|v| *v >= max)
        .unwrap_or_else(|| (max / 172_800.0).ceil() * 172_800.0)
}

/// A line's points (`"x,y x,y …"`) for an SVG `polyline` of `width` ×
/// `height`: values spread evenly along x (mirrored right to left in an
/// RTL layout, so time runs the way the page reads), 0 at the bottom.
/// Missing values break nothing: they are left out.
pub fn points(values: &[Option<f64>], max: f64, width: f64, height: f64, rtl: bool) -> String {
    let n = values.len();
    let step = if n > 1 { width / (n - 1) as f64 } else { 0.0 };
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let v = (*v)?;
            let x = if n > 1 { i as f64 * step } else { width / 2.0 };
            let x = if rtl { width - x } else { x };
            let y = height - (v / max).clamp(0.0, 1.0) * height;
            Some(format!("{x:.1},{y:.1}"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which of `n` points get an x-axis label: about `want`, evenly, always
/// the first and the last.
pub fn label_indices(n: usize, want: usize) -> Vec<usize> {
    if n == 0 {
        return Vec::new();
    }
    let want = want.max(2);
    if n <= want {
        return (0..n).collect();
    }
    let mut out: Vec<usize> = (0..want).map(|i| i * (n - 1) / (want - 1)).collect();
    out.dedup();
    out
}

/// A heatmap cell's shade, 0 (none) to 4 (the busiest hour).
pub fn heat_level(n: u64, max: u64) -> u8 {
    if n == 0 || max == 0 {
        return 0;
    }
    (1 + (n * 3).div_ceil(max).min(3) as u8).min(4)
}

/// A figure's label.
pub fn kpi_key(key: KpiKey) -> Key {
    match key {
        KpiKey::Started => Key::KpiStarted,
        KpiKey::Answered => Key::KpiAnswered,
        KpiKey::Missed => Key::KpiMissed,
        KpiKey::Resolved => Key::KpiResolved,
        KpiKey::Reopened => Key::KpiReopened,
        KpiKey::Transferred => Key::KpiTransferred,
        KpiKey::FirstResponseMedian => Key::KpiFirstResponseMedian,
        KpiKey::FirstResponseP90 => Key::KpiFirstResponseP90,
        KpiKey::FirstResponseAverage => Key::KpiFirstResponseAverage,
        KpiKey::ReplyAverage => Key::KpiReplyAverage,
        KpiKey::HandleAverage => Key::KpiHandleAverage,
        KpiKey::WaitAverage => Key::KpiWaitAverage,
        KpiKey::Csat => Key::KpiCsat,
        KpiKey::CsatResponseRate => Key::KpiCsatResponseRate,
        KpiKey::Nps => Key::KpiNps,
        KpiKey::BacklogWaiting => Key::KpiBacklogWaiting,
        KpiKey::BacklogOpen => Key::KpiBacklogOpen,
        KpiKey::CallbacksRequested => Key::KpiCallbacksRequested,
        KpiKey::CallbacksReached => Key::KpiCallbacksReached,
        KpiKey::HelpOpened => Key::KpiHelpOpened,
        KpiKey::HelpSelfServed => Key::KpiHelpSelfServed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(unit: KpiUnit, value: Option<f64>, previous: Option<f64>, higher: bool) -> Kpi {
        Kpi {
            key: KpiKey::Answered,
            unit,
            value,
            previous,
            higher_is_better: higher,
        }
    }

    #[test]
    fn the_query_names_its_period_and_scope() {
        let mut q = Query {
            site: "s_demo".into(),
            ..Query::default()
        };
        assert_eq!(q.path(), "/api/reports?site=s_demo&period=30d");
        q.period = PeriodChoice::Custom;
        assert!(!q.ready());
        q.from = "2026-11-01".into();
        q.to = "2026-11-07".into();
        q.scope = "agent:a_1".into();
        assert!(q.ready());
        assert_eq!(
            q.csv("agents"),
            "/api/reports/agents.csv?site=s_demo&period=custom&from=2026-11-01&to=2026-11-07&agent=a_1"
        );
        q.scope = "team:a&b=c".into();
        assert!(q.path().ends_with("&team=a%26b%3Dc"));
        q.scope = "nonsense".into();
        assert!(q.path().ends_with("to=2026-11-07"));
        assert_eq!(PeriodChoice::parse("7d"), PeriodChoice::Week);
        assert_eq!(PeriodChoice::parse("junk"), PeriodChoice::Month);
    }

    #[test]
    fn durations_read_like_speech_in_each_language() {
        assert_eq!(duration(Locale::En, 45.4), "45 s");
        assert_eq!(duration(Locale::En, 200.0), "3 min 20 s");
        assert_eq!(duration(Locale::En, 900.0), "15 min");
        assert_eq!(duration(Locale::En, 7500.0), "2 h 5 min");
        assert_eq!(duration(Locale::En, 7200.0), "2 h");
        assert_eq!(duration(Locale::Fa, 45.0), "۴۵ ثانیه");
        assert_eq!(duration(Locale::Ar, 200.0), "٣ د ٢٠ ث");
    }

    #[test]
    fn figures_use_the_locales_digits_and_signs() {
        let csat = Kpi {
            key: KpiKey::Csat,
            ..kpi(KpiUnit::Score, Some(4.26), None, true)
        };
        assert_eq!(value_text(Locale::En, &csat), "4.3");
        assert_eq!(value_text(Locale::Fa, &csat), "۴٫۳");
        assert_eq!(
            value_text(Locale::Ar, &kpi(KpiUnit::Percent, Some(50.0), None, true)),
            "٥٠٪"
        );
        assert_eq!(
            value_text(Locale::En, &kpi(KpiUnit::Count, None, None, true)),
            "—"
        );
        let nps = Kpi {
            key: KpiKey::Nps,
            ..kpi(KpiUnit::Score, Some(-12.4), None, true)
        };
        assert_eq!(value_text(Locale::En, &nps), "-12");
    }

    #[test]
    fn a_change_is_good_or_bad_by_the_figure() {
        let up = change(&kpi(KpiUnit::Count, Some(12.0), Some(10.0), true)).unwrap();
        assert!((up.amount - 20.0).abs() < 1e-9);
        assert!(up.up && up.good && !up.points);
        assert_eq!(change_text(Locale::En, &up), "▲ 20%");
        // More missed chats is bad news.
        let missed = change(&kpi(KpiUnit::Count, Some(12.0), Some(10.0), false)).unwrap();
        assert!(missed.up && !missed.good);
        // A slower first response is too, and a score moves in points.
        let score = change(&kpi(KpiUnit::Score, Some(4.1), Some(4.5), true)).unwrap();
        assert!(score.points && !score.up && !score.good);
        assert_eq!(change_text(Locale::En, &score), "▼ 0.4");
        assert_eq!(
            change(&kpi(KpiUnit::Count, Some(3.0), Some(0.0), true)),
            None
        );
        assert_eq!(
            change(&kpi(KpiUnit::Count, Some(3.0), Some(3.0), true)),
            None
        );
        // Too small to write: no change shown.
        assert_eq!(
            change(&kpi(KpiUnit::Score, Some(4.12), Some(4.15), true)),
            None
        );
        assert_eq!(
            change(&kpi(KpiUnit::Count, Some(1000.0), Some(1002.0), true)),
            None
        );
        assert_eq!(change(&kpi(KpiUnit::Count, None, Some(3.0), true)), None);
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(scale_max(0.0), 1.0);
        assert_eq!(scale_max(7.0), 10.0);
        assert_eq!(scale_max(12.0), 20.0);
        assert_eq!(scale_max(480.0), 500.0);
        assert_eq!(scale_max(501.0), 1000.0);
        assert_eq!(duration_scale_max(97.0), 120.0);
        assert_eq!(duration_scale_max(200.0), 240.0);
        assert_eq!(duration_scale_max(3000.0), 3600.0);
        assert_eq!(duration_scale_max(400_000.0), 518_400.0);
    }

    #[test]
    fn lines_run_with_the_reading_direction() {
        let values = [Some(0.0), Some(5.0), None, Some(10.0)];
        assert_eq!(
            points(&values, 10.0, 300.0, 100.0, false),
            "0.0,100.0 100.0,50.0 300.0,0.0"
        );
        assert_eq!(
            points(&values, 10.0, 300.0, 100.0, true),
            "300.0,100.0 200.0,50.0 0.0,0.0"
        );
        assert_eq!(points(&[Some(1.0)], 1.0, 300.0, 100.0, false), "150.0,0.0");
    }

    #[test]
    fn axis_labels_are_spread_and_heat_is_graded() {
        assert_eq!(label_indices(30, 6), [0, 5, 11, 17, 23, 29]);
        assert_eq!(label_indices(3, 6), [0, 1, 2]);
        assert!(label_indices(0, 6).is_empty());
        assert_eq!(heat_level(0, 10), 0);
        assert_eq!(heat_level(1, 10), 2);
        assert_eq!(heat_level(10, 10), 4);
        assert_eq!(heat_level(5, 0), 0);
    }
}
