//! `cargo xtask check-api [--secs N]`: schemathesis (PyPI) against the
//! REST API of a fresh server, logged in as its admin, with every check it
//! has. It generates requests from `/api/openapi.json` — valid ones, broken
//! ones, sequences that create and then use resources — and fails on any
//! 5xx, any response that does not match the document, any broken request
//! accepted, any undeclared method not answered 405.
//!
//! One check is left out: `positive_data_acceptance` (every body the
//! schema allows is accepted). The API refuses more than JSON Schema says —
//! control characters in names, addresses that are not emails, avatar URLs
//! that are not https, origins with paths — each with a 400 naming the
//! field; that is the intended behaviour, not a mismatch to fix.
//!
//! Not part of `cargo xtask test`: it needs schemathesis from PyPI (a
//! virtualenv under `target/check-api/`, made on first use) and its worth
//! grows with the time given.

use std::ffi::OsString;
use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};

use crate::bench::procs;
use crate::util;

/// The schemathesis release this was written against (its CLI and config
/// changed between majors).
const SCHEMATHESIS: &str = "schemathesis==4.32.5";

const DEFAULT_SECS: u64 = 120;

const USAGE: &str = "usage: cargo xtask check-api [--secs N]";

pub fn check_api(args: &[OsString]) -> Result<()> {
    let secs = parse_args(args)?;
    let dir = util::cargo_target_dir().join("check-api");
    let st = ensure_schemathesis(&dir)?;

    util::run(util::cargo().args(["build", "-p", "ahlan-server", "--bin", "ahlan"]))?;
    let bin = util::cargo_target_dir().join("debug").join("ahlan");
    let data = dir.join("data");
    let _ = std::fs::remove_dir_all(&data);
    let port = procs::free_port()?;
    let url = format!("http://127.0.0.1:{port}");
    let password = format!("check-api-{:x}", nanos());
    let mut cmd = Command::new(&bin);
    // Only what is said here: an exported AHLAN_* (a Redis URL, say) would
    // point the run at another store.
    for (key, _) in std::env::vars_os() {
        if key.to_str().is_some_and(|k| k.starts_with("AHLAN_")) {
            cmd.env_remove(key);
        }
    }
    cmd.env_remove("REDIS_URL")
        .args(["--bind", &format!("127.0.0.1:{port}"), "--public-url", &url])
        .arg("--data-dir")
        .arg(&data)
        .args([
            "--admin-email",
            "admin@ahlan.local",
            "--admin-password",
            &password,
        ])
        .arg("--demo");
    let log = dir.join("server.log");
    let (_server, _) = procs::start_listening(cmd, "ahlan", &log)?;

    let session = login(&dir.join("venv"), &url, &password)?;
    let config = dir.join("schemathesis.toml");
    std::fs::write(
        &config,
        "# Written by cargo xtask check-api: the session cookie as the \
         document's `session` scheme.\n[auth.openapi.session]\napi_key = \"${AHLAN_CHECK_SESSION}\"\n",
    )?;
    println!(
        "==> schemathesis for {secs} s against {url}/api/openapi.json (server log: {})",
        log.display()
    );
    let status = Command::new(&st)
        // Its cache (`.schemathesis/`) goes beside the venv, not into the
        // checkout.
        .current_dir(&dir)
        .env("AHLAN_CHECK_SESSION", &session)
        .arg("--config-file")
        .arg(&config)
        .arg("run")
        .arg(format!("{url}/api/openapi.json"))
        .args([
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ])
        .args(["--max-time", &secs.to_string(), "--workers", "2"])
        // State changes must come from the dashboard's own origin
        // (security.rs); schemathesis is that client here.
        .args(["--header", &format!("Origin: {url}")])
        // Logging out would end the run's session halfway.
        .args(["--exclude-path", "/api/auth/logout"])
        .status()
        .with_context(|| format!("running {}", st.display()))?;
    if !status.success() {
        bail!(
            "schemathesis found problems (above); the server's log is {}",
            log.display()
        );
    }
    println!("==> the REST API passed every schemathesis check");
    Ok(())
}

fn parse_args(args: &[OsString]) -> Result<u64> {
    let args: Vec<&str> = args
        .iter()
        .map(|a| a.to_str().context(USAGE))
        .collect::<Result<_>>()?;
    match args.as_slice() {
        [] => Ok(DEFAULT_SECS),
        ["--secs", n] => n
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .with_context(|| format!("--secs takes a positive number of seconds\n{USAGE}")),
        _ => bail!("{USAGE}"),
    }
}

/// `st` in a virtualenv of our own, installed on first use.
fn ensure_schemathesis(dir: &Path) -> Result<std::path::PathBuf> {
    let venv = dir.join("venv");
    let st = venv.join("bin").join("st");
    if st.exists() {
        return Ok(st);
    }
    let python = util::find_on_path("python3")
        .context("check-api needs python3 (with venv and pip) to install schemathesis")?;
    std::fs::create_dir_all(dir)?;
    println!("==> installing {SCHEMATHESIS} into {}", venv.display());
    util::run(Command::new(python).args(["-m", "venv"]).arg(&venv))?;
    util::run(Command::new(venv.join("bin").join("pip")).args([
        "install",
        "--quiet",
        SCHEMATHESIS,
    ]))?;
    Ok(st)
}

/// Logs the admin in (with the virtualenv's Python, so no HTTP client is
/// needed here) and returns the session cookie's value.
fn login(venv: &Path, url: &str, password: &str) -> Result<String> {
    const SCRIPT: &str = r#"
import json, sys, urllib.request
url, password = sys.argv[1], sys.argv[2]
body = json.dumps({"email": "admin@ahlan.local", "password": password}).encode()
request = urllib.request.Request(url + "/api/auth/login", data=body, method="POST",
    headers={"Content-Type": "application/json", "Origin": url})
with urllib.request.urlopen(request) as response:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        if name == "ahlan_session":
            print(rest.split(";")[0])
"#;
    let out = util::output(
        Command::new(venv.join("bin").join("python")).args(["-c", SCRIPT, url, password]),
    )?;
    let session = out.trim().to_owned();
    if session.is_empty() {
        bail!("logging in to {url} gave no session cookie");
    }
    Ok(session)
}

fn nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn seconds_default_and_are_checked() {
        assert_eq!(parse_args(&args(&[])).unwrap(), DEFAULT_SECS);
        assert_eq!(parse_args(&args(&["--secs", "30"])).unwrap(), 30);
        assert!(parse_args(&args(&["--secs", "0"])).is_err());
        assert!(parse_args(&args(&["--secs"])).is_err());
        assert!(parse_args(&args(&["--quick"])).is_err());
    }
}
