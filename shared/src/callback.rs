//! Callback requests: a visitor who would wait too long, or finds the site
//! offline, leaves a phone number and a time of day; an agent claims the
//! request, calls, and marks it done or failed. The widget shows the
//! visitor its status when they come back.
//!
//! The request as the visitor sends it ([`CallbackRequest`]) is checked by
//! [`CallbackRequest::check`] on both sides (the widget before sending, the
//! server before storing), so the visitor reads the problem in their
//! language rather than as a refusal.

use crate::ids::{CallbackId, ConversationId, SiteId, VisitorId};
use crate::protocol::{AgentPublic, Millis};
use crate::settings::normalize_phone;
use serde::{Deserialize, Serialize};

/// Longest note a visitor may add to a request, or an agent to its
/// outcome, in characters.
pub const MAX_CALLBACK_NOTE_CHARS: usize = 500;

/// When in the visitor's day they would like the call (in their own time
/// zone, which the request keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallbackWindow {
    /// Whenever someone is free.
    Asap,
    /// 09:00–12:00.
    Morning,
    /// 12:00–17:00.
    Afternoon,
    /// 17:00–20:00.
    Evening,
}

impl CallbackWindow {
    /// Every choice, in the order the widget offers them.
    pub const ALL: [CallbackWindow; 4] = [
        CallbackWindow::Asap,
        CallbackWindow::Morning,
        CallbackWindow::Afternoon,
        CallbackWindow::Evening,
    ];

    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackWindow::Asap => "asap",
            CallbackWindow::Morning => "morning",
            CallbackWindow::Afternoon => "afternoon",
            CallbackWindow::Evening => "evening",
        }
    }

    /// The one of this wire name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == name)
    }

    /// Its hours in the visitor's day, from (inclusive) to (exclusive);
    /// `None` for "as soon as possible".
    pub fn hours(self) -> Option<(u8, u8)> {
        match self {
            CallbackWindow::Asap => None,
            CallbackWindow::Morning => Some((9, 12)),
            CallbackWindow::Afternoon => Some((12, 17)),
            CallbackWindow::Evening => Some((17, 20)),
        }
    }
}

/// Where a callback request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CallbackStatus {
    /// Waiting for an agent to claim it.
    Requested,
    /// An agent has it and will call.
    Claimed,
    /// The agent called and spoke with the visitor.
    Done,
    /// The agent could not reach the visitor.
    Failed,
    /// The visitor took the request back before anyone called.
    Cancelled,
}

impl CallbackStatus {
    /// Requested or claimed: someone still has to call.
    pub fn is_open(self) -> bool {
        matches!(self, CallbackStatus::Requested | CallbackStatus::Claimed)
    }

    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            CallbackStatus::Requested => "requested",
            CallbackStatus::Claimed => "claimed",
            CallbackStatus::Done => "done",
            CallbackStatus::Failed => "failed",
            CallbackStatus::Cancelled => "cancelled",
        }
    }
}

/// What the widget's callback form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallbackRequest {
    /// The number to call, in international format (`+98 912 345 6789`;
    /// kept as `+989123456789`).
    pub phone: String,
    /// When to call.
    pub window: CallbackWindow,
    /// What it is about (at most [`MAX_CALLBACK_NOTE_CHARS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Their name, if they gave one (at most
    /// [`crate::limits::MAX_VISITOR_NAME_CHARS`], one line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What is wrong with a callback request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackProblem {
    /// The phone number is not in international format.
    Phone,
    /// The note is too long.
    Note,
    /// The name is too long or not one line.
    Name,
}

impl CallbackRequest {
    /// The request as it is kept: the phone normalised, blank note and
    /// name dropped, the note's surrounding space trimmed.
    pub fn check(&self) -> Result<CallbackRequest, CallbackProblem> {
        let phone = normalize_phone(&self.phone).ok_or(CallbackProblem::Phone)?;
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if note
            .as_deref()
            .is_some_and(|n| n.chars().count() > MAX_CALLBACK_NOTE_CHARS)
        {
            return Err(CallbackProblem::Note);
        }
        let name = self
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned);
        if name.as_deref().is_some_and(|n| {
            n.chars().count() > crate::limits::MAX_VISITOR_NAME_CHARS
                || n.chars().any(char::is_control)
        }) {
            return Err(CallbackProblem::Name);
        }
        Ok(CallbackRequest {
            phone,
            window: self.window,
            note,
            name,
        })
    }
}

/// A callback request as agents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Callback {
    /// Its id.
    pub id: CallbackId,
    /// The site it was asked on.
    pub site: SiteId,
    /// Who asked.
    pub visitor: VisitorId,
    /// Their conversation at the time, if they had written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation: Option<ConversationId>,
    /// Their name: given in the form, or known from before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The number to call (`+` and digits).
    pub phone: String,
    /// When to call, in the visitor's day.
    pub window: CallbackWindow,
    /// The visitor's IANA time zone, when the widget knew it: the window is
    /// in their day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// The visitor's language tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// What it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where it stands.
    pub status: CallbackStatus,
    /// The agent who claimed (and closed) it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent: Option<AgentPublic>,
    /// The agent's words on how it went (done or failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// When it was asked.
    pub requested_at: Millis,
    /// When its status last changed.
    pub updated_at: Millis,
}

/// A callback request as its visitor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitorCallback {
    /// The number they gave.
    pub phone: String,
    /// When they asked to be called.
    pub window: CallbackWindow,
    /// Where it stands.
    pub status: CallbackStatus,
    /// When it was asked.
    pub requested_at: Millis,
}

impl From<&Callback> for VisitorCallback {
    fn from(c: &Callback) -> Self {
        Self {
            phone: c.phone.clone(),
            window: c.window,
            status: c.status,
            requested_at: c.requested_at,
        }
    }
}

/// An agent's end to a callback (`POST /api/callbacks/{id}/close`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseCallback {
    /// `done` or `failed`.
    pub status: CallbackStatus,
    /// How it went (at most [`MAX_CALLBACK_NOTE_CHARS`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(phone: &str, note: Option<&str>, name: Option<&str>) -> CallbackRequest {
        CallbackRequest {
            phone: phone.into(),
            window: CallbackWindow::Morning,
            note: note.map(Into::into),
            name: name.map(Into::into),
        }
    }

    #[test]
    fn a_request_is_kept_normalised() {
        let kept = request(" +44 20 7946-0958 ", Some("  About my order  "), Some(" "))
            .check()
            .unwrap();
        assert_eq!(kept.phone, "+442079460958");
        assert_eq!(kept.note.as_deref(), Some("About my order"));
        assert_eq!(kept.name, None, "a blank name is no name");
        let persian = request("+۹۸ ۹۱۲ ۳۴۵ ۶۷۸۹", Some("   "), Some("لیلا"))
            .check()
            .unwrap();
        assert_eq!(persian.phone, "+989123456789");
        assert_eq!(persian.note, None);
        assert_eq!(persian.name.as_deref(), Some("لیلا"));
    }

    #[test]
    fn bad_requests_say_what_is_wrong() {
        assert_eq!(
            request("0912 345 6789", None, None).check(),
            Err(CallbackProblem::Phone)
        );
        assert_eq!(
            request("+1 call me", None, None).check(),
            Err(CallbackProblem::Phone)
        );
        let long = "x".repeat(MAX_CALLBACK_NOTE_CHARS + 1);
        assert_eq!(
            request("+12025550123", Some(&long), None).check(),
            Err(CallbackProblem::Note)
        );
        let fits = "x".repeat(MAX_CALLBACK_NOTE_CHARS);
        assert!(request("+12025550123", Some(&fits), None).check().is_ok());
        assert_eq!(
            request("+12025550123", None, Some("Eve\r\nBcc: x@y.z")).check(),
            Err(CallbackProblem::Name)
        );
    }

    #[test]
    fn windows_round_trip_and_are_in_order() {
        for w in CallbackWindow::ALL {
            assert_eq!(CallbackWindow::parse(w.as_str()), Some(w));
        }
        let hours: Vec<_> = CallbackWindow::ALL
            .iter()
            .filter_map(|w| w.hours())
            .collect();
        assert!(hours.windows(2).all(|p| p[0].1 <= p[1].0), "{hours:?}");
        assert!(CallbackStatus::Claimed.is_open() && !CallbackStatus::Failed.is_open());
    }
}
