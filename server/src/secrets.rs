//! Random identifiers and secret tokens. Secrets (visitor tokens, session
//! tokens) are 256 random bits; the store only ever sees their SHA-256, so a
//! dump of the store does not let anyone impersonate a visitor or an agent.

use rand::RngCore;
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// A site's identity secret: 256 random bits as hex, the form site owners
/// paste into their server's configuration ([`crate::identity`]).
pub fn new_identity_secret() -> String {
    random_hex(32)
}

/// A random id with a type prefix, e.g. `c_9f…` (96 bits: unique, not secret).
pub fn random_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_hex(12))
}

/// A secret token with a type prefix (256 bits).
pub fn new_token(prefix: &str) -> String {
    format!("{prefix}_{}", random_hex(32))
}

/// Whether `token` has the shape of one [`new_token`] makes with `prefix`
/// (so a client cannot pass off any string as a token).
pub fn is_token(token: &str, prefix: &str) -> bool {
    token
        .strip_prefix(prefix)
        .and_then(|t| t.strip_prefix('_'))
        .is_some_and(|hex| {
            hex.len() == 64 && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

/// A site's public key (128 bits: public, but not enumerable).
pub fn new_site_key() -> String {
    format!("pk_{}", random_hex(16))
}

/// A readable random password for the first admin account.
pub fn new_password() -> String {
    random_hex(9)
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = new_token("vt");
        let b = new_token("vt");
        assert_ne!(a, b);
        assert!(a.starts_with("vt_"));
        assert_eq!(a.len(), 3 + 64);
        assert!(is_token(&a, "vt"));
        assert!(!is_token(&a, "st"));
        assert!(!is_token("vt_xyz", "vt"));
        assert!(!is_token(&a.to_uppercase(), "vt"));
    }

    #[test]
    fn hash_is_sha256_in_lowercase_hex() {
        // The FIPS 180-2 test vector: what older data was stored under
        // must keep matching.
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }
}
