//! Limits enforced by the server and pre-checked by the clients, so a user
//! learns of them before sending rather than from an error.

/// Longest message body, in characters (Unicode scalar values).
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// Longest typing preview relayed to agents, in characters: the end of a
/// longer draft (what was typed last is what the agent needs).
pub const MAX_PREVIEW_CHARS: usize = 1_000;

/// Longest comment a visitor may add to their satisfaction rating, in
/// characters.
pub const MAX_COMMENT_CHARS: usize = 1_000;

/// Least time between two typing previews a widget sends, in ms.
pub const PREVIEW_EVERY_MS: u64 = 1_000;

/// Most internal notes one conversation may hold: beyond, a note is
/// refused with `too_many_notes` (so no account can make the server keep an
/// unbounded thread of them).
pub const MAX_NOTES_PER_CONVERSATION: usize = 1_000;

/// Largest websocket frame the server accepts, in bytes. A frame of the
/// maximum message length in 4-byte characters plus its envelope fits.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// A client says what it received (`delivered`) at most this long after it
/// arrived (ms): a reconnect's replay of many messages is one mark, not one
/// per message. Both apps.
pub const DELIVERED_BATCH_MS: u64 = 300;

/// Sends a connection may make per second on average before it gets
/// `rate_limited` errors: the server's default, which operators may change
/// (`--send-rate`), so clients must not rely on it.
pub const SENDS_PER_SECOND: u32 = 5;

/// Burst of sends allowed above the average rate: the server's default
/// (`--send-burst`).
pub const SEND_BURST: u32 = 20;

/// Longest email address a visitor may leave (RFC 5321's path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Longest name a visitor may give.
pub const MAX_VISITOR_NAME_CHARS: usize = 100;

/// Longest user id a site's page may identify a visitor with.
pub const MAX_USER_ID_CHARS: usize = 128;

/// Most attributes a visitor keeps (the pre-chat form's answers and the
/// page's `setAttributes` together).
pub const MAX_ATTRIBUTES: usize = 30;

/// Longest attribute key.
pub const MAX_ATTRIBUTE_KEY_CHARS: usize = 40;

/// Longest attribute value.
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 200;

/// While someone types, `typing: true` goes out at most this often (ms):
/// the repeat keeps the other side's indicator alive. Both apps.
pub const TYPING_REPEAT_MS: u64 = 3_000;

/// After this long without a keystroke (ms), `typing: false` goes out.
/// Both apps; a receiver drops an indicator not refreshed within a few
/// repeats.
pub const TYPING_IDLE_MS: u64 = 4_000;
