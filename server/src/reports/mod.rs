//! Reports: the figures a site owner runs a support team by — first
//! response, reply, handle and queue times, missed chats, satisfaction,
//! backlog, busiest hours, agent activity — as `docs/REPORTS.md` defines
//! them.
//!
//! Figures are counted as things happen, into hourly buckets (per site,
//! UTC hour, dimension and field), so a report reads a few thousand cells
//! whatever the number of conversations, and the same way from both stores.
//!
//! - [`tally`] — what a bucket holds: dimensions, fields, duration histograms.
//! - [`clocks`] — one conversation's report state and what each routing
//!   step counts (the definitions, unit-tested).
//! - [`period`] — a report's days in the site's time zone, as UTC hours.
//! - [`compute`] — buckets → the report the dashboard draws.
//! - [`csv`] — its tables as CSV.
//! - [`recorder`] — routing's steps → clocks and counts, in the background.
//! - [`demo`] — a made-up month of figures (`--demo-history`, the bench).
//! - [`sampler`] — the once-a-minute samples (presence, load, backlog,
//!   missed chats).

pub mod clocks;
pub mod compute;
pub mod csv;
pub mod demo;
pub mod period;
pub mod recorder;
pub mod sampler;
pub mod tally;
