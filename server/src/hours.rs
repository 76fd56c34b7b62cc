//! Business hours: whether a site is offline at an instant, and when its
//! hours open next. Pure (the instant and the zone are arguments), so
//! every rule — days off, a day closed throughout, midnight closings,
//! daylight-saving changes — is unit-tested here; the availability loop
//! ([`crate::ws::hub::run_availability`]) calls it for every site.

use crate::store::Site;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use serde::{Deserialize, Serialize};
use shared::settings::{BusinessHours, DayHours};
use shared::{Millis, Offline};

/// What a site's visitors are told about it: whether anyone is online and
/// whether it is offline (and until when). Worked out by every node for
/// its own visitors ([`crate::ws::hub::run_availability`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Availability {
    /// Some agent of the site is online.
    pub agents_online: bool,
    /// Set while the site is offline.
    pub offline: Option<Offline>,
}

impl Availability {
    /// For `site` at `now`.
    pub fn of(site: &Site, agents_online: bool, now: Millis) -> Self {
        Self {
            agents_online,
            offline: offline(
                site.hours.as_ref(),
                site.offline_when_away,
                site.time_zone.as_deref(),
                agents_online,
                now,
            ),
        }
    }
}

/// How far ahead the next opening is looked for: a team closed longer
/// than this is "offline" without a promise.
const LOOKAHEAD_DAYS: i64 = 14;

/// Whether `site` takes live chats at `now`: `None` when open, else when
/// it is back. `agents_online` counts only on sites that go offline with
/// nobody online (`offline_when_away`).
pub fn offline(
    hours: Option<&BusinessHours>,
    offline_when_away: bool,
    zone: Option<&str>,
    agents_online: bool,
    now: Millis,
) -> Option<Offline> {
    let tz = zone
        .and_then(|z| TimeZone::get(z).ok())
        .unwrap_or(TimeZone::UTC);
    let outside = hours.and_then(|h| closed(h, &tz, now));
    match (outside, offline_when_away && !agents_online) {
        (Some(back), _) => Some(back),
        (None, true) => Some(Offline { back_at: None }),
        (None, false) => None,
    }
}

/// `None` while the hours are open at `now`, else the next opening.
fn closed(hours: &BusinessHours, tz: &TimeZone, now: Millis) -> Option<Offline> {
    let now = Timestamp::from_millisecond(i64::try_from(now).ok()?).ok()?;
    let local = now.to_zoned(tz.clone());
    let today = local.date();
    let minute = u16::try_from(local.hour()).ok()? * 60 + u16::try_from(local.minute()).ok()?;
    if day(hours, today).is_some_and(|d| d.opens <= minute && minute < d.closes) {
        return None;
    }
    let back_at = (0..=LOOKAHEAD_DAYS).find_map(|ahead| {
        let date = today.checked_add(ahead.days()).ok()?;
        let d = day(hours, date)?;
        if ahead == 0 && d.opens <= minute {
            return None;
        }
        opening(date, d, tz).filter(|&at| at > now)
    });
    Some(Offline {
        back_at: back_at.and_then(|t| Millis::try_from(t.as_millisecond()).ok()),
    })
}

/// A date's opening, unless it is a day off.
fn day(hours: &BusinessHours, date: Date) -> Option<DayHours> {
    let text = date.to_string();
    if hours.holidays.contains(&text) {
        return None;
    }
    let index = usize::try_from(date.weekday().to_monday_zero_offset()).ok()?;
    hours.week.get(index).copied().flatten()
}

/// The instant `date` opens. A local time skipped by a daylight-saving
/// change moves forward by the gap (02:30 on a spring-forward night opens
/// at 03:30), as calendars do.
fn opening(date: Date, d: DayHours, tz: &TimeZone) -> Option<Timestamp> {
    let at = date
        .to_datetime(jiff::civil::time(0, 0, 0, 0))
        .checked_add(i64::from(d.opens).minutes())
        .ok()?;
    tz.to_ambiguous_zoned(at)
        .later()
        .ok()
        .map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Millis {
        text.parse::<Timestamp>().unwrap().as_millisecond() as Millis
    }

    fn back(text: &str) -> Option<Offline> {
        Some(Offline {
            back_at: Some(at(text)),
        })
    }

    fn office() -> BusinessHours {
        BusinessHours::office()
    }

    #[test]
    fn open_inside_the_hours_closed_outside_with_the_next_opening() {
        let h = office();
        // Thursday 2026-11-26, Berlin is UTC+1 in winter.
        let z = Some("Europe/Berlin");
        assert_eq!(
            offline(Some(&h), false, z, false, at("2026-11-26T08:00:00Z")),
            None
        );
        assert_eq!(
            offline(Some(&h), false, z, false, at("2026-11-26T15:59:00Z")),
            None
        );
        // 17:00 local is closed; back tomorrow at 9:00 local.
        assert_eq!(
            offline(Some(&h), false, z, true, at("2026-11-26T16:00:00Z")),
            back("2026-11-27T08:00:00Z")
        );
        // Before opening: back today.
        assert_eq!(
            offline(Some(&h), false, z, true, at("2026-11-26T06:30:00Z")),
            back("2026-11-26T08:00:00Z")
        );
        // Friday evening: back on Monday.
        assert_eq!(
            offline(Some(&h), false, z, true, at("2026-11-27T18:00:00Z")),
            back("2026-11-30T08:00:00Z")
        );
    }

    #[test]
    fn without_hours_or_a_zone_the_site_is_open_and_hours_read_utc() {
        assert_eq!(
            offline(None, false, None, false, at("2026-11-29T03:00:00Z")),
            None
        );
        assert_eq!(
            offline(
                Some(&office()),
                false,
                None,
                true,
                at("2026-11-26T17:30:00Z")
            ),
            back("2026-11-27T09:00:00Z")
        );
        // An unknown zone (removed from the database since) reads UTC
        // rather than leaving the site open for ever.
        assert_eq!(
            offline(
                Some(&office()),
                false,
                Some("Mars/Base"),
                true,
                at("2026-11-26T17:30:00Z")
            ),
            back("2026-11-27T09:00:00Z")
        );
    }

    #[test]
    fn days_off_are_skipped() {
        let mut h = office();
        h.holidays = vec!["2026-11-27".into(), "2026-11-30".into()];
        let z = Some("Asia/Tehran"); // UTC+3:30, no DST since 2022
                                     // Thursday 18:00 local: Friday and Monday are off, the weekend
                                     // closed: back Tuesday 9:00 local = 05:30 UTC.
        assert_eq!(
            offline(Some(&h), false, z, true, at("2026-11-26T14:30:00Z")),
            back("2026-12-01T05:30:00Z")
        );
        // On a day off during what would be its hours.
        assert!(offline(Some(&h), false, z, true, at("2026-11-27T07:00:00Z")).is_some());
    }

    #[test]
    fn a_week_without_any_opening_promises_nothing() {
        let h = BusinessHours {
            week: vec![None; 7],
            holidays: Vec::new(),
        };
        assert_eq!(
            offline(Some(&h), false, None, true, at("2026-11-26T12:00:00Z")),
            Some(Offline { back_at: None })
        );
    }

    #[test]
    fn nobody_online_counts_only_where_the_site_says_so() {
        let now = at("2026-11-26T10:00:00Z");
        assert_eq!(offline(None, false, None, false, now), None);
        assert_eq!(
            offline(None, true, None, false, now),
            Some(Offline { back_at: None })
        );
        assert_eq!(offline(None, true, None, true, now), None);
        // Outside the hours, the hours' opening is the promise.
        let h = office();
        assert_eq!(
            offline(Some(&h), true, None, false, at("2026-11-26T20:00:00Z")),
            back("2026-11-27T09:00:00Z")
        );
    }

    #[test]
    fn open_until_midnight_and_from_midnight() {
        let h = BusinessHours {
            week: vec![
                Some(DayHours {
                    opens: 0,
                    closes: 1440
                });
                7
            ],
            holidays: Vec::new(),
        };
        assert_eq!(
            offline(Some(&h), false, None, false, at("2026-11-26T23:59:30Z")),
            None
        );
        assert_eq!(
            offline(Some(&h), false, None, false, at("2026-11-27T00:00:00Z")),
            None
        );
    }

    #[test]
    fn daylight_saving_changes_keep_the_local_opening() {
        let h = office();
        let z = Some("Europe/Berlin");
        // Friday 2026-03-27 evening (UTC+1); Monday 2026-03-30 is summer
        // time (UTC+2): 9:00 local is 07:00 UTC.
        assert_eq!(
            offline(Some(&h), false, z, true, at("2026-03-27T18:00:00Z")),
            back("2026-03-30T07:00:00Z")
        );
        // An opening inside the spring-forward gap (02:30 does not exist
        // on 2026-03-29 in Berlin) moves by the gap: 03:30 local.
        let gap = BusinessHours {
            week: vec![
                Some(DayHours {
                    opens: 150,
                    closes: 600
                });
                7
            ],
            holidays: Vec::new(),
        };
        assert_eq!(
            offline(Some(&gap), false, z, true, at("2026-03-29T00:00:00Z")),
            back("2026-03-29T01:30:00Z")
        );
    }
}
