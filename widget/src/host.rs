//! Talking to the host page through `postMessage` (see ARCHITECTURE.md,
//! "Loader ↔ iframe"). Every message is an object whose `ahlan` field names
//! its kind. Messages are posted only to the configured host origin and
//! accepted only from it (and only from the parent window), so no other
//! page or frame can drive the widget or read what it says.

/// A message from the host page: `Ahlan.open()` / `Ahlan.close()`, the
/// page the visitor is on (told by the loader on load and navigation), or
/// what the page says of the visitor (`identify`, `setAttributes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCommand {
    /// Open the panel.
    Open,
    /// Close the panel.
    Close,
    /// The visitor is on this page.
    Page(HostPage),
    /// The page's user (`Ahlan.identify`).
    Identify(shared::Identity),
    /// Attributes to keep on the visitor (`Ahlan.setAttributes`).
    Attributes(std::collections::BTreeMap<String, String>),
    /// How the loader lays the open panel out: over the whole screen (a
    /// phone), where focus must stay inside it, or not.
    Layout {
        /// Full screen.
        full: bool,
    },
}

/// The host page, as the loader reports it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HostPage {
    /// `location.href`.
    pub url: String,
    /// `document.title`.
    pub title: String,
    /// `document.referrer`.
    pub referrer: String,
}

impl HostCommand {
    /// The command named by a message's `ahlan` field; `field` reads the
    /// message's other string fields (a page needs its `url`).
    pub fn parse(kind: &str, field: impl Fn(&str) -> Option<String>) -> Option<HostCommand> {
        match kind {
            "open" => Some(HostCommand::Open),
            "close" => Some(HostCommand::Close),
            "page" => Some(HostCommand::Page(HostPage {
                url: field("url").filter(|u| !u.is_empty())?,
                title: field("title").unwrap_or_default(),
                referrer: field("referrer").unwrap_or_default(),
            })),
            "layout" => Some(HostCommand::Layout {
                full: field("full").as_deref() == Some("1"),
            }),
            "identify" => Some(HostCommand::Identify(shared::Identity {
                user_id: field("user_id").filter(|u| !u.is_empty())?,
                hash: field("hash").filter(|h| !h.is_empty()),
                name: field("name").filter(|n| !n.is_empty()),
                email: field("email").filter(|e| !e.is_empty()),
            })),
            _ => None,
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use browser::Host;

#[cfg(target_arch = "wasm32")]
mod browser {
    use super::HostCommand;
    use leptos::prelude::window_event_listener;
    use wasm_bindgen::JsValue;
    use web_sys::{MessageEvent, Window};

    /// The host page, as reachable from the iframe.
    #[derive(Clone)]
    pub struct Host {
        origin: String,
    }

    fn parent() -> Option<Window> {
        let window = web_sys::window()?;
        let parent = window.parent().ok().flatten()?;
        // Not framed (the page opened directly): there is no host to tell.
        (JsValue::from(&parent) != JsValue::from(&window)).then_some(parent)
    }

    impl Host {
        /// The host page at `origin` (the config's `host_origin`).
        pub fn new(origin: &str) -> Self {
            Host {
                origin: origin.to_owned(),
            }
        }

        fn post(&self, kind: &str, fields: &[(&str, JsValue)]) {
            let Some(parent) = parent() else { return };
            let message = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&message, &"ahlan".into(), &kind.into());
            for (name, value) in fields {
                let _ = js_sys::Reflect::set(&message, &(*name).into(), value);
            }
            // Throws only for an unparsable target origin; nothing to do then.
            let _ = parent.post_message(&message, &self.origin);
        }

        /// The app is mounted: the loader shows the iframe, its launcher
        /// on `side` (`right` or `left`), the panel open or not.
        pub fn ready(&self, dir: &str, side: &str, open: bool) {
            self.post(
                "ready",
                &[
                    ("dir", dir.into()),
                    ("side", side.into()),
                    ("open", open.into()),
                ],
            );
        }

        /// A conversation started or ended: the loader keeps a flag on the
        /// host page so later page views load the widget at once.
        pub fn active(&self, on: bool) {
            self.post("active", &[("on", on.into())]);
        }

        /// The panel opened or closed: the loader resizes the iframe.
        pub fn resize(&self, open: bool) {
            self.post("resize", &[("open", open.into())]);
        }

        /// Unread agent messages while closed.
        pub fn unread(&self, count: u32) {
            self.post("unread", &[("count", count.into())]);
        }

        /// The server refused what the page said (an identity, attributes):
        /// the loader tells the page's developer in the console.
        pub fn error(&self, code: &str, message: &str) {
            self.post(
                "error",
                &[("code", code.into()), ("message", message.into())],
            );
        }

        /// A live agent message, for the host's `on("message")`.
        pub fn message(&self, body: &str) {
            self.post(
                "message",
                &[("body", body.into()), ("from", "agent".into())],
            );
        }

        /// In the console's preview: calls `on_look` with each look the
        /// console page (our own origin, the parent) sends as
        /// `{ahlan: "look", appearance: "<Appearance JSON>", name}`.
        pub fn listen_look(&self, on_look: impl Fn(String, String) + 'static) {
            let origin = self.origin.clone();
            let _ = window_event_listener(leptos::ev::message, move |event: MessageEvent| {
                let from_parent = match (event.source(), parent()) {
                    (Some(source), Some(parent)) => JsValue::from(source) == JsValue::from(parent),
                    _ => false,
                };
                if event.origin() != origin || !from_parent {
                    return;
                }
                let field = |name: &str| {
                    js_sys::Reflect::get(&event.data(), &name.into())
                        .ok()
                        .and_then(|v| v.as_string())
                };
                if field("ahlan").as_deref() == Some("look") {
                    if let (Some(appearance), Some(name)) = (field("appearance"), field("name")) {
                        on_look(appearance, name);
                    }
                }
            });
        }

        /// Calls `on_command` for each command the host page sends.
        pub fn listen(&self, on_command: impl Fn(HostCommand) + 'static) {
            let origin = self.origin.clone();
            // The listener lives as long as the page: its handle is dropped
            // without removing it.
            let _ = window_event_listener(leptos::ev::message, move |event: MessageEvent| {
                if event.origin() != origin {
                    return;
                }
                let from_parent = match (event.source(), parent()) {
                    (Some(source), Some(parent)) => JsValue::from(source) == JsValue::from(parent),
                    _ => false,
                };
                if !from_parent {
                    return;
                }
                let data = event.data();
                let field = |name: &str| {
                    js_sys::Reflect::get(&data, &name.into())
                        .ok()
                        .and_then(|v| v.as_string())
                };
                let kind = field("ahlan");
                let command = if kind.as_deref() == Some("attributes") {
                    attributes(&data).map(HostCommand::Attributes)
                } else {
                    kind.and_then(|kind| HostCommand::parse(&kind, field))
                };
                if let Some(command) = command {
                    on_command(command);
                }
            });
        }
    }

    /// `{attributes: {key: value, …}}`: string, number and boolean values,
    /// as text; anything else is left out.
    fn attributes(data: &JsValue) -> Option<std::collections::BTreeMap<String, String>> {
        let object = js_sys::Reflect::get(data, &"attributes".into()).ok()?;
        if !object.is_object() {
            return None;
        }
        let mut map = std::collections::BTreeMap::new();
        for entry in js_sys::Object::entries(&js_sys::Object::from(object)).iter() {
            let pair = js_sys::Array::from(&entry);
            let (Some(key), value) = (pair.get(0).as_string(), pair.get(1)) else {
                continue;
            };
            let text = value
                .as_string()
                .or_else(|| value.as_f64().map(|n| n.to_string()))
                .or_else(|| value.as_bool().map(|b| b.to_string()));
            if let Some(text) = text {
                map.insert(key, text);
            }
        }
        Some(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_close_and_page_are_commands() {
        let none = |_: &str| None;
        assert_eq!(HostCommand::parse("open", none), Some(HostCommand::Open));
        assert_eq!(HostCommand::parse("close", none), Some(HostCommand::Close));
        assert_eq!(HostCommand::parse("ready", none), None);
        assert_eq!(HostCommand::parse("OPEN", none), None);
        assert_eq!(
            HostCommand::parse("page", none),
            None,
            "a page needs its url"
        );
        let fields = |name: &str| match name {
            "url" => Some("https://shop.example/cart".to_owned()),
            "title" => Some("Cart".to_owned()),
            _ => None,
        };
        let who = |name: &str| match name {
            "user_id" => Some("u-42".to_owned()),
            "hash" => Some("ab12".to_owned()),
            "name" => Some(String::new()),
            _ => None,
        };
        assert_eq!(
            HostCommand::parse("identify", who),
            Some(HostCommand::Identify(shared::Identity {
                user_id: "u-42".into(),
                hash: Some("ab12".into()),
                name: None,
                email: None,
            }))
        );
        let phone = |name: &str| (name == "full").then(|| "1".to_owned());
        assert_eq!(
            HostCommand::parse("layout", phone),
            Some(HostCommand::Layout { full: true })
        );
        assert_eq!(
            HostCommand::parse("layout", none),
            Some(HostCommand::Layout { full: false })
        );
        assert_eq!(
            HostCommand::parse("identify", none),
            None,
            "an identity needs its user id"
        );
        assert_eq!(
            HostCommand::parse("page", fields),
            Some(HostCommand::Page(HostPage {
                url: "https://shop.example/cart".into(),
                title: "Cart".into(),
                referrer: String::new(),
            }))
        );
    }
}
