//! The HTML pages the server renders: the widget's iframe page, the
//! dashboard shell, the demo host page and the refusal page. Pages carry
//! their configuration as JSON in `<script id="ahlan-config">`, escaped so
//! no value can close the script element.

use crate::assets::Manifest;
use serde::Serialize;

/// JSON safe to inline in `<script>`: `<`, `>` and `&` become `\u00XX`.
pub fn inline_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    shared::display::escape_html_into(text, &mut out);
    out
}

/// The inline module script that starts app `app` from bundle `dir`: the
/// one inline script a page has, allowed by its hash in the page's
/// Content-Security-Policy ([`crate::security::page_policy`]).
pub fn bootstrap(bundle_dir: &str, app: &str) -> String {
    format!(
        r#"import init from "/assets/{}/ahlan_{app}.js"; init();"#,
        escape(bundle_dir)
    )
}

/// A page that boots one wasm app (`widget` or `dashboard`). On phones
/// (`interactive-widget=resizes-content`) the on-screen keyboard shrinks
/// the layout, so the dashboard's full-height column keeps the composer
/// above the keyboard.
pub fn app_page(title: &str, bundle_dir: &str, app: &str, config_json: &str) -> String {
    let dir = escape(bundle_dir);
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">
<title>{title}</title>
<link rel="stylesheet" href="/assets/{dir}/style.css">
<link rel="modulepreload" href="/assets/{dir}/ahlan_{app}.js">
<link rel="preload" href="/assets/{dir}/ahlan_{app}_bg.wasm" as="fetch" type="application/wasm" crossorigin>
<script id="ahlan-config" type="application/json">{config_json}</script>
</head>
<body>
<script type="module">{boot}</script>
</body>
</html>
"#,
        title = escape(title),
        boot = bootstrap(bundle_dir, app),
    )
}

/// Which bundle a page needs.
pub fn bundle<'a>(manifest: Option<&'a Manifest>, app: &str) -> Option<&'a str> {
    manifest.map(|m| {
        if app == "widget" {
            m.widget.as_str()
        } else {
            m.dashboard.as_str()
        }
    })
}

/// A short page explaining why nothing is shown.
pub fn message_page(title: &str, text: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{t}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:36rem;padding:0 1rem;color:#1f2937}}code{{background:#f3f4f6;padding:.1em .3em;border-radius:4px}}</style>
</head><body><h1>{t}</h1><p>{x}</p></body></html>
"#,
        t = escape(title),
        x = text,
    )
}

/// The demo host page: a fake shop with the snippet.
pub fn demo_page(snippet: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ahlan demo shop</title>
<style>
body{{font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans Arabic",Tahoma,sans-serif;margin:0;color:#1f2937;background:#f8fafc}}
header{{background:#0f172a;color:#fff;padding:1rem 2rem}} main{{max-width:52rem;margin:2rem auto;padding:0 1rem}}
.products{{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:1rem}}
.card{{background:#fff;border-radius:12px;padding:1rem;box-shadow:0 1px 3px rgba(0,0,0,.08)}}
pre{{background:#0f172a;color:#e2e8f0;padding:1rem;border-radius:8px;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}}
</style>
</head>
<body>
<header><strong>Demo shop</strong> — a page with the Ahlan widget</header>
<main>
<p>This page embeds the chat widget with the snippet below. Open the chat at the bottom corner, say hello, and answer from the <a href="/app">dashboard</a>.</p>
<div class="products">
<div class="card"><h3>Dates, 1 kg</h3><p>Medjool, soft and sweet.</p></div>
<div class="card"><h3>Saffron, 5 g</h3><p>Hand-picked threads.</p></div>
<div class="card"><h3>Olive oil, 1 l</h3><p>Cold-pressed, first harvest.</p></div>
</div>
<h2>The snippet</h2>
<pre>{escaped}</pre>
</main>
{snippet}
</body>
</html>
"#,
        escaped = escape(snippet),
    )
}

/// The stub that queues `Ahlan.*` calls made before the loader arrives
/// (docs/SDK.md); the loader replays them in order.
pub const SDK_STUB: &str = r#"<script>window.Ahlan=window.Ahlan||{q:[]};"open close toggle on identify setAttributes setLocale shutdown".split(" ").forEach(function(m){Ahlan[m]=Ahlan[m]||function(){Ahlan.q.push([m].concat([].slice.call(arguments)))}})</script>"#;

/// The embed snippet for a site: the stub, then the loader.
pub fn snippet(public_url: &str, site_key: &str) -> String {
    format!(
        "{SDK_STUB}\n<script async src=\"{}/widget/loader.js\" data-site=\"{}\"></script>",
        escape(public_url),
        escape(site_key)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_json_cannot_close_the_script() {
        let s = inline_json(&serde_json::json!({"name": "</script><script>alert(1)</script>&"}));
        assert!(!s.contains("</script>"));
        assert!(!s.contains('&'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>&");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
