//! `cargo xtask bench`: builds release binaries, starts each deployment
//! pinned to core 0, drives it with `ahlan-load` pinned to core 1, repeats
//! every measure, and writes `bench/results.json` and `bench/REPORT.md`.
//!
//! - `procs.rs` — pinned processes, free ports, waiting for servers
//! - `plan.rs` — deployments and scenarios (full and `--quick`)
//! - `report.rs` — medians, ratios and the Markdown report
//! - `wasm_bytes.rs` — where the widget wasm's bytes go (twiggy)

mod plan;
pub(crate) mod procs;
mod report;
mod wasm_bytes;

use crate::{build, prereq, util};
use anyhow::{bail, Context, Result};
use plan::{Deploy, Plan, Scenario};
use procs::{pinned, start_listening, start_redis, Proc};
use serde_json::{json, Value};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Servers (and their Redis) run here; the load generator on the other
/// core, so the two do not take turns on one core.
const SERVER_CORES: &str = "0";
const LOAD_CORES: &str = "1";

/// The release binaries a run needs.
struct Bins {
    ahlan: PathBuf,
    load: PathBuf,
    relay: PathBuf,
    timing: PathBuf,
    node: PathBuf,
}

pub fn bench(args: &[OsString]) -> Result<()> {
    let quick = match args {
        [] => false,
        [flag] if flag == "--quick" => true,
        _ => bail!("usage: cargo xtask bench [--quick]"),
    };
    let plan = if quick { Plan::quick() } else { Plan::full() };
    let started = Instant::now();
    let root = util::workspace_root();
    let out_dir = util::cargo_target_dir().join("bench");
    std::fs::create_dir_all(&out_dir)?;

    prereq::ensure_wasm_target()?;
    let tools = prereq::ensure_browser_tools()?;
    let node = prereq::ensure_node()?;
    let npm = prereq::ensure_npm()?;
    let weights = build::build()?;
    util::run(util::cargo().args([
        "build",
        "--release",
        "-p",
        "ahlan-server",
        "--bin",
        "ahlan",
        "-p",
        "ahlan-e2e",
        "--bin",
        "ahlan-load",
        "--bin",
        "bench-relay",
        "--bin",
        "widget-timing",
    ]))?;
    util::run(
        Command::new(&npm)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root.join("bench")),
    )?;
    let release = util::cargo_target_dir().join("release");
    let bins = Bins {
        ahlan: release.join("ahlan"),
        load: release.join("ahlan-load"),
        relay: release.join("bench-relay"),
        timing: release.join("widget-timing"),
        node,
    };
    let build_secs = started.elapsed().as_secs_f64();

    println!("\n== where the widget wasm's bytes go (twiggy)");
    let wasm_bytes = wasm_bytes::breakdown(&out_dir);

    println!("\n== widget speed in headless Chromium");
    let timing = widget_timing(&bins, &tools, &out_dir, plan.timing_runs);

    let mut runs = Vec::new();
    for deploy in Deploy::ALL {
        for scenario in plan.scenarios.iter().filter(|s| s.runs_on(deploy)) {
            for rep in 0..plan.repeats {
                let result = measure(&bins, deploy, scenario, rep, &out_dir)
                    .unwrap_or_else(|e| json!({"error": format!("{e:#}")}));
                println!(
                    "[{:<14}] {:<18} #{}: {}",
                    deploy.key(),
                    scenario.key,
                    rep + 1,
                    report::headline(scenario.key, &result)
                );
                runs.push(json!({
                    "deploy": deploy.key(),
                    "scenario": scenario.key,
                    "rep": rep,
                    "result": result,
                }));
            }
        }
    }

    let results = json!({
        "date": util::output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))?.trim(),
        "command": if quick { "cargo xtask bench --quick" } else { "cargo xtask bench" },
        "machine": machine(&tools.chromium),
        "pinning": {"servers": SERVER_CORES, "load": LOAD_CORES},
        "repeats": plan.repeats,
        "plan": plan.describe(),
        "build_secs": build_secs,
        "total_secs": started.elapsed().as_secs_f64(),
        "widget": {
            "weights": weights.iter().map(|w| json!({
                "asset": w.label, "raw": w.raw, "gzip": w.gzip, "brotli": w.brotli,
                "widget": w.counts_for_widget(),
            })).collect::<Vec<_>>(),
            "timing": timing,
            "wasm_bytes": wasm_bytes,
        },
        "runs": runs,
    });
    let bench_dir = root.join("bench");
    let (json_path, md_path) = if quick {
        (out_dir.join("results.json"), out_dir.join("REPORT.md"))
    } else {
        (bench_dir.join("results.json"), bench_dir.join("REPORT.md"))
    };
    std::fs::write(&json_path, serde_json::to_string_pretty(&results)? + "\n")?;
    std::fs::write(&md_path, report::render(&results))?;
    println!(
        "\nreport: {}\nresults: {}\ntook {}",
        md_path.display(),
        json_path.display(),
        util::format_duration(started.elapsed())
    );
    Ok(())
}

/// One measure: a fresh deployment, one load run, everything stopped.
fn measure(
    bins: &Bins,
    deploy: Deploy,
    scenario: &Scenario,
    rep: usize,
    out: &Path,
) -> Result<Value> {
    let tag = format!("{}-{}-{}", deploy.key(), scenario.key, rep);
    let running = start(bins, deploy, &tag, out, scenario.server_args())?;
    let mut cmd = pinned(LOAD_CORES, &bins.load);
    cmd.args(["--target", deploy.load_target()])
        .args(["--visitor-url", &running.visitor_url])
        .args(["--agent-url", &running.agent_url])
        .args([
            "--site",
            &running.site,
            "--admin-password",
            &running.password,
        ])
        .args(scenario.args());
    if matches!(scenario.key, "idle" | "soak") {
        cmd.args(["--pid", &running.idle_pid.to_string()]);
    }
    if scenario.key == "idle" {
        if let Some(redis) = &running.redis {
            cmd.args(["--redis", redis]);
        }
    }
    let stdout = util::output(&mut cmd)?;
    drop(running);
    serde_json::from_str(stdout.trim()).with_context(|| format!("ahlan-load printed {stdout:?}"))
}

/// A started deployment.
struct Running {
    _procs: Vec<Proc>,
    visitor_url: String,
    agent_url: String,
    /// The process that holds the idle visitors.
    idle_pid: u32,
    redis: Option<String>,
    site: String,
    password: String,
}

fn start(
    bins: &Bins,
    deploy: Deploy,
    tag: &str,
    out: &Path,
    server_args: &[String],
) -> Result<Running> {
    let log = |name: &str| out.join(format!("{tag}.{name}.log"));
    let site = "pk_benchmarksite0000000000000000".to_owned();
    let password = "bench-admin-password".to_owned();
    let mut procs = Vec::new();
    let redis = if deploy.uses_redis() {
        let (proc, addr) = start_redis(SERVER_CORES, &log("redis"))?;
        procs.push(proc);
        Some(addr)
    } else {
        None
    };
    let mut urls = Vec::new();
    let mut pids = Vec::new();
    for node in 0..deploy.nodes() {
        let name = format!("node{}", node + 1);
        let (proc, url) = match deploy {
            Deploy::Ahlan | Deploy::AhlanRedis => {
                let port = procs::free_port()?;
                // Fresh: a data dir left by an earlier run (same tag) would
                // hold its conversations and figures.
                let data = out.join(format!("{tag}.{name}.data"));
                if data.exists() {
                    std::fs::remove_dir_all(&data)
                        .with_context(|| format!("clearing {}", data.display()))?;
                }
                let mut cmd = pinned(SERVER_CORES, &bins.ahlan);
                for (key, _) in std::env::vars_os() {
                    if key.to_string_lossy().starts_with("AHLAN_") {
                        cmd.env_remove(key);
                    }
                }
                cmd.args(["--bind", &format!("127.0.0.1:{port}")])
                    .args(["--public-url", &format!("http://127.0.0.1:{port}")])
                    .arg("--assets-dir")
                    .arg(util::assets_dir())
                    .args(["--admin-password", &password])
                    .args(["--demo", "--demo-site-key", &site])
                    // A fresh data dir per node and run (unused with Redis).
                    .arg("--data-dir")
                    .arg(&data)
                    // A browser's flood guard (5/s) would refuse the load's
                    // paced sends; the report says the limit was raised.
                    .args(["--send-rate", "100000", "--send-burst", "100000"])
                    // All the load comes from one address (127.0.0.1): the
                    // per-address flood guards (50 sockets, 30 new visitors
                    // a minute) and the queue cap (200 a site) would refuse
                    // it. The report says these were raised too.
                    .args(["--max-sockets-per-client", "1000000"])
                    .args(["--new-visitors-per-minute", "100000000"])
                    .args(["--max-queue", "1000000"])
                    .args(server_args)
                    .env("RUST_LOG", "warn");
                if let Some(addr) = &redis {
                    cmd.args(["--redis-url", &format!("redis://{addr}")]);
                }
                start_listening(cmd, "ahlan", &log(&name))?
            }
            Deploy::Relay => {
                let mut cmd = pinned(SERVER_CORES, &bins.relay);
                cmd.args(["--bind", "127.0.0.1:0"]);
                start_listening(cmd, "bench-relay", &log(&name))?
            }
            Deploy::SocketIo => {
                let mut cmd = pinned(SERVER_CORES, &bins.node);
                cmd.arg("socketio-server.js")
                    .current_dir(util::workspace_root().join("bench"))
                    .env("PORT", "0")
                    .env(
                        "REDIS_URL",
                        format!(
                            "redis://{}",
                            redis.as_deref().expect("socket.io uses redis")
                        ),
                    );
                start_listening(cmd, "socket.io", &log(&name))?
            }
        };
        pids.push(proc.pid());
        procs.push(proc);
        urls.push(url);
    }
    Ok(Running {
        visitor_url: urls[0].clone(),
        agent_url: urls.last().expect("one node at least").clone(),
        idle_pid: pids[0],
        _procs: procs,
        redis,
        site,
        password,
    })
}

/// The widget's speed in Chromium, or why it could not be measured.
fn widget_timing(bins: &Bins, tools: &prereq::BrowserTools, out: &Path, runs: usize) -> Value {
    let mut cmd = Command::new(&bins.timing);
    cmd.args(["--runs", &runs.to_string()])
        .env("AHLAN_BIN", &bins.ahlan)
        .env("AHLAN_ASSETS_DIR", util::assets_dir())
        .env("AHLAN_CHROMEDRIVER", &tools.chromedriver)
        .env("AHLAN_CHROMIUM", &tools.chromium)
        .env("AHLAN_ARTIFACTS", out.join("artifacts"));
    match util::output(&mut cmd)
        .and_then(|s| serde_json::from_str::<Value>(s.trim()).context("widget-timing output"))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("widget timing failed: {e:#}");
            json!({"error": format!("{e:#}")})
        }
    }
}

/// What the report says about the machine.
fn machine(chromium: &Path) -> Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned());
    let mem_kb: Option<u64> = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok());
    let version = |cmd: &mut Command| {
        util::output(cmd)
            .ok()
            .and_then(|s| s.lines().next().map(|l| l.trim().to_owned()))
    };
    json!({
        "cpu": model,
        "cores": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "memory_gib": mem_kb.map(|kb| (kb as f64 / 1024.0 / 1024.0 * 10.0).round() / 10.0),
        "kernel": version(Command::new("uname").arg("-r")),
        "open_files_limit": version(Command::new("sh").args(["-c", "ulimit -n"])),
        "rustc": version(Command::new("rustc").arg("--version")),
        "node": version(Command::new("node").arg("--version")),
        "redis": version(Command::new("redis-server").arg("--version")),
        "chromium": version(Command::new(chromium).arg("--version")),
    })
}
