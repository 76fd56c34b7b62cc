//! Identifiers. All are opaque strings on the wire; the newtypes keep a
//! conversation id from being passed where an agent id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Per-conversation message sequence number: assigned by the server's store
/// at append time, starting at 1, gap-free and strictly increasing.
pub type Seq = u64;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_owned())
            }
        }
    };
}

id_type!(
    /// A conversation between one visitor and (eventually) an agent.
    ConversationId
);
id_type!(
    /// An agent (dashboard user).
    AgentId
);
id_type!(
    /// A visitor of a site, known by the token kept in the widget's storage.
    VisitorId
);
id_type!(
    /// A site: one embed, with a public key and allowed origins.
    SiteId
);
id_type!(
    /// A team of agents (e.g. "Sales", "Support — Arabic").
    TeamId
);
id_type!(
    /// A canned response (a saved reply).
    CannedId
);
id_type!(
    /// A visitor's request to be called back.
    CallbackId
);
id_type!(
    /// A help article of a site.
    ArticleId
);
id_type!(
    /// The client-chosen id of a message: the idempotency key of a send.
    /// Unique per conversation; a retried send with the same id gets the
    /// original acknowledgement. See [`ClientId::is_valid`].
    ClientId
);

impl ClientId {
    /// Longest accepted client id, in bytes.
    pub const MAX_LEN: usize = 64;

    /// 1 to 64 characters of `A-Z a-z 0-9 - _`. Clients use a random id
    /// (a UUID or 16+ random hex digits).
    pub fn is_valid(&self) -> bool {
        !self.0.is_empty()
            && self.0.len() <= Self::MAX_LEN
            && self
                .0
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_id_rules() {
        assert!(ClientId::from("a1-B_").is_valid());
        assert!(!ClientId::from("").is_valid());
        assert!(!ClientId::from("has space").is_valid());
        assert!(!ClientId::from("ü").is_valid());
        assert!(ClientId("x".repeat(64)).is_valid());
        assert!(!ClientId("x".repeat(65)).is_valid());
    }
}
