//! Build, run and test tasks for Ahlan, run as `cargo xtask <command>`
//! (an alias in `.cargo/config.toml`). A small Rust program instead of trunk
//! or cargo-leptos: those need a newer toolchain or downloads, and the build
//! needs only cargo, wasm-bindgen (linked in as a library) and compression.
//!
//! ```text
//! cargo xtask build              wasm bundles + loader → target/ahlan-assets/
//! cargo xtask run [-- ARGS…]     build, then run the server (ARGS go to `ahlan`)
//! cargo xtask dist               the release binary with the bundles inside
//! cargo xtask test               fmt, clippy, unit tests, build, browser tests
//! cargo xtask bench [--quick]    load and widget benchmarks → bench/REPORT.md
//! cargo xtask fuzz [--secs N] [TARGET…]   the cargo-fuzz targets, N s each
//! cargo xtask check-api [--secs N]        schemathesis against the REST API
//! ```
//!
//! # Layout
//!
//! - `main.rs` — argument parsing and dispatch
//! - `build.rs` — the asset build: cargo for wasm32, wasm-bindgen, hashing,
//!   compression, the manifest and the weight table
//! - `run.rs` — build, then `cargo run` the server on the fresh assets
//! - `dist.rs` — the self-contained release binary
//! - `test.rs` — the CI sequence, each step timed, stop at the first failure
//! - `bench/` — the benchmark run: pinned deployments, `ahlan-load`, the report
//! - `fuzz.rs` — the fuzz targets one after another, bounded, with their figures
//! - `check_api.rs` — schemathesis against a fresh server's OpenAPI document
//! - `prereq.rs` — the wasm target, cargo-fuzz and the browser-test tools,
//!   installed when possible
//! - `util.rs` — workspace paths and running commands with clear errors

mod bench;
mod build;
mod check_api;
mod dist;
mod fuzz;
mod prereq;
mod run;
mod test;
mod util;

use std::ffi::OsString;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  build              build the widget and dashboard bundles into target/ahlan-assets/
  run [-- ARGS...]   build, then run the server (ARGS are passed to `ahlan`)
  dist               the release binary target/release/ahlan, bundles inside
  test               everything CI runs: fmt, clippy, tests, build, browser tests
  bench [--quick]    load and widget benchmarks against Ahlan, a bare actix-ws
                     relay and socket.io; writes bench/REPORT.md and results.json
                     (--quick: a small run into target/bench/, to check the setup)
  fuzz [--secs N] [TARGET...]
                     run the fuzz targets (visitor_frame, agent_frame, origin)
                     one after another, N seconds each (default 600); fails
                     with the input's path if one crashed
  check-api [--secs N]
                     schemathesis (from PyPI, into target/check-api/) against
                     a fresh server's REST API for N seconds (default 120)
";

fn main() -> ExitCode {
    let mut args = std::env::args_os().skip(1);
    let command = args.next();
    let rest: Vec<OsString> = args.collect();
    let result = match command.as_ref().and_then(|cmd| cmd.to_str()) {
        Some("build") if rest.is_empty() => build::build().map(drop),
        Some("run") => run::run(strip_separator(&rest)),
        Some("dist") if rest.is_empty() => dist::dist(),
        Some("test") if rest.is_empty() => test::test(),
        Some("bench") => bench::bench(&rest),
        Some("fuzz") => fuzz::fuzz(&rest),
        Some("check-api") => check_api::check_api(&rest),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask run -- --bind …` reaches us with the `--` still in place
/// (cargo only consumes the first one, before `run`).
fn strip_separator(args: &[OsString]) -> &[OsString] {
    match args.first() {
        Some(first) if first == "--" => &args[1..],
        _ => args,
    }
}
