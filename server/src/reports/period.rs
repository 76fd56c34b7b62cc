//! A report's period: whole days in the site's time zone, read as the UTC
//! hours the buckets are kept in. Days are cut where the zone's clocks say
//! midnight, so a day in a daylight-saving change has 23 or 25 hours and a
//! chat at 23:50 belongs to its own day, not the next.

use super::tally::{hour_of, HOUR};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use shared::Millis;

/// The longest period a report covers, in days.
pub const MAX_DAYS: i64 = 366;

/// Why a period cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// A date that is not `YYYY-MM-DD`.
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    BadDate(String),
    /// `to` before `from`, or longer than [`MAX_DAYS`].
    #[error("a period runs forward from its first day, for at most {MAX_DAYS} days")]
    BadRange,
    /// Not one of the known names.
    #[error("unknown period `{0}` (today, 7d, 30d or custom)")]
    Unknown(String),
    /// Outside what the calendar can hold.
    #[error("that period is outside the calendar")]
    OutOfRange,
}

/// Whole days `from..=to` in a time zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    /// First day.
    pub from: Date,
    /// Last day (included).
    pub to: Date,
    /// The site's zone.
    pub tz: TimeZone,
}

/// A date from `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Result<Date, PeriodError> {
    text.parse::<Date>()
        .map_err(|_| PeriodError::BadDate(text.chars().take(40).collect()))
}

fn local_date(at: Millis, tz: &TimeZone) -> Result<Date, PeriodError> {
    let ms = i64::try_from(at).map_err(|_| PeriodError::OutOfRange)?;
    let ts = Timestamp::from_millisecond(ms).map_err(|_| PeriodError::OutOfRange)?;
    Ok(ts.to_zoned(tz.clone()).date())
}

fn shift(date: Date, days: i64) -> Result<Date, PeriodError> {
    date.checked_add(days.days())
        .map_err(|_| PeriodError::OutOfRange)
}

/// The first instant of `date` in `tz`, in ms.
fn start_of(date: Date, tz: &TimeZone) -> Result<Millis, PeriodError> {
    let zoned = date
        .to_zoned(tz.clone())
        .and_then(|z| z.start_of_day())
        .map_err(|_| PeriodError::OutOfRange)?;
    Millis::try_from(zoned.timestamp().as_millisecond()).map_err(|_| PeriodError::OutOfRange)
}

impl Period {
    /// `from..=to`.
    pub fn new(from: Date, to: Date, tz: TimeZone) -> Result<Period, PeriodError> {
        let period = Period { from, to, tz };
        if to < from || period.days() > MAX_DAYS {
            return Err(PeriodError::BadRange);
        }
        Ok(period)
    }

    /// A named period ending today (`today`, `7d`, `30d`), or `custom`
    /// with its days.
    pub fn named(
        name: &str,
        from: Option<&str>,
        to: Option<&str>,
        tz: TimeZone,
        now: Millis,
    ) -> Result<Period, PeriodError> {
        let today = local_date(now, &tz)?;
        let last = |days: i64| -> Result<Period, PeriodError> {
            Period::new(shift(today, 1 - days)?, today, tz.clone())
        };
        match name {
            "today" => last(1),
            "7d" => last(7),
            "30d" => last(30),
            "custom" => {
                let from = parse_date(from.ok_or(PeriodError::BadRange)?)?;
                let to = parse_date(to.ok_or(PeriodError::BadRange)?)?;
                Period::new(from, to, tz)
            }
            other => Err(PeriodError::Unknown(other.chars().take(20).collect())),
        }
    }

    /// How many days.
    pub fn days(&self) -> i64 {
        i64::from((self.to - self.from).get_days()) + 1
    }

    /// The period of the same length just before.
    pub fn previous(&self) -> Result<Period, PeriodError> {
        let to = shift(self.from, -1)?;
        let from = shift(self.from, -self.days())?;
        Period::new(from, to, self.tz.clone())
    }

    /// The UTC hours the period covers: `[start, end)`, on hour bounds.
    /// (In a zone whose offset is not whole hours, a day starts with the
    /// UTC hour its midnight falls in.)
    pub fn hours(&self) -> Result<(Millis, Millis), PeriodError> {
        let start = hour_of(start_of(self.from, &self.tz)?);
        let end = hour_of(start_of(shift(self.to, 1)?, &self.tz)?);
        Ok((start, end.max(start + HOUR)))
    }

    /// A one-day report is drawn per hour, a longer one per day.
    pub fn hourly(&self) -> bool {
        self.days() == 1
    }

    /// Where the UTC hour `hour` shows: its local day (`YYYY-MM-DD`) or,
    /// hourly, day and hour (`YYYY-MM-DDTHH`), and its weekday (Monday 0)
    /// and local hour for the heatmap.
    ///
    /// An hour is placed by its middle: in a zone whose offset is not whole
    /// hours (Tehran, +03:30), the UTC hour 20:00–21:00 is 23:30–00:30
    /// local and belongs to the day that starts inside it — as
    /// [`Period::hours`] cuts the days.
    pub fn place(&self, hour: Millis) -> Place {
        let ms = i64::try_from(hour + HOUR / 2).unwrap_or(i64::MAX);
        let zoned = Timestamp::from_millisecond(ms)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(self.tz.clone());
        let day = zoned.date().to_string();
        let label = if self.hourly() {
            format!("{day}T{:02}", zoned.hour())
        } else {
            day
        };
        Place {
            label,
            weekday: usize::from(zoned.weekday().to_monday_zero_offset().unsigned_abs()),
            hour: usize::from(zoned.hour().unsigned_abs()),
        }
    }
}

/// Where an hour shows in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// Its point on the time series.
    pub label: String,
    /// Monday 0 … Sunday 6.
    pub weekday: usize,
    /// 0–23.
    pub hour: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::get(name).unwrap()
    }

    fn at(text: &str) -> Millis {
        text.parse::<Timestamp>().unwrap().as_millisecond() as Millis
    }

    #[test]
    fn named_periods_end_today_in_the_sites_zone() {
        // 23:30 UTC on the 1st is already the 2nd in Tehran (+03:30).
        let now = at("2026-03-01T23:30:00Z");
        let p = Period::named("7d", None, None, zone("Asia/Tehran"), now).unwrap();
        assert_eq!(p.to.to_string(), "2026-03-02");
        assert_eq!(p.from.to_string(), "2026-02-24");
        assert_eq!(p.days(), 7);
        let prev = p.previous().unwrap();
        assert_eq!(
            (prev.from.to_string(), prev.to.to_string()),
            ("2026-02-17".into(), "2026-02-23".into())
        );
        let utc = Period::named("today", None, None, TimeZone::UTC, now).unwrap();
        assert_eq!(utc.to.to_string(), "2026-03-01");
        assert!(utc.hourly());
    }

    #[test]
    fn bad_periods_are_refused() {
        let tz = TimeZone::UTC;
        let now = at("2026-03-01T12:00:00Z");
        assert_eq!(
            Period::named(
                "custom",
                Some("2026-03-05"),
                Some("2026-03-01"),
                tz.clone(),
                now
            ),
            Err(PeriodError::BadRange)
        );
        assert_eq!(
            Period::named(
                "custom",
                Some("2024-01-01"),
                Some("2026-03-01"),
                tz.clone(),
                now
            ),
            Err(PeriodError::BadRange)
        );
        assert!(matches!(
            Period::named(
                "custom",
                Some("yesterday"),
                Some("2026-03-01"),
                tz.clone(),
                now
            ),
            Err(PeriodError::BadDate(_))
        ));
        assert!(matches!(
            Period::named("90y", None, None, tz, now),
            Err(PeriodError::Unknown(_))
        ));
    }

    #[test]
    fn a_chat_before_midnight_belongs_to_its_own_day() {
        let p = Period::new(
            parse_date("2026-06-01").unwrap(),
            parse_date("2026-06-02").unwrap(),
            zone("Europe/Berlin"),
        )
        .unwrap();
        // 23:50 local on the 1st is 21:50 UTC (CEST, +2).
        let place = p.place(hour_of(at("2026-06-01T21:50:00Z")));
        assert_eq!(place.label, "2026-06-01");
        assert_eq!((place.weekday, place.hour), (0, 23));
        let place = p.place(hour_of(at("2026-06-01T22:10:00Z")));
        assert_eq!(place.label, "2026-06-02");
        // The period's hours start at local midnight.
        let (start, end) = p.hours().unwrap();
        assert_eq!(start, at("2026-05-31T22:00:00Z"));
        assert_eq!(end, at("2026-06-02T22:00:00Z"));
    }

    #[test]
    fn days_across_a_daylight_saving_change_have_their_real_length() {
        // Berlin springs forward on 2026-03-29 (23 h) and falls back on
        // 2026-10-25 (25 h).
        for (day, hours) in [("2026-03-29", 23), ("2026-10-25", 25), ("2026-06-01", 24)] {
            let d = parse_date(day).unwrap();
            let p = Period::new(d, d, zone("Europe/Berlin")).unwrap();
            let (start, end) = p.hours().unwrap();
            assert_eq!((end - start) / HOUR, hours, "{day}");
        }
        // Per hour, the repeated 02:00 of the fall-back shows as one point.
        let d = parse_date("2026-10-25").unwrap();
        let p = Period::new(d, d, zone("Europe/Berlin")).unwrap();
        let (start, end) = p.hours().unwrap();
        let mut labels: Vec<String> = (0..(end - start) / HOUR)
            .map(|i| p.place(start + i * HOUR).label)
            .collect();
        labels.dedup();
        assert_eq!(labels.len(), 24);
        assert_eq!(labels[2], "2026-10-25T02");
    }
}
