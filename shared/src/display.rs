//! How both apps show what the other side wrote: plain rules, with native
//! tests, that the widget and the dashboard must not each get subtly
//! different. (Not wire types, but the same kind of contract: what one
//! side sends, the other shows safely.)
//!
//! - [`isolate`]: a name or tag from a visitor or an agent, put into one of
//!   our sentences ("Sara joined the conversation"), cannot reorder the rest
//!   of the sentence with bidi controls.
//! - [`Follow`]: a message list keeps showing the newest message until the
//!   reader scrolls up.
//! - [`rating_mouth`]: the face a satisfaction score is drawn with (the
//!   visitor picks it, the agent sees it): one drawing, no emoji font
//!   needed.
//! - [`escape_html_into`]: text written into HTML we build by hand (the
//!   server's pages, the widget's transcript) stays text.

/// Writes `text` into `out` with every character HTML gives meaning to
/// (in content and in quoted attribute values) escaped.
pub fn escape_html_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// First strong isolate: starts an isolate whose direction is its text's.
const FSI: char = '\u{2068}';
/// Left-to-right isolate.
const LRI: char = '\u{2066}';
/// Pop directional isolate: ends the innermost isolate and every embedding
/// opened inside it.
const PDI: char = '\u{2069}';
/// Pop directional formatting: ends the innermost embedding or override.
const PDF: char = '\u{202C}';

/// The mouth of the face drawn for a satisfaction score (1 very unhappy …
/// 5 very happy), an SVG path in a 24×24 box whose eyes sit at y = 10:
/// from a deep frown to a wide smile. Scores out of range are clamped.
pub fn rating_mouth(score: u8) -> &'static str {
    match score {
        0 | 1 => "M8 17.5 Q12 12.5 16 17.5",
        2 => "M8.5 16.5 Q12 14 15.5 16.5",
        3 => "M8.5 15.5 L15.5 15.5",
        4 => "M8.5 14.5 Q12 17.5 15.5 14.5",
        _ => "M7.5 14 Q12 19.5 16.5 14",
    }
}

/// `text` as a bidi isolate, for putting into a sentence of ours: first
/// strong isolate … pop directional isolate around it, with the explicit
/// direction controls inside balanced. Openers the text leaves open are
/// closed at its end, and closers with nothing of the text's to close are
/// dropped: a stray pop directional isolate would otherwise end our isolate
/// early and let a following right-to-left override turn the rest of the
/// sentence around. Nothing visible changes.
pub fn isolate(text: &str) -> String {
    isolate_from(FSI, text)
}

/// `text` as a left-to-right isolate (left-to-right isolate … pop
/// directional isolate, balanced like [`isolate`]): for what reads left
/// to right in every language but has no letter to say so — a phone
/// number, a time range. (Browsers give a first strong isolate with no
/// letter the direction around it, which turns `+98 912` into `912 98+`
/// in a right-to-left sentence.)
pub fn isolate_ltr(text: &str) -> String {
    isolate_from(LRI, text)
}

fn isolate_from(opener: char, text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    out.push(opener);
    // What the text opened and did not close yet, innermost last: `true`
    // for an isolate (closed by PDI), `false` for an embedding or override
    // (closed by PDF).
    let mut open: Vec<bool> = Vec::new();
    for c in text.chars() {
        match c {
            // LRE, RLE, LRO, RLO.
            '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => open.push(false),
            // LRI, RLI, FSI.
            '\u{2066}'..='\u{2068}' => open.push(true),
            PDF => {
                // Within an isolate, a PDF closes nothing (UAX #9, X7).
                if open.last() != Some(&false) {
                    continue;
                }
                open.pop();
            }
            PDI => match open.iter().rposition(|&isolate| isolate) {
                Some(at) => open.truncate(at),
                None => continue,
            },
            _ => {}
        }
        out.push(c);
    }
    out.extend(
        open.iter()
            .rev()
            .map(|&isolate| if isolate { PDI } else { PDF }),
    );
    out.push(PDI);
    out
}

/// Within this many pixels of the bottom counts as "at the bottom".
pub const FOLLOW_SLACK_PX: i32 = 48;

/// Whether a scrolling message list should keep showing its newest
/// message: yes until the reader scrolls up, and again once they scroll
/// back down to the bottom.
///
/// Only the reader moves the view up. The list's own scrolls go down, and
/// new rows grow it below, so a scroll event that finds the view short of
/// the bottom proves nothing: under a burst of messages it arrives after
/// more rows did, and judging by the distance alone stops following for
/// good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Follow {
    following: bool,
    last_top: i32,
}

impl Default for Follow {
    fn default() -> Self {
        Self {
            following: true,
            last_top: 0,
        }
    }
}

impl Follow {
    /// Whether to scroll to the newest message when rows are added.
    pub fn following(&self) -> bool {
        self.following
    }

    /// Follow again (e.g. the reader sent a message).
    pub fn resume(&mut self) {
        self.following = true;
    }

    /// A scroll event: the list's `scroll_top`, `scroll_height` and
    /// `client_height` now.
    pub fn scrolled(&mut self, scroll_top: i32, scroll_height: i32, client_height: i32) {
        let at_bottom = scroll_height - scroll_top - client_height < FOLLOW_SLACK_PX;
        if at_bottom {
            self.following = true;
        } else if scroll_top < self.last_top {
            self.following = false;
        }
        self.last_top = scroll_top;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_score_has_its_own_mouth_and_the_rest_are_clamped() {
        let mouths: Vec<_> = (1..=5).map(rating_mouth).collect();
        for (i, m) in mouths.iter().enumerate() {
            assert!(!mouths[i + 1..].contains(m), "score {} repeats", i + 1);
        }
        assert_eq!(rating_mouth(0), rating_mouth(1));
        assert_eq!(rating_mouth(9), rating_mouth(5));
    }

    #[test]
    fn a_name_is_wrapped_in_an_isolate() {
        assert_eq!(isolate("Sara"), "\u{2068}Sara\u{2069}");
        assert_eq!(isolate(""), "\u{2068}\u{2069}");
        assert_eq!(isolate("سارة"), "\u{2068}سارة\u{2069}");
    }

    #[test]
    fn numbers_go_in_a_left_to_right_isolate() {
        assert_eq!(
            isolate_ltr("+989123456789"),
            "\u{2066}+989123456789\u{2069}"
        );
        assert_eq!(
            isolate_ltr("a\u{2069}b"),
            "\u{2066}ab\u{2069}",
            "a stray pop is dropped"
        );
    }

    #[test]
    fn what_the_text_opens_is_closed_inside_the_isolate() {
        assert_eq!(
            isolate("\u{202E}Sara"),
            "\u{2068}\u{202E}Sara\u{202C}\u{2069}"
        );
        assert_eq!(
            isolate("a\u{2067}b\u{202B}c"),
            "\u{2068}a\u{2067}b\u{202B}c\u{202C}\u{2069}\u{2069}"
        );
        // Balanced text is left as it is.
        assert_eq!(
            isolate("\u{202E}x\u{202C}\u{2066}y\u{2069}"),
            "\u{2068}\u{202E}x\u{202C}\u{2066}y\u{2069}\u{2069}"
        );
    }

    #[test]
    fn closers_that_would_close_ours_are_dropped() {
        // A stray PDI would end our isolate; the RLO after it would leak.
        assert_eq!(
            isolate("\u{2069}\u{202E}x"),
            "\u{2068}\u{202E}x\u{202C}\u{2069}"
        );
        assert_eq!(isolate("x\u{202C}"), "\u{2068}x\u{2069}");
        // A PDI ends its isolate and the override opened inside it.
        assert_eq!(
            isolate("\u{2066}\u{202E}a\u{2069}b"),
            "\u{2068}\u{2066}\u{202E}a\u{2069}b\u{2069}"
        );
        // Inside an isolate of the text's own, a PDF closes nothing.
        assert_eq!(
            isolate("\u{202E}\u{2066}\u{202C}x"),
            "\u{2068}\u{202E}\u{2066}x\u{2069}\u{202C}\u{2069}"
        );
    }

    #[test]
    fn the_result_is_always_balanced() {
        let controls = [
            '\u{202A}', '\u{202B}', PDF, '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', FSI, PDI,
            'x',
        ];
        // Every string of up to four of them, run through the explicit
        // levels of UAX #9 (X1–X7): our isolate must hold to the very end.
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            texts = texts
                .iter()
                .flat_map(|t| controls.iter().map(move |c| format!("{t}{c}")))
                .collect();
            for text in &texts {
                let out: Vec<char> = isolate(text).chars().collect();
                let mut stack: Vec<bool> = Vec::new();
                for (i, &c) in out.iter().enumerate() {
                    match c {
                        '\u{202A}' | '\u{202B}' | '\u{202D}' | '\u{202E}' => stack.push(false),
                        '\u{2066}'..='\u{2068}' => stack.push(true),
                        PDF => assert_eq!(stack.pop(), Some(false), "{text:?}: {out:?}"),
                        PDI => {
                            let at = stack.iter().rposition(|&isolate| isolate);
                            let at = at.unwrap_or_else(|| panic!("{text:?}: {out:?}"));
                            stack.truncate(at);
                        }
                        _ => {}
                    }
                    if i + 1 < out.len() {
                        assert!(!stack.is_empty(), "ours closed early: {text:?}: {out:?}");
                    }
                }
                assert!(stack.is_empty(), "{text:?}: {out:?}");
            }
        }
    }

    #[test]
    fn follows_until_the_reader_scrolls_up() {
        let mut follow = Follow::default();
        assert!(follow.following());
        // Our own scroll to the bottom of 1000 px, in a 400 px view.
        follow.scrolled(600, 1000, 400);
        assert!(follow.following());
        // Its event arrives after 500 px more rows: short of the bottom,
        // but nobody scrolled up.
        follow.scrolled(600, 1500, 400);
        assert!(follow.following());
        // The reader scrolls up.
        follow.scrolled(300, 1500, 400);
        assert!(!follow.following());
        // Down a little: still reading.
        follow.scrolled(500, 1500, 400);
        assert!(!follow.following());
        // Back at the bottom.
        follow.scrolled(1080, 1500, 400);
        assert!(follow.following());
        follow.scrolled(10, 1500, 400);
        follow.resume();
        assert!(follow.following());
    }
}
