//! Numbers in a language's own digits: Arabic-Indic (٠–٩) for Arabic,
//! Persian (۰–۹) for Persian, as written; ASCII digits stay for others.

/// `text` with its ASCII digits written in `lang`'s digits.
pub fn native(lang: &str, text: &str) -> String {
    let zero = match lang {
        "ar" => '\u{0660}',
        "fa" => '\u{06F0}',
        _ => return text.to_owned(),
    };
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => char::from_u32(zero as u32 + d).unwrap_or(c),
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::native;

    #[test]
    fn digits_follow_the_language() {
        assert_eq!(native("en", "12 min"), "12 min");
        assert_eq!(native("ar", "2024"), "٢٠٢٤");
        assert_eq!(native("fa", "456 دقیقه"), "۴۵۶ دقیقه");
        assert_eq!(native("ar", "٣ و 3"), "٣ و ٣", "only ASCII digits change");
    }
}
