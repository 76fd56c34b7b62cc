//! Randomness from the browser: reconnect jitter (client ids are
//! [`client::id`]'s).

/// Uniform in `[0, 1)`, for jitter.
#[cfg(target_arch = "wasm32")]
pub fn unit() -> f64 {
    js_sys::Math::random()
}
