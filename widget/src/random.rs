//! Randomness from the browser: message client ids and reconnect jitter.

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

/// A fresh client id: 16 bytes from `crypto.getRandomValues`, in hex (32
/// characters, within [`shared::ClientId::is_valid`]).
#[cfg(target_arch = "wasm32")]
pub fn client_id() -> shared::ClientId {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Only ancient browsers lack crypto; a collision merely makes the
        // server treat a send as a retry, so Math.random is acceptable here.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    shared::ClientId(hex(&bytes))
}

/// Uniform in `[0, 1)`, for jitter.
#[cfg(target_arch = "wasm32")]
pub fn unit() -> f64 {
    js_sys::Math::random()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let id = shared::ClientId(hex(&[0xab; 16]));
        assert_eq!(id.as_str().len(), 32);
        assert!(id.is_valid());
    }
}
