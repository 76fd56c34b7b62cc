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
}
