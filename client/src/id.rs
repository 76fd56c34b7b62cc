//! Client ids: the idempotency key of every send (`shared::ClientId`), 16
//! random bytes in lowercase hex. One rule for both apps.

use shared::ClientId;

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// The client id of 16 random bytes: 32 hex characters, within
/// [`ClientId::is_valid`].
pub fn from_bytes(bytes: [u8; 16]) -> ClientId {
    ClientId(hex(&bytes))
}

/// A fresh client id from `crypto.getRandomValues` (in a browser).
pub fn new_client_id() -> ClientId {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Only ancient browsers lack Web Crypto; a collision merely makes
        // the server treat a send as a retry of the other, so Math.random
        // will do there.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_hex_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let id = from_bytes([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert!(id.is_valid());
    }
}
