//! Checks for everything the console accepts: plain functions from request
//! bodies to clean values, each error naming the field at fault (`email`,
//! `allowed_origins[1]`) with a message a form can show beside it. The
//! route handlers call these and nothing else parses input.

use crate::auth::MIN_PASSWORD_CHARS;
use crate::error::ApiError;
use crate::origin;
use shared::settings::{is_hex_color, Avatar};

/// Longest email accepted (the SMTP path limit).
pub const MAX_EMAIL_CHARS: usize = 254;
/// Longest display name (agent, site, team), in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// Largest capacity an agent may be given.
pub const MAX_CAPACITY: u32 = 100;
/// Longest widget greeting, in characters.
pub const MAX_GREETING_CHARS: usize = 300;
/// Most allowed origins per site.
pub const MAX_ORIGINS: usize = 50;
/// Most languages per agent.
pub const MAX_LANGUAGES: usize = 20;
/// Longest avatar URL.
pub const MAX_URL_CHARS: usize = 500;
/// Languages the widget speaks.
pub const WIDGET_LOCALES: &[&str] = &["en", "ar", "fa"];

/// A lower-cased, trimmed email that looks like `name@domain`.
pub fn email(field: &str, value: &str) -> Result<String, ApiError> {
    let email = value.trim().to_lowercase();
    let ok = email
        .split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && !domain.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.chars().count() <= MAX_EMAIL_CHARS;
    if !ok {
        return Err(ApiError::field(
            field,
            format!(
                "{field} must look like name@domain, with no spaces, at most \
                 {MAX_EMAIL_CHARS} characters"
            ),
        ));
    }
    Ok(email)
}

/// A trimmed display name of 1 to [`MAX_NAME_CHARS`] characters without
/// control characters (names are shown to visitors and colleagues).
pub fn name(field: &str, value: &str) -> Result<String, ApiError> {
    text(field, value, 1, MAX_NAME_CHARS)
}

/// Trimmed text of `min..=max` characters, no control characters.
pub fn text(field: &str, value: &str, min: usize, max: usize) -> Result<String, ApiError> {
    let t = value.trim();
    let n = t.chars().count();
    if n < min || n > max {
        return Err(ApiError::field(
            field,
            format!(
                "{field} must be {min} to {max} characters (not counting surrounding \
                 spaces); got {n}"
            ),
        ));
    }
    if t.chars().any(char::is_control) {
        return Err(ApiError::field(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(t.to_owned())
}

/// Optional text where `""` means "none".
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, ApiError> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    text(field, value, 1, max).map(Some)
}

/// A password of at least [`MIN_PASSWORD_CHARS`] characters (spaces count).
pub fn password(field: &str, value: &str) -> Result<String, ApiError> {
    if value.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::field(
            field,
            format!("{field} must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if value.chars().count() > 1024 {
        return Err(ApiError::field(
            field,
            format!("{field} must have at most 1024 characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Concurrent chats, 1 to [`MAX_CAPACITY`].
/// A page size from `?limit=`: `default` when absent, else 1 to `max`.
pub fn page_limit(value: Option<usize>, default: usize, max: usize) -> Result<usize, ApiError> {
    let limit = value.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(ApiError::field(
            "limit",
            format!("limit must be 1 to {max}; got {limit}"),
        ));
    }
    Ok(limit)
}

/// Longest retention a site may set, in days (ten years).
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// A site's retention: 1–[`MAX_RETENTION_DAYS`] days, or 0 for "keep
/// until erased by hand" (`None`).
pub fn retention_days(field: &str, value: u32) -> Result<Option<u32>, ApiError> {
    match value {
        0 => Ok(None),
        1..=MAX_RETENTION_DAYS => Ok(Some(value)),
        _ => Err(ApiError::field(
            field,
            format!(
                "{field} must be 0 (keep until erased) or 1 to {MAX_RETENTION_DAYS} days; got {value}"
            ),
        )),
    }
}

/// Most minutes of estimated wait a site may set before callbacks are
/// offered: beyond, the estimate is unknown anyway
/// ([`crate::routing::queue::MAX_ESTIMATE_SECS`]).
pub const MAX_CALLBACK_AFTER_MINS: u32 = 240;

/// A site's proactive rules: at most [`shared::proactive::MAX_RULES`],
/// each checked by [`shared::proactive::ProactiveRule::check`] (the 400
/// names `proactive[i].<field>`); a rule without an id gets one, and ids
/// are unique.
pub fn proactive(
    field: &str,
    rules: Vec<shared::proactive::ProactiveRule>,
) -> Result<Vec<shared::proactive::ProactiveRule>, ApiError> {
    use shared::proactive::{
        RuleProblem, MAX_AFTER_SECS, MAX_PATTERN_CHARS, MAX_RULES, MAX_TEXT_CHARS, MAX_VISITS,
    };
    if rules.len() > MAX_RULES {
        return Err(ApiError::field(
            field,
            format!("{field} may have at most {MAX_RULES} rules"),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut kept = Vec::with_capacity(rules.len());
    for (i, rule) in rules.into_iter().enumerate() {
        let mut checked = rule.check().map_err(|problem| {
            let why = match problem {
                RuleProblem::Name => "a name is one line of 1 to 100 characters".to_owned(),
                RuleProblem::Url => {
                    format!("a URL pattern is 1 to {MAX_PATTERN_CHARS} characters")
                }
                RuleProblem::After => format!("the wait is 0 to {MAX_AFTER_SECS} seconds"),
                RuleProblem::Visits => format!("the visit is 1 to {MAX_VISITS}"),
                RuleProblem::Messages => format!(
                    "give a text of at most {MAX_TEXT_CHARS} characters in en, ar or fa (at least one)"
                ),
            };
            let at = format!("{field}[{i}].{}", problem.field());
            ApiError::field(at.clone(), format!("{at}: {why}"))
        })?;
        let id = checked.id.trim();
        let well_formed = id.len() <= 40
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if id.is_empty() || !well_formed {
            checked.id = crate::secrets::random_id("pr");
        }
        if !seen.insert(checked.id.clone()) {
            let at = format!("{field}[{i}].id");
            return Err(ApiError::field(at.clone(), format!("{at}: used twice")));
        }
        kept.push(checked);
    }
    Ok(kept)
}

/// Minutes of estimated wait from which callbacks are offered.
pub fn callback_after_mins(field: &str, value: u32) -> Result<u32, ApiError> {
    if value > MAX_CALLBACK_AFTER_MINS {
        return Err(ApiError::field(
            field,
            format!(
                "{field} must be 0 (offer to everyone who waits) to {MAX_CALLBACK_AFTER_MINS} minutes; got {value}"
            ),
        ));
    }
    Ok(value)
}

/// A usual reply time (`""`: not said).
pub fn reply_time(
    field: &str,
    value: &str,
) -> Result<Option<shared::settings::ReplyTime>, ApiError> {
    match value.trim() {
        "" => Ok(None),
        v => shared::settings::ReplyTime::parse(v)
            .map(Some)
            .ok_or_else(|| {
                ApiError::field(
                    field,
                    format!("{field} must be minutes, hours, day or empty"),
                )
            }),
    }
}

/// Most days off a site lists.
pub const MAX_HOLIDAYS: usize = 366;

/// Business hours: seven days, each opening before it closes within the
/// day; days off as real `YYYY-MM-DD` dates (sorted, repeats dropped).
pub fn business_hours(
    field: &str,
    mut hours: shared::settings::BusinessHours,
) -> Result<shared::settings::BusinessHours, ApiError> {
    if hours.week.len() != 7 {
        return Err(ApiError::field(
            format!("{field}.week"),
            format!(
                "{field}.week must list 7 days, Monday first; got {}",
                hours.week.len()
            ),
        ));
    }
    for (i, day) in hours.week.iter().enumerate() {
        if let Some(d) = day {
            if d.opens >= d.closes || d.closes > 24 * 60 {
                return Err(ApiError::field(
                    format!("{field}.week[{i}]"),
                    format!(
                        "{field}.week[{i}] must open before it closes, within the day \
                         (minutes 0 to 1440); got {} to {}",
                        d.opens, d.closes
                    ),
                ));
            }
        }
    }
    if hours.holidays.len() > MAX_HOLIDAYS {
        return Err(ApiError::field(
            format!("{field}.holidays"),
            format!("{field}.holidays may list at most {MAX_HOLIDAYS} days"),
        ));
    }
    for (i, day) in hours.holidays.iter_mut().enumerate() {
        let trimmed = day.trim();
        match trimmed.parse::<jiff::civil::Date>() {
            Ok(date) if trimmed.len() == 10 => *day = date.to_string(),
            _ => {
                return Err(ApiError::field(
                    format!("{field}.holidays[{i}]"),
                    format!(
                        "{field}.holidays[{i}] must be a date as YYYY-MM-DD; got {:?}",
                        trimmed.chars().take(20).collect::<String>()
                    ),
                ))
            }
        }
    }
    hours.holidays.sort();
    hours.holidays.dedup();
    Ok(hours)
}

/// A pre-chat form: at most 10 fields with unique keys (`name`, `email`,
/// `phone` for those kinds, else `a-z0-9_`, 1–32), each built-in kind at
/// most once, labels only in the widget's languages (at most 100
/// characters), a `select` with 1–20 options of 1–100 characters. A form
/// without fields is none.
pub fn prechat(
    field: &str,
    form: shared::settings::PrechatForm,
) -> Result<Option<shared::settings::PrechatForm>, ApiError> {
    use shared::settings::{PrechatForm, PrechatKind};
    if form.fields.len() > PrechatForm::MAX_FIELDS {
        return Err(ApiError::field(
            format!("{field}.fields"),
            format!(
                "{field} may have at most {} fields",
                PrechatForm::MAX_FIELDS
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut fields = Vec::with_capacity(form.fields.len());
    for (i, mut f) in form.fields.into_iter().enumerate() {
        let at = format!("{field}.fields[{i}]");
        let bad = |what: String| Err(ApiError::field(at.clone(), format!("{at}: {what}")));
        f.key = f.key.trim().to_owned();
        match f.kind.fixed_key() {
            Some(key) if f.key.is_empty() || f.key == key => f.key = key.to_owned(),
            Some(key) => return bad(format!("a {key} field's key is {key:?}")),
            None => {
                let ok = (1..=32).contains(&f.key.len())
                    && f.key
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                    && !["name", "email", "phone"].contains(&f.key.as_str());
                if !ok {
                    return bad(format!(
                        "key must be 1 to 32 of a-z, 0-9 and _ (not name, email or phone); got {:?}",
                        f.key.chars().take(40).collect::<String>()
                    ));
                }
            }
        }
        if !seen.insert(f.key.clone()) {
            return bad(format!("the key {:?} is used twice", f.key));
        }
        f.labels = f
            .labels
            .into_iter()
            .map(|(lang, label)| (lang, label.trim().to_owned()))
            .filter(|(_, label)| !label.is_empty())
            .collect();
        for (lang, label) in &f.labels {
            if !WIDGET_LOCALES.contains(&lang.as_str()) {
                return bad(format!("labels are in en, ar or fa; got {lang:?}"));
            }
            if label.chars().count() > MAX_NAME_CHARS || label.chars().any(char::is_control) {
                return bad(format!(
                    "a label is one line of at most {MAX_NAME_CHARS} characters"
                ));
            }
        }
        f.options = f
            .options
            .iter()
            .map(|o| o.trim().to_owned())
            .filter(|o| !o.is_empty())
            .collect();
        match f.kind {
            PrechatKind::Select => {
                let ok = (1..=PrechatForm::MAX_OPTIONS).contains(&f.options.len())
                    && f.options.iter().all(|o| o.chars().count() <= 100);
                if !ok {
                    return bad(format!(
                        "a select has 1 to {} options of at most 100 characters",
                        PrechatForm::MAX_OPTIONS
                    ));
                }
            }
            _ => f.options.clear(),
        }
        fields.push(f);
    }
    Ok((!fields.is_empty()).then_some(PrechatForm { fields }))
}

/// A time zone's IANA name (`""`: UTC, stored as none).
pub fn time_zone(field: &str, value: &str) -> Result<Option<String>, ApiError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if value.len() > 64 || jiff::tz::TimeZone::get(value).is_err() {
        return Err(ApiError::field(
            field,
            format!(
                "{field} must be a time zone name such as Europe/Berlin or Asia/Tehran; got {:?}",
                value.chars().take(64).collect::<String>()
            ),
        ));
    }
    Ok(Some(value.to_owned()))
}

pub fn capacity(field: &str, value: u32) -> Result<u32, ApiError> {
    if !(1..=MAX_CAPACITY).contains(&value) {
        return Err(ApiError::field(
            field,
            format!("{field} must be 1 to {MAX_CAPACITY} concurrent chats; got {value}"),
        ));
    }
    Ok(value)
}

/// Language tags such as `ar`, `en-GB`, `fa`: lower-cased language, an
/// optional region; duplicates removed, order kept.
pub fn languages(field: &str, values: &[String]) -> Result<Vec<String>, ApiError> {
    if values.len() > MAX_LANGUAGES {
        return Err(ApiError::field(
            field,
            format!("{field} may list at most {MAX_LANGUAGES} languages"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let tag = language(v).ok_or_else(|| {
            ApiError::field(
                format!("{field}[{i}]"),
                format!("{v:?} is not a language tag such as en, ar or fa-IR"),
            )
        })?;
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    Ok(out)
}

fn language(v: &str) -> Option<String> {
    let v = v.trim();
    let (lang, region) = match v.split_once(['-', '_']) {
        Some((l, r)) => (l, Some(r)),
        None => (v, None),
    };
    let lang_ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_alphabetic());
    let region_ok = region.is_none_or(|r| {
        (r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
            || (r.len() == 3 && r.bytes().all(|b| b.is_ascii_digit()))
    });
    (lang_ok && region_ok).then(|| match region {
        Some(r) => format!("{}-{}", lang.to_ascii_lowercase(), r.to_ascii_uppercase()),
        None => lang.to_ascii_lowercase(),
    })
}

/// Allowed-origin patterns, normalised, duplicates removed.
pub fn origins(field: &str, values: &[String]) -> Result<Vec<String>, ApiError> {
    if values.len() > MAX_ORIGINS {
        return Err(ApiError::field(
            field,
            format!("{field} may list at most {MAX_ORIGINS} origins"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        let o = origin::parse_pattern(v)
            .map_err(|why| ApiError::field(format!("{field}[{i}]"), why))?;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    Ok(out)
}

/// A `#rrggbb` colour, lower-cased.
pub fn color(field: &str, value: &str) -> Result<String, ApiError> {
    let v = value.trim();
    if !is_hex_color(v) {
        return Err(ApiError::field(
            field,
            format!("{field} must be a colour as #rrggbb, e.g. #0f766e"),
        ));
    }
    Ok(v.to_ascii_lowercase())
}

/// Initials, or a picture at an `https://` URL.
pub fn avatar(field: &str, value: &Avatar) -> Result<Avatar, ApiError> {
    match value {
        Avatar::Initials => Ok(Avatar::Initials),
        Avatar::Image { url } => {
            let url = url.trim();
            let clean = url.len() <= MAX_URL_CHARS
                && url.strip_prefix("https://").is_some_and(|rest| {
                    !rest.is_empty()
                        && !rest.starts_with('/')
                        && rest
                            .bytes()
                            .all(|b| b.is_ascii_graphic() && !b"\"'<>\\`".contains(&b))
                });
            if !clean {
                return Err(ApiError::field(
                    format!("{field}.url"),
                    format!(
                        "{field}.url must be an https:// address of at most {MAX_URL_CHARS} \
                         characters, without spaces or quotes"
                    ),
                ));
            }
            Ok(Avatar::Image {
                url: url.to_owned(),
            })
        }
    }
}

/// A widget language, or `""` to follow the visitor's browser.
pub fn widget_locale(field: &str, value: &str) -> Result<Option<String>, ApiError> {
    let v = value.trim().to_ascii_lowercase();
    if v.is_empty() {
        return Ok(None);
    }
    if !WIDGET_LOCALES.contains(&v.as_str()) {
        return Err(ApiError::field(
            field,
            format!("{field} must be one of {WIDGET_LOCALES:?}, or empty to follow the browser"),
        ));
    }
    Ok(Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of<T: std::fmt::Debug>(r: Result<T, ApiError>) -> String {
        r.unwrap_err().field.unwrap()
    }

    #[test]
    fn business_hours_open_before_they_close_and_holidays_are_dates() {
        use shared::settings::{BusinessHours, DayHours};
        let mut h = BusinessHours::office();
        h.holidays = vec![
            " 2026-12-25".into(),
            "2026-01-01".into(),
            "2026-12-25".into(),
        ];
        let ok = business_hours("hours", h.clone()).unwrap();
        assert_eq!(
            ok.holidays,
            vec!["2026-01-01".to_owned(), "2026-12-25".to_owned()]
        );
        let mut six = h.clone();
        six.week.pop();
        assert_eq!(field_of(business_hours("hours", six)), "hours.week");
        let mut backwards = h.clone();
        backwards.week[2] = Some(DayHours {
            opens: 600,
            closes: 600,
        });
        assert_eq!(
            field_of(business_hours("hours", backwards)),
            "hours.week[2]"
        );
        let mut late = h.clone();
        late.week[6] = Some(DayHours {
            opens: 0,
            closes: 1441,
        });
        assert_eq!(field_of(business_hours("hours", late)), "hours.week[6]");
        for bad in ["2026-02-30", "25.12.2026", "2026-1-5", ""] {
            let mut b = h.clone();
            b.holidays = vec!["2026-01-01".into(), bad.into()];
            assert_eq!(
                field_of(business_hours("hours", b)),
                "hours.holidays[1]",
                "{bad:?}"
            );
        }
        let mut many = h;
        many.holidays = vec!["2026-01-01".into(); MAX_HOLIDAYS + 1];
        assert_eq!(field_of(business_hours("hours", many)), "hours.holidays");
    }

    #[test]
    fn retention_is_zero_for_keep_or_one_day_to_ten_years() {
        assert_eq!(retention_days("retention_days", 0).unwrap(), None);
        assert_eq!(retention_days("retention_days", 1).unwrap(), Some(1));
        assert_eq!(retention_days("retention_days", 3650).unwrap(), Some(3650));
        assert_eq!(
            field_of(retention_days("retention_days", 3651)),
            "retention_days"
        );
    }

    #[test]
    fn emails_and_names() {
        assert_eq!(
            email("email", " Sara@Example.COM ").unwrap(),
            "sara@example.com"
        );
        let long_email = format!("{}@example.com", "a".repeat(MAX_EMAIL_CHARS));
        for bad in [
            "nope",
            "@example.com",
            "sara@",
            "sa ra@example.com",
            &long_email,
        ] {
            assert_eq!(field_of(email("email", bad)), "email", "{bad}");
        }
        assert_eq!(name("name", "  Sara K. ").unwrap(), "Sara K.");
        for bad in ["", "   ", "a\u{7}b", &"n".repeat(MAX_NAME_CHARS + 1)] {
            assert_eq!(field_of(name("name", bad)), "name", "{bad:?}");
        }
        assert!(
            name("name", &"ن".repeat(MAX_NAME_CHARS)).is_ok(),
            "the limit counts characters, not bytes"
        );
    }

    #[test]
    fn passwords_and_capacity() {
        assert!(password("password", "seven77").is_err());
        assert!(password("password", "long enough").is_ok());
        assert!(capacity("capacity", 0).is_err());
        assert!(capacity("capacity", MAX_CAPACITY + 1).is_err());
        assert_eq!(capacity("capacity", MAX_CAPACITY).unwrap(), MAX_CAPACITY);
    }

    #[test]
    fn languages_are_tags() {
        let tags = [
            "AR".to_owned(),
            "fa_ir".to_owned(),
            "en".into(),
            "ar".into(),
        ];
        assert_eq!(
            languages("languages", &tags).unwrap(),
            ["ar", "fa-IR", "en"]
        );
        let bad = ["en".to_owned(), "english".to_owned()];
        assert_eq!(field_of(languages("languages", &bad)), "languages[1]");
        assert!(languages("languages", &["es-419".to_owned()]).is_ok());
    }

    #[test]
    fn origins_name_the_bad_entry() {
        let list = [
            "https://shop.example".to_owned(),
            "https://a b.example".to_owned(),
        ];
        let e = origins("allowed_origins", &list).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("allowed_origins[1]"));
        assert!(e.message.contains("a b.example"), "{}", e.message);
        let ok = [
            "HTTPS://Shop.Example/".to_owned(),
            "https://shop.example".to_owned(),
        ];
        assert_eq!(
            origins("allowed_origins", &ok).unwrap(),
            ["https://shop.example"]
        );
    }

    #[test]
    fn look_settings() {
        assert_eq!(color("accent_color", "#0F766E").unwrap(), "#0f766e");
        assert!(color("accent_color", "teal").is_err());
        assert!(avatar(
            "avatar",
            &Avatar::Image {
                url: "https://cdn.example/a.png".into()
            }
        )
        .is_ok());
        for bad in [
            "http://cdn.example/a.png",
            "javascript:alert(1)",
            "https://cdn.example/a b.png",
            "https://cdn.example/\"onerror=x",
            "https://",
        ] {
            let e = avatar("avatar", &Avatar::Image { url: bad.into() }).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("avatar.url"), "{bad}");
        }
        assert_eq!(widget_locale("locale", "").unwrap(), None);
        assert_eq!(
            widget_locale("locale", "AR").unwrap().as_deref(),
            Some("ar")
        );
        assert!(widget_locale("locale", "de").is_err());
        assert_eq!(optional_text("title", "  ", 10).unwrap(), None);
    }
}
