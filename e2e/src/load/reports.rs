//! `reports`: how long a site's report takes to come back. Logs in as the
//! admin and asks the demo site's report `requests` times in a row (after
//! one unmeasured request), over the REST API the dashboard uses. The
//! server is started with `--demo-history N`, so the period holds N
//! made-up conversations; the answer's own count says how many it read.

use super::client::{login, Target};
use super::stats::summary_ms;
use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use std::time::Instant;

/// The scenario's size.
pub struct ReportsOpts {
    /// Measured requests.
    pub requests: usize,
    /// The period asked for (`30d`, `7d`, `today`).
    pub period: String,
}

/// The demo site (`--demo`) whose report is asked for.
const SITE: &str = "s_demo";

pub async fn run(target: &Target, opts: &ReportsOpts) -> Result<Value> {
    let http = reqwest::Client::new();
    let base = &target.agent_base;
    let cookie = login(&http, base, &target.admin_email, &target.admin_password).await?;
    let url = format!("{base}/api/reports?site={SITE}&period={}", opts.period);
    let ask = || async {
        let res = http
            .get(&url)
            .header("Cookie", &cookie)
            .send()
            .await
            .context("GET /api/reports")?;
        if !res.status().is_success() {
            bail!("GET /api/reports: {} {}", res.status(), res.text().await?);
        }
        res.json::<Value>().await.context("the report's JSON")
    };
    let first = ask().await?;
    let count = |key: &str| {
        first["kpis"]
            .as_array()
            .and_then(|k| k.iter().find(|k| k["key"] == key))
            .and_then(|k| k["value"].as_f64())
            .unwrap_or(0.0)
    };
    let mut samples = Vec::with_capacity(opts.requests);
    for _ in 0..opts.requests {
        let start = Instant::now();
        ask().await?;
        samples.push(start.elapsed().as_micros() as u64);
    }
    Ok(json!({
        "period": opts.period,
        "conversations": count("started") + count("reopened"),
        "agents": first["agents"].as_array().map_or(0, Vec::len),
        "latency_ms": summary_ms(&mut samples),
    }))
}
