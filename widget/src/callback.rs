//! The visitor's callback request as plain data: when the widget offers
//! one, the form's state, the request on its way, and where the kept one
//! stands. Part of [`crate::chat::ChatState`]; unit-tested natively.
//!
//! The offer follows the site's setting (`callback_after_mins`): always
//! while the site is offline; to a waiting visitor once the estimated wait
//! reaches the setting (with no estimate — too little history — only on
//! sites that offer it to everyone who waits, `0`). Never while a request
//! is open, nor after the call was made: the visitor sees its status
//! instead (after a call that did not reach them, the offer comes back).

use shared::callback::{CallbackProblem, CallbackRequest, CallbackStatus, VisitorCallback};
use shared::ErrorCode;

/// What to fix in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormProblem {
    /// The widget's own check.
    Check(CallbackProblem),
    /// The server's refusal.
    Server(ErrorCode),
}

/// The callback part of the chat.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Callbacks {
    /// Offered from this many minutes of estimated wait (`None`: never).
    after_mins: Option<u32>,
    /// The visitor's latest request, as the server kept it.
    kept: Option<VisitorCallback>,
    /// Sent (or to send once connected), not kept yet.
    sending: Option<CallbackRequest>,
    /// The visitor opened the form.
    form_open: bool,
    problem: Option<FormProblem>,
    /// The visitor asked to cancel the kept request; not answered yet.
    cancelling: bool,
}

impl Callbacks {
    /// The site's setting, from the widget's config.
    pub fn offer_from(&mut self, after_mins: Option<u32>) {
        self.after_mins = after_mins;
    }

    fn open_request(&self) -> bool {
        self.sending.is_some() || self.kept.as_ref().is_some_and(|c| c.status.is_open())
    }

    /// The latest call was made, or the visitor cancelled it: offering
    /// again would be odd (a failed one may be asked again).
    fn called(&self) -> bool {
        self.kept
            .as_ref()
            .is_some_and(|c| matches!(c.status, CallbackStatus::Done | CallbackStatus::Cancelled))
    }

    /// Whether to offer a callback now.
    pub fn offered(&self, offline: bool, queued: bool, estimate_secs: Option<u32>) -> bool {
        let Some(after) = self.after_mins else {
            return false;
        };
        if self.open_request() || self.called() || self.form_open {
            return false;
        }
        offline
            || (queued
                && match estimate_secs {
                    Some(secs) => u64::from(secs) >= u64::from(after) * 60,
                    None => after == 0,
                })
    }

    /// Whether the form stands in the composer's place.
    pub fn form_shown(&self) -> bool {
        self.form_open && !self.open_request()
    }

    /// What to fix in the form, if anything.
    pub fn problem(&self) -> Option<FormProblem> {
        self.problem
    }

    /// The kept request, for its status card.
    pub fn kept(&self) -> Option<&VisitorCallback> {
        self.kept.as_ref()
    }

    /// The request to send after (re)connecting, if one is on its way.
    pub fn sending(&self) -> Option<&CallbackRequest> {
        self.sending.as_ref()
    }

    /// The visitor asked for the form.
    pub fn open_form(&mut self) {
        self.form_open = true;
        self.problem = None;
    }

    /// The visitor went back to the chat.
    pub fn close_form(&mut self) {
        self.form_open = false;
        self.problem = None;
    }

    /// The form was sent: the checked request to send now, or `None` with
    /// the problem to show.
    pub fn submit(&mut self, request: &CallbackRequest) -> Option<CallbackRequest> {
        match request.check() {
            Ok(checked) => {
                self.problem = None;
                self.sending = Some(checked.clone());
                Some(checked)
            }
            Err(p) => {
                self.problem = Some(FormProblem::Check(p));
                None
            }
        }
    }

    /// The visitor no longer wants the call: whether there is an open
    /// request to cancel (then send `cancel_callback`).
    pub fn cancel(&mut self) -> bool {
        let open = self.kept.as_ref().is_some_and(|c| c.status.is_open());
        self.cancelling = open;
        open
    }

    /// A cancel is on its way.
    pub fn cancelling(&self) -> bool {
        self.cancelling
    }

    /// `welcome` said what the server holds.
    pub fn welcome(&mut self, kept: Option<VisitorCallback>) {
        self.kept = kept;
        // A request on its way stays, to be sent again — unless the server
        // already holds an open one (it would refuse it).
        if self.kept.as_ref().is_some_and(|c| c.status.is_open()) {
            self.sending = None;
        }
    }

    /// A `callback` frame: the request as kept now.
    pub fn kept_now(&mut self, callback: VisitorCallback) {
        self.kept = Some(callback);
        self.sending = None;
        self.form_open = false;
        self.problem = None;
        self.cancelling = false;
    }

    /// An error the server answered a request with. Returns whether it was
    /// about a callback.
    pub fn refused(&mut self, code: ErrorCode) -> bool {
        match code {
            ErrorCode::InvalidPhone => {
                self.sending = None;
                self.form_open = true;
                self.problem = Some(FormProblem::Server(code));
                true
            }
            // One is open already: the `callback` frame that follows shows it.
            ErrorCode::CallbackPending => {
                self.sending = None;
                self.form_open = false;
                true
            }
            // Turned off since the page loaded: stop offering.
            ErrorCode::CallbacksOff => {
                self.sending = None;
                self.after_mins = None;
                self.form_open = true;
                self.problem = Some(FormProblem::Server(code));
                true
            }
            // Too late to cancel (called meanwhile), or nothing open: the
            // `callback` frame that follows shows where it stands.
            ErrorCode::CallbackClosed | ErrorCode::NotFound if self.cancelling => {
                self.cancelling = false;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::callback::CallbackWindow;

    fn offering(after: u32) -> Callbacks {
        let mut c = Callbacks::default();
        c.offer_from(Some(after));
        c
    }

    fn form(phone: &str) -> CallbackRequest {
        CallbackRequest {
            phone: phone.into(),
            window: CallbackWindow::Afternoon,
            note: None,
            name: None,
        }
    }

    fn kept(status: CallbackStatus) -> VisitorCallback {
        VisitorCallback {
            phone: "+989123456789".into(),
            window: CallbackWindow::Afternoon,
            status,
            requested_at: 1,
        }
    }

    #[test]
    fn an_open_request_is_cancelled_and_not_offered_again() {
        let mut c = offering(0);
        assert!(!c.cancel(), "nothing to cancel");
        c.kept_now(kept(CallbackStatus::Claimed));
        assert!(c.cancel());
        assert!(c.cancelling());
        c.kept_now(kept(CallbackStatus::Cancelled));
        assert!(!c.cancelling());
        assert!(
            !c.offered(true, true, None),
            "they said they did not want it"
        );
        // Called meanwhile: the refusal is the cancel's, and the status
        // that follows shows the call.
        c.kept_now(kept(CallbackStatus::Requested));
        c.cancel();
        assert!(c.refused(ErrorCode::CallbackClosed));
        assert!(!c.cancelling());
        assert!(!c.refused(ErrorCode::CallbackClosed), "not cancelling now");
    }

    #[test]
    fn offered_offline_and_on_a_long_enough_wait_only() {
        assert!(
            !Callbacks::default().offered(true, true, Some(9_999)),
            "site offers none"
        );
        let c = offering(10);
        assert!(c.offered(true, false, None), "offline: always");
        assert!(!c.offered(false, false, Some(9_999)), "not waiting");
        assert!(!c.offered(false, true, Some(599)));
        assert!(c.offered(false, true, Some(600)));
        assert!(
            !c.offered(false, true, None),
            "no estimate: not at 10 minutes"
        );
        assert!(
            offering(0).offered(false, true, None),
            "0: to everyone waiting"
        );
    }

    #[test]
    fn a_request_replaces_the_offer_until_it_is_closed() {
        let mut c = offering(0);
        c.open_form();
        assert!(c.form_shown() && !c.offered(false, true, None));
        assert_eq!(
            c.submit(&form("+98 912 345 6789")).map(|r| r.phone),
            Some("+989123456789".into())
        );
        assert!(!c.form_shown(), "sent: the form gives way");
        assert!(
            !c.offered(false, true, None),
            "on its way: not offered again"
        );
        c.kept_now(kept(CallbackStatus::Claimed));
        assert!(c.sending().is_none());
        assert!(!c.offered(true, true, None));
        c.kept_now(kept(CallbackStatus::Done));
        assert!(!c.offered(true, true, None), "called: not offered again");
        c.kept_now(kept(CallbackStatus::Failed));
        assert!(
            c.offered(true, true, None),
            "after a failed call: offered again"
        );
    }

    #[test]
    fn a_bad_number_keeps_the_form_with_its_problem() {
        let mut c = offering(0);
        c.open_form();
        assert_eq!(c.submit(&form("0912 345 6789")), None);
        assert_eq!(
            c.problem(),
            Some(FormProblem::Check(CallbackProblem::Phone))
        );
        assert!(c.form_shown());
        // The server may refuse what passed here: the form comes back.
        assert!(c.submit(&form("+98 912 345 6789")).is_some());
        assert!(c.refused(ErrorCode::InvalidPhone));
        assert!(c.form_shown());
        assert_eq!(
            c.problem(),
            Some(FormProblem::Server(ErrorCode::InvalidPhone))
        );
        assert!(!c.refused(ErrorCode::InvalidEmail), "not ours");
    }

    #[test]
    fn welcome_shows_the_kept_request_and_drops_a_repeat() {
        let mut c = offering(0);
        c.open_form();
        c.submit(&form("+12025550123"));
        c.welcome(None);
        assert!(c.sending().is_some(), "sent again after the welcome");
        c.welcome(Some(kept(CallbackStatus::Requested)));
        assert!(c.sending().is_none(), "the server holds an open one");
        assert_eq!(c.kept().map(|k| k.status), Some(CallbackStatus::Requested));
    }

    #[test]
    fn callbacks_turned_off_stop_the_offer() {
        let mut c = offering(0);
        c.open_form();
        c.submit(&form("+12025550123"));
        assert!(c.refused(ErrorCode::CallbacksOff));
        assert!(!c.offered(true, true, None));
        assert_eq!(
            c.problem(),
            Some(FormProblem::Server(ErrorCode::CallbacksOff))
        );
    }
}
