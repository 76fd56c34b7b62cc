//! `cargo xtask run`: build the assets, then start the server on them.

use std::ffi::OsString;

use anyhow::Result;

use crate::{build, util};

/// Builds the assets and runs `ahlan` in the foreground with inherited
/// stdio, so its start-up lines (the login, the demo page) are visible.
/// `extra` goes to the server as is; `--assets-dir` is added unless given.
pub fn run(extra: &[OsString]) -> Result<()> {
    build::build()?;
    let mut cmd = util::cargo();
    cmd.args(["run", "-p", "ahlan-server", "--bin", "ahlan", "--"]);
    let assets_given = extra.iter().any(|arg| {
        arg.to_str()
            .is_some_and(|arg| arg == "--assets-dir" || arg.starts_with("--assets-dir="))
    });
    if !assets_given {
        cmd.arg("--assets-dir").arg(util::assets_dir());
    }
    cmd.args(extra);
    util::run(&mut cmd)
}
