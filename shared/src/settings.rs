//! What a site owner sets in the console and the widget applies: its look
//! (colour, launcher side, header, greeting, avatar, language). Sent to the
//! widget inside [`crate::api::WidgetConfig`] and edited through the REST
//! bodies in [`crate::api`].

use serde::{Deserialize, Serialize};

/// The widget's look on one site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appearance {
    /// Accent colour as `#rrggbb` (launcher, header, the visitor's bubbles).
    pub accent_color: String,
    /// The corner the launcher sits in, for left-to-right pages; mirrored
    /// when the widget speaks a right-to-left language.
    pub position: LauncherPosition,
    /// Title in the panel's header (e.g. the team's name); `None` shows the
    /// site's name.
    #[serde(default)]
    pub title: Option<String>,
    /// The first line a visitor reads in an empty conversation; `None`
    /// shows the widget's own greeting in the visitor's language.
    #[serde(default)]
    pub greeting: Option<String>,
    /// The header's picture.
    #[serde(default)]
    pub avatar: Avatar,
    /// The language the widget speaks (`en`, `ar`, `fa`); `None` follows
    /// the visitor's browser.
    #[serde(default)]
    pub locale: Option<String>,
    /// How soon the team usually answers, said under the header's title
    /// until an agent joins; `None` says only that someone will reply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_time: Option<ReplyTime>,
}

impl Default for Appearance {
    fn default() -> Self {
        Self {
            accent_color: DEFAULT_ACCENT.to_owned(),
            position: LauncherPosition::Right,
            title: None,
            greeting: None,
            avatar: Avatar::Initials,
            locale: None,
            reply_time: None,
        }
    }
}

/// How soon a site's team usually replies (the owner's promise, shown to
/// visitors before an agent joins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReplyTime {
    /// In a few minutes.
    Minutes,
    /// In a few hours.
    Hours,
    /// Within a day.
    Day,
}

impl ReplyTime {
    /// Every choice, quickest first.
    pub const ALL: [ReplyTime; 3] = [ReplyTime::Minutes, ReplyTime::Hours, ReplyTime::Day];

    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyTime::Minutes => "minutes",
            ReplyTime::Hours => "hours",
            ReplyTime::Day => "day",
        }
    }

    /// From its wire name.
    pub fn parse(value: &str) -> Option<ReplyTime> {
        ReplyTime::ALL.into_iter().find(|r| r.as_str() == value)
    }
}

/// When a site's team answers chats: a weekly timetable read in the
/// site's time zone, and days off. Outside them the widget says when the
/// team is back and offers to leave a message (see
/// [`crate::protocol::Offline`]); a site without hours is always open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BusinessHours {
    /// Seven days, Monday first; `null` is a day closed throughout.
    pub week: Vec<Option<DayHours>>,
    /// Days closed whatever the week says (public holidays), as
    /// `YYYY-MM-DD` in the site's time zone.
    #[serde(default)]
    pub holidays: Vec<String>,
}

/// One day's opening: from `opens` to `closes`, minutes after the local
/// midnight (`540`–`1020` is 9:00–17:00; `closes` may be `1440`, midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayHours {
    /// Opening minute of the day (0–1439).
    pub opens: u16,
    /// Closing minute of the day, after `opens` (at most 1440).
    pub closes: u16,
}

impl BusinessHours {
    /// Monday to Friday, 9:00 to 17:00: what the console proposes first.
    pub fn office() -> Self {
        let day = Some(DayHours {
            opens: 9 * 60,
            closes: 17 * 60,
        });
        Self {
            week: vec![day, day, day, day, day, None, None],
            holidays: Vec::new(),
        }
    }
}

/// The accent colour of a new site.
pub const DEFAULT_ACCENT: &str = "#4f46e5";

/// Where the launcher sits (for a left-to-right page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LauncherPosition {
    /// Bottom right (bottom left in RTL).
    Right,
    /// Bottom left (bottom right in RTL).
    Left,
}

impl LauncherPosition {
    /// The side the launcher actually takes for a page direction: the
    /// owner's choice, mirrored for right-to-left.
    pub fn side(self, rtl: bool) -> LauncherPosition {
        match (self, rtl) {
            (p, false) => p,
            (LauncherPosition::Right, true) => LauncherPosition::Left,
            (LauncherPosition::Left, true) => LauncherPosition::Right,
        }
    }

    /// `right` or `left`.
    pub fn as_str(self) -> &'static str {
        match self {
            LauncherPosition::Right => "right",
            LauncherPosition::Left => "left",
        }
    }
}

/// The header's picture.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Avatar {
    /// The title's initials on the accent colour.
    #[default]
    Initials,
    /// A picture at an `https://` URL.
    Image {
        /// The picture's URL (`https://` only).
        url: String,
    },
}

/// Whether `s` is a colour as `#rrggbb`.
pub fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtl_mirrors_the_launcher() {
        assert_eq!(LauncherPosition::Right.side(false), LauncherPosition::Right);
        assert_eq!(LauncherPosition::Right.side(true), LauncherPosition::Left);
        assert_eq!(LauncherPosition::Left.side(true), LauncherPosition::Right);
    }

    #[test]
    fn colours_are_hash_and_six_hex_digits() {
        assert!(is_hex_color("#0f766E"));
        for bad in ["0f766e", "#0f766", "#0f766e0", "#0g766e", "red", "#ééé"] {
            assert!(!is_hex_color(bad), "{bad}");
        }
    }

    #[test]
    fn office_hours_are_weekdays_nine_to_five() {
        let h = BusinessHours::office();
        assert_eq!(h.week.len(), 7);
        assert_eq!(
            h.week[0],
            Some(DayHours {
                opens: 540,
                closes: 1020
            })
        );
        assert_eq!(h.week[6], None);
        let json = serde_json::to_string(&h).unwrap();
        assert_eq!(serde_json::from_str::<BusinessHours>(&json).unwrap(), h);
    }

    #[test]
    fn an_old_appearance_without_optional_fields_reads() {
        let a: Appearance =
            serde_json::from_str(r##"{"accent_color":"#111111","position":"left"}"##).unwrap();
        assert_eq!(a.avatar, Avatar::Initials);
        assert_eq!(a.title, None);
    }
}
