//! The built bundles (`cargo xtask build` → `target/ahlan-assets`), held in
//! memory with their pre-compressed `.br`/`.gz` variants and served by
//! content negotiation: nothing is compressed per request.
//!
//! They come from a directory read once at start (`--assets-dir`, for
//! development) or, in a binary built with the `embed-assets` feature
//! (`cargo xtask dist`), from the binary itself, so `ahlan` runs from any
//! directory. A missing directory is not fatal: the API and sockets still
//! work, and the pages say the bundles are not built.

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

/// Where the two app bundles are, from `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    /// `widget/<hash>`.
    pub widget: String,
    /// `dashboard/<hash>`.
    pub dashboard: String,
}

/// `Bytes`: every response shares the one copy in memory (or in the
/// binary) instead of copying the bundle.
struct Asset {
    raw: Bytes,
    gzip: Option<Bytes>,
    brotli: Option<Bytes>,
    content_type: &'static str,
}

/// How long browsers may keep a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Content-addressed: forever.
    Immutable,
    /// A fixed URL whose content changes with releases (the loader).
    Short,
}

/// All built assets, by path relative to the assets directory.
#[derive(Default)]
pub struct Assets {
    files: HashMap<String, Asset>,
    /// `None` when the bundles are not built.
    pub manifest: Option<Manifest>,
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

impl Assets {
    /// Loads a directory (recursively). Unreadable or missing → empty.
    pub fn load(dir: &Path) -> Self {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Some(rel) = path
                    .strip_prefix(dir)
                    .ok()
                    .and_then(|p| p.to_str())
                    .map(|p| p.replace('\\', "/"))
                else {
                    continue;
                };
                if let Ok(bytes) = std::fs::read(&path) {
                    files.push((rel, Bytes::from(bytes)));
                }
            }
        }
        Self::from_files(files)
    }

    /// The bundles compiled into this binary, if it was built with them
    /// (`--features embed-assets`).
    pub fn embedded() -> Option<Self> {
        #[cfg(feature = "embed-assets")]
        {
            let files = embedded::Bundles::iter().filter_map(|path| {
                let file = embedded::Bundles::get(&path)?;
                let bytes = match file.data {
                    std::borrow::Cow::Borrowed(b) => Bytes::from_static(b),
                    std::borrow::Cow::Owned(v) => Bytes::from(v),
                };
                Some((path.into_owned(), bytes))
            });
            let assets = Self::from_files(files.collect());
            return assets.manifest.is_some().then_some(assets);
        }
        #[allow(unreachable_code)]
        None
    }

    /// Builds the table from `(relative path, bytes)`: `x.gz` and `x.br`
    /// become the variants of `x`.
    fn from_files(files: Vec<(String, Bytes)>) -> Self {
        let mut variants: HashMap<String, Bytes> = HashMap::new();
        let mut assets = Assets::default();
        for (rel, bytes) in files {
            if rel.ends_with(".gz") || rel.ends_with(".br") {
                variants.insert(rel, bytes);
                continue;
            }
            let content_type = content_type(&rel);
            assets.files.insert(
                rel,
                Asset {
                    raw: bytes,
                    gzip: None,
                    brotli: None,
                    content_type,
                },
            );
        }
        for (rel, asset) in assets.files.iter_mut() {
            asset.gzip = variants.remove(&format!("{rel}.gz"));
            asset.brotli = variants.remove(&format!("{rel}.br"));
        }
        assets.manifest = assets
            .files
            .get("manifest.json")
            .and_then(|m| serde_json::from_slice::<Manifest>(&m.raw).ok())
            .filter(|m| {
                let w = format!("{}/ahlan_widget.js", m.widget);
                let d = format!("{}/ahlan_dashboard.js", m.dashboard);
                assets.files.contains_key(&w) && assets.files.contains_key(&d)
            });
        assets
    }

    /// Number of files loaded.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing was loaded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Serves `path`, choosing brotli, gzip or raw by `Accept-Encoding`.
    pub fn respond(&self, req: &HttpRequest, path: &str, caching: Caching) -> HttpResponse {
        let Some(asset) = self.files.get(path) else {
            return HttpResponse::NotFound()
                .content_type("text/plain; charset=utf-8")
                .body("not found");
        };
        let accepts = req
            .headers()
            .get(header::ACCEPT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let accepts = |enc: &str| {
            accepts
                .split(',')
                .any(|p| p.split(';').next().is_some_and(|e| e.trim() == enc))
        };
        let (body, encoding) = match (&asset.brotli, &asset.gzip) {
            (Some(br), _) if accepts("br") => (br.clone(), Some("br")),
            (_, Some(gz)) if accepts("gzip") => (gz.clone(), Some("gzip")),
            _ => (asset.raw.clone(), None),
        };
        let mut res = HttpResponse::Ok();
        res.insert_header((header::CONTENT_TYPE, asset.content_type))
            .insert_header((header::VARY, "Accept-Encoding"))
            .insert_header((
                header::CACHE_CONTROL,
                match caching {
                    Caching::Immutable => "public, max-age=31536000, immutable",
                    Caching::Short => "public, max-age=300",
                },
            ))
            // The loader runs on other sites' pages; the bundles are
            // fetched by module scripts, which are CORS requests.
            .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
        if let Some(enc) = encoding {
            // Tell actix's middleware the body is already encoded.
            res.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static(enc)));
        }
        res.body(body)
    }
}

/// The bundles as `cargo xtask build` wrote them, compiled in. rust-embed
/// with `debug-embed`, so debug builds embed too (the feature is only
/// turned on after the assets exist).
#[cfg(feature = "embed-assets")]
mod embedded {
    #[derive(rust_embed::Embed)]
    #[folder = "../target/ahlan-assets"]
    pub struct Bundles;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_dir_is_empty() {
        let a = Assets::load(Path::new("/nonexistent/ahlan"));
        assert!(a.is_empty());
        assert!(a.manifest.is_none());
    }

    #[test]
    fn loads_files_variants_and_manifest() {
        let dir = std::env::temp_dir().join(format!("ahlan-assets-test-{}", std::process::id()));
        let w = dir.join("widget/abc");
        let d = dir.join("dashboard/def");
        std::fs::create_dir_all(&w).unwrap();
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(w.join("ahlan_widget.js"), "js").unwrap();
        std::fs::write(w.join("ahlan_widget.js.br"), "br").unwrap();
        std::fs::write(d.join("ahlan_dashboard.js"), "js").unwrap();
        std::fs::write(
            dir.join("manifest.json"),
            r#"{"widget":"widget/abc","dashboard":"dashboard/def"}"#,
        )
        .unwrap();
        let a = Assets::load(&dir);
        assert_eq!(a.len(), 3, "variants are not separate files");
        let m = a.manifest.as_ref().unwrap();
        assert_eq!(m.widget, "widget/abc");
        assert!(a.files["widget/abc/ahlan_widget.js"].brotli.is_some());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
