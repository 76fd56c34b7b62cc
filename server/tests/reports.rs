//! Reports from real chats on real sockets: what the figures say is what
//! happened, the CSV says the same, and only admins and the site's
//! supervisors may read them.

use crate::common::*;
use serde_json::{json, Value};

/// The site's report for today, once `ready` holds (figures are written
/// in the background, a moment after each step).
async fn report_when(api: &Api, ready: impl Fn(&Value) -> bool) -> Value {
    eventually("the report showing it", || async {
        let (status, body) = api.get("/api/reports?site=s_demo&period=today").await;
        assert_eq!(status, 200, "{body}");
        if ready(&body) {
            Ok(body)
        } else {
            Err(body.to_string())
        }
    })
    .await
}

/// A key figure's value (`None`: nothing to measure).
fn kpi(report: &Value, key: &str) -> Option<f64> {
    report["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["key"] == key)
        .map(|k| k["value"].as_f64())
        .unwrap_or_else(|| panic!("no {key} in {report}"))
}

#[actix_web::test]
async fn a_days_chats_show_in_the_report_and_its_csv() {
    let server = TestServer::start().await;
    server.add_agent("Amal", 3).await;
    // An answered chat, resolved and rated.
    let (mut amal, mut visitor, id) = server.chat_with("amal@example.com").await;
    amal.send(json!({"type": "send", "conversation": id, "client_id": "a1", "body": "Hi!"}))
        .await;
    visitor.expect("message").await;
    amal.send(json!({"type": "resolve", "conversation": id}))
        .await;
    assert_eq!(visitor.expect("status").await["status"], "resolved");
    visitor.send(json!({"type": "rate", "score": 4})).await;
    visitor.expect("rated").await;
    // A chat nobody answers, resolved as it is: missed.
    let (mut other, _) = server.visitor().await;
    other.send(send_frame("v1", "anyone?")).await;
    other.expect("assigned").await;
    let conv = amal
        .until(|f| {
            f["type"] == "conversation"
                && f["conversation"]["status"] == "assigned"
                && f["conversation"]["id"] != id.as_str()
        })
        .await;
    let missed = conv["conversation"]["id"].as_str().unwrap().to_owned();
    amal.send(json!({"type": "resolve", "conversation": missed}))
        .await;

    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let r = report_when(&admin, |r| {
        kpi(r, "resolved") == Some(2.0) && kpi(r, "csat") == Some(4.0)
    })
    .await;
    assert_eq!(kpi(&r, "started"), Some(2.0));
    assert_eq!(kpi(&r, "answered"), Some(1.0));
    assert_eq!(kpi(&r, "missed"), Some(1.0));
    assert_eq!(kpi(&r, "csat_response_rate"), Some(50.0));
    assert_eq!(kpi(&r, "nps"), None, "nobody was asked");
    assert!(kpi(&r, "first_response_median").is_some_and(|s| s >= 0.0));
    assert_eq!(r["time_zone"], "UTC");
    assert_eq!(r["series"].as_array().unwrap().len(), 24, "a day, per hour");
    let started: u64 = r["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["started"].as_u64().unwrap())
        .sum();
    assert_eq!(started, 2);
    let heat: u64 = r["heatmap"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d.as_array().unwrap().iter().map(|n| n.as_u64().unwrap()))
        .sum();
    assert_eq!(heat, 2);
    let amal_row = &r["agents"][0];
    assert_eq!(
        (amal_row["name"].as_str(), amal_row["resolved"].as_u64()),
        (Some("Amal"), Some(2))
    );
    assert_eq!(amal_row["csat"], 4.0);
    assert_eq!(r["csat"], json!([0, 0, 0, 1, 0]));

    // The agents table as CSV: the same figures.
    let res = reqwest::Client::new()
        .get(format!(
            "{}/api/reports/agents.csv?site=s_demo&period=today",
            server.url
        ))
        .header("Cookie", server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment; filename=\"ahlan-s_demo-agents-"));
    let csv = res.text().await.unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("a_Amal,Amal,1,2,0,"), "{csv}");
    // …and the survey answers per score.
    let csv = reqwest::Client::new()
        .get(format!(
            "{}/api/reports/surveys.csv?site=s_demo&period=today",
            server.url
        ))
        .header("Cookie", server.login(ADMIN_EMAIL, ADMIN_PASSWORD).await)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(csv.lines().any(|l| l == "csat,4,1"), "{csv}");
    assert_eq!(csv.lines().count(), 1 + 5 + 11, "{csv}");

    // An agent's own report: their work only.
    let (status, mine) = admin
        .get("/api/reports?site=s_demo&period=today&agent=a_Amal")
        .await;
    assert_eq!(status, 200);
    assert_eq!(kpi(&mine, "resolved"), Some(2.0));
    assert!(mine["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["key"] != "started"));
}

#[actix_web::test]
async fn reports_are_for_admins_and_supervisors_and_bad_asks_get_clear_errors() {
    let server = TestServer::start().await;
    server.add_agent("Amal", 3).await;
    server.add_supervisor("Sami").await;
    let amal = Api::login(&server, "amal@example.com", "agent-password").await;
    let (status, body) = amal.get("/api/reports?site=s_demo").await;
    assert_eq!((status, body["code"].as_str()), (403, Some("forbidden")));
    let sami = Api::login(&server, "sami@example.com", "agent-password").await;
    let (status, body) = sami.get("/api/reports?site=s_demo").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["series"].as_array().unwrap().len(),
        30,
        "30 days by default"
    );
    assert!(body["agents"].as_array().unwrap().is_empty());
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    // A supervisor of another site may not look.
    server.add_site("pk_other", "https://other.example").await;
    let (status, _) = sami.get("/api/reports?site=s_pk_other").await;
    assert_eq!(status, 403);
    for (query, status, code, field) in [
        ("site=s_nope", 404, "not_found", None),
        ("site=s_demo&period=90y", 400, "bad_request", Some("period")),
        (
            "site=s_demo&period=custom&from=2026-02-01&to=2026-01-01",
            400,
            "bad_request",
            Some("from"),
        ),
        (
            "site=s_demo&period=custom&from=2020-01-01&to=2026-01-01",
            400,
            "bad_request",
            Some("from"),
        ),
        (
            "site=s_demo&period=custom&from=yesterday&to=2026-01-01",
            400,
            "bad_request",
            Some("from"),
        ),
        (
            "site=s_demo&team=t_1&agent=a_Amal",
            400,
            "bad_request",
            Some("agent"),
        ),
        ("period=today", 400, "bad_request", None),
    ] {
        let (got, body) = admin.get(&format!("/api/reports?{query}")).await;
        assert_eq!(
            (got, body["code"].as_str()),
            (status, Some(code)),
            "{query}: {body}"
        );
        if let Some(field) = field {
            assert_eq!(body["field"], field, "{query}");
        }
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, body) = admin.get("/api/reports/secrets.csv?site=s_demo").await;
    assert_eq!((status, body["code"].as_str()), (404, Some("not_found")));
    // A custom period in the site's time zone.
    let (status, _) = admin
        .patch("/api/sites/s_demo", json!({"time_zone": "Mars/Olympus"}))
        .await;
    assert_eq!(status, 400);
    let (status, site) = admin
        .patch("/api/sites/s_demo", json!({"time_zone": "Asia/Tehran"}))
        .await;
    assert_eq!(
        (status, site["time_zone"].as_str()),
        (200, Some("Asia/Tehran"))
    );
    let (status, body) = admin
        .get("/api/reports?site=s_demo&period=custom&from=2026-03-01&to=2026-03-07")
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["time_zone"].as_str(),
            body["previous_from"].as_str(),
            body["previous_to"].as_str()
        ),
        (Some("Asia/Tehran"), Some("2026-02-22"), Some("2026-02-28"))
    );
}
