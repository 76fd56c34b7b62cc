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

/// A site's pre-chat form: what the widget asks before the first message
/// (name, email, phone, the owner's own questions). Answers go with the
/// conversation to the agent.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrechatForm {
    /// The fields, in order (at most [`PrechatForm::MAX_FIELDS`]).
    pub fields: Vec<PrechatField>,
}

impl PrechatForm {
    /// Most fields a form has.
    pub const MAX_FIELDS: usize = 10;
    /// Most options a `select` offers.
    pub const MAX_OPTIONS: usize = 20;
    /// Longest answer to a `text` field.
    pub const MAX_ANSWER_CHARS: usize = 200;
}

/// One question of the pre-chat form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrechatField {
    /// Its key in the answers: `name`, `email` and `phone` for those
    /// kinds, else the owner's own (`a-z`, `0-9`, `_`, at most 32), which
    /// agents see beside the answer.
    pub key: String,
    /// What it asks for.
    pub kind: PrechatKind,
    /// The visitor must answer it.
    #[serde(default)]
    pub required: bool,
    /// Its label per language (`en`, `ar`, `fa`); the widget shows the
    /// visitor's, else English, else its own for name, email and phone,
    /// else the key.
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    /// The choices of a `select` (1 to [`PrechatForm::MAX_OPTIONS`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A pre-chat field's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrechatKind {
    /// The visitor's name.
    Name,
    /// Their email address (checked like the leave-a-message form's).
    Email,
    /// A phone number in international format (`+98 912 345 6789`).
    Phone,
    /// One line of text.
    Text,
    /// One of the field's options.
    Select,
}

impl PrechatKind {
    /// Every kind.
    pub const ALL: [PrechatKind; 5] = [
        PrechatKind::Name,
        PrechatKind::Email,
        PrechatKind::Phone,
        PrechatKind::Text,
        PrechatKind::Select,
    ];

    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PrechatKind::Name => "name",
            PrechatKind::Email => "email",
            PrechatKind::Phone => "phone",
            PrechatKind::Text => "text",
            PrechatKind::Select => "select",
        }
    }

    /// The key a built-in kind's answer has (`None`: the owner's own).
    pub fn fixed_key(self) -> Option<&'static str> {
        match self {
            PrechatKind::Name | PrechatKind::Email | PrechatKind::Phone => Some(self.as_str()),
            PrechatKind::Text | PrechatKind::Select => None,
        }
    }
}

impl PrechatField {
    /// Its label for `lang` (`en`, `ar`, `fa`): that language's, else
    /// English, else `None` (the widget's own words for a built-in kind,
    /// or the key).
    pub fn label(&self, lang: &str) -> Option<&str> {
        self.labels
            .get(lang)
            .or_else(|| self.labels.get("en"))
            .map(String::as_str)
            .filter(|l| !l.trim().is_empty())
    }
}

/// What is wrong with one pre-chat answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrechatProblem {
    /// A required field left empty.
    Required,
    /// Not an address shaped like `name@host.tld`.
    Email,
    /// Not a phone number in international format.
    Phone,
    /// Longer than allowed, or more than one line.
    TooLong,
    /// Not one of the select's options.
    NotAnOption,
    /// No field has this key.
    Unknown,
}

/// The answers of a pre-chat form, checked: name and email apart, the
/// rest (phone normalised, text, choices) by key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrechatAnswers {
    /// The `name` field's answer.
    pub name: Option<String>,
    /// The `email` field's answer.
    pub email: Option<String>,
    /// Every other answer, by key.
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// Whether `email` is shaped like an address that receives mail:
/// `user@host.tld`, no spaces, at most 254 characters. (The server also
/// parses it properly.)
pub fn email_shaped(email: &str) -> bool {
    email.chars().count() <= crate::limits::MAX_EMAIL_CHARS
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(user, host)| {
            !user.is_empty()
                && !host.contains('@')
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
        })
}

impl PrechatForm {
    /// Checks `answers` (by key, trimmed; blank is no answer) against the
    /// form; the first problem names its field's key. Used by the widget
    /// (to say what to fix) and the server (which decides).
    pub fn check(
        &self,
        answers: &std::collections::BTreeMap<String, String>,
    ) -> Result<PrechatAnswers, (String, PrechatProblem)> {
        if let Some(key) = answers
            .keys()
            .find(|k| !self.fields.iter().any(|f| &f.key == *k))
        {
            return Err((key.clone(), PrechatProblem::Unknown));
        }
        let mut out = PrechatAnswers::default();
        for f in &self.fields {
            let answer = answers.get(&f.key).map(|a| a.trim()).unwrap_or("");
            let fail = |p| Err((f.key.clone(), p));
            if answer.is_empty() {
                if f.required {
                    return fail(PrechatProblem::Required);
                }
                continue;
            }
            let line = answer.chars().count() <= PrechatForm::MAX_ANSWER_CHARS
                && !answer.chars().any(char::is_control);
            match f.kind {
                PrechatKind::Name if !line || answer.chars().count() > 100 => {
                    return fail(PrechatProblem::TooLong)
                }
                PrechatKind::Name => out.name = Some(answer.to_owned()),
                PrechatKind::Email if !email_shaped(answer) => return fail(PrechatProblem::Email),
                PrechatKind::Email => out.email = Some(answer.to_owned()),
                PrechatKind::Phone => match normalize_phone(answer) {
                    Some(p) => {
                        out.attributes.insert(f.key.clone(), p);
                    }
                    None => return fail(PrechatProblem::Phone),
                },
                PrechatKind::Text if !line => return fail(PrechatProblem::TooLong),
                PrechatKind::Select if !f.options.iter().any(|o| o == answer) => {
                    return fail(PrechatProblem::NotAnOption)
                }
                PrechatKind::Text | PrechatKind::Select => {
                    out.attributes.insert(f.key.clone(), answer.to_owned());
                }
            }
        }
        Ok(out)
    }
}

/// A phone number as typed, in international format: `+` and 6 to 15
/// digits once spaces, dashes, dots and brackets are taken out (E.164);
/// `None` when it is not one.
/// Arabic-Indic (٠–٩) and Persian (۰–۹) digits count as the digits they
/// are: a visitor types their number on their own keyboard.
pub fn normalize_phone(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: String = t
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}'))
        .map(latin_digit)
        .collect();
    let rest = digits.strip_prefix('+')?;
    let ok = (6..=15).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_digit())
        && !rest.starts_with('0');
    ok.then(|| format!("+{rest}"))
}

/// `c` as a Latin digit when it is an Arabic-Indic or Persian one.
fn latin_digit(c: char) -> char {
    let zero = match c {
        '\u{660}'..='\u{669}' => 0x660,
        '\u{6f0}'..='\u{6f9}' => 0x6f0,
        _ => return c,
    };
    char::from_digit(c as u32 - zero, 10).unwrap_or(c)
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

impl Appearance {
    /// The accent as lower-case `#rrggbb`; the default accent when the
    /// stored one is not a colour.
    pub fn accent(&self) -> String {
        if is_hex_color(&self.accent_color) {
            self.accent_color.to_ascii_lowercase()
        } else {
            DEFAULT_ACCENT.to_owned()
        }
    }
}

/// The red, green and blue of a `#rrggbb` colour (0 for what is not hex).
pub fn rgb(hex: &str) -> [u8; 3] {
    let byte = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|b| u8::from_str_radix(b, 16).ok())
            .unwrap_or(0)
    };
    [byte(1), byte(3), byte(5)]
}

/// Text that stays readable on a `#rrggbb` background: white, or
/// near-black on light colours (WCAG relative luminance above one half).
/// The widget's launcher and header, and the loader's launcher, use it.
pub fn text_on(background: &str) -> &'static str {
    let [r, g, b] = rgb(background).map(|c| {
        let c = f64::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    });
    if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.5 {
        "#111827"
    } else {
        "#ffffff"
    }
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
    fn phones_typed_in_arabic_or_persian_digits_are_the_same_number() {
        assert_eq!(
            normalize_phone("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹").as_deref(),
            Some("+989123456789")
        );
        assert_eq!(
            normalize_phone("+٩٧١ ٥٠ ١٢٣ ٤٥٦٧").as_deref(),
            Some("+971501234567")
        );
        assert_eq!(normalize_phone("+٠٩١٢٣٤٥٦٧"), None, "no leading zero");
    }

    #[test]
    fn phones_are_international_with_six_to_fifteen_digits() {
        assert_eq!(
            normalize_phone(" +98 (912) 345-6789 ").as_deref(),
            Some("+989123456789")
        );
        assert_eq!(
            normalize_phone("+968.9123.4567").as_deref(),
            Some("+96891234567")
        );
        for bad in [
            "",
            "0912 345 6789",
            "+0912345678",
            "+12345",
            "+1234567890123456",
            "+98 912 abc",
            "++98912345678",
        ] {
            assert_eq!(normalize_phone(bad), None, "{bad:?}");
        }
    }

    fn form() -> PrechatForm {
        let field = |key: &str, kind, required| PrechatField {
            key: key.into(),
            kind,
            required,
            labels: Default::default(),
            options: if kind == PrechatKind::Select {
                vec!["Sales".into(), "Support".into()]
            } else {
                Vec::new()
            },
        };
        PrechatForm {
            fields: vec![
                field("name", PrechatKind::Name, true),
                field("email", PrechatKind::Email, false),
                field("phone", PrechatKind::Phone, false),
                field("order", PrechatKind::Text, false),
                field("topic", PrechatKind::Select, true),
            ],
        }
    }

    fn answers(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn prechat_answers_are_checked_field_by_field() {
        let f = form();
        let ok = f
            .check(&answers(&[
                ("name", " Leila "),
                ("email", "leila@example.ir"),
                ("phone", "+98 912 345 6789"),
                ("order", ""),
                ("topic", "Support"),
            ]))
            .unwrap();
        assert_eq!(ok.name.as_deref(), Some("Leila"));
        assert_eq!(ok.email.as_deref(), Some("leila@example.ir"));
        assert_eq!(
            ok.attributes,
            answers(&[("phone", "+989123456789"), ("topic", "Support")])
        );
        let err = |pairs: &[(&str, &str)]| f.check(&answers(pairs)).unwrap_err();
        assert_eq!(
            err(&[("topic", "Sales")]),
            ("name".into(), PrechatProblem::Required)
        );
        assert_eq!(
            err(&[("name", "L"), ("topic", "Billing")]),
            ("topic".into(), PrechatProblem::NotAnOption)
        );
        assert_eq!(
            err(&[("name", "L"), ("email", "l@x"), ("topic", "Sales")]),
            ("email".into(), PrechatProblem::Email)
        );
        assert_eq!(
            err(&[("name", "L"), ("phone", "0912"), ("topic", "Sales")]),
            ("phone".into(), PrechatProblem::Phone)
        );
        assert_eq!(
            err(&[("name", "L"), ("order", "a\nb"), ("topic", "Sales")]),
            ("order".into(), PrechatProblem::TooLong)
        );
        assert_eq!(
            err(&[("name", "L"), ("admin", "1"), ("topic", "Sales")]),
            ("admin".into(), PrechatProblem::Unknown)
        );
    }

    #[test]
    fn labels_fall_back_to_english_then_to_none() {
        let mut f = PrechatField {
            key: "order".into(),
            kind: PrechatKind::Text,
            required: false,
            labels: Default::default(),
            options: Vec::new(),
        };
        assert_eq!(f.label("fa"), None);
        f.labels.insert("en".into(), "Order number".into());
        assert_eq!(f.label("fa"), Some("Order number"));
        f.labels.insert("fa".into(), "شمارهٔ سفارش".into());
        assert_eq!(f.label("fa"), Some("شمارهٔ سفارش"));
        assert_eq!(PrechatKind::Email.fixed_key(), Some("email"));
        assert_eq!(PrechatKind::Select.fixed_key(), None);
    }

    #[test]
    fn an_old_appearance_without_optional_fields_reads() {
        let a: Appearance =
            serde_json::from_str(r##"{"accent_color":"#111111","position":"left"}"##).unwrap();
        assert_eq!(a.avatar, Avatar::Initials);
        assert_eq!(a.title, None);
    }
}
