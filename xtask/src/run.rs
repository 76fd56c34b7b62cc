//! `cargo xtask run`: build the assets, then start the server on them.

use std::ffi::OsString;

use anyhow::Result;

use crate::{build, util};

/// Builds the assets and runs `ahlan` in the foreground with inherited
/// stdio, so its start-up lines (the login, the demo page) are visible.
/// `extra` goes to the server as is. Unless given there, the server gets
/// the fresh assets, the demo site and page (`--demo`), and keeps its data
/// in `ahlan-data/` at the workspace root, so a restart keeps everything.
pub fn run(extra: &[OsString]) -> Result<()> {
    build::build()?;
    let mut cmd = util::cargo();
    cmd.args(["run", "-p", "ahlan-server", "--bin", "ahlan", "--"]);
    let given = |flag: &str| {
        extra.iter().any(|arg| {
            arg.to_str()
                .is_some_and(|arg| arg == flag || arg.starts_with(&format!("{flag}=")))
        })
    };
    if !given("--assets-dir") {
        cmd.arg("--assets-dir").arg(util::assets_dir());
    }
    if !given("--data-dir") {
        cmd.arg("--data-dir")
            .arg(util::workspace_root().join("ahlan-data"));
    }
    if !given("--demo") {
        cmd.arg("--demo");
    }
    cmd.args(extra);
    util::run(&mut cmd)
}
