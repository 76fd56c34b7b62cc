//! Verified identity (docs/SDK.md, "Identify your users").
//!
//! A site's server signs its logged-in user's id with the site's identity
//! secret — `hash = hex(HMAC-SHA256(secret, user_id))` — and the page
//! passes both to `Ahlan.identify`. A valid signature makes the visitor
//! that user on every device: their conversations follow them, and only a
//! page holding the signature reaches them. Without a hash (allowed unless
//! the site requires one) the name and email are shown to agents as given,
//! and nothing else follows from the id.
//!
//! Plain code, unit-tested: the websocket handler asks [`check`] and acts
//! on the [`Verdict`].

use crate::secrets::hex;
use crate::store::Site;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use shared::limits::MAX_USER_ID_CHARS;
use shared::{ErrorCode, Identity};

type HmacSha256 = Hmac<Sha256>;

/// The signature of `user_id` with `secret`, as lower-case hex.
pub fn sign(secret: &str, user_id: &str) -> String {
    hex(&mac(secret, user_id).finalize().into_bytes())
}

fn mac(secret: &str, user_id: &str) -> HmacSha256 {
    // HMAC takes a key of any length: this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    mac.update(user_id.as_bytes());
    mac
}

/// Whether `hash` is the signature of `user_id` with `secret`, compared in
/// constant time. Upper-case hex is accepted; anything not hex is not.
pub fn verify(secret: &str, user_id: &str, hash: &str) -> bool {
    let Some(bytes) = unhex(hash.trim()) else {
        return false;
    };
    // An empty secret (a site that never had one) signs nothing.
    !secret.is_empty() && mac(secret, user_id).verify_slice(&bytes).is_ok()
}

/// What an identity amounts to on a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Signed by the site: the visitor is this user.
    Verified(String),
    /// Not signed, and the site allows that: details only.
    Unsigned(String),
    /// Refused: the visitor stays anonymous and the page is told why.
    Refused(ErrorCode, &'static str),
}

/// Checks `identity` against `site`'s secret and mode.
pub fn check(site: &Site, identity: &Identity) -> Verdict {
    let user = identity.user_id.trim();
    if user.is_empty()
        || user.chars().count() > MAX_USER_ID_CHARS
        || user.chars().any(char::is_control)
    {
        return Verdict::Refused(
            ErrorCode::IdentityInvalid,
            "the user id must be 1 to 128 characters on one line",
        );
    }
    match identity.hash.as_deref().filter(|h| !h.trim().is_empty()) {
        Some(hash) if verify(&site.identity_secret, user, hash) => {
            Verdict::Verified(user.to_owned())
        }
        Some(_) => Verdict::Refused(
            ErrorCode::IdentityInvalid,
            "the hash is not this site's signature of this user id (HMAC-SHA256 of the id with the site's identity secret, as hex)",
        ),
        None if site.identity_required => Verdict::Refused(
            ErrorCode::IdentityRequired,
            "this site accepts only signed identities: pass the hash your server computes",
        ),
        None => Verdict::Unsigned(user.to_owned()),
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(secret: &str, required: bool) -> Site {
        let mut site = crate::fixtures::site();
        site.identity_secret = secret.to_owned();
        site.identity_required = required;
        site
    }

    fn identity(user: &str, hash: Option<&str>) -> Identity {
        Identity {
            user_id: user.into(),
            hash: hash.map(str::to_owned),
            name: None,
            email: None,
        }
    }

    #[test]
    fn signatures_match_the_published_hmac() {
        // RFC 4231 test case 2: key "Jefe".
        assert_eq!(
            sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let secret = crate::secrets::new_identity_secret();
        assert_eq!(secret.len(), 64);
        assert_ne!(secret, crate::secrets::new_identity_secret());
    }

    #[test]
    fn only_the_sites_signature_of_that_id_verifies() {
        let s = site("s3cret", false);
        let good = sign("s3cret", "user-42");
        assert_eq!(
            check(&s, &identity("user-42", Some(&good))),
            Verdict::Verified("user-42".into())
        );
        assert_eq!(
            check(&s, &identity("user-42", Some(&good.to_uppercase()))),
            Verdict::Verified("user-42".into()),
            "hex in either case"
        );
        // Replayed for another id, forged, made with another secret, cut
        // short, not hex: all refused alike.
        for (user, hash) in [
            ("user-43", good.clone()),
            ("user-42", "00".repeat(32)),
            ("user-42", sign("other", "user-42")),
            ("user-42", good[..62].to_owned()),
            ("user-42", format!("{}zz", &good[..62])),
            ("user-42", "é".repeat(32)),
        ] {
            assert!(
                matches!(
                    check(&s, &identity(user, Some(&hash))),
                    Verdict::Refused(ErrorCode::IdentityInvalid, _)
                ),
                "{user} {hash}"
            );
        }
        assert!(
            !verify("", "user-42", &sign("", "user-42")),
            "no secret, no signature"
        );
    }

    #[test]
    fn unsigned_identities_are_details_unless_the_site_requires_a_hash() {
        assert_eq!(
            check(&site("k", false), &identity(" u1 ", None)),
            Verdict::Unsigned("u1".into())
        );
        assert_eq!(
            check(&site("k", false), &identity("u1", Some(" "))),
            Verdict::Unsigned("u1".into()),
            "a blank hash is no hash"
        );
        assert!(matches!(
            check(&site("k", true), &identity("u1", None)),
            Verdict::Refused(ErrorCode::IdentityRequired, _)
        ));
        for bad in ["", "  ", "a\nb", &"x".repeat(129)] {
            assert!(matches!(
                check(&site("k", false), &identity(bad, None)),
                Verdict::Refused(ErrorCode::IdentityInvalid, _)
            ));
        }
    }
}
