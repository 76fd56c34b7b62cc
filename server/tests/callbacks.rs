//! Issue 12, item 3: callback requests. A site offers them (console); a
//! visitor asks with a number in international format and a time of day;
//! agents of the site see the request live, one claims it, marks it done
//! or failed with a note; the visitor's widget follows it live and sees it
//! again when they come back. Agents of other sites never see it.

use crate::common::*;
use serde_json::json;

fn request(phone: &str) -> serde_json::Value {
    json!({"type": "callback", "request": {
        "phone": phone, "window": "evening", "note": "About my order", "name": "Leila"}})
}

#[actix_web::test]
async fn a_callback_is_requested_claimed_and_closed_live_for_both_sides() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let site = format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID);
    server.add_site("pk_other", "https://other.example").await;
    server.add_agent("Sara", 3).await;
    server.add_agent_of("Omar", "pk_other").await;
    let sara = Api::login(&server, "sara@example.com", "agent-password").await;
    let omar = Api::login(&server, "omar@example.com", "agent-password").await;
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut desk, _) = server.agent_socket(&cookie).await;
    desk.expect("ready").await;

    // Off by default: refused.
    let (mut visitor, welcome) = server.visitor().await;
    assert!(welcome.get("callback").is_none(), "{welcome}");
    visitor.send(request("+98 912 345 6789")).await;
    assert_eq!(visitor.expect("error").await["code"], "callbacks_off");

    // The console checks the minutes.
    let (status, body) = admin
        .patch(&site, json!({"callback_after_mins": 241}))
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("callback_after_mins")),
        "{body}"
    );
    let (status, body) = admin.patch(&site, json!({"callback_after_mins": 0})).await;
    assert_eq!(
        (status, &body["callback_after_mins"]),
        (200, &json!(0)),
        "{body}"
    );

    // The visitor wrote, then asks; what is wrong is said.
    visitor.send(send_frame("m1", "Where is my order?")).await;
    visitor.expect("ack").await;
    visitor.send(request("0912 345 6789")).await;
    assert_eq!(visitor.expect("error").await["code"], "invalid_phone");
    let long = json!({"type": "callback", "request": {
        "phone": "+989123456789", "window": "asap", "note": "x".repeat(501)}});
    visitor.send(long).await;
    assert_eq!(visitor.expect("error").await["code"], "bad_request");
    visitor
        .send(json!({"type": "callback", "request": {"phone": "+98912345678", "window": "noon"}}))
        .await;
    assert_eq!(visitor.expect("error").await["code"], "malformed_frame");

    visitor.send(request("+98 (912) 345-6789")).await;
    let kept = visitor.expect("callback").await;
    assert_eq!(kept["callback"]["status"], "requested", "{kept}");
    assert_eq!(kept["callback"]["phone"], "+989123456789");
    assert_eq!(kept["callback"]["window"], "evening");
    // Asking again while it is open: refused, and the open one is shown.
    visitor.send(request("+44 20 7946 0958")).await;
    assert_eq!(visitor.expect("error").await["code"], "callback_pending");
    let shown = visitor.expect("callback").await;
    assert_eq!(shown["callback"]["phone"], "+989123456789");

    // Sara's dashboard hears of it; Omar (another site's) never does.
    let heard = desk.until(|f| f["type"] == "callback").await;
    let cb = &heard["callback"];
    assert_eq!(cb["name"], "Leila", "{heard}");
    assert_eq!(cb["note"], "About my order");
    assert_eq!(cb["status"], "requested");
    assert_eq!(cb["locale"], "en");
    let id = cb["id"].as_str().unwrap().to_owned();
    let visitor_id = cb["visitor"].as_str().unwrap().to_owned();
    let (status, list) = sara.get("/api/callbacks").await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    let (_, theirs) = omar.get("/api/callbacks").await;
    assert_eq!(theirs, json!([]), "another site's agent sees none");
    let claim = format!("/api/callbacks/{id}/claim");
    let close = format!("/api/callbacks/{id}/close");
    assert_eq!(omar.post(&claim, json!({})).await.0, 404, "as if absent");
    assert_eq!(
        sara.post("/api/callbacks/cb_nope/claim", json!({})).await.0,
        404
    );

    // Sara claims: the visitor sees it at once; nobody else may take it.
    let (status, claimed) = sara.post(&claim, json!({})).await;
    assert_eq!(
        (status, &claimed["status"]),
        (200, &json!("claimed")),
        "{claimed}"
    );
    assert_eq!(claimed["agent"]["name"], "Sara");
    let live = visitor.expect("callback").await;
    assert_eq!(live["callback"]["status"], "claimed");
    let (status, body) = admin.post(&claim, json!({})).await;
    assert_eq!(
        (status, &body["code"]),
        (409, &json!("callback_taken")),
        "{body}"
    );
    let (status, body) = admin.post(&close, json!({"status": "done"})).await;
    assert_eq!(
        (status, &body["code"]),
        (409, &json!("callback_taken")),
        "{body}"
    );

    // Closing: a real outcome and a short note only.
    let (status, body) = sara.post(&close, json!({"status": "claimed"})).await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("status")),
        "{body}"
    );
    let (status, body) = sara
        .post(&close, json!({"status": "done", "note": "x".repeat(501)}))
        .await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("note")),
        "{body}"
    );
    let (status, done) = sara
        .post(
            &close,
            json!({"status": "done", "note": " Spoke, refund sent "}),
        )
        .await;
    assert_eq!((status, &done["status"]), (200, &json!("done")), "{done}");
    assert_eq!(done["outcome"], "Spoke, refund sent");
    assert_eq!(
        visitor.expect("callback").await["callback"]["status"],
        "done"
    );
    let (status, body) = sara.post(&close, json!({"status": "failed"})).await;
    assert_eq!(
        (status, &body["code"]),
        (409, &json!("callback_closed")),
        "{body}"
    );

    // Lists: open is empty, closed has it; bad queries are named.
    assert_eq!(sara.get("/api/callbacks").await.1, json!([]));
    let (_, closed) = sara.get("/api/callbacks?status=closed").await;
    assert_eq!(closed[0]["id"], id.as_str(), "{closed}");
    let (status, body) = sara.get("/api/callbacks?status=maybe").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("status")),
        "{body}"
    );
    let (status, body) = sara.get("/api/callbacks?limit=0").await;
    assert_eq!(
        (status, body["field"].as_str()),
        (400, Some("limit")),
        "{body}"
    );

    // Each change reached the visitor once: nothing else is on its way.
    let rest = visitor.visitor_frames_before_sentinel().await;
    assert!(
        rest.iter().all(|f| f["type"] != "callback"),
        "no repeat: {rest:?}"
    );
    // Coming back, the widget is told where the request stands.
    let mut back = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    back.send(
        json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
        "token": welcome["token"], "locale": "en"}),
    )
    .await;
    let again = back.expect("welcome").await;
    assert_eq!(again["callback"]["status"], "done", "{again}");
    // The visitor's data export carries it.
    let (status, export) = admin
        .get(&format!("/api/visitors/{visitor_id}/export"))
        .await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["callbacks"][0]["phone"], "+989123456789", "{export}");
}

#[actix_web::test]
async fn a_visitor_who_never_wrote_may_ask_and_turning_callbacks_off_stops_new_ones() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let site = format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID);
    admin.patch(&site, json!({"callback_after_mins": 15})).await;
    // No message, no conversation: the request alone makes the record.
    let (mut visitor, welcome) = server.visitor().await;
    visitor
        .send(json!({"type": "callback", "request": {"phone": "+۹۷۱ ۵۰ ۱۲۳ ۴۵۶۷", "window": "morning"}}))
        .await;
    let kept = visitor.expect("callback").await;
    assert_eq!(
        kept["callback"]["phone"], "+971501234567",
        "Persian digits: {kept}"
    );
    let (_, list) = admin.get("/api/callbacks").await;
    assert_eq!(list[0]["conversation"], serde_json::Value::Null, "{list}");
    let mut back = Ws::connect(&format!("{}/ws/visitor", server.ws), &[]).await;
    back.send(
        json!({"type": "hello", "site": server.site_key, "origin": SITE_ORIGIN,
        "token": welcome["token"]}),
    )
    .await;
    assert_eq!(
        back.expect("welcome").await["callback"]["status"],
        "requested"
    );

    // Off: new requests are refused at once (open widgets included).
    let (status, body) = admin
        .patch(&site, json!({"callback_after_mins": null}))
        .await;
    assert_eq!(
        (status, &body["callback_after_mins"]),
        (200, &serde_json::Value::Null)
    );
    let (mut other, _) = server.visitor().await;
    other
        .send(json!({"type": "callback", "request": {"phone": "+12025550123", "window": "asap"}}))
        .await;
    assert_eq!(other.expect("error").await["code"], "callbacks_off");
}

/// The visitor cancels an open request (claimed already): the agent who
/// holds it hears of it live, nobody can close it any more, the widget is
/// told once; with nothing open a cancel is `not_found`; a request that
/// was called meanwhile cannot be cancelled (the widget is shown the
/// call). The site's report counts requests and the share reached.
#[actix_web::test]
async fn a_visitor_cancels_their_request_and_the_report_counts_callbacks() {
    let server = TestServer::start().await;
    let admin = Api::login(&server, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    let site = format!("/api/sites/{}", ahlan_server::seed::DEMO_SITE_ID);
    admin.patch(&site, json!({"callback_after_mins": 0})).await;
    server.add_agent("Sara", 3).await;
    let sara = Api::login(&server, "sara@example.com", "agent-password").await;
    let cookie = server.login("sara@example.com", "agent-password").await;
    let (mut desk, _) = server.agent_socket(&cookie).await;
    desk.expect("ready").await;

    let (mut visitor, _) = server.visitor().await;
    // Nothing asked yet: nothing to cancel.
    visitor.send(json!({"type": "cancel_callback"})).await;
    assert_eq!(visitor.expect("error").await["code"], "not_found");
    // Written first, so the widget follows the request live.
    visitor.send(send_frame("m1", "Please call me")).await;
    visitor.expect("ack").await;
    visitor.send(request("+98 912 345 6789")).await;
    let asked = visitor.expect("callback").await;
    assert_eq!(asked["callback"]["status"], "requested");
    let heard = desk.until(|f| f["type"] == "callback").await;
    let id = heard["callback"]["id"].as_str().unwrap().to_owned();
    let (status, _) = sara
        .post(&format!("/api/callbacks/{id}/claim"), json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        visitor.expect("callback").await["callback"]["status"],
        "claimed"
    );

    visitor.send(json!({"type": "cancel_callback"})).await;
    let cancelled = visitor.expect("callback").await;
    assert_eq!(cancelled["callback"]["status"], "cancelled", "{cancelled}");
    let live = desk
        .until(|f| f["type"] == "callback" && f["callback"]["status"] == "cancelled")
        .await;
    assert_eq!(
        live["callback"]["agent"]["name"], "Sara",
        "its holder sees it"
    );
    let (status, body) = sara
        .post(
            &format!("/api/callbacks/{id}/close"),
            json!({"status": "done"}),
        )
        .await;
    assert_eq!(
        (status, &body["code"]),
        (409, &json!("callback_closed")),
        "{body}"
    );
    visitor.send(json!({"type": "cancel_callback"})).await;
    assert_eq!(visitor.expect("error").await["code"], "not_found");
    let rest = visitor.visitor_frames_before_sentinel().await;
    assert!(
        rest.iter().all(|f| f["type"] != "callback"),
        "once: {rest:?}"
    );

    // Asked again, and called before the cancel arrives: too late.
    visitor.send(request("+98 912 345 6789")).await;
    visitor.expect("callback").await;
    let heard = desk
        .until(|f| f["type"] == "callback" && f["callback"]["status"] == "requested")
        .await;
    let again = heard["callback"]["id"].as_str().unwrap().to_owned();
    let (status, _) = sara
        .post(
            &format!("/api/callbacks/{again}/close"),
            json!({"status": "failed", "note": "No answer"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        visitor.expect("callback").await["callback"]["status"],
        "failed"
    );
    // The third request is called and reached.
    visitor.send(request("+98 912 345 6789")).await;
    visitor.expect("callback").await;
    let heard = desk
        .until(|f| f["type"] == "callback" && f["callback"]["status"] == "requested")
        .await;
    let third = heard["callback"]["id"].as_str().unwrap().to_owned();
    sara.post(
        &format!("/api/callbacks/{third}/close"),
        json!({"status": "done"}),
    )
    .await;
    assert_eq!(
        visitor.expect("callback").await["callback"]["status"],
        "done"
    );
    visitor.send(json!({"type": "cancel_callback"})).await;
    assert_eq!(
        visitor.expect("error").await["code"],
        "not_found",
        "nothing open"
    );

    // Three asked; of the two called, one reached.
    let (status, report) = admin
        .get(&format!(
            "/api/reports?site={}&period=30d",
            ahlan_server::seed::DEMO_SITE_ID
        ))
        .await;
    assert_eq!(status, 200, "{report}");
    let kpi = |key: &str| {
        report["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key"] == key)
            .unwrap_or_else(|| panic!("{key} in {report}"))["value"]
            .clone()
    };
    assert_eq!(kpi("callbacks_requested"), json!(3.0));
    assert_eq!(kpi("callbacks_reached"), json!(50.0));
}
