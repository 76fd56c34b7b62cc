//! The two pages: login and the inbox. [`crate::app::App`] shows one of
//! them by the session state. The logged-in inbox page shows one screen
//! at a time: the conversations, the history, or the settings.

pub mod history;
pub mod inbox;
pub mod login;
pub mod settings;
