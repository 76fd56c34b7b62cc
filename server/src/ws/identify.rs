//! Who a `hello` speaks for: the visitor its token names, or — with an
//! identity the site signed — the site's visitor of that user, on whatever
//! device they first wrote (docs/SDK.md, "Identify your users").
//!
//! The rules, which keep one user's conversations from anyone else:
//! - a token names only anonymous visitors, or a bound one when the hello
//!   also proves that user: a bound visitor's token without the signature
//!   (the user logged out, another user on the same browser) starts afresh;
//! - a signed identity picks the user's visitor; the first time, the
//!   token's anonymous visitor becomes theirs (what they wrote before
//!   logging in follows them), or the record made at their first message;
//! - an unsigned identity (sites that allow it) only names the visitor:
//!   the id is kept as an attribute, nothing follows from it;
//! - a refused identity leaves the hello anonymous, and the page is told.

use super::frames::{check_identity_details, Rejected};
use crate::identity::{check, Verdict};
use crate::secrets;
use crate::store::{Site, Store, StoreResult, Visitor, VisitorDetails};
use shared::{ConversationSummary, Identity, Seq};

/// What a hello resolved to.
pub struct Resolved {
    /// The token to give back in the `welcome`.
    pub token: String,
    /// The visitor, if there is a record yet.
    pub visitor: Option<Visitor>,
    /// How far the client holds that visitor's conversation (0 when the
    /// identity moved it to another visitor than its token's).
    pub last_seq: Seq,
    /// A proven user with no record yet: bind it when the record is made.
    pub user_id: Option<String>,
    /// What the identity says of the visitor, to store.
    pub details: VisitorDetails,
    /// Why the identity was refused, for the page.
    pub refused: Option<Rejected>,
    /// The conversation a bind changed (dashboards should hear of it).
    pub changed: Option<ConversationSummary>,
}

/// Resolves a hello on `site` with `token` holding up to `last_seq`.
pub async fn resolve(
    store: &dyn Store,
    site: &Site,
    token: Option<String>,
    last_seq: Seq,
    identity: Option<&Identity>,
) -> StoreResult<Resolved> {
    let verdict = identity.map(|i| check(site, i));
    let mut refused = None;
    let mut details = VisitorDetails::default();
    if let (Some(identity), Some(Verdict::Verified(_) | Verdict::Unsigned(_))) =
        (identity, &verdict)
    {
        match check_identity_details(identity) {
            Ok(d) => details = d,
            Err(r) => refused = Some(r),
        }
    }
    let verified = match verdict {
        Some(Verdict::Verified(user)) => Some(user),
        Some(Verdict::Unsigned(user)) => {
            details.attributes.insert("user_id".into(), user);
            None
        }
        Some(Verdict::Refused(code, message)) => {
            refused = Some(Rejected {
                code,
                message: message.to_owned(),
            });
            None
        }
        None => None,
    };

    // A token the store knows on this site is a returning visitor (if it
    // is anonymous, or this hello proves its user); a well-formed one it
    // does not know was issued to a widget that has not written yet
    // (nothing was stored for it), so it is kept; any other starts afresh.
    let mut returning = None;
    let mut keep = None;
    if let Some(t) = token.filter(|t| secrets::is_token(t, "vt")) {
        match store.visitor_by_token(&secrets::token_hash(&t)).await? {
            Some(v) if v.site == site.id && (v.user_id.is_none() || v.user_id == verified) => {
                returning = Some((t, v));
            }
            Some(_) => {}
            None => keep = Some(t),
        }
    }
    let (token, mut visitor, mut last_seq) = match returning {
        Some((token, visitor)) => (token, Some(visitor), last_seq),
        // Holding nothing, whatever the client claimed.
        None => (keep.unwrap_or_else(|| secrets::new_token("vt")), None, 0),
    };

    let mut user_id = None;
    let mut changed = None;
    if let Some(user) = verified {
        let current = visitor.as_ref().map(|v| v.id.clone());
        let theirs = match store.visitor_by_user(&site.id, &user).await? {
            Some(v) => Some(v),
            // Their first signed hello: the anonymous visitor is theirs.
            None => match &visitor {
                Some(v) => {
                    let (holder, conv) = store.bind_user(&v.id, &user).await?;
                    changed = conv;
                    Some(holder)
                }
                None => {
                    user_id = Some(user);
                    None
                }
            },
        };
        if let Some(theirs) = theirs {
            if current.as_ref() != Some(&theirs.id) {
                last_seq = 0;
            }
            visitor = Some(theirs);
        }
    }
    Ok(Resolved {
        token,
        visitor,
        last_seq,
        user_id,
        details,
        refused,
        changed,
    })
}

/// Whether storing `details` would change what `visitor` holds.
pub fn changes(visitor: &Visitor, details: &VisitorDetails) -> bool {
    let contact = visitor.contact.as_ref();
    details
        .name
        .as_ref()
        .is_some_and(|n| contact.and_then(|c| c.name.as_ref()) != Some(n))
        || details
            .email
            .as_ref()
            .is_some_and(|e| contact.map(|c| &c.email) != Some(e))
        || details
            .attributes
            .iter()
            .any(|(k, v)| visitor.attributes.get(k) != Some(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_new_details_are_changes() {
        let mut v = Visitor::new(&"s_1".into(), None, None);
        v.contact = Some(shared::Contact {
            name: Some("Leila".into()),
            email: "leila@example.com".into(),
        });
        v.attributes.insert("plan".into(), "Pro".into());
        let same = VisitorDetails {
            name: Some("Leila".into()),
            email: Some("leila@example.com".into()),
            attributes: [("plan".to_owned(), "Pro".to_owned())].into(),
        };
        assert!(!changes(&v, &same));
        assert!(!changes(&v, &VisitorDetails::default()));
        for other in [
            VisitorDetails {
                name: Some("Leyla".into()),
                ..same.clone()
            },
            VisitorDetails {
                email: Some("l@example.com".into()),
                ..same.clone()
            },
            VisitorDetails {
                attributes: [("plan".to_owned(), "Free".to_owned())].into(),
                ..same.clone()
            },
        ] {
            assert!(changes(&v, &other), "{other:?}");
        }
    }
}
