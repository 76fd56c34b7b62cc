//! The two pages: login and the inbox. [`crate::app::App`] shows one of
//! them by the session state. The logged-in inbox page shows one screen
//! at a time: the conversations, the history, the callbacks, the
//! reports, or the settings.

pub mod callbacks;
pub mod history;
pub mod inbox;
pub mod login;
pub mod reports;
pub mod settings;
