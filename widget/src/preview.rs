//! The sample conversation the console's live preview shows: a visitor's
//! question and an agent's answer in the widget's language, so the owner
//! sees their colours on both kinds of bubble, the header with an agent,
//! and the composer. Built by folding ordinary server frames into a
//! [`ChatState`], so the preview draws exactly what a visitor would see.

use crate::chat::ChatState;
use crate::i18n::{Locale, Text};
use shared::{
    AgentPublic, Author, ChatMessage, ConversationStatus, Millis, VisitorConversation,
    VisitorServerFrame,
};

/// The preview's chat: open, assigned, two messages sent a moment before
/// `now` (so their times read like a real chat's).
pub fn sample(locale: Locale, now: Millis) -> ChatState {
    let mut state = ChatState::restore(Vec::new(), 2);
    let agent = AgentPublic {
        id: "a_preview".into(),
        name: locale.text(Text::PreviewAgent).to_owned(),
    };
    let conversation = "c_preview";
    let token = "preview";
    let message = |seq, author, text| VisitorServerFrame::Message {
        message: ChatMessage {
            conversation: conversation.into(),
            seq,
            client_id: format!("preview{seq}").as_str().into(),
            author,
            body: locale.text(text).to_owned(),
            sent_at: now.saturating_sub(60_000 * (3 - seq)),
        },
    };
    let frames = [
        VisitorServerFrame::Welcome {
            token: token.into(),
            conversation: Some(Box::new(VisitorConversation {
                id: conversation.into(),
                status: ConversationStatus::Assigned,
                agent: Some(agent.clone()),
                queue_position: None,
                estimated_wait_secs: None,
                last_seq: 2,
                agent_read: 0,
                agent_delivered: 0,
                rating: None,
            })),
            agents_online: Some(true),
            offline: None,
            contact: None,
            callback: None,
        },
        message(1, Author::Visitor, Text::PreviewQuestion),
        message(
            2,
            Author::Agent {
                id: agent.id.clone(),
                name: agent.name.clone(),
            },
            Text::PreviewAnswer,
        ),
    ];
    for frame in frames {
        let _ = state.apply(frame, Some(token));
    }
    let _ = state.set_open(true);
    state
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::Entry;

    #[test]
    fn the_sample_is_open_assigned_and_in_the_widgets_language() {
        let s = sample(Locale::Ar, 1_000_000);
        assert!(s.is_open());
        assert_eq!(s.agent().map(|a| a.name.as_str()), Some("سارة"));
        let bodies: Vec<String> = s
            .timeline()
            .into_iter()
            .filter_map(|e| match e {
                Entry::Message { message, .. } => Some(message.body),
                _ => None,
            })
            .collect();
        assert_eq!(
            bodies,
            [
                Locale::Ar.text(Text::PreviewQuestion),
                Locale::Ar.text(Text::PreviewAnswer)
            ]
        );
    }
}
