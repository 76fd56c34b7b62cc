//! The agent socket: any text a dashboard (or a stolen session) sends,
//! decoded as the driver decodes it for an `AgentConnection`, then through
//! the checks the connection makes before it touches the store, and the
//! error frame it would answer with.

#![no_main]

use ahlan_fuzz::{check_reply, check_send_rules, decode_checked, frame_text};
use ahlan_server::error::default_message;
use ahlan_server::ws::agent::AgentConnection;
use libfuzzer_sys::fuzz_target;
use shared::{AgentClientFrame, AgentServerFrame};

fuzz_target!(|data: &[u8]| {
    let Some(text) = frame_text(data) else {
        return;
    };
    let frame = match decode_checked::<AgentConnection>(text) {
        Ok(frame) => frame,
        Err(rejected) => {
            // What `AgentConnection::error_frame` sends for a refusal.
            let reply = AgentServerFrame::Error {
                code: rejected.code,
                message: rejected.message,
                client_id: None,
                conversation: None,
            };
            check_reply(&reply, rejected.code);
            return;
        }
    };
    // A send is the one frame whose content is checked before the store:
    // presence is an enum (`offline` refused by a match), and typing, pick,
    // resolve and sync carry a conversation id the store looks up as given.
    if let AgentClientFrame::Send {
        conversation,
        client_id,
        body,
    } = frame
    {
        if let Err(code) = check_send_rules(&client_id, &body) {
            check_reply(
                &AgentServerFrame::Error {
                    code,
                    message: default_message(code).into(),
                    client_id: Some(client_id),
                    conversation: Some(conversation),
                },
                code,
            );
        }
    }
});
