//! `cargo xtask fuzz [--secs N] [TARGET…]`: runs the cargo-fuzz targets in
//! `fuzz/` one after another (two cores: two fuzzers at once would each run
//! at half speed and finish no sooner), each for a bounded time, then says
//! per target how many inputs ran, how fast, how large the corpus grew and
//! whether it crashed. Not part of `cargo xtask test`: it needs nightly
//! flags and its worth grows with the minutes spent, which CI cannot spare.
//!
//! The committed seeds in `fuzz/corpus/TARGET/` are read but never written:
//! what the fuzzer finds goes to `fuzz/target/corpus/TARGET/` (ignored, kept
//! between runs), so a run leaves the work tree clean. Crashes land in
//! `fuzz/artifacts/TARGET/`, as with a plain `cargo fuzz run`.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

use crate::{prereq, util};

/// The fuzz targets, in the order they run (`fuzz/Cargo.toml` `[[bin]]`s).
pub const TARGETS: [&str; 3] = ["visitor_frame", "agent_frame", "origin"];

/// Seconds per target unless `--secs` says otherwise.
const DEFAULT_SECS: u64 = 600;

const USAGE: &str = "usage: cargo xtask fuzz [--secs N] [TARGET...]";

/// What to run.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    secs: u64,
    targets: Vec<&'static str>,
}

/// How the sanitizer flags cargo-fuzz needs get past rustc.
#[derive(Clone, Copy)]
enum Toolchain {
    /// A nightly toolchain is installed: `rustup run nightly cargo fuzz`.
    Nightly,
    /// Only the pinned stable: `RUSTC_BOOTSTRAP=1` lets it take the same
    /// `-Z` flags (checked to work on this project's toolchain).
    Bootstrap,
}

pub fn fuzz(args: &[OsString]) -> Result<()> {
    let plan = parse_args(args)?;
    prereq::ensure_cargo_fuzz()?;
    let toolchain = if has_nightly() {
        Toolchain::Nightly
    } else {
        println!("no nightly toolchain: using the pinned stable with RUSTC_BOOTSTRAP=1");
        Toolchain::Bootstrap
    };
    let fuzz_dir = util::workspace_root().join("fuzz");

    // One build for every target first, so a compile error shows before any
    // fuzzing and each run's time is all fuzzing.
    util::run(cargo_fuzz(&toolchain, &fuzz_dir).arg("build"))?;

    let mut results = Vec::new();
    for &target in &plan.targets {
        println!("\n==> fuzzing {target} for {} s", plan.secs);
        let work = fuzz_dir.join("target").join("corpus").join(target);
        std::fs::create_dir_all(&work).with_context(|| format!("creating {}", work.display()))?;
        let mut cmd = cargo_fuzz(&toolchain, &fuzz_dir);
        // libFuzzer writes new inputs to the first corpus directory only.
        cmd.args(["run", target])
            .arg(&work)
            .arg(fuzz_dir.join("corpus").join(target))
            .arg("--")
            .arg(format!("-max_total_time={}", plan.secs))
            .arg("-print_final_stats=1");
        let (stats, success) = run_and_read(&mut cmd)?;
        if !success && stats.artifact.is_none() {
            bail!(
                "`{}` failed without leaving a crash input (see its output above)",
                util::display(&cmd)
            );
        }
        results.push((target, stats));
    }

    println!("\nfuzz summary ({} s per target):", plan.secs);
    for (target, stats) in &results {
        println!("  {}", stats.summary(target));
    }
    let crashes: Vec<String> = results
        .iter()
        .filter_map(|(target, stats)| {
            let artifact = stats.artifact.as_ref()?;
            Some(format!(
                "{target}: {}\n    reproduce: {} run {target} {}",
                artifact.display(),
                toolchain.cargo_fuzz_line(),
                artifact.display()
            ))
        })
        .collect();
    if !crashes.is_empty() {
        bail!("the fuzzer found crashes:\n  {}", crashes.join("\n  "));
    }
    Ok(())
}

fn parse_args(args: &[OsString]) -> Result<Plan> {
    let mut secs = DEFAULT_SECS;
    let mut targets = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let arg = arg.to_str().context(USAGE)?;
        let value = match arg.strip_prefix("--secs") {
            Some("") => Some(args.next().and_then(|v| v.to_str()).context(USAGE)?),
            Some(rest) => Some(rest.strip_prefix('=').context(USAGE)?),
            None => None,
        };
        if let Some(value) = value {
            secs = match value.parse() {
                Ok(n) if n > 0 => n,
                _ => bail!("--secs takes a whole number of seconds above 0, not {value:?}"),
            };
            continue;
        }
        match TARGETS.iter().find(|t| **t == arg) {
            Some(target) if !targets.contains(target) => targets.push(*target),
            Some(_) => {}
            None => bail!(
                "unknown fuzz target {arg:?}; the targets are {}\n{USAGE}",
                TARGETS.join(", ")
            ),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    Ok(Plan { secs, targets })
}

impl Toolchain {
    /// How a person runs `cargo fuzz` with it.
    fn cargo_fuzz_line(self) -> &'static str {
        match self {
            Toolchain::Nightly => "cargo +nightly fuzz",
            Toolchain::Bootstrap => "RUSTC_BOOTSTRAP=1 cargo fuzz",
        }
    }
}

fn has_nightly() -> bool {
    util::output(Command::new("rustup").args(["toolchain", "list"]))
        .is_ok_and(|list| list.lines().any(|line| line.starts_with("nightly")))
}

/// `cargo fuzz` on the chosen toolchain, building into `fuzz/target`: the
/// sanitizer build must never share the workspace's target directory,
/// whose every artifact it would invalidate.
fn cargo_fuzz(toolchain: &Toolchain, fuzz_dir: &Path) -> Command {
    let mut cmd = match toolchain {
        Toolchain::Nightly => {
            let mut cmd = Command::new("rustup");
            cmd.args(["run", "nightly", "cargo"]);
            cmd
        }
        Toolchain::Bootstrap => {
            let mut cmd = util::cargo();
            cmd.env("RUSTC_BOOTSTRAP", "1");
            cmd
        }
    };
    cmd.arg("fuzz")
        .current_dir(util::workspace_root())
        .env("CARGO_TARGET_DIR", fuzz_dir.join("target"));
    cmd
}

/// Runs `cmd`, passing its stderr (cargo's and libFuzzer's lines) through
/// as it comes and reading the figures from it. Returns them and whether
/// the command succeeded.
fn run_and_read(cmd: &mut Command) -> Result<(Stats, bool)> {
    let line = util::display(cmd);
    let mut child = cmd
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{line}`"))?;
    let mut stats = Stats::default();
    let mut reader = BufReader::new(child.stderr.take().context("stderr is piped")?);
    let mut buf = Vec::new();
    let mut stderr = std::io::stderr();
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        // Passing the output on is a courtesy; a closed terminal must not
        // stop the run.
        let _ = stderr.write_all(&buf);
        stats.read(&String::from_utf8_lossy(&buf));
    }
    let status = child
        .wait()
        .with_context(|| format!("waiting for `{line}`"))?;
    Ok((stats, status.success()))
}

/// What libFuzzer reported about one run.
#[derive(Debug, Default, PartialEq, Eq)]
struct Stats {
    /// Inputs run (`stat::number_of_executed_units`).
    execs: Option<u64>,
    /// Inputs per second over the run (`stat::average_exec_per_sec`).
    execs_per_sec: Option<u64>,
    /// Inputs in the corpus and their total size, from the last status
    /// line (`corp: 312/24Kb`).
    corpus: Option<(u64, String)>,
    /// The input that crashed, if one did.
    artifact: Option<PathBuf>,
}

impl Stats {
    /// Takes what it knows from one line of libFuzzer's output.
    fn read(&mut self, line: &str) {
        let line = line.trim_end();
        let number = |key: &str| line.strip_prefix(key)?.trim().parse::<u64>().ok();
        if let Some(n) = number("stat::number_of_executed_units:") {
            self.execs = Some(n);
        } else if let Some(n) = number("stat::average_exec_per_sec:") {
            self.execs_per_sec = Some(n);
        } else if let Some((_, path)) = line.split_once("Test unit written to ") {
            self.artifact = Some(PathBuf::from(path.trim()));
        } else if line.starts_with('#') {
            // `#4096	pulse  cov: 812 ft: 2301 corp: 312/24Kb lim: 4096 exec/s: 2048 rss: 61Mb`
            let corpus = line
                .split_once(" corp: ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .and_then(|field| field.split_once('/'))
                .and_then(|(units, size)| Some((units.parse().ok()?, size.to_owned())));
            if corpus.is_some() {
                self.corpus = corpus;
            }
        }
    }

    /// One line of the summary.
    fn summary(&self, target: &str) -> String {
        let or_unknown = |n: Option<u64>| n.map_or_else(|| "?".to_owned(), group_thousands);
        let corpus = match &self.corpus {
            Some((units, size)) => format!("{} inputs ({size})", group_thousands(*units)),
            None => "?".to_owned(),
        };
        let outcome = match &self.artifact {
            Some(path) => format!("CRASH {}", path.display()),
            None => "no crash".to_owned(),
        };
        format!(
            "{target:<14} {:>14} execs {:>9}/s  corpus {corpus:<20} {outcome}",
            or_unknown(self.execs),
            or_unknown(self.execs_per_sec),
        )
    }
}

/// `12345678` → `12,345,678`.
fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn args_default_to_every_target_for_ten_minutes() {
        assert_eq!(
            parse_args(&[]).unwrap(),
            Plan {
                secs: 600,
                targets: TARGETS.to_vec()
            }
        );
    }

    #[test]
    fn args_pick_seconds_and_targets() {
        let plan = parse_args(&args(&["--secs", "30", "origin", "agent_frame"])).unwrap();
        assert_eq!(plan.secs, 30);
        assert_eq!(plan.targets, ["origin", "agent_frame"]);
        let plan = parse_args(&args(&["origin", "--secs=5", "origin"])).unwrap();
        assert_eq!(
            plan,
            Plan {
                secs: 5,
                targets: vec!["origin"]
            }
        );
    }

    #[test]
    fn bad_args_are_refused() {
        for bad in [
            &["--secs"][..],
            &["--secs", "0"],
            &["--secs", "ten"],
            &["--secs=-1"],
            &["--secsy"],
            &["dance"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reads_the_figures_of_a_clean_run() {
        let output = "\
INFO: Seed: 2563148310
#2\tINITED cov: 410 ft: 411 corp: 1/1b exec/s: 0 rss: 38Mb
#1024\tNEW    cov: 812 ft: 2301 corp: 88/3012b lim: 4096 exec/s: 512 rss: 52Mb L: 40/4096 MS: 2 CopyPart-ChangeBit-
#8388608\tpulse  cov: 990 ft: 4102 corp: 312/24Kb lim: 4096 exec/s: 13981 rss: 61Mb
#8400111\tDONE   cov: 990 ft: 4102 corp: 313/24Kb lim: 4096 exec/s: 14000 rss: 61Mb
Done 8400111 runs in 600 second(s)
stat::number_of_executed_units: 8400111
stat::average_exec_per_sec:     14000
stat::new_units_added:          312
stat::slowest_unit_time_sec:    0
stat::peak_rss_mb:              61
";
        let mut stats = Stats::default();
        for line in output.lines() {
            stats.read(line);
        }
        assert_eq!(
            stats,
            Stats {
                execs: Some(8_400_111),
                execs_per_sec: Some(14_000),
                corpus: Some((313, "24Kb".to_owned())),
                artifact: None,
            }
        );
        assert_eq!(
            stats.summary("origin"),
            "origin              8,400,111 execs    14,000/s  corpus 313 inputs (24Kb)    no crash"
        );
    }

    #[test]
    fn reads_the_artifact_of_a_crash() {
        let mut stats = Stats::default();
        stats.read("==4242== ERROR: libFuzzer: deadly signal\n");
        stats.read(
            "artifact_prefix='/w/fuzz/artifacts/origin/'; Test unit written to \
             /w/fuzz/artifacts/origin/crash-da39a3ee5e6b4b0d3255bfef95601890afd80709\n",
        );
        stats.read("stat::number_of_executed_units: 77\n");
        assert_eq!(
            stats.artifact.as_deref(),
            Some(Path::new(
                "/w/fuzz/artifacts/origin/crash-da39a3ee5e6b4b0d3255bfef95601890afd80709"
            ))
        );
        assert_eq!(stats.execs, Some(77));
        assert!(stats.summary("origin").ends_with(
            "CRASH /w/fuzz/artifacts/origin/crash-da39a3ee5e6b4b0d3255bfef95601890afd80709"
        ));
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(12_345_678), "12,345,678");
    }

    /// The list here, the binaries in `fuzz/Cargo.toml` and the committed
    /// seeds name the same targets.
    #[test]
    fn targets_match_the_fuzz_crate() {
        let fuzz = util::workspace_root().join("fuzz");
        let manifest = std::fs::read_to_string(fuzz.join("Cargo.toml")).unwrap();
        let bins: Vec<&str> = manifest
            .split("[[bin]]")
            .skip(1)
            .filter_map(|section| {
                let line = section.lines().find(|l| l.starts_with("name = "))?;
                Some(line.trim_start_matches("name = ").trim_matches('"'))
            })
            .collect();
        assert_eq!(bins, TARGETS);
        for target in TARGETS {
            assert!(
                fuzz.join("fuzz_targets")
                    .join(format!("{target}.rs"))
                    .is_file(),
                "{target}"
            );
            let seeds = std::fs::read_dir(fuzz.join("corpus").join(target)).unwrap();
            assert!(seeds.count() > 0, "{target} has no seeds");
        }
    }
}
