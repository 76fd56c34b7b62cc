//! The messages of the open conversation, in seq order, with the team's
//! private notes each after the message it followed, then the replies and
//! notes still on their way. Follows new messages down unless the agent
//! has scrolled up to read.

use crate::app::Lang;
use crate::desk::Desk;
use crate::fmt;
use crate::i18n::{self, Key};
use leptos::html;
use leptos::prelude::*;
use shared::display::{isolate, Follow};
use shared::protocol::Author;
use shared::{ClientId, ConversationId, ErrorCode, Seq};

/// One row of the thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Row {
    Message(Seq),
    Note(u64),
}

/// `[data-test=message]` and `[data-test=note]` rows for conversation `id`.
#[component]
pub fn MessageList(id: ConversationId) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let seqs = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox.with(|inbox| {
                inbox
                    .get(&id)
                    .map(|c| thread(&c.seqs(), c.notes().map(|n| (n.id, n.after_seq))))
                    .unwrap_or_default()
            })
        })
    };
    let pending = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox.with(|inbox| {
                inbox
                    .pending(&id)
                    .map(|p| (p.client_id.clone(), p.body.clone(), p.failed, p.note))
                    .collect::<Vec<_>>()
            })
        })
    };
    let expects_messages = {
        let id = id.clone();
        Memo::new(move |_| {
            desk.inbox
                .with(|inbox| inbox.get(&id).is_some_and(|c| c.summary.last_seq > 0))
        })
    };

    let list = NodeRef::<html::Div>::new();
    // Whether to keep showing the newest message (see `Follow`).
    let follow = StoredValue::new(Follow::default());
    let on_scroll = move |_| {
        if let Some(el) = list.get_untracked() {
            follow.update_value(|f| {
                f.scrolled(el.scroll_top(), el.scroll_height(), el.client_height())
            });
        }
    };
    // Shown here means read: the visitor sees "Seen" once the server has
    // the mark (sent once per new mark, not per render).
    {
        let id = id.clone();
        let marked = StoredValue::new(0);
        Effect::new(move |_| {
            let Some(seq) = desk.inbox.with(|inbox| inbox.unread_by_me(&id)) else {
                return;
            };
            if seq > marked.get_value() {
                marked.set_value(seq);
                desk.read(&id, seq);
            }
        });
    }
    Effect::new(move |_| {
        seqs.track();
        pending.track();
        if let Some(el) = list.get() {
            if follow.get_value().following() {
                request_animation_frame(move || el.set_scroll_top(el.scroll_height()));
            }
        }
    });

    let empty = move || {
        (seqs.with(Vec::is_empty) && pending.with(Vec::is_empty)).then(|| {
            let key = if expects_messages.get() {
                Key::Loading
            } else {
                Key::NoMessagesYet
            };
            view! { <p class="messages-empty">{move || lang.t(key)}</p> }
        })
    };

    view! {
        <div
            class="messages"
            node_ref=list
            on:scroll=on_scroll
            role="log"
            aria-live="polite"
            aria-label=move || lang.t(Key::Messages)
        >
            {empty}
            <For
                each=move || seqs.get()
                key=|row| *row
                children={
                    let id = id.clone();
                    move |row| match row {
                        Row::Message(seq) => view! { <MessageRow id=id.clone() seq=seq /> }.into_any(),
                        Row::Note(n) => view! { <NoteRow id=id.clone() n=n /> }.into_any(),
                    }
                }
            />
            <For
                each=move || pending.get()
                key=|p| p.clone()
                children=move |(client_id, body, failed, note)| {
                    view! { <PendingRow client_id=client_id body=body failed=failed note=note /> }
                }
            />
        </div>
    }
}

/// Messages by seq, each followed by the notes written after it (`notes`
/// as (number, after_seq), in number order); notes written before the
/// first message held come first.
fn thread(seqs: &[Seq], notes: impl Iterator<Item = (u64, Seq)>) -> Vec<Row> {
    let mut notes = notes.peekable();
    let mut rows = Vec::with_capacity(seqs.len());
    for &seq in seqs {
        while let Some(&(n, _)) = notes.peek().filter(|&&(_, after)| after < seq) {
            rows.push(Row::Note(n));
            notes.next();
        }
        rows.push(Row::Message(seq));
    }
    rows.extend(notes.map(|(n, _)| Row::Note(n)));
    rows
}

/// A private note: the team's, never the visitor's; shown apart from the
/// two sides of the chat, in the note colour, with who wrote it.
#[component]
fn NoteRow(id: ConversationId, n: u64) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let found = desk.inbox.with_untracked(|inbox| {
        let mine = inbox.me().map(|me| me.id.clone());
        inbox
            .get(&id)
            .and_then(|c| c.notes().find(|note| note.id == n).cloned())
            .map(|note| (note, mine))
    });
    let Some((note, my_id)) = found else {
        return ().into_any();
    };
    let by_me = Some(&note.author.id) == my_id.as_ref();
    let name = note.author.name.clone();
    let sent_at = note.sent_at;
    let meta = move || {
        let locale = lang.get();
        let who = if by_me {
            locale.text(Key::You).to_owned()
        } else {
            isolate(&name)
        };
        format!(
            "{} · {who} · {}",
            locale.text(Key::NoteLabel),
            fmt::clock_time(locale, sent_at)
        )
    };
    view! {
        <div class="msg msg-note" data-test="note" data-author="note" data-note=n.to_string()>
            <div class="bubble" dir="auto">{ui::markup::body(&note.body)}</div>
            <div class="msg-meta">
                <span class="note-icon" aria-hidden="true"></span>
                {meta}
            </div>
        </div>
    }
    .into_any()
}

/// One stored message. Messages never change once stored, so the row is
/// built once from the state and only its translated words react.
#[component]
fn MessageRow(id: ConversationId, seq: Seq) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let found = desk.inbox.with_untracked(|inbox| {
        let mine = inbox.me().map(|me| me.id.clone());
        inbox
            .get(&id)
            .and_then(|c| c.message(seq))
            .map(|m| (m.clone(), mine))
    });
    let Some((message, my_id)) = found else {
        return ().into_any();
    };
    let (author, name) = match &message.author {
        Author::Visitor => ("visitor", None),
        Author::Agent { id, name } => ("agent", Some((Some(id) == my_id.as_ref(), name.clone()))),
    };
    let sent_at = message.sent_at;
    let meta = move || {
        let locale = lang.get();
        let time = fmt::clock_time(locale, sent_at);
        match &name {
            Some((true, _)) => format!("{} · {time}", locale.text(Key::You)),
            // A colleague's name, bidi controls and all, must not turn the
            // time around.
            Some((false, name)) => format!("{} · {time}", isolate(name)),
            None => time,
        }
    };
    view! {
        <div
            class=format!("msg msg-{author}")
            data-test="message"
            data-author=author
            data-seq=seq.to_string()
        >
            <div class="bubble" dir="auto">{ui::markup::body(&message.body)}</div>
            <div class="msg-meta">
                {meta}
                {move || {
                    let (seen, delivered) = desk.inbox.with(|inbox| {
                        (
                            inbox.seen_by_visitor(&id) == Some(seq),
                            inbox.delivered_to_visitor(&id) == Some(seq),
                        )
                    });
                    let (key, hook) = if seen {
                        (Key::Seen, "seen")
                    } else if delivered {
                        (Key::Delivered, "delivered")
                    } else {
                        return None;
                    };
                    Some(view! { <span class="seen" data-test=hook>{move || format!(" · {}", lang.t(key))}</span> })
                }}
            </div>
        </div>
    }
    .into_any()
}

/// A reply or note not yet acknowledged, or refused.
#[component]
fn PendingRow(
    client_id: ClientId,
    body: String,
    failed: Option<ErrorCode>,
    note: bool,
) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let desk = expect_context::<Desk>();
    let status = move || match failed {
        None => view! { <span>{lang.t(Key::Sending)}</span> }.into_any(),
        Some(code) => {
            let client_id = client_id.clone();
            view! {
                <span class="msg-failed-text">
                    {lang.t(Key::NotSent)} ": " {lang.t(i18n::error_key(code))}
                </span>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| desk.discard(&client_id)
                >
                    {lang.t(Key::Discard)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <div
            class=if note { "msg msg-note msg-pending" } else { "msg msg-agent msg-pending" }
            class:msg-failed=failed.is_some()
            data-test="pending"
            data-author="agent"
        >
            <div class="bubble" dir="auto">{ui::markup::body(&body)}</div>
            <div class="msg-meta">{status}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_follow_the_message_they_were_written_after() {
        use Row::{Message as M, Note as N};
        assert_eq!(thread(&[1, 2, 3], [].into_iter()), [M(1), M(2), M(3)]);
        assert_eq!(
            thread(&[1, 2, 3], [(1, 0), (2, 1), (3, 1), (4, 3)].into_iter()),
            [N(1), M(1), N(2), N(3), M(2), M(3), N(4)]
        );
        // Only the tail is held (the rest not yet synced): earlier notes
        // come first, later ones in place.
        assert_eq!(
            thread(&[5, 6], [(1, 2), (2, 5)].into_iter()),
            [N(1), M(5), N(2), M(6)]
        );
        assert_eq!(thread(&[], [(1, 0)].into_iter()), [N(1)]);
    }
}
