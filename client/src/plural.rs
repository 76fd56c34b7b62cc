//! Which plural form a number takes, by the CLDR rules of the languages
//! both apps speak: English and Persian have "one" and "other" (Persian's
//! "one" is 0 and 1), Arabic has six forms — zero, one, two, few (3–10),
//! many (11–99) and other (100–102, …), read from the last two digits.
//! Counts only (whole numbers), which is all the apps show.

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Plural {
    /// Arabic 0.
    Zero,
    /// 1 (Persian: 0 and 1).
    One,
    /// Arabic 2.
    Two,
    /// Arabic 3–10, 103–110, …
    Few,
    /// Arabic 11–99, 111–199, …
    Many,
    /// Everything else.
    Other,
}

/// The category of `n` in language `lang` (`en`, `ar`, `fa`; others
/// follow English).
pub fn category(lang: &str, n: u64) -> Plural {
    match lang {
        "ar" => match (n, n % 100) {
            (0, _) => Plural::Zero,
            (1, _) => Plural::One,
            (2, _) => Plural::Two,
            (_, 3..=10) => Plural::Few,
            (_, 11..=99) => Plural::Many,
            _ => Plural::Other,
        },
        "fa" if n <= 1 => Plural::One,
        "fa" => Plural::Other,
        _ if n == 1 => Plural::One,
        _ => Plural::Other,
    }
}

/// Picks the form for `n` from `forms` (those the language has; a missing
/// one falls back to `Other`), with `{}` replaced by `n` as written by
/// `digits`.
pub fn pick(
    lang: &str,
    n: u64,
    forms: &[(Plural, &str)],
    digits: impl Fn(&str) -> String,
) -> String {
    let wanted = category(lang, n);
    let form = forms
        .iter()
        .find(|(p, _)| *p == wanted)
        .or_else(|| forms.iter().find(|(p, _)| *p == Plural::Other))
        .map_or("{}", |(_, f)| f);
    form.replace("{}", &digits(&n.to_string()))
}

/// "3 unread messages" in `lang`, the number written by `digits` (both
/// apps' unread badges say it to screen readers).
pub fn unread_messages(lang: &str, n: u64, digits: impl Fn(&str) -> String) -> String {
    use Plural::*;
    let forms: &[(Plural, &str)] = match lang {
        "ar" => &[
            (Zero, "لا رسائل غير مقروءة"),
            (One, "رسالة واحدة غير مقروءة"),
            (Two, "رسالتان غير مقروءتين"),
            (Few, "{} رسائل غير مقروءة"),
            (Many, "{} رسالة غير مقروءة"),
            (Other, "{} رسالة غير مقروءة"),
        ],
        "fa" => &[(Other, "{} پیام خوانده‌نشده")],
        _ => &[(One, "{} unread message"), (Other, "{} unread messages")],
    };
    pick(lang, n, forms, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_has_six_forms_by_the_last_two_digits() {
        let cases = [
            (0, Plural::Zero),
            (1, Plural::One),
            (2, Plural::Two),
            (3, Plural::Few),
            (10, Plural::Few),
            (11, Plural::Many),
            (99, Plural::Many),
            (100, Plural::Other),
            (102, Plural::Other),
            (103, Plural::Few),
            (111, Plural::Many),
            (1000, Plural::Other),
        ];
        for (n, want) in cases {
            assert_eq!(category("ar", n), want, "{n}");
        }
    }

    #[test]
    fn english_and_persian_have_one_and_other() {
        assert_eq!(category("en", 1), Plural::One);
        assert_eq!(category("en", 0), Plural::Other);
        assert_eq!(category("en", 2), Plural::Other);
        assert_eq!(category("fa", 0), Plural::One);
        assert_eq!(category("fa", 1), Plural::One);
        assert_eq!(category("fa", 5), Plural::Other);
        assert_eq!(category("de", 1), Plural::One, "others follow English");
    }

    #[test]
    fn pick_fills_the_number_and_falls_back_to_other() {
        let en = [
            (Plural::One, "{} unread message"),
            (Plural::Other, "{} unread messages"),
        ];
        let same = |s: &str| s.to_owned();
        assert_eq!(pick("en", 1, &en, same), "1 unread message");
        assert_eq!(pick("en", 3, &en, same), "3 unread messages");
        let ar = [(Plural::Two, "رسالتان"), (Plural::Other, "{} رسالة")];
        assert_eq!(pick("ar", 2, &ar, same), "رسالتان");
        assert_eq!(
            pick("ar", 5, &ar, |s| crate::digits::native("ar", s)),
            "٥ رسالة"
        );
    }

    #[test]
    fn unread_messages_agree_in_number() {
        let same = |s: &str| s.to_owned();
        assert_eq!(unread_messages("en", 1, same), "1 unread message");
        assert_eq!(unread_messages("en", 4, same), "4 unread messages");
        assert_eq!(unread_messages("ar", 1, same), "رسالة واحدة غير مقروءة");
        assert_eq!(unread_messages("ar", 2, same), "رسالتان غير مقروءتين");
        assert_eq!(
            unread_messages("ar", 7, |s| crate::digits::native("ar", s)),
            "٧ رسائل غير مقروءة"
        );
        assert_eq!(unread_messages("ar", 12, same), "12 رسالة غير مقروءة");
        assert_eq!(unread_messages("fa", 1, same), "1 پیام خوانده‌نشده");
    }
}
