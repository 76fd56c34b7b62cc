//! Issue 13, reports: a demo site with a made-up month (`--demo-history`)
//! seen by its admin on the reports page — the key figures the API gives,
//! written in the page's language; the conversations chart running the
//! way the page reads; the busiest hours; the agents; the survey answers;
//! a table downloaded as CSV; a shorter period redrawn. LTR (en) and RTL
//! (ar, Arabic-Indic digits). Screenshots
//! `reports-{top,charts,hours,agents,phone}-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{find, hook};
use ahlan_e2e::{poll, Deployment, Stage, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::Value;

#[tokio::test]
async fn an_admin_reads_a_month_of_figures_ltr() -> Result<()> {
    run("ltr", "en").await
}

#[tokio::test]
async fn an_admin_reads_a_month_of_figures_rtl() -> Result<()> {
    run("rtl", "ar").await
}

async fn run(side: &str, lang: &str) -> Result<()> {
    let mut deployment = Deployment::new(None);
    deployment.extra_args = vec!["--demo-history".into(), "2500".into()];
    let test = format!("reports-{side}");
    let stage = Stage::start_in(&test, &deployment).await?;
    let admin = stage.browser("admin", lang).await?;
    let result = play(&stage, &admin, side, lang).await;
    stage.finish(result, vec![admin]).await
}

/// ASCII digits as the locale writes them.
fn digits(lang: &str, text: &str) -> String {
    let zero = match lang {
        "ar" => '\u{0660}',
        _ => return text.to_owned(),
    };
    text.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(zero as u32 + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

async fn shot(admin: &ahlan_e2e::Browser, selector: &str, name: &str) -> Result<()> {
    let el = find::wait_for(admin, selector, TIMEOUT).await?;
    admin
        .execute(
            "arguments[0].scrollIntoView({block: 'start'});",
            vec![serde_json::to_value(&el)?],
        )
        .await?;
    ahlan_e2e::fixtures::action::screenshot(admin, name).await?;
    Ok(())
}

async fn play(stage: &Stage, admin: &ahlan_e2e::Browser, side: &str, lang: &str) -> Result<()> {
    stage.log_in_admin(admin).await?;
    ahlan_e2e::fixtures::action::click(admin, &hook("nav-reports")).await?;
    find::wait_for(admin, &hook("kpis"), TIMEOUT).await?;
    let api = stage
        .ahlan
        .admin_call(
            reqwest::Method::GET,
            "/api/reports?site=s_demo&period=30d",
            Value::Null,
        )
        .await?;
    let started = api["kpis"]
        .as_array()
        .context("kpis")?
        .iter()
        .find(|k| k["key"] == "started")
        .and_then(|k| k["value"].as_f64())
        .context("started")?;
    ensure!(
        started > 2000.0,
        "the month holds the demo's conversations: {started}"
    );

    // The figures are the API's, in the page's digits.
    let card = "[data-test=kpi][data-key=started] [data-test=kpi-value]";
    let want = digits(lang, &format!("{started:.0}"));
    poll("the conversations card", TIMEOUT, || async {
        let shown = find::texts(admin, card).await?;
        Ok((shown.first() == Some(&want)).then_some(()))
    })
    .await?;
    let cards = find::shown_count(admin, &hook("kpi")).await?;
    ensure!(
        cards == api["kpis"].as_array().map_or(0, Vec::len),
        "{cards} cards"
    );
    ahlan_e2e::fixtures::action::screenshot(admin, &format!("reports-top-{side}")).await?;

    // Thirty days, three lines; time runs the way the page reads. (Dots
    // count only inside the viewport: the chart is brought into it, as
    // the key figures above it grow.)
    let chart = find::wait_for(admin, &hook("chart-volume"), TIMEOUT).await?;
    ahlan_e2e::fixtures::action::scroll_into_view(admin, &chart).await?;
    let dots = find::shown_count(admin, ".chart-dot.line-started").await?;
    ensure!(dots >= 30, "a point per day: {dots}");
    let xs = find::eval(
        admin,
        "[...document.querySelectorAll('[data-test=chart-volume] .chart-dot.line-started')]\
             .map(c => Number(c.getAttribute('cx')))",
    )
    .await?;
    let xs: Vec<f64> = serde_json::from_value(xs)?;
    let (first, last) = (xs[0], xs[xs.len() - 1]);
    ensure!(
        if side == "rtl" {
            first > last
        } else {
            first < last
        },
        "{side}: the first day at {first}, the last at {last}"
    );
    shot(
        admin,
        &hook("chart-volume"),
        &format!("reports-charts-{side}"),
    )
    .await?;
    let lines = find::eval(
        admin,
        "document.querySelectorAll('[data-test=chart-volume] polyline').length",
    )
    .await?;
    ensure!(lines == 3, "{lines} lines");

    // The busiest hours: a cell per weekday and hour, the busiest darkest.
    let cells = find::eval(admin, "document.querySelectorAll('td.heat').length").await?;
    ensure!(cells == 168, "{cells} heatmap cells");
    let darkest = find::eval(admin, "document.querySelectorAll('td.heat-4').length").await?;
    ensure!(darkest.as_u64().unwrap_or(0) >= 1, "a busiest hour");
    shot(admin, &hook("heatmap"), &format!("reports-hours-{side}")).await?;

    // The agents, and their table as CSV.
    let rows = find::texts(admin, &hook("agent-row")).await?;
    ensure!(rows.len() == 4, "{rows:?}");
    ensure!(rows.iter().any(|r| r.contains("Leila Ahmadi")), "{rows:?}");
    let link = find::wait_for(admin, &hook("csv-agents"), TIMEOUT).await?;
    let href = link.attr("href").await?.context("csv href")?;
    ensure!(
        href == "/api/reports/agents.csv?site=s_demo&period=30d",
        "{href}"
    );
    let got = find::eval(
        admin,
        &format!(
            "(() => {{ const x = new XMLHttpRequest(); x.open('GET', '{href}', false); x.send(); \
             return [x.status, x.getResponseHeader('content-type'), x.responseText]; }})()"
        ),
    )
    .await?;
    ensure!(got[0] == 200, "{got}");
    ensure!(
        got[1].as_str().is_some_and(|t| t.starts_with("text/csv")),
        "{got}"
    );
    let csv = got[2].as_str().unwrap_or_default();
    ensure!(
        csv.starts_with("agent_id,agent,answered") && csv.contains("Leila Ahmadi"),
        "{csv}"
    );
    shot(
        admin,
        &hook("agents-table"),
        &format!("reports-agents-{side}"),
    )
    .await?;
    let bars = find::shown_count(admin, &hook("score-bar")).await?;
    ensure!(bars >= 5, "survey answers per score: {bars}");

    // A week instead: seven points.
    let period = find::wait_for(admin, &hook("reports-period"), TIMEOUT).await?;
    period.select_by_value("7d").await?;
    poll("the week redrawn", TIMEOUT, || async {
        let n = find::eval(
            admin,
            "document.querySelectorAll('[data-test=chart-volume] .chart-dot.line-started').length",
        )
        .await?;
        Ok((n == 7).then_some(()))
    })
    .await?;

    // One agent's figures: their work only, and the picker says whose.
    let scope = find::wait_for(admin, &hook("reports-scope"), TIMEOUT).await?;
    scope.select_by_value("agent:a_demo_leila").await?;
    poll("Leila's figures", TIMEOUT, || async {
        let started = find::eval(
            admin,
            "document.querySelectorAll('[data-test=kpi][data-key=started]').length",
        )
        .await?;
        let resolved = find::eval(
            admin,
            "document.querySelectorAll('[data-test=kpi][data-key=resolved]').length",
        )
        .await?;
        let chosen = find::eval(
            admin,
            "document.querySelector('[data-test=reports-scope]').value",
        )
        .await?;
        Ok((started == 0 && resolved == 1 && chosen == "agent:a_demo_leila").then_some(()))
    })
    .await?;

    // On a phone: one column, nothing makes the page scroll sideways
    // (the heatmap and the agents table scroll inside their cards).
    admin.set_window_size(390, 844).await?;
    let scope = find::wait_for(admin, &hook("reports-scope"), TIMEOUT).await?;
    scope.select_by_value("").await?;
    find::wait_for(admin, &hook("agents-table"), TIMEOUT).await?;
    let fits = find::eval(
        admin,
        "document.scrollingElement.scrollWidth <= window.innerWidth \
         && [...document.querySelectorAll('.reports *')].every(e => \
              e.parentElement.closest('.heatmap-scroll, .table-scroll') \
              || (e.getBoundingClientRect().right <= window.innerWidth + 1 \
                  && e.getBoundingClientRect().left >= -1))",
    )
    .await?;
    ensure!(fits == true, "the reports page is wider than a phone");
    ahlan_e2e::fixtures::action::screenshot(admin, &format!("reports-phone-{side}")).await?;
    Ok(())
}
