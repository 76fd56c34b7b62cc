//! The history screen's plain logic: the filters as the query string of
//! `GET /api/history`, dates from the date inputs, and the words of an
//! excerpt to mark. Tested natively; `pages::history` draws it.

use shared::api::HistoryHit;
use shared::{AgentId, ConversationId, ConversationStatus, ConversationSummary, Millis, SiteId};

/// What the agent asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    /// The search box's text.
    pub text: String,
    /// Status filter.
    pub status: Option<ConversationStatus>,
    /// Site filter.
    pub site: Option<SiteId>,
    /// Agent filter.
    pub agent: Option<AgentId>,
    /// Started at or after (local midnight of the "from" day).
    pub from: Option<Millis>,
    /// Started before (local midnight after the "to" day).
    pub to: Option<Millis>,
}

impl Filters {
    /// `/api/history?…` for these filters, continuing after `after`.
    pub fn path(&self, after: Option<&str>) -> String {
        let mut parts = Vec::new();
        let text = self.text.trim();
        if !text.is_empty() {
            parts.push(format!("q={}", encode(text)));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", status_value(s)));
        }
        if let Some(s) = &self.site {
            parts.push(format!("site={}", encode(s.as_str())));
        }
        if let Some(a) = &self.agent {
            parts.push(format!("agent={}", encode(a.as_str())));
        }
        if let Some(t) = self.from {
            parts.push(format!("from={t}"));
        }
        if let Some(t) = self.to {
            parts.push(format!("to={t}"));
        }
        if let Some(a) = after {
            parts.push(format!("after={}", encode(a)));
        }
        if parts.is_empty() {
            "/api/history".into()
        } else {
            format!("/api/history?{}", parts.join("&"))
        }
    }
}

/// Brings found conversations up to date with the newer copies the desk
/// holds from its live frames (`newer`), so a listed chat shows its status,
/// agent, rating and last message as they are now, not as when searched.
/// Returns whether any row changed.
pub fn refresh(
    hits: &mut [HistoryHit],
    newer: impl Fn(&ConversationId) -> Option<ConversationSummary>,
) -> bool {
    let mut changed = false;
    for hit in hits {
        let held = &hit.conversation;
        if let Some(mut now) = newer(&held.id).filter(|s| s.version > held.version) {
            // Live frames may leave the last message out; keep the one found.
            if now.last_message.is_none() {
                now.last_message = held.last_message.clone();
            }
            hit.conversation = now;
            changed = true;
        }
    }
    changed
}

/// Adds to the top of the list the conversations the desk heard of that
/// started after its newest row and match `filters` (a chat begun while
/// the list is open shows up without searching again). Not with a text
/// search: only the server folds words the way its index does. Older
/// conversations are left to the server's later pages, so nothing is
/// listed twice or out of order. Returns whether any row was added.
pub fn admit<'a>(
    hits: &mut Vec<HistoryHit>,
    held: impl IntoIterator<Item = &'a ConversationSummary>,
    filters: &Filters,
) -> bool {
    if !filters.text.trim().is_empty() {
        return false;
    }
    let newest = hits
        .first()
        .map(|h| (h.conversation.created_at, h.conversation.id.clone()));
    let mut new: Vec<HistoryHit> = held
        .into_iter()
        .filter(|c| {
            newest
                .as_ref()
                .is_none_or(|n| (c.created_at, c.id.clone()) > *n)
        })
        .filter(|c| hits.iter().all(|h| h.conversation.id != c.id))
        .filter(|c| matches(c, filters))
        .map(|c| HistoryHit {
            conversation: c.clone(),
            excerpt: None,
        })
        .collect();
    if new.is_empty() {
        return false;
    }
    new.sort_by(|a, b| {
        (b.conversation.created_at, &b.conversation.id)
            .cmp(&(a.conversation.created_at, &a.conversation.id))
    });
    new.append(hits);
    *hits = new;
    true
}

/// Whether a conversation passes the filters other than the words.
fn matches(c: &ConversationSummary, f: &Filters) -> bool {
    f.status.is_none_or(|s| s == c.status)
        && f.site.as_ref().is_none_or(|s| *s == c.site)
        && f.agent
            .as_ref()
            .is_none_or(|a| c.agent.as_ref().is_some_and(|held| held.id == *a))
        && f.from.is_none_or(|t| c.created_at >= t)
        && f.to.is_none_or(|t| c.created_at < t)
}

/// A status as the API names it (and the status select's values).
pub fn status_value(s: ConversationStatus) -> &'static str {
    s.as_str()
}

/// The status a select value names (`""`: any).
pub fn parse_status(value: &str) -> Option<ConversationStatus> {
    [
        ConversationStatus::Queued,
        ConversationStatus::Assigned,
        ConversationStatus::Resolved,
    ]
    .into_iter()
    .find(|s| status_value(*s) == value)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The (year, month 1–12, day) of a date input's `YYYY-MM-DD` value.
pub fn parse_date(value: &str) -> Option<(u32, u32, u32)> {
    let mut parts = value.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    ((1..=12).contains(&m) && (1..=31).contains(&d) && y >= 1970).then_some((y, m, d))
}

/// `text` cut into runs, each marked when it is a word starting with one
/// of the `query`'s words (any case). Only exact spellings are marked;
/// the server also finds folded ones (Arabic letter forms…).
pub fn highlight(text: &str, query: &str) -> Vec<(String, bool)> {
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut push = |run: &str, marked: bool| match out.last_mut() {
        Some((last, m)) if *m == marked => last.push_str(run),
        _ => out.push((run.to_owned(), marked)),
    };
    let mut rest = text;
    while !rest.is_empty() {
        let alnum = rest.chars().next().is_some_and(char::is_alphanumeric);
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric() != alnum)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        let lower = run.to_lowercase();
        let marked = alnum && words.iter().any(|w| lower.starts_with(w.as_str()));
        push(run, marked);
        rest = tail;
    }
    out
}

/// Drops the start of a long text before its first marked run, keeping
/// `keep` characters of context behind an ellipsis, so the match shows in
/// a one-line excerpt.
pub fn from_first_mark(mut runs: Vec<(String, bool)>, keep: usize) -> Vec<(String, bool)> {
    let marked_later = runs.len() > 1;
    if let Some((first, false)) = runs.first_mut() {
        let n = first.chars().count();
        if marked_later && n > keep + 1 {
            let cut_mid_word = first
                .chars()
                .nth(n - keep - 1)
                .is_some_and(char::is_alphanumeric);
            let mut tail: String = first.chars().skip(n - keep).collect();
            if cut_mid_word {
                // Start at the next whole word.
                let at = tail.find(char::is_whitespace).unwrap_or(tail.len());
                tail = tail[at..].to_owned();
            }
            *first = format!("…{}", tail.trim_start());
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(id: &str, created_at: Millis, status: ConversationStatus) -> ConversationSummary {
        ConversationSummary {
            id: id.into(),
            site: "s_1".into(),
            status,
            agent: None,
            team: None,
            visitor: shared::VisitorInfo {
                id: "v_1".into(),
                locale: None,
                origin: None,
                name: None,
                email: None,
                attributes: Default::default(),
                user_id: None,
            },
            created_at,
            queued_at: None,
            last_seq: 1,
            last_message: None,
            visitor_read: 0,
            agent_read: 0,
            visitor_delivered: 0,
            agent_delivered: 0,
            version: 1,
            rating: None,
            left_message: false,
        }
    }

    fn ids(hits: &[HistoryHit]) -> Vec<&str> {
        hits.iter().map(|h| h.conversation.id.as_str()).collect()
    }

    #[test]
    fn chats_begun_while_the_list_is_open_join_its_top_when_they_match() {
        use ConversationStatus::*;
        let hit = |c: ConversationSummary| HistoryHit {
            conversation: c,
            excerpt: None,
        };
        let mut hits = vec![
            hit(held("c_b", 20, Resolved)),
            hit(held("c_a", 10, Resolved)),
        ];
        let desk = [
            held("c_b", 20, Resolved),
            held("c_old", 5, Queued),
            held("c_new", 30, Queued),
            held("c_newer", 40, Queued),
            held("c_other", 50, Queued),
        ];
        let mut other = desk[4].clone();
        other.site = "s_2".into();
        let desk = [
            desk[0].clone(),
            desk[1].clone(),
            desk[2].clone(),
            desk[3].clone(),
            other,
        ];
        let site_1 = Filters {
            site: Some("s_1".into()),
            ..Filters::default()
        };
        assert!(admit(&mut hits, &desk, &site_1));
        // Newest first; the older one is left to the server's pages, the
        // other site's is filtered out, none twice.
        assert_eq!(ids(&hits), ["c_newer", "c_new", "c_b", "c_a"]);
        assert!(
            !admit(&mut hits, &desk, &site_1),
            "nothing new the second time"
        );
        // A filter they do not pass, or a text search: nothing added.
        let mut hits = vec![hit(held("c_b", 20, Resolved))];
        let resolved = Filters {
            status: Some(Resolved),
            ..Filters::default()
        };
        assert!(!admit(&mut hits, &desk, &resolved));
        let words = Filters {
            text: "refund".into(),
            ..Filters::default()
        };
        assert!(!admit(&mut hits, &desk, &words));
        // An empty list takes them all.
        let mut none = Vec::new();
        assert!(admit(&mut none, &desk[..2], &Filters::default()));
        assert_eq!(ids(&none), ["c_b", "c_old"]);
    }

    #[test]
    fn found_rows_follow_newer_copies_only() {
        let summary = |id: &str, version: u64, status: ConversationStatus| ConversationSummary {
            id: id.into(),
            site: "s_1".into(),
            status,
            agent: None,
            team: None,
            visitor: shared::VisitorInfo {
                id: "v_1".into(),
                locale: None,
                origin: None,
                name: None,
                email: None,
                attributes: Default::default(),
                user_id: None,
            },
            created_at: 0,
            queued_at: None,
            last_seq: 1,
            last_message: None,
            visitor_read: 0,
            agent_read: 0,
            visitor_delivered: 0,
            agent_delivered: 0,
            version,
            rating: None,
            left_message: false,
        };
        let hit = |s: ConversationSummary| HistoryHit {
            conversation: s,
            excerpt: None,
        };
        let mut hits = vec![
            hit(summary("a", 3, ConversationStatus::Assigned)),
            hit(summary("b", 5, ConversationStatus::Assigned)),
        ];
        let desk = |id: &ConversationId| match id.as_str() {
            "a" => Some(summary("a", 4, ConversationStatus::Resolved)),
            "b" => Some(summary("b", 5, ConversationStatus::Resolved)),
            _ => None,
        };
        assert!(refresh(&mut hits, desk));
        assert_eq!(
            hits[0].conversation.status,
            ConversationStatus::Resolved,
            "newer"
        );
        assert_eq!(
            hits[1].conversation.status,
            ConversationStatus::Assigned,
            "same version: kept"
        );
        assert!(!refresh(&mut hits, desk), "nothing new the second time");
    }

    #[test]
    fn filters_make_the_query_string() {
        assert_eq!(Filters::default().path(None), "/api/history");
        let f = Filters {
            text: "  refund #12 سفارش ".into(),
            status: Some(ConversationStatus::Resolved),
            site: Some("s_1".into()),
            agent: Some("a_x".into()),
            from: Some(10),
            to: Some(20),
        };
        assert_eq!(
            f.path(Some("5.c_1")),
            "/api/history?q=refund%20%2312%20%D8%B3%D9%81%D8%A7%D8%B1%D8%B4&status=resolved\
             &site=s_1&agent=a_x&from=10&to=20&after=5.c_1"
        );
    }

    #[test]
    fn statuses_round_trip_and_empty_is_any() {
        for s in [
            ConversationStatus::Queued,
            ConversationStatus::Assigned,
            ConversationStatus::Resolved,
        ] {
            assert_eq!(parse_status(status_value(s)), Some(s));
        }
        assert_eq!(parse_status(""), None);
    }

    #[test]
    fn dates_parse_from_date_inputs() {
        assert_eq!(parse_date("2026-11-26"), Some((2026, 11, 26)));
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("2026-11"), None);
    }

    #[test]
    fn matching_words_are_marked() {
        let runs = highlight("I want a REFUND, refunded!", "refund");
        assert_eq!(
            runs,
            [
                ("I want a ".to_owned(), false),
                ("REFUND".to_owned(), true),
                (", ".to_owned(), false),
                ("refunded".to_owned(), true),
                ("!".to_owned(), false),
            ]
        );
        assert_eq!(
            highlight("nonrefundable", "refund"),
            [("nonrefundable".to_owned(), false)]
        );
        assert_eq!(
            highlight("سفارش من", "سفارش")[0],
            ("سفارش".to_owned(), true)
        );
        assert_eq!(highlight("abc", ""), [("abc".to_owned(), false)]);
    }

    #[test]
    fn a_late_match_is_brought_forward() {
        let text = format!("{}refund now", "word ".repeat(20));
        let runs = from_first_mark(highlight(&text, "refund"), 10);
        assert_eq!(runs[0].0, "…word word ");
        let runs = from_first_mark(highlight(&text, "refund"), 8);
        assert_eq!(runs[0].0, "…word ", "from a whole word");
        assert_eq!(runs[1], ("refund".to_owned(), true));
        // Short enough, or nothing marked: unchanged.
        let short = highlight("a refund", "refund");
        assert_eq!(from_first_mark(short.clone(), 10), short);
        let none = highlight(&text, "zzz");
        assert_eq!(from_first_mark(none.clone(), 10), none);
    }
}
