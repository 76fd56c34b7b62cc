//! What survives a reload, in the iframe's `localStorage` (the Ahlan
//! origin's, which browsers partition per top-level site): the visitor
//! token, the outbox of unacknowledged sends, and the read marker. Keys are
//! `ahlan:<site>:<item>` so two sites on one Ahlan server never mix.
//!
//! Storage may be unavailable (blocked third-party storage, private modes):
//! then the widget works for the page's lifetime and forgets on reload.

use crate::chat::Pending;

/// The storage key of `item` for `site`.
pub fn key(site: &str, item: &str) -> String {
    ["ahlan:", site, ":", item].concat()
}

/// The outbox as stored.
pub fn encode_outbox(outbox: &[Pending]) -> String {
    serde_json::to_string(outbox).unwrap_or_default()
}

/// The stored outbox; anything unreadable or invalid is dropped, since a
/// send the server would refuse can never be delivered.
pub fn decode_outbox(stored: &str) -> Vec<Pending> {
    let mut outbox: Vec<Pending> = serde_json::from_str(stored).unwrap_or_default();
    outbox.retain(|p| p.client_id.is_valid() && crate::chat::validate(&p.body).is_ok());
    outbox
}

#[cfg(target_arch = "wasm32")]
pub use browser::Store;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::{decode_outbox, encode_outbox, key};
    use crate::chat::Pending;
    use shared::Seq;

    /// One site's slice of `localStorage`.
    pub struct Store {
        site: String,
        storage: Option<web_sys::Storage>,
    }

    impl Store {
        /// Opens the site's storage (or none, if the browser refuses).
        pub fn new(site: &str) -> Self {
            let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
            Store {
                site: site.to_owned(),
                storage,
            }
        }

        fn get(&self, item: &str) -> Option<String> {
            let storage = self.storage.as_ref()?;
            storage.get_item(&key(&self.site, item)).ok().flatten()
        }

        // Write failures (quota, storage revoked) only cost persistence.
        fn set(&self, item: &str, value: &str) {
            if let Some(storage) = &self.storage {
                let _ = storage.set_item(&key(&self.site, item), value);
            }
        }

        fn remove(&self, item: &str) {
            if let Some(storage) = &self.storage {
                let _ = storage.remove_item(&key(&self.site, item));
            }
        }

        /// The visitor token from an earlier `welcome`.
        pub fn token(&self) -> Option<String> {
            self.get("token").filter(|t| !t.is_empty())
        }

        /// Keeps the visitor token.
        pub fn set_token(&self, token: &str) {
            self.set("token", token);
        }

        /// Sends not yet acknowledged.
        pub fn outbox(&self) -> Vec<Pending> {
            self.get("outbox")
                .map(|s| decode_outbox(&s))
                .unwrap_or_default()
        }

        /// Keeps the outbox (removing the key when it is empty).
        pub fn set_outbox(&self, outbox: &[Pending]) {
            if outbox.is_empty() {
                self.remove("outbox");
            } else {
                self.set("outbox", &encode_outbox(outbox));
            }
        }

        /// Forgets the visitor (`Ahlan.shutdown()`): the next `hello` makes a
        /// new one.
        pub fn forget(&self) {
            for item in ["token", "outbox", "read"] {
                self.remove(item);
            }
        }

        /// Highest seq seen with the panel open.
        pub fn read_seq(&self) -> Seq {
            self.get("read").and_then(|s| s.parse().ok()).unwrap_or(0)
        }

        /// Keeps the read marker.
        pub fn set_read_seq(&self, seq: Seq) {
            self.set("read", &seq.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_namespaced_by_site() {
        assert_eq!(key("pk_abc", "token"), "ahlan:pk_abc:token");
    }

    #[test]
    fn outbox_round_trips_and_drops_garbage() {
        let outbox = vec![
            Pending {
                client_id: "0123abcd".into(),
                body: "hello".into(),
            },
            Pending {
                client_id: "ffff".into(),
                body: "مرحبا".into(),
            },
        ];
        assert_eq!(decode_outbox(&encode_outbox(&outbox)), outbox);
        assert!(decode_outbox("not json").is_empty());
        let bad = r#"[{"client_id":"has space","body":"x"},{"client_id":"ok","body":"  "},{"client_id":"ok2","body":"y"}]"#;
        let kept = decode_outbox(bad);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].client_id.as_str(), "ok2");
    }
}
