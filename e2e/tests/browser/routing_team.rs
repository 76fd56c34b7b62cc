//! Issue 10, the site's routing team in the console: an admin picks the
//! team on the site page and saves; the server has it, and the next
//! conversation of the site waits in that team's line. LTR (en) and RTL
//! (fa). Screenshots `routing-team-{ltr,rtl}.png`.

use ahlan_e2e::fixtures::{action, find, hook};
use ahlan_e2e::{poll, Stage, VisitorSocket, TIMEOUT};
use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};

#[tokio::test]
async fn an_admin_routes_a_site_to_a_team_ltr() -> Result<()> {
    routing_team("routing-team-ltr", "en", "ltr").await
}

#[tokio::test]
async fn an_admin_routes_a_site_to_a_team_rtl() -> Result<()> {
    routing_team("routing-team-rtl", "fa", "rtl").await
}

async fn routing_team(test: &str, lang: &str, side: &str) -> Result<()> {
    let stage = Stage::start(test).await?;
    let team = match stage
        .ahlan
        .admin_call(
            reqwest::Method::POST,
            "/api/teams",
            json!({"name": "Sales"}),
        )
        .await
    {
        Ok(team) => team,
        Err(e) => return stage.finish(Err(e), vec![]).await,
    };
    let admin = stage.browser("admin", lang).await?;
    let result = async {
        let team_id = team["id"].as_str().context("the team's id")?.to_owned();
        stage.log_in_admin(&admin).await?;
        admin
            .goto(&format!("{}#/settings/sites/s_demo", stage.dashboard_url()))
            .await?;
        let option = format!(r#"{} option[value="{team_id}"]"#, hook("site-team"));
        find::wait_for(&admin, &option, TIMEOUT)
            .await?
            .click()
            .await?;
        action::click(&admin, &hook("site-save")).await?;
        find::wait_for(&admin, &hook("saved"), TIMEOUT).await?;
        let select = find::wait_for(&admin, &hook("site-team"), TIMEOUT).await?;
        action::scroll_into_view(&admin, &select).await?;
        action::screenshot(&admin, &format!("routing-team-{side}")).await?;

        let site = stage
            .ahlan
            .admin_call(reqwest::Method::GET, "/api/sites/s_demo", Value::Null)
            .await?;
        ensure!(site["team"] == json!(team_id), "the site's team: {site}");
        // The next conversation of the site waits for Sales (nobody online).
        let mut visitor =
            VisitorSocket::connect(&stage.ahlan, &stage.host_url(), None, Some("en")).await?;
        visitor.send("hello sales").await?;
        let waiting = poll("the conversation in Sales' line", TIMEOUT, || async {
            let list = stage
                .ahlan
                .admin_call(
                    reqwest::Method::GET,
                    "/api/conversations?view=waiting",
                    Value::Null,
                )
                .await?;
            Ok(list.as_array().and_then(|l| l.first().cloned()))
        })
        .await?;
        ensure!(waiting["team"] == json!(team_id), "its team: {waiting}");
        Ok(())
    }
    .await;
    stage.finish(result, vec![admin]).await
}
