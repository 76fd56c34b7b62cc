//! One conversation's report state — when its current chat opened, whether
//! it was answered, since when the visitor waits for a reply — and what
//! each routing step counts. Plain functions of the state, the step and
//! the time, so every definition in docs/REPORTS.md is unit-tested here on
//! hand-made histories.
//!
//! A conversation lives through *chats*: it opens with the visitor's first
//! message, and each time a visitor writes in again after it was resolved
//! it reopens as a new chat with its own clocks.

use super::tally::{field, Counts, Dim};
use serde::{Deserialize, Serialize};
use shared::{AgentId, Millis, TeamId};

/// A chat unanswered this long is missed (docs/REPORTS.md).
pub const MISSED_AFTER: Millis = 30 * 60 * 1000;

/// The state, stored with the conversation (see `Store::swap_clocks`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clocks {
    /// When the current chat opened.
    pub opened_at: Millis,
    /// It had its first reply.
    #[serde(default)]
    pub answered: bool,
    /// It was counted as missed.
    #[serde(default)]
    pub missed: bool,
    /// Its survey answer was counted.
    #[serde(default)]
    pub rated: bool,
    /// The visitor's oldest message not yet replied to.
    #[serde(default)]
    pub waiting_since: Option<Millis>,
    /// When it (last) entered the queue, while it waits there.
    #[serde(default)]
    pub queued_at: Option<Millis>,
    /// Its first assignment in this chat.
    #[serde(default)]
    pub assigned_at: Option<Millis>,
}

/// Who a step concerns: the conversation's team, and the agent it counts
/// for, if any.
#[derive(Debug, Clone, Default)]
pub struct Whose {
    /// The conversation's team.
    pub team: Option<TeamId>,
    /// The agent.
    pub agent: Option<AgentId>,
}

impl Whose {
    fn dims(&self) -> Vec<Dim> {
        let mut dims = vec![Dim::Site];
        dims.extend(self.team.clone().map(Dim::Team));
        dims.extend(self.agent.clone().map(Dim::Agent));
        dims
    }

    /// The site and team only (figures of the chat, not of an agent).
    fn chat_dims(&self) -> Vec<Dim> {
        let mut dims = vec![Dim::Site];
        dims.extend(self.team.clone().map(Dim::Team));
        dims
    }
}

/// A routing step, as the reports see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The visitor wrote. `opened`: it opened a chat (a new conversation
    /// or, with `reopened`, a resolved one).
    VisitorMessage {
        /// It opened a chat.
        opened: bool,
        /// …of a conversation that had been resolved.
        reopened: bool,
    },
    /// An agent replied.
    AgentReply,
    /// An agent was given it, or took it, from the queue.
    Assigned,
    /// Back in the queue: its agent left, or it was handed to a team.
    Requeued,
    /// Handed over (to anyone).
    Transferred,
    /// Resolved.
    Resolved,
    /// The visitor answered the survey.
    Rated {
        /// 1–5.
        score: u8,
        /// 0–10, where asked.
        nps: Option<u8>,
    },
    /// The minute sweep looked at it (counts it missed once it waited
    /// unanswered [`MISSED_AFTER`]).
    Swept,
}

/// What `step` at `now` does to `clocks` (`None`: a conversation not seen
/// before), and what it counts.
pub fn step(clocks: Option<&Clocks>, step: &Step, whose: &Whose, now: Millis) -> (Clocks, Counts) {
    let mut counts = Counts::default();
    let mut c = clocks.cloned().unwrap_or(Clocks {
        opened_at: now,
        ..Clocks::default()
    });
    match *step {
        Step::VisitorMessage { opened, reopened } => {
            if opened || clocks.is_none() {
                c = Clocks {
                    opened_at: now,
                    waiting_since: Some(now),
                    queued_at: Some(now),
                    ..Clocks::default()
                };
                let what = if reopened && clocks.is_some() {
                    field::REOPENED
                } else {
                    field::STARTED
                };
                counts.add(&whose.chat_dims(), what, 1);
            } else {
                c.waiting_since.get_or_insert(now);
            }
        }
        Step::AgentReply => {
            if let Some(since) = c.waiting_since.take() {
                counts.duration(&whose.dims(), field::REPLY, now.saturating_sub(since));
            }
            if !c.answered {
                c.answered = true;
                counts.add(&whose.dims(), field::ANSWERED, 1);
                counts.duration(
                    &whose.dims(),
                    field::FIRST_RESPONSE,
                    now.saturating_sub(c.opened_at),
                );
            }
        }
        Step::Assigned => {
            if let Some(queued) = c.queued_at.take() {
                counts.duration(&whose.dims(), field::WAIT, now.saturating_sub(queued));
            }
            c.assigned_at.get_or_insert(now);
        }
        Step::Requeued => {
            c.queued_at = Some(now);
        }
        Step::Transferred => counts.add(&whose.dims(), field::TRANSFERRED, 1),
        Step::Resolved => {
            counts.add(&whose.dims(), field::RESOLVED, 1);
            if let Some(assigned) = c.assigned_at {
                counts.duration(&whose.dims(), field::HANDLE, now.saturating_sub(assigned));
            }
            if !c.answered && !c.missed {
                c.missed = true;
                counts.add(&whose.chat_dims(), field::MISSED, 1);
            }
            c.waiting_since = None;
            c.queued_at = None;
        }
        Step::Rated { score, nps } => {
            if !c.rated {
                c.rated = true;
                counts.add(&whose.dims(), field::RATED, 1);
                counts.add(&whose.dims(), &format!("{}.{score}", field::RATED), 1);
                if let Some(nps) = nps {
                    counts.add(&whose.dims(), field::NPS, 1);
                    counts.add(&whose.dims(), &format!("{}.{nps}", field::NPS), 1);
                }
            }
        }
        Step::Swept => {
            if !c.answered && !c.missed && now.saturating_sub(c.opened_at) >= MISSED_AFTER {
                c.missed = true;
                counts.add(&whose.chat_dims(), field::MISSED, 1);
            }
        }
    }
    (c, counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::tally::{Count, TallyOp};

    const MIN: Millis = 60_000;

    fn ann() -> Whose {
        Whose {
            team: Some(TeamId("t_sales".into())),
            agent: Some(AgentId("a_ann".into())),
        }
    }

    /// Runs `steps` (minute offsets) from no clocks and returns every count.
    fn history(steps: &[(Millis, Step, Whose)]) -> (Clocks, Vec<Count>) {
        let mut clocks = None;
        let mut all = Vec::new();
        for (at, s, whose) in steps {
            let (next, counts) = step(clocks.as_ref(), s, whose, at * MIN);
            all.extend(counts.into_vec());
            clocks = Some(next);
        }
        (clocks.unwrap_or_default(), all)
    }

    fn sum(counts: &[Count], dim: &str, field: &str) -> i64 {
        counts
            .iter()
            .filter(|c| c.dim == dim && c.field == field && c.op == TallyOp::Add)
            .map(|c| c.value)
            .sum()
    }

    fn queued() -> Whose {
        Whose {
            team: Some(TeamId("t_sales".into())),
            agent: None,
        }
    }

    fn opened(reopened: bool) -> Step {
        Step::VisitorMessage {
            opened: true,
            reopened,
        }
    }

    const MORE: Step = Step::VisitorMessage {
        opened: false,
        reopened: false,
    };

    #[test]
    fn a_plain_chat_counts_each_clock_once() {
        let (_, counts) = history(&[
            (0, opened(false), queued()),
            (1, MORE, queued()),
            (3, Step::Assigned, ann()),
            (5, Step::AgentReply, ann()),
            (6, MORE, ann()),
            (7, Step::AgentReply, ann()),
            (8, Step::AgentReply, ann()),
            (20, Step::Resolved, ann()),
        ]);
        assert_eq!(sum(&counts, "site", "started"), 1);
        assert_eq!(sum(&counts, "team:t_sales", "started"), 1);
        // The chat's own figures are not an agent's.
        assert_eq!(sum(&counts, "agent:a_ann", "started"), 0);
        assert_eq!(sum(&counts, "site", "answered"), 1);
        assert_eq!(sum(&counts, "agent:a_ann", "answered"), 1);
        // First response: from the first message (0) to the first reply (5).
        assert_eq!(sum(&counts, "site", "frt.n"), 1);
        assert_eq!(sum(&counts, "site", "frt.sum"), 300);
        // Replies: 0→5 and 6→7; the reply at 8 answered nothing waiting.
        assert_eq!(sum(&counts, "site", "reply.n"), 2);
        assert_eq!(sum(&counts, "site", "reply.sum"), 360);
        assert_eq!(sum(&counts, "site", "wait.sum"), 180);
        assert_eq!(sum(&counts, "agent:a_ann", "handle.sum"), 17 * 60);
        assert_eq!(sum(&counts, "site", "resolved"), 1);
        assert_eq!(sum(&counts, "site", "missed"), 0);
    }

    #[test]
    fn a_reopened_chat_has_clocks_of_its_own() {
        let (_, counts) = history(&[
            (0, opened(false), queued()),
            (1, Step::Assigned, ann()),
            (2, Step::AgentReply, ann()),
            (4, Step::Resolved, ann()),
            (100, opened(true), queued()),
            (110, Step::Assigned, ann()),
            (111, Step::AgentReply, ann()),
            (115, Step::Resolved, ann()),
        ]);
        assert_eq!(sum(&counts, "site", "started"), 1);
        assert_eq!(sum(&counts, "site", "reopened"), 1);
        assert_eq!(sum(&counts, "site", "answered"), 2);
        // 2 min, then 11 min (from the reopening message, not the first).
        assert_eq!(sum(&counts, "site", "frt.sum"), 2 * 60 + 11 * 60);
        assert_eq!(sum(&counts, "site", "handle.sum"), 3 * 60 + 5 * 60);
        assert_eq!(sum(&counts, "site", "resolved"), 2);
    }

    #[test]
    fn a_transfer_keeps_the_first_response_and_handle_clocks_running() {
        let bob = Whose {
            team: Some(TeamId("t_billing".into())),
            agent: Some(AgentId("a_bob".into())),
        };
        let (_, counts) = history(&[
            (0, opened(false), queued()),
            (2, Step::Assigned, ann()),
            (3, Step::Transferred, ann()),
            (3, Step::Requeued, queued()),
            (9, Step::Assigned, bob.clone()),
            (10, Step::AgentReply, bob.clone()),
            (30, Step::Resolved, bob.clone()),
        ]);
        assert_eq!(sum(&counts, "agent:a_ann", "transferred"), 1);
        // Waited twice: 2 min, then 6 min back in the queue.
        assert_eq!(sum(&counts, "site", "wait.n"), 2);
        assert_eq!(sum(&counts, "site", "wait.sum"), 8 * 60);
        // The first reply came 10 min after the visitor wrote, from Bob.
        assert_eq!(sum(&counts, "agent:a_bob", "frt.sum"), 600);
        assert_eq!(sum(&counts, "agent:a_ann", "frt.n"), 0);
        // Handled from the first assignment (2) to the resolution (30).
        assert_eq!(sum(&counts, "agent:a_bob", "handle.sum"), 28 * 60);
        assert_eq!(sum(&counts, "team:t_billing", "resolved"), 1);
    }

    #[test]
    fn an_unanswered_chat_is_missed_once() {
        // Swept before its time: nothing; after: missed; swept again and
        // resolved unanswered: still once.
        let (clocks, counts) = history(&[
            (0, opened(false), queued()),
            (29, Step::Swept, queued()),
            (30, Step::Swept, queued()),
            (31, Step::Swept, queued()),
            (40, Step::Assigned, ann()),
            (41, Step::Resolved, ann()),
        ]);
        assert!(clocks.missed);
        assert_eq!(sum(&counts, "site", "missed"), 1);
        // A chat resolved without a reply is missed at once.
        let (_, counts) = history(&[
            (0, opened(false), queued()),
            (1, Step::Assigned, ann()),
            (2, Step::Resolved, ann()),
            (90, Step::Swept, ann()),
        ]);
        assert_eq!(sum(&counts, "site", "missed"), 1);
        // An answered one never is.
        let (_, counts) = history(&[
            (0, opened(false), queued()),
            (1, Step::Assigned, ann()),
            (2, Step::AgentReply, ann()),
            (90, Step::Swept, ann()),
        ]);
        assert_eq!(sum(&counts, "site", "missed"), 0);
    }

    #[test]
    fn a_survey_is_counted_once_per_chat() {
        let (_, counts) = history(&[
            (0, opened(false), queued()),
            (1, Step::Assigned, ann()),
            (2, Step::AgentReply, ann()),
            (3, Step::Resolved, ann()),
            (
                4,
                Step::Rated {
                    score: 5,
                    nps: Some(9),
                },
                ann(),
            ),
            (
                5,
                Step::Rated {
                    score: 1,
                    nps: None,
                },
                ann(),
            ),
            (50, opened(true), queued()),
            (51, Step::Assigned, ann()),
            (52, Step::Resolved, ann()),
            (
                53,
                Step::Rated {
                    score: 2,
                    nps: None,
                },
                ann(),
            ),
        ]);
        assert_eq!(sum(&counts, "agent:a_ann", "csat"), 2);
        assert_eq!(sum(&counts, "site", "csat.5"), 1);
        assert_eq!(sum(&counts, "site", "csat.1"), 0);
        assert_eq!(sum(&counts, "site", "csat.2"), 1);
        assert_eq!(sum(&counts, "site", "nps.9"), 1);
        assert_eq!(sum(&counts, "site", "nps"), 1);
    }

    #[test]
    fn clocks_round_trip_as_json() {
        let (clocks, _) = history(&[(0, opened(false), queued()), (3, Step::Assigned, ann())]);
        let json = serde_json::to_string(&clocks).unwrap();
        assert_eq!(serde_json::from_str::<Clocks>(&json).unwrap(), clocks);
    }
}
