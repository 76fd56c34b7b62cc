//! Light markdown for chat messages: one parser for the widget and the
//! dashboard, so a message reads the same on both sides, and one HTML
//! serialiser for the transcript. The apps map [`Block`]s and [`Inline`]s to
//! DOM nodes themselves; nothing here produces markup from the sender's
//! text except through [`to_html`], which escapes every character of it.
//!
//! What it understands, and why it stops there:
//!
//! - A blank line separates paragraphs; a single newline is a line break.
//! - Lines starting `- ` or `* ` are a bulleted list, `1. ` or `1) ` a
//!   numbered one, for as long as consecutive lines keep the form. A
//!   numbered list must *start* at 1 (later items may carry any number):
//!   [`Block::List`] has no start number, and "10. Mai" or "2020. What a
//!   year" should not be renumbered into a list that says "1.".
//! - `**strong**`, `*em*`, `_em_` (`__strong__` too), with CommonMark's
//!   flanking rules; `_` must also stand at a word's edge, so
//!   snake_case_names stay text. Markers work within one line: a stray `*`
//!   on one line and another three lines down must not italicise all
//!   between. Nesting stops at [`MAX_DEPTH`]; deeper markers stay text.
//! - `` `code` `` (and ``` `` a`b `` ```): nothing inside is markup.
//! - Links: `[text](address)` and bare `http://`, `https://` and `mailto:`
//!   addresses. Only those three schemes ever become a link
//!   ([`is_allowed_href`]); anything else stays text exactly as typed. A bare
//!   address ends before trailing punctuation (`.` `,` `!` `?` …) and before
//!   an unbalanced `)`; it cannot contain `[` or `]`, so
//!   `[https://a.example](https://b.example)` — text that shows one address
//!   and leads to another — is refused and both addresses show as they are.
//! - No HTML, no headings, no backslash escapes: a chat message is pasted
//!   paths and prices as often as prose, and what is not markup above is
//!   shown exactly as typed.
//!
//! Parsing takes time about proportional to the text, hostile or not, with
//! one exception: each `[text](` rescans the rest of its line for the `)`
//! that closes the address, so a line made only of unclosed `[a](` is
//! quadratic — about 2 ms at the message limit
//! ([`crate::limits::MAX_MESSAGE_CHARS`]), which is not worth more code.

use crate::display::escape_html_into as escape;
use core::fmt::Write as _;

/// Deepest nesting of strong and emphasis kept: markers that would nest
/// deeper stay text, so no input can make the tree (and the apps' recursive
/// rendering of it) deep enough to exhaust a stack.
pub const MAX_DEPTH: u8 = 8;

/// A block of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Lines of text, a [`Inline::Break`] between them.
    Paragraph(Vec<Inline>),
    /// Consecutive list lines.
    List {
        /// Numbered (`<ol>`) rather than bulleted (`<ul>`).
        ordered: bool,
        /// One entry per item, each an item's one line.
        items: Vec<Vec<Inline>>,
    },
}

/// A run of text within a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text shown as it is.
    Text(String),
    /// Bold.
    Strong(Vec<Inline>),
    /// Italic.
    Em(Vec<Inline>),
    /// Code, shown in a fixed-width font, its text as typed.
    Code(String),
    /// A link whose address passed [`is_allowed_href`].
    Link {
        /// Where it leads.
        href: String,
        /// What it shows (the address itself for a bare one).
        text: String,
    },
    /// A line break within a paragraph.
    Break,
}

/// Whether `url` may be a link's address: an `http:` or `https:` address
/// with a host, or a `mailto:` one, the scheme in any ASCII case, with no
/// whitespace, control or bidi control character and none of `<`, `>`,
/// `"`, `` ` ``, `\` anywhere.
/// Everything else is refused — `javascript:` however spelled, `data:`,
/// relative and scheme-relative addresses — because an allow-list is the
/// only list that stays right when browsers learn new schemes.
pub fn is_allowed_href(url: &str) -> bool {
    if url.chars().any(bad_url_char) {
        return false;
    }
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    if scheme.eq_ignore_ascii_case("mailto") {
        return !rest.is_empty();
    }
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return false;
    }
    // A host must follow `//`: `https:evil` and `https:///x` are read
    // differently by different parsers, so they are not links at all.
    rest.strip_prefix("//")
        .is_some_and(|after| !after.starts_with(['/', '?', '#']) && !after.is_empty())
}

/// A character that never belongs in an address we link to.
fn bad_url_char(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '<' | '>' | '"' | '`' | '\\')
        // Bidi controls could make an address show as a different one.
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The blocks of a message. Never panics; text that is not markup comes out
/// exactly as it went in (line ends normalised to `\n`).
pub fn parse(text: &str) -> Vec<Block> {
    let text = text.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    let mut para: Vec<Inline> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    for line in text.split(['\n', '\r']) {
        if line.trim().is_empty() {
            flush(&mut blocks, &mut para, &mut list);
            continue;
        }
        let in_ordered = matches!(list, Some((true, _)));
        match list_item(line, in_ordered) {
            Some((ordered, rest)) => {
                if list.as_ref().is_some_and(|(o, _)| *o != ordered) || !para.is_empty() {
                    flush(&mut blocks, &mut para, &mut list);
                }
                list.get_or_insert((ordered, Vec::new()))
                    .1
                    .push(inlines(rest));
            }
            None => {
                if list.is_some() {
                    flush(&mut blocks, &mut para, &mut list);
                }
                if !para.is_empty() {
                    para.push(Inline::Break);
                }
                para.extend(inlines(line));
            }
        }
    }
    flush(&mut blocks, &mut para, &mut list);
    blocks
}

/// Ends the open paragraph or list, if any.
fn flush(
    blocks: &mut Vec<Block>,
    para: &mut Vec<Inline>,
    list: &mut Option<(bool, Vec<Vec<Inline>>)>,
) {
    if !para.is_empty() {
        blocks.push(Block::Paragraph(core::mem::take(para)));
    }
    if let Some((ordered, items)) = list.take() {
        blocks.push(Block::List { ordered, items });
    }
}

/// `Some((ordered, content))` if `line` is a list item. A numbered item
/// starts a list only as number 1 (see the module doc).
fn list_item(line: &str, in_ordered: bool) -> Option<(bool, &str)> {
    let t = line.trim_start_matches([' ', '\t']);
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let (ordered, rest) = if let Some(rest) = t.strip_prefix(['-', '*']) {
        (false, rest)
    } else if (1..=9).contains(&digits) && (in_ordered || &t[..digits] == "1") {
        (true, t[digits..].strip_prefix(['.', ')'])?)
    } else {
        return None;
    };
    let content = rest.strip_prefix([' ', '\t'])?.trim_start();
    (!content.is_empty()).then_some((ordered, content))
}

/// A token of a line being parsed: finished inline content (with its
/// nesting depth), or a run of `*` or `_` that may still open emphasis.
enum Tok {
    Done(Inline, u8),
    Open { ch: u8, n: usize },
}

/// The inline content of one line: atoms (code, links) are taken as they
/// are met, emphasis by CommonMark's delimiter-stack method, which matches
/// each closing run with the nearest opening one in one pass.
fn inlines(s: &str) -> Vec<Inline> {
    let b = s.as_bytes();
    let mut line = Line::default();
    // Every index below sits on an ASCII byte or the end, so each slice
    // falls on a character boundary.
    let (mut i, mut text_from) = (0, 0);
    while let Some(&c) = b.get(i) {
        let atom = match c {
            b'`' => {
                let n = run(b, i);
                match code_span(s, i, n) {
                    Some(found) => Some(found),
                    None => {
                        // An unmatched run is text as a whole: its second
                        // backtick must not open a shorter span.
                        i += n;
                        continue;
                    }
                }
            }
            b'[' => bracket_link(s, i),
            b'h' | b'H' | b'm' | b'M' => bare_link(s, i),
            b'*' | b'_' => {
                let n = run(b, i);
                line.text(&s[text_from..i]);
                line.delim(s, i, n);
                i += n;
                text_from = i;
                continue;
            }
            _ => None,
        };
        match atom {
            Some((inline, end)) => {
                line.text(&s[text_from..i]);
                line.out.push(Tok::Done(inline, 0));
                i = end;
                text_from = end;
            }
            None => i += 1,
        }
    }
    line.text(&s[text_from..]);
    finish(line.out)
}

/// Length of the run of `b[i]` starting at `i`.
fn run(b: &[u8], i: usize) -> usize {
    b[i..].iter().take_while(|&&x| x == b[i]).count()
}

/// The code span opened by the `n` backticks at `i`, closed by the next run
/// of exactly `n`, and where it ends.
fn code_span(s: &str, i: usize, n: usize) -> Option<(Inline, usize)> {
    let b = s.as_bytes();
    let mut j = i + n;
    while j < b.len() {
        if b[j] != b'`' {
            j += 1;
            continue;
        }
        let m = run(b, j);
        if m == n {
            let mut body = &s[i + n..j];
            // One space each side lets a span start or end with a backtick.
            if body.starts_with(' ') && body.ends_with(' ') && !body.trim_matches(' ').is_empty() {
                body = &body[1..body.len() - 1];
            }
            return Some((Inline::Code(body.to_string()), j + m));
        }
        j += m;
    }
    None
}

/// The `[text](address)` link at `i`, and where it ends.
fn bracket_link(s: &str, i: usize) -> Option<(Inline, usize)> {
    let rest = &s[i + 1..];
    let close = rest.find(['[', ']'])?;
    let after = rest[close..].strip_prefix("](")?;
    let text = &rest[..close];
    // The address ends at the `)` that balances, so Wikipedia's
    // `…/Rust_(programming_language)` stays whole.
    let mut depth = 0usize;
    let mut end = None;
    for (k, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = Some(k);
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    let href = &after[..end?];
    let shown = text.trim();
    // Text that is itself an address must be the address it leads to.
    let spoof = shown.contains("://")
        || shown
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("mailto:"));
    if shown.is_empty() || !is_allowed_href(href) || (spoof && shown != href) {
        return None;
    }
    let link = Inline::Link {
        href: href.to_string(),
        text: text.to_string(),
    };
    Some((link, s.len() - after.len() + href.len() + 1))
}

/// The bare address at `i`, and where it ends.
fn bare_link(s: &str, i: usize) -> Option<(Inline, usize)> {
    if s[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let rest = &s[i..];
    let starts = |p: &str| {
        rest.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    if !(starts("http://") || starts("https://") || starts("mailto:")) {
        return None;
    }
    let mut end = rest
        .find(|c| bad_url_char(c) || c == '[' || c == ']')
        .unwrap_or(rest.len());
    let (opens, mut closes) = (
        rest[..end].matches('(').count(),
        rest[..end].matches(')').count(),
    );
    // Punctuation that ends the sentence is not the address's; a `)` is
    // the address's only when it closes a `(` in it.
    while let Some(last) = rest[..end].bytes().next_back() {
        match last {
            b'.' | b',' | b':' | b';' | b'!' | b'?' | b'\'' | b'*' | b'_' | b'~' => {}
            b')' if closes > opens => closes -= 1,
            _ => break,
        }
        end -= 1;
    }
    let url = &rest[..end];
    is_allowed_href(url).then(|| {
        (
            Inline::Link {
                href: url.to_string(),
                text: url.to_string(),
            },
            i + end,
        )
    })
}

/// One line's tokens so far, and where its open `*` (0) and `_` (1) runs
/// are among them, innermost last.
#[derive(Default)]
struct Line {
    out: Vec<Tok>,
    openers: [Vec<usize>; 2],
}

impl Line {
    /// Appends text, merged into the text before it.
    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if let Some(Tok::Done(Inline::Text(prev), _)) = self.out.last_mut() {
            prev.push_str(t);
        } else {
            self.out.push(Tok::Done(Inline::Text(t.to_string()), 0));
        }
    }

    /// Takes the run of `n` `*` or `_` at `i`: it closes what it can, and
    /// what is left of it may open, or is text.
    fn delim(&mut self, s: &str, i: usize, n: usize) {
        let ch = s.as_bytes()[i];
        let (open, close) = flanking(ch, s[..i].chars().next_back(), s[i + n..].chars().next());
        let k = usize::from(ch == b'_');
        let mut left = n;
        while close && left > 0 {
            let Some(&j) = self.openers[k].last() else {
                break;
            };
            let Some(Tok::Open { n: avail, .. }) = self.out.get(j) else {
                break;
            };
            let avail = *avail;
            let depth = self.out[j + 1..]
                .iter()
                .map(|t| if let Tok::Done(_, d) = t { *d } else { 0 })
                .max()
                .unwrap_or(0);
            if depth >= MAX_DEPTH {
                break;
            }
            let take = if avail >= 2 && left >= 2 { 2 } else { 1 };
            let inner = finish(self.out.split_off(j + 1));
            // Runs left open inside are text now.
            for stack in &mut self.openers {
                while stack.last().is_some_and(|&o| o > j) {
                    stack.pop();
                }
            }
            if avail == take {
                self.out.pop();
                self.openers[k].pop();
            } else if let Some(Tok::Open { n, .. }) = self.out.last_mut() {
                *n -= take;
            }
            let node = if take == 2 {
                Inline::Strong(inner)
            } else {
                Inline::Em(inner)
            };
            self.out.push(Tok::Done(node, depth + 1));
            left -= take;
        }
        if left > 0 && open {
            self.openers[k].push(self.out.len());
            self.out.push(Tok::Open { ch, n: left });
        } else {
            self.text(&s[i..i + left]);
        }
    }
}

/// Whether a `ch` run between `prev` and `next` can open and can close
/// emphasis (CommonMark's left- and right-flanking; a line's ends count as
/// whitespace). `_` must also not touch a letter or digit on the other side.
fn flanking(ch: u8, prev: Option<char>, next: Option<char>) -> (bool, bool) {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let left = !space(next) && (!punct(next) || space(prev) || punct(prev));
    let right = !space(prev) && (!punct(prev) || space(next) || punct(next));
    if ch == b'_' {
        (
            left && (!right || punct(prev)),
            right && (!left || punct(next)),
        )
    } else {
        (left, right)
    }
}

/// Tokens as inline content: runs left open are text, neighbouring texts
/// merged.
fn finish(toks: Vec<Tok>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(toks.len());
    for tok in toks {
        let inline = match tok {
            Tok::Done(inline, _) => inline,
            Tok::Open { ch, n } => Inline::Text(char::from(ch).to_string().repeat(n)),
        };
        if let (Some(Inline::Text(prev)), Inline::Text(t)) = (out.last_mut(), &inline) {
            prev.push_str(t);
            continue;
        }
        out.push(inline);
    }
    out
}

/// The blocks as HTML: every text escaped, only `p br strong em code ul ol
/// li a` elements, links opening in a new tab without referrer or opener.
/// A link whose address [`is_allowed_href`] refuses (a hand-built tree) is
/// written as its text.
pub fn to_html(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Paragraph(content) => wrap("p", content, &mut out),
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let _ = write!(out, "<{tag}>");
                for item in items {
                    wrap("li", item, &mut out);
                }
                let _ = write!(out, "</{tag}>");
            }
        }
    }
    out
}

/// `content` in a `tag` element.
fn wrap(tag: &str, content: &[Inline], out: &mut String) {
    let _ = write!(out, "<{tag}>");
    inline_html(content, out);
    let _ = write!(out, "</{tag}>");
}

fn inline_html(content: &[Inline], out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text(t) => escape(t, out),
            Inline::Strong(c) => wrap("strong", c, out),
            Inline::Em(c) => wrap("em", c, out),
            Inline::Code(t) => {
                out.push_str("<code>");
                escape(t, out);
                out.push_str("</code>");
            }
            Inline::Link { href, text } if is_allowed_href(href) => {
                out.push_str("<a href=\"");
                escape(href, out);
                out.push_str("\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">");
                escape(text, out);
                out.push_str("</a>");
            }
            Inline::Link { text, .. } => escape(text, out),
            Inline::Break => out.push_str("<br>"),
        }
    }
}

/// The blocks as text without markup, for notifications and previews:
/// blocks a blank line apart, list items on lines of their own (`- ` or
/// `1. `), a link as its text.
pub fn plain(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (b, block) in blocks.iter().enumerate() {
        if b > 0 {
            out.push_str("\n\n");
        }
        match block {
            Block::Paragraph(content) => inline_plain(content, &mut out),
            Block::List { ordered, items } => {
                for (k, item) in items.iter().enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    if *ordered {
                        let _ = write!(out, "{}. ", k + 1);
                    } else {
                        out.push_str("- ");
                    }
                    inline_plain(item, &mut out);
                }
            }
        }
    }
    out
}

fn inline_plain(content: &[Inline], out: &mut String) {
    for inline in content {
        match inline {
            Inline::Text(t) | Inline::Code(t) | Inline::Link { text: t, .. } => out.push_str(t),
            Inline::Strong(c) | Inline::Em(c) => inline_plain(c, out),
            Inline::Break => out.push('\n'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use Inline::{Break, Code, Em, Strong};

    fn t(s: &str) -> Inline {
        Inline::Text(s.into())
    }
    fn link(href: &str, text: &str) -> Inline {
        Inline::Link {
            href: href.into(),
            text: text.into(),
        }
    }
    /// The inline content of a one-paragraph message.
    fn para(s: &str) -> Vec<Inline> {
        match parse(s).as_slice() {
            [Block::Paragraph(content)] => content.clone(),
            other => panic!("{s:?} is not one paragraph: {other:?}"),
        }
    }
    /// A message that must stay exactly its text.
    fn literal(s: &str) {
        assert_eq!(para(s), vec![t(s)], "{s:?}");
    }

    #[test]
    fn paragraphs_breaks_and_line_ends() {
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse(" \n\t\n"), vec![]);
        assert_eq!(
            parse("\n\na\r\nb\n \n\n\rc\n"),
            vec![
                Block::Paragraph(vec![t("a"), Break, t("b")]),
                Block::Paragraph(vec![t("c")]),
            ]
        );
        assert_eq!(para("  indented  "), vec![t("  indented  ")]);
    }

    #[test]
    fn strong_and_em() {
        assert_eq!(para("**bold**"), vec![Strong(vec![t("bold")])]);
        assert_eq!(para("a *it* b"), vec![t("a "), Em(vec![t("it")]), t(" b")]);
        assert_eq!(para("_it_."), vec![Em(vec![t("it")]), t(".")]);
        assert_eq!(para("__b__"), vec![Strong(vec![t("b")])]);
        assert_eq!(para("***both***"), vec![Em(vec![Strong(vec![t("both")])])]);
        assert_eq!(
            para("**a *b* c**"),
            vec![Strong(vec![t("a "), Em(vec![t("b")]), t(" c")])]
        );
        assert_eq!(
            para("*a **b***"),
            vec![Em(vec![t("a "), Strong(vec![t("b")])])]
        );
        // Flanking: a marker before a space does not open.
        literal("a * b * c");
        literal("** not bold **");
    }

    #[test]
    fn underscores_inside_words_are_text() {
        literal("snake_case_names and __dunder_ish");
        literal("file_name.rs");
        assert_eq!(
            para("call my_fn _now_"),
            vec![t("call my_fn "), Em(vec![t("now")])]
        );
    }

    #[test]
    fn markers_work_within_one_line() {
        assert_eq!(para("*a\nb*"), vec![t("*a"), Break, t("b*")]);
    }

    #[test]
    fn unclosed_markers_stay_text() {
        for s in [
            "**a",
            "*a",
            "a*",
            "_a",
            "a_",
            "`a",
            "``a`",
            "[a",
            "[a]",
            "[a](",
            "[a](javascript:x",
            "a ** b",
            "[a] (b)",
        ] {
            literal(s);
        }
        assert_eq!(para("**a*"), vec![t("*"), Em(vec![t("a")])]);
        // A link with nothing to show is no link; its address still is one.
        assert_eq!(
            para("[ ](http://x.com)"),
            vec![t("[ ]("), link("http://x.com", "http://x.com"), t(")")]
        );
    }

    #[test]
    fn code_spans_hold_no_markup() {
        assert_eq!(
            para("`a *b* [c](http://x.com)`"),
            vec![Code("a *b* [c](http://x.com)".into())]
        );
        assert_eq!(para("`` a`b ``"), vec![Code("a`b".into())]);
        assert_eq!(para("` `"), vec![Code(" ".into())]);
        assert_eq!(para("*`x`*"), vec![Em(vec![Code("x".into())])]);
        // A run unmatched as a whole is text: its second backtick opens nothing.
        assert_eq!(para("``a`b`"), vec![t("``a"), Code("b".into())]);
    }

    #[test]
    fn lists() {
        let items = |v: &[&str]| v.iter().map(|s| vec![t(s)]).collect::<Vec<_>>();
        assert_eq!(
            parse("- a\n* b"),
            vec![Block::List {
                ordered: false,
                items: items(&["a", "b"])
            }]
        );
        assert_eq!(
            parse("Steps:\n1. one\n2) two\n7. three\nthanks"),
            vec![
                Block::Paragraph(vec![t("Steps:")]),
                Block::List {
                    ordered: true,
                    items: items(&["one", "two", "three"])
                },
                Block::Paragraph(vec![t("thanks")]),
            ]
        );
        assert_eq!(
            parse("- a\n1. b"),
            vec![
                Block::List {
                    ordered: false,
                    items: items(&["a"])
                },
                Block::List {
                    ordered: true,
                    items: items(&["b"])
                },
            ]
        );
        assert_eq!(
            parse("- **a**"),
            vec![Block::List {
                ordered: false,
                items: vec![vec![Strong(vec![t("a")])]]
            }]
        );
        // Numbered lists start at 1; a date or a year is not a list.
        literal("10. Mai passt");
        literal("2020. What a year");
        literal("2) second");
        for s in ["-", "- ", "-a", "1.", "1.x", "*a*"] {
            assert!(
                matches!(parse(s).as_slice(), [Block::Paragraph(_)]),
                "{s:?}"
            );
        }
    }

    #[test]
    fn bare_links() {
        assert_eq!(
            para("see https://example.com/a?b=c#d now"),
            vec![
                t("see "),
                link("https://example.com/a?b=c#d", "https://example.com/a?b=c#d"),
                t(" now")
            ]
        );
        assert_eq!(
            para("HTTP://X.COM"),
            vec![link("HTTP://X.COM", "HTTP://X.COM")]
        );
        assert_eq!(
            para("mailto:a@b.example"),
            vec![link("mailto:a@b.example", "mailto:a@b.example")]
        );
        assert_eq!(
            para("**https://x.com**"),
            vec![Strong(vec![link("https://x.com", "https://x.com")])]
        );
        literal("xhttp://x.com");
        literal("http://");
        literal("https:///path");
        literal("ftp://x.com");
        literal("www.example.com");
    }

    #[test]
    fn trailing_punctuation_is_not_the_address() {
        for p in [".", ",", ")", "!", "?", "...", "!?", ":", ";", "'"] {
            let s = format!("go to http://x.com/a{p}");
            assert_eq!(
                para(&s),
                vec![t("go to "), link("http://x.com/a", "http://x.com/a"), t(p)],
                "{s:?}"
            );
        }
        let wiki = "https://en.wikipedia.org/wiki/Rust_(programming_language)";
        assert_eq!(
            para(&format!("({wiki}).")),
            vec![t("("), link(wiki, wiki), t(").")]
        );
        assert_eq!(
            para("(see http://x.com)"),
            vec![t("(see "), link("http://x.com", "http://x.com"), t(")")]
        );
    }

    #[test]
    fn bracket_links() {
        assert_eq!(
            para("read [the docs](https://x.com/docs) first"),
            vec![
                t("read "),
                link("https://x.com/docs", "the docs"),
                t(" first")
            ]
        );
        let wiki = "https://en.wikipedia.org/wiki/Rust_(programming_language)";
        assert_eq!(para(&format!("[Rust]({wiki})")), vec![link(wiki, "Rust")]);
        assert_eq!(
            para("[mail us](MAILTO:help@x.com)"),
            vec![link("MAILTO:help@x.com", "mail us")]
        );
        assert_eq!(
            para("[*a*](http://x.com)"),
            vec![link("http://x.com", "*a*")]
        );
        // A space in the address: not a link; the bare address still is.
        assert_eq!(
            para("[a](http://x.com b)"),
            vec![t("[a]("), link("http://x.com", "http://x.com"), t(" b)")]
        );
        // Text showing one address and leading to another is refused.
        assert_eq!(
            para("[https://bank.com](https://evil.com)"),
            vec![
                t("["),
                link("https://bank.com", "https://bank.com"),
                t("]("),
                link("https://evil.com", "https://evil.com"),
                t(")"),
            ]
        );
        assert_eq!(
            para("[https://x.com](https://x.com)"),
            vec![link("https://x.com", "https://x.com")]
        );
    }

    #[test]
    fn right_to_left_text_passes_through() {
        for s in [
            "سلام، چطوری؟",
            "می‌خواهم سفارشم را پیگیری کنم",
            "مرحبا بكم في موقعنا 123",
            "\u{202E}evil\u{202C} text",
        ] {
            assert_eq!(parse(s), vec![Block::Paragraph(vec![t(s)])]);
            assert_eq!(plain(&parse(s)), s);
        }
        assert_eq!(
            para("**سلام** دنیا"),
            vec![Strong(vec![t("سلام")]), t(" دنیا")]
        );
        assert_eq!(para("_مرحبا_"), vec![Em(vec![t("مرحبا")])]);
        assert_eq!(
            parse("- یک\n- دو"),
            vec![Block::List {
                ordered: false,
                items: vec![vec![t("یک")], vec![t("دو")]]
            }]
        );
        literal("کلمه_کلمه_کلمه");
    }

    #[test]
    fn emoji_pass_through() {
        let family = "👨‍👩‍👧‍👦 👍🏽 🇸🇦 ❤️";
        literal(family);
        assert_eq!(
            para("I *❤️* it 🎉"),
            vec![t("I "), Em(vec![t("❤️")]), t(" it 🎉")]
        );
        assert_eq!(para("**🙂**"), vec![Strong(vec![t("🙂")])]);
        assert_eq!(
            para("🙂https://x.com/🙂"),
            vec![t("🙂"), link("https://x.com/🙂", "https://x.com/🙂")]
        );
    }

    #[test]
    fn allowed_hrefs() {
        for ok in [
            "http://a",
            "https://a.b/c",
            "HtTpS://a",
            "mailto:x@y.z",
            "https://[::1]:8080/",
        ] {
            assert!(is_allowed_href(ok), "{ok:?}");
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:x",
            "java&#115;cript:alert(1)",
            "&#106;avascript:x",
            "%6Aavascript:x",
            "data:text/html,<b>",
            "vbscript:msgbox",
            "/relative",
            "//evil.com",
            "https:evil.com",
            "http:\\\\evil.com",
            "https://",
            "https:///x",
            "http:// x",
            " http://x",
            "http://x ",
            "http://x\n",
            "http://x\u{0}",
            "http://x\u{202E}moc.evil",
            "mailto:",
            "httpſ://x",
            "file:///etc/passwd",
        ] {
            assert!(!is_allowed_href(bad), "{bad:?}");
        }
    }

    #[test]
    fn html_escapes_and_shapes() {
        assert_eq!(
            to_html(&parse("<b>&\"'</b> **x**\ny\n\n- a\n1. `<i>`")),
            "<p>&lt;b&gt;&amp;&quot;&#39;&lt;/b&gt; <strong>x</strong><br>y</p>\
             <ul><li>a</li></ul><ol><li><code>&lt;i&gt;</code></li></ol>"
        );
        // A quote ends a bare address; in a bracket link it refuses it.
        assert_eq!(
            to_html(&parse("http://x.com/?a=\"<b>")),
            "<p><a href=\"http://x.com/?a=\" rel=\"noopener noreferrer nofollow\" \
             target=\"_blank\">http://x.com/?a=</a>&quot;&lt;b&gt;</p>"
        );
        let html = to_html(&parse("[a](http://x.com/?a=1&b='2')"));
        assert_eq!(
            html,
            "<p><a href=\"http://x.com/?a=1&amp;b=&#39;2&#39;\" \
             rel=\"noopener noreferrer nofollow\" target=\"_blank\">a</a></p>"
        );
        // A hand-built link to a refused address is written as its text.
        let built = [Block::Paragraph(vec![link("javascript:alert(1)", "<x>")])];
        assert_eq!(to_html(&built), "<p>&lt;x&gt;</p>");
    }

    #[test]
    fn plain_drops_markup() {
        assert_eq!(
            plain(&parse(
                "**Hi** _there_\n`code` [docs](https://x.com)\n\n1. a\n3. b\n- c"
            )),
            "Hi there\ncode docs\n\n1. a\n2. b\n\n- c"
        );
    }

    /// Strong and Em nesting of the deepest part of `content`.
    fn depth(content: &[Inline]) -> u8 {
        content
            .iter()
            .map(|i| match i {
                Strong(c) | Em(c) => 1 + depth(c),
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    fn blocks_depth(blocks: &[Block]) -> u8 {
        blocks
            .iter()
            .flat_map(|b| match b {
                Block::Paragraph(c) => vec![depth(c)],
                Block::List { items, .. } => items.iter().map(|c| depth(c)).collect(),
            })
            .max()
            .unwrap_or(0)
    }

    fn hostile() -> Vec<String> {
        let n = crate::limits::MAX_MESSAGE_CHARS;
        let mut v: Vec<String> = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "\"><svg onload=alert(1)>",
            "'><svg/onload=alert(1)>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            "[x](\tjavascript:alert(1))",
            "[x](java\tscript:alert(1))",
            "[x](java&#115;cript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](javascript&#58;alert(1))",
            "[x](%6Aavascript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](vbscript:msgbox(1))",
            "[x](//evil.com)",
            "[x](/relative)",
            "[x](http://x.com\"onmouseover=\"alert(1))",
            "[x](http://x.com'onmouseover='alert(1))",
            "[<img src=x onerror=alert(1)>](http://x.com)",
            "[x](http://x.com)<script>",
            "javascript:alert(1)",
            " JAVASCRIPT:alert(1)",
            "http://x.com/\"><script>alert(1)</script>",
            "https://x.com/'onmouseover='alert(1)'",
            "[[a](http://x.com)](javascript:alert(1))",
            "[a[b](javascript:x)](http://y.com)",
            "[[[[[[x]]]]]](http://x.com)",
            "`<script>`",
            "**<b>**",
            "<a href=\"javascript:alert(1)\">x</a>",
            "&lt;script&gt;",
            "&#x3C;script&#x3E;",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        v.push("*".repeat(10_000));
        v.push("_".repeat(10_000));
        v.push("`".repeat(10_000));
        v.push("*a".repeat(n / 2));
        v.push("*a ".repeat(n / 3));
        v.push(format!("{}a{}", "**".repeat(n / 4), "**".repeat(n / 4)));
        v.push(format!("{}a{}", "*_".repeat(n / 4), "_*".repeat(n / 4)));
        v.push(format!("{}a{}", "*x_".repeat(n / 6), "_x*".repeat(n / 6)));
        v.push("[".repeat(n));
        v.push("[a](".repeat(n / 4));
        v.push(format!("[a](http://x.com/{}", "(".repeat(n)));
        v.push(format!("http://x.com/{}", ")".repeat(n)));
        v.push("http://".repeat(n / 7));
        v.push(
            (1..n / 3)
                .map(|k| "`".repeat(k % 50))
                .collect::<Vec<_>>()
                .join("a"),
        );
        v.push("- a\n".repeat(n / 4));
        v
    }

    #[test]
    fn hostile_input_stays_inert() {
        for s in hostile() {
            let blocks = parse(&s);
            let html = to_html(&blocks);
            if let Err(e) = check_html(&html) {
                panic!("{e} in {html:?} from {s:?}");
            }
            assert!(blocks_depth(&blocks) <= MAX_DEPTH, "{s:.80}");
            assert!(!html.contains("<script") && !html.contains("<img") && !html.contains("<svg"));
            assert!(!html.to_ascii_lowercase().contains("href=\"javascript"));
        }
        // Refused addresses stay exactly as typed.
        for s in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            "[x](java&#115;cript:alert(1))",
            "[x](data:text/html;base64,PHNjcmlwdD4=)",
            "[x](vbscript:msgbox(1))",
            "[x](/relative)",
            "[x](//evil.com)",
            "javascript:alert(1)",
        ] {
            literal(s);
        }
        assert_eq!(
            para("[[a](http://x.com)](javascript:alert(1))"),
            vec![
                t("["),
                link("http://x.com", "a"),
                t("](javascript:alert(1))")
            ]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        // Each level kept takes its two markers away; the rest stay text.
        let max = usize::from(MAX_DEPTH);
        let deep = format!("{}a{}", "*x _x ".repeat(25), " x_ x*".repeat(25));
        let blocks = parse(&deep);
        assert_eq!(blocks_depth(&blocks), MAX_DEPTH);
        assert_eq!(plain(&blocks).len(), deep.len() - 2 * max);
        let deep = format!("{}a{}", "**".repeat(50), "**".repeat(50));
        let blocks = parse(&deep);
        assert_eq!(blocks_depth(&blocks), MAX_DEPTH);
        assert_eq!(
            plain(&blocks),
            format!(
                "{}a{}",
                "*".repeat(100 - 2 * max),
                "*".repeat(100 - 2 * max)
            )
        );
    }

    /// What the test accepts as a link's address, written apart from
    /// [`is_allowed_href`] so that a mistake there shows here.
    fn scheme_ok(href: &str) -> bool {
        let lower = href.to_ascii_lowercase();
        ["http://", "https://", "mailto:"]
            .iter()
            .any(|p| lower.starts_with(p))
            && !href.chars().any(|c| c.is_whitespace() || c.is_control())
    }

    /// `s` with our five entities decoded; an error for any other `&`.
    fn unescape(s: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = s;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let (entity, c) = [
                ("&amp;", '&'),
                ("&lt;", '<'),
                ("&gt;", '>'),
                ("&quot;", '"'),
                ("&#39;", '\''),
            ]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e))
            .ok_or_else(|| format!("bare & at {rest:.20?}"))?;
            out.push(c);
            rest = &rest[entity.len()..];
        }
        if rest.contains(['<', '>', '"', '\'']) {
            return Err(format!("raw markup character in {rest:?}"));
        }
        out.push_str(rest);
        Ok(out)
    }

    /// Checks that `html` has only the allowed elements, properly nested,
    /// attributes only on `a` (exactly href, rel, target, with an allowed
    /// address), and only escaped text.
    fn check_html(html: &str) -> Result<(), String> {
        let mut open: Vec<&str> = Vec::new();
        let mut rest = html;
        while !rest.is_empty() {
            let Some(lt) = rest.find('<') else {
                unescape(rest)?;
                break;
            };
            unescape(&rest[..lt])?;
            let gt = rest[lt..].find('>').ok_or("unterminated tag")? + lt;
            let tag = &rest[lt + 1..gt];
            rest = &rest[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                if open.pop() != Some(name) {
                    return Err(format!("</{name}> closes nothing open"));
                }
                continue;
            }
            let (name, attrs) = tag.split_once(' ').unwrap_or((tag, ""));
            match name {
                "br" if attrs.is_empty() => {}
                "p" | "strong" | "em" | "code" | "ul" | "ol" | "li" if attrs.is_empty() => {
                    open.push(name)
                }
                "a" => {
                    check_a(attrs)?;
                    open.push(name);
                }
                _ => return Err(format!("<{tag}> is not allowed")),
            }
        }
        match open.is_empty() {
            true => Ok(()),
            false => Err(format!("left open: {open:?}")),
        }
    }

    fn check_a(attrs: &str) -> Result<(), String> {
        let mut seen = Vec::new();
        let mut rest = attrs;
        while !rest.is_empty() {
            let (name, after) = rest
                .split_once("=\"")
                .ok_or("attribute without a quoted value")?;
            let (value, after) = after.split_once('"').ok_or("unterminated attribute")?;
            let value = unescape(value)?;
            let ok = match name {
                "href" => scheme_ok(&value),
                "rel" => value == "noopener noreferrer nofollow",
                "target" => value == "_blank",
                _ => false,
            };
            if !ok || seen.contains(&name) {
                return Err(format!("attribute {name}={value:?}"));
            }
            seen.push(name);
            rest = match after.strip_prefix(' ') {
                Some(more) if !more.is_empty() => more,
                None if after.is_empty() => after,
                _ => return Err(format!("junk after an attribute: {after:?}")),
            };
        }
        match seen.len() {
            3 => Ok(()),
            _ => Err(format!("a with only {seen:?}")),
        }
    }

    #[test]
    fn the_checker_catches_what_it_should() {
        for bad in [
            "<script>",
            "<p onclick=\"x\">a</p>",
            "<a href=\"javascript:x\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">a</a>",
            "<a href=\"http://x\" target=\"_blank\">a</a>",
            "<p>a > b</p>",
            "<p>'</p>",
            "<p>&nbsp;</p>",
            "<p><em></p></em>",
            "<p>",
        ] {
            assert!(check_html(bad).is_err(), "{bad:?}");
        }
    }

    /// Strings from pieces markup and attacks are made of.
    fn markup_heavy() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "*",
            "**",
            "_",
            "__",
            "`",
            "``",
            "[",
            "]",
            "](",
            "(",
            ")",
            "<",
            ">",
            "\"",
            "'",
            "&",
            ":",
            "/",
            " ",
            "\n",
            "\n\n",
            "\r\n",
            "\t",
            "- ",
            "* ",
            "1. ",
            "2) ",
            "h",
            "a",
            "x.com",
            "javascript:",
            "JaVaScRiPt:",
            "java&#115;cript:",
            "data:",
            "vbscript:",
            "http://",
            "HTTPS://",
            "mailto:",
            "http",
            "alert(1)",
            "onerror=",
            "<script>",
            "<img src=x ",
            "[x](javascript:alert(1))",
            "[x](http://a.b)",
            "سلام",
            "🙂",
            "\u{202E}",
            "\u{0}",
            "é",
            ".",
            ",",
            "!",
            "?",
            "_x_",
            "snake_case",
        ]);
        prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
    }

    /// Links and would-be links: a scheme spelled straight or with tricks,
    /// in `[text](…)` or bare, so a loosened allow-list shows for any scheme.
    fn link_shaped() -> impl Strategy<Value = String> {
        let scheme = prop::sample::select(vec![
            "http",
            "HTTPS",
            "mailto",
            "javascript",
            "JaVaScRiPt",
            " javascript",
            "java\tscript",
            "java&#115;cript",
            "data",
            "vbscript",
            "file",
            "blob",
            "ftp",
            "",
            "ht tp",
            "\u{0}http",
        ]);
        let sep = prop::sample::select(vec![":", "://", ":/", ":\\\\", "&#58;", "%3A", ""]);
        let addr = prop::collection::vec(
            prop::sample::select(vec![
                "a", "x.com", "/", "(", ")", "alert(1)", "?", "&", "'", "\"", "<", ">", "%20", " ",
                "🙂", "\u{0}", "\u{202E}", ".", "[", "]",
            ]),
            0..6,
        );
        let text = "[a-z *_<>&'\"]{0,6}";
        (text, scheme, sep, addr, any::<bool>()).prop_map(|(text, scheme, sep, addr, bracket)| {
            let addr = addr.concat();
            match bracket {
                true => format!("[{text}]({scheme}{sep}{addr})"),
                false => format!("{text} {scheme}{sep}{addr}"),
            }
        })
    }

    /// Strings with no markup characters: no `* _ \` [ ] ( ) -` and no digits.
    fn markup_free() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Hi",
            "h",
            "http://",
            "https://",
            "mailto:",
            "x.com",
            "/",
            ":",
            ".",
            ",",
            "!",
            "?",
            " ",
            "  ",
            "\t",
            "\n",
            "\n\n",
            "\r\n",
            " \n",
            "<",
            ">",
            "&",
            "\"",
            "'",
            "#",
            "=",
            "سلام",
            "می‌خواهم",
            "🙂",
            "👨‍👩‍👧",
            "é",
            "\u{202E}",
            "~",
        ]);
        prop::collection::vec(pieces, 0..30).prop_map(|v| v.concat())
    }

    /// `s` as `plain` writes an unmarked message: lines ending `\n`,
    /// paragraphs a blank line apart, blank lines at the ends gone.
    fn normalised(s: &str) -> String {
        let s = s.replace("\r\n", "\n");
        let lines: Vec<&str> = s.split(['\n', '\r']).collect();
        let paragraphs: Vec<String> = lines
            .split(|l| l.trim().is_empty())
            .filter(|p| !p.is_empty())
            .map(|p| p.join("\n"))
            .collect();
        paragraphs.join("\n\n")
    }

    /// Every link in the tree leads to an allowed address.
    fn links_ok(content: &[Inline]) -> bool {
        content.iter().all(|i| match i {
            Inline::Link { href, .. } => scheme_ok(href),
            Strong(c) | Em(c) => links_ok(c),
            _ => true,
        })
    }

    fn check_all(s: &str) -> Result<(), TestCaseError> {
        let blocks = parse(s);
        let html = to_html(&blocks);
        if let Err(e) = check_html(&html) {
            return Err(TestCaseError::fail(format!("{e} in {html:?}")));
        }
        prop_assert!(blocks_depth(&blocks) <= MAX_DEPTH);
        for b in &blocks {
            match b {
                Block::Paragraph(c) => prop_assert!(links_ok(c)),
                Block::List { items, .. } => prop_assert!(items.iter().all(|c| links_ok(c))),
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_text_gives_safe_html(s in any::<String>()) {
            check_all(&s)?;
        }

        #[test]
        fn markup_heavy_text_gives_safe_html(s in markup_heavy()) {
            check_all(&s)?;
        }

        #[test]
        fn link_shaped_text_gives_safe_html(s in link_shaped()) {
            check_all(&s)?;
        }

        #[test]
        fn text_without_markup_comes_back_unchanged(s in markup_free()) {
            prop_assert_eq!(plain(&parse(&s)), normalised(&s));
        }

        #[test]
        fn letters_keep_their_order(s in markup_heavy()) {
            // Markup goes, link addresses in `[text](…)` go, list numbers
            // change: letters are never invented or reordered.
            let mut input = s.chars().filter(|c| c.is_alphabetic());
            for c in plain(&parse(&s)).chars().filter(|c| c.is_alphabetic()) {
                prop_assert!(input.any(|i| i == c), "{:?} out of order in {:?}", c, s);
            }
        }
    }
}
