//! The inbox's pieces. Each reads what it shows from the [`crate::desk::Desk`]
//! context through small memos, so a frame re-renders only what it changed.

pub mod avatar;
pub mod banner;
pub mod canned_picker;
pub mod composer;
pub mod connection;
pub mod context_panel;
pub mod conversation_list;
pub mod conversation_view;
pub mod form;
pub mod lang_switch;
pub mod message_list;
pub mod presence;
pub mod privacy;
pub mod rating;
pub mod top_bar;
pub mod transfer;
