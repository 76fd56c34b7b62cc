//! The visitor socket: any text a widget (or anyone) sends, decoded as the
//! driver decodes it for a `VisitorConnection`, then through the checks
//! the connection makes before it reads or writes the store, and the error
//! frame it would answer with.

#![no_main]

use ahlan_fuzz::{check_reply, check_send_rules, decode_checked, frame_text};
use ahlan_server::error::default_message;
use ahlan_server::origin;
use ahlan_server::secrets;
use ahlan_server::ws::visitor::VisitorConnection;
use libfuzzer_sys::fuzz_target;
use shared::{VisitorClientFrame, VisitorServerFrame};

/// A site's allowed origins with each kind of pattern, to check a `hello`'s
/// claimed origin against.
const ALLOWED: [&str; 3] = [
    "https://shop.example",
    "http://localhost:*",
    "https://*.shop.example",
];

fuzz_target!(|data: &[u8]| {
    let Some(text) = frame_text(data) else {
        return;
    };
    let frame = match decode_checked::<VisitorConnection>(text) {
        Ok(frame) => frame,
        Err(rejected) => {
            // What `VisitorConnection::error_frame` sends for a refusal.
            let reply = VisitorServerFrame::Error {
                code: rejected.code,
                message: rejected.message,
                client_id: None,
            };
            check_reply(&reply, rejected.code);
            return;
        }
    };
    match frame {
        VisitorClientFrame::Hello {
            token,
            origin: claimed,
            ..
        } => {
            // Only the shape of one of our tokens is ever looked up.
            if let Some(t) = token.filter(|t| secrets::is_token(t, "vt")) {
                assert_eq!(t.len(), "vt_".len() + 64, "token {t:?}");
                assert!(t.is_ascii());
            }
            if let Some(claimed) = claimed {
                let allowed: Vec<String> = ALLOWED.iter().map(|p| (*p).to_owned()).collect();
                // What the visitor record keeps and agents are shown.
                let kept = origin::normalize(&claimed);
                if origin::allowed(&allowed, &claimed) {
                    assert!(kept.is_some(), "allowed {claimed:?}, which is no origin");
                }
                if let Some(kept) = kept {
                    assert_eq!(origin::normalize(&kept).as_ref(), Some(&kept));
                }
            }
        }
        VisitorClientFrame::Send { client_id, body } => {
            if let Err(code) = check_send_rules(&client_id, &body) {
                check_reply(
                    &VisitorServerFrame::Error {
                        code,
                        message: default_message(code).into(),
                        client_id: Some(client_id),
                    },
                    code,
                );
            }
        }
        // Typing carries a bool and reaches no check.
        VisitorClientFrame::Typing { .. } => {}
    }
});
