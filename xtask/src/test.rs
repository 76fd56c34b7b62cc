//! `cargo xtask test`: everything CI checks, in order, stopping at the
//! first failure. Cheap checks come first so a formatting slip fails in
//! seconds rather than after the browser tests.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::{build, prereq, util};

/// A named step and how to run it.
struct Step {
    name: String,
    action: Box<dyn FnOnce() -> Result<()>>,
}

impl Step {
    /// A step that runs one cargo command; its name is the command line.
    fn cargo(args: &[&str]) -> Self {
        Self::cargo_with_env(args, Vec::new())
    }

    fn cargo_with_env(args: &[&str], env: Vec<(&'static str, std::path::PathBuf)>) -> Self {
        let mut cmd = util::cargo();
        cmd.args(args);
        cmd.envs(env);
        Self {
            name: util::display(&cmd),
            action: Box::new(move || util::run(&mut cmd)),
        }
    }
}

pub fn test() -> Result<()> {
    prereq::ensure_wasm_target()?;
    let tools = prereq::ensure_browser_tools()?;
    let node = prereq::ensure_node()?;
    let npm = prereq::ensure_npm()?;
    let root = util::workspace_root();
    let axe_dir = root.join("e2e").join("axe");
    let target = util::cargo_target_dir();

    let artifacts = root.join("target").join("e2e-artifacts");
    let e2e_env = vec![
        ("AHLAN_BIN", target.join("debug").join("ahlan")),
        ("AHLAN_ASSETS_DIR", util::assets_dir()),
        ("AHLAN_CHROMEDRIVER", tools.chromedriver),
        ("AHLAN_CHROMIUM", tools.chromium),
        ("AHLAN_ARTIFACTS", artifacts.clone()),
        (
            "AHLAN_AXE",
            axe_dir.join("node_modules/axe-core/axe.min.js"),
        ),
    ];
    let e2e = Step::cargo_with_env(
        &["test", "-p", "ahlan-e2e", "--", "--test-threads=1"],
        e2e_env,
    );
    let steps = vec![
        Step::cargo(&["fmt", "--all", "--", "--check"]),
        Step::cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
        Step::cargo(&["test", "--workspace", "--exclude", "ahlan-e2e"]),
        // The loader runs on customers' pages outside our wasm: its own
        // unit test (a fake DOM, no packages) runs under node.
        {
            let mut cmd = std::process::Command::new(&node);
            cmd.arg(root.join("widget/loader/loader.test.js"));
            Step {
                name: util::display(&cmd),
                action: Box::new(move || util::run(&mut cmd)),
            }
        },
        Step {
            name: "cargo xtask build".to_owned(),
            action: Box::new(|| build::build().map(drop)),
        },
        // Again on the host scripts as served: minified.
        {
            let mut cmd = std::process::Command::new(&node);
            cmd.arg(root.join("widget/loader/loader.test.js"))
                .env("AHLAN_LOADER", util::assets_dir().join("loader.js"))
                .env("AHLAN_PROACTIVE", util::assets_dir().join("proactive.js"));
            Step {
                name: format!("{} (minified)", util::display(&cmd)),
                action: Box::new(move || util::run(&mut cmd)),
            }
        },
        // axe-core, which the browser tests run in the widget and the
        // dashboard (pinned by its lock file).
        {
            let mut cmd = std::process::Command::new(&npm);
            cmd.args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&axe_dir);
            Step {
                name: format!("{} (e2e/axe)", util::display(&cmd)),
                action: Box::new(move || util::run(&mut cmd)),
            }
        },
        // The browser tests run the binary as shipped: bundles inside.
        Step::cargo(&[
            "build",
            "-p",
            "ahlan-server",
            "--bin",
            "ahlan",
            "--features",
            "embed-assets",
        ]),
        // One thread: each browser test starts its own server and Chromium,
        // and two at once on a two-core machine make timings flaky.
        Step {
            name: e2e.name,
            action: Box::new(move || {
                // Screenshots left by an earlier run would pass for this one's.
                match std::fs::remove_dir_all(&artifacts) {
                    Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                        return Err(err)
                            .with_context(|| format!("clearing {}", artifacts.display()));
                    }
                    _ => {}
                }
                (e2e.action)()
            }),
        },
    ];

    let total = steps.len();
    let mut done: Vec<(String, Duration)> = Vec::new();
    let started = Instant::now();
    for (index, step) in steps.into_iter().enumerate() {
        println!("\n==> [{}/{total}] {}", index + 1, step.name);
        let step_started = Instant::now();
        let result = (step.action)();
        let elapsed = step_started.elapsed();
        if let Err(err) = result {
            print_summary(&done, started.elapsed());
            println!(
                "FAILED  {} after {}",
                step.name,
                util::format_duration(elapsed)
            );
            bail!("step {}/{total} failed: {err:#}", index + 1);
        }
        println!("==> ok in {}", util::format_duration(elapsed));
        done.push((step.name, elapsed));
    }
    print_summary(&done, started.elapsed());
    println!("all {total} steps passed");
    Ok(())
}

fn print_summary(done: &[(String, Duration)], total: Duration) {
    println!("\nsummary:");
    for (name, elapsed) in done {
        println!("  ok      {:>8}  {name}", util::format_duration(*elapsed));
    }
    println!("  total   {:>8}", util::format_duration(total));
}
