//! The two pages: login and the inbox. [`crate::app::App`] shows one of
//! them by the session state.

pub mod inbox;
pub mod login;
pub mod settings;
