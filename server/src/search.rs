//! Words for full-text search, folded the same way for what is indexed and
//! what is asked, so every store finds the same conversations (the
//! embedded store feeds these words to SQLite FTS5; the Redis store keeps
//! one set of conversations per word). Plain code, unit-tested here.
//!
//! Folding makes the spellings people mix up equal:
//! - case, and accents (`é` → `e`): NFKD, then combining marks dropped;
//! - Arabic and Persian: harakat and tatweel dropped, alef forms
//!   (`أ إ آ ٱ`) → `ا`, `ى ی ئ` → `ي`, `ؤ` → `و`, `ک` → `ك`, `ة` → `ه`,
//!   `ۀ` → `ه`, Arabic-Indic and Persian digits → ASCII digits, and the
//!   zero-width non-joiner of Persian compounds removed (`می‌خواهم` and
//!   `میخواهم` are one word);
//! - presentation forms (`ﻻ`) → their letters (NFKD).
//!
//! A query matches a conversation when every query word is the start of
//! some word of its messages (`refun` finds "refund"): search as you type.

use unicode_normalization::UnicodeNormalization;

/// The most words a query may have; more are ignored.
pub const MAX_QUERY_WORDS: usize = 8;
/// Longest word kept, in characters: longer ones are cut (a pasted token
/// must not make a huge index key).
pub const MAX_WORD_CHARS: usize = 40;

/// `text` folded (see the module docs), word separators kept.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if let Some(c) = fold_char(c) {
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn fold_char(c: char) -> Option<char> {
    Some(match c {
        // Combining marks (accents after NFKD, hamza above/below, madda).
        '\u{0300}'..='\u{036F}' | '\u{0653}'..='\u{0655}' => return None,
        // Harakat, tanwin, shadda, sukun, superscript alef, Quranic marks,
        // tatweel, zero-width non-joiner / joiner, soft hyphen.
        '\u{064B}'..='\u{0652}'
        | '\u{0656}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{200C}'
        | '\u{200D}'
        | '\u{00AD}' => return None,
        'ٱ' | 'أ' | 'إ' | 'آ' => 'ا',
        'ى' | 'ی' | 'ئ' => 'ي',
        'ؤ' => 'و',
        'ک' => 'ك',
        'ة' | 'ۀ' => 'ه',
        '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
        '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
        c => c,
    })
}

/// The words of `text`, folded, in order (repeats kept). A word is a run
/// of letters and digits.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().take(MAX_WORD_CHARS).collect())
        .collect()
}

/// The distinct words of `text`, sorted: what an index keeps of a message.
pub fn distinct_words(text: &str) -> Vec<String> {
    let mut out = words(text);
    out.sort();
    out.dedup();
    out
}

/// The words of a search box's text, at most [`MAX_QUERY_WORDS`] distinct
/// ones in the order typed; empty when there is nothing to search for.
pub fn query_words(query: &str) -> Vec<String> {
    query_words_where(query, |_| true)
}

/// Like [`query_words`], keeping only the words `keep` accepts (the cap
/// counts those only).
pub fn query_words_where(query: &str, keep: impl Fn(&str) -> bool) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words(query) {
        if keep(&w) && !out.contains(&w) {
            out.push(w);
        }
        if out.len() == MAX_QUERY_WORDS {
            break;
        }
    }
    out
}

/// Whether one of `text`'s words starts with one of `query` words: the
/// message a search hit shows as its excerpt.
pub fn mentions_any(text: &str, query: &[String]) -> bool {
    words(text)
        .iter()
        .any(|w| query.iter().any(|q| w.starts_with(q.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_accents_fold() {
        assert_eq!(words("Café RÉSUMÉ naïve"), ["cafe", "resume", "naive"]);
        assert_eq!(words("ﬁne Ⅳ"), ["fine", "iv"], "compatibility forms");
    }

    #[test]
    fn arabic_letter_forms_and_diacritics_fold() {
        // With and without harakat, hamza forms and tatweel.
        assert_eq!(fold("مَرْحَبًا"), fold("مرحبا"));
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("إسلام"), fold("اسلام"));
        assert_eq!(fold("آمنة"), fold("امنه"));
        assert_eq!(fold("مـــرحبا"), fold("مرحبا"));
        assert_eq!(fold("مستشفى"), fold("مستشفي"));
        assert_eq!(fold("مسؤول"), fold("مسوول"));
        assert_eq!(words("ﻻ"), ["لا"], "presentation form of lam-alef");
    }

    #[test]
    fn persian_letters_and_half_spaces_fold_to_the_arabic_ones() {
        // Persian yeh and kaf, as typed on a Persian keyboard, match the
        // Arabic code points another keyboard produces.
        assert_eq!(fold("کیف"), fold("كيف"));
        assert_eq!(fold("می‌خواهم"), fold("میخواهم"));
        assert_eq!(words("سفارش ۱۲۳۴"), [fold("سفارش"), "1234".to_owned()]);
        assert_eq!(words("طلب ٤٥"), [fold("طلب"), "45".to_owned()]);
    }

    #[test]
    fn words_split_on_anything_but_letters_and_digits() {
        assert_eq!(
            words("order #1234, refund?! (asap) e-mail"),
            ["order", "1234", "refund", "asap", "e", "mail"]
        );
        assert!(words("  ...  ").is_empty());
        let long = "x".repeat(500);
        assert_eq!(words(&long)[0].chars().count(), MAX_WORD_CHARS);
    }

    #[test]
    fn queries_keep_distinct_words_in_order_up_to_the_cap() {
        assert_eq!(query_words("Refund refund ORDER"), ["refund", "order"]);
        let many = (0..20)
            .map(|n| format!("w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(query_words(&many).len(), MAX_QUERY_WORDS);
        assert!(query_words("!!!").is_empty());
    }

    #[test]
    fn a_query_word_matches_the_start_of_a_word() {
        let q = query_words("refun");
        assert!(mentions_any("I want a REFUND please", &q));
        assert!(!mentions_any("nonrefundable", &q), "not inside a word");
        let q = query_words("سفارش");
        assert!(mentions_any("سفارشم کجاست؟", &q));
        assert_eq!(distinct_words("b a b"), ["a", "b"]);
    }
}
