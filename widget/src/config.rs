//! The widget's configuration, embedded by the server in the iframe page as
//! JSON in `<script id="ahlan-config" type="application/json">`.

use shared::api::WidgetConfig;

/// Id of the element holding the configuration.
pub const ELEMENT_ID: &str = "ahlan-config";

/// Parses the embedded JSON.
pub fn parse(json: &str) -> Result<WidgetConfig, serde_json::Error> {
    serde_json::from_str(json)
}

/// Reads the page's configuration. `None` (with a console message) when it
/// is missing or invalid: the app then does not start, never says `ready`,
/// and the loader keeps the iframe hidden.
#[cfg(target_arch = "wasm32")]
pub fn read() -> Option<WidgetConfig> {
    let text = web_sys::window()?
        .document()?
        .get_element_by_id(ELEMENT_ID)?
        .text_content()?;
    match parse(&text) {
        Ok(config) => Some(config),
        Err(e) => {
            web_sys::console::error_2(
                &"ahlan: invalid widget configuration:".into(),
                &e.to_string().into(),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_server_embedding() {
        let c = parse(
            r#"{"site":"pk_1","site_name":"Acme","host_origin":"https://shop.example",
                "ws_url":"wss://chat.example/ws/visitor","locale":null}"#,
        )
        .unwrap();
        assert_eq!(c.site, "pk_1");
        assert_eq!(c.host_origin, "https://shop.example");
        assert_eq!(c.locale, None);
        assert!(parse(r#"{"site":"pk_1"}"#).is_err());
    }
}
