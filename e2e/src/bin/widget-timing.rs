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
//! Intervals are read from the browser's own clock: each is the difference
//! of two `performance.now()` readings taken by scripts in one document, so
//! neither Rust's clock nor a WebDriver round trip is inside an interval.
//! Sizes come from Resource Timing (the server sends `Timing-Allow-Origin`
//! on the loader and the launcher's look, so the host page may read them).
//!
//! **load → launcher** (`load_to_launcher_ms`), in the host page:
//! - *start*: the host page's `load` event, `loadEventStart` of its
//!   `PerformanceNavigationTiming`. The loader starts from its own `load`
//!   listener: the interval holds asking for the launcher's look and
//!   drawing the button.
//! - *end*: the first animation frame after the launcher is shown — the
//!   button the loader draws (or, on a page that loads the widget at once,
//!   the widget's iframe revealed). A script placed before the snippet
//!   watches the page and the loader's shadow root with a
//!   `MutationObserver`; `performance.now()` in the `requestAnimationFrame`
//!   after the launcher is laid out and visible is the end.
//! - *cold*: the first load in a new browser with a fresh profile (empty HTTP
//!   cache); *warm*: the same browser loading the page again (the loader,
//!   `max-age=300`, and the look, `max-age=60`, from the cache).
//!
//! **Bytes per page view** (`page_view_bytes`), after the cold load's
//! launcher: the host page's resource entries from the Ahlan origin — the
//! loader and the look, no iframe (checked) — as `encoded` (compressed
//! bodies: what the 3 KB budget counts) and `transfer` (with headers).
//!
//! **click → panel** (`click_to_panel_ms`), in the host page:
//! - *start*: `performance.now()` just before a script calls `click()` on
//!   the loader's launcher, once the page is idle (`requestIdleCallback`,
//!   at most 2 s). No hover first: the preload a pointer gives is not
//!   counted on, so this is the slow case.
//! - *end*: the first animation frame after the widget's iframe is revealed
//!   at the panel's size: the widget loaded, mounted with the panel open
//!   and posted `ready`, and the loader laid the panel out.
//! - *cold*: right after the cold page view (nothing of the widget cached:
//!   iframe page, CSS, JS glue and wasm fetched and compiled); *warm*:
//!   after the warm page view (the bundles from the HTTP cache:
//!   `warm_from_cache` says whether every bundle file really came from it).
//!
//! **Bytes to first open** (`first_open_bytes`): the cold page view's bytes
//! plus everything the widget's iframe fetched until the panel was shown
//! (its page, CSS, JS glue, wasm), compressed and with headers. The
//! websocket is not a resource and is not counted.
//!
//! Every run uses a new browser for a cold page view and first open, then a
//! warm page view and open; `--runs N` runs (default 5), sequential on one
//! server.
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
host page's load event to the launcher being shown and from a click on it
to the panel being shown (cold and warm cache), and the bytes a page view
and a first open fetch from Ahlan. Prints JSON on stdout. Needs AHLAN_BIN and built assets (see the
ahlan-e2e crate docs).

options:
  --runs N   runs, each in a new browser (default 5)
  -h, --help this text
";

/// Placed before the snippet, so it runs (during parsing) before the async
/// loader can: records when the launcher becomes visible and then painted,
/// exposes a promise of the readings, and `open(done)`, which clicks the
/// loader's launcher and reports when the panel is shown.
const HOST_TIMING_SCRIPT: &str = r#"<script>
(function () {
  var timing = window.__ahlanTiming = { revealed: null, painted: null };
  var resolve;
  timing.done = new Promise(function (r) { resolve = r; });
  var options = { subtree: true, childList: true, attributes: true, attributeFilter: ["style"] };
  var root = null;
  // The loader keeps its launcher and iframe in the open shadow root of
  // <ahlan-chat>, which an observer of the document does not see into:
  // once the element is there, its shadow root is observed too.
  function inside(selector) {
    var host = document.querySelector("ahlan-chat");
    if (host && host.shadowRoot && root !== host.shadowRoot) {
      root = host.shadowRoot;
      observer.observe(root, options);
    }
    return (root && root.querySelector(selector)) || document.querySelector(selector);
  }
  function visible(el, minWidth) {
    var rect = el.getBoundingClientRect();
    return getComputedStyle(el).visibility === "visible" && rect.width >= minWidth && rect.height > 0;
  }
  var FRAME = 'iframe[src*="/widget/frame"]', BUTTON = 'button[data-ahlan="launcher"]';
  var observer = new MutationObserver(function () {
    if (timing.revealed !== null) return;
    var button = inside(BUTTON), frame = inside(FRAME);
    if (!(button && visible(button, 1)) && !(frame && visible(frame, 1))) return;
    timing.revealed = performance.now();
    requestAnimationFrame(function () {
      timing.painted = performance.now();
      resolve();
    });
  });
  observer.observe(document.documentElement, options);
  // Clicks the loader's launcher; `done` gets the click's time and the
  // first frame with the widget's iframe shown at the panel's size.
  timing.open = function (done) {
    var button = inside(BUTTON);
    if (!button) { done({ error: "no loader launcher to click" }); return; }
    var finished = false, clicked = null;
    var watch = new MutationObserver(check);
    function check() {
      var frame = inside(FRAME);
      if (finished || !frame || !visible(frame, 300)) return;
      finished = true;
      watch.disconnect();
      requestAnimationFrame(function () { done({ clicked: clicked, painted: performance.now() }); });
    }
    watch.observe(button.getRootNode(), options);
    setTimeout(function () {
      if (finished) return;
      finished = true;
      watch.disconnect();
      done({ error: "the panel was not shown within 20 s of the click" });
    }, 20000);
    clicked = performance.now();
    button.click();
    check();
  };
})();
</script>
"#;

/// In the host page, after WebDriver's load: waits for the readings of
/// `HOST_TIMING_SCRIPT` and returns them with the load event's times, what
/// the page fetched from Ahlan (`arguments[0]`, its origin), and whether
/// the widget's iframe is on the page.
const COLLECT_LOAD_JS: &str = r#"
var done = arguments[arguments.length - 1], ahlan = arguments[0];
var timing = window.__ahlanTiming;
if (!timing) { done({ error: "the timing script did not run on the host page" }); return; }
var limit = setTimeout(function () {
  done({ error: "the launcher was not shown within 20 s of the call" });
}, 20000);
timing.done.then(function () {
  clearTimeout(limit);
  var nav = performance.getEntriesByType("navigation")[0];
  var host = document.querySelector("ahlan-chat");
  var root = host && host.shadowRoot;
  var fetched = performance.getEntriesByType("resource").filter(function (e) {
    return e.name.indexOf(ahlan) === 0;
  });
  done({
    loadEventStart: nav ? nav.loadEventStart : null,
    revealed: timing.revealed,
    painted: timing.painted,
    iframe: !!(root && root.querySelector('iframe[src*="/widget/frame"]')),
    fetched: fetched.map(function (e) {
      return { name: e.name, encoded: e.encodedBodySize, transfer: e.transferSize };
    })
  });
});
"#;

/// In the host page: clicks the loader's launcher once the page is idle
/// (see `HOST_TIMING_SCRIPT`'s `open`).
const CLICK_TO_PANEL_JS: &str = r#"
var done = arguments[arguments.length - 1];
function go() { window.__ahlanTiming.open(done); }
if (window.requestIdleCallback) requestIdleCallback(go, { timeout: 2000 }); else go();
"#;

/// In the widget's iframe: what it fetched — its own page and every
/// resource — with their sizes.
const FRAME_ENTRIES_JS: &str = r#"
return performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"))
  .map(function (e) {
    return { name: e.name, encoded: e.encodedBodySize, transfer: e.transferSize };
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

/// One run's samples: times in milliseconds, sizes in bytes.
struct RunSample {
    cold: f64,
    warm: f64,
    click_cold: f64,
    click_warm: f64,
    /// Whether the warm open took the widget's bundles from the HTTP cache.
    warm_cached: bool,
    page_view: Bytes,
    first_open: Bytes,
}

/// What was fetched: compressed bodies, and with headers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Bytes {
    encoded: f64,
    transfer: f64,
}

impl Bytes {
    /// The sum over resource entries `[{encoded, transfer}]`.
    fn of(entries: &Value) -> Result<Bytes> {
        let entries = entries
            .as_array()
            .with_context(|| format!("resource entries: got {entries}"))?;
        let sum = |field: &str| entries.iter().filter_map(|e| e[field].as_f64()).sum();
        Ok(Bytes {
            encoded: sum("encoded"),
            transfer: sum("transfer"),
        })
    }

    fn plus(self, other: Bytes) -> Bytes {
        Bytes {
            encoded: self.encoded + other.encoded,
            transfer: self.transfer + other.transfer,
        }
    }
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

    let ahlan_origin = stage.ahlan.base_url.clone();
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
        let (outcome, sample) = match measure_run(&browser, &url, &ahlan_origin).await {
            Ok(sample) => (Ok(()), Some(sample)),
            Err(err) => (Err(err.context(format!("run {run} of {runs}"))), None),
        };
        // Closes the browser either way; on failure adds a screenshot and
        // the server log's tail to the error.
        stage.finish(outcome, vec![browser]).await?;
        let sample = sample.expect("finish passes errors through");
        eprintln!(
            "run {run}/{runs}: load→launcher cold {:.1} ms, warm {:.1} ms; click→panel cold {:.1} ms, warm {:.1} ms; page view {} B, first open {} B",
            sample.cold, sample.warm, sample.click_cold, sample.click_warm,
            sample.page_view.encoded, sample.first_open.encoded
        );
        if !sample.warm_cached {
            // Still a second open, but not the cache-primed one the figure
            // claims: worth a look at the server's Cache-Control headers.
            eprintln!("warning: run {run}: the warm open fetched widget bundles over the network");
        }
        samples.push(sample);
    }

    let series = |f: fn(&RunSample) -> f64| samples.iter().map(f).collect::<Vec<f64>>();
    let (cold, warm) = (series(|s| s.cold), series(|s| s.warm));
    let (click_cold, click_warm) = (series(|s| s.click_cold), series(|s| s.click_warm));
    let bytes = |get: fn(&RunSample) -> Bytes| {
        let encoded: Vec<f64> = samples.iter().map(|s| get(s).encoded).collect();
        let transfer: Vec<f64> = samples.iter().map(|s| get(s).transfer).collect();
        json!({
            "encoded": median(&encoded),
            "transfer": median(&transfer),
            "encoded_samples": encoded,
        })
    };
    Ok(json!({
        "load_to_launcher_ms": {
            "cold": rounded(&cold),
            "warm": rounded(&warm),
            "cold_median": round(median(&cold)),
            "warm_median": round(median(&warm)),
        },
        "click_to_panel_ms": {
            "cold": rounded(&click_cold),
            "warm": rounded(&click_warm),
            "cold_median": round(median(&click_cold)),
            "warm_median": round(median(&click_warm)),
            "warm_from_cache": samples.iter().all(|s| s.warm_cached),
        },
        "page_view_bytes": bytes(|s| s.page_view),
        "first_open_bytes": bytes(|s| s.first_open),
        "runs": runs,
        "chromium": chromium.unwrap_or_else(|| "unknown".to_owned()),
    }))
}

/// A cold page view and its first open; then a warm page view and open.
async fn measure_run(browser: &Browser, url: &str, ahlan: &str) -> Result<RunSample> {
    let (cold, page_view) = load_page(browser, url, ahlan)
        .await
        .context("cold load → launcher")?;
    let click_cold = click_to_panel(browser)
        .await
        .context("first click → panel")?;
    let first_open = page_view.plus(frame_bytes(browser).await?.0);
    let (warm, _) = load_page(browser, url, ahlan)
        .await
        .context("warm load → launcher")?;
    let click_warm = click_to_panel(browser)
        .await
        .context("warm click → panel")?;
    let warm_cached = frame_bytes(browser).await?.1;
    Ok(RunSample {
        cold,
        warm,
        click_cold,
        click_warm,
        warm_cached,
        page_view,
        first_open,
    })
}

/// Loads `url`: the time from its load event to the launcher painted, and
/// what it fetched from `ahlan` — which must not be the widget.
async fn load_page(browser: &Browser, url: &str, ahlan: &str) -> Result<(f64, Bytes)> {
    action::open_page(browser, url).await?;
    let readings = browser
        .execute_async(COLLECT_LOAD_JS, vec![json!(ahlan)])
        .await
        .context("collecting the host page's readings")?;
    let ms = interval(&readings, "loadEventStart", "painted")?;
    ensure!(
        readings["iframe"] == false,
        "the page view loaded the widget: {readings}"
    );
    Ok((ms, Bytes::of(&readings["fetched"])?))
}

/// In the widget's iframe (entered and left): what it fetched, and whether
/// its bundle files all came from the HTTP cache (a transfer size of 0;
/// they are same-origin with the iframe page, so not hidden from it).
async fn frame_bytes(browser: &Browser) -> Result<(Bytes, bool)> {
    action::switch_to_widget_frame(browser).await?;
    let entries = browser
        .execute(FRAME_ENTRIES_JS, vec![])
        .await
        .context("reading the iframe's resource timing")?;
    action::leave_frame(browser).await?;
    let bundles: Vec<&Value> = entries
        .as_array()
        .with_context(|| format!("resource timing entries: got {entries}"))?
        .iter()
        .filter(|e| e["name"].as_str().is_some_and(|n| n.contains("/assets/")))
        .collect();
    ensure!(
        !bundles.is_empty(),
        "the widget's iframe fetched no bundle files under /assets/"
    );
    let cached = bundles.iter().all(|e| e["transfer"].as_f64() == Some(0.0));
    Ok((Bytes::of(&entries)?, cached))
}

async fn click_to_panel(browser: &Browser) -> Result<f64> {
    let readings = browser
        .execute_async(CLICK_TO_PANEL_JS, vec![])
        .await
        .context("clicking the loader's launcher")?;
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
