//! Checks for the tools the tasks need, installing what can be installed
//! without asking: the wasm target through rustup, cargo-fuzz through
//! `cargo install`, and (only when running as root, as on CI machines) the
//! Debian packages for the browser tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::util;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const APT_PACKAGES: [&str; 3] = ["redis-server", "chromium", "chromium-driver"];

/// Paths the browser tests are given through `AHLAN_CHROMIUM` and
/// `AHLAN_CHROMEDRIVER`.
pub struct BrowserTools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Makes sure the toolchain can build for `wasm32-unknown-unknown`.
///
/// The sysroot is checked first because `rust-toolchain.toml` usually makes
/// rustup install the target already, and asking rustup costs a second.
pub fn ensure_wasm_target() -> Result<()> {
    let sysroot = util::output(
        Command::new("rustc")
            .current_dir(util::workspace_root())
            .args(["--print", "sysroot"]),
    )?;
    let target_lib = Path::new(sysroot.trim())
        .join("lib/rustlib")
        .join(WASM_TARGET);
    if target_lib.is_dir() {
        return Ok(());
    }
    println!("installing the {WASM_TARGET} target with rustup");
    util::run(
        Command::new("rustup")
            .current_dir(util::workspace_root())
            .args(["target", "add", WASM_TARGET]),
    )
    .with_context(|| {
        format!("the {WASM_TARGET} target is needed to build the widget and dashboard")
    })
}

/// Makes sure `cargo fuzz` runs, installing cargo-fuzz from crates.io
/// when it does not (about 35 s).
pub fn ensure_cargo_fuzz() -> Result<()> {
    if util::output(util::cargo().args(["fuzz", "--version"])).is_ok() {
        return Ok(());
    }
    println!("installing cargo-fuzz with cargo install");
    util::run(
        util::cargo()
            .args(["install", "--locked", "cargo-fuzz"])
            // `cargo install` builds in a temporary directory unless a
            // target dir is set; ours must not collect a tool's build.
            .env_remove("CARGO_TARGET_DIR"),
    )
    .context("cargo-fuzz is needed to run the fuzz targets")
}

/// Finds redis-server, Chromium and chromedriver, installing the Debian
/// packages when they are missing and we may (root); otherwise says exactly
/// what to run.
pub fn ensure_browser_tools() -> Result<BrowserTools> {
    if let Some(tools) = find_browser_tools() {
        return Ok(tools);
    }
    let install = format!(
        "apt-get update && apt-get install -y {}",
        APT_PACKAGES.join(" ")
    );
    if !running_as_root() {
        bail!(
            "the tests need redis-server, chromium and chromedriver; install them with:\n    \
             sudo sh -c 'DEBIAN_FRONTEND=noninteractive {install}'"
        );
    }
    println!("installing {} with apt-get", APT_PACKAGES.join(", "));
    apt_install(&APT_PACKAGES)?;
    find_browser_tools().with_context(|| {
        format!(
            "installed {} but still cannot find all of redis-server, chromium and chromedriver",
            APT_PACKAGES.join(" ")
        )
    })
}

/// Finds node (for the loader's unit test), installing Debian's `nodejs`
/// when missing and we may (root).
pub fn ensure_node() -> Result<PathBuf> {
    if let Some(node) = util::find_on_path("node") {
        return Ok(node);
    }
    if !running_as_root() {
        bail!(
            "the loader's test needs node; install it with:\n    \
             sudo sh -c 'DEBIAN_FRONTEND=noninteractive apt-get update && apt-get install -y nodejs'"
        );
    }
    println!("installing nodejs with apt-get");
    apt_install(&["nodejs"])?;
    util::find_on_path("node").context("installed nodejs but still cannot find node")
}

/// Finds npm (to install axe-core for the browser tests and the
/// benchmark's socket.io baseline), installing
/// Debian's `npm` when missing and we may (root).
pub fn ensure_npm() -> Result<PathBuf> {
    if let Some(npm) = util::find_on_path("npm") {
        return Ok(npm);
    }
    if !running_as_root() {
        bail!(
            "the browser tests' axe-core and the benchmark's socket.io baseline need npm; install it with:\n    \
             sudo sh -c 'DEBIAN_FRONTEND=noninteractive apt-get update && apt-get install -y npm'"
        );
    }
    println!("installing npm with apt-get");
    apt_install(&["npm"])?;
    util::find_on_path("npm").context("installed npm but still cannot find it")
}

fn find_browser_tools() -> Option<BrowserTools> {
    util::find_on_path("redis-server")?;
    Some(BrowserTools {
        chromium: find_chromium()?,
        chromedriver: util::find_on_path("chromedriver")?,
    })
}

/// Debian's `/usr/bin/chromium` is a shell wrapper that prints noise on every
/// start; the real binary beside the libraries is preferred.
fn find_chromium() -> Option<PathBuf> {
    ["/usr/lib/chromium/chromium", "/usr/bin/chromium"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| util::is_executable(path))
        .or_else(|| util::find_on_path("chromium"))
}

/// `apt-get update` then `apt-get install -y` (a fresh machine has no
/// package lists yet).
fn apt_install(packages: &[&str]) -> Result<()> {
    util::run(
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    util::run(
        Command::new("apt-get")
            .args(["install", "-y"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn running_as_root() -> bool {
    util::output(Command::new("id").arg("-u"))
        .map(|uid| uid.trim() == "0")
        .unwrap_or(false)
}

/// Finds twiggy (the bench's breakdown of the widget wasm), installing it
/// from crates.io when missing (about 4 minutes, once).
pub fn ensure_twiggy() -> Result<PathBuf> {
    let installed = || {
        util::find_on_path("twiggy").or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
            let bin = home.join("bin").join("twiggy");
            bin.is_file().then_some(bin)
        })
    };
    if let Some(twiggy) = installed() {
        return Ok(twiggy);
    }
    println!("installing twiggy with cargo install");
    util::run(
        util::cargo()
            .args(["install", "--locked", "twiggy", "--version", "0.8.0"])
            .env_remove("CARGO_TARGET_DIR"),
    )
    .context("twiggy is needed to say where the widget's bytes go")?;
    installed().context("installed twiggy but cannot find it on PATH or in ~/.cargo/bin")
}
