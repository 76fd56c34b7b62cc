//! `cargo xtask dist`: the one self-contained release binary. Builds the
//! bundles, then `ahlan` in release with them compiled in (the server's
//! `embed-assets` feature), so it runs from any directory with nothing
//! beside it but its data dir.

use anyhow::{Context, Result};

use crate::{build, util};

/// Builds `target/release/ahlan` and says where it is and how big.
pub fn dist() -> Result<()> {
    build::build()?;
    let mut cmd = util::cargo();
    cmd.args([
        "build",
        "--release",
        "-p",
        "ahlan-server",
        "--bin",
        "ahlan",
        "--features",
        "embed-assets",
    ]);
    util::run(&mut cmd)?;
    let bin = util::cargo_target_dir().join("release").join("ahlan");
    let size = std::fs::metadata(&bin)
        .with_context(|| format!("reading {}", bin.display()))?
        .len();
    println!(
        "\n{} ({:.1} MB): serves the widget and the dashboard itself; run it with\n  \
         {} --data-dir /var/lib/ahlan --public-url https://chat.example.com",
        bin.display(),
        size as f64 / 1_048_576.0,
        bin.display()
    );
    Ok(())
}
