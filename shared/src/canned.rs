//! Canned responses where they are used, in the composer: filling a text's
//! variables, finding responses by what the agent typed after `/`, and
//! spotting that `/…` in a draft. Plain functions, shared so the server's
//! tests and the dashboard agree.

use crate::api::CannedResponse;

/// Longest `{…}` read as a variable; a longer brace is ordinary text.
const MAX_VARIABLE: usize = 64;

/// What the variables stand for in one conversation (`None`: not known).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Values<'a> {
    /// `{visitor.name}`.
    pub visitor_name: Option<&'a str>,
    /// `{agent.name}`.
    pub agent_name: Option<&'a str>,
    /// `{site.name}`.
    pub site_name: Option<&'a str>,
}

impl Values<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match name.trim() {
            "visitor.name" => self.visitor_name,
            "agent.name" => self.agent_name,
            "site.name" => self.site_name,
            _ => None,
        }
        .map(str::trim)
        .filter(|v| !v.is_empty())
    }
}

/// Fills the variables of `text`. `{name}` becomes its value; when the
/// value is not known, or the variable is not one of ours, it becomes its
/// fallback (`{visitor.name|there}` → `there`) or nothing — never the
/// braces themselves, which would reach the visitor. When nothing is put
/// in, the space before it goes too if a space or punctuation follows
/// (`Hi {visitor.name}, …` → `Hi, …`). A `{` with no `}` soon after is
/// left as written.
pub fn render(text: &str, values: &Values) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .char_indices()
            .take(MAX_VARIABLE)
            .find(|&(_, c)| c == '}' || c == '{')
            .filter(|&(_, c)| c == '}')
            .map(|(i, _)| i);
        let Some(close) = close else {
            out.push('{');
            rest = after;
            continue;
        };
        let (name, fallback) = match after[..close].split_once('|') {
            Some((name, fallback)) => (name, Some(fallback.trim())),
            None => (&after[..close], None),
        };
        let value = values.get(name).or(fallback).unwrap_or_default();
        rest = &after[close + 1..];
        if value.is_empty() {
            let next = rest.chars().next();
            if out.ends_with(' ') && next.is_none_or(|c| c == ' ' || ",.!?;:،؛؟".contains(c)) {
                out.pop();
            }
        } else {
            out.push_str(value);
        }
    }
    out.push_str(rest);
    out
}

/// The draft's trailing `/query`, if the agent is asking for a canned
/// response: a `/` at the start or after a space or line break, followed
/// by no space. Returns the `/`'s byte index and the query after it.
pub fn slash_query(draft: &str) -> Option<(usize, &str)> {
    let slash = draft.rfind('/')?;
    let query = &draft[slash + 1..];
    let starts_word = draft[..slash]
        .chars()
        .next_back()
        .is_none_or(char::is_whitespace);
    (starts_word && !query.contains(char::is_whitespace)).then_some((slash, query))
}

/// The responses `query` finds, best first, at most `limit`: shortcuts
/// that start with it, then shortcuts or titles that contain it (case
/// does not matter); an empty query lists them all by shortcut.
pub fn search<'a>(all: &'a [CannedResponse], query: &str, limit: usize) -> Vec<&'a CannedResponse> {
    let q = query.to_lowercase();
    let mut found: Vec<(u8, &CannedResponse)> = all
        .iter()
        .filter_map(|c| {
            let shortcut = c.shortcut.to_lowercase();
            if shortcut.starts_with(&q) {
                Some((0, c))
            } else if shortcut.contains(&q) || c.title.to_lowercase().contains(&q) {
                Some((1, c))
            } else {
                None
            }
        })
        .collect();
    found.sort_by(|(a, x), (b, y)| (a, &x.shortcut, &x.title).cmp(&(b, &y.shortcut, &y.title)));
    found.into_iter().take(limit).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CannedScope;

    const ALL: Values = Values {
        visitor_name: Some("Layla"),
        agent_name: Some("Sara"),
        site_name: Some("Corner Bakery"),
    };

    #[test]
    fn variables_are_filled() {
        assert_eq!(
            render(
                "Hi {visitor.name}, I am {agent.name} from {site.name}.",
                &ALL
            ),
            "Hi Layla, I am Sara from Corner Bakery."
        );
        assert_eq!(render("{ agent.name }!", &ALL), "Sara!");
        assert_eq!(render("no variables", &ALL), "no variables");
    }

    #[test]
    fn a_missing_value_uses_the_fallback_or_leaves_no_gap() {
        let none = Values::default();
        assert_eq!(render("Hi {visitor.name|there}!", &none), "Hi there!");
        assert_eq!(render("Hi {visitor.name}, welcome", &none), "Hi, welcome");
        assert_eq!(render("Dear {visitor.name} thanks", &none), "Dear thanks");
        assert_eq!(render("Thanks {visitor.name}", &none), "Thanks");
        assert_eq!(
            render("سلام {visitor.name}، خوش آمدید", &none),
            "سلام، خوش آمدید"
        );
        // A known value wins over the fallback.
        assert_eq!(render("Hi {visitor.name|there}!", &ALL), "Hi Layla!");
        // Blank counts as missing.
        let blank = Values {
            visitor_name: Some("  "),
            ..ALL
        };
        assert_eq!(render("Hi {visitor.name|friend}", &blank), "Hi friend");
    }

    #[test]
    fn unknown_variables_never_show_their_braces() {
        assert_eq!(
            render("Order {order.id|#?} is late", &ALL),
            "Order #? is late"
        );
        assert_eq!(render("Order {order.id} is late", &ALL), "Order is late");
        assert_eq!(render("a {} b", &ALL), "a b");
        // Any short braced text counts as a variable (it would reach the
        // visitor as template noise)…
        assert_eq!(render("use { and } freely", &ALL), "use freely");
        // …but a lone brace, or one that never closes nearby, is text.
        assert_eq!(render("smile :{", &ALL), "smile :{");
        let long = format!("{{{}}}", "x".repeat(80));
        assert_eq!(render(&long, &ALL), long);
        assert_eq!(render("{{agent.name}}", &ALL), "{Sara}");
    }

    #[test]
    fn a_slash_starts_a_query_only_at_a_word_start() {
        assert_eq!(slash_query("/"), Some((0, "")));
        assert_eq!(slash_query("/ref"), Some((0, "ref")));
        assert_eq!(slash_query("Thanks! /ref"), Some((8, "ref")));
        assert_eq!(slash_query("line\n/ship"), Some((5, "ship")));
        assert_eq!(slash_query("and/or"), None);
        assert_eq!(slash_query("/ref now"), None);
        assert_eq!(slash_query("https://x.example/"), None);
        assert_eq!(slash_query("no slash"), None);
    }

    fn canned(shortcut: &str, title: &str) -> CannedResponse {
        CannedResponse {
            id: format!("cr_{shortcut}").as_str().into(),
            scope: CannedScope::Global,
            owner: "a_1".into(),
            title: title.into(),
            shortcut: shortcut.into(),
            body: "text".into(),
        }
    }

    #[test]
    fn search_puts_shortcut_prefixes_first() {
        let all = [
            canned("thanks", "Thank the visitor"),
            canned("refund", "Refund policy"),
            canned("hours", "Opening hours"),
            canned("ship-oman", "Shipping to Oman"),
        ];
        let shortcuts = |q: &str, n| {
            search(&all, q, n)
                .iter()
                .map(|c| c.shortcut.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shortcuts("", 10),
            ["hours", "refund", "ship-oman", "thanks"]
        );
        assert_eq!(shortcuts("", 2), ["hours", "refund"]);
        assert_eq!(shortcuts("RE", 10), ["refund"]);
        assert_eq!(shortcuts("ho", 10), ["hours"]);
        assert_eq!(shortcuts("oman", 10), ["ship-oman"]);
        assert_eq!(shortcuts("policy", 10), ["refund"]);
        assert!(shortcuts("zzz", 10).is_empty());
    }
}
