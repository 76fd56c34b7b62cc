//! The environment the tests run in, resolved to paths (see the table in
//! the crate docs). Missing pieces fail with a message naming the fix.

use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

/// The workspace root, one level above this crate.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e is a member directly below the workspace root")
        .to_path_buf()
}

fn env_path(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}

/// The `ahlan` binary. There is no default on purpose: a stale binary from
/// some other build would test old code.
pub fn ahlan_bin() -> Result<PathBuf> {
    let Some(bin) = env_path("AHLAN_BIN") else {
        bail!(
            "AHLAN_BIN is not set: run the browser tests with `cargo xtask test`, \
             which builds the server and the assets and sets it"
        );
    };
    if !bin.is_file() {
        bail!(
            "AHLAN_BIN={} does not exist: run `cargo xtask test`",
            bin.display()
        );
    }
    Ok(bin)
}

/// The built assets, which must include the manifest.
pub fn assets_dir() -> Result<PathBuf> {
    let dir = env_path("AHLAN_ASSETS_DIR")
        .unwrap_or_else(|| workspace_root().join("target").join("ahlan-assets"));
    if !dir.join("manifest.json").is_file() {
        bail!(
            "no built assets in {} (manifest.json missing): run `cargo xtask build`",
            dir.display()
        );
    }
    Ok(dir)
}

/// The built `loader.js`, for tests that serve it from a stand-in origin.
pub fn loader_js() -> Result<PathBuf> {
    Ok(assets_dir()?.join("loader.js"))
}

pub fn chromedriver() -> PathBuf {
    env_path("AHLAN_CHROMEDRIVER").unwrap_or_else(|| PathBuf::from("chromedriver"))
}

/// Debian's `/usr/bin/chromium` is a wrapper script that prints noise; the
/// real binary is preferred when present.
pub fn chromium() -> PathBuf {
    env_path("AHLAN_CHROMIUM").unwrap_or_else(|| {
        ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
            .into_iter()
            .map(PathBuf::from)
            .find(|path| path.is_file())
            .unwrap_or_else(|| PathBuf::from("chromium"))
    })
}

/// axe-core's browser build (`AHLAN_AXE`; by default where `cargo xtask
/// test` installs it with `npm ci` in `e2e/axe`).
pub fn axe_js() -> Result<PathBuf> {
    let file = env_path("AHLAN_AXE")
        .unwrap_or_else(|| workspace_root().join("e2e/axe/node_modules/axe-core/axe.min.js"));
    if !file.is_file() {
        bail!(
            "axe-core is not installed at {}: run `cargo xtask test` (or `npm ci` in e2e/axe)",
            file.display()
        );
    }
    Ok(file)
}

/// Where screenshots and server logs go; created on first use.
pub fn artifacts_dir() -> Result<PathBuf> {
    let dir = env_path("AHLAN_ARTIFACTS")
        .unwrap_or_else(|| workspace_root().join("target").join("e2e-artifacts"));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
