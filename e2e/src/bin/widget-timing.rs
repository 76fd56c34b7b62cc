//! `widget-timing`: how fast the visitor widget appears on a customer's page
//! and how fast it opens, in real headless Chromium against the real `ahlan`
//! binary (the browser-test harness: server, chromedriver, and a host page on
//! another origin that embeds the snippet). Part of `cargo xtask bench`; by
//! hand, with the environment the browser tests use (see the `ahlan_e2e`
//! crate docs):
//!
//! ```text
//! AHLAN_BIN=target/debug/ahlan cargo run -p ahlan-e2e --bin widget-timing -- --runs 5
//! ```
//!
//! Prints one JSON object on stdout (every time in milliseconds, each sample
//! and the median); progress goes to stderr.
//!
//! # What is measured
//!
//! Both intervals are read from the browser's own clock: each is the
//! difference of two `performance.now()`-based readings taken by scripts in
//! one document, so neither Rust's clock nor a WebDriver round trip is inside
//! an interval. WebDriver only loads pages and collects the readings.
//!
//! **load → launcher** (`load_to_launcher_ms`), in the host page:
//! - *start*: the host page's `load` event, `loadEventStart` of its
//!   `PerformanceNavigationTiming`. The loader adds the iframe from its own
//!   `load` listener, so the interval holds everything the widget costs
//!   once the page itself has loaded: the iframe page, its CSS, JS glue and
//!   wasm (fetch, compile), mounting the app, and the `ready` message.
//! - *end*: the first animation frame after the loader reveals the iframe.
//!   A script placed before the snippet watches the page with a
//!   `MutationObserver` (the iframe being added, its `style` attribute
//!   changing); once the iframe's computed `visibility` is `visible` (the
//!   loader sets it on the widget's `ready`, which the widget posts after
//!   mounting the launcher) it asks for a `requestAnimationFrame`, and
//!   `performance.now()` in that callback is the end: the start of the frame
//!   that paints the revealed launcher.
//! - *cold*: the first load in a new browser with a fresh profile (empty HTTP
//!   cache, no code cache, no `localStorage`).
//! - *warm*: the same browser loading the same page again. The loader
//!   (`max-age=300`) and the bundles (immutable) come from the HTTP cache;
//!   the host page and the iframe page (both `no-store`) are fetched again;
//!   the widget resumes the visitor's stored session. `warm_from_cache` in
//!   the output says whether every warm load really took the bundles (CSS,
//!   JS glue, wasm) from the cache: the iframe's Resource Timing shows a
//!   transfer size of 0 for each (a warning on stderr when not).
//!
//! **click → panel** (`click_to_panel_ms`), inside the iframe of the
//! warm-loaded page:
//! - *start*: `performance.now()` just before a script calls `click()` on the
//!   launcher (`[data-test=launcher]`), run once the iframe's main thread is
//!   idle (`requestIdleCallback`, at most 2 s), as a person would click a
//!   settled page.
//! - *end*: the first animation frame after the panel is ready: the composer
//!   (`[data-test=composer]`) is in the DOM, laid out, not hidden, inside the
//!   viewport, and the loader has resized the iframe (its viewport differs
//!   from the launcher-sized one at the click, so the `resize` round trip
//!   through the host page is included). Checked on every DOM mutation and
//!   every `resize` of the iframe's window. The panel's entrance animation
//!   (0.22 s) starts in that frame and is not waited for: the composer takes
//!   input from then on.
//!
//! Every run uses a new browser for a cold load, a warm load and a click;
//! `--runs N` runs (default 5). Runs are sequential on one server.
//!
//! # Caveats
//!
//! - The end of each interval is the start of the frame that paints the
//!   change, not the moment pixels reach a screen (headless has none); the
//!   compositor's few milliseconds after it are not counted.
//! - The iframe is cross-site (`localhost` vs `127.0.0.1`), so Chromium may
//!   give it its own renderer process; the host page sees the reveal, and a
//!   child frame's own first paint could land a frame later.
//! - The checks force a style/layout in the observed document on each
//!   mutation batch; the widget's first render lays out anyway, so this adds
//!   little, but it is not zero.
//! - Loopback has no network latency: these are CPU and parsing costs (wasm
//!   compile dominates cold loads). Times on shared two-core machines are
//!   noisy; compare medians from the same run, and build `ahlan` in release
//!   for figures meant to be quoted (a debug server serves the iframe page
//!   more slowly).

use std::process::ExitCode;

use ahlan_e2e::fixtures::action;
use ahlan_e2e::mini_http::host_page_html;
use ahlan_e2e::{Ahlan, Browser, Chromedriver, MiniServer, Stage};
use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};

/// Names the server log in the artifacts directory.
const NAME: &str = "widget-timing";
const DEFAULT_RUNS: usize = 5;

const USAGE: &str = "\
usage: widget-timing [--runs N]

Measures, in headless Chromium with the Performance API, the time from the
host page's load event to the widget's launcher being shown (cold and warm
cache) and from a click on the launcher to the open panel's composer being
shown. Prints JSON on stdout. Needs AHLAN_BIN and built assets (see the
ahlan-e2e crate docs).

options:
  --runs N   runs, each in a new browser (default 5)
  -h, --help this text
";

/// Placed before the snippet, so it runs (during parsing) before the async
/// loader can: records when the widget's iframe becomes visible and then
/// painted, and exposes a promise of the readings.
const HOST_TIMING_SCRIPT: &str = r#"<script>
(function () {
  var timing = window.__ahlanTiming = { revealed: null, painted: null };
  var resolve;
  timing.done = new Promise(function (r) { resolve = r; });
  var options = { subtree: true, childList: true, attributes: true, attributeFilter: ["style"] };
  var root = null;
  // The loader keeps its iframe in the open shadow root of <ahlan-chat>,
  // which an observer of the document does not see into: once the element
  // is there, its shadow root is observed too.
  function frame() {
    var host = document.querySelector("ahlan-chat");
    if (host && host.shadowRoot && root !== host.shadowRoot) {
      root = host.shadowRoot;
      observer.observe(root, options);
    }
    return (root && root.querySelector('iframe[src*="/widget/frame"]'))
      || document.querySelector('iframe[src*="/widget/frame"]');
  }
  var observer = new MutationObserver(function () {
    var el = frame();
    if (timing.revealed !== null || !el) return;
    var rect = el.getBoundingClientRect();
    if (getComputedStyle(el).visibility !== "visible" || rect.width <= 0 || rect.height <= 0) return;
    timing.revealed = performance.now();
    observer.disconnect();
    requestAnimationFrame(function () {
      timing.painted = performance.now();
      resolve();
    });
  });
  observer.observe(document.documentElement, options);
})();
</script>
"#;

/// In the host page, after WebDriver's load: waits for the readings of
/// `HOST_TIMING_SCRIPT` and returns them with the load event's times.
const COLLECT_LOAD_JS: &str = r#"
var done = arguments[arguments.length - 1];
var timing = window.__ahlanTiming;
if (!timing) { done({ error: "the timing script did not run on the host page" }); return; }
var limit = setTimeout(function () {
  done({ error: "the widget's iframe was not shown within 20 s of the call" });
}, 20000);
timing.done.then(function () {
  clearTimeout(limit);
  var nav = performance.getEntriesByType("navigation")[0];
  done({
    loadEventStart: nav ? nav.loadEventStart : null,
    loadEventEnd: nav ? nav.loadEventEnd : null,
    revealed: timing.revealed,
    painted: timing.painted
  });
});
"#;

/// In the widget's iframe, with the panel closed: clicks the launcher once
/// the frame is idle and returns the click time and the time of the first
/// frame with the panel's composer shown in the resized iframe.
const CLICK_TO_PANEL_JS: &str = r#"
var done = arguments[arguments.length - 1];
function hook(name) { return document.querySelector('[data-test="' + name + '"]'); }
function shown(el) {
  var style = getComputedStyle(el);
  var rect = el.getBoundingClientRect();
  return style.display !== "none" && style.visibility !== "hidden"
    && parseFloat(style.opacity) > 0 && rect.width > 0 && rect.height > 0
    && rect.right > 0 && rect.bottom > 0
    && rect.left < window.innerWidth && rect.top < window.innerHeight;
}
function go() {
  var launcher = hook("launcher");
  if (!launcher || hook("composer")) {
    done({ error: "expected a closed widget (a launcher and no composer) before the click" });
    return;
  }
  var width = window.innerWidth, height = window.innerHeight;
  var finished = false, clicked = null;
  var observer = new MutationObserver(check);
  var limit = setTimeout(function () {
    if (finished) return;
    finished = true;
    stop();
    var composer = hook("composer");
    done({ error: "the panel was not ready 20 s after the click (composer "
      + (composer ? (shown(composer) ? "shown" : "not shown") : "absent")
      + ", viewport " + window.innerWidth + "x" + window.innerHeight
      + ", was " + width + "x" + height + ")" });
  }, 20000);
  function stop() {
    observer.disconnect();
    window.removeEventListener("resize", check);
  }
  function check() {
    if (finished) return;
    var composer = hook("composer");
    var resized = window.innerWidth !== width || window.innerHeight !== height;
    if (!composer || !resized || !shown(composer)) return;
    finished = true;
    clearTimeout(limit);
    stop();
    var ready = performance.now();
    requestAnimationFrame(function () {
      done({ clicked: clicked, ready: ready, painted: performance.now() });
    });
  }
  observer.observe(document.documentElement, {
    subtree: true, childList: true, attributes: true, characterData: true
  });
  window.addEventListener("resize", check);
  clicked = performance.now();
  launcher.click();
  check();
}
if (window.requestIdleCallback) requestIdleCallback(go, { timeout: 2000 }); else go();
"#;

/// In the widget's iframe: the bundle files it fetched, with their sizes.
const BUNDLE_ENTRIES_JS: &str = r#"
return performance.getEntriesByType("resource")
  .filter(function (e) { return new URL(e.name).pathname.indexOf("/assets/") === 0; })
  .map(function (e) {
    return { name: e.name, transferSize: e.transferSize, decodedBodySize: e.decodedBodySize };
  });
"#;

#[derive(Debug, PartialEq)]
struct Args {
    runs: usize,
}

/// `None`: help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>> {
    let mut runs = DEFAULT_RUNS;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--runs" => args.next().context("--runs needs a value")?,
            other => match other.strip_prefix("--runs=") {
                Some(value) => value.to_owned(),
                None => bail!("unknown argument {other:?}"),
            },
        };
        runs = value
            .parse()
            .ok()
            .filter(|&n| n > 0)
            .with_context(|| format!("--runs takes a positive whole number, not {value:?}"))?;
    }
    Ok(Some(Args { runs }))
}

/// One run's samples, in milliseconds.
struct RunSample {
    cold: f64,
    warm: f64,
    click: f64,
    /// Whether the warm load took the widget's bundles from the HTTP cache.
    warm_cached: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("error: {err:#}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match measure(args.runs).await {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn measure(runs: usize) -> Result<Value> {
    eprintln!("widget-timing: starting ahlan, chromedriver and the host page");
    let ahlan = Ahlan::start(NAME).await.context("starting ahlan")?;
    let driver = Chromedriver::start().await?;
    let host = MiniServer::page(host_page_html(&format!(
        "{HOST_TIMING_SCRIPT}{}",
        ahlan.snippet()
    )))
    .await?;
    let stage = Stage {
        test: NAME.to_owned(),
        ahlan,
        driver,
        host,
    };
    let url = stage.host_url();

    let mut samples = Vec::with_capacity(runs);
    let mut chromium = None;
    for run in 1..=runs {
        let browser = stage
            .browser("visitor", "en")
            .await
            .with_context(|| format!("run {run}: opening a browser"))?;
        if chromium.is_none() {
            chromium = browser
                .capabilities()
                .and_then(|caps| caps.get("browserVersion"))
                .and_then(Value::as_str)
                .map(str::to_owned);
        }
        let (outcome, sample) = match measure_run(&browser, &url).await {
            Ok(sample) => (Ok(()), Some(sample)),
            Err(err) => (Err(err.context(format!("run {run} of {runs}"))), None),
        };
        // Closes the browser either way; on failure adds a screenshot and
        // the server log's tail to the error.
        stage.finish(outcome, vec![browser]).await?;
        let sample = sample.expect("finish passes errors through");
        eprintln!(
            "run {run}/{runs}: load→launcher cold {:.1} ms, warm {:.1} ms; click→panel {:.1} ms",
            sample.cold, sample.warm, sample.click
        );
        if !sample.warm_cached {
            // Still a second load, but not the cache-primed one the figure
            // claims: worth a look at the server's Cache-Control headers.
            eprintln!("warning: run {run}: the warm load fetched widget bundles over the network");
        }
        samples.push(sample);
    }

    let cold: Vec<f64> = samples.iter().map(|s| s.cold).collect();
    let warm: Vec<f64> = samples.iter().map(|s| s.warm).collect();
    let click: Vec<f64> = samples.iter().map(|s| s.click).collect();
    Ok(json!({
        "load_to_launcher_ms": {
            "cold": rounded(&cold),
            "warm": rounded(&warm),
            "cold_median": round(median(&cold)),
            "warm_median": round(median(&warm)),
            "warm_from_cache": samples.iter().all(|s| s.warm_cached),
        },
        "click_to_panel_ms": {
            "samples": rounded(&click),
            "median": round(median(&click)),
        },
        "runs": runs,
        "chromium": chromium.unwrap_or_else(|| "unknown".to_owned()),
    }))
}

/// Cold load, warm load, then a click on the warm page's launcher.
async fn measure_run(browser: &Browser, url: &str) -> Result<RunSample> {
    let cold = load_to_launcher(browser, url)
        .await
        .context("cold load → launcher")?;
    let warm = load_to_launcher(browser, url)
        .await
        .context("warm load → launcher")?;
    action::switch_to_widget_frame(browser).await?;
    let click = click_to_panel(browser).await.context("click → panel")?;
    let warm_cached = bundles_from_cache(browser).await?;
    Ok(RunSample {
        cold,
        warm,
        click,
        warm_cached,
    })
}

async fn load_to_launcher(browser: &Browser, url: &str) -> Result<f64> {
    action::open_page(browser, url).await?;
    let readings = browser
        .execute_async(COLLECT_LOAD_JS, vec![])
        .await
        .context("collecting the host page's readings")?;
    interval(&readings, "loadEventStart", "painted")
}

/// In the iframe of a loaded page: whether every bundle file it fetched
/// came from the HTTP cache. Resource timing shows a transfer size of 0 for
/// a cache hit; the bundles are same-origin with the iframe page, so their
/// sizes are not hidden from it.
async fn bundles_from_cache(browser: &Browser) -> Result<bool> {
    let entries = browser
        .execute(BUNDLE_ENTRIES_JS, vec![])
        .await
        .context("reading the iframe's resource timing")?;
    let entries = entries
        .as_array()
        .with_context(|| format!("resource timing entries: got {entries}"))?;
    ensure!(
        !entries.is_empty(),
        "the widget's iframe fetched no bundle files under /assets/"
    );
    Ok(entries
        .iter()
        .all(|entry| entry.get("transferSize").and_then(Value::as_f64) == Some(0.0)))
}

async fn click_to_panel(browser: &Browser) -> Result<f64> {
    let readings = browser
        .execute_async(CLICK_TO_PANEL_JS, vec![])
        .await
        .context("clicking the launcher in the widget's iframe")?;
    interval(&readings, "clicked", "painted")
}

/// `end − start` of a script's readings, which must be a real forward step
/// (a reading the browser left at 0 would make a nonsense sample).
fn interval(readings: &Value, start: &str, end: &str) -> Result<f64> {
    if let Some(error) = readings.get("error").and_then(Value::as_str) {
        bail!("{error}");
    }
    let reading = |name: &str| {
        readings
            .get(name)
            .and_then(Value::as_f64)
            .filter(|&t| t > 0.0)
            .with_context(|| format!("no `{name}` reading in {readings}"))
    };
    let ms = reading(end)? - reading(start)?;
    ensure!(
        ms > 0.0,
        "`{end}` is not after `{start}` in {readings}: the readings are inconsistent"
    );
    Ok(ms)
}

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len().is_multiple_of(2) {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

/// To 0.1 ms: Chromium coarsens `performance.now()` to 100 µs on pages
/// that are not cross-origin isolated, so more digits would be noise.
fn round(ms: f64) -> f64 {
    (ms * 10.0).round() / 10.0
}

fn rounded(samples: &[f64]) -> Vec<f64> {
    samples.iter().copied().map(round).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>> {
        parse_args(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn runs_default_and_forms() {
        assert_eq!(args(&[]).unwrap(), Some(Args { runs: DEFAULT_RUNS }));
        assert_eq!(args(&["--runs", "3"]).unwrap(), Some(Args { runs: 3 }));
        assert_eq!(args(&["--runs=7"]).unwrap(), Some(Args { runs: 7 }));
        assert_eq!(args(&["--help"]).unwrap(), None);
        assert!(args(&["--runs", "0"]).is_err());
        assert!(args(&["--runs"]).is_err());
        assert!(args(&["--fast"]).is_err());
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    }

    #[test]
    fn interval_rejects_errors_and_backward_steps() {
        let ok = json!({"a": 10.0, "b": 35.5});
        assert_eq!(interval(&ok, "a", "b").unwrap(), 25.5);
        assert!(interval(&json!({"error": "boom"}), "a", "b").is_err());
        assert!(interval(&json!({"a": 10.0, "b": 5.0}), "a", "b").is_err());
        assert!(interval(&json!({"a": 0.0, "b": 5.0}), "a", "b").is_err());
        assert!(interval(&json!({"a": 10.0}), "a", "b").is_err());
    }
}
